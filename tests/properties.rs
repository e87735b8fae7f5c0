//! Property tests of the invariants the whole model rests on (MODEL.md §4–§8):
//! fund balances roll forward, lever effects add up, totals are the sum of their
//! lines, and ten years of projection equal the same formulas evaluated step by
//! step in `Decimal` with `MidpointAwayFromZero` rounding (no drift from the
//! engine's integer-cent shortcuts).
//!
//! Packages are random but valid, built directly as `fulcrum::model::Package`.

use std::collections::{BTreeMap, HashSet};

use fulcrum::model::{
    AssumptionKey as K, BudgetLine, Department, DepartmentKind, District, Fund, LineKind, Package, Rule,
};
use fulcrum::projection::{Model, Projection};
use fulcrum::scenario::{
    Filter, Lever, LeverAction, Override, Referendum, ReferendumKind, ReferendumYear, Resolved,
};
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};

// ---------------------------------------------------------------------------
// Random packages
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct LineSpec {
    fund: usize,
    expense: bool,
    code: usize,
    /// 0 = the code's default rule, else one of the written rules.
    rule: usize,
    amount: i64,
    dept: usize,
}

#[derive(Clone, Debug)]
struct YearSpec {
    membership: i64,
    salary: Decimal,
    benefit: Decimal,
    inflation: Decimal,
    ppa: i64,
    lrc: i64,
    ga: i64,
    share: Decimal,
    ev: i64,
    outside: i64,
    ex_rec: i64,
    ex_non: i64,
}

#[derive(Clone, Debug)]
struct PackageSpec {
    base_year: i32,
    rl_base: i64,
    history: [i64; 3],
    with_27: bool,
    with_21: bool,
    fund_21_operating: bool,
    with_80: bool,
    openings: [i64; 4],
    /// Levy, aid, fund-10 827 and fund-27 100 base amounts.
    computed: [i64; 4],
    lines: Vec<LineSpec>,
    years: Vec<YearSpec>,
}

const EXPENSE_CODES: [u16; 10] = [110, 150, 210, 250, 310, 411, 540, 720, 940, 600];
const REVENUE_CODES: [u16; 5] = [240, 291, 613, 480, 990];
const WRITTEN: [Rule; 6] = [Rule::Salaries, Rule::Benefits, Rule::Inflation, Rule::Enrollment, Rule::Flat, Rule::OneTime];
const DEPTS: [(&str, DepartmentKind); 3] =
    [("S01", DepartmentKind::School), ("C01", DepartmentKind::Central), ("DW", DepartmentKind::Districtwide)];

/// A percent with two decimals in [-3.00, 12.00].
fn pct() -> impl Strategy<Value = Decimal> {
    (-300i64..=1200).prop_map(|n| Decimal::new(n, 2))
}

fn year_spec() -> impl Strategy<Value = YearSpec> {
    (
        (50i64..=5000, pct(), pct(), pct()),
        (0i64..=50_000, 0i64..=1_500_000, 0i64..=1_000_000_000, (0i64..=10_000).prop_map(|n| Decimal::new(n, 2))),
        (10_000_000_000i64..=1_000_000_000_000, 0i64..=100_000_000, 0i64..=10_000_000, 0i64..=10_000_000),
    )
        .prop_map(|((membership, salary, benefit, inflation), (ppa, lrc, ga, share), (ev, outside, ex_rec, ex_non))| YearSpec {
            membership,
            salary,
            benefit,
            inflation,
            ppa,
            lrc,
            ga,
            share,
            ev,
            outside,
            ex_rec,
            ex_non,
        })
}

fn line_spec() -> impl Strategy<Value = LineSpec> {
    (0usize..4, any::<bool>(), 0usize..10, 0usize..=6, -5_000_000i64..=2_000_000_000, 0usize..3).prop_map(
        |(fund, expense, code, rule, amount, dept)| LineSpec { fund, expense, code, rule, amount, dept },
    )
}

