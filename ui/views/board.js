// Board briefing mode: a few large slides of the compared scenarios, arrow keys to move, Esc to leave.
import { el, clear, $ } from "../dom.js";
import { money, percent, signedMoney } from "../format.js";
import { dropChart, fundBalance, revenueExpense, taxPer100k, waterfall } from "../charts.js";

let slides = [];
let index = 0;
let context = null;

function last(p) {
  return p.years[p.years.length - 1];
}

function summarySlide(view) {
  const horizon = last(view.scenarios[0]).label;
  return el("div", { class: "slide-body" },
    el("h1", { text: `Where each scenario leaves us in ${horizon}` }),
    el("div", { class: "cards" }, view.scenarios.map((p) => {
      const y = last(p);
      return el("section", { class: `card${y.below_policy ? " below-policy" : ""}`, "aria-label": p.scenario },
        el("h2", { text: p.scenario }),
        el("dl", {},
          el("dt", { text: "Fund balance" }), el("dd", { text: money(y.fund_balance) }),
          el("dt", { text: "Reserve" }), el("dd", { text: `${percent(y.reserve_pct)}${y.below_policy ? " — below policy" : ""}` }),
          el("dt", { text: "Surplus (deficit)" }), el("dd", { text: money(y.surplus) }),
          el("dt", { text: "Tax per $100k home" }), el("dd", { text: money(y.tax_per_100k) })));
    })));
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

function leverSlide(view) {
  const w = view.waterfalls[view.waterfalls.length - 1];
  const i = w.years.length - 1;
  const s = chartSlide(`What moves fund balance from ${w.reference} to ${w.scenario}`, (c) => waterfall(c, view, i, true));
  s.node.append(el("ul", { class: "board-list" }, w.steps.map((step) => el("li", {}, el("span", { text: step.label }), el("strong", { text: signedMoney(step.delta[i]) })))));
  return s;
}

export function enterBoard(view, { onLeave }) {
  context = { onLeave };
  slides = [
    { node: summarySlide(view) },
    chartSlide("Revenue and expense", (c) => revenueExpense(c, view, true)),
    chartSlide("Fund balance against the reserve policy", (c) => fundBalance(c, view, true)),
    taxSlide(view),
    leverSlide(view),
  ];
  index = 0;
  $("#workbench").hidden = true;
  $("#board").hidden = false;
  document.body.classList.add("briefing");
  document.documentElement.requestFullscreen?.().catch(() => {});
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
  if (document.fullscreenElement) document.exitFullscreen?.().catch(() => {});
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
