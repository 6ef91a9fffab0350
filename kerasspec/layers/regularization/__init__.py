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

from typing import Annotated, ClassVar

from pydantic import Field

from ...fields import PositiveInt, StrictInt
from ...shapes import Shape
from ..base import Layer

#: The modules of the family, one per kind of layer, in the order the docs list them.
PARTS = ("dropout", "spatial_dropout", "noise", "activity_regularization")


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
