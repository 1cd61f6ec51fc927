"""Comparing two versions of a table: by a detected key, or as multisets of rows, and the
change of the stored totals; the page and its JSON twin."""
from pathlib import Path

import pandas as pd
import pytest

from portal.catalog import datasets
from portal.catalog.ingest import ingest_bytes
from portal.catalog.version_diff import detect_key
from tests.factories import add_table_version, make_dataset, make_organisation

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
CCTV = SAMPLE / "seoul_opendata" / "CCTV_in_Seoul.csv"
ADMIN = {"X-Portal-Admin-Token": "test-admin-token"}


def changed_cctv() -> bytes:
    """The CCTV file a year later: 강남구 and 강동구 corrected, 종로구 gone, 가상구 new."""
    text = CCTV.read_bytes().decode("utf-8-sig")
    text = text.replace('"강남구","2780"', '"강남구","2800"')
    text = text.replace('"강동구","773","379"', '"강동구","773","380"')
    lines = [line for line in text.splitlines() if not line.startswith('"종로구"')]
    return ("\n".join(lines) + '\n"가상구","10","4","3","2","1"\n').encode("utf-8")


@pytest.fixture
def catalog(app, seeded):
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        cctv = datasets.create_dataset(session, "cctv", title_ko="서울시 자치구 CCTV 설치현황")
        ingest_bytes(session, portal.store, cctv, CCTV.read_bytes(), CCTV.name)
        ingest_bytes(session, portal.store, cctv, changed_cctv(), CCTV.name)
        division = make_organisation(session, slug="cctv-team", name_ko="안전총괄과")
        secret = datasets.create_dataset(session, "secret", title_ko="내부 CCTV",
                                         visibility="internal", owner_org_id=division.id)
        ingest_bytes(session, portal.store, secret, CCTV.read_bytes(), CCTV.name)
        ingest_bytes(session, portal.store, secret, changed_cctv(), CCTV.name)
    return portal


def test_two_real_versions_differ_by_rows_matched_on_the_gu_column(client, catalog):
    diff = client.get("/api/v1/datasets/cctv/compare?from=1&to=2").get_json()
    assert diff["key"] == ["기관명"]
    assert diff["rows"] == {"added": 1, "removed": 1, "changed": 2, "unchanged": 22}
    changes = {c["key"]["기관명"]: c["cells"] for c in diff["changed_sample"]}
    assert changes["강남구"] == [{"column": "소계", "old": 2780, "new": 2800}]
    assert changes["강동구"] == [{"column": "2013년도 이전", "old": 379, "new": 380}]
    assert [r["기관명"] for r in diff["added_sample"]] == ["가상구"]
    assert [r["기관명"] for r in diff["removed_sample"]] == ["종로구"]


def test_the_totals_change_comes_from_the_two_profiles(client, catalog):
    diff = client.get("/api/v1/datasets/cctv/compare").get_json()  # default: the last two
    assert (diff["from"], diff["to"]) == (1, 2)
    totals = {t["name"]: t for t in diff["totals"]}
    # 소계: +20 (강남구) − 1,002 (종로구) + 10 (가상구 is not a Seoul gu, but still a data row)
    assert totals["소계"]["old"] == 29477
    assert totals["소계"]["delta"] == totals["소계"]["new"] - 29477
    by_gu = {c["name"]: c for c in diff["by_gu"]["소계"]}
    assert by_gu["강남구"] == {"name": "강남구", "old": 2780, "new": 2800, "delta": 20,
                             "percent": pytest.approx(20 / 2780 * 100)}
    assert by_gu["종로구"]["new"] is None and by_gu["종로구"]["delta"] is None


def test_the_compare_page_shows_counts_old_and_new_values_and_totals(client, catalog):
    response = client.get("/datasets/cctv/compare?from=1&to=2")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "버전 1 → 2 비교" in page
    assert '<div class="value">2</div><div class="label">바뀐 행</div>' in page
    assert "<del>2780</del></td><td><ins>2800</ins>" in page
    assert "합계 변화" in page and "+20" in page and "자치구별: 소계" in page


def test_the_dataset_page_lists_versions_with_a_compare_link(client, catalog):
    page = client.get("/datasets/cctv").get_data(as_text=True)
    assert "버전 <span class=\"meta\">2개</span>" in page
    assert "/datasets/cctv/compare?from=1&amp;to=2" in page


def test_a_table_without_a_key_is_compared_as_multisets_of_rows(client, app, seeded):
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        dataset = make_dataset(session, slug="values", with_table=True, store=portal.store,
                               frame=pd.DataFrame({"값": [1, 1, 2]}))
        add_table_version(session, dataset, portal.store, pd.DataFrame({"값": [1, 2, 2, 3]}))
    diff = client.get("/api/v1/datasets/values/compare").get_json()
    assert diff["key"] == []
    assert diff["rows"] == {"added": 2, "removed": 1, "changed": 0, "unchanged": 2}
    assert sorted(r["값"] for r in diff["added_sample"]) == [2, 3]
    assert "행 전체를 비교했습니다" in client.get("/datasets/values/compare").get_data(as_text=True)


def test_a_key_combines_gu_and_year_when_neither_is_unique_alone():
    old = pd.DataFrame({"자치구": ["강남구", "강남구", "종로구"], "연도": [2023, 2024, 2024],
                        "업종": ["한식", "한식", "한식"], "매출": [1, 2, 3]})
    new = old.assign(매출=[1, 5, 3])
    tags = {"자치구": "gu", "연도": "year", "업종": "category", "매출": "measure"}
    assert detect_key(old, new, tags, list(old.columns)) == ["자치구", "연도"]
    twice = pd.concat([old, old])
    assert detect_key(twice, new, tags, list(old.columns)) == []


@pytest.mark.parametrize("path", ["/api/v1/datasets/{}/compare?from=1&to=2",
                                  "/datasets/{}/compare?from=1&to=2"])
def test_an_internal_dataset_comparison_is_exactly_a_missing_one(client, catalog, path):
    internal = client.get(path.format("secret"))
    missing = client.get(path.format("no-such-dataset"))
    assert internal.status_code == missing.status_code == 404
    assert internal.get_data() == missing.get_data()
    assert client.get(path.format("secret"), headers=ADMIN).status_code == 200


def test_a_version_that_does_not_exist_is_a_404(client, catalog):
    assert client.get("/api/v1/datasets/cctv/compare?from=1&to=9").status_code == 404
    assert client.get("/datasets/cctv/compare?from=7&to=2").status_code == 404
    assert client.get("/api/v1/datasets/cctv/compare?from=a").status_code == 400
