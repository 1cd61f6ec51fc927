"""How the Seoul Open Data Plaza catalog reads in our terms, shared by the demo loader and
the harvest: its provider groups (제공기관 구분) and its titles."""
from __future__ import annotations

import re

from portal.catalog.organisations import district_in_text, district_slug

SEOUL_CITY_CODE = "11000"  # spatial coverage "all of Seoul" (MOIS code system)

# The catalog's 제공기관 groups, mapped to our organisations.
PROVIDER_GROUPS = {"서울시(본청)": "seoul", "서울시(산하기관)": "seoul-agencies",
                   "서울시(사업소)": "seoul-offices", "공공기관(외부)": "public-institutions",
                   "민간(기업)": "private-companies"}


def clean_title(name: str) -> str:
    # Catalog titles end with the catalog's own category word ("… 공공데이터", "… 통계").
    return re.sub(r"\s+(공공데이터|통계)$", "", name.strip()) or name


def catalog_owner(title: str, provider_group: str) -> tuple[str, str | None]:
    """The owner organisation's slug and, for an entry of a gu, that gu's MOIS code.

    Entries of "자치구 및 자치구산하" belong to the gu their title names
    ("서울시 강동구 명일2동 …"); the other groups map to their organisation."""
    district = district_in_text(title) if provider_group.startswith("자치구") else None
    if district is not None:
        return district_slug(district), district.codes["mois"]
    return PROVIDER_GROUPS.get(provider_group, "seoul"), None
