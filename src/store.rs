//! The district file: a `.fulcrum` SQLite database holding the package and its scenarios.
//!
//! Money is stored as integer cents, rates as exact decimal text; never as REAL.
//! The schema is a list of numbered migrations, applied in one transaction and
//! recorded in `PRAGMA user_version`; `PRAGMA application_id` marks the file as ours.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use rust_decimal::Decimal;

use crate::audit::{self, Actor, ChangeRecord, Entry};
use crate::error::{Error, Result};
use crate::import::Loaded;
use crate::model::{
    AssumptionKey, BudgetLine, Department, DepartmentKind, District, FiscalYear, Fund, LineKind, Package, Rule,
};
use crate::scenario::Scenario;

/// `PRAGMA application_id` of a Fulcrum file: "FLCM" in ASCII.
pub const APPLICATION_ID: i32 = 0x464C_434D;

/// The migrations, in order; migration `i` takes the file to format `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_package.sql"),
    include_str!("migrations/002_annual_flow.sql"),
    include_str!("migrations/003_trust.sql"),
];

/// The file format this Fulcrum writes (and the newest it reads).
pub const FORMAT_VERSION: i64 = MIGRATIONS.len() as i64;

/// Where a long file build has got to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    pub stage: Stage,
    /// Units of `stage` done so far, out of `total`.
    pub done: u64,
    pub total: u64,
}

/// The stages of creating a district file from a package.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Reading and checking the package's CSV files.
    Reading,
    /// Writing budget lines (`done` of `total` lines).
    Writing,
    /// Committing and moving the finished file into place.
    Finishing,
}

/// An open district file.
pub struct DistrictFile {
    conn: Connection,
    path: PathBuf,
    /// The audit head as this handle last saw it: a write finding another head means
    /// another window or process changed the file in between, and is refused.
    seen: (i64, String),
    /// Told of every entry the door appends through this handle (the desktop forwards it as an event).
    listener: Option<Box<dyn Fn(&Entry) + Send>>,
    /// Which file on disk was opened: an import elsewhere replaces the file by renaming
    /// a new one into place, and a write to the old one would be lost.
    identity: Option<(u64, u64)>,
}

/// The device and inode of the file at `path` (None where the platform has none).
fn identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

impl std::fmt::Debug for DistrictFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DistrictFile").field("path", &self.path).field("seen", &self.seen).finish_non_exhaustive()
    }
}

fn sqlite_err(path: &Path, e: rusqlite::Error) -> Error {
    Error::Storage { path: path.to_path_buf(), message: e.to_string() }
}

/// What an import that replaces a file carries into the new one: the old chain, the
/// entry that records the import, and writes of its own inside the same transaction.
pub(crate) struct Continuation<'a> {
    pub entries: &'a [Entry],
    pub change: ChangeRecord,
    pub extra: &'a dyn Fn(&Transaction) -> Result<()>,
}

/// The door: every change to a district file passes here, and nothing writes around it.
///
/// It opens one `IMMEDIATE` transaction (taking SQLite's write lock at once), refuses
/// when the file's audit head is not `expect_head` (another writer got in between),
/// runs `apply`, appends the audit entry `apply` describes (who from the OS and the
/// file's preferences, when from `at` or the clock now), and commits: the change and
/// its entry are written together or not at all.
pub(crate) fn through_door<T>(
    conn: &mut Connection,
    path: &Path,
    expect_head: Option<&(i64, String)>,
    at: Option<&str>,
    apply: impl FnOnce(&Transaction) -> Result<(T, ChangeRecord)>,
) -> Result<(T, Entry)> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| busy_or(path, e))?;
    if let Some(seen) = expect_head {
        let now = audit::head(&tx).map_err(|e| sqlite_err(path, e))?;
        if now != *seen {
            let by = tx
                .query_row("SELECT display_name, os_user, at FROM audit_log WHERE seq = ?1", [now.0], |r| {
                    Ok(format!("{} ({}) at {}", r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
                })
                .unwrap_or_else(|_| "another Fulcrum".into());
            return Err(Error::Conflict {
                path: path.to_path_buf(),
                message: format!(
                    "the file was changed by another window or process since it was opened here (latest change: entry {} by {by}); nothing was written: reopen the file to see that change, then make yours again",
                    now.0
                ),
            });
        }
    }
    let (out, change) = apply(&tx)?;
    let actor = Actor { os_user: audit::os_user(), display_name: display_name(&tx)? };
    let at = at.map(str::to_string).unwrap_or_else(audit::now_stamp);
    let entry = audit::append(&tx, &at, &actor, &change)?;
    tx.commit().map_err(|e| busy_or(path, e))?;
    Ok((out, entry))
}

fn busy_or(path: &Path, e: rusqlite::Error) -> Error {
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) {
        Error::Conflict { path: path.to_path_buf(), message: "another Fulcrum is writing this file right now; nothing was written: try again".into() }
    } else {
        sqlite_err(path, e)
    }
}

