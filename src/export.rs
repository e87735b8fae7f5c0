//! Exports: projections and comparisons to XLSX and CSV, and the package back out.
//!
//! **Exactness.** CSV cells carry money as exact decimal text (`-1234.50`). An
//! XLSX number cell is an IEEE double; [`money_number`] is the one place money
//! becomes one, by parsing the exact decimal text, so the cell holds the double
//! nearest the amount. Every amount below 2^53 cents (about $90 trillion) has a
//! nearest double whose shortest decimal form is the amount itself, which is what
//! Excel shows and what [`crate::workbook`] reads back: the round trip is exact,
//! and a test reads every number back to the cent. Money cells are formatted
//! `#,##0.00`; nothing is computed in the workbook.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::compare::{compare, Comparison};
use crate::error::{Error, Result};
use crate::model::{year_label, AssumptionKey, Package, Rule, Unit};
use crate::money::{cents_str, scaled_str, Cents};
use crate::projection::{Model, Projection, YearResult};
use crate::scenario::{Resolved, Scenario, ScenarioFile, BASELINE};
use crate::text::write_csv_row;

fn xlsx_err(e: XlsxError) -> Error {
    Error::Usage(format!("writing the workbook failed: {e}"))
}

/// The double nearest an amount, from its exact decimal text: the only money-to-f64 step.
pub fn money_number(c: Cents) -> f64 {
    cents_str(c).parse::<f64>().unwrap_or(f64::NAN)
}

/// A value of a figure: exact integer in units of 10^-scale.
#[derive(Clone, Copy)]
struct Value {
    v: i64,
    scale: u32,
}

/// The figures of a year, in the order of the projection table.
const FIGURES: &[(&str, &str, fn(&YearResult) -> Option<Value>)] = &[
    ("membership", "Membership", |y| Some(Value { v: y.membership, scale: 0 })),
    ("revenue_limit", "Revenue limit", |y| Some(Value { v: y.revenue_limit, scale: 2 })),
    ("general_aid", "General aid", |y| Some(Value { v: y.general_aid, scale: 2 })),
    ("levy_limit", "Levy (inside limit)", |y| Some(Value { v: y.levy_limit, scale: 2 })),
    ("levy_total", "Levy (total)", |y| y.levy_total.map(|v| Value { v, scale: 2 })),
    ("mill_rate", "Mill rate", |y| y.mill_rate.map(|v| Value { v, scale: 4 })),
    ("tax_per_100k", "Tax per $100k home", |y| y.tax_per_100k.map(|v| Value { v, scale: 2 })),
    ("revenue", "Revenue", |y| Some(Value { v: y.revenue, scale: 2 })),
    ("expense", "Expense", |y| Some(Value { v: y.expense, scale: 2 })),
    ("surplus", "Surplus (deficit)", |y| Some(Value { v: y.surplus, scale: 2 })),
    ("fund_balance", "Fund balance", |y| Some(Value { v: y.fund_balance, scale: 2 })),
    ("reserve_pct", "Reserve % of expense", |y| y.reserve_pct.map(|v| Value { v, scale: 2 })),
];

fn value_text(v: Option<Value>) -> String {
    v.map(|v| scaled_str(v.v, v.scale)).unwrap_or_default()
}

/// A projection as CSV: one row per figure, one column per year, exact decimal text.
pub fn projection_csv(p: &Projection) -> String {
    let mut out = String::new();
    let header: Vec<String> = ["scenario".to_string(), "figure".into()].into_iter().chain(p.years.iter().map(|y| y.year.to_string())).collect();
    write_csv_row(&mut out, header.iter().map(String::as_str));
    projection_rows(p, &mut out);
    out
}

fn projection_rows(p: &Projection, out: &mut String) {
    for (key, _, f) in FIGURES {
        let row: Vec<String> = [p.scenario.clone(), key.to_string()].into_iter().chain(p.years.iter().map(|y| value_text(f(y)))).collect();
        write_csv_row(out, row.iter().map(String::as_str));
    }
    for l in &p.levers {
        let row: Vec<String> = [p.scenario.clone(), format!("lever:{}", l.id), String::new()]
            .into_iter()
            .chain(l.effect.iter().map(|e| cents_str(*e)))
            .collect();
        write_csv_row(out, row.iter().map(String::as_str));
    }
}

