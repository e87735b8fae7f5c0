//! The annual import: package (folder or workbook) and optional GL export in,
//! tie-out, roll forward, and one all-or-nothing write of the district file.
//!
//! [`run_import`] never half-writes: it reads and checks everything first and
//! returns an [`ImportReport`] listing every file and row read, every line made,
//! every warning and every error. Only when nothing is wrong does it copy the open
//! file aside (`VACUUM INTO`), build the new file under a temporary name, and
//! rename it over the old one. A refused import leaves the target byte for byte
//! as it was (the target is opened read-only for the checks).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Problem;
use crate::import::Loaded;
use crate::intake::{problems_of, read_package, read_scenarios_json, read_tables, validate_tables, FileRead, PackageSource};
use crate::ledger::{read_gl, GlMapping};
use crate::model::{LineKind, Package};
use crate::money::cents_str;
use crate::rollforward::{carry, Notice};
use crate::scenario::{validate_scenarios, Scenario};
use crate::audit::{ChangeRecord, Entry};
use crate::store::{prune_backups, put_gl_mapping, put_history, put_parked, Continuation, DistrictFile, HistoryEntry, ParkedItem};
use crate::tieout::{tie_out, ControlTotals, TieOut};

/// Which GL mapping to use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MappingChoice {
    /// One saved in the target file by an earlier import.
    Saved(String),
    /// A new or changed mapping; it is saved in the file when the import succeeds.
    Given(GlMapping),
}

/// A general-ledger export to take the budget lines from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GlSource {
    pub path: PathBuf,
    pub mapping: MappingChoice,
}

/// What to import, and where.
#[derive(Clone, Debug)]
pub struct ImportRequest {
    /// The district file to create, or (with `roll_forward`) to load a new base year into.
    pub target: PathBuf,
    /// A package folder or `.xlsx` workbook; with `gl`, its budget lines are not read.
    pub package: PathBuf,
    pub gl: Option<GlSource>,
    /// The ERP's trial-balance totals; when given, the import must tie to the cent.
    pub control: Option<ControlTotals>,
    /// Load into an existing file, keeping its scenarios and mappings.
    pub roll_forward: bool,
    /// Replace an existing target when not rolling forward.
    pub force: bool,
    /// When the import runs (`2025-03-10T14:25:01Z`), passed in: names backups, dates history.
    pub stamp: String,
}

/// An import as a person chooses it: files by path, a mapping by file or saved name.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ImportChoice {
    pub package: PathBuf,
    pub gl: Option<PathBuf>,
    /// A mapping JSON file for `gl`.
    pub mapping: Option<PathBuf>,
    /// Or the name of a mapping saved in the target by an earlier import.
    pub saved_mapping: Option<String>,
    pub control: Option<PathBuf>,
    pub roll_forward: bool,
    pub force: bool,
}

impl ImportRequest {
    /// Reads the mapping and control totals a choice names (the CLI and desktop share this).
    pub fn from_choice(target: PathBuf, choice: ImportChoice, stamp: String) -> crate::Result<ImportRequest> {
        use crate::error::Error;
        let gl = match choice.gl {
            None => None,
            Some(path) => {
                let mapping = match (choice.mapping, choice.saved_mapping) {
                    (Some(m), _) => {
                        let text = std::fs::read_to_string(&m).map_err(|e| Error::Io { path: m.clone(), source: e })?;
                        MappingChoice::Given(GlMapping::from_json(&text, &m.display().to_string()).map_err(|p| Error::Invalid(vec![p]))?)
                    }
                    (None, Some(name)) => MappingChoice::Saved(name),
                    (None, None) => return Err(Error::Usage("a GL export needs a mapping file or a saved mapping's name".into())),
                };
                Some(GlSource { path, mapping })
            }
        };
        let control = choice.control.map(|p| crate::tieout::read_control_totals(&p)).transpose().map_err(Error::Invalid)?;
        Ok(ImportRequest { target, package: choice.package, gl, control, roll_forward: choice.roll_forward, force: choice.force, stamp })
    }
}

/// A budget line the import made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineMade {
    pub name: String,
    pub department: String,
    pub amount: String,
    /// How many input rows were summed into it.
    pub rows: usize,
}

/// Everything an import did or would have done.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ImportReport {
    /// True when the file was written.
    pub written: bool,
    pub target: String,
    pub mode: &'static str,
    pub files: Vec<FileRead>,
    pub rows_read: usize,
    pub lines_made: usize,
    pub lines: Vec<LineMade>,
    pub warnings: Vec<Problem>,
    pub errors: Vec<Problem>,
    pub tieout: Option<TieOut>,
    /// Roll forward: what no longer applies to the scenarios.
    pub notices: Vec<Notice>,
    pub base_year: Option<i32>,
    pub previous_base_year: Option<i32>,
    pub backup: Option<String>,
    pub mapping_saved: Option<String>,
}

