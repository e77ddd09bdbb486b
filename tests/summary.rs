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

// Issue 15, item 9: with every output unwritable, the summary and --stats
// still counted the documents and megabytes as written.
#[test]
fn outputs_not_written_are_not_counted_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    fs::create_dir_all(&input).unwrap();
    for case in ["seed-000-hanter", "seed-001-voa"] {
        fs::write(
            input.join(format!("{case}.txt")),
            fs::read(golden_file(case, "input.txt")).unwrap(),
        )
        .unwrap();
    }
    fs::write(
        input.join("shard.jsonl"),
        "{\"id\":\"a\",\"text\":\"Judul | Suara Amerika\\n\\nBaca Juga: lain\"}\n",
    )
    .unwrap();
    // A directory where each output goes: no output can be written, even
    // by root.
    for name in ["seed-000-hanter.txt", "seed-001-voa.txt", "shard.jsonl"] {
        fs::create_dir_all(out.join(name).join("in-the-way")).unwrap();
    }
    let stats = tmp.path().join("stats.json");
    let o = sapu(&[
        "clean",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--stats",
        stats.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for name in ["seed-000-hanter.txt", "seed-001-voa.txt", "shard.jsonl"] {
        let path = out.join(name).display().to_string();
        assert!(err.contains(&format!("{path}: cannot write")), "{err}");
    }
    assert!(
        err.contains("\nsapu: 0 documents, 0.00 MB in, 0.00 MB out, 0 lines dropped, 0 rewritten"),
        "{err}"
    );
    assert!(err.contains("sapu: 3 × unwritable"), "{err}");
    let stats: serde_json::Value = serde_json::from_slice(&fs::read(&stats).unwrap()).unwrap();
    assert_eq!(stats["documents"], 0, "{stats}");
    assert_eq!(stats["bytes_out"], 0, "{stats}");
    assert_eq!(stats["lines_dropped"], 0, "{stats}");
    assert_eq!(stats["problems"]["unwritable"], 3, "{stats}");
}

/// Runs `sapu ARGS` with stderr on a pseudo-terminal, so that the
/// progress line is drawn; returns what it drew.
#[cfg(target_os = "linux")]
fn stderr_on_a_terminal(args: &[&str]) -> String {
    use std::ffi::CStr;
    use std::io::Read;
    use std::os::fd::FromRawFd;
    use std::process::{Command, Stdio};
    // SAFETY: plain libc calls on a descriptor this function owns; the
    // name ptsname returns is copied before any other call.
    let (mut master, slave) = unsafe {
        let fd = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        assert!(fd >= 0, "posix_openpt");
        assert_eq!(libc::grantpt(fd), 0);
        assert_eq!(libc::unlockpt(fd), 0);
        let name = CStr::from_ptr(libc::ptsname(fd)).to_owned();
        (
            fs::File::from_raw_fd(fd),
            fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(name.to_str().unwrap())
                .unwrap(),
        )
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_sapu"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::from(slave))
        .spawn()
        .unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        // Ends with EIO once the child closed the terminal.
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        out
    });
    child.wait().unwrap();
    String::from_utf8_lossy(&reader.join().unwrap()).into_owned()
}

// Issue 15, item 9: the first frame of the progress line was "⠁ , 0s",
// and the line never showed how much there was to do.
#[cfg(target_os = "linux")]
#[test]
fn the_progress_line_says_what_it_counts_from_the_first_frame() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    let mut bytes = 0;
    for case in ["seed-000-hanter", "seed-001-voa", "seed-004-idntimes"] {
        let text = fs::read(golden_file(case, "input.txt")).unwrap();
        bytes += text.len();
        fs::write(input.join(format!("{case}.txt")), text).unwrap();
    }
    let out = tmp.path().join("out");
    let drawn = stderr_on_a_terminal(&[
        "clean",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let frames: Vec<&str> = drawn
        .split(['\r', '\n'])
        .map(|f| f.trim_start_matches("\u{1b}[2K").trim())
        .filter(|f| f.starts_with(|c: char| ('\u{2800}'..='\u{28ff}').contains(&c)))
        .collect();
    assert!(!frames.is_empty(), "no progress line drawn: {drawn:?}");
    for f in &frames {
        assert!(
            f.contains(" files, ") || f.contains(" file, "),
            "{f:?} in {drawn:?}"
        );
        assert!(
            f.contains(" documents (") || f.contains(" document ("),
            "{f:?}"
        );
    }
    // Counted beside the run; a run this small may end before.
    let total = format!(" of {:.1} MB", bytes as f64 / 1e6);
    if let Some(f) = frames.iter().find(|f| f.contains(" of 3 files")) {
        assert!(f.contains(&total), "{f:?}");
    }
    assert!(drawn.contains("sapu: 3 documents"), "{drawn:?}");
}
