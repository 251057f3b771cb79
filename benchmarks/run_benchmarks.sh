#!/usr/bin/env bash
# Kernel speed benchmark: Peregrine's event-driven SMA 10/30 backtest against its peers, on the same
# generated one-minute bars, in the same run, with fills compared to the exact numpy reference.
#
#   benchmarks/run_benchmarks.sh                     # 1M and 10M bars, peers on 1M
#   SIZES="100k 1m" PEERS="ref vectorbt backtrader" RUNS=3 benchmarks/run_benchmarks.sh
#
# Needs ../shared/peers (the peer harness) beside the repository. Work files go to .build-bench/
# (ignored by git): the harness copy, its Python venv, the data and the fills.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/.build-bench
SIZES=${SIZES:-"1m 10m"}
PEER_SIZES=${PEER_SIZES:-"1m"}
PEERS=${PEERS:-"ref vectorbt backtrader"}
RUNS=${RUNS:-3}
HARNESS=${HARNESS:-$ROOT/../shared/peers}

[ -d "$HARNESS" ] || { echo "peer harness not found at $HARNESS" >&2; exit 1; }
mkdir -p "$WORK/harness" "$WORK/results"
cp -r "$HARNESS"/. "$WORK/harness/"
chmod -R u+w "$WORK/harness"
PY=$WORK/venv/bin/python
if [ ! -x "$PY" ]; then
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install -q -r "$WORK/harness/requirements.txt"
fi

swift build -c release --product peregrine-bench >/dev/null
BENCH=$ROOT/.build/release/peregrine-bench

bars_of() { case $1 in 100k) echo 100000;; 1m) echo 1000000;; 10m) echo 10000000;; *) echo "$1";; esac; }
RES=$WORK/results/results.jsonl
: > "$RES"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
for size in $SIZES; do
  data=$WORK/harness/data/bars_$size.csv
  [ -f "$data" ] || (cd "$WORK/harness" && "$PY" gen_data.py --bars "$(bars_of "$size")" --out "$data")
  "$BENCH" --data "$data" --runs "$RUNS" --dump-fills "$WORK/results/fills_peregrine_$size.csv" | tee -a "$RES"
  case " $PEER_SIZES " in *" $size "*) ;; *) continue;; esac
  for peer in $PEERS; do
    case $peer in
      ref) script=ref_numpy.py; extra="--fill next_open";;
      vectorbt) script=bench_vectorbt.py; extra="";;
      backtrader) script=bench_backtrader.py; extra="";;
      backtesting) script=bench_backtesting.py; extra="";;
      nautilus) script=bench_nautilus.py; extra="--fill next_open";;
      *) echo "unknown peer $peer" >&2; continue;;
    esac
    (cd "$WORK/harness" && "$PY" "$script" --data "$data" --runs "$RUNS" --dump-fills "$WORK/results" $extra 2>/dev/null) \
      | grep '^RESULT ' | tee -a "$RES" || echo "$peer failed" >&2
  done
  ref=$WORK/results/fills_numpy_ref_next_open_bars_$size.csv
  if [ -f "$ref" ]; then
    # Same bars, sides and prices (to 1e-9) as the exact reference?
    "$PY" - "$ref" "$WORK/results/fills_peregrine_$size.csv" <<'PYEOF'
import csv, sys
a = list(csv.DictReader(open(sys.argv[1]))); b = list(csv.DictReader(open(sys.argv[2])))
same = len(a) == len(b) and all(x["bar"] == y["bar"] and x["side"] == y["side"]
                                and abs(float(x["price"]) - float(y["price"])) < 1e-9 for x, y in zip(a, b))
print(f"fills vs numpy reference: {len(b)} vs {len(a)}, identical: {same}")
PYEOF
  fi
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