/// A comparison as CSV: every scenario's figures, then each difference against the first.
pub fn comparison_csv(c: &Comparison) -> String {
    let mut out = String::new();
    let Some(first) = c.projections.first() else { return out };
    let header: Vec<String> = ["scenario".to_string(), "figure".into()].into_iter().chain(first.years.iter().map(|y| y.year.to_string())).collect();
    write_csv_row(&mut out, header.iter().map(String::as_str));
    for p in &c.projections {
        projection_rows(p, &mut out);
    }
    for a in &c.attributions {
        let who = format!("{} minus {}", a.to, a.from);
        for (name, v) in [("surplus", &a.surplus), ("fund_balance", &a.fund_balance), ("tax_per_100k", &a.tax_per_100k)] {
            let row: Vec<String> = [who.clone(), format!("difference:{name}"), String::new()].into_iter().chain(v.iter().map(|c| cents_str(*c))).collect();
            write_csv_row(&mut out, row.iter().map(String::as_str));
        }
        for part in &a.contributions {
            let row: Vec<String> = [who.clone(), format!("contribution:{}", part.label), String::new()]
                .into_iter()
                .chain(part.surplus.iter().map(|c| cents_str(*c)))
                .collect();
            write_csv_row(&mut out, row.iter().map(String::as_str));
        }
    }
    out
}

struct Formats {
    bold: Format,
    money: Format,
    rate4: Format,
    pct: Format,
    whole: Format,
}

fn formats() -> Formats {
    Formats {
        bold: Format::new().set_bold(),
        money: Format::new().set_num_format("#,##0.00;[Red]-#,##0.00"),
        rate4: Format::new().set_num_format("0.0000"),
        pct: Format::new().set_num_format("0.00"),
        whole: Format::new().set_num_format("#,##0"),
    }
}

fn write_value(ws: &mut Worksheet, row: u32, col: u16, v: Option<Value>, f: &Formats) -> Result<(), XlsxError> {
    let Some(v) = v else { return Ok(()) };
    let number = scaled_str(v.v, v.scale).parse::<f64>().unwrap_or(f64::NAN);
    let fmt = match v.scale {
        0 => &f.whole,
        4 => &f.rate4,
        _ => &f.money,
    };
    ws.write_number_with_format(row, col, number, fmt)?;
    Ok(())
}

fn header(ws: &mut Worksheet, cells: &[String], f: &Formats) -> Result<(), XlsxError> {
    for (i, c) in cells.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, c, &f.bold)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(s: &str, used: &mut Vec<String>) -> String {
    let clean: String = s.chars().map(|c| if "[]:*?/\\".contains(c) { '-' } else { c }).take(31).collect();
    let mut name = clean.clone();
    let mut n = 2;
    while used.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" {n}");
        name = format!("{}{suffix}", clean.chars().take(31 - suffix.len()).collect::<String>());
        n += 1;
    }
    used.push(name.clone());
    name
}

/// Projections of 1-4 scenarios as one workbook: a side-by-side sheet (for two or
/// more), one sheet per scenario, differences, lever effects, assumptions and the
/// scenario definitions, each with a frozen header row.
pub fn comparison_xlsx(model: &Model, scenarios: &[Resolved], definitions: &[Scenario]) -> Result<Vec<u8>> {
    let projections: Vec<Projection> = scenarios.iter().map(|s| model.project(s)).collect::<Result<_>>()?;
    let comparison = if scenarios.len() >= 2 { Some(compare(model, scenarios)?) } else { None };
    build_xlsx(model, &projections, comparison.as_ref(), definitions, scenarios).map_err(xlsx_err)
}

