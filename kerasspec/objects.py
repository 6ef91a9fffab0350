"""Objects layers take as arguments: activations, initializers, regularizers, constraints.

Wherever Keras takes an object or its string name, a spec writes the name
(``kernel_initializer: he_normal``) or the object as ``{type: <Keras class>, ...args}``
(``{type: RandomNormal, stddev: 0.02}``). Each object class lists its Keras
constructor arguments with Keras's defaults; ``build`` turns it into the Keras
object with :meth:`KerasObject.to_keras`.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict

from . import names
from .fields import Name, NonNegativeFloat


class KerasObject(BaseModel):
    """A Keras object written as a mapping: ``type`` names its class in ``MODULE``."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)

    MODULE: ClassVar[str] = ""  # the keras sub-module holding the class: "initializers"...

    def keras_kwargs(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in type(self).model_fields if k != "type"}

    def to_keras(self, keras: Any) -> Any:
        cls = getattr(getattr(keras, self.MODULE), self.type)  # type: ignore[attr-defined]
        return cls(**{k: to_keras(v, keras) for k, v in self.keras_kwargs().items()})


def to_keras(value: Any, keras: Any) -> Any:
    """A validated argument as Keras takes it: objects become Keras objects, the rest is as is."""
    if isinstance(value, KerasObject):
        return value.to_keras(keras)
    return value


Activation = Name(names.ACTIVATIONS, code="KS207", what="activation")
Initializer = Name(names.INITIALIZERS, code="KS206", what="initializer")
Constraint = Name(names.CONSTRAINTS, code="KS206", what="constraint")


class RegularizerConfig(KerasObject):
    """A weight penalty: `{type: L2, l2: 0.01}`, `{type: L1, l1: 0.01}` or `{type: L1L2, l1: ..., l2: ...}`."""

    MODULE: ClassVar[str] = "regularizers"
    type: Literal["L1", "L2", "L1L2"]
    l1: NonNegativeFloat | None = None
    l2: NonNegativeFloat | None = None

    def keras_kwargs(self) -> dict[str, Any]:
        return {k: v for k, v in (("l1", self.l1), ("l2", self.l2)) if v is not None and k.upper() in self.type}


Regularizer = Union[Name(names.REGULARIZERS, code="KS206", what="regularizer"), RegularizerConfig]  # noqa: UP007
