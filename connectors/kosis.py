"""KOSIS (국가통계포털, kosis.kr/openapi): statistics lists, table metadata, table data.

    statisticsList.do?method=getList&vwCd=MT_OTITLE&parentListId=…   the catalogue tree
    statisticsData.do?method=getMeta&type=PRD|ITM|NCD&orgId&tblId     one table's metadata
    Param/statisticsParameterData.do?method=getList&orgId&tblId&itmId&objL1…&prdSe…  rows

- Always `format=json&jsonVD=Y`; the answer may still be a JavaScript literal with unquoted
  keys (NCD always is), so bodies go through `jsliteral.loads_lenient`.
- Success is a JSON array; an error is an object `{"err": "30", "errMsg": …}` with HTTP 200.
  err 30 (no data) is an empty result; 20 (a classification level is missing) is answered
  by asking for one more level with ALL; 31/41 (over the 40,000-cell cap) by splitting the
  request by period, then item, then first-level code, and merging the parts.
- `DT` (the value) is a string; "-" means missing. Codes stay strings.
- Region codes are recorded as KOSTAT codes, unless the table itself shows MOIS codes
  (종로구 = 11110 rather than 11010): the MOIS registry tables (DT_1B04…) use MOIS codes.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd
import requests

from connectors import vocab
from connectors.base import (Connector, DatasetRecord, Option, ResourceRecord, SpatialCode,
                             TableContent, register)
from connectors.errors import AuthError, QuotaExceeded, SourceError
from connectors.http import check_status
from connectors.jsliteral import loads_lenient
from connectors.kosis_periods import (cycle_of, normalise_period_code, periods_between,
                                      step_back)

log = logging.getLogger(__name__)

SOURCE = "kosis"
PUBLIC_API = "https://kosis.kr/openapi"
TABLE_PAGE = "https://kosis.kr/statHtml/statHtml.do?orgId={org}&tblId={tbl}"
LIST, META, DATA = "statisticsList.do", "statisticsData.do", "Param/statisticsParameterData.do"
MAX_LEVELS = 8
MISSING = {"-", "", "..."}

# err → (what to do, advice)
ERRORS = {
    "10": ("auth", "no key was sent: set PORTAL_KOSIS_API_KEY"),
    "11": ("auth", "the key is invalid or expired"),
    "20": ("missing", "a required parameter (often a classification level) is missing"),
    "21": ("request", "a parameter is wrong, or there is no such table"),
    "30": ("empty", ""),
    "31": ("too-large", "more than 40,000 cells asked for"),
    "40": ("quota", "the key's call limit is used up"),
    "41": ("too-large", "the row limit was exceeded"),
    "42": ("quota", "the key is restricted for this user"),
    "50": ("retry", "server error"),
}


@dataclass(frozen=True)
class ListRoot:
    """Where to start walking the catalogue tree, and the Seoul theme of what is below."""
    view: str        # vwCd: MT_ZTITLE by subject, MT_OTITLE by organisation, …
    parent_id: str   # parentListId
    theme: str = vocab.OTHER_THEME


# 국내통계 기관별 > 행정안전부 주민등록인구현황 (holds DT_1B040B3 per the PublicDataReader docs).
DEFAULT_ROOTS = (ListRoot("MT_OTITLE", "110_20103", "인구/가구"),)


@dataclass(frozen=True)
class TableQuery:
    """What to read from a table. `levels[n]` are the codes of classification n+1 (objL),
    `items` the item codes (itmId); ("ALL",) means every code. Either `start`/`end`
    (period strings like 2024 or 202401) or `recent` (the newest N periods)."""
    items: tuple[str, ...] = ("ALL",)
    levels: tuple[tuple[str, ...], ...] = ()
    period_type: str = "Y"
    start: str | None = None
    end: str | None = None
    recent: int | None = None

    def params(self) -> dict[str, str]:
        params = {"itmId": _codes(self.items), "prdSe": self.period_type}
        for n, codes in enumerate(self.levels or (("ALL",),), start=1):
            params[f"objL{n}"] = _codes(codes)
        if self.start or self.end:
            params["startPrdDe"] = self.start or self.end
            params["endPrdDe"] = self.end or self.start
        elif self.recent:
            params["newEstPrdCnt"] = str(self.recent)
        return params


def _codes(codes: tuple[str, ...]) -> str:
    # Several codes are joined with "+" (a space before encoding), with a trailing one as
    # the KOSIS examples write it; ALL stands alone.
    return "ALL" if tuple(codes) == ("ALL",) else " ".join(codes) + " "


@dataclass
class TableMeta:
    org_id: str
    tbl_id: str
    name: str | None = None
    name_en: str | None = None
    periods: list[dict] = field(default_factory=list)        # PRD rows
    classifications: dict[str, dict] = field(default_factory=dict)  # OBJ_ID → name, items
    last_update: str | None = None

    @property
    def levels(self) -> list[str]:
        """The classification OBJ_IDs in order (without ITEM)."""
        return [obj for obj in self.classifications if obj != "ITEM"]


def read_rows(response: requests.Response, what: str, *,
              missing_key: str | None = None) -> list[dict]:
    """The rows of a KOSIS answer; [] for err 30; SourceError for the other errors."""
    try:
        payload = loads_lenient(response.content.decode("utf-8-sig"), missing_key=missing_key)
    except (UnicodeDecodeError, ValueError) as exc:
        check_status(response, SOURCE)
        raise SourceError(SOURCE, "invalid-json", f"{what}: {exc}", retryable=True) from None
    if isinstance(payload, dict):
        err = payload.get("err", payload.get("errCode"))
        if err is None:
            return [payload]
        return _error(str(err).strip(), str(payload.get("errMsg") or "").strip(), what)
    if not isinstance(payload, list):
        raise SourceError(SOURCE, "unexpected-response", f"{what}: neither rows nor an error")
    return [row for row in payload if isinstance(row, dict)]


def _error(err: str, message: str, what: str) -> list[dict]:
    err = str(int(err)) if err.isdigit() else err
    action, advice = ERRORS.get(err, ("request", "unknown error code"))
    text = f"{what}: {message}" + (f" ({advice})" if advice else "")
    if action == "empty":
        return []
    if action == "auth":
        raise AuthError(SOURCE, err, text)
    if action == "quota":
        raise QuotaExceeded(SOURCE, err, text)
    raise SourceError(SOURCE, err, text, retryable=action == "retry")


def data_frame(rows: list[dict]) -> pd.DataFrame:
    """Data rows as strings; DT "-" (and empty) is missing; PRD_SE as the request codes."""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    frame = pd.DataFrame([[_text(row.get(c)) for c in columns] for row in rows],
                         columns=list(columns), dtype="str")
    if "DT" in frame:
        frame["DT"] = frame["DT"].where(~frame["DT"].str.strip().isin(MISSING))
    if "PRD_SE" in frame:
        frame["PRD_SE"] = frame["PRD_SE"].map(lambda v: normalise_period_code(v) or v)
    return frame


def _text(value) -> str | None:
    return None if value is None else str(value)


def region_codes(meta: TableMeta) -> tuple[SpatialCode, ...]:
    """The Seoul codes (시도 11 and its 구) of the table's region classification."""
    for obj in meta.levels:
        info = meta.classifications[obj]
        if not any(word in info["name"] for word in ("행정구역", "시도", "시군구", "지역")):
            continue
        items = info["items"]
        system = "kostat"
        for code, name in items:
            if name.strip().endswith("종로구"):
                system = "mois" if code.startswith("11110") else "kostat"
        return tuple(SpatialCode(code, system, name) for code, name in items
                     if code.startswith("11") and len(code) in (2, 5))
    return ()


