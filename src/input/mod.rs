//! Finding and reading documents: files, directory trees, stdin; and
//! writing outputs atomically.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

use std::collections::BTreeMap;
use std::fmt;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::corpus::compress::sniffing_reader;
use crate::corpus::format::{Compression, Format};
use crate::text::normalize::decode_lossy;

/// A document's text as read, with what reading it found.
pub struct ReadDoc {
    pub text: String,
    pub bytes: usize,
    /// Invalid UTF-8 bytes replaced by U+FFFD.
    pub replaced_bytes: usize,
}

/// Why a document was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read: {0}")]
    Io(#[from] io::Error),
    #[error("binary file (NUL byte at offset {0}); skipped")]
    Binary(usize),
    #[error(
        "compressed ({0}): a text document is read uncompressed; decompress it \
         (gzip and zstd are decompressed on stdin: zcat FILE | sapu clean -), \
         or name a JSON Lines shard .jsonl.gz or .jsonl.zst"
    )]
    Compressed(&'static str),
    #[error(
        "a {0} file, not a text document: `sapu clean` reads it when it is named .parquet \
         or given --format parquet; other commands read text and JSON Lines only"
    )]
    Unsupported(&'static str),
}

impl ReadError {
    /// A short kind for statistics.
    pub fn kind(&self) -> &'static str {
        match self {
            ReadError::Io(_) => "unreadable",
            ReadError::Binary(_) => "binary",
            ReadError::Compressed(_) => "compressed",
            ReadError::Unsupported(_) => "unsupported-format",
        }
    }
}

/// A compression or file format recognized from the first bytes, which a
/// text document cannot start with.
fn known_binary(bytes: &[u8]) -> Option<ReadError> {
    match Compression::sniff(bytes) {
        Compression::Gzip => return Some(ReadError::Compressed("gzip")),
        Compression::Zstd => return Some(ReadError::Compressed("zstd")),
        Compression::None => {}
    }
    if bytes.starts_with(b"\xfd7zXZ\0") {
        Some(ReadError::Compressed("xz"))
    } else if bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1") {
        Some(ReadError::Unsupported("Parquet"))
    } else {
        None
    }
}

/// A text that starts with a UTF-16 byte-order mark (as Windows tools
/// save "Unicode" text), decoded; its NUL bytes are the high halves of
/// ASCII characters, not a sign of a binary file. Unpaired surrogates (and
/// an odd last byte) are replaced and counted as invalid bytes.
fn decode_utf16(bytes: &[u8]) -> Option<ReadDoc> {
    let little = match bytes {
        [0xff, 0xfe, ..] => true,
        [0xfe, 0xff, ..] => false,
        _ => return None,
    };
    let units = bytes[2..].chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut replaced_bytes = 0;
    for c in char::decode_utf16(units) {
        text.push(c.unwrap_or_else(|_| {
            replaced_bytes += 2;
            char::REPLACEMENT_CHARACTER
        }));
    }
    if bytes.len() % 2 == 1 {
        text.push(char::REPLACEMENT_CHARACTER);
        replaced_bytes += 1;
    }
    Some(ReadDoc {
        text,
        bytes: bytes.len(),
        replaced_bytes,
    })
}

/// Decodes document bytes: a compressed stream or a Parquet file is named
/// as such; other NUL bytes mean binary; invalid UTF-8 is replaced and
/// counted.
pub fn decode(bytes: Vec<u8>) -> Result<ReadDoc, ReadError> {
    if let Some(e) = known_binary(&bytes) {
        return Err(e);
    }
    if let Some(doc) = decode_utf16(&bytes) {
        return Ok(doc);
    }
    if let Some(at) = memchr::memchr(0, &bytes) {
        return Err(ReadError::Binary(at));
    }
    let len = bytes.len();
    let (text, replaced_bytes) = match String::from_utf8(bytes) {
        Ok(s) => (s, 0),
        Err(e) => {
            let (text, n) = decode_lossy(e.as_bytes());
            (text.into_owned(), n)
        }
    };
    Ok(ReadDoc {
        text,
        bytes: len,
        replaced_bytes,
    })
}

