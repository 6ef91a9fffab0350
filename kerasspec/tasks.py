"""The tasks a model trains for, each with its training-semantics rules (KS4xx).

``data.task`` says what the target is. Each task below is one class whose
``rules`` yield the mistakes Keras never reports, or reports only deep into
``fit``: a loss that expects another label encoding, an output width that is not
the target's, an output activation the loss contradicts, a metric that measures
nothing for this target.

=================  ===========================================  ==========================
task               target per sample                             typical output and loss
=================  ===========================================  ==========================
classification     one class id (``labels: sparse``) or a        softmax over the classes,
                   one-hot row (``labels: one_hot``)             (sparse_)categorical CE
binary             0 or 1 (``positive_class``: one class vs      1 sigmoid unit, binary CE
                   the rest of a multi-class dataset)
multi_label        several 0/1 (a multi-hot row)                 sigmoid per label, binary CE
regression         a number or a vector of numbers               linear units, MSE/MAE/Huber
reconstruction     the input itself (an autoencoder)             the input's shape, MSE or
                                                                 per-pixel binary CE
=================  ===========================================  ==========================

Each rule's message names both sides and its hint says the fix; the rule codes
are documented in ``docs/rules.md``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from . import spec as S
from .analysis import ShapeAnalysis
from .datafiles import DataInfo
from .diagnostics import Diagnostic, Severity, pointer
from .shapes import Shape, fmt_list, fmt_shape

PROBABILITY_ACTIVATIONS = {"softmax", "sigmoid"}
_CE_FAMILY = {
    # loss spelling -> family
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
_TOP_K_METRICS = {
    "top_k_categorical_accuracy", "TopKCategoricalAccuracy",
    "sparse_top_k_categorical_accuracy", "SparseTopKCategoricalAccuracy",
}  # fmt: skip
#: Metrics that count matching classes: meaningless on continuous targets.
_ACCURACY_METRICS = {"accuracy", "acc", "Accuracy"} | _BINARY_METRICS | _CATEGORICAL_METRICS | _SPARSE_METRICS


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


@dataclass(frozen=True, slots=True)
class Context:
    """What every task rule reads: the spec, its shapes, its data (settings and, if read, the file)."""

    spec: S.Spec
    shapes: ShapeAnalysis
    data: S.Data
    info: DataInfo | None
    loss: LossInfo
    act: OutputActivation | None
    #: The output layer's fields that failed validation: rules that read them are skipped.
    degraded: frozenset[str] = frozenset()
    #: The model's output shape (the rules run on complete analyses only), and its last axis.
    #: Set once here: every rule reads them, several times.
    out_shape: Shape = dataclasses.field(init=False)
    units: int | None = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        out = self.shapes.output_shape
        assert out is not None
        object.__setattr__(self, "out_shape", out)  # frozen: set as dataclasses do
        object.__setattr__(self, "units", out[-1] if len(out) >= 2 else None)

    @property
    def loss_path(self) -> str:
        return pointer(("compile", "loss"))

    @property
    def last(self) -> int:
        return len(self.spec.layers) - 1

    @property
    def act_path(self) -> str:
        act = self.act
        if act and act.field:
            return pointer(("layers", act.index, act.field))
        return pointer(("layers", act.index if act else self.last))

    @property
    def units_path(self) -> str:
        act = self.act
        if act and "units" in type(self.spec.layers[act.index]).__pydantic_fields__:
            return pointer(("layers", act.index, "units"))
        return pointer(("layers", self.last))

    @property
    def activation_known(self) -> bool:
        return self.act is not None and "activation" not in self.degraded

    def classes(self) -> int | None:
        """The number of classes: the spec's, else the dataset's, else what the labels imply."""
        known = self.data.classes
        if known is not None:
            return known
        return self.info.classes() if self.info is not None and self.data.task == "classification" else None

    def target(self) -> tuple[int, ...] | None:
        """One sample's target shape, when the data file says it."""
        if self.info is None or "y_train" not in self.info.arrays:
            return None
        return self.info.arrays["y_train"].sample


def _units(n: int) -> str:
    return "1 unit" if n == 1 else f"{n} units"


