"""The metadata database: organisations, datasets, resources, table versions, the outbox.

The database is the single source of truth; the search index and every page are derived
from it. See docs/data-model.md for the diagram.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (JSON, BigInteger, Date, DateTime, ForeignKey, Index, Integer,
                        String, Text, UniqueConstraint, text)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

JSONType = JSON().with_variant(JSONB(), "postgresql")

def utcnow() -> datetime:
    return datetime.now(timezone.utc)

class UTCDateTime(TypeDecorator):
    """Timestamps in UTC. SQLite forgets the zone, so it is put back on the way out."""
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware datetime (UTC)")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSONType, list[str]: JSONType,
                           datetime: UTCDateTime()}

class Organisation(Base):
    """서울특별시 → 자치구 → 실/국 → 과 → 팀, plus external providers (행정안전부, 통계청, ...)."""
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name_ko: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # vocab.ORGANISATION_KINDS
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[Organisation | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Organisation]] = relationship(back_populates="parent",
                                                        order_by="Organisation.id")
    codes: Mapped[list[OrganisationCode]] = relationship(back_populates="organisation",
                                                         cascade="all, delete-orphan")

    def code(self, code_system: str) -> str | None:
        return next((c.code for c in self.codes if c.code_system == code_system), None)

    def ancestors(self) -> list[Organisation]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

class OrganisationCode(Base):
    """A code of an organisation in one code system.

    The same 5-digit number names different gu in different systems (11110 is 종로구 for
    MOIS and 노원구 for KOSTAT), so a code is unique only together with its system.
    """
    __tablename__ = "organisation_codes"
    __table_args__ = (UniqueConstraint("code_system", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id",
                                                            ondelete="CASCADE"), index=True)
    code_system: Mapped[str] = mapped_column(String(20))  # mois, mois10, org7, kostat, ...
    code: Mapped[str] = mapped_column(String(20))

    organisation: Mapped[Organisation] = relationship(back_populates="codes")

class Dataset(Base):
    __tablename__ = "datasets"
    __table_args__ = (UniqueConstraint("source", "source_id"),
                      Index("ix_datasets_visibility_owner", "visibility", "owner_org_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    source: Mapped[str] = mapped_column(String(30))  # seoul, kosis, mois, datagokr, upload
    source_id: Mapped[str] = mapped_column(String(120))  # OA-12615, 101/DT_1B04005N, ...
    source_url: Mapped[str | None] = mapped_column(String(500))
    title_ko: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    description_ko: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list[str]] = mapped_column(default=list)
    theme: Mapped[str] = mapped_column(String(20), default="기타", index=True)  # vocab.THEMES
    kind: Mapped[str] = mapped_column(String(20), default="file", index=True)  # vocab.KINDS
    formats: Mapped[list[str]] = mapped_column(default=list)
    licence: Mapped[str] = mapped_column(String(20), default="UNKNOWN")  # vocab.LICENCES
    update_cycle: Mapped[str | None] = mapped_column(String(20))  # vocab.UPDATE_CYCLES
    next_update_due: Mapped[date | None] = mapped_column(Date)
    spatial_coverage: Mapped[list[str]] = mapped_column(default=list)  # MOIS 5-digit gu codes
    temporal_start: Mapped[date | None] = mapped_column(Date)
    temporal_end: Mapped[date | None] = mapped_column(Date)
    owner_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    visibility: Mapped[str] = mapped_column(String(10), default="public")  # vocab.VISIBILITIES
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    harvested_at: Mapped[datetime | None]
    view_count: Mapped[int] = mapped_column(BigInteger, default=0)
    # Harvest bookkeeping: consecutive successful runs of its source that did not list it,
    # and when it was withdrawn (kept, not deleted: links and table versions stay readable).
    missing_runs: Mapped[int] = mapped_column(default=0, server_default="0")
    withdrawn_at: Mapped[datetime | None]
    # The same data published by another source (a KOSIS table the Seoul portal also lists):
    # this entry points at the one search shows, instead of appearing twice.
    same_as_id: Mapped[int | None] = mapped_column(
        ForeignKey("datasets.id", ondelete="SET NULL"), index=True)

    owner: Mapped[Organisation | None] = relationship()
    resources: Mapped[list[Resource]] = relationship(back_populates="dataset",
                                                     cascade="all, delete-orphan",
                                                     order_by="Resource.position")
    table_versions: Mapped[list[TableVersion]] = relationship(
        back_populates="dataset", cascade="all, delete-orphan",
        order_by="TableVersion.number")

    @property
    def is_public(self) -> bool:
        return self.visibility == "public"

class Resource(Base):
    """A file, API endpoint or link of a dataset."""
    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"),
                                            index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(10), default="file")  # vocab.RESOURCE_KINDS
    url: Mapped[str | None] = mapped_column(String(1000))
    format: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    dataset: Mapped[Dataset] = relationship(back_populates="resources")
    table_versions: Mapped[list[TableVersion]] = relationship(
        back_populates="resource", order_by="TableVersion.number")

class TableVersion(Base):
    """An immutable snapshot of a tabular resource's content, stored as Parquet.

    Identified by the hash of its content: ingesting the same content again adds nothing,
    changed content adds a version and every earlier one stays readable.
    """
    __tablename__ = "table_versions"
    __table_args__ = (UniqueConstraint("resource_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"),
                                            index=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"),
                                             index=True)
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    row_count: Mapped[int] = mapped_column(BigInteger)
    column_count: Mapped[int]
    parquet_key: Mapped[str] = mapped_column(String(200))  # relative to the table store
    original_key: Mapped[str | None] = mapped_column(String(200))
    original_filename: Mapped[str | None] = mapped_column(String(300))
    original_size: Mapped[int | None] = mapped_column(BigInteger)
    source_format: Mapped[str | None] = mapped_column(String(10))  # csv, xlsx, xls, json
    encoding: Mapped[str | None] = mapped_column(String(20))
    header_rows: Mapped[int] = mapped_column(default=1)
    profile: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    dataset: Mapped[Dataset] = relationship(back_populates="table_versions")
    resource: Mapped[Resource] = relationship(back_populates="table_versions")

class OutboxEntry(Base):
    """"Dataset X changed": written in the same transaction as the change.

    No foreign key on purpose: the entry for a deleted dataset must outlive the dataset so
    the search index learns of the deletion.
    """
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset_id: Mapped[int] = mapped_column(index=True)
    dataset_slug: Mapped[str] = mapped_column(String(120))
    change: Mapped[str] = mapped_column(String(10))  # upsert | delete
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(index=True)


class SearchLogEntry(Base):
    """One search typed by a person: the source of 인기검색어 (popular searches)."""
    __tablename__ = "search_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    query: Mapped[str] = mapped_column(String(200), index=True)  # normalised: NFKC, lower
    results: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class HarvestRun(Base):
    """One run of a connector over a source (수집 실행): what it found and how it ended."""
    __tablename__ = "harvest_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(30), index=True)
    # queued | running | succeeded | partially_failed | failed
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    dry_run: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    new: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    withdrawn: Mapped[int] = mapped_column(default=0)
    error_message: Mapped[str | None] = mapped_column(Text)
    # How many entries the source announced (for a progress bar), and who started the run:
    # cli | scheduler | admin.
    expected: Mapped[int | None]
    trigger: Mapped[str] = mapped_column(String(20), default="cli", server_default="cli")
    # Who runs it and its last sign of life (saved counts): a running run whose process is
    # gone, or that has not saved for long, was interrupted (portal.harvest.runs).
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None]
    alive_at: Mapped[datetime | None]

    # One running run per source, kept by the database even when two processes start at once.
    __table_args__ = (Index("uq_harvest_runs_running_source", "source", unique=True,
                            sqlite_where=text("status = 'running'"),
                            postgresql_where=text("status = 'running'")),)

    items: Mapped[list[HarvestItem]] = relationship(back_populates="run",
                                                    cascade="all, delete-orphan",
                                                    order_by="HarvestItem.id")

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name)
                for name in ("new", "updated", "unchanged", "failed", "withdrawn")}


class HarvestItem(Base):
    """What a run did with one source entry; failed items keep the source's error."""
    __tablename__ = "harvest_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("harvest_runs.id", ondelete="CASCADE"),
                                        index=True)
    source_id: Mapped[str] = mapped_column(String(120))
    # No foreign key: the record of a run outlives a dataset deleted later.
    dataset_id: Mapped[int | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20))  # new | updated | unchanged | failed | withdrawn
    error_code: Mapped[str | None] = mapped_column(String(60))
    error_message: Mapped[str | None] = mapped_column(Text)

    run: Mapped[HarvestRun] = relationship(back_populates="items")


