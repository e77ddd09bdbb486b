//! One JSONL record: find its text field without building the record, and
//! write it back with only that field replaced.
//!
//! The record is never re-serialized: the clean text is spliced into the
//! raw line, so every other field keeps its bytes, its key order and its
//! number formatting.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::document::{Layout, Wants, process};
use crate::output::stats::Stats;
use crate::{Cleaned, Cleaner};

/// Which fields of a record sapu reads.
#[derive(Clone, Debug)]
pub struct Fields {
    /// The document text (`--text-field`).
    pub text: String,
    /// The record's name in messages and `--explain` (`--id-field`).
    pub id: String,
}

impl Default for Fields {
    fn default() -> Fields {
        Fields {
            text: "text".into(),
            id: "id".into(),
        }
    }
}

/// The key under which `--annotate` writes what sapu did.
pub const ANNOTATION_KEY: &str = "sapu";

impl Fields {
    /// Why these fields cannot be cleaned with the annotation asked for:
    /// the text field is the annotation's own key (the record would get the
    /// key twice, or lose its cleaned text).
    pub fn annotation_clash(&self, annotate: bool) -> Option<String> {
        (annotate && self.text == ANNOTATION_KEY).then(|| {
            format!(
                "the text field is \"{ANNOTATION_KEY}\", the key the annotation is written under; \
                 rename the field, or clean without the annotation"
            )
        })
    }
}

/// Why a line is not a record sapu can clean.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("invalid UTF-8 at byte {0}; JSON Lines must be UTF-8 (re-encode the file)")]
    InvalidUtf8(usize),
    #[error("malformed JSON: {0}")]
    Malformed(String),
    #[error(
        "not a JSON object{hint}; sapu reads JSON Lines, one object per line",
        hint = if *.0 { " (this looks like a JSON array file)" } else { "" }
    )]
    NotAnObject(bool),
    #[error("no \"{0}\" field")]
    MissingText(String),
    #[error("the \"{0}\" field appears twice")]
    DuplicateText(String),
    #[error("\"{field}\" is {found}, not a string")]
    NonStringText { field: String, found: &'static str },
    #[error("record of {0} bytes or more, over the size limit")]
    TooLarge(u64),
}

impl RecordError {
    /// A short kind for statistics.
    pub fn kind(&self) -> &'static str {
        match self {
            RecordError::InvalidUtf8(_) => "invalid-utf8-record",
            RecordError::Malformed(_) => "malformed-json",
            RecordError::NotAnObject(_) => "not-an-object",
            RecordError::MissingText(_) => "missing-text-field",
            RecordError::DuplicateText(_) => "duplicate-text-field",
            RecordError::NonStringText { .. } => "non-string-text",
            RecordError::TooLarge(_) => "record-too-large",
        }
    }
}

/// A JSON string literal (`raw`, quotes included) with every unpaired
/// UTF-16 surrogate escape (`\ud800` alone: Python's `json` writes them
/// for broken text; they are not characters) replaced by `\ufffd`, and how
/// many were replaced; `None` when it has none. An escaped backslash
/// before `ud800` is text, not an escape.
fn replace_unpaired_surrogates(raw: &str) -> Option<(String, usize)> {
    let b = raw.as_bytes();
    let escape_at = |i: usize| -> Option<u16> {
        let hex = b.get(i..i + 6)?.strip_prefix(b"\\u")?;
        u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    };
    let (mut out, mut copied, mut replaced, mut i) = (String::new(), 0, 0, 0);
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(unit) = escape_at(i) else {
            // Another escape (`\\`, `\n`...): its second byte is not one
            // that starts an escape.
            i += 2;
            continue;
        };
        let paired = (0xD800..0xDC00).contains(&unit)
            && escape_at(i + 6).is_some_and(|low| (0xDC00..0xE000).contains(&low));
        if paired {
            i += 12;
        } else if (0xD800..0xE000).contains(&unit) {
            out.push_str(&raw[copied..i]);
            out.push_str("\\ufffd");
            replaced += 1;
            i += 6;
            copied = i;
        } else {
            i += 6;
        }
    }
    (replaced > 0).then(|| {
        out.push_str(&raw[copied..]);
        (out, replaced)
    })
}

/// How the lines of a shard are cleaned.
#[derive(Clone, Copy)]
pub struct LineSettings<'a> {
    pub cleaner: &'a Cleaner<'a>,
    pub fields: &'a Fields,
    pub wants: Wants,
    /// Write every record's text back unchanged, without cleaning: the
    /// same read, parse and write path, for measuring its cost alone.
    pub passthrough: bool,
}