class Task:
    """A kind of target; ``rules`` yields the findings for a compiled spec."""

    NAME: ClassVar[str] = ""

    def rules(self, ctx: Context) -> Iterator[Diagnostic]:
        raise NotImplementedError

    # ------------------------------------------------------------------ shared rules

    @staticmethod
    def output_rank(ctx: Context) -> Iterator[Diagnostic]:
        """KS406: a class-probability loss needs (batch, classes); an image-shaped output means a missing Flatten."""
        if ctx.loss.family and len(ctx.out_shape) > 2:
            yield Diagnostic(
                "KS406",
                f"{ctx.loss.name} receives the model's output of shape {fmt_shape(ctx.out_shape)}, rank "
                f"{len(ctx.out_shape)}; a classifier's output is (batch, classes)",
                path=pointer(("layers", ctx.last)),
                hint="add a Flatten (or GlobalAveragePooling2D) before the last Dense layer",
            )

    @staticmethod
    def single_unit_softmax(ctx: Context) -> Iterator[Diagnostic]:
        """KS404: softmax over a single unit is constant 1.0 whatever the input."""
        if ctx.activation_known and ctx.act and ctx.act.activation == "softmax" and ctx.units == 1:
            yield Diagnostic(
                "KS404",
                "softmax over a single unit always outputs 1.0, so the model cannot learn",
                path=ctx.act_path,
                hint="for a binary problem use activation: sigmoid with binary_crossentropy; "
                "for classes, set units to the number of classes",
            )

    @staticmethod
    def logits(ctx: Context) -> Iterator[Diagnostic]:
        """KS403: the output activation contradicts the crossentropy's `from_logits`."""
        loss, act = ctx.loss, ctx.act
        if not (loss.family and act is not None and ctx.activation_known):
            return
        probabilistic = act.activation in PROBABILITY_ACTIVATIONS
        if loss.from_logits and probabilistic:
            yield Diagnostic(
                "KS403",
                f"the output already goes through {act.activation}, but the loss has from_logits: "
                f"true and will apply {'sigmoid' if loss.family == 'binary' else 'softmax'} again",
                path=ctx.act_path,
                hint="remove the output activation (logits), or set from_logits: false",
            )
        elif not loss.from_logits and not probabilistic:
            wanted = "sigmoid" if loss.family == "binary" else "softmax"
            yield Diagnostic(
                "KS403",
                f"the output activation is {act.activation}, so the model outputs "
                f"{'logits' if act.activation == 'linear' else 'values that are not probabilities'}, "
                f"but {loss.name} expects probabilities (from_logits is false)",
                path=ctx.act_path,
                hint=f"add activation: {wanted} to the last layer, or use "
                f"`loss: {{type: {_class_of(loss.family)}, from_logits: true}}`",
            )

    @staticmethod
    def class_losses_refused(ctx: Context, target: str) -> Iterator[Diagnostic]:
        """KS410: a loss over one distribution of classes, on a target that is not one class."""
        if ctx.loss.family in ("sparse", "categorical"):
            yield Diagnostic(
                "KS410",
                f"{ctx.loss.name} treats the output as one probability distribution over classes, "
                f"but the task is {ctx.data.task}: the target is {target}",
                path=ctx.loss_path,
                hint=_LOSS_FOR[ctx.data.task],
            )

    @staticmethod
    def no_accuracy(ctx: Context, target: str) -> Iterator[Diagnostic]:
        """KS407: accuracy counts exact class matches: nothing on continuous targets."""
        assert ctx.spec.compile is not None
        for j, metric in enumerate(ctx.spec.compile.metrics):
            name = metric if isinstance(metric, str) else metric.type
            if name in _ACCURACY_METRICS:
                yield Diagnostic(
                    "KS407",
                    f"{name} counts predictions that equal the target exactly; on {target} it "
                    "measures nothing useful",
                    path=pointer(("compile", "metrics", j)),
                    hint="use mean_absolute_error or root_mean_squared_error",
                )

    @staticmethod
    def output_activation(ctx: Context, what: str) -> Iterator[Diagnostic]:
        """KS411: softmax makes outputs compete, which a target of independent values never does
        (KS404 over a single output: softmax makes it 1.0, whatever the task)."""
        if ctx.units == 1:
            yield from Task.single_unit_softmax(ctx)
            return
        if ctx.activation_known and ctx.act and ctx.act.activation == "softmax" and (ctx.units or 0) > 1:
            yield Diagnostic(
                "KS411",
                f"softmax makes the {ctx.units} outputs sum to 1, but {what} are independent values",
                path=ctx.act_path,
                hint="use a linear output (no activation) for numbers, or sigmoid for values in [0, 1]",
            )

    @staticmethod
    def width(ctx: Context, want: tuple[int | None, ...], what: str, fix: str) -> Iterator[Diagnostic]:
        """KS409: the model's output (without the batch) must have the target's shape."""
        got = ctx.out_shape[1:]
        if len(got) == len(want) and all(g is None or w is None or g == w for g, w in zip(got, want, strict=True)):
            return
        yield Diagnostic(
            "KS409",
            f"the model outputs {fmt_list(got)} per sample, but {what} is {fmt_list(want)}",
            path=ctx.units_path if len(got) == 1 and len(want) == 1 else pointer(("layers", ctx.last)),
            hint=fix,
        )


