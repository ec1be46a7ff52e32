#!/usr/bin/env python3
"""Helpers for scripts/bench-migration.sh (stdlib only).

ceiling URL KEY N CONC PREFIX DIALECT [DB]
                                         The server's own add ceiling: N adds (infer=false, one memory each) from CONC
                                         threads with a keep-alive connection each, as fast as it answers. Prints
                                         adds/s. Nothing in it is memconsole's: it is what the server can take. With
                                         DB each add is the migration's own for one of DB's rows (same metadata and
                                         created time); without it a minimal add (short text, legacy_id only).
sequential DB URL KEY N PREFIX DIALECT   The baseline: what the seed's migrate_to_mem0.py would do: read the legacy
                                         rows and send one add at a time (one keep-alive connection, infer=false, the
                                         migration's body), waiting for each answer. Prints rows/s over N rows.
timeline -- CMD...                       Runs `memconsole migrate ... --json`, timestamps every NDJSON line, and
                                         prints JSON: wall time, the summary's per-phase times and rates, the plan's
                                         estimate, and for a rate-limited run the rows linked after the first 429.
tables RESULTS CEILING SEQ0 SEQ80 LIMITED BIG DIALECT
                                         The markdown for docs/benchmarks.md from the script's per-shape JSON lines.
timed [--limit=S] -- CMD...              Runs a command (verify, rollback), prints its wall time, exit status and the
                                         last line of its stdout if that is JSON; stopped after S seconds if given.
"""
import concurrent.futures
import http.client
import json
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from urllib.parse import urlsplit


LEGACY_COLUMNS = ("id, user_id, memory_profile_id, content, importance_score, mentioned_count, memory_type, tags, "
                  "created_at, updated_at")


def legacy_rows(db, n):
    """The first n migratable legacy rows of a demo file, with every column memconsole carries into Mem0."""
    return sqlite3.connect(db).execute(
        f"SELECT {', '.join('m.' + c.strip() for c in LEGACY_COLUMNS.split(','))} FROM memories m "
        "JOIN users u ON u.id = m.user_id WHERE trim(m.content) != '' ORDER BY m.id LIMIT ?", (n,)).fetchall()


def epoch(text):
    try:
        return int(datetime.fromisoformat(str(text).replace("Z", "+00:00")).replace(tzinfo=timezone.utc).timestamp())
    except ValueError:
        return None


def migration_add(row, db, text):
    """An add with the body memconsole's migration sends for this row (Sources/Migration/Mem0Metadata.swift
    `addRequest`, Sources/Mem0Client/Mem0Call.swift `add`): the nine metadata keys and the created time, so the
    server does the same work per add for this script as for memconsole."""
    legacy_id, _, profile_id, _, importance, mentioned, memory_type, tags, created_at, updated_at = row
    try:
        parsed = json.loads(tags) if tags else []
        tag_list = [t for t in parsed if isinstance(t, str)] if isinstance(parsed, list) else []
    except ValueError:
        tag_list = []
    metadata = {"legacy_id": legacy_id, "legacy_memory_type": memory_type, "legacy_tags": tag_list,
                "legacy_importance_score": importance, "legacy_mentioned_count": mentioned,
                "legacy_profile_id": profile_id, "legacy_updated_at": str(updated_at) if updated_at else None,
                "legacy_source": db, "migration_run_id": "00000000-0000-4000-8000-000000000000"}
    return text, metadata, epoch(created_at)


def add_request(dialect, key, user, content, metadata, timestamp=None):
    body = {"messages": [{"role": "user", "content": content}], "user_id": user, "metadata": metadata,
            "infer": False}
    if dialect == "platform":
        if timestamp is not None:
            body["timestamp"] = timestamp
        return "/v3/memories/add/", json.dumps(body), {"Authorization": f"Token {key}",
                                                       "Content-Type": "application/json"}
    if timestamp is not None:
        metadata["created_at"] = datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat()
    return "/memories", json.dumps(body), {"X-API-Key": key, "Content-Type": "application/json"}


def send_one(conn, dialect, key, user, content, metadata, timestamp=None):
    path, body, headers = add_request(dialect, key, user, content, metadata, timestamp)
    conn.request("POST", path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"add failed: HTTP {response.status}")