/// What became of one line of a shard.
#[derive(Debug)]
pub enum LineOutcome {
    /// Written with its text cleaned: its explain records (if wanted), the
    /// decisions (none with `passthrough`) and the record's id.
    Cleaned {
        explain: Vec<serde_json::Value>,
        cleaned: Option<Cleaned>,
        id: Option<String>,
        /// Unpaired surrogate escapes of the text read as U+FFFD.
        repaired: usize,
    },
    /// A record with a blank text: written unchanged.
    EmptyText { id: Option<String> },
    /// Not a record sapu can clean: nothing written.
    Rejected(RecordError),
}

/// Cleans one line of a shard (without its newline) into `out`, ending it
/// with `\n`: `prefix` (a byte order mark to keep), then the record's clean
/// text spliced into the raw line (with the annotation when wanted). `name`
/// names the record in explain records; it is asked only when they are
/// wanted. The line's counts and bytes go into `stats`.
pub fn clean_line(
    settings: &LineSettings,
    prefix: &[u8],
    line: &[u8],
    name: &dyn Fn(&Record) -> String,
    stats: &mut Stats,
    out: &mut Vec<u8>,
) -> LineOutcome {
    let record = match Record::parse(line, settings.fields) {
        Ok(r) => r,
        Err(e) => return LineOutcome::Rejected(e),
    };
    let start = out.len();
    out.extend_from_slice(prefix);
    let outcome = if settings.passthrough {
        record.write(&record.text, None, out);
        stats.documents += 1;
        LineOutcome::Cleaned {
            explain: Vec::new(),
            cleaned: None,
            id: record.id,
            repaired: record.repaired,
        }
    } else {
        let doc_name = if settings.wants.explain {
            name(&record)
        } else {
            String::new()
        };
        let done = process(
            settings.cleaner,
            &doc_name,
            &record.text,
            Layout::Field,
            settings.wants,
            stats,
        );
        if done.passed_through() {
            out.extend_from_slice(line);
            out.push(b'\n');
            LineOutcome::EmptyText { id: record.id }
        } else {
            let annotation = done.annotation.as_ref().map(|a| a.to_string());
            record.write(&done.text, annotation.as_deref(), out);
            LineOutcome::Cleaned {
                explain: done.explain,
                cleaned: done.cleaned,
                id: record.id,
                repaired: record.repaired,
            }
        }
    };
    stats.bytes(prefix.len() + line.len() + 1, out.len() - start);
    outcome
}

/// A parsed record: the raw line and where its fields are.
#[derive(Debug)]
pub struct Record<'a> {
    pub line: &'a str,
    /// The decoded document text.
    pub text: String,
    /// Byte span of the text field's raw JSON value in `line`.
    pub text_span: Range<usize>,
    /// The id field as a name: a string's value or a number's digits.
    pub id: Option<String>,
    /// Byte span of an existing `"sapu"` value, replaced by `--annotate`.
    pub annotation_span: Option<Range<usize>>,
    /// Unpaired UTF-16 surrogate escapes in the text, each read as U+FFFD.
    pub repaired: usize,
}

