"""Model inputs from the catalog: a dataset slug per input role becomes the exact table
version read and its table, with the role's column aliases applied and checked.

Datasets are read through `portal.catalog.queries` as the viewer, so a run can only read
what the person running it may see.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from models_std.base import InputRole, ModelSpec
from portal.catalog import queries
from portal.catalog.access import Viewer
from portal.catalog.models import Dataset, TableVersion
from portal.catalog.tablestore import TableStore
from portal.web.filters import TAG_LABELS  # the tags as the pages name them

# Keyword put on datasets that are generated examples, not published data (decided once:
# the demo loader sets it and every page that lists inputs shows a badge for it).
GENERATED_KEYWORD = "생성데이터"


class RunInputError(ValueError):
    """An input a person can fix: names the role (the form field) and says what to do."""

    def __init__(self, message: str, role: str | None = None):
        super().__init__(message)
        self.role = role


@dataclass(frozen=True)
class InputChoice:
    """What was asked for one role: a dataset slug and, optionally, a version number."""
    role: str
    slug: str
    version: int | None = None

    @classmethod
    def parse(cls, role: str, text: str) -> InputChoice:
        """`slug` or `slug@3` (version 3)."""
        slug, _, number = text.strip().partition("@")
        if number and not number.isdigit():
            raise RunInputError(f"'{text}': 버전은 '데이터셋@번호' 형식으로 적어 주세요 "
                                f"(예: {slug}@2).", role)
        return cls(role, slug.strip(), int(number) if number else None)


@dataclass(frozen=True)
class ResolvedInput:
    role: InputRole
    dataset: Dataset
    version: TableVersion
    frame: pd.DataFrame


def is_generated(dataset: Dataset) -> bool:
    return GENERATED_KEYWORD in (dataset.keywords or [])


def column_tags(profile: Mapping | None) -> set[str]:
    """The semantic tags of a table version's columns (docs/profiles.md)."""
    columns = (profile or {}).get("columns") or {}
    return {info.get("tag") for info in columns.values() if info.get("tag")}


def role_accepts(role: InputRole, profile: Mapping | None) -> bool:
    return bool(role.required_tags) and role.required_tags <= column_tags(profile)


def resolve_inputs(session: Session, store: TableStore, viewer: Viewer, spec: ModelSpec,
                   choices: Mapping[str, InputChoice]) -> dict[str, ResolvedInput]:
    """Every role's table, read as the viewer; a required role without a choice, an unknown
    or invisible dataset, a missing version or a missing column raises RunInputError."""
    unknown = sorted(set(choices) - {role.name for role in spec.inputs})
    if unknown:
        raise RunInputError(f"모델 '{spec.name_ko}'에는 입력 '{unknown[0]}'이(가) 없습니다. "
                            f"가능한 입력: {', '.join(r.name for r in spec.inputs)}", unknown[0])
    resolved = {}
    for role in spec.inputs:
        choice = choices.get(role.name)
        if choice is None or not choice.slug:
            if role.optional:
                continue
            raise RunInputError(f"'{role.label_ko}' 입력에 쓸 데이터셋을 선택해 주세요.", role.name)
        resolved[role.name] = _resolve_one(session, store, viewer, role, choice)
    return resolved


def _resolve_one(session, store, viewer, role: InputRole, choice: InputChoice) -> ResolvedInput:
    # Missing and invisible answer the same, as on the dataset pages.
    dataset = queries.get_dataset(session, viewer, choice.slug)
    if dataset is None:
        raise RunInputError(f"데이터셋 '{choice.slug}'을(를) 찾을 수 없습니다.", role.name)
    version = _version(session, dataset, choice.version)
    if version is None:
        wanted = f"{choice.version}번 버전" if choice.version else "표 데이터"
        raise RunInputError(f"데이터셋 '{dataset.title_ko}'에 {wanted}이(가) 없습니다.", role.name)
    frame = prepare_frame(store.read_table(version.parquet_key), role, dataset, version)
    return ResolvedInput(role, dataset, version, frame)


def _version(session: Session, dataset: Dataset, number: int | None) -> TableVersion | None:
    latest = queries.latest_table_version(session, dataset)
    if number is None or latest is None:
        return latest
    return next((v for v in queries.table_versions(session, dataset)
                 if v.resource_id == latest.resource_id and v.number == number), None)


def prepare_frame(frame: pd.DataFrame, role: InputRole, dataset: Dataset,
                  version: TableVersion) -> pd.DataFrame:
    """Rename header variants to the role's canonical names, then check the role's needs."""
    renames = {real: canonical for real, canonical in role.aliases.items()
               if real in frame.columns and canonical not in frame.columns}
    frame = frame.rename(columns=renames)
    if role.columns:
        missing = [column for column in role.columns if column not in frame.columns]
        if missing:
            raise RunInputError(
                f"데이터셋 '{dataset.title_ko}'({dataset.slug})에 '{role.label_ko}' 입력에 "
                f"필요한 열이 없습니다: {', '.join(missing)}", role.name)
    elif not role_accepts(role, version.profile):
        lacking = sorted(role.required_tags - column_tags(version.profile))
        names = ", ".join(TAG_LABELS.get(tag, tag) for tag in lacking)
        raise RunInputError(
            f"데이터셋 '{dataset.title_ko}'({dataset.slug})에 '{role.label_ko}' 입력에 "
            f"필요한 유형의 열이 없습니다: {names}", role.name)
    return frame
