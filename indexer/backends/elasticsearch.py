"""The Elasticsearch backend: one alias (``index``, default ``portal-datasets``) in front of
versioned indices (``portal-datasets-20261122t054133-3f2a``).

Settings and mapping come from :mod:`elasticsearch_mapping` (generated from ``indexer.schema``
and ``indexer.analysis``), request bodies from :mod:`elasticsearch_query` (a ``QueryPlan`` as
nested queries, the viewer's labels in every ``bool.filter``). Writes are bulk requests followed
by one refresh, so documents are visible when ``index()`` returns; ``rebuild()`` loads a new
index and swaps the alias in one ``_aliases`` call. Talks to ES 8 and 9 through the 8.x client
(its ``compatible-with=8`` media type is accepted by both; search_eval.md §4.3).
"""
from __future__ import annotations

import logging
import secrets
import threading
import time
from datetime import datetime, timezone
from typing import Any, Iterable

from elasticsearch import BadRequestError, Elasticsearch, NotFoundError, helpers
from elasticsearch.helpers import BulkIndexError

from indexer import analysis, highlight, schema, typo
from indexer.backends import elasticsearch_mapping as em
from indexer.backends import elasticsearch_query as eq
from indexer.base import (Hit, SearchBackend, SearchQuery, SearchResult, Suggestion,
                          merge_suggestions)
from indexer.documents import as_document, as_utc
from indexer.plan import QueryPlan, Unit, plan_query, with_synonym_typos
from indexer.synonyms import Synonyms

log = logging.getLogger(__name__)

SUGGEST_BELOW = 3        # offer "did you mean" when fewer hits than this (as Whoosh)
BULK_CHUNK = 500         # documents per _bulk request
INITIAL = "initial"      # suffix of the index created on first write (fixed: two processes
                         # starting at once collide on the name instead of both creating one)
_EMPTY = {"hits": {"total": {"value": 0}, "hits": []}, "aggregations": {}}


class SearchIndexError(RuntimeError):
    """Elasticsearch refused documents; the message names the index, the id and the reason."""


