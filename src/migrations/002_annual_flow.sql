-- Format 2: what the annual data flow keeps between years.

-- A general-ledger column mapping (ledger::GlMapping as JSON), saved once, reused next year.
CREATE TABLE gl_mappings (
    name TEXT PRIMARY KEY,
    definition TEXT NOT NULL CHECK (json_valid(definition)),
    saved_at TEXT NOT NULL
) STRICT;

-- Base years this file held before a roll forward, and where each one's file was kept.
CREATE TABLE base_year_history (
    id INTEGER PRIMARY KEY,
    base_year INTEGER NOT NULL,
    district_name TEXT NOT NULL,
    archive_path TEXT NOT NULL,
    lines INTEGER NOT NULL,
    revenue_cents INTEGER NOT NULL,
    expense_cents INTEGER NOT NULL,
    replaced_at TEXT NOT NULL
) STRICT;

-- Scenario items that stopped applying at a roll forward: kept, not dropped.
CREATE TABLE parked_items (
    id INTEGER PRIMARY KEY,
    scenario TEXT NOT NULL,
    item_kind TEXT NOT NULL CHECK (item_kind IN ('lever', 'referendum_year', 'assumption', 'override')),
    item TEXT NOT NULL CHECK (json_valid(item)),
    reason TEXT NOT NULL,
    base_year INTEGER NOT NULL
) STRICT;
