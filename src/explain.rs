//! Where a number comes from: any figure of a projection as its formula with the
//! actual inputs substituted, down to the assumptions and lines it came from.

use std::fmt::Write as _;

use serde::Serialize;

use crate::assumptions::Source;
use crate::error::{Error, Result};
use crate::model::{year_label, AssumptionKey as K, FiscalYear, LineKind, Rule, Unit};
use crate::money::{cents_str, format_dollars, group_thousands, scaled_str, Cents};
use crate::projection::{LimitYear, Model, Projection, YearResult};
use crate::scenario::{LeverAction, ReferendumKind, Resolved};

/// One figure and how it was reached.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Derivation {
    /// What the figure is, e.g. `tax_per_100k`, `line:10-001-110-120000-000/expense`.
    pub figure: String,
    pub year: FiscalYear,
    /// For people: "Tax per $100,000 of home value, 2024-25".
    pub label: String,
    /// The exact value, as in the JSON output.
    pub value: String,
    /// The value for people ("$663.46").
    pub display: String,
    /// The formula in MODEL.md's terms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
    /// The formula with the inputs substituted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working: Option<String>,
    /// Where an input came from (a file and row, a scenario, a lever).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub inputs: Vec<Derivation>,
}

/// `12,470.75`: money in a working line.
fn n(c: Cents) -> String {
    let s = format_dollars(c);
    s.replacen('$', "", 1)
}

fn members(m: i64) -> String {
    if m < 0 { format!("-{}", group_thousands(m.unsigned_abs())) } else { group_thousands(m as u64) }
}

impl Derivation {
    fn money(figure: impl Into<String>, year: FiscalYear, label: impl Into<String>, c: Cents) -> Derivation {
        Derivation {
            figure: figure.into(),
            year,
            label: label.into(),
            value: cents_str(c),
            display: format_dollars(c),
            formula: None,
            working: None,
            source: None,
            inputs: Vec::new(),
        }
    }

    fn count(figure: impl Into<String>, year: FiscalYear, label: impl Into<String>, m: i64) -> Derivation {
        Derivation { value: m.to_string(), display: members(m), ..Derivation::money(figure, year, label, 0) }
    }

    fn formula(mut self, formula: impl Into<String>, working: impl Into<String>) -> Derivation {
        self.formula = Some(formula.into());
        self.working = Some(working.into());
        self
    }

    fn source(mut self, source: impl Into<String>) -> Derivation {
        self.source = Some(source.into());
        self
    }

    fn inputs(mut self, inputs: Vec<Derivation>) -> Derivation {
        self.inputs = inputs;
        self
    }

    /// The derivation as an indented text tree, `depth` levels deep (0 = all).
    pub fn render(&self, depth: usize) -> String {
        let mut out = String::new();
        self.render_into(&mut out, 0, depth);
        out
    }

    fn render_into(&self, out: &mut String, level: usize, depth: usize) {
        let pad = "  ".repeat(level);
        let _ = writeln!(out, "{pad}{} = {}", self.label, self.display);
        if let (Some(f), Some(w)) = (&self.formula, &self.working) {
            let _ = writeln!(out, "{pad}    = {f}");
            let _ = writeln!(out, "{pad}    = {w}");
        }
        if let Some(s) = &self.source {
            let _ = writeln!(out, "{pad}    ← {s}");
        }
        if depth == 0 || level + 1 < depth {
            for i in &self.inputs {
                i.render_into(out, level + 1, depth);
            }
        }
    }
}

/// The figures `explain` knows, besides `line:NAME`, `lever:ID` and `fund:CODE`.
pub const FIGURES: &[&str] = &[
    "revenue_limit",
    "revenue_limit_recurring",
    "rl_formula",
    "per_member",
    "avg_prev",
    "avg_cur",
    "decline",
    "ref_cum",
    "general_aid",
    "levy_limit",
    "levy_total",
    "mill_rate",
    "tax_per_100k",
    "transfer_27",
    "revenue",
    "expense",
    "surplus",
    "fund_balance",
    "reserve_pct",
    "membership",
];

