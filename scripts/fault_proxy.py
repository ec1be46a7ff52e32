#!/usr/bin/env python3
"""Fault-injecting HTTP/1.1 reverse proxy for memconsole's Mem0 tests and benchmarks (stdlib only).

Why: a migration has to survive what a real WAN and a real Platform do to it — latency, 429 rate limits with
Retry-After, 5xx answers, dropped connections, stalls longer than the client's timeout, and, worst of all, a write the
server applied whose response never arrived. This proxy sits in front of scripts/mem0_server.py and produces exactly
those, deterministically with --seed. Settings change at run time through POST /__proxy/config.

It prints its base URL as the first stdout line once it is listening. Test infrastructure only; never in the product.
"""

import argparse
import asyncio
import json
import math
import random
import sys
import time
import uuid
from typing import Dict, List, Optional, Tuple
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
              "trailer", "transfer-encoding", "upgrade", "expect", "content-length"}
ADD_PATHS = {("POST", "/v3/memories/add/"), ("POST", "/memories")}
PLATFORM_ADD = ("POST", "/v3/memories/add/")
EVENT_PREFIX = "/v1/event/"
# What a refused add looks like, per status: the bodies the hosted Platform and the OSS server send (mem0-api.md A.15,
# B.1). Always answered before forwarding, so a refused add never applies anything.
REFUSALS = {
    400: {"error": "400 Bad Request", "details": {"message": "Invalid input data. Please refer to the documentation."}},
    401: {"detail": "Invalid API key."},
    402: {"detail": "Payment required: this organisation's plan does not allow more memories."},
    403: {"detail": "You do not have permission to perform this action."},
    409: {"detail": "Conflict."},
    413: {"detail": "Memory quota exceeded for this organisation."},
    422: {"detail": [{"loc": ["body", "messages"], "msg": "field required", "type": "value_error.missing"}]},
}
MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 64 * 1024 * 1024

