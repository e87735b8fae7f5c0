//! Validation: every class of problem the importer reports (E001–E031), each
//! located by file, row (the header is row 1) and column, and all problems of a
//! package reported at once.
//!
//! Each test copies the valid tiny district into a temporary folder, breaks one
//! thing, and checks the problem that names it.

use std::fs;
use std::path::{Path, PathBuf};

use fulcrum::error::{Error, Problem};
use fulcrum::import::load_package;
use tempfile::TempDir;

fn tiny() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-district")
}

/// A writable copy of the tiny district.
fn copy_of_tiny() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(tiny()).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

/// Replaces the one occurrence of `from` in `file` (it must occur exactly once).
fn edit(dir: &TempDir, file: &str, from: &str, to: &str) {
    let path = dir.path().join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once in {file}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn write(dir: &TempDir, file: &str, text: &str) {
    fs::write(dir.path().join(file), text).unwrap();
}

fn problems(dir: &Path) -> Vec<Problem> {
    match load_package(dir) {
        Ok(_) => panic!("the package should be refused"),
        Err(Error::Invalid(p)) => p,
        Err(e) => panic!("expected Error::Invalid, got {e}"),
    }
}

/// The package loads.
fn loads(dir: &Path) -> fulcrum::import::Loaded {
    load_package(dir).unwrap_or_else(|e| panic!("the package should load: {e}"))
}

/// Asserts that the package's only problem is `code` at `file`, `row`, `column`.
#[track_caller]
fn only(dir: &TempDir, code: &str, file: &str, row: Option<u32>, column: Option<&str>) -> Problem {
    let found = problems(dir.path());
    assert_eq!(found.len(), 1, "expected exactly one problem, got {found:#?}");
    let p = found.into_iter().next().unwrap();
    assert_located(&p, code, file, row, column);
    p
}

#[track_caller]
fn assert_located(p: &Problem, code: &str, file: &str, row: Option<u32>, column: Option<&str>) {
    assert_eq!(
        (p.code, p.file.as_str(), p.row, p.column.as_deref()),
        (code, file, row, column),
        "problem: {p}"
    );
}

// budget_lines.csv rows of the tiny district (the header is row 1).
const ROW_SALARIES: u32 = 2;
const ROW_BENEFITS: u32 = 3;
const BENEFITS: &str = "10,001,expense,210,120000,000,S01,Teacher benefits,2400000.00,,";

#[test]
fn the_tiny_fixture_itself_is_valid() {
    let loaded = loads(&tiny());
    assert_eq!(loaded.package.lines.len(), 10);
    assert_eq!(loaded.scenarios.len(), 1);
}

// --- E001: a file cannot be read -------------------------------------------

#[test]
fn e001_a_missing_file_is_named() {
    let dir = copy_of_tiny();
    fs::remove_file(dir.path().join("membership.csv")).unwrap();
    let p = only(&dir, "E001", "membership.csv", None, None);
    assert!(p.message.contains("year,membership"), "the message says which columns the file needs: {p}");
}

#[test]
fn e001_a_path_that_is_not_a_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-package");
    let found = problems(&missing);
    assert_eq!(found.len(), 1);
    assert_located(&found[0], "E001", &missing.display().to_string(), None, None);
}

// --- E002: a file is not CSV text --------------------------------------------

#[test]
fn e002_an_empty_file_is_refused() {
    let dir = copy_of_tiny();
    write(&dir, "departments.csv", "");
    only(&dir, "E002", "departments.csv", None, None);
}

#[test]
fn e002_a_file_that_is_not_utf8_names_the_row_of_the_bad_byte() {
    let dir = copy_of_tiny();
    let path = dir.path().join("budget_lines.csv");
    let text = fs::read_to_string(&path).unwrap();
    let mut bytes = text.replacen("Teacher benefits", "Teacher benefits \u{1}", 1).into_bytes();
    let at = bytes.iter().position(|&b| b == 1).unwrap();
    bytes[at] = 0xFF; // Latin-1 ÿ, not UTF-8, on the benefits row
    fs::write(&path, bytes).unwrap();
    only(&dir, "E002", "budget_lines.csv", Some(ROW_BENEFITS), None);
}

#[test]
fn e002_a_binary_file_is_refused() {
    let dir = copy_of_tiny();
    fs::write(dir.path().join("funds.csv"), b"fund,name\0\0\x01\x02").unwrap();
    only(&dir, "E002", "funds.csv", None, None);
}

