//! The health certificate payload (claim -260, key 1): typed model and schema checks.
//!
//! The verifier reads the hcert straight from the CBOR claims into a typed [`Hcert`] holding
//! exactly one [`Entry`], or fails with [`DecodeError::Schema`] naming the offending field (never
//! its value). [`Hcert::from_json`] applies the same checks to the payload as JSON (the schema
//! repository's examples and tests, or a payload shown by a decoder).
//!
//! # Which schema
//!
//! As the EU conformance runner does, the rules follow the JSON schema of the payload's `ver`
//! (ehn-dcc-development/eu-dcc-schema, `DGC.combined-schema.json` for 1.0.0, 1.0.1, 1.1.0 and
//! 1.2.0, `DCC.combined-schema.json` for 1.2.1 and 1.3.0); any other version gets the 1.3.0
//! schema, except 1.3.2 and 1.3.3, whose schemas accept a `nam` with `gnt` alone (their own
//! examples have such names). What changes between versions:
//!
//! | constraint                                 | 1.0.x     | 1.1.0     | 1.2.x   | 1.3.0     |
//! |--------------------------------------------|-----------|-----------|---------|-----------|
//! | `maxLength` of `fn`, `fnt`, `gn`, `gnt`, `is`, `ci`, `tc` | 50 | 50  | 50      | 80        |
//! | `dob`                                      | full date | `YYYY[-MM[-DD]]` | same | same, or `""` |
//! | `dn`, `sd`                                 | 1 to 9    | 1 to 9    | 1 to 9  | 1 or more |
//! | `t[0].tc`                                  | required  | required  | required | optional |
//! | `t[0].dr` (date-time)                      | defined   | defined   | unknown | unknown   |
//! | `t[0].nm` `maxLength`                      | none      | none      | none    | 80        |
//!
//! `nam` needs `fnt` (from 1.3.2: `fnt` or `gnt`), `ver` matches `^\d+.\d+.\d+$`, `fnt`/`gnt` match
//! `^[A-Z<]*$`, and no schema sets `additionalProperties`, so unknown fields are ignored. The
//! runner also requires exactly one of `v`, `t`, `r`; like the hcert specification ("exactly 1
//! (one) entry") and schema 1.3.0 (`maxItems: 1`), an array must hold exactly one entry.
//!
//! # Stricter than the reference runner
//!
//! The runner evaluates the schemas with Python `jsonschema` defaults: `format` is an annotation
//! only and patterns are unanchored searches. A verifier has to understand the dates it relies
//! on, so this module is deliberately stricter:
//!
//! - `format: date` (`dt`, `fr`, `df`, `du`, and `dob` in 1.0.x) must be a real calendar day
//!   `YYYY-MM-DD`, and `format: date-time` (`sc`, `dr`) an ISO 8601 date and time of day (the
//!   offsets `Z`, `+hh`, `+hhmm`, `+hh:mm` all occur in the schema's own valid tests);
//! - `ver` needs literal dots (the schema's unescaped `.` matches any character);
//! - `co` must be 1 to 10 capital letters (the schema's unanchored `[A-Z]{1,10}` only asks for
//!   one capital letter somewhere; `UNHCR` is a valid value, so it is not "2 letters");
//! - a `dob` month must be 01 to 12 and its day must exist (the pattern alone allows `1964-13-45`);
//! - `dn` and `sd` must fit a `u32` (1.3.0 sets no maximum).
//!
//! # Leniencies, reported as [`Warning`]s
//!
//! Each is something the reference runner accepts; the value is normalised and a warning says so:
//! a date field written with a time of day (`2021-05-01T00:00:00`, and in 1.0.x `dob` too, whose
//! pattern is unanchored) keeps only its date; a date-time without a UTC offset is read as UTC; a
//! whole number encoded as a float (`1.0`, an "integer" in JSON Schema) is read as an integer;
//! and a `00` month or day in a partial `dob` is read as unknown.
//!
//! # Privacy
//!
//! Names, the date of birth and the certificate identifier (`ci`) never appear in `Debug` output
//! and have no `Display`; they are reachable only through accessors.

use core::fmt;

use std::borrow::Cow;

use serde_json::Value;

use super::error::DecodeError;
use crate::eudcc::payload::{same_key, Node};
use crate::time::UnixTime;
use texts::Texts;

mod texts;

/// The kind of health certificate: exactly one of `v`, `t` or `r` is present.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryType {
    /// `t`: a test result.
    Test,
    /// `v`: a vaccination.
    Vaccination,
    /// `r`: a recovery.
    Recovery,
}

impl EntryType {
    /// `test`, `vaccination` or `recovery`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Test => "test",
            Self::Vaccination => "vaccination",
            Self::Recovery => "recovery",
        }
    }
}

