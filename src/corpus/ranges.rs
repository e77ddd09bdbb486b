//! A plain shard file read in byte ranges, each by the worker that claims
//! it, so that reading scales with the workers as cleaning does (a stream,
//! compressed or not a regular file, is read by [`super::lines`] under the
//! pipeline's lock, one piece after another).
//!
//! Range `k` is the bytes `[k * size, (k + 1) * size)` of the file, and
//! its lines are those that start in it: the worker reads the range (and
//! the byte before it, to see whether a line starts at its first byte),
//! skips the end of the line the range before it holds, and reads on past
//! its end to finish its last line. A line is numbered once the ranges
//! before it have counted theirs: each range counts its lines as soon as
//! it has read them and waits for the count of the one before (which is
//! being read at the same time, by another worker, and never waits for a
//! later one), so the numbers are those a reader from the start would
//! give.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::{Condvar, Mutex, PoisonError};

use super::lines::{Batch, Limits, Piece, Spare, over_limit};

/// How much a worker reads at a time past the end of its range, to finish
/// its last line (the first read fits in the room
/// [`Limits::buffer_capacity`] leaves past a range).
const READ_ON: usize = 4000;

/// What the lines of one range are, in order: what a stream reader
/// passes on (batches, lines over the record limit whole, a failure to
/// read), and what only a file has.
#[derive(Debug)]
pub enum Part {
    Piece(Piece),
    /// A line over the record limit that goes on past the bytes read: it
    /// starts at `offset` of the file and ends at the next `\n`.
    LongLine {
        line: u64,
        offset: u64,
    },
}

fn failed(after_line: u64, error: io::Error) -> Part {
    Part::Piece(Piece::Failed {
        after_line,
        partial: 0,
        error,
    })
}

/// What ranges are read from: a file, or in tests, bytes that fail.
pub trait ReadAt: Send + Sync {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize>;
}

impl ReadAt for File {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        FileExt::read_at(self, buf, offset)
    }
}

/// A regular file, read in ranges.
pub struct Ranges<R = File> {
    file: R,
    len: u64,
    range: u64,
    /// Of a range's buffer.
    capacity: usize,
    max_record_bytes: usize,
    /// The ranges whose lines are counted, and those lines.
    counted: Mutex<Counted>,
    turn: Condvar,
}

#[derive(Default)]
struct Counted {
    ranges: u64,
    lines: u64,
    /// A worker panicked before it counted its range.
    broken: bool,
}

impl<R: ReadAt> Ranges<R> {
    /// `file` from its start to `len`, in ranges of the
    /// batch size of `limits`.
    pub fn new(file: R, len: u64, limits: Limits) -> Ranges<R> {
        Ranges {
            file,
            len,
            range: limits.batch_bytes.max(1) as u64,
            capacity: limits.buffer_capacity(),
            max_record_bytes: limits.max_record_bytes,
            counted: Mutex::new(Counted::default()),
            turn: Condvar::new(),
        }
    }

    pub fn file(&self) -> &R {
        &self.file
    }

    /// How many ranges there are.
    pub fn count(&self) -> u64 {
        self.len.div_ceil(self.range)
    }

    /// Reads range `k` (every range once, any order) into its parts.
    pub fn read(&self, k: u64, spare: &Spare) -> Vec<Part> {
        let mut count = CountOnDrop {
            ranges: self,
            k,
            lines: None,
        };
        match self.cut(k, spare) {
            Ok(cut) => {
                let first_line = count.publish(cut.lines) + 1;
                cut.into_parts(first_line)
            }
            Err(error) => vec![failed(count.publish(0), error)],
        }
    }

    /// The lines that start in range `k`, unnumbered.
    fn cut(&self, k: u64, spare: &Spare) -> io::Result<Cut> {
        let begin = k * self.range;
        let end = (begin + self.range).min(self.len);
        // The byte before the range tells whether a line starts at its
        // first byte.
        let from = begin.saturating_sub(1);
        let mut data = spare.take(self.capacity);
        read_at(&self.file, &mut data, from, (end - from) as usize)?;
        let mut cut = Cut {
            data,
            start: 0,
            items: Vec::new(),
            lines: 0,
            failed: None,
        };
        let mut at = if begin == 0 {
            0
        } else {
            match memchr::memchr(b'\n', &cut.data) {
                Some(i) => i + 1,
                // A line from an earlier range goes on through this one.
                None => return Ok(cut),
            }
        };
        cut.start = at;
        // Lines start in the range below this index of `data`.
        let range_end = cut.data.len();
        while at < range_end {
            match memchr::memchr(b'\n', &cut.data[at..]) {
                Some(i) => {
                    cut.push_line(at, at + i, self.max_record_bytes);
                    at += i + 1;
                }
                None => {
                    // The last line goes on past the range: read on to
                    // its end, as far as the record limit.
                    let line_start = at;
                    let mut offset = from + cut.data.len() as u64;
                    loop {
                        if over_limit(&cut.data[line_start..], self.max_record_bytes) {
                            cut.items.push(Item::LongLine {
                                offset: from + line_start as u64,
                            });
                            cut.lines += 1;
                            cut.data.truncate(line_start);
                            return Ok(cut);
                        }
                        let before = cut.data.len();
                        let got = match read_at(&self.file, &mut cut.data, offset, READ_ON) {
                            Ok(got) => got,
                            Err(error) => {
                                // The lines before it are whole: they are
                                // written, and reading stops at this one.
                                cut.data.truncate(line_start);
                                cut.failed = Some(error);
                                return Ok(cut);
                            }
                        };
                        offset += got as u64;
                        if let Some(i) = memchr::memchr(b'\n', &cut.data[before..]) {
                            cut.push_line(line_start, before + i, self.max_record_bytes);
                            return Ok(cut);
                        }
                        if got == 0 {
                            // The end of the file: the last line may lack
                            // its `\n`.
                            let len = cut.data.len();
                            cut.push_line(line_start, len, self.max_record_bytes);
                            return Ok(cut);
                        }
                    }
                }
            }
        }
        Ok(cut)
    }
}

