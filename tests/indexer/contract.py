"""The search backend contract: every backend must pass these tests.

A backend's test module subclasses :class:`BackendContract` and provides one class-scoped
fixture, ``backend_factory``: a callable returning a new, empty backend. Nothing here knows which
engine runs; tests/indexer/test_whoosh_backend.py is the example, an Elasticsearch module only
needs a factory that creates a fresh index per call.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from indexer import schema
from indexer.base import SearchQuery
from indexer.documents import SearchDocument
from tests.indexer.catalog import catalog_documents

PUBLIC = frozenset({"public"})
GANGDONG_STAFF = frozenset({"public", "org:gangdong-gu"})
T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)


def doc(id: str, title: str, **fields) -> SearchDocument:
    """A public document with quiet defaults; override what the test is about."""
    defaults = dict(slug=id.lower(), permission_labels=["public"], source="upload",
                    organisation="test-org", organisation_name="시험기관", theme="기타",
                    modified=T0, views=0)
    defaults.update(fields)
    return SearchDocument(id=id, title=title, **defaults)


# Added to the real catalog (which has no Gangdong parking dataset and no Latin "WiFi" title).
EXTRA = [
    doc("X-GD-PARK-1", "강동구 공영주차장 현황", gu=["강동구"], organisation="gangdong-gu",
        organisation_name="강동구청", theme="교통", views=10),
    doc("X-GD-PARK-2", "서울시 강동구 거주자우선주차장 정보", gu=["강동구"],
        organisation="gangdong-gu", organisation_name="강동구청", theme="교통"),
    doc("X-WIFI-1", "서울시 공공 WiFi 설치 현황", theme="과학/기술"),
    doc("X-WIFI-2", "지하철역 Wi-Fi 접속 통계", theme="과학/기술"),
    doc("X-FOREST", "서울숲 방문객 현황", theme="환경"),
    doc("X-POP-EN", "서울시 인구 동향", title_en="Seoul population trends", theme="인구/가구"),
    doc("X-SECRET", "강동구 내부 주차장 예산 검토 기밀보고", title_en="secretword budget",
        permission_labels=["org:gangdong-gu"], gu=["강동구"], organisation="gangdong-secret",
        organisation_name="강동구 감사담당관", theme="내부감사", keywords=["기밀키워드"],
        kind="file", formats=["HWP"]),
]


def titles(result) -> list[str]:
    return [hit.fields["title"] for hit in result.hits]


def ids(result) -> list[str]:
    return [hit.id for hit in result.hits]


class BackendContract:
    """Tests every SearchBackend must pass. Subclasses provide ``backend_factory``."""

    @pytest.fixture
    def backend(self, backend_factory):
        backend = backend_factory()
        yield backend
        backend.close()

    @pytest.fixture(scope="class")
    @classmethod
    def catalog(cls, backend_factory):
        """The real catalog (8,212 titles) plus EXTRA, indexed once for the read-only tests."""
        backend = backend_factory()
        backend.index(catalog_documents() + EXTRA)
        yield backend
        backend.close()

    def search(self, backend, text="", labels=PUBLIC, **options):
        return backend.search(SearchQuery(text, labels=labels, **options))

    # Writing

    def test_indexed_documents_are_found_by_a_word_of_their_title(self, backend):
        assert backend.index([doc("A", "공영주차장 현황"), doc("B", "도서관 목록")]) == 2
        assert ids(self.search(backend, "주차장")) == ["A"]
        assert backend.count() == 2

    def test_documents_may_be_given_as_plain_dicts(self, backend):
        backend.index([doc("A", "공영주차장 현황").to_dict()])
        assert ids(self.search(backend, "주차장")) == ["A"]
        with pytest.raises(ValueError, match="unknown search document fields"):
            backend.index([{**doc("B", "도서관").to_dict(), "colour": "red"}])

    def test_indexing_the_same_id_again_replaces_the_document(self, backend):
        backend.index([doc("A", "공영주차장 현황")])
        backend.index([doc("A", "어린이집 목록")])
        assert self.search(backend, "주차장").total == 0
        assert ids(self.search(backend, "어린이집")) == ["A"]
        assert backend.count() == 1

    def test_deleted_documents_are_no_longer_found(self, backend):
        backend.index([doc("A", "공영주차장 현황"), doc("B", "민영주차장 현황")])
        assert backend.delete(["A", "unknown"]) == 1
        assert ids(self.search(backend, "주차장")) == ["B"]
        assert set(backend.ids_and_versions()) == {"B"}

    def test_ids_and_versions_give_each_documents_modified_time(self, backend):
        backend.index([doc("A", "가", modified=T0), doc("B", "나", modified=T0 + timedelta(days=1))])
        assert backend.ids_and_versions() == {"A": T0, "B": T0 + timedelta(days=1)}

    def test_clear_empties_the_index(self, backend):
        backend.index([doc("A", "공영주차장 현황")])
        backend.clear()
        assert backend.count() == 0
        assert self.search(backend, "주차장").total == 0

    def test_health_reports_ok_and_the_document_count(self, backend):
        backend.index([doc("A", "공영주차장 현황")])
        health = backend.health()
        assert health["ok"] is True and health["documents"] == 1

    def test_rebuild_swaps_atomically_and_a_search_during_it_still_answers(self, backend):
        backend.index([doc("OLD", "옛 주차장 목록")])
        seen_during = []

        def documents():
            yield doc("NEW1", "새 주차장 목록")
            seen_during.append(ids(self.search(backend, "주차장")))   # mid-rebuild
            yield doc("NEW2", "새 주차장 현황")

        assert backend.rebuild(documents()) == 2
        assert seen_during == [["OLD"]]
        assert sorted(ids(self.search(backend, "주차장"))) == ["NEW1", "NEW2"]

    # Queries are built with the viewer's labels

    def test_a_query_without_permission_labels_is_refused(self):
        with pytest.raises(TypeError):
            SearchQuery("주차장", labels=None)
        with pytest.raises(ValueError):
            SearchQuery("주차장", labels=PUBLIC, facets=("colour",))

    # Filters, facets, sorting, paging, highlights

    FACET_DOCS = [
        doc("F1", "주차장 현황 1", source="seoul", gu=["강동구"], formats=["CSV", "JSON"], kind="openapi"),
        doc("F2", "주차장 현황 2", source="seoul", gu=["강동구", "송파구"], formats=["CSV"]),
        doc("F3", "주차장 현황 3", source="kosis", gu=["송파구"], formats=["XLSX"], kind="stats"),
        doc("F4", "주차장 현황 4", source="mois", gu=[], formats=["CSV"], overdue=True),
        doc("F5", "도서관 목록", source="seoul", gu=["강동구"], formats=["CSV"]),
    ]

    def test_facet_counts_equal_a_hand_count(self, backend):
        backend.index(self.FACET_DOCS)
        result = self.search(backend, "주차장", facets=("source", "gu", "format", "kind"))
        assert result.total == 4
        assert result.facets["source"] == [("seoul", 2), ("kosis", 1), ("mois", 1)]
        assert result.facets["gu"] == [("강동구", 2), ("송파구", 2)]
        assert result.facets["format"] == [("CSV", 3), ("JSON", 1), ("XLSX", 1)]
        assert result.facets["kind"] == [("file", 2), ("openapi", 1), ("stats", 1)]

    def test_filters_restrict_hits_and_values_of_one_filter_are_ored(self, backend):
        backend.index(self.FACET_DOCS)
        assert sorted(ids(self.search(backend, "주차장", filters={"gu": ["송파구"]}))) == ["F2", "F3"]
        both = self.search(backend, "주차장", filters={"source": ["kosis", "mois"]})
        assert sorted(ids(both)) == ["F3", "F4"]
        combined = self.search(backend, "", filters={"source": ["seoul"], "format": ["JSON"]},
                               facets=("gu",))
        assert ids(combined) == ["F1"] and combined.facets["gu"] == [("강동구", 1)]
        assert ids(self.search(backend, "", filters={"overdue": ["true"]})) == ["F4"]

    def test_sorts_order_by_newest_views_and_title(self, backend):
        backend.index([doc("A", "다 주차장", modified=T0, views=5),
                       doc("B", "가 주차장", modified=T0 + timedelta(days=2), views=1),
                       doc("C", "나 주차장", modified=T0 + timedelta(days=1), views=9)])
        assert ids(self.search(backend, "주차장", sort="modified")) == ["B", "C", "A"]
        assert ids(self.search(backend, "주차장", sort="views")) == ["C", "A", "B"]
        assert ids(self.search(backend, "주차장", sort="title")) == ["B", "C", "A"]
        assert ids(self.search(backend, "")) == ["B", "C", "A"]   # no text: newest first

    def test_pages_do_not_overlap_and_cover_the_total(self, catalog):
        pages = [self.search(catalog, "인허가", page=p, per_page=50) for p in (1, 2, 3)]
        seen = [hit for page in pages for hit in ids(page)]
        assert len(seen) == len(set(seen)) == 150
        assert pages[0].total > 150

    def test_highlights_mark_the_matched_words_and_are_html_safe(self, backend):
        backend.index([doc("A", "<b>강동구</b> 주차장 현황", description="구청이 관리하는 주차장 목록")])
        hit = self.search(backend, "주차장").hits[0]
        assert hit.highlights["title"] == "&lt;b&gt;강동구&lt;/b&gt; <mark>주차장</mark> 현황"
        assert "<mark>주차장</mark>" in hit.highlights["description"]
        assert "permission_labels" not in hit.fields

    # Ranking

    def test_title_outranks_keywords_then_organisation_then_description(self, backend):
        backend.index([
            doc("DESC", "공원 현황", description="녹색수도 사업 자료"),
            doc("ORG", "공원 현황", organisation_name="녹색수도추진단"),
            doc("KEY", "공원 현황", keywords=["녹색수도"]),
            doc("TITLE", "녹색수도 공원 현황"),
        ] + [doc(f"FILL{i}", f"기타 자료 {i}") for i in range(20)])
        assert ids(self.search(backend, "녹색수도")) == ["TITLE", "KEY", "ORG", "DESC"]

    def test_an_exact_title_match_comes_first(self, backend):
        backend.index([doc("LONG", "공원 현황 공원 현황 공원", views=10_000),
                       doc("EXACT", "공원 현황", description="길고 자세한 설명 " * 20),
                       doc("OTHER", "서울시 공원 현황 목록", views=500)])
        assert ids(self.search(backend, "공원현황"))[0] == "EXACT"

    # Korean queries over the real catalog

    def all_titles(self, backend, text, labels=PUBLIC):
        first = self.search(backend, text, labels=labels, per_page=100)
        pages = (first.total + 99) // 100
        return titles(first) + [t for page in range(2, pages + 1) for t in
                                titles(self.search(backend, text, labels, page=page, per_page=100))]

    def test_a_stem_finds_its_compounds(self, catalog):
        found = self.all_titles(catalog, "인구")
        assert len(found) > 150
        assert any("주민등록인구" in title for title in found)
        assert any("생활인구" in title for title in found)

    def test_gu_and_topic_put_the_gangdong_parking_titles_first(self, catalog):
        result = self.search(catalog, "강동구 주차장")
        assert set(ids(result)[:2]) == {"X-GD-PARK-1", "X-GD-PARK-2"}
        assert all("주차" in title for title in titles(result))

    def test_wifi_in_korean_finds_latin_wifi_titles(self, catalog):
        found = ids(self.search(catalog, "와이파이", per_page=100))
        assert {"X-WIFI-1", "X-WIFI-2"} <= set(found)
        assert any("공공와이파이" in t for t in titles(self.search(catalog, "wifi", per_page=100)))

    def test_chosung_finds_parking_first(self, catalog):
        found = self.all_titles(catalog, "ㅈㅊㅈ")
        parking = [t for t in found if "주차장" in t]
        assert len(parking) >= 20 and found[:len(parking)] == parking
        assert any("저체중" in t for t in found)    # ㅈㅊㅈ also spells 저체중: found, ranked after

    def test_an_english_gu_name_finds_the_korean_titles(self, catalog):
        for query in ("Gangnam", "gangnam-gu"):
            found = titles(self.search(catalog, query, per_page=100))
            assert len(found) > 20 and all("강남구" in title for title in found)

    def test_a_one_syllable_query_finds_words_ending_with_it(self, catalog):
        assert "X-FOREST" in ids(self.search(catalog, "숲"))

    def test_a_mistyped_latin_word_still_finds(self, catalog):
        assert {"X-WIFI-1", "X-WIFI-2"} <= set(ids(self.search(catalog, "wifl", per_page=100)))
        assert "X-POP-EN" in ids(self.search(catalog, "populaton"))

    def test_did_you_mean_corrects_a_mistyped_korean_word(self, catalog):
        result = self.search(catalog, "주차잔")
        assert result.total == 0 and result.suggestion == "주차장"

    # Suggestions

    def test_suggest_completes_a_prefix_with_gu_organisations_and_titles(self, catalog):
        suggestions = catalog.suggest("강동", PUBLIC)
        kinds = {(s.kind, s.text) for s in suggestions}
        assert ("gu", "강동구") in kinds
        assert any(kind == "title" and "강동" in text for kind, text in kinds)

    def test_suggest_completes_chosung(self, catalog):
        assert ("gu", "강동구") in {(s.kind, s.text) for s in catalog.suggest("ㄱㄷㄱ", PUBLIC)}
        titles_found = [s.text for s in catalog.suggest("ㅈㅊㅈ", PUBLIC) if s.kind == "title"]
        assert titles_found and all("주차장" in title for title in titles_found)

    # Visibility: an internal document never shows to a viewer without its label

    def test_an_internal_document_is_invisible_without_its_label(self, catalog):
        everything = self.search(catalog, "", per_page=1, facets=tuple(schema.FACETS_BY_NAME))
        assert everything.total == len(catalog_documents()) + len(EXTRA) - 1
        for facet_values in everything.facets.values():
            assert not {"gangdong-secret", "내부감사", "HWP"} & {v for v, _ in facet_values}
        for text in ("기밀보고", "secretword", "강동구 주차장 예산", "ㄱㅁㅂㄱ"):
            result = self.search(catalog, text, facets=("gu", "theme"))
            assert "X-SECRET" not in ids(result)
        parking = self.search(catalog, "강동구 주차장", facets=("theme",))
        assert parking.total == 2 and "내부감사" not in dict(parking.facets["theme"])
        assert self.search(catalog, "secretwerd").suggestion is None
        for prefix in ("기밀", "secret", "강동구 감사", "ㄱㅁ"):
            assert not [s for s in catalog.suggest(prefix, PUBLIC)
                        if "기밀" in s.text or "감사담당관" in s.text or "secret" in s.text]

    def test_an_internal_document_is_visible_with_its_label(self, catalog):
        result = self.search(catalog, "기밀보고", labels=GANGDONG_STAFF, facets=("theme",))
        assert ids(result) == ["X-SECRET"] and result.facets["theme"] == [("내부감사", 1)]
        assert "X-SECRET" in ids(self.search(catalog, "강동구 주차장", labels=GANGDONG_STAFF))
        assert self.search(catalog, "secretwerd", labels=GANGDONG_STAFF).suggestion \
            in (None, "secretword")
        assert any(s.text == "기밀키워드" for s in catalog.suggest("기밀", GANGDONG_STAFF))
        only_label = self.search(catalog, "기밀보고", labels=frozenset({"org:gangdong-gu"}))
        assert ids(only_label) == ["X-SECRET"]

