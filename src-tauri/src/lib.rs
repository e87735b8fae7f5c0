//! Fulcrum's desktop shell: thin Tauri commands over the engine, and nothing else.
//!
//! Architecture invariant: every command is a one-to-five-line adapter over a
//! `fulcrum` function; the numbers, checks and history all live in the engine.
//! Errors reach the UI as `{code, message}`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

mod check;

use fulcrum::audit::Entry;
use fulcrum::compare::compare;
use fulcrum::dataflow::{run_import, ImportChoice, ImportReport, ImportRequest};
use fulcrum::department::Review;
use fulcrum::handout::{self, Written};
use fulcrum::versions::{ScenarioDiff, Version};
use fulcrum::explain::{explain, Derivation};
use fulcrum::scenario::{Resolved, Scenario};
use fulcrum::store::Step;
use fulcrum::view::{assumption_table, AssumptionRow, ComparisonView};
use fulcrum::workspace::{Summary, Workspace};
use serde::Serialize;
use tauri::ipc::{Channel, Invoke};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;

/// An error as the UI receives it: a stable code from a closed set, and a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UiError {
    pub code: &'static str,
    pub message: String,
}

impl From<fulcrum::Error> for UiError {
    fn from(e: fulcrum::Error) -> Self {
        UiError { code: e.code(), message: e.to_string() }
    }
}

impl UiError {
    fn no_district() -> UiError {
        UiError { code: "no_district", message: "no district file is open".into() }
    }
}

type Reply<T> = Result<T, UiError>;

/// What the app holds between commands: the open district, and the import's cancel flag.
pub struct Session {
    workspace: Mutex<Option<Workspace>>,
    cancel: Arc<AtomicBool>,
    /// Where the recent-files list is kept.
    recent: PathBuf,
    /// Why the file named on the command line could not be opened, told once.
    startup_error: Mutex<Option<UiError>>,
    /// The paths the person chose in a file dialog (or named on the command line):
    /// the only paths a command accepts from the UI.
    chosen: Mutex<HashSet<PathBuf>>,
    /// Where each committed change is announced (the `district-changed` event).
    notify: Arc<Mutex<Option<Box<dyn Fn(&Entry) + Send>>>>,
}

/// What the `district-changed` event carries.
#[derive(Clone, Serialize)]
struct Changed {
    seq: i64,
    action: String,
    scenario: Option<String>,
}

impl Session {
    /// A session with `file` open if given (a failure is kept for the UI to show).
    pub fn new(file: Option<&Path>, recent: PathBuf) -> Session {
        let (workspace, error) = match file.map(Workspace::open) {
            Some(Ok(ws)) => (Some(ws), None),
            Some(Err(e)) => (None, Some(UiError::from(e))),
            None => (None, None),
        };
        let chosen = file.map(|f| HashSet::from([f.to_path_buf()])).unwrap_or_default();
        let session = Session {
            workspace: Mutex::new(None),
            cancel: Arc::default(),
            recent,
            startup_error: Mutex::new(error),
            chosen: Mutex::new(chosen),
            notify: Arc::default(),
        };
        if let Some(ws) = workspace {
            session.install(ws);
        }
        session
    }

    /// Accepts `path` for the commands that take one: the shell calls this with a file
    /// dialog's result; tests call it in place of a person choosing.
    pub fn grant(&self, path: &Path) {
        self.chosen.lock().unwrap_or_else(|p| p.into_inner()).insert(path.to_path_buf());
    }

    /// A path from the UI, accepted only if a dialog returned it, it was named on the
    /// command line, or it is in the recent-files list.
    fn chosen(&self, path: &Path) -> Reply<PathBuf> {
        check::path(path)?;
        let granted = self.chosen.lock().unwrap_or_else(|p| p.into_inner()).contains(path)
            || fulcrum::recent::load(&self.recent).iter().any(|r| r == path);
        if granted {
            Ok(path.to_path_buf())
        } else {
            Err(UiError { code: "path_not_chosen", message: format!("{} was not chosen in a file dialog; choose it with Open or Save", path.display()) })
        }
    }

