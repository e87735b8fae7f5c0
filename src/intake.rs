//! Reading a district package from what a finance office really has: a CSV folder
//! with text quirks, or one `.xlsx` workbook with a sheet per file.
//!
//! Every file is first read as a [`TextTable`] (decoding, separators, blank rows,
//! Excel's lost leading zeros) and written as plain UTF-8 CSV into a private
//! temporary folder; [`crate::import::load_package`] then validates it exactly as
//! it validates a tidy package. Problems are mapped back to the user's own file
//! (or `workbook.xlsx:sheet`) and original row numbers, so one set of rules
//! (MODEL.md §3) serves every kind of input.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Problem};
use crate::import::{load_package, Loaded};
use crate::scenario::{parse_scenarios, validate_scenarios};
use crate::text::{read_text_table, TextNote, TextTable};
use crate::workbook::{SegmentWidth, Workbook};

/// The package files, in the order they are read.
pub const PACKAGE_FILES: [&str; 6] = ["district", "membership", "funds", "departments", "budget_lines", "assumptions"];

/// Account-segment columns, by file: numbers Excel may have stripped of leading zeros.
fn segment_widths(file: &str) -> &'static [SegmentWidth<'static>] {
    match file {
        "budget_lines" => &[("fund", 2), ("location", 3), ("code", 3), ("function", 6), ("project", 3)],
        "funds" => &[("fund", 2)],
        _ => &[],
    }
}

/// One input file as read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileRead {
    pub file: String,
    /// Data rows read (blank rows not counted).
    pub rows: usize,
    pub encoding: String,
    pub delimiter: String,
}

/// A package read and validated, with the repairs made on the way.
#[derive(Clone, Debug)]
pub struct Intake {
    pub loaded: Loaded,
    pub warnings: Vec<Problem>,
    pub files: Vec<FileRead>,
}

/// Where a package comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackageSource {
    Folder(PathBuf),
    Workbook(PathBuf),
}

impl PackageSource {
    /// A folder, or a file ending in `.xlsx`.
    pub fn at(path: &Path) -> PackageSource {
        if path.is_dir() { PackageSource::Folder(path.to_path_buf()) } else { PackageSource::Workbook(path.to_path_buf()) }
    }

    /// How problems name a file of this package.
    fn display(&self, file: &str) -> String {
        match self {
            PackageSource::Folder(_) => format!("{file}.csv"),
            PackageSource::Workbook(p) => format!("{}:{file}", file_name(p)),
        }
    }
}

pub(crate) fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| p.display().to_string())
}

/// A problem from a text note, located in `file`.
pub fn note_problem(n: &TextNote, file: &str) -> Problem {
    let p = Problem::new(n.code, file, n.message.clone());
    match n.row {
        Some(r) => p.row(r),
        None => p,
    }
}

/// What [`read_tables`] gives: every table that could be read, and what went wrong.
pub struct Tables {
    pub tables: HashMap<&'static str, TextTable>,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
    pub files: Vec<FileRead>,
}

/// Reads the package files of `source` as text tables; `skip` names files not wanted.
pub fn read_tables(source: &PackageSource, skip: &[&str]) -> Tables {
    let mut out = Tables { tables: HashMap::new(), errors: Vec::new(), warnings: Vec::new(), files: Vec::new() };
    let mut workbook = None;
    match source {
        PackageSource::Folder(dir) if !dir.is_dir() => {
            out.errors.push(Problem::new("E001", dir.display().to_string(), "is not a folder holding a district package"));
            return out;
        }
        PackageSource::Folder(_) => {}
        PackageSource::Workbook(path) => {
            let name = file_name(path);
            match std::fs::read(path) {
                Err(e) => {
                    out.errors.push(Problem::new("E060", name, format!("cannot be read: {e}")));
                    return out;
                }
                Ok(bytes) => match Workbook::from_bytes(bytes) {
                    Ok(wb) => workbook = Some(wb),
                    Err(m) => {
                        out.errors.push(Problem::new("E060", name, m));
                        return out;
                    }
                },
            }
        }
    }
    for file in PACKAGE_FILES {
        if skip.contains(&file) {
            continue;
        }
        let shown = source.display(file);
        let table = match (source, workbook.as_mut()) {
            (PackageSource::Folder(dir), _) => match std::fs::read(dir.join(format!("{file}.csv"))) {
                Ok(bytes) => read_text_table(&bytes),
                Err(e) => {
                    out.errors.push(Problem::new("E001", &shown, format!("cannot be read ({e}); a package folder needs {}", PACKAGE_FILES.map(|f| format!("{f}.csv")).join(", "))));
                    continue;
                }
            },
            (PackageSource::Workbook(_), Some(wb)) => {
                if !wb.has_sheet(file) {
                    out.errors.push(Problem::new("E061", &shown, format!(
                        "the workbook has no sheet {file:?}; a package workbook needs sheets {} (it has {})",
                        PACKAGE_FILES.join(", "),
                        wb.sheets.join(", ")
                    )));
                    continue;
                }
                wb.table(file, segment_widths(file))
            }
            (PackageSource::Workbook(_), None) => continue,
        };
        match table {
            Ok(t) => {
                out.warnings.extend(t.notes.iter().map(|n| note_problem(n, &shown)));
                out.files.push(FileRead {
                    file: shown,
                    rows: t.records.len(),
                    encoding: t.encoding.to_string(),
                    delimiter: (t.delimiter as char).to_string(),
                });
                out.tables.insert(file, t);
            }
            Err(n) => out.errors.push(note_problem(&n, &shown)),
        }
    }
    out
}

