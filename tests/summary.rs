//! The summary `sapu clean` prints on stderr says what happened.

use std::fs;

mod common;
use common::{golden_file, sapu, stderr};

#[test]
fn a_stopped_run_does_not_say_it_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.jsonl");
    fs::write(
        &input,
        "{\"id\":\"a\",\"text\":\"Satu baris teks.\"}\n{oops\n{\"id\":\"b\",\"text\":\"Dua.\"}\n",
    )
    .unwrap();
    let out = tmp.path().join("out.jsonl");
    let o = sapu(&[
        "clean",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--on-error",
        "fail",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(!err.contains("skipped"), "{err}");
    assert!(
        err.contains("sapu: stopped at the first bad record (--on-error fail)"),
        "{err}"
    );
}

#[test]
fn counts_of_one_are_singular() {
    let input = golden_file("seed-001-voa", "input.txt");
    let o = sapu(&["clean", input.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.starts_with("sapu: 1 document, "), "{err}");
    assert!(!err.contains(" 1 lines "), "{err}");
    assert!(
        err.contains("        1 line         126 chars  caption.truncated"),
        "{err}"
    );

    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.jsonl");
    fs::write(&input, "{\"id\":\"a\",\"text\":\"Satu.\"}\n{oops\n").unwrap();
    let o = sapu(&["clean", input.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(err.contains("sapu: 1 bad record skipped"), "{err}");
}