    /// Makes `ws` the open district and wires its changes to the event.
    fn install(&self, mut ws: Workspace) -> Summary {
        let notify = self.notify.clone();
        ws.set_listener(Some(Box::new(move |e: &Entry| {
            if let Some(f) = notify.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
                f(e);
            }
        })));
        let summary = ws.summary();
        *self.workspace.lock().unwrap_or_else(|p| p.into_inner()) = Some(ws);
        summary
    }

    /// Runs `f` on the open district.
    fn with<T>(&self, f: impl FnOnce(&mut Workspace) -> fulcrum::Result<T>) -> Reply<T> {
        let mut guard = self.workspace.lock().unwrap_or_else(|p| p.into_inner());
        Ok(f(guard.as_mut().ok_or_else(UiError::no_district)?)?)
    }

    /// Makes `ws` the open district, remembers it as recent, and describes it.
    fn adopt(&self, ws: Workspace) -> Summary {
        let _ = fulcrum::recent::remember(&self.recent, ws.path());
        self.install(ws)
    }
}

#[tauri::command]
fn current_district(session: State<Session>) -> Reply<Option<Summary>> {
    if let Some(e) = session.startup_error.lock().unwrap_or_else(|p| p.into_inner()).take() {
        return Err(e);
    }
    Ok(session.workspace.lock().unwrap_or_else(|p| p.into_inner()).as_ref().map(Workspace::summary))
}

#[tauri::command]
fn open_district(path: PathBuf, session: State<Session>) -> Reply<Summary> {
    let path = session.chosen(&path)?;
    Ok(session.adopt(Workspace::open(&path)?))
}

/// Builds a district file from a package folder, reporting progress on `progress`.
#[tauri::command]
async fn new_district(path: PathBuf, package_dir: PathBuf, progress: Channel<Step>, session: State<'_, Session>) -> Reply<Summary> {
    let (path, package_dir) = (session.chosen(&path)?, session.chosen(&package_dir)?);
    session.cancel.store(false, Ordering::SeqCst);
    let cancel = session.cancel.clone();
    let build = move || Workspace::create_with(&path, &package_dir, true, &mut |step| progress.send(step).is_ok() && !cancel.load(Ordering::SeqCst));
    let ws = tauri::async_runtime::spawn_blocking(build).await.map_err(|e| UiError { code: "internal", message: e.to_string() })??;
    Ok(session.adopt(ws))
}

#[tauri::command]
fn cancel_import(session: State<Session>) {
    session.cancel.store(true, Ordering::SeqCst);
}

#[tauri::command]
async fn create_sample_district(path: PathBuf, session: State<'_, Session>) -> Reply<Summary> {
    let path = session.chosen(&path)?;
    Ok(session.adopt(Workspace::create_sample(&path, true)?))
}

#[tauri::command]
fn save_district_as(path: PathBuf, session: State<Session>) -> Reply<Summary> {
    let path = session.chosen(&path)?;
    let summary = session.with(|ws| ws.save_as(&path).map(|()| ws.summary()))?;
    let _ = fulcrum::recent::remember(&session.recent, &path);
    Ok(summary)
}

#[tauri::command]
fn recent_files(session: State<Session>) -> Vec<PathBuf> {
    fulcrum::recent::load(&session.recent)
}

#[tauri::command]
fn put_scenario(scenario: Scenario, session: State<Session>) -> Reply<Summary> {
    check::scenario(&scenario)?;
    session.with(|ws| ws.put_scenario(scenario).map(|()| ws.summary()))
}

#[tauri::command]
fn delete_scenario(name: String, session: State<Session>) -> Reply<Summary> {
    check::name(&name)?;
    session.with(|ws| ws.delete_scenario(&name).map(|()| ws.summary()))
}

#[tauri::command]
fn rename_scenario(from: String, to: String, session: State<Session>) -> Reply<Summary> {
    check::name(&from)?;
    check::name(&to)?;
    session.with(|ws| ws.rename_scenario(&from, &to).map(|()| ws.summary()))
}

#[tauri::command]
fn undo(session: State<Session>) -> Reply<Summary> {
    session.with(|ws| ws.undo().map(|()| ws.summary()))
}

#[tauri::command]
fn redo(session: State<Session>) -> Reply<Summary> {
    session.with(|ws| ws.redo().map(|()| ws.summary()))
}

/// Compares stored scenarios; the first is the reference.
#[tauri::command]
async fn compare_scenarios(names: Vec<String>, session: State<'_, Session>) -> Reply<ComparisonView> {
    check::names(&names)?;
    session.with(|ws| {
        let resolved = names.iter().map(|n| ws.resolve(n)).collect::<fulcrum::Result<Vec<Resolved>>>()?;
        Ok(ComparisonView::of(&compare(ws.model(), &resolved)?, ws.model().package().district.reserve_policy_pct))
    })
}

