"""Adaptive max and average pooling, 1D to 3D: windows sized to give the output size."""

from typing import ClassVar, Literal

from ...fields import Choice, IntTuple
from ...shapes import Shape, adaptive_pool_output_shape
from ..base import Layer, require_rank

#: Adaptive pooling compares `data_format` with the two names as written (no lower-casing).
ExactDataFormat = Choice(
    "channels_last",
    "channels_first",
    description="`channels_last` (batch, ..., channels) or `channels_first` (batch, channels, ...), "
    "in lower case: Keras's adaptive pooling layers refuse other cases. Default: channels_last.",
)


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
