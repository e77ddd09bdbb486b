//! The rule file format as written by people: raw serde structs, parsed
//! strictly (`deny_unknown_fields`). Nothing here is validated beyond TOML
//! syntax and types; [`super::compile`] turns these into the compiled form
//! the cleaner uses, and reports every semantic problem with file and id.

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

/// One rule file: a list of `[[rule]]` tables, each kept with its place in
/// the text and read into a [`RuleSpec`] on its own, so that a problem in
/// one rule names its line and id and the other rules are still read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFileSpec {
    #[serde(default)]
    pub rule: Vec<toml::Spanned<toml::Table>>,
}

/// What a rule does once its patterns match. See `sapu explain ID` and the
/// README for the semantics of each kind.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Drop the matching line.
    Line,
    /// Drop the matching line; reported as spam.
    Spam,
    /// Drop a heading and the list of short lines that follows it.
    Block,
    /// Drop from the marker line to the end of the document.
    Tail,
    /// Drop photo captions and credits (optionally with the lines that
    /// repeat them).
    Caption,
    /// Title furniture: suffixes, repeated titles, bylines and labels above
    /// the article.
    Header,
    /// Generic detection from the document's shape, for sites no rule names.
    Generic,
}

impl Kind {
    /// The kind as written in a rule file.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Line => "line",
            Kind::Spam => "spam",
            Kind::Block => "block",
            Kind::Tail => "tail",
            Kind::Caption => "caption",
            Kind::Header => "header",
            Kind::Generic => "generic",
        }
    }
}

/// Where in the document a line-matching rule applies.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Zone {
    /// Anywhere.
    #[default]
    Any,
    /// Between the title and the first prose paragraph.
    Header,
    /// After the last prose paragraph.
    Footer,
    /// Outside the text: in the header or the footer zone.
    Outside,
}

impl Zone {
    /// The zone as written in a rule file.
    pub fn name(self) -> &'static str {
        match self {
            Zone::Any => "any",
            Zone::Header => "header",
            Zone::Footer => "footer",
            Zone::Outside => "outside",
        }
    }
}

/// Structural detectors that need document context rather than a pattern.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Detector {
    /// Strip a site suffix (" | Site", " - Site.com") from the title line;
    /// the rule's `regex` patterns describe the suffix.
    TitleSuffix,
    /// Drop later lines that repeat the title.
    TitleRepeat,
    /// Drop lines that start with the title and carry more text glued on
    /// (image alt text followed by its caption).
    TitleGlued,
    /// Drop the short line right below a repeated title (its photo caption).
    AfterTitleRepeat,
    /// Generic: non-prose lines before the main content (menus,
    /// breadcrumbs, login calls), apart from the title and a subtitle.
    HeaderZone,
    /// Generic: non-prose lines after the main content (share buttons,
    /// related links, footers, copyright lines).
    FooterZone,
    /// Generic: runs of short label-like lines inside the main content
    /// (menus, tag clouds, link lists).
    LinkList,
    /// Generic: the lines a trained model scores as boilerplate (below the
    /// rule's `threshold` of probability of being content).
    Model,
    /// Generic: code and markup leaked into the text (page scripts, style
    /// sheets, JSON, template tags, HTML tags) that the page's text does
    /// not explain.
    Code,
}

