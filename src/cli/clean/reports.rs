//! The report files of a run (`--explain`, `--rejects`, `--stats`), and the
//! part of them that each output keeps beside it until the run completes,
//! so that a run ended by `--resume` has reports that cover every output.
//!
//! A report file streams into a temporary and is renamed when the run
//! ends: a killed run leaves the report as it was, never a cut-off one.
//! When reports are asked for, each output written gets a *part*,
//! `.NAME.sapu-part` beside it, renamed into place just before the output
//! is: the output's `--explain` records and rejected lines (those asked
//! for) and its statistics, then a trailer line that says their lengths.
//! So an output that exists has its part, complete (after a power failure
//! the trailer shows a part that is not). A run that leaves an existing
//! output alone (`--resume`) copies the records of its part into its
//! reports, in input order, and adds up its statistics; a run that
//! completes without an error removes the parts.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use tempfile::SpooledTempFile;

use sapu::input::AtomicFile;
use sapu::output::stats::Stats;

use super::run::Problem;
use crate::cli::messages;

/// Rejected lines of a shard wait in memory up to this size, then on disk,
/// until they are appended to the shard's part.
const REJECTS_IN_MEMORY: usize = 1 << 20;

/// An `--explain` or `--rejects` file, written under a temporary name and
/// renamed by [`ReportFile::commit`]. A failed write is reported at once,
/// naming the file, and the file is given up (its temporary removed, later
/// writes dropped, the file under its name left as it was); the run goes
/// on, and [`ReportFile::commit`] counts the problem.
pub struct ReportFile {
    path: PathBuf,
    what: &'static str,
    out: Option<AtomicFile>,
    failed: bool,
}

impl ReportFile {
    /// Starts the file; `Err` is the message of why it cannot be.
    pub fn create(path: &Path, what: &'static str) -> Result<ReportFile, String> {
        let out = AtomicFile::create(path)
            .map_err(|e| format!("{}: cannot create the {what} file: {e}", path.display()))?;
        Ok(ReportFile {
            path: path.to_path_buf(),
            what,
            out: Some(out),
            failed: false,
        })
    }

    pub fn give_up(&mut self, e: &io::Error) {
        if self.failed {
            return;
        }
        self.out = None;
        self.failed = true;
        messages::error(Problem::unwritable(
            &self.path,
            format!("the {} file: {e}; it was left as it was", self.what),
        ));
    }

    /// Appends `range` of `part` (file to file: the kernel copies).
    fn append_range(&mut self, part: &mut File, range: &Range<u64>) {
        let Some(out) = self.out.as_mut() else {
            return;
        };
        let copied = part
            .seek(SeekFrom::Start(range.start))
            .and_then(|_| out.append_from(&mut part.take(range.end - range.start)));
        match copied {
            Ok(n) if n == range.end - range.start => {}
            Ok(_) => self.give_up(&io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "a report part ended early",
            )),
            Err(e) => self.give_up(&e),
        }
    }

    /// Renames the file into place; a failure is reported and counted in
    /// `stats`. Returns whether the file is in place.
    pub fn commit(&mut self, stats: &mut Stats) -> bool {
        if let Some(out) = self.out.take()
            && let Err(e) = out.commit()
        {
            self.give_up(&e);
        }
        if self.failed {
            stats.problem("unwritable");
        }
        !self.failed
    }
}

