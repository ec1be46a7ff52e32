#!/usr/bin/env python3
"""Local Mem0 server for memconsole's tests and demo: both REST dialects over the REAL mem0ai `Memory`.

Why it exists: the hosted Platform cannot be called from CI, and the upstream OSS `server/main.py` hard-codes pgvector.
This server runs the real `mem0ai==2.2.1` `Memory` (embedded qdrant on disk, SQLite history, offline hashing embedder)
and answers with the Platform's and the OSS server's request/response shapes (docs/mem0-local-server.md lists every
route and every known difference). Anything beyond the real APIs lives under `/__test/` and is test-only.

Run through `scripts/mem0-local`, not directly: it builds the venv, passes the key and waits for health.
"""

import os
import sys

# Both must be set BEFORE mem0 is imported: telemetry otherwise tries the network and opens a second qdrant store,
# and MEM0_DIR otherwise lands in ~/.mem0. They are set at module import so no later import can win the race.
os.environ["MEM0_TELEMETRY"] = "False"

import argparse
import asyncio
import concurrent.futures
import functools
import hashlib
import hmac
import json
import logging
import math
import re
import socket
import threading
import unicodedata
import uuid
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Tuple, Union
from urllib.parse import parse_qs, unquote

LOG = logging.getLogger("mem0-local")

EMBEDDING_DIMS = 256
# A closed loopback port: an accidental infer=true fails at once instead of reaching for the internet.
DEAD_OPENAI_URL = "http://127.0.0.1:9/v1"
COLLECTION = "memconsole"

PLATFORM_INVALID_KEY = {"detail": "Invalid API key. You can find your API key on https://app.mem0.ai/dashboard/api-keys."}
OSS_AUTH_REQUIRED = {"detail": "Authentication required. Provide a Bearer token or X-API-Key header."}
OSS_INVALID_KEY = {"detail": "Invalid API key."}
OSS_INVALID_TOKEN = {"detail": "Invalid or expired token."}
OSS_SERVER_ID_KEYS = ("user_id", "agent_id", "run_id")
PLATFORM_ENTITY_KEYS = ("user_id", "agent_id", "app_id", "run_id")


# ---------------------------------------------------------------------------------------------------------------------
# Offline embedder


def _hashing_embedder_class():
    """Builds the embedder class lazily because its base class lives in mem0, which must be imported after the env."""
    from mem0.embeddings.base import EmbeddingBase

    class HashingEmbedder(EmbeddingBase):
        """Deterministic lexical embedder: no network, no model files, same vector for the same text on every machine.

        NFKC + casefold, word unigrams and bigrams plus character trigrams, each hashed with blake2b into one of 256
        signed buckets, L2-normalised. Never returns a zero vector (qdrant's cosine distance needs a norm).
        """

        def embed(self, text, memory_action=None):
            return embed_text(text)

        def embed_batch(self, texts, memory_action="add"):
            return [embed_text(t) for t in texts]

    return HashingEmbedder


_WORD = re.compile(r"\w+", re.UNICODE)


