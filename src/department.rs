//! Department projections: a director drafts their department's lines year by year in
//! a spreadsheet, the chief reviews the draft against a scenario (what changes, and what
//! it is worth to the surplus) and accepts it into the scenario as overrides (MODEL.md §9,
//! "an accepted department projection").
//!
//! The round trip is a sheet the director already knows how to fill in:
//! [`template`] writes the department's lines with the scenario's projected amounts,
//! one column per projection year; [`read_draft`] reads the filled-in sheet back (CSV
//! with any of the text quirks, or `.xlsx`), reporting every problem with its row and
//! column; [`review`] says what accepting it would change; `Workspace::accept_draft`
//! writes it through the one door, so it is audited and can be undone.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;

use crate::error::{Error, Problem, Result};
use crate::intake::{file_name, note_problem};
use crate::model::{year_label, FiscalYear};
use crate::export::money_number;
use crate::money::{cents_str, format_dollars, parse_amount, Cents};
use crate::projection::{Model, Projection};
use crate::report::cents_json;
use crate::scenario::{Override, Resolved};
use crate::text::{read_text_table, write_csv_row, TextTable};
use crate::workbook::Workbook as ReadWorkbook;

/// The template of one department under one scenario: its lines (computed lines
/// excepted), each with the adopted amount and the projected amount of every year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Template {
    pub department: String,
    pub scenario: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Builds the template of `department` from a projection of the scenario.
pub fn template(model: &Model, projection: &Projection, department: &str) -> Result<Template> {
    let pkg = model.package();
    if !pkg.departments.iter().any(|d| d.code == department) {
        return Err(Error::Usage(format!("no department {department:?} in this district")));
    }
    let years: Vec<FiscalYear> = projection.years.iter().skip(1).map(|y| y.year).collect();
    let mut header: Vec<String> = ["line", "department", "description", "adopted"].map(String::from).to_vec();
    header.extend(years.iter().map(|y| year_label(*y)));
    let mut rows = Vec::new();
    for (i, line) in pkg.lines.iter().enumerate().filter(|(_, l)| l.department == department && !l.rule.is_computed()) {
        let mut row = vec![line.name(), line.department.clone(), line.description.clone(), cents_str(line.amount)];
        row.extend(years.iter().map(|y| projection.line_amount(model, i, *y).map(cents_str).unwrap_or_default()));
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(Error::Usage(format!("department {department} has no budget lines to project")));
    }
    Ok(Template { department: department.to_string(), scenario: projection.scenario.clone(), header, rows })
}

impl Template {
    /// The template as CSV (exact decimal text).
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        write_csv_row(&mut out, self.header.iter().map(String::as_str));
        for r in &self.rows {
            write_csv_row(&mut out, r.iter().map(String::as_str));
        }
        out
    }

    /// The template as a workbook: money as numbers formatted to the cent, the line
    /// names and the header frozen so the director scrolls only the amounts.
    pub fn to_xlsx(&self) -> Result<Vec<u8>> {
        let fail = |e: rust_xlsxwriter::XlsxError| Error::Usage(format!("writing the workbook failed: {e}"));
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold();
        let money = Format::new().set_num_format("#,##0.00;-#,##0.00");
        let ws = wb.add_worksheet();
        ws.set_name("projection").map_err(fail)?;
        for (c, h) in self.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold).map_err(fail)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match parse_amount(cell) {
                    Ok(cents) if c >= 3 => ws.write_number_with_format(r, c, money_number(cents), &money).map_err(fail)?,
                    _ => ws.write_string(r, c, cell).map_err(fail)?,
                };
            }
        }
        ws.set_freeze_panes(1, 1).map_err(fail)?;
        ws.set_column_width(0, 34).map_err(fail)?;
        ws.set_column_width(2, 36).map_err(fail)?;
        for c in 3..self.header.len() as u16 {
            ws.set_column_width(c, 16).map_err(fail)?;
        }
        wb.save_to_buffer().map_err(fail)
    }
}

/// One line of a director's draft: the amounts written for it, by year.
#[derive(Clone, Debug, PartialEq)]
pub struct DraftLine {
    /// Package line index.
    pub line: usize,
    pub row: u32,
    pub amounts: Vec<(FiscalYear, Cents)>,
}

/// A director's draft, read and checked against the district.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub file: String,
    pub lines: Vec<DraftLine>,
}

