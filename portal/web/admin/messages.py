"""Ingest errors in Korean for the upload page: what is wrong, and where (file, row, column).

The ingest path words its errors in English for logs and the command line; the common ones
are declared here in Korean. Any other keeps its English detail after a Korean sentence.
"""
from __future__ import annotations

import re

from portal.catalog.errors import IngestError

_TEXTS = (
    (r"^the file is empty", "파일이 비어 있습니다."),
    (r"header but no data rows|has no rows|has no data rows|holds no rows",
     "머리글만 있고 데이터 행이 없습니다."),
    (r"^line (\d+)(?: \(about\))? has (\d+) fields where the header has (\d+)",
     "{0}번째 줄의 값이 {1}개로 머리글의 {2}개와 다릅니다. 값 안의 쉼표는 따옴표로 감싸고, "
     "남는 구분자는 지우세요."),
    (r"quoted value that starts on line (\d+) is never closed",
     "{0}번째 줄에서 시작한 따옴표가 닫히지 않았습니다."),
    (r"^cannot decode the text",
     "글자 인코딩을 알 수 없습니다 (UTF-8도 CP949도 아닙니다). Excel에서 'CSV UTF-8'로 "
     "다시 저장해 올리세요."),
    (r"HTML or XML page",
     "표 파일이 아니라 HTML/XML 문서입니다. 오류 페이지를 저장한 것일 수 있습니다."),
    (r"XLSX workbook but is damaged|XLSX workbook cannot be read",
     "XLSX 파일이 손상되었습니다. Excel에서 열어 다시 저장하세요."),
    (r"ZIP archive", "ZIP 압축 파일입니다. 압축을 풀어 표 파일을 올리세요."),
    (r"not a readable XLS workbook",
     "XLS 파일을 읽을 수 없습니다. Excel에서 XLSX로 다시 저장하세요."),
    (r"^the file is ([\d.]+) MB; the limit is (\d+) MB",
     "파일 크기가 {0} MB로, 올릴 수 있는 한도 {1} MB를 넘습니다."),
    (r"^the workbook has no sheet", "통합 문서에 그런 시트가 없습니다."),
    (r"^the CSV cannot be parsed", "CSV 형식을 읽을 수 없습니다."),
)
_KOREAN = tuple((re.compile(pattern), text) for pattern, text in _TEXTS)


def ingest_error_ko(exc: IngestError) -> str:
    """'파일 bad.csv, 3번째 줄, '인구' 열: …' — where first, then what to do."""
    where = []
    if exc.filename:
        where.append(f"파일 {exc.filename}")
    if exc.row is not None:
        where.append(f"{exc.row}번째 줄")
    if exc.column is not None:
        where.append(f"'{exc.column}' 열")
    what = _translate(exc.message)
    return f"{', '.join(where)}: {what}" if where else what


def _translate(message: str) -> str:
    for pattern, text in _KOREAN:
        found = pattern.search(message)
        if found:
            return text.format(*found.groups())
    return f"파일을 읽을 수 없습니다 ({message})."
