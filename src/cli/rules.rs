//! `sapu rules`, `sapu explain ID`, `sapu check-rules`.

use std::path::PathBuf;

use clap::Args;

use sapu::rules::examples::check_examples;
use sapu::rules::{ParsedRule, Rule, default_sources, load_paths, parse_rules};

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, RuleArgs, Stdout};

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(Args)]
pub struct ExplainArgs {
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
            r.kind.name(),
            r.description
        );
    }
    out.finish(EXIT_OK)
}

pub fn explain(args: ExplainArgs) -> i32 {
    let Some(set) = args.rules.compile() else {
        return EXIT_USAGE;
    };
    match set.find(&args.id) {
        Some(rule) => {
            let mut out = Stdout::new();
            out.write(describe(rule).as_bytes());
            out.finish(EXIT_OK)
        }
        None => {
            eprintln!(
                "sapu: error: no rule has the id `{}`; `sapu rules` lists them",
                args.id
            );
            EXIT_USAGE
        }
    }
}

fn describe(r: &Rule) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}  ({} rule, defined at {})",
        r.id,
        r.kind.name(),
        r.origin
    );
    let _ = writeln!(s, "\n  {}\n", r.description);
    if let Some(d) = r.detector {
        let _ = writeln!(s, "  detector: {d:?}");
    }
    for (field, pattern) in &r.patterns {
        let _ = writeln!(s, "  {field:8} {pattern:?}");
    }
    let _ = writeln!(
        s,
        "  case-insensitive: {}; at most {} chars{}; zone: {:?}{}",
        r.case_insensitive,
        r.max_chars,
        if r.max_words == usize::MAX {
            String::new()
        } else {
            format!(", {} words", r.max_words)
        },
        r.zone,
        if r.keep_sentences {
            "; spares full sentences"
        } else {
            ""
        }
    );
    match r.kind {
        sapu::rules::Kind::Block => {
            let _ = writeln!(
                s,
                "  list: at least {} items of at most {} chars / {} words",
                r.block.min_items, r.block.item_max_chars, r.block.item_max_words
            );
        }
        sapu::rules::Kind::Tail => {
            let _ = writeln!(
                s,
                "  marker must start in the last {:.0}% of the text",
                r.within_last * 100.0
            );
        }
        sapu::rules::Kind::Caption if r.repeats => {
            let _ = writeln!(s, "  also drops adjacent lines that repeat the caption");
        }
        _ => {}
    }
    if let Some(u) = &r.unless {
        let _ = writeln!(s, "  unless   /{}/", u.as_str());
    }
    let show = |s: &mut String, title: &str, items: &[String]| {
        if !items.is_empty() {
            let _ = writeln!(s, "\n  {title}:");
            for item in items {
                for (i, line) in item.lines().enumerate() {
                    let _ = writeln!(s, "    {} {line}", if i == 0 { "-" } else { " " });
                }
            }
        }
    };
    show(
        &mut s,
        "drops (lines marked `= ` are context it keeps)",
        &r.examples.drop,
    );
    show(&mut s, "keeps", &r.examples.keep);
    if !r.examples.rewrite.is_empty() {
        let _ = writeln!(s, "\n  rewrites:");
        for (a, b) in &r.examples.rewrite {
            let _ = writeln!(s, "    {a:?}\n      -> {b:?}");
        }
    }
    s
}

pub fn check_rules(args: CheckRulesArgs) -> i32 {
    let sources = if args.files.is_empty() {
        default_sources()
    } else {
        match load_paths(&args.files) {
            Ok(s) => s,
            Err(errors) => {
                for e in &errors.0 {
                    eprintln!("sapu: error: {e}");
                }
                return EXIT_USAGE;
            }
        }
    };
    let mut parsed: Vec<ParsedRule> = Vec::new();
    let mut problems = 0;
    for source in &sources {
        let (rules, errors) = parse_rules(source);
        for e in &errors {
            eprintln!("sapu: error: {e}");
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
            eprintln!("sapu: error: {e}");
            reported.insert(e.to_string());
            problems += 1;
        }
    }
    let (count, mut failures) = check_examples(&parsed);
    // A rule that does not compile is reported once, above.
    failures.retain(|f| !reported.contains(&f.to_string()));
    for f in &failures {
        eprintln!("sapu: example failed: {f}");
    }
    let failed = failures.len() + problems;
    let mut out = Stdout::new();
    writeln!(
        out,
        "{} rules, {} examples: {} passed, {} failed",
        parsed.len(),
        count,
        count.saturating_sub(failures.len()),
        failed
    );
    out.finish(if failed == 0 { EXIT_OK } else { EXIT_FAILED })
}
