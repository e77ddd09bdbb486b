//! Properties of cleaning and of JSONL records, on generated inputs.

use std::path::Path;

use proptest::prelude::*;
use rayon::prelude::*;
use serde_json::{Map, Value};

use sapu::corpus::{Fields, Record};
use sapu::output::text::render;
use sapu::text::normalize::normalize;
use sapu::{CleanOptions, Cleaner, RuleConfig, RuleSet};

fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        RuleConfig {
            default_rules: true,
            ..RuleConfig::default()
        }
        .compile()
        .expect("the default rules compile")
    })
}

/// Lines of the golden inputs: real articles and real boilerplate.
fn golden_lines() -> &'static [String] {
    static LINES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    LINES.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
        let mut lines = Vec::new();
        let mut cases: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        cases.sort();
        for case in cases {
            if let Ok(text) = std::fs::read_to_string(case.join("input.txt")) {
                lines.extend(text.lines().map(str::to_string));
            }
        }
        lines
    })
}

/// Lines of the default rules' own examples: lines they drop, look-alikes
/// they keep, and both sides of their rewrites (context lines without
/// their `= `).
fn example_lines() -> &'static [String] {
    static LINES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    LINES.get_or_init(|| {
        let mut lines = Vec::new();
        for rule in &rules().rules {
            let ex = &rule.written.examples;
            let rewrites = ex.rewrite.iter().flat_map(|(a, b)| [a, b]);
            for text in ex.drop.iter().chain(&ex.keep).chain(rewrites) {
                for line in text.lines() {
                    let line = line.strip_prefix("= ").unwrap_or(line);
                    if !line.trim().is_empty() {
                        lines.push(line.to_string());
                    }
                }
            }
        }
        lines
    })
}

/// What rewrites strip from the end of a line, from the rules' own
/// examples: site suffixes of titles (" | Suara Amerika", " - Kompas.com")
/// and promos glued to a paragraph ("Baca Juga: Harga Emas ...").
fn site_suffixes() -> &'static [String] {
    static SUFFIXES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SUFFIXES.get_or_init(|| {
        rules()
            .rules
            .iter()
            .flat_map(|r| &r.written.examples.rewrite)
            .filter_map(|(from, to)| from.strip_prefix(to.as_str()).map(str::to_string))
            .filter(|s| !s.is_empty())
            .collect()
    })
}

/// One line: golden lines (real articles and real boilerplate), the
/// rules' examples, blank lines, boilerplate and odd text (Unicode
/// spaces, invisible characters, CR).
fn line() -> impl Strategy<Value = String> {
    let golden = golden_lines().len();
    let examples = example_lines().len();
    prop_oneof![
        3 => (0..golden).prop_map(|i| golden_lines()[i].clone()),
        3 => (0..examples).prop_map(|i| example_lines()[i].clone()),
        1 => Just(String::new()),
        1 => prop_oneof![
            Just("Baca Juga: Berita lain yang menarik".to_string()),
            Just("Berita Terkait".to_string()),
            Just("Topik:".to_string()),
            Just("Terpopuler".to_string()),
        ],
        1 => "[a-zA-Z \u{a0}\u{200b}\u{feff}\r\t.,:|-]{0,60}",
    ]
}

/// A line with something glued after it that a title-suffix rule strips:
/// a site name from the rules' examples, or another line after ` | ` or
/// ` - ` ("Reporter: Dimas Aditya | Editor: Made Ariawan").
fn suffixed_line() -> impl Strategy<Value = String> {
    let suffixes = site_suffixes().len();
    prop_oneof![
        (line(), 0..suffixes).prop_map(|(l, i)| l + &site_suffixes()[i]),
        (
            line(),
            prop_oneof![Just(" | "), Just(" - "), Just(" :: ")],
            line()
        )
            .prop_map(|(a, sep, b)| format!("{a}{sep}{b}")),
    ]
}

/// A document: often a title line that a rewrite shortens (which may then
/// read as a line some rule drops), then lines of every kind, some with a
/// suffix of their own (a title further down, once the lines above it are
/// dropped).
fn document() -> impl Strategy<Value = String> {
    let title = prop_oneof![1 => Just(None), 2 => suffixed_line().prop_map(Some)];
    let body = prop::collection::vec(prop_oneof![6 => line(), 1 => suffixed_line()], 0..40);
    (title, body)
        .prop_map(|(title, body)| title.into_iter().chain(body).collect::<Vec<_>>().join("\n"))
}

fn clean_text(cleaner: &Cleaner, text: &str) -> String {
    render(&cleaner.clean(text))
}

