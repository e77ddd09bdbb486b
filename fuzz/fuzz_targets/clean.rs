//! The cleaner with the default rules on arbitrary text: it must not
//! panic, and cleaning clean text must change nothing.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sapu::output::text::render;
use sapu::{CleanOptions, Cleaner, RuleConfig, RuleSet};

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        RuleConfig {
            default_rules: true,
            ..RuleConfig::default()
        }
        .compile()
        .expect("the default rules compile")
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let cleaner = Cleaner::new(rules(), CleanOptions::default());
    let once = render(&cleaner.clean(&text));
    let twice = render(&cleaner.clean(&once));
    assert_eq!(once, twice, "cleaning is not idempotent");
});
