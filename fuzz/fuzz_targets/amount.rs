//! The amount parser never panics, and what it accepts prints back to the same cents.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../../src/money.rs"]
#[allow(dead_code)]
mod money;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(cents) = money::parse_amount(text) {
        let printed = money::cents_str(cents);
        assert_eq!(money::parse_amount(&printed), Ok(cents), "{text:?} -> {printed}");
        let dollars = money::format_dollars(cents);
        let back = if let Some(rest) = dollars.strip_prefix('-') { format!("-{rest}") } else { dollars.clone() };
        assert_eq!(money::parse_amount(&back), Ok(cents), "{dollars}");
    }
});
