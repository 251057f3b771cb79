#!/usr/bin/env bash
# A 500-symbol, ten-year daily portfolio backtest in Peregrine (peregrine-bench --universe) and in
# vectorbt (multi-column from_signals, benchmarks/universe_vectorbt.py) on the same signals: first one
# run of each with their fills dumped and compared (benchmarks/compare_universe_fills.py), then both
# timed in alternation, round by round (benchmarks/alternate.sh), and the table of medians printed.
#
#   ROUNDS=3 RUNS=5 benchmarks/universe_vs_vectorbt.sh
#
# Environment: BENCH (a built peregrine-bench; built in release into .build-release when not given),
# PYTHON (a Python with vectorbt, numpy and pandas; default .build-bench/venv/bin/python), UNIVERSE
# (the data folder; generated with benchmarks/make_universe.py --symbols 500 when missing),
# ROUNDS (default 3), RUNS (timed runs per round and engine, default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
UNIVERSE=${UNIVERSE:-.build-bench/universe}
PYTHON=${PYTHON:-.build-bench/venv/bin/python}
ROUNDS=${ROUNDS:-3}
RUNS=${RUNS:-5}
if [ ! -d "$UNIVERSE" ]; then
  python3 benchmarks/make_universe.py --symbols 500 --out "$UNIVERSE"
fi
if [ -z "${BENCH:-}" ]; then
  swift build -c release --product peregrine-bench --scratch-path .build-release
  BENCH=.build-release/release/peregrine-bench
fi
CHECK=.build-bench/universe-check
mkdir -p "$CHECK"
"$BENCH" --universe "$UNIVERSE" --runs 1 --dump-fills "$CHECK/fills-peregrine.csv" > "$CHECK/peregrine.result"
"$PYTHON" benchmarks/universe_vectorbt.py --data "$UNIVERSE" --runs 1 --dump-fills "$CHECK/fills-vectorbt.csv" > "$CHECK/vectorbt.result"
python3 benchmarks/compare_universe_fills.py "$CHECK/fills-peregrine.csv" "$CHECK/fills-vectorbt.csv" \
  "$CHECK/peregrine.result" "$CHECK/vectorbt.result"
ROUNDS=$ROUNDS OUT=.build-bench/results/universe.jsonl benchmarks/alternate.sh \
  "peregrine=$BENCH --universe $UNIVERSE --runs $RUNS" \
  "vectorbt=$PYTHON benchmarks/universe_vectorbt.py --data $UNIVERSE --runs $RUNS"
python3 benchmarks/summarize.py .build-bench/results/universe.jsonl --table
