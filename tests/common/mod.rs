//! What the integration tests share: running the `sapu` binary and reading
//! the golden cases.
#![allow(dead_code)] // each test crate uses its own part of this module

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Runs the binary under test with `args`, capturing its output.
pub fn sapu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sapu"))
        .args(args)
        .output()
        .expect("sapu runs")
}

/// Runs the binary with `input` on its stdin, fed from a thread so that a
/// large input cannot deadlock against a full stdout pipe.
pub fn sapu_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sapu"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sapu runs");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let o = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    o
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `golden/CASE/FILE` of this project.
pub fn golden_file(case: &str, file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("golden")
        .join(case)
        .join(file)
}

pub fn golden(case: &str, file: &str) -> String {
    fs::read_to_string(golden_file(case, file)).unwrap()
}
