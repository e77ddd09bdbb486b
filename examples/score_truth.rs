//! Score a cleaned corpus against the truth written by `gen_corpus`.
//!
//! ```text
//! cargo run --release --example score_truth -- TRUTH.jsonl CLEANED.jsonl \
//!     [--text-field text] [--id-field id] [--show N]
//! ```
//!
//! `TRUTH.jsonl` holds `{"id":..., "content":[lines...], "clutter":[lines...]}` records;
//! `CLEANED.jsonl` holds records with the same ids (any order) whose text field is the cleaned
//! text. A missing or null text field counts as an empty text.
//!
//! Both sides are normalized line by line before comparing: Unicode NFC, zero-width characters
//! (U+200B/C/D, U+2060, U+FEFF) removed, every whitespace run (no-break spaces included)
//! collapsed to one space, trimmed; lines that become empty are dropped.
//!
//! * A content line is **kept** if its normalized form is a whole line of the normalized cleaned
//!   text or a substring of it.
//! * A clutter line is **removed** if its normalized form does not survive as a whole line of the
//!   cleaned text. Lines are counted as a multiset: when a clutter line has the same normalized
//!   form as a content line of the same document (a title repeated as image alt text), the
//!   copies expected by the content are not held against the cleaner.
//!
//! Shares are over all lines of all documents. A document missing from the cleaned file counts as
//! all content lost and all clutter removed. Prints one JSON object to stdout:
//! `{"docs":N,"content_kept":x,"clutter_removed":y,"f1":z,"missing_docs":m,...}`.
//! `--show N` prints up to N lost content lines and N surviving clutter lines to stderr.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fs::File;
use std::io::{BufRead, BufReader};

use serde::Deserialize;
use serde_json::Value;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

#[derive(Deserialize)]
struct Truth {
    id: String,
    #[serde(default)]
    content: Vec<String>,
    #[serde(default)]
    clutter: Vec<String>,
}

fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Append the normalized form of one line to `out`.
fn norm_line_into(s: &str, out: &mut String) {
    let start = out.len();
    let mut space = false;
    let mut push = |c: char, out: &mut String| {
        if is_zero_width(c) {
            return;
        }
        if c.is_whitespace() {
            space = out.len() > start;
            return;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    };
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        for c in s.chars() {
            push(c, out);
        }
    } else {
        for c in s.nfc() {
            push(c, out);
        }
    }
}

fn norm_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    norm_line_into(s, &mut out);
    out
}

/// Normalize a whole text: normalized non-empty lines joined by `\n`.
fn norm_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.split(['\n', '\r']) {
        let before = out.len();
        if before > 0 {
            out.push('\n');
        }
        let mark = out.len();
        norm_line_into(line, &mut out);
        if out.len() == mark {
            out.truncate(before);
        }
    }
    out
}

struct Opts {
    truth: String,
    cleaned: String,
    text_field: String,
    id_field: String,
    show: usize,
}

const USAGE: &str =
    "usage: score_truth TRUTH.jsonl CLEANED.jsonl [--text-field text] [--id-field id] [--show N]";

