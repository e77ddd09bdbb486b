//! What the README shows works as shown.

use std::fs;
use std::path::Path;

mod common;
use common::{sapu, stderr};

/// The README's example rule can be copied into a user's file and loaded
/// next to the default rules: its id is not one of theirs.
#[test]
fn the_example_rule_loads_beside_the_default_rules() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("```toml\n[[rule]]")
        .expect("the README shows a rule")
        + "```toml\n".len();
    let rule = &readme[start..start + readme[start..].find("```").unwrap()];
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("site.toml");
    fs::write(&file, rule).unwrap();
    let o = sapu(&["rules", "--rules", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}\n{rule}", stderr(&o));
    let o = sapu(&["check-rules", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}\n{rule}", stderr(&o));
}
