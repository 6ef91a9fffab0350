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

from typing import ClassVar, Literal

from pydantic import Field

from ..fields import Choice, IntTuple, StrictBool
from ..shapes import Shape, adaptive_pool_output_shape, global_pool_output_shape, pool_output_shape
from .base import DataFormat, Layer, PoolPadding, require_rank

#: Adaptive pooling compares `data_format` with the two names as written (no lower-casing).
ExactDataFormat = Choice(
    "channels_last",
    "channels_first",
    description="`channels_last` (batch, ..., channels) or `channels_first` (batch, channels, ...), "
    "in lower case: Keras's adaptive pooling layers refuse other cases. Default: channels_last.",
)


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


class MaxPooling1D(_Pool):
    """Max over `pool_size` steps."""

    TYPES: ClassVar = ("MaxPooling1D", "MaxPool1D")
    OTHER_RANK: ClassVar = {4: "MaxPooling2D", 5: "MaxPooling3D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["MaxPooling1D", "MaxPool1D"]
    pool_size: IntTuple(1) = (2,)
    strides: IntTuple(1) | None = Field(None, description="Defaults to `pool_size`.")


class AveragePooling1D(_Pool):
    """Average over `pool_size` steps."""

    TYPES: ClassVar = ("AveragePooling1D", "AvgPool1D")
    OTHER_RANK: ClassVar = {4: "AveragePooling2D", 5: "AveragePooling3D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["AveragePooling1D", "AvgPool1D"]
    pool_size: IntTuple(1) = Field(description="Size of the pooling window (Keras 3 requires it).")
    strides: IntTuple(1) | None = Field(None, description="Defaults to `pool_size`.")


class MaxPooling2D(_Pool):
    """Max over `pool_size` windows of each channel."""

    TYPES: ClassVar = ("MaxPooling2D", "MaxPool2D")
    OTHER_RANK: ClassVar = {3: "MaxPooling1D", 5: "MaxPooling3D"}
    type: Literal["MaxPooling2D", "MaxPool2D"]
    pool_size: IntTuple(2) = (2, 2)
    strides: IntTuple(2) | None = Field(None, description="Defaults to `pool_size`.")


class AveragePooling2D(_Pool):
    """Average over `pool_size` windows of each channel."""

    TYPES: ClassVar = ("AveragePooling2D", "AvgPool2D")
    OTHER_RANK: ClassVar = {3: "AveragePooling1D", 5: "AveragePooling3D"}
    type: Literal["AveragePooling2D", "AvgPool2D"]
    pool_size: IntTuple(2) = Field(description="Size of the pooling window (Keras 3 requires it).")
    strides: IntTuple(2) | None = Field(None, description="Defaults to `pool_size`.")


class MaxPooling3D(_Pool):
    """Max over `pool_size` windows of each channel of a volume."""

    TYPES: ClassVar = ("MaxPooling3D", "MaxPool3D")
    OTHER_RANK: ClassVar = {3: "MaxPooling1D", 4: "MaxPooling2D"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    type: Literal["MaxPooling3D", "MaxPool3D"]
    pool_size: IntTuple(3) = (2, 2, 2)
    strides: IntTuple(3) | None = Field(None, description="Defaults to `pool_size`.")


class AveragePooling3D(_Pool):
    """Average over `pool_size` windows of each channel of a volume."""

    TYPES: ClassVar = ("AveragePooling3D", "AvgPool3D")
    OTHER_RANK: ClassVar = {3: "AveragePooling1D", 4: "AveragePooling2D"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    type: Literal["AveragePooling3D", "AvgPool3D"]
    pool_size: IntTuple(3) = Field(description="Size of the pooling window (Keras 3 requires it).")
    strides: IntTuple(3) | None = Field(None, description="Defaults to `pool_size`.")


class _GlobalPool(Layer):
    """Pools every spatial axis away: one value per channel."""

    RANK: ClassVar[int] = 0  # the input rank, batch included
    data_format: DataFormat | None = None
    keepdims: StrictBool = False

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, self.RANK)
        return global_pool_output_shape(shape, self.data_format, self.keepdims)


class GlobalAveragePooling1D(_GlobalPool):
    """Average over steps: one value per channel."""

    TYPES: ClassVar = ("GlobalAveragePooling1D", "GlobalAvgPool1D")
    RANK: ClassVar = 3
    OTHER_RANK: ClassVar = {4: "GlobalAveragePooling2D", 5: "GlobalAveragePooling3D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["GlobalAveragePooling1D", "GlobalAvgPool1D"]


class GlobalMaxPooling1D(_GlobalPool):
    """Max over steps: one value per channel."""

    TYPES: ClassVar = ("GlobalMaxPooling1D", "GlobalMaxPool1D")
    RANK: ClassVar = 3
    OTHER_RANK: ClassVar = {4: "GlobalMaxPooling2D", 5: "GlobalMaxPooling3D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["GlobalMaxPooling1D", "GlobalMaxPool1D"]


class GlobalAveragePooling2D(_GlobalPool):
    """Average over rows and columns: one value per channel."""

    TYPES: ClassVar = ("GlobalAveragePooling2D", "GlobalAvgPool2D")
    RANK: ClassVar = 4
    OTHER_RANK: ClassVar = {3: "GlobalAveragePooling1D", 5: "GlobalAveragePooling3D"}
    type: Literal["GlobalAveragePooling2D", "GlobalAvgPool2D"]


class GlobalMaxPooling2D(_GlobalPool):
    """Max over rows and columns: one value per channel."""

    TYPES: ClassVar = ("GlobalMaxPooling2D", "GlobalMaxPool2D")
    RANK: ClassVar = 4
    OTHER_RANK: ClassVar = {3: "GlobalMaxPooling1D", 5: "GlobalMaxPooling3D"}
    type: Literal["GlobalMaxPooling2D", "GlobalMaxPool2D"]


class GlobalAveragePooling3D(_GlobalPool):
    """Average over depth, rows and columns: one value per channel."""

    TYPES: ClassVar = ("GlobalAveragePooling3D", "GlobalAvgPool3D")
    RANK: ClassVar = 5
    OTHER_RANK: ClassVar = {3: "GlobalAveragePooling1D", 4: "GlobalAveragePooling2D"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    type: Literal["GlobalAveragePooling3D", "GlobalAvgPool3D"]


class GlobalMaxPooling3D(_GlobalPool):
    """Max over depth, rows and columns: one value per channel."""

    TYPES: ClassVar = ("GlobalMaxPooling3D", "GlobalMaxPool3D")
    RANK: ClassVar = 5
    OTHER_RANK: ClassVar = {3: "GlobalMaxPooling1D", 4: "GlobalMaxPooling2D"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    type: Literal["GlobalMaxPooling3D", "GlobalMaxPool3D"]


_ADAPTIVE_STRICTER = {
    "output_size": "Keras builds `output_size: 0` (an output of size 0) but the layer fails when called "
    "(a division by zero computing its windows): the spec requires sizes >= 1",
}


class _AdaptivePool(Layer):
    """Pools each channel to a fixed `output_size`, whatever the input's spatial sizes.

    Stricter than Keras on purpose: Keras's adaptive layers declare no input rank, so
    Keras builds them on an input of any rank (with an output shape that the pooling
    op cannot produce) and the model fails on its first batch; the spec refuses an
    input whose rank is not ``len(output_size) + 2`` (KS302). It also refuses
    `output_size: 0` (see ``STRICTER_THAN_KERAS``).
    """

    # Not CONV_KERNEL: the TensorFlow backend transposes channels_first input to
    # channels_last before pooling, so its CPU kernels never see channels_first.
    STRICTER_THAN_KERAS: ClassVar = _ADAPTIVE_STRICTER

    output_size: tuple[int, ...]
    data_format: ExactDataFormat | None = None

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, len(self.output_size) + 2)
        return adaptive_pool_output_shape(shape, self.output_size, self.data_format)

    def run_problems(self, shape: Shape) -> list[tuple[str, str]]:
        # TensorFlow's adaptive pooling takes windows of ceil(n / out) + 1 steps, which must fit in n.
        out: list[tuple[str, str]] = []
        axes = range(2, len(shape)) if self.data_format == "channels_first" else range(1, len(shape) - 1)
        for size, n in zip(self.output_size, (shape[a] for a in axes), strict=True):
            if n is not None and -(-n // size) + 1 > n:
                out.append(
                    (
                        f"{self.kind} to {size} from {n} needs windows of {-(-n // size) + 1} steps, more than "
                        f"the {n} the input has: TensorFlow fails on the first batch (JAX and PyTorch run it)",
                        "use an output_size whose windows fit (a Global pooling layer for one value per "
                        "channel), or train with --backend jax",
                    )
                )
                break
        return out


_OUTPUT_SIZE = "The output's size on each spatial axis: an int for all, or one per axis."


class AdaptiveAveragePooling1D(_AdaptivePool):
    """Average over adaptive windows of steps, to `output_size` steps."""

    TYPES: ClassVar = ("AdaptiveAveragePooling1D",)
    OTHER_RANK: ClassVar = {4: "AdaptiveAveragePooling2D", 5: "AdaptiveAveragePooling3D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["AdaptiveAveragePooling1D"]
    output_size: IntTuple(1, description=_OUTPUT_SIZE)


class AdaptiveAveragePooling2D(_AdaptivePool):
    """Average over adaptive windows, to `output_size` rows and columns."""

    TYPES: ClassVar = ("AdaptiveAveragePooling2D",)
    OTHER_RANK: ClassVar = {3: "AdaptiveAveragePooling1D", 5: "AdaptiveAveragePooling3D"}
    type: Literal["AdaptiveAveragePooling2D"]
    output_size: IntTuple(2, description=_OUTPUT_SIZE)


class AdaptiveAveragePooling3D(_AdaptivePool):
    """Average over adaptive windows, to an `output_size` volume."""

    TYPES: ClassVar = ("AdaptiveAveragePooling3D",)
    OTHER_RANK: ClassVar = {3: "AdaptiveAveragePooling1D", 4: "AdaptiveAveragePooling2D"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    type: Literal["AdaptiveAveragePooling3D"]
    output_size: IntTuple(3, description=_OUTPUT_SIZE)


class AdaptiveMaxPooling1D(_AdaptivePool):
    """Max over adaptive windows of steps, to `output_size` steps."""

    TYPES: ClassVar = ("AdaptiveMaxPooling1D",)
    OTHER_RANK: ClassVar = {4: "AdaptiveMaxPooling2D", 5: "AdaptiveMaxPooling3D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["AdaptiveMaxPooling1D"]
    output_size: IntTuple(1, description=_OUTPUT_SIZE)


class AdaptiveMaxPooling2D(_AdaptivePool):
    """Max over adaptive windows, to `output_size` rows and columns."""

    TYPES: ClassVar = ("AdaptiveMaxPooling2D",)
    OTHER_RANK: ClassVar = {3: "AdaptiveMaxPooling1D", 5: "AdaptiveMaxPooling3D"}
    type: Literal["AdaptiveMaxPooling2D"]
    output_size: IntTuple(2, description=_OUTPUT_SIZE)


class AdaptiveMaxPooling3D(_AdaptivePool):
    """Max over adaptive windows, to an `output_size` volume."""

    TYPES: ClassVar = ("AdaptiveMaxPooling3D",)
    OTHER_RANK: ClassVar = {3: "AdaptiveMaxPooling1D", 4: "AdaptiveMaxPooling2D"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    type: Literal["AdaptiveMaxPooling3D"]
    output_size: IntTuple(3, description=_OUTPUT_SIZE)