/// Explains one figure of a projection of `scenario` in `year`.
pub fn explain(model: &Model, scenario: &Resolved, p: &Projection, year: FiscalYear, figure: &str) -> Result<Derivation> {
    let x = Explainer { model, scenario, p };
    let b = p.base_year;
    if p.year(year).is_none() {
        return Err(Error::Usage(format!(
            "year {year} is not in the projection ({b}…{}); years are named by the calendar year they end in (2025 = 2024-25)",
            b + p.years.len() as i32 - 1
        )));
    }
    if let Some(name) = figure.strip_prefix("line:") {
        let line = model.line_by_name(name).ok_or_else(|| Error::Usage(format!("no budget line named {name:?}")))?;
        return Ok(x.line(line, year));
    }
    if let Some(id) = figure.strip_prefix("lever:") {
        let lever = scenario.levers.iter().position(|l| l.id == id).ok_or_else(|| {
            Error::Usage(format!("scenario {:?} has no lever {id:?}", scenario.name))
        })?;
        if year == b {
            return Err(Error::Usage(format!("levers act from {} on; {year} is the base year", b + 1)));
        }
        return Ok(x.lever(lever, year));
    }
    if let Some(code) = figure.strip_prefix("fund:") {
        let f = model.fund_by_code(code).ok_or_else(|| Error::Usage(format!("no fund {code:?} in the district")))?;
        return Ok(x.fund_close(f, year));
    }
    if !FIGURES.contains(&figure) {
        return Err(Error::Usage(format!(
            "cannot explain {figure:?}; try one of {}, or line:NAME, lever:ID, fund:CODE",
            FIGURES.join(", ")
        )));
    }
    x.year_figure(figure, year)
}

struct Explainer<'a> {
    model: &'a Model,
    scenario: &'a Resolved,
    p: &'a Projection,
}

