"""The models this portal knows, and which of them a dataset's columns can feed."""
from __future__ import annotations

import importlib
from collections.abc import Iterable

from models_std.base import InputRole, ModelSpec

_MODELS: dict[str, ModelSpec] = {}


def register(spec: ModelSpec) -> ModelSpec:
    if spec.id in _MODELS and _MODELS[spec.id] is not spec:
        raise ValueError(f"model id {spec.id!r} is registered twice")
    _MODELS[spec.id] = spec
    return spec


# Importing a model package registers it; adding a model is adding a package here.
BUILTIN_PACKAGES = ("models_std.festival", "models_std.market")


def _load_builtin() -> None:
    for package in BUILTIN_PACKAGES:
        try:
            importlib.import_module(package)
        except ModuleNotFoundError as exc:
            # A package not written yet is skipped; a broken import inside one still fails.
            if exc.name != package:
                raise


def all_models() -> list[ModelSpec]:
    _load_builtin()
    return sorted(_MODELS.values(), key=lambda s: s.id)


def get(model_id: str) -> ModelSpec | None:
    _load_builtin()
    return _MODELS.get(model_id)


def matching_roles(tags: Iterable[str]) -> list[tuple[ModelSpec, InputRole]]:
    """Every (model, input role) whose required tags are all among `tags`."""
    present = set(tags)
    return [(spec, role) for spec in all_models() for role in spec.inputs
            if role.required_tags and role.required_tags <= present]
