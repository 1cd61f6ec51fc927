"""Comparing two versions of a table (버전 비교): rows added, removed and changed, and how
the totals moved.

Rows are matched by a key when the table has one: a column or a combination of the columns
the profile tags as identifiers or dimensions (id, code, gu, dong, year, month, date,
category) whose values are unique in *both* versions. Without such a key there is no telling
a changed row from a removed one plus an added one, so whole rows are compared as multisets
and only additions and removals are counted. Totals come from the two stored profiles and are
never recomputed. Snapshots are immutable, so a comparison is kept per pair of snapshots.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from portal.catalog.tablestore import TableStore

ROWS = "@rows"
SAMPLE_ROWS = 20
# A single column that may identify a row, most telling first.
SINGLE_KEY_TAGS = ("id", "code", "gu", "dong")
DIMENSION_TAGS = ("gu", "dong", "year", "month", "date")


@dataclass(frozen=True)
class CellChange:
    column: str
    old: object
    new: object


@dataclass(frozen=True)
class RowChange:
    key: dict[str, object]
    cells: list[CellChange]


@dataclass(frozen=True)
class FigureChange:
    """One figure in the old and the new version (None where a version has none)."""
    name: str
    old: float | int | None
    new: float | int | None

    @property
    def delta(self):
        return None if self.old is None or self.new is None else self.new - self.old

    @property
    def percent(self) -> float | None:
        if self.delta is None or not self.old:
            return None
        return self.delta / abs(self.old) * 100


@dataclass
class RowDiff:
    key: list[str]  # empty: rows compared as multisets
    added: int
    removed: int
    changed: int
    unchanged: int
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    changed_sample: list[RowChange] = field(default_factory=list)
    added_sample: list[dict] = field(default_factory=list)
    removed_sample: list[dict] = field(default_factory=list)


@dataclass
class VersionDiff:
    old_number: int
    new_number: int
    rows: RowDiff
    row_count: FigureChange
    totals: list[FigureChange]
    by_gu: dict[str, list[FigureChange]]  # series (a measure or @rows) → one change per gu


def compare_versions(store: TableStore, old, new) -> VersionDiff:
    """Compare two `TableVersion`s of the same table."""
    tags = _tags(old.profile) | _tags(new.profile)
    rows = _row_diff(str(store.path(old.parquet_key)), str(store.path(new.parquet_key)),
                     tuple(sorted(tags.items())))
    return VersionDiff(old.number, new.number, rows,
                       FigureChange("행 수", old.row_count, new.row_count),
                       total_changes(old.profile, new.profile),
                       by_gu_changes(old.profile, new.profile))


def _tags(profile: dict | None) -> dict[str, str]:
    columns = (profile or {}).get("columns") or {}
    return {name: info.get("tag") or "" for name, info in columns.items()}


@lru_cache(maxsize=16)
def _row_diff(old_path: str, new_path: str, tags: tuple[tuple[str, str], ...]) -> RowDiff:
    old, new = pd.read_parquet(Path(old_path)), pd.read_parquet(Path(new_path))
    common = [c for c in new.columns if c in old.columns]
    columns_added = [c for c in new.columns if c not in old.columns]
    columns_removed = [c for c in old.columns if c not in new.columns]
    old, new = _aligned(old, new, common)
    key = detect_key(old, new, dict(tags), common)
    diff = _keyed_diff(old, new, key, common) if key else _multiset_diff(old, new, common)
    diff.columns_added, diff.columns_removed = columns_added, columns_removed
    return diff


def _aligned(old: pd.DataFrame, new: pd.DataFrame, common: list[str]):
    """Columns whose type changed between versions are compared as text."""
    old, new = old[common].copy(), new[common].copy()
    for column in common:
        if str(old[column].dtype) != str(new[column].dtype) and not (
                pd.api.types.is_numeric_dtype(old[column])
                and pd.api.types.is_numeric_dtype(new[column])):
            old[column] = old[column].astype("string")
            new[column] = new[column].astype("string")
    return old, new


def detect_key(old: pd.DataFrame, new: pd.DataFrame, tags: dict[str, str],
               common: list[str]) -> list[str]:
    """The smallest tagged column set unique in both versions, or [] when there is none."""
    by_tag = {tag: [c for c in common if tags.get(c) == tag]
              for tag in (*SINGLE_KEY_TAGS, *DIMENSION_TAGS, "category")}
    dimensions = [c for c in common if tags.get(c) in DIMENSION_TAGS]
    categories = by_tag["category"]
    codes = [c for c in common if tags.get(c) in ("code", "id")]
    candidates = [[c] for tag in SINGLE_KEY_TAGS for c in by_tag[tag]]
    for extra in ([], categories, categories + codes):
        columns = [c for c in common if c in set(dimensions + extra)]
        if columns and columns not in candidates:
            candidates.append(columns)
    for columns in candidates:
        if not old.duplicated(subset=columns).any() and not new.duplicated(subset=columns).any():
            return columns
    return []


def _differs(left: pd.Series, right: pd.Series) -> pd.Series:
    """True where two cells differ; two missing cells are equal."""
    left, right = left.reset_index(drop=True), right.reset_index(drop=True)
    try:
        equal = left == right
    except TypeError:
        equal = left.astype(object) == right.astype(object)
    equal = pd.Series(equal).fillna(False).astype(bool)
    return ~(equal | (left.isna() & right.isna()))


def _keyed_diff(old: pd.DataFrame, new: pd.DataFrame, key: list[str],
                common: list[str]) -> RowDiff:
    values = [c for c in common if c not in key]
    merged = old.merge(new, on=key, how="outer", suffixes=("\x00old", "\x00new"),
                       indicator=True, sort=False)
    side = merged["_merge"]
    both = merged[side == "both"].reset_index(drop=True)
    changed_mask = pd.Series(False, index=both.index)
    per_column = {}
    for column in values:
        differs = _differs(both[f"{column}\x00old"], both[f"{column}\x00new"])
        per_column[column] = differs
        changed_mask |= differs
    sample = []
    for index in changed_mask[changed_mask].index[:SAMPLE_ROWS]:
        row = both.loc[index]
        sample.append(RowChange(
            {c: plain(row[c]) for c in key},
            [CellChange(c, plain(row[f"{c}\x00old"]), plain(row[f"{c}\x00new"]))
             for c in values if per_column[c].loc[index]]))
    added = merged[side == "right_only"]
    removed = merged[side == "left_only"]
    return RowDiff(key, added=len(added), removed=len(removed),
                   changed=int(changed_mask.sum()), unchanged=int((~changed_mask).sum()),
                   changed_sample=sample,
                   added_sample=_records(added, key, values, "\x00new"),
                   removed_sample=_records(removed, key, values, "\x00old"))


def _records(frame: pd.DataFrame, key: list[str], values: list[str], suffix: str) -> list[dict]:
    head = frame.head(SAMPLE_ROWS)
    return [{**{c: plain(row[c]) for c in key},
             **{c: plain(row[c + suffix]) for c in values}} for _, row in head.iterrows()]


def _multiset_diff(old: pd.DataFrame, new: pd.DataFrame, common: list[str]) -> RowDiff:
    old_hash = pd.Series(pd.util.hash_pandas_object(old, index=False).to_numpy())
    new_hash = pd.Series(pd.util.hash_pandas_object(new, index=False).to_numpy())
    old_counts, new_counts = old_hash.value_counts(), new_hash.value_counts()
    counts = pd.DataFrame({"old": old_counts, "new": new_counts}).fillna(0).astype(int)
    return RowDiff(
        [], added=int((counts["new"] - counts["old"]).clip(lower=0).sum()),
        removed=int((counts["old"] - counts["new"]).clip(lower=0).sum()), changed=0,
        unchanged=int(counts[["old", "new"]].min(axis=1).sum()),
        added_sample=_plain_records(new[_surplus(new_hash, old_counts)]),
        removed_sample=_plain_records(old[_surplus(old_hash, new_counts)]))


def _surplus(hashes: pd.Series, other_counts: pd.Series):
    """Rows beyond the copies the other version also has (its third 2 when it has two)."""
    occurrence = hashes.groupby(hashes).cumcount()
    return (occurrence >= hashes.map(other_counts).fillna(0)).to_numpy()


def _plain_records(frame: pd.DataFrame) -> list[dict]:
    return [{c: plain(v) for c, v in row.items()}
            for _, row in frame.head(SAMPLE_ROWS).iterrows()]


def plain(value):
    """A cell as a plain Python value; missing (NaN, NaT, NA) is None."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            return value.item()
        except (ValueError, AttributeError):
            return value
    return value


