"""GaussianNoise, GaussianDropout, AlphaDropout."""

from typing import ClassVar, Literal

from pydantic import Field

from ...fields import Rate
from . import _NOISE_SHAPE, _SEED_STRICTER, NoiseShape, Seed, _Regularization


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
