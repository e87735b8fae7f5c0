// Board briefing mode: a few large slides of the compared scenarios, arrow keys to move, Esc to leave.
import { el, clear, $ } from "../dom.js";
import { isZero, money, percent, signedMoney } from "../format.js";
import { dropChart, fundBalance, revenueExpense, taxPer100k, waterfall } from "../charts.js";

let slides = [];
let index = 0;
let context = null;

function last(p) {
  return p.years[p.years.length - 1];
}

function belowPolicyYears(p) {
  const years = p.years.filter((y) => y.below_policy).map((y) => y.label);
  return years.length ? `Below the ${"reserve policy"} in ${years.join(", ")}` : "Meets the reserve policy every year";
}

/** The four figures of the summary slide: label, key, how a value and a difference read. */
const SUMMARY = [
  ["Fund balance", "fund_balance", money, signedMoney],
  ["Reserve", "reserve_pct", (t) => percent(t), (t) => percent(t, true)],
  ["Surplus (deficit)", "surplus", money, signedMoney],
  ["Tax per $100k home", "tax_per_100k", money, signedMoney],
];

/** Red for less money in the bank, green for more; a tax difference is not coloured
 * (lower taxes are not bad news, higher ones not good news, for the district's books). */
function tone(key, text) {
  if (key === "tax_per_100k" || isZero(text)) return "";
  return String(text).startsWith("-") ? "neg" : "pos";
}

/** One card per scenario (2-4 side by side); under each figure of a scenario after the
 * reference, its difference from the reference, as the engine computed it. */
function summarySlide(view) {
  const horizon = last(view.scenarios[0]).label;
  const cards = view.scenarios.map((p, i) => {
    const y = last(p);
    const d = i > 0 ? view.differences[i - 1] : null;
    const dy = d ? d.years[d.years.length - 1] : null;
    return el("section", { class: `card${y.below_policy ? " below-policy" : ""}${i === 0 ? " reference" : ""}`, "aria-label": p.scenario },
      el("h2", {}, p.scenario, i === 0 ? el("span", { class: "tag", text: "reference" }) : null),
      el("dl", {}, SUMMARY.map(([label, key, show, diff]) => el("div", { class: "figure" },
        el("dt", { text: label }),
        el("dd", { class: "value", text: key === "reserve_pct" && y.below_policy ? `${show(y[key])} ⚠` : show(y[key]) }),
        dy ? el("dd", { class: `vs ${tone(key, dy[key])}`, text: `${diff(dy[key])} vs ${view.reference}` }) : null))),
      el("p", { class: "note", text: `${belowPolicyYears(p)} (policy ${view.reserve_policy_pct} % of expense).` }));
  });
  return el("div", { class: "slide-body" },
    el("h1", { text: `Where each scenario leaves us in ${horizon}` }),
    el("div", { class: `cards cards-${view.scenarios.length}` }, cards));
}

function chartSlide(title, draw) {
  const canvas = el("canvas", { role: "img", "aria-label": title });
  return { node: el("div", { class: "slide-body" }, el("h1", { text: title }), el("div", { class: "slide-chart" }, canvas)), draw: () => draw(canvas), canvas };
}

function taxSlide(view) {
  const s = chartSlide("Tax impact: per $100,000 of home value", (c) => taxPer100k(c, view, true));
  const years = view.scenarios[0].years.slice(1);
  s.node.append(el("table", { class: "board-table" },
    el("thead", {}, el("tr", {}, el("th", { text: "" }), years.map((y) => el("th", { scope: "col", text: y.label })))),
    el("tbody", {}, view.scenarios.map((p) => el("tr", {}, el("th", { scope: "row", text: p.scenario }), p.years.slice(1).map((y) => el("td", { text: money(y.tax_per_100k) })))))));
  return s;
}

/** What moves fund balance from the reference to scenario `k + 1`, in the last year. */
function leverSlide(view, k) {
  const w = view.waterfalls[k];
  const i = w.years.length - 1;
  const s = chartSlide(`What moves fund balance from ${w.reference} to ${w.scenario}`, (c) => waterfall(c, view, i, true, k));
  s.node.append(el("ul", { class: "board-list" }, w.steps.map((step) => el("li", {}, el("span", { text: step.label }), el("strong", { text: signedMoney(step.delta[i]) })))));
  return s;
}

export function enterBoard(view, { onLeave, onFullscreen }) {
  context = { onLeave, onFullscreen };
  slides = [
    { node: summarySlide(view) },
    chartSlide("Revenue and expense", (c) => revenueExpense(c, view, true)),
    chartSlide("Fund balance against the reserve policy", (c) => fundBalance(c, view, true)),
    taxSlide(view),
    ...view.waterfalls.map((_, k) => leverSlide(view, k)),
  ];
  index = 0;
  $("#workbench").hidden = true;
  $("#board").hidden = false;
  document.body.classList.add("briefing");
  onFullscreen(true);
  show();
  $("#board").focus();
}

export const inBoard = () => !$("#board").hidden;

export function leaveBoard() {
  if (!inBoard()) return;
  for (const s of slides) if (s.canvas) dropChart(s.canvas);
  slides = [];
  $("#board").hidden = true;
  $("#workbench").hidden = false;
  document.body.classList.remove("briefing");
  context?.onFullscreen(false);
  context?.onLeave();
}

export function moveSlide(delta) {
  index = Math.min(Math.max(index + delta, 0), slides.length - 1);
  show();
}

function show() {
  const s = slides[index];
  clear($("#slide")).append(s.node);
  $("#slide").dataset.slide = String(index + 1);
  $("#slide-count").textContent = `Slide ${index + 1} of ${slides.length}`;
  s.draw?.();
}
