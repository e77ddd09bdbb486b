//! What runs leave beside the outputs: temporary files of runs that were
//! killed (`.NAME.sapu-tmp-PID`), which `--resume` removes when their
//! process is gone (those of the files it writes, and any in its output
//! trees), and report parts (`.NAME.sapu-part`), which a run that
//! completes removes once its reports are written.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use sapu::input::{temporary_owner, walk};

use super::args::Config;
use super::plan::Target;
use super::reports::part_path;
use crate::cli::{count, interrupt, messages};

/// Removes the temporary files that runs which are gone left where this run
/// writes (beside its file outputs and report files, and anywhere in its
/// output trees), and says how many; those of a process still running are
/// named and left alone.
pub fn remove_stale_temporaries(config: &Config) {
    let mut removed = 0u64;
    let mut bytes = 0u64;
    let mut visit = |path: &Path| {
        let Some(pid) = path
            .file_name()
            .and_then(|n| temporary_owner(&n.to_string_lossy()))
        else {
            return;
        };
        // This process has written nothing yet: one named after it is
        // another's, of the same number, that is gone.
        if pid != std::process::id() && interrupt::process_alive(pid) {
            messages::warning(format!(
                "{}: left alone: the temporary file of process {pid}, which is still running",
                path.display()
            ));
            return;
        }
        let size = path.metadata().map(|m| m.len()).unwrap_or(0);
        if fs::remove_file(path).is_ok() {
            removed += 1;
            bytes += size;
        }
    };
    for (dir, names) in written_files(config) {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            // The temporaries of the file itself and of its part.
            let ours = names.iter().any(|n| {
                name.starts_with(&format!(".{n}.sapu-tmp-"))
                    || name.starts_with(&format!("..{n}.sapu-part.sapu-tmp-"))
            });
            if ours {
                visit(&e.path());
            }
        }
    }
    for t in &config.plan {
        if let Target::Tree { out, .. } = t {
            for e in walkdir::WalkDir::new(out).into_iter().flatten() {
                if e.file_type().is_file() {
                    visit(e.path());
                }
            }
        }
    }
    if removed > 0 {
        messages::note(format!(
            "--resume: removed {} left by runs that were interrupted ({:.1} MB)",
            count(removed, "temporary file", "temporary files"),
            bytes as f64 / 1e6
        ));
    }
}

/// The single files this run writes (its file outputs and its report
/// files), by directory.
fn written_files(config: &Config) -> BTreeMap<PathBuf, Vec<String>> {
    let outputs = config.plan.iter().filter_map(|t| match t {
        Target::One {
            dest: Some(dest), ..
        } => Some(dest.as_path()),
        _ => None,
    });
    let reports = [&config.explain, &config.rejects, &config.stats]
        .into_iter()
        .flatten()
        .map(PathBuf::as_path);
    let mut files: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for p in outputs.chain(reports) {
        let Some(name) = p.file_name() else { continue };
        let dir = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        files
            .entry(dir)
            .or_default()
            .push(name.to_string_lossy().into_owned());
    }
    files
}

/// Removes the report parts of every output of the plan: the reports are
/// written, and no run needs them any more.
pub fn remove_parts(config: &Config) {
    for t in &config.plan {
        match t {
            Target::One {
                dest: Some(dest), ..
            } => {
                let _ = fs::remove_file(part_path(dest));
            }
            Target::Tree { src, out } => {
                for rel in walk(src, &config.filter).flatten() {
                    let _ = fs::remove_file(part_path(&out.join(rel)));
                }
            }
            _ => {}
        }
    }
}
