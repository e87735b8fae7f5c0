//! Explanations tell the same numbers the projection shows, and go down to their inputs.

use fulcrum::explain::{explain, Derivation, FIGURES};
use fulcrum::generate::write_sample_district;
use fulcrum::import::load_package;
use fulcrum::projection::Model;
use fulcrum::report::ProjectionJson;
use fulcrum::scenario::resolve;

/// The first input named `figure` in `year`, anywhere under `d`.
fn find<'a>(d: &'a Derivation, figure: &str, year: i32) -> Option<&'a Derivation> {
    if d.figure == figure && d.year == year {
        return Some(d);
    }
    d.inputs.iter().find_map(|i| find(i, figure, year))
}

#[test]
fn every_figure_of_every_year_explains_to_the_value_the_projection_shows() {
    let tmp = tempfile::tempdir().unwrap();
    write_sample_district(tmp.path()).unwrap();
    let loaded = load_package(tmp.path()).unwrap();
    let model = Model::new(loaded.package);
    for name in ["referendum-passes", "referendum-fails", "passes-lean"] {
        let r = resolve(&loaded.scenarios, name).unwrap();
        let p = model.project(&r).unwrap();
        let json = serde_json::to_value(ProjectionJson::of(&p)).unwrap();
        for (i, y) in p.years.iter().enumerate() {
            for key in ["revenue_limit", "general_aid", "levy_limit", "levy_total", "mill_rate", "tax_per_100k", "revenue", "expense", "surplus", "fund_balance", "reserve_pct"] {
                let shown = &json["years"][i][key];
                match explain(&model, &r, &p, y.year, key) {
                    Ok(d) => assert_eq!(d.value, shown.as_str().unwrap(), "{name} {key} {}", y.year),
                    Err(e) => assert!(shown.is_null(), "{name} {key} {}: only null figures may not explain ({e})", y.year),
                }
            }
            for figure in FIGURES {
                let _ = explain(&model, &r, &p, y.year, figure);
            }
        }
        for (li, l) in p.levers.iter().enumerate() {
            for (yi, effect) in l.effect.iter().enumerate() {
                let d = explain(&model, &r, &p, p.base_year + 1 + yi as i32, &format!("lever:{}", r.levers[li].id)).unwrap();
                assert_eq!(d.value, fulcrum::money::cents_str(*effect));
            }
        }
    }
}

#[test]
fn a_levy_explanation_reaches_the_referendum_and_the_assumptions_it_read() {
    let tmp = tempfile::tempdir().unwrap();
    write_sample_district(tmp.path()).unwrap();
    let loaded = load_package(tmp.path()).unwrap();
    let model = Model::new(loaded.package);
    let r = resolve(&loaded.scenarios, "referendum-passes").unwrap();
    let p = model.project(&r).unwrap();
    let d = explain(&model, &r, &p, 2026, "tax_per_100k").unwrap();
    let ev = find(&d, "equalized_value", 2026).expect("tax per $100k divides by the equalized value");
    assert_eq!(ev.source.as_deref(), Some("assumptions.csv (2026, equalized_value)"));
    let rec = find(&d, "ref_rec", 2026).expect("the recurring referendum is part of the revenue limit");
    assert_eq!(rec.value, "51000000.00", "2025-26's new recurring authority is $51M");
    assert_eq!(find(&d, "ref_rec", 2025).unwrap().value, "140000000.00", "2024-25's increment lives on in the base of 2025-26");
    let base = find(&d, "revenue_limit_recurring", 2024).expect("the chain reaches RLrec(B)");
    assert_eq!(base.value, "790020000.00");
    let text = d.render(0);
    assert!(text.contains("district.csv (revenue_limit_recurring_base)"), "the chain ends at the base year's limit:\n{text}");
}

#[test]
fn a_line_explains_year_by_year_down_to_its_rows() {
    let tmp = tempfile::tempdir().unwrap();
    write_sample_district(tmp.path()).unwrap();
    let loaded = load_package(tmp.path()).unwrap();
    let model = Model::new(loaded.package);
    let r = resolve(&loaded.scenarios, "baseline").unwrap();
    let p = model.project(&r).unwrap();
    let line = &model.package().lines[0];
    let d = explain(&model, &r, &p, 2027, &format!("line:{}", line.name())).unwrap();
    assert_eq!(d.source.as_deref(), Some("rule salaries"));
    let mut depth = 0;
    let mut cur = &d;
    while let Some(prev) = cur.inputs.first() {
        cur = prev;
        depth += 1;
    }
    assert_eq!(depth, 3, "2027 ← 2026 ← 2025 ← 2024");
    assert_eq!(cur.source.as_deref(), Some("budget_lines.csv row 2 (the adopted base-year budget)"));
    assert!(explain(&model, &r, &p, 2031, "levy_total").is_err(), "a year outside the projection is refused");
    assert!(explain(&model, &r, &p, 2025, "nonsense").is_err());
}
