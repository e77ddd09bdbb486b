//! Rules: the file format ([`spec`]), its compilation ([`compile`]), the
//! shared line matcher ([`matcher`]) and the embedded default set. The
//! runner of each rule's examples is [`crate::check::examples`].

pub mod compile;
pub mod kinds;
pub mod matcher;
mod required;
mod scanner;
pub mod spec;
pub mod threads;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::file::Model;

pub use compile::{
    CompileOptions, Guards, ParsedRule, Rule, RuleError, RuleErrors, RuleSet, RuleSource,
    parse_rules, parse_source,
};
pub use kinds::{
    BlockOptions, CaptionOptions, GenericOptions, HeaderOptions, KindOptions, SuffixRegex,
    TailOptions,
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
    let (sources, errors) = load_paths_each(paths);
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(RuleErrors(errors))
    }
}

/// As [`load_paths`], the files that could be read and the errors of the
/// others apart (`sapu check-rules` checks the first and counts the
/// second).
pub fn load_paths_each(paths: &[PathBuf]) -> (Vec<RuleSource>, Vec<RuleError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    let read = |path: &Path, sources: &mut Vec<RuleSource>, errors: &mut Vec<RuleError>| {
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => sources.push(RuleSource {
                    name: path.display().to_string(),
                    text,
                }),
                // Where the bad byte is, as for any other mistake in it.
                Err(e) => {
                    let at = e.utf8_error().valid_up_to();
                    let bytes = e.as_bytes();
                    let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
                    errors.push(RuleError {
                        file: path.display().to_string(),
                        line: Some(line),
                        rule: None,
                        problem: format!(
                            "not UTF-8 (byte {at} of the file): a rule file is UTF-8 text; re-save it as UTF-8"
                        ),
                    })
                }
            },
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
    (sources, errors)
}

/// Where a run's rules come from.
#[derive(Clone, Debug, Default)]
pub struct RuleConfig {
    pub default_rules: bool,
    pub extra: Vec<PathBuf>,
    pub disable: Vec<String>,
    /// A model file for the model rule, instead of the embedded default.
    pub model: Option<PathBuf>,
}

impl RuleConfig {
    /// Reads and compiles the rules.
    pub fn compile(&self) -> Result<RuleSet, RuleErrors> {
        self.compile_with(&[])
    }

    /// Compiles the rules plus some more sources (a golden case's own file).
    pub fn compile_with(&self, more: &[RuleSource]) -> Result<RuleSet, RuleErrors> {
        let mut extra = load_paths(&self.extra)?;
        extra.extend_from_slice(more);
        let model = match &self.model {
            Some(path) => Some(Arc::new(load_model(path)?)),
            None => None,
        };
        compile_sources(
            self.default_rules,
            &extra,
            CompileOptions {
                disable: self.disable.clone(),
                model,
                without_model: false,
            },
        )
    }

    /// Compiles the rules that run before the model (the model rules left
    /// out): what `sapu train` cleans its cases with.
    pub fn compile_before_model(&self) -> Result<RuleSet, RuleErrors> {
        compile_sources(
            self.default_rules,
            &load_paths(&self.extra)?,
            CompileOptions {
                disable: self.disable.clone(),
                model: None,
                without_model: true,
            },
        )
    }

    /// Compiles the rules with `model` for the model rules.
    pub fn compile_with_model(&self, model: Arc<Model>) -> Result<RuleSet, RuleErrors> {
        compile_sources(
            self.default_rules,
            &load_paths(&self.extra)?,
            CompileOptions {
                disable: self.disable.clone(),
                model: Some(model),
                without_model: false,
            },
        )
    }
}

/// Reads a model file; its problems are reported like a rule file's.
pub fn load_model(path: &Path) -> Result<Model, RuleErrors> {
    let name = path.display().to_string();
    let problem = |problem: String| {
        RuleErrors(vec![RuleError {
            file: name.clone(),
            line: None,
            rule: None,
            problem,
        }])
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| problem(format!("cannot read the model: {e}")))?;
    Model::parse(&name, &text).map_err(|e| problem(e.problem))
}