fn package_spec(horizon: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = PackageSpec> {
    (
        (2000i32..=2090, 100_000_000i64..=10_000_000_000, [50i64..=5000, 50i64..=5000, 50i64..=5000]),
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
        ([-100_000_000i64..=500_000_000, -100_000_000i64..=500_000_000, -100_000_000i64..=500_000_000, -100_000_000i64..=500_000_000],
         [0i64..=500_000_000, 0i64..=500_000_000, 0i64..=100_000_000, 0i64..=100_000_000]),
        prop::collection::vec(line_spec(), 1..10),
        horizon.prop_flat_map(|h| prop::collection::vec(year_spec(), h)),
    )
        .prop_map(|((base_year, rl_base, history), (with_27, with_21, fund_21_operating, with_80), (openings, computed), lines, years)| {
            PackageSpec { base_year, rl_base, history, with_27, with_21, fund_21_operating, with_80, openings, computed, lines, years }
        })
}

fn fund_codes(s: &PackageSpec) -> Vec<&'static str> {
    let mut v = vec!["10"];
    if s.with_27 {
        v.push("27");
    }
    if s.with_21 {
        v.push("21");
    }
    if s.with_80 {
        v.push("80");
    }
    v
}

fn line(fund: &str, location: u32, kind: LineKind, code: u16, dept: &str, amount: i64, rule: Rule) -> BudgetLine {
    BudgetLine {
        fund: fund.to_string(),
        location: format!("{location:03}"),
        kind,
        code,
        function: if kind == LineKind::Revenue { "000000".into() } else { "120000".into() },
        project: "000".into(),
        department: dept.to_string(),
        description: format!("line {location}"),
        amount,
        fte: None,
        rule,
        source_rows: vec![location + 2],
    }
}

fn build(s: &PackageSpec) -> Package {
    let b = s.base_year;
    let codes = fund_codes(s);
    let funds = codes
        .iter()
        .enumerate()
        .map(|(i, &code)| Fund {
            code: code.to_string(),
            name: format!("Fund {code}"),
            opening_balance: s.openings[i],
            operating: match code {
                "21" => s.fund_21_operating,
                "80" => false,
                _ => true,
            },
        })
        .collect();
    let mut lines = vec![
        line("10", 0, LineKind::Revenue, 211, "DW", s.computed[0], Rule::Levy),
        line("10", 1, LineKind::Revenue, 621, "DW", s.computed[1], Rule::GeneralAid),
    ];
    if s.with_27 {
        lines.push(line("10", 2, LineKind::Expense, 827, "DW", s.computed[2], Rule::Transfer27));
        lines.push(line("27", 3, LineKind::Revenue, 100, "DW", s.computed[3], Rule::Transfer27));
    }
    for (i, l) in s.lines.iter().enumerate() {
        let fund = codes[l.fund % codes.len()];
        let (kind, code) = if l.expense {
            (LineKind::Expense, EXPENSE_CODES[l.code % EXPENSE_CODES.len()])
        } else {
            (LineKind::Revenue, REVENUE_CODES[l.code % REVENUE_CODES.len()])
        };
        let rule = if l.rule == 0 { Rule::default_for(fund, kind, code) } else { WRITTEN[l.rule - 1] };
        lines.push(line(fund, 100 + i as u32, kind, code, DEPTS[l.dept].0, l.amount, rule));
    }
    let mut assumptions = BTreeMap::new();
    for (i, y) in s.years.iter().enumerate() {
        let t = b + 1 + i as i32;
        let money = |c: i64| Decimal::new(c, 2);
        for (key, value) in [
            (K::Membership, Decimal::from(y.membership)),
            (K::SalaryIncreasePct, y.salary),
            (K::BenefitGrowthPct, y.benefit),
            (K::InflationPct, y.inflation),
            (K::PerPupilAdjustment, money(y.ppa)),
            (K::LowRevenueCeiling, money(y.lrc)),
            (K::GeneralAid, money(y.ga)),
            (K::ReferendumAidSharePct, y.share),
            (K::EqualizedValue, money(y.ev)),
            (K::LevyOutsideLimit, money(y.outside)),
            (K::ExemptionRecurring, money(y.ex_rec)),
            (K::ExemptionNonrecurring, money(y.ex_non)),
        ] {
            assumptions.insert((t, key), value);
        }
    }
    Package {
        district: District {
            name: "Property District".into(),
            base_year: b,
            horizon: s.years.len() as u32,
            revenue_limit_recurring_base: s.rl_base,
            reserve_policy_pct: Decimal::TEN,
        },
        membership: (0..3).map(|i| (b - 2 + i, s.history[i as usize])).collect(),
        funds,
        departments: DEPTS
            .iter()
            .map(|&(code, kind)| Department { code: code.into(), name: code.into(), kind })
            .collect(),
        lines,
        assumptions,
    }
}

