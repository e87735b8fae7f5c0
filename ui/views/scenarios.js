// The scenario list: which scenarios to compare (2-4) and which is the reference.
import { el, clear, $ } from "../dom.js";

export function renderScenarioList(summary, selection, { onToggle, onFocus }) {
  const list = clear($("#scenario-list"));
  const names = ["baseline", ...summary.scenarios.map((s) => s.name)];
  for (const name of names) {
    const scenario = summary.scenarios.find((s) => s.name === name);
    const id = `pick-${name}`;
    const checked = selection.compared.includes(name);
    list.append(el("li", { class: name === selection.focused ? "focused" : "", dataset: { scenario: name } },
      el("input", { type: "checkbox", id, checked, dataset: { pick: name }, onchange: (e) => onToggle(name, e.target.checked) }),
      el("label", { for: id },
        el("span", { class: "sc-name", text: name }),
        el("span", { class: "sc-desc", text: scenario ? [scenario.parent ? `from ${scenario.parent}` : "", scenario.description].filter(Boolean).join(" · ") : "the package alone: no referendum, lever or override" })),
      el("button", { type: "button", class: "icon", "aria-label": `Select ${name} for renaming, branching or deleting`, text: "›", onclick: () => onFocus(name) })));
  }
}

export function renderReferenceChoice(selection) {
  const select = clear($("#reference"));
  for (const name of selection.compared) select.append(el("option", { value: name, text: name, selected: name === selection.reference }));
}

export function renderEditingChoice(summary, selection) {
  const select = clear($("#editing"));
  for (const name of selection.compared.filter((n) => n !== "baseline")) {
    select.append(el("option", { value: name, text: name, selected: name === selection.editing }));
  }
}
