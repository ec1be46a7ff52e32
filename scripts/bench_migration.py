#!/usr/bin/env python3
"""Helpers for scripts/bench-migration.sh (stdlib only).

sequential DB URL KEY N PREFIX   The baseline: what the seed's migrate_to_mem0.py would do — read the legacy rows and
                                 send one add at a time (one keep-alive connection, OSS dialect, infer=false),
                                 waiting for each answer. Prints rows/s over N rows.
timeline -- CMD...               Runs `memconsole migrate ... --json`, timestamps every NDJSON line, and prints JSON
                                 with the wall time, the send phase, the first 429 and the rows linked after it.
"""
import http.client
import json
import sqlite3
import subprocess
import sys
import time
from urllib.parse import urlsplit


def sequential(db, url, key, n, prefix):
    rows = sqlite3.connect(db).execute(
        "SELECT m.id, m.user_id, m.content FROM memories m JOIN users u ON u.id = m.user_id "
        "WHERE trim(m.content) != '' ORDER BY m.id LIMIT ?", (n,)).fetchall()
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    start = time.monotonic()
    for legacy_id, user_id, content in rows:
        body = json.dumps({"messages": [{"role": "user", "content": content}], "user_id": f"{prefix}{user_id}",
                           "metadata": {"legacy_id": legacy_id}, "infer": False})
        conn.request("POST", "/memories", body=body, headers={"X-API-Key": key, "Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"baseline add failed: HTTP {response.status}")
    elapsed = time.monotonic() - start
    print(json.dumps({"rows": len(rows), "seconds": round(elapsed, 2), "rows_per_second": round(len(rows) / elapsed, 1)}))


def timeline(cmd):
    start = time.monotonic()
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    first_429 = None
    started = finalized = None
    linked = linked_after_429 = 0
    summary = {}
    for line in process.stdout:
        t = time.monotonic() - start
        try:
            event = json.loads(line)
        except ValueError:
            continue
        kind = event.get("event")
        if kind == "run_started":
            started = t
        elif kind == "row_linked":
            linked += 1
            if first_429 is not None:
                linked_after_429 += 1
        elif kind == "rate_limited" and first_429 is None:
            first_429 = t
        elif kind == "finalized":
            finalized = t
        elif kind == "summary":
            summary = event
    status = process.wait()
    wall = time.monotonic() - start
    send = (finalized - started) if (started is not None and finalized is not None) else None
    out = {"exit": status, "wall_seconds": round(wall, 2), "linked": linked,
           "send_seconds": round(send, 2) if send else None,
           "rows_per_second": round(linked / send, 1) if send else None,
           "end_to_end_rows_per_second": round(linked / wall, 1),
           "first_429_at": round(first_429, 2) if first_429 is not None else None,
           "linked_after_first_429": linked_after_429,
           "steady_rows_per_second": round(linked_after_429 / (finalized - first_429), 2)
           if first_429 is not None and finalized else None,
           "retries": summary.get("retries"), "rate_limited": summary.get("rate_limited")}
    print(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "sequential":
        sequential(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6])
    elif sys.argv[1] == "timeline":
        timeline(sys.argv[3:] if sys.argv[2] == "--" else sys.argv[2:])
    else:
        raise SystemExit(__doc__)
