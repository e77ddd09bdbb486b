//! Splitting a stream into lines, in bounded batches, for the pipeline.
//!
//! A batch holds complete lines up to a byte budget, so memory is bounded
//! by the budget and the channel depth, not by the shard. A line longer
//! than the record limit is never held whole: it is passed on in pieces.

use std::io::{self, BufRead};
use std::sync::{Arc, Mutex, PoisonError};

/// Complete lines, numbered from `first_line` (1-based), without their
/// `\n`.
#[derive(Debug, Default)]
pub struct Batch {
    pub first_line: u64,
    data: Vec<u8>,
    /// Where each line ends in `data`.
    ends: Vec<usize>,
    /// Where the first line starts in `data`...
    start: usize,
    /// ... and the bytes between one line's end and the next one's start:
    /// 0 when the reader copied the lines together, 1 when `data` is the
    /// input as read, line ends included (see [`super::ranges`]).
    sep: usize,
}

impl Batch {
    fn starting_at(first_line: u64, data: Vec<u8>) -> Batch {
        Batch {
            first_line,
            data,
            ..Batch::default()
        }
    }

    /// The lines of `data` as read: from `start` on, each ending at the
    /// next of `ends`, with a `\n` between one and the next.
    pub(super) fn as_read(first_line: u64, data: Vec<u8>, start: usize, ends: Vec<usize>) -> Batch {
        Batch {
            first_line,
            data,
            ends,
            start,
            sep: 1,
        }
    }

    /// The batch's buffer, for [`Spare::give`].
    pub fn into_data(self) -> Vec<u8> {
        self.data
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Input bytes of the batch, without line ends.
    pub fn bytes(&self) -> usize {
        match self.ends.last() {
            Some(&end) => end - self.start - self.sep * (self.ends.len() - 1),
            None => 0,
        }
    }

    pub fn line(&self, i: usize) -> &[u8] {
        let start = if i == 0 {
            self.start
        } else {
            self.ends[i - 1] + self.sep
        };
        &self.data[start..self.ends[i]]
    }

    pub fn lines(&self) -> impl ExactSizeIterator<Item = &[u8]> {
        (0..self.len()).map(|i| self.line(i))
    }

    /// Where the unfinished line starts.
    fn open_line_start(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }
}

/// What the reader passes on, in input order.
#[derive(Debug)]
pub enum Piece {
    Batch(Batch),
    /// A piece of a line over the record limit. `end` marks its last piece.
    Oversize {
        line: u64,
        bytes: Vec<u8>,
        end: bool,
    },
    /// Reading failed after `after_line` complete lines; `partial` bytes of
    /// an unfinished line were lost.
    Failed {
        after_line: u64,
        partial: u64,
        error: io::Error,
    },
}

/// How big batches and records may get.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// A batch is passed on once it holds this many bytes...
    pub batch_bytes: usize,
    /// ... or this many lines.
    pub batch_lines: usize,
    /// Lines longer than this are passed on as [`Piece::Oversize`].
    pub max_record_bytes: usize,
    /// Pieces (batches, mostly) between the reader and the writer at most:
    /// memory is about this times `batch_bytes` times three (the input, the
    /// output, the `--explain` records). Twice the worker threads and a
    /// few more keep every worker busy while finished batches wait for a
    /// slow one before them.
    pub in_flight: usize,
}

/// JSONL batches: this many input bytes or lines, whichever comes first.
/// A batch is cleaned by one worker; small batches keep the workers busy
/// to the end of a shard, large ones cost less to hand around.
const BATCH_BYTES: usize = 1 << 20;
const BATCH_LINES: usize = 4096;
/// Smaller batches than this are not worth handing to a worker.
const MIN_BATCH_BYTES: usize = 128 << 10;
/// Input bytes in flight in all the shards of a run, at most (unless
/// batches would get smaller than [`MIN_BATCH_BYTES`]).
const IN_FLIGHT_BYTES: usize = 64 << 20;

