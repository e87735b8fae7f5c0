//! Trust: the audit chain catches tampering, versions are frozen, undo is exact,
//! two writers cannot lose each other's changes, and a damaged file names its backup.

use std::path::{Path, PathBuf};

use fulcrum::audit::Break;
use fulcrum::report::ProjectionJson;
use fulcrum::scenario::{Override, Scenario};
use fulcrum::store::DistrictFile;
use fulcrum::workspace::Workspace;
use fulcrum::Error;
use rusqlite::Connection;

const FAILS: &str = "referendum-fails";

fn sample(dir: &Path) -> Workspace {
    Workspace::create_sample(&dir.join("lakeshore.fulcrum"), false).expect("the sample district builds")
}

fn lever_value(ws: &Workspace, scenario: &str, id: &str) -> rust_decimal::Decimal {
    ws.scenario(scenario).unwrap().levers.iter().find(|l| l.id == id).unwrap().value
}

fn move_lever(ws: &mut Workspace, scenario: &str, id: &str, steps: i64) {
    let mut s = ws.scenario(scenario).unwrap().clone();
    let l = s.levers.iter_mut().find(|l| l.id == id).unwrap();
    l.value += l.step * rust_decimal::Decimal::from(steps);
    ws.put_scenario(s).unwrap();
}

fn projection(ws: &Workspace, name: &str) -> serde_json::Value {
    serde_json::to_value(ProjectionJson::of(&ws.project(name).unwrap())).unwrap()
}

/// A file with a handful of audited changes, and a raw connection to tamper with it.
fn tampered(dir: &Path, sql: &str) -> Option<Break> {
    let mut ws = sample(dir);
    for _ in 0..4 {
        move_lever(&mut ws, FAILS, "cut-central", 1);
    }
    let path = ws.path().to_path_buf();
    drop(ws);
    let c = Connection::open(&path).unwrap();
    // What an attacker with any SQLite client does first: the append-only triggers go.
    c.execute_batch("DROP TRIGGER audit_log_append_only_update; DROP TRIGGER audit_log_append_only_delete;").unwrap();
    c.execute_batch(sql).unwrap();
    drop(c);
    DistrictFile::open_read_only(&path).unwrap().verify().unwrap().first_break
}

#[test]
fn an_untouched_chain_verifies() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(tampered(dir.path(), "SELECT 1"), None, "create + four lever moves chain intact");
}

#[test]
fn the_log_refuses_updates_and_deletes_from_any_sqlite_client() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let c = Connection::open(ws.path()).unwrap();
    assert!(c.execute("UPDATE audit_log SET os_user = 'someone'", []).is_err(), "the trigger refuses an update");
    assert!(c.execute("DELETE FROM audit_log", []).is_err(), "and a delete");
}

#[test]
fn verify_names_an_altered_entry() {
    let dir = tempfile::tempdir().unwrap();
    let b = tampered(dir.path(), "UPDATE audit_log SET detail = replace(detail, 'Cut central office', 'Cut nothing') WHERE seq = 3");
    assert_eq!(b, Some(Break::Altered { seq: 3 }), "entry 3's detail was rewritten");
    let dir = tempfile::tempdir().unwrap();
    let b = tampered(dir.path(), "UPDATE audit_log SET os_user = 'mallory' WHERE seq = 1");
    assert_eq!(b, Some(Break::Altered { seq: 1 }), "who made the first change was rewritten");
}

