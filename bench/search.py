"""Benchmark: the project's Whoosh backend against tantivy-py and SQLite FTS5, same documents.

    .venv/bin/python bench/search.py [--sizes 10000,100000] [--repeat 5] [--quick]
                                     [--engines whoosh,tantivy,fts5] [--json FILE]

Each (size, engine) runs in a fresh process (``--worker``), one after the other, so no engine
pays for another's memory or caches. Documents: ``tests.indexer.catalog.synthetic_documents``
— the 8,212 real catalog titles, then variants of them (another gu, a suffix) up to the size,
~5 % of the variants internal; the same list for every engine.

All three index the *same tokens*: the project's analysis (``indexer.analysis`` via
``whoosh_fields``: bigrams, marked cross-space bigrams, run-final unigrams, chosung keys),
pre-tokenized — tantivy gets them space-joined into its built-in ``whitespace`` tokenizer (not
its ngram tokenizer), FTS5 into ``unicode61`` with ``_`` and ``$`` as token characters. Queries
are the project's ``QueryPlan`` (synonyms, typo fallback, chosung) translated to each engine:
clause AND, alternative OR, unit = best field (dis_max for tantivy, OR for FTS5), Hangul
unit = AND of its bigram positions within one field. Ranking differs (FTS5 ``bm25()`` with
column weights cannot weight synonyms or take a field maximum); hit counts should agree.

Per engine: build (documents in memory → analysis → searchable index), index size on disk,
open + first query in a new process-level object, query latency, and one-document update until
a search finds it (median of --updates). A query = top 20 with highlights (``indexer.highlight``
on title, English title, keywords and a description snippet) + counts of three facets (source,
organisation, theme) over all visible hits, as an anonymous viewer. The fixed query set
(QUERIES below: bench/search_whoosh.py's 55 + the 45 judged relevance queries) runs once as a
warm-up ("cold" figures), then --repeat times; p50/p95 are over the per-query medians.
Targets for the project: 10k p95 ≤ 20 ms, build ≤ 30 s; 100k p95 ≤ 100 ms, build ≤ 5 min,
update visible ≤ 1 s.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer import SearchQuery, analysis, highlight, make_backend, schema  # noqa: E402
from indexer.backends import whoosh_fields as wf  # noqa: E402
from indexer.documents import PUBLIC_LABEL, SearchDocument  # noqa: E402
from indexer.plan import plan_query, with_synonym_typos  # noqa: E402
from indexer.synonyms import Synonyms  # noqa: E402
from indexer.typo import TypoIndex  # noqa: E402
from search_whoosh import QUERIES as WHOOSH_QUERIES  # noqa: E402
from tests.indexer.catalog import synthetic_documents  # noqa: E402
from tests.relevance.evaluate import load_judgments  # noqa: E402

QUERIES = list(dict.fromkeys(WHOOSH_QUERIES + [q.text for q in load_judgments()]))
FACETS = ("source", "organisation", "theme")
PUBLIC = frozenset({PUBLIC_LABEL})
PER_PAGE = 20
ENGINES = ("whoosh", "tantivy", "fts5")
TEXT = [text.name for text in schema.TEXT_FIELDS]
BOOST = {text.name: text.boost for text in schema.TEXT_FIELDS}
HIGHLIGHTED = [text.name for text in schema.TEXT_FIELDS if text.highlight]
TARGETS = {10_000: {"p95_ms": 20, "build_s": 30}, 100_000: {"p95_ms": 100, "build_s": 300}}
UPDATE_TARGET_MS = 1000


def highlights(fields: dict, words: list[str]) -> dict:
    """What the Whoosh backend's make_hit() computes, for the engines that do not."""
    out = {}
    for name in HIGHLIGHTED:
        value = fields.get(name)
        if isinstance(value, list):
            value = ", ".join(value)
        marked = highlight.highlight(value or "", words, snippet=name == "description")
        if marked:
            out[name] = marked
    return out


