"""Optimizers (``keras.optimizers``), for ``compile.optimizer``."""

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, Strict, ValidationInfo, field_validator

from ..fields import StrictBool, StrictInt
from . import (
    OPTIMIZERS,
    KerasObject,
    LearningRate,
    NonNegativeNumber,
    Number,
    Optimizer,
    bounded,
    doc,
    object_error,
)


class _Optimizer(KerasObject):
    MODULE: ClassVar[str] = "optimizers"
    #: `decay` is Keras 2's: Keras 3 pops it from `**kwargs`, warns ("Argument `decay` is no
    #: longer supported and will be ignored.") and drops it, so it is never passed on.
    SPEC_ONLY: ClassVar[frozenset[str]] = frozenset({"decay"})

    learning_rate: LearningRate = doc(0.001, "Step size: a float, or a schedule `{type: ExponentialDecay, ...}`.")
    weight_decay: Number | None = None
    clipnorm: Number | None = None
    clipvalue: Number | None = None
    global_clipnorm: Number | None = None
    use_ema: StrictBool = doc(False, "Keep an exponential moving average of the weights.")
    ema_momentum: Number = doc(0.99, "Momentum of the moving average, in [0, 1] (checked when `use_ema` is true).")
    ema_overwrite_frequency: StrictInt | None = doc(None, "Every how many steps the weights are overwritten by their average (>= 1); null: at the end.")
    loss_scale_factor: Number | None = doc(None, "Multiply the loss by this before computing gradients, and divide the gradients by it.")
    gradient_accumulation_steps: StrictInt | None = doc(None, "Accumulate gradients over this many steps (>= 2) before each update.")
    name: str | None = doc(None, "The optimizer's name; Keras names it after its class.")
    decay: Number | None = doc(
        None,
        "Keras 2's per-step decay of the rate, ignored by Keras 3 (it warns): write the rate as "
        "`{type: InverseTimeDecay, initial_learning_rate: ..., decay_steps: 1, decay_rate: ...}`.",
    )

    @field_validator("clipvalue", "global_clipnorm")
    @classmethod
    def _one_clip(cls, value: float | None, info: ValidationInfo) -> float | None:
        others = [k for k in ("clipnorm", "clipvalue") if k != info.field_name and info.data.get(k) is not None]
        if value is not None and others:
            raise object_error(
                "KS211", "only one of clipnorm, clipvalue and global_clipnorm can be set, and {other} is",
                "keep one of them", other=others[0],
            )
        return value

    @field_validator("ema_momentum")
    @classmethod
    def _ema_momentum(cls, value: float, info: ValidationInfo) -> float:
        if info.data.get("use_ema") and not 0.0 <= value <= 1.0:
            raise object_error("KS205", "must be in [0, 1] when use_ema is true, got {got}", got=value)
        return value

    @field_validator("ema_overwrite_frequency")
    @classmethod
    def _ema_frequency(cls, value: int | None, info: ValidationInfo) -> int | None:
        if info.data.get("use_ema") and value and value < 1:
            raise object_error("KS205", "must be >= 1 when use_ema is true, got {got}", got=value)
        return value

    @field_validator("gradient_accumulation_steps")
    @classmethod
    def _accumulation(cls, value: int | None) -> int | None:
        if value and value < 2:  # Keras: `if steps: if not steps >= 2: raise` (0 means none)
            raise object_error("KS205", "must be >= 2 (or 0/null for none), got {got}", got=value)
        return value


class SGD(_Optimizer):
    """Stochastic gradient descent, with optional (Nesterov) momentum."""

    type: Literal["SGD"]
    learning_rate: LearningRate = doc(0.01, "Step size: a float, or a schedule `{type: ExponentialDecay, ...}`.")
    # Keras checks `isinstance(momentum, float)` and the range.
    momentum: bounded(0.0, 1.0) = doc(0.0, "Gradient momentum: a float in [0, 1].")  # type: ignore[valid-type]
    nesterov: StrictBool = False


class Adam(_Optimizer):
    """Adam."""

    type: Literal["Adam"]
    beta_1: Number = 0.9
    beta_2: Number = 0.999
    epsilon: Number = 1e-7
    amsgrad: StrictBool = False


class AdamW(Adam):
    """Adam with decoupled weight decay (Keras refuses `weight_decay: null`)."""

    type: Literal["AdamW"]  # type: ignore[assignment]
    weight_decay: Number = 0.004  # type: ignore[assignment]


class RMSprop(_Optimizer):
    """RMSprop."""

    type: Literal["RMSprop"]
    rho: Number = 0.9
    momentum: Number = 0.0
    epsilon: Number = 1e-7
    centered: StrictBool = False


class Adadelta(_Optimizer):
    """Adadelta."""

    type: Literal["Adadelta"]
    rho: Number = 0.95
    epsilon: Number = 1e-7


class Adagrad(_Optimizer):
    """Adagrad."""

    type: Literal["Adagrad"]
    initial_accumulator_value: Number = 0.1
    epsilon: Number = 1e-7


class Adamax(_Optimizer):
    """Adamax."""

    type: Literal["Adamax"]
    beta_1: Number = 0.9
    beta_2: Number = 0.999
    epsilon: Number = 1e-7


