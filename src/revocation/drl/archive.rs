//! The slice archives of the EU distribution service: gzip (RFC 1952) around a POSIX tar
//! (ustar), one entry per slice (revocation SPEC §4.2). Bounded: the inflated size, the entry
//! count and each entry's size are capped before anything is kept.

use crate::limits::{MAX_DRL_ARCHIVE_BYTES, MAX_DRL_ARCHIVE_ENTRIES, MAX_DRL_SLICE_BYTES};

/// Why a slice archive could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ArchiveError {
    /// Not a gzip stream: wrong magic bytes, method other than deflate, or reserved flags.
    #[error("not a gzip stream ({0})")]
    NotGzip(&'static str),
    /// The gzip stream ends inside its header or trailer.
    #[error("gzip stream truncated")]
    GzipTruncated,
    /// The deflate data is corrupt.
    #[error("gzip: corrupt deflate data")]
    Inflate,
    /// The inflated archive is larger than the bound.
    #[error("archive inflates to more than {limit} bytes")]
    TooLarge {
        /// The bound, [`MAX_DRL_ARCHIVE_BYTES`].
        limit: usize,
    },
    /// The gzip trailer's CRC-32 or length does not match the inflated data.
    #[error("gzip trailer does not match the data (CRC-32 or length)")]
    GzipChecksum,
    /// A tar header is cut short, its checksum is wrong, or a field is not octal.
    #[error("tar header at byte {offset} is invalid ({why})")]
    BadHeader {
        /// Where the header starts in the inflated archive.
        offset: usize,
        /// What is wrong.
        why: &'static str,
    },
    /// A tar entry is of a type a slice archive never holds (link, device, ...).
    #[error("tar entry {name:?}: unsupported entry type {kind:?}")]
    UnsupportedEntry {
        /// The entry name.
        name: String,
        /// The tar type flag.
        kind: char,
    },
    /// A tar entry's data runs past the end of the archive.
    #[error("tar entry {name:?} is truncated")]
    EntryTruncated {
        /// The entry name.
        name: String,
    },
    /// A tar entry is larger than the bound.
    #[error("tar entry {name:?} is larger than {limit} bytes")]
    EntryTooLarge {
        /// The entry name.
        name: String,
        /// The bound, [`MAX_DRL_SLICE_BYTES`].
        limit: usize,
    },
    /// More entries than the bound.
    #[error("archive holds more than {limit} entries")]
    TooManyEntries {
        /// The bound, [`MAX_DRL_ARCHIVE_ENTRIES`].
        limit: usize,
    },
    /// An entry name is not UTF-8.
    #[error("tar entry name is not UTF-8")]
    NameNotUtf8,
}

/// One file of a tar archive, borrowing its content from the archive (no copy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TarEntry<'a> {
    /// The full path (the ustar prefix joined with the name, or a GNU / PAX long name).
    pub name: String,
    /// The content.
    pub data: &'a [u8],
}

