"""Losses (``keras.losses``), for ``compile.loss``."""

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, Strict

from ..fields import Choice, StrictBool, StrictInt
from . import (
    Axis,
    KerasObject,
    Number,
    doc,
)

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