impl Detector {
    /// The detector as written in a rule file.
    pub fn name(self) -> &'static str {
        match self {
            Detector::TitleSuffix => "title-suffix",
            Detector::TitleRepeat => "title-repeat",
            Detector::TitleGlued => "title-glued",
            Detector::AfterTitleRepeat => "after-title-repeat",
            Detector::HeaderZone => "header-zone",
            Detector::FooterZone => "footer-zone",
            Detector::LinkList => "link-list",
            Detector::Model => "model",
            Detector::Code => "code",
        }
    }

    /// The kind of rule the detector belongs to.
    pub fn kind(self) -> Kind {
        match self {
            Detector::TitleSuffix | Detector::TitleRepeat => Kind::Header,
            Detector::TitleGlued | Detector::AfterTitleRepeat => Kind::Caption,
            Detector::HeaderZone
            | Detector::FooterZone
            | Detector::LinkList
            | Detector::Model
            | Detector::Code => Kind::Generic,
        }
    }
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct ExamplesSpec {
    /// Texts every line of which the rule drops; lines written with a
    /// leading `= ` are context that the rule must keep.
    #[serde(default)]
    pub drop: Vec<String>,
    /// Texts the rule must leave untouched.
    #[serde(default)]
    pub keep: Vec<String>,
    /// `[input, output]` pairs: the rule alone turns input into output (a
    /// title without its suffix, a paragraph without the promo glued to
    /// it).
    #[serde(default)]
    pub rewrite: Vec<(String, String)>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub kind: Kind,
    pub description: String,

    // Line patterns. A line matches when any pattern matches.
    #[serde(default)]
    pub exact: Vec<String>,
    #[serde(default)]
    pub prefix: Vec<String>,
    #[serde(default)]
    pub suffix: Vec<String>,
    #[serde(default)]
    pub contains: Vec<String>,
    #[serde(default)]
    pub regex: Vec<String>,
    /// Regexes that veto a match (for example: a line with quotes is a
    /// quote, not a caption).
    #[serde(default)]
    pub unless: Vec<String>,
    /// Case-insensitive matching of all patterns (default true).
    pub case_insensitive: Option<bool>,

    // Guards.
    /// Only lines up to this many characters match (the length guard).
    pub max_chars: Option<usize>,
    /// Only lines up to this many words match.
    pub max_words: Option<usize>,
    /// Never drop a line that reads as a full sentence (6+ words ending
    /// with a period).
    pub keep_sentences: Option<bool>,
    /// Where the rule applies (line, spam, caption, header kinds).
    pub zone: Option<Zone>,

    // Kind-specific options.
    pub detector: Option<Detector>,
    /// block: the fewest list items that make a block.
    pub min_items: Option<usize>,
    /// block: the longest line (characters) that still counts as a list item.
    pub item_max_chars: Option<usize>,
    /// block: the most words a list item may have.
    pub item_max_words: Option<usize>,
    /// tail: the marker must start in this last share of the document's
    /// characters (0 < share <= 1).
    pub within_last: Option<f64>,
    /// caption: also drop adjacent lines that repeat the caption.
    pub repeats: Option<bool>,
    /// generic model: drop lines whose probability of being content is
    /// below this (0 < threshold < 1).
    pub threshold: Option<f64>,
    /// line: when the patterns match a part glued without a space to the
    /// end (or start) of a prose paragraph, cut that part and keep the
    /// paragraph.
    pub cut_glued: Option<bool>,

    #[serde(default)]
    pub examples: ExamplesSpec,
    /// Where the rule was read from (`None` for a rule made otherwise), so
    /// that a bad pattern is reported at its own line.
    #[serde(skip)]
    pub origin: Option<RuleOrigin>,
}

/// A rule's place in its file: the file's text, shared by its rules, and
/// the byte range of the rule's table. A pattern's line is looked up in it
/// only when the pattern is reported.
#[derive(Debug, Clone)]
pub struct RuleOrigin {
    pub text: Arc<str>,
    pub span: Range<usize>,
}

