"""Korean text analysis, defined once for every backend.

The measured choice (docs/search.md, shared/reference/search_eval.md §2): NFKC + case folding,
Hangul runs → overlapping syllable bigrams, Latin/digit runs → words. A query word matches a field when all
its bigrams are in that field, which behaves like substring search: 인구 finds 주민등록인구 and 시장
finds 전통시장, with no dictionary and no native dependency.

Two marked extras keep precision while fixing the misses that plain bigrams have:

* cross-space bigrams (``_구통`` for ``인구 통계``) so 인구통계 finds 인구 통계; only query words of
  three or more syllables may use them (a two-syllable word would turn ``서울시 장애인`` into 시장);
* a run-final unigram (``$숲`` for ``서울숲``) so a one-syllable query finds a word that ends with it
  (a one-syllable query otherwise expands to every bigram that starts with the syllable).

Backends receive tokens as plain strings: Whoosh indexes them directly, Elasticsearch can index the
same strings with a whitespace analyzer, so both see exactly the same terms.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterator

CROSS_MARK = "_"   # prefix of a bigram that spans one space between two Hangul runs
FINAL_MARK = "$"   # prefix of the last syllable of a Hangul run of two or more syllables
MAX_EDGE = 10      # longest chosung prefix indexed (syllables)

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
CHOSUNG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_CHOSUNG_SET = frozenset(CHOSUNG)

# One pass classifies the normalised text into runs: Hangul syllables (and CJK ideographs, which
# some official names still use), compatibility jamo (chosung queries), other letters/digits, and
# Latin words joined by "-" or "." (Wi-Fi, S-DoT) so that the joined form can be indexed too.
_RUN = re.compile(
    r"(?P<hangul>[\uac00-\ud7a3\u4e00-\u9fff]+)"
    r"|(?P<jamo>[\u3131-\u314e]+)"
    r"|(?P<word>[^\W_\uac00-\ud7a3\u4e00-\u9fff\u3131-\u318e]+"
    r"(?:[-.][^\W_\uac00-\ud7a3\u4e00-\u9fff\u3131-\u318e]+)*)"
)
_JOINERS = re.compile(r"[-.]")
_SPACE_ONLY = re.compile(r"^\s+$")


# NFKC turns the compatibility jamo people type (ㄱ, U+3131) into conjoining jamo (U+1100);
# map them back so that a chosung query stays in the ㄱ-ㅎ block the index uses.
_JAMO_BACK = {ord(unicodedata.normalize("NFKC", chr(code))): chr(code)
              for code in range(0x3131, 0x318F)
              if len(unicodedata.normalize("NFKC", chr(code))) == 1}


def normalize(text: str) -> str:
    """NFKC (full-width ＣＣＴＶ → CCTV, ㈜ → (주)) then case folding."""
    return unicodedata.normalize("NFKC", text or "").casefold().translate(_JAMO_BACK)


def compact(text: str) -> str:
    """The key used for synonyms and exact-title matching: normalised, without spaces or
    punctuation, so ``Wi-Fi``, ``wi fi`` and ``WIFI`` are one key."""
    return "".join(ch for ch in normalize(text) if ch.isalnum())


def is_hangul(ch: str) -> bool:
    return _HANGUL_FIRST <= ord(ch) <= _HANGUL_LAST


def is_chosung_query(word: str) -> bool:
    """A word typed only in initial consonants (ㄱㄷㄱ) is a chosung query."""
    return bool(word) and all(ch in _CHOSUNG_SET for ch in word)


def chosung(text: str) -> str:
    """Initial consonants of Hangul syllables; other characters pass through unchanged."""
    out = []
    for ch in text:
        code = ord(ch)
        if _HANGUL_FIRST <= code <= _HANGUL_LAST:
            out.append(CHOSUNG[(code - _HANGUL_FIRST) // 588])
        else:
            out.append(ch)
    return "".join(out)


def bigrams(run: str) -> list[str]:
    """Overlapping syllable bigrams of one Hangul run; a one-syllable run stays a unigram."""
    if len(run) < 2:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def _runs(text: str) -> Iterator[tuple[str, str, int, int]]:
    for match in _RUN.finditer(text):
        yield match.lastgroup, match.group(), match.start(), match.end()


def index_tokens(text: str, cross_space: bool = False, final_unigrams: bool = False) -> list[str]:
    """Tokens of an indexed field (duplicates kept: they are term frequencies).

    ``cross_space`` and ``final_unigrams`` are for short fields (title, keywords, organisation);
    the description does without them, which keeps the index and the build smaller.
    """
    text = normalize(text)
    tokens: list[str] = []
    previous: tuple[str, str, int] | None = None   # (kind, run, end) of the last run
    for kind, run, start, end in _runs(text):
        if kind == "hangul":
            tokens.extend(bigrams(run))
            if final_unigrams and len(run) > 1:
                tokens.append(FINAL_MARK + run[-1])
            if (cross_space and previous and previous[0] == "hangul"
                    and _SPACE_ONLY.match(text[previous[2]:start])):
                tokens.append(CROSS_MARK + previous[1][-1] + run[0])
        elif kind == "word":
            tokens.extend(_word_tokens(run))
        previous = (kind, run, end)
    return tokens


def _word_tokens(run: str) -> list[str]:
    parts = [part for part in _JOINERS.split(run) if part]
    if len(parts) > 1:
        return parts + ["".join(parts)]
    return parts


def word_tokens(text: str) -> list[str]:
    """Whole words (Hangul runs and Latin words), for spelling correction vocabularies."""
    words = []
    for kind, run, _, _ in _runs(normalize(text)):
        if kind == "hangul":
            words.append(run)
        elif kind == "word":
            words.append("".join(part for part in _JOINERS.split(run) if part))
    return words


def chosung_tokens(text: str) -> list[str]:
    """Per-word edge n-grams of the initial consonants: 강동구 주민등록 → ㄱㄷ ㄱㄷㄱ ㅈㅁ ㅈㅁㄷ ㅈㅁㄷㄹ.

    Prefix semantics, as measured: precise on titles (ㄱㄷㄱ → only 강동구). Infix chosung
    (a bigram over the 19-letter alphabet) matched far too much to be useful. One-letter prefixes
    are not indexed: they would match almost everything.

    Korean titles glue words into compounds (공영주차장, 거주자우선주차장), so a word is also
    keyed from each later syllable, for three letters or more: ㅈㅊㅈ finds 공영주차장 while a
    two-letter key stays a prefix (ㅈㅊ alone would match too much inside words).
    """
    grams: list[str] = []
    for kind, run, _, _ in _runs(normalize(text)):
        if kind != "hangul":
            continue
        initials = chosung(run)
        grams.extend(initials[:n] for n in range(2, min(len(initials), MAX_EDGE) + 1))
        for start in range(1, len(initials) - 2):
            rest = initials[start:start + MAX_EDGE]
            grams.extend(rest[:n] for n in range(3, len(rest) + 1))
    return grams


def query_units(word: str) -> list[tuple[str, str]]:
    """Split one whitespace-separated query word into units, each ``(kind, text)``.

    kind is ``hangul`` (a run), ``word`` (Latin/digits, joined over - and .) or ``jamo``.
    ``CCTV설치`` → [("word", "cctv"), ("hangul", "설치")]. The units of a word are ANDed.
    """
    units = []
    for kind, run, _, _ in _runs(normalize(word)):
        if kind == "word":
            run = "".join(part for part in _JOINERS.split(run) if part)
        units.append((kind, run))
    return units


def hangul_query_terms(run: str) -> list[list[str]]:
    """Terms for one Hangul query run: a list of alternatives per position, all positions ANDed.

    Two syllables: the bigram itself. Three or more: each bigram may also be a marked cross-space
    bigram, so 인구통계 finds 인구 통계 but 시장 never matches 서울시 장애인.
    """
    if len(run) == 1:
        return [[run]]
    grams = bigrams(run)
    if len(run) == 2:
        return [grams]
    return [[gram, CROSS_MARK + gram] for gram in grams]
