//! Synthetic district packages (MODEL.md §3): `generate_package` writes a random one of any
//! size for tests and benchmarks, `write_sample_district` the committed sample district.
//!
//! Only `std` and no floating point: amounts are integer cents, rates hundredths of a percent,
//! FTE hundredths. So a call writes the same bytes on every platform and build, which the tests
//! pin (the committed sample must equal a fresh write). Fixed data lives in `|`-separated text
//! tables, which read like the spreadsheets they stand for.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::str::FromStr;

/// Base year `B` of both packages: the 2023-24 adopted budget.
const BASE_YEAR: u32 = 2024;
/// Projection years of both packages.
const HORIZON: usize = 5;
/// Health insurance per FTE, dollars: it is what makes benefits the fastest-growing cost.
const HEALTH_PER_FTE: i64 = 19_000;

/// SplitMix64 (Steele, Lea & Flood 2014), inline instead of the `rand` crate on purpose: a
/// seed must name the same package forever, and `rand` does not promise stable streams
/// across versions.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`; the modulo bias is far below anything a budget shows.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
}

/// The trimmed `|`-separated fields of each row of a text table.
fn rows(table: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    table
        .lines()
        .map(|row| row.split('|').map(str::trim).collect())
}

/// A number from a text table in this file; the tests write every table, so a typo fails them.
fn num<T: FromStr>(field: &str) -> T {
    field
        .parse()
        .unwrap_or_else(|_| panic!("table field {field:?} is not a number"))
}

/// One row of `budget_lines.csv`, usually built by struct update from a base line that names
/// fund, location and department. `fte` is in hundredths; an empty `rule` means the default.
#[derive(Clone, Copy, Default)]
struct Line<'a> {
    fund: u8,
    location: u16,
    revenue: bool,
    code: u16,
    function: u32,
    project: u16,
    department: &'a str,
    description: &'a str,
    cents: i64,
    fte: Option<i64>,
    rule: &'a str,
}

impl<'a> Line<'a> {
    /// A line of `fund` at `location` booked to `department`.
    fn at(fund: u8, location: u16, department: &'a str) -> Self {
        Line {
            fund,
            location,
            department,
            ..Line::default()
        }
    }

    fn with_fund(self, fund: u8) -> Self {
        Line { fund, ..self }
    }

    fn with_function(self, function: u32) -> Self {
        Line { function, ..self }
    }

    fn with_rule(self, rule: &'a str) -> Self {
        Line { rule, ..self }
    }
}

impl Line<'static> {
    /// A row of a line table: fund | location | department | `R`evenue or `E`xpense | code |
    /// function | project | description | whole dollars | rule.
    fn parse(f: &[&'static str]) -> Self {
        Line {
            fund: num(f[0]),
            location: num(f[1]),
            department: f[2],
            revenue: f[3] == "R",
            code: num(f[4]),
            function: num(f[5]),
            project: num(f[6]),
            description: f[7],
            cents: num::<i64>(f[8]) * 100,
            fte: None,
            rule: f[9],
        }
    }
}

/// What writing a file returns.
type Io = io::Result<()>;

/// Streams rows into `budget_lines.csv` through one reused buffer. It keeps per-fund totals,
/// so the lines that balance a package (levy, aid, transfer) can be sized after the rest, and
/// silently drops rows past `remaining`, so a small package keeps only the first fixed lines.
struct LineWriter {
    out: BufWriter<File>,
    row: Vec<u8>,
    remaining: usize,
    revenue: [i64; 100],
    expense: [i64; 100],
}

impl LineWriter {
    fn create(dir: &Path, remaining: usize) -> io::Result<Self> {
        let file = File::create(dir.join("budget_lines.csv"))?;
        let mut out = BufWriter::with_capacity(1 << 16, file);
        out.write_all(b"fund,location,kind,code,function,project,department,")?;
        out.write_all(b"description,amount,fte,rule\n")?;
        let (row, revenue, expense) = (Vec::with_capacity(160), [0; 100], [0; 100]);
        Ok(Self {
            out,
            row,
            remaining,
            revenue,
            expense,
        })
    }

    fn write(&mut self, l: &Line) -> Io {
        debug_assert!(!l.description.contains(','), "fields are written unquoted");
        if self.remaining == 0 {
            return Ok(());
        }
        self.remaining -= 1;
        let r = &mut self.row;
        r.clear();
        push_uint(r, l.fund.into(), 2);
        r.push(b',');
        push_uint(r, l.location.into(), 3);
        let kind: &[u8] = if l.revenue {
            b",revenue,"
        } else {
            b",expense,"
        };
        r.extend_from_slice(kind);
        push_uint(r, l.code.into(), 3);
        r.push(b',');
        push_uint(r, l.function.into(), 6);
        r.push(b',');
        push_uint(r, l.project.into(), 3);
        for field in [l.department, l.description] {
            r.push(b',');
            r.extend_from_slice(field.as_bytes());
        }
        r.push(b',');
        push_hundredths(r, l.cents);
        r.push(b',');
        if let Some(fte) = l.fte {
            push_hundredths(r, fte);
        }
        r.push(b',');
        r.extend_from_slice(l.rule.as_bytes());
        r.push(b'\n');
        self.out.write_all(r)?;
        let totals = if l.revenue {
            &mut self.revenue
        } else {
            &mut self.expense
        };
        totals[usize::from(l.fund)] += l.cents;
        Ok(())
    }

    /// An expense line of `at` (which carries fund, location, department, function, project
    /// and rule) for object `code`.
    fn expense<'a>(&mut self, mut at: Line<'a>, code: u16, what: &'a str, cents: i64) -> Io {
        (at.code, at.description, at.cents) = (code, what, cents);
        self.write(&at)
    }

    /// A revenue line of `at` for source `code`, function `000000`.
    fn revenue<'a>(&mut self, mut at: Line<'a>, code: u16, what: &'a str, cents: i64) -> Io {
        (at.revenue, at.function) = (true, 0);
        self.expense(at, code, what, cents)
    }

    /// A salary line for `fte` hundredths at `salary` dollars a year; returns its cents.
    fn staff<'a>(
        &mut self,
        mut at: Line<'a>,
        code: u16,
        what: &'a str,
        fte: i64,
        salary: i64,
    ) -> io::Result<i64> {
        at.fte = Some(fte);
        self.expense(at, code, what, fte * salary)?;
        Ok(fte * salary)
    }

    /// The benefit lines of `salaries` cents paid to `fte` hundredths: WRS retirement at the
    /// 2023-24 employer rate (6.90 %), social security and Medicare (7.65 %), health per FTE.
    fn benefits(&mut self, at: Line, salaries: i64, fte: i64) -> Io {
        let (wrs, fica) = (salaries * 690 / 10_000, salaries * 765 / 10_000);
        self.expense(at, 210, "Retirement (WRS)", wrs)?;
        self.expense(at, 220, "Social security and Medicare", fica)?;
        self.expense(at, 240, "Health and dental insurance", fte * HEALTH_PER_FTE)
    }

    fn finish(mut self) -> Io {
        self.out.flush()
    }
}

