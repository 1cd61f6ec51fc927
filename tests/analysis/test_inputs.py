"""Inputs and fields a person can get wrong: each error says, in Korean, what and where."""
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import func, select

from portal.analysis.inputs import InputChoice, RunInputError
from portal.analysis.requests import (RequestError, parse_gu, parse_parameters,
                                      parse_period_text)
from portal.analysis.runs import run_model
from portal.catalog.access import ANONYMOUS
from portal.catalog.models import ModelRun
from tests.analysis.sample_model import MODEL_ID, SEOUL_FIGURES, gu_frame
from tests.factories import make_dataset, make_organisation


@pytest.fixture
def catalog(portal, seeded, sample_model):
    with portal.sessions.begin() as session:
        division = make_organisation(session, slug="welfare-team", name_ko="복지정책과")
        make_dataset(session, slug="population", title_ko="자치구별 인구", with_table=True,
                     store=portal.store, frame=gu_frame(SEOUL_FIGURES))
        make_dataset(session, slug="cases", title_ko="자치구별 건수", with_table=True,
                     store=portal.store, frame=gu_frame(SEOUL_FIGURES, column="건수"))
        make_dataset(session, slug="no-measure", title_ko="자치구 목록", with_table=True,
                     store=portal.store,
                     frame=pd.DataFrame({"자치구": ["종로구", "중구"], "비고": ["가", "나"]}))
        make_dataset(session, slug="secret", title_ko="내부 인구", internal=True,
                     owner=division, with_table=True, store=portal.store,
                     frame=gu_frame(SEOUL_FIGURES))
        make_dataset(session, slug="catalog-only", title_ko="표 없는 데이터")
    return portal


def attempt(portal, slug, viewer=ANONYMOUS, role="counts"):
    with portal.sessions.begin() as session:
        return run_model(session, portal.store, viewer, MODEL_ID, gu_code="11740",
                         period_start=date(2024, 1, 1), period_end=date(2024, 12, 31),
                         inputs={role: InputChoice.parse(role, slug)} if slug else {})


def test_a_missing_column_names_the_dataset_and_the_column(catalog):
    with pytest.raises(RunInputError) as error:
        attempt(catalog, "no-measure")
    assert str(error.value) == ("데이터셋 '자치구 목록'(no-measure)에 '자치구별 수치' 입력에 "
                                "필요한 열이 없습니다: 값")
    assert error.value.role == "counts"


def test_header_variants_are_renamed_by_the_role_aliases(catalog):
    assert attempt(catalog, "cases").status == "succeeded"


def test_an_internal_dataset_is_as_unknown_as_a_missing_one_to_the_public(catalog):
    with pytest.raises(RunInputError) as hidden:
        attempt(catalog, "secret")
    with pytest.raises(RunInputError) as missing:
        attempt(catalog, "no-such-dataset")
    assert str(hidden.value) == "데이터셋 'secret'을(를) 찾을 수 없습니다."
    assert str(missing.value) == "데이터셋 'no-such-dataset'을(를) 찾을 수 없습니다."
    with catalog.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ModelRun)) == 0


def test_a_dataset_without_a_table_or_version_says_so(catalog):
    with pytest.raises(RunInputError, match="'표 없는 데이터'에 표 데이터이\\(가\\) 없습니다"):
        attempt(catalog, "catalog-only")
    with pytest.raises(RunInputError, match="'자치구별 인구'에 7번 버전이\\(가\\) 없습니다"):
        attempt(catalog, "population@7")


def test_a_required_role_left_out_and_an_unknown_role_are_errors(catalog):
    with pytest.raises(RunInputError, match="'자치구별 수치' 입력에 쓸 데이터셋을 선택해"):
        attempt(catalog, None)
    with pytest.raises(RunInputError, match="입력 'events'이\\(가\\) 없습니다"):
        attempt(catalog, "population", role="events")


@pytest.mark.parametrize("text", ["강동구", "강동", "Gangdong-gu", "11740"])
def test_a_gu_is_read_by_name_or_mois_code(text):
    assert parse_gu(text) == "11740"


@pytest.mark.parametrize("text", ["", "부산진구", "11250", "서울특별시"])
def test_anything_else_is_not_a_gu(text):
    with pytest.raises(RequestError) as error:
        parse_gu(text)
    assert error.value.field == "gu"


def test_periods_are_checked():
    assert parse_period_text("2024-01-01:2024-03-31").end == date(2024, 3, 31)
    with pytest.raises(RequestError, match="시작:끝 형식"):
        parse_period_text("2024-01-01")
    with pytest.raises(RequestError, match="YYYY-MM-DD"):
        parse_period_text("2024-13-01:2024-12-31")
    with pytest.raises(RequestError, match="끝이 시작보다 빠릅니다") as error:
        parse_period_text("2024-03-31:2024-01-01")
    assert error.value.field == "period_end"


def test_parameters_outside_their_range_or_not_numbers_are_refused(sample_model):
    assert parse_parameters(sample_model, {"weights.scale": " "}) == {"weights.scale": 1.0}
    for value, message in (("11", "최댓값 10보다 큽니다"), ("-1", "최솟값 0보다 작습니다"),
                           ("많이", "숫자여야 합니다")):
        with pytest.raises(RequestError, match=message) as error:
            parse_parameters(sample_model, {"weights.scale": value})
        assert error.value.field == "param.weights.scale"
    with pytest.raises(RequestError, match="'speed' 매개변수가 없습니다"):
        parse_parameters(sample_model, {"speed": "1"})
