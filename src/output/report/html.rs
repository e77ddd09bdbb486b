//! The report file: one HTML page with its style, its script and its data
//! inline, so it opens from disk with no network. The data is a JSON
//! object in a `<script type="application/json">` element, every `<`, `>`
//! and `&` in it written as a `\u00XX` escape, so no text of a document can
//! end the element; the script draws the page from it with DOM text nodes
//! only. The few texts written into the HTML itself go through
//! [`escape_html`].

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;
use serde_json::{Map, Value, json};

use super::page::{Decision, DiffCounts, PageDoc, PageLine};
use super::sample::{Pick, Totals, name_hash};

const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");

/// Bytes of document data a report holds at most: with the page around it
/// the file stays under 20 MB whatever the corpus.
pub const DATA_LIMIT: usize = 19_000_000;
/// Characters of text the documents of a report share: each gets its part
/// of this, within [`DOC_MIN_CHARS`] and [`DOC_MAX_CHARS`].
const TEXT_BUDGET: usize = 12_000_000;
const DOC_MIN_CHARS: usize = 8_000;
/// The most text one document shows (and holds, while a run samples).
pub const DOC_MAX_CHARS: usize = 200_000;

/// What the report is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `sapu clean`: what the rules did.
    Clean,
    /// `sapu diff-rules`: where two rule sets decide otherwise.
    Diff,
    /// `sapu check`: failing golden cases, expected against actual.
    Check,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Clean => "clean",
            Mode::Diff => "diff",
            Mode::Check => "check",
        }
    }
}

/// A rule as the report describes it.
#[derive(Clone, Debug)]
pub struct RuleInfo {
    pub id: String,
    pub kind: &'static str,
    pub description: String,
}

/// Everything a report shows.
#[derive(Debug)]
pub struct Page {
    pub mode: Mode,
    /// What was run: inputs, rule sets, the golden folder.
    pub title: String,
    /// In a comparison of rule sets: what the old and the new rules are.
    pub sides: Option<(String, String)>,
    pub totals: Totals,
    /// In a comparison of rule sets: the changed lines of all documents.
    pub diff: Option<DiffCounts>,
    /// The `--flag-removed` share.
    pub flag_share: f64,
    /// The rules the documents may name.
    pub rules: Vec<RuleInfo>,
    /// The chosen documents, most important first.
    pub docs: Vec<PageDoc>,
}

/// What was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Written {
    /// Documents in the report.
    pub shown: usize,
    /// Chosen documents left out to keep the file under its limit.
    pub omitted: usize,
    pub bytes: u64,
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that can sit inside a `<script>` element: `<`, `>` and `&` (which
/// JSON has only inside strings) become `\u00XX` escapes, so neither
/// `</script>` nor `<!--` can appear.
pub fn script_safe_json(value: &impl Serialize) -> String {
    let mut out = Vec::new();
    write_script_safe(value, &mut out);
    // The serializer writes UTF-8 only.
    String::from_utf8(out).unwrap_or_default()
}

fn write_script_safe(value: &impl Serialize, out: &mut Vec<u8>) {
    let mut ser = serde_json::Serializer::with_formatter(out, ScriptSafe);
    // Serializing these values to memory cannot fail.
    let _ = value.serialize(&mut ser);
}

/// Compact JSON with `<`, `>`, `&` and the two JavaScript line separators
/// escaped inside strings.
struct ScriptSafe;

impl Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let bytes = fragment.as_bytes();
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let escape: &[u8] = match b {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                b'&' => b"\\u0026",
                // U+2028 and U+2029: E2 80 A8 and E2 80 A9.
                0xE2 if bytes.get(i + 1) == Some(&0x80)
                    && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
                {
                    if bytes[i + 2] == 0xA8 {
                        b"\\u2028"
                    } else {
                        b"\\u2029"
                    }
                }
                _ => continue,
            };
            writer.write_all(&bytes[start..i])?;
            writer.write_all(escape)?;
            start = i + if b == 0xE2 { 3 } else { 1 };
        }
        writer.write_all(&bytes[start..])
    }
}

/// Hues far enough apart to tell apart, each in two tones: 24 colours.
const HUES: [u32; 12] = [0, 25, 45, 85, 140, 175, 195, 215, 240, 265, 290, 320];

/// The stable colour of a rule, chosen by its id and the same in every
/// report: a hue and a tone (0 or 1, the darker one). Two rules may share
/// one; the page always shows the id too.
pub fn rule_colour(id: &str) -> (u32, u32) {
    let h = name_hash(id);
    (
        HUES[(h % HUES.len() as u64) as usize],
        ((h >> 32) & 1) as u32,
    )
}