impl<'a> Record<'a> {
    /// Parses one line (without its `\n`).
    pub fn parse(line: &'a [u8], fields: &Fields) -> Result<Record<'a>, RecordError> {
        let line =
            std::str::from_utf8(line).map_err(|e| RecordError::InvalidUtf8(e.valid_up_to()))?;
        let mut de = serde_json::Deserializer::from_str(line);
        let found = Scan { fields }
            .deserialize(&mut de)
            .and_then(|f| de.end().map(|()| f))
            .map_err(|e| match e.classify() {
                serde_json::error::Category::Data => {
                    RecordError::NotAnObject(line.trim_start().starts_with('['))
                }
                // Only the first record may follow one (it is kept); a
                // mark further on is often files joined with `cat`.
                _ if line.starts_with('\u{feff}') => RecordError::Malformed(
                    "it starts with a byte-order mark (U+FEFF), kept only before a shard's first record; remove it (files joined with `cat`?)".to_string(),
                ),
                _ => RecordError::Malformed(e.to_string()),
            })?;
        if found.text_count > 1 {
            return Err(RecordError::DuplicateText(fields.text.clone()));
        }
        let raw_text = found
            .text
            .ok_or_else(|| RecordError::MissingText(fields.text.clone()))?;
        let mut repaired = 0;
        let text = match serde_json::from_str::<String>(raw_text.get()) {
            Ok(t) => t,
            Err(e) if raw_text.get().starts_with('"') => {
                let malformed = || RecordError::Malformed(format!("\"{}\": {e}", fields.text));
                let (fixed, replaced) =
                    replace_unpaired_surrogates(raw_text.get()).ok_or_else(malformed)?;
                repaired = replaced;
                serde_json::from_str::<String>(&fixed).map_err(|_| malformed())?
            }
            Err(_) => {
                return Err(RecordError::NonStringText {
                    field: fields.text.clone(),
                    found: json_type(raw_text.get()),
                });
            }
        };
        let id = found.id.and_then(|raw| {
            let raw = raw.get();
            match raw.as_bytes().first() {
                Some(b'"') => serde_json::from_str::<String>(raw).ok(),
                Some(b'-' | b'0'..=b'9') => Some(raw.to_string()),
                _ => None,
            }
        });
        Ok(Record {
            line,
            text,
            text_span: span_in(line, raw_text.get()),
            id,
            annotation_span: found.annotation.map(|raw| span_in(line, raw.get())),
            repaired,
        })
    }

    /// The line with `new_text` as the text field and, if given, the
    /// annotation object (raw JSON) under `"sapu"`; followed by `\n`.
    pub fn write(&self, new_text: &str, annotation: Option<&str>, out: &mut Vec<u8>) {
        let line = self.line.as_bytes();
        // Where the annotation goes: over an existing `"sapu"` value, or
        // before the object's `}` (its last non-space byte).
        let annotation = annotation.map(|a| match &self.annotation_span {
            Some(span) => (span.clone(), a, false),
            None => {
                let close = self.line.trim_end().len().saturating_sub(1);
                (close..close, a, true)
            }
        });
        let text = self.text_span.clone();
        let put_text = |out: &mut Vec<u8>| {
            // Serializing a string into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, new_text);
        };
        let put_annotation = |out: &mut Vec<u8>, a: &str, added: bool| {
            if added {
                out.extend_from_slice(b",\"");
                out.extend_from_slice(ANNOTATION_KEY.as_bytes());
                out.extend_from_slice(b"\":");
            }
            out.extend_from_slice(a.as_bytes());
        };
        match annotation {
            None => {
                out.extend_from_slice(&line[..text.start]);
                put_text(out);
                out.extend_from_slice(&line[text.end..]);
            }
            Some((span, a, added)) if span.start < text.start => {
                out.extend_from_slice(&line[..span.start]);
                put_annotation(out, a, added);
                out.extend_from_slice(&line[span.end..text.start]);
                put_text(out);
                out.extend_from_slice(&line[text.end..]);
            }
            Some((span, a, added)) => {
                out.extend_from_slice(&line[..text.start]);
                put_text(out);
                out.extend_from_slice(&line[text.end..span.start]);
                put_annotation(out, a, added);
                out.extend_from_slice(&line[span.end..]);
            }
        }
        out.push(b'\n');
    }
}

/// `inner` is a sub-slice of `line` (serde_json borrows raw values).
fn span_in(line: &str, inner: &str) -> Range<usize> {
    let start = inner.as_ptr() as usize - line.as_ptr() as usize;
    start..start + inner.len()
}

fn json_type(raw: &str) -> &'static str {
    match raw.as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// The fields sapu looks for, found in one pass over the object.
#[derive(Default)]
struct Found<'a> {
    text: Option<&'a RawValue>,
    text_count: usize,
    id: Option<&'a RawValue>,
    annotation: Option<&'a RawValue>,
}

struct Scan<'f> {
    fields: &'f Fields,
}

