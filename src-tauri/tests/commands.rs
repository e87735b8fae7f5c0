//! The command layer under Tauri's mock runtime: each command reaches the engine
//! and answers what the engine answers, errors as `{code, message}`.

use std::path::Path;

use fulcrum::workspace::Workspace;
use fulcrum_desktop::{handler, Session};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

struct App {
    _app: tauri::App<tauri::test::MockRuntime>,
    window: WebviewWindow<tauri::test::MockRuntime>,
    dir: tempfile::TempDir,
}

fn app_with(file: Option<&Path>, dir: tempfile::TempDir) -> App {
    let app = mock_builder()
        .manage(Session::new(file, dir.path().join("config/recent.json")))
        .invoke_handler(handler())
        .build(tauri::generate_context!())
        .expect("mock app");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("mock window");
    App { _app: app, window, dir }
}

/// An app with the sample district open, as `fulcrum-desktop FILE` starts.
fn sample_app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lakeshore.fulcrum");
    Workspace::create_sample(&file, false).unwrap();
    app_with(Some(&file), dir)
}

impl App {
    fn file(&self) -> std::path::PathBuf {
        self.dir.path().join("lakeshore.fulcrum")
    }

    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request).map(|body| body.deserialize::<Value>().expect("a JSON reply"))
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// What choosing `path` in a file dialog does: the app then accepts it.
    fn choose(&self, path: &Path) {
        tauri::Manager::state::<Session>(&self._app).grant(path);
    }

    fn err(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).expect_err(&format!("{cmd} should fail"))
    }
}

#[test]
fn current_district_describes_the_file_given_on_the_command_line() {
    let app = sample_app();
    let summary = app.ok("current_district", json!({}));
    assert_eq!(summary["path"], json!(app.file()), "the startup file is the open district");
    assert_eq!(summary["years"][1]["label"].as_str().unwrap().len(), 7, "years are labelled like 2025-26");
    assert!(summary["scenarios"].as_array().unwrap().iter().any(|s| s["name"] == "referendum-fails"));
}

#[test]
fn with_no_file_there_is_no_district_and_editing_says_so() {
    let app = app_with(None, tempfile::tempdir().unwrap());
    assert_eq!(app.ok("current_district", json!({})), Value::Null, "first start: the UI offers the sample");
    let e = app.err("compare_scenarios", json!({"names": ["a", "b"]}));
    assert_eq!(e["code"], "no_district");
}

#[test]
fn a_file_that_cannot_be_opened_at_startup_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("notes.fulcrum");
    std::fs::write(&bad, "not a database").unwrap();
    let app = app_with(Some(&bad), dir);
    assert_eq!(app.err("current_district", json!({}))["code"], "not_fulcrum");
    assert_eq!(app.ok("current_district", json!({})), Value::Null, "told once, then the start screen");
}

#[test]
fn compare_returns_the_engines_figures_and_differences() {
    let app = sample_app();
    let view = app.ok("compare_scenarios", json!({"names": ["referendum-passes", "referendum-fails"]}));
    let ws = Workspace::open(&app.file()).unwrap();
    let passes = ws.project("referendum-passes").unwrap();
    let fails = ws.project("referendum-fails").unwrap();
    let last = passes.years.len() - 1;
    let cents = |c: i64| fulcrum::money::cents_str(c);
    assert_eq!(view["reference"], "referendum-passes", "the first name is the reference");
    assert_eq!(view["scenarios"][1]["years"][last]["fund_balance"], json!(cents(fails.years[last].fund_balance)));
    assert_eq!(
        view["differences"][0]["years"][last]["fund_balance"],
        json!(cents(fails.years[last].fund_balance - passes.years[last].fund_balance)),
        "the difference is the scenario minus the reference, in cents"
    );
    assert!(view["waterfalls"][0]["steps"].as_array().unwrap().len() >= 2, "levers and the referendum each contribute");
}

#[test]
fn a_preview_changes_the_figures_but_writes_nothing() {
    let app = sample_app();
    let ws = Workspace::open(&app.file()).unwrap();
    let mut draft = ws.scenario("referendum-fails").unwrap().clone();
    let lever = draft.levers.iter_mut().find(|l| l.id == "cut-central").expect("the sample cuts central office");
    lever.value = lever.min;
    let preview = app.ok("preview_comparison", json!({"names": ["referendum-passes", "referendum-fails"], "draft": draft}));
    let expected = ws.model().project(&ws.resolve_draft(&draft, "referendum-fails").unwrap()).unwrap();
    let last = expected.years.len() - 1;
    assert_eq!(preview["scenarios"][1]["years"][last]["surplus"], json!(fulcrum::money::cents_str(expected.years[last].surplus)));
    let stored = app.ok("current_district", json!({}));
    assert_eq!(stored["can_undo"], false, "a preview is not a change");
    assert_eq!(Workspace::open(&app.file()).unwrap().scenarios(), ws.scenarios(), "nothing was written");
}

