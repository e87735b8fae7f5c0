// The figures of a projection year, in the order a chief reads them, and how each is shown.
import { members, money, percent, plain, signedMoney } from "./format.js";

export const FIGURES = [
  { key: "revenue", label: "Revenue", show: money, diff: signedMoney },
  { key: "expense", label: "Expense", show: money, diff: signedMoney },
  { key: "surplus", label: "Surplus (deficit)", show: money, diff: signedMoney },
  { key: "fund_balance", label: "Fund balance", show: money, diff: signedMoney },
  { key: "reserve_pct", label: "Reserve % of expense", show: (v) => percent(v), diff: (v) => percent(v, true) },
  { key: "revenue_limit", label: "Revenue limit", show: money, diff: signedMoney },
  { key: "general_aid", label: "General aid", show: money, diff: signedMoney },
  { key: "levy_total", label: "Levy (total)", show: money, diff: signedMoney },
  { key: "mill_rate", label: "Mill rate", show: (v) => plain(v), diff: (v) => plain(v, true) },
  { key: "tax_per_100k", label: "Tax per $100k home", show: money, diff: signedMoney },
  { key: "membership", label: "Membership", show: (v) => members(v), diff: (v) => members(v, true) },
];

export const figureLabel = (key) => FIGURES.find((f) => f.key === key)?.label ?? key;