/// Cases come from a fixed seed, so that `cargo test` (and CI) runs the
/// same cases every time; `SAPU_PROPTEST_RANDOM=1` draws new ones (and
/// `PROPTEST_CASES=N` more of them) to look for new failures, which
/// proptest then keeps in `properties.proptest-regressions`.
fn config_with(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig {
        cases,
        ..ProptestConfig::default()
    };
    if let Ok(n) = std::env::var("PROPTEST_CASES")
        && let Ok(n) = n.parse()
    {
        config.cases = n;
    }
    if std::env::var_os("SAPU_PROPTEST_RANDOM").is_none() {
        config.rng_seed = proptest::test_runner::RngSeed::Fixed(0x5a9u64);
    }
    config
}

fn config() -> ProptestConfig {
    config_with(64)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn cleaning_is_idempotent(doc in document()) {
        let cleaner = Cleaner::new(rules(), CleanOptions::default());
        let once = clean_text(&cleaner, &doc);
        let twice = clean_text(&cleaner, &once);
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn output_lines_are_normalized_input_lines_in_order(doc in document()) {
        let cleaner = Cleaner::new(rules(), CleanOptions::default());
        let out = clean_text(&cleaner, &doc);
        let normalized = normalize(&doc);
        let mut input = normalized.lines().filter(|l| !l.is_empty());
        for (i, line) in out.lines().filter(|l| !l.is_empty()).enumerate() {
            // The title may lose a site suffix; any line may lose promos
            // glued to it.
            let found = input.any(|candidate| cut_from(candidate, line, i == 0));
            prop_assert!(found, "output line {:?} is not an input line (in order)", line);
        }
    }

    #[test]
    fn output_does_not_depend_on_thread_count(docs in prop::collection::vec(document(), 1..12)) {
        let cleaner = Cleaner::new(rules(), CleanOptions::default());
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| docs.par_iter().map(|d| clean_text(&cleaner, d)).collect::<Vec<_>>())
        };
        prop_assert_eq!(run(1), run(4));
    }
}

/// Whether `line` is what is left of `candidate` once the parts glued to
/// it were cut: a piece of it that starts at its start or at a capital
/// letter right after a sentence end, and ends at its end or at a sentence
/// end with a capital letter right after it, or anywhere in the title
/// (which may lose a site suffix).
fn cut_from(candidate: &str, line: &str, title: bool) -> bool {
    let glued = |before: &str, after: &str| {
        before.ends_with(['.', '!', '?', ')', '"', '”']) && after.starts_with(char::is_uppercase)
    };
    candidate.match_indices(line).any(|(at, _)| {
        let (before, after) = (&candidate[..at], &candidate[at + line.len()..]);
        (before.is_empty() || glued(before, line))
            && (after.is_empty() || title || glued(line, after))
    })
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::vec((".{0,6}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A record line: other fields in any order around a string text field.
fn record_line() -> impl Strategy<Value = (String, String)> {
    (
        prop::collection::vec((".{0,8}", json_value()), 0..6),
        any::<prop::sample::Index>(),
        ".{0,40}",
    )
        .prop_map(|(fields, at, text)| {
            let mut map = Map::new();
            for (k, v) in fields {
                if k != "text" && k != "sapu" {
                    map.insert(k, v);
                }
            }
            let at = at.index(map.len() + 1);
            map.shift_insert(at, "text".to_string(), Value::from(text.clone()));
            (serde_json::to_string(&Value::Object(map)).unwrap(), text)
        })
}

proptest! {
    #![proptest_config(config_with(128))]

    #[test]
    fn records_keep_every_other_field_byte_for_byte(
        (line, text) in record_line(),
        new_text in ".{0,40}",
        annotate in any::<bool>(),
    ) {
        let record = Record::parse(line.as_bytes(), &Fields::default()).unwrap();
        prop_assert_eq!(&record.text, &text);
        let annotation = annotate.then_some(r#"{"dropped_lines":1}"#);
        let mut out = Vec::new();
        record.write(&new_text, annotation, &mut out);
        let out = String::from_utf8(out).unwrap();

        // Bytes: the input with only the text value replaced (and the
        // annotation inserted before the closing brace).
        let span = record.text_span.clone();
        let close = line.len() - 1;
        let mut expected_bytes = String::new();
        expected_bytes.push_str(&line[..span.start]);
        expected_bytes.push_str(&serde_json::to_string(&new_text).unwrap());
        expected_bytes.push_str(&line[span.end..close]);
        if let Some(a) = annotation {
            expected_bytes.push_str(&format!(",\"sapu\":{a}"));
        }
        expected_bytes.push_str("}\n");
        prop_assert_eq!(&out, &expected_bytes);

        // Values and key order: the input with the new text (and the
        // annotation last).
        let mut expected: Value = serde_json::from_str(&line).unwrap();
        expected["text"] = Value::from(new_text.clone());
        if let Some(a) = annotation {
            expected["sapu"] = serde_json::from_str(a).unwrap();
        }
        let got: Value = serde_json::from_str(out.trim_end()).unwrap();
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        prop_assert_eq!(keys(&got), keys(&expected));
        prop_assert_eq!(got, expected);
    }
}
