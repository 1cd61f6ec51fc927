"""Give the cells of a read table their types: numbers, dates, codes and text.

The second half of the ingest path (`reading.read_table` is the first):

    clean_table(frame) -> pd.DataFrame                 a typed copy
    clean_table_with_notes(frame) -> CleanResult       the same, plus one note per column
                                                       whose type was decided ("why")

Decision: `clean_table` returns the DataFrame itself, because that is all the ingest path
stores; the notes (English, for logs and the profile) come from `clean_table_with_notes`,
which does the same work.

Types after cleaning:
- numbers → `Int64` when every value is integral, else `float64`. Korean statistics write
  numbers as text: thousands separators (`"9,328,042"`), left padding (`"          2.07"`) and
  markers for "no value" (`-`, `－`, `..`, `x` for suppressed cells); markers become missing.
- dates → `datetime64`; LOCALDATA mixes `YYYYMMDD` and `YYYY-MM-DD` in one column and uses
  `9999-12-31` for "not closed": sentinels become NaT.
- codes (identifiers) → text with their leading zeros: `개방자치단체코드 3000000`, `관리번호`,
  `영업상태코드 01`, 우편번호, 전화번호.
- everything else → text (pandas `str`), stripped, empty → missing.

Each text column's kind is decided on an evenly spaced sample, then the whole column is
converted with vectorised (pyarrow) operations. If the full conversion fails for a cell that
is not a missing-marker, the column stays text and the note says which value stopped it:
a column is never half numbers, half silently dropped values.
"""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

SAMPLE_SIZE = 2000
PARALLEL_ROWS = 100_000  # below this, a second thread costs more than it saves
NEARLY_ALL = 0.9  # of a sample, for a column to be tried as numbers or dates

# Written in Korean statistics where a number would be: none, not applicable, suppressed.
MISSING_MARKERS = ("-", "－", "–", "—", "..", "...", "…", "x", "X", "nan", "NaN",
                   "NULL", "null", "N/A", "n/a", "#N/A")

NUMBER = r"(?:[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)"
_NUMBER = re.compile(NUMBER)
_DIGITS = re.compile(r"\d+")
# One separator throughout: "2017.1/4" is a quarter (data.seoul.go.kr 기간), not 4 January.
_DATE = re.compile(r"(?P<y>\d{4})(?:(?P<m>\d{2})(?P<d>\d{2})"
                   r"|(?P<sep>[-./])\d{1,2}(?P=sep)\d{1,2}\.?"
                   r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)")
# Other spellings brought to ISO form for the whole column (RE2 syntax, run by pyarrow).
_TO_ISO = (r"^(\d{4})(\d{2})(\d{2})$", r"^(\d{4})\.(\d{1,2})\.(\d{1,2})\.?",
           r"^(\d{4})/(\d{1,2})/(\d{1,2})")

# Header words that name a code or an identifier rather than a quantity.
_IDENTIFIER_NAME = re.compile(
    r"코드|번호|전화|팩스|(?<![A-Za-z])(?:ID|CD|CODE|NO|SN|SEQ|ZIP|TEL)(?![A-Za-z])", re.I)
_DATE_NAME = re.compile(r"일자|일시|날짜|시작일|종료일|시점|일$|DATE|(?<![A-Z])DT|DT(?:TM)?(?![A-Z])",
                        re.I)
# Quantities: a fixed-width column of these is a measure, not a code (인구수, 매출액, 소계).
_MEASURE_NAME = re.compile(r"(?:수|액|계|량|율|률|면적)$|인구|금액|매출")

SENTINEL_YEARS = (9999, 0)
SENTINEL_DAY = pd.Timestamp("1900-01-01")  # Excel's day 1, written for "unknown"


@dataclass(frozen=True)
class CleanResult:
    frame: pd.DataFrame
    notes: dict[str, str] = field(default_factory=dict)


