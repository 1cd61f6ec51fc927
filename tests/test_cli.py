"""The `portal` command, run as a user runs it (click's runner, real files)."""
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from portal.catalog.models import Dataset
from portal.cli import cli

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.fixture
def run(config, tmp_path, monkeypatch):
    """Runs `portal ...` against the test database through environment variables."""
    monkeypatch.chdir(tmp_path)
    env = {"PORTAL_DATA__DIR": str(config.data_dir),
           "PORTAL_DATABASE__URL": config.database_url,
           "PORTAL_DEMO__DIR": str(SAMPLE)}

    def invoke(*args):
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return invoke


def test_help_explains_every_command(run):
    result = run("--help")
    for command in ("init-db", "load-demo", "serve", "ingest", "harvest", "reprofile", "sync",
                    "index", "orgs", "config-example"):
        assert command in result.output


def test_ingest_creates_the_dataset_then_reports_unchanged_content(run, portal):
    assert run("init-db").exit_code == 0
    csv = SAMPLE / "seoul_opendata" / "CCTV_in_Seoul.csv"
    first = run("ingest", str(csv), "--dataset", "cctv", "--title", "CCTV 설치현황",
                "--theme", "안전", "--owner", "gangnam-gu", "--keyword", "CCTV",
                "--keyword", "방범")
    assert first.exit_code == 0, first.output
    assert "version 1 (new version); 25 rows, 6 columns" in first.output
    second = run("ingest", str(csv), "--dataset", "cctv")
    assert "unchanged, no new version" in second.output
    with portal.sessions() as session:
        dataset = session.scalar(select(Dataset).where(Dataset.slug == "cctv"))
        assert dataset.theme == "안전" and dataset.keywords == ["CCTV", "방범"]
        assert dataset.owner.name_ko == "강남구"


def test_ingest_of_a_bad_file_says_what_and_where(run, tmp_path):
    run("init-db")
    bad = tmp_path / "bad.csv"
    bad.write_bytes("a,b\n1,2\n3,4,5\n".encode())
    result = run("ingest", str(bad), "--dataset", "bad-one", "--title", "나쁜 파일")
    assert result.exit_code == 1
    assert "bad.csv" in result.output and "row 3" in result.output


def test_ingest_with_an_unknown_theme_is_refused(run):
    run("init-db")
    result = run("ingest", str(SAMPLE / "seoul_opendata" / "CCTV_in_Seoul.csv"),
                 "--dataset", "cctv", "--theme", "스포츠")
    assert result.exit_code == 1 and "theme" in result.output


def test_config_example_prints_every_section(run):
    output = run("config-example").output
    for section in ("[data]", "[database]", "[web]", "[ingest]", "[admin]"):
        assert section in output


def test_index_commands_rebuild_check_and_repair(run, portal):
    run("init-db")
    run("ingest", str(SAMPLE / "seoul_opendata" / "CCTV_in_Seoul.csv"), "--dataset", "cctv",
        "--title", "CCTV 설치현황")
    assert "1 datasets" in run("index", "--rebuild").output
    assert "in step" in run("index", "--check").output
    portal.search.delete([str(next(iter(portal.search.ids_and_versions())))])
    report = run("index", "--check", "--report-only")
    assert report.exit_code == 1 and "1 missing" in report.output
    assert "repaired" in run("index", "--check").output
    assert "in step" in run("index", "--check", "--report-only").output


def test_reprofile_updates_profiles_an_older_profiler_wrote(run, portal):
    run("init-db")
    cinemas = SAMPLE / "localdata" / "서울시 영화상영관 인허가 정보.csv"
    ingested = run("ingest", str(cinemas), "--dataset", "cinemas", "--title", "영화상영관")
    assert ingested.exit_code == 0, ingested.output
    assert "0 changed, 1 unchanged" in run("reprofile").output   # the profiler is the same
    with portal.sessions.begin() as session:
        cinema = session.scalar(select(Dataset).where(Dataset.slug == "cinemas"))
        version = cinema.table_versions[0]
        kept = version.profile
        version.profile = {**kept, "by_gu": {}}          # as an older profiler left it
    result = run("reprofile", "--dataset", "cinemas")
    assert "1 changed, 0 unchanged" in result.output, result.output
    with portal.sessions() as session:
        cinema = session.scalar(select(Dataset).where(Dataset.slug == "cinemas"))
        assert cinema.table_versions[0].profile == kept
