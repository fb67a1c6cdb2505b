//! The CWT claims set (RFC 8392) of a DCC: `iss` (1), `exp` (4), `iat` (6) and the hcert
//! claim (-260) whose key 1 holds the DCC payload (hcert spec §2.6.3).
//!
//! ```cddl
//! claims = { ? 1 => tstr, ? 4 => int / float, ? 6 => int / float,
//!            -260 => { 1 => dcc }, * int => any }
//! ```

use std::borrow::Cow;

use super::error::{CborContext, DecodeError};
use crate::eudcc::cbor::{self, Head, Reader};
use crate::eudcc::payload::Node;
use crate::time::UnixTime;

const CLAIM_ISS: i128 = 1;
const CLAIM_EXP: i128 = 4;
const CLAIM_IAT: i128 = 6;
const CLAIM_HCERT: i128 = -260;
const HCERT_EU_DCC_V1: i128 = 1;

/// The claims the verifier reads, borrowing from the payload bytes.
pub(crate) struct Claims<'a> {
    /// Issuing country (`iss`).
    pub(crate) issuer: Option<Cow<'a, str>>,
    /// Issue time (`iat`).
    pub(crate) issued_at: Option<UnixTime>,
    /// Expiry (`exp`).
    pub(crate) expires_at: Option<UnixTime>,
    /// The DCC payload, with its original field names.
    pub(crate) dcc: Node<'a>,
    /// The DCC payload's encoded bytes (one CBOR item), kept to produce JSON on demand.
    pub(crate) dcc_cbor: &'a [u8],
}

const CLAIMS: CborContext = CborContext::Claims;

fn malformed(detail: &'static str) -> DecodeError {
    DecodeError::PayloadMalformed { detail }
}

/// Parses the COSE payload as a CWT claims set, in place (no intermediate CBOR tree).
pub(crate) fn parse(payload: &[u8]) -> Result<Claims<'_>, DecodeError> {
    cbor::check_decodable(payload, CLAIMS)?;
    let mut r = Reader::new(payload, CLAIMS);
    let Head::Map(count) = r.head()? else {
        return Err(malformed("claims are not a map"));
    };
    let mut claims = Claims {
        issuer: None,
        issued_at: None,
        expires_at: None,
        dcc: Node::Null,
        dcc_cbor: &[],
    };
    let mut seen: Vec<i128> = Vec::new();
    r.each(count, |r| {
        // Text claim names are legal CWT but none of ours: ignore them.
        let key = match r.head()? {
            Head::Int(key) => key,
            other => {
                r.skip(other)?;
                let value = r.head()?;
                return r.skip(value);
            }
        };
        if seen.contains(&key) {
            return Err(DecodeError::CborMalformed {
                context: CLAIMS,
                detail: "duplicate map key",
            });
        }
        seen.push(key);
        let value = r.head()?;
        match key {
            CLAIM_ISS => match value {
                Head::Text(len) => claims.issuer = Some(r.text(len)?),
                _ => return Err(malformed("iss is not a text string")),
            },
            CLAIM_EXP => claims.expires_at = Some(timestamp(value, "exp")?),
            CLAIM_IAT => claims.issued_at = Some(timestamp(value, "iat")?),
            CLAIM_HCERT => (claims.dcc, claims.dcc_cbor) = hcert_payload(payload, r, value)?,
            _ => r.skip(value)?,
        }
        Ok(())
    })?;
    if claims.dcc == Node::Null {
        return Err(malformed("no hcert claim (-260)"));
    }
    Ok(claims)
}

/// An integer or floating-point NumericDate (RFC 8392 §2); fractions are truncated towards
/// the past. Some issuers wrote floats (dgc-testdata issue 86), so both are accepted.
/// Any other item is refused before its content is read.
fn timestamp(value: Head, claim: &'static str) -> Result<UnixTime, DecodeError> {
    let out_of_range = DecodeError::TimestampOutOfRange { claim };
    match value {
        Head::Int(i) => i64::try_from(i)
            .map(UnixTime::from_secs)
            .map_err(|_| out_of_range),
        Head::Float(f) => float_seconds(f)
            .map(UnixTime::from_secs)
            .ok_or(out_of_range),
        Head::Tag(2 | 3) => Err(out_of_range), // bignums
        _ => Err(malformed("timestamp is not a number")),
    }
}

/// Whole seconds of a float timestamp, if finite and within ±10^12 s (about ±31,700 years).
fn float_seconds(f: f64) -> Option<i64> {
    const MAX_ABS_SECS: f64 = 1e12;
    if !f.is_finite() || f.abs() > MAX_ABS_SECS {
        return None;
    }
    // safe: finite and bounded above, so the cast is exact for the integer part
    #[allow(clippy::as_conversions, clippy::cast_possible_truncation)]
    Some(f.floor() as i64)
}

/// The DCC inside the hcert claim, `{1: dcc}`, and its bytes within `payload`.
fn hcert_payload<'a>(
    payload: &'a [u8],
    r: &mut Reader<'a>,
    value: Head,
) -> Result<(Node<'a>, &'a [u8]), DecodeError> {
    let Head::Map(count) = value else {
        return Err(malformed("hcert claim is not a map"));
    };
    let mut dcc = None;
    r.each(count, |r| {
        let key = r.head()?;
        if key != Head::Int(HCERT_EU_DCC_V1) {
            r.skip(key)?;
            let value = r.head()?;
            return r.skip(value);
        }
        let start = r.offset();
        let value = r.head()?;
        if dcc.is_some() {
            return Err(DecodeError::CborMalformed {
                context: CLAIMS,
                detail: "duplicate map key",
            });
        }
        let node = Node::read(r, value)?;
        let bytes = payload.get(start..r.offset()).unwrap_or_default();
        dcc = Some((node, bytes));
        Ok(())
    })?;
    match dcc {
        Some((node @ Node::Map(_), bytes)) => Ok((node, bytes)),
        Some(_) => Err(malformed("hcert payload is not a map")),
        None => Err(malformed("hcert claim has no key 1")),
    }
}
