//! Code and markup leaked into the text (`generic.code`): the page's own
//! scripts, style sheets, JSON blobs, template placeholders and HTML tags
//! that a scraper kept as text.
//!
//! A line alone does not say whether code is clutter: on a documentation
//! page or a tutorial the code samples are the content. What tells them
//! apart is the page around them:
//!
//! - code that calls the APIs of page furniture (ad slots, analytics, tag
//!   managers, consent and social embeds; JSON-LD) is a page script, unless
//!   the page's text names that API (then the page is about it);
//! - other code is a sample when the page's text explains it: its prose
//!   names identifiers of the code (`useState`, `for_each`, `fetch()`, or
//!   at least three plain ones), or the line right before or after a run
//!   of code shares an identifier with it or introduces it with a colon.
//!   Code nothing on the page talks about is leaked.
//!
//! The guard: a line whose words read as a sentence is never code here,
//! whatever markup it carries.
//!
//! Cost: every line gets one byte scan for `{ } ; = < >`; only lines that
//! have one are looked at further, and the page-level work runs only on
//! documents with a line of code.

use std::collections::HashSet;

use super::{Pass, mark};
use crate::events::{Verdict, Why};
use crate::rules::{GenericOptions, KindOptions};
use crate::text::features::measure;

/// How a line reads as code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Code {
    /// Text.
    Not,
    /// Some code syntax (a call, a closing bracket, a `;`), not enough on
    /// its own: part of a run of code when next to a [`Code::Strong`] line.
    Weak,
    /// A line of code or markup.
    Strong,
}

/// Script APIs that only page furniture calls, each with the names a page
/// about that API would use in its text (compared ignoring ASCII case).
const PAGE_SCRIPT_APIS: &[(&str, &[&str])] = &[
    ("googletag", &["googletag"]),
    ("adsbygoogle", &["adsbygoogle"]),
    ("dataLayer", &["dataLayer"]),
    ("gtag(", &["gtag"]),
    ("_gaq", &["_gaq"]),
    ("GoogleAnalyticsObject", &["GoogleAnalyticsObject"]),
    ("fbq(", &["fbq"]),
    ("fbAsyncInit", &["fbAsyncInit"]),
    ("_comscore", &["comscore"]),
    ("__tcfapi", &["__tcfapi"]),
    ("pbjs.", &["pbjs", "prebid"]),
    ("apstag.", &["apstag"]),
    ("_taboola", &["taboola"]),
    ("twttr.", &["twttr"]),
    ("_Hasync", &["Histats"]),
    ("document.write(", &["document.write"]),
    ("\"@context\"", &["schema.org", "JSON-LD"]),
];

/// HTML element names: `<name ...>` or `</name>` in a line is markup.
#[rustfmt::skip]
const HTML_TAGS: &[&str] = &[
    "a", "abbr", "address", "article", "aside", "audio", "b", "blockquote", "body", "br", "button",
    "canvas", "center", "code", "col", "dd", "del", "details", "div", "dl", "dt", "em", "embed",
    "fieldset", "figcaption", "figure", "font", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "head", "header", "hr", "html", "i", "iframe", "img", "input", "ins", "kbd", "label",
    "legend", "li", "link", "main", "meta", "nav", "noscript", "object", "ol", "optgroup",
    "option", "p", "param", "picture", "pre", "q", "s", "script", "section", "select", "small",
    "source", "span", "strong", "style", "sub", "summary", "sup", "svg", "table", "tbody", "td",
    "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "u", "ul", "video",
];

/// Identifiers that say nothing about which code a page explains: keywords
/// of the common languages and the vocabulary of every web page's script.
/// Sorted, lowercase.
#[rustfmt::skip]
const COMMON_IDENTIFIERS: &[&str] = &[
    "and", "async", "await", "bool", "break", "case", "catch", "class", "com", "const", "continue",
    "data", "def", "default", "display", "div", "document", "else", "export", "false", "for",
    "from", "func", "function", "height", "href", "html", "http", "https", "impl", "import", "int",
    "length", "let", "mut", "name", "new", "not", "null", "package", "print", "private", "pub",
    "public", "push", "return", "script", "self", "span", "src", "static", "string", "struct",
    "style", "switch", "text", "the", "this", "throw", "title", "true", "try", "type", "typeof",
    "undefined", "url", "use", "value", "var", "void", "while", "width", "window", "www",
];

