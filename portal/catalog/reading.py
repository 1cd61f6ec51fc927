"""Read any Korean public table file into one flat DataFrame (the first half of ingest).

    read_table(data, filename, *, sheet=None) -> RawTable

Formats come from the bytes first (OLE2 `D0 CF 11 E0` → XLS, ZIP `PK` → XLSX, `{`/`[` → JSON,
otherwise CSV) and the extension second, so a `.csv` that is really a workbook still reads.
Text is strict UTF-8 (BOM stripped) or else strict CP949 (MOIS, data.go.kr and LOCALDATA
files), tried on the first 256 KB; pandas then decodes the whole CSV in that encoding,
strictly, while it parses, so a 50 MB file is decoded once. If a later byte fails, the
whole file is tried again, then charset-normalizer guesses - but only when neither strict
try got through any non-ASCII text: a file that is CP949 up to a bad byte is an error naming
that byte's offset and line, never a guess. The encoding used is reported. Stacked header rows (data.seoul.go.kr statistics, KOSIS downloads) are flattened
into one name per column: levels joined with "_", merged cells filled across, repeated
parts dropped (`인구` / `합계` / `계` → `인구_합계_계`, `기간` ×3 → `기간`).

CSV goes through pandas' C parser twice: a text-only sample decides which columns must
stay text (codes, dates, odd commas; `cleaning.columns_to_read_as_text`), then the whole
file is read with `thousands=","` so plain numbers are typed by the parser itself.
JSON gives header_rows 0 and data_start_row 1 (it has no lines to point at).
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import openpyxl
import pandas as pd
import xlrd

from portal.catalog.cleaning import NUMBER, columns_to_read_as_text
from portal.catalog.csv_arrow import read_csv_arrow
from portal.catalog.headers import (column_names, drop_blank_columns, is_blank, is_blank_row,
                                    label, layout)
from portal.catalog.errors import IngestError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
KOSIS_DATA_SHEET = "데이터"  # KOSIS downloads: 데이터 (the table) and 메타정보 (about it)
TOP_ROWS = 30            # rows looked at to find the preamble and the header
TOP_CHARS = 256 * 1024
SAMPLE_ROWS = 5_000      # rows read as text to decide which CSV columns stay text
# Codepages whose decoders accept almost any byte: a "guess" of these is never a guess.
_IMPLAUSIBLE = {"cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"}
_ASCII = bytes(range(128))
_NUMBER = re.compile(NUMBER)
_PANDAS_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_PANDAS_OPEN_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")


@dataclass(frozen=True)
class RawTable:
    frame: pd.DataFrame
    format: str               # csv | xlsx | xls | json
    encoding: str | None      # of csv/json text; None for Excel
    header_rows: int          # header lines flattened into the column names
    data_start_row: int       # 1-based line (sheet row) of the first data row
    sheet: str | None = None  # the Excel sheet that was read


def read_table(data: bytes, filename: str, *, sheet: str | int | None = None) -> RawTable:
    """The table in `data` with flat, unique, stripped column names. `sheet` (a name or a
    0-based index) applies to workbooks; by default 데이터 if present, else the first."""
    if not data or data.isspace():  # isspace stops at the first byte that is not
        raise IngestError("the file is empty", filename=filename)
    kind = _sniff_format(data, filename)
    if kind in ("xls", "xlsx"):
        reader = _xls_rows if kind == "xls" else _xlsx_rows
        rows, sheet_name = reader(data, filename, sheet)
        return _table_from_rows(rows, kind, filename, sheet_name)
    if kind == "json":
        text, encoding, _ = _decode(data, filename)
        return RawTable(_read_json(text, filename), "json", encoding, 0, 1)
    return _read_csv(data, filename)


# --- format and encoding ------------------------------------------------------------------

def _sniff_format(data: bytes, filename: str) -> str:
    if data.startswith(OLE2_MAGIC):
        return "xls"
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    start = data[:512].lstrip(codecs.BOM_UTF8 + b" \t\r\n").lower()
    if start.startswith((b"<!doctype", b"<html", b"<?xml", b"<table", b"<openapi")):
        raise IngestError("this is an HTML or XML page, not a table file (often an error page "
                          "saved under the table's name); download the file again, or save "
                          "it as CSV or XLSX", filename=filename)
    if Path(filename).suffix.lower() == ".json" or start[:1] in (b"{", b"["):
        return "json"
    return "csv"


@dataclass(frozen=True)
class _Text:
    """CSV bytes ready for pandas: `data[skip:]` in `codec`; `encoding` is what the file
    was (reported); `head` its decoded beginning, `cut` whether the file goes on after."""
    data: bytes
    skip: int
    codec: str
    encoding: str
    head: str
    cut: bool


def _head_encoding(data: bytes) -> _Text | None:
    """The file as it is, when its head is strict UTF-8 or CP949.

    pandas then decodes the rest itself, strictly, while it parses: a 50 MB file is not
    decoded twice. A later bad byte raises UnicodeDecodeError and sends the caller to
    `_decode`, which looks at the whole file."""
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    head = data[skip:skip + TOP_CHARS]
    cut = skip + len(head) < len(data)
    for encoding in ("utf-8", "cp949"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=not cut)
        except UnicodeDecodeError:
            continue
        return _Text(data, skip, encoding, "utf-8-sig" if skip else encoding, text, cut)
    return None


def _decode(data: bytes, filename: str) -> tuple[str, str, bytes]:
    """(text, encoding, the text as UTF-8 bytes for pandas' C parser). UTF-16 (Excel's
    "Unicode text") fails both strict tries at its BOM and is charset-normalizer's to find."""
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    failures = {}  # encoding -> offset of its first bad byte
    try:
        return data[bom:].decode("utf-8"), ("utf-8-sig" if bom else "utf-8"), data[bom:]
    except UnicodeDecodeError as exc:
        failures["UTF-8"] = bom + exc.start
    try:
        text = data.decode("cp949")
        return text, "cp949", text.encode("utf-8")
    except UnicodeDecodeError as exc:
        failures["CP949"] = exc.start
    # The encoding that got further is the one meant; where it fails, the file is damaged.
    # Only when neither got through any Korean text is it another encoding altogether.
    encoding, offset = max(failures.items(), key=lambda item: item[1])
    if len(data[:offset].translate(None, _ASCII)) < 32:
        guess = charset_normalizer.from_bytes(data).best()
        if guess is not None and guess.encoding not in _IMPLAUSIBLE:
            text = str(guess)
            return text, guess.encoding, text.encode("utf-8")
    line = data.count(b"\n", 0, offset) + 1
    raise IngestError(
        f"cannot decode the text: byte 0x{data[offset]:02X} at offset {offset} (line {line}) "
        f"is not valid {encoding}, and the file is neither UTF-8 nor CP949/EUC-KR throughout; "
        "it may be damaged there or be in another encoding. Save it again as UTF-8 (Excel: "
        "'CSV UTF-8') and upload it again", filename=filename, row=line)


