"""A run is seen only by viewers who may see every dataset it read."""
from datetime import date

import pytest

from portal.analysis import queries
from portal.analysis.inputs import InputChoice
from portal.analysis.runs import run_model
from portal.catalog.access import ADMIN, ANONYMOUS, viewer_for_organisation
from portal.catalog.datasets import get_by_slug, update_dataset
from portal.catalog.models import ModelRun, Organisation
from tests.analysis.sample_model import MODEL_ID, SEOUL_FIGURES, gu_frame
from tests.factories import make_dataset, make_organisation


@pytest.fixture
def runs(portal, seeded, sample_model):
    """A public run and a run on a division's internal dataset, by an administrator."""
    with portal.sessions.begin() as session:
        division = make_organisation(session, slug="welfare-team", name_ko="복지정책과")
        make_organisation(session, slug="other-team", name_ko="다른 과")
        make_dataset(session, slug="population", with_table=True, store=portal.store,
                     frame=gu_frame(SEOUL_FIGURES))
        make_dataset(session, slug="secret", internal=True, owner=division, with_table=True,
                     store=portal.store, frame=gu_frame(SEOUL_FIGURES))
    ids = {}
    for slug in ("population", "secret"):
        with portal.sessions.begin() as session:
            run = run_model(session, portal.store, ADMIN, MODEL_ID, gu_code="11740",
                            period_start=date(2024, 1, 1), period_end=date(2024, 12, 31),
                            inputs={"counts": InputChoice("counts", slug)})
            ids[slug] = run.id
    return portal, ids


def viewers(session):
    team = session.query(Organisation).filter_by(slug="welfare-team").one()
    other = session.query(Organisation).filter_by(slug="other-team").one()
    return {"public": ANONYMOUS, "team": viewer_for_organisation(session, team),
            "other": viewer_for_organisation(session, other), "admin": ADMIN}


def visible_ids(session, viewer):
    return sorted(run.id for run in queries.model_runs(session, viewer, MODEL_ID).items)


def test_a_run_on_an_internal_dataset_is_internal_and_owned_by_its_owner(runs):
    portal, ids = runs
    with portal.sessions() as session:
        public, internal = session.get(ModelRun, ids["population"]), session.get(ModelRun, ids["secret"])
        assert (public.visibility, public.owner_org_id) == ("public", None)
        owner = get_by_slug(session, "secret").owner_org_id
        assert (internal.visibility, internal.owner_org_id) == ("internal", owner)


def test_only_the_owner_division_and_administrators_see_the_internal_run(runs):
    portal, ids = runs
    with portal.sessions() as session:
        seen = {name: visible_ids(session, viewer) for name, viewer in viewers(session).items()}
        assert seen["public"] == seen["other"] == [ids["population"]]
        assert seen["team"] == seen["admin"] == sorted(ids.values())
        assert queries.get_run(session, ANONYMOUS, MODEL_ID, ids["secret"]) is None
        assert queries.get_run(session, viewers(session)["team"], MODEL_ID, ids["secret"])


def test_a_dataset_made_internal_later_hides_the_runs_that_read_it(runs):
    portal, ids = runs
    with portal.sessions.begin() as session:
        update_dataset(session, get_by_slug(session, "population"), visibility="internal",
                       owner_org_id=session.query(Organisation).filter_by(
                           slug="welfare-team").one().id)
    with portal.sessions() as session:
        assert visible_ids(session, ANONYMOUS) == []
        assert queries.get_run(session, ANONYMOUS, MODEL_ID, ids["population"]) is None


def test_the_query_clause_and_the_label_check_agree(runs):
    portal, ids = runs
    with portal.sessions() as session:
        for viewer in viewers(session).values():
            for run_id in ids.values():
                run = session.get(ModelRun, run_id)
                by_query = queries.get_run(session, viewer, MODEL_ID, run_id) is not None
                assert by_query == queries.can_see_run(viewer, run)


def test_a_run_is_not_found_under_another_model(runs):
    portal, ids = runs
    with portal.sessions() as session:
        assert queries.get_run(session, ADMIN, "other-model", ids["population"]) is None
