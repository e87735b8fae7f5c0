-- Format 3: the tamper-evident audit log, published scenario versions, preferences.

-- One row per change to the file, appended by the door (store::through_door) only.
-- `hash` = SHA-256 over seq, at, who, action, scenario, detail and prev_hash
-- (audit::entry_hash); entry 1's prev_hash is 64 zeros.
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    os_user TEXT NOT NULL,
    display_name TEXT NOT NULL,
    action TEXT NOT NULL,
    scenario TEXT,
    detail TEXT NOT NULL CHECK (json_valid(detail)),
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;

-- The chain's head, written in the same transaction as each entry: removing the
-- last entries (truncating the tail) leaves the head pointing past the end.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
) STRICT;

-- Fulcrum never changes or removes an entry; these refuse it from any SQLite
-- client too. (Anyone can drop a trigger: the hash chain is what detects that.)
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Settings kept with the file: `display_name` (who the audit log names beside the OS user).
CREATE TABLE preferences (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- A published (frozen) version of a scenario: the scenario and its ancestors as
-- they were, root first (a JSON list of MODEL.md §9 scenarios), and their SHA-256.
CREATE TABLE scenario_versions (
    id INTEGER PRIMARY KEY,
    scenario TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    definition TEXT NOT NULL CHECK (json_valid(definition)),
    content_hash TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    note TEXT NOT NULL,
    UNIQUE (scenario, version)
) STRICT;

CREATE TRIGGER scenario_versions_frozen BEFORE UPDATE OF version, definition, content_hash, published_at, published_by, note ON scenario_versions
BEGIN SELECT RAISE(ABORT, 'a published version is frozen'); END;
CREATE TRIGGER scenario_versions_kept BEFORE DELETE ON scenario_versions
BEGIN SELECT RAISE(ABORT, 'a published version is kept'); END;
