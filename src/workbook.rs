//! Reading `.xlsx` workbooks (calamine) as the same text tables CSV files give.
//!
//! A cell becomes the text a person sees in it, so one validation serves CSV
//! and XLSX alike. Excel stores every number as a binary double; a number cell is
//! turned into the shortest decimal text that reads back as the same double (Rust's
//! `Display` for `f64`), which for any amount Excel can show to the cent is exactly
//! the amount typed. A cell holding more than two decimals (`0.30000000000000004`
//! from a formula) is then refused by the amount grammar rather than rounded.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::text::{Record, TextNote, TextTable};

/// An open workbook, its sheet names in order.
pub struct Workbook {
    inner: Xlsx<Cursor<Vec<u8>>>,
    pub sheets: Vec<String>,
}

/// A column whose numbers are account segments of a fixed width (`("location", 3)`).
pub type SegmentWidth<'a> = (&'a str, usize);

impl Workbook {
    /// Opens workbook bytes; the error says why they are not a readable `.xlsx`.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Workbook, String> {
        if bytes.is_empty() {
            return Err("is empty (0 bytes), not an .xlsx workbook".into());
        }
        if !bytes.starts_with(b"PK\x03\x04") {
            return Err("is not an .xlsx workbook (an .xlsx file is a zip archive; is it CSV text or an old .xls renamed?)".into());
        }
        let inner = Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("cannot be read as an .xlsx workbook: {e}"))?;
        let sheets = inner.sheet_names();
        Ok(Workbook { inner, sheets })
    }

    pub fn has_sheet(&self, name: &str) -> bool {
        self.sheets.iter().any(|s| s == name)
    }

    /// Reads one sheet as a table: its first row is the header.
    ///
    /// Number cells in `segments` columns that lost their leading zeros
    /// (`10` in a 3-digit location column) are padded back, with a warning.
    pub fn table(&mut self, sheet: &str, segments: &[SegmentWidth]) -> Result<TextTable, TextNote> {
        let range = self.inner.worksheet_range(sheet).map_err(|e| TextNote { code: "E061", row: None, message: format!("sheet {sheet:?} cannot be read: {e}") })?;
        let Some((top, left)) = range.start() else {
            return Err(TextNote { code: "E002", row: None, message: format!("sheet {sheet:?} is empty; expected a header row") });
        };
        let mut rows = range.rows();
        let header_cells = rows.next().unwrap_or(&[]);
        let mut notes = Vec::new();
        let mut header = Vec::new();
        for (i, c) in header_cells.iter().enumerate() {
            header.push(cell_text(c).map_err(|m| TextNote { code: "E062", row: Some(top + 1), message: format!("header cell {}: {m}", column_letter(left + i as u32)) })?.trim().to_string());
        }
        while header.len() > 1 && header.last().is_some_and(|h| h.is_empty()) {
            header.pop();
        }
        if top > 0 {
            return Err(TextNote { code: "E002", row: Some(1), message: format!("sheet {sheet:?} starts on row {}; the header must be on row 1", top + 1) });
        }
        let seg_cols: Vec<(usize, usize)> =
            segments.iter().filter_map(|(name, w)| header.iter().position(|h| h == name).map(|i| (i, *w))).collect();
        let mut repaired: Vec<(String, String, String, u32, usize)> = Vec::new();
        let mut records = Vec::new();
        let mut blank_rows = 0;
        for (k, cells) in rows.enumerate() {
            let row = top + 2 + k as u32;
            let mut out = Vec::with_capacity(header.len());
            for (i, c) in cells.iter().enumerate() {
                let mut text = cell_text(c).map_err(|m| TextNote {
                    code: "E062",
                    row: Some(row),
                    message: format!("cell {}{row}: {m}", column_letter(left + i as u32)),
                })?;
                if let (Some(&(_, width)), Data::Float(_) | Data::Int(_)) = (seg_cols.iter().find(|(col, _)| *col == i), c)
                    && text.bytes().all(|b| b.is_ascii_digit()) && text.len() < width {
                        let padded = format!("{text:0>width$}");
                        let col = header[i].clone();
                        match repaired.iter_mut().find(|r| r.0 == col && r.1 == text) {
                            Some(r) => r.4 += 1,
                            None => repaired.push((col, text.clone(), padded.clone(), row, 1)),
                        }
                        text = padded;
                    }
                out.push(text);
            }
            if out.iter().all(|c| c.trim().is_empty()) {
                blank_rows += 1;
                continue;
            }
            while out.len() > header.len() && out.last().is_some_and(|c| c.is_empty()) {
                out.pop();
            }
            if out.len() > header.len() {
                return Err(TextNote { code: "E002", row: Some(row), message: format!("row {row} has values beyond the header's {} columns", header.len()) });
            }
            out.resize(header.len(), String::new());
            records.push(Record { row, cells: out });
        }
        for (col, from, to, row, n) in repaired {
            notes.push(TextNote {
                code: "W004",
                row: Some(row),
                message: format!("{col} {from} read as {to} (Excel dropped its leading zeros) on {n} row(s)"),
            });
        }
        if blank_rows > 0 {
            notes.push(TextNote { code: "W003", row: None, message: format!("{blank_rows} blank row(s) were skipped") });
        }
        Ok(TextTable { header, records, delimiter: b',', encoding: "xlsx", notes })
    }
}

/// `A`, `B`, …, `AA` for a 0-based column.
pub fn column_letter(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The text of a cell as a person reads it; errors and dates are refused.
fn cell_text(c: &Data) -> Result<String, String> {
    Ok(match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // The shortest text that reads back as the same double: the number as typed.
        Data::Float(f) => {
            if !f.is_finite() {
                return Err(format!("{f} is not a number"));
            }
            let t = f.to_string();
            if t == "-0" { "0".into() } else { t }
        }
        Data::Bool(b) => b.to_string(),
        Data::Error(e) => return Err(format!("holds the Excel error {e}; fix the formula and save again")),
        Data::DateTime(d) => return Err(format!("holds a date ({d}); expected text or a number (Excel turned the value into a date?)")),
        Data::DateTimeIso(d) | Data::DurationIso(d) => return Err(format!("holds a date or time ({d}); expected text or a number")),
    })
}
