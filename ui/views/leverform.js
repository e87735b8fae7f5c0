// Adding a lever to a scenario: a form of the four lever types of MODEL.md §7. The form
// only gathers strings; the engine checks the lever (range, grid, filter, fund,
// department) when the scenario is written, and its message is shown here if it refuses.
import * as api from "../api.js";
import { $, el, clear } from "../dom.js";
import { leversOf } from "./editor.js";

const KEYS = ["membership", "salary_increase_pct", "benefit_growth_pct", "inflation_pct", "per_pupil_adjustment", "low_revenue_ceiling",
  "general_aid", "referendum_aid_share_pct", "equalized_value", "levy_outside_limit", "exemption_recurring", "exemption_nonrecurring"];

/** Starting settings for each type, a finance officer's usual first guess. */
const DEFAULTS = {
  percent: { value: "-5", min: "-40", max: "0", step: "1", recurring: true },
  fte: { value: "-10", min: "-200", max: "50", step: "1", recurring: true },
  amount: { value: "-1000000.00", min: "-10000000.00", max: "10000000.00", step: "10000.00", recurring: true },
  assumption: { value: "0", min: "0", max: "5", step: "0.25", recurring: false },
};

let context = null;

const list = (text) => text.split(",").map((s) => s.trim()).filter(Boolean);

/** A lever id from its name, unique among the levers the scenario sees. */
function idFor(name, taken) {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "lever";
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

function showType(type) {
  for (const box of document.querySelectorAll("#lever-form [data-type]")) box.hidden = box.dataset.type !== type;
  const d = DEFAULTS[type];
  for (const k of ["value", "min", "max", "step"]) $(`#lf-${k}`).value = d[k];
  $("#lf-recurring").checked = d.recurring;
}

function leverFromForm() {
  const type = $("#lf-type").value;
  const name = $("#lf-name").value.trim();
  const taken = new Set(leversOf(context.summary, context.scenario).map(({ lever }) => lever.id));
  const lever = {
    id: idFor(name, taken), name, type,
    value: $("#lf-value").value.trim(), min: $("#lf-min").value.trim(), max: $("#lf-max").value.trim(), step: $("#lf-step").value.trim(),
    start_year: Number($("#lf-start").value), recurring: $("#lf-recurring").checked,
  };
  if (type === "percent") {
    const filter = {};
    if ($("#lf-kind").value) filter.kind = $("#lf-kind").value;
    const kinds = [...document.querySelectorAll("#lever-form input[name=lf-dkind]:checked")].map((c) => c.value);
    if (kinds.length) filter.department_kinds = kinds;
    for (const [field, id] of [["funds", "#lf-funds"], ["departments", "#lf-departments"], ["locations", "#lf-locations"], ["codes", "#lf-codes"]]) {
      const values = list($(id).value);
      if (values.length) filter[field] = values;
    }
    if ($("#lf-function").value.trim()) filter.function_prefix = $("#lf-function").value.trim();
    lever.filter = filter;
  } else if (type === "fte") {
    Object.assign(lever, { cost_per_fte: $("#lf-cost").value.trim(), fund: $("#lf-fte-fund").value.trim(), department: $("#lf-fte-dept").value });
  } else if (type === "amount") {
    Object.assign(lever, { kind: $("#lf-amount-kind").value, fund: $("#lf-amount-fund").value.trim(), department: $("#lf-amount-dept").value, indexed: $("#lf-indexed").checked });
  } else {
    lever.key = $("#lf-key").value;
  }
  return lever;
}

async function fillDepartments() {
  const departments = await api.departments();
  for (const id of ["#lf-fte-dept", "#lf-amount-dept"]) {
    const select = clear($(id));
    for (const d of departments) select.append(el("option", { value: d.code, text: `${d.code} — ${d.name}` }));
  }
}

/** Opens the form to add a lever to `scenario`; `onSaved(summary)` once the engine has written it. */
export async function openLeverForm(summary, scenario, onSaved) {
  context = { summary, scenario, onSaved };
  $("#lf-scenario").textContent = `A new lever of ${scenario}. You can move it with its slider once it is added.`;
  $("#lf-error").textContent = "";
  $("#lf-name").value = "";
  const start = clear($("#lf-start"));
  for (const y of summary.years.slice(1)) start.append(el("option", { value: String(y.year), text: y.label }));
  try {
    await fillDepartments();
  } catch (e) {
    $("#lf-error").textContent = e.message ?? String(e);
  }
  showType($("#lf-type").value);
  $("#lever-dialog").showModal();
  $("#lf-name").focus();
}

export function wireLeverForm() {
  const keys = $("#lf-key");
  for (const k of KEYS) keys.append(el("option", { value: k, text: k.replaceAll("_", " ") }));
  $("#lf-type").addEventListener("change", (e) => showType(e.target.value));
  $("#lever-form").addEventListener("input", () => { $("#lf-error").textContent = ""; });
  // Enter in a field adds the lever (the form's first button is Cancel).
  $("#lever-form").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target instanceof HTMLInputElement) {
      e.preventDefault();
      $("#lf-add").click();
    }
  });
  $("#lf-add").addEventListener("click", async () => {
    if (!$("#lf-name").value.trim()) { $("#lf-error").textContent = "Give the lever a name."; $("#lf-name").focus(); return; }
    const scenario = context.summary.scenarios.find((s) => s.name === context.scenario);
    const draft = structuredClone(scenario);
    draft.levers = [...(draft.levers ?? []), leverFromForm()];
    try {
      const summary = await api.putScenario(draft);
      $("#lever-dialog").close();
      await context.onSaved(summary);
    } catch (e) {
      // The engine's refusal, as it wrote it (the scenario is unchanged).
      $("#lf-error").textContent = e.message ?? String(e);
    }
  });
}
