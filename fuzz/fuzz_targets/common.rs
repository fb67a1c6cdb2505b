// Shared by the fuzz targets: a verifier trusting the generated fixture signers, so that
// mutated inputs reach the signature and payload checks, not only the decoders.

use dcc_verifier::revocation::{Blocklist, Filter, HashType, RevocationStore, Slice};
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

/// A revocation store holding one blocklisted hash for `hash_types`, so that the revocation
/// lookup runs on every input that gets that far.
#[allow(dead_code)] // not every target looks revocation up
pub fn one_hash_revocation(hash_types: impl IntoIterator<Item = HashType>) -> RevocationStore {
    let blocklist = Blocklist::from_hex_lines(
        b"1c5e43ef270a095db057daf058a7aea88eb35734389a848dd361ab9d75b47708\n",
    )
    .expect("one hex hash loads");
    let mut store = RevocationStore::new();
    store.add(Slice::new(Filter::Blocklist(blocklist), hash_types, "fuzz").expect("hash types given"));
    store
}