/// Compares as if `draft` were stored, writing nothing: the live view while a slider moves.
#[tauri::command]
async fn preview_comparison(names: Vec<String>, draft: Scenario, session: State<'_, Session>) -> Reply<ComparisonView> {
    check::names(&names)?;
    check::scenario(&draft)?;
    session.with(|ws| {
        let resolved = names.iter().map(|n| ws.resolve_draft(&draft, n)).collect::<fulcrum::Result<Vec<Resolved>>>()?;
        Ok(ComparisonView::of(&compare(ws.model(), &resolved)?, ws.model().package().district.reserve_policy_pct))
    })
}

#[tauri::command]
async fn explain_figure(scenario: String, year: i32, figure: String, session: State<'_, Session>) -> Reply<Derivation> {
    check::name(&scenario)?;
    check::year(year)?;
    check::figure(&figure)?;
    session.with(|ws| {
        let resolved = ws.resolve(&scenario)?;
        explain(ws.model(), &resolved, &ws.model().project(&resolved)?, year, &figure)
    })
}

#[tauri::command]
async fn scenario_assumptions(scenario: String, session: State<'_, Session>) -> Reply<Vec<AssumptionRow>> {
    check::name(&scenario)?;
    session.with(|ws| Ok(assumption_table(&ws.project(&scenario)?)))
}

/// Board briefing fills the screen; the window, not the web page, goes full screen.
#[tauri::command]
fn set_fullscreen<R: Runtime>(on: bool, window: tauri::Window<R>) -> Reply<()> {
    window.set_fullscreen(on).map_err(|e| UiError { code: "window", message: e.to_string() })
}

/// One audit entry as the history panel shows it.
#[derive(Serialize)]
struct HistoryRow {
    #[serde(flatten)]
    entry: Entry,
    lines: Vec<String>,
}

/// The audit entries that changed or published a scenario, newest first.
#[tauri::command]
async fn scenario_history(name: String, session: State<'_, Session>) -> Reply<Vec<HistoryRow>> {
    check::name(&name)?;
    session.with(|ws| {
        let mut rows: Vec<HistoryRow> =
            ws.scenario_history(&name)?.into_iter().map(|e| HistoryRow { lines: fulcrum::audit::describe(&e), entry: e }).collect();
        rows.reverse();
        Ok(rows)
    })
}

#[tauri::command]
fn publish_scenario(name: String, note: String, session: State<Session>) -> Reply<Version> {
    check::name(&name)?;
    check::text("note", &note, 500)?;
    session.with(|ws| ws.publish(&name, &note))
}

#[tauri::command]
fn scenario_versions(name: String, session: State<Session>) -> Reply<Vec<Version>> {
    check::name(&name)?;
    session.with(|ws| ws.versions(&name))
}

/// Diffs two versions or scenarios (`name`, `name@N`, `baseline`).
#[tauri::command]
async fn diff_versions(from: String, to: String, session: State<'_, Session>) -> Reply<ScenarioDiff> {
    check::version_ref(&from)?;
    check::version_ref(&to)?;
    session.with(|ws| ws.diff(&from, &to))
}

#[tauri::command]
fn set_display_name(name: String, session: State<Session>) -> Reply<Summary> {
    check::text("display name", &name, 80)?;
    session.with(|ws| ws.set_display_name(&name).map(|()| ws.summary()))
}

/// The system file dialogs, run here so that the path they return is the one a command
/// may later accept (the UI never makes up a path).
#[tauri::command]
async fn choose_district_to_open<R: Runtime>(app: AppHandle<R>, session: State<'_, Session>) -> Reply<Option<PathBuf>> {
    let picked = app.dialog().file().set_title("Open a district file").add_filter("Fulcrum district", &["fulcrum"]).blocking_pick_file();
    Ok(granted(&session, picked.and_then(|p| p.into_path().ok())))
}

#[tauri::command]
async fn choose_package_folder<R: Runtime>(app: AppHandle<R>, session: State<'_, Session>) -> Reply<Option<PathBuf>> {
    let picked = app.dialog().file().set_title("Choose a district package folder").blocking_pick_folder();
    Ok(granted(&session, picked.and_then(|p| p.into_path().ok())))
}

