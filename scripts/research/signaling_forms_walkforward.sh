#!/usr/bin/env bash
# Walk-forward comparison of the signaling game's two forms (game=estimated, game=fixed) on the real
# data in ../shared/data: the same grid, windows and files for both; prints one row per file and form
# with the stitched out-of-sample return, Sharpe, max drawdown and deflated Sharpe.
# Usage: scripts/research/signaling_forms_walkforward.sh PEREGRINE_BINARY [DATA_DIR] [OUT_DIR]
set -euo pipefail
peregrine="${1:?usage: $0 PEREGRINE_BINARY [DATA_DIR] [OUT_DIR]}"
data="${2:-../shared/data}"
out="${3:-.build/signaling-forms}"
[ -d "$data" ] || { echo "no data folder at $data (../shared/data is not part of a clone)" >&2; exit 1; }
mkdir -p "$out"
run() { # name, then the data options
  local name="$1"; shift
  for form in estimated fixed; do
    "$peregrine" walkforward "$@" --strategy signaling-game --param "game=$form" --grid min_prob_up=0.50..0.60:0.05 \
      --in-sample 1000 --out-of-sample 250 --out "$out/${name}_$form" > "$out/${name}_$form.log"
    awk -v name="$name" -v form="$form" '
      /^out-of-sample return/ { ret = $3 }
      /^out-of-sample sharpe/ { sharpe = $3 }
      /^max drawdown/ { dd = $3 }
      /^deflated sharpe/ { dsr = $4 }
      END { printf "| %s | %s | %s | %s | %s | %s |\n", name, form, ret, sharpe, dd, dsr }' "$out/${name}_$form.log"
  done
}
echo "| data | form | OOS return | OOS Sharpe | max drawdown | deflated Sharpe |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
run orcl_daily --data "$data/orcl_daily.csv"
run nvda_daily --data "$data/nvda_daily.csv"
run aapl_daily_adjusted --data "$data/aapl_daily_unadjusted.csv" --symbol AAPL \
  --corporate-actions "$data/aapl_lean_factor_file.csv" --adjustment adjusted
run btcusd_daily --data "$data/btcusd_daily.csv" --asset-class crypto
run eurusd_1h --data "$data/eurusd_1h_2017.csv" --timezone UTC --asset-class forex --symbol EURUSD
