//! French 2D-DOC (ANTS "Spécifications techniques des codes à barres 2D-Doc" v3.2.6), C40
//! text form, versions 02 to 04:
//!
//! ```text
//! HEADER(22|24|26) MESSAGE 0x1F BASE32(r||s) [0x1D ANNEX]
//! ```
//!
//! The header carries the CA id, the signer certificate id, the issue and signature dates
//! (hex days since 2000-01-01, `FFFF` = none), the document type, and from version 03 the
//! perimeter, from version 04 the issuing country. The message is a sequence of fields, each a
//! 2-character identifier and a value: fixed-length values have no terminator; variable-length
//! ones end with GS (0x1D), with RS (0x1E) when the issuer truncated them, or with nothing when
//! they reach their maximum length or end the message. Fields may come in any order.
//!
//! The signature is ECDSA P-256 / SHA-256 over the bytes before the unit separator (header and
//! message, a trailing GS included); the annex after it is not signed. High-S signatures are
//! accepted (many genuine ones are high-S). Keys are supplied by the caller per
//! `(CA id, certificate id)` in a [`crate::trust::twoddoc_keys::TwoDDocKeys`] store.
//!
//! Personal data (names, birth date, every field value) never appears in `Debug` output or
//! in errors.

use core::fmt;

use crate::limits::MAX_TWODDOC_CHARS;
use crate::time::{seconds_of_day, TimeZone, UnixTime};

/// Group separator: ends a variable-length field, and the signature when an annex follows.
const GS: u8 = 0x1D;
/// Record separator: ends a variable-length field the issuer truncated.
const RS: u8 = 0x1E;
/// Unit separator: ends the signed data; the signature follows.
const US: u8 = 0x1F;

/// Unix time of 2000-01-01T00:00:00Z, the epoch of the header dates.
const EPOCH_2000: i64 = 946_684_800;

/// Why a 2D-DOC could not be read or verified. Messages never contain field values.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TwoDDocError {
    /// Longer than [`MAX_TWODDOC_CHARS`].
    #[error("2D-DOC longer than {limit} characters")]
    TooLong {
        /// The limit.
        limit: usize,
    },
    /// A byte above 0x7F: a 2D-DOC is ASCII.
    #[error("non-ASCII byte at offset {offset}")]
    NonAscii {
        /// Byte offset.
        offset: usize,
    },
    /// Does not start with the `DC` marker.
    #[error("not a 2D-DOC (no DC marker)")]
    NotTwoDDoc,
    /// A header version other than 02, 03 or 04 (01 signs in binary, out of scope).
    #[error("unsupported 2D-DOC version {version:?}")]
    UnsupportedVersion {
        /// The two version characters.
        version: String,
    },
    /// The header is shorter than its version requires or has a malformed part.
    #[error("malformed 2D-DOC header ({part})")]
    BadHeader {
        /// Which part: `length`, `ca_id`, `cert_id`, `issue_date`, `signature_date`,
        /// `doc_type`, `perimeter` or `country`.
        part: &'static str,
    },
    /// No unit separator (0x1F): the signature is missing (or a scanner dropped the byte).
    #[error("no unit separator before the signature")]
    MissingSignature,
    /// The signature is not RFC 4648 base32.
    #[error("signature is not base32")]
    SignatureEncoding,
    /// The signature does not have the 64 bytes of a P-256 r||s.
    #[error("signature is {actual} bytes, expected 64")]
    SignatureLength {
        /// Decoded length.
        actual: usize,
    },
    /// A data identifier the document type does not define.
    #[error("unknown data identifier {id:?} at message offset {offset}")]
    UnknownField {
        /// The identifier (two characters of the code, not personal data).
        id: String,
        /// Offset in the message.
        offset: usize,
    },
    /// A value shorter than its identifier's minimum (fixed-length ones cut short included).
    #[error("field {id} shorter than its minimum length")]
    ShortField {
        /// The identifier.
        id: String,
    },
    /// A data identifier appears more than once: which value counts would be ambiguous.
    #[error("field {id} repeated")]
    RepeatedField {
        /// The identifier.
        id: String,
    },
    /// A mandatory field of the document type is absent.
    #[error("mandatory field {id} missing")]
    MissingField {
        /// The identifier.
        id: String,
    },
    /// A field value that does not have its type's form (e.g. a result other than P/N/I/X).
    #[error("field {id} malformed")]
    InvalidField {
        /// The identifier.
        id: String,
    },
    /// No key for the document's (CA id, certificate id).
    #[error("no key for 2D-DOC signer {ca_id}/{cert_id}")]
    UnknownSigner {
        /// CA id.
        ca_id: String,
        /// Certificate id.
        cert_id: String,
    },
    /// A test CA (`XX00`) or the reserved test certificate id `0000`, not accepted by default.
    #[error("2D-DOC signed by test CA or certificate {ca_id}/{cert_id}")]
    TestCa {
        /// CA id.
        ca_id: String,
        /// Certificate id.
        cert_id: String,
    },
    /// The signature does not verify with any key of the signer.
    #[error("signature does not verify")]
    SignatureInvalid,
    /// The header's signature date has not begun yet, even in Paris (whose day starts before
    /// the UTC one), at the verification time plus the clock skew.
    #[error("signature date {signed} is in the future (now {now})")]
    SignatureDateInFuture {
        /// The signature date (midnight UTC).
        signed: UnixTime,
        /// The verification time.
        now: UnixTime,
    },
    /// A signed content date (B2 sampling `F6`, L1 last dose `L9`) is after the header's
    /// signature date: the signature date, at which the signer's certificate is judged, is
    /// not credible.
    #[error("field {id} is dated after the signature date")]
    ContentAfterSignature {
        /// The identifier of the later date.
        id: String,
    },
    /// The signer certificate was not yet valid at the document's signature date.
    #[error("signer certificate not valid before {not_before}, document signed {at}")]
    SignerNotYetValid {
        /// Certificate notBefore.
        not_before: UnixTime,
        /// The signature date (or verification time for an undated document).
        at: UnixTime,
    },
    /// The signer certificate had expired at the document's signature date.
    #[error("signer certificate expired {not_after}, document signed {at}")]
    SignerExpired {
        /// Certificate notAfter.
        not_after: UnixTime,
        /// The signature date (or verification time for an undated document).
        at: UnixTime,
    },
}

