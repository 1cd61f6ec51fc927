"""`portal model list` and `portal model run`, run as a person runs them."""
import pytest
from click.testing import CliRunner

from portal.cli import cli
from tests.analysis.sample_model import SEOUL_FIGURES, gu_frame
from tests.factories import make_dataset


@pytest.fixture
def run(portal, seeded, sample_model, config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with portal.sessions.begin() as session:
        make_dataset(session, slug="population", title_ko="자치구별 인구", with_table=True,
                     store=portal.store, frame=gu_frame(SEOUL_FIGURES))
    env = {"PORTAL_DATA__DIR": str(config.data_dir),
           "PORTAL_DATABASE__URL": config.database_url}

    def invoke(*args):
        return CliRunner().invoke(cli, ["model", *args], env=env, catch_exceptions=False)
    return invoke


def test_model_list_shows_inputs_and_parameters(run):
    output = run("list").output
    assert "gu-sums  자치구 합계 모델 (Sums by gu), version 1.0" in output
    assert "input counts: 자치구별 수치 [gu, measure]" in output
    assert "param weights.scale = 1.0" in output


def test_model_run_prints_the_run_id_and_the_summary(run):
    result = run("run", "gu-sums", "--gu", "강동구", "--period", "2024-01-01:2024-03-31",
                 "--input", "counts=population", "--param", "weights.scale=2")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["run 1: succeeded", "  강동구의 합계는 50,000명입니다."]


def test_model_run_explains_a_wrong_input(run):
    result = run("run", "gu-sums", "--gu", "11740", "--period", "2024-01-01:2024-03-31",
                 "--input", "counts=nothing")
    assert result.exit_code == 1
    assert "데이터셋 'nothing'을(를) 찾을 수 없습니다." in result.output
    bad_gu = run("run", "gu-sums", "--gu", "해운대구", "--period", "2024-01-01:2024-03-31")
    assert bad_gu.exit_code == 1 and "서울의 자치구가 아닙니다" in bad_gu.output
