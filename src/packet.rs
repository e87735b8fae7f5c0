//! The board packet: one PDF with the chosen scenarios, drawn with `pdf-writer`.
//!
//! Every number is the text the app shows (the cells of [`crate::report::ROWS`],
//! `format_dollars`), never recomputed. Charts are vector lines; their
//! coordinates are `f32` page positions derived from cents by integer scaling, so
//! no amount passes through floating point. The packet is stamped with the
//! scenario names, the date (a parameter: the engine reads no clock) and a
//! SHA-256 of the inputs (the package's exact tables and the scenario
//! definitions), and is byte-for-byte reproducible from the same inputs.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::export::package_tables;
use crate::model::{year_label, AssumptionKey};
use crate::money::{format_dollars, group_thousands, scaled_str, Cents};
use crate::projection::{Model, Projection};
use crate::report::ROWS;
use crate::scenario::{Lever, LeverAction, Resolved, Scenario, BASELINE};

/// A written packet.
#[derive(Clone, Debug)]
pub struct Packet {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// SHA-256 of the inputs, hex.
    pub inputs_hash: String,
}

const W: f32 = 792.0;
const H: f32 = 612.0;
const MARGIN: f32 = 40.0;

/// Scenario colours (RGB), in order.
const COLORS: [(f32, f32, f32); 4] = [(0.12, 0.35, 0.65), (0.80, 0.33, 0.10), (0.20, 0.55, 0.25), (0.50, 0.25, 0.60)];

/// Helvetica advance widths (1/1000 em) for ASCII 32..=126, from the standard AFM.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584,
    584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611,
    278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500,
    500, 500, 334, 260, 334, 584,
];

fn text_width(s: &str, size: f32, bold: bool) -> f32 {
    let units: u32 = s
        .chars()
        .map(|c| {
            let w = if (' '..='~').contains(&c) { HELVETICA[c as usize - 32] as u32 } else { 556 };
            if bold && c.is_alphabetic() { w * 106 / 100 } else { w }
        })
        .sum();
    units as f32 * size / 1000.0
}

/// Text in the fonts' WinAnsi encoding (the standard fonts' own), `?` for the rest.
fn win_ansi(s: &str) -> Vec<u8> {
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(s);
    bytes.into_owned()
}

/// Pages being laid out.
struct Layout {
    pages: Vec<Content>,
    page: Content,
    y: f32,
    footer: String,
}

impl Layout {
    fn new(footer: String) -> Layout {
        Layout { pages: Vec::new(), page: Content::new(), y: H - MARGIN, footer }
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, s: &str) {
        let bytes = win_ansi(s);
        self.page.begin_text();
        self.page.set_font(Name(if bold { b"F2" } else { b"F1" }), size);
        self.page.next_line(x, y);
        self.page.show(Str(&bytes));
        self.page.end_text();
    }

    fn text_right(&mut self, right: f32, y: f32, size: f32, bold: bool, s: &str) {
        let w = text_width(s, size, bold);
        self.text(right - w, y, size, bold, s);
    }

    fn rgb(&mut self, c: (f32, f32, f32)) {
        self.page.set_stroke_rgb(c.0, c.1, c.2);
        self.page.set_fill_rgb(c.0, c.1, c.2);
    }

    fn black(&mut self) {
        self.rgb((0.0, 0.0, 0.0));
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        self.page.set_line_width(width);
        self.page.move_to(x1, y1);
        self.page.line_to(x2, y2);
        self.page.stroke();
    }

    fn finish_page(&mut self) {
        let footer = self.footer.clone();
        let n = self.pages.len() + 1;
        self.black();
        self.line(MARGIN, MARGIN - 8.0, W - MARGIN, MARGIN - 8.0, 0.4);
        self.text(MARGIN, MARGIN - 20.0, 7.0, false, &footer);
        self.text_right(W - MARGIN, MARGIN - 20.0, 7.0, false, &format!("page {n}"));
        let page = std::mem::replace(&mut self.page, Content::new());
        self.pages.push(page);
        self.y = H - MARGIN;
    }

