//! A smoke run of the benchmark's path (bench/run.sh), untimed: generate a
//! tiny labelled corpus, clean it with the default rules, with the floor
//! mode and with generated extra rules, and score the result on the ground
//! truth. Catches a benchmark that rotted (a flag renamed, an output shape
//! changed), not a slow one: speed targets live in BENCHMARKS.md.
//!
//! Uses the example binaries that `cargo test` builds beside the tests.

use std::path::{Path, PathBuf};
use std::process::Command;

fn sapu() -> &'static str {
    env!("CARGO_BIN_EXE_sapu")
}

/// `target/<profile>/examples/NAME`, next to the sapu binary.
fn example(name: &str) -> PathBuf {
    let bin = Path::new(sapu());
    let path = bin
        .parent()
        .expect("the sapu binary sits in a directory")
        .join("examples")
        .join(name);
    assert!(
        path.exists(),
        "{} is missing: build the examples first (`cargo test` does; with --test use `cargo build --examples`)",
        path.display()
    );
    path
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("the command starts");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The number after `"name":` in a flat JSON object.
fn number(json: &str, name: &str) -> f64 {
    let v: serde_json::Value = serde_json::from_str(json).expect("the scorer prints JSON");
    v[name]
        .as_f64()
        .unwrap_or_else(|| panic!("no number {name} in {json}"))
}

fn records(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .expect("output exists")
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is a JSON record"))
        .collect()
}

#[test]
fn generate_clean_and_score_a_tiny_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(Command::new(example("gen_corpus"))
        .args(["--docs", "40", "--seed", "7", "--out"])
        .arg(d));
    let corpus = d.join("corpus.jsonl");
    let truth = d.join("truth.jsonl");
    let input = records(&corpus);
    assert_eq!(input.len(), 40);

    // Default rules.
    let cleaned = d.join("clean.jsonl");
    run(Command::new(sapu())
        .args(["clean", "-q", "--format", "jsonl", "-j", "1"])
        .arg(&corpus)
        .arg("-o")
        .arg(&cleaned));
    let output = records(&cleaned);
    assert_eq!(output.len(), input.len());
    for (a, b) in input.iter().zip(&output) {
        assert_eq!(a["id"], b["id"], "records stay in input order");
        assert!(b["text"].as_str().unwrap().len() <= a["text"].as_str().unwrap().len());
    }
    let score = run(Command::new(example("score_truth"))
        .arg(&truth)
        .arg(&cleaned));
    assert_eq!(number(&score, "docs"), 40.0);
    assert_eq!(number(&score, "missing_docs"), 0.0);
    // Sanity bounds, far below the measured quality (about 0.99 and 0.94):
    // a cleaner that keeps or drops everything fails one of them.
    assert!(number(&score, "content_kept") > 0.9, "{score}");
    assert!(number(&score, "clutter_removed") > 0.7, "{score}");

    // The floor: every record back with its text unchanged, and scored as
    // keeping everything and removing nothing.
    let floor = d.join("floor.jsonl");
    run(Command::new(sapu())
        .args(["clean", "-q", "--format", "jsonl", "--no-clean", "-j", "1"])
        .arg(&corpus)
        .arg("-o")
        .arg(&floor));
    assert_eq!(records(&floor), input);
    let score = run(Command::new(example("score_truth")).arg(&truth).arg(&floor));
    assert_eq!(number(&score, "content_kept"), 1.0);
    assert_eq!(number(&score, "clutter_removed"), 0.0);

    // Extra rules that match nothing leave the output as it was, on two
    // threads too.
    let rules = d.join("extra.toml");
    let mut toml = String::new();
    for i in 0..50 {
        let kind = ["exact", "prefix", "contains", "suffix"][i % 4];
        toml.push_str(&format!(
            "[[rule]]\nid = \"bench.extra-{i}\"\nkind = \"line\"\ndescription = \"x\"\n\
             {kind} = [\"Ikuti zzq{i} di kanal kami\"]\nmax_chars = 200\n\
             examples.drop = [\"Ikuti zzq{i} di kanal kami\"]\n\
             examples.keep = [\"Polisi menangkap seorang tersangka di Medan.\"]\n\n"
        ));
    }
    toml.push_str(
        "[[rule]]\nid = \"bench.extra-re\"\nkind = \"line\"\ndescription = \"x\"\n\
         regex = ['^promo\\s+zzq\\d*\\s*:']\nmax_chars = 200\n\
         examples.drop = [\"promo zzq1: diskon\"]\n\
         examples.keep = [\"Polisi menangkap seorang tersangka di Medan.\"]\n",
    );
    std::fs::write(&rules, toml).unwrap();
    let more = d.join("more.jsonl");
    run(Command::new(sapu())
        .args(["clean", "-q", "--format", "jsonl", "-j", "2", "--rules"])
        .arg(&rules)
        .arg(&corpus)
        .arg("-o")
        .arg(&more));
    assert_eq!(
        std::fs::read(&more).unwrap(),
        std::fs::read(&cleaned).unwrap()
    );
}
