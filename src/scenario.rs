//! Scenarios of MODEL.md §9: their JSON form, their validation and their merging.

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};
use crate::import::positive_problem;
use crate::model::{AssumptionKey, DepartmentKind, FiscalYear, LineKind, Package, Unit};
use crate::money::{fits_ratio, to_cents};

/// The name of the root scenario: the package with no referendum, lever or override.
pub const BASELINE: &str = "baseline";

/// `scenarios.json`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub scenarios: Vec<Scenario>,
}

/// A scenario as the finance office defines it; lists hold only what it changes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referenda: Vec<Referendum>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levers: Vec<Lever>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<AssumptionSetting>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
}

/// An operating referendum: authority above the revenue limit, by year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Referendum {
    pub name: String,
    pub kind: ReferendumKind,
    pub schedule: Vec<ReferendumYear>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferendumKind {
    /// Each amount is a new increment that stays in the base.
    Recurring,
    /// Each amount is for its year only.
    Nonrecurring,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferendumYear {
    pub year: FiscalYear,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

/// One assumption value for one year, set by a scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssumptionSetting {
    pub year: FiscalYear,
    pub key: AssumptionKey,
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
}

/// An accepted department projection: a line's exact amount in one year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub line: String,
    pub year: FiscalYear,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

/// A named policy option with a setting (MODEL.md §7).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lever {
    pub id: String,
    pub name: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub min: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub max: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub step: Decimal,
    pub start_year: FiscalYear,
    pub recurring: bool,
    #[serde(flatten)]
    pub action: LeverAction,
}

impl Lever {
    /// Whether the lever acts in year `t`.
    pub fn active_in(&self, t: FiscalYear) -> bool {
        if self.recurring { t >= self.start_year } else { t == self.start_year }
    }
}

/// What a lever does, by its `type`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LeverAction {
    /// `value` % of every matched line.
    Percent { filter: Filter },
    /// `value` positions at `cost_per_fte`, grown with salaries.
    Fte {
        #[serde(with = "rust_decimal::serde::str")]
        cost_per_fte: Decimal,
        fund: String,
        department: String,
    },
    /// `value` dollars a year, optionally indexed to inflation.
    Amount { kind: LineKind, fund: String, department: String, indexed: bool },
    /// Sets an assumption.
    Assumption { key: AssumptionKey },
}

impl LeverAction {
    pub fn type_name(&self) -> &'static str {
        match self {
            LeverAction::Percent { .. } => "percent",
            LeverAction::Fte { .. } => "fte",
            LeverAction::Amount { .. } => "amount",
            LeverAction::Assumption { .. } => "assumption",
        }
    }
}

/// Which base lines a percent lever applies to; every given field must match.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<LineKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funds: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departments: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_kinds: Option<Vec<DepartmentKind>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locations: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_prefix: Option<String>,
}

/// An inclusive code range of a filter: `"110"` or `"100-199"`.
pub fn parse_code_range(s: &str) -> Option<(u16, u16)> {
    let three = |p: &str| (p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse::<u16>().ok()).flatten();
    match s.split_once('-') {
        Some((a, b)) => {
            let (lo, hi) = (three(a)?, three(b)?);
            (lo <= hi).then_some((lo, hi))
        }
        None => three(s).map(|c| (c, c)),
    }
}

/// The fields a lever of each type must have, and may have.
fn lever_fields(type_name: &str) -> Option<&'static [&'static str]> {
    Some(match type_name {
        "percent" => &["filter"],
        "fte" => &["cost_per_fte", "fund", "department"],
        "amount" => &["kind", "fund", "department", "indexed"],
        "assumption" => &["key"],
        _ => return None,
    })
}

const LEVER_COMMON: [&str; 9] = ["id", "name", "type", "value", "min", "max", "step", "start_year", "recurring"];