def _measure_order(*profiles: dict | None) -> list[str]:
    names: list[str] = []
    for profile in profiles:
        for measure in (profile or {}).get("measures") or []:
            if measure["name"] not in names:
                names.append(measure["name"])
        for name in ((profile or {}).get("totals") or {}):
            if name not in names:
                names.append(name)
    return names


def total_changes(old: dict | None, new: dict | None) -> list[FigureChange]:
    """Each measure's grand total (`totals` of the profile) in both versions."""
    old_totals, new_totals = (old or {}).get("totals") or {}, (new or {}).get("totals") or {}
    return [FigureChange(name, old_totals.get(name), new_totals.get(name))
            for name in _measure_order(new, old)
            if old_totals.get(name) is not None or new_totals.get(name) is not None]


def by_gu_changes(old: dict | None, new: dict | None) -> dict[str, list[FigureChange]]:
    """Each series of `by_gu` per gu in both versions, gu in MOIS order."""
    old_by_gu, new_by_gu = (old or {}).get("by_gu") or {}, (new or {}).get("by_gu") or {}
    gu_order = []
    for profile in (new, old):
        labels = (((profile or {}).get("dimensions") or {}).get("gu") or {}).get("labels") or []
        gu_order += [g for g in labels if g not in gu_order]
    result = {}
    for series in [*_measure_order(new, old), ROWS]:
        before, after = old_by_gu.get(series) or {}, new_by_gu.get(series) or {}
        if not before and not after:
            continue
        names = gu_order + [g for g in [*after, *before] if g not in gu_order]
        result[series] = [FigureChange(g, before.get(g), after.get(g)) for g in names
                          if g in before or g in after]
    return result
