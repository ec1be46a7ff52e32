#!/usr/bin/env bash
# Migration benchmark: what a user runs, end to end, against the real local Mem0 server (scripts/mem0-local), all in
# one run so every ratio is measured side by side on the same server under the same machine load:
#   1. the server's own add ceiling (the migration's own adds sent straight to it from 1, 4 and 16 connections, no
#      memconsole involved), at the start and just before and just after every shape's migration, on the store as it
#      is then; and once at the start with minimal adds (short text, one metadata key), for reference;
#   2. the sequential one-add-per-row script (the seed's approach) at 0 ms and 80 ms added latency;
#   3. for each shape (users × memories per user) and latency: `memconsole migrate --json` with its default
#      verification (a sample of 50), then `memconsole verify` (every link) and `memconsole rollback`, each timed;
#      the rollback empties the server again, so every shape starts from the same store;
#   4. a 1,000 adds/min limit (fault proxy token bucket: capacity 1000, refill 1000/min, 429 + Retry-After);
#   5. one OSS user with 5,000 memories (past the OSS list cap of 1000): `verify` fetches each link by id.
# usage: scripts/bench-migration.sh
# env:   MEMCONSOLE_BIN (default: the release build)
#        SHAPES   (default "40x50:0,80 2000x5:0,80 20000x5:0,80"; USERSxPER_USER:LATENCIES_MS[:FULL_VERIFY_LATENCIES],
#                 the last field lists the latencies at which `verify` of every link runs, "-" for none; default all)
#        DIALECT  (default platform), LIMITED_ROWS (default 2500), BIG_USER (default 5000; 0 skips it),
#        VERIFY_LIMIT (default 240: seconds after which a full `verify` is stopped and reported as "> N s"),
#        ROLLBACK=0 skips the rollbacks (the server then keeps every shape's memories)
#        SMOKE=1  a few tiny shapes only (what CI runs through swift test): correctness, no timing claims
# Prints markdown for docs/benchmarks.md on stdout; raw JSON lines on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SMOKE:-0}" = 1 ]; then
    shapes=${SHAPES:-"4x5:0,80"}; limited_rows=${LIMITED_ROWS:-0}; big_user=${BIG_USER:-0}
    ceiling_adds=50; seq0_rows=20; seq80_rows=10
else
    shapes=${SHAPES:-"40x50:0,80 2000x5:0,80 20000x5:0,80"}; limited_rows=${LIMITED_ROWS:-2500}
    big_user=${BIG_USER:-5000}; ceiling_adds=500; seq0_rows=300; seq80_rows=100
fi
dialect=${DIALECT:-platform}
verify_limit=${VERIFY_LIMIT:-240}   # a full verify still running after this many seconds is stopped and reported so
if [ -z "${MEMCONSOLE_BIN:-}" ]; then
    swift build -c release --product memconsole >&2
    MEMCONSOLE_BIN="$(swift build -c release --show-bin-path)/memconsole"
fi
bin=$MEMCONSOLE_BIN
work=$(mktemp -d /tmp/bench-migration-XXXXXX)
export MEM0_API_KEY="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cleanup() {
    for name in slow limited; do scripts/mem0-local proxy stop --data "$work/mem0" --name "$name" >/dev/null 2>&1 || true; done
    scripts/mem0-local stop --data "$work/mem0" >/dev/null 2>&1 || true; rm -rf "$work"
}
trap cleanup EXIT
trap "exit 143" INT TERM   # so that a stopped benchmark still runs cleanup
server=$(scripts/mem0-local start --data "$work/mem0")
slow=$(scripts/mem0-local proxy start --data "$work/mem0" --upstream "$server" --name slow --latency-ms 80)
limited=$(scripts/mem0-local proxy start --data "$work/mem0" --upstream "$server" --name limited \
    --rate-per-minute 1000 --rate-paths add)
