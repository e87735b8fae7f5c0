//! The projection: every number of MODEL.md §4–§8 for one scenario.
//!
//! A [`Model`] is a package compiled once for fast projection: its lines are
//! sorted so that lines sharing a rule, fund and kind are contiguous, and all
//! money is integer cents. [`Model::project`] then grows each segment with one
//! rate, books levers, computes the revenue limit and rolls fund balances.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rust_decimal::Decimal;

use crate::assumptions::Assumptions;
use crate::error::{Error, Result};
use crate::model::{AssumptionKey as K, DepartmentKind, FiscalYear, LineKind, Package, Rule};
use crate::money::{div_round, mul_div_round, to_cents, Cents, Ratio, Scaler};
use crate::scenario::{parse_code_range, Filter, LeverAction, ReferendumKind, Resolved};

/// A run of lines, in the model's order, that share a rule, fund and kind.
#[derive(Clone, Debug)]
struct Segment {
    rule: Rule,
    fund: usize,
    kind: LineKind,
    start: usize,
    end: usize,
}

/// A package compiled for projection.
#[derive(Debug)]
pub struct Model {
    pkg: Package,
    /// Model position → package line index.
    order: Vec<usize>,
    /// Package line index → model position.
    position: Vec<usize>,
    segments: Vec<Segment>,
    base: Vec<Cents>,
    fund_of: Vec<u8>,
    kind_of: Vec<LineKind>,
    dept_of: Vec<u16>,
    location_of: Vec<u16>,
    code_of: Vec<u16>,
    function_of: Vec<u32>,
    computed: Vec<bool>,
    dept_kinds: Vec<DepartmentKind>,
    dept_index: HashMap<String, u16>,
    fund_index: HashMap<String, usize>,
    /// Built on first use: only overrides and explanations look lines up by name.
    line_index: OnceLock<HashMap<String, usize>>,
    operating: Vec<bool>,
    fund10: Option<usize>,
    fund27: Option<usize>,
    /// Model positions each percent-lever filter matched: a slider moves the value,
    /// not the filter, so every projection after the first reuses the match.
    matches_cache: Mutex<HashMap<Filter, Arc<[u32]>>>,
}

/// Per fund, per year: what flowed in and out, and the closing balance.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FundYear {
    /// Projected (or imported) line amounts, without computed lines after `B`.
    pub lines_revenue: Cents,
    pub lines_expense: Cents,
    /// Levy, aid and the special-education transfer (after `B`).
    pub computed_revenue: Cents,
    pub computed_expense: Cents,
    /// What levers booked.
    pub levers_revenue: Cents,
    pub levers_expense: Cents,
    pub revenue: Cents,
    pub expense: Cents,
    pub close: Cents,
}

/// The revenue-limit chain of MODEL.md §6 for one projection year.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LimitYear {
    pub avg_prev: i64,
    pub avg_cur: i64,
    /// `R(RLrec(t-1) / avg_prev)`, before PPA and the ceiling.
    pub base_per_member: Cents,
    pub ppa: Cents,
    pub lrc: Cents,
    pub per_member: Cents,
    pub rl_formula: Cents,
    pub decline: Cents,
    pub ref_rec: Cents,
    pub ref_non: Cents,
    pub ref_cum: Cents,
    pub ref_cum_prev: Cents,
    pub exemption_recurring: Cents,
    pub exemption_nonrecurring: Cents,
    pub rl_rec_prev: Cents,
    pub rl_rec: Cents,
    pub ga: Cents,
    pub referendum_aid: Cents,
    pub levy_outside: Cents,
    pub equalized_value: Cents,
}

/// Every output of one fiscal year.
#[derive(Clone, Debug, PartialEq)]
pub struct YearResult {
    pub year: FiscalYear,
    pub membership: i64,
    pub revenue_limit: Cents,
    pub general_aid: Cents,
    pub levy_limit: Cents,
    pub levy_total: Option<Cents>,
    /// Mills in units of 1/10,000.
    pub mill_rate: Option<i64>,
    pub tax_per_100k: Option<Cents>,
    pub revenue: Cents,
    pub expense: Cents,
    pub surplus: Cents,
    pub fund_balance: Cents,
    /// Percent in hundredths; `None` when expense is 0.
    pub reserve_pct: Option<i64>,
    pub below_policy: bool,
    /// The transfer to special education netted out of revenue and expense.
    pub transfer_out: Cents,
    pub transfer_in: Cents,
    /// `None` for the base year.
    pub limit: Option<LimitYear>,
    pub funds: Vec<FundYear>,
}

