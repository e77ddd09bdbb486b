//! Micro-benchmarks of the per-line matcher and of cleaning one document,
//! on the lines of the golden inputs (real scraped news, kept in the repo).
//!
//! ```text
//! cargo bench --bench matcher
//! ```
//!
//! The whole-corpus benchmark with ratios is `bench/run.sh` (BENCHMARKS.md).

use std::path::Path;

use divan::Bencher;
use sapu::rules::{CompileOptions, RuleSet, default_sources};
use sapu::{CleanOptions, Cleaner};

fn main() {
    divan::main();
}

fn rules() -> RuleSet {
    RuleSet::compile(&default_sources(), &CompileOptions::default()).expect("default rules compile")
}

/// The golden input documents.
fn documents() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("golden/ exists")
        .map(|e| e.expect("readable golden/").path().join("input.txt"))
        .filter(|p| p.exists())
        .collect();
    cases.sort();
    cases
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("readable golden input"))
        .collect()
}

/// Every non-blank line short enough for some pattern, as the cleaner
/// hands them to the matcher.
fn lines(rules: &RuleSet) -> Vec<(String, usize)> {
    documents()
        .iter()
        .flat_map(|d| {
            d.lines()
                .map(str::trim)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|l| !l.is_empty())
        .map(|l| {
            let chars = l.chars().count();
            (l, chars)
        })
        .filter(|(_, chars)| *chars <= rules.max_pattern_chars)
        .collect()
}

/// Compiling the default rules, which every run pays at its start: parsing
/// the patterns, finding their required literals, building the scanners
/// and the lazy DFAs (their states come later, with the lines).
#[divan::bench]
fn compile_rules() -> RuleSet {
    rules()
}

#[divan::bench]
fn match_lines(bencher: Bencher) {
    let rules = rules();
    let lines = lines(&rules);
    let bytes: usize = lines.iter().map(|(l, _)| l.len()).sum();
    let mut hits = Vec::new();
    bencher
        .counter(divan::counter::BytesCount::new(bytes))
        .bench_local(|| {
            let mut n = 0;
            for (line, chars) in &lines {
                hits.clear();
                rules.matcher.matches_sized(line, *chars, &mut hits);
                n += hits.len();
            }
            n
        });
}

#[divan::bench]
fn clean_documents(bencher: Bencher) {
    let rules = rules();
    let cleaner = Cleaner::new(&rules, CleanOptions::default());
    let docs = documents();
    let bytes: usize = docs.iter().map(String::len).sum();
    bencher
        .counter(divan::counter::BytesCount::new(bytes))
        .bench_local(|| {
            docs.iter()
                .map(|d| cleaner.clean(d).lines.len())
                .sum::<usize>()
        });
}
