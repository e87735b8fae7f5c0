//! Every command's input checked before it reaches the engine or the file: lengths,
//! ranges and shapes. The engine then checks meaning (known scenarios, lines, years).

use std::path::Path;

use fulcrum::scenario::Scenario;

use crate::UiError;

/// The longest scenario name, in characters.
pub const NAME_MAX: usize = 120;
/// The longest scenario description.
pub const DESCRIPTION_MAX: usize = 4000;
/// The most items of one kind (levers, overrides, …) in one scenario.
pub const ITEMS_MAX: usize = 500;

pub(crate) fn bad(message: String) -> UiError {
    UiError { code: "invalid_input", message }
}

/// Free text: at most `max` characters, no control characters.
pub fn text(what: &str, value: &str, max: usize) -> Result<(), UiError> {
    if value.chars().count() > max {
        return Err(bad(format!("the {what} is longer than {max} characters")));
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(bad(format!("the {what} contains control characters")));
    }
    Ok(())
}

/// A scenario name: 1 to [`NAME_MAX`] characters, no control characters, not padded.
pub fn name(value: &str) -> Result<(), UiError> {
    if value.trim().is_empty() {
        return Err(bad("a scenario name cannot be empty".into()));
    }
    if value.trim() != value {
        return Err(bad(format!("the scenario name {value:?} starts or ends with spaces")));
    }
    text("scenario name", value, NAME_MAX)
}

/// `name`, `name@N` or `baseline`.
pub fn version_ref(value: &str) -> Result<(), UiError> {
    name(value.rsplit_once('@').filter(|(_, v)| v.parse::<u32>().is_ok()).map_or(value, |(n, _)| n))
}

/// The 2 to 4 scenarios a comparison shows.
pub fn names(values: &[String]) -> Result<(), UiError> {
    if !(2..=4).contains(&values.len()) {
        return Err(bad(format!("a comparison shows 2 to 4 scenarios, not {}", values.len())));
    }
    values.iter().try_for_each(|n| name(n))
}

/// A whole scenario from the editor, before the engine validates its meaning.
pub fn scenario(s: &Scenario) -> Result<(), UiError> {
    name(&s.name)?;
    if let Some(p) = &s.parent {
        name(p)?;
    }
    text("description", &s.description, DESCRIPTION_MAX)?;
    let counts = [("levers", s.levers.len()), ("referenda", s.referenda.len()), ("assumptions", s.assumptions.len()), ("overrides", s.overrides.len())];
    for (what, n) in counts {
        if n > ITEMS_MAX {
            return Err(bad(format!("a scenario holds at most {ITEMS_MAX} {what}, not {n}")));
        }
    }
    for l in &s.levers {
        text("lever id", &l.id, NAME_MAX)?;
        text("lever name", &l.name, NAME_MAX)?;
    }
    for r in &s.referenda {
        text("referendum name", &r.name, NAME_MAX)?;
        if r.schedule.len() > 20 {
            return Err(bad(format!("referendum {:?} has more than 20 years", r.name)));
        }
    }
    for o in &s.overrides {
        text("override line", &o.line, 64)?;
    }
    Ok(())
}

/// A fiscal year within reason (the engine checks it against the district's years).
pub fn year(y: i32) -> Result<(), UiError> {
    if !(1990..=2200).contains(&y) {
        return Err(bad(format!("{y} is not a fiscal year Fulcrum models")));
    }
    Ok(())
}

/// A figure name: `tax_per_100k`, `line:NAME`, `lever:ID`, `fund:CODE`.
pub fn figure(f: &str) -> Result<(), UiError> {
    if f.is_empty() || f.len() > 160 || !f.chars().all(|c| c.is_ascii_graphic()) {
        return Err(bad(format!("{f:?} is not a figure name")));
    }
    Ok(())
}

/// A suggested file name for a save dialog: a name, not a path.
pub fn file_name(n: &str) -> Result<(), UiError> {
    text("file name", n, 255)?;
    if n.contains('/') || n.contains('\\') || n == ".." {
        // A full path as the suggestion is allowed only as the open file's own path.
        return Path::new(n).file_name().map(|_| ()).ok_or_else(|| bad(format!("{n:?} is not a file name")));
    }
    Ok(())
}

/// A path from the UI: absolute, of reasonable length, no NUL.
pub fn path(p: &Path) -> Result<(), UiError> {
    let s = p.to_string_lossy();
    if !p.is_absolute() || s.len() > 4096 || s.contains('\0') {
        return Err(bad(format!("{s:?} is not an absolute path")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_bounded_and_clean() {
        assert!(name("referendum-fails").is_ok());
        assert!(name("<img src=x onerror=alert(1)>").is_ok(), "markup is just text: the UI never renders it as HTML");
        assert!(name("").is_err());
        assert!(name(" padded").is_err());
        assert!(name(&"x".repeat(NAME_MAX + 1)).is_err());
        assert!(name("a\u{0}b").is_err());
        assert!(name("line\nbreak").is_err());
    }

    #[test]
    fn versions_comparisons_years_and_figures_are_bounded() {
        assert!(version_ref("referendum-fails@2").is_ok());
        assert!(version_ref("@2").is_err());
        assert!(names(&["a".into()]).is_err());
        assert!(names(&vec!["a".into(); 5]).is_err());
        assert!(year(2025).is_ok() && year(-1).is_err() && year(i32::MAX).is_err());
        assert!(figure("tax_per_100k").is_ok() && figure("a b").is_err() && figure(&"f".repeat(200)).is_err());
        assert!(path(Path::new("relative.fulcrum")).is_err());
    }

    #[test]
    fn a_scenario_with_too_many_items_is_refused_before_the_engine() {
        let mut s = Scenario { name: "s".into(), ..Default::default() };
        s.overrides = vec![fulcrum::scenario::Override { line: "x".into(), year: 2025, amount: Default::default() }; ITEMS_MAX + 1];
        assert!(scenario(&s).is_err());
        s.overrides.clear();
        s.description = "d".repeat(DESCRIPTION_MAX + 1);
        assert!(scenario(&s).is_err());
    }
}