url_for() { if [ "$1" = 0 ]; then echo "$server"; else echo "$slow"; fi; }
field() { python3 -c "import json,sys; v=json.loads(sys.argv[1]); [v:=v[k] for k in sys.argv[2:]]; print(v)" "$@"; }
db() {  # $1 name, $2 users, $3 memories, $4 seed
    "$bin" demo-db "$work/$1.db" --users "$2" --memories "$3" --messages 100 --seed "$4" >/dev/null; echo "$work/$1.db"
}
raw() { echo "raw: $1=$2" >&2; }

echo "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg) at start; dialect $dialect" >&2
start_all=$(date +%s)

# The ceiling is the best of a few concurrencies: this server serialises every call behind one lock, so more in
# flight can be slower than fewer. It is measured on the store as it is at that moment ($1 names the probe), because
# the server's add rate moves with the machine's load and the store; each shape is compared with the ceilings
# measured just before and just after its own migration.
# The probe's adds are the migration's own for the rows of a demo file (same metadata keys and created time as
# memconsole sends, so the same work for the server per add); $2=minimal sends short texts with one metadata key
# instead, which the server takes faster — measured once at the start, for reference.
ceiling_now() {
    local best=0 conc result rows=("$seqdb")
    [ "${2:-}" = minimal ] && rows=()
    for conc in 1 4 16; do
        result=$(python3 scripts/bench_migration.py ceiling "$server" "$MEM0_API_KEY" "$ceiling_adds" "$conc" "$1-c$conc-" "$dialect" "${rows[@]}")
        raw "ceiling_$1_c$conc" "$result"
        best=$(python3 -c "import sys; print(max(float(sys.argv[1]), float(sys.argv[2])))" "$best" "$(field "$result" adds_per_second)")
    done
    echo "$best"
}
seqdb=$(db seq 400 2000 1)
ceiling_minimal=$(ceiling_now start-minimal minimal)
ceiling_rate=$(ceiling_now start)
seq0=$(python3 scripts/bench_migration.py sequential "$seqdb" "$server" "$MEM0_API_KEY" "$seq0_rows" s0- "$dialect")
seq80=$(python3 scripts/bench_migration.py sequential "$seqdb" "$slow" "$MEM0_API_KEY" "$seq80_rows" s80- "$dialect")
raw seq0 "$seq0"; raw seq80 "$seq80"
seq_rate_0=$(field "$seq0" rows_per_second); seq_rate_80=$(field "$seq80" rows_per_second)

limited_line="(skipped)"
if [ "$limited_rows" -gt 0 ]; then
    curl -s -X POST "$limited/__proxy/stats/reset" >/dev/null
    file=$(db limited 40 "$limited_rows" 5)
    mcl=$(python3 scripts/bench_migration.py timeline -- "$bin" migrate "$file" --mem0-url "$limited" \
        --dialect "$dialect" --user-id-prefix ml- --json)
    stats=$(curl -s "$limited/__proxy/stats")
    raw limited "$mcl"; raw limited_proxy "$stats"
    limited_line=$(python3 - "$mcl" "$stats" "$limited_rows" <<'PY'
import json, sys
m, s, rows = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
steady = m["steady_rows_per_second"]
use = steady / (1000 / 60) * 100 if steady else float("nan")
share = s["rate_limited"] / max(s["requests"], 1) * 100
print(f"1,000 adds/min limit ({rows} rows; bucket of 1000 then 16.7/s): after the burst allowance {steady} rows/s = "
      f"{use:.1f} % of the limit; {s['rate_limited']} of {s['requests']} requests answered 429 ({share:.2f} %); "
      f"migrate end to end {m['wall_seconds']} s.")
PY
)
fi

