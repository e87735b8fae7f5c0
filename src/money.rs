//! Exact money: amounts in integer cents, rounding half away from zero.
//!
//! The contract (MODEL.md §1) is written in `Decimal`. Every formula there has
//! at most one inexact division followed by one rounding, so evaluating it on
//! integers (`numerator / denominator`, rounded once) gives the same cent as
//! `Decimal` does, and does so without allocating: this is what lets a 50,000-line
//! projection run in a few milliseconds.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use strength_reduce::StrengthReducedU64;

/// Integer cents.
pub type Cents = i64;

/// `n / d` rounded half away from zero. `d` must not be zero.
#[inline]
pub fn div_round(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d.abs() {
        if (n < 0) != (d < 0) { q - 1 } else { q + 1 }
    } else {
        q
    }
}

/// `a × b / d` rounded half away from zero, on i64 when it fits.
#[inline]
pub fn mul_div_round(a: i64, b: i64, d: i64) -> i64 {
    match a.checked_mul(b) {
        Some(n) => {
            let q = n / d;
            let r = n % d;
            if 2 * r.unsigned_abs() >= d.unsigned_abs() {
                if (n < 0) != (d < 0) { q - 1 } else { q + 1 }
            } else {
                q
            }
        }
        None => div_round(a as i128 * b as i128, d as i128) as i64,
    }
}

/// A decimal as an exact fraction `numerator / 10^scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ratio {
    pub numerator: i64,
    pub denominator: i64,
}

impl Ratio {
    /// The exact fraction of a decimal (rates carry at most 18 digits).
    pub fn of(d: Decimal) -> Ratio {
        let d = d.normalize();
        let scale = d.scale();
        let mantissa = d.mantissa();
        Ratio {
            numerator: mantissa as i64,
            denominator: 10i64.pow(scale),
        }
    }

    /// `100 + pct` over 100, the growth factor of a percent rate.
    pub fn growth(pct: Decimal) -> Ratio {
        let r = Ratio::of(pct);
        Ratio {
            numerator: 100 * r.denominator + r.numerator,
            denominator: 100 * r.denominator,
        }
    }

    /// `pct / 100`, the share of a percent rate.
    pub fn percent(pct: Decimal) -> Ratio {
        let r = Ratio::of(pct);
        Ratio { numerator: r.numerator, denominator: 100 * r.denominator }
    }

    /// `R(cents × self)`.
    #[inline]
    pub fn apply(self, cents: Cents) -> Cents {
        mul_div_round(cents, self.numerator, self.denominator)
    }
}

/// A [`Ratio`] prepared to be applied to many amounts: the division by its
/// denominator (a constant such as 10,000 or last year's membership) becomes a
/// multiply and a shift. The result is exactly [`Ratio::apply`]'s.
#[derive(Clone, Copy, Debug)]
pub struct Scaler {
    ratio: Ratio,
    reduced: Option<StrengthReducedU64>,
}

impl Scaler {
    pub fn new(ratio: Ratio) -> Scaler {
        let reduced = (ratio.denominator > 0).then(|| StrengthReducedU64::new(ratio.denominator as u64));
        Scaler { ratio, reduced }
    }

    /// `R(cents × numerator / denominator)`, half away from zero.
    #[inline]
    pub fn apply(&self, cents: Cents) -> Cents {
        match (cents.checked_mul(self.ratio.numerator), self.reduced) {
            (Some(n), Some(d)) => {
                let (q, r) = StrengthReducedU64::div_rem(n.unsigned_abs(), d);
                let q = (q + u64::from(2 * r >= d.get())) as i64;
                if n < 0 { -q } else { q }
            }
            _ => self.ratio.apply(cents),
        }
    }
}

/// Whether a decimal fits the exact integer paths (at most 18 digits, scale ≤ 12).
pub fn fits_ratio(d: Decimal) -> bool {
    let d = d.normalize();
    d.scale() <= 12 && d.mantissa().unsigned_abs() < 1_000_000_000_000_000_000
}

/// Cents of a decimal with at most two decimals; `None` if it has more or is too large.
pub fn to_cents(d: Decimal) -> Option<Cents> {
    let scaled = d.checked_mul(Decimal::ONE_HUNDRED)?;
    if scaled.fract() != Decimal::ZERO {
        return None;
    }
    scaled.to_i64()
}

/// The decimal value of some cents.
pub fn from_cents(c: Cents) -> Decimal {
    Decimal::new(c, 2)
}

/// `"-1234.50"`: the form money takes in JSON and in the file.
pub fn cents_str(c: Cents) -> String {
    from_cents(c).to_string()
}

/// A value held in units of 10^-`scale` as a plain decimal string.
pub fn scaled_str(v: i64, scale: u32) -> String {
    Decimal::new(v, scale).to_string()
}

