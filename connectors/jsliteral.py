"""Parse JSON that is really a JavaScript literal.

KOSIS answers without `jsonVD=Y` (and its getMeta type=NCD even with it) in a JavaScript
object literal: unquoted keys (`[{ORG_ID:"101",TBL_NM:"…"}]`), sometimes trailing commas,
quotes inside values that nobody escaped, and raw tabs. `json.loads` comes first; only when
it fails is the text repaired, in one pass that tracks whether it is inside a string (a
regex that quotes `word:` would also "fix" the `:` inside `"10:30"`), then parsed again.
"""
from __future__ import annotations

import json

_DELIMITERS = ",}]:"
_CONTROL = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def loads_lenient(text: str, *, missing_key: str | None = None):
    """The value of `text`, strict JSON or a JavaScript literal; ValueError if neither.

    `missing_key` names a key that the source leaves empty (`{A:"1",\t:"2"}` has a raw tab
    where the key should be): it is filled in instead of failing.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    repaired = repair(text, missing_key=missing_key)
    try:
        return json.loads(repaired)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON, even read as a JavaScript literal: {exc}") from None


def repair(text: str, *, missing_key: str | None = None) -> str:
    out: list[str] = []
    stack: list[str] = []       # open { and [
    expect_key = False          # just after { or , inside an object
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            literal, i = _string(text, i)
            out.append(literal)
            expect_key = False
            continue
        if c.isalpha() or c in "_$":
            j = i
            while j < n and (text[j].isalnum() or text[j] in "_$"):
                j += 1
            word = text[i:j]
            out.append(f'"{word}"' if _next_char(text, j) == ":" else word)
            expect_key, i = False, j
            continue
        if c == ":" and expect_key and missing_key:
            out.append(f'"{missing_key}"')
        if c == "," and _next_char(text, i + 1) in ("}", "]"):
            i += 1  # a trailing comma
            continue
        if c in "{[":
            stack.append(c)
        elif c in "}]" and stack:
            stack.pop()
        if c in "{,":
            expect_key = bool(stack) and stack[-1] == "{"
        elif not c.isspace():
            expect_key = False
        out.append(c)
        i += 1
    return "".join(out)


def _next_char(text: str, start: int) -> str:
    for ch in text[start:]:
        if not ch.isspace():
            return ch
    return ""


def _string(text: str, start: int) -> tuple[str, int]:
    """A string literal starting at `start` as a JSON string, and the index after it.

    A quote closes the string only when the next non-space character could follow a
    value (`,` `}` `]` `:` or the end); any other quote is part of the value.
    """
    quote = text[start]
    parts = ['"']
    i, n = start + 1, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            parts.append("'" if text[i + 1] == "'" else text[i:i + 2])
            i += 2
            continue
        if c == quote:
            after = _next_char(text, i + 1)
            if after == "" or after in _DELIMITERS:
                return "".join(parts) + '"', i + 1
            parts.append('\\"' if c == '"' else c)
        elif c == '"':
            parts.append('\\"')
        else:
            parts.append(_CONTROL.get(c, c))
        i += 1
    return "".join(parts) + '"', n  # unterminated: json.loads will say so
