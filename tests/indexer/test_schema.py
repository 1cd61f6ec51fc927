"""The declarations that drive search, and the library's boundary."""
from __future__ import annotations

import ast
from dataclasses import fields
from pathlib import Path

from indexer import schema
from indexer.documents import SearchDocument

DOCUMENT_FIELDS = {f.name for f in fields(SearchDocument)}
INDEXER = Path(__file__).resolve().parents[2] / "indexer"


def test_every_declared_facet_filter_sort_and_text_field_is_a_document_field():
    assert {facet.field for facet in schema.FACETS} <= DOCUMENT_FIELDS
    assert {flt.field for flt in schema.FILTERS} <= DOCUMENT_FIELDS
    assert {s.field for s in schema.SORTS if s.field} <= DOCUMENT_FIELDS
    assert {source for text in schema.TEXT_FIELDS for source in text.sources} <= DOCUMENT_FIELDS


def test_the_declared_facets_and_sorts_are_the_portals():
    assert [(f.name, f.label_ko) for f in schema.FACETS] == [
        ("source", "출처"), ("organisation", "제공기관"), ("gu", "자치구"), ("theme", "분류"),
        ("kind", "유형"), ("format", "확장자"), ("licence", "공공누리"),
        ("update_cycle", "업데이트 주기")]
    assert [(s.name, s.field, s.reverse) for s in schema.SORTS] == [
        ("relevance", None, False), ("modified", "modified", True), ("views", "views", True),
        ("title", "title", False)]


def test_every_declaration_has_a_korean_and_an_english_label():
    for item in schema.FACETS + schema.FILTERS + schema.SORTS + schema.TEXT_FIELDS:
        assert item.label_ko and item.label_en, item


def test_field_boosts_order_title_keywords_organisation_description():
    boost = {text.name: text.boost for text in schema.TEXT_FIELDS}
    assert boost["title"] > boost["keywords"] > boost["organisation_name"] > boost["description"]
    assert boost["organisation_name"] == boost["gu"]


def test_the_indexer_never_imports_the_portal():
    for path in INDEXER.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not [n for n in names if n.split(".")[0] == "portal"], path
