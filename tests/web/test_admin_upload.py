"""Division uploads on the admin page: real files through the one ingest path; a rejected
file says what and where in Korean and leaves no dataset, version or outbox row."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from portal.app import Portal, create_app
from portal.catalog.models import Dataset, OutboxEntry, TableVersion
from portal.config import load_config
from tests.conftest import SAMPLE

ADMIN = {"X-Portal-Admin-Token": "test-admin-token"}
CP949_CSV = SAMPLE / "mois" / "202505_202505_주민등록인구및세대현황_월간_시도.csv"
XLS = SAMPLE / "seoul_opendata" / "population_in_Seoul_2017Q1.xls"
HEADER_ONLY = SAMPLE / "seoul_opendata" / "서울시 공공와이파이 서비스 위치 정보_HEADER_ONLY.csv"


@pytest.fixture
def admin(seeded, client):
    return client


def csrf(client) -> str:
    page = client.get("/admin/upload", headers=ADMIN)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                     page.get_data(as_text=True)).group(1)


def upload(client, data: bytes, filename: str, **fields):
    form = {"csrf_token": csrf(client), "mode": "new", "slug": "jongno-population",
            "title": "종로구 주민등록 인구", "description": "월별 주민등록 인구",
            "owner": "jongno-gu", "visibility": "public", "licence": "KOGL-1",
            "update_cycle": "monthly", "theme": "인구/가구", **fields,
            "file": (io.BytesIO(data), filename)}
    return client.post("/admin/upload", headers=ADMIN, data=form,
                       content_type="multipart/form-data", follow_redirects=True)


def counts(portal) -> tuple[int, int, int]:
    with portal.sessions() as session:
        return tuple(session.scalar(select(func.count()).select_from(model))
                     for model in (Dataset, TableVersion, OutboxEntry))


def test_a_cp949_csv_becomes_a_dataset_with_its_metadata_and_first_version(admin, portal):
    response = upload(admin, CP949_CSV.read_bytes(), CP949_CSV.name, visibility="internal")
    assert response.status_code == 200
    assert "1번째 버전을 등록했습니다" in response.get_data(as_text=True)
    with portal.sessions() as session:
        dataset = session.scalar(select(Dataset).where(Dataset.slug == "jongno-population"))
        version = session.scalar(select(TableVersion))
        assert (dataset.title_ko, dataset.visibility, dataset.licence, dataset.update_cycle,
                dataset.theme, dataset.owner.slug, dataset.source) == \
            ("종로구 주민등록 인구", "internal", "KOGL-1", "monthly", "인구/가구",
             "jongno-gu", "upload")
        assert (version.number, version.encoding, version.source_format) == (1, "cp949", "csv")
        assert version.original_filename == CP949_CSV.name and version.row_count > 10
    assert counts(portal)[2] >= 1  # search is told in the same transaction


def test_a_real_xls_workbook_is_read_with_its_header_rows(admin, portal):
    response = upload(admin, XLS.read_bytes(), XLS.name, slug="seoul-population-2017q1")
    assert "1번째 버전을 등록했습니다" in response.get_data(as_text=True)
    with portal.sessions() as session:
        version = session.scalar(select(TableVersion))
        assert version.source_format == "xls" and version.row_count >= 25


def test_a_changed_file_adds_a_version_and_the_same_file_adds_none(admin, portal):
    first = "자치구,인구\n종로구,140000\n중구,120000\n".encode()
    upload(admin, first, "인구.csv")
    changed = "자치구,인구\n종로구,141000\n중구,121000\n".encode()
    response = upload(admin, changed, "인구.csv", mode="existing", title="")
    assert "2번째 버전을 등록했습니다" in response.get_data(as_text=True)
    again = upload(admin, changed, "인구.csv", mode="existing", title="")
    assert "새 버전을 만들지 않았습니다" in again.get_data(as_text=True)
    with portal.sessions() as session:
        assert session.scalars(select(TableVersion.number)
                               .order_by(TableVersion.number)).all() == [1, 2]
        dataset = session.scalar(select(Dataset))
        assert dataset.title_ko == "종로구 주민등록 인구"  # metadata kept as it was


def test_a_ragged_csv_is_refused_with_its_line_and_changes_nothing(admin, portal):
    before = counts(portal)
    ragged = "자치구,인구\n종로구,140000\n중구,120,000\n".encode("cp949")
    response = upload(admin, ragged, "ragged.csv")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "등록하지 않았습니다" in html and "파일 ragged.csv, 3번째 줄" in html
    assert "3번째 줄의 값이 3개로 머리글의 2개와 다릅니다" in html
    assert counts(portal) == before == (0, 0, 0)


def test_a_real_file_with_a_header_and_no_rows_is_refused_and_changes_nothing(admin, portal):
    response = upload(admin, HEADER_ONLY.read_bytes(), HEADER_ONLY.name)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "데이터 행이 없습니다" in html
    assert HEADER_ONLY.name in html
    assert counts(portal) == (0, 0, 0)


def test_a_version_for_a_missing_dataset_is_refused(admin, portal):
    response = upload(admin, CP949_CSV.read_bytes(), CP949_CSV.name, mode="existing",
                      slug="no-such-dataset")
    assert response.status_code == 422
    assert "no-such-dataset&#39;인 데이터셋이 없습니다" in response.get_data(as_text=True)
    assert counts(portal) == (0, 0, 0)


def test_a_new_dataset_needs_a_title_a_valid_slug_and_a_free_one(admin, portal):
    data = CP949_CSV.read_bytes()
    no_title = upload(admin, data, CP949_CSV.name, title="")
    assert "제목이 필요합니다" in no_title.get_data(as_text=True)
    bad_slug = upload(admin, data, CP949_CSV.name, slug="종로 인구")
    assert "영문 소문자, 숫자, 하이픈" in bad_slug.get_data(as_text=True)
    assert counts(portal) == (0, 0, 0)
    upload(admin, data, CP949_CSV.name)
    taken = upload(admin, data, CP949_CSV.name)
    assert taken.status_code == 422 and "이미 쓰이고 있습니다" in taken.get_data(as_text=True)


def test_only_csv_xlsx_and_xls_files_are_taken(admin, portal):
    response = upload(admin, b'[{"a": 1}]', "rows.json")
    assert response.status_code == 422
    assert "CSV, XLSX, XLS 파일만" in response.get_data(as_text=True)
    assert counts(portal) == (0, 0, 0)


def test_an_upload_without_the_csrf_token_is_refused(admin, portal):
    admin.get("/admin/upload", headers=ADMIN)
    response = admin.post("/admin/upload", headers=ADMIN, content_type="multipart/form-data",
                          data={"mode": "new", "slug": "x-data", "title": "제목",
                                "file": (io.BytesIO(CP949_CSV.read_bytes()), "a.csv")})
    assert response.status_code == 400
    assert counts(portal) == (0, 0, 0)


def test_a_file_over_the_size_limit_is_refused_with_the_limit(config, seeded):
    small = load_config(config.base_dir / "absent.toml", env={}, overrides={
        ("data", "dir"): str(config.data_dir), ("database", "url"): config.database_url,
        ("admin", "token"): "test-admin-token", ("ingest", "max_upload_mb"): 1})
    portal = Portal.from_config(small)
    try:
        client = create_app(portal=portal).test_client()
        response = upload(client, b"a,b\n" + b"1,2\n" * 300_000, "big.csv")
        assert response.status_code == 413
        assert "1 MB 이하의 파일만" in response.get_data(as_text=True)
        assert counts(portal) == (0, 0, 0)
    finally:
        portal.close()
