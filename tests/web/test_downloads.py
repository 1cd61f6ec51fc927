"""Downloads of a table version: CSV (UTF-8 with BOM, CP949), XLSX, JSON, JSON Lines."""
import io
import json
from urllib.parse import quote

import openpyxl
import pandas as pd
import pytest

from portal.web import downloads
from tests.factories import add_cinema_and_internal_cctv, cctv_in_two_versions, make_dataset

ADMIN = {"X-Portal-Admin-Token": "test-admin-token"}
TITLE = "서울시 영화상영관 인허가 정보"


@pytest.fixture
def catalog(app, seeded):
    portal = app.extensions["portal"]
    add_cinema_and_internal_cctv(portal)
    return portal


def download(client, name, slug="cinema", **params):
    response = client.get(f"/datasets/{slug}/download/{name}", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


def test_utf8_csv_starts_with_a_bom_and_holds_every_row(client, catalog):
    response = download(client, "csv")
    body = response.get_data()
    assert body[:3] == b"\xef\xbb\xbf"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    frame = pd.read_csv(io.BytesIO(body), encoding="utf-8-sig")
    assert frame.shape == (903, 56)
    assert frame.columns[0] == "개방자치단체코드"
    assert "영업/정상" in set(frame["영업상태명"])
    assert frame["인허가일자"].iloc[0] == "2005-03-22"  # a date without a midnight time
    assert frame["최종수정일자"].str.fullmatch(r"\d{4}-\d\d-\d\d( \d\d:\d\d:\d\d)?").all()


def test_cp949_csv_decodes_with_korean_text(client, catalog):
    body = download(client, "csv-cp949").get_data()
    assert not body.startswith(b"\xef\xbb\xbf")
    text = body.decode("cp949")
    assert text.startswith('"개방자치단체코드","관리번호",')
    assert "영업/정상" in text and "폐업" in text
    assert len(pd.read_csv(io.StringIO(text))) == 903


def test_cp949_refuses_characters_it_cannot_hold_unless_asked_to_replace_them(client, app,
                                                                               seeded):
    portal = app.extensions["portal"]
    frame = pd.DataFrame({"자치구": ["강남구", "종로구"], "상호": ["길동상회", "𠮷野家 🍜"]})
    with portal.sessions.begin() as session:
        make_dataset(session, slug="rare", title_ko="드문 문자", with_table=True,
                     store=portal.store, frame=frame)
    refused = client.get("/datasets/rare/download/csv-cp949")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "상호" in page and "U+20BB7" in page
    assert "/datasets/rare/download/csv-cp949?version=1&amp;replace=1" in page
    replaced = download(client, "csv-cp949", slug="rare", replace="1")
    assert replaced.headers["X-Portal-Replaced-Characters"] == "?"
    assert replaced.get_data().decode("cp949").splitlines()[2] == '"종로구","?野家 ?"'
    assert "𠮷野家 🍜" in download(client, "csv", slug="rare").get_data().decode("utf-8-sig")


def test_xlsx_opens_in_openpyxl_with_every_row(client, catalog):
    response = download(client, "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 904
    assert rows[0][:2] == ("개방자치단체코드", "관리번호")
    header = list(rows[0])
    statuses = {row[header.index("영업상태명")] for row in rows[1:]}
    assert "영업/정상" in statuses
    areas = [row[header.index("시설면적")] for row in rows[1:]]
    assert 13761 in areas and None in areas


def test_xlsx_of_a_table_beyond_the_excel_limit_is_refused_with_a_reason(client, catalog,
                                                                         monkeypatch):
    monkeypatch.setattr(downloads, "XLSX_MAX_ROWS", 900)
    response = client.get("/datasets/cinema/download/xlsx")
    assert response.status_code == 422
    assert "903" in response.get_data(as_text=True) and "CSV" in response.get_data(as_text=True)
    page = client.get("/datasets/cinema").get_data(as_text=True)
    assert "XLSX로는 받을 수 없습니다" in page


def test_json_is_an_array_of_rows_with_numbers_and_nulls(client, catalog):
    data = json.loads(download(client, "json").get_data())
    assert len(data) == 903
    assert list(data[0])[:2] == ["개방자치단체코드", "관리번호"]
    areas = [row["시설면적"] for row in data]
    assert 13761 in areas and None in areas
    lines = download(client, "jsonl").get_data().decode().splitlines()
    assert len(lines) == 903 and json.loads(lines[0]) == data[0]


def test_csv_and_json_stream_instead_of_building_the_file(client, catalog):
    for name in ("csv", "csv-cp949", "json", "jsonl"):
        assert download(client, name).is_streamed


def test_the_filename_is_the_korean_title_in_rfc5987_form(client, catalog):
    disposition = download(client, "csv").headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="cinema_v1.csv"')
    assert f"filename*=UTF-8''{quote(TITLE + '_v1.csv', safe='')}" in disposition
    xlsx = download(client, "xlsx").headers["Content-Disposition"]
    assert f"filename*=UTF-8''{quote(TITLE + '_v1.xlsx', safe='')}" in xlsx


def test_an_older_version_downloads_with_version(client, catalog):
    cctv_in_two_versions(catalog)
    latest = download(client, "csv", slug="cctv").get_data().decode("utf-8-sig")
    first = download(client, "csv", slug="cctv", version=1).get_data().decode("utf-8-sig")
    assert '"강남구",9999' in latest and '"강남구",2780' in first
    assert client.get("/datasets/cctv/download/csv?version=5").status_code == 404
    assert client.get("/datasets/cctv/download/csv?version=abc").status_code == 400


def test_the_download_list_shows_formats_rows_and_the_original_size(client, catalog):
    page = client.get("/datasets/cinema").get_data(as_text=True)
    for label in ("CSV (UTF-8)", "CSV (CP949)", "Excel (XLSX)", "JSON"):
        assert label in page
    assert "/datasets/cinema/download/csv" in page
    assert "406.4 kB" in page  # the original file as received


@pytest.mark.parametrize("name", [*downloads.FORMATS, "nonsense"])
def test_an_internal_dataset_download_is_exactly_a_missing_one(client, catalog, name):
    internal = client.get(f"/datasets/secret-cctv/download/{name}")
    missing = client.get(f"/datasets/no-such-dataset/download/{name}")
    assert internal.status_code == missing.status_code == 404
    assert internal.get_data() == missing.get_data()
    expected = 404 if name == "nonsense" else 200
    assert client.get(f"/datasets/secret-cctv/download/{name}",
                      headers=ADMIN).status_code == expected