#[test]
fn a_lever_outside_its_range_is_refused_with_a_code_and_a_message() {
    let app = sample_app();
    let ws = Workspace::open(&app.file()).unwrap();
    let mut s = ws.scenario("referendum-fails").unwrap().clone();
    s.levers[0].value = s.levers[0].max + s.levers[0].step;
    let e = app.err("put_scenario", json!({"scenario": s}));
    assert_eq!(e["code"], "invalid_input");
    assert!(e["message"].as_str().unwrap().contains(&s.levers[0].id), "the message names the lever: {e}");
}

#[test]
fn put_then_undo_then_redo_round_trips_through_the_file() {
    let app = sample_app();
    let summary = app.ok("put_scenario", json!({"scenario": {"name": "lean", "parent": "referendum-passes", "description": "Leaner"}}));
    assert_eq!(summary["can_undo"], true);
    assert!(Workspace::open(&app.file()).unwrap().scenario("lean").is_some(), "written at once");
    let undone = app.ok("undo", json!({}));
    assert!(!undone["scenarios"].as_array().unwrap().iter().any(|s| s["name"] == "lean"));
    assert_eq!(undone["can_redo"], true);
    let redone = app.ok("redo", json!({}));
    assert!(redone["scenarios"].as_array().unwrap().iter().any(|s| s["name"] == "lean"));
    assert_eq!(app.err("redo", json!({}))["code"], "nothing_to_undo", "nothing left to redo");
}

#[test]
fn rename_and_delete_go_through_the_engine() {
    let app = sample_app();
    let renamed = app.ok("rename_scenario", json!({"from": "referendum-fails", "to": "fails-with-cuts"}));
    assert!(renamed["scenarios"].as_array().unwrap().iter().any(|s| s["name"] == "fails-with-cuts"));
    let e = app.err("delete_scenario", json!({"name": "referendum-passes"}));
    assert_eq!(e["code"], "usage", "passes-lean inherits from it, so it is refused: {e}");
    let after = app.ok("delete_scenario", json!({"name": "passes-lean"}));
    assert!(!after["scenarios"].as_array().unwrap().iter().any(|s| s["name"] == "passes-lean"), "a leaf scenario can go");
}

#[test]
fn explain_returns_the_engines_derivation() {
    let app = sample_app();
    let d = app.ok("explain_figure", json!({"scenario": "referendum-passes", "year": 2026, "figure": "tax_per_100k"}));
    assert_eq!(d["figure"], "tax_per_100k");
    assert!(d["formula"].as_str().is_some() && !d["inputs"].as_array().unwrap().is_empty(), "{d}");
    let e = app.err("explain_figure", json!({"scenario": "nope", "year": 2026, "figure": "tax_per_100k"}));
    assert_eq!(e["code"], "unknown_scenario");
}

#[test]
fn assumptions_show_every_key_for_every_projection_year() {
    let app = sample_app();
    let rows = app.ok("scenario_assumptions", json!({"scenario": "referendum-fails"}));
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 12, "MODEL.md §5 has 12 keys");
    let summary = app.ok("current_district", json!({}));
    assert_eq!(rows[0]["years"].as_array().unwrap().len() as u64, summary["horizon"].as_u64().unwrap());
}

#[test]
fn save_as_carries_on_in_the_copy_and_lists_it_as_recent() {
    let app = sample_app();
    let copy = app.dir.path().join("copy.fulcrum");
    app.choose(&copy);
    let summary = app.ok("save_district_as", json!({"path": copy}));
    assert_eq!(summary["path"], json!(copy));
    let recent = app.ok("recent_files", json!({}));
    assert_eq!(recent[0], json!(copy), "the copy is the most recent file");
}

