"""Training semantics (KS305, KS4xx) and resources/portability (KS5xx).

These are the mistakes Keras never reports, or reports only deep into ``fit``:
a loss that expects one-hot labels fed integer labels, a softmax whose output
the loss treats as logits, ten output units for a binary problem... Every rule
here is a pure function of the validated spec and its static shapes.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from . import spec as S
from .analysis import ShapeAnalysis
from .diagnostics import Diagnostic, pointer
from .layers import Layer
from .layers.core import Input
from .shapes import fmt_shape

#: Image shapes (without batch) a 28x28 grayscale dataset can be fed as; the compiler adapts the data.
MNIST_INPUTS = {(28, 28), (28, 28, 1), (784,)}
MNIST_INPUTS_CHANNELS_FIRST = {(1, 28, 28)}
IMAGE_DATASETS = ("mnist", "fashion_mnist")

PROBABILITY_ACTIVATIONS = {"softmax", "sigmoid"}
_CE_FAMILY = {
    # loss spelling -> (family, default from_logits)
    "sparse_categorical_crossentropy": "sparse", "SparseCategoricalCrossentropy": "sparse",
    "categorical_crossentropy": "categorical", "CategoricalCrossentropy": "categorical",
    "categorical_focal_crossentropy": "categorical", "CategoricalFocalCrossentropy": "categorical",
    "binary_crossentropy": "binary", "bce": "binary", "BCE": "binary", "BinaryCrossentropy": "binary",
    "binary_focal_crossentropy": "binary", "BinaryFocalCrossentropy": "binary",
}  # fmt: skip
_REGRESSION = {
    "mean_squared_error", "mse", "MSE", "mean_absolute_error", "mae", "MAE",
    "mean_absolute_percentage_error", "mape", "MAPE", "mean_squared_logarithmic_error", "msle",
    "MSLE", "huber", "log_cosh", "MeanSquaredError", "MeanAbsoluteError",
    "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "Huber", "LogCosh",
}  # fmt: skip
_BINARY_METRICS = {"binary_accuracy", "BinaryAccuracy"}
_CATEGORICAL_METRICS = {"categorical_accuracy", "CategoricalAccuracy", "top_k_categorical_accuracy", "TopKCategoricalAccuracy"}
_SPARSE_METRICS = {
    "sparse_categorical_accuracy", "SparseCategoricalAccuracy",
    "sparse_top_k_categorical_accuracy", "SparseTopKCategoricalAccuracy",
}  # fmt: skip


DEFAULT_MAX_PARAMS = 25_000_000  # 100 MB of float32 weights
DEFAULT_MAX_MEMORY = 4 * 1024**3


@dataclass(frozen=True, slots=True)
class Budget:
    """Resource limits: above a limit is a warning, above ``error_factor`` times it an error."""

    max_params: int = DEFAULT_MAX_PARAMS
    max_memory_bytes: int = DEFAULT_MAX_MEMORY
    error_factor: int = 10


@dataclass(frozen=True, slots=True)
class LossInfo:
    name: str  # the spelling used in the spec
    family: str | None  # "sparse" | "categorical" | "binary" | None
    from_logits: bool
    regression: bool


def loss_info(loss: object) -> LossInfo:
    if isinstance(loss, str):
        return LossInfo(loss, _CE_FAMILY.get(loss), False, loss in _REGRESSION)
    kind = getattr(loss, "type", "")
    return LossInfo(kind, _CE_FAMILY.get(kind), bool(getattr(loss, "from_logits", False)), kind in _REGRESSION)


@dataclass(frozen=True, slots=True)
class OutputActivation:
    activation: str  # "linear" when the last transforming layer has none
    index: int  # the layer that applies it
    field: str | None  # "activation" when the layer has that field


def output_activation(layers: list[Layer]) -> OutputActivation | None:
    """The activation the model's output passes through last (dropout is the identity at inference)."""
    for i in range(len(layers) - 1, -1, -1):
        layer = layers[i]
        if isinstance(layer, Input):
            return None
        act = layer.output_activation()
        if act is None:
            continue
        field = "activation" if "activation" in type(layer).model_fields else None
        return OutputActivation(act, i, field)
    return None


def check_semantics(
    spec: S.Spec,
    shapes: ShapeAnalysis | None,
    *,
    data: S.Data | None = None,
    budget: Budget = Budget(),
) -> list[Diagnostic]:
    """Every KS305/KS4xx/KS5xx finding. ``data`` overrides the spec's own (``train`` passes MNIST's)."""
    data = data if data is not None else spec.data
    out: list[Diagnostic] = []
    out += _portability(spec)
    if shapes is not None and shapes.complete:
        out += _resources(spec, shapes, budget)
        if data is not None:
            out += _input_vs_dataset(spec, shapes, data)
        if spec.compile is not None and spec.compile.loss is not None:
            out += list(_training(spec, shapes, data))
    return out


