"""Header rows of real tables: a title or unit line above, 2–3 stacked header rows with
merged cells, blank columns; flattened into one unique name per column.

Used by `reading` for CSV and Excel alike. A row continues the header when its first cell
repeats the one above or is blank (a merged label) and it holds no number but year labels.
"""
from __future__ import annotations

import math
import re

import pandas as pd

from portal.catalog.cleaning import NUMBER

MAX_HEADER_ROWS = 4
_NUMBER = re.compile(NUMBER)


def layout(rows: list[list]) -> tuple[int, int, list[str]]:
    """(preamble rows, header rows, flat column labels; "" where blank) from the first
    non-blank rows."""
    widest = max(_filled(r) for r in rows)
    preamble = 0
    # Title and unit lines above the header ("서울시 인구통계", "(단위: 명)"): one cell.
    while widest >= 3 and preamble < len(rows) - 1 and _filled(rows[preamble]) <= 1:
        preamble += 1
    block = rows[preamble:]
    count = _count_header_rows(block)
    return preamble, count, _flatten(block[:count])


def _count_header_rows(rows: list[list]) -> int:
    """A row continues the header when its first cell repeats the one above or is blank
    (a label merged down) and it holds no number except year labels (2016)."""
    count = 1
    while count < min(MAX_HEADER_ROWS, len(rows) - 1):
        row, above = rows[count], rows[count - 1]
        if not (is_blank(row[0]) or label(row[0]) == label(above[0])):
            break
        if any(_is_number(v) and not _is_year(v) for v in row):
            break
        count += 1
    # Stacked headers exist because of merged cells: an upper row spans several columns.
    if count > 1 and not any(_spans(r) for r in rows[:count - 1]):
        return 1
    return count


def _flatten(rows: list[list]) -> list[str]:
    width = max(len(r) for r in rows)
    levels = [[label(v) for v in r] + [""] * (width - len(r)) for r in rows]
    for depth, level in enumerate(levels[:-1]):  # a cell merged across comes out blank
        for c in range(1, width):
            same_parent = all(levels[p][c] == levels[p][c - 1] for p in range(depth))
            if not level[c] and level[c - 1] and same_parent:
                level[c] = level[c - 1]
    return ["_".join(dict.fromkeys(level[c] for level in levels if level[c]))
            for c in range(width)]


def column_names(labels: list[str], width: int) -> list[str]:
    """Unique names for `width` columns: blank or missing labels become column_N."""
    labels = labels + [""] * (width - len(labels))
    return _unique([text or f"column_{i + 1}" for i, text in enumerate(labels)])


def drop_blank_columns(frame: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Columns without a header and without a value carry nothing (Excel spacer columns,
    a trailing separator on every line)."""
    keep = [i < len(labels) and bool(labels[i]) or frame.iloc[:, i].notna().any()
            for i in range(frame.shape[1])]
    return frame.loc[:, keep]


def _unique(names: list[str]) -> list[str]:
    seen, result = set(), []
    for name in names:
        candidate, n = name, 1
        while candidate in seen:
            n += 1
            candidate = f"{name}_{n}"
        seen.add(candidate)
        result.append(candidate)
    return result


def label(value) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())  # header cells wrap lines inside Excel
    return "" if re.fullmatch(r"Unnamed: \d+(_level_\d+)?", text) else text


def is_blank(value) -> bool:
    return (value is None or (isinstance(value, float) and math.isnan(value))
            or (isinstance(value, str) and not value.strip()))


def is_blank_row(row) -> bool:
    return all(is_blank(v) for v in row)


def _filled(row) -> int:
    return sum(not is_blank(v) for v in row)


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return not math.isnan(value)
    return isinstance(value, str) and bool(_NUMBER.fullmatch(value.strip()))


def _is_year(value) -> bool:
    text = label(value)
    return len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2100


def _spans(row) -> bool:
    labels = [label(v) for v in row]
    return any(labels[c - 1] and labels[c] in ("", labels[c - 1])
               for c in range(1, len(labels)))
