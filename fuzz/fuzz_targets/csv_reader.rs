//! The text-table reader never panics on any bytes, and a table it reads
//! writes back as CSV that reads again to the same cells.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../../src/text.rs"]
#[allow(dead_code)]
mod text;

fuzz_target!(|data: &[u8]| {
    if let Ok(t) = text::read_text_table(data) {
        let csv = t.to_csv();
        if let Ok(again) = text::read_text_table(csv.as_bytes()) {
            let cells: Vec<_> = t.records.iter().map(|r| &r.cells).collect();
            let cells2: Vec<_> = again.records.iter().map(|r| &r.cells).collect();
            assert_eq!(t.header, again.header);
            assert_eq!(cells, cells2);
        }
    }
});
