//! Report files are written like outputs, runs that are stopped leave
//! nothing half-written behind, and `--resume` ends with outputs and
//! reports that cover the whole input (issue 15, items 2 and 8).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;
use common::{golden, stderr};

/// A record of the golden case `case`, named `id`.
fn record(id: &str, case: &str) -> String {
    record_of(id, &golden(case, "input.txt"))
}

/// A record of `text`, named `id`.
fn record_of(id: &str, text: &str) -> String {
    serde_json::json!({"id": id, "text": text}).to_string()
}

const CASES: [&str; 3] = ["seed-000-hanter", "seed-001-voa", "seed-004-idntimes"];

/// A tree of shards and text documents, in walk order: a.jsonl, b.txt,
/// c.jsonl, d.txt, e.jsonl (with a bad line when `bad`), f.txt, g.jsonl.
fn make_tree(dir: &Path, bad: bool) {
    fs::create_dir_all(dir).unwrap();
    for (i, name) in ["a", "c", "e", "g"].iter().enumerate() {
        let mut lines: Vec<String> = (0..3)
            .map(|k| record(&format!("{name}{k}"), CASES[(i + k) % 3]))
            .collect();
        if *name == "e" {
            lines.insert(1, if bad { "{oops".into() } else { "".into() });
        }
        lines.retain(|l| !l.is_empty());
        fs::write(dir.join(format!("{name}.jsonl")), lines.join("\n") + "\n").unwrap();
    }
    for (i, name) in ["b", "d", "f"].iter().enumerate() {
        fs::write(
            dir.join(format!("{name}.txt")),
            golden(CASES[i], "input.txt"),
        )
        .unwrap();
    }
}

fn sapu_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sapu"))
        .current_dir(dir)
        .arg("clean")
        .args(args)
        .output()
        .unwrap()
}

/// Every file under `dir`, relative, sorted, hidden ones included.
fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walk_all(dir)
        .iter()
        .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
        .collect();
    v.sort();
    v
}

