//! JSONL records on arbitrary lines: parsing never panics, and a parsed
//! record written back with its own text is the same JSON value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sapu::corpus::{Fields, Record};

fuzz_target!(|data: &[u8]| {
    if data.contains(&b'\n') {
        return;
    }
    let Ok(record) = Record::parse(data, &Fields::default()) else {
        return;
    };
    let mut out = Vec::new();
    record.write(&record.text, None, &mut out);
    // sapu passes fields it does not read verbatim, so it accepts lines
    // serde_json's full parser rejects (a lone surrogate escape in another
    // field); those have nothing to compare.
    let Ok(before) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let after: serde_json::Value = serde_json::from_slice(&out).expect("still JSON");
    assert_eq!(before, after);
});
