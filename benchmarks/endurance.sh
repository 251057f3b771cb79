#!/usr/bin/env bash
# Endurance: `peregrine run` with the three bots of examples/bots.toml over a year of minute bars per
# symbol against `peregrine exchange` at full speed (`--step`), with faults injected all along: a share
# of the API requests answered 429, 500 or lost after the exchange acted (`--fault-rate`), and every
# stream dropped every DROP_SECONDS. While it runs, the bots' process is sampled every 5 s (resident
# memory, open file descriptors, threads) and every PARITY_SECONDS each bot's parity is asked of the
# control API (`GET /api/v1/parity`: its fills against a backtest on the bars it handled so far); at
# the end every order's filled quantity at the exchange is compared with the fills in the store, and
# the samples after the warm-up are summarized.
#
#   benchmarks/endurance.sh [PEREGRINE] [BARS] [FAULT_RATE]
#
# PEREGRINE defaults to the release build (.build-release/release/peregrine); BARS per symbol defaults
# to a year of regular sessions (252 x 390 = 98,280); FAULT_RATE to 0.002. DROP_SECONDS (30),
# PARITY_SECONDS (60), ENDURANCE_WORK (the folder, .build-bench/endurance) and
# WARMUP_SHARE (0.2, the share of the samples left out as the warm-up) come from the environment.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/.build-release/release/peregrine}"
bars="${2:-98280}"
rate="${3:-0.002}"
drop_seconds="${DROP_SECONDS:-30}"
parity_seconds="${PARITY_SECONDS:-60}"
warmup_share="${WARMUP_SHARE:-0.2}"
work="${ENDURANCE_WORK:-$root/.build-bench/endurance}"
rm -rf "$work" && mkdir -p "$work/prices" && cd "$work"
source "$root/scripts/server/ports.sh"
for pair in AAA:11 BBB:12 CCC:13; do "$bin" data generate --out "prices/${pair%%:*}.csv" --bars "$bars" --seed "${pair##*:}" > /dev/null; done
# Without the account-wide exposure limit: it adds up what the other bots reported after their last
# turn, which a backtest of one bot cannot know, so parity would name every entry it refused.
python3 - "$root/examples/bots.toml" > bots.toml <<'PY'
import re, sys
text = re.sub(r"(?m)^max_gross_exposure\s*=.*\n", "", open(sys.argv[1]).read())
print(re.sub(r"(?m)^\[account_risk\]\s*\n(?=\s*(\[|#|$))", "", text), end="")   # the table left empty
PY
export APCA_API_KEY_ID=PKLOCAL APCA_API_SECRET_KEY=local-secret PEREGRINE_API_TOKEN=endurance-token-0123456789

port=$(free_port); api=$(free_port)
"$bin" exchange --data prices --speed manual --port "$port" --warmup 150 --fault-rate "$rate" --fault-seed 7 > exchange.log 2>&1 &
exchange=$!
wait_port "$port"
started=$(date +%s)
"$bin" run --config bots.toml --mode sim --base-url "http://127.0.0.1:$port" --step --store endurance.sqlite \
  --serve "127.0.0.1:$api" > run.log 2>&1 &
bots=$!

echo "seconds,rss_kib,fds,threads,anon_kib,file_kib,shmem_kib" > samples.csv
last_drop=$started
last_parity=$started
: > parity.jsonl
while kill -0 "$bots" 2>/dev/null; do
  now=$(date +%s)
  if [ -r "/proc/$bots/status" ]; then
    # Resident memory split as the kernel counts it: anonymous (the heap), file-backed (the binary,
    # libraries, mapped files) and shared memory (SQLite's WAL index).
    read -r rss threads anon file shmem < <(awk '/^VmRSS:/ {r=$2} /^Threads:/ {t=$2} /^RssAnon:/ {a=$2} /^RssFile:/ {f=$2}
      /^RssShmem:/ {s=$2} END {print r, t, a, f, s}' "/proc/$bots/status" 2>/dev/null || echo "")
    fds=$(ls "/proc/$bots/fd" 2>/dev/null | wc -l)
    [ -n "${rss:-}" ] && echo "$((now - started)),$rss,$fds,$threads,$anon,$file,$shmem" >> samples.csv
  fi
  if [ $((now - last_drop)) -ge "$drop_seconds" ]; then
    curl -s -X POST -H "APCA-API-KEY-ID: $APCA_API_KEY_ID" -H "APCA-API-SECRET-KEY: $APCA_API_SECRET_KEY" \
      "http://127.0.0.1:$port/peregrine/drop_streams" >> drops.log 2>&1 || true
    echo >> drops.log
    last_drop=$now
  fi
  if [ $((now - last_parity)) -ge "$parity_seconds" ]; then
    for bot in trend reversion oversold; do
      curl -s -H "Authorization: Bearer $PEREGRINE_API_TOKEN" "http://127.0.0.1:$api/api/v1/parity?bot=$bot" >> parity.jsonl || true
      echo >> parity.jsonl
    done
    last_parity=$now
  fi
  sleep 5
done
status=0
wait "$bots" || status=$?
elapsed=$(( $(date +%s) - started ))
curl -s -H "APCA-API-KEY-ID: $APCA_API_KEY_ID" -H "APCA-API-SECRET-KEY: $APCA_API_SECRET_KEY" \
  "http://127.0.0.1:$port/v2/orders?status=all" > exchange-orders.json || true
kill -TERM "$exchange" 2>/dev/null || true
wait "$exchange" 2>/dev/null || true

python3 - "$status" "$elapsed" "$bars" "$rate" "$warmup_share" <<'PY'
import csv, json, sqlite3, statistics, sys
from decimal import Decimal
status, elapsed, bars, rate, warmup_share = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], float(sys.argv[5])
faults = next((l.strip() for l in open("exchange.log") if l.startswith("faults injected")), "faults injected: (not reported)")
drops = sum(1 for l in open("drops.log") if '"dropped"' in l) if __import__("os").path.exists("drops.log") else 0
print(f"run exit status {status}; {elapsed} s for {bars} bars of each of 3 symbols ({3 * bars / max(elapsed, 1):,.0f} bars/s)")
print(f"{faults}; streams dropped {drops} times (fault rate {rate})")

