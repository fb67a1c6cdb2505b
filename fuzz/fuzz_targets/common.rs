// Shared by the fuzz targets: a verifier trusting the generated fixture signers, so that
// mutated inputs reach the signature and payload checks, not only the decoders.

use dcc_verifier::{TrustStore, UnixTime, Verifier};

pub fn verifier() -> Verifier {
    let mut trust = TrustStore::new();
    trust
        .add_bytes(include_bytes!("../../fixtures/trust/trustlist.json"))
        .expect("fixture trust list loads");
    Verifier::new(trust)
}

/// 2021-09-01T00:00:00Z, the time the fixtures are valid at.
pub const NOW: UnixTime = UnixTime::from_secs(1_630_454_400);
