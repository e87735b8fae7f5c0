//! General-ledger detail exports turned into budget lines through a saved mapping.
//!
//! An ERP exports one row per account (and sub-account) with its own column
//! names: a combined account string such as `10-100-110-120000-000` or one column
//! per segment, and a signed amount or debit and credit columns. A [`GlMapping`]
//! says, once, which column is which; it is stored in the district file and
//! reused next year. Rows are checked one by one (every problem with its row and
//! column), then grouped by line name with polars and summed in checked integer
//! cents, so a line's amount is exactly the sum of its rows.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::Problem;
use crate::intake::{file_name, note_problem, FileRead};
use crate::model::{BudgetLine, LineKind, Package, Rule};
use crate::money::{parse_amount, Cents};
use crate::text::{read_text_table, TextTable};
use crate::workbook::Workbook;

/// How a GL export's columns become budget lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlMapping {
    /// The name it is saved under in the district file, e.g. `"skyward-budget"`.
    pub name: String,
    /// For an `.xlsx` export: the sheet to read (default: the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    pub account: AccountColumns,
    pub amount: AmountColumns,
    pub kind: KindSource,
    pub department: DepartmentSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fte: Option<String>,
}

/// A segment of a combined account string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Fund,
    Location,
    Code,
    Function,
    Project,
    /// An ERP segment Fulcrum does not use (a sub-object, a grant year…).
    Ignore,
}

/// Where the account segments are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "style", rename_all = "snake_case", deny_unknown_fields)]
pub enum AccountColumns {
    /// One column such as `10-100-110-120000-000`, split at `separator`.
    Combined { column: String, separator: String, segments: Vec<Segment> },
    /// One column per segment; a missing project column means `000`.
    Separate {
        fund: String,
        location: String,
        code: String,
        function: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        project: Option<String>,
    },
}

/// How revenue is signed in a signed-amount column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevenueSign {
    /// Budgets: revenue and expense both positive.
    Positive,
    /// Trial-balance style: revenue carries credit balances, shown negative.
    Negative,
}

/// Where the amount is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "style", rename_all = "snake_case", deny_unknown_fields)]
pub enum AmountColumns {
    Signed { column: String, revenue_sign: RevenueSign },
    /// Expense is debit − credit; revenue is credit − debit. An empty cell is 0.
    DebitCredit { debit: String, credit: String },
}

/// How a row is told to be revenue or expense.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "style", rename_all = "snake_case", deny_unknown_fields)]
pub enum KindSource {
    /// A column whose values name the kind (compared ignoring case).
    Column { column: String, revenue: Vec<String>, expense: Vec<String> },
    /// Revenue when the function starts with one of these prefixes; else expense.
    FunctionPrefix { revenue: Vec<String> },
}

/// Where the Fulcrum department code comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentSource {
    pub column: String,
    /// ERP value → department code; empty means the value is the code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub map: BTreeMap<String, String>,
    /// Used for a value the map does not list (and for empty cells).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

impl GlMapping {
    /// Parses a mapping's JSON; problems name `file`.
    pub fn from_json(text: &str, file: &str) -> Result<GlMapping, Problem> {
        let m: GlMapping = serde_json::from_str(text).map_err(|e| {
            let p = Problem::new("E050", file, format!("not a valid GL mapping: {e}"));
            if e.line() > 0 { p.row(e.line() as u32) } else { p }
        })?;
        if m.name.trim().is_empty() {
            return Err(Problem::new("E050", file, "the mapping needs a name to be saved under"));
        }
        if let AccountColumns::Combined { segments, separator, .. } = &m.account {
            if separator.is_empty() {
                return Err(Problem::new("E050", file, "a combined account needs a separator such as \"-\""));
            }
            for need in [Segment::Fund, Segment::Location, Segment::Code, Segment::Function] {
                if segments.iter().filter(|s| **s == need).count() != 1 {
                    return Err(Problem::new("E050", file, format!("a combined account's segments must name {need:?} exactly once")));
                }
            }
            if segments.iter().filter(|s| **s == Segment::Project).count() > 1 {
                return Err(Problem::new("E050", file, "a combined account's segments name Project more than once"));
            }
        }
        Ok(m)
    }

