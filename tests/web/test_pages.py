import pandas as pd
import pytest

from tests.factories import make_dataset, make_organisation

ADMIN = {"X-Portal-Admin-Token": "test-admin-token"}


@pytest.fixture
def catalog(app, seeded):
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        division = make_organisation(session, slug="gangdong-parking", name_ko="주차관리과")
        table = pd.DataFrame({"자치구": ["강동구"] * 200, "번호": range(200),
                              "주차면수": range(1000, 1200)})
        make_dataset(session, slug="parking", title_ko="강동구 공영주차장 현황",
                     owner=division, theme="교통", licence="KOGL-1", update_cycle="monthly",
                     with_table=True, store=portal.store, frame=table)
        make_dataset(session, slug="secret", title_ko="주차 단속 내부 검토", owner=division,
                     internal=True, theme="교통", with_table=True, store=portal.store)
    return portal


def test_home_counts_only_what_the_public_may_see(client, catalog):
    page = client.get("/").get_data(as_text=True)
    assert "데이터셋 <strong>1</strong>개" in page
    assert "주차 단속 내부 검토" not in page


def test_dataset_page_shows_metadata_under_korean_labels(client, catalog):
    response = client.get("/datasets/parking")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for label in ("제공기관", "분류", "공공누리", "업데이트 주기", "최종 수정일", "행정구역", "기간"):
        assert f'<th scope="row">{label}</th>' in page
    assert "주차관리과" in page and "공공누리 제1유형" in page and "월간" in page


def test_dataset_page_previews_the_first_fifty_rows(client, catalog):
    page = client.get("/datasets/parking").get_data(as_text=True)
    assert "처음 50행 / 전체 200행" in page
    assert "<td>1049</td>" in page and "<td>1050</td>" not in page


def test_an_internal_dataset_is_a_plain_404_for_the_public(client, catalog):
    internal = client.get("/datasets/secret")
    missing = client.get("/datasets/no-such-dataset")
    assert internal.status_code == missing.status_code == 404
    assert internal.get_data() == missing.get_data()


def test_an_administrator_sees_the_internal_dataset(client, catalog):
    response = client.get("/datasets/secret", headers=ADMIN)
    assert response.status_code == 200
    assert "내부 전용" in response.get_data(as_text=True)


def test_a_wrong_admin_token_sees_what_the_public_sees(client, catalog):
    response = client.get("/datasets/secret", headers={"X-Portal-Admin-Token": "guess"})
    assert response.status_code == 404


def test_organisation_page_lists_public_datasets_of_its_units(client, catalog):
    page = client.get("/orgs/gangdong-parking").get_data(as_text=True)
    assert "강동구 공영주차장 현황" in page and "주차 단속 내부 검토" not in page


def test_organisation_list_shows_the_hierarchy_of_seoul_and_the_25_gu(client, catalog):
    page = client.get("/orgs/").get_data(as_text=True)
    assert "서울특별시" in page and "강동구" in page and "종로구" in page


def test_dataset_list_filters_by_theme_and_title(client, catalog):
    page = client.get("/datasets/?theme=교통&q=주차").get_data(as_text=True)
    assert "강동구 공영주차장 현황" in page and "1건" in page
    assert "주차 단속 내부 검토" not in page


def test_page_views_are_counted(client, catalog):
    client.get("/datasets/parking")
    page = client.get("/datasets/parking").get_data(as_text=True)
    assert '<th scope="row">조회수</th><td>2</td>' in page


def test_preview_shows_missing_dates_and_numbers_as_blank_cells(client, app, seeded):
    portal = app.extensions["portal"]
    table = pd.DataFrame({"폐업일자": pd.to_datetime(["2020-01-02", None]),
                          "면적": [12.5, None], "상태": ["폐업", pd.NA]})
    with portal.sessions.begin() as session:
        make_dataset(session, slug="gaps", with_table=True, store=portal.store, frame=table)
    page = client.get("/datasets/gaps").get_data(as_text=True)
    assert "<td>2020-01-02</td><td>12.5</td><td>폐업</td>" in page
    assert "<td></td><td></td><td></td>" in page


def test_a_dataset_whose_monthly_update_is_late_says_so(client, app, seeded):
    from datetime import datetime, timezone
    from portal.catalog.models import Dataset
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        late = make_dataset(session, slug="late", update_cycle="monthly")
        make_dataset(session, slug="fresh", update_cycle="monthly")
        # content last changed long ago, next to one that just changed
        session.get(Dataset, late.id).modified_at = datetime(2020, 1, 1, tzinfo=timezone.utc)
    late_page = client.get("/datasets/late").get_data(as_text=True)
    assert '<span class="badge overdue">갱신 지연</span>' in late_page
    assert "다음 갱신 예정 2020-02-04" in late_page  # 2020-01-01 + 31 days + 3 days' grace
    assert "갱신 지연" not in client.get("/datasets/fresh").get_data(as_text=True)
