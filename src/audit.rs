//! The tamper-evident audit log: one hash-chained entry per change to a district file.
//!
//! Entries are appended only by the door ([`crate::store::through_door`]), in the
//! transaction of the change they record. Each entry's hash covers its sequence
//! number, its fields and the previous entry's hash, and the chain's head (last
//! sequence number and hash) is kept in `audit_head`, so [`verify`] finds an
//! entry altered, removed (from the middle or the tail) or moved to another place.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::Result;

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who made a change: the operating-system account and the display name set in the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub os_user: String,
    pub display_name: String,
}

/// What a change did, as the door records it: a kind, the scenario it concerns, and a
/// structured before/after (JSON, never prose).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChangeRecord {
    /// `create`, `format_upgrade`, `scenarios`, `undo`, `redo`, `publish`, `import`,
    /// `roll_forward`, `preference`.
    pub action: String,
    pub scenario: Option<String>,
    pub detail: serde_json::Value,
}

impl ChangeRecord {
    pub fn new(action: &str, scenario: Option<&str>, detail: serde_json::Value) -> ChangeRecord {
        ChangeRecord { action: action.to_string(), scenario: scenario.map(str::to_string), detail }
    }
}

/// One entry of the log, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub seq: i64,
    /// When, UTC: `2025-03-10T14:25:01Z`.
    pub at: String,
    pub os_user: String,
    pub display_name: String,
    pub action: String,
    pub scenario: Option<String>,
    /// The change's before/after, as JSON text.
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl Entry {
    /// The detail parsed (an unreadable detail reads as `null`; verify reports it).
    pub fn detail_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.detail).unwrap_or(serde_json::Value::Null)
    }
}

/// The SHA-256 of an entry's content at sequence number `seq`, chained to `prev_hash`.
///
/// Every field is written with its length, so no two different entries hash the same text.
pub fn entry_hash(seq: i64, at: &str, os_user: &str, display_name: &str, action: &str, scenario: Option<&str>, detail: &str, prev_hash: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"fulcrum-audit-v1\n");
    h.update(format!("{seq}\n").as_bytes());
    for field in [Some(at), Some(os_user), Some(display_name), Some(action), scenario, Some(detail), Some(prev_hash)] {
        match field {
            None => h.update(b"-\n"),
            Some(f) => {
                h.update(format!("{}:", f.len()).as_bytes());
                h.update(f.as_bytes());
                h.update(b"\n");
            }
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn hash_of(e: &Entry, seq: i64) -> String {
    entry_hash(seq, &e.at, &e.os_user, &e.display_name, &e.action, e.scenario.as_deref(), &e.detail, &e.prev_hash)
}

/// The chain's head: the last entry's sequence number and hash (`(0, GENESIS)` when empty).
pub fn head(conn: &Connection) -> rusqlite::Result<(i64, String)> {
    Ok(conn
        .query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, GENESIS.to_string())))
}

/// Appends an entry for `change` inside `tx` and moves the head to it. Only the door calls this.
pub(crate) fn append(tx: &Transaction, at: &str, actor: &Actor, change: &ChangeRecord) -> Result<Entry> {
    let (last, prev_hash) = head(tx)?;
    let detail = serde_json::to_string(&change.detail).map_err(|e| crate::Error::Usage(e.to_string()))?;
    let seq = last + 1;
    let hash = entry_hash(seq, at, &actor.os_user, &actor.display_name, &change.action, change.scenario.as_deref(), &detail, &prev_hash);
    tx.execute(
        "INSERT INTO audit_log (seq, at, os_user, display_name, action, scenario, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![seq, at, actor.os_user, actor.display_name, change.action, change.scenario, detail, prev_hash, hash],
    )?;
    tx.execute(
        "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?1, ?2) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        params![seq, hash],
    )?;
    Ok(Entry {
        seq,
        at: at.to_string(),
        os_user: actor.os_user.clone(),
        display_name: actor.display_name.clone(),
        action: change.action.clone(),
        scenario: change.scenario.clone(),
        detail,
        prev_hash,
        hash,
    })
}

/// Copies entries from another file's chain verbatim (an import replacing a file keeps its history).
pub(crate) fn carry(tx: &Transaction, entries: &[Entry]) -> Result<()> {
    for e in entries {
        tx.execute(
            "INSERT INTO audit_log (seq, at, os_user, display_name, action, scenario, detail, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![e.seq, e.at, e.os_user, e.display_name, e.action, e.scenario, e.detail, e.prev_hash, e.hash],
        )?;
    }
    if let Some(last) = entries.last() {
        tx.execute(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?1, ?2) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            params![last.seq, last.hash],
        )?;
    }
    Ok(())
}

/// Every entry, in sequence order (the order rows are stored in, which verify also checks).
pub fn entries(conn: &Connection) -> rusqlite::Result<Vec<Entry>> {
    let mut stmt = conn.prepare("SELECT seq, at, os_user, display_name, action, scenario, detail, prev_hash, hash FROM audit_log ORDER BY seq")?;
    let rows = stmt.query_map([], |r| {
        Ok(Entry {
            seq: r.get(0)?,
            at: r.get(1)?,
            os_user: r.get(2)?,
            display_name: r.get(3)?,
            action: r.get(4)?,
            scenario: r.get(5)?,
            detail: r.get(6)?,
            prev_hash: r.get(7)?,
            hash: r.get(8)?,
        })
    })?;
    rows.collect()
}