/// The header of a 2D-DOC. Contains no personal data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// 2, 3 or 4.
    pub version: u8,
    /// Certification authority id, e.g. `FR03` (`XX00` are test CAs).
    pub ca_id: String,
    /// Signer certificate id (the CN of its certificate), e.g. `AV01`.
    pub cert_id: String,
    /// Issue date (midnight UTC), `None` for `FFFF`.
    pub issue_date: Option<UnixTime>,
    /// Signature date (midnight UTC), `None` for `FFFF`.
    pub signature_date: Option<UnixTime>,
    /// Document type, e.g. `B2` (test result) or `L1` (vaccination).
    pub doc_type: String,
    /// Perimeter (version 03 and later), `01` for ANTS.
    pub perimeter: Option<String>,
    /// Issuing country, ISO 3166 alpha-2 (version 04).
    pub country: Option<String>,
}

impl Header {
    /// Whether the CA is a test CA (`XX00`) or the certificate the reserved test id `0000`.
    pub fn is_test(&self) -> bool {
        self.ca_id.ends_with("00") || self.cert_id == "0000"
    }
}

/// One message (or annex) field. `Debug` shows the identifier and length, never the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Field {
    /// The 2-character data identifier.
    pub id: String,
    /// The value, as transmitted.
    pub value: String,
    /// Whether the issuer truncated it (terminated by RS).
    pub truncated: bool,
}

impl fmt::Debug for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Field")
            .field("id", &self.id)
            .field("len", &self.value.len())
            .field("truncated", &self.truncated)
            .finish()
    }
}

/// A parsed 2D-DOC, not yet verified. `Debug` shows the header and field identifiers only.
#[derive(Clone)]
pub struct TwoDDoc {
    header: Header,
    signed: Vec<u8>,
    message: Result<Message, TwoDDocError>,
    signature: Result<Vec<u8>, TwoDDocError>,
    annex: Option<Vec<Field>>,
}