impl fmt::Display for EntryType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The entry type of a DCC, without checking anything else: `Some` when exactly one of the keys
/// `v`, `t`, `r` is present and holds a non-empty array; `None` when none or several are present,
/// or the one present is empty or not an array. [`Hcert::from_json`] does the full check.
pub(crate) fn entry_type(dcc: &Node<'_>) -> Option<EntryType> {
    let mut present = GROUPS.iter().filter(|group| dcc.get(group.key).is_some());
    let group = present.next()?;
    if present.next().is_some() {
        return None;
    }
    let non_empty = dcc
        .get(group.key)
        .and_then(Node::as_array)
        .is_some_and(|a| !a.is_empty());
    non_empty.then_some(group.kind)
}

/// One of the three entry groups: its key, the path of its only entry, and its type.
struct Group {
    key: &'static str,
    first: &'static str,
    kind: EntryType,
}

const GROUPS: [Group; 3] = [
    Group {
        key: "v",
        first: "v[0]",
        kind: EntryType::Vaccination,
    },
    Group {
        key: "t",
        first: "t[0]",
        kind: EntryType::Test,
    },
    Group {
        key: "r",
        first: "r[0]",
        kind: EntryType::Recovery,
    },
];

/// A normalisation applied to an hcert that the reference runner accepts as it is (see the
/// module docs). Warnings name fields, never values.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Warning {
    /// A date carried a time of day (e.g. `2021-05-01T00:00:00`); only the date was kept.
    TimeOfDayDropped {
        /// JSON path of the field, e.g. `v[0].dt`.
        path: String,
    },
    /// A date-time had no UTC offset (e.g. `2021-05-01T10:00:00`); it was read as UTC.
    UtcOffsetMissing {
        /// JSON path of the field, e.g. `t[0].sc`.
        path: String,
    },
    /// A whole number was encoded as a float (e.g. `2.0`); it was read as an integer.
    FloatAsInteger {
        /// JSON path of the field, e.g. `v[0].dn`.
        path: String,
    },
    /// A `00` month or day in the date of birth (e.g. `1964-00-00`) was read as unknown; a day
    /// after a `00` month is dropped with it.
    DobZeroPart,
}

/// A health certificate payload that passed the schema checks of its version.
///
/// ```json
/// { "ver": "1.3.0", "nam": { "fnt": "..." }, "dob": "1964-08-12", "v": [ { ... } ] }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Hcert {
    ver: String,
    name: PersonName,
    dob: DateOfBirth,
    entry: Entry,
}

impl Hcert {
    /// Reads and checks an hcert given as JSON (the content of claim -260, key 1), with the
    /// constraints of its schema version, and returns it with the normalisations applied.
    ///
    /// # Errors
    ///
    /// [`DecodeError::Schema`] with the path of the first field found wrong (e.g. `v[0].dn`, `nam.fnt`,
    /// `$` for the whole payload) and what is wrong with it.
    pub fn from_json(dcc: &Value) -> Result<(Self, Vec<Warning>), DecodeError> {
        Self::from_node(&Node::from_json(dcc))
    }

    /// [`Hcert::from_json`] over the payload as read from CBOR: the verifier's path.
    pub(crate) fn from_node(dcc: &Node<'_>) -> Result<(Self, Vec<Warning>), DecodeError> {
        let mut warnings = Vec::new();
        let root = Obj::new(dcc, "")?;
        let ver = root.str("ver", None)?;
        if !is_version(&ver) {
            return Err(root.err("ver", "not a version (N.N.N)"));
        }
        let schema = SchemaVersion::for_version(&ver);
        let name = PersonName::parse(&Obj::new(root.required("nam")?, "nam")?, schema)?;
        let dob = DateOfBirth::parse(root.text("dob", None)?, schema.dob, &mut warnings)
            .map_err(|detail| root.err("dob", detail))?;
        let entry = Entry::parse(&root, schema, &mut warnings)?;
        Ok((
            Self {
                ver,
                name,
                dob,
                entry,
            },
            warnings,
        ))
    }

    /// `ver`: the schema version as written, e.g. `1.3.0`.
    pub fn ver(&self) -> &str {
        &self.ver
    }

    /// `nam`: the holder's name.
    pub const fn name(&self) -> &PersonName {
        &self.name
    }

    /// `dob`: the holder's date of birth.
    pub const fn dob(&self) -> &DateOfBirth {
        &self.dob
    }

    /// The one vaccination, test or recovery entry.
    pub const fn entry(&self) -> &Entry {
        &self.entry
    }

    /// Which kind of entry the certificate holds.
    pub const fn entry_type(&self) -> EntryType {
        self.entry.entry_type()
    }
}

impl fmt::Debug for Hcert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hcert")
            .field("ver", &self.ver)
            .field("name", &self.name)
            .field("dob", &self.dob)
            .field("entry", &self.entry)
            .finish()
    }
}

/// The one entry of a certificate: `v[0]`, `t[0]` or `r[0]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// `v[0]`: a vaccination.
    Vaccination(Vaccination),
    /// `t[0]`: a test.
    Test(TestResult),
    /// `r[0]`: a recovery.
    Recovery(Recovery),
}

impl Entry {
    /// Which kind of entry this is.
    pub const fn entry_type(&self) -> EntryType {
        match self {
            Self::Vaccination(_) => EntryType::Vaccination,
            Self::Test(_) => EntryType::Test,
            Self::Recovery(_) => EntryType::Recovery,
        }
    }

