//! Golden cases: three small packages projected and checked to the cent against
//! arithmetic worked by hand from MODEL.md (each step is written beside its assert,
//! the way the appendix of MODEL.md works the tiny district).
//!
//! Case 1, `tiny-district`: the appendix example (recurring referendum, fund-27
//! transfer, a central-office percent cut).
//! Case 2, `prairie-nonrecurring`: growing membership (no decline exemption), the
//! low revenue ceiling winning, a non-recurring referendum and its aid lag,
//! exemptions, enrollment / one_time / flat rules, an override, amount levers
//! (indexed, not indexed, non-recurring), a percent lever that books to a
//! non-operating fund, no fund 27.
//! Case 3, `lakeshore-cuts`: steep decline, a scenario with a parent, assumption
//! precedence, an fte lever, an assumption lever that is not recurring, percent
//! levers on fund 27 and on revenue, and a projected year below policy.

use std::path::PathBuf;

use fulcrum::import::load_package;
use fulcrum::projection::{FundYear, LimitYear, Model, Projection, YearResult};
use fulcrum::scenario::resolve;
use rust_decimal::Decimal;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

struct Run {
    model: Model,
    p: Projection,
}

fn run(package: &str, scenario: &str) -> Run {
    let loaded = load_package(&fixture(package)).unwrap_or_else(|e| panic!("fixture {package} must load: {e}"));
    let resolved = resolve(&loaded.scenarios, scenario).unwrap_or_else(|e| panic!("scenario {scenario}: {e}"));
    let model = Model::new(loaded.package);
    let p = model.project(&resolved).unwrap_or_else(|e| panic!("projecting {scenario}: {e}"));
    Run { model, p }
}

impl Run {
    fn year(&self, y: i32) -> &YearResult {
        self.p.year(y).unwrap_or_else(|| panic!("no year {y} in the projection"))
    }
    fn limit(&self, y: i32) -> &LimitYear {
        self.year(y).limit.as_ref().unwrap_or_else(|| panic!("{y} has no revenue-limit chain"))
    }
    fn fund(&self, code: &str, y: i32) -> &FundYear {
        let f = self.model.fund_by_code(code).unwrap_or_else(|| panic!("no fund {code}"));
        &self.year(y).funds[f]
    }
    fn line(&self, name: &str, y: i32) -> i64 {
        let i = self.model.line_by_name(name).unwrap_or_else(|| panic!("no line {name}"));
        self.p.line_amount(&self.model, i, y).unwrap()
    }
    fn effect(&self, id: &str, y: i32) -> i64 {
        let lever = self.p.lever(id).unwrap_or_else(|| panic!("no lever {id}"));
        lever.effect[(y - self.p.base_year - 1) as usize]
    }
    fn matched(&self, id: &str) -> usize {
        self.p.lever(id).unwrap().matched_lines
    }
}