/// Prose that names this many plain identifiers of the page's code
/// explains it.
const EXPLAINED_PLAIN_IDENTIFIERS: usize = 3;
/// The shortest identifier that counts.
const IDENTIFIER_MIN_LEN: usize = 3;
/// A line with this many natural-language words is text, not a line inside
/// a run of code.
const WEAK_MAX_WORDS: usize = 8;
/// A line of code has at most this share of natural-language words.
const CODE_MAX_WORD_SHARE: f32 = 0.6;

/// Runs `generic.code` on the view of a pass. Returns whether a verdict
/// changed.
pub(super) fn run(p: &Pass, verdicts: &mut [Verdict]) -> bool {
    let Some(r) = p.rules.generic_rules.iter().copied().find(|&r| {
        matches!(
            p.rules.rules[r as usize].options,
            KindOptions::Generic(GenericOptions::Code)
        )
    }) else {
        return false;
    };
    let max_chars = p.rules.rules[r as usize].guards.max_chars;
    let candidates = p
        .doc
        .code_candidates
        .get_or_init(|| candidates(p.doc.text, p.doc.lines));
    if candidates.is_empty() {
        return false;
    }
    let line = |pos: usize| p.doc.line(p.view[pos].idx);
    let mut code = vec![Code::Not; p.view.len()];
    let mut any = false;
    let mut next = candidates.iter().peekable();
    for (pos, v) in p.view.iter().enumerate() {
        while next.next_if(|&&c| c < v.idx).is_some() {}
        if next.peek() == Some(&&v.idx) && strong(line(pos)) {
            code[pos] = Code::Strong;
            any = true;
        }
    }
    if !any {
        return false;
    }
    for (pos, c) in code.iter_mut().enumerate() {
        if *c == Code::Not && (weak(line(pos)) || object_entry(line(pos))) {
            // A call of a page script API is code enough on its own.
            *c = if page_script(line(pos)).is_some() {
                Code::Strong
            } else {
                Code::Weak
            };
        }
    }
    let blocks = code_blocks(&code);
    let in_block = {
        let mut in_block = vec![false; code.len()];
        for b in &blocks {
            in_block[b.clone()].fill(true);
        }
        in_block
    };
    let text = |pos: usize| !in_block[pos];
    // Runs that call a page script API the text never names.
    let scripts: Vec<bool> = blocks
        .iter()
        .map(|b| {
            b.clone()
                .filter_map(|pos| page_script(line(pos)))
                .any(|names| {
                    !(0..code.len())
                        .any(|t| text(t) && names.iter().any(|n| contains_ignore_case(line(t), n)))
                })
        })
        .collect();
    let samples = blocks
        .iter()
        .zip(&scripts)
        .filter(|(_, s)| !**s)
        .map(|(b, _)| b);
    let explained = page_explains_its_code(p, samples, &in_block);
    let mut changed = false;
    for (b, script) in blocks.iter().zip(scripts) {
        let why = if script {
            Why::PageScript
        } else if explained || introduced(p, b) {
            continue;
        } else {
            Why::UnexplainedCode
        };
        for pos in b.clone() {
            let idx = p.view[pos].idx;
            if p.doc.feats[idx].chars <= max_chars {
                changed |= mark(verdicts, idx, Verdict::Drop { rule: r, why });
            }
        }
    }
    changed
}

/// The runs of adjacent code lines (view positions) with at least one
/// strong line in them.
fn code_blocks(code: &[Code]) -> Vec<std::ops::Range<usize>> {
    let mut blocks = Vec::new();
    let mut pos = 0;
    while pos < code.len() {
        if code[pos] == Code::Not {
            pos += 1;
            continue;
        }
        let start = pos;
        while pos < code.len() && code[pos] != Code::Not {
            pos += 1;
        }
        if code[start..pos].contains(&Code::Strong) {
            blocks.push(start..pos);
        }
    }
    blocks
}

/// The names a page about the script API on this line would use, if the
/// line calls one.
fn page_script(line: &str) -> Option<&'static [&'static str]> {
    let bytes = line.as_bytes();
    PAGE_SCRIPT_APIS
        .iter()
        .find(|(marker, _)| memchr::memmem::find(bytes, marker.as_bytes()).is_some())
        .map(|&(_, names)| names)
}

