"""Elasticsearch index settings, mapping and documents, generated from :mod:`indexer.schema`
and :mod:`indexer.analysis` (no field or analyzer is named anywhere else).

Analysis (shared/reference/search_eval.md §4.1): the built-in ``cjk_width`` + ``lowercase`` +
``cjk_bigram`` chain gives the same overlapping Hangul bigrams as ``indexer.analysis``, so a
stem finds its compounds (인구 → 주민등록인구) without a plugin. Three char filters make the
standard tokenizer cut text where our analysis does:

* ``latin_join`` removes ``-`` and ``.`` inside Latin/digit words (Wi-Fi → WiFi, PM2.5 → PM25),
  as the analysis indexes the joined form;
* ``punctuation_split`` turns every other non-letter, non-digit into a space: UAX#29 keeps
  ``보육통계_어린이집`` and ``구인·채용인원`` whole (``_`` and ``·`` join words there), while the
  analysis separates words at any punctuation;
* ``hangul_split`` puts a space between Hangul and Latin/digits: UAX#29 treats Hangul syllables
  as letters, so the standard tokenizer keeps ``명일2동`` or ``CCTV설치`` as one <ALPHANUM> token,
  which ``cjk_bigram`` leaves whole (595 of the 8,212 catalog titles have such a token);
* ``hangul_join`` (the ``.nospace`` sub-fields only, before the others so that only real
  spaces count) removes spaces between Hangul, the ES form of the marked cross-space bigrams:
  인구통계 finds 인구 통계. Their search analyzer has no synonyms: a two-syllable synonym
  (일자리 → 구인) would otherwise match across a space (성동구 인터넷), which the analysis
  allows only for words of three or more syllables typed.

Checked on Lucene 8.7's own analysis classes (the standard tokenizer, ``cjk_bigram``,
``synonym_graph`` parsed through the preceding chain): docs/search.md, "Elasticsearch backend".

What ES analysis cannot express is computed in Python with the same functions the Whoosh
backend uses and sent as hidden fields: the exact-title key, chosung prefixes with the word
they abbreviate, and the completion keys of gu, organisations and keywords.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from indexer import analysis, schema
from indexer.documents import SearchDocument
from indexer.synonyms import DEFAULT_PATH, Synonyms, _terms

SHARDS = 1            # one shard: exact facet counts and scores at catalog scale (~8k-100k)
EDGE_MAX = 20         # longest autocomplete prefix (characters)
NORI_FIELDS = ("title", "description")   # search_eval §4.2: nori as an extra sub-field
PERMISSION_LABELS = "permission_labels"

# Hidden fields: derived in Python, searched or aggregated, never returned in hits.
TITLE_KEY = "title_key"            # analysis.compact(title): the exact-title bonus
CHOSUNG_STEMS = "chosung_stems"    # "ㅈㅊㅈ:주차장": a chosung key and the syllables it stands for
CHOSUNG_STARTS = "chosung_starts"  # the same, only keys at the start of a word
STEM_SEPARATOR = ":"
SPELL = "spell"                    # whole words of titles and keywords: "did you mean"
# suggest(): kind → field of "key\x1fvalue" entries, one per completion key of each value
# (organisations: "key\x1fname\x1fslug"). Counting the entries whose key starts with what was
# typed counts the visible documents behind each value, like a facet.
COMPLETIONS = {"gu": "complete_gu", "organisation": "complete_organisation",
               "keyword": "complete_keyword"}
SEPARATOR = "\x1f"
HIDDEN_FIELDS = (TITLE_KEY, CHOSUNG_STEMS, CHOSUNG_STARTS) + tuple(COMPLETIONS.values())
PUBLIC_FIELDS = tuple(name for name in SearchDocument.__dataclass_fields__
                      if name != PERMISSION_LABELS)

# Whoosh scores a unit as boost × BM25 with one idf for all fields; ES's BM25 takes idf per
# field over the documents that have the field, so a keyword match (few documents have
# keywords) scored below an organisation match. Without idf the declared boosts order the
# tiers again, with BM25's term-frequency saturation and length norm kept.
TIERED_BM25 = (
    "double tf = doc.freq;"
    " double avgdl = field.docCount > 0 ? (double) field.sumTotalTermFreq / field.docCount : 1.0;"
    " double norm = 0.25 + 0.75 * doc.length / avgdl;"
    " return query.boost * tf * 2.2 / (tf + 1.2 * norm);")
SIMILARITY = "tiered_bm25"
PLAIN_SEARCH = "ko_bigram"         # the search analyzer without synonyms (the word typed)

_NOT_WORD = r"\uAC00-\uD7A3\u4E00-\u9FFF\u3131-\u318E"   # Hangul, CJK ideographs, jamo
_WORD = rf"[\p{{L}}\p{{N}}&&[^{_NOT_WORD}]]"             # a Latin/digit character (Java regex)
_HANGUL = r"[\uAC00-\uD7A3\u4E00-\u9FFF]"
CHAR_FILTERS = {
    "latin_join": {"type": "pattern_replace", "pattern": rf"(?<={_WORD})[-.](?={_WORD})",
                   "replacement": ""},
    "punctuation_split": {"type": "pattern_replace", "pattern": r"[^\p{L}\p{N}\s]+",
                          "replacement": " "},
    "hangul_split": {"type": "pattern_replace",
                     "pattern": rf"(?<={_HANGUL})(?={_WORD})|(?<={_WORD})(?={_HANGUL})",
                     "replacement": " "},
    "hangul_join": {"type": "pattern_replace", "pattern": rf"(?<={_HANGUL})\s+(?={_HANGUL})",
                    "replacement": ""},
}
_WORDS = ["latin_join", "punctuation_split", "hangul_split"]
_NOSPACE = ["latin_join", "hangul_join", "punctuation_split", "hangul_split"]


def _analyzer(char_filter, tokenizer, filters) -> dict:
    return {"type": "custom", "char_filter": char_filter, "tokenizer": tokenizer,
            "filter": filters}


def synonym_rules(path: str | Path | None = None) -> list[str]:
    """The synonym file as Solr rules for a ``synonym_graph`` filter: ``a = b`` groups become
    ``a, b``; ``a => b`` keeps the source (``a => a, b``), as :class:`Synonyms` reads it."""
    path = Path(path) if path else DEFAULT_PATH
    Synonyms.load(path)      # the same validation and error messages (file:line) as Whoosh
    rules = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=>" in line:
            left, right = line.split("=>", 1)
            sources = _terms(left)
            rules.append(", ".join(sources) + " => " + ", ".join(sources + _terms(right)))
        else:
            rules.append(", ".join(_terms(line)))
    return rules


def analysis_settings(synonyms: list[str], nori: bool = False) -> dict:
    bigram = ["cjk_width", "lowercase", "cjk_bigram"]
    settings: dict[str, Any] = {
        "char_filter": dict(CHAR_FILTERS),
        "tokenizer": {"edge_prefix": {"type": "edge_ngram", "min_gram": 1, "max_gram": EDGE_MAX,
                                      "token_chars": ["letter", "digit"]}},
        "filter": {
            # lenient: a rule the analyzer cannot parse is skipped instead of failing the index
            "ko_synonyms": {"type": "synonym_graph", "synonyms": synonyms, "lenient": True},
            "ko_unigrams": {"type": "cjk_bigram", "output_unigrams": True},
        },
        "analyzer": {
            "ko_bigram": _analyzer(_WORDS, "standard", bigram),
            "ko_bigram_nospace": _analyzer(_NOSPACE, "standard", bigram),
            # Synonyms at search time only: the index does not change when the list does.
            "ko_search": _analyzer(_WORDS, "standard", bigram + ["ko_synonyms"]),
            "ko_unigram": _analyzer(_WORDS, "standard", ["cjk_width", "lowercase", "ko_unigrams"]),
            "ko_edge": _analyzer(_WORDS, "edge_prefix", ["cjk_width", "lowercase"]),
            "ko_words": _analyzer(_WORDS, "standard", ["cjk_width", "lowercase"]),
        },
        "normalizer": {"ko_sort": {"type": "custom", "filter": ["cjk_width", "lowercase"]}},
    }
    if nori:
        settings["tokenizer"]["ko_nori"] = {"type": "nori_tokenizer", "decompound_mode": "mixed",
                                            "discard_punctuation": True}
        settings["analyzer"]["ko_nori"] = {
            "type": "custom", "tokenizer": "ko_nori",
            "filter": ["nori_part_of_speech", "nori_readingform", "cjk_width", "lowercase"]}
    return settings


def index_settings(synonyms: list[str], nori: bool = False, replicas: int = 1,
                   loading: bool = False) -> dict:
    """``loading``: a rebuild's bulk load (no refresh, no replicas until it is done)."""
    settings = {"number_of_shards": SHARDS, "number_of_replicas": 0 if loading else replicas,
                "similarity": {SIMILARITY: {"type": "scripted", "script": {"source": TIERED_BM25}}},
                "analysis": analysis_settings(synonyms, nori)}
    if loading:
        settings["refresh_interval"] = "-1"
    return settings


