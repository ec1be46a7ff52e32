#!/usr/bin/env bash
# Throughput of memconsole's Mem0 client (libcurl on worker threads) against the project's local Mem0 server
# (real mem0ai), adds then gets, at concurrency 1 and 8 in both dialects, and through the fault proxy with 80 ms
# of added latency (a WAN-like link). Results: docs/benchmarks.md, section "Mem0 client".
#
#   scripts/bench-mem0-client.sh [COUNT]        # COUNT requests per phase (default 1000)
#   SCRATCH=.build-release scripts/bench-mem0-client.sh   # where the release build goes
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
count="${1:-1000}"
scratch="${SCRATCH:-.build-bench-release}"

echo "bench: building memconsole (release, $scratch)..." >&2
swift build -c release --product memconsole --scratch-path "$scratch" >&2
binary="$scratch/release/memconsole"

data="$(mktemp -d /tmp/mem0-bench-XXXXXX)"
# A throwaway key for this local server only; never printed.
MEM0_API_KEY="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export MEM0_API_KEY
cleanup() {
    scripts/mem0-local proxy stop --data "$data" --name bench-proxy >/dev/null 2>&1 || true
    scripts/mem0-local stop --data "$data" >/dev/null 2>&1 || true
    rm -rf "$data"
}
trap cleanup EXIT
url="$(scripts/mem0-local start --data "$data")"
echo "bench: server $url, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

for dialect in platform oss; do
    for concurrency in 1 8; do
        "$binary" mem0 bench --mem0-url "$url" --dialect "$dialect" --concurrency "$concurrency" --count "$count"
    done
done

proxy="$(scripts/mem0-local proxy start --data "$data" --upstream "$url" --name bench-proxy --latency-ms 80)"
for concurrency in 1 8 32; do
    n=$(( concurrency == 1 ? 50 : count / 2 ))
    echo "# through the proxy, +80 ms per request" 
    "$binary" mem0 bench --mem0-url "$proxy" --dialect platform --concurrency "$concurrency" --count "$n"
done
