#!/usr/bin/env python3
"""Medians of an alternating run (benchmarks/alternate.sh): for each label, the median of each
round and the median of those, in seconds and in the unit of work per second; then every label's
ratio to the first label, round by round (each round's figures were taken in the same minutes).
Labels whose results lack the field are left out.

  python3 benchmarks/summarize.py .build-bench/results/kernel.jsonl [--field run_s_median] [--work bars] [--table]

--table prints the same as a Markdown table, with each label's trades and final equity and how many
times the first label's speed it runs at (the median of the per-round ratios).
"""
import argparse
import json
import statistics


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--field", default="run_s_median", help="the RESULT field holding a round's median seconds")
    ap.add_argument("--work", default="bars", help="the RESULT field counting the work (bars, combinations, combos)")
    ap.add_argument("--table", action="store_true", help="a Markdown table instead of one line per label")
    a = ap.parse_args()
    rows = [json.loads(line) for line in open(a.file) if line.strip()]
    labels = list(dict.fromkeys(r["label"] for r in rows))
    by = {label: {r["round"]: r for r in rows if r["label"] == label} for label in labels}
    loads = [r["load"] for r in rows]
    print(f"{len(rows)} results, {len(set(r['round'] for r in rows))} rounds, load average {min(loads)}-{max(loads)}, "
          f"{rows[0]['utc']}-{rows[-1]['utc']} UTC")
    labels = [label for label in labels if all(a.field in r["result"] for r in by[label].values())] or labels[:0]
    if not labels:
        print(f"no label has {a.field} in every round; choose another --field")
        return
    base = labels[0]
    if a.table:
        print(f"| engine | round medians | median | M {a.work}/s | {base} is faster by (per round, median) | trades | final equity |")
        print("| --- | --- | ---: | ---: | --- | ---: | ---: |")
    for label in labels:
        seconds = [by[label][k]["result"][a.field] for k in sorted(by[label])]
        med = statistics.median(seconds)
        work = by[label][min(by[label])]["result"].get(a.work)
        rate = f", {work / med / 1e6:.2f} M {a.work}/s" if isinstance(work, (int, float)) else ""
        if a.table:
            ratios = [by[label][k]["result"][a.field] / by[base][k]["result"][a.field] for k in sorted(by[label]) if k in by[base]]
            first = by[label][min(by[label])]["result"]
            speed = f"{work / med / 1e6:.2f}" if isinstance(work, (int, float)) else ""
            versus = "" if label == base else f"{min(ratios):.2f}-{max(ratios):.2f} ({statistics.median(ratios):.2f})"
            print(f"| {label} | {', '.join(f'{s:.4f}' for s in seconds)} s | {med:.4f} s | {speed} | {versus} | "
                  f"{first.get('trades', '')} | {first.get('final_equity', '')} |")
            continue
        line = f"{label}: rounds {', '.join(f'{s:.4f}' for s in seconds)} s; median of medians {med:.4f} s{rate}"
        if label != base:
            ratios = [by[label][k]["result"][a.field] / by[base][k]["result"][a.field] for k in sorted(by[label]) if k in by[base]]
            line += f"; {label}/{base} per round {', '.join(f'{x:.2f}' for x in ratios)}, median {statistics.median(ratios):.2f}"
        print(line)


if __name__ == "__main__":
    main()
