//! Where the time of cleaning goes: each part of the cleaner timed alone,
//! warm, on one core, over the texts of a JSONL corpus, in nanoseconds per
//! byte of the corpus file (the unit of the tables in BENCHMARKS.md).
//!
//! ```text
//! cargo run --release --example components -- CORPUS.jsonl [--rounds N]
//! ```
//!
//! Prints one line per part, `name<TAB>ns per byte<TAB>what it is`, each
//! the median of N rounds (default 3) after one round not counted; the
//! matcher's first round, which builds the lazy-DFA states and compiles
//! the confirming regexes, is printed too. `bench/run.sh` turns the lines
//! into a table. Every part does what the cleaner does, on the same input:
//! the parts after normalization read the normalized texts.

use std::io::{BufRead, BufReader};
use std::time::Instant;

use sapu::rules::{CompileOptions, RuleSet, compile_sources};
use sapu::text::lang::stop_words;
use sapu::text::normalize::{NormalizedLines, normalize_into, normalize_lines};
use sapu::{CleanOptions, Cleaner};

#[derive(serde::Deserialize)]
struct Record {
    #[serde(default)]
    text: Option<String>,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut corpus = None;
    let mut rounds = 3usize;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rounds" => {
                rounds = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .unwrap_or_else(|| usage("--rounds takes a number over 0"));
            }
            _ if corpus.is_none() => corpus = Some(a),
            _ => usage(&format!("unexpected argument '{a}'")),
        }
    }
    let corpus = corpus.unwrap_or_else(|| usage("no corpus given"));
    let file = std::fs::File::open(&corpus)
        .unwrap_or_else(|e| usage(&format!("cannot open {corpus}: {e}")));
    let corpus_bytes = file.metadata().map(|m| m.len()).unwrap_or(0) as f64;
    let mut texts = Vec::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.unwrap_or_else(|e| usage(&format!("{corpus}: {e}")));
        let record: Record = serde_json::from_str(&line)
            .unwrap_or_else(|e| usage(&format!("{corpus}:{}: {e}", n + 1)));
        texts.extend(record.text.filter(|t| !t.trim().is_empty()));
    }

    let defaults = compile(true);
    let no_rules = compile(false);
    let stop = stop_words();
    let per_byte = |seconds: f64| seconds * 1e9 / corpus_bytes;
    let report = |name: &str, seconds: f64, what: &str| {
        println!("{name}\t{:.2}\t{what}", per_byte(seconds));
    };

    let mut normalized = String::new();
    let t = timed(rounds, || {
        for text in &texts {
            normalize_into(text, &mut normalized);
        }
    });
    report(
        "normalize",
        t,
        "normalize every text (NFC, spaces, invisible characters)",
    );

    let mut docs: Vec<NormalizedLines> = vec![NormalizedLines::default(); texts.len()];
    let t = timed(rounds, || {
        for (text, doc) in texts.iter().zip(&mut docs) {
            normalize_lines(text, doc);
        }
    });
    report(
        "normalize, split and measure",
        t,
        "the same, the lines cut and measured in the same pass (as the cleaner does)",
    );

    let t = timed(rounds, || {
        let mut words = 0usize;
        for doc in &docs {
            for r in &doc.lines {
                words += usize::from(stop.count(&doc.text[r.clone()]).words);
            }
        }
        std::hint::black_box(words);
    });
    report(
        "stop words",
        t,
        "count the stop words of 31 languages in every line",
    );

    let mut hits = Vec::new();
    let mut match_all = || {
        let start = Instant::now();
        for doc in &docs {
            for (r, f) in doc.lines.iter().zip(&doc.feats) {
                if !r.is_empty() && f.chars <= defaults.max_pattern_chars {
                    hits.clear();
                    let line = &doc.text[r.clone()];
                    defaults.matcher.matches_sized(line, f.chars, &mut hits);
                }
            }
        }
        start.elapsed().as_secs_f64()
    };
    let first = match_all();
    let t = median((0..rounds).map(|_| match_all()).collect());
    report(
        "matcher",
        t,
        "match the lines the default rules may drop, by their length",
    );
    report(
        "matcher, first round",
        first,
        "the same, building the lazy-DFA states as it goes",
    );

    for (name, rules, what) in [
        (
            "cleaner, no rules",
            &no_rules,
            "Cleaner::clean without rules",
        ),
        (
            "cleaner",
            &defaults,
            "Cleaner::clean with the default rules",
        ),
    ] {
        let cleaner = Cleaner::new(rules, CleanOptions::default());
        let t = timed(rounds, || {
            for text in &texts {
                std::hint::black_box(cleaner.clean(text));
            }
        });
        report(name, t, what);
    }
}

fn compile(default_rules: bool) -> RuleSet {
    compile_sources(default_rules, &[], CompileOptions::default())
        .unwrap_or_else(|e| usage(&format!("the rules do not compile: {e}")))
}

/// The median time of `rounds` runs of `f`, after one not counted.
fn timed(rounds: usize, mut f: impl FnMut()) -> f64 {
    f();
    median(
        (0..rounds)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn usage(problem: &str) -> ! {
    eprintln!("components: {problem}\nusage: components CORPUS.jsonl [--rounds N]");
    std::process::exit(2);
}