impl RuleSpec {
    /// The rule as a `[[rule]]` table, as a user writes it: the keys that
    /// are set, in the order of the README, patterns one per line.
    pub fn to_toml(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::from("[[rule]]\n");
        let mut key = |name: &str, value: String| {
            let _ = writeln!(out, "{name} = {value}");
        };
        key("id", quoted(&self.id));
        key("kind", quoted(self.kind.name()));
        key("description", quoted(&self.description));
        for (name, list) in [
            ("exact", &self.exact),
            ("prefix", &self.prefix),
            ("suffix", &self.suffix),
            ("contains", &self.contains),
            ("regex", &self.regex),
            ("unless", &self.unless),
        ] {
            if !list.is_empty() {
                key(name, array(list.iter().map(|p| quoted(p))));
            }
        }
        let shown = |v: Option<String>, name: &str, key: &mut dyn FnMut(&str, String)| {
            if let Some(v) = v {
                key(name, v);
            }
        };
        shown(
            self.case_insensitive.map(|b| b.to_string()),
            "case_insensitive",
            &mut key,
        );
        shown(self.max_chars.map(|n| n.to_string()), "max_chars", &mut key);
        shown(self.max_words.map(|n| n.to_string()), "max_words", &mut key);
        shown(
            self.keep_sentences.map(|b| b.to_string()),
            "keep_sentences",
            &mut key,
        );
        shown(self.zone.map(|z| quoted(z.name())), "zone", &mut key);
        shown(
            self.detector.map(|d| quoted(d.name())),
            "detector",
            &mut key,
        );
        shown(self.min_items.map(|n| n.to_string()), "min_items", &mut key);
        shown(
            self.item_max_chars.map(|n| n.to_string()),
            "item_max_chars",
            &mut key,
        );
        shown(
            self.item_max_words.map(|n| n.to_string()),
            "item_max_words",
            &mut key,
        );
        shown(
            self.within_last.map(|w| w.to_string()),
            "within_last",
            &mut key,
        );
        shown(self.repeats.map(|b| b.to_string()), "repeats", &mut key);
        shown(self.threshold.map(|t| t.to_string()), "threshold", &mut key);
        shown(self.cut_glued.map(|b| b.to_string()), "cut_glued", &mut key);
        let ex = &self.examples;
        if !ex.drop.is_empty() {
            key("examples.drop", array(ex.drop.iter().map(|t| quoted(t))));
        }
        if !ex.keep.is_empty() {
            key("examples.keep", array(ex.keep.iter().map(|t| quoted(t))));
        }
        if !ex.rewrite.is_empty() {
            let pairs = ex
                .rewrite
                .iter()
                .map(|(a, b)| format!("[{}, {}]", quoted(a), quoted(b)));
            key("examples.rewrite", array(pairs));
        }
        out
    }
}

/// A TOML string: literal (single quotes) when that needs no escape, as
/// regexes are usually written, else basic.
fn quoted(s: &str) -> String {
    if !s.contains(['\'', '\n', '\r', '\t']) && s.contains('\\') {
        format!("'{s}'")
    } else {
        toml::Value::String(s.to_string()).to_string()
    }
}

/// A TOML array, one item per line when it has more than one.
fn array(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    if items.len() == 1 {
        return format!("[{}]", items[0]);
    }
    let mut out = String::from("[\n");
    for item in items {
        out.push_str("    ");
        out.push_str(&item);
        out.push_str(",\n");
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_prints_back_as_the_toml_it_was_read_from() {
        let text = r#"[[rule]]
id = "site.x"
kind = "block"
description = "A \"list\" of links."
regex = ['^(?:lihat|baca)\s+juga$']
unless = [
    "quote",
    "it's",
]
case_insensitive = false
max_chars = 80
zone = "header"
min_items = 3
examples.drop = ["Baca juga\n- a\n- b\n- c"]
examples.keep = ["x"]
examples.rewrite = [["a", "b"]]
"#;
        let file: RuleFileSpec = toml::from_str(text).unwrap();
        let table = file.rule.into_iter().next().unwrap().into_inner();
        let spec = RuleSpec::deserialize(toml::Value::Table(table)).unwrap();
        let printed = spec.to_toml();
        let again: RuleFileSpec = toml::from_str(&printed).unwrap();
        let table = again.rule.into_iter().next().unwrap().into_inner();
        let spec2 = RuleSpec::deserialize(toml::Value::Table(table)).unwrap();
        assert_eq!(format!("{spec:?}"), format!("{spec2:?}"));
        assert!(printed.contains("zone = \"header\"\n"), "{printed}");
        assert!(printed.contains("kind = \"block\"\n"), "{printed}");
        assert!(
            printed.contains("regex = ['^(?:lihat|baca)\\s+juga$']\n"),
            "{printed}"
        );
    }
}