#[tauri::command]
async fn choose_where_to_save<R: Runtime>(title: String, default_name: String, app: AppHandle<R>, session: State<'_, Session>) -> Reply<Option<PathBuf>> {
    check::text("title", &title, 120)?;
    check::file_name(&default_name)?;
    let picked = app.dialog().file().set_title(&title).set_file_name(&default_name).add_filter("Fulcrum district", &["fulcrum"]).blocking_save_file();
    Ok(granted(&session, picked.and_then(|p| p.into_path().ok())))
}

fn granted(session: &Session, path: Option<PathBuf>) -> Option<PathBuf> {
    if let Some(p) = &path {
        session.grant(p);
    }
    path
}

/// Everything an import needs from the person, each path chosen in a dialog.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ImportForm {
    /// The new file; empty when rolling forward into the open one.
    target: Option<PathBuf>,
    package: PathBuf,
    gl: Option<PathBuf>,
    mapping: Option<PathBuf>,
    saved_mapping: Option<String>,
    control: Option<PathBuf>,
    roll_forward: bool,
}

/// Loads an adopted budget: into the open file as its new base year (roll forward), or
/// into a new file. Nothing is written unless the whole import is clean; the report says
/// what was read and made, and every problem.
#[tauri::command]
async fn import_budget(form: ImportForm, session: State<'_, Session>) -> Reply<ImportReport> {
    let opt = |p: Option<PathBuf>| p.map(|p| session.chosen(&p)).transpose();
    let choice = ImportChoice {
        package: session.chosen(&form.package)?,
        gl: opt(form.gl)?,
        mapping: opt(form.mapping)?,
        saved_mapping: form.saved_mapping.map(|n| check::name(&n).map(|()| n)).transpose()?,
        control: opt(form.control)?,
        roll_forward: form.roll_forward,
        force: false,
    };
    let open = session.with(|ws| Ok(ws.path().to_path_buf())).ok();
    let target = match (form.roll_forward, form.target, &open) {
        (true, _, Some(path)) => path.clone(),
        (false, Some(t), _) => session.chosen(&t)?,
        _ => return Err(check::bad("choose the open district to roll forward, or where to save a new one".into())),
    };
    let request = ImportRequest::from_choice(target.clone(), choice, fulcrum::audit::now_stamp())?;
    // The open file is let go while it is replaced, then whichever file now holds the
    // district is opened again (the new one, or the old one if the import was refused).
    let previous = session.workspace.lock().unwrap_or_else(|p| p.into_inner()).take();
    drop(previous);
    let report = run_import(&request);
    let reopen = if report.written { Some(target) } else { open };
    if let Some(path) = reopen {
        session.adopt(Workspace::open(&path)?);
    }
    Ok(report)
}

/// A file to read for an import, of one of the kinds an import takes.
#[tauri::command]
async fn choose_import_file<R: Runtime>(kind: String, app: AppHandle<R>, session: State<'_, Session>) -> Reply<Option<PathBuf>> {
    let (title, filter, extensions): (&str, &str, &[&str]) = match kind.as_str() {
        "workbook" => ("Choose the package workbook", "Excel workbook", &["xlsx"]),
        "gl" => ("Choose the general-ledger export", "CSV or Excel", &["csv", "txt", "xlsx"]),
        "mapping" => ("Choose the column mapping", "Mapping (JSON)", &["json"]),
        "control" => ("Choose the control totals (fund, revenue, expense)", "CSV or Excel", &["csv", "txt", "xlsx"]),
        "draft" => ("Choose a director's department projection", "CSV or Excel", &["csv", "txt", "xlsx"]),
        other => return Err(check::bad(format!("{other:?} is not a kind of import file"))),
    };
    let picked = app.dialog().file().set_title(title).add_filter(filter, extensions).blocking_pick_file();
    Ok(granted(&session, picked.and_then(|p| p.into_path().ok())))
}

/// Where to write an export or a board packet (`.xlsx`, `.csv` or `.pdf`).
#[tauri::command]
async fn choose_export_path<R: Runtime>(default_name: String, app: AppHandle<R>, session: State<'_, Session>) -> Reply<Option<PathBuf>> {
    check::file_name(&default_name)?;
    let (filter, extensions): (&str, &[&str]) = match Path::new(&default_name).extension().and_then(|e| e.to_str()) {
        Some("pdf") => ("PDF", &["pdf"]),
        Some("xlsx") => ("Excel workbook", &["xlsx"]),
        Some("csv") => ("CSV", &["csv"]),
        _ => return Err(check::bad(format!("{default_name:?} must end in .pdf, .xlsx or .csv"))),
    };
    let picked = app.dialog().file().set_title("Export to").set_file_name(&default_name).add_filter(filter, extensions).blocking_save_file();
    Ok(granted(&session, picked.and_then(|p| p.into_path().ok())))
}