/// What one lever booked and what it changed.
#[derive(Clone, Debug, PartialEq)]
pub struct LeverResult {
    pub id: String,
    pub name: String,
    /// Its effect on the operating surplus, `B+1 … B+H`.
    pub effect: Vec<Cents>,
    /// What it booked, per fund (model fund index) and year: (revenue, expense).
    pub booked: Vec<Vec<(Cents, Cents)>>,
    /// Lines a percent lever matched.
    pub matched_lines: usize,
}

/// A scenario projected over `B … B+H`.
#[derive(Clone, Debug)]
pub struct Projection {
    pub scenario: String,
    pub base_year: FiscalYear,
    pub years: Vec<YearResult>,
    pub levers: Vec<LeverResult>,
    pub assumptions: Assumptions,
    /// Line amounts, year-major in model order: `amounts[y * n + i]`.
    amounts: Vec<Cents>,
    lines: usize,
}

impl Projection {
    /// The amount of package line `line` in year `year`.
    pub fn line_amount(&self, model: &Model, line: usize, year: FiscalYear) -> Option<Cents> {
        let y = usize::try_from(year - self.base_year).ok()?;
        (y < self.years.len()).then(|| self.amounts[y * self.lines + model.position[line]])
    }

    pub fn year(&self, year: FiscalYear) -> Option<&YearResult> {
        usize::try_from(year - self.base_year).ok().and_then(|i| self.years.get(i))
    }

    pub fn lever(&self, id: &str) -> Option<&LeverResult> {
        self.levers.iter().find(|l| l.id == id)
    }
}

fn digits_u32(s: &str) -> u32 {
    s.bytes().fold(0u32, |acc, b| acc.wrapping_mul(10).wrapping_add(b.wrapping_sub(b'0') as u32))
}

/// A percent lever's filter compiled against the model.
struct CompiledFilter {
    kind: Option<LineKind>,
    funds: Option<Vec<u8>>,
    departments: Option<Vec<u16>>,
    department_kinds: Option<Vec<DepartmentKind>>,
    locations: Option<Vec<u16>>,
    codes: Option<Vec<(u16, u16)>>,
    function: Option<(u32, u32)>,
}

impl Model {
    /// Compiles a validated package.
    pub fn new(pkg: Package) -> Model {
        let fund_index: HashMap<String, usize> = pkg.funds.iter().enumerate().map(|(i, f)| (f.code.clone(), i)).collect();
        let dept_index: HashMap<String, u16> = pkg.departments.iter().enumerate().map(|(i, d)| (d.code.clone(), i as u16)).collect();
        // A validated package names only funds it lists.
        let line_fund: Vec<usize> = pkg.lines.iter().map(|l| fund_index.get(&l.fund).copied().unwrap_or(0)).collect();
        let mut order: Vec<usize> = (0..pkg.lines.len()).collect();
        order.sort_unstable_by_key(|&i| {
            let l = &pkg.lines[i];
            (l.rule as u8, line_fund[i], l.kind, i)
        });
        let mut position = vec![0; order.len()];
        for (p, &i) in order.iter().enumerate() {
            position[i] = p;
        }
        let mut segments: Vec<Segment> = Vec::new();
        for (p, &i) in order.iter().enumerate() {
            let l = &pkg.lines[i];
            let fund = line_fund[i];
            match segments.last_mut() {
                Some(s) if s.rule == l.rule && s.fund == fund && s.kind == l.kind => s.end = p + 1,
                _ => segments.push(Segment { rule: l.rule, fund, kind: l.kind, start: p, end: p + 1 }),
            }
        }
        let base = order.iter().map(|&i| pkg.lines[i].amount).collect();
        let fund_of = order.iter().map(|&i| line_fund[i] as u8).collect();
        let kind_of = order.iter().map(|&i| pkg.lines[i].kind).collect();
        let dept_of = order.iter().map(|&i| dept_index.get(&pkg.lines[i].department).copied().unwrap_or(0)).collect();
        let location_of = order.iter().map(|&i| digits_u32(&pkg.lines[i].location) as u16).collect();
        let code_of = order.iter().map(|&i| pkg.lines[i].code).collect();
        let function_of = order.iter().map(|&i| digits_u32(&pkg.lines[i].function)).collect();
        let computed = order.iter().map(|&i| pkg.lines[i].rule.is_computed()).collect();
        Model {
            dept_kinds: pkg.departments.iter().map(|d| d.kind).collect(),
            operating: pkg.funds.iter().map(|f| f.operating).collect(),
            fund10: fund_index.get("10").copied(),
            fund27: fund_index.get("27").copied(),
            order,
            position,
            segments,
            base,
            fund_of,
            kind_of,
            dept_of,
            location_of,
            code_of,
            function_of,
            computed,
            dept_index,
            fund_index,
            line_index: OnceLock::new(),
            pkg,
            matches_cache: Mutex::new(HashMap::new()),
        }
    }

