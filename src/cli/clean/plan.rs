//! Where every input of `sapu clean` goes: a file to a file or stdout, a
//! directory mirrored into a directory, several inputs each into OUT/<its
//! name>. A plan that would write into an input is refused.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use sapu::input::resolve;

/// What to do with one command-line input.
pub enum Target {
    /// A file or stdin, to `dest` (stdout when `None`).
    One { src: PathBuf, dest: Option<PathBuf> },
    /// A directory mirrored into `out`.
    Tree { src: PathBuf, out: PathBuf },
    /// A path that does not exist: reported, the others still run.
    Missing(PathBuf),
}

/// Decides where every input goes. `stdin_name` is the name stdin's output
/// gets among several inputs. `Err` says why the plan cannot run.
pub fn plan(
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
        if !is_stdin {
            refuse_writing_into(input, out, is_dir, "-o")?;
        }
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
            if dest.is_dir() {
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

/// Refuses to write `out` (given by `flag`) when it is the input or lies
/// in the input directory.
pub fn refuse_writing_into(
    input: &Path,
    out: &Path,
    is_dir: bool,
    flag: &str,
) -> Result<(), String> {
    let (Ok(i), Ok(o)) = (resolve(input), resolve(out)) else {
        return Ok(());
    };
    if o == i || (is_dir && o.starts_with(&i)) {
        return Err(format!(
            "refusing to write {} into the input {}: sapu never writes into its input; choose another {flag}",
            out.display(),
            input.display()
        ));
    }
    Ok(())
}
