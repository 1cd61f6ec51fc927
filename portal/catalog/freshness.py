"""Is a dataset's content as fresh as its declared update cycle promises?

Korean users' second complaint is stale data, so "update overdue" is computed the same way
for the dataset page, the search facet and the per-organisation list.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from portal.catalog.vocab import UPDATE_CYCLE_DAYS

# A little slack so a monthly dataset published on the 3rd instead of the 1st is not "late".
GRACE = timedelta(days=3)


def due_date(update_cycle: str | None, next_update_due: date | None,
             last_change: datetime | None) -> date | None:
    """When new content is expected: the declared date, else the last change plus the cycle."""
    if next_update_due is not None:
        return next_update_due
    days = UPDATE_CYCLE_DAYS.get(update_cycle or "")
    if days is None or last_change is None:
        return None
    return (last_change + timedelta(days=days) + GRACE).date()


def is_overdue(update_cycle: str | None, next_update_due: date | None,
               last_change: datetime | None, now: datetime) -> bool:
    due = due_date(update_cycle, next_update_due, last_change)
    return due is not None and now.date() > due
