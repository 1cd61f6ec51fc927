"""data.go.kr (공공데이터포털): reading its answers, and its catalogue as records.

Two API families answer here, and one gateway in front of them:
- odcloud (`api.odcloud.kr/api/…`): `{"currentCount", "data": [...], "matchCount", "page",
  "perPage", "totalCount"}`; page until page × perPage ≥ matchCount. The portal's own
  catalogue is one of them: `/15077093/v1/{file-data-list|open-data-list|standard-data-list}`.
- classic gateway APIs (`apis.data.go.kr/…`): `{"response": {"header": {"resultCode": "00"},
  "body": {"items": {"item": [...]}, "totalCount"}}}`; one item comes as an object.
- Gateway errors come as XML even when JSON was asked for (`<OpenAPI_ServiceResponse>` with
  `returnAuthMsg` and `returnReasonCode`), today with HTTP 400/403, formerly 200.

The service key: the portal shows it "encoded" (`%2B…%3D%3D`) and "decoded". It is
decoded here when it contains `%`, and requests encodes it exactly once; passing the
encoded key through params would send `%252B`, which the gateway answers with 30 (key not
registered).
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import unquote

import requests

from connectors import vocab
from connectors.base import DatasetRecord, ResourceRecord
from connectors.errors import AuthError, QuotaExceeded, SourceError
from connectors.http import check_status

SOURCE = "datagokr"
CATALOGUE = "15077093/v1"
PAGE_URL = {"file-data-list": "https://www.data.go.kr/data/{id}/fileData.do",
            "open-data-list": "https://www.data.go.kr/data/{id}/openapi.do",
            "standard-data-list": "https://www.data.go.kr/data/{id}/standard.do"}
KIND = {"file-data-list": "file", "open-data-list": "openapi", "standard-data-list": "standard"}

# resultCode / returnReasonCode → what to do
RESULT_CODES = {
    "00": "ok", "03": "empty",
    "01": "retry", "02": "retry", "04": "retry", "05": "retry", "99": "retry",
    "10": "request", "11": "request", "12": "request",
    "20": "auth", "21": "auth", "30": "auth", "31": "auth", "32": "auth", "33": "auth",
    "22": "quota",
}
# returnAuthMsg names, which say it more reliably than the number.
GATEWAY_MESSAGES = {
    "NORMAL_SERVICE": "ok", "NODATA_ERROR": "empty",
    "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR": "quota",
    "SERVICE_KEY_IS_NOT_REGISTERED_ERROR": "auth", "SERVICE_ACCESS_DENIED_ERROR": "auth",
    "TEMPORARILY_DISABLE_THE_SERVICEKEY_ERROR": "auth", "DEADLINE_HAS_EXPIRED_ERROR": "auth",
    "UNREGISTERED_IP_ERROR": "auth", "UNSIGNED_CALL_ERROR": "auth",
    "APPLICATION_ERROR": "retry", "DB_ERROR": "retry", "HTTP_ERROR": "retry",
    "SERVICETIMEOUT_ERROR": "retry", "UNKNOWN_ERROR": "retry",
    "INVALID_REQUEST_PARAMETER_ERROR": "request",
    "NO_MANDATORY_REQUEST_PARAMETERS_ERROR": "request", "NO_OPENAPI_SERVICE_ERROR": "request",
}
ADVICE = {"auth": "check PORTAL_DATAGOKR_SERVICE_KEY and that it is approved (활용신청) for "
                  "this API", "quota": "the daily call quota is used up: try again tomorrow"}


def service_key(raw: str) -> str:
    """The decoded key: the portal's "encoded" key is decoded once, a decoded one kept."""
    return unquote(raw) if "%" in raw else raw


@dataclass(frozen=True)
class Answer:
    items: list[dict]
    total: int | None   # matchCount (odcloud, after filters) or totalCount


def read_answer(response: requests.Response, what: str) -> Answer:
    """The items of any data.go.kr answer, or the SourceError it means."""
    text = response.content.decode("utf-8-sig", errors="replace")
    if text.lstrip().startswith("<"):
        _raise_xml(text, response, what)
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        check_status(response, SOURCE)
        raise SourceError(SOURCE, "invalid-json", f"{what}: {exc}", retryable=True) from None
    if isinstance(payload, dict) and isinstance(payload.get("response"), dict):
        return _classic(payload["response"], what)
    if isinstance(payload, dict) and isinstance(payload.get("data"), list):
        total = payload.get("matchCount", payload.get("totalCount"))
        return Answer([i for i in payload["data"] if isinstance(i, dict)], _int(total))
    if isinstance(payload, dict) and "code" in payload and "msg" in payload:
        # odcloud's own error object; a 401 is a key not (yet) approved for the dataset,
        # and approval takes hours to reach odcloud.
        code, message = str(payload["code"]), str(payload["msg"])
        if response.status_code in (401, 403):
            raise AuthError(SOURCE, code, f"{what}: {message} ({ADVICE['auth']})")
        retryable = response.status_code >= 500
        raise SourceError(SOURCE, code, f"{what}: {message}", retryable=retryable)
    check_status(response, SOURCE)
    raise SourceError(SOURCE, "unexpected-response", f"{what}: not a data.go.kr answer")


