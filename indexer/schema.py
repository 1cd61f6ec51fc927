"""Declarations that drive search: text fields and their weights, facets, filters and sorts.

Declared once, read by both backends, the search page and the JSON API (labels: Korean first,
English second). Adding a facet is adding a line here; a backend that does not know how to count
a declared facet fails the contract tests.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextField:
    """A searched document field. ``boost`` orders the tiers title > keywords > organisation/gu >
    description; the gaps are wide on purpose (a field's BM25 part varies by about 3× with
    length), so a title match beats a keyword match whatever the lengths."""

    name: str            # document field (a list is joined with spaces)
    boost: float
    cross_space: bool    # index marked cross-space bigrams (spacing variants: 인구통계 = 인구 통계)
    final_unigrams: bool  # index run-final syllables (one-syllable queries)
    highlight: bool
    label_ko: str
    label_en: str
    also: tuple[str, ...] = ()  # further document fields searched as part of this one

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.name,) + self.also


@dataclass(frozen=True)
class Facet:
    name: str            # query parameter and SearchQuery.filters / .facets key
    field: str           # document field holding the value(s)
    label_ko: str
    label_en: str
    multi: bool = False  # the document field is a list


@dataclass(frozen=True)
class Filter:
    """A filter that is not a facet (no counts): values are strings, as they come from a URL."""

    name: str
    field: str
    label_ko: str
    label_en: str
    kind: str = "bool"   # "bool": "true"/"false"


@dataclass(frozen=True)
class Sort:
    name: str
    field: str | None    # None: relevance
    reverse: bool
    label_ko: str
    label_en: str


TEXT_FIELDS: tuple[TextField, ...] = (
    TextField("title", 8.0, True, True, True, "제목", "Title"),
    TextField("title_en", 6.0, False, False, True, "영문 제목", "English title"),
    TextField("keywords", 4.0, True, True, True, "키워드", "Keywords"),
    TextField("organisation_name", 2.0, True, True, False, "제공기관", "Organisation",
              also=("organisation_path",)),
    TextField("gu", 2.0, False, True, False, "자치구", "District"),
    TextField("description", 1.0, False, False, True, "설명", "Description"),
)
# A unit's score is its best field plus this share of the others (Elasticsearch dis_max
# tie_breaker): matching in more fields helps a little but never lifts a tier.
TIE_BREAKER = 0.2
# A title equal to the whole query (ignoring spaces, case and punctuation) comes first.
EXACT_TITLE_BONUS = 1000.0
# Synonyms count a little less than the words typed; typo corrections less still.
SYNONYM_WEIGHT = 0.8
FUZZY_WEIGHT = 0.5
# Fields a one-syllable query searches (the description would match almost everything).
SHORT_FIELDS = ("title", "title_en", "keywords", "organisation_name", "gu")

FACETS: tuple[Facet, ...] = (
    Facet("source", "source", "출처", "Source"),
    Facet("organisation", "organisation", "제공기관", "Organisation"),
    Facet("gu", "gu", "자치구", "District", multi=True),
    Facet("theme", "theme", "분류", "Theme"),
    Facet("kind", "kind", "유형", "Type"),
    Facet("format", "formats", "확장자", "Format", multi=True),
    Facet("licence", "licence", "공공누리", "Licence"),
    Facet("update_cycle", "update_cycle", "업데이트 주기", "Update cycle"),
)

FILTERS: tuple[Filter, ...] = (
    Filter("overdue", "overdue", "갱신 지연", "Overdue"),
)

SORTS: tuple[Sort, ...] = (
    Sort("relevance", None, False, "정확도순", "Relevance"),
    Sort("modified", "modified", True, "최신순", "Newest"),
    Sort("views", "views", True, "인기순", "Most viewed"),
    Sort("title", "title", False, "이름순", "Name"),
)
DEFAULT_SORT = "relevance"
# Without query text there is no relevance: the newest datasets come first.
EMPTY_QUERY_SORT = "modified"
MAX_PER_PAGE = 100
FACET_SIZE = 50      # values returned per facet (most frequent first)

FACETS_BY_NAME = {facet.name: facet for facet in FACETS}
FILTERS_BY_NAME = {flt.name: flt for flt in FILTERS}
SORTS_BY_NAME = {sort.name: sort for sort in SORTS}
TEXT_FIELDS_BY_NAME = {text.name: text for text in TEXT_FIELDS}


def facet(name: str) -> Facet:
    try:
        return FACETS_BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown facet {name!r}; declared: {sorted(FACETS_BY_NAME)}") from None


def sort(name: str) -> Sort:
    try:
        return SORTS_BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown sort {name!r}; declared: {sorted(SORTS_BY_NAME)}") from None


def check_filter_name(name: str) -> None:
    if name not in FACETS_BY_NAME and name not in FILTERS_BY_NAME:
        raise ValueError(f"unknown filter {name!r}; declared: "
                         f"{sorted(FACETS_BY_NAME) + sorted(FILTERS_BY_NAME)}")
