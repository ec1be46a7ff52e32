#!/usr/bin/env bash
# kill -9 trials: start `memconsole migrate` on a legacy demo database, kill it with SIGKILL at a random moment,
# then `migrate --resume` until it finishes, and check that Mem0 holds exactly one memory per migrated row
# (0 lost, 0 duplicated) and that `memconsole verify` passes. Against the real local Mem0 server (scripts/mem0-local).
#
# usage: scripts/kill9-trials.sh [TRIALS=20] [ROWS=3000]
# env:   MEMCONSOLE_BIN (default: a release build), KILL9_LATENCY_MS (proxy latency, default 0),
#        KILL9_RESULTS (markdown table output, default: stdout only)
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${1:-20}
rows=${2:-3000}
latency=${KILL9_LATENCY_MS:-0}

if [ -z "${MEMCONSOLE_BIN:-}" ]; then
    swift build -c release --product memconsole >&2
    MEMCONSOLE_BIN="$(swift build -c release --show-bin-path)/memconsole"
fi
bin=$MEMCONSOLE_BIN

work=$(mktemp -d /tmp/kill9-XXXXXX)
export MEM0_API_KEY="kill9-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cleanup() { scripts/mem0-local stop --data "$work/mem0" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
url=$(scripts/mem0-local start --data "$work/mem0")
if [ "$latency" != "0" ]; then
    url=$(scripts/mem0-local proxy start --data "$work/mem0" --upstream "$url" --latency-ms "$latency")
fi
export MEM0_URL=$url

stored_count() {  # the server's own count for one user (test-only route, a full scan)
    curl -s -H "Authorization: Token $MEM0_API_KEY" "$MEM0_URL/__test/stats?user_id=$1" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])'
}

printf '| trial | killed after | journal at kill (linked/in flight/pending) | resumes | lost | duplicated | verify |\n'
printf '|---|---|---|---|---|---|---|\n'
failures=0
total_lost=0; total_dup=0
for trial in $(seq 1 "$trials"); do
    db="$work/trial-$trial.db"
    "$bin" demo-db "$db" --users 30 --memories "$rows" --messages 100 --seed "$trial" >/dev/null
    prefix="k9t$trial-$RANDOM-"
    # A random moment: from the preflight to near the end of a run (~rows/150 s on the local server).
    delay=$(python3 -c "import random; print(round(random.uniform(0.05, max(0.5, $rows / 170.0)), 2))")
    "$bin" migrate "$db" --user-id-prefix "$prefix" --verify-sample 0 >"$work/run-$trial.log" 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    at_kill=$(sqlite3 "$db" "SELECT (SELECT COUNT(*) FROM memconsole_migration_journal WHERE state='linked') || '/' ||
        (SELECT COUNT(*) FROM memconsole_migration_journal WHERE state='in_flight') || '/' ||
        (SELECT COUNT(*) FROM memconsole_migration_journal WHERE state='pending')" 2>/dev/null || echo "no journal yet")
    resumes=0
    status=1
    for attempt in 1 2 3; do
        set +e
        "$bin" migrate "$db" --resume --user-id-prefix "$prefix" --verify-sample 0 >>"$work/run-$trial.log" 2>&1
        status=$?
        set -e
        resumes=$((resumes + 1))
        if [ "$status" -eq 30 ]; then   # killed before the journal existed: nothing to resume, start again
            set +e; "$bin" migrate "$db" --user-id-prefix "$prefix" --verify-sample 0 >>"$work/run-$trial.log" 2>&1; status=$?; set -e
        fi
        [ "$status" -eq 0 ] && break
    done
    set +e; "$bin" verify "$db" >"$work/verify-$trial.log" 2>&1; verify_status=$?; set -e
    lost=0; dup=0
    migratable=$(sqlite3 "$db" "SELECT COUNT(*) FROM memconsole_migration_journal WHERE state IN ('linked','pending','in_flight')" 2>/dev/null || echo 0)
    linked=$(sqlite3 "$db" "SELECT COUNT(*) FROM memconsole_migration_journal WHERE state='linked'" 2>/dev/null || echo 0)
    lost=$((migratable - linked))
    while IFS='|' read -r user n; do
        [ -z "$user" ] && continue
        stored=$(stored_count "$user")
        if [ "$stored" -gt "$n" ]; then dup=$((dup + stored - n)); fi
        if [ "$stored" -lt "$n" ]; then lost=$((lost + n - stored)); fi
    done < <(sqlite3 "$db" "SELECT mem0_user_id, COUNT(*) FROM memconsole_migration_journal WHERE state='linked' GROUP BY mem0_user_id" 2>/dev/null)
    verdict=$([ "$verify_status" -eq 0 ] && echo pass || echo "FAIL ($verify_status)")
    if [ "$status" -ne 0 ] || [ "$verify_status" -ne 0 ] || [ "$lost" -ne 0 ] || [ "$dup" -ne 0 ]; then
        failures=$((failures + 1))
        echo "trial $trial failed; last lines:" >&2; tail -5 "$work/run-$trial.log" >&2; tail -5 "$work/verify-$trial.log" >&2
    fi
    total_lost=$((total_lost + lost)); total_dup=$((total_dup + dup))
    printf '| %d | %ss | %s | %d | %d | %d | %s |\n' "$trial" "$delay" "$at_kill" "$resumes" "$lost" "$dup" "$verdict"
    # Empty the store between trials (test-only route) so every trial runs against a store of the same size;
    # otherwise each trial is slower than the last as embedded qdrant grows.
    curl -s -o /dev/null -X POST -H "Authorization: Token $MEM0_API_KEY" "$MEM0_URL/__test/reset"
done
echo
echo "trials: $trials, rows per trial: $rows, failed trials: $failures, lost: $total_lost, duplicated: $total_dup"
[ "$failures" -eq 0 ]
