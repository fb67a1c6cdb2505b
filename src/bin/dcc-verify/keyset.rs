//! `dcc-verify keyset ...`: build a compact key set from trust inputs, and inspect one.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use base64::Engine as _;
use dcc_verifier::crypto::PublicKey;
use dcc_verifier::trust::keyset::{self, KeySet, Signature};
use dcc_verifier::{TrustStore, UnixTime};
use p256::ecdsa::SigningKey;
use p256::pkcs8::DecodePrivateKey as _;

use crate::{read_file, system_now};

#[derive(clap::Subcommand)]
pub(crate) enum Command {
    /// Build a key set from trust inputs (any format `verify --trust` reads).
    Build {
        /// Trust input, repeatable.
        #[arg(long = "trust", value_name = "FILE", required = true)]
        trust: Vec<PathBuf>,
        /// The issue time, RFC 3339 or Unix seconds (default: now). Verifiers using the set
        /// never evaluate a certificate at an earlier time.
        #[arg(long, value_name = "RFC3339|UNIX")]
        issued_at: Option<String>,
        /// Sign with this EC P-256 private key (PKCS#8 PEM, `BEGIN PRIVATE KEY`).
        #[arg(long, value_name = "PKCS8.pem")]
        sign_key: Option<PathBuf>,
        /// Where to write the key set.
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: PathBuf,
    },
    /// Print a key set's version, issue time, key count and signature status. With --pin the
    /// signature must verify (exit status 2 otherwise).
    Inspect {
        /// The key set.
        file: PathBuf,
        /// The publisher key to check the signature with (PEM or DER public key, EC P-256).
        #[arg(long, value_name = "SPKI.pem")]
        pin: Option<PathBuf>,
    },
}

pub(crate) fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Build {
            trust,
            issued_at,
            sign_key,
            output,
        } => build(&trust, issued_at.as_deref(), sign_key.as_deref(), &output),
        Command::Inspect { file, pin } => inspect(&file, pin.as_deref()),
    }
}

fn build(
    trust: &[PathBuf],
    issued_at: Option<&str>,
    sign_key: Option<&Path>,
    output: &Path,
) -> Result<ExitCode, String> {
    let issued_at = match issued_at {
        Some(text) => parse_time(text)?,
        None => system_now()?,
    };
    let signer = sign_key.map(read_signing_key).transpose()?;
    let mut store = TrustStore::new();
    for path in trust {
        store
            .add_bytes(&read_file(path)?)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let bytes = KeySet::build(&store, issued_at, signer.as_ref()).map_err(|e| e.to_string())?;
    std::fs::write(output, &bytes).map_err(|e| format!("{}: {e}", output.display()))?;
    eprintln!(
        "wrote {}: {} keys, {} bytes, issued at {issued_at}{}",
        output.display(),
        store.len(),
        bytes.len(),
        if signer.is_some() { ", signed" } else { "" }
    );
    Ok(ExitCode::SUCCESS)
}

fn inspect(file: &Path, pin: Option<&Path>) -> Result<ExitCode, String> {
    let pin = pin.map(read_pin).transpose()?;
    let bytes = read_file(file)?;
    let set =
        KeySet::parse(&bytes, pin.as_ref()).map_err(|e| format!("{}: {e}", file.display()))?;
    let signature = match set.signature() {
        Signature::Unsigned => "unsigned",
        Signature::Unchecked => "signed (not checked: no --pin)",
        Signature::Verified => "signed, verified with the pinned key",
    };
    println!("version: {}", keyset::VERSION);
    println!("issued at: {}", set.issued_at());
    println!("keys: {}", set.len());
    println!("signature: {signature}");
    Ok(ExitCode::SUCCESS)
}

/// The pinned publisher key from a PEM or DER public key file.
pub(crate) fn read_pin(path: &Path) -> Result<PublicKey, String> {
    keyset::publisher_key(&read_file(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

/// RFC 3339, or whole Unix seconds.
fn parse_time(text: &str) -> Result<UnixTime, String> {
    text.parse::<i64>()
        .ok()
        .map(UnixTime::from_secs)
        .or_else(|| UnixTime::parse_rfc3339(text))
        .ok_or_else(|| format!("--issued-at: neither RFC 3339 nor Unix seconds: {text}"))
}

/// An EC P-256 private key from a PKCS#8 PEM file.
fn read_signing_key(path: &Path) -> Result<SigningKey, String> {
    let bad = |what: &str| format!("{}: {what}", path.display());
    let text = String::from_utf8(read_file(path)?).map_err(|_| bad("not PEM text"))?;
    let body = text
        .split_once("-----BEGIN PRIVATE KEY-----")
        .and_then(|(_, rest)| rest.split_once("-----END PRIVATE KEY-----"))
        .map(|(body, _)| body)
        .ok_or_else(|| bad("no PKCS#8 `BEGIN PRIVATE KEY` block"))?;
    let der: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(der)
        .map_err(|_| bad("invalid base64 in the PEM block"))?;
    SigningKey::from_pkcs8_der(&der).map_err(|_| bad("not an EC P-256 PKCS#8 private key"))
}