/// Appends `n` in decimal, zero-padded to at least `width` digits.
fn push_uint(buf: &mut Vec<u8>, mut n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.resize(buf.len() + width.saturating_sub(digits.len() - start), b'0');
    buf.extend_from_slice(&digits[start..]);
}

/// Appends hundredths (cents, or FTE) as a plain decimal with exactly two decimals: `-1234.50`.
fn push_hundredths(buf: &mut Vec<u8>, v: i64) {
    if v < 0 {
        buf.push(b'-');
    }
    push_uint(buf, v.unsigned_abs() / 100, 1);
    buf.push(b'.');
    push_uint(buf, v.unsigned_abs() % 100, 2);
}

/// Hundredths as a string, for the small files: `money(-123450)` is `"-1234.50"`.
fn money(hundredths: i64) -> String {
    let mut buf = Vec::new();
    push_hundredths(&mut buf, hundredths);
    String::from_utf8(buf).expect("digits are ASCII")
}

/// Rounds cents down to whole thousands of dollars, as a budget office states round figures.
fn thousands(cents: i64) -> i64 {
    cents / 100_000 * 100_000
}

/// A row of `departments.csv`.
struct Department {
    code: String,
    name: String,
    kind: &'static str,
}

impl Department {
    fn new(code: String, name: &str, kind: &'static str) -> Self {
        Department {
            code,
            name: name.into(),
            kind,
        }
    }
}

/// Appends the central offices (codes `C01`…) and the districtwide department `DW`.
fn add_offices(departments: &mut Vec<Department>, offices: &[CentralOffice]) {
    for (i, office) in offices.iter().enumerate() {
        departments.push(Department::new(
            format!("C{:02}", i + 1),
            office.name,
            "central",
        ));
    }
    departments.push(Department::new("DW".into(), "Districtwide", "districtwide"));
}

