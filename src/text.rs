//! Reading the delimited text files that real finance offices hand over.
//!
//! An ERP export or a CSV saved from Excel is rarely the tidy UTF-8 of MODEL.md §3:
//! it may start with a byte-order mark, be Windows-1252 or UTF-16 text, use `;`
//! between fields, end in rows of empty cells, or be a workbook renamed `.csv`.
//! [`read_text_table`] takes the bytes as they are and returns records as text,
//! numbered as a spreadsheet numbers rows (the header is row 1), with a note for
//! every repair it made. It refuses, with a reason, what it cannot read honestly.
//!
//! This module depends on nothing but `std` and `encoding_rs`, so the fuzz target
//! compiles it on its own (`fuzz/fuzz_targets/csv_reader.rs`).

/// One thing the reader noticed: an error (nothing is read) or a repair it made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextNote {
    /// A stable code: `E002` for unreadable text, `W0xx` for repairs.
    pub code: &'static str,
    pub row: Option<u32>,
    pub message: String,
}

/// One record: its row as a spreadsheet shows it, and its cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub row: u32,
    pub cells: Vec<String>,
}

/// A delimited file read as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextTable {
    pub header: Vec<String>,
    /// Data records, blank ones left out; each keeps its original row number.
    pub records: Vec<Record>,
    pub delimiter: u8,
    pub encoding: &'static str,
    /// Repairs made while reading (warnings).
    pub notes: Vec<TextNote>,
}

impl TextTable {
    /// The index of a header cell, compared without surrounding spaces.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The table as plain UTF-8 CSV (comma-separated, RFC 4180 quoting), blank rows left out.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        write_csv_row(&mut out, self.header.iter().map(String::as_str));
        for r in &self.records {
            write_csv_row(&mut out, r.cells.iter().map(String::as_str));
        }
        out
    }
}

/// Appends one CSV row, quoting cells that need it.
pub fn write_csv_row<'a>(out: &mut String, cells: impl IntoIterator<Item = &'a str>) {
    // Padding that the reader trims from unquoted cells must be quoted to survive.
    let pad = |ch: char| ch.is_whitespace() || ch == '\u{feff}';
    for (i, c) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if c.contains([',', '"', '\n', '\r', ';', '\t']) || c.starts_with(pad) || c.ends_with(pad) {
            out.push('"');
            out.push_str(&c.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(c);
        }
    }
    out.push('\n');
}

fn note(code: &'static str, message: impl Into<String>) -> TextNote {
    TextNote { code, row: None, message: message.into() }
}

/// Decodes the bytes of a text file: UTF-8 (with or without BOM), UTF-16 with BOM,
/// or Windows-1252 when the bytes are not UTF-8. Refuses binary data.
pub fn decode(bytes: &[u8], notes: &mut Vec<TextNote>) -> Result<(String, &'static str), TextNote> {
    if bytes.is_empty() {
        return Err(note("E002", "is empty (0 bytes); expected a header row"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(note("E002", "is a zip archive (an .xlsx workbook renamed .csv?), not CSV text; save it as CSV or import the workbook itself"));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(note("E002", "is an old Excel .xls workbook renamed .csv, not CSV text; save it as CSV"));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(note("E002", "is a PDF document, not CSV text"));
    }
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom..];
        if enc == encoding_rs::UTF_8 {
            return match std::str::from_utf8(body) {
                Ok(s) => check_text(s.to_string(), "UTF-8"),
                Err(e) => Err(TextNote { code: "E002", row: Some(line_of(body, e.valid_up_to())), message: "starts with a UTF-8 byte-order mark but is not UTF-8 text".into() }),
            };
        }
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        if had_errors {
            return Err(note("E002", format!("starts with a {} byte-order mark but is not {} text", enc.name(), enc.name())));
        }
        notes.push(note("W006", format!("read as {} text (its byte-order mark says so)", enc.name())));
        return check_text(text.into_owned(), enc.name());
    }
    if bytes.contains(&0) {
        return Err(note("E002", "holds binary data (NUL bytes), not CSV text; is it a spreadsheet or another file renamed .csv?"));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => check_text(s.to_string(), "UTF-8"),
        Err(e) => {
            let row = line_of(bytes, e.valid_up_to());
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            let mut n = note("W001", "is not UTF-8; read as Windows-1252 (the encoding Excel uses on Windows)");
            n.row = Some(row);
            notes.push(n);
            check_text(text.into_owned(), "windows-1252")
        }
    }
}

