#!/usr/bin/env bash
# A sweep's rows per second into the SQLite store: the same sma-cross grid run as one shard (every row
# in one transaction) and as four shards at once (four processes, one file), each shard's write timed
# by the command itself; then the same shard run again (its rows replaced), and `sweep collect`
# reading every row back. Usage: sweep_store.sh PEREGRINE WORKDIR
set -euo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
work="$2"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
sweep=(sweep --data "synthetic:bars=2000,seed=3,interval=1d" --grid fast=2..300 --grid slow=10..1000 --constraint "fast<slow"
       --pbo-blocks 16)

echo "== one shard of one"
"$bin" "${sweep[@]}" --shard 0/1 --store one.sqlite | tee one.log
echo "== the same shard again (replaces its rows)"
"$bin" "${sweep[@]}" --shard 0/1 --store one.sqlite | tee again.log
echo "== four shards at once, one file"
start=$(date +%s.%N)
for k in 0 1 2 3; do
  JOB_COMPLETION_INDEX=$k "$bin" "${sweep[@]}" --shard auto/4 --store four.sqlite --threads 1 > "four-$k.log" &
done
wait
end=$(date +%s.%N)
grep -h "stored" four-*.log
python3 -c "print(f'four shards: {float(\"$end\") - float(\"$start\"):.2f} s wall')"
id=$(head -1 one.log | cut -d' ' -f2 | tr -d :)
echo "== collect"
/usr/bin/time -f "collect: %e s wall, %M KB peak" "$bin" sweep collect --store one.sqlite --sweep "$id" --out collected --top 3
ls -l one.sqlite four.sqlite