/// Everything in a package besides its budget lines and scenarios.
struct District<'a> {
    name: &'a str,
    revenue_limit_base: i64,
    membership: [i64; 3],
    /// fund, name, opening balance (cents), operating
    funds: [(u8, &'a str, i64, bool); 4],
    departments: &'a [Department],
    /// every §5 key with its values for `B+1..B+H`, as written
    assumptions: Vec<(&'a str, Vec<String>)>,
}

/// Writes district, membership, funds, departments and assumptions; writing to a `String`
/// cannot fail, hence the ignored `fmt::Result`s.
fn write_district(dir: &Path, d: &District) -> Io {
    let mut s = format!("key,value\nname,{}\nbase_year,{BASE_YEAR}\n", d.name);
    let limit = money(d.revenue_limit_base);
    let _ = write!(
        s,
        "horizon,{HORIZON}\nrevenue_limit_recurring_base,{limit}\n"
    );
    s.push_str("reserve_policy_pct,10\n");
    fs::write(dir.join("district.csv"), &s)?;
    s = String::from("year,membership\n");
    for (year, m) in (BASE_YEAR - 2..).zip(d.membership) {
        let _ = writeln!(s, "{year},{m}");
    }
    fs::write(dir.join("membership.csv"), &s)?;
    s = String::from("fund,name,opening_balance,operating\n");
    for (fund, name, opening, operating) in d.funds {
        let _ = writeln!(s, "{fund},{name},{},{operating}", money(opening));
    }
    fs::write(dir.join("funds.csv"), &s)?;
    s = String::from("code,name,kind\n");
    for dep in d.departments {
        let _ = writeln!(s, "{},{},{}", dep.code, dep.name, dep.kind);
    }
    fs::write(dir.join("departments.csv"), &s)?;
    s = String::from("year,key,value\n");
    for (key, values) in &d.assumptions {
        for (year, value) in (BASE_YEAR + 1..).zip(values) {
            let _ = writeln!(s, "{year},{key},{value}");
        }
    }
    fs::write(dir.join("assumptions.csv"), &s)
}

/// Lines the random package repeats at each school: fund | `R`evenue or `E`xpense | code |
/// function | description | dollar range | salary per FTE (0: no FTE) | rule. No two rows share
/// fund, kind, code and function, so line names stay unique.
const SCHOOL_TEMPLATES: &str = "\
10|E|110|110000|Classroom teachers                |400000|3000000| 64000|
10|E|210|110000|Retirement (WRS)                  | 30000| 200000|     0|
10|E|220|110000|Social security and Medicare      | 30000| 230000|     0|
10|E|240|110000|Health and dental insurance       |120000| 800000|     0|
10|E|150|110000|Paraprofessionals                 | 60000| 400000| 34000|
10|E|110|241000|Principal and assistant principals|120000| 360000|118000|
10|E|140|241000|School office staff               | 40000| 140000| 45000|
10|E|180|254000|Custodial staff                   | 90000| 400000| 46000|
10|E|411|110000|Classroom supplies                | 20000| 150000|     0|
10|E|470|120000|Textbooks and curriculum materials|  5000|  60000|     0|
10|E|310|120000|Contracted instructional services |  5000|  80000|     0|
10|E|480|110000|Classroom furniture replacement   |  5000|  40000|     0|one_time
27|E|110|158000|Special education teachers        |100000| 600000| 64000|
27|E|150|158000|Special education assistants      | 60000| 300000| 34000|
10|R|270|000000|Student activity fees             |  2000|  30000|     0|enrollment
50|E|415|257000|Food purchases                    | 40000| 250000|     0|
80|E|150|390000|After-school program staff        | 10000|  80000| 30000|flat";

/// The same for central offices; function 0 is the office's own.
const CENTRAL_TEMPLATES: &str = "\
10|E|110|000000|Professional staff                |150000|1500000| 92000|
10|E|140|000000|Support staff                     | 60000| 400000| 50000|
10|E|210|000000|Retirement (WRS)                  | 15000| 130000|     0|
10|E|220|000000|Social security and Medicare      | 15000| 140000|     0|
10|E|240|000000|Health and dental insurance       | 40000| 400000|     0|
10|E|310|000000|Professional services             | 20000|2000000|     0|
10|E|411|000000|Office supplies                   |  5000|  80000|     0|
10|E|342|000000|Employee travel                   |  2000|  40000|     0|
10|E|550|000000|Equipment                         | 10000| 300000|     0|
10|E|940|000000|Dues and fees                     |  1000|  30000|     0|";

/// A parsed template row; money in dollars.
struct Template {
    line: Line<'static>,
    low: i64,
    high: i64,
    salary: i64,
}

fn templates(table: &'static str) -> Vec<Template> {
    // A template is a line-table row without location, department, project and amount.
    let parse = |f: Vec<&'static str>| Template {
        line: Line::parse(&[f[0], "0", "", f[1], f[2], f[3], "0", f[4], "0", f[8]]),
        low: num(f[5]),
        high: num(f[6]),
        salary: num(f[7]),
    };
    rows(table).map(parse).collect()
}

/// The lines MODEL.md computes or that balance a fund, written after the rest.
const FIXED_LINES: usize = 8;

/// Writes a deterministic synthetic package of `lines` budget lines (MODEL.md §3 CSV folder
/// format) into `dir` (created if missing). Same (lines, seed) → byte-identical files.
///
/// There is ~1 school per 300 lines (5 to 779) and 22 central offices, which get every tenth
/// line. Each location repeats its templates with a new project code per round, so line
/// names stay unique up to 2 million lines.
pub fn generate_package(lines: usize, seed: u64, dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let mut rng = SplitMix64(seed);
    let names = school_names();
    let schools = (lines / 300).clamp(5, 779);
    let mut departments: Vec<Department> = (0..schools)
        .map(|i| {
            let level = ["Elementary", "Middle", "High", "K-8"][i % 4];
            let (name, round) = (names[i % names.len()], i / names.len() + 1);
            let name = match round {
                1 => format!("{name} {level}"),
                _ => format!("{name} {level} {round}"),
            };
            Department::new(format!("S{:03}", i + 1), &name, "school")
        })
        .collect();
    let offices: Vec<_> = central_offices()
        .into_iter()
        .filter(|c| c.fund == 10)
        .collect();
    add_offices(&mut departments, &offices);

    let (school_rows, central_rows) = (templates(SCHOOL_TEMPLATES), templates(CENTRAL_TEMPLATES));
    let mut w = LineWriter::create(dir, lines)?;
    for j in 0..lines.saturating_sub(FIXED_LINES) {
        // Every tenth line goes to a central office, the others to the schools in turn.
        let (place, round, rows, function) = if j % 10 == 9 {
            let (c, n) = (j / 10, offices.len());
            (
                schools + c % n,
                c / n,
                &central_rows,
                offices[c % n].function,
            )
        } else {
            let s = j - j / 10;
            (s % schools, s / schools, &school_rows, 0)
        };
        let t = &rows[round % rows.len()];
        let project = round / rows.len();
        assert!(
            project < 1000,
            "generate_package makes at most 2 million unique lines"
        );
        let cents = rng.between(t.low * 100, t.high * 100);
        let location = if place < schools {
            place + 1
        } else {
            801 + place - schools
        };
        let own = t.line.function == 0 && !t.line.revenue;
        let line = Line {
            location: location as u16,
            function: if own { function } else { t.line.function },
            project: project as u16,
            department: &departments[place].code,
            cents,
            fte: (t.salary > 0).then(|| cents / t.salary),
            ..t.line
        };
        w.write(&line)?;
    }

    // Size the district to what was written: fund 27 balanced by the transfer, fund 10 at a
    // 1 % deficit, general aid 62 % of the revenue limit, $12,500 of limit per member.
    let sped_aid = w.expense[27] * 30 / 100;
    let transfer = (w.expense[27] - w.revenue[27] - sped_aid).max(0);
    let interest = thousands(w.expense[10] / 200);
    let need = (w.expense[10] + transfer) * 99 / 100 - w.revenue[10] - interest;
    let limit = thousands(need.max(1_250_000 * 100));
    let aid = thousands(limit * 62 / 100);
    let meals = (w.expense[50] - w.revenue[50]).max(0);
    let community = (w.expense[80] - w.revenue[80]).max(0);
    let dw = Line::at(10, 0, "DW");
    let sped = dw.with_fund(27);
    w.revenue(dw, 211, "Property tax levy", limit - aid)?;
    w.revenue(dw, 621, "General equalization aid", aid)?;
    let transfer_out = dw.with_function(412000);
    w.expense(transfer_out, 827, "Transfer to special education", transfer)?;
    w.revenue(sped, 100, "Transfer from general fund", transfer)?;
    w.revenue(sped, 611, "State special education aid", sped_aid)?;
    w.revenue(dw.with_fund(50), 714, "Federal meal reimbursement", meals)?;
    w.revenue(dw.with_fund(80), 211, "Community service levy", community)?;
    w.revenue(dw, 280, "Interest on investments", interest)?;
    let expense = w.expense;
    w.finish()?;

    let members = limit / (12_500 * 100);
    let outside = community + thousands(limit * 3 / 100);
    let aid_path = (1..=HORIZON as i64).map(|t| money(thousands(aid * (1000 - 5 * t) / 1000)));
    // About 9 mills in the first projection year, then 4 % more value a year.
    let mut value = thousands((limit - aid + outside) * 1000 / 9);
    let values = (0..HORIZON).map(|_| {
        let this = money(value);
        value = thousands(value * 104 / 100);
        this
    });
    let same = |v: &str| vec![v.to_string(); HORIZON];
    let membership = (1..=HORIZON as i64).map(|t| (members * (100 - t) / 100).to_string());
    let district = District {
        name: "Generated District",
        revenue_limit_base: limit,
        membership: [members * 102 / 100, members * 101 / 100, members],
        funds: [
            (10, "General", thousands(expense[10] * 15 / 100), true),
            (27, "Special Education", 0, true),
            (50, "Food Service", thousands(expense[50] / 10), false),
            (80, "Community Service", thousands(expense[80] / 10), false),
        ],
        departments: &departments,
        assumptions: vec![
            ("membership", membership.collect()),
            ("salary_increase_pct", same("3.00")),
            ("benefit_growth_pct", same("6.00")),
            ("inflation_pct", same("2.50")),
            ("per_pupil_adjustment", same("325.00")),
            ("low_revenue_ceiling", same("11000.00")),
            ("general_aid", aid_path.collect()),
            ("referendum_aid_share_pct", same("25.00")),
            ("equalized_value", values.collect()),
            ("levy_outside_limit", same(&money(outside))),
            ("exemption_recurring", same("0.00")),
            ("exemption_nonrecurring", same("0.00")),
        ],
    };
    write_district(dir, &district)?;
    // Lever amounts are whole thousands about 0.25 % of the limit, so they sit on the grid.
    let unit = (limit / 100_000 / 400).max(1) * 100_000;
    let scenarios = GENERATED_SCENARIOS
        .replace("@REF1@", &money(thousands(limit * 3 / 100)))
        .replace("@REF2@", &money(thousands(limit / 100)))
        .replace("@UNIT@", &money(unit))
        .replace("@CUT@", &money(-3 * unit))
        .replace("@MIN@", &money(-4 * unit))
        .replace("@MAX@", &money(4 * unit));
    fs::write(dir.join("scenarios.json"), scenarios)
}

/// Scenarios of the random package: 20 levers over every type and filter field, one
/// `assumption` lever (each costs a whole re-projection), a child scenario, both kinds of
/// referendum. `@…@` marks amounts scaled to the package.
const GENERATED_SCENARIOS: &str = r#"{"scenarios": [
 {"name": "referendum", "description": "Recurring operating referendum over two years, a small central-office trim and new reading staff",
  "referenda": [{"name": "Operating referendum", "kind": "recurring",
    "schedule": [{"year": 2025, "amount": "@REF1@"}, {"year": 2026, "amount": "@REF2@"}]}],
  "levers": [
   {"id": "trim-central", "name": "Trim central office", "type": "percent", "value": "-5", "min": "-20", "max": "0", "step": "1", "start_year": 2025, "recurring": true, "filter": {"kind": "expense", "department_kinds": ["central"]}},
   {"id": "literacy", "name": "Literacy program", "type": "amount", "value": "@UNIT@", "min": "@MIN@", "max": "@MAX@", "step": "1000.00", "start_year": 2025, "recurring": true, "kind": "expense", "fund": "10", "department": "DW", "indexed": true},
   {"id": "reading-staff", "name": "Reading interventionists", "type": "fte", "value": "20", "min": "0", "max": "60", "step": "5", "start_year": 2026, "recurring": true, "cost_per_fte": "96000.00", "fund": "10", "department": "S001"}]},
 {"name": "cuts", "description": "No referendum; cuts across schools, central office and operations",
  "levers": [
   {"id": "cut-schools", "name": "Cut school budgets", "type": "percent", "value": "-5", "min": "-20", "max": "0", "step": "1", "start_year": 2025, "recurring": true, "filter": {"kind": "expense", "funds": ["10"], "department_kinds": ["school"]}},
   {"id": "cut-central", "name": "Cut central office", "type": "percent", "value": "-15", "min": "-40", "max": "0", "step": "1", "start_year": 2025, "recurring": true, "filter": {"kind": "expense", "department_kinds": ["central"]}},
   {"id": "salary-lines", "name": "Reduce salary budgets", "type": "percent", "value": "-2", "min": "-10", "max": "0", "step": "0.5", "start_year": 2025, "recurring": true, "filter": {"kind": "expense", "funds": ["10"], "codes": ["100-199"]}},
   {"id": "supply-freeze", "name": "One-year supply freeze", "type": "percent", "value": "-20", "min": "-50", "max": "0", "step": "5", "start_year": 2025, "recurring": false, "filter": {"codes": ["411", "470"]}},
   {"id": "operations", "name": "Operations and business services", "type": "percent", "value": "-8", "min": "-30", "max": "0", "step": "1", "start_year": 2025, "recurring": true, "filter": {"kind": "expense", "function_prefix": "25"}},
   {"id": "pilot-schools", "name": "Pilot school budgets", "type": "percent", "value": "-10", "min": "-20", "max": "10", "step": "1", "start_year": 2026, "recurring": true, "filter": {"locations": ["001", "002"], "departments": ["S001", "S002"]}},
   {"id": "teachers", "name": "Teaching positions", "type": "fte", "value": "-40", "min": "-200", "max": "50", "step": "10", "start_year": 2025, "recurring": true, "cost_per_fte": "98000.00", "fund": "10", "department": "DW"},
   {"id": "close-building", "name": "Close one building", "type": "amount", "value": "@CUT@", "min": "@MIN@", "max": "@MAX@", "step": "1000.00", "start_year": 2026, "recurring": true, "kind": "expense", "fund": "10", "department": "DW", "indexed": true},
   {"id": "rental-income", "name": "Rent out closed building", "type": "amount", "value": "@UNIT@", "min": "@MIN@", "max": "@MAX@", "step": "1000.00", "start_year": 2027, "recurring": true, "kind": "revenue", "fund": "10", "department": "DW", "indexed": false},
   {"id": "lower-inflation", "name": "Lower inflation", "type": "assumption", "key": "inflation_pct", "value": "2", "min": "0", "max": "5", "step": "0.25", "start_year": 2026, "recurring": false}]},
 {"name": "cuts-deeper", "parent": "cuts", "description": "Deeper school cuts, fewer special education positions, lower benefit growth",
  "assumptions": [{"year": 2027, "key": "benefit_growth_pct", "value": "5.00"}],
  "levers": [
   {"id": "cut-schools", "name": "Cut school budgets", "type": "percent", "value": "-8", "min": "-20", "max": "0", "step": "1", "start_year": 2025, "recurring": true, "filter": {"kind": "expense", "funds": ["10"], "department_kinds": ["school"]}},
   {"id": "sped-staff", "name": "Special education positions", "type": "fte", "value": "-5", "min": "-20", "max": "0", "step": "1", "start_year": 2025, "recurring": true, "cost_per_fte": "90000.00", "fund": "27", "department": "S002"},
   {"id": "support-services", "name": "Support services purchases", "type": "percent", "value": "-3", "min": "-10", "max": "0", "step": "1", "start_year": 2026, "recurring": true, "filter": {"kind": "expense", "codes": ["300-599"], "function_prefix": "2"}},
   {"id": "sell-building", "name": "Sell closed building", "type": "amount", "value": "@UNIT@", "min": "0.00", "max": "@MAX@", "step": "1000.00", "start_year": 2027, "recurring": false, "kind": "revenue", "fund": "10", "department": "DW", "indexed": false}]},
 {"name": "bridge-referendum", "description": "Two-year non-recurring referendum with higher fees and fewer central positions",
  "referenda": [{"name": "Bridge referendum", "kind": "nonrecurring",
    "schedule": [{"year": 2025, "amount": "@REF2@"}, {"year": 2026, "amount": "@REF2@"}]}],
  "levers": [
   {"id": "raise-fees", "name": "Raise fees", "type": "percent", "value": "5", "min": "0", "max": "20", "step": "1", "start_year": 2025, "recurring": true, "filter": {"kind": "revenue", "codes": ["240-299"]}},
   {"id": "central-positions", "name": "Central office positions", "type": "fte", "value": "-10", "min": "-30", "max": "0", "step": "1", "start_year": 2025, "recurring": true, "cost_per_fte": "92000.00", "fund": "10", "department": "C01"},
   {"id": "tech-refresh", "name": "Technology refresh", "type": "amount", "value": "@UNIT@", "min": "@MIN@", "max": "@MAX@", "step": "1000.00", "start_year": 2026, "recurring": false, "kind": "expense", "fund": "10", "department": "C05", "indexed": false}]}
]}
"#;

