"""Ranking quality of the project's search against plain Whoosh, on graded judgments.

    .venv/bin/python -m tests.relevance.evaluate [--per-query] [--descriptions]

Documents: the 8,212 real Seoul catalog titles, turned into search documents by
``tests.indexer.catalog.document`` (title = name, theme = mapCategory, organisation from the
district column, gu from the title, keywords = title words). Two of its fields are invented
(the catalog file has neither): the description (13 template sentences) and the division at the
end of ``organisation_path`` (picked by a hash: 강남구 도시공원 got 주차관리과, so it matched
주차). Both are dropped by default — ranking on invented text would measure the generator, not
the search; ``--generated`` keeps them.

Systems (top 10 of each query, anonymous viewer):
* ``project``: the Whoosh backend (``make_backend("whoosh")``) with the project's analysis,
  synonyms, typo tolerance and chosung field — what the portal runs;
* ``std-title``: stock Whoosh, ``StandardAnalyzer`` on the title, ``QueryParser`` (its default
  AND of the words), BM25F;
* ``std-fields``: the same analyzer on every declared text field (``schema.TEXT_FIELDS``, the
  project's field boosts), ``MultifieldParser`` (each word in any field, words ANDed).

Metrics (per query, then the mean per class and overall):
* nDCG@10 = DCG@10 / ideal DCG@10, DCG = Σ (2^grade − 1) / log2(rank + 1); the ideal ranking
  is all judged items sorted by grade; unlisted ids are grade 0;
* recall@10 = judged ids (grade ≥ 1) in the top 10 / min(10, judged ids) — capped so that a
  query with 190 relevant datasets (ㄱㄷㄱ = every 강동구 dataset) can still reach 1.0.
"""
from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from whoosh import fields as whoosh_fields
from whoosh import index as whoosh_index
from whoosh.analysis import StandardAnalyzer
from whoosh.qparser import MultifieldParser, QueryParser

from indexer import SearchQuery, make_backend, schema
from indexer.documents import PUBLIC_LABEL, SearchDocument
from tests.indexer.catalog import DIVISIONS, catalog_documents

JUDGMENTS = Path(__file__).with_name("judgments.toml")
CLASSES = ("stem", "gu_topic", "synonym", "chosung", "english", "typo")
K = 10
PUBLIC = frozenset({PUBLIC_LABEL})
Ranker = Callable[[str], list[str]]


@dataclass(frozen=True)
class JudgedQuery:
    text: str
    query_class: str
    reason: str
    grades: dict[str, int]            # dataset id → 1..3; anything else is 0


def load_judgments(path: Path = JUDGMENTS) -> list[JudgedQuery]:
    with path.open("rb") as handle:
        entries = tomllib.load(handle)["query"]
    by_text = {entry["text"]: entry for entry in entries}

    def grades_of(entry, seen=()):
        if "same_as" in entry:
            if entry["same_as"] in seen or entry["same_as"] not in by_text:
                raise ValueError(f"{path}: query {entry['text']!r}: same_as "
                                 f"{entry['same_as']!r} is unknown or circular")
            return grades_of(by_text[entry["same_as"]], seen + (entry["text"],))
        return {str(k): int(v) for k, v in entry["judgments"].items()}

    judged = []
    for entry in entries:
        if entry["class"] not in CLASSES:
            raise ValueError(f"{path}: query {entry['text']!r} has class {entry['class']!r}; "
                             f"known: {CLASSES}")
        grades = grades_of(entry)
        bad = {k: v for k, v in grades.items() if v not in (1, 2, 3)}
        if bad or not grades:
            raise ValueError(f"{path}: query {entry['text']!r}: grades must be 1-3 and at least "
                             f"one id judged (got {bad or 'none'})")
        judged.append(JudgedQuery(entry["text"], entry["class"], entry["reason"], grades))
    return judged


# Metrics

def dcg(gains: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(rank + 1) for rank, g in enumerate(gains, 1))


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg([grades.get(doc_id, 0) for doc_id in ranked[:k]]) / ideal if ideal else 0.0