# --- CSV -----------------------------------------------------------------------------------

def _read_csv(data: bytes, filename: str) -> RawTable:
    source = _head_encoding(data)
    if source is not None:
        try:
            return _parse_csv_table(source, filename)
        except UnicodeDecodeError:
            pass  # the head decoded, a later byte does not: look at the whole file
    text, encoding, utf8 = _decode(data, filename)
    return _parse_csv_table(_Text(utf8, 0, "utf-8", encoding, text[:TOP_CHARS],
                                  len(text) > TOP_CHARS), filename)


def _parse_csv_table(source: _Text, filename: str) -> RawTable:
    head = source.head
    sep = "\t" if head[:4096].count("\t") > head[:4096].count(",") else ","
    records = _top_records(head, source.cut, sep, filename)
    rows = [(i, r) for i, r in enumerate(records) if not is_blank_row(r)]
    if not rows:
        raise IngestError("the file has no rows", filename=filename)
    preamble, header_rows, names = layout([r for _, r in rows])
    header_end = rows[preamble + header_rows - 1][0] + 1
    data_start = (rows[preamble + header_rows][0] if len(rows) > preamble + header_rows
                  else header_end) + 1
    for index, record in rows[preamble + header_rows:]:
        if any(v.strip() for v in record[len(names):]):
            raise _ragged(index + 1, len(record), len(names), filename)
    width = max(len(r) for _, r in rows)
    columns = column_names(names, width)
    options = dict(sep=sep, header=None, names=range(width), index_col=False,
                   skiprows=header_end, keep_default_na=False, na_values=[""],
                   encoding=source.codec)
    sample = _parse_csv(source, filename, nrows=SAMPLE_ROWS, dtype="str", **options)
    if sample.empty:
        raise IngestError("the file has a header but no data rows", filename=filename,
                          row=header_end + 1)
    sample.columns = columns
    frame = read_csv_arrow(source.data, skip=source.skip, codec=source.codec, sep=sep,
                           skip_rows=header_end, width=width,
                           text_columns=[sample.columns.get_loc(name) for name in
                                         columns_to_read_as_text(sample)])
    if frame is None:
        frame = _parse_csv(source, filename, dtype=_text_dtypes(sample), thousands=",",
                           **options)
    frame.columns = columns
    frame = _drop_blank_tail(frame, len(names), filename, data_start)
    return RawTable(drop_blank_columns(frame, names), "csv", source.encoding, header_rows,
                    data_start)