def ceiling(url, key, n, concurrency, prefix, dialect, db=None):
    """db: send the migration's own adds for the file's first rows (cycled); None: a minimal add (text + legacy_id)."""
    parts = urlsplit(url)
    local = threading.local()
    rows = legacy_rows(db, n) if db else []

    def add(i):
        if not hasattr(local, "conn"):   # one keep-alive connection per pool thread
            local.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        # Distinct text per add: the Platform dialect stores identical text in one scope only once.
        if rows:
            row = rows[i % len(rows)]
            text, metadata, timestamp = migration_add(row, db, f"{row[3]} [probe {i}]")
            send_one(local.conn, dialect, key, f"{prefix}{row[1]}", text, metadata, timestamp)
        else:
            send_one(local.conn, dialect, key, f"{prefix}{i % 500}", f"ceiling probe memory number {i} of {n}",
                     {"legacy_id": i})

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(add, range(n)))
    elapsed = time.monotonic() - start
    print(json.dumps({"adds": n, "concurrency": concurrency, "seconds": round(elapsed, 2),
                      "adds_per_second": round(n / elapsed, 1)}))


def sequential(db, url, key, n, prefix, dialect):
    rows = legacy_rows(db, n)
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    start = time.monotonic()
    for row in rows:
        text, metadata, timestamp = migration_add(row, db, f"{row[3]} [{row[0]}]")
        send_one(conn, dialect, key, f"{prefix}{row[1]}", text, metadata, timestamp)
    elapsed = time.monotonic() - start
    print(json.dumps({"rows": len(rows), "seconds": round(elapsed, 2), "rows_per_second": round(len(rows) / elapsed, 1)}))


def timeline(cmd):
    start = time.monotonic()
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    first_429 = None
    finalized = None
    linked = linked_after_429 = 0
    summary, planned = {}, {}
    eta_at_10 = None   # (elapsed, predicted end) at the first progress event past 10 % of the rows
    for line in process.stdout:
        t = time.monotonic() - start
        try:
            event = json.loads(line)
        except ValueError:
            continue
        kind = event.get("event")
        if kind == "planned":
            planned = event
        elif kind == "row_linked":
            linked += 1
            if first_429 is not None:
                linked_after_429 += 1
        elif kind == "rate_limited" and first_429 is None:
            first_429 = t
        elif kind == "finalized":
            finalized = t
        elif kind == "progress" and eta_at_10 is None and event.get("total") and event.get("eta_seconds") is not None \
                and event["done"] >= 0.1 * event["total"]:
            eta_at_10 = (t, t + event["eta_seconds"])
        elif kind == "summary":
            summary = event
    status = process.wait()
    wall = time.monotonic() - start
    phases = summary.get("phases", {})
    post_send = sum(phases.get(p, 0) for p in ("sweep", "finalize", "verify"))
    out = {"exit": status, "wall_seconds": round(wall, 2), "linked": linked,
           "summary_wall_seconds": summary.get("wall_seconds"),
           "rows_per_second": summary.get("rows_per_second"),
           "send_rows_per_second": summary.get("send_rows_per_second"),
           "phases": {k: round(v, 2) for k, v in phases.items()},
           "post_send_seconds": round(post_send, 2),
           "post_send_share": round(post_send / wall, 4) if wall else None,
           "estimated_seconds": planned.get("estimated_seconds"), "rate_source": planned.get("rate_source"),
           "eta_at_10_percent": {"at": round(eta_at_10[0], 1), "predicted_wall": round(eta_at_10[1], 1)}
           if eta_at_10 else None,
           "first_429_at": round(first_429, 2) if first_429 is not None else None,
           "linked_after_first_429": linked_after_429,
           "steady_rows_per_second": round(linked_after_429 / (finalized - first_429), 2)
           if first_429 is not None and finalized else None,
           "retries": summary.get("retries"), "rate_limited": summary.get("rate_limited"),
           "succeeded": summary.get("succeeded")}
    print(json.dumps(out))


def timed(cmd, limit=None):
    start = time.monotonic()
    try:
        result = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        print(json.dumps({"exit": None, "wall_seconds": None, "stopped_after": limit}))
        return
    wall = time.monotonic() - start
    last = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    try:
        detail = json.loads(last)
    except ValueError:
        detail = {}
    keep = {k: detail[k] for k in ("passing", "checked_links", "deleted", "already_gone", "alreadyGone", "deleted")
            if k in detail}
    print(json.dumps({"exit": result.returncode, "wall_seconds": round(wall, 2), **keep}))


