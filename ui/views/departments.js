// Department projections: the template a director fills in, the review of their draft
// against a scenario, and accepting it. Every path comes from a dialog the app runs; the
// engine reads, checks and prices the draft, and writes it through its one door.

import * as api from "../api.js";
import { $, el, clear, toast } from "../dom.js";
import { money, signedMoney } from "../format.js";

let draftPath = null;
let departmentsLoaded = false;

function fillScenarios(summary, editing) {
  const select = clear($("#dept-scenario"));
  for (const s of summary.scenarios) select.append(el("option", { value: s.name, text: s.name, selected: s.name === editing }));
}

async function fillDepartments(run) {
  if (departmentsLoaded) return;
  const list = await run(api.departments);
  if (!list) return;
  const select = clear($("#dept-department"));
  for (const kind of ["central", "school", "districtwide"]) {
    const group = el("optgroup", { label: { central: "Central office", school: "Schools", districtwide: "Districtwide" }[kind] });
    for (const d of list.filter((x) => x.kind === kind)) group.append(el("option", { value: d.code, text: `${d.code} — ${d.name}` }));
    if (group.children.length) select.append(group);
  }
  departmentsLoaded = true;
}

/** The review: each amount that would be set, and what it does to the surplus. */
function renderReview(review) {
  const box = clear($("#dept-review"));
  const accept = $("#dept-accept");
  accept.disabled = review.items.length === 0;
  accept.textContent = `Accept into ${review.scenario}`;
  if (review.items.length === 0) {
    box.append(el("p", { class: "ok", text: `Every amount in ${review.file} is as ${review.scenario} projects it (${review.unchanged_lines} lines): nothing to accept.` }));
    return;
  }
  const lines = new Set(review.items.map((i) => i.line)).size;
  box.append(el("p", { text: `${review.file}: ${review.items.length} amounts on ${lines} line(s) of ${review.departments.join(", ")} would be set in ${review.scenario}; ${review.unchanged_lines} line(s) are as projected.` }));
  box.append(el("table", { class: "tieout", "aria-label": "Amounts the draft would set" },
    el("thead", {}, el("tr", {}, ...["line", "description", "year", "projected now", "director's draft", "change"].map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, ...review.items.map((i) => el("tr", { dataset: { item: `${i.line}|${i.year}` } },
      el("td", { class: "mono", text: i.line }), el("td", { text: i.description }), el("td", { text: i.label }),
      el("td", { class: "num", text: money(i.current) }), el("td", { class: "num", text: money(i.proposed) }),
      el("td", { class: "num", text: signedMoney(i.change) }))))));
  box.append(el("table", { class: "tieout", "aria-label": "Effect on the scenario" },
    el("thead", {}, el("tr", {}, el("th", { text: "" }), ...review.surplus_change.map((c) => el("th", { scope: "col", text: c.label })))),
    el("tbody", {},
      el("tr", {}, el("th", { scope: "row", text: "Surplus change" }), ...review.surplus_change.map((c) => el("td", { class: "num", dataset: { surplus: String(c.year) }, text: signedMoney(c.change) }))),
      el("tr", {}, el("th", { scope: "row", text: "Fund balance change" }), ...review.fund_balance_change.map((c) => el("td", { class: "num", text: signedMoney(c.change) }))))));
}

function renderProblems(e) {
  const box = clear($("#dept-review"));
  $("#dept-accept").disabled = true;
  const problems = e?.code === "invalid_input" ? e.message.split("\n").slice(1).map((s) => s.trim()).filter(Boolean) : [e?.message ?? String(e)];
  box.append(el("p", { class: "bad", text: "The draft cannot be accepted as it is. Nothing was written." }));
  box.append(el("ul", { class: "problems" }, ...problems.map((p) => el("li", { class: "error", text: p }))));
}

async function reviewDraft() {
  if (!draftPath) return;
  try {
    renderReview(await api.reviewDepartmentDraft($("#dept-scenario").value, draftPath));
  } catch (e) {
    renderProblems(e);
  }
}

/** Wires the toolbar's Department projections… button and its dialog. */
export function wireDepartments({ run, summary, editing, onAccepted }) {
  $("#btn-departments").addEventListener("click", async () => {
    fillScenarios(summary(), editing());
    await fillDepartments(run);
    if (!draftPath) clear($("#dept-review"));
    $("#dept-accept").disabled = true;
    $("#departments").showModal();
    if (draftPath) reviewDraft();
  });
  $("#dept-scenario").addEventListener("change", reviewDraft);
  $("#dept-template").addEventListener("click", async () => {
    const department = $("#dept-department").value;
    if (!department) { toast("Choose a department first.", "error"); return; }
    const path = await run(() => api.chooseExportPath(`${department}-projection.xlsx`));
    if (!path) return;
    const written = await run(() => api.saveDepartmentTemplate($("#dept-scenario").value, department, path));
    if (written) toast(`Wrote the ${written.what} to ${written.path}.`);
  });
  $("#dept-open").addEventListener("click", async () => {
    const path = await run(() => api.chooseImportFile("draft"));
    if (!path) return;
    draftPath = path;
    $("#dept-path").textContent = path;
    await reviewDraft();
  });
  $("#dept-accept").addEventListener("click", async () => {
    const scenario = $("#dept-scenario").value;
    const accepted = await run(() => api.acceptDepartmentDraft(scenario, draftPath));
    if (!accepted) return;
    toast(`Accepted the draft into ${scenario}. Ctrl+Z takes it back.`);
    $("#dept-accept").disabled = true;
    await onAccepted(accepted);
    await reviewDraft();
  });
  // A different district has different departments.
  document.addEventListener("fulcrum-district-opened", () => { departmentsLoaded = false; draftPath = null; $("#dept-path").textContent = ""; });
}
