//! Round trips, XLSX read-back, roll forward, GL mapping reuse and the board packet.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use fulcrum::dataflow::{run_import, GlSource, ImportRequest, MappingChoice};
use fulcrum::ledger::GlMapping;
use fulcrum::money::parse_amount;
use fulcrum::report::ProjectionJson;
use fulcrum::workspace::Workspace;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn request(target: &Path, package: &Path) -> ImportRequest {
    ImportRequest { target: target.into(), package: package.into(), gl: None, control: None, roll_forward: false, force: false, stamp: "2025-03-10T09:00:00Z".into() }
}

fn projections(file: &Path) -> Vec<String> {
    let ws = Workspace::open(file).unwrap();
    let mut names = vec!["baseline".to_string()];
    names.extend(ws.scenarios().iter().map(|s| s.name.clone()));
    names.iter().map(|n| serde_json::to_string(&ProjectionJson::of(&ws.project(n).unwrap())).unwrap()).collect()
}

#[test]
fn package_to_file_to_csv_package_to_file_gives_identical_projections() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.fulcrum");
    assert!(run_import(&request(&a, &corpus().join("base"))).written);
    let ws = Workspace::open(&a).unwrap();
    let out = tmp.path().join("out");
    fulcrum::export::package_csv(ws.model().package(), ws.scenarios(), &out).unwrap();
    let b = tmp.path().join("b.fulcrum");
    assert!(run_import(&request(&b, &out)).written);
    assert_eq!(projections(&a), projections(&b), "the exported package projects to the cent as the original");
}

#[test]
fn package_workbook_round_trip_projects_identically() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.fulcrum");
    assert!(run_import(&request(&a, &corpus().join("base"))).written);
    let ws = Workspace::open(&a).unwrap();
    let xlsx = tmp.path().join("pkg.xlsx");
    std::fs::write(&xlsx, fulcrum::export::package_xlsx(ws.model().package()).unwrap()).unwrap();
    let b = tmp.path().join("b.fulcrum");
    let r = run_import(&request(&b, &xlsx));
    assert!(r.written, "{:?}", r.errors);
    assert_eq!(projections(&a)[0], projections(&b)[0], "baseline from the workbook matches to the cent");
}

#[test]
fn a_workbook_missing_a_sheet_is_refused_naming_the_sheet() {
    let tmp = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().set_name("district").unwrap().write_string(0, 0, "key").unwrap();
    let path = tmp.path().join("partial.xlsx");
    wb.save(&path).unwrap();
    let r = run_import(&request(&tmp.path().join("x.fulcrum"), &path));
    assert!(!r.written);
    assert!(r.errors.iter().any(|e| e.code == "E061" && e.file == "partial.xlsx:budget_lines"), "{:?}", r.errors);
    assert!(!tmp.path().join("x.fulcrum").exists(), "nothing is written");
}

#[test]
fn comparison_xlsx_reads_back_to_the_same_cents() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.fulcrum");
    assert!(run_import(&request(&a, &corpus().join("base"))).written);
    let ws = Workspace::open(&a).unwrap();
    let names: Vec<String> = vec![ws.scenarios()[0].name.clone(), "baseline".into()];
    let resolved: Vec<_> = names.iter().map(|n| ws.resolve(n).unwrap()).collect();
    let bytes = fulcrum::export::comparison_xlsx(ws.model(), &resolved, ws.scenarios()).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names()[0], "Side by side");
    assert!(wb.sheet_names().contains(&"Scenarios".to_string()));
    let sheet = wb.worksheet_range(&names[0]).unwrap();
    let p = ws.project(&names[0]).unwrap();
    // Row 11 is fund balance (after the header and 10 figures).
    let row: Vec<&Data> = sheet.rows().nth(11).unwrap().iter().collect();
    assert_eq!(row[0], &Data::String("Fund balance".into()));
    for (i, y) in p.years.iter().enumerate() {
        let Data::Float(f) = row[1 + i] else { panic!("a number cell") };
        assert_eq!(parse_amount(&f.to_string()), Ok(y.fund_balance), "the cell reads back to the exact cents");
    }
}

