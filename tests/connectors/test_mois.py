"""The MOIS / data.go.kr connector: the catalogue, the population files, LOCALDATA."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from connectors import get_connector
from connectors.coords import tm_to_wgs84
from connectors.errors import AuthError, QuotaExceeded, SourceError
from connectors.mois import datagokr
from connectors.mois.localdata import licence_frame, parse_dates, placeholder_dates, status_of
from portal.catalog.reading import read_table

from .conftest import RECORDED, options

SAMPLE = RECORDED.parent
CINEMAS = SAMPLE / "localdata/서울시 영화상영관 인허가 정보.csv"


def mois(server, clock, **overrides):
    settings = {"files_base_url": f"{server.url}/files", "per_page": 2,
                "population_period": "202505", **overrides}
    return get_connector("mois", **options(server, clock, "odcloud", **settings))


def by_id(records):
    return {r.source_id: r for r in records}


def test_the_catalogue_lists_mois_entries_of_every_list_page_by_page(server, clock):
    records = [r for r in mois(server, clock).list_datasets() if r.source == "datagokr"]
    assert [(r.source_id, r.kind) for r in records] == [
        ("15000001", "file"), ("15000002", "file"), ("15000003", "file"),
        ("15000010", "openapi"), ("15000020", "standard")]
    pages = [(s.path.rsplit("/", 1)[-1], s.query["page"]) for s in server.seen]
    assert pages == [("file-data-list", "1"), ("file-data-list", "2"), ("open-data-list", "1"),
                     ("standard-data-list", "1")]
    assert all(s.query["cond[org_nm::LIKE]"] == "행정안전부" for s in server.seen)


def test_catalogue_rows_map_to_records(server, clock):
    records = by_id(mois(server, clock).list_datasets())
    population = records["15000001"]
    assert (population.owner, population.theme, population.formats) == ("행정안전부", "일반행정",
                                                                         ("CSV",))
    assert population.keywords == ("주민등록", "인구", "세대")
    assert population.source_url == "https://www.data.go.kr/data/15000001/fileData.do"
    assert population.last_modified == "2025-06-05" and population.licence == "UNKNOWN"
    assert records["15000020"].theme == "문화/관광"  # data.go.kr's 문화관광
    api = records["15000010"]   # two rows, one per operation: one record
    assert [(r.kind, r.url) for r in api.resources[1:]] == [
        ("api", "https://apis.data.go.kr/1741000/RegistrationPopulationByRegion/getSidoPopulation"),
        ("api", "https://apis.data.go.kr/1741000/RegistrationPopulationByRegion/"
                "getSigunguPopulation")]


@pytest.mark.parametrize("configured", ["datagokr%2Btest%2Fkey%3D%3D", "datagokr+test/key=="])
def test_the_service_key_is_encoded_exactly_once(server, clock, configured):
    connector = mois(server, clock, env={"PORTAL_DATAGOKR_SERVICE_KEY": configured})
    list(connector.catalogue_rows("file-data-list"))
    for seen in server.seen:
        assert "serviceKey=datagokr%2Btest%2Fkey%3D%3D&" in seen.raw_query + "&"
        assert "%25" not in seen.raw_query
        assert seen.query["serviceKey"] == "datagokr+test/key=="


def test_an_xml_gateway_error_to_a_json_request_is_an_auth_error_not_retried(server, clock):
    connector = mois(server, clock, env={"PORTAL_DATAGOKR_SERVICE_KEY": "unregistered-key"})
    with pytest.raises(AuthError) as caught:
        list(connector.list_datasets())
    assert caught.value.code == "SERVICE_KEY_IS_NOT_REGISTERED_ERROR"
    assert "PORTAL_DATAGOKR_SERVICE_KEY" in caught.value.message
    assert len(server.seen) == 1


def test_the_gateways_request_limit_error_is_quota_exceeded(server, clock):
    connector = mois(server, clock, env={"PORTAL_DATAGOKR_SERVICE_KEY": "exhausted-key"})
    with pytest.raises(QuotaExceeded) as caught:
        list(connector.catalogue_rows("open-data-list"))
    assert caught.value.code == "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR"
    assert len(server.seen) == 1 and clock.sleeps == []


def test_odcloud_401_is_an_auth_error(server, clock):
    connector = mois(server, clock, env={"PORTAL_DATAGOKR_SERVICE_KEY": "unapproved-key"})
    with pytest.raises(AuthError, match="활용신청"):
        list(connector.catalogue_rows("file-data-list"))


def test_classic_gateway_answers_single_items_and_no_data(server, clock):
    http = mois(server, clock).http
    single = {"response": {"header": {"resultCode": "00", "resultMsg": "NORMAL SERVICE."},
                           "body": {"items": {"item": {"시장명": "통인시장"}}, "totalCount": 1}}}
    empty = {"response": {"header": {"resultCode": "03", "resultMsg": "NODATA_ERROR"},
                          "body": {"items": ""}}}
    busy = {"response": {"header": {"resultCode": "22", "resultMsg": "LIMITED NUMBER"}}}
    answers = []
    for payload in (single, empty):
        server.faults.add("body", body=json.dumps(payload, ensure_ascii=False).encode())
        answers.append(http.get("any", parse=lambda r: datagokr.read_answer(r, "test")))
    assert answers[0].items == [{"시장명": "통인시장"}] and answers[1].items == []
    server.faults.add("body", body=json.dumps(busy).encode())
    with pytest.raises(QuotaExceeded):
        http.get("any", parse=lambda r: datagokr.read_answer(r, "test"))


def test_population_files_come_back_as_the_cp949_bytes_with_their_filename(server, clock):
    connector = mois(server, clock)
    record = by_id(connector.list_datasets())["주민등록인구및세대현황/월간/시도"]
    assert (record.source, record.kind, record.update_cycle) == ("mois", "stats", "monthly")
    table = connector.fetch_table(record)
    assert table.is_file and table.filename == "202505_202505_주민등록인구및세대현황_월간_시도.csv"
    assert table.data == (SAMPLE / "mois" / table.filename).read_bytes()
    read = read_table(table.data, table.filename)  # what the portal's ingest will do
    assert read.encoding == "cp949" and len(read.frame) == 18


def test_a_population_file_not_published_yet_is_looked_for_in_earlier_months(server, clock):
    connector = mois(server, clock, population_lookback=12)
    record = by_id(connector.list_datasets())["연령별인구현황/월간/행정동/10세"]
    table = connector.fetch_table(record)
    assert table.filename.startswith("202406_202406_")
    months = [s.path.split("/")[-1][:6] for s in server.seen if "/files/" in s.path]
    assert months[0] == "202505" and months[-1] == "202406" and len(months) == 12


def test_no_population_file_in_the_lookback_is_a_not_found_error(server, clock):
    connector = mois(server, clock, population_period="203001", population_lookback=2)
    record = by_id(connector.list_datasets())["연령별인구현황/월간/행정동/10세"]
    with pytest.raises(SourceError, match="203001, 202912") as caught:
        connector.fetch_table(record)
    assert caught.value.code == "not-found"


def test_an_html_page_instead_of_the_file_is_a_source_error(server, clock):
    server.faults.add("body", body="<!DOCTYPE html><html>로그인이 필요합니다</html>".encode(),
                      content_type="text/html")
    connector = mois(server, clock, with_catalogue=False)
    record = by_id(connector.list_datasets())["주민등록인구및세대현황/월간/시도"]
    with pytest.raises(SourceError) as caught:
        connector.fetch_table(record)
    assert caught.value.code == "html-page" and len(server.seen) == 1


def test_an_xml_gateway_error_instead_of_the_file_is_raised_as_such(server, clock):
    body = (RECORDED / "datagokr/SERVICE_KEY_IS_NOT_REGISTERED_ERROR.xml").read_bytes()
    server.faults.add("body", body=body, content_type="text/xml")
    connector = mois(server, clock, with_catalogue=False)
    with pytest.raises(AuthError):
        connector.fetch_table(by_id(connector.list_datasets())["서울/영화상영관"])


def test_the_licence_file_comes_back_whole_and_reads_with_the_portals_reader(server, clock):
    connector = mois(server, clock, with_catalogue=False)
    record = by_id(connector.list_datasets())["서울/영화상영관"]
    assert record.source == "localdata" and record.extras["seoul_dataset"] == "OA-16053"
    table = connector.fetch_table(record)
    assert table.data == CINEMAS.read_bytes() and table.filename == CINEMAS.name
    assert read_table(table.data, table.filename).frame.shape == (903, 56)


def test_catalogue_entries_have_no_table_and_files_need_a_files_base_url(server, clock):
    connector = mois(server, clock)
    records = by_id(connector.list_datasets())
    assert connector.fetch_table(records["15000001"]) is None
    unconfigured = mois(server, clock, files_base_url=None, with_catalogue=False)
    with pytest.raises(SourceError, match="files_base_url"):
        unconfigured.fetch_table(records["서울/영화상영관"])


def test_licence_dates_in_both_spellings_and_placeholders():
    dates = parse_dates(["20050322", "2005-03-22", "9999-12-31", "", "2024-06-05 13:26:10",
                         "19580121", "not a date"])
    assert dates.dt.strftime("%Y-%m-%d").tolist()[:2] == ["2005-03-22", "2005-03-22"]
    assert dates.isna().tolist() == [False, False, True, True, False, False, True]
    assert placeholder_dates(["9999-12-31", "99991231", "2020-01-01", ""]).tolist() == \
        [True, True, False, False]
    statuses = status_of(["01", "03", "4", "99"])
    assert statuses.tolist()[:3] == ["open", "closed", "cancelled"] and pd.isna(statuses[3])


def test_licence_frame_adds_dates_status_and_wgs84_coordinates():
    raw = pd.read_csv(CINEMAS, encoding="cp949", dtype=str, keep_default_na=False)
    frame = licence_frame(raw)
    assert frame["인허가일자"].notna().all()                  # 628 + 275 rows, both spellings
    placeholder = placeholder_dates(raw["폐업일자"])
    assert placeholder.sum() == 1 and frame.loc[placeholder, "폐업일자"].isna().all()
    assert frame.loc[placeholder, "status"].tolist() == ["closed"]  # closed, date unknown
    assert frame["status"].value_counts().to_dict() == {"open": 631, "closed": 251,
                                                        "cancelled": 21}
    avenuel = frame[frame["사업장명"] == "롯데시네마 에비뉴엘 샤롯데관"].iloc[0]
    assert avenuel["lat"] == pytest.approx(37.5641, abs=1e-4)
    assert avenuel["lon"] == pytest.approx(126.9819, abs=1e-4)
    assert frame["lat"].isna().sum() == 16              # rows without coordinates
    assert frame["lat"].dropna().between(37.4, 37.7).all()


def test_tm_to_wgs84_is_nan_for_empty_and_impossible_coordinates():
    lon, lat = tm_to_wgs84(["198333.470885484", "", "0", "abc"],
                           ["451313.412912492", "", "0", "1"])
    assert lat[0] == pytest.approx(37.56410, abs=1e-5)
    assert np.isnan(lat[1:]).all() and np.isnan(lon[1:]).all()