    pub fn package(&self) -> &Package {
        &self.pkg
    }

    /// The package index of a line by its name.
    pub fn line_by_name(&self, name: &str) -> Option<usize> {
        let index = self.line_index.get_or_init(|| self.pkg.lines.iter().enumerate().map(|(i, l)| (l.name(), i)).collect());
        index.get(name).copied()
    }

    /// The model index of a fund by its code.
    pub fn fund_by_code(&self, code: &str) -> Option<usize> {
        self.fund_index.get(code).copied()
    }

    /// How many base lines a filter matches.
    pub fn count_matches(&self, filter: &Filter) -> usize {
        let f = self.compile_filter(filter);
        (0..self.base.len()).filter(|&p| self.matches(&f, p)).count()
    }

    /// Package indices of the lines a filter matches.
    pub fn matching_lines(&self, filter: &Filter) -> Vec<usize> {
        let f = self.compile_filter(filter);
        let mut v: Vec<usize> = (0..self.base.len()).filter(|&p| self.matches(&f, p)).map(|p| self.order[p]).collect();
        v.sort_unstable();
        v
    }

    /// The model positions a filter matches, computed once per filter.
    fn matched(&self, filter: &Filter) -> Arc<[u32]> {
        let cached = self.matches_cache.lock().ok().and_then(|c| c.get(filter).cloned());
        if let Some(m) = cached {
            return m;
        }
        let f = self.compile_filter(filter);
        let m: Arc<[u32]> = (0..self.base.len()).filter(|&p| self.matches(&f, p)).map(|p| p as u32).collect();
        if let Ok(mut c) = self.matches_cache.lock() {
            c.insert(filter.clone(), m.clone());
        }
        m
    }

    fn compile_filter(&self, f: &Filter) -> CompiledFilter {
        // Names that are not in the package match nothing (validation reports them).
        CompiledFilter {
            kind: f.kind,
            funds: f.funds.as_ref().map(|v| v.iter().filter_map(|c| self.fund_index.get(c).map(|&i| i as u8)).collect()),
            departments: f.departments.as_ref().map(|v| v.iter().filter_map(|c| self.dept_index.get(c).copied()).collect()),
            department_kinds: f.department_kinds.clone(),
            locations: f.locations.as_ref().map(|v| v.iter().map(|c| digits_u32(c) as u16).collect()),
            codes: f.codes.as_ref().map(|v| v.iter().filter_map(|c| parse_code_range(c)).collect()),
            function: f.function_prefix.as_ref().map(|p| (digits_u32(p), 10u32.pow(6 - p.len().min(6) as u32))),
        }
    }

