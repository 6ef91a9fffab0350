"""Preprocessing and augmentation layers: rescaling, normalization, resizing, random transforms."""

from __future__ import annotations

from typing import ClassVar, Literal

from ..fields import StrictFloat
from ..shapes import Shape
from .base import Layer


class Rescaling(Layer):
    """Multiplies by `scale` and adds `offset`, e.g. `scale: 0.00392156862745098` for 1/255."""

    TYPES: ClassVar = ("Rescaling",)
    type: Literal["Rescaling"]
    scale: StrictFloat
    offset: StrictFloat = 0.0

    def output_shape(self, shape: Shape) -> Shape:
        return shape

    def output_activation(self) -> str | None:
        return "linear"