#[test]
fn e002_csv_with_an_unterminated_quote_is_refused() {
    let dir = copy_of_tiny();
    write(&dir, "departments.csv", "code,name,kind\n\"S01,Lincoln Elementary,school\n");
    let p = only(&dir, "E002", "departments.csv", None, None);
    assert!(p.message.contains("not well-formed CSV"), "{p}");
}

// --- E003 / E004: the header ---------------------------------------------------

#[test]
fn e003_a_missing_column_is_reported_on_the_header_row() {
    let dir = copy_of_tiny();
    write(&dir, "departments.csv", "code,name\nS01,Lincoln Elementary\nC01,Business Office\nDW,Districtwide\n");
    let p = only(&dir, "E003", "departments.csv", Some(1), None);
    assert!(p.message.contains("\"kind\""), "the message names the missing column: {p}");
}

#[test]
fn e004_an_unexpected_column_is_named() {
    let dir = copy_of_tiny();
    write(&dir, "funds.csv", "fund,name,opening_balance,operating,notes\n10,General,1500000.00,true,x\n27,Special Education,0.00,true,\n");
    only(&dir, "E004", "funds.csv", Some(1), Some("notes"));
}

#[test]
fn columns_may_come_in_any_order() {
    let dir = copy_of_tiny();
    write(&dir, "funds.csv", "operating,opening_balance,fund,name\ntrue,1500000.00,10,General\ntrue,0.00,27,Special Education\n");
    let loaded = loads(dir.path());
    assert_eq!(loaded.package.fund("10").unwrap().opening_balance, 150_000_000, "1,500,000.00 read from its named column");
}

// --- E010: amounts -----------------------------------------------------------------

#[test]
fn e010_amount_forms_outside_the_contract_are_refused_with_file_row_and_column() {
    // MODEL.md §3: `1e3`, `1.234`, `1,23`, `(-1)` and empty are errors.
    for bad in ["1e3", "1.234", "\"1,23\"", "(-1)", ""] {
        let dir = copy_of_tiny();
        edit(&dir, "budget_lines.csv", BENEFITS, &BENEFITS.replace("2400000.00", bad));
        let found = problems(dir.path());
        assert_eq!(found.len(), 1, "{bad:?}: {found:#?}");
        assert_located(&found[0], "E010", "budget_lines.csv", Some(ROW_BENEFITS), Some("amount"));
    }
}

#[test]
fn amount_forms_of_the_contract_are_accepted() {
    for (text, cents) in [
        ("1234.5", 123_450),
        ("-1234.50", -123_450),
        ("\"1,234.50\"", 123_450),
        ("\"$1,234.50\"", 123_450),
        ("\"(1,234.50)\"", -123_450),
        ("\"($1,234.50)\"", -123_450),
        ("\"-$1,234.50\"", -123_450),
        ("7", 700),
    ] {
        let dir = copy_of_tiny();
        edit(&dir, "budget_lines.csv", BENEFITS, &BENEFITS.replace("2400000.00", text));
        let loaded = loads(dir.path());
        let line = loaded.package.line_index("10-001-210-120000-000/expense").unwrap();
        assert_eq!(loaded.package.lines[line].amount, cents, "{text} is {cents} cents");
    }
}

#[test]
fn e010_a_bad_opening_balance_and_revenue_limit_are_located() {
    let dir = copy_of_tiny();
    edit(&dir, "funds.csv", "10,General,1500000.00,true", "10,General,1.500.000,true");
    edit(&dir, "district.csv", "revenue_limit_recurring_base,12000000.00", "revenue_limit_recurring_base,12M");
    let found = problems(dir.path());
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().any(|p| p.code == "E010" && p.file == "funds.csv" && p.row == Some(2) && p.column.as_deref() == Some("opening_balance")), "{found:#?}");
    assert!(found.iter().any(|p| p.code == "E010" && p.file == "district.csv" && p.row == Some(5) && p.column.as_deref() == Some("value")), "{found:#?}");
}

// --- E011: years and whole numbers -------------------------------------------------

#[test]
fn e011_a_horizon_beyond_ten_years_is_refused() {
    let dir = copy_of_tiny();
    edit(&dir, "district.csv", "horizon,2", "horizon,11");
    only(&dir, "E011", "district.csv", Some(4), Some("value"));
}

