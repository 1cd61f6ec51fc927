"""The dataset page tells the story from the stored profile: cards, charts, map, JSON-LD;
and the organisation page lists what is overdue."""
import json
import re
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd
import pytest

from portal.catalog import datasets
from portal.catalog.ingest import ingest_file
from portal.catalog.profiles import compute_profile
from portal.web import dataset_charts
from portal.web.filters import (korean_large, large_with_unit, signed_number, signed_percent,
                                with_unit)
from tests.factories import add_seoul_cctv, make_dataset, make_organisation

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
ADMIN = {"X-Portal-Admin-Token": "test-admin-token"}
GU7 = ["종로구", "중구", "용산구", "성동구", "광진구", "동대문구", "중랑구"]


@pytest.fixture
def site(app, seeded):
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        add_seoul_cctv(session, portal.store, licence="KOGL-1")
        population = datasets.create_dataset(session, "seoul-population",
                                             title_ko="서울시 주민등록인구 (구별)", theme="일반행정")
        ingest_file(session, portal.store, population,
                    SAMPLE / "seoul_opendata" / "population_in_Seoul_2017Q1.xls")
    return app.test_client()


def page_of(client, slug, **kwargs):
    response = client.get(f"/datasets/{slug}", **kwargs)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def embedded(page, kind, element_id=None):
    attributes = f'type="{kind}"' + (f' id="{element_id}"' if element_id else "")
    pattern = re.escape(f"<script {attributes}>") + "(.*?)</script>"
    found = re.search(pattern, page, re.S)
    return json.loads(found.group(1)) if found else None


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# Korean number formatting ---------------------------------------------------------------

def test_figures_read_with_their_units_and_as_eok_and_man():
    assert with_unit(9594329, "명") == "9,594,329명"
    assert with_unit(None, "명") == "–"
    assert large_with_unit(1234567890, "원") == "12억 3,457만 원"
    assert korean_large(10197604) == "1,020만"
    assert korean_large(199_999_999) == "2억"  # not '1억 10,000만'
    assert korean_large(-250_000_000) == "-2억 5,000만"


def test_changes_carry_their_sign():
    assert signed_number(4517) == "+4,517"
    assert signed_number(-12) == "−12"
    assert signed_number(0) == "0"
    assert signed_percent(88.0507) == "+88.1%"
    assert signed_percent(None) == "–"


# cards ---------------------------------------------------------------------------------

def test_cards_show_the_latest_year_its_change_and_the_seoul_total(client, site):
    page = text_of(page_of(client, "seoul-cctv"))
    # CCTV: 2016 against 2015 of the year columns, 37,883 over all years, and the source's
    # 소계 column (29,477) shown beside the sum of the year columns, which differs.
    assert "2016 기준 9,647" in page
    assert "전년 대비 (2015): ▲ +4,517 (+88.1%) 증가" in page
    assert "서울 합계 (전 기간) 37,883" in page
    assert "값 열의 합 37,883 (원자료 소계와 다름)" in page


def test_cards_match_the_profile_and_the_source_total_row(client, site):
    page = text_of(page_of(client, "seoul-population"))
    # The 합계 row of the source is not counted again: 10,197,604, not twice that.
    assert "10,197,604명" in page and "20,395,208" not in page
    assert "약 1,020만 명" in page
    assert "원자료 합계 행 10,197,604명 (계산값과 일치)" in page


def test_cards_prefer_additive_grand_totals():
    frame = pd.DataFrame({"자치구": GU7, "세대당인구": [2.1] * 7, "인구_합계_남자": [1] * 7,
                          "인구_합계_계": [2] * 7, "세대": [3] * 7})
    cards = dataset_charts.summary_cards(compute_profile(frame))
    assert [c.name for c in cards] == ["인구_합계_계", "세대", "인구_합계_남자", "세대당인구"]
    assert cards[0].total == 14 and cards[-1].total is None


def test_no_change_is_claimed_between_periods_that_do_not_follow_each_other():
    frame = pd.DataFrame({"자치구": GU7 * 2, "연도": [2019] * 7 + [2021] * 7,
                          "건수": list(range(7)) * 2})
    card = dataset_charts.summary_cards(compute_profile(frame))[0]
    assert card.latest_period == "2021" and card.change is None and card.change_label is None


