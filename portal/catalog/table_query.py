"""Filtering, sorting and paging a Parquet table snapshot, one row group at a time.

A 1,000,000-row table answers a page without being loaded: the filter pass reads only the
filtered (and sorted) columns of each row group, a sort keeps only the best `offset + limit`
candidates per group (`select_k`), and only the row groups holding the page's rows are read
in full. Memory stays bounded by one row group, whatever the table's size.

Parameters follow Datasette (`_sort`, `_sort_desc`, `col__gte=`, …): controls start with `_`
so they never collide with column names, which here are Korean headers.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


class QueryError(ValueError):
    """A request the table cannot answer; the message names the column or parameter."""


@dataclass(frozen=True)
class Operator:
    name: str
    label_ko: str
    label_en: str
    takes_value: bool = True


# Declared once: the rows API and the operator table of a dataset page's API section.
OPERATORS: dict[str, Operator] = {op.name: op for op in (
    Operator("exact", "같음", "equals"),
    Operator("not", "같지 않음", "does not equal"),
    Operator("contains", "포함", "contains (case-insensitive)"),
    Operator("startswith", "시작", "starts with"),
    Operator("gt", "초과", "greater than"),
    Operator("gte", "이상", "greater than or equal"),
    Operator("lt", "미만", "less than"),
    Operator("lte", "이하", "less than or equal"),
    Operator("in", "목록 중 하나", "one of a comma-separated list"),
    Operator("isnull", "비어 있음", "is missing (1) or present (0)", takes_value=False),
    Operator("notnull", "값 있음", "is present (1) or missing (0)", takes_value=False),
)}
PAGING_PARAMETERS = ("_page", "_size", "offset", "limit")
CONTROL_PARAMETERS = ("_sort", "_sort_desc", "_version", "_shape") + PAGING_PARAMETERS
TRUE_WORDS = {"", "1", "true", "yes", "y", "on"}
FALSE_WORDS = {"0", "false", "no", "n", "off"}


@dataclass(frozen=True)
class Filter:
    column: str
    operator: str
    value: object  # already converted to the column's type


@dataclass(frozen=True)
class TableQuery:
    filters: tuple[Filter, ...] = ()
    sort: str | None = None
    descending: bool = False
    offset: int = 0
    limit: int = 50


@dataclass(frozen=True)
class QueryResult:
    rows: pa.Table
    total: int
    columns: list[str]


def column_kind(arrow_type: pa.DataType) -> str:
    """number | integer | timestamp | date | boolean | string: how values compare."""
    if pa.types.is_integer(arrow_type):
        return "integer"
    if pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type):
        return "number"
    if pa.types.is_timestamp(arrow_type):
        return "timestamp"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    return "string"


@lru_cache(maxsize=256)
def _metadata(path: str, mtime_ns: int) -> pq.FileMetaData:
    # Snapshots are immutable and content-addressed, so the footer can be kept per path.
    return pq.read_metadata(path)


def table_schema(path: Path) -> pa.Schema:
    """The table's columns and their plain (not dictionary-encoded) Arrow types."""
    path = Path(path)
    return _metadata(str(path), path.stat().st_mtime_ns).schema.to_arrow_schema()


def open_table(path: Path) -> pq.ParquetFile:
    """The snapshot with text columns read dictionary-encoded: Seoul tables repeat a few
    gu, category and status names, so a filter or sort works on the small dictionary and
    integer codes (a 1,000,000-row text column reads 4× faster)."""
    path = Path(path)
    metadata = _metadata(str(path), path.stat().st_mtime_ns)
    text = [f.name for f in metadata.schema.to_arrow_schema() if column_kind(f.type) == "string"]
    return pq.ParquetFile(path, metadata=metadata, read_dictionary=text)


def parse_query(items, schema: pa.Schema, *, default_size: int = 50,
                max_size: int = 1000) -> TableQuery:
    """Request parameters as (name, value) pairs → a checked `TableQuery`."""
    names = set(schema.names)
    filters, sort, descending = [], None, False
    single: dict[str, str] = {}
    for key, value in items:
        if key in names:
            filters.append(_filter(schema, key, "exact", value))
        elif key in ("_sort", "_sort_desc"):
            if value not in names:
                raise QueryError(f"cannot sort by unknown column {value!r}; "
                                 f"the columns are: {', '.join(schema.names)}")
            if sort is not None and sort != value:
                raise QueryError("give one of _sort or _sort_desc, once")
            sort, descending = value, key == "_sort_desc"
        elif key in CONTROL_PARAMETERS:
            single[key] = value
        elif key.startswith("_"):
            raise QueryError(f"unknown parameter {key!r}")
        else:
            column, _, operator = key.rpartition("__")
            if not column or operator not in OPERATORS:
                raise QueryError(f"unknown column {key!r}; the columns are: "
                                 f"{', '.join(schema.names)}")
            if column not in names:
                raise QueryError(f"unknown column {column!r} in {key!r}; the columns are: "
                                 f"{', '.join(schema.names)}")
            filters.append(_filter(schema, column, operator, value))
    offset, limit = _paging(single, default_size, max_size)
    return TableQuery(tuple(filters), sort, descending, offset, limit)