    #[inline]
    fn matches(&self, f: &CompiledFilter, p: usize) -> bool {
        !self.computed[p]
            && f.kind.is_none_or(|k| k == self.kind_of[p])
            && f.funds.as_ref().is_none_or(|v| v.contains(&self.fund_of[p]))
            && f.departments.as_ref().is_none_or(|v| v.contains(&self.dept_of[p]))
            && f.department_kinds.as_ref().is_none_or(|v| v.contains(&self.dept_kinds[self.dept_of[p] as usize]))
            && f.locations.as_ref().is_none_or(|v| v.contains(&self.location_of[p]))
            && f.codes.as_ref().is_none_or(|v| v.iter().any(|&(lo, hi)| (lo..=hi).contains(&self.code_of[p])))
            && f.function.is_none_or(|(prefix, div)| self.function_of[p] / div == prefix)
    }

    /// Projects a resolved scenario, with every lever's effect.
    pub fn project(&self, scenario: &Resolved) -> Result<Projection> {
        let mut p = self.run(scenario)?;
        // An assumption lever's effect is the surplus it changes against the
        // same scenario without it (MODEL.md §7).
        for (i, lever) in scenario.levers.iter().enumerate() {
            if matches!(lever.action, LeverAction::Assumption { .. }) {
                let without = self.run(&scenario.without_lever(&lever.id))?;
                p.levers[i].effect = p.years[1..]
                    .iter()
                    .zip(&without.years[1..])
                    .map(|(a, b)| a.surplus - b.surplus)
                    .collect();
            }
        }
        Ok(p)
    }

