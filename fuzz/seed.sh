#!/usr/bin/env bash
# Seeds a fuzz corpus directory from the generated fixtures (and, for some targets, from the
# shared test data if present: copied into the corpus, which is never committed).
# Usage: fuzz/seed.sh TARGET DIR
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/seed.sh TARGET DIR}
corpus=${2:?usage: fuzz/seed.sh TARGET DIR}
mkdir -p "$corpus"

case "$target" in
  qr_text)
    for f in fixtures/passes/*.txt; do tr -d '\n' < "$f" > "$corpus/seed-$(basename "$f" .txt)"; done ;;
  cose_bytes | payload)
    # The COSE messages inside the fixture passes (undo the prefix, base45 and zlib), or for
    # `payload` the CWT payload inside each of them.
    python3 - "$corpus" "$target" fixtures/passes/*.txt <<'PY'
import sys, zlib, pathlib
alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
def b45(s):
    out = bytearray()
    for i in range(0, len(s), 3):
        c = s[i:i + 3]
        n = sum(alphabet.index(ch) * 45 ** k for k, ch in enumerate(c))
        out += n.to_bytes(2 if len(c) == 3 else 1, "big")
    return bytes(out)
def item_end(b, i):
    """Index just past the CBOR data item at b[i] (definite lengths only)."""
    major, info = b[i] >> 5, b[i] & 31
    i += 1
    if info < 24:
        n = info
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        n = int.from_bytes(b[i:i + size], "big")
        i += size
    if major in (2, 3):
        return i + n
    if major == 4:
        for _ in range(n):
            i = item_end(b, i)
    elif major == 5:
        for _ in range(2 * n):
            i = item_end(b, i)
    elif major == 6:
        i = item_end(b, i)
    return i
def payload(cose):
    """The CWT payload bytes of a COSE_Sign1 (after any tags and the array header)."""
    i = 0
    while cose[i] >> 5 == 6:  # tags 61 (CWT) and 18 (COSE_Sign1)
        i += 1 if cose[i] & 31 < 24 else 2
    i = item_end(cose, item_end(cose, i + 1))  # skip the array header, protected, unprotected
    end = item_end(cose, i)
    header = 1 + {24: 1, 25: 2, 26: 4, 27: 8}.get(cose[i] & 31, 0)
    return cose[i + header:end]
out, target = pathlib.Path(sys.argv[1]), sys.argv[2]
for path in sys.argv[3:]:
    text = pathlib.Path(path).read_text().strip()
    try:
        cose = zlib.decompress(b45(text[4:]))
        if target == "payload":
            cose = payload(cose)
    except Exception:
        continue  # the fixtures that are broken before the COSE (or payload) layer
    (out / ("seed-" + pathlib.Path(path).stem)).write_bytes(cose)
PY
    ;;
  twoddoc)
    # The committed 2D-DOC fixtures, the DCC passes (the verifier routes both), and the shared
    # specimens and synthetic vectors if present (copied into the ignored corpus, never committed).
    for f in fixtures/passes/*.txt; do tr -d '\n' < "$f" > "$corpus/seed-$(basename "$f" .txt)"; done
    shared=${DCC_SHARED_DIR:-../shared}/france/vectors
    for f in fixtures/2ddoc/*.2ddoc "$shared"/2ddoc/*.2ddoc "$shared"/synthetic/*.2ddoc; do
      if [ -f "$f" ]; then cp "$f" "$corpus/seed-$(basename "$f" .2ddoc)"; fi
    done ;;
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
    # Key sets built from the fixture trust list: unsigned, and signed by the fixture signer. The
    # CLI's ordinary build, without the smoke run's RUSTC_BOOTSTRAP (which would rebuild it).
    build_keyset() {
      env -u RUSTC_BOOTSTRAP cargo run --quiet --features cli --bin dcc-verify -- keyset build \
        --trust fixtures/trust/trustlist.json --issued-at 1630454400 "$@"
    }
    build_keyset -o "$corpus/seed-fixtures"
    build_keyset --sign-key fixtures/keys/es256.key.pem -o "$corpus/seed-fixtures-signed" ;;
  image)
    # The fixture pictures (EU DCC QR codes, a 2D-DOC DataMatrix), and the EU corpus pictures
    # (base64 in each test case's 2DCODE) from ../shared if present, copied into the corpus.
    for f in fixtures/demo/*.png fixtures/2ddoc/*.png; do cp "$f" "$corpus/seed-$(basename "$f")"; done
    testdata=${DCC_SHARED_DIR:-../shared}/dgc-testdata
    if [ -d "$testdata" ]; then
      python3 - "$corpus" "$testdata" <<'PY'
import base64, json, pathlib, sys
out, root = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for path in sorted(root.rglob("*.json")):
    try:
        picture = base64.b64decode(json.loads(path.read_text()).get("2DCODE") or "")
    except (ValueError, AttributeError):
        continue
    if picture:
        name = "-".join(path.relative_to(root).with_suffix("").parts)
        (out / f"seed-{name}.png").write_bytes(picture)
PY
    fi ;;
  certlogic)
    # Expressions with data (LOGIC NUL DATA), and whole rules: the official CertLogic suites and
    # business rules from ../shared if present (copied into the corpus, never committed).
    printf '{"and":[{"<":[1,{"var":"x"},3]},{"in":["a",["a"]]}]}\0{"x":2}' > "$corpus/seed-and"
    printf '{"before":[{"plusTime":[{"var":"d"},1,"month"]},{"dccDateOfBirth":["2004-02"]}]}\0{"d":"2004-01-31"}' > "$corpus/seed-dates"
    printf '{"reduce":[{"var":"v"},{"+":[{"var":"accumulator"},1]},0]}\0{"v":[1,2]}' > "$corpus/seed-reduce"
    shared=${DCC_SHARED_DIR:-../shared}
    if [ -d "$shared/certlogic/testSuite" ]; then
      python3 - "$corpus" "$shared" <<'PY'
import json, pathlib, sys
out, shared = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
n = 0
for path in sorted((shared / "certlogic/testSuite").glob("*.json")):
    for case in json.loads(path.read_text())["cases"]:
        for a in case["assertions"]:
            expr = a.get("certLogicExpression", case.get("certLogicExpression"))
            (out / f"seed-suite-{n}").write_bytes(json.dumps(expr).encode() + b"\0" + json.dumps(a["data"]).encode())
            n += 1
for path in sorted((shared / "business-rules/rules").glob("*/*/*.json"))[:60]:
    (out / f"seed-rule-{path.parent.name}").write_bytes(path.read_bytes())
PY
    fi ;;
  drl_archive)
    # Slice archives as the service sends them (gzip around a tar of kid/id/cid/sid entries),
    # written by Python's tarfile in the ustar, GNU and PAX formats, plus bare tars.
    python3 - "$corpus" <<'PY'
import gzip, hashlib, io, pathlib, sys, tarfile
out = pathlib.Path(sys.argv[1])
bloom = bytes.fromhex("00012c002b8cbccc0000000100000001000000025212335837e67fe9")
sid = hashlib.sha256(bloom).hexdigest()
for name, fmt in [("ustar", tarfile.USTAR_FORMAT), ("gnu", tarfile.GNU_FORMAT), ("pax", tarfile.PAX_FORMAT)]:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=fmt) as tar:
        for path in [f"bMIm/1VFK1c=/null/5/{sid}", "x" * 120 + f"/null/5/{sid}"]:
            info = tarfile.TarInfo(path)
            info.size = len(bloom)
            tar.addfile(info, io.BytesIO(bloom))
    (out / f"seed-{name}.tar").write_bytes(raw.getvalue())
    (out / f"seed-{name}.tar.gz").write_bytes(gzip.compress(raw.getvalue(), mtime=0))
PY
    ;;
  drl_json)
    # The revocation SPEC's /lists and partitions examples (§4.2), in the COORDINATE shape the
    # target parses partitions for.
    printf '%s' '[{"kid":"ddUu88CmvpY=","mode":"POINT","hashTypes":["UCI","SIGNATURE"],"expires":"2023-01-01T00:00:00Z","lastUpdated":"2022-05-10T12:30:00Z"}]' > "$corpus/seed-lists"
    printf '%s' '[{"kid":"bMIm/1VFK1c=","id":"5a","x":"5","y":"a","lastUpdated":"2022-05-10T12:30:00.123456Z","expired":"2023-01-01T00:00:00Z","chunks":{"5":{"2023-01-01T00:00:00Z":{"type":"BLOOMFILTER","version":"1.0","hash":"cff43b78002d546a725612cd6ee9530f7eb86a9da323bfa067a2df5a8669ccd3"}}}}]' > "$corpus/seed-partitions" ;;
  *) echo "no seeds for $target: starting from an empty corpus" >&2 ;;
esac
