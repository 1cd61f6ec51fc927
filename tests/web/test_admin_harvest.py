"""The admin harvest page: sign-in, sources and runs, 지금 실행 against the recorded
responses, the progress endpoint, CSRF on every POST."""
from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select

from portal import scheduler
from portal.app import Portal, create_app
from portal.catalog.models import HarvestItem, HarvestRun, utcnow
from portal.config import load_config
from tests.conftest import SAMPLE

ADMIN = {"X-Portal-Admin-Token": "test-admin-token"}


@pytest.fixture
def admin_portal(config):
    overrides = {("data", "dir"): str(config.data_dir),
                 ("database", "url"): config.database_url,
                 ("admin", "token"): "test-admin-token", ("demo", "dir"): str(SAMPLE),
                 # One catalog entry, served by the replay server over real HTTP.
                 ("harvest", "seoul_base_url"): "replay:/seoul-full",
                 ("scheduler", "seoul"): "0 3 * * *"}
    state = Portal.from_config(load_config(config.base_dir / "absent.toml", env={},
                                           overrides=overrides))
    yield state
    state.close()


@pytest.fixture
def client(admin_portal):
    app = create_app(portal=admin_portal)
    app.config["TESTING"] = True
    return app.test_client()


def csrf_of(response) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                     response.get_data(as_text=True)).group(1)


def add_run(portal, source="seoul", status="succeeded", failed_items=(), **counts):
    with portal.sessions.begin() as session:
        run = HarvestRun(source=source, status=status, started_at=utcnow(),
                         finished_at=None if status == "running" else utcnow(),
                         failed=len(failed_items), **counts)
        session.add(run)
        session.flush()
        for source_id, code, message in failed_items:
            session.add(HarvestItem(run_id=run.id, source_id=source_id, status="failed",
                                    error_code=code, error_message=message))
    return run.id


def run_count(portal) -> int:
    with portal.sessions() as session:
        return session.scalar(select(func.count()).select_from(HarvestRun))


def test_a_browser_without_the_token_is_sent_to_the_login_form(client):
    response = client.get("/admin/harvest")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/login?next=/admin/harvest"
    assert "관리자 로그인" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_json_and_posts_without_the_token_are_forbidden(client, admin_portal):
    run_id = add_run(admin_portal)
    response = client.get(f"/admin/harvest/runs/{run_id}.json")
    assert response.status_code == 403 and "관리자" in response.json["error"]
    assert client.post("/admin/harvest/seoul/run").status_code == 403
    assert client.post("/admin/upload").status_code == 403
    assert run_count(admin_portal) == 1


def test_the_login_form_refuses_a_wrong_token_and_signs_in_with_the_right_one(client):
    form = client.get("/admin/login")
    wrong = client.post("/admin/login", data={"csrf_token": csrf_of(form), "token": "guess"})
    assert wrong.status_code == 403 and "맞지 않습니다" in wrong.get_data(as_text=True)
    assert client.get("/admin/harvest").status_code == 302

    right = client.post("/admin/login?next=/admin/upload",
                        data={"csrf_token": csrf_of(form), "token": "test-admin-token"})
    assert right.status_code == 302 and right.headers["Location"] == "/admin/upload"
    page = client.get("/admin/harvest")
    assert page.status_code == 200 and 'href="/admin/harvest">관리</a>' in page.get_data(
        as_text=True)

    client.post("/admin/logout", data={"csrf_token": csrf_of(page)})
    assert client.get("/admin/harvest").status_code == 302


def test_the_login_form_does_not_send_a_browser_to_another_site(client):
    form = client.get("/admin/login")
    response = client.post("/admin/login?next=//evil.example/",
                           data={"csrf_token": csrf_of(form), "token": "test-admin-token"})
    assert response.headers["Location"] == "/admin/harvest"


def test_the_page_lists_sources_schedules_and_runs_with_their_failed_items(client,
                                                                          admin_portal):
    add_run(admin_portal, source="kosis", new=12)
    failed = add_run(admin_portal, status="partially_failed", unchanged=7, failed_items=[
        ("OA-15486", "http-404", "HTTP 404 Not Found"),
        ("OA-2734", "ERROR-500", "서버 오류")])
    html = client.get("/admin/harvest", headers=ADMIN).get_data(as_text=True)
    assert "서울 열린데이터광장" in html and "통계청 KOSIS" in html
    assert "<code>0 3 * * *</code>" in html and "일정 없음" in html  # seoul; kosis
    assert f'href="/admin/harvest/runs/{failed}"' in html and "일부 실패" in html
    assert "OA-15486" in html and "http-404" in html and "HTTP 404 Not Found" in html
    assert "신규 12" in html

    run_page = client.get(f"/admin/harvest/runs/{failed}", headers=ADMIN)
    text = run_page.get_data(as_text=True)
    assert "실패 항목 <span class=\"meta\">2건" in text and "ERROR-500" in text