def embed_text(text: Any) -> List[float]:
    normalized = unicodedata.normalize("NFKC", str(text)).casefold()
    words = _WORD.findall(normalized)
    features = list(words)
    features.extend(f"{a} {b}" for a, b in zip(words, words[1:]))
    padded = f" {normalized} "
    features.extend("#" + padded[i : i + 3] for i in range(len(padded) - 2))
    vector = [0.0] * EMBEDDING_DIMS
    for feature in features:
        digest = hashlib.blake2b(feature.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        bucket = int.from_bytes(digest[:4], "little") % EMBEDDING_DIMS
        vector[bucket] += 1.0 if digest[4] & 1 else -1.0
    norm = math.sqrt(sum(v * v for v in vector))
    if norm == 0.0:
        vector[0] = 1.0
        return vector
    return [v / norm for v in vector]


# ---------------------------------------------------------------------------------------------------------------------
# The store: the real Memory behind one lock, plus the Platform's exact-text de-duplication index


class UpstreamFailure(Exception):
    """An exception from mem0 that is not a validation error: answered as the OSS server's 502."""


class ClientFailure(Exception):
    """A validation error from mem0 (ValueError / mem0 ValidationError): answered as 400, or 404 for 'not found'."""


class Store:
    """Owns the one `Memory` instance. Every call goes through `call`, which holds one process-wide lock: embedded
    qdrant loses acknowledged writes under concurrent writers (spec mem0-local.md), so nothing may bypass it."""

    def __init__(self, data_dir: str):
        from mem0 import Memory

        self.data_dir = data_dir
        config = {
            "vector_store": {
                "provider": "qdrant",
                "config": {
                    "collection_name": COLLECTION,
                    "path": os.path.join(data_dir, "qdrant"),
                    "on_disk": True,
                    "embedding_model_dims": EMBEDDING_DIMS,
                },
            },
            "llm": {
                "provider": "openai",
                "config": {"api_key": "sk-local-dummy", "openai_base_url": DEAD_OPENAI_URL, "model": "gpt-4o-mini"},
            },
            "embedder": {
                "provider": "openai",
                "config": {
                    "api_key": "sk-local-dummy",
                    "openai_base_url": DEAD_OPENAI_URL,
                    "embedding_dims": EMBEDDING_DIMS,
                },
            },
            "history_db_path": os.path.join(data_dir, "history.db"),
        }
        self.memory = Memory.from_config(config)
        # mem0 has no way to register a provider; it only ever calls embed()/embed_batch() on this attribute.
        self.memory.embedding_model = _hashing_embedder_class()()
        # No retries against the dead LLM URL: infer=true should fail in milliseconds, not after back-offs.
        client = getattr(self.memory.llm, "client", None)
        if client is not None and hasattr(client, "with_options"):
            self.memory.llm.client = client.with_options(max_retries=0)
        self.lock = threading.Lock()
        # One worker thread keeps blocking mem0 calls off the event loop; the lock is the real guarantee.
        self.executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="mem0")
        # scope -> text hash -> set of memory ids; memory id -> (scope, hash); (entity key, id) -> set of memory ids.
        # Mirrors the store (built by a scan).
        self.by_scope: Dict[Tuple, Dict[str, set]] = {}
        self.by_id: Dict[str, Tuple[Tuple, str]] = {}
        self.by_entity: Dict[Tuple[str, str], set] = {}
        with self.lock:
            for point in self._scan_points():
                self._index(str(point.id), point.payload or {})
        self._install_indexed_list()

    async def call(self, fn, *args, **kwargs):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(self._locked, fn, *args, **kwargs))

    def _locked(self, fn, *args, **kwargs):
        with self.lock:
            try:
                return fn(*args, **kwargs)
            except (ClientFailure, UpstreamFailure):
                raise
            except Exception as error:  # classify mem0's errors the way the OSS server does (spec B.13)
                raise classify(error) from error

    # -- raw scans (read-only use of the library's own qdrant client) ------------------------------------------------

    def _scan_points(self, payload_keys=("user_id", "agent_id", "run_id", "hash")):
        client = self.memory.vector_store.client
        offset = None
        while True:
            points, offset = client.scroll(
                collection_name=self.memory.vector_store.collection_name,
                limit=1000,
                offset=offset,
                with_payload=list(payload_keys) if payload_keys else True,
                with_vectors=False,
            )
            yield from points
            if offset is None:
                return

    @staticmethod
    def _scope(payload: Dict[str, Any]) -> Tuple:
        return tuple(payload.get(k) for k in OSS_SERVER_ID_KEYS)

    def _index(self, memory_id: str, payload: Dict[str, Any]) -> None:
        scope, text_hash = self._scope(payload), payload.get("hash")
        self.by_scope.setdefault(scope, {}).setdefault(text_hash, set()).add(memory_id)
        self.by_id[memory_id] = (scope, text_hash)
        for key, value in zip(OSS_SERVER_ID_KEYS, scope):
            if value is not None:
                self.by_entity.setdefault((key, value), set()).add(memory_id)

    def _unindex(self, memory_id: str) -> None:
        entry = self.by_id.pop(memory_id, None)
        if entry is None:
            return
        scope, text_hash = entry
        self._discard(self.by_scope.get(scope, {}), text_hash, memory_id)
        for key, value in zip(OSS_SERVER_ID_KEYS, scope):
            self._discard(self.by_entity, (key, value), memory_id)

    @staticmethod
    def _discard(index: Dict[Any, set], key: Any, memory_id: str) -> None:
        """Removes one id from an index's set, and the set once it is empty."""
        ids = index.get(key)
        if ids is not None:
            ids.discard(memory_id)
            if not ids:
                del index[key]

    def _install_indexed_list(self) -> None:
        store = self.memory.vector_store   # reset() may hand back a new store object: bind to the current one
        self._scroll_list = type(store).list.__get__(store)
        store.list = self._indexed_list

    def _indexed_list(self, filters: Dict[str, Any] = None, top_k: int = 100):
        """mem0's qdrant `list` (a scroll in id order under an equality filter), answered from the entity index.

        mem0 creates keyword payload indexes on user_id, agent_id and run_id for a Qdrant server but skips them for
        embedded qdrant (`_create_filter_indexes`: "not supported"), whose scroll then sorts every id and evaluates
        the filter on every point: a scoped list cost O(store) here (170 ms at 5,500 memories) where the hosted
        Platform and a Qdrant server pay O(result). This answers the same question the way an indexed store does:
        the ids under the filter's entity ids, read with `retrieve`, checked against the whole filter, in the
        scroll's order. mem0's `get_all` still does everything else (id trimming, expiry, formatting, limits).
        Filters this index cannot decide (operators, AND/OR/NOT, no entity id) go to the scroll unchanged."""
        flat = filters or {}
        entities = [(k, v) for k, v in flat.items() if k in OSS_SERVER_ID_KEYS]
        if not entities or any(isinstance(v, (dict, list)) or k.upper().lstrip("$") in ("AND", "OR", "NOT")
                               for k, v in flat.items()):
            return self._scroll_list(filters=filters, top_k=top_k)
        candidates = set.intersection(*(self.by_entity.get((k, v), set()) for k, v in entities))
        records = self.memory.vector_store.client.retrieve(
            collection_name=self.memory.vector_store.collection_name, ids=list(candidates),
            with_payload=True, with_vectors=False)
        matching = [r for r in records if all((r.payload or {}).get(k) == v for k, v in flat.items())]
        matching.sort(key=lambda r: uuid.UUID(str(r.id)))
        return matching[:top_k], None

    # -- operations (run under the lock) ---------------------------------------------------------------------------

    def add(self, messages, ids: Dict[str, Any], metadata, expiration_date=None, infer=False, extra=None):
        kwargs = dict(ids)
        if metadata is not None:
            kwargs["metadata"] = metadata
        if expiration_date is not None:
            kwargs["expiration_date"] = expiration_date
        kwargs.update(extra or {})
        result = self.memory.add(messages, infer=infer, **kwargs)
        for item in result.get("results", []):
            if item.get("event") == "ADD" and item.get("id"):
                payload = self.memory.vector_store.get(vector_id=item["id"])
                if payload is not None:
                    self._index(str(item["id"]), payload.payload or {})
        return result

    def add_deduplicated(self, messages, ids: Dict[str, Any], metadata, expiration_date=None):
        """The Platform's infer=false rule: identical text in the same scope is stored once (exact hash)."""
        # The same normalisation mem0 applies before storing (ints become strings, outer whitespace trimmed).
        scope = tuple(str(ids[k]).strip() if ids.get(k) is not None else None for k in OSS_SERVER_ID_KEYS)
        seen = self.by_scope.get(scope, {})
        survivors, hashes = [], set()
        for message in messages:
            text_hash = hashlib.md5(message["content"].encode()).hexdigest()
            if seen.get(text_hash) or text_hash in hashes:
                continue
            hashes.add(text_hash)
            survivors.append(message)
        if not survivors:
            return {"results": []}
        return self.add(survivors, ids, metadata, expiration_date)

    def get(self, memory_id: str):
        return self.memory.get(memory_id)

    def delete(self, memory_id: str):
        self.memory.delete(memory_id)
        self._unindex(memory_id)

    def list_all(self, filters: Dict[str, Any], limit: int, show_expired=False):
        return self.memory.get_all(filters=filters, top_k=limit, show_expired=show_expired)["results"]

    def list_unscoped(self, limit: int):
        """The OSS server's admin listing with no identifier: raw payloads (spec B.6)."""
        points = self.memory.vector_store.list(filters=None, top_k=limit)
        points = points[0] if points and isinstance(points[0], (list, tuple)) else points
        results = []
        for point in points:
            payload = dict(point.payload or {})
            item = {"id": str(point.id), "memory": payload.pop("data", ""), "hash": payload.pop("hash", None),
                    "created_at": payload.pop("created_at", None), "updated_at": payload.pop("updated_at", None)}
            for key in ("user_id", "agent_id", "run_id", "actor_id"):
                if key in payload:
                    item[key] = payload.pop(key)
            item["metadata"] = payload
            results.append(item)
        return results

    def search(self, query: str, **kwargs):
        return self.memory.search(query, **kwargs)

    def update(self, memory_id: str, fields: Dict[str, Any]):
        """`Memory.update` with only the fields present (the OSS server's rule: `expiration_date: null` clears it).
        The text may change, so the de-duplication index is rebuilt for this memory from the stored payload."""
        result = self.memory.update(memory_id, **fields)
        point = self.memory.vector_store.get(vector_id=memory_id)
        if point is not None:
            self._unindex(memory_id)
            self._index(memory_id, point.payload or {})
        return result

    def history(self, memory_id: str):
        return self.memory.history(memory_id)

    def count_by_user(self) -> Dict[str, Any]:
        users: Dict[str, int] = {}
        total = 0
        for point in self._scan_points(payload_keys=("user_id",)):
            total += 1
            user = (point.payload or {}).get("user_id")
            key = user if user is not None else ""
            users[key] = users.get(key, 0) + 1
        return {"total": total, "users": users}

    def reset(self):
        self.memory.reset()
        # reset() recreates the collection; re-attach our embedder in case the library rebuilt it.
        self.memory.embedding_model = _hashing_embedder_class()()
        self._install_indexed_list()
        self.by_scope.clear()
        self.by_id.clear()
        self.by_entity.clear()