def recall_at(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    relevant = {doc_id for doc_id, g in grades.items() if g >= 1}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / min(k, len(relevant))


# Documents and systems

def relevance_documents(generated: bool = False) -> list[SearchDocument]:
    """The catalog documents, without the generated description and division by default."""
    docs = catalog_documents()
    if generated:
        return docs
    return [replace(doc, description="",
                    organisation_path=[p for p in doc.organisation_path if p not in DIVISIONS])
            for doc in docs]


def project_ranker(docs: list[SearchDocument], workdir: Path) -> Ranker:
    backend = make_backend("whoosh", path=workdir / "project")
    backend.rebuild(docs)

    def rank(text: str) -> list[str]:
        result = backend.search(SearchQuery(text, PUBLIC, per_page=K, highlight=False))
        return [hit.id for hit in result.hits]
    return rank


def _field_text(doc: SearchDocument, text_field: schema.TextField) -> str:
    parts: list[str] = []
    for source in text_field.sources:
        value = getattr(doc, source)
        parts.extend(value if isinstance(value, list) else [value])
    return "\n".join(part for part in parts if part)


def standard_rankers(docs: list[SearchDocument], workdir: Path) -> dict[str, Ranker]:
    """Both plain-Whoosh baselines, from one index (the title field is the same in both)."""
    names = [text.name for text in schema.TEXT_FIELDS]
    spec = {name: whoosh_fields.TEXT(analyzer=StandardAnalyzer()) for name in names}
    path = workdir / "standard"
    path.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(path), whoosh_fields.Schema(
        id=whoosh_fields.ID(stored=True, unique=True), **spec))
    writer = ix.writer()
    for doc in docs:
        values = {text.name: _field_text(doc, text) for text in schema.TEXT_FIELDS}
        writer.add_document(id=doc.id, **{k: v for k, v in values.items() if v})
    writer.commit()
    searcher = ix.searcher()
    parsers = {
        "std-title": QueryParser("title", ix.schema),
        "std-fields": MultifieldParser(
            names, ix.schema, fieldboosts={t.name: t.boost for t in schema.TEXT_FIELDS}),
    }

    def ranker(parser) -> Ranker:
        return lambda text: [hit["id"] for hit in searcher.search(parser.parse(text), limit=K)]
    return {name: ranker(parser) for name, parser in parsers.items()}


def build_rankers(docs: list[SearchDocument], workdir: Path) -> dict[str, Ranker]:
    return {"project": project_ranker(docs, workdir), **standard_rankers(docs, workdir)}


# Evaluation and reports

@dataclass
class Report:
    systems: list[str]
    rows: list[dict] = field(default_factory=list)   # one per query: text, class, metrics

    def mean(self, system: str, metric: str, query_class: str | None = None) -> float:
        values = [row[system][metric] for row in self.rows
                  if query_class is None or row["class"] == query_class]
        return statistics.fmean(values) if values else 0.0

    def classes(self) -> list[str]:
        present = {row["class"] for row in self.rows}
        return [c for c in CLASSES if c in present]

    def class_table(self) -> str:
        head = ["class", "queries"] + [f"nDCG@10 {s}" for s in self.systems] \
            + [f"recall@10 {s}" for s in self.systems]
        lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
        for label, cls in [(c, c) for c in self.classes()] + [("**all**", None)]:
            count = sum(1 for row in self.rows if cls is None or row["class"] == cls)
            cells = [label, str(count)]
            cells += [f"{self.mean(s, 'ndcg', cls):.3f}" for s in self.systems]
            cells += [f"{self.mean(s, 'recall', cls):.3f}" for s in self.systems]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def query_table(self) -> str:
        head = ["query", "class", "judged"] + [f"nDCG {s}" for s in self.systems] \
            + [f"R {s}" for s in self.systems]
        lines = ["| " + " | ".join(head) + " |", "|---|---|" + "---:|" * (len(head) - 2)]
        for row in self.rows:
            cells = [row["text"], row["class"], str(row["judged"])]
            cells += [f"{row[s]['ndcg']:.2f}" for s in self.systems]
            cells += [f"{row[s]['recall']:.2f}" for s in self.systems]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def worse(self, system: str, than: str) -> list[dict]:
        """Queries where ``system`` has a lower nDCG@10 than ``than``."""
        return [row for row in self.rows if row[system]["ndcg"] < row[than]["ndcg"] - 1e-9]


def evaluate(rankers: dict[str, Ranker], judged: list[JudgedQuery]) -> Report:
    report = Report(systems=list(rankers))
    for query in judged:
        row = {"text": query.text, "class": query.query_class, "judged": len(query.grades)}
        for name, rank in rankers.items():
            ranked = rank(query.text)
            row[name] = {"ndcg": ndcg_at(ranked, query.grades),
                         "recall": recall_at(ranked, query.grades), "top": ranked}
        report.rows.append(row)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-query", action="store_true", help="also print every query")
    parser.add_argument("--generated", action="store_true",
                        help="keep the generated description and division in the documents")
    parser.add_argument("--show-top", metavar="QUERY", action="append", default=[],
                        help="print each system's top 10 (with grades) for this query")
    args = parser.parse_args()
    judged = load_judgments()
    with tempfile.TemporaryDirectory(prefix="relevance-") as tmp:
        report = evaluate(build_rankers(relevance_documents(args.generated), Path(tmp)),
                          judged)
    print(report.class_table())
    if args.per_query:
        print()
        print(report.query_table())
    for baseline in report.systems[1:]:
        worse = report.worse("project", baseline)
        print(f"\nproject below {baseline} on {len(worse)} queries: "
              + ", ".join(f"{r['text']} ({r['project']['ndcg']:.2f} < {r[baseline]['ndcg']:.2f})"
                          for r in worse))
    grades = {q.text: q.grades for q in judged}
    titles = {doc.id: doc.title for doc in relevance_documents()}
    for text in args.show_top:
        row = next(r for r in report.rows if r["text"] == text)
        for system in report.systems:
            print(f"\n{text} — {system}")
            for rank, doc_id in enumerate(row[system]["top"], 1):
                print(f"  {rank:2} [{grades[text].get(doc_id, 0)}] {doc_id} {titles[doc_id]}")


if __name__ == "__main__":
    sys.exit(main())
