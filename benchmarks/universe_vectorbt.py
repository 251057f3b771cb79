#!/usr/bin/env python3
"""vectorbt's multi-column from_signals on the universe `peregrine-bench --universe DIR` runs: every
SYMBOL.csv of DIR, SMA 10/30 crossovers on each symbol's own bars, a fixed quantity per entry, fills
at the symbol's next open, no costs, 1,000,000 cash shared by all columns as one portfolio.

  .build-bench/venv/bin/python benchmarks/universe_vectorbt.py --data .build-bench/universe --runs 5 \\
      --dump-fills .build-bench/universe-fills-vectorbt.csv

The signals restate Peregrine's rule (MovingAverageCross): with window sums Sf (10 closes) and Ss (30
closes), fast > slow exactly when 30*Sf > 10*Ss. The sums are pandas rolling sums of the closes in
cents, whole numbers that float64 holds exactly, so a tie on flat prices is a tie, as in Peregrine (a
rolling mean would turn some ties into rounding noise and a few crossings with them). A cross up is
fast > slow on a bar with fast <= slow on the symbol's previous bar, both defined; a cross down the
mirror. Each symbol's bars are packed to the top of its column so that windows and the previous bar
run over the symbol's own sequence, not over the dates another symbol has; a signal moves to the
symbol's next bar (next-open fill) and goes back to its date on the aligned index. A signal on a
symbol's last bar has no bar to fill on and is dropped, as Peregrine's order never fills.

Timed, after an untimed warm-up run on the same data (numba compiles, or loads from its cache, there): the packing, the rolling
sums, the signals, from_signals, the trade count and the final value. Not timed: reading the CSVs and
building the aligned open/close panels (NaN where a symbol has no bar).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import warnings

import numpy as np
import pandas as pd
import vectorbt as vbt

FAST, SLOW, CASH = 10, 30, 1_000_000.0


def load(folder: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Aligned open and close panels: the union of all dates, one column per symbol (file stem upper-cased,
    in file-name order, as peregrine reads a folder), NaN where a symbol has no bar."""
    names = sorted(n for n in os.listdir(folder) if n.lower().endswith(".csv"))
    if not names:
        sys.exit(f"{folder}: folder holds no .csv files")
    opens, closes = {}, {}
    for name in names:
        frame = pd.read_csv(os.path.join(folder, name), usecols=["timestamp", "open", "close"],
                            dtype={"open": "float64", "close": "float64"})
        frame.index = pd.DatetimeIndex(pd.to_datetime(frame.pop("timestamp"), format="ISO8601"))
        symbol = os.path.splitext(name)[0].upper()
        opens[symbol], closes[symbol] = frame["open"], frame["close"]
    return pd.DataFrame(opens), pd.DataFrame(closes)


def signals(close: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Entries and exits on the aligned index, each on the bar after its crossing in the symbol's own sequence."""
    values = close.to_numpy()
    valid = ~np.isnan(values)
    # Row order putting each column's bars first (stable, so in date order) and its missing dates after.
    order = np.argsort(~valid, axis=0, kind="stable")
    packed = pd.DataFrame(np.rint(np.take_along_axis(values, order, axis=0) * 100))
    fast_sum = packed.rolling(FAST, min_periods=FAST).sum().to_numpy()
    slow_sum = packed.rolling(SLOW, min_periods=SLOW).sum().to_numpy()
    sign = np.sign(SLOW * fast_sum - FAST * slow_sum)  # NaN until the slow window is full
    previous = np.vstack([np.full((1, sign.shape[1]), np.nan), sign[:-1]])
    up = (sign > 0) & (previous <= 0)
    down = (sign < 0) & (previous >= 0)
    # To the symbol's next bar: one packed row down; back to the dates; a last bar's signal lands on a missing date.
    entries, exits = np.zeros_like(valid), np.zeros_like(valid)
    np.put_along_axis(entries, order, np.vstack([np.zeros((1, up.shape[1]), bool), up[:-1]]), axis=0)
    np.put_along_axis(exits, order, np.vstack([np.zeros((1, down.shape[1]), bool), down[:-1]]), axis=0)
    entries &= valid
    exits &= valid
    return (pd.DataFrame(entries, index=close.index, columns=close.columns),
            pd.DataFrame(exits, index=close.index, columns=close.columns))


def backtest(open_: pd.DataFrame, close: pd.DataFrame, quantity: float):
    entries, exits = signals(close)
    pf = vbt.Portfolio.from_signals(
        close, entries, exits, price=open_, size=quantity, size_type="amount", direction="longonly",
        accumulate=False, init_cash=CASH, cash_sharing=True, group_by=True, fees=0.0, slippage=0.0, freq="1D",
    )
    return pf, int(np.sum(pf.trades.count())), float(np.sum(pf.final_value()))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="folder of SYMBOL.csv files (benchmarks/make_universe.py)")
    ap.add_argument("--runs", type=int, default=3, help="timed repetitions (median reported)")
    ap.add_argument("--quantity", type=float, default=1, help="shares per entry (default 1)")
    ap.add_argument("--dump-fills", default=None, metavar="FILE", help="write the last run's fills as symbol,date,side,price")
    a = ap.parse_args(argv)
    if a.runs < 1 or a.quantity <= 0:
        sys.exit("--runs and --quantity must be positive")
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    open_, close = load(a.data)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    backtest(open_, close, a.quantity)
    warmup_s = time.perf_counter() - t0
    times = []
    for _ in range(a.runs):
        t0 = time.perf_counter()
        pf, trades, equity = backtest(open_, close, a.quantity)
        times.append(time.perf_counter() - t0)
    records = pf.orders.values
    if a.dump_fills:
        symbols, dates = close.columns, close.index.strftime("%Y-%m-%d")
        with open(a.dump_fills, "w") as out:
            out.write("symbol,date,side,price\n")
            rows = sorted((dates[r["idx"]], symbols[r["col"]], 1 if r["side"] == 0 else -1, r["price"]) for r in records)
            for date, symbol, side, price in rows:
                out.write(f"{symbol},{date},{side},{price:.4f}\n")
    median = statistics.median(times)
    bars = int(np.count_nonzero(~np.isnan(close.to_numpy())))
    result = {
        "engine": "vectorbt", "data": os.path.basename(os.path.normpath(a.data)), "bars": bars,
        "symbols": close.shape[1], "dates": close.shape[0], "fill": "next_open", "quantity": a.quantity,
        "load_s": round(load_s, 4), "warmup_s": round(warmup_s, 3),
        "run_s": [round(x, 4) for x in times], "run_s_median": round(median, 4), "bars_per_s": round(bars / median, 1),
        "trades": trades, "open_trades": int(np.sum(pf.trades.open.count())), "fills": len(records),
        "final_equity": equity, "version": vbt.__version__,
    }
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
