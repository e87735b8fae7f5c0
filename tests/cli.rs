//! The `fulcrum` command line, run as a user runs it.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn fulcrum(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fulcrum")).args(args).current_dir(cwd).output().expect("fulcrum runs")
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "exit {:?}, stderr: {}", out.status, String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).expect("utf-8 output")
}

fn failed(out: &Output) -> String {
    assert!(!out.status.success(), "expected a failure, got: {}", String::from_utf8_lossy(&out.stdout));
    assert!(out.stdout.is_empty(), "errors go to stderr only");
    String::from_utf8(out.stderr.clone()).expect("utf-8 stderr")
}

fn demo(tmp: &Path) {
    ok(&fulcrum(&["demo", "d.fulcrum"], tmp));
}

#[test]
fn demo_then_compare_shows_both_referendum_scenarios() {
    let tmp = tempfile::tempdir().unwrap();
    demo(tmp.path());
    let out = ok(&fulcrum(&["compare", "d.fulcrum", "referendum-passes", "referendum-fails"], tmp.path()));
    for text in ["referendum-passes", "referendum-fails", "Tax per $100k", "2028-29", "referendum-fails minus referendum-passes", "Cut central office"] {
        assert!(out.contains(text), "compare output names {text:?}:\n{out}");
    }
}

#[test]
fn project_json_follows_model_section_10() {
    let tmp = tempfile::tempdir().unwrap();
    demo(tmp.path());
    let out = ok(&fulcrum(&["project", "d.fulcrum", "--scenario", "referendum-fails", "--json"], tmp.path()));
    let v: Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["scenario"], "referendum-fails");
    assert_eq!(v["base_year"], 2024);
    let years = v["years"].as_array().unwrap();
    assert_eq!(years.len(), 6, "B plus a 5-year horizon");
    assert_eq!(years[0]["label"], "2023-24");
    assert!(years[0]["levy_total"].is_null() && years[0]["mill_rate"].is_null() && years[0]["tax_per_100k"].is_null(), "null in the base year");
    let money = |s: &Value| {
        let s = s.as_str().expect("money is a string");
        let (_, cents) = s.split_once('.').expect("two decimals");
        cents.len() == 2
    };
    for y in years {
        for key in ["revenue_limit", "general_aid", "levy_limit", "revenue", "expense", "surplus", "fund_balance", "reserve_pct"] {
            assert!(money(&y[key]), "{key} carries exactly two decimals: {}", y[key]);
        }
    }
    let mill = years[1]["mill_rate"].as_str().unwrap();
    assert_eq!(mill.split_once('.').unwrap().1.len(), 4, "mill_rate has 4 decimals: {mill}");
    let levers = v["levers"].as_array().unwrap();
    let central = levers.iter().find(|l| l["id"] == "cut-central").expect("cut-central listed");
    let effect = central["effect"]["2025"].as_str().unwrap();
    assert!(!effect.starts_with('-'), "a 26 % cut of central office shows a positive effect: {effect}");
    assert_eq!(central["effect"].as_object().unwrap().len(), 5, "an effect for every projection year");
}

#[test]
fn explain_substitutes_the_inputs_of_the_formula() {
    let tmp = tempfile::tempdir().unwrap();
    demo(tmp.path());
    let out = ok(&fulcrum(&["explain", "d.fulcrum", "--scenario", "referendum-passes", "--year", "2026", "tax_per_100k"], tmp.path()));
    assert!(out.contains("R(levy_total × 100000 / EV)"), "{out}");
    assert!(out.contains("assumptions.csv (2026, equalized_value)"), "the derivation goes down to the assumption it read:\n{out}");
    assert!(out.contains("referendum \"2024 operating referendum\""), "the referendum shows in the revenue limit:\n{out}");
    let json = ok(&fulcrum(&["explain", "d.fulcrum", "--scenario", "referendum-passes", "--year", "2026", "tax_per_100k", "--json"], tmp.path()));
    let v: Value = serde_json::from_str(&json).unwrap();
    let projected: Value = serde_json::from_str(&ok(&fulcrum(&["project", "d.fulcrum", "--scenario", "referendum-passes", "--json"], tmp.path()))).unwrap();
    assert_eq!(v["value"], projected["years"][2]["tax_per_100k"], "explain tells the same number project prints");
}