fn walk_all(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk_all(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn without_skipped(stats: &[u8]) -> Value {
    let mut v: Value = serde_json::from_slice(stats).unwrap();
    v.as_object_mut().unwrap().remove("skipped_existing");
    v
}

const REPORTS: [&str; 6] = [
    "--explain",
    "explain.jsonl",
    "--rejects",
    "rejects.jsonl",
    "--stats",
    "stats.json",
];

// Issue 15, item 2: a --resume run truncated the report files and wrote
// only the records of the outputs it cleaned itself.
#[test]
fn resume_ends_with_reports_of_the_whole_input() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // The reference: one run, start to end.
    make_tree(&dir.join("in"), false);
    let mut args = vec!["in", "-o", "ref", "-q"];
    args.extend(REPORTS);
    let o = sapu_in(dir, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for r in ["explain.jsonl", "rejects.jsonl", "stats.json"] {
        fs::rename(dir.join(r), dir.join(format!("ref-{r}"))).unwrap();
    }
    assert!(
        fs::metadata(dir.join("ref-explain.jsonl")).unwrap().len() > 1000,
        "records were explained"
    );

    // A run that stops at the bad record of e.jsonl: a to d are written.
    fs::remove_dir_all(dir.join("in")).unwrap();
    make_tree(&dir.join("in"), true);
    let mut args = vec!["in", "-o", "out", "-q", "--on-error", "fail"];
    args.extend(REPORTS);
    let o = sapu_in(dir, &args);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let written = files(&dir.join("out"));
    for name in ["a.jsonl", "b.txt", "c.jsonl", "d.txt"] {
        assert!(written.contains(&name.to_string()), "{written:?}");
    }
    assert!(!written.contains(&"e.jsonl".to_string()), "{written:?}");

    // The bad line fixed, the run resumed: the outputs and the reports are
    // those of the reference run.
    fs::remove_dir_all(dir.join("in")).unwrap();
    make_tree(&dir.join("in"), false);
    let mut args = vec!["in", "-o", "out", "--resume"];
    args.extend(REPORTS);
    let o = sapu_in(dir, &args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("sapu: 4 outputs existed already and were left alone (--resume)"),
        "{err}"
    );
    assert_eq!(files(&dir.join("out")), files(&dir.join("ref")));
    for f in files(&dir.join("ref")) {
        assert!(
            fs::read(dir.join("out").join(&f)).unwrap()
                == fs::read(dir.join("ref").join(&f)).unwrap(),
            "{f} differs"
        );
    }
    for r in ["explain.jsonl", "rejects.jsonl"] {
        assert!(
            fs::read(dir.join(r)).unwrap() == fs::read(dir.join(format!("ref-{r}"))).unwrap(),
            "{r} differs from the uninterrupted run's"
        );
    }
    let stats = fs::read(dir.join("stats.json")).unwrap();
    assert_eq!(
        without_skipped(&stats),
        without_skipped(&fs::read(dir.join("ref-stats.json")).unwrap())
    );
    let stats: Value = serde_json::from_slice(&stats).unwrap();
    assert_eq!(stats["skipped_existing"], 4);
    // The run completed: no part is left.
    assert!(
        !files(&dir.join("out")).iter().any(|f| f.contains(".sapu-")),
        "{:?}",
        files(&dir.join("out"))
    );
}

#[test]
fn outputs_without_their_records_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    make_tree(&dir.join("in"), false);
    // A run without reports, then one with them that leaves its outputs
    // alone: the reports cannot cover them, and say so.
    let o = sapu_in(dir, &["in", "-o", "out", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut args = vec!["in", "-o", "out", "-q", "--resume"];
    args.extend(REPORTS);
    let o = sapu_in(dir, &args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    for r in ["explain.jsonl", "rejects.jsonl", "stats.json"] {
        assert!(
            err.contains(&format!(
                "warning: {r}: not written: it would not cover 7 outputs that existed already"
            )),
            "{err}"
        );
        assert!(!dir.join(r).exists());
    }
    // A part cut off (a power failure) is named, not taken.
    let mut args = vec!["in", "-o", "out2", "-q", "--on-error", "fail"];
    args.extend(REPORTS);
    fs::write(dir.join("in/e.jsonl"), "{oops\n").unwrap();
    let o = sapu_in(dir, &args);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let part = dir.join("out2/.a.jsonl.sapu-part");
    let bytes = fs::read(&part).unwrap();
    fs::write(&part, &bytes[..bytes.len() / 2]).unwrap();
    make_tree(&dir.join("in"), false);
    let mut args = vec!["in", "-o", "out2", "-q", "--resume"];
    args.extend(REPORTS);
    let o = sapu_in(dir, &args);
    let err = stderr(&o);
    assert!(
        err.contains(".a.jsonl.sapu-part: not a complete report part"),
        "{err}"
    );
    assert!(
        err.contains(
            "explain.jsonl: left as it was: it would not cover 1 output that existed already"
        ),
        "{err}"
    );
    // The reports of the stopped run stay; so do the parts, for a run
    // that covers every output.
    assert!(dir.join("explain.jsonl").exists());
    assert!(dir.join("out2/.b.txt.sapu-part").exists());
}

// A run that completed and is resumed has nothing to add: its reports,
// which cover every output, are not replaced by empty ones.
#[test]
fn resuming_a_completed_run_keeps_its_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    make_tree(&dir.join("in"), false);
    let mut args = vec!["in", "-o", "out", "-q"];
    args.extend(REPORTS);
    let o = sapu_in(dir, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before: Vec<Vec<u8>> = ["explain.jsonl", "rejects.jsonl", "stats.json"]
        .iter()
        .map(|r| fs::read(dir.join(r)).unwrap())
        .collect();
    args.push("--resume");
    let o = sapu_in(dir, &args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("explain.jsonl: left as it was"), "{err}");
    for (r, b) in ["explain.jsonl", "rejects.jsonl", "stats.json"]
        .iter()
        .zip(before)
    {
        assert!(fs::read(dir.join(r)).unwrap() == b, "{r} changed");
    }
}

/// Starts `sapu clean - --format jsonl ARGS` in `dir` with records on a
/// stdin it keeps open, and returns once the run is writing its output
/// (its temporary file is there).
fn start_a_run_that_waits(dir: &Path, args: &[&str]) -> (Child, std::process::ChildStdin) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sapu"))
        .current_dir(dir)
        .args(["clean", "-", "--format", "jsonl", "-q"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for i in 0..50 {
        writeln!(stdin, "{}", record(&i.to_string(), CASES[i % 3])).unwrap();
    }
    stdin.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !files(dir)
        .iter()
        .any(|f| f.contains(".out.jsonl.sapu-tmp-"))
    {
        assert!(Instant::now() < deadline, "the run did not start writing");
        assert!(child.try_wait().unwrap().is_none(), "the run ended");
        std::thread::sleep(Duration::from_millis(20));
    }
    (child, stdin)
}

// Issue 15, item 2: a report file was opened with a plain create, so a
// killed run left it cut off (or empty) under its name.
#[test]
fn a_killed_run_leaves_the_report_files_as_they_were() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for r in ["explain.jsonl", "rejects.jsonl"] {
        fs::write(dir.join(r), "from an earlier run\n").unwrap();
    }
    let (mut child, stdin) = start_a_run_that_waits(
        dir,
        &[
            "-o",
            "out.jsonl",
            "--explain",
            "explain.jsonl",
            "--rejects",
            "rejects.jsonl",
        ],
    );
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
    for r in ["explain.jsonl", "rejects.jsonl"] {
        assert_eq!(
            fs::read_to_string(dir.join(r)).unwrap(),
            "from an earlier run\n",
            "{r}"
        );
    }
    assert!(!dir.join("out.jsonl").exists());
}

// Issue 15, item 8: an interrupted run left its `.NAME.sapu-tmp-PID` files.
#[cfg(unix)]
#[test]
fn sigint_and_sigterm_remove_the_temporary_files() {
    for (sig, code) in [(libc::SIGTERM, 143), (libc::SIGINT, 130)] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let (mut child, stdin) =
            start_a_run_that_waits(dir, &["-o", "out.jsonl", "--explain", "explain.jsonl"]);
        // SAFETY: a signal to the child this test started.
        assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, sig) }, 0);
        let status = child.wait().unwrap();
        drop(stdin);
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        assert_eq!(status.code(), Some(code), "{err}");
        assert!(err.contains("interrupted by SIG"), "{err}");
        assert_eq!(files(dir), Vec::<String>::new(), "{err}");
    }
}

