"""The recordings in sample_data/recorded/ and the replay server that serves them."""
from __future__ import annotations

import importlib.util
import json

import requests

from connectors.replay import Recordings

from .conftest import RECORDED

SAMPLE = RECORDED.parent


def load_build():
    spec = importlib.util.spec_from_file_location("recorded_build", RECORDED / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_derived_recordings_are_exactly_what_build_py_writes():
    build = load_build()
    for path, payload in build.outputs().items():
        expected = json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"
        assert path.read_text(encoding="utf-8") == expected, path


def test_the_catalog_pages_hold_the_8212_real_entries_in_order():
    catalog = json.loads((SAMPLE / "seoul_opendata/seoul-api-catalog_SearchCatalogService.json")
                         .read_text(encoding="utf-8"))
    pages = sorted((RECORDED / "seoul/SearchCatalogService").glob("*.json"),
                   key=lambda p: int(p.stem.split("-")[0]))
    ids = []
    for page in pages:
        body = json.loads(page.read_text(encoding="utf-8"))["SearchCatalogService"]
        start, end = map(int, page.stem.split("-"))
        assert len(body["row"]) == end - start + 1 <= 1000
        assert body["list_total_count"] == 8212 and body["RESULT"]["CODE"] == "INFO-000"
        ids += [row["INF_ID"] for row in body["row"]]
    assert ids == [entry["id"] for entry in catalog]


def test_every_route_without_placeholders_points_at_a_file_inside_sample_data():
    recordings = Recordings(RECORDED)
    for route in recordings.routes:
        if "{" not in route.file:
            path = (RECORDED / route.file).resolve()
            assert path.is_file() and path.is_relative_to(SAMPLE.resolve()), route.file


def test_real_responses_are_served_byte_for_byte(server):
    events = requests.get(f"{server.url}/seoul/any-key/json/culturalEventInfo/1/1000/",
                          timeout=5)
    assert events.content == (SAMPLE / "seoul_openapi/culturalEventInfo_1_1000.json").read_bytes()
    assert events.headers["Content-Type"].startswith("application/json")
    name = "202505_202505_주민등록인구및세대현황_월간_시도.csv"
    population = requests.get(f"{server.url}/files/population/{name}", timeout=5)
    assert population.content == (SAMPLE / "mois" / name).read_bytes()


def test_an_unrecorded_request_is_a_404_and_paths_cannot_leave_sample_data(server):
    assert requests.get(f"{server.url}/nothing/here", timeout=5).status_code == 404
    escape = requests.get(f"{server.url}/files/population/..%2F..%2Fpyproject.toml",
                          timeout=5)
    assert escape.status_code == 404