    /// The columns the mapping reads, with what each is for.
    fn columns(&self) -> Vec<(&str, &'static str)> {
        let mut v = Vec::new();
        match &self.account {
            AccountColumns::Combined { column, .. } => v.push((column.as_str(), "account")),
            AccountColumns::Separate { fund, location, code, function, project } => {
                v.extend([(fund.as_str(), "fund"), (location.as_str(), "location"), (code.as_str(), "code"), (function.as_str(), "function")]);
                if let Some(p) = project {
                    v.push((p.as_str(), "project"));
                }
            }
        }
        match &self.amount {
            AmountColumns::Signed { column, .. } => v.push((column.as_str(), "amount")),
            AmountColumns::DebitCredit { debit, credit } => v.extend([(debit.as_str(), "debit"), (credit.as_str(), "credit")]),
        }
        if let KindSource::Column { column, .. } = &self.kind {
            v.push((column.as_str(), "kind"));
        }
        v.push((self.department.column.as_str(), "department"));
        v.extend(self.description.as_deref().map(|c| (c, "description")));
        v.extend(self.fte.as_deref().map(|c| (c, "fte")));
        v
    }
}

/// Budget lines made from a GL export, or every reason they could not be.
#[derive(Clone, Debug, Default)]
pub struct GlLines {
    pub lines: Vec<BudgetLine>,
    pub rows_read: usize,
    pub warnings: Vec<Problem>,
    pub errors: Vec<Problem>,
    pub file: Option<FileRead>,
}

/// Row errors reported one by one before the rest are counted in one summary.
const MAX_ROW_ERRORS: usize = 1000;

/// Reads the GL export at `path` (CSV or `.xlsx`) against the package's funds and departments.
pub fn read_gl(path: &Path, mapping: &GlMapping, pkg: &Package) -> GlLines {
    let name = file_name(path);
    let mut out = GlLines::default();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            out.errors.push(Problem::new("E001", &name, format!("cannot be read: {e}")));
            return out;
        }
    };
    let is_xlsx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let table = if is_xlsx {
        match Workbook::from_bytes(bytes) {
            Err(m) => Err(Problem::new("E060", &name, m)),
            Ok(mut wb) => {
                let sheet = mapping.sheet.clone().or_else(|| wb.sheets.first().cloned()).unwrap_or_default();
                if !wb.has_sheet(&sheet) {
                    Err(Problem::new("E061", &name, format!("the workbook has no sheet {sheet:?} (it has {})", wb.sheets.join(", "))))
                } else {
                    wb.table(&sheet, &[]).map_err(|n| note_problem(&n, &name))
                }
            }
        }
    } else {
        read_text_table(&bytes).map_err(|n| note_problem(&n, &name))
    };
    let table = match table {
        Ok(t) => t,
        Err(p) => {
            out.errors.push(p);
            return out;
        }
    };
    out.warnings.extend(table.notes.iter().map(|n| note_problem(n, &name)));
    out.rows_read = table.records.len();
    out.file = Some(FileRead { file: name.clone(), rows: table.records.len(), encoding: table.encoding.into(), delimiter: (table.delimiter as char).to_string() });
    lines_from_gl(&table, &name, mapping, pkg, &mut out);
    out
}

/// A row as read, before grouping.
struct GlRow {
    row: u32,
    fund: String,
    location: String,
    code: String,
    function: String,
    project: String,
    kind: LineKind,
    department: String,
    description: String,
    amount: Cents,
    fte: Option<rust_decimal::Decimal>,
}

/// Repairs tallied per (column, from, to): count and first row.
type Repairs = BTreeMap<(String, String, String), (usize, u32)>;

fn is_scientific(s: &str) -> bool {
    let u = s.to_ascii_uppercase();
    match u.split_once("E+").or_else(|| u.split_once('E')) {
        Some((m, e)) => !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()),
        None => false,
    }
}

