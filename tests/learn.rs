//! `sapu learn`, then `sapu check-rules` and `sapu clean --rules` on what
//! it wrote, as a user runs them.

use std::fs;
use std::path::Path;

mod common;
use common::{sapu, stderr};

const NAV: &str = "Beranda Nasional Ekonomi Olahraga";
const FOOTER: &str = "Hak cipta © 2024 Warta Contoh. Dilarang mengutip tanpa izin";
const TOPICS: [&str; 4] = ["banjir", "pemilu", "harga beras", "sepak bola"];

/// 20 documents sharing a nav line, a footer and "Baca Juga:" promos, each
/// with its own article sentences; one repeated sentence in every document.
fn make_corpus(dir: &Path) {
    for i in 0..20 {
        let topic = TOPICS[i % TOPICS.len()];
        let sub = dir.join(format!("part{}", i % 2));
        fs::create_dir_all(&sub).unwrap();
        let text = format!(
            "Berita {topic} hari ke-{i}\n\n{NAV}\n\n\
             Warga kota melaporkan perkembangan {topic} yang ke-{i} kepada wartawan kemarin sore.\n\n\
             Baca Juga: Kabar {topic} lain edisi {i}\n\n\
             Pemerintah daerah berjanji menanggapi laporan {topic} itu dalam waktu dekat, ujarnya.\n\n\
             Redaksi menerima kiriman tulisan pembaca melalui surel setiap hari kerja.\n\n\
             {FOOTER}\n"
        );
        fs::write(sub.join(format!("doc{i:02}.txt")), text).unwrap();
    }
    fs::write(dir.join("notes.md"), format!("{NAV}\n")).unwrap();
}

