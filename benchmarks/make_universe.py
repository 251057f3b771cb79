"""A universe for the portfolio benchmark: N symbols of daily bars over about ten years (2,520 sessions),
each starting on its own date (a fifth start up to five years late) and missing about one bar in fifty,
seeded, as a folder of SYMBOL.csv files that `peregrine backtest --data FOLDER` reads as one portfolio.

Run: python3 benchmarks/make_universe.py --symbols 500 --out .build-bench/universe"""
import argparse
import datetime
import math
import os
import random

parser = argparse.ArgumentParser()
parser.add_argument("--symbols", type=int, default=500)
parser.add_argument("--sessions", type=int, default=2520)
parser.add_argument("--seed", type=int, default=7)
parser.add_argument("--out", required=True)
args = parser.parse_args()

os.makedirs(args.out, exist_ok=True)
rng = random.Random(args.seed)
days = []
day = datetime.date(2014, 1, 2)
while len(days) < args.sessions:
    if day.weekday() < 5:
        days.append(day.isoformat())
    day += datetime.timedelta(days=1)
for k in range(args.symbols):
    start = rng.randrange(0, args.sessions // 2) if rng.random() < 0.2 else 0
    price = math.exp(rng.uniform(math.log(5), math.log(500)))
    drift, vol = rng.uniform(-0.05, 0.15) / 252, rng.uniform(0.15, 0.6) / math.sqrt(252)
    with open(os.path.join(args.out, f"s{k:03d}.csv"), "w") as out:
        out.write("timestamp,open,high,low,close,volume\n")
        for t in range(start, args.sessions):
            open_ = price * math.exp(rng.gauss(0, vol * 0.2))
            price = max(0.05, open_ * math.exp(drift + rng.gauss(0, vol)))
            if rng.random() < 0.02:
                continue
            high = max(open_, price) * (1 + abs(rng.gauss(0, vol * 0.3)))
            low = min(open_, price) * (1 - abs(rng.gauss(0, vol * 0.3)))
            out.write(f"{days[t]},{open_:.2f},{high:.2f},{low:.2f},{price:.2f},{rng.randrange(10_000, 5_000_000)}\n")
