#!/usr/bin/env python3
"""Compares sweep result files row by row: each a CSV with fast, slow, final_equity and optionally
trades (peregrine-bench --sweep-kernel --dump, the harness's sweep.py, sweep_backtesting.py).
Prints, for every file against the first: rows in common, rows whose final equity agrees to a cent,
the largest difference, rows with the same trade count (where both have one), and each file's best
combination by final equity.

  python3 benchmarks/compare_sweeps.py peregrine.csv results/sweep_numpy_bars_100k.csv ...
"""
import csv
import sys


def load(path):
    rows = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            key = (int(float(r["fast"])), int(float(r["slow"])))
            rows[key] = (float(r["final_equity"]), int(float(r["trades"])) if r.get("trades") not in (None, "") else None)
    return rows


def main(paths):
    tables = [load(p) for p in paths]
    base = tables[0]
    for path, table in zip(paths, tables):
        best = max(table, key=lambda k: (table[k][0], -k[0], -k[1]))
        print(f"{path}: {len(table)} rows, best fast {best[0]} slow {best[1]} final equity {table[best][0]:.4f}"
              + (f" trades {table[best][1]}" if table[best][1] is not None else ""))
    for path, table in zip(paths[1:], tables[1:]):
        common = sorted(set(base) & set(table))
        diffs = [abs(base[k][0] - table[k][0]) for k in common]
        cent = sum(1 for d in diffs if d < 0.005)
        trades = [k for k in common if base[k][1] is not None and table[k][1] is not None]
        same_trades = sum(1 for k in trades if base[k][1] == table[k][1])
        print(f"{paths[0]} vs {path}: {len(common)} rows in common, final equity within a cent in {cent}, "
              f"largest difference {max(diffs):.6f}"
              + (f", same trade count in {same_trades} of {len(trades)}" if trades else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