_LOSS_FOR = {
    "multi_label": "use binary_crossentropy with a sigmoid output per label",
    "regression": "use mean_squared_error (or mean_absolute_error, huber) with a linear output",
    "reconstruction": "use mean_squared_error, or binary_crossentropy per pixel with a sigmoid output",
}


def _class_of(family: str | None) -> str:
    return {"sparse": "SparseCategoricalCrossentropy", "categorical": "CategoricalCrossentropy"}.get(
        family or "", "BinaryCrossentropy"
    )


def _metric_names(ctx: Context) -> Iterator[tuple[int, str]]:
    assert ctx.spec.compile is not None
    for j, metric in enumerate(ctx.spec.compile.metrics):
        yield j, metric if isinstance(metric, str) else metric.type


# --------------------------------------------------------------------------- the tasks


class Classification(Task):
    """One class of several per sample: integer class ids or one-hot rows."""

    NAME: ClassVar = "classification"

    def rules(self, ctx: Context) -> Iterator[Diagnostic]:
        loss, labels, classes, units = ctx.loss, ctx.data.labels, ctx.classes(), ctx.units
        found = list(self.output_rank(ctx))
        if found:
            yield from found
            return
        # KS401: label encoding.
        if loss.family == "sparse" and labels == "one_hot":
            yield Diagnostic(
                "KS401",
                f"{loss.name} expects integer class ids, but data.labels is one_hot",
                path=ctx.loss_path,
                hint="use categorical_crossentropy for one-hot labels, or set data.labels: sparse",
            )
        if loss.family == "categorical" and labels == "sparse":
            yield Diagnostic(
                "KS401",
                f"{loss.name} expects one-hot labels, but data.labels is sparse (integer class ids)",
                path=ctx.loss_path,
                hint="use sparse_categorical_crossentropy for integer labels, or set data.labels: one_hot",
            )
        yield from self.single_unit_softmax(ctx)
        # KS402: units vs classes.
        if classes is not None and units is not None and loss.family in ("sparse", "categorical") and units != classes:
            source = "" if ctx.data.classes is not None else " (from its labels)"
            yield Diagnostic(
                "KS402",
                f"the last layer has {_units(units)} but the data has {classes} classes{source}; {loss.name} "
                "needs one output per class",
                path=ctx.units_path,
                hint=f"set units: {classes}",
            )
        # KS402 for a binary crossentropy: it compares output i with label column i.
        if loss.family == "binary" and units is not None and classes is not None:
            if labels == "one_hot" and units != classes:
                yield Diagnostic(
                    "KS402",
                    f"{loss.name} compares each output with one column of the one-hot labels: "
                    f"{classes} columns need {classes} units, the last layer has {units}",
                    path=ctx.units_path,
                    hint=f"set units: {classes}",
                )
            elif labels == "sparse" and classes == 2 and units != 1:
                yield Diagnostic(
                    "KS402",
                    f"{loss.name} on one 0/1 label per sample needs one output unit, the last layer has {units}",
                    path=ctx.units_path,
                    hint="set units: 1 (with activation: sigmoid), or use data.task: binary",
                )
        # KS405: binary outputs or losses on a multi-class problem.
        if loss.family == "binary" and classes is not None and classes > 2 and labels == "sparse":
            yield Diagnostic(
                "KS405",
                f"{loss.name} treats each output as an independent yes/no, but the data has "
                f"{classes} classes given as integer ids",
                path=ctx.loss_path,
                hint="use sparse_categorical_crossentropy with a softmax output of one unit per class",
            )
        softmax = ctx.activation_known and ctx.act is not None and ctx.act.activation == "softmax"
        if loss.family == "binary" and softmax and classes is not None and classes > 2 and labels == "one_hot":
            # Keras 3 trains it without a word (its `accuracy` follows the labels' shape: categorical).
            # Sigmoid outputs with it are one-vs-rest, independent yes/no on purpose: not this.
            yield Diagnostic(
                "KS405",
                f"{loss.name} scores each softmax output as an independent yes/no (the mean of {classes} binary "
                f"losses), but softmax makes the outputs one distribution over the {classes} classes of the one-hot "
                "labels: it trains, on another objective than the classes'",
                path=ctx.loss_path,
                hint="use categorical_crossentropy (sigmoid outputs, for independent yes/no per class)",
                severity=Severity.WARNING,
            )
        if ctx.activation_known and ctx.act and ctx.act.activation == "sigmoid" and loss.family in ("sparse", "categorical") and (units or 0) > 1:
            yield Diagnostic(
                "KS405",
                f"sigmoid outputs do not sum to 1 across the {units} classes, but {loss.name} "
                "treats them as one probability distribution",
                path=ctx.act_path,
                hint="use activation: softmax for one-of-N classes",
            )
        yield from self.logits(ctx)
        # KS408: regression loss on integer class ids.
        if loss.regression and labels == "sparse" and classes is not None:
            yield Diagnostic(
                "KS408",
                f"{loss.name} on integer class ids treats the classes as numbers (7 is 'closer' to 8 than to 1)",
                path=ctx.loss_path,
                hint="use sparse_categorical_crossentropy with a softmax output of one unit per class",
            )
        # KS407: metrics that will not measure what the loss and labels mean.
        for j, name in _metric_names(ctx):
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
                # categorical_accuracy takes the argmax of the class ids and scores nonsense;
                # top_k_categorical_accuracy fails in fit on their rank.
                top_k = name in _TOP_K_METRICS
                d = Diagnostic(
                    "KS407",
                    f"{name} expects one-hot labels, but the labels are integer class ids"
                    + (": Keras fails in fit on their rank" if top_k else ""),
                    path=path,
                    hint="use sparse_top_k_categorical_accuracy" if top_k else "use accuracy or sparse_categorical_accuracy",
                )
                yield d.as_error() if top_k else d
            elif name in _SPARSE_METRICS and labels == "one_hot":
                # A row of classes against one id per sample: a shape error in fit (unless the
                # batch happens to be as wide as the classes: then it scores nonsense).
                yield Diagnostic(
                    "KS407",
                    f"{name} expects integer class ids, but the labels are one-hot: Keras fails in fit "
                    "on their shape",
                    path=path,
                    hint="use accuracy or " + ("top_k_categorical_accuracy" if name in _TOP_K_METRICS else "categorical_accuracy"),
                ).as_error()