/// `2024-25` (or the fiscal year itself, `2025`) as the fiscal year it names.
fn year_of(header: &str) -> Option<FiscalYear> {
    let h = header.trim();
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match h.split_once('-') {
        Some((first, second)) if first.len() == 4 && second.len() == 2 && digits(first) && digits(second) => {
            let start: FiscalYear = first.parse().ok()?;
            (second.parse::<FiscalYear>().ok()? == (start + 1) % 100).then_some(start + 1)
        }
        None if h.len() == 4 && digits(h) => h.parse().ok(),
        _ => None,
    }
}

/// Reads a filled-in template (CSV or `.xlsx`, its first sheet). An empty cell leaves
/// that year as projected. Every problem is reported, each with its row and column.
pub fn read_draft(path: &Path, model: &Model) -> Result<Draft, Vec<Problem>> {
    let file = file_name(path);
    let bytes = std::fs::read(path).map_err(|e| vec![Problem::new("E001", &file, format!("cannot be read: {e}"))])?;
    let table: TextTable = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
        let mut wb = ReadWorkbook::from_bytes(bytes).map_err(|m| vec![Problem::new("E060", &file, m)])?;
        let sheet = wb.sheets.first().cloned().ok_or_else(|| vec![Problem::new("E061", &file, "the workbook has no sheets")])?;
        wb.table(&sheet, &[]).map_err(|n| vec![note_problem(&n, &file)])?
    } else {
        read_text_table(&bytes).map_err(|n| vec![note_problem(&n, &file)])?
    };
    let pkg = model.package();
    let (first, last) = (pkg.district.base_year + 1, pkg.district.base_year + pkg.district.horizon as FiscalYear);
    let mut problems = Vec::new();
    let mut line_col = None;
    let mut year_cols: Vec<(usize, FiscalYear)> = Vec::new();
    for (i, h) in table.header.iter().enumerate() {
        let h = h.trim();
        if h == "line" {
            line_col = Some(i);
        } else if let Some(y) = year_of(h) {
            if (first..=last).contains(&y) {
                year_cols.push((i, y));
            } else {
                problems.push(Problem::new("E081", &file, format!("column {h:?} is not a projection year ({} to {})", year_label(first), year_label(last))).at(1, h));
            }
        } else if h.bytes().any(|b| b.is_ascii_digit()) {
            // Looks like a year but is not one: refused rather than silently left out.
            problems.push(Problem::new("E081", &file, format!("column {h:?} is not a year of the projection; expected year columns like {} to {}", year_label(first), year_label(last))).at(1, h));
        }
        // Any other column (department, description, a director's notes) is not read.
    }
    if line_col.is_none() {
        problems.push(Problem::new("E080", &file, "has no column \"line\" (the line name, as in the template: fund-location-code-function-project/kind)").row(1));
    }
    if year_cols.is_empty() {
        problems.push(Problem::new("E080", &file, format!("has no year columns; expected {} to {} as in the template", year_label(first), year_label(last))).row(1));
    }
    let Some(line_col) = line_col else { return Err(problems) };
    let mut seen: HashMap<usize, u32> = HashMap::new();
    let mut lines = Vec::new();
    for r in &table.records {
        let name = r.cells[line_col].trim();
        let line = match model.line_by_name(name) {
            Some(i) if pkg.lines[i].rule.is_computed() => {
                problems.push(Problem::new("E083", &file, format!("line {name} is computed ({}); it cannot be projected by hand", pkg.lines[i].rule.as_str())).at(r.row, "line"));
                None
            }
            Some(i) => match seen.insert(i, r.row) {
                Some(earlier) => {
                    problems.push(Problem::new("E083", &file, format!("line {name} is also on row {earlier}")).at(r.row, "line"));
                    None
                }
                None => Some(i),
            },
            None => {
                problems.push(Problem::new("E083", &file, format!("{name:?} is not a budget line of this district")).at(r.row, "line"));
                None
            }
        };
        let mut amounts = Vec::new();
        for &(c, year) in &year_cols {
            let cell = r.cells[c].trim();
            if cell.is_empty() {
                continue;
            }
            match parse_amount(cell) {
                Ok(cents) => amounts.push((year, cents)),
                Err(e) => problems.push(Problem::new("E082", &file, format!("{cell:?}: expected {}", e.0)).at(r.row, table.header[c].trim())),
            }
        }
        if let Some(line) = line {
            lines.push(DraftLine { line, row: r.row, amounts });
        }
    }
    if problems.is_empty() { Ok(Draft { file, lines }) } else { Err(problems) }
}

/// One amount accepting the draft would set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewItem {
    pub line: String,
    pub description: String,
    pub department: String,
    pub year: FiscalYear,
    pub label: String,
    #[serde(serialize_with = "cents_json")]
    pub current: Cents,
    #[serde(serialize_with = "cents_json")]
    pub proposed: Cents,
    #[serde(serialize_with = "cents_json")]
    pub change: Cents,
}

