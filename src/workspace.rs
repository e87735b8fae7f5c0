//! An open district: its file, the package compiled for projection, and its scenarios.
//!
//! This is what the CLI and the desktop shell hold. Every change goes through
//! [`Workspace`], which validates it, writes it in one transaction and only then
//! updates the in-memory state, so a refused change leaves both untouched.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::generate::write_sample_district;
use crate::import::{load_package, Loaded};
use crate::model::{year_label, FiscalYear};
use crate::projection::{Model, Projection};
use crate::scenario::{parse_scenarios, resolve, validate_scenarios, Resolved, Scenario, BASELINE};
use crate::audit::{ChangeRecord, Entry, UndoState};
use crate::store::{write_scenarios, DistrictFile, Stage, Step};
use crate::versions::{put_version, ScenarioDiff, Version, VersionRef};

/// An open district file, ready to project.
#[derive(Debug)]
pub struct Workspace {
    file: DistrictFile,
    model: Model,
    scenarios: Vec<Scenario>,
    /// The audit entries of this session that undo and redo can take back or re-apply.
    history: UndoState,
}

/// What a person needs to know of an open district at a glance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub path: PathBuf,
    pub name: String,
    pub base_year: FiscalYear,
    pub horizon: u32,
    /// `B … B+H` with their labels ("2025-26").
    pub years: Vec<YearName>,
    pub reserve_policy_pct: String,
    pub budget_lines: usize,
    pub scenarios: Vec<Scenario>,
    pub can_undo: bool,
    pub can_redo: bool,
}

/// A fiscal year and its label.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YearName {
    pub year: FiscalYear,
    pub label: String,
}

/// What `scenario import` did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScenarioImport {
    pub added: Vec<String>,
    pub replaced: Vec<String>,
}

impl Workspace {
    /// Creates a district file from a package folder and opens it.
    pub fn create(path: &Path, package_dir: &Path, force: bool) -> Result<Workspace> {
        Workspace::create_with(path, package_dir, force, &mut |_| true)
    }

    /// [`Workspace::create`], reporting progress; `progress` returning `false` cancels
    /// with [`Error::Cancelled`], leaving no file at `path` (nor a partial one beside it).
    pub fn create_with(path: &Path, package_dir: &Path, force: bool, progress: &mut dyn FnMut(Step) -> bool) -> Result<Workspace> {
        if path.exists() && !force {
            return Err(Error::Exists { path: path.to_path_buf() });
        }
        if !progress(Step { stage: Stage::Reading, done: 0, total: 1 }) {
            return Err(Error::Cancelled);
        }
        let loaded = load_package(package_dir)?;
        if !progress(Step { stage: Stage::Reading, done: 1, total: 1 }) {
            return Err(Error::Cancelled);
        }
        let file = DistrictFile::create_with(path, &loaded, force, progress)?;
        Ok(Workspace::from_parts(file, loaded.package, loaded.scenarios))
    }

    /// Creates a district file from an already loaded package.
    pub fn create_from(path: &Path, loaded: Loaded, force: bool) -> Result<Workspace> {
        let file = DistrictFile::create(path, &loaded, force)?;
        Ok(Workspace::from_parts(file, loaded.package, loaded.scenarios))
    }

    /// Creates the sample district (Lakeshore Public Schools, synthetic) at `path`.
    pub fn create_sample(path: &Path, force: bool) -> Result<Workspace> {
        let dir = std::env::temp_dir().join(format!("fulcrum-sample-{}-{}", std::process::id(), unique()));
        let _ = std::fs::remove_dir_all(&dir);
        let written = std::fs::create_dir_all(&dir)
            .and_then(|()| write_sample_district(&dir))
            .map_err(|e| Error::Io { path: dir.clone(), source: e });
        let result = written.and_then(|()| Workspace::create(path, &dir, force));
        let _ = std::fs::remove_dir_all(&dir);
        result
    }

    fn from_parts(file: DistrictFile, package: crate::model::Package, scenarios: Vec<Scenario>) -> Workspace {
        Workspace { file, model: Model::new(package), scenarios, history: UndoState::default() }
    }

    /// Writes a copy of the district to `path` and carries on in the copy (undo history kept).
    pub fn save_as(&mut self, path: &Path) -> Result<()> {
        self.file = self.file.save_as(path)?;
        Ok(())
    }

