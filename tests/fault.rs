//! The fault test of issue 15: a multi-shard run with `--explain`,
//! `--rejects` and `--stats` is killed (SIGKILL) at a random moment, then
//! resumed (and the resumed run is sometimes killed too, and resumed
//! again); the outputs and reports must then be, byte for byte, those of a
//! run that was never interrupted, and nothing half-written may be left.
//!
//! The moments come from a seeded generator; the seed is printed, and
//! `SAPU_FAULT_SEED=N` replays a run (`SAPU_FAULT_ROUNDS=N` for more
//! rounds).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;
use common::golden;

/// splitmix64: enough randomness for kill times, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn golden_inputs() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
    let mut cases: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases.iter().map(|c| golden(c, "input.txt")).collect()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A corpus of several shards (one gzipped), with bad lines and an empty
/// text among the records, and text documents between the shards.
fn make_corpus(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    let pages = golden_inputs();
    let mut k = 0;
    for shard in 0..6 {
        let mut lines = Vec::new();
        for i in 0..6 {
            let text = &pages[k % pages.len()];
            k += 7;
            lines
                .push(serde_json::json!({"id": format!("s{shard}-{i}"), "text": text}).to_string());
        }
        if shard % 2 == 1 {
            lines.insert(3, "{\"id\": \"broken\", \"text\": ".into());
            lines.insert(6, format!("{{\"id\":\"s{shard}-empty\",\"text\":\"\"}}"));
        }
        let data = lines.join("\n") + "\n";
        if shard == 4 {
            fs::write(
                dir.join(format!("s{shard}.jsonl.gz")),
                gzip(data.as_bytes()),
            )
            .unwrap();
        } else {
            fs::write(dir.join(format!("s{shard}.jsonl")), data).unwrap();
        }
        if shard % 2 == 0 {
            fs::write(
                dir.join(format!("s{shard}-page.txt")),
                &pages[(k + 3) % pages.len()],
            )
            .unwrap();
        }
    }
}

/// The run of the test: outputs into `out`, reports into `reports`.
fn command(dir: &Path, out: &str, reports: &str, resume: bool) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sapu"));
    c.current_dir(dir)
        .args([
            "clean",
            "in",
            "-o",
            out,
            "-q",
            "-j",
            "2",
            "--parallel-shards",
            "3",
        ])
        .args(["--explain", &format!("{reports}/explain.jsonl")])
        .args(["--rejects", &format!("{reports}/rejects.jsonl")])
        .args(["--stats", &format!("{reports}/stats.json")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if resume {
        c.arg("--resume");
    }
    c
}

/// Runs to the end; the exit status and stderr.
fn run(mut c: Command) -> (ExitStatus, String) {
    let o = c.output().unwrap();
    (o.status, String::from_utf8_lossy(&o.stderr).into_owned())
}

/// Starts the run and kills it (SIGKILL) after `delay`, unless it ended
/// before. Returns whether it was killed.
fn run_and_kill(mut c: Command, delay: Duration) -> bool {
    let mut child = c.stderr(Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + delay;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let killed = child.kill().is_ok();
    child.wait().unwrap();
    killed
}

/// Every file under `dir`, relative, sorted, hidden ones included.
fn files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        if let Ok(entries) = fs::read_dir(dir) {
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.push(p);
                }
            }
        }
    }
    let mut v = Vec::new();
    walk(dir, &mut v);
    let mut v: Vec<PathBuf> = v
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    v.sort();
    v
}

fn stats_without_skipped(path: &Path) -> Value {
    let mut v: Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("skipped_existing");
    v
}

/// What a killed run may leave: outputs complete or absent, report files
/// as they were or complete, temporaries and parts beside them.
fn check_after_kill(dir: &Path, round: &str) {
    for f in files(&dir.join("out")) {
        let name = f.file_name().unwrap().to_string_lossy();
        if name.starts_with('.') {
            assert!(
                name.contains(".sapu-tmp-") || name.ends_with(".sapu-part"),
                "{round}: {f:?} left in the output"
            );
            continue;
        }
        assert!(
            fs::read(dir.join("out").join(&f)).unwrap()
                == fs::read(dir.join("ref").join(&f)).unwrap(),
            "{round}: {f:?} is not complete"
        );
    }
    for r in ["explain.jsonl", "rejects.jsonl", "stats.json"] {
        let now = fs::read(dir.join("reports").join(r)).unwrap();
        let complete = if r == "stats.json" {
            serde_json::from_slice::<Value>(&now).is_ok()
                && stats_without_skipped(&dir.join("reports").join(r))
                    == stats_without_skipped(&dir.join("ref-reports").join(r))
        } else {
            now == fs::read(dir.join("ref-reports").join(r)).unwrap()
        };
        assert!(
            now == b"before\n" || complete,
            "{round}: {r} is neither as it was nor complete"
        );
    }
}