/// Names the schools are built from: people and places, none a real school's whole name.
const SCHOOL_NAMES: &str = "\
Washington, Lincoln, Jefferson, Roosevelt, Franklin, Madison, Garfield, Hawthorne, Longfellow,
Whittier, Emerson, Thoreau, Audubon, Carver, Douglass, Tubman, Parks, Chavez, Clemente, Kennedy,
King, Marshall, Hamilton, Jackson, Grant, Monroe, Adams, Hayes, Riley, Burbank, Edison, Curie,
Banneker, Hughes, Morrison, Angelou, Keller, Addams, Muir, Lowell, Whitman, Alcott, Bryant,
Irving, Holmes, Sandburg, Wright, Bethune, Lakeview, Riverside, Parkside, Hillcrest, Meadowbrook,
Cedar Hills, Maple Grove, Forest Park, Harbor View, Elm Creek, Oak Ridge, Pine Bluff,
Willow Glen, Prairie View, Stony Brook, Bayfront";

/// The sample's specialty schools, named whole.
const SPECIALTY_SCHOOLS: &str = "\
Lakeshore Career Academy, Harbor Language Immersion, City Arts Academy,
Northside Alternative High, Bayfront STEM Academy, Riverwalk Early Childhood Center,
Lakeshore Virtual Academy, Eastside Bilingual School, Fairview Transition Center,
Global Scholars Academy";

