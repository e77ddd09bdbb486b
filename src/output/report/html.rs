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

use serde_json::{Map, Value, json};

use super::page::{Decision, DiffCounts, Line, PageDoc, PageLine};
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
pub fn script_safe_json(value: &Value) -> String {
    escape_script(&value.to_string())
}

fn escape_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Hues far enough apart to tell apart (the greens, which look alike over
/// a wide range, get fewer).
const HUES: [u32; 16] = [
    0, 22, 38, 52, 84, 130, 165, 186, 200, 214, 232, 256, 278, 298, 318, 340,
];

/// The stable colour of a rule: a hue chosen by its id, the same in every
/// report. Two rules may share one; the page always shows the id too.
pub fn rule_hue(id: &str) -> u32 {
    HUES[(name_hash(id) % HUES.len() as u64) as usize]
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
                "hue": rule_hue(id),
                "lines": t.lines,
                "chars": t.chars,
                "released": t.released,
                "docs": t.docs,
            })
        })
        .collect();

    // Documents, most important first, while they fit.
    let per_doc = (TEXT_BUDGET / docs.len().max(1)).clamp(DOC_MIN_CHARS, DOC_MAX_CHARS);
    let mut kept: Vec<(usize, String)> = Vec::new();
    let mut used = 0;
    let mut omitted = 0;
    for (rank, doc) in docs.iter_mut().enumerate() {
        doc.elide(per_doc);
        let json = escape_script(&doc_json(doc, &index).to_string());
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
        put(json.as_bytes())?;
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

fn decision_json(d: &Decision, index: &HashMap<String, usize>) -> Value {
    let rule = |r: &Option<String>| r.as_ref().and_then(|id| index.get(id)).copied();
    match d {
        Decision::Keep => json!({"a": "keep"}),
        Decision::Absent => json!({"a": "absent"}),
        Decision::Drop {
            rule: r,
            why,
            score,
        } => {
            let mut o = json!({"a": "drop", "w": why});
            if let Some(r) = rule(r) {
                o["r"] = r.into();
            }
            if let Some(s) = score {
                o["s"] = json!((f64::from(*s) * 1000.0).round() / 1000.0);
            }
            o
        }
        Decision::Rewrite { rule: r, to } => {
            let mut o = json!({"a": "rewrite", "to": to});
            if let Some(r) = rule(r) {
                o["r"] = r.into();
            }
            o
        }
    }
}

fn line_json(l: &Line, index: &HashMap<String, usize>) -> Value {
    let mut o = json!({"n": l.n, "t": l.text});
    if l.cut > 0 {
        o["c"] = l.cut.into();
    }
    if l.now != Decision::Keep {
        o["d"] = decision_json(&l.now, index);
    }
    if let Some(b) = &l.before {
        o["b"] = decision_json(b, index);
    }
    o
}

fn doc_json(doc: &PageDoc, index: &HashMap<String, usize>) -> Value {
    let first: Vec<usize> = doc
        .picks
        .iter()
        .filter_map(|p| match p {
            Pick::FirstFor(id) => index.get(id).copied(),
            _ => None,
        })
        .collect();
    let lines: Vec<Value> = doc
        .lines
        .iter()
        .map(|l| match l {
            PageLine::Line(l) => line_json(l, index),
            PageLine::Gap => json!({"g": 1}),
            PageLine::Elided { lines, chars } => json!({"e": lines, "ec": chars}),
        })
        .collect();
    json!({
        "name": doc.name,
        "chars": doc.facts.chars_in,
        "removed": doc.facts.chars_removed,
        "flagged": doc.facts.flagged,
        "reverted": doc.facts.reverted,
        "first": first,
        "drawn": doc.picks.contains(&Pick::Drawn),
        "lines": lines,
    })
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
        sample.record(name.to_string(), cleaned, &rules);
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