// Issue 15, item 8: --resume neither removed nor mentioned the temporary
// files of the runs before.
#[cfg(unix)]
#[test]
fn resume_removes_the_temporary_files_of_runs_that_are_gone() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    make_tree(&dir.join("in"), false);
    // A process that has ended: its number names the leftovers.
    let mut gone = Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    let alive = std::process::id();
    fs::create_dir_all(dir.join("out/sub")).unwrap();
    let stale = [
        format!("out/.c.jsonl.sapu-tmp-{dead}"),
        format!("out/..c.jsonl.sapu-part.sapu-tmp-{dead}"),
        format!("out/sub/.x.txt.sapu-tmp-{dead}"),
        format!(".explain.jsonl.sapu-tmp-{dead}"),
    ];
    for f in &stale {
        fs::write(dir.join(f), vec![b'x'; 1000]).unwrap();
    }
    let running = format!("out/.g.jsonl.sapu-tmp-{alive}");
    fs::write(dir.join(&running), "x").unwrap();
    // Beside the report file: only the temporaries of the files this run
    // writes are its business.
    let other = format!(".notes.txt.sapu-tmp-{dead}");
    fs::write(dir.join(&other), "x").unwrap();
    let o = sapu_in(
        dir,
        &["in", "-o", "out", "--resume", "--explain", "explain.jsonl"],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    for f in &stale {
        assert!(!dir.join(f).exists(), "{f} is left: {err}");
    }
    assert!(
        err.contains("--resume: removed 4 temporary files left by runs that were interrupted"),
        "{err}"
    );
    assert!(dir.join(&running).exists());
    assert!(dir.join(&other).exists());
    assert!(
        err.contains(&format!(
            "left alone: the temporary file of process {alive}, which is still running"
        )),
        "{err}"
    );
}

