"""Normalization layers: over the batch, over each sample."""

from __future__ import annotations

import math
from typing import ClassVar, Literal

from ..fields import PositiveFloat, Rate, StrictBool, StrictInt
from ..shapes import Shape, ShapeError, fmt_shape, normalize_axis
from .base import Layer, Weight


def axis_size(layer: Layer, shape: Shape, axis: int) -> int:
    """The size of a normalized axis, which the weights are made from (KS309/KS308)."""
    size = shape[axis]
    if axis == 0:
        raise ShapeError(
            "KS309",
            f"{layer.kind} `axis` {getattr(layer, 'axis', 0)} is the batch axis, whose size is unknown, "
            f"so Keras cannot create its weights: input {fmt_shape(shape)}",
            "axis",
            "Keras counts the batch as axis 0; use -1 for the last axis (the channels in channels_last data)",
        )
    if size is None:
        raise ShapeError(
            "KS308",
            f"{layer.kind} normalizes over axis {axis}, whose size is unknown, so Keras cannot "
            f"create its weights: input {fmt_shape(shape)}",
            None,
            "give that axis a size in the input shape",
        )
    return size


class BatchNormalization(Layer):
    """Normalizes over the batch; 2 trainable and 2 non-trainable weights per channel."""

    TYPES: ClassVar = ("BatchNormalization",)
    type: Literal["BatchNormalization"]
    axis: StrictInt = -1
    momentum: Rate = 0.99
    epsilon: PositiveFloat = 1e-3
    center: StrictBool = True
    scale: StrictBool = True

    def _size(self, shape: Shape) -> int:
        return axis_size(self, shape, normalize_axis(self.axis, len(shape), layer=self.kind))

    def output_shape(self, shape: Shape) -> Shape:
        self._size(shape)
        return shape

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        n = (self._size(shape),)
        out = []
        if self.scale:
            out.append(Weight("gamma", n))
        if self.center:
            out.append(Weight("beta", n))
        # The moving statistics never train.
        return (*out, Weight("moving_mean", n, False), Weight("moving_variance", n, False))


class LayerNormalization(Layer):
    """Normalizes each sample over `axis`."""

    TYPES: ClassVar = ("LayerNormalization",)
    type: Literal["LayerNormalization"]
    axis: StrictInt | list[StrictInt] = -1
    epsilon: PositiveFloat = 1e-3
    center: StrictBool = True
    scale: StrictBool = True
    rms_scaling: StrictBool = False

    def _sizes(self, shape: Shape) -> list[int]:
        axes = [self.axis] if isinstance(self.axis, int) else list(self.axis)
        norm = [normalize_axis(a, len(shape), layer=self.kind) for a in axes]
        return [axis_size(self, shape, a) for a in norm]

    def output_shape(self, shape: Shape) -> Shape:
        axes = [self.axis] if isinstance(self.axis, int) else list(self.axis)
        for a in axes:
            normalize_axis(a, len(shape), layer=self.kind)
        if self.scale or self.rms_scaling or self.center:
            self._sizes(shape)
        return shape

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        # One weight of shape (size of each listed axis, repeats included: Keras indexes
        # the shape with the sorted list as given) for gamma and for beta.
        if not (self.scale or self.rms_scaling or self.center):
            return ()
        n = (math.prod(self._sizes(shape)),)
        out = []
        if self.scale or self.rms_scaling:
            out.append(Weight("gamma", n))
        if self.center and not self.rms_scaling:
            out.append(Weight("beta", n))
        return tuple(out)