/// The compared scenarios to a spreadsheet (`.xlsx`) or CSV.
#[tauri::command]
async fn export_comparison(names: Vec<String>, path: PathBuf, session: State<'_, Session>) -> Reply<Written> {
    names.iter().try_for_each(|n| check::name(n))?;
    let path = session.chosen(&path)?;
    session.with(|ws| handout::export_comparison(ws, &names, &path))
}

/// The board packet PDF of the compared scenarios, dated today.
#[tauri::command]
async fn board_packet(names: Vec<String>, path: PathBuf, session: State<'_, Session>) -> Reply<Written> {
    names.iter().try_for_each(|n| check::name(n))?;
    let path = session.chosen(&path)?;
    let today = fulcrum::audit::now_stamp()[..10].to_string();
    session.with(|ws| handout::write_board_packet(ws, &names, &today, &path))
}

/// The package back out, as one workbook.
#[tauri::command]
async fn export_package(path: PathBuf, session: State<'_, Session>) -> Reply<Written> {
    let path = session.chosen(&path)?;
    session.with(|ws| handout::export_package(ws, &path))
}

/// A department as the department-projections dialog lists it.
#[derive(Serialize)]
struct DepartmentName {
    code: String,
    name: String,
    kind: String,
}

#[tauri::command]
fn departments(session: State<Session>) -> Reply<Vec<DepartmentName>> {
    session.with(|ws| {
        Ok(ws.model().package().departments.iter().map(|d| DepartmentName { code: d.code.clone(), name: d.name.clone(), kind: d.kind.as_str().into() }).collect())
    })
}

/// A department's lines under a scenario, for its director to fill in (`.xlsx` or `.csv`).
#[tauri::command]
async fn save_department_template(scenario: String, department: String, path: PathBuf, session: State<'_, Session>) -> Reply<Written> {
    check::name(&scenario)?;
    check::text("department", &department, 40)?;
    let path = session.chosen(&path)?;
    session.with(|ws| handout::department_template(ws, &scenario, &department, &path))
}

/// What accepting a director's draft into the scenario would change; writes nothing.
#[tauri::command]
async fn review_department_draft(scenario: String, path: PathBuf, session: State<'_, Session>) -> Reply<Review> {
    check::name(&scenario)?;
    let path = session.chosen(&path)?;
    session.with(|ws| ws.review_draft(&scenario, &path))
}

/// Accepts the draft at `path` into the scenario: read and reviewed again, then written
/// as overrides through the one door.
#[tauri::command]
fn accept_department_draft(scenario: String, path: PathBuf, session: State<Session>) -> Reply<Summary> {
    check::name(&scenario)?;
    let path = session.chosen(&path)?;
    session.with(|ws| {
        let review = ws.review_draft(&scenario, &path)?;
        ws.accept_draft(&scenario, &review).map(|()| ws.summary())
    })
}

/// The command table, shared by the app and the command-layer tests.
pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        current_district,
        open_district,
        new_district,
        cancel_import,
        create_sample_district,
        save_district_as,
        recent_files,
        put_scenario,
        delete_scenario,
        rename_scenario,
        undo,
        redo,
        compare_scenarios,
        preview_comparison,
        explain_figure,
        scenario_assumptions,
        set_fullscreen,
        scenario_history,
        publish_scenario,
        scenario_versions,
        diff_versions,
        set_display_name,
        choose_district_to_open,
        choose_package_folder,
        choose_where_to_save,
        import_budget,
        choose_import_file,
        choose_export_path,
        export_comparison,
        board_packet,
        export_package,
        departments,
        save_department_template,
        review_department_draft,
        accept_department_draft,
    ]
}

/// Starts the app, with `file` open when one is given.
pub fn run(file: Option<PathBuf>) {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let recent = app.path().app_config_dir()?.join("recent.json");
            let session = Session::new(file.as_deref(), recent);
            let handle = app.handle().clone();
            *session.notify.lock().unwrap_or_else(|p| p.into_inner()) = Some(Box::new(move |e: &Entry| {
                let _ = handle.emit("district-changed", Changed { seq: e.seq, action: e.action.clone(), scenario: e.scenario.clone() });
            }));
            app.manage(session);
            Ok(())
        })
        .invoke_handler(handler())
        .run(tauri::generate_context!())
        .expect("the Fulcrum window could not be started");
}
