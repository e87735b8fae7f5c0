//! A comparison as the desktop shows it: the §10 JSON of each scenario, plus the
//! differences against the reference and the waterfall steps, already computed.
//!
//! Architecture invariant: the UI never does arithmetic on money. Every difference,
//! running total and bar end it draws is computed here, in cents, and sent as a string.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::compare::{Attribution, Comparison, ComparisonJson};
use crate::model::{year_label, AssumptionKey, FiscalYear, Unit};
use crate::money::{cents_str, from_cents, scaled_str, Cents};
use crate::projection::{Projection, YearResult};

/// What the compare view draws.
#[derive(Serialize)]
pub struct ComparisonView {
    #[serde(flatten)]
    pub comparison: ComparisonJson,
    /// One per scenario after the reference: that scenario minus the reference, by year.
    pub differences: Vec<Difference>,
    /// One per scenario after the reference: the fund balance walk from the reference.
    pub waterfalls: Vec<Waterfall>,
    /// One per scenario, `B … B+H`: the fund balance the reserve policy asks for,
    /// `R(reserve_policy_pct × expense(t) / 100)`, for the policy line of the chart.
    pub policy_fund_balance: Vec<Vec<String>>,
    pub reserve_policy_pct: String,
}

/// A scenario's figures minus the reference's, year by year (`B … B+H`).
#[derive(Serialize)]
pub struct Difference {
    pub scenario: String,
    pub reference: String,
    pub years: Vec<YearDifference>,
}

/// One year of a [`Difference`]; a figure that does not apply in either scenario is `null`.
#[derive(Serialize)]
pub struct YearDifference {
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
}

/// How each change moves fund balance from the reference to the scenario, per projection year.
#[derive(Serialize)]
pub struct Waterfall {
    pub scenario: String,
    pub reference: String,
    /// `B+1 … B+H`; every list below has one entry per year.
    pub years: Vec<FiscalYear>,
    /// The reference's fund balance: where the walk starts.
    pub start: Vec<String>,
    /// The scenario's fund balance: where the walk ends.
    pub end: Vec<String>,
    pub steps: Vec<WaterfallStep>,
}

/// One bar: the running total before and after one change.
#[derive(Serialize)]
pub struct WaterfallStep {
    pub label: String,
    pub delta: Vec<String>,
    pub from: Vec<String>,
    pub to: Vec<String>,
}

impl ComparisonView {
    /// The view of a comparison whose first projection is the reference.
    pub fn of(c: &Comparison, reserve_policy_pct: Decimal) -> ComparisonView {
        let reference = &c.projections[0];
        let policy = |expense: Cents| {
            let d = from_cents(expense) * reserve_policy_pct / Decimal::ONE_HUNDRED;
            d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero).to_string()
        };
        ComparisonView {
            comparison: c.to_json(),
            differences: c.projections[1..].iter().map(|p| difference(reference, p)).collect(),
            waterfalls: c
                .projections[1..]
                .iter()
                .zip(&c.attributions)
                .map(|(p, a)| waterfall(reference, p, a))
                .collect(),
            policy_fund_balance: c.projections.iter().map(|p| p.years.iter().map(|y| policy(y.expense)).collect()).collect(),
            reserve_policy_pct: reserve_policy_pct.to_string(),
        }
    }
}

fn difference(reference: &Projection, p: &Projection) -> Difference {
    Difference {
        scenario: p.scenario.clone(),
        reference: reference.scenario.clone(),
        years: reference.years.iter().zip(&p.years).map(|(r, y)| year_difference(r, y)).collect(),
    }
}

fn both<T: Copy>(r: Option<T>, y: Option<T>) -> Option<(T, T)> {
    Some((r?, y?))
}