def classify(error: Exception) -> Exception:
    from mem0.exceptions import ValidationError as Mem0ValidationError

    if isinstance(error, (ValueError, Mem0ValidationError)):
        message = getattr(error, "message", None) or str(error)
        return ClientFailure(message)
    LOG.error("mem0 call failed: %s: %s", type(error).__name__, error)
    return UpstreamFailure(f"{type(error).__name__}: {error}")


# ---------------------------------------------------------------------------------------------------------------------
# HTTP plumbing (plain ASGI: FastAPI's @app.middleware("http") costs a third of throughput)


class Request:
    def __init__(self, scope, body: bytes):
        self.method: str = scope["method"]
        self.path: str = scope["path"]
        self.query: Dict[str, List[str]] = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        self.headers: Dict[str, str] = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        self.body = body
        self.scheme = scope.get("scheme", "http")
        server = scope.get("server") or ("127.0.0.1", 0)
        self.host = self.headers.get("host") or f"{server[0]}:{server[1]}"

    def param(self, name: str) -> Optional[str]:
        values = self.query.get(name)
        return values[-1] if values else None


class Response:
    def __init__(self, status: int, body: Any, headers: Optional[Dict[str, str]] = None):
        self.status, self.body, self.headers = status, body, headers or {}


def json_body(request: Request) -> Tuple[Any, Optional[str]]:
    if not request.body.strip():
        return None, "empty"
    try:
        return json.loads(request.body), None
    except (ValueError, UnicodeDecodeError) as error:
        return None, str(error)


def new_request_id() -> str:
    return uuid.uuid4().hex[:8]


def upstream_error(request_id: str) -> Response:
    return Response(502, {"detail": "Upstream provider error.", "code": "unknown", "request_id": request_id})


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
        return True
    except ValueError:
        return False


# ---------------------------------------------------------------------------------------------------------------------
# Platform dialect


def platform_memory(item: Dict[str, Any]) -> Dict[str, Any]:
    """An OSS `Memory.get` item in the Platform's memory object shape (spec A.14)."""
    return {
        "id": item["id"],
        "memory": item.get("memory"),
        "user_id": item.get("user_id"),
        "agent_id": item.get("agent_id"),
        "app_id": None,
        "session_id": item.get("run_id"),
        "metadata": item.get("metadata") or None,
        "categories": [],
        "structured_attributes": None,
        "replaced_by": None,
        "synthesized": False,
        "lifecycle_state": "active",
        "expiration_date": item.get("expiration_date"),
        "created_at": item.get("created_at"),
        "updated_at": item.get("updated_at"),
    }


