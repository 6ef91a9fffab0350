"""The spec language, version 1: pydantic models with Keras's argument names and defaults.

A spec is a :class:`Spec`. Layers, optimizer objects, loss objects and metric
objects are discriminated unions on ``type``; each class lists the Keras
constructor arguments that change shapes, parameters or behaviour, with Keras's
defaults. Every model is strict (``units: "32"`` and ``filters: 32.5`` are
errors, not coerced) and closed (unknown keys are errors).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from . import names
from .fields import (
    Choice,
    Dataset,
    InputShape,
    IntTuple,
    Name,
    NonNegativeFloat,
    NonNegativeInt,
    Padding2D,
    PositiveFloat,
    PositiveInt,
    Rate,
    StrictBool,
    StrictFloat,
    StrictInt,
    TargetShape,
)


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


Activation = Name(names.ACTIVATIONS, code="KS207", what="activation")
Initializer = Name(names.INITIALIZERS, code="KS206", what="initializer")
Padding = Choice("valid", "same", case_insensitive=True, description="`valid` (no padding) or `same`; any case.")
CausalPadding = Choice("valid", "same", "causal", case_insensitive=True, description="`valid`, `same` or `causal`; any case.")
DataFormat = Choice(
    "channels_last",
    "channels_first",
    case_insensitive=True,
    description="`channels_last` (batch, ..., channels) or `channels_first` (batch, channels, ...). Default: channels_last.",
)
LayerName = Annotated[str, Field(min_length=1, pattern=r"^[^/]+$", description="A unique layer name (no '/').")]


class RegularizerConfig(_Model):
    """A weight penalty: `{type: L2, l2: 0.01}`, `{type: L1, l1: 0.01}` or `{type: L1L2, l1: ..., l2: ...}`."""

    type: Literal["L1", "L2", "L1L2"]
    l1: NonNegativeFloat | None = None
    l2: NonNegativeFloat | None = None


Regularizer = Union[Name(names.REGULARIZERS, code="KS206", what="regularizer"), RegularizerConfig]  # noqa: UP007


# --------------------------------------------------------------------------- layers


class Layer(_Model):
    """Arguments every Keras layer takes."""

    TYPES: ClassVar[tuple[str, ...]] = ()  # the `type` spellings, canonical one first

    name: LayerName | None = None
    trainable: StrictBool = Field(True, description="Whether the layer's weights train; frozen weights count as non-trainable parameters.")
    input_shape: InputShape | None = Field(None, description="Shape of one sample; Keras uses it on the first layer only.")
    input_dim: PositiveInt | None = Field(None, description="Shorthand for `input_shape: [input_dim]`, as in Keras.")

    @property
    def kind(self) -> str:
        return self.TYPES[0]


def _types(*spellings: str) -> Any:
    return Literal[spellings]  # type: ignore[valid-type]


class Input(Layer):
    """The model's input: `{type: Input, shape: [28, 28, 1]}`. Only as the first layer."""

    TYPES: ClassVar = ("Input", "InputLayer")
    type: Literal["Input", "InputLayer"]
    shape: InputShape = Field(description="Shape of one sample, without the batch dimension.")


class Dense(Layer):
    """A fully connected layer, applied to the last axis of its input."""

    TYPES: ClassVar = ("Dense",)
    type: Literal["Dense"]
    units: PositiveInt = Field(description="Number of output units.")
    activation: Activation | None = Field(None, description="Activation function name; null or `linear` for none.")
    use_bias: StrictBool = True
    kernel_initializer: Initializer = "glorot_uniform"
    bias_initializer: Initializer = "zeros"
    kernel_regularizer: Regularizer | None = None
    bias_regularizer: Regularizer | None = None
    activity_regularizer: Regularizer | None = None


class _Conv(Layer):
    filters: PositiveInt = Field(description="Number of output channels.")
    activation: Activation | None = None
    use_bias: StrictBool = True
    data_format: DataFormat | None = None
    kernel_initializer: Initializer = "glorot_uniform"
    bias_initializer: Initializer = "zeros"
    kernel_regularizer: Regularizer | None = None
    bias_regularizer: Regularizer | None = None
    activity_regularizer: Regularizer | None = None


class Conv2D(_Conv):
    """2D convolution: `(batch, rows, cols, channels)` in, `filters` channels out."""

    TYPES: ClassVar = ("Conv2D", "Convolution2D")
    type: Literal["Conv2D", "Convolution2D"]
    kernel_size: IntTuple(2)
    strides: IntTuple(2) = (1, 1)
    padding: Padding = "valid"
    dilation_rate: IntTuple(2) = (1, 1)
    groups: PositiveInt = 1


