#!/usr/bin/env python3
"""Compares a CSV file with its golden answer: same header, same rows, text
fields equal, numbers equal within a relative tolerance.

  golden_compare.py GOLDEN ACTUAL RTOL

A run is deterministic for a given config, seed and build, so the tolerance
only absorbs the last digits of %.10g printing across compilers and libm
versions; any change to the model or the estimators moves the numbers far
more and fails.  Empty fields must stay empty."""
import csv
import sys


def num(s):
    try:
        return float(s)
    except ValueError:
        return None


def main():
    golden, actual, rtol = sys.argv[1], sys.argv[2], float(sys.argv[3])
    with open(golden, newline="") as f:
        g = list(csv.reader(f))
    with open(actual, newline="") as f:
        a = list(csv.reader(f))
    bad = []
    if g[0] != a[0]:
        bad.append(f"header {a[0]} is not {g[0]}")
    if len(g) != len(a):
        bad.append(f"{len(a) - 1} rows, golden has {len(g) - 1}")
    for i, (rg, ra) in enumerate(zip(g[1:], a[1:]), start=2):
        if len(rg) != len(ra):
            bad.append(f"line {i}: {len(ra)} fields, golden has {len(rg)}")
            continue
        for col, x, y in zip(g[0], rg, ra):
            nx, ny = num(x), num(y)
            if nx is None or ny is None:
                ok = x == y
            else:
                ok = abs(nx - ny) <= rtol * max(abs(nx), abs(ny)) or nx == ny
            if not ok:
                bad.append(f"line {i}, {col}: {y!r}, golden {x!r}")
    if bad:
        print(f"{actual} differs from {golden} (relative tolerance {rtol}):")
        for b in bad[:20]:
            print("  " + b)
        if len(bad) > 20:
            print(f"  ... and {len(bad) - 20} more")
        sys.exit(1)


if __name__ == "__main__":
    main()
