//! The rule-file parser and compiler on arbitrary TOML text: errors are
//! fine, panics and hangs are bugs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sapu::rules::{CompileOptions, RuleSet, RuleSource};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = RuleSource {
        name: "fuzz.toml".into(),
        text: text.into(),
    };
    if let Err(errors) = RuleSet::compile(&[source], &CompileOptions::default()) {
        // Every error must render (file, line, rule id).
        for e in &errors.0 {
            let _ = e.to_string();
        }
    }
});