def _top_records(head: str, cut: bool, sep: str, filename: str) -> list[list[str]]:
    records = []
    try:
        # newline=None: old Mac exports end lines with a bare CR, which csv refuses
        for record in csv.reader(io.StringIO(head, newline=None), delimiter=sep):
            records.append(record)
            if len(records) > TOP_ROWS:
                break
    except csv.Error as exc:
        raise IngestError(f"the CSV cannot be parsed near line {len(records) + 1}: {exc}",
                          filename=filename, row=len(records) + 1) from None
    if cut and len(records) <= TOP_ROWS:
        records = records[:-1]  # the last record may be cut in the middle
    return records[:TOP_ROWS]


def _text_dtypes(sample: pd.DataFrame) -> dict:
    """pandas dtypes, by position, for the columns the parser must not type. Only those it
    could read as numbers need telling: forcing text on words costs time, changes nothing."""
    dtypes = {}
    for name in columns_to_read_as_text(sample):
        values = sample[name].dropna()
        if values.empty:  # as objects: cheaper than text, and later cells stay as written
            dtypes[sample.columns.get_loc(name)] = object
        elif values.str.fullmatch(r"[\d\s,.+-]*").all():
            dtypes[sample.columns.get_loc(name)] = "str"
    return dtypes


def _parse_csv(source: _Text, filename: str, **options) -> pd.DataFrame:
    buffer = io.BytesIO(source.data)  # shares the bytes; seeking past a BOM copies nothing
    buffer.seek(source.skip)
    try:
        with warnings.catch_warnings():
            # A column typed differently in two chunks comes back as objects of both
            # kinds; cleaning settles those, so pandas' warning says nothing new.
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            return pd.read_csv(buffer, engine="c", **options)
    except pd.errors.EmptyDataError:
        return pd.DataFrame(columns=options["names"])
    except pd.errors.ParserError as exc:
        ragged = _PANDAS_RAGGED.search(str(exc))
        if ragged:
            expected, line, saw = map(int, ragged.groups())
            raise _ragged(line, saw, expected, filename) from None
        quote = _PANDAS_OPEN_QUOTE.search(str(exc))
        if quote:
            line = int(quote.group(1)) + 1
            raise IngestError(f"a quoted value that starts on line {line} is never closed",
                              filename=filename, row=line) from None
        raise IngestError(f"the CSV cannot be parsed: {exc}", filename=filename) from None