/// The lines of a range as cut, before they are numbered: runs of lines
/// within the record limit, and the lines over it.
struct Cut {
    data: Vec<u8>,
    /// Where the first line starts in `data`.
    start: usize,
    items: Vec<Item>,
    /// Lines that start in the range.
    lines: u64,
    /// Reading failed in the last line, after the lines above.
    failed: Option<io::Error>,
}

enum Item {
    /// A line of `data` from `start` to `end`.
    Line {
        start: usize,
        end: usize,
    },
    Oversize {
        start: usize,
        end: usize,
    },
    LongLine {
        offset: u64,
    },
}

impl Cut {
    fn push_line(&mut self, start: usize, end: usize, max: usize) {
        self.lines += 1;
        self.items.push(if over_limit(&self.data[start..end], max) {
            Item::Oversize { start, end }
        } else {
            Item::Line { start, end }
        });
    }

    /// The parts, their lines numbered from `first_line`, and the failure
    /// to read after them, if reading failed.
    fn into_parts(self, first_line: u64) -> Vec<Part> {
        let Cut {
            data,
            start,
            items,
            lines,
            failed: error,
        } = self;
        let mut parts = parts_of(data, start, items, first_line);
        if let Some(error) = error {
            parts.push(failed(first_line - 1 + lines, error));
        }
        parts
    }
}

/// The lines of `items` in `data`, numbered from `first_line`. Lines come
/// in one batch over the bytes as read, unless a line over the limit splits
/// them (only then are bytes copied).
fn parts_of(data: Vec<u8>, start: usize, items: Vec<Item>, first_line: u64) -> Vec<Part> {
    let lines = |batch| Part::Piece(Piece::Batch(batch));
    if items.iter().all(|i| matches!(i, Item::Line { .. })) {
        let ends = items
            .iter()
            .map(|i| match i {
                Item::Line { end, .. } => *end,
                _ => unreachable!(),
            })
            .collect::<Vec<_>>();
        if ends.is_empty() {
            return Vec::new();
        }
        return vec![lines(Batch::as_read(first_line, data, start, ends))];
    }
    let mut parts = Vec::new();
    let mut run: Vec<(usize, usize)> = Vec::new();
    let mut run_first = first_line;
    let flush = |run: &mut Vec<(usize, usize)>, run_first: u64, parts: &mut Vec<Part>| {
        if run.is_empty() {
            return;
        }
        let mut bytes = Vec::new();
        let mut ends = Vec::with_capacity(run.len());
        for &(s, e) in run.iter() {
            bytes.extend_from_slice(&data[s..e]);
            bytes.push(b'\n');
            ends.push(bytes.len() - 1);
        }
        parts.push(lines(Batch::as_read(run_first, bytes, 0, ends)));
        run.clear();
    };
    for (n, item) in items.into_iter().enumerate() {
        let line = first_line + n as u64;
        match item {
            Item::Line { start, end } => {
                if run.is_empty() {
                    run_first = line;
                }
                run.push((start, end));
            }
            Item::Oversize { start, end } => {
                flush(&mut run, run_first, &mut parts);
                parts.push(Part::Piece(Piece::Oversize {
                    line,
                    bytes: data[start..end].to_vec(),
                    end: true,
                }));
            }
            Item::LongLine { offset } => {
                flush(&mut run, run_first, &mut parts);
                parts.push(Part::LongLine { line, offset });
            }
        }
    }
    flush(&mut run, run_first, &mut parts);
    parts
}

/// Counts range `k`'s lines after those of the ranges before it; if the
/// worker panics first, the ranges after it learn so and panic too (the
/// pipeline raises the first panic, in order).
struct CountOnDrop<'r, R> {
    ranges: &'r Ranges<R>,
    k: u64,
    lines: Option<u64>,
}

impl<R> CountOnDrop<'_, R> {
    /// Waits for the ranges before `k`; returns the lines they hold.
    fn publish(&mut self, lines: u64) -> u64 {
        let r = self.ranges;
        let mut c = r.counted.lock().unwrap_or_else(PoisonError::into_inner);
        while c.ranges < self.k && !c.broken {
            c = r.turn.wait(c).unwrap_or_else(PoisonError::into_inner);
        }
        if c.broken {
            drop(c);
            panic!("a worker reading an earlier range of the shard panicked");
        }
        let before = c.lines;
        c.lines += lines;
        c.ranges += 1;
        self.lines = Some(lines);
        r.turn.notify_all();
        before
    }
}

