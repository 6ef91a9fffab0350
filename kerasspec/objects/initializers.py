"""Initializers (``keras.initializers``): the objects a layer's ``*_initializer`` fields take."""

from typing import ClassVar, Literal

from .. import names
from ..fields import Choice, StrictBool, StrictInt
from . import (
    KerasObject,
    Number,
    PositiveNumber,
    Seed,
    doc,
)


class _Initializer(KerasObject):
    MODULE: ClassVar[str] = "initializers"


class Constant(_Initializer):
    """Every value the same constant.

    Keras also takes an array for `value`, broadcast to the weight's shape; the spec
    language takes a number (the array form is data, not a setting).
    """

    type: Literal["Constant"]
    value: Number = doc(0.0, "The value of every element.")


class Zeros(_Initializer):
    """All zeros."""

    type: Literal["Zeros"]


class Ones(_Initializer):
    """All ones."""

    type: Literal["Ones"]


class IdentityInitializer(_Initializer):
    """The identity matrix times `gain`: 2D weights only (a Dense kernel, a recurrent kernel).

    (The class is not called `Identity`: that is the layer's name in the schema.) Keras does
    not save `gain` in the model file, so a file's Identity comes back with gain 1.
    """

    type: Literal["Identity", "IdentityInitializer"]
    CANONICAL: ClassVar[dict[str, str]] = {"IdentityInitializer": "Identity"}
    gain: Number = doc(1.0, "Multiplies the identity matrix.")

    def weight_error(self, shape: tuple[int, ...]) -> str | None:
        return None if len(shape) == 2 else "only initializes 2D matrices"


class STFT(_Initializer):
    """Kernels of a short-time Fourier transform, for a Conv1D kernel (frame_length, 1, bins).

    On an input of more than one channel Keras gives the kernel a value of the wrong shape
    ((frame_length, 1, bins)): a KS504 warning, as Keras's optimizers with slots fail in the
    first training step.

    Keras also takes an array for `window`; the spec language takes the names of
    SciPy's windows that need no parameter (and null for no window).
    """

    type: Literal["STFT", "STFTInitializer"]
    CANONICAL: ClassVar[dict[str, str]] = {"STFTInitializer": "STFT"}
    side: Choice("real", "imag") = doc("real", "`real` or `imag`: which part of the transform the kernel computes.")  # type: ignore[valid-type]
    window: Choice(*names.STFT_WINDOWS) | None = doc("hann", "A SciPy window name (`hann`, `hamming`...), or null for none.")  # type: ignore[valid-type]
    scaling: Choice("density", "spectrum") | None = doc("density", "Window normalization: `density` (L2), `spectrum` (L1) or null.")  # type: ignore[valid-type]
    periodic: StrictBool = doc(False, "Treat the window as periodic.")

    def weight_error(self, shape: tuple[int, ...]) -> str | None:
        # Keras unpacks the shape as (frame_length, channels, bins): another rank fails to build.
        return None if len(shape) == 3 else "needs a weight of rank 3 (frame_length, 1, bins): a Conv1D kernel"

    def run_error(self, shape: tuple[int | None, ...]) -> str | None:
        # It makes a (frame_length, 1, bins) value whatever the channels: with more, the kernel
        # variable holds a value of the wrong shape; optimizers with slots (Adam...) fail in the
        # first step, plain SGD trains a broadcast kernel.
        if len(shape) != 3 or shape[1] == 1:
            return None
        return f"makes kernels for 1 input channel, not {shape[1]}: the kernel gets a value of the wrong shape"


class _Random(_Initializer):
    seed: Seed = doc(None, "Seed of the random generator: the same seed gives the same weights.")


class RandomNormal(_Random):
    """Values drawn from a normal distribution."""

    type: Literal["RandomNormal"]
    mean: Number = doc(0.0, "Mean of the distribution.")
    stddev: Number = doc(0.05, "Standard deviation of the distribution.")


class TruncatedNormal(RandomNormal):
    """Values from a normal distribution, redrawn beyond two standard deviations."""

    type: Literal["TruncatedNormal"]  # type: ignore[assignment]


class RandomUniform(_Random):
    """Values drawn uniformly from [minval, maxval)."""

    type: Literal["RandomUniform"]
    minval: Number = doc(-0.05, "Lower bound of the range.")
    maxval: Number = doc(0.05, "Upper bound of the range.")


class _Fans(_Random):
    DEFAULTS_PASS = ("weight_error",)  # the axes are read only when both are given
    input_axes: list[StrictInt] | None = doc(None, "With `output_axes`: the weight axes counted as inputs (fan in).")
    output_axes: list[StrictInt] | None = doc(None, "With `input_axes`: the weight axes counted as outputs (fan out).")

    def weight_error(self, shape: tuple[int, ...]) -> str | None:
        # Keras reads the axes only when both are given, indexing the weight's shape with them.
        if self.input_axes is None or self.output_axes is None:
            return None
        bad = [a for a in (*self.input_axes, *self.output_axes) if not -len(shape) <= a < len(shape)]
        return f"has axis {bad[0]} in input_axes/output_axes, outside a weight of rank {len(shape)}" if bad else None


class VarianceScaling(_Fans):
    """Values scaled to the weight's fan in, fan out or their average."""

    type: Literal["VarianceScaling"]
    scale: PositiveNumber = doc(1.0, "Scaling factor (> 0).")
    mode: Choice("fan_in", "fan_out", "fan_avg") = doc("fan_in", "Which fan scales the variance.")  # type: ignore[valid-type]
    # Keras lower-cases `distribution` and reads `normal` as `truncated_normal`.
    distribution: Choice("truncated_normal", "untruncated_normal", "uniform", "normal", case_insensitive=True) = doc(  # type: ignore[valid-type]
        "truncated_normal", "`truncated_normal`, `untruncated_normal` or `uniform`; any case."
    )


class FanInitializer(_Fans):
    """Glorot, He and LeCun initializers: VarianceScaling with a fixed scale, mode and distribution."""

    type: Literal["GlorotUniform", "GlorotNormal", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform"]


class Orthogonal(_Random):
    """A random orthogonal matrix times `gain`; weights of rank 2 or more (flattened to 2D)."""

    type: Literal["Orthogonal", "OrthogonalInitializer"]
    CANONICAL: ClassVar[dict[str, str]] = {"OrthogonalInitializer": "Orthogonal"}
    gain: Number = doc(1.0, "Multiplies the orthogonal matrix.")

    def weight_error(self, shape: tuple[int, ...]) -> str | None:
        return None if len(shape) >= 2 else "needs a weight of rank 2 or more"
