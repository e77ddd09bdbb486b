//! Scoring a cleaner against pages with must-keep and must-drop snippets
//! (the `raw/NAME.txt` + `expect/NAME.json` layout of the evaluation sets).
//!
//! A snippet matches when it is a substring of the text after the same
//! normalization of both sides: NFC; curly quotes to straight; en and em
//! dashes to `-`; `…` to `...`; no-break space to space; zero-width space
//! and BOM removed; every whitespace run to one space.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// The snippets of one page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    #[serde(default)]
    pub with: Vec<String>,
    #[serde(default)]
    pub without: Vec<String>,
}

/// The matching form of a text.
pub fn match_form(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfc() {
        let mapped: &str = match c {
            '“' | '”' | '„' | '‟' | '«' | '»' => "\"",
            '‘' | '’' | '‚' | '‛' => "'",
            '–' | '—' => "-",
            '…' => "...",
            '\u{200b}' | '\u{feff}' => "",
            c if c.is_whitespace() => " ",
            _ => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
                continue;
            }
        };
        if mapped == " " {
            space = true;
        } else if !mapped.is_empty() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push_str(mapped);
        }
    }
    out
}

/// Score of one page.
#[derive(Debug, Clone, Serialize)]
pub struct PageScore {
    pub name: String,
    pub with_total: usize,
    pub with_kept: usize,
    pub without_total: usize,
    pub without_removed: usize,
    /// `with` snippets that were lost.
    pub lost: Vec<String>,
    /// `without` snippets that were left.
    pub left: Vec<String>,
}

/// Scores one cleaned page.
pub fn score_page(name: &str, cleaned: &str, expect: &Expectation) -> PageScore {
    let text = match_form(cleaned);
    let mut s = PageScore {
        name: name.to_string(),
        with_total: expect.with.len(),
        with_kept: 0,
        without_total: expect.without.len(),
        without_removed: 0,
        lost: Vec::new(),
        left: Vec::new(),
    };
    for w in &expect.with {
        if text.contains(&match_form(w)) {
            s.with_kept += 1;
        } else {
            s.lost.push(w.clone());
        }
    }
    for w in &expect.without {
        if text.contains(&match_form(w)) {
            s.left.push(w.clone());
        } else {
            s.without_removed += 1;
        }
    }
    s
}

/// Totals over pages: shares over all snippets (micro) and the mean of
/// per-page shares (macro).
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub pages: usize,
    pub with_kept: f64,
    pub without_removed: f64,
    pub harmonic_mean: f64,
    pub macro_with_kept: f64,
    pub macro_without_removed: f64,
}

pub fn harmonic(a: f64, b: f64) -> f64 {
    if a + b == 0.0 {
        0.0
    } else {
        2.0 * a * b / (a + b)
    }
}

pub fn summarize(pages: &[PageScore]) -> Summary {
    let share = |num: usize, den: usize| {
        if den == 0 {
            1.0
        } else {
            num as f64 / den as f64
        }
    };
    let (mut wk, mut wt, mut rr, mut rt) = (0, 0, 0, 0);
    let (mut mw, mut mr) = (0.0, 0.0);
    for p in pages {
        wk += p.with_kept;
        wt += p.with_total;
        rr += p.without_removed;
        rt += p.without_total;
        mw += share(p.with_kept, p.with_total);
        mr += share(p.without_removed, p.without_total);
    }
    let n = pages.len().max(1) as f64;
    let with_kept = share(wk, wt);
    let without_removed = share(rr, rt);
    Summary {
        pages: pages.len(),
        with_kept,
        without_removed,
        harmonic_mean: harmonic(with_kept, without_removed),
        macro_with_kept: mw / n,
        macro_without_removed: mr / n,
    }
}

/// The pages of an evaluation set: `(name, raw path, expectation)` for
/// every `RAW/NAME.txt` that has an `EXPECT/NAME.json`, in name order.
pub fn load_set(raw: &Path, expect: &Path) -> Result<Vec<(String, PathBuf, Expectation)>, String> {
    let mut pages = Vec::new();
    let entries = fs::read_dir(raw).map_err(|e| format!("{}: {e}", raw.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.strip_suffix(".txt").map(str::to_string)
        })
        .collect();
    names.sort();
    for name in names {
        let json_path = expect.join(format!("{name}.json"));
        let Ok(text) = fs::read_to_string(&json_path) else {
            continue;
        };
        let exp: Expectation =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", json_path.display()))?;
        pages.push((name.clone(), raw.join(format!("{name}.txt")), exp));
    }
    if pages.is_empty() {
        return Err(format!(
            "{} and {}: no page has both RAW/NAME.txt and EXPECT/NAME.json",
            raw.display(),
            expect.display()
        ));
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_form_folds_typography_and_space() {
        assert_eq!(match_form("“a”\u{a0}–\n b…\u{200b}"), "\"a\" - b...");
    }

    #[test]
    fn scores_snippets() {
        let e = Expectation {
            with: vec!["kept line".into(), "lost line".into()],
            without: vec!["menu".into()],
        };
        let p = score_page("x", "kept\nline\n", &e);
        assert_eq!((p.with_kept, p.without_removed), (1, 1));
        let s = summarize(&[p]);
        assert!((s.with_kept - 0.5).abs() < 1e-9 && (s.harmonic_mean - 2.0 / 3.0).abs() < 1e-9);
    }
}
