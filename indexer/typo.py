"""Typo tolerance: words within a small edit distance, found through a deletion index.

Latin words of four letters or more may differ by one edit (eight or more: two), the rule
Elasticsearch calls ``fuzziness: AUTO`` shifted by one letter so that short codes (AI, IoT, CCTV
at three letters would be too loose) stay exact. ``wifl`` → wifi, ``populaton`` → population.
Hangul words are corrected the same way, one syllable edit, but only for "did you mean".

The deletion index (SymSpell's idea) answers in microseconds where a Levenshtein scan over the
vocabulary would cost milliseconds per query word.
"""
from __future__ import annotations

from itertools import combinations
from typing import Iterable

FUZZY_MIN_LENGTH = 4      # shorter Latin words must match exactly
TWO_EDITS_MIN_LENGTH = 8  # from this length two edits are allowed


def max_edits(word: str) -> int:
    if len(word) >= TWO_EDITS_MIN_LENGTH:
        return 2
    if len(word) >= FUZZY_MIN_LENGTH:
        return 1
    return 0


def _deletions(word: str, edits: int) -> set[str]:
    out = {word}
    for n in range(1, min(edits, len(word) - 1) + 1):
        for positions in combinations(range(len(word)), n):
            out.add("".join(ch for i, ch in enumerate(word) if i not in positions))
    return out


def distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance; stops early past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class TypoIndex:
    """Near neighbours of a word in a fixed vocabulary."""

    def __init__(self, words: Iterable[str], edits: int = 2):
        self.edits = edits
        self.words = set(words)
        self._by_deletion: dict[str, list[str]] = {}
        for word in self.words:
            for key in _deletions(word, min(edits, max_edits(word) or 1)):
                self._by_deletion.setdefault(key, []).append(word)

    def neighbours(self, word: str, edits: int | None = None) -> list[tuple[str, int]]:
        """Vocabulary words within ``edits`` of ``word`` (default: :func:`max_edits`), closest
        first; the word itself is not included."""
        edits = max_edits(word) if edits is None else edits
        if edits == 0:
            return []
        found: dict[str, int] = {}
        for key in _deletions(word, edits):
            for candidate in self._by_deletion.get(key, ()):
                if candidate != word and candidate not in found:
                    d = distance(word, candidate, edits)
                    if d <= edits:
                        found[candidate] = d
        return sorted(found.items(), key=lambda item: (item[1], item[0]))
