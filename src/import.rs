//! Reading a district package (MODEL.md §3) through polars, collecting every problem.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Cursor;
use std::path::Path;
use std::str::FromStr;

use polars::prelude::*;
use rust_decimal::Decimal;

use crate::error::{Error, Problem, Result};
use crate::model::{
    AssumptionKey, BudgetLine, Department, DepartmentKind, District, FiscalYear, Fund, LineKind, Package, Rule, Unit,
};
use crate::money::parse_amount;
use crate::scenario::{parse_scenarios, unit_problem, validate_scenarios, Scenario};

/// A package as imported: the base year and its scenarios.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub package: Package,
    pub scenarios: Vec<Scenario>,
}

/// A CSV file read as text columns.
struct Table {
    file: String,
    frame: DataFrame,
    /// Frame rows that hold data: a row whose every cell is empty (a blank line,
    /// or `,,,` as spreadsheets save empty rows) is skipped, not refused.
    data_rows: Vec<usize>,
}

impl Table {
    fn rows(&self) -> usize {
        self.data_rows.len()
    }

    /// A column's cells, empty text for missing ones.
    fn column(&self, name: &str) -> Vec<&str> {
        match self.frame.column(name).ok().and_then(|c| c.str().ok()) {
            Some(ca) => {
                let cells: Vec<&str> = ca.iter().map(|v| v.unwrap_or("").trim()).collect();
                self.data_rows.iter().map(|&i| cells[i]).collect()
            }
            None => vec![""; self.rows()],
        }
    }

    /// The row number of data row `i` as a person counts it in the file: the
    /// header is row 1, and skipped empty rows still count.
    fn row(&self, i: usize) -> u32 {
        self.data_rows[i] as u32 + 2
    }
}

/// Reads one CSV file of the package, checking its header.
fn read_table(dir: &Path, file: &str, required: &[&str], optional: &[&str], problems: &mut Vec<Problem>) -> Option<Table> {
    let path = dir.join(file);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            problems.push(Problem::new("E001", file, format!("cannot be read ({e}); a package needs {file} with columns {}", required.join(","))));
            return None;
        }
    };
    table_from_bytes(bytes, file, required, optional, problems)
}