def clean_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A typed copy of `frame` (see the module docstring for the rules)."""
    return clean_table_with_notes(frame).frame


def clean_table_with_notes(frame: pd.DataFrame) -> CleanResult:
    columns, notes = {}, {}
    # by position: names may repeat
    jobs = [(str(name), frame.iloc[:, position]) for position, name in enumerate(frame.columns)]
    if len(frame) >= PARALLEL_ROWS and len(jobs) > 1:
        # A text column's time goes to Arrow kernels (strip, compare), which release the GIL:
        # two columns at a time on two cores.
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="clean") as pool:
            results = list(pool.map(lambda job: clean_column(*job), jobs))
    else:
        results = [clean_column(*job) for job in jobs]
    for position, (name, (column, note)) in enumerate(zip(frame.columns, results)):
        columns[position] = column
        if note:
            notes[name] = note
    # Every column is already a new Series: copying them again would double the memory.
    cleaned = pd.DataFrame(columns, index=pd.RangeIndex(len(frame)), copy=False)
    cleaned.columns = frame.columns
    return CleanResult(cleaned, notes)


def columns_to_read_as_text(sample: pd.DataFrame) -> list:
    """Columns of a text-typed sample that a fast reader must not let pandas type.

    Only columns that are plainly numbers may be typed by the CSV parser (`thousands=","`);
    codes would lose their leading zeros and `"1,2"` would become 12.
    """
    return [name for name in sample.columns
            if _decide(str(name), _sample(_strip(sample[name].astype("str")))) != "number"]


def clean_column(name: str, column: pd.Series) -> tuple[pd.Series, str]:
    """One column typed, and a note on what was decided (empty if nothing noteworthy)."""
    column = column.reset_index(drop=True)
    if column.dtype == object:
        column = _settle_objects(column)
    if pd.api.types.is_bool_dtype(column):
        return column, ""
    if pd.api.types.is_datetime64_any_dtype(column):
        dates, dropped = _mask_sentinel_dates(column)
        return dates, _count_note("date", dropped, "sentinel dates")
    if pd.api.types.is_numeric_dtype(column):
        return _clean_numeric(name, column)
    text = _strip(column.astype("str"))
    kind = _decide(name, _sample(text))
    if kind == "date":
        return _to_dates(text)
    if kind in ("number", "mostly-number"):
        return _to_numbers(text)
    return text, ("identifier kept as text" if kind == "identifier" else "")


def _settle_objects(column: pd.Series) -> pd.Series:
    """Excel and JSON give object columns; type those that hold one kind of value."""
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind in ("integer", "floating", "mixed-integer-float", "decimal"):
        return pd.to_numeric(column)
    if kind in ("datetime", "datetime64", "date"):
        return pd.to_datetime(column, errors="coerce")
    if kind == "boolean":
        return column.astype("boolean")
    return column


def _clean_numeric(name: str, column: pd.Series) -> tuple[pd.Series, str]:
    if column.isna().all():
        return column.astype("str"), ""  # no values at all: nothing says it is a number
    integral = pd.api.types.is_integer_dtype(column) or _all_integral(column)
    if integral and _IDENTIFIER_NAME.search(name):
        # A code stored as a number by Excel or JSON: text again (leading zeros are lost).
        return column.astype("Int64").astype("str"), "identifier kept as text"
    if integral and _DATE_NAME.search(name):
        as_text = column.astype("Int64").astype("str")
        if _decide(name, _sample(as_text)) == "date":
            return _to_dates(as_text)
    return column.astype("Int64" if integral else "float64"), ""


def _all_integral(column: pd.Series) -> bool:
    values = column.dropna().to_numpy(dtype="float64")
    # Beyond 2**53 a float is no longer an exact integer: it stays a float.
    return bool(np.all(np.mod(values, 1) == 0) and np.abs(values).max() < 2 ** 53)


def _strip(text: pd.Series) -> pd.Series:
    text = text.str.strip()
    return text.mask(text == "")


def _sample(text: pd.Series) -> pd.Series:
    """Up to SAMPLE_SIZE non-missing values spread over the whole column (sorted files
    put their oddities at the end: leading-zero codes, late sentinel dates)."""
    if len(text) > 4 * SAMPLE_SIZE:
        # Pick spread positions first, and only then drop the missing ones: dropping them
        # from a million cells first costs more than all the deciding.
        spread = text.iloc[np.linspace(0, len(text) - 1, 4 * SAMPLE_SIZE).astype(int)].dropna()
        if len(spread) >= SAMPLE_SIZE:
            return spread.iloc[np.linspace(0, len(spread) - 1, SAMPLE_SIZE).astype(int)]
    values = text.dropna()
    if len(values) > SAMPLE_SIZE:
        values = values.iloc[np.linspace(0, len(values) - 1, SAMPLE_SIZE).astype(int)]
    return values


def _decide(name: str, sample: pd.Series) -> str:
    """'empty', 'date', 'identifier', 'number', 'mostly-number' or 'text', from a stripped
    sample. Dates and mostly-numbers are then checked cell by cell (vectorised): a column
    with a stray word stays text, with a note naming the word."""
    values = [v for v in sample.tolist() if v not in MISSING_MARKERS]
    if not values:
        return "empty" if sample.empty else "text"
    if _looks_like_dates(name, values):
        return "date"
    if _looks_like_identifier(name, values):
        return "identifier"
    numbers = sum(bool(_NUMBER.fullmatch(v)) for v in values)
    if numbers == len(values):
        return "number"
    return "mostly-number" if numbers >= NEARLY_ALL * len(values) else "text"


def _looks_like_dates(name: str, values: list[str]) -> bool:
    if not all(_DATE.fullmatch(v) for v in values):
        return False
    # Eight bare digits are a date only under a date-like header (20240101 vs a count).
    if not _DATE_NAME.search(name) and any(_DATE.fullmatch(v)["m"] for v in values):
        return False
    text = pd.Series(values, dtype="str")
    sentinel = _sentinel_text(text)
    parsed = _parse_dates(text.mask(sentinel))
    return bool((parsed.notna() | sentinel).mean() >= NEARLY_ALL and parsed.notna().any())


def _looks_like_identifier(name: str, values: list[str]) -> bool:
    if _IDENTIFIER_NAME.search(name):
        return True
    if not all(_DIGITS.fullmatch(v) for v in values):
        return False
    if any(len(v) > 1 and v.startswith("0") for v in values):
        return True  # 01, 04533: leading zeros are part of the code
    if any(len(v) > 15 for v in values):
        return True  # beyond float precision: an ID, not a quantity (관리번호)
    widths = {len(v) for v in values}
    # 1111051500, 3000000: codes have one width; quantities of one width are named as such.
    return len(widths) == 1 and widths.pop() >= 7 and not _MEASURE_NAME.search(name)


def _to_numbers(text: pd.Series) -> tuple[pd.Series, str]:
    markers = text.isin(MISSING_MARKERS)
    bad = text.notna() & ~markers & ~text.str.fullmatch(NUMBER).fillna(False).astype(bool)
    if bad.any():
        return text, _kept_as_text(text, bad, "numbers")
    digits = pa.array(text.mask(markers).str.replace(",", "", regex=False).array)
    numbers = None
    if not pc.any(pc.match_substring(digits, ".")).as_py():
        try:
            numbers = pd.Series(digits.cast(pa.int64()).to_pandas(
                types_mapper={pa.int64(): pd.Int64Dtype()}.get))
        except pa.ArrowInvalid:
            pass  # beyond int64: a float will do
    if numbers is None:
        numbers, _ = _clean_numeric("", pd.Series(digits.cast(pa.float64()).to_pandas()))
    return numbers, _count_note("number", int(markers.sum()), "missing-markers")


def _to_dates(text: pd.Series) -> tuple[pd.Series, str]:
    sentinels = (_sentinel_text(text) | text.isin(MISSING_MARKERS)) & text.notna()
    cells = text.mask(sentinels)
    # Rewriting a spelling costs a regex pass over the column: only those the sample shows,
    # then every spelling on the few cells that are still not dates.
    sample = _sample(cells)
    dates = _parse_dates(cells, [p for p in _TO_ISO if sample.str.match(p).any()])
    missed = dates.isna() & cells.notna()
    if missed.any():
        dates = dates.mask(missed, _parse_dates(cells[missed]))
    bad = dates.isna() & cells.notna()
    if bad.any():
        return text, _kept_as_text(text, bad, "dates")
    dates, dropped = _mask_sentinel_dates(dates)
    return dates, _count_note("date", int(sentinels.sum()) + dropped, "sentinel or marker values")


def _parse_dates(text: pd.Series, spellings=_TO_ISO) -> pd.Series:
    """YYYYMMDD, YYYY.MM.DD and YYYY/MM/DD brought to ISO form, then parsed at once."""
    for pattern in spellings:
        text = text.str.replace(pattern, r"\1-\2-\3", regex=True)
    return pd.to_datetime(text, format="ISO8601", errors="coerce")


def _sentinel_text(text: pd.Series) -> pd.Series:
    """0000-00-00 cannot be parsed and 9999-12-31 should not be: both mean 'no date'."""
    return text.str.match(r"(?:0000|9999)").fillna(False).astype(bool)


def _mask_sentinel_dates(dates: pd.Series) -> tuple[pd.Series, int]:
    sentinel = dates.dt.year.isin(SENTINEL_YEARS) | (dates == SENTINEL_DAY)
    return dates.mask(sentinel), int(sentinel.sum())


def _kept_as_text(text: pd.Series, bad: pd.Series, what: str) -> str:
    return f"kept as text: {int(bad.sum())} cells are not {what}, e.g. {text[bad].iloc[0]!r}"


def _count_note(kind: str, count: int, what: str) -> str:
    return f"{kind}; {count} {what} read as missing" if count else ""