/// Inflates a gzip stream of one member, checking its CRC-32 and length, into at most
/// [`MAX_DRL_ARCHIVE_BYTES`].
///
/// # Errors
/// [`ArchiveError::NotGzip`], [`ArchiveError::GzipTruncated`], [`ArchiveError::Inflate`],
/// [`ArchiveError::TooLarge`] or [`ArchiveError::GzipChecksum`].
pub fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, ArchiveError> {
    const FHCRC: u8 = 0x02;
    const FEXTRA: u8 = 0x04;
    const FNAME: u8 = 0x08;
    const FCOMMENT: u8 = 0x10;
    const RESERVED: u8 = 0xe0;
    const FIXED_HEADER: usize = 10;
    const TRAILER: usize = 8;
    let header = bytes
        .get(..FIXED_HEADER)
        .ok_or(ArchiveError::GzipTruncated)?;
    let (magic, method, flags) = match *header {
        [a, b, method, flags, ..] => ([a, b], method, flags),
        _ => return Err(ArchiveError::GzipTruncated),
    };
    if magic != [0x1f, 0x8b] {
        return Err(ArchiveError::NotGzip("magic bytes"));
    }
    if method != 8 {
        return Err(ArchiveError::NotGzip("compression method"));
    }
    if flags & RESERVED != 0 {
        return Err(ArchiveError::NotGzip("reserved flags"));
    }
    let mut rest = bytes
        .get(FIXED_HEADER..)
        .ok_or(ArchiveError::GzipTruncated)?;
    if flags & FEXTRA != 0 {
        let len = match *rest {
            [lo, hi, ..] => usize::from(u16::from_le_bytes([lo, hi])),
            _ => return Err(ArchiveError::GzipTruncated),
        };
        let end = len.checked_add(2).ok_or(ArchiveError::GzipTruncated)?;
        rest = rest.get(end..).ok_or(ArchiveError::GzipTruncated)?;
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let end = rest
                .iter()
                .position(|&b| b == 0)
                .ok_or(ArchiveError::GzipTruncated)?;
            rest = rest
                .get(end.saturating_add(1)..)
                .ok_or(ArchiveError::GzipTruncated)?;
        }
    }
    if flags & FHCRC != 0 {
        rest = rest.get(2..).ok_or(ArchiveError::GzipTruncated)?;
    }
    let deflate_len = rest
        .len()
        .checked_sub(TRAILER)
        .ok_or(ArchiveError::GzipTruncated)?;
    let (deflate, trailer) = rest.split_at(deflate_len);
    let data = miniz_oxide::inflate::decompress_to_vec_with_limit(deflate, MAX_DRL_ARCHIVE_BYTES)
        .map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ArchiveError::TooLarge {
            limit: MAX_DRL_ARCHIVE_BYTES,
        },
        _ => ArchiveError::Inflate,
    })?;
    // The trailer is the last 8 bytes: a second member appended would not match it.
    let (crc, size) = match *trailer {
        [a, b, c, d, e, f, g, h] => (
            u32::from_le_bytes([a, b, c, d]),
            u32::from_le_bytes([e, f, g, h]),
        ),
        _ => return Err(ArchiveError::GzipTruncated),
    };
    let len_mod_2_32 = u32::try_from(data.len() & 0xffff_ffff).unwrap_or(u32::MAX);
    if crc != crc32(&data) || size != len_mod_2_32 {
        return Err(ArchiveError::GzipChecksum);
    }
    Ok(data)
}

/// The CRC-32 of gzip (ISO 3309, reflected polynomial 0xedb88320).
fn crc32(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = crc32_table();
    let mut crc = u32::MAX;
    for &byte in data {
        let slot = usize::from(u8::try_from((crc ^ u32::from(byte)) & 0xff).unwrap_or(0));
        crc = TABLE.get(slot).copied().unwrap_or(0) ^ (crc >> 8);
    }
    !crc
}

// Evaluated at compile time, where an out-of-range index or an overflow fails the build.
#[allow(
    clippy::indexing_slicing,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]
const fn crc32_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
}

/// Reads the regular files of a tar archive (ustar, with GNU `L` and PAX `path` long names;
/// directories and PAX global headers are skipped), at most [`MAX_DRL_ARCHIVE_ENTRIES`] of at
/// most [`MAX_DRL_SLICE_BYTES`] each.
///
/// # Errors
/// [`ArchiveError::BadHeader`], [`ArchiveError::UnsupportedEntry`],
/// [`ArchiveError::EntryTruncated`], [`ArchiveError::EntryTooLarge`],
/// [`ArchiveError::TooManyEntries`] or [`ArchiveError::NameNotUtf8`].
pub fn read_tar(archive: &[u8]) -> Result<Vec<TarEntry<'_>>, ArchiveError> {
    let mut entries = Vec::new();
    let mut offset = 0usize;
    let mut long_name: Option<String> = None;
    let mut headers = 0usize;
    while let Some(block) = archive.get(offset..offset.saturating_add(BLOCK)) {
        if block.iter().all(|&b| b == 0) {
            break; // end-of-archive marker
        }
        // Long-name and skipped entries count too, so that no header sequence is unbounded.
        headers = headers.saturating_add(1);
        if headers > MAX_DRL_ARCHIVE_ENTRIES.saturating_mul(2) {
            return Err(ArchiveError::TooManyEntries {
                limit: MAX_DRL_ARCHIVE_ENTRIES,
            });
        }
        let header = Header::parse(block, offset)?;
        let name = match long_name.take() {
            Some(name) => name,
            None => header.name()?,
        };
        let data_start = offset.saturating_add(BLOCK);
        if header.size > MAX_DRL_SLICE_BYTES {
            return Err(ArchiveError::EntryTooLarge {
                name,
                limit: MAX_DRL_SLICE_BYTES,
            });
        }
        let data = data_start
            .checked_add(header.size)
            .and_then(|end| archive.get(data_start..end))
            .ok_or_else(|| ArchiveError::EntryTruncated { name: name.clone() })?;
        match header.kind {
            b'0' | 0 => {
                if entries.len() >= MAX_DRL_ARCHIVE_ENTRIES {
                    return Err(ArchiveError::TooManyEntries {
                        limit: MAX_DRL_ARCHIVE_ENTRIES,
                    });
                }
                entries.push(TarEntry { name, data });
            }
            b'L' => long_name = Some(utf8(data.split(|&b| b == 0).next().unwrap_or(data))?),
            b'x' => long_name = pax_path(data, offset)?,
            b'5' | b'g' => {}
            other => {
                return Err(ArchiveError::UnsupportedEntry {
                    name,
                    kind: char::from(other),
                })
            }
        }
        let padded = header.size.div_ceil(BLOCK).saturating_mul(BLOCK);
        offset = data_start.saturating_add(padded);
    }
    Ok(entries)
}

