"""The Elasticsearch backend against a real cluster: the same contract suite as Whoosh.

Runs only when PORTAL_TEST_ES_URL is set (e.g. ``http://localhost:9200``, credentials in the
URL if needed); no Elasticsearch can run on the project's machines, so CI skips it. Every run
uses its own alias names (``portal-test-<pid>-<random>-<n>``) and deletes its indices at the
end. The request bodies and the response handling are unit-tested without a server in
test_elasticsearch_unit.py.
"""
from __future__ import annotations

import itertools
import os
import secrets

import pytest

ES_URL = os.environ.get("PORTAL_TEST_ES_URL", "")

pytestmark = pytest.mark.skipif(
    not ES_URL, reason="set PORTAL_TEST_ES_URL (e.g. http://localhost:9200) to run the search "
                       "contract suite against a real Elasticsearch cluster")

if ES_URL:
    pytest.importorskip("elasticsearch", reason="the elasticsearch client is not installed")

from indexer import make_backend  # noqa: E402
from tests.indexer.contract import BackendContract  # noqa: E402


@pytest.fixture(scope="class")
def backend_factory():
    from elasticsearch import Elasticsearch

    prefix = f"portal-test-{os.getpid()}-{secrets.token_hex(3)}"
    counter = itertools.count()

    def factory():
        # replicas=0: a single-node test cluster stays green
        return make_backend("elasticsearch", url=ES_URL, index=f"{prefix}-{next(counter)}",
                            replicas=0)

    yield factory
    # Backends are closed by the contract's fixtures; clean up with a client of our own.
    admin = Elasticsearch(ES_URL)
    try:
        names = sorted(admin.indices.get(index=f"{prefix}-*", expand_wildcards="all"))
        if names:   # by name: clusters refuse wildcard deletes (destructive_requires_name)
            admin.indices.delete(index=",".join(names), ignore_unavailable=True)
    finally:
        admin.close()


class TestElasticsearchBackend(BackendContract):
    pass