fn lines_from_gl(t: &TextTable, file: &str, mapping: &GlMapping, pkg: &Package, out: &mut GlLines) {
    let mut idx: HashMap<&str, usize> = HashMap::new();
    for (col, what) in mapping.columns() {
        match t.column(col) {
            Some(i) => {
                idx.insert(col, i);
            }
            None => out.errors.push(
                Problem::new("E050", file, format!("has no column {col:?} (the mapping {:?} reads the {what} from it); its columns are {}", mapping.name, t.header.join(", ")))
                    .at(1, col),
            ),
        }
    }
    if !out.errors.is_empty() {
        return;
    }
    let col = |r: &crate::text::Record, c: &str| -> String { r.cells[idx[c]].trim().to_string() };
    let mut rows: Vec<GlRow> = Vec::with_capacity(t.records.len());
    let mut repairs: Repairs = BTreeMap::new();
    let mut errs = RowErrors::default();
    let fund_ok: std::collections::HashSet<&str> = pkg.funds.iter().map(|f| f.code.as_str()).collect();
    let dept_ok: std::collections::HashSet<&str> = pkg.departments.iter().map(|d| d.code.as_str()).collect();
    for r in &t.records {
        let n0 = errs.count();
        macro_rules! bad {
            ($column:expr, $code:expr, $message:expr) => {
                errs.push(Problem::new($code, file, $message).at(r.row, $column))
            };
        }
        // Account segments.
        let mut seg: [(String, String); 5] = Default::default(); // (value, column)
        match &mapping.account {
            AccountColumns::Combined { column, separator, segments } => {
                let text = col(r, column);
                if is_scientific(&text) {
                    bad!(column, "E052", format!("account {text:?} was rewritten by Excel in scientific notation; the digits are lost, export the column as text"));
                } else {
                    let parts: Vec<&str> = text.split(separator.as_str()).map(str::trim).collect();
                    if parts.len() != segments.len() {
                        bad!(column, "E051", format!("account {text:?} has {} segment(s) separated by {separator:?}; the mapping expects {}", parts.len(), segments.len()));
                    } else {
                        for (s, p) in segments.iter().zip(parts) {
                            let slot = match s {
                                Segment::Fund => 0,
                                Segment::Location => 1,
                                Segment::Code => 2,
                                Segment::Function => 3,
                                Segment::Project => 4,
                                Segment::Ignore => continue,
                            };
                            seg[slot] = (p.to_string(), column.clone());
                        }
                    }
                }
            }
            AccountColumns::Separate { fund, location, code, function, project } => {
                let cols = [Some(fund), Some(location), Some(code), Some(function), project.as_ref()];
                for (slot, c) in cols.iter().enumerate() {
                    if let Some(c) = c {
                        let v = col(r, c);
                        let width = [2, 3, 3, 6, 3][slot];
                        if is_scientific(&v) {
                            bad!(c.as_str(), "E052", format!("{v:?} was rewritten by Excel in scientific notation; the digits are lost, export the column as text"));
                        }
                        let v = if !v.is_empty() && v.len() < width && v.bytes().all(|b| b.is_ascii_digit()) {
                            let padded = format!("{v:0>width$}");
                            let e = repairs.entry(((*c).clone(), v.clone(), padded.clone())).or_insert((0, r.row));
                            e.0 += 1;
                            padded
                        } else {
                            v
                        };
                        seg[slot] = (v, (*c).clone());
                    }
                }
            }
        }
        if seg[4].0.is_empty() {
            seg[4].0 = "000".into();
        }
        let account_failed = errs.count() > n0;
        if !account_failed {
            for (slot, (what, width)) in [("fund", 2), ("location", 3), ("code", 3), ("function", 6), ("project", 3)].iter().enumerate() {
                let (v, c) = &seg[slot];
                if v.len() != *width || !v.bytes().all(|b| b.is_ascii_digit()) {
                    bad!(c, "E013", format!("{what} {v:?} is not {width} digits"));
                }
            }
            if seg[0].0.len() == 2 && !fund_ok.contains(seg[0].0.as_str()) {
                bad!(&seg[0].1, "E016", format!("fund {} is not in the package's funds", seg[0].0));
            }
        }
        // Kind.
        let kind = match &mapping.kind {
            KindSource::Column { column, revenue, expense } => {
                let v = col(r, column);
                if revenue.iter().any(|x| x.eq_ignore_ascii_case(&v)) {
                    Some(LineKind::Revenue)
                } else if expense.iter().any(|x| x.eq_ignore_ascii_case(&v)) {
                    Some(LineKind::Expense)
                } else {
                    bad!(column, "E054", format!("{v:?} is neither a revenue value ({}) nor an expense value ({})", revenue.join(", "), expense.join(", ")));
                    None
                }
            }
            KindSource::FunctionPrefix { revenue } => {
                Some(if revenue.iter().any(|p| seg[3].0.starts_with(p.as_str())) { LineKind::Revenue } else { LineKind::Expense })
            }
        };
        if kind == Some(LineKind::Expense) && seg[3].0 == "000000" {
            bad!(&seg[3].1, "E013", String::from("function 000000 is allowed on revenue lines only"));
        }
        // Department.
        let d = &mapping.department;
        let raw = col(r, &d.column);
        let department = if d.map.is_empty() && !raw.is_empty() {
            Some(raw.clone())
        } else {
            d.map.get(&raw).cloned().or_else(|| d.default.clone())
        };
        let department = match department {
            Some(code) if dept_ok.contains(code.as_str()) => Some(code),
            Some(code) => {
                bad!(&d.column, "E015", format!("department {code:?} (from {raw:?}) is not in the package's departments"));
                None
            }
            None => {
                bad!(&d.column, "E055", format!("{raw:?} has no department: the mapping lists no code for it and has no default"));
                None
            }
        };
        // Amount.
        let amount = match (&mapping.amount, kind) {
            (AmountColumns::Signed { column, revenue_sign }, Some(k)) => amount_of(r, idx[column.as_str()], column, false, file, &mut errs, &mut repairs).map(|a| match (k, revenue_sign) {
                (LineKind::Revenue, RevenueSign::Negative) => -a,
                _ => a,
            }),
            (AmountColumns::DebitCredit { debit, credit }, Some(k)) => {
                let dr = amount_of(r, idx[debit.as_str()], debit, true, file, &mut errs, &mut repairs);
                let cr = amount_of(r, idx[credit.as_str()], credit, true, file, &mut errs, &mut repairs);
                match (dr, cr) {
                    (Some(dr), Some(cr)) => match k {
                        LineKind::Expense => dr.checked_sub(cr),
                        LineKind::Revenue => cr.checked_sub(dr),
                    },
                    _ => None,
                }
            }
            _ => None,
        };
        let fte = match mapping.fte.as_deref().map(|c| (c, col(r, c))) {
            None => None,
            Some((_, v)) if v.is_empty() => None,
            Some((c, v)) => match v.parse::<rust_decimal::Decimal>() {
                Ok(x) => Some(x),
                Err(_) => {
                    bad!(c, "E012", format!("fte {v:?} is not a decimal number like 12.5"));
                    None
                }
            },
        };
        if errs.count() > n0 {
            continue;
        }
        let (Some(kind), Some(department), Some(amount)) = (kind, department, amount) else { continue };
        let [fund, location, code, function, project] = seg.map(|(v, _)| v);
        rows.push(GlRow {
            row: r.row,
            fund,
            location,
            code,
            function,
            project,
            kind,
            department,
            description: mapping.description.as_deref().map(|c| col(r, c)).unwrap_or_default(),
            amount,
            fte,
        });
    }
    for ((column, from, to), (n, first)) in repairs {
        let message = if from == "trailing minus" {
            format!("{n} amount(s) with a trailing minus (1,234.50-) read as negative")
        } else {
            format!("{column} {from} read as {to} (Excel dropped its leading zeros) on {n} row(s)")
        };
        out.warnings.push(Problem::new("W004", file, message).at(first, column));
    }
    if errs.more > 0 {
        errs.list.push(Problem::new("E059", file, format!("{} more row problem(s) not listed; fix the ones above and import again", errs.more)));
    }
    out.errors.extend(errs.list);
    if !out.errors.is_empty() {
        return;
    }
    match group_rows(&rows, file) {
        Ok(lines) => out.lines = lines,
        Err(mut problems) => out.errors.append(&mut problems),
    }
}