// ---------------------------------------------------------------------------
// Random scenarios
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct LeverSpec {
    kind: usize,
    value: i64,
    start: usize,
    recurring: bool,
    fund: usize,
    dept: usize,
    expense: bool,
    indexed: bool,
    cost: i64,
    /// Percent filter: kind, fund, department kind, code range (each optional).
    filter: (Option<bool>, Option<usize>, Option<usize>, Option<(u16, u16)>),
}

#[derive(Clone, Debug)]
struct ScenarioSpec {
    referenda: Vec<(bool, usize, i64)>,
    levers: Vec<LeverSpec>,
    overrides: Vec<(usize, usize, i64)>,
}

fn lever_spec() -> impl Strategy<Value = LeverSpec> {
    (
        (0usize..4, -50i64..=50, 0usize..10, any::<bool>()),
        (0usize..4, 0usize..3, any::<bool>(), any::<bool>(), 3_000_000i64..=15_000_000),
        (
            prop::option::of(any::<bool>()),
            prop::option::of(0usize..4),
            prop::option::of(0usize..3),
            prop::option::of((100u16..=999, 0u16..=400)),
        ),
    )
        .prop_map(|((kind, value, start, recurring), (fund, dept, expense, indexed, cost), (k, f, dk, c))| LeverSpec {
            kind,
            value,
            start,
            recurring,
            fund,
            dept,
            expense,
            indexed,
            cost,
            filter: (k, f, dk, c.map(|(lo, w)| (lo, (lo + w).min(999)))),
        })
}

fn scenario_spec() -> impl Strategy<Value = ScenarioSpec> {
    (
        prop::collection::vec((any::<bool>(), 0usize..10, 0i64..=50_000_000), 0..4),
        prop::collection::vec(lever_spec(), 0..6),
        prop::collection::vec((0usize..20, 0usize..10, -1_000_000i64..=100_000_000), 0..3),
    )
        .prop_map(|(referenda, levers, overrides)| ScenarioSpec { referenda, levers, overrides })
}

