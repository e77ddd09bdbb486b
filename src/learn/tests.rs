use super::*;
use crate::check::check_examples;
use crate::rules::{ParsedRule, RuleSource, parse_source};

fn doc(name: &str, text: &str) -> ScannedDoc {
    scan(name.into(), text, ScanOptions::default())
}

fn count(docs: &[(&str, String)], max_entries: usize) -> Counter {
    let mut c = Counter::new(max_entries);
    for (name, text) in docs {
        c.add(&doc(name, text));
    }
    c
}

fn corpus(n: usize) -> Vec<(&'static str, String)> {
    (0..n)
        .map(|i| {
            (
                "doc",
                format!(
                    "Judul Berita Nomor {i}\n\nBeranda | Berita | Olahraga\n\n\
                     Presiden membuka rapat ke-{i} di istana negara pada hari Senin pagi.\n\n\
                     Baca Juga: Artikel lain nomor {i}\n\n-\n\n\
                     Copyright © 2024 Contoh Media\n"
                ),
            )
        })
        .collect()
}

#[test]
fn prefixes_are_short_labels_followed_by_text() {
    assert_eq!(line_prefix("Baca Juga: Judul lain"), Some("Baca Juga:"));
    assert_eq!(line_prefix("Sumber : Antara"), Some("Sumber :"));
    assert_eq!(
        line_prefix("Foto：Reuters"),
        None,
        "no space after the colon"
    );
    assert_eq!(line_prefix("Pukul 10:30 WIB"), None);
    assert_eq!(line_prefix("Lihat https://contoh.id"), None);
    assert_eq!(line_prefix("Baca Juga:"), None, "nothing follows");
    assert_eq!(line_prefix("12: tiga"), None, "no letter in the label");
    assert_eq!(
        line_prefix("Menurut juru bicara kementerian itu: tidak ada"),
        None,
        "five words are a sentence start, not a label"
    );
}

#[test]
fn counts_each_line_once_per_document() {
    let c = count(
        &[
            ("a", "Beranda\nBeranda\nBeranda\n".into()),
            ("b", "Beranda\n".into()),
        ],
        100,
    );
    let learned = c.propose(&ProposeOptions {
        min_docs: 2,
        min_share: 0.0,
        include_sentences: false,
    });
    assert_eq!(learned.lines.len(), 1);
    assert_eq!(learned.lines[0].text, "Beranda");
    assert_eq!(learned.lines[0].documents, 2);
}

#[test]
fn finds_furniture_and_spares_sentences() {
    let c = count(&corpus(20), 10_000);
    assert_eq!(c.documents(), 20);
    let learned = c.propose(&ProposeOptions::default());
    let lines: Vec<_> = learned
        .lines
        .iter()
        .map(|f| (f.text.as_str(), f.documents))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("Beranda | Berita | Olahraga", 20),
            ("Copyright © 2024 Contoh Media", 20)
        ]
    );
    let prefixes: Vec<_> = learned.prefixes.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(prefixes, vec!["Baca Juga:"]);
    assert!(learned.sentences.is_empty());
    assert_eq!(learned.lines[0].examples.len(), MAX_EXAMPLES);
}

#[test]
fn include_sentences_lists_them_apart() {
    let docs: Vec<_> = (0..6)
        .map(|i| {
            (
                "d",
                format!(
                    "Isi artikel nomor {i} yang unik sekali dan panjang.\n\
                     Redaksi tidak bertanggung jawab atas isi komentar pembaca di situs ini.\n"
                ),
            )
        })
        .collect();
    let mut c = Counter::new(1000);
    for (name, text) in &docs {
        c.add(&scan(
            (*name).into(),
            text,
            ScanOptions {
                include_sentences: true,
            },
        ));
    }
    let learned = c.propose(&ProposeOptions {
        include_sentences: true,
        ..Default::default()
    });
    assert!(learned.lines.is_empty());
    assert_eq!(learned.sentences.len(), 1);
    assert!(learned.sentences[0].text.starts_with("Redaksi"));
}

