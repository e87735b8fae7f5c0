//! The corpus of malformed and awkward inputs under tests/corpus/cases: each file
//! is imported in place of one file of the tiny package (or as its GL export or
//! control totals), and the test pins the exact problem, or the repaired reading.
//! Every refused import must leave the target district file byte for byte unchanged.

use std::path::{Path, PathBuf};

use fulcrum::dataflow::{run_import, GlSource, ImportReport, ImportRequest, MappingChoice};
use fulcrum::ledger::GlMapping;
use fulcrum::tieout::read_control_totals;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// What a case must give: refused with (code, row, column, message part), or
/// written with these warning codes.
enum Expect {
    Refused(&'static str, Option<u32>, Option<&'static str>, &'static str),
    Written(&'static [&'static str]),
}
use Expect::*;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// Runs one case as a roll forward into an existing file made from the base package.
fn run_case(name: &str) -> (ImportReport, bool) {
    let tmp = tempfile::tempdir().unwrap();
    let pkg = tmp.path().join("pkg");
    copy_dir(&corpus().join("base"), &pkg);
    let target = tmp.path().join("district.fulcrum");
    let base = ImportRequest { target: target.clone(), package: pkg.clone(), gl: None, control: None, roll_forward: false, force: false, stamp: "2025-03-10T00:00:00Z".into() };
    assert!(run_import(&base).written, "the base package imports");
    let before = std::fs::read(&target).unwrap();
    let case = corpus().join("cases").join(name);
    let role = name.rsplit('.').nth(1).unwrap();
    let mut req = ImportRequest { roll_forward: true, ..base };
    match role {
        "gl" => {
            let mapping = if name.starts_with("38") { "gl-separate.json" } else { "gl-combined.json" };
            let m = GlMapping::from_json(&std::fs::read_to_string(corpus().join(mapping)).unwrap(), mapping).unwrap();
            std::fs::remove_file(pkg.join("budget_lines.csv")).unwrap();
            req.gl = Some(GlSource { path: case, mapping: MappingChoice::Given(m) });
        }
        "control" => match read_control_totals(&case) {
            Ok(c) => req.control = Some(c),
            Err(problems) => {
                let report = ImportReport { errors: problems, ..Default::default() };
                return (report, std::fs::read(&target).unwrap() == before);
            }
        },
        stem => {
            std::fs::copy(&case, pkg.join(format!("{stem}.csv"))).unwrap();
        }
    }
    let report = run_import(&req);
    let unchanged = std::fs::read(&target).unwrap() == before;
    (report, unchanged)
}

