"""Seoul Open Data Plaza (서울 열린데이터광장) OpenAPI: the catalog and any service's rows.

    GET http://openapi.seoul.go.kr:8088/{KEY}/json/{SERVICE}/{START}/{END}/[{ARG}/…]

- START and END are 1-based and inclusive, at most 1,000 rows per call (ERROR-336 beyond).
- The catalog is itself a service, `SearchCatalogService` (8,212 entries in January 2026);
  its rows give the dataset ID (OA-…), never the service name that `fetch_table` needs, so
  the known pairs are declared below and more can be passed as the `services` option.
- Errors come with HTTP 200 in two envelopes: wrapped in the service name, or a bare
  `{"RESULT": {...}}`. INFO-200 ("no data", also what paging past the end gives) is an
  empty result; ERROR-337 is the daily quota; ERROR-5xx/6xx are retried.
- Every value is a string ("" for null); rows stay strings here and are typed at ingest.
- Column names lie: culturalEventInfo's LOT is the latitude. Coordinates are found by
  value range (`connectors.coords`) and reported with the table, never renamed.
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import quote

import pandas as pd
import requests

from connectors import vocab
from connectors.base import (Connector, DatasetRecord, Option, ResourceRecord, TableContent,
                             register)
from connectors.coords import find_lat_lon, outside_seoul
from connectors.errors import AuthError, QuotaExceeded, SourceError
from connectors.http import check_status

log = logging.getLogger(__name__)

SOURCE = "seoul"
PUBLIC_API = "http://openapi.seoul.go.kr:8088"
DATASET_PAGE = "https://data.seoul.go.kr/dataList/{id}/S/1/datasetView.do"
CATALOG_SERVICE = "SearchCatalogService"
MAX_PAGE = 1000

# OA ID → service name, where known (manifest, korean_apis.md §1.6).
SERVICES = {
    "OA-15486": "culturalEventInfo",       # 서울시 문화행사 정보
    "OA-20883": "TbPublicWifiInfo",        # 서울시 공공와이파이 서비스 위치 정보
    "OA-14991": "SPOP_LOCAL_RESD_DONG",    # 행정동 단위 서울 생활인구(내국인)
}

# RESULT.CODE → (what to do, advice for the person reading the error).
RESULT_CODES = {
    "INFO-000": ("ok", ""),
    "INFO-200": ("empty", ""),
    "INFO-100": ("auth", "the key is not valid: check PORTAL_SEOUL_API_KEY"),
    "INFO-300": ("auth", "the key was blocked by the Plaza's administrator"),
    "ERROR-300": ("request", "a required value is missing"),
    "ERROR-301": ("request", "the response type (json/xml) is missing or invalid"),
    "ERROR-310": ("request", "no such service: use the service name (e.g. culturalEventInfo), "
                             "not the dataset ID (OA-…)"),
    "ERROR-331": ("request", "START_INDEX is invalid"),
    "ERROR-332": ("request", "END_INDEX is invalid"),
    "ERROR-333": ("request", "an index is not an integer"),
    "ERROR-334": ("request", "START_INDEX is after END_INDEX"),
    "ERROR-335": ("request", "the `sample` key reads rows 1–5 only: set a real key"),
    "ERROR-336": ("request", "more than 1,000 rows asked for in one call"),
    "ERROR-337": ("quota", "the key's daily traffic limit is used up: try again tomorrow"),
    "ERROR-500": ("retry", "server error (also the answer of catalog entries whose API "
                           "does not work)"),
    "ERROR-600": ("retry", "the service's database connection failed"),
    "ERROR-601": ("retry", "the service's SQL failed"),
}


def outcome_of(code: str) -> tuple[str, str]:
    if code in RESULT_CODES:
        return RESULT_CODES[code]
    if re.fullmatch(r"ERROR-[56]\d\d", code):
        return "retry", "server error"
    return "request", "unknown result code"


@dataclass(frozen=True)
class Page:
    rows: list[dict]
    total: int | None   # list_total_count: rows in the whole query, re-read on every page
    code: str

    @property
    def empty(self) -> bool:
        return self.code == "INFO-200" or not self.rows


def read_page(response: requests.Response, service: str) -> Page:
    """One page of a Seoul response, or the SourceError its RESULT code means."""
    try:
        payload = json.loads(response.content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        check_status(response, SOURCE)  # an HTML error page of a 5xx
        # A 200 whose JSON breaks off: a transfer cut short or a server fault; try again.
        raise SourceError(SOURCE, "invalid-json", f"the {service} response is not valid "
                          f"JSON ({exc}); it may have been cut off", retryable=True) from None
    body = _envelope(payload, service)
    if body is None:
        check_status(response, SOURCE)
        raise SourceError(SOURCE, "unexpected-response",
                          f"no {service} envelope and no RESULT in the response")
    result = body.get("RESULT") if isinstance(body.get("RESULT"), dict) else body
    code = str(result.get("CODE") or ("INFO-000" if "row" in body else "")).strip()
    message = str(result.get("MESSAGE") or "").strip()
    if not code:
        check_status(response, SOURCE)
        raise SourceError(SOURCE, "unexpected-response", f"{service}: no RESULT.CODE")
    action, advice = outcome_of(code)
    text = f"{service}: {message}" + (f" ({advice})" if advice else "")
    if action == "auth":
        raise AuthError(SOURCE, code, text)
    if action == "quota":
        raise QuotaExceeded(SOURCE, code, text)
    if action in ("retry", "request"):
        raise SourceError(SOURCE, code, text, retryable=action == "retry")
    rows = body.get("row") or []
    if isinstance(rows, dict):
        rows = [rows]
    return Page([r for r in rows if isinstance(r, dict)], _integer(body.get("list_total_count")),
                code)


def _envelope(payload, service: str) -> dict | None:
    """The object holding RESULT/row: wrapped in the service name, or bare at the top."""
    if not isinstance(payload, dict):
        return None
    wrapped = payload.get(service)
    if isinstance(wrapped, dict):
        return wrapped
    if "RESULT" in payload or "CODE" in payload:
        return payload
    # The wrapper's name differs from the request's (letter case): take the one envelope.
    inner = [v for v in payload.values() if isinstance(v, dict) and ("RESULT" in v or "row" in v)]
    return inner[0] if len(inner) == 1 else None


def _integer(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def rows_to_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows as a DataFrame of strings, columns in first-seen order; absent values are ""."""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    values = [[_text(row.get(c)) for c in columns] for row in rows]
    return pd.DataFrame(values, columns=list(columns), dtype="str")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# --- catalog rows → records -------------------------------------------------------------------

