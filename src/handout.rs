//! What leaves the finance office: comparisons and projections as spreadsheets,
//! the package back out, and the board packet, each written to a chosen path.
//!
//! The CLI and the desktop shell both call these, so a file exported from either
//! holds the same bytes.

use std::path::Path;

use serde::Serialize;

use crate::compare::compare;
use crate::error::{Error, Result};
use crate::export;
use crate::packet::board_packet;
use crate::workspace::Workspace;

/// What was written, for a status line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Written {
    pub path: String,
    pub what: String,
}

fn is_xlsx(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// Writes `bytes` beside `out` and renames it into place: a reader never sees half a file.
fn write(out: &Path, bytes: &[u8], what: String) -> Result<Written> {
    let mut tmp = out.as_os_str().to_owned();
    tmp.push(".partial");
    let tmp = std::path::PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, out))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::Io { path: out.to_path_buf(), source: e }
        })?;
    Ok(Written { path: out.display().to_string(), what })
}

/// Scenarios side by side: an `.xlsx` workbook (a sheet per view, the definitions
/// on their own sheet), or CSV for any other extension.
pub fn export_comparison(ws: &Workspace, names: &[String], out: &Path) -> Result<Written> {
    let resolved = names.iter().map(|n| ws.resolve(n)).collect::<Result<Vec<_>>>()?;
    let what = format!("comparison of {}", names.join(", "));
    if is_xlsx(out) {
        write(out, &export::comparison_xlsx(ws.model(), &resolved, ws.scenarios())?, what)
    } else if resolved.len() == 1 {
        write(out, export::projection_csv(&ws.model().project(&resolved[0])?).as_bytes(), what)
    } else {
        write(out, export::comparison_csv(&compare(ws.model(), &resolved)?).as_bytes(), what)
    }
}

/// The board packet PDF of the chosen scenarios, stamped with `date`.
pub fn write_board_packet(ws: &Workspace, names: &[String], date: &str, out: &Path) -> Result<Written> {
    if names.is_empty() {
        return Err(Error::Usage("a board packet needs at least one scenario".into()));
    }
    let resolved = names.iter().map(|n| ws.resolve(n)).collect::<Result<Vec<_>>>()?;
    let packet = board_packet(ws.model(), &resolved, ws.scenarios(), date)?;
    let what = format!("board packet, {} pages, inputs {}", packet.pages, &packet.inputs_hash[..12.min(packet.inputs_hash.len())]);
    write(out, &packet.pdf, what)
}

/// A department's template under a scenario, for its director to fill in: `.xlsx`, or
/// CSV for any other extension.
pub fn department_template(ws: &Workspace, scenario: &str, department: &str, out: &Path) -> Result<Written> {
    let t = crate::department::template(ws.model(), &ws.project(scenario)?, department)?;
    let what = format!("{department} projection template under {scenario}, {} lines", t.rows.len());
    if is_xlsx(out) { write(out, &t.to_xlsx()?, what) } else { write(out, t.to_csv().as_bytes(), what) }
}

/// The package back out as one workbook (`.xlsx`) or a folder of CSV files.
pub fn export_package(ws: &Workspace, out: &Path) -> Result<Written> {
    if is_xlsx(out) {
        write(out, &export::package_xlsx(ws.model().package())?, "package workbook".into())
    } else {
        export::package_csv(ws.model().package(), ws.scenarios(), out)?;
        Ok(Written { path: out.display().to_string(), what: "package folder".into() })
    }
}
