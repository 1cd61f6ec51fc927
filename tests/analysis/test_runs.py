"""Running a model on catalog tables: what a run stores, and that it can be reproduced."""
import hashlib
from datetime import date

import pandas as pd
import pytest

from models_std.parameters import parameter_hash
from portal.analysis.inputs import InputChoice
from portal.analysis.runs import FAILED, SUCCEEDED, UnknownModel, read_result, run_model
from portal.catalog.access import ADMIN, ANONYMOUS
from tests.analysis.sample_model import MODEL_ID, SEOUL_FIGURES, gu_frame
from tests.factories import add_table_version, make_dataset

Q1 = dict(period_start=date(2024, 1, 1), period_end=date(2024, 3, 31))


@pytest.fixture
def figures(portal, seeded, sample_model):
    with portal.sessions.begin() as session:
        make_dataset(session, slug="population", title_ko="자치구별 인구", with_table=True,
                     store=portal.store, frame=gu_frame(SEOUL_FIGURES))
    return portal


def run(portal, viewer=ANONYMOUS, slug="population", **options):
    options = {"gu_code": "11740", **Q1, **options}
    with portal.sessions.begin() as session:
        stored = run_model(session, portal.store, viewer, MODEL_ID,
                           inputs={"counts": InputChoice.parse("counts", slug)}, **options)
        session.expunge_all()
    return stored


def file_sha256(portal, key):
    return hashlib.sha256(portal.store.path(key).read_bytes()).hexdigest()


def test_a_run_stores_the_model_version_parameters_and_the_table_version_read(figures):
    stored = run(figures)
    with figures.sessions() as session:
        from portal.catalog.models import ModelRun
        again = session.get(ModelRun, stored.id)
        assert again.status == SUCCEEDED and again.model_version == "1.0"
        assert again.parameters == {"weights.scale": 1.0}
        assert again.parameter_hash == parameter_hash({"weights.scale": 1.0})
        assert (again.gu_code, again.period_start, again.period_end) == \
            ("11740", date(2024, 1, 1), date(2024, 3, 31))
        [item] = again.inputs
        assert item.role == "counts" and item.dataset.slug == "population"
        assert item.table_version.number == 1
        assert again.summary == ["강동구의 합계는 25,000명입니다."]
        assert again.charts[0]["series"] == [
            {"label": "합계", "values": again.charts[0]["series"][0]["values"]}]
        assert again.charts[0]["highlight"] == "강동구"
        table = read_result(figures.store, again)
    assert len(table) == 25 == again.result_rows
    gangdong = table[table["unit_id"] == "11740"].iloc[0]
    assert gangdong["value"] == 25_000 and gangdong["seoul_pct_rank"] == 100


def test_the_same_run_again_gives_a_byte_identical_result(figures):
    first = run(figures)
    first_bytes = file_sha256(figures, first.result_key)
    figures.store.path(first.result_key).unlink()  # force the second run to write it anew
    second = run(figures)
    assert second.id != first.id
    assert second.result_key == first.result_key and second.result_hash == first.result_hash
    assert file_sha256(figures, second.result_key) == first_bytes


def test_changing_a_weight_changes_the_parameter_hash_and_the_result(figures):
    default = run(figures)
    doubled = run(figures, parameters={"weights.scale": "2"})
    assert doubled.parameters == {"weights.scale": 2.0}
    assert doubled.parameter_hash != default.parameter_hash
    assert doubled.result_hash != default.result_hash
    assert "50,000명" in doubled.summary[0]


def test_a_given_version_is_read_instead_of_the_newest(figures):
    with figures.sessions.begin() as session:
        from portal.catalog.datasets import get_by_slug
        add_table_version(session, get_by_slug(session, "population"), figures.store,
                          gu_frame({**SEOUL_FIGURES, "강동구": 1.0}))
    newest, first = run(figures), run(figures, slug="population@1")
    assert newest.result_hash != first.result_hash
    assert "25,000명" in first.summary[0] and "1명" in newest.summary[0]


def test_a_model_that_fails_on_the_data_is_stored_as_a_failed_run(figures):
    with figures.sessions.begin() as session:
        make_dataset(session, slug="empty-figures", with_table=True, store=figures.store,
                     frame=pd.DataFrame({"자치구": ["종로구", "중구"],
                                         "인구": [float("nan"), float("nan")]}))
    stored = run(figures, slug="empty-figures")
    assert stored.status == FAILED and stored.error_message == "값 열에 숫자가 없습니다."
    assert stored.result_key is None


def test_an_unknown_model_is_named_with_the_known_ones(figures):
    with figures.sessions.begin() as session, pytest.raises(UnknownModel, match="gu-sums"):
        run_model(session, figures.store, ADMIN, "no-such-model", gu_code="11740", **Q1,
                  inputs={})