def latin_words(unit, known, near) -> tuple[list[str], float]:
    """The words a Latin unit searches, and their weight: the word itself, or — when no
    document has it — its typo neighbours at the typo weight (the Whoosh backend's rule, with
    the same deletion index; tantivy's own FuzzyTermQuery was 10× slower per query)."""
    if unit.fuzzy_edits and not known(unit.text):
        found = near(unit.text)
        if found:
            return found, schema.FUZZY_WEIGHT
    return [unit.text], 1.0


def stored(doc: SearchDocument) -> str:
    return json.dumps(doc.public_fields(), ensure_ascii=False, default=str)


def directory_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


class WhooshEngine:
    """The project's backend, exactly as the portal uses it."""

    def __init__(self, workdir: Path):
        self.path = workdir / "whoosh"
        self.backend = make_backend("whoosh", path=self.path)

    def build(self, docs):
        self.backend.rebuild(docs)

    def reopen(self):
        self.backend.close()
        self.backend = make_backend("whoosh", path=self.path)

    def search(self, text: str, marks: bool = True):
        result = self.backend.search(SearchQuery(text, PUBLIC, facets=FACETS, per_page=PER_PAGE,
                                                 highlight=marks))
        return result.total, [hit.id for hit in result.hits]

    def replace(self, doc):
        self.backend.index([doc])

    def disk_mb(self):
        return directory_mb(self.path)


