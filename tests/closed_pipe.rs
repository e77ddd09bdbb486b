//! Every subcommand ends quietly when the reader of its output goes away
//! (`sapu rules | head -5`): no panic, no "Broken pipe" message, and the
//! exit status the command would have had.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

mod common;
use common::{golden, golden_file};

/// Runs sapu with its stdout a pipe whose reading end is closed before sapu
/// writes anything. Returns the exit code and stderr.
fn with_closed_stdout(args: &[&str], stdin: Option<&Path>) -> (Option<i32>, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sapu"));
    command
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match stdin {
        Some(path) => command.stdin(fs::File::open(path).unwrap()),
        None => command.stdin(Stdio::null()),
    };
    let mut child = command.spawn().expect("sapu runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_quiet(what: &str, (code, stderr): (Option<i32>, String), want: i32) {
    assert!(
        !stderr.contains("panicked") && !stderr.to_lowercase().contains("broken pipe"),
        "{what}: {stderr}"
    );
    assert_eq!(code, Some(want), "{what}: {stderr}");
}

#[test]
fn every_subcommand_ends_quietly_on_a_closed_pipe() {
    let tmp = tempfile::tempdir().unwrap();
    let (raw, expect, docs) = (
        tmp.path().join("raw"),
        tmp.path().join("expect"),
        tmp.path().join("docs"),
    );
    for dir in [&raw, &expect, &docs] {
        fs::create_dir_all(dir).unwrap();
    }
    let cases = ["seed-000-hanter", "seed-001-voa", "seed-003-suara"];
    for case in cases {
        fs::write(raw.join(format!("{case}.txt")), golden(case, "input.txt")).unwrap();
        fs::write(
            expect.join(format!("{case}.json")),
            r#"{"with": ["a"], "without": ["b"]}"#,
        )
        .unwrap();
    }
    // Eight documents sharing a menu line: `learn` has a rule to print.
    for i in 0..8 {
        fs::write(
            docs.join(format!("{i}.txt")),
            format!("Beranda Nasional Ekonomi Olahraga\n\nArtikel nomor {i} yang berbeda.\n"),
        )
        .unwrap();
    }
    let big = tmp.path().join("big.txt");
    fs::write(&big, golden("seed-003-suara", "input.txt").repeat(200)).unwrap();
    let golden_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let runs: Vec<(Vec<String>, Option<&Path>, i32)> = vec![
        (vec!["rules".into()], None, 0),
        (vec!["explain".into(), "promo.baca-juga".into()], None, 0),
        (vec!["check-rules".into()], None, 0),
        (vec!["check".into(), s(&golden_dir)], None, 0),
        (
            vec!["eval".into(), s(&raw), s(&expect), "--per-page".into()],
            None,
            0,
        ),
        (vec!["learn".into(), s(&docs)], None, 0),
        (vec!["clean".into(), s(&big)], None, 0),
        (vec!["clean".into(), "-".into()], Some(&big), 0),
        (
            vec![
                "clean".into(),
                s(&golden_file("seed-001-voa", "input.txt")),
                s(&big),
            ],
            None,
            0,
        ),
    ];
    for (args, stdin, want) in runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_quiet(&args.join(" "), with_closed_stdout(&args, stdin), want);
    }
}

/// A closed pipe does not hide a failure: `check` still exits 1 when a
/// case fails.
#[test]
fn a_failing_check_still_fails_on_a_closed_pipe() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("cases/one");
    fs::create_dir_all(&case).unwrap();
    fs::write(case.join("input.txt"), golden("seed-001-voa", "input.txt")).unwrap();
    fs::write(case.join("expected.txt"), "not what sapu writes\n").unwrap();
    let cases = tmp.path().join("cases");
    assert_quiet(
        "check (failing case)",
        with_closed_stdout(&["check", cases.to_str().unwrap()], None),
        1,
    );
}