def _ragged(line: int, saw: int, expected: int, filename: str, *,
            about: bool = False) -> IngestError:
    return IngestError(
        f"line {line}{' (about)' if about else ''} has {saw} fields where the header has "
        f"{expected}: a value probably contains an unquoted comma, or the row has an extra "
        "separator; quote the value or remove the separator", filename=filename, row=line)


def _drop_blank_tail(frame: pd.DataFrame, named: int, filename: str,
                     data_start: int) -> pd.DataFrame:
    """Trailing blank rows go, and columns beyond the header when they are blank (LOCALDATA
    rows end with a comma the header lacks); values there mean rows longer than the header."""
    filled = frame.iloc[:, named:].notna().any(axis=1)
    if filled.any():  # blank lines in between would shift this count: hence "about"
        line = data_start + int(filled.to_numpy().argmax())
        raise _ragged(line, frame.shape[1], named, filename, about=True)
    frame = frame.iloc[:, :named]
    last = len(frame)
    if last and frame.iloc[-1].isna().all():  # only then look at every row
        kept = frame.notna().any(axis=1).to_numpy()
        last = len(kept) - int(kept[::-1].argmax()) if kept.any() else 0
    if last == 0:
        raise IngestError("the file has a header but no data rows", filename=filename,
                          row=data_start)
    return frame.iloc[:last] if last < len(frame) else frame


# --- Excel ---------------------------------------------------------------------------------

