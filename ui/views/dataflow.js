// Loading an adopted budget, exporting the comparison, and the board packet.
// Every path comes from a dialog the app runs; the engine does the work and says what it did.

import * as api from "../api.js";
import { $, el, clear, toast } from "../dom.js";
import { money, signedMoney } from "../format.js";

const form = { package: null, gl: null, mapping: null, control: null };

function show(id, path) {
  $(id).textContent = path ?? "";
}

/** The import report: what was read and made, the tie-out, every problem with its place. */
function renderReport(report) {
  const box = clear($("#load-report"));
  const verdict = report.written
    ? `Loaded: ${report.rows_read.toLocaleString("en-US")} rows read, ${report.lines_made.toLocaleString("en-US")} budget lines made${report.base_year ? `, base year ${report.base_year}` : ""}.`
    : `Refused: ${report.errors.length} error(s). The district file is unchanged.`;
  box.append(el("p", { class: report.written ? "ok" : "bad", text: verdict }));
  if (report.backup) box.append(el("p", { class: "hint", text: `Backup of the file before: ${report.backup}` }));
  if (report.tieout) {
    const rows = report.tieout.rows;
    if (rows.length) {
      box.append(el("table", { class: "tieout" },
        el("thead", {}, el("tr", {}, ...["fund", "side", "loaded", "control", "difference"].map((h) => el("th", { text: h })))),
        el("tbody", {}, ...rows.map((r) => el("tr", { class: r.ties ? undefined : "bad" },
          el("td", { text: r.fund }), el("td", { text: r.side }),
          el("td", { class: "num", text: money(r.loaded) }),
          el("td", { class: "num", text: r.control === null ? "not given" : money(r.control) }),
          el("td", { class: "num", text: signedMoney(r.difference) }))))));
    }
  }
  const problems = [...report.errors.map((p) => ["error", p]), ...report.warnings.map((p) => ["warning", p])];
  if (problems.length) {
    box.append(el("ul", { class: "problems" }, ...problems.map(([kind, p]) =>
      el("li", { class: kind, text: `${p.file}${p.row ? `, row ${p.row}` : ""}${p.column ? `, column ${p.column}` : ""}: ${p.code} ${p.message}` }))));
  }
  for (const n of report.notices) box.append(el("p", { class: "hint", text: `${n.scenario}: ${n.item} — ${n.action === "parked" ? "no longer applies, set aside" : "kept, changes nothing"} (${n.reason})` }));
}

/** Wires the toolbar's Load budget…, Export… and Board packet… buttons. */
export function wireDataflow({ run, names, onLoaded }) {
  $("#btn-load").addEventListener("click", () => {
    clear($("#load-report"));
    $("#load").showModal();
  });
  const pick = (key, outId, chooser) => async () => {
    const path = await run(chooser);
    if (path) { form[key] = path; show(outId, path); }
  };
  $("#load-folder").addEventListener("click", pick("package", "#load-package", api.choosePackageFolder));
  $("#load-workbook").addEventListener("click", pick("package", "#load-package", () => api.chooseImportFile("workbook")));
  $("#load-gl").addEventListener("click", pick("gl", "#load-gl-path", () => api.chooseImportFile("gl")));
  $("#load-mapping").addEventListener("click", pick("mapping", "#load-mapping-path", () => api.chooseImportFile("mapping")));
  $("#load-control").addEventListener("click", pick("control", "#load-control-path", () => api.chooseImportFile("control")));
  // Enter in the mapping name must not press the form's first button (Close).
  $("#load-saved-mapping").addEventListener("keydown", (e) => { if (e.key === "Enter") e.preventDefault(); });
  $("#load-run").addEventListener("click", async () => {
    if (!form.package) { toast("Choose the package folder or workbook first.", "error"); return; }
    const rollForward = $("#load-roll").checked;
    let target = null;
    if (!rollForward) {
      target = await run(() => api.chooseWhereToSave("Save the new district file as", "district.fulcrum"));
      if (!target) return;
    }
    const saved = $("#load-saved-mapping").value.trim();
    const report = await run(() => api.importBudget({
      target, package: form.package, gl: form.gl, mapping: form.mapping,
      savedMapping: saved === "" ? null : saved, control: form.control, rollForward,
    }));
    if (!report) return;
    renderReport(report);
    if (report.written) onLoaded();
  });

  $("#btn-export").addEventListener("click", () => $("#export").showModal());
  const exporting = (defaultName, write) => async () => {
    const path = await run(() => api.chooseExportPath(defaultName));
    if (!path) return;
    const written = await run(() => write(path));
    if (written) toast(`Wrote the ${written.what} to ${written.path}.`);
  };
  $("#export-xlsx").addEventListener("click", exporting("comparison.xlsx", (path) => api.exportComparison(names(), path)));
  $("#export-csv").addEventListener("click", exporting("comparison.csv", (path) => api.exportComparison(names(), path)));
  $("#export-package").addEventListener("click", exporting("package.xlsx", (path) => api.exportPackage(path)));
  $("#btn-packet").addEventListener("click", async () => {
    const path = await run(() => api.chooseExportPath("board-packet.pdf"));
    if (!path) return;
    const written = await run(() => api.boardPacket(names(), path));
    if (written) toast(`Wrote the ${written.what} to ${written.path}.`);
  });
}
