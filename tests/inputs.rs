//! What `sapu clean` takes from a directory walk and from stdin, and that
//! an input it cannot use is said, never skipped silently.

use std::fs;
use std::io::Write;
use std::path::Path;

mod common;
use common::{golden, sapu, sapu_stdin, stderr, stdout};

fn record(id: &str, case: &str) -> String {
    let text = serde_json::to_string(&golden(case, "input.txt")).unwrap();
    format!("{{\"id\":\"{id}\",\"text\":{text}}}\n")
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_directory_of_shards_is_cleaned_without_format() {
    let tmp = tempfile::tempdir().unwrap();
    let crawl = tmp.path().join("crawl");
    fs::create_dir_all(crawl.join("sub")).unwrap();
    fs::write(crawl.join("a.jsonl"), record("a", "seed-001-voa")).unwrap();
    fs::write(
        crawl.join("sub/b.jsonl.gz"),
        gzip(record("b", "seed-003-suara").as_bytes()),
    )
    .unwrap();
    fs::write(crawl.join("c.txt"), golden("seed-000-hanter", "input.txt")).unwrap();
    let out = tmp.path().join("out");
    let o = sapu(&["clean", s(&crawl), "-o", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("sapu: 3 documents"),
        "{}",
        stderr(&o)
    );
    assert!(out.join("a.jsonl").is_file());
    assert!(out.join("sub/b.jsonl.gz").is_file());
    assert_eq!(
        fs::read_to_string(out.join("c.txt")).unwrap(),
        golden("seed-000-hanter", "expected.txt")
    );
}

#[test]
fn a_walk_that_finds_no_document_says_what_it_found() {
    let tmp = tempfile::tempdir().unwrap();
    let crawl = tmp.path().join("crawl");
    fs::create_dir_all(&crawl).unwrap();
    fs::write(crawl.join("a.jsonl"), record("a", "seed-001-voa")).unwrap();
    fs::write(crawl.join("b.jsonl"), record("b", "seed-001-voa")).unwrap();
    let out = tmp.path().join("out");
    let o = sapu(&["clean", "--format", "text", s(&crawl), "-o", s(&out)]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("no file matches *.txt"), "{err}");
    assert!(err.contains("2 × .jsonl"), "{err}");
    assert!(err.contains("--format jsonl"), "{err}");

    // --glob that matches nothing: the same.
    let o = sapu(&["clean", "--glob", "*.md", s(&crawl), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no file matches *.md"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn unsupported_and_skipped_inputs_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let parquet = tmp.path().join("part-0.parquet");
    fs::write(&parquet, b"PAR1\x15\x00\x15\x1c\x2c\x00\x00PAR1").unwrap();
    let o = sapu(&[
        "clean",
        s(&parquet),
        "-o",
        s(&tmp.path().join("out.parquet")),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("part-0.parquet") && err.contains("Parquet"),
        "{err}"
    );

    // Every input skipped as binary: nothing was cleaned, and the run says so.
    let binary = tmp.path().join("photo.txt");
    fs::write(&binary, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").unwrap();
    let o = sapu(&["clean", s(&binary), "-o", s(&tmp.path().join("out2.txt"))]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("nothing was cleaned"), "{err}");
}

#[test]
fn compressed_text_on_stdin_is_read() {
    let page = golden("seed-002-kompastv", "input.txt");
    let o = sapu_stdin(&["clean", "-q", "-"], &gzip(page.as_bytes()));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), golden("seed-002-kompastv", "expected.txt"));
    let o = sapu_stdin(
        &["clean", "-q", "-"],
        &zstd::encode_all(page.as_bytes(), 3).unwrap(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), golden("seed-002-kompastv", "expected.txt"));

    // A compressed file named as text is an error that says what to do.
    let tmp = tempfile::tempdir().unwrap();
    let gz = tmp.path().join("page.txt.gz");
    fs::write(&gz, gzip(page.as_bytes())).unwrap();
    let o = sapu(&["clean", s(&gz)]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("gzip") && err.contains("decompress"), "{err}");
}

#[cfg(unix)]
#[test]
fn symlinked_files_in_a_walk_are_cleaned_and_directories_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let tree = tmp.path().join("tree");
    fs::create_dir_all(store.join("more")).unwrap();
    fs::create_dir_all(&tree).unwrap();
    fs::write(store.join("page.txt"), golden("seed-001-voa", "input.txt")).unwrap();
    fs::write(
        store.join("more/x.txt"),
        golden("seed-003-suara", "input.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(store.join("page.txt"), tree.join("linked.txt")).unwrap();
    std::os::unix::fs::symlink(store.join("more"), tree.join("more")).unwrap();
    fs::write(tree.join("own.txt"), golden("seed-000-hanter", "input.txt")).unwrap();
    let out = tmp.path().join("out");
    let o = sapu(&["clean", s(&tree), "-o", s(&out)]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert_eq!(
        fs::read_to_string(out.join("linked.txt")).unwrap(),
        golden("seed-001-voa", "expected.txt")
    );
    assert!(!out.join("more").exists());
    assert!(
        err.contains("symbolic link to a directory") && err.contains("more"),
        "{err}"
    );
}

// Found by a black-box sweep: a directory copied from Windows or FAT media
// (`A.TXT`, `S.JSONL`) held no document for the walk, which then said the
// folder held "1 × .txt" and to give the --format already given; a file so
// named, given on its own, was read by its extension in either case.
#[test]
fn the_default_walk_takes_extensions_in_either_case() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("A.TXT"), golden("seed-001-voa", "input.txt")).unwrap();
    fs::write(dir.join("S.JSONL"), record("s", "seed-003-suara") + "\n").unwrap();
    let out = tmp.path().join("out");
    let o = sapu(&["clean", s(&dir), "-o", s(&out), "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(out.join("A.TXT")).unwrap(),
        golden("seed-001-voa", "expected.txt")
    );
    assert!(out.join("S.JSONL").exists());
    // A glob of the user's matches the case as written, and the message
    // names the extensions as they are.
    let o = sapu(&[
        "clean",
        s(&dir),
        "-o",
        s(&tmp.path().join("o2")),
        "--glob",
        "*.txt",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("1 × .TXT"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--glob '*.TXT'"), "{}", stderr(&o));
}

// Found by a black-box sweep: a gzip stream given by path (a pipe, as
// `<(gzip -c shard.jsonl)` gives) was read as text, every line a bad
// record "invalid UTF-8"; on stdin the same stream was decompressed.
#[cfg(unix)]
#[test]
fn a_compressed_stream_through_a_pipe_is_recognized() {
    let tmp = tempfile::tempdir().unwrap();
    let pipe = tmp.path().join("shard");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .unwrap();
    assert!(made.success());
    let shard = record("a", "seed-003-suara") + "\n";
    let packed = gzip(shard.as_bytes());
    let writer = {
        let pipe = pipe.clone();
        std::thread::spawn(move || fs::write(pipe, packed).unwrap())
    };
    let o = sapu(&["clean", "--format", "jsonl", s(&pipe), "-q"]);
    writer.join().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let plain = sapu_stdin(&["clean", "--format", "jsonl", "-", "-q"], shard.as_bytes());
    assert_eq!(stdout(&o), stdout(&plain));
}

// Found by a black-box sweep: a pipe named like a document in a walked
// directory was skipped without a word.
#[cfg(unix)]
#[test]
fn a_pipe_among_the_documents_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("a.txt"), golden("seed-001-voa", "input.txt")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("pipe.txt"))
        .status()
        .unwrap();
    assert!(made.success());
    let o = sapu(&["clean", s(&dir), "-o", s(&tmp.path().join("out")), "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("pipe.txt: not a regular file (a pipe, a socket or a device), skipped"),
        "{}",
        stderr(&o)
    );
}