def _classic(body: dict, what: str) -> Answer:
    header = body.get("header") or {}
    code = str(header.get("resultCode") or "").strip()
    _act(RESULT_CODES.get(code, "request"), code, str(header.get("resultMsg") or ""), what)
    if code == "03":
        return Answer([], 0)
    content = body.get("body") or {}
    items = content.get("items")
    if isinstance(items, dict):
        items = items.get("item")
    if isinstance(items, dict):   # a single item comes as an object
        items = [items]
    if not isinstance(items, list):  # "", null or missing: no items
        items = []
    return Answer([i for i in items if isinstance(i, dict)], _int(content.get("totalCount")))


def _raise_xml(text: str, response: requests.Response, what: str) -> None:
    """An XML body where JSON was asked for: read the gateway's error and raise it."""
    fields = _xml_fields(text)
    auth_msg = fields.get("returnAuthMsg", "")
    code = fields.get("returnReasonCode") or fields.get("resultCode") or ""
    action = GATEWAY_MESSAGES.get(auth_msg) or RESULT_CODES.get(code)
    if action is None:
        check_status(response, SOURCE)
        raise SourceError(SOURCE, "unexpected-xml", f"{what}: an XML or HTML page came "
                          "where JSON was asked for")
    message = " ".join(v for v in (fields.get("errMsg"), auth_msg, fields.get("resultMsg")) if v)
    _act(action, auth_msg or code, message, what)
    raise SourceError(SOURCE, "unexpected-xml", f"{what}: XML where JSON was asked for "
                      f"({message})")


def _xml_fields(text: str) -> dict[str, str]:
    try:
        root = ET.fromstring(text.strip())
        return {el.tag: (el.text or "").strip() for el in root.iter() if len(el) == 0}
    except ET.ParseError:
        # A gateway page cut short still names its error.
        return {m.group(1): m.group(2).strip()
                for m in re.finditer(r"<(\w+)>([^<]*)</\1>", text)}


def _act(action: str, code: str, message: str, what: str) -> None:
    text = f"{what}: {message}".strip() + (f" ({ADVICE[action]})" if action in ADVICE else "")
    if action == "auth":
        raise AuthError(SOURCE, code, text)
    if action == "quota":
        raise QuotaExceeded(SOURCE, code, text)
    if action in ("retry", "request"):
        raise SourceError(SOURCE, code or "unknown", text, retryable=action == "retry")


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


# --- catalogue rows → records ---------------------------------------------------------------

def catalogue_records(rows: list[dict], listing: str) -> list[DatasetRecord]:
    """Records for one catalogue list. open-data-list has a row per API operation: rows of
    one list_id become one record with the operations as resources."""
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        list_id = str(row.get("list_id") or row.get("id") or "").strip()
        if list_id:
            grouped.setdefault(list_id, []).append(row)
    return [r for r in (_record(list_id, group, listing) for list_id, group in grouped.items())
            if r is not None]


def _record(list_id: str, rows: list[dict], listing: str) -> DatasetRecord | None:
    first = rows[0]
    get = lambda name: str(first.get(name) or "").strip()  # noqa: E731
    title = get("list_title") or get("title")
    if not title:
        return None
    page = get("meta_url") or PAGE_URL[listing].format(id=list_id)
    resources = [ResourceRecord("공공데이터포털 데이터셋 페이지", "link", page)]
    for row in rows:
        endpoint = _endpoint(str(row.get("end_point_url") or ""), str(row.get("operation_url")
                                                                      or ""))
        if endpoint:
            name = str(row.get("operation_nm") or row.get("title") or "OpenAPI").strip()
            resources.append(ResourceRecord(name, "api", endpoint, get("data_format") or None))
    formats = tuple(dict.fromkeys(f.strip().upper()
                                  for f in re.split(r"[,/+ ]", get("data_format")) if f.strip()))
    keywords = tuple(dict.fromkeys(k.strip() for k in get("keywords").split(",") if k.strip()))
    extras = {"org_code": get("org_cd"), "department": get("dept_nm"), "listing": listing,
              "category": get("new_category_nm") or get("category_nm")}
    return DatasetRecord(
        source=SOURCE, source_id=list_id, title_ko=title, title_en=get("title_en") or None,
        description_ko=get("desc") or None, keywords=keywords,
        theme=vocab.theme_from_label(get("new_category_nm") or get("category_nm")),
        kind=KIND[listing], formats=formats,
        licence=vocab.licence_from_label(get("license") or get("licence"), default="UNKNOWN"),
        update_cycle=vocab.update_cycle_from_label(get("update_cycle")),
        owner=get("org_nm") or get("org_cd") or None, source_url=page, resources=resources,
        last_modified=(get("updated_at") or get("created_at"))[:10] or None,
        extras={k: v for k, v in extras.items() if v})


def _endpoint(base: str, operation: str) -> str:
    base, operation = base.strip(), operation.strip()
    if operation.startswith(("http://", "https://")):
        return operation
    if base and operation:
        return f"{base.rstrip('/')}/{operation.lstrip('/')}"
    return base or operation