// Issue 15, item 2: every write error names the file.
#[test]
fn write_errors_name_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    make_tree(&dir.join("in"), false);
    #[cfg(target_os = "linux")]
    {
        let o = sapu_in(dir, &["in", "-o", "out", "-q", "--explain", "/dev/full"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains("/dev/full: cannot write: the explain file: No space left on device"),
            "{err}"
        );
    }
    // A part that cannot be put in place: the output is not written, and
    // the error names the part.
    fs::create_dir_all(dir.join("out2/.c.jsonl.sapu-part/in-the-way")).unwrap();
    let o = sapu_in(
        dir,
        &["in", "-o", "out2", "-q", "--explain", "explain.jsonl"],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let part = Path::new("out2").join(".c.jsonl.sapu-part");
    assert!(
        err.contains(&format!("out2/c.jsonl: cannot write: {}", part.display())),
        "{err}"
    );
    assert!(!dir.join("out2/c.jsonl").exists());
}

/// A Parquet file of `(id, text)` rows, `group_rows` to a row group.
fn write_parquet(path: &Path, rows: &[(String, String)], group_rows: usize) {
    use arrow_array::{ArrayRef, RecordBatch, StringArray};
    use parquet::arrow::ArrowWriter;
    use parquet::file::properties::WriterProperties;
    use std::sync::Arc;
    let ids = StringArray::from_iter_values(rows.iter().map(|(id, _)| id));
    let texts = StringArray::from_iter_values(rows.iter().map(|(_, t)| t));
    let batch = RecordBatch::try_from_iter([
        ("id", Arc::new(ids) as ArrayRef),
        ("text", Arc::new(texts) as ArrayRef),
    ])
    .unwrap();
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(group_rows))
        .build();
    let mut w =
        ArrowWriter::try_new(fs::File::create(path).unwrap(), batch.schema(), Some(props)).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

/// Starts `sapu clean ARGS` in `dir` with a stdin it keeps open.
fn start_with_stdin(dir: &Path, args: &[&str]) -> (Child, std::process::ChildStdin) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sapu"))
        .current_dir(dir)
        .arg("clean")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    (child, stdin)
}

/// Runs `sapu clean ARGS` in `dir` with `input` on stdin.
fn sapu_in_with_stdin(dir: &Path, args: &[&str], input: &str) -> std::process::Output {
    let (child, mut stdin) = start_with_stdin(dir, args);
    let input = input.to_string();
    // Fed from a thread: the output pipes cannot fill while stdin blocks.
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let o = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    o
}

