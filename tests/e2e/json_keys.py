#!/usr/bin/env python3
"""Compares the keys --json emits with the ones doc/json.md documents.

usage: json_keys.py DOC FILE...   (each FILE holds JSON objects, one per line)

DOC's tables whose first column is "key path" list every key path, in
backticks: `a.b` is key b of object a, `a[]` each element of array a, and
`{x,y}` two rows. A path emitted but not documented fails, and so does one
documented but emitted by none of the FILEs; so does a value whose JSON type
the row's type column does not name ("hex" rows also take lowercase hex
only). Arrays of scalars are one row: the array's type names its elements'.
"""
import itertools
import json
import re
import sys

WORD = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer",
        float: "number", type(None): "null"}


def expand(path):
    """`steps[].{a,b}.c` -> steps[].a.c, steps[].b.c"""
    parts = re.split(r"\{([^}]*)\}", path)
    choices = [[p] if i % 2 == 0 else p.split(",") for i, p in enumerate(parts)]
    return ["".join(c) for c in itertools.product(*choices)]


def documented(doc):
    rows, in_table = {}, False
    for line in open(doc, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|"):
            in_table = False
        elif cells[0] == "key path":
            in_table = True
        elif in_table and cells[0].startswith("`"):
            for p in expand(cells[0].strip("`")):
                if p in rows:
                    sys.exit(f"{doc}: {p} is documented twice")
                rows[p] = cells[1].lower()
    return rows


def walk(v, path, seen):
    """Records each value under its path; then the members and elements."""
    seen.setdefault(path, []).append(v)
    if isinstance(v, dict):
        for k, x in v.items():
            walk(x, f"{path}.{k}" if path else k, seen)
    elif isinstance(v, list):
        elements(v, path + "[]", seen)


def elements(v, path, seen):
    """An array's elements: objects and arrays go on, scalars stay at path
    (documented in the array's own row)."""
    for x in v:
        if isinstance(x, dict):
            for k, y in x.items():
                walk(y, f"{path}.{k}", seen)
        elif isinstance(x, list):
            elements(x, path + "[]", seen)
        else:
            seen.setdefault(path, []).append(x)


def row_of(p):
    """Scalar elements (a[] or a[][]) are documented in the array's row."""
    return re.sub(r"(\[\])+$", "", p)


HEX = re.compile(r"^(?:[0-9a-f]{2})*$")


def main():
    doc, files = sys.argv[1], sys.argv[2:]
    rows = documented(doc)
    seen = {}
    objects = 0
    for f in files:
        for line in open(f, encoding="utf-8"):
            if line.strip():
                walk(json.loads(line), "", seen)
                objects += 1
    seen.pop("", None)
    problems = []
    for p in sorted(seen):
        row_path = row_of(p)
        if row_path not in rows:
            problems.append(f"emitted but not in {doc}: {p}")
            continue
        cell = rows[row_path]
        for v in seen[p]:
            w = WORD[type(v)]
            if w not in cell:
                problems.append(f"{p}: a {w} ({json.dumps(v)[:40]}), but {doc} says: {cell}")
                break
            if w == "string" and "hex" in cell and not HEX.match(v):
                problems.append(f"{p}: not lowercase hex: {v[:40]}")
                break
    emitted = {row_of(p) for p in seen}
    for p in sorted(set(rows) - emitted):
        problems.append(f"in {doc} but emitted by none of the {objects} objects: {p}")
    for m in problems:
        print(m)
    print(f"json_keys: {len(rows)} documented key paths, {len(emitted)} emitted in {objects} objects, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
