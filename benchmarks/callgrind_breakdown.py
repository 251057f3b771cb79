#!/usr/bin/env python3
"""Where a backtest's instructions go, per bar, from a callgrind profile of `BacktestEngine.run()`.

  valgrind --tool=callgrind --callgrind-out-file=run.cg \
    --toggle-collect='$s15PeregrineEngine08BacktestB0C3runAA0C6ResultVyF' \
    .build-release/release/peregrine-bench --data .build-bench/harness/data/bars_200k.csv --runs 1
  python3 benchmarks/callgrind_breakdown.py run.cg --bars 200000 [--orders N]

Reads the inclusive cost of a few functions (callgrind_annotate --inclusive=yes) and prints the
parts of a bar: the run's total, the strategy's own bar steps (its crossover, bar by bar and in the
runs of bars it skips), the order path (the strategy's signals through gate, checks, router and
venue; matching at the next bar; booking the fills), the venue's look at every bar, the risk hooks,
the end-of-run statistics and what is left for the kernel's loop (marks, equity points, calls).
`--orders` divides the order path per order.
"""
import argparse
import re
import subprocess

PARTS = {
    "run": r"\$s15PeregrineEngine08BacktestB0C3runAA0C6ResultVyF$",
    "strategy_bar": r"\$s19PeregrineStrategies16SMACrossStrategyV5onBar_10instrument_y0A4Core0F0V_AF12InstrumentIDV0A6Engine0D7ContextCtF$",
    "strategy_skip": r"\$s19PeregrineStrategies16SMACrossStrategyV13skipQuietBars_.*F$",
    "signal": r"\$s15PeregrineEngine15StrategyContextC6signal__8quantity4note4plan.*F$",
    "venue_process": r"\$s15PeregrineEngine14SimulatedVenueC7process3bar10instrumenty0A4Core3BarV_AG12InstrumentIDVtF$",
    "venue_quiet": r"\$s15PeregrineEngine14SimulatedVenueC16processQuietBars.*F$",
    "venue_examine": r"\$s15PeregrineEngine14SimulatedVenueC7examine.*$",
    "dispatch": r"\$s15PeregrineEngine13TradingKernelC14dispatchEventsyyF$",
    "statistics": r"\$s15PeregrineEngine13TradingKernelC6result4barsAA14BacktestResultVSi_tF$",
    "risk_bar": r"\$s13PeregrineRisk0B6EngineC5onBar10instrument5closeySi_0A4Core5PriceVtF$",
    "risk_bars": r"\$s13PeregrineRisk0B6EngineC6onBars10instrument.*F$",
    "risk_equity": r"\$s13PeregrineRisk0B6EngineC8onEquity_10sessionDay2atAC6ActionOSd_s5Int64V0A4Core9TimestampVtF$",
    "risk_kill_switch": r"\$s13PeregrineRisk0B6EngineC15firstKillSwitch.*F$",
    "session_day": r"\$s15PeregrineEngine14SimulatedVenueC10sessionDay2of10instrument.*F$",
}
# Counted by their own instructions only: they call `onEquity`, which is counted whole above.
SELF_PARTS = {
    "risk_equities": r"\$s13PeregrineRisk0B6EngineC10onEquities_.*F$",
}


def costs(profile, inclusive, patterns):
    args = ["callgrind_annotate", "--threshold=100", "--show=Ir"] + (["--inclusive=yes"] if inclusive else []) + [profile]
    text = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    cost = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+\?\?\?:(\S+)", line)
        if not m:
            continue
        value, name = int(m.group(1).replace(",", "")), m.group(2)
        for part, pattern in patterns.items():
            if re.match(pattern, name):
                cost[part] = cost.get(part, 0) + value
    return cost


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("profile")
    ap.add_argument("--bars", type=int, required=True)
    ap.add_argument("--orders", type=int, default=0)
    a = ap.parse_args()
    cost = costs(a.profile, True, PARTS)
    cost.update(costs(a.profile, False, SELF_PARTS))
    per = lambda part: cost.get(part, 0) / a.bars
    order_path = per("signal") + per("venue_examine") + per("dispatch")
    venue_look = per("venue_process") - per("venue_examine") + per("venue_quiet")
    strategy_own = per("strategy_bar") - per("signal") + per("strategy_skip")
    risk = (per("risk_bar") + per("risk_bars") + per("risk_equity") + per("risk_equities") + per("risk_kill_switch")
            + per("session_day"))
    loop = per("run") - order_path - venue_look - strategy_own - per("statistics") - risk
    print(f"instructions per bar, BacktestEngine.run(): {per('run'):.1f} ({cost.get('run', 0):,} over {a.bars:,} bars)")
    print(f"  strategy's own bar steps (the crossover, bar by bar and skipping): {strategy_own:.1f}")
    line = f"  order path (signal, gate, checks, router, venue submit; matching; booking): {order_path:.1f}"
    if a.orders:
        line += f" = {order_path * a.bars / a.orders:,.0f} per order over {a.orders:,} orders"
    print(line)
    print(f"  venue's look at every bar (without matching): {venue_look:.1f}")
    if risk:
        print(f"  risk hooks (closes, equities, kill-switch look-ahead, session day): {risk:.1f}")
    print(f"  end-of-run statistics and result: {per('statistics'):.1f}")
    print(f"  the kernel's loop and the rest (marks, equity points, calls): {loop:.1f}")


if __name__ == "__main__":
    main()
