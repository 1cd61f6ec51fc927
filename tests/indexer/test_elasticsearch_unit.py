"""The Elasticsearch backend without a server: the official client talks to a recording fake
node (the client's ``node_class=`` hook), which answers with hand-written responses in the
ES 8 format. Checks the generated settings and mapping, the request bodies, and how responses
become results. The same contract suite as Whoosh runs against a real cluster in
test_elasticsearch_backend.py when PORTAL_TEST_ES_URL is set.
"""
from __future__ import annotations

import json
import re
from collections import namedtuple
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

pytest.importorskip("elasticsearch", reason="the elasticsearch client is not installed")

from elastic_transport import ApiResponseMeta, BaseNode, ConnectionError, HttpHeaders  # noqa: E402

from indexer import analysis, schema  # noqa: E402
from indexer.backends import elasticsearch_mapping as em  # noqa: E402
from indexer.backends import elasticsearch_query as eq  # noqa: E402
from indexer.backends import make_backend  # noqa: E402
from indexer.backends.elasticsearch import ElasticsearchBackend, SearchIndexError  # noqa: E402
from indexer.base import SearchQuery  # noqa: E402
from tests.indexer.contract import GANGDONG_STAFF, PUBLIC, T0, doc  # noqa: E402

ALIAS = "portal-datasets"
LIVE = "portal-datasets-20261122t054133-3f2a"
NodeResponse = namedtuple("NodeResponse", "meta body")   # what BaseNode.perform_request returns


@dataclass
class Request:
    method: str
    path: str
    params: str
    body: object           # parsed JSON, a list for ndjson (_bulk), None without a body


class FakeCluster:
    """Records every request; ``routes`` answer them (first match wins), with defaults for
    the calls every test makes (index exists, bulk ok, refresh, empty search)."""

    def __init__(self):
        self.requests: list[Request] = []
        self.routes: list = []
        self.fail_with = None      # an exception class: every request raises a new one
        cluster = self

        class Node(BaseNode):
            def perform_request(self, method, target, body=None, headers=None,
                                request_timeout=None):
                return cluster.answer(self.config, method, target, body)

        self.node_class = Node

    def on(self, method: str, pattern: str, answer) -> None:
        """``answer``: a dict (the JSON body), (status, dict), or a function of the Request."""
        self.routes.append((method, re.compile(pattern + r"$"), answer))

    def answer(self, config, method, target, raw):
        if self.fail_with is not None:
            raise self.fail_with("connection refused")
        path, _, params = target.partition("?")
        body = None
        if raw:
            text = raw.decode("utf-8")
            body = ([json.loads(line) for line in text.splitlines() if line]
                    if path.endswith("/_bulk") else json.loads(text))
        request = Request(method, path, params, body)
        self.requests.append(request)
        status, data = 200, {}
        for route_method, pattern, answer in self.routes + DEFAULT_ROUTES:
            if route_method == method and pattern.match(path):
                data = answer(request) if callable(answer) else answer
                if isinstance(data, tuple):
                    status, data = data
                break
        headers = HttpHeaders({"content-type": "application/json",
                               "x-elastic-product": "Elasticsearch"})
        meta = ApiResponseMeta(status=status, http_version="1.1", headers=headers, duration=0.0,
                               node=config)
        return NodeResponse(meta, b"" if method == "HEAD" else json.dumps(data).encode())

    def find(self, method: str, path_pattern: str) -> list[Request]:
        return [r for r in self.requests
                if r.method == method and re.fullmatch(path_pattern, r.path)]

    def searches(self) -> list[dict]:
        return [r.body for r in self.find("POST", r"/[^/]+/_(search|count)")]

    def main_search(self) -> dict:
        """The last search() body (not a preparing, spelling or counting one)."""
        return [body for body in self.searches() if body.get("track_total_hits")][-1]


def bulk_ok(request: Request) -> dict:
    """A _bulk answer: every action succeeded (deletes of unknown ids: 404 not_found)."""
    items = []
    for line in request.body:
        op = next(iter(line)) if len(line) == 1 and next(iter(line)) in (
            "index", "delete", "create", "update") else None
        if op is None:
            continue
        _id = line[op]["_id"]
        if op == "delete":
            found = not _id.startswith("unknown")
            items.append({op: {"_index": LIVE, "_id": _id, "_version": 2,
                               "result": "deleted" if found else "not_found",
                               "status": 200 if found else 404}})
        else:
            items.append({op: {"_index": LIVE, "_id": _id, "_version": 1, "result": "created",
                               "status": 201, "_shards": {"total": 1, "successful": 1,
                                                          "failed": 0}}})
    return {"took": 7, "errors": False, "items": items}


