"""Dropout."""

from typing import ClassVar, Literal

from pydantic import Field

from ...fields import Rate
from . import _NOISE_SHAPE, NoiseShape, Seed, _Regularization


class Dropout(_Regularization):
    """Sets a fraction `rate` of inputs to 0 while training."""

    TYPES: ClassVar = ("Dropout",)
    type: Literal["Dropout"]
    rate: Rate
    noise_shape: NoiseShape | None = Field(None, description=_NOISE_SHAPE)
    seed: Seed = None