impl<'de> DeserializeSeed<'de> for Scan<'_> {
    type Value = Found<'de>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Found<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Scan<'_> {
    type Value = Found<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found<'de>, A::Error> {
        let mut found = Found::default();
        while let Some(Key(key)) = map.next_key()? {
            if *key == *self.fields.text {
                found.text = Some(map.next_value()?);
                found.text_count += 1;
            } else if *key == *self.fields.id {
                found.id = Some(map.next_value()?);
            } else if key == ANNOTATION_KEY {
                found.annotation = Some(map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// A key, borrowed when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Key<'de>, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Record<'_>, RecordError> {
        Record::parse(line.as_bytes(), &Fields::default())
    }

    fn rewrite(line: &str, text: &str, annotation: Option<&str>) -> String {
        let mut out = Vec::new();
        parse(line).unwrap().write(text, annotation, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn splices_only_the_text() {
        let line = r#"{"id": 7, "url":"http://x/é", "text":"a\nb", "n":1.50e3 }"#;
        let r = parse(line).unwrap();
        assert_eq!(r.text, "a\nb");
        assert_eq!(r.id.as_deref(), Some("7"));
        assert_eq!(
            rewrite(line, "a \"q\"", None),
            "{\"id\": 7, \"url\":\"http://x/é\", \"text\":\"a \\\"q\\\"\", \"n\":1.50e3 }\n"
        );
    }

    #[test]
    fn crlf_lines_keep_their_cr() {
        assert_eq!(
            rewrite("{\"text\":\"x\"}\r", "y", Some("{}")),
            "{\"text\":\"y\",\"sapu\":{}}\r\n"
        );
    }

    #[test]
    fn escaped_keys_are_found() {
        let r = parse(r#"{"t\u0065xt":"hi","id":"a\"b"}"#).unwrap();
        assert_eq!(r.text, "hi");
        assert_eq!(r.id.as_deref(), Some("a\"b"));
    }

    #[test]
    fn annotation_goes_last_or_replaces() {
        assert_eq!(
            rewrite(r#"{"text":"x"}  "#, "y", Some("{\"n\":1}")),
            "{\"text\":\"y\",\"sapu\":{\"n\":1}}  \n"
        );
        assert_eq!(
            rewrite(r#"{"sapu":[1,2],"text":"x","z":0}"#, "y", Some("{}")),
            "{\"sapu\":{},\"text\":\"y\",\"z\":0}\n"
        );
    }

    // A lone surrogate escape made the record malformed, though the JSON
    // is well formed and Python's `json` reads it.
    #[test]
    fn an_unpaired_surrogate_is_read_as_a_replacement_character() {
        for (line, text, repaired) in [
            (r#"{"text":"a\ud800b"}"#, "a\u{fffd}b", 1),
            (r#"{"text":"a\uDC00"}"#, "a\u{fffd}", 1),
            (
                r#"{"text":"\ud83d\ud83d\ude00 \udc00"}"#,
                "\u{fffd}😀 \u{fffd}",
                2,
            ),
            (r#"{"text":"\\\ud800 é"}"#, "\\\u{fffd} é", 1),
            // A pair is a character; an escaped backslash before "ud800"
            // is text.
            (r#"{"text":"\ud83d\ude00"}"#, "😀", 0),
            (r#"{"text":"\\ud800"}"#, "\\ud800", 0),
        ] {
            let r = parse(line).unwrap();
            assert_eq!((r.text.as_str(), r.repaired), (text, repaired), "{line}");
        }
        // Another error in the string is still one.
        assert!(matches!(
            parse(r#"{"text":"\ud800 \x"}"#),
            Err(RecordError::Malformed(_))
        ));
    }

    #[test]
    fn bad_records_say_what_is_wrong() {
        // A byte-order mark before a record that is not a shard's first
        // is named (it read "expected value at line 1 column 1").
        match parse("\u{feff}{\"text\":\"x\"}") {
            Err(RecordError::Malformed(m)) => assert!(m.contains("byte-order mark"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Record::parse(b"{\"text\":\"\xff\"}", &Fields::default()),
            Err(RecordError::InvalidUtf8(9))
        ));
        assert!(matches!(
            parse(r#"{"text":"x""#),
            Err(RecordError::Malformed(_))
        ));
        assert!(matches!(
            parse(r#"{"text":"x"} {}"#),
            Err(RecordError::Malformed(_))
        ));
        assert_eq!(
            parse(r#"[{"text":"x"}]"#).unwrap_err(),
            RecordError::NotAnObject(true)
        );
        assert_eq!(parse("3").unwrap_err(), RecordError::NotAnObject(false));
        assert_eq!(
            parse(r#"{"body":"x"}"#).unwrap_err(),
            RecordError::MissingText("text".into())
        );
        assert_eq!(
            parse(r#"{"text":"x","text":"y"}"#).unwrap_err(),
            RecordError::DuplicateText("text".into())
        );
        assert_eq!(
            parse(r#"{"text":null}"#).unwrap_err(),
            RecordError::NonStringText {
                field: "text".into(),
                found: "null"
            }
        );
    }

    #[test]
    fn other_field_names() {
        let fields = Fields {
            text: "body".into(),
            id: "url".into(),
        };
        let r = Record::parse(br#"{"url":"u","body":"b","text":3}"#, &fields).unwrap();
        assert_eq!(r.text, "b");
        assert_eq!(r.id.as_deref(), Some("u"));
    }
}