fn school_names() -> Vec<&'static str> {
    SCHOOL_NAMES.split(',').map(str::trim).collect()
}

/// The sample's schools by level: name suffix (empty: `SPECIALTY_SCHOOLS`), count, enrollment
/// range, pupils per classroom teacher, WUFAR instruction function. About 67,500 pupils.
const SCHOOL_LEVELS: [(&str, usize, i64, i64, i64, u32); 6] = [
    ("Elementary", 64, 200, 380, 19, 110000),
    ("K-8 School", 40, 330, 500, 19, 110000),
    ("Middle", 18, 360, 560, 20, 120000),
    ("High", 20, 550, 1300, 21, 120000),
    ("Montessori", 8, 280, 440, 19, 110000),
    ("", 10, 150, 400, 15, 120000),
];

/// The sample's central offices, at locations 801… in this order: name | WUFAR function |
/// fund | professional FTE | their salary | support staff object | support FTE | their salary |
/// purchased services object | purchased services ($1,000s) | supplies ($1,000s).
const CENTRAL_OFFICES: &str = "\
Superintendent's Office           |232000|10|  9|152000|140|  8|52000|310|  800|  50
Board Office                      |231000|10|  4| 96000|140|  5|52000|310| 1200|  30
Business Office                   |252000|10| 32| 90000|140| 24|52000|310| 1500| 100
Payroll and Benefits              |252000|10|  8| 80000|140| 22|50000|310|  500|  30
Human Resources                   |264000|10| 26| 88000|140| 22|50000|310| 1600|  80
Technology                        |266000|10| 80| 92000|140| 30|56000|310|10500|2800
Communications                    |263000|10| 10| 84000|140|  5|50000|310|  900|  60
Facilities and Maintenance        |254000|10| 40| 80000|160|190|58000|320|11000|5200
Transportation Office             |256000|10|  7| 88000|140| 18|50000|341|57000| 200
Research and Assessment           |262000|10| 18| 90000|140|  4|50000|310| 2800| 150
Curriculum and Instruction        |221000|10| 55| 94000|140| 12|50000|310| 3500|2000
Office of Legal Counsel           |239000|10| 10|132000|140|  6|52000|310| 2200|  30
Procurement                       |255000|10| 14| 80000|140|  8|50000|310|  250|  30
Safety and Security               |258000|10| 16| 78000|180| 85|42000|310| 2600| 300
Family and Community Engagement   |299000|10| 20| 72000|140| 10|48000|310|  700| 150
Student Services Office           |219000|10| 26| 88000|140|  8|50000|310| 1200| 120
School Leadership Office          |249000|10| 12|140000|140|  6|52000|310|  300|  30
Grants and Accountability         |251000|10| 12| 86000|140|  5|50000|310|  250|  20
Language and Culture              |221000|10| 16| 88000|140|  5|50000|310|  400| 250
Professional Learning             |221000|10| 16| 92000|140|  3|50000|310| 1800| 250
Enrollment and School Options     |263000|10|  8| 80000|140| 20|48000|310|  300|  40
Risk Management                   |252000|10|  6| 96000|140|  3|52000|310|  500|  20
Special Education Administration  |223000|27| 40| 98000|140| 18|50000|310|12000|1000
Nutrition Services                |257000|50| 22| 82000|180|480|36000|310|  800|2400
Recreation and Community Services |390000|80| 45| 64000|150|120|30000|310| 4200|1600";

/// A row of `CENTRAL_OFFICES`; FTE in hundredths, money in dollars.
struct CentralOffice {
    name: &'static str,
    function: u32,
    fund: u8,
    professional: (i64, i64),
    support: (u16, i64, i64),
    services: (u16, i64),
    supplies: i64,
}

fn central_offices() -> Vec<CentralOffice> {
    let parse = |f: Vec<&'static str>| CentralOffice {
        name: f[0],
        function: num(f[1]),
        fund: num(f[2]),
        professional: (num::<i64>(f[3]) * 100, num(f[4])),
        support: (num(f[5]), num::<i64>(f[6]) * 100, num(f[7])),
        services: (num(f[8]), num::<i64>(f[9]) * 1000),
        supplies: num::<i64>(f[10]) * 1000,
    };
    rows(CENTRAL_OFFICES).map(parse).collect()
}