class Nadam(Adamax):
    """Nadam."""

    type: Literal["Nadam"]  # type: ignore[assignment]


class Lamb(Adamax):
    """LAMB: Adam with layer-wise adaptive rates (an object only: Keras resolves no name for it)."""

    type: Literal["Lamb"]  # type: ignore[assignment]


class Lion(_Optimizer):
    """Lion."""

    type: Literal["Lion"]
    beta_1: Annotated[float, Strict(), Field(gt=0.0, le=1.0)] = doc(0.9, "Decay rate of the momentum used for the update, in (0, 1].")
    beta_2: Number = 0.99


class Ftrl(_Optimizer):
    """FTRL-proximal."""

    type: Literal["Ftrl"]
    learning_rate_power: Annotated[float, Strict(), Field(le=0.0)] = doc(-0.5, "How the rate decreases during training (<= 0; 0 for a fixed rate).")
    initial_accumulator_value: NonNegativeNumber = 0.1
    l1_regularization_strength: NonNegativeNumber = doc(0.0, "L1 regularization (>= 0).")
    l2_regularization_strength: NonNegativeNumber = doc(0.0, "L2 regularization (>= 0).")
    l2_shrinkage_regularization_strength: NonNegativeNumber = doc(0.0, "L2 shrinkage on the magnitude (>= 0).")
    beta: Number = doc(0.0, "The beta of the FTRL paper.")


class Adafactor(_Optimizer):
    """Adafactor: factored second moments, little memory."""

    type: Literal["Adafactor"]
    beta_2_decay: Number = doc(-0.8, "Decay rate of the second moment.")
    epsilon_1: Number = doc(1e-30, "Added to the second moment.")
    epsilon_2: Number = doc(1e-3, "Floor of the relative step size.")
    clip_threshold: Number = doc(1.0, "Clipping threshold of the update.")
    relative_step: StrictBool = doc(True, "Scale the rate by the inverse square root of the step.")


class Muon(_Optimizer):
    """Muon: orthogonalized momentum for 2D weights, AdamW for the others."""

    type: Literal["Muon"]
    adam_beta_1: Number = doc(0.9, "beta_1 of the AdamW steps.")
    adam_beta_2: Number = doc(0.999, "beta_2 of the AdamW steps.")
    adam_weight_decay: Number = doc(0.004, "Weight decay of the AdamW steps.")
    epsilon: Number = 1e-7
    weight_decay: Number | None = 0.004
    exclude_layers: list[str] | None = doc(None, "Regular expressions: weights whose path matches one use AdamW.")
    exclude_embeddings: StrictBool = doc(True, "Embedding weights use AdamW.")
    muon_a: Number = doc(3.4445, "Newton-Schulz coefficient a.")
    muon_b: Number = doc(-4.775, "Newton-Schulz coefficient b.")
    muon_c: Number = doc(2.0315, "Newton-Schulz coefficient c.")
    adam_lr_ratio: Number = doc(1, "The AdamW steps' rate, as a fraction of `learning_rate`.")
    momentum: Number = 0.95
    ns_steps: StrictInt = doc(5, "Newton-Schulz iterations.")
    nesterov: StrictBool = True
    rms_rate: Number = doc(0.2, "Matches the update's RMS to AdamW's.")

    @field_validator("exclude_layers")
    @classmethod
    def _patterns(cls, value: list[str] | None) -> list[str] | None:
        for pattern in value or []:
            try:
                re.compile(pattern)  # Keras `re.search`es each one in the first training step
            except re.error as exc:
                raise object_error("KS206", "{pattern!r} is not a regular expression: {why}", pattern=pattern, why=str(exc)) from None
        return value


class ScheduleFreeAdamW(_Optimizer):
    """Schedule-free AdamW: no learning-rate schedule needed."""

    type: Literal["ScheduleFreeAdamW"]
    learning_rate: LearningRate = doc(0.0025, "Step size: a float, or a schedule `{type: ExponentialDecay, ...}`.")
    beta_1: Number = 0.9
    beta_2: Number = 0.999
    epsilon: Number = 1e-8
    warmup_steps: StrictInt = doc(0, "Steps of the linear warmup.")


class LossScaleOptimizer(KerasObject):
    """Dynamic loss scaling around an inner optimizer, for mixed precision.

    Keras refuses the other optimizers' settings here (set them on `inner_optimizer`).
    """

    MODULE: ClassVar[str] = "optimizers"
    EXAMPLE: ClassVar[dict[str, Any]] = {"inner_optimizer": "adam"}
    type: Literal["LossScaleOptimizer"]
    inner_optimizer: Optimizer = Field(description="The optimizer that applies the gradients: a name or an object.")
    initial_scale: Number = doc(32768.0, "The starting loss scale.")
    dynamic_growth_steps: StrictInt = doc(2000, "Double the scale after this many steps with finite gradients.")
    name: str | None = doc(None, "The optimizer's name; Keras names it after its class.")

    def keras_kwargs(self) -> dict[str, Any]:
        kwargs = super().keras_kwargs()
        if isinstance(self.inner_optimizer, str):
            # A name stands for the class with its defaults, as `compile(optimizer="adam")`.
            kwargs["inner_optimizer"] = OPTIMIZERS.default_object(self.inner_optimizer.lower())
        return kwargs
