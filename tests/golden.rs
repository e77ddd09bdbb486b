//! One test per golden case under `golden/` (the `sapu check` layout), so a
//! failure names its case. Update expected files with
//! `cargo run -- check golden --bless`, then read the diff.

use std::path::Path;

use libtest_mimic::{Arguments, Failed, Trial};
use sapu::check::{Outcome, discover, run_case};
use sapu::{CleanOptions, RuleConfig};

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
    let cases = discover(&root).expect("golden/ is readable");
    assert!(cases.len() >= 20, "golden/ should hold at least 20 cases");
    let config = RuleConfig {
        default_rules: true,
        ..RuleConfig::default()
    };
    let base = std::sync::Arc::new(config.compile().expect("default rules compile"));
    let trials = cases
        .into_iter()
        .map(|case| {
            let base = base.clone();
            let config = config.clone();
            Trial::test(case.name.clone(), move || {
                match run_case(&case, &config, &base, &CleanOptions::default(), false) {
                    Ok(Outcome::Pass) => Ok(()),
                    Ok(Outcome::Mismatch(diff)) => Err(Failed::from(format!(
                        "output differs from expected.txt:\n{diff}\n(if the change is right: cargo run -- check golden --bless, and read the diff)"
                    ))),
                    Ok(Outcome::Blessed) => Err(Failed::from("unexpected bless")),
                    Err(e) => Err(Failed::from(e)),
                }
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
