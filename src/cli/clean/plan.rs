//! Where every input of `sapu clean` goes: a file to a file or stdout, a
//! directory mirrored into a directory, several inputs each into OUT/<its
//! name>. A plan that would write into an input is refused: every path
//! sapu writes (each output, each report file) is checked against every
//! input, spelled however it is (`.`, `..`, symbolic links).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use sapu::corpus::{Compression, Format};
use sapu::input::{FileFilter, linked_files, links_in, resolve, walk};

/// What to do with one command-line input.
pub enum Target {
    /// A file or stdin, to `dest` (stdout when `None`).
    One { src: PathBuf, dest: Option<PathBuf> },
    /// A directory mirrored into `out`.
    Tree { src: PathBuf, out: PathBuf },
    /// A path that does not exist: reported, the others still run.
    Missing(PathBuf),
}

/// The format `src` is read in: `--format`, else its name; stdin, which
/// has no name, as text.
pub fn read_format(src: &Path, format: Option<Format>) -> Format {
    format.unwrap_or_else(|| {
        if src.as_os_str() == "-" {
            Format::Text
        } else {
            Format::from_path(src)
        }
    })
}

/// A report file of the run and the flag that names it.
pub struct Report<'a> {
    pub flag: &'static str,
    pub path: &'a Path,
}

/// Decides where every input goes. `stdin_name` is the name stdin's output
/// gets among several inputs; `filter` chooses the files of a directory
/// input. `Err` says why the plan cannot run: some output or report would
/// be written into an input (or onto another path the run writes), or
/// through a symbolic link onto one.
pub fn plan(
    inputs: &[PathBuf],
    output: Option<&Path>,
    stdin_name: &str,
    reports: &[Report],
    filter: &FileFilter,
) -> Result<Vec<Target>, String> {
    let targets = targets(inputs, output, stdin_name)?;
    // Found now, not when the file is written after the whole run.
    for t in &targets {
        if let Target::One {
            dest: Some(dest), ..
        } = t
        {
            under_a_file(dest, "-o")?;
        }
    }
    for r in reports {
        under_a_file(r.path, r.flag)?;
    }
    let read = Inputs::of(&targets, filter);
    if let Some(out) = output {
        read.refuse(out, "-o")?;
    }
    for t in &targets {
        match t {
            Target::One {
                dest: Some(dest), ..
            } => read.refuse(dest, "-o")?,
            Target::Tree { out, .. } => {
                read.refuse(out, "-o")?;
                // A link in the mirror is written through: onto an input,
                // it would replace it.
                for (link, target) in links_in(out) {
                    if let Some(shown) = read.holding(&target) {
                        return Err(format!(
                            "refusing to mirror into {}: {} is a link to {}, which the run reads (input {}), and the mirror writes through links; sapu never writes into its input: remove the link or choose another -o",
                            out.display(),
                            link.display(),
                            target.display(),
                            shown.display()
                        ));
                    }
                }
                // The mirror would overwrite an input that lies in it.
                if let Ok(o) = resolve(out)
                    && let Some((shown, _, _)) = read.0.iter().find(|(_, i, _)| i.starts_with(&o))
                {
                    return Err(format!(
                        "refusing to mirror into {}: the input {} lies in it, and sapu never writes into its input; choose another -o",
                        out.display(),
                        shown.display()
                    ));
                }
            }
            _ => {}
        }
    }
    let mut written: Vec<(String, PathBuf)> = targets
        .iter()
        .filter_map(|t| match t {
            Target::One {
                dest: Some(dest), ..
            } => resolve(dest).ok().map(|d| ("-o".to_string(), d)),
            _ => None,
        })
        .collect();
    for r in reports {
        // `-` is stdin or stdout elsewhere; a report is a file of its own,
        // and stdout may carry the clean text.
        if r.path == Path::new("-") {
            return Err(format!(
                "{} -: a report is written to a file, not to stdout (which may carry the clean text); give it a path",
                r.flag
            ));
        }
        read.refuse(r.path, r.flag)?;
        // Found now, not when the report is written at the end of the run.
        if r.path.is_dir() {
            return Err(format!(
                "{} {}: a directory; a report is a file: give its path",
                r.flag,
                r.path.display()
            ));
        }
        let Ok(p) = resolve(r.path) else { continue };
        // A mirrored output directory holds the cleaned documents only: a
        // report in it could take the name of one of them, and a later run
        // (`--resume`, or one over the output) would read it as one.
        for t in &targets {
            if let Target::Tree { out, .. } = t
                && resolve(out).is_ok_and(|o| p.starts_with(&o))
            {
                return Err(format!(
                    "refusing to write {} {} into the output directory {}: it holds the cleaned documents only (a report there could replace one); write it beside it",
                    r.flag,
                    r.path.display(),
                    out.display()
                ));
            }
        }
        if let Some((other, _)) = written.iter().find(|(_, w)| *w == p) {
            return Err(format!(
                "{other} and {} name the same file {}: give each its own",
                r.flag,
                r.path.display()
            ));
        }
        written.push((r.flag.to_string(), p));
    }
    Ok(targets)
}

