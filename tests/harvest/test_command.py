"""`portal harvest` against the replay server, as a user runs it."""
from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import func, select

from portal.catalog.models import Dataset, HarvestRun, TableVersion
from portal.cli import cli
from tests.conftest import SAMPLE
from tests.harvest.conftest import KEY


def invoke(config, *args, env=None):
    env = {"PORTAL_DATA__DIR": str(config.data_dir), "PORTAL_DEMO__DIR": str(SAMPLE),
           "PORTAL_DATABASE__URL": config.database_url, **KEY, **(env or {})}
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_harvest_of_one_entry_prints_the_counts(config, portal, server):
    base = f"--base-url={server.url}/seoul"
    result = invoke(config, "harvest", "seoul", "--dataset", "OA-2734", base)
    assert result.exit_code == 0, result.output
    assert "succeeded" in result.output and "1 new" in result.output
    result = invoke(config, "harvest", "seoul", "--dataset", "OA-2734", "--dry-run", base)
    assert "(dry run)" in result.output and "1 unchanged" in result.output
    with portal.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Dataset)) == 1
        assert session.scalar(select(func.count()).select_from(HarvestRun)) == 2


def test_harvest_of_an_unknown_source_names_the_known_ones(config):
    result = invoke(config, "harvest", "nowhere")
    assert result.exit_code == 2 and "seoul" in result.output


def test_harvest_of_kosis_takes_its_options_from_the_configuration(config, portal):
    result = invoke(config, "harvest", "kosis", "--base-url=replay:/kosis",
                    env={"PORTAL_HARVEST__KOSIS_PERIOD_TYPE": "Y",
                         "PORTAL_HARVEST__KOSIS_RECENT_PERIODS": "1",
                         "PORTAL_HARVEST__KOSIS_DATA_TABLES": "101/DT_1B04005N",
                         "PORTAL_HARVEST__PROGRESS_INTERVAL": "0"})
    assert result.exit_code == 0, result.output
    assert "succeeded" in result.output and "3 new" in result.output
    with portal.sessions() as session:
        table = session.scalar(select(Dataset).where(Dataset.source_id == "101/DT_1B04005N"))
        assert [v.row_count for v in table.table_versions] == [1053]


def test_harvest_of_mois_writes_its_three_sources(config, portal):
    result = invoke(config, "harvest", "mois", "--base-url=replay:/odcloud",
                    "--files-base-url=replay:/files",
                    env={"PORTAL_HARVEST__MOIS_POPULATION_PERIOD": "202505",
                         "PORTAL_HARVEST__MOIS_POPULATION_LOOKBACK": "12"})
    assert result.exit_code == 0, result.output
    assert "succeeded" in result.output and "0 failed" in result.output
    with portal.sessions() as session:
        sources = set(session.scalars(select(Dataset.source)))
        run = session.scalar(select(HarvestRun))
    assert sources == {"datagokr", "mois", "localdata"}
    assert (run.source, run.trigger) == ("mois", "cli")


def test_harvest_without_tables_writes_metadata_only(config, portal):
    result = invoke(config, "harvest", "mois", "--base-url=replay:/odcloud",
                    "--files-base-url=replay:/files", "--no-tables",
                    env={"PORTAL_HARVEST__MOIS_POPULATION_PERIOD": "202505"})
    assert result.exit_code == 0, result.output
    with portal.sessions() as session:
        assert session.scalar(select(func.count()).select_from(TableVersion)) == 0
