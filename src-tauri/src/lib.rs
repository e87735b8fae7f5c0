//! Fulcrum's desktop shell: thin Tauri commands over the engine, and nothing else.
//!
//! Architecture invariant: every command is a one-to-five-line adapter over a
//! `fulcrum` function; the numbers, checks and history all live in the engine.
//! Errors reach the UI as `{code, message}`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use fulcrum::compare::compare;
use fulcrum::explain::{explain, Derivation};
use fulcrum::scenario::{Resolved, Scenario};
use fulcrum::store::Step;
use fulcrum::view::{assumption_table, AssumptionRow, ComparisonView};
use fulcrum::workspace::{Summary, Workspace};
use serde::Serialize;
use tauri::ipc::{Channel, Invoke};
use tauri::{Manager, Runtime, State};

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
}

impl Session {
    /// A session with `file` open if given (a failure is kept for the UI to show).
    pub fn new(file: Option<&Path>, recent: PathBuf) -> Session {
        let (workspace, error) = match file.map(Workspace::open) {
            Some(Ok(ws)) => (Some(ws), None),
            Some(Err(e)) => (None, Some(UiError::from(e))),
            None => (None, None),
        };
        Session { workspace: Mutex::new(workspace), cancel: Arc::default(), recent, startup_error: Mutex::new(error) }
    }

    /// Runs `f` on the open district.
    fn with<T>(&self, f: impl FnOnce(&mut Workspace) -> fulcrum::Result<T>) -> Reply<T> {
        let mut guard = self.workspace.lock().unwrap_or_else(|p| p.into_inner());
        Ok(f(guard.as_mut().ok_or_else(UiError::no_district)?)?)
    }

    /// Makes `ws` the open district, remembers it as recent, and describes it.
    fn adopt(&self, ws: Workspace) -> Summary {
        let _ = fulcrum::recent::remember(&self.recent, ws.path());
        let summary = ws.summary();
        *self.workspace.lock().unwrap_or_else(|p| p.into_inner()) = Some(ws);
        summary
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
    Ok(session.adopt(Workspace::open(&path)?))
}

/// Builds a district file from a package folder, reporting progress on `progress`.
#[tauri::command]
async fn new_district(path: PathBuf, package_dir: PathBuf, progress: Channel<Step>, session: State<'_, Session>) -> Reply<Summary> {
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
    Ok(session.adopt(Workspace::create_sample(&path, true)?))
}

#[tauri::command]
fn save_district_as(path: PathBuf, session: State<Session>) -> Reply<Summary> {
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
    session.with(|ws| ws.put_scenario(scenario).map(|()| ws.summary()))
}

#[tauri::command]
fn delete_scenario(name: String, session: State<Session>) -> Reply<Summary> {
    session.with(|ws| ws.delete_scenario(&name).map(|()| ws.summary()))
}

#[tauri::command]
fn rename_scenario(from: String, to: String, session: State<Session>) -> Reply<Summary> {
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
    session.with(|ws| {
        let resolved = names.iter().map(|n| ws.resolve(n)).collect::<fulcrum::Result<Vec<Resolved>>>()?;
        Ok(ComparisonView::of(&compare(ws.model(), &resolved)?, ws.model().package().district.reserve_policy_pct))
    })
}

/// Compares as if `draft` were stored, writing nothing: the live view while a slider moves.
#[tauri::command]
async fn preview_comparison(names: Vec<String>, draft: Scenario, session: State<'_, Session>) -> Reply<ComparisonView> {
    session.with(|ws| {
        let resolved = names.iter().map(|n| ws.resolve_draft(&draft, n)).collect::<fulcrum::Result<Vec<Resolved>>>()?;
        Ok(ComparisonView::of(&compare(ws.model(), &resolved)?, ws.model().package().district.reserve_policy_pct))
    })
}

#[tauri::command]
async fn explain_figure(scenario: String, year: i32, figure: String, session: State<'_, Session>) -> Reply<Derivation> {
    session.with(|ws| {
        let resolved = ws.resolve(&scenario)?;
        explain(ws.model(), &resolved, &ws.model().project(&resolved)?, year, &figure)
    })
}

#[tauri::command]
async fn scenario_assumptions(scenario: String, session: State<'_, Session>) -> Reply<Vec<AssumptionRow>> {
    session.with(|ws| Ok(assumption_table(&ws.project(&scenario)?)))
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
    ]
}

/// Starts the app, with `file` open when one is given.
pub fn run(file: Option<PathBuf>) {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let recent = app.path().app_config_dir()?.join("recent.json");
            app.manage(Session::new(file.as_deref(), recent));
            Ok(())
        })
        .invoke_handler(handler())
        .run(tauri::generate_context!())
        .expect("the Fulcrum window could not be started");
}