fn year_difference(r: &YearResult, y: &YearResult) -> YearDifference {
    let money = |a: Cents, b: Cents| cents_str(b - a);
    YearDifference {
        year: y.year,
        label: year_label(y.year),
        membership: y.membership - r.membership,
        revenue_limit: money(r.revenue_limit, y.revenue_limit),
        general_aid: money(r.general_aid, y.general_aid),
        levy_limit: money(r.levy_limit, y.levy_limit),
        levy_total: both(r.levy_total, y.levy_total).map(|(a, b)| money(a, b)),
        mill_rate: both(r.mill_rate, y.mill_rate).map(|(a, b)| scaled_str(b - a, 4)),
        tax_per_100k: both(r.tax_per_100k, y.tax_per_100k).map(|(a, b)| money(a, b)),
        revenue: money(r.revenue, y.revenue),
        expense: money(r.expense, y.expense),
        surplus: money(r.surplus, y.surplus),
        fund_balance: money(r.fund_balance, y.fund_balance),
        reserve_pct: both(r.reserve_pct, y.reserve_pct).map(|(a, b)| scaled_str(b - a, 2)),
    }
}

fn waterfall(reference: &Projection, p: &Projection, a: &Attribution) -> Waterfall {
    let start: Vec<Cents> = reference.years[1..].iter().map(|y| y.fund_balance).collect();
    let mut running = start.clone();
    let strings = |v: &[Cents]| v.iter().map(|c| cents_str(*c)).collect::<Vec<_>>();
    let steps = a
        .contributions
        .iter()
        .map(|c| {
            let from = strings(&running);
            for (total, d) in running.iter_mut().zip(&c.fund_balance) {
                *total += d;
            }
            WaterfallStep { label: c.label.clone(), delta: strings(&c.fund_balance), from, to: strings(&running) }
        })
        .collect();
    Waterfall {
        scenario: p.scenario.clone(),
        reference: reference.scenario.clone(),
        years: a.years.clone(),
        start: strings(&start),
        end: strings(&p.years[1..].iter().map(|y| y.fund_balance).collect::<Vec<_>>()),
        steps,
    }
}

/// The assumptions a scenario's projection read, key by key and year by year.
#[derive(Serialize)]
pub struct AssumptionRow {
    pub key: AssumptionKey,
    /// `members`, `percent` or `money`: how to show and type the value.
    pub unit: &'static str,
    pub years: Vec<AssumptionCell>,
}

/// One final assumption value and the input that set it.
#[derive(Serialize)]
pub struct AssumptionCell {
    pub year: FiscalYear,
    pub label: String,
    pub value: String,
    /// "assumptions.csv", "the scenario's assumptions" or `lever "id"`.
    pub source: String,
}

/// Every §5 key for every projection year of `p`.
pub fn assumption_table(p: &Projection) -> Vec<AssumptionRow> {
    let years: Vec<FiscalYear> = p.years[1..].iter().map(|y| y.year).collect();
    AssumptionKey::ALL
        .into_iter()
        .map(|key| AssumptionRow {
            key,
            unit: match key.unit() {
                Unit::Members => "members",
                Unit::Percent => "percent",
                Unit::Money => "money",
            },
            years: years
                .iter()
                .map(|&year| AssumptionCell {
                    year,
                    label: year_label(year),
                    value: p.assumptions.get(year, key).to_string(),
                    source: p.assumptions.source(year, key).describe(),
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;

    #[test]
    fn waterfall_steps_walk_from_the_reference_to_the_scenario_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create_sample(&dir.path().join("s.fulcrum"), false).unwrap();
        let names = ["referendum-fails", "referendum-passes"];
        let resolved: Vec<_> = names.iter().map(|n| ws.resolve(n).unwrap()).collect();
        let c = crate::compare::compare(ws.model(), &resolved).unwrap();
        let view = ComparisonView::of(&c, ws.model().package().district.reserve_policy_pct);
        let w = &view.waterfalls[0];
        assert!(!w.steps.is_empty(), "the two scenarios differ by levers and a referendum");
        assert_eq!(w.steps[0].from, w.start, "the first bar starts at the reference's fund balance");
        assert_eq!(w.steps.last().unwrap().to, w.end, "contributions telescope, so the last bar ends at the scenario's");
        for pair in w.steps.windows(2) {
            assert_eq!(pair[0].to, pair[1].from, "each bar starts where the previous one ended");
        }
        let d = &view.differences[0];
        let last = d.years.last().unwrap();
        let fb = |p: &Projection| cents_str(p.years.last().unwrap().fund_balance - c.projections[0].years.last().unwrap().fund_balance);
        assert_eq!(last.fund_balance, fb(&c.projections[1]), "difference is scenario minus reference");
    }
}