#[test]
fn opening_a_file_makes_it_current_and_recent() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.fulcrum");
    Workspace::create_sample(&file, false).unwrap();
    let app = app_with(None, dir);
    assert_eq!(app.err("open_district", json!({"path": file}))["code"], "path_not_chosen", "a path the person did not choose is refused");
    app.choose(&file);
    let summary = app.ok("open_district", json!({"path": file}));
    assert_eq!(summary["path"], json!(file));
    assert_eq!(app.ok("recent_files", json!({}))[0], json!(file));
    let missing = app.dir.path().join("missing.fulcrum");
    app.choose(&missing);
    assert_eq!(app.err("open_district", json!({"path": missing}))["code"], "io");
    assert_eq!(app.err("open_district", json!({"path": "relative.fulcrum"}))["code"], "invalid_input");
}

#[test]
fn a_new_district_from_a_package_reports_progress_and_opens() {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("package");
    std::fs::create_dir_all(&package).unwrap();
    fulcrum::generate::write_sample_district(&package).unwrap();
    let target = dir.path().join("new.fulcrum");
    let app = app_with(None, dir);
    app.choose(&target);
    assert_eq!(app.err("new_district", json!({"path": target, "packageDir": package, "progress": "__CHANNEL__:7"}))["code"], "path_not_chosen");
    app.choose(&package);
    let summary = app.ok("new_district", json!({"path": target, "packageDir": package, "progress": "__CHANNEL__:7"}));
    assert_eq!(summary["path"], json!(target));
    assert!(target.exists());
}

#[test]
fn a_cancelled_import_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("package");
    std::fs::create_dir_all(&package).unwrap();
    fulcrum::generate::generate_package(20_000, 7, &package).unwrap();
    let target = dir.path().join("big.fulcrum");
    let app = app_with(None, dir);
    app.choose(&target);
    app.choose(&app.dir.path().join("package"));
    // Cancel from a second thread while the import runs, as the Cancel button does.
    let canceller = {
        let window = app.window.clone();
        std::thread::spawn(move || {
            for _ in 0..200 {
                std::thread::sleep(std::time::Duration::from_millis(5));
                let request = InvokeRequest {
                    cmd: "cancel_import".into(),
                    callback: CallbackFn(0),
                    error: CallbackFn(1),
                    url: "tauri://localhost".parse().unwrap(),
                    body: InvokeBody::Json(json!({})),
                    headers: Default::default(),
                    invoke_key: INVOKE_KEY.to_string(),
                };
                let _ = get_ipc_response(&window, request);
            }
        })
    };
    let e = app.err("new_district", json!({"path": target, "packageDir": app.dir.path().join("package"), "progress": "__CHANNEL__:7"}));
    canceller.join().unwrap();
    assert_eq!(e["code"], "cancelled");
    assert!(!target.exists(), "no district file");
    let partial: Vec<_> = std::fs::read_dir(app.dir.path()).unwrap().filter_map(|e| e.ok()).filter(|e| e.file_name().to_string_lossy().contains("big.fulcrum")).collect();
    assert!(partial.is_empty(), "and no partial file beside it");
}

#[test]
fn board_mode_can_ask_for_full_screen_and_back() {
    let app = sample_app();
    assert_eq!(app.ok("set_fullscreen", json!({"on": true})), Value::Null);
    assert_eq!(app.ok("set_fullscreen", json!({"on": false})), Value::Null);
}

#[test]
fn history_publish_versions_and_diff_go_through_the_engine() {
    let app = sample_app();
    let mut s = app.ok("current_district", json!({}))["scenarios"][1].clone();
    let name = s["name"].as_str().unwrap().to_string();
    s["description"] = json!("edited in the app");
    app.ok("put_scenario", json!({"scenario": s}));
    let rows = app.ok("scenario_history", json!({"name": name}));
    assert_eq!(rows[0]["action"], "scenarios", "newest first");
    assert!(rows[0]["lines"][0].as_str().unwrap().contains("description"), "{rows}");
    let v = app.ok("publish_scenario", json!({"name": name, "note": "board"}));
    assert_eq!(v["version"], 1);
    assert_eq!(app.ok("scenario_versions", json!({"name": name})).as_array().unwrap().len(), 1);
    let d = app.ok("diff_versions", json!({"from": format!("{name}@1"), "to": "baseline"}));
    assert!(!d["attribution"]["contributions"].as_array().unwrap().is_empty());
    assert_eq!(app.ok("set_display_name", json!({"name": "Pat"}))["path"], json!(app.file()));
    assert_eq!(Workspace::open(&app.file()).unwrap().audit().unwrap().last().unwrap().display_name, "Pat");
}

