#!/usr/bin/env bash
# A sweep's rows per second into the store: the same sma-cross grid run as one shard (every row in one
# transaction) and as four shards at once (four processes, one store), each shard's write timed by the
# command itself; then the same shard run again (its rows replaced), and `sweep collect` reading every
# row back. Usage: sweep_store.sh PEREGRINE WORKDIR [POSTGRES_URL]
# Into SQLite files in WORKDIR, or with POSTGRES_URL (postgres://USER@HOST:PORT/DB?sslmode=disable, the
# password in PGPASSWORD) into two fresh schemas of that database. GRID_FAST and GRID_SLOW set the grid
# (2..300 and 10..1000: 253,823 combinations with fast < slow).
set -euo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
work="$2"
postgres="${3:-}"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
sweep=(sweep --data "synthetic:bars=2000,seed=3,interval=1d" --grid "fast=${GRID_FAST:-2..300}" --grid "slow=${GRID_SLOW:-10..1000}"
       --constraint "fast<slow" --pbo-blocks 16)
if [ -n "$postgres" ]; then
  suffix="$(date +%s)"
  separator="?"; case "$postgres" in *\?*) separator="&";; esac
  one="${postgres}${separator}schema=sweep_one_$suffix"
  four="${postgres}${separator}schema=sweep_four_$suffix"
else
  one=one.sqlite
  four=four.sqlite
fi

echo "== one shard of one"
"$bin" "${sweep[@]}" --shard 0/1 --store "$one" | tee one.log
echo "== the same shard again (replaces its rows)"
"$bin" "${sweep[@]}" --shard 0/1 --store "$one" | tee again.log
echo "== four shards at once, one file"
start=$(date +%s.%N)
for k in 0 1 2 3; do
  JOB_COMPLETION_INDEX=$k "$bin" "${sweep[@]}" --shard auto/4 --store "$four" --threads 1 > "four-$k.log" &
done
wait
end=$(date +%s.%N)
grep -h "stored" four-*.log
python3 -c "print(f'four shards: {float(\"$end\") - float(\"$start\"):.2f} s wall')"
id=$(head -1 one.log | cut -d' ' -f2 | tr -d :)
echo "== collect"
/usr/bin/time -f "collect: %e s wall, %M KB peak" "$bin" sweep collect --store "$one" --sweep "$id" --out collected --top 3
[ -n "$postgres" ] || ls -l one.sqlite four.sqlite