def _portability(spec: S.Spec) -> list[Diagnostic]:
    out = []
    for i, layer in enumerate(spec.layers):
        if getattr(layer, "data_format", None) == "channels_first" and _runs_conv_kernel(layer):
            out.append(
                Diagnostic(
                    "KS503",
                    f"{layer.kind} with data_format channels_first builds, but TensorFlow's CPU "
                    "kernels cannot run it (UnimplementedError at fit/predict time)",
                    path=pointer(("layers", i, "data_format")),
                    hint="use channels_last (the default) unless the model only ever runs on a GPU",
                )
            )
    return out


def _runs_conv_kernel(layer: Layer) -> bool:
    return layer.CONV_KERNEL or any(_runs_conv_kernel(inner) for inner in layer.sublayers())


def _resources(spec: S.Spec, shapes: ShapeAnalysis, budget: Budget) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    total = shapes.total_params
    biggest = max(shapes.layers, key=lambda info: info.params, default=None)
    if total > budget.max_params and biggest is not None:
        over = total > budget.max_params * budget.error_factor
        typo = " for a typo (units: 1000000?)" if over else ""
        d = Diagnostic(
            "KS501",
            f"the model has {total:,} parameters ({_size(total * 4)} of float32 weights), "
            f"above the budget of {budget.max_params:,}; the largest layer is "
            f"'{biggest.name}' ({biggest.type}) with {biggest.params:,}",
            path=pointer(("layers", biggest.index)),
            hint=f"check that layer's size{typo}, or add pooling before Flatten; "
            "raise the budget with --max-params if this size is intended",
        )
        out.append(d.as_error() if over else d)
    memory = estimate_memory(spec, shapes)
    if memory > budget.max_memory_bytes:
        over = memory > budget.max_memory_bytes * budget.error_factor
        batch = spec.fit.batch_size if spec.fit else 32
        d = Diagnostic(
            "KS502",
            f"training needs about {_size(memory)} (weights, gradients, optimizer state and "
            f"activations for a batch of {batch:,}), above the budget of {_size(budget.max_memory_bytes)}",
            path="/fit/batch_size" if spec.fit else "",
            hint="lower fit.batch_size or the layer sizes; raise the budget with --max-memory if intended",
        )
        out.append(d.as_error() if over else d)
    return out


def estimate_memory(spec: S.Spec, shapes: ShapeAnalysis) -> int:
    """Bytes to train: float32 weights x4 (weights, gradients, two optimizer slots) plus
    activations x2 (forward values kept for the backward pass, and their gradients)."""
    batch = spec.fit.batch_size if spec.fit else 32
    activations = sum(math.prod(d or 1 for d in info.output_shape[1:]) for info in shapes.layers)
    return 4 * (4 * shapes.total_params + 2 * batch * activations)


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    raise AssertionError


def _input_vs_dataset(spec: S.Spec, shapes: ShapeAnalysis, data: S.Data) -> list[Diagnostic]:
    if data.dataset not in IMAGE_DATASETS or shapes.input_shape is None:
        return []
    sample = shapes.input_shape[1:]
    allowed = set(MNIST_INPUTS)
    if any(getattr(layer, "data_format", None) == "channels_first" for layer in spec.layers):
        allowed |= MNIST_INPUTS_CHANNELS_FIRST
    if any(_fits(sample, shape) for shape in allowed):
        return []
    path = ("input_shape",) if spec.input_shape is not None else ("layers", 0, _input_field(spec.layers[0]))
    return [
        Diagnostic(
            "KS305",
            f"input shape {list(sample)} does not fit {data.dataset}'s 28x28 grayscale images",
            path=pointer(path),
            hint="use [28, 28, 1] for convolutions, [784] for Dense layers on flat pixels, "
            "or [28, 28] with a Flatten first",
        )
    ]


def _input_field(layer: Layer) -> str:
    if isinstance(layer, Input):
        return "shape"
    return "input_dim" if layer.input_dim is not None else "input_shape"


def _fits(sample: tuple[int | None, ...], shape: tuple[int, ...]) -> bool:
    return len(sample) == len(shape) and all(s is None or s == d for s, d in zip(sample, shape, strict=True))


