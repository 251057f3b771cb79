#!/usr/bin/env bash
# The kernel benchmark against every peer, in the same minutes: Peregrine's SMA 10/30 backtest
# (without and with the default risk limits), the numpy reference, vectorbt, backtesting.py,
# backtrader and nautilus_trader on the harness's 1,000,000-bar file, alternating round after
# round; then the table of medians and ratios to Peregrine (benchmarks/summarize.py --table), the
# fills compared with the numpy reference's, and the peak memory of 10,000,000 generated bars.
#
#   benchmarks/run_all.sh                              # 3 rounds, about 8 minutes on 2 cores
#   ROUNDS=5 RUNS=7 SLOW_RUNS=1 benchmarks/run_all.sh
#   ENGINES="peregrine vectorbt numpy_ref" MEMORY=0 benchmarks/run_all.sh
#
# Env: ROUNDS (alternations), RUNS (timed runs per command for the fast engines; a round's figure is
# their median), SLOW_RUNS (the same for backtesting.py, backtrader and nautilus_trader, which take
# seconds to a minute a run), ENGINES (subset of "peregrine peregrine_risk numpy_ref vectorbt
# backtesting backtrader nautilus"), MEMORY (1: also the 10,000,000-bar peak memory), BENCH (the
# peregrine-bench binary; default: a release build in .build-release).
# Needs ../shared/peers (the peer harness) beside the repository. Work files go to .build-bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/.build-bench
HARNESS=${HARNESS:-$ROOT/../shared/peers}
ROUNDS=${ROUNDS:-3}
RUNS=${RUNS:-7}
SLOW_RUNS=${SLOW_RUNS:-1}
ENGINES=${ENGINES:-"peregrine peregrine_risk numpy_ref vectorbt backtesting backtrader nautilus"}
MEMORY=${MEMORY:-1}

[ -d "$HARNESS" ] || { echo "peer harness not found at $HARNESS" >&2; exit 1; }
mkdir -p "$WORK/harness" "$WORK/results"
cp -r "$HARNESS"/. "$WORK/harness/"
chmod -R u+w "$WORK/harness"
PY=$WORK/venv/bin/python
if [ ! -x "$PY" ]; then
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install -q -r "$WORK/harness/requirements-lock.txt"
fi
if [ -z "${BENCH:-}" ]; then
  swift build -c release --product peregrine-bench --scratch-path .build-release >/dev/null
  BENCH=$ROOT/.build-release/release/peregrine-bench
fi
DATA=$WORK/harness/data
[ -f "$DATA/bars_1m.csv" ] || (cd "$WORK/harness" && "$PY" gen_data.py --bars 1000000 --out data/bars_1m.csv)

# Fills of one run each, compared bar by bar with the exact numpy reference.
(cd "$WORK/harness" && "$PY" ref_numpy.py --data data/bars_1m.csv --runs 1 --fill next_open --dump-fills "$WORK/results" >/dev/null)
"$BENCH" --data "$DATA/bars_1m.csv" --runs 1 --dump-fills "$WORK/results/fills_peregrine_1m.csv" >/dev/null
"$PY" - "$WORK/results/fills_numpy_ref_next_open_bars_1m.csv" "$WORK/results/fills_peregrine_1m.csv" <<'PYEOF'
import csv, sys
a = list(csv.DictReader(open(sys.argv[1]))); b = list(csv.DictReader(open(sys.argv[2])))
same = len(a) == len(b) and all(x["bar"] == y["bar"] and x["side"] == y["side"]
                                and abs(float(x["price"]) - float(y["price"])) < 1e-9 for x, y in zip(a, b))
print(f"fills, Peregrine against the numpy reference: {len(b)} against {len(a)}, identical: {same}")
PYEOF

harness() { echo "cd $WORK/harness && $PY $1 --data data/bars_1m.csv $2"; }
specs=()
for engine in $ENGINES; do
  case $engine in
    peregrine) specs+=("peregrine=$BENCH --data $DATA/bars_1m.csv --runs $RUNS") ;;
    peregrine_risk) specs+=("peregrine_risk=$BENCH --data $DATA/bars_1m.csv --runs $RUNS --with-risk") ;;
    numpy_ref) specs+=("numpy_ref=$(harness ref_numpy.py "--runs $RUNS --fill next_open")") ;;
    vectorbt) specs+=("vectorbt=$(harness bench_vectorbt.py "--runs $RUNS")") ;;
    backtesting) specs+=("backtesting.py=$(harness bench_backtesting.py "--runs $SLOW_RUNS")") ;;
    backtrader) specs+=("backtrader=$(harness bench_backtrader.py "--runs $SLOW_RUNS")") ;;
    nautilus) specs+=("nautilus_trader=$(harness bench_nautilus.py "--runs $SLOW_RUNS --fill next_open")") ;;
    *) echo "unknown engine $engine" >&2; exit 2 ;;
  esac
done
OUT=$WORK/results/run_all.jsonl
ROUNDS=$ROUNDS OUT=$OUT benchmarks/alternate.sh "${specs[@]}" >/dev/null
python3 benchmarks/summarize.py "$OUT" --table

# Memory: 10,000,000 bars generated in the process (seeded one-minute bars with six-decimal prices, as
# the harness's; writing and reading a 700 MB file would add nothing to what the run itself holds).
if [ "$MEMORY" = 1 ]; then
  for runs in 1 5; do
    /usr/bin/time -f "peak RSS %M KB" "$BENCH" --bars 10000000 --runs "$runs" 2>&1 \
      | python3 -c '
import json, re, sys
text = sys.stdin.read()
result = json.loads(re.search(r"^RESULT (.*)$", text, re.M).group(1))
peak = int(re.search(r"peak RSS (\d+) KB", text).group(1)) * 1024
bars, median, loaded = result["bars"], result["run_s_median"], result["rss_after_load_bytes"]
print(f"10,000,000 bars, {sys.argv[1]} run(s) in one process: run median {median:.3f} s, "
      f"resident after load {loaded / bars:.1f} bytes a bar, peak {peak / 1e6:.0f} MB = {peak / bars:.1f} bytes a bar")' "$runs"
  done
fi