/// `haystack` contains `needle`, ignoring ASCII case.
fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Whether the prose of the page names identifiers of its code: one in the
/// shape of code (`useState`, `for_each`, `fetch()`, `<table>`), or
/// [`EXPLAINED_PLAIN_IDENTIFIERS`] plain ones.
fn page_explains_its_code<'b>(
    p: &Pass,
    blocks: impl Iterator<Item = &'b std::ops::Range<usize>>,
    in_block: &[bool],
) -> bool {
    let mut identifiers: HashSet<&str> = HashSet::new();
    for b in blocks {
        for pos in b.clone() {
            let line = p.doc.line(p.view[pos].idx);
            for part in telling_parts(line) {
                for_each_identifier(&line[part], |id, _| {
                    if distinctive(id) {
                        identifiers.insert(id);
                    }
                });
            }
        }
    }
    let mut plain: HashSet<&str> = HashSet::new();
    let mut code_shaped = false;
    for (pos, v) in p.view.iter().enumerate() {
        if in_block[pos] || !p.doc.feats[v.idx].is_prose() {
            continue;
        }
        for_each_identifier(p.doc.line(v.idx), |id, shaped| {
            if identifiers.contains(id) {
                code_shaped |= shaped;
                plain.insert(id);
            }
        });
        if code_shaped || plain.len() >= EXPLAINED_PLAIN_IDENTIFIERS {
            return true;
        }
    }
    false
}

/// The parts of a line of code whose identifiers tell what the code is
/// about: of markup, the tags, not the text between them (link texts and
/// names, which prose repeats anyway); without quoted URLs and paths.
fn telling_parts(line: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = line.as_bytes();
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + lt;
        match tag_end(bytes, start) {
            Some(end) => {
                tags.push(start..end);
                at = end;
            }
            None => at = start + 1,
        }
    }
    if tags.is_empty() {
        tags.push(0..bytes.len());
    }
    let mut parts = Vec::with_capacity(tags.len());
    for span in tags {
        let mut from = span.start;
        let mut i = span.start;
        while i < span.end {
            let quote = bytes[i];
            if quote != b'"' && quote != b'\'' {
                i += 1;
                continue;
            }
            let Some(len) = memchr::memchr(quote, &bytes[i + 1..span.end]) else {
                break;
            };
            let inner = &bytes[i + 1..i + 1 + len];
            let end = i + 1 + len + 1;
            if inner.starts_with(b"/") || memchr::memmem::find(inner, b"://").is_some() {
                parts.push(from..i);
                from = end;
            }
            i = end;
        }
        parts.push(from..span.end);
    }
    parts
}

/// Whether the line right before or after a run of code introduces it: it
/// shares an identifier with the run, or (before it) ends with a colon.
fn introduced(p: &Pass, block: &std::ops::Range<usize>) -> bool {
    let line = |pos: usize| p.doc.line(p.view[pos].idx);
    if block.start > 0 {
        let before = line(block.start - 1);
        if before.ends_with(':') && p.doc.feats[p.view[block.start - 1].idx].words >= 3 {
            return true;
        }
    }
    let neighbours: Vec<&str> = [block.start.checked_sub(1), Some(block.end)]
        .into_iter()
        .flatten()
        .filter(|&pos| pos < p.view.len())
        .map(line)
        .collect();
    if neighbours.is_empty() {
        return false;
    }
    let mut shared = false;
    for pos in block.clone() {
        let code = line(pos);
        for part in telling_parts(code) {
            for_each_identifier(&code[part], |id, _| {
                if !shared && distinctive(id) {
                    shared = neighbours.iter().any(|n| has_identifier(n, id));
                }
            });
        }
        if shared {
            return true;
        }
    }
    false
}

/// `line` has `id` as a whole identifier.
fn has_identifier(line: &str, id: &str) -> bool {
    let mut found = false;
    for_each_identifier(line, |other, _| found |= other == id);
    found
}

