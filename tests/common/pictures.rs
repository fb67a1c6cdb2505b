//! Hostile pictures for `image::decode_qr`, made in code (nothing committed): shared by
//! `tests/image_bounds.rs` and `benches/image.rs` (`#[path]`-included by both).
#![allow(dead_code)] // each user takes a different subset

use image::{GrayImage, ImageFormat, Luma};

const BLACK: Luma<u8> = Luma([0]);
const WHITE: Luma<u8> = Luma([255]);

/// PNG bytes of a greyscale picture.
pub(crate) fn png(picture: &GrayImage) -> Vec<u8> {
    let mut out = Vec::new();
    picture
        .write_to(&mut std::io::Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

/// Draws one QR finder pattern (7x7 modules: a dark ring, a light ring, a dark 3x3 core) with
/// its top-left corner at (`x`, `y`), `module` pixels per module. Clipped at the border.
pub(crate) fn draw_finder(picture: &mut GrayImage, x: u32, y: u32, module: u32) {
    for my in 0..7u32 {
        for mx in 0..7u32 {
            let ring = mx.min(my).min(6 - mx).min(6 - my);
            let colour = if ring == 1 { WHITE } else { BLACK };
            for py in 0..module {
                for px in 0..module {
                    let (cx, cy) = (x + mx * module + px, y + my * module + py);
                    if cx < picture.width() && cy < picture.height() {
                        picture.put_pixel(cx, cy, colour);
                    }
                }
            }
        }
    }
}

/// The picture: a `side` x `side` white square tiled with QR finder patterns of
/// `module` pixels per module, one light module between neighbours (8 modules per tile), so
/// every detector finds (side / 8 / module)^2 plausible finder patterns. 1000 px at 2 px per
/// module is 3,844 whole patterns in a 62 KB PNG: rqrr 0.9 had not finished after
/// 147 s of CPU (stopped at 300 s on the loaded 2-core machine).
pub(crate) fn finder_tiles(side: u32, module: u32) -> GrayImage {
    let mut picture = GrayImage::from_pixel(side, side, WHITE);
    let step = 8 * module;
    for y in (0..side).step_by(step as usize) {
        for x in (0..side).step_by(step as usize) {
            draw_finder(&mut picture, x, y, module);
        }
    }
    picture
}

/// Finder patterns of mixed sizes (1 to `max_module` pixels per module, cycling along rows and
/// columns), so that size filters between candidate patterns keep many triples.
pub(crate) fn mixed_finder_tiles(side: u32, max_module: u32) -> GrayImage {
    let mut picture = GrayImage::from_pixel(side, side, WHITE);
    let step = 8 * max_module;
    for (row, y) in (0..side).step_by(step as usize).enumerate() {
        for (col, x) in (0..side).step_by(step as usize).enumerate() {
            let module = 1 + u32::try_from(row + col).unwrap() % max_module;
            draw_finder(&mut picture, x, y, module);
        }
    }
    picture
}

/// Black and white squares of `cell` pixels drawn from a fixed pseudo-random sequence
/// (xorshift, seed `seed`): binarizers and detectors see edges everywhere.
pub(crate) fn noise(side: u32, cell: u32, seed: u64) -> GrayImage {
    let mut state = seed.max(1);
    let cells = side.div_ceil(cell);
    let mut bits = Vec::with_capacity(usize::try_from(cells * cells).unwrap());
    for _ in 0..cells * cells {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bits.push(state & 1 == 1);
    }
    GrayImage::from_fn(side, side, |x, y| {
        let i = usize::try_from((y / cell) * cells + x / cell).unwrap();
        if bits[i] {
            BLACK
        } else {
            WHITE
        }
    })
}

/// DataMatrix-like "L" finder shapes (a solid left and bottom edge, an alternating top and
/// right edge) of `size` pixels, tiled with a gap of `size / 4`.
pub(crate) fn datamatrix_tiles(side: u32, size: u32) -> GrayImage {
    let mut picture = GrayImage::from_pixel(side, side, WHITE);
    let step = size + size / 4;
    let module = (size / 10).max(1);
    for y0 in (0..side).step_by(step as usize) {
        for x0 in (0..side).step_by(step as usize) {
            for d in 0..size {
                let dark_timing = (d / module) % 2 == 0;
                let mut set = |x: u32, y: u32, colour| {
                    if x < side && y < side {
                        picture.put_pixel(x, y, colour);
                    }
                };
                for t in 0..module {
                    set(x0 + t, y0 + d, BLACK); // left edge
                    set(x0 + d, y0 + size - 1 - t, BLACK); // bottom edge
                    let timing = if dark_timing { BLACK } else { WHITE };
                    set(x0 + d, y0 + t, timing); // top edge
                    set(x0 + size - 1 - t, y0 + d, timing); // right edge
                }
            }
        }
    }
    picture
}

/// A uniform picture of `width` x `height` pixels (at the pixel cap: the most work a small PNG
/// can ask of the binarizer).
pub(crate) fn uniform(width: u32, height: u32) -> GrayImage {
    GrayImage::from_pixel(width, height, WHITE)
}
