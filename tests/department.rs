//! Department projections: a director's template, their draft reviewed against a
//! scenario, and the draft accepted as overrides (audited, undoable).

use std::path::{Path, PathBuf};

use fulcrum::department::{read_draft, template};
use fulcrum::handout::department_template;
use fulcrum::workspace::Workspace;

const PURCHASED: &str = "10-900-310-252000-000/expense";

/// The MODEL.md appendix district, as a file in `dir`.
fn tiny(dir: &Path) -> Workspace {
    let pkg = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-district");
    Workspace::create(&dir.join("tiny.fulcrum"), &pkg, false).unwrap()
}

/// The template of `department` under `scenario`, written as CSV with `edit` applied
/// to its rows (cells by header name).
fn draft(ws: &Workspace, dir: &Path, scenario: &str, department: &str, edit: &[(&str, &str, &str)]) -> PathBuf {
    let mut t = template(ws.model(), &ws.project(scenario).unwrap(), department).unwrap();
    for (line, column, value) in edit {
        let c = t.header.iter().position(|h| h == column).unwrap();
        let row = t.rows.iter_mut().find(|r| r[0] == *line).unwrap();
        row[c] = value.to_string();
    }
    let path = dir.join(format!("{department}-draft.csv"));
    std::fs::write(&path, t.to_csv()).unwrap();
    path
}

#[test]
fn the_template_holds_the_departments_own_lines_with_the_scenarios_projected_amounts() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tiny(tmp.path());
    let p = ws.project("passes").unwrap();
    let t = template(ws.model(), &p, "C01").unwrap();
    assert_eq!(t.header, ["line", "department", "description", "adopted", "2024-25", "2025-26"]);
    assert_eq!(t.rows.len(), 1, "C01 has one line");
    // Purchased services grow with inflation: 800,000.00 × 102.90 / 100 = 823,200.00 in
    // 2024-25 (the appendix), before the central-office cut, which is a lever on top.
    assert_eq!(t.rows[0][..5], [PURCHASED, "C01", "Purchased services", "800000.00", "823200.00"]);
    let line = ws.model().line_by_name(PURCHASED).unwrap();
    assert_eq!(t.rows[0][5], fulcrum::money::cents_str(p.line_amount(ws.model(), line, 2026).unwrap()));
    let dw = template(ws.model(), &p, "DW").unwrap();
    assert!(dw.rows.iter().all(|r| !r[0].starts_with("10-000-211") && !r[0].starts_with("10-000-621") && !r[0].contains("-827-")),
        "computed lines (levy, aid, transfer) are not in a template: {:?}", dw.rows);
    assert!(template(ws.model(), &p, "NOPE").is_err(), "an unknown department is refused");
}

#[test]
fn an_untouched_template_reads_back_with_nothing_to_accept_as_csv_and_as_xlsx() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tiny(tmp.path());
    for name in ["s01.csv", "s01.xlsx"] {
        let out = tmp.path().join(name);
        department_template(&ws, "passes", "S01", &out).unwrap();
        let review = ws.review_draft("passes", &out).unwrap();
        assert!(review.items.is_empty() && review.overrides.is_empty(), "{name}: {review:?}");
        assert_eq!(review.unchanged_lines, 3, "{name}: the three S01 lines, each exactly as projected");
    }
}

#[test]
fn a_changed_year_is_reviewed_worked_by_hand_and_later_years_are_pinned_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tiny(tmp.path());
    let path = draft(&ws, tmp.path(), "passes", "C01", &[(PURCHASED, "2024-25", "$780,000.00")]);
    let before = ws.project("passes").unwrap();
    let line = ws.model().line_by_name(PURCHASED).unwrap();
    let projected_2026 = before.line_amount(ws.model(), line, 2026).unwrap();
    let r = ws.review_draft("passes", &path).unwrap();
    assert_eq!(r.departments, ["C01"]);
    assert_eq!(r.items.len(), 2, "2024-25 changed; 2025-26 is kept as the director wrote it");
    assert_eq!((r.items[0].year, r.items[0].current, r.items[0].proposed, r.items[0].change), (2025, 82_320_000, 78_000_000, -4_320_000));
    assert_eq!((r.items[1].year, r.items[1].current, r.items[1].proposed, r.items[1].change), (2026, projected_2026, projected_2026, 0),
        "pinned at the template's amount, not grown from the new 2024-25");
    // 2024-25: the 26 % central-office cut applies on top of the accepted amount.
    //   before: 823,200.00 − R(823,200.00 × 26 / 100) = 823,200.00 − 214,032.00 = 609,168.00
    //   after:  780,000.00 − R(780,000.00 × 26 / 100) = 780,000.00 − 202,800.00 = 577,200.00
    //   expense falls by 31,968.00, so the surplus rises by 31,968.00.
    assert_eq!((r.surplus_change[0].year, r.surplus_change[0].change), (2025, 3_196_800));
    // 2025-26: the line is pinned at its old projection, so the year itself does not move;
    // the fund balance carries 2024-25's gain.
    assert_eq!((r.surplus_change[1].year, r.surplus_change[1].change), (2026, 0));
    assert_eq!(r.fund_balance_change.iter().map(|c| c.change).collect::<Vec<_>>(), [3_196_800, 3_196_800]);
}