/// `Err` when a folder of `path` (named by `flag`) is a file: the file
/// could not be made there.
fn under_a_file(path: &Path, flag: &str) -> Result<(), String> {
    for folder in path.ancestors().skip(1) {
        if folder.as_os_str().is_empty() {
            break;
        }
        match folder.metadata() {
            Ok(meta) if meta.is_dir() => break,
            Ok(_) => {
                return Err(format!(
                    "{flag} {}: {} is a file, not a folder, so nothing can be written under it; choose another {flag}",
                    path.display(),
                    folder.display()
                ));
            }
            Err(_) => {}
        }
    }
    Ok(())
}

/// Refuses `path`, named by `flag`, when it is one of `inputs` or lies in
/// an input directory (for the reports of other commands: `sapu check
/// --report`, `sapu diff-rules --report`).
pub fn refuse_writing_into(inputs: &[PathBuf], path: &Path, flag: &str) -> Result<(), String> {
    Inputs(
        inputs
            .iter()
            .filter(|p| p.as_os_str() != "-")
            .filter_map(|src| resolve(src).ok().map(|r| (src.clone(), r, src.is_dir())))
            .collect(),
    )
    .refuse(path, flag)
}

/// The inputs of a plan, resolved: as given, resolved, and whether a
/// directory.
struct Inputs(Vec<(PathBuf, PathBuf, bool)>);

impl Inputs {
    /// The inputs of `targets`, and the files their directories hold
    /// through symbolic links (which may lie anywhere).
    fn of(targets: &[Target], filter: &FileFilter) -> Inputs {
        let mut inputs: Vec<(PathBuf, PathBuf, bool)> = targets
            .iter()
            .filter_map(|t| match t {
                Target::One { src, .. } if src.as_os_str() != "-" => Some((src, false)),
                Target::Tree { src, .. } => Some((src, true)),
                _ => None,
            })
            .filter_map(|(src, is_dir)| resolve(src).ok().map(|r| (src.clone(), r, is_dir)))
            .collect();
        for t in targets {
            if let Target::Tree { src, .. } = t {
                inputs.extend(
                    linked_files(src, filter)
                        .into_iter()
                        .map(|(link, target)| (link, target, false)),
                );
            }
        }
        Inputs(inputs)
    }

    /// The input (as given) that `resolved`, a resolved path, is or lies
    /// in.
    fn holding(&self, resolved: &Path) -> Option<&Path> {
        self.0
            .iter()
            .find(|(_, i, is_dir)| resolved == i || (*is_dir && resolved.starts_with(i)))
            .map(|(shown, _, _)| shown.as_path())
    }

    /// `Err` when `path`, named by `flag`, is an input or lies in an input
    /// directory.
    fn refuse(&self, path: &Path, flag: &str) -> Result<(), String> {
        let Ok(p) = resolve(path) else {
            return Ok(());
        };
        match self.holding(&p) {
            Some(shown) => Err(format!(
                "refusing to write {} into the input {}: sapu never writes into its input; choose another {flag}",
                path.display(),
                shown.display()
            )),
            None => Ok(()),
        }
    }
}

