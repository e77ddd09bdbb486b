//! `sapu train` on golden cases of this project (no training package
//! needed): the file it writes is deterministic, loads strictly, and
//! `--model` cleans with it; `sapu eval --folds` cross-validates.

use std::fs;
use std::path::Path;

mod common;
use common::{sapu, stderr, stdout};

fn golden_dir() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("golden")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn training_on_golden_cases_is_deterministic_and_the_model_cleans() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a.json"), tmp.path().join("b.json"));
    let train = |out: &Path, threads: &str| {
        let o = sapu(&[
            "train",
            &golden_dir(),
            "-o",
            out.to_str().unwrap(),
            "--trees",
            "20",
            "-j",
            threads,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    train(&a, "1");
    train(&b, "2");
    let model = fs::read(&a).unwrap();
    assert_eq!(model, fs::read(&b).unwrap(), "same cases, same file");
    let json: serde_json::Value = serde_json::from_slice(&model).unwrap();
    assert_eq!(json["format"], "sapu-line-model");
    assert!(json["trained"]["pages"].as_u64().unwrap() >= 20);

    let page = Path::new(&golden_dir()).join("model-headline-after-menus/input.txt");
    let explain = tmp.path().join("e.jsonl");
    let o = sapu(&[
        "clean",
        page.to_str().unwrap(),
        "--model",
        a.to_str().unwrap(),
        "--explain",
        explain.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The headline stays whatever the model says about it.
    assert!(
        stdout(&o).starts_with(
            "Glacier in the Alps lost a tenth of its ice in one summer, survey finds\n"
        )
    );
}

#[test]
fn a_damaged_model_file_is_refused_with_its_name() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.json");
    fs::write(&bad, "{\"format\":\"sapu-line-model\",\"version\":1}").unwrap();
    let page = Path::new(&golden_dir()).join("neg-only-prose/input.txt");
    let o = sapu(&[
        "clean",
        page.to_str().unwrap(),
        "--model",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("bad.json"), "{}", stderr(&o));
}

#[test]
fn cross_validation_scores_every_case_once() {
    let o = sapu(&["eval", &golden_dir(), "--folds", "2", "--trees", "10"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let all = out
        .lines()
        .find(|l| l.starts_with("| all |"))
        .unwrap_or_else(|| panic!("{out}"));
    let cases = walkdir::WalkDir::new(golden_dir())
        .into_iter()
        .filter(|e| e.as_ref().unwrap().file_name() == "input.txt")
        .count();
    assert!(all.starts_with(&format!("| all | {cases} |")), "{all}");
}
