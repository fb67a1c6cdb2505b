//! A small QR code encoder (ISO/IEC 18004) for HC1 texts: alphanumeric mode only (the base45
//! alphabet is exactly the QR alphanumeric set, which is why the HC1 text uses it), error
//! correction level Q as the hcert specification recommends, the smallest version that fits,
//! and the mask with the lowest penalty. The structure follows Project Nayuki's reference
//! design (public algorithm; tables from the standard).

/// Error correction codewords per block, level Q, by version (index 0 unused).
const ECC_PER_BLOCK_Q: [usize; 41] = [
    0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30,
    30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
];

/// Error correction blocks, level Q, by version (index 0 unused).
const BLOCKS_Q: [usize; 41] = [
    0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34,
    34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
];

/// Format information bits for level Q (binary 11).
const ECL_Q_BITS: u32 = 0b11;

const ALPHANUMERIC: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// A QR code: `size` x `size` modules, `true` = dark.
pub(crate) struct QrCode {
    pub(crate) size: usize,
    modules: Vec<bool>,
    function: Vec<bool>,
}

impl QrCode {
    /// Whether the module at column `x`, row `y` is dark.
    pub(crate) fn dark(&self, x: usize, y: usize) -> bool {
        self.modules[y * self.size + x]
    }

    /// Encodes `text` (QR alphanumeric characters only).
    pub(crate) fn encode_alphanumeric(text: &str) -> Self {
        let values: Vec<u32> = text
            .chars()
            .map(|c| ALPHANUMERIC.find(c).expect("QR alphanumeric character") as u32)
            .collect();
        let version = (1..=40)
            .find(|&v| data_bits_needed(values.len(), v) <= data_codewords(v) * 8)
            .expect("text fits a version 40-Q QR code");
        let data = data_codewords_for(&values, version);
        let codewords = add_ecc_and_interleave(&data, version);

        let mut qr = Self::blank(version);
        qr.draw_function_patterns(version);
        qr.draw_codewords(&codewords);
        let mask = (0..8)
            .min_by_key(|&mask| {
                qr.apply_mask(mask);
                qr.draw_format_bits(mask);
                let penalty = qr.penalty();
                qr.apply_mask(mask); // XOR again to undo
                penalty
            })
            .expect("eight masks");
        qr.apply_mask(mask);
        qr.draw_format_bits(mask);
        qr
    }

    fn blank(version: usize) -> Self {
        let size = version * 4 + 17;
        Self {
            size,
            modules: vec![false; size * size],
            function: vec![false; size * size],
        }
    }

    fn set_function(&mut self, x: usize, y: usize, dark: bool) {
        let i = y * self.size + x;
        self.modules[i] = dark;
        self.function[i] = true;
    }