impl Limits {
    /// The capacity of a batch's buffer: the batch size and room for the
    /// line that goes past it. The stream reader's buffers and those of a
    /// file's ranges are alike, so that pooled buffers serve both.
    pub fn buffer_capacity(&self) -> usize {
        self.batch_bytes.min(1 << 24) + 4096
    }

    /// The memory budget of a run with `threads` workers cleaning `shards`
    /// shards at a time: two batches per worker (one cleaned, one waiting
    /// to be written) and two more (one being read, one being written),
    /// in batches that keep all shards within [`IN_FLIGHT_BYTES`].
    pub fn for_run(threads: usize, shards: usize, max_record_bytes: usize) -> Limits {
        let in_flight = 2 * threads + 2;
        let batch_bytes =
            (IN_FLIGHT_BYTES / (in_flight * shards.max(1))).clamp(MIN_BATCH_BYTES, BATCH_BYTES);
        Limits {
            batch_bytes,
            batch_lines: BATCH_LINES,
            max_record_bytes,
            in_flight,
        }
    }
}

/// Reads `input` to its end, passing pieces to `send` in order. Stops
/// early when `send` returns false (the receiver is gone).
pub fn read_lines(input: impl BufRead, limits: Limits, mut send: impl FnMut(Piece) -> bool) {
    let mut reader = LineReader::new(input, limits);
    while let Some(piece) = reader.next_piece() {
        if !send(piece) {
            return;
        }
    }
}

/// Buffers given back once written, for the next batches and their
/// outputs. A batch is often freed on another thread than the one that
/// made it, and the allocator then hands its memory back to the system,
/// to be faulted in again page by page for the next batch: at 2 threads
/// that was four times the page faults, and a sixth more CPU, of the
/// floor.
#[derive(Debug)]
pub struct Spare {
    bufs: Mutex<Vec<Vec<u8>>>,
    /// Buffers kept at most.
    keep: usize,
}

impl Spare {
    pub fn new(keep: usize) -> Spare {
        Spare {
            bufs: Mutex::new(Vec::new()),
            keep,
        }
    }

    /// An empty buffer of at least `capacity` bytes.
    pub fn take(&self, capacity: usize) -> Vec<u8> {
        let spare = self
            .bufs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        match spare {
            Some(mut buf) => {
                buf.reserve(capacity);
                buf
            }
            None => Vec::with_capacity(capacity),
        }
    }

    pub fn give(&self, mut buf: Vec<u8>) {
        if buf.capacity() == 0 {
            return;
        }
        buf.clear();
        let mut bufs = self.bufs.lock().unwrap_or_else(PoisonError::into_inner);
        if bufs.len() < self.keep {
            bufs.push(buf);
        }
    }
}

/// The pieces of a stream, one at a time, in order: whoever holds the
/// reader takes the next one.
pub struct LineReader<R> {
    input: R,
    limits: Limits,
    capacity: usize,
    /// Where batch buffers come from, when they are given back.
    spare: Option<Arc<Spare>>,
    /// Complete lines handed out or in `batch`.
    lines_done: u64,
    /// The batch being filled.
    batch: Batch,
    /// Bytes so far of the oversize line being passed on, if any.
    oversize: Option<u64>,
    /// A piece to hand out before reading on: the second of two that one
    /// step produced.
    queued: Option<Piece>,
    /// The end of the stream, or a read error, was reached.
    ended: bool,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(input: R, limits: Limits) -> LineReader<R> {
        let capacity = limits.buffer_capacity();
        LineReader {
            input,
            limits,
            capacity,
            spare: None,
            lines_done: 0,
            batch: Batch::starting_at(1, Vec::with_capacity(capacity)),
            oversize: None,
            queued: None,
            ended: false,
        }
    }

    /// Takes the batches' buffers from `spare`.
    pub fn with_spare(mut self, spare: Arc<Spare>) -> LineReader<R> {
        self.spare = Some(spare);
        self.batch = self.fresh_batch(self.lines_done + 1);
        self
    }

