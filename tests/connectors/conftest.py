"""A real HTTP server on 127.0.0.1 replaying sample_data/recorded/, with fault modes, and a
fake clock so retries and pacing never really sleep.

    def test_…(server, clock):
        server.faults.add("reset", times=2)        # the next two requests are reset
        seoul = make_seoul(server, clock)
"""
from __future__ import annotations

import socket
import struct
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from connectors.replay import ReplayHandler, ReplayServer, SeenRequest

RECORDED = Path(__file__).resolve().parents[2] / "sample_data" / "recorded"
KEYS = {"PORTAL_SEOUL_API_KEY": "seoul-test-key+/=",
        "PORTAL_KOSIS_API_KEY": "kosis-test-key",
        "PORTAL_DATAGOKR_SERVICE_KEY": "datagokr%2Btest%2Fkey%3D%3D"}


class FakeClock:
    """monotonic() and sleep() without waiting: sleeping moves the time forward."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass
class Fault:
    kind: str               # timeout | reset | status | body | truncate | cut
    times: int
    when: Callable[[SeenRequest], bool]
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json;charset=UTF-8"
    keep: int = 0           # truncate/cut: bytes of the recorded answer that are sent
    delay: float = 0.5      # timeout: seconds before the server would answer


@dataclass
class Faults:
    """Faults the server applies, in order, to the requests they match."""
    pending: list[Fault] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)

    def add(self, kind: str, *, times: int = 1, when: Callable[[SeenRequest], bool] | None = None,
            **details) -> None:
        self.pending.append(Fault(kind, times, when or (lambda seen: True), **details))

    def take(self, seen: SeenRequest) -> Fault | None:
        with self.lock:
            for fault in self.pending:
                if fault.times > 0 and fault.when(seen):
                    fault.times -= 1
                    return fault
        return None

    def clear(self) -> None:
        with self.lock:
            self.pending.clear()


def apply_fault(handler: ReplayHandler, faults: Faults) -> bool:
    fault = faults.take(handler.seen)
    if fault is None:
        return False
    if fault.kind == "timeout":
        faults.release.wait(fault.delay)  # the client has given up by then
        handler.close_connection = True
        return True
    if fault.kind == "reset":
        # SO_LINGER 0: closing sends a TCP RST instead of a clean FIN.
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                      struct.pack("ii", 1, 0))
        handler.connection.close()
        handler.close_connection = True
        return True
    if fault.kind in ("status", "body"):
        handler.answer(fault.status, fault.body, fault.content_type)
        return True
    recorded = handler.replay.recordings.find(handler.path.split("?")[0], handler.seen.query)
    body = recorded.body if recorded else b""
    if fault.kind == "truncate":   # a complete response whose JSON breaks off
        handler.answer(200, body[:fault.keep], recorded.content_type)
    elif fault.kind == "cut":      # the connection drops before Content-Length is reached
        handler.answer(200, body[:fault.keep], recorded.content_type, length=len(body))
    return True


class TestServer(ReplayServer):
    __test__ = False

    def __init__(self):
        self.faults = Faults()
        super().__init__(RECORDED, hook=lambda handler: apply_fault(handler, self.faults))

    def reset(self) -> None:
        self.faults.clear()
        self.seen.clear()

    def paths(self, contains: str = "") -> list[str]:
        return [seen.path for seen in self.seen if contains in seen.path]


@pytest.fixture(scope="session")
def _server():
    server = TestServer().start()
    yield server
    server.faults.release.set()
    server.stop()


@pytest.fixture
def server(_server) -> TestServer:
    _server.reset()
    yield _server
    _server.reset()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def options(server: TestServer, clock: FakeClock, base: str, **overrides) -> dict:
    """Connector options for the test server: real pacing and backoff on the fake clock."""
    env = {**KEYS, **overrides.pop("env", {})}
    return {"base_url": f"{server.url}/{base}", "env": env, "clock": clock, "timeout": 2.0,
            "max_attempts": 3, "backoff_base": 1.0, "min_interval": 0.3, **overrides}