/// Lakeshore's other fixed lines, in `Line::parse` form: special education beyond the schools,
/// districtwide costs, the last year of federal relief (ESSER: its revenue and the contracts it
/// bought end with 2023-24, so 2024-25 opens with a gap), state and local revenue, food service.
const LAKESHORE_LINES: &str = "\
27|000|DW |E|386|436000|000|Contracted special education placements         | 9200000|
27|809|C09|E|341|256000|000|Special education transportation                |34000000|
10|000|DW |E|336|254000|000|Utilities (electricity/gas/water)               |26400000|
10|000|DW |E|710|254000|000|Property and liability insurance                | 5600000|
10|000|DW |E|290|292000|000|Retiree health insurance                        |28500000|
10|000|DW |E|386|431000|000|Payments to partnership and charter schools     |30000000|
10|000|DW |R|730|000000|165|ESSER III federal relief (final year)           |85000000|one_time
10|000|DW |E|310|120000|165|ESSER III tutoring and summer learning contracts|11000000|one_time
10|000|DW |E|480|120000|165|ESSER III classroom technology                  | 4000000|one_time
10|000|DW |R|628|000000|000|Per pupil aid                                   |49639800|
10|000|DW |R|691|000000|000|Exempt computer and personal property aid       | 9480000|
10|000|DW |R|618|000000|000|Bilingual-bicultural aid                        | 7820000|
10|000|DW |R|613|000000|000|Common school fund library aid                  | 3420000|
10|000|DW |R|612|000000|000|Pupil transportation aid                        | 1310000|
10|000|DW |R|280|000000|000|Interest on investments                         | 6900000|
10|000|DW |R|290|000000|000|Other local revenue                             | 4450000|
10|000|DW |R|240|000000|000|Tuition and payments for services               | 3150000|
27|000|DW |R|730|000000|011|IDEA Part B flow-through                        |29800000|
50|824|C24|E|415|257000|000|Food purchases                                  |27500000|
50|824|C24|E|550|257000|000|Kitchen equipment                               | 1200000|
50|824|C24|R|617|000000|000|State school lunch aid                          | 1050000|
50|824|C24|R|257|000000|000|Meal sales                                      | 1600000|
80|825|C25|R|240|000000|000|Recreation program fees                         | 3100000|";

/// Recurring revenue limit of 2023-24: 68,400 average members × $11,550.
const LAKESHORE_REVENUE_LIMIT: i64 = 790_020_000 * 100;
/// The 2023-24 limit also held a non-recurring declining-enrollment exemption (~1,500 members).
const LAKESHORE_DECLINE_2024: i64 = 17_325_000 * 100;
/// General equalization aid of 2023-24; the levy is the rest of the limit.
const LAKESHORE_AID_2024: i64 = 575_000_000 * 100;

/// Lakeshore's assumptions for 2024-25 … 2028-29. Membership keeps falling ~1.5 % a year;
/// settlements run near CPI (the 2024-25 base-wage cap, then ~2.5 %); health costs drive
/// benefits; the low revenue ceiling is below Lakeshore's per-member limit, so it never binds;
/// general aid drifts down with membership. Referendum spending enters next year's shared
/// cost, but for a district this size most of it lands above the secondary cost ceiling, where
/// the tertiary aid ratio pays little: we assume 30 cents of aid per referendum dollar (it
/// lowers the levy, not revenue). Outside the limit: debt service (~$44 million) and the fund
/// 80 community-service levy. Equalized value grows ~4 % a year.
const LAKESHORE_ASSUMPTIONS: &str = "\
membership              |       65900|       64900|       63950|       63000|       62050
salary_increase_pct     |        4.00|        3.00|        2.50|        2.50|        2.50
benefit_growth_pct      |        7.50|        7.00|        6.50|        6.00|        6.00
inflation_pct           |        3.20|        3.00|        2.80|        2.70|        2.60
per_pupil_adjustment    |      325.00|      325.00|      325.00|      325.00|      325.00
low_revenue_ceiling     |    11000.00|    11000.00|    11000.00|    11000.00|    11000.00
general_aid             |572000000.00|566000000.00|560000000.00|554000000.00|548000000.00
referendum_aid_share_pct|       30.00|       30.00|       30.00|       30.00|       30.00
equalized_value         |42100000000.00|43780000000.00|45530000000.00|47350000000.00|49250000000.00
levy_outside_limit      | 61500000.00| 62000000.00| 62500000.00| 63000000.00| 63500000.00
exemption_recurring     |        0.00|        0.00|        0.00|        0.00|        0.00
exemption_nonrecurring  |        0.00|        0.00|        0.00|        0.00|        0.00";