#[test]
fn verify_names_an_entry_altered_and_rehashed_by_the_next_one_that_no_longer_chains() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample(dir.path());
    for _ in 0..3 {
        move_lever(&mut ws, FAILS, "cut-central", 1);
    }
    let path = ws.path().to_path_buf();
    drop(ws);
    let c = Connection::open(&path).unwrap();
    c.execute_batch("DROP TRIGGER audit_log_append_only_update;").unwrap();
    // A careful forger recomputes entry 2's own hash after changing it…
    let (at, u, d, a, s, detail, prev): (String, String, String, String, Option<String>, String, String) = c
        .query_row("SELECT at, os_user, display_name, action, scenario, detail, prev_hash FROM audit_log WHERE seq = 2", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })
        .unwrap();
    let forged = detail.replace("Cut central office", "Cut nothing");
    assert_ne!(forged, detail);
    let h = fulcrum::audit::entry_hash(2, &at, &u, &d, &a, s.as_deref(), &forged, &prev);
    c.execute("UPDATE audit_log SET detail = ?1, hash = ?2 WHERE seq = 2", rusqlite::params![forged, h]).unwrap();
    drop(c);
    // …but entry 3 still points at the old hash: the link breaks right after the forgery.
    let b = DistrictFile::open_read_only(&path).unwrap().verify().unwrap().first_break;
    assert_eq!(b, Some(Break::Removed { seq: 2 }), "entry 3 no longer chains to the entry 2 it was written after");
}

#[test]
fn verify_names_an_entry_deleted_from_the_middle() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(tampered(dir.path(), "DELETE FROM audit_log WHERE seq = 3"), Some(Break::Removed { seq: 3 }));
}

#[test]
fn verify_names_entries_cut_from_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let b = tampered(dir.path(), "DELETE FROM audit_log WHERE seq = 5");
    assert_eq!(b, Some(Break::Truncated { last: 4, head: 5 }), "the head still says 5 entries");
    let dir = tempfile::tempdir().unwrap();
    let b = tampered(dir.path(), "DELETE FROM audit_log WHERE seq >= 4");
    assert_eq!(b, Some(Break::Truncated { last: 3, head: 5 }));
}

#[test]
fn verify_catches_a_tail_cut_with_the_head_moved_back_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    // Setting the head to a made-up value is caught; only copying entry 4's real hash
    // into the head is not (see ARCHITECTURE.md: anchor the head outside the file).
    let b = tampered(dir.path(), "DELETE FROM audit_log WHERE seq = 5; UPDATE audit_head SET seq = 4, hash = 'x'");
    assert_eq!(b, Some(Break::HeadAltered));
}

#[test]
fn verify_names_reordered_entries() {
    let dir = tempfile::tempdir().unwrap();
    // Swap the contents of entries 2 and 3 (the sequence numbers stay in place).
    let b = tampered(
        dir.path(),
        "CREATE TEMP TABLE t AS SELECT * FROM audit_log WHERE seq IN (2, 3);
         UPDATE audit_log SET (at, os_user, display_name, action, scenario, detail, prev_hash, hash) =
           (SELECT at, os_user, display_name, action, scenario, detail, prev_hash, hash FROM t WHERE t.seq = 5 - audit_log.seq)
         WHERE seq IN (2, 3);",
    );
    assert_eq!(b, Some(Break::Moved { seq: 2, belongs_at: 3 }), "position 2 holds entry 3's content");
}

#[test]
fn the_cli_verify_fails_and_names_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    tampered(dir.path(), "DELETE FROM audit_log WHERE seq = 2");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fulcrum"))
        .args(["audit", "verify"])
        .arg(dir.path().join("lakeshore.fulcrum"))
        .output()
        .unwrap();
    assert!(!out.status.success(), "a broken chain is a failure exit");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("entry 2 was removed"), "{err}");
}

#[test]
fn every_change_is_one_entry_with_who_what_and_before_after() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample(dir.path());
    ws.set_display_name("Pat Chen, business manager").unwrap();
    let before = lever_value(&ws, FAILS, "cut-central");
    move_lever(&mut ws, FAILS, "cut-central", -1);
    let log = ws.audit().unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["create", "preference", "scenarios"]);
    let e = log.last().unwrap();
    assert_eq!(e.display_name, "Pat Chen, business manager", "the display name from the file's preferences");
    assert_eq!(e.os_user, fulcrum::audit::os_user());
    assert_eq!(e.scenario.as_deref(), Some(FAILS));
    let d = e.detail_json();
    let item = &d["changes"][0]["items"][0];
    assert_eq!(item["item"], "lever cut-central");
    assert_eq!(item["before"]["value"], before.to_string(), "structured before");
    assert_eq!(item["after"]["value"], lever_value(&ws, FAILS, "cut-central").to_string(), "and after");
    assert_eq!(ws.scenario_history(FAILS).unwrap().len(), 2, "its creation and the lever move");
}