impl Write for ReportFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(out) = self.out.as_mut()
            && let Err(e) = out.write_all(buf)
        {
            self.give_up(&e);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Which records the parts of a run hold, besides the statistics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Wanted {
    pub explain: bool,
    pub rejects: bool,
}

/// `DIR/.NAME.sapu-part`, beside the output `DIR/NAME`.
pub fn part_path(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    output.with_file_name(format!(".{name}.sapu-part"))
}

/// Whether an output can have a part beside it: not a device or a pipe
/// (`/dev/null`), where the part would land among the system's files.
pub fn takes_a_part(output: &Path) -> bool {
    std::fs::metadata(output).map_or(true, |m| m.is_file())
}

/// Removes the part of an output about to be written without one, so that
/// no part of an earlier run is taken for the new output's.
pub fn remove_stale_part(output: &Path) {
    let _ = std::fs::remove_file(part_path(output));
}

const TRAILER: &str = "sapu-part 1";

/// The part of one output being written: explain records stream into it,
/// rejected lines wait beside it, and [`PartWriter::commit`] ends it with
/// the statistics and the trailer.
pub struct PartWriter {
    file: AtomicFile,
    explain: Option<u64>,
    rejects: Option<SpooledTempFile>,
}

impl PartWriter {
    /// `None` for an output that takes no part (a device).
    pub fn create(output: &Path, wanted: Wanted) -> io::Result<Option<PartWriter>> {
        if !takes_a_part(output) {
            return Ok(None);
        }
        let path = part_path(output);
        let file = AtomicFile::create(&path).map_err(|e| named(&path, e))?;
        Ok(Some(PartWriter {
            file,
            explain: wanted.explain.then_some(0),
            rejects: wanted
                .rejects
                .then(|| SpooledTempFile::new(REJECTS_IN_MEMORY)),
        }))
    }

    /// The sinks of the records: explain, rejects (those wanted).
    pub fn sinks(&mut self) -> (Option<PartExplain<'_>>, Option<&mut SpooledTempFile>) {
        let explain = match self.explain.as_mut() {
            Some(len) => Some(PartExplain {
                file: &mut self.file,
                len,
            }),
            None => None,
        };
        (explain, self.rejects.as_mut())
    }

    /// Appends the rejected lines, the statistics and the trailer, and
    /// renames the part into place. Errors name the part.
    pub fn commit(mut self, stats: &Stats) -> io::Result<()> {
        let path = self.file.path().to_path_buf();
        let rejects = match self.rejects.as_mut() {
            Some(spool) => Some(
                spool
                    .seek(SeekFrom::Start(0))
                    .and_then(|_| self.file.append_from(spool))
                    .map_err(|e| named(&path, e))?,
            ),
            None => None,
        };
        let json = serde_json::to_vec(stats).map_err(|e| named(&path, e.into()))?;
        let len = |v: Option<u64>| v.map_or("-".to_string(), |n| n.to_string());
        let trailer = format!(
            "\n{TRAILER} explain={} rejects={} stats={}\n",
            len(self.explain),
            len(rejects),
            json.len()
        );
        self.file
            .write_all(&json)
            .and_then(|_| self.file.write_all(trailer.as_bytes()))
            .and_then(|_| self.file.commit_unsynced())
            .map_err(|e| named(&path, e))
    }
}

/// Writes the part of an output whose records are at hand (a text
/// document): its explain records and statistics.
pub fn write_part(output: &Path, wanted: Wanted, explain: &[u8], stats: &Stats) -> io::Result<()> {
    let Some(mut part) = PartWriter::create(output, wanted)? else {
        return Ok(());
    };
    if let (Some(mut sink), _) = part.sinks() {
        sink.write_all(explain)?;
    }
    part.commit(stats)
}

/// The explain records of a part as they stream in.
pub struct PartExplain<'a> {
    file: &'a mut AtomicFile,
    len: &'a mut u64,
}

