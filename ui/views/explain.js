// The derivation of one figure, as the engine explains it: formula, working, source, inputs.
import { el, clear, $ } from "../dom.js";

function node(d, depth) {
  const head = el("div", { class: "d-head" },
    el("span", { class: "d-label", text: d.label }),
    el("span", { class: "d-value", text: d.display }));
  const body = [
    d.formula ? el("div", { class: "d-formula" }, el("span", { class: "k", text: "formula " }), el("code", { text: d.formula })) : null,
    d.working ? el("div", { class: "d-working" }, el("span", { class: "k", text: "working " }), el("code", { text: d.working })) : null,
    d.source ? el("div", { class: "d-source", text: `source: ${d.source}` }) : null,
  ];
  if (!d.inputs?.length) return el("div", { class: "d-leaf" }, head, body);
  return el("details", { open: depth < 1 },
    el("summary", {}, head),
    body,
    el("div", { class: "d-inputs" }, d.inputs.map((i) => node(i, depth + 1))));
}

export function showExplanation(derivation, scenario) {
  $("#explain-title").textContent = `${derivation.label} — ${scenario}`;
  clear($("#explain-body")).append(node(derivation, 0));
  $("#explain").showModal();
}