/// Where each input goes, before any check against the inputs.
fn targets(
    inputs: &[PathBuf],
    output: Option<&Path>,
    stdin_name: &str,
) -> Result<Vec<Target>, String> {
    let stdin_count = inputs.iter().filter(|p| p.as_os_str() == "-").count();
    if stdin_count > 1 {
        return Err("`-` (stdin) can be given once".into());
    }
    let several = inputs.len() > 1;
    let mut targets = Vec::new();
    let mut names = HashSet::new();
    for input in inputs {
        let is_stdin = input.as_os_str() == "-";
        if !is_stdin && !input.exists() {
            targets.push(Target::Missing(input.clone()));
            continue;
        }
        let is_dir = !is_stdin && input.is_dir();
        let Some(out) = output else {
            if is_dir {
                return Err(format!(
                    "{} is a directory: give -o OUT to mirror it into OUT",
                    input.display()
                ));
            }
            targets.push(Target::One {
                src: input.clone(),
                dest: None,
            });
            continue;
        };
        let dest = if several {
            let name = if is_stdin {
                stdin_name.into()
            } else {
                input
                    .canonicalize()
                    .ok()
                    .and_then(|p| p.file_name().map(|n| n.to_os_string()))
                    .unwrap_or_else(|| input.as_os_str().to_os_string())
            };
            if !names.insert(name.clone()) {
                return Err(format!(
                    "two inputs are named {}: with several inputs each goes to OUT/<its name>; rename one or run them apart",
                    Path::new(&name).display()
                ));
            }
            out.join(name)
        } else {
            out.to_path_buf()
        };
        if is_dir {
            if dest.is_file() {
                return Err(format!(
                    "{} is a file; a directory input needs an output directory",
                    dest.display()
                ));
            }
            targets.push(Target::Tree {
                src: input.clone(),
                out: dest,
            });
        } else {
            // `-o new/` names a folder that is not there yet.
            if dest.is_dir() || dest.as_os_str().as_encoded_bytes().ends_with(b"/") {
                return Err(format!(
                    "{} is a directory; give a file name for the output of {}",
                    dest.display(),
                    input.display()
                ));
            }
            targets.push(Target::One {
                src: input.clone(),
                dest: Some(dest),
            });
        }
    }
    Ok(targets)
}

/// The files the plan reads (text documents and shards, walked as the run
/// walks them) and, when reading them counts their bytes (no stdin, no
/// compressed shard, no Parquet file: those count the bytes of their
/// texts), their size. `format` is `--format`. `None` when `stop` said to
/// give up.
pub fn count_inputs(
    targets: &[Target],
    filter: &FileFilter,
    format: Option<Format>,
    stop: impl Fn() -> bool,
) -> Option<(u64, Option<u64>)> {
    let mut files = 0u64;
    let mut bytes = Some(0u64);
    let mut add = |path: &Path| {
        files += 1;
        let read_as_is = path.as_os_str() != "-"
            && Compression::from_path(path) == Compression::None
            && format.unwrap_or(Format::from_path(path)) != Format::Parquet;
        let size = read_as_is
            .then(|| path.metadata().ok().map(|m| m.len()))
            .flatten();
        bytes = bytes.zip(size).map(|(a, b)| a + b);
    };
    for t in targets {
        match t {
            Target::One { src, .. } => add(src),
            Target::Tree { src, .. } => {
                for rel in walk(src, filter).flatten() {
                    if stop() {
                        return None;
                    }
                    add(&src.join(rel));
                }
            }
            Target::Missing(_) => {}
        }
    }
    Some((files, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The progress line's megabytes are those read: a Parquet file counts
    // the bytes of its texts, not its size on disk, so a run with one has
    // no byte total.
    #[test]
    fn inputs_are_counted_in_bytes_only_when_read_as_they_are() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "0123456789").unwrap();
        std::fs::write(dir.path().join("b.jsonl"), "{}\n").unwrap();
        let tree = |src: &Path| Target::Tree {
            src: src.to_path_buf(),
            out: PathBuf::from("out"),
        };
        let filter =
            FileFilter::new(&["*.txt".into(), "*.jsonl".into(), "*.parquet".into()]).unwrap();
        let count = |format| count_inputs(&[tree(dir.path())], &filter, format, || false);
        assert_eq!(count(None), Some((2, Some(13))));
        std::fs::write(dir.path().join("c.parquet"), "PAR1").unwrap();
        assert_eq!(count(None), Some((3, None)));
        assert_eq!(count(Some(Format::Jsonl)), Some((3, Some(17))));
        assert_eq!(count(Some(Format::Parquet)), Some((3, None)));
    }
}
