"""Metrics (``keras.metrics``), for ``compile.metrics``."""

from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import Field, Strict, ValidationInfo, field_validator

from ..fields import Choice, NonNegativeInt, PositiveInt, StrictBool, StrictInt
from . import (
    KerasObject,
    Number,
    UnitNumber,
    bounded,
    doc,
    object_error,
)


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
            raise object_error("KS205", "must be > 1 when thresholds is not given, got {n}", n=value)
        return value

    @field_validator("num_labels")
    @classmethod
    def _labels_need_multi_label(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value and not info.data.get("multi_label"):
            raise object_error("KS211", "num_labels is needed only when multi_label is true", "set multi_label: true, or leave num_labels out")
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
        raise object_error("KS205", "needs at least one class id")  # Keras takes max() of them
    if num_classes is not None and max(ids) >= num_classes:
        raise object_error("KS205", "class id {got} is out of range [0, {n})", got=max(ids), n=num_classes)


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