/// Reads a file (or stdin for `-`). Stdin compressed with gzip or zstd is
/// decompressed (recognized from its first bytes, as for JSONL); a file
/// has a name, and a compressed one is an error that says so.
pub fn read_document(path: &Path) -> Result<ReadDoc, ReadError> {
    let bytes = if path == Path::new("-") {
        let mut buf = Vec::new();
        sniffing_reader(io::stdin())?.read_to_end(&mut buf)?;
        buf
    } else {
        fs::read(path)?
    };
    decode(bytes)
}

/// Which files of a directory tree are documents.
pub struct FileFilter {
    globs: GlobSet,
    patterns: Vec<String>,
}

impl FileFilter {
    /// `patterns` are globs matched against the path relative to the walked
    /// directory (`*.txt` matches at any depth).
    pub fn new(patterns: &[String]) -> Result<FileFilter, globset::Error> {
        FileFilter::build(patterns, false)
    }

    /// As [`FileFilter::new`], letters matching in either case: the
    /// default globs, which name files by their extension (`A.TXT`, from a
    /// Windows or FAT copy, is a text document as `a.txt` is).
    fn ignoring_case(patterns: &[String]) -> Result<FileFilter, globset::Error> {
        FileFilter::build(patterns, true)
    }

    /// The filter of a walk: the globs given (`--glob`), matched as
    /// written, else `defaults`, in either case.
    pub fn given_or(
        given: &[String],
        defaults: impl FnOnce() -> Vec<String>,
    ) -> Result<FileFilter, globset::Error> {
        if given.is_empty() {
            FileFilter::ignoring_case(&defaults())
        } else {
            FileFilter::new(given)
        }
    }

    fn build(patterns: &[String], ignore_case: bool) -> Result<FileFilter, globset::Error> {
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            b.add(GlobBuilder::new(p).case_insensitive(ignore_case).build()?);
        }
        Ok(FileFilter {
            globs: b.build()?,
            patterns: patterns.to_vec(),
        })
    }

    pub fn accepts(&self, relative: &Path) -> bool {
        self.globs.is_match(relative)
    }
}

/// Walks `dir` in a stable (sorted) order and yields the relative paths of
/// accepted files, or walk errors. Hidden files and directories (names
/// starting with `.`) are skipped. A symbolic link to a file is taken like
/// the file (a dangling one too, so that reading it reports it); a link to
/// a directory is not followed (it could lead into the output, or in a
/// loop), and [`Walk::notes`] names it. When the walk is over,
/// [`Walk::notes`] also says when no file was accepted, and which files
/// the directory held instead.
pub fn walk<'a>(dir: &'a Path, filter: &'a FileFilter) -> Walk<'a> {
    Walk {
        dir,
        filter,
        entries: walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(visible),
        accepted: 0,
        others: BTreeMap::new(),
        linked_dirs: Vec::new(),
        special: Vec::new(),
    }
}

fn visible(e: &walkdir::DirEntry) -> bool {
    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
}

/// The files of a directory tree that a [`FileFilter`] accepts; see [`walk`].
pub struct Walk<'a> {
    dir: &'a Path,
    filter: &'a FileFilter,
    entries: walkdir::FilterEntry<walkdir::IntoIter, fn(&walkdir::DirEntry) -> bool>,
    accepted: u64,
    /// Files the filter did not take: count by extension.
    others: BTreeMap<String, u64>,
    linked_dirs: Vec<PathBuf>,
    /// Pipes, sockets and devices the globs name: not read, named.
    special: Vec<PathBuf>,
}

impl Iterator for Walk<'_> {
    type Item = Result<PathBuf, walkdir::Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let entry = match self.entries.next()? {
                Ok(e) => e,
                Err(e) => return Some(Err(e)),
            };
            let file_type = entry.file_type();
            let is_file = if file_type.is_symlink() {
                match fs::metadata(entry.path()) {
                    Ok(target) if target.is_dir() => {
                        self.linked_dirs.push(entry.path().to_path_buf());
                        false
                    }
                    Ok(target) => target.is_file(),
                    Err(_) => true,
                }
            } else {
                file_type.is_file()
            };
            if !is_file {
                // A pipe, a socket or a device among the documents is named:
                // reading one could wait for ever, skipping it says nothing.
                if !file_type.is_dir() && !file_type.is_symlink() {
                    let rel = entry.path().strip_prefix(self.dir).unwrap_or(entry.path());
                    if self.filter.accepts(rel) {
                        self.special.push(entry.path().to_path_buf());
                    }
                }
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(self.dir)
                .unwrap_or(entry.path())
                .to_path_buf();
            if self.filter.accepts(&rel) {
                self.accepted += 1;
                return Some(Ok(rel));
            }
            *self.others.entry(extension_of(&rel)).or_default() += 1;
        }
    }
}

