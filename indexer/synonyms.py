"""Query-time synonyms read from a plain text file operators can edit (indexer/synonyms.txt).

Synonyms are applied to the query, never to the index: editing the file takes effect on the next
start without a rebuild, and the Elasticsearch backend can load the same file into a
``synonym_graph`` filter or expand queries with :meth:`Synonyms.expand` exactly like Whoosh does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from indexer.analysis import compact
from indexer.typo import TypoIndex

DEFAULT_PATH = Path(__file__).with_name("synonyms.txt")
MAX_PHRASE_WORDS = 3   # longest synonym phrase looked for in a query ("공공 와이파이 위치")
_EQUIV_SPLIT = re.compile(r"\s*[=,]\s*")


class SynonymFileError(ValueError):
    """A line of the synonym file cannot be read; the message names the file and line."""


@dataclass
class Synonyms:
    """Maps a compact key (see :func:`indexer.analysis.compact`) to the terms it also means."""

    expansions: dict[str, list[str]] = field(default_factory=dict)
    _typos: TypoIndex | None = field(default=None, repr=False)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Synonyms":
        path = Path(path) if path else DEFAULT_PATH
        synonyms = cls()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                synonyms.add_line(line)
            except ValueError as error:
                raise SynonymFileError(f"{path}:{number}: {error} in {line!r}") from None
        return synonyms

    def add_line(self, line: str) -> None:
        if "=>" in line:
            left, right = line.split("=>", 1)
            sources = _terms(left)
            targets = _terms(right)
            if not sources or not targets:
                raise ValueError("'a => b' needs terms on both sides")
            group = sources + targets
            for term in sources:
                self._add(term, group)
            return
        terms = _terms(line)
        if len(terms) < 2:
            raise ValueError("a group needs at least two terms separated by '=' or ','")
        for term in terms:
            self._add(term, terms)

    def _add(self, term: str, group: list[str]) -> None:
        key = compact(term)
        known = self.expansions.setdefault(key, [])
        for other in group:
            if compact(other) != key and other not in known:
                known.append(other)

    def lookup(self, text: str) -> list[str]:
        """The other terms a query word or phrase also means (empty when none)."""
        return list(self.expansions.get(compact(text), ()))

    def expand(self, words: list[str]) -> list[tuple[str, list[str]]]:
        """Groups query words into (surface, alternatives); the longest synonym phrase wins.

        ``["공공", "와이파이", "위치"]`` → ``[("공공 와이파이", [...]), ("위치", [])]``.
        """
        out: list[tuple[str, list[str]]] = []
        i = 0
        while i < len(words):
            for j in range(min(len(words), i + MAX_PHRASE_WORDS), i, -1):
                phrase = " ".join(words[i:j])
                alternatives = self.lookup(phrase)
                if alternatives or j == i + 1:
                    out.append((phrase, alternatives))
                    i = j
                    break
        return out

    def near(self, word: str) -> str | None:
        """The Latin synonym key a mistyped word was meant to be (wifl → wifi), if any."""
        if self._typos is None:
            self._typos = TypoIndex(key for key in self.expansions if key.isascii())
        found = self._typos.neighbours(compact(word))
        return found[0][0] if found else None

    def __len__(self) -> int:
        return len(self.expansions)


def _terms(text: str) -> list[str]:
    return [term for term in _EQUIV_SPLIT.split(text.strip()) if term]