/// Writes the report. Documents are shortened to share the text budget;
/// if the file would still grow past its limit, the least important
/// documents (the last of `page.docs`) are left out and the page says how
/// many.
pub fn write_html(page: Page, out: &mut dyn Write) -> io::Result<Written> {
    let Page {
        mode,
        title,
        sides,
        totals,
        diff,
        flag_share,
        rules: infos,
        mut docs,
    } = page;

    // The rules of the page: those with totals, most lines first, then any
    // other a document names.
    let mut ids: Vec<&str> = totals.rules.keys().map(String::as_str).collect();
    ids.sort_by(|a, b| {
        let (ta, tb) = (&totals.rules[*a], &totals.rules[*b]);
        (tb.lines + tb.released)
            .cmp(&(ta.lines + ta.released))
            .then(a.cmp(b))
    });
    let mut ids: Vec<String> = ids.into_iter().map(str::to_string).collect();
    let mut index: HashMap<String, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.clone(), i))
        .collect();
    for doc in &docs {
        for line in &doc.lines {
            if let PageLine::Line(l) = line {
                for id in [l.now.rule(), l.before.as_ref().and_then(Decision::rule)]
                    .into_iter()
                    .flatten()
                {
                    if !index.contains_key(id) {
                        index.insert(id.to_string(), ids.len());
                        ids.push(id.to_string());
                    }
                }
            }
        }
    }
    let info: HashMap<&str, &RuleInfo> = infos.iter().map(|r| (r.id.as_str(), r)).collect();
    let rules: Vec<Value> = ids
        .iter()
        .map(|id| {
            let t = totals.rules.get(id).cloned().unwrap_or_default();
            let (kind, description) = info
                .get(id.as_str())
                .map_or(("", ""), |r| (r.kind, r.description.as_str()));
            json!({
                "id": id,
                "kind": kind,
                "description": description,
                "hue": rule_colour(id).0,
                "tone": rule_colour(id).1,
                "lines": t.lines,
                "chars": t.chars,
                "released": t.released,
                "docs": t.docs,
            })
        })
        .collect();

    // Documents, most important first, while they fit.
    let per_doc = (TEXT_BUDGET / docs.len().max(1)).clamp(DOC_MIN_CHARS, DOC_MAX_CHARS);
    let mut kept: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut used = 0;
    let mut omitted = 0;
    for (rank, doc) in docs.iter_mut().enumerate() {
        doc.elide(per_doc);
        let mut json = Vec::new();
        write_script_safe(&JsonDoc::of(doc, &index), &mut json);
        if used + json.len() + 1 > DATA_LIMIT {
            omitted += 1;
            continue;
        }
        used += json.len() + 1;
        kept.push((rank, json));
    }
    // Shown by name.
    kept.sort_by(|a, b| docs[a.0].name.cmp(&docs[b.0].name).then(a.0.cmp(&b.0)));

    let mut head = Map::new();
    head.insert("mode".into(), mode.name().into());
    head.insert("title".into(), title.clone().into());
    head.insert("version".into(), env!("CARGO_PKG_VERSION").into());
    head.insert(
        "sides".into(),
        sides.as_ref().map_or(Value::Null, |(a, b)| json!([a, b])),
    );
    head.insert("documents".into(), totals.documents.into());
    head.insert("offered".into(), totals.offered.into());
    head.insert("flagged".into(), totals.flagged.into());
    head.insert("charsIn".into(), totals.chars_in.into());
    head.insert("charsRemoved".into(), totals.chars_removed.into());
    head.insert("hist".into(), json!(totals.shares));
    head.insert("size".into(), totals.size.into());
    head.insert("shown".into(), kept.len().into());
    head.insert("omitted".into(), omitted.into());
    head.insert("flagShare".into(), flag_share.into());
    if let Some(d) = diff {
        head.insert(
            "diff".into(),
            json!({"newlyDropped": d.newly_dropped, "newlyKept": d.newly_kept, "changed": d.changed}),
        );
    }
    head.insert("rules".into(), Value::Array(rules));
    let mut data = script_safe_json(&Value::Object(head));
    data.pop(); // the closing brace: the documents follow
    data.push_str(",\"docs\":[");

    let mode_label = match mode {
        Mode::Clean => "report",
        Mode::Diff => "rule change",
        Mode::Check => "golden check",
    };
    let mut html = String::with_capacity(CSS.len() + JS.len() + 4096);
    let _ = write!(
        html,
        r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="sapu {version}">
<title>sapu {mode_label}: {title}</title>
<style>
{CSS}</style>
</head>
<body class="mode-{mode}">
<a class="skip" href="#main">Skip to the documents</a>
<header class="top">
<div class="brand"><span class="mark" aria-hidden="true"></span>sapu <span class="kind">{mode_label}</span></div>
<h1 class="title">{title}</h1>
<div class="search"><label for="q" class="sr-only">Search document names and text</label><input id="q" type="search" placeholder="Search names and text" autocomplete="off" spellcheck="false"><kbd aria-hidden="true">/</kbd></div>
</header>
<div class="layout">
<aside id="side" aria-label="Summary and filters"></aside>
<main id="main" tabindex="-1"><noscript><p class="empty">This report draws its pages with JavaScript: open it in a browser with JavaScript on. Its data is the JSON in the element <code>sapu-data</code>.</p></noscript></main>
</div>
<script id="sapu-data" type="application/json">"##,
        version = escape_html(env!("CARGO_PKG_VERSION")),
        title = escape_html(&title),
        mode = mode.name(),
    );
    let mut bytes = 0u64;
    let mut put = |s: &[u8]| -> io::Result<()> {
        bytes += s.len() as u64;
        out.write_all(s)
    };
    put(html.as_bytes())?;
    put(data.as_bytes())?;
    for (i, (_, json)) in kept.iter().enumerate() {
        if i > 0 {
            put(b",")?;
        }
        put(json)?;
    }
    put(b"]}</script>\n<script>\n")?;
    put(JS.as_bytes())?;
    put(b"</script>\n</body>\n</html>\n")?;
    Ok(Written {
        shown: kept.len(),
        omitted,
        bytes,
    })
}