fn lever(pkg: &Package, s: &LeverSpec, i: usize) -> Lever {
    let d = &pkg.district;
    let funds: Vec<&str> = pkg.funds.iter().map(|f| f.code.as_str()).collect();
    let fund = funds[s.fund % funds.len()].to_string();
    let department = DEPTS[s.dept].0.to_string();
    let kind = |expense: bool| if expense { LineKind::Expense } else { LineKind::Revenue };
    let (value, action) = match s.kind {
        0 => {
            let (k, f, dk, c) = &s.filter;
            let filter = Filter {
                kind: k.map(kind),
                funds: f.map(|f| vec![funds[f % funds.len()].to_string()]),
                department_kinds: dk.map(|x| vec![DEPTS[x].1]),
                codes: c.map(|(lo, hi)| vec![format!("{lo:03}-{hi:03}")]),
                ..Filter::default()
            };
            (Decimal::from(s.value), LeverAction::Percent { filter })
        }
        // Positions with one decimal: −5.0 … 5.0.
        1 => (Decimal::new(s.value, 1), LeverAction::Fte { cost_per_fte: Decimal::new(s.cost, 2), fund, department }),
        2 => (
            Decimal::new(s.value * 123_457, 2),
            LeverAction::Amount { kind: kind(s.expense), fund, department, indexed: s.indexed },
        ),
        _ => {
            let (key, value) = match s.fund {
                0 => (K::SalaryIncreasePct, Decimal::new(s.value * 10, 2)),
                1 => (K::InflationPct, Decimal::new(s.value * 7, 2)),
                2 => (K::Membership, Decimal::from(1000 + s.value * 19)),
                _ => (K::GeneralAid, Decimal::new(100_000_000 + s.value * 1_000_003, 2)),
            };
            (value, LeverAction::Assumption { key })
        }
    };
    Lever {
        id: format!("lever-{i}"),
        name: format!("Lever {i}"),
        value,
        min: value,
        max: value,
        step: Decimal::ONE,
        start_year: d.base_year + 1 + (s.start % d.horizon as usize) as i32,
        recurring: s.recurring,
        action,
    }
}

fn scenario(pkg: &Package, s: &ScenarioSpec) -> Resolved {
    let d = &pkg.district;
    let h = d.horizon as usize;
    let year = |off: usize| d.base_year + 1 + (off % h) as i32;
    let referenda = s
        .referenda
        .iter()
        .enumerate()
        .map(|(i, &(recurring, off, amount))| Referendum {
            name: format!("referendum {i}"),
            kind: if recurring { ReferendumKind::Recurring } else { ReferendumKind::Nonrecurring },
            schedule: vec![ReferendumYear { year: year(off), amount: Decimal::new(amount, 2) }],
        })
        .collect();
    let mut seen = HashSet::new();
    let overrides = s
        .overrides
        .iter()
        .filter_map(|&(l, off, amount)| {
            let line = &pkg.lines[l % pkg.lines.len()];
            (!line.rule.is_computed() && seen.insert((line.name(), year(off))))
                .then(|| Override { line: line.name(), year: year(off), amount: Decimal::new(amount, 2) })
        })
        .collect();
    Resolved {
        name: "random".into(),
        referenda,
        levers: s.levers.iter().enumerate().map(|(i, l)| lever(pkg, l, i)).collect(),
        assumptions: Vec::new(),
        overrides,
    }
}

fn is_assumption(l: &Lever) -> bool {
    matches!(l.action, LeverAction::Assumption { .. })
}

fn fund_index(pkg: &Package, code: &str) -> Option<usize> {
    pkg.funds.iter().position(|f| f.code == code)
}

// ---------------------------------------------------------------------------
// Decimal arithmetic of MODEL.md §1, independent of the engine's integer paths
// ---------------------------------------------------------------------------

fn r(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}
fn r0(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
}
fn r4(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
}
fn dec(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}
/// Cents of a Decimal that must already be whole cents.
fn cents(x: Decimal) -> i64 {
    let c = x * Decimal::ONE_HUNDRED;
    assert!(c.fract().is_zero(), "{x} is not whole cents");
    i64::try_from(c).unwrap()
}

