#!/usr/bin/env bash
# Coverage-guided fuzzing of one entry point, seeded from the generated fixtures.
# Usage: fuzz/run.sh TARGET [SECONDS]
#   TARGET: qr_text | cose_bytes | trust_list | bloom_filter | hash_list | keyset
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`); crashes land in
# fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-60}
corpus=fuzz/corpus/$target
mkdir -p "$corpus"

case "$target" in
  qr_text)
    for f in fixtures/passes/*.txt; do tr -d '\n' < "$f" > "$corpus/seed-$(basename "$f" .txt)"; done ;;
  cose_bytes)
    # The COSE messages inside the fixture passes: undo the prefix, base45 and zlib.
    python3 - "$corpus" fixtures/passes/*.txt <<'PY'
import sys, zlib, pathlib
alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
def b45(s):
    out = bytearray()
    for i in range(0, len(s), 3):
        c = s[i:i + 3]
        n = sum(alphabet.index(ch) * 45 ** k for k, ch in enumerate(c))
        out += n.to_bytes(2 if len(c) == 3 else 1, "big")
    return bytes(out)
for path in sys.argv[2:]:
    text = pathlib.Path(path).read_text().strip()
    try:
        cose = zlib.decompress(b45(text[4:]))
    except Exception:
        continue  # the fixtures that are broken before the COSE layer
    (pathlib.Path(sys.argv[1]) / ("seed-" + pathlib.Path(path).stem)).write_bytes(cose)
PY
    ;;
  trust_list)
    for f in fixtures/trust/*; do cp "$f" "$corpus/seed-$(basename "$f")"; done ;;
  bloom_filter | hash_list)
    # Slices from the revocation SPEC's worked examples (a server-style Bloom slice of one hash,
    # an Android hash-list slice), plus every slice in the shared derived vectors if present.
    printf '00012c002b8cbccc0000000100000001000000025212335837e67fe9' | xxd -r -p > "$corpus/seed-spec-bloom"
    printf '00012b8cbccc00000001042a503f7c' | xxd -r -p > "$corpus/seed-spec-hashlist"
    printf '1c5e43ef270a095db057daf058a7aea88eb35734389a848dd361ab9d75b47708\n' > "$corpus/seed-blocklist"
    vectors=${DCC_SHARED_DIR:-../shared}/revocation/vectors
    if [ -d "$vectors" ]; then
      python3 - "$corpus" "$vectors" <<'PY'
import json, pathlib, re, sys
out, vectors = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for path in vectors.rglob("*.json"):
    for i, blob in enumerate(re.findall(r'"(?:[a-z_0-9-]*slice[a-z_0-9-]*|serialized)_hex"\s*:\s*"([0-9a-f]+)"', path.read_text())):
        (out / f"seed-{path.stem}-{i}").write_bytes(bytes.fromhex(blob))
PY
    fi ;;
  keyset)
    # Key sets built from the fixture trust list: unsigned, and signed by the fixture signer.
    cargo run --quiet --features cli --bin dcc-verify -- keyset build --trust fixtures/trust/trustlist.json \
      --issued-at 1630454400 -o "$corpus/seed-fixtures"
    cargo run --quiet --features cli --bin dcc-verify -- keyset build --trust fixtures/trust/trustlist.json \
      --issued-at 1630454400 --sign-key fixtures/keys/es256.key.pem -o "$corpus/seed-fixtures-signed" ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac

cd fuzz
cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=8192
