//! A ZIP archive of STORED (uncompressed) entries, written as it goes: what an .xlsx
//! needs, without a compression library. Each entry is rendered twice, once to learn
//! its CRC-32 and length for the header in front of it and once to write it, so no
//! entry is held in memory. Without ZIP64 an archive stays under 4 GiB and 65,535
//! entries; past that it is an error, never a broken file.

use std::io::{self, Write};

use super::crc32::Crc32;

/// 1980-01-01 00:00 in MS-DOS form: the entries carry no real time, so the same
/// tables always make the same bytes.
const DOS_DATE: u16 = (1 << 5) | 1;
const DOS_TIME: u16 = 0;
const VERSION: u16 = 20;

/// What the central directory says of an entry written.
struct Written {
    name: String,
    crc: u32,
    size: u32,
    offset: u32,
}

/// Counts and checksums what goes through it, and passes it on.
struct Tally<W> {
    inner: W,
    crc: Crc32,
    bytes: u64,
}

impl<W: Write> Write for Tally<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn too_large(what: &str) -> io::Error {
    io::Error::other(format!(
        "{what}: a workbook is kept under 4 GiB and 65,535 parts"
    ))
}

pub struct ZipWriter<W: Write> {
    out: W,
    at: u64,
    entries: Vec<Written>,
}

impl<W: Write> ZipWriter<W> {
    pub fn new(out: W) -> Self {
        ZipWriter {
            out,
            at: 0,
            entries: Vec::new(),
        }
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.at += bytes.len() as u64;
        Ok(())
    }

    /// Adds the entry `name` whose bytes `render` writes. `render` is called twice
    /// and must write the same bytes both times (it is checked).
    pub fn entry(
        &mut self,
        name: &str,
        render: impl Fn(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        if self.entries.len() >= usize::from(u16::MAX) {
            return Err(too_large(name));
        }
        let mut first = Tally {
            inner: io::sink(),
            crc: Crc32::default(),
            bytes: 0,
        };
        render(&mut first)?;
        let size = u32::try_from(first.bytes).map_err(|_| too_large(name))?;
        let offset = u32::try_from(self.at).map_err(|_| too_large(name))?;
        let crc = first.crc.value();
        let name_len = u16::try_from(name.len()).map_err(|_| too_large(name))?;
        let mut header = Vec::with_capacity(30 + name.len());
        for (value, width) in [
            (0x0403_4b50, 4),
            (VERSION.into(), 2),
            (0, 2), // flags
            (0, 2), // method: stored
            (DOS_TIME.into(), 2),
            (DOS_DATE.into(), 2),
            (crc, 4),
            (size, 4), // compressed
            (size, 4),
            (name_len.into(), 2),
            (0, 2), // extra field
        ] {
            push_le(&mut header, value, width);
        }
        header.extend_from_slice(name.as_bytes());
        self.put(&header)?;
        let mut second = Tally {
            inner: &mut self.out,
            crc: Crc32::default(),
            bytes: 0,
        };
        render(&mut second)?;
        if second.bytes != first.bytes || second.crc.value() != crc {
            return Err(io::Error::other(format!(
                "{name} was not the same when written as when measured"
            )));
        }
        self.at += second.bytes;
        self.entries.push(Written {
            name: name.to_string(),
            crc,
            size,
            offset,
        });
        Ok(())
    }

    /// Writes the central directory and hands the output back.
    pub fn finish(mut self) -> io::Result<W> {
        let start = u32::try_from(self.at).map_err(|_| too_large("the directory"))?;
        let mut directory = Vec::new();
        for e in &self.entries {
            for (value, width) in [
                (0x0201_4b50, 4),
                (VERSION.into(), 2), // made by
                (VERSION.into(), 2), // needed
                (0, 2),
                (0, 2),
                (DOS_TIME.into(), 2),
                (DOS_DATE.into(), 2),
                (e.crc, 4),
                (e.size, 4),
                (e.size, 4),
                (e.name.len() as u32, 2),
                (0, 2), // extra field
                (0, 2), // comment
                (0, 2), // disk
                (0, 2), // internal attributes
                (0, 4), // external attributes
                (e.offset, 4),
            ] {
                push_le(&mut directory, value, width);
            }
            directory.extend_from_slice(e.name.as_bytes());
        }
        let size = u32::try_from(directory.len()).map_err(|_| too_large("the directory"))?;
        let count = self.entries.len() as u32; // at most u16::MAX, checked in `entry`
        for (value, width) in [
            (0x0605_4b50, 4),
            (0, 2),
            (0, 2),
            (count, 2),
            (count, 2),
            (size, 4),
            (start, 4),
            (0, 2), // comment
        ] {
            push_le(&mut directory, value, width);
        }
        u32::try_from(self.at + directory.len() as u64).map_err(|_| too_large("the archive"))?;
        self.put(&directory)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// `value`'s low `width` bytes, little-endian.
fn push_le(out: &mut Vec<u8>, value: u32, width: usize) {
    out.extend_from_slice(&value.to_le_bytes()[..width]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recon::export::crc32::crc32;

    fn u16_at(b: &[u8], at: usize) -> u16 {
        u16::from_le_bytes([b[at], b[at + 1]])
    }

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
    }

    #[test]
    fn entries_are_stored_with_their_crc_and_a_directory_that_finds_them() {
        let mut zip = ZipWriter::new(Vec::new());
        zip.entry("a.txt", |w| w.write_all(b"hello")).unwrap();
        zip.entry("dir/b.xml", |w| w.write_all(b"<x/>")).unwrap();
        let bytes = zip.finish().unwrap();
        // The local header of the first entry, then its bytes as they are.
        assert_eq!(u32_at(&bytes, 0), 0x0403_4b50);
        assert_eq!(u16_at(&bytes, 8), 0, "stored, not deflated");
        assert_eq!(u32_at(&bytes, 14), crc32(b"hello"));
        assert_eq!(u32_at(&bytes, 18), 5);
        assert_eq!(&bytes[30..35], b"a.txt");
        assert_eq!(&bytes[35..40], b"hello");
        // The end record counts both and points at the directory.
        let end = bytes.len() - 22;
        assert_eq!(u32_at(&bytes, end), 0x0605_4b50);
        assert_eq!(u16_at(&bytes, end + 10), 2);
        let dir = u32_at(&bytes, end + 16) as usize;
        assert_eq!(u32_at(&bytes, dir), 0x0201_4b50);
        assert_eq!(u32_at(&bytes, dir + 16), crc32(b"hello"));
        let second = dir + 46 + 5;
        assert_eq!(u32_at(&bytes, second), 0x0201_4b50);
        let offset = u32_at(&bytes, second + 42) as usize;
        assert_eq!(&bytes[offset + 30..offset + 39], b"dir/b.xml");
        assert_eq!(&bytes[offset + 39..offset + 43], b"<x/>");
    }

    #[test]
    fn an_entry_that_changes_between_its_two_renders_is_refused() {
        let calls = std::cell::Cell::new(0u8);
        let mut zip = ZipWriter::new(Vec::new());
        let refused = zip.entry("moving.txt", |w| {
            calls.set(calls.get() + 1);
            w.write_all(&[calls.get()])
        });
        assert!(refused.is_err());
    }
}
