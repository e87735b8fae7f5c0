// Fulcrum's window: holds what is on screen, wires views to the engine through api.js.
import * as api from "./api.js";
import { $, el, clear, toast, showError } from "./dom.js";
import { renderCompare } from "./views/compare.js";
import { renderAssumptions, renderLevers, renderReferenda, updateEffects } from "./views/editor.js";
import { renderEditingChoice, renderReferenceChoice, renderScenarioList } from "./views/scenarios.js";
import { showExplanation } from "./views/explain.js";
import { enterBoard, inBoard, leaveBoard, moveSlide } from "./views/board.js";
import { wireDataflow } from "./views/dataflow.js";
import { wireDepartments } from "./views/departments.js";
import { openLeverForm, wireLeverForm } from "./views/leverform.js";
import { renderDiff } from "./views/history.js";

const state = {
  summary: null,
  view: null,
  selection: { compared: [], reference: null, editing: null, focused: null },
  tab: "levers",
  waterfallYear: null,
  /** The compared scenario the person chose for the waterfall (null: the last one). */
  waterfallScenario: null,
};

/** Measurements for tools/bench-desktop.sh: read them with WebDriver, nothing else uses them. */
window.fulcrumTimings = { interactiveAt: null, previews: [], commits: [] };

// ---- selection ---------------------------------------------------------------------------

function names() {
  const { compared, reference } = state.selection;
  return [reference, ...compared.filter((n) => n !== reference)];
}

function defaultSelection(summary) {
  const all = summary.scenarios.map((s) => s.name);
  const compared = all.includes("referendum-passes") && all.includes("referendum-fails")
    ? ["referendum-passes", "referendum-fails"]
    : all.length >= 2 ? all.slice(0, 2) : ["baseline", ...all].slice(0, 2);
  return fixSelection(summary, { compared, reference: compared[0], editing: null, focused: compared[0] });
}

/** Keeps the selection valid after scenarios were renamed, deleted or undone. */
function fixSelection(summary, sel) {
  const exists = (n) => n === "baseline" || summary.scenarios.some((s) => s.name === n);
  const compared = sel.compared.filter(exists);
  for (const n of ["baseline", ...summary.scenarios.map((s) => s.name)]) if (compared.length < 2 && !compared.includes(n)) compared.push(n);
  const reference = compared.includes(sel.reference) ? sel.reference : compared[0];
  const editable = compared.filter((n) => n !== "baseline");
  const withLevers = editable.find((n) => n !== reference && summary.scenarios.find((s) => s.name === n)?.levers?.length);
  const editing = editable.includes(sel.editing) ? sel.editing : withLevers ?? editable.find((n) => n !== reference) ?? editable[0] ?? null;
  const focused = exists(sel.focused) ? sel.focused : compared[0];
  return { compared, reference, editing, focused };
}

// ---- rendering ---------------------------------------------------------------------------

function showStart(recent) {
  $("#workbench").hidden = true;
  $("#start").hidden = false;
  document.querySelectorAll("[data-needs-file]").forEach((b) => { b.disabled = true; });
  $("#district-name").textContent = "";
  $("#district-name").title = "";
  const list = clear($("#recent-list"));
  if (!recent.length) list.append(el("li", { class: "hint", text: "None yet." }));
  for (const path of recent) list.append(el("li", {}, el("button", { type: "button", class: "link", text: path, onclick: () => run(() => api.openDistrict(path)).then(adopt) })));
  $("#start-sample").focus();
}

function renderChrome() {
  const s = state.summary;
  $("#start").hidden = true;
  if (!inBoard()) $("#workbench").hidden = false;
  document.querySelectorAll("[data-needs-file]").forEach((b) => { b.disabled = false; });
  $("#btn-undo").disabled = !s.can_undo;
  $("#btn-redo").disabled = !s.can_redo;
  const about = `${s.name} · ${s.years[0].label} budget, projected to ${s.years[s.years.length - 1].label} · ${s.path}`;
  $("#district-name").textContent = about;
  $("#district-name").title = about;
  document.title = `${s.name} — Fulcrum`;
  renderScenarioList(s, state.selection, { onToggle: toggleCompared, onFocus: focusScenario });
  renderReferenceChoice(state.selection);
  renderEditingChoice(s, state.selection);
  const years = s.years.slice(1);
  if (state.waterfallYear === null || state.waterfallYear >= years.length) state.waterfallYear = years.length - 1;
  const wy = clear($("#waterfall-year"));
  years.forEach((y, i) => wy.append(el("option", { value: String(i), text: y.label, selected: i === state.waterfallYear })));
  const others = state.selection.compared.filter((n) => n !== state.selection.reference);
  // A choice the person made stands while that scenario is compared; otherwise the last one.
  if (!others.includes(state.waterfallScenario)) state.waterfallScenario = null;
  const shown = state.waterfallScenario ?? others[others.length - 1];
  const ws = clear($("#waterfall-scenario"));
  for (const n of others) ws.append(el("option", { value: n, text: n, selected: n === shown }));
  $("#waterfall-scenario-label").hidden = others.length < 2;
}

