//! Published versions of a scenario, and chief-level diffs between versions or scenarios.
//!
//! Publishing freezes a scenario for a board meeting: its definition and its
//! ancestors' (root first) are stored with their SHA-256, and SQLite triggers refuse
//! any change to the row. The scenario itself stays editable: the working version is
//! whatever the file holds now, and it counts as a new version once it differs from
//! the last one published.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::compare::{attribute, Attribution};
use crate::error::{Error, Result};
use crate::projection::Model;
use crate::scenario::{resolve, Resolved, Scenario, BASELINE};

/// A published version, as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Version {
    pub scenario: String,
    pub version: i64,
    pub content_hash: String,
    pub published_at: String,
    pub published_by: String,
    pub note: String,
}

/// The definitions a scenario's figures depend on: it and its ancestors, root first.
pub fn lineage(scenarios: &[Scenario], name: &str) -> Result<Vec<Scenario>> {
    let mut chain = Vec::new();
    let mut cur = Some(name.to_string());
    while let Some(n) = cur {
        let s = scenarios.iter().find(|s| s.name == n).ok_or_else(|| Error::UnknownScenario(n.clone()))?;
        if chain.iter().any(|c: &Scenario| c.name == s.name) {
            return Err(Error::Usage(format!("scenario {name:?} inherits from itself")));
        }
        chain.push(s.clone());
        cur = s.parent.clone();
    }
    chain.reverse();
    Ok(chain)
}

/// The canonical JSON of a lineage and its SHA-256.
pub fn content_hash(lineage: &[Scenario]) -> Result<(String, String)> {
    let json = serde_json::to_string(lineage).map_err(|e| Error::Usage(e.to_string()))?;
    let hash = Sha256::digest(json.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    Ok((json, hash))
}

/// The versions of `scenario` published so far, oldest first.
pub fn versions(conn: &Connection, scenario: &str) -> rusqlite::Result<Vec<Version>> {
    let mut stmt = conn.prepare(
        "SELECT scenario, version, content_hash, published_at, published_by, note FROM scenario_versions WHERE scenario = ?1 ORDER BY version",
    )?;
    let rows = stmt.query_map([scenario], |r| {
        Ok(Version { scenario: r.get(0)?, version: r.get(1)?, content_hash: r.get(2)?, published_at: r.get(3)?, published_by: r.get(4)?, note: r.get(5)? })
    })?;
    rows.collect()
}

/// The frozen lineage of one published version, checked against its stored hash.
pub fn frozen(conn: &Connection, scenario: &str, version: i64) -> Result<Vec<Scenario>> {
    let row: Option<(String, String)> = conn
        .query_row("SELECT definition, content_hash FROM scenario_versions WHERE scenario = ?1 AND version = ?2", params![scenario, version], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let (json, hash) = row.ok_or_else(|| Error::Usage(format!("scenario {scenario:?} has no published version {version}")))?;
    let lineage: Vec<Scenario> = serde_json::from_str(&json).map_err(|e| Error::Usage(format!("{scenario}@{version} is stored damaged: {e}")))?;
    if content_hash(&lineage)?.1 != hash {
        return Err(Error::Usage(format!("{scenario}@{version} does not match its content hash: it was altered after publishing")));
    }
    Ok(lineage)
}

/// Stores a new version inside the door's transaction; returns it.
pub(crate) fn put_version(tx: &Transaction, scenario: &str, lineage: &[Scenario], at: &str, by: &str, note: &str) -> Result<Version> {
    let (json, hash) = content_hash(lineage)?;
    let last: Option<(i64, String)> = tx
        .query_row("SELECT version, content_hash FROM scenario_versions WHERE scenario = ?1 ORDER BY version DESC LIMIT 1", [scenario], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    if let Some((v, h)) = &last
        && *h == hash {
            return Err(Error::Usage(format!("scenario {scenario:?} has not changed since version {v} was published")));
        }
    let version = last.map_or(1, |(v, _)| v + 1);
    tx.execute(
        "INSERT INTO scenario_versions (scenario, version, definition, content_hash, published_at, published_by, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![scenario, version, json, hash, at, by, note],
    )?;
    Ok(Version { scenario: scenario.into(), version, content_hash: hash, published_at: at.into(), published_by: by.into(), note: note.into() })
}

/// Which scenario, and which version of it: `name` (the working one) or `name@N` (published).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionRef {
    pub scenario: String,
    pub version: Option<i64>,
}

impl VersionRef {
    pub fn parse(text: &str) -> VersionRef {
        if let Some((name, v)) = text.rsplit_once('@')
            && let Ok(n) = v.parse::<i64>()
                && n >= 1 && !name.is_empty() {
                    return VersionRef { scenario: name.to_string(), version: Some(n) };
                }
        VersionRef { scenario: text.to_string(), version: None }
    }

    pub fn label(&self) -> String {
        match self.version {
            Some(v) => format!("{}@{v}", self.scenario),
            None => self.scenario.clone(),
        }
    }

    /// The scenario as the figures see it.
    pub fn resolve(&self, conn: &Connection, working: &[Scenario]) -> Result<Resolved> {
        match self.version {
            None if self.scenario == BASELINE => Ok(Resolved::baseline()),
            None => {
                if !working.iter().any(|s| s.name == self.scenario) {
                    return Err(Error::UnknownScenario(self.scenario.clone()));
                }
                resolve(working, &self.scenario)
            }
            Some(v) => resolve(&frozen(conn, &self.scenario, v)?, &self.scenario),
        }
    }
}

/// How one version or scenario differs from another, as a chief reads it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioDiff {
    pub from: String,
    pub to: String,
    /// Each assumption, lever, override and referendum that differs, with its dollar effect
    /// on surplus, fund balance and tax per $100k per year; they add up to the whole difference.
    pub attribution: Attribution,
}

/// Diffs two resolved scenarios through [`attribute`] (so the effects add up exactly).
pub fn diff(model: &Model, from: (&VersionRef, &Resolved), to: (&VersionRef, &Resolved)) -> Result<ScenarioDiff> {
    let attribution = attribute(model, from.1, to.1)?;
    Ok(ScenarioDiff { from: from.0.label(), to: to.0.label(), attribution })
}
