//! The district file: what it stores, what it refuses, and that refusing loses nothing.

use std::path::{Path, PathBuf};

use fulcrum::generate::write_sample_district;
use fulcrum::import::load_package;
use fulcrum::store::{DistrictFile, APPLICATION_ID, FORMAT_VERSION};
use fulcrum::workspace::Workspace;
use fulcrum::Error;
use rusqlite::Connection;

fn sample(tmp: &Path) -> PathBuf {
    let dir = tmp.join("sample");
    write_sample_district(&dir).expect("the sample district writes");
    dir
}

#[test]
fn a_new_file_holds_the_package_and_scenarios_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sample(tmp.path());
    let loaded = load_package(&dir).unwrap();
    let path = tmp.path().join("d.fulcrum");
    let file = DistrictFile::create(&path, &loaded, false).unwrap();
    assert_eq!(file.package().unwrap(), loaded.package, "package → file → package must be the identity");
    assert_eq!(file.scenarios().unwrap(), loaded.scenarios, "scenarios keep their order and every setting");
}

#[test]
fn the_file_is_marked_as_fulcrums_with_wal_and_foreign_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("d.fulcrum");
    Workspace::create(&path, &sample(tmp.path()), false).unwrap();
    let conn = Connection::open(&path).unwrap();
    let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    let journal: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(app, APPLICATION_ID);
    assert_eq!(version, FORMAT_VERSION);
    assert_eq!(journal, "wal", "the file is opened in WAL mode, which persists in the file");
    let fk: Vec<String> = conn
        .prepare("SELECT \"table\" FROM pragma_foreign_key_list('budget_lines')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert!(fk.contains(&"funds".to_string()) && fk.contains(&"departments".to_string()), "lines reference funds and departments: {fk:?}");
}

#[test]
fn money_is_stored_as_integer_cents_never_real() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("d.fulcrum");
    Workspace::create(&path, &sample(tmp.path()), false).unwrap();
    let conn = Connection::open(&path).unwrap();
    let real_columns: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema s, pragma_table_info(s.name) c WHERE s.type = 'table' AND upper(c.type) IN ('REAL', 'FLOAT', 'DOUBLE')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(real_columns, 0, "no column may hold floating point");
    let kinds: Vec<String> =
        conn.prepare("SELECT DISTINCT typeof(amount_cents) FROM budget_lines").unwrap().query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
    assert_eq!(kinds, vec!["integer".to_string()]);
    // Row 2 of the sample's budget_lines.csv is 733,872.50.
    let first: i64 = conn.query_row("SELECT amount_cents FROM budget_lines WHERE id = 0", [], |r| r.get(0)).unwrap();
    assert_eq!(first, 73_387_250, "733,872.50 dollars is 73,387,250 cents");
}

#[test]
fn an_existing_file_is_not_overwritten_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sample(tmp.path());
    let path = tmp.path().join("d.fulcrum");
    std::fs::write(&path, b"precious").unwrap();
    let err = Workspace::create(&path, &dir, false).unwrap_err();
    assert!(matches!(err, Error::Exists { .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"precious", "the existing file is untouched");
    Workspace::create(&path, &dir, true).expect("--force replaces it");
    assert!(Workspace::open(&path).is_ok());
}

#[test]
fn a_bad_package_leaves_no_file_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sample(tmp.path());
    std::fs::write(dir.join("funds.csv"), "fund,name,opening_balance,operating\n10,General,12x,true\n").unwrap();
    let path = tmp.path().join("d.fulcrum");
    let err = Workspace::create(&path, &dir, false).unwrap_err();
    assert!(matches!(err, Error::Invalid(_)), "{err}");
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, vec![std::ffi::OsString::from("sample")], "neither the file nor a partial one may remain");
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_with_a_message() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, bytes) in [("empty.fulcrum", &b""[..]), ("text.fulcrum", b"fund,name\n10,General\n"), ("png.fulcrum", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")] {
        let path = tmp.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = Workspace::open(&path).unwrap_err();
        assert!(matches!(err, Error::NotFulcrum { .. }), "{name}: {err}");
        assert!(err.to_string().contains("not a Fulcrum file"), "{name}: the message says what is wrong: {err}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name} is left as it was");
    }
}

#[test]
fn another_programs_sqlite_database_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("other.fulcrum");
    Connection::open(&path).unwrap().execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);").unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = Workspace::open(&path).unwrap_err();
    assert!(matches!(err, Error::NotFulcrum { .. }), "{err}");
    assert!(err.to_string().contains("not one Fulcrum wrote"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "refusing does not write");
}

#[test]
fn a_file_from_a_newer_fulcrum_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("d.fulcrum");
    drop(Workspace::create(&path, &sample(tmp.path()), false).unwrap());
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(&format!("PRAGMA journal_mode = DELETE; PRAGMA user_version = {};", FORMAT_VERSION + 1)).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Workspace::open(&path).unwrap_err();
    match &err {
        Error::TooNew { found, supported, .. } => assert_eq!((*found, *supported), (FORMAT_VERSION + 1, FORMAT_VERSION)),
        other => panic!("expected TooNew, got {other}"),
    }
    assert!(err.to_string().contains("newer Fulcrum"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "a newer file must not be migrated or touched");
}

#[test]
fn a_missing_file_is_an_io_error_naming_the_path() {
    let err = Workspace::open(Path::new("/nonexistent/district.fulcrum")).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
    assert!(err.to_string().contains("/nonexistent/district.fulcrum"), "{err}");
}

#[test]
fn scenario_changes_persist_and_a_refused_change_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("d.fulcrum");
    let mut ws = Workspace::create(&path, &sample(tmp.path()), false).unwrap();
    ws.rename_scenario("referendum-passes", "passes").unwrap();
    assert_eq!(ws.scenario("passes-lean").and_then(|s| s.parent.clone()).as_deref(), Some("passes"), "children follow a rename");
    let err = ws.delete_scenario("passes").unwrap_err();
    assert!(err.to_string().contains("passes-lean"), "a parent cannot be deleted under its child: {err}");
    let bad = r#"{"scenarios": [{"name": "x", "parent": "nobody"}]}"#;
    assert!(ws.import_scenarios(bad, "bad.json").is_err());
    drop(ws);
    let ws = Workspace::open(&path).unwrap();
    let names: Vec<&str> = ws.scenarios().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["passes", "referendum-fails", "passes-lean", "fails-close-schools"], "the rename persisted; the refused import did not");
}
