"""The replay server the harvest tests harvest from (real HTTP on 127.0.0.1)."""
import pytest

from tests.connectors.conftest import TestServer

KEY = {"PORTAL_SEOUL_API_KEY": "harvest-test-key"}


@pytest.fixture(scope="module")
def server():
    server = TestServer().start()
    yield server
    server.faults.release.set()
    server.stop()