impl fmt::Debug for TwoDDoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TwoDDoc")
            .field("header", &self.header)
            .field("signed_len", &self.signed.len())
            .field("message", &self.message)
            .field("signature_len", &self.signature.as_ref().map(Vec::len))
            .field("annex", &self.annex)
            .finish()
    }
}

/// The message zone.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Message {
    /// A document type whose fields this crate knows (B2, L1).
    Fields(Vec<Field>),
    /// Another document type: its fields are kept raw.
    Raw,
}

/// The length rule of a data identifier: (minimum, maximum), `None` = unbounded.
type Rule = (usize, Option<usize>);

/// The rule for `id` in a document of type `doc_type` (spec §7.0, §7.13, §7.14).
fn field_rule(doc_type: &str, id: &str) -> Option<Rule> {
    let common = match id {
        "01" | "02" | "03" | "04" | "05" | "0C" => Some((0, None)),
        "06" | "08" | "09" => Some((4, Some(4))),
        "07" => Some((6, Some(6))),
        "0A" | "0B" => Some((9, Some(9))),
        "0D" => Some((36, Some(36))),
        _ => None,
    };
    if common.is_some() {
        return common;
    }
    match (doc_type, id) {
        ("B2", "F0") => Some((0, Some(60))),
        ("B2", "F1") => Some((0, Some(38))),
        ("B2", "F2") => Some((8, Some(8))),
        ("B2", "F3" | "F5") => Some((1, Some(1))),
        ("B2", "F4") => Some((3, Some(7))),
        ("B2", "F6") => Some((12, Some(12))),
        ("L1", "L0" | "L1") => Some((0, Some(80))),
        ("L1", "L2" | "L9") => Some((8, Some(8))),
        ("L1", "L3") => Some((0, Some(30))),
        ("L1", "L4") => Some((5, Some(15))),
        ("L1", "L5" | "L6") => Some((5, Some(30))),
        ("L1", "L7" | "L8") => Some((1, Some(1))),
        ("L1", "LA") => Some((2, Some(2))),
        _ => None,
    }
}

/// The document types whose fields are modelled.
fn is_modelled(doc_type: &str) -> bool {
    matches!(doc_type, "B2" | "L1")
}

const B2_MANDATORY: [&str; 7] = ["F0", "F1", "F2", "F3", "F4", "F5", "F6"];
const L1_MANDATORY: [&str; 11] = [
    "L0", "L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8", "L9", "LA",
];

/// Whether `text` looks like a 2D-DOC (C40 header marker `DC` and a 2-digit version).
pub fn looks_like_twoddoc(text: &str) -> bool {
    let b = text.as_bytes();
    b.starts_with(b"DC")
        && b.get(2..4)
            .is_some_and(|v| v.iter().all(u8::is_ascii_digit))
}

/// Parses a 2D-DOC as a reader returns it (ASCII, control bytes included).
///
/// # Errors
/// A [`TwoDDocError`] for anything before the message fields: length, non-ASCII bytes, the
/// header, a missing unit separator. Field and signature encoding problems do not fail the
/// parse: they are reported by [`TwoDDoc::fields`] and [`TwoDDocKeys::verify`](crate::trust::twoddoc_keys::TwoDDocKeys::verify), so the header
/// and fingerprint of a damaged document stay available.
pub fn parse(text: &str) -> Result<TwoDDoc, TwoDDocError> {
    let bytes = text.as_bytes();
    if bytes.len() > MAX_TWODDOC_CHARS {
        return Err(TwoDDocError::TooLong {
            limit: MAX_TWODDOC_CHARS,
        });
    }
    if let Some(offset) = bytes.iter().position(|b| !b.is_ascii()) {
        return Err(TwoDDocError::NonAscii { offset });
    }
    if !bytes.starts_with(b"DC") {
        return Err(TwoDDocError::NotTwoDDoc);
    }
    let (header, header_len) = parse_header(text)?;
    let us = bytes
        .iter()
        .position(|&b| b == US)
        .ok_or(TwoDDocError::MissingSignature)?;
    let (signed, rest) = (
        bytes.get(..us).unwrap_or_default(),
        bytes.get(us.saturating_add(1)..).unwrap_or_default(),
    );
    if signed.len() < header_len {
        return Err(TwoDDocError::BadHeader { part: "length" });
    }
    let message_bytes = signed.get(header_len..).unwrap_or_default();
    let message = if is_modelled(&header.doc_type) {
        parse_fields(&header.doc_type, message_bytes, true).map(Message::Fields)
    } else {
        Ok(Message::Raw)
    };
    let (sig_text, annex_text) = match rest.iter().position(|&b| b == GS) {
        Some(gs) => (
            rest.get(..gs).unwrap_or_default(),
            Some(rest.get(gs.saturating_add(1)..).unwrap_or_default()),
        ),
        None => (rest, None),
    };
    let signature = base32_decode(sig_text).ok_or(TwoDDocError::SignatureEncoding);
    // The annex is unsigned and lenient: an unreadable one is dropped, never trusted.
    let annex = annex_text.and_then(|a| parse_fields(&header.doc_type, a, false).ok());
    Ok(TwoDDoc {
        header,
        signed: signed.to_vec(),
        message,
        signature,
        annex,
    })
}

