//! What a refused load of rules or value sets says.

/// Why rules or value sets were refused. Nothing of a refused load is kept.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EuRulesError {
    /// Not JSON, or not a rule or list of rules.
    #[error("rules: {detail}")]
    Format {
        /// What is wrong.
        detail: String,
    },
    /// One rule is invalid (including its CertLogic, with the JSON path).
    #[error("rule {id}: {detail}")]
    Rule {
        /// The rule's `Identifier`.
        id: String,
        /// What is wrong.
        detail: String,
    },
    /// A rule's bytes do not hash to the Gateway's `hash`.
    #[error("rule {id}: SHA-256 of the bytes served is not the hash listed")]
    HashMismatch {
        /// The rule's `Identifier`, or the hash when the bytes are not a rule.
        id: String,
    },
    /// The value sets are unreadable.
    #[error("value sets: {detail}")]
    ValueSets {
        /// What is wrong.
        detail: String,
    },
}