/// What the target file already holds.
struct Existing {
    package: Package,
    scenarios: Vec<Scenario>,
    mappings: Vec<(String, String)>,
    history: Vec<HistoryEntry>,
    parked: Vec<ParkedItem>,
    /// The file's audit chain, carried into the file the import builds.
    audit: Vec<Entry>,
}

fn read_existing(path: &Path) -> crate::Result<Existing> {
    let f = DistrictFile::open_read_only(path)?;
    Ok(Existing { package: f.package()?, scenarios: f.scenarios()?, mappings: f.gl_mappings()?, history: f.history()?, parked: f.parked()?, audit: f.audit_entries()? })
}

/// Runs an import; the report says whether it was written and why not.
pub fn run_import(req: &ImportRequest) -> ImportReport {
    let mut report = ImportReport {
        target: req.target.display().to_string(),
        mode: if req.roll_forward { "roll_forward" } else { "new" },
        ..Default::default()
    };
    let target_name = crate::intake::file_name(&req.target);
    let exists = req.target.exists();
    if req.roll_forward && !exists {
        report.errors.push(Problem::new("E070", &target_name, "does not exist; roll forward loads a new base year into an existing district file"));
        return report;
    }
    if !req.roll_forward && exists && !req.force {
        report.errors.push(Problem::new("E070", &target_name, "already exists; roll forward into it, or pass --force to replace it"));
        return report;
    }
    let existing = if exists {
        match read_existing(&req.target) {
            Ok(e) => Some(e),
            Err(e) => {
                report.errors.push(Problem::new("E071", &target_name, e.to_string()));
                return report;
            }
        }
    } else {
        None
    };
    let Some(loaded) = read_inputs(req, existing.as_ref(), &mut report) else { return report };
    report.base_year = Some(loaded.package.district.base_year);
    report.lines_made = loaded.package.lines.len();
    report.lines = loaded
        .package
        .lines
        .iter()
        .map(|l| LineMade { name: l.name(), department: l.department.clone(), amount: cents_str(l.amount), rows: l.source_rows.len() })
        .collect();
    if let Some(control) = &req.control {
        let t = tie_out(&loaded.package.lines, control);
        report.errors.extend(t.problems("control totals"));
        report.tieout = Some(t);
    }
    // Scenarios: a new file takes the package's; a roll forward carries the file's.
    let mut parked_new = Vec::new();
    let scenarios = match (&existing, req.roll_forward) {
        (Some(old), true) => {
            let (ob, nb) = (old.package.district.base_year, loaded.package.district.base_year);
            report.previous_base_year = Some(ob);
            if nb < ob {
                report.errors.push(Problem::new("E072", "district", format!("the new base year {nb} is before the file's base year {ob}; roll forward goes to a later year")));
            } else if nb == ob {
                report.warnings.push(Problem::new("W011", "district", format!("the base year stays {nb}: the file's budget is replaced by this one (a corrected adopted budget)")));
            }
            if !loaded.scenarios.is_empty() {
                report.warnings.push(Problem::new("W010", "scenarios.json", "is ignored in a roll forward: the file's own scenarios are carried forward"));
            }
            let c = carry(&old.scenarios, &loaded.package);
            report.errors.extend(validate_scenarios(&loaded.package, &c.scenarios, "carried scenarios"));
            report.notices = c.notices;
            parked_new = c.parked;
            c.scenarios
        }
        _ => loaded.scenarios.clone(),
    };
    if !report.errors.is_empty() {
        return report;
    }
    match write(req, existing.as_ref(), Loaded { package: loaded.package, scenarios }, parked_new, &mut report) {
        Ok(()) => report.written = true,
        Err(e) => report.errors.push(Problem::new("E090", &target_name, e.to_string())),
    }
    report
}