fn parse_header(text: &str) -> Result<(Header, usize), TwoDDocError> {
    let version = text.get(2..4).unwrap_or_default();
    let (version_num, len) = match version {
        "02" => (2, 22),
        "03" => (3, 24),
        "04" => (4, 26),
        _ => {
            return Err(TwoDDocError::UnsupportedVersion {
                version: version.to_owned(),
            })
        }
    };
    let part = |range: core::ops::Range<usize>, name: &'static str| {
        text.get(range)
            .filter(|s| {
                s.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            })
            .ok_or(TwoDDocError::BadHeader { part: name })
    };
    if text.len() < len {
        return Err(TwoDDocError::BadHeader { part: "length" });
    }
    let ca_id = part(4..8, "ca_id")?.to_owned();
    let cert_id = part(8..12, "cert_id")?.to_owned();
    let issue_date = header_date(text.get(12..16), "issue_date")?;
    let signature_date = header_date(text.get(16..20), "signature_date")?;
    let doc_type = part(20..22, "doc_type")?.to_owned();
    let perimeter = if version_num >= 3 {
        Some(part(22..24, "perimeter")?.to_owned())
    } else {
        None
    };
    let country = if version_num >= 4 {
        Some(part(24..26, "country")?.to_owned())
    } else {
        None
    };
    Ok((
        Header {
            version: version_num,
            ca_id,
            cert_id,
            issue_date,
            signature_date,
            doc_type,
            perimeter,
            country,
        },
        len,
    ))
}

/// A header date: 4 hex digits of days since 2000-01-01, `FFFF` for none.
fn header_date(hex: Option<&str>, part: &'static str) -> Result<Option<UnixTime>, TwoDDocError> {
    let bad = TwoDDocError::BadHeader { part };
    let hex = hex.ok_or_else(|| bad.clone())?;
    if hex == "FFFF" {
        return Ok(None);
    }
    if !hex
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
    {
        return Err(bad);
    }
    let days = i64::from(u16::from_str_radix(hex, 16).map_err(|_| bad.clone())?);
    UnixTime::from_secs(EPOCH_2000)
        .checked_add_days(days)
        .map(Some)
        .ok_or(bad)
}

