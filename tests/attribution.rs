//! Attribution: the parts of a difference between two scenarios add up to it exactly.

use std::path::Path;

use fulcrum::compare::{attribute, compare, Attribution, Change};
use fulcrum::generate::{generate_package, write_sample_district};
use fulcrum::import::load_package;
use fulcrum::projection::Model;
use fulcrum::scenario::{resolve, Resolved, Scenario};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn load(dir: &Path) -> (Model, Vec<Scenario>) {
    let loaded = load_package(dir).unwrap();
    (Model::new(loaded.package), loaded.scenarios)
}

fn assert_adds_up(a: &Attribution) {
    for (i, year) in a.years.iter().enumerate() {
        let sum = |pick: fn(&fulcrum::compare::Contribution) -> &Vec<i64>| a.contributions.iter().map(|c| pick(c)[i]).sum::<i64>();
        assert_eq!(sum(|c| &c.surplus), a.surplus[i], "{} vs {}: surplus parts add up in {year}", a.to, a.from);
        assert_eq!(sum(|c| &c.fund_balance), a.fund_balance[i], "{} vs {}: fund balance parts add up in {year}", a.to, a.from);
        assert_eq!(sum(|c| &c.tax_per_100k), a.tax_per_100k[i], "{} vs {}: tax parts add up in {year}", a.to, a.from);
    }
}

#[test]
fn the_differences_are_the_differences_of_the_projections() {
    let tmp = tempfile::tempdir().unwrap();
    write_sample_district(tmp.path()).unwrap();
    let (model, scenarios) = load(tmp.path());
    let passes = resolve(&scenarios, "referendum-passes").unwrap();
    let fails = resolve(&scenarios, "referendum-fails").unwrap();
    let c = compare(&model, &[passes.clone(), fails.clone()]).unwrap();
    let (p, f) = (&c.projections[0], &c.projections[1]);
    let a = &c.attributions[0];
    for i in 0..5 {
        assert_eq!(a.surplus[i], f.years[i + 1].surplus - p.years[i + 1].surplus);
        assert_eq!(a.fund_balance[i], f.years[i + 1].fund_balance - p.years[i + 1].fund_balance);
        assert_eq!(a.tax_per_100k[i], f.years[i + 1].tax_per_100k.unwrap() - p.years[i + 1].tax_per_100k.unwrap());
    }
    assert_adds_up(a);
    let changes: Vec<&Change> = a.contributions.iter().map(|c| &c.change).collect();
    assert_eq!(
        changes,
        [
            &Change::Lever("hold-salaries".into()),
            &Change::Referendum("2024 operating referendum".into()),
            &Change::Lever("cut-schools".into()),
            &Change::Lever("cut-central".into()),
        ],
        "assumption levers first, then referenda, then other levers"
    );
    let referendum = &a.contributions[1];
    assert_eq!(referendum.surplus[0], -14_000_000_000, "dropping the referendum removes its $140M first-year authority from revenue");
    assert!(a.contributions[1].tax_per_100k.iter().all(|t| *t < 0), "without the referendum the tax is lower every year");
}

#[test]
fn a_non_assumption_levers_part_is_its_own_effect_when_nothing_else_differs() {
    let tmp = tempfile::tempdir().unwrap();
    write_sample_district(tmp.path()).unwrap();
    let (model, scenarios) = load(tmp.path());
    let lean = resolve(&scenarios, "passes-lean").unwrap();
    let mut without = lean.clone();
    without.levers.clear();
    let a = attribute(&model, &without, &lean).unwrap();
    assert_eq!(a.contributions.len(), 1);
    let p = model.project(&lean).unwrap();
    assert_eq!(a.contributions[0].surplus, p.lever("trim-central").unwrap().effect, "percent levers are additive: the part is the effect");
}

#[test]
fn child_and_parent_differ_by_the_childs_own_changes() {
    let tmp = tempfile::tempdir().unwrap();
    write_sample_district(tmp.path()).unwrap();
    let (model, scenarios) = load(tmp.path());
    let passes = resolve(&scenarios, "referendum-passes").unwrap();
    let lean = resolve(&scenarios, "passes-lean").unwrap();
    let a = attribute(&model, &passes, &lean).unwrap();
    let changes: Vec<&Change> = a.contributions.iter().map(|c| &c.change).collect();
    assert_eq!(
        changes,
        [
            &Change::Assumption(fulcrum::model::AssumptionKey::InflationPct),
            &Change::Override("10-809-341-256000-000/expense".into()),
            &Change::Lever("trim-central".into()),
        ]
    );
    assert_adds_up(&a);
}

fn generated() -> &'static (Model, Vec<Scenario>) {
    static CELL: std::sync::OnceLock<(Model, Vec<Scenario>)> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        generate_package(2_000, 5, tmp.path()).unwrap();
        load(tmp.path())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any two scenarios, with their levers moved anywhere on their grids.
    #[test]
    fn parts_add_up_exactly_for_any_lever_settings(a in 0usize..5, b in 0usize..5, k in proptest::collection::vec(0u32..100, 20)) {
        let (model, scenarios) = generated();
        let names = ["baseline", "referendum", "cuts", "cuts-deeper", "bridge-referendum"];
        let moved = |r: Resolved, shift: usize| {
            let mut r = r;
            for (i, l) in r.levers.iter_mut().enumerate() {
                let steps = ((l.max - l.min) / l.step).trunc();
                let pick = Decimal::from(k[(i + shift) % k.len()]) % (steps + Decimal::ONE);
                l.value = l.min + pick * l.step;
            }
            r
        };
        let ra = moved(resolve(scenarios, names[a]).unwrap(), 0);
        let rb = moved(resolve(scenarios, names[b]).unwrap(), 7);
        let attribution = attribute(model, &ra, &rb).unwrap();
        assert_adds_up(&attribution);
        prop_assert!(
            attribution.contributions.iter().all(|c| c.change != Change::LeverOrder),
            "these scenarios set no assumption key by two levers, so every part belongs to a change: {:?}",
            attribution.contributions.iter().map(|c| &c.label).collect::<Vec<_>>()
        );
        let (pa, pb) = (model.project(&ra).unwrap(), model.project(&rb).unwrap());
        for i in 0..attribution.years.len() {
            prop_assert_eq!(attribution.surplus[i], pb.years[i + 1].surplus - pa.years[i + 1].surplus);
        }
    }
}