# sortable totals -------------------------------------------------------------------------

def test_totals_by_gu_are_sortable_and_keep_the_source_total_row_apart(client, site):
    page = page_of(client, "seoul-population")
    table = page.split('aria-label="자치구별 합계 표"', 1)[1].split("</table>", 1)[0]
    assert "data-sortable" in table
    body, foot = table.split("<tfoot>")
    assert body.count("<tr>") == 26  # header + 25 gu; the 합계 row is not among them
    assert "원자료 합계 행" in foot and "10,197,604" in foot


# charts ------------------------------------------------------------------------------------

def test_chart_json_is_built_from_the_profile_with_five_gu_by_size():
    values = {"종로구": 5, "중구": 70, "용산구": 60, "성동구": 1, "광진구": 50, "동대문구": 40,
              "중랑구": 30}
    rows = [{"자치구": gu, "연도": year, "인구": base * (year - 2019)}
            for gu, base in values.items() for year in (2020, 2021, 2022)]
    data = dataset_charts.chart_data(compute_profile(pd.DataFrame(rows)))
    trend = data["trend"]
    assert trend["periods"] == ["2020", "2021", "2022"]
    series = trend["series"]["인구"]
    assert series["total"] == [256, 512, 768]
    assert series["default_gu"] == ["중구", "용산구", "광진구", "동대문구", "중랑구"]
    assert series["by_gu"]["중구"] == [70, 140, 210]
    districts = data["districts"]
    assert districts["gu"] == GU7
    assert districts["values"]["인구"] == [30, 420, 360, 6, 300, 240, 180]
    assert "가장 많은 곳 중구 420" in districts["summary"]


def test_no_chart_when_the_profile_lacks_the_dimension():
    no_gu_no_year = pd.DataFrame({"항목": ["가", "나", "다"], "값": [1, 2, 3]})
    assert dataset_charts.chart_data(compute_profile(no_gu_no_year)) is None
    gu_only = pd.DataFrame({"자치구": GU7, "값": range(7)})
    data = dataset_charts.chart_data(compute_profile(gu_only))
    assert data["trend"] is None and data["districts"] is not None
    one_year = pd.DataFrame({"연도": [2024, 2024], "값": [1, 2]})
    assert dataset_charts.chart_data(compute_profile(one_year)) is None  # a line needs two points


def test_the_page_embeds_the_chart_data_and_a_map_only_with_gu(client, app, site):
    page = page_of(client, "seoul-cctv")
    data = embedded(page, "application/json", "dataset-chart-data")
    assert data["trend"]["periods"] == ["2013년 이전", "2014", "2015", "2016"]
    assert len(data["districts"]["gu"]) == 25
    for element in ('id="trend-chart"', 'id="district-chart"', 'id="map-chart"', "<details>",
                    'href="#map"'):
        assert element in page
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        make_dataset(session, slug="no-dimensions", with_table=True, store=portal.store,
                     frame=pd.DataFrame({"항목": ["가", "나"], "값": [1, 2]}))
    plain = page_of(client, "no-dimensions")
    assert "dataset-chart-data" not in plain and 'id="map-chart"' not in plain
    assert 'href="#map"' not in plain


def test_points_without_a_gu_column_are_mapped_per_gu_by_position(client, app, site):
    # Wi-Fi spots by 위도/경도 only (서울시청, 시청 앞, 서울숲): counted in the gu they are in.
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        make_dataset(session, slug="wifi-points", with_table=True, store=portal.store,
                     frame=pd.DataFrame({"설치장소": ["시청", "시청 앞", "서울숲"],
                                         "위도": [37.5665, 37.5660, 37.5444],
                                         "경도": [126.9780, 126.9772, 127.0374]}))
    page = page_of(client, "wifi-points")
    districts = embedded(page, "application/json", "dataset-chart-data")["districts"]
    counts = dict(zip(districts["gu"], districts["values"]["@rows"]))
    assert counts["중구"] == 2 and counts["성동구"] == 1 and districts["located"] is True
    assert 'id="map-chart"' in page and "좌표가 속한 자치구" in page


