// The one place the UI talks to the app. Views call these functions and never Tauri itself.
// Every failure arrives as {code, message} (see src-tauri/src/lib.rs, UiError).

const tauri = window.__TAURI__;

function call(command, args = {}) {
  if (!tauri) {
    return Promise.reject({ code: "no_shell", message: "Fulcrum's window is not running inside the desktop app." });
  }
  return tauri.core.invoke(command, args).catch((e) => {
    throw typeof e === "object" && e && "code" in e ? e : { code: "internal", message: String(e) };
  });
}

/** The open district's summary, or null at first start. */
export const currentDistrict = () => call("current_district");
export const openDistrict = (path) => call("open_district", { path });
export const createSampleDistrict = (path) => call("create_sample_district", { path });
export const saveDistrictAs = (path) => call("save_district_as", { path });
export const recentFiles = () => call("recent_files");

/** Builds a district from a package folder; `onStep` gets {stage, done, total} as it goes. */
export function newDistrict(path, packageDir, onStep) {
  const progress = new tauri.core.Channel();
  progress.onmessage = onStep;
  return call("new_district", { path, packageDir, progress });
}
export const cancelImport = () => call("cancel_import");

export const putScenario = (scenario) => call("put_scenario", { scenario });
export const deleteScenario = (name) => call("delete_scenario", { name });
export const renameScenario = (from, to) => call("rename_scenario", { from, to });
export const undo = () => call("undo");
export const redo = () => call("redo");

/** Compares stored scenarios; `names[0]` is the reference. */
export const compareScenarios = (names) => call("compare_scenarios", { names });
/** Compares as if `draft` were stored, writing nothing. */
export const previewComparison = (names, draft) => call("preview_comparison", { names, draft });
export const explainFigure = (scenario, year, figure) => call("explain_figure", { scenario, year, figure });
export const scenarioAssumptions = (scenario) => call("scenario_assumptions", { scenario });

/** Board briefing: the whole window goes full screen. */
export const setFullscreen = (on) => call("set_fullscreen", { on });

// File dialogs: they run inside the app, which then accepts the chosen path (and no other).
export const chooseDistrictToOpen = () => call("choose_district_to_open");
export const choosePackageFolder = () => call("choose_package_folder");
export const chooseWhereToSave = (title, defaultName) => call("choose_where_to_save", { title, defaultName });

// Versions and history.
export const scenarioHistory = (name) => call("scenario_history", { name });
export const publishScenario = (name, note) => call("publish_scenario", { name, note });
export const scenarioVersions = (name) => call("scenario_versions", { name });
export const diffVersions = (from, to) => call("diff_versions", { from, to });
export const setDisplayName = (name) => call("set_display_name", { name });

// The annual data flow: imports, exports and the board packet.
/** `kind` is "workbook", "gl", "mapping", "control" or "draft" (a director's department projection). */
export const chooseImportFile = (kind) => call("choose_import_file", { kind });
/** `defaultName` ends in .xlsx, .csv or .pdf, which sets the dialog's filter. */
export const chooseExportPath = (defaultName) => call("choose_export_path", { defaultName });
/** `form`: {target, package, gl, mapping, savedMapping, control, rollForward}; resolves to the import report. */
export const importBudget = (form) => call("import_budget", { form });
export const exportComparison = (names, path) => call("export_comparison", { names, path });
export const boardPacket = (names, path) => call("board_packet", { names, path });
export const exportPackage = (path) => call("export_package", { path });

// Department projections: a director's template, the review of their draft, accepting it.
export const departments = () => call("departments");
export const saveDepartmentTemplate = (scenario, department, path) => call("save_department_template", { scenario, department, path });
export const reviewDepartmentDraft = (scenario, path) => call("review_department_draft", { scenario, path });
export const acceptDepartmentDraft = (scenario, path) => call("accept_department_draft", { scenario, path });
