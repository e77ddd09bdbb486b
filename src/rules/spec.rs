//! The rule file format as written by people: raw serde structs, parsed
//! strictly (`deny_unknown_fields`). Nothing here is validated beyond TOML
//! syntax and types; [`super::compile`] turns these into the compiled form
//! the cleaner uses, and reports every semantic problem with file and id.

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
}

impl Detector {
    /// The kind of rule the detector belongs to.
    pub fn kind(self) -> Kind {
        match self {
            Detector::TitleSuffix | Detector::TitleRepeat => Kind::Header,
            Detector::TitleGlued | Detector::AfterTitleRepeat => Kind::Caption,
            Detector::HeaderZone | Detector::FooterZone | Detector::LinkList => Kind::Generic,
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
    /// `[input, output]` pairs: the rule alone turns input into output.
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

    #[serde(default)]
    pub examples: ExamplesSpec,
}
