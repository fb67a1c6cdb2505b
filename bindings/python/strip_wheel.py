#!/usr/bin/env python3
"""Strips the shared libraries inside a wheel in place (`strip --strip-all`) and updates the
wheel's RECORD (hash and size) to match.

Why not maturin's own `--strip`: it strips at link time, before maturin runs uniffi-bindgen,
which reads the UniFFI metadata from the library's symbol table, and so the generation fails.
Stripped afterwards, the library keeps what Python needs (its dynamic symbols).

Usage: strip_wheel.py WHEEL   (called by build-wheel.sh --release)
"""

import base64
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile


def strip(data: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        lib = os.path.join(tmp, "lib.so")
        with open(lib, "wb") as f:
            f.write(data)
        subprocess.run(["strip", "--strip-all", lib], check=True)
        with open(lib, "rb") as f:
            return f.read()


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def main(path: str) -> None:
    with zipfile.ZipFile(path) as wheel:
        entries = [(info, wheel.read(info)) for info in wheel.infolist()]
    stripped = {info.filename: strip(data) for info, data in entries if info.filename.endswith(".so")}
    if not stripped:
        sys.exit(f"{path}: no shared library to strip")
    with zipfile.ZipFile(path + ".tmp", "w", zipfile.ZIP_DEFLATED) as wheel:
        for info, data in entries:
            data = stripped.get(info.filename, data)
            if info.filename.endswith(".dist-info/RECORD"):
                lines = []
                for line in data.decode().splitlines():
                    name = line.split(",")[0]
                    lines.append(record_line(name, stripped[name]) if name in stripped else line)
                data = ("\n".join(lines) + "\n").encode()
            wheel.writestr(info, data)  # the same name, date and permissions
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
