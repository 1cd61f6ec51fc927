"""`portal load-demo` on the real files of sample_data/."""
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.catalog import queries
from portal.catalog.access import ANONYMOUS
from portal.catalog.models import Dataset, TableVersion
from portal.demo import DEMO_TABLES, SEOUL_CATALOG, load_demo

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"

pytestmark = pytest.mark.slow


@pytest.fixture
def loaded(portal):
    # The models' generated inputs have their own tests (tests/analysis).
    report = load_demo(portal, with_models=False)
    return portal, report


def test_the_demo_loads_every_catalog_entry_and_every_table(loaded):
    portal, report = loaded
    entries = json.loads((SAMPLE / SEOUL_CATALOG).read_text(encoding="utf-8"))
    assert report.catalog_added == len(entries) == 8212
    assert report.tables["new"] == len(DEMO_TABLES)
    with portal.sessions() as session:
        assert session.scalar(select(func.count()).select_from(TableVersion)) == len(DEMO_TABLES)


def test_a_second_run_loads_nothing_twice(loaded):
    portal, _ = loaded
    with portal.sessions() as session:
        before = session.scalar(select(func.count()).select_from(Dataset))
    again = load_demo(portal, with_models=False)
    assert again.catalog_added == 0 and again.tables["new"] == 0
    with portal.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Dataset)) == before


def test_gu_datasets_of_the_catalog_belong_to_their_gu(loaded):
    portal, _ = loaded
    with portal.sessions() as session:
        dataset = session.scalar(select(Dataset).where(Dataset.source_id == "OA-12615"))
        assert dataset.title_ko == "서울시 강동구 명일2동 주민센터 새소식 정보"
        assert dataset.owner.name_ko == "강동구" and dataset.spatial_coverage == ["11740"]


def test_the_internal_demo_table_is_hidden_from_the_public(loaded):
    portal, _ = loaded
    with portal.sessions() as session:
        assert queries.get_dataset(session, ANONYMOUS, "internal-admin-dong-codes") is None
        assert queries.count_datasets(session, ANONYMOUS) == 8212 + len(DEMO_TABLES) - 1 - 3