/// Parses fields by identifier, in any order; an identifier may appear once. `strict`
/// enforces minimum lengths (the annex is read leniently).
fn parse_fields(doc_type: &str, msg: &[u8], strict: bool) -> Result<Vec<Field>, TwoDDocError> {
    let mut out = Vec::new();
    let mut i = 0usize;
    while let Some(&b) = msg.get(i) {
        // A superfluous GS (after a fixed field, or trailing before US) is tolerated.
        if b == GS {
            i = i.saturating_add(1);
            continue;
        }
        let id_bytes = msg.get(i..i.saturating_add(2)).unwrap_or_default();
        let id = String::from_utf8_lossy(id_bytes).into_owned();
        let Some((min, max)) = field_rule(doc_type, &id) else {
            return Err(TwoDDocError::UnknownField { id, offset: i });
        };
        if out.iter().any(|f: &Field| f.id == id) {
            return Err(TwoDDocError::RepeatedField { id });
        }
        i = i.saturating_add(2);
        if Some(min) == max {
            let end = i.saturating_add(min);
            let value = msg
                .get(i..end)
                .filter(|v| !v.iter().any(|&c| c == GS || c == RS))
                .ok_or_else(|| TwoDDocError::ShortField { id: id.clone() })?;
            out.push(Field {
                id,
                value: String::from_utf8_lossy(value).into_owned(),
                truncated: false,
            });
            i = end;
            continue;
        }
        let mut j = i;
        while let Some(&c) = msg.get(j) {
            if c == GS || c == RS || max.is_some_and(|m| j.saturating_sub(i) >= m) {
                break;
            }
            j = j.saturating_add(1);
        }
        let value = msg.get(i..j).unwrap_or_default();
        let mut truncated = false;
        match msg.get(j) {
            Some(&RS) => {
                truncated = true;
                j = j.saturating_add(1);
            }
            Some(&GS) => j = j.saturating_add(1),
            _ => {}
        }
        if strict && value.len() < min && !truncated {
            return Err(TwoDDocError::ShortField { id });
        }
        out.push(Field {
            id,
            value: String::from_utf8_lossy(value).into_owned(),
            truncated,
        });
        i = j;
    }
    Ok(out)
}

/// RFC 4648 base32 (upper case), `=` padding optional. `None` if not base32 or if the
/// unused trailing bits are not zero.
fn base32_decode(text: &[u8]) -> Option<Vec<u8>> {
    let unpadded = match text.iter().position(|&b| b == b'=') {
        Some(p) => {
            if !text.get(p..)?.iter().all(|&b| b == b'=') {
                return None;
            }
            text.get(..p)?
        }
        None => text,
    };
    let mut out = Vec::with_capacity(unpadded.len());
    let mut buffer: u32 = 0;
    let mut bits: u32 = 0;
    for &c in unpadded {
        let v: u32 = match c {
            b'A'..=b'Z' => u32::from(c.wrapping_sub(b'A')),
            b'2'..=b'7' => u32::from(c.wrapping_sub(b'2')).wrapping_add(26),
            _ => return None,
        };
        buffer = buffer.checked_shl(5)? | v;
        bits = bits.wrapping_add(5);
        if bits >= 8 {
            bits = bits.wrapping_sub(8);
            out.push(u8::try_from(buffer.checked_shr(bits)? & 0xFF).ok()?);
            buffer &= 1u32.checked_shl(bits)?.wrapping_sub(1);
        }
    }
    (buffer == 0).then_some(out)
}

impl TwoDDoc {
    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The signed bytes: header and message, everything before the unit separator.
    pub fn signed_data(&self) -> &[u8] {
        &self.signed
    }

    /// The signature (`r || s`, base32-decoded), or why it is unreadable.
    ///
    /// # Errors
    /// [`TwoDDocError::MissingSignature`] or [`TwoDDocError::SignatureEncoding`].
    pub fn signature(&self) -> Result<&[u8], &TwoDDocError> {
        self.signature.as_deref()
    }

    /// The message fields, in transmitted order, unknown optional (complementary) ones kept.
    /// `Ok(None)` for a document type whose fields are not modelled (see
    /// [`TwoDDoc::raw_message`]).
    ///
    /// # Errors
    /// The [`TwoDDocError`] met while splitting the message into fields.
    pub fn fields(&self) -> Result<Option<&[Field]>, TwoDDocError> {
        match &self.message {
            Ok(Message::Fields(fields)) => Ok(Some(fields)),
            Ok(Message::Raw) => Ok(None),
            Err(e) => Err(e.clone()),
        }
    }

    /// The message zone as transmitted (any document type).
    pub fn raw_message(&self) -> &[u8] {
        let len = match self.header.version {
            2 => 22,
            3 => 24,
            _ => 26,
        };
        self.signed.get(len..).unwrap_or_default()
    }

    /// The annex fields (version 04), **not covered by the signature**: never trust them.
    pub fn unsigned_annex(&self) -> Option<&[Field]> {
        self.annex.as_deref()
    }

