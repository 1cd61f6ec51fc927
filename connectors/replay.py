"""Recorded responses served over real HTTP, for tests and the offline demo.

    with ReplayServer(Path("sample_data/recorded")) as server:
        seoul = get_connector("seoul", base_url=server.url + "/seoul")

A folder of recordings holds `routes.json`: a list of routes, each a path pattern (with
`{name}` placeholders matching one path segment), optional query constraints, and the
file to answer with (which may use the placeholders, and may point into the rest of
sample_data/ so real responses are served as they are). The first route whose path and
query match and whose file exists answers; no match is a 404.

    {"path": "/seoul/{key}/json/SearchCatalogService/{start}/{end}/",
     "file": "seoul/SearchCatalogService/{start}-{end}.json"}
    {"path": "/kosis/statisticsData.do", "query": {"method": "getMeta", "type": "PRD"},
     "file": "kosis/meta_PRD.json", "status": 200, "content_type": "text/html"}

A query value of null means "this parameter must be absent"; {"#": "…"} entries are
comments.

The server binds 127.0.0.1 on a free port and runs in a thread. Tests add fault modes
(timeouts, resets, HTTP 500 …) through `hook`, a callable that may answer a request
itself before the recordings are looked at.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, unquote, urlsplit

CONTENT_TYPES = {".json": "application/json;charset=UTF-8", ".xml": "text/xml;charset=UTF-8",
                 ".csv": "text/csv", ".txt": "text/plain;charset=UTF-8",
                 ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass(frozen=True)
class Recorded:
    status: int
    content_type: str
    body: bytes
    file: Path


@dataclass(frozen=True)
class Route:
    path: tuple[str, ...]
    file: str
    query: dict[str, str] = field(default_factory=dict)
    status: int = 200
    content_type: str | None = None

    def match(self, segments: list[str], query: dict[str, str]) -> dict[str, str] | None:
        if len(segments) != len(self.path):
            return None
        names: dict[str, str] = {}
        for pattern, segment in zip(self.path, segments):
            if pattern.startswith("{") and pattern.endswith("}"):
                if not segment:
                    return None
                names[pattern[1:-1]] = segment
            elif pattern != segment:
                return None
        for key, wanted in self.query.items():
            if _words(query.get(key)) != _words(wanted):
                return None
        return names


def _words(value: str | None) -> str | None:
    # KOSIS joins codes with "+" (a space once decoded), often with a trailing one.
    return None if value is None else " ".join(value.split())


def _segments(path: str) -> list[str]:
    return [unquote(part) for part in path.strip("/").split("/")] if path.strip("/") else []


class Recordings:
    """The routes of a recordings folder, resolved to files inside `limit` (by default
    the folder's parent, i.e. sample_data/)."""

    def __init__(self, root: Path, limit: Path | None = None):
        self.root = Path(root).resolve()
        self.limit = (limit or self.root.parent).resolve()
        spec = json.loads((self.root / "routes.json").read_text(encoding="utf-8"))
        self.routes = [Route(tuple(_segments(r["path"])), r["file"], dict(r.get("query", {})),
                             int(r.get("status", 200)), r.get("content_type"))
                       for r in spec["routes"] if "path" in r]  # {"#": …} entries are comments

    def find(self, path: str, query: dict[str, str]) -> Recorded | None:
        segments = _segments(path)
        for route in self.routes:
            names = route.match(segments, query)
            if names is None:
                continue
            file = (self.root / route.file.format(**names)).resolve()
            if not file.is_relative_to(self.limit) or not file.is_file():
                continue
            content_type = route.content_type or CONTENT_TYPES.get(
                file.suffix.lower(), "application/octet-stream")
            return Recorded(route.status, content_type, file.read_bytes(), file)
        return None


@dataclass(frozen=True)
class SeenRequest:
    path: str               # decoded, without the query
    query: dict[str, str]   # first value of each parameter, decoded
    raw_path: str           # as sent, to check how a key was encoded
    raw_query: str
    headers: dict[str, str]


class ReplayServer:
    """A threaded HTTP server on 127.0.0.1 answering from a recordings folder."""

    def __init__(self, root: Path, *, hook: Callable[["ReplayHandler"], bool] | None = None,
                 host: str = "127.0.0.1", port: int = 0):
        self.recordings = Recordings(root)
        self.hook = hook
        self.seen: list[SeenRequest] = []
        self._lock = threading.Lock()
        handler = type("Handler", (ReplayHandler,), {"replay": self})
        self._server = _QuietServer((host, port), handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "ReplayServer":
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True, name="replay-server")
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "ReplayServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def record(self, request: SeenRequest) -> None:
        with self._lock:
            self.seen.append(request)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # A client that gave up (a timeout test) or a connection reset on purpose is not
        # worth a traceback on stderr.
        import sys
        if not isinstance(sys.exc_info()[1], (ConnectionError, OSError)):
            super().handle_error(request, client_address)


class ReplayHandler(BaseHTTPRequestHandler):
    replay: ReplayServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without TCP_NODELAY, Nagle's algorithm and
    # the client's delayed ACK add 40 ms to every keep-alive request.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        self.seen = SeenRequest(unquote(parts.path), query, parts.path, parts.query,
                                dict(self.headers))
        self.replay.record(self.seen)
        if self.replay.hook is not None and self.replay.hook(self):
            return
        recorded = self.replay.recordings.find(parts.path, query)
        if recorded is None:
            self.answer(404, b"no recording for this request", "text/plain;charset=UTF-8")
        else:
            self.answer(recorded.status, recorded.body, recorded.content_type)

    def answer(self, status: int, body: bytes, content_type: str,
               length: int | None = None) -> None:
        """Send a response; `length` other than len(body) simulates a cut transfer."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)
        if length is not None and length != len(body):
            self.close_connection = True

    def log_message(self, format, *args) -> None:  # keep test output quiet
        pass
