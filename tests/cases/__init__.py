"""Table rows for the layer catalogue, one module per family of ``kerasspec.layers``.

Each module holds, for the layer definitions of its family:

- ``RULE_CASES``: ``(layer fields, input shape with batch, expected)`` rows, where
  ``expected`` is ``(output shape, trainable params, non-trainable params)`` or the
  ShapeError code the rule raises. ``tests/test_catalogue.py`` runs every row
  through the definition and, for the accepted ones, through real Keras too.
- ``BUILD_CASES``: ``{class name: (required fields, sample shape)}``: one
  minimal valid use of each definition, which the catalogue test builds in Keras.
- ``STRATEGIES``: ``{type: strategy}``, hypothesis strategies drawing raw layer
  mappings as users write them (any spelling Keras takes), for the raw differential
  test (``tests/test_differential_raw.py``). A strategy is a function of the input
  rank (batch included) returning a strategy of dicts without ``type``.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from kerasspec.layers import FAMILIES


def modules() -> list[ModuleType]:
    out = []
    for family in FAMILIES:
        try:
            out.append(importlib.import_module(f"cases.{family}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"cases.{family}":
                raise
    return out


def rule_cases() -> list[tuple[dict[str, Any], tuple[Any, ...], Any]]:
    return [row for m in modules() for row in getattr(m, "RULE_CASES", [])]


def build_cases() -> dict[str, tuple[dict[str, Any], tuple[Any, ...]]]:
    out: dict[str, tuple[dict[str, Any], tuple[Any, ...]]] = {}
    for m in modules():
        out.update(getattr(m, "BUILD_CASES", {}))
    return out


def strategies() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in modules():
        out.update(getattr(m, "STRATEGIES", {}))
    return out
