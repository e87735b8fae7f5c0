-- Format 1: the imported package and the scenarios over it.
-- Money is integer cents (`*_cents`); rates and FTE are exact decimal text.

CREATE TABLE district (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    base_year INTEGER NOT NULL,
    horizon INTEGER NOT NULL CHECK (horizon BETWEEN 1 AND 10),
    revenue_limit_recurring_base_cents INTEGER NOT NULL,
    reserve_policy_pct TEXT NOT NULL
) STRICT;

CREATE TABLE membership (
    year INTEGER PRIMARY KEY,
    membership INTEGER NOT NULL CHECK (membership > 0)
) STRICT;

CREATE TABLE funds (
    code TEXT PRIMARY KEY CHECK (length(code) = 2),
    name TEXT NOT NULL,
    opening_balance_cents INTEGER NOT NULL,
    operating INTEGER NOT NULL CHECK (operating IN (0, 1))
) STRICT;

CREATE TABLE departments (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('school', 'central', 'districtwide'))
) STRICT;

CREATE TABLE budget_lines (
    id INTEGER PRIMARY KEY,
    fund TEXT NOT NULL REFERENCES funds (code),
    location TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('revenue', 'expense')),
    code INTEGER NOT NULL,
    function TEXT NOT NULL,
    project TEXT NOT NULL,
    department TEXT NOT NULL REFERENCES departments (code),
    description TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    fte TEXT,
    rule TEXT NOT NULL,
    -- the budget_lines.csv rows the line was summed from, for explanations
    source_rows TEXT NOT NULL
) STRICT;

CREATE TABLE assumptions (
    year INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (year, key)
) STRICT;

-- A scenario's definition is its MODEL.md §9 JSON, money as strings.
CREATE TABLE scenarios (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    definition TEXT NOT NULL CHECK (json_valid(definition))
) STRICT;