#[test]
fn accepting_writes_overrides_through_the_audited_door_and_undo_restores_the_projection() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = tiny(tmp.path());
    let before = ws.project("passes").unwrap();
    let path = draft(&ws, tmp.path(), "passes", "S01", &[("10-001-110-120000-000/expense", "2025-26", "6,200,000.00")]);
    let review = ws.review_draft("passes", &path).unwrap();
    ws.accept_draft("passes", &review).unwrap();
    let overrides = &ws.scenario("passes").unwrap().overrides;
    assert_eq!(overrides.len(), 1);
    assert_eq!((overrides[0].line.as_str(), overrides[0].year, overrides[0].amount.to_string()), ("10-001-110-120000-000/expense", 2026, "6200000.00".into()));
    let reopened = Workspace::open(&tmp.path().join("tiny.fulcrum")).unwrap();
    let line = reopened.model().line_by_name("10-001-110-120000-000/expense").unwrap();
    assert_eq!(reopened.project("passes").unwrap().line_amount(reopened.model(), line, 2026), Some(620_000_000), "written to the file");
    let entry = reopened.audit().unwrap().pop().unwrap();
    assert_eq!(entry.action, "scenarios");
    let detail: serde_json::Value = serde_json::from_str(&entry.detail).unwrap();
    assert_eq!(detail["accepted_projection"]["file"], "S01-draft.csv");
    assert_eq!(detail["accepted_projection"]["departments"], serde_json::json!(["S01"]));
    assert!(reopened.verify().unwrap().ok());
    drop(reopened);

    // Accepting the same draft again is accepting nothing: refused, nothing written.
    let again = ws.review_draft("passes", &path).unwrap();
    assert!(again.items.is_empty(), "after accepting, the draft is what the scenario projects");
    let bytes = std::fs::read(tmp.path().join("tiny.fulcrum")).unwrap();
    assert!(ws.accept_draft("passes", &again).is_err());
    assert_eq!(std::fs::read(tmp.path().join("tiny.fulcrum")).unwrap(), bytes);

    ws.undo().unwrap();
    let undone = ws.project("passes").unwrap();
    assert_eq!(undone.years, before.years, "undo restores the exact prior projection");
    assert!(ws.scenario("passes").unwrap().overrides.is_empty());
}

#[test]
fn an_accepted_amount_replaces_an_earlier_override_of_the_same_line_and_year() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = tiny(tmp.path());
    let line = "10-001-110-120000-000/expense";
    for amount in ["6,100,000.00", "6,050,000.00"] {
        let path = draft(&ws, tmp.path(), "passes", "S01", &[(line, "2024-25", amount)]);
        let review = ws.review_draft("passes", &path).unwrap();
        ws.accept_draft("passes", &review).unwrap();
    }
    let mine: Vec<_> = ws.scenario("passes").unwrap().overrides.iter().filter(|o| o.line == line && o.year == 2025).collect();
    assert_eq!(mine.len(), 1, "one override per line and year");
    assert_eq!(mine[0].amount.to_string(), "6050000.00");
}

#[test]
fn a_bad_draft_reports_every_problem_with_row_and_column_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tiny(tmp.path());
    let bytes = std::fs::read(tmp.path().join("tiny.fulcrum")).unwrap();
    let path = tmp.path().join("bad.csv");
    std::fs::write(
        &path,
        "line,description,2024-25,2025-26,2031-32,FY 2026,comment\n\
         10-001-110-120000-000/expense,Teacher salaries,1e3,,,,a director's note\n\
         10-000-211-000000-000/revenue,Property tax levy,5000000.00,,,,\n\
         10-999-110-120000-000/expense,Nowhere,1.00,,,,\n\
         10-001-110-120000-000/expense,Teacher salaries again,2.00,,,,\n",
    )
    .unwrap();
    let problems = read_draft(&path, ws.model()).unwrap_err();
    let found: Vec<(&str, Option<u32>, Option<&str>)> = problems.iter().map(|p| (p.code, p.row, p.column.as_deref())).collect();
    assert_eq!(
        found,
        [
            ("E081", Some(1), Some("2031-32")),
            ("E081", Some(1), Some("FY 2026")),
            ("E082", Some(2), Some("2024-25")),
            ("E083", Some(3), Some("line")),
            ("E083", Some(4), Some("line")),
            ("E083", Some(5), Some("line")),
        ],
        "{problems:#?}"
    );
    assert!(problems.iter().all(|p| p.file == "bad.csv"));
    assert!(!problems.iter().any(|p| p.column.as_deref() == Some("comment")), "a notes column is the director's own, not an error");
    assert!(problems[3].message.contains("computed (levy)"), "{}", problems[3].message);
    assert!(problems[5].message.contains("also on row 2"), "{}", problems[5].message);
    let e = ws.review_draft("passes", &path).unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    std::fs::write(tmp.path().join("empty.csv"), "").unwrap();
    assert_eq!(read_draft(&tmp.path().join("empty.csv"), ws.model()).unwrap_err()[0].code, "E002");
    std::fs::write(tmp.path().join("noline.csv"), "description,2024-25\nx,1.00\n").unwrap();
    assert_eq!(read_draft(&tmp.path().join("noline.csv"), ws.model()).unwrap_err()[0].code, "E080");
    drop(ws);
    assert_eq!(std::fs::read(tmp.path().join("tiny.fulcrum")).unwrap(), bytes, "reviewing a bad draft writes nothing");
}

