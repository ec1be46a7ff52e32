#!/usr/bin/env bash
# Console benchmark: memconsole vs the sqlite3 shell vs visidata, in one run, on one demo file
# (20,000 users, 200,000 memories, 1,000,000 messages; `memconsole demo-db`).
#
#   memconsole: launch to first full screen, keystroke → finished frame p50/p99 for page down, jump to end and
#               opening a session (scripts/bench_console_driver.py drives the release binary in a pty and reads the
#               binary's own frame trace, MEMCONSOLE_TRACE_FRAMES), peak RSS (VmHWM).
#   sqlite3:    the last page of one list by keyset vs by OFFSET (`.timer on`), and the shell's own start + first page.
#   visidata:   time from launch to its first screen of the file under tmux (polling capture-pane), peak RSS.
#
# Usage: scripts/bench-console.sh [--repeat N]     (MEMCONSOLE_BIN=... to skip the release build;
#        BENCH_DB=path to reuse a demo file; visidata is installed into a venv under ~/.cache/memconsole)
# Output: a Markdown table on stdout (paste into docs/benchmarks.md ## Console) and the raw JSON on stderr.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
repeat=30
[[ "${1:-}" == "--repeat" ]] && repeat="$2"

for tool in sqlite3 tmux python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench-console.sh: $tool is missing (apt-get install sqlite3 tmux python3 time)" >&2; exit 1; }
done

if [[ -n "${MEMCONSOLE_BIN:-}" ]]; then
    bin="$MEMCONSOLE_BIN"
else
    (cd "$root" && swift build -c release --product memconsole --scratch-path .build-release >&2)
    bin="$root/.build-release/release/memconsole"
fi

work="$(mktemp -d /tmp/memconsole-bench.XXXXXX)"
socket="memconsole-bench-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT

db="${BENCH_DB:-$work/big.db}"
if [[ ! -f "$db" ]]; then
    echo "== writing the demo file (1M messages, 200k memories)" >&2
    "$bin" demo-db "$db" --users 20000 --memories 200000 --messages 1000000 >&2
fi
size_mb=$(( $(stat -c %s "$db") / 1048576 ))

echo "== memconsole ($bin)" >&2
mc_json="$(python3 "$here/bench_console_driver.py" "$bin" "$db" --repeat "$repeat" --trace "$work/trace.txt")"
echo "$mc_json" >&2

echo "== memconsole, one session holding all 1M messages" >&2
# The demo spreads messages over sessions of ~40; a copy where the first user's first session holds every message
# shows the transcript at depth 1,000,000 (same row count, same file size).
one="$work/one-session.db"
cp "$db" "$one"
sqlite3 "$one" "UPDATE chat_messages SET session_id = (SELECT min(id) FROM chat_sessions WHERE user_id = (SELECT min(id) FROM users));"
big_json="$(python3 "$here/bench_console_driver.py" "$bin" "$one" --repeat "$repeat" --trace "$work/trace-big.txt" --one-big-session)"
echo "$big_json" >&2
rm -f "$one"

echo "== sqlite3 shell" >&2
# The users list's last page, as memconsole asks for it (keyset: ORDER BY id DESC LIMIT) and as OFFSET would.
sql_time() {  # the best `.timer on` real time (seconds, ms resolution) of 5 runs of $1 in the sqlite3 shell
    local best=999 t
    for _ in 1 2 3 4 5; do
        t=$(printf '.timer on\n%s\n' "$1" | sqlite3 -readonly "$db" 2>&1 | awk '/Run Time/ {print $4}' | tail -1)
        best=$(python3 -c "print(min($best, ${t:-999}))")
    done
    echo "$best"
}
keyset_users=$(sql_time "SELECT * FROM users ORDER BY id DESC LIMIT 33;")
offset_users=$(sql_time "SELECT * FROM users ORDER BY id LIMIT 33 OFFSET 19967;")
keyset_messages=$(sql_time "SELECT * FROM chat_messages ORDER BY id DESC LIMIT 33;")
offset_messages=$(sql_time "SELECT * FROM chat_messages ORDER BY id LIMIT 33 OFFSET 999967;")
keyset_pagedown=$(sql_time "SELECT * FROM chat_messages WHERE id > 500000 ORDER BY id LIMIT 33;")
offset_pagedown=$(sql_time "SELECT * FROM chat_messages ORDER BY id LIMIT 33 OFFSET 500000;")
# The shell itself: start, open, print the first page of users, exit (wall time and peak RSS).
sqlite_launch_ms=$(python3 - "$db" <<'PY'
import subprocess, sys, time, statistics
runs = []
for _ in range(5):
    t = time.perf_counter()
    subprocess.run(["sqlite3", "-readonly", sys.argv[1], "SELECT * FROM users LIMIT 33;"], capture_output=True, check=True)
    runs.append((time.perf_counter() - t) * 1000)
print(round(statistics.median(runs), 1))
PY
)
sqlite_rss_kb=$( { /usr/bin/time -f "%M" sqlite3 -readonly "$db" "SELECT * FROM users LIMIT 33;" >/dev/null; } 2>&1 | tail -1)
sqlite_rss_mb=$(python3 -c "print(round($sqlite_rss_kb / 1024, 1))")

echo "== visidata" >&2
venv="${HOME}/.cache/memconsole/visidata-venv"
if [[ ! -x "$venv/bin/vd" ]]; then
    python3 -m venv "$venv" >&2 && "$venv/bin/pip" install -q visidata >&2