/// What accepting a draft into a scenario would do.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Review {
    pub scenario: String,
    pub file: String,
    pub departments: Vec<String>,
    /// Draft lines whose every amount equals the projection: nothing to accept for them.
    pub unchanged_lines: usize,
    pub items: Vec<ReviewItem>,
    /// Per projection year: `(year, surplus after − surplus before)`.
    pub surplus_change: Vec<YearChange>,
    pub fund_balance_change: Vec<YearChange>,
    /// What the scenario's own overrides gain (replacing any of the same line and year).
    pub overrides: Vec<Override>,
}

/// A change in one year, as exact money text in JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YearChange {
    pub year: FiscalYear,
    pub label: String,
    #[serde(serialize_with = "cents_json")]
    pub change: Cents,
}

/// Reviews `draft` against the resolved scenario.
///
/// A line's proposal starts in the first year where the director's amount differs
/// from the projection; from that year on, every amount the director wrote is kept as
/// written (it was written against the old path, so it is pinned, not grown). Years
/// before it, and lines the director left as projected, keep growing by their rules.
pub fn review(model: &Model, scenario: &Resolved, draft: &Draft) -> Result<Review> {
    let before = model.project(scenario)?;
    let pkg = model.package();
    let mut items = Vec::new();
    let mut overrides = Vec::new();
    let mut departments = BTreeSet::new();
    let mut unchanged_lines = 0;
    for d in &draft.lines {
        let current = |y: FiscalYear| before.line_amount(model, d.line, y).unwrap_or(0);
        let Some(start) = d.amounts.iter().position(|&(y, a)| a != current(y)) else {
            unchanged_lines += 1;
            continue;
        };
        let line = &pkg.lines[d.line];
        departments.insert(line.department.clone());
        for &(year, proposed) in &d.amounts[start..] {
            overrides.push(Override { line: line.name(), year, amount: Decimal::new(proposed, 2) });
            items.push(ReviewItem {
                line: line.name(),
                description: line.description.clone(),
                department: line.department.clone(),
                year,
                label: year_label(year),
                current: current(year),
                proposed,
                change: proposed - current(year),
            });
        }
    }
    let mut after = scenario.clone();
    merge_overrides(&mut after.overrides, &overrides);
    let projected = model.project(&after)?;
    let changes = |get: fn(&crate::projection::YearResult) -> Cents| -> Vec<YearChange> {
        before.years.iter().zip(&projected.years).skip(1).map(|(b, a)| YearChange { year: b.year, label: year_label(b.year), change: get(a) - get(b) }).collect()
    };
    Ok(Review {
        scenario: scenario.name.clone(),
        file: draft.file.clone(),
        departments: departments.into_iter().collect(),
        unchanged_lines,
        surplus_change: changes(|y| y.surplus),
        fund_balance_change: changes(|y| y.fund_balance),
        items,
        overrides,
    })
}

/// Sets each of `new` in `list`: an override of the same line and year is replaced in
/// its place, others are appended (the §9 merge rule).
pub fn merge_overrides(list: &mut Vec<Override>, new: &[Override]) {
    for o in new {
        match list.iter_mut().find(|x| x.line == o.line && x.year == o.year) {
            Some(slot) => *slot = o.clone(),
            None => list.push(o.clone()),
        }
    }
}

impl Review {
    /// The review as text for the terminal.
    pub fn render(&self) -> String {
        if self.items.is_empty() {
            return format!("{}: every amount is as {} projects it ({} line(s)); nothing to accept\n", self.file, self.scenario, self.unchanged_lines);
        }
        let mut out = format!(
            "{}: {} amount(s) on {} line(s) of {} would change {} ({} line(s) as projected, nothing to accept)\n",
            self.file,
            self.items.len(),
            self.items.iter().map(|i| &i.line).collect::<BTreeSet<_>>().len(),
            self.departments.join(", "),
            self.scenario,
            self.unchanged_lines
        );
        for i in &self.items {
            out.push_str(&format!(
                "  {:<34} {}  {:>18} -> {:>18}  ({}{})\n",
                i.line,
                i.label,
                format_dollars(i.current),
                format_dollars(i.proposed),
                if i.change >= 0 { "+" } else { "" },
                format_dollars(i.change)
            ));
        }
        out.push_str("surplus change:");
        for c in &self.surplus_change {
            out.push_str(&format!("  {} {}", c.label, format_dollars(c.change)));
        }
        out.push('\n');
        out
    }
}