EMPTY_SEARCH = {"took": 1, "timed_out": False,
                "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                "hits": {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []}}
DEFAULT_ROUTES = [
    ("HEAD", re.compile(r"/[^/_][^/]*$"), {}),
    ("PUT", re.compile(r"(/[^/]+)?/_bulk$"), bulk_ok),
    ("POST", re.compile(r"/[^/]+/_refresh$"),
     {"_shards": {"total": 1, "successful": 1, "failed": 0}}),
    ("POST", re.compile(r"/[^/]+/_search$"), EMPTY_SEARCH),
    ("POST", re.compile(r"/[^/]+/_count$"), {"count": 0, "_shards": {"total": 1}}),
    ("GET", re.compile(r"/_alias/.+$"), {LIVE: {"aliases": {ALIAS: {}}}}),
    ("PUT", re.compile(r"/[^/_][^/]*$"), {"acknowledged": True, "shards_acknowledged": True}),
    ("POST", re.compile(r"/_aliases$"), {"acknowledged": True, "errors": False}),
    ("DELETE", re.compile(r"/[^/_][^/]*$"), {"acknowledged": True}),
    ("PUT", re.compile(r"/[^/]+/_settings$"), {"acknowledged": True}),
]


@pytest.fixture
def cluster():
    return FakeCluster()


@pytest.fixture
def backend(cluster):
    backend = make_backend("elasticsearch", url="http://es.test:9200", index=ALIAS, nori=False,
                           node_class=cluster.node_class)
    yield backend
    backend.close()


def search(backend, text="", labels=PUBLIC, **options):
    return backend.search(SearchQuery(text, labels=labels, **options))


def find_all(tree, key):
    """Every value under ``key`` anywhere in a JSON tree."""
    if isinstance(tree, dict):
        for k, v in tree.items():
            if k == key:
                yield v
            yield from find_all(v, key)
    elif isinstance(tree, list):
        for item in tree:
            yield from find_all(item, key)


def top_filters(body: dict) -> list:
    query = body["query"]
    if "function_score" in query:
        query = query["function_score"]["query"]
    return query["bool"]["filter"]


def labels_filter_of(body: dict):
    return next((f["terms"]["permission_labels"] for f in top_filters(body)
                 if "permission_labels" in f.get("terms", {})), None)


# Settings and mapping: generated from indexer.schema and indexer.analysis

def test_text_fields_use_the_builtin_cjk_bigram_chain_and_synonyms_at_search_time(backend):
    body = backend.index_body()
    analyzers = body["settings"]["analysis"]["analyzer"]
    assert analyzers["ko_bigram"]["tokenizer"] == "standard"
    assert analyzers["ko_bigram"]["filter"] == ["cjk_width", "lowercase", "cjk_bigram"]
    assert analyzers["ko_search"]["filter"] == ["cjk_width", "lowercase", "cjk_bigram",
                                                "ko_synonyms"]
    assert "hangul_join" in analyzers["ko_bigram_nospace"]["char_filter"]
    synonyms = body["settings"]["analysis"]["filter"]["ko_synonyms"]
    assert synonyms["type"] == "synonym_graph"
    assert "와이파이, WiFi, Wi-Fi, 무선인터넷, 공공와이파이, 무료와이파이" in synonyms["synonyms"]
    assert "인허가 => 인허가, 영업신고, 등록업소" in synonyms["synonyms"]   # one way keeps the source
    properties = body["mappings"]["properties"]
    for text in schema.TEXT_FIELDS:
        assert properties[text.name]["analyzer"] == "ko_bigram"
        assert properties[text.name]["search_analyzer"] == "ko_search"
        assert properties[text.name]["similarity"] == em.SIMILARITY
    assert body["settings"]["similarity"][em.SIMILARITY]["type"] == "scripted"
    assert body["settings"]["number_of_shards"] == 1


def test_the_char_filters_cut_text_where_indexer_analysis_does():
    def java_to_python(pattern):      # enough of Java's syntax for these four patterns
        word = "[^\\W_\uac00-\ud7a3\u4e00-\u9fff\u3131-\u318e]"
        return (pattern.replace(em._WORD, word).replace("[^\\p{L}\\p{N}\\s]+", "(?:[^\\w\\s]|_)+")
                .replace("\\uAC00", "\uac00").replace("\\uD7A3", "\ud7a3")
                .replace("\\u4E00", "\u4e00").replace("\\u9FFF", "\u9fff"))

    def run(names, text):
        for name in names:
            spec = em.CHAR_FILTERS[name]
            text = re.sub(java_to_python(spec["pattern"]), spec["replacement"], text)
        return text

    assert run(["latin_join"], "지하철역 Wi-Fi PM2.5 S-DoT") == "지하철역 WiFi PM25 SDoT"
    assert run(["hangul_split"], "명일2동 CCTV설치 2024년") == "명일 2 동 CCTV 설치 2024 년"
    assert run(["punctuation_split"], "보육통계_어린이집 구인·채용(직종별)") == \
        "보육통계 어린이집 구인 채용 직종별 "
    assert run(["hangul_join"], "인구 통계 CCTV 설치") == "인구통계 CCTV 설치"
    assert run(em._NOSPACE, "서울시 (본청) 인구 통계").split() == ["서울시", "본청", "인구통계"]
    # the same cuts as the Python analysis: Hangul runs apart from Latin/digit words
    assert analysis.query_units("CCTV설치") == [("word", "cctv"), ("hangul", "설치")]


def test_every_declared_field_is_mapped_with_the_subfields_its_declaration_needs(backend):
    properties = backend.index_body()["mappings"]["properties"]
    assert backend.index_body()["mappings"]["dynamic"] == "strict"
    for text in schema.TEXT_FIELDS:
        subfields = properties[text.name].get("fields", {})
        assert ("nospace" in subfields) == text.cross_space
        if text.cross_space:      # no synonym may match across a space (일자리 → 구인 in 성동구 인터넷)
            assert subfields["nospace"]["search_analyzer"] == "ko_bigram"
        assert ("uni" in subfields) == (text.name in schema.SHORT_FIELDS)
        if text.name in schema.SHORT_FIELDS:
            assert subfields["autocomplete"]["analyzer"] == "ko_edge"
    edge = backend.index_body()["settings"]["analysis"]["tokenizer"]["edge_prefix"]
    assert edge["type"] == "edge_ngram"
    for facet in schema.FACETS:
        field = em.facet_field(facet)
        mapping = (properties[field.split(".")[0]]["fields"][field.split(".")[1]]
                   if "." in field else properties[field])
        assert mapping["type"] == "keyword"
    assert em.facet_field(schema.facet("gu")) == "gu.raw"
    assert properties["title"]["fields"]["sort"] == {"type": "keyword", "normalizer": "ko_sort"}
    assert properties["permission_labels"] == {"type": "keyword"}
    assert properties["organisation_path"]["copy_to"] == ["organisation_name"]
    assert properties["overdue"]["type"] == "boolean"


def test_synonyms_are_read_from_a_configurable_file(tmp_path, cluster):
    synonyms = tmp_path / "synonyms.txt"
    synonyms.write_text("# ours\n따릉이 = 빨간자전거\n축제 => 행사\n", encoding="utf-8")
    backend = ElasticsearchBackend("http://es.test:9200", synonyms_path=synonyms, nori=False,
                                   node_class=cluster.node_class)
    rules = backend.index_body()["settings"]["analysis"]["filter"]["ko_synonyms"]["synonyms"]
    assert rules == ["따릉이, 빨간자전거", "축제 => 축제, 행사"]


def test_documents_carry_fields_derived_with_indexer_analysis():
    source = em.es_source(doc("A", "강동구 공영주차장 현황", gu=["강동구"], keywords=[" 주차장 "],
                              organisation="gangdong-gu", organisation_name="강동구청",
                              permission_labels=["org:gangdong-gu"]))
    assert source["permission_labels"] == ["org:gangdong-gu"]
    assert source["title_key"] == analysis.compact("강동구 공영주차장 현황")
    assert source["modified"] == "2024-01-01T00:00:00+00:00"
    assert {"ㄱㄷㄱ:강동구", "ㅈㅊㅈ:주차장", "ㄱㅇㅈㅊㅈ:공영주차장"} <= set(source["chosung_stems"])
    assert "ㄱ:강" not in source["chosung_stems"]          # one initial is not indexed
    assert "강동구\x1f강동구" in source["complete_gu"] and "ㄱㄷㄱ\x1f강동구" in source["complete_gu"]
    assert "ㄱㄷㄱㅊ\x1f강동구청\x1fgangdong-gu" in source["complete_organisation"]
    assert source["complete_keyword"] == ["주차장\x1f주차장", "ㅈㅊㅈ\x1f주차장"]
    mapped = set(em.mappings()["properties"])
    assert set(source) <= mapped


def test_chosung_stems_key_the_same_prefixes_as_indexer_analysis():
    for text in ("서울시 강북구 공영주차장 현황", "강동구 거주자우선주차장 2024년 韓國 주민등록인구통계자료"):
        stems = em.chosung_stems(text)
        assert {stem.split(":")[0] for stem in stems} == set(analysis.chosung_tokens(text))
    assert "ㅈㅊㅈ:주차장" in em.chosung_stems("공영주차장")     # inside a compound too
    assert em.chosung_stems("공영주차장", inner=False) == ["ㄱㅇ:공영", "ㄱㅇㅈ:공영주", "ㄱㅇㅈㅊ:공영주차",
                                                      "ㄱㅇㅈㅊㅈ:공영주차장"]


def test_the_plan_keeps_synonyms_only_for_phrases_the_graph_filter_cannot_see(backend):
    plan = eq.search_plan("와이파이 아파트 실거래가", backend.synonyms)
    assert [c.surface for c in plan.clauses] == ["와이파이", "아파트 실거래가"]
    assert len(plan.clauses[0].alternatives) == 1          # the index's synonym_graph expands it
    phrase = plan.clauses[1].alternatives
    assert phrase[0].text == "아파트 실거래가" and "부동산" in [alt.text for alt in phrase]
    assert phrase[1].weight == schema.SYNONYM_WEIGHT


def test_the_nori_subfield_is_added_only_when_asked_or_detected(cluster):
    def make(nori):
        return ElasticsearchBackend("http://es.test:9200", nori=nori, node_class=cluster.node_class)

    assert "nori" not in make(False).index_body()["mappings"]["properties"]["title"]["fields"]
    body = make(True).index_body()
    assert body["mappings"]["properties"]["title"]["fields"]["nori"]["analyzer"] == "ko_nori"
    assert body["settings"]["analysis"]["tokenizer"]["ko_nori"]["type"] == "nori_tokenizer"
    cluster.on("GET", r"/_cat/nodes", [{"name": "es-1"}, {"name": "es-2"}])
    cluster.on("GET", r"/_cat/plugins", [{"name": "es-1", "component": "analysis-nori"},
                                         {"name": "es-2", "component": "analysis-nori"}])
    assert make("auto").nori is True
    cluster.routes[1] = ("GET", re.compile(r"/_cat/plugins$"),
                         [{"name": "es-1", "component": "analysis-nori"}])
    assert make(None).nori is False                    # es-2 lacks it: index without nori
    with pytest.raises(ValueError, match="nori"):
        make("yes")


# Query bodies

def plausible(request: Request) -> dict:
    """Some answer to every kind of search the backend sends, so that each step runs."""
    body = request.body
    aggs = body.get("aggs") or {}
    if "suggest" in body:             # "did you mean": no clause matches, one candidate each
        return {**EMPTY_SEARCH,
                "aggregations": {name: {"doc_count": 0} for name in aggs},
                "suggest": {name: [{"text": s["text"], "offset": 0, "length": len(s["text"]),
                                    "options": [] if s["text"].isascii() else [
                                        {"text": "주차장", "score": 0.67, "freq": 40}]}]
                            for name, s in body["suggest"].items()}}
    if any(name.startswith(("known:", "stems:", "word:")) for name in aggs):
        return {**EMPTY_SEARCH, "aggregations": {
            name: ({"buckets": [{"key": "ㅈㅊㅈ:주차장", "doc_count": 40}]}
                   if name.startswith("stems:") else {"doc_count": 3 if "word:" in name else 0})
            for name in aggs}}
    return EMPTY_SEARCH


def test_every_search_suggest_and_aggregation_request_filters_by_the_viewers_labels(
        backend, cluster):
    cluster.on("POST", r"/[^/]+/_search", plausible)
    cluster.on("POST", r"/[^/]+/_count", {"count": 9})
    result = search(backend, "wifl ㅈㅊㅈ 주차잔", facets=("source", "gu"),
                    filters={"gu": ["강동구"]})
    assert result.suggestion == "wifl ㅈㅊㅈ 주차장"     # every step of "did you mean" ran
    search(backend, "", labels=GANGDONG_STAFF, facets=tuple(schema.FACETS_BY_NAME))
    backend.suggest("강동", PUBLIC)
    backend.suggest("ㅈㅊㅈ wif", GANGDONG_STAFF)
    bodies = cluster.searches()
    assert len(bodies) == 11    # search: prepare, query, spelling, candidates, count; search;
    for body in bodies:         # suggest: values, titles; suggest: values, prepare, titles
        assert labels_filter_of(body) in (["public"], ["org:gangdong-gu", "public"]), body
    assert not list(find_all(bodies, "global"))       # no aggregation escapes the query


def test_boosts_and_tie_breaker_follow_the_schema(backend, cluster):
    search(backend, "녹색수도")
    body = cluster.main_search()
    unit = body["query"]["function_score"]["query"]["bool"]["must"][0]["dis_max"]
    assert unit["tie_breaker"] == schema.TIE_BREAKER
    boosts = []
    for query in unit["queries"]:
        boosts.append(query["dis_max"]["boost"] if "dis_max" in query
                      else next(iter(query["match"].values()))["boost"])
    assert boosts == [text.boost for text in schema.TEXT_FIELDS]
    title = unit["queries"][0]["dis_max"]["queries"]     # four syllables: spacing variants too
    assert [next(iter(q["match"])) for q in title] == ["title", "title.nospace"]
    assert all(next(iter(q["match"].values()))["operator"] == "and" for q in title)
    exact = body["query"]["function_score"]["query"]["bool"]["should"][0]["constant_score"]
    assert exact == {"filter": {"term": {"title_key": "녹색수도"}},
                     "boost": schema.EXACT_TITLE_BONUS}
    popularity = body["query"]["function_score"]["functions"][0]
    assert popularity["field_value_factor"]["field"] == "views"


def test_a_word_with_synonyms_counts_fully_and_its_synonyms_at_the_declared_weight(
        backend, cluster):
    search(backend, "폐쇄회로")
    unit = cluster.main_search()["query"]["function_score"]["query"]["bool"]["must"][0]
    title = unit["dis_max"]["queries"][0]["dis_max"]
    typed, synonyms, nospace = (q["match"] for q in title["queries"])
    assert typed["title"]["analyzer"] == em.PLAIN_SEARCH and "boost" not in typed["title"]
    assert "analyzer" not in synonyms["title"]          # the field's search analyzer: synonyms
    assert synonyms["title"]["boost"] == schema.SYNONYM_WEIGHT
    assert "title.nospace" in nospace and title["boost"] == schema.TEXT_FIELDS[0].boost
    search(backend, "도서관")                              # no synonyms: one match per field
    unit = cluster.main_search()["query"]["function_score"]["query"]["bool"]["must"][0]
    assert "match" in unit["dis_max"]["queries"][-1]


def test_a_one_syllable_word_searches_the_unigrams_of_the_short_fields(backend, cluster):
    search(backend, "숲")
    unit = cluster.main_search()["query"]["function_score"]["query"]["bool"]["must"][0]
    fields = [next(iter(q["term"])) for q in unit["dis_max"]["queries"]]
    assert fields == [f"{name}.uni" for name in schema.SHORT_FIELDS]


def test_facet_filters_become_terms_filters_and_facets_terms_aggregations(backend, cluster):
    search(backend, "주차장", filters={"gu": ["강동구", "송파구"], "format": ["CSV"],
                                    "overdue": ["True"]}, facets=("source", "gu"))
    body = cluster.main_search()
    assert top_filters(body)[1:] == [{"terms": {"gu.raw": ["강동구", "송파구"]}},
                                     {"terms": {"formats": ["CSV"]}},
                                     {"terms": {"overdue": ["true"]}}]
    assert body["aggs"]["gu"]["terms"] == {"field": "gu.raw", "size": schema.FACET_SIZE,
                                           "order": [{"_count": "desc"}, {"_key": "asc"}]}
    search(backend, "", filters={"overdue": ["maybe"]})
    assert top_filters(cluster.main_search())[1] == {"match_none": {}}


def test_sorts_paging_and_the_empty_query(backend, cluster):
    search(backend, "주차장", sort="views", page=3, per_page=50)
    body = cluster.main_search()
    assert body["sort"] == [{"views": "desc"}, {"modified": "desc"}, {"id": "asc"}]
    assert (body["from"], body["size"], body["track_total_hits"]) == (100, 50, True)
    search(backend, "주차장", sort="title")
    assert cluster.main_search()["sort"][0] == {"title.sort": "asc"}
    search(backend, "")
    body = cluster.main_search()
    assert body["sort"] == [{"modified": "desc"}, {"id": "asc"}]
    assert "must" not in body["query"]["bool"]
    assert body["_source"]["excludes"] == ["permission_labels"]
    assert "permission_labels" not in body["_source"]["includes"]


def known_answer(known: dict[str, int], stems: dict[str, list] | None = None,
                 then: dict = EMPTY_SEARCH):
    """Answers the query's first request (which words some visible document has, chosung
    stems), then ``then``."""
    def answer(request):
        aggs = request.body.get("aggs") or {}
        if request.body.get("size") == 0 and any(n.startswith(("known:", "stems:")) for n in aggs):
            out = {}
            for name in aggs:
                kind, _, text = name.partition(":")
                if kind == "known":
                    out[name] = {"doc_count": known.get(text, 0)}
                elif kind in ("stems", "starts"):
                    out[name] = {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0,
                                 "buckets": [{"key": k, "doc_count": c}
                                             for k, c in (stems or {}).get(text, [])
                                             if kind == "stems" or not k.startswith("ㅈㅊㅈ:향")]}
            return {**EMPTY_SEARCH, "aggregations": out}
        return then
    return answer


def test_typo_tolerance_only_for_a_latin_word_no_visible_document_has(backend, cluster):
    cluster.on("POST", r"/[^/]+/_search", known_answer({"population": 3}))
    search(backend, "populaton population")
    prepare, body = cluster.searches()[0], cluster.main_search()
    assert set(prepare["aggs"]) == {"known:populaton", "known:population"}
    typo_unit, exact_unit = body["query"]["function_score"]["query"]["bool"]["must"]
    typo_title = typo_unit["dis_max"]["queries"][0]["match"]["title"]
    assert typo_title["fuzziness"] == 2 and typo_title["boost"] == 8 * schema.FUZZY_WEIGHT
    assert "fuzziness" not in exact_unit["dis_max"]["queries"][0]["match"]["title"]


def test_a_mistyped_word_close_to_a_synonym_also_searches_its_synonyms(backend, cluster):
    cluster.on("POST", r"/[^/]+/_search", known_answer({}))
    search(backend, "wifl")
    clause = cluster.main_search()["query"]["function_score"]["query"]["bool"]["must"][0]
    texts = [alt for alt in find_all(clause, "query") if isinstance(alt, str)]
    assert {"wifl", "wifi", "와이파이"} <= set(texts)


def test_a_chosung_query_ranks_words_many_visible_documents_share_first(backend, cluster):
    cluster.on("POST", r"/[^/]+/_search", known_answer(
        {}, {"ㅈㅊㅈ": [("ㅈㅊㅈ:향조사", 50), ("ㅈㅊㅈ:주차장", 40), ("ㅈㅊㅈ:저체중", 2)]}))
    search(backend, "ㅈㅊㅈ")
    prepare = cluster.searches()[0]
    assert prepare["aggs"]["stems:ㅈㅊㅈ"]["terms"]["include"] == "ㅈㅊㅈ:.*"
    assert prepare["aggs"]["starts:ㅈㅊㅈ"]["terms"]["field"] == "chosung_starts"
    unit = cluster.main_search()["query"]["function_score"]["query"]["bool"]["must"][0]
    scores = {next(iter(q["constant_score"]["filter"].values()))["chosung_stems"]:
              q["constant_score"]["boost"] for q in unit["dis_max"]["queries"]}
    assert scores["ㅈㅊㅈ:"] < scores["ㅈㅊㅈ:저체중"] < scores["ㅈㅊㅈ:주차장"]
    assert "ㅈㅊㅈ:향조사" not in scores      # only inside compounds: not a word anyone types
    search(backend, "ㅈ")
    assert cluster.main_search()["query"]["function_score"]["query"]["bool"]["must"][0] == \
        {"match_none": {}}


# Writes

def test_index_sends_bulk_actions_to_the_alias_then_refreshes(backend, cluster):
    cluster.on("HEAD", rf"/{ALIAS}", (404, {}))      # first write: the alias does not exist
    assert backend.index([doc("A", "공영주차장 현황"), doc("B", "도서관 목록"),
                          doc("A", "공영주차장 현황 (수정)")]) == 2
    created = cluster.find("PUT", rf"/{ALIAS}-initial")
    assert created and created[0].body["aliases"] == {ALIAS: {}}
    bulk = cluster.find("PUT", rf"/{ALIAS}/_bulk")[0]
    assert "require_alias=true" in bulk.params
    actions, sources = bulk.body[0::2], bulk.body[1::2]
    assert actions == [{"index": {"_id": "A"}}, {"index": {"_id": "B"}}]
    assert sources[0]["title"] == "공영주차장 현황 (수정)"      # the last version wins
    assert sources[0]["permission_labels"] == ["public"] and "title_key" in sources[0]
    assert cluster.requests[-1].path == f"/{ALIAS}/_refresh"


def test_index_refuses_unknown_fields_before_sending_anything(backend, cluster):
    with pytest.raises(ValueError, match="unknown search document fields"):
        backend.index([{**doc("B", "도서관").to_dict(), "colour": "red"}])
    assert cluster.requests == []


def test_delete_counts_only_documents_that_existed(backend, cluster):
    assert backend.delete(["A", "unknown-1", "A"]) == 1
    bulk = cluster.find("PUT", rf"/{ALIAS}/_bulk")[0]
    assert bulk.body == [{"delete": {"_id": "A"}}, {"delete": {"_id": "unknown-1"}}]


def test_a_refused_document_is_reported_with_the_index_id_and_reason(backend, cluster):
    cluster.on("PUT", r"/[^/]+/_bulk", {"took": 3, "errors": True, "items": [{"index": {
        "_index": LIVE, "_id": "A", "status": 400, "error": {
            "type": "document_parsing_exception",
            "reason": "[1:20] failed to parse field [views] of type [long]"}}}]})
    with pytest.raises(SearchIndexError, match=r"on portal-datasets; first: id A: .*views"):
        backend.index([doc("A", "공영주차장 현황")])


def test_rebuild_loads_a_new_index_then_swaps_the_alias_in_one_call(backend, cluster):
    old = "portal-datasets-20250101t000000-aaaaaa"
    cluster.on("GET", r"/_alias/.+", {old: {"aliases": {ALIAS: {}}}})
    assert backend.rebuild([doc("NEW1", "새 주차장 목록"), doc("NEW2", "새 주차장 현황")]) == 2
    create = next(r for r in cluster.requests if r.method == "PUT" and r.body
                  and "mappings" in r.body)
    new = create.path.strip("/")
    assert re.fullmatch(r"portal-datasets-\d{8}t\d{6}-[0-9a-f]{6}", new)
    assert create.body["settings"]["refresh_interval"] == "-1"
    assert create.body["settings"]["number_of_replicas"] == 0
    assert "aliases" not in create.body                   # not searchable until the swap
    bulk = cluster.find("PUT", rf"/{new}/_bulk")[0]
    assert [a["index"]["_id"] for a in bulk.body[0::2]] == ["NEW1", "NEW2"]
    assert "require_alias" not in bulk.params
    settings = cluster.find("PUT", rf"/{new}/_settings")[0].body
    assert settings == {"index": {"refresh_interval": None, "number_of_replicas": 1}}
    swaps = cluster.find("POST", r"/_aliases")
    assert len(swaps) == 1 and swaps[0].body == {"actions": [
        {"remove": {"index": old, "alias": ALIAS}}, {"add": {"index": new, "alias": ALIAS}}]}
    order = [(r.method, r.path) for r in cluster.requests]
    assert order.index(("POST", f"/{new}/_refresh")) < order.index(("POST", "/_aliases")) \
        < order.index(("DELETE", f"/{old}"))


def test_a_failed_rebuild_deletes_its_new_index_and_leaves_the_alias(backend, cluster):
    def broken():
        yield doc("B", "새 주차장")
        raise RuntimeError("catalog read failed")

    with pytest.raises(RuntimeError, match="catalog read failed"):
        backend.rebuild(broken())
    create = next(r for r in cluster.requests if r.method == "PUT" and r.body
                  and "mappings" in r.body)
    assert cluster.find("DELETE", create.path) and not cluster.find("POST", r"/_aliases")


def test_a_rebuild_replaces_a_concrete_index_named_like_the_alias(backend, cluster):
    cluster.on("GET", r"/_alias/.+", (404, {"error": "alias [portal-datasets] missing",
                                            "status": 404}))
    backend.rebuild([])
    actions = cluster.find("POST", r"/_aliases")[0].body["actions"]
    assert actions[0] == {"remove_index": {"index": ALIAS}} and "add" in actions[1]


# Responses → results

HIT_SOURCE = {
    "id": "OA-15067", "slug": "oa-15067", "title": "<b>강동구</b> 주차장 현황", "title_en": "",
    "description": "구청이 관리하는 주차장 목록입니다.", "keywords": ["주차장", "공영"],
    "organisation": "gangdong-gu", "organisation_name": "강동구청",
    "organisation_path": ["서울특별시", "강동구"], "gu": ["강동구"], "theme": "교통",
    "kind": "file", "source": "seoul", "source_id": "OA-15067", "formats": ["CSV"],
    "licence": "제1유형", "update_cycle": "월간", "overdue": False,
    "modified": "2024-03-05T09:30:00+00:00", "views": 120,
    "rendered": {"title": "<b>강동구</b> 주차장 현황", "organisation": "강동구청"},
    "permission_labels": ["public"]}        # never asked for; dropped if a proxy adds it
SEARCH_RESPONSE = {
    "took": 12, "timed_out": False,
    "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
    "hits": {"total": {"value": 37, "relation": "eq"}, "max_score": 1034.2174, "hits": [
        {"_index": LIVE, "_id": "OA-15067", "_score": 1034.21743,
         "_source": HIT_SOURCE, "sort": [1034.21743, 1709631000000, "OA-15067"]},
        {"_index": LIVE, "_id": "OA-2", "_score": 21.5,
         "_source": {**HIT_SOURCE, "id": "OA-2", "slug": "oa-2", "title": "Seoul WiFi zones",
                     "description": "", "keywords": []},
         "sort": [21.5, 1709631000000, "OA-2"]}]},
    "aggregations": {
        "source": {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [
            {"key": "seoul", "doc_count": 30}, {"key": "kosis", "doc_count": 4},
            {"key": "mois", "doc_count": 4}]},
        "gu": {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [
            {"key": "송파구", "doc_count": 12}, {"key": "강동구", "doc_count": 12}]}}}


def test_a_search_response_becomes_a_search_result(backend, cluster):
    cluster.on("POST", rf"/{ALIAS}/_search", SEARCH_RESPONSE)
    result = search(backend, "주차장", facets=("source", "gu"))
    assert result.total == 37 and [hit.id for hit in result.hits] == ["OA-15067", "OA-2"]
    hit = result.hits[0]
    assert hit.slug == "oa-15067" and hit.score == 1034.2174
    assert "permission_labels" not in hit.fields
    assert hit.fields["modified"] == datetime(2024, 3, 5, 9, 30, tzinfo=timezone.utc)
    assert hit.fields["rendered"]["organisation"] == "강동구청"
    assert hit.highlights["title"] == "&lt;b&gt;강동구&lt;/b&gt; <mark>주차장</mark> 현황"
    assert hit.highlights["keywords"] == "<mark>주차장</mark>, 공영"
    assert "<mark>주차장</mark>" in hit.highlights["description"]
    assert result.facets["source"] == [("seoul", 30), ("kosis", 4), ("mois", 4)]
    assert result.facets["gu"] == [("강동구", 12), ("송파구", 12)]   # count, then value
    assert result.suggestion is None


def test_highlights_follow_synonyms_and_typo_corrections(backend, cluster):
    cluster.on("POST", rf"/{ALIAS}/_search", known_answer({}, then=SEARCH_RESPONSE))
    assert search(backend, "와이파이").hits[1].highlights["title"] == "Seoul <mark>WiFi</mark> zones"
    assert search(backend, "wifl").hits[1].highlights["title"] == "Seoul <mark>WiFi</mark> zones"
    assert search(backend, "wifl", highlight=False).hits[1].highlights == {}


def test_a_missing_index_reads_as_empty(backend, cluster):
    missing = (404, {"error": {"root_cause": [], "type": "index_not_found_exception",
                               "reason": "no such index [portal-datasets]"}, "status": 404})
    cluster.on("POST", r"/[^/]+/_(search|count)", missing)
    result = search(backend, "주차장", facets=("source",))
    assert (result.total, result.hits, result.facets) == (0, [], {"source": []})
    assert backend.count() == 0


def test_did_you_mean_proposes_the_candidate_most_visible_documents_have(backend, cluster):
    def answer(request):
        body = request.body
        if "suggest" in body:
            return {**EMPTY_SEARCH, "aggregations": {"clause:0": {"doc_count": 0}},
                    "suggest": {"clause:0": [{"text": "주차잔", "offset": 0, "length": 3,
                                              "options": [
                                                  {"text": "주차란", "score": 0.67, "freq": 9},
                                                  {"text": "주차장", "score": 0.67, "freq": 412}]}]}}
        if any(name.startswith("word:") for name in body.get("aggs", {})):
            return {**EMPTY_SEARCH, "aggregations": {"word:주차란": {"doc_count": 0},
                                                     "word:주차장": {"doc_count": 388}}}
        return EMPTY_SEARCH
    cluster.on("POST", rf"/{ALIAS}/_search", answer)
    cluster.on("POST", rf"/{ALIAS}/_count", {"count": 388})
    assert search(backend, "주차잔").suggestion == "주차장"
    spelling = next(b for b in cluster.searches() if "suggest" in b)
    term = spelling["suggest"]["clause:0"]["term"]
    assert (term["field"], term["max_edits"], term["prefix_length"]) == ("spell", 1, 0)
    assert labels_filter_of(cluster.searches()[-1]) == ["public"]      # the corrected count


def test_suggest_merges_visible_values_and_titles(backend, cluster):
    def answer(request):
        if "aggs" in request.body:       # completion entries of gu, organisations, keywords
            bucket = {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0}
            return {**EMPTY_SEARCH, "aggregations": {
                "gu": {"doc_count": 120, "entries": {**bucket, "buckets": [
                    {"key": "강동구\x1f강동구", "doc_count": 118}]}},
                "organisation": {"doc_count": 90, "entries": {**bucket, "buckets": [
                    {"key": "강동구청\x1f강동구청\x1fgangdong-gu", "doc_count": 85},
                    {"key": "강동구\x1f강동구 감사담당관\x1fgangdong-audit", "doc_count": 2},
                    {"key": "강동구감사담당관\x1f강동구 감사담당관\x1fgangdong-audit",
                     "doc_count": 2}]}},
                "keyword": {"doc_count": 0, "entries": {**bucket, "buckets": []}}}}
        return {**EMPTY_SEARCH, "hits": {"total": {"value": 2, "relation": "eq"}, "hits": [
            {"_index": LIVE, "_id": "A", "_score": 9.1,
             "_source": {"title": "강동구 공영주차장 현황", "slug": "a"}},
            {"_index": LIVE, "_id": "B", "_score": 8.7,
             "_source": {"title": "강동구 인구 현황", "slug": "b"}}]}}
    cluster.on("POST", rf"/{ALIAS}/_search", answer)
    found = [(s.kind, s.text, s.value, s.count) for s in backend.suggest("강동", PUBLIC, limit=4)]
    assert found == [("gu", "강동구", "강동구", 118),
                     ("organisation", "강동구청", "gangdong-gu", 85),
                     ("title", "강동구 공영주차장 현황", "a", 1),
                     ("title", "강동구 인구 현황", "b", 1)]
    values = cluster.searches()[0]
    assert values["aggs"]["gu"]["filter"] == {"prefix": {"complete_gu": "강동"}}
    assert values["aggs"]["gu"]["aggs"]["entries"]["terms"]["include"] == "강동.*"
    with pytest.raises(TypeError):
        backend.suggest("강동", ["public"])


def test_the_word_being_typed_is_matched_as_a_prefix_in_suggestions(backend, cluster):
    backend.suggest("seoul popul", PUBLIC)
    titles = cluster.searches()[-1]
    must = titles["query"]["function_score"]["query"]["bool"]["must"]
    assert "title" in json.dumps(must[0]) and "autocomplete" not in json.dumps(must[0])
    assert [next(iter(q["match"])) for q in must[1]["dis_max"]["queries"]] == [
        f"{name}.autocomplete" for name in schema.SHORT_FIELDS]
    assert backend.suggest("  ", PUBLIC) == []


def test_ids_and_versions_scroll_over_every_document(backend, cluster):
    page = {"_scroll_id": "c2Nyb2xs", "took": 1, "timed_out": False,
            "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
            "hits": {"total": {"value": 2, "relation": "eq"}, "hits": [
                {"_index": LIVE, "_id": "A", "_score": 1.0,
                 "_source": {"modified": "2024-01-01T00:00:00+00:00"}},
                {"_index": LIVE, "_id": "B", "_score": 1.0,
                 "_source": {"modified": "2024-01-02T00:00:00+00:00"}}]}}
    cluster.on("POST", rf"/{ALIAS}/_search", page)
    cluster.on("POST", r"/_search/scroll", {**page, "hits": {**page["hits"], "hits": []}})
    cluster.on("DELETE", r"/_search/scroll", {"succeeded": True, "num_freed": 1})
    assert backend.ids_and_versions() == {"A": T0, "B": T0.replace(day=2)}
    assert "scroll=2m" in cluster.find("POST", rf"/{ALIAS}/_search")[0].params


def test_health_reports_the_cluster_and_never_raises(backend, cluster):
    cluster.on("GET", r"/_cluster/health", {"cluster_name": "seoul", "status": "yellow",
                                            "number_of_nodes": 1})
    cluster.on("POST", rf"/{ALIAS}/_count", {"count": 8219})
    health = backend.health()
    assert health["ok"] is True and health["documents"] == 8219
    assert health["indices"] == [LIVE] and health["status"] == "yellow"
    cluster.fail_with = ConnectionError
    health = backend.health()
    assert health["ok"] is False and "ConnectionError" in health["error"]


def test_the_registry_makes_an_elasticsearch_backend_and_needs_a_url(cluster):
    backend = make_backend("elasticsearch", url="http://es.test:9200", index="datasets-test",
                           node_class=cluster.node_class)
    assert isinstance(backend, ElasticsearchBackend) and backend.alias == "datasets-test"
    with pytest.raises(ValueError, match="elasticsearch_url"):
        make_backend("elasticsearch", url="")
    with pytest.raises(ValueError, match="lower case"):
        make_backend("elasticsearch", url="http://es.test:9200", index="Portal")


def test_the_query_plan_units_map_to_one_query_each():
    plan = eq.Prepared(known={"cctv": True})
    query = eq.unit_query(analysis_unit("cctv"), plan)
    assert [next(iter(q["match"])) for q in query["dis_max"]["queries"]] == [
        text.name for text in schema.TEXT_FIELDS]


def analysis_unit(text):
    from indexer.plan import make_unit
    (kind, unit), = analysis.query_units(text)
    return make_unit(kind, unit)
