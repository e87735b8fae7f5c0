//! An open district: its file, the package compiled for projection, and its scenarios.
//!
//! This is what the CLI and the desktop shell hold. Every change goes through
//! [`Workspace`], which validates it, writes it in one transaction and only then
//! updates the in-memory state, so a refused change leaves both untouched.

use std::path::Path;

use crate::error::{Error, Result};
use crate::import::{load_package, Loaded};
use crate::projection::{Model, Projection};
use crate::scenario::{parse_scenarios, resolve, validate_scenarios, Resolved, Scenario, BASELINE};
use crate::store::DistrictFile;

/// An open district file, ready to project.
#[derive(Debug)]
pub struct Workspace {
    file: DistrictFile,
    model: Model,
    scenarios: Vec<Scenario>,
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
        if path.exists() && !force {
            return Err(Error::Exists { path: path.to_path_buf() });
        }
        let loaded = load_package(package_dir)?;
        Workspace::create_from(path, loaded, force)
    }

    /// Creates a district file from an already loaded package.
    pub fn create_from(path: &Path, loaded: Loaded, force: bool) -> Result<Workspace> {
        let file = DistrictFile::create(path, &loaded, force)?;
        Ok(Workspace { file, model: Model::new(loaded.package), scenarios: loaded.scenarios })
    }

    /// Opens an existing district file.
    pub fn open(path: &Path) -> Result<Workspace> {
        let file = DistrictFile::open(path)?;
        let package = file.package()?;
        let scenarios = file.scenarios()?;
        Ok(Workspace { file, model: Model::new(package), scenarios })
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
        self.scenarios = scenarios;
        Ok(())
    }
}