fn build_xlsx(model: &Model, projections: &[Projection], comparison: Option<&Comparison>, definitions: &[Scenario], scenarios: &[Resolved]) -> Result<Vec<u8>, XlsxError> {
    let f = formats();
    let mut wb = Workbook::new();
    let mut used = Vec::new();
    let years: Vec<i32> = projections.first().map(|p| p.years.iter().map(|y| y.year).collect()).unwrap_or_default();
    let year_header = |first: &[&str]| -> Vec<String> {
        first.iter().map(|s| s.to_string()).chain(years.iter().map(|y| year_label(*y))).collect()
    };
    if projections.len() >= 2 {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name("Side by side", &mut used))?;
        header(ws, &year_header(&["Figure", "Scenario"]), &f)?;
        ws.set_freeze_panes(1, 2)?;
        let mut row = 1;
        for (_, label, get) in FIGURES {
            for p in projections {
                ws.write_string(row, 0, *label)?;
                ws.write_string(row, 1, &p.scenario)?;
                for (i, y) in p.years.iter().enumerate() {
                    write_value(ws, row, 2 + i as u16, get(y), &f)?;
                }
                row += 1;
            }
        }
        ws.set_column_width(0, 24)?;
        ws.set_column_width(1, 22)?;
        for i in 0..years.len() {
            ws.set_column_width(2 + i as u16, 18)?;
        }
    }
    for p in projections {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&p.scenario, &mut used))?;
        header(ws, &year_header(&["Figure"]), &f)?;
        ws.set_freeze_panes(1, 1)?;
        for (r, (_, label, get)) in FIGURES.iter().enumerate() {
            ws.write_string(r as u32 + 1, 0, *label)?;
            for (i, y) in p.years.iter().enumerate() {
                write_value(ws, r as u32 + 1, 1 + i as u16, get(y), &f)?;
            }
        }
        ws.set_column_width(0, 24)?;
        for i in 0..years.len() {
            ws.set_column_width(1 + i as u16, 18)?;
        }
    }
    if let Some(c) = comparison {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name("Differences", &mut used))?;
        let h: Vec<String> = ["Comparison", "Figure", "Change"].iter().map(|s| s.to_string()).chain(years.iter().skip(1).map(|y| year_label(*y))).collect();
        header(ws, &h, &f)?;
        let mut row = 1;
        for a in &c.attributions {
            let who = format!("{} minus {}", a.to, a.from);
            for (name, total, pick) in [("Surplus", &a.surplus, 0), ("Fund balance", &a.fund_balance, 1), ("Tax per $100k", &a.tax_per_100k, 2)] {
                ws.write_string(row, 0, &who)?;
                ws.write_string(row, 1, name)?;
                ws.write_string_with_format(row, 2, "difference", &f.bold)?;
                for (i, v) in total.iter().enumerate() {
                    ws.write_number_with_format(row, 3 + i as u16, money_number(*v), &f.money)?;
                }
                row += 1;
                for part in &a.contributions {
                    let v = match pick {
                        0 => &part.surplus,
                        1 => &part.fund_balance,
                        _ => &part.tax_per_100k,
                    };
                    if v.iter().all(|c| *c == 0) {
                        continue;
                    }
                    ws.write_string(row, 0, &who)?;
                    ws.write_string(row, 1, name)?;
                    ws.write_string(row, 2, &part.label)?;
                    for (i, x) in v.iter().enumerate() {
                        ws.write_number_with_format(row, 3 + i as u16, money_number(*x), &f.money)?;
                    }
                    row += 1;
                }
            }
        }
        ws.set_column_width(0, 36)?;
        ws.set_column_width(2, 40)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name("Lever effects", &mut used))?;
        let h: Vec<String> = ["Scenario", "Lever", "Name"].iter().map(|s| s.to_string()).chain(years.iter().skip(1).map(|y| year_label(*y))).collect();
        header(ws, &h, &f)?;
        let mut row = 1;
        for p in projections {
            for l in &p.levers {
                ws.write_string(row, 0, &p.scenario)?;
                ws.write_string(row, 1, &l.id)?;
                ws.write_string(row, 2, &l.name)?;
                for (i, e) in l.effect.iter().enumerate() {
                    ws.write_number_with_format(row, 3 + i as u16, money_number(*e), &f.money)?;
                }
                row += 1;
            }
        }
        ws.set_column_width(2, 30)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name("Assumptions", &mut used))?;
        header(ws, &["Scenario", "Year", "Key", "Value", "Set by"].map(String::from), &f)?;
        let mut row = 1;
        for p in projections {
            for y in years.iter().skip(1) {
                for key in AssumptionKey::ALL {
                    ws.write_string(row, 0, &p.scenario)?;
                    ws.write_string(row, 1, year_label(*y))?;
                    ws.write_string(row, 2, key.as_str())?;
                    let v = p.assumptions.get(*y, key);
                    let number = v.to_string().parse::<f64>().unwrap_or(f64::NAN);
                    let fmt = match key.unit() {
                        Unit::Money => &f.money,
                        Unit::Members => &f.whole,
                        Unit::Percent => &f.pct,
                    };
                    ws.write_number_with_format(row, 3, number, fmt)?;
                    ws.write_string(row, 4, p.assumptions.source(*y, key).describe())?;
                    row += 1;
                }
            }
        }
        ws.set_column_width(2, 26)?;
        ws.set_column_width(3, 20)?;
        ws.set_column_width(4, 28)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name("Scenarios", &mut used))?;
        header(ws, &["Scenario", "Parent", "Description", "Item", "Id / name", "Definition (MODEL.md §9 JSON)"].map(String::from), &f)?;
        let wrap = Format::new().set_align(FormatAlign::Top);
        let mut row = 1;
        for r in scenarios {
            let Some(s) = definitions.iter().find(|d| d.name == r.name) else {
                ws.write_string(row, 0, &r.name)?;
                ws.write_string(row, 2, if r.name == BASELINE { "the package alone: no referendum, lever or override" } else { "" })?;
                row += 1;
                continue;
            };
            let mut put = |item: &str, id: &str, json: String| -> Result<(), XlsxError> {
                ws.write_string_with_format(row, 0, &s.name, &wrap)?;
                ws.write_string(row, 1, s.parent.as_deref().unwrap_or(""))?;
                ws.write_string(row, 2, &s.description)?;
                ws.write_string(row, 3, item)?;
                ws.write_string(row, 4, id)?;
                ws.write_string(row, 5, json)?;
                row += 1;
                Ok(())
            };
            put("scenario", &s.name, String::new())?;
            for x in &s.referenda {
                put("referendum", &x.name, to_json(x))?;
            }
            for x in &s.levers {
                put("lever", &x.id, to_json(x))?;
            }
            for x in &s.assumptions {
                put("assumption", &format!("{} {}", x.key, x.year), to_json(x))?;
            }
            for x in &s.overrides {
                put("override", &format!("{} {}", x.line, x.year), to_json(x))?;
            }
        }
        ws.set_column_width(0, 22)?;
        ws.set_column_width(2, 30)?;
        ws.set_column_width(4, 30)?;
        ws.set_column_width(5, 80)?;
    }
    let _ = model;
    wb.save_to_buffer()
}

