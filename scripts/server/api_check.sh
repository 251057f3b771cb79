#!/usr/bin/env bash
# The control API as a client sees it: a store with a backtest and a simulated trading run, served by
# `peregrine serve`; openapi-spec-validator checks the committed document and schemathesis fuzzes every
# operation against the running server, failing on any server error (5xx) or any answer that breaks the
# document (schema, status code, content type). Usage: api_check.sh PEREGRINE VENV_PYTHON_BIN_DIR WORKDIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
venv_bin="$(cd "$2" && pwd)"
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$3"
rm -rf "$work" && mkdir -p "$work" && cd "$work"

"$venv_bin/openapi-spec-validator" "$root/openapi.json"

source "$here/ports.sh"

# The store: a backtest with its tearsheet, then a bot trading the local exchange.
"$bin" backtest --data synthetic:bars=2000,seed=5 --strategy sma-cross --store api.sqlite > backtest.log
export APCA_API_KEY_ID=PKLOCAL APCA_API_SECRET_KEY=local-secret
port=$(free_port)
"$bin" exchange --data synthetic:bars=400,seed=3 --speed manual --port "$port" --warmup 50 --cash 100000 > exchange.log 2>&1 &
exchange=$!
trap 'kill $exchange ${server:-} 2>/dev/null || true' EXIT
wait_port "$port"
cat > trade.toml <<TOML
[trade]
strategy = "sma-cross"
symbols = ["SYN"]
timeframe = "1Min"
warmup_bars = 50

[trade.parameters]
fast = 3
slow = 8
TOML
"$bin" trade --config trade.toml --mode sim --base-url "http://127.0.0.1:$port" --step --store api.sqlite > trade.log
kill $exchange

# The server, with a failure limit high enough for the fuzzer's deliberate unauthenticated requests.
export PEREGRINE_API_TOKEN=api-check-token-0123456789
api_port=$(free_port)
"$bin" serve --store api.sqlite --serve "127.0.0.1:$api_port" --auth-failure-limit 100000 > serve.log 2>&1 &
server=$!
wait_port "$api_port"
curl -sf -H "Authorization: Bearer $PEREGRINE_API_TOKEN" "http://127.0.0.1:$api_port/api/v1/fills?limit=1" | grep -q execution_id

"$venv_bin/schemathesis" run "$root/openapi.json" --url "http://127.0.0.1:$api_port" \
  -H "Authorization: Bearer $PEREGRINE_API_TOKEN" \
  --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
  --max-examples 40 --seed 1 --no-color | tail -25
echo "control API: document valid, schemathesis found no server error and no answer outside the document"
