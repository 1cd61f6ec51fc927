"""`portal reprofile`: compute the stored profiles again after the profiler has learned
something (a new header rule, point data counted per gu).

A table version's content never changes; its profile is derived from that content, so it
may be recomputed from the Parquet snapshot (which gives the same profile as the ingest did
for an unchanged profiler). Coverage the ingest filled from a profile is filled again where
the metadata still says none.
"""
from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from portal.catalog.ingest import fill_coverage
from portal.catalog.models import Dataset, TableVersion
from portal.catalog.profiles import compute_profile
from portal.progress import no_progress


def reprofile(portal, slugs: list[str] | None = None, progress=None) -> Counter:
    """Recompute every table version's profile (or those of `slugs`); counts of `changed`
    and `unchanged`. One transaction per version, so an interrupted run keeps its work."""
    progress = progress or no_progress
    query = select(TableVersion.id).order_by(TableVersion.id)
    if slugs:
        query = query.join(Dataset, Dataset.id == TableVersion.dataset_id) \
            .where(Dataset.slug.in_(slugs))
    with portal.sessions() as session:
        ids = list(session.scalars(query))
    counts: Counter = Counter()
    with progress(ids, "profiles") as bar:
        for version_id in bar:
            with portal.sessions.begin() as session:
                version = session.get(TableVersion, version_id)
                profile = compute_profile(portal.store.read_table(version.parquet_key))
                if profile == version.profile:
                    counts["unchanged"] += 1
                    continue
                version.profile = profile
                fill_coverage(version.dataset, profile)
                counts["changed"] += 1
    return counts
