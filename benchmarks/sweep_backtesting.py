#!/usr/bin/env python3
"""backtesting.py's optimizer on the peer harness's sweep grid: fast 5..50, slow 20..200 step 2,
fast < slow (3,930 combinations), the harness's SmaCross strategy (100 shares, next-open fills, no
costs, 1,000,000 cash), best by final equity.

Timed: Backtest(...) construction + Backtest.optimize(method="grid", return_heatmap=True), which
runs every combination on a process pool of one worker per core (backtesting.Pool) and then the
best combination once more for its statistics. Writes every combination's final equity to
results/sweep_backtesting_<data>.csv (fast, slow, final_equity) and prints one RESULT line like
the harness's sweep.py.

Run from a copy of the harness (it imports the harness's SmaCross):
  (cd .build-bench/harness && ../venv/bin/python ../../benchmarks/sweep_backtesting.py --data data/bars_100k.csv --runs 1)
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import warnings

os.environ.setdefault("TQDM_DISABLE", "1")
sys.path.insert(0, os.getcwd())

import backtesting  # noqa: E402
from backtesting import Backtest  # noqa: E402

from bench_backtesting import SmaCross  # noqa: E402
from common import CASH, HERE, Timer, load_csv, log, parser  # noqa: E402

def main(argv=None) -> int:
    ap = parser(__doc__)
    ap.add_argument("--fast-to", type=int, default=50, help="last fast window (a smaller grid to try the script)")
    ap.add_argument("--slow-to", type=int, default=200, help="last slow window")
    a = ap.parse_args(argv)
    fasts, slows = range(5, a.fast_to + 1), range(20, a.slow_to + 1, 2)
    warnings.simplefilter("ignore")
    with Timer() as tl:
        df = load_csv(a.data)
        df = df.rename(columns={"open": "Open", "high": "High", "low": "Low", "close": "Close", "volume": "Volume"})
        df.index = df.index.tz_localize(None)
    times = []
    for _ in range(a.runs):
        with Timer() as t:
            bt = Backtest(df, SmaCross, cash=CASH, commission=0.0, spread=0.0, trade_on_close=False,
                          hedging=False, exclusive_orders=False, finalize_trades=False)
            stats, heatmap = bt.optimize(fast=fasts, slow=slows, constraint=lambda p: p.fast < p.slow,
                                         maximize="Equity Final [$]", method="grid", return_heatmap=True)
        times.append(t.s)
        log(f"sweep backtesting.py: {len(heatmap)} combos in {t.s:.1f}s")
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    name = f"sweep_backtesting_{os.path.splitext(os.path.basename(a.data))[0]}.csv"
    table = heatmap.rename("final_equity").reset_index()
    table.to_csv(os.path.join(HERE, "results", name), index=False, float_format="%.6f")
    best = stats["_strategy"]
    med = statistics.median(times)
    print("RESULT " + json.dumps({
        "engine": "sweep_backtesting.py", "data": os.path.basename(a.data), "bars": len(df), "combos": len(heatmap),
        "workers": os.cpu_count(), "load_s": round(tl.s, 4), "run_s": [round(x, 3) for x in times],
        "run_s_median": round(med, 3), "combos_per_s": round(len(heatmap) / med, 2),
        "bar_combos_per_s": round(len(heatmap) * len(df) / med, 1),
        "best": {"fast": int(best.fast), "slow": int(best.slow),
                 "trades": int(stats["# Trades"]) + len(best.trades),
                 "final_equity": float(stats["Equity Final [$]"])},
        "sweep_file": name, "version": backtesting.__version__}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