def test_the_run_history_is_paged(client, admin_portal):
    ids = [add_run(admin_portal) for _ in range(23)]
    first = client.get("/admin/harvest", headers=ADMIN).get_data(as_text=True)
    second = client.get("/admin/harvest?page=2", headers=ADMIN).get_data(as_text=True)
    assert f">#{ids[-1]}</a>" in first and f">#{ids[2]}</a>" not in first
    assert f">#{ids[2]}</a>" in second and "2 / 2" in second


def test_the_progress_endpoint_reports_status_counts_and_expected(client, admin_portal):
    run_id = add_run(admin_portal, status="running", expected=100, new=3, unchanged=40,
                     failed_items=[("OA-1", "31", "quota")])
    progress = client.get(f"/admin/harvest/runs/{run_id}.json", headers=ADMIN).json
    assert progress["status"] == "running" and progress["expected"] == 100
    assert (progress["new"], progress["unchanged"], progress["failed"]) == (3, 40, 1)
    assert progress["processed"] == 44
    html = client.get("/admin/harvest", headers=ADMIN).get_data(as_text=True)
    assert 'max="100" value="44"' in html and "처리 44건 / 전체 100건" in html
    assert "js/admin-progress.js" in html
    assert client.get("/admin/harvest/runs/999.json", headers=ADMIN).status_code == 404


def wait_for_harvest_threads() -> None:
    for thread in threading.enumerate():
        if thread.name.startswith("harvest-"):
            thread.join()


def test_run_now_harvests_the_replay_server_in_the_background_as_admin(client,
                                                                      admin_portal):
    page = client.get("/admin/harvest", headers=ADMIN)
    response = client.post("/admin/harvest/seoul/run", headers=ADMIN,
                           data={"csrf_token": csrf_of(page)})
    assert response.status_code == 302
    wait_for_harvest_threads()

    with admin_portal.sessions() as session:
        [run] = session.scalars(select(HarvestRun)).all()
    assert (run.source, run.trigger) == ("seoul", "admin")
    assert run.status in ("succeeded", "partially_failed") and run.finished_at is not None
    html = client.get("/admin/harvest", headers=ADMIN).get_data(as_text=True)
    assert "수집을 시작했습니다" in html and "관리 화면" in html


def test_run_now_refuses_while_a_run_of_the_source_is_going_on(client, admin_portal):
    running = add_run(admin_portal, status="running")  # e.g. in the scheduler process
    page = client.get("/admin/harvest", headers=ADMIN)
    response = client.post("/admin/harvest/seoul/run", headers=ADMIN,
                           data={"csrf_token": csrf_of(page)}, follow_redirects=True)
    assert "이미 실행 중입니다" in response.get_data(as_text=True)
    assert run_count(admin_portal) == 1

    with admin_portal.sessions.begin() as session:
        session.get(HarvestRun, running).status = "failed"
    lock = scheduler.claim(admin_portal, "seoul")  # a run-now thread of this process
    try:
        response = client.post("/admin/harvest/seoul/run", headers=ADMIN,
                               data={"csrf_token": csrf_of(page)}, follow_redirects=True)
    finally:
        lock.release()
    assert "이미 실행 중입니다" in response.get_data(as_text=True)
    assert run_count(admin_portal) == 1


def test_posts_without_a_valid_csrf_token_are_refused_and_change_nothing(client,
                                                                        admin_portal):
    client.get("/admin/harvest", headers=ADMIN)  # a session exists, its token is not sent
    for data in ({}, {"csrf_token": "forged"}):
        response = client.post("/admin/harvest/seoul/run", headers=ADMIN, data=data)
        assert response.status_code == 400
        assert "새로 고친 뒤" in response.get_data(as_text=True)
    assert client.post("/admin/login", data={"token": "test-admin-token"}).status_code == 400
    assert client.get("/admin/harvest").status_code == 302  # not signed in
    assert run_count(admin_portal) == 0


def test_run_now_of_an_unknown_source_is_not_found(client):
    page = client.get("/admin/harvest", headers=ADMIN)
    response = client.post("/admin/harvest/nowhere/run", headers=ADMIN,
                           data={"csrf_token": csrf_of(page)})
    assert response.status_code == 404
