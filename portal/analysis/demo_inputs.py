"""The models' demo inputs: generated example tables listed in
`sample_data/models/<model>/datasets.toml`, loaded through the one ingest path.

Each `[[dataset]]` entry names a slug, title_ko, description_ko, theme, model, role, and either
`file` (relative to the manifest's folder) or `generator = "module:function"` (a function
returning a DataFrame, for tables too big to ship). A `generated = true` dataset gets the
keyword `생성데이터`, so pages mark it as generated, not published data. An optional
`[example]` names the gu and period the inputs cover: the run form starts there. Loading
twice adds nothing: the same file bytes, or the same generated table, make no new version.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from portal.analysis.inputs import GENERATED_KEYWORD
from portal.catalog import datasets as catalog
from portal.catalog.errors import IngestError
from portal.catalog.ingest import ingest_bytes, ingest_file
from portal.catalog.tablestore import TableStore
from portal.progress import no_progress

MANIFEST = "datasets.toml"
SOURCE = "upload"


class ManifestError(ValueError):
    pass


def manifests(demo_dir: Path) -> list[Path]:
    return sorted((Path(demo_dir) / "models").glob(f"*/{MANIFEST}"))


def load_model_inputs(portal, progress=None) -> Counter:
    """Load every manifest's datasets; counts of `new` and `unchanged` table versions."""
    progress = progress or no_progress
    counts: Counter = Counter()
    entries = [(path.parent, entry) for path in manifests(portal.config.demo_dir)
               for entry in _entries(path)]
    with progress(entries, "model demo inputs") as bar:
        for folder, entry in bar:
            with portal.sessions.begin() as session:
                created = load_entry(session, portal.store, folder, entry)
            counts["new" if created else "unchanged"] += 1
    return counts


def _entries(path: Path) -> list[dict[str, Any]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = data.get("dataset", [])
    for entry in entries:
        missing = [key for key in ("slug", "title_ko", "model", "role") if not entry.get(key)]
        if missing or not (entry.get("file") or entry.get("generator")):
            raise ManifestError(f"{path}: dataset {entry.get('slug', '?')!r} needs "
                                f"{', '.join(missing) or 'file or generator'}")
    return entries


def load_entry(session: Session, store: TableStore, folder: Path,
               entry: Mapping[str, Any]) -> bool:
    """Create or update the dataset and ingest its table; True when a version was added."""
    # A manifest may also list a real file as a model's input (`generated = false`).
    generated = entry.get("generated", True)
    keywords = [*([GENERATED_KEYWORD] if generated else []), "분석모델 입력", str(entry["model"])]
    fields = dict(source=SOURCE, source_id=demo_source_id(entry["model"], entry["role"],
                                                         entry["slug"]),
                  title_ko=entry["title_ko"], description_ko=entry.get("description_ko"),
                  keywords=[*keywords, *entry.get("keywords", [])],
                  theme=entry.get("theme", "기타"), kind="file", licence="OTHER",
                  update_cycle="none", visibility="public",
                  owner_org_id=catalog.organisation_by_slug(
                      session, entry.get("owner", "seoul")).id)
    fields = {k: v for k, v in fields.items() if v is not None}
    dataset = catalog.get_by_slug(session, entry["slug"])
    if dataset is None:
        dataset = catalog.create_dataset(session, entry["slug"], **fields)
    else:
        catalog.update_dataset(session, dataset, **fields)
    if entry.get("file"):
        return ingest_file(session, store, dataset, folder / entry["file"]).created
    # Generating a large table costs seconds: the resource remembers which generator source
    # made its table, and the same source is not run again.
    origin = f"generator:{entry['generator']}#{_fingerprint(entry['generator'])}"
    name = f"{entry['slug']}.csv"
    resource = next((r for r in dataset.resources if r.name == name), None)
    if resource is not None and resource.url == origin and resource.table_versions:
        return False
    frame = _generate(entry["generator"])
    # Through the one ingest path, as a file would come; unchanged content adds no version.
    outcome = ingest_bytes(session, store, dataset, frame.to_csv(index=False).encode(), name)
    outcome.version.resource.url = origin
    return outcome.created


@dataclass(frozen=True)
class Example:
    """A manifest's `[example]`: the gu and period its demo inputs cover."""
    gu_code: str
    period_start: date
    period_end: date


def example(demo_dir: Path, model_id: str) -> Example | None:
    path = Path(demo_dir) / "models" / model_id / MANIFEST
    if not path.exists():
        return None
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("example")
    if not table:
        return None
    try:
        return Example(str(table["gu"]), table["period_start"], table["period_end"])
    except KeyError as exc:
        raise ManifestError(f"{path}: [example] needs gu, period_start and period_end "
                            f"(missing {exc})") from None


def demo_source_id(model_id: str, role: str, slug: str) -> str:
    """`models/<model>/<role>/<slug>`: the run form pre-selects a model's demo input by it."""
    return f"models/{model_id}/{role}/{slug}"


def is_demo_input_for(dataset, model_id: str, role: str) -> bool:
    return dataset.source == SOURCE and (dataset.source_id or "").startswith(
        f"models/{model_id}/{role}/")


def _fingerprint(reference: str) -> str:
    module_name = reference.partition(":")[0]
    spec = importlib.util.find_spec(module_name)
    if spec is None or not spec.origin:
        raise IngestError(f"generator {reference!r}: no module {module_name!r}")
    source = Path(spec.origin).read_bytes()
    return hashlib.sha256(reference.encode() + b"\0" + source).hexdigest()[:12]


def _generate(reference: str) -> pd.DataFrame:
    module_name, _, function_name = reference.partition(":")
    try:
        function = getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError) as exc:
        raise IngestError(f"generator {reference!r} cannot be loaded: {exc}") from None
    frame = function()
    if not isinstance(frame, pd.DataFrame):
        raise IngestError(f"generator {reference!r} returned {type(frame).__name__}, "
                          "not a DataFrame")
    return frame
