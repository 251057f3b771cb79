#!/usr/bin/env bash
# Runs benchmark commands in alternation, round after round, so every engine or build is timed in
# the same minutes on a shared machine; collects each command's RESULT line with its round, label,
# time and load average as one JSON line, then prints the medians (benchmarks/summarize.py).
#
#   ROUNDS=4 OUT=.build-bench/results/kernel.jsonl benchmarks/alternate.sh \
#     "peregrine=.build/release/peregrine-bench --data .build-bench/harness/data/bars_1m.csv --runs 7" \
#     "vectorbt=cd .build-bench/harness && ../venv/bin/python bench_vectorbt.py --data data/bars_1m.csv --runs 7"
#
# Each argument is LABEL=COMMAND (a shell command run from the repository root).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
OUT=${OUT:-.build-bench/results/alternate.jsonl}
mkdir -p "$(dirname "$OUT")"
: > "$OUT"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
for round in $(seq 1 "$ROUNDS"); do
  for spec in "$@"; do
    label=${spec%%=*}
    command=${spec#*=}
    load=$(cut -d' ' -f1 /proc/loadavg)
    started=$(date -u +%H:%M:%S)
    line=$( (bash -c "$command" 2>/dev/null || true) | grep '^RESULT ' | tail -1 | sed 's/^RESULT //')
    if [ -z "$line" ]; then
      echo "round $round $label: no RESULT line" >&2
      continue
    fi
    printf '{"round": %d, "label": "%s", "utc": "%s", "load": %s, "result": %s}\n' \
      "$round" "$label" "$started" "$load" "$line" | tee -a "$OUT" | cut -c1-200
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
python3 benchmarks/summarize.py "$OUT"
