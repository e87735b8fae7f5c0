//! End-to-end: the real app binary under Xvfb, driven through tauri-driver and
//! WebKitWebDriver. Every expected figure comes from the engine, not from this file.
//!
//! Run by `tools/test.sh` (`xvfb-run cargo test -p fulcrum-desktop --test e2e -- --ignored`);
//! ignored in a plain `cargo test`, which has no display. Screenshots go to tests/artifacts/.

#[path = "support/driver.rs"]
mod driver;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use driver::{Driven, ARROW_RIGHT, ESCAPE};
use fulcrum::money::{cents_str, format_dollars};
use fulcrum::workspace::Workspace;

/// One app at a time: the sessions share the display.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const APP: &str = env!("CARGO_BIN_EXE_fulcrum-desktop");
const PASSES: &str = "referendum-passes";
const FAILS: &str = "referendum-fails";

fn sample(dir: &Path) -> PathBuf {
    let file = dir.join("lakeshore.fulcrum");
    Workspace::create_sample(&file, false).expect("the sample district");
    file
}

async fn open(file: &Path) -> Driven {
    let app = Driven::start(Path::new(APP), &[file.display().to_string()]).await;
    app.until("the compare view", "document.body.dataset.ready === 'true'").await;
    light(&app).await;
    app
}

/// The theme is remembered between runs; screenshots start from the light one.
async fn light(app: &Driven) {
    if app.js("return document.documentElement.dataset.theme").await == "dark" {
        app.click("#btn-theme").await;
    }
}