#[test]
fn the_cli_writes_a_template_reviews_and_accepts_a_draft() {
    let tmp = tempfile::tempdir().unwrap();
    drop(tiny(tmp.path()));
    let run = |args: &[&str]| std::process::Command::new(env!("CARGO_BIN_EXE_fulcrum")).args(args).current_dir(tmp.path()).output().unwrap();
    let out = run(&["department", "template", "tiny.fulcrum", "--scenario", "passes", "--department", "C01", "--out", "c01.csv"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(tmp.path().join("c01.csv")).unwrap().replace(",823200.00,", ",780000.00,");
    std::fs::write(tmp.path().join("c01.csv"), text).unwrap();
    let out = run(&["department", "review", "tiny.fulcrum", "--scenario", "passes", "c01.csv", "--json"]);
    let review: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(review["items"][0]["change"], "-43200.00", "money is exact text in JSON");
    assert_eq!(review["surplus_change"][0]["change"], "31968.00");
    let out = run(&["department", "accept", "tiny.fulcrum", "--scenario", "passes", "c01.csv"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("accepted into passes: 2 amount(s)"));
    let out = run(&["department", "accept", "tiny.fulcrum", "--scenario", "baseline", "c01.csv"]);
    assert!(!out.status.success(), "baseline is the package itself; nothing is accepted into it");
}

mod accepted_drafts {
    use super::*;
    use proptest::prelude::*;

    /// An edit to a template: a row (by index into the template), a year column, an amount in cents.
    fn edits() -> impl Strategy<Value = Vec<(usize, usize, i64)>> {
        proptest::collection::vec((0usize..20, 0usize..2, -50_000_000i64..1_000_000_000), 1..6)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Whatever a director writes, once accepted the scenario projects every amount
        /// they wrote from each line's first change on, exactly; lines they left alone
        /// project as before; and the review's surplus change is the projection's.
        #[test]
        fn an_accepted_draft_projects_exactly_what_the_director_wrote(edits in edits(), department in 0usize..3) {
            let tmp = tempfile::tempdir().unwrap();
            let mut ws = tiny(tmp.path());
            let department = ["S01", "C01", "DW"][department];
            let before = ws.project("passes").unwrap();
            let mut t = template(ws.model(), &before, department).unwrap();
            for &(row, col, cents) in &edits {
                let row = row % t.rows.len();
                t.rows[row][4 + col] = fulcrum::money::cents_str(cents);
            }
            let path = tmp.path().join("draft.csv");
            std::fs::write(&path, t.to_csv()).unwrap();
            let review = ws.review_draft("passes", &path).unwrap();
            if review.items.is_empty() {
                prop_assert!(ws.accept_draft("passes", &review).is_err(), "nothing to accept is refused");
                return Ok(());
            }
            ws.accept_draft("passes", &review).unwrap();
            let after = ws.project("passes").unwrap();
            let model = ws.model();
            for row in &t.rows {
                let line = model.line_by_name(&row[0]).unwrap();
                let written: Vec<i64> = row[4..].iter().map(|c| fulcrum::money::parse_amount(c).unwrap()).collect();
                let first_change = (0..written.len()).find(|&k| written[k] != before.line_amount(model, line, 2025 + k as i32).unwrap());
                for k in 0..written.len() {
                    let year = 2025 + k as i32;
                    let now = after.line_amount(model, line, year).unwrap();
                    match first_change {
                        Some(f) if k >= f => prop_assert_eq!(now, written[k], "{} {} as written", &row[0], year),
                        Some(_) => prop_assert_eq!(now, before.line_amount(model, line, year).unwrap(), "{} {} before the first change", &row[0], year),
                        None => prop_assert_eq!(now, before.line_amount(model, line, year).unwrap(), "{} {} left alone", &row[0], year),
                    }
                }
            }
            for (c, (b, a)) in review.surplus_change.iter().zip(before.years.iter().zip(&after.years).skip(1)) {
                prop_assert_eq!(c.change, a.surplus - b.surplus, "the review priced {} as the projection does", c.year);
            }
            ws.undo().unwrap();
            prop_assert_eq!(ws.project("passes").unwrap().years, before.years);
        }
    }
}