#[test]
fn the_door_tells_its_listener_of_each_committed_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample(dir.path());
    let (tx, rx) = std::sync::mpsc::channel();
    ws.set_listener(Some(Box::new(move |e| tx.send(e.seq).unwrap())));
    move_lever(&mut ws, FAILS, "cut-central", 1);
    ws.undo().unwrap();
    assert_eq!(rx.try_iter().collect::<Vec<_>>(), [2, 3], "the edit and the undo, each once");
    assert!(ws.put_scenario(Scenario { name: "bad".into(), parent: Some("nope".into()), ..Default::default() }).is_err());
    assert_eq!(rx.try_iter().count(), 0, "a refused change tells nobody");
}

#[test]
fn undo_and_redo_cross_a_lever_move_and_an_accepted_override() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample(dir.path());
    let p0 = projection(&ws, FAILS);
    move_lever(&mut ws, FAILS, "cut-central", 2);
    let p1 = projection(&ws, FAILS);
    let pkg = ws.model().package();
    let line = pkg.lines.iter().find(|l| !l.rule.is_computed() && l.amount > 100_000).unwrap().name();
    let mut s = ws.scenario(FAILS).unwrap().clone();
    s.overrides.push(Override { line, year: pkg.district.base_year + 1, amount: rust_decimal::Decimal::new(1_234_567, 2) });
    ws.put_scenario(s).unwrap();
    let p2 = projection(&ws, FAILS);
    assert_ne!(p1, p2, "the override changes the projection");
    ws.undo().unwrap();
    assert_eq!(projection(&ws, FAILS), p1, "undo takes back the override exactly");
    ws.undo().unwrap();
    assert_eq!(projection(&ws, FAILS), p0, "and then the lever move");
    assert!(matches!(ws.undo(), Err(Error::NothingTo("undo"))), "nothing from before this session");
    ws.redo().unwrap();
    ws.redo().unwrap();
    assert_eq!(projection(&ws, FAILS), p2, "redo twice re-applies both");
    let reopened = Workspace::open(ws.path()).unwrap();
    assert_eq!(projection(&reopened, FAILS), p2, "and it is what the file holds");
    let actions: Vec<String> = ws.audit().unwrap().iter().map(|e| e.action.clone()).collect();
    assert_eq!(actions, ["create", "scenarios", "scenarios", "undo", "undo", "redo", "redo"], "undo and redo are audited changes");
    assert!(ws.verify().unwrap().ok());
}

#[test]
fn cli_undo_and_redo_work_across_runs_but_not_across_an_import() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample(dir.path());
    let v0 = lever_value(&ws, FAILS, "cut-central");
    move_lever(&mut ws, FAILS, "cut-central", 1);
    move_lever(&mut ws, FAILS, "cut-central", 1);
    let path = ws.path().to_path_buf();
    drop(ws);
    let run = |cmd: &str| std::process::Command::new(env!("CARGO_BIN_EXE_fulcrum")).arg(cmd).arg(&path).output().unwrap();
    assert!(run("undo").status.success());
    assert!(run("undo").status.success());
    assert_eq!(lever_value(&Workspace::open(&path).unwrap(), FAILS, "cut-central"), v0, "two undos from two runs");
    let third = run("undo");
    assert!(!third.status.success() && String::from_utf8_lossy(&third.stderr).contains("nothing to undo"), "the file's creation is a wall");
    assert!(run("redo").status.success());
    assert_eq!(lever_value(&Workspace::open(&path).unwrap(), FAILS, "cut-central"), v0 + rust_decimal::Decimal::ONE);
}