def tables(args):
    """Markdown tables from the per-shape JSON lines the shell script collects."""
    path, ceiling, seq0, seq80, limited_line, big_line, dialect, ceiling_minimal = args
    ceiling, seq = float(ceiling), {0: float(seq0), 80: float(seq80)}
    runs = [json.loads(line) for line in open(path)]
    def secs(v):
        if v.get("skipped"):
            return "not run"
        if v.get("stopped_after"):
            return f"> {v['stopped_after']:.0f} s (stopped)"
        return f"{v['wall_seconds']:.1f} s"
    def eta(m):
        e = m.get("eta_at_10_percent")
        return f"{e['predicted_wall']:.0f} s (at {e['at']:.0f} s)" if e else "-"
    print(f"Server add ceiling at the start (the migration's own adds straight to the server from 1, 4 and 16 connections, the best; {dialect} dialect): **{ceiling:.0f} adds/s** "
          f"({float(ceiling_minimal):.0f} adds/s with minimal adds: a short text and one metadata key). "
          f"Sequential one-add-per-row script (the same adds, one at a time): {seq[0]:.1f} rows/s at 0 ms, {seq[80]:.1f} rows/s at 80 ms.")
    print()
    print("| shape | added latency | rows linked | `migrate` wall | rows/s end to end | × sequential | ceiling before / after | × ceiling (mean) | plan | send | sweep | finalize | verify (sample) | post-send share | plan's estimate | ETA at 10 % of rows |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        m, p = r["migrate"], r["migrate"]["phases"]
        rate = m["rows_per_second"] or 0
        here = (r["ceiling_before"] + r["ceiling_after"]) / 2
        print(f"| {r['users']:,} × {r['per']} | {r['latency']} ms | {m['linked']:,} | {m['wall_seconds']:.1f} s | {rate:.1f} | "
              f"{rate / seq[r['latency']]:.1f}× | {r['ceiling_before']:.0f} / {r['ceiling_after']:.0f} | {rate / here:.2f}× | "
              + " | ".join(f"{p.get(k, 0):.1f} s" for k in ("plan", "send", "sweep", "finalize", "verify"))
              + f" | {m['post_send_share'] * 100:.1f} % | {m['estimated_seconds'] or 0:.0f} s | {eta(m)} |")
    print()
    print("| shape | added latency | links | `verify` (every link) | `rollback` |")
    print("|---|---|---|---|---|")
    for r in runs:
        print(f"| {r['users']:,} × {r['per']} | {r['latency']} ms | {r['migrate']['linked']:,} | {secs(r['verify'])} | {secs(r['rollback'])} |")
    print()
    print("Scaling (seconds; rows and users → time):")
    print()
    print("| users | rows linked | latency | migrate | verify | rollback | s per 1,000 rows (migrate) |")
    print("|---|---|---|---|---|---|---|")
    for r in sorted(runs, key=lambda r: (r["latency"], r["migrate"]["linked"])):
        m = r["migrate"]
        print(f"| {r['users']:,} | {m['linked']:,} | {r['latency']} ms | {m['wall_seconds']:.1f} | {secs(r['verify'])} | "
              f"{secs(r['rollback'])} | {m['wall_seconds'] / max(m['linked'], 1) * 1000:.1f} |")
    print()
    print(limited_line)
    print()
    print(big_line)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    command, args = sys.argv[1], sys.argv[2:]
    if command == "ceiling":
        ceiling(args[0], args[1], int(args[2]), int(args[3]), args[4], args[5], args[6] if len(args) > 6 else None)
    elif command == "sequential":
        sequential(args[0], args[1], args[2], int(args[3]), args[4], args[5])
    elif command == "tables":
        tables(args)
    elif command == "timeline":
        timeline(args[1:] if args and args[0] == "--" else args)
    elif command == "timed":
        limit = None
        if args and args[0].startswith("--limit="):
            limit, args = float(args[0].split("=", 1)[1]), args[1:]
        timed(args[1:] if args and args[0] == "--" else args, limit)
    else:
        raise SystemExit(__doc__)
