"""What a query text means, independent of the engine that answers it.

``강동구 와이파이`` becomes two clauses that must both match; each clause is one or more
alternatives (the words typed, then their synonyms), each alternative a list of units
(a Hangul run, a Latin word or a chosung key) that must all match, each unit in any searched field.
Whoosh evaluates the plan over its posting lists; Elasticsearch can map a clause to a ``bool``
``should`` of ``multi_match`` queries over the same pre-tokenized terms.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from indexer import analysis, schema, typo
from indexer.synonyms import Synonyms


@dataclass(frozen=True)
class Unit:
    kind: str                        # "hangul" | "word" | "jamo"
    text: str                        # normalised
    positions: tuple[tuple[str, ...], ...] = ()  # hangul: term alternatives per bigram position

    @property
    def fuzzy_edits(self) -> int:
        return typo.max_edits(self.text) if self.kind == "word" else 0


@dataclass(frozen=True)
class Alternative:
    text: str
    units: tuple[Unit, ...]
    weight: float = 1.0


@dataclass(frozen=True)
class Clause:
    surface: str
    alternatives: tuple[Alternative, ...]


@dataclass
class QueryPlan:
    text: str
    clauses: list[Clause] = field(default_factory=list)
    exact_key: str = ""              # analysis.compact(text): equals a title's key → exact match

    @property
    def empty(self) -> bool:
        return not self.clauses

    def highlight_words(self) -> list[str]:
        """Every normalised word that may have matched, for the highlighter."""
        words = []
        for clause in self.clauses:
            for alternative in clause.alternatives:
                words.extend(unit.text for unit in alternative.units)
        return words


def make_unit(kind: str, text: str) -> Unit:
    if kind == "hangul":
        positions = tuple(tuple(alts) for alts in analysis.hangul_query_terms(text))
        return Unit(kind, text, positions)
    return Unit(kind, text)


def alternative(text: str, weight: float) -> Alternative | None:
    units = []
    for word in text.split():
        units.extend(make_unit(kind, unit) for kind, unit in analysis.query_units(word))
    return Alternative(text, tuple(units), weight) if units else None


def plan_query(text: str, synonyms: Synonyms | None = None) -> QueryPlan:
    words = analysis.normalize(text).split()
    plan = QueryPlan(text=text, exact_key=analysis.compact(text))
    groups = synonyms.expand(words) if synonyms else [(word, []) for word in words]
    for surface, others in groups:
        alternatives = [alternative(surface, 1.0)]
        alternatives += [alternative(other, schema.SYNONYM_WEIGHT) for other in others]
        alternatives = _unique([alt for alt in alternatives if alt])
        if alternatives:
            plan.clauses.append(Clause(surface, tuple(alternatives)))
    return plan


def with_synonym_typos(plan: QueryPlan, synonyms: Synonyms | None, known) -> QueryPlan:
    """Let a mistyped Latin word reach its synonyms: ``wifl`` (unknown to the index, close to
    the synonym key ``wifi``) also searches wifi and all its equivalents, at the typo weight.
    ``known(word)`` tells whether the index has the word in a visible document."""
    if not synonyms:
        return plan
    clauses = []
    for clause in plan.clauses:
        units = clause.alternatives[0].units
        if (len(clause.alternatives) == 1 and len(units) == 1 and units[0].fuzzy_edits
                and not known(units[0].text)):
            key = synonyms.near(units[0].text)
            if key:
                extra = [alternative(term, schema.FUZZY_WEIGHT)
                         for term in [key] + synonyms.lookup(key)]
                alternatives = _unique(list(clause.alternatives) + [a for a in extra if a])
                clause = Clause(clause.surface, tuple(alternatives))
        clauses.append(clause)
    return QueryPlan(plan.text, clauses, plan.exact_key)


def _unique(alternatives: list[Alternative]) -> list[Alternative]:
    seen, out = set(), []
    for alt in alternatives:
        key = tuple((unit.kind, unit.text) for unit in alt.units)
        if key not in seen:
            seen.add(key)
            out.append(alt)
    return out