#[test]
fn bad_input_is_refused_before_it_reaches_the_file() {
    let app = sample_app();
    let before = Workspace::open(&app.file()).unwrap().audit().unwrap().len();
    let long = "x".repeat(121);
    for (cmd, args) in [
        ("rename_scenario", json!({"from": "referendum-fails", "to": long})),
        ("rename_scenario", json!({"from": "referendum-fails", "to": "a\nb"})),
        ("rename_scenario", json!({"from": "referendum-fails", "to": ""})),
        ("delete_scenario", json!({"name": " referendum-fails"})),
        ("compare_scenarios", json!({"names": ["referendum-fails"]})),
        ("compare_scenarios", json!({"names": ["a", "b", "c", "d", "e"]})),
        ("explain_figure", json!({"scenario": "referendum-fails", "year": 99999, "figure": "surplus"})),
        ("explain_figure", json!({"scenario": "referendum-fails", "year": 2026, "figure": "fund balance"})),
        ("publish_scenario", json!({"name": "referendum-fails", "note": "n".repeat(501)})),
        ("set_display_name", json!({"name": "\u{7}bell"})),
        ("put_scenario", json!({"scenario": {"name": "s", "description": "d".repeat(4001)}})),
        ("choose_where_to_save", json!({"title": "t".repeat(121), "defaultName": "x.fulcrum"})),
        ("save_district_as", json!({"path": "/tmp/not-chosen.fulcrum"})),
    ] {
        let e = app.err(cmd, args.clone());
        assert!(["invalid_input", "path_not_chosen"].contains(&e["code"].as_str().unwrap()), "{cmd} {args}: {e}");
    }
    assert_eq!(app.err("delete_scenario", json!({"name": "no-such"}))["code"], "unknown_scenario", "ids are checked by the engine");
    assert_eq!(Workspace::open(&app.file()).unwrap().audit().unwrap().len(), before, "nothing refused was written");
    // Markup in a name is only text: accepted, stored and returned as written.
    let xss = "<img src=x onerror=alert(1)>";
    let summary = app.ok("rename_scenario", json!({"from": "passes-lean", "to": xss}));
    assert!(summary["scenarios"].as_array().unwrap().iter().any(|s| s["name"] == xss));
}

#[test]
fn a_budget_loads_into_a_new_file_and_a_bad_one_changes_nothing() {
    let app = sample_app();
    let pkg = app.dir.path().join("adopted");
    fulcrum::generate::write_sample_district(&pkg).unwrap();
    let target = app.dir.path().join("next.fulcrum");
    app.choose(&pkg);
    app.choose(&target);
    let report = app.ok("import_budget", json!({"form": {"target": target, "package": pkg, "rollForward": false}}));
    assert_eq!(report["written"], true, "{report}");
    assert_eq!(report["lines_made"], 4472, "every line of the sample package");
    assert_eq!(app.ok("current_district", json!({}))["path"], json!(target), "the app now works in the new file");

    // A package with one bad amount is refused whole, with the place of the problem.
    let bad = app.dir.path().join("bad");
    fulcrum::generate::write_sample_district(&bad).unwrap();
    let lines = std::fs::read_to_string(bad.join("budget_lines.csv")).unwrap().replacen("733872.50", "7e5", 1);
    std::fs::write(bad.join("budget_lines.csv"), lines).unwrap();
    app.choose(&bad);
    let before = std::fs::read(&target).unwrap();
    let report = app.ok("import_budget", json!({"form": {"package": bad, "rollForward": true}}));
    assert_eq!(report["written"], false);
    let e = &report["errors"][0];
    assert_eq!((e["file"].as_str(), e["row"].as_i64(), e["column"].as_str()), (Some("budget_lines.csv"), Some(2), Some("amount")), "{e}");
    assert_eq!(std::fs::read(&target).unwrap(), before, "a refused import leaves the file byte for byte");
    assert_eq!(app.ok("current_district", json!({}))["path"], json!(target), "and the same file stays open");
}

