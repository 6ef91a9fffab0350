"""Pooling layers: windowed max and average, global and adaptive pooling, in 1D, 2D and 3D.

What Keras 3 does (``keras/src/layers/pooling/``), checked by building each layer:

- windowed pooling (``BasePooling``) lower-cases `data_format` but not `padding`:
  ``compute_pooling_output_shape`` refuses `SAME` or `Same` when the layer is called;
  the input rank must be exactly ``len(pool_size) + 2``; `strides` default to `pool_size`;
- the max layers default `pool_size` to 2 on every axis; the average layers require it;
- global pooling lower-cases `data_format` and checks the rank;
- adaptive pooling (new in Keras 3) takes `data_format` as written (``Channels_Last`` is
  refused) and has no InputSpec: its output is ``(batch, *output_size, channels)``
  whatever the input.
"""

from typing import ClassVar

from ...shapes import Shape, pool_output_shape
from ..base import DataFormat, Layer, PoolPadding, require_rank

#: The modules of the family, one per kind of layer, in the order the docs list them.
PARTS = ("pooling1d", "pooling2d", "pooling3d", "global_pool", "adaptive_pool")


class _Pool(Layer):
    """Max or average over `pool_size` windows of each channel; `strides` default to `pool_size`."""

    CONV_KERNEL: ClassVar = True

    pool_size: tuple[int, ...]
    strides: tuple[int, ...] | None
    padding: PoolPadding = "valid"
    data_format: DataFormat | None = None

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, len(self.pool_size) + 2)
        return pool_output_shape(shape, self.pool_size, self.strides, self.padding, self.data_format, layer=self.kind)
