#!/usr/bin/env bash
# Migration throughput, measured side by side in one run against the real local Mem0 server (scripts/mem0-local):
#   1. no added latency: memconsole vs. a sequential one-add-per-row script (the seed's approach);
#   2. 80 ms added latency (fault proxy): the same pair;
#   3. a 1,000 requests/min limit on adds (fault proxy token bucket: capacity 1000, refill 1000/min, 429 with
#      Retry-After): the share of the limit used once the initial burst allowance is spent, and the 429 share.
# usage: scripts/bench-migration.sh [ROWS=3000] [LIMITED_ROWS=2500]
# env: MEMCONSOLE_BIN (default: release build). Prints a markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-3000}
limited_rows=${2:-2500}
if [ -z "${MEMCONSOLE_BIN:-}" ]; then
    swift build -c release --product memconsole >&2
    MEMCONSOLE_BIN="$(swift build -c release --show-bin-path)/memconsole"
fi
bin=$MEMCONSOLE_BIN
work=$(mktemp -d /tmp/bench-migration-XXXXXX)
export MEM0_API_KEY="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cleanup() { scripts/mem0-local stop --data "$work/mem0" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
server=$(scripts/mem0-local start --data "$work/mem0")
slow=$(scripts/mem0-local proxy start --data "$work/mem0" --upstream "$server" --name slow --latency-ms 80)
limited=$(scripts/mem0-local proxy start --data "$work/mem0" --upstream "$server" --name limited \
    --rate-per-minute 1000 --rate-paths add)

db() { "$bin" demo-db "$work/$1.db" --users 40 --memories "$2" --messages 100 --seed "$3" >/dev/null; echo "$work/$1.db"; }
migrate_json() {  # $1 db, $2 url, $3 prefix
    python3 scripts/bench_migration.py timeline -- "$bin" migrate "$1" --mem0-url "$2" --dialect oss \
        --user-id-prefix "$3" --verify-sample 0 --json
}
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

echo "machine: $(nproc) cores, $(uname -sr); rows: $rows (latency cases), $limited_rows (rate-limit case)" >&2

base0=$(python3 scripts/bench_migration.py sequential "$(db b0 600 1)" "$server" "$MEM0_API_KEY" 500 "b0-")
mc0=$(migrate_json "$(db m0 "$rows" 2)" "$server" "m0-")
base80=$(python3 scripts/bench_migration.py sequential "$(db b80 300 3)" "$slow" "$MEM0_API_KEY" 200 "b80-")
mc80=$(migrate_json "$(db m80 "$rows" 4)" "$slow" "m80-")
curl -s -X POST "$limited/__proxy/stats/reset" >/dev/null
mcl=$(migrate_json "$(db ml "$limited_rows" 5)" "$limited" "ml-")
stats=$(curl -s "$limited/__proxy/stats")

echo "raw: base0=$base0" >&2; echo "raw: mc0=$mc0" >&2; echo "raw: base80=$base80" >&2; echo "raw: mc80=$mc80" >&2
echo "raw: limited=$mcl proxy=$stats" >&2

r_base0=$(field "$base0" rows_per_second); r_mc0=$(field "$mc0" rows_per_second)
r_base80=$(field "$base80" rows_per_second); r_mc80=$(field "$mc80" rows_per_second)
steady=$(field "$mcl" steady_rows_per_second)
requests=$(field "$stats" requests); limited_count=$(field "$stats" rate_limited)
python3 - "$r_base0" "$r_mc0" "$r_base80" "$r_mc80" "$steady" "$requests" "$limited_count" "$rows" "$limited_rows" <<'PY'
import sys
b0, m0, b80, m80, steady, requests, limited, rows, lrows = sys.argv[1:]
b0, m0, b80, m80 = map(float, (b0, m0, b80, m80))
share = float(limited) / float(requests) * 100
use = float(steady) / (1000 / 60) * 100 if steady != "None" else float("nan")
print("| case | sequential one-add-per-row script | memconsole migrate | ratio |")
print("|---|---|---|---|")
print(f"| local server, 0 ms added | {b0:.1f} rows/s | {m0:.1f} rows/s | {m0 / b0:.1f}× |")
print(f"| 80 ms added latency (proxy) | {b80:.1f} rows/s | {m80:.1f} rows/s | {m80 / b80:.1f}× |")
print()
print(f"1,000 adds/min limit ({lrows} rows; bucket of 1000 then 16.7/s): after the burst allowance, "
      f"{float(steady):.2f} rows/s = {use:.1f} % of the limit; {limited} of {requests} requests answered 429 "
      f"({share:.2f} %).")
PY
