"""How the Seoul Open Data Plaza catalog reads in our terms, shared by the demo loader and
the harvest: its provider groups (제공기관 구분) and its titles."""
from __future__ import annotations

import re

# The catalog's 제공기관 groups, mapped to our organisations.
PROVIDER_GROUPS = {"서울시(본청)": "seoul", "서울시(산하기관)": "seoul-agencies",
                   "서울시(사업소)": "seoul-offices", "공공기관(외부)": "public-institutions",
                   "민간(기업)": "private-companies"}


def clean_title(name: str) -> str:
    # Catalog titles end with the catalog's own category word ("… 공공데이터", "… 통계").
    return re.sub(r"\s+(공공데이터|통계)$", "", name.strip()) or name
