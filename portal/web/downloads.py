"""Downloads of a table version (`/datasets/<slug>/download/<format>?version=N`): CSV in
UTF-8 with a BOM, CSV in CP949, XLSX, JSON and JSON Lines, all made from the Parquet
snapshot. The original file as received stays at `datasets.original`.

CSV and JSON stream one Arrow record batch at a time from the response generator, so memory
stays flat whatever the table's size. XLSX is a zip that cannot be written front to back,
so openpyxl's write-only mode fills a temporary file that is then sent.

CP949 cannot represent every character (emoji, rare 한자, some symbols). Silently writing
'?' would corrupt data, so such a table is refused with a page that names the column and the
character and offers the UTF-8 file, or the CP949 file with those characters replaced by '?'
(`replace=1`), which then says so in a response header.
"""
from __future__ import annotations

import io
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
from flask import (Blueprint, Flask, Response, abort, render_template_string, request,
                   send_file, url_for)

from portal.app import current_viewer, db, portal_state
from portal.catalog import queries
from portal.catalog.models import Dataset, TableVersion
from portal.catalog.table_query import column_kind

bp = Blueprint("downloads", __name__, url_prefix="/datasets")

BATCH_ROWS = 65_536
# One sheet holds 1,048,576 rows, and the header takes one.
XLSX_MAX_ROWS = 1_048_575
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class DownloadFormat:
    name: str
    label: str
    extension: str
    mimetype: str
    note: str