fn table_from_bytes(mut bytes: Vec<u8>, file: &str, required: &[&str], optional: &[&str], problems: &mut Vec<Problem>) -> Option<Table> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        problems.push(Problem::new("E002", file, format!("is empty; expected a header row {}", required.join(","))));
        return None;
    }
    if let Err(e) = std::str::from_utf8(&bytes) {
        let at = e.valid_up_to();
        let row = bytes[..at].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        problems.push(Problem::new("E002", file, "is not UTF-8 text (is it a spreadsheet or binary file saved as .csv?)").row(row));
        return None;
    }
    if bytes.contains(&0) {
        problems.push(Problem::new("E002", file, "holds binary data, not CSV text"));
        return None;
    }
    let frame = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_raise_if_empty(true)
        .into_reader_with_file_handle(Cursor::new(bytes))
        .finish();
    let frame = match frame {
        Ok(f) => f,
        Err(e) => {
            problems.push(Problem::new("E002", file, format!("is not well-formed CSV: {e}")));
            return None;
        }
    };
    let names: Vec<String> = frame.get_column_names().iter().map(|n| n.to_string()).collect();
    let mut ok = true;
    for col in required {
        if !names.iter().any(|n| n == col) {
            problems.push(Problem::new("E003", file, format!("has no column {col:?}; its header must name {}", required.join(","))).row(1));
            ok = false;
        }
    }
    for n in &names {
        if !required.contains(&n.as_str()) && !optional.contains(&n.as_str()) {
            problems.push(Problem::new("E004", file, format!("has an unexpected column {n:?}; expected {}", required.iter().chain(optional).copied().collect::<Vec<_>>().join(","))).at(1, n.clone()));
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    let mut blank = vec![true; frame.height()];
    for column in frame.columns() {
        if let Ok(ca) = column.str() {
            for (i, v) in ca.iter().enumerate() {
                if v.is_some_and(|v| !v.trim().is_empty()) {
                    blank[i] = false;
                }
            }
        }
    }
    let data_rows = (0..blank.len()).filter(|&i| !blank[i]).collect();
    Some(Table { file: file.to_string(), frame, data_rows })
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// Reads and validates the package in `dir`; every problem is reported at once.
pub fn load_package(dir: &Path) -> Result<Loaded> {
    if !dir.is_dir() {
        return Err(Error::Invalid(vec![Problem::new("E001", dir.display().to_string(), "is not a folder holding a district package")]));
    }
    let mut problems = Vec::new();
    let district = read_district(dir, &mut problems);
    let membership = read_membership(dir, district.as_ref(), &mut problems);
    let funds = read_funds(dir, &mut problems);
    let departments = read_departments(dir, &mut problems);
    let lines = match (&funds, &departments) {
        (Some(f), Some(d)) => read_lines(dir, f, d, &mut problems),
        _ => None,
    };
    let assumptions = read_assumptions(dir, district.as_ref(), &mut problems);
    let (Some(district), Some(membership), Some(funds), Some(departments), Some(lines), Some(assumptions)) =
        (district, membership, funds, departments, lines, assumptions)
    else {
        return Err(Error::Invalid(problems));
    };
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let package = Package { district, membership, funds, departments, lines, assumptions };
    let scenarios_path = dir.join("scenarios.json");
    let scenarios = if scenarios_path.exists() {
        let text = std::fs::read_to_string(&scenarios_path)
            .map_err(|e| Error::Invalid(vec![Problem::new("E030", "scenarios.json", format!("cannot be read as UTF-8 text: {e}"))]))?;
        let scenarios = parse_scenarios(&text, "scenarios.json")?;
        let problems = validate_scenarios(&package, &scenarios, "scenarios.json");
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        scenarios
    } else {
        Vec::new()
    };
    Ok(Loaded { package, scenarios })
}

fn read_district(dir: &Path, problems: &mut Vec<Problem>) -> Option<District> {
    let t = read_table(dir, "district.csv", &["key", "value"], &[], problems)?;
    let (keys, values) = (t.column("key"), t.column("value"));
    let mut seen: HashMap<&str, (u32, &str)> = HashMap::new();
    let before = problems.len();
    for (i, (&k, &v)) in keys.iter().zip(&values).enumerate() {
        const KEYS: [&str; 5] = ["name", "base_year", "horizon", "revenue_limit_recurring_base", "reserve_policy_pct"];
        if !KEYS.contains(&k) {
            problems.push(Problem::new("E020", &t.file, format!("unknown key {k:?}; expected one of {}", KEYS.join(", "))).at(t.row(i), "key"));
        } else if seen.insert(k, (t.row(i), v)).is_some() {
            problems.push(Problem::new("E019", &t.file, format!("key {k:?} appears more than once")).at(t.row(i), "key"));
        }
    }
    let mut get = |key: &str, what: &str| -> Option<(u32, &str)> {
        let found = seen.get(key).copied();
        if found.is_none() {
            problems.push(Problem::new("E020", &t.file, format!("has no {key:?} row; expected {what}")).column("key"));
        }
        found
    };
    let name = get("name", "the district's name").map(|(_, v)| v.to_string());
    let base_year = get("base_year", "the base fiscal year, e.g. 2024");
    let rl = get("revenue_limit_recurring_base", "the base year's recurring revenue limit in dollars");
    let policy = get("reserve_policy_pct", "the reserve policy in percent of expense, e.g. 10");
    let horizon = seen.get("horizon").copied();
    let base_year = base_year.and_then(|(row, v)| {
        let y = v.parse::<FiscalYear>().ok().filter(|y| (1900..=2200).contains(y));
        if y.is_none() {
            problems.push(Problem::new("E011", &t.file, format!("base_year {v:?} is not a fiscal year like 2024")).at(row, "value"));
        }
        y
    });
    let horizon = match horizon {
        None => Some(5),
        Some((row, v)) => {
            let h = v.parse::<u32>().ok().filter(|h| (1..=10).contains(h));
            if h.is_none() {
                problems.push(Problem::new("E011", &t.file, format!("horizon {v:?} is not a whole number of years from 1 to 10")).at(row, "value"));
            }
            h
        }
    };
    let rl = rl.and_then(|(row, v)| match parse_amount(v) {
        Ok(c) if c > 0 => Some(c),
        Ok(_) => {
            problems.push(Problem::new("E010", &t.file, "revenue_limit_recurring_base must be above 0").at(row, "value"));
            None
        }
        Err(e) => {
            problems.push(Problem::new("E010", &t.file, format!("revenue_limit_recurring_base {v:?}: expected {}", e.0)).at(row, "value"));
            None
        }
    });
    let policy = policy.and_then(|(row, v)| {
        let p = Decimal::from_str(v).ok().filter(|p| *p >= Decimal::ZERO && *p <= Decimal::ONE_HUNDRED);
        if p.is_none() {
            problems.push(Problem::new("E012", &t.file, format!("reserve_policy_pct {v:?} is not a percent from 0 to 100")).at(row, "value"));
        }
        p
    });
    if problems.len() > before {
        return None;
    }
    Some(District {
        name: name?,
        base_year: base_year?,
        horizon: horizon?,
        revenue_limit_recurring_base: rl?,
        reserve_policy_pct: policy?,
    })
}

fn read_membership(dir: &Path, district: Option<&District>, problems: &mut Vec<Problem>) -> Option<BTreeMap<FiscalYear, i64>> {
    let t = read_table(dir, "membership.csv", &["year", "membership"], &[], problems)?;
    let before = problems.len();
    let mut out = BTreeMap::new();
    for (i, (y, m)) in t.column("year").iter().zip(t.column("membership")).enumerate() {
        let Ok(year) = y.parse::<FiscalYear>() else {
            problems.push(Problem::new("E011", &t.file, format!("year {y:?} is not a fiscal year like 2024")).at(t.row(i), "year"));
            continue;
        };
        let Some(members) = m.parse::<i64>().ok().filter(|m| *m > 0) else {
            problems.push(Problem::new("E011", &t.file, format!("membership {m:?} is not a whole number of members above 0")).at(t.row(i), "membership"));
            continue;
        };
        if out.insert(year, members).is_some() {
            problems.push(Problem::new("E019", &t.file, format!("year {year} appears more than once")).at(t.row(i), "year"));
        }
    }
    if let Some(d) = district {
        for year in d.base_year - 2..=d.base_year {
            if !out.contains_key(&year) && problems.len() == before {
                problems.push(Problem::new("E021", &t.file, format!("has no membership for {year}; the revenue limit needs {}, {} and {}", d.base_year - 2, d.base_year - 1, d.base_year)).column("year"));
            }
        }
    }
    (problems.len() == before).then_some(out)
}

fn read_funds(dir: &Path, problems: &mut Vec<Problem>) -> Option<Vec<Fund>> {
    let t = read_table(dir, "funds.csv", &["fund", "name", "opening_balance", "operating"], &[], problems)?;
    let before = problems.len();
    let mut funds: Vec<Fund> = Vec::new();
    let cols = (t.column("fund"), t.column("name"), t.column("opening_balance"), t.column("operating"));
    for i in 0..t.rows() {
        let (code, name, opening, operating) = (cols.0[i], cols.1[i], cols.2[i], cols.3[i]);
        let row = t.row(i);
        if !digits(code, 2) {
            problems.push(Problem::new("E013", &t.file, format!("fund {code:?} is not 2 digits")).at(row, "fund"));
        } else if funds.iter().any(|f| f.code == code) {
            problems.push(Problem::new("E019", &t.file, format!("fund {code} appears more than once")).at(row, "fund"));
        }
        let opening = parse_amount(opening).map_err(|e| {
            problems.push(Problem::new("E010", &t.file, format!("opening_balance {opening:?}: expected {}", e.0)).at(row, "opening_balance"));
        });
        let operating = match operating {
            "true" => Some(true),
            "false" => Some(false),
            other => {
                problems.push(Problem::new("E014", &t.file, format!("operating {other:?} is not true or false")).at(row, "operating"));
                None
            }
        };
        if let (Ok(opening_balance), Some(operating)) = (opening, operating) {
            funds.push(Fund { code: code.to_string(), name: name.to_string(), opening_balance, operating });
        }
    }
    if problems.len() == before {
        match funds.iter().find(|f| f.code == "10") {
            None => problems.push(Problem::new("E023", &t.file, "has no fund 10; the general fund must be listed").column("fund")),
            Some(f) if !f.operating => {
                problems.push(Problem::new("E023", &t.file, "fund 10 must be an operating fund (operating = true)").column("operating"))
            }
            _ => {}
        }
        if funds.iter().any(|f| f.code == "27" && !f.operating) {
            problems.push(Problem::new("E023", &t.file, "fund 27 must be an operating fund (operating = true) when present").column("operating"));
        }
    }
    (problems.len() == before).then_some(funds)
}

fn read_departments(dir: &Path, problems: &mut Vec<Problem>) -> Option<Vec<Department>> {
    let t = read_table(dir, "departments.csv", &["code", "name", "kind"], &[], problems)?;
    let before = problems.len();
    let mut out: Vec<Department> = Vec::new();
    let mut seen = HashSet::new();
    let cols = (t.column("code"), t.column("name"), t.column("kind"));
    for i in 0..t.rows() {
        let (code, name, kind) = (cols.0[i], cols.1[i], cols.2[i]);
        if code.is_empty() {
            problems.push(Problem::new("E013", &t.file, "code is empty").at(t.row(i), "code"));
        } else if !seen.insert(code) {
            problems.push(Problem::new("E019", &t.file, format!("department {code} appears more than once")).at(t.row(i), "code"));
        }
        match DepartmentKind::parse(kind) {
            Some(kind) => out.push(Department { code: code.to_string(), name: name.to_string(), kind }),
            None => problems.push(Problem::new("E014", &t.file, format!("kind {kind:?} is not school, central or districtwide")).at(t.row(i), "kind")),
        }
    }
    (problems.len() == before).then_some(out)
}

const LINE_COLUMNS: [&str; 9] = ["fund", "location", "kind", "code", "function", "project", "department", "description", "amount"];

fn read_lines(dir: &Path, funds: &[Fund], departments: &[Department], problems: &mut Vec<Problem>) -> Option<Vec<BudgetLine>> {
    let t = read_table(dir, "budget_lines.csv", &LINE_COLUMNS, &["fte", "rule"], problems)?;
    lines_from_table(&t, funds, departments, problems)
}

fn lines_from_table(t: &Table, funds: &[Fund], departments: &[Department], problems: &mut Vec<Problem>) -> Option<Vec<BudgetLine>> {
    let before = problems.len();
    let file = t.file.as_str();
    let fund_codes: HashSet<&str> = funds.iter().map(|f| f.code.as_str()).collect();
    let dept_codes: HashSet<&str> = departments.iter().map(|d| d.code.as_str()).collect();
    let [fund, location, kind, code, function, project, department, description, amount] = LINE_COLUMNS.map(|c| t.column(c));
    let (fte, rule) = (t.column("fte"), t.column("rule"));
    let mut lines: Vec<BudgetLine> = Vec::new();
    // Keyed by the line's name packed into an integer: no string per row.
    let mut by_name: HashMap<u64, usize> = HashMap::with_capacity(t.rows());
    for i in 0..t.rows() {
        let row = t.row(i);
        let n0 = problems.len();
        let mut bad = |column: &str, code: &'static str, message: String| problems.push(Problem::new(code, file, message).at(row, column));
        let f = fund[i];
        if !digits(f, 2) {
            bad("fund", "E013", format!("fund {f:?} is not 2 digits"));
        } else if !fund_codes.contains(f) {
            bad("fund", "E016", format!("fund {f} is not in funds.csv"));
        }
        if !digits(location[i], 3) {
            bad("location", "E013", format!("location {:?} is not 3 digits", location[i]));
        }
        let k = LineKind::parse(kind[i]);
        if k.is_none() {
            bad("kind", "E014", format!("kind {:?} is not revenue or expense", kind[i]));
        }
        let c = if digits(code[i], 3) { code[i].parse::<u16>().ok() } else { None };
        if c.is_none() {
            bad("code", "E013", format!("code {:?} is not 3 digits", code[i]));
        }
        let func = function[i];
        if !digits(func, 6) {
            bad("function", "E013", format!("function {func:?} is not 6 digits"));
        } else if func == "000000" && k == Some(LineKind::Expense) {
            bad("function", "E013", "function 000000 is allowed on revenue lines only".to_string());
        }
        let proj = if project[i].is_empty() { "000" } else { project[i] };
        if !digits(proj, 3) {
            bad("project", "E013", format!("project {proj:?} is not 3 digits"));
        }
        if !dept_codes.contains(department[i]) {
            bad("department", "E015", format!("department {:?} is not in departments.csv", department[i]));
        }
        let amt = match parse_amount(amount[i]) {
            Ok(a) => Some(a),
            Err(e) => {
                bad("amount", "E010", format!("{:?}: expected {}", amount[i], e.0));
                None
            }
        };
        let fte_value = if fte[i].is_empty() {
            None
        } else {
            match Decimal::from_str(fte[i]) {
                Ok(v) => Some(v),
                Err(_) => {
                    bad("fte", "E012", format!("fte {:?} is not a decimal number like 12.5", fte[i]));
                    None
                }
            }
        };
        let (Some(k), Some(c), Some(amt)) = (k, c, amt) else { continue };
        let default = Rule::default_for(f, k, c);
        let effective = if rule[i].is_empty() {
            default
        } else if default.is_computed() {
            bad("rule", "E017", format!("this line's rule is computed ({}); leave the rule column empty", default.as_str()));
            continue;
        } else {
            match Rule::parse_written(rule[i]) {
                Some(r) => r,
                None => {
                    let computed = ["levy", "general_aid", "transfer_27"].contains(&rule[i]);
                    bad("rule", "E017", if computed {
                        format!("rule {:?} is computed and comes only from the line's code; leave the column empty", rule[i])
                    } else {
                        format!("rule {:?} is not one of salaries, benefits, inflation, enrollment, flat, one_time", rule[i])
                    });
                    continue;
                }
            }
        };
        if problems.len() > n0 {
            continue;
        }
        let line = BudgetLine {
            fund: f.to_string(),
            location: location[i].to_string(),
            kind: k,
            code: c,
            function: func.to_string(),
            project: proj.to_string(),
            department: department[i].to_string(),
            description: description[i].to_string(),
            amount: amt,
            fte: fte_value,
            rule: effective,
            source_rows: vec![row],
        };
        match by_name.entry(line_key(&line)) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let existing = &mut lines[*e.get()];
                if existing.department != line.department {
                    problems.push(Problem::new("E018", file, format!(
                        "line {} is also on row {} with department {}; rows of one line must agree on department (found {})",
                        existing.name(), existing.source_rows[0], existing.department, line.department)).at(row, "department"));
                } else if existing.rule != line.rule {
                    problems.push(Problem::new("E018", file, format!(
                        "line {} is also on row {} with rule {}; rows of one line must agree on rule (found {})",
                        existing.name(), existing.source_rows[0], existing.rule.as_str(), line.rule.as_str())).at(row, "rule"));
                } else {
                    existing.amount += line.amount;
                    existing.fte = match (existing.fte, line.fte) {
                        (Some(a), Some(b)) => Some(a + b),
                        (a, b) => a.or(b),
                    };
                    existing.source_rows.push(row);
                }
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(lines.len());
                lines.push(line);
            }
        }
    }
    (problems.len() == before).then_some(lines)
}

