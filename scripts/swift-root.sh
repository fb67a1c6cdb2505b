#!/usr/bin/env bash
# The Swift toolchain for Linux, which Debian 12 lacks: a Debian 13 (trixie) root made with
# mmdebstrap holding `swiftlang` (swiftc, SwiftPM, Foundation, XCTest) and `libc6-dev` (without
# it `import Foundation` fails on sys/param.h). Commands run in it through chroot, in a private
# mount namespace (unshare), so every mount goes away with the command.
#
#   scripts/swift-root.sh                  make sure the root works; print its path (last line)
#   scripts/swift-root.sh run CMD [ARG]... the same, then run CMD in the root, in the current
#                                          directory, with the repository and the shared data
#                                          ($DCC_SHARED_DIR, else ../shared, when present) at
#                                          their own paths
#
# Both live in $DCC_SWIFT_CACHE (default /var/cache/dcc-verifier), shared by every checkout on
# the machine (CI clones anew each run): the root, swift-root-<stamp>/ (or $DCC_SWIFT_ROOT), is
# used as it is when it runs `swift --version`; otherwise it is unpacked from the tarball
# swift-root-<stamp>.tar.zst (~800 MB, ~20 s), which is made first when missing: mmdebstrap
# (installed with apt when missing) downloads ~590 MB and takes a minute or two.
# Needs root (chroot, mounts), or sudo.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
self="$repo/scripts/$(basename "$0")"

suite=trixie
packages=swiftlang,libc6-dev
stamp="$suite-minbase-swiftlang-v1" # change it when the root's contents change: a new tarball
cache=${DCC_SWIFT_CACHE:-/var/cache/dcc-verifier}
root=${DCC_SWIFT_ROOT:-$cache/swift-root-$stamp}
tarball=$cache/swift-root-$stamp.tar.zst

log() { echo "swift-root: $*" >&2; }
die() { echo "swift-root: error: $*" >&2; exit 1; }

if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || die "needs root (chroot and mounts) or sudo"
  exec sudo --preserve-env=DCC_SWIFT_ROOT,DCC_SWIFT_CACHE,DCC_SHARED_DIR,CI,RUST_BACKTRACE \
    "$self" "$@"
fi

# Internal: `__enter ROOT CWD CMD...`, run by `unshare --mount` (below) in its own mount
# namespace: mounts /proc, /dev and the bound directories, then chroots.
if [ "${1:-}" = __enter ]; then
  shift
  target=$1 cwd=$2; shift 2
  mount --make-rprivate /
  mount -t proc proc "$target/proc"
  mount --rbind /dev "$target/dev"
  while IFS= read -r dir; do
    [ -n "$dir" ] || continue
    mkdir -p "$target$dir"
    mount --bind "$dir" "$target$dir"
  done <<<"${DCC_SWIFT_BINDS:-}"
  # A clean environment: only what the tests read, passed through when set.
  env=(PATH=/usr/local/bin:/usr/bin:/bin HOME=/root LANG=C.UTF-8 TMPDIR=/tmp)
  for name in CI DCC_SHARED_DIR RUST_BACKTRACE TERM; do
    [ -z "${!name+x}" ] || env+=("$name=${!name}")
  done
  user=()
  if [ -n "${SUDO_UID:-}" ]; then # run as the caller, not as root
    user=(--userspec="$SUDO_UID:$SUDO_GID")
    env[1]=HOME=/tmp
  fi
  # shellcheck disable=SC2016
  exec chroot "${user[@]}" "$target" /usr/bin/env -i "${env[@]}" \
    /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$cwd" "$@"
fi

# Runs CMD in the root at $1, in the current directory (which must be under a bound directory).
in_root() {
  local target=$1; shift
  local binds=$repo shared=${DCC_SHARED_DIR:-$repo/../shared}
  if [ -d "$shared" ]; then
    shared=$(cd "$shared" && pwd)
    [ -z "${DCC_SHARED_DIR:-}" ] || export DCC_SHARED_DIR=$shared # absolute in the root too
    case "$shared/" in "$repo/"*) ;; *) binds+=$'\n'"$shared" ;; esac
  fi
  case "$PWD/" in
    "$repo/"*) ;;
    *) die "run from inside $repo (the directory mounted in the root), not $PWD" ;;
  esac
  DCC_SWIFT_BINDS=$binds unshare --mount --fork -- "$self" __enter "$target" "$PWD" "$@"
}

works() { # $1: a root directory
  [ -f "$1/.dcc-swift-root" ] && [ "$(cat "$1/.dcc-swift-root")" = "$stamp" ] \
    && (cd "$repo" && in_root "$1" swift --version >/dev/null 2>&1)
}

need() { # Debian packages named like their command, installed with apt when missing
  local missing=() tool out
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  log "installing ${missing[*]} (apt)"
  out=$(apt-get update -qq 2>&1 && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" 2>&1) \
    || { echo "$out" >&2; die "apt-get could not install ${missing[*]}"; }
}

make_tarball() {
  need mmdebstrap zstd
  mkdir -p "$cache" "$(dirname "$root")"
  local tmp="$tarball.partial.$$"
  log "building the $suite root with $packages (mmdebstrap; ~590 MB of downloads)"
  rm -rf "$root.new"
  mmdebstrap --quiet --variant=minbase --include="$packages" "$suite" "$root.new" >&2 \
    || die "mmdebstrap failed (network? see above)"
  echo "$stamp" >"$root.new/.dcc-swift-root"
  log "caching it as $tarball"
  tar -C "$root.new" --numeric-owner -cf - . | zstd -q -T0 -3 -o "$tmp" \
    || die "could not write $tmp"
  mv "$tmp" "$tarball"
}

ensure_root() {
  if works "$root"; then return; fi
  # Only ever delete a root this script made.
  if [ -e "$root" ] && [ ! -f "$root/.dcc-swift-root" ]; then
    die "$root exists but is not a Swift root made by this script: remove it or set DCC_SWIFT_ROOT"
  fi
  [ ! -e "$root" ] || log "$root does not work (or is out of date): replacing it"
  if [ -s "$tarball" ]; then
    need zstd
    log "unpacking $tarball into $root"
    rm -rf "$root.new" && mkdir -p "$root.new"
    zstd -q -dc "$tarball" | tar -C "$root.new" --numeric-owner -xpf - \
      || die "could not unpack $tarball (delete it to build a new one)"
  else
    make_tarball # leaves the root in $root.new
  fi
  works "$root.new" || die "the new root at $root.new does not run swift --version"
  rm -rf "$root"
  mv "$root.new" "$root"
}

if ! works "$root"; then
  # One maker at a time: checkouts share the cache.
  mkdir -p "$cache"
  exec 9>"$cache/.lock"
  flock 9
  ensure_root # checks again: another run may have made it meanwhile
  exec 9>&-
fi
case "${1:-}" in
  "") echo "$root" ;;
  run)
    shift
    [ $# -gt 0 ] || die "usage: $0 run CMD [ARG]..."
    in_root "$root" "$@"
    ;;
  *) die "usage: $0 [run CMD [ARG]...]" ;;
esac
