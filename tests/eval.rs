//! `sapu eval` says what it could not score.

use std::fs;

mod common;
use common::{sapu, stderr, stdout};

#[test]
fn says_which_snippets_and_pages_it_did_not_score() {
    let tmp = tempfile::tempdir().unwrap();
    let (raw, expect) = (tmp.path().join("raw"), tmp.path().join("expect"));
    fs::create_dir_all(&raw).unwrap();
    fs::create_dir_all(&expect).unwrap();
    let page = "Judul Berita\n\nPemerintah mengumumkan kebijakan baru pada hari Senin yang akan berlaku bulan depan.\n\nBaca Juga: Berita lain\n";
    fs::write(raw.join("a.txt"), page).unwrap();
    fs::write(raw.join("b.txt"), page).unwrap();
    fs::write(
        expect.join("a.json"),
        r#"{"with": ["kebijakan baru pada hari Senin", "a sentence that is not on the page"],
            "without": ["Baca Juga: Berita lain", "a menu that is not on the page"]}"#,
    )
    .unwrap();
    let o = sapu(&[
        "eval",
        raw.to_str().unwrap(),
        expect.to_str().unwrap(),
        "--per-page",
    ]);
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(o.status.success(), "{err}");
    // The snippets that are not on the raw page are not the cleaner's
    // doing: said, and not scored.
    assert!(!out.contains("LOST"), "{out}");
    assert!(
        err.contains("a sentence that is not on the page") && err.contains("not in the raw page"),
        "{err}"
    );
    assert!(err.contains("a menu that is not on the page"), "{err}");
    assert!(
        out.contains("1 pages: with kept 1.000, without removed 1.000")
            || out.contains("1 page: with kept 1.000, without removed 1.000"),
        "{out}"
    );
    // The page without an expectation file is named.
    assert!(err.contains("b.txt") && err.contains("not scored"), "{err}");

    // A broken expectation file is named and its page left out; the other
    // pages are scored, and the exit code says an input was unusable.
    fs::write(expect.join("b.json"), "{\"with\": [\"x\"").unwrap();
    let o = sapu(&["eval", raw.to_str().unwrap(), expect.to_str().unwrap()]);
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("b.json: EOF while parsing") && err.contains("its page is not scored"),
        "{err}"
    );
    assert!(out.contains("1 page: with kept 1.000"), "{out}");
}

/// Golden cases are labelled pages: their expected text is the content.
#[test]
fn scores_golden_cases_line_by_line() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("cases/one");
    fs::create_dir_all(&case).unwrap();
    fs::write(
        case.join("input.txt"),
        "Beranda\nBerita\n\nJudul Berita Hari Ini\n\nPemerintah mengumumkan kebijakan baru pada hari Senin yang akan berlaku bulan depan.\n\nBaca Juga: Berita lain\n\nMenu\n",
    )
    .unwrap();
    // The content as a person would mark it.
    fs::write(
        case.join("expected.txt"),
        "Judul Berita Hari Ini\n\nPemerintah mengumumkan kebijakan baru pada hari Senin yang akan berlaku bulan depan.\n",
    )
    .unwrap();
    fs::write(
        case.join("meta.json"),
        r#"{"dataset": "mine", "page_type": "article", "lang": "id"}"#,
    )
    .unwrap();
    let o = sapu(&[
        "eval",
        tmp.path().join("cases").to_str().unwrap(),
        "--all-rules",
        "--per-page",
    ]);
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(o.status.success(), "{err}");
    assert!(out.contains("| mine type=article | 1 |"), "{out}");
    assert!(out.contains("| mine lang=id | 1 |"), "{out}");
    assert!(out.contains("| promo.baca-juga | 1 | 1.000 |"), "{out}");
    // The shares agree with the lines listed as lost (of 2 content lines)
    // and left (of 4 boilerplate lines).
    let row: Vec<f64> = out
        .lines()
        .find(|l| l.starts_with("| all | 1 |"))
        .map(|l| l.split('|').filter_map(|v| v.trim().parse().ok()).collect())
        .unwrap();
    let (lost, left) = (
        out.matches("    LOST ").count(),
        out.matches("    LEFT ").count(),
    );
    assert_eq!(row[1], (2 - lost) as f64 / 2.0, "{out}");
    assert_eq!(row[2], (4 - left) as f64 / 4.0, "{out}");
}

// `sapu eval --json` wrote its report over whatever path it was given,
// a case's own expected.txt or input.txt, or a snippet page's
// expectation, with exit 0.
#[test]
fn the_json_report_is_never_written_into_the_inputs() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("cases/one");
    fs::create_dir_all(&case).unwrap();
    let input = "Beranda\n\nJudul Berita Hari Ini\n\nPemerintah mengumumkan kebijakan baru pada hari Senin yang akan berlaku bulan depan.\n";
    let expected = "Judul Berita Hari Ini\nPemerintah mengumumkan kebijakan baru pada hari Senin yang akan berlaku bulan depan.\n";
    fs::write(case.join("input.txt"), input).unwrap();
    fs::write(case.join("expected.txt"), expected).unwrap();
    for target in ["expected.txt", "input.txt", "report.json"] {
        let json = case.join(target);
        let o = sapu(&[
            "eval",
            tmp.path().join("cases").to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{target}: {err}");
        assert!(err.contains("never writes into its input"), "{err}");
    }
    assert_eq!(fs::read_to_string(case.join("input.txt")).unwrap(), input);
    assert_eq!(
        fs::read_to_string(case.join("expected.txt")).unwrap(),
        expected
    );
    assert!(!case.join("report.json").exists());
    let beside = tmp.path().join("report.json");
    let o = sapu(&[
        "eval",
        tmp.path().join("cases").to_str().unwrap(),
        "--json",
        beside.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(fs::read_to_string(beside).unwrap().contains("\"pages\""));
}