def facet_field(facet: schema.Facet) -> str:
    """The keyword field a facet counts and filters on (``gu.raw``: gu is also searched)."""
    return f"{facet.field}.raw" if facet.field in schema.TEXT_FIELDS_BY_NAME else facet.field


def sort_field(sort: schema.Sort) -> str:
    return f"{sort.field}.sort" if sort.field in schema.TEXT_FIELDS_BY_NAME else sort.field


def _text(analyzer: str = "ko_bigram", search_analyzer: str = "ko_search") -> dict:
    return {"type": "text", "analyzer": analyzer, "search_analyzer": search_analyzer,
            "similarity": SIMILARITY}


def text_mapping(text: schema.TextField, nori: bool = False) -> dict:
    fields: dict[str, Any] = {}
    if text.cross_space:
        fields["nospace"] = _text("ko_bigram_nospace", PLAIN_SEARCH)
    if text.name in schema.SHORT_FIELDS:
        fields["uni"] = _text("ko_unigram", "ko_unigram")
        fields["autocomplete"] = _text("ko_edge", "ko_words")
    if any(facet.field == text.name for facet in schema.FACETS):
        fields["raw"] = {"type": "keyword"}
    if any(sort.field == text.name for sort in schema.SORTS):
        fields["sort"] = {"type": "keyword", "normalizer": "ko_sort"}
    if nori and text.name in NORI_FIELDS:
        fields["nori"] = _text("ko_nori", "ko_nori")
    mapping = _text()
    if text.name in ("title", "title_en", "keywords"):
        mapping["copy_to"] = [SPELL]
    if fields:
        mapping["fields"] = fields
    return mapping