def _paging(single: dict[str, str], default_size: int, max_size: int) -> tuple[int, int]:
    def number(name: str, default: int, smallest: int) -> int:
        raw = single.get(name)
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except ValueError:
            raise QueryError(f"{name} must be a whole number, not {raw!r}") from None
        if value < smallest:
            raise QueryError(f"{name} must be at least {smallest}")
        return value

    if "offset" in single or "limit" in single:
        limit = number("limit", default_size, 1)
        offset = number("offset", 0, 0)
    else:
        limit = number("_size", default_size, 1)
        offset = (number("_page", 1, 1) - 1) * limit
    if limit > max_size:
        raise QueryError(f"at most {max_size} rows per page (asked for {limit})")
    return offset, limit


def _filter(schema: pa.Schema, column: str, operator: str, raw: str) -> Filter:
    kind = column_kind(schema.field(column).type)
    if operator in ("isnull", "notnull"):
        word = raw.strip().lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            raise QueryError(f"{column}__{operator} takes 1 or 0, not {raw!r}")
        return Filter(column, operator, word in TRUE_WORDS)
    if operator in ("contains", "startswith"):
        return Filter(column, operator, raw)
    if operator == "in":
        return Filter(column, operator, [_typed(column, kind, part.strip())
                                         for part in raw.split(",") if part.strip()])
    return Filter(column, operator, _typed(column, kind, raw))


def _typed(column: str, kind: str, raw: str):
    """The filter value as the column's type: numbers compare as numbers, not text."""
    text = raw.strip()
    try:
        if kind == "integer":
            number = float(text.replace(",", ""))
            return int(number) if number.is_integer() else number
        if kind == "number":
            number = float(text.replace(",", ""))
            if not math.isfinite(number):
                raise ValueError
            return number
        if kind in ("timestamp", "date"):
            moment = datetime.fromisoformat(text)
            return moment.date() if len(text) <= 10 else moment
        if kind == "boolean":
            if text.lower() in TRUE_WORDS - {""} | FALSE_WORDS:
                return text.lower() in TRUE_WORDS
            raise ValueError
    except ValueError:
        expected = {"integer": "numbers", "number": "numbers", "boolean": "true or false",
                    "timestamp": "dates (e.g. 2024-01-31)", "date": "dates (e.g. 2024-01-31)"}
        raise QueryError(f"column {column!r} holds {expected[kind]}; {raw!r} is not one of "
                         f"them") from None
    return raw


def _mask(table: pa.Table, filters: tuple[Filter, ...]) -> pa.ChunkedArray | None:
    mask = None
    for item in filters:
        condition = _condition(table.column(item.column), item)
        mask = condition if mask is None else pc.and_kleene(mask, condition)
    return None if mask is None else pc.fill_null(mask, False)


def _condition(values, item: Filter):
    if isinstance(values, pa.ChunkedArray):
        return pa.chunked_array([_condition(chunk, item) for chunk in values.chunks],
                                type=pa.bool_())
    op, value = item.operator, item.value
    if op in ("isnull", "notnull"):
        missing = _missing(values)
        return missing if value == (op == "isnull") else pc.invert(missing)
    if pa.types.is_dictionary(values.type):
        # Decide once per distinct value, then spread over the rows by their codes.
        return pc.take(_condition(values.dictionary, item), values.indices)
    if op in ("contains", "startswith"):
        text = values if column_kind(values.type) == "string" else pc.cast(values, pa.string())
        if op == "contains":
            return pc.match_substring(text, value, ignore_case=True)
        return pc.starts_with(text, value)
    if pa.types.is_timestamp(values.type) and _is_day(value):
        values = pc.cast(values, pa.date32())  # a day against a timestamp: that whole day
    if op == "in":
        value_set = pa.array(value)
        if value_set.type != values.type:
            try:
                value_set = pc.cast(value_set, values.type)  # safe: 2.5 never becomes 2
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                values = pc.cast(values, value_set.type)
        return pc.is_in(values, value_set=value_set)
    compare = {"exact": pc.equal, "not": pc.not_equal, "gt": pc.greater,
               "gte": pc.greater_equal, "lt": pc.less, "lte": pc.less_equal}[op]
    return compare(values, pa.scalar(value))


def _is_day(value) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(isinstance(v, date) and not isinstance(v, datetime) for v in values)


def _missing(values: pa.Array) -> pa.Array:
    missing = pc.is_null(values)
    if pa.types.is_dictionary(values.type):
        blank = pc.take(pc.equal(values.dictionary, ""), values.indices)
    elif column_kind(values.type) == "string":
        blank = pc.equal(values, "")
    else:
        return missing
    # Blank text counts as missing, as in the profile's `missing` figure.
    return pc.or_kleene(missing, pc.fill_null(blank, False))