/// Reads the package and GL inputs, filling the report; `None` when anything is wrong.
fn read_inputs(req: &ImportRequest, existing: Option<&Existing>, report: &mut ImportReport) -> Option<Loaded> {
    let source = PackageSource::at(&req.package);
    let Some(gl) = &req.gl else {
        return match read_package(&source) {
            Ok(intake) => {
                report.rows_read = intake.files.iter().map(|f| f.rows).sum();
                report.files = intake.files;
                report.warnings.extend(intake.warnings);
                Some(intake.loaded)
            }
            Err(problems) => {
                // Read again only for the warnings and file list: cheap, and the report stays complete.
                let t = read_tables(&source, &[]);
                report.files = t.files;
                report.rows_read = report.files.iter().map(|f| f.rows).sum();
                report.warnings.extend(t.warnings);
                report.errors.extend(problems);
                None
            }
        };
    };
    let mapping = match &gl.mapping {
        MappingChoice::Given(m) => m.clone(),
        MappingChoice::Saved(name) => {
            let saved = existing.map(|e| e.mappings.clone()).unwrap_or_default();
            match saved.iter().find(|(n, _)| n == name) {
                Some((_, json)) => match GlMapping::from_json(json, "saved mapping") {
                    Ok(m) => m,
                    Err(p) => {
                        report.errors.push(p);
                        return None;
                    }
                },
                None => {
                    let names: Vec<&str> = saved.iter().map(|(n, _)| n.as_str()).collect();
                    report.errors.push(Problem::new("E050", "mapping", format!(
                        "no mapping named {name:?} is saved in the file (saved: {})",
                        if names.is_empty() { "none".to_string() } else { names.join(", ") }
                    )));
                    return None;
                }
            }
        }
    };
    let tables = read_tables(&source, &["budget_lines"]);
    if let PackageSource::Folder(dir) = &source
        && dir.join("budget_lines.csv").exists() {
            report.warnings.push(Problem::new("W012", "budget_lines.csv", "is ignored: with a GL export the budget lines come from the export"));
        }
    report.files = tables.files.clone();
    report.warnings.extend(tables.warnings.clone());
    let mut loaded = match validate_tables(&source, tables, true) {
        Ok((loaded, _, _)) => loaded,
        Err(problems) => {
            report.errors.extend(problems);
            return None;
        }
    };
    let gl_lines = read_gl(&gl.path, &mapping, &loaded.package);
    report.files.extend(gl_lines.file.clone());
    report.rows_read = report.files.iter().map(|f| f.rows).sum();
    report.warnings.extend(gl_lines.warnings);
    if !gl_lines.errors.is_empty() {
        report.errors.extend(gl_lines.errors);
        return None;
    }
    loaded.package.lines = gl_lines.lines;
    match read_scenarios_json(&source, &loaded.package) {
        Ok(s) => loaded.scenarios = s,
        Err(p) => {
            report.errors.extend(p);
            return None;
        }
    }
    if let MappingChoice::Given(m) = &gl.mapping {
        report.mapping_saved = Some(m.name.clone());
    }
    let _ = problems_of; // (kept for callers that hold an engine error)
    Some(loaded)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// A file name that does not exist yet: `stem.tag.fulcrum`, then `stem.tag-2.fulcrum`, …
fn free_name(target: &Path, tag: &str) -> PathBuf {
    let stem = target.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "district".into());
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut n = 1;
    loop {
        let name = if n == 1 { format!("{stem}.{tag}.fulcrum") } else { format!("{stem}.{tag}-{n}.fulcrum") };
        let p = dir.join(name);
        if !p.exists() {
            return p;
        }
        n += 1;
    }
}

fn totals(pkg: &Package) -> (i64, i64) {
    let sum = |k| pkg.lines.iter().filter(|l| l.kind == k).map(|l| l.amount).sum();
    (sum(LineKind::Revenue), sum(LineKind::Expense))
}

