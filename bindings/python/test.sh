#!/usr/bin/env bash
# The Python binding tests, against wheels built with maturin (bindings/python/build-wheel.sh)
# and installed with pip into fresh venvs under target/python/. Called by scripts/test-bindings.sh
# after scripts/bindings.sh --panic-probe (whose library the test wheel reuses); needs python3
# with venv (ensure-venv.sh), cargo, strip, and PyPI for the pinned tools.
#  1. The test wheel (features ffi + ffi-panic-probe, dev profile). Its library must be the one
#     cargo built and its generated module what uniffi-bindgen writes for it with
#     uniffi.toml (so, what scripts/bindings.sh generates). Then, against the
#     installed package: pytest runs test_bindings.py (JUnit XML in target/python/), mypy.stubtest
#     checks the stub, and mypy --strict checks typing_sample.py and the README's snippet.
#  2. The release wheel (features ffi, release profile, stripped library: what ships), in a
#     second venv: the same two checks on its library and module, a valid RECORD, the demo pass
#     verifies, and no panic probe anywhere in it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
export RUST_BACKTRACE=0   # the panic-probe test panics on purpose: keep its output short

target=${CARGO_TARGET_DIR:-$repo/target}
out=$target/python
mkdir -p "$out"
echo "python: $(python3 --version)"
bash "$here/ensure-venv.sh"

# A fresh venv with the wheel (and extra packages) installed from it; prints nothing.
fresh_venv() {
  local venv=$1; shift
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$@"
}

# The generator's output for a library, as scripts/bindings.sh runs it (same binary, same config).
generate_reference() {
  local lib=$1 dir=$2
  rm -rf "$dir"
  "$target/debug/uniffi-bindgen" generate "$lib" --config uniffi.toml \
    --language python --out-dir "$dir" --no-format >/dev/null
}

# The wheel's library must be the one cargo built (for the release wheel, stripped), and its
# generated module byte for byte what the generator writes for that library with
# uniffi.toml.
same_as_built() {
  local venv=$1 name=$2 lib=$3
  local pkg
  pkg=$("$venv/bin/python" -c 'import dcc_verifier._ffi as m, os; print(os.path.dirname(m.__file__))')
  if ! cmp -s "$lib" "$pkg/libdcc_verifier.so"; then
    strip --strip-all -o "$out/stripped-$name.so" "$lib"
    cmp "$out/stripped-$name.so" "$pkg/libdcc_verifier.so"
  fi
  generate_reference "$lib" "$out/reference-$name"
  cmp "$out/reference-$name/dcc_verifier.py" "$pkg/dcc_verifier.py"
  echo "python: $name wheel: $(stat -c %s "$pkg/libdcc_verifier.so")-byte library from ${lib#"$repo"/}," \
    "generated module identical to uniffi-bindgen's with uniffi.toml"
}

# 1. The test wheel.
start=$SECONDS
test_wheel=$(bash "$here/build-wheel.sh" --panic-probe --out "$out/wheels-test" | tail -n 1)
echo "python: test wheel $(basename "$test_wheel"), $(stat -c %s "$test_wheel") bytes, built in $((SECONDS - start)) s"
venv=$out/venv-test
fresh_venv "$venv" "$test_wheel" -r "$here/requirements-test.txt"
same_as_built "$venv" test "$target/debug/libdcc_verifier.so"
if [ -f bindings/python/generated/dcc_verifier.py ] &&
   grep -q panic_probe bindings/python/generated/dcc_verifier.py; then
  cmp bindings/python/generated/dcc_verifier.py "$out/reference-test/dcc_verifier.py"
  echo "python: test wheel: generated module identical to bindings/python/generated/ (scripts/bindings.sh --panic-probe)"
fi

snippet=$out/readme_snippet.py
python3 scripts/readme-snippet.py python > "$snippet"
( cd "$out" && "$venv/bin/python" -m pytest -p no:cacheprovider \
    --import-mode=importlib --rootdir "$here" -v -rs --junitxml "$out/junit-python.xml" \
    "$here/test_bindings.py" )

# The stub says what the package has, and the README's snippet and typing_sample.py pass
# mypy --strict with it (typing_sample.py's `type: ignore` lines must each be an error).
( cd "$out" && "$venv/bin/python" -m mypy.stubtest dcc_verifier --mypy-config-file "$here/pyproject.toml" \
    --allowlist "$here/stubtest-allowlist.txt" --concise )
echo "python: mypy.stubtest: python/dcc_verifier/__init__.pyi matches the installed package"
typed_snippet=$out/readme_snippet_typed.py
{
  echo "import datetime"
  echo "trust_list: bytes = b''"
  echo "qr_text: str = ''"
  echo "now: datetime.datetime = datetime.datetime.now(datetime.timezone.utc)"
  cat "$snippet"
} > "$typed_snippet"
( cd "$out" && "$venv/bin/python" -m mypy --config-file "$here/pyproject.toml" --no-incremental \
    "$here/typing_sample.py" "$typed_snippet" )

# 2. The release wheel: what ships.
start=$SECONDS
release_wheel=$(bash "$here/build-wheel.sh" --release --out "$out/wheels-release" | tail -n 1)
echo "python: release wheel $(basename "$release_wheel"), $(stat -c %s "$release_wheel") bytes, built in $((SECONDS - start)) s"
venv=$out/venv-release
fresh_venv "$venv" "$release_wheel"
same_as_built "$venv" release "$target/release/libdcc_verifier.so"
( cd "$out" && "$venv/bin/python" - "$repo/fixtures/demo" "$release_wheel" <<'EOF'
import base64, datetime, hashlib, pathlib, sys, zipfile
import dcc_verifier as dcc
from dcc_verifier._ffi import dcc_verifier as native
demo = pathlib.Path(sys.argv[1])
with zipfile.ZipFile(sys.argv[2]) as wheel:  # the RECORD still matches after strip_wheel.py
    record = next(n for n in wheel.namelist() if n.endswith(".dist-info/RECORD"))
    for line in wheel.read(record).decode().splitlines():
        name, digest, size = line.split(",")
        if digest:
            data = wheel.read(name)
            sha = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert (digest, int(size)) == (f"sha256={sha}", len(data)), f"RECORD: {name}"
assert "site-packages" in dcc.__file__, dcc.__file__
lib = pathlib.Path(native.__file__).with_name("libdcc_verifier.so").read_bytes()
assert not hasattr(native, "panic_probe") and b"panic_probe" not in lib, "the probe is shipped"
at = datetime.datetime(2021, 9, 1, tzinfo=datetime.timezone.utc)
with dcc.DccVerifier([(demo / "trustlist.json").read_bytes()], dcc.Acceptance.AUTHENTICITY_ONLY()) as verifier:
    verdict = verifier.verify((demo / "valid.txt").read_text().strip(), at)
    expired = verifier.verify((demo / "expired.txt").read_text().strip(), at)
assert verdict.valid and verdict.reason is None, verdict
assert expired.reason == dcc.Reason.EXPIRED, expired
print(f"python: release wheel: dcc_verifier {dcc.__version__} installed, demo pass valid, no panic probe")
EOF
)