function effectsOf(view, name) {
  const p = view?.scenarios.find((x) => x.scenario === name);
  return Object.fromEntries((p?.levers ?? []).map((l) => [l.id, l.effect]));
}

function renderEditor() {
  const { summary, selection } = state;
  const focusedId = document.activeElement?.id;
  renderLevers(summary, selection.editing, effectsOf(state.view, selection.editing), {
    onPreview: preview, onCommit: commit, onAdd: (name) => openLeverForm(state.summary, name, changed),
  });
  renderReferenda(summary, selection.editing, { onCommit: commit });
  if (state.tab === "assumptions") loadAssumptions();
  if (focusedId && document.getElementById(focusedId)) document.getElementById(focusedId).focus();
}

async function loadAssumptions() {
  const name = state.selection.editing;
  if (!name) return;
  const rows = await run(() => api.scenarioAssumptions(name));
  if (rows && name === state.selection.editing) renderAssumptions(state.summary, name, rows, { onCommit: commit });
}

let renders = 0;
function showView(view) {
  state.view = view;
  const which = view.waterfalls.findIndex((w) => w.scenario === state.waterfallScenario);
  renderCompare(view, state.summary, { onExplain: explain, waterfallYear: state.waterfallYear, waterfallScenario: which < 0 ? view.waterfalls.length - 1 : which });
  document.body.dataset.renders = String(++renders);
}

// ---- actions -----------------------------------------------------------------------------

/** Runs an engine call; a failure is shown and yields undefined. */
async function run(f) {
  try {
    return await f();
  } catch (e) {
    if (e?.code === "cancelled") toast("Cancelled; nothing was written.");
    else showError(e);
    return undefined;
  }
}

async function adopt(summary) {
  if (!summary) return;
  document.dispatchEvent(new Event("fulcrum-district-opened"));
  state.summary = summary;
  state.selection = defaultSelection(summary);
  await refresh();
}

/** Re-reads the comparison for the current selection and redraws everything. */
async function refresh() {
  renderChrome();
  const view = await run(() => api.compareScenarios(names()));
  if (view) showView(view);
  renderEditor();
  if (view && window.fulcrumTimings.interactiveAt === null) {
    window.fulcrumTimings.interactiveAt = performance.now();
    window.fulcrumTimings.interactiveEpochMs = Date.now();
    document.body.dataset.ready = "true";
  }
}

async function changed(summary) {
  if (!summary) return;
  state.summary = summary;
  state.selection = fixSelection(summary, state.selection);
  await refresh();
}

function toggleCompared(name, on) {
  const sel = state.selection;
  if (on && sel.compared.length >= 4) {
    toast("Compare at most 4 scenarios at once.");
  } else if (!on && sel.compared.length <= 2) {
    toast("Compare at least 2 scenarios.");
  } else {
    sel.compared = on ? [...sel.compared, name] : sel.compared.filter((n) => n !== name);
  }
  state.selection = fixSelection(state.summary, sel);
  refresh();
}

function focusScenario(name) {
  state.selection.focused = name;
  renderScenarioList(state.summary, state.selection, { onToggle: toggleCompared, onFocus: focusScenario });
  document.querySelector(`[data-scenario="${CSS.escape(name)}"] button`)?.focus();
}

// Live preview while a slider moves: at most one request in flight, always the latest draft.
let pending = null;
let inflight = null;

function preview(draft) {
  pending = draft;
  if (!inflight) inflight = pump();
}

