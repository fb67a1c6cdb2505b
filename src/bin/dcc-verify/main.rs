//! `dcc-verify`: verify EU Digital COVID Certificates from the command line.
//!
//! Exit status: 0 valid, 1 invalid, 2 usage error or unreadable input/trust material.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]

mod output;

use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use dcc_verifier::{TrustStore, UnixTime, Verifier};

#[derive(Parser)]
#[command(
    name = "dcc-verify",
    version,
    about = "Verify EU Digital COVID Certificates offline"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Verify one certificate (QR text as argument, `-` or nothing for stdin, or --image).
    Verify(VerifyArgs),
}

#[derive(clap::Args)]
struct VerifyArgs {
    /// Trusted signers: a trust-list JSON, a DER or PEM certificate, or a PEM public key.
    /// Repeatable. Without it nothing is trusted.
    #[arg(long = "trust", value_name = "FILE")]
    trust: Vec<PathBuf>,
    /// Verify as of this time (RFC 3339) instead of the system clock.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// Read the QR code from a PNG or JPEG picture.
    #[arg(long, value_name = "FILE", conflicts_with = "qr")]
    image: Option<PathBuf>,
    /// Print one JSON object instead of a human summary.
    #[arg(long)]
    json: bool,
    /// The QR text (`HC1:...`); `-` or absent reads it from stdin.
    #[arg(value_name = "QR_TEXT")]
    qr: Option<String>,
}

/// Exit status for usage errors and unreadable inputs (clap uses the same).
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Verify(args) => verify(args),
    };
    result.unwrap_or_else(|message| {
        eprintln!("dcc-verify: {message}");
        ExitCode::from(EXIT_USAGE)
    })
}

fn verify(args: VerifyArgs) -> Result<ExitCode, String> {
    let now = match &args.at {
        Some(at) => UnixTime::parse_rfc3339(at)
            .ok_or_else(|| format!("--at: not an RFC 3339 time: {at}"))?,
        None => system_now()?,
    };
    let mut trust = TrustStore::new();
    for path in &args.trust {
        let bytes = read_file(path)?;
        trust
            .add_bytes(&bytes)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let qr = read_qr(&args)?;
    let report = Verifier::new(trust).verify(&qr, now);
    if args.json {
        println!("{}", output::json(&report));
    } else {
        print!("{}", output::human(&report));
    }
    Ok(if report.is_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn read_qr(args: &VerifyArgs) -> Result<String, String> {
    if let Some(path) = &args.image {
        let bytes = read_file(path)?;
        return dcc_verifier::image::decode_qr(&bytes)
            .map_err(|e| format!("{}: {e}", path.display()));
    }
    match args.qr.as_deref() {
        Some(text) if text != "-" => Ok(text.to_string()),
        _ => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| format!("stdin: {e}"))?;
            // One trailing newline comes from the shell or the scanner, not from the code.
            let trimmed = text
                .strip_suffix('\n')
                .map(|t| t.strip_suffix('\r').unwrap_or(t));
            Ok(trimmed.unwrap_or(&text).to_string())
        }
    }
}

fn read_file(path: &PathBuf) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The CLI is the one place that reads the clock; the library never does.
#[allow(clippy::disallowed_methods)]
fn system_now() -> Result<UnixTime, String> {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| "system clock before 1970".to_string())?;
    i64::try_from(since_epoch.as_secs())
        .map(UnixTime::from_secs)
        .map_err(|_| "system clock out of range".to_string())
}
