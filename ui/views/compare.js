// The compare view: 2-4 scenarios side by side, year by year, with differences
// against the reference, and the four charts. Renders what the engine computed.
import { el, clear, $ } from "../dom.js";
import { FIGURES } from "../figures.js";
import { drawCompareCharts } from "../charts.js";

/**
 * Renders `view` (a ComparisonView from the engine) into the table and charts.
 * `onExplain(scenario, year, figure)` is called when a figure is chosen.
 */
export function renderCompare(view, summary, { onExplain, waterfallYear, waterfallScenario }) {
  const table = buildTable(view, summary, onExplain);
  clear($("#compare-table")).append(table);
  drawCompareCharts(view, summary, waterfallYear, waterfallScenario);
}

function buildTable(view, summary, onExplain) {
  const years = view.scenarios[0].years;
  const head = el("thead", {},
    el("tr", {},
      el("th", { scope: "col", class: "scenario-col", text: "Figure / scenario" }),
      years.map((y) => el("th", { scope: "col", text: y.label, title: y.year === summary.base_year ? "Base year (adopted budget)" : "Projection year" }))));
  const body = el("tbody");
  for (const figure of FIGURES) {
    const group = [el("tr", { class: "figure-row" }, el("th", { scope: "colgroup", colspan: String(years.length + 1), class: "figure-name", text: figure.label }))];
    view.scenarios.forEach((p, i) => {
      const isReference = i === 0;
      group.push(el("tr", { class: isReference ? "reference" : "" },
        el("th", { scope: "row", class: "scenario-name", title: isReference ? `${p.scenario} (reference)` : p.scenario, text: p.scenario }),
        p.years.map((y) => valueCell(figure, p.scenario, y, onExplain))));
      if (!isReference) {
        const d = view.differences[i - 1];
        group.push(el("tr", { class: "difference" },
          el("th", { scope: "row", class: "scenario-name", title: `${p.scenario} minus ${view.reference}`, "aria-label": `${p.scenario} minus ${view.reference}`, text: "Δ vs reference" }),
          d.years.map((y) => diffCell(figure, p.scenario, y))));
      }
    });
    body.append(...group);
  }
  return el("table", { class: "grid", "aria-label": `Comparison of ${view.scenarios.map((s) => s.scenario).join(", ")}` }, head, body);
}

function valueCell(figure, scenario, year, onExplain) {
  const raw = year[figure.key];
  const text = figure.show(raw);
  const below = figure.key === "reserve_pct" && year.below_policy;
  if (raw === null || raw === undefined) {
    return el("td", { class: "na", text, dataset: { cell: `${scenario}|${year.year}|${figure.key}` } });
  }
  const button = el("button", {
    type: "button",
    class: "figure",
    text: below ? `${text} ⚠` : text,
    dataset: { cell: `${scenario}|${year.year}|${figure.key}`, value: String(raw) },
    "aria-label": `${figure.label}, ${scenario}, ${year.label}: ${text}${below ? ", below the reserve policy" : ""}. Explain`,
    onclick: () => onExplain(scenario, year.year, figure.key),
  });
  return el("td", { class: below ? "below-policy" : "", title: below ? "Below the reserve policy" : null }, button);
}

function diffCell(figure, scenario, year) {
  const raw = year[figure.key];
  const text = figure.diff(raw);
  const direction = raw === null || raw === undefined || !/[1-9]/.test(String(raw)) ? null : String(raw).startsWith("-") ? "down" : "up";
  // Green where the difference is good news for the books, red where it is bad, plain where neither.
  const tone = !direction || !figure.better ? "" : direction === figure.better ? "pos" : "neg";
  return el("td", { class: `diff ${tone}`, text, dataset: { diff: `${scenario}|${year.year}|${figure.key}`, value: String(raw) } });
}