/// The first thing wrong with a chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Break {
    /// The entry at `seq` does not hash to what it says: its content was changed.
    Altered { seq: i64 },
    /// The entry at `seq` is intact but belongs at `belongs_at`: entries were reordered.
    Moved { seq: i64, belongs_at: i64 },
    /// Entry `seq` is missing (the entry after it does not chain to the entry before).
    Removed { seq: i64 },
    /// The log ends at `last` but its head says it reached `head`: the tail was cut off.
    Truncated { last: i64, head: i64 },
    /// The head itself does not match the last entry.
    HeadAltered,
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Altered { seq } => write!(f, "entry {seq} was altered (its content no longer matches its hash)"),
            Break::Moved { seq, belongs_at } => write!(f, "entry {seq} was reordered: its content is entry {belongs_at}'s"),
            Break::Removed { seq } => write!(f, "entry {seq} was removed"),
            Break::Truncated { last, head } => write!(f, "entries {}..{head} were removed from the end (the log stops at {last})", last + 1),
            Break::HeadAltered => write!(f, "the chain's head record does not match the last entry"),
        }
    }
}

/// What [`verify`] found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub entries: usize,
    pub head_seq: i64,
    pub head_hash: String,
    /// `None` when every entry chains and the head matches.
    pub first_break: Option<Break>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.first_break.is_none()
    }
}

/// Checks the whole chain: each entry's hash, its link to the one before, the
/// sequence numbers 1, 2, 3 … without a gap, and the head against the last entry.
pub fn verify(conn: &Connection) -> rusqlite::Result<Verification> {
    let all = entries(conn)?;
    let (head_seq, head_hash) = head(conn)?;
    let first_break = check(&all, head_seq, &head_hash);
    Ok(Verification { entries: all.len(), head_seq, head_hash, first_break })
}

fn check(all: &[Entry], head_seq: i64, head_hash: &str) -> Option<Break> {
    let mut prev = GENESIS.to_string();
    for (i, e) in all.iter().enumerate() {
        let expected = i as i64 + 1;
        if hash_of(e, e.seq) != e.hash {
            // An intact entry hashes right at the position it was written for.
            let belongs_at = (1..=all.len() as i64 + 1).find(|&k| k != e.seq && hash_of(e, k) == e.hash);
            return Some(match belongs_at {
                Some(k) => Break::Moved { seq: e.seq, belongs_at: k },
                None => Break::Altered { seq: e.seq },
            });
        }
        if e.seq != expected {
            return Some(Break::Removed { seq: expected });
        }
        if e.prev_hash != prev {
            return Some(if expected == 1 { Break::Altered { seq: 1 } } else { Break::Removed { seq: expected - 1 } });
        }
        prev = e.hash.clone();
    }
    let last = all.len() as i64;
    if head_seq > last {
        return Some(Break::Truncated { last, head: head_seq });
    }
    if head_seq != last || head_hash != prev {
        return Some(Break::HeadAltered);
    }
    None
}

/// An entry's before/after in short lines a person reads ("lever cut-central: 2 -> 3").
pub fn describe(e: &Entry) -> Vec<String> {
    let d = e.detail_json();
    let short = |v: &serde_json::Value| -> String {
        match v {
            serde_json::Value::Null => "none".into(),
            serde_json::Value::String(s) => format!("{s:?}"),
            serde_json::Value::Object(o) if o.contains_key("value") => format!("value {}", o["value"]),
            other => {
                let t = other.to_string();
                if t.chars().count() > 60 { format!("{}…", t.chars().take(60).collect::<String>()) } else { t }
            }
        }
    };
    let mut out = Vec::new();
    if let Some(s) = d.get("undoes") {
        out.push(format!("takes back entry {s}"));
    }
    if let Some(s) = d.get("redoes") {
        out.push(format!("re-applies entry {s}"));
    }
    for c in d["changes"].as_array().into_iter().flatten() {
        let name = c["name"].as_str().unwrap_or("?");
        match (c["before"].is_null(), c["after"].is_null()) {
            (true, false) => out.push(format!("{name}: added")),
            (false, true) => out.push(format!("{name}: removed")),
            _ => {
                for i in c["items"].as_array().into_iter().flatten() {
                    out.push(format!("{name}: {}: {} -> {}", i["item"].as_str().unwrap_or("?"), short(&i["before"]), short(&i["after"])));
                }
            }
        }
    }
    if d.get("changes").is_none()
        && let Some(o) = d.as_object() {
            let fields: Vec<String> = o.iter().map(|(k, v)| format!("{k}: {}", short(v))).collect();
            out.push(fields.join(", "));
        }
    out
}

/// The operating-system account running Fulcrum.
pub fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}

/// The current time as `2025-03-10T14:25:01Z` (UTC): the door's clock when none is passed in.
pub fn now_stamp() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    stamp_of(secs)
}

/// `secs` since 1970 as `2025-03-10T14:25:01Z`.
pub fn stamp_of(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Where undo and redo stand after a run of entries: the entries that can be undone
/// (most recent last) and those that can be redone (next to redo last).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UndoState {
    pub undo: Vec<i64>,
    pub redo: Vec<i64>,
}

impl UndoState {
    /// Follows one entry: an edit can be undone and clears redo; an undo or redo moves
    /// its entry between the stacks; an import, roll forward or file creation is a
    /// wall nothing is undone across; publishing and preferences leave both alone.
    pub fn follow(&mut self, e: &Entry) {
        match e.action.as_str() {
            "scenarios" => {
                self.undo.push(e.seq);
                self.redo.clear();
            }
            "undo" => {
                if let Some(s) = self.undo.pop() {
                    self.redo.push(s);
                }
            }
            "redo" => {
                if let Some(s) = self.redo.pop() {
                    self.undo.push(s);
                }
            }
            "publish" | "preference" | "save_as" => {}
            _ => *self = UndoState::default(),
        }
    }
}
