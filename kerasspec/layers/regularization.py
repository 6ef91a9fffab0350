"""Regularization layers: dropout and noise, the identity at inference.

Keras's constructors check `rate` (and GaussianNoise's `stddev`) to lie in
[0, 1], 0 and 1 included; the spatial dropouts check the input rank when built.
None of them has a weight (the seed generator's state is not a layer weight).

`noise_shape` is the shape of the dropout mask, broadcast against the input
while training. Keras's Dropout checks only that it is a list of positive
sizes or nulls; neither layer compares it with the input when it builds the
model (a mask that does not broadcast fails in ``fit``), so neither does the
rule here.
"""

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from ..fields import NonNegativeFloat, PositiveInt, Rate, StrictInt
from ..shapes import Shape
from .base import DataFormat, Layer, require_rank

#: Dropout's `noise_shape`: sizes >= 1 or null (the input's size on that axis).
NoiseShape = list[PositiveInt | None]
_NOISE_SHAPE = "The shape of the dropout mask, broadcast against the input (null sizes take the input's); null: the input's shape."
Seed = Annotated[StrictInt | None, Field(description="Seed of the random draws; null for a fresh one.")]
#: Keras checks `seed` only when it makes a seed generator, i.e. when the rate is above 0.
_SEED_STRICTER = {"seed": "an integer or null: Keras looks at the seed only when the rate (or stddev) is above 0"}


class _Regularization(Layer):
    """A layer that only acts while training: rules look through it at the output."""

    STRICTER_THAN_KERAS: ClassVar = _SEED_STRICTER

    def output_shape(self, shape: Shape) -> Shape:
        return shape

    def output_activation(self) -> str | None:
        return None


class Dropout(_Regularization):
    """Sets a fraction `rate` of inputs to 0 while training."""

    TYPES: ClassVar = ("Dropout",)
    type: Literal["Dropout"]
    rate: Rate
    noise_shape: NoiseShape | None = Field(None, description=_NOISE_SHAPE)
    seed: Seed = None


class SpatialDropout1D(_Regularization):
    """Drops whole channels of `(batch, steps, channels)` inputs while training."""

    TYPES: ClassVar = ("SpatialDropout1D",)
    OTHER_RANK: ClassVar = {4: "SpatialDropout2D", 5: "SpatialDropout3D"}
    EXAMPLE_INPUT: ClassVar = "[100, 8]"
    type: Literal["SpatialDropout1D"]
    rate: Rate
    seed: Seed = None

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, 3)
        return shape


class SpatialDropout2D(_Regularization):
    """Drops whole feature maps of 4D inputs while training."""

    TYPES: ClassVar = ("SpatialDropout2D",)
    OTHER_RANK: ClassVar = {3: "SpatialDropout1D", 5: "SpatialDropout3D"}
    type: Literal["SpatialDropout2D"]
    rate: Rate
    data_format: DataFormat | None = None
    seed: Seed = None

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, 4)
        return shape


class SpatialDropout3D(_Regularization):
    """Drops whole 3D feature maps of 5D inputs while training."""

    TYPES: ClassVar = ("SpatialDropout3D",)
    OTHER_RANK: ClassVar = {3: "SpatialDropout1D", 4: "SpatialDropout2D"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    type: Literal["SpatialDropout3D"]
    rate: Rate
    data_format: DataFormat | None = None
    seed: Seed = None

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, 5)
        return shape


class GaussianNoise(_Regularization):
    """Adds zero-mean Gaussian noise while training (Keras takes `stddev` from 0 to 1)."""

    TYPES: ClassVar = ("GaussianNoise",)
    type: Literal["GaussianNoise"]
    stddev: Rate = Field(description="Standard deviation of the noise, from 0 to 1 (Keras refuses more).")
    seed: Seed = None


class GaussianDropout(_Regularization):
    """Multiplies by Gaussian noise of mean 1 while training (`rate` as for Dropout)."""

    TYPES: ClassVar = ("GaussianDropout",)
    type: Literal["GaussianDropout"]
    rate: Rate
    seed: Seed = None


class AlphaDropout(_Regularization):
    """Dropout that keeps the mean and variance of SELU activations, while training.

    Keras's AlphaDropout does not check `noise_shape` at all (it only uses it in
    ``fit``); the spec takes it as Dropout does: a list of sizes >= 1 or nulls.
    """

    TYPES: ClassVar = ("AlphaDropout",)
    STRICTER_THAN_KERAS: ClassVar = {
        **_SEED_STRICTER,
        "noise_shape": "a list of sizes >= 1 or nulls, as Dropout takes it: AlphaDropout takes any value "
        "when it builds and fails in fit on one that is not a shape",
    }
    type: Literal["AlphaDropout"]
    rate: Rate
    noise_shape: NoiseShape | None = Field(None, description=_NOISE_SHAPE)
    seed: Seed = None


class ActivityRegularization(_Regularization):
    """Adds `l1 * sum(|x|) + l2 * sum(x^2)` of its input to the loss; passes the input on."""

    TYPES: ClassVar = ("ActivityRegularization",)
    STRICTER_THAN_KERAS: ClassVar = {}
    type: Literal["ActivityRegularization"]
    l1: NonNegativeFloat | None = Field(0.0, description="L1 factor, >= 0; null is 0.")
    l2: NonNegativeFloat | None = Field(0.0, description="L2 factor, >= 0; null is 0.")