/// The tar block size.
const BLOCK: usize = 512;

/// The fields of a tar header a reader needs.
struct Header<'a> {
    name: &'a [u8],
    prefix: &'a [u8],
    size: usize,
    kind: u8,
}

impl<'a> Header<'a> {
    fn parse(block: &'a [u8], offset: usize) -> Result<Self, ArchiveError> {
        let bad = |why| ArchiveError::BadHeader { offset, why };
        let field = |start: usize, len: usize| {
            block
                .get(start..start.saturating_add(len))
                .ok_or(bad("short"))
        };
        let stored = octal(field(148, 8)?).ok_or(bad("checksum field"))?;
        // The checksum sums the header bytes with its own field read as spaces.
        let sum = block
            .iter()
            .enumerate()
            .map(|(i, &b)| {
                if (148..156).contains(&i) {
                    32
                } else {
                    u64::from(b)
                }
            })
            .sum::<u64>();
        if stored != sum {
            return Err(bad("checksum"));
        }
        let size = octal(field(124, 12)?).ok_or(bad("size field"))?;
        // POSIX ustar only: old GNU headers keep times where ustar has the prefix.
        let ustar = field(257, 6)? == b"ustar\0";
        Ok(Self {
            name: until_nul(field(0, 100)?),
            prefix: if ustar {
                until_nul(field(345, 155)?)
            } else {
                &[]
            },
            size: usize::try_from(size).map_err(|_| bad("size field"))?,
            kind: *block.get(156).ok_or(bad("short"))?,
        })
    }

    fn name(&self) -> Result<String, ArchiveError> {
        let name = utf8(self.name)?;
        if self.prefix.is_empty() {
            Ok(name)
        } else {
            Ok(format!("{}/{name}", utf8(self.prefix)?))
        }
    }
}

/// The `path` record of a PAX extended header (`"<len> path=<value>\n"` records), if any;
/// `offset` is the header's, for errors.
fn pax_path(data: &[u8], offset: usize) -> Result<Option<String>, ArchiveError> {
    let bad = ArchiveError::BadHeader {
        offset,
        why: "PAX record",
    };
    let mut rest = data;
    let mut path = None;
    while !rest.is_empty() {
        let space = rest.iter().position(|&b| b == b' ');
        let len = space
            .and_then(|s| rest.get(..s))
            .and_then(|digits| core::str::from_utf8(digits).ok())
            .and_then(|digits| digits.parse::<usize>().ok())
            .filter(|&len| len > 0);
        let (Some(space), Some(len)) = (space, len) else {
            return Err(bad);
        };
        let record = rest.get(..len).ok_or_else(|| bad.clone())?;
        let body = record
            .get(space.saturating_add(1)..)
            .unwrap_or_default()
            .strip_suffix(b"\n")
            .unwrap_or_default();
        if let Some(value) = body.strip_prefix(b"path=") {
            path = Some(utf8(value)?);
        }
        rest = rest.get(len..).unwrap_or_default();
    }
    Ok(path)
}

/// A tar number: octal digits, optionally padded with spaces or NULs.
fn octal(field: &[u8]) -> Option<u64> {
    let digits = until_nul(field);
    let digits = core::str::from_utf8(digits).ok()?.trim_matches(' ');
    if digits.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(digits, 8).ok()
}

fn until_nul(field: &[u8]) -> &[u8] {
    field.split(|&b| b == 0).next().unwrap_or(field)
}

