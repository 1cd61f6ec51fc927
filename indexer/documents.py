"""The search document: what the index knows about one dataset.

``portal.sync`` builds these from the catalog (the database is the truth, the index is derived);
the indexer never sees the database. Field meanings follow shared/reference/anchors.md §4
("Proposed index document"). ``permission_labels`` decides who may see the document: a viewer
sees it when their labels and the document's share at least one ("public", or "org:<id>" for
internal data); the labels are never returned in hits.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from typing import Any, Mapping

KINDS = ("file", "openapi", "stats", "standard")
SOURCES = ("seoul", "kosis", "mois", "datagokr", "localdata", "upload")
PUBLIC_LABEL = "public"


def org_label(org_id: str | int) -> str:
    """The label that lets members of an organisation see its internal datasets."""
    return f"org:{org_id}"


@dataclass
class SearchDocument:
    id: str                                   # the dataset id (also the upsert key)
    slug: str
    title: str
    permission_labels: list[str]              # "public" and/or "org:<id>"; at least one
    title_en: str = ""
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    organisation: str = ""                    # organisation slug (facet value)
    organisation_name: str = ""
    organisation_path: list[str] = field(default_factory=list)  # ["서울특별시", "강동구", "스마트도시과"]
    gu: list[str] = field(default_factory=list)  # 자치구 covered, Korean names: ["강동구"]
    theme: str = ""                           # 분류
    kind: str = "file"                        # one of KINDS
    source: str = "upload"                    # one of SOURCES
    source_id: str = ""
    formats: list[str] = field(default_factory=list)  # upper case: CSV, XLSX, JSON, SHP
    licence: str = ""                         # 공공누리 type, e.g. "제1유형"
    update_cycle: str = ""                    # 업데이트 주기, e.g. "월간"
    overdue: bool = False                     # the update cycle has been missed
    modified: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    views: int = 0
    rendered: dict[str, Any] | None = None    # small JSON for result lists (no DB round-trip)

    def __post_init__(self) -> None:
        self.id = str(self.id)
        if not self.id:
            raise ValueError("a search document needs an id")
        if isinstance(self.permission_labels, str) or not self.permission_labels:
            raise ValueError(f"document {self.id}: permission_labels must be a non-empty list "
                             "(use ['public'] for public datasets)")
        if self.kind not in KINDS:
            raise ValueError(f"document {self.id}: kind {self.kind!r} is not one of {KINDS}")
        if self.source not in SOURCES:
            raise ValueError(f"document {self.id}: source {self.source!r} is not one of {SOURCES}")
        self.modified = as_utc(self.modified)
        self.views = int(self.views or 0)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SearchDocument":
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown search document fields: {sorted(unknown)}")
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def public_fields(self) -> dict[str, Any]:
        """What a hit returns: everything except the permission labels."""
        data = self.to_dict()
        del data["permission_labels"]
        return data


def as_document(doc: SearchDocument | Mapping[str, Any]) -> SearchDocument:
    """Backends accept dataclass instances or plain dicts with the same keys."""
    return doc if isinstance(doc, SearchDocument) else SearchDocument.from_dict(doc)


def as_utc(value: datetime | str) -> datetime:
    """Naive datetimes are taken as UTC, as the catalog stores them."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)