def catalog_record(row: Mapping[str, str], *, licence: str = "KOGL-1",
                   services: Mapping[str, str] = SERVICES) -> DatasetRecord | None:
    """A SearchCatalogService row as a DatasetRecord (None when it has no ID or title)."""
    get = lambda name: str(row.get(name) or "").strip()  # noqa: E731
    dataset_id, title = get("INF_ID"), get("INF_NM")
    if not dataset_id or not title:
        return None
    offered = [s.strip() for s in get("SRV_TYPE").split(",") if s.strip()]
    formats = tuple(dict.fromkeys(s.upper() for s in offered))
    page = get("SHORT_URL") or DATASET_PAGE.format(id=dataset_id)
    service = services.get(dataset_id)
    resources = [ResourceRecord("서울 열린데이터광장 데이터셋 페이지", "link", page)]
    if service and "API" in formats:
        resources.append(ResourceRecord(f"OpenAPI {service} (sample 키, 1~5행)", "api",
                                        f"{PUBLIC_API}/sample/json/{service}/1/5/", "JSON"))
    extras = {"category": get("CATE_NM"), "provider_group": get("DITC_NM"),
              "department": get("MNG_STATION_NAME"), "system": get("LINK_DESC"),
              "link": get("LINK_INFO"), "service": service or ""}
    return DatasetRecord(
        source=SOURCE, source_id=dataset_id, title_ko=title,
        description_ko=get("INF_EXP") or None,
        theme=vocab.theme_from_label(get("MAP_CATE_NM")),
        kind="stats" if get("CATE_NM") == "통계" else "openapi" if "API" in formats else "file",
        formats=formats, licence=licence,
        update_cycle=vocab.update_cycle_from_label(get("CHNG_LOAD_NM")),
        owner=get("MNG_ORGAN_NAME") or get("DITC_NM") or None, source_url=page,
        resources=resources, last_modified=_iso_date(get("DATA_LT_NM")),
        extras={k: v for k, v in extras.items() if v})


