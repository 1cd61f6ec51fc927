"""The declared parameters, read from `defaults.toml` beside this file.

The file holds the values and, in `[label_ko]`, `[why_ko]` and `[range]`, the label, the
reason and the allowed range of each: the declaration is data, not code. `load_defaults`
flattens tables to dotted names, so those three tables arrive as `label_ko.<name>` keys.
"""
from __future__ import annotations

from pathlib import Path

from models_std.base import Parameter
from models_std.parameters import load_defaults

DEFAULTS_FILE = Path(__file__).with_name("defaults.toml")
_META = ("label_ko.", "why_ko.", "range.")


def load_parameters(path: Path = DEFAULTS_FILE) -> tuple[str, tuple[Parameter, ...]]:
    version, flat = load_defaults(path)
    values = {k: v for k, v in flat.items() if not k.startswith(_META)}
    parameters = []
    for name, default in values.items():
        low, high = flat.get(f"range.{name}", (None, None))
        parameters.append(Parameter(
            name=name, label_ko=flat.get(f"label_ko.{name}", name), default=default,
            description_ko=flat.get(f"why_ko.{name}", ""),
            group="weights" if name.startswith("weights.") else name.split(".")[0],
            minimum=low, maximum=high))
    return version, tuple(parameters)