fn parse_args() -> Result<Opts, String> {
    let mut pos = Vec::new();
    let mut o = Opts {
        truth: String::new(),
        cleaned: String::new(),
        text_field: "text".into(),
        id_field: "id".into(),
        show: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = || {
            it.next()
                .ok_or_else(|| format!("{a} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--text-field" => o.text_field = val()?,
            "--id-field" => o.id_field = val()?,
            "--show" => o.show = val()?.parse().map_err(|e| format!("--show: {e}"))?,
            "-h" | "--help" => return Err(USAGE.into()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n{USAGE}")),
            _ => pos.push(a),
        }
    }
    if pos.len() != 2 {
        return Err(USAGE.into());
    }
    o.cleaned = pos.pop().unwrap_or_default();
    o.truth = pos.pop().unwrap_or_default();
    Ok(o)
}

/// Streams the cleaned file, keeping records read ahead of the truth order in a map.
struct Cleaned {
    reader: BufReader<File>,
    line: String,
    line_no: u64,
    eof: bool,
    pending: HashMap<String, String>,
    text_field: String,
    id_field: String,
    duplicates: u64,
}

impl Cleaned {
    /// Next record as (id, normalized text), or None at end of file.
    fn next_record(&mut self) -> Result<Option<(String, String)>, String> {
        loop {
            self.line.clear();
            let n = self
                .reader
                .read_line(&mut self.line)
                .map_err(|e| format!("reading cleaned file: {e}"))?;
            if n == 0 {
                self.eof = true;
                return Ok(None);
            }
            self.line_no += 1;
            if self.line.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(&self.line)
                .map_err(|e| format!("cleaned file line {}: {e}", self.line_no))?;
            let id = match v.get(&self.id_field) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => {
                    return Err(format!(
                        "cleaned file line {}: no \"{}\" field",
                        self.line_no, self.id_field
                    ));
                }
                Some(other) => other.to_string(),
            };
            let text = match v.get(&self.text_field) {
                Some(Value::String(s)) => norm_text(s),
                _ => String::new(),
            };
            return Ok(Some((id, text)));
        }
    }

    fn take(&mut self, id: &str) -> Result<Option<String>, String> {
        if let Some(t) = self.pending.remove(id) {
            return Ok(Some(t));
        }
        while !self.eof {
            match self.next_record()? {
                Some((rid, text)) if rid == id => return Ok(Some(text)),
                Some((rid, text)) => match self.pending.entry(rid) {
                    Entry::Occupied(_) => self.duplicates += 1,
                    Entry::Vacant(e) => {
                        e.insert(text);
                    }
                },
                None => break,
            }
        }
        Ok(None)
    }
}

#[derive(Default)]
struct Totals {
    docs: u64,
    missing: u64,
    content: u64,
    content_kept: u64,
    clutter: u64,
    clutter_removed: u64,
    shown_lost: usize,
    shown_kept: usize,
}

fn score_doc(t: &Truth, cleaned: Option<&str>, tot: &mut Totals, show: usize) {
    let content: Vec<String> = t
        .content
        .iter()
        .map(|l| norm_line(l))
        .filter(|l| !l.is_empty())
        .collect();
    let clutter: Vec<String> = t
        .clutter
        .iter()
        .map(|l| norm_line(l))
        .filter(|l| !l.is_empty())
        .collect();
    tot.docs += 1;
    tot.content += content.len() as u64;
    tot.clutter += clutter.len() as u64;
    let Some(text) = cleaned else {
        tot.missing += 1;
        tot.clutter_removed += clutter.len() as u64;
        return;
    };
    let mut lines: HashMap<&str, u64> = HashMap::new();
    for l in text.split('\n') {
        *lines.entry(l).or_default() += 1;
    }
    for c in &content {
        if lines.contains_key(c.as_str()) || text.contains(c.as_str()) {
            tot.content_kept += 1;
        } else if tot.shown_lost < show {
            tot.shown_lost += 1;
            eprintln!("lost content   {}: {c}", t.id);
        }
    }
    let mut groups: HashMap<&str, u64> = HashMap::new();
    for c in &clutter {
        *groups.entry(c.as_str()).or_default() += 1;
    }
    for c in &clutter {
        let Some(k) = groups.remove(c.as_str()) else {
            continue;
        };
        let occ = lines.get(c.as_str()).copied().unwrap_or(0);
        let mut expected = content.iter().filter(|x| *x == c).count() as u64;
        if expected > 0 && served_by_longer_line(c, &lines) {
            // The content copy is served by a longer line ("Title | Site"), so a whole-line
            // copy of the title is the clutter repeat.
            expected -= 1;
        }
        let surviving = occ.saturating_sub(expected).min(k);
        tot.clutter_removed += k - surviving;
        if surviving > 0 && tot.shown_kept < show {
            tot.shown_kept += 1;
            eprintln!("kept clutter   {}: {c}", t.id);
        }
    }
}

/// Whether some other line starts with `c` followed by a space (a title kept with its site
/// suffix). A caption glued to the title ("TitleCaption (twitter.com/...)") does not count.
fn served_by_longer_line(c: &str, lines: &HashMap<&str, u64>) -> bool {
    lines
        .keys()
        .any(|l| l.len() > c.len() && l.starts_with(c) && l.as_bytes()[c.len()] == b' ')
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn run() -> Result<(), String> {
    let o = parse_args()?;
    let truth = File::open(&o.truth).map_err(|e| format!("{}: {e}", o.truth))?;
    let cleaned = File::open(&o.cleaned).map_err(|e| format!("{}: {e}", o.cleaned))?;
    let mut cl = Cleaned {
        reader: BufReader::with_capacity(1 << 20, cleaned),
        line: String::new(),
        line_no: 0,
        eof: false,
        pending: HashMap::new(),
        text_field: o.text_field.clone(),
        id_field: o.id_field.clone(),
        duplicates: 0,
    };
    let mut tot = Totals::default();
    let mut reader = BufReader::with_capacity(1 << 20, truth);
    let mut line = String::new();
    let mut line_no = 0u64;
    loop {
        line.clear();
        if reader
            .read_line(&mut line)
            .map_err(|e| format!("{}: {e}", o.truth))?
            == 0
        {
            break;
        }
        line_no += 1;
        if line.trim().is_empty() {
            continue;
        }
        let t: Truth =
            serde_json::from_str(&line).map_err(|e| format!("{} line {line_no}: {e}", o.truth))?;
        let c = cl.take(&t.id)?;
        score_doc(&t, c.as_deref(), &mut tot, o.show);
    }
    let mut unknown = cl.pending.len() as u64;
    while cl.next_record()?.is_some() {
        unknown += 1;
    }
    let kept = ratio(tot.content_kept, tot.content);
    let removed = ratio(tot.clutter_removed, tot.clutter);
    let f1 = if kept + removed > 0.0 {
        2.0 * kept * removed / (kept + removed)
    } else {
        0.0
    };
    // Written by hand to keep the documented key order (serde_json's map would sort keys).
    let out = format!(
        "{{\"docs\":{},\"content_kept\":{:?},\"clutter_removed\":{:?},\"f1\":{:?},\"missing_docs\":{},\
         \"unknown_docs\":{},\"duplicate_docs\":{},\"content_lines\":{},\"content_lines_kept\":{},\
         \"clutter_lines\":{},\"clutter_lines_removed\":{}}}",
        tot.docs,
        round6(kept),
        round6(removed),
        round6(f1),
        tot.missing,
        unknown,
        cl.duplicates,
        tot.content,
        tot.content_kept,
        tot.clutter,
        tot.clutter_removed
    );
    println!("{out}");
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("score_truth: {e}");
        std::process::exit(2);
    }
}