async function pump() {
  while (pending) {
    const draft = pending;
    pending = null;
    const t0 = performance.now();
    try {
      const view = await api.previewComparison(names(), draft);
      showView(view);
      updateEffects(state.summary, effectsOf(view, state.selection.editing));
      window.fulcrumTimings.previews.push(performance.now() - t0);
    } catch (e) {
      showError(e);
    }
  }
  inflight = null;
}

async function commit(draft) {
  pending = null;
  await inflight;
  const t0 = performance.now();
  const summary = await run(() => api.putScenario(draft));
  if (summary) {
    await changed(summary);
    window.fulcrumTimings.commits.push(performance.now() - t0);
  } else {
    renderEditor();
  }
}

async function explain(scenario, year, figure) {
  const d = await run(() => api.explainFigure(scenario, year, figure));
  if (d) showExplanation(d, scenario);
}

async function openFile() {
  const path = await run(api.chooseDistrictToOpen);
  if (path) adopt(await run(() => api.openDistrict(path)));
}

async function openSample() {
  const path = await run(() => api.chooseWhereToSave("Where to keep the sample district", "lakeshore.fulcrum"));
  if (path) adopt(await run(() => api.createSampleDistrict(path)));
}

async function newFromPackage() {
  const dir = await run(api.choosePackageFolder);
  if (!dir) return;
  const path = await run(() => api.chooseWhereToSave("Save the new district file as", "district.fulcrum"));
  if (!path) return;
  const dialog = $("#import");
  const bar = $("#import-progress");
  const stage = $("#import-stage");
  bar.removeAttribute("value");
  stage.textContent = "Reading and checking the package…";
  dialog.showModal();
  const summary = await run(() => api.newDistrict(path, dir, (step) => {
    if (step.stage === "writing") {
      bar.max = step.total;
      bar.value = step.done;
      stage.textContent = `Writing budget lines: ${step.done.toLocaleString("en-US")} of ${step.total.toLocaleString("en-US")}`;
    } else if (step.stage === "finishing") {
      bar.value = bar.max;
      stage.textContent = "Finishing the file…";
    }
  }));
  dialog.close();
  adopt(summary);
}

async function saveAs() {
  const current = state.summary?.path ?? "district.fulcrum";
  const path = await run(() => api.chooseWhereToSave("Save a copy of the district as", current));
  if (path) {
    const summary = await run(() => api.saveDistrictAs(path));
    if (summary) { toast(`Saved as ${path}; you are now working in the copy.`); changed(summary); }
  }
}

async function history(which) {
  const summary = await run(which === "undo" ? api.undo : api.redo);
  if (summary) { toast(which === "undo" ? "Undone." : "Redone."); changed(summary); }
}

// ---- history and versions ------------------------------------------------------------------

/** The audit log of the focused scenario, newest first; every string goes in as text. */
async function showHistory() {
  const name = state.selection.focused ?? state.selection.editing;
  if (!name || name === "baseline") { toast("Choose a scenario to see its history."); return; }
  const [rows, versions] = await Promise.all([run(() => api.scenarioHistory(name)), run(() => api.scenarioVersions(name))]);
  if (!rows) return;
  $("#history-title").textContent = `History of ${name}`;
  $("#history").dataset.scenario = name;
  const box = clear($("#history-versions"));
  clear($("#history-diff"));
  if (!versions?.length) box.append(el("p", { text: "Not published yet." }));
  for (const v of versions ?? []) {
    box.append(el("p", { dataset: { version: String(v.version) } },
      `Version ${v.version}, published ${v.published_at} by ${v.published_by}${v.note ? ` for ${v.note}` : ""} (sha256 ${v.content_hash.slice(0, 12)}…) `,
      el("button", { type: "button", class: "link", text: "What changed since", onclick: async () => {
        const d = await run(() => api.diffVersions(`${name}@${v.version}`, name));
        if (d) renderDiff(d, state.summary);
      } })));
  }
  clear($("#history-list")).append(...rows.map((r) => el("li", { dataset: { seq: String(r.seq) } },
    el("strong", { text: `${r.action} · ${r.at} · ${r.display_name || r.os_user}` }),
    el("ul", {}, r.lines.map((line) => el("li", { text: line }))))));
  if (!$("#history").open) $("#history").showModal();
}

async function publishFocused() {
  const name = $("#history").dataset.scenario;
  const v = await run(() => api.publishScenario(name, $("#history-note").value.trim()));
  if (v) { $("#history-note").value = ""; toast(`Published ${v.scenario} as version ${v.version}.`); showHistory(); }
}