/// Backs up the existing file, builds the new one aside, renames it into place.
fn write(req: &ImportRequest, existing: Option<&Existing>, loaded: Loaded, parked_new: Vec<ParkedItem>, report: &mut ImportReport) -> crate::Result<()> {
    let stamp_tag: String = req.stamp.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let mut history_new = None;
    if let Some(old) = existing {
        let ob = old.package.district.base_year;
        // A roll forward to a later year keeps the old year's file as history;
        // every other import into an existing file keeps a dated backup.
        let rolled = req.roll_forward && loaded.package.district.base_year > ob;
        let copy = if rolled { free_name(&req.target, &format!("fy{ob}")) } else { free_name(&req.target, &format!("backup-{stamp_tag}")) };
        DistrictFile::open_read_only(&req.target)?.backup_to(&copy)?;
        report.backup = Some(copy.display().to_string());
        if !rolled {
            prune_backups(&req.target);
        }
        if rolled {
            let (rev, exp) = totals(&old.package);
            history_new = Some(HistoryEntry {
                base_year: ob,
                district_name: old.package.district.name.clone(),
                archive_path: crate::intake::file_name(&copy),
                lines: old.package.lines.len() as i64,
                revenue_cents: rev,
                expense_cents: exp,
                replaced_at: req.stamp.clone(),
            });
        }
    }
    let tmp = with_suffix(&req.target, ".importing");
    // The import is recorded through the door of the file it builds: the old file's
    // chain is carried over verbatim and this import's entry appended to it.
    let change = ChangeRecord::new(
        if req.roll_forward { "roll_forward" } else { "import" },
        None,
        serde_json::json!({
            "package": req.package.display().to_string(),
            "gl": req.gl.as_ref().map(|g| g.path.display().to_string()),
            "base_year_before": existing.map(|e| e.package.district.base_year),
            "base_year_after": loaded.package.district.base_year,
            "budget_lines_before": existing.map(|e| e.package.lines.len()),
            "budget_lines_after": loaded.package.lines.len(),
            "scenarios_before": existing.map(|e| e.scenarios.iter().map(|s| s.name.clone()).collect::<Vec<_>>()),
            "scenarios_after": loaded.scenarios.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
            "parked": parked_new.len(),
            "backup": report.backup,
        }),
    );
    let extra = |tx: &rusqlite::Transaction| {
        if let Some(old) = existing.filter(|_| req.roll_forward) {
            for (name, json) in &old.mappings {
                put_gl_mapping(tx, name, json, &req.stamp)?;
            }
            for h in &old.history {
                put_history(tx, h)?;
            }
            for p in &old.parked {
                put_parked(tx, p)?;
            }
        }
        if let Some(h) = &history_new {
            put_history(tx, h)?;
        }
        for p in &parked_new {
            put_parked(tx, p)?;
        }
        if let Some(GlSource { mapping: MappingChoice::Given(m), .. }) = &req.gl {
            let json = serde_json::to_string(m).map_err(|e| crate::Error::Usage(e.to_string()))?;
            put_gl_mapping(tx, &m.name, &json, &req.stamp)?;
        }
        Ok(())
    };
    let entries = existing.map(|e| e.audit.as_slice()).unwrap_or(&[]);
    let built = DistrictFile::build(&tmp, &loaded, true, &mut |_| true, Continuation { entries, change, extra: &extra }).map(drop);
    if let Err(e) = built {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(&req.target, suffix));
    }
    std::fs::rename(&tmp, &req.target).map_err(|e| crate::Error::Io { path: req.target.clone(), source: e })?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(&tmp, suffix));
    }
    Ok(())
}

impl ImportReport {
    /// The report as a person reads it in a terminal.
    pub fn render(&self, all_lines: bool) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let _ = writeln!(out, "{} import into {}: {}", self.mode.replace('_', " "), self.target, if self.written { "WRITTEN" } else { "REFUSED, nothing written" });
        for f in &self.files {
            let _ = writeln!(out, "  read {} ({} rows, {}, separator {:?})", f.file, f.rows, f.encoding, f.delimiter);
        }
        let _ = writeln!(out, "  rows read: {}; lines made: {}", self.rows_read, self.lines_made);
        if let (Some(p), Some(b)) = (self.previous_base_year, self.base_year) {
            let _ = writeln!(out, "  base year: {p} -> {b}");
        }
        if let Some(t) = &self.tieout {
            let _ = writeln!(out, "\ntie-out {}:", if t.ties { "ties to the cent" } else { "DOES NOT TIE" });
            out.push_str(&t.render());
        }
        if !self.notices.is_empty() {
            let _ = writeln!(out, "\nno longer applies ({}):", self.notices.len());
            for n in &self.notices {
                let _ = writeln!(out, "  [{}] {}: {}: {}", n.action, n.scenario, n.item, n.reason);
            }
        }
        if !self.warnings.is_empty() {
            let _ = writeln!(out, "\nwarnings ({}):", self.warnings.len());
            for w in &self.warnings {
                let _ = writeln!(out, "  {w}");
            }
        }
        if !self.errors.is_empty() {
            let _ = writeln!(out, "\nerrors ({}):", self.errors.len());
            for e in &self.errors {
                let _ = writeln!(out, "  {e}");
            }
        }
        if all_lines && !self.lines.is_empty() {
            let _ = writeln!(out, "\nlines:");
            for l in &self.lines {
                let _ = writeln!(out, "  {} {} {} ({} rows)", l.name, l.department, l.amount, l.rows);
            }
        }
        if let Some(b) = &self.backup {
            let _ = writeln!(out, "\nthe file as it was is kept at {b}");
        }
        if let Some(m) = &self.mapping_saved {
            let _ = writeln!(out, "mapping {m:?} saved in the file for next year");
        }
        out
    }
}