    /// `co`: the country of vaccination or test (ISO 3166 alpha-2 where possible, e.g. `UNHCR`).
    pub fn country(&self) -> &str {
        match self {
            Self::Vaccination(v) => v.country(),
            Self::Test(t) => t.country(),
            Self::Recovery(r) => r.country(),
        }
    }

    /// `is`: the certificate issuer.
    pub fn issuer(&self) -> &str {
        match self {
            Self::Vaccination(v) => v.issuer(),
            Self::Test(t) => t.issuer(),
            Self::Recovery(r) => r.issuer(),
        }
    }

    /// `ci`: the unique certificate identifier (UVCI). Personal data: never log it.
    pub fn certificate_id(&self) -> &str {
        match self {
            Self::Vaccination(v) => v.certificate_id(),
            Self::Test(t) => t.certificate_id(),
            Self::Recovery(r) => r.certificate_id(),
        }
    }

    fn parse(
        root: &Obj<'_, '_>,
        schema: SchemaVersion,
        warnings: &mut Vec<Warning>,
    ) -> Result<Self, DecodeError> {
        let mut present = GROUPS.iter().filter(|group| root.get(group.key).is_some());
        let (Some(group), None) = (present.next(), present.next()) else {
            return Err(root.err("$", "expected exactly one of v, t, r"));
        };
        let items = root.required(group.key)?;
        let items = items
            .as_array()
            .ok_or_else(|| root.err(group.key, "not an array"))?;
        let item = match items {
            [item] => item,
            [] => return Err(root.err(group.key, "empty")),
            _ => return Err(root.err(group.key, "more than one entry")),
        };
        let fields = Obj::new(item, group.first)?;
        Ok(match group.kind {
            EntryType::Vaccination => {
                Self::Vaccination(Vaccination::parse(&fields, schema, warnings)?)
            }
            EntryType::Test => Self::Test(TestResult::parse(&fields, schema, warnings)?),
            EntryType::Recovery => Self::Recovery(Recovery::parse(&fields, schema, warnings)?),
        })
    }
}

/// A vaccination entry (`v[0]`). Codes are from the EU value sets and are not checked against
/// them (the schemas only name the value sets).
///
/// ```json
/// "vaccination_entry": { "required": ["tg", "vp", "mp", "ma", "dn", "sd", "dt", "co", "is", "ci"] }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Vaccination {
    /// `tg`, `vp`, `mp`, `ma`, `co`, `is`, `ci`.
    texts: Texts<7>,
    dose_number: u32,
    total_doses: u32,
    date: Date,
}

impl Vaccination {
    const TG: usize = 0;
    const VP: usize = 1;
    const MP: usize = 2;
    const MA: usize = 3;
    const CO: usize = 4;
    const IS: usize = 5;
    const CI: usize = 6;

    /// `tg`: the disease or agent targeted (e.g. `840539006`, COVID-19).
    pub fn disease(&self) -> &str {
        self.texts.required(Self::TG)
    }

    /// `vp`: the vaccine or prophylaxis (e.g. `1119349007`, an mRNA vaccine).
    pub fn vaccine(&self) -> &str {
        self.texts.required(Self::VP)
    }

    /// `mp`: the medicinal product (e.g. `EU/1/20/1528`).
    pub fn product(&self) -> &str {
        self.texts.required(Self::MP)
    }

    /// `ma`: the marketing authorisation holder or manufacturer (e.g. `ORG-100030215`).
    pub fn manufacturer(&self) -> &str {
        self.texts.required(Self::MA)
    }

    /// `dn`: the dose number, at least 1.
    pub const fn dose_number(&self) -> u32 {
        self.dose_number
    }

    /// `sd`: the total number of doses in the series, at least 1.
    pub const fn total_doses(&self) -> u32 {
        self.total_doses
    }

    /// `dt`: the date of vaccination.
    pub const fn date(&self) -> Date {
        self.date
    }

    /// `co`: the country of vaccination.
    pub fn country(&self) -> &str {
        self.texts.required(Self::CO)
    }

    /// `is`: the certificate issuer.
    pub fn issuer(&self) -> &str {
        self.texts.required(Self::IS)
    }

    /// `ci`: the unique certificate identifier (UVCI). Personal data: never log it.
    pub fn certificate_id(&self) -> &str {
        self.texts.required(Self::CI)
    }

    fn parse(
        e: &Obj<'_, '_>,
        schema: SchemaVersion,
        warnings: &mut Vec<Warning>,
    ) -> Result<Self, DecodeError> {
        // In schema order: the first field found wrong is the one reported.
        let (tg, vp) = (e.text("tg", None)?, e.text("vp", None)?);
        let (mp, ma) = (e.text("mp", None)?, e.text("ma", None)?);
        let dose_number = e.dose("dn", schema.max_dose, warnings)?;
        let total_doses = e.dose("sd", schema.max_dose, warnings)?;
        let date = e.date("dt", warnings)?;
        let co = e.country()?;
        let is = e.text("is", Some(schema.max_len))?;
        let ci = e.text("ci", Some(schema.max_len))?;
        Ok(Self {
            texts: Texts::new([tg, vp, mp, ma, co, is, ci].map(Some)),
            dose_number,
            total_doses,
            date,
        })
    }
}

