"""docs/spec.md is generated from the schema; it must match the code."""

from __future__ import annotations

from pathlib import Path

from kerasspec import layers as KL
from kerasspec.reference import render

ROOT = Path(__file__).resolve().parent.parent


def test_spec_reference_is_current() -> None:
    committed = (ROOT / "docs" / "spec.md").read_text(encoding="utf-8")
    assert committed == render(), "run `make docs` and commit docs/spec.md"


def test_reference_covers_every_layer_and_field() -> None:
    text = render()
    for cls in KL.all_classes():
        assert f"### {cls.TYPES[0]}" in text
        for name, field in cls.model_fields.items():
            if name != "type":
                shown = field.alias or name  # EinsumDense writes `output_shape`, stored apart from the shape rule
                assert f"| `{shown}` |" in text, (cls.__name__, shown)