#[test]
fn learns_furniture_that_check_rules_accepts_and_clean_removes() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    make_corpus(&corpus);
    let learned = tmp.path().join("learned.toml");
    let o = sapu(&[
        "learn",
        corpus.to_str().unwrap(),
        "-o",
        learned.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("20 documents"), "{}", stderr(&o));
    let rules = fs::read_to_string(&learned).unwrap();

    // The shared lines, with their counts and example documents.
    let nav_at = rules.find(&format!("  \"{NAV}\",")).expect(&rules);
    assert!(rules[..nav_at].ends_with(&format!(
        "# 20 documents, e.g. {}, {}, {}\n",
        corpus.join("part0/doc02.txt").display(),
        corpus.join("part0/doc04.txt").display(),
        corpus.join("part0/doc06.txt").display()
    )));
    assert!(rules.contains(&format!("  \"{FOOTER}\",")), "{rules}");
    assert!(rules.contains("  \"Baca Juga:\","), "{rules}");
    assert!(rules.contains("id = \"learned.prefixes\""), "{rules}");
    // No article text, not even the sentence every document repeats.
    assert!(!rules.contains("Warga kota"), "{rules}");
    assert!(!rules.contains("Redaksi menerima"), "{rules}");
    assert!(!rules.contains("learned.sentences"), "{rules}");

    let o = sapu(&["check-rules", learned.to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stderr(&o), rules);

    let out = tmp.path().join("clean");
    let o = sapu(&[
        "clean",
        "-q",
        "--no-default-rules",
        "--rules",
        learned.to_str().unwrap(),
        corpus.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let cleaned = fs::read_to_string(out.join("part1/doc07.txt")).unwrap();
    assert_eq!(
        cleaned,
        "Berita sepak bola hari ke-7\n\n\
         Warga kota melaporkan perkembangan sepak bola yang ke-7 kepada wartawan kemarin sore.\n\n\
         Pemerintah daerah berjanji menanggapi laporan sepak bola itu dalam waktu dekat, ujarnya.\n\n\
         Redaksi menerima kiriman tulisan pembaca melalui surel setiap hari kerja.\n"
    );
}

#[test]
fn include_sentences_proposes_the_repeated_sentence_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    make_corpus(&corpus);
    let learned = tmp.path().join("learned.toml");
    let o = sapu(&[
        "learn",
        "-q",
        "--include-sentences",
        corpus.to_str().unwrap(),
        "-o",
        learned.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rules = fs::read_to_string(&learned).unwrap();
    let sentences = rules.find("id = \"learned.sentences\"").expect(&rules);
    assert!(rules[sentences..].contains("\"Redaksi menerima"), "{rules}");
    assert!(!rules.contains("Warga kota"), "{rules}");
    let o = sapu(&["check-rules", learned.to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stderr(&o), rules);
}

#[test]
fn a_tiny_counter_prunes_says_so_and_still_finds_the_furniture() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    make_corpus(&corpus);
    let learned = tmp.path().join("learned.toml");
    let o = sapu(&[
        "learn",
        "--max-entries",
        "6",
        corpus.to_str().unwrap(),
        "-o",
        learned.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("counts are lower bounds"),
        "{}",
        stderr(&o)
    );
    let rules = fs::read_to_string(&learned).unwrap();
    assert!(
        rules.contains("# APPROXIMATE: the counter was full"),
        "{rules}"
    );
    assert!(rules.contains(&format!("  \"{NAV}\",")), "{rules}");
    assert!(rules.contains(&format!("  \"{FOOTER}\",")), "{rules}");
    let o = sapu(&["check-rules", learned.to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stderr(&o), rules);
}

#[test]
fn output_is_identical_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    make_corpus(&corpus);
    let run = |threads: &str| {
        let o = sapu(&["learn", "-q", "-j", threads, corpus.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        o.stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("3"));
}

#[test]
fn a_missing_input_is_an_error_and_the_rest_is_learned() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    make_corpus(&corpus);
    let missing = tmp.path().join("nope");
    let o = sapu(&[
        "learn",
        "-q",
        missing.to_str().unwrap(),
        corpus.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no such file or directory"));
    assert!(String::from_utf8_lossy(&o.stdout).contains(NAV));
}

/// The documents of [`make_corpus`] as JSON Lines records, the text in
/// `field`.
fn corpus_records(field: &str) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    make_corpus(tmp.path());
    let mut records = Vec::new();
    for i in 0..20 {
        let path = tmp.path().join(format!("part{}/doc{i:02}.txt", i % 2));
        let text = fs::read_to_string(path).unwrap();
        records
            .push(serde_json::json!({"id": format!("doc{i:02}"), field: text}).to_string() + "\n");
    }
    records
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn learns_from_jsonl_shards_as_clean_reads_them() {
    let tmp = tempfile::tempdir().unwrap();
    let crawl = tmp.path().join("crawl");
    fs::create_dir_all(crawl.join("sub")).unwrap();
    let records = corpus_records("text");
    fs::write(crawl.join("a.jsonl"), records[..10].concat()).unwrap();
    fs::write(
        crawl.join("sub/b.jsonl.gz"),
        gzip(records[10..].concat().as_bytes()),
    )
    .unwrap();
    let learned = tmp.path().join("learned.toml");
    // A directory of shards, by name, without --format.
    let o = sapu(&[
        "learn",
        crawl.to_str().unwrap(),
        "-o",
        learned.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("20 documents"), "{}", stderr(&o));
    let rules = fs::read_to_string(&learned).unwrap();
    assert!(rules.contains(&format!("  \"{NAV}\",")), "{rules}");
    assert!(rules.contains(&format!("  \"{FOOTER}\",")), "{rules}");
    // Example documents are named FILE:ID.
    let a = crawl.join("a.jsonl").display().to_string();
    assert!(
        rules.contains(&format!(
            "# 20 documents, e.g. {a}:doc01, {a}:doc02, {a}:doc03\n"
        )),
        "{rules}"
    );
    assert!(!rules.contains("Warga kota"), "{rules}");

    // Another text field; and stdin, compressed, with --format jsonl.
    let body = tmp.path().join("body.jsonl");
    fs::write(&body, corpus_records("body").concat()).unwrap();
    let o = sapu(&["learn", "--text-field", "body", body.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(common::stdout(&o).contains(NAV));
    let o = common::sapu_stdin(
        &["learn", "--format", "jsonl", "-"],
        &gzip(records.concat().as_bytes()),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(common::stdout(&o).contains(NAV), "{}", stderr(&o));
}

#[test]
fn an_input_learn_cannot_use_is_an_error_not_an_empty_file() {
    let tmp = tempfile::tempdir().unwrap();
    let shard = tmp.path().join("a.jsonl");
    fs::write(&shard, corpus_records("text").concat()).unwrap();
    let learned = tmp.path().join("learned.toml");
    // The text is not where --text-field says: every record is bad.
    let o = sapu(&[
        "learn",
        "--text-field",
        "content",
        shard.to_str().unwrap(),
        "-o",
        learned.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("a.jsonl:1") && err.contains("no \"content\" field"),
        "{err}"
    );
    assert!(err.contains("no document"), "{err}");
    assert!(!learned.exists());

    // A Parquet file, and a directory with nothing to take.
    let parquet = tmp.path().join("x.parquet");
    fs::write(&parquet, b"PAR1\x00\x00PAR1").unwrap();
    let o = sapu(&["learn", parquet.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("Parquet"), "{}", stderr(&o));
    let empty = tmp.path().join("empty");
    fs::create_dir_all(&empty).unwrap();
    fs::write(empty.join("notes.md"), "x").unwrap();
    let o = sapu(&["learn", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("no file matches"), "{}", stderr(&o));

    // Some bad records among good ones: reported, the rest learned, exit 3.
    let mut lines = corpus_records("text");
    lines.insert(3, "{oops\n".into());
    fs::write(&shard, lines.concat()).unwrap();
    let o = sapu(&[
        "learn",
        shard.to_str().unwrap(),
        "-o",
        learned.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("a.jsonl:4: malformed JSON"), "{err}");
    assert!(fs::read_to_string(&learned).unwrap().contains(NAV));
}

// `sapu learn -o` wrote the rule file over a document of the corpus it
// read (exit 0).
#[test]
fn the_rule_file_is_never_written_into_the_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    make_corpus(&corpus);
    let victim = corpus.join("part0/doc00.txt");
    let before = fs::read_to_string(&victim).unwrap();
    for (input, out) in [
        (corpus.clone(), victim.clone()),
        (corpus.clone(), corpus.join("learned.toml")),
        (victim.clone(), victim.clone()),
    ] {
        let o = sapu(&[
            "learn",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "-q",
        ]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("never writes into its input"), "{err}");
    }
    assert_eq!(fs::read_to_string(&victim).unwrap(), before);
    assert!(!corpus.join("learned.toml").exists());
}

// `--min-docs 1` ran as 2 (the file's header said "at least 2 documents
// (--min-docs 1 ...)"): a line of one document is not furniture, and the
// flag now says so instead of being changed behind the user's back.
#[test]
fn min_docs_below_two_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    make_corpus(&corpus);
    for n in ["0", "1"] {
        let o = sapu(&["learn", corpus.to_str().unwrap(), "--min-docs", n]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("--min-docs"), "{}", stderr(&o));
    }
    let o = sapu(&["learn", corpus.to_str().unwrap(), "--min-docs", "2", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
}