impl fmt::Debug for Vaccination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vaccination")
            .field("disease", &self.disease())
            .field("vaccine", &self.vaccine())
            .field("product", &self.product())
            .field("manufacturer", &self.manufacturer())
            .field("dose_number", &self.dose_number)
            .field("total_doses", &self.total_doses)
            .field("date", &self.date)
            .field("country", &self.country())
            .field("issuer", &self.issuer())
            .field("certificate_id", &Redacted)
            .finish()
    }
}

/// A test entry (`t[0]`).
///
/// ```json
/// "test_entry": { "required": ["tg", "tt", "sc", "tr", "co", "is", "ci"] }
/// ```
/// (`tc` is required too up to schema 1.2.1.)
#[derive(Clone, PartialEq, Eq)]
pub struct TestResult {
    /// `tg`, `tt`, `nm`, `ma`, `tr`, `tc`, `co`, `is`, `ci`.
    texts: Texts<9>,
    sample_collected: UnixTime,
    result_at: Option<UnixTime>,
}

impl TestResult {
    const TG: usize = 0;
    const TT: usize = 1;
    const NM: usize = 2;
    const MA: usize = 3;
    const TR: usize = 4;
    const TC: usize = 5;
    const CO: usize = 6;
    const IS: usize = 7;
    const CI: usize = 8;

    /// `tg`: the disease or agent targeted (e.g. `840539006`, COVID-19).
    pub fn disease(&self) -> &str {
        self.texts.required(Self::TG)
    }

    /// `tt`: the type of test (e.g. `LP6464-4`, NAAT; `LP217198-3`, rapid antigen test).
    pub fn test_type(&self) -> &str {
        self.texts.required(Self::TT)
    }

    /// `nm`: the NAA test name, if given.
    pub fn test_name(&self) -> Option<&str> {
        self.texts.get(Self::NM)
    }

    /// `ma`: the rapid antigen test device identifier, if given.
    pub fn test_device(&self) -> Option<&str> {
        self.texts.get(Self::MA)
    }

    /// `sc`: when the sample was collected.
    pub const fn sample_collected(&self) -> UnixTime {
        self.sample_collected
    }

    /// `dr`: when the result was produced (schemas 1.0.0 to 1.1.0 only; ignored afterwards).
    pub const fn result_at(&self) -> Option<UnixTime> {
        self.result_at
    }

    /// `tr`: the test result (e.g. `260415000`, not detected).
    pub fn result(&self) -> &str {
        self.texts.required(Self::TR)
    }

    /// `tc`: the testing centre, if given (required up to schema 1.2.1).
    pub fn testing_centre(&self) -> Option<&str> {
        self.texts.get(Self::TC)
    }

    /// `co`: the country of test.
    pub fn country(&self) -> &str {
        self.texts.required(Self::CO)
    }

    /// `is`: the certificate issuer.
    pub fn issuer(&self) -> &str {
        self.texts.required(Self::IS)
    }

    /// `ci`: the unique certificate identifier (UVCI). Personal data: never log it.
    pub fn certificate_id(&self) -> &str {
        self.texts.required(Self::CI)
    }

    fn parse(
        e: &Obj<'_, '_>,
        schema: SchemaVersion,
        warnings: &mut Vec<Warning>,
    ) -> Result<Self, DecodeError> {
        // In schema order: the first field found wrong is the one reported.
        let (tg, tt) = (e.text("tg", None)?, e.text("tt", None)?);
        let nm = e.opt_text("nm", schema.nm_max_len)?;
        let ma = e.opt_text("ma", None)?;
        let sample_collected = e.date_time("sc", warnings)?;
        let result_at = match schema.has_dr {
            true => e.opt_date_time("dr", warnings)?,
            false => None,
        };
        let tr = e.text("tr", None)?;
        let tc = match schema.tc_required {
            true => Some(e.text("tc", Some(schema.max_len))?),
            false => e.opt_text("tc", Some(schema.max_len))?,
        };
        let co = e.country()?;
        let is = e.text("is", Some(schema.max_len))?;
        let ci = e.text("ci", Some(schema.max_len))?;
        Ok(Self {
            texts: Texts::new([
                Some(tg),
                Some(tt),
                nm,
                ma,
                Some(tr),
                tc,
                Some(co),
                Some(is),
                Some(ci),
            ]),
            sample_collected,
            result_at,
        })
    }
}

impl fmt::Debug for TestResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestResult")
            .field("disease", &self.disease())
            .field("test_type", &self.test_type())
            .field("test_name", &self.test_name())
            .field("test_device", &self.test_device())
            .field("sample_collected", &self.sample_collected)
            .field("result_at", &self.result_at)
            .field("result", &self.result())
            .field("testing_centre", &self.testing_centre())
            .field("country", &self.country())
            .field("issuer", &self.issuer())
            .field("certificate_id", &Redacted)
            .finish()
    }
}

