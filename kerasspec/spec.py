"""The spec language, version 1: pydantic models with Keras's argument names and defaults.

A spec is a :class:`Spec`. Its layers are the definitions of
:mod:`kerasspec.layers`, each validated by its own class (dispatched on
``type``); learning-rate schedules, optimizers, losses, metrics and callbacks
are :class:`~kerasspec.objects.KerasObject` classes, each a name or an object
discriminated on ``type``. Each class lists the Keras constructor arguments with Keras's
defaults. Every model is strict (``units: "32"`` and ``filters: 32.5`` are
errors, not coerced) and closed (unknown keys are errors).
"""

import re
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    Tag,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from . import names
from .fields import (
    Choice,
    Dataset,
    InputShape,
    NonNegativeInt,
    PositiveInt,
    StrictBool,
    StrictInt,
)
from .layers import LayerItem
from .layers.base import LayerName
from .objects import (
    LAYER_FAMILIES,
    Axis,
    Family,
    Float,
    KerasObject,
    NonNegativeNumber,
    Number,
    PositiveNumber,
    UnitNumber,
    _kind_of,
    bounded,
    doc,
    family_of_field,
)


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


# --------------------------------------------------------------------------- compile
#
# Every class below is a Keras class: `type` names it (aliases Keras exports follow the
# class name), the fields are its constructor arguments with Keras's names and defaults,
# and the validators refuse what its constructor refuses. A bound is set only where Keras
# checks one; tests/test_objects.py proves the arguments, the defaults and the refusals
# against the installed Keras.


