//! `kind = "header"`: title furniture. A site suffix is stripped from the
//! title (a rewrite); later lines that repeat the title are dropped.
//! Header rules with patterns (bylines, labels) drop the lines they match
//! like line rules do ([`super::line`]).

use super::ViewLine;
use super::structure::{Structure, TitleMatch};
use crate::events::{Verdict, Why};
use crate::rules::{HeaderOptions, KindOptions, RuleSet};

/// What the title-suffix rules made of the last title of a document: each
/// decide pass sees the title again, most often unchanged.
#[derive(Default)]
pub(super) struct StrippedTitles {
    last: Option<(String, Option<(u32, String)>)>,
}

impl StrippedTitles {
    /// [`stripped_title`] of `title`, found once per title.
    fn get(&mut self, rules: &RuleSet, title: &str) -> Option<(u32, String)> {
        match &self.last {
            Some((seen, stripped)) if seen == title => stripped.clone(),
            _ => {
                let stripped = stripped_title(rules, title);
                self.last = Some((title.to_string(), stripped.clone()));
                stripped
            }
        }
    }
}

/// Rewrites the title without its site suffix, and tells `structure` the
/// new title. Returns the line rewritten, when its verdict changed.
pub(super) fn strip_title_suffix(
    rules: &RuleSet,
    view: &[ViewLine],
    structure: &mut Structure,
    verdicts: &mut [Verdict],
    titles: &mut StrippedTitles,
) -> Option<usize> {
    let title_pos = structure.title_pos?;
    let (rule, stripped) = titles.get(rules, &structure.title)?;
    let idx = view[title_pos].idx;
    verdicts[idx] = Verdict::Rewrite {
        rule,
        why: Why::TitleSuffix,
        text: stripped.clone(),
    };
    structure.set_title(stripped);
    Some(idx)
}

/// Applies every title-suffix rule until none strips more. Returns the
/// first rule that stripped and the final title.
fn stripped_title(rules: &RuleSet, title: &str) -> Option<(u32, String)> {
    // Each strip leaves a prefix of the title, which can match only the
    // regexes the whole title may match.
    let may_match = rules.title_suffix_gate.may_match(title);
    let mut current = title.to_string();
    let mut first_rule = None;
    'again: loop {
        for &r in &rules.title_suffix_rules {
            let KindOptions::Header(HeaderOptions::TitleSuffix { suffixes }) =
                &rules.rules[r as usize].options
            else {
                continue;
            };
            for suffix in suffixes.iter().filter(|s| may_match[s.slot()]) {
                if let Some(m) = suffix.regex.find(&current) {
                    let rest = current[..m.start()].trim_end();
                    // Never strip the whole title, nor down to one word.
                    if m.start() > 0 && rest.split(' ').count() >= 2 {
                        current = rest.to_string();
                        first_rule.get_or_insert(r);
                        continue 'again;
                    }
                }
            }
        }
        break;
    }
    first_rule.map(|r| (r, current))
}

/// `detector = "title-repeat"`: the line at `pos` repeats the title.
pub(super) fn title_repeat(title: &TitleMatch, pos: usize) -> Option<Why> {
    title.is_repeat(pos).then_some(Why::TitleRepeat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{CompileOptions, default_sources};

    /// The title-suffix patterns of `rules` as they were compiled before:
    /// `regex::Regex`es.
    fn regexes_as_before(rules: &RuleSet) -> Vec<(u32, regex::Regex)> {
        rules
            .title_suffix_rules
            .iter()
            .flat_map(|&r| {
                let rule = &rules.rules[r as usize];
                let flags = if rule.case_insensitive { "(?i)" } else { "" };
                rule.patterns()
                    .into_iter()
                    .map(move |(_, p)| (r, regex::Regex::new(&format!("{flags}(?:{p})$")).unwrap()))
            })
            .collect()
    }

    /// [`stripped_title`] as it was: every regex searched, without the
    /// gate.
    fn stripped_title_as_before(
        regexes: &[(u32, regex::Regex)],
        title: &str,
    ) -> Option<(u32, String)> {
        let mut current = title.to_string();
        let mut first_rule = None;
        'again: loop {
            for (r, re) in regexes {
                if let Some(m) = re.find(&current) {
                    let rest = current[..m.start()].trim_end();
                    if m.start() > 0 && rest.split(' ').count() >= 2 {
                        current = rest.to_string();
                        first_rule.get_or_insert(*r);
                        continue 'again;
                    }
                }
            }
            break;
        }
        first_rule.map(|r| (r, current))
    }

    /// The gate skips only searches that cannot match, and the regexes
    /// find what they found as `regex::Regex`es: every line of the golden
    /// inputs, taken as a title, is stripped as before.
    #[test]
    fn the_gate_changes_no_title() {
        let rules = RuleSet::compile(&default_sources(), &CompileOptions::default()).unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
        let mut titles: Vec<String> = [
            "Harga Emas Naik Lagi Hari Ini - Kompas.com",
            "Prabowo Temui Xi Jinping | Politik | Tempo.co",
            "Judul Berita Hari Ini :: Situs Berita",
            "Harga Beras Premium Naik Halaman all - Kompas.com",
            "Judul Berita Hari Ini - \u{212A}OMPAS.com",
            "Judul Berita Hari Ini \u{2014} Tribun\u{17F}",
            "Judul Berita Hari Ini",
        ]
        .map(String::from)
        .to_vec();
        for entry in std::fs::read_dir(dir).unwrap() {
            if let Ok(text) = std::fs::read_to_string(entry.unwrap().path().join("input.txt")) {
                titles.extend(text.lines().map(crate::text::normalize::normalize));
            }
        }
        let before = regexes_as_before(&rules);
        let mut stripped = 0;
        for title in titles.iter().filter(|t| !t.is_empty()) {
            let want = stripped_title_as_before(&before, title);
            stripped += usize::from(want.is_some());
            assert_eq!(stripped_title(&rules, title), want, "{title:?}");
        }
        assert!(stripped > 20, "only {stripped} titles stripped");
    }
}