    /// Projects without computing assumption levers' effects (they stay 0).
    pub fn run(&self, scenario: &Resolved) -> Result<Projection> {
        let pkg = &self.pkg;
        let d = &pkg.district;
        let b = d.base_year;
        let h = d.horizon as usize;
        let n = self.base.len();
        let nf = pkg.funds.len();
        let assumptions = Assumptions::resolve(pkg, scenario);
        let a = |t: FiscalYear, k: K| assumptions.get(t, k);
        let money = |t: FiscalYear, k: K| -> Result<Cents> {
            to_cents(a(t, k)).ok_or_else(|| Error::Usage(format!("assumption {k} for {t} is not dollars and cents")))
        };
        let whole = |t: FiscalYear| -> Result<i64> {
            let v = a(t, K::Membership);
            i64::try_from(v.trunc().mantissa()).ok().filter(|m| *m > 0 && v.fract().is_zero())
                .ok_or_else(|| Error::Usage(format!("membership for {t} is not a positive whole number")))
        };

        // Membership M(B-2 … B+H).
        let mut m: Vec<i64> = Vec::with_capacity(h + 3);
        for t in b - 2..=b {
            m.push(pkg.membership.get(&t).copied().ok_or_else(|| Error::Usage(format!("membership for {t} is missing")))?);
        }
        for t in d.projection_years() {
            m.push(whole(t)?);
        }
        let mi = |t: FiscalYear| m[(t - (b - 2)) as usize];

        // Line amounts, year by year.
        let mut amounts = vec![0 as Cents; n * (h + 1)];
        amounts[..n].copy_from_slice(&self.base);
        let mut overrides: Vec<(usize, usize, Cents)> = Vec::with_capacity(scenario.overrides.len());
        for o in &scenario.overrides {
            let line = self.line_by_name(&o.line).ok_or_else(|| Error::Usage(format!("override names unknown line {:?}", o.line)))?;
            let cents = to_cents(o.amount).ok_or_else(|| Error::Usage(format!("override amount {} is not dollars and cents", o.amount)))?;
            overrides.push(((o.year - b) as usize, self.position[line], cents));
        }
        // Per fund and year: lines' revenue and expense (computed lines apart).
        let mut fund_years = vec![vec![FundYear::default(); nf]; h + 1];
        for seg in &self.segments {
            let s: Cents = self.base[seg.start..seg.end].iter().sum();
            let fy = &mut fund_years[0][seg.fund];
            match seg.kind {
                LineKind::Revenue => fy.lines_revenue += s,
                LineKind::Expense => fy.lines_expense += s,
            }
        }
        for y in 1..=h {
            let t = b + y as i32;
            let salaries = Ratio::growth(a(t, K::SalaryIncreasePct));
            let benefits = Ratio::growth(a(t, K::BenefitGrowthPct));
            let inflation = Ratio::growth(a(t, K::InflationPct));
            let (prev, cur) = amounts.split_at_mut(y * n);
            let prev = &prev[(y - 1) * n..];
            let cur = &mut cur[..n];
            let grow = |ratio: Ratio, from: &[Cents], to: &mut [Cents]| {
                let scaler = Scaler::new(ratio);
                for (o, &p) in to.iter_mut().zip(from) {
                    *o = scaler.apply(p);
                }
            };
            for seg in &self.segments {
                let (from, to) = (&prev[seg.start..seg.end], &mut cur[seg.start..seg.end]);
                match seg.rule {
                    Rule::Salaries => grow(salaries, from, to),
                    Rule::Benefits => grow(benefits, from, to),
                    Rule::Inflation => grow(inflation, from, to),
                    Rule::Enrollment => grow(Ratio { numerator: mi(t), denominator: mi(t - 1) }, from, to),
                    Rule::Flat => to.copy_from_slice(from),
                    Rule::OneTime | Rule::Levy | Rule::GeneralAid | Rule::Transfer27 => to.fill(0),
                }
            }
            for &(oy, pos, cents) in &overrides {
                if oy == y {
                    cur[pos] = cents;
                }
            }
            for seg in &self.segments {
                if seg.rule.is_computed() {
                    continue;
                }
                let s: Cents = cur[seg.start..seg.end].iter().sum();
                let fy = &mut fund_years[y][seg.fund];
                match seg.kind {
                    LineKind::Revenue => fy.lines_revenue += s,
                    LineKind::Expense => fy.lines_expense += s,
                }
            }
        }

        // Levers other than assumptions book amounts to funds.
        let mut levers = Vec::with_capacity(scenario.levers.len());
        for lever in &scenario.levers {
            let mut booked = vec![vec![(0, 0); nf]; h];
            let mut matched_lines = 0;
            let active = |y: usize| lever.active_in(b + y as i32);
            match &lever.action {
                LeverAction::Percent { filter } => {
                    let share = Scaler::new(Ratio::percent(lever.value));
                    let matched = self.matched(filter);
                    matched_lines = matched.len();
                    for y in (1..=h).filter(|&y| active(y)) {
                        let cur = &amounts[y * n..(y + 1) * n];
                        let row = &mut booked[y - 1];
                        for &p in matched.iter() {
                            let p = p as usize;
                            let v = share.apply(cur[p]);
                            let slot = &mut row[self.fund_of[p] as usize];
                            match self.kind_of[p] {
                                LineKind::Revenue => slot.0 += v,
                                LineKind::Expense => slot.1 += v,
                            }
                        }
                    }
                }
                LeverAction::Fte { cost_per_fte, fund, .. } => {
                    let fund = self.fund_by_code(fund).ok_or_else(|| Error::Usage(format!("lever {:?}: unknown fund {fund}", lever.id)))?;
                    let count = Ratio::of(lever.value);
                    let mut cost = to_cents(*cost_per_fte).ok_or_else(|| Error::Usage(format!("lever {:?}: cost_per_fte is not dollars and cents", lever.id)))?;
                    for y in 1..=h {
                        cost = Ratio::growth(a(b + y as i32, K::SalaryIncreasePct)).apply(cost);
                        if active(y) {
                            booked[y - 1][fund].1 += count.apply(cost);
                        }
                    }
                }
                LeverAction::Amount { kind, fund, indexed, .. } => {
                    let fund = self.fund_by_code(fund).ok_or_else(|| Error::Usage(format!("lever {:?}: unknown fund {fund}", lever.id)))?;
                    let mut amount = to_cents(lever.value).ok_or_else(|| Error::Usage(format!("lever {:?}: value is not dollars and cents", lever.id)))?;
                    for y in 1..=h {
                        let t = b + y as i32;
                        if t > lever.start_year && *indexed {
                            amount = Ratio::growth(a(t, K::InflationPct)).apply(amount);
                        }
                        if active(y) {
                            match kind {
                                LineKind::Revenue => booked[y - 1][fund].0 += amount,
                                LineKind::Expense => booked[y - 1][fund].1 += amount,
                            }
                        }
                    }
                }
                LeverAction::Assumption { .. } => {}
            }
            let effect = booked
                .iter()
                .map(|row| row.iter().enumerate().filter(|(f, _)| self.operating[*f]).map(|(_, (r, e))| r - e).sum())
                .collect();
            for (y, row) in booked.iter().enumerate() {
                for (f, (r, e)) in row.iter().enumerate() {
                    fund_years[y + 1][f].levers_revenue += r;
                    fund_years[y + 1][f].levers_expense += e;
                }
            }
            levers.push(LeverResult { id: lever.id.clone(), name: lever.name.clone(), effect, booked, matched_lines });
        }

        // Referendum authority by year.
        let mut ref_rec = vec![0 as Cents; h + 1];
        let mut ref_non = vec![0 as Cents; h + 1];
        for r in &scenario.referenda {
            for e in &r.schedule {
                let y = (e.year - b) as usize;
                let cents = to_cents(e.amount).ok_or_else(|| Error::Usage(format!("referendum {:?}: amount is not dollars and cents", r.name)))?;
                match r.kind {
                    ReferendumKind::Recurring => ref_rec[y] += cents,
                    ReferendumKind::Nonrecurring => ref_non[y] += cents,
                }
            }
        }

        // Base year: everything from the imported lines.
        let policy = d.reserve_policy_pct;
        let mut years = Vec::with_capacity(h + 1);
        let (mut levy_b, mut aid_b, mut transfer_out_b, mut transfer_in_b) = (0, 0, 0, 0);
        for (p, &i) in self.order.iter().enumerate() {
            match pkg.lines[i].rule {
                Rule::Levy => levy_b += self.base[p],
                Rule::GeneralAid => aid_b += self.base[p],
                Rule::Transfer27 if self.kind_of[p] == LineKind::Expense => transfer_out_b += self.base[p],
                Rule::Transfer27 => transfer_in_b += self.base[p],
                _ => {}
            }
        }
        let netted = self.fund10.is_some_and(|f| self.operating[f]) && self.fund27.is_some_and(|f| self.operating[f]);
        {
            let funds = &mut fund_years[0];
            for (f, fy) in funds.iter_mut().enumerate() {
                fy.revenue = fy.lines_revenue;
                fy.expense = fy.lines_expense;
                fy.close = pkg.funds[f].opening_balance + fy.revenue - fy.expense;
            }
            let (t_out, t_in) = if netted { (transfer_out_b, transfer_in_b) } else { (0, 0) };
            years.push(self.totals(b, mi(b), funds, t_in, t_out, policy, None, d.revenue_limit_recurring_base, aid_b, levy_b));
        }

        // Projection years.
        let mut rl_rec_prev = d.revenue_limit_recurring_base;
        let mut ref_cum_prev: Cents = 0;
        let mut ref_rec_sum: Cents = 0;
        for y in 1..=h {
            let t = b + y as i32;
            let avg_prev = div_round((mi(t - 3) + mi(t - 2) + mi(t - 1)) as i128, 3) as i64;
            let avg_cur = div_round((mi(t - 2) + mi(t - 1) + mi(t)) as i128, 3) as i64;
            let base_per_member = div_round(rl_rec_prev as i128, avg_prev as i128) as Cents;
            let ppa = money(t, K::PerPupilAdjustment)?;
            let lrc = money(t, K::LowRevenueCeiling)?;
            let per_member = (base_per_member + ppa).max(lrc);
            let rl_formula = per_member * avg_cur;
            let decline = per_member * (avg_prev - avg_cur).max(0);
            let ex_rec = money(t, K::ExemptionRecurring)?;
            let ex_non = money(t, K::ExemptionNonrecurring)?;
            let rl_rec = rl_formula + ref_rec[y] + ex_rec;
            let rl = rl_rec + ref_non[y] + decline + ex_non;
            ref_rec_sum += ref_rec[y];
            let ref_cum = ref_rec_sum + ref_non[y];
            let ga = money(t, K::GeneralAid)?;
            let referendum_aid = Ratio::percent(a(t, K::ReferendumAidSharePct)).apply(ref_cum_prev);
            let aid = ga + referendum_aid;
            let levy_limit = rl - aid;
            let levy_outside = money(t, K::LevyOutsideLimit)?;
            let levy_total = levy_limit + levy_outside;
            let ev = money(t, K::EqualizedValue)?;
            if ev <= 0 {
                return Err(Error::Usage(format!("equalized_value for {t} must be above 0")));
            }
            let mill = div_round(levy_total as i128 * 1000 * 10_000, ev as i128) as i64;
            let tax = div_round(levy_total as i128 * 100_000 * 100, ev as i128) as Cents;

            let funds = &mut fund_years[y];
            let transfer = match self.fund27 {
                Some(f27) => funds[f27].lines_expense + funds[f27].levers_expense - funds[f27].lines_revenue - funds[f27].levers_revenue,
                None => 0,
            };
            if let Some(f10) = self.fund10 {
                funds[f10].computed_revenue += levy_limit + aid;
                funds[f10].computed_expense += transfer;
            }
            if let Some(f27) = self.fund27 {
                funds[f27].computed_revenue += transfer;
            }
            for f in 0..nf {
                let close_before = years[y - 1].funds[f].close;
                let fy = &mut fund_years[y][f];
                fy.revenue = fy.lines_revenue + fy.computed_revenue + fy.levers_revenue;
                fy.expense = fy.lines_expense + fy.computed_expense + fy.levers_expense;
                fy.close = close_before + fy.revenue - fy.expense;
            }
            let limit = LimitYear {
                avg_prev,
                avg_cur,
                base_per_member,
                ppa,
                lrc,
                per_member,
                rl_formula,
                decline,
                ref_rec: ref_rec[y],
                ref_non: ref_non[y],
                ref_cum,
                ref_cum_prev,
                exemption_recurring: ex_rec,
                exemption_nonrecurring: ex_non,
                rl_rec_prev,
                rl_rec,
                ga,
                referendum_aid,
                levy_outside,
                equalized_value: ev,
            };
            let (t_out, t_in) = if netted { (transfer, transfer) } else { (0, 0) };
            let mut yr = self.totals(t, mi(t), &fund_years[y], t_in, t_out, policy, Some(limit), rl, aid, levy_limit);
            yr.levy_total = Some(levy_total);
            yr.mill_rate = Some(mill);
            yr.tax_per_100k = Some(tax);
            years.push(yr);
            rl_rec_prev = rl_rec;
            ref_cum_prev = ref_cum;
        }

        Ok(Projection { scenario: scenario.name.clone(), base_year: b, years, levers, assumptions, amounts, lines: n })
    }

