//! `sapu clean` on JSON Lines shards, run as a user runs it.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;
use common::{golden, sapu, sapu_stdin, stderr};

const CASES: [&str; 4] = [
    "seed-000-hanter",
    "seed-001-voa",
    "seed-003-suara",
    "seed-004-idntimes",
];

/// One record per golden case, with fields around the text that must
/// come out byte for byte (spacing, number formats, escapes, key order).
fn golden_records() -> Vec<String> {
    CASES
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let text = serde_json::to_string(&golden(case, "input.txt")).unwrap();
            format!(
                r#"{{"id": "doc-{i}", "meta":{{"n": 1.50e3, "tags":["a","\u00e9"]}}, "text":{text} , "url":"http://x/{case}"}}"#
            )
        })
        .collect()
}

fn expected_text(case: &str) -> String {
    golden(case, "expected.txt")
        .trim_end_matches('\n')
        .to_string()
}

fn write_jsonl(path: &Path, lines: &[String]) {
    let mut data = lines.join("\n");
    data.push('\n');
    fs::write(path, data).unwrap();
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(data)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn records(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The output line with the clean text swapped back for the input text:
/// equal to the input line when only the text field changed.
fn with_text(line: &str, from: &str, to: &str) -> String {
    let from = serde_json::to_string(from).unwrap();
    let to = serde_json::to_string(to).unwrap();
    assert!(line.contains(&from), "text not found in {line}");
    line.replacen(&from, &to, 1)
}

#[test]
fn cleans_the_text_field_and_keeps_every_other_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("news.jsonl");
    let lines = golden_records();
    write_jsonl(&input, &lines);
    let o = sapu(&["clean", "-q", input.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    let out_lines: Vec<&str> = out.lines().collect();
    assert_eq!(out_lines.len(), lines.len());
    for ((case, line), got) in CASES.iter().zip(&lines).zip(&out_lines) {
        let record: Value = serde_json::from_str(got).unwrap();
        assert_eq!(record["text"], expected_text(case), "{case}");
        let input_text = golden(case, "input.txt");
        assert_eq!(
            &with_text(got, &expected_text(case), &input_text),
            line,
            "{case}: only the text field may change"
        );
    }
}

#[test]
fn every_format_and_compression_is_read_and_written_alike() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("shards");
    fs::create_dir_all(dir.join("sub")).unwrap();
    let mut plain = golden_records().join("\n");
    plain.push('\n');
    let plain = plain.into_bytes();
    let names = [
        "a.jsonl",
        "b.json",
        "c.ndjson",
        "sub/d.jsonl.gz",
        "e.json.gz",
        "sub/f.jsonl.zst",
        "g.json.zst",
    ];
    for name in names {
        let data = if name.ends_with(".gz") {
            gzip(&plain)
        } else if name.ends_with(".zst") {
            zstd::encode_all(&plain[..], 3).unwrap()
        } else {
            plain.clone()
        };
        fs::write(dir.join(name), data).unwrap();
    }
    fs::write(dir.join("notes.txt"), "not a shard").unwrap();
    let out = tmp.path().join("out");
    let o = sapu(&[
        "clean",
        "-q",
        "--format",
        "jsonl",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        !out.join("notes.txt").exists(),
        "--format jsonl walks JSONL names only"
    );
    let reference = fs::read(out.join("a.jsonl")).unwrap();
    assert_eq!(records(&reference).len(), CASES.len());
    for name in names {
        let raw = fs::read(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let got = if name.ends_with(".gz") {
            gunzip(&raw)
        } else if name.ends_with(".zst") {
            zstd::decode_all(&raw[..]).unwrap()
        } else {
            raw
        };
        assert_eq!(got, reference, "{name}");
    }
    // Without --format, a directory walk takes *.txt and the JSONL names
    // but *.json (in a tree of documents that is more often one JSON
    // document than JSON Lines), each read by its name; a .jsonl file
    // named on the command line is JSONL by its name.
    let out2 = tmp.path().join("out2");
    let o = sapu(&[
        "clean",
        "-q",
        dir.to_str().unwrap(),
        "-o",
        out2.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(fs::read(out2.join("notes.txt")).unwrap(), b"not a shard\n");
    for name in ["a.jsonl", "c.ndjson", "sub/d.jsonl.gz", "sub/f.jsonl.zst"] {
        assert_eq!(
            fs::read(out2.join(name)).unwrap(),
            fs::read(out.join(name)).unwrap(),
            "{name}"
        );
    }
    for name in ["b.json", "e.json.gz", "g.json.zst"] {
        assert!(!out2.join(name).exists(), "{name}");
    }
    let single = tmp.path().join("single.jsonl.zst");
    let o = sapu(&[
        "clean",
        "-q",
        dir.join("sub/d.jsonl.gz").to_str().unwrap(),
        "-o",
        single.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let back = zstd::decode_all(&fs::read(&single).unwrap()[..]).unwrap();
    assert_eq!(
        back, reference,
        "output compression follows the output name"
    );
}

#[test]
fn stdin_to_stdout_plain_and_compressed() {
    let mut plain = golden_records().join("\n");
    plain.push('\n');
    let o = sapu_stdin(&["clean", "-q", "--format", "jsonl", "-"], plain.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let reference = o.stdout;
    assert_eq!(records(&reference)[1]["text"], expected_text(CASES[1]));
    let zst = zstd::encode_all(plain.as_bytes(), 3).unwrap();
    let o = sapu_stdin(&["clean", "-q", "--format", "jsonl", "-"], &zst);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(o.stdout, reference, "compressed stdin is recognized");
    let o = sapu_stdin(
        &["clean", "-q", "--format", "jsonl", "-"],
        &gzip(plain.as_bytes()),
    );
    assert_eq!(o.stdout, reference);
}

#[test]
fn bad_records_are_reported_skipped_and_copied_to_rejects() {
    let tmp = tempfile::tempdir().unwrap();
    let good = golden_records();
    let huge = format!(r#"{{"id":"huge","text":"{}"}}"#, "x".repeat(3 << 20));
    let mut bytes: Vec<u8> = Vec::new();
    let mut lines: Vec<Vec<u8>> = vec![
        good[0].clone().into_bytes(),                    // 1
        b"{\"id\": 1, \"text\": \"abc".to_vec(),         // 2 malformed
        b"{\"id\": 2, \"body\": \"no text\"}".to_vec(),  // 3 missing field
        b"{\"id\": 3, \"text\": [\"a\"]}".to_vec(),      // 4 not a string
        b"{\"id\": 4, \"text\": \"caf\xe9\"}".to_vec(),  // 5 invalid UTF-8
        b"{\"id\": \"empty\", \"text\": \"\"}".to_vec(), // 6 empty: passed on
        huge.clone().into_bytes(),                       // 7 over the limit
        b"[1, 2]".to_vec(),                              // 8 not an object
        good[1].clone().into_bytes(),                    // 9
    ];
    for l in &mut lines {
        bytes.append(&mut l.clone());
        bytes.push(b'\n');
        l.push(b'\n');
    }
    let input = tmp.path().join("bad.jsonl");
    fs::write(&input, &bytes).unwrap();
    let out = tmp.path().join("out.jsonl");
    let rejects = tmp.path().join("rejects.jsonl");
    let stats = tmp.path().join("stats.json");
    let o = sapu(&[
        "clean",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--rejects",
        rejects.to_str().unwrap(),
        "--stats",
        stats.to_str().unwrap(),
        "--max-record-bytes",
        "1M",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    let name = input.display().to_string();
    for (line, what) in [
        (2, "malformed JSON"),
        (3, "no \"text\" field"),
        (4, "\"text\" is an array, not a string"),
        (5, "invalid UTF-8"),
        (6, "empty \"text\""),
        (7, "over --max-record-bytes"),
        (8, "not a JSON object"),
    ] {
        let prefix = format!("{name}:{line}");
        assert!(
            err.lines().any(|l| l.contains(&prefix) && l.contains(what)),
            "no message for line {line} ({what}) in:\n{err}"
        );
    }
    let rejected: Vec<u8> = [1, 2, 3, 4, 6, 7]
        .iter()
        .flat_map(|&i| lines[i].clone())
        .collect();
    assert_eq!(
        fs::read(&rejects).unwrap(),
        rejected,
        "rejects hold the bad lines verbatim, in order"
    );
    let got = records(&fs::read(&out).unwrap());
    assert_eq!(got.len(), 3, "two good records and the empty one");
    assert_eq!(got[0]["text"], expected_text(CASES[0]));
    assert_eq!(got[1], json!({"id": "empty", "text": ""}));
    assert_eq!(got[2]["text"], expected_text(CASES[1]));
    let stats: Value = serde_json::from_slice(&fs::read(&stats).unwrap()).unwrap();
    assert_eq!(stats["records_rejected"], 6);
    assert_eq!(stats["documents"], 3);
    for kind in [
        "malformed-json",
        "missing-text-field",
        "non-string-text",
        "invalid-utf8-record",
        "record-too-large",
        "not-an-object",
        "empty-text",
    ] {
        assert_eq!(stats["problems"][kind], 1, "{kind}: {stats}");
    }
}

#[test]
fn on_error_fail_stops_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let good = golden_records();
    let input = tmp.path().join("in.jsonl");
    write_jsonl(&input, &[good[0].clone(), "{oops".into(), good[1].clone()]);
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
    assert!(err.contains(":2: malformed JSON"), "{err}");
    assert!(err.contains("stopping (--on-error fail)"), "{err}");
    assert!(!out.exists(), "a stopped shard is not written");
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "no temporary file is left"
    );
}

#[test]
fn truncated_compressed_shards_keep_the_records_before() {
    let tmp = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (0..20_000)
        .map(|i| format!(r#"{{"id":{i},"text":"Kalimat nomor {i} ditulis di sini dengan cukup banyak kata agar tidak terlalu pendek."}}"#))
        .collect();
    let mut plain = lines.join("\n");
    plain.push('\n');
    for (ext, packed) in [
        ("jsonl.gz", gzip(plain.as_bytes())),
        ("jsonl.zst", zstd::encode_all(plain.as_bytes(), 3).unwrap()),
    ] {
        let input = tmp.path().join(format!("cut.{ext}"));
        fs::write(&input, &packed[..packed.len() / 2]).unwrap();
        let out = tmp.path().join(format!("out.{ext}"));
        let o = sapu(&[
            "clean",
            "-q",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{ext}: {err}");
        let raw = fs::read(&out).unwrap();
        let got = if ext.ends_with("gz") {
            gunzip(&raw)
        } else {
            zstd::decode_all(&raw[..]).unwrap()
        };
        let got = records(&got);
        assert!(
            !got.is_empty() && got.len() < lines.len(),
            "{ext}: {}",
            got.len()
        );
        let last = got.len();
        assert!(
            err.contains(&format!(
                "cannot read past line {last} (the last complete line)"
            )),
            "{ext}: {err}"
        );
        for (i, r) in got.iter().enumerate() {
            assert_eq!(r["id"], i, "{ext}: records in order");
        }
    }
}

fn numbered_records(n: usize) -> Vec<String> {
    let base = golden_records();
    (0..n)
        .map(|i| {
            let line = &base[i % base.len()];
            line.replacen(
                &format!("\"id\": \"doc-{}\"", i % base.len()),
                &format!("\"id\": {i}"),
                1,
            )
        })
        .collect()
}

#[test]
fn order_is_kept_and_output_does_not_depend_on_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("many.jsonl");
    // More lines than one batch holds.
    let lines: Vec<String> = numbered_records(4100)
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            if i % 3 == 0 {
                format!(r#"{{"id": {i}, "text": "Judul {i}\n\nBaca Juga: promo {i}\n\nKalimat pertama artikel ini cukup panjang untuk dianggap sebagai paragraf."}}"#)
            } else if i % 3 == 1 {
                format!(r#"{{"id": {i}, "text": "pendek {i}"}}"#)
            } else if i % 100 == 2 {
                l
            } else {
                format!(r#"{{"id": {i}, "text": "x{i}"}}"#)
            }
        })
        .collect();
    write_jsonl(&input, &lines);
    let run = |j: &str| {
        let o = sapu(&["clean", "-q", "-j", j, input.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        o.stdout
    };
    let one = run("1");
    let four = run("4");
    assert!(one == four, "-j 1 and -j 4 differ");
    let got = records(&one);
    assert_eq!(got.len(), lines.len());
    for (i, r) in got.iter().enumerate() {
        assert_eq!(r["id"], i);
    }
    assert!(
        !got[0]["text"].as_str().unwrap().contains("Baca Juga"),
        "records were cleaned"
    );
}

#[test]
fn annotate_and_explain_name_records() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("a.jsonl");
    let mut lines = golden_records();
    // A record without an id is named by its line; a stale annotation is
    // replaced, not duplicated.
    lines[1] = lines[1].replacen("\"id\": \"doc-1\", ", "\"sapu\": {\"old\": true}, ", 1);
    write_jsonl(&input, &lines);
    let explain = tmp.path().join("explain.jsonl");
    let o = sapu(&[
        "clean",
        "-q",
        "--annotate",
        input.to_str().unwrap(),
        "--explain",
        explain.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let got = records(&o.stdout);
    for r in &got {
        let a = &r["sapu"];
        assert!(a["dropped_lines"].as_u64().unwrap() > 0, "{a}");
        assert!(a["dropped_chars"].as_u64().unwrap() > 0, "{a}");
        assert!(!a["rules"].as_array().unwrap().is_empty(), "{a}");
        assert!(a.get("old").is_none());
    }
    assert_eq!(
        String::from_utf8_lossy(&o.stdout)
            .matches("\"sapu\"")
            .count(),
        got.len()
    );
    let name = input.display().to_string();
    let docs: Vec<String> = records(&fs::read(&explain).unwrap())
        .iter()
        .map(|r| r["doc"].as_str().unwrap().to_string())
        .collect();
    assert!(docs.contains(&format!("{name}:doc-0")), "{docs:?}");
    assert!(docs.contains(&format!("{name}:2")), "{docs:?}");
    let rules_of_0: Vec<Value> = got[0]["sapu"]["rules"].as_array().unwrap().clone();
    let explained: Vec<String> = records(&fs::read(&explain).unwrap())
        .iter()
        .filter(|r| r["doc"] == format!("{name}:doc-0"))
        .map(|r| r["rule"].as_str().unwrap().to_string())
        .collect();
    for rule in rules_of_0 {
        assert!(explained.contains(&rule.as_str().unwrap().to_string()));
    }
}

#[test]
fn other_text_and_id_fields() {
    let line = serde_json::to_string(&json!({
        "url": "u-1",
        "content": golden(CASES[2], "input.txt"),
        "text": 5,
    }))
    .unwrap();
    let o = sapu_stdin(
        &[
            "clean",
            "-q",
            "--format",
            "jsonl",
            "--text-field",
            "content",
            "--id-field",
            "url",
            "--annotate",
            "-",
        ],
        format!("{line}\n").as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = &records(&o.stdout)[0];
    assert_eq!(r["content"], expected_text(CASES[2]));
    assert_eq!(r["text"], 5);
}

#[test]
fn resume_leaves_finished_outputs_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir_all(&dir).unwrap();
    let lines = golden_records();
    write_jsonl(&dir.join("a.jsonl"), &lines[..2]);
    write_jsonl(&dir.join("b.jsonl"), &lines[2..]);
    let out = tmp.path().join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("a.jsonl"), "done before\n").unwrap();
    let args = |resume: bool| {
        let mut a = vec![
            "clean".to_string(),
            "-q".into(),
            "--format".into(),
            "jsonl".into(),
            dir.display().to_string(),
            "-o".into(),
            out.display().to_string(),
        ];
        if resume {
            a.push("--resume".into());
        }
        a
    };
    let run = |resume| {
        let a = args(resume);
        sapu(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let o = run(true);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(out.join("a.jsonl")).unwrap(),
        "done before\n"
    );
    assert_eq!(records(&fs::read(out.join("b.jsonl")).unwrap()).len(), 2);
    let o = run(false);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(records(&fs::read(out.join("a.jsonl")).unwrap()).len(), 2);
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect()
}

#[test]
fn a_killed_run_leaves_no_partial_output() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("big.jsonl");
    let mut data = numbered_records(4000).join("\n");
    data.push('\n');
    fs::write(&input, data.repeat(4)).unwrap();
    let outdir = tmp.path().join("out");
    let out = outdir.join("big.jsonl.zst");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sapu"))
        .args(["clean", "-q", "-j", "1", input.to_str().unwrap(), "-o"])
        .arg(&out)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the output is being written, then kill the run.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let writing = outdir.exists()
            && files_in(&outdir)
                .iter()
                .any(|p| p.to_string_lossy().contains("sapu-tmp"));
        if writing {
            break;
        }
        assert!(Instant::now() < deadline, "no temporary output appeared");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended too soon"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    let finished = child.try_wait().unwrap().is_some();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !finished,
        "the run finished before it was killed: make the input bigger"
    );
    assert!(
        !out.exists(),
        "a killed run left a file under the final name"
    );
    for p in files_in(&outdir) {
        assert!(p.to_string_lossy().contains("sapu-tmp"), "{}", p.display());
    }
}

#[test]
fn bad_flags_are_usage_errors() {
    let o = sapu(&["clean", "--max-record-bytes", "lots", "-"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a size"), "{}", stderr(&o));
    let o = sapu(&["clean", "--on-error", "maybe", "-"]);
    assert_eq!(o.status.code(), Some(2));
}

// A record whose text held an unpaired surrogate escape (Python's `json`
// writes one for a string cut inside an emoji) was skipped as malformed:
// the document was lost for one code unit that is not a character.
#[test]
fn an_unpaired_surrogate_is_read_as_a_replacement_character_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let prose = "ini kalimat yang cukup panjang untuk tetap ada di keluaran.";
    let input = tmp.path().join("s.jsonl");
    let lines = [
        format!(r#"{{"id":"cut","text":"Emoji \ud83d {prose}"}}"#),
        format!(r#"{{"id":"pair","text":"Emoji \ud83d\ude00 {prose}"}}"#),
    ];
    write_jsonl(&input, &lines);
    let out = tmp.path().join("out.jsonl");
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
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("s.jsonl:1 (id cut): \"text\": 1 unpaired UTF-16 surrogate"),
        "{err}"
    );
    assert!(!err.contains("s.jsonl:2"), "{err}");
    let got = records(&fs::read(&out).unwrap());
    assert_eq!(got.len(), 2);
    assert_eq!(got[0]["text"], format!("Emoji \u{fffd} {prose}"));
    assert_eq!(got[1]["text"], format!("Emoji \u{1f600} {prose}"));
    let stats: Value = serde_json::from_slice(&fs::read(&stats).unwrap()).unwrap();
    assert_eq!(stats["problems"]["unpaired-surrogate"], 1, "{stats}");
    assert_eq!(stats["documents"], 2);
}

#[test]
fn a_byte_order_mark_is_kept() {
    let line = &golden_records()[0];
    let input = format!("\u{feff}{line}\n{line}\n");
    let o = sapu_stdin(&["clean", "-q", "--format", "jsonl", "-"], input.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    let (first, second) = out.split_once('\n').unwrap();
    assert_eq!(first.strip_prefix('\u{feff}'), Some(second.trim_end()));
}

#[test]
fn shards_in_parallel_give_the_same_outputs_and_reports_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("crawl");
    fs::create_dir_all(input.join("part")).unwrap();
    // Shards of very different sizes, so they finish out of order; each
    // has a bad record, so the rejects file shows the order too.
    for s in 0..7usize {
        let mut lines = numbered_records(if s % 3 == 0 { 1500 } else { 20 + s });
        lines.insert(3, format!("{{\"id\": \"bad-{s}\", \"text\": 5}}"));
        let name = if s % 2 == 0 {
            format!("part/shard-{s}.jsonl.gz")
        } else {
            format!("shard-{s}.jsonl")
        };
        let mut data = lines.join("\n").into_bytes();
        data.push(b'\n');
        if name.ends_with(".gz") {
            data = gzip(&data);
        }
        fs::write(input.join(name), data).unwrap();
    }
    let run = |n: &str| {
        let out = tmp.path().join(format!("out-{n}"));
        let explain = tmp.path().join(format!("explain-{n}.jsonl"));
        let rejects = tmp.path().join(format!("rejects-{n}.jsonl"));
        let stats = tmp.path().join(format!("stats-{n}.json"));
        let o = sapu(&[
            "clean",
            "-q",
            "-j",
            "2",
            "--parallel-shards",
            n,
            "--format",
            "jsonl",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--explain",
            explain.to_str().unwrap(),
            "--rejects",
            rejects.to_str().unwrap(),
            "--stats",
            stats.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
        let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(&out)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(&out).unwrap().to_path_buf();
                (rel, fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        (
            files,
            fs::read(explain).unwrap(),
            fs::read_to_string(rejects).unwrap(),
            fs::read(stats).unwrap(),
        )
    };
    let serial = run("1");
    let parallel = run("4");
    assert_eq!(serial.0.len(), 7, "every shard is written");
    assert!(serial.0 == parallel.0, "outputs differ");
    assert!(serial.1 == parallel.1, "--explain differs");
    assert_eq!(serial.2, parallel.2, "--rejects differs");
    assert!(serial.3 == parallel.3, "--stats differs");
    // Walk order (by name): part/ (shards 0, 2, 4, 6), then shard-1, 3, 5.
    let ids: Vec<String> = serial
        .2
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 7);
    let mut sorted_by_walk = ids.clone();
    sorted_by_walk.sort_by_key(|id| {
        let s: usize = id.trim_start_matches("bad-").parse().unwrap();
        (s % 2 == 1, s)
    });
    assert_eq!(ids, sorted_by_walk, "rejects follow the input order");
    let explain = String::from_utf8(serial.1).unwrap();
    assert!(explain.lines().count() > 1000, "records were explained");
}

/// A plain file is read in byte ranges, each by a worker; a named pipe has
/// no ranges (and says it is empty), so it is read as a stream, whole.
#[test]
fn a_named_pipe_is_read_whole_as_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("pipe.jsonl");
    let made = Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let writer = {
        let pipe = pipe.clone();
        // Opening the pipe waits for sapu to open its end.
        std::thread::spawn(move || write_jsonl(&pipe, &golden_records()))
    };
    let out = dir.path().join("out.jsonl");
    let o = sapu(&[
        "clean",
        "-q",
        "-j",
        "2",
        pipe.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    writer.join().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let got = records(&fs::read(&out).unwrap());
    assert_eq!(got.len(), CASES.len());
    for (record, case) in got.iter().zip(CASES) {
        assert_eq!(record["text"], expected_text(case), "{case}");
    }
}

// Found by a black-box sweep: with the text in a field named "sapu",
// `--annotate` wrote a second "sapu" key beside it (a Parquet file got a
// second column of that name), exit 0: sapu rejected its own output, and
// pyarrow could not read the Parquet file.
#[test]
fn annotate_refuses_a_text_field_named_as_the_annotation() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("f.jsonl");
    fs::write(
        &input,
        "{\"id\":\"a\",\"sapu\":\"Baca Juga: foo\\nHello world.\"}\n",
    )
    .unwrap();
    let out = tmp.path().join("out.jsonl");
    let o = sapu(&[
        "clean",
        input.to_str().unwrap(),
        "--text-field",
        "sapu",
        "--annotate",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--text-field sapu: the text field is \"sapu\""),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
    // An empty field name is no field (it was taken, and no record had it).
    for flag in ["--text-field", "--id-field"] {
        let o = sapu(&["clean", input.to_str().unwrap(), flag, "", "-q"]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("it is empty"), "{}", stderr(&o));
    }
}

// Found by a black-box sweep: the `\r` of a CRLF line end counted towards
// --max-record-bytes, so a record that passed in an LF file was rejected
// in a CRLF one. Read by ranges (a file), and as a stream (gzip, stdin).
#[test]
fn max_record_bytes_does_not_count_a_crlf_line_end() {
    let tmp = tempfile::tempdir().unwrap();
    let record = r#"{"id":"a","text":"Baca Juga: foo\nHello world this is a real sentence of article text here."}"#;
    let limit = record.len().to_string();
    for (name, end) in [("lf.jsonl", "\n"), ("crlf.jsonl", "\r\n")] {
        let path = tmp.path().join(name);
        fs::write(&path, format!("{record}{end}{record}{end}")).unwrap();
        let gz = tmp.path().join(format!("{name}.gz"));
        let mut enc = flate2::write::GzEncoder::new(
            fs::File::create(&gz).unwrap(),
            flate2::Compression::default(),
        );
        enc.write_all(&fs::read(&path).unwrap()).unwrap();
        enc.finish().unwrap();
        for input in [&path, &gz] {
            let file = input.to_str().unwrap();
            let o = sapu(&["clean", file, "--max-record-bytes", &limit, "-q"]);
            assert!(o.status.success(), "{name}: {}", stderr(&o));
            let shorter = (record.len() - 1).to_string();
            let o = sapu(&["clean", file, "--max-record-bytes", &shorter, "-q"]);
            assert_eq!(o.status.code(), Some(3), "{name}: {}", stderr(&o));
        }
    }
}