/// The files of `dir` that a walk with `filter` reads through a symbolic
/// link: the link's path in the tree and the file it names. Only the links
/// are resolved: the rest of the tree is listed, not looked up. A file
/// read through a link may lie anywhere, so what a run writes is checked
/// against these too.
pub fn linked_files(dir: &Path, filter: &FileFilter) -> Vec<(PathBuf, PathBuf)> {
    let entries = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(visible)
        .flatten()
        .filter(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            filter.accepts(rel)
        });
    resolved_links(entries)
        .filter(|(_, target)| target.is_file())
        .collect()
}

/// The symbolic links anywhere in `dir` (not followed) and the paths they
/// resolve to: a directory sapu writes into holds no link to an input.
pub fn links_in(dir: &Path) -> Vec<(PathBuf, PathBuf)> {
    resolved_links(walkdir::WalkDir::new(dir).into_iter().flatten()).collect()
}

/// The links among `entries` (below the walk's root) that resolve, with
/// what they resolve to.
fn resolved_links(
    entries: impl Iterator<Item = walkdir::DirEntry>,
) -> impl Iterator<Item = (PathBuf, PathBuf)> {
    entries
        .filter(|e| e.depth() > 0 && e.file_type().is_symlink())
        .filter_map(|e| {
            let target = e.path().canonicalize().ok()?;
            Some((e.into_path(), target))
        })
}

/// `.txt`, `.jsonl.gz`, or `(no extension)`, for messages.
fn extension_of(path: &Path) -> String {
    // As written (`.TXT` is not what `*.txt` matches).
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parts: Vec<&str> = name.split('.').skip(1).collect();
    match parts.as_slice() {
        [] => "(no extension)".into(),
        [.., before, last] if matches!(last.to_ascii_lowercase().as_str(), "gz" | "zst") => {
            format!(".{before}.{last}")
        }
        [.., last] => format!(".{last}"),
    }
}

/// Something a walk found that its caller should say, once it is over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkNote {
    /// A symbolic link to a directory, not followed.
    LinkedDirectory(PathBuf),
    /// A pipe, a socket or a device the globs name, not read.
    NotAFile(PathBuf),
    /// No file was accepted: the directory, the globs, and what it holds.
    NothingFound(String),
}

impl WalkNote {
    /// Nothing found is an error: the input was given to be read.
    pub fn is_error(&self) -> bool {
        matches!(self, WalkNote::NothingFound(_))
    }
}

impl fmt::Display for WalkNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WalkNote::LinkedDirectory(path) => write!(
                f,
                "{}: symbolic link to a directory, not followed; give it as an input of its own to read it",
                path.display()
            ),
            WalkNote::NotAFile(path) => write!(
                f,
                "{}: not a regular file (a pipe, a socket or a device), skipped; give it as an input of its own to read it",
                path.display()
            ),
            WalkNote::NothingFound(message) => write!(f, "{message}"),
        }
    }
}

impl Walk<'_> {
    /// What to say about the walk so far: symbolic links to directories,
    /// and, when no file was accepted, what the directory holds.
    pub fn notes(&self) -> Vec<WalkNote> {
        let mut notes: Vec<WalkNote> = self
            .linked_dirs
            .iter()
            .cloned()
            .map(WalkNote::LinkedDirectory)
            .chain(self.special.iter().cloned().map(WalkNote::NotAFile))
            .collect();
        if self.accepted == 0 {
            notes.push(WalkNote::NothingFound(self.nothing_found()));
        }
        notes
    }

    fn nothing_found(&self) -> String {
        let mut m = format!(
            "{}: no file matches {}",
            self.dir.display(),
            self.filter.patterns.join(", ")
        );
        if self.others.is_empty() {
            m.push_str("; the directory holds no other (visible) file");
            return m;
        }
        let mut by_count: Vec<(&String, &u64)> = self.others.iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let listed: Vec<String> = by_count
            .iter()
            .take(5)
            .map(|(ext, n)| format!("{n} × {ext}"))
            .collect();
        m.push_str(&format!(
            "; it holds {}{}",
            listed.join(", "),
            if by_count.len() > 5 { ", ..." } else { "" }
        ));
        let has =
            |pred: &dyn Fn(&str) -> bool| self.others.keys().any(|e| pred(&e.to_ascii_lowercase()));
        if has(&|e| Format::from_path(Path::new(&format!("x{e}"))) == Format::Jsonl) {
            m.push_str(
                ". JSON Lines shards are read with --format jsonl (.jsonl and .ndjson also by \
                 name, without --format or --glob)",
            );
        }
        if has(&|e| e == ".txt") {
            m.push_str(
                ". Text documents are read with --format text (also by name, without --format \
                 or --glob)",
            );
        }
        if has(&|e| e == ".parquet") {
            m.push_str(
                ". Parquet files are read by `sapu clean` (by name, or with --format parquet)",
            );
        }
        if self
            .others
            .keys()
            .any(|e| e.chars().any(|c| c.is_ascii_uppercase()))
        {
            m.push_str(
                ". A --glob matches letters in the case written (--glob '*.TXT'); the default \
                 names match either case",
            );
        }
        m.push_str(". Choose other files with --glob");
        m
    }
}