#[test]
fn publish_freezes_a_version_and_later_edits_make_a_new_working_version() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample(dir.path());
    let v1 = ws.publish(FAILS, "board meeting 2025-03-10").unwrap();
    assert_eq!(v1.version, 1);
    assert_eq!(v1.content_hash.len(), 64);
    assert!(ws.is_published(FAILS).unwrap());
    assert!(ws.publish(FAILS, "again").is_err(), "an unchanged scenario is not published twice");
    move_lever(&mut ws, FAILS, "cut-central", 1);
    assert!(!ws.is_published(FAILS).unwrap(), "the edit is a new working version");
    // The board's version still projects as it did.
    let diff = ws.diff(&format!("{FAILS}@1"), FAILS).unwrap();
    assert_eq!(diff.attribution.contributions.len(), 1, "one lever differs");
    assert_eq!(diff.attribution.contributions[0].change, fulcrum::compare::Change::Lever("cut-central".into()));
    let total: i64 = diff.attribution.contributions.iter().map(|c| c.surplus.iter().sum::<i64>()).sum();
    assert_eq!(total, diff.attribution.surplus.iter().sum::<i64>(), "effects add up to the whole difference");
    assert!(diff.attribution.surplus.iter().all(|&c| c != 0), "one more step of cut moves every year's surplus");
    let v2 = ws.publish(FAILS, "after the work session").unwrap();
    assert_eq!(v2.version, 2);
    assert_ne!(v1.content_hash, v2.content_hash);
    let none = ws.diff(&format!("{FAILS}@2"), FAILS).unwrap();
    assert!(none.attribution.contributions.is_empty(), "v2 is the working version exactly");
    // Publishing is not undone: what the board saw stays on record.
    ws.undo().unwrap();
    assert_eq!(ws.versions(FAILS).unwrap().len(), 2);
    assert!(ws.diff(&format!("{FAILS}@1"), FAILS).unwrap().attribution.contributions.is_empty(), "undo brought the working copy back to v1");
}

#[test]
fn a_parent_edited_after_publishing_does_not_change_the_published_version() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample(dir.path());
    let child = "fails-close-schools";
    let before = ws.project(child).unwrap().years.last().unwrap().fund_balance;
    ws.publish(child, "").unwrap();
    move_lever(&mut ws, FAILS, "cut-central", 3);
    let diff = ws.diff(&format!("{child}@1"), child).unwrap();
    assert_eq!(diff.attribution.contributions.len(), 1, "the parent's lever is the one difference");
    let frozen_fb = ws.project(child).unwrap().years.last().unwrap().fund_balance - diff.attribution.fund_balance.last().unwrap();
    assert_eq!(frozen_fb, before, "v1 still projects the fund balance it had when published");
}

#[test]
fn two_scenarios_diff_by_what_differs_with_each_effect() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let d = ws.diff("referendum-passes", FAILS).unwrap();
    let kinds: Vec<String> = d.attribution.contributions.iter().map(|c| serde_json::to_value(&c.change).unwrap()["kind"].as_str().unwrap().to_string()).collect();
    assert!(kinds.contains(&"referendum".to_string()) && kinds.contains(&"lever".to_string()), "{kinds:?}");
    for (i, _) in d.attribution.years.iter().enumerate() {
        let sum: i64 = d.attribution.contributions.iter().map(|c| c.fund_balance[i]).sum();
        assert_eq!(sum, d.attribution.fund_balance[i], "fund balance effects add up in year {i}");
        let tax: i64 = d.attribution.contributions.iter().map(|c| c.tax_per_100k[i]).sum();
        assert_eq!(tax, d.attribution.tax_per_100k[i], "tax effects add up in year {i}");
    }
}

#[test]
fn a_published_version_cannot_be_changed_and_tampering_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample(dir.path());
    ws.publish(FAILS, "").unwrap();
    let path = ws.path().to_path_buf();
    drop(ws);
    let c = Connection::open(&path).unwrap();
    assert!(c.execute("UPDATE scenario_versions SET definition = '[]'", []).is_err(), "frozen by trigger");
    assert!(c.execute("DELETE FROM scenario_versions", []).is_err(), "kept by trigger");
    c.execute_batch("DROP TRIGGER scenario_versions_frozen; UPDATE scenario_versions SET definition = replace(definition, '-26', '-6');").unwrap();
    drop(c);
    let ws = Workspace::open(&path).unwrap();
    let e = ws.diff(&format!("{FAILS}@1"), FAILS).unwrap_err();
    assert!(e.to_string().contains("does not match its content hash"), "{e}");
}