#[test]
fn e011_membership_that_is_not_a_whole_number_is_refused() {
    let dir = copy_of_tiny();
    edit(&dir, "membership.csv", "2023,990", "2023,990.5");
    only(&dir, "E011", "membership.csv", Some(3), Some("membership"));
}

#[test]
fn e011_an_assumption_year_that_is_not_a_year_is_refused() {
    let dir = copy_of_tiny();
    edit(&dir, "assumptions.csv", "2026,membership,950", "FY26,membership,950");
    only(&dir, "E011", "assumptions.csv", Some(3), Some("year"));
}

// --- E012: decimals and assumption values --------------------------------------------

#[test]
fn e012_an_assumption_value_that_is_not_a_number_is_refused() {
    let dir = copy_of_tiny();
    edit(&dir, "assumptions.csv", "2025,salary_increase_pct,2.63", "2025,salary_increase_pct,2.63%");
    only(&dir, "E012", "assumptions.csv", Some(4), Some("value"));
}

#[test]
fn e012_a_zero_equalized_value_is_refused_because_the_tax_divides_by_it() {
    let dir = copy_of_tiny();
    edit(&dir, "assumptions.csv", "2026,equalized_value,930000000", "2026,equalized_value,0");
    only(&dir, "E012", "assumptions.csv", Some(19), Some("value"));
}

#[test]
fn e012_a_bad_fte_and_reserve_policy_are_refused() {
    let dir = copy_of_tiny();
    edit(&dir, "budget_lines.csv", "Teacher salaries,\"6,000,000.00\",80,", "Teacher salaries,\"6,000,000.00\",eighty,");
    edit(&dir, "district.csv", "reserve_policy_pct,10", "reserve_policy_pct,150");
    let found = problems(dir.path());
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().any(|p| (p.code, p.file.as_str(), p.row, p.column.as_deref()) == ("E012", "district.csv", Some(6), Some("value"))), "{found:#?}");
    assert!(found.iter().any(|p| (p.code, p.file.as_str(), p.row, p.column.as_deref()) == ("E012", "budget_lines.csv", Some(ROW_SALARIES), Some("fte"))), "{found:#?}");
}

// --- E013: digit fields ------------------------------------------------------------------

#[test]
fn e013_fields_with_the_wrong_number_of_digits_are_located() {
    for (column, to) in [
        ("fund", "1O,001,expense,210,120000,000,S01,Teacher benefits,2400000.00,,"),
        ("location", "10,01,expense,210,120000,000,S01,Teacher benefits,2400000.00,,"),
        ("code", "10,001,expense,21,120000,000,S01,Teacher benefits,2400000.00,,"),
        ("function", "10,001,expense,210,000000,000,S01,Teacher benefits,2400000.00,,"),
        ("project", "10,001,expense,210,120000,0001,S01,Teacher benefits,2400000.00,,"),
    ] {
        let dir = copy_of_tiny();
        edit(&dir, "budget_lines.csv", BENEFITS, to);
        let found = problems(dir.path());
        assert_eq!(found.len(), 1, "{column}: {found:#?}");
        assert_located(&found[0], "E013", "budget_lines.csv", Some(ROW_BENEFITS), Some(column));
    }
}

#[test]
fn e013_a_fund_code_in_funds_csv_must_be_two_digits() {
    let dir = copy_of_tiny();
    edit(&dir, "funds.csv", "27,Special Education", "270,Special Education");
    only(&dir, "E013", "funds.csv", Some(3), Some("fund"));
}

// --- E014: closed vocabularies -----------------------------------------------------------

#[test]
fn e014_words_outside_their_vocabulary_are_located() {
    let dir = copy_of_tiny();
    edit(&dir, "funds.csv", "10,General,1500000.00,true", "10,General,1500000.00,yes");
    only(&dir, "E014", "funds.csv", Some(2), Some("operating"));

    let dir = copy_of_tiny();
    edit(&dir, "departments.csv", "C01,Business Office,central", "C01,Business Office,office");
    only(&dir, "E014", "departments.csv", Some(3), Some("kind"));

    let dir = copy_of_tiny();
    edit(&dir, "budget_lines.csv", BENEFITS, &BENEFITS.replace("expense", "expenses"));
    only(&dir, "E014", "budget_lines.csv", Some(ROW_BENEFITS), Some("kind"));
}

// --- E015 / E016: names that must exist ---------------------------------------------------

#[test]
fn e015_a_line_naming_an_unknown_department_is_refused() {
    let dir = copy_of_tiny();
    edit(&dir, "budget_lines.csv", BENEFITS, &BENEFITS.replace("S01", "S99"));
    only(&dir, "E015", "budget_lines.csv", Some(ROW_BENEFITS), Some("department"));
}

