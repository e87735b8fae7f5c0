//! Projections as people and programs read them: the JSON of MODEL.md §10 and text tables.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::model::{year_label, FiscalYear};
use crate::money::{cents_str, format_dollars, group_thousands, scaled_str, Cents};
use crate::projection::{Projection, YearResult};

/// Money in JSON as exact decimal text (`"-1234.50"`), for `#[serde(serialize_with)]`.
pub fn cents_json<S: serde::Serializer>(c: &Cents, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&cents_str(*c))
}

/// Optional money in JSON: exact decimal text, or `null`.
pub fn opt_cents_json<S: serde::Serializer>(c: &Option<Cents>, s: S) -> Result<S::Ok, S::Error> {
    match c {
        Some(c) => cents_json(c, s),
        None => s.serialize_none(),
    }
}

/// One year of MODEL.md §10; money and rates are strings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YearJson {
    pub year: FiscalYear,
    pub label: String,
    pub membership: i64,
    pub revenue_limit: String,
    pub general_aid: String,
    pub levy_limit: String,
    pub levy_total: Option<String>,
    pub mill_rate: Option<String>,
    pub tax_per_100k: Option<String>,
    pub revenue: String,
    pub expense: String,
    pub surplus: String,
    pub fund_balance: String,
    pub reserve_pct: Option<String>,
    /// Extra key: `reserve_pct` is under the district's policy.
    pub below_policy: bool,
}

/// A lever's effect on the operating surplus by year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LeverJson {
    pub id: String,
    pub name: String,
    pub effect: BTreeMap<String, String>,
}

/// `fulcrum project --json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectionJson {
    pub scenario: String,
    pub base_year: FiscalYear,
    pub years: Vec<YearJson>,
    pub levers: Vec<LeverJson>,
}

impl YearJson {
    pub fn of(y: &YearResult) -> YearJson {
        YearJson {
            year: y.year,
            label: year_label(y.year),
            membership: y.membership,
            revenue_limit: cents_str(y.revenue_limit),
            general_aid: cents_str(y.general_aid),
            levy_limit: cents_str(y.levy_limit),
            levy_total: y.levy_total.map(cents_str),
            mill_rate: y.mill_rate.map(|m| scaled_str(m, 4)),
            tax_per_100k: y.tax_per_100k.map(cents_str),
            revenue: cents_str(y.revenue),
            expense: cents_str(y.expense),
            surplus: cents_str(y.surplus),
            fund_balance: cents_str(y.fund_balance),
            reserve_pct: y.reserve_pct.map(|r| scaled_str(r, 2)),
            below_policy: y.below_policy,
        }
    }
}

impl ProjectionJson {
    pub fn of(p: &Projection) -> ProjectionJson {
        ProjectionJson {
            scenario: p.scenario.clone(),
            base_year: p.base_year,
            years: p.years.iter().map(YearJson::of).collect(),
            levers: p
                .levers
                .iter()
                .map(|l| LeverJson {
                    id: l.id.clone(),
                    name: l.name.clone(),
                    effect: l
                        .effect
                        .iter()
                        .enumerate()
                        .map(|(i, e)| ((p.base_year + 1 + i as i32).to_string(), cents_str(*e)))
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A figure of the year table: its label and how to read it off a year.
pub struct Row {
    pub key: &'static str,
    pub label: &'static str,
    pub cell: fn(&YearResult) -> String,
}

fn money(c: Cents) -> String {
    format_dollars(c)
}

fn opt(v: Option<String>) -> String {
    v.unwrap_or_else(|| "—".into())
}

/// The rows of a projection table, in the order a chief reads them.
pub const ROWS: &[Row] = &[
    Row { key: "membership", label: "Membership", cell: |y| group_thousands(y.membership.unsigned_abs()) },
    Row { key: "revenue_limit", label: "Revenue limit", cell: |y| money(y.revenue_limit) },
    Row { key: "general_aid", label: "General aid", cell: |y| money(y.general_aid) },
    Row { key: "levy_limit", label: "Levy (inside limit)", cell: |y| money(y.levy_limit) },
    Row { key: "levy_total", label: "Levy (total)", cell: |y| opt(y.levy_total.map(money)) },
    Row { key: "mill_rate", label: "Mill rate", cell: |y| opt(y.mill_rate.map(|m| scaled_str(m, 4))) },
    Row { key: "tax_per_100k", label: "Tax per $100k home", cell: |y| opt(y.tax_per_100k.map(money)) },
    Row { key: "revenue", label: "Revenue", cell: |y| money(y.revenue) },
    Row { key: "expense", label: "Expense", cell: |y| money(y.expense) },
    Row { key: "surplus", label: "Surplus (deficit)", cell: |y| money(y.surplus) },
    Row { key: "fund_balance", label: "Fund balance", cell: |y| money(y.fund_balance) },
    Row {
        key: "reserve_pct",
        label: "Reserve % of expense",
        cell: |y| {
            let pct = opt(y.reserve_pct.map(|r| format!("{} %", scaled_str(r, 2))));
            if y.below_policy { format!("{pct} !") } else { pct }
        },
    },
];

/// Lays out rows of cells under a header, right-aligned, first column left.
pub fn layout(header: &[String], rows: &[Vec<String>]) -> String {
    let cols = header.len();
    let mut width = vec![0; cols];
    for r in std::iter::once(header).chain(rows.iter().map(|r| r.as_slice())) {
        for (i, c) in r.iter().enumerate() {
            width[i] = width[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    for (n, r) in std::iter::once(header).chain(rows.iter().map(|r| r.as_slice())).enumerate() {
        for (i, c) in r.iter().enumerate() {
            let pad = width[i] - c.chars().count();
            if i == 0 {
                let _ = write!(out, "{c}{}", " ".repeat(pad));
            } else {
                let _ = write!(out, "  {}{c}", " ".repeat(pad));
            }
        }
        out.truncate(out.trim_end_matches(' ').len());
        out.push('\n');
        if n == 0 {
            out.push_str(&"-".repeat(width.iter().sum::<usize>() + 2 * (cols - 1)));
            out.push('\n');
        }
    }
    out
}

/// The readable table of `fulcrum project`.
pub fn projection_table(p: &Projection, district: &str, policy: &str) -> String {
    let mut header = vec![format!("{} — {}", district, p.scenario)];
    header.extend(p.years.iter().map(|y| year_label(y.year)));
    let mut rows: Vec<Vec<String>> = ROWS
        .iter()
        .map(|r| std::iter::once(r.label.to_string()).chain(p.years.iter().map(|y| (r.cell)(y))).collect())
        .collect();
    if !p.levers.is_empty() {
        rows.push(vec![String::new(); header.len()]);
        for l in &p.levers {
            let mut row = vec![format!("Lever: {}", l.name), "—".into()];
            row.extend(l.effect.iter().map(|e| money(*e)));
            rows.push(row);
        }
    }
    let mut out = layout(&header, &rows);
    if p.years.iter().any(|y| y.below_policy) {
        let _ = writeln!(out, "! reserve below the {policy} % policy");
    }
    out
}
