// The figures of a projection year, in the order a chief reads them, and how each is shown.
// `better` says which way a difference is good news for the district's books ("up",
// "down"), or null where it is neither (the levy and the tax are the voters' side).
import { members, money, percent, plain, signedMoney } from "./format.js";

export const FIGURES = [
  { key: "revenue", label: "Revenue", show: money, diff: signedMoney, better: "up" },
  { key: "expense", label: "Expense", show: money, diff: signedMoney, better: "down" },
  { key: "surplus", label: "Surplus (deficit)", show: money, diff: signedMoney, better: "up" },
  { key: "fund_balance", label: "Fund balance", show: money, diff: signedMoney, better: "up" },
  { key: "reserve_pct", label: "Reserve % of expense", show: (v) => percent(v), diff: (v) => percent(v, true), better: "up" },
  { key: "revenue_limit", label: "Revenue limit", show: money, diff: signedMoney, better: "up" },
  { key: "general_aid", label: "General aid", show: money, diff: signedMoney, better: "up" },
  { key: "levy_total", label: "Levy (total)", show: money, diff: signedMoney, better: null },
  { key: "mill_rate", label: "Mill rate", show: (v) => plain(v), diff: (v) => plain(v, true), better: null },
  { key: "tax_per_100k", label: "Tax per $100k home", show: money, diff: signedMoney, better: null },
  { key: "membership", label: "Membership", show: (v) => members(v), diff: (v) => members(v, true), better: null },
];

export const figureLabel = (key) => FIGURES.find((f) => f.key === key)?.label ?? key;
