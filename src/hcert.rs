//! The health certificate payload (claim -260, key 1): typed model and schema checks.

use core::fmt;

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

// TEMPORARY stub until the typed model lands (wt-hcert).
/// The entry type when exactly one of v/t/r is present.
pub fn entry_type(dcc: &serde_json::Value) -> Option<EntryType> {
    let has = |k: &str| dcc.get(k).and_then(|v| v.as_array()).is_some_and(|a| !a.is_empty());
    match (has("v"), has("t"), has("r")) {
        (true, false, false) => Some(EntryType::Vaccination),
        (false, true, false) => Some(EntryType::Test),
        (false, false, true) => Some(EntryType::Recovery),
        _ => None,
    }
}
/// Typed payload.
#[derive(Clone, Debug)]
pub struct Hcert;
/// Normalisation warning.
#[derive(Clone, Debug)]
pub enum Warning {}
impl Hcert {
    /// Parses.
    ///
    /// # Errors
    /// Schema.
    pub fn from_json(dcc: &serde_json::Value) -> Result<(Self, Vec<Warning>), crate::error::Error> {
        entry_type(dcc).map(|_| (Self, Vec::new())).ok_or(crate::error::Error::Schema { path: String::new(), detail: "x" })
    }
}