/// Writes the sample district "Lakeshore Public Schools" into `dir` (same file set).
/// Deterministic.
///
/// Lakeshore is SYNTHETIC: a large urban Wisconsin district at 2023-24 scale (about 67,000
/// members and falling, $1.2 billion of operating expense, 160 schools), built so that its
/// projection shows the structural deficit an operating referendum answers. No figure is any
/// real district's.
pub fn write_sample_district(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    // A fixed seed: the spread between schools is part of the sample's data.
    let mut rng = SplitMix64(2024);
    let mut w = LineWriter::create(dir, usize::MAX)?;
    let (names, specialty): (Vec<_>, Vec<_>) =
        (school_names(), SPECIALTY_SCHOOLS.split(',').collect());
    let mut departments = Vec::new();
    for (level, &(suffix, count, low, high, ratio, function)) in SCHOOL_LEVELS.iter().enumerate() {
        for j in 0..count {
            let name = match suffix {
                "" => specialty[j].trim().to_string(),
                _ => format!("{} {suffix}", names[(level * 17 + j * 5) % names.len()]),
            };
            let location = departments.len() as u16 + 1;
            departments.push(Department::new(format!("S{location:03}"), &name, "school"));
            let at = Line::at(10, location, &departments[departments.len() - 1].code);
            let (enrollment, salary) = (rng.between(low, high), rng.between(61_000, 68_000));
            School {
                enrollment,
                ratio,
                function,
                salary,
            }
            .write_lines(&mut w, at)?;
        }
    }
    let schools = departments.len();
    let offices = central_offices();
    add_offices(&mut departments, &offices);
    for (i, office) in offices.iter().enumerate() {
        let department = &departments[schools + i].code;
        let at = Line::at(office.fund, 801 + i as u16, department).with_function(office.function);
        let ((fte, salary), (code, support, support_salary)) =
            (office.professional, office.support);
        let pay = w.staff(at, 110, "Professional staff", fte, salary)?
            + w.staff(at, code, "Support staff", support, support_salary)?;
        w.benefits(at, pay, fte + support)?;
        w.expense(
            at,
            office.services.0,
            "Purchased services",
            office.services.1 * 100,
        )?;
        w.expense(at, 411, "Supplies", office.supplies * 100)?;
        if office.name == "Special Education Administration" {
            let at = at.with_function(218000);
            let pay = w.staff(
                at,
                110,
                "Related services (speech/OT/PT/psychology)",
                30_000,
                74_000,
            )?;
            w.benefits(at, pay, 30_000)?;
        }
    }
    for row in rows(LAKESHORE_LINES) {
        w.write(&Line::parse(&row))?;
    }

    // Title I is spent to its award, so its lines stay flat and its revenue equals spending.
    let dw = Line::at(10, 0, "DW");
    let title_one = Line {
        project: 141,
        ..dw.with_rule("flat")
    };
    let (before, at) = (w.expense[10], title_one.with_function(120000));
    let pay = w.staff(at, 110, "Title I teachers", 52_000, 64_500)?;
    w.benefits(at, pay, 52_000)?;
    w.expense(at, 310, "Title I contracted services", 6_200_000 * 100)?;
    w.expense(at, 411, "Title I supplies", 2_900_000 * 100)?;
    let award = w.expense[10] - before;
    w.revenue(title_one, 751, "ESEA Title I Part A", award)?;

    // Fund 27 is balanced by the general fund's transfer; state aid pays 31 % of its cost.
    let sped_aid = thousands(w.expense[27] * 31 / 100);
    let transfer = w.expense[27] - w.revenue[27] - sped_aid;
    let sped = dw.with_fund(27);
    w.revenue(sped, 611, "State special education aid", sped_aid)?;
    w.revenue(sped, 100, "Transfer from general fund", transfer)?;
    let transfer_out = dw.with_function(412000);
    w.expense(transfer_out, 827, "Transfer to special education", transfer)?;
    let levy = LAKESHORE_REVENUE_LIMIT + LAKESHORE_DECLINE_2024 - LAKESHORE_AID_2024;
    w.revenue(dw, 211, "Property tax levy", levy)?;
    w.revenue(dw, 621, "General equalization aid", LAKESHORE_AID_2024)?;
    // Food service and recreation pay their own way, with a small surplus.
    let (kitchen, recreation) = (Line::at(50, 824, "C24"), Line::at(80, 825, "C25"));
    let meals = w.expense[50] - w.revenue[50] + 1_500_000 * 100;
    w.revenue(kitchen, 714, "Federal meal reimbursement", meals)?;
    let community = w.expense[80] - w.revenue[80] + 500_000 * 100;
    w.revenue(recreation, 211, "Community service levy", community)?;

    // Opening general fund balance sized so 2023-24 closes at a 14 % reserve.
    let operating_expense = w.expense[10] + w.expense[27] - transfer;
    let surplus = w.revenue[10] + w.revenue[27] - w.expense[10] - w.expense[27];
    let opening = thousands(operating_expense * 14 / 100 - surplus);
    w.finish()?;

    let district = District {
        name: "Lakeshore Public Schools (synthetic)",
        revenue_limit_base: LAKESHORE_REVENUE_LIMIT,
        membership: [69_900, 68_400, 66_900],
        funds: [
            (10, "General", opening, true),
            (27, "Special Education", 0, true),
            (50, "Food Service", 12_400_000 * 100, false),
            (80, "Community Service", 6_300_000 * 100, false),
        ],
        departments: &departments,
        assumptions: rows(LAKESHORE_ASSUMPTIONS)
            .map(|f| (f[0], f[1..].iter().map(|v| v.to_string()).collect()))
            .collect(),
    };
    write_district(dir, &district)?;
    fs::write(dir.join("scenarios.json"), LAKESHORE_SCENARIOS)
}

/// A sample school, staffed from its enrollment; `salary` is its teachers' average, dollars.
struct School {
    enrollment: i64,
    ratio: i64,
    function: u32,
    salary: i64,
}

impl School {
    /// Positions, in FTE hundredths rounded to the half position, at one per `pupils`.
    fn positions(&self, pupils: i64) -> i64 {
        (self.enrollment * 100 / pupils + 25) / 50 * 50
    }

    /// The school's general fund (`at`) and special education lines.
    fn write_lines(&self, w: &mut LineWriter, at: Line) -> Io {
        let (class, n) = (at.with_function(self.function), self.enrollment * 100);
        let (teachers, aides) = (self.positions(self.ratio), self.positions(60));
        let pay = w.staff(class, 110, "Classroom teachers", teachers, self.salary)?
            + w.staff(class, 150, "Paraprofessionals", aides, 34_000)?;
        w.benefits(class, pay, teachers + aides)?;
        let (office, leaders) = (at.with_function(241000), 100 + self.positions(600));
        let pay = w.staff(office, 110, "Principals", leaders, 118_000)?
            + w.staff(office, 140, "School office staff", 200, 45_000)?;
        w.benefits(office, pay, leaders + 200)?;
        let (pupil, helpers) = (at.with_function(212000), self.positions(230));
        let pay = w.staff(
            pupil,
            110,
            "Counselors/social workers/nurses",
            helpers,
            71_000,
        )?;
        w.benefits(pupil, pay, helpers)?;
        let (building, custodians) = (at.with_function(254000), self.positions(120));
        let pay = w.staff(building, 180, "Custodial staff", custodians, 46_000)?;
        w.benefits(building, pay, custodians)?;
        w.expense(class, 411, "Classroom supplies", n * 170)?;
        w.expense(class, 470, "Textbooks and curriculum materials", n * 55)?;
        w.expense(class, 310, "Contracted instructional services", n * 60)?;
        if self.function == 120000 {
            let activities = at.with_function(160000);
            w.expense(
                activities,
                110,
                "Athletics and activities stipends",
                n * 150,
            )?;
            w.revenue(
                at.with_rule("enrollment"),
                270,
                "Student activity fees",
                n * 12,
            )?;
        }
        let sped = at.with_fund(27).with_function(158000);
        let (teachers, aides) = (self.positions(80), self.positions(55));
        let pay = w.staff(
            sped,
            110,
            "Special education teachers",
            teachers,
            self.salary,
        )? + w.staff(sped, 150, "Special education assistants", aides, 34_000)?;
        w.benefits(sped, pay, teachers + aides)
    }
}

