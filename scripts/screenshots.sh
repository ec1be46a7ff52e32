#!/usr/bin/env bash
# Regenerates screenshots/ from real runs of the real binary under tmux:
#   for each screen, `tmux capture-pane -p` → screenshots/<name>.txt (the text) and
#   `capture-pane -e -p` (with colours) → an HTML grid (scripts/capture_to_html.py) → headless Chromium → <name>.png.
# Data: a fresh `memconsole demo-db`, migrated into the project's local Mem0 server (scripts/mem0-local, real mem0ai)
# with `memconsole migrate`, so the diff and verification screens show live Mem0 records.
#
# Usage: scripts/screenshots.sh            (builds memconsole with `swift build`; MEMCONSOLE_BIN=path to use another)
# Needs: tmux, chromium, fonts-noto-cjk, fonts-noto-color-emoji, fonts-noto-core (Devanagari), python3 (the script says how to install what is missing).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$root/screenshots"
cols=120 rows=36

missing=()
command -v tmux >/dev/null || missing+=(tmux)
command -v chromium >/dev/null || missing+=(chromium)
command -v python3 >/dev/null || missing+=(python3)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
fonts="$(fc-list 2>/dev/null || true)"
grep -qi "Noto Sans CJK" <<<"$fonts" || missing+=(fonts-noto-cjk)
grep -qi "Noto Color Emoji" <<<"$fonts" || missing+=(fonts-noto-color-emoji)
grep -qi "Noto Sans Devanagari" <<<"$fonts" || missing+=(fonts-noto-core)
if ((${#missing[@]})); then
    echo "screenshots.sh: missing ${missing[*]}; install with: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi

if [[ -n "${MEMCONSOLE_BIN:-}" ]]; then
    bin="$MEMCONSOLE_BIN"
else
    (cd "$root" && swift build --product memconsole >&2)
    bin="$(cd "$root" && swift build --show-bin-path)/memconsole"
fi
[[ -x "$bin" ]] || { echo "screenshots.sh: no memconsole binary at $bin" >&2; exit 1; }

work="$(mktemp -d /tmp/memconsole-screens.XXXXXX)"
socket="memconsole-screens-$$"
export MEM0_API_KEY="mc-screens-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cleanup() {
    tmux -L "$socket" kill-server 2>/dev/null || true
    "$here/mem0-local" stop --data "$work/mem0" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "== data: demo database, migrated copy in the local Mem0" >&2
"$bin" demo-db "$work/legacy.db" --users 30 --memories 400 --messages 6000 >&2
cp "$work/legacy.db" "$work/migrated.db"
url="$("$here/mem0-local" start --data "$work/mem0")"
timeout 300 "$bin" migrate "$work/migrated.db" --mem0-url "$url" --dialect oss --verify-sample 0 >"$work/migrate.log" 2>&1 \
    || { echo "screenshots.sh: migrate failed:" >&2; tail -5 "$work/migrate.log" >&2; exit 1; }

t() { tmux -L "$socket" "$@"; }
screen_text() { t capture-pane -p -t main; }

# Polls (50 ms) until the screen contains $1 and has stopped changing; fails after 20 s.
wait_for() {
    local want="$1" deadline=$((SECONDS + 20)) last="" now
    while ((SECONDS < deadline)); do
        now="$(screen_text)"
        if [[ "$now" == *"$want"* && "$now" == "$last" ]]; then return 0; fi
        last="$now"
        sleep 0.05
    done
    echo "screenshots.sh: timed out waiting for '$want'; screen:" >&2
    screen_text >&2
    return 1
}

keys() { t send-keys -t main "$@"; }

# Starts the console on $1 (a file in $work, named relative so the status line stays short) in a fresh shell window.
start_console() {
    t kill-server 2>/dev/null || true
    t -f /dev/null new-session -d -x "$cols" -y "$rows" -s main \
        "env -i HOME=$HOME PATH=$PATH TERM=tmux-256color LANG=C.UTF-8 MEM0_API_KEY=$MEM0_API_KEY bash --norc --noprofile"
    keys -l "cd $work && $bin $1 --mem0-url $url --dialect oss"
    keys Enter
}

# Saves the current screen as screenshots/$1.{txt,png}.
shoot() {
    local name="$1"
    screen_text >"$out/$name.txt"
    t capture-pane -e -p -t main >"$work/$name.ansi"
    python3 "$here/capture_to_html.py" "$work/$name.ansi" "$work/$name.html" --cols "$cols" --rows "$rows" \
        --title "memconsole — $name"
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
        --window-size=$((cols * 9 + 24)),$((rows * 18 + 24)) --screenshot="$out/$name.png" \
        "file://$work/$name.html" >/dev/null 2>&1
    echo "  $name.png" >&2
}

mkdir -p "$out"
echo "== screens (migrated file, live Mem0 at $url)" >&2
start_console migrated.db
wait_for "alice1";                                shoot 01-users
keys Enter;  wait_for "Users › User alice1";     shoot 02-user-detail
keys 2;      wait_for "Msgs"
keys Enter;  wait_for "▌user";                   shoot 03-transcript
keys a;      wait_for "Agent logs";              shoot 04-agent-logs
keys q q;    wait_for "Msgs"
keys 3;      wait_for "Mem0 id";                 shoot 05-memory-metadata
keys Enter;  wait_for "legacy #";                shoot 06-diff
keys q q;    wait_for "bjorn2"
keys v;      wait_for "holds";                   shoot 07-verification
keys q;      wait_for "bjorn2"

echo "== the day after (issue 11): drift made by hand in the migrated file, seen live" >&2
# Three rows edited behind the app's back: one points at a memory Mem0 never had (dangling, and the memory it
# linked is now unlinked), one has another memory_type (disagreeing). The open console sees the commit (live).
first="$(sqlite3 "$work/migrated.db" "SELECT id FROM memories_metadata ORDER BY id LIMIT 1")"
second="$(sqlite3 "$work/migrated.db" "SELECT id FROM memories_metadata ORDER BY id LIMIT 1 OFFSET 1")"
sqlite3 "$work/migrated.db" "UPDATE memories_metadata SET mem0_memory_id = '00000000-0000-4000-8000-000000000000' WHERE id = $first;
                             UPDATE memories_metadata SET memory_type = 'edited-by-hand' WHERE id = $second;"
wait_for "changed"
keys A;      wait_for "drift:";                  shoot 11-drift-audit
keys 1 2 3 R d; wait_for "Repair?";              shoot 12-repair-review
keys n q
keys Enter;  wait_for "Users › User alice1"
keys 5;      wait_for "Mem0 memory 1 of";        shoot 13-user-mem0
keys s;      keys -l "road trip across Norway"; keys Enter
wait_for "result 1 of";                           shoot 14-mem0-search
keys Enter;  wait_for "ADD";                     shoot 15-mem0-history
keys o;      wait_for "as stored";               shoot 16-memory-rows
keys q q q q; wait_for "bjorn2"
keys M;      wait_for "metadata row #";          shoot 17-metadata-rows

echo "== wizard (legacy file, migrated through the wizard)" >&2
start_console "legacy.db --user-id-prefix wizard-"   # its own Mem0 users: the migrated copy above used the plain ids
wait_for "alice1"
keys m;      wait_for "Preflight";  sleep 0.5;  wait_for "Preflight"; shoot 08-wizard
# The run itself: dry run, options (rate cap 50/s so the run lasts a few seconds), confirm (focus starts on Cancel:
# Right, Enter), then the run step with its `rw` badge, and the verify step once the file is migrated.
keys Enter;  wait_for "Enter: choose the options"
keys Enter;  wait_for "Rate cap"
keys j j j + + + + + +;                           wait_for "50.0"
keys Enter;  wait_for "Start the migration?"
keys Right Enter
wait_for "ETA";                                   shoot 09-wizard-run
wait_for "holds";                                 shoot 10-wizard-verify
keys Enter;  wait_for "Migration finished"
keys q

echo "screenshots.sh: wrote $(ls "$out"/*.png | wc -l) PNGs and their text captures to screenshots/" >&2
