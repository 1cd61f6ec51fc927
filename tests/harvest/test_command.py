"""`portal harvest` against the replay server, as a user runs it."""
from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import func, select

from portal.catalog.models import Dataset, HarvestRun
from portal.cli import cli
from tests.harvest.conftest import KEY


def invoke(config, *args):
    env = {"PORTAL_DATA__DIR": str(config.data_dir),
           "PORTAL_DATABASE__URL": config.database_url, **KEY}
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