    /// An empty batch from line `first_line` on.
    fn fresh_batch(&self, first_line: u64) -> Batch {
        let data = match &self.spare {
            Some(spare) => spare.take(self.capacity),
            None => Vec::with_capacity(self.capacity),
        };
        Batch::starting_at(first_line, data)
    }

    /// The next piece, or `None` at the end (for ever after).
    pub fn next_piece(&mut self) -> Option<Piece> {
        if let Some(piece) = self.queued.take() {
            return Some(piece);
        }
        if self.ended {
            return None;
        }
        loop {
            let buf = match self.input.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => {
                    self.ended = true;
                    let open = self.batch.open_line_start();
                    let partial = self
                        .oversize
                        .unwrap_or((self.batch.data.len() - open) as u64);
                    self.batch.data.truncate(open);
                    let failed = Piece::Failed {
                        after_line: self.lines_done,
                        partial,
                        error,
                    };
                    let batch = std::mem::take(&mut self.batch);
                    if batch.is_empty() {
                        return Some(failed);
                    }
                    self.queued = Some(failed);
                    return Some(Piece::Batch(batch));
                }
            };
            if buf.is_empty() {
                self.ended = true;
                // The last line may lack its `\n`.
                if self.oversize.is_some() {
                    return Some(Piece::Oversize {
                        line: self.lines_done + 1,
                        bytes: Vec::new(),
                        end: true,
                    });
                }
                let mut batch = std::mem::take(&mut self.batch);
                if batch.data.len() > batch.open_line_start() {
                    batch.ends.push(batch.data.len());
                }
                return (!batch.is_empty()).then_some(Piece::Batch(batch));
            }
            let (chunk, newline) = match memchr::memchr(b'\n', buf) {
                Some(i) => (&buf[..i], true),
                None => (buf, false),
            };
            let consumed = chunk.len() + newline as usize;
            if let Some(sofar) = self.oversize.as_mut() {
                *sofar += chunk.len() as u64;
                let piece = Piece::Oversize {
                    line: self.lines_done + 1,
                    bytes: chunk.to_vec(),
                    end: newline,
                };
                self.input.consume(consumed);
                if newline {
                    self.oversize = None;
                    self.lines_done += 1;
                    self.batch = self.fresh_batch(self.lines_done + 1);
                }
                return Some(piece);
            }
            self.batch.data.extend_from_slice(chunk);
            self.input.consume(consumed);
            let open = self.batch.open_line_start();
            if over_limit(&self.batch.data[open..], self.limits.max_record_bytes) {
                // The open line alone in the batch (the usual case) is
                // moved, not copied: one limit's worth of memory, not two.
                let bytes = if open == 0 {
                    std::mem::take(&mut self.batch.data)
                } else {
                    self.batch.data.split_off(open)
                };
                let line = self.lines_done + 1;
                let len = bytes.len() as u64;
                let full =
                    std::mem::replace(&mut self.batch, Batch::starting_at(line + 1, Vec::new()));
                if newline {
                    self.lines_done += 1;
                    self.batch = self.fresh_batch(self.lines_done + 1);
                } else {
                    self.oversize = Some(len);
                }
                let oversize = Piece::Oversize {
                    line,
                    bytes,
                    end: newline,
                };
                if full.is_empty() {
                    return Some(oversize);
                }
                self.queued = Some(oversize);
                return Some(Piece::Batch(full));
            }
            if newline {
                self.batch.ends.push(self.batch.data.len());
                self.lines_done += 1;
                if self.batch.data.len() >= self.limits.batch_bytes
                    || self.batch.len() >= self.limits.batch_lines
                {
                    let next = self.fresh_batch(self.lines_done + 1);
                    return Some(Piece::Batch(std::mem::replace(&mut self.batch, next)));
                }
            }
        }
    }
}