def _xlsx_rows(data: bytes, filename: str, sheet) -> tuple[list[list], str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.namelist()
    except zipfile.BadZipFile:
        raise IngestError("the file looks like an XLSX workbook but is damaged (not a "
                          "readable ZIP); open it in Excel and save it again, or save it as "
                          "CSV", filename=filename) from None
    if "xl/workbook.xml" not in members:
        raise IngestError("this is a ZIP archive, not an Excel workbook; unzip it and upload "
                          f"the table inside (it holds: {', '.join(members[:5])})",
                          filename=filename)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            name = _pick_sheet(book.sheetnames, sheet, filename)
            rows = [list(r) for r in book[name].iter_rows(values_only=True)]
        finally:
            book.close()
    except IngestError:
        raise
    except Exception as exc:  # a damaged workbook fails anywhere inside openpyxl
        raise IngestError(f"the XLSX workbook cannot be read ({exc}); open it in Excel and "
                          "save it again", filename=filename) from None
    return rows, name


def _xls_rows(data: bytes, filename: str, sheet) -> tuple[list[list], str]:
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as exc:  # xlrd.XLRDError, CompDocError, struct errors on damage
        raise IngestError(f"this old-format (OLE2) file is not a readable XLS workbook "
                          f"({exc}); it may be a .doc or .hwp file, or damaged. Open it in "
                          "Excel and save it as XLSX or CSV", filename=filename) from None
    name = _pick_sheet(book.sheet_names(), sheet, filename)
    table = book.sheet_by_name(name)
    rows = [[_xls_value(cell, book.datemode) for cell in table.row(r)]
            for r in range(table.nrows)]
    book.release_resources()
    return rows, name


def _xls_value(cell, datemode: int):
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if cell.ctype == xlrd.XL_CELL_NUMBER:  # BIFF stores every number as a float
        return int(cell.value) if float(cell.value).is_integer() else cell.value
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return cell.value


def _pick_sheet(names: list[str], sheet, filename: str) -> str:
    if sheet is None:
        return KOSIS_DATA_SHEET if KOSIS_DATA_SHEET in names else names[0]
    if isinstance(sheet, int) and 0 <= sheet < len(names):
        return names[sheet]
    if sheet in names:
        return sheet
    raise IngestError(f"the workbook has no sheet {sheet!r}; its sheets are: "
                      f"{', '.join(names)}", filename=filename)


def _table_from_rows(rows: list[list], kind: str, filename: str, sheet: str) -> RawTable:
    width = max((len(r) for r in rows), default=0)
    # KOSIS writes "" into the cells under a merged label: blank is blank, whatever its type.
    rows = [[None if is_blank(v) else v for v in r] + [None] * (width - len(r)) for r in rows]
    indexed = [(i, r) for i, r in enumerate(rows) if not is_blank_row(r)]
    if not indexed:
        raise IngestError(f"sheet {sheet!r} is empty", filename=filename)
    preamble, header_rows, names = layout([r for _, r in indexed[:TOP_ROWS]])
    first = preamble + header_rows
    if len(indexed) <= first:
        raise IngestError(f"sheet {sheet!r} has a header but no data rows", filename=filename,
                          row=indexed[-1][0] + 2)
    start, end = indexed[first][0], indexed[-1][0] + 1  # trailing blank rows dropped
    frame = pd.DataFrame(rows[start:end], columns=column_names(names, width))
    frame = _fill_label_columns(drop_blank_columns(frame, names))
    return RawTable(frame, kind, None, header_rows, start + 1, sheet)


def _fill_label_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Merged label cells come out blank below their first row (KOSIS region columns):
    fill them down, each level only within its parent's group. Only the leading text
    columns of a table that has numbers after them are touched."""
    labels = []
    for name in frame.columns:
        values = frame[name].dropna()
        if values.empty or not all(isinstance(v, str) and not _NUMBER.fullmatch(v.strip())
                                   for v in values.head(1000)):
            break
        labels.append(name)
    rest = frame.columns[len(labels):]
    if not labels or not any(pd.api.types.is_numeric_dtype(frame[c]) for c in rest):
        return frame
    given, frame = frame[labels].notna(), frame.copy()
    for depth, name in enumerate(labels):
        starts = given.iloc[:, :depth].any(axis=1).astype(int).cumsum()
        frame[name] = frame[name].groupby(starts).ffill()
    return frame


# --- JSON ----------------------------------------------------------------------------------

def _read_json(text: str, filename: str) -> pd.DataFrame:
    try:
        payload = json.loads(text)  # also takes the bare NaN of pandas' to_json output
    except json.JSONDecodeError as exc:
        raise IngestError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                          filename=filename, row=exc.lineno) from None
    frame = _json_frame(payload, filename)
    if frame.empty:
        raise IngestError("the JSON holds no rows", filename=filename)
    frame.columns = column_names([label(c) for c in frame.columns], frame.shape[1])
    return frame.reset_index(drop=True)


def _json_frame(payload, filename: str) -> pd.DataFrame:
    if isinstance(payload, list):
        if all(isinstance(item, dict) for item in payload):
            return pd.DataFrame(payload)
    elif isinstance(payload, dict):
        envelope = _seoul_envelope(payload, filename)
        if envelope is not None:
            return pd.DataFrame(envelope)
        values = list(payload.values())
        if values and all(isinstance(v, dict) for v in values):
            return pd.DataFrame(payload)  # pandas "columns" orientation: {col: {row: v}}
        if values and all(isinstance(v, list) for v in values):
            return pd.DataFrame(payload)
    if isinstance(payload, dict) and payload.get("type") in ("FeatureCollection", "Topology"):
        raise IngestError("this is a GeoJSON/TopoJSON map layer, not a table; upload it as a "
                          "boundary file", filename=filename)
    raise IngestError("the JSON is not a table: expected an array of row objects, a Seoul "
                      "OpenAPI response ({SERVICE: {row: [...]}}) or {column: {row: value}}",
                      filename=filename)


def _seoul_envelope(payload: dict, filename: str) -> list | None:
    """`{"SERVICE": {"list_total_count", "RESULT", "row"}}`, or an error answered as a bare
    or wrapped RESULT (HTTP 200 either way: the code is the only signal)."""
    inner = next(iter(payload.values())) if len(payload) == 1 else None
    body = inner if isinstance(inner, dict) and ("row" in inner or "RESULT" in inner) else None
    result = (body or payload).get("RESULT")
    if body is not None and isinstance(body.get("row"), list):
        return body["row"]
    if isinstance(result, dict) and "CODE" in result:
        raise IngestError(f"the Seoul OpenAPI answered {result.get('CODE')}: "
                          f"{result.get('MESSAGE', '').strip()} (no rows)", filename=filename)
    return None
