//! `dcc-verify`: verify EU Digital COVID Certificates from the command line.
//!
//! Exit status: 0 valid (or passed), 1 invalid (or failed), 2 usage error or unreadable
//! input, trust material or rules.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]

mod acceptance;
mod certlogic;
mod keyset;
mod output;
mod revocation;
mod rules;

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
    Verify(Box<VerifyArgs>),
    /// Revocation data: a certificate's hashes, building and querying EU filters.
    #[command(subcommand)]
    Revocation(revocation::Command),
    /// Compact key sets: build one from trust inputs, inspect and check one.
    #[command(subcommand)]
    Keyset(keyset::Command),
    /// Acceptance rules: list the built-in rule sets, run EU business rule tests.
    #[command(subcommand)]
    Rules(rules::Command),
    /// CertLogic expressions: evaluate them (one, or a stream) and validate them.
    #[command(subcommand)]
    Certlogic(certlogic::Command),
}

#[derive(clap::Args)]
struct VerifyArgs {
    /// Trusted signers: a trust-list JSON, a DER or PEM certificate, or a PEM public key.
    /// Repeatable. Without it nothing is trusted.
    #[arg(long = "trust", value_name = "FILE")]
    trust: Vec<PathBuf>,
    /// The pinned key set publisher key (PEM or DER public key, EC P-256): every --trust file
    /// must then be a compact key set signed with it.
    #[arg(long, value_name = "FILE")]
    keyset_pin: Option<PathBuf>,
    /// Trusted French 2D-DOC signer, repeatable: `CA/CERT=FILE` (e.g. `FR03/AV01=av01.der`), or
    /// a FILE whose name starts with `CA-CERT` (e.g. `FR03-AV01_cert.der`); an X.509
    /// certificate (DER or PEM) or a PEM public key.
    #[arg(long = "trust-2ddoc", value_name = "[CA/CERT=]FILE")]
    trust_twoddoc: Vec<String>,
    /// Refuse a DCC whose issuing country (`iss`) is not its signer's country (reason
    /// `issuer_country_mismatch`; off by default, see the README for the signers it refuses).
    #[arg(long)]
    require_issuer_country_match: bool,
    /// Refuse key sets issued before this time (RFC 3339): the issue time of the newest key
    /// set accepted earlier, so that an older one cannot be replayed.
    #[arg(long, value_name = "RFC3339")]
    keyset_not_older_than: Option<String>,
    /// Accept 2D-DOCs signed by a test CA (`XX00`) or the test certificate id `0000`.
    #[arg(long)]
    allow_test_ca: bool,
    /// Verify as of this time (RFC 3339) instead of the system clock.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// Read the QR code from a PNG or JPEG picture.
    #[arg(long, value_name = "FILE", conflicts_with = "qr")]
    image: Option<PathBuf>,
    /// Revocation data, repeatable: `bloom:HASHTYPE:FILE` or `hashlist:HASHTYPE:FILE` (an EU
    /// binary slice; HASHTYPE = UCI, COUNTRYCODEUCI or SIGNATURE, or several joined by commas)
    /// or `fr-blocklist:FILE` (one hex fingerprint per line). Scope a slice with options after
    /// the kind: `bloom[kid=BASE64,prefix=HEX,expires=RFC3339]:UCI:FILE`.
    #[arg(long = "revocation", value_name = "SPEC")]
    revocation: Vec<String>,
    /// A mirror of an EU revocation distribution service, repeatable: DIR holds `lists.json`,
    /// `<kid as unpadded base64url>/partitions.json` and `<kid>/<partition id or null>.tar.gz`
    /// (every slice of that partition). Every slice's SHA-256 is checked against its sid and
    /// its listing; any mismatch refuses the mirror (exit status 2).
    #[arg(long = "revocation-drl", value_name = "DIR")]
    revocation_drl: Vec<PathBuf>,
    /// When the revocation data was issued (RFC 3339), to report its age.
    #[arg(long, value_name = "RFC3339")]
    revocation_issued_at: Option<String>,
    /// Print one JSON object instead of a human summary.
    #[arg(long)]
    json: bool,
    /// The QR text (`HC1:...`) or 2D-DOC text (`DC04...`); `-` or absent reads it from stdin.
    #[arg(value_name = "QR_TEXT")]
    qr: Option<String>,
    // Last: clap lists every argument after it under its help heading.
    #[command(flatten)]
    acceptance: acceptance::AcceptanceArgs,
}

