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
use crate::store::{DistrictFile, Stage, Step};

/// How many scenario changes undo remembers in one session.
const UNDO_DEPTH: usize = 100;

/// An open district file, ready to project.
#[derive(Debug)]
pub struct Workspace {
    file: DistrictFile,
    model: Model,
    scenarios: Vec<Scenario>,
    /// Scenario lists before each change of this session, oldest first.
    undo: Vec<Vec<Scenario>>,
    /// Scenario lists undone, most recently undone last.
    redo: Vec<Vec<Scenario>>,
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
        Workspace { file, model: Model::new(package), scenarios, undo: Vec::new(), redo: Vec::new() }
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
            can_undo: !self.undo.is_empty(),
            can_redo: !self.redo.is_empty(),
        }
    }

    /// Opens an existing district file.
    pub fn open(path: &Path) -> Result<Workspace> {
        let file = DistrictFile::open(path)?;
        let package = file.package()?;
        let scenarios = file.scenarios()?;
        Ok(Workspace::from_parts(file, package, scenarios))
    }

    pub fn path(&self) -> &Path {
        self.file.path()
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

    /// Puts back the scenario list as it was before the last change of this session.
    pub fn undo(&mut self) -> Result<()> {
        let previous = self.undo.pop().ok_or(Error::NothingTo("undo"))?;
        if let Err(e) = self.file.replace_scenarios(&previous) {
            self.undo.push(previous);
            return Err(e);
        }
        self.redo.push(std::mem::replace(&mut self.scenarios, previous));
        Ok(())
    }

    /// Re-applies the change the last undo took back.
    pub fn redo(&mut self) -> Result<()> {
        let next = self.redo.pop().ok_or(Error::NothingTo("redo"))?;
        if let Err(e) = self.file.replace_scenarios(&next) {
            self.redo.push(next);
            return Err(e);
        }
        self.undo.push(std::mem::replace(&mut self.scenarios, next));
        Ok(())
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

    /// Validates a whole new scenario list, writes it in one transaction, then adopts it.
    fn set_scenarios(&mut self, scenarios: Vec<Scenario>, file: &str) -> Result<()> {
        let problems = validate_scenarios(self.model.package(), &scenarios, file);
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        self.file.replace_scenarios(&scenarios)?;
        let before = std::mem::replace(&mut self.scenarios, scenarios);
        if before != self.scenarios {
            self.undo.push(before);
            if self.undo.len() > UNDO_DEPTH {
                self.undo.remove(0);
            }
            self.redo.clear();
        }
        Ok(())
    }
}

/// A number unique within this process, for temporary names.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