/// Cents of dollars written as the appendix writes them: `"12,821,101.00"`, `"-214,032.00"`.
fn usd(text: &str) -> i64 {
    let (neg, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let body = body.replace(',', "");
    let (whole, frac) = body.split_once('.').unwrap_or((&body, "00"));
    assert_eq!(frac.len(), 2, "write expected money with two decimals: {text}");
    let cents = whole.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap();
    if neg { -cents } else { cents }
}

/// A decimal text as an integer in units of 10^-`decimals`: mill rates (`"6.6346"`, 4)
/// and reserve percents (`"59.98"`, 2), the units `YearResult` holds them in.
fn scaled(text: &str, decimals: usize) -> i64 {
    let (whole, frac) = text.split_once('.').unwrap();
    assert_eq!(frac.len(), decimals, "{text} must have {decimals} decimals");
    whole.parse::<i64>().unwrap() * 10i64.pow(decimals as u32) + frac.parse::<i64>().unwrap()
}

#[track_caller]
fn money(actual: i64, expected: &str, why: &str) {
    assert_eq!(actual, usd(expected), "{why}: expected {expected}, the engine gave {}", Decimal::new(actual, 2));
}

#[track_caller]
fn mills(actual: Option<i64>, expected: &str, why: &str) {
    assert_eq!(actual, Some(scaled(expected, 4)), "{why}: expected mill rate {expected} (units of 1/10,000 mill)");
}

#[track_caller]
fn percent(actual: Option<i64>, expected: &str, why: &str) {
    assert_eq!(actual, Some(scaled(expected, 2)), "{why}: expected {expected} % (in hundredths)");
}

// ---------------------------------------------------------------------------
// Case 1: the tiny district of the MODEL.md appendix, scenario `passes`.
// B = 2024, H = 2. M: 2022 1000, 2023 990, 2024 975, 2025 960, 2026 950.
// ---------------------------------------------------------------------------

const TINY: &str = "tiny-district";
const TINY_SALARIES: &str = "10-001-110-120000-000/expense";
const TINY_BENEFITS: &str = "10-001-210-120000-000/expense";
const TINY_SERVICES: &str = "10-900-310-252000-000/expense";
const TINY_SPED_SALARIES: &str = "27-001-110-150000-011/expense";

#[test]
fn tiny_base_year_outputs_come_from_the_imported_lines() {
    let r = run(TINY, "passes");
    let y = r.year(2024);
    assert_eq!(r.p.years[0].year, 2024, "index 0 of the years is the base year B");
    assert_eq!(r.p.years.len(), 3, "B plus H = 2 projection years");
    assert_eq!(y.membership, 975);
    money(y.revenue_limit, "12,000,000.00", "revenue_limit(B) is RLrec(B) from district.csv");
    money(y.general_aid, "7,200,000.00", "general_aid(B) is the fund-10 source-621 line");
    money(y.levy_limit, "4,800,000.00", "levy_limit(B) is the fund-10 source-211 line");
    assert_eq!((y.levy_total, y.mill_rate, y.tax_per_100k), (None, None, None), "levy_total, mill_rate, tax are null in B");
    // fund 10: rev 4,800,000 + 7,200,000 + 150,000 = 12,150,000.00;
    //          exp 6,000,000 + 2,400,000 + 800,000 + 900,000 (827) = 10,100,000.00
    // fund 27: rev 900,000 (transfer) + 200,000 = 1,100,000; exp 1,100,000.
    money(r.fund("10", 2024).close, "3,550,000.00", "close(10,B) = 1,500,000 + 12,150,000 − 10,100,000");
    money(r.fund("27", 2024).close, "0.00", "close(27,B) = 0 + 1,100,000 − 1,100,000");
    money(y.revenue, "12,350,000.00", "revenue(B) = 12,150,000 + 1,100,000 − 900,000 (fund-27 transfer_27 line)");
    money(y.expense, "10,300,000.00", "expense(B) = 10,100,000 + 1,100,000 − 900,000 (fund-10 827 line)");
    money(y.surplus, "2,050,000.00", "surplus(B) = 12,350,000 − 10,300,000");
    money(y.fund_balance, "3,550,000.00", "fund_balance(B) = 3,550,000 + 0");
    percent(y.reserve_pct, "34.47", "R(3,550,000 × 100 / 10,300,000) = R(34.466…)");
    assert!(!y.below_policy, "34.47 % is not below the 10 % policy");
}

#[test]
fn tiny_2025_revenue_limit_chain_matches_the_worked_example() {
    let r = run(TINY, "passes");
    let l = r.limit(2025);
    assert_eq!(l.avg_prev, 988, "R0((1000 + 990 + 975) / 3) = R0(988.33…)");
    assert_eq!(l.avg_cur, 975, "R0((990 + 975 + 960) / 3) = 975");
    money(l.base_per_member, "12,145.75", "R(12,000,000.00 / 988) = R(12,145.748…)");
    money(l.per_member, "12,470.75", "12,145.75 + 325 = 12,470.75, above the LRC of 11,000");
    money(l.rl_formula, "12,158,981.25", "R(12,470.75 × 975)");
    money(l.decline, "162,119.75", "R(12,470.75 × (988 − 975))");
    money(l.rl_rec, "12,658,981.25", "12,158,981.25 + 500,000.00 (referendum increment) + 0 exemption");
    let y = r.year(2025);
    money(y.revenue_limit, "12,821,101.00", "RL = 12,658,981.25 + 0 + 162,119.75 + 0");
    money(l.ref_cum, "500,000.00", "ref_cum(2025) = the 2025 increment");
    money(y.general_aid, "7,100,000.00", "aid = 7,100,000.00 + R(50 × ref_cum(2024) = 0 / 100)");
    money(y.levy_limit, "5,721,101.00", "12,821,101.00 − 7,100,000.00");
    money(y.levy_total.unwrap(), "5,971,101.00", "5,721,101.00 + 250,000.00 outside the limit");
    mills(y.mill_rate, "6.6346", "R4(5,971,101.00 × 1000 / 900,000,000) = R4(6.63455…)");
    money(y.tax_per_100k.unwrap(), "663.46", "R(5,971,101.00 × 100000 / 900,000,000) = R(663.455…)");
}

#[test]
fn tiny_2025_lines_levers_and_totals_match_the_worked_example() {
    let r = run(TINY, "passes");
    money(r.line(TINY_SALARIES, 2025), "6,157,800.00", "R(6,000,000.00 × 102.63 / 100)");
    money(r.line(TINY_BENEFITS, 2025), "2,556,000.00", "R(2,400,000.00 × 106.5 / 100)");
    money(r.line(TINY_SERVICES, 2025), "823,200.00", "R(800,000.00 × 102.9 / 100)");
    money(r.line(TINY_SPED_SALARIES, 2025), "1,128,930.00", "R(1,100,000.00 × 102.63 / 100)");
    money(r.line("10-000-240-000000-000/revenue", 2025), "150,000.00", "flat");
    assert_eq!(r.matched("cut-central"), 1, "only the Business Office line is central");
    money(r.effect("cut-central", 2025), "214,032.00", "cutting R(823,200.00 × −26 / 100) = −214,032.00 of expense helps the surplus");
    let y = r.year(2025);
    money(y.transfer_out, "928,930.00", "T = 1,128,930.00 − 200,000.00");
    money(r.fund("10", 2025).computed_expense, "928,930.00", "T is fund-10 expense");
    money(r.fund("27", 2025).computed_revenue, "928,930.00", "T is fund-27 revenue");
    money(y.revenue, "13,171,101.00", "5,721,101.00 + 7,100,000.00 + 150,000.00 + 200,000.00");
    money(y.expense, "10,451,898.00", "6,157,800.00 + 2,556,000.00 + 823,200.00 − 214,032.00 + 1,128,930.00");
    money(y.surplus, "2,719,203.00", "13,171,101.00 − 10,451,898.00");
    money(y.fund_balance, "6,269,203.00", "3,550,000.00 + 2,719,203.00");
    money(r.fund("27", 2025).close, "0.00", "fund 27 holds no balance: 0 + 200,000 + 928,930 − 1,128,930");
    percent(y.reserve_pct, "59.98", "R(6,269,203.00 × 100 / 10,451,898.00) = R(59.981…)");
}

#[test]
fn tiny_2026_recurring_referendum_lives_on_in_the_base_and_returns_as_aid() {
    let r = run(TINY, "passes");
    let l = r.limit(2026);
    assert_eq!(l.avg_prev, 975, "R0((990 + 975 + 960) / 3) = 975");
    assert_eq!(l.avg_cur, 962, "R0((975 + 960 + 950) / 3) = R0(961.67)");
    money(l.rl_rec_prev, "12,658,981.25", "RLrec(2025) carries the 500,000 increment");
    // Without the referendum the base would be 12,158,981.25 / 975 = 12,470.75 exactly.
    money(l.base_per_member, "12,983.57", "R(12,658,981.25 / 975) = R(12,983.5705…): the increment is in the base, scaled per member");
    money(l.per_member, "13,308.57", "12,983.57 + 325");
    money(l.rl_formula, "12,802,844.34", "R(13,308.57 × 962)");
    money(l.decline, "173,011.41", "R(13,308.57 × (975 − 962))");
    money(l.rl_rec, "13,102,844.34", "12,802,844.34 + 300,000.00 (the 2026 increment)");
    let y = r.year(2026);
    money(y.revenue_limit, "13,275,855.75", "13,102,844.34 + 173,011.41");
    money(l.ref_cum_prev, "500,000.00", "ref_cum(2025)");
    money(l.ref_cum, "800,000.00", "ref_cum(2026) = 500,000 + 300,000");
    money(l.referendum_aid, "250,000.00", "R(50 × 500,000.00 / 100): last year's authority returns as aid");
    money(y.general_aid, "7,300,000.00", "7,050,000.00 + 250,000.00 (MODEL.md appendix)");
    money(y.levy_limit, "5,975,855.75", "13,275,855.75 − 7,300,000.00");
    money(y.levy_total.unwrap(), "6,225,855.75", "5,975,855.75 + 250,000.00");
    mills(y.mill_rate, "6.6945", "R4(6,225,855.75 × 1000 / 930,000,000) = R4(6.694468…)");
    money(y.tax_per_100k.unwrap(), "669.45", "R(6,225,855.75 × 100000 / 930,000,000) = R(669.4468…)");
}

#[test]
fn tiny_2026_lines_levers_and_totals() {
    let r = run(TINY, "passes");
    money(r.line(TINY_SALARIES, 2026), "6,342,534.00", "R(6,157,800.00 × 103 / 100)");
    money(r.line(TINY_BENEFITS, 2026), "2,722,140.00", "R(2,556,000.00 × 106.5 / 100)");
    money(r.line(TINY_SERVICES, 2026), "843,780.00", "R(823,200.00 × 102.5 / 100)");
    money(r.line(TINY_SPED_SALARIES, 2026), "1,162,797.90", "R(1,128,930.00 × 103 / 100)");
    money(r.effect("cut-central", 2026), "219,382.80", "−R(843,780.00 × −26 / 100): the cut applies to the grown line");
    let y = r.year(2026);
    money(y.transfer_out, "962,797.90", "T = 1,162,797.90 − 200,000.00");
    money(y.revenue, "13,625,855.75", "5,975,855.75 + 7,300,000.00 + 150,000.00 + 200,000.00");
    money(y.expense, "10,851,869.10", "6,342,534 + 2,722,140 + 843,780 − 219,382.80 + 1,162,797.90");
    money(y.surplus, "2,773,986.65", "13,625,855.75 − 10,851,869.10");
    money(y.fund_balance, "9,043,189.65", "6,269,203.00 + 2,773,986.65");
    percent(y.reserve_pct, "83.33", "R(9,043,189.65 × 100 / 10,851,869.10) = R(83.333…)");
}

#[test]
fn tiny_baseline_has_no_referendum_in_the_limit_or_the_aid() {
    let r = run(TINY, "baseline");
    let y = r.year(2025);
    money(r.limit(2025).rl_rec, "12,158,981.25", "RLrec = rl_formula only: no increment");
    money(y.revenue_limit, "12,321,101.00", "12,158,981.25 + 162,119.75 decline");
    money(y.levy_limit, "5,221,101.00", "12,321,101.00 − 7,100,000.00");
    mills(y.mill_rate, "6.0790", "R4(5,471,101.00 × 1000 / 900,000,000) = R4(6.07900…)");
    // Expense has no cut: 6,157,800 + 2,556,000 + 823,200 + 1,128,930 = 10,665,930.
    money(y.expense, "10,665,930.00", "no lever in the baseline");
    money(y.surplus, "2,005,171.00", "12,671,101.00 − 10,665,930.00");
    let l = r.limit(2026);
    money(l.base_per_member, "12,470.75", "R(12,158,981.25 / 975) = 12,470.75 exactly");
    money(l.rl_formula, "12,309,511.50", "R((12,470.75 + 325) × 962)");
    money(r.year(2026).general_aid, "7,050,000.00", "no referendum, so no referendum aid: 7,050,000 + R(50 × 0 / 100)");
    money(r.year(2026).levy_limit, "5,425,856.25", "12,309,511.50 + 166,344.75 − 7,050,000.00");
    assert!(r.p.levers.is_empty(), "the baseline has no levers");
}

// ---------------------------------------------------------------------------
// Case 2: Prairie, growing, scenario `nonrec`.
// B = 2024, H = 3, RLrec(B) = 9,000,000.00, policy 15 %, no fund 27,
// fund 80 is not operating. M: 2022 900, 2023 910, 2024 935, 2025 950,
// 2026 970, 2027 990. Rates (salary/benefit/inflation): 2025 3.00/7.25/2.00,
// 2026 2.50/6.00/3.00, 2027 2.00/5.00/2.50.
// ---------------------------------------------------------------------------

const PRAIRIE: &str = "prairie-nonrecurring";
const P_SALARIES: &str = "10-001-110-120000-000/expense";
const P_BENEFITS: &str = "10-001-220-120000-000/expense";
const P_SUPPLIES: &str = "10-001-411-120000-000/expense";
const P_ROOF: &str = "10-900-390-254000-000/expense";
const P_AUDIT: &str = "10-900-310-252000-000/expense";
const P_DUES: &str = "10-001-940-120000-000/expense";
const P_COMMUNITY_FEES: &str = "80-001-480-000000-000/revenue";
const P_COMMUNITY_STAFF: &str = "80-001-110-390000-000/expense";

#[test]
fn prairie_rows_with_one_name_are_summed_and_the_base_year_is_below_policy() {
    let r = run(PRAIRIE, "nonrec");
    assert_eq!(r.model.package().lines.len(), 11, "12 rows, two of them the same line (empty project means 000)");
    money(r.line(P_SALARIES, 2024), "6,000,000.00", "5,000,000.00 + $1,000,000 summed into one line");
    let y = r.year(2024);
    // fund 10: rev 4,300,000 + 4,900,000 + 100,000 = 9,300,000;
    //          exp 6,000,000 + 2,600,000 + 300,000 + 250,000 + 400,000 + 20,000 = 9,570,000.
    money(y.revenue, "9,300,000.00", "fund 80 is not operating; no fund 27, so nothing is netted");
    money(y.expense, "9,570,000.00", "fund-10 expense lines");
    money(y.surplus, "-270,000.00", "9,300,000 − 9,570,000");
    money(y.fund_balance, "530,000.00", "800,000 − 270,000; fund 80 left out");
    money(r.fund("80", 2024).close, "15,000.00", "10,000 + 60,000 − 55,000, kept but not in the totals");
    percent(y.reserve_pct, "5.54", "R(530,000 × 100 / 9,570,000) = R(5.538…)");
    assert!(y.below_policy, "5.54 % < 15 %");
}

#[test]
fn prairie_2025_low_revenue_ceiling_wins_without_a_decline_exemption() {
    let r = run(PRAIRIE, "nonrec");
    let l = r.limit(2025);
    assert_eq!(l.avg_prev, 915, "R0((900 + 910 + 935) / 3) = 915 (2021 is ignored)");
    assert_eq!(l.avg_cur, 932, "R0((910 + 935 + 950) / 3) = R0(931.67)");
    money(l.base_per_member, "9,836.07", "R(9,000,000.00 / 915) = R(9,836.0655…)");
    money(l.per_member, "11,000.00", "max(9,836.07 + 325 = 10,161.07, LRC 11,000): the ceiling wins");
    money(l.rl_formula, "10,252,000.00", "R(11,000 × 932)");
    money(l.decline, "0.00", "membership grows: max(0, 915 − 932) = 0");
    money(l.rl_rec, "10,272,000.00", "10,252,000 + 0 recurring referendum + 20,000 exemption_recurring");
    let y = r.year(2025);
    money(y.revenue_limit, "10,687,000.50", "10,272,000 + 400,000 ref_non + 0 decline + 15,000.50 exemption_nonrecurring");
    money(l.ref_cum, "400,000.00", "ref_cum(2025) = 0 recurring + 400,000 non-recurring");
    money(y.general_aid, "5,000,000.00", "5,000,000 + R(40 × 0 / 100)");
    money(y.levy_limit, "5,687,000.50", "10,687,000.50 − 5,000,000");
    money(y.levy_total.unwrap(), "5,807,000.50", "+ 120,000 outside the limit");
    mills(y.mill_rate, "8.2957", "R4(5,807,000.50 × 1000 / 700,000,000) = R4(8.295715)");
    money(y.tax_per_100k.unwrap(), "829.57", "R(5,807,000.50 × 100000 / 700,000,000) = R(829.5715)");
}

#[test]
fn prairie_2025_rules_override_and_amount_levers() {
    let r = run(PRAIRIE, "nonrec");
    money(r.line(P_SALARIES, 2025), "6,180,000.00", "R(6,000,000 × 103 / 100)");
    money(r.line(P_BENEFITS, 2025), "2,788,500.00", "R(2,600,000 × 107.25 / 100)");
    money(r.line(P_SUPPLIES, 2025), "304,812.83", "enrollment: R(300,000.00 × 950 / 935) = R(304,812.834…)");
    money(r.line(P_ROOF, 2025), "0.00", "one_time: 0 after B");
    money(r.line(P_AUDIT, 2025), "410,000.00", "the override's exact amount, not R(400,000 × 1.02) = 408,000");
    money(r.line(P_DUES, 2025), "20,000.00", "flat");
    money(r.line(P_COMMUNITY_STAFF, 2025), "56,650.00", "R(55,000 × 103 / 100) in the non-operating fund");
    money(r.effect("rental", 2025), "12,345.67", "amount revenue lever, A(start_year) = value");
    money(r.effect("one-shot", 2025), "-30,000.00", "non-recurring amount expense lever in its start_year");
    money(r.effect("pd", 2025), "0.00", "starts in 2026");
    money(r.effect("trim-001", 2025), "0.00", "starts in 2026");
    let y = r.year(2025);
    money(y.transfer_out, "0.00", "no fund 27: T = 0");
    money(y.revenue, "10,799,346.17", "5,687,000.50 + 5,000,000 + 100,000 + 12,345.67");
    money(y.expense, "9,733,312.83", "6,180,000 + 2,788,500 + 304,812.83 + 0 + 410,000 + 20,000 + 30,000");
    money(y.surplus, "1,066,033.34", "10,799,346.17 − 9,733,312.83");
    money(y.fund_balance, "1,596,033.34", "530,000 + 1,066,033.34");
    percent(y.reserve_pct, "16.40", "R(1,596,033.34 × 100 / 9,733,312.83) = R(16.3976…)");
    assert!(!y.below_policy, "16.40 % ≥ 15 %");
    money(r.fund("80", 2025).close, "18,350.00", "15,000 + 60,000 − 56,650");
}

#[test]
fn prairie_2026_formula_beats_the_ceiling_and_the_nonrecurring_referendum_returns_as_aid() {
    let r = run(PRAIRIE, "nonrec");
    let l = r.limit(2026);
    assert_eq!(l.avg_prev, 932, "R0((910 + 935 + 950) / 3)");
    assert_eq!(l.avg_cur, 952, "R0((935 + 950 + 970) / 3) = R0(951.67)");
    // RLrec(2025) keeps the recurring exemption but not the non-recurring items.
    money(l.rl_rec_prev, "10,272,000.00", "RLrec(2025): no ref_non, decline or exemption_nonrecurring");
    money(l.base_per_member, "11,021.46", "R(10,272,000 / 932) = R(11,021.459…)");
    money(l.per_member, "11,221.46", "11,021.46 + 200 beats the LRC of 11,000");
    money(l.rl_formula, "10,682,829.92", "R(11,221.46 × 952)");
    money(l.decline, "0.00", "max(0, 932 − 952) = 0");
    money(l.rl_rec, "10,682,829.92", "no recurring referendum or exemption in 2026");
    let y = r.year(2026);
    money(y.revenue_limit, "11,032,829.92", "10,682,829.92 + 350,000 ref_non(2026)");
    money(l.ref_cum_prev, "400,000.00", "ref_cum(2025) includes ref_non(2025)");
    money(l.ref_cum, "350,000.00", "ref_cum(2026) = 0 recurring + ref_non(2026) only");
    money(y.general_aid, "5,260,000.00", "5,100,000 + R(40 × 400,000 / 100) = 5,100,000 + 160,000");
    money(y.levy_limit, "5,772,829.92", "11,032,829.92 − 5,260,000");
    money(y.levy_total.unwrap(), "5,892,829.92", "+ 120,000");
    mills(y.mill_rate, "8.1845", "R4(5,892,829.92 × 1000 / 720,000,000) = R4(8.184486)");
    money(y.tax_per_100k.unwrap(), "818.45", "R(5,892,829.92 × 100000 / 720,000,000) = R(818.4486)");
}

#[test]
fn prairie_2026_override_grows_and_the_percent_filter_books_to_the_non_operating_fund() {
    let r = run(PRAIRIE, "nonrec");
    money(r.line(P_AUDIT, 2026), "422,300.00", "grows from the 2025 override: R(410,000 × 103 / 100)");
    money(r.line(P_SALARIES, 2026), "6,334,500.00", "R(6,180,000 × 102.5 / 100)");
    money(r.line(P_BENEFITS, 2026), "2,955,810.00", "R(2,788,500 × 106 / 100)");
    money(r.line(P_SUPPLIES, 2026), "311,229.94", "R(304,812.83 × 970 / 950) = R(311,229.942…)");
    money(r.line(P_COMMUNITY_STAFF, 2026), "58,066.25", "R(56,650 × 102.5 / 100)");
    // trim-001 matches fund 10 or 80, location 001, code 300-499 (sources and objects):
    // the supplies line (411) and the community fees revenue (480), nothing else.
    assert_eq!(r.matched("trim-001"), 2, "supplies 10-001-411 and community fees 80-001-480");
    money(r.effect("trim-001", 2026), "31,122.99", "−R(311,229.94 × −10 / 100); the −6,000 on fund 80 revenue is not operating");
    money(r.fund("80", 2026).levers_revenue, "-6,000.00", "R(60,000 × −10 / 100) booked to fund 80 revenue");
    money(r.fund("80", 2026).close, "14,283.75", "18,350 + (60,000 − 6,000) − 58,066.25");
    money(r.effect("pd", 2026), "-50,000.00", "A(2026) = value in its start_year, not indexed yet");
    money(r.effect("one-shot", 2026), "0.00", "recurring false: start_year only");
    money(r.effect("rental", 2026), "12,345.67", "not indexed: value every year");
    let y = r.year(2026);
    money(y.revenue, "11,145,175.59", "5,772,829.92 + 5,260,000 + 100,000 + 12,345.67");
    money(y.expense, "10,062,716.95", "6,334,500 + 2,955,810 + 311,229.94 + 422,300 + 20,000 + 50,000 − 31,122.99");
    money(y.surplus, "1,082,458.64", "11,145,175.59 − 10,062,716.95");
    money(y.fund_balance, "2,678,491.98", "1,596,033.34 + 1,082,458.64");
    percent(y.reserve_pct, "26.62", "R(2,678,491.98 × 100 / 10,062,716.95) = R(26.617…)");
}

#[test]
fn prairie_2027_indexed_amount_grows_and_last_years_nonrecurring_authority_returns_as_aid() {
    let r = run(PRAIRIE, "nonrec");
    let l = r.limit(2027);
    assert_eq!((l.avg_prev, l.avg_cur), (952, 970), "R0(2855 / 3) = 952, R0(2910 / 3) = 970");
    money(l.per_member, "11,221.46", "R(10,682,829.92 / 952) = 11,221.46 exactly, + 0 PPA, above 11,000");
    money(l.rl_formula, "10,884,816.20", "R(11,221.46 × 970)");
    let y = r.year(2027);
    money(y.revenue_limit, "10,884,816.20", "no referendum in 2027, no decline");
    money(y.general_aid, "5,340,000.00", "5,200,000 + R(40 × ref_cum(2026) = 350,000 / 100)");
    money(y.levy_limit, "5,544,816.20", "10,884,816.20 − 5,340,000");
    mills(y.mill_rate, "7.6619", "R4(5,669,816.20 × 1000 / 740,000,000) = R4(7.661913…)");
    money(y.tax_per_100k.unwrap(), "766.19", "R(5,669,816.20 × 100000 / 740,000,000)");
    money(r.line(P_COMMUNITY_STAFF, 2027), "59,227.58", "R(58,066.25 × 102 / 100) = R(59,227.575): half away from zero");
    money(r.line(P_BENEFITS, 2027), "3,103,600.50", "R(2,955,810 × 105 / 100)");
    money(r.line(P_SUPPLIES, 2027), "317,647.05", "R(311,229.94 × 990 / 970) = R(317,647.052…)");
    money(r.line(P_AUDIT, 2027), "432,857.50", "R(422,300 × 102.5 / 100)");
    money(r.line(P_COMMUNITY_FEES, 2027), "60,000.00", "flat; the 2026 trim did not change the line itself");
    money(r.effect("pd", 2027), "-51,250.00", "indexed: R(50,000 × 102.5 / 100)");
    money(r.effect("trim-001", 2027), "0.00", "recurring false");
    let y = r.year(2027);
    money(y.expense, "10,386,545.05", "6,461,190 + 3,103,600.50 + 317,647.05 + 432,857.50 + 20,000 + 51,250");
    money(y.surplus, "610,616.82", "10,997,161.87 − 10,386,545.05");
    money(y.fund_balance, "3,289,108.80", "2,678,491.98 + 610,616.82");
    percent(y.reserve_pct, "31.67", "R(3,289,108.80 × 100 / 10,386,545.05)");
}

// ---------------------------------------------------------------------------
// Case 3: Lakeshore, declining, scenario `cuts` (parent `plan`).
// B = 2030, H = 2, RLrec(B) = 7,700,000, policy 12.75 %.
// M: 2028 640, 2029 630, 2030 622, 2031 610, 2032 600.
// Package rates 2031 3.00/8.00/2.50, 2032 3.00/7.00/2.50; `plan` sets salary
// 2031 = 4.00 and inflation 2032 = 1.50; `cuts` replaces inflation 2032 with
// 2.00 and its lever hold-salaries sets salary 2031 = 0 (not recurring).
// ---------------------------------------------------------------------------

const LAKE: &str = "lakeshore-cuts";
const L_NORTH: &str = "10-001-111-110000-000/expense";
const L_SOUTH: &str = "10-002-111-110000-000/expense";
const L_HEALTH: &str = "10-001-212-110000-000/expense";
const L_SUPT: &str = "10-800-110-231000-000/expense";
const L_TECH: &str = "10-850-340-256000-000/expense";
const L_SPED_TEACHERS: &str = "27-001-110-158000-011/expense";
const L_SPED_SUPPLIES: &str = "27-001-350-158000-011/expense";

#[test]
fn lakeshore_base_year_nets_unequal_transfer_lines_and_is_below_policy() {
    let r = run(LAKE, "cuts");
    let y = r.year(2030);
    // fund 10: rev 3,900,000 + 3,800,000 + 80,000 = 7,780,000;
    //          exp 3,000,000 + 2,000,000 + 1,250,000 + 500,000 + 300,000 + 700,000 = 7,750,000.
    // fund 27: rev 700,000 + 50,000 = 750,000; exp 600,000 + 100,000 = 700,000.
    money(y.revenue, "7,830,000.00", "7,780,000 + 750,000 − 700,000 (fund-27 transfer line)");
    money(y.expense, "7,750,000.00", "7,750,000 + 700,000 − 700,000 (fund-10 827 line)");
    money(r.fund("10", 2030).close, "430,000.00", "400,000 + 7,780,000 − 7,750,000");
    money(r.fund("27", 2030).close, "50,000.00", "0 + 750,000 − 700,000");
    money(y.fund_balance, "480,000.00", "430,000 + 50,000");
    percent(y.reserve_pct, "6.19", "R(480,000 × 100 / 7,750,000) = R(6.1935…)");
    assert!(y.below_policy, "6.19 % < 12.75 %");
}

#[test]
fn lakeshore_2031_declining_enrollment_exemption() {
    let r = run(LAKE, "cuts");
    let l = r.limit(2031);
    assert_eq!(l.avg_prev, 631, "R0((640 + 630 + 622) / 3) = R0(630.67)");
    assert_eq!(l.avg_cur, 621, "R0((630 + 622 + 610) / 3) = R0(620.67)");
    money(l.base_per_member, "12,202.85", "R(7,700,000 / 631) = R(12,202.8526…)");
    money(l.per_member, "12,552.85", "12,202.85 + 350, above the LRC of 10,000");
    money(l.rl_formula, "7,795,319.85", "R(12,552.85 × 621)");
    money(l.decline, "125,528.50", "R(12,552.85 × (631 − 621))");
    money(l.rl_rec, "7,795,319.85", "no referendum, no exemption");
    let y = r.year(2031);
    money(y.revenue_limit, "7,920,848.35", "7,795,319.85 + 125,528.50 (non-recurring)");
    money(y.general_aid, "3,750,000.00", "GA + R(30 × 0 / 100)");
    money(y.levy_limit, "4,170,848.35", "7,920,848.35 − 3,750,000");
    money(y.levy_total.unwrap(), "4,260,848.35", "+ 90,000 outside the limit");
    mills(y.mill_rate, "8.5217", "R4(4,260,848.35 × 1000 / 500,000,000) = R4(8.5216967)");
    money(y.tax_per_100k.unwrap(), "852.17", "R(4,260,848.35 × 100000 / 500,000,000) = R(852.16967)");
}

#[test]
fn lakeshore_2031_assumption_lever_beats_the_scenario_which_beats_the_package() {
    let r = run(LAKE, "cuts");
    // salary_increase_pct 2031: package 3.00, `plan` 4.00, lever hold-salaries 0.
    money(r.line(L_NORTH, 2031), "3,000,000.00", "R(3,000,000 × (100 + 0) / 100): the lever wins");
    money(r.line(L_SUPT, 2031), "500,000.00", "held too");
    money(r.line(L_SPED_TEACHERS, 2031), "600,000.00", "fund-27 salaries held too");
    money(r.line(L_HEALTH, 2031), "1,350,000.00", "benefits untouched: R(1,250,000 × 108 / 100)");
    money(r.line(L_TECH, 2031), "307,500.00", "R(300,000 × 102.5 / 100)");
    // cost(2031) = R(85,000.00 × (100 + 0) / 100) = 85,000.00 → R(−3 × 85,000) = −255,000.
    money(r.effect("teachers", 2031), "255,000.00", "3 fewer positions at 85,000.00, salaries held");
    let plan = run(LAKE, "plan");
    money(plan.line(L_NORTH, 2031), "3,120,000.00", "without the lever the scenario's 4.00 % applies: R(3,000,000 × 104 / 100)");
    money(plan.line(L_TECH, 2032), "312,112.50", "`plan` inflation 2032 is 1.50: R(307,500 × 101.5 / 100)");
    money(r.line(L_TECH, 2032), "313,650.00", "`cuts` replaces the (2032, inflation_pct) item with 2.00: R(307,500 × 102 / 100)");
}

#[test]
fn lakeshore_2031_fund_27_levers_move_the_transfer_and_totals() {
    let r = run(LAKE, "cuts");
    assert_eq!(r.matched("fees"), 1, "revenue codes 100-299 match student fees (291) but never the computed levy (211) or transfer (27-100)");
    assert_eq!(r.matched("sped-supplies"), 1, "fund 27, expense, 300-399: the supplies line");
    assert_eq!(r.matched("tech-trim"), 1, "central and function 256…: technology, not the superintendent (231000)");
    money(r.effect("fees", 2031), "20,000.00", "R(80,000 × 25 / 100) of revenue");
    money(r.effect("sped-supplies", 2031), "20,500.00", "−R(102,500 × −20 / 100): a fund-27 cut helps the surplus through the transfer");
    money(r.effect("tech-trim", 2031), "0.00", "starts 2032");
    let y = r.year(2031);
    money(y.transfer_out, "632,000.00", "T = (600,000 + 102,500 − 20,500) − 50,000");
    money(y.revenue, "8,070,848.35", "4,170,848.35 + 3,750,000 + 80,000 + 20,000 + 50,000");
    money(y.expense, "7,584,500.00", "3,000,000 + 2,000,000 + 1,350,000 + 500,000 + 307,500 − 255,000 + 682,000 (fund 27)");
    money(y.surplus, "486,348.35", "8,070,848.35 − 7,584,500");
    money(r.fund("10", 2031).close, "916,348.35", "430,000 + 8,020,848.35 − 7,534,500 (with T)");
    money(r.fund("27", 2031).close, "50,000.00", "T balances fund 27: 50,000 + 50,000 + 632,000 − 682,000");
    money(y.fund_balance, "966,348.35", "480,000 + 486,348.35");
    percent(y.reserve_pct, "12.74", "R(966,348.35 × 100 / 7,584,500) = R(12.741…)");
    assert!(y.below_policy, "12.74 % < 12.75 %: below policy in a projected year");
}

#[test]
fn lakeshore_2032_rates_fte_cost_and_totals() {
    let r = run(LAKE, "cuts");
    let l = r.limit(2032);
    assert_eq!((l.avg_prev, l.avg_cur), (621, 611), "R0(1862 / 3) = 621, R0(1832 / 3) = R0(610.67) = 611");
    money(l.base_per_member, "12,552.85", "R(7,795,319.85 / 621) = 12,552.85 exactly");
    money(l.rl_formula, "7,883,641.35", "R((12,552.85 + 350) × 611)");
    money(l.decline, "129,028.50", "R(12,902.85 × 10)");
    let y = r.year(2032);
    money(y.revenue_limit, "8,012,669.85", "7,883,641.35 + 129,028.50");
    money(y.levy_limit, "4,312,669.85", "8,012,669.85 − 3,700,000");
    mills(y.mill_rate, "8.6327", "R4(4,402,669.85 × 1000 / 510,000,000) = R4(8.632686…)");
    money(y.tax_per_100k.unwrap(), "863.27", "R(4,402,669.85 × 100000 / 510,000,000)");
    money(r.line(L_NORTH, 2032), "3,090,000.00", "back to the package's 3.00 % from the held amount");
    money(r.line(L_SOUTH, 2032), "2,060,000.00", "R(2,000,000 × 103 / 100)");
    money(r.line(L_HEALTH, 2032), "1,444,500.00", "R(1,350,000 × 107 / 100)");
    money(r.line(L_SPED_SUPPLIES, 2032), "104,550.00", "R(102,500 × 102 / 100)");
    // cost(2032) = R(85,000 × 103 / 100) = 87,550 → R(−3 × 87,550) = −262,650.
    money(r.effect("teachers", 2032), "262,650.00", "the fte cost grows by the salary rate of each year");
    money(r.effect("tech-trim", 2032), "31,365.00", "−R(313,650 × −10 / 100)");
    money(r.effect("sped-supplies", 2032), "20,910.00", "−R(104,550 × −20 / 100)");
    money(r.effect("fees", 2032), "20,000.00", "R(80,000 × 25 / 100)");
    money(y.transfer_out, "651,640.00", "T = 618,000 + 104,550 − 20,910 − 50,000");
    money(y.revenue, "8,162,669.85", "4,312,669.85 + 3,700,000 + 80,000 + 20,000 + 50,000");
    money(y.expense, "7,830,775.00", "3,090,000 + 2,060,000 + 1,444,500 + 515,000 + 313,650 − 262,650 − 31,365 + 701,640");
    money(y.surplus, "331,894.85", "8,162,669.85 − 7,830,775");
    money(y.fund_balance, "1,298,243.20", "966,348.35 + 331,894.85");
    percent(y.reserve_pct, "16.58", "R(1,298,243.20 × 100 / 7,830,775) = R(16.578…)");
    assert!(!y.below_policy, "16.58 % ≥ 12.75 %");
}

#[test]
fn lakeshore_assumption_lever_effect_is_the_surplus_difference_and_outlives_its_year() {
    let r = run(LAKE, "cuts");
    // Without hold-salaries the 2031 rate is `plan`'s 4.00 %:
    // 2031 salaries +120,000 (north) +80,000 (south) +20,000 (supt) +24,000 (sped) = +244,000
    //      teachers cost R(85,000 × 1.04) = 88,400 → −265,200 instead of −255,000: −10,200
    //      surplus lower by 244,000 − 10,200 = 233,800.
    money(r.effect("hold-salaries", 2031), "233,800.00", "surplus(cuts) − surplus(cuts without hold-salaries) in 2031");
    // 2032 at 3.00 % on the higher bases: 3,213,600 − 3,090,000 = 123,600; 2,142,400 − 2,060,000 = 82,400;
    //      535,600 − 515,000 = 20,600; 642,720 − 618,000 = 24,720; teachers R(88,400 × 1.03) = 91,052 →
    //      −273,156 vs −262,650: −10,506. Net 123,600 + 82,400 + 20,600 + 24,720 − 10,506 = 240,814.
    money(r.effect("hold-salaries", 2032), "240,814.00", "recurring false, yet the held year lives on in every later base");
    let loaded = load_package(&fixture(LAKE)).unwrap();
    let without = Model::new(loaded.package.clone())
        .project(&resolve(&loaded.scenarios, "cuts").unwrap().without_lever("hold-salaries"))
        .unwrap();
    money(without.year(2031).unwrap().surplus, "252,548.35", "486,348.35 − 233,800");
    money(without.year(2032).unwrap().surplus, "91,080.85", "331,894.85 − 240,814");
    assert!(r.p.lever("hold-salaries").unwrap().booked.iter().flatten().all(|&b| b == (0, 0)), "an assumption lever books nothing");
}