    fn draw_function_patterns(&mut self, version: usize) {
        let size = self.size;
        for i in 0..size {
            self.set_function(6, i, i % 2 == 0);
            self.set_function(i, 6, i % 2 == 0);
        }
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            self.draw_finder(cx, cy);
        }
        let positions = alignment_positions(version);
        let last = positions.len().saturating_sub(1);
        for (i, &cx) in positions.iter().enumerate() {
            for (j, &cy) in positions.iter().enumerate() {
                let overlaps_finder = (i == 0 && (j == 0 || j == last)) || (i == last && j == 0);
                if !overlaps_finder {
                    self.draw_alignment(cx, cy);
                }
            }
        }
        self.draw_format_bits(0); // reserve the areas; redrawn once the mask is chosen
        self.draw_version(version);
    }

    /// A 7x7 finder with its light separator, clipped at the edges.
    fn draw_finder(&mut self, cx: usize, cy: usize) {
        for dy in -4_isize..=4 {
            for dx in -4_isize..=4 {
                let (x, y) = (cx as isize + dx, cy as isize + dy);
                if (0..self.size as isize).contains(&x) && (0..self.size as isize).contains(&y) {
                    let dist = dx.abs().max(dy.abs());
                    self.set_function(x as usize, y as usize, dist != 2 && dist != 4);
                }
            }
        }
    }

    fn draw_alignment(&mut self, cx: usize, cy: usize) {
        for dy in -2_isize..=2 {
            for dx in -2_isize..=2 {
                let dark = dx.abs().max(dy.abs()) != 1;
                self.set_function(
                    (cx as isize + dx) as usize,
                    (cy as isize + dy) as usize,
                    dark,
                );
            }
        }
    }

    /// 15 format bits (level, mask, BCH code), twice, plus the always-dark module.
    fn draw_format_bits(&mut self, mask: u32) {
        let data = (ECL_Q_BITS << 3) | mask;
        let mut rem = data;
        for _ in 0..10 {
            rem = (rem << 1) ^ ((rem >> 9) * 0x537);
        }
        let bits = ((data << 10) | rem) ^ 0x5412;
        let bit = |i: usize| (bits >> i) & 1 == 1;
        let size = self.size;
        for i in 0..=5 {
            self.set_function(8, i, bit(i));
        }
        self.set_function(8, 7, bit(6));
        self.set_function(8, 8, bit(7));
        self.set_function(7, 8, bit(8));
        for i in 9..15 {
            self.set_function(14 - i, 8, bit(i));
        }
        for i in 0..8 {
            self.set_function(size - 1 - i, 8, bit(i));
        }
        for i in 8..15 {
            self.set_function(8, size - 15 + i, bit(i));
        }
        self.set_function(8, size - 8, true);
    }

    /// 18 version bits (versions 7 and up), twice.
    fn draw_version(&mut self, version: usize) {
        if version < 7 {
            return;
        }
        let mut rem = version as u32;
        for _ in 0..12 {
            rem = (rem << 1) ^ ((rem >> 11) * 0x1F25);
        }
        let bits = ((version as u32) << 12) | rem;
        for i in 0..18 {
            let dark = (bits >> i) & 1 == 1;
            let (a, b) = (self.size - 11 + i % 3, i / 3);
            self.set_function(a, b, dark);
            self.set_function(b, a, dark);
        }
    }

    /// Data bits in the zigzag order: two-column strips from the right, alternately upwards
    /// and downwards, skipping the vertical timing column and every function module.
    fn draw_codewords(&mut self, codewords: &[u8]) {
        let size = self.size;
        let mut i = 0;
        let mut right = size - 1;
        loop {
            if right == 6 {
                right = 5;
            }
            for vert in 0..size {
                for j in 0..2 {
                    let x = right - j;
                    let upward = (right + 1) & 2 == 0;
                    let y = if upward { size - 1 - vert } else { vert };
                    if !self.function[y * size + x] && i < codewords.len() * 8 {
                        self.modules[y * size + x] = (codewords[i >> 3] >> (7 - (i & 7))) & 1 == 1;
                        i += 1;
                    }
                }
            }
            if right < 2 {
                break;
            }
            right -= 2;
        }
    }

    fn apply_mask(&mut self, mask: u32) {
        for y in 0..self.size {
            for x in 0..self.size {
                let invert = match mask {
                    0 => (x + y) % 2 == 0,
                    1 => y % 2 == 0,
                    2 => x % 3 == 0,
                    3 => (x + y) % 3 == 0,
                    4 => (x / 3 + y / 2) % 2 == 0,
                    5 => x * y % 2 + x * y % 3 == 0,
                    6 => (x * y % 2 + x * y % 3) % 2 == 0,
                    _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
                };
                let i = y * self.size + x;
                if invert && !self.function[i] {
                    self.modules[i] = !self.modules[i];
                }
            }
        }
    }

    /// The standard's mask penalty (ISO/IEC 18004 §7.8.3): runs, 2x2 blocks, finder-like
    /// patterns and dark/light balance.
    fn penalty(&self) -> usize {
        let size = self.size;
        let lines: Vec<Vec<bool>> = (0..size)
            .map(|y| (0..size).map(|x| self.dark(x, y)).collect())
            .chain((0..size).map(|x| (0..size).map(|y| self.dark(x, y)).collect()))
            .collect();
        let mut penalty = 0;
        for line in &lines {
            // N1: a run of 5 + k same-colour modules costs 3 + k.
            let mut run = 1;
            for k in 1..=size {
                if k < size && line[k] == line[k - 1] {
                    run += 1;
                } else {
                    if run >= 5 {
                        penalty += run - 2;
                    }
                    run = 1;
                }
            }
            // N3: 1:1:3:1:1 finder-like pattern with four light modules on either side.
            const PATTERN_A: [bool; 11] = [
                true, false, true, true, true, false, true, false, false, false, false,
            ];
            const PATTERN_B: [bool; 11] = [
                false, false, false, false, true, false, true, true, true, false, true,
            ];
            for window in line.windows(11) {
                if window == PATTERN_A || window == PATTERN_B {
                    penalty += 40;
                }
            }
        }
        // N2: each 2x2 block of one colour costs 3.
        for y in 0..size - 1 {
            for x in 0..size - 1 {
                let c = self.dark(x, y);
                if c == self.dark(x + 1, y)
                    && c == self.dark(x, y + 1)
                    && c == self.dark(x + 1, y + 1)
                {
                    penalty += 3;
                }
            }
        }
        // N4: 10 per full 5% the dark proportion strays from 50%.
        let dark = self.modules.iter().filter(|&&m| m).count();
        let total = size * size;
        let deviation = (dark * 20).abs_diff(total * 10); // 20 * |dark/total - 1/2| * total
        penalty + deviation / total * 10
    }
}