/// The display name kept in the file's preferences (empty until one is set).
fn display_name(conn: &Connection) -> Result<String> {
    Ok(conn
        .query_row("SELECT value FROM preferences WHERE key = 'display_name'", [], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

impl DistrictFile {
    /// Creates a district file at `path` from a loaded package.
    ///
    /// The file is written beside `path` under a temporary name and renamed into
    /// place only when complete, so a failure never leaves a half-written file.
    pub fn create(path: &Path, loaded: &Loaded, force: bool) -> Result<DistrictFile> {
        DistrictFile::create_with(path, loaded, force, &mut |_| true)
    }

    /// [`DistrictFile::create`], reporting each step to `progress`; when it returns
    /// `false` the build stops with [`Error::Cancelled`] and the partial file is removed.
    pub fn create_with(path: &Path, loaded: &Loaded, force: bool, progress: &mut dyn FnMut(Step) -> bool) -> Result<DistrictFile> {
        let d = &loaded.package.district;
        let change = ChangeRecord::new(
            "create",
            None,
            serde_json::json!({
                "district": d.name, "base_year": d.base_year, "budget_lines": loaded.package.lines.len(),
                "scenarios": loaded.scenarios.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            }),
        );
        DistrictFile::build(path, loaded, force, progress, Continuation { entries: &[], change, extra: &|_| Ok(()) })
    }

    pub(crate) fn build(path: &Path, loaded: &Loaded, force: bool, progress: &mut dyn FnMut(Step) -> bool, cont: Continuation) -> Result<DistrictFile> {
        if path.exists() && !force {
            return Err(Error::Exists { path: path.to_path_buf() });
        }
        let tmp = temp_path(path);
        let _ = std::fs::remove_file(&tmp);
        let result = (|| {
            let mut conn = Connection::open(&tmp).map_err(|e| sqlite_err(&tmp, e))?;
            // Nobody sees the file until it is renamed into place, so it is built
            // without a journal or syncs, then synced once, whole, before the rename.
            conn.execute_batch("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA foreign_keys = ON;")
                .map_err(|e| sqlite_err(&tmp, e))?;
            through_door(&mut conn, &tmp, None, None, |tx| {
                migrate(tx, 0)?;
                audit::carry(tx, cont.entries)?;
                write_package(tx, &loaded.package, progress)?;
                for (i, s) in loaded.scenarios.iter().enumerate() {
                    put_scenario(tx, s, i as i64)?;
                }
                (cont.extra)(tx)?;
                if !progress(Step { stage: Stage::Finishing, done: 0, total: 1 }) {
                    return Err(Error::Cancelled);
                }
                Ok(((), cont.change))
            })?;
            conn.close().map_err(|(_, e)| sqlite_err(&tmp, e))?;
            std::fs::File::open(&tmp)
                .and_then(|f| f.sync_all())
                .map_err(|e| Error::Io { path: tmp.clone(), source: e })?;
            Ok(())
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        if force {
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(with_suffix(path, suffix));
            }
        }
        std::fs::rename(&tmp, path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
        DistrictFile::open(path)
    }

    /// Opens a district file, refusing files that are not Fulcrum's, are too new, or are damaged.
    pub fn open(path: &Path) -> Result<DistrictFile> {
        check_header(path)?;
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| sqlite_err(path, e))?;
        let version = check_ours(&conn, path)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
        )
        .map_err(|e| damaged_or(path, e))?;
        check_integrity(&conn, path)?;
        let mut file = DistrictFile { conn, path: path.to_path_buf(), seen: (0, audit::GENESIS.to_string()), listener: None, identity: identity(path) };
        if version < FORMAT_VERSION {
            through_door(&mut file.conn, path, None, None, |tx| {
                migrate(tx, version)?;
                Ok(((), ChangeRecord::new("format_upgrade", None, serde_json::json!({"from": version, "to": FORMAT_VERSION}))))
            })?;
        }
        file.seen = audit::head(&file.conn).map_err(|e| sqlite_err(path, e))?;
        Ok(file)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Asks to be told of every entry this handle appends (after it is committed).
    pub fn set_listener(&mut self, listener: Option<Box<dyn Fn(&Entry) + Send>>) {
        self.listener = listener;
    }

    /// Makes one change through the door: `apply` writes it and describes it; the entry
    /// is appended in the same transaction and the listener told once it is committed.
    pub fn record<T>(&mut self, at: Option<&str>, apply: impl FnOnce(&Transaction) -> Result<(T, ChangeRecord)>) -> Result<(T, Entry)> {
        if identity(&self.path) != self.identity {
            return Err(Error::Conflict {
                path: self.path.clone(),
                message: "the file was replaced since it was opened here (an import or roll forward elsewhere); nothing was written: reopen it".into(),
            });
        }
        let (out, entry) = through_door(&mut self.conn, &self.path, Some(&self.seen), at, apply)?;
        self.seen = (entry.seq, entry.hash.clone());
        if let Some(l) = &self.listener {
            l(&entry);
        }
        Ok((out, entry))
    }

    /// The audit log, oldest first (empty for a file older than format 3).
    pub fn audit_entries(&self) -> Result<Vec<Entry>> {
        if self.format_version()? < 3 {
            return Ok(Vec::new());
        }
        audit::entries(&self.conn).map_err(|e| sqlite_err(&self.path, e))
    }

    /// One audit entry by its sequence number.
    pub fn audit_entry(&self, seq: i64) -> Result<Entry> {
        self.audit_entries()?
            .into_iter()
            .find(|e| e.seq == seq)
            .ok_or_else(|| Error::Storage { path: self.path.clone(), message: format!("audit entry {seq} is missing") })
    }

    /// Checks the audit chain and the published versions' content hashes.
    pub fn verify(&self) -> Result<audit::Verification> {
        if self.format_version()? < 3 {
            return Ok(audit::Verification { entries: 0, head_seq: 0, head_hash: audit::GENESIS.into(), first_break: None });
        }
        audit::verify(&self.conn).map_err(|e| sqlite_err(&self.path, e))
    }

    /// The display name the audit log records beside the OS user.
    pub fn display_name(&self) -> Result<String> {
        if self.format_version()? < 3 {
            return Ok(String::new());
        }
        display_name(&self.conn)
    }

    /// Sets the display name (itself an audited change).
    pub fn set_display_name(&mut self, name: &str) -> Result<Entry> {
        let name = name.trim().to_string();
        if name.chars().count() > 80 || name.chars().any(char::is_control) {
            return Err(Error::Usage("a display name is at most 80 characters, without control characters".into()));
        }
        let before = self.display_name()?;
        let (_, entry) = self.record(None, |tx| {
            tx.execute(
                "INSERT INTO preferences (key, value) VALUES ('display_name', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [&name],
            )?;
            Ok(((), ChangeRecord::new("preference", None, serde_json::json!({"key": "display_name", "before": before, "after": name}))))
        })?;
        Ok(entry)
    }

    /// Writes a complete copy of the file to `path` (replacing it) and opens the copy.
    ///
    /// The copy is built under a temporary name and renamed into place, like [`DistrictFile::create`].
    pub fn save_as(&self, path: &Path) -> Result<DistrictFile> {
        let tmp = temp_path(path);
        let _ = std::fs::remove_file(&tmp);
        let target = tmp.to_str().ok_or_else(|| Error::Usage(format!("{} is not a valid UTF-8 path", path.display())))?;
        if let Err(e) = self.conn.execute("VACUUM INTO ?1", [target]) {
            let _ = std::fs::remove_file(&tmp);
            return Err(sqlite_err(path, e));
        }
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(path, suffix));
        }
        std::fs::rename(&tmp, path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
        let mut copy = DistrictFile::open(path)?;
        let from = self.path.display().to_string();
        copy.record(None, |_| Ok(((), ChangeRecord::new("save_as", None, serde_json::json!({"copied_from": from})))))?;
        Ok(copy)
    }

    /// The package stored in the file.
    pub fn package(&self) -> Result<Package> {
        read_package(&self.conn).map_err(|e| sqlite_err(&self.path, e))
    }

    /// The scenarios in the file, in their stored order.
    pub fn scenarios(&self) -> Result<Vec<Scenario>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, definition FROM scenarios ORDER BY position, id")
            .map_err(|e| sqlite_err(&self.path, e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| sqlite_err(&self.path, e))?;
        let mut out = Vec::new();
        for row in rows {
            let (name, json) = row.map_err(|e| sqlite_err(&self.path, e))?;
            let s: Scenario = serde_json::from_str(&json).map_err(|e| Error::Storage {
                path: self.path.clone(),
                message: format!("scenario {name:?} is stored damaged: {e}"),
            })?;
            out.push(s);
        }
        Ok(out)
    }

}

/// Replaces the file's scenarios with `scenarios`, in that order, inside the door's transaction.
pub(crate) fn write_scenarios(tx: &Transaction, scenarios: &[Scenario]) -> Result<()> {
    tx.execute("DELETE FROM scenarios", [])?;
    for (i, s) in scenarios.iter().enumerate() {
        put_scenario(tx, s, i as i64)?;
    }
    Ok(())
}

/// A base year this file held before a roll forward.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct HistoryEntry {
    pub base_year: FiscalYear,
    pub district_name: String,
    pub archive_path: String,
    pub lines: i64,
    pub revenue_cents: i64,
    pub expense_cents: i64,
    pub replaced_at: String,
}

/// A scenario item that no longer applied after a roll forward, kept with its reason.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ParkedItem {
    pub scenario: String,
    pub item_kind: String,
    /// The item's MODEL.md §9 JSON.
    pub item: String,
    pub reason: String,
    pub base_year: FiscalYear,
}

impl DistrictFile {
    /// Opens a district file for reading only: nothing in it is changed, not even
    /// a migration, so a refused import leaves the file byte for byte as it was.
    pub fn open_read_only(path: &Path) -> Result<DistrictFile> {
        check_header(path)?;
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| sqlite_err(path, e))?;
        let version = check_ours(&conn, path)?;
        conn.execute_batch("PRAGMA busy_timeout = 5000;").map_err(|e| sqlite_err(path, e))?;
        check_integrity(&conn, path)?;
        let seen = if version >= 3 { audit::head(&conn).map_err(|e| sqlite_err(path, e))? } else { (0, audit::GENESIS.to_string()) };
        Ok(DistrictFile { conn, path: path.to_path_buf(), seen, listener: None, identity: identity(path) })
    }

    /// The file format the file is at (its `user_version`).
    pub fn format_version(&self) -> Result<i64> {
        self.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| sqlite_err(&self.path, e))
    }

    /// Writes a consistent copy of the whole file to `dest` (`VACUUM INTO`), which must not exist.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let target = dest.to_str().ok_or_else(|| Error::Usage(format!("{} is not a UTF-8 path", dest.display())))?;
        self.conn.execute("VACUUM INTO ?1", params![target]).map_err(|e| sqlite_err(dest, e))?;
        Ok(())
    }

    /// The saved GL mappings: (name, JSON definition), by name.
    pub fn gl_mappings(&self) -> Result<Vec<(String, String)>> {
        if self.format_version()? < 2 {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare("SELECT name, definition FROM gl_mappings ORDER BY name").map_err(|e| sqlite_err(&self.path, e))?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(|e| sqlite_err(&self.path, e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| sqlite_err(&self.path, e))
    }

    /// The base years this file held before, oldest first.
    pub fn history(&self) -> Result<Vec<HistoryEntry>> {
        if self.format_version()? < 2 {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare("SELECT base_year, district_name, archive_path, lines, revenue_cents, expense_cents, replaced_at FROM base_year_history ORDER BY id")
            .map_err(|e| sqlite_err(&self.path, e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(HistoryEntry {
                    base_year: r.get(0)?,
                    district_name: r.get(1)?,
                    archive_path: r.get(2)?,
                    lines: r.get(3)?,
                    revenue_cents: r.get(4)?,
                    expense_cents: r.get(5)?,
                    replaced_at: r.get(6)?,
                })
            })
            .map_err(|e| sqlite_err(&self.path, e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| sqlite_err(&self.path, e))
    }

    /// Scenario items parked by roll forwards, in the order they were parked.
    pub fn parked(&self) -> Result<Vec<ParkedItem>> {
        if self.format_version()? < 2 {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare("SELECT scenario, item_kind, item, reason, base_year FROM parked_items ORDER BY id")
            .map_err(|e| sqlite_err(&self.path, e))?;
        let rows = stmt
            .query_map([], |r| Ok(ParkedItem { scenario: r.get(0)?, item_kind: r.get(1)?, item: r.get(2)?, reason: r.get(3)?, base_year: r.get(4)? }))
            .map_err(|e| sqlite_err(&self.path, e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| sqlite_err(&self.path, e))
    }
}

/// Saves (or replaces) a GL mapping inside a transaction.
pub fn put_gl_mapping(tx: &Transaction, name: &str, definition: &str, saved_at: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO gl_mappings (name, definition, saved_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, saved_at = excluded.saved_at",
        params![name, definition, saved_at],
    )?;
    Ok(())
}

/// Records a base year the file held, inside a transaction.
pub fn put_history(tx: &Transaction, h: &HistoryEntry) -> Result<()> {
    tx.execute(
        "INSERT INTO base_year_history (base_year, district_name, archive_path, lines, revenue_cents, expense_cents, replaced_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![h.base_year, h.district_name, h.archive_path, h.lines, h.revenue_cents, h.expense_cents, h.replaced_at],
    )?;
    Ok(())
}

/// Keeps a parked scenario item, inside a transaction.
pub fn put_parked(tx: &Transaction, p: &ParkedItem) -> Result<()> {
    tx.execute(
        "INSERT INTO parked_items (scenario, item_kind, item, reason, base_year) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![p.scenario, p.item_kind, p.item, p.reason, p.base_year],
    )?;
    Ok(())
}

/// Refuses a file that is not ours or too new; returns its format.
fn check_ours(conn: &Connection, path: &Path) -> Result<i64> {
    let not_ours = |reason: String| Error::NotFulcrum { path: path.to_path_buf(), reason };
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| not_ours(format!("it cannot be read as a database ({e})")))?;
    if app_id != APPLICATION_ID {
        return Err(not_ours("it is an SQLite database, but not one Fulcrum wrote".into()));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| sqlite_err(path, e))?;
    if version > FORMAT_VERSION {
        return Err(Error::TooNew { path: path.to_path_buf(), found: version, supported: FORMAT_VERSION });
    }
    Ok(version)
}

/// `PRAGMA integrity_check` on open: a damaged file is refused, naming the backup to recover from.
fn check_integrity(conn: &Connection, path: &Path) -> Result<()> {
    let rows: Vec<String> = conn
        .prepare("PRAGMA integrity_check(5)")
        .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect())
        .map_err(|e| damaged_or(path, e))?;
    if rows == ["ok"] {
        return Ok(());
    }
    Err(Error::Damaged { path: path.to_path_buf(), detail: rows.join("; "), backup: latest_backup(path) })
}

fn damaged_or(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
            Error::Damaged { path: path.to_path_buf(), detail: e.to_string(), backup: latest_backup(path) }
        }
        _ => sqlite_err(path, e),
    }
}

/// How many automatic backups of a file are kept beside it (the oldest go first).
pub const BACKUPS_KEPT: usize = 5;

/// The automatic backups of `target` (`stem.backup-STAMP.fulcrum`), oldest first.
pub fn backups_of(target: &Path) -> Vec<PathBuf> {
    let stem = target.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = format!("{stem}.backup-");
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(&prefix) && n.ends_with(".fulcrum")
        })
        .map(|e| (e.metadata().and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH), e.path()))
        .collect();
    found.sort();
    found.into_iter().map(|(_, p)| p).collect()
}