def detect_nori(client: Elasticsearch) -> bool:
    """Is ``analysis-nori`` installed on every node? (``_cat/plugins`` lists only nodes that
    have plugins, so it is compared with ``_cat/nodes``.)"""
    try:
        nodes = {row["name"] for row in client.cat.nodes(format="json", h="name")}
        with_nori = {row["name"] for row in client.cat.plugins(format="json", h="name,component")
                     if row.get("component") == "analysis-nori"}
    except Exception as error:   # managed clusters may refuse _cat: index without nori
        log.warning("could not list Elasticsearch plugins (%s); indexing without nori", error)
        return False
    return bool(nodes) and nodes <= with_nori


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str | None = None, index: str = "portal-datasets",
                 synonyms_path=None, nori: bool | str | None = None,
                 client: Elasticsearch | None = None, *, replicas: int = 1,
                 **client_options: Any):
        """``nori``: True/False, or None/"auto" to use it when every node has the plugin.
        ``replicas``: replicas of each index (0 for a single-node test cluster).
        ``client_options`` go to :class:`elasticsearch.Elasticsearch` (``basic_auth``,
        ``api_key``, ``ca_certs``, ``request_timeout``, ...)."""
        if index != index.lower() or not index or index.startswith(("_", "-", "+")):
            raise ValueError(f"Elasticsearch index/alias name {index!r} must be lower case and "
                             "not start with _, - or + (search.elasticsearch_index)")
        if nori not in (None, "auto", True, False):
            raise ValueError(f"nori must be True, False, 'auto' or None, not {nori!r}")
        if client is None:
            if not url:
                raise ValueError("the Elasticsearch backend needs a URL: set "
                                 "search.elasticsearch_url (e.g. http://localhost:9200)")
            client = Elasticsearch(url, **client_options)
            self._owns_client = True
        else:
            self._owns_client = False
        self.client = client
        self.alias = index
        self.replicas = replicas
        self.synonyms = Synonyms.load(synonyms_path)
        self.synonym_rules = em.synonym_rules(synonyms_path)
        self._nori = None if nori in (None, "auto") else bool(nori)
        self._ready = False
        self._write_lock = threading.Lock()

    @property
    def nori(self) -> bool:
        if self._nori is None:
            self._nori = detect_nori(self.client)
        return self._nori

    # Indices and the alias

    def index_body(self, loading: bool = False) -> dict:
        """Settings and mappings of a new index (``loading``: tuned for a bulk load)."""
        nori = self.nori
        return {"settings": em.index_settings(self.synonym_rules, nori, self.replicas, loading),
                "mappings": em.mappings(nori)}

    def _ensure_index(self) -> None:
        if self._ready:
            return
        if not self.client.indices.exists(index=self.alias):
            try:
                self.client.indices.create(index=f"{self.alias}-{INITIAL}",
                                           aliases={self.alias: {}}, **self.index_body())
            except BadRequestError as error:   # another process created it a moment ago
                if error.error != "resource_already_exists_exception":
                    raise
        self._ready = True

    def _new_index_name(self) -> str:
        return f"{self.alias}-{datetime.now(timezone.utc):%Y%m%dt%H%M%S}-{secrets.token_hex(3)}"

    def _indices(self) -> list[str]:
        """The concrete indices behind the alias (none if it does not exist)."""
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def _swap(self, new: str) -> list[str]:
        """Point the alias at ``new`` in one ``_aliases`` call (remove + add are applied
        atomically: a search sees the old index or the new one, never none)."""
        old = self._indices()
        actions: list[dict] = []
        if not old and self.client.indices.exists(index=self.alias):
            # a concrete index already has the alias's name (made by hand): replace it too
            actions.append({"remove_index": {"index": self.alias}})
        actions += [{"remove": {"index": index, "alias": self.alias}} for index in old]
        actions.append({"add": {"index": new, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        return old

    def delete_index(self) -> None:
        """Remove the alias and every index behind it (tests; decommissioning a cluster)."""
        indices = self._indices()
        if indices:
            self.client.indices.delete(index=",".join(indices), ignore_unavailable=True)
        self._ready = False

    # Writing

    def _bulk(self, index: str, actions: Iterable[dict], **options: Any) -> list[dict]:
        try:
            return [item for _, item in helpers.streaming_bulk(
                self.client, actions, index=index, chunk_size=BULK_CHUNK, max_retries=3,
                **options)]
        except BulkIndexError as error:
            op, detail = next(iter(error.errors[0].items()))
            raise SearchIndexError(
                f"Elasticsearch refused {len(error.errors)} {op} action(s) on {index}; first: "
                f"id {detail.get('_id')}: {detail.get('error')}") from error

    def index(self, documents: Iterable) -> int:
        latest = {}
        for doc in documents:              # the last version of a repeated id wins
            doc = as_document(doc)
            latest[doc.id] = doc
        if not latest:
            return 0
        with self._write_lock:
            self._ensure_index()
            # require_alias: never let a missing alias auto-create an index without our mapping
            actions = ({"_op_type": "index", "_id": doc.id, "_source": em.es_source(doc)}
                       for doc in latest.values())
            self._bulk(self.alias, actions, require_alias=True)
            self.client.indices.refresh(index=self.alias)
        return len(latest)

    def delete(self, ids: Iterable[str]) -> int:
        ids = list(dict.fromkeys(str(i) for i in ids))
        if not ids:
            return 0
        with self._write_lock:
            self._ensure_index()
            items = self._bulk(self.alias, ({"_op_type": "delete", "_id": i} for i in ids),
                               ignore_status=(404,), require_alias=True)
            self.client.indices.refresh(index=self.alias)
        return sum(1 for item in items if item.get("delete", {}).get("result") == "deleted")

    def rebuild(self, documents: Iterable) -> int:
        """Load a new index while searches keep using the alias's current one, then swap."""
        with self._write_lock:
            name = self._new_index_name()
            self.client.indices.create(index=name, **self.index_body(loading=True))
            ids: set[str] = set()

            def actions():
                for doc in documents:
                    doc = as_document(doc)
                    ids.add(doc.id)
                    yield {"_op_type": "index", "_id": doc.id, "_source": em.es_source(doc)}

            try:
                self._bulk(name, actions())
                self.client.indices.put_settings(index=name, settings={"index": {
                    "refresh_interval": None, "number_of_replicas": self.replicas}})
                self.client.indices.refresh(index=name)
                old = self._swap(name)
            except BaseException:
                try:
                    self.client.indices.delete(index=name, ignore_unavailable=True)
                except Exception as cleanup:     # the original error matters more
                    log.warning("could not delete the unfinished index %s: %s", name, cleanup)
                raise
            if old:
                self.client.indices.delete(index=",".join(old), ignore_unavailable=True)
            self._ready = True
        return len(ids)

    def clear(self) -> None:
        self.rebuild([])

    # Reading

    def _search(self, body: dict) -> dict:
        try:
            return self.client.search(index=self.alias, body=body).body
        except NotFoundError as error:
            if error.error != "index_not_found_exception":
                raise
            return _EMPTY          # nothing indexed yet

    def _prepare(self, plan: QueryPlan, labels: frozenset[str],
                 prefix_last: bool = False) -> eq.Prepared:
        body = eq.prepare_body(plan, labels, prefix_last)
        prepared = eq.read_prepared(self._search(body)) if body else eq.Prepared()
        prepared.synonymous = {unit.text for unit, _ in eq.units(plan, prefix_last)
                               if self.synonyms.lookup(unit.text)}
        return prepared

    def search(self, query: SearchQuery) -> SearchResult:
        plan = eq.search_plan(query.text, self.synonyms)
        prepared = self._prepare(plan, query.labels)
        plan = with_synonym_typos(plan, self.synonyms, lambda w: prepared.known.get(w, True))
        response = self._search(eq.search_body(plan, query, prepared, self.nori))
        words = self._highlight_words(query.text, plan) if query.highlight else []
        fuzzy = [u for u, _ in eq.units(plan, False) if prepared.edits(u)]
        hits = [make_hit(raw, words, fuzzy) for raw in response["hits"]["hits"]]
        total = response["hits"]["total"]["value"]
        result = SearchResult(hits=hits, total=total,
                              facets=read_facets(response, query.facets))
        if total < SUGGEST_BELOW and not plan.empty:
            result.suggestion = self._did_you_mean(plan, query.labels, total, prepared)
        return result

    def _highlight_words(self, text: str, plan: QueryPlan) -> list[str]:
        """The words typed, their synonyms (as Whoosh highlights them) and the synonyms a
        mistyped word reached."""
        words = plan_query(text, self.synonyms).highlight_words() + plan.highlight_words()
        return list(dict.fromkeys(words))

    def _did_you_mean(self, plan: QueryPlan, labels: frozenset[str], total: int,
                      prepared: eq.Prepared) -> str | None:
        """Replace each word that matches nothing visible by the candidate most visible
        documents have, if the corrected query finds more. Candidates are counted with the
        viewer's labels, so a word only internal documents contain is never proposed."""
        words = [analysis.compact(clause.surface) for clause in plan.clauses]
        matched, candidates = eq.read_spelling(
            self._search(eq.spelling_body(plan, labels, prepared, words)), words)
        check = sorted({w for n, found in enumerate(candidates) if not matched[n] for w in found})
        if not check:
            return None
        aggs = self._search(eq.candidates_body(check, labels)).get("aggregations") or {}
        counts = {word: aggs.get(f"word:{word}", {}).get("doc_count", 0) for word in check}
        corrected, changed = [], False
        for n, clause in enumerate(plan.clauses):
            best, best_count = None, 0
            for word in [] if matched[n] else candidates[n]:
                if counts[word] > best_count:
                    best, best_count = word, counts[word]
            corrected.append(best or clause.surface)
            changed |= best is not None
        if not changed:
            return None
        text = " ".join(corrected)
        better = self.client.count(index=self.alias,
                                   body=eq.count_body(plan_query(text), labels))["count"]
        return text if better > total else None

    def suggest(self, prefix: str, labels: frozenset[str], limit: int = 10) -> list[Suggestion]:
        if not isinstance(labels, frozenset):
            raise TypeError("suggest() needs the viewer's permission labels as a frozenset")
        typed = analysis.normalize(prefix).strip()
        if not typed or limit < 1:
            return []
        key = typed.replace(" ", "")
        values = read_values(self._search(eq.values_body(key, labels)), key)
        titles = []
        plan = eq.search_plan(prefix, self.synonyms)
        if not plan.empty:
            prepared = self._prepare(plan, labels, prefix_last=True)
            response = self._search(eq.titles_body(plan, labels, limit, prepared, self.nori))
            titles = [Suggestion(text=raw["_source"]["title"], kind="title",
                                 value=raw["_source"]["slug"]) for raw in response["hits"]["hits"]]
        return merge_suggestions(values, titles, limit)

    def count(self) -> int:
        try:
            return int(self.client.count(index=self.alias)["count"])
        except NotFoundError:
            return 0

    def ids_and_versions(self) -> dict[str, datetime]:
        try:
            return {raw["_id"]: as_utc(raw["_source"]["modified"]) for raw in helpers.scan(
                self.client, index=self.alias, size=1000, scroll="2m",
                query={"query": {"match_all": {}}, "_source": ["modified"]})}
        except NotFoundError:
            return {}

    def health(self) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            cluster = self.client.cluster.health()
            indices = self._indices()
            documents = self.count() if indices else 0
            return {"ok": bool(indices) and cluster["status"] in ("green", "yellow"),
                    "backend": self.name, "documents": documents, "alias": self.alias,
                    "indices": indices, "cluster": cluster["cluster_name"],
                    "status": cluster["status"], "nori": self._nori,
                    "ms": round((time.perf_counter() - started) * 1000, 1)}
        except Exception as error:   # health must answer, not raise
            return {"ok": False, "backend": self.name, "alias": self.alias,
                    "error": f"{type(error).__name__}: {error}"}

    def close(self) -> None:
        if self._owns_client:
            self.client.close()


# Responses

def _typo_words(text: str, fuzzy: list[Unit]) -> list[str]:
    """Words of ``text`` a mistyped query word matched (ES does not say which)."""
    return [word for word in analysis.word_tokens(text) if word.isascii() for unit in fuzzy
            if typo.distance(unit.text, word, unit.fuzzy_edits) <= unit.fuzzy_edits]


def make_hit(raw: dict, words: list[str], fuzzy: list[Unit]) -> Hit:
    """A hit with the document's public fields and <mark> highlights made by the same
    ``indexer.highlight`` as Whoosh's (HTML-escaped, snippets for the description)."""
    fields = {name: value for name, value in raw.get("_source", {}).items()
              if name in em.PUBLIC_FIELDS}
    if isinstance(fields.get("modified"), str):
        fields["modified"] = as_utc(fields["modified"])
    highlights = highlight.highlight_fields(fields, words,
                                            lambda value: _typo_words(value, fuzzy))
    return Hit(id=fields.get("id", raw.get("_id")), slug=fields.get("slug", ""),
               score=round(float(raw.get("_score") or 0.0), 4), fields=fields,
               highlights=highlights)


def read_facets(response: dict, names) -> dict[str, list[tuple[str, int]]]:
    aggs = response.get("aggregations") or {}
    out = {}
    for name in names:
        buckets = aggs.get(name, {}).get("buckets", [])
        values = [(str(b["key"]), int(b["doc_count"])) for b in buckets if b["doc_count"] > 0]
        out[name] = sorted(values, key=lambda v: (-v[1], v[0]))[:schema.FACET_SIZE]
    return out


def read_values(response: dict, key: str) -> list[Suggestion]:
    """Completion entries ("key\\x1fvalue") → one suggestion per value, most documents first."""
    aggs = response.get("aggregations") or {}
    found: dict[tuple[str, str], Suggestion] = {}
    for kind in em.COMPLETIONS:
        for bucket in aggs.get(kind, {}).get("entries", {}).get("buckets", []):
            entry_key, _, value = bucket["key"].partition(em.SEPARATOR)
            if not entry_key.startswith(key) or bucket["doc_count"] < 1:
                continue
            text, _, slug = value.partition(em.SEPARATOR)
            suggestion = Suggestion(text=text, kind=kind, value=slug or text,
                                    count=int(bucket["doc_count"]))
            if found.get((kind, value), suggestion).count <= suggestion.count:
                found[(kind, value)] = suggestion
    return sorted(found.values(), key=lambda s: (-s.count, s.text))