fn utf8(bytes: &[u8]) -> Result<String, ArchiveError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| ArchiveError::NameNotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::arithmetic_side_effects)] // test-only writer
    mod tar_gz {
        include!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/common/tar_gz.rs"
        ));
    }
    use tar_gz::{gzip, tar, tar_header};

    fn files(list: &[(&str, &[u8])]) -> Vec<u8> {
        let owned: Vec<(String, Vec<u8>)> = list
            .iter()
            .map(|(name, data)| ((*name).to_owned(), data.to_vec()))
            .collect();
        tar(&owned)
    }

    #[test]
    fn crc32_check_value() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        let data: Vec<u8> = (0..=255).cycle().take(3000).collect();
        assert_eq!(crc32(&data), tar_gz::bitwise_crc32(&data));
    }

    #[test]
    fn round_trip_and_names_with_slashes() {
        let long = format!("{}/null/5/{}", "a/b".repeat(30), "f".repeat(64));
        let archive = files(&[
            ("a/b+c/=/null/5/ff", b"hello"),
            ("x", &[7; 600]),
            (&long, b""),
        ]);
        let inflated = gunzip(&gzip(&archive)).unwrap();
        let entries = read_tar(&inflated).unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].name, "a/b+c/=/null/5/ff");
        assert_eq!(entries[0].data, b"hello");
        assert_eq!(entries[1].data, vec![7; 600]);
        assert_eq!(entries[2].name, long, "ustar prefix joined back");
    }

    #[test]
    fn reads_what_python_writes_in_every_tar_dialect() {
        let bloom =
            crate::revocation::from_hex("00012c002b8cbccc0000000100000001000000025212335837e67fe9")
                .unwrap();
        for dialect in ["ustar", "gnu", "pax"] {
            let path = format!(
                "{}/fixtures/drl/python-{dialect}.tar.gz",
                env!("CARGO_MANIFEST_DIR")
            );
            let inflated = gunzip(&std::fs::read(path).unwrap()).unwrap();
            let entries = read_tar(&inflated).unwrap();
            assert_eq!(entries.len(), 2, "{dialect}");
            let suffix =
                |e: &TarEntry<'_>| e.name.rsplit_once("/null/5/").map(|(k, _)| k.to_owned());
            assert_eq!(
                suffix(&entries[0]).as_deref(),
                Some("bMIm/1VFK1c="),
                "{dialect}"
            );
            assert_eq!(suffix(&entries[1]), Some("x".repeat(120)), "{dialect}");
            assert!(entries.iter().all(|e| e.data == bloom), "{dialect}");
        }
    }

    #[test]
    fn refuses_bad_gzip() {
        let good = gzip(b"data");
        assert_eq!(gunzip(&good[..5]), Err(ArchiveError::GzipTruncated));
        let mut magic = good.clone();
        magic[0] = 0;
        assert!(matches!(gunzip(&magic), Err(ArchiveError::NotGzip(_))));
        let mut crc = good.clone();
        let at = crc.len() - 8;
        crc[at] ^= 1;
        assert_eq!(gunzip(&crc), Err(ArchiveError::GzipChecksum));
        let mut appended = good.clone();
        appended.extend(gzip(b"more"));
        assert!(gunzip(&appended).is_err());
    }

    #[test]
    fn refuses_bad_tar() {
        let archive = files(&[("a", b"hello")]);
        let mut sum = archive.clone();
        sum[0] = b'b';
        assert!(matches!(
            read_tar(&sum),
            Err(ArchiveError::BadHeader {
                why: "checksum",
                ..
            })
        ));
        assert!(matches!(
            read_tar(&archive[..BLOCK + 2]),
            Err(ArchiveError::EntryTruncated { .. })
        ));
        let big = tar_header("big", MAX_DRL_SLICE_BYTES + 1);
        assert!(matches!(
            read_tar(&big),
            Err(ArchiveError::EntryTooLarge { .. })
        ));
        let mut link = tar_header("l", 0);
        link[156] = b'2';
        link[148..156].copy_from_slice(b"        ");
        let sum: u32 = link.iter().map(|&b| u32::from(b)).sum();
        link[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        assert_eq!(
            read_tar(&link),
            Err(ArchiveError::UnsupportedEntry {
                name: "l".into(),
                kind: '2'
            })
        );
    }

    #[test]
    fn entry_count_is_bounded() {
        let empty: Vec<(String, Vec<u8>)> = (0..=MAX_DRL_ARCHIVE_ENTRIES)
            .map(|i| (format!("e{i}"), Vec::new()))
            .collect();
        assert_eq!(
            read_tar(&tar(&empty)),
            Err(ArchiveError::TooManyEntries {
                limit: MAX_DRL_ARCHIVE_ENTRIES
            })
        );
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_bound() {
        let zeros = vec![0u8; MAX_DRL_ARCHIVE_BYTES + 1];
        assert_eq!(
            gunzip(&gzip(&zeros)),
            Err(ArchiveError::TooLarge {
                limit: MAX_DRL_ARCHIVE_BYTES
            })
        );
    }
}