#[test]
fn a_second_writer_is_refused_instead_of_overwriting_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(dir.path()).path().to_path_buf();
    let mut a = Workspace::open(&path).unwrap();
    let mut b = Workspace::open(&path).unwrap();
    move_lever(&mut a, FAILS, "cut-central", 1);
    let mut s = b.scenario("referendum-passes").unwrap().clone();
    s.description = "b's edit".into();
    let e = b.put_scenario(s).unwrap_err();
    assert!(matches!(e, Error::Conflict { .. }), "{e}");
    assert!(e.to_string().contains("reopen"), "{e}");
    let now = Workspace::open(&path).unwrap();
    assert_eq!(lever_value(&now, FAILS, "cut-central"), lever_value(&a, FAILS, "cut-central"), "a's change is kept");
    assert_ne!(now.scenario("referendum-passes").unwrap().description, "b's edit", "b wrote nothing");
    assert!(now.verify().unwrap().ok());
}

#[test]
fn a_window_whose_file_was_replaced_by_an_import_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(dir.path()).path().to_path_buf();
    let mut a = Workspace::open(&path).unwrap();
    std::fs::copy(&path, dir.path().join("other.fulcrum")).unwrap();
    std::fs::rename(dir.path().join("other.fulcrum"), &path).unwrap();
    let s = a.scenario(FAILS).unwrap().clone();
    let mut s2 = s.clone();
    s2.description = "late".into();
    assert!(matches!(a.put_scenario(s2), Err(Error::Conflict { .. })), "the write would land in the replaced file");
}

fn package_dir(dir: &Path) -> PathBuf {
    let p = dir.join("package");
    std::fs::create_dir_all(&p).unwrap();
    fulcrum::generate::write_sample_district(&p).unwrap();
    p
}

#[test]
fn an_import_over_a_file_keeps_its_chain_backs_it_up_and_keeps_five_backups() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample(dir.path());
    move_lever(&mut ws, FAILS, "cut-central", 1);
    let path = ws.path().to_path_buf();
    let before = ws.audit().unwrap();
    drop(ws);
    let pkg = package_dir(dir.path());
    for i in 0..7 {
        let req = fulcrum::dataflow::ImportRequest {
            target: path.clone(),
            package: pkg.clone(),
            gl: None,
            control: None,
            roll_forward: false,
            force: true,
            stamp: format!("2025-03-1{i}T10:00:00Z"),
        };
        let report = fulcrum::dataflow::run_import(&req);
        assert!(report.written, "{:?}", report.errors);
        assert!(report.backup.is_some(), "every import into an existing file backs it up first");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let backups = fulcrum::store::backups_of(&path);
    assert_eq!(backups.len(), fulcrum::store::BACKUPS_KEPT, "the oldest backups are pruned: {backups:?}");
    assert!(backups.last().unwrap().to_string_lossy().contains("2025-03-16"), "the newest is kept");
    let ws = Workspace::open(&path).unwrap();
    let after = ws.audit().unwrap();
    assert_eq!(&after[..before.len()], &before[..], "the old chain is carried over verbatim");
    assert_eq!(after.len(), before.len() + 7, "one entry per import");
    assert!(after[before.len()..].iter().all(|e| e.action == "import"));
    assert!(ws.verify().unwrap().ok(), "and the whole chain verifies");
}

