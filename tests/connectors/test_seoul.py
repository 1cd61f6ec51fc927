"""The Seoul Open Data Plaza connector against recorded responses (sample_data/recorded/)."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from connectors import get_connector
from connectors.errors import AuthError, QuotaExceeded, SourceError
from connectors.seoul import read_page

from .conftest import KEYS, RECORDED, options

SAMPLE = RECORDED.parent
EVENTS = SAMPLE / "seoul_openapi/culturalEventInfo_1_1000.json"
CATALOG = SAMPLE / "seoul_opendata/seoul-api-catalog_SearchCatalogService.json"


def seoul(server, clock, base="seoul", **overrides):
    return get_connector("seoul", **options(server, clock, base, **overrides))


def with_key(key: str) -> dict:
    return {"env": {"PORTAL_SEOUL_API_KEY": key}}


def ranges(server) -> list[str]:
    return ["/".join(path.rstrip("/").split("/")[-2:]) for path in server.paths("/json/")]


def test_the_full_catalog_lists_exactly_8212_records_paged_by_1000(server, clock):
    records = list(seoul(server, clock).list_datasets())
    assert len(records) == 8212
    assert len({r.source_id for r in records}) == 8212
    assert ranges(server) == ["1/1000", "1001/2000", "2001/3000", "3001/4000", "4001/5000",
                              "5001/6000", "6001/7000", "7001/8000", "8001/8212"]
    assert clock.sleeps == [pytest.approx(0.3)] * 8  # paced, never hammering the Plaza
    expected = [entry["id"] for entry in json.loads(CATALOG.read_text(encoding="utf-8"))]
    assert [r.source_id for r in records] == expected


def test_catalog_rows_map_to_themes_kinds_formats_and_the_plaza_licence(server, clock):
    records = {r.source_id: r for r in seoul(server, clock).list_datasets()}
    events = records["OA-15486"]
    assert (events.title_ko, events.theme, events.kind) == ("서울시 문화행사 정보", "문화/관광",
                                                            "openapi")
    assert events.formats == ("SHEET", "API") and events.licence == "KOGL-1"
    assert events.source_url == "https://data.seoul.go.kr/dataList/OA-15486/S/1/datasetView.do"
    assert events.extras["service"] == "culturalEventInfo"
    assert [r.kind for r in events.resources] == ["link", "api"]
    assert "sample/json/culturalEventInfo/1/5/" in events.resources[1].url
    assert records["OA-2734"].kind == "file" and records["OA-2734"].theme == "안전"
    statistics = [r for r in records.values() if r.extras.get("category") == "통계"]
    assert len(statistics) == 1811 and {r.kind for r in statistics} == {"stats"}
    assert sum(r.theme == "기타" for r in records.values()) == 617  # empty MAP_CATE_NM
    district = next(r for r in records.values() if r.source_id == "OA-12615")
    assert district.owner == "자치구 및 자치구산하"


def test_a_catalog_row_with_every_field_gives_update_cycle_owner_and_last_update(server, clock):
    [record] = seoul(server, clock, base="seoul-full").list_datasets()
    assert record.update_cycle == "daily" and record.owner == "서울특별시"
    assert record.last_modified == "2025-05-14"
    assert record.extras["department"] == "문화본부 문화정책과"
    assert record.extras["link"] == "https://culture.seoul.go.kr"   # LINK_INFO


def test_the_announced_total_is_known_after_the_first_page(server, clock):
    connector = seoul(server, clock)
    assert connector.total is None
    records = connector.list_datasets()
    next(records)
    assert connector.total == 8212 and len(ranges(server)) == 1


def test_cultural_events_are_a_table_of_strings_with_lot_found_to_be_the_latitude(server, clock):
    record = next(r for r in seoul(server, clock, base="seoul-full").list_datasets())
    table = seoul(server, clock, max_rows=1000).fetch_table(record)
    rows = json.loads(EVENTS.read_text(encoding="utf-8"))["culturalEventInfo"]["row"]
    assert table.frame.shape == (1000, 22)
    assert all(pd.api.types.is_string_dtype(dtype) for dtype in table.frame.dtypes)
    assert table.frame.to_dict("records") == rows  # every value as the Plaza sent it
    assert (table.coordinates.y, table.coordinates.x, table.coordinates.epsg) == ("LOT", "LAT",
                                                                                  4326)
    assert table.notes == ()  # 1,000 asked, 1,000 read


def test_paging_past_the_end_answers_info_200_and_keeps_what_was_read(server, clock):
    frame, notes = seoul(server, clock).fetch_service("culturalEventInfo")
    assert len(frame) == 1000
    assert ranges(server) == ["1/1000", "1001/2000"]
    assert "1,000 rows read of the 5,568 announced" in notes[0]


def test_info_200_on_the_first_page_is_an_empty_table_not_an_error(server, clock):
    frame, notes = seoul(server, clock).fetch_service("TbPublicWifiInfo")
    assert frame.empty and notes == []


def test_error_500_inside_a_200_response_is_retried_then_raises_source_error(server, clock):
    connector = seoul(server, clock, **with_key("broken"))
    with pytest.raises(SourceError) as caught:
        list(connector.list_datasets())
    assert caught.value.code == "ERROR-500" and caught.value.retryable
    assert len(server.seen) == 3 and len(clock.sleeps) == 2  # backoffs (longer than pacing)


def test_error_500_once_is_survived_by_retrying(server, clock):
    body = (RECORDED / "seoul/ERROR-500.json").read_bytes()
    server.faults.add("body", times=1, body=body)
    assert len(list(seoul(server, clock, base="seoul-full").list_datasets())) == 1
    assert len(server.seen) == 2


def test_quota_exceeded_stops_the_listing_at_once_with_quota_exceeded(server, clock):
    listing = seoul(server, clock, **with_key("exhausted")).list_datasets()
    with pytest.raises(QuotaExceeded) as caught:
        next(listing)
    assert caught.value.code == "ERROR-337" and not caught.value.retryable
    assert len(server.seen) == 1 and clock.sleeps == []


def test_quota_exceeded_mid_listing_keeps_the_records_already_yielded(server, clock):
    quota = (RECORDED / "seoul/ERROR-337.json").read_bytes()
    server.faults.add("body", times=1, body=quota, when=lambda seen: "/3001/" in seen.path)
    got = []
    with pytest.raises(QuotaExceeded):
        for record in seoul(server, clock).list_datasets():
            got.append(record)
    assert len(got) == 3000 and ranges(server)[-1] == "3001/4000"


def test_an_invalid_key_is_an_auth_error_and_is_not_retried(server, clock):
    with pytest.raises(AuthError) as caught:
        list(seoul(server, clock, **with_key("invalid")).list_datasets())
    assert caught.value.code == "INFO-100" and len(server.seen) == 1


def test_without_a_key_the_error_names_the_variable_to_set(server, clock):
    connector = seoul(server, clock, env={"PORTAL_SEOUL_API_KEY": ""})
    with pytest.raises(AuthError, match="PORTAL_SEOUL_API_KEY"):
        list(connector.list_datasets())
    assert server.seen == []


def test_a_page_whose_json_breaks_off_is_retried_and_then_read(server, clock):
    server.faults.add("truncate", times=1, keep=120)
    assert len(list(seoul(server, clock, base="seoul-full").list_datasets())) == 1


def test_a_page_whose_json_always_breaks_off_ends_in_a_source_error(server, clock):
    server.faults.add("truncate", times=3, keep=120)
    with pytest.raises(SourceError) as caught:
        list(seoul(server, clock, base="seoul-full").list_datasets())
    assert caught.value.code == "invalid-json"


def test_an_entry_repeated_on_the_next_page_is_listed_once(server, clock):
    first = json.loads((RECORDED / "seoul/SearchCatalogService/1-1000.json").read_bytes())
    second = json.loads((RECORDED / "seoul/SearchCatalogService/1001-2000.json").read_bytes())
    second["SearchCatalogService"]["row"].insert(0, first["SearchCatalogService"]["row"][-1])
    server.faults.add("body", times=1, body=json.dumps(second).encode(),
                      when=lambda seen: "/1001/2000/" in seen.path)
    records = list(seoul(server, clock).list_datasets())
    assert len(records) == 8212 and len({r.source_id for r in records}) == 8212


def test_the_key_and_filters_travel_percent_encoded_as_path_segments(server, clock):
    connector = seoul(server, clock)
    with pytest.raises(SourceError, match="http-404"):  # no recording for this filter
        list(connector.pages("SearchCatalogService", "", "문화/관광", max_rows=5))
    raw = server.seen[0].raw_path
    assert raw.startswith("/seoul/seoul-test-key%2B%2F%3D/json/SearchCatalogService/1/5//")
    assert raw.endswith("/%EB%AC%B8%ED%99%94%2F%EA%B4%80%EA%B4%91/")
    assert KEYS["PORTAL_SEOUL_API_KEY"] not in raw


def test_read_page_understands_both_envelopes():
    class Response:
        status_code, reason = 200, "OK"

        def __init__(self, payload):
            self.content = json.dumps(payload, ensure_ascii=False).encode()

    wrapped = {"culturalEventInfo": {"RESULT": {"CODE": "INFO-200", "MESSAGE": "없음"}}}
    bare = {"RESULT": {"CODE": "INFO-200", "MESSAGE": "해당하는 데이터가 없습니다."}}
    for payload in (wrapped, bare):
        assert read_page(Response(payload), "culturalEventInfo").empty
    with pytest.raises(QuotaExceeded):
        read_page(Response({"culturalEventInfo": {"RESULT": {"CODE": "ERROR-337"}}}),
                  "culturalEventInfo")
    with pytest.raises(SourceError, match="not the dataset ID") as caught:
        read_page(Response({"RESULT": {"CODE": "ERROR-310", "MESSAGE": "서비스 없음"}}), "OA-1")
    assert not caught.value.retryable
    one_row = {"CulturalEventInfo": {"list_total_count": "1", "RESULT": {"CODE": "INFO-000"},
                                     "row": {"TITLE": "한 행"}}}
    page = read_page(Response(one_row), "culturalEventInfo")
    assert page.rows == [{"TITLE": "한 행"}] and page.total == 1


def test_fetch_table_is_none_when_the_service_of_a_dataset_is_unknown(server, clock):
    connector = seoul(server, clock)
    record = next(r for r in connector.list_datasets() if r.source_id == "OA-2734")
    assert connector.fetch_table(record) is None


def test_page_size_is_capped_at_the_plazas_1000_rows(server, clock):
    with pytest.raises(ValueError, match="page_size"):
        seoul(server, clock, page_size=1001)