#[test]
fn roll_forward_keeps_scenarios_parks_what_no_longer_applies_and_keeps_history() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("d.fulcrum");
    assert!(run_import(&request(&file, &corpus().join("base"))).written);
    // Next year's package: base year 2025, one line gone.
    let next = tmp.path().join("next");
    std::fs::create_dir_all(&next).unwrap();
    for f in ["departments.csv", "funds.csv"] {
        std::fs::copy(corpus().join("base").join(f), next.join(f)).unwrap();
    }
    std::fs::write(next.join("district.csv"), "key,value\nname,Tiny Example District\nbase_year,2025\nhorizon,2\nrevenue_limit_recurring_base,12658981.25\nreserve_policy_pct,10\n").unwrap();
    std::fs::write(next.join("membership.csv"), "year,membership\n2023,990\n2024,975\n2025,960\n").unwrap();
    let assumptions = std::fs::read_to_string(corpus().join("base/assumptions.csv")).unwrap().replace("2025,", "2027,");
    std::fs::write(next.join("assumptions.csv"), assumptions).unwrap();
    let lines = std::fs::read_to_string(corpus().join("base/budget_lines.csv")).unwrap();
    let lines: String = lines.lines().filter(|l| !l.contains("Purchased services")).map(|l| format!("{l}\n")).collect();
    std::fs::write(next.join("budget_lines.csv"), lines).unwrap();
    let before = Workspace::open(&file).unwrap().scenarios().len();
    let r = run_import(&ImportRequest { roll_forward: true, ..request(&file, &next) });
    assert!(r.written, "{}", r.render(false));
    assert_eq!(r.previous_base_year, Some(2024));
    assert!(r.notices.iter().any(|n| n.reason.contains("now in the past")), "a 2025 item is reported as past: {:?}", r.notices);
    let ws = Workspace::open(&file).unwrap();
    assert_eq!(ws.model().package().district.base_year, 2025);
    assert_eq!(ws.scenarios().len(), before, "every scenario is kept");
    let archive = PathBuf::from(r.backup.unwrap());
    let old = Workspace::open(&archive).unwrap();
    assert_eq!(old.model().package().district.base_year, 2024, "the old base year stays readable");
    let f = fulcrum::store::DistrictFile::open_read_only(&file).unwrap();
    assert_eq!(f.history().unwrap()[0].base_year, 2024);
    assert_eq!(f.parked().unwrap().len(), r.notices.iter().filter(|n| n.action == "parked").count());
}

#[test]
fn a_saved_gl_mapping_is_reused_the_next_year() {
    let tmp = tempfile::tempdir().unwrap();
    let pkg = tmp.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    for f in ["district.csv", "membership.csv", "funds.csv", "departments.csv", "assumptions.csv", "scenarios.json"] {
        std::fs::copy(corpus().join("base").join(f), pkg.join(f)).unwrap();
    }
    let m = GlMapping::from_json(&std::fs::read_to_string(corpus().join("gl-combined.json")).unwrap(), "m").unwrap();
    let file = tmp.path().join("d.fulcrum");
    let gl = corpus().join("cases/29-gl-good-debit-credit.gl.csv");
    let r = run_import(&ImportRequest { gl: Some(GlSource { path: gl.clone(), mapping: MappingChoice::Given(m) }), ..request(&file, &pkg) });
    assert!(r.written, "{}", r.render(false));
    assert_eq!(r.lines_made, 10, "11 GL rows make 10 lines: two salary rows sum into one");
    let again = run_import(&ImportRequest {
        roll_forward: true,
        gl: Some(GlSource { path: gl, mapping: MappingChoice::Saved("erp-budget".into()) }),
        ..request(&file, &pkg)
    });
    assert!(again.written, "{}", again.render(false));
    // The GL-made budget projects as the tidy package does.
    let tidy = tmp.path().join("tidy.fulcrum");
    assert!(run_import(&request(&tidy, &corpus().join("base"))).written);
    assert_eq!(projections(&file), projections(&tidy));
}

#[test]
fn the_board_packet_is_stamped_and_reproducible() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("d.fulcrum");
    assert!(run_import(&request(&file, &corpus().join("base"))).written);
    let ws = Workspace::open(&file).unwrap();
    let names: Vec<String> = vec![ws.scenarios()[0].name.clone(), "baseline".into()];
    let resolved: Vec<_> = names.iter().map(|n| ws.resolve(n).unwrap()).collect();
    let a = fulcrum::packet::board_packet(ws.model(), &resolved, ws.scenarios(), "2025-03-10").unwrap();
    let b = fulcrum::packet::board_packet(ws.model(), &resolved, ws.scenarios(), "2025-03-10").unwrap();
    assert_eq!(a.pdf, b.pdf, "same inputs and date give the same bytes");
    assert!(a.pdf.starts_with(b"%PDF"));
    let text = String::from_utf8_lossy(&a.pdf);
    assert!(text.contains("2025-03-10") && text.contains(&a.inputs_hash[..16]), "stamped with date and hash");
    let other = fulcrum::packet::board_packet(ws.model(), &resolved[..1], ws.scenarios(), "2025-03-10").unwrap();
    assert_ne!(other.inputs_hash, a.inputs_hash, "a different scenario set hashes differently");
}
