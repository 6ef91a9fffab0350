"""The audit's bugs, planted one at a time: each must fail the oracle written to catch it (issue #13).

An outside audit found that a parser reading ``kernel_size: 3`` as ``(3, 1)`` and a changed
default passed every test. These tests plant exactly those bugs (by monkeypatching, for the
length of one test) and assert that the raw-document differential and the defaults test
fail on them. The rule branches the audit removed (KS401, KS502's promotion) are mutants
that ``make mutation`` plants; its score is in docs/analysis.md.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

import pytest

pytest.importorskip("keras")

import test_catalogue
import test_differential_raw

import kerasspec.layers
from kerasspec.layers import layer_class

pytestmark = [pytest.mark.keras]

CONV = {"input_shape": [12, 12, 3], "layers": [{"type": "Conv2D", "filters": 4, "kernel_size": 3}]}


class _ReadsIntAsRows:
    """A Conv2D definition whose parser reads an int `kernel_size` as (k, 1): the audit's bug."""

    def __init__(self, cls: type[Any]) -> None:
        self.cls = cls

    def model_validate(self, value: dict[str, Any]) -> Any:
        layer = self.cls.model_validate(value)
        if isinstance(value.get("kernel_size"), int):
            layer = layer.model_copy(update={"kernel_size": (value["kernel_size"], 1)})
        return layer


def test_the_differential_catches_an_int_kernel_size_read_as_one_axis(monkeypatch: pytest.MonkeyPatch) -> None:
    test_differential_raw.compare("Conv2D", CONV, Counter())  # the real parser agrees with Keras
    conv2d = layer_class("Conv2D")
    monkeypatch.setattr(kerasspec.layers, "layer_class", lambda t: _ReadsIntAsRows(conv2d) if t == "Conv2D" else layer_class(t))
    with pytest.raises(AssertionError, match="Keras and kerasspec differ"):
        test_differential_raw.compare("Conv2D", CONV, Counter())


def _with_default(cls: type[Any], field: str, default: Any) -> type[Any]:
    """``cls`` with one field's default changed (or a required field given one), same name and types."""
    info = cls.model_fields[field]
    annotation = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
    return type(cls.__name__, (cls,), {"__annotations__": {field: annotation}, field: default, "__module__": cls.__module__})


@pytest.mark.parametrize(
    ("kind", "field", "default"),
    [
        ("AveragePooling2D", "pool_size", (2, 2)),  # Keras requires it: the audit's example
        ("Conv2D", "strides", (2, 2)),  # Keras's default is 1
        ("Dense", "use_bias", False),
    ],
)
def test_the_defaults_test_catches_a_changed_default(kind: str, field: str, default: Any) -> None:
    cls = layer_class(kind)
    assert cls is not None
    test_catalogue.test_arguments_and_defaults_are_keras_own(cls)  # the real definition agrees
    with pytest.raises((AssertionError, pytest.fail.Exception)):
        test_catalogue.test_arguments_and_defaults_are_keras_own(_with_default(cls, field, default))