    /// Starts a new page when fewer than `needed` points are left.
    fn room(&mut self, needed: f32) {
        if self.y - needed < MARGIN + 10.0 {
            self.finish_page();
        }
    }

    fn heading(&mut self, s: &str) {
        self.room(40.0);
        self.y -= 18.0;
        self.black();
        self.text(MARGIN, self.y, 13.0, true, s);
        self.y -= 8.0;
    }
}

/// The SHA-256 of what the packet depends on: the package's exact tables and
/// the definitions of the chosen scenarios and their parents.
pub fn inputs_hash(model: &Model, scenarios: &[Resolved], definitions: &[Scenario]) -> String {
    let mut h = Sha256::new();
    for (stem, head, rows) in package_tables(model.package()) {
        h.update(stem.as_bytes());
        h.update(b"\n");
        h.update(head.join(",").as_bytes());
        for r in rows {
            h.update(b"\n");
            h.update(r.join("\x1f").as_bytes());
        }
        h.update(b"\x1e");
    }
    for s in scenarios {
        h.update(b"scenario\x1f");
        h.update(s.name.as_bytes());
        let mut name = Some(s.name.clone());
        while let Some(n) = name.filter(|n| n != BASELINE) {
            let Some(d) = definitions.iter().find(|d| d.name == n) else { break };
            h.update(serde_json::to_string(d).unwrap_or_default().as_bytes());
            name = d.parent.clone();
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Short money for chart axes: `$12.3M`, `$850K`, `-$1.2M`.
fn short_dollars(c: Cents) -> String {
    let sign = if c < 0 { "-" } else { "" };
    let d = c.unsigned_abs() / 100;
    let (unit, div) = if d >= 1_000_000_000 { ("B", 1_000_000_000u64) } else if d >= 1_000_000 { ("M", 1_000_000) } else if d >= 1_000 { ("K", 1_000) } else { ("", 1) };
    let tenths = (d * 10 + div / 2) / div;
    if div == 1 { format!("{sign}${d}") } else if tenths.is_multiple_of(10) || tenths >= 1000 { format!("{sign}${}{unit}", tenths / 10) } else { format!("{sign}${}.{}{unit}", tenths / 10, tenths % 10) }
}

/// An axis from `lo` to `hi` cents at round steps (1, 2, 2.5 or 5 times a power of ten),
/// three to six of them: `(first tick, last tick, step)`, the ticks enclosing the data.
fn axis(lo: Cents, hi: Cents) -> (Cents, Cents, Cents) {
    let wanted = ((hi - lo) / 4).max(1);
    let mut power: Cents = 1;
    let step = loop {
        if let Some(&m) = [10, 20, 25, 50, 100].iter().find(|&&m| power * m / 10 >= wanted) {
            break power * m / 10;
        }
        power *= 10;
    };
    (lo.div_euclid(step) * step, -((-hi).div_euclid(step)) * step, step)
}

/// A decimal amount as the packet prints money ("$1,234.50"), or as written if it is not whole cents.
fn dollars(v: rust_decimal::Decimal) -> String {
    crate::money::to_cents(v).map(format_dollars).unwrap_or_else(|| v.to_string())
}

/// A lever's setting as a reader of the packet says it: "-13 % from 2024-25",
/// "-150 FTE from 2024-25", "salary_increase_pct 0 % in 2024-25 only".
fn lever_setting(lv: &Lever) -> String {
    let value = match &lv.action {
        LeverAction::Percent { .. } => format!("{} %", lv.value),
        LeverAction::Fte { .. } => format!("{} FTE", lv.value),
        LeverAction::Amount { indexed, .. } => {
            let dollars = dollars(lv.value);
            if *indexed { format!("{dollars} a year, indexed") } else { format!("{dollars} a year") }
        }
        LeverAction::Assumption { key } => match key.unit() {
            crate::model::Unit::Percent => format!("{key} to {} %", lv.value),
            crate::model::Unit::Money => format!("{key} to {}", dollars(lv.value)),
            crate::model::Unit::Members => format!("{key} to {}", lv.value),
        },
    };
    if lv.recurring { format!("{value} from {}", year_label(lv.start_year)) } else { format!("{value} in {} only", year_label(lv.start_year)) }
}

/// One series of a chart: name, colour, dashed, values by year (None = no value).
struct Series {
    color: (f32, f32, f32),
    dashed: bool,
    values: Vec<Option<Cents>>,
}

/// Draws a line chart in the box (x, y, w, h); positions from cents by integer scaling.
fn chart(l: &mut Layout, x: f32, y: f32, w: f32, h: f32, title: &str, years: &[i32], series: &[Series]) {
    l.black();
    l.text(x, y + h + 8.0, 9.5, true, title);
    let all: Vec<Cents> = series.iter().flat_map(|s| s.values.iter().flatten().copied()).collect();
    let (Some(&lo), Some(&hi)) = (all.iter().min(), all.iter().max()) else { return };
    let (lo, hi) = if lo == hi { (lo - 100, hi + 100) } else { (lo, hi) };
    let lo = if lo > 0 && lo < (hi - lo) { 0 } else { lo };
    let (lo, hi, step) = axis(lo, hi);
    let (px, pw) = (x + 42.0, w - 48.0);
    let fy = |v: Cents| -> f32 { y + ((v - lo) as i128 * 100_000 / (hi - lo) as i128) as f32 / 100_000.0 * h };
    let n = years.len().max(2) - 1;
    let fx = |i: usize| px + pw * i as f32 / n as f32;
    // Axes and grid at round amounts.
    l.page.set_stroke_gray(0.85);
    for k in 0..=(hi - lo) / step {
        let v = lo + step * k;
        let yy = fy(v);
        l.page.set_line_width(0.3);
        l.page.move_to(px, yy);
        l.page.line_to(px + pw, yy);
        l.page.stroke();
        l.page.set_fill_gray(0.3);
        let label = short_dollars(v);
        l.text_right(px - 3.0, yy - 2.5, 6.5, false, &label);
    }
    l.black();
    l.line(px, y, px, y + h, 0.6);
    l.line(px, y, px + pw, y, 0.6);
    for (i, yr) in years.iter().enumerate() {
        l.text(fx(i) - 9.0, y - 10.0, 6.5, false, &year_label(*yr));
    }
    for s in series {
        l.rgb(s.color);
        l.page.set_line_width(1.6);
        if s.dashed {
            l.page.set_dash_pattern([4.0, 2.5], 0.0);
        }
        let mut started = false;
        for (i, v) in s.values.iter().enumerate() {
            match v {
                Some(v) if started => {
                    l.page.line_to(fx(i), fy(*v));
                }
                Some(v) => {
                    l.page.move_to(fx(i), fy(*v));
                    started = true;
                }
                None => {}
            }
        }
        if started {
            l.page.stroke();
        }
        if s.dashed {
            l.page.set_dash_pattern([], 0.0);
        }
        for (i, v) in s.values.iter().enumerate() {
            if let Some(v) = v {
                l.page.rect(fx(i) - 1.5, fy(*v) - 1.5, 3.0, 3.0);
                l.page.fill_nonzero();
            }
        }
    }
    l.black();
}

/// Writes the board packet for 1-4 resolved scenarios, dated `date`.
pub fn board_packet(model: &Model, scenarios: &[Resolved], definitions: &[Scenario], date: &str) -> Result<Packet> {
    if !(1..=4).contains(&scenarios.len()) {
        return Err(Error::Usage(format!("a board packet shows 1 to 4 scenarios, not {}", scenarios.len())));
    }
    let projections: Vec<Projection> = scenarios.iter().map(|s| model.project(s)).collect::<Result<_>>()?;
    let pkg = model.package();
    let d = &pkg.district;
    let hash = inputs_hash(model, scenarios, definitions);
    let names: Vec<&str> = projections.iter().map(|p| p.scenario.as_str()).collect();
    let footer = format!("{} · scenarios: {} · prepared {} · inputs sha256 {}", d.name, names.join(", "), date, &hash[..16]);
    let mut l = Layout::new(footer);
    let years: Vec<i32> = projections[0].years.iter().map(|y| y.year).collect();
    let policy = d.reserve_policy_pct;

    // Page 1: title, summary, charts.
    l.black();
    l.text(MARGIN, l.y - 14.0, 18.0, true, &format!("{} — budget scenarios", d.name));
    l.y -= 32.0;
    l.text(MARGIN, l.y, 10.0, false, &format!(
        "Board packet prepared {date}. Base year {} (adopted budget), projected {} to {}. Reserve policy: {} % of expense.",
        year_label(d.base_year), year_label(d.base_year + 1), year_label(d.base_year + d.horizon as i32), policy
    ));
    l.y -= 13.0;
    l.text(MARGIN, l.y, 8.0, false, &format!("Inputs SHA-256: {hash}"));
    l.heading("Summary");
    let last = d.base_year + d.horizon as i32;
    for (i, p) in projections.iter().enumerate() {
        l.room(30.0);
        l.y -= 12.0;
        l.rgb(COLORS[i]);
        l.page.rect(MARGIN, l.y - 1.0, 8.0, 8.0);
        l.page.fill_nonzero();
        l.black();
        let desc = definitions.iter().find(|s| s.name == p.scenario).map(|s| s.description.clone()).unwrap_or_else(|| "the package alone: no referendum, lever or override".into());
        l.text(MARGIN + 13.0, l.y, 10.0, true, &p.scenario);
        l.text(MARGIN + 13.0 + text_width(&p.scenario, 10.0, true) + 8.0, l.y, 9.0, false, &desc);
        l.y -= 11.0;
        let y_last = p.year(last);
        let below: Vec<String> = p.years.iter().filter(|y| y.below_policy).map(|y| year_label(y.year)).collect();
        let summary = match y_last {
            Some(y) => format!(
                "{}: fund balance {} ({} of expense), surplus {}, tax per $100k {}. {}",
                year_label(last),
                format_dollars(y.fund_balance),
                y.reserve_pct.map(|r| format!("{} %", scaled_str(r, 2))).unwrap_or_else(|| "—".into()),
                format_dollars(y.surplus),
                y.tax_per_100k.map(format_dollars).unwrap_or_else(|| "—".into()),
                if below.is_empty() { "Reserve stays at or above policy every year.".to_string() } else { format!("BELOW POLICY in {}.", below.join(", ")) }
            ),
            None => String::new(),
        };
        l.text(MARGIN + 13.0, l.y, 8.5, false, &summary);
    }
    // Charts.
    l.y -= 30.0;
    let ch = (l.y - MARGIN - 40.0).clamp(120.0, 230.0);
    let cw = (W - 2.0 * MARGIN - 40.0) / 3.0;
    let cy = l.y - ch;
    let rev_exp: Vec<Series> = projections
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            [
                Series { color: COLORS[i], dashed: false, values: p.years.iter().map(|y| Some(y.revenue)).collect() },
                Series { color: COLORS[i], dashed: true, values: p.years.iter().map(|y| Some(y.expense)).collect() },
            ]
        })
        .collect();
    chart(&mut l, MARGIN, cy, cw, ch, "Revenue (solid) vs expense (dashed)", &years, &rev_exp);
    let ratio = crate::money::Ratio::percent(policy);
    let balance: Vec<Series> = projections
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            [
                Series { color: COLORS[i], dashed: false, values: p.years.iter().map(|y| Some(y.fund_balance)).collect() },
                Series { color: COLORS[i], dashed: true, values: p.years.iter().map(|y| Some(ratio.apply(y.expense))).collect() },
            ]
        })
        .collect();
    chart(&mut l, MARGIN + cw + 20.0, cy, cw, ch, &format!("Fund balance vs {policy} % policy (dashed)"), &years, &balance);
    let tax: Vec<Series> = projections
        .iter()
        .enumerate()
        .map(|(i, p)| Series { color: COLORS[i], dashed: false, values: p.years.iter().map(|y| y.tax_per_100k).collect() })
        .collect();
    chart(&mut l, MARGIN + 2.0 * (cw + 20.0), cy, cw, ch, "School tax on a $100,000 home", &years, &tax);
    l.y = cy - 24.0;
    let mut x = MARGIN;
    for (i, p) in projections.iter().enumerate() {
        l.rgb(COLORS[i]);
        l.line(x, l.y + 3.0, x + 16.0, l.y + 3.0, 2.0);
        l.black();
        l.text(x + 20.0, l.y, 8.0, false, &p.scenario);
        x += 40.0 + text_width(&p.scenario, 8.0, false);
    }
    l.finish_page();

    // Side-by-side table.
    l.heading("Side by side");
    let label_w = 150.0;
    let scen_w = 110.0;
    let col_w = (W - 2.0 * MARGIN - label_w - scen_w) / years.len() as f32;
    let table_header = |l: &mut Layout| {
        l.y -= 12.0;
        for (i, yr) in years.iter().enumerate() {
            let right = MARGIN + label_w + scen_w + col_w * (i + 1) as f32;
            l.text_right(right, l.y, 8.0, true, &if *yr == d.base_year { format!("{} (base)", year_label(*yr)) } else { year_label(*yr) });
        }
        l.line(MARGIN, l.y - 3.0, W - MARGIN, l.y - 3.0, 0.5);
    };
    table_header(&mut l);
    for r in ROWS {
        l.room(12.0 * (projections.len() as f32 + 1.0));
        l.y -= 12.0;
        l.text(MARGIN, l.y, 8.0, true, r.label);
        for (i, p) in projections.iter().enumerate() {
            if i > 0 {
                l.y -= 10.0;
            }
            l.rgb(COLORS[i]);
            l.text(MARGIN + label_w, l.y, 7.5, false, &p.scenario);
            l.black();
            for (k, y) in p.years.iter().enumerate() {
                let right = MARGIN + label_w + scen_w + col_w * (k + 1) as f32;
                let cell = (r.cell)(y);
                if y.below_policy && r.key == "reserve_pct" {
                    l.rgb((0.75, 0.0, 0.0));
                }
                l.text_right(right, l.y, 7.5, false, &cell);
                l.black();
            }
        }
        l.page.set_stroke_gray(0.85);
        l.line(MARGIN, l.y - 3.0, W - MARGIN, l.y - 3.0, 0.3);
        l.black();
    }
    l.y -= 14.0;
    l.text(MARGIN, l.y, 7.5, false, &format!("! marks a reserve below the {policy} % policy. Money in dollars; mill rate per $1,000 of equalized value."));

    // Lever effects.
    l.finish_page();
    l.heading("Lever effects on the operating surplus");
    l.y -= 12.0;
    l.text(MARGIN, l.y, 8.0, true, "Scenario");
    l.text(MARGIN + 110.0, l.y, 8.0, true, "Lever");
    let lever_col = (W - 2.0 * MARGIN - 330.0) / (years.len() - 1).max(1) as f32;
    for (k, yr) in years.iter().skip(1).enumerate() {
        l.text_right(MARGIN + 330.0 + lever_col * (k + 1) as f32, l.y, 8.0, true, &year_label(*yr));
    }
    let mut any = false;
    for (i, p) in projections.iter().enumerate() {
        for lv in &p.levers {
            any = true;
            l.room(12.0);
            l.y -= 11.0;
            l.rgb(COLORS[i]);
            l.text(MARGIN, l.y, 7.5, false, &p.scenario);
            l.black();
            let setting = scenarios[i].levers.iter().find(|d| d.id == lv.id).map(lever_setting).unwrap_or_default();
            l.text(MARGIN + 110.0, l.y, 7.5, false, &format!("{} ({setting})", lv.name));
            for (k, e) in lv.effect.iter().enumerate() {
                l.text_right(MARGIN + 330.0 + lever_col * (k + 1) as f32, l.y, 7.5, false, &format_dollars(*e));
            }
        }
    }
    if !any {
        l.y -= 11.0;
        l.text(MARGIN, l.y, 8.0, false, "None of these scenarios uses a lever.");
    }

    // Assumptions: the first scenario's values, then what the others change.
    l.heading(&format!("Assumptions ({})", projections[0].scenario));
    l.y -= 12.0;
    l.text(MARGIN, l.y, 8.0, true, "Key");
    for (k, yr) in years.iter().skip(1).enumerate() {
        l.text_right(MARGIN + 330.0 + lever_col * (k + 1) as f32, l.y, 8.0, true, &year_label(*yr));
    }
    let show = |key: AssumptionKey, v: rust_decimal::Decimal| -> String {
        match key.unit() {
            crate::model::Unit::Money => dollars(v),
            crate::model::Unit::Members => v.to_string().parse::<u64>().map(group_thousands).unwrap_or_else(|_| v.to_string()),
            crate::model::Unit::Percent => format!("{v} %"),
        }
    };
    for key in AssumptionKey::ALL {
        l.room(12.0);
        l.y -= 11.0;
        l.text(MARGIN, l.y, 7.5, false, key.as_str());
        for (k, yr) in years.iter().skip(1).enumerate() {
            let v = projections[0].assumptions.get(*yr, key);
            l.text_right(MARGIN + 330.0 + lever_col * (k + 1) as f32, l.y, 7.5, false, &show(key, v));
        }
    }
    for (i, p) in projections.iter().enumerate().skip(1) {
        let diffs: Vec<String> = years
            .iter()
            .skip(1)
            .flat_map(|yr| AssumptionKey::ALL.iter().map(move |k| (*yr, *k)))
            .filter(|(yr, k)| p.assumptions.get(*yr, *k) != projections[0].assumptions.get(*yr, *k))
            .map(|(yr, k)| format!("{k} {} = {} ({})", year_label(yr), show(k, p.assumptions.get(yr, k)), p.assumptions.source(yr, k).describe()))
            .collect();
        l.room(14.0);
        l.y -= 13.0;
        l.rgb(COLORS[i]);
        l.text(MARGIN, l.y, 8.0, true, &format!("{}: ", p.scenario));
        l.black();
        if diffs.is_empty() {
            l.text(MARGIN + 120.0, l.y, 7.5, false, "same assumptions");
        }
        for dtext in diffs {
            l.text(MARGIN + 120.0, l.y, 7.5, false, &dtext);
            l.room(11.0);
            l.y -= 10.0;
        }
    }
    // Referenda of the scenarios.
    for s in scenarios {
        for r in &s.referenda {
            l.room(12.0);
            l.y -= 11.0;
            let sched: Vec<String> = r.schedule.iter().map(|e| format!("{} {}", year_label(e.year), dollars(e.amount))).collect();
            l.text(MARGIN, l.y, 7.5, false, &format!("{}: referendum {:?} ({:?}): {}", s.name, r.name, r.kind, sched.join(", ")));
        }
        for lv in &s.levers {
            if matches!(lv.action, LeverAction::Assumption { .. }) {
                l.room(12.0);
                l.y -= 11.0;
                l.text(MARGIN, l.y, 7.5, false, &format!("{}: lever {:?} sets {}", s.name, lv.name, lever_setting(lv)));
            }
        }
        // Accepted department projections: the first few by name, then how many more.
        const LISTED: usize = 8;
        for o in s.overrides.iter().take(LISTED) {
            l.room(12.0);
            l.y -= 11.0;
            let amount = dollars(o.amount);
            let what = model.line_by_name(&o.line).map(|i| pkg.lines[i].description.as_str()).filter(|d| !d.is_empty()).unwrap_or("");
            l.text(MARGIN, l.y, 7.5, false, &format!("{}: accepted projection for line {} {what} in {}: {amount}", s.name, o.line, year_label(o.year)));
        }
        if s.overrides.len() > LISTED {
            l.room(12.0);
            l.y -= 11.0;
            l.text(MARGIN, l.y, 7.5, false, &format!("{}: and {} more accepted projections", s.name, s.overrides.len() - LISTED));
        }
    }

    // Warnings.
    l.heading("Below-policy warnings");
    let mut warned = false;
    for p in &projections {
        for y in p.years.iter().filter(|y| y.below_policy) {
            warned = true;
            l.room(12.0);
            l.y -= 11.0;
            l.rgb((0.75, 0.0, 0.0));
            l.text(MARGIN, l.y, 8.0, false, &format!(
                "{}: in {} the reserve is {} of expense (fund balance {}), below the {policy} % policy.",
                p.scenario,
                year_label(y.year),
                y.reserve_pct.map(|r| format!("{} %", scaled_str(r, 2))).unwrap_or_else(|| "—".into()),
                format_dollars(y.fund_balance)
            ));
            l.black();
        }
    }
    if !warned {
        l.y -= 11.0;
        l.text(MARGIN, l.y, 8.0, false, "No scenario falls below the reserve policy in any year.");
    }
    l.finish_page();
    let pages = l.pages.len();
    Ok(Packet { pdf: assemble(l.pages, &d.name, &names, date, &hash), pages, inputs_hash: hash })
}