#[test]
fn a_killed_run_resumed_gives_the_outputs_and_reports_of_an_uninterrupted_one() {
    let seed = std::env::var("SAPU_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    let rounds: usize = std::env::var("SAPU_FAULT_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    println!("fault test seed: {seed} (replay with SAPU_FAULT_SEED={seed})");
    eprintln!("fault test seed: {seed} (replay with SAPU_FAULT_SEED={seed})");
    let mut rng = Rng(seed);

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    make_corpus(&dir.join("in"));
    fs::create_dir_all(dir.join("ref-reports")).unwrap();
    // How long a run takes to start (loading the rules), and to run.
    fs::create_dir_all(dir.join("empty")).unwrap();
    fs::write(dir.join("empty/x.txt"), "x\n").unwrap();
    let started = Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_sapu"))
        .args(["clean", "-q"])
        .arg(dir.join("empty/x.txt"))
        .output()
        .unwrap();
    assert!(o.status.success());
    let startup = started.elapsed();
    let started = Instant::now();
    let (status, err) = run(command(dir, "ref", "ref-reports", false));
    let full = started.elapsed();
    println!("a run takes {full:?}, {startup:?} of it to start");
    assert_eq!(status.code(), Some(3), "bad lines were skipped: {err}");
    assert!(
        fs::metadata(dir.join("ref-reports/rejects.jsonl"))
            .unwrap()
            .len()
            > 0
            && fs::metadata(dir.join("ref-reports/explain.jsonl"))
                .unwrap()
                .len()
                > 10_000,
        "the reports hold records"
    );
    let outputs = files(&dir.join("ref"));
    assert_eq!(outputs.len(), 9, "{outputs:?}");

    for round in 0..rounds {
        let _ = fs::remove_dir_all(dir.join("out"));
        let _ = fs::remove_dir_all(dir.join("reports"));
        fs::create_dir_all(dir.join("reports")).unwrap();
        for r in ["explain.jsonl", "rejects.jsonl", "stats.json"] {
            fs::write(dir.join("reports").join(r), "before\n").unwrap();
        }
        // A kill while the run works (mostly after it started, a little
        // after it may have ended), and sometimes one of the resumed run.
        let kill_time = |rng: &mut Rng| {
            let work = full.saturating_sub(startup).as_micros() as u64;
            Duration::from_micros(startup.as_micros() as u64 / 2 + rng.below(work * 6 / 5))
        };
        let delay = kill_time(&mut rng);
        let mut killed = run_and_kill(command(dir, "out", "reports", false), delay);
        let mut what =
            format!("seed {seed}, round {round}, kill after {delay:?} (killed: {killed})");
        check_after_kill(dir, &what);
        let done = files(&dir.join("out"))
            .iter()
            .filter(|f| !f.file_name().unwrap().to_string_lossy().starts_with('.'))
            .count();
        println!("{what}: {done} of {} outputs written", outputs.len());
        if rng.below(2) == 0 {
            let delay = kill_time(&mut rng);
            killed = run_and_kill(command(dir, "out", "reports", true), delay);
            what = format!("{what}, resumed and killed after {delay:?} (killed: {killed})");
            check_after_kill(dir, &what);
        }
        let (status, err) = run(command(dir, "out", "reports", true));
        // A run that ended before its kill (or was killed while it removed
        // the report parts, its reports in place) left nothing to resume:
        // the resumed run leaves the reports as they were, complete, and
        // knows of the bad lines only what parts are left.
        let left = err.contains("left as it was");
        assert!(left || killed, "{what}: {err}");
        if left {
            assert!(matches!(status.code(), Some(0 | 3)), "{what}: {err}");
        } else {
            assert_eq!(status.code(), Some(3), "{what}: {err}");
        }
        let mut written = files(&dir.join("out"));
        if left {
            written.retain(|f| !f.to_string_lossy().ends_with(".sapu-part"));
        }
        assert_eq!(written, outputs, "{what}: {err}");
        for f in &outputs {
            assert!(
                fs::read(dir.join("out").join(f)).unwrap()
                    == fs::read(dir.join("ref").join(f)).unwrap(),
                "{what}: {f:?} differs"
            );
        }
        for r in ["explain.jsonl", "rejects.jsonl"] {
            assert!(
                fs::read(dir.join("reports").join(r)).unwrap()
                    == fs::read(dir.join("ref-reports").join(r)).unwrap(),
                "{what}: {r} differs from the uninterrupted run's"
            );
        }
        assert_eq!(
            stats_without_skipped(&dir.join("reports/stats.json")),
            stats_without_skipped(&dir.join("ref-reports/stats.json")),
            "{what}: the statistics differ"
        );
        assert_eq!(
            files(&dir.join("reports")),
            [
                PathBuf::from("explain.jsonl"),
                PathBuf::from("rejects.jsonl"),
                PathBuf::from("stats.json")
            ],
            "{what}: {err}"
        );
    }
}
