"""The dataset API: metadata, rows (paging, sorting, filters, versions) and stored totals,
on a real LOCALDATA table ingested through the one ingest path."""
import ast
import html
import re

import pandas as pd
import pytest

from portal.catalog.models import TableVersion
from tests.factories import add_cinema_and_internal_cctv, cctv_in_two_versions

ADMIN = {"X-Portal-Admin-Token": "test-admin-token"}


@pytest.fixture
def catalog(app, seeded):
    portal = app.extensions["portal"]
    add_cinema_and_internal_cctv(portal)
    return portal


def table(portal, slug="cinema", number=None) -> pd.DataFrame:
    with portal.sessions() as session:
        versions = [v for v in session.query(TableVersion).all() if v.dataset.slug == slug]
        version = max(versions, key=lambda v: v.number) if number is None else \
            next(v for v in versions if v.number == number)
        return pd.read_parquet(portal.store.path(version.parquet_key))


def rows(client, **params):
    response = client.get("/api/v1/datasets/cinema/rows", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_metadata_lists_titles_versions_and_links(client, catalog):
    data = client.get("/api/v1/datasets/cinema").get_json()
    assert data["title"]["ko"] == "서울시 영화상영관 인허가 정보"
    assert data["theme"]["code"] == "문화/관광" and data["theme"]["label"]
    assert [v["number"] for v in data["versions"]] == [1]
    assert data["versions"][0]["row_count"] == 903
    assert len(data["versions"][0]["content_hash"]) == 64
    assert data["links"]["rows"].endswith("/api/v1/datasets/cinema/rows")
    assert data["links"]["downloads"]["csv"].endswith("/datasets/cinema/download/csv")
    columns = {c["name"]: c for c in data["columns"]}
    assert columns["시설면적"]["kind"] == "number" and columns["시설면적"]["tag"] == "measure"


def test_rows_page_through_the_table_in_order(client, catalog):
    frame = table(catalog)
    first = rows(client, _size=10)
    second = rows(client, _size=10, _page=2)
    assert first["total"] == second["total"] == len(frame) == 903
    assert [r["관리번호"] for r in first["rows"] + second["rows"]] == list(frame["관리번호"][:20])
    assert "_page=2" in first["next"] and first["previous"] is None
    by_offset = rows(client, offset=10, limit=10)
    assert by_offset["rows"] == second["rows"]
    last = rows(client, offset=900, limit=10)
    assert len(last["rows"]) == 3 and last["next"] is None


def test_a_page_larger_than_the_maximum_is_refused(client, catalog):
    response = client.get("/api/v1/datasets/cinema/rows?_size=100000")
    assert response.status_code == 400
    assert "1000" in response.get_json()["message"]


def test_numbers_are_json_numbers_and_missing_cells_are_null(client, catalog):
    frame = table(catalog)
    data = rows(client, _size=903)
    areas = [r["시설면적"] for r in data["rows"]]
    assert all(isinstance(a, (int, float)) for a in areas if a is not None)
    assert sum(a is None for a in areas) == frame["시설면적"].isna().sum() > 0
    assert isinstance(data["rows"][0]["총층수"], int) or data["rows"][0]["총층수"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", data["rows"][0]["인허가일자"])


def test_exact_filter_and_total_count_the_matching_rows(client, catalog):
    frame = table(catalog)
    data = rows(client, 영업상태명="영업/정상", _size=5)
    assert data["total"] == (frame["영업상태명"] == "영업/정상").sum() > 0
    assert {r["영업상태명"] for r in data["rows"]} == {"영업/정상"}


def test_numbers_are_compared_as_numbers_not_text(client, catalog):
    frame = table(catalog)
    data = rows(client, 시설면적__gte="150", 시설면적__lte="400", _size=1000)
    expected = frame[(frame["시설면적"] >= 150) & (frame["시설면적"] <= 400)]
    assert data["total"] == len(expected) > 0
    assert all(150 <= r["시설면적"] <= 400 for r in data["rows"])
    # As text "13761" < "9" and "118.2" < "9"; as numbers both are at least 9.
    large = rows(client, 시설면적__gte="9", _size=1000)
    assert large["total"] == (frame["시설면적"] >= 9).sum()
    assert 13761 in [r["시설면적"] for r in large["rows"]]


def test_contains_isnull_and_in_operators(client, catalog):
    frame = table(catalog)
    found = rows(client, 사업장명__contains="CGV", _size=1000)
    assert found["total"] == frame["사업장명"].str.contains("CGV", case=False, na=False).sum() > 0
    missing = rows(client, 폐업일자__isnull="1", _size=1)
    assert missing["total"] == frame["폐업일자"].isna().sum()
    present = rows(client, 폐업일자__isnull="0", _size=1)
    assert missing["total"] + present["total"] == 903
    either = rows(client, 영업상태명__in="영업/정상,폐업", _size=1)
    assert either["total"] == frame["영업상태명"].isin(["영업/정상", "폐업"]).sum()


def test_dates_filter_by_day(client, catalog):
    frame = table(catalog)
    data = rows(client, 인허가일자__gte="2000-01-01", 인허가일자__lt="2010-01-01", _size=1)
    dates = frame["인허가일자"]
    assert data["total"] == ((dates >= "2000-01-01") & (dates < "2010-01-01")).sum() > 0


def test_sorting_ascending_and_descending_puts_missing_values_last(client, catalog):
    frame = table(catalog)
    up = rows(client, _sort="시설면적", _size=1000)["rows"]
    down = rows(client, _sort_desc="시설면적", _size=1000)["rows"]
    values = frame["시설면적"].dropna()
    assert up[0]["시설면적"] == values.min() and down[0]["시설면적"] == values.max()
    assert up[-1]["시설면적"] is None and down[-1]["시설면적"] is None
    present = [r["시설면적"] for r in up if r["시설면적"] is not None]
    assert present == sorted(present)


def test_sorting_text_combined_with_a_filter_and_paging(client, catalog):
    frame = table(catalog)
    expected = (frame[frame["영업상태명"] == "폐업"].sort_values("사업장명", kind="stable")
                ["사업장명"].tolist())
    page_two = rows(client, 영업상태명="폐업", _sort="사업장명", _size=20, _page=2)
    assert [r["사업장명"] for r in page_two["rows"]] == expected[20:40]


def test_an_unknown_column_is_a_400_naming_it(client, catalog):
    for query in ("구이름=강남구", "구이름__gte=1", "_sort=구이름"):
        response = client.get(f"/api/v1/datasets/cinema/rows?{query}")
        assert response.status_code == 400
        assert "구이름" in response.get_json()["message"]


def test_a_value_of_the_wrong_type_is_a_400_naming_the_column(client, catalog):
    response = client.get("/api/v1/datasets/cinema/rows?시설면적__gt=넓음")
    assert response.status_code == 400
    assert "시설면적" in response.get_json()["message"]


def test_an_older_version_is_read_with_version(client, catalog):
    cctv_in_two_versions(catalog)
    latest = client.get("/api/v1/datasets/cctv/rows?기관명=강남구").get_json()
    first = client.get("/api/v1/datasets/cctv/rows?기관명=강남구&_version=1").get_json()
    assert latest["version"] == 2 and latest["rows"][0]["소계"] == 9999
    assert first["version"] == 1 and first["rows"][0]["소계"] == 2780
    assert client.get("/api/v1/datasets/cctv/rows?_version=7").status_code == 404


def test_totals_are_the_stored_profile_never_recomputed(client, catalog):
    portal = catalog
    with portal.sessions.begin() as session:
        version = session.query(TableVersion).filter(TableVersion.dataset.has(slug="cinema")).one()
        profile = dict(version.profile)
        profile["totals"] = {**profile["totals"], "시설면적": 12345.5}
        version.profile = profile
    data = client.get("/api/v1/datasets/cinema/totals").get_json()
    assert data["totals"]["시설면적"] == 12345.5
    assert data["row_count"] == 903
    assert list(data["by_gu"]["@rows"])[:2] == ["종로구", "중구"]  # MOIS order
    assert all(isinstance(v, int) for v in data["by_gu"]["@rows"].values())
    for key in ("source_totals", "by_year", "yearly_series", "top_categories"):
        assert key in data


def test_cctv_totals_keep_both_figures_of_the_source(client, catalog):
    data = client.get("/api/v1/datasets/secret-cctv/totals", headers=ADMIN).get_json()
    assert data["totals"] == {"소계": 29477, "값": 37883}
    assert list(data["by_year"]["값"]) == ["2013년 이전", "2014", "2015", "2016"]


@pytest.mark.parametrize("suffix", ["", "/rows", "/rows?_sort=소계", "/totals", "/compare"])
def test_an_internal_dataset_answers_exactly_like_a_missing_one(client, catalog, suffix):
    internal = client.get(f"/api/v1/datasets/secret-cctv{suffix}")
    missing = client.get(f"/api/v1/datasets/no-such-dataset{suffix}")
    assert internal.status_code == missing.status_code == 404
    assert internal.get_data() == missing.get_data()
    assert internal.headers["Content-Type"] == missing.headers["Content-Type"]
    allowed = client.get(f"/api/v1/datasets/secret-cctv{suffix}", headers=ADMIN)
    assert allowed.status_code == (404 if suffix == "/compare" else 200)  # one version only


def test_the_python_example_on_the_page_works(client, catalog):
    page = client.get("/datasets/cinema").get_data(as_text=True)
    block = re.search(r'data-example="python-rows"><code>(.*?)</code>', page, re.S)
    code = html.unescape(block.group(1))
    call = re.search(r"requests\.get\(\s*('[^']+'),\s*params=(\{.*?\}),", code, re.S)
    url, params = ast.literal_eval(call.group(1)), ast.literal_eval(call.group(2))
    assert url == "http://localhost/api/v1/datasets/cinema/rows"
    assert any(not name.startswith("_") for name in params)  # a real filter
    response = client.get(url.removeprefix("http://localhost"), query_string=params)
    data = response.get_json()
    assert response.status_code == 200 and 0 < len(data["rows"]) <= 20
    column = next(name for name in params if not name.startswith("_"))
    assert {row[column] for row in data["rows"]} == {params[column]}
    totals = re.search(r'data-example="python-totals"><code>(.*?)</code>', page, re.S)
    totals_url = re.search(r"requests\.get\('([^']+)'", html.unescape(totals.group(1))).group(1)
    assert client.get(totals_url.removeprefix("http://localhost")).status_code == 200


def test_the_preview_shows_column_information_and_the_first_rows(client, catalog):
    page = client.get("/datasets/cinema").get_data(as_text=True)
    assert "처음 50행 / 전체 903행" in page
    assert 'data-column="시설면적" data-kind="number"' in page
    assert "수치 · ㎡" in page  # tag and unit from the profile
    assert 'aria-live="polite"' in page and 'aria-label="시설면적 조건"' in page
