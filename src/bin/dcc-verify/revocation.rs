//! `dcc-verify revocation ...` and the `--revocation` option of `verify`.

use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use base64::Engine as _;
use dcc_verifier::revocation::drl;
use dcc_verifier::revocation::{
    from_hex, to_hex, BloomFilter, Filter, FilterKind, HashList, HashType, PartitionMode,
    RevocationError, Slice, SliceData,
};
use dcc_verifier::UnixTime;
use serde_json::{Map, Value};

#[derive(clap::Subcommand)]
pub(crate) enum Command {
    /// Print a certificate's revocation hashes (the three EU types, hex, and the French
    /// fingerprint). The certificate is decoded without any check.
    Hashes {
        /// Print one JSON object: hash type -> list of hex hashes.
        #[arg(long)]
        json: bool,
        /// The QR text (`HC1:...`); `-` or absent reads it from stdin.
        #[arg(value_name = "QR_TEXT")]
        qr: Option<String>,
    },
    /// Build an EU filter from hex hashes on stdin (one per line) and write it to stdout,
    /// byte-identical to the EU reference for the same n, p and hashes.
    Build {
        /// `bloom` (BLOOMFILTER) or `hashlist` (VARHASHLIST).
        #[arg(long, value_enum)]
        kind: BuildKind,
        /// The false-positive rate the filter is dimensioned for (the EU service uses 1e-12).
        #[arg(long)]
        p: f32,
        /// The number of elements it is dimensioned for (default: the number of hashes read).
        #[arg(long)]
        n: Option<u32>,
        /// Hash list only: the partition mode the list is built for (sets the entry size).
        #[arg(long, value_enum, default_value = "point")]
        mode: Mode,
        /// Hash list only: the smallest entry size in bytes (the EU service uses 4).
        #[arg(long, default_value_t = 4)]
        min_size: u8,
    },
    /// Whether an EU filter, hash list or blocklist file contains a hash. Exit status 0 when
    /// it does, 1 when it does not.
    Check {
        /// How to read FILE (default: detected).
        #[arg(long, value_enum)]
        kind: Option<CheckKind>,
        /// The filter, hash list or blocklist.
        file: PathBuf,
        /// The hash, in hex.
        hash: String,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum BuildKind {
    Bloom,
    Hashlist,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum CheckKind {
    Bloom,
    Hashlist,
    Blocklist,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum Mode {
    Point,
    Vector,
    Coordinate,
}

pub(crate) fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Hashes { json, qr } => hashes(json, qr.as_deref()),
        Command::Build {
            kind,
            p,
            n,
            mode,
            min_size,
        } => build(kind, p, n, mode, min_size),
        Command::Check { kind, file, hash } => check(kind, &file, &hash),
    }
}

fn hashes(json: bool, qr: Option<&str>) -> Result<ExitCode, String> {
    let qr = super::read_qr(qr)?;
    let hashes = dcc_verifier::danger::revocation_hashes(&qr).map_err(|e| e.to_string())?;
    if json {
        let object: Map<String, Value> = HashType::ALL
            .iter()
            .map(|&t| {
                let list: Vec<Value> = hashes.of_type(t).map(|h| to_hex(h).into()).collect();
                (t.name().to_string(), Value::Array(list))
            })
            .collect();
        println!("{}", Value::Object(object));
    } else {
        for (hash_type, hash) in hashes.iter() {
            println!("{:<15} {}", hash_type.name(), to_hex(hash));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn build(
    kind: BuildKind,
    p: f32,
    n: Option<u32>,
    mode: Mode,
    min_size: u8,
) -> Result<ExitCode, String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| format!("stdin: {e}"))?;
    let mut hashes = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let hash = from_hex(line)
            .filter(|h| !h.is_empty())
            .ok_or_else(|| format!("stdin line {}: not a hex hash", number.saturating_add(1)))?;
        hashes.push(hash);
    }
    let count = u32::try_from(hashes.len()).map_err(|_| "too many hashes".to_string())?;
    let n = n.unwrap_or(count);
    let bytes = match kind {
        BuildKind::Bloom => {
            let mut filter = BloomFilter::new(n, p).map_err(|e| e.to_string())?;
            for hash in &hashes {
                filter.add(hash);
            }
            filter.into_bytes()
        }
        BuildKind::Hashlist => {
            let mode = match mode {
                Mode::Point => PartitionMode::Point,
                Mode::Vector => PartitionMode::Vector,
                Mode::Coordinate => PartitionMode::Coordinate,
            };
            let size = HashList::entry_size(min_size, mode, n, p).map_err(|e| e.to_string())?;
            let n = i32::try_from(n).map_err(|_| "--n above 2^31 - 1".to_string())?;
            HashList::from_hashes(size, n, p, hashes.iter().map(Vec::as_slice))
                .map_err(|e| e.to_string())?
                .to_bytes()
        }
    };
    std::io::stdout()
        .write_all(&bytes)
        .map_err(|e| format!("stdout: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

fn check(kind: Option<CheckKind>, file: &std::path::Path, hash: &str) -> Result<ExitCode, String> {
    let hash = from_hex(hash.trim()).ok_or_else(|| format!("not a hex hash: {hash}"))?;
    let bytes = super::read_file(file)?;
    let filter = read_filter(kind, &bytes).map_err(|e| format!("{}: {e}", file.display()))?;
    if filter.might_contain(&hash) {
        match &filter {
            Filter::Bloom(f) => println!(
                "found (bloom filter, false-positive probability {})",
                f.false_positive_probability()
            ),
            Filter::HashList(_) => println!("found (hash list)"),
            _ => println!("found (blocklist)"),
        }
        Ok(ExitCode::SUCCESS)
    } else {
        println!("not found");
        Ok(ExitCode::from(1))
    }
}

/// Reads a filter of the given kind, or detects it: a valid Bloom filter, else a valid hash
/// list (both binary, starting with version 1), else a text blocklist.
fn read_filter(kind: Option<CheckKind>, bytes: &[u8]) -> Result<Filter, String> {
    let read = |kind| Filter::read(kind, bytes.to_vec());
    match kind {
        Some(CheckKind::Bloom) => read(FilterKind::Bloom).map_err(|e| e.to_string()),
        Some(CheckKind::Hashlist) => read(FilterKind::HashList).map_err(|e| e.to_string()),
        Some(CheckKind::Blocklist) => read(FilterKind::Blocklist).map_err(|e| e.to_string()),
        None => read(FilterKind::Bloom)
            .or_else(|_| read(FilterKind::HashList))
            .or_else(|_| read(FilterKind::Blocklist))
            .map_err(|_| "not a Bloom filter, hash list or hex blocklist".to_string()),
    }
}

/// One `--revocation` value: `KIND[OPTIONS]:HASHTYPES:FILE` for `bloom` and `hashlist`,
/// `fr-blocklist[OPTIONS]:FILE`; OPTIONS = comma-separated `kid=BASE64`, `prefix=HEX`,
/// `expires=RFC3339`.
pub(crate) fn load_slice(spec: &str) -> Result<Slice, String> {
    let bad = |why: &str| format!("--revocation {spec}: {why}");
    let head_end = spec
        .find(['[', ':'])
        .ok_or_else(|| bad("expected KIND:HASHTYPE:FILE or fr-blocklist:FILE"))?;
    let (kind, rest) = spec.split_at(head_end);
    let (options, rest) = match rest.strip_prefix('[') {
        Some(rest) => rest
            .split_once("]:")
            .ok_or_else(|| bad("options must end with ']:'"))?,
        None => ("", rest.strip_prefix(':').unwrap_or(rest)),
    };
    let (types, file) = if kind == "fr-blocklist" {
        (vec![HashType::FrDcc], rest)
    } else {
        let (types, file) = rest
            .split_once(':')
            .ok_or_else(|| bad("expected KIND:HASHTYPE:FILE"))?;
        let types = types
            .split(',')
            .map(|t| match HashType::from_name(t) {
                Some(t) if t != HashType::FrDcc => Ok(t),
                _ => Err(bad(&format!(
                    "unknown hash type {t} (UCI, COUNTRYCODEUCI or SIGNATURE)"
                ))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        (types, file)
    };
    if file.is_empty() {
        return Err(bad("no file"));
    }
    let kind = match kind {
        "bloom" => FilterKind::Bloom,
        "hashlist" => FilterKind::HashList,
        "fr-blocklist" => FilterKind::Blocklist,
        _ => return Err(bad("unknown kind (bloom, hashlist or fr-blocklist)")),
    };
    let bytes = super::read_file(std::path::Path::new(file))?;
    let mut list = SliceData::new(kind, bytes, types, file);
    for option in options.split(',').filter(|o| !o.is_empty()) {
        match option.split_once('=') {
            Some(("kid", kid)) => {
                let kid = base64::engine::general_purpose::STANDARD
                    .decode(kid)
                    .map_err(|_| bad("kid must be standard base64"))?;
                list.kid = Some(kid);
            }
            Some(("prefix", prefix)) => prefix.clone_into(&mut list.prefix),
            Some(("expires", at)) => {
                let at =
                    UnixTime::parse_rfc3339(at).ok_or_else(|| bad("expires must be RFC 3339"))?;
                list.expires_at = Some(at);
            }
            _ => {
                return Err(bad(&format!(
                    "unknown option {option} (kid, prefix, expires)"
                )))
            }
        }
    }
    Slice::load(list).map_err(|e| match e {
        RevocationError::InvalidPrefix => bad(&e.to_string()),
        e => format!("{file}: {e}"),
    })
}

/// Reads a mirror directory (`lists.json`, `<kid>/partitions.json`, `<kid>/<id>.tar.gz`, with
/// the kid as unpadded base64url): every partition of every listed kid must be there and
/// check, or nothing loads.
pub(crate) fn load_drl_mirror(dir: &std::path::Path) -> Result<drl::Mirror, String> {
    drl::Mirror::load(|path| super::read_file(&dir.join(path)))
        .map_err(|e| format!("--revocation-drl {}: {e}", dir.display()))
}