#[test]
fn share_raises_the_threshold() {
    let c = count(&corpus(20), 10_000);
    let learned = c.propose(&ProposeOptions {
        min_docs: 1,
        min_share: 0.5,
        include_sentences: false,
    });
    assert_eq!(learned.min_documents, 10);
}

#[test]
fn pruning_keeps_the_map_under_the_cap_and_the_frequent_lines() {
    // Each document has 3 unique lines and 2 shared ones; a cap of 8 forces
    // many pruning rounds.
    let docs: Vec<_> = (0..200)
        .map(|i| {
            (
                "d",
                format!("Unik {i} a\nUnik {i} b\nUnik {i} c\nBeranda\nKontak Kami\n"),
            )
        })
        .collect();
    let mut c = Counter::new(8);
    for (name, text) in &docs {
        c.add(&doc(name, text));
        assert!(c.len() <= 8);
    }
    let pruning = c.pruning();
    assert!(pruning.rounds > 10, "{pruning:?}");
    let learned = c.propose(&ProposeOptions::default());
    let lines: Vec<_> = learned.lines.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(lines, vec!["Beranda", "Kontak Kami"]);
    for f in &learned.lines {
        assert!(f.documents <= 200);
        assert!(
            f.documents + pruning.max_undercount >= 200,
            "{f:?} {pruning:?}"
        );
    }
}

#[test]
fn same_corpus_same_bytes_and_examples_pass() {
    let a = rulefile::render(&count(&corpus(20), 10_000).propose(&ProposeOptions::default()));
    let b = rulefile::render(&count(&corpus(20), 10_000).propose(&ProposeOptions::default()));
    assert_eq!(a, b);
    assert!(a.contains("# 20 documents, e.g. doc, doc, doc\n  \"Beranda | Berita | Olahraga\","));
    assert_examples_pass(&a, 2);
}

fn assert_examples_pass(toml_text: &str, rules: usize) -> Vec<ParsedRule> {
    let source = RuleSource {
        name: "learned.toml".into(),
        text: toml_text.to_string(),
    };
    let parsed: Vec<ParsedRule> = parse_source(&source)
        .unwrap_or_else(|e| panic!("{e}\n{toml_text}"))
        .into_iter()
        .map(|(line, spec)| ParsedRule {
            file: "learned.toml".into(),
            line,
            spec,
        })
        .collect();
    assert_eq!(parsed.len(), rules, "{toml_text}");
    let (_, failures) = check_examples(&parsed);
    assert!(failures.is_empty(), "{failures:?}\n{toml_text}");
    parsed
}

#[test]
fn awkward_text_is_escaped_and_round_trips() {
    let awkward = [
        r#"Klik "di sini" \ atau 'sana'"#,
        "Tiga ''' kutip dan \"\"\" ganda",
        "Ünïcödé — «Berita» 📰",
        "# bukan komentar",
    ];
    let docs: Vec<_> = (0..5)
        .map(|i| {
            (
                "d\nnew line name",
                format!("Unik {i}\n{}\n", awkward.join("\n")),
            )
        })
        .collect();
    let text = rulefile::render(&count(&docs, 1000).propose(&ProposeOptions::default()));
    assert!(text.contains("e.g. d?new line name"), "{text}");
    let parsed = assert_examples_pass(&text, 1);
    let mut exact = parsed[0].spec.exact.clone();
    exact.sort();
    let mut want: Vec<_> = awkward.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(exact, want);
}

#[test]
fn an_empty_result_is_a_valid_empty_rule_file() {
    let text = rulefile::render(&count(&corpus(2), 1000).propose(&ProposeOptions::default()));
    assert!(text.contains("no rules"));
    assert_examples_pass(&text, 0);
}

#[test]
fn one_document_is_counted_in_the_singular() {
    let one = ProposeOptions {
        min_docs: 1,
        ..Default::default()
    };
    let text = rulefile::render(&count(&corpus(1), 1000).propose(&one));
    assert!(text.contains("from 1 document:"), "{text}");
    let text = rulefile::render(&count(&corpus(2), 1000).propose(&ProposeOptions::default()));
    assert!(text.contains("from 2 documents:"), "{text}");
}