/// Parses `scenarios.json` text; `file` names it in problems.
pub fn parse_scenarios(text: &str, file: &str) -> Result<Vec<Scenario>> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| json_problem(file, &e))?;
    let mut problems = Vec::new();
    // serde cannot refuse unknown keys next to a flattened enum, so levers are checked here.
    if let Some(list) = value.get("scenarios").and_then(|v| v.as_array()) {
        for scenario in list {
            let sname = scenario.get("name").and_then(|v| v.as_str()).unwrap_or("?");
            for lever in scenario.get("levers").and_then(|v| v.as_array()).into_iter().flatten() {
                let Some(obj) = lever.as_object() else { continue };
                let id = obj.get("id").and_then(|v| v.as_str()).unwrap_or("?");
                let ty = obj.get("type").and_then(|v| v.as_str()).unwrap_or("");
                let Some(own) = lever_fields(ty) else {
                    problems.push(Problem::new("E030", file, format!(
                        "scenario {sname:?}, lever {id:?}: type {ty:?} is not one of percent, fte, amount, assumption")));
                    continue;
                };
                for field in LEVER_COMMON.iter().chain(own) {
                    if !obj.contains_key(*field) {
                        problems.push(Problem::new("E030", file, format!(
                            "scenario {sname:?}, lever {id:?}: missing field {field:?} (a {ty} lever needs {})",
                            LEVER_COMMON.iter().chain(own).copied().collect::<Vec<_>>().join(", "))));
                    }
                }
                for key in obj.keys() {
                    if !LEVER_COMMON.contains(&key.as_str()) && !own.contains(&key.as_str()) {
                        problems.push(Problem::new("E030", file, format!(
                            "scenario {sname:?}, lever {id:?}: unknown field {key:?} for a {ty} lever")));
                    }
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let parsed: ScenarioFile = serde_json::from_str(text).map_err(|e| json_problem(file, &e))?;
    Ok(parsed.scenarios)
}

fn json_problem(file: &str, e: &serde_json::Error) -> Error {
    let mut p = Problem::new("E030", file, format!("not valid scenarios JSON: {e}"));
    if e.line() > 0 {
        p = p.at(e.line() as u32, format!("character {}", e.column()));
    }
    Error::Invalid(vec![p])
}

/// Collects every problem of a set of scenarios against a package.
pub fn validate_scenarios(pkg: &Package, scenarios: &[Scenario], file: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let years = pkg.district.projection_years();
    // Only the lines that overrides name are looked up: a package may hold a million.
    let wanted: HashSet<&str> = scenarios.iter().flat_map(|s| &s.overrides).map(|o| o.line.as_str()).collect();
    let mut line_names: HashMap<String, usize> = HashMap::new();
    if !wanted.is_empty() {
        for (i, l) in pkg.lines.iter().enumerate() {
            let name = l.name();
            if wanted.contains(name.as_str()) {
                line_names.insert(name, i);
            }
        }
    }
    let mut names = HashSet::new();
    let mut err = |m: String| problems.push(Problem::new("E031", file, m));
    for s in scenarios {
        let at = format!("scenario {:?}", s.name);
        if s.name.trim().is_empty() {
            err("a scenario has an empty name".into());
        }
        if s.name == BASELINE {
            err(format!("{at}: the name \"baseline\" is reserved for the package itself"));
        }
        if !names.insert(s.name.as_str()) {
            err(format!("{at}: the name is used twice"));
        }
        if let Some(parent) = &s.parent
            && parent != BASELINE && !scenarios.iter().any(|o| &o.name == parent) {
                err(format!("{at}: parent {parent:?} is not a scenario"));
            }
        let year_ok = |y: FiscalYear| years.contains(&y);
        let range = format!("{}…{}", years.start(), years.end());
        let mut seen = HashSet::new();
        for r in &s.referenda {
            if !seen.insert(r.name.as_str()) {
                err(format!("{at}: referendum {:?} appears twice", r.name));
            }
            let mut ryears = HashSet::new();
            for e in &r.schedule {
                if !year_ok(e.year) {
                    err(format!("{at}, referendum {:?}: year {} is outside the projection years {range}", r.name, e.year));
                }
                if !ryears.insert(e.year) {
                    err(format!("{at}, referendum {:?}: year {} appears twice in its schedule", r.name, e.year));
                }
                if to_cents(e.amount).is_none() {
                    err(format!("{at}, referendum {:?}: amount {} is not dollars and cents", r.name, e.amount));
                }
            }
        }
        let mut seen = HashSet::new();
        for a in &s.assumptions {
            if !seen.insert((a.year, a.key)) {
                err(format!("{at}: assumption {} for {} appears twice", a.key, a.year));
            }
            if !year_ok(a.year) {
                err(format!("{at}: assumption {} year {} is outside the projection years {range}", a.key, a.year));
            }
            // Membership and equalized value are divided by, as in assumptions.csv.
            if let Some(m) = unit_problem(a.key, a.value).or_else(|| positive_problem(a.key, a.value)) {
                err(format!("{at}: assumption {} for {}: {m}", a.key, a.year));
            }
        }
        let mut seen = HashSet::new();
        for o in &s.overrides {
            if !seen.insert((o.line.as_str(), o.year)) {
                err(format!("{at}: override of {} for {} appears twice", o.line, o.year));
            }
            match line_names.get(&o.line) {
                None => err(format!("{at}: override names line {:?}, which is not in the budget", o.line)),
                Some(&i) if pkg.lines[i].rule.is_computed() => err(format!(
                    "{at}: override names line {:?}, which is computed ({}) and cannot be overridden",
                    o.line, pkg.lines[i].rule.as_str()
                )),
                Some(_) => {}
            }
            if !year_ok(o.year) {
                err(format!("{at}: override of {} year {} is outside the projection years {range}", o.line, o.year));
            }
            if to_cents(o.amount).is_none() {
                err(format!("{at}: override of {} amount {} is not dollars and cents", o.line, o.amount));
            }
        }
        let mut seen = HashSet::new();
        for l in &s.levers {
            let at = format!("{at}, lever {:?}", l.id);
            if l.id.trim().is_empty() {
                err(format!("{at}: the lever id is empty"));
            }
            if !seen.insert(l.id.as_str()) {
                err(format!("{at}: the id is used twice"));
            }
            for m in lever_problems(pkg, l) {
                err(format!("{at}: {m}"));
            }
        }
    }
    // Cycles: walk every chain of parents.
    for s in scenarios {
        let mut seen = HashSet::new();
        let mut cur = s;
        while let Some(parent) = cur.parent.as_deref().filter(|p| *p != BASELINE) {
            if !seen.insert(cur.name.as_str()) {
                problems.push(Problem::new("E031", file, format!("scenario {:?}: its parents form a cycle", s.name)));
                break;
            }
            match scenarios.iter().find(|o| o.name == parent) {
                Some(p) => cur = p,
                None => break,
            }
        }
    }
    problems
}

/// Why a value does not fit an assumption key, if it does not.
pub fn unit_problem(key: AssumptionKey, value: Decimal) -> Option<String> {
    match key.unit() {
        Unit::Members if value.fract() != Decimal::ZERO || value < Decimal::ZERO || value > Decimal::from(100_000_000) => {
            Some(format!("{value} is not a whole number of members"))
        }
        Unit::Money if to_cents(value).is_none() => Some(format!("{value} is not dollars and cents")),
        Unit::Percent if !fits_ratio(value) || value <= Decimal::from(-100) || value > Decimal::from(1000) => {
            Some(format!("{value} is not a percent between -100 and 1000 with at most 12 decimals"))
        }
        _ => None,
    }
}

/// Every problem of one lever: its setting on its grid, its year, what it names.
pub fn lever_problems(pkg: &Package, l: &Lever) -> Vec<String> {
    let mut out = Vec::new();
    let years = pkg.district.projection_years();
    if l.step <= Decimal::ZERO {
        out.push(format!("step {} must be above 0", l.step));
    } else if l.min > l.max {
        out.push(format!("min {} is above max {}", l.min, l.max));
    } else if l.value < l.min || l.value > l.max {
        out.push(format!("value {} is outside [{}, {}]", l.value, l.min, l.max));
    } else if ((l.value - l.min) / l.step).fract() != Decimal::ZERO {
        out.push(format!("value {} is not on the grid {} + k × {}", l.value, l.min, l.step));
    }
    if !years.contains(&l.start_year) {
        out.push(format!("start_year {} is outside the projection years {}…{}", l.start_year, years.start(), years.end()));
    }
    if !fits_ratio(l.value) {
        out.push(format!("value {} has too many digits", l.value));
    }
    let fund_ok = |f: &String, out: &mut Vec<String>| {
        if pkg.fund(f).is_none() {
            out.push(format!("fund {f:?} is not in funds.csv"));
        }
    };
    let dept_ok = |d: &String, out: &mut Vec<String>| {
        if pkg.department(d).is_none() {
            out.push(format!("department {d:?} is not in departments.csv"));
        }
    };
    match &l.action {
        LeverAction::Percent { filter } => {
            for f in filter.funds.iter().flatten() {
                fund_ok(f, &mut out);
            }
            for d in filter.departments.iter().flatten() {
                dept_ok(d, &mut out);
            }
            for loc in filter.locations.iter().flatten() {
                if loc.len() != 3 || !loc.bytes().all(|b| b.is_ascii_digit()) {
                    out.push(format!("location {loc:?} is not 3 digits"));
                }
            }
            for c in filter.codes.iter().flatten() {
                if parse_code_range(c).is_none() {
                    out.push(format!("code {c:?} is not \"NNN\" or \"NNN-NNN\" with the first no greater than the second"));
                }
            }
            if let Some(p) = &filter.function_prefix
                && (p.is_empty() || p.len() > 6 || !p.bytes().all(|b| b.is_ascii_digit())) {
                    out.push(format!("function_prefix {p:?} is not 1 to 6 digits"));
                }
        }
        LeverAction::Fte { cost_per_fte, fund, department } => {
            if to_cents(*cost_per_fte).is_none() {
                out.push(format!("cost_per_fte {cost_per_fte} is not dollars and cents"));
            }
            fund_ok(fund, &mut out);
            dept_ok(department, &mut out);
        }
        LeverAction::Amount { fund, department, .. } => {
            if to_cents(l.value).is_none() || to_cents(l.min).is_none() || to_cents(l.step).is_none() {
                out.push(format!("an amount lever's value, min and step are dollars and cents ({}, {}, {})", l.value, l.min, l.step));
            }
            fund_ok(fund, &mut out);
            dept_ok(department, &mut out);
        }
        LeverAction::Assumption { key } => {
            if let Some(m) = unit_problem(*key, l.value).or_else(|| positive_problem(*key, l.value)) {
                out.push(format!("value for {key}: {m}"));
            }
        }
    }
    out
}

/// A scenario with its parents merged in: everything the projection needs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resolved {
    pub name: String,
    pub referenda: Vec<Referendum>,
    pub levers: Vec<Lever>,
    pub assumptions: Vec<AssumptionSetting>,
    pub overrides: Vec<Override>,
}

impl Resolved {
    /// The root scenario: the package alone.
    pub fn baseline() -> Resolved {
        Resolved { name: BASELINE.to_string(), ..Default::default() }
    }

    /// The same scenario without one lever (the counterfactual of an assumption lever's effect).
    pub fn without_lever(&self, id: &str) -> Resolved {
        let mut r = self.clone();
        r.levers.retain(|l| l.id != id);
        r
    }
}

/// A child's item replaces the parent's with the same identity in its place; new ones append.
fn merge<T: Clone, K: PartialEq>(base: &mut Vec<T>, child: &[T], id: impl Fn(&T) -> K) {
    for item in child {
        match base.iter_mut().find(|b| id(b) == id(item)) {
            Some(slot) => *slot = item.clone(),
            None => base.push(item.clone()),
        }
    }
}

/// Merges a scenario with its parents (MODEL.md §9). Scenarios must be valid.
pub fn resolve(scenarios: &[Scenario], name: &str) -> Result<Resolved> {
    if name == BASELINE {
        return Ok(Resolved::baseline());
    }
    let mut chain = Vec::new();
    let mut cur = Some(name);
    while let Some(n) = cur.filter(|n| *n != BASELINE) {
        let s = scenarios.iter().find(|s| s.name == n).ok_or_else(|| Error::UnknownScenario(n.to_string()))?;
        if chain.iter().any(|c: &&Scenario| c.name == s.name) {
            return Err(Error::Usage(format!("scenario {name:?}: its parents form a cycle")));
        }
        chain.push(s);
        cur = s.parent.as_deref();
    }
    let mut r = Resolved { name: name.to_string(), ..Default::default() };
    for s in chain.iter().rev() {
        merge(&mut r.referenda, &s.referenda, |x| x.name.clone());
        merge(&mut r.levers, &s.levers, |x| x.id.clone());
        merge(&mut r.assumptions, &s.assumptions, |x| (x.year, x.key));
        merge(&mut r.overrides, &s.overrides, |x| (x.line.clone(), x.year));
    }
    Ok(r)
}
