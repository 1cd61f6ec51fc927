"""The CKAN-compatible Action API, driven by the real `ckanapi` client over HTTP."""
import threading
from datetime import datetime, timezone

import ckanapi
import pytest
from werkzeug.serving import make_server

from portal import sync
from tests.factories import make_dataset, make_organisation


@pytest.fixture
def server(app, seeded):
    portal = app.extensions["portal"]
    with portal.sessions.begin() as session:
        division = make_organisation(session, slug="culture-division", name_ko="문화정책과")
        for n in range(25):
            make_dataset(session, slug=f"festival-{n:02d}", title_ko=f"문화축제 정보 {n:02d}",
                         owner=division, theme="문화/관광", formats=["CSV"],
                         keywords=["축제", "문화"], source="seoul", source_id=f"OA-{1000 + n}")
        make_dataset(session, slug="market", title_ko="전통시장 현황", theme="산업/경제",
                     formats=["XLSX"], source="datagokr", source_id="15052837")
        make_dataset(session, slug="internal-festival", title_ko="문화축제 내부 평가",
                     owner=division, internal=True, theme="문화/관광")
        make_dataset(session, slug="withdrawn-festival", title_ko="폐지된 축제 목록",
                     keywords=["폐지"], withdrawn_at=datetime(2026, 1, 5, tzinfo=timezone.utc))
    sync.drain(portal.sessions, portal.search)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield ckanapi.RemoteCKAN(f"http://127.0.0.1:{http.server_port}", user_agent="portal-tests")
    http.shutdown()


def test_package_search_answers_like_ckan(server):
    result = server.action.package_search(q="축제", rows=10, facet_field=None)
    assert result["count"] == 25
    assert len(result["results"]) == 10
    first = result["results"][0]
    assert first["source"] == "seoul" and first["source_id"].startswith("OA-")
    assert first["organization"]["name"] == "culture-division"
    assert {"name": "축제", "display_name": "축제"} in first["tags"]


def test_package_search_pages_with_start_and_rows_without_gaps(server):
    seen = []
    for start in range(0, 30, 7):
        page = server.action.package_search(q="축제", rows=7, start=start, sort="name asc")
        seen += [p["name"] for p in page["results"]]
    assert seen == [f"festival-{n:02d}" for n in range(25)]


def test_fq_and_facets_use_ckan_names(server):
    result = server.call_action("package_search", {
        "fq": 'res_format:"XLSX"', "facet.field": '["organization", "res_format"]', "rows": 5})
    assert [p["name"] for p in result["results"]] == ["market"]
    everything = server.call_action("package_search", {"facet.field": '["res_format"]'})
    assert everything["facets"]["res_format"] == {"CSV": 25, "XLSX": 1}
    items = everything["search_facets"]["res_format"]["items"]
    assert {"name": "CSV", "display_name": "CSV", "count": 25} in items


def test_internal_datasets_are_not_found_anywhere(server):
    assert "internal-festival" not in server.action.package_list()
    assert server.action.package_search(q="내부 평가")["count"] == 0
    with pytest.raises(ckanapi.NotFound):
        server.action.package_show(id="internal-festival")
    shown = server.action.organization_show(id="culture-division", include_datasets=True)
    assert shown["package_count"] == 25


def test_withdrawn_datasets_leave_the_lists_but_keep_their_address(server):
    assert "withdrawn-festival" not in server.action.package_list()
    assert "폐지" not in server.action.tag_list()
    assert server.action.package_show(id="withdrawn-festival")["title"] == "폐지된 축제 목록"


def test_package_show_by_name_and_by_id(server):
    by_name = server.action.package_show(id="market")
    assert server.action.package_show(id=by_name["id"])["name"] == "market"
    assert by_name["source_id"] == "15052837"


def test_organizations_tags_autocomplete_and_status(server):
    assert "gangdong-gu" in server.action.organization_list()
    gangdong = server.action.organization_show(id="gangdong-gu")
    assert gangdong["title"] == "강동구"
    assert {"key": "mois", "value": "11740"} in gangdong["extras"]
    assert server.action.tag_list() == ["문화", "축제"]
    completions = server.action.package_autocomplete(q="전통", limit=5)
    assert completions[0]["name"] == "market"
    assert server.action.status_show()["api_version"] == 3


def test_bad_parameters_are_validation_errors_with_a_message(server):
    with pytest.raises(ckanapi.ValidationError) as error:
        server.call_action("package_search", {"fq": "tags:축제"})
    assert "tags" in str(error.value)
    with pytest.raises(ckanapi.ValidationError):
        server.call_action("package_search", {"sort": "random desc"})