#[test]
fn e016_a_line_naming_a_fund_missing_from_funds_csv_is_refused() {
    let dir = copy_of_tiny();
    edit(&dir, "budget_lines.csv", BENEFITS, &BENEFITS.replacen("10,", "21,", 1));
    only(&dir, "E016", "budget_lines.csv", Some(ROW_BENEFITS), Some("fund"));
}

// --- E017: rules ------------------------------------------------------------------------------

#[test]
fn e017_computed_and_unknown_rules_are_refused() {
    // Writing a computed rule, any rule on a computed line, or a rule that does not exist.
    for (from, to, row) in [
        (BENEFITS, BENEFITS.replace(",,", ",,levy"), ROW_BENEFITS),
        (BENEFITS, BENEFITS.replace(",,", ",,grow"), ROW_BENEFITS),
        (
            "10,000,revenue,211,000000,000,DW,Property tax levy,4800000.00,,",
            "10,000,revenue,211,000000,000,DW,Property tax levy,4800000.00,,flat".to_string(),
            9,
        ),
    ] {
        let dir = copy_of_tiny();
        edit(&dir, "budget_lines.csv", from, &to);
        let found = problems(dir.path());
        assert_eq!(found.len(), 1, "{to}: {found:#?}");
        assert_located(&found[0], "E017", "budget_lines.csv", Some(row), Some("rule"));
    }
}

// --- E018: rows of one line must agree ----------------------------------------------------------

#[test]
fn e018_rows_of_one_line_with_different_departments_are_refused() {
    let dir = copy_of_tiny();
    let second = "10,001,expense,210,120000,000,C01,More benefits,100.00,,";
    edit(&dir, "budget_lines.csv", BENEFITS, &format!("{BENEFITS}\n{second}"));
    let p = only(&dir, "E018", "budget_lines.csv", Some(ROW_BENEFITS + 1), Some("department"));
    assert!(p.message.contains(&format!("row {ROW_BENEFITS}")), "the message points at the first row: {p}");
}

#[test]
fn e018_rows_of_one_line_with_different_rules_are_refused() {
    let dir = copy_of_tiny();
    let second = "10,001,expense,210,120000,000,S01,More benefits,100.00,,flat";
    edit(&dir, "budget_lines.csv", BENEFITS, &format!("{BENEFITS}\n{second}"));
    only(&dir, "E018", "budget_lines.csv", Some(ROW_BENEFITS + 1), Some("rule"));
}

// --- E019: duplicates -----------------------------------------------------------------------------

#[test]
fn e019_duplicates_are_reported_on_the_second_row() {
    let dir = copy_of_tiny();
    edit(&dir, "funds.csv", "27,Special Education,0.00,true", "27,Special Education,0.00,true\n10,General again,0,true");
    only(&dir, "E019", "funds.csv", Some(4), Some("fund"));

    let dir = copy_of_tiny();
    edit(&dir, "assumptions.csv", "2026,inflation_pct,2.5", "2026,inflation_pct,2.5\n2026,inflation_pct,2.6");
    only(&dir, "E019", "assumptions.csv", Some(10), Some("key"));

    let dir = copy_of_tiny();
    edit(&dir, "membership.csv", "2024,975", "2024,975\n2024,976");
    only(&dir, "E019", "membership.csv", Some(5), Some("year"));

    let dir = copy_of_tiny();
    edit(&dir, "district.csv", "horizon,2", "horizon,2\nhorizon,3");
    only(&dir, "E019", "district.csv", Some(5), Some("key"));

    let dir = copy_of_tiny();
    edit(&dir, "departments.csv", "DW,Districtwide,districtwide", "DW,Districtwide,districtwide\nDW,Again,central");
    only(&dir, "E019", "departments.csv", Some(5), Some("code"));
}

// --- E020: district keys ---------------------------------------------------------------------------

#[test]
fn e020_an_unknown_district_key_is_located() {
    let dir = copy_of_tiny();
    edit(&dir, "district.csv", "horizon,2", "horizon,2\nstate,WI");
    only(&dir, "E020", "district.csv", Some(5), Some("key"));
}

#[test]
fn e020_a_missing_district_key_names_the_key_column() {
    let dir = copy_of_tiny();
    edit(&dir, "district.csv", "reserve_policy_pct,10\n", "");
    let p = only(&dir, "E020", "district.csv", None, Some("key"));
    assert!(p.message.contains("reserve_policy_pct"), "{p}");
}