#[test]
fn a_damaged_file_is_refused_and_names_the_latest_backup() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let path = ws.path().to_path_buf();
    drop(ws);
    let backup = dir.path().join("lakeshore.backup-2025-03-10T10-00-00Z.fulcrum");
    DistrictFile::open_read_only(&path).unwrap().backup_to(&backup).unwrap();
    // Scribble over pages in the middle of the file (past the header page).
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    for b in &mut bytes[page * 3..page * 12] {
        *b = 0x5A;
    }
    std::fs::write(&path, &bytes).unwrap();
    let e = Workspace::open(&path).unwrap_err();
    assert_eq!(e.code(), "damaged", "{e}");
    let msg = e.to_string();
    assert!(msg.contains("lakeshore.backup-2025-03-10T10-00-00Z.fulcrum"), "names the backup to recover from: {msg}");
    std::fs::copy(&backup, &path).unwrap();
    assert!(Workspace::open(&path).is_ok(), "the recovery path works");
}

#[test]
fn opening_an_older_format_records_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(dir.path()).path().to_path_buf();
    let c = Connection::open(&path).unwrap();
    c.execute_batch(
        "DROP TABLE audit_log; DROP TABLE audit_head; DROP TABLE preferences; DROP TABLE scenario_versions; PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(c);
    let ws = Workspace::open(&path).unwrap();
    let log = ws.audit().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "format_upgrade");
    assert!(ws.verify().unwrap().ok());
}

mod undo_property {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Step {
        Lever(usize, i64),
        Override(usize, i64),
        Describe(u8),
        Rename,
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0usize..3, -3i64..=3).prop_map(|(l, s)| Step::Lever(l, s)),
            (0usize..50, 1i64..5_000_000).prop_map(|(l, a)| Step::Override(l, a)),
            any::<u8>().prop_map(Step::Describe),
            Just(Step::Rename),
        ]
    }

    fn apply(ws: &mut Workspace, name: &mut String, st: &Step) {
        let mut s = ws.scenario(name).unwrap().clone();
        match st {
            Step::Lever(i, by) => {
                let n = s.levers.len();
                let l = &mut s.levers[*i % n];
                let v = l.value + l.step * rust_decimal::Decimal::from(*by);
                l.value = v.clamp(l.min, l.max);
            }
            Step::Override(i, cents) => {
                let pkg = ws.model().package();
                let lines: Vec<_> = pkg.lines.iter().filter(|l| !l.rule.is_computed()).collect();
                let line = lines[*i % lines.len()].name();
                let year = pkg.district.base_year + 1 + (*i as i32 % pkg.district.horizon as i32);
                s.overrides.retain(|o| !(o.line == line && o.year == year));
                s.overrides.push(Override { line, year, amount: rust_decimal::Decimal::new(*cents, 2) });
            }
            Step::Describe(n) => s.description = format!("draft {n} <b>&"),
            Step::Rename => {
                let to = if name.ends_with("-x") { name.trim_end_matches("-x").to_string() } else { format!("{name}-x") };
                ws.rename_scenario(name, &to).unwrap();
                *name = to;
                return;
            }
        }
        let _ = ws.put_scenario(s);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]
        #[test]
        fn undo_after_any_sequence_of_changes_restores_each_prior_projection_exactly(steps in proptest::collection::vec(step(), 1..8)) {
            let dir = tempfile::tempdir().unwrap();
            let mut ws = sample(dir.path());
            let mut name = FAILS.to_string();
            let mut states = vec![(name.clone(), projection(&ws, &name), ws.scenarios().to_vec())];
            for st in &steps {
                apply(&mut ws, &mut name, st);
                if ws.scenarios() != &states.last().unwrap().2[..] {
                    states.push((name.clone(), projection(&ws, &name), ws.scenarios().to_vec()));
                }
            }
            while states.len() > 1 {
                states.pop();
                ws.undo().unwrap();
                let (n, p, list) = states.last().unwrap();
                prop_assert_eq!(&projection(&ws, n), p, "undo restores the projection exactly");
                prop_assert_eq!(ws.scenarios(), &list[..], "and the scenario list");
            }
            prop_assert!(ws.undo().is_err(), "back at the start of the session");
            prop_assert!(ws.verify().unwrap().ok());
            let reopened = Workspace::open(ws.path()).unwrap();
            prop_assert_eq!(reopened.scenarios(), ws.scenarios(), "the file holds it too");
        }
    }
}