FORMATS: dict[str, DownloadFormat] = {f.name: f for f in (
    DownloadFormat("csv", "CSV (UTF-8)", "csv", "text/csv; charset=utf-8",
                   "BOM이 붙어 있어 엑셀에서 한글이 바로 보입니다."),
    # WHATWG's label for Windows code page 949 is euc-kr.
    DownloadFormat("csv-cp949", "CSV (CP949)", "csv", "text/csv; charset=euc-kr",
                   "옛 한글 프로그램용. CP949에 없는 문자가 있으면 먼저 알려 드립니다."),
    DownloadFormat("xlsx", "Excel (XLSX)", "xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   f"한 시트 최대 {XLSX_MAX_ROWS:,}행."),
    DownloadFormat("json", "JSON", "json", "application/json",
                   "행 객체의 배열 (숫자는 숫자, 빈 값은 null)."),
    DownloadFormat("jsonl", "JSON Lines", "jsonl", "application/x-ndjson",
                   "한 줄에 한 행."),
)}

REFUSED = """{% extends "base.html" %}
{% block title %}내려받기 불가 · {{ dataset.title_ko }}{% endblock %}
{% block content %}
<h1>{{ dataset.title_ko }}: {{ title }}</h1>
<p role="alert">{{ message }}</p>
<ul>{% for text, href in links %}<li><a href="{{ href }}">{{ text }}</a></li>{% endfor %}</ul>
<p><a href="{{ url_for('datasets.show', slug=dataset.slug) }}">데이터셋으로 돌아가기</a></p>
{% endblock %}"""


def _version_for_download(slug: str) -> tuple[Dataset, TableVersion]:
    session = db()
    dataset = queries.get_dataset(session, current_viewer(), slug) or abort(404)
    raw = request.args.get("version", "")
    if raw and not raw.isdigit():
        abort(400)
    version = queries.table_version(session, dataset, int(raw) if raw else None)
    return dataset, version or abort(404)


@bp.get("/<slug>/download/<name>")
def table(slug: str, name: str):
    dataset, version = _version_for_download(slug)
    fmt = FORMATS.get(name) or abort(404)
    path = portal_state().store.path(version.parquet_key)
    filename = download_filename(dataset, version, fmt)
    if fmt.name == "xlsx":
        if version.row_count > XLSX_MAX_ROWS:
            return _refused(dataset, version, "엑셀로 받을 수 없습니다",
                            f"엑셀 한 시트에는 {XLSX_MAX_ROWS:,}행까지만 담을 수 있는데 이 표는 "
                            f"{version.row_count:,}행입니다. CSV는 행 수 제한 없이 받을 수 "
                            f"있고 엑셀에서도 열립니다 (처음 {XLSX_MAX_ROWS:,}행까지).")
        response = send_file(_xlsx_file(path), mimetype=fmt.mimetype, as_attachment=True,
                             download_name=filename)
        response.headers["Content-Disposition"] = content_disposition(
            filename, ascii_filename(dataset, version, fmt))
        return response
    if fmt.name == "csv-cp949":
        replace = request.args.get("replace") == "1"
        problem = first_not_in_cp949(str(path))
        if problem and not replace:
            column, value, char = problem
            return _refused(dataset, version, "CP949로 받을 수 없습니다",
                            f"열 '{column}'의 값 '{value[:40]}'에 CP949에 없는 문자 '{char}' "
                            f"(U+{ord(char):04X})가 있습니다. UTF-8 CSV는 모든 문자를 그대로 "
                            f"담고 엑셀에서도 한글이 보입니다.",
                            cp949_replace=True)
        response = _stream(csv_chunks(path, encoding="cp949", replace=replace), fmt, filename,
                           ascii_filename(dataset, version, fmt))
        if problem:
            response.headers["X-Portal-Replaced-Characters"] = "?"
        return response
    chunks = {"csv": lambda: csv_chunks(path), "json": lambda: json_chunks(path),
              "jsonl": lambda: json_chunks(path, lines=True)}[fmt.name]()
    return _stream(chunks, fmt, filename, ascii_filename(dataset, version, fmt))


def _stream(chunks, fmt: DownloadFormat, filename: str, fallback: str) -> Response:
    response = Response(chunks, content_type=fmt.mimetype, direct_passthrough=True)
    response.headers["Content-Disposition"] = content_disposition(filename, fallback)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _refused(dataset, version, title: str, message: str, cp949_replace: bool = False):
    links = [("CSV (UTF-8) 받기", url_for("downloads.table", slug=dataset.slug, name="csv",
                                         version=version.number))]
    if cp949_replace:
        links.append(("그 문자를 '?'로 바꾼 CP949 CSV 받기",
                      url_for("downloads.table", slug=dataset.slug, name="csv-cp949",
                              version=version.number, replace=1)))
    return render_template_string(REFUSED, dataset=dataset, title=title, message=message,
                                  links=links), 422


def download_filename(dataset: Dataset, version: TableVersion, fmt: DownloadFormat) -> str:
    title = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", dataset.title_ko).strip() or dataset.slug
    suffix = "_cp949" if fmt.name == "csv-cp949" else ""
    return f"{title[:100]}_v{version.number}{suffix}.{fmt.extension}"


def ascii_filename(dataset: Dataset, version: TableVersion, fmt: DownloadFormat) -> str:
    suffix = "_cp949" if fmt.name == "csv-cp949" else ""
    return f"{dataset.slug}_v{version.number}{suffix}.{fmt.extension}"


def content_disposition(filename: str, fallback: str) -> str:
    """RFC 6266 with an RFC 5987 `filename*` for the Korean name, and an ASCII fallback
    (the slug) for clients that read only `filename`."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", fallback) or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _batches(path: Path):
    parquet = pq.ParquetFile(path)
    yielded = False
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
        yielded = True
        yield pa.Table.from_batches([batch])
    if not yielded:
        yield parquet.schema_arrow.empty_table()


def _dates_as_text(table: pa.Table, separator: str = " ") -> pa.Table:
    """Timestamps as Korean spreadsheets show them: 2024-01-31, with the time only if any
    (JSON takes ISO's "T" between them, as the rows API does)."""
    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):
            # Arrow's %S carries the fraction of the second ("05.000000").
            text = pc.strftime(table.column(i), format=f"%Y-%m-%d{separator}%H:%M:%S")
            text = pc.replace_substring_regex(text, r"\.0+$", "")
            table = table.set_column(i, field.name, pc.replace_substring_regex(
                text, f"{separator}00:00:00$", ""))
    return table


def csv_chunks(path: Path, encoding: str = "utf-8", replace: bool = False):
    """CSV bytes, one record batch at a time; UTF-8 starts with a BOM for Excel."""
    if encoding == "utf-8":
        yield UTF8_BOM
    first = True
    for table in _batches(path):
        sink = io.BytesIO()
        pcsv.write_csv(_dates_as_text(table), sink,
                       pcsv.WriteOptions(include_header=first, quoting_style="needed"))
        first = False
        data = sink.getvalue()
        yield data if encoding == "utf-8" else \
            data.decode("utf-8").encode(encoding, "replace" if replace else "strict")


def json_chunks(path: Path, lines: bool = False):
    """A JSON array of row objects (or JSON Lines), one record batch at a time.

    pandas' C writer is 4× faster than json.dumps per row; it writes 15 significant digits,
    more than any figure a Seoul source publishes. JSON strings never hold a raw newline, so
    lines can be joined into the array safely."""
    if not lines:
        yield b"["
    first = True
    for table in _batches(path):
        if not table.num_rows:
            continue
        frame = _dates_as_text(table, "T").to_pandas(types_mapper=_NULLABLE_INTEGERS.get)
        text = frame.to_json(orient="records", lines=True, force_ascii=False,
                             double_precision=15)
        if lines:
            yield text.encode()
        else:
            yield (("\n" if first else ",\n") + text.rstrip("\n").replace("\n", ",\n")).encode()
        first = False
    if not lines:
        yield b"\n]\n"


# Integer columns with missing cells stay integers (pandas would make them floats).
_NULLABLE_INTEGERS = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(),
                      pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype()}


