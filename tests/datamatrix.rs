//! 2D-DOC DataMatrix pictures through `dcc-verify verify --image`: the generated fixture gives the
//! same verdict as its text, control bytes included, and a picture without a code a precise error.
#![cfg(feature = "cli")]

mod common;

use common::fixture;

use serde_json::Value;

const AT: &str = "2021-09-02T00:00:00Z";

/// `--trust-2ddoc` for the fixture signer (`es256` as CA FX01, certificate FIX1).
fn trust_2ddoc() -> String {
    format!("FX01/FIX1={}", fixture("trust/es256.pem").display())
}

fn verify_json(input: &[&str]) -> (Option<i32>, Value) {
    let trust = trust_2ddoc();
    let mut args = vec![
        "verify",
        "--authenticity-only",
        "--json",
        "--at",
        AT,
        "--trust-2ddoc",
        &trust,
    ];
    args.extend_from_slice(input);
    let out = common::run_cli(&args, b"");
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), json)
}

#[test]
fn datamatrix_keeps_the_control_bytes() {
    let png = std::fs::read(fixture("2ddoc/b2-negative.png")).unwrap();
    let text = std::fs::read_to_string(fixture("2ddoc/b2-negative.2ddoc")).unwrap();
    assert!(text.contains('\u{1d}') && text.contains('\u{1f}'));
    assert_eq!(dcc_verifier::image::decode_qr(&png).unwrap(), text);
}

#[test]
fn image_and_text_give_the_same_verdict() {
    let text = std::fs::read_to_string(fixture("2ddoc/b2-negative.2ddoc")).unwrap();
    let (text_code, from_text) = verify_json(&[&text]);
    assert_eq!(text_code, Some(0), "{from_text}");
    assert_eq!(from_text["verdict"], "valid");
    assert_eq!(from_text["format"], "2d-doc");
    assert_eq!(from_text["certificate"]["fields"]["F5"], "N");

    let png = fixture("2ddoc/b2-negative.png");
    let (image_code, from_image) = verify_json(&["--image", png.to_str().unwrap()]);
    assert_eq!(image_code, text_code);
    assert_eq!(from_image, from_text);

    let tampered = std::fs::read_to_string(fixture("2ddoc/b2-tampered.2ddoc")).unwrap();
    let (code, json) = verify_json(&[&tampered]);
    assert_eq!(code, Some(1));
    assert_eq!(json["reason"], "signature_invalid", "{json}");
}

#[test]
fn picture_without_a_code_is_a_precise_error() {
    let blank = image::GrayImage::from_pixel(120, 120, image::Luma([255]));
    let mut png = Vec::new();
    blank
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    assert_eq!(
        dcc_verifier::image::decode_qr(&png),
        Err(dcc_verifier::image::ImageError::NoQrCode)
    );

    let path = std::env::temp_dir().join(format!("dcc-verify-blank-{}.png", std::process::id()));
    std::fs::write(&path, &png).unwrap();
    let trust = trust_2ddoc();
    let out = common::run_cli(
        &[
            "verify",
            "--authenticity-only",
            "--trust-2ddoc",
            &trust,
            "--image",
            path.to_str().unwrap(),
        ],
        b"",
    );
    std::fs::remove_file(&path).unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no QR code or DataMatrix code found in the image"),
        "{stderr}"
    );
}
