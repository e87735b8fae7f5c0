//! The engine's one error type, and the problems a validation collects.

use std::fmt;
use std::path::PathBuf;

/// One thing wrong with an input, located as precisely as the input allows.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// A stable code, e.g. `E010`, listed in ARCHITECTURE.md.
    pub code: &'static str,
    pub file: String,
    /// The row in the file (the header is row 1), when the problem has one.
    pub row: Option<u32>,
    pub column: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn new(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Problem { code, file: file.into(), row: None, column: None, message: message.into() }
    }
    pub fn at(mut self, row: u32, column: impl Into<String>) -> Self {
        self.row = Some(row);
        self.column = Some(column.into());
        self
    }
    pub fn row(mut self, row: u32) -> Self {
        self.row = Some(row);
        self
    }
    pub fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        write!(f, ": {} {}", self.code, self.message)
    }
}

/// Everything that can go wrong in the engine.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{} problem(s) found:\n{}", .0.len(), list(.0))]
    Invalid(Vec<Problem>),
    #[error("{path}: not a Fulcrum file: {reason}")]
    NotFulcrum { path: PathBuf, reason: String },
    #[error("{path} was written by a newer Fulcrum (file format {found}; this Fulcrum reads up to {supported}); update Fulcrum to open it")]
    TooNew { path: PathBuf, found: i64, supported: i64 },
    #[error("{path} already exists; pass --force to replace it")]
    Exists { path: PathBuf },
    #[error("no scenario named {0:?}")]
    UnknownScenario(String),
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {message}")]
    Storage { path: PathBuf, message: String },
    #[error("district file: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The caller stopped a long operation (an import); nothing was written.
    #[error("cancelled; nothing was written")]
    Cancelled,
    /// Undo or redo with nothing to undo or redo.
    #[error("nothing to {0}")]
    NothingTo(&'static str),
    /// Another window or process changed the file since this one read it; nothing was written.
    #[error("{path}: {message}")]
    Conflict { path: PathBuf, message: String },
    /// The file failed SQLite's integrity check.
    #[error("{path} is damaged ({detail}); {}", recovery(.backup))]
    Damaged { path: PathBuf, detail: String, backup: Option<PathBuf> },
}

fn recovery(backup: &Option<PathBuf>) -> String {
    match backup {
        Some(b) => format!("the most recent backup is {}: copy it over the damaged file (keep the damaged one aside) to carry on from it", b.display()),
        None => "no backup of it was found beside it; restore it from your own backups".to_string(),
    }
}

fn list(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n")
}

impl Error {
    /// A stable, closed code for the desktop shell and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "invalid_input",
            Error::NotFulcrum { .. } => "not_fulcrum",
            Error::TooNew { .. } => "too_new",
            Error::Exists { .. } => "exists",
            Error::UnknownScenario(_) => "unknown_scenario",
            Error::Usage(_) => "usage",
            Error::Io { .. } => "io",
            Error::Storage { .. } | Error::Sqlite(_) => "storage",
            Error::Cancelled => "cancelled",
            Error::NothingTo(_) => "nothing_to_undo",
            Error::Conflict { .. } => "conflict",
            Error::Damaged { .. } => "damaged",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