/// An identifier that can tell which code a text is about: long enough and
/// not a keyword or common web-script word.
fn distinctive(id: &str) -> bool {
    if id.len() < IDENTIFIER_MIN_LEN {
        return false;
    }
    let mut lower = [0u8; 16];
    if id.len() > lower.len() {
        return true;
    }
    for (l, b) in lower.iter_mut().zip(id.bytes()) {
        *l = b.to_ascii_lowercase();
    }
    let lower = &lower[..id.len()];
    COMMON_IDENTIFIERS
        .binary_search_by(|k| k.as_bytes().cmp(lower))
        .is_err()
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'$'
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Calls `f` with each ASCII identifier of `line` (a run of letters,
/// digits, `_` and `$` not starting with a digit nor touching a non-ASCII
/// letter) and whether it is written as code: called (`fetch(`), a path
/// (`JSON.stringify`), camelCase, snake_case, or a tag (`<table>`).
fn for_each_identifier<'a>(line: &'a str, mut f: impl FnMut(&'a str, bool)) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !is_ident_byte(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_ident_byte(bytes[i]) {
            i += 1;
        }
        let before = start.checked_sub(1).map(|s| bytes[s]);
        let after = bytes.get(i).copied();
        if !is_ident_start(bytes[start])
            || before.is_some_and(|b| b >= 0x80)
            || after.is_some_and(|b| b >= 0x80)
        {
            continue;
        }
        let id = &line[start..i];
        let called = after == Some(b'(');
        let path = after == Some(b'.') && bytes.get(i + 1).is_some_and(|&b| is_ident_start(b));
        let camel = id
            .as_bytes()
            .windows(2)
            .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
        let snake = id.trim_matches('_').contains('_');
        let tag = after == Some(b'>')
            && (before == Some(b'<')
                || (before == Some(b'/') && start >= 2 && bytes[start - 2] == b'<'));
        f(id, called || path || camel || snake || tag);
    }
}

/// The lines of a document (indices, ascending) with one of the bytes
/// every line of code or markup has: `{ } ; = < >`. Found with two vector
/// scans of the whole text, once per document: the cheap test before any
/// other.
pub(super) fn candidates(text: &str, lines: &[std::ops::Range<usize>]) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut hits: Vec<usize> = memchr::memchr3_iter(b'{', b'}', b';', bytes)
        .chain(memchr::memchr3_iter(b'=', b'<', b'>', bytes))
        .map(|at| lines.partition_point(|l| l.end < at))
        .collect();
    hits.sort_unstable();
    hits.dedup();
    hits
}

/// Whether a line has any of the bytes every line of code or markup has
/// one of.
fn may_be_code(line: &str) -> bool {
    let bytes = line.as_bytes();
    memchr::memchr3(b'{', b'}', b';', bytes).is_some()
        || memchr::memchr3(b'=', b'<', b'>', bytes).is_some()
}

/// A line of code or markup: closing brackets, a template tag, HTML tags
/// around little text, a JSON object, or a statement with code syntax and
/// few natural words.
fn strong(line: &str) -> bool {
    if !may_be_code(line) {
        return false;
    }
    let bytes = line.as_bytes();
    if bytes.iter().all(|b| {
        matches!(
            b,
            b'{' | b'}' | b'(' | b')' | b'[' | b']' | b';' | b',' | b' '
        )
    }) {
        return bytes.iter().any(|&b| b == b'{' || b == b'}') || bytes.ends_with(b";");
    }
    if let Some(rest) = without_templates(line) {
        return !reads_as_sentence(&rest);
    }
    let (tags, rest) = without_tags(line);
    if tags > 0 {
        // Tags around a title or a phrase ("A <b>bold</b> claim") are
        // formatting of text; markup is mostly tags.
        let rest = rest.trim();
        if !reads_as_sentence(rest) && rest.len() * 2 <= line.len() {
            return true;
        }
    }
    if json_object(line) {
        return true;
    }
    // A call of a page script API needs less syntax to be code.
    let needed = if page_script(line).is_some() { 1 } else { 2 };
    syntax_marks(line) >= needed && mostly_not_words(line) && !reads_as_sentence(line)
}

/// Some code syntax in a line that is not text: a line that can sit inside
/// a run of code.
fn weak(line: &str) -> bool {
    if !line.bytes().any(|b| {
        matches!(
            b,
            b'{' | b'}' | b'(' | b')' | b'[' | b']' | b';' | b'=' | b'<' | b'>'
        )
    }) {
        return false;
    }
    if reads_as_sentence(line) || natural_words(line).0 >= WEAK_MAX_WORDS {
        return false;
    }
    syntax_marks(line) >= 1 || line.ends_with([';', '{', '}', ',', '(', '['])
}