# Every fill at the exchange is in the store: per client order id, the exchange's filled quantity equals
# the sum of the stored fills.
try:
    orders = json.load(open("exchange-orders.json"))
except Exception as error:
    sys.exit(f"the exchange's orders could not be read: {error}")
exchange = {o["client_order_id"]: Decimal(o.get("filled_qty") or "0") for o in orders}
db = sqlite3.connect("endurance.sqlite")
stored = {}
for client_id, quantity in db.execute("SELECT client_order_id, quantity FROM fill"):
    stored[client_id] = stored.get(client_id, Decimal(0)) + Decimal(str(quantity))
intents = {row[0] for row in db.execute("SELECT client_order_id FROM order_intent")}
filled = {k: v for k, v in exchange.items() if v > 0}
missing = [k for k, v in filled.items() if stored.get(k, Decimal(0)) != v]
extra = [k for k in stored if k not in filled]
unknown = [k for k in exchange if k not in intents]
decisions = db.execute("SELECT COUNT(*) FROM decision").fetchone()[0]
print(f"orders at the exchange {len(exchange)} ({len(filled)} filled), fill rows in the store {db.execute('SELECT COUNT(*) FROM fill').fetchone()[0]}, "
      f"decisions {decisions}")
print(f"orders whose fills differ between exchange and store: {len(missing)}; stored fills the exchange lacks: {len(extra)}; "
      f"exchange orders without a stored intent: {len(unknown)}")

# Parity along the way: each bot's fills against its backtest on the bars it had handled.
checks = {}
for line in open("parity.jsonl"):
    line = line.strip()
    if not line.startswith("{"): continue
    answer = json.loads(line)
    if "bot" not in answer: continue
    checks.setdefault(answer["bot"], []).append(answer)
for bot, answers in sorted(checks.items()):
    last = answers[-1]
    print(f"parity {bot}: {sum(1 for a in answers if a['clean'])} of {len(answers)} checks clean; the last over {last['bars']} bars: "
          f"live fills {last['live_fills']}, backtest fills {last['backtest_fills']}, matched {last['matched']}, "
          f"P&L live {last['live_pnl']} backtest {last['backtest_pnl']}")
parity_failures = sum(1 for answers in checks.values() for a in answers if not a["clean"])

samples = list(csv.DictReader(open("samples.csv")))
rows = [(int(r["seconds"]), int(r["rss_kib"]), int(r["fds"]), int(r["threads"])) for r in samples]
after = rows[int(len(rows) * warmup_share):]
if len(after) >= 8:
    quarter = max(len(after) // 4, 2)
    first, last = after[:quarter], after[-quarter:]
    def med(items, k): return statistics.median(x[k] for x in items)
    xs = [r[0] for r in after]; ys = [r[1] for r in after]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / max(sum((x - mean_x) ** 2 for x in xs), 1)
    print(f"samples {len(rows)} (after the warm-up {len(after)}): resident memory median {med(first, 1) / 1024:.1f} MiB "
          f"in the first quarter, {med(last, 1) / 1024:.1f} MiB in the last (least-squares slope {slope * 3600 / 1024:+.1f} MiB an hour), "
          f"peak {max(ys) / 1024:.1f} MiB")
    for column, name in (("anon_kib", "anonymous"), ("file_kib", "file-backed"), ("shmem_kib", "shared")):
        values = [int(r[column]) for r in samples[int(len(rows) * warmup_share):] if r.get(column)]
        if len(values) >= 8:
            q = max(len(values) // 4, 2)
            print(f"  of which {name}: median {statistics.median(values[:q]) / 1024:.1f} MiB in the first quarter, "
                  f"{statistics.median(values[-q:]) / 1024:.1f} MiB in the last")
    print(f"open descriptors median {med(first, 2):.0f} then {med(last, 2):.0f} (max {max(r[2] for r in after)}); "
          f"threads {med(first, 3):.0f} then {med(last, 3):.0f}")
else:
    print(f"only {len(rows)} samples: run longer for a memory trend")
sys.exit(1 if status != 0 or missing or extra or unknown or parity_failures else 0)
PY