fn line_of(bytes: &[u8], at: usize) -> u32 {
    bytes[..at].iter().filter(|&&b| b == b'\n').count() as u32 + 1
}

/// Text with many control characters is binary data that happened to decode.
fn check_text(text: String, encoding: &'static str) -> Result<(String, &'static str), TextNote> {
    // A doubled byte-order mark (found by fuzzing) would otherwise stick to the first header name.
    let text = match text.strip_prefix('\u{feff}') {
        Some(_) => text.trim_start_matches('\u{feff}').to_string(),
        None => text,
    };
    let controls = text.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')).count();
    if controls > 0 && controls * 100 >= text.chars().count().max(1) {
        return Err(note("E002", "holds binary data (control characters), not CSV text"));
    }
    Ok((text, encoding))
}

/// The separator of the header line: `,`, `;` or tab, whichever occurs most outside quotes.
fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    if counts[best] == 0 { b',' } else { [b',', b';', b'\t'][best] }
}

/// Splits text into records of cells (RFC 4180: `"` quotes, `""` inside quotes).
/// Each record carries its 1-based record number. Refuses an unclosed quote.
pub fn split_records(text: &str, delimiter: u8) -> Result<Vec<Record>, TextNote> {
    let mut records = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut row: u32 = 1;
    let mut start_row: u32 = 1;
    let d = delimiter as char;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted = false;
                }
            } else {
                if c == '\n' {
                    row += 1;
                }
                cell.push(c);
            }
            continue;
        }
        match c {
            '"' if cell.trim().is_empty() && !was_quoted => {
                cell.clear();
                quoted = true;
                was_quoted = true;
            }
            c if c == d => {
                cells.push(finish_cell(&mut cell, was_quoted));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                cells.push(finish_cell(&mut cell, was_quoted));
                was_quoted = false;
                records.push(Record { row: start_row, cells: std::mem::take(&mut cells) });
                row += 1;
                start_row = row;
                any = false;
            }
            c => cell.push(c),
        }
    }
    if quoted {
        return Err(TextNote { code: "E002", row: Some(start_row), message: "has a quoted cell that is never closed (a \" without its partner)".into() });
    }
    if any {
        cells.push(finish_cell(&mut cell, was_quoted));
        records.push(Record { row: start_row, cells });
    }
    Ok(records)
}

fn finish_cell(cell: &mut String, quoted: bool) -> String {
    let c = std::mem::take(cell);
    if quoted { c } else { trim_cell(&c).to_string() }
}