def _error(code: str, message: str, hint: str | None = None, **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError(code, message, {**ctx, "hint": hint})


# ---- learning-rate schedules (keras.optimizers.schedules)


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
            raise _error(
                "KS205",
                "needs one more value than boundaries ({n} boundaries), got {got}",
                f"give {len(boundaries) + 1} values",
                n=len(boundaries), got=len(values),
            )
        return values


SCHEDULES = Family(
    "learning-rate schedule",
    "KS206",
    (ExponentialDecay, InverseTimeDecay, PolynomialDecay, CosineDecay, CosineDecayRestarts, PiecewiseConstantDecay),
    excluded=(("LearningRateSchedule", "the abstract base class"),),
)


def _number_or_schedule(value: Any) -> str:
    return "object" if isinstance(value, dict | BaseModel) else "number"


#: An optimizer's learning rate: a float (Keras refuses an int) or a schedule object.
LearningRate = Annotated[
    Union[  # noqa: UP007
        Annotated[Float, Tag("number")],
        Annotated[SCHEDULES.object_type(), Tag("object")],
    ],
    Discriminator(_number_or_schedule),
]


# ---- optimizers (keras.optimizers)


class _Optimizer(KerasObject):
    MODULE: ClassVar[str] = "optimizers"

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

    @field_validator("clipvalue", "global_clipnorm")
    @classmethod
    def _one_clip(cls, value: float | None, info: ValidationInfo) -> float | None:
        others = [k for k in ("clipnorm", "clipvalue") if k != info.field_name and info.data.get(k) is not None]
        if value is not None and others:
            raise _error(
                "KS211", "only one of clipnorm, clipvalue and global_clipnorm can be set, and {other} is",
                "keep one of them", other=others[0],
            )
        return value

    @field_validator("ema_momentum")
    @classmethod
    def _ema_momentum(cls, value: float, info: ValidationInfo) -> float:
        if info.data.get("use_ema") and not 0.0 <= value <= 1.0:
            raise _error("KS205", "must be in [0, 1] when use_ema is true, got {got}", got=value)
        return value

    @field_validator("ema_overwrite_frequency")
    @classmethod
    def _ema_frequency(cls, value: int | None, info: ValidationInfo) -> int | None:
        if info.data.get("use_ema") and value and value < 1:
            raise _error("KS205", "must be >= 1 when use_ema is true, got {got}", got=value)
        return value

    @field_validator("gradient_accumulation_steps")
    @classmethod
    def _accumulation(cls, value: int | None) -> int | None:
        if value and value < 2:  # Keras: `if steps: if not steps >= 2: raise` (0 means none)
            raise _error("KS205", "must be >= 2 (or 0/null for none), got {got}", got=value)
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
                raise _error("KS206", "{pattern!r} is not a regular expression: {why}", pattern=pattern, why=str(exc)) from None
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
    inner_optimizer: "Optimizer" = Field(description="The optimizer that applies the gradients: a name or an object.")
    initial_scale: Number = doc(32768.0, "The starting loss scale.")
    dynamic_growth_steps: StrictInt = doc(2000, "Double the scale after this many steps with finite gradients.")
    name: str | None = doc(None, "The optimizer's name; Keras names it after its class.")

    def keras_kwargs(self) -> dict[str, Any]:
        kwargs = super().keras_kwargs()
        if isinstance(self.inner_optimizer, str):
            # A name stands for the class with its defaults, as `compile(optimizer="adam")`.
            kwargs["inner_optimizer"] = OPTIMIZERS.default_object(self.inner_optimizer.lower())
        return kwargs


OPTIMIZER_CLASSES: tuple[type[KerasObject], ...] = (
    SGD, Adam, AdamW, RMSprop, Adadelta, Adagrad, Adamax, Nadam, Lamb, Lion, Ftrl, Adafactor, Muon,
    ScheduleFreeAdamW, LossScaleOptimizer,
)  # fmt: skip
# Optimizer names are the class names lower-cased (Keras lower-cases the name it is given).
OPTIMIZERS = Family(
    "optimizer", "KS208", OPTIMIZER_CLASSES, names.OPTIMIZERS,
    aliases=tuple((c.types()[0].lower(), c.types()[0]) for c in OPTIMIZER_CLASSES), name_when_default=True,
    excluded=(
        ("Optimizer", "the abstract base class"),
        ("MultiOptimizer", "it maps layers to optimizers: a spec's compile has one optimizer"),
        ("OptimizerMap", "it maps layers to optimizers: a spec's compile has one optimizer"),
    ),
)  # fmt: skip
OptimizerName = OPTIMIZERS.name_type(case_insensitive=True)  # Keras lower-cases optimizer names
Optimizer = Annotated[
    Union[  # noqa: UP007
        Annotated[OptimizerName, Tag("name")],
        Annotated[OPTIMIZERS.object_type(), Tag("object")],
    ],
    Discriminator(_kind_of),
]


# ---- losses (keras.losses)

Reduction = Choice("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none")


class _Loss(KerasObject):
    MODULE: ClassVar[str] = "losses"
    UNSUPPORTED_ARGS: ClassVar[dict[str, str]] = {"dtype": "dtype policies are not part of the spec language"}
    #: Keras's default `name` for each `type` (the name Keras logs the loss under).
    KERAS_NAMES: ClassVar[dict[str, str]] = {}

    reduction: Reduction | None = doc("sum_over_batch_size", "How per-sample losses are combined: `sum_over_batch_size`, `sum`, `mean`, `mean_with_sample_weight`, `none` or null.")  # type: ignore[valid-type]
    name: str | None = doc(None, "The loss's name; null: Keras's default for the class.")

    def keras_kwargs(self) -> dict[str, Any]:
        kwargs = super().keras_kwargs()
        if kwargs.get("name") is None:
            del kwargs["name"]  # Keras's default name, which differs per class
        return kwargs


class _Probabilistic(_Loss):
    from_logits: StrictBool = Field(False, description="True when the model outputs logits (no softmax/sigmoid on the last layer).")
    label_smoothing: Number = 0.0
    axis: StrictInt = doc(-1, "The class axis.")


class BinaryCrossentropy(_Probabilistic):
    """Crossentropy for binary (0/1) labels."""

    KERAS_NAMES: ClassVar[dict[str, str]] = {"BinaryCrossentropy": "binary_crossentropy"}
    type: Literal["BinaryCrossentropy"]


class CategoricalCrossentropy(_Probabilistic):
    """Crossentropy for one-hot labels."""

    KERAS_NAMES: ClassVar[dict[str, str]] = {"CategoricalCrossentropy": "categorical_crossentropy"}
    type: Literal["CategoricalCrossentropy"]


class BinaryFocalCrossentropy(_Probabilistic):
    """Focal crossentropy for binary labels."""

    KERAS_NAMES: ClassVar[dict[str, str]] = {"BinaryFocalCrossentropy": "binary_focal_crossentropy"}
    type: Literal["BinaryFocalCrossentropy"]
    apply_class_balancing: StrictBool = False
    alpha: Number = 0.25
    gamma: Number = 2.0


class CategoricalFocalCrossentropy(_Probabilistic):
    """Focal crossentropy for one-hot labels."""

    KERAS_NAMES: ClassVar[dict[str, str]] = {"CategoricalFocalCrossentropy": "categorical_focal_crossentropy"}
    type: Literal["CategoricalFocalCrossentropy"]
    alpha: Number = 0.25
    gamma: Number = 2.0


class SparseCategoricalCrossentropy(_Loss):
    """Crossentropy for integer class labels."""

    KERAS_NAMES: ClassVar[dict[str, str]] = {"SparseCategoricalCrossentropy": "sparse_categorical_crossentropy"}
    type: Literal["SparseCategoricalCrossentropy"]
    from_logits: StrictBool = Field(False, description="True when the model outputs logits (no softmax on the last layer).")
    ignore_class: StrictInt | None = None
    axis: StrictInt = doc(-1, "The class axis.")


class CategoricalGeneralizedCrossEntropy(_Loss):
    """Generalized crossentropy, robust to noisy labels; integer class labels (an object only)."""

    KERAS_NAMES: ClassVar[dict[str, str]] = {"CategoricalGeneralizedCrossEntropy": "categorical_generalized_cross_entropy"}
    type: Literal["CategoricalGeneralizedCrossEntropy"]
    q: Annotated[float, Strict(), Field(gt=0.0, lt=1.0)] = doc(0.5, "Between crossentropy (towards 0) and MAE (towards 1), in (0, 1).")


class Circle(_Loss):
    """Circle loss for embeddings, with integer class labels."""

    KERAS_NAMES: ClassVar[dict[str, str]] = {"Circle": "circle"}
    type: Literal["Circle"]
    gamma: Number = doc(80.0, "Scaling factor.")
    margin: Number = doc(0.4, "Relaxation margin.")
    remove_diagonal: StrictBool = doc(True, "Leave out each sample's similarity to itself.")


class Huber(_Loss):
    """Huber loss."""

    KERAS_NAMES: ClassVar[dict[str, str]] = {"Huber": "huber_loss"}
    type: Literal["Huber"]
    delta: Number = 1.0


class CosineSimilarity(_Loss):
    """Negative cosine similarity."""

    KERAS_NAMES: ClassVar[dict[str, str]] = {"CosineSimilarity": "cosine_similarity"}
    type: Literal["CosineSimilarity"]
    axis: StrictInt = -1


class Dice(_Loss):
    """Dice loss (segmentation)."""

    KERAS_NAMES: ClassVar[dict[str, str]] = {"Dice": "dice"}
    type: Literal["Dice"]
    axis: Axis | None = doc(None, "The axes the overlap is summed over; null: all.")


class Tversky(_Loss):
    """Tversky loss: Dice with separate weights for false positives and false negatives."""

    KERAS_NAMES: ClassVar[dict[str, str]] = {"Tversky": "tversky"}
    type: Literal["Tversky"]
    alpha: Number = doc(0.5, "Weight of false positives.")
    beta: Number = doc(0.5, "Weight of false negatives.")
    axis: Axis | None = doc(None, "The axes the overlap is summed over; null: all.")


class PlainLoss(_Loss):
    """A loss without settings of its own, e.g. `{type: MeanSquaredError}`."""

    KERAS_NAMES: ClassVar[dict[str, str]] = {
        "MeanSquaredError": "mean_squared_error", "MeanAbsoluteError": "mean_absolute_error",
        "MeanAbsolutePercentageError": "mean_absolute_percentage_error",
        "MeanSquaredLogarithmicError": "mean_squared_logarithmic_error", "LogCosh": "log_cosh",
        "Hinge": "hinge", "SquaredHinge": "squared_hinge", "CategoricalHinge": "categorical_hinge",
        "KLDivergence": "kl_divergence", "Poisson": "poisson",
    }  # fmt: skip
    type: Literal[
        "MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
        "MeanSquaredLogarithmicError", "LogCosh", "Hinge", "SquaredHinge", "CategoricalHinge",
        "KLDivergence", "Poisson",
    ]  # fmt: skip


LOSS_CLASSES: tuple[type[_Loss], ...] = (
    BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
    BinaryFocalCrossentropy, CategoricalFocalCrossentropy, CategoricalGeneralizedCrossEntropy,
    Circle, Huber, CosineSimilarity, Dice, Tversky, PlainLoss,
)  # fmt: skip
LOSSES = Family(
    "loss", "KS209", LOSS_CLASSES, names.LOSSES, any_case=names.ANY_CASE_LOSSES,
    excluded=(
        ("Loss", "the abstract base class"),
        ("LossFunctionWrapper", "it wraps a Python function: a spec holds no code"),
        ("CTC", "it takes label sequences with their lengths, not one label per output"),
    ),
)  # fmt: skip
Loss = LOSSES.annotation()


# ---- metrics (keras.metrics)


class _Metric(KerasObject):
    MODULE: ClassVar[str] = "metrics"
    UNSUPPORTED_ARGS: ClassVar[dict[str, str]] = {"dtype": "dtype policies are not part of the spec language"}
    #: Keras's default `name` for each `type`: the history key. None: Keras names the
    #: object after its class, numbered in the session (`auc`, `auc_1`...).
    KERAS_NAMES: ClassVar[dict[str, str | None]] = {}

    name: str | None = doc(None, "The metric's name, which is its key in the history (`val_` + it for validation); null: Keras's default.")

    def keras_kwargs(self) -> dict[str, Any]:
        kwargs = super().keras_kwargs()
        if kwargs.get("name") is None:
            del kwargs["name"]
        return kwargs


Threshold = Annotated[float, Strict(), Field(ge=0.0, le=1.0)]
Thresholds = Union[Threshold, list[Threshold]]  # noqa: UP007


class PlainMetric(_Metric):
    """A metric without settings of its own, e.g. `{type: MeanAbsoluteError}`."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {
        "Accuracy": "accuracy", "CategoricalAccuracy": "categorical_accuracy",
        "SparseCategoricalAccuracy": "sparse_categorical_accuracy",
        "MeanAbsoluteError": "mean_absolute_error", "MeanSquaredError": "mean_squared_error",
        "RootMeanSquaredError": "root_mean_squared_error",
        "MeanAbsolutePercentageError": "mean_absolute_percentage_error",
        "MeanSquaredLogarithmicError": "mean_squared_logarithmic_error", "KLDivergence": "kl_divergence",
        "Poisson": "poisson", "Hinge": "hinge", "SquaredHinge": "squared_hinge",
        "CategoricalHinge": "categorical_hinge", "LogCoshError": "logcosh",
    }  # fmt: skip
    type: Literal[
        "Accuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy", "MeanAbsoluteError",
        "MeanSquaredError", "RootMeanSquaredError", "MeanAbsolutePercentageError",
        "MeanSquaredLogarithmicError", "KLDivergence", "Poisson", "Hinge", "SquaredHinge",
        "CategoricalHinge", "LogCoshError",
    ]  # fmt: skip


class BinaryAccuracy(_Metric):
    """How often a prediction above `threshold` matches a 0/1 label."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"BinaryAccuracy": "binary_accuracy"}
    type: Literal["BinaryAccuracy"]
    threshold: Number = 0.5


class TopKCategoricalAccuracy(_Metric):
    """Whether the one-hot label is among the `k` highest predictions."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"TopKCategoricalAccuracy": "top_k_categorical_accuracy"}
    type: Literal["TopKCategoricalAccuracy"]
    k: StrictInt = 5


class SparseTopKCategoricalAccuracy(_Metric):
    """Whether the integer label is among the `k` highest predictions."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"SparseTopKCategoricalAccuracy": "sparse_top_k_categorical_accuracy"}
    type: Literal["SparseTopKCategoricalAccuracy"]
    k: StrictInt = 5
    from_sorted_ids: StrictBool = doc(False, "The predictions are already the top class ids, best first.")


class AUC(_Metric):
    """Area under the ROC or PR curve."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"AUC": None}
    type: Literal["AUC"]
    # `thresholds` comes first so that the check of `num_thresholds` can see it.
    thresholds: list[Number] | None = doc(None, "The thresholds to use instead of `num_thresholds` evenly spaced ones.")
    num_thresholds: StrictInt = 200
    curve: Choice("ROC", "PR", "PRGAIN", "roc", "pr", "prgain") = doc("ROC", "`ROC`, `PR` (precision-recall) or `PRGAIN`, upper or lower case.")  # type: ignore[valid-type]
    summation_method: Choice("interpolation", "majoring", "minoring", "Interpolation", "Majoring", "Minoring") = doc(  # type: ignore[valid-type]
        "interpolation", "How the area is summed: `interpolation`, `majoring` or `minoring`."
    )
    multi_label: StrictBool = False
    num_labels: StrictInt | None = doc(None, "With `multi_label`: the number of labels (else Keras takes it from the first batch).")
    label_weights: list[Number] | None = doc(None, "With `multi_label`: a weight per label.")
    from_logits: StrictBool = False

    @field_validator("num_thresholds")
    @classmethod
    def _enough_thresholds(cls, value: int, info: ValidationInfo) -> int:
        if info.data.get("thresholds") is None and value <= 1:  # Keras checks it only without thresholds
            raise _error("KS205", "must be > 1 when thresholds is not given, got {n}", n=value)
        return value

    @field_validator("num_labels")
    @classmethod
    def _labels_need_multi_label(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value and not info.data.get("multi_label"):
            raise _error("KS211", "num_labels is needed only when multi_label is true", "set multi_label: true, or leave num_labels out")
        return value


class _Confusion(_Metric):
    thresholds: Thresholds | None = doc(None, "A threshold in [0, 1] or a list of them (one value each); default 0.5.")


class ConfusionCount(_Confusion):
    """The count of true/false positives/negatives at each threshold."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"TruePositives": None, "FalsePositives": None, "TrueNegatives": None, "FalseNegatives": None}
    type: Literal["TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives"]


class PrecisionRecall(_Confusion):
    """Precision or recall at a decision threshold."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"Precision": None, "Recall": None}
    type: Literal["Precision", "Recall"]
    top_k: StrictInt | None = None
    class_id: StrictInt | None = None


class _AtValue(_Metric):
    num_thresholds: Annotated[int, Strict(), Field(ge=1)] = doc(200, "Number of thresholds the curve is approximated with (>= 1).")
    class_id: StrictInt | None = None


class PrecisionAtRecall(_AtValue):
    """The best precision where recall is at least `recall`."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"PrecisionAtRecall": None}
    EXAMPLE: ClassVar[dict[str, Any]] = {"recall": 0.5}
    type: Literal["PrecisionAtRecall"]
    recall: UnitNumber = Field(description="The recall to reach, in [0, 1].")


class RecallAtPrecision(_AtValue):
    """The best recall where precision is at least `precision`."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"RecallAtPrecision": None}
    EXAMPLE: ClassVar[dict[str, Any]] = {"precision": 0.5}
    type: Literal["RecallAtPrecision"]
    precision: UnitNumber = Field(description="The precision to reach, in [0, 1].")


class SensitivityAtSpecificity(_AtValue):
    """The best sensitivity where specificity is at least `specificity`."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"SensitivityAtSpecificity": None}
    EXAMPLE: ClassVar[dict[str, Any]] = {"specificity": 0.5}
    type: Literal["SensitivityAtSpecificity"]
    specificity: UnitNumber = Field(description="The specificity to reach, in [0, 1].")


class SpecificityAtSensitivity(_AtValue):
    """The best specificity where sensitivity is at least `sensitivity`."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"SpecificityAtSensitivity": None}
    EXAMPLE: ClassVar[dict[str, Any]] = {"sensitivity": 0.5}
    type: Literal["SpecificityAtSensitivity"]
    sensitivity: UnitNumber = Field(description="The sensitivity to reach, in [0, 1].")


class F1Score(_Metric):
    """F1 score. With `average: null` it is one value per class (a vector)."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"F1Score": "f1_score"}
    EXAMPLE: ClassVar[dict[str, Any]] = {"average": "macro"}  # one value, not one per class
    type: Literal["F1Score"]
    average: Choice("micro", "macro", "weighted") | None = doc(None, "`micro`, `macro`, `weighted`, or null: one score per class.")  # type: ignore[valid-type]
    # Keras checks `isinstance(threshold, float)` and 0 < threshold <= 1.
    threshold: bounded(0.0, 1.0, low_open=True) | None = doc(None, "Predictions above it count as 1; null: the highest per sample.")  # type: ignore[valid-type]


class FBetaScore(F1Score):
    """F-beta score."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"FBetaScore": "fbeta_score"}
    type: Literal["FBetaScore"]  # type: ignore[assignment]
    beta: bounded(0.0, None, low_open=True) = doc(1.0, "Weight of recall against precision: a float > 0.")  # type: ignore[valid-type]


class _IoU(_Metric):
    ignore_class: StrictInt | None = doc(None, "A class id left out of the confusion matrix.")
    axis: StrictInt = doc(-1, "The class axis of the predictions.")


def _target_ids_in_range(ids: list[int], num_classes: int | None) -> None:
    if not ids:
        raise _error("KS205", "needs at least one class id")  # Keras takes max() of them
    if num_classes is not None and max(ids) >= num_classes:
        raise _error("KS205", "class id {got} is out of range [0, {n})", got=max(ids), n=num_classes)


class MeanIoU(_IoU):
    """Mean intersection-over-union over `num_classes` classes (integer labels and predictions by default)."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"MeanIoU": None}
    EXAMPLE: ClassVar[dict[str, Any]] = {"num_classes": 3, "sparse_y_pred": False}
    type: Literal["MeanIoU"]
    num_classes: PositiveInt = Field(description="The number of classes.")
    sparse_y_true: StrictBool = doc(True, "The labels are class ids (false: one-hot).")
    sparse_y_pred: StrictBool = doc(True, "The predictions are class ids (false: scores per class, argmax taken).")


class IoU(MeanIoU):
    """Intersection-over-union of `target_class_ids`."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"IoU": None}
    EXAMPLE: ClassVar[dict[str, Any]] = {"num_classes": 3, "target_class_ids": [0], "sparse_y_pred": False}
    type: Literal["IoU"]  # type: ignore[assignment]
    target_class_ids: list[StrictInt] = Field(description="The class ids the IoU is computed for.")

    @field_validator("target_class_ids")
    @classmethod
    def _ids(cls, value: list[int], info: ValidationInfo) -> list[int]:
        _target_ids_in_range(value, info.data.get("num_classes"))
        return value


class OneHotMeanIoU(_IoU):
    """Mean IoU for one-hot labels."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"OneHotMeanIoU": None}
    EXAMPLE: ClassVar[dict[str, Any]] = {"num_classes": 3}
    type: Literal["OneHotMeanIoU"]
    num_classes: PositiveInt = Field(description="The number of classes.")
    sparse_y_pred: StrictBool = doc(False, "The predictions are class ids (false: scores per class, argmax taken).")


class OneHotIoU(OneHotMeanIoU):
    """IoU of `target_class_ids`, for one-hot labels."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"OneHotIoU": None}
    EXAMPLE: ClassVar[dict[str, Any]] = {"num_classes": 3, "target_class_ids": [0]}
    type: Literal["OneHotIoU"]  # type: ignore[assignment]
    target_class_ids: list[StrictInt] = Field(description="The class ids the IoU is computed for.")

    @field_validator("target_class_ids")
    @classmethod
    def _ids(cls, value: list[int], info: ValidationInfo) -> list[int]:
        _target_ids_in_range(value, info.data.get("num_classes"))
        return value


class BinaryIoU(_Metric):
    """IoU of 0/1 predictions (thresholded at `threshold`) against 0/1 labels."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"BinaryIoU": None}
    type: Literal["BinaryIoU"]
    target_class_ids: list[StrictInt] = doc([0, 1], "Which of the classes 0 and 1 the IoU is computed for.")
    threshold: Number = doc(0.5, "Predictions at or above it count as 1.")

    @field_validator("target_class_ids")
    @classmethod
    def _ids(cls, value: list[int]) -> list[int]:
        _target_ids_in_range(value, 2)
        return value


class R2Score(_Metric):
    """The coefficient of determination; (batch, outputs) labels and predictions."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"R2Score": "r2_score"}
    type: Literal["R2Score"]
    class_aggregation: Choice("uniform_average", "variance_weighted_average") | None = doc(  # type: ignore[valid-type]
        "uniform_average", "How the outputs' scores are combined; null: one score per output."
    )
    num_regressors: NonNegativeInt = doc(0, "Number of regressors, for the adjusted R2 (>= 0).")


class BinaryCrossentropyMetric(_Metric):
    """Binary crossentropy tracked as a metric."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"BinaryCrossentropy": "binary_crossentropy"}
    type: Literal["BinaryCrossentropy"]
    from_logits: StrictBool = False
    label_smoothing: Number = 0


class CategoricalCrossentropyMetric(BinaryCrossentropyMetric):
    """Categorical crossentropy tracked as a metric."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"CategoricalCrossentropy": "categorical_crossentropy"}
    type: Literal["CategoricalCrossentropy"]  # type: ignore[assignment]
    axis: StrictInt = doc(-1, "The class axis.")


class SparseCrossentropyMetric(_Metric):
    """Sparse categorical crossentropy tracked as a metric."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {"SparseCategoricalCrossentropy": "sparse_categorical_crossentropy"}
    type: Literal["SparseCategoricalCrossentropy"]
    from_logits: StrictBool = False
    ignore_class: StrictInt | None = None
    axis: StrictInt = doc(-1, "The class axis.")


class AxisMetric(_Metric):
    """Metrics computed along an axis: cosine similarity and correlations."""

    KERAS_NAMES: ClassVar[dict[str, str | None]] = {
        "CosineSimilarity": "cosine_similarity", "PearsonCorrelation": "pearson_correlation",
        "ConcordanceCorrelation": "concordance_correlation",
    }  # fmt: skip
    # The example correlates each output over the batch: along -1, a sample whose outputs are all
    # equal (a small model's dead ReLUs give a uniform softmax) makes the correlation NaN.
    EXAMPLE: ClassVar[dict[str, Any]] = {"axis": 0}
    type: Literal["CosineSimilarity", "PearsonCorrelation", "ConcordanceCorrelation"]
    axis: StrictInt = doc(-1, "The axis along which it is computed.")


METRIC_CLASSES: tuple[type[_Metric], ...] = (
    PlainMetric, BinaryAccuracy, TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, AUC,
    ConfusionCount, PrecisionRecall, PrecisionAtRecall, RecallAtPrecision,
    SensitivityAtSpecificity, SpecificityAtSensitivity, F1Score, FBetaScore, MeanIoU, IoU,
    OneHotMeanIoU, OneHotIoU, BinaryIoU, R2Score, BinaryCrossentropyMetric, CategoricalCrossentropyMetric,
    SparseCrossentropyMetric,
    AxisMetric,
)  # fmt: skip
METRICS = Family(
    "metric", "KS210", METRIC_CLASSES, names.METRICS, any_case=names.ANY_CASE_METRICS,
    excluded=(
        ("Metric", "the abstract base class"),
        ("Mean", "it averages one value, not (labels, predictions)"),
        ("Sum", "it sums one value, not (labels, predictions)"),
        ("MeanMetricWrapper", "it wraps a Python function: a spec holds no code"),
    ),
)  # fmt: skip
Metric = METRICS.annotation()


# ---- callbacks (keras.callbacks), for `fit.callbacks`


class _Callback(KerasObject):
    MODULE: ClassVar[str] = "callbacks"


#: Keras warns about any other mode and falls back to `auto`; the spec language refuses it.
Mode = Choice("auto", "min", "max", description="`min`, `max`, or `auto` (from the monitored name: max for accuracy-like ones).")


class EarlyStopping(_Callback):
    """Stop training when `monitor` has stopped improving for `patience` epochs."""

    type: Literal["EarlyStopping"]
    monitor: str = doc("val_loss", "The logged value to watch: `loss`, `val_loss`, a metric's name, `val_` + it.")
    min_delta: Number = doc(0, "The smallest change that counts as an improvement.")
    patience: StrictInt = doc(0, "Epochs without improvement before training stops.")
    verbose: StrictInt = doc(0, "1: print a message when it stops.")
    mode: Mode = "auto"  # type: ignore[valid-type]
    baseline: Number | None = doc(None, "Stop unless the monitored value beats this within `patience` epochs.")
    restore_best_weights: StrictBool = doc(False, "Restore the weights of the best epoch at the end.")
    start_from_epoch: StrictInt = doc(0, "Epochs to wait before watching.")


class ReduceLROnPlateau(_Callback):
    """Multiply the learning rate by `factor` when `monitor` has stopped improving (logs `learning_rate`)."""

    UNSUPPORTED_ARGS: ClassVar[dict[str, str]] = {"kwargs": "only the deprecated `epsilon`, which Keras renames `min_delta`"}
    type: Literal["ReduceLROnPlateau"]
    monitor: str = doc("val_loss", "The logged value to watch: `loss`, `val_loss`, a metric's name, `val_` + it.")
    factor: Annotated[float, Strict(), Field(lt=1.0)] = doc(0.1, "The factor the rate is multiplied by (< 1).")
    patience: StrictInt = doc(10, "Epochs without improvement before the rate is reduced.")
    verbose: StrictInt = doc(0, "1: print a message when it reduces the rate.")
    mode: Mode = "auto"  # type: ignore[valid-type]
    min_delta: Number = doc(0.0001, "The smallest change that counts as an improvement.")
    cooldown: StrictInt = doc(0, "Epochs to wait after a reduction before watching again.")
    min_lr: Number = doc(0.0, "The rate is never reduced below this.")


class TerminateOnNaN(_Callback):
    """Stop training when the loss becomes NaN or infinite."""

    type: Literal["TerminateOnNaN"]
    raise_error: StrictBool = doc(False, "Raise an error instead of stopping quietly.")


class SwapEMAWeights(_Callback):
    """Evaluate with the optimizer's moving average of the weights (`use_ema: true`)."""

    type: Literal["SwapEMAWeights"]
    swap_on_epoch: StrictBool = doc(False, "Also swap at each epoch's end, so checkpoints hold the averaged weights.")


CALLBACK_CLASSES: tuple[type[_Callback], ...] = (EarlyStopping, ReduceLROnPlateau, TerminateOnNaN, SwapEMAWeights)
#: Keras callbacks the spec language leaves out, and why.
EXCLUDED_CALLBACKS: dict[str, str] = {
    "BackupAndRestore": "kerasspec's run directory checkpoints every epoch; `train --resume` resumes",
    "CSVLogger": "kerasspec writes history.csv (and history.json) to the run directory",
    "ModelCheckpoint": "kerasspec saves model.keras and a per-epoch checkpoint to the run directory",
    "OrbaxCheckpoint": "kerasspec saves model.keras and a per-epoch checkpoint to the run directory",
    "TensorBoard": "use `kerasspec train --tensorboard`, which logs to the run directory",
    "LambdaCallback": "it runs Python functions: a spec holds no code",
    "LearningRateScheduler": "its schedule is a Python function: write a schedule object in `learning_rate`",
    "RemoteMonitor": "it posts to a server: a spec does not reach the network",
    "ProgbarLogger": "Keras adds it itself (`verbose`)",
    "History": "Keras adds it itself; kerasspec writes the history to the run directory",
    "Callback": "the base class: it does nothing",
    "CallbackList": "a container Keras builds from the list itself",
}
CALLBACKS = Family("callback", "KS206", CALLBACK_CLASSES, excluded=tuple(EXCLUDED_CALLBACKS.items()))
Callback = CALLBACKS.annotation(with_names=False)  # fit takes callback objects only

#: Every family of objects a spec holds, by the field that takes it (see :func:`field_family`).
FAMILIES: dict[str, Family] = {
    **{f"*_{what}": family for what, family in LAYER_FAMILIES.items()},
    "learning_rate": SCHEDULES, "optimizer": OPTIMIZERS, "inner_optimizer": OPTIMIZERS,
    "loss": LOSSES, "metrics": METRICS, "callbacks": CALLBACKS,
}  # fmt: skip


def field_family(field: str) -> Family | None:
    """The family of objects a field takes: `kernel_initializer` -> initializers, `metrics` -> metrics."""
    return FAMILIES.get(field) or family_of_field(field)


#: Tags pydantic puts into error locations for the unions above; validation drops them.
UNION_TAGS: frozenset[str] = frozenset(
    {"name", "object", "number"} | {t for family in {id(f): f for f in FAMILIES.values()}.values() for t in family.types}
)


class Compile(_Model):
    """Arguments of `model.compile`."""

    optimizer: Optimizer = Field("rmsprop", description="An optimizer name (`adam`) or an object (`{type: SGD, learning_rate: 0.01, momentum: 0.9}`).")
    loss: Loss = Field(description="A loss name (`sparse_categorical_crossentropy`) or an object (`{type: BinaryCrossentropy, from_logits: true}`).")
    metrics: list[Metric] = Field(default_factory=list, description="Metric names or objects, e.g. `[accuracy]` or `[{type: BinaryAccuracy, threshold: 0.7}]`.")


def metric_names(compile: Compile) -> list[str]:
    """The name each metric is logged under, in order, as Keras names them in a fresh session.

    A name is logged as written (`acc`, `MSE`); an object under its `name`, or Keras's
    default for its class, which for AUC, Precision, TruePositives, IoU... is the class in
    snake case, numbered from the second one on (`auc`, `auc_1`). Validation adds `val_`.
    """
    counters: dict[str, int] = {}
    out = []
    for metric in compile.metrics:
        if isinstance(metric, str):
            out.append(metric)
        elif metric.name is not None:
            out.append(metric.name)
        elif (default := metric.KERAS_NAMES.get(metric.type)) is not None:
            out.append(default)
        else:
            base = names.snake_case(metric.kind)
            n = counters.get(base, 0)
            counters[base] = n + 1
            out.append(base if n == 0 else f"{base}_{n}")
    return out


class Fit(_Model):
    """Arguments of `model.fit`."""

    epochs: PositiveInt = 1
    batch_size: PositiveInt = 32
    validation_split: Annotated[float, Field(ge=0.0, lt=1.0, strict=True)] = Field(
        0.0, description="Fraction of the training data held out for validation, in [0, 1)."
    )
    shuffle: StrictBool = True
    seed: StrictInt | None = Field(None, description="Seed for weights, shuffling and dropout: two runs with the same seed are identical.")
    distribute: Choice("mirrored", "multi_worker") | None = Field(None, description="Train through a `tf.distribute` strategy.")
    callbacks: list[Callback] = Field(  # type: ignore[valid-type]
        default_factory=list,
        description="Keras callbacks, e.g. `[{type: EarlyStopping, monitor: val_loss, patience: 3, restore_best_weights: true}]`.",
    )


class ArrayNames(_Model):
    """The names of the arrays inside the `.npz`, when they are not Keras's `mnist.npz` names."""

    x_train: str = "x_train"
    y_train: str = "y_train"
    x_test: str = "x_test"
    y_test: str = "y_test"


TASKS = ("classification", "binary", "multi_label", "regression", "reconstruction")


class Data(_Model):
    """The training data, and what the model learns to predict from it (the task)."""

    dataset: Dataset = "mnist"
    task: Choice(*TASKS) = Field(
        "classification",
        description="What the target is: `classification` (one class of several, labels as in `labels`), "
        "`binary` (0/1), `multi_label` (several 0/1 per sample, multi-hot), `regression` (numbers: "
        "one or a vector per sample), `reconstruction` (the target is the input: an autoencoder).",
    )
    labels: Choice("sparse", "one_hot") = Field(
        "sparse", description="For classification: how the loss takes the labels, `sparse` (integer class ids) or `one_hot`."
    )
    num_classes: Annotated[int, Field(ge=2, strict=True)] | None = Field(
        None, description="Number of classes; 10 for MNIST and Fashion-MNIST."
    )
    positive_class: NonNegativeInt | None = Field(
        None,
        description="For `binary` on a dataset of several classes: this class is 1, every other class 0 "
        "(one digit against the rest).",
    )
    arrays: ArrayNames | None = Field(None, description="Names of the arrays in the `.npz` (default x_train, y_train, x_test, y_test).")

    @property
    def classes(self) -> int | None:
        """How many classes the target has: the number for classification, 2 for binary, None otherwise."""
        if self.task == "binary":
            return 2
        if self.task != "classification":
            return None
        if self.num_classes is not None:
            return self.num_classes
        return 10 if self.dataset in ("mnist", "fashion_mnist") else None

    @property
    def array_names(self) -> ArrayNames:
        return self.arrays or ArrayNames()


class Tune(_Model):
    """How `kerasspec tune` searches the spec's search spaces (KerasTuner's settings; see docs/tuning.md)."""

    objective: str = Field(
        "val_accuracy", description="The value `fit` logs that the search optimizes: `val_accuracy`, `val_loss`, a metric's name, `val_` + it."
    )
    direction: Choice("min", "max") | None = Field(  # type: ignore[valid-type]
        None, description="Whether the objective is minimized or maximized; null: inferred from its name (loss and errors min, accuracy-like max)."
    )
    algorithm: Choice("random", "hyperband", "bayesian") = Field(  # type: ignore[valid-type]
        "random", description="KerasTuner's search: `random` (RandomSearch), `hyperband` (Hyperband, up to fit.epochs), `bayesian` (BayesianOptimization)."
    )
    max_trials: PositiveInt = Field(10, description="How many candidates are trained (random and bayesian; hyperband sizes its own brackets).")
    executions_per_trial: PositiveInt = Field(1, description="Trainings per candidate, with seeds seed, seed+1, ...; the objective is their mean.")
    seed: StrictInt | None = Field(None, description="Seeds the search and every trial's training; null: drawn once and recorded in the run directory.")


class Spec(_Model):
    """A Keras Sequential model, its compile and fit settings, and its data (kerasspec spec, version 1)."""

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        defer_build=True,
        title="kerasspec",
        populate_by_name=True,
    )

    schema_: str | None = Field(default=None, alias="$schema", description="The JSON Schema this file follows (for editors); ignored by kerasspec.")
    name: LayerName | None = Field(None, description="The model's name.")
    input_shape: InputShape | None = Field(None, description="Shape of one sample, e.g. `[28, 28, 1]`; or give `input_shape` on the first layer.")
    layers: Annotated[list[LayerItem], Field(min_length=1)] = Field(
        description="The layers, in order; each names its Keras class in `type`."
    )
    compile: Compile | None = None
    fit: Fit | None = None
    data: Data | None = None
    tune: Tune | None = Field(None, description="Settings of `kerasspec tune`, for a spec whose values hold search spaces (`{choice: [...]}`, `{int: [lo, hi]}`...).")