class Conv1D(_Conv):
    """1D convolution over `(batch, steps, channels)`."""

    TYPES: ClassVar = ("Conv1D", "Convolution1D")
    type: Literal["Conv1D", "Convolution1D"]
    kernel_size: IntTuple(1)
    strides: IntTuple(1) = (1,)
    padding: CausalPadding = "valid"
    dilation_rate: IntTuple(1) = (1,)
    groups: PositiveInt = 1


class Conv2DTranspose(_Conv):
    """Transposed 2D convolution (a learned upsampling)."""

    TYPES: ClassVar = ("Conv2DTranspose", "Convolution2DTranspose")
    type: Literal["Conv2DTranspose", "Convolution2DTranspose"]
    kernel_size: IntTuple(2)
    strides: IntTuple(2) = (1, 1)
    padding: Padding = "valid"
    output_padding: IntTuple(2, minimum=0) | None = None
    dilation_rate: IntTuple(2) = (1, 1)


class SeparableConv2D(Layer):
    """Depthwise convolution per channel, then a 1x1 pointwise convolution."""

    TYPES: ClassVar = ("SeparableConv2D", "SeparableConvolution2D")
    type: Literal["SeparableConv2D", "SeparableConvolution2D"]
    filters: PositiveInt
    kernel_size: IntTuple(2)
    strides: IntTuple(2) = (1, 1)
    padding: Padding = "valid"
    data_format: DataFormat | None = None
    dilation_rate: IntTuple(2) = (1, 1)
    depth_multiplier: PositiveInt = 1
    activation: Activation | None = None
    use_bias: StrictBool = True
    depthwise_initializer: Initializer = "glorot_uniform"
    pointwise_initializer: Initializer = "glorot_uniform"
    bias_initializer: Initializer = "zeros"


class DepthwiseConv2D(Layer):
    """One spatial filter per input channel (times `depth_multiplier`)."""

    TYPES: ClassVar = ("DepthwiseConv2D",)
    type: Literal["DepthwiseConv2D"]
    kernel_size: IntTuple(2)
    strides: IntTuple(2) = (1, 1)
    padding: Padding = "valid"
    depth_multiplier: PositiveInt = 1
    data_format: DataFormat | None = None
    dilation_rate: IntTuple(2) = (1, 1)
    activation: Activation | None = None
    use_bias: StrictBool = True
    depthwise_initializer: Initializer = "glorot_uniform"
    bias_initializer: Initializer = "zeros"


class _Pool2D(Layer):
    pool_size: IntTuple(2) = (2, 2)
    strides: IntTuple(2) | None = Field(None, description="Defaults to `pool_size`.")
    padding: Padding = "valid"
    data_format: DataFormat | None = None


class MaxPooling2D(_Pool2D):
    """Max over `pool_size` windows of each channel."""

    TYPES: ClassVar = ("MaxPooling2D", "MaxPool2D")
    type: Literal["MaxPooling2D", "MaxPool2D"]


class AveragePooling2D(_Pool2D):
    """Average over `pool_size` windows of each channel."""

    TYPES: ClassVar = ("AveragePooling2D", "AvgPool2D")
    type: Literal["AveragePooling2D", "AvgPool2D"]


class _Pool1D(Layer):
    pool_size: IntTuple(1) = (2,)
    strides: IntTuple(1) | None = Field(None, description="Defaults to `pool_size`.")
    padding: Padding = "valid"
    data_format: DataFormat | None = None


class MaxPooling1D(_Pool1D):
    """Max over `pool_size` steps."""

    TYPES: ClassVar = ("MaxPooling1D", "MaxPool1D")
    type: Literal["MaxPooling1D", "MaxPool1D"]


class AveragePooling1D(_Pool1D):
    """Average over `pool_size` steps."""

    TYPES: ClassVar = ("AveragePooling1D", "AvgPool1D")
    type: Literal["AveragePooling1D", "AvgPool1D"]


class _GlobalPool(Layer):
    data_format: DataFormat | None = None
    keepdims: StrictBool = False


class GlobalAveragePooling2D(_GlobalPool):
    """Average over rows and columns: one value per channel."""

    TYPES: ClassVar = ("GlobalAveragePooling2D", "GlobalAvgPool2D")
    type: Literal["GlobalAveragePooling2D", "GlobalAvgPool2D"]


class GlobalMaxPooling2D(_GlobalPool):
    """Max over rows and columns: one value per channel."""

    TYPES: ClassVar = ("GlobalMaxPooling2D", "GlobalMaxPool2D")
    type: Literal["GlobalMaxPooling2D", "GlobalMaxPool2D"]


class GlobalAveragePooling1D(_GlobalPool):
    """Average over steps: one value per channel."""

    TYPES: ClassVar = ("GlobalAveragePooling1D", "GlobalAvgPool1D")
    type: Literal["GlobalAveragePooling1D", "GlobalAvgPool1D"]