/// `$1,234,567.89` / `-$1,234.50`: money for people.
pub fn format_dollars(c: Cents) -> String {
    let neg = c < 0;
    let abs = c.unsigned_abs();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push('$');
    out.push_str(&group_thousands(abs / 100));
    out.push('.');
    out.push_str(&format!("{:02}", abs % 100));
    out
}

/// `1234567` as `1,234,567`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Why a money text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountError(pub &'static str);

/// Parses a money amount of MODEL.md §3: `-X`, `(X)` or `X`, where `X` is an
/// optional `$`, digits (optionally grouped in threes with `,`), then
/// optionally `.` and one or two digits.
pub fn parse_amount(text: &str) -> Result<Cents, AmountError> {
    const EXPECTED: &str =
        "an amount like 1234.50, -1,234.50, $1,234.50 or (1,234.50)";
    let s = text.trim();
    let (neg, body) = if let Some(rest) = s.strip_prefix('-') {
        (true, rest)
    } else if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        (true, inner)
    } else {
        (false, s)
    };
    let body = body.strip_prefix('$').unwrap_or(body);
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int_part.is_empty() {
        return Err(AmountError(EXPECTED));
    }
    let mut whole: i64 = 0;
    let groups: Vec<&str> = int_part.split(',').collect();
    for (i, g) in groups.iter().enumerate() {
        let ok_len = if groups.len() == 1 {
            !g.is_empty()
        } else if i == 0 {
            (1..=3).contains(&g.len())
        } else {
            g.len() == 3
        };
        if !ok_len || !g.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AmountError(EXPECTED));
        }
        for b in g.bytes() {
            whole = whole
                .checked_mul(10)
                .and_then(|w| w.checked_add((b - b'0') as i64))
                .ok_or(AmountError("an amount below 90 trillion dollars"))?;
        }
    }
    let cents = match frac_part {
        None => 0,
        Some(f) if (1..=2).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
            let v: i64 = f.bytes().fold(0, |acc, b| acc * 10 + (b - b'0') as i64);
            if f.len() == 1 { v * 10 } else { v }
        }
        Some(_) => return Err(AmountError(EXPECTED)),
    };
    let total = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(cents))
        .ok_or(AmountError("an amount below 90 trillion dollars"))?;
    Ok(if neg { -total } else { total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_of_the_contract_parse_to_cents() {
        for (text, cents) in [
            ("1234.5", 123450),
            ("-1234.50", -123450),
            ("1,234.50", 123450),
            ("$1,234.50", 123450),
            ("(1,234.50)", -123450),
            ("($1,234.50)", -123450),
            ("6,000,000.00", 600000000),
            ("0", 0),
            ("7", 700),
        ] {
            assert_eq!(parse_amount(text), Ok(cents), "{text}");
        }
    }

    #[test]
    fn amounts_outside_the_contract_are_refused() {
        for text in ["1e3", "1.234", "1,23", "(-1)", "", "1,2345", ",123", "12.", ".5", "$", "--1", "1 000", "$-1", "(1", "1)"] {
            assert!(parse_amount(text).is_err(), "{text:?} should be refused");
        }
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(div_round(5, 2), 3);
        assert_eq!(div_round(-5, 2), -3);
        assert_eq!(div_round(4, 3), 1);
        assert_eq!(div_round(-4, 3), -1);
        assert_eq!(mul_div_round(-21403200, 1, 100), -214032);
        assert_eq!(mul_div_round(i64::MAX / 2, 4, 8), i64::MAX / 4 + 1);
    }

    #[test]
    fn growth_ratio_matches_the_worked_example() {
        // R(6,000,000.00 × 102.63 / 100) = 6,157,800.00
        let g = Ratio::growth(Decimal::new(263, 2));
        assert_eq!(g.apply(600_000_000), 615_780_000);
    }

    proptest::proptest! {
        #[test]
        fn a_scaler_rounds_exactly_as_the_ratio_does(cents in -10i64.pow(13)..10i64.pow(13), num in -10i64.pow(7)..10i64.pow(7), den in 1i64..10i64.pow(7)) {
            let ratio = Ratio { numerator: num, denominator: den };
            proptest::prop_assert_eq!(Scaler::new(ratio).apply(cents), ratio.apply(cents));
        }
    }

    #[test]
    fn a_scaler_rounds_halves_away_from_zero() {
        let half = Scaler::new(Ratio { numerator: 1, denominator: 2 });
        assert_eq!((half.apply(5), half.apply(-5), half.apply(4)), (3, -3, 2));
        let growth = Scaler::new(Ratio::growth(Decimal::new(263, 2)));
        assert_eq!(growth.apply(600_000_000), 615_780_000, "R(6,000,000.00 × 102.63 / 100)");
    }

    #[test]
    fn dollars_are_grouped() {
        assert_eq!(format_dollars(-123456789), "-$1,234,567.89");
        assert_eq!(format_dollars(5), "$0.05");
        assert_eq!(cents_str(-123450), "-1234.50");
        assert_eq!(cents_str(0), "0.00");
    }
}