INJECTED = {
    500: ("application/json", b'{"detail": "Internal Server Error"}'),
    502: ("text/html", b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1>"
                       b"</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"),
    503: ("application/json", b'{"detail": "Service temporarily unavailable. Please retry."}'),
}
REASONS = {100: "Continue", 200: "OK", 400: "Bad Request", 401: "Unauthorized", 402: "Payment Required",
           403: "Forbidden", 409: "Conflict", 413: "Content Too Large", 422: "Unprocessable Entity",
           404: "Not Found", 429: "Too Many Requests",
           500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


class Settings:
    """The fault knobs. Names match the command-line options with `_` for `-` (and the JSON of /__proxy/config)."""

    FIELDS = {
        "latency_ms": float, "rate_per_minute": float, "rate_paths": str, "error_rate": float, "drop_rate": float,
        "stall_rate": float, "stall_seconds": float, "fault_phase": str, "error_codes": list, "seed": int,
        "refuse_status": int, "refuse_after_adds": int, "pending_rate": float, "pending_polls": int,
    }

    def __init__(self, args):
        self.latency_ms = args.latency_ms
        self.rate_per_minute = args.rate_per_minute
        self.rate_paths = args.rate_paths
        self.error_rate = args.error_rate
        self.drop_rate = args.drop_rate
        self.stall_rate = args.stall_rate
        self.stall_seconds = args.stall_seconds
        self.fault_phase = args.fault_phase
        self.error_codes = [int(c) for c in args.error_codes.split(",")]
        self.seed = args.seed
        self.refuse_status = args.refuse_status
        self.refuse_after_adds = args.refuse_after_adds
        self.pending_rate = args.pending_rate
        self.pending_polls = args.pending_polls
        self.validate()

    def as_dict(self) -> Dict:
        return {name: getattr(self, name) for name in self.FIELDS}

    def update(self, changes: Dict) -> None:
        previous = self.as_dict()
        try:
            for name, value in changes.items():
                if name not in self.FIELDS:
                    raise ValueError(f"unknown setting {name!r}; known: {', '.join(self.FIELDS)}")
                kind = self.FIELDS[name]
                if kind is float and (isinstance(value, bool) or not isinstance(value, (int, float))):
                    raise ValueError(f"{name} must be a number")
                if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
                    raise ValueError(f"{name} must be an integer")
                if kind is str and not isinstance(value, str):
                    raise ValueError(f"{name} must be a string")
                if kind is list:
                    if not isinstance(value, list) or not all(isinstance(c, int) for c in value):
                        raise ValueError(f"{name} must be a list of status codes")
                setattr(self, name, float(value) if kind is float else value)
            self.validate()
        except ValueError:
            for name, value in previous.items():
                setattr(self, name, value)
            raise

    def validate(self) -> None:
        if self.refuse_status and self.refuse_status not in REFUSALS:
            raise ValueError(f"refuse_status must be 0 (off) or one of {sorted(REFUSALS)}")
        if self.refuse_after_adds < 0 or self.pending_polls < 0:
            raise ValueError("refuse_after_adds and pending_polls must not be negative")
        for name in ("error_rate", "drop_rate", "stall_rate", "pending_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        for name in ("latency_ms", "rate_per_minute", "stall_seconds"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.rate_paths not in ("all", "add"):
            raise ValueError("rate_paths must be 'all' or 'add'")
        if self.fault_phase not in ("before", "after", "mixed"):
            raise ValueError("fault_phase must be 'before', 'after' or 'mixed'")
        if not self.error_codes or any(c not in INJECTED for c in self.error_codes):
            raise ValueError(f"error_codes must be a non-empty subset of {sorted(INJECTED)}")


class TokenBucket:
    """Capacity N, refilled at N per minute: a burst of N passes, then about N/60 per second."""

    def __init__(self, per_minute: float):
        self.reset(per_minute)

    def reset(self, per_minute: float) -> None:
        self.per_minute = per_minute
        self.tokens = per_minute
        self.stamp = time.monotonic()

    def take(self) -> Tuple[bool, int, int]:
        """Returns (allowed, retry_after_seconds, remaining)."""
        now = time.monotonic()
        rate = self.per_minute / 60.0
        self.tokens = min(self.per_minute, self.tokens + (now - self.stamp) * rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True, 0, int(self.tokens)
        return False, max(1, math.ceil((1.0 - self.tokens) / rate)), 0


class Stats:
    NAMES = ("requests", "forwarded", "rate_limited", "errors_injected", "drops", "stalls", "upstream_failures",
             "adds_passed", "refused", "pending_answers", "event_polls")

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        for name in self.NAMES:
            setattr(self, name, 0)

    def as_dict(self) -> Dict:
        return {name: getattr(self, name) for name in self.NAMES}


class HTTPMessage:
    def __init__(self, start_line: str, headers: List[Tuple[str, str]], body: bytes):
        self.start_line, self.headers, self.body = start_line, headers, body

    def header(self, name: str) -> Optional[str]:
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None


class ProtocolError(Exception):
    pass


async def read_head(reader: asyncio.StreamReader) -> Optional[Tuple[str, List[Tuple[str, str]]]]:
    """Reads a start line and headers; None on a clean EOF before any byte."""
    try:
        raw = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as error:
        if not error.partial:
            return None
        raise ProtocolError("connection closed in the middle of a header")
    except asyncio.LimitOverrunError:
        raise ProtocolError("header too large")
    lines = raw.decode("latin-1").split("\r\n")
    headers = []
    for line in lines[1:]:
        if not line:
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise ProtocolError(f"malformed header line {line!r}")
        headers.append((key.strip(), value.strip()))
    return lines[0], headers


async def read_body(reader: asyncio.StreamReader, message_headers: List[Tuple[str, str]], until_eof: bool) -> bytes:
    probe = HTTPMessage("", message_headers, b"")
    encoding = (probe.header("transfer-encoding") or "").lower()
    if "chunked" in encoding:
        chunks = []
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
    length = probe.header("content-length")
    if length is not None:
        size = int(length)
        if size > MAX_BODY_BYTES:
            raise ProtocolError("body too large")
        return await reader.readexactly(size)
    if until_eof:
        return await reader.read()
    return b""


def serialize(start_line: str, headers: List[Tuple[str, str]], body: bytes) -> bytes:
    head = [start_line] + [f"{k}: {v}" for k, v in headers] + ["", ""]
    return "\r\n".join(head).encode("latin-1") + body


def json_response(status: int, payload, extra: Optional[List[Tuple[str, str]]] = None) -> bytes:
    body = json.dumps(payload).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))] + (extra or [])
    return serialize(f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}", headers, body)


