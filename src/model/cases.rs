//! Labelled pages for training and scoring: any folder of golden cases
//! (`CASE/input.txt`, `CASE/expected.txt`, optionally `CASE/meta.json`).
//! A line of the input is content when it is in the expected text (in
//! order), or when `meta.json`'s `content_lines` lists it; every other
//! non-blank line is boilerplate.

use std::fs;
use std::path::PathBuf;

use serde::Deserialize;

use crate::check::{Case, discover};
use crate::text::normalize::normalize;

/// What `meta.json` may say about a case (all optional; other keys are
/// ignored, so the files of other tools can be read).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct CaseMeta {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub host: Option<String>,
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub page_type: Option<String>,
    #[serde(default)]
    pub dataset: Option<String>,
    /// 1-based lines of `input.txt` that are content.
    #[serde(default)]
    pub content_lines: Option<Vec<usize>>,
}

/// One labelled page.
#[derive(Clone, Debug)]
pub struct LabelledCase {
    /// The case folder, relative to the root it was found under (with the
    /// root's own name in front).
    pub name: String,
    pub dir: PathBuf,
    /// The page normalized as the cleaner sees it, one line per line of
    /// `input.txt`.
    pub text: String,
    /// Per line of `text`: content (true) or not. Blank lines are false
    /// and are not scored.
    pub content: Vec<bool>,
    pub meta: CaseMeta,
    /// The lines of `expected.txt` (1-based) found on no line of the page
    /// after the one before them: not labelled, so a line mistyped there
    /// trains as boilerplate. Empty when `meta.json` gives the content
    /// lines.
    pub unmatched: Vec<usize>,
}

impl LabelledCase {
    /// The site the page is from: `meta.json`'s host, else its URL's host,
    /// else the case itself (a case of its own site).
    pub fn site(&self) -> String {
        if let Some(h) = &self.meta.host {
            return h.trim_start_matches("www.").to_string();
        }
        if let Some(url) = &self.meta.url
            && let Some(host) = url.split("://").nth(1).and_then(|r| r.split('/').next())
            && !host.is_empty()
        {
            return host.trim_start_matches("www.").to_string();
        }
        self.name.clone()
    }
}

/// Every case under `roots` (any depth), in name order per root.
pub fn load_cases(roots: &[PathBuf]) -> Result<Vec<LabelledCase>, String> {
    let mut cases = Vec::new();
    for root in roots {
        let prefix = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for case in discover(root)? {
            cases.push(load_case(&case, &prefix)?);
        }
    }
    Ok(cases)
}

