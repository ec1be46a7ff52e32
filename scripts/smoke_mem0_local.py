#!/usr/bin/env python3
"""Hand-run smoke check and measurement of the local Mem0 server and the fault proxy (stdlib client only).

    MEMCONSOLE_VENV=... python3 scripts/smoke_mem0_local.py [--adds 500] [--clients 8]

Starts a server on a fresh temporary data folder through scripts/mem0-local (the same way tests and the demo do),
checks both dialects, the 401s, 8 concurrent clients x 500 adds with nothing lost (counted by /__test/stats and by
paging the Platform list), the proxy's 429/Retry-After, stall, drop and after-phase faults, then prints the numbers that
docs/mem0-local-server.md quotes. Exits non-zero on the first failed check.
"""

import argparse
import http.client
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "mem0-local")


class Client:
    """One keep-alive connection; `dialect` picks the auth header."""

    def __init__(self, base_url: str, key: str, dialect: str, timeout: float = 30.0):
        parts = urlsplit(base_url)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.auth = {"Authorization": f"Token {key}"} if dialect == "platform" else {"X-API-Key": key}
        self.conn = None

    def call(self, method: str, path: str, body=None, headers=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        data = None if body is None else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json", "Accept": "application/json", **self.auth, **(headers or {})}
        try:
            self.conn.request(method, path, body=data, headers=all_headers)
            response = self.conn.getresponse()
            raw = response.read()
        except Exception:
            self.close()
            raise
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        return response.status, parsed, dict(response.getheaders())

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


checks = 0


def check(condition: bool, what: str, detail=None):
    global checks
    checks += 1
    if not condition:
        print(f"FAIL: {what}" + (f": {detail!r}" if detail is not None else ""), file=sys.stderr)
        sys.exit(1)


def run(args, env, capture=True):
    result = subprocess.run([SCRIPT, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
    return result


def platform_checks(url, key):
    p = Client(url, key, "platform")
    status, body, _ = p.call("GET", "/v1/ping/")
    check(status == 200 and body["status"] == "ok", "ping", body)
    user = f"smoke-{uuid.uuid4().hex[:8]}"
    text = "Ünïcode ✓ emoji 🎉 RTL שלום " + "x" * 40_000
    status, body, _ = p.call("POST", "/v3/memories/add/", {
        "messages": [{"role": "user", "content": text}], "user_id": user, "run_id": "chat-1",
        "metadata": {"legacy_id": 881, "legacy_nested": {"a": [1, 2, {"b": None}]}, "legacy_big": 2 ** 53},
        "infer": False, "timestamp": 1_700_000_000})
    check(status == 200 and body["status"] == "SUCCEEDED" and len(body["results"]) == 1, "platform add", body)
    memory_id = body["results"][0]["id"]
    check(body["results"][0]["data"]["memory"] == text and body["results"][0]["event"] == "ADD", "platform add shape")
    status, body, _ = p.call("POST", "/v3/memories/add/", {"messages": [{"role": "user", "content": text}],
                                                           "user_id": user, "run_id": "chat-1", "infer": False})
    check(status == 200 and body["results"] == [], "platform exact-text de-duplication", body)
    status, body, _ = p.call("GET", f"/v1/memories/{memory_id}/")
    check(status == 200 and body["memory"] == text and body["session_id"] == "chat-1", "platform get", body)
    check(body["created_at"].startswith("2023-11-14T22:13:20"), "timestamp backdates created_at", body["created_at"])
    check(body["metadata"] == {"legacy_id": 881, "legacy_nested": {"a": [1, 2, {"b": None}]}, "legacy_big": 2 ** 53},
          "metadata round trip", body["metadata"])
    for i in range(4):
        p.call("POST", "/v3/memories/add/", {"messages": [{"role": "user", "content": f"note {i}"}], "user_id": user,
                                             "metadata": {"legacy_id": i}, "infer": False})
    status, body, _ = p.call("POST", "/v3/memories/?page=1&page_size=2", {"filters": {"user_id": user}})
    check(status == 200 and body["count"] == 5 and len(body["results"]) == 2 and body["next"].endswith("page=2&page_size=2")
          and body["previous"] is None, "platform list page 1", body)
    status, body, _ = p.call("POST", urlsplit(body["next"]).path + "?" + urlsplit(body["next"]).query, {"filters": {"user_id": user}})
    check(status == 200 and len(body["results"]) == 2 and body["previous"] is not None, "platform list next page", body)
    status, body, _ = p.call("POST", "/v3/memories/", {"filters": {"AND": [{"user_id": user}, {"metadata": {"legacy_id": 2}}]}})
    check(status == 200 and body["count"] == 1 and body["results"][0]["memory"] == "note 2", "platform metadata filter", body)
    check(p.call("POST", "/v3/memories/?page_size=201", {"filters": {"user_id": user}})[0] == 400, "page_size 201 → 400")
    check(p.call("POST", "/v3/memories/", {"user_id": user, "filters": {"user_id": user}})[0] == 400, "top-level user_id → 400")
    check(p.call("GET", "/v1/memories/not-a-uuid/")[1] == {"error": "memory_id should be a valid UUID"}, "non-UUID → 400")
    status, body, _ = p.call("DELETE", f"/v1/memories/{memory_id}/")
    check(status == 200 and body == {"message": "Memory deleted successfully!"}, "platform delete", body)
    check(p.call("GET", f"/v1/memories/{memory_id}/")[:2] == (404, {"error": "Memory not found!"}), "deleted → 404")
    check(p.call("DELETE", f"/v1/memories/{memory_id}/")[0] == 404, "double delete → 404")
    status, body, _ = p.call("POST", "/v3/memories/add/", {"messages": [{"role": "user", "content": text}],
                                                           "user_id": user, "run_id": "chat-1", "infer": False})
    check(status == 200 and len(body["results"]) == 1, "re-add after delete is not de-duplicated", body)
    p.close()


def oss_checks(url, key):
    o = Client(url, key, "oss")
    check(o.call("GET", "/configure/providers")[0] == 200, "oss auth check")
    user = f"smoke-{uuid.uuid4().hex[:8]}"
    status, body, _ = o.call("POST", "/memories", {
        "messages": [{"role": "user", "content": "I prefer aisle seats"}, {"role": "assistant", "content": "Noted."},
                     {"role": "system", "content": "dropped"}],
        "user_id": user, "metadata": {"legacy_id": 1017, "created_at": "2021-05-06T07:08:09+00:00"}, "infer": False})
    check(status == 200 and [r["role"] for r in body["results"]] == ["user", "assistant"], "oss add", body)
    memory_id = body["results"][0]["id"]
    status, body, _ = o.call("GET", f"/memories/{memory_id}")
    check(status == 200 and body["created_at"] == "2021-05-06T07:08:09+00:00" and body["metadata"] == {"legacy_id": 1017},
          "oss get + backdating", body)
    check(o.call("GET", f"/memories/{uuid.uuid4()}")[:2] == (200, None), "oss unknown id → 200 null")
    status, body, _ = o.call("GET", f"/memories?user_id={user}&top_k=1000")
    check(status == 200 and len(body["results"]) == 2 and "count" not in body, "oss list", body)
    check(o.call("GET", f"/memories?user_id={user}&top_k=1001")[0] == 422, "oss top_k 1001 → 422")
    status, body, _ = o.call("POST", "/search", {"query": "aisle seats", "filters": {"user_id": user, "legacy_id": 1017}})
    check(status == 200 and body["results"] and body["results"][0]["id"] == memory_id, "oss search with metadata filter", body)
    status, body, _ = o.call("POST", "/memories", {"messages": [{"role": "user", "content": 5}], "user_id": user})
    check(status == 422 and body["detail"][0]["loc"] == ["body", "messages", 0, "content"], "oss 422 shape", body)
    status, body, _ = o.call("POST", "/memories", {"messages": [{"role": "user", "content": "x"}]})
    check(status == 400 and "identifier" in body["detail"], "oss no identifier → 400", body)
    status, body, _ = o.call("DELETE", f"/memories/{memory_id}")
    check(status == 200 and body == {"message": "Memory deleted successfully"}, "oss delete", body)
    status, body, _ = o.call("DELETE", f"/memories/{memory_id}")
    check(status == 404 and body["detail"] == f"Memory with id {memory_id} not found", "oss double delete → 404", body)
    o.close()


def auth_checks(url, key):
    check(Client(url, "wrong", "platform").call("GET", "/v1/ping/")[1]["detail"].startswith("Invalid API key."), "platform 401")
    check(Client(url, "wrong", "platform").call("GET", "/v1/ping/")[0] == 401, "platform wrong key → 401")
    check(Client(url, "wrong", "oss").call("GET", "/configure/providers")[:2] == (401, {"detail": "Invalid API key."}), "oss 401")
    plain = Client(url, key, "oss")
    plain.auth = {}
    status, body, headers = plain.call("GET", "/memories?user_id=a")
    check(status == 401 and "X-API-Key" in body["detail"], "oss missing key → 401", body)
    check(Client(url, key, "platform").call("GET", "/configure/providers")[0] == 401, "Token header on an OSS route → 401")
    check(Client(url, "wrong", "oss").call("GET", "/__test/stats")[0] == 401, "test routes need the key")
    check(Client(url, key, "oss").call("GET", "/nothing/here")[0] == 404, "unknown route → 404")


def adds(url, key, user, count, dialect="platform", prefix="m", timeout=30.0):
    client = Client(url, key, dialect, timeout)
    ok = 0
    for i in range(count):
        if dialect == "platform":
            body = {"messages": [{"role": "user", "content": f"{prefix} {user} {i}"}], "user_id": user,
                    "metadata": {"legacy_id": i}, "infer": False}
            status, answer, _ = client.call("POST", "/v3/memories/add/", body)
            ok += status == 200 and len(answer["results"]) == 1
        else:
            body = {"messages": [{"role": "user", "content": f"{prefix} {user} {i}"}], "user_id": user,
                    "metadata": {"legacy_id": i}, "infer": False}
            status, answer, _ = client.call("POST", "/memories", body)
            ok += status == 200 and len(answer["results"]) == 1
    client.close()
    return ok


def concurrent_adds(url, key, clients, per_client, dialect="platform"):
    users = [f"conc-{uuid.uuid4().hex[:8]}" for _ in range(clients)]
    results = [0] * clients
    errors = []

    def worker(index):
        try:
            results[index] = adds(url, key, users[index], per_client, dialect)
        except Exception as error:  # reported, not hidden
            errors.append(repr(error))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return users, results, errors, elapsed


def measure(url, key, args, numbers):
    # Warm-up, then concurrency 1 on one keep-alive connection.
    adds(url, key, f"warm-{uuid.uuid4().hex[:6]}", 50)
    for dialect in ("platform", "oss"):
        user = f"seq-{dialect}-{uuid.uuid4().hex[:6]}"
        started = time.perf_counter()
        ok = adds(url, key, user, args.adds, dialect)
        elapsed = time.perf_counter() - started
        check(ok == args.adds, f"sequential {dialect} adds all acknowledged", ok)
        numbers[f"adds_per_s_c1_{dialect}"] = round(args.adds / elapsed, 1)

    users, results, errors, elapsed = concurrent_adds(url, key, args.clients, args.adds)
    check(not errors, "concurrent adds raised", errors)
    check(all(r == args.adds for r in results), "every concurrent add acknowledged", results)
    numbers[f"adds_per_s_c{args.clients}_platform"] = round(args.clients * args.adds / elapsed, 1)
    stats = Client(url, key, "oss").call("GET", "/__test/stats")[1]
    lost = sum(args.adds - stats["users"].get(u, 0) for u in users)
    check(lost == 0, "0 lost acknowledged writes (by /__test/stats)", {u: stats["users"].get(u) for u in users})
    numbers["lost_writes"] = lost
    # And through the product-facing route: page through one user's memories on the Platform list.
    p = Client(url, key, "platform")
    seen, path = set(), "/v3/memories/?page=1&page_size=200"
    while path:
        status, body, _ = p.call("POST", path, {"filters": {"user_id": users[0]}})
        check(status == 200, "paging", body)
        seen.update(m["id"] for m in body["results"])
        path = (urlsplit(body["next"]).path + "?" + urlsplit(body["next"]).query) if body["next"] else None
    check(len(seen) == args.adds, "paging the Platform list yields every memory once", len(seen))
    started = time.perf_counter()
    p.call("POST", "/v3/memories/?page=1&page_size=200", {"filters": {"user_id": users[0]}})
    numbers["list_page_ms_total_points"] = (round((time.perf_counter() - started) * 1000, 1), stats["total"])


def proxy_checks(url, key, data, env, numbers):
    result = run(["proxy", "start", "--data", data, "--upstream", url, "--seed", "7"], env)
    check(result.returncode == 0 and result.stdout.count("\n") == 1, "proxy start prints one line", result.stdout)
    proxy = result.stdout.strip()
    control = Client(proxy, key, "oss")
    try:
        def configure(**changes):
            status, body, _ = control.call("POST", "/__proxy/config", changes)
            check(status == 200, "proxy config", body)
            control.call("POST", "/__proxy/stats/reset")

        # Plain forwarding keeps both dialects intact (and paging URLs point at the proxy).
        check(Client(proxy, key, "platform").call("GET", "/v1/ping/")[0] == 200, "ping through the proxy")
        # 429 with Retry-After, before forwarding (the request is not applied).
        configure(rate_per_minute=30, rate_paths="add")
        user = f"rate-{uuid.uuid4().hex[:6]}"
        c = Client(proxy, key, "platform")
        statuses, retry_after = [], None
        for i in range(40):
            status, body, headers = c.call("POST", "/v3/memories/add/", {"messages": [{"role": "user", "content": f"r{i}"}],
                                                                        "user_id": user, "infer": False})
            statuses.append(status)
            if status == 429:
                retry_after = headers.get("Retry-After")
                check(body == {"detail": "Rate limit exceeded"}, "429 body", body)
        check(statuses.count(200) in (30, 31) and statuses.count(429) >= 9, "token bucket of 30", statuses)
        check(retry_after is not None and int(retry_after) >= 1, "Retry-After header", retry_after)
        check(c.call("GET", "/v1/ping/")[0] == 200, "--rate-paths add leaves other routes alone")
        stored = Client(url, key, "oss").call("GET", f"/__test/stats?user_id={user}")[1]["count"]
        check(stored == statuses.count(200), "a 429 never applies the request", (stored, statuses.count(200)))
        configure(rate_per_minute=0)

        # Stall longer than the client timeout.
        configure(stall_rate=1.0, stall_seconds=2.5)
        s = Client(proxy, key, "platform", timeout=1.0)
        started = time.perf_counter()
        try:
            s.call("GET", "/v1/ping/")
            check(False, "a stall must time the client out")
        except socket.timeout:
            check(time.perf_counter() - started < 2.0, "stall times out at the client timeout")
        configure(stall_rate=0.0)

        # Drop before forwarding: connection closed, nothing applied.
        user = f"drop-{uuid.uuid4().hex[:6]}"
        configure(drop_rate=1.0, fault_phase="before")
        try:
            Client(proxy, key, "platform").call("POST", "/v3/memories/add/", {"messages": [{"role": "user", "content": "d"}],
                                                                               "user_id": user, "infer": False})
            check(False, "a drop must close the connection")
        except (http.client.RemoteDisconnected, ConnectionError):
            pass
        check(Client(url, key, "oss").call("GET", f"/__test/stats?user_id={user}")[1]["count"] == 0, "drop before: not applied")
        # Drop after: the write happened, the response was lost.
        configure(drop_rate=1.0, fault_phase="after")
        try:
            Client(proxy, key, "platform").call("POST", "/v3/memories/add/", {"messages": [{"role": "user", "content": "d"}],
                                                                               "user_id": user, "infer": False})
            check(False, "a drop must close the connection")
        except (http.client.RemoteDisconnected, ConnectionError):
            pass
        check(Client(url, key, "oss").call("GET", f"/__test/stats?user_id={user}")[1]["count"] == 1, "drop after: applied")
        # 5xx after: applied but answered 500/502/503.
        configure(drop_rate=0.0, error_rate=1.0, fault_phase="after")
        status, body, _ = Client(proxy, key, "platform").call("POST", "/v3/memories/add/", {
            "messages": [{"role": "user", "content": "e"}], "user_id": user, "infer": False})
        check(status in (500, 502, 503), "injected 5xx", status)
        check(Client(url, key, "oss").call("GET", f"/__test/stats?user_id={user}")[1]["count"] == 2, "5xx after: applied")
        stats = control.call("GET", "/__proxy/stats")[1]
        check(stats["errors_injected"] == 1 and stats["forwarded"] == 1, "proxy stats", stats)

        # Latency: one sequential client versus 16 concurrent clients through 80 ms.
        configure(error_rate=0.0, latency_ms=80)
        started = time.perf_counter()
        adds(proxy, key, f"lat-{uuid.uuid4().hex[:6]}", 40)
        numbers["adds_per_s_c1_via_80ms"] = round(40 / (time.perf_counter() - started), 1)
        users, results, errors, elapsed = concurrent_adds(proxy, key, 16, 60)
        check(not errors and all(r == 60 for r in results), "concurrent adds through the proxy", (errors, results))
        numbers["adds_per_s_c16_via_80ms"] = round(16 * 60 / elapsed, 1)
    finally:
        run(["proxy", "stop", "--data", data], env)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--adds", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="mem0-smoke-")
    key = "smoke-" + secrets.token_hex(12)
    env = {**os.environ, "MEM0_API_KEY": key}
    numbers = {}
    try:
        started = time.perf_counter()
        result = run(["start", "--data", data], env)
        numbers["start_s_empty"] = round(time.perf_counter() - started, 2)
        check(result.returncode == 0 and result.stdout.count("\n") == 1 and result.stdout.startswith("http://127.0.0.1:"),
              "start prints exactly the URL", result.stdout)
        url = result.stdout.strip()
        auth_checks(url, key)
        platform_checks(url, key)
        oss_checks(url, key)
        measure(url, key, args, numbers)
        proxy_checks(url, key, data, env, numbers)
        before = Client(url, key, "oss").call("GET", "/__test/stats")[1]["total"]
        check(run(["stop", "--data", data], env).returncode == 0, "stop")
        started = time.perf_counter()
        result = run(["start", "--data", data], env)
        numbers["start_s_with_points"] = (round(time.perf_counter() - started, 2), before)
        url = result.stdout.strip()
        check(Client(url, key, "oss").call("GET", "/__test/stats")[1]["total"] == before, "persistence across restart")
        for name in os.listdir(data):
            if name.endswith(".log"):
                with open(os.path.join(data, name), encoding="utf-8", errors="replace") as handle:
                    check(key not in handle.read(), f"the key never appears in {name}")
    finally:
        run(["stop", "--data", data], env)
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)
    print(json.dumps(numbers, indent=1))
    print(f"OK: {checks} checks passed")


if __name__ == "__main__":
    main()
