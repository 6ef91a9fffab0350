"""The spec language, version 1: pydantic models with Keras's argument names and defaults.

A spec is a :class:`Spec`. Its layers are the definitions of
:mod:`kerasspec.layers`, each validated by its own class (dispatched on
``type``); optimizer, loss and metric objects are discriminated unions on
``type``. Each class lists the Keras constructor arguments with Keras's
defaults. Every model is strict (``units: "32"`` and ``filters: 32.5`` are
errors, not coerced) and closed (unknown keys are errors).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from . import names
from .fields import (
    Choice,
    Dataset,
    InputShape,
    Name,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    Rate,
    StrictBool,
    StrictInt,
)
from .layers import LayerItem
from .layers.base import LayerName


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


# --------------------------------------------------------------------------- compile


class _Optimizer(_Model):
    learning_rate: PositiveFloat = 0.001
    weight_decay: NonNegativeFloat | None = None
    clipnorm: PositiveFloat | None = None
    clipvalue: PositiveFloat | None = None
    global_clipnorm: PositiveFloat | None = None


class SGD(_Optimizer):
    """Stochastic gradient descent, with optional (Nesterov) momentum."""

    type: Literal["SGD"]
    learning_rate: PositiveFloat = 0.01
    momentum: NonNegativeFloat = 0.0
    nesterov: StrictBool = False


class Adam(_Optimizer):
    """Adam."""

    type: Literal["Adam"]
    beta_1: Rate = 0.9
    beta_2: Rate = 0.999
    epsilon: PositiveFloat = 1e-7
    amsgrad: StrictBool = False


class AdamW(Adam):
    """Adam with decoupled weight decay."""

    type: Literal["AdamW"]  # type: ignore[assignment]
    weight_decay: NonNegativeFloat = 0.004


class RMSprop(_Optimizer):
    """RMSprop."""

    type: Literal["RMSprop"]
    rho: Rate = 0.9
    momentum: NonNegativeFloat = 0.0
    epsilon: PositiveFloat = 1e-7
    centered: StrictBool = False


class Adadelta(_Optimizer):
    """Adadelta."""

    type: Literal["Adadelta"]
    rho: Rate = 0.95
    epsilon: PositiveFloat = 1e-7


class Adagrad(_Optimizer):
    """Adagrad."""

    type: Literal["Adagrad"]
    initial_accumulator_value: NonNegativeFloat = 0.1
    epsilon: PositiveFloat = 1e-7


class Adamax(_Optimizer):
    """Adamax."""

    type: Literal["Adamax"]
    beta_1: Rate = 0.9
    beta_2: Rate = 0.999
    epsilon: PositiveFloat = 1e-7


class Nadam(_Optimizer):
    """Nadam."""

    type: Literal["Nadam"]
    beta_1: Rate = 0.9
    beta_2: Rate = 0.999
    epsilon: PositiveFloat = 1e-7


class Lion(_Optimizer):
    """Lion."""

    type: Literal["Lion"]
    learning_rate: PositiveFloat = 0.001
    beta_1: Rate = 0.9
    beta_2: Rate = 0.99


OPTIMIZER_CLASSES: tuple[type[_Optimizer], ...] = (
    SGD, Adam, AdamW, RMSprop, Adadelta, Adagrad, Adamax, Nadam, Lion,
)  # fmt: skip


class _Loss(_Model):
    pass


class _ProbabilisticLoss(_Loss):
    from_logits: StrictBool = Field(False, description="True when the model outputs logits (no softmax/sigmoid on the last layer).")
    label_smoothing: Rate = 0.0


class BinaryCrossentropy(_ProbabilisticLoss):
    """Crossentropy for binary (0/1) labels."""

    type: Literal["BinaryCrossentropy"]


class CategoricalCrossentropy(_ProbabilisticLoss):
    """Crossentropy for one-hot labels."""

    type: Literal["CategoricalCrossentropy"]


class SparseCategoricalCrossentropy(_Loss):
    """Crossentropy for integer class labels."""

    type: Literal["SparseCategoricalCrossentropy"]
    from_logits: StrictBool = Field(False, description="True when the model outputs logits (no softmax on the last layer).")
    ignore_class: StrictInt | None = None


class BinaryFocalCrossentropy(_ProbabilisticLoss):
    """Focal crossentropy for binary labels."""

    type: Literal["BinaryFocalCrossentropy"]
    apply_class_balancing: StrictBool = False
    alpha: Rate = 0.25
    gamma: NonNegativeFloat = 2.0


class CategoricalFocalCrossentropy(_ProbabilisticLoss):
    """Focal crossentropy for one-hot labels."""

    type: Literal["CategoricalFocalCrossentropy"]
    alpha: Rate = 0.25
    gamma: NonNegativeFloat = 2.0


class Huber(_Loss):
    """Huber loss."""

    type: Literal["Huber"]
    delta: PositiveFloat = 1.0


class CosineSimilarity(_Loss):
    """Negative cosine similarity."""

    type: Literal["CosineSimilarity"]
    axis: StrictInt = -1


class _PlainLoss(_Loss):
    type: Literal[
        "MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
        "MeanSquaredLogarithmicError", "LogCosh", "Hinge", "SquaredHinge", "CategoricalHinge",
        "KLDivergence", "Poisson",
    ]  # fmt: skip


class PlainLoss(_PlainLoss):
    """A loss without settings, e.g. `{type: MeanSquaredError}`."""


LOSS_CLASSES: tuple[type[_Loss], ...] = (
    BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
    BinaryFocalCrossentropy, CategoricalFocalCrossentropy, Huber, CosineSimilarity, PlainLoss,
)  # fmt: skip


class _Metric(_Model):
    name: str | None = None


class BinaryAccuracy(_Metric):
    """How often a prediction above `threshold` matches a 0/1 label."""

    type: Literal["BinaryAccuracy"]
    threshold: Rate = 0.5


class TopKAccuracy(_Metric):
    """Whether the label is among the `k` highest predictions."""

    type: Literal["TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy"]
    k: PositiveInt = 5


class AUC(_Metric):
    """Area under the ROC or PR curve."""

    type: Literal["AUC"]
    num_thresholds: Annotated[int, Field(ge=2, strict=True)] = 200
    curve: Choice("ROC", "PR") = "ROC"
    multi_label: StrictBool = False
    from_logits: StrictBool = False


class PrecisionRecall(_Metric):
    """Precision or recall at a decision threshold."""

    type: Literal["Precision", "Recall"]
    thresholds: Rate | None = None
    top_k: PositiveInt | None = None
    class_id: NonNegativeInt | None = None


class CrossentropyMetric(_Metric):
    """Crossentropy tracked as a metric."""

    type: Literal["BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy"]
    from_logits: StrictBool = False


class PlainMetric(_Metric):
    """A metric without settings, e.g. `{type: MeanAbsoluteError}`."""

    type: Literal[
        "Accuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy", "MeanAbsoluteError",
        "MeanSquaredError", "RootMeanSquaredError", "MeanAbsolutePercentageError",
        "MeanSquaredLogarithmicError", "R2Score", "KLDivergence", "Poisson", "Hinge",
        "SquaredHinge", "CategoricalHinge", "CosineSimilarity", "LogCoshError",
    ]  # fmt: skip


METRIC_CLASSES: tuple[type[_Metric], ...] = (
    BinaryAccuracy, TopKAccuracy, AUC, PrecisionRecall, CrossentropyMetric, PlainMetric,
)  # fmt: skip


def _name_or_object(value: Any) -> str:
    return "name" if isinstance(value, str) else "object"


OptimizerName = Name(names.OPTIMIZERS, code="KS208", what="optimizer", case_insensitive=True)
LossName = Name(names.LOSSES, code="KS209", what="loss")
MetricName = Name(names.METRICS, code="KS210", what="metric")

Optimizer = Annotated[
    Union[  # noqa: UP007
        Annotated[OptimizerName, Tag("name")],
        Annotated[Annotated[Union[OPTIMIZER_CLASSES], Field(discriminator="type")], Tag("object")],  # type: ignore[valid-type]  # noqa: UP007
    ],
    Discriminator(_name_or_object),
]
Loss = Annotated[
    Union[  # noqa: UP007
        Annotated[LossName, Tag("name")],
        Annotated[Annotated[Union[LOSS_CLASSES], Field(discriminator="type")], Tag("object")],  # type: ignore[valid-type]  # noqa: UP007
    ],
    Discriminator(_name_or_object),
]
Metric = Annotated[
    Union[  # noqa: UP007
        Annotated[MetricName, Tag("name")],
        Annotated[Annotated[Union[METRIC_CLASSES], Field(discriminator="type")], Tag("object")],  # type: ignore[valid-type]  # noqa: UP007
    ],
    Discriminator(_name_or_object),
]

#: Tags pydantic puts into error locations for the unions above; validation drops them.
UNION_TAGS: frozenset[str] = frozenset(
    {"name", "object"}
    | {t for c in (*OPTIMIZER_CLASSES, *LOSS_CLASSES, *METRIC_CLASSES) for t in c.model_fields["type"].annotation.__args__}
)


class Compile(_Model):
    """Arguments of `model.compile`."""

    optimizer: Optimizer = Field("rmsprop", description="An optimizer name (`adam`) or an object (`{type: SGD, learning_rate: 0.01, momentum: 0.9}`).")
    loss: Loss = Field(description="A loss name (`sparse_categorical_crossentropy`) or an object (`{type: BinaryCrossentropy, from_logits: true}`).")
    metrics: list[Metric] = Field(default_factory=list, description="Metric names or objects, e.g. `[accuracy]` or `[{type: BinaryAccuracy, threshold: 0.7}]`.")


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


class Data(_Model):
    """The training data."""

    dataset: Dataset = "mnist"
    labels: Choice("sparse", "one_hot") = Field("sparse", description="`sparse` (integer class ids) or `one_hot`.")
    num_classes: Annotated[int, Field(ge=2, strict=True)] | None = Field(
        None, description="Number of classes; 10 for MNIST and Fashion-MNIST."
    )

    @property
    def classes(self) -> int | None:
        if self.num_classes is not None:
            return self.num_classes
        return 10 if self.dataset in ("mnist", "fashion_mnist") else None


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
