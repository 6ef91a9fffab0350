"""Regularization layers: dropout and noise, the identity at inference."""

from __future__ import annotations

from typing import ClassVar, Literal

from ..fields import Rate, StrictInt
from ..shapes import Shape
from .base import DataFormat, Layer, require_rank


class _Regularization(Layer):
    """A layer that only acts while training: rules look through it at the output."""

    def output_shape(self, shape: Shape) -> Shape:
        return shape

    def output_activation(self) -> str | None:
        return None


class Dropout(_Regularization):
    """Sets a fraction `rate` of inputs to 0 while training."""

    TYPES: ClassVar = ("Dropout",)
    type: Literal["Dropout"]
    rate: Rate
    seed: StrictInt | None = None


class SpatialDropout2D(_Regularization):
    """Drops whole feature maps of 4D inputs while training."""

    TYPES: ClassVar = ("SpatialDropout2D",)
    type: Literal["SpatialDropout2D"]
    rate: Rate
    data_format: DataFormat | None = None
    seed: StrictInt | None = None

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, 4)
        return shape
