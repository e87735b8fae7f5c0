// The editor panel: a scenario's levers (live while a slider moves), its referenda
// and its assumptions by year. Edits build a new scenario object of strings; the
// engine validates and computes everything.
import { el, clear, $ } from "../dom.js";
import { money, signedMoney } from "../format.js";

const UNITS = { percent: "%", fte: "FTE", amount: "$" };
const PERCENT_KEYS = new Set(["salary_increase_pct", "benefit_growth_pct", "inflation_pct", "referendum_aid_share_pct"]);

const clone = (x) => structuredClone(x);

/** A scenario's levers with those it inherits, nearest definition first (the engine merges the same way). */
export function leversOf(summary, name) {
  const byName = new Map(summary.scenarios.map((s) => [s.name, s]));
  const seen = new Set();
  const out = [];
  for (let s = byName.get(name), depth = 0; s && depth < 32; s = byName.get(s.parent), depth++) {
    for (const lever of s.levers ?? []) {
      if (!seen.has(lever.id)) {
        seen.add(lever.id);
        out.push({ lever, from: s.name });
      }
    }
  }
  return out;
}

/** The scenario with one lever set to `value` (an inherited lever becomes the scenario's own). */
export function withLever(scenario, lever, value) {
  const draft = clone(scenario);
  draft.levers = draft.levers ?? [];
  const own = draft.levers.find((l) => l.id === lever.id);
  if (own) own.value = value;
  else draft.levers.push({ ...clone(lever), value });
  return draft;
}

function yearLabel(summary, year) {
  return summary.years.find((y) => y.year === year)?.label ?? String(year);
}

function leverUnit(lever) {
  if (lever.type === "assumption") return PERCENT_KEYS.has(lever.key) ? "%" : "";
  return UNITS[lever.type] ?? "";
}

function describe(summary, lever) {
  const when = lever.recurring ? `from ${yearLabel(summary, lever.start_year)} on` : `in ${yearLabel(summary, lever.start_year)} only`;
  const what = { percent: "percent of matched lines", fte: `positions at ${money(lever.cost_per_fte)} each`, amount: `dollars a year${lever.indexed ? ", indexed" : ""}`, assumption: `sets ${lever.key}` }[lever.type];
  return `${what}, ${when}`;
}

/**
 * Renders the levers of `name`. `effects` maps lever id → {year: "cents"} from the engine.
 * `onPreview(draft)` is called while a slider moves, `onCommit(draft)` when it is released.
 */
export function renderLevers(summary, name, effects, { onPreview, onCommit, onAdd }) {
  const pane = clear($("#pane-levers"));
  const scenario = summary.scenarios.find((s) => s.name === name);
  const levers = scenario ? leversOf(summary, name) : [];
  if (!scenario) {
    pane.append(el("p", { class: "hint", text: "Choose a scenario to edit." }));
    return;
  }
  const inherited = new Set(scenario.parent ? leversOf(summary, scenario.parent).map(({ lever }) => lever.id) : []);
  if (!levers.length) pane.append(el("p", { class: "hint", text: "This scenario has no levers yet." }));
  for (const { lever, from } of levers) {
    const id = `lever-${lever.id}`;
    const unit = leverUnit(lever);
    const range = el("input", {
      type: "range", id, min: lever.min, max: lever.max, step: lever.step, value: lever.value,
      "aria-describedby": `${id}-desc`, "aria-valuetext": `${lever.value} ${unit}`, dataset: { lever: lever.id },
    });
    const typed = el("input", {
      type: "text", inputmode: "decimal", class: "lever-value", value: lever.value, size: "7",
      "aria-label": `${lever.name}, exact value${unit ? ` in ${unit}` : ""}`, dataset: { leverValue: lever.id },
    });
    const effectList = el("ul", { class: "effects", "aria-label": `${lever.name}: effect on the operating surplus by year`, dataset: { effects: lever.id } });
    fillEffects(effectList, summary, effects?.[lever.id]);
    range.addEventListener("input", () => {
      typed.value = range.value;
      range.setAttribute("aria-valuetext", `${range.value} ${unit}`);
      onPreview(withLever(scenario, lever, range.value));
    });
    range.addEventListener("change", () => onCommit(withLever(scenario, lever, range.value)));
    typed.addEventListener("change", () => onCommit(withLever(scenario, lever, typed.value.trim())));
    pane.append(el("div", { class: "lever", dataset: { leverId: lever.id } },
      el("div", { class: "lever-head" },
        el("label", { for: id, text: lever.name }),
        el("span", { class: "lever-input" }, typed, el("span", { class: "unit", text: unit }))),
      range,
      el("div", { class: "lever-range", "aria-hidden": "true" }, el("span", { text: `${lever.min}` }), el("span", { text: `${lever.max}` })),
      el("p", { class: "hint", id: `${id}-desc`, text: describe(summary, lever) + (from !== name ? ` · inherited from ${from}` : "") }),
      effectList,
      from === name ? el("button", {
        type: "button", class: "link", dataset: { removeLever: lever.id },
        text: inherited.has(lever.id) ? "Use the inherited setting" : "Remove lever",
        onclick: () => onCommit(withoutLever(scenario, lever.id)),
      }) : null));
  }
  pane.append(el("button", { type: "button", id: "add-lever", text: "+ Lever", onclick: () => onAdd(name) }));
}

