//! `sapu rules`, `sapu rule ID` (alias `sapu explain ID`), `sapu check-rules`.

use std::path::PathBuf;

use clap::Args;

use sapu::check::check_examples;
use sapu::rules::{
    CaptionOptions, GenericOptions, KindOptions, ParsedRule, Rule, default_sources,
    load_paths_each, parse_rules,
};

use super::messages;
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, RuleArgs, Stdout};

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(Args)]
pub struct RuleArgsOne {
    /// The rule id, as `sapu rules` lists it.
    id: String,
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(Args)]
pub struct CheckRulesArgs {
    /// Rule files or directories to check; the embedded set when none.
    files: Vec<PathBuf>,
}

pub fn list(args: ListArgs) -> i32 {
    let Some(set) = args.rules.compile() else {
        return EXIT_USAGE;
    };
    let width = set.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut out = Stdout::new();
    for r in &set.rules {
        writeln!(
            out,
            "{:width$}  {:7}  {}",
            r.id,
            r.kind().name(),
            one_line(&r.description)
        );
    }
    out.finish(EXIT_OK)
}

pub fn show(args: RuleArgsOne) -> i32 {
    let Some(set) = args.rules.compile() else {
        return EXIT_USAGE;
    };
    match set.find(&args.id) {
        Some(rule) => {
            let mut out = Stdout::new();
            out.write(describe(rule).as_bytes());
            out.finish(EXIT_OK)
        }
        None if args.rules.disable.contains(&args.id) => {
            messages::error(format!(
                "rule `{0}` is turned off by `--disable {0}` on this command line; drop that flag to see it",
                args.id
            ));
            EXIT_USAGE
        }
        None => {
            messages::error(format!(
                "no rule has the id `{}`; `sapu rules` lists them",
                args.id
            ));
            EXIT_USAGE
        }
    }
}

/// A description on one line of the listing (a rule file may write it
/// over several).
fn one_line(description: &str) -> String {
    description.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A rule as `sapu rule ID` shows it: where it is defined, the rule as
/// written (TOML a user can copy into a file of their own, renaming the
/// id), and every option in effect with its default filled in.
fn describe(r: &Rule) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: a {} rule, defined at {}\n\n{}\n",
        r.id,
        r.kind().name(),
        r.origin,
        r.description
    );
    let _ = writeln!(s, "As written:\n\n{}", r.written.to_toml());
    let _ = writeln!(s, "In effect, defaults included:\n");
    for (key, value) in in_effect(r) {
        let _ = writeln!(s, "{key} = {value}");
    }
    s
}

/// The options of a compiled rule, with their TOML spellings.
fn in_effect(r: &Rule) -> Vec<(&'static str, String)> {
    let g = &r.guards;
    let quoted = |s: &str| format!("\"{s}\"");
    let mut out = vec![("case_insensitive", r.case_insensitive.to_string())];
    out.push(("max_chars", g.max_chars.to_string()));
    if g.max_words != usize::MAX {
        out.push(("max_words", g.max_words.to_string()));
    }
    out.push(("keep_sentences", g.keep_sentences.to_string()));
    out.push(("zone", quoted(g.zone.name())));
    if let Some(d) = r.detector() {
        out.push(("detector", quoted(d.name())));
    }
    match &r.options {
        KindOptions::Line { cut_glued } => out.push(("cut_glued", cut_glued.to_string())),
        KindOptions::Block(b) => {
            out.push(("min_items", b.min_items.to_string()));
            out.push(("item_max_chars", b.item_max_chars.to_string()));
            out.push(("item_max_words", b.item_max_words.to_string()));
        }
        KindOptions::Tail(t) => out.push(("within_last", t.within_last.to_string())),
        KindOptions::Caption(CaptionOptions::Pattern { repeats }) => {
            out.push(("repeats", repeats.to_string()))
        }
        KindOptions::Generic(GenericOptions::LinkList { min_items }) => {
            out.push(("min_items", min_items.to_string()))
        }
        _ => {}
    }
    out
}

pub fn check_rules(args: CheckRulesArgs) -> i32 {
    let mut problems = 0;
    let sources = if args.files.is_empty() {
        default_sources()
    } else {
        // A file that cannot be read is a problem in the rule files, as
        // one that does not parse: the others are still checked.
        let (sources, unreadable) = load_paths_each(&args.files);
        for e in &unreadable {
            messages::error(e);
            problems += 1;
        }
        sources
    };
    let mut parsed: Vec<ParsedRule> = Vec::new();
    for source in &sources {
        let (rules, errors) = parse_rules(source);
        for e in &errors {
            messages::error(e);
            problems += 1;
        }
        parsed.extend(rules.into_iter().map(|(line, spec)| ParsedRule {
            file: source.name.clone(),
            line,
            spec,
        }));
    }
    // The files must also compile together (duplicate ids, size limits).
    let mut reported = std::collections::HashSet::new();
    if let Err(errors) = sapu::RuleSet::compile_parsed(parsed.clone(), &Default::default()) {
        for e in &errors.0 {
            messages::error(e);
            reported.insert(e.to_string());
            problems += 1;
        }
    }
    let (count, mut failures) = check_examples(&parsed);
    // A rule that does not compile is reported once, above.
    failures.retain(|f| !reported.contains(&f.to_string()));
    for f in &failures {
        messages::error(format!("example failed: {f}"));
    }
    let failed = failures.len() + problems;
    let mut out = Stdout::new();
    // Examples that pass and fail add up to the examples; problems in the
    // files are counted apart.
    let problems_said = if problems > 0 {
        format!(
            "; {} in the rule files",
            super::count(problems as u64, "problem", "problems")
        )
    } else {
        String::new()
    };
    writeln!(
        out,
        "{}, {}: {} passed, {} failed{problems_said}",
        super::count(parsed.len() as u64, "rule", "rules"),
        super::count(count as u64, "example", "examples"),
        count.saturating_sub(failures.len()),
        failures.len()
    );
    out.finish(if failed == 0 { EXIT_OK } else { EXIT_FAILED })
}