/// An absolute, lexically clean form of a path that may not exist yet: the
/// longest existing ancestor is canonicalized, the rest appended.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let abs: PathBuf = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    // Lexically drop `.` and fold `..` before looking for an ancestor.
    let mut clean = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    let mut existing = clean.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(mut out) = existing.canonicalize() {
            for part in rest.iter().rev() {
                out.push(part);
            }
            return Ok(out);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(clean),
        }
    }
}

/// Writes `data` to `path` atomically: a temporary file in the same
/// directory, then a rename. A crash leaves no partial file under `path`.
pub fn write_atomic(path: &Path, data: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(data)?;
    file.commit()
}

/// What marks the temporary of an atomic file: `.NAME.sapu-tmp-PID`.
const TEMPORARY_MARK: &str = ".sapu-tmp-";

/// The process that wrote a temporary file of [`AtomicFile`], from its
/// name (`.NAME.sapu-tmp-PID`); `None` for any other name.
pub fn temporary_owner(file_name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?;
    let at = rest.rfind(TEMPORARY_MARK)?;
    let pid = &rest[at + TEMPORARY_MARK.len()..];
    if at == 0 || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// The temporaries of this process's atomic files that are neither
/// committed nor removed yet; `closed` once [`remove_temporaries`] ran.
struct Temporaries {
    paths: std::collections::BTreeSet<PathBuf>,
    closed: bool,
}

static TEMPORARIES: std::sync::Mutex<Temporaries> = std::sync::Mutex::new(Temporaries {
    paths: std::collections::BTreeSet::new(),
    closed: false,
});

fn temporaries() -> std::sync::MutexGuard<'static, Temporaries> {
    // The set stays consistent whatever panicked while it was held.
    TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes the temporary file of every [`AtomicFile`] of this process not
/// committed yet, and makes [`AtomicFile::create`] fail from now on: for a
/// process about to exit on a signal, so that it leaves no temporary
/// behind. Returns the files removed.
pub fn remove_temporaries() -> Vec<PathBuf> {
    let mut t = temporaries();
    t.closed = true;
    let paths = std::mem::take(&mut t.paths);
    paths
        .into_iter()
        .filter(|p| fs::remove_file(p).is_ok())
        .collect()
}

/// A file streamed under a temporary name in its destination directory
/// (`.NAME.sapu-tmp-PID`) and renamed to its final name by
/// [`AtomicFile::commit`]. Dropped uncommitted (an error, a stopped run),
/// the temporary is removed; so is it by [`remove_temporaries`] (on a
/// signal); a killed process leaves at most the temporary, never a partial
/// file under the final name.
///
/// A destination that exists and is not a regular file (`/dev/null`,
/// `/dev/stdout`, a named pipe) is written in place: renaming over it would
/// replace the device with a regular file.
pub struct AtomicFile {
    path: PathBuf,
    /// The temporary and the path it is renamed to (`path` with its
    /// links followed); `None` when writing in place to a special file.
    tmp: Option<(PathBuf, PathBuf)>,
    file: io::BufWriter<fs::File>,
    committed: bool,
    /// Bytes written since the disk was last asked to start writing them.
    unstarted: u64,
}

/// Where an [`AtomicFile`] writes.
#[derive(Debug, PartialEq)]
enum Destination {
    /// Into the file itself, appending: a device, a named pipe, or another
    /// path under `/proc`.
    InPlace,
    /// Into one of the process's own open files (`/dev/stdout` is
    /// `/proc/self/fd/1`), which may be a regular file the shell opened:
    /// through a duplicate of its descriptor, so that the writes move the
    /// offset its other writers share (the shell's next command writes
    /// after them, not over them).
    OwnStream(i32),
    /// Nowhere: the path is a loop of symbolic links.
    Loop,
    /// Through a temporary file renamed to this path: the given path with
    /// its symbolic links followed, so that a link stays a link and the
    /// file it names gets the content.
    Atomic(PathBuf),
}

/// Follows the symbolic links of `path` (the last component, as many
/// times as it is one).
fn destination(path: &Path) -> Destination {
    let mut at = path.to_path_buf();
    // As many links as the system follows.
    for _ in 0..40 {
        if let Some(fd) = own_descriptor(&at) {
            return Destination::OwnStream(fd);
        }
        if at.starts_with("/proc") || at.starts_with("/dev/fd") {
            return Destination::InPlace;
        }
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let Ok(target) = fs::read_link(&at) else {
                    break;
                };
                at = match at.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            Ok(meta) if !meta.is_file() && !meta.is_dir() => return Destination::InPlace,
            _ => return Destination::Atomic(at),
        }
    }
    // A loop of links: renaming over it would replace the link with a file.
    Destination::Loop
}