    #[allow(clippy::too_many_arguments)]
    fn totals(
        &self,
        year: FiscalYear,
        membership: i64,
        funds: &[FundYear],
        transfer_in: Cents,
        transfer_out: Cents,
        policy: Decimal,
        limit: Option<LimitYear>,
        revenue_limit: Cents,
        general_aid: Cents,
        levy_limit: Cents,
    ) -> YearResult {
        let op = || funds.iter().enumerate().filter(|(f, _)| self.operating[*f]).map(|(_, fy)| fy);
        let revenue = op().map(|fy| fy.revenue).sum::<Cents>() - transfer_in;
        let expense = op().map(|fy| fy.expense).sum::<Cents>() - transfer_out;
        let fund_balance = op().map(|fy| fy.close).sum::<Cents>();
        let reserve_pct = (expense != 0).then(|| mul_div_round(fund_balance, 10_000, expense));
        YearResult {
            year,
            membership,
            revenue_limit,
            general_aid,
            levy_limit,
            levy_total: None,
            mill_rate: None,
            tax_per_100k: None,
            revenue,
            expense,
            surplus: revenue - expense,
            fund_balance,
            reserve_pct,
            below_policy: reserve_pct.is_some_and(|r| Decimal::new(r, 2) < policy),
            transfer_out,
            transfer_in,
            limit,
            funds: funds.to_vec(),
        }
    }
}
