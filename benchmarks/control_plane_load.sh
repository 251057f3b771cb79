#!/usr/bin/env bash
# The control API under load while three bots trade the local exchange at full speed (`peregrine run
# --step`): wrk on `status` and on `positions` at once, and 100 WebSocket watchers of which 10 never
# read. Then the same run without load: the bots' fills and decisions must be identical.
#
#   benchmarks/control_plane_load.sh [PEREGRINE] [SECONDS] [BARS]
#
# PEREGRINE defaults to the release build (.build-release/release/peregrine); SECONDS of load (60);
# BARS per symbol (enough that the bots outlast the load).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/.build-release/release/peregrine}"
seconds="${2:-60}"
bars="${3:-40000}"
python="${PYTHON:-$root/.build/alpaca-py-venv/bin/python}"   # has the websockets package (alpaca-py's)
work="$root/.build-bench/control-plane"
rm -rf "$work" && mkdir -p "$work/prices" && cd "$work"
source "$root/scripts/server/ports.sh"
for pair in AAA:1 BBB:2 CCC:3; do "$bin" data generate --out "prices/${pair%%:*}.csv" --bars "$bars" --seed "${pair##*:}" > /dev/null; done
cp "$root/examples/bots.toml" bots.toml
export APCA_API_KEY_ID=PKLOCAL APCA_API_SECRET_KEY=local-secret PEREGRINE_API_TOKEN=load-test-token-0123456789

# One full run of the three bots; with "load", the API is hammered while they trade.
run_bots() {
  local name="$1" load="$2" port api pids
  port=$(free_port); api=$(free_port)
  "$bin" exchange --data prices --speed manual --port "$port" --warmup 150 > "$name-exchange.log" 2>&1 &
  pids=$!
  wait_port "$port"
  "$bin" run --config bots.toml --mode sim --base-url "http://127.0.0.1:$port" --step --store "$name.sqlite" \
    --serve "127.0.0.1:$api" --auth-failure-limit 1000000 > "$name-run.log" 2>&1 &
  local bots=$!
  wait_port "$api"
  if [ "$load" = load ]; then
    "$python" - "$api" "$seconds" > "$name-websockets.log" 2>&1 <<'PY' &
import asyncio, json, os, sys, time
import websockets
port, seconds = int(sys.argv[1]), float(sys.argv[2])
url = f"ws://127.0.0.1:{port}/api/v1/ws?token={os.environ['PEREGRINE_API_TOKEN']}"
async def watcher(reads):
    got, closed = 0, None
    try:
        async with websockets.connect(url, max_queue=None if reads else 1) as socket:
            end = time.time() + seconds
            while time.time() < end:
                if reads:
                    try:
                        await asyncio.wait_for(socket.recv(), timeout=1)
                        got += 1
                    except asyncio.TimeoutError:
                        pass
                else:
                    await asyncio.sleep(1)
    except websockets.ConnectionClosed as error:
        closed = f"{error.rcvd.code if error.rcvd else '?'} {error.rcvd.reason if error.rcvd else ''}"
    return got, closed
async def main():
    results = await asyncio.gather(*[watcher(k >= 10) for k in range(100)])
    readers = [r for r in results[10:]]
    idle = [r for r in results[:10]]
    print(json.dumps({"readers": len(readers), "messages_per_reader_min": min(g for g, _ in readers),
                      "readers_closed": sum(1 for _, c in readers if c), "idle": len(idle),
                      "idle_closed": [c for _, c in idle]}))
asyncio.run(main())
PY
    local sockets=$!
    sleep 2
    wrk -t1 -c8 -d"${seconds}s" --latency -H "Authorization: Bearer $PEREGRINE_API_TOKEN" "http://127.0.0.1:$api/api/v1/status" > "$name-wrk-status.txt" &
    local w1=$!
    wrk -t1 -c8 -d"${seconds}s" --latency -H "Authorization: Bearer $PEREGRINE_API_TOKEN" "http://127.0.0.1:$api/api/v1/positions" > "$name-wrk-positions.txt" &
    local w2=$!
    wait $w1 $w2 $sockets
    if ! kill -0 $bots 2>/dev/null; then echo "the bots finished before the load ended: give more BARS"; exit 1; fi
  fi
  wait $bots || true
  kill $pids 2>/dev/null || true
  "$bin" db fills --store "$name.sqlite" --limit 0 | awk '{print $1, $2, $3, $4, $5}' | sort > "$name-fills.txt"
  sqlite3 "$name.sqlite" "SELECT time_ns, symbol, action, outcome, reason, detail, strategy FROM decision ORDER BY time_ns, symbol, id" > "$name-decisions.txt" 2>/dev/null \
    || "$python" -c "import sqlite3,sys; [print('|'.join(map(str,r))) for r in sqlite3.connect(sys.argv[1]).execute('SELECT time_ns, symbol, action, outcome, reason, detail, strategy FROM decision ORDER BY time_ns, symbol, id')]" "$name.sqlite" > "$name-decisions.txt"
}

run_bots loaded load
run_bots quiet none
for kind in fills decisions; do
  if cmp -s "loaded-$kind.txt" "quiet-$kind.txt"; then echo "$kind identical with and without load: $(wc -l < "quiet-$kind.txt") rows"
  else echo "$kind DIFFER with load"; diff "loaded-$kind.txt" "quiet-$kind.txt" | head; exit 1; fi
done
for target in status positions; do
  echo "== $target"; grep -E "Requests/sec|Latency|  50%|  90%|  99%|requests in|Non-2xx" "loaded-wrk-$target.txt"
done
echo "== websockets"; cat loaded-websockets.log
