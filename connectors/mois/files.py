"""Downloaded table files: the bytes as they came, after checking they are a table.

A government download link that fails rarely says so with a status code: it answers 200
with a login page, an HTML error page or a gateway's XML error saved under the file's
name. The ingest would reject those too, but later and less clearly; here they become a
SourceError naming the file. The bytes are never re-encoded: MOIS and LOCALDATA files are
CP949 and the portal's reader decodes them.
"""
from __future__ import annotations

import codecs

import requests

from connectors.errors import SourceError
from connectors.http import check_status
from connectors.mois.datagokr import read_answer

SOURCE = "mois"


def read_file(response: requests.Response, filename: str, *,
              first_columns: tuple[str, ...] = ()) -> bytes:
    """The file's bytes; SourceError "not-found" for a 404, and for anything that is not a
    CSV/XLSX table (with `first_columns`, a CSV whose header starts with none of them)."""
    if response.status_code == 404:
        raise SourceError(SOURCE, "not-found", f"{filename}: no such file on the server")
    data = response.content
    head = data[:512].lstrip(codecs.BOM_UTF8 + b" \t\r\n").lower()
    if head.startswith(b"<?xml") or b"openapi_serviceresponse" in head:
        read_answer(response, filename)  # raises the gateway's error
    check_status(response, SOURCE)
    if not data.strip():
        raise SourceError(SOURCE, "empty-file", f"{filename}: the download is empty")
    if head.startswith((b"<!doctype", b"<html", b"<head", b"<body")):
        raise SourceError(SOURCE, "html-page", f"{filename}: an HTML page came instead of the "
                          "file (a login or error page); check the download URL")
    if data[:2] == b"PK" or data[:4] == b"\xd0\xcf\x11\xe0":
        return data  # a workbook
    text = _head_text(data)
    if text is None:
        raise SourceError(SOURCE, "bad-encoding", f"{filename}: the file is neither UTF-8 nor "
                          "CP949 text")
    if first_columns:
        first = text.splitlines()[0].split(",")[0].strip().strip('"') if text else ""
        if first not in first_columns:
            raise SourceError(SOURCE, "unexpected-file", f"{filename}: the first column is "
                              f"{first!r}, expected {' or '.join(first_columns)}")
    return data


def _head_text(data: bytes) -> str | None:
    head = data[:4096]
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    for encoding in ("utf-8", "cp949"):
        try:  # not final: the cut may fall inside a character
            return codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
    return None