/// The newest automatic backup of `target`, if any.
pub fn latest_backup(target: &Path) -> Option<PathBuf> {
    backups_of(target).pop()
}

/// Removes all but the newest [`BACKUPS_KEPT`] automatic backups; returns those removed.
pub fn prune_backups(target: &Path) -> Vec<PathBuf> {
    let all = backups_of(target);
    let extra = all.len().saturating_sub(BACKUPS_KEPT);
    let mut removed = Vec::new();
    for p in all.into_iter().take(extra) {
        if std::fs::remove_file(&p).is_ok() {
            removed.push(p);
        }
    }
    removed
}

fn temp_path(path: &Path) -> PathBuf {
    with_suffix(path, ".partial")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Refuses, with a reason, anything that is not an SQLite file.
fn check_header(path: &Path) -> Result<()> {
    let mut f = std::fs::File::open(path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
    let mut header = [0u8; 16];
    let mut read = 0;
    while read < header.len() {
        match f.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => return Err(Error::Io { path: path.to_path_buf(), source: e }),
        }
    }
    if read == 0 {
        return Err(Error::NotFulcrum { path: path.to_path_buf(), reason: "the file is empty".into() });
    }
    if &header[..read] != b"SQLite format 3\0" {
        return Err(Error::NotFulcrum {
            path: path.to_path_buf(),
            reason: "it is not a Fulcrum district file (create one with `fulcrum new FILE --from PACKAGE_DIR`)".into(),
        });
    }
    Ok(())
}

/// Applies the migrations after `from` and records the new format.
fn migrate(tx: &Transaction, from: i64) -> Result<()> {
    for sql in &MIGRATIONS[from as usize..] {
        tx.execute_batch(sql)?;
    }
    tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {FORMAT_VERSION};"))
        ?;
    Ok(())
}

/// How often, in budget lines, a file build reports progress.
const PROGRESS_EVERY: usize = 500;

fn write_package(tx: &Transaction, pkg: &Package, progress: &mut dyn FnMut(Step) -> bool) -> Result<()> {
    let total = pkg.lines.len() as u64;
    let d = &pkg.district;
    tx.execute(
        "INSERT INTO district (id, name, base_year, horizon, revenue_limit_recurring_base_cents, reserve_policy_pct)
         VALUES (1, ?1, ?2, ?3, ?4, ?5)",
        params![d.name, d.base_year, d.horizon, d.revenue_limit_recurring_base, d.reserve_policy_pct.to_string()],
    )
    ?;
    {
        let mut stmt = tx.prepare("INSERT INTO membership (year, membership) VALUES (?1, ?2)")?;
        for (y, m) in &pkg.membership {
            stmt.execute(params![y, m])?;
        }
        let mut stmt = tx
            .prepare("INSERT INTO funds (code, name, opening_balance_cents, operating) VALUES (?1, ?2, ?3, ?4)")
            ?;
        for f in &pkg.funds {
            stmt.execute(params![f.code, f.name, f.opening_balance, f.operating])?;
        }
        let mut stmt = tx.prepare("INSERT INTO departments (code, name, kind) VALUES (?1, ?2, ?3)")?;
        for dep in &pkg.departments {
            stmt.execute(params![dep.code, dep.name, dep.kind.as_str()])?;
        }
        let mut stmt = tx
            .prepare(
                "INSERT INTO budget_lines (id, fund, location, kind, code, function, project, department,
                 description, amount_cents, fte, rule, source_rows) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )
            ?;
        let mut rows = String::new();
        for (i, l) in pkg.lines.iter().enumerate() {
            if i % PROGRESS_EVERY == 0 && !progress(Step { stage: Stage::Writing, done: i as u64, total }) {
                return Err(Error::Cancelled);
            }
            rows.clear();
            for (k, r) in l.source_rows.iter().enumerate() {
                if k > 0 {
                    rows.push(',');
                }
                let _ = write!(rows, "{r}");
            }
            stmt.execute(params![
                i as i64,
                l.fund,
                l.location,
                l.kind.as_str(),
                l.code,
                l.function,
                l.project,
                l.department,
                l.description,
                l.amount,
                l.fte.map(|f| f.to_string()),
                l.rule.as_str(),
                rows,
            ])
            ?;
        }
        let mut stmt = tx.prepare("INSERT INTO assumptions (year, key, value) VALUES (?1, ?2, ?3)")?;
        for ((y, k), v) in &pkg.assumptions {
            stmt.execute(params![y, k.as_str(), v.to_string()])?;
        }
    }
    Ok(())
}