/// An entry of an object literal or a configuration: `method: "POST",`,
/// `"size": 10,`, `headers: {`.
fn object_entry(line: &str) -> bool {
    let bytes = line.as_bytes();
    let key_end = match bytes.first() {
        Some(b'"') => memchr::memchr(b'"', &bytes[1..]).map(|e| e + 2),
        Some(&b) if is_ident_start(b) => bytes.iter().position(|&b| !is_ident_byte(b)),
        _ => None,
    };
    key_end.is_some_and(|k| bytes.get(k) == Some(&b':'))
        && line.ends_with([',', '{', '['])
        && natural_words(line).0 < WEAK_MAX_WORDS
}

/// Reads as a sentence: six words or more, ending like one.
fn reads_as_sentence(text: &str) -> bool {
    let f = measure(text);
    f.words >= 6 && f.ends_terminal
}

/// The line without its template tags (`{{ x }}`, `{% x %}`, `<% x %>`),
/// when it has one.
fn without_templates(line: &str) -> Option<String> {
    let mut rest = String::new();
    let mut found = false;
    let mut i = 0;
    let bytes = line.as_bytes();
    while i < bytes.len() {
        let close = match &bytes[i..] {
            [b'{', b'{', ..] => Some("}}"),
            [b'{', b'%', ..] => Some("%}"),
            [b'<', b'%', ..] => Some("%>"),
            _ => None,
        };
        if let Some(close) = close
            && let Some(end) = memchr::memmem::find(&bytes[i + 2..], close.as_bytes())
        {
            found = true;
            rest.push(' ');
            i += 2 + end + 2;
            continue;
        }
        let len = utf8_len(bytes[i]);
        rest.push_str(&line[i..i + len]);
        i += len;
    }
    found.then_some(rest)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xf0.. => 4,
        0xe0.. => 3,
        0xc0.. => 2,
        _ => 1,
    }
}

/// The number of HTML tags and comment marks in a line, and the line
/// without them. A tag is `<name>`, `</name>`, `<name/>` or `<name ...>`
/// with an attribute (`=`), for the element names of [`HTML_TAGS`].
fn without_tags(line: &str) -> (usize, String) {
    let bytes = line.as_bytes();
    if !bytes.contains(&b'<') && memchr::memmem::find(bytes, b"-->").is_none() {
        return (0, String::new());
    }
    let mut rest = String::with_capacity(line.len());
    let mut tags = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"<!--") {
            tags += 1;
            i = memchr::memmem::find(&bytes[i + 4..], b"-->")
                .map_or(bytes.len(), |e| i + 4 + e + 3);
            rest.push(' ');
            continue;
        }
        if bytes[i..].starts_with(b"-->") {
            tags += 1;
            i += 3;
            continue;
        }
        if bytes[i] == b'<'
            && let Some(end) = tag_end(bytes, i)
        {
            tags += 1;
            rest.push(' ');
            i = end;
            continue;
        }
        let len = utf8_len(bytes[i]);
        rest.push_str(&line[i..i + len]);
        i += len;
    }
    (tags, rest)
}

/// The end (one past `>`) of an HTML tag starting at `bytes[at] == b'<'`.
fn tag_end(bytes: &[u8], at: usize) -> Option<usize> {
    let closing = bytes.get(at + 1) == Some(&b'/');
    let name_start = at + 1 + usize::from(closing);
    let mut name_end = name_start;
    while name_end < bytes.len() && (bytes[name_end].is_ascii_alphanumeric()) {
        name_end += 1;
    }
    let name = &bytes[name_start..name_end];
    if name.is_empty() || name.len() > 10 {
        return None;
    }
    let mut lower = [0u8; 10];
    for (l, b) in lower.iter_mut().zip(name) {
        *l = b.to_ascii_lowercase();
    }
    let lower = &lower[..name.len()];
    if !HTML_TAGS.iter().any(|t| t.as_bytes() == lower) {
        return None;
    }
    let gt = name_end + memchr::memchr(b'>', &bytes[name_end..])?;
    let inner = &bytes[name_end..gt];
    if inner.contains(&b'<') {
        return None;
    }
    let bare = inner.iter().all(|&b| b == b' ' || b == b'/');
    let attributes = !closing && inner.first() == Some(&b' ') && inner.contains(&b'=');
    (bare || attributes).then_some(gt + 1)
}