#[test]
fn a_missing_horizon_defaults_to_five_years() {
    let dir = copy_of_tiny();
    edit(&dir, "district.csv", "horizon,2\n", "");
    // Five projection years need assumptions for 2027–2029 too.
    let extra: String = fs::read_to_string(dir.path().join("assumptions.csv"))
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("2026,"))
        .flat_map(|l| (2027..=2029).map(move |y| format!("{y}{}\n", &l[4..])))
        .collect();
    let path = dir.path().join("assumptions.csv");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text + &extra).unwrap();
    assert_eq!(loads(dir.path()).package.district.horizon, 5, "MODEL.md §2: H defaults to 5");
}

// --- E021: membership history ---------------------------------------------------------------------

#[test]
fn e021_membership_must_cover_the_three_years_ending_in_b() {
    let dir = copy_of_tiny();
    edit(&dir, "membership.csv", "2023,990\n", "");
    let p = only(&dir, "E021", "membership.csv", None, Some("year"));
    assert!(p.message.contains("2023"), "{p}");
}

// --- E022: assumption keys ---------------------------------------------------------------------------

#[test]
fn e022_an_unknown_assumption_key_is_located() {
    let dir = copy_of_tiny();
    edit(&dir, "assumptions.csv", "2026,inflation_pct,2.5", "2026,inflation_pct,2.5\n2026,cpi,2.5");
    only(&dir, "E022", "assumptions.csv", Some(10), Some("key"));
}

#[test]
fn e022_every_key_is_needed_for_every_projection_year() {
    let dir = copy_of_tiny();
    edit(&dir, "assumptions.csv", "2026,levy_outside_limit,250000\n", "");
    let p = only(&dir, "E022", "assumptions.csv", None, Some("key"));
    assert!(p.message.contains("levy_outside_limit") && p.message.contains("2026"), "{p}");
}

// --- E023: the general and special-education funds ---------------------------------------------------

#[test]
fn e023_fund_10_must_exist_and_it_and_fund_27_must_be_operating() {
    let dir = copy_of_tiny();
    write(&dir, "funds.csv", "fund,name,opening_balance,operating\n27,Special Education,0.00,true\n");
    only(&dir, "E023", "funds.csv", None, Some("fund"));

    let dir = copy_of_tiny();
    edit(&dir, "funds.csv", "10,General,1500000.00,true", "10,General,1500000.00,false");
    only(&dir, "E023", "funds.csv", None, Some("operating"));

    let dir = copy_of_tiny();
    edit(&dir, "funds.csv", "27,Special Education,0.00,true", "27,Special Education,0.00,false");
    only(&dir, "E023", "funds.csv", None, Some("operating"));
}

// --- E030 / E031: scenarios.json --------------------------------------------------------------------------

#[test]
fn e030_scenarios_json_that_does_not_parse_names_its_line_and_character() {
    let dir = copy_of_tiny();
    write(&dir, "scenarios.json", "{\"scenarios\": [\n  {\"name\": \"x\",, }\n]}\n");
    let p = only(&dir, "E030", "scenarios.json", Some(2), Some("character 16"));
    assert!(p.message.contains("not valid scenarios JSON"), "{p}");
}

#[test]
fn e030_a_lever_missing_a_field_of_its_type_is_refused() {
    let dir = copy_of_tiny();
    edit(&dir, "scenarios.json", ",\n    \"filter\": {\"kind\": \"expense\", \"department_kinds\": [\"central\"]}", "");
    let p = only(&dir, "E030", "scenarios.json", None, None);
    assert!(p.message.contains("\"filter\"") && p.message.contains("cut-central"), "{p}");
}