/// Compiles the embedded default rules (when `default_rules`) followed by
/// `extra`, with `options`.
pub fn compile_sources(
    default_rules: bool,
    extra: &[RuleSource],
    options: CompileOptions,
) -> Result<RuleSet, RuleErrors> {
    let mut sources = if default_rules {
        default_sources()
    } else {
        Vec::new()
    };
    sources.extend_from_slice(extra);
    RuleSet::compile(&sources, &options)
}

#[cfg(test)]
mod tests {
    use super::*;

    // A rule file that is not UTF-8 was refused without a line ("stream
    // did not contain valid UTF-8").
    #[test]
    fn a_rule_file_that_is_not_utf8_is_refused_at_its_line() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("bad.toml");
        std::fs::write(
            &path,
            b"[[rule]]\nid = \"x.y\"\ndescription = \"caf\xe9\"\n",
        )
        .unwrap();
        let errors = load_paths(std::slice::from_ref(&path)).unwrap_err();
        let e = &errors.0[0];
        assert_eq!(e.line, Some(3), "{e:?}");
        assert!(e.problem.contains("not UTF-8"), "{e:?}");
    }

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
            e.contains("user.toml:6: rule `site.x`") && e.contains("(unclosed"),
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
    fn cut_glued_is_a_line_option_shown_by_an_example() {
        let block = OK_RULE
            .replace("kind = \"line\"", "kind = \"block\"")
            .replace("exact = [\"X\"]", "exact = [\"X\"]\ncut_glued = true");
        let e = compile_one(&block).unwrap_err().to_string();
        assert!(
            e.contains("`cut_glued` only applies to kind = \"line\""),
            "{e}"
        );
        let no_example = OK_RULE.replace("exact = [\"X\"]", "exact = [\"X\"]\ncut_glued = true");
        let e = compile_one(&no_example).unwrap_err().to_string();
        assert!(
            e.contains(
                "user.toml:3: rule `site.x`: `cut_glued` without an `examples.rewrite` pair"
            ),
            "{e}"
        );
        let with_example = no_example.replace(
            "examples.keep",
            "examples.rewrite = [[\"Para ini cukup panjang untuk disebut prosa oleh sapu.X\", \"Para ini cukup panjang untuk disebut prosa oleh sapu.\"]]\nexamples.keep",
        );
        compile_one(&with_example).unwrap();
        let bad_value = OK_RULE.replace("exact = [\"X\"]", "exact = [\"X\"]\ncut_glued = \"yes\"");
        let e = compile_one(&bad_value).unwrap_err().to_string();
        assert!(
            e.contains("rule `site.x`") && e.contains("expected a boolean"),
            "{e}"
        );
    }

    /// A rule file of `n` exact rules, as `sapu learn` writes them for a
    /// big crawl.
    fn many_rules(n: usize) -> String {
        let mut text = String::new();
        for i in 0..n {
            text.push_str(&format!(
                "[[rule]]\nid = \"site.r{i}\"\nkind = \"line\"\ndescription = \"Menu {i}.\"\n\
                 exact = [\"Menu item {i}\"]\nexamples.drop = [\"Menu item {i}\"]\n\
                 examples.keep = [\"Another line {i}.\"]\n\n"
            ));
        }
        text
    }

    /// Many rules, half of them disabled, compile with each reported at
    /// its own line. How long loading takes (it was quadratic in the number
    /// of rules) is measured by the benchmark (BENCHMARKS.md, "Loading
    /// rules"), not by a timed test.
    #[test]
    fn many_rules_compile_and_keep_their_lines() {
        let n = 2000;
        let source = RuleSource {
            name: "many.toml".into(),
            text: many_rules(n),
        };
        let options = CompileOptions {
            disable: (0..n).step_by(2).map(|i| format!("site.r{i}")).collect(),
            ..CompileOptions::default()
        };
        let set = RuleSet::compile(std::slice::from_ref(&source), &options).unwrap();
        assert_eq!(set.rules.len(), n / 2);
        assert_eq!(set.rules[0].origin, "many.toml:10");
        assert_eq!(
            set.rules[n / 2 - 1].origin,
            format!("many.toml:{}", 8 * (n - 1) + 2)
        );
        let parsed = parse_source(&source).unwrap();
        let lines: Vec<usize> = parsed.iter().take(3).map(|(line, _)| *line).collect();
        assert_eq!(lines, [2, 10, 18]);
    }

    /// A bad pattern is reported at the line that holds it, not at the
    /// rule's id: a rule with many patterns and examples is long.
    #[test]
    fn a_bad_pattern_is_reported_at_its_own_line() {
        let text = r#"
[[rule]]
id = "site.x"
kind = "line"
description = "x"
regex = [
    "^ok\\b",
    "(\\d+",
]
unless = ['[unclosed']
examples.drop = ["X"]
examples.keep = ["Y"]
"#;
        let e = compile_one(text).unwrap_err().0;
        let at = |needle: &str| {
            e.iter()
                .find(|e| e.problem.contains(needle))
                .unwrap_or_else(|| panic!("{needle} in {e:?}"))
                .line
        };
        assert_eq!(at(r"/(\d+/"), Some(8), "{e:?}");
        assert_eq!(at("/[unclosed/"), Some(10), "{e:?}");
    }

    /// The rules compile on the run's threads: with one or several, the
    /// same rules in the same order, matching alike, and the same problems
    /// in the order of the files.
    #[test]
    fn compiles_alike_on_one_thread_and_on_several() {
        let compile_on = |threads: usize, sources: &[RuleSource]| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| RuleSet::compile(sources, &CompileOptions::default()))
        };
        let one = compile_on(1, &default_sources()).unwrap();
        let four = compile_on(4, &default_sources()).unwrap();
        let described = |set: &RuleSet| -> Vec<(String, String)> {
            set.rules
                .iter()
                .map(|r| (r.id.clone(), r.origin.clone()))
                .collect()
        };
        assert_eq!(described(&one), described(&four));
        let mut lines = 0;
        for rule in &one.rules {
            let examples = &rule.written.examples;
            for line in examples
                .drop
                .iter()
                .chain(&examples.keep)
                .flat_map(|e| e.lines())
            {
                let (mut a, mut b) = (Vec::new(), Vec::new());
                one.matcher.matches(line, &mut a);
                four.matcher.matches(line, &mut b);
                a.sort_unstable();
                b.sort_unstable();
                assert_eq!(a, b, "{line}");
                lines += 1;
            }
        }
        assert!(lines > 500, "{lines}");

        let broken = RuleSource {
            name: "broken.toml".into(),
            text: ["site.a", "site.b", "site.a", "site.c", "site.d"]
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    format!(
                        "[[rule]]\nid = \"{id}\"\nkind = \"line\"\ndescription = \"R{i}.\"\n\
                         regex = [\"(unclosed{i}\"]\n\n"
                    )
                })
                .collect(),
        };
        let errors = |threads| {
            compile_on(threads, std::slice::from_ref(&broken))
                .unwrap_err()
                .to_string()
        };
        let on_one = errors(1);
        assert_eq!(on_one, errors(4));
        let places: Vec<usize> = [
            "broken.toml:2:",
            "broken.toml:8:",
            "broken.toml:14:",
            "broken.toml:20:",
            "broken.toml:26:",
        ]
        .iter()
        .map(|p| on_one.find(p).unwrap_or_else(|| panic!("{p} in {on_one}")))
        .collect();
        assert!(places.is_sorted(), "{on_one}");
        assert!(on_one.contains("duplicate id"), "{on_one}");
    }

    #[test]
    fn unknown_disable_id_is_an_error() {
        let e = RuleSet::compile(
            &default_sources(),
            &CompileOptions {
                disable: vec!["no.such-rule".into()],
                ..CompileOptions::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("no.such-rule"), "{e}");
    }
}