/// The UI writes negatives with a true minus sign; the engine's text uses '-'.
fn screen(text: &str) -> String {
    text.replace('\u{2212}', "-").replace(" ⚠", "")
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by tools/test.sh under xvfb-run"]
async fn the_compare_view_shows_the_engines_figures_for_passes_against_fails() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path());
    let ws = Workspace::open(&file).unwrap();
    let (passes, fails) = (ws.project(PASSES).unwrap(), ws.project(FAILS).unwrap());
    let app = open(&file).await;
    for (p, name) in [(&passes, PASSES), (&fails, FAILS)] {
        for y in &p.years {
            for (figure, cents) in [("fund_balance", Some(y.fund_balance)), ("surplus", Some(y.surplus)), ("revenue", Some(y.revenue)), ("tax_per_100k", y.tax_per_100k)] {
                let Some(cents) = cents else { continue };
                let css = format!("button[data-cell='{name}|{}|{figure}']", y.year);
                assert_eq!(app.attr(&css, "data-value").await, cents_str(cents), "{name} {figure} {} as the engine projects it", y.year);
                assert_eq!(screen(&app.text(&css).await), format_dollars(cents), "{name} {figure} {} shown in full cents", y.year);
            }
        }
    }
    let last = passes.years.last().unwrap();
    let fails_last = fails.years.last().unwrap();
    let diff = format!("td[data-diff='{FAILS}|{}|fund_balance']", last.year);
    assert_eq!(app.attr(&diff, "data-value").await, cents_str(fails_last.fund_balance - last.fund_balance), "fails minus passes");
    // Colour says good or bad news for the books: less expense is green, less fund balance
    // red, and a lower levy neither.
    let class = |figure: &str| format!("return document.querySelector(\"td[data-diff='{FAILS}|{}|{figure}']\").className", last.year);
    assert!(fails_last.expense < last.expense && fails_last.fund_balance < last.fund_balance);
    assert_eq!(app.js(&class("expense")).await, serde_json::json!("diff pos"), "cuts are good news for the books");
    assert_eq!(app.js(&class("fund_balance")).await, serde_json::json!("diff neg"));
    assert_eq!(app.js(&class("levy_total")).await, serde_json::json!("diff "), "the levy is the voters' side: no colour");
    let below: Vec<_> = fails.years.iter().filter(|y| y.below_policy).collect();
    for y in &below {
        let css = format!("button[data-cell='{FAILS}|{}|reserve_pct']", y.year);
        assert!(app.text(&css).await.contains('⚠'), "{} is below policy and marked", y.year);
    }
    let header = app.text("table.grid thead").await;
    assert!(header.contains(&fulcrum::model::year_label(last.year)), "years are labelled like 2025-26: {header}");
    app.screenshot("compare").await;
    app.js("document.querySelector('.charts').scrollIntoView()").await;
    app.screenshot("compare-charts").await;
    app.click("#btn-theme").await;
    assert_eq!(app.js("return document.documentElement.dataset.theme").await, "dark", "the theme button switches to dark");
    app.screenshot("compare-charts-dark").await;
    app.js("document.getElementById('compare').scrollTop = 0").await;
    app.screenshot("compare-dark").await;
    app.click("#btn-theme").await;
    app.stop().await;
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by tools/test.sh under xvfb-run"]
async fn moving_a_lever_changes_the_comparison_by_the_amount_the_engine_says() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path());
    let ws = Workspace::open(&file).unwrap();
    let app = open(&file).await;
    let lever = ws.scenario(FAILS).unwrap().levers.iter().find(|l| l.id == "cut-central").unwrap().clone();
    // What the engine says one step to the right does.
    let mut moved = ws.scenario(FAILS).unwrap().clone();
    moved.levers.iter_mut().find(|l| l.id == lever.id).unwrap().value = lever.value + lever.step;
    let expected = ws.model().project(&ws.resolve_draft(&moved, FAILS).unwrap()).unwrap();
    let before = ws.project(FAILS).unwrap();
    let year = expected.years.last().unwrap().year;
    let surplus = format!("button[data-cell='{FAILS}|{year}|surplus']");
    assert_eq!(app.attr(&surplus, "data-value").await, cents_str(before.years.last().unwrap().surplus));

    let renders = app.js("return document.body.dataset.renders").await;
    app.keys("#lever-cut-central", ARROW_RIGHT).await;
    app.until("the preview to redraw", &format!("document.body.dataset.renders !== {renders}")).await;
    app.until("the change to be written", "window.fulcrumTimings.commits.length > 0").await;
    assert_eq!(app.js("return document.getElementById('lever-cut-central').value").await, serde_json::json!((lever.value + lever.step).to_string()));
    let after = expected.years.last().unwrap();
    assert_eq!(app.attr(&surplus, "data-value").await, cents_str(after.surplus), "the surplus the engine projects with the lever moved");
    let change = after.surplus - before.years.last().unwrap().surplus;
    assert_ne!(change, 0, "one step of a central-office cut moves the surplus");
    let effect = expected.lever(&lever.id).unwrap().effect.last().copied().unwrap();
    let effects = app.text("[data-effects='cut-central']").await;
    assert!(screen(&effects).contains(&format_dollars(effect).replacen('$', "", 1)), "the slider shows the engine's effect {effect}: {effects}");
    let stored = Workspace::open(&file).unwrap();
    assert_eq!(stored.scenario(FAILS).unwrap().levers.iter().find(|l| l.id == lever.id).unwrap().value, lever.value + lever.step, "released: written to the file");
    app.screenshot("levers").await;

    app.js("document.getElementById('btn-undo').click()").await;
    app.until("undo", &format!("document.getElementById('lever-cut-central')?.value === '{}'", lever.value)).await;
    app.until("the undone figure", &format!("document.querySelector(\"{}\").dataset.value === '{}'", surplus.replace('"', "\\\""), cents_str(before.years.last().unwrap().surplus))).await;
    app.stop().await;
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by tools/test.sh under xvfb-run"]
async fn clicking_a_figure_opens_the_engines_derivation() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path());
    let ws = Workspace::open(&file).unwrap();
    let resolved = ws.resolve(PASSES).unwrap();
    let year = ws.model().package().district.base_year + 2;
    let d = fulcrum::explain::explain(ws.model(), &resolved, &ws.project(PASSES).unwrap(), year, "tax_per_100k").unwrap();
    let app = open(&file).await;
    app.click(&format!("button[data-cell='{PASSES}|{year}|tax_per_100k']")).await;
    app.until("the explanation", "document.getElementById('explain').open").await;
    let body = app.text("#explain-body").await;
    assert!(body.contains(&d.display), "the derivation shows the engine's value {}: {body}", d.display);
    assert!(body.contains(d.working.as_deref().unwrap()), "and its working: {body}");
    app.screenshot("explain").await;
    app.keys("#explain", ESCAPE).await;
    app.until("the dialog to close", "!document.getElementById('explain').open").await;
    app.stop().await;
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by tools/test.sh under xvfb-run"]
async fn board_mode_shows_slides_moves_with_arrows_and_leaves_with_escape() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path());
    let ws = Workspace::open(&file).unwrap();
    let fails = ws.project(FAILS).unwrap();
    let app = open(&file).await;
    app.click("#btn-board").await;
    app.until("the board", "!document.getElementById('board').hidden").await;
    let summary = app.text("#slide").await;
    assert!(screen(&summary).contains(&format_dollars(fails.years.last().unwrap().fund_balance)), "slide 1 shows the engine's fund balance: {summary}");
    app.screenshot("board-1-summary").await;
    for n in 2..=5 {
        app.keys("#board", ARROW_RIGHT).await;
        app.until("the next slide", &format!("document.getElementById('slide').dataset.slide === '{n}'")).await;
        app.screenshot(&format!("board-{n}")).await;
    }
    app.keys("#board", ESCAPE).await;
    app.until("the workbench", "document.getElementById('board').hidden && !document.getElementById('workbench').hidden").await;
    app.stop().await;
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by tools/test.sh under xvfb-run"]
async fn first_start_without_a_file_offers_the_sample_district() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let app = Driven::start(Path::new(APP), &[]).await;
    app.until("the start screen", "!document.getElementById('start').hidden").await;
    light(&app).await;
    assert!(app.text("#start-sample").await.contains("sample district"));
    let shown = app.js("const r = document.getElementById('start-sample').getBoundingClientRect(); return r.width > 0 && r.height > 0 && document.activeElement.id === 'start-sample'").await;
    assert_eq!(shown, serde_json::json!(true), "the sample button is laid out on screen and has the focus");
    let disabled = app.js("return [...document.querySelectorAll('[data-needs-file]')].every(b => b.disabled)").await;
    assert_eq!(disabled, serde_json::json!(true), "with no file, the buttons that need one are disabled");
    app.screenshot("start").await;
    app.stop().await;
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by tools/test.sh under xvfb-run"]
async fn a_scenario_named_with_markup_shows_as_text_and_ctrl_z_undoes_from_the_keyboard() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path());
    let xss = "<img src=x onerror=alert(1)>";
    {
        let mut ws = Workspace::open(&file).unwrap();
        ws.rename_scenario("passes-lean", xss).unwrap();
        let mut s = ws.scenario(xss).unwrap().clone();
        s.description = "<script>document.body.dataset.pwned = '1'</script>".into();
        ws.put_scenario(s).unwrap();
    }
    let ws = Workspace::open(&file).unwrap();
    let lever = ws.scenario(FAILS).unwrap().levers.iter().find(|l| l.id == "cut-central").unwrap().clone();
    let app = open(&file).await;
    let list = app.text("#scenario-list").await;
    assert!(list.contains(xss), "the name shows exactly as written, as text: {list}");
    assert_eq!(app.js("return document.querySelectorAll('img').length").await, serde_json::json!(0), "no <img> element was made from it");
    assert_eq!(app.js("return document.querySelectorAll('script:not([src])').length").await, serde_json::json!(0), "nor a <script> from the description");
    assert!(app.js("return document.body.dataset.pwned").await.is_null(), "nothing from the file ran");
    app.screenshot("markup-as-text").await;

    // Move a lever, then take it back with Ctrl+Z pressed on the page (not in a text field).
    app.keys("#lever-cut-central", ARROW_RIGHT).await;
    app.until("the change to be written", "window.fulcrumTimings.commits.length > 0").await;
    assert_eq!(Workspace::open(&file).unwrap().scenario(FAILS).unwrap().levers.iter().find(|l| l.id == lever.id).unwrap().value, lever.value + lever.step);
    const CONTROL: &str = "\u{E009}";
    const RELEASE: &str = "\u{E000}";
    app.keys("#btn-keys", &format!("{CONTROL}z{RELEASE}")).await;
    app.until("undo from the keyboard", &format!("document.getElementById('lever-cut-central')?.value === '{}'", lever.value)).await;
    let stored = Workspace::open(&file).unwrap();
    assert_eq!(stored.scenario(FAILS).unwrap().levers.iter().find(|l| l.id == lever.id).unwrap().value, lever.value, "the file holds the undone value");
    assert_eq!(stored.audit().unwrap().last().unwrap().action, "undo", "and the undo is in the audit log");
    assert!(stored.verify().unwrap().ok());
    app.stop().await;
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by tools/test.sh under xvfb-run"]
async fn load_budget_opens_its_form_and_asks_for_a_package_first() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path());
    let before = std::fs::read(&file).unwrap();
    let app = open(&file).await;
    app.click("#btn-load").await;
    app.until("the load form", "document.getElementById('load').open").await;
    assert!(app.text("#load").await.contains("Nothing is written unless the whole import is clean"));
    app.screenshot("load-budget").await;
    app.click("#load-run").await;
    app.until("the request for a package", "document.getElementById('toast').textContent.includes('Choose the package')").await;
    app.keys("#load", ESCAPE).await;
    app.until("the form to close", "!document.getElementById('load').open").await;
    app.stop().await;
    assert_eq!(std::fs::read(&file).unwrap(), before, "opening the form and refusing to run writes nothing");
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by tools/test.sh under xvfb-run"]
async fn the_department_projections_dialog_lists_the_districts_departments_and_scenarios() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path());
    let ws = Workspace::open(&file).unwrap();
    let before = std::fs::read(&file).unwrap();
    let app = open(&file).await;
    app.click("#btn-departments").await;
    app.until("the departments dialog", "document.getElementById('departments').open && document.getElementById('dept-department').options.length > 0").await;
    let options = app.js("return [...document.getElementById('dept-department').options].map(o => o.value)").await;
    let codes: Vec<&str> = options.as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert_eq!(codes.len(), ws.model().package().departments.len(), "every department is offered");
    let scenarios = app.js("return [...document.getElementById('dept-scenario').options].map(o => o.value)").await;
    assert_eq!(scenarios.as_array().unwrap().len(), ws.scenarios().len(), "every stored scenario, and not baseline");
    assert_eq!(app.js("return document.getElementById('dept-accept').disabled").await, serde_json::json!(true), "nothing to accept before a draft is reviewed");
    app.screenshot("departments").await;
    app.keys("#departments", ESCAPE).await;
    app.until("the dialog to close", "!document.getElementById('departments').open").await;
    app.stop().await;
    assert_eq!(std::fs::read(&file).unwrap(), before, "opening the dialog writes nothing");
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by tools/test.sh under xvfb-run"]
async fn the_assumptions_tab_shows_every_year_of_every_key_unclipped() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path());
    let ws = Workspace::open(&file).unwrap();
    let horizon = ws.model().package().district.horizon as usize;
    let app = open(&file).await;
    app.click("#tab-assumptions").await;
    app.until("the assumption table", "document.querySelectorAll('#pane-assumptions input').length > 0").await;
    let inputs = app.js("return document.querySelectorAll('#pane-assumptions input').length").await;
    assert_eq!(inputs, serde_json::json!(horizon * fulcrum::model::AssumptionKey::ALL.len()), "every key for every projection year");
    let clipped = app.js("return [...document.querySelectorAll('#pane-assumptions input')].filter(i => i.scrollWidth > i.clientWidth).map(i => i.getAttribute('aria-label'))").await;
    assert_eq!(clipped, serde_json::json!([]), "no value is cut off");
    let scrolls = app.js("const w = document.querySelector('#pane-assumptions .table-wrap'); return w.scrollWidth > w.clientWidth").await;
    assert_eq!(scrolls, serde_json::json!(false), "every year is in view without scrolling sideways");
    let salary = app.attr("#pane-assumptions input[aria-label^='salary_increase_pct in 2024-25']", "value").await;
    assert_eq!(salary, "0", "the hold-salaries lever's setting shows where it applies");
    app.screenshot("assumptions").await;
    app.click("#tab-levers").await;
    app.until("the narrow editor again", "!document.getElementById('workbench').classList.contains('wide-editor')").await;
    app.stop().await;
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by tools/test.sh under xvfb-run"]
async fn export_offers_the_comparison_as_a_workbook_or_csv_and_the_package() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path());
    let app = open(&file).await;
    app.click("#btn-export").await;
    app.until("the export dialog", "document.getElementById('export').open").await;
    let text = app.text("#export").await;
    for choice in ["Excel workbook (.xlsx)", "CSV (.csv)", "Package workbook (.xlsx)"] {
        assert!(text.contains(choice), "offers {choice}: {text}");
    }
    app.screenshot("export").await;
    app.keys("#export", ESCAPE).await;
    app.until("the dialog to close", "!document.getElementById('export').open").await;
    app.stop().await;
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by tools/test.sh under xvfb-run"]
async fn a_lever_added_in_the_form_moves_the_comparison_as_the_engine_says_and_can_be_removed() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path());
    let app = open(&file).await;
    assert_eq!(app.js("return document.getElementById('editing').value").await, serde_json::json!(FAILS));

    // A refused lever (its setting outside its range) shows the engine's reason and writes nothing.
    let before = std::fs::read(&file).unwrap();
    app.click("#add-lever").await;
    app.until("the lever form", "document.getElementById('lever-dialog').open && document.getElementById('lf-fte-dept').options.length > 0").await;
    app.js("document.getElementById('lf-name').value = 'Cut transportation'; document.getElementById('lf-value').value = '-50';").await;
    app.click("#lf-add").await;
    app.until("the refusal", "document.getElementById('lf-error').textContent.length > 0").await;
    assert!(app.text("#lf-error").await.contains("cut-transportation"), "names the lever: {}", app.text("#lf-error").await);
    assert_eq!(std::fs::read(&file).unwrap(), before, "a refused lever writes nothing");

    // Transportation purchases (function 256…): 10 % less from 2024-25 on.
    app.js("document.getElementById('lf-value').value = '-10'; document.getElementById('lf-function').value = '256'; \
            document.querySelectorAll('#lever-form input[name=lf-dkind]').forEach(c => { c.checked = false; });").await;
    app.screenshot("add-lever").await;
    let renders = app.js("return document.body.dataset.renders").await;
    app.click("#lf-add").await;
    app.until("the new slider", "document.getElementById('lever-cut-transportation') !== null").await;
    app.until("the redraw", &format!("document.body.dataset.renders !== {renders}")).await;
    let ws = Workspace::open(&file).unwrap();
    let lever = ws.scenario(FAILS).unwrap().levers.iter().find(|l| l.id == "cut-transportation").cloned().expect("written to the file");
    assert_eq!(lever.value.to_string(), "-10");
    let p = ws.project(FAILS).unwrap();
    let effect = p.lever("cut-transportation").unwrap().effect[0];
    assert!(effect > 0, "a cut of transportation raises the surplus: {effect}");
    let last = p.years.last().unwrap();
    let css = format!("button[data-cell='{FAILS}|{}|surplus']", last.year);
    assert_eq!(app.attr(&css, "data-value").await, cents_str(last.surplus), "the comparison shows the engine's surplus with the new lever");
    drop(ws);

    app.click("[data-remove-lever='cut-transportation']").await;
    app.until("the lever to go", "document.getElementById('lever-cut-transportation') === null").await;
    assert!(Workspace::open(&file).unwrap().scenario(FAILS).unwrap().levers.iter().all(|l| l.id != "cut-transportation"), "removed from the file");
    app.stop().await;
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by tools/test.sh under xvfb-run"]
async fn a_branch_is_named_with_the_keyboard_and_its_description_edited_later() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    const ENTER: &str = "\u{E007}";
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path());
    let app = open(&file).await;
    // Branch the focused scenario (referendum-passes): type a name, press Enter.
    app.click("#sc-branch").await;
    app.until("the prompt", "document.getElementById('prompt').open").await;
    app.js("document.getElementById('prompt-input').value = ''").await;
    app.keys("#prompt-input", &format!("passes-with-fees{ENTER}")).await;
    app.until("the new scenario", "[...document.querySelectorAll('#scenario-list li')].some(li => li.textContent.includes('passes-with-fees'))").await;
    let ws = Workspace::open(&file).unwrap();
    let s = ws.scenario("passes-with-fees").expect("Enter created the branch");
    assert_eq!(s.parent.as_deref(), Some(PASSES));
    drop(ws);
    // Describe it afterwards through Rename; Enter in the description field saves.
    app.click("#sc-rename").await;
    app.until("the prompt", "document.getElementById('prompt').open").await;
    app.js("document.getElementById('prompt-desc').value = ''").await;
    app.keys("#prompt-desc", &format!("Referendum passes; activity fees rise{ENTER}")).await;
    app.until("the description in the list", "document.getElementById('scenario-list').textContent.includes('activity fees rise')").await;
    let ws = Workspace::open(&file).unwrap();
    assert_eq!(ws.scenario("passes-with-fees").unwrap().description, "Referendum passes; activity fees rise");
    assert_eq!(ws.audit().unwrap().last().unwrap().action, "scenarios", "an audited change");
    app.stop().await;
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by tools/test.sh under xvfb-run"]
async fn four_scenarios_brief_on_one_summary_slide_with_each_difference_from_the_reference() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path());
    let ws = Workspace::open(&file).unwrap();
    let (passes, close) = (ws.project(PASSES).unwrap(), ws.project("fails-close-schools").unwrap());
    let app = open(&file).await;
    for name in ["passes-lean", "fails-close-schools"] {
        let renders = app.js("return document.body.dataset.renders").await;
        app.js(&format!("[...document.querySelectorAll('#scenario-list li')].find(li => li.textContent.includes('{name}')).querySelector('input[type=checkbox]').click()")).await;
        app.until("the comparison to redraw", &format!("document.body.dataset.renders !== {renders}")).await;
    }
    // The compare view's waterfall walks to the last scenario, or to the one chosen.
    let walks_to = "const c = Chart.getChart(document.getElementById('chart-waterfall')); return c.data.labels[c.data.labels.length - 1].join(' ')";
    assert_eq!(app.js(walks_to).await, serde_json::json!("fails-close-schools"));
    app.js("const s = document.getElementById('waterfall-scenario'); s.value = 'passes-lean'; s.dispatchEvent(new Event('change'))").await;
    app.until("the waterfall to passes-lean", &format!("(() => {{ {walks_to} }})() === 'passes-lean'")).await;
    app.click("#btn-board").await;
    app.until("the board", "!document.getElementById('board').hidden").await;
    assert_eq!(app.js("return document.querySelectorAll('#slide .card').length").await, serde_json::json!(4), "a card per scenario");
    let fits = app.js("const foot = document.querySelector('.board-foot').getBoundingClientRect().top; \
                       return [...document.querySelectorAll('#slide .card')].every(c => c.getBoundingClientRect().bottom <= foot)").await;
    assert_eq!(fits, serde_json::json!(true), "every card is above the slide's footer, none cut off");
    let card = app.text("#slide .card[aria-label='fails-close-schools']").await;
    let diff = close.years.last().unwrap().fund_balance - passes.years.last().unwrap().fund_balance;
    assert!(screen(&card).contains(&format!("{} vs {PASSES}", format_dollars(diff))), "the engine's difference from the reference: {card}");
    app.screenshot("board-four-scenarios").await;
    // After the summary and the three charts, a waterfall for each of the three scenarios.
    for n in 2..=7usize {
        app.keys("#board", ARROW_RIGHT).await;
        app.until("the next slide", &format!("document.getElementById('slide').dataset.slide === '{n}'")).await;
        if let Some(scenario) = [FAILS, "passes-lean", "fails-close-schools"].get(n.saturating_sub(5)).filter(|_| n >= 5) {
            let title = app.text("#slide h1").await;
            assert!(title.ends_with(scenario), "slide {n} walks to {scenario}: {title}");
        }
    }
    assert_eq!(app.text("#slide-count").await, "Slide 7 of 7");
    app.stop().await;
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by tools/test.sh under xvfb-run"]
async fn a_published_version_is_noted_and_what_changed_since_is_priced_by_the_engine() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path());
    let app = open(&file).await;
    app.click(&format!("[data-scenario='{FAILS}'] button.icon")).await;
    app.click("#btn-history").await;
    app.until("the history", "document.getElementById('history').open").await;
    app.keys("#history-note", "board meeting 2025-03-10").await;
    app.click("#history-publish").await;
    app.until("version 1", "document.querySelector('#history-versions [data-version=\"1\"]') !== null").await;
    assert!(app.text("#history-versions").await.contains("for board meeting 2025-03-10"));
    let ws = Workspace::open(&file).unwrap();
    assert_eq!(ws.versions(FAILS).unwrap()[0].note, "board meeting 2025-03-10", "the note is stored with the version");
    drop(ws);
    app.keys("#history", ESCAPE).await;
    app.until("the history to close", "!document.getElementById('history').open").await;

    // A change after the meeting, then what it is worth against what the board saw.
    app.keys("#lever-cut-central", ARROW_RIGHT).await;
    app.until("the change to be written", "window.fulcrumTimings.commits.length > 0").await;
    app.click("#btn-history").await;
    app.until("the history", "document.getElementById('history').open").await;
    app.click("#history-versions [data-version='1'] button").await;
    app.until("the differences", "document.querySelector('#history-diff table') !== null").await;
    let ws = Workspace::open(&file).unwrap();
    let d = ws.diff(&format!("{FAILS}@1"), FAILS).unwrap();
    let a = &d.attribution;
    let last = a.years.len() - 1;
    let table = screen(&app.text("#history-diff").await);
    assert!(table.contains(&a.contributions[0].label), "names the change: {table}");
    assert!(table.contains(&format_dollars(a.fund_balance[last])), "the engine's fund balance effect {}: {table}", a.fund_balance[last]);
    app.screenshot("history-diff").await;
    app.stop().await;
}