/// Reads and validates a package from a folder or a workbook, reporting every problem.
///
pub fn read_package(source: &PackageSource) -> Result<Intake, Vec<Problem>> {
    let tables = read_tables(source, &[]);
    let (loaded, warnings, files) = validate_tables(source, tables, false)?;
    let mut loaded = loaded;
    loaded.scenarios = read_scenarios_json(source, &loaded.package)?;
    Ok(Intake { loaded, warnings, files })
}

/// The package's `scenarios.json` (folders only), validated against `pkg`; none when absent.
pub fn read_scenarios_json(source: &PackageSource, pkg: &crate::model::Package) -> Result<Vec<crate::scenario::Scenario>, Vec<Problem>> {
    let PackageSource::Folder(dir) = source else { return Ok(Vec::new()) };
    let path = dir.join("scenarios.json");
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read(&path).map_err(|e| vec![Problem::new("E030", "scenarios.json", format!("cannot be read: {e}"))])?;
    let text = String::from_utf8(text).map_err(|_| vec![Problem::new("E030", "scenarios.json", "is not UTF-8 text")])?;
    let scenarios = parse_scenarios(&text, "scenarios.json").map_err(problems_of)?;
    let problems = validate_scenarios(pkg, &scenarios, "scenarios.json");
    if problems.is_empty() { Ok(scenarios) } else { Err(problems) }
}

/// The problems inside an engine error.
pub fn problems_of(e: Error) -> Vec<Problem> {
    match e {
        Error::Invalid(p) => p,
        other => vec![Problem::new("E090", "", other.to_string())],
    }
}

/// Writes the tables as a tidy package and validates it with [`load_package`].
///
/// With `no_lines`, an empty `budget_lines.csv` is written in place of the real one.
pub(crate) fn validate_tables(source: &PackageSource, tables: Tables, no_lines: bool) -> Result<(Loaded, Vec<Problem>, Vec<FileRead>), Vec<Problem>> {
    let Tables { tables, mut errors, warnings, files } = tables;
    let tmp = tempfile::Builder::new()
        .prefix("fulcrum-intake-")
        .tempdir()
        .map_err(|e| vec![Problem::new("E090", "", format!("cannot make a temporary folder: {e}"))])?;
    let mut rows: HashMap<String, Vec<u32>> = HashMap::new();
    let mut unread = Vec::new();
    for file in PACKAGE_FILES {
        let csv_name = format!("{file}.csv");
        let text = if no_lines && file == "budget_lines" {
            "fund,location,kind,code,function,project,department,description,amount,fte,rule\n".to_string()
        } else if let Some(t) = tables.get(file) {
            rows.insert(csv_name.clone(), t.records.iter().map(|r| r.row).collect());
            t.to_csv()
        } else {
            unread.push(csv_name);
            continue;
        };
        std::fs::write(tmp.path().join(&csv_name), text)
            .map_err(|e| vec![Problem::new("E090", "", format!("cannot write a temporary file: {e}"))])?;
    }
    let remap_row = |file: &str, r: u32| -> u32 {
        match rows.get(file) {
            Some(map) if r >= 2 => map.get((r - 2) as usize).copied().unwrap_or(r),
            _ => r,
        }
    };
    match load_package(tmp.path()) {
        Ok(mut loaded) => {
            if !errors.is_empty() {
                return Err(errors);
            }
            for line in &mut loaded.package.lines {
                for r in &mut line.source_rows {
                    *r = remap_row("budget_lines.csv", *r);
                }
            }
            Ok((loaded, warnings, files))
        }
        Err(Error::Invalid(problems)) => {
            for mut p in problems {
                // A file already reported as unreadable is not reported again as missing.
                if unread.contains(&p.file) && p.code == "E001" {
                    continue;
                }
                if let Some(r) = p.row {
                    p.row = Some(remap_row(&p.file, r));
                }
                if let Some(stem) = p.file.strip_suffix(".csv")
                    && PACKAGE_FILES.contains(&stem) {
                        p.file = source.display(stem);
                    }
                errors.push(p);
            }
            Err(errors)
        }
        Err(other) => {
            errors.push(Problem::new("E090", "", other.to_string()));
            Err(errors)
        }
    }
}