fn load_case(case: &Case, prefix: &str) -> Result<LabelledCase, String> {
    let input = case.read_input()?.text;
    let meta_path = case.dir.join("meta.json");
    let meta: CaseMeta = match fs::read_to_string(&meta_path) {
        Ok(text) => {
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", meta_path.display()))?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => CaseMeta::default(),
        Err(e) => return Err(format!("{}: {e}", meta_path.display())),
    };
    // Each line normalized on its own, so that line numbers stay those of
    // input.txt (a stray carriage return would otherwise add lines).
    let raw: Vec<&str> = input
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .collect();
    let lines: Vec<String> = raw
        .iter()
        .map(|l| normalize(l).replace('\n', " ").trim().to_string())
        .collect();
    let mut unmatched = Vec::new();
    let content = match &meta.content_lines {
        Some(numbers) => {
            let mut c = vec![false; lines.len()];
            // The empty piece after the last line end is not a line.
            let count = input.lines().count();
            for &n in numbers {
                if n == 0 || n > count {
                    return Err(format!(
                        "{}: content line {n} is not a line of input.txt ({count} lines)",
                        meta_path.display(),
                    ));
                }
                c[n - 1] = !lines[n - 1].is_empty();
            }
            c
        }
        None => {
            let expected = fs::read_to_string(case.expected())
                .map_err(|e| format!("{}: {e}", case.expected().display()))?;
            let (content, missed) = align(&lines, &normalize(&expected));
            unmatched = missed;
            content
        }
    };
    Ok(LabelledCase {
        name: if prefix.is_empty() {
            case.name.clone()
        } else {
            format!("{prefix}/{}", case.name)
        },
        dir: case.dir.clone(),
        text: lines.join("\n"),
        content,
        meta,
        unmatched,
    })
}

/// Marks the lines of the page that the expected text keeps: each
/// expected line, in order, is found at the next page line that equals it
/// or that it starts (a title whose site suffix was stripped); an expected
/// line found nowhere after the last match is passed over, and its number
/// (1-based, in the expected text) returned.
fn align(lines: &[String], expected: &str) -> (Vec<bool>, Vec<usize>) {
    let mut content = vec![false; lines.len()];
    let mut unmatched = Vec::new();
    let mut at = 0;
    for (n, want) in expected.lines().enumerate() {
        if want.is_empty() {
            continue;
        }
        let found = (at..lines.len()).find(|&i| {
            let line = &lines[i];
            line == want || (line.starts_with(want) && 2 * want.len() >= line.len())
        });
        match found {
            Some(i) => {
                content[i] = true;
                at = i + 1;
            }
            None => unmatched.push(n + 1),
        }
    }
    (content, unmatched)
}

/// The folds of a site-disjoint `k`-fold split: each site's cases are in
/// one fold only. Sites are dealt to folds from the largest down, each to
/// the fold with the fewest lines so far (ties: the lower fold), so folds
/// are about equal in size; the split depends only on the cases.
pub fn site_folds(cases: &[LabelledCase], k: usize) -> Vec<usize> {
    use std::collections::BTreeMap;
    let mut sites: BTreeMap<String, (usize, Vec<usize>)> = BTreeMap::new();
    for (i, c) in cases.iter().enumerate() {
        let e = sites.entry(c.site()).or_default();
        e.0 += c.content.len();
        e.1.push(i);
    }
    let mut order: Vec<(String, (usize, Vec<usize>))> = sites.into_iter().collect();
    order.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
    let mut load = vec![0usize; k.max(1)];
    let mut fold_of = vec![0usize; cases.len()];
    for (_, (lines, members)) in order {
        let f = (0..load.len()).min_by_key(|&f| (load[f], f)).unwrap_or(0);
        load[f] += lines;
        for i in members {
            fold_of[i] = f;
        }
    }
    fold_of
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_lines_align_in_order_and_titles_may_lose_a_suffix() {
        let lines: Vec<String> = [
            "Home",
            "Judul Berita | Situs",
            "",
            "Paragraf satu.",
            "Home",
            "Paragraf dua.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let c = align(
            &lines,
            "Judul Berita\n\nParagraf satu.\nHilang\nParagraf dua.\n",
        );
        assert_eq!(c.0, vec![false, true, false, true, false, true]);
        // "Hilang", line 4 of the expected text, is on no line after the
        // one before it.
        assert_eq!(c.1, vec![4]);
    }

    // Found by a black-box sweep: a file of three lines was said to hold
    // four, and content line 4 (the nothing after the last line end) was
    // taken without a word.
    #[test]
    fn content_lines_count_the_lines_of_input_txt() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("c1");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("input.txt"), "A line.\nA line.\nB\n").unwrap();
        let case = Case {
            name: "c1".into(),
            dir: dir.clone(),
            rules: None,
        };
        fs::write(dir.join("meta.json"), r#"{"content_lines":[4]}"#).unwrap();
        let Err(err) = load_case(&case, "") else {
            panic!("line 4 taken");
        };
        assert!(
            err.contains("content line 4 is not a line of input.txt (3 lines)"),
            "{err}"
        );
        fs::write(dir.join("meta.json"), r#"{"content_lines":[3]}"#).unwrap();
        let ok = load_case(&case, "").unwrap();
        assert_eq!(ok.content, vec![false, false, true, false]);
    }

    #[test]
    fn folds_keep_a_site_together() {
        let case = |name: &str, host: &str| LabelledCase {
            name: name.into(),
            dir: PathBuf::new(),
            text: String::new(),
            content: vec![true; 10],
            meta: CaseMeta {
                host: Some(host.into()),
                ..CaseMeta::default()
            },
            unmatched: Vec::new(),
        };
        let cases = vec![
            case("a1", "a.com"),
            case("b1", "b.com"),
            case("a2", "www.a.com"),
            case("c1", "c.com"),
        ];
        let folds = site_folds(&cases, 2);
        assert_eq!(folds[0], folds[2]);
        assert_ne!(folds[0], folds[1]);
        assert_eq!(site_folds(&cases, 2), folds);
    }
}
