#!/usr/bin/env bash
# Builds examples/custom-strategy against a tagged copy of this checkout (a versioned `from:`
# requirement, as a user's package has) and runs its own strategy through backtest, sweep,
# walkforward and trade --mode sim against the local exchange. Usage: custom_strategy_check.sh [WORKDIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-$(mktemp -d)}"
rm -rf "$work/peregrine" "$work/example"
git clone -q "$root" "$work/peregrine"
git -C "$work/peregrine" tag 0.1.0
cp -R "$root/examples/custom-strategy" "$work/example"
export PEREGRINE_PACKAGE_URL="file://$work/peregrine"
swift build --package-path "$work/example"
bin="$work/example/.build/debug/my-peregrine"
cd "$work"

"$bin" strategies channel-breakout | grep -q "entry"
"$bin" backtest --data synthetic:bars=5000,seed=3 --strategy channel-breakout --param entry=30 --out bt | tee backtest.txt
grep -q '"fill_count"' bt/summary.json
"$bin" sweep --data synthetic:bars=5000,seed=3 --strategy channel-breakout --grid entry=10..40:10 --grid exit=5..15:5 --out sw
test "$(wc -l < sw/results.csv)" -eq 13
"$bin" walkforward --data synthetic:bars=3000,seed=3,interval=1d --strategy channel-breakout --grid entry=10..40:10 \
  --in-sample 1000 --out-of-sample 500 --out wf
grep -q '"windows"' wf/summary.json

# trade --mode sim: the strategy against the local exchange, bar by bar.
export APCA_API_KEY_ID=PKLOCAL APCA_API_SECRET_KEY=local-secret
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" exchange --data synthetic:bars=600,seed=3 --speed manual --port "$port" --warmup 50 --cash 100000 > exchange.log 2>&1 &
exchange=$!
trap 'kill $exchange 2>/dev/null || true' EXIT
python3 - "$port" <<'PY'
import socket, sys, time
for _ in range(300):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        break
    except OSError:
        time.sleep(0.2)
PY
cat > trade.toml <<TOML
[trade]
strategy = "channel-breakout"
symbols = ["SYN"]
timeframe = "1Min"
warmup_bars = 50

[trade.parameters]
entry = 20
exit = 10
quantity = 10
TOML
"$bin" trade --config trade.toml --mode sim --base-url "http://127.0.0.1:$port" --step --store trade.sqlite | tail -5
"$bin" db fills --store trade.sqlite | tee fills.txt
test "$(grep -c SYN fills.txt)" -ge 2
echo "custom-strategy example: backtest, sweep, walkforward and trade --mode sim ran"
