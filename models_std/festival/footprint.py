"""The festival catalogue: events located on the dong map, deduplicated, with their footprint.

Footprint (영향권) = the 행정동 containing the venue, optionally with its neighbours; the
spillover ring (인접 동) = the dongs around the footprint. An analyst may correct both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from models_std.festival.geography import DongMap

VENUE_ONLY, WITH_NEIGHBOURS = "venue_dong", "venue_dong_and_neighbours"
FESTIVAL_CATEGORY_PREFIX = "축제"   # culturalEventInfo CODENAME: 축제-문화/예술, 축제-기타, …


@dataclass(frozen=True)
class Festival:
    id: str                      # "<start yyyymmdd>-<normalised name>", stable across runs
    name: str
    venue: str
    start: np.datetime64
    end: np.datetime64
    venue_dong: str
    gu_code: str
    footprint: tuple[str, ...]
    ring: tuple[str, ...]
    edition_key: str             # normalised name + venue: the same festival in other years

    @property
    def days(self) -> np.ndarray:
        return np.arange(self.start, self.end + np.timedelta64(1, "D"), dtype="datetime64[D]")


_EDITION = re.compile(r"(제\s*\d+\s*회|\d{4}\s*년?|\d+(st|nd|rd|th)|시즌\s*\d+)")
_BRACKETS = re.compile(r"[\[\(（【<].*?[\]\)）】>]")
_NOT_WORD = re.compile(r"[^0-9a-z가-힣]+")


def normalised_name(name: str) -> str:
    """'[관악구] 2025 제27회 관악강감찬축제' → '관악강감찬축제': edition years and numbers,
    bracketed organisers and punctuation removed."""
    text = _BRACKETS.sub(" ", str(name).lower())
    return _NOT_WORD.sub("", _EDITION.sub(" ", text))


def normalised_venue(venue: str) -> str:
    """The first place of a venue list ('낙성대공원+별빛내린천' → '낙성대공원')."""
    first = re.split(r"[+,/·및]| 및 ", str(venue or ""))[0]
    return _NOT_WORD.sub("", _BRACKETS.sub(" ", first.lower()))


def catalogue(events: pd.DataFrame, dongs: DongMap, *, rule: str = VENUE_ONLY,
              ring_depth: int = 1, max_days: int = 14) -> tuple[list[Festival], pd.DataFrame]:
    """(festivals, skipped): every event that is a festival, lies in Seoul and lasts at most
    `max_days`; `skipped` lists the others with the reason (in Korean)."""
    frame = events.copy()
    if "category" in frame:
        category = frame["category"].fillna("")
        frame = frame[(category == "") | category.str.startswith(FESTIVAL_CATEGORY_PREFIX)]
    frame["key"] = frame["name"].map(normalised_name)
    # The national file repeats rows (one per provider upload): one festival per name and start.
    frame = frame.sort_values(["start_date", "key", "name"], kind="mergesort")
    frame = frame.drop_duplicates(["key", "start_date"])
    festivals, skipped = [], []
    for row in frame.itertuples(index=False):
        length = int((row.end_date - row.start_date) // np.timedelta64(1, "D")) + 1
        dong = dongs.locate(row.lat, row.lon)
        reason = ("위치(위도·경도)가 없거나 서울 밖입니다" if dong is None
                  else f"{max_days}일보다 긴 행사는 상설 프로그램으로 보아 제외합니다"
                  if length > max_days else "종료일이 시작일보다 빠릅니다" if length < 1 else None)
        if reason:
            skipped.append({"name": row.name, "start_date": row.start_date, "reason_ko": reason})
            continue
        footprint = {dong} | (set(dongs.ring({dong}, 1)) if rule == WITH_NEIGHBOURS else set())
        if rule not in (VENUE_ONLY, WITH_NEIGHBOURS):
            raise ValueError(f"unknown footprint rule {rule!r}")
        start = np.datetime64(row.start_date, "D")
        festivals.append(Festival(
            id=f"{str(start).replace('-', '')}-{row.key}", name=str(row.name),
            venue=str(row.venue or ""), start=start, end=np.datetime64(row.end_date, "D"),
            venue_dong=dong, gu_code=dongs.gu_of(dong) or "", footprint=tuple(sorted(footprint)),
            ring=tuple(dongs.ring(footprint, ring_depth)),
            edition_key=f"{row.key}@{normalised_venue(row.venue)}"))
    return festivals, pd.DataFrame(skipped, columns=["name", "start_date", "reason_ko"])


def previous_edition(festival: Festival, festivals: list[Festival]) -> Festival | None:
    """The latest earlier festival with the same normalised name and venue (or venue dong)."""
    name_key = festival.edition_key.split("@")[0]
    earlier = [f for f in festivals if f.start < festival.start
               and f.edition_key.split("@")[0] == name_key
               and (f.edition_key == festival.edition_key or f.venue_dong == festival.venue_dong)]
    return max(earlier, key=lambda f: (f.start, f.id)) if earlier else None