class Binary(Task):
    """One 0/1 per sample; ``positive_class`` makes one class of a multi-class dataset the 1s."""

    NAME: ClassVar = "binary"

    def rules(self, ctx: Context) -> Iterator[Diagnostic]:
        loss, units = ctx.loss, ctx.units
        found = list(self.output_rank(ctx))
        if found:
            yield from found
            return
        if loss.family == "binary" and units is not None and units != 1:
            yield Diagnostic(
                "KS402",
                f"the last layer has {units} units, but a binary target is one 0/1 per sample and "
                f"{loss.name} compares each output with it",
                path=ctx.units_path,
                hint="set units: 1 (with activation: sigmoid)",
            )
        if loss.family == "sparse" and units is not None and units != 2:
            yield Diagnostic(
                "KS402",
                f"the last layer has {_units(units)}, but {loss.name} on a binary target needs one per class: 2",
                path=ctx.units_path,
                hint="set units: 2, or use 1 sigmoid unit with binary_crossentropy",
            )
        if loss.family == "categorical":
            yield Diagnostic(
                "KS401",
                f"{loss.name} expects one-hot rows, but a binary target is one 0/1 per sample",
                path=ctx.loss_path,
                hint="use binary_crossentropy with 1 sigmoid unit",
            )
        if loss.regression:
            yield Diagnostic(
                "KS408",
                f"{loss.name} on 0/1 targets fits probabilities as numbers; it trains, but slower and "
                "less calibrated than a crossentropy",
                path=ctx.loss_path,
                hint="use binary_crossentropy with 1 sigmoid unit",
            )
        yield from self.single_unit_softmax(ctx)
        if ctx.activation_known and ctx.act and ctx.act.activation == "sigmoid" and loss.family == "sparse":
            yield Diagnostic(
                "KS405",
                f"sigmoid outputs do not sum to 1 across the 2 classes, but {loss.name} treats them as "
                "one probability distribution",
                path=ctx.act_path,
                hint="use activation: softmax, or 1 sigmoid unit with binary_crossentropy",
            )
        yield from self.logits(ctx)
        for j, name in _metric_names(ctx):
            if name in _CATEGORICAL_METRICS or (name in _SPARSE_METRICS and loss.family != "sparse"):
                yield Diagnostic(
                    "KS407",
                    f"{name} expects {'one-hot rows' if name in _CATEGORICAL_METRICS else 'class ids over several outputs'}, "
                    "but the target is one 0/1 per sample",
                    path=pointer(("compile", "metrics", j)),
                    hint="use accuracy or binary_accuracy",
                )


