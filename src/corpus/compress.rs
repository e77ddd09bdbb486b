//! Streams in and out of `.gz` and `.zst`, chosen by [`Compression`].

use std::io::{self, BufRead, BufReader, Read, Write};

use flate2::bufread::MultiGzDecoder;
use flate2::write::GzEncoder;

use super::format::Compression;

/// Buffer of the decompressed stream the line reader works on.
const READ_BUFFER: usize = 256 * 1024;

/// A decompressing reader over `input`. Gzip streams may hold several
/// members (as `cat a.gz b.gz` or bgzip write them).
pub fn reader<R: Read + Send + 'static>(
    input: R,
    compression: Compression,
) -> io::Result<Box<dyn BufRead + Send>> {
    decoder(BufReader::with_capacity(READ_BUFFER, input), compression)
}

/// Like [`reader`], with the compression recognized from the first bytes
/// (for stdin, which has no name).
pub fn sniffing_reader<R: Read + Send + 'static>(input: R) -> io::Result<Box<dyn BufRead + Send>> {
    let mut raw = BufReader::with_capacity(READ_BUFFER, input);
    let compression = Compression::sniff(raw.fill_buf()?);
    decoder(raw, compression)
}

fn decoder<R: Read + Send + 'static>(
    raw: BufReader<R>,
    compression: Compression,
) -> io::Result<Box<dyn BufRead + Send>> {
    Ok(match compression {
        Compression::None => Box::new(raw),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            READ_BUFFER,
            MultiGzDecoder::new(raw),
        )),
        Compression::Zstd => Box::new(BufReader::with_capacity(
            READ_BUFFER,
            zstd::stream::read::Decoder::with_buffer(raw)?,
        )),
    })
}

/// A compressing writer. [`Encoder::finish`] must be called: it writes
/// the end of the compressed stream.
pub enum Encoder<W: Write> {
    Plain(W),
    Gzip(GzEncoder<W>),
    Zstd(zstd::stream::write::Encoder<'static, W>),
}

impl<W: Write> Encoder<W> {
    pub fn new(inner: W, compression: Compression) -> io::Result<Encoder<W>> {
        Ok(match compression {
            Compression::None => Encoder::Plain(inner),
            Compression::Gzip => {
                Encoder::Gzip(GzEncoder::new(inner, flate2::Compression::default()))
            }
            Compression::Zstd => Encoder::Zstd(zstd::stream::write::Encoder::new(inner, 3)?),
        })
    }

    /// Ends the compressed stream and returns the inner writer, flushed.
    pub fn finish(self) -> io::Result<W> {
        let mut inner = match self {
            Encoder::Plain(w) => w,
            Encoder::Gzip(e) => e.finish()?,
            Encoder::Zstd(e) => e.finish()?,
        };
        inner.flush()?;
        Ok(inner)
    }
}

impl<W: Write> Write for Encoder<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Encoder::Plain(w) => w.write(buf),
            Encoder::Gzip(e) => e.write(buf),
            Encoder::Zstd(e) => e.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Encoder::Plain(w) => w.write_all(buf),
            Encoder::Gzip(e) => e.write_all(buf),
            Encoder::Zstd(e) => e.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Encoder::Plain(w) => w.flush(),
            Encoder::Gzip(e) => e.flush(),
            Encoder::Zstd(e) => e.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(compression: Compression) {
        let data = b"{\"text\":\"a\"}\n{\"text\":\"b\"}\n".repeat(1000);
        let mut enc = Encoder::new(Vec::new(), compression).unwrap();
        enc.write_all(&data).unwrap();
        let packed = enc.finish().unwrap();
        let mut back = Vec::new();
        reader(io::Cursor::new(packed.clone()), compression)
            .unwrap()
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, data);
        let mut sniffed = Vec::new();
        sniffing_reader(io::Cursor::new(packed))
            .unwrap()
            .read_to_end(&mut sniffed)
            .unwrap();
        assert_eq!(sniffed, data);
    }

    #[test]
    fn round_trips() {
        round_trip(Compression::None);
        round_trip(Compression::Gzip);
        round_trip(Compression::Zstd);
    }

    #[test]
    fn truncated_streams_are_errors() {
        for compression in [Compression::Gzip, Compression::Zstd] {
            let data: Vec<u8> = (0..200_000u32)
                .flat_map(|i| format!("{{\"id\":{i}}}\n").into_bytes())
                .collect();
            let mut enc = Encoder::new(Vec::new(), compression).unwrap();
            enc.write_all(&data).unwrap();
            let mut packed = enc.finish().unwrap();
            packed.truncate(packed.len() / 2);
            let mut back = Vec::new();
            let result = reader(io::Cursor::new(packed), compression)
                .unwrap()
                .read_to_end(&mut back);
            assert!(result.is_err(), "{compression:?} truncation went unnoticed");
        }
    }
}