/// A decision in the page data: `a` the action, `r` the rule's index,
/// `w` the reason, `s` the score, `to` a rewrite's text.
#[derive(Serialize)]
struct JsonDecision<'a> {
    a: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    r: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    w: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<&'a str>,
}

impl<'a> JsonDecision<'a> {
    fn of(d: &'a Decision, index: &HashMap<String, usize>) -> JsonDecision<'a> {
        let rule = |r: &Option<String>| r.as_ref().and_then(|id| index.get(id)).copied();
        let mut j = JsonDecision {
            a: "keep",
            r: None,
            w: None,
            s: None,
            to: None,
        };
        match d {
            Decision::Keep => {}
            Decision::Absent => j.a = "absent",
            Decision::Drop {
                rule: r,
                why,
                score,
            } => {
                j.a = "drop";
                j.r = rule(r);
                j.w = Some(why);
                j.s = score.map(|s| (f64::from(s) * 1000.0).round() / 1000.0);
            }
            Decision::Rewrite { rule: r, to } => {
                j.a = "rewrite";
                j.r = rule(r);
                j.to = Some(to);
            }
        }
        j
    }
}

/// A row in the page data: a line (`n`, `t` its text, `c` characters cut
/// off, `d` the decision unless kept, `b` the other decision when it
/// differs), a gap (`g`), or lines left out (`e` lines, `ec` characters).
#[derive(Serialize)]
#[serde(untagged)]
enum JsonRow<'a> {
    Line {
        n: u32,
        t: &'a str,
        #[serde(skip_serializing_if = "is_zero")]
        c: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        d: Option<JsonDecision<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        b: Option<JsonDecision<'a>>,
    },
    Gap {
        g: u8,
    },
    Elided {
        e: u32,
        ec: u64,
    },
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    name: &'a str,
    chars: u64,
    removed: u64,
    flagged: bool,
    reverted: bool,
    /// The rules (indices) whose first document this is.
    first: Vec<usize>,
    drawn: bool,
    lines: Vec<JsonRow<'a>>,
}