/// Inserts or replaces one scenario at `position`.
pub(crate) fn put_scenario(tx: &Transaction, s: &Scenario, position: i64) -> Result<()> {
    let json = serde_json::to_string(s).map_err(|e| Error::Usage(format!("scenario {:?}: {e}", s.name)))?;
    tx.execute(
        "INSERT INTO scenarios (name, position, definition) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET definition = excluded.definition",
        params![s.name, position, json],
    )
    ?;
    Ok(())
}

fn bad_text(what: &str, v: &str) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnType(0, format!("{what} {v:?}"), rusqlite::types::Type::Text)
}

fn decimal(what: &str, v: &str) -> rusqlite::Result<Decimal> {
    Decimal::from_str(v).map_err(|_| bad_text(what, v))
}

fn read_package(conn: &Connection) -> rusqlite::Result<Package> {
    let district = conn.query_row(
        "SELECT name, base_year, horizon, revenue_limit_recurring_base_cents, reserve_policy_pct FROM district WHERE id = 1",
        [],
        |r| {
            let pct: String = r.get(4)?;
            Ok(District {
                name: r.get(0)?,
                base_year: r.get(1)?,
                horizon: r.get(2)?,
                revenue_limit_recurring_base: r.get(3)?,
                reserve_policy_pct: decimal("reserve_policy_pct", &pct)?,
            })
        },
    )?;
    let membership: BTreeMap<FiscalYear, i64> = conn
        .prepare("SELECT year, membership FROM membership ORDER BY year")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let funds = conn
        .prepare("SELECT code, name, opening_balance_cents, operating FROM funds ORDER BY rowid")?
        .query_map([], |r| Ok(Fund { code: r.get(0)?, name: r.get(1)?, opening_balance: r.get(2)?, operating: r.get(3)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let departments = conn
        .prepare("SELECT code, name, kind FROM departments ORDER BY rowid")?
        .query_map([], |r| {
            let kind: String = r.get(2)?;
            Ok(Department {
                code: r.get(0)?,
                name: r.get(1)?,
                kind: DepartmentKind::parse(&kind).ok_or_else(|| bad_text("department kind", &kind))?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let lines = conn
        .prepare(
            "SELECT fund, location, kind, code, function, project, department, description, amount_cents, fte, rule, source_rows
             FROM budget_lines ORDER BY id",
        )?
        .query_map([], |r| {
            let kind: String = r.get(2)?;
            let rule: String = r.get(10)?;
            let fte: Option<String> = r.get(9)?;
            let rows: String = r.get(11)?;
            Ok(BudgetLine {
                fund: r.get(0)?,
                location: r.get(1)?,
                kind: LineKind::parse(&kind).ok_or_else(|| bad_text("line kind", &kind))?,
                code: r.get(3)?,
                function: r.get(4)?,
                project: r.get(5)?,
                department: r.get(6)?,
                description: r.get(7)?,
                amount: r.get(8)?,
                fte: fte.map(|f| decimal("fte", &f)).transpose()?,
                rule: stored_rule(&rule).ok_or_else(|| bad_text("rule", &rule))?,
                source_rows: rows.split(',').filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let assumptions = conn
        .prepare("SELECT year, key, value FROM assumptions")?
        .query_map([], |r| {
            let key: String = r.get(1)?;
            let value: String = r.get(2)?;
            Ok((
                (r.get::<_, FiscalYear>(0)?, AssumptionKey::parse(&key).ok_or_else(|| bad_text("assumption key", &key))?),
                decimal("assumption", &value)?,
            ))
        })?
        .collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
    Ok(Package { district, membership, funds, departments, lines, assumptions })
}

fn stored_rule(s: &str) -> Option<Rule> {
    Rule::parse_written(s).or(match s {
        "levy" => Some(Rule::Levy),
        "general_aid" => Some(Rule::GeneralAid),
        "transfer_27" => Some(Rule::Transfer27),
        _ => None,
    })
}
