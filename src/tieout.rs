//! Tie-out: the loaded budget must equal the ERP's trial balance to the cent.
//!
//! The finance office gives control totals per fund, revenue and expense (from
//! the ERP's trial balance). An import is refused unless every fund and side
//! that has lines, or a control total, matches exactly; the report shows each
//! fund and side with both amounts and the difference.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::error::Problem;
use crate::intake::{file_name, note_problem};
use crate::model::{BudgetLine, LineKind};
use crate::report::{cents_json, opt_cents_json};
use crate::money::{format_dollars, parse_amount, Cents};
use crate::text::read_text_table;

/// Control totals by fund: (revenue, expense).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ControlTotals {
    pub funds: BTreeMap<String, (Cents, Cents)>,
}

/// One fund and side of the tie-out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TieRow {
    pub fund: String,
    pub side: LineKind,
    /// `None` when the control totals do not list the fund.
    #[serde(serialize_with = "opt_cents_json")]
    pub control: Option<Cents>,
    #[serde(serialize_with = "cents_json")]
    pub loaded: Cents,
    /// loaded − control.
    #[serde(serialize_with = "cents_json")]
    pub difference: Cents,
    pub ties: bool,
}

/// The whole tie-out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TieOut {
    pub ties: bool,
    pub rows: Vec<TieRow>,
}

impl TieOut {
    /// One problem per fund and side that does not tie.
    pub fn problems(&self, file: &str) -> Vec<Problem> {
        self.rows
            .iter()
            .filter(|r| !r.ties)
            .map(|r| match r.control {
                None => Problem::new("E042", file, format!(
                    "fund {} has {} lines of {} but no control total; add fund {} to the control totals",
                    r.fund, r.side.as_str(), format_dollars(r.loaded), r.fund
                )),
                Some(c) => Problem::new("E041", file, format!(
                    "fund {} {}: the loaded lines total {}, the control total is {}; they differ by {}",
                    r.fund, r.side.as_str(), format_dollars(r.loaded), format_dollars(c), format_dollars(r.difference)
                ))
                .column(r.side.as_str()),
            })
            .collect()
    }

    /// A text table for the terminal.
    pub fn render(&self) -> String {
        let header = ["fund", "side", "control", "loaded", "difference", ""].map(String::from).to_vec();
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.fund.clone(),
                    r.side.as_str().into(),
                    r.control.map(format_dollars).unwrap_or_else(|| "—".into()),
                    format_dollars(r.loaded),
                    format_dollars(r.difference),
                    if r.ties { "ties".into() } else { "DOES NOT TIE".into() },
                ]
            })
            .collect();
        crate::report::layout(&header, &rows)
    }
}

/// Compares the lines' totals per fund and side with the control totals.
pub fn tie_out(lines: &[BudgetLine], control: &ControlTotals) -> TieOut {
    let mut loaded: BTreeMap<(String, LineKind), Cents> = BTreeMap::new();
    for l in lines {
        *loaded.entry((l.fund.clone(), l.kind)).or_default() += l.amount;
    }
    let mut keys: Vec<(String, LineKind)> = loaded.keys().cloned().collect();
    for f in control.funds.keys() {
        for side in [LineKind::Revenue, LineKind::Expense] {
            keys.push((f.clone(), side));
        }
    }
    keys.sort();
    keys.dedup();
    let rows: Vec<TieRow> = keys
        .into_iter()
        .map(|(fund, side)| {
            let l = loaded.get(&(fund.clone(), side)).copied().unwrap_or(0);
            let c = control.funds.get(&fund).map(|(r, e)| if side == LineKind::Revenue { *r } else { *e });
            let difference = l - c.unwrap_or(0);
            TieRow { fund, side, control: c, loaded: l, difference, ties: c.is_some() && difference == 0 || c.is_none() && l == 0 }
        })
        .collect();
    TieOut { ties: rows.iter().all(|r| r.ties), rows }
}

/// Reads control totals: a CSV (any of the text quirks) with columns `fund,revenue,expense`.
pub fn read_control_totals(path: &Path) -> Result<ControlTotals, Vec<Problem>> {
    let file = file_name(path);
    let bytes = std::fs::read(path).map_err(|e| vec![Problem::new("E040", &file, format!("cannot be read: {e}"))])?;
    let t = read_text_table(&bytes).map_err(|n| vec![note_problem(&n, &file)])?;
    let mut problems = Vec::new();
    let cols: Vec<Option<usize>> = ["fund", "revenue", "expense"].iter().map(|c| t.column(c)).collect();
    for (c, i) in ["fund", "revenue", "expense"].iter().zip(&cols) {
        if i.is_none() {
            problems.push(Problem::new("E040", &file, format!("has no column {c:?}; control totals need fund,revenue,expense")).row(1));
        }
    }
    let [Some(f), Some(rv), Some(ex)] = [cols[0], cols[1], cols[2]] else { return Err(problems) };
    let mut out = ControlTotals::default();
    for r in &t.records {
        let fund = r.cells[f].trim();
        let fund = if fund.len() == 1 && fund.bytes().all(|b| b.is_ascii_digit()) { format!("0{fund}") } else { fund.to_string() };
        if fund.len() != 2 || !fund.bytes().all(|b| b.is_ascii_digit()) {
            problems.push(Problem::new("E040", &file, format!("fund {fund:?} is not 2 digits")).at(r.row, "fund"));
            continue;
        }
        let mut amount = |i: usize, c: &str| match parse_amount(&r.cells[i]) {
            Ok(a) => Some(a),
            Err(e) => {
                problems.push(Problem::new("E040", &file, format!("{c} {:?}: expected {}", r.cells[i], e.0)).at(r.row, c));
                None
            }
        };
        let (Some(a), Some(b)) = (amount(rv, "revenue"), amount(ex, "expense")) else { continue };
        if out.funds.insert(fund.clone(), (a, b)).is_some() {
            problems.push(Problem::new("E040", &file, format!("fund {fund} appears more than once")).at(r.row, "fund"));
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}