/// A scenario item's JSON text.
fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The package as its MODEL.md §3 tables: (file stem, header, rows), exact text.
pub fn package_tables(pkg: &Package) -> Vec<(&'static str, Vec<&'static str>, Vec<Vec<String>>)> {
    let d = &pkg.district;
    let mut out = Vec::new();
    out.push((
        "district",
        vec!["key", "value"],
        vec![
            vec!["name".into(), d.name.clone()],
            vec!["base_year".into(), d.base_year.to_string()],
            vec!["horizon".into(), d.horizon.to_string()],
            vec!["revenue_limit_recurring_base".into(), cents_str(d.revenue_limit_recurring_base)],
            vec!["reserve_policy_pct".into(), d.reserve_policy_pct.to_string()],
        ],
    ));
    out.push(("membership", vec!["year", "membership"], pkg.membership.iter().map(|(y, m)| vec![y.to_string(), m.to_string()]).collect()));
    out.push((
        "funds",
        vec!["fund", "name", "opening_balance", "operating"],
        pkg.funds.iter().map(|f| vec![f.code.clone(), f.name.clone(), cents_str(f.opening_balance), f.operating.to_string()]).collect(),
    ));
    out.push((
        "departments",
        vec!["code", "name", "kind"],
        pkg.departments.iter().map(|x| vec![x.code.clone(), x.name.clone(), x.kind.as_str().into()]).collect(),
    ));
    out.push((
        "budget_lines",
        vec!["fund", "location", "kind", "code", "function", "project", "department", "description", "amount", "fte", "rule"],
        pkg.lines
            .iter()
            .map(|l| {
                let default = Rule::default_for(&l.fund, l.kind, l.code);
                vec![
                    l.fund.clone(),
                    l.location.clone(),
                    l.kind.as_str().into(),
                    format!("{:03}", l.code),
                    l.function.clone(),
                    l.project.clone(),
                    l.department.clone(),
                    l.description.clone(),
                    cents_str(l.amount),
                    l.fte.map(|f| f.to_string()).unwrap_or_default(),
                    if l.rule == default { String::new() } else { l.rule.as_str().into() },
                ]
            })
            .collect(),
    ));
    out.push((
        "assumptions",
        vec!["year", "key", "value"],
        pkg.assumptions.iter().map(|((y, k), v)| vec![y.to_string(), k.as_str().into(), v.to_string()]).collect(),
    ));
    out
}