class ModelRun(Base):
    """One run of a standard analysis model (표준분석모델 실행): what it read, with which
    parameters, and where its result table is kept.

    Visibility follows the datasets it read: public, or `internal` and owned by the owner of
    an internal input, so a result never shows more than its inputs do.
    """
    __tablename__ = "model_runs"
    __table_args__ = (Index("ix_model_runs_model_created", "model_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[str] = mapped_column(String(40))
    model_version: Mapped[str] = mapped_column(String(40))
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    parameter_hash: Mapped[str] = mapped_column(String(64))
    gu_code: Mapped[str] = mapped_column(String(5))  # MOIS 5-digit code of the running gu
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    unit_id: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20))  # succeeded | failed
    error_message: Mapped[str | None] = mapped_column(Text)
    result_key: Mapped[str | None] = mapped_column(String(200))  # Parquet in the table store
    result_hash: Mapped[str | None] = mapped_column(String(64))
    result_rows: Mapped[int | None]
    charts: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    summary: Mapped[list[str]] = mapped_column(default=list)
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    owner_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"),
                                                     index=True)
    created_by: Mapped[str] = mapped_column(String(100), default="anonymous")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    inputs: Mapped[list[ModelRunInput]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="ModelRunInput.role")


class ModelRunInput(Base):
    """The exact table version a run read for one input role."""
    __tablename__ = "model_run_inputs"
    __table_args__ = (UniqueConstraint("run_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("model_runs.id", ondelete="CASCADE"),
                                        index=True)
    role: Mapped[str] = mapped_column(String(60))
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"),
                                            index=True)
    table_version_id: Mapped[int] = mapped_column(
        ForeignKey("table_versions.id", ondelete="CASCADE"), index=True)

    run: Mapped[ModelRun] = relationship(back_populates="inputs")
    dataset: Mapped[Dataset] = relationship()
    table_version: Mapped[TableVersion] = relationship()
