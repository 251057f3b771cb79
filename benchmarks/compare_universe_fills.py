#!/usr/bin/env python3
"""Checks that Peregrine and vectorbt made the same universe backtest (benchmarks/universe_vs_vectorbt.sh):
the same fills (symbol, date, side, price; in any order), and from their RESULT lines the same trade
and fill counts and the same final equity to 1e-6. Prints the first differences and exits 1 if any.

  python3 benchmarks/compare_universe_fills.py peregrine-fills.csv vectorbt-fills.csv peregrine.result vectorbt.result
"""
import json
import sys


def fills(path):
    with open(path) as f:
        next(f)
        return sorted(tuple(line.strip().split(",")) for line in f if line.strip())


def result(path):
    with open(path) as f:
        lines = [line for line in f if line.startswith("RESULT ")]
    if not lines:
        sys.exit(f"{path}: no RESULT line")
    return json.loads(lines[-1][len("RESULT "):])


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    a, b = fills(sys.argv[1]), fills(sys.argv[2])
    ra, rb = result(sys.argv[3]), result(sys.argv[4])
    only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    equity = abs(float(ra["final_equity"]) - float(rb["final_equity"]))
    print(f"fills: peregrine {len(a)}, vectorbt {len(b)}; only in peregrine {len(only_a)}, only in vectorbt {len(only_b)}")
    print(f"trades: peregrine {ra['trades']} ({ra.get('open_trades')} open), vectorbt {rb['trades']} ({rb.get('open_trades')} open)")
    print(f"final equity: peregrine {ra['final_equity']}, vectorbt {rb['final_equity']}, difference {equity:.9f}")
    for row in only_a[:5]:
        print("  only in peregrine:", ",".join(row))
    for row in only_b[:5]:
        print("  only in vectorbt:", ",".join(row))
    same = not only_a and not only_b and len(a) == len(b) and ra["trades"] == rb["trades"] \
        and ra["fills"] == rb["fills"] and equity <= 1e-6
    print("agree" if same else "DIFFER")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
