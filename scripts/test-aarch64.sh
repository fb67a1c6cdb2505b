#!/usr/bin/env bash
# Cross-builds the crate for 64-bit ARM Linux (aarch64-unknown-linux-gnu) and runs its Rust tests
# under qemu-user emulation, once with each signature backend: `ring` (its aarch64 assembly, not
# the x86_64 one the host tests run) and the default pure-Rust RustCrypto.
#
# Usage: scripts/test-aarch64.sh [--full]   (from anywhere; exits non-zero on any test failure)
#   (default)  the selection CI runs, with `--features ring` and then with no feature:
#              the library's unit tests and every integration test that needs neither the `cli`
#              nor the `image` feature (conformance corpus, fixtures, backends differential (ring
#              only), properties, COSE differential, limits, schema, revocation, rules, trust
#              lists, 2D-DOC vectors, wrong verdicts).
#   --full     the whole suite as scripts/test.sh runs it on x86_64: `--all-features`, then
#              `--features cli` (adds the CLI tests, which spawn the aarch64 `dcc-verify`, the image
#              decoding tests and the doctests); about three times the build and run time.
# Installs what is missing on Debian 12 (apt: gcc-aarch64-linux-gnu, libc6-dev-arm64-cross,
# qemu-user; rustup: the target). Linker and runner come from .cargo/config.toml. The CLI tests
# (--full) exec the aarch64 binary directly, which needs a binfmt_misc entry for qemu-aarch64: the
# script registers one when binfmt_misc can be mounted (root), and otherwise stops with a message.
# Tests that read ../shared (or $DCC_SHARED_DIR) skip where it is absent, except with CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."

target=aarch64-unknown-linux-gnu
sysroot=/usr/aarch64-linux-gnu
full=false
case "${1:-}" in
  "") ;;
  --full) full=true ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2 ;;
esac

echo "== ARM64 toolchain: cross C compiler and libc, qemu-user, the Rust target"
missing=()
command -v aarch64-linux-gnu-gcc >/dev/null || missing+=(gcc-aarch64-linux-gnu)
[ -e "$sysroot/include/stdio.h" ] || missing+=(libc6-dev-arm64-cross)
command -v qemu-aarch64 >/dev/null || missing+=(qemu-user)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
rustup target add "$target" >/dev/null
qemu-aarch64 --version | head -n 1

# ring's C and assembly (cc crate), and qemu's loader for every aarch64 process, the test
# binaries and the `dcc-verify` they spawn alike.
export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
export AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
export QEMU_LD_PREFIX=$sysroot

if $full; then
  binfmt=/proc/sys/fs/binfmt_misc
  if [ ! -e "$binfmt/qemu-aarch64" ]; then
    [ -e "$binfmt/register" ] || mount -t binfmt_misc binfmt_misc "$binfmt" 2>/dev/null || true
    if [ -w "$binfmt/register" ]; then
      # qemu's own aarch64 ELF magic and mask (scripts/qemu-binfmt-conf.sh).
      printf '%s' ':qemu-aarch64:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:'"$(command -v qemu-aarch64)"':' \
        >"$binfmt/register"
      echo "registered qemu-aarch64 with binfmt_misc (for the CLI tests)"
    else
      echo "binfmt_misc is not available: the CLI tests cannot exec the aarch64 dcc-verify;" >&2
      echo "run without --full (the default selection needs no binfmt)" >&2
      exit 1
    fi
  fi
  echo "== ARM64 (qemu): the whole suite, all features (ring backend)"
  cargo test --locked --target "$target" --all-features
  echo "== ARM64 (qemu): the whole suite, feature cli (RustCrypto backend)"
  cargo test --locked --target "$target" --features cli
else
  echo "== ARM64 (qemu): unit and integration tests, ring backend"
  cargo test --locked --target "$target" --features ring --lib --tests
  echo "== ARM64 (qemu): unit and integration tests, RustCrypto backend"
  cargo test --locked --target "$target" --lib --tests
fi