/// The descriptor `path` names when it is one of this process's own
/// (`/proc/self/fd/N`, `/dev/fd/N`, `/proc/PID/fd/N` with this PID).
fn own_descriptor(path: &Path) -> Option<i32> {
    let s = path.to_str()?;
    let pid = std::process::id().to_string();
    let n = ["/proc/self/fd/", "/proc/thread-self/fd/", "/dev/fd/"]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .or_else(|| {
            s.strip_prefix("/proc/")?
                .strip_prefix(pid.as_str())?
                .strip_prefix("/fd/")
        })?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

/// A new descriptor of the open file `fd` (sharing its offset), or the
/// error that `fd` is not open.
fn duplicate(fd: i32) -> io::Result<fs::File> {
    use std::os::fd::FromRawFd;
    // SAFETY: fcntl only reads its integer arguments; on success the new
    // descriptor is this process's and nothing else owns it.
    let new = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
    if new < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `new` was just made and is owned by the returned file alone.
    Ok(unsafe { fs::File::from_raw_fd(new) })
}

impl AtomicFile {
    /// Writes to `file`, already open on `path`, with nothing to rename.
    fn in_place(path: &Path, file: fs::File) -> AtomicFile {
        AtomicFile {
            path: path.to_path_buf(),
            tmp: None,
            file: io::BufWriter::with_capacity(256 * 1024, file),
            committed: false,
            unstarted: 0,
        }
    }

    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        let target = match destination(path) {
            Destination::OwnStream(fd) => return Ok(AtomicFile::in_place(path, duplicate(fd)?)),
            Destination::InPlace => {
                let file = fs::OpenOptions::new().append(true).open(path)?;
                return Ok(AtomicFile::in_place(path, file));
            }
            Destination::Loop => {
                return Err(io::Error::other(
                    "a loop of symbolic links (each names the next): nothing to write to; remove the link or choose another path",
                ));
            }
            Destination::Atomic(target) => target,
        };
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(dir)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(".{name}{TEMPORARY_MARK}{}", std::process::id()));
        // Created and listed at once, so that remove_temporaries never
        // misses one.
        let mut live = temporaries();
        if live.closed {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "interrupted: no more files are written",
            ));
        }
        let file = io::BufWriter::with_capacity(256 * 1024, fs::File::create(&tmp)?);
        live.paths.insert(tmp.clone());
        drop(live);
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp: Some((tmp, target)),
            file,
            committed: false,
            unstarted: 0,
        })
    }

    /// Flushes, syncs and renames the file to its final name.
    pub fn commit(self) -> io::Result<()> {
        self.commit_with(true)
    }

    /// Flushes and renames the file to its final name, without waiting for
    /// the disk: after a power failure (not a killed process) the file may
    /// be found empty or cut off, so only for files that can tell (a
    /// trailer that says their length).
    pub fn commit_unsynced(self) -> io::Result<()> {
        self.commit_with(false)
    }

    fn commit_with(mut self, sync: bool) -> io::Result<()> {
        self.file.flush()?;
        if let Some((tmp, target)) = &self.tmp {
            if sync {
                self.file.get_ref().sync_data()?;
            }
            fs::rename(tmp, target)?;
            temporaries().paths.remove(tmp);
        }
        self.committed = true;
        Ok(())
    }

    /// Appends what `from` holds; file to file, the kernel copies.
    pub fn append_from(&mut self, from: &mut impl Read) -> io::Result<u64> {
        io::copy(from, &mut self.file)
    }

    /// The final name.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Written bytes after which the disk is asked to start writing them.