@lru_cache(maxsize=64)
def first_not_in_cp949(path: str) -> tuple[str, str, str] | None:
    """(column, value, character) of the first text CP949 cannot hold, or None. Checks each
    distinct value once per row group; snapshots never change, so the answer is kept."""
    parquet = pq.ParquetFile(path)
    for name in parquet.schema_arrow.names:
        if _cp949_problem(name):
            return name, name, _cp949_problem(name)
    text = [f.name for f in parquet.schema_arrow if column_kind(f.type) == "string"]
    if not text:
        return None
    for index in range(parquet.num_row_groups):
        group = parquet.read_row_group(index, columns=text)
        for name in text:
            for value in pc.unique(group.column(name)).to_pylist():
                char = _cp949_problem(value) if value else None
                if char:
                    return name, value, char
    return None


def _cp949_problem(text: str) -> str | None:
    try:
        text.encode("cp949")
    except UnicodeEncodeError as error:
        return text[error.start]
    return None


def _xlsx_file(path: Path):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("데이터")
    header_written = False
    for table in _batches(path):
        if not header_written:
            sheet.append(table.schema.names)
            header_written = True
        for row in table.to_pylist():
            # Control characters are not allowed in the XML of a sheet.
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
                          for v in row.values()])
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return output


def download_links(dataset: Dataset, version: TableVersion | None = None) -> dict[str, str]:
    """Absolute URLs of every generated format of the latest (or the given) version."""
    extra = {"version": version.number} if version is not None else {}
    return {name: url_for("downloads.table", slug=dataset.slug, name=name, _external=True,
                          **extra) for name in FORMATS}


def download_options(dataset: Dataset, version: TableVersion | None) -> list[dict]:
    """What the dataset page's download list shows for a version."""
    if version is None:
        return []
    options = []
    for fmt in FORMATS.values():
        available = not (fmt.name == "xlsx" and version.row_count > XLSX_MAX_ROWS)
        options.append({"format": fmt, "available": available,
                        "url": url_for("downloads.table", slug=dataset.slug, name=fmt.name)})
    return options


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(download_options=download_options,
                                 XLSX_MAX_ROWS=XLSX_MAX_ROWS)
