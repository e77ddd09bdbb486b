//! The golden workflow: folders holding `input.txt` and `expected.txt`
//! (and optionally a `rules.toml` used for that case only). Cleaning each
//! input must give exactly its expected text; `--bless` rewrites the
//! expected files instead.

use std::fs;
use std::path::{Path, PathBuf};

use crate::clean::{CleanOptions, Cleaner};
use crate::input::{read_document, write_atomic};
use crate::output::text::render;
use crate::rules::{RuleConfig, RuleSet, RuleSource};

/// One golden case.
#[derive(Clone, Debug)]
pub struct Case {
    /// The case folder relative to the root, `/`-separated.
    pub name: String,
    pub dir: PathBuf,
}

impl Case {
    pub fn input(&self) -> PathBuf {
        self.dir.join("input.txt")
    }
    pub fn expected(&self) -> PathBuf {
        self.dir.join("expected.txt")
    }
    pub fn rules(&self) -> PathBuf {
        self.dir.join("rules.toml")
    }
}

/// Every folder under `root` (at any depth, `root` included) that holds an
/// `input.txt`, in name order.
pub fn discover(root: &Path) -> Result<Vec<Case>, String> {
    if !root.is_dir() {
        return Err(format!(
            "{}: not a directory of golden cases",
            root.display()
        ));
    }
    let mut cases = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("{}: {e}", root.display()))?;
        if entry.file_type().is_dir() && entry.path().join("input.txt").is_file() {
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            cases.push(Case {
                name: if name.is_empty() { ".".into() } else { name },
                dir: entry.path().to_path_buf(),
            });
        }
    }
    Ok(cases)
}

/// What checking a case found.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    /// The clean text differs; a unified diff from expected to actual.
    Mismatch(String),
    /// `expected.txt` was (re)written.
    Blessed,
}

/// The rules of a case with a `rules.toml`: `config`'s rules plus that
/// file. `None` for a case without one (it uses the base rules).
pub fn own_rules(case: &Case, config: &RuleConfig) -> Result<Option<RuleSet>, String> {
    if !case.rules().is_file() {
        return Ok(None);
    }
    let text =
        fs::read_to_string(case.rules()).map_err(|e| format!("{}: {e}", case.rules().display()))?;
    config
        .compile_with(&[RuleSource {
            name: case.rules().display().to_string(),
            text,
        }])
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Cleans the case's input with `base` rules (or, when the case has a
/// `rules.toml`, with `config`'s rules plus that file) and compares.
pub fn run_case(
    case: &Case,
    config: &RuleConfig,
    base: &RuleSet,
    options: &CleanOptions,
    bless: bool,
) -> Result<Outcome, String> {
    let own = own_rules(case, config)?;
    let rules = own.as_ref().unwrap_or(base);
    let doc =
        read_document(&case.input()).map_err(|e| format!("{}: {e}", case.input().display()))?;
    let actual = render(&Cleaner::new(rules, options.clone()).clean(&doc.text));
    let expected_path = case.expected();
    if bless {
        let current = fs::read_to_string(&expected_path).ok();
        if current.as_deref() == Some(actual.as_str()) {
            return Ok(Outcome::Pass);
        }
        write_atomic(&expected_path, actual.as_bytes())
            .map_err(|e| format!("{}: {e}", expected_path.display()))?;
        return Ok(Outcome::Blessed);
    }
    let expected = fs::read_to_string(&expected_path).map_err(|e| {
        format!(
            "{}: {e} (run `sapu check --bless` to create it, then read it before committing)",
            expected_path.display()
        )
    })?;
    if expected == actual {
        Ok(Outcome::Pass)
    } else {
        Ok(Outcome::Mismatch(unified_diff(
            &expected, &actual, &case.name,
        )))
    }
}

/// A unified diff from `expected` to `actual`.
pub fn unified_diff(expected: &str, actual: &str, name: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(2)
        .header(&format!("{name}/expected.txt"), &format!("{name}/actual"))
        .to_string()
}