class Upstream:
    """One keep-alive connection to the upstream per client connection."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: Optional[asyncio.StreamReader] = None
        self.writer: Optional[asyncio.StreamWriter] = None

    async def exchange(self, request: bytes, method: str) -> HTTPMessage:
        for attempt in range(2):
            reused = self.writer is not None
            if not reused:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=MAX_HEADER_BYTES)
            try:
                self.writer.write(request)
                await self.writer.drain()
                head = await read_head(self.reader)
                if head is None:
                    raise ConnectionResetError("upstream closed the connection")
            except (ConnectionError, ProtocolError):
                self.close()
                # A reused keep-alive connection the upstream closed while idle never saw the request: retry once.
                if reused and attempt == 0:
                    continue
                raise
            start_line, headers = head
            status = int(start_line.split(" ", 2)[1])
            no_body = method == "HEAD" or status in (204, 304) or 100 <= status < 200
            probe = HTTPMessage(start_line, headers, b"")
            closing = (probe.header("connection") or "").lower() == "close"
            body = b"" if no_body else await read_body(self.reader, headers, until_eof=True)
            if closing:
                self.close()
            return HTTPMessage(start_line, headers, body)
        raise ConnectionError("unreachable")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class FaultProxy:
    def __init__(self, args):
        target = urlsplit(args.upstream)
        if target.scheme != "http" or not target.hostname:
            raise SystemExit("fault_proxy: --upstream must be an http:// URL, e.g. http://127.0.0.1:8000")
        self.upstream_host = target.hostname
        self.upstream_port = target.port or 80
        self.upstream_prefix = target.path.rstrip("/")
        self.settings = Settings(args)
        self.random = random.Random(self.settings.seed)
        self.bucket = TokenBucket(self.settings.rate_per_minute)
        self.stats = Stats()
        # Queued Platform adds: event id -> [polls answered so far, the real add's results].
        self.events: Dict[str, list] = {}

    # -- control routes ----------------------------------------------------------------------------------------------

    def control(self, method: str, path: str, body: bytes) -> bytes:
        if path == "/__proxy/config" and method == "GET":
            return json_response(200, self.settings.as_dict())
        if path == "/__proxy/config" and method == "POST":
            try:
                changes = json.loads(body or b"{}")
                if not isinstance(changes, dict):
                    raise ValueError("the body must be a JSON object of settings")
                self.settings.update(changes)
            except ValueError as error:
                return json_response(400, {"detail": str(error)})
            if "rate_per_minute" in changes:
                self.bucket.reset(self.settings.rate_per_minute)
            if "seed" in changes:
                self.random = random.Random(self.settings.seed)
            return json_response(200, self.settings.as_dict())
        if path == "/__proxy/stats" and method == "GET":
            return json_response(200, self.stats.as_dict())
        if path == "/__proxy/stats/reset" and method == "POST":
            self.stats.reset()
            return json_response(200, self.stats.as_dict())
        return json_response(404, {"detail": "Unknown proxy control route"})

    # -- the fault pipeline --------------------------------------------------------------------------------------------

    def rate_limited(self, method: str, path: str) -> Optional[bytes]:
        s = self.settings
        if s.rate_per_minute <= 0:
            return None
        if s.rate_paths == "add" and (method, path) not in ADD_PATHS:
            return None
        allowed, retry_after, remaining = self.bucket.take()
        if allowed:
            return None
        self.stats.rate_limited += 1
        limit = str(int(s.rate_per_minute))
        return json_response(429, {"detail": "Rate limit exceeded"}, [
            ("Retry-After", str(retry_after)), ("X-RateLimit-Limit", limit), ("X-RateLimit-Remaining", str(remaining)),
            ("X-RateLimit-Reset", str(retry_after))])

    def after_phase(self) -> bool:
        phase = self.settings.fault_phase
        draw = self.random.random()
        return phase == "after" or (phase == "mixed" and draw < 0.5)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream = Upstream(self.upstream_host, self.upstream_port)
        try:
            while True:
                head = await read_head(reader)
                if head is None:
                    return
                start_line, headers = head
                parts = start_line.split(" ")
                if len(parts) != 3:
                    writer.write(json_response(400, {"detail": "Malformed request line"}))
                    return
                method, target, version = parts
                request = HTTPMessage(start_line, headers, b"")
                if (request.header("expect") or "").lower() == "100-continue":
                    writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                    await writer.drain()
                request.body = await read_body(reader, headers, until_eof=False)
                keep_alive = (request.header("connection") or "").lower() != "close" and version == "HTTP/1.1"
                path = target.split("?", 1)[0]

                if path.startswith("/__proxy/"):
                    writer.write(self.control(method, path, request.body))
                    await writer.drain()
                    if not keep_alive:
                        return
                    continue

                answer = await self.faulted_exchange(upstream, method, target, path, request)
                if answer is None:  # a drop: close without a byte
                    self.stats.drops += 1
                    writer.transport.abort()
                    return
                writer.write(answer)
                await writer.drain()
                if not keep_alive:
                    return
        except (ConnectionError, ProtocolError, asyncio.IncompleteReadError, ValueError):
            return
        finally:
            upstream.close()
            if not writer.is_closing():
                writer.close()

    async def faulted_exchange(self, upstream: Upstream, method: str, target: str, path: str, request: HTTPMessage):
        s = self.settings
        self.stats.requests += 1
        if s.latency_ms > 0:
            await asyncio.sleep(s.latency_ms / 1000.0)
        limited = self.rate_limited(method, path)
        if limited is not None:
            return limited  # always before forwarding: a 429 never applies the request
        if method == "GET" and path.startswith(EVENT_PREFIX) and path.rstrip("/")[len(EVENT_PREFIX):] in self.events:
            return self.event_answer(path.rstrip("/")[len(EVENT_PREFIX):])
        if (method, path) in ADD_PATHS:
            if s.refuse_status and self.stats.adds_passed >= s.refuse_after_adds:
                self.stats.refused += 1
                return json_response(s.refuse_status, REFUSALS[s.refuse_status])
            self.stats.adds_passed += 1
        # Draw every random number in a fixed order so a seed gives the same fault sequence.
        stall_draw, error_draw, drop_draw = self.random.random(), self.random.random(), self.random.random()
        code = self.random.choice(s.error_codes)
        if stall_draw < s.stall_rate:
            self.stats.stalls += 1
            await asyncio.sleep(s.stall_seconds)  # then forwarded: the client has usually given up by now
        inject_error = error_draw < s.error_rate
        inject_drop = not inject_error and drop_draw < s.drop_rate
        after = self.after_phase() if (inject_error or inject_drop) else False
        if (inject_error or inject_drop) and not after:
            return self.injected(code) if inject_error else None
        response = await self.forward(upstream, method, target, request)
        if (method, path) == PLATFORM_ADD and s.pending_rate > 0 and self.random.random() < s.pending_rate:
            queued = self.queue_event(response)
            if queued is not None:
                response = queued
        if inject_error:
            return self.injected(code)
        if inject_drop:
            return None
        return response

    def queue_event(self, raw: bytes) -> Optional[bytes]:
        """Turns the real server's synchronous add answer into the Platform's queued one; the real results are
        revealed by GET /v1/event/{id}/ after `pending_polls` polls (the write itself already happened upstream)."""
        head, _, body = raw.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            return None
        try:
            answer = json.loads(body)
        except ValueError:
            return None
        event_id = answer.get("event_id") or str(uuid.uuid4())
        self.events[event_id] = [0, answer.get("results", []), answer]
        self.stats.pending_answers += 1
        return json_response(200, {"message": "Memory processing has been queued for background execution",
                                   "status": "PENDING", "event_id": event_id})

    def event_answer(self, event_id: str) -> bytes:
        entry = self.events[event_id]
        entry[0] += 1
        self.stats.event_polls += 1
        status = "SUCCEEDED" if entry[0] > self.settings.pending_polls else ("PENDING" if entry[0] == 1 else "RUNNING")
        return json_response(200, {"id": event_id, "event_type": "ADD", "status": status, "payload": {}, "metadata": None,
                                   "results": entry[1] if status == "SUCCEEDED" else [], "error": None,
                                   "graph_status": None})

    def injected(self, code: int) -> bytes:
        self.stats.errors_injected += 1
        content_type, body = INJECTED[code]
        return serialize(f"HTTP/1.1 {code} {REASONS[code]}",
                         [("Content-Type", content_type), ("Content-Length", str(len(body)))], body)

    async def forward(self, upstream: Upstream, method: str, target: str, request: HTTPMessage) -> bytes:
        headers = [(k, v) for k, v in request.headers if k.lower() not in HOP_BY_HOP]
        if request.body or method in ("POST", "PUT", "PATCH"):
            headers.append(("Content-Length", str(len(request.body))))
        headers.append(("Connection", "keep-alive"))
        raw = serialize(f"{method} {self.upstream_prefix}{target} HTTP/1.1", headers, request.body)
        try:
            response = await upstream.exchange(raw, method)
        except (OSError, ProtocolError, asyncio.IncompleteReadError, ValueError) as error:
            self.stats.upstream_failures += 1
            return json_response(502, {"detail": f"fault proxy: upstream unreachable ({type(error).__name__})"})
        self.stats.forwarded += 1
        out_headers = [(k, v) for k, v in response.headers if k.lower() not in HOP_BY_HOP]
        out_headers.append(("Content-Length", str(len(response.body))))
        return serialize(response.start_line, out_headers, response.body)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Fault-injecting HTTP/1.1 reverse proxy (memconsole tests only)")
    parser.add_argument("--listen-port", type=int, default=0, help="0 = a free port")
    parser.add_argument("--upstream", required=True, help="http://127.0.0.1:PORT of the Mem0 server")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--rate-per-minute", type=float, default=0.0, help="token bucket size and refill per minute; 0 = off")
    parser.add_argument("--rate-paths", choices=["all", "add"], default="all")
    parser.add_argument("--error-rate", type=float, default=0.0)
    parser.add_argument("--error-codes", default="500,502,503")
    parser.add_argument("--drop-rate", type=float, default=0.0)
    parser.add_argument("--stall-rate", type=float, default=0.0)
    parser.add_argument("--stall-seconds", type=float, default=30.0)
    parser.add_argument("--fault-phase", choices=["before", "after", "mixed"], default="before")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--refuse-status", type=int, default=0, help="answer adds with this 4xx (Platform/OSS body); 0 = off")
    parser.add_argument("--refuse-after-adds", type=int, default=0, help="let this many adds through before refusing")
    parser.add_argument("--pending-rate", type=float, default=0.0, help="share of Platform adds answered PENDING + event_id")
    parser.add_argument("--pending-polls", type=int, default=2, help="event polls answered PENDING/RUNNING before SUCCEEDED")
    return parser.parse_args(argv)


async def serve(args) -> None:
    try:
        proxy = FaultProxy(args)
    except ValueError as error:
        raise SystemExit(f"fault_proxy: {error}")
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", args.listen_port, limit=MAX_HEADER_BYTES,
                                        reuse_address=True)
    port = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}", flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    args = parse_args()
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        pass
    except OSError as error:
        sys.exit(f"fault_proxy: cannot listen on 127.0.0.1:{args.listen_port}: {error.strerror}")


if __name__ == "__main__":
    main()