def _training(spec: S.Spec, shapes: ShapeAnalysis, data: S.Data | None) -> Iterator[Diagnostic]:
    compile_ = spec.compile
    assert compile_ is not None
    loss = loss_info(compile_.loss)
    out_shape = shapes.output_shape
    units = out_shape[-1] if len(out_shape) >= 2 else None
    act = output_activation(list(spec.layers))
    labels = data.labels if data is not None else None
    classes = data.classes if data is not None else None
    loss_path = pointer(("compile", "loss"))
    last = len(spec.layers) - 1
    act_path = pointer(("layers", act.index, act.field) if act and act.field else ("layers", act.index if act else last))
    units_path = pointer(("layers", act.index, "units")) if act and "units" in type(spec.layers[act.index]).model_fields else pointer(("layers", last))

    # KS406: a classification loss needs (batch, classes); an image-shaped output means a missing Flatten.
    if loss.family and len(out_shape) > 2:
        yield Diagnostic(
            "KS406",
            f"{loss.name} receives the model's output of shape {fmt_shape(out_shape)}, rank "
            f"{len(out_shape)}; a classifier's output is (batch, classes)",
            path=pointer(("layers", last)),
            hint="add a Flatten (or GlobalAveragePooling2D) before the last Dense layer",
        )
        return

    # KS401: label encoding.
    if labels is not None and loss.family == "sparse" and labels == "one_hot":
        yield Diagnostic(
            "KS401",
            f"{loss.name} expects integer class ids, but data.labels is one_hot",
            path=loss_path,
            hint="use categorical_crossentropy for one-hot labels, or set data.labels: sparse",
        )
    if labels is not None and loss.family == "categorical" and labels == "sparse":
        yield Diagnostic(
            "KS401",
            f"{loss.name} expects one-hot labels, but data.labels is sparse (integer class ids)",
            path=loss_path,
            hint="use sparse_categorical_crossentropy for integer labels, or set data.labels: one_hot",
        )

    # KS404: softmax over a single unit is constant 1.0 whatever the input.
    if act and act.activation == "softmax" and units == 1:
        yield Diagnostic(
            "KS404",
            "softmax over a single unit always outputs 1.0, so the model cannot learn",
            path=act_path,
            hint="for a binary problem use activation: sigmoid with binary_crossentropy; "
            "for classes, set units to the number of classes",
        )

    # KS402: units vs classes.
    if classes is not None and units is not None and loss.family in ("sparse", "categorical") and units != classes:
        yield Diagnostic(
            "KS402",
            f"the last layer has {units} units but the data has {classes} classes; {loss.name} "
            "needs one output per class",
            path=units_path,
            hint=f"set units: {classes}",
        )

    # KS405: binary outputs or losses on a multi-class problem.
    if loss.family == "binary" and classes is not None and classes > 2 and labels == "sparse":
        yield Diagnostic(
            "KS405",
            f"{loss.name} treats each output as an independent yes/no, but the data has "
            f"{classes} classes given as integer ids",
            path=loss_path,
            hint="use sparse_categorical_crossentropy with a softmax output of one unit per class",
        )
    if act and act.activation == "sigmoid" and loss.family in ("sparse", "categorical") and (units or 0) > 1:
        yield Diagnostic(
            "KS405",
            f"sigmoid outputs do not sum to 1 across the {units} classes, but {loss.name} "
            "treats them as one probability distribution",
            path=act_path,
            hint="use activation: softmax for one-of-N classes",
        )

    # KS403: output activation vs from_logits.
    if loss.family and act is not None:
        probabilistic = act.activation in PROBABILITY_ACTIVATIONS
        if loss.from_logits and probabilistic:
            yield Diagnostic(
                "KS403",
                f"the output already goes through {act.activation}, but the loss has from_logits: "
                f"true and will apply {'sigmoid' if loss.family == 'binary' else 'softmax'} again",
                path=act_path,
                hint="remove the output activation (logits), or set from_logits: false",
            )
        elif not loss.from_logits and not probabilistic:
            wanted = "sigmoid" if loss.family == "binary" else "softmax"
            yield Diagnostic(
                "KS403",
                f"the output activation is {act.activation}, so the model outputs "
                f"{'logits' if act.activation == 'linear' else 'values that are not probabilities'}, "
                f"but {loss.name} expects probabilities (from_logits is false)",
                path=act_path,
                hint=f"add activation: {wanted} to the last layer, or use "
                f"`loss: {{type: {_class_of(loss.family)}, from_logits: true}}`",
            )

    # KS408: regression loss on integer class ids.
    if loss.regression and labels == "sparse" and classes is not None:
        yield Diagnostic(
            "KS408",
            f"{loss.name} on integer class ids treats the classes as numbers (7 is 'closer' to 8 than to 1)",
            path=loss_path,
            hint="use sparse_categorical_crossentropy with a softmax output of one unit per class",
        )

    # KS407: metrics that will not measure what the loss and labels mean.
    for j, metric in enumerate(compile_.metrics):
        name = metric if isinstance(metric, str) else metric.type
        path = pointer(("compile", "metrics", j))
        if name in _BINARY_METRICS and (classes or 0) > 2:
            yield Diagnostic(
                "KS407",
                f"{name} thresholds each output at 0.5 as a yes/no; on {classes} classes it does not "
                "measure classification accuracy",
                path=path,
                hint="use accuracy (Keras picks the right variant for the loss)",
            )
        elif name in _CATEGORICAL_METRICS and labels == "sparse" and loss.family == "sparse":
            yield Diagnostic(
                "KS407",
                f"{name} expects one-hot labels, but the labels are integer class ids",
                path=path,
                hint="use accuracy or sparse_categorical_accuracy",
            )
        elif name in _SPARSE_METRICS and labels == "one_hot":
            yield Diagnostic(
                "KS407",
                f"{name} expects integer class ids, but the labels are one-hot",
                path=path,
                hint="use accuracy or categorical_accuracy",
            )


def _class_of(family: str | None) -> str:
    return {"sparse": "SparseCategoricalCrossentropy", "categorical": "CategoricalCrossentropy"}.get(
        family or "", "BinaryCrossentropy"
    )
