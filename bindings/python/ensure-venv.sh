#!/usr/bin/env bash
# Makes sure `python3 -m venv` works: Debian ships venv's pip bootstrap (ensurepip) in a
# package of its own, python3-venv, installed here with apt when missing (as root).
set -euo pipefail
python3 -c 'import ensurepip, venv' 2>/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "python3 has no ensurepip: apt-get install python3-venv" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
else
  echo "python3 cannot make a venv (no ensurepip): install python3-venv" >&2
  exit 1
fi
