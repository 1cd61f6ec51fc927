"""The Whoosh schema: pre-tokenized fields filled by :mod:`indexer.analysis`.

Fields receive token lists, not text: our analysis runs once per document in plain Python and
Whoosh only counts them, which avoids its per-token ``Token`` objects (a third of the naive build
time). Field classes live at module level because Whoosh pickles the schema into the index.
Only the 2.7.4 API is used (``whoosh3`` is pinned, ``Whoosh==2.7.4`` stays a drop-in fallback).
"""
from __future__ import annotations

from collections import Counter
from datetime import timezone

from whoosh import columns, fields, formats
from whoosh.system import pack_uint

from indexer import analysis, schema
from indexer.documents import SearchDocument

TEXT = [text.name for text in schema.TEXT_FIELDS]
FACET_FIELDS = {facet.name: f"f_{facet.name}" for facet in schema.FACETS}
LABELS = "labels"
EXACT = "title_exact"
CHOSUNG = "chosung"
SPELL = "spell"          # whole words of titles and keywords: the "did you mean" vocabulary
STORED = "doc"
TITLE_SORT = "title_sort"
# Hidden value fields: what suggest() offers besides titles, counted like facets.
KEYWORD_VALUES = "s_keyword"
ORG_VALUES = "s_org"     # "organisation name\x1forganisation slug"
ORG_SEPARATOR = "\x1f"


# Shared encoded frequencies: the bulk pool keeps one value per posting, and a fresh bytes object
# for each would cost ~40 bytes a posting (0.6 GB at 100k documents).
_FREQ_BYTES = [pack_uint(n) for n in range(64)]


class TokenField(fields.FieldType):
    """Scored field indexed from a list of tokens (term frequencies kept, no positions)."""

    def __init__(self):
        self.format = formats.Frequency()
        self.analyzer = None
        self.scorable = True
        self.stored = False
        self.unique = False
        self.vector = None
        self.column_type = None

    def index(self, value, **kwargs):
        return [(token.encode("utf-8"), freq, float(freq),
                 _FREQ_BYTES[freq] if freq < 64 else pack_uint(freq))
                for token, freq in Counter(value).items()]

    def process_text(self, qstring, mode="", **kwargs):
        return iter(qstring.split())


class ValueField(fields.FieldType):
    """Unscored exact values (facets, labels, ids), indexed from a list of strings."""

    def __init__(self, unique: bool = False, column: bool = False):
        self.format = formats.Existence()
        self.analyzer = None
        self.scorable = False
        self.stored = False
        self.unique = unique
        self.vector = None
        # A single-valued field may also keep its value per document in a column (ids for the
        # drift check) without reading stored documents.
        self.column_type = columns.VarBytesColumn() if column else None

    def index(self, value, **kwargs):
        if isinstance(value, str):
            value = [value]
        return [(v.encode("utf-8"), 1, 1.0, b"") for v in sorted(set(value)) if v]

    def to_column_value(self, value):
        return (value[0] if isinstance(value, list) else value).encode("utf-8")

    def process_text(self, qstring, mode="", **kwargs):
        return iter([qstring])


class SortTextField(fields.FieldType):
    """Per-document text kept only in a column: the title's sort key."""

    def __init__(self):
        self.format = None
        self.analyzer = None
        self.scorable = False
        self.stored = False
        self.unique = False
        self.vector = None
        self.column_type = columns.VarBytesColumn()

    @property
    def indexed(self):
        return False

    def to_column_value(self, value):
        return value.encode("utf-8")


class NumberField(fields.FieldType):
    """A per-document number kept only in a column (for sorting, not searched)."""

    def __init__(self):
        self.format = None
        self.analyzer = None
        self.scorable = False
        self.stored = False
        self.unique = False
        self.vector = None
        self.column_type = columns.NumericColumn("q", default=0)

    @property
    def indexed(self):
        return False

    def to_column_value(self, value):
        return int(value)


def make_schema() -> fields.Schema:
    spec = {"id": ValueField(unique=True, column=True), EXACT: ValueField(), LABELS: ValueField(),
            CHOSUNG: TokenField(), SPELL: TokenField(), TITLE_SORT: SortTextField(),
            KEYWORD_VALUES: ValueField(), ORG_VALUES: ValueField(),
            "modified": NumberField(), "views": NumberField(),
            STORED: fields.STORED()}
    spec.update({name: TokenField() for name in TEXT})
    spec.update({field: ValueField() for field in FACET_FIELDS.values()})
    spec["f_overdue"] = ValueField()
    return fields.Schema(**spec)


def _text(doc: SearchDocument, name: str) -> str:
    parts = []
    for source in schema.TEXT_FIELDS_BY_NAME[name].sources:
        value = getattr(doc, source)
        parts.extend(value if isinstance(value, list) else [value])
    return "\n".join(part for part in parts if part)


def whoosh_fields(doc: SearchDocument) -> dict:
    """Keyword arguments for ``writer.add_document``."""
    out = {"id": doc.id, EXACT: analysis.compact(doc.title),
           LABELS: list(doc.permission_labels),
           "modified": int(doc.modified.astimezone(timezone.utc).timestamp()),
           "views": doc.views, STORED: doc.public_fields(), "f_overdue": str(doc.overdue).lower(),
           TITLE_SORT: analysis.normalize(doc.title).strip(),
           KEYWORD_VALUES: [k.strip() for k in doc.keywords if k.strip()],
           ORG_VALUES: [doc.organisation_name + ORG_SEPARATOR + doc.organisation]
           if doc.organisation_name and doc.organisation else []}
    for text in schema.TEXT_FIELDS:
        value = _text(doc, text.name)
        if value:
            out[text.name] = analysis.index_tokens(value, text.cross_space, text.final_unigrams)
    short = " ".join([doc.title, doc.organisation_name, " ".join(doc.gu), " ".join(doc.keywords)])
    out[CHOSUNG] = analysis.chosung_tokens(short)
    out[SPELL] = analysis.word_tokens(doc.title + " " + " ".join(doc.keywords))
    for facet in schema.FACETS:
        value = getattr(doc, facet.field)
        out[FACET_FIELDS[facet.name]] = value if isinstance(value, list) else [value]
    return out