    /// The district at a glance, for a title bar or a start screen.
    pub fn summary(&self) -> Summary {
        let d = &self.model.package().district;
        Summary {
            path: self.path().to_path_buf(),
            name: d.name.clone(),
            base_year: d.base_year,
            horizon: d.horizon,
            years: (d.base_year..=d.base_year + d.horizon as FiscalYear)
                .map(|year| YearName { year, label: year_label(year) })
                .collect(),
            reserve_policy_pct: d.reserve_policy_pct.to_string(),
            budget_lines: self.model.package().lines.len(),
            scenarios: self.scenarios.clone(),
            can_undo: !self.history.undo.is_empty(),
            can_redo: !self.history.redo.is_empty(),
        }
    }

    /// Opens an existing district file.
    pub fn open(path: &Path) -> Result<Workspace> {
        let file = DistrictFile::open(path)?;
        let package = file.package()?;
        let scenarios = file.scenarios()?;
        Ok(Workspace::from_parts(file, package, scenarios))
    }

    /// Opens a district file to read only: listing, verifying, diffing.
    pub fn open_read_only(path: &Path) -> Result<Workspace> {
        let file = DistrictFile::open_read_only(path)?;
        let package = file.package()?;
        let scenarios = file.scenarios()?;
        Ok(Workspace::from_parts(file, package, scenarios))
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// How many changes can be undone and redone now.
    pub fn undo_depth(&self) -> (usize, usize) {
        (self.history.undo.len(), self.history.redo.len())
    }

    /// The audit head: the last entry's sequence number and hash.
    pub fn audit_head(&self) -> Result<(i64, String)> {
        crate::audit::head(self.file.conn()).map_err(Error::from)
    }

    /// Whether the working scenario is exactly its last published version.
    pub fn is_published(&self, name: &str) -> Result<bool> {
        let lineage = crate::versions::lineage(&self.scenarios, name)?;
        let (_, hash) = crate::versions::content_hash(&lineage)?;
        Ok(self.versions(name)?.last().is_some_and(|v| v.content_hash == hash))
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The scenarios the file defines (not including the built-in `baseline`).
    pub fn scenarios(&self) -> &[Scenario] {
        &self.scenarios
    }

    pub fn scenario(&self, name: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.name == name)
    }

    /// A scenario merged with its parents; `baseline` is the package alone.
    pub fn resolve(&self, name: &str) -> Result<Resolved> {
        if name != BASELINE && self.scenario(name).is_none() {
            return Err(Error::UnknownScenario(name.to_string()));
        }
        resolve(&self.scenarios, name)
    }

    /// Projects a scenario by name.
    pub fn project(&self, name: &str) -> Result<Projection> {
        self.model.project(&self.resolve(name)?)
    }

    /// Resolves `name` as if `draft` had replaced (or joined) the stored scenario of its
    /// name, without writing anything: what a slider shows while it moves.
    pub fn resolve_draft(&self, draft: &Scenario, name: &str) -> Result<Resolved> {
        let mut merged = self.scenarios.clone();
        match merged.iter_mut().find(|m| m.name == draft.name) {
            Some(slot) => *slot = draft.clone(),
            None => merged.push(draft.clone()),
        }
        let problems = validate_scenarios(self.model.package(), &merged, "draft");
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        if name != BASELINE && !merged.iter().any(|s| s.name == name) {
            return Err(Error::UnknownScenario(name.to_string()));
        }
        resolve(&merged, name)
    }

    /// Takes back the last change of this session (itself an audited change, so redo can re-apply it).
    pub fn undo(&mut self) -> Result<()> {
        let seq = *self.history.undo.last().ok_or(Error::NothingTo("undo"))?;
        let entry = self.file.audit_entry(seq)?;
        let before = self.rebuild(&entry, "before")?;
        self.set_scenarios_as(before, "undo", "undo", Some(seq))
    }

    /// Re-applies the change the last undo took back.
    pub fn redo(&mut self) -> Result<()> {
        let seq = *self.history.redo.last().ok_or(Error::NothingTo("redo"))?;
        let entry = self.file.audit_entry(seq)?;
        let after = self.rebuild(&entry, "after")?;
        self.set_scenarios_as(after, "redo", "redo", Some(seq))
    }

    /// Carries on the undo history the file's audit log holds since its last import,
    /// roll forward or creation: how `fulcrum undo FILE` undoes across separate runs.
    pub fn resume_history(&mut self) -> Result<()> {
        let mut state = UndoState::default();
        for e in self.file.audit_entries()? {
            state.follow(&e);
        }
        self.history = state;
        Ok(())
    }

    /// The scenario list on one side (`before`/`after`) of a recorded change, from the list now.
    fn rebuild(&self, entry: &Entry, side: &str) -> Result<Vec<Scenario>> {
        let detail = entry.detail_json();
        let changed: Vec<Scenario> = detail["changes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| !c[side].is_null())
            .map(|c| serde_json::from_value(c[side].clone()))
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| Error::Storage { path: self.path().to_path_buf(), message: format!("audit entry {} cannot be undone: {e}", entry.seq) })?;
        let order = detail[format!("order_{side}")].as_array().cloned().unwrap_or_default();
        order
            .iter()
            .map(|n| {
                let n = n.as_str().unwrap_or_default();
                changed.iter().chain(self.scenarios.iter()).find(|s| s.name == n).cloned().ok_or_else(|| Error::Conflict {
                    path: self.path().to_path_buf(),
                    message: format!("entry {} cannot be undone: scenario {n:?} is no longer as it left it", entry.seq),
                })
            })
            .collect()
    }

    /// Publishes a scenario (frozen, with its content hash) for a board meeting.
    pub fn publish(&mut self, name: &str, note: &str) -> Result<Version> {
        if self.scenario(name).is_none() {
            return Err(Error::UnknownScenario(name.to_string()));
        }
        let lineage = crate::versions::lineage(&self.scenarios, name)?;
        let at = crate::audit::now_stamp();
        let by = match self.file.display_name()? {
            d if d.is_empty() => crate::audit::os_user(),
            d => d,
        };
        let (v, entry) = self.file.record(Some(&at), |tx| {
            let v = put_version(tx, name, &lineage, &at, &by, note)?;
            let detail = serde_json::json!({"version": v.version, "content_hash": v.content_hash, "note": note});
            Ok((v, ChangeRecord::new("publish", Some(name), detail)))
        })?;
        self.history.follow(&entry);
        Ok(v)
    }

    /// The published versions of a scenario, oldest first.
    pub fn versions(&self, name: &str) -> Result<Vec<Version>> {
        crate::versions::versions(self.file.conn(), name).map_err(Error::from)
    }

    /// Diffs two versions or scenarios (`name`, `name@N`, `baseline`) at the chief's level.
    pub fn diff(&self, from: &str, to: &str) -> Result<ScenarioDiff> {
        let (a, b) = (VersionRef::parse(from), VersionRef::parse(to));
        let mut ra = a.resolve(self.file.conn(), &self.scenarios)?;
        let mut rb = b.resolve(self.file.conn(), &self.scenarios)?;
        (ra.name, rb.name) = (a.label(), b.label());
        crate::versions::diff(&self.model, (&a, &ra), (&b, &rb))
    }

    /// The audit log, oldest first.
    pub fn audit(&self) -> Result<Vec<Entry>> {
        self.file.audit_entries()
    }

    /// The entries that changed or published scenario `name` (under any name it had), oldest first.
    pub fn scenario_history(&self, name: &str) -> Result<Vec<Entry>> {
        Ok(self.audit()?.into_iter().filter(|e| touches(e, name)).collect())
    }

    /// Checks the audit chain.
    pub fn verify(&self) -> Result<crate::audit::Verification> {
        self.file.verify()
    }

    /// Sets the display name the audit log records with the OS user.
    pub fn set_display_name(&mut self, name: &str) -> Result<()> {
        let entry = self.file.set_display_name(name)?;
        self.history.follow(&entry);
        Ok(())
    }

    /// Asks to be told of every change this workspace commits (the desktop's change event).
    pub fn set_listener(&mut self, listener: Option<Box<dyn Fn(&Entry) + Send>>) {
        self.file.set_listener(listener);
    }

    /// Adds or replaces scenarios from `scenarios.json` text; all are checked first.
    pub fn import_scenarios(&mut self, text: &str, file: &str) -> Result<ScenarioImport> {
        let incoming = parse_scenarios(text, file)?;
        let mut merged = self.scenarios.clone();
        let mut report = ScenarioImport::default();
        for s in incoming {
            match merged.iter_mut().find(|m| m.name == s.name) {
                Some(slot) => {
                    report.replaced.push(s.name.clone());
                    *slot = s;
                }
                None => {
                    report.added.push(s.name.clone());
                    merged.push(s);
                }
            }
        }
        self.set_scenarios(merged, file)?;
        Ok(report)
    }

    /// Adds a scenario or replaces the one with its name.
    pub fn put_scenario(&mut self, scenario: Scenario) -> Result<()> {
        let mut merged = self.scenarios.clone();
        match merged.iter_mut().find(|m| m.name == scenario.name) {
            Some(slot) => *slot = scenario,
            None => merged.push(scenario),
        }
        self.set_scenarios(merged, "scenario")
    }

    /// Deletes a scenario; scenarios that inherit from it are refused first.
    pub fn delete_scenario(&mut self, name: &str) -> Result<()> {
        if self.scenario(name).is_none() {
            return Err(Error::UnknownScenario(name.to_string()));
        }
        let children: Vec<&str> =
            self.scenarios.iter().filter(|s| s.parent.as_deref() == Some(name)).map(|s| s.name.as_str()).collect();
        if !children.is_empty() {
            return Err(Error::Usage(format!(
                "scenario {name:?} cannot be deleted: {} inherit(s) from it",
                children.join(", ")
            )));
        }
        let merged = self.scenarios.iter().filter(|s| s.name != name).cloned().collect();
        self.set_scenarios(merged, "scenario")
    }

    /// Renames a scenario and repoints its children.
    pub fn rename_scenario(&mut self, from: &str, to: &str) -> Result<()> {
        if self.scenario(from).is_none() {
            return Err(Error::UnknownScenario(from.to_string()));
        }
        let merged = self
            .scenarios
            .iter()
            .cloned()
            .map(|mut s| {
                if s.name == from {
                    s.name = to.to_string();
                }
                if s.parent.as_deref() == Some(from) {
                    s.parent = Some(to.to_string());
                }
                s
            })
            .collect();
        self.set_scenarios(merged, "scenario")
    }

    /// Validates a whole new scenario list, writes it through the door, then adopts it.
    /// Reads a director's draft (CSV or `.xlsx`) and reviews it against `scenario`:
    /// every problem in the file at once, else what accepting it would change.
    pub fn review_draft(&self, scenario: &str, draft: &Path) -> Result<crate::department::Review> {
        let resolved = self.resolve(scenario)?;
        let draft = crate::department::read_draft(draft, &self.model).map_err(Error::Invalid)?;
        crate::department::review(&self.model, &resolved, &draft)
    }

    /// Accepts a reviewed department draft into `scenario` (a stored scenario, not
    /// `baseline`): its amounts become the scenario's own overrides, replacing any of the
    /// same line and year. One audited change, undone like any other; the log records the
    /// draft's file and departments beside the overrides it set.
    pub fn accept_draft(&mut self, scenario: &str, review: &crate::department::Review) -> Result<()> {
        let mut s = self.scenario(scenario).ok_or_else(|| Error::UnknownScenario(scenario.to_string()))?.clone();
        if review.overrides.is_empty() {
            return Err(Error::Usage(format!("{}: every amount is as {scenario} projects it; there is nothing to accept", review.file)));
        }
        crate::department::merge_overrides(&mut s.overrides, &review.overrides);
        let mut merged = self.scenarios.clone();
        if let Some(slot) = merged.iter_mut().find(|m| m.name == scenario) {
            *slot = s;
        }
        let accepted = serde_json::json!({"file": review.file, "departments": review.departments, "amounts": review.overrides.len()});
        self.set_scenarios_noted(merged, &review.file, "scenarios", None, Some(("accepted_projection", accepted)))
    }

    fn set_scenarios(&mut self, scenarios: Vec<Scenario>, file: &str) -> Result<()> {
        self.set_scenarios_as(scenarios, file, "scenarios", None)
    }

    fn set_scenarios_as(&mut self, scenarios: Vec<Scenario>, file: &str, action: &str, of: Option<i64>) -> Result<()> {
        self.set_scenarios_noted(scenarios, file, action, of, None)
    }

    /// Validates, writes and adopts a new scenario list; `note` adds a key to the audit detail.
    fn set_scenarios_noted(&mut self, scenarios: Vec<Scenario>, file: &str, action: &str, of: Option<i64>, note: Option<(&str, serde_json::Value)>) -> Result<()> {
        let problems = validate_scenarios(self.model.package(), &scenarios, file);
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        if scenarios == self.scenarios {
            return Ok(());
        }
        let mut change = scenario_change(action, &self.scenarios, &scenarios, of);
        if let Some((key, value)) = note {
            change.detail[key] = value;
        }
        let (_, entry) = self.file.record(None, |tx| {
            write_scenarios(tx, &scenarios)?;
            Ok(((), change))
        })?;
        self.scenarios = scenarios;
        self.history.follow(&entry);
        Ok(())
    }
}

/// The audit record of a scenario-list change: every scenario that differs, whole,
/// before and after (so undo can rebuild either side), the order on each side, and
/// item by item what changed, for people reading the log.
fn scenario_change(action: &str, before: &[Scenario], after: &[Scenario], of: Option<i64>) -> ChangeRecord {
    let mut names: Vec<&str> = before.iter().map(|s| s.name.as_str()).collect();
    names.extend(after.iter().map(|s| s.name.as_str()).filter(|n| !before.iter().any(|b| b.name == *n)));
    let mut changes = Vec::new();
    let mut touched = Vec::new();
    for n in names {
        let (b, a) = (before.iter().find(|s| s.name == n), after.iter().find(|s| s.name == n));
        if b != a {
            touched.push(n.to_string());
            changes.push(serde_json::json!({"name": n, "before": b, "after": a, "items": item_changes(b, a)}));
        }
    }
    let mut detail = serde_json::json!({
        "order_before": before.iter().map(|s| &s.name).collect::<Vec<_>>(),
        "order_after": after.iter().map(|s| &s.name).collect::<Vec<_>>(),
        "changes": changes,
    });
    if let Some(seq) = of {
        detail[if action == "undo" { "undoes" } else { "redoes" }] = serde_json::json!(seq);
    }
    let scenario = match touched.as_slice() {
        [one] => Some(one.as_str()),
        _ => after.iter().chain(before).find(|s| touched.contains(&s.name)).map(|s| s.name.as_str()).filter(|_| touched.len() == 2 && is_rename(before, after)),
    };
    ChangeRecord::new(action, scenario, detail)
}

fn is_rename(before: &[Scenario], after: &[Scenario]) -> bool {
    before.len() == after.len() && before.iter().filter(|b| !after.iter().any(|a| a.name == b.name)).count() == 1
}

/// Item by item, what differs between two definitions of a scenario.
fn item_changes(before: Option<&Scenario>, after: Option<&Scenario>) -> Vec<serde_json::Value> {
    use serde_json::{json, Value};
    let empty = Scenario::default();
    let (b, a) = (before.unwrap_or(&empty), after.unwrap_or(&empty));
    let mut out = Vec::new();
    let mut keyed = |what: &str, old: Vec<(String, Value)>, new: Vec<(String, Value)>| {
        for (k, v) in &old {
            match new.iter().find(|(k2, _)| k2 == k) {
                None => out.push(json!({"item": format!("{what} {k}"), "before": v, "after": null})),
                Some((_, v2)) if v2 != v => out.push(json!({"item": format!("{what} {k}"), "before": v, "after": v2})),
                _ => {}
            }
        }
        for (k, v) in &new {
            if !old.iter().any(|(k2, _)| k2 == k) {
                out.push(json!({"item": format!("{what} {k}"), "before": null, "after": v}));
            }
        }
    };
    keyed("lever", b.levers.iter().map(|l| (l.id.clone(), val(l))).collect(), a.levers.iter().map(|l| (l.id.clone(), val(l))).collect());
    keyed(
        "override",
        b.overrides.iter().map(|o| (format!("{} {}", o.line, o.year), json!(o.amount.to_string()))).collect(),
        a.overrides.iter().map(|o| (format!("{} {}", o.line, o.year), json!(o.amount.to_string()))).collect(),
    );
    keyed(
        "assumption",
        b.assumptions.iter().map(|s| (format!("{} {}", s.key.as_str(), s.year), json!(s.value.to_string()))).collect(),
        a.assumptions.iter().map(|s| (format!("{} {}", s.key.as_str(), s.year), json!(s.value.to_string()))).collect(),
    );
    keyed("referendum", b.referenda.iter().map(|r| (r.name.clone(), val(r))).collect(), a.referenda.iter().map(|r| (r.name.clone(), val(r))).collect());
    keyed(
        "field",
        vec![("name".into(), json!(b.name)), ("parent".into(), json!(b.parent)), ("description".into(), json!(b.description))],
        vec![("name".into(), json!(a.name)), ("parent".into(), json!(a.parent)), ("description".into(), json!(a.description))],
    );
    out
}

fn val<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// Whether an audit entry changed or published scenario `name`.
fn touches(e: &Entry, name: &str) -> bool {
    if e.scenario.as_deref() == Some(name) {
        return true;
    }
    let d = e.detail_json();
    if d["scenarios"].as_array().is_some_and(|names| names.iter().any(|n| n == name)) {
        return true;
    }
    d["changes"].as_array().is_some_and(|cs| {
        cs.iter().any(|c| c["name"] == name || c["before"]["name"] == name || c["after"]["name"] == name)
    })
}

/// A number unique within this process, for temporary names.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