class TantivyEngine:
    def __init__(self, workdir: Path):
        import tantivy
        self.tantivy, self.path = tantivy, workdir / "tantivy"
        self.synonyms = Synonyms.load()
        builder = tantivy.SchemaBuilder()
        for name in ("id", wf.EXACT, wf.LABELS):
            builder.add_text_field(name, tokenizer_name="raw")
        for name in TEXT + [wf.CHOSUNG]:
            builder.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
        for name in FACETS:
            builder.add_text_field(name, tokenizer_name="raw", fast=True)
        builder.add_bytes_field("doc", stored=True)
        self.schema = builder.build()
        self.writer = self.index = self._typos = None

    def _document(self, doc):
        fields = wf.whoosh_fields(doc)
        out = self.tantivy.Document()
        out.add_text("id", doc.id)
        out.add_text(wf.EXACT, fields[wf.EXACT])
        for label in doc.permission_labels:
            out.add_text(wf.LABELS, label)
        for name in TEXT + [wf.CHOSUNG]:
            if fields.get(name):
                out.add_text(name, " ".join(fields[name]))
        for name in FACETS:
            out.add_text(name, getattr(doc, schema.FACETS_BY_NAME[name].field) or "-")
        out.add_bytes("doc", stored(doc).encode())
        return out

    def build(self, docs):
        self.path.mkdir(parents=True)
        self.index = self.tantivy.Index(self.schema, path=str(self.path))
        # One indexing thread, like the Whoosh build: the second core belongs to the web server.
        writer = self.index.writer(heap_size=256_000_000, num_threads=1)
        for doc in docs:
            writer.add_document(self._document(doc))
        writer.commit()
        writer.wait_merging_threads()
        self.reopen()

    def reopen(self):
        self.writer = self._typos = None
        self.index = self.tantivy.Index.open(str(self.path))
        self.searcher = self.index.searcher()

    def _known(self, word: str) -> bool:
        return any(self.searcher.doc_freq(name, word) for name in TEXT)

    def _near(self, word: str) -> list[str]:
        if self._typos is None:       # the Latin vocabulary, read once per searcher
            self._typos = TypoIndex({term for name in TEXT
                                     for term, _ in self.searcher.terms_with_prefix(name, "")
                                     if term.isascii() and term.isalnum()})
        return [w for w, _ in self._typos.neighbours(word)]

    def _unit(self, unit):
        q, tq = self.tantivy.Query, self.tantivy.Query.term_query
        if unit.kind == "jamo":       # one letter is not indexed: matches nothing, as in Whoosh
            return tq(self.schema, wf.CHOSUNG, unit.text)
        one = unit.kind == "hangul" and len(unit.text) == 1
        words, weight = latin_words(unit, self._known, self._near)
        per_field = []
        for name in (schema.SHORT_FIELDS if one else TEXT):
            if unit.kind == "hangul" and not one:
                expr = q.boolean_query([(self.tantivy.Occur.Must, q.boolean_query(
                    [(self.tantivy.Occur.Should, tq(self.schema, name, t)) for t in alts]))
                    for alts in unit.positions])
            elif one:
                expr = q.boolean_query([
                    (self.tantivy.Occur.Should, q.regex_query(self.schema, name,
                                                              re.escape(unit.text) + ".*")),
                    (self.tantivy.Occur.Should, tq(self.schema, name,
                                                   analysis.FINAL_MARK + unit.text))])
            else:
                expr = q.boost_query(q.boolean_query(
                    [(self.tantivy.Occur.Should, tq(self.schema, name, w)) for w in words]),
                    weight)
            per_field.append(q.boost_query(expr, BOOST[name]))
        return q.disjunction_max_query(per_field, tie_breaker=schema.TIE_BREAKER)

    def _query(self, plan):
        q, occur = self.tantivy.Query, self.tantivy.Occur
        must = [(occur.Must, q.term_query(self.schema, wf.LABELS, PUBLIC_LABEL))]
        for clause in plan.clauses:
            alternatives = [(occur.Should, q.boost_query(q.boolean_query(
                [(occur.Must, self._unit(unit)) for unit in alt.units]), alt.weight))
                for alt in clause.alternatives]
            must.append((occur.Must, q.boolean_query(alternatives)))
        must.append((occur.Should, q.boost_query(
            q.term_query(self.schema, wf.EXACT, plan.exact_key), schema.EXACT_TITLE_BONUS)))
        return q.boolean_query(must)

    def search(self, text: str, marks: bool = True):
        plan = with_synonym_typos(plan_query(text, self.synonyms), self.synonyms, self._known)
        query = self._query(plan)
        result = self.searcher.search(query, PER_PAGE, count=True)
        aggs = self.searcher.aggregate(query, {name: {"terms": {"field": name, "size": 50}}
                                               for name in FACETS})
        facets = {name: [(b["key"], b["doc_count"]) for b in aggs[name]["buckets"]]
                  for name in FACETS}
        words, ids = plan.highlight_words(), []
        for _score, address in result.hits:
            fields = json.loads(self.searcher.doc(address)["doc"][0])
            if marks:
                highlights(fields, words)
            ids.append(fields["id"])
        del facets                    # computed like the others', not shown
        return result.count, ids

    def replace(self, doc):
        if self.writer is None:       # the application would keep its one writer open
            self.writer = self.index.writer(heap_size=50_000_000, num_threads=1)
        self.writer.delete_documents_by_term("id", doc.id)
        self.writer.add_document(self._document(doc))
        self.writer.commit()
        self.index.reload()
        self.searcher, self._typos = self.index.searcher(), None

    def disk_mb(self):
        return directory_mb(self.path)