/// Whether a record's bytes so far (`line`, without its `\n`) are over
/// the limit of `max` bytes. The `\r` of a CRLF line end is the line end's,
/// not the record's: a line that ends with one may hold a byte more (if
/// more follows, the next look counts it).
pub(super) fn over_limit(line: &[u8], max: usize) -> bool {
    line.len() > max + usize::from(line.last() == Some(&b'\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(input: &[u8], limits: Limits) -> Vec<Piece> {
        let mut pieces = Vec::new();
        read_lines(io::BufReader::with_capacity(7, input), limits, |p| {
            pieces.push(p);
            true
        });
        pieces
    }

    const SMALL: Limits = Limits {
        batch_bytes: 10,
        batch_lines: 1000,
        max_record_bytes: 20,
        in_flight: 4,
    };

    fn lines_of(pieces: &[Piece]) -> Vec<(u64, String)> {
        let mut out = Vec::new();
        for p in pieces {
            match p {
                Piece::Batch(b) => {
                    for (i, l) in b.lines().enumerate() {
                        out.push((
                            b.first_line + i as u64,
                            String::from_utf8_lossy(l).into_owned(),
                        ))
                    }
                }
                Piece::Oversize { line, end, .. } => {
                    if *end {
                        out.push((*line, "<oversize>".into()))
                    }
                }
                Piece::Failed { .. } => out.push((0, "<failed>".into())),
            }
        }
        out
    }

    #[test]
    fn numbers_lines_across_batches() {
        let pieces = collect(b"aaa\nbbbbbbbbbbbb\n\ncc", SMALL);
        assert_eq!(
            lines_of(&pieces),
            vec![
                (1, "aaa".into()),
                (2, "bbbbbbbbbbbb".into()),
                (3, "".into()),
                (4, "cc".into())
            ]
        );
        assert!(pieces.len() >= 2, "batches are cut at the byte budget");
    }

    #[test]
    fn long_lines_come_in_pieces_and_numbering_goes_on() {
        let long = "x".repeat(100);
        let input = format!("a\n{long}\nb\n{long}");
        let pieces = collect(input.as_bytes(), SMALL);
        assert_eq!(
            lines_of(&pieces),
            vec![
                (1, "a".into()),
                (2, "<oversize>".into()),
                (3, "b".into()),
                (4, "<oversize>".into())
            ]
        );
        let oversize_bytes: usize = pieces
            .iter()
            .map(|p| match p {
                Piece::Oversize { bytes, .. } => bytes.len(),
                _ => 0,
            })
            .sum();
        assert_eq!(oversize_bytes, 200);
        for p in &pieces {
            if let Piece::Oversize { bytes, .. } = p {
                assert!(bytes.len() <= SMALL.max_record_bytes + 7);
            }
        }
    }

    #[test]
    fn stops_when_the_receiver_is_gone() {
        let mut n = 0;
        read_lines(
            io::BufReader::with_capacity(4, &b"a\nb\nc\nd\n"[..]),
            Limits {
                batch_bytes: 1,
                ..SMALL
            },
            |_| {
                n += 1;
                false
            },
        );
        assert_eq!(n, 1);
    }

    #[test]
    fn spare_buffers_are_reused_emptied_and_bounded() {
        let spare = Arc::new(Spare::new(2));
        for _ in 0..3 {
            spare.give(b"old bytes".to_vec());
        }
        let input = &b"aaaaaaaaaaaa\nbbbbbbbbbbbb\nc\n"[..];
        let mut reader = LineReader::new(io::BufReader::with_capacity(7, input), SMALL)
            .with_spare(spare.clone());
        let mut pieces = Vec::new();
        while let Some(p) = reader.next_piece() {
            pieces.push(p);
        }
        assert_eq!(
            lines_of(&pieces),
            vec![
                (1, "aaaaaaaaaaaa".into()),
                (2, "bbbbbbbbbbbb".into()),
                (3, "c".into())
            ]
        );
        // Two were kept (the third given back was dropped), and the
        // reader took them.
        assert!(spare.bufs.lock().unwrap().is_empty());
        let buf = spare.take(100);
        assert!(buf.is_empty() && buf.capacity() >= 100);
    }
}
