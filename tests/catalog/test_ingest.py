"""The one ingest path, end to end on real files: versions, hashes, profiles, refusals."""
from pathlib import Path

import pytest
import xlrd
from sqlalchemy import func, select

from portal.catalog import datasets
from portal.catalog.errors import IngestError
from portal.catalog.ingest import ingest_bytes, ingest_file
from portal.catalog.models import OutboxEntry, TableVersion

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
CCTV = SAMPLE / "seoul_opendata" / "CCTV_in_Seoul.csv"


@pytest.fixture
def dataset(session):
    return datasets.create_dataset(session, "cctv", title_ko="서울시 자치구 CCTV 설치현황")


def versions(session):
    return session.scalar(select(func.count()).select_from(TableVersion))


def test_a_real_file_becomes_a_version_with_its_original_and_profile(session, portal, dataset):
    outcome = ingest_file(session, portal.store, dataset, CCTV)
    session.commit()
    version = outcome.version
    assert outcome.created and version.number == 1
    assert (version.row_count, version.column_count) == (25, 6)
    assert version.encoding == "utf-8-sig" and version.source_format == "csv"
    assert portal.store.path(version.original_key).read_bytes() == CCTV.read_bytes()
    stored = portal.store.read_table(version.parquet_key)
    assert list(stored.columns) == ["기관명", "소계", "2013년도 이전", "2014년", "2015년", "2016년"]
    assert version.profile["dimensions"]["gu"]["column"] == "기관명"
    assert dataset.formats == ["CSV"]


def test_the_same_content_again_adds_no_version(session, portal, dataset):
    first = ingest_file(session, portal.store, dataset, CCTV)
    session.commit()
    again = ingest_file(session, portal.store, dataset, CCTV)
    session.commit()
    assert not again.created and again.version.id == first.version.id
    assert versions(session) == 1


def test_the_same_table_in_another_encoding_adds_no_version(session, portal, dataset):
    ingest_file(session, portal.store, dataset, CCTV)
    session.commit()
    cp949 = CCTV.read_bytes().decode("utf-8-sig").encode("cp949")
    outcome = ingest_bytes(session, portal.store, dataset, cp949, CCTV.name)
    assert not outcome.created


def test_changed_content_adds_a_version_and_keeps_the_earlier_one(session, portal, dataset):
    first = ingest_file(session, portal.store, dataset, CCTV)
    session.commit()
    changed = CCTV.read_bytes().decode("utf-8-sig").replace('"강남구","2780"', '"강남구","2781"')
    assert changed != CCTV.read_bytes().decode("utf-8-sig")
    second = ingest_bytes(session, portal.store, dataset, changed.encode("utf-8"), CCTV.name)
    session.commit()
    assert second.created and second.version.number == 2
    old = portal.store.read_table(first.version.parquet_key)
    new = portal.store.read_table(second.version.parquet_key)
    assert old.loc[old["기관명"] == "강남구", "소계"].item() == 2780
    assert new.loc[new["기관명"] == "강남구", "소계"].item() == 2781


def test_a_new_version_writes_an_outbox_entry_for_search(session, portal, dataset):
    session.commit()
    before = session.scalar(select(func.count()).select_from(OutboxEntry))
    ingest_file(session, portal.store, dataset, CCTV)
    session.commit()
    assert session.scalar(select(func.count()).select_from(OutboxEntry)) > before


def test_a_ragged_file_is_refused_with_its_row_and_nothing_changes(session, portal, dataset):
    ingest_file(session, portal.store, dataset, CCTV)
    session.commit()
    bad = "기관명,소계\n강남구,3238\n서초구,2297,99,100\n".encode("utf-8")
    with pytest.raises(IngestError) as error:
        ingest_bytes(session, portal.store, dataset, bad, "cctv.csv")
    session.rollback()
    assert error.value.row == 3
    assert "cctv.csv" in str(error.value)
    assert versions(session) == 1


def test_a_file_over_the_size_limit_is_refused_before_reading(session, portal, dataset):
    with pytest.raises(IngestError, match="limit"):
        ingest_file(session, portal.store, dataset, CCTV, max_bytes=100)


def test_a_missing_file_is_a_clear_error(session, portal, dataset):
    with pytest.raises(IngestError, match="cannot read"):
        ingest_file(session, portal.store, dataset, SAMPLE / "nope.csv")


def test_population_by_gu_totals_exclude_the_sum_row(session, portal, dataset):
    """population_in_Seoul_2017Q1.xls: a 합계 row, then 25 gu. The 25 gu rows summed by hand
    (pandas over rows 2-26 of the sheet) give the 합계 row's figures."""
    path = SAMPLE / "seoul_opendata" / "population_in_Seoul_2017Q1.xls"
    version = ingest_file(session, portal.store, dataset, path).version
    sheet = xlrd.open_workbook(str(path)).sheet_by_index(0)
    gu_rows = [sheet.row_values(i) for i in range(4, 29)]  # under 3 header rows and 합계
    assert len(gu_rows) == 25
    by_hand = sum(int(row[3]) for row in gu_rows)  # 인구 합계 계
    profile = version.profile
    population = next(m["name"] for m in profile["measures"] if m["columns"] == [
        profile["column_order"][3]])
    assert profile["total_row_count"] == 1
    assert profile["totals"][population] == by_hand == 10_197_604
    assert profile["source_totals"][population] == by_hand
    assert sum(profile["by_gu"][population].values()) == by_hand


def test_coverage_is_filled_from_the_table_when_the_metadata_has_none(session, portal, dataset):
    ingest_file(session, portal.store, dataset, CCTV)
    assert len(dataset.spatial_coverage) == 25 and "11740" in dataset.spatial_coverage
    # the yearly columns run from "2013년도 이전" to 2016
    assert dataset.temporal_start.year == 2013 and dataset.temporal_end.year == 2016