def mappings(nori: bool = False) -> dict:
    keyword = {"type": "keyword"}
    properties: dict[str, Any] = {
        "id": keyword, "slug": keyword, "source_id": keyword,
        PERMISSION_LABELS: keyword,
        "overdue": {"type": "boolean"}, "modified": {"type": "date"}, "views": {"type": "long"},
        "rendered": {"type": "object", "enabled": False},
        SPELL: {"type": "text", "analyzer": "ko_words", "similarity": SIMILARITY},
    }
    for facet in schema.FACETS:
        if facet.field not in schema.TEXT_FIELDS_BY_NAME:
            properties[facet.field] = keyword
    for flt in schema.FILTERS:
        properties.setdefault(flt.field, {"type": "boolean"})
    for text in schema.TEXT_FIELDS:
        properties[text.name] = text_mapping(text, nori)
        for other in text.also:      # organisation_path is searched as organisation_name
            properties[other] = {"type": "keyword", "copy_to": [text.name]}
    for name in HIDDEN_FIELDS:
        properties[name] = keyword
    missing = set(PUBLIC_FIELDS) - set(properties)
    if missing:      # a new SearchDocument field must be mapped here (dynamic is strict)
        raise ValueError(f"search document fields without an Elasticsearch mapping: {missing}")
    return {"dynamic": "strict", "properties": properties}


def completion_keys(value: str) -> list[str]:
    """What a gu, organisation or keyword can be completed from: the whole value without
    spaces and each word, as text and as initials (강동구 감사담당관 → 강동구감사담당관, 강동구,
    감사담당관, ㄱㄷㄱㄱㅅㄷㄷㄱ, ㄱㄷㄱ, ㄱㅅㄷㄷㄱ) — the keys the Whoosh backend matches."""
    value = analysis.normalize(value)
    words = [value.replace(" ", "")] + value.split()
    return list(dict.fromkeys(words + [analysis.chosung(word) for word in words]))


def _is_hangul_run(word: str) -> bool:
    return "\uac00" <= word[0] <= "\ud7a3" or "\u4e00" <= word[0] <= "\u9fff"


def chosung_stems(text: str, inner: bool = True) -> list[str]:
    """The keys :func:`indexer.analysis.chosung_tokens` indexes (prefixes of two or more
    initials, and — ``inner`` — of three or more from inside a compound), each as
    ``initials:syllables`` with the part of the word it stands for: ㅈㅊㅈ is 주차장 in both
    주차장 and 공영주차장, so the query can rank the stem many visible titles share (주차장) before
    a rare one (저체중). As in Whoosh, only a stem that starts some word is ranked that way
    (a key found only inside compounds, 지하수영향조사기관 for ㅎㅈㅅ, is not a word typed)."""
    stems = []
    for word in analysis.word_tokens(text):
        if not _is_hangul_run(word):
            continue
        initials = analysis.chosung(word)
        stems.extend(initials[:n] + STEM_SEPARATOR + word[:n]
                     for n in range(2, min(len(word), analysis.MAX_EDGE) + 1))
        for start in range(1, len(word) - 2) if inner else ():
            end = start + analysis.MAX_EDGE
            stems.extend(initials[start:end][:n] + STEM_SEPARATOR + word[start:end][:n]
                         for n in range(3, len(word[start:end]) + 1))
    return list(dict.fromkeys(stems))


def es_source(doc: SearchDocument) -> dict:
    """The document as sent to Elasticsearch: its fields plus the hidden derived ones."""
    body = doc.to_dict()
    body["modified"] = doc.modified.isoformat()
    keywords = [k.strip() for k in doc.keywords if k.strip()]
    short = " ".join([doc.title, doc.organisation_name, " ".join(doc.gu), " ".join(keywords)])
    body[TITLE_KEY] = analysis.compact(doc.title)
    body[CHOSUNG_STEMS] = chosung_stems(short)
    body[CHOSUNG_STARTS] = chosung_stems(short, inner=False)
    values = {"gu": [(gu, gu) for gu in doc.gu], "keyword": [(k, k) for k in keywords],
              "organisation": [(doc.organisation_name,
                                doc.organisation_name + SEPARATOR + doc.organisation)]
              if doc.organisation_name and doc.organisation else []}
    for kind, field in COMPLETIONS.items():
        body[field] = list(dict.fromkeys(key + SEPARATOR + value for text, value in values[kind]
                                         for key in completion_keys(text)))
    return body
