// A minimal tar (ustar) and gzip writer, independent of the library's reader, to build the EU
// distribution service's slice archives in tests. Also `include!`d by the reader's unit tests
// (src/revocation/drl/archive.rs), hence no inner attributes or doc comments here.

const BLOCK: usize = 512;

/// A ustar header block for a regular file of `size` bytes; a name longer than 100 bytes is
/// split into the ustar prefix and name at a `/`.
pub(crate) fn tar_header(name: &str, size: usize) -> Vec<u8> {
    let (prefix, name) = match name.len() {
        0..=100 => ("", name),
        _ => {
            let cut = name[..=155.min(name.len() - 1)]
                .rfind('/')
                .expect("a / to split at");
            (&name[..cut], &name[cut + 1..])
        }
    };
    let mut block = vec![0u8; BLOCK];
    block[..name.len()].copy_from_slice(name.as_bytes());
    block[100..108].copy_from_slice(b"0000644\0");
    block[108..116].copy_from_slice(b"0000000\0");
    block[116..124].copy_from_slice(b"0000000\0");
    block[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
    block[136..148].copy_from_slice(b"00000000000\0");
    block[156] = b'0';
    block[257..263].copy_from_slice(b"ustar\0");
    block[263..265].copy_from_slice(b"00");
    block[345..345 + prefix.len()].copy_from_slice(prefix.as_bytes());
    block[148..156].copy_from_slice(b"        ");
    let sum: u32 = block.iter().map(|&b| u32::from(b)).sum();
    block[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    block
}

/// A tar archive of these files, ended by two zero blocks.
pub(crate) fn tar(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, data) in files {
        out.extend(tar_header(name, data.len()));
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
    }
    out.resize(out.len() + 2 * BLOCK, 0);
    out
}

/// One gzip member (RFC 1952) holding `data`.
pub(crate) fn gzip(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    out.extend(miniz_oxide::deflate::compress_to_vec(data, 6));
    out.extend(bitwise_crc32(data).to_le_bytes());
    out.extend(u32::try_from(data.len() % (1 << 32)).unwrap().to_le_bytes());
    out
}

/// CRC-32 one bit at a time (slow and obviously right).
pub(crate) fn bitwise_crc32(data: &[u8]) -> u32 {
    let mut crc = u32::MAX;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xedb8_8320 & mask);
        }
    }
    !crc
}