impl<R> Drop for CountOnDrop<'_, R> {
    fn drop(&mut self) {
        if self.lines.is_none() {
            let r = self.ranges;
            r.counted
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .broken = true;
            r.turn.notify_all();
        }
    }
}

/// Appends up to `n` bytes of `file` from `offset` to `buf`; fewer only at
/// the end of the file. Returns how many.
pub(super) fn read_at(
    file: &(impl ReadAt + ?Sized),
    buf: &mut Vec<u8>,
    offset: u64,
    n: usize,
) -> io::Result<usize> {
    let before = buf.len();
    buf.resize(before + n, 0);
    let mut got = 0;
    while got < n {
        match file.read_at(&mut buf[before + got..], offset + got as u64) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.truncate(before);
                return Err(e);
            }
        }
    }
    buf.truncate(before + got);
    Ok(got)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic::{self, AssertUnwindSafe};

    /// Bytes whose reading fails from `fail_from` on.
    struct Bytes {
        data: Vec<u8>,
        fail_from: u64,
    }

    impl ReadAt for Bytes {
        fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
            if offset >= self.fail_from {
                return Err(io::Error::other("bad sector"));
            }
            let end = (offset as usize + buf.len())
                .min(self.data.len())
                .min(self.fail_from as usize);
            let start = (offset as usize).min(end);
            buf[..end - start].copy_from_slice(&self.data[start..end]);
            Ok(end - start)
        }
    }

    fn limits(range: usize) -> Limits {
        Limits {
            batch_bytes: range,
            batch_lines: 1 << 20,
            max_record_bytes: 1 << 20,
            in_flight: 4,
        }
    }

    /// Every range read in order: the lines with their numbers, and what
    /// else the parts say.
    fn read_all(input: &[u8], range: usize, fail_from: u64) -> Vec<(u64, String)> {
        let bytes = Bytes {
            data: input.to_vec(),
            fail_from,
        };
        let ranges = Ranges::new(bytes, input.len() as u64, limits(range));
        let spare = Spare::new(4);
        let mut out = Vec::new();
        for k in 0..ranges.count() {
            for part in ranges.read(k, &spare) {
                match part {
                    Part::Piece(Piece::Batch(b)) => {
                        for (i, l) in b.lines().enumerate() {
                            out.push((b.first_line + i as u64, String::from_utf8_lossy(l).into()));
                        }
                    }
                    Part::Piece(Piece::Failed { after_line, .. }) => {
                        out.push((after_line, "<failed>".into()))
                    }
                    Part::Piece(Piece::Oversize { line, .. }) | Part::LongLine { line, .. } => {
                        out.push((line, "<oversize>".into()))
                    }
                }
            }
        }
        out
    }

    fn numbered(lines: &[&str]) -> Vec<(u64, String)> {
        (1..).zip(lines.iter().map(|l| l.to_string())).collect()
    }

    #[test]
    fn every_line_once_in_order_whatever_the_range_size() {
        let input = b"aaaa\nbbbbbbbbbbbbbbbbbbbb\n\nc\nddddddd\n";
        let lines = ["aaaa", "bbbbbbbbbbbbbbbbbbbb", "", "c", "ddddddd"];
        for range in 1..=input.len() + 1 {
            assert_eq!(
                read_all(input, range, u64::MAX),
                numbered(&lines),
                "range {range}"
            );
        }
        // Without the last `\n`.
        let cut = &input[..input.len() - 1];
        assert_eq!(read_all(cut, 3, u64::MAX), numbered(&lines));
    }

    #[test]
    fn a_read_failure_past_a_range_keeps_the_lines_before_it() {
        // Range 0 is "aaaa\nbbb"; its last line fails to read on at 12.
        let input = b"aaaa\nbbbbbbbbbbbbbbbb\ncc\n";
        let got = read_all(input, 8, 12);
        assert_eq!(got[0], (1, "aaaa".into()));
        assert_eq!(got[1], (1, "<failed>".into()));
        // A range whose own bytes fail: nothing of it, and its failure.
        let got = read_all(input, 8, 16);
        assert!(got.contains(&(1, "<failed>".into())), "{got:?}");
    }

    #[test]
    fn a_range_after_one_whose_worker_panicked_panics_instead_of_waiting() {
        let bytes = Bytes {
            data: b"a\nb\nc\n".to_vec(),
            fail_from: u64::MAX,
        };
        let ranges = Ranges::new(bytes, 6, limits(2));
        let spare = Spare::new(4);
        // Range 0's worker goes away before it counted its lines.
        drop(CountOnDrop {
            ranges: &ranges,
            k: 0,
            lines: None,
        });
        let later = panic::catch_unwind(AssertUnwindSafe(|| ranges.read(1, &spare)));
        assert!(later.is_err());
    }
}
