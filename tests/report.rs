//! `--report`, as a user runs it: the file of `clean`, `diff-rules` and
//! `check`, the same for any number of threads. (What the page shows in a
//! browser is tested by tests/browser/run.sh.)

use std::fs;
use std::path::Path;

mod common;
use common::{golden, sapu, stderr};

/// The JSON data of a report file.
fn report_data(path: &Path) -> serde_json::Value {
    let html = fs::read_to_string(path).unwrap();
    let start = html.find(r#"type="application/json">"#).unwrap() + 24;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

fn examples() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/news")
        .display()
        .to_string()
}

#[test]
fn clean_reports_every_rule_of_the_examples() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("news.html");
    let explain = tmp.path().join("explain.jsonl");
    let o = sapu(&[
        "clean",
        &examples(),
        "-o",
        tmp.path().join("out").to_str().unwrap(),
        "--explain",
        explain.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("sapu: report: "), "{}", stderr(&o));
    let data = report_data(&report);
    assert_eq!(data["mode"], "clean");
    assert_eq!(data["documents"], 5);
    assert_eq!(data["shown"], 5);
    // Every dropped line of --explain is a dropped line of the report,
    // under the same rule.
    let rules = data["rules"].as_array().unwrap();
    let docs = data["docs"].as_array().unwrap();
    let mut drops = 0;
    for line in fs::read_to_string(&explain).unwrap().lines() {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        if r["action"] != "drop" {
            continue;
        }
        drops += 1;
        let doc = docs.iter().find(|d| d["name"] == r["doc"]).unwrap();
        let row = doc["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["n"] == r["line"])
            .unwrap();
        assert_eq!(row["t"], r["text"]);
        assert_eq!(row["d"]["a"], "drop");
        assert_eq!(
            rules[row["d"]["r"].as_u64().unwrap() as usize]["id"],
            r["rule"]
        );
    }
    assert!(drops > 50, "{drops}");
}

/// A folder of three JSONL shards of 300 records each, made from the
/// golden inputs.
fn shards(dir: &Path) -> String {
    let cases = [
        "seed-000-hanter",
        "seed-001-voa",
        "seed-002-kompastv",
        "seed-003-suara",
        "seed-004-idntimes",
        "kind-spam-gambling",
        "flag-heavy-removal-still-cleans",
        "zones/footer-zone",
        "model-headline-after-menus",
    ];
    let corpus = dir.join("corpus");
    fs::create_dir(&corpus).unwrap();
    for shard in 0..3 {
        let mut out = String::new();
        for i in 0..300 {
            let text = golden(cases[(i + shard) % cases.len()], "input.txt");
            out.push_str(&serde_json::json!({"id": format!("doc-{i}"), "text": text}).to_string());
            out.push('\n');
        }
        fs::write(corpus.join(format!("part-{shard}.jsonl")), out).unwrap();
    }
    corpus.display().to_string()
}

#[test]
fn the_report_is_the_same_for_any_number_of_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let input = shards(tmp.path());
    let mut reports = Vec::new();
    // Records are cleaned by batches in any order, and shards one after
    // the other or at the same time.
    for (j, shards) in [("1", "1"), ("4", "3"), ("3", "2")] {
        let report = tmp.path().join(format!("r{j}.html"));
        let o = sapu(&[
            "clean",
            "-q",
            "--format",
            "jsonl",
            &input,
            "-o",
            tmp.path().join(format!("out{j}")).to_str().unwrap(),
            "-j",
            j,
            "--parallel-shards",
            shards,
            "--report",
            report.to_str().unwrap(),
            "--report-sample",
            "7",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        reports.push(fs::read(&report).unwrap());
    }
    assert!(reports.iter().all(|r| *r == reports[0]));
    let data = report_data(&tmp.path().join("r1.html"));
    assert_eq!(data["documents"], 900);
    // 7 drawn or flagged, plus one first document for each rule that fired.
    let shown = data["shown"].as_u64().unwrap();
    assert!(shown >= 7, "{shown}");
    let firsts: std::collections::BTreeSet<u64> = data["docs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| {
            d["first"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_u64().unwrap())
        })
        .collect();
    let fired = data["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["lines"].as_u64().unwrap() > 0)
        .count();
    assert_eq!(firsts.len(), fired);
    assert_eq!(
        data["hist"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap())
            .sum::<u64>(),
        900
    );
    // Names of a sample carry their shard: part-N.jsonl:doc-I.
    assert!(
        data["docs"][0]["name"]
            .as_str()
            .unwrap()
            .contains(".jsonl:doc-")
    );
}

#[test]
fn a_tree_of_text_files_gives_the_same_report_for_any_number_of_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let report = |j: &str| {
        let path = tmp.path().join(format!("t{j}.html"));
        let o = sapu(&[
            "clean",
            "-q",
            &examples(),
            "-o",
            tmp.path().join(format!("o{j}")).to_str().unwrap(),
            "-j",
            j,
            "--report",
            path.to_str().unwrap(),
            "--report-sample",
            "2",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        fs::read(path).unwrap()
    };
    assert_eq!(report("1"), report("3"));
}

#[test]
fn the_report_is_never_written_into_an_input() {
    let tmp = tempfile::tempdir().unwrap();
    let news = tmp.path().join("news");
    fs::create_dir(&news).unwrap();
    fs::write(news.join("a.txt"), golden("seed-001-voa", "input.txt")).unwrap();
    let inside = news.join("report.html");
    for args in [
        vec![
            "clean",
            news.to_str().unwrap(),
            "-o",
            tmp.path().join("o").to_str().unwrap(),
        ],
        vec!["diff-rules", "default", "default", news.to_str().unwrap()],
        vec!["check", news.to_str().unwrap()],
    ] {
        let mut args = args.clone();
        args.extend(["--report", inside.to_str().unwrap()]);
        let o = sapu(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("sapu never writes into its input; choose another --report"),
            "{}",
            stderr(&o)
        );
        assert!(!inside.exists());
    }
    // The input file itself.
    let file = news.join("a.txt");
    let o = sapu(&[
        "clean",
        file.to_str().unwrap(),
        "--report",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        golden("seed-001-voa", "input.txt")
    );
}

const EXTRA_RULE: &str = r#"
[[rule]]
id = "site.kabul"
kind = "line"
description = "Lines naming Kabul (a rule for the test)."
contains = ["Kabul"]
max_chars = 400
keep_sentences = false
examples.drop = ["Berita dari Kabul"]
examples.keep = ["Berita dari Jakarta"]
"#;

#[test]
fn diff_rules_counts_changed_lines_and_says_so_in_its_exit_code() {
    let tmp = tempfile::tempdir().unwrap();
    let extra = tmp.path().join("extra.toml");
    fs::write(&extra, EXTRA_RULE).unwrap();
    let report = tmp.path().join("diff.html");

    let same = sapu(&["diff-rules", "default", "default", &examples()]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    assert!(stderr(&same).contains("5 documents compared, 0 with changes"));

    let o = sapu(&[
        "diff-rules",
        "default",
        extra.to_str().unwrap(),
        "--with-defaults",
        &examples(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("lines newly dropped, 0 newly kept"), "{err}");
    assert!(err.contains("site.kabul"), "{err}");
    let data = report_data(&report);
    assert_eq!(data["mode"], "diff");
    assert_eq!(data["sides"][1], format!("default + {}", extra.display()));
    let newly = data["diff"]["newlyDropped"].as_u64().unwrap();
    assert!(newly > 0);
    // Every changed line of the report is one the new rule drops.
    let mut changed = 0;
    for doc in data["docs"].as_array().unwrap() {
        for l in doc["lines"].as_array().unwrap() {
            if l.get("b").is_some() {
                changed += 1;
                assert!(l["t"].as_str().unwrap().contains("Kabul"), "{l}");
                assert_eq!(l["b"]["a"], "keep");
                assert_eq!(
                    data["rules"][l["d"]["r"].as_u64().unwrap() as usize]["id"],
                    "site.kabul"
                );
            }
        }
    }
    assert_eq!(changed, newly);

    // The other way round, the same lines are newly kept.
    let back = sapu(&[
        "diff-rules",
        extra.to_str().unwrap(),
        "default",
        "--with-defaults",
        &examples(),
    ]);
    assert_eq!(back.status.code(), Some(1));
    assert!(stderr(&back).contains(&format!("0 lines newly dropped, {newly} newly kept")));
}

#[test]
fn check_reports_failing_cases_expected_beside_actual() {
    let tmp = tempfile::tempdir().unwrap();
    for case in ["seed-001-voa", "seed-004-idntimes"] {
        let dir = tmp.path().join("cases").join(case);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("input.txt"), golden(case, "input.txt")).unwrap();
        fs::write(dir.join("expected.txt"), golden(case, "expected.txt")).unwrap();
    }
    // Break one: its expected text keeps a promo line the rules drop.
    let broken = tmp.path().join("cases/seed-004-idntimes/expected.txt");
    let promo = "Baca Juga: Rusia Serang Mal di Ukraina saat Jam Ramai, 13 Warga Sipil Tewas";
    let expected = golden("seed-004-idntimes", "expected.txt").replace(
        "\n\n1. Rusia coba",
        &format!("\n\n{promo}\n\n1. Rusia coba"),
    );
    fs::write(&broken, expected).unwrap();
    let report = tmp.path().join("check.html");
    let o = sapu(&[
        "check",
        tmp.path().join("cases").to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let data = report_data(&report);
    assert_eq!(data["mode"], "check");
    assert_eq!(data["documents"], 2);
    assert_eq!(data["offered"], 1);
    let doc = &data["docs"][0];
    assert_eq!(doc["name"], "seed-004-idntimes");
    let differing: Vec<&serde_json::Value> = doc["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l.get("b").is_some())
        .collect();
    assert_eq!(differing.len(), 1, "{differing:?}");
    assert_eq!(differing[0]["t"], promo);
    assert_eq!(differing[0]["b"]["a"], "keep");
    assert_eq!(differing[0]["d"]["a"], "drop");
}

// Found by a black-box sweep: a directory that gave diff-rules no document
// (empty, or JSON only) compared nothing and passed, exit 0: a CI gate
// on a wrong path let every rule change through.
#[test]
fn diff_rules_over_a_directory_without_documents_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    let json = tmp.path().join("json");
    fs::create_dir(&empty).unwrap();
    fs::create_dir(&json).unwrap();
    fs::write(json.join("a.json"), "{\"x\":1}\n").unwrap();
    for dir in [&empty, &json] {
        let o = sapu(&["diff-rules", "default", "default", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("no file matches *.txt"),
            "{}",
            stderr(&o)
        );
    }
}

// Found by a black-box sweep: diff-rules named one bad line per worker's
// share of a batch (7 of 9 at -j 1, which ones depending on the content),
// in the order the workers finished; `sapu clean` names them all, in
// order.
#[test]
fn diff_rules_names_every_bad_line_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let shard = tmp.path().join("f.jsonl");
    let good = r#"{"id":"a","text":"Baca Juga: x\nHello world this is a real sentence of article text here."}"#;
    let lines = [
        good,
        r#"{"id":"b"}"#,
        r#"{"id":"c","text":null}"#,
        r#"{"id":"d","text":42}"#,
        r#"{"id":"e","text":["x"]}"#,
        r#"{"id":"f","text":{"a":1}}"#,
        good,
        r#"{"id":"h","text":"a","text":"b"}"#,
        "[1,2]",
        "{bad json",
    ];
    fs::write(&shard, lines.join("\n") + "\n").unwrap();
    for threads in ["1", "2"] {
        let o = sapu(&[
            "diff-rules",
            "default",
            "default",
            shard.to_str().unwrap(),
            "-q",
            "-j",
            threads,
        ]);
        let named: Vec<String> = stderr(&o)
            .lines()
            .filter_map(|l| l.split("f.jsonl:").nth(1))
            .filter_map(|rest| rest.split(':').next().map(str::to_string))
            .collect();
        assert_eq!(
            named,
            ["2", "3", "4", "5", "6", "8", "9", "10"],
            "-j {threads}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn one_document_is_counted_in_the_singular() {
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("page.txt");
    fs::write(
        &page,
        "Judul\n\nIsi berita yang panjang dan lengkap di sini.\n",
    )
    .unwrap();
    let report = tmp.path().join("r.html");
    let o = sapu(&[
        "clean",
        page.to_str().unwrap(),
        "-o",
        tmp.path().join("out.txt").to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("(1 of 1 document, "), "{}", stderr(&o));
    let o = sapu(&["diff-rules", "default", "default", page.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("sapu: 1 document compared, 0 with changes"),
        "{}",
        stderr(&o)
    );
}
