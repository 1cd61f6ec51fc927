"""The models' generated demo inputs, loaded from manifests through the one ingest path."""
import pytest
from sqlalchemy import func, select

from portal.analysis.demo_inputs import ManifestError, load_model_inputs
from portal.analysis.inputs import GENERATED_KEYWORD, is_generated
from portal.catalog import queries
from portal.catalog.access import ANONYMOUS
from portal.catalog.models import TableVersion
from tests.analysis.sample_model import SEOUL_FIGURES, gu_frame

MANIFEST = """
[[dataset]]
slug = "demo-gu-population"
title_ko = "자치구별 인구 (예시)"
description_ko = "모델 시연용으로 만든 자치구별 인구"
file = "population.csv"
theme = "인구/가구"
model = "gu-sums"
role = "counts"
generated = true

[[dataset]]
slug = "demo-gu-cases"
title_ko = "자치구별 건수 (예시)"
generator = "tests.analysis.sample_model:generated_figures"
theme = "기타"
model = "gu-sums"
role = "counts"
generated = true

[[dataset]]
slug = "real-gu-population"
title_ko = "자치구별 인구 (실제 파일)"
file = "population.csv"
model = "gu-sums"
role = "counts"
generated = false
"""


@pytest.fixture
def demo_dir(portal, seeded, tmp_path, monkeypatch):
    folder = tmp_path / "demo" / "models" / "gu-sums"
    folder.mkdir(parents=True)
    (folder / "datasets.toml").write_text(MANIFEST, encoding="utf-8")
    gu_frame(SEOUL_FIGURES).to_csv(folder / "population.csv", index=False)
    monkeypatch.setattr(portal.config, "_values",
                        {**portal.config._values, ("demo", "dir"): str(tmp_path / "demo")})
    return folder


def test_manifest_datasets_are_loaded_and_marked_generated(portal, demo_dir):
    assert load_model_inputs(portal) == {"new": 3}
    with portal.sessions() as session:
        assert not is_generated(queries.get_dataset(session, ANONYMOUS, "real-gu-population"))
        for slug in ("demo-gu-population", "demo-gu-cases"):
            dataset = queries.get_dataset(session, ANONYMOUS, slug)
            assert is_generated(dataset) and GENERATED_KEYWORD in dataset.keywords
            version = queries.latest_table_version(session, dataset)
            assert version.row_count == 25
        cases = queries.get_dataset(session, ANONYMOUS, "demo-gu-cases")
        assert cases.description_ko is None and cases.theme == "기타"


def test_loading_twice_loads_nothing_twice(portal, demo_dir):
    load_model_inputs(portal)
    assert load_model_inputs(portal) == {"unchanged": 3}
    with portal.sessions() as session:
        assert session.scalar(select(func.count()).select_from(TableVersion)) == 3


def test_without_manifests_nothing_is_loaded(portal, seeded, tmp_path, monkeypatch):
    monkeypatch.setattr(portal.config, "_values",
                        {**portal.config._values, ("demo", "dir"): str(tmp_path)})
    assert load_model_inputs(portal) == {}


def test_an_entry_without_a_file_or_generator_is_named(portal, demo_dir):
    (demo_dir / "datasets.toml").write_text(
        '[[dataset]]\nslug = "x-y"\ntitle_ko = "엑스"\nmodel = "m"\nrole = "r"\n',
        encoding="utf-8")
    with pytest.raises(ManifestError, match="'x-y' needs file or generator"):
        load_model_inputs(portal)


def test_a_generator_is_not_run_again_for_a_table_it_already_made(portal, demo_dir,
                                                                    monkeypatch):
    from portal.analysis import demo_inputs
    calls = []
    generate = demo_inputs._generate
    monkeypatch.setattr(demo_inputs, "_generate",
                        lambda reference: calls.append(reference) or generate(reference))
    load_model_inputs(portal)
    load_model_inputs(portal)
    assert calls == ["tests.analysis.sample_model:generated_figures"]