impl Write for PartExplain<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.file
            .write_all(buf)
            .map_err(|e| named(self.file.path(), e))?;
        *self.len += buf.len() as u64;
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// An error that names the file, keeping its kind.
fn named(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// The part of an output, read back.
pub struct Part {
    file: File,
    explain: Option<Range<u64>>,
    rejects: Option<Range<u64>>,
    pub stats: Stats,
}

impl Part {
    /// The part beside `output`: `Ok(None)` when there is none, `Err` (the
    /// message) when it is not a complete part.
    pub fn open(output: &Path) -> Result<Option<Part>, String> {
        let path = part_path(output);
        let mut file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("{}: cannot read: {e}", path.display())),
        };
        Part::read(&mut file)
            .map_err(|why| format!("{}: not a complete report part ({why})", path.display()))
            .map(|(explain, rejects, stats)| {
                Some(Part {
                    file,
                    explain,
                    rejects,
                    stats,
                })
            })
    }

    #[allow(clippy::type_complexity)]
    fn read(file: &mut File) -> Result<(Option<Range<u64>>, Option<Range<u64>>, Stats), String> {
        let size = file.metadata().map_err(|e| e.to_string())?.len();
        let tail_len = size.min(256);
        let mut tail = vec![0u8; tail_len as usize];
        file.seek(SeekFrom::Start(size - tail_len))
            .and_then(|_| file.read_exact(&mut tail))
            .map_err(|e| e.to_string())?;
        let body = tail.strip_suffix(b"\n").ok_or("no trailer at the end")?;
        let line_start = body.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let line = std::str::from_utf8(&body[line_start..]).map_err(|_| "no trailer at the end")?;
        let fields = line
            .strip_prefix(TRAILER)
            .ok_or("no trailer at the end")?
            .split(' ')
            .filter(|f| !f.is_empty())
            .map(|f| f.split_once('=').ok_or("a bad trailer"))
            .collect::<Result<Vec<_>, _>>()?;
        let length = |key: &str| -> Result<Option<u64>, String> {
            match fields.iter().find(|(k, _)| *k == key) {
                Some((_, "-")) => Ok(None),
                Some((_, n)) => n.parse().map(Some).map_err(|_| "a bad trailer".into()),
                None => Err("a bad trailer".into()),
            }
        };
        let (explain, rejects) = (length("explain")?, length("rejects")?);
        let stats_len = length("stats")?.ok_or("a bad trailer")?;
        // The trailer starts after a newline that ends the sections.
        let trailer_at = size - tail_len + line_start as u64 - 1;
        let sections = explain.unwrap_or(0) + rejects.unwrap_or(0) + stats_len;
        if line_start == 0 || sections != trailer_at {
            return Err("its length is not what its trailer says".into());
        }
        let explain_range = explain.map(|n| 0..n);
        let rejects_start = explain.unwrap_or(0);
        let rejects_range = rejects.map(|n| rejects_start..rejects_start + n);
        let mut json = vec![0u8; stats_len as usize];
        file.seek(SeekFrom::Start(trailer_at - stats_len))
            .and_then(|_| file.read_exact(&mut json))
            .map_err(|e| e.to_string())?;
        let stats = serde_json::from_slice(&json).map_err(|e| format!("its statistics: {e}"))?;
        Ok((explain_range, rejects_range, stats))
    }

    /// Copies the explain records into `report`; `false` when the part
    /// has none (written without `--explain`).
    pub fn copy_explain(&mut self, report: &mut ReportFile) -> bool {
        match &self.explain {
            Some(range) => {
                report.append_range(&mut self.file, range);
                true
            }
            None => false,
        }
    }

    /// Copies the rejected lines into `report`; `false` when the part has
    /// none (written without `--rejects`).
    pub fn copy_rejects(&mut self, report: &mut ReportFile) -> bool {
        match &self.rejects {
            Some(range) => {
                report.append_range(&mut self.file, range);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats() -> Stats {
        let mut s = Stats {
            documents: 3,
            bytes_in: 120,
            ..Stats::default()
        };
        s.problem("blank-line");
        s
    }

    #[test]
    fn a_part_reads_back_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a.jsonl");
        let wanted = Wanted {
            explain: true,
            rejects: true,
        };
        let mut w = PartWriter::create(&out, wanted).unwrap().unwrap();
        let (explain, rejects) = w.sinks();
        explain
            .unwrap()
            .write_all(b"{\"e\":1}\n{\"e\":2}\n")
            .unwrap();
        rejects.unwrap().write_all(b"{oops\n").unwrap();
        w.commit(&stats()).unwrap();
        assert!(part_path(&out).ends_with(".a.jsonl.sapu-part"));

        let mut part = Part::open(&out).unwrap().unwrap();
        assert_eq!(part.stats.documents, 3);
        assert_eq!(part.stats.problems["blank-line"], 1);
        let report_path = dir.path().join("explain.jsonl");
        let mut report = ReportFile::create(&report_path, "explain").unwrap();
        assert!(part.copy_explain(&mut report));
        let rejects_path = dir.path().join("rejects.jsonl");
        let mut rejects = ReportFile::create(&rejects_path, "rejects").unwrap();
        assert!(part.copy_rejects(&mut rejects));
        let mut s = Stats::default();
        assert!(report.commit(&mut s) && rejects.commit(&mut s));
        assert_eq!(
            std::fs::read(&report_path).unwrap(),
            b"{\"e\":1}\n{\"e\":2}\n"
        );
        assert_eq!(std::fs::read(&rejects_path).unwrap(), b"{oops\n");
    }

    #[test]
    fn a_part_says_which_records_it_holds() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("doc.txt");
        write_part(&out, Wanted::default(), b"", &stats()).unwrap();
        let mut part = Part::open(&out).unwrap().unwrap();
        let mut report = ReportFile::create(&dir.path().join("e"), "explain").unwrap();
        assert!(!part.copy_explain(&mut report));
        assert!(!part.copy_rejects(&mut report));
        assert!(Part::open(&dir.path().join("other.txt")).unwrap().is_none());
    }

    #[test]
    fn a_cut_off_part_is_named_not_taken() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("doc.txt");
        let wanted = Wanted {
            explain: true,
            rejects: false,
        };
        write_part(&out, wanted, b"{\"e\":1}\n", &stats()).unwrap();
        let full = std::fs::read(part_path(&out)).unwrap();
        for cut in [0, 3, full.len() / 2, full.len() - 1] {
            std::fs::write(part_path(&out), &full[..cut]).unwrap();
            let err = Part::open(&out).err().expect("cut off");
            assert!(err.contains("not a complete report part"), "{cut}: {err}");
        }
        // Zeros where the data was (a power failure).
        std::fs::write(part_path(&out), vec![0u8; full.len()]).unwrap();
        assert!(Part::open(&out).is_err());
    }
}
