#!/usr/bin/env python3
"""Checks that the library's imports run one way: ground -> formats -> data -> rules -> verify ->
entry points, with no import circle between its files (see the README's Architecture section).

An import is a path in the code (not in a comment or a string) that names another file of the
crate: `crate::a::b` (resolved to the deepest file it names), `super::x`, `self::x`, and a child
module's path (`child::X`), in a `use` declaration (groups expanded) or inline; a `mod`
declaration and a `pub use` re-export are a module's tree and front door, not imports. Unit tests (`tests.rs`, `tests/`, an inline
`#[cfg(test)] mod`) are left out: they sit below the module they test by design.

Usage: scripts/check-layers.py [--graph]   (exit status 1 on any violation)
"""
import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

# Layer of each top-level module, lowest first. A file may import only from its own layer or
# below; a new module must be placed here first.
LAYERS = {
    "ground": ["limits", "time", "fast_hash", "der", "crypto"],
    "formats": ["eudcc", "twoddoc"],
    "data": ["trust", "revocation"],
    "rules": ["rules"],
    "verify": ["verify"],
    "entry": ["ffi", "image", "lib", "bin"],
}
RANK = {m: i for i, mods in enumerate(LAYERS.values()) for m in mods}
LAYER_NAME = {m: name for name, mods in LAYERS.items() for m in mods}


def module_of(path: Path) -> tuple[str, ...]:
    """The module path of a source file: src/trust/keyset.rs -> ("trust", "keyset")."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "mod":
        parts.pop()
    return tuple(parts)


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    # String literals may hold `::` (e.g. messages); drop their contents.
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    # An inline unit-test module (by convention the end of a file) is not part of the build.
    return re.split(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text)[0]


def expand(tree: str) -> list[str]:
    """`a::{b, c::{d, self}}` -> [`a::b`, `a::c::d`, `a::c`]."""
    if "{" not in tree:
        return [tree]
    open_at = tree.index("{")
    prefix, depth, items, start = tree[:open_at], 0, [], open_at + 1
    for i in range(open_at, len(tree)):
        if tree[i] == "{":
            depth += 1
        elif tree[i] == "}":
            depth -= 1
            if depth == 0:
                items.append(tree[start:i])
                break
        elif tree[i] == "," and depth == 1:
            items.append(tree[start:i])
            start = i + 1
    out = []
    for item in (i.strip() for i in items):
        if item == "self":
            out.append(prefix.rstrip(":"))
        elif item:
            out += expand(prefix + item)
    return out


def main() -> int:
    files = {}
    for path in sorted(SRC.rglob("*.rs")):
        rel = path.relative_to(SRC)
        if rel.parts[0] == "bin" or path.name == "tests.rs" or "tests" in rel.parts[:-1]:
            continue
        files[module_of(path)] = path

    def resolve(parts: list[str]) -> tuple[str, ...] | None:
        """The deepest crate file a module path names."""
        for n in range(len(parts), 0, -1):
            if tuple(parts[:n]) in files:
                return tuple(parts[:n])
        return None

    def target_of(module, path: str):
        """The file a path used in `module` names, if it is another file of the crate."""
        segs = [seg.split(" as ")[0].strip() for seg in path.split("::")]
        segs = [seg for seg in segs if seg and seg != "*"]
        if not segs:
            return None
        head = segs.pop(0)
        if head == "crate":
            return resolve(segs)
        if head in ("super", "self"):
            base = list(module[:-1]) if head == "super" else list(module)
            while segs and segs[0] == "super":
                segs.pop(0)
                base = base[:-1]
            return resolve(base + segs)
        return None

    edges: dict[tuple, set] = {m: set() for m in files}
    for module, path in files.items():
        code = strip_comments(path.read_text())
        children = set(re.findall(r"^\s*(?:pub(?:\([a-z]+\))?\s+)?mod\s+(\w+)\s*;", code, re.M))
        paths = []
        # `use` declarations, groups expanded; a `pub use` is a re-export (the module's front
        # door), not an import.
        for m in re.finditer(r"(\bpub(?:\([a-z]+\))?\s+)?\buse\s+([^;]+);", code):
            if not m.group(1):
                paths += expand(re.sub(r"\s+", " ", m.group(2)).strip())
        # Paths written inline in the code.
        rest = re.sub(r"\buse\s+[^;]+;", "", code)
        paths += re.findall(r"\b(?:crate|super)(?:::\w+)+", rest)
        paths += [p for p in re.findall(r"\b\w+(?:::\w+)+", rest) if p.split("::")[0] in children]
        for used in paths:
            first = used.split("::")[0]
            target = target_of(module, "self::" + used if first in children else used)
            if target and target != module:
                edges[module].add(target)

    def top(m):
        return m[0] if m else "lib"

    problems = []
    for src, targets in sorted(edges.items()):
        for dst in sorted(targets):
            if top(src) not in RANK or top(dst) not in RANK:
                problems.append(f"{'/'.join(src) or 'lib'} -> {'/'.join(dst)}: module not placed in a layer")
            elif RANK[top(dst)] > RANK[top(src)]:
                problems.append(
                    f"upward import: {'/'.join(src) or 'lib'} ({LAYER_NAME[top(src)]}) -> "
                    f"{'/'.join(dst)} ({LAYER_NAME[top(dst)]})"
                )

    # Circles between files: Tarjan's strongly connected components.
    index, low, stack, on_stack, sccs = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                sccs.append(scc)

    sys.setrecursionlimit(10_000)
    for v in files:
        if v not in index:
            visit(v)
    for scc in sccs:
        problems.append("import circle: " + ", ".join(sorted("/".join(m) or "lib" for m in scc)))

    if "--graph" in sys.argv:
        for src, targets in sorted(edges.items()):
            print(f"{'/'.join(src) or 'lib'}: {', '.join(sorted('/'.join(t) for t in targets))}")
    n_imports = sum(len(t) for t in edges.values())
    print(f"{len(files)} files, {n_imports} imports between them, {len(problems)} problems")
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
