"""schema.org `Dataset` JSON-LD for a dataset page's head, so search engines and harvesters
(Google Dataset Search, data.go.kr-style catalogues) read the same metadata as people.

Built in Python with json.dumps, never by a template, so every value is escaped once.
"""
from __future__ import annotations

import json
import re
from typing import Callable

from markupsafe import Markup
from werkzeug.routing import BuildError

from models_std import semantics
from portal.catalog import vocab

# 공공누리 licence pages (the KOGL site explains each type).
KOGL_URLS = {
    "KOGL-1": "https://www.kogl.or.kr/info/licenseType1.do",
    "KOGL-2": "https://www.kogl.or.kr/info/licenseType2.do",
    "KOGL-3": "https://www.kogl.or.kr/info/licenseType3.do",
    "KOGL-4": "https://www.kogl.or.kr/info/licenseType4.do",
}
MEDIA_TYPES = {
    "csv": "text/csv", "json": "application/json", "xml": "application/xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel", "parquet": "application/vnd.apache.parquet",
}
# Formats the download route (when the site has one) converts any table into; XLSX is left
# out because a sheet's row limit makes it unavailable for the largest tables.
DOWNLOAD_FORMATS = ("csv", "json")
YEAR = re.compile(r"^(\d{4})")


def _url(url_for: Callable, endpoint: str, **values) -> str | None:
    """An absolute URL, or None when the route does not exist in this deployment."""
    try:
        return url_for(endpoint, _external=True, **values)
    except BuildError:
        return None


def _description(dataset) -> str:
    if dataset.description_ko:
        return dataset.description_ko
    owner = dataset.owner.name_ko if dataset.owner else "서울특별시"
    theme = vocab.label(vocab.THEMES, dataset.theme) or dataset.theme
    return f"{owner}에서 제공하는 {theme} 분야 공공데이터: {dataset.title_ko}"


def _gu_names(dataset, profile: dict | None) -> list[str]:
    gu = ((profile or {}).get("dimensions") or {}).get("gu") or {}
    if gu.get("labels"):
        return list(gu["labels"])
    names = []
    for code in dataset.spatial_coverage or []:
        district = semantics.district_by_code(code, semantics.MOIS)
        if district:
            names.append(district.name_ko)
    return names


def _temporal_coverage(dataset, profile: dict | None) -> str | None:
    """ISO 8601 interval: the declared period, else the profile's period labels
    ('..' opens the interval when the first label is a bucket like '2013년 이전')."""
    if dataset.temporal_start or dataset.temporal_end:
        start = dataset.temporal_start.isoformat() if dataset.temporal_start else ".."
        end = dataset.temporal_end.isoformat() if dataset.temporal_end else ".."
        return f"{start}/{end}"
    year = ((profile or {}).get("dimensions") or {}).get("year") or {}
    labels = year.get("labels") or []
    years = [m.group(1) for label in labels if (m := YEAR.match(label))]
    if not years:
        return None
    start = ".." if "이전" in labels[0] else min(years)
    end = ".." if "이후" in labels[-1] else max(years)
    return start if start == end else f"{start}/{end}"


def _distributions(dataset, versions, url_for: Callable) -> list[dict]:
    """One DataDownload per file: the original as received, and the converted formats when
    the site offers a download route."""
    downloads, seen = [], set()
    for version in reversed(versions):  # newest first: one original per resource
        if not version.original_key or version.resource_id in seen:
            continue
        seen.add(version.resource_id)
        url = _url(url_for, "datasets.original", slug=dataset.slug, version_id=version.id)
        fmt = (version.source_format or "").lower()
        if url:
            downloads.append({"@type": "DataDownload", "name": version.original_filename or url,
                              "encodingFormat": MEDIA_TYPES.get(fmt, fmt or None),
                              "contentUrl": url})
    if versions:
        for fmt in DOWNLOAD_FORMATS:
            url = _url(url_for, "downloads.table", slug=dataset.slug, name=fmt)
            if url:
                downloads.append({"@type": "DataDownload", "encodingFormat": MEDIA_TYPES[fmt],
                                  "contentUrl": url})
    return downloads


def dataset_jsonld(dataset, versions, profile: dict | None, url_for: Callable) -> dict:
    page_url = url_for("datasets.show", slug=dataset.slug, _external=True)
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": dataset.title_ko,
        "description": _description(dataset),
        "url": page_url,
        "identifier": [dataset.source_id, page_url] if dataset.source_id else [page_url],
        "keywords": list(dataset.keywords or []),
        "inLanguage": "ko",
        "isAccessibleForFree": True,
        "dateModified": dataset.modified_at.isoformat() if dataset.modified_at else None,
        "datePublished": dataset.created_at.date().isoformat() if dataset.created_at else None,
    }
    if dataset.title_en:
        data["alternateName"] = dataset.title_en
    if dataset.owner:
        data["publisher"] = data["creator"] = {
            "@type": "GovernmentOrganization", "name": dataset.owner.name_ko,
            "url": _url(url_for, "organisations.show", slug=dataset.owner.slug)}
    if dataset.licence in KOGL_URLS:
        data["license"] = KOGL_URLS[dataset.licence]
    if coverage := _temporal_coverage(dataset, profile):
        data["temporalCoverage"] = coverage
    gu_names = _gu_names(dataset, profile)
    data["spatialCoverage"] = {
        "@type": "Place", "name": "서울특별시",
        "containsPlace": [{"@type": "Place", "name": f"서울특별시 {name}"} for name in gu_names]}
    if distributions := _distributions(dataset, versions, url_for):
        data["distribution"] = distributions
    return {key: value for key, value in data.items() if value not in (None, [], "")}


def script_text(data: dict) -> Markup:
    """JSON safe inside <script>: '<', '>' and '&' escaped so '</script>' cannot end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)
