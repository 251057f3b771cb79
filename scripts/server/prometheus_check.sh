#!/usr/bin/env bash
# A real Prometheus server (Debian's) scrapes a trading bot's /metrics with the API token, and its
# query API returns the bot's equity series and the process's memory. Usage: prometheus_check.sh PEREGRINE WORKDIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
work="$2"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
work="$(pwd)"
command -v prometheus >/dev/null || { echo "prometheus is not installed (apt-get install prometheus)"; exit 1; }

source "$here/ports.sh"

export APCA_API_KEY_ID=PKLOCAL APCA_API_SECRET_KEY=local-secret PEREGRINE_API_TOKEN=prometheus-check-token-0123
port=$(free_port)
"$bin" exchange --data synthetic:bars=20000,seed=3 --speed 120x --port "$port" --warmup 50 > exchange.log 2>&1 &
pids=$!
trap 'kill $pids 2>/dev/null || true' EXIT
wait_port "$port"
cat > trade.toml <<TOML
[trade]
strategy = "sma-cross"
symbols = ["SYN"]
timeframe = "1Min"
warmup_bars = 50
poll_seconds = 0.2
[trade.parameters]
fast = 3
slow = 8
TOML
api_port=$(free_port)
"$bin" trade --config trade.toml --mode sim --base-url "http://127.0.0.1:$port" --poll --store trade.sqlite \
  --serve "127.0.0.1:$api_port" > trade.log 2>&1 &
pids="$pids $!"
wait_port "$api_port"

echo "$PEREGRINE_API_TOKEN" > token
prom_port=$(free_port)
cat > prometheus.yml <<YML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: peregrine
    metrics_path: /metrics
    authorization:
      credentials_file: $work/token
    static_configs:
      - targets: ["127.0.0.1:$api_port"]
YML
prometheus --config.file=prometheus.yml --storage.tsdb.path="$work/tsdb" --web.listen-address="127.0.0.1:$prom_port" > prometheus.log 2>&1 &
pids="$pids $!"
wait_port "$prom_port"

python3 - "$prom_port" <<'PY'
import json, sys, time, urllib.request, urllib.parse
base = f"http://127.0.0.1:{sys.argv[1]}/api/v1/query?query="
def query(q):
    with urllib.request.urlopen(base + urllib.parse.quote(q), timeout=5) as r:
        return json.load(r)["data"]["result"]
for _ in range(30):
    series = query('peregrine_equity[30s]')
    if series and len(series[0]["values"]) >= 5:
        break
    time.sleep(1)
else:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/v1/targets", timeout=5) as r:
        targets = json.load(r)["data"]["activeTargets"]
    sys.exit("Prometheus has no equity series from the bot; its target: " + json.dumps([(t["health"], t["lastError"]) for t in targets]))
equity = series[0]
assert equity["metric"]["bot"] == "sma-cross", equity["metric"]
values = [float(v) for _, v in equity["values"]]
assert all(v > 0 for v in values), values
up = query('up{job="peregrine"}')
assert up and up[0]["value"][1] == "1", up
fills = query('sum(peregrine_fills_total)')
# The process's own memory, for watching a long run stay flat: resident above its anonymous part, both sizable.
resident = query('process_resident_memory_bytes[30s]')
anonymous = query('peregrine_process_anonymous_memory_bytes')
assert resident and len(resident[0]["values"]) >= 5, resident
assert anonymous and 1 << 20 < float(anonymous[0]["value"][1]) < float(resident[0]["values"][-1][1]), (anonymous, resident)
print(f"Prometheus scraped the bot: {len(values)} equity samples in 30 s (last {values[-1]:.2f}), "
      f"fills so far {fills[0]['value'][1] if fills else 0}, target up; resident memory "
      f"{float(resident[0]['values'][-1][1]) / 2**20:.1f} MiB, of which anonymous {float(anonymous[0]['value'][1]) / 2**20:.1f} MiB")
PY