def test_the_gu_boundaries_are_the_25_gu_with_mois_codes(client, site):
    page = page_of(client, "seoul-cctv")
    url = re.search(r'data-boundaries="([^"]+)"', page).group(1)
    response = client.get(url)
    assert response.status_code == 200
    geo = json.loads(response.get_data())
    names = [f["properties"]["name"] for f in geo["features"]]
    assert names == embedded(page, "application/json", "dataset-chart-data")["districts"]["gu"]
    assert {f["properties"]["code"] for f in geo["features"]} >= {"11110", "11740"}


# JSON-LD -------------------------------------------------------------------------------------

def test_json_ld_describes_the_dataset_for_search_engines(client, site):
    page = page_of(client, "seoul-cctv")
    head = page.split("</head>", 1)[0]
    data = embedded(head, "application/ld+json")
    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    assert data["name"] == "서울시 자치구 CCTV 설치현황"
    assert data["url"].endswith("/datasets/seoul-cctv")
    for key in ("description", "identifier", "dateModified"):
        assert data[key]
    assert data["keywords"] == ["CCTV", "방범"]
    assert data["license"] == "https://www.kogl.or.kr/info/licenseType1.do"
    assert data["isAccessibleForFree"] is True
    assert data["temporalCoverage"] == "2013-01-01/2016-12-31"  # filled at ingest
    assert len(data["spatialCoverage"]["containsPlace"]) == 25
    original = data["distribution"][0]
    assert original["@type"] == "DataDownload" and original["encodingFormat"] == "text/csv"
    assert original["name"] == "CCTV_in_Seoul.csv"
    for download in data["distribution"]:  # the original and any converted formats
        assert client.get(download["contentUrl"].replace("http://localhost", "")).status_code == 200


def test_json_ld_names_the_publisher_and_cannot_end_the_script_early(client, app, seeded):
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        owner = make_organisation(session, slug="traffic", name_ko="교통정책과")
        make_dataset(session, slug="tricky", title_ko="주차 </script><script>alert(1)</script>",
                     owner=owner, licence="UNRESTRICTED")
    page = page_of(client, "tricky")
    head = page.split("</head>", 1)[0]
    assert "<script>alert(1)" not in head
    data = embedded(head, "application/ld+json")
    assert data["name"] == "주차 </script><script>alert(1)</script>"
    assert data["publisher"]["name"] == "교통정책과"
    assert "license" not in data and "distribution" not in data


# overdue datasets per organisation ----------------------------------------------------------

def test_the_organisation_page_lists_its_overdue_datasets_for_the_viewer(client, app, seeded):
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        division = make_organisation(session, slug="parking-division", name_ko="주차관리과")
        team = make_organisation(session, slug="parking-team", name_ko="주차정보팀",
                                 parent=division)
        make_dataset(session, slug="late", title_ko="늦은 주차장 현황", owner=team,
                     update_cycle="monthly", next_update_due=date(2020, 1, 1))
        make_dataset(session, slug="late-internal", title_ko="늦은 내부 자료", owner=division,
                     internal=True, update_cycle="yearly", next_update_due=date(2021, 1, 1))
        make_dataset(session, slug="fresh", title_ko="새 주차장 현황", owner=division,
                     update_cycle="monthly", with_table=True, store=portal.store)
        make_dataset(session, slug="no-cycle", title_ko="주기 없는 자료", owner=division)
        make_dataset(session, slug="withdrawn", title_ko="철회된 자료", owner=division,
                     update_cycle="monthly", next_update_due=date(2020, 1, 1),
                     withdrawn_at=datetime(2024, 1, 1, tzinfo=timezone.utc))
    public = client.get("/orgs/parking-division").get_data(as_text=True)
    overdue = public.split('id="overdue-heading"', 1)[1].split("</section>", 1)[0]
    assert "늦은 주차장 현황" in overdue and "1건" in overdue
    assert "새 주차장 현황" not in overdue and "주기 없는 자료" not in overdue
    assert "늦은 내부 자료" not in public and "철회된 자료" not in overdue
    admin = client.get("/orgs/parking-division", headers=ADMIN).get_data(as_text=True)
    overdue = admin.split('id="overdue-heading"', 1)[1].split("</section>", 1)[0]
    # Most overdue first.
    assert overdue.index("늦은 주차장 현황") < overdue.index("늦은 내부 자료")
    fresh_only = client.get("/orgs/parking-team").get_data(as_text=True)
    assert "늦은 주차장 현황" in fresh_only