impl<'a> JsonDoc<'a> {
    fn of(doc: &'a PageDoc, index: &HashMap<String, usize>) -> JsonDoc<'a> {
        let lines = doc
            .lines
            .iter()
            .map(|l| match l {
                PageLine::Line(l) => JsonRow::Line {
                    n: l.n,
                    t: &l.text,
                    c: l.cut,
                    d: (l.now != Decision::Keep).then(|| JsonDecision::of(&l.now, index)),
                    b: l.before.as_ref().map(|b| JsonDecision::of(b, index)),
                },
                PageLine::Gap => JsonRow::Gap { g: 1 },
                PageLine::Elided { lines, chars } => JsonRow::Elided {
                    e: *lines,
                    ec: *chars,
                },
            })
            .collect();
        JsonDoc {
            name: &doc.name,
            chars: doc.facts.chars_in,
            removed: doc.facts.chars_removed,
            flagged: doc.facts.flagged,
            reverted: doc.facts.reverted,
            first: doc
                .picks
                .iter()
                .filter_map(|p| match p {
                    Pick::FirstFor(id) => index.get(id).copied(),
                    _ => None,
                })
                .collect(),
            drawn: doc.picks.contains(&Pick::Drawn),
            lines,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::report::page::page_of_cleaned;
    use crate::output::report::sample::ReportSample;
    use crate::output::report::{HeldDoc, clean_page};
    use crate::{CleanOptions, Cleaner, RuleConfig};

    const HOSTILE: &str = "A title with <b>bold</b> & \"quotes\" and 'single' ones\n\n\
        Pemerintah mengumumkan kebijakan baru hari ini untuk semua warga negara di seluruh wilayah.\n\n\
        Baca Juga: </script><script>window.pwned = 1</script> <!-- & -->\n\n\
        Kebijakan itu mulai berlaku bulan depan dan akan ditinjau kembali setiap tahun oleh pemerintah.\n";

    fn report_of(name: &str, text: &str) -> String {
        let rules = RuleConfig {
            default_rules: true,
            ..RuleConfig::default()
        }
        .compile()
        .unwrap();
        let cleaned = Cleaner::new(&rules, CleanOptions::default()).clean(text);
        let mut sample: ReportSample<HeldDoc> = ReportSample::new(10);
        sample.record(name.to_string(), cleaned, &rules, None);
        let page = clean_page(sample, &rules, format!("inputs: {name}"), 0.6);
        let mut out = Vec::new();
        write_html(page, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn document_text_cannot_leave_the_data_element() {
        let html = report_of("<img src=x onerror=alert(1)>&\"'.txt", HOSTILE);
        // Exactly the two script elements of the page, each closed once.
        assert_eq!(html.matches("<script").count(), 2, "{html}");
        assert_eq!(html.matches("</script>").count(), 2);
        assert!(!html.contains("window.pwned = 1</"));
        assert!(!html.contains("<!-- &"));
        assert!(!html.contains("<img"));
        // The title is escaped where the HTML carries it.
        assert!(html.contains(
            "<title>sapu report: inputs: &lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;.txt</title>"
        ));
        // The data reads back as the original text.
        let start = html.find(r#"type="application/json">"#).unwrap() + 24;
        let end = start + html[start..].find("</script>").unwrap();
        let data: Value = serde_json::from_str(&html[start..end]).unwrap();
        let doc = &data["docs"][0];
        assert_eq!(doc["name"], "<img src=x onerror=alert(1)>&\"'.txt");
        let texts: Vec<&str> = doc["lines"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|l| l["t"].as_str())
            .collect();
        assert!(
            texts.contains(&"Baca Juga: </script><script>window.pwned = 1</script> <!-- & -->")
        );
        assert!(texts.iter().any(|t| t.contains("<b>bold</b> & \"quotes\"")));
    }

    #[test]
    fn the_data_names_rules_and_decisions() {
        let html = report_of("news/a.txt", HOSTILE);
        let start = html.find(r#"type="application/json">"#).unwrap() + 24;
        let end = start + html[start..].find("</script>").unwrap();
        let data: Value = serde_json::from_str(&html[start..end]).unwrap();
        let rules = data["rules"].as_array().unwrap();
        let promo = rules
            .iter()
            .position(|r| r["id"] == "promo.baca-juga")
            .unwrap();
        assert_eq!(rules[promo]["lines"], 1);
        assert_eq!(rules[promo]["kind"], "line");
        let dropped: Vec<&Value> = data["docs"][0]["lines"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["d"]["a"] == "drop")
            .collect();
        assert_eq!(dropped.len(), 1);
        assert_eq!(dropped[0]["d"]["r"], promo);
        assert_eq!(dropped[0]["d"]["w"], "pattern");
        assert_eq!(data["documents"], 1);
        assert_eq!(data["shown"], 1);
    }

    #[test]
    fn the_file_stays_under_its_limit() {
        let rules = RuleConfig {
            default_rules: true,
            ..RuleConfig::default()
        }
        .compile()
        .unwrap();
        let cleaner = Cleaner::new(&rules, CleanOptions::default());
        // 400 documents of 200 KB: 80 MB of text.
        let para = "Pemerintah mengumumkan kebijakan baru hari ini untuk semua <warga> negara.\n\n";
        let body = para.repeat(200_000 / para.len());
        let one = page_of_cleaned(String::new(), &cleaner.clean(&body), &rules);
        let docs: Vec<PageDoc> = (0..400)
            .map(|i| PageDoc {
                name: format!("doc-{i}"),
                ..one.clone()
            })
            .collect();
        let page = Page {
            mode: Mode::Clean,
            title: "big".into(),
            sides: None,
            totals: Totals::default(),
            diff: None,
            flag_share: 0.6,
            rules: Vec::new(),
            docs,
        };
        let mut out = Vec::new();
        let written = write_html(page, &mut out).unwrap();
        assert_eq!(written.bytes as usize, out.len());
        assert!(out.len() < 20_000_000, "{}", out.len());
        assert_eq!(written.shown + written.omitted, 400);
        assert!(written.shown > 100, "{written:?}");
    }
}
