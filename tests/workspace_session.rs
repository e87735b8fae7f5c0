//! The session features the desktop relies on: undo/redo of scenario changes,
//! drafts that project without writing, save-as, and a cancellable file build.

use fulcrum::store::{Stage, Step};
use fulcrum::workspace::Workspace;
use fulcrum::Error;

fn sample(dir: &tempfile::TempDir) -> Workspace {
    Workspace::create_sample(&dir.path().join("lakeshore.fulcrum"), false).expect("the sample district builds")
}

#[test]
fn undo_and_redo_restore_the_scenario_list_in_memory_and_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample(&dir);
    let before = ws.scenarios().to_vec();
    assert!(!ws.summary().can_undo, "a freshly opened file has nothing to undo");
    ws.rename_scenario("referendum-fails", "fails-with-cuts").unwrap();
    assert!(ws.summary().can_undo);
    ws.undo().unwrap();
    assert_eq!(ws.scenarios(), &before[..], "undo puts the list back exactly");
    assert_eq!(Workspace::open(ws.path()).unwrap().scenarios(), &before[..], "and writes it to the file");
    ws.redo().unwrap();
    assert!(ws.scenario("fails-with-cuts").is_some(), "redo re-applies the rename");
    assert!(matches!(ws.redo(), Err(Error::NothingTo(_))), "nothing left to redo");
}

#[test]
fn a_new_change_after_undo_clears_redo() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample(&dir);
    ws.delete_scenario("passes-lean").ok();
    ws.undo().unwrap();
    assert!(ws.summary().can_redo);
    ws.rename_scenario("referendum-fails", "x").unwrap();
    assert!(!ws.summary().can_redo, "redo history is dropped once the list changes another way");
}

#[test]
fn a_refused_change_is_not_recorded_for_undo() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample(&dir);
    let mut s = ws.scenario("referendum-fails").unwrap().clone();
    s.levers[0].value = s.levers[0].max + s.levers[0].step;
    assert!(ws.put_scenario(s).is_err(), "a lever outside its range is refused");
    assert!(!ws.summary().can_undo, "a refused change leaves no undo entry");
}

#[test]
fn a_draft_projects_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(&dir);
    let mut draft = ws.scenario("referendum-fails").unwrap().clone();
    let lever = &mut draft.levers[0];
    lever.value = lever.min;
    let resolved = ws.resolve_draft(&draft, "referendum-fails").unwrap();
    let preview = ws.model().project(&resolved).unwrap();
    let stored = ws.project("referendum-fails").unwrap();
    assert_ne!(preview.years.last().unwrap().surplus, stored.years.last().unwrap().surplus, "the draft's lever moved the surplus");
    let reopened = Workspace::open(ws.path()).unwrap();
    assert_eq!(reopened.scenarios(), ws.scenarios(), "nothing was written");
}

#[test]
fn save_as_writes_a_copy_that_opens_with_the_same_scenarios() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample(&dir);
    let copy = dir.path().join("copy.fulcrum");
    ws.save_as(&copy).unwrap();
    assert_eq!(ws.path(), copy.as_path(), "work carries on in the copy");
    ws.rename_scenario("referendum-fails", "renamed").unwrap();
    let original = Workspace::open(&dir.path().join("lakeshore.fulcrum")).unwrap();
    assert!(original.scenario("referendum-fails").is_some(), "the original is untouched by later changes");
    assert!(Workspace::open(&copy).unwrap().scenario("renamed").is_some());
}

#[test]
fn a_cancelled_build_leaves_no_file_and_no_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("package");
    std::fs::create_dir_all(&package).unwrap();
    fulcrum::generate::write_sample_district(&package).unwrap();
    let target = dir.path().join("new.fulcrum");
    let mut seen = Vec::new();
    let result = Workspace::create_with(&target, &package, false, &mut |step: Step| {
        seen.push(step);
        step.stage != Stage::Writing || step.done == 0
    });
    assert!(matches!(result, Err(Error::Cancelled)), "the second writing report cancels");
    assert!(seen.iter().any(|s| s.stage == Stage::Reading));
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, vec![std::ffi::OsString::from("package")], "no district file and no .partial remain");
}

#[test]
fn a_build_reports_every_stage_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("package");
    std::fs::create_dir_all(&package).unwrap();
    fulcrum::generate::write_sample_district(&package).unwrap();
    let mut stages = Vec::new();
    Workspace::create_with(&dir.path().join("new.fulcrum"), &package, false, &mut |step: Step| {
        if stages.last() != Some(&step.stage) {
            stages.push(step.stage);
        }
        true
    })
    .unwrap();
    assert_eq!(stages, vec![Stage::Reading, Stage::Writing, Stage::Finishing]);
}