/// A validated line's name `fund-location-code-function-project/kind` as one number.
fn line_key(l: &BudgetLine) -> u64 {
    let num = |s: &str| s.bytes().fold(0u64, |acc, b| acc * 10 + u64::from(b.wrapping_sub(b'0')));
    let key = (((num(&l.fund) * 1_000 + num(&l.location)) * 1_000 + u64::from(l.code)) * 1_000_000 + num(&l.function)) * 1_000
        + num(&l.project);
    key * 2 + u64::from(l.kind == LineKind::Expense)
}

fn read_assumptions(dir: &Path, district: Option<&District>, problems: &mut Vec<Problem>) -> Option<BTreeMap<(FiscalYear, AssumptionKey), Decimal>> {
    let t = read_table(dir, "assumptions.csv", &["year", "key", "value"], &[], problems)?;
    let before = problems.len();
    let mut out = BTreeMap::new();
    let mut rows = HashMap::new();
    for (i, ((y, k), v)) in t.column("year").iter().zip(t.column("key")).zip(t.column("value")).enumerate() {
        let row = t.row(i);
        let Ok(year) = y.parse::<FiscalYear>() else {
            problems.push(Problem::new("E011", &t.file, format!("year {y:?} is not a fiscal year like 2025")).at(row, "year"));
            continue;
        };
        let Some(key) = AssumptionKey::parse(k) else {
            let all: Vec<_> = AssumptionKey::ALL.iter().map(|k| k.as_str()).collect();
            problems.push(Problem::new("E022", &t.file, format!("key {k:?} is not one of {}", all.join(", "))).at(row, "key"));
            continue;
        };
        let value = match key.unit() {
            Unit::Money => parse_amount(v).ok().map(|c| Decimal::new(c, 2)),
            _ => Decimal::from_str(v).ok(),
        };
        let Some(value) = value else {
            problems.push(Problem::new("E012", &t.file, format!("{key} {v:?} is not a number")).at(row, "value"));
            continue;
        };
        if let Some(m) = unit_problem(key, value).or_else(|| positive_problem(key, value)) {
            problems.push(Problem::new("E012", &t.file, format!("{key}: {m}")).at(row, "value"));
            continue;
        }
        if let Some(first) = rows.insert((year, key), row) {
            problems.push(Problem::new("E019", &t.file, format!("{key} for {year} is also on row {first}")).at(row, "key"));
        }
        out.insert((year, key), value);
    }
    if let Some(d) = district {
        if problems.len() == before {
            for year in d.projection_years() {
                for key in AssumptionKey::ALL {
                    if !out.contains_key(&(year, key)) {
                        problems.push(Problem::new("E022", &t.file, format!("has no {key} for {year}; every key is needed for every projection year {}…{}", d.base_year + 1, d.base_year + d.horizon as i32)).column("key"));
                    }
                }
            }
        }
        // Years outside the projection are allowed and ignored.
        out.retain(|(y, _), _| d.projection_years().contains(y));
    }
    (problems.len() == before).then_some(out)
}

/// Values that the formulas divide by must be above zero.
pub fn positive_problem(key: AssumptionKey, value: Decimal) -> Option<String> {
    (matches!(key, AssumptionKey::Membership | AssumptionKey::EqualizedValue) && value <= Decimal::ZERO)
        .then(|| format!("{value} must be above 0"))
}