#[test]
fn new_refuses_to_overwrite_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    demo(tmp.path());
    let pkg = tmp.path().join("pkg");
    fulcrum::generate::write_sample_district(&pkg).unwrap();
    let before = std::fs::read(tmp.path().join("d.fulcrum")).unwrap();
    let err = failed(&fulcrum(&["new", "d.fulcrum", "--from", "pkg"], tmp.path()));
    assert!(err.contains("already exists") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(tmp.path().join("d.fulcrum")).unwrap(), before);
    ok(&fulcrum(&["new", "d.fulcrum", "--from", "pkg", "--force"], tmp.path()));
}

#[test]
fn a_bad_package_reports_file_row_and_column_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let pkg = tmp.path().join("pkg");
    fulcrum::generate::write_sample_district(&pkg).unwrap();
    let lines = std::fs::read_to_string(pkg.join("budget_lines.csv")).unwrap();
    let broken = lines.replacen("733872.50", "7e5", 1);
    std::fs::write(pkg.join("budget_lines.csv"), broken).unwrap();
    let err = failed(&fulcrum(&["new", "d.fulcrum", "--from", "pkg"], tmp.path()));
    assert!(err.contains("budget_lines.csv, row 2, column amount"), "{err}");
    assert!(!tmp.path().join("d.fulcrum").exists(), "no half-written file");
    assert!(!tmp.path().join("d.fulcrum.partial").exists(), "no temporary file left");
}

#[test]
fn scenario_import_adds_and_replaces_and_unknown_names_fail() {
    let tmp = tempfile::tempdir().unwrap();
    demo(tmp.path());
    std::fs::write(
        tmp.path().join("more.json"),
        r#"{"scenarios": [
          {"name": "referendum-fails", "description": "Replaced: no referendum, no cuts"},
          {"name": "hold-the-line", "parent": "referendum-fails", "description": "new",
           "assumptions": [{"year": 2026, "key": "salary_increase_pct", "value": "1.5"}]}]}"#,
    )
    .unwrap();
    let out = ok(&fulcrum(&["scenario", "import", "d.fulcrum", "more.json"], tmp.path()));
    assert!(out.contains("added: hold-the-line") && out.contains("replaced: referendum-fails"), "{out}");
    let list = ok(&fulcrum(&["scenarios", "d.fulcrum"], tmp.path()));
    assert!(list.contains("hold-the-line") && list.contains("baseline"), "{list}");
    let err = failed(&fulcrum(&["project", "d.fulcrum", "--scenario", "nope"], tmp.path()));
    assert!(err.contains("no scenario named \"nope\""), "{err}");
}

#[test]
fn opening_something_that_is_not_a_district_file_fails_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("x.fulcrum"), "hello").unwrap();
    let err = failed(&fulcrum(&["scenarios", "x.fulcrum"], tmp.path()));
    assert!(err.contains("not a Fulcrum file"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn generate_is_deterministic_and_loadable() {
    let tmp = tempfile::tempdir().unwrap();
    ok(&fulcrum(&["generate", "--lines", "3000", "--seed", "9", "a"], tmp.path()));
    ok(&fulcrum(&["generate", "--lines", "3000", "--seed", "9", "b"], tmp.path()));
    for f in ["budget_lines.csv", "scenarios.json", "assumptions.csv"] {
        assert_eq!(std::fs::read(tmp.path().join("a").join(f)).unwrap(), std::fs::read(tmp.path().join("b").join(f)).unwrap(), "{f}");
    }
    ok(&fulcrum(&["new", "g.fulcrum", "--from", "a"], tmp.path()));
    let out = ok(&fulcrum(&["compare", "g.fulcrum", "baseline", "cuts", "cuts-deeper", "referendum"], tmp.path()));
    assert!(out.contains("cuts-deeper minus baseline"), "{out}");
}
