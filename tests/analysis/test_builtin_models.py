"""Smoke test: each built-in model runs through the portal on its own demo inputs
(sample_data/models/<model>/datasets.toml), and its result page renders."""
from pathlib import Path
import tomllib

import pytest

from models_std import registry
from portal.analysis.demo_inputs import example, load_model_inputs
from portal.analysis.inputs import InputChoice
from portal.analysis.runs import SUCCEEDED, read_result, run_model
from portal.catalog.access import ANONYMOUS

pytestmark = pytest.mark.slow
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
MODELS = sorted(path.parent.name for path in (SAMPLE / "models").glob("*/datasets.toml"))


@pytest.fixture(params=["sqlite"])
def database_url(request, tmp_path, sqlite_template):
    """The models are what is checked here, not the database: SQLite only."""
    import shutil
    path = tmp_path / "catalog.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.mark.parametrize("model_id", MODELS)
def test_the_model_runs_on_its_demo_inputs(model_id, portal, seeded, app, tmp_path,
                                           monkeypatch):
    manifest = SAMPLE / "models" / model_id / "datasets.toml"
    if registry.get(model_id) is None or not manifest.exists():
        pytest.skip(f"models_std.{model_id} or its demo manifest is not there")
    # Only this model's manifest: load it alone from a folder that holds just it.
    demo = tmp_path / "demo"
    (demo / "models").mkdir(parents=True)
    (demo / "models" / model_id).symlink_to(manifest.parent)
    monkeypatch.setattr(portal.config, "_values",
                        {**portal.config._values, ("demo", "dir"): str(demo)})
    load_model_inputs(portal)
    entries = tomllib.loads(manifest.read_text(encoding="utf-8"))["dataset"]
    where = example(demo, model_id)   # the gu and period the demo data covers
    with portal.sessions.begin() as session:
        run = run_model(session, portal.store, ANONYMOUS, model_id, gu_code=where.gu_code,
                        period_start=where.period_start, period_end=where.period_end,
                        inputs={e["role"]: InputChoice(e["role"], e["slug"]) for e in entries})
        run_id, status, error = run.id, run.status, run.error_message
        assert status == SUCCEEDED, error
        assert run.summary and run.charts
        assert len(read_result(portal.store, run)) == run.result_rows > 0
    page = app.test_client().get(f"/models/{model_id}/runs/{run_id}")
    assert page.status_code == 200 and "생성된 예시 데이터" in page.get_data(as_text=True)
    # The run form starts on the demo inputs, gu and period: one click runs the example.
    form = app.test_client().get(f"/models/{model_id}/run").get_data(as_text=True)
    assert f'value="{where.period_start.isoformat()}"' in form
    assert f'<option value="{where.gu_code}" selected' in form
