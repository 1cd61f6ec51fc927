"""The search page and the native JSON API, as the public and as staff see them."""
import pytest

from portal import sync
from tests.factories import make_dataset, make_organisation

ADMIN = {"X-Portal-Admin-Token": "test-admin-token"}


@pytest.fixture
def indexed(app, seeded):
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        division = make_organisation(session, slug="parking", name_ko="주차관리과")
        make_dataset(session, slug="gangdong-parking", title_ko="강동구 공영주차장 현황",
                     owner=division, theme="교통", spatial_coverage=["11740"],
                     keywords=["주차", "공영주차장"])
        make_dataset(session, slug="seoul-wifi", title_ko="서울시 공공와이파이 서비스 위치 정보",
                     theme="도시관리", kind="openapi")
        make_dataset(session, slug="secret-parking", title_ko="주차 단속 비공개 검토",
                     owner=division, internal=True, theme="교통", spatial_coverage=["11740"])
    sync.drain(portal.sessions, portal.search)
    return portal


def test_search_page_shows_highlighted_hits_and_facets(client, indexed):
    page = client.get("/search?q=주차장").get_data(as_text=True)
    assert "강동구 공영<mark>주차장</mark> 현황" in page
    assert "분류" in page and "교통" in page and "주차관리과" in page


def test_internal_datasets_leak_through_no_part_of_the_page(client, indexed):
    page = client.get("/search?q=주차").get_data(as_text=True)
    assert "비공개" not in page
    data = client.get("/api/v1/search?q=주차").get_json()
    assert data["total"] == 1
    assert dict((f["value"], f["count"]) for f in data["facets"]["theme"]) == {"교통": 1}
    suggestions = client.get("/api/v1/suggest?q=주차").get_json()["suggestions"]
    assert all("비공개" not in s["text"] for s in suggestions)


def test_an_administrator_finds_the_internal_dataset(client, indexed):
    data = client.get("/api/v1/search?q=주차", headers=ADMIN).get_json()
    assert data["total"] == 2


def test_synonyms_and_initial_consonants_find_the_dataset(client, indexed):
    assert client.get("/api/v1/search?q=WiFi").get_json()["results"][0]["slug"] == "seoul-wifi"
    slugs = [r["slug"] for r in client.get("/api/v1/search?q=ㅈㅊㅈ").get_json()["results"]]
    assert slugs == ["gangdong-parking"]


def test_facet_filters_narrow_the_results_and_show_as_removable_chips(client, indexed):
    page = client.get("/search?q=&theme=교통").get_data(as_text=True)
    assert "강동구 공영주차장 현황" in page and "공공와이파이" not in page
    assert 'aria-label="조건 해제: 분류 교통"' in page


def test_the_api_reports_bad_parameters_clearly(client, indexed):
    response = client.get("/api/v1/search?q=x&sort=random")
    assert response.status_code == 400
    assert "sort" in response.get_json()["error"]
    assert client.get("/api/v1/search?page=zero").status_code == 400


def test_an_empty_result_offers_a_broader_query_and_popular_searches(client, indexed):
    client.get("/search?q=와이파이")
    page = client.get("/search?q=와이파이 고양이").get_data(as_text=True)
    assert "찾지 못했습니다" in page
    assert "더 넓게 찾기" in page and ">와이파이</a>" in page
    assert "인기검색어" in page


def test_suggest_completes_gu_names_from_initial_consonants(client, indexed):
    suggestions = client.get("/api/v1/suggest?q=ㄱㄷㄱ").get_json()["suggestions"]
    assert {"kind": "gu", "text": "강동구"}.items() <= suggestions[0].items()
