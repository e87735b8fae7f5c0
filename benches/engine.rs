//! `cargo bench --bench engine`: projection and compare on a generated 50,000-line
//! package (5 years, 20 levers across its scenarios), and the sample district.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};

use fulcrum::compare::{attribute, compare};
use fulcrum::generate::{generate_package, write_sample_district};
use fulcrum::import::load_package;
use fulcrum::projection::Model;
use fulcrum::scenario::{resolve, Resolved};

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

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_secs(1)).measurement_time(std::time::Duration::from_secs(3));
    targets = engine
}
criterion_main!(benches);
