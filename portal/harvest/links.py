"""Cross-source links: a record that names another source's entry as the same data.

One rule: the entry that *names* another points at it (`Dataset.same_as_id`), and the named
one is what lists and search show; the naming entry stays reachable by its URL and appears
on the other's page under "다른 출처". What the recorded sources name:

- a LOCALDATA licence file says which Seoul Plaza dataset publishes the same file
  (`extras["seoul_dataset"]`: 서울/영화상영관 → OA-16053);
- a Seoul catalog entry whose link, page or resource URL is a KOSIS table
  (`…statHtml.do?orgId=101&tblId=DT_1B04005N`) is that KOSIS table (`kosis`, `101/DT_1B04005N`).

A link is (re)computed every time the naming entry is harvested, so it appears as soon as
both entries exist, whichever source was harvested first, and goes when the source stops
naming the other.
"""
from __future__ import annotations

import re

from connectors import DatasetRecord

_KOSIS_TABLE = re.compile(r"kosis\.kr/.*?[?&]orgId=(\w+)&(?:amp;)?tblId=(\w+)", re.IGNORECASE)

Key = tuple[str, str]   # (source, source_id)


def named_entries(record: DatasetRecord) -> list[Key]:
    """The other sources' entries this record says it is the same as, in the order named."""
    named: list[Key] = []
    seoul_id = record.extras.get("seoul_dataset")
    if seoul_id and record.source != "seoul":
        named.append(("seoul", seoul_id))
    if record.source != "kosis":
        urls = [record.source_url or "", record.extras.get("link", ""),
                *(r.url for r in record.resources)]
        for url in urls:
            match = _KOSIS_TABLE.search(url or "")
            if match:
                named.append(("kosis", f"{match.group(1)}/{match.group(2)}"))
    return list(dict.fromkeys(named))


class LinkIndex:
    """Every dataset's (source, source_id) → [id, same_as_id], loaded once per run."""

    def __init__(self, rows):
        self.entries: dict[Key, list] = {(s, i): [dataset_id, same_as]
                                         for s, i, dataset_id, same_as in rows}

    def add(self, key: Key, dataset_id: int, same_as_id: int | None) -> None:
        self.entries[key] = [dataset_id, same_as_id]

    def primary_for(self, record: DatasetRecord) -> int | None:
        """The id the record's dataset should point at, or None. A named entry that points
        elsewhere itself is followed one step, and nothing points back at itself."""
        own = self.entries.get((record.source, record.source_id))
        own_id = own[0] if own else None
        for key in named_entries(record):
            target = self.entries.get(key)
            if target is None:
                continue  # not harvested yet: linked by a later run
            primary = target[1] or target[0]
            if primary != own_id:
                return primary
        return None
