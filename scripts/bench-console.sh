#!/usr/bin/env bash
# Console benchmark: key → settled screen in a real terminal, memconsole beside `less` (the terminal's floor) and
# visidata (a peer), all in one run, on one demo file (20,000 users, 200,000 memories, 1,000,000 messages).
#
#   For each tool: page down, j, G and a window resize, each sent through tmux and timed to the settled screen
#   (scripts/bench_console_tmux.py polls capture-pane); p50 and p99 over --repeat samples; launch → first screen.
#   Two lists: the 20,000-row users list (less: the users table dumped as text; visidata: the users table) and a
#   session of 1,000,000 messages (less: the messages dumped as text; visidata: the chat_messages table).
#   memconsole's own frame trace (MEMCONSOLE_TRACE_FRAMES: key read → frame drawn, in-process) is reported beside it.
#
# Usage: scripts/bench-console.sh [--repeat N]     (MEMCONSOLE_BIN=... to skip the release build; BENCH_DB=path to
#        reuse a demo file; visidata is installed into a venv under ~/.cache/memconsole if missing)
# Output: a Markdown table on stdout (docs/benchmarks.md ## Console) and the raw JSON on stderr.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
repeat=40
[[ "${1:-}" == "--repeat" ]] && repeat="$2"

for tool in sqlite3 tmux python3 less; do
    command -v "$tool" >/dev/null || { echo "bench-console.sh: $tool is missing (apt-get install sqlite3 tmux python3 less)" >&2; exit 1; }
done

if [[ -n "${MEMCONSOLE_BIN:-}" ]]; then
    bin="$MEMCONSOLE_BIN"
else
    (cd "$root" && swift build -c release --product memconsole --scratch-path .build-release >&2)
    bin="$root/.build-release/release/memconsole"
fi

venv="${HOME}/.cache/memconsole/visidata-venv"
if [[ ! -x "$venv/bin/vd" ]]; then
    python3 -m venv "$venv" >&2 && "$venv/bin/pip" install -q visidata >&2
fi
vd_version="$("$venv/bin/vd" --version 2>/dev/null | head -1 | awk '{print $NF}')"

work="$(mktemp -d /tmp/memconsole-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

db="${BENCH_DB:-$work/big.db}"
if [[ ! -f "$db" ]]; then
    echo "== writing the demo file (20k users, 200k memories, 1M messages)" >&2
    "$bin" demo-db "$db" --users 20000 --memories 200000 --messages 1000000 >&2
fi
# The demo spreads messages over sessions of ~40; a copy where the first user's first session holds every message
# shows the transcript at depth 1,000,000.
one="$work/one-session.db"
cp "$db" "$one"
sqlite3 "$one" "UPDATE chat_messages SET session_id = (SELECT min(id) FROM chat_sessions WHERE user_id = (SELECT min(id) FROM users));"
# What less pages: the same rows as text, one per line.
sqlite3 -separator '  ' "$db" "SELECT id, username, display_name, created_at FROM users ORDER BY id" > "$work/users.txt"
sqlite3 -separator '  ' "$db" "SELECT id, role, replace(replace(content, char(10), ' '), char(13), ' ') FROM chat_messages ORDER BY id" > "$work/messages.txt"

drive() { python3 "$here/bench_console_tmux.py" --repeat "$repeat" "$@"; }
results=()
run() { local name="$1" json; shift; json="$(drive --tool "$name" "$@")"; echo "$json" >&2; results+=("$json"); }

echo "== memconsole: users list" >&2
run memconsole-users --ready "user #1 " -- env MEMCONSOLE_TRACE_FRAMES="$work/trace-users.txt" "$bin" "$db"
echo "== memconsole: a session of 1,000,000 messages" >&2
run memconsole-session --ready "user #1 " --setup Enter 2 Enter --setup-ready "messages loaded" \
    -- env MEMCONSOLE_TRACE_FRAMES="$work/trace-session.txt" "$bin" "$one"
echo "== less" >&2
run less-users --ready "  " -- less -S "$work/users.txt"
run less-messages --ready "  " -- less -S "$work/messages.txt"
echo "== visidata $vd_version" >&2
run visidata-users --ready "tables" --setup / u s e r s Enter Enter --setup-ready "20000 rows" --back "g k" \
    -- "$venv/bin/vd" "$db"
run visidata-messages --ready "tables" --setup / c h a t _ m e s s a g e s Enter Enter --setup-ready "1000000 rows" --back "g k" \
    -- "$venv/bin/vd" "$one"

python3 - "$work/trace-users.txt" "$work/trace-session.txt" "$vd_version" "${results[@]}" <<'PY'
import json, statistics, sys
trace_users, trace_session, vd_version = sys.argv[1:4]
runs = {r["tool"]: r for r in map(json.loads, sys.argv[4:])}

def trace(path):
    """In-process key read → next frame drawn, per key kind, from memconsole's frame trace."""
    names = {"pageDown": "page_down", 'char("j")': "j", 'char("G")': "G", "resize": "resize"}
    out, pending = {}, None
    for line in open(path):
        parts = line.split(maxsplit=2)
        if parts[0] == "key":
            pending = (names.get(parts[2].strip()), int(parts[1]))
        elif parts[0] == "frame" and pending and parts[2].strip() == "0":
            if pending[0]:
                out.setdefault(pending[0], []).append((int(parts[1]) - pending[1]) / 1000)
            pending = None
    def pct(v, p):
        v = sorted(v); return v[min(len(v) - 1, int(round((len(v) - 1) * p)))]
    return {k: (pct(v, 0.5), pct(v, 0.99)) for k, v in out.items() if v}

t = {"users": trace(trace_users), "session": trace(trace_session)}
def cell(run, action):
    r = runs[run]["actions"][action]
    return "—" if r["p50_ms"] is None else f"{r['p50_ms']:.1f} / {r['p99_ms']:.1f}"
def tcell(which, action):
    v = t[which].get(action)
    return "—" if not v else f"{v[0]:.2f} / {v[1]:.2f}"
def ratio(run, floor, action):
    a, b = runs[run]["actions"][action]["p99_ms"], runs[floor]["actions"][action]["p99_ms"]
    return "—" if not a or not b else f"{a / b:.1f}×"

print(f"Key → settled screen, ms, p50 / p99 of {runs['memconsole-users']['actions']['j']['n']} samples each, 120×36 tmux pane,"
      f" polled with capture-pane; visidata {vd_version}.")
print()
print("| list | action | memconsole | less (floor) | memconsole p99 ÷ less p99 | visidata | memconsole frame trace (in-process) |")
print("|---|---|---|---|---|---|---|")
labels = {"page_down": "page down", "j": "j", "G": "G (end)", "resize": "resize"}
for which, mc, lf, vd, label in [("users", "memconsole-users", "less-users", "visidata-users", "users (20,000)"),
                                  ("session", "memconsole-session", "less-messages", "visidata-messages", "session (1,000,000 messages)")]:
    for action in ["page_down", "j", "G", "resize"]:
        print(f"| {label} | {labels[action]} | {cell(mc, action)} | {cell(lf, action)} | {ratio(mc, lf, action)} "
              f"| {cell(vd, action)} | {tcell(which, action)} |")
print()
print("| launch → first screen | memconsole | less | visidata |")
print("|---|---|---|---|")
print(f"| users list / sheet | {runs['memconsole-users']['launch_ms']} ms | {runs['less-users']['launch_ms']} ms "
      f"| {runs['visidata-users']['launch_ms']} ms |")
PY