/// A recovery entry (`r[0]`).
///
/// ```json
/// "recovery_entry": { "required": ["tg", "fr", "co", "is", "df", "du", "ci"] }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Recovery {
    /// `tg`, `co`, `is`, `ci`.
    texts: Texts<4>,
    first_positive: Date,
    valid_from: Date,
    valid_until: Date,
}

impl Recovery {
    const TG: usize = 0;
    const CO: usize = 1;
    const IS: usize = 2;
    const CI: usize = 3;

    /// `tg`: the disease or agent targeted (e.g. `840539006`, COVID-19).
    pub fn disease(&self) -> &str {
        self.texts.required(Self::TG)
    }

    /// `fr`: the date of the first positive NAA test result.
    pub const fn first_positive(&self) -> Date {
        self.first_positive
    }

    /// `co`: the country of test.
    pub fn country(&self) -> &str {
        self.texts.required(Self::CO)
    }

    /// `is`: the certificate issuer.
    pub fn issuer(&self) -> &str {
        self.texts.required(Self::IS)
    }

    /// `df`: the first day the certificate is valid.
    pub const fn valid_from(&self) -> Date {
        self.valid_from
    }

    /// `du`: the last day the certificate is valid.
    pub const fn valid_until(&self) -> Date {
        self.valid_until
    }

    /// `ci`: the unique certificate identifier (UVCI). Personal data: never log it.
    pub fn certificate_id(&self) -> &str {
        self.texts.required(Self::CI)
    }

    fn parse(
        e: &Obj<'_, '_>,
        schema: SchemaVersion,
        warnings: &mut Vec<Warning>,
    ) -> Result<Self, DecodeError> {
        // In schema order: the first field found wrong is the one reported.
        let tg = e.text("tg", None)?;
        let first_positive = e.date("fr", warnings)?;
        let co = e.country()?;
        let is = e.text("is", Some(schema.max_len))?;
        let valid_from = e.date("df", warnings)?;
        let valid_until = e.date("du", warnings)?;
        let ci = e.text("ci", Some(schema.max_len))?;
        Ok(Self {
            texts: Texts::new([tg, co, is, ci].map(Some)),
            first_positive,
            valid_from,
            valid_until,
        })
    }
}

impl fmt::Debug for Recovery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recovery")
            .field("disease", &self.disease())
            .field("first_positive", &self.first_positive)
            .field("country", &self.country())
            .field("issuer", &self.issuer())
            .field("valid_from", &self.valid_from)
            .field("valid_until", &self.valid_until)
            .field("certificate_id", &Redacted)
            .finish()
    }
}

/// The holder's name (`nam`). Personal data: its `Debug` output is redacted.
///
/// ```json
/// "person_name": { "required": ["fnt"], "properties": {
///   "fn": { "maxLength": 80 }, "fnt": { "pattern": "^[A-Z<]*$", "maxLength": 80 },
///   "gn": { "maxLength": 80 }, "gnt": { "pattern": "^[A-Z<]*$", "maxLength": 80 } } }
/// ```
/// (`maxLength` is 50 up to schema 1.2.1.)
#[derive(Clone, PartialEq, Eq)]
pub struct PersonName {
    /// `fn`, `fnt`, `gn`, `gnt`.
    texts: Texts<4>,
}

impl PersonName {
    const FN: usize = 0;
    const FNT: usize = 1;
    const GN: usize = 2;
    const GNT: usize = 3;

    /// `fn`: the surname(s) as written, if given.
    pub fn surname(&self) -> Option<&str> {
        self.texts.get(Self::FN)
    }

    /// `fnt`: the surname(s) transliterated as in ICAO 9303 (`A`-`Z` and `<`; may be empty).
    /// Always present before schema 1.3.2; from 1.3.2 on a name may consist of `gnt` alone.
    pub fn surname_std(&self) -> Option<&str> {
        self.texts.get(Self::FNT)
    }

    /// `gn`: the forename(s) as written, if given.
    pub fn forename(&self) -> Option<&str> {
        self.texts.get(Self::GN)
    }

    /// `gnt`: the forename(s) transliterated as in ICAO 9303, if given.
    pub fn forename_std(&self) -> Option<&str> {
        self.texts.get(Self::GNT)
    }

    fn parse(nam: &Obj<'_, '_>, schema: SchemaVersion) -> Result<Self, DecodeError> {
        let max_len = schema.max_len;
        let surname = nam.opt_text("fn", Some(max_len))?;
        let surname_std = nam.std_name("fnt", max_len)?;
        let forename = nam.opt_text("gn", Some(max_len))?;
        let forename_std = nam.std_name("gnt", max_len)?;
        // Schemas up to 1.3.1 require `fnt`; 1.3.2 and later require `fnt` or `gnt`.
        let has_std_name = match schema.fnt_required {
            true => surname_std.is_some(),
            false => surname_std.is_some() || forename_std.is_some(),
        };
        if has_std_name {
            Ok(Self {
                texts: Texts::new([surname, surname_std, forename, forename_std]),
            })
        } else {
            Err(nam.err("fnt", MISSING))
        }
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PersonName").field(&Redacted).finish()
    }
}