class GlobalMaxPooling1D(_GlobalPool):
    """Max over steps: one value per channel."""

    TYPES: ClassVar = ("GlobalMaxPooling1D", "GlobalMaxPool1D")
    type: Literal["GlobalMaxPooling1D", "GlobalMaxPool1D"]


class Flatten(Layer):
    """Flattens each sample to one axis."""

    TYPES: ClassVar = ("Flatten",)
    type: Literal["Flatten"]
    data_format: DataFormat | None = None


class Dropout(Layer):
    """Sets a fraction `rate` of inputs to 0 while training."""

    TYPES: ClassVar = ("Dropout",)
    type: Literal["Dropout"]
    rate: Rate
    seed: StrictInt | None = None


class SpatialDropout2D(Layer):
    """Drops whole feature maps of 4D inputs while training."""

    TYPES: ClassVar = ("SpatialDropout2D",)
    type: Literal["SpatialDropout2D"]
    rate: Rate
    data_format: DataFormat | None = None
    seed: StrictInt | None = None


class ActivationLayer(Layer):
    """Applies an activation function."""

    TYPES: ClassVar = ("Activation",)
    type: Literal["Activation"]
    activation: Activation


class BatchNormalization(Layer):
    """Normalizes over the batch; 2 trainable and 2 non-trainable weights per channel."""

    TYPES: ClassVar = ("BatchNormalization",)
    type: Literal["BatchNormalization"]
    axis: StrictInt = -1
    momentum: Rate = 0.99
    epsilon: PositiveFloat = 1e-3
    center: StrictBool = True
    scale: StrictBool = True


class LayerNormalization(Layer):
    """Normalizes each sample over `axis`."""

    TYPES: ClassVar = ("LayerNormalization",)
    type: Literal["LayerNormalization"]
    axis: StrictInt | list[StrictInt] = -1
    epsilon: PositiveFloat = 1e-3
    center: StrictBool = True
    scale: StrictBool = True
    rms_scaling: StrictBool = False


class Reshape(Layer):
    """Reshapes each sample to `target_shape` (one entry may be -1)."""

    TYPES: ClassVar = ("Reshape",)
    type: Literal["Reshape"]
    target_shape: TargetShape


class Rescaling(Layer):
    """Multiplies by `scale` and adds `offset`, e.g. `scale: 0.00392156862745098` for 1/255."""

    TYPES: ClassVar = ("Rescaling",)
    type: Literal["Rescaling"]
    scale: StrictFloat
    offset: StrictFloat = 0.0


class ZeroPadding2D(Layer):
    """Pads rows and columns with zeros."""

    TYPES: ClassVar = ("ZeroPadding2D",)
    type: Literal["ZeroPadding2D"]
    padding: Padding2D = ((1, 1), (1, 1))
    data_format: DataFormat | None = None


class Cropping2D(Layer):
    """Crops rows and columns."""

    TYPES: ClassVar = ("Cropping2D",)
    type: Literal["Cropping2D"]
    cropping: Padding2D = ((0, 0), (0, 0))
    data_format: DataFormat | None = None


class UpSampling2D(Layer):
    """Repeats rows and columns `size` times."""

    TYPES: ClassVar = ("UpSampling2D",)
    type: Literal["UpSampling2D"]
    size: IntTuple(2) = (2, 2)
    data_format: DataFormat | None = None
    interpolation: Choice("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5", "area") = "nearest"


#: Every layer class of the spec language. Shape rules and Keras builders are keyed
#: by these classes; tests prove both registries cover every one.
LAYER_CLASSES: tuple[type[Layer], ...] = (
    Input, Dense, Conv2D, Conv1D, Conv2DTranspose, SeparableConv2D, DepthwiseConv2D,
    MaxPooling2D, AveragePooling2D, MaxPooling1D, AveragePooling1D,
    GlobalAveragePooling2D, GlobalMaxPooling2D, GlobalAveragePooling1D, GlobalMaxPooling1D,
    Flatten, Dropout, SpatialDropout2D, ActivationLayer, BatchNormalization, LayerNormalization,
    Reshape, Rescaling, ZeroPadding2D, Cropping2D, UpSampling2D,
)  # fmt: skip

#: Every accepted `type` spelling (aliases included) -> its class.
LAYER_TYPES: dict[str, type[Layer]] = {t: cls for cls in LAYER_CLASSES for t in cls.TYPES}

AnyLayer = Annotated[Union[LAYER_CLASSES], Field(discriminator="type")]  # type: ignore[valid-type]  # noqa: UP007


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
    | set(LAYER_TYPES)
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
    layers: Annotated[list[AnyLayer], Field(min_length=1)] = Field(
        description="The layers, in order; each names its Keras class in `type`."
    )
    compile: Compile | None = None
    fit: Fit | None = None
    data: Data | None = None