big_line="(skipped)"
if [ "$big_user" -gt 0 ]; then
    file=$(db big 1 "$big_user" 6)
    bm=$(python3 scripts/bench_migration.py timeline -- "$bin" migrate "$file" --mem0-url "$server" --dialect oss \
        --user-id-prefix big- --verify-sample 0 --json)
    bv0=$(python3 scripts/bench_migration.py timed -- "$bin" verify "$file" --mem0-url "$server" --dialect oss --json)
    bv80=$(python3 scripts/bench_migration.py timed -- "$bin" verify "$file" --mem0-url "$slow" --dialect oss --json)
    br=$(python3 scripts/bench_migration.py timed -- "$bin" rollback "$file" --mem0-url "$server" --dialect oss --json)
    raw big "{\"migrate\": $bm, \"verify0\": $bv0, \"verify80\": $bv80, \"rollback\": $br}"
    big_line="One OSS user with $(field "$bm" linked) memories (list cap 1000, so every link is fetched by id): migrate $(field "$bm" wall_seconds) s; full \`verify\` $(field "$bv0" wall_seconds) s at 0 ms (exit $(field "$bv0" exit)) and $(field "$bv80" wall_seconds) s at 80 ms (exit $(field "$bv80" exit)); rollback $(field "$br" wall_seconds) s."
fi

results=${RESULTS:-$work/results.jsonl}   # one JSON line per shape and latency; kept when RESULTS names a file
seed=10
for spec in $shapes; do
    IFS=: read -r shape latencies verify_at <<<"$spec"; verify_at=${verify_at:-$latencies}
    users=${shape%%x*}; per=${shape#*x}
    for latency in ${latencies//,/ }; do
        seed=$((seed + 1)); url=$(url_for "$latency"); name="m-$shape-$latency"
        file=$(db "$name" "$users" $((users * per)) "$seed")
        before=$(ceiling_now "before-$name")
        mc=$(python3 scripts/bench_migration.py timeline -- "$bin" migrate "$file" --mem0-url "$url" \
            --dialect "$dialect" --user-id-prefix "$name-" --json)
        after=$(ceiling_now "after-$name")
        verify='{"exit": 0, "wall_seconds": null, "skipped": true}'
        if [[ ",$verify_at," == *",$latency,"* ]]; then
            verify=$(python3 scripts/bench_migration.py timed --limit="$verify_limit" -- "$bin" verify "$file" \
                --mem0-url "$url" --dialect "$dialect" --json)
        fi
        rollback='{"exit": 0, "wall_seconds": null, "skipped": true}'
        if [ "${ROLLBACK:-1}" = 1 ]; then
            rollback=$(python3 scripts/bench_migration.py timed -- "$bin" rollback "$file" --mem0-url "$url" --dialect "$dialect" --json)
        fi
        raw "$name" "{\"migrate\": $mc, \"verify\": $verify, \"rollback\": $rollback}"
        python3 -c "import json,sys; print(json.dumps({'shape': sys.argv[1], 'users': int(sys.argv[2]), 'per': int(sys.argv[3]), 'latency': int(sys.argv[4]), 'migrate': json.loads(sys.argv[5]), 'verify': json.loads(sys.argv[6]), 'rollback': json.loads(sys.argv[7]), 'ceiling_before': float(sys.argv[8]), 'ceiling_after': float(sys.argv[9])}))" \
            "$shape" "$users" "$per" "$latency" "$mc" "$verify" "$rollback" "$before" "$after" >> "$results"
        [ "$(field "$mc" exit)" = 0 ] || { echo "migrate $name failed: $mc" >&2; exit 1; }
        case "$(field "$verify" exit)" in 0|None) ;; *) echo "verify $name failed: $verify" >&2; exit 1 ;; esac
        [ "$(field "$rollback" exit)" = 0 ] || { echo "rollback $name failed: $rollback" >&2; exit 1; }
    done
done

echo "finished in $(( $(date +%s) - start_all )) s; load $(cut -d' ' -f1-3 /proc/loadavg) at the end" >&2
python3 scripts/bench_migration.py tables "$results" "$ceiling_rate" "$seq_rate_0" "$seq_rate_80" "$limited_line" \
    "$big_line" "$dialect" "$ceiling_minimal"