const CASES: &[(&str, Expect)] = &[
    ("01-wrong-header.budget_lines.csv", Refused("E003", Some(1), None, "has no column \"department\"")),
    ("02-bad-amount-1e3.budget_lines.csv", Refused("E010", Some(3), Some("amount"), "\"1e3\": expected an amount like 1234.50")),
    ("03-bad-amount-three-decimals.budget_lines.csv", Refused("E010", Some(4), Some("amount"), "\"800000.001\"")),
    ("04-unknown-fund.budget_lines.csv", Refused("E016", Some(4), Some("fund"), "fund 21 is not in funds.csv")),
    ("05-duplicate-key-different-department.budget_lines.csv", Refused("E018", Some(12), Some("department"), "is also on row 2 with department S01")),
    ("06-zero-bytes.budget_lines.csv", Refused("E002", None, None, "is empty (0 bytes)")),
    ("07-xlsx-renamed.budget_lines.csv", Refused("E002", None, None, "is a zip archive")),
    ("08-binary.budget_lines.csv", Refused("E002", None, None, "holds binary data")),
    ("09-unknown-department.budget_lines.csv", Refused("E015", Some(4), Some("department"), "\"C99\" is not in departments.csv")),
    ("10-location-two-digits.budget_lines.csv", Refused("E013", Some(4), Some("location"), "location \"90\" is not 3 digits")),
    ("11-expense-function-zero.budget_lines.csv", Refused("E013", Some(4), Some("function"), "function 000000 is allowed on revenue lines only")),
    ("12-computed-rule-written.budget_lines.csv", Refused("E017", Some(9), Some("rule"), "computed (levy)")),
    ("13-unclosed-quote.budget_lines.csv", Refused("E002", Some(2), None, "never closed")),
    ("14-extra-cells.budget_lines.csv", Refused("E002", Some(4), None, "row 4 has 12 cells but the header has 11 columns")),
    ("15-only-blank-lines.budget_lines.csv", Refused("E002", None, None, "holds no text")),
    ("16-bom-semicolons-crlf.budget_lines.csv", Written(&["W002", "W011", "W010"])),
    ("17-windows-1252-description.budget_lines.csv", Written(&["W001", "W011", "W010"])),
    ("18-trailing-blank-rows.budget_lines.csv", Written(&["W003", "W011", "W010"])),
    ("19-parentheses-and-dollar.budget_lines.csv", Written(&["W011", "W010"])),
    ("20-utf16-tabs.budget_lines.csv", Written(&["W006", "W002", "W011", "W010"])),
    ("21-district-bad-base-year.district.csv", Refused("E011", Some(3), Some("value"), "base_year \"FY24\"")),
    ("22-funds-operating-yes.funds.csv", Refused("E014", Some(2), Some("operating"), "operating \"yes\" is not true or false")),
    ("23-assumptions-missing-key.assumptions.csv", Refused("E022", None, Some("key"), "has no inflation_pct for 2026")),
    ("24-membership-negative.membership.csv", Refused("E011", Some(3), Some("membership"), "\"-990\"")),
    ("25-control-ties.control.csv", Written(&["W011", "W010"])),
    ("26-control-one-cent-off.control.csv", Refused("E041", None, Some("expense"), "fund 10 expense: the loaded lines total $10,100,000.00, the control total is $10,099,999.99; they differ by $0.01")),
    ("27-control-missing-fund.control.csv", Refused("E042", None, None, "fund 27 has revenue lines of $1,100,000.00 but no control total")),
    ("28-control-bad-amount.control.csv", Refused("E040", Some(2), Some("expense"), "\"10.100.000\"")),
    ("29-gl-good-debit-credit.gl.csv", Written(&["W011", "W010"])),
    ("30-gl-scientific-notation.gl.csv", Refused("E052", Some(5), Some("Account"), "scientific notation")),
    ("31-gl-wrong-segment-count.gl.csv", Refused("E051", Some(5), Some("Account"), "has 4 segment(s)")),
    ("32-gl-unknown-kind.gl.csv", Refused("E054", Some(5), Some("Acct Type"), "\"X\" is neither a revenue value (R) nor an expense value (E)")),
    ("33-gl-duplicate-key-different-department.gl.csv", Refused("E018", Some(3), Some("department"), "is also on row 2 with department S01")),
    ("34-gl-trailing-minus-credit.gl.csv", Written(&["W004", "W011", "W010"])),
    ("35-gl-windows1252-semicolon.gl.csv", Written(&["W001", "W002", "W011", "W010"])),
    ("36-gl-missing-column.gl.csv", Refused("E050", Some(1), Some("Dept"), "has no column \"Dept\"")),
    ("37-gl-unmapped-department.gl.csv", Refused("E015", Some(5), Some("Dept"), "\"ZZZ\"")),
    ("38-gl-excel-dropped-leading-zeros.gl.csv", Written(&["W004", "W004", "W004", "W004", "W004", "W011", "W010"])),
];

#[test]
fn every_corpus_case_gives_its_pinned_result_and_refusals_leave_the_file_unchanged() {
    let files: Vec<String> = std::fs::read_dir(corpus().join("cases")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(files.len() >= 30, "the corpus holds at least 30 awkward inputs");
    let mut failures = Vec::new();
    let mut names: Vec<&String> = files.iter().collect();
    names.sort();
    for name in names {
        let (report, unchanged) = run_case(name);
        let got = format!(
            "{name}: written={} warnings={:?} errors={:?}",
            report.written,
            report.warnings.iter().map(|w| w.code).collect::<Vec<_>>(),
            report.errors.iter().map(|e| format!("{} {:?} {:?} {}", e.code, e.row, e.column, e.message)).collect::<Vec<_>>()
        );
        if std::env::var("CORPUS_PRINT").is_ok() {
            println!("{got}");
        }
        let Some((_, expect)) = CASES.iter().find(|(n, _)| n == name) else {
            failures.push(format!("no expectation pinned for {got}"));
            continue;
        };
        match expect {
            Refused(code, row, column, part) => {
                let hit = report.errors.iter().any(|e| e.code == *code && e.row == *row && e.column.as_deref() == *column && e.message.contains(part));
                if report.written || !hit {
                    failures.push(format!("expected {code} {row:?} {column:?} {part:?}; got {got}"));
                }
                if !unchanged {
                    failures.push(format!("{name}: the refused import changed the target file"));
                }
            }
            Written(codes) => {
                let warn: Vec<&str> = report.warnings.iter().map(|w| w.code).collect();
                if !report.written || warn != *codes {
                    failures.push(format!("expected written with warnings {codes:?}; got {got}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