/// Centres of the alignment patterns along one axis.
fn alignment_positions(version: usize) -> Vec<usize> {
    if version == 1 {
        return Vec::new();
    }
    let count = version / 7 + 2;
    let size = version * 4 + 17;
    let step = if version == 32 {
        26
    } else {
        (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
    };
    let mut positions: Vec<usize> = (0..count - 1).map(|i| size - 7 - i * step).collect();
    positions.push(6);
    positions.reverse();
    positions
}

/// Modules available for data and error correction (all but the function patterns).
fn raw_data_modules(version: usize) -> usize {
    let mut result = (16 * version + 128) * version + 64;
    if version >= 2 {
        let align = version / 7 + 2;
        result -= (25 * align - 10) * align - 55;
        if version >= 7 {
            result -= 36;
        }
    }
    result
}

fn data_codewords(version: usize) -> usize {
    raw_data_modules(version) / 8 - ECC_PER_BLOCK_Q[version] * BLOCKS_Q[version]
}

fn char_count_bits(version: usize) -> usize {
    match version {
        1..=9 => 9,
        10..=26 => 11,
        _ => 13,
    }
}

fn data_bits_needed(chars: usize, version: usize) -> usize {
    4 + char_count_bits(version) + chars / 2 * 11 + chars % 2 * 6
}

/// Mode, count and characters (pairs in 11 bits), terminator, padding to the capacity.
fn data_codewords_for(values: &[u32], version: usize) -> Vec<u8> {
    let mut bits: Vec<bool> = Vec::new();
    let mut push =
        |value: u32, len: usize| bits.extend((0..len).rev().map(|i| (value >> i) & 1 == 1));
    push(0b0010, 4);
    push(values.len() as u32, char_count_bits(version));
    for pair in values.chunks(2) {
        match *pair {
            [a, b] => push(a * 45 + b, 11),
            [a] => push(a, 6),
            _ => unreachable!("chunks(2) yields 1 or 2 values"),
        }
    }
    let capacity = data_codewords(version) * 8;
    let terminator = (capacity - bits.len()).min(4);
    bits.extend(std::iter::repeat_n(false, terminator));
    bits.extend(std::iter::repeat_n(false, (8 - bits.len() % 8) % 8));
    let mut bytes: Vec<u8> = bits
        .chunks(8)
        .map(|byte| byte.iter().fold(0u8, |acc, &b| (acc << 1) | u8::from(b)))
        .collect();
    for pad in [0xEC, 0x11].into_iter().cycle() {
        if bytes.len() >= capacity / 8 {
            break;
        }
        bytes.push(pad);
    }
    bytes
}

/// Splits the data into blocks, appends each block's Reed-Solomon codewords, and interleaves.
fn add_ecc_and_interleave(data: &[u8], version: usize) -> Vec<u8> {
    let blocks = BLOCKS_Q[version];
    let ecc_len = ECC_PER_BLOCK_Q[version];
    let raw = raw_data_modules(version) / 8;
    let short_blocks = blocks - raw % blocks;
    let short_len = raw / blocks; // data + ecc of a short block
    let divisor = reed_solomon_divisor(ecc_len);
    let mut all: Vec<Vec<u8>> = Vec::with_capacity(blocks);
    let mut k = 0;
    for i in 0..blocks {
        let len = short_len - ecc_len + usize::from(i >= short_blocks);
        let mut block = data[k..k + len].to_vec();
        k += len;
        let ecc = reed_solomon_remainder(&block, &divisor);
        if i < short_blocks {
            block.push(0); // placeholder, skipped when interleaving
        }
        block.extend(ecc);
        all.push(block);
    }
    let mut result = Vec::with_capacity(raw);
    for i in 0..all[0].len() {
        for (j, block) in all.iter().enumerate() {
            if i != short_len - ecc_len || j >= short_blocks {
                result.push(block[i]);
            }
        }
    }
    result
}

/// Product in GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1.
fn gf_mul(x: u8, y: u8) -> u8 {
    let mut z: u16 = 0;
    for i in (0..8).rev() {
        z = (z << 1) ^ ((z >> 7) * 0x11D);
        z ^= u16::from((y >> i) & 1) * u16::from(x);
    }
    z as u8
}

/// Coefficients (highest first, leading 1 dropped) of the product of (x - 2^i), i < degree.
fn reed_solomon_divisor(degree: usize) -> Vec<u8> {
    let mut result = vec![0u8; degree];
    result[degree - 1] = 1;
    let mut root = 1u8;
    for _ in 0..degree {
        for j in 0..degree {
            result[j] = gf_mul(result[j], root);
            if j + 1 < degree {
                result[j] ^= result[j + 1];
            }
        }
        root = gf_mul(root, 0x02);
    }
    result
}

fn reed_solomon_remainder(data: &[u8], divisor: &[u8]) -> Vec<u8> {
    let mut result = vec![0u8; divisor.len()];
    for &b in data {
        let factor = b ^ result.remove(0);
        result.push(0);
        for (r, &d) in result.iter_mut().zip(divisor) {
            *r ^= gf_mul(d, factor);
        }
    }
    result
}

/// An 8-bit greyscale PNG of the code: `scale` pixels per module, a 4-module quiet zone.
pub(crate) fn png(qr: &QrCode, scale: usize) -> Vec<u8> {
    png_of_modules(qr.size, |x, y| qr.dark(x, y), scale)
}

/// An 8-bit greyscale PNG of a square 2D code of `size` modules per side.
pub(crate) fn png_of_modules(
    size: usize,
    dark: impl Fn(usize, usize) -> bool,
    scale: usize,
) -> Vec<u8> {
    let quiet = 4;
    let modules = size + 2 * quiet;
    let pixels = modules * scale;
    let mut raw = Vec::with_capacity(pixels * (pixels + 1));
    for py in 0..pixels {
        raw.push(0); // filter type: none
        for px in 0..pixels {
            let (mx, my) = (px / scale, py / scale);
            let inside = (quiet..quiet + size).contains(&mx) && (quiet..quiet + size).contains(&my);
            let is_dark = inside && dark(mx - quiet, my - quiet);
            raw.push(if is_dark { 0x00 } else { 0xFF });
        }
    }
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&(pixels as u32).to_be_bytes());
    ihdr.extend_from_slice(&(pixels as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // depth 8, greyscale, deflate, no filter, no interlace
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(
        &mut out,
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&raw, 9),
    );
    png_chunk(&mut out, b"IEND", &[]);
    out
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// CRC-32 (ISO 3309, as PNG uses it), bit by bit.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    #[test]
    fn crc32_check_value() {
        assert_eq!(super::crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn capacity_tables() {
        // Alphanumeric capacity at level Q (ISO/IEC 18004 table 7): version 1 holds 16
        // characters, version 10 holds 221, version 40 holds 2,420.
        for (version, chars) in [(1, 16), (10, 221), (40, 2_420)] {
            assert!(super::data_bits_needed(chars, version) <= super::data_codewords(version) * 8);
            assert!(
                super::data_bits_needed(chars + 1, version) > super::data_codewords(version) * 8
            );
        }
    }
}