/// Row problems, listed up to [`MAX_ROW_ERRORS`] and counted beyond.
#[derive(Default)]
struct RowErrors {
    list: Vec<Problem>,
    more: usize,
}

impl RowErrors {
    fn push(&mut self, p: Problem) {
        if self.list.len() < MAX_ROW_ERRORS {
            self.list.push(p);
        } else {
            self.more += 1;
        }
    }
    fn count(&self) -> usize {
        self.list.len() + self.more
    }
}

/// An amount cell in the §3 grammar; a trailing minus (`1,234.50-`, as some ERPs
/// print credits) is read as negative and tallied as a repair.
fn amount_of(r: &crate::text::Record, i: usize, c: &str, empty_is_zero: bool, file: &str, errs: &mut RowErrors, repairs: &mut Repairs) -> Option<Cents> {
    let v = r.cells[i].trim();
    if v.is_empty() && empty_is_zero {
        return Some(0);
    }
    match parse_amount(v) {
        Ok(a) => Some(a),
        Err(e) => match v.strip_suffix('-').map(parse_amount) {
            Some(Ok(a)) if !v.starts_with('-') && !v.starts_with('(') => {
                let entry = repairs.entry((c.to_string(), "trailing minus".into(), "negative".into())).or_insert((0, r.row));
                entry.0 += 1;
                Some(-a)
            }
            _ => {
                errs.push(Problem::new("E053", file, format!("{v:?}: expected {}", e.0)).at(r.row, c));
                None
            }
        },
    }
}

