"""The replay server the harvest tests harvest from (real HTTP on 127.0.0.1), and the three
connectors pointed at it (no pacing, few retries, a fake clock: nothing really waits)."""
import pytest
from sqlalchemy import func, select

from connectors import get_connector
from tests.connectors.conftest import FakeClock, TestServer

KEY = {"PORTAL_SEOUL_API_KEY": "harvest-test-key"}
KEYS = {**KEY, "PORTAL_KOSIS_API_KEY": "harvest-test-key",
        "PORTAL_DATAGOKR_SERVICE_KEY": "harvest-test-key"}
KOSIS_TABLE = "101/DT_1B04005N"   # the one KOSIS table whose data is recorded (2016)


@pytest.fixture(scope="module")
def server():
    server = TestServer().start()
    yield server
    server.faults.release.set()
    server.stop()


def fast(server, path, **options):
    return {"base_url": f"{server.url}/{path}", "env": KEYS, "clock": FakeClock(),
            "min_interval": 0, "max_attempts": 2, **options}


@pytest.fixture
def kosis(server):
    server.reset()
    yield get_connector("kosis", **fast(server, "kosis", period_type="Y", recent_periods=1))
    server.reset()


@pytest.fixture
def mois(server):
    server.reset()
    yield get_connector("mois", **fast(server, "odcloud", files_base_url=f"{server.url}/files",
                                       population_period="202505", population_lookback=12))
    server.reset()


@pytest.fixture
def seoul_tables(server):
    """The Seoul connector, for runs that fetch tables too."""
    server.reset()
    yield get_connector("seoul", **fast(server, "seoul"))
    server.reset()


def count(portal, what, *where):
    with portal.sessions() as session:
        return session.scalar(select(func.count()).select_from(what).where(*where))
