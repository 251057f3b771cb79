#!/usr/bin/env bash
# The release binary runs on a machine without Swift: built with --static-swift-stdlib, it must name
# no Swift, Foundation, Dispatch or ICU library among its dynamic dependencies (ldd; the system's C and
# C++ libraries, SQLite and libcurl are Debian's), and it must run a
# backtest on generated data with the Swift toolchain hidden (an empty tmpfs over it, in a private
# mount namespace, where unshare is allowed) and an empty environment (PATH without Swift,
# LD_LIBRARY_PATH empty). With a reference binary (the debug build), the fills and trades must equal
# its own byte for byte.
# Usage: static_binary_check.sh SCRATCH_PATH WORKDIR [REFERENCE_PEREGRINE]
# STATIC_CONFIGURATION=debug builds the same static linkage without the optimizer (what .ci/run does:
# the linkage is what is checked, and a release build would take most of CI's time).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scratch="$(mkdir -p "$1" && cd "$1" && pwd)"
work="$2"
reference="${3:-}"
if [ -n "$reference" ]; then reference="$(cd "$(dirname "$reference")" && pwd)/$(basename "$reference")"; fi
rm -rf "$work" && mkdir -p "$work" && work="$(cd "$work" && pwd)"
cd "$root"

# A dependency links FoundationNetworking, whose static library calls libcurl: the link needs its
# development files, and the binary then loads the system's libcurl (not a Swift library).
for package in libsqlite3-dev libcurl4-openssl-dev; do
  if ! dpkg -s "$package" >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && apt-get install -y -qq "$package" >/dev/null) || echo "warning: could not install $package"
  fi
done

configuration="${STATIC_CONFIGURATION:-release}"
start=$(date +%s)
swift build -c "$configuration" --static-swift-stdlib --product peregrine --scratch-path "$scratch"
echo "$configuration build: $(( $(date +%s) - start )) s"
binary="$(swift build -c "$configuration" --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)/peregrine"
cp "$binary" "$work/peregrine"
ls -l "$work/peregrine"

echo "== dynamic dependencies"
ldd "$work/peregrine" | tee "$work/ldd.txt"
if grep -Ei 'libswift|libFoundation|libdispatch|libBlocksRuntime|libicu|/opt/swift|not found' "$work/ldd.txt"; then
  echo "static binary check: the binary needs the libraries above (Swift's, or missing)" >&2
  exit 1
fi

toolchain="$(cd "$(dirname "$(readlink -f "$(command -v swift)")")/../.." && pwd)"
clean=(env -i PATH=/usr/local/bin:/usr/bin:/bin LD_LIBRARY_PATH= HOME="$work" LANG=C)
script="cd '$work' && ./peregrine data generate --out bars.csv --bars 20000 --seed 5 \
  && ./peregrine backtest --data bars.csv --commission per-share:0.005,min=1 --out static-run"
if unshare -m true 2>/dev/null; then
  echo "== run with $toolchain hidden and an empty environment"
  unshare -m sh -c "mount -t tmpfs none '$toolchain' && test ! -e '$toolchain/usr/bin/swift' && ${clean[*]} sh -c \"$script\""
else
  echo "== run with an empty environment (unshare not allowed here: the toolchain stays on disk, off PATH and LD_LIBRARY_PATH)"
  "${clean[@]}" sh -c "$script"
fi
python3 - "$work/static-run/summary.json" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
assert summary["bars"] == 20000, summary["bars"]
assert summary["fill_count"] > 0, "the backtest traded nothing"
print(f"static binary backtest: {summary['bars']} bars, {summary['fill_count']} fills, final equity {summary['final_equity']}")
PY

if [ -n "$reference" ]; then
  (cd "$work" && "$reference" backtest --data bars.csv --commission per-share:0.005,min=1 --out reference-run > /dev/null)
  for file in fills.csv trades.csv equity.csv; do
    cmp "$work/static-run/$file" "$work/reference-run/$file"
  done
  echo "fills.csv, trades.csv and equity.csv equal the reference build's"
fi
echo "static binary check: ok"