/// Writes the pages into one PDF with the two standard Helvetica fonts.
fn assemble(pages: Vec<Content>, district: &str, names: &[&str], date: &str, hash: &str) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let font = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first = 6;
    let page_ids: Vec<Ref> = (0..pages.len()).map(|i| Ref::new(first + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().copied()).count(pages.len() as i32);
    pdf.type1_font(font).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    let title = format!("{district} — board packet: {}", names.join(", "));
    pdf.document_info(info).title(TextStr(&title)).subject(TextStr(&format!("prepared {date}; inputs sha256 {hash}"))).creator(TextStr("Fulcrum"));
    for (i, content) in pages.into_iter().enumerate() {
        let content_id = Ref::new(first + 2 * i as i32 + 1);
        let mut page = pdf.page(page_ids[i]);
        page.parent(tree).media_box(Rect::new(0.0, 0.0, W, H)).contents(content_id);
        page.resources().fonts().pair(Name(b"F1"), font).pair(Name(b"F2"), bold);
        page.finish();
        pdf.stream(content_id, &content.finish());
    }
    let id = hash.as_bytes()[..16].to_vec();
    pdf.set_file_id((id.clone(), id));
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::axis;

    #[test]
    fn chart_axes_step_at_round_amounts_and_enclose_the_data() {
        // $1,026.9M … $1,379.6M of expense: a quarter of the range is $88.2M, so $100M steps.
        assert_eq!(axis(102_690_835_284, 137_958_886_351), (100_000_000_000, 140_000_000_000, 10_000_000_000));
        // $0 … $198.5M of fund balance: $49.6M a quarter, so $50M steps.
        assert_eq!(axis(0, 19_850_101_622), (0, 20_000_000_000, 5_000_000_000));
        // Tax per $100k, $716.75 … $1,111.71: $98.74 a quarter, so $100 steps.
        assert_eq!(axis(71_675, 111_171), (70_000, 120_000, 10_000));
        // -$89.3M … $34.9M of surplus: $31.0M a quarter, so $50M steps; the low end rounds down.
        assert_eq!(axis(-8_926_136_451, 3_488_241_275), (-10_000_000_000, 5_000_000_000, 5_000_000_000));
        // $2.5 steps exist where they fit: $0 … $9.00 is $2.25 a quarter.
        assert_eq!(axis(0, 900), (0, 1_000, 250));
    }
}
