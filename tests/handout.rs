//! Exports and the board packet, written to a chosen path as the desktop and CLI do.

use fulcrum::handout::{export_comparison, export_package, write_board_packet};
use fulcrum::workspace::Workspace;

fn sample(tmp: &std::path::Path) -> Workspace {
    let dir = tmp.join("pkg");
    fulcrum::generate::write_sample_district(&dir).unwrap();
    Workspace::create(&tmp.join("d.fulcrum"), &dir, false).unwrap()
}

#[test]
fn a_packet_is_a_whole_pdf_stamped_with_its_inputs() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = sample(tmp.path());
    let names = ["referendum-passes".to_string(), "referendum-fails".to_string()];
    let out = tmp.path().join("board.pdf");
    let written = write_board_packet(&ws, &names, "2025-03-10", &out).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    let tail = String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(32)..]).to_string();
    assert!(bytes.starts_with(b"%PDF-") && tail.contains("%%EOF"), "a complete PDF, header to trailer");
    assert!(written.what.contains("inputs "), "{}", written.what);
    assert!(!tmp.path().join("board.pdf.partial").exists(), "no temporary file is left");
    let again = tmp.path().join("again.pdf");
    write_board_packet(&ws, &names, "2025-03-10", &again).unwrap();
    assert_eq!(std::fs::read(&again).unwrap(), bytes, "the same inputs and date give the same packet");
    assert!(write_board_packet(&ws, &[], "2025-03-10", &out).is_err(), "a packet needs a scenario");
    assert!(write_board_packet(&ws, &["nope".into()], "2025-03-10", &tmp.path().join("x.pdf")).is_err());
    assert!(!tmp.path().join("x.pdf").exists(), "a refused packet writes nothing");
}

#[test]
fn comparisons_export_as_xlsx_or_csv_by_extension() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = sample(tmp.path());
    let names = ["referendum-passes".to_string(), "referendum-fails".to_string()];
    export_comparison(&ws, &names, &tmp.path().join("c.xlsx")).unwrap();
    let xlsx = std::fs::read(tmp.path().join("c.xlsx")).unwrap();
    assert!(xlsx.starts_with(b"PK"), "an .xlsx is a zip container");
    export_comparison(&ws, &names, &tmp.path().join("c.csv")).unwrap();
    let csv = std::fs::read_to_string(tmp.path().join("c.csv")).unwrap();
    assert!(csv.contains("referendum-fails") && csv.contains("-140000000.00"), "differences as exact decimals:\n{}", &csv[..400.min(csv.len())]);
    export_package(&ws, &tmp.path().join("out")).unwrap();
    assert!(tmp.path().join("out").join("budget_lines.csv").exists());
}
