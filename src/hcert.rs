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
