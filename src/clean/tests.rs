use super::*;
use crate::output::text::render;
use crate::rules::{CompileOptions, RuleSet, RuleSource, default_sources};

fn defaults() -> RuleSet {
    RuleSet::compile(&default_sources(), &CompileOptions::default()).expect("default rules compile")
}

fn one_rule(toml: &str) -> RuleSet {
    RuleSet::compile(
        &[RuleSource {
            name: "test.toml".into(),
            text: toml.into(),
        }],
        &CompileOptions::default(),
    )
    .expect("test rule compiles")
}

#[test]
fn keeps_paragraph_gaps_and_drops_lines() {
    let rules = one_rule(
        r#"
[[rule]]
id = "t.x"
kind = "line"
description = "x"
exact = ["DROP ME"]
examples.drop = ["DROP ME"]
examples.keep = ["keep"]
"#,
    );
    let c = Cleaner::new(&rules, CleanOptions::default());
    assert_eq!(render(&c.clean("a\n\nDROP ME\n\nb\nc\n")), "a\n\nb\nc\n");
    assert_eq!(render(&c.clean("DROP ME\n\n\na")), "a\n");
    assert_eq!(render(&c.clean("DROP ME")), "");
}

#[test]
fn max_removed_reverts_to_normalized_text() {
    let rules = one_rule(
        r#"
[[rule]]
id = "t.x"
kind = "line"
description = "x"
exact = ["DROP ME"]
examples.drop = ["DROP ME"]
examples.keep = ["keep"]
"#,
    );
    let c = Cleaner::new(
        &rules,
        CleanOptions {
            flag_removed: 0.5,
            max_removed: Some(0.5),
        },
    );
    let cleaned = c.clean("DROP ME\nok\u{a0}");
    assert!(cleaned.flagged && cleaned.reverted);
    assert_eq!(render(&cleaned), "DROP ME\nok\n");
}

#[test]
fn cleaning_is_idempotent_on_the_seeds_shapes() {
    let rules = defaults();
    let c = Cleaner::new(&rules, CleanOptions::default());
    let doc = "Judul Berita Besar | Suara Amerika\nSouth & Central Asia\n\nJudul Berita Besar | Suara Amerika\n\nJakarta - Paragraf pertama yang cukup panjang untuk dianggap prosa oleh sapu.\nBaca Juga: Berita Lain yang Menarik\nParagraf kedua juga cukup panjang untuk dianggap prosa oleh sapu ya.\nBerita Terkait\n-\nSatu Judul Berita Lain\n-\nDua Judul Berita Lain\n";
    let once = render(&c.clean(doc));
    assert_eq!(
        once,
        "Judul Berita Besar\n\nJakarta - Paragraf pertama yang cukup panjang untuk dianggap prosa oleh sapu.\nParagraf kedua juga cukup panjang untuk dianggap prosa oleh sapu ya.\n"
    );
    assert_eq!(render(&c.clean(&once)), once);
}

#[test]
fn tail_only_in_the_last_part() {
    // Without the generic layer, which would drop the early marker as a
    // label above the text.
    let rules = RuleSet::compile(
        &default_sources(),
        &CompileOptions {
            disable: vec!["generic.header-zone".into()],
            ..CompileOptions::default()
        },
    )
    .unwrap();
    let c = Cleaner::new(&rules, CleanOptions::default());
    let long = "Paragraf ini cukup panjang untuk dianggap prosa yang lengkap oleh pembersih teks. "
        .repeat(3);
    let early = format!("Topik:\n{long}\n{long}\n");
    assert!(render(&c.clean(&early)).starts_with("Topik:"));
    let late = format!("{long}\n{long}\nTopik:\nSatu\nDua\n");
    assert!(!render(&c.clean(&late)).contains("Topik"));
}

// Issue 15, item 3: a title-suffix rewrite made a line that a line rule
// drops, but the rules had decided on the line's original text, so the
// second pass over the output dropped it.
#[test]
fn a_rewritten_line_is_decided_again_by_every_rule() {
    let rules = defaults();
    let c = Cleaner::new(&rules, CleanOptions::default());
    let prose = "Rustam Aliyev mengatakan bahwa Kirgizstan siap menjadi penengah dalam perundingan antara Uni Eropa dan pemerintah India.\n";
    for first in [
        "Kamis, 4 September 2021 | 19:53 WIB",
        "Reporter: Dimas Aditya | Editor: Made Ariawan",
    ] {
        let cleaned = c.clean(&format!("{first}\n{prose}"));
        let once = render(&cleaned);
        assert_eq!(once, prose, "{first}");
        assert_eq!(render(&c.clean(&once)), once, "{first}");
        // Reported as dropped by the rule that dropped it, not rewritten.
        assert!(
            matches!(cleaned.verdicts[0], Verdict::Drop { .. }),
            "{first}: {:?}",
            cleaned.verdicts[0]
        );
    }
}
