#!/usr/bin/env bash
# Runs the Python binding tests against the generated module (called by
# scripts/test-bindings.sh after scripts/bindings.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
echo "python: $(python3 --version)"
python3 bindings/python/test_bindings.py