/// Writes the package as a folder of CSV files (and `scenarios.json`) that imports back identically.
pub fn package_csv(pkg: &Package, scenarios: &[Scenario], dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Io { path: dir.to_path_buf(), source: e })?;
    for (stem, head, rows) in package_tables(pkg) {
        let mut text = String::new();
        write_csv_row(&mut text, head.iter().copied());
        for r in &rows {
            write_csv_row(&mut text, r.iter().map(String::as_str));
        }
        let path = dir.join(format!("{stem}.csv"));
        std::fs::write(&path, text).map_err(|e| Error::Io { path, source: e })?;
    }
    if !scenarios.is_empty() {
        let json = serde_json::to_string_pretty(&ScenarioFile { scenarios: scenarios.to_vec() }).map_err(|e| Error::Usage(e.to_string()))?;
        let path = dir.join("scenarios.json");
        std::fs::write(&path, json + "\n").map_err(|e| Error::Io { path, source: e })?;
    }
    Ok(())
}

/// The columns of the package workbook that hold money (written as formatted numbers).
fn money_column(stem: &str, col: &str) -> bool {
    matches!((stem, col), ("budget_lines", "amount") | ("funds", "opening_balance"))
}

/// Writes the package as one workbook, a sheet per file; codes stay text, money is numbers.
pub fn package_xlsx(pkg: &Package) -> Result<Vec<u8>> {
    (|| -> Result<Vec<u8>, XlsxError> {
        let f = formats();
        let mut wb = Workbook::new();
        for (stem, head, rows) in package_tables(pkg) {
            let ws = wb.add_worksheet();
            ws.set_name(stem)?;
            header(ws, &head.iter().map(|s| s.to_string()).collect::<Vec<_>>(), &f)?;
            for (r, cells) in rows.iter().enumerate() {
                for (c, text) in cells.iter().enumerate() {
                    let (row, col) = (r as u32 + 1, c as u16);
                    if money_column(stem, head[c]) {
                        let cents = crate::money::parse_amount(text).unwrap_or(0);
                        ws.write_number_with_format(row, col, money_number(cents), &f.money)?;
                    } else if !text.is_empty() {
                        ws.write_string(row, col, text)?;
                    }
                }
            }
            for c in 0..head.len() {
                ws.set_column_width(c as u16, 16)?;
            }
        }
        wb.save_to_buffer()
    })()
    .map_err(xlsx_err)
}