class MultiLabel(Task):
    """Several independent 0/1 per sample (a multi-hot row)."""

    NAME: ClassVar = "multi_label"

    def rules(self, ctx: Context) -> Iterator[Diagnostic]:
        yield from self.output_rank(ctx)
        yield from self.class_losses_refused(ctx, "several independent 0/1 labels")
        target = ctx.target()
        labels = target[0] if target is not None and len(target) == 1 else ctx.data.num_classes
        if labels is not None:
            yield from self.width(ctx, (labels,), f"the target has {labels} labels", f"set units: {labels}")
        if ctx.activation_known and ctx.act and ctx.act.activation == "softmax":
            yield Diagnostic(
                "KS405",
                "softmax makes the labels compete (they sum to 1), but a multi-label target can have "
                "several 1s",
                path=ctx.act_path,
                hint="use activation: sigmoid, one independent probability per label",
            )
        if ctx.loss.family == "binary":
            yield from self.logits(ctx)
        for j, name in _metric_names(ctx):
            if name in _CATEGORICAL_METRICS | _SPARSE_METRICS:
                yield Diagnostic(
                    "KS407",
                    f"{name} scores the single highest output, but a multi-label target can have several 1s",
                    path=pointer(("compile", "metrics", j)),
                    hint="use binary_accuracy, or AUC with multi_label: true",
                )


class Regression(Task):
    """Numbers: one per sample, or a vector (or any shape) per sample."""

    NAME: ClassVar = "regression"

    def rules(self, ctx: Context) -> Iterator[Diagnostic]:
        loss = ctx.loss
        yield from self.class_losses_refused(ctx, "numbers")
        y = ctx.info.arrays.get("y_train") if ctx.info is not None else None
        if loss.family == "binary" and y is not None and y.values is not None and (y.values.lo < 0 or y.values.hi > 1):
            yield Diagnostic(
                "KS410",
                f"{loss.name} needs targets in [0, 1], but the targets range from {y.values.lo:g} to {y.values.hi:g}",
                path=ctx.loss_path,
                hint=_LOSS_FOR["regression"],
            )
        target = ctx.target()
        if target is not None:
            want = target if target else (1,)
            yield from self.width(
                ctx, want, "each target", f"end the model with {want[0]} linear unit(s)" if len(want) == 1 else "reshape the output to the target's shape"
            )
        yield from self.output_activation(ctx, "regression targets")
        if loss.family == "binary":
            yield from self.logits(ctx)
        yield from self.no_accuracy(ctx, "continuous targets")


class Reconstruction(Task):
    """The target is the input: the model (an autoencoder) outputs the shape it takes."""

    NAME: ClassVar = "reconstruction"

    def rules(self, ctx: Context) -> Iterator[Diagnostic]:
        yield from self.class_losses_refused(ctx, "the input itself")
        assert ctx.shapes.input_shape is not None
        want = ctx.shapes.input_shape[1:]
        yield from self.width(
            ctx, want, "the input (the target of a reconstruction)",
            "end with layers that give back the input's shape (a Dense of the input's size and a Reshape, "
            "or Conv2DTranspose/UpSampling2D)",
        )  # fmt: skip
        yield from self.output_activation(ctx, "pixels")
        if ctx.loss.family == "binary":
            yield from self.logits(ctx)  # per-pixel crossentropy: fine with a sigmoid output
        yield from self.no_accuracy(ctx, "pixel values")


TASKS: dict[str, Task] = {t.NAME: t for t in (Classification(), Binary(), MultiLabel(), Regression(), Reconstruction())}
