from sqlalchemy import delete, select

from portal.catalog import outbox, queries
from portal.catalog.models import Dataset, OutboxEntry
from tests.factories import add_table_version, make_dataset, make_organisation


def entries(session):
    return [(e.dataset_slug, e.change) for e in
            session.scalars(select(OutboxEntry).order_by(OutboxEntry.id))]


def test_creating_a_dataset_writes_an_outbox_entry_in_the_same_transaction(session):
    make_dataset(session, slug="a")
    assert entries(session) == [("a", "upsert")]
    session.rollback()
    assert entries(session) == []  # rolled back together with the dataset


def test_an_update_and_a_visibility_change_are_recorded(session):
    dataset = make_dataset(session, slug="a")
    session.commit()
    dataset.title_ko = "새 제목"
    session.flush()
    dataset.visibility = "internal"
    session.commit()
    assert entries(session) == [("a", "upsert")] * 3


def test_deleting_a_dataset_records_a_delete(session):
    dataset = make_dataset(session, slug="gone")
    session.commit()
    session.delete(dataset)
    session.commit()
    assert entries(session)[-1] == ("gone", "delete")


def test_a_new_table_version_counts_as_a_change_of_its_dataset(session, portal):
    dataset = make_dataset(session, slug="t")
    session.commit()
    session.execute(delete(OutboxEntry))
    add_table_version(session, dataset, portal.store)
    session.commit()
    assert entries(session) == [("t", "upsert")]


def test_renaming_an_organisation_touches_its_datasets(session):
    org = make_organisation(session, name_ko="빅데이터팀")
    make_dataset(session, slug="x", owner=org)
    make_dataset(session, slug="y", owner=org)
    session.commit()
    session.execute(delete(OutboxEntry))
    org.name_ko = "데이터정책팀"
    session.commit()
    assert sorted(entries(session)) == [("x", "upsert"), ("y", "upsert")]


def test_a_view_count_bump_writes_no_outbox_entry(session):
    dataset = make_dataset(session, slug="v")
    session.commit()
    session.execute(delete(OutboxEntry))
    queries.count_view(session, dataset)
    session.commit()
    assert entries(session) == []
    assert session.scalar(select(Dataset.view_count).where(Dataset.id == dataset.id)) == 1


def test_pending_lists_unprocessed_entries_oldest_first(session):
    make_dataset(session, slug="one")
    make_dataset(session, slug="two")
    session.commit()
    assert [e.dataset_slug for e in outbox.pending(session)] == ["one", "two"]
