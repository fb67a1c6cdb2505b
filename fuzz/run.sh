#!/usr/bin/env bash
# Coverage-guided fuzzing of one entry point, seeded from the generated fixtures.
# Usage: fuzz/run.sh TARGET [SECONDS]     TARGET: qr_text | cose_bytes | trust_list
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
  *) echo "unknown target $target" >&2; exit 2 ;;
esac

cd fuzz
cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=8192
