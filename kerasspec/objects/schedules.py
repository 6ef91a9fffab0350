"""Learning-rate schedules (``keras.optimizers.schedules``), for an optimizer's ``learning_rate``."""

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from ..fields import StrictBool
from . import (
    KerasObject,
    Number,
    PositiveNumber,
    doc,
    object_error,
)


class _Schedule(KerasObject):
    MODULE: ClassVar[str] = "optimizers.schedules"
    initial_learning_rate: Number = Field(description="The learning rate at step 0.")


class _Decay(_Schedule):
    decay_steps: PositiveNumber = Field(description="Steps over which the rate decays (> 0).")


class ExponentialDecay(_Decay):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)`."""

    EXAMPLE: ClassVar[dict[str, Any]] = {"initial_learning_rate": 0.01, "decay_steps": 1000, "decay_rate": 0.9}
    type: Literal["ExponentialDecay"]
    decay_rate: Number = Field(description="The factor per `decay_steps`.")
    staircase: StrictBool = doc(False, "Decay in whole steps of `decay_steps` (an integer division).")
    name: str = doc("ExponentialDecay", "The schedule's name.")


class InverseTimeDecay(_Decay):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)`."""

    EXAMPLE: ClassVar[dict[str, Any]] = {"initial_learning_rate": 0.01, "decay_steps": 1000, "decay_rate": 0.5}
    type: Literal["InverseTimeDecay"]
    decay_rate: Number = Field(description="The factor per `decay_steps`.")
    staircase: StrictBool = doc(False, "Decay in whole steps of `decay_steps` (an integer division).")
    name: str = doc("InverseTimeDecay", "The schedule's name.")


class PolynomialDecay(_Decay):
    """From `initial_learning_rate` to `end_learning_rate` over `decay_steps`, along a polynomial."""

    EXAMPLE: ClassVar[dict[str, Any]] = {"initial_learning_rate": 0.01, "decay_steps": 1000}
    type: Literal["PolynomialDecay"]
    end_learning_rate: Number = doc(0.0001, "The rate after `decay_steps`.")
    power: Number = doc(1.0, "The polynomial's power (1.0: linear).")
    cycle: StrictBool = doc(False, "Start over after `decay_steps`, with a longer period.")
    name: str = doc("PolynomialDecay", "The schedule's name.")


class CosineDecay(_Decay):
    """A cosine from `initial_learning_rate` down to `alpha` times it, after an optional linear warmup."""

    EXAMPLE: ClassVar[dict[str, Any]] = {"initial_learning_rate": 0.01, "decay_steps": 1000}
    type: Literal["CosineDecay"]
    alpha: Number = doc(0.0, "The floor, as a fraction of the rate the decay starts from.")
    name: str = doc("CosineDecay", "The schedule's name.")
    warmup_target: Number | None = doc(None, "The rate a linear warmup from `initial_learning_rate` reaches; null for no warmup.")
    warmup_steps: Number = doc(0, "Steps of the warmup.")


class CosineDecayRestarts(_Schedule):
    """Cosine decay that restarts, each period `t_mul` times longer and `m_mul` times lower (SGDR)."""

    EXAMPLE: ClassVar[dict[str, Any]] = {"initial_learning_rate": 0.01, "first_decay_steps": 1000}
    type: Literal["CosineDecayRestarts"]
    first_decay_steps: PositiveNumber = Field(description="Steps of the first period (> 0).")
    t_mul: Number = doc(2.0, "How much longer each period is than the one before.")
    m_mul: Number = doc(1.0, "How much lower each period starts than the one before.")
    alpha: Number = doc(0.0, "The floor, as a fraction of the rate the decay starts from.")
    name: str = doc("SGDRDecay", "The schedule's name.")


class PiecewiseConstantDecay(KerasObject):
    """`values[0]` until `boundaries[0]` steps, then `values[1]`...: one more value than boundaries."""

    MODULE: ClassVar[str] = "optimizers.schedules"
    EXAMPLE: ClassVar[dict[str, Any]] = {"boundaries": [1000, 2000], "values": [0.01, 0.005, 0.001]}
    type: Literal["PiecewiseConstantDecay"]
    boundaries: Annotated[list[Number], Field(min_length=1)] = Field(
        description="The steps at which the rate changes, at least one (Keras fails on none in the first step)."
    )
    values: list[Number] = Field(description="The rates: one before the first boundary and one after each.")
    name: str = doc("PiecewiseConstant", "The schedule's name.")

    @field_validator("values")
    @classmethod
    def _one_more_value(cls, values: list[float], info: ValidationInfo) -> list[float]:
        boundaries = info.data.get("boundaries")
        if boundaries is not None and len(boundaries) != len(values) - 1:
            raise object_error(
                "KS205",
                "needs one more value than boundaries ({n} boundaries), got {got}",
                f"give {len(boundaries) + 1} values",
                n=len(boundaries), got=len(values),
            )
        return values
