"""Default weights and parameters live in a versioned TOML file beside each model.

Changing a default is a new version of the file; a run stores the parameters it used and
their hash, so an old result stays reproducible.
"""
from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from models_std.base import ModelSpec


class ParameterError(ValueError):
    """A parameter the model does not declare, or a value outside its range."""


def load_defaults(path: Path) -> tuple[str, dict[str, Any]]:
    """(version, {name: value}) from a model's `defaults.toml`; nested tables flatten to
    dotted names (`[weights] uplift = 0.3` → `weights.uplift`)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    version = str(data.pop("version"))
    return version, _flatten(data)


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def resolve(spec: ModelSpec, given: Mapping[str, Any] | None) -> dict[str, Any]:
    """Every declared parameter, the given values over the defaults, checked."""
    params = spec.defaults()
    declared = {p.name: p for p in spec.parameters}
    for name, value in (given or {}).items():
        if name not in declared:
            raise ParameterError(f"model {spec.id} has no parameter {name!r}")
        p = declared[name]
        if isinstance(p.default, (int, float)) and not isinstance(p.default, bool):
            try:
                value = type(p.default)(value) if not isinstance(p.default, int) else float(value)
            except (TypeError, ValueError):
                raise ParameterError(f"{name}: {value!r} is not a number") from None
            if p.minimum is not None and value < p.minimum:
                raise ParameterError(f"{name}: {value} is below the minimum {p.minimum}")
            if p.maximum is not None and value > p.maximum:
                raise ParameterError(f"{name}: {value} is above the maximum {p.maximum}")
            if isinstance(p.default, int) and float(value).is_integer():
                value = int(value)
        params[name] = value
    return params


def parameter_hash(parameters: Mapping[str, Any]) -> str:
    """SHA-256 of the parameters in a canonical JSON form (sorted keys)."""
    text = json.dumps(dict(parameters), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