/// A JSON object or array of objects: `{"key":`, `[{"key":`.
fn json_object(line: &str) -> bool {
    let s = line.trim_start_matches(['[', ' ']);
    let Some(s) = s.strip_prefix('{') else {
        return false;
    };
    let s = s.trim_start();
    s.starts_with('"')
        && s[1..]
            .find('"')
            .is_some_and(|end| s[1 + end + 1..].trim_start().starts_with(':'))
}

/// Marks of code syntax, counted once each: braces; declarations in
/// braces (`{ color: red; }`); an assignment or comparison; `&&`, `||` or
/// `=>`; a call closed by `;`, `.`, `{`, `,` or `)`; a line that ends with
/// `;` or `{` or starts with a closing bracket.
fn syntax_marks(line: &str) -> usize {
    let bytes = line.as_bytes();
    let braces = bytes.iter().any(|&b| b == b'{' || b == b'}');
    let declarations = memchr::memchr(b'{', bytes).is_some_and(|open| {
        memchr::memchr(b':', &bytes[open..])
            .is_some_and(|colon| memchr::memchr(b';', &bytes[open + colon..]).is_some())
    });
    let logic = memchr::memmem::find(bytes, b"&&").is_some()
        || memchr::memmem::find(bytes, b"||").is_some()
        || memchr::memmem::find(bytes, b"=>").is_some();
    let ends = bytes.ends_with(b";")
        || bytes.ends_with(b"{")
        || matches!(bytes.first(), Some(b'}' | b')' | b']'));
    usize::from(braces)
        + usize::from(declarations)
        + usize::from(assignment(bytes))
        + usize::from(logic)
        + usize::from(call(bytes))
        + usize::from(ends)
}

/// `x = 1`, `a == b`, `x += 1`, `a := b`: an `=` after an operand, with
/// something after it.
fn assignment(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'=', bytes).any(|i| {
        let mut b = i;
        while b > 0 && matches!(bytes[b - 1], b'=' | b'!' | b'+' | b'-' | b':' | b'<' | b'>') {
            b -= 1;
        }
        if b > 0 && bytes[b - 1] == b' ' {
            b -= 1;
        }
        let operand = b > 0 && {
            let c = bytes[b - 1];
            is_ident_byte(c) || matches!(c, b')' | b']' | b'\'' | b'"')
        };
        let mut a = i + 1;
        while a < bytes.len() && matches!(bytes[a], b'=' | b'>') {
            a += 1;
        }
        if a < bytes.len() && bytes[a] == b' ' {
            a += 1;
        }
        operand && a < bytes.len() && bytes[a] != b' '
    })
}

/// `name(args)` or `a.b(args)` followed by `;`, `.`, `{`, `,` or `)`.
fn call(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'(', bytes).any(|open| {
        if open == 0 || !is_ident_byte(bytes[open - 1]) {
            return false;
        }
        let Some(len) = bytes[open + 1..]
            .iter()
            .position(|&b| b == b')' || b == b'(')
        else {
            return false;
        };
        let close = open + 1 + len;
        if bytes[close] != b')' {
            return false;
        }
        let next = bytes[close + 1..].iter().find(|&&b| b != b' ');
        matches!(next, Some(b';' | b'.' | b'{' | b',' | b')'))
    })
}

/// Natural-language words (letters only, with their punctuation) and all
/// space-separated tokens of a line.
fn natural_words(line: &str) -> (usize, usize) {
    let mut words = 0;
    let mut tokens = 0;
    for token in line.split(' ').filter(|t| !t.is_empty()) {
        tokens += 1;
        if token.contains(['{', '}', '=', '<', '>', ';']) {
            continue;
        }
        let core = token.trim_matches(|c: char| {
            matches!(
                c,
                '"' | '\''
                    | '“'
                    | '”'
                    | '‘'
                    | '’'
                    | '('
                    | ')'
                    | '['
                    | ']'
                    | ','
                    | '.'
                    | ':'
                    | '!'
                    | '?'
                    | '«'
                    | '»'
            )
        });
        if core.chars().count() >= 2
            && core
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'))
        {
            words += 1;
        }
    }
    (words, tokens)
}

