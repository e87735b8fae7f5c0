//! Carrying scenarios to a new base year, reporting what no longer applies.
//!
//! When next year's adopted budget replaces the base year, each scenario keeps
//! its levers, referenda, assumptions and overrides. An item that cannot apply to
//! the new base year (a referendum year or lever start now in the past, an
//! override of a line that is gone, a lever naming a fund that is gone) is
//! *parked*: taken out of the scenario, kept in the file with its reason, and
//! listed in the report. A percent lever whose filter now matches no line stays
//! (it is still valid) and is listed as having no effect.

use serde::Serialize;

use crate::model::{FiscalYear, Package};
use crate::projection::Model;
use crate::scenario::{lever_problems, LeverAction, Scenario};
use crate::store::ParkedItem;

/// One thing the roll forward noticed about a scenario item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub scenario: String,
    /// `lever cut-central`, `referendum "2024 operating" 2025`, …
    pub item: String,
    /// `parked` (taken out, kept in the file) or `no_effect` (kept, changes nothing).
    pub action: &'static str,
    pub reason: String,
}

/// Scenarios carried to the new base year.
#[derive(Clone, Debug, Default)]
pub struct Carried {
    pub scenarios: Vec<Scenario>,
    pub parked: Vec<ParkedItem>,
    pub notices: Vec<Notice>,
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// Carries `scenarios` over to the package `pkg` (the new base year).
pub fn carry(scenarios: &[Scenario], pkg: &Package) -> Carried {
    let model = Model::new(pkg.clone());
    let b = pkg.district.base_year;
    let years = pkg.district.projection_years();
    let when = |y: FiscalYear| -> Option<String> {
        if y <= b {
            Some(format!("{y} is now in the past (the base year is {b})"))
        } else if y > *years.end() {
            Some(format!("{y} is beyond the projection years {}…{}", years.start(), years.end()))
        } else {
            None
        }
    };
    let mut out = Carried::default();
    for s in scenarios {
        let mut kept = s.clone();
        let mut park = |kind: &str, item: String, what: String, reason: String, notices: &mut Vec<Notice>| {
            out.parked.push(ParkedItem { scenario: s.name.clone(), item_kind: kind.into(), item, reason: reason.clone(), base_year: b });
            notices.push(Notice { scenario: s.name.clone(), item: what, action: "parked", reason });
        };
        let mut notices = Vec::new();
        kept.referenda.clear();
        for r in &s.referenda {
            let mut r2 = r.clone();
            r2.schedule.clear();
            for e in &r.schedule {
                match when(e.year) {
                    Some(why) => park(
                        "referendum_year",
                        json(&serde_json::json!({"referendum": r.name, "kind": r.kind, "year": e.year, "amount": e.amount.to_string()})),
                        format!("referendum {:?} {}", r.name, e.year),
                        format!("referendum year {why}"),
                        &mut notices,
                    ),
                    None => r2.schedule.push(e.clone()),
                }
            }
            kept.referenda.push(r2);
        }
        kept.levers.clear();
        for l in &s.levers {
            let mut reasons: Vec<String> = Vec::new();
            if let Some(why) = when(l.start_year) {
                reasons.push(format!("start year {why}; the adopted budget already carries what it decided"));
            } else {
                reasons.extend(lever_problems(pkg, l));
            }
            if reasons.is_empty() {
                if let LeverAction::Percent { filter } = &l.action
                    && model.count_matches(filter) == 0 {
                        notices.push(Notice {
                            scenario: s.name.clone(),
                            item: format!("lever {}", l.id),
                            action: "no_effect",
                            reason: "its filter now matches no budget line, so it changes nothing".into(),
                        });
                    }
                kept.levers.push(l.clone());
            } else {
                park("lever", json(l), format!("lever {}", l.id), reasons.join("; "), &mut notices);
            }
        }
        kept.assumptions.clear();
        for a in &s.assumptions {
            match when(a.year) {
                Some(why) => park("assumption", json(a), format!("assumption {} {}", a.key, a.year), format!("year {why}"), &mut notices),
                None => kept.assumptions.push(a.clone()),
            }
        }
        kept.overrides.clear();
        for o in &s.overrides {
            let reason = match (pkg.line_index(&o.line), when(o.year)) {
                (_, Some(why)) => Some(format!("year {why}")),
                (None, None) => Some(format!("line {} is not in the new base year's budget", o.line)),
                (Some(i), None) if pkg.lines[i].rule.is_computed() => Some(format!("line {} is now computed and cannot be overridden", o.line)),
                _ => None,
            };
            match reason {
                Some(r) => park("override", json(o), format!("override {} {}", o.line, o.year), r, &mut notices),
                None => kept.overrides.push(o.clone()),
            }
        }
        out.notices.extend(notices);
        out.scenarios.push(kept);
    }
    out
}