/// Groups rows by line name with polars and sums each group in checked cents.
fn group_rows(rows: &[GlRow], file: &str) -> Result<Vec<BudgetLine>, Vec<Problem>> {
    let col = |name: &str, f: fn(&GlRow) -> &str| Column::new(name.into(), rows.iter().map(f).collect::<Vec<&str>>());
    let frame = DataFrame::new_infer_height(vec![
        col("fund", |r| &r.fund),
        col("location", |r| &r.location),
        col("code", |r| &r.code),
        col("function", |r| &r.function),
        col("project", |r| &r.project),
        col("kind", |r| r.kind.as_str()),
    ]);
    let groups = frame
        .and_then(|f| f.group_by_stable(["fund", "location", "code", "function", "project", "kind"]).map(|g| g.get_groups().clone()))
        .map_err(|e| vec![Problem::new("E090", file, format!("grouping the rows failed: {e}"))])?;
    let mut lines = Vec::with_capacity(groups.len());
    let mut problems = Vec::new();
    for g in groups.iter() {
        let members: Vec<usize> = match g {
            GroupsIndicator::Idx((_, idx)) => idx.iter().map(|&i| i as usize).collect(),
            GroupsIndicator::Slice([first, len]) => (first as usize..(first + len) as usize).collect(),
        };
        let first = &rows[members[0]];
        let mut amount: Cents = 0;
        let mut fte: Option<rust_decimal::Decimal> = None;
        let mut description = String::new();
        let mut source_rows = Vec::with_capacity(members.len());
        let mut ok = true;
        for &m in &members {
            let r = &rows[m];
            if r.department != first.department {
                problems.push(
                    Problem::new("E018", file, format!(
                        "account {}-{}-{}-{}-{} ({}) is also on row {} with department {}; rows of one line must agree on department (found {})",
                        r.fund, r.location, r.code, r.function, r.project, r.kind.as_str(), first.row, first.department, r.department
                    ))
                    .at(r.row, "department"),
                );
                ok = false;
            }
            match amount.checked_add(r.amount) {
                Some(a) => amount = a,
                None => {
                    problems.push(Problem::new("E053", file, "the line's rows add up to more than Fulcrum can hold").row(r.row));
                    ok = false;
                }
            }
            if let Some(f) = r.fte {
                fte = Some(fte.unwrap_or_default() + f);
            }
            if description.is_empty() {
                description = r.description.clone();
            }
            source_rows.push(r.row);
        }
        if !ok {
            continue;
        }
        let code: u16 = first.code.parse().unwrap_or(0);
        lines.push(BudgetLine {
            fund: first.fund.clone(),
            location: first.location.clone(),
            kind: first.kind,
            code,
            function: first.function.clone(),
            project: first.project.clone(),
            department: first.department.clone(),
            description,
            amount,
            fte,
            rule: Rule::default_for(&first.fund, first.kind, code),
            source_rows,
        });
    }
    if problems.is_empty() { Ok(lines) } else { Err(problems) }
}