/// At most [`CODE_MAX_WORD_SHARE`] of the tokens are natural words.
fn mostly_not_words(line: &str) -> bool {
    let (words, tokens) = natural_words(line);
    words as f32 <= CODE_MAX_WORD_SHARE * tokens as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_code_and_markup() {
        for line in [
            "}",
            "});",
            "})();",
            "var _gaq = _gaq || [];",
            "googletag.cmd.push(function() { googletag.display('div-gpt-ad-1'); });",
            "(adsbygoogle = window.adsbygoogle || []).push({});",
            "function loadScript(src) {",
            "document.head.appendChild(s);",
            "if (window.innerWidth < 768) { showMobileAds(); }",
            ".share-bar { display: flex; gap: 8px; }",
            "{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\"}",
            "[{\"id\": 1, \"title\": \"x\"}]",
            "{{ article.title }}",
            "{% block content %}",
            "<% if (user) { %>",
            "</div>",
            "<div class=\"ad-slot\" id=\"div-gpt-ad-1\"></div>",
            "<a title=\"View profile\" href=\"/author/editors\">The Editors</a> 18:07",
            "<!-- end of article -->",
        ] {
            assert!(strong(line), "{line}");
        }
    }

    #[test]
    fn prose_is_not_code() {
        for line in [
            "Menurut dia, anggaran itu (sekitar Rp 2 triliun) cukup untuk tahun depan.",
            "The function square takes one parameter, called number.",
            "EAN (in Europe; 13-digit number);",
            "Jeni Green1, MS ;",
            "Process payment(s) for products or services purchased;",
            "My {back, knees, ankles…} Hurt!!",
            "<p>Pemerintah daerah menyatakan bahwa jalan itu akan segera diperbaiki.</p>",
            "You must sign in to react to this {%=typeName%}.",
            "Show it with googletag.display(); the call waits until the library has loaded:",
            "<version>: Specifies the schema version.",
            "<The Palace: Jang Noksu>",
            "A title with <b>bold</b> & \"quotes\" and 'single' ones",
            "<span>Jawna</span> Thu, 07/04/2024 - 18:07",
            "a < b and c > d",
            "2 + 2 = 4",
        ] {
            assert!(!strong(line), "{line}");
        }
    }

    #[test]
    fn weak_lines_have_some_syntax_and_few_words() {
        assert!(weak("root /data/www;"));
        assert!(weak("fmt.Println(quote.Go())"));
        assert!(weak("return ("));
        assert!(!weak(
            "Paste the following code into your hello.go file (and save it)."
        ));
        assert!(!weak("Jakarta, Kompas"));
        assert!(object_entry("method: \"POST\","));
        assert!(object_entry("\"size\": 10,"));
        assert!(!object_entry("Jakarta: hujan ringan."));
    }

    #[test]
    fn identifiers_and_their_shape() {
        let mut seen = Vec::new();
        for_each_identifier(
            "Call fetch() with JSON.stringify and useState, the <table> or for_each; café 3px",
            |id, shaped| seen.push((id, shaped)),
        );
        let shaped: Vec<_> = seen.iter().filter(|s| s.1).map(|s| s.0).collect();
        assert_eq!(shaped, ["fetch", "JSON", "useState", "table", "for_each"]);
        assert!(seen.iter().any(|s| s.0 == "Call" && !s.1));
        assert!(!seen.iter().any(|s| s.0 == "caf" || s.0 == "px"));
    }

    #[test]
    fn markup_tells_by_its_tags_and_code_not_by_urls() {
        let line =
            r#"<a href="https://example.com/album/x" class="album-link">Shipwreck by Steve</a>"#;
        let parts: Vec<&str> = telling_parts(line).into_iter().map(|r| &line[r]).collect();
        assert_eq!(parts, [r#"<a href="#, r#" class="album-link">"#, "</a>"]);
        let js = "load('/api/feed', cb);";
        let parts: Vec<&str> = telling_parts(js).into_iter().map(|r| &js[r]).collect();
        assert_eq!(parts, ["load(", ", cb);"]);
    }

    #[test]
    fn candidates_are_the_lines_with_code_bytes() {
        let text = "plain\nx = 1;\n\nalso plain\n<b>\nend {";
        let mut lines = Vec::new();
        let mut start = 0;
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                lines.push(start..i);
                start = i + 1;
            }
        }
        lines.push(start..text.len());
        assert_eq!(candidates(text, &lines), [1, 4, 5]);
    }

    #[test]
    fn common_identifiers_are_sorted() {
        assert!(COMMON_IDENTIFIERS.windows(2).all(|w| w[0] < w[1]));
        assert!(!distinctive("Window") && !distinctive("ab") && distinctive("googletag"));
    }
}