class Fts5Engine:
    """Contentless FTS5 table of the same tokens + a plain table with facets and stored docs
    (the portal's database has that table anyway)."""

    COLUMNS = TEXT + [wf.CHOSUNG]

    def __init__(self, workdir: Path):
        self.path = workdir / "fts5.sqlite3"
        self.synonyms = Synonyms.load()
        self.db = None
        self._typos = None
        weights = ", ".join(str(BOOST.get(name, BOOST["title"])) for name in self.COLUMNS)
        self.rank = f"bm25(fts, {weights})"

    def _connect(self):
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")

    def _tokens(self, doc):
        fields = wf.whoosh_fields(doc)
        return [" ".join(fields.get(name) or []) for name in self.COLUMNS]

    def _row(self, doc, rowid):
        return (rowid, doc.id, int(PUBLIC_LABEL in doc.permission_labels),
                json.dumps(doc.permission_labels), doc.source, doc.organisation or "-",
                doc.theme or "-", analysis.compact(doc.title), stored(doc))

    def build(self, docs):
        self._connect()
        cols = ", ".join(self.COLUMNS)
        self.db.executescript(f"""
            CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, public INTEGER,
                labels TEXT, source TEXT, organisation TEXT, theme TEXT, title_exact TEXT,
                doc TEXT);
            CREATE INDEX docs_exact ON docs (title_exact);
            CREATE VIRTUAL TABLE fts USING fts5({cols}, content='', detail=full,
                tokenize="unicode61 remove_diacritics 0 tokenchars '_$'");
            CREATE VIRTUAL TABLE fts_vocab USING fts5vocab(fts, 'row');""")
        marks = ", ".join("?" * (len(self.COLUMNS) + 1))
        with self.db:
            for rowid, doc in enumerate(docs, 1):
                self.db.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                self._row(doc, rowid))
                self.db.execute(f"INSERT INTO fts (rowid, {cols}) VALUES ({marks})",
                                [rowid] + self._tokens(doc))
            self.db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def reopen(self):
        self.db.close()
        self._connect()
        self._typos = None

    def _known(self, word: str) -> bool:
        return self.db.execute("SELECT 1 FROM fts_vocab WHERE term = ?", (word,)).fetchone() \
            is not None

    def _near(self, word: str) -> list[str]:
        if self._typos is None:       # the Latin vocabulary, read once per connection
            self._typos = TypoIndex(term for (term,) in self.db.execute(
                "SELECT term FROM fts_vocab") if term.isascii() and term.isalnum())
        return [w for w, _ in self._typos.neighbours(word)]

    def _unit(self, unit) -> str:
        quote = lambda t: '"' + t.replace('"', '""') + '"'  # noqa: E731
        if unit.kind == "jamo":       # one letter is not indexed: matches nothing, as in Whoosh
            return f"{wf.CHOSUNG} : {quote(unit.text)}"
        one = unit.kind == "hangul" and len(unit.text) == 1
        if unit.kind == "hangul" and not one:
            inner = " AND ".join("(" + " OR ".join(quote(t) for t in alts) + ")"
                                 for alts in unit.positions)
        elif one:
            inner = f"{quote(unit.text)}* OR {quote(analysis.FINAL_MARK + unit.text)}"
        else:                         # FTS5 cannot weight a typo correction lower
            inner = " OR ".join(quote(w) for w in latin_words(unit, self._known, self._near)[0])
        fields = schema.SHORT_FIELDS if one else TEXT
        return "(" + " OR ".join(f"({name} : ({inner}))" for name in fields) + ")"

    def _match(self, plan) -> str:
        return " AND ".join(
            "(" + " OR ".join("(" + " AND ".join(self._unit(u) for u in alt.units) + ")"
                              for alt in clause.alternatives) + ")"
            for clause in plan.clauses)

    def search(self, text: str, marks: bool = True):
        plan = with_synonym_typos(plan_query(text, self.synonyms), self.synonyms, self._known)
        match = self._match(plan)
        rows = self.db.execute(
            f"SELECT d.doc FROM fts JOIN docs d ON d.rowid = fts.rowid "
            f"WHERE fts MATCH ? AND d.public = 1 "
            f"ORDER BY (d.title_exact = ?) DESC, {self.rank} LIMIT {PER_PAGE}",
            (match, plan.exact_key)).fetchall()
        counts = self.db.execute(
            "WITH m AS MATERIALIZED (SELECT d.source, d.organisation, d.theme FROM fts "
            "JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ? AND d.public = 1) "
            "SELECT 'source', source, count(*) FROM m GROUP BY source UNION ALL "
            "SELECT 'organisation', organisation, count(*) FROM m GROUP BY organisation "
            "UNION ALL SELECT 'theme', theme, count(*) FROM m GROUP BY theme",
            (match,)).fetchall()
        total = sum(n for facet, _, n in counts if facet == "source")
        words, ids = plan.highlight_words(), []
        for (doc_json,) in rows:
            fields = json.loads(doc_json)
            if marks:
                highlights(fields, words)
            ids.append(fields["id"])
        return total, ids

    def replace(self, doc):
        cols = ", ".join(self.COLUMNS)
        marks = ", ".join("?" * (len(self.COLUMNS) + 1))
        with self.db:
            old = self.db.execute("SELECT rowid, doc, labels FROM docs WHERE id = ?",
                                  (doc.id,)).fetchone()
            rowid = old[0]
            previous = SearchDocument.from_dict(
                {**json.loads(old[1]), "permission_labels": json.loads(old[2])})
            # A contentless table forgets the text: deleting needs the old tokens again.
            self.db.execute(f"INSERT INTO fts (fts, rowid, {cols}) VALUES ('delete', {marks})",
                            [rowid] + self._tokens(previous))
            self.db.execute("REPLACE INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            self._row(doc, rowid))
            self.db.execute(f"INSERT INTO fts (rowid, {cols}) VALUES ({marks})",
                            [rowid] + self._tokens(doc))

    def disk_mb(self):
        return sum(directory_mb(p) for p in self.path.parent.glob(self.path.name + "*"))


ENGINE_CLASSES = {"whoosh": WhooshEngine, "tantivy": TantivyEngine, "fts5": Fts5Engine}


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def timed(fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    return (time.perf_counter() - started) * 1000, result


def run_worker(engine_name: str, total: int, repeat: int, updates: int) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-search-{engine_name}-"))
    try:
        docs = list(synthetic_documents(total))
        engine = ENGINE_CLASSES[engine_name](workdir)
        build_ms, _ = timed(engine.build, docs)
        size = engine.disk_mb()
        open_ms, _ = timed(lambda: (engine.reopen(), engine.search("인구")))
        cold, runs, totals, tops = {}, {q: [] for q in QUERIES}, {}, {}
        for text in QUERIES:                         # warm-up pass, kept as "cold"
            cold[text], (totals[text], tops[text]) = timed(engine.search, text)
        bare = {q: [] for q in QUERIES}
        for _ in range(repeat):
            for text in QUERIES:
                runs[text].append(timed(engine.search, text)[0])
                bare[text].append(timed(engine.search, text, False)[0])
        update_ms = []
        for n in range(updates):
            doc = replace(docs[n], title=f"벤치마크 갱신 {n} 확인용", views=1)
            started = time.perf_counter()
            engine.replace(doc)
            _, ids = engine.search(doc.title)
            update_ms.append((time.perf_counter() - started) * 1000)
            assert ids and ids[0] == doc.id, f"{engine_name}: update of {doc.id} not visible"
        warm = {text: statistics.median(values) for text, values in runs.items()}
        bare_ms = [statistics.median(values) for values in bare.values()]
        return {
            "engine": engine_name, "docs": total, "queries": len(QUERIES), "repeat": repeat,
            "build_s": round(build_ms / 1000, 2), "index_mb": round(size, 1),
            "open_first_query_ms": round(open_ms, 1),
            "p50_ms": round(percentile(warm.values(), 50), 2),
            "p95_ms": round(percentile(warm.values(), 95), 2),
            "max_ms": round(max(warm.values()), 1),
            "slowest": max(warm, key=warm.get),
            "bare_p50_ms": round(percentile(bare_ms, 50), 2),
            "bare_p95_ms": round(percentile(bare_ms, 95), 2),
            "cold_p50_ms": round(percentile(cold.values(), 50), 2),
            "cold_p95_ms": round(percentile(cold.values(), 95), 2),
            "update_visible_ms": round(statistics.median(update_ms), 1),
            "update_runs_ms": [round(ms, 1) for ms in update_ms],
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "totals": totals, "top10": {q: ids[:10] for q, ids in tops.items()},
            "per_query_ms": {q: round(ms, 2) for q, ms in warm.items()},
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run_in_process(engine: str, total: int, repeat: int, updates: int) -> dict:
    command = [sys.executable, __file__, "--worker", engine, "--docs", str(total),
               "--repeat", str(repeat), "--updates", str(updates)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"{engine} at {total} documents failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def ratio(value, base):
    return f"{value / base:.3g}×" if base else "–"


def report(results: list[dict]) -> str:
    lines = []
    for total in sorted({r["docs"] for r in results}):
        rows = {r["engine"]: r for r in results if r["docs"] == total}
        base = rows.get("whoosh")
        lines += [f"\n### {total:,} documents ({base['queries'] if base else '?'} queries, "
                  f"median of {next(iter(rows.values()))['repeat']} runs each)\n",
                  "| engine | build s | index MB | open + 1st query ms | p50 ms | p95 ms | "
                  "max ms | cold p95 ms | update visible ms | no highlights p50 / p95 ms | "
                  "peak RSS MB |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name, r in rows.items():
            cells = [f"{r['build_s']:.1f}", f"{r['index_mb']:.1f}",
                     f"{r['open_first_query_ms']:.0f}", f"{r['p50_ms']:.2f}",
                     f"{r['p95_ms']:.2f}", f"{r['max_ms']:.1f}", f"{r['cold_p95_ms']:.1f}",
                     f"{r['update_visible_ms']:.1f}",
                     f"{r['bare_p50_ms']:.2f} / {r['bare_p95_ms']:.2f}", str(r["peak_rss_mb"])]
            if base and name != "whoosh":
                keys = ("build_s", "index_mb", "open_first_query_ms", "p50_ms", "p95_ms",
                        "max_ms", "cold_p95_ms", "update_visible_ms")
                cells[:8] = [f"{c} ({ratio(r[k], base[k])})" for c, k in zip(cells, keys)]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        if base:
            target = TARGETS.get(total)
            if target:
                ok = lambda v, t: "met" if v <= t else "MISSED"  # noqa: E731
                lines.append(f"\nWhoosh targets at {total:,}: p95 {base['p95_ms']} ms ≤ "
                             f"{target['p95_ms']} ({ok(base['p95_ms'], target['p95_ms'])}), "
                             f"build {base['build_s']} s ≤ {target['build_s']} "
                             f"({ok(base['build_s'], target['build_s'])}), update "
                             f"{base['update_visible_ms']} ms ≤ {UPDATE_TARGET_MS} "
                             f"({ok(base['update_visible_ms'], UPDATE_TARGET_MS)}).")
            for name, r in rows.items():
                if name == "whoosh":
                    continue
                differ = [q for q in base["totals"] if base["totals"][q] != r["totals"][q]]
                overlap = statistics.fmean(
                    len(set(base["top10"][q]) & set(r["top10"][q])) / max(1, min(10, len(
                        base["top10"][q]))) for q in base["top10"])
                lines.append(f"{name}: same hit count as Whoosh on "
                             f"{len(base['totals']) - len(differ)}/{len(base['totals'])} "
                             f"queries; top-10 overlap {overlap:.2f}"
                             + ("; differ: " + ", ".join(
                                 f"{q} ({base['totals'][q]} vs {r['totals'][q]})"
                                 for q in differ[:12]) if differ else ""))
            lines.append("slowest query: " + "; ".join(
                f"{name} {r['slowest']} {r['max_ms']} ms" for name, r in rows.items()))
    return "\n".join(lines)


def _importable(module: str) -> bool:
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000",
                        help="comma-separated document counts (default 10000,100000)")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    parser.add_argument("--updates", type=int, default=5, help="one-document updates timed")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 3,000 documents, 1 timed run, 2 updates")
    parser.add_argument("--json", type=Path, help="also write every result here")
    parser.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--docs", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_worker(args.worker, args.docs, args.repeat, args.updates),
                         ensure_ascii=False))
        return
    sizes = [3000] if args.quick else [int(s) for s in args.sizes.split(",")]
    repeat, updates = (1, 2) if args.quick else (args.repeat, args.updates)
    engines = args.engines.split(",")
    if "tantivy" in engines and not _importable("tantivy"):
        print("tantivy is not installed (pip install tantivy==0.27.0): skipped", file=sys.stderr)
        engines.remove("tantivy")
    results = []
    for total in sizes:
        for engine in engines:
            print(f"{engine} × {total:,} …", file=sys.stderr, flush=True)
            results.append(run_in_process(engine, total, repeat, updates))
    print(f"# bench/search.py on {os.cpu_count()} cores, SQLite {sqlite3.sqlite_version}")
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
