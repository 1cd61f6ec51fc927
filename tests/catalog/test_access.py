"""The one visibility rule, checked on every reading path of the catalog."""
from sqlalchemy import select

from portal.catalog import queries
from portal.catalog.access import ADMIN, ANONYMOUS, can_see, dataset_labels, \
    viewer_for_organisation
from portal.catalog.models import Dataset
from tests.factories import make_dataset, make_organisation


def setup_catalog(session):
    gu = make_organisation(session, slug="gangdong", kind="gu", name_ko="강동구")
    division = make_organisation(session, slug="smart-city", parent=gu, name_ko="스마트도시과")
    team = make_organisation(session, slug="bigdata-team", kind="team", parent=division)
    other = make_organisation(session, slug="other-division", parent=gu)
    make_dataset(session, slug="public-one", title_ko="공개 주차장", owner=division)
    make_dataset(session, slug="internal-division", title_ko="내부 주차장 검토",
                 internal=True, owner=division, theme="교통")
    make_dataset(session, slug="internal-team", title_ko="내부 팀 자료", internal=True,
                 owner=team)
    make_dataset(session, slug="internal-other", title_ko="다른 과 내부", internal=True,
                 owner=other)
    session.commit()
    return gu, division, team, other


def slugs(datasets):
    return sorted(d.slug for d in datasets)


def test_anonymous_viewers_see_public_datasets_only(session):
    setup_catalog(session)
    assert slugs(session.scalars(select(Dataset))) != ["public-one"]
    assert queries.count_datasets(session, ANONYMOUS) == 1
    assert queries.get_dataset(session, ANONYMOUS, "internal-division") is None
    assert queries.get_dataset(session, ANONYMOUS, "public-one") is not None
    assert slugs(queries.recent_datasets(session, ANONYMOUS)) == ["public-one"]
    assert slugs(queries.list_datasets(session, ANONYMOUS, q="내부").items) == []


def test_facet_counts_never_count_internal_datasets_for_the_public(session):
    setup_catalog(session)
    assert dict(queries.counts_by(session, ANONYMOUS, Dataset.theme)) == {"기타": 1}


def test_a_division_sees_its_own_and_its_teams_internal_datasets(session):
    gu, division, team, other = setup_catalog(session)
    viewer = viewer_for_organisation(session, division)
    assert slugs(queries.list_datasets(session, viewer).items) == \
        ["internal-division", "internal-team", "public-one"]
    team_viewer = viewer_for_organisation(session, team)
    assert queries.get_dataset(session, team_viewer, "internal-division") is None


def test_the_organisation_page_of_a_gu_hides_internal_datasets_from_the_public(session):
    gu, *_ = setup_catalog(session)
    assert slugs(queries.organisation_datasets(session, ANONYMOUS, gu).items) == ["public-one"]
    assert queries.organisation_datasets(session, ADMIN, gu).total == 4


def test_labels_agree_with_the_query_rule(session):
    gu, division, team, other = setup_catalog(session)
    viewer = viewer_for_organisation(session, division)
    for dataset in session.scalars(select(Dataset)):
        seen_by_query = queries.get_dataset(session, viewer, dataset.slug) is not None
        assert can_see(viewer, dataset) == seen_by_query, dataset.slug
        assert dataset_labels(dataset) == (["public", "admin"] if dataset.is_public
                                           else [f"org:{dataset.owner_org_id}", "admin"])
        assert can_see(ADMIN, dataset)