    /// The document's own expiry date (complementary field `08`, signed, midnight UTC of that
    /// day); `None` when absent or `FFFF`.
    ///
    /// # Errors
    /// [`TwoDDocError::InvalidField`] when the field is not 4 hex digits.
    pub fn expiry_date(&self) -> Result<Option<UnixTime>, TwoDDocError> {
        match self.field("08") {
            None => Ok(None),
            Some(hex) => header_date(Some(hex), "08").map_err(|_| TwoDDocError::InvalidField {
                id: "08".to_owned(),
            }),
        }
    }

    /// The value of the field with identifier `id` (identifiers are unique in a readable
    /// message).
    pub fn field(&self, id: &str) -> Option<&str> {
        match &self.message {
            Ok(Message::Fields(fields)) => {
                fields.iter().find(|f| f.id == id).map(|f| f.value.as_str())
            }
            _ => None,
        }
    }

    /// The typed content: a test result (B2), a vaccination (L1), or another document type.
    ///
    /// # Errors
    /// Field parsing errors, [`TwoDDocError::MissingField`] for a missing mandatory field and
    /// [`TwoDDocError::InvalidField`] for a value not of its type.
    pub fn content(&self) -> Result<Content, TwoDDocError> {
        let fields = match self.fields()? {
            None => {
                return Ok(Content::Other {
                    doc_type: self.header.doc_type.clone(),
                })
            }
            Some(fields) => fields,
        };
        let get = |id: &str| -> Result<String, TwoDDocError> {
            fields
                .iter()
                .find(|f| f.id == id)
                .map(|f| f.value.clone())
                .ok_or_else(|| TwoDDocError::MissingField { id: id.to_owned() })
        };
        let invalid = |id: &str| TwoDDocError::InvalidField { id: id.to_owned() };
        if self.header.doc_type == "B2" {
            for id in B2_MANDATORY {
                get(id)?;
            }
            let birth_date = digits(get("F2")?, 8).ok_or_else(|| invalid("F2"))?;
            let sex = get("F3")?;
            if !matches!(sex.as_str(), "M" | "F" | "U") {
                return Err(invalid("F3"));
            }
            let result = match get("F5")?.as_str() {
                "P" => TestOutcome::Positive,
                "N" => TestOutcome::Negative,
                "I" => TestOutcome::Indeterminate,
                "X" => TestOutcome::NonCompliant,
                _ => return Err(invalid("F5")),
            };
            let sampled = digits(get("F6")?, 12).ok_or_else(|| invalid("F6"))?;
            Ok(Content::TestResult(TestResult {
                first_names: get("F0")?,
                surname: get("F1")?,
                birth_date,
                sex,
                analysis_code: get("F4")?,
                result,
                sampled_at: sampled,
            }))
        } else {
            for id in L1_MANDATORY {
                get(id)?;
            }
            let digit = |id: &str| -> Result<u8, TwoDDocError> {
                get(id)?.parse::<u8>().map_err(|_| invalid(id))
            };
            let status = match get("LA")?.as_str() {
                "CO" => CycleStatus::InProgress,
                "TE" => CycleStatus::Complete,
                _ => return Err(invalid("LA")),
            };
            Ok(Content::Vaccination(Vaccination {
                surname: get("L0")?,
                first_names: get("L1")?,
                birth_date: digits(get("L2")?, 8).ok_or_else(|| invalid("L2"))?,
                disease: get("L3")?,
                agent: get("L4")?,
                vaccine: get("L5")?,
                manufacturer: get("L6")?,
                dose_number: digit("L7")?,
                doses_expected: digit("L8")?,
                last_dose_date: digits(get("L9")?, 8).ok_or_else(|| invalid("L9"))?,
                status,
            }))
        }
    }
}

/// `value` if it is exactly `len` ASCII digits.
fn digits(value: String, len: usize) -> Option<String> {
    (value.len() == len && value.bytes().all(|b| b.is_ascii_digit())).then_some(value)
}

