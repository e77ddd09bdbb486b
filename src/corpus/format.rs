//! What a file is, from its name: plain text, JSON Lines (and how it is
//! compressed) or Parquet.

use std::path::Path;

/// How a document file is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One document per file.
    Text,
    /// One JSON object per line, the document in one of its fields.
    Jsonl,
    /// A Parquet file, the document in one of its columns.
    Parquet,
}

/// The compression of a JSONL shard, read and written as a stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// Extensions of JSON Lines files (before any compression extension).
pub const JSONL_EXTENSIONS: &[&str] = &["jsonl", "json", "ndjson"];

/// The directory-walk globs for `--format jsonl`: every JSONL extension,
/// plain, `.gz` and `.zst`.
pub fn jsonl_globs() -> Vec<String> {
    let mut globs = Vec::new();
    for ext in JSONL_EXTENSIONS {
        for comp in ["", ".gz", ".zst"] {
            globs.push(format!("*.{ext}{comp}"));
        }
    }
    globs
}

/// What a directory walk takes when no `--glob` is given: by name, text
/// documents (`*.txt`) and JSON Lines shards (`*.jsonl`, `*.ndjson`, each
/// also `.gz` and `.zst`); with `--format`, the names of that format
/// (`*.json` too for JSONL). `*.json` is not taken by default: in a tree of
/// documents it is far more often one JSON document (metadata, a config)
/// than JSON Lines.
pub fn walk_globs(format: Option<Format>) -> Vec<String> {
    match format {
        Some(Format::Text) => vec!["*.txt".to_string()],
        Some(Format::Jsonl) => jsonl_globs(),
        Some(Format::Parquet) => vec!["*.parquet".to_string()],
        None => std::iter::once("*.txt".to_string())
            .chain(
                jsonl_globs()
                    .into_iter()
                    .filter(|g| g != "*.json" && !g.starts_with("*.json.")),
            )
            .collect(),
    }
}

/// What a directory walk of `sapu clean` takes when no `--glob` is given:
/// [`walk_globs`], and Parquet files (`*.parquet`) by name too.
pub fn clean_walk_globs(format: Option<Format>) -> Vec<String> {
    let mut globs = walk_globs(format);
    if format.is_none() {
        globs.push("*.parquet".to_string());
    }
    globs
}

fn extensions(path: &Path) -> (Option<String>, Option<String>) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mut parts = name.rsplit('.');
    let last = parts.next().map(str::to_string);
    let before = parts.next().map(str::to_string);
    if name.contains('.') {
        (last, before)
    } else {
        (None, None)
    }
}

impl Compression {
    /// From the last extension: `.gz` or `.zst`.
    pub fn from_path(path: &Path) -> Compression {
        match extensions(path).0.as_deref() {
            Some("gz") => Compression::Gzip,
            Some("zst") => Compression::Zstd,
            _ => Compression::None,
        }
    }

    /// From the first bytes of a stream (for stdin, which has no name).
    pub fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }
}

impl Format {
    /// `.jsonl`, `.json`, `.ndjson`, optionally followed by `.gz` or
    /// `.zst`, are JSON Lines; `.parquet` is Parquet; everything else is
    /// text.
    pub fn from_path(path: &Path) -> Format {
        let (last, before) = extensions(path);
        let ext = match last.as_deref() {
            Some("gz" | "zst") => before,
            Some("parquet") => return Format::Parquet,
            _ => last,
        };
        match ext {
            Some(e) if JSONL_EXTENSIONS.contains(&e.as_str()) => Format::Jsonl,
            _ => Format::Text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_name() {
        for jsonl in [
            "a.jsonl",
            "b/c.json",
            "d.ndjson",
            "e.jsonl.gz",
            "f.json.zst",
            "G.JSONL.ZST",
        ] {
            assert_eq!(
                Format::from_path(Path::new(jsonl)),
                Format::Jsonl,
                "{jsonl}"
            );
        }
        for text in [
            "a.txt",
            "jsonl",
            "a.gz",
            "a.txt.zst",
            "a.jsonl.txt",
            "a.parquet.txt",
            "parquet",
        ] {
            assert_eq!(Format::from_path(Path::new(text)), Format::Text, "{text}");
        }
        for parquet in ["a.parquet", "d/PART-0.PARQUET"] {
            assert_eq!(
                Format::from_path(Path::new(parquet)),
                Format::Parquet,
                "{parquet}"
            );
        }
    }

    #[test]
    fn compression_by_name_and_magic() {
        assert_eq!(
            Compression::from_path(Path::new("x.jsonl.gz")),
            Compression::Gzip
        );
        assert_eq!(
            Compression::from_path(Path::new("x.jsonl.zst")),
            Compression::Zstd
        );
        assert_eq!(
            Compression::from_path(Path::new("x.jsonl")),
            Compression::None
        );
        assert_eq!(Compression::sniff(&[0x1f, 0x8b, 8]), Compression::Gzip);
        assert_eq!(
            Compression::sniff(&[0x28, 0xb5, 0x2f, 0xfd]),
            Compression::Zstd
        );
        assert_eq!(Compression::sniff(b"{\"text\":1}"), Compression::None);
    }

    #[test]
    fn jsonl_globs_cover_compressed_shards() {
        let g = jsonl_globs();
        assert!(g.contains(&"*.jsonl.zst".to_string()));
        assert!(g.contains(&"*.json.gz".to_string()));
        assert_eq!(g.len(), 9);
    }

    #[test]
    fn walks_take_both_formats_by_name_but_not_plain_json() {
        let g = walk_globs(None);
        assert!(g.contains(&"*.txt".to_string()));
        assert!(g.contains(&"*.jsonl.gz".to_string()));
        assert!(g.contains(&"*.ndjson".to_string()));
        assert!(!g.iter().any(|g| g.starts_with("*.json.") || g == "*.json"));
        assert_eq!(walk_globs(Some(Format::Text)), ["*.txt"]);
        assert_eq!(walk_globs(Some(Format::Jsonl)), jsonl_globs());
        assert!(!g.contains(&"*.parquet".to_string()));
    }

    #[test]
    fn clean_walks_take_parquet_by_name_too() {
        let g = clean_walk_globs(None);
        assert!(g.contains(&"*.parquet".to_string()));
        assert!(g.contains(&"*.jsonl".to_string()));
        assert_eq!(clean_walk_globs(Some(Format::Parquet)), ["*.parquet"]);
        assert_eq!(clean_walk_globs(Some(Format::Text)), ["*.txt"]);
    }
}
