//! `cargo bench --bench engine`: projection and compare on a generated 50,000-line
//! package (5 years, 20 levers across its scenarios), and the sample district.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};

use fulcrum::compare::{attribute, compare};
use fulcrum::generate::{generate_package, write_sample_district};
use fulcrum::import::load_package;
use fulcrum::projection::Model;
use fulcrum::scenario::{resolve, LeverAction, Resolved};

fn load(dir: &Path) -> (Model, Vec<Resolved>) {
    let loaded = load_package(dir).expect("the generated package loads");
    let names: Vec<String> = loaded.scenarios.iter().map(|s| s.name.clone()).collect();
    let resolved = names.iter().map(|n| resolve(&loaded.scenarios, n).expect("resolves")).collect();
    (Model::new(loaded.package), resolved)
}

fn engine(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("generated");
    generate_package(50_000, 42, &dir).expect("generate");
    let (model, scenarios) = load(&dir);
    let levers: usize = scenarios.iter().map(|s| s.levers.len()).sum();
    let cuts = scenarios.iter().find(|s| s.name == "cuts-deeper").expect("cuts-deeper").clone();
    eprintln!("generated package: {} lines, {} scenarios, {levers} levers in all", model.package().lines.len(), scenarios.len());

    c.bench_function("project 50k lines, no levers (baseline)", |b| b.iter(|| model.project(&Resolved::baseline()).expect("projects")));
    c.bench_function(&format!("project 50k lines, {} levers (cuts-deeper)", cuts.levers.len()), |b| {
        b.iter(|| model.project(&cuts).expect("projects"))
    });
    let all = every_lever(&scenarios);
    c.bench_function(&format!("project 50k lines, {} levers and {} referenda in one scenario", all.levers.len(), all.referenda.len()), |b| {
        b.iter(|| model.project(&all).expect("projects"))
    });
    let four: Vec<Resolved> = scenarios.iter().take(4).cloned().collect();
    c.bench_function("compare 4 scenarios, 50k lines (projections only)", |b| {
        b.iter(|| four.iter().map(|s| model.project(s).expect("projects")).collect::<Vec<_>>())
    });
    c.bench_function("attribute cuts-deeper vs baseline, 50k lines", |b| {
        b.iter(|| attribute(&model, &Resolved::baseline(), &cuts).expect("attributes"))
    });
    c.bench_function("compare 4 scenarios with attribution, 50k lines", |b| b.iter(|| compare(&model, &four).expect("compares")));

    let sample = tmp.path().join("sample");
    write_sample_district(&sample).expect("sample");
    let (model, scenarios) = load(&sample);
    let passes = scenarios.iter().find(|s| s.name == "referendum-passes").expect("passes").clone();
    let fails = scenarios.iter().find(|s| s.name == "referendum-fails").expect("fails").clone();
    c.bench_function("sample district: compare passes vs fails with attribution", |b| {
        b.iter(|| compare(&model, &[passes.clone(), fails.clone()]).expect("compares"))
    });
}

/// One scenario holding every lever of the generated package (each id once, the child's
/// setting where a child replaces one) and both referenda, topped up to 20 levers with a
/// second school-budget filter: the "one full projection, 20 levers".
fn every_lever(scenarios: &[Resolved]) -> Resolved {
    let mut all = Resolved { name: "every-lever".into(), ..Default::default() };
    for s in scenarios {
        for l in &s.levers {
            match all.levers.iter_mut().find(|a| a.id == l.id) {
                Some(a) => *a = l.clone(),
                None => all.levers.push(l.clone()),
            }
        }
        for r in &s.referenda {
            if !all.referenda.iter().any(|a| a.name == r.name) {
                all.referenda.push(r.clone());
            }
        }
        all.assumptions.extend(s.assumptions.iter().cloned());
    }
    let mut extra = all.levers.iter().find(|l| l.id == "pilot-schools").expect("pilot-schools").clone();
    extra.id = "pilot-schools-2".into();
    if let LeverAction::Percent { filter } = &mut extra.action {
        filter.locations = Some(vec!["003".into(), "004".into()]);
        filter.departments = Some(vec!["S003".into(), "S004".into()]);
    }
    all.levers.push(extra);
    assert_eq!(all.levers.len(), 20, "the benchmark scenario holds 20 levers");
    all
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_secs(1)).measurement_time(std::time::Duration::from_secs(3));
    targets = engine
}
criterion_main!(benches);