/// The typed content of a 2D-DOC.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Content {
    /// B2: a virological test result.
    TestResult(TestResult),
    /// L1: a vaccination attestation.
    Vaccination(Vaccination),
    /// Another document type, fields not modelled.
    Other {
        /// The document type.
        doc_type: String,
    },
}

/// A virological test outcome (B2 `F5`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestOutcome {
    /// `P`.
    Positive,
    /// `N`.
    Negative,
    /// `I`.
    Indeterminate,
    /// `X`: non-compliant sample.
    NonCompliant,
}

/// A B2 test result. `Debug` redacts names and birth date.
#[derive(Clone, PartialEq, Eq)]
pub struct TestResult {
    /// F0: first names, `/`-separated.
    pub first_names: String,
    /// F1: surname.
    pub surname: String,
    /// F2: birth date `DDMMYYYY` (`00` day or month when unknown).
    pub birth_date: String,
    /// F3: `M`, `F` or `U`.
    pub sex: String,
    /// F4: LOINC analysis code without hyphen (e.g. `945006`).
    pub analysis_code: String,
    /// F5.
    pub result: TestOutcome,
    /// F6: sampling date and time `DDMMYYYYHHmm` (French local time).
    pub sampled_at: String,
}

impl TestResult {
    /// The sampling time, read as UTC (the code has no time zone), if it is a real date.
    pub fn sampled_at_time(&self) -> Option<UnixTime> {
        let num = |r: core::ops::Range<usize>| self.sampled_at.get(r)?.parse::<u32>().ok();
        let day = ddmmyyyy(&self.sampled_at)?;
        let hm = seconds_of_day(i64::from(num(8..10)?), i64::from(num(10..12)?), 0)?;
        day.checked_add_secs(hm)
    }

    /// The sampling instant: [`TestResult::sampled_at_time`] read as French civil time
    /// (`Europe/Paris`), if it is a real date.
    pub fn sampled_at_utc(&self) -> Option<UnixTime> {
        self.sampled_at_time()
            .and_then(|local| TimeZone::EuropeParis.to_utc(local))
    }
}

impl fmt::Debug for TestResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestResult")
            .field("analysis_code", &self.analysis_code)
            .field("result", &self.result)
            .finish_non_exhaustive()
    }
}

/// Vaccination cycle state (L1 `LA`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CycleStatus {
    /// `CO`: in progress.
    InProgress,
    /// `TE`: complete.
    Complete,
}

/// An L1 vaccination attestation. `Debug` redacts names and birth date.
#[derive(Clone, PartialEq, Eq)]
pub struct Vaccination {
    /// L0: surname.
    pub surname: String,
    /// L1: first names, `/`-separated.
    pub first_names: String,
    /// L2: birth date `DDMMYYYY` (may be a "lunar" date).
    pub birth_date: String,
    /// L3: disease.
    pub disease: String,
    /// L4: ATC code of the prophylactic agent.
    pub agent: String,
    /// L5: vaccine name (free text).
    pub vaccine: String,
    /// L6: manufacturer (free text).
    pub manufacturer: String,
    /// L7: rank of the last dose received.
    pub dose_number: u8,
    /// L8: doses expected for a complete cycle.
    pub doses_expected: u8,
    /// L9: date of the last dose `DDMMYYYY`.
    pub last_dose_date: String,
    /// LA.
    pub status: CycleStatus,
}

impl Vaccination {
    /// The date of the last dose ([`Vaccination::last_dose_date`]) as midnight UTC, if it is a
    /// real date.
    pub fn last_dose_day(&self) -> Option<UnixTime> {
        ddmmyyyy(&self.last_dose_date)
    }
}

/// Midnight UTC of a field's leading `DDMMYYYY` date, if it is a real date.
fn ddmmyyyy(text: &str) -> Option<UnixTime> {
    let num = |r: core::ops::Range<usize>| text.get(r)?.parse::<u32>().ok();
    UnixTime::from_date(i64::from(num(4..8)?), num(2..4)?, num(0..2)?)
}

impl fmt::Debug for Vaccination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vaccination")
            .field("agent", &self.agent)
            .field("vaccine", &self.vaccine)
            .field("dose_number", &self.dose_number)
            .field("doses_expected", &self.doses_expected)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests;
