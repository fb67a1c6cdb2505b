#!/usr/bin/env python3
"""Prints the README code block marked `<!-- snippet: NAME -->` (the fenced block right after
the marker), so that the binding tests compile and run exactly what the README shows.

Usage: scripts/readme-snippet.py NAME   (exit status 1 if the marker or its block is missing)
"""
import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    name = sys.argv[1]
    text = README.read_text()
    marker = re.search(rf"^<!-- snippet: {re.escape(name)} -->\n```[\w,]*\n(.*?)^```$", text, re.M | re.S)
    if not marker:
        print(f"README.md has no snippet {name!r} (a fenced block after <!-- snippet: {name} -->)",
              file=sys.stderr)
        return 1
    sys.stdout.write(marker.group(1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
