//! Rules: the file format ([`spec`]), its compilation ([`compile`]), the
//! shared line matcher ([`matcher`]), the embedded default set and the
//! runner of each rule's examples ([`examples`]).

pub mod compile;
pub mod examples;
pub mod matcher;
mod required;
mod scanner;
pub mod spec;

use std::path::{Path, PathBuf};

pub use compile::{
    CompileOptions, ParsedRule, Rule, RuleError, RuleErrors, RuleSet, RuleSource, parse_rules,
    parse_source,
};
pub use spec::{Detector, Kind, Zone};

/// The default rule files, compiled into the binary. Order matters only for
/// attribution: when two rules would drop the same line, the earlier one is
/// named.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("rules/header.toml", include_str!("../../rules/header.toml")),
    (
        "rules/captions.toml",
        include_str!("../../rules/captions.toml"),
    ),
    (
        "rules/id-news.toml",
        include_str!("../../rules/id-news.toml"),
    ),
    (
        "rules/id-portals.toml",
        include_str!("../../rules/id-portals.toml"),
    ),
    (
        "rules/en-news.toml",
        include_str!("../../rules/en-news.toml"),
    ),
    ("rules/spam.toml", include_str!("../../rules/spam.toml")),
    ("rules/web.toml", include_str!("../../rules/web.toml")),
    (
        "rules/generic.toml",
        include_str!("../../rules/generic.toml"),
    ),
];

/// The embedded default rule files as sources.
pub fn default_sources() -> Vec<RuleSource> {
    EMBEDDED
        .iter()
        .map(|(name, text)| RuleSource {
            name: format!("embedded:{name}"),
            text: (*text).to_string(),
        })
        .collect()
}

/// Reads user rule files: each path is a `.toml` file or a directory whose
/// `.toml` files (recursively, in name order) are read.
pub fn load_paths(paths: &[PathBuf]) -> Result<Vec<RuleSource>, RuleErrors> {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    let read = |path: &Path, sources: &mut Vec<RuleSource>, errors: &mut Vec<RuleError>| {
        match std::fs::read_to_string(path) {
            Ok(text) => sources.push(RuleSource {
                name: path.display().to_string(),
                text,
            }),
            Err(e) => errors.push(RuleError {
                file: path.display().to_string(),
                line: None,
                rule: None,
                problem: format!("cannot read rule file: {e}"),
            }),
        }
    };
    for path in paths {
        if path.is_dir() {
            let mut found = false;
            for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
                match entry {
                    Ok(e)
                        if e.file_type().is_file()
                            && e.path().extension().is_some_and(|x| x == "toml") =>
                    {
                        found = true;
                        read(e.path(), &mut sources, &mut errors);
                    }
                    Ok(_) => {}
                    Err(e) => errors.push(RuleError {
                        file: path.display().to_string(),
                        line: None,
                        rule: None,
                        problem: format!("cannot read rule directory: {e}"),
                    }),
                }
            }
            if !found {
                errors.push(RuleError {
                    file: path.display().to_string(),
                    line: None,
                    rule: None,
                    problem: "directory holds no .toml rule files".into(),
                });
            }
        } else {
            read(path, &mut sources, &mut errors);
        }
    }
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(RuleErrors(errors))
    }
}

/// Where a run's rules come from.
#[derive(Clone, Debug, Default)]
pub struct RuleConfig {
    pub default_rules: bool,
    pub extra: Vec<PathBuf>,
    pub disable: Vec<String>,
}

impl RuleConfig {
    /// The rule sources of this configuration, defaults first.
    pub fn sources(&self) -> Result<Vec<RuleSource>, RuleErrors> {
        let mut sources = if self.default_rules {
            default_sources()
        } else {
            Vec::new()
        };
        sources.extend(load_paths(&self.extra)?);
        Ok(sources)
    }

    /// Reads and compiles the rules.
    pub fn compile(&self) -> Result<RuleSet, RuleErrors> {
        self.compile_with(&[])
    }

    /// Compiles the rules plus some more sources (a golden case's own file).
    pub fn compile_with(&self, more: &[RuleSource]) -> Result<RuleSet, RuleErrors> {
        let mut sources = self.sources()?;
        sources.extend_from_slice(more);
        RuleSet::compile(
            &sources,
            &CompileOptions {
                disable: self.disable.clone(),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_file_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| format!("rules/{}", e.file_name().to_string_lossy()))
            .filter(|n| n.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = EMBEDDED.iter().map(|(n, _)| n.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn embedded_rule_examples_pass() {
        let mut parsed = Vec::new();
        for source in default_sources() {
            for (line, spec) in parse_source(&source).unwrap() {
                parsed.push(ParsedRule {
                    file: source.name.clone(),
                    line,
                    spec,
                });
            }
        }
        let (count, failures) = examples::check_examples(&parsed);
        assert!(count > 50);
        let report: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
        assert!(report.is_empty(), "{}", report.join("\n"));
    }

    fn compile_one(text: &str) -> Result<RuleSet, RuleErrors> {
        RuleSet::compile(
            &[RuleSource {
                name: "user.toml".into(),
                text: text.into(),
            }],
            &CompileOptions::default(),
        )
    }

    const OK_RULE: &str = r#"
[[rule]]
id = "site.x"
kind = "line"
description = "x"
exact = ["X"]
examples.drop = ["X"]
examples.keep = ["Y"]
"#;

    #[test]
    fn strict_parsing_names_file_line_and_rule() {
        let unknown_key = OK_RULE.replace("exact = [\"X\"]", "exact = [\"X\"]\nmax_char = 3");
        let e = compile_one(&unknown_key).unwrap_err().to_string();
        assert!(e.contains("user.toml:") && e.contains("max_char"), "{e}");

        let bad_kind = OK_RULE.replace("kind = \"line\"", "kind = \"lines\"");
        let e = compile_one(&bad_kind).unwrap_err().to_string();
        assert!(e.contains("user.toml:4") && e.contains("lines"), "{e}");

        let bad_regex = OK_RULE.replace("exact = [\"X\"]", "regex = ['(unclosed']");
        let e = compile_one(&bad_regex).unwrap_err().to_string();
        assert!(
            e.contains("user.toml:3: rule `site.x`") && e.contains("(unclosed"),
            "{e}"
        );

        let dup = format!("{OK_RULE}{OK_RULE}");
        let e = compile_one(&dup).unwrap_err().to_string();
        assert!(
            e.contains("user.toml:11: rule `site.x`: duplicate id"),
            "{e}"
        );

        let misplaced = OK_RULE.replace("exact = [\"X\"]", "exact = [\"X\"]\nmin_items = 2");
        let e = compile_one(&misplaced).unwrap_err().to_string();
        assert!(
            e.contains("`min_items` only applies to kind = \"block\""),
            "{e}"
        );
    }

    #[test]
    fn unknown_disable_id_is_an_error() {
        let e = RuleSet::compile(
            &default_sources(),
            &CompileOptions {
                disable: vec!["no.such-rule".into()],
            },
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("no.such-rule"), "{e}");
    }
}