impl Explainer<'_> {
    fn y(&self, t: FiscalYear) -> &YearResult {
        &self.p.years[(t - self.p.base_year) as usize]
    }

    fn limit(&self, t: FiscalYear) -> Option<&LimitYear> {
        self.y(t).limit.as_ref()
    }

    fn base(&self) -> FiscalYear {
        self.p.base_year
    }

    fn label(&self, what: &str, t: FiscalYear) -> String {
        format!("{what}, {}", year_label(t))
    }

    fn assumption(&self, key: K, t: FiscalYear) -> Derivation {
        let v = self.p.assumptions.get(t, key);
        let source = match self.p.assumptions.source(t, key) {
            Source::Package => format!("assumptions.csv ({t}, {key})"),
            Source::Scenario => format!("scenario {:?}, assumption ({t}, {key})", self.scenario.name),
            Source::Lever(id) => format!("lever {id:?} of scenario {:?}", self.scenario.name),
        };
        let display = match key.unit() {
            Unit::Members => members(v.trunc().mantissa() as i64),
            Unit::Percent => format!("{v} %"),
            Unit::Money => format!("${}", n((v * rust_decimal::Decimal::ONE_HUNDRED).trunc().mantissa() as i64)),
        };
        Derivation {
            figure: key.as_str().to_string(),
            year: t,
            label: self.label(key.as_str(), t),
            value: v.to_string(),
            display,
            formula: None,
            working: None,
            source: Some(source),
            inputs: Vec::new(),
        }
    }

    fn membership(&self, t: FiscalYear) -> Derivation {
        if t <= self.base() {
            let m = self.model.package().membership.get(&t).copied().unwrap_or(0);
            Derivation::count("membership", t, self.label("membership", t), m).source(format!("membership.csv ({t})"))
        } else {
            self.assumption(K::Membership, t)
        }
    }

    fn m(&self, t: FiscalYear) -> i64 {
        if t <= self.base() {
            self.model.package().membership.get(&t).copied().unwrap_or(0)
        } else {
            self.y(t).membership
        }
    }

    fn average(&self, figure: &str, t: FiscalYear, last: FiscalYear, value: i64) -> Derivation {
        let (a, b, c) = (self.m(last - 2), self.m(last - 1), self.m(last));
        Derivation::count(figure, t, self.label(figure, t), value)
            .formula(
                format!("R0((M({}) + M({}) + M({})) / 3)", last - 2, last - 1, last),
                format!("R0(({} + {} + {}) / 3) = {}", members(a), members(b), members(c), members(value)),
            )
            .inputs((last - 2..=last).map(|s| self.membership(s)).collect())
    }

    fn rl_rec(&self, t: FiscalYear) -> Derivation {
        let what = "revenue_limit_recurring";
        if t == self.base() {
            let v = self.model.package().district.revenue_limit_recurring_base;
            return Derivation::money(what, t, self.label("recurring revenue limit RLrec", t), v)
                .source("district.csv (revenue_limit_recurring_base)");
        }
        let l = self.limit(t).cloned().unwrap_or_default();
        Derivation::money(what, t, self.label("recurring revenue limit RLrec", t), l.rl_rec)
            .formula(
                "rl_formula + ref_rec + exemption_recurring",
                format!("{} + {} + {} = {}", n(l.rl_formula), n(l.ref_rec), n(l.exemption_recurring), n(l.rl_rec)),
            )
            .inputs(vec![self.rl_formula(t), self.referendum(t, ReferendumKind::Recurring), self.assumption(K::ExemptionRecurring, t)])
    }

    fn per_member(&self, t: FiscalYear) -> Derivation {
        let l = self.limit(t).cloned().unwrap_or_default();
        let mut d = Derivation::money("per_member", t, self.label("revenue limit per member", t), l.per_member).formula(
            "max(R(RLrec(t-1) / avg_prev) + PPA, LRC)",
            format!(
                "max(R({} / {}) + {}, {}) = max({} + {}, {}) = {}",
                n(l.rl_rec_prev),
                members(l.avg_prev),
                n(l.ppa),
                n(l.lrc),
                n(l.base_per_member),
                n(l.ppa),
                n(l.lrc),
                n(l.per_member)
            ),
        );
        if l.lrc > l.base_per_member + l.ppa {
            d.source = Some("the low revenue ceiling applies".into());
        }
        d.inputs(vec![
            self.rl_rec(t - 1),
            self.average("avg_prev", t, t - 1, l.avg_prev),
            self.assumption(K::PerPupilAdjustment, t),
            self.assumption(K::LowRevenueCeiling, t),
        ])
    }

    fn rl_formula(&self, t: FiscalYear) -> Derivation {
        let l = self.limit(t).cloned().unwrap_or_default();
        Derivation::money("rl_formula", t, self.label("revenue limit by formula", t), l.rl_formula)
            .formula(
                "R(per_member × avg_cur)",
                format!("R({} × {}) = {}", n(l.per_member), members(l.avg_cur), n(l.rl_formula)),
            )
            .inputs(vec![self.per_member(t), self.average("avg_cur", t, t, l.avg_cur)])
    }

    fn decline(&self, t: FiscalYear) -> Derivation {
        let l = self.limit(t).cloned().unwrap_or_default();
        let d = Derivation::money("decline", t, self.label("declining-enrollment exemption", t), l.decline).formula(
            "R(per_member × max(0, avg_prev − avg_cur))",
            format!(
                "R({} × max(0, {} − {})) = {}",
                n(l.per_member),
                members(l.avg_prev),
                members(l.avg_cur),
                n(l.decline)
            ),
        );
        d.source("automatic, non-recurring")
    }

    /// New recurring (or this year's non-recurring) referendum authority in `t`.
    fn referendum(&self, t: FiscalYear, kind: ReferendumKind) -> Derivation {
        let (figure, what) = match kind {
            ReferendumKind::Recurring => ("ref_rec", "new recurring referendum authority"),
            ReferendumKind::Nonrecurring => ("ref_non", "non-recurring referendum authority"),
        };
        let mut parts = Vec::new();
        let mut total = 0;
        for r in self.scenario.referenda.iter().filter(|r| r.kind == kind) {
            for e in r.schedule.iter().filter(|e| e.year == t) {
                let c = crate::money::to_cents(e.amount).unwrap_or(0);
                total += c;
                parts.push(
                    Derivation::money(figure, t, format!("referendum {:?}, {}", r.name, year_label(t)), c)
                        .source(format!("scenario {:?}, referendum schedule", self.scenario.name)),
                );
            }
        }
        let d = Derivation::money(figure, t, self.label(what, t), total);
        if parts.is_empty() {
            d.source(format!("scenario {:?} has none in this year", self.scenario.name))
        } else {
            let working = parts.iter().map(|p| p.display.replacen('$', "", 1)).collect::<Vec<_>>().join(" + ");
            d.formula("Σ the scenario's referenda in this year", format!("{working} = {}", n(total))).inputs(parts)
        }
    }

    fn revenue_limit(&self, t: FiscalYear) -> Derivation {
        if t == self.base() {
            return self.rl_rec(t);
        }
        let y = self.y(t);
        let l = self.limit(t).cloned().unwrap_or_default();
        Derivation::money("revenue_limit", t, self.label("revenue limit RL", t), y.revenue_limit)
            .formula(
                "RLrec + ref_non + decline + exemption_nonrecurring",
                format!(
                    "{} + {} + {} + {} = {}",
                    n(l.rl_rec),
                    n(l.ref_non),
                    n(l.decline),
                    n(l.exemption_nonrecurring),
                    n(y.revenue_limit)
                ),
            )
            .inputs(vec![
                self.rl_rec(t),
                self.referendum(t, ReferendumKind::Nonrecurring),
                self.decline(t),
                self.assumption(K::ExemptionNonrecurring, t),
            ])
    }

    fn ref_cum(&self, t: FiscalYear) -> Derivation {
        let label = self.label("cumulative referendum authority ref_cum", t);
        if t == self.base() {
            return Derivation::money("ref_cum", t, label, 0).source("0 in the base year (MODEL.md §6)");
        }
        let l = self.limit(t).cloned().unwrap_or_default();
        let rec_sum = l.ref_cum - l.ref_non;
        Derivation::money("ref_cum", t, label, l.ref_cum)
            .formula(
                format!("Σ ref_rec({}…{t}) + ref_non({t})", self.base() + 1),
                format!("{} + {} = {}", n(rec_sum), n(l.ref_non), n(l.ref_cum)),
            )
            .inputs(
                (self.base() + 1..=t)
                    .map(|s| self.referendum(s, ReferendumKind::Recurring))
                    .chain(std::iter::once(self.referendum(t, ReferendumKind::Nonrecurring)))
                    .collect(),
            )
    }

    /// Fund-10 lines with a computed rule, summed (base-year levy or aid).
    fn computed_lines(&self, figure: &str, what: &str, rule: Rule, t: FiscalYear, value: Cents) -> Derivation {
        let pkg = self.model.package();
        let lines: Vec<usize> = (0..pkg.lines.len()).filter(|&i| pkg.lines[i].rule == rule).collect();
        let d = Derivation::money(figure, t, self.label(what, t), value);
        let parts: Vec<Derivation> = lines.iter().map(|&i| self.line(i, t)).collect();
        let working = lines.iter().map(|&i| n(self.p.line_amount(self.model, i, t).unwrap_or(0))).collect::<Vec<_>>().join(" + ");
        d.formula(format!("Σ imported {} lines", rule.as_str()), format!("{working} = {}", n(value))).inputs(parts)
    }

    fn general_aid(&self, t: FiscalYear) -> Derivation {
        let y = self.y(t);
        if t == self.base() {
            return self.computed_lines("general_aid", "general aid (fund 10, source 621)", Rule::GeneralAid, t, y.general_aid);
        }
        let l = self.limit(t).cloned().unwrap_or_default();
        let share = self.p.assumptions.get(t, K::ReferendumAidSharePct);
        Derivation::money("general_aid", t, self.label("general aid", t), y.general_aid)
            .formula(
                "GA + R(referendum_aid_share_pct × ref_cum(t-1) / 100)",
                format!("{} + R({share} × {} / 100) = {} + {} = {}", n(l.ga), n(l.ref_cum_prev), n(l.ga), n(l.referendum_aid), n(y.general_aid)),
            )
            .inputs(vec![self.assumption(K::GeneralAid, t), self.assumption(K::ReferendumAidSharePct, t), self.ref_cum(t - 1)])
    }

    fn levy_limit(&self, t: FiscalYear) -> Derivation {
        let y = self.y(t);
        if t == self.base() {
            return self.computed_lines("levy_limit", "levy (fund 10, source 211)", Rule::Levy, t, y.levy_limit);
        }
        Derivation::money("levy_limit", t, self.label("levy inside the limit", t), y.levy_limit)
            .formula("RL − aid", format!("{} − {} = {}", n(y.revenue_limit), n(y.general_aid), n(y.levy_limit)))
            .inputs(vec![self.revenue_limit(t), self.general_aid(t)])
    }

    fn levy_total(&self, t: FiscalYear) -> Result<Derivation> {
        let y = self.y(t);
        let total = self.after_base(y.levy_total, "levy_total", t)?;
        let l = self.limit(t).cloned().unwrap_or_default();
        Ok(Derivation::money("levy_total", t, self.label("total levy", t), total)
            .formula("levy_limit + levy_outside_limit", format!("{} + {} = {}", n(y.levy_limit), n(l.levy_outside), n(total)))
            .inputs(vec![self.levy_limit(t), self.assumption(K::LevyOutsideLimit, t)]))
    }

    fn after_base<T>(&self, v: Option<T>, figure: &str, t: FiscalYear) -> Result<T> {
        v.ok_or_else(|| Error::Usage(format!("{figure} is not computed for the base year {t} (MODEL.md §6: it is null)")))
    }

    fn fund_code(&self, f: usize) -> &str {
        &self.model.package().funds[f].code
    }

    /// A fund's revenue or expense in `t`, split into lines, computed amounts and levers.
    fn fund_flow(&self, f: usize, t: FiscalYear, kind: LineKind) -> Derivation {
        let fy = &self.y(t).funds[f];
        let code = self.fund_code(f).to_string();
        let (lines, computed, levers, total, what) = match kind {
            LineKind::Revenue => (fy.lines_revenue, fy.computed_revenue, fy.levers_revenue, fy.revenue, "revenue"),
            LineKind::Expense => (fy.lines_expense, fy.computed_expense, fy.levers_expense, fy.expense, "expense"),
        };
        let pkg = self.model.package();
        let count = pkg
            .lines
            .iter()
            .filter(|l| l.fund == code && l.kind == kind && (t == self.base() || !l.rule.is_computed()))
            .count();
        let lines_d = Derivation::money(format!("fund:{code}:{what}_lines"), t, format!("{count} {what} lines of fund {code}, as projected"), lines)
            .source("budget_lines.csv, grown by their rules (explain line:NAME for one line)".to_string());
        let mut inputs = vec![lines_d];
        let mut working = vec![n(lines)];
        if t > self.base() {
            let computed_d = if kind == LineKind::Revenue && code == "10" {
                Derivation::money("fund:10:computed", t, self.label("levy inside the limit + general aid", t), computed)
                    .formula("levy_limit + aid", format!("{} + {} = {}", n(self.y(t).levy_limit), n(self.y(t).general_aid), n(computed)))
                    .inputs(vec![self.levy_limit(t), self.general_aid(t)])
            } else if computed != 0 || (code == "10" || code == "27") {
                self.transfer(t)
            } else {
                Derivation::money(format!("fund:{code}:computed"), t, "computed amounts", 0)
            };
            if computed != 0 || code == "10" || code == "27" {
                inputs.push(computed_d);
                working.push(n(computed));
            }
            let lever_parts: Vec<Derivation> = self
                .p
                .levers
                .iter()
                .enumerate()
                .filter_map(|(i, l)| {
                    let (r, e) = l.booked[(t - self.base() - 1) as usize][f];
                    let v = if kind == LineKind::Revenue { r } else { e };
                    (v != 0).then(|| {
                        Derivation::money(format!("lever:{}", l.id), t, format!("lever {:?} booked to fund {code} {what}", l.name), v)
                            .source(format!("scenario {:?} (explain lever:{})", self.scenario.name, self.scenario.levers[i].id))
                    })
                })
                .collect();
            if !lever_parts.is_empty() || levers != 0 {
                inputs.push(
                    Derivation::money(format!("fund:{code}:levers"), t, format!("levers booked to fund {code} {what}"), levers)
                        .inputs(lever_parts),
                );
                working.push(n(levers));
            }
        }
        Derivation::money(format!("fund:{code}:{what}"), t, self.label(&format!("fund {code} {what}"), t), total)
            .formula("lines + computed amounts + lever bookings", format!("{} = {}", working.join(" + ").replace("+ -", "− "), n(total)))
            .inputs(inputs)
    }

    fn transfer(&self, t: FiscalYear) -> Derivation {
        let y = self.y(t);
        let label = self.label("transfer to special education T (fund 10 → 27)", t);
        let Some(f27) = self.model.fund_by_code("27") else {
            return Derivation::money("transfer_27", t, label, 0).source("no fund 27 in funds.csv, so T = 0");
        };
        if t == self.base() {
            let pkg = self.model.package();
            let lines: Vec<usize> =
                (0..pkg.lines.len()).filter(|&i| pkg.lines[i].rule == Rule::Transfer27 && pkg.lines[i].kind == LineKind::Expense).collect();
            let total = lines.iter().map(|&i| pkg.lines[i].amount).sum();
            return Derivation::money("transfer_27", t, label, total)
                .source("the imported fund-10 transfer_27 expense lines")
                .inputs(lines.into_iter().map(|i| self.line(i, t)).collect());
        }
        let fy = &y.funds[f27];
        let exp = fy.lines_expense + fy.levers_expense;
        let rev = fy.lines_revenue + fy.levers_revenue;
        Derivation::money("transfer_27", t, label, exp - rev)
            .formula("exp(27) − rev_other(27)", format!("{} − {} = {}", n(exp), n(rev), n(exp - rev)))
            .source("MODEL.md §6: fund 27 holds no balance of its own, fund 10 transfers what balances it")
    }

    fn operating(&self) -> Vec<usize> {
        (0..self.model.package().funds.len()).filter(|&f| self.model.package().funds[f].operating).collect()
    }

    fn total(&self, t: FiscalYear, kind: LineKind) -> Derivation {
        let y = self.y(t);
        let (value, netted, what) = match kind {
            LineKind::Revenue => (y.revenue, y.transfer_in, "revenue"),
            LineKind::Expense => (y.expense, y.transfer_out, "expense"),
        };
        let mut inputs: Vec<Derivation> = self.operating().into_iter().map(|f| self.fund_flow(f, t, kind)).collect();
        let mut working: Vec<String> = inputs.iter().map(|d| d.display.replacen('$', "", 1)).collect();
        let mut formula = format!("Σ {what} of the operating funds");
        if netted != 0 {
            formula.push_str(" − the fund 10 → 27 transfer");
            working.push(format!("− {}", n(netted)));
            inputs.push(self.transfer(t));
        }
        Derivation::money(what, t, self.label(&format!("operating {what}"), t), value)
            .formula(formula, format!("{} = {}", working.join(" + ").replace("+ −", "−"), n(value)))
            .inputs(inputs)
    }

    fn fund_close(&self, f: usize, t: FiscalYear) -> Derivation {
        let y = self.y(t);
        let fy = &y.funds[f];
        let fund = &self.model.package().funds[f];
        let label = self.label(&format!("fund {} ({}) closing balance", fund.code, fund.name), t);
        let (open, open_d) = if t == self.base() {
            (
                fund.opening_balance,
                Derivation::money(format!("fund:{}:opening", fund.code), t, format!("fund {} opening balance", fund.code), fund.opening_balance)
                    .source(format!("funds.csv (fund {})", fund.code)),
            )
        } else {
            (self.y(t - 1).funds[f].close, self.fund_close(f, t - 1))
        };
        Derivation::money(format!("fund:{}", fund.code), t, label, fy.close)
            .formula("close(t-1) + rev − exp", format!("{} + {} − {} = {}", n(open), n(fy.revenue), n(fy.expense), n(fy.close)))
            .inputs(vec![open_d, self.fund_flow(f, t, LineKind::Revenue), self.fund_flow(f, t, LineKind::Expense)])
    }

    fn year_figure(&self, figure: &str, t: FiscalYear) -> Result<Derivation> {
        let y = self.y(t);
        let after_base = |what: &str| {
            if t == self.base() {
                Err(Error::Usage(format!("{what} is computed only for projection years {}…", self.base() + 1)))
            } else {
                Ok(())
            }
        };
        Ok(match figure {
            "membership" => self.membership(t),
            "revenue_limit" => self.revenue_limit(t),
            "revenue_limit_recurring" => self.rl_rec(t),
            "rl_formula" => {
                after_base(figure)?;
                self.rl_formula(t)
            }
            "per_member" => {
                after_base(figure)?;
                self.per_member(t)
            }
            "avg_prev" => {
                after_base(figure)?;
                self.average("avg_prev", t, t - 1, self.limit(t).map_or(0, |l| l.avg_prev))
            }
            "avg_cur" => {
                after_base(figure)?;
                self.average("avg_cur", t, t, self.limit(t).map_or(0, |l| l.avg_cur))
            }
            "decline" => {
                after_base(figure)?;
                self.decline(t)
            }
            "ref_cum" => self.ref_cum(t),
            "general_aid" => self.general_aid(t),
            "levy_limit" => self.levy_limit(t),
            "levy_total" => self.levy_total(t)?,
            "mill_rate" => {
                let levy = self.levy_total(t)?;
                let mill = self.after_base(y.mill_rate, figure, t)?;
                let ev = self.limit(t).map_or(0, |l| l.equalized_value);
                Derivation {
                    value: scaled_str(mill, 4),
                    display: scaled_str(mill, 4),
                    ..Derivation::money(figure, t, self.label("mill rate ($ per $1,000 of equalized value)", t), 0)
                }
                .formula("R4(levy_total × 1000 / EV)", format!("R4({} × 1000 / {}) = {}", levy.display.replacen('$', "", 1), n(ev), scaled_str(mill, 4)))
                .inputs(vec![levy, self.assumption(K::EqualizedValue, t)])
            }
            "tax_per_100k" => {
                let levy = self.levy_total(t)?;
                let tax = self.after_base(y.tax_per_100k, figure, t)?;
                let ev = self.limit(t).map_or(0, |l| l.equalized_value);
                Derivation::money(figure, t, self.label("tax per $100,000 of home value", t), tax)
                    .formula("R(levy_total × 100000 / EV)", format!("R({} × 100000 / {}) = {}", levy.display.replacen('$', "", 1), n(ev), n(tax)))
                    .inputs(vec![levy, self.assumption(K::EqualizedValue, t)])
            }
            "transfer_27" => self.transfer(t),
            "revenue" => self.total(t, LineKind::Revenue),
            "expense" => self.total(t, LineKind::Expense),
            "surplus" => Derivation::money(figure, t, self.label("operating surplus (deficit)", t), y.surplus)
                .formula("revenue − expense", format!("{} − {} = {}", n(y.revenue), n(y.expense), n(y.surplus)))
                .inputs(vec![self.total(t, LineKind::Revenue), self.total(t, LineKind::Expense)]),
            "fund_balance" => {
                let parts: Vec<Derivation> = self.operating().into_iter().map(|f| self.fund_close(f, t)).collect();
                let working = parts.iter().map(|d| d.display.replacen('$', "", 1)).collect::<Vec<_>>().join(" + ");
                Derivation::money(figure, t, self.label("fund balance of the operating funds", t), y.fund_balance)
                    .formula("Σ close(f) over operating funds", format!("{working} = {}", n(y.fund_balance)))
                    .inputs(parts)
            }
            "reserve_pct" => {
                let Some(r) = y.reserve_pct else {
                    return Err(Error::Usage(format!("reserve_pct is null in {t}: expense is 0")));
                };
                let policy = self.model.package().district.reserve_policy_pct;
                let mut d = Derivation {
                    value: scaled_str(r, 2),
                    display: format!("{} %", scaled_str(r, 2)),
                    ..Derivation::money(figure, t, self.label("reserve, % of expense", t), 0)
                }
                .formula("R(fund_balance × 100 / expense)", format!("R({} × 100 / {}) = {}", n(y.fund_balance), n(y.expense), scaled_str(r, 2)));
                d.source = Some(if y.below_policy {
                    format!("below the {policy} % reserve policy (district.csv)")
                } else {
                    format!("at or above the {policy} % reserve policy (district.csv)")
                });
                d.inputs(vec![self.year_figure("fund_balance", t)?, self.total(t, LineKind::Expense)])
            }
            _ => unreachable!("explain checks the figure against FIGURES"),
        })
    }

    /// A budget line's amount in `t`, year by year back to the imported rows.
    fn line(&self, i: usize, t: FiscalYear) -> Derivation {
        let line = &self.model.package().lines[i];
        let name = line.name();
        let figure = format!("line:{name}");
        let label = self.label(&format!("{} ({name})", line.description), t);
        let amount = self.p.line_amount(self.model, i, t).unwrap_or(0);
        let d = Derivation::money(figure, t, label, amount);
        if t == self.base() {
            let rows = line.source_rows.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ");
            let plural = if line.source_rows.len() > 1 { "s" } else { "" };
            return d.source(format!("budget_lines.csv row{plural} {rows} (the adopted base-year budget)"));
        }
        if line.rule.is_computed() {
            return d.source(format!(
                "a computed line ({}): after the base year MODEL.md §6 replaces it (explain levy_limit, general_aid or transfer_27)",
                line.rule.as_str()
            ));
        }
        if let Some(o) = self.scenario.overrides.iter().find(|o| o.line == name && o.year == t) {
            return d.source(format!("override in scenario {:?} (an accepted department projection of {})", self.scenario.name, o.amount));
        }
        let prev = self.p.line_amount(self.model, i, t - 1).unwrap_or(0);
        let grown = |key: K| {
            let pct = self.p.assumptions.get(t, key);
            (
                format!("R(P(t-1) × (100 + {key}) / 100)"),
                format!("R({} × {} / 100) = {}", n(prev), rust_decimal::Decimal::ONE_HUNDRED + pct, n(amount)),
                Some(self.assumption(key, t)),
            )
        };
        let (formula, working, input) = match line.rule {
            Rule::Salaries => grown(K::SalaryIncreasePct),
            Rule::Benefits => grown(K::BenefitGrowthPct),
            Rule::Inflation => grown(K::InflationPct),
            Rule::Enrollment => (
                "R(P(t-1) × M(t) / M(t-1))".to_string(),
                format!("R({} × {} / {}) = {}", n(prev), members(self.m(t)), members(self.m(t - 1)), n(amount)),
                Some(self.membership(t)),
            ),
            Rule::Flat => ("P(t-1) (flat)".to_string(), format!("{} = {}", n(prev), n(amount)), None),
            _ => ("0 (one-time)".to_string(), "0.00".to_string(), None),
        };
        let mut inputs = vec![self.line(i, t - 1)];
        inputs.extend(input);
        if line.rule == Rule::OneTime {
            inputs.clear();
        }
        d.formula(formula, working).source(format!("rule {}", line.rule.as_str())).inputs(inputs)
    }

    /// A lever's effect on the operating surplus in `t`.
    fn lever(&self, i: usize, t: FiscalYear) -> Derivation {
        let lever = &self.scenario.levers[i];
        let result = &self.p.levers[i];
        let yi = (t - self.base() - 1) as usize;
        let effect = result.effect[yi];
        let label = self.label(&format!("effect of lever {:?} on the surplus", lever.name), t);
        let d = Derivation::money(format!("lever:{}", lever.id), t, label, effect);
        if !lever.active_in(t) && !matches!(lever.action, LeverAction::Assumption { .. }) {
            return d.source(format!(
                "inactive in {}: it acts {} {}",
                year_label(t),
                if lever.recurring { "from" } else { "only in" },
                year_label(lever.start_year)
            ));
        }
        let booked = &result.booked[yi];
        let pkg = self.model.package();
        let op_funds: Vec<(String, Cents, Cents)> = booked
            .iter()
            .enumerate()
            .filter(|(f, (r, e))| pkg.funds[*f].operating && (*r != 0 || *e != 0))
            .map(|(f, (r, e))| (pkg.funds[f].code.clone(), *r, *e))
            .collect();
        let bookings = op_funds
            .iter()
            .map(|(code, r, e)| {
                Derivation::money(format!("lever:{}:fund:{code}", lever.id), t, format!("booked to fund {code}: revenue {}, expense {}", format_dollars(*r), format_dollars(*e)), r - e)
            })
            .collect::<Vec<_>>();
        let src = format!("scenario {:?}, lever {:?} set to {} (range {} to {}, step {})", self.scenario.name, lever.id, lever.value, lever.min, lever.max, lever.step);
        match &lever.action {
            LeverAction::Percent { .. } => d
                .formula(
                    format!("Σ over {} matched lines R(P × {} / 100), revenue − expense", result.matched_lines, lever.value),
                    format!("{} = {}", bookings.iter().map(|b| b.display.replacen('$', "", 1)).collect::<Vec<_>>().join(" + "), n(effect)),
                )
                .source(src)
                .inputs(bookings),
            LeverAction::Fte { cost_per_fte, .. } => {
                let expense: Cents = op_funds.iter().map(|(_, _, e)| e).sum();
                d.formula(
                    format!("−R(value × cost(t)), cost growing from {cost_per_fte} by salary_increase_pct"),
                    format!("−({}) = {}", n(expense), n(effect)),
                )
                .source(src)
                .inputs((self.base() + 1..=t).map(|s| self.assumption(K::SalaryIncreasePct, s)).collect())
            }
            LeverAction::Amount { indexed, kind, .. } => {
                let how = if *indexed { "indexed to inflation_pct" } else { "not indexed" };
                let sign = if *kind == LineKind::Expense { "−A(t)" } else { "A(t)" };
                let mut d = d.formula(format!("{sign}, A({}) = {}, {how}", lever.start_year, lever.value), format!("{} = {}", sign, n(effect))).source(src);
                if *indexed {
                    d = d.inputs((lever.start_year + 1..=t).map(|s| self.assumption(K::InflationPct, s)).collect());
                }
                d
            }
            LeverAction::Assumption { key } => {
                let with = self.y(t).surplus;
                d.formula(
                    format!("surplus − surplus without this lever (it sets {key} to {})", lever.value),
                    format!("{} − {} = {}", n(with), n(with - effect), n(effect)),
                )
                .source(src)
                .inputs(vec![self.assumption(*key, t)])
            }
        }
    }
}