#[test]
fn e031_scenario_problems_are_all_reported() {
    let dir = copy_of_tiny();
    write(
        &dir,
        "scenarios.json",
        r#"{"scenarios": [
 {"name": "baseline", "description": "reserved name"},
 {"name": "orphan", "parent": "nobody"},
 {"name": "late", "referenda": [{"name": "r", "kind": "recurring", "schedule": [{"year": 2027, "amount": "1.00"}]}]},
 {"name": "levy-override", "overrides": [{"line": "10-000-211-000000-000/revenue", "year": 2025, "amount": "1.00"}]},
 {"name": "off-grid", "levers": [{"id": "c", "name": "Cut", "type": "percent", "value": "-2.5",
   "min": "-40", "max": "0", "step": "1", "start_year": 2025, "recurring": true, "filter": {}}]},
 {"name": "a", "parent": "b"}, {"name": "b", "parent": "a"}
]}"#,
    );
    let found = problems(dir.path());
    for p in &found {
        assert_located(p, "E031", "scenarios.json", None, None);
    }
    for needle in ["reserved", "\"nobody\"", "2027 is outside", "computed (levy)", "not on the grid", "cycle"] {
        assert!(found.iter().any(|p| p.message.contains(needle)), "a problem mentions {needle:?}: {found:#?}");
    }
}

#[test]
fn e031_a_scenario_cannot_set_membership_or_equalized_value_to_zero() {
    // The package refuses these (E012) because the enrollment rule and the tax divide
    // by them; a scenario's assumption or assumption lever must be refused as well,
    // not accepted and then fail when projected.
    let dir = copy_of_tiny();
    write(
        &dir,
        "scenarios.json",
        r#"{"scenarios": [
 {"name": "empty-schools", "assumptions": [{"year": 2025, "key": "membership", "value": "0"}]},
 {"name": "no-value", "levers": [{"id": "ev", "name": "EV", "type": "assumption", "key": "equalized_value",
   "value": "0", "min": "0", "max": "1", "step": "1", "start_year": 2026, "recurring": true}]}
]}"#,
    );
    let found = problems(dir.path());
    assert_eq!(found.len(), 2, "{found:#?}");
    for p in &found {
        assert_located(p, "E031", "scenarios.json", None, None);
    }
}

// --- rows and several problems at once -----------------------------------------------------------------

#[test]
fn empty_rows_are_skipped_but_still_counted_in_row_numbers() {
    // A blank line, and a row of bare commas as a spreadsheet saves an empty row, are
    // not budget lines: they are skipped rather than refused cell by cell.
    let dir = copy_of_tiny();
    edit(&dir, "budget_lines.csv", BENEFITS, &format!("{BENEFITS}\n\n,,,,,,,,,,"));
    edit(&dir, "budget_lines.csv", "special education,900000.00,,", "special education,1e3,,");
    // Header 1, salaries 2, benefits 3, blank 4, commas 5, purchased services 6, transfer 7.
    only(&dir, "E010", "budget_lines.csv", Some(7), Some("amount"));
}

#[test]
fn trailing_blank_lines_and_crlf_line_ends_load() {
    let dir = copy_of_tiny();
    for file in ["budget_lines.csv", "district.csv", "funds.csv", "assumptions.csv", "membership.csv", "departments.csv"] {
        let path = dir.path().join(file);
        let text = fs::read_to_string(&path).unwrap().replace('\n', "\r\n") + "\r\n\r\n";
        fs::write(&path, text).unwrap();
    }
    let loaded = loads(dir.path());
    assert_eq!(loaded.package.lines.len(), 10, "the blank rows add no lines");
    assert_eq!(loaded.package.funds.len(), 2, "the blank rows add no funds");
}

#[test]
fn problems_in_several_files_are_reported_at_once() {
    let dir = copy_of_tiny();
    edit(&dir, "district.csv", "horizon,2", "horizon,0");
    edit(&dir, "membership.csv", "2022,1000", "2022,many");
    edit(&dir, "budget_lines.csv", BENEFITS, &BENEFITS.replace("2400000.00", "1e3"));
    edit(&dir, "budget_lines.csv", "10,900,expense,310,252000,000,C01", "99,900,expense,310,252000,000,C01");
    edit(&dir, "assumptions.csv", "2025,inflation_pct,2.9", "2025,inflation_pct,two");
    let found = problems(dir.path());
    let located: Vec<_> = found.iter().map(|p| (p.code, p.file.as_str(), p.row, p.column.as_deref())).collect();
    for expected in [
        ("E011", "district.csv", Some(4), Some("value")),
        ("E011", "membership.csv", Some(2), Some("membership")),
        ("E010", "budget_lines.csv", Some(ROW_BENEFITS), Some("amount")),
        ("E016", "budget_lines.csv", Some(4), Some("fund")),
        ("E012", "assumptions.csv", Some(8), Some("value")),
    ] {
        assert!(located.contains(&expected), "{expected:?} is among the problems: {located:#?}");
    }
    assert_eq!(found.len(), 5, "one problem per broken cell: {located:#?}");
}