const START_WRITEBACK: u64 = 8 << 20;

impl AtomicFile {
    /// Counts `n` bytes written; past [`START_WRITEBACK`], asks the disk
    /// to start writing what the file holds so far, without waiting, so
    /// that the sync of [`AtomicFile::commit`] finds little left to do
    /// and writing a big output overlaps with the work that makes it.
    fn written(&mut self, n: usize) {
        self.unstarted += n as u64;
        if self.unstarted >= START_WRITEBACK && self.tmp.is_some() {
            self.unstarted = 0;
            start_writeback(self.file.get_ref());
        }
    }
}

/// Starts writing the file's dirty pages to the disk, without waiting
/// (Linux; elsewhere the commit's sync does it all).
#[cfg(target_os = "linux")]
fn start_writeback(file: &fs::File) {
    use std::os::fd::AsRawFd;
    // SAFETY: the descriptor is open for as long as `file` is borrowed;
    // the call only reads its arguments. Failing is harmless: the
    // commit's sync writes what is left.
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
    }
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &fs::File) {}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written(n);
        Ok(n)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.file.write_all(buf)?;
        self.written(buf.len());
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.committed
            && let Some((tmp, _)) = &self.tmp
        {
            let _ = fs::remove_file(tmp);
            temporaries().paths.remove(tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn special_files_are_written_in_place_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let null = Path::new("/dev/null");
        let mut f = AtomicFile::create(null).unwrap();
        f.write_all(b"discarded").unwrap();
        f.commit().unwrap();
        assert!(fs::metadata(null).unwrap().file_type().is_char_device());
    }

    #[test]
    fn nul_means_binary() {
        assert!(matches!(
            decode(b"ab\0c".to_vec()),
            Err(ReadError::Binary(2))
        ));
    }

    #[test]
    fn invalid_utf8_is_counted() {
        let d = decode(b"ok \xff\xfe".to_vec()).unwrap();
        assert_eq!(d.replaced_bytes, 2);
        assert!(d.text.starts_with("ok "));
    }

    // A link given as a report or output path was replaced by a regular
    // file (the rename went over the link), so `--stats link` left the
    // file it names as it was; a link to the process's own stdout (fd 1 a
    // regular file) was replaced too, and the stats never reached it.
    #[cfg(unix)]
    #[test]
    fn a_link_is_written_through_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        fs::write(&real, "old").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        let chain = dir.path().join("chain");
        std::os::unix::fs::symlink(&link, &chain).unwrap();
        for (path, text) in [(&link, "new"), (&chain, "newer")] {
            let mut f = AtomicFile::create(path).unwrap();
            f.write_all(text.as_bytes()).unwrap();
            f.commit().unwrap();
            assert!(
                fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert!(
                fs::symlink_metadata(&chain)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(fs::read_to_string(&real).unwrap(), text);
        }
        // A link to a file that is not there yet: the file is made.
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink("sub/made.json", &dangling).unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        write_atomic(&dangling, b"made").unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("sub/made.json")).unwrap(),
            "made"
        );
        assert!(
            fs::symlink_metadata(&dangling)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        // The process's own streams, and links to them, are written in
        // place, after what they hold.
        let fd = dir.path().join("fd");
        std::os::unix::fs::symlink("/proc/self/fd/1", &fd).unwrap();
        assert_eq!(destination(&fd), Destination::OwnStream(1));
        assert_eq!(
            destination(Path::new("/dev/stdout")),
            Destination::OwnStream(1)
        );
        assert_eq!(
            destination(Path::new("/dev/stderr")),
            Destination::OwnStream(2)
        );
        let own = format!("/proc/{}/fd/7", std::process::id());
        assert_eq!(destination(Path::new(&own)), Destination::OwnStream(7));
        assert_eq!(destination(Path::new("/proc/1/fd/1")), Destination::InPlace);
        // A loop of links is written nowhere (the rename replaced the link
        // with a file).
        let looped = dir.path().join("loop.txt");
        std::os::unix::fs::symlink("loop.txt", &looped).unwrap();
        assert_eq!(destination(&looped), Destination::Loop);
        let err = write_atomic(&looped, b"x").unwrap_err();
        assert!(
            err.to_string().contains("a loop of symbolic links"),
            "{err}"
        );
        assert!(
            fs::symlink_metadata(&looped)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(destination(Path::new("/dev/null")), Destination::InPlace);
        assert_eq!(
            destination(&link),
            Destination::Atomic(dir.path().join("real.json"))
        );
    }

    // A UTF-16 text (byte-order mark first) was skipped as binary for the
    // NUL bytes of its ASCII characters.
    #[test]
    fn utf16_with_a_byte_order_mark_is_read_as_text() {
        let text = "Judul berita\n\nIsi — “kutipan” 😀.\n";
        let le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for bytes in [le.clone(), be] {
            let doc = decode(bytes.clone()).unwrap();
            assert_eq!(doc.text, text);
            assert_eq!((doc.bytes, doc.replaced_bytes), (bytes.len(), 0));
        }
        // A lone surrogate and an odd last byte are replaced and counted.
        let mut bad = le[..4].to_vec();
        bad.extend_from_slice(&[0x00, 0xd8, b'x']);
        let doc = decode(bad).unwrap();
        assert_eq!(doc.text, "J\u{fffd}\u{fffd}");
        assert_eq!(doc.replaced_bytes, 3);
    }

    #[test]
    fn atomic_file_appears_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/out.jsonl");
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"partial").unwrap();
        assert!(!path.exists());
        drop(f);
        assert!(!path.exists());
        assert_eq!(fs::read_dir(dir.path().join("sub")).unwrap().count(), 0);
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"whole").unwrap();
        f.commit().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"whole");
        assert_eq!(fs::read_dir(dir.path().join("sub")).unwrap().count(), 1);
    }

    #[test]
    fn a_big_file_written_while_the_disk_is_asked_to_start_is_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.jsonl");
        let mut f = AtomicFile::create(&path).unwrap();
        let mut expected = Vec::new();
        for i in 0..300u32 {
            // Pieces of uneven sizes, by both write paths, past the
            // writeback threshold several times.
            let piece = vec![b'a' + (i % 26) as u8; 40_000 + (i as usize * 997) % 90_000];
            if i % 2 == 0 {
                f.write_all(&piece).unwrap();
            } else {
                let mut rest = &piece[..];
                while !rest.is_empty() {
                    let n = f.write(rest).unwrap();
                    rest = &rest[n..];
                }
            }
            expected.extend_from_slice(&piece);
        }
        assert!(expected.len() as u64 > 2 * START_WRITEBACK);
        assert!(!path.exists());
        f.commit().unwrap();
        assert!(fs::read(&path).unwrap() == expected);
    }

    #[test]
    fn temporaries_are_named_with_their_process() {
        assert_eq!(temporary_owner(".out.jsonl.sapu-tmp-4242"), Some(4242));
        assert_eq!(temporary_owner(".a.sapu-tmp-1.sapu-tmp-77"), Some(77));
        assert_eq!(temporary_owner("out.jsonl.sapu-tmp-4242"), None);
        assert_eq!(temporary_owner(".out.jsonl.sapu-tmp-"), None);
        assert_eq!(temporary_owner(".out.jsonl.sapu-tmp-12x"), None);
        assert_eq!(temporary_owner("..sapu-tmp-1"), None);
        let dir = tempfile::tempdir().unwrap();
        let f = AtomicFile::create(&dir.path().join("x.txt")).unwrap();
        let name = fs::read_dir(dir.path())
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .file_name();
        assert_eq!(
            temporary_owner(&name.to_string_lossy()),
            Some(std::process::id())
        );
        drop(f);
    }

    #[test]
    fn glob_matches_at_any_depth() {
        let f = FileFilter::new(&["*.txt".into()]).unwrap();
        assert!(f.accepts(Path::new("a/b/c.txt")));
        assert!(!f.accepts(Path::new("a/b/c.json")));
    }
}