function ask(title, { value = "", withDescription = false, description = "" } = {}) {
  const dialog = $("#prompt");
  $("#prompt-title").textContent = title;
  $("#prompt-input").value = value;
  $("#prompt-desc").value = description;
  $("#prompt-desc-label").hidden = !withDescription;
  dialog.returnValue = "";
  dialog.showModal();
  $("#prompt-input").select();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok" ? { name: $("#prompt-input").value.trim(), description: $("#prompt-desc").value.trim() } : null), { once: true }));
}

/** Enter in the prompt's fields means OK: the form's first button, which Enter would press, is Cancel. */
function wirePrompt() {
  $("#prompt").addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || !(e.target instanceof HTMLInputElement)) return;
    e.preventDefault();
    if ($("#prompt-input").value.trim()) $("#prompt").close("ok");
  });
}

function confirmDelete(name) {
  const dialog = $("#confirm");
  $("#confirm-title").textContent = `Delete ${name}?`;
  $("#confirm-text").textContent = `The scenario ${name} will be removed from the file. Undo (Ctrl+Z) can bring it back during this session.`;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true }));
}

async function newScenario(parent) {
  const answer = await ask(parent ? `Branch from ${parent}` : "New scenario", { value: parent ? `${parent}-copy` : "", withDescription: true });
  if (!answer?.name) return;
  const scenario = { name: answer.name, description: answer.description };
  if (parent) scenario.parent = parent;
  const summary = await run(() => api.putScenario(scenario));
  if (summary && state.selection.compared.length < 4) state.selection.compared.push(answer.name);
  if (summary) { state.selection.focused = answer.name; changed(summary); }
}

/** Renames the focused scenario and edits its description (each an audited change). */
async function renameFocused() {
  const from = state.selection.focused;
  if (!from || from === "baseline") return toast("Choose a scenario to rename (baseline is built in).");
  const before = state.summary.scenarios.find((s) => s.name === from);
  const answer = await ask(`Rename or describe ${from}`, { value: from, withDescription: true, description: before?.description ?? "" });
  if (!answer?.name) return;
  let summary = null;
  if (answer.name !== from) {
    summary = await run(() => api.renameScenario(from, answer.name));
    if (!summary) return;
    const swap = (n) => (n === from ? answer.name : n);
    const sel = state.selection;
    state.selection = { compared: sel.compared.map(swap), reference: swap(sel.reference), editing: swap(sel.editing), focused: answer.name };
  }
  if (before && answer.description !== (before.description ?? "")) {
    const current = (summary ?? state.summary).scenarios.find((s) => s.name === answer.name);
    summary = (await run(() => api.putScenario({ ...current, description: answer.description }))) ?? summary;
  }
  if (summary) changed(summary);
}

async function deleteFocused() {
  const name = state.selection.focused;
  if (!name || name === "baseline") return toast("Choose a scenario to delete (baseline is built in).");
  if (await confirmDelete(name)) changed(await run(() => api.deleteScenario(name)));
}

function startBoard() {
  if (!state.view) return;
  enterBoard(state.view, {
    onLeave: () => { refresh(); $("#btn-board").focus(); },
    onFullscreen: (on) => api.setFullscreen(on).catch(() => {}),
  });
}

// ---- theme, tabs, keyboard ---------------------------------------------------------------

function setTheme(theme) {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem("fulcrum-theme", theme);
  if (state.view) showView(state.view);
}

function toggleTheme() {
  setTheme(document.documentElement.dataset.theme === "dark" ? "light" : "dark");
}

function selectTab(name) {
  state.tab = name;
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const on = tab.id === `tab-${name}`;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`#${tab.getAttribute("aria-controls")}`).hidden = !on;
  }
  $("#workbench").classList.toggle("wide-editor", name === "assumptions");
  if (name === "assumptions") loadAssumptions();
}

const inTextField = (t) => t instanceof HTMLInputElement && t.type !== "range" && t.type !== "checkbox" || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;