/// Exit status for usage errors and unreadable inputs (clap uses the same).
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Verify(args) => verify(*args),
        Command::Revocation(command) => revocation::run(command),
        Command::Keyset(command) => keyset::run(command),
        Command::Rules(command) => rules::run(command),
        Command::Certlogic(command) => certlogic::run(command),
    };
    result.unwrap_or_else(|message| {
        eprintln!("dcc-verify: {message}");
        ExitCode::from(EXIT_USAGE)
    })
}

fn verify(args: VerifyArgs) -> Result<ExitCode, String> {
    let choice = args.acceptance.load()?;
    let now = match &args.at {
        Some(at) => UnixTime::parse_rfc3339(at)
            .ok_or_else(|| format!("--at: not an RFC 3339 time: {at}"))?,
        None => system_now()?,
    };
    let pin = args
        .keyset_pin
        .as_deref()
        .map(keyset::read_pin)
        .transpose()?;
    let mut trust = TrustStore::new();
    for path in &args.trust {
        let bytes = read_file(path)?;
        match &pin {
            Some(pin) => trust.add_pinned_key_set(&bytes, pin).map(drop),
            None => trust.add_bytes(&bytes).map(drop),
        }
        .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if let Some(at) = &args.keyset_not_older_than {
        let minimum = UnixTime::parse_rfc3339(at)
            .ok_or_else(|| format!("--keyset-not-older-than: not an RFC 3339 time: {at}"))?;
        trust
            .check_not_older_than(minimum)
            .map_err(|e| format!("--keyset-not-older-than: {e}"))?;
    }
    let mut twoddoc_keys = dcc_verifier::trust::twoddoc_keys::TwoDDocKeys::new();
    for spec in &args.trust_twoddoc {
        let (ca, cert, path) = twoddoc_trust_spec(spec)?;
        let bytes = read_file(&path)?;
        twoddoc_keys
            .add_bytes(&ca, &cert, &bytes)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let mut store = dcc_verifier::RevocationStore::new();
    for spec in &args.revocation {
        store.add(revocation::load_slice(spec)?);
    }
    for dir in &args.revocation_drl {
        revocation::load_drl_mirror(dir)?.add_to(&mut store);
    }
    if let Some(at) = &args.revocation_issued_at {
        store.set_issued_at(
            UnixTime::parse_rfc3339(at)
                .ok_or_else(|| format!("--revocation-issued-at: not an RFC 3339 time: {at}"))?,
        );
    }
    let qr = match &args.image {
        Some(path) => {
            let bytes = read_file(path)?;
            dcc_verifier::image::decode_qr(&bytes)
                .map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => read_qr(args.qr.as_deref())?,
    };
    let policy = dcc_verifier::Policy::default()
        .with_twoddoc_test_ca(args.allow_test_ca)
        .with_issuer_country_match(args.require_issuer_country_match);
    let mut verifier = Verifier::with_policy(trust, policy).with_scan_options(choice.scan);
    if let Some((name, set)) = choice.rule_set {
        verifier = verifier.with_rule_set(&name, set);
    }
    let report = verifier
        .with_revocation(store)
        .with_twoddoc_keys(twoddoc_keys)
        .verify(&qr, now);
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

/// `CA/CERT=FILE`, or a FILE named `CA-CERT...`: the 2D-DOC signer ids and the key file.
fn twoddoc_trust_spec(spec: &str) -> Result<(String, String, PathBuf), String> {
    let id = |s: &str| {
        s.len() == 4
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    };
    if let Some((ids, file)) = spec.split_once('=') {
        if let Some((ca, cert)) = ids.split_once('/') {
            if id(ca) && id(cert) {
                return Ok((ca.to_string(), cert.to_string(), PathBuf::from(file)));
            }
        }
    }
    let path = PathBuf::from(spec);
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    match (name.get(0..4), name.get(4..5), name.get(5..9)) {
        (Some(ca), Some("-"), Some(cert)) if id(ca) && id(cert) => {
            Ok((ca.to_string(), cert.to_string(), path.clone()))
        }
        _ => Err(format!(
            "--trust-2ddoc {spec}: give CA/CERT=FILE or a file named CA-CERT..."
        )),
    }
}

/// The QR text from the argument, or from stdin when it is `-` or absent.
fn read_qr(arg: Option<&str>) -> Result<String, String> {
    match arg {
        Some(text) if text != "-" => Ok(text.to_string()),
        _ => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| format!("stdin: {e}"))?;
            // The library removes what shells and scanners add (`dcc_verifier::scanned_text`).
            Ok(text)
        }
    }
}

fn read_file(path: &std::path::Path) -> Result<Vec<u8>, String> {
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
