"""Reshaping layers: flatten, reshape, pad, crop, upsample, repeat, permute.

What Keras 3 does (``keras/src/layers/reshaping/``), checked by building each layer:
every layer here checks the exact input rank; `data_format` is lower-cased;
ZeroPadding1D and Cropping1D take an int or a (before, after) pair, the 2D and
3D ones an int or one entry per axis, each an int or a pair (entries may mix);
Cropping1D has no `data_format` (it crops axis 1); UpSampling1D and RepeatVector
take a plain int (a list is a TypeError); UpSampling2D lower-cases `interpolation`.
"""

from typing import ClassVar

from ...shapes import (
    Shape,
)
from ..base import DataFormat, Layer, require_rank

#: The modules of the family, one per kind of layer, in the order the docs list them.
PARTS = ("flatten", "reshape", "zero_padding", "cropping", "up_sampling", "repeat_vector", "permute")


class _Spatial(Layer):
    """A layer over the spatial axes of a `(batch, ..., channels)` input of a fixed rank."""

    RANK: ClassVar[int] = 0  # the input rank, batch included
    data_format: DataFormat | None = None

    def check_rank(self, shape: Shape) -> None:
        require_rank(self, shape, self.RANK)


_NEGATIVE_PADDING = (
    "Keras builds a negative int `padding` (it shrinks the output shape) but the layer fails "
    "when called (a negative pad): the spec requires sizes >= 0, as Keras does for the list forms"
)
