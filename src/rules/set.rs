//! The rule sets a verifier holds by name, one engine each.

use super::eu::EuRules;
use super::france::Rules;

/// A set of acceptance rules a verifier can hold under a name and apply per scan.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum RuleSet {
    /// A French pass-sanitaire or pass-vaccinal rule set.
    France(Rules),
    /// EU business rules (any countries; the arrival country is chosen per scan).
    Eu(EuRules),
}