/// Lakeshore's scenarios: the referendum passes or fails, and one refinement of each.
const LAKESHORE_SCENARIOS: &str = r#"{"scenarios": [
 {"name": "referendum-passes",
  "description": "Voters approve the recurring operating referendum: $252 million of new revenue authority phased in over four years, no cuts.",
  "referenda": [{"name": "2024 operating referendum", "kind": "recurring",
    "schedule": [{"year": 2025, "amount": "140000000.00"}, {"year": 2026, "amount": "51000000.00"},
                 {"year": 2027, "amount": "47000000.00"}, {"year": 2028, "amount": "14000000.00"}]}]},
 {"name": "referendum-fails",
  "description": "The referendum fails. School budgets are cut 13 %, central office 26 %, and salaries are held flat for 2024-25.",
  "levers": [
   {"id": "cut-schools", "name": "Cut school budgets", "type": "percent", "value": "-13", "min": "-20", "max": "0", "step": "1", "start_year": 2025, "recurring": true, "filter": {"kind": "expense", "funds": ["10"], "department_kinds": ["school"]}},
   {"id": "cut-central", "name": "Cut central office", "type": "percent", "value": "-26", "min": "-40", "max": "0", "step": "1", "start_year": 2025, "recurring": true, "filter": {"kind": "expense", "department_kinds": ["central"]}},
   {"id": "hold-salaries", "name": "Hold salaries", "type": "assumption", "key": "salary_increase_pct", "value": "0", "min": "0", "max": "5", "step": "0.25", "start_year": 2025, "recurring": false}]},
 {"name": "passes-lean", "parent": "referendum-passes",
  "description": "The referendum passes, and the district also trims central office 5 % from 2025-26, rebids the bus contract and plans on lower inflation.",
  "levers": [
   {"id": "trim-central", "name": "Trim central office", "type": "percent", "value": "-5", "min": "-20", "max": "0", "step": "1", "start_year": 2026, "recurring": true, "filter": {"kind": "expense", "department_kinds": ["central"]}}],
  "assumptions": [{"year": 2026, "key": "inflation_pct", "value": "2.50"}, {"year": 2027, "key": "inflation_pct", "value": "2.50"}],
  "overrides": [{"line": "10-809-341-256000-000/expense", "year": 2025, "amount": "55000000.00"}]},
 {"name": "fails-close-schools", "parent": "referendum-fails",
  "description": "The referendum fails; on top of the cuts, twelve under-enrolled buildings close at the end of 2024-25.",
  "levers": [
   {"id": "close-schools", "name": "Close twelve school buildings", "type": "amount", "value": "-18000000.00", "min": "-40000000.00", "max": "0.00", "step": "1000000.00", "start_year": 2026, "recurring": true, "kind": "expense", "fund": "10", "department": "DW", "indexed": true}]}
]}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::path::PathBuf;

    const FILES: &str = "district.csv membership.csv funds.csv departments.csv budget_lines.csv \
                         assumptions.csv scenarios.json";

    /// An empty directory under the system temp dir, unique to this process and test.
    fn scratch(name: &str) -> PathBuf {
        let pid = std::process::id();
        let dir = std::env::temp_dir().join(format!("fulcrum-generate-{pid}-{name}"));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn read(dir: &Path, file: &str) -> Vec<u8> {
        let path = dir.join(file);
        fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn same_seed_writes_identical_bytes_and_another_seed_differs() {
        let (a, b, c) = (scratch("seed-a"), scratch("seed-b"), scratch("seed-c"));
        generate_package(2_000, 7, &a).unwrap();
        generate_package(2_000, 7, &b).unwrap();
        generate_package(2_000, 8, &c).unwrap();
        for file in FILES.split_whitespace() {
            assert!(
                read(&a, file) == read(&b, file),
                "{file} must depend only on (lines, seed)"
            );
        }
        let (lines_a, lines_c) = (read(&a, "budget_lines.csv"), read(&c, "budget_lines.csv"));
        assert!(
            lines_a != lines_c,
            "seed 8 must draw other amounts than seed 7"
        );
        for dir in [a, b, c] {
            let _ = fs::remove_dir_all(dir);
        }
    }

    #[test]
    fn writes_exactly_the_requested_number_of_lines() {
        let dir = scratch("count");
        for lines in [0, 1, FIXED_LINES, FIXED_LINES + 1, 999, 12_345] {
            generate_package(lines, 1, &dir).unwrap();
            let rows = read(&dir, "budget_lines.csv")
                .split(|&b| b == b'\n')
                .count()
                - 2;
            assert_eq!(rows, lines, "one row per requested line after the header");
        }
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn line_names_are_unique_and_computed_lines_carry_no_rule() {
        let (generated, sample) = (scratch("names"), scratch("names-sample"));
        generate_package(30_000, 3, &generated).unwrap();
        write_sample_district(&sample).unwrap();
        for dir in [generated, sample] {
            let text = String::from_utf8(read(&dir, "budget_lines.csv")).unwrap();
            let mut names = HashSet::new();
            for row in text.lines().skip(1) {
                let f: Vec<&str> = row.split(',').collect();
                assert_eq!(f.len(), 11, "an unquoted comma splits {row}");
                let (fund, kind, code, rule) = (f[0], f[2], f[3], f[10]);
                let name = format!("{fund}-{}-{code}-{}-{}/{kind}", f[1], f[4], f[5]);
                assert!(
                    names.insert(name),
                    "MODEL.md §3 would sum duplicate rows: {row}"
                );
                let computed = matches!(
                    (fund, kind, code),
                    ("10", "expense", "827")
                        | ("10", "revenue", "211" | "621")
                        | ("27", "revenue", "100")
                );
                let allowed = !computed && !["levy", "general_aid", "transfer_27"].contains(&rule);
                assert!(
                    rule.is_empty() || allowed,
                    "MODEL.md §4 rejects rule {rule:?} on {row}"
                );
            }
            let _ = fs::remove_dir_all(dir);
        }
    }

    #[test]
    fn sample_district_matches_the_committed_files() {
        let dir = scratch("sample");
        write_sample_district(&dir).unwrap();
        let committed = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/sample-district"
        ));
        for file in FILES.split_whitespace() {
            let stale = format!(
                "assets/sample-district/{file} is stale: rewrite it with write_sample_district"
            );
            assert!(read(&dir, file) == read(committed, file), "{stale}");
        }
        let lines = String::from_utf8(read(&dir, "budget_lines.csv")).unwrap();
        let bus = "10,809,expense,341,256000,000,C09,";
        assert!(
            lines.contains(bus),
            "passes-lean overrides the bus contract line 10-809-341-256000-000"
        );
        let _ = fs::remove_dir_all(dir);
    }
}