#[test]
fn exports_and_the_packet_go_only_to_chosen_paths() {
    let app = sample_app();
    let names = json!(["referendum-passes", "referendum-fails"]);
    let xlsx = app.dir.path().join("compare.xlsx");
    let pdf = app.dir.path().join("packet.pdf");
    assert_eq!(app.err("export_comparison", json!({"names": names, "path": xlsx}))["code"], "path_not_chosen");
    assert!(!xlsx.exists());
    app.choose(&xlsx);
    app.choose(&pdf);
    app.ok("export_comparison", json!({"names": names, "path": xlsx}));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"), "an .xlsx workbook");
    let w = app.ok("board_packet", json!({"names": names, "path": pdf}));
    assert!(w["what"].as_str().unwrap().starts_with("board packet"), "{w}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let csv = app.dir.path().join("compare.csv");
    app.choose(&csv);
    app.ok("export_comparison", json!({"names": names, "path": csv}));
    assert!(std::fs::read_to_string(&csv).unwrap().lines().next().unwrap().ends_with(",2029"), "a CSV with a column per fiscal year");
    let package = app.dir.path().join("package.xlsx");
    app.choose(&package);
    let w = app.ok("export_package", json!({"path": package}));
    assert_eq!(w["what"], "package workbook");
    let reloaded = app.dir.path().join("reloaded.fulcrum");
    let loaded = fulcrum::dataflow::run_import(&fulcrum::dataflow::ImportRequest::from_choice(
        reloaded.clone(),
        fulcrum::dataflow::ImportChoice { package: package.clone(), gl: None, mapping: None, saved_mapping: None, control: None, roll_forward: false, force: false },
        "2025-03-10T00:00:00Z".into(),
    ).unwrap());
    assert!(loaded.written, "the exported package loads back: {:?}", loaded.errors);
    let (a, b) = (Workspace::open(&app.file()).unwrap(), Workspace::open(&reloaded).unwrap());
    assert_eq!(a.model().project(&fulcrum::scenario::Resolved::baseline()).unwrap().years, b.model().project(&fulcrum::scenario::Resolved::baseline()).unwrap().years, "to the same cents");
    assert_eq!(app.err("choose_import_file", json!({"kind": "anything"}))["code"], "invalid_input");
    assert_eq!(app.err("choose_export_path", json!({"defaultName": "x.exe"}))["code"], "invalid_input");
}

#[test]
fn a_department_template_goes_out_and_a_reviewed_draft_comes_back_as_overrides() {
    let app = sample_app();
    let departments = app.ok("departments", json!({}));
    let list = departments.as_array().unwrap();
    assert!(list.iter().any(|d| d["code"] == "C03" && d["kind"] == "central"), "{departments}");
    let template = app.dir.path().join("c03.csv");
    let args = json!({"scenario": "referendum-fails", "department": "C03", "path": template});
    assert_eq!(app.err("save_department_template", args.clone())["code"], "path_not_chosen");
    app.choose(&template);
    let w = app.ok("save_department_template", args);
    assert!(w["what"].as_str().unwrap().starts_with("C03 projection template"), "{w}");

    // The director lowers one 2025-26 amount.
    let text = std::fs::read_to_string(&template).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let col = header.iter().position(|h| *h == "2025-26").unwrap();
    let mut cells: Vec<String> = lines[1].split(',').map(String::from).collect();
    let line_name = cells[0].clone();
    let was: i64 = cells[col].replace('.', "").parse().unwrap();
    cells[col] = "1000.00".into();
    lines[1] = cells.join(",");
    std::fs::write(&template, lines.join("\n")).unwrap();

    let before = std::fs::read(app.file()).unwrap();
    let review = app.ok("review_department_draft", json!({"scenario": "referendum-fails", "path": template}));
    assert_eq!(std::fs::read(app.file()).unwrap(), before, "a review writes nothing");
    assert_eq!(review["items"][0]["line"], line_name.as_str());
    assert_eq!(review["items"][0]["year"], 2026);
    assert_eq!(review["items"][0]["change"], fulcrum::money::cents_str(100_000 - was).as_str(), "money as exact text");
    let summary = app.ok("accept_department_draft", json!({"scenario": "referendum-fails", "path": template}));
    assert_eq!(summary["can_undo"], true);
    let ws = Workspace::open(&app.file()).unwrap();
    let o = &ws.scenario("referendum-fails").unwrap().overrides;
    assert!(o.iter().any(|o| o.line == line_name && o.year == 2026 && o.amount.to_string() == "1000.00"), "{o:?}");
    drop(ws);
    app.ok("undo", json!({}));
    assert!(Workspace::open(&app.file()).unwrap().scenario("referendum-fails").unwrap().overrides.is_empty());

    let bad = app.dir.path().join("bad.csv");
    std::fs::write(&bad, "line,2025-26\nnot-a-line,1.00\n").unwrap();
    app.choose(&bad);
    let e = app.err("review_department_draft", json!({"scenario": "referendum-fails", "path": bad}));
    assert_eq!(e["code"], "invalid_input");
    assert!(e["message"].as_str().unwrap().contains("bad.csv, row 2, column line: E083"), "{e}");
    assert_eq!(app.err("accept_department_draft", json!({"scenario": "no-such", "path": template}))["code"], "unknown_scenario");
}