/** The scenario without its own setting of lever `id` (an inherited one then shows through). */
function withoutLever(scenario, id) {
  const draft = clone(scenario);
  draft.levers = (draft.levers ?? []).filter((l) => l.id !== id);
  return draft;
}

function fillEffects(list, summary, effect) {
  clear(list);
  if (!effect) return;
  for (const [year, cents] of Object.entries(effect)) {
    list.append(el("li", {}, el("span", { text: yearLabel(summary, Number(year)) }), el("span", { class: cents.startsWith("-") ? "neg" : "pos", text: signedMoney(cents) })));
  }
}

/** Refreshes the per-year effects under each slider without rebuilding the sliders. */
export function updateEffects(summary, effects) {
  for (const list of document.querySelectorAll("#pane-levers [data-effects]")) {
    fillEffects(list, summary, effects?.[list.dataset.effects]);
  }
}

/** The referendum schedule of `name`, edited as a form; Save commits it. */
export function renderReferenda(summary, name, { onCommit }) {
  const pane = clear($("#pane-referenda"));
  const scenario = summary.scenarios.find((s) => s.name === name);
  if (!scenario) return;
  const draft = clone(scenario);
  draft.referenda = draft.referenda ?? [];
  const years = summary.years.slice(1);
  const list = el("div", { class: "referenda" });
  const redraw = () => {
    clear(list);
    draft.referenda.forEach((r, ri) => {
      const rows = r.schedule.map((row, si) => el("li", {},
        el("select", { "aria-label": `${r.name}: year`, onchange: (e) => { row.year = Number(e.target.value); } },
          years.map((y) => el("option", { value: String(y.year), text: y.label, selected: y.year === row.year }))),
        el("input", { type: "text", inputmode: "decimal", value: row.amount, "aria-label": `${r.name}: amount in ${yearLabel(summary, row.year)}`, onchange: (e) => { row.amount = e.target.value.trim(); } }),
        el("button", { type: "button", class: "icon", "aria-label": `Remove ${yearLabel(summary, row.year)} from ${r.name}`, text: "×", onclick: () => { r.schedule.splice(si, 1); redraw(); } })));
      list.append(el("fieldset", { class: "referendum" },
        el("legend", {}, el("input", { type: "text", value: r.name, "aria-label": "Referendum name", onchange: (e) => { r.name = e.target.value.trim(); } })),
        el("label", {}, "Kind ", el("select", { onchange: (e) => { r.kind = e.target.value; } },
          el("option", { value: "recurring", text: "Recurring (stays in the base)", selected: r.kind === "recurring" }),
          el("option", { value: "nonrecurring", text: "Non-recurring (that year only)", selected: r.kind === "nonrecurring" }))),
        el("ul", { class: "schedule" }, rows),
        el("div", { class: "row-actions" },
          el("button", { type: "button", text: "+ Year", onclick: () => { r.schedule.push({ year: years[0].year, amount: "0" }); redraw(); } }),
          el("button", { type: "button", class: "danger", text: "Remove referendum", onclick: () => { draft.referenda.splice(ri, 1); redraw(); } }))));
    });
    if (!draft.referenda.length) list.append(el("p", { class: "hint", text: "No referendum in this scenario (inherited ones still apply)." }));
  };
  redraw();
  pane.append(list, el("div", { class: "row-actions" },
    el("button", { type: "button", text: "+ Referendum", onclick: () => { draft.referenda.push({ name: "operating referendum", kind: "recurring", schedule: [{ year: years[0].year, amount: "0" }] }); redraw(); } }),
    el("button", { type: "button", class: "primary", text: "Save referenda", onclick: () => onCommit(draft) })));
}

/** The assumptions table of `name`: every key by year, each cell saying where its value came from. */
export function renderAssumptions(summary, name, rows, { onCommit }) {
  const pane = clear($("#pane-assumptions"));
  const scenario = summary.scenarios.find((s) => s.name === name);
  if (!scenario || !rows) return;
  const years = rows[0].years;
  const table = el("table", { class: "assumptions", "aria-label": `Assumptions of ${name} by year` },
    el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Key" }), years.map((y) => el("th", { scope: "col", text: y.label })))),
    el("tbody", {}, rows.map((row) => el("tr", {},
      el("th", { scope: "row", text: row.key.replaceAll("_", " ") }),
      row.years.map((cell) => el("td", { class: cell.source === "assumptions.csv" ? "" : "set-here", title: `Set by ${cell.source}` },
        el("input", {
          type: "text", inputmode: "decimal", value: cell.value, size: "9",
          "aria-label": `${row.key} in ${cell.label} (${row.unit}), set by ${cell.source}`,
          onchange: (e) => onCommit(withAssumption(scenario, cell.year, row.key, e.target.value.trim())),
        })))))));
  pane.append(el("p", { class: "hint", text: "Highlighted cells are set by this scenario or a lever; the rest come from the package. A change is saved when you leave the cell." }), el("div", { class: "table-wrap" }, table));
}

function withAssumption(scenario, year, key, value) {
  const draft = clone(scenario);
  draft.assumptions = draft.assumptions ?? [];
  const own = draft.assumptions.find((a) => a.year === year && a.key === key);
  if (own) own.value = value;
  else draft.assumptions.push({ year, key, value });
  return draft;
}