def run_query(path: Path, query: TableQuery) -> QueryResult:
    """The page of rows `query` asks for, and how many rows match it in all."""
    parquet = open_table(path)
    schema = table_schema(path)
    filter_columns = list(dict.fromkeys(f.column for f in query.filters))
    if query.sort:
        total, rows = _sorted_page(parquet, query, filter_columns)
    else:
        total, rows = _unsorted_page(parquet, query, filter_columns)
    return QueryResult(_plain(rows, schema), total, schema.names)


def _row_groups(parquet: pq.ParquetFile):
    start = 0
    for index in range(parquet.num_row_groups):
        size = parquet.metadata.row_group(index).num_rows
        yield index, start, size
        start += size


def _unsorted_page(parquet, query: TableQuery, filter_columns: list[str]):
    wanted_from, wanted_to = query.offset, query.offset + query.limit
    pieces, total = [], 0
    for index, _start, size in _row_groups(parquet):
        if not query.filters:
            # No filter: the count is in the footer; read only the groups holding the page.
            if total + size > wanted_from and total < wanted_to:
                group = parquet.read_row_group(index)
                pieces.append(group.slice(max(wanted_from - total, 0),
                                          wanted_to - max(total, wanted_from)))
            total += size
            continue
        mask = _mask(parquet.read_row_group(index, columns=filter_columns), query.filters)
        matches = pc.sum(mask).as_py() or 0
        if matches and total + matches > wanted_from and total < wanted_to:
            group = parquet.read_row_group(index).filter(mask)
            pieces.append(group.slice(max(wanted_from - total, 0),
                                      wanted_to - max(total, wanted_from)))
        total += matches
    return total, pieces


def _sorted_page(parquet, query: TableQuery, filter_columns: list[str]):
    order = "descending" if query.descending else "ascending"
    keep = query.offset + query.limit
    columns = list(dict.fromkeys([query.sort, *filter_columns]))
    candidates, missing_rows, total = [], [], 0
    for index, start, size in _row_groups(parquet):
        part = parquet.read_row_group(index, columns=columns).combine_chunks()
        mask = _mask(part, query.filters)
        rows = pc.indices_nonzero(mask) if mask is not None else pa.array(np.arange(size))
        total += len(rows)
        keys = part.column(query.sort).chunk(0).take(rows) if part.num_rows else \
            pa.array([], part.schema.field(query.sort).type)
        global_rows = pc.add(pc.cast(rows, pa.int64()), start)
        # Missing values go last in both directions, in table order.
        absent = pc.is_null(keys)
        if len(missing_rows) < keep and pc.any(absent).as_py():
            missing_rows.extend(global_rows.filter(absent).to_pylist()[:keep - len(missing_rows)])
        found = pa.table({"key": _sortable(keys), "row": global_rows,
                          "at": pa.array(np.arange(len(keys)))}).filter(pc.invert(absent))
        if len(found) > keep:
            found = found.take(pc.select_k_unstable(
                found, keep, sort_keys=[("key", order), ("row", "ascending")]))
        # Candidates carry real values: dictionary ranks differ from one row group to another.
        candidates.append(pa.table({"key": _decoded(keys.take(found["at"])),
                                    "row": found["row"]}))
    merged = pa.concat_tables(candidates) if candidates else None
    ordered = []
    if merged is not None and len(merged):
        merged = merged.take(pc.sort_indices(
            merged, sort_keys=[("key", order), ("row", "ascending")]))
        ordered = merged["row"].to_pylist()[:keep]
    ordered += missing_rows
    return total, _rows_at(parquet, ordered[query.offset:keep])


def _sortable(keys: pa.Array) -> pa.Array:
    """Dictionary text as the rank of its value (same order, integer speed)."""
    if pa.types.is_dictionary(keys.type):
        return pc.take(pc.rank(keys.dictionary, tiebreaker="dense"), keys.indices)
    return keys


def _decoded(values: pa.Array) -> pa.Array:
    return pc.cast(values, values.type.value_type) if pa.types.is_dictionary(values.type) \
        else values


def _rows_at(parquet, rows: list[int]) -> list[pa.Table]:
    """The rows at these table positions, in this order; reads only their row groups."""
    position = {row: i for i, row in enumerate(rows)}
    pieces, order = [], []
    wanted = sorted(rows)
    for index, start, size in _row_groups(parquet):
        local = [row - start for row in wanted if start <= row < start + size]
        if local:
            pieces.append(parquet.read_row_group(index).take(local))
            order.extend(position[start + row] for row in local)
    if not pieces:
        return []
    return [pa.concat_tables(pieces, promote_options="permissive")
            .take(pc.sort_indices(pa.array(order)))]


def _plain(pieces: list[pa.Table], schema: pa.Schema) -> pa.Table:
    """Pieces read from different row groups, dictionaries decoded, as one table."""
    if not pieces:
        return schema.empty_table()
    return pa.concat_tables([piece.cast(schema) for piece in pieces])


def json_cell(value):
    """A cell as JSON: numbers stay numbers, missing is null, dates are ISO text."""
    if value is None:
        return None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return value


def json_rows(table: pa.Table) -> list[dict]:
    return [{name: json_cell(value) for name, value in row.items()}
            for row in table.to_pylist()]