def platform_error(status: int, message: str) -> Response:
    return Response(status, {"error": message})


class PlatformRoutes:
    def __init__(self, store: Store):
        self.store = store

    async def ping(self, request: Request) -> Response:
        return Response(200, {"status": "ok", "org_id": "local-org", "project_id": "local-project",
                              "user_email": "local@memconsole.invalid"})

    async def event(self, request: Request, event_id: str) -> Response:
        # Every add here is synchronous (infer=false answers SUCCEEDED with its results), so no event is ever left to
        # poll: the Platform's answer for an unknown id (mem0-api.md A.4). Queued answers come from the fault proxy.
        return Response(404, {"error": "Event not found or you don't have permission to access it."})

    async def add(self, request: Request) -> Response:
        body, problem = json_body(request)
        if problem or not isinstance(body, dict):
            return Response(400, {"error": "400 Bad Request", "details": {"message": "Invalid input data: the body must be a JSON object."}})
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return platform_error(400, "messages is required and must be a non-empty list of {role, content}.")
        if body.get("app_id") is not None:
            return platform_error(400, "app_id is not supported by the local Mem0 server (the OSS Memory has no app scope).")
        ids = {k: body[k] for k in OSS_SERVER_ID_KEYS if body.get(k) is not None}
        if not ids:
            return platform_error(400, "At least one of user_id, agent_id, app_id or run_id is required.")
        for key, value in ids.items():
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                return platform_error(400, f"{key} must be a string.")
        kept = []
        for message in messages:
            if not isinstance(message, dict):
                return platform_error(400, "Each message must be an object with role and content.")
            role = message.get("role")
            if role not in ("user", "assistant", "system"):
                return platform_error(400, "Each message needs a role of user, assistant or system.")
            content = message.get("content")
            if role == "system":
                continue
            if not isinstance(content, str):
                continue  # multimodal content is skipped silently on the Platform (direct-import.mdx)
            kept_message = {"role": role, "content": content}
            if isinstance(message.get("name"), str):
                kept_message["name"] = message["name"]
            kept.append(kept_message)
        metadata = body.get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            return platform_error(400, "metadata must be a JSON object.")
        metadata = dict(metadata) if metadata else {}
        timestamp = body.get("timestamp")
        if timestamp is not None:
            if isinstance(timestamp, bool) or not isinstance(timestamp, (int, float)) or not math.isfinite(timestamp):
                return platform_error(400, "timestamp must be an integer of Unix epoch seconds.")
            try:
                metadata["created_at"] = datetime.fromtimestamp(int(timestamp), tz=timezone.utc).isoformat()
            except (OverflowError, OSError, ValueError):
                return platform_error(400, "timestamp is out of range.")
        infer = body.get("infer", True)
        if not isinstance(infer, bool):
            return platform_error(400, "infer must be a boolean.")
        expiration_date = body.get("expiration_date")
        event_id = str(uuid.uuid4())
        if infer:
            # No LLM here: the real library is asked anyway and fails fast against the dead loopback URL (502).
            await self.store.call(self.store.add, kept, ids, metadata or None, expiration_date, True)
            return Response(200, {"event_id": event_id, "status": "PENDING"})
        if kept:
            result = await self.store.call(self.store.add_deduplicated, kept, ids, metadata or None, expiration_date)
        else:
            result = {"results": []}
        results = [{"id": r["id"], "data": {"memory": r["memory"]}, "event": r.get("event", "ADD")}
                   for r in result.get("results", [])]
        return Response(200, {"message": "Memories stored successfully", "status": "SUCCEEDED",
                              "event_id": event_id, "results": results})

    async def list(self, request: Request) -> Response:
        body, problem = json_body(request)
        if problem == "empty":
            body = {}
        elif problem or not isinstance(body, dict):
            return platform_error(400, "The body must be a JSON object with filters.")
        if any(k in body for k in PLATFORM_ENTITY_KEYS):
            return platform_error(400, "Entity ids (user_id, agent_id, app_id, run_id) must be passed inside filters, not at the top level.")
        try:
            page = int(request.param("page") or body.get("page") or 1)
            page_size = int(request.param("page_size") or body.get("page_size") or 100)
        except (TypeError, ValueError):
            return platform_error(400, "page and page_size must be integers.")
        if page < 1:
            return platform_error(400, "page must be 1 or greater.")
        if not 1 <= page_size <= 200:
            return platform_error(400, "page_size must be between 1 and 200.")
        filters, message = translate_platform_filters(body.get("filters"))
        if message:
            return platform_error(400, message)
        show_expired = bool(body.get("show_expired", False))
        items = await self.store.call(self.store.list_all, filters, 10_000_000, show_expired)
        items.sort(key=lambda m: (str(m.get("created_at") or ""), m["id"]))
        count = len(items)
        pages = max(1, -(-count // page_size))
        if page > pages:
            return Response(404, {"detail": "Invalid page."})
        start = (page - 1) * page_size
        base = f"{request.scheme}://{request.host}{request.path}"
        return Response(200, {
            "count": count,
            "next": f"{base}?page={page + 1}&page_size={page_size}" if page < pages else None,
            "previous": f"{base}?page={page - 1}&page_size={page_size}" if page > 1 else None,
            "results": [platform_memory(m) for m in items[start : start + page_size]],
        })

    async def get(self, request: Request, memory_id: str) -> Response:
        if not is_uuid(memory_id):
            return platform_error(400, "memory_id should be a valid UUID")
        item = await self.store.call(self.store.get, memory_id)
        if item is None:
            return platform_error(404, "Memory not found!")
        return Response(200, platform_memory(item))

    async def delete(self, request: Request, memory_id: str) -> Response:
        if not is_uuid(memory_id):
            return platform_error(400, "memory_id should be a valid UUID")
        try:
            await self.store.call(self.store.delete, memory_id)
        except ClientFailure as failure:
            if "not found" in str(failure):
                return platform_error(404, "Memory not found!")
            raise
        return Response(200, {"message": "Memory deleted successfully!"})

    async def search(self, request: Request) -> Response:
        body, problem = json_body(request)
        if problem or not isinstance(body, dict):
            return platform_error(400, "The body must be a JSON object with query and filters.")
        if any(k in body for k in PLATFORM_ENTITY_KEYS):
            return platform_error(400, "Entity ids (user_id, agent_id, app_id, run_id) must be passed inside filters, not at the top level.")
        query = body.get("query")
        if not isinstance(query, str) or not query:
            return platform_error(400, "query is required and must be a non-empty string.")
        top_k = body.get("top_k", 10)
        if isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= 1000:
            return platform_error(400, "top_k must be an integer between 1 and 1000.")
        threshold = body.get("threshold", 0.1)
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
            return platform_error(400, "threshold must be a number.")
        filters, message = translate_platform_filters(body.get("filters"))
        if message:
            return platform_error(400, message)
        found = await self.store.call(self.store.search, query, filters=filters, top_k=top_k,
                                      threshold=float(threshold), show_expired=bool(body.get("show_expired", False)))
        return Response(200, {"results": [platform_search_result(m) for m in found.get("results", [])]})

    async def history(self, request: Request, memory_id: str) -> Response:
        if not is_uuid(memory_id):
            return platform_error(400, "memory_id should be a valid UUID")
        entries = await self.store.call(self.store.history, memory_id)
        memory = await self.store.call(self.store.get, memory_id)
        if not entries and memory is None:
            return platform_error(404, "Memory not found!")
        return Response(200, [platform_history_entry(e, memory) for e in entries])

    async def update(self, request: Request, memory_id: str) -> Response:
        if not is_uuid(memory_id):
            return platform_error(400, "memory_id should be a valid UUID")
        body, problem = json_body(request)
        fields, message = update_fields(None if problem else body)
        if message:
            return platform_error(400, message)
        if await self.store.call(self.store.get, memory_id) is None:
            return platform_error(404, "Memory not found!")
        await self.store.call(self.store.update, memory_id, fields)
        # The Platform answers with the updated memory object (spec A.7).
        return Response(200, platform_memory(await self.store.call(self.store.get, memory_id)))


PLATFORM_UPDATE_FIELDS = ("text", "metadata", "expiration_date")


def update_fields(body: Any) -> Tuple[Dict[str, Any], Optional[str]]:
    """The present fields of an update body (spec A.7 / B.7: `text`, `metadata`, `expiration_date`, each optional)."""
    if not isinstance(body, dict):
        return {}, "The body must be a JSON object."
    fields = {k: body[k] for k in PLATFORM_UPDATE_FIELDS if k in body}
    if "text" in fields and fields["text"] is None:
        del fields["text"]
    if "metadata" in fields and fields["metadata"] is None:
        del fields["metadata"]
    if "metadata" in fields and not isinstance(fields["metadata"], dict):
        return {}, "metadata must be a JSON object."
    if "text" in fields and not isinstance(fields["text"], str):
        return {}, "text must be a string."
    if not fields:
        return {}, "At least one of text, metadata, or expiration_date must be provided."
    return fields, None


def platform_search_result(item: Dict[str, Any]) -> Dict[str, Any]:
    """A `Memory.search` item in the Platform v3 search shape (spec A.13): `run_id`, not `session_id`, and a score."""
    result = platform_memory(item)
    result["run_id"] = result.pop("session_id")
    result["score"] = item.get("score")
    result["score_breakdown"] = {"semantic": item.get("score"), "bm25": None, "entity": None}
    return result


def platform_history_entry(entry: Dict[str, Any], memory: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """One mem0 history row in the Platform's history entry shape (spec A.10). mem0 records no metadata and no
    input per change; the entity ids come from the memory while it exists."""
    memory = memory or {}
    return {
        "id": entry.get("id"),
        "memory_id": entry.get("memory_id"),
        "input": [{"role": entry.get("role") or "user", "content": entry.get("new_memory")}]
        if entry.get("event") == "ADD" and entry.get("new_memory") is not None else [],
        "old_memory": entry.get("old_memory"),
        "new_memory": entry.get("new_memory"),
        "user_id": memory.get("user_id"),
        "agent_id": memory.get("agent_id"),
        "app_id": None,
        "session_id": memory.get("run_id"),
        "categories": [],
        "event": entry.get("event"),
        "metadata": None,
        "created_at": entry.get("created_at"),
        "updated_at": entry.get("updated_at"),
    }


def translate_platform_filters(filters: Any) -> Tuple[Dict[str, Any], Optional[str]]:
    """Platform v3 filters → the flat equality filter mem0's qdrant store understands. Supported: entity ids,
    `metadata` equality objects, and `AND` lists of those. Anything else is refused rather than half-applied."""
    if not isinstance(filters, dict) or not filters:
        return {}, "filters is required and must contain at least one of user_id, agent_id, app_id or run_id."
    flat: Dict[str, Any] = {}

    def merge(key: str, value: Any) -> Optional[str]:
        if key in flat and flat[key] != value:
            return f"Conflicting values for {key} in filters."
        flat[key] = value
        return None

    def walk(node: Dict[str, Any]) -> Optional[str]:
        for key, value in node.items():
            if key == "AND":
                if not isinstance(value, list):
                    return "AND must be a list of filter objects."
                for child in value:
                    if not isinstance(child, dict):
                        return "AND must be a list of filter objects."
                    problem = walk(child)
                    if problem:
                        return problem
            elif key in ("user_id", "agent_id", "run_id", "session_id"):
                if not isinstance(value, (str, int)) or isinstance(value, bool) or value == "*":
                    return f"{key} in filters must be a concrete id."
                problem = merge("run_id" if key == "session_id" else key, str(value))
                if problem:
                    return problem
            elif key == "app_id":
                return "app_id is not supported by the local Mem0 server."
            elif key == "metadata":
                if not isinstance(value, dict) or not value:
                    return "metadata in filters must be a non-empty object of key: value equalities."
                for meta_key, meta_value in value.items():
                    if isinstance(meta_value, (dict, list)) or meta_value is None:
                        return f"metadata filter {meta_key} must be a string, number or boolean (equality only here)."
                    problem = merge(meta_key, meta_value)
                    if problem:
                        return problem
            else:
                return f"Filter key {key} is not supported by the local Mem0 server (supported: user_id, agent_id, run_id, metadata, AND)."
        return None

    problem = walk(filters)
    if problem:
        return {}, problem
    if not any(k in flat for k in OSS_SERVER_ID_KEYS):
        return {}, "filters must contain at least one of user_id, agent_id, app_id or run_id."
    return flat, None


# ---------------------------------------------------------------------------------------------------------------------
# OSS dialect


def _oss_models():
    from pydantic import BaseModel, ConfigDict, Field

    class Message(BaseModel):
        role: str = Field(..., description="Role of the message (user or assistant).")
        content: str = Field(..., description="Message content.")
        name: Optional[str] = None

    class MemoryCreate(BaseModel):
        messages: List[Message] = Field(..., description="List of messages to store.")
        user_id: Optional[Union[str, int]] = None
        agent_id: Optional[Union[str, int]] = None
        run_id: Optional[Union[str, int]] = None
        metadata: Optional[Dict[str, Any]] = None
        infer: Optional[bool] = Field(None, description="Whether to extract facts from the messages. Defaults to True.")
        expiration_date: Optional[str] = None
        memory_type: Optional[str] = None
        prompt: Optional[str] = None

    class SearchRequest(BaseModel):
        query: str = Field(..., description="Search query.")
        user_id: Optional[Union[str, int]] = None
        run_id: Optional[Union[str, int]] = None
        agent_id: Optional[Union[str, int]] = None
        filters: Optional[Dict[str, Any]] = None
        top_k: Optional[int] = None
        threshold: Optional[float] = None
        explain: Optional[bool] = None
        show_expired: Optional[bool] = None

    return MemoryCreate, SearchRequest


def fastapi_422(errors: List[Dict[str, Any]], location: str) -> Response:
    detail = []
    for error in errors:
        entry = {"type": error["type"], "loc": [location, *error["loc"]], "msg": error["msg"], "input": error.get("input")}
        if error.get("ctx"):
            entry["ctx"] = {k: (v if isinstance(v, (str, int, float, bool)) or v is None else str(v))
                            for k, v in error["ctx"].items()}
        detail.append(entry)
    return Response(422, {"detail": detail})


def parse_model(model, request: Request):
    from pydantic import ValidationError

    body, problem = json_body(request)
    if problem == "empty":
        return None, Response(422, {"detail": [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]})
    if problem:
        return None, Response(422, {"detail": [{"type": "json_invalid", "loc": ["body", 0], "msg": "JSON decode error",
                                                 "input": {}, "ctx": {"error": problem}}]})
    try:
        return model.model_validate(body), None
    except ValidationError as error:
        return None, fastapi_422(json.loads(error.json(include_url=False)), "body")


def query_int(request: Request, name: str, default: int, lo: int, hi: int):
    raw = request.param(name)
    if raw is None:
        return default, None
    try:
        value = int(raw)
    except ValueError:
        return None, Response(422, {"detail": [{"type": "int_parsing", "loc": ["query", name],
                                                 "msg": "Input should be a valid integer, unable to parse string as an integer", "input": raw}]})
    if value > hi:
        return None, Response(422, {"detail": [{"type": "less_than_equal", "loc": ["query", name],
                                                 "msg": f"Input should be less than or equal to {hi}", "input": raw, "ctx": {"le": hi}}]})
    if value < lo:
        return None, Response(422, {"detail": [{"type": "greater_than_equal", "loc": ["query", name],
                                                 "msg": f"Input should be greater than or equal to {lo}", "input": raw, "ctx": {"ge": lo}}]})
    return value, None


class OSSRoutes:
    def __init__(self, store: Store):
        self.store = store
        self.MemoryCreate, self.SearchRequest = _oss_models()

    async def providers(self, request: Request) -> Response:
        return Response(200, {"llm": ["openai", "anthropic", "gemini"], "embedder": ["openai", "gemini"]})

    async def add(self, request: Request) -> Response:
        model, failure = parse_model(self.MemoryCreate, request)
        if failure:
            return failure
        if not any(v is not None and v != "" for v in (model.user_id, model.agent_id, model.run_id)):
            return Response(400, {"detail": "At least one identifier (user_id, agent_id, run_id) is required."})
        ids = {k: getattr(model, k) for k in OSS_SERVER_ID_KEYS if getattr(model, k) is not None}
        extra = {k: getattr(model, k) for k in ("memory_type", "prompt") if getattr(model, k) is not None}
        messages = [m.model_dump(exclude_none=True) for m in model.messages]
        infer = True if model.infer is None else model.infer
        result = await self.store.call(self.store.add, messages, ids, model.metadata, model.expiration_date, infer, extra)
        return Response(200, result)

    async def list(self, request: Request) -> Response:
        top_k, failure = query_int(request, "top_k", 20, 0, 1000)
        if failure:
            return failure
        show_expired = (request.param("show_expired") or "false").lower() in ("true", "1", "yes", "on")
        filters = {k: request.param(k) for k in OSS_SERVER_ID_KEYS if request.param(k)}
        if not filters:
            items = await self.store.call(self.store.list_unscoped, top_k)
        else:
            items = await self.store.call(self.store.list_all, filters, top_k, show_expired)
        return Response(200, {"results": items})

    async def get(self, request: Request, memory_id: str) -> Response:
        if not is_uuid(memory_id):
            return Response(200, None)  # qdrant: a malformed id is simply not found (spec B.5)
        return Response(200, await self.store.call(self.store.get, memory_id))

    async def delete(self, request: Request, memory_id: str) -> Response:
        if not is_uuid(memory_id):
            return Response(404, {"detail": f"Memory with id {memory_id} not found"})
        try:
            await self.store.call(self.store.delete, memory_id)
        except ClientFailure as failure:
            if "not found" in str(failure):
                return Response(404, {"detail": str(failure)})
            raise
        return Response(200, {"message": "Memory deleted successfully"})

    async def history(self, request: Request, memory_id: str) -> Response:
        if not is_uuid(memory_id):
            return Response(200, [])  # qdrant: a malformed id has no history, like an unknown one (spec B.9)
        return Response(200, await self.store.call(self.store.history, memory_id))

    async def update(self, request: Request, memory_id: str) -> Response:
        body, problem = json_body(request)
        if problem:
            return Response(422, {"detail": [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]})
        fields, message = update_fields(body)
        if message:
            return Response(400, {"detail": message})
        if not is_uuid(memory_id) or await self.store.call(self.store.get, memory_id) is None:
            return Response(404, {"detail": f"Memory with id {memory_id} not found. Please provide a valid 'memory_id'"})
        await self.store.call(self.store.update, memory_id, fields)
        return Response(200, {"message": "Memory updated successfully!"})

    async def search(self, request: Request) -> Response:
        model, failure = parse_model(self.SearchRequest, request)
        if failure:
            return failure
        filters = dict(model.filters or {})
        for key in OSS_SERVER_ID_KEYS:
            if getattr(model, key) is not None:
                filters[key] = getattr(model, key)
        kwargs = {"filters": filters}
        for key in ("top_k", "threshold", "explain", "show_expired"):
            if getattr(model, key) is not None:
                kwargs[key] = getattr(model, key)
        return Response(200, await self.store.call(self.store.search, model.query, **kwargs))


# ---------------------------------------------------------------------------------------------------------------------
# Test-only routes: never part of either real API, never used by the product


class TestRoutes:
    def __init__(self, store: Store):
        self.store = store

    async def stats(self, request: Request) -> Response:
        counts = await self.store.call(self.store.count_by_user)
        user = request.param("user_id")
        if user is not None:
            return Response(200, {"user_id": user, "count": counts["users"].get(user, 0), "total": counts["total"]})
        return Response(200, counts)

    async def reset(self, request: Request) -> Response:
        await self.store.call(self.store.reset)
        return Response(200, {"message": "All memories reset"})


# ---------------------------------------------------------------------------------------------------------------------
# The application


class App:
    def __init__(self, store: Store, api_key: str, auth_disabled: bool = False):
        self.key = api_key.encode()
        # Upstream's AUTH_DISABLED (mem0-api.md B.1): a request without credentials is allowed on the OSS routes,
        # and a presented key must still be the admin key (none set: every presented key is refused).
        self.auth_disabled = auth_disabled
        platform, oss, tests = PlatformRoutes(store), OSSRoutes(store), TestRoutes(store)
        uuid_like = r"([^/]+)"
        # (method, compiled path, dialect, handler)
        self.routes = [
            ("GET", r"/v1/ping/", "platform", platform.ping),
            ("POST", r"/v3/memories/add/", "platform", platform.add),
            ("POST", r"/v3/memories/", "platform", platform.list),
            ("GET", rf"/v1/memories/{uuid_like}/", "platform", platform.get),
            ("DELETE", rf"/v1/memories/{uuid_like}/", "platform", platform.delete),
            ("PUT", rf"/v1/memories/{uuid_like}/", "platform", platform.update),
            ("GET", rf"/v1/memories/{uuid_like}/history/", "platform", platform.history),
            ("POST", r"/v3/memories/search/", "platform", platform.search),
            ("GET", rf"/v1/event/{uuid_like}/", "platform", platform.event),
            ("GET", r"/configure/providers", "oss", oss.providers),
            ("POST", r"/memories", "oss", oss.add),
            ("GET", r"/memories", "oss", oss.list),
            ("GET", rf"/memories/{uuid_like}", "oss", oss.get),
            ("DELETE", rf"/memories/{uuid_like}", "oss", oss.delete),
            ("PUT", rf"/memories/{uuid_like}", "oss", oss.update),
            ("GET", rf"/memories/{uuid_like}/history", "oss", oss.history),
            ("POST", r"/search", "oss", oss.search),
            ("GET", r"/__test/stats", "test", tests.stats),
            ("POST", r"/__test/reset", "test", tests.reset),
        ]
        self.routes = [(m, re.compile(p + r"\Z"), d, h) for m, p, d, h in self.routes]

    def _key_matches(self, presented: str) -> bool:
        return bool(self.key) and hmac.compare_digest(presented.encode(), self.key)

    def authenticate(self, dialect: str, request: Request) -> Optional[Response]:
        authorization = request.headers.get("authorization", "")
        api_key = request.headers.get("x-api-key")
        if dialect == "platform" or (dialect == "test" and authorization.lower().startswith("token ")):
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() == "token" and self._key_matches(token.strip()):
                return None
            return Response(401, PLATFORM_INVALID_KEY)
        if api_key is not None:
            return None if self._key_matches(api_key) else Response(401, OSS_INVALID_KEY)
        if authorization.lower().startswith("bearer "):
            return Response(401, OSS_INVALID_TOKEN)
        if self.auth_disabled and dialect == "oss":
            return None
        return Response(401, OSS_AUTH_REQUIRED, {"www-authenticate": "Bearer"})

    def route(self, method: str, path: str):
        path_matched = False
        for route_method, pattern, dialect, handler in self.routes:
            match = pattern.match(path)
            if match:
                path_matched = True
                if route_method == method:
                    return dialect, handler, [unquote(g) for g in match.groups()]
        return None, ("method" if path_matched else None), []

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        request = Request(scope, b"".join(chunks))
        request_id = new_request_id()
        response = await self.respond(request, request_id)
        payload = json.dumps(response.body, ensure_ascii=False).encode("utf-8")
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                   (b"x-request-id", request_id.encode())]
        headers += [(k.encode(), v.encode()) for k, v in response.headers.items()]
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    async def respond(self, request: Request, request_id: str) -> Response:
        dialect, handler, args = self.route(request.method, request.path)
        if dialect is None:
            if handler == "method":
                return Response(405, {"detail": "Method Not Allowed"})
            return Response(404, {"detail": "Not Found"})
        denied = self.authenticate(dialect, request)
        if denied:
            return denied
        try:
            return await handler(request, *args)
        except ClientFailure as failure:
            message = str(failure)
            if dialect == "platform":
                return platform_error(400, message)
            return Response(404 if "not found" in message.lower() else 400, {"detail": message})
        except UpstreamFailure:
            return upstream_error(request_id)
        except Exception:  # a bug here must still answer JSON, never a bare 500 page
            LOG.exception("unexpected server error")
            return upstream_error(request_id)


# ---------------------------------------------------------------------------------------------------------------------


def read_key(key_file: Optional[str], required: bool = True) -> str:
    if key_file:
        with open(key_file, encoding="utf-8") as handle:
            key = handle.readline().strip()
    else:
        key = os.environ.get("MEM0_API_KEY", "").strip()
    os.environ.pop("MEM0_API_KEY", None)  # nothing downstream may pick it up or echo it
    if not key and required:
        raise SystemExit("mem0_server: no API key: set MEM0_API_KEY or pass --key-file (its first line is the key)")
    return key


def write_atomically(path: str, text: str) -> None:
    temporary = f"{path}.tmp{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)


def main() -> None:
    parser = argparse.ArgumentParser(description="Local Mem0 server (real mem0ai) for memconsole's tests and demo")
    parser.add_argument("--data", required=True, help="data folder (qdrant store, history.db, port file)")
    parser.add_argument("--port", type=int, default=0, help="0 = pick a free port")
    parser.add_argument("--key-file", help="file whose first line is the API key (else MEM0_API_KEY)")
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--auth-disabled", action="store_true",
                        help="as upstream's AUTH_DISABLED: OSS routes need no key; a presented key must be the admin key")
    args = parser.parse_args()

    logging.basicConfig(level="WARNING", format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    LOG.setLevel(args.log_level.upper())
    api_key = read_key(args.key_file, required=not args.auth_disabled)
    data_dir = os.path.abspath(args.data)
    os.makedirs(data_dir, exist_ok=True)
    os.environ["MEM0_DIR"] = os.path.join(data_dir, "mem0dir")
    os.environ.setdefault("OPENAI_API_KEY", "sk-local-dummy")

    import uvicorn  # after the env is final

    started = datetime.now()
    store = Store(data_dir)
    LOG.info("store ready in %.2fs with %d memories", (datetime.now() - started).total_seconds(), len(store.by_id))

    # proto must be IPPROTO_TCP: asyncio only sets TCP_NODELAY on accepted sockets whose proto says TCP, and without
    # it uvicorn's two writes per response meet the client's delayed ACK (40 ms per keep-alive request).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind(("127.0.0.1", args.port))
    except OSError as error:
        raise SystemExit(f"mem0_server: cannot listen on 127.0.0.1:{args.port}: {error.strerror}; choose another --port")
    sock.listen(512)
    port = sock.getsockname()[1]
    write_atomically(os.path.join(data_dir, "server.port"), f"{port}\n")
    LOG.info("listening on http://127.0.0.1:%d", port)

    config = uvicorn.Config(App(store, api_key, auth_disabled=args.auth_disabled), log_level="warning", access_log=False, lifespan="off",
                            http="h11", loop="asyncio", timeout_keep_alive=30)
    uvicorn.Server(config).run(sockets=[sock])
    store.executor.shutdown(wait=True)
    LOG.info("stopped")


if __name__ == "__main__":
    main()