fi
vd_version="$("$venv/bin/vd" --version 2>/dev/null | head -1)"
vd_launch() {  # ms from send-keys to visidata's sheet of tables on screen; also peak RSS (kB) of vd
    tmux -L "$socket" kill-server 2>/dev/null || true
    tmux -L "$socket" -f /dev/null new-session -d -x 120 -y 36 -s main \
        "env -i HOME=$work PATH=$PATH TERM=tmux-256color LANG=C.UTF-8 bash --norc --noprofile"
    sleep 0.3
    tmux -L "$socket" send-keys -t main -l "$venv/bin/vd $db"
    local start; start=$(python3 -c "import time; print(time.monotonic())")
    tmux -L "$socket" send-keys -t main Enter
    python3 - "$socket" "$start" <<'PY'
import subprocess, sys, time
socket, start = sys.argv[1], float(sys.argv[2])
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    screen = subprocess.run(["tmux", "-L", socket, "capture-pane", "-p", "-t", "main"], capture_output=True, text=True).stdout
    if "chat_messages" in screen and "agent_logs" in screen:
        print(round((time.monotonic() - start) * 1000, 1)); break
    time.sleep(0.01)
else:
    print("timeout")
PY
}
vd_ms=()
for _ in 1 2 3; do vd_ms+=("$(vd_launch)"); done
vd_pid="$(pgrep -n -f "$venv/bin/python.* $db" || pgrep -n -f "vd $db" || true)"
vd_rss_mb=$([[ -n "$vd_pid" ]] && awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$vd_pid/status" || echo "?")
# visidata opening the 1M-row messages table (Enter on chat_messages loads it in the background): time until its
# row counter stops and the peak RSS.
tmux -L "$socket" send-keys -t main -l "/chat_messages"; tmux -L "$socket" send-keys -t main Enter Enter
vd_rows_start=$(python3 -c "import time; print(time.monotonic())")
vd_rows_ms=$(python3 - "$socket" "$vd_rows_start" <<'PY'
import subprocess, sys, time, re
socket, start = sys.argv[1], float(sys.argv[2])
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    screen = subprocess.run(["tmux", "-L", socket, "capture-pane", "-p", "-t", "main"], capture_output=True, text=True).stdout
    if re.search(r"1000000 rows", screen):
        print(round((time.monotonic() - start) * 1000, 1)); break
    time.sleep(0.02)
else:
    print("timeout")
PY
)
vd_rss_loaded_mb=$([[ -n "$vd_pid" ]] && awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$vd_pid/status" || echo "?")
tmux -L "$socket" kill-server 2>/dev/null || true

vd_median=$(python3 -c "import statistics,sys; v=[float(x) for x in sys.argv[1:] if x!='timeout']; print(statistics.median(v) if v else 'timeout')" "${vd_ms[@]}")

python3 - "$mc_json" "$big_json" <<PY
import json, sys
m = json.loads(sys.argv[1])
big = json.loads(sys.argv[2])
def ms(x): return f"{x:.1f} ms"
def sq(x): return "< 0.5 ms" if float(x) < 0.0005 else f"{float(x)*1000:.0f} ms"
def ratio(a, b):
    try: return f"{float(b)/float(a):.0f}×"
    except Exception: return "—"
launch = m["launch_to_first_full_screen"]
print(f"Demo file: {$size_mb} MB, 20,000 users, 200,000 memories, 1,000,000 messages, 100,000 agent logs; 120×36 terminal; "
      f"{m['page_down']['n']} keystrokes per action; visidata {'$vd_version'.split()[-1] if '$vd_version' else '?'}.")
print()
print("| measure | memconsole | target | sqlite3 shell | visidata |")
print("|---|---|---|---|---|")
print(f"| launch → first full screen (p50 / max of {launch['n']}) | {ms(launch['p50_ms'])} / {ms(launch['max_ms'])} | < 100 ms "
      f"| {$sqlite_launch_ms} ms (start, print 1 page, exit; median of 5) | {'$vd_median'} ms (sheet of tables; median of 3) |")
for key, label in [("page_down", "page down (users list, keyset)"), ("jump_to_end", "jump to end (users list)"),
                   ("open_session", "open a session (transcript)"), ("transcript_page_down", "page down in a transcript")]:
    r = m[key]
    print(f"| {label}: key → finished frame p50 / p99 | {ms(r['p50_ms'])} / {ms(r['p99_ms'])} | p99 < 16 ms | | |")
for key, label in [("open_big_session", "open a session of 1,000,000 messages"),
                   ("big_transcript_page_down", "page down in that transcript"),
                   ("big_transcript_jump_to_end", "jump to its 1,000,000th message")]:
    r = big[key]
    print(f"| {label}: key → finished frame p50 / p99 | {ms(r['p50_ms'])} / {ms(r['p99_ms'])} | p99 < 16 ms | | |")
print(f"| last page of 1M messages | keyset (what memconsole runs) | | keyset {sq('$keyset_messages')} vs OFFSET {sq('$offset_messages')} | loads all rows: {'$vd_rows_ms'} ms to 1,000,000 rows |")
print(f"| page at row 500,000 of messages | keyset | | keyset {sq('$keyset_pagedown')} vs OFFSET {sq('$offset_pagedown')} | |")
print(f"| last page of 20k users | keyset | | keyset {sq('$keyset_users')} vs OFFSET {sq('$offset_users')} | |")
print(f"| peak resident memory (VmHWM) | {m['peak_rss_mb']} MB | < 60 MB | {$sqlite_rss_mb} MB | {'$vd_rss_mb'} MB at first screen, {'$vd_rss_loaded_mb'} MB with messages loaded |")
PY