fn surplus(p: &Projection) -> Vec<i64> {
    p.years[1..].iter().map(|y| y.surplus).collect()
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// close(f,t) = close(f,t-1) + rev(f,t) − exp(f,t), fund_balance is the sum of the
    /// operating closes, and after B it moves by exactly the surplus (the transfer is on
    /// both sides); fund 27 holds no balance of its own after B.
    #[test]
    fn fund_balances_roll_forward_by_the_surplus(spec in package_spec(1..=10), sc in scenario_spec()) {
        let pkg = build(&spec);
        let scenario = scenario(&pkg, &sc);
        let model = Model::new(pkg.clone());
        let p = model.project(&scenario).unwrap();
        let operating: Vec<bool> = pkg.funds.iter().map(|f| f.operating).collect();
        for (y, yr) in p.years.iter().enumerate() {
            for (f, fy) in yr.funds.iter().enumerate() {
                let before = if y == 0 { pkg.funds[f].opening_balance } else { p.years[y - 1].funds[f].close };
                prop_assert_eq!(fy.close, before + fy.revenue - fy.expense, "close of fund {} in {}", pkg.funds[f].code, yr.year);
                prop_assert_eq!(fy.revenue, fy.lines_revenue + fy.computed_revenue + fy.levers_revenue);
                prop_assert_eq!(fy.expense, fy.lines_expense + fy.computed_expense + fy.levers_expense);
            }
            let sum: i64 = yr.funds.iter().zip(&operating).filter(|(_, op)| **op).map(|(fy, _)| fy.close).sum();
            prop_assert_eq!(yr.fund_balance, sum, "fund_balance({}) sums the operating funds' closes", yr.year);
            prop_assert_eq!(yr.surplus, yr.revenue - yr.expense);
            if y == 0 {
                let opening: i64 = pkg.funds.iter().filter(|f| f.operating).map(|f| f.opening_balance).sum();
                // In B each side nets its own imported transfer lines, which need not be equal.
                prop_assert_eq!(yr.fund_balance, opening + yr.surplus + yr.transfer_in - yr.transfer_out);
            } else {
                prop_assert_eq!(yr.transfer_in, yr.transfer_out, "after B both sides net T({})", yr.year);
                prop_assert_eq!(yr.fund_balance, p.years[y - 1].fund_balance + yr.surplus,
                    "fund_balance({}) = fund_balance(t-1) + surplus(t)", yr.year);
                if let Some(f27) = fund_index(&pkg, "27") {
                    prop_assert_eq!(yr.funds[f27].close, p.years[0].funds[f27].close, "T balances fund 27 in {}", yr.year);
                }
            }
        }
    }

    /// The surplus difference that all non-assumption levers make together is the sum of
    /// their effects, and each one alone makes exactly its own effect; fund-27 bookings
    /// included (they reach the surplus through the transfer).
    #[test]
    fn non_assumption_lever_effects_add_up_to_the_surplus_difference(spec in package_spec(1..=6), sc in scenario_spec()) {
        let pkg = build(&spec);
        let with = scenario(&pkg, &sc);
        let model = Model::new(pkg.clone());
        let p = model.project(&with).unwrap();
        let mut without = with.clone();
        without.levers.retain(is_assumption);
        let p0 = model.project(&without).unwrap();
        let (s1, s0) = (surplus(&p), surplus(&p0));
        for (i, t) in pkg.district.projection_years().enumerate() {
            let sum: i64 = with.levers.iter().zip(&p.levers).filter(|(l, _)| !is_assumption(l)).map(|(_, e)| e.effect[i]).sum();
            prop_assert_eq!(s1[i] - s0[i], sum, "surplus difference in {} equals the sum of lever effects", t);
        }
        for (lever, result) in with.levers.iter().zip(&p.levers) {
            prop_assert_eq!(&lever.id, &result.id);
            let mut one = without.clone();
            if is_assumption(lever) {
                // Its effect is surplus(t) minus the same scenario without it, in every year.
                let without_it = model.project(&with.without_lever(&lever.id)).unwrap();
                let diff: Vec<i64> = s1.iter().zip(surplus(&without_it)).map(|(a, b)| a - b).collect();
                prop_assert_eq!(&result.effect, &diff, "assumption lever {}", &lever.id);
                continue;
            }
            one.levers.push(lever.clone());
            let alone = model.project(&one).unwrap();
            let diff: Vec<i64> = surplus(&alone).iter().zip(&s0).map(|(a, b)| a - b).collect();
            prop_assert_eq!(&result.effect, &diff, "lever {} alone changes the surplus by its effect", &lever.id);
            for (i, t) in pkg.district.projection_years().enumerate() {
                if !lever.active_in(t) {
                    prop_assert_eq!(result.effect[i], 0, "lever {} is inactive in {}", &lever.id, t);
                }
            }
        }
    }

    /// Without levers, each fund's revenue and expense is the sum of its projected lines
    /// plus the computed amounts (levy_limit + aid in fund 10, T both sides), and the
    /// district totals leave the transfer out.
    #[test]
    fn totals_equal_the_sum_of_their_lines(spec in package_spec(1..=6), mut sc in scenario_spec()) {
        sc.levers.clear();
        let pkg = build(&spec);
        let model = Model::new(pkg.clone());
        let p = model.project(&scenario(&pkg, &sc)).unwrap();
        let f10 = fund_index(&pkg, "10").unwrap();
        let f27 = fund_index(&pkg, "27");
        for yr in &p.years {
            let t = yr.year;
            let base = t == pkg.district.base_year;
            let mut rev = vec![0i64; pkg.funds.len()];
            let mut exp = vec![0i64; pkg.funds.len()];
            let (mut t_in_b, mut t_out_b) = (0, 0);
            for (i, l) in pkg.lines.iter().enumerate() {
                if l.rule.is_computed() && !base {
                    continue;
                }
                let amount = p.line_amount(&model, i, t).unwrap();
                let f = fund_index(&pkg, &l.fund).unwrap();
                match l.kind {
                    LineKind::Revenue => rev[f] += amount,
                    LineKind::Expense => exp[f] += amount,
                }
                if l.rule == Rule::Transfer27 {
                    match l.kind {
                        LineKind::Revenue => t_in_b += amount,
                        LineKind::Expense => t_out_b += amount,
                    }
                }
            }
            let (t_in, t_out) = if base {
                if f27.is_some() { (t_in_b, t_out_b) } else { (0, 0) }
            } else {
                rev[f10] += yr.levy_limit + yr.general_aid;
                let transfer = f27.map_or(0, |f| exp[f] - rev[f]);
                exp[f10] += transfer;
                if let Some(f) = f27 {
                    rev[f] += transfer;
                }
                (transfer, transfer)
            };
            for f in 0..pkg.funds.len() {
                prop_assert_eq!(yr.funds[f].revenue, rev[f], "revenue of fund {} in {}", pkg.funds[f].code, t);
                prop_assert_eq!(yr.funds[f].expense, exp[f], "expense of fund {} in {}", pkg.funds[f].code, t);
            }
            let op = |v: &[i64]| -> i64 { v.iter().zip(&pkg.funds).filter(|(_, f)| f.operating).map(|(a, _)| a).sum() };
            prop_assert_eq!(yr.revenue, op(&rev) - t_in, "revenue({}) leaves out the fund-27 transfer", t);
            prop_assert_eq!(yr.expense, op(&exp) - t_out, "expense({}) leaves out the fund-10 transfer", t);
            let reserve = (yr.expense != 0).then(|| {
                i64::try_from(r(dec(yr.fund_balance) * Decimal::ONE_HUNDRED / dec(yr.expense)) * Decimal::ONE_HUNDRED).unwrap()
            });
            prop_assert_eq!(yr.reserve_pct, reserve, "reserve_pct({}) = R(fund_balance × 100 / expense)", t);
            prop_assert_eq!(yr.below_policy, reserve.is_some_and(|x| Decimal::new(x, 2) < pkg.district.reserve_policy_pct));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// A ten-year projection equals the contract evaluated year by year in `Decimal`:
    /// every line under its rule (and overrides), flat lines exactly unchanged, the whole
    /// revenue-limit chain of §6, and fte / amount / percent lever bookings.
    #[test]
    fn ten_years_match_step_by_step_decimal_arithmetic(spec in package_spec(10..=10), sc in scenario_spec()) {
        let pkg = build(&spec);
        let mut scenario = scenario(&pkg, &sc);
        // Assumption levers would need §5 precedence here; the other properties cover them.
        scenario.levers.retain(|l| !is_assumption(l));
        let model = Model::new(pkg.clone());
        let p = model.project(&scenario).unwrap();
        let b = pkg.district.base_year;
        let a = |t: i32, k: K| pkg.assumptions[&(t, k)];
        let m = |t: i32| -> Decimal { if t <= b { Decimal::from(pkg.membership[&t]) } else { a(t, K::Membership) } };
        let growth = |p: Decimal, pct: Decimal| r(p * (Decimal::ONE_HUNDRED + pct) / Decimal::ONE_HUNDRED);

        // Lines.
        let mut amount: Vec<Decimal> = pkg.lines.iter().map(|l| dec(l.amount)).collect();
        let mut by_year = vec![amount.clone()];
        for t in b + 1..=b + 10 {
            for (i, l) in pkg.lines.iter().enumerate() {
                let prev = amount[i];
                amount[i] = match l.rule {
                    Rule::Salaries => growth(prev, a(t, K::SalaryIncreasePct)),
                    Rule::Benefits => growth(prev, a(t, K::BenefitGrowthPct)),
                    Rule::Inflation => growth(prev, a(t, K::InflationPct)),
                    Rule::Enrollment => r(prev * m(t) / m(t - 1)),
                    Rule::Flat => prev,
                    _ => Decimal::ZERO,
                };
                if let Some(o) = scenario.overrides.iter().find(|o| o.year == t && o.line == l.name()) {
                    amount[i] = o.amount;
                }
                if l.rule.is_computed() {
                    continue;
                }
                prop_assert_eq!(p.line_amount(&model, i, t).unwrap(), cents(amount[i]), "line {} in {}", l.name(), t);
                if l.rule == Rule::Flat && !scenario.overrides.iter().any(|o| o.line == l.name() && o.year <= t) {
                    prop_assert_eq!(p.line_amount(&model, i, t).unwrap(), l.amount, "a flat line stays exactly equal");
                }
            }
            by_year.push(amount.clone());
        }

        // The revenue-limit chain.
        let mut rl_rec_prev = dec(pkg.district.revenue_limit_recurring_base);
        let (mut rec_sum, mut ref_cum_prev) = (Decimal::ZERO, Decimal::ZERO);
        for t in b + 1..=b + 10 {
            let three = Decimal::from(3);
            let avg_prev = r0((m(t - 3) + m(t - 2) + m(t - 1)) / three);
            let avg_cur = r0((m(t - 2) + m(t - 1) + m(t)) / three);
            let per_member = (r(rl_rec_prev / avg_prev) + a(t, K::PerPupilAdjustment)).max(a(t, K::LowRevenueCeiling));
            let rl_formula = r(per_member * avg_cur);
            let decline = r(per_member * (avg_prev - avg_cur).max(Decimal::ZERO));
            let of_kind = |kind: ReferendumKind| -> Decimal {
                scenario.referenda.iter().filter(|x| x.kind == kind).flat_map(|x| &x.schedule).filter(|e| e.year == t).map(|e| e.amount).sum()
            };
            let (ref_rec, ref_non) = (of_kind(ReferendumKind::Recurring), of_kind(ReferendumKind::Nonrecurring));
            let rl_rec = rl_formula + ref_rec + a(t, K::ExemptionRecurring);
            let rl = rl_rec + ref_non + decline + a(t, K::ExemptionNonrecurring);
            rec_sum += ref_rec;
            let ref_cum = rec_sum + ref_non;
            let aid = a(t, K::GeneralAid) + r(a(t, K::ReferendumAidSharePct) * ref_cum_prev / Decimal::ONE_HUNDRED);
            let levy_limit = rl - aid;
            let levy_total = levy_limit + a(t, K::LevyOutsideLimit);
            let ev = a(t, K::EqualizedValue);
            let mill = r4(levy_total * Decimal::from(1000) / ev);
            let tax = r(levy_total * Decimal::from(100_000) / ev);
            let y = p.year(t).unwrap();
            prop_assert_eq!(y.revenue_limit, cents(rl), "RL({})", t);
            prop_assert_eq!(y.general_aid, cents(aid), "aid({})", t);
            prop_assert_eq!(y.levy_limit, cents(levy_limit), "levy_limit({})", t);
            prop_assert_eq!(y.levy_total, Some(cents(levy_total)), "levy_total({})", t);
            prop_assert_eq!(y.mill_rate, Some(i64::try_from(mill * Decimal::from(10_000)).unwrap()), "mill_rate({})", t);
            prop_assert_eq!(y.tax_per_100k, Some(cents(tax)), "tax_per_100k({})", t);
            rl_rec_prev = rl_rec;
            ref_cum_prev = ref_cum;
        }

        // Lever bookings, as effects on the operating surplus.
        let operating = |code: &str| pkg.fund(code).unwrap().operating;
        for (lever, result) in scenario.levers.iter().zip(&p.levers) {
            let mut cost = Decimal::ZERO;
            let mut a_t = lever.value;
            for (i, t) in (b + 1..=b + 10).enumerate() {
                let expected = match &lever.action {
                    LeverAction::Fte { cost_per_fte, fund, .. } => {
                        cost = growth(if i == 0 { *cost_per_fte } else { cost }, a(t, K::SalaryIncreasePct));
                        if lever.active_in(t) && operating(fund) { -r(lever.value * cost) } else { Decimal::ZERO }
                    }
                    LeverAction::Amount { kind, fund, indexed, .. } => {
                        if t > lever.start_year && *indexed {
                            a_t = growth(a_t, a(t, K::InflationPct));
                        }
                        let sign = if *kind == LineKind::Revenue { Decimal::ONE } else { -Decimal::ONE };
                        if lever.active_in(t) && operating(fund) { sign * a_t } else { Decimal::ZERO }
                    }
                    LeverAction::Percent { filter } => {
                        let mut e = Decimal::ZERO;
                        if lever.active_in(t) {
                            for (j, l) in pkg.lines.iter().enumerate() {
                                if !matches(&pkg, filter, l) || !operating(&l.fund) {
                                    continue;
                                }
                                let v = r(by_year[i + 1][j] * lever.value / Decimal::ONE_HUNDRED);
                                e += if l.kind == LineKind::Revenue { v } else { -v };
                            }
                        }
                        e
                    }
                    LeverAction::Assumption { .. } => unreachable!(),
                };
                prop_assert_eq!(result.effect[i], cents(expected), "effect of {} ({:?}) in {}", &lever.id, &lever.action, t);
            }
        }
    }
}

/// A filter of MODEL.md §7 as the generated levers use it (kind, funds, department kinds, codes).
fn matches(pkg: &Package, f: &Filter, l: &BudgetLine) -> bool {
    let dept_kind = pkg.department(&l.department).unwrap().kind;
    !l.rule.is_computed()
        && f.kind.is_none_or(|k| k == l.kind)
        && f.funds.as_ref().is_none_or(|v| v.contains(&l.fund))
        && f.department_kinds.as_ref().is_none_or(|v| v.contains(&dept_kind))
        && f.codes.as_ref().is_none_or(|v| {
            v.iter().any(|c| {
                let (lo, hi) = c.split_once('-').unwrap();
                (lo.parse::<u16>().unwrap()..=hi.parse::<u16>().unwrap()).contains(&l.code)
            })
        })
}
