"""HTML-safe highlighting with <mark>, shared by backends.

Matching happens on the normalised text (NFKC, case folded) and is mapped back to the original
characters, so ＣＣＴＶ in a title is marked for the query cctv. A Hangul word also matches
across one space (인구통계 marks 인구 통계), mirroring the cross-space bigrams of the index.
"""
from __future__ import annotations

import html
import re
import unicodedata

from indexer import schema
from indexer.analysis import chosung, is_chosung_query

SNIPPET_CHARS = 160


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the original one."""
    pieces, positions = [], []
    for index, ch in enumerate(text):
        piece = unicodedata.normalize("NFKC", ch).casefold()
        pieces.append(piece)
        positions.extend([index] * len(piece))
    return "".join(pieces), positions


def _pattern(words: list[str]) -> re.Pattern | None:
    alternatives = []
    for word in sorted({w for w in words if w}, key=len, reverse=True):
        alternatives.append(r"[\s\-.]?".join(re.escape(ch) for ch in word))
    if not alternatives:
        return None
    return re.compile("|".join(alternatives))


def _chosung_matches(normalised: str, keys: list[str]):
    """Word starts whose initial consonants spell a chosung key (ㅈㅊㅈ marks 주차장)."""
    initials = chosung(normalised)
    for key in keys:
        for match in re.finditer(r"(?<![가-힣])" + re.escape(key), initials):
            if all("가" <= ch <= "힣" for ch in normalised[match.start():match.end()]):
                yield match.start(), match.end()


def spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Merged (start, end) spans of the original text that match any of ``words``."""
    keys = [w for w in words if is_chosung_query(w)]
    pattern = _pattern([w for w in words if not is_chosung_query(w)])
    if not (pattern or keys) or not text:
        return []
    normalised, positions = _normalised_with_map(text)
    matches = [(m.start(), m.end()) for m in pattern.finditer(normalised)] if pattern else []
    matches = sorted(matches + list(_chosung_matches(normalised, keys)))
    found: list[tuple[int, int]] = []
    for match_start, match_end in matches:
        if match_end == match_start:
            continue
        start, end = positions[match_start], positions[match_end - 1] + 1
        if found and start <= found[-1][1]:
            found[-1] = (found[-1][0], max(end, found[-1][1]))
        else:
            found.append((start, end))
    return found


def highlight(text: str, words: list[str], snippet: bool = False,
              size: int = SNIPPET_CHARS) -> str | None:
    """``text`` escaped with matches in <mark>; None when nothing matches.

    ``snippet`` cuts a window of about ``size`` characters around the first match.
    """
    found = spans(text, words)
    if not found:
        return None
    start, end = 0, len(text)
    if snippet and len(text) > size:
        start = max(0, min(found[0][0] - size // 4, len(text) - size))
        end = min(len(text), start + size)
    out, cursor = [], start
    for span_start, span_end in found:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        out.append(html.escape(text[cursor:span_start]))
        out.append("<mark>" + html.escape(text[span_start:span_end]) + "</mark>")
        cursor = span_end
    out.append(html.escape(text[cursor:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(out) + suffix


def highlight_fields(fields: dict, words: list[str], extra_words=None) -> dict[str, str]:
    """<mark> highlights of a hit's declared text fields (a snippet for the description);
    `extra_words(value)` adds words found for that value (typo corrections)."""
    highlights: dict[str, str] = {}
    if not words:
        return highlights
    for text in schema.TEXT_FIELDS:
        if not text.highlight:
            continue
        value = fields.get(text.name)
        if isinstance(value, list):
            value = ", ".join(value)
        value = value or ""
        extra = extra_words(value) if extra_words else []
        marked = highlight(value, words + extra, snippet=text.name == "description")
        if marked:
            highlights[text.name] = marked
    return highlights