/// The date of birth (`dob`) as written, with the parts that are known. Personal data: its
/// `Debug` output is redacted.
///
/// ```json
/// "dob": { "type": "string", "pattern": "^((19|20)\\d\\d(-\\d\\d){0,2}){0,1}$" }
/// ```
/// (1.3.0; 1.1.0 to 1.2.1 do not allow `""`, and 1.0.x asks for a full date.)
#[derive(Clone, PartialEq, Eq)]
pub struct DateOfBirth {
    text: String,
    year: Option<u16>,
    month: Option<u8>,
    day: Option<u8>,
}

impl DateOfBirth {
    /// As written: `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or `""` (see [`Warning::TimeOfDayDropped`]
    /// for the one case where the text holds more than the date).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The year (1900 to 2099), unless the date of birth is empty.
    pub const fn year(&self) -> Option<u16> {
        self.year
    }

    /// The month (1 to 12), if known.
    pub const fn month(&self) -> Option<u8> {
        self.month
    }

    /// The day of the month, if known.
    pub const fn day(&self) -> Option<u8> {
        self.day
    }

    /// The full date, when year, month and day are all known.
    pub fn date(&self) -> Option<Date> {
        Date::new(self.year?, self.month?, self.day?)
    }

    fn parse(text: &str, rule: DobRule, warnings: &mut Vec<Warning>) -> Result<Self, &'static str> {
        let mut dob = Self {
            text: text.to_owned(),
            year: None,
            month: None,
            day: None,
        };
        match rule {
            DobRule::FullDate => {
                let (date, time_dropped) =
                    parse_date_lenient(text).ok_or("not a date (YYYY-MM-DD)")?;
                if time_dropped {
                    warnings.push(Warning::TimeOfDayDropped {
                        path: "dob".to_owned(),
                    });
                }
                (dob.year, dob.month, dob.day) =
                    (Some(date.year), Some(date.month), Some(date.day));
            }
            DobRule::PartialOrEmpty if text.is_empty() => {}
            DobRule::Partial | DobRule::PartialOrEmpty => dob.read_parts(warnings)?,
        }
        if !dob.year.is_none_or(|year| (1900..=2099).contains(&year)) {
            return Err("year outside 1900-2099");
        }
        Ok(dob)
    }

    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD` from `self.text`; a `00` month or day is unknown.
    fn read_parts(&mut self, warnings: &mut Vec<Warning>) -> Result<(), &'static str> {
        const FORMAT: &str = "not YYYY-MM-DD, YYYY-MM or YYYY";
        let mut parts = [None; 3];
        for (index, part) in self.text.split('-').enumerate() {
            let width = if index == 0 { 4 } else { 2 };
            let slot = parts.get_mut(index).ok_or(FORMAT)?;
            if part.len() != width {
                return Err(FORMAT);
            }
            *slot = Some(decimal(part.as_bytes()).ok_or(FORMAT)?);
        }
        let [year, month, day] = parts;
        self.year = year;
        let (Some(year), Some(month)) = (year, month) else {
            return Ok(());
        };
        if month == 0 {
            warnings.push(Warning::DobZeroPart);
            return Ok(());
        }
        let month = u8::try_from(month)
            .ok()
            .filter(|m| *m <= 12)
            .ok_or("month outside 01-12")?;
        self.month = Some(month);
        match day {
            None => {}
            Some(0) => warnings.push(Warning::DobZeroPart),
            Some(day) => {
                let date = u8::try_from(day)
                    .ok()
                    .and_then(|day| Date::new(year, month, day));
                self.day = Some(date.ok_or("no such day in that month")?.day);
            }
        }
        Ok(())
    }
}

impl fmt::Debug for DateOfBirth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DateOfBirth").field(&Redacted).finish()
    }
}

/// A calendar date (`YYYY-MM-DD`, JSON Schema `format: date`): always a day that exists, in the
/// years 0000 to 9999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
    midnight: UnixTime,
}

impl Date {
    /// The date, if that day exists.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let midnight = UnixTime::from_date(i64::from(year), u32::from(month), u32::from(day))?;
        Some(Self {
            year,
            month,
            day,
            midnight,
        })
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
            return None;
        }
        let year = decimal(bytes.get(..4)?)?;
        let month = u8::try_from(decimal(bytes.get(5..7)?)?).ok()?;
        let day = u8::try_from(decimal(bytes.get(8..)?)?).ok()?;
        Self::new(year, month, day)
    }

    /// The year.
    pub const fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub const fn day(self) -> u8 {
        self.day
    }

    /// 00:00:00 UTC on this day.
    pub const fn midnight_utc(self) -> UnixTime {
        self.midnight
    }
}

/// `YYYY-MM-DD`.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

const MISSING: &str = "required field missing";

/// How `dob` is constrained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DobRule {
    /// `format: date` (and the unanchored pattern `(19|20)\d{2}-\d{2}-\d{2}`): 1.0.x.
    FullDate,
    /// `^(19|20)\d\d(-\d\d){0,2}$`: 1.1.0 to 1.2.1.
    Partial,
    /// `^((19|20)\d\d(-\d\d){0,2}){0,1}$`: 1.3.0.
    PartialOrEmpty,
}

/// The constraints that differ between schema versions (see the table in the module docs).
#[derive(Clone, Copy, Debug)]
struct SchemaVersion {
    /// `maxLength` of `fn`, `fnt`, `gn`, `gnt`, `is`, `ci` and `tc`.
    max_len: usize,
    dob: DobRule,
    /// `maximum` of `dn` and `sd`.
    max_dose: Option<u32>,
    tc_required: bool,
    /// Whether `dr` (date-time of the test result) is a schema field.
    has_dr: bool,
    /// `maxLength` of `nm`.
    nm_max_len: Option<usize>,
    /// Whether `nam` requires `fnt` (until 1.3.1) or `fnt` or `gnt` (from 1.3.2).
    fnt_required: bool,
}

impl SchemaVersion {
    const V1_0: Self = Self {
        max_len: 50,
        dob: DobRule::FullDate,
        max_dose: Some(9),
        tc_required: true,
        has_dr: true,
        nm_max_len: None,
        fnt_required: true,
    };
    const V1_1: Self = Self {
        dob: DobRule::Partial,
        ..Self::V1_0
    };
    const V1_2: Self = Self {
        has_dr: false,
        ..Self::V1_1
    };
    const V1_3: Self = Self {
        max_len: 80,
        dob: DobRule::PartialOrEmpty,
        max_dose: None,
        tc_required: false,
        has_dr: false,
        nm_max_len: Some(80),
        fnt_required: true,
    };
    const V1_3_2: Self = Self {
        fnt_required: false,
        ..Self::V1_3
    };

    /// The schema of that release; 1.3.0 for any version without a published schema, as the
    /// conformance runner does. (1.3.2 and 1.3.3 only relax `nam`, so they are modelled too:
    /// their own examples have names with `gnt` alone.)
    fn for_version(ver: &str) -> Self {
        match ver {
            "1.0.0" | "1.0.1" => Self::V1_0,
            "1.1.0" => Self::V1_1,
            "1.2.0" | "1.2.1" => Self::V1_2,
            "1.3.2" | "1.3.3" => Self::V1_3_2,
            _ => Self::V1_3,
        }
    }
}

/// `ver`: `^\d+.\d+.\d+$`, read with literal dots.
fn is_version(ver: &str) -> bool {
    let mut parts = 0usize;
    ver.split('.').all(|part| {
        parts = parts.saturating_add(1);
        !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit())
    }) && parts == 3
}

/// The value of 1 to 4 ASCII digits.
fn decimal(digits: &[u8]) -> Option<u16> {
    if digits.is_empty() || digits.len() > 4 {
        return None;
    }
    digits.iter().try_fold(0u16, |acc, &b| {
        let digit = b.is_ascii_digit().then(|| b.saturating_sub(b'0'))?;
        acc.checked_mul(10)?.checked_add(u16::from(digit))
    })
}

/// A date, or a date-time of which only the date is kept: `(date, whether a time was dropped)`.
fn parse_date_lenient(text: &str) -> Option<(Date, bool)> {
    if let Some(date) = Date::parse(text) {
        return Some((date, false));
    }
    let date = Date::parse(text.get(..10)?)?;
    parse_date_time(text)?;
    Some((date, true))
}

/// An ISO 8601 date with a time of day (as [`UnixTime::parse_rfc3339`] reads it): the instant,
/// and whether the text had a UTC offset.
fn parse_date_time(text: &str) -> Option<(UnixTime, bool)> {
    let time_of_day = text.get(11..).filter(|t| !t.is_empty())?;
    let instant = UnixTime::parse_rfc3339(text)?;
    let has_offset = time_of_day.ends_with(['Z', 'z']) || time_of_day.contains(['+', '-']);
    Some((instant, has_offset))
}

/// `f` as an integer, when it is a whole number in the range of `u32` (e.g. `2.0`).
#[allow(
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)] // safe: whole and in range, checked first
fn whole_u32(f: f64) -> Option<u32> {
    (f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&f)).then_some(f as u32)
}

/// Stands in for personal data in `Debug` output.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A JSON object being read, with its path for error messages (`""` for the root).
struct Obj<'a, 'b> {
    map: &'a [(Cow<'b, str>, Node<'b>)],
    at: &'static str,
}

impl<'a, 'b> Obj<'a, 'b> {
    fn new(value: &'a Node<'b>, at: &'static str) -> Result<Self, DecodeError> {
        match value.as_map() {
            Some(map) => Ok(Self { map, at }),
            None => Err(schema_error(
                if at.is_empty() { "$" } else { at }.to_owned(),
                "not an object",
            )),
        }
    }

    fn path(&self, field: &str) -> String {
        if self.at.is_empty() {
            field.to_owned()
        } else {
            format!("{}.{field}", self.at)
        }
    }

    fn err(&self, field: &str, detail: &'static str) -> DecodeError {
        schema_error(self.path(field), detail)
    }

    fn get(&self, field: &str) -> Option<&'a Node<'b>> {
        self.map
            .iter()
            .find_map(|(key, value)| same_key(key, field).then_some(value))
    }

    fn required(&self, field: &str) -> Result<&'a Node<'b>, DecodeError> {
        self.get(field).ok_or_else(|| self.err(field, MISSING))
    }

    /// An optional string of at most `max_chars` characters (JSON Schema counts code points).
    fn opt_text(
        &self,
        field: &str,
        max_chars: Option<usize>,
    ) -> Result<Option<&'a str>, DecodeError> {
        let Some(value) = self.get(field) else {
            return Ok(None);
        };
        let text = value
            .as_str()
            .ok_or_else(|| self.err(field, "not a string"))?;
        if max_chars.is_some_and(|max| text.chars().count() > max) {
            return Err(self.err(field, "longer than the schema's maxLength"));
        }
        Ok(Some(text))
    }

    fn text(&self, field: &str, max_chars: Option<usize>) -> Result<&'a str, DecodeError> {
        self.opt_text(field, max_chars)?
            .ok_or_else(|| self.err(field, MISSING))
    }

    fn str(&self, field: &str, max_chars: Option<usize>) -> Result<String, DecodeError> {
        self.text(field, max_chars).map(str::to_owned)
    }

    /// `fnt` or `gnt`: `^[A-Z<]*$`.
    fn std_name(&self, field: &str, max_chars: usize) -> Result<Option<&'a str>, DecodeError> {
        let name = self.opt_text(field, Some(max_chars))?;
        if name
            .as_ref()
            .is_some_and(|n| !n.bytes().all(|b| b.is_ascii_uppercase() || b == b'<'))
        {
            return Err(self.err(field, "not ICAO 9303 transliterated (A-Z and <)"));
        }
        Ok(name)
    }

    /// `co`: `[A-Z]{1,10}`, read as anchored.
    fn country(&self) -> Result<&'a str, DecodeError> {
        let country = self.text("co", None)?;
        if !(1..=10).contains(&country.len()) || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(self.err("co", "not 1 to 10 capital letters"));
        }
        Ok(country)
    }

    /// `format: date`, see [`parse_date_lenient`].
    fn date(&self, field: &str, warnings: &mut Vec<Warning>) -> Result<Date, DecodeError> {
        let text = self.text(field, None)?;
        let (date, time_dropped) =
            parse_date_lenient(text).ok_or_else(|| self.err(field, "not a date (YYYY-MM-DD)"))?;
        if time_dropped {
            warnings.push(Warning::TimeOfDayDropped {
                path: self.path(field),
            });
        }
        Ok(date)
    }

    /// `format: date-time`, see [`parse_date_time`].
    fn opt_date_time(
        &self,
        field: &str,
        warnings: &mut Vec<Warning>,
    ) -> Result<Option<UnixTime>, DecodeError> {
        let Some(text) = self.opt_text(field, None)? else {
            return Ok(None);
        };
        let (instant, has_offset) = parse_date_time(text)
            .ok_or_else(|| self.err(field, "not a date-time (YYYY-MM-DDThh:mm:ssZ)"))?;
        if !has_offset {
            warnings.push(Warning::UtcOffsetMissing {
                path: self.path(field),
            });
        }
        Ok(Some(instant))
    }

    fn date_time(&self, field: &str, warnings: &mut Vec<Warning>) -> Result<UnixTime, DecodeError> {
        self.opt_date_time(field, warnings)?
            .ok_or_else(|| self.err(field, MISSING))
    }

    /// `dn` or `sd`: `{ "type": "integer", "minimum": 1 }`, and `"maximum": 9` up to 1.2.1.
    fn dose(
        &self,
        field: &str,
        max: Option<u32>,
        warnings: &mut Vec<Warning>,
    ) -> Result<u32, DecodeError> {
        let dose = match self.required(field)? {
            Node::Int(int) if *int < 0 => 0, // below the minimum
            Node::Int(int) => u32::try_from(*int).map_err(|_| self.err(field, "too large"))?,
            Node::Float(float) => {
                let float = Some(*float).filter(|f| f.fract() == 0.0);
                let float = float.ok_or_else(|| self.err(field, "not an integer"))?;
                warnings.push(Warning::FloatAsInteger {
                    path: self.path(field),
                });
                if float < 1.0 {
                    0
                } else {
                    whole_u32(float).ok_or_else(|| self.err(field, "too large"))?
                }
            }
            _ => return Err(self.err(field, "not an integer")),
        };
        if dose < 1 {
            return Err(self.err(field, "less than 1"));
        }
        if max.is_some_and(|max| dose > max) {
            return Err(self.err(field, "greater than the schema's maximum"));
        }
        Ok(dose)
    }
}

fn schema_error(path: String, detail: &'static str) -> DecodeError {
    DecodeError::Schema { path, detail }
}

#[cfg(test)]
mod tests;