/// Trims spaces and stray zero-width no-break spaces (U+FEFF, a misplaced BOM).
fn trim_cell(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

fn blank(r: &Record) -> bool {
    r.cells.iter().all(|c| c.trim().is_empty())
}

/// Reads a delimited text file: decoding, separator, header and records.
///
/// Blank rows (every cell empty, as Excel leaves at the end of a sheet) are left
/// out with a warning; the other records keep their original row numbers.
pub fn read_text_table(bytes: &[u8]) -> Result<TextTable, TextNote> {
    let mut notes = Vec::new();
    let (text, encoding) = decode(bytes, &mut notes)?;
    if text.trim().is_empty() {
        return Err(note("E002", "holds no text (only spaces or blank lines); expected a header row"));
    }
    let delimiter = detect_delimiter(&text);
    if delimiter != b',' {
        notes.push(note("W002", format!("fields are separated by {}; read it that way", if delimiter == b';' { "\";\"" } else { "tabs" })));
    }
    let mut records = split_records(&text, delimiter)?;
    let first = records.iter().position(|r| !blank(r)).unwrap_or(0);
    if first > 0 {
        return Err(TextNote { code: "E002", row: Some(1), message: format!("starts with {first} blank row(s); the header must be on row 1") });
    }
    let header_record = records.remove(0);
    let mut header: Vec<String> = header_record.cells.into_iter().map(|h| trim_cell(&h).to_string()).collect();
    // Trailing empty header cells (trailing separators Excel writes) are dropped;
    // records may then carry as many empty cells, never more.
    let raw_width = header.len();
    while header.len() > 1 && header.last().is_some_and(|h| h.is_empty()) {
        header.pop();
    }
    let before = records.len();
    let trailing = records.iter().rev().take_while(|r| blank(r)).count();
    records.retain(|r| !blank(r));
    let interior = before - records.len() - trailing;
    if trailing > 0 {
        notes.push(note("W003", format!("{trailing} blank row(s) at the end were skipped")));
    }
    if interior > 0 {
        notes.push(note("W003", format!("{interior} blank row(s) between records were skipped")));
    }
    let width = header.len();
    for r in &mut records {
        // Excel pads short rows with empty cells and writes trailing separators; a row
        // with more non-empty cells than the header is a real error left to the caller.
        while r.cells.len() > width && r.cells.len() <= raw_width && r.cells.last().is_some_and(|c| c.is_empty()) {
            r.cells.pop();
        }
        if r.cells.len() > width {
            return Err(TextNote {
                code: "E002",
                row: Some(r.row),
                message: format!("row {} has {} cells but the header has {} columns (a separator inside an unquoted value?)", r.row, r.cells.len(), width),
            });
        }
        r.cells.resize(width, String::new());
    }
    Ok(TextTable { header, records, delimiter, encoding, notes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_utf8_file_reads_without_notes() {
        let t = read_text_table(b"a,b\n1,2\n").unwrap();
        assert_eq!(t.header, ["a", "b"]);
        assert_eq!(t.records, [Record { row: 2, cells: vec!["1".into(), "2".into()] }]);
        assert!(t.notes.is_empty());
    }

    #[test]
    fn quoted_cells_keep_separators_quotes_and_newlines() {
        let t = read_text_table(b"a,b\n\"x, \"\"y\"\"\n z\",2\r\n3,4").unwrap();
        assert_eq!(t.records[0].cells[0], "x, \"y\"\n z");
        assert_eq!(t.records[1].row, 4, "the quoted newline makes the next record start on line 4");
    }

    #[test]
    fn semicolons_bom_and_trailing_blank_rows_are_repaired() {
        let t = read_text_table(b"\xEF\xBB\xBFa;b\n1;2\n;\n;;\n").unwrap();
        assert_eq!(t.header, ["a", "b"]);
        assert_eq!(t.records.len(), 1);
        assert_eq!(t.notes.iter().map(|n| n.code).collect::<Vec<_>>(), ["W002", "W003"]);
    }

    #[test]
    fn windows_1252_is_decoded_with_a_warning() {
        let t = read_text_table(b"name\nCaf\xE9 \x96 Nord\n").unwrap();
        assert_eq!(t.records[0].cells[0], "Café – Nord");
        assert_eq!(t.notes[0].code, "W001");
        assert_eq!(t.notes[0].row, Some(2));
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "a\tb\n1\t2\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let t = read_text_table(&bytes).unwrap();
        assert_eq!(t.records[0].cells, ["1", "2"]);
    }

    #[test]
    fn a_doubled_byte_order_mark_does_not_stick_to_the_header() {
        let t = read_text_table(b"\xEF\xBB\xBF\xEF\xBB\xBFfund,x\n10,1\n").unwrap();
        assert_eq!(t.header[0], "fund");
        let t = read_text_table(&[0xFF, 0xFE, 0xFF, 0xFE, b'a', 0, b'\n', 0]).unwrap();
        assert_eq!(t.header[0], "a");
    }

    #[test]
    fn binary_and_empty_files_are_refused() {
        assert_eq!(read_text_table(b"").unwrap_err().code, "E002");
        assert!(read_text_table(b"PK\x03\x04rest").unwrap_err().message.contains("zip"));
        assert!(read_text_table(b"a,b\n\x00\x01").unwrap_err().message.contains("binary"));
        assert!(read_text_table(b"a,b\n\"open,2\n").unwrap_err().message.contains("never closed"));
    }

    #[test]
    fn csv_output_reads_back_the_same() {
        let t = read_text_table(b"a,b\n\"x,1\",\" y \"\n").unwrap();
        let again = read_text_table(t.to_csv().as_bytes()).unwrap();
        assert_eq!(again.records[0].cells, t.records[0].cells);
    }
}