// A Parquet shard goes through the run path of a JSONL shard: a run
// killed with Parquet outputs written, resumed, ends with the outputs and
// reports of a run that was never interrupted; the Parquet output left
// alone gives its records (explained rows, rejected rows, statistics, bad
// records for the exit status) from its part, in input order, and the
// Parquet shard not reached is cleaned.
#[test]
fn a_killed_run_resumed_takes_the_parts_of_its_parquet_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("in")).unwrap();
    // A text over --max-record-bytes in each shard done before the kill:
    // their rejected records, and exit 3, come only from their parts.
    let big = golden(CASES[0], "input.txt").repeat(25);
    let mut lines: Vec<String> = (0..3).map(|k| record(&format!("a{k}"), CASES[k])).collect();
    lines.insert(1, record_of("a-big", &big));
    fs::write(dir.join("in/a.jsonl"), lines.join("\n") + "\n").unwrap();
    let rows = |name: &str| -> Vec<(String, String)> {
        (0..5)
            .map(|k| (format!("{name}{k}"), golden(CASES[k % 3], "input.txt")))
            .collect()
    };
    let mut b = rows("b");
    b.insert(2, ("b-big".into(), big));
    write_parquet(&dir.join("in/b.parquet"), &b, 2);
    write_parquet(&dir.join("in/c.parquet"), &rows("c"), 2);
    let page = golden(CASES[1], "input.txt");
    // The text on stdin comes before c.parquet: the run waits for stdin
    // with a.jsonl and b.parquet written and c.parquet not started.
    let args = |out: &'static str| {
        let mut args = vec![
            "in/a.jsonl",
            "in/b.parquet",
            "-",
            "in/c.parquet",
            "-o",
            out,
            "--max-record-bytes",
            "64K",
        ];
        args.extend(REPORTS);
        args
    };

    let mut reference = args("ref");
    reference.push("-q");
    let o = sapu_in_with_stdin(dir, &reference, &page);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    for r in ["explain.jsonl", "rejects.jsonl", "stats.json"] {
        fs::rename(dir.join(r), dir.join(format!("ref-{r}"))).unwrap();
    }
    let rejected = fs::read_to_string(dir.join("ref-rejects.jsonl")).unwrap();
    assert!(
        rejected.contains("\"a-big\"") && rejected.contains("\"b-big\""),
        "{rejected}"
    );
    let explained = fs::read_to_string(dir.join("ref-explain.jsonl")).unwrap();
    for doc in ["in/b.parquet:b0", "<stdin>", "in/c.parquet:c0"] {
        assert!(explained.contains(doc), "{doc} is not explained");
    }

    let (mut child, stdin) = start_with_stdin(dir, &args("out"));
    let deadline = Instant::now() + Duration::from_secs(60);
    while !(dir.join("out/a.jsonl").exists() && dir.join("out/b.parquet").exists()) {
        assert!(Instant::now() < deadline, "the shards were not written");
        assert!(child.try_wait().unwrap().is_none(), "the run ended");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
    let left = files(&dir.join("out"));
    assert_eq!(
        left,
        [
            ".a.jsonl.sapu-part",
            ".b.parquet.sapu-part",
            "a.jsonl",
            "b.parquet"
        ],
        "the killed run left its parts, and no output it had not finished"
    );

    let mut resumed = args("out");
    resumed.push("--resume");
    let o = sapu_in_with_stdin(dir, &resumed, &page);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains("sapu: 2 outputs existed already and were left alone (--resume)"),
        "{err}"
    );
    // The killed run's report files were being written.
    assert!(
        err.contains("--resume: removed 2 temporary files left by runs that were interrupted"),
        "{err}"
    );
    assert_eq!(files(&dir.join("out")), files(&dir.join("ref")), "{err}");
    for f in files(&dir.join("ref")) {
        assert!(
            fs::read(dir.join("out").join(&f)).unwrap()
                == fs::read(dir.join("ref").join(&f)).unwrap(),
            "{f} differs"
        );
    }
    for r in ["explain.jsonl", "rejects.jsonl"] {
        assert!(
            fs::read(dir.join(r)).unwrap() == fs::read(dir.join(format!("ref-{r}"))).unwrap(),
            "{r} differs from the uninterrupted run's"
        );
    }
    let stats = fs::read(dir.join("stats.json")).unwrap();
    assert_eq!(
        without_skipped(&stats),
        without_skipped(&fs::read(dir.join("ref-stats.json")).unwrap())
    );
    let stats: Value = serde_json::from_slice(&stats).unwrap();
    assert_eq!(stats["skipped_existing"], 2);
    // The run completed: no temporary file and no part is left.
    assert!(
        !files(dir).iter().any(|f| f.contains(".sapu-")),
        "{:?}",
        files(dir)
    );
}

// Found by a black-box sweep: after a run that wrote a truncated shard up
// to its damage (exit 1), `--resume` left that output alone and ended with
// exit 3 (or 0): a job that retries until the exit code is not 1 took the
// cut-off output as done. The first run also told the user to resume "to
// finish the reports", which were complete.
#[test]
fn resume_still_fails_on_an_output_of_a_truncated_shard() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("in")).unwrap();
    let lines: String = (0..4000)
        .map(|i| record_of(&i.to_string(), &format!("Baris nomor {i} dari berkas ini.")) + "\n")
        .collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(lines.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    fs::write(dir.join("in/t.jsonl.gz"), &gz[..gz.len() / 2]).unwrap();
    let args = [
        "in",
        "-o",
        "out",
        "--explain",
        "ex.jsonl",
        "--stats",
        "st.json",
        "-q",
    ];
    let o = sapu_in(dir, &args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("to finish the reports"),
        "{}",
        stderr(&o)
    );
    let mut again = args.to_vec();
    again.push("--resume");
    let o = sapu_in(dir, &again);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("out/t.jsonl.gz: left alone (--resume), but written from an input that could not be read to its end"),
        "{}",
        stderr(&o)
    );
}