function onKey(e) {
  if (inBoard()) {
    if (["ArrowRight", "PageDown", " "].includes(e.key)) { moveSlide(1); e.preventDefault(); }
    else if (["ArrowLeft", "PageUp"].includes(e.key)) { moveSlide(-1); e.preventDefault(); }
    else if (e.key === "Home") moveSlide(-99);
    else if (e.key === "End") moveSlide(99);
    else if (e.key === "Escape") { leaveBoard(); e.preventDefault(); }
    return;
  }
  if (document.querySelector("dialog[open]")) return;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && key === "o") { e.preventDefault(); openFile(); }
  else if (mod && key === "n") { e.preventDefault(); newFromPackage(); }
  else if (mod && key === "s" && state.summary) { e.preventDefault(); saveAs(); }
  else if (mod && key === "b" && state.summary) { e.preventDefault(); startBoard(); }
  else if (mod && e.shiftKey && key === "l") { e.preventDefault(); toggleTheme(); }
  else if (mod && !inTextField(e.target) && state.summary && ((key === "z" && e.shiftKey) || key === "y")) { e.preventDefault(); history("redo"); }
  else if (mod && !inTextField(e.target) && state.summary && key === "z") { e.preventDefault(); history("undo"); }
  else if (e.key === "?" && !inTextField(e.target)) { e.preventDefault(); $("#shortcuts").showModal(); }
}

function wire() {
  $("#btn-open").addEventListener("click", openFile);
  $("#btn-new").addEventListener("click", newFromPackage);
  $("#btn-save").addEventListener("click", saveAs);
  $("#btn-undo").addEventListener("click", () => history("undo"));
  $("#btn-redo").addEventListener("click", () => history("redo"));
  $("#btn-history").addEventListener("click", showHistory);
  $("#history-publish").addEventListener("click", publishFocused);
  $("#history-note").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); publishFocused(); } });
  $("#btn-board").addEventListener("click", startBoard);
  $("#btn-theme").addEventListener("click", toggleTheme);
  $("#btn-keys").addEventListener("click", () => $("#shortcuts").showModal());
  $("#board-exit").addEventListener("click", leaveBoard);
  $("#start-sample").addEventListener("click", openSample);
  $("#start-open").addEventListener("click", openFile);
  $("#start-new").addEventListener("click", newFromPackage);
  $("#import-cancel").addEventListener("click", () => { $("#import-stage").textContent = "Cancelling…"; api.cancelImport(); });
  $("#sc-new").addEventListener("click", () => newScenario(null));
  $("#sc-branch").addEventListener("click", () => newScenario(state.selection.focused));
  $("#sc-rename").addEventListener("click", renameFocused);
  $("#sc-delete").addEventListener("click", deleteFocused);
  $("#reference").addEventListener("change", (e) => { state.selection.reference = e.target.value; state.selection = fixSelection(state.summary, state.selection); refresh(); });
  $("#editing").addEventListener("change", (e) => { state.selection.editing = e.target.value; renderEditor(); });
  $("#waterfall-year").addEventListener("change", (e) => { state.waterfallYear = Number(e.target.value); if (state.view) showView(state.view); });
  $("#waterfall-scenario").addEventListener("change", (e) => { state.waterfallScenario = e.target.value; if (state.view) showView(state.view); });
  const tabs = ["levers", "referenda", "assumptions"];
  for (const name of tabs) $(`#tab-${name}`).addEventListener("click", () => selectTab(name));
  $(".tabs").addEventListener("keydown", (e) => {
    const i = tabs.indexOf(state.tab);
    const next = e.key === "ArrowRight" ? (i + 1) % tabs.length : e.key === "ArrowLeft" ? (i + tabs.length - 1) % tabs.length : -1;
    if (next >= 0) { selectTab(tabs[next]); $(`#tab-${tabs[next]}`).focus(); e.preventDefault(); }
  });
  wireDataflow({ run, names, onLoaded: async () => adopt(await run(api.currentDistrict)) });
  wireDepartments({ run, summary: () => state.summary, editing: () => state.selection.editing, onAccepted: changed });
  wireLeverForm();
  wirePrompt();
  document.addEventListener("keydown", onKey);
}

async function start() {
  const saved = localStorage.getItem("fulcrum-theme");
  document.documentElement.dataset.theme = saved ?? (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
  wire();
  let summary = null;
  try {
    summary = await api.currentDistrict();
  } catch (e) {
    showError(e);
  }
  if (summary) await adopt(summary);
  else showStart((await run(api.recentFiles)) ?? []);
}

start();