def _iso_date(text: str) -> str | None:
    match = re.match(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})", text)
    if not match:
        return None
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


# --- the connector -------------------------------------------------------------------------

@register
class SeoulConnector(Connector):
    """The Plaza's catalog as DatasetRecords; a known service's rows as a table."""

    name = SOURCE
    default_base_url = PUBLIC_API
    key_env = "PORTAL_SEOUL_API_KEY"
    options = (
        Option("page_size", int, MAX_PAGE, "Rows per call (at most 1,000)."),
        Option("licence", str, "KOGL-1", "Licence recorded for catalog entries: the Plaza's "
                                         "default (공공누리 제1유형); the catalog does not give "
                                         "it per dataset."),
        Option("services", Mapping, None, "More OA ID → service name pairs for fetch_table."),
        Option("max_rows", int, None, "Most rows fetch_table reads from a service "
                                      "(None: all of them)."),
    )

    def __init__(self, **options):
        super().__init__(**options)
        if not 1 <= self.settings["page_size"] <= MAX_PAGE:
            raise ValueError(f"seoul: page_size must be 1…{MAX_PAGE}")
        if self.settings["licence"] not in vocab.LICENCES:
            raise ValueError(f"seoul: unknown licence {self.settings['licence']!r}")
        self.services = {**SERVICES, **(self.settings["services"] or {})}

    # The catalog ------------------------------------------------------------------------

    def list_datasets(self) -> Iterator[DatasetRecord]:
        seen: set[str] = set()
        self.total = None
        for page in self.pages(CATALOG_SERVICE):
            self.total = page.total if page.total is not None else self.total
            for row in page.rows:
                record = catalog_record(row, licence=self.settings["licence"],
                                        services=self.services)
                if record is None:
                    log.warning("seoul: catalog row without INF_ID or INF_NM skipped: %s", row)
                    continue
                # The catalog is live: an entry added while paging shifts the others by
                # one, and the next page repeats the last entry of this one.
                if record.source_id in seen:
                    continue
                seen.add(record.source_id)
                yield record

    # Any service --------------------------------------------------------------------------

    def pages(self, service: str, *args: str, max_rows: int | None = None) -> Iterator[Page]:
        """The pages of a service, 1…1000, 1001…2000, … up to list_total_count.

        `args` are the service's positional filters (empty strings skip one). Stops at
        INFO-200 or an empty page even before the total: the data is live.
        """
        key = self.require_key()
        size = self.settings["page_size"]
        start, total = 1, None
        while True:
            end = start + size - 1
            if total is not None:
                end = min(end, total)
            if max_rows is not None:
                end = min(end, max_rows)
            path = "/".join([quote(key, safe=""), "json", quote(service, safe=""),
                             str(start), str(end), *(quote(a, safe="") for a in args)]) + "/"
            page = self.http.get(path, parse=lambda r: read_page(r, service))
            if page.empty:
                return
            yield page
            total = page.total if page.total is not None else total
            start = end + 1
            if (total is not None and start > total) or \
                    (max_rows is not None and start > max_rows):
                return

    def fetch_service(self, service: str, *args: str,
                      max_rows: int | None = None) -> tuple[pd.DataFrame, list[str]]:
        """All rows of a service as a DataFrame of strings, and notes on what was odd."""
        rows: list[dict] = []
        total = None
        for page in self.pages(service, *args, max_rows=max_rows):
            rows.extend(page.rows)
            total = page.total
        notes = []
        expected = total if max_rows is None or total is None else min(total, max_rows)
        if expected is not None and len(rows) < expected:
            notes.append(f"{service}: {len(rows):,} rows read of the {expected:,} announced "
                         f"(list_total_count); the service stopped early")
            log.warning("seoul: %s", notes[-1])
        return rows_to_frame(rows), notes

    def fetch_table(self, record: DatasetRecord) -> TableContent | None:
        service = record.extras.get("service") or self.services.get(record.source_id)
        if not service:
            return None  # the catalog does not say which service serves this dataset
        frame, notes = self.fetch_service(service, max_rows=self.settings["max_rows"])
        coordinates = find_lat_lon(frame) if len(frame) else None
        if coordinates is not None:
            outside = outside_seoul(frame, coordinates)
            if outside:
                notes.append(f"{outside:,} rows have coordinates outside Seoul")
        return TableContent(frame=frame, coordinates=coordinates, notes=notes)