@register
class KosisConnector(Connector):
    """KOSIS tables below the configured list roots (and any listed explicitly)."""

    name = SOURCE
    default_base_url = PUBLIC_API
    key_env = "PORTAL_KOSIS_API_KEY"
    options = (
        Option("roots", tuple, DEFAULT_ROOTS, "ListRoot(view, parent_id, theme) entries: "
                                              "the catalogue folders whose tables are listed."),
        Option("tables", tuple, (), "More tables as (org_id, tbl_id, theme) triples."),
        Option("queries", Mapping, None, "source_id (org/tbl) → TableQuery for fetch_table; "
                                         "default: every item and code, newest periods."),
        Option("recent_periods", int, 5, "Periods fetch_table reads by default."),
        Option("period_type", str, None, "Period type fetch_table reads by default (Y, H, Q, "
                                         "M, …); default: the table's finest."),
        Option("with_meta", bool, True, "Read each table's periods, classifications and last "
                                        "update while listing (three calls per table)."),
        Option("licence", str, "UNRESTRICTED", "Licence recorded for KOSIS tables (KOSIS asks "
                                               "users to cite it and sets no other limit)."),
        Option("max_depth", int, 5, "How deep to walk below each list root."),
    )

    def _get(self, path: str, what: str, missing_key: str | None = None, **params) -> list[dict]:
        query = {"method": "getList", "apiKey": self.require_key(), "format": "json",
                 "jsonVD": "Y", **params}
        return self.http.get(path, query,
                             parse=lambda r: read_rows(r, what, missing_key=missing_key))

    # The catalogue ------------------------------------------------------------------------

    def walk(self, root: ListRoot) -> Iterator[dict]:
        """The table rows (those with a TBL_ID) below a list root, depth first."""
        stack = [(root.parent_id, 0)]
        while stack:
            parent, depth = stack.pop()
            rows = self._get(LIST, f"list {root.view}/{parent}", vwCd=root.view,
                             parentListId=parent)
            folders = []
            for row in rows:
                if row.get("TBL_ID"):
                    yield row
                elif row.get("LIST_ID") and depth < self.settings["max_depth"]:
                    folders.append((str(row["LIST_ID"]), depth + 1))
            stack.extend(reversed(folders))

    def list_datasets(self) -> Iterator[DatasetRecord]:
        seen: set[tuple[str, str]] = set()
        for row, theme in self._tables():
            key = (str(row["ORG_ID"]), str(row["TBL_ID"]))
            if key in seen:  # a table can sit in several folders
                continue
            seen.add(key)
            yield self.record(self.describe(*key, name=row.get("TBL_NM")), theme)

    def _tables(self) -> Iterator[tuple[dict, str]]:
        for root in self.settings["roots"]:
            for row in self.walk(root):
                yield row, root.theme
        for org_id, tbl_id, theme in self.settings["tables"]:
            yield {"ORG_ID": org_id, "TBL_ID": tbl_id}, theme

    def describe(self, org_id: str, tbl_id: str, *, name: str | None = None) -> TableMeta:
        """A table's name, periods, classifications and last update (getMeta)."""
        meta = TableMeta(org_id, tbl_id, name=name)
        ids = {"orgId": org_id, "tblId": tbl_id}
        if not name:
            for row in self._get(META, f"{tbl_id} TBL", method="getMeta", type="TBL", **ids):
                meta.name, meta.name_en = row.get("TBL_NM"), row.get("TBL_NM_ENG") or None
        if not self.settings["with_meta"]:
            return meta
        meta.periods = self._get(META, f"{tbl_id} PRD", method="getMeta", type="PRD", **ids)
        for row in self._get(META, f"{tbl_id} ITM", method="getMeta", type="ITM", **ids):
            obj = str(row.get("OBJ_ID") or "")
            entry = meta.classifications.setdefault(obj, {"name": row.get("OBJ_NM") or "",
                                                          "items": []})
            entry["items"].append((str(row.get("ITM_ID") or ""), str(row.get("ITM_NM") or "")))
        try:
            # NCD bodies are malformed even with jsonVD=Y: a raw tab where the SEND_DE key
            # should be. A table without its last-update date is still a table.
            rows = self._get(META, f"{tbl_id} NCD", missing_key="SEND_DE", method="getMeta",
                             type="NCD", **ids)
            dates = sorted(str(r.get("SEND_DE"))[:10] for r in rows if r.get("SEND_DE"))
            meta.last_update = dates[-1] if dates else None
        except SourceError as exc:
            if isinstance(exc, (AuthError, QuotaExceeded)):
                raise
            log.warning("kosis: %s last update unknown: %s", tbl_id, exc)
        return meta

    def record(self, meta: TableMeta, theme: str) -> DatasetRecord:
        cycles = [cycle_of(str(p.get("PRD_SE") or "")) for p in meta.periods]
        order = ["realtime", "daily", "weekly", "monthly", "quarterly", "half-yearly", "yearly",
                 "irregular"]
        known = [c for c in cycles if c in order]
        page = TABLE_PAGE.format(org=meta.org_id, tbl=meta.tbl_id)
        spans = "; ".join(f"{p.get('PRD_SE')} {p.get('STRT_PRD_DE', '')}–{p.get('END_PRD_DE', '')}"
                          for p in meta.periods if p.get("PRD_SE"))
        return DatasetRecord(
            source=SOURCE, source_id=f"{meta.org_id}/{meta.tbl_id}",
            title_ko=meta.name or meta.tbl_id, title_en=meta.name_en, theme=theme,
            kind="stats", formats=("API",), licence=self.settings["licence"],
            update_cycle=min(known, key=order.index) if known else None,
            owner=meta.org_id, source_url=page, spatial=region_codes(meta),
            resources=[ResourceRecord("KOSIS 통계표", "link", page),
                       ResourceRecord("KOSIS OpenAPI 통계자료", "api", f"{PUBLIC_API}/{DATA}"
                                      f"?method=getList&orgId={meta.org_id}&tblId={meta.tbl_id}",
                                      "JSON")],
            last_modified=meta.last_update,
            extras={k: v for k, v in {"org_id": meta.org_id, "tbl_id": meta.tbl_id,
                                      "periods": spans}.items() if v})

    # Data -----------------------------------------------------------------------------------

    def fetch_table(self, record: DatasetRecord) -> TableContent | None:
        org_id, tbl_id = record.source_id.split("/", 1)
        meta = self.describe(org_id, tbl_id, name=record.title_ko)
        query = (self.settings["queries"] or {}).get(record.source_id) or self.default_query(meta)
        return TableContent(frame=self.fetch_data(org_id, tbl_id, query, meta=meta))

    def default_query(self, meta: TableMeta) -> TableQuery:
        """Every item and code over the newest periods of the table's finest period type
        (or of the `period_type` option's, when the table has it)."""
        rows = {normalise_period_code(str(p.get("PRD_SE") or "")): p for p in meta.periods}
        rows.pop(None, None)
        levels = tuple(("ALL",) for _ in meta.levels) or (("ALL",),)
        recent = self.settings["recent_periods"]
        wanted = self.settings["period_type"]
        if not rows:
            return TableQuery(levels=levels, period_type=wanted or "Y", recent=recent)
        period_type = wanted if wanted in rows else min(rows, key=_FINENESS.index)
        end = str(rows[period_type].get("END_PRD_DE") or "")
        start = step_back(period_type, end, recent - 1) if end else None
        if start:
            return TableQuery(levels=levels, period_type=period_type, start=start, end=end)
        return TableQuery(levels=levels, period_type=period_type, recent=recent)

    def fetch_data(self, org_id: str, tbl_id: str, query: TableQuery, *,
                   meta: TableMeta | None = None) -> pd.DataFrame:
        """The rows of a table for `query`, split and merged as the cell cap requires."""
        rows = self._collect(org_id, tbl_id, query, meta)
        # Split requests can overlap (a row on a boundary): keep each row once.
        unique = list({json.dumps(r, sort_keys=True, ensure_ascii=False): r
                       for r in rows}.values())
        return data_frame(unique)

    def _collect(self, org_id, tbl_id, query: TableQuery, meta) -> list[dict]:
        while True:
            try:
                return self._get(DATA, f"{tbl_id} data", orgId=org_id, tblId=tbl_id,
                                 **query.params())
            except SourceError as exc:
                levels = query.levels or (("ALL",),)
                if exc.code == "20" and len(levels) < MAX_LEVELS:
                    # KOSIS answers err 20 when a classification level is missing: ask for
                    # the next level too, with every code (objLn=ALL).
                    query = replace(query, levels=(*levels, ("ALL",)))
                    continue
                if exc.code not in ("31", "41"):
                    raise
                too_large = exc.code
            break
        # Over the cell cap: split outside the `except`, so the parts' own errors do not
        # chain onto this one.
        parts = self._split(query, meta or self.describe(org_id, tbl_id, name=tbl_id))
        if not parts:
            raise SourceError(SOURCE, too_large, f"{tbl_id}: the request is over the cell cap "
                              "and cannot be split further; ask for fewer items or codes")
        log.info("kosis: %s over the cell cap; split in %d", tbl_id, len(parts))
        return [row for part in parts for row in self._collect(org_id, tbl_id, part, meta)]

    def _split(self, query: TableQuery, meta: TableMeta) -> list[TableQuery] | None:
        """Two smaller queries covering `query`: by period, else item, else first level."""
        periods = periods_between(query.period_type, query.start, query.end) \
            if query.start and query.end else None
        if periods and len(periods) > 1:
            middle = len(periods) // 2
            return [replace(query, start=periods[0], end=periods[middle - 1]),
                    replace(query, start=periods[middle], end=periods[-1])]
        items = query.items
        if items == ("ALL",):
            items = tuple(code for code, _ in meta.classifications.get("ITEM", {}).get("items", []))
        if len(items) > 1:
            middle = len(items) // 2
            return [replace(query, items=items[:middle]), replace(query, items=items[middle:])]
        levels = query.levels or (("ALL",),)
        first = levels[0]
        if first == ("ALL",) and meta.levels:
            first = tuple(code for code, _ in meta.classifications[meta.levels[0]]["items"])
        if len(first) > 1:
            middle = len(first) // 2
            return [replace(query, levels=(first[:middle], *levels[1:])),
                    replace(query, levels=(first[middle:], *levels[1:]))]
        return None


_FINENESS = ["D", "M", "Q", "H", "Y", "F", "IR"]
