"""Training semantics (KS4xx), the data the spec names (KS305, KS310, KS311), resources (KS5xx).

These are the mistakes Keras never reports, or reports only deep into ``fit``.
The per-task rules live in :mod:`kerasspec.tasks`; this module gathers the
facts they read (the loss, the output activation, the data file's headers)
and adds the rules every task shares: the input against the data's samples,
the labels' values, the parameter and memory budgets, and what fails at run
time on some devices. Every rule is a pure function of the validated spec,
its static shapes and the data's headers.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from . import spec as S
from .analysis import ShapeAnalysis
from .datafiles import DataInfo, DataProblem, describe
from .diagnostics import Diagnostic, Severity, pointer
from .layers import Layer
from .layers.core import Input
from .names import did_you_mean
from .objects import KerasObject, run_problems
from .shapes import Shape, fmt_list
from .tasks import TASKS, Context, LossInfo, OutputActivation, loss_info

__all__ = [
    "DEFAULT_MAX_MEMORY",
    "DEFAULT_MAX_PARAMS",
    "Budget",
    "LossInfo",
    "OutputActivation",
    "check_semantics",
    "estimate_memory",
    "loss_info",
    "output_activation",
]

#: Image shapes (without batch) a 28x28 grayscale dataset can be fed as; the compiler adapts the data.
MNIST_INPUTS = {(28, 28), (28, 28, 1), (784,)}
MNIST_INPUTS_CHANNELS_FIRST = {(1, 28, 28)}
IMAGE_DATASETS = ("mnist", "fashion_mnist")

#: Rules whose findings hold whatever the data: an assumed dataset does not soften them.
#: Not KS406: an output of rank 3 or 4 is wrong for a classifier only (an autoencoder, a
#: next-frame or a per-pixel model trains on targets of that shape).
_DATA_INDEPENDENT = frozenset({"KS403", "KS404"})

DEFAULT_MAX_PARAMS = 25_000_000  # 100 MB of float32 weights
DEFAULT_MAX_MEMORY = 4 * 1024**3


@dataclass(frozen=True, slots=True)
class Budget:
    """Resource limits. Above the default ones is a warning; above one the user set, an error.

    ``None`` means the default limit (:data:`DEFAULT_MAX_PARAMS`, :data:`DEFAULT_MAX_MEMORY`):
    a big model is worth a look, but Keras trains it, so ``check`` must not fail CI for it.
    """

    max_params: int | None = None
    max_memory_bytes: int | None = None
    #: The batch size ``train --batch-size`` will use, when it overrides the spec's.
    batch_size: int | None = None


def output_activation(layers: list[Layer]) -> OutputActivation | None:
    """The activation the model's output passes through last (dropout is the identity at inference)."""
    for i in range(len(layers) - 1, -1, -1):
        layer = layers[i]
        if isinstance(layer, Input):
            return None
        act = layer.output_activation()
        if act is None:
            continue
        field = "activation" if "activation" in type(layer).__pydantic_fields__ else None
        return OutputActivation(act, i, field)
    return None


def check_semantics(
    spec: S.Spec,
    shapes: ShapeAnalysis | None,
    *,
    data: S.Data | None = None,
    budget: Budget = Budget(),
    info: DataInfo | None = None,
    degraded: frozenset[str] = frozenset(),
) -> list[Diagnostic]:
    """Every KS305/KS31x/KS4xx/KS5xx finding.

    ``data`` overrides the spec's own (``train`` passes the data it will use); ``info``
    is what the data file holds when the caller has read its headers (else they are
    read here); ``degraded`` names the output layer's fields that failed validation.
    Without any data settings the rules run against what ``train`` assumes (MNIST
    classification): what depends on that data or task only warns (see :func:`_assumed`).
    """
    assumed = data is None and spec.data is None
    data = data if data is not None else (spec.data or _default_data())
    out: list[Diagnostic] = []
    out += _portability(shapes)
    out += list(callback_problems(spec))
    out += ignored_arguments(spec)
    if shapes is None or not shapes.complete:
        return out
    out += _resources(spec, shapes, budget)
    if assumed and spec.compile is None:
        return out  # a model-only spec: nothing will be trained, so no data is assumed
    if info is None:
        try:
            info = describe(data.dataset, _names(data))
        except DataProblem as exc:
            out.append(
                Diagnostic(
                    "KS310",
                    f"the data cannot be checked: {exc}",
                    path=pointer(("data", "dataset")),
                    hint="`train` needs the file: check the path (relative to the current folder or the spec's)",
                )
            )
    found: list[Diagnostic] = []
    found += _input_vs_data(spec, shapes, data, info)
    found += _targets(data, info)
    found += positive_class_problems(data, info)
    if spec.compile is not None and spec.compile.loss is not None:
        ctx = Context(
            spec, shapes, data, info, loss_info(spec.compile.loss), output_activation(list(spec.layers)), degraded
        )
        found += TASKS[data.task].rules(ctx)
    if assumed:
        found = _assumed(found)
    return out + found


def _assumed(found: list[Diagnostic]) -> list[Diagnostic]:
    """The findings against the data ``train`` assumes, for a spec without data: warnings saying so.

    An input that MNIST cannot be fed as (KS305) says the spec is for other data: the other
    findings about MNIST's labels and classes would then be noise, and only KS305 is kept
    (with the findings that hold whatever the data).
    """
    if any(d.code == "KS305" for d in found):
        found = [d for d in found if d.code == "KS305" or d.code in _DATA_INDEPENDENT]
    note = " (the spec has no `data`: `train` uses MNIST classification)"
    out = []
    for d in found:
        if d.code in _DATA_INDEPENDENT:
            out.append(d)
            continue
        hint = d.hint
        if d.code == "KS406":
            hint = f"{hint}; for a model that is not a classifier, add a `data` section with its task (`task: reconstruction` for an autoencoder)"
        out.append(replace(d, message=d.message + note, hint=hint, severity=Severity.WARNING))
    return out


def ignored_arguments(spec: S.Spec) -> list[Diagnostic]:
    """KS213: arguments the spec takes as Keras does, and that do nothing (Keras 3 or `train` ignore them)."""
    out: list[Diagnostic] = []
    optimizer, path = (spec.compile.optimizer if spec.compile is not None else None), ("compile", "optimizer")
    inner = getattr(optimizer, "inner_optimizer", None)
    if inner is not None and not isinstance(inner, str):  # LossScaleOptimizer: its inner one takes `decay`
        optimizer, path = inner, (*path, "inner_optimizer")
    if (decay := getattr(optimizer, "decay", None)) is not None:
        out.append(Diagnostic(
            "KS213",
            f"`decay` on {'.'.join(path)} ({optimizer.type}) is ignored: Keras 3 dropped it "
            "(\"Argument `decay` is no longer supported and will be ignored.\")",
            path=pointer((*path, "decay")),
            hint="remove it; Keras 2's decay is `learning_rate: {type: InverseTimeDecay, initial_learning_rate: "
            f"<the rate>, decay_steps: 1, decay_rate: {decay}}}`",
        ))
    if spec.fit is not None and spec.fit.initial_epoch:
        out.append(Diagnostic(
            "KS213",
            f"`fit.initial_epoch` {spec.fit.initial_epoch} is ignored by `kerasspec train`: a run starts at "
            "epoch 0 with fresh weights",
            path=pointer(("fit", "initial_epoch")),
            hint="remove it; continue an interrupted run with `kerasspec train --resume --run-dir DIR`",
        ))
    return out


@functools.cache
def _default_data() -> S.Data:
    """What ``train`` assumes without a ``data`` section; one instance (it is frozen), not one per check."""
    return S.Data()


def _names(data: S.Data) -> dict[str, str]:
    names = data.array_names
    roles = {"x_train": names.x_train, "x_test": names.x_test}
    if data.task != "reconstruction":
        roles |= {"y_train": names.y_train, "y_test": names.y_test}
    return roles


# --------------------------------------------------------------------------- portability


def _portability(shapes: ShapeAnalysis | None) -> list[Diagnostic]:
    """KS504: layers that Keras builds but the TensorFlow backend cannot run on their input."""
    if shapes is None or shapes.input_shape is None or not shapes.layers:
        return []  # no layer inferred (a model refused as too deep is never expanded: KS505)
    out: list[Diagnostic] = []
    for info, (layer, shape) in zip(shapes.layers, shapes.inputs, strict=True):
        out += _run_findings(layer, shape, info.path)
    # The copies of a Repeat block share their path: one finding for the written layer (the
    # first copy's: the copies' weight shapes can differ).
    return list({(d.code, d.path, d.hint): d for d in reversed(out)}.values())[::-1]


def _run_findings(layer: Layer, shape: Shape, path: tuple[str | int, ...]) -> list[Diagnostic]:
    """KS504 for one layer on its input, and for the layers it holds (Keras runs them too)."""
    out = [Diagnostic("KS504", problem, path=pointer(path), hint=fix) for problem, fix in layer.run_problems(shape)]
    for field, problem, fix in run_problems(layer, shape):  # its initializers, regularizers, constraints
        out.append(Diagnostic("KS504", problem, path=pointer((*path, field)), hint=fix))
    for inner, where, given in layer.inner_inputs(shape):
        out += _run_findings(inner, given, (*path, *where))
    return out


# --------------------------------------------------------------------------- resources


def _resources(spec: S.Spec, shapes: ShapeAnalysis, budget: Budget) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    total = shapes.total_params
    max_params = budget.max_params or DEFAULT_MAX_PARAMS
    biggest = max(shapes.layers, key=lambda info: info.params, default=None) if total > max_params else None
    if biggest is not None:
        d = Diagnostic(
            "KS501",
            f"the model has {total:,} parameters ({_size(total * 4)} of float32 weights), "
            f"above the budget of {max_params:,}; the largest layer is "
            f"'{biggest.name}' ({biggest.type}) with {biggest.params:,}",
            path=pointer(biggest.path or ("layers", biggest.index)),
            hint="check that layer's size (a typo, units: 1000000?), or add pooling before Flatten; "
            "set --max-params to the size you intend, and bigger models become errors",
        )
        out.append(d.as_error() if budget.max_params is not None else d)
    batch = _batch(spec, shapes, budget)
    memory = estimate_memory(spec, shapes, batch)
    max_memory = budget.max_memory_bytes or DEFAULT_MAX_MEMORY
    if memory > max_memory:
        d = Diagnostic(
            "KS502",
            f"training needs about {_size(memory)} (weights, gradients, optimizer state and "
            f"activations for a batch of {batch:,}), above the budget of {_size(max_memory)}",
            path="/fit/batch_size" if spec.fit else "",
            hint="lower fit.batch_size or the layer sizes; set --max-memory to what the machine has, "
            "and bigger models become errors",
        )
        out.append(d.as_error() if budget.max_memory_bytes is not None else d)
    return out


def _batch(spec: S.Spec, shapes: ShapeAnalysis, budget: Budget) -> int:
    """The batch training will use: the command line's, a fixed Input batch, the spec's, Keras's 32."""
    if budget.batch_size is not None:
        return budget.batch_size
    if shapes.input_shape is not None and shapes.input_shape[0] is not None:
        return shapes.input_shape[0]
    return spec.fit.batch_size if spec.fit else 32


def estimate_memory(spec: S.Spec, shapes: ShapeAnalysis, batch: int | None = None) -> int:
    """Bytes to train: float32 weights x4 (weights, gradients, two optimizer slots) plus
    activations x2 (forward values kept for the backward pass, and their gradients).

    Activations are every layer's output and the intermediate tensors its definition
    declares (a separable convolution's depthwise output, say), per sample, times the batch.
    """
    if batch is None:
        batch = spec.fit.batch_size if spec.fit else 32
    per_sample = 0
    for info, (layer, shape) in zip(shapes.layers, shapes.inputs, strict=True):
        per_sample += math.prod(filter(None, info.output_shape[1:]))  # an unknown size counts as 1
        per_sample += layer.intermediate_size(shape)
    return 4 * (4 * shapes.total_params + 2 * batch * per_sample)


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    raise AssertionError


# --------------------------------------------------------------------------- the data


def _input_field(layer: Layer) -> str:
    if isinstance(layer, Input):
        return layer.shape_field  # `shape`, or an older spelling the spec used (`batch_shape`...)
    return "input_dim" if layer.shape_dim is not None else "input_shape"


def _input_path(spec: S.Spec) -> str:
    if spec.input_shape is not None:
        return pointer(("input_shape",))
    return pointer(("layers", 0, _input_field(spec.layers[0])))


def _fits(sample: tuple[int | None, ...], shape: tuple[int, ...]) -> bool:
    return len(sample) == len(shape) and all(s is None or s == d for s, d in zip(sample, shape, strict=True))


def _input_vs_data(spec: S.Spec, shapes: ShapeAnalysis, data: S.Data, info: DataInfo | None) -> list[Diagnostic]:
    """KS305: the model's input against one sample of the data (what ``train`` can adapt)."""
    if shapes.input_shape is None:
        return []
    sample = shapes.input_shape[1:]
    if data.dataset in IMAGE_DATASETS:
        allowed = set(MNIST_INPUTS)
        if any(layer.get("data_format") == "channels_first" for layer in spec.layers):
            allowed |= MNIST_INPUTS_CHANNELS_FIRST
        if any(_fits(sample, shape) for shape in allowed):
            return []
        return [
            Diagnostic(
                "KS305",
                f"input shape {list(sample)} does not fit {data.dataset}'s 28x28 grayscale images",
                path=_input_path(spec),
                hint="use [28, 28, 1] for convolutions, [784] for Dense layers on flat pixels, "
                "or [28, 28] with a Flatten first",
            )
        ]
    if info is None or "x_train" not in info.arrays:
        return []
    have = info.arrays["x_train"].sample
    out = []
    test = info.arrays.get("x_test")
    if test is not None and test.sample != have:
        out.append(
            Diagnostic(
                "KS311",
                f"x_train samples have shape {fmt_list(have)} but x_test samples {fmt_list(test.sample)}; they must match",
                path=pointer(("data", "dataset")),
                hint="save both splits with the same sample shape",
            )
        )
    if _fits(sample, have) or _adaptable(sample, have):
        return out
    out.append(
        Diagnostic(
            "KS305",
            f"input shape {fmt_list(sample)} does not fit the data: each sample of {data.dataset} has "
            f"shape {fmt_list(have)} ({math.prod(have):,} values)",
            path=_input_path(spec),
            hint=_input_fix(sample, have),
        )
    )
    return out


def _adaptable(sample: tuple[int | None, ...], have: tuple[int, ...]) -> bool:
    """What ``train`` adapts: the same values per sample (a reshape), or the channels moved."""
    if any(d is None for d in sample):
        return False
    return math.prod(sample) == math.prod(have)  # type: ignore[arg-type]


def _input_fix(sample: tuple[int | None, ...], have: tuple[int, ...]) -> str:
    if len(have) == len(sample) - 1 and tuple(sample[:-1]) == have:
        return (
            f"the data has one value per position, not {sample[-1]} channels: "
            f"use `input_shape: {fmt_list((*have, 1))}`"
        )
    if len(have) > 1 and len(sample) == 1:
        return f"use `input_shape: {fmt_list(have)}` and a Flatten layer first"
    return f"use `input_shape: {fmt_list(have)}`, or a Reshape to the shape the layers expect"


def _targets(data: S.Data, info: DataInfo | None) -> list[Diagnostic]:
    """KS311: arrays the task cannot take (numbers, finite, class ids whole, binary ones 0/1...)."""
    if info is None:
        return []
    out: list[Diagnostic] = []

    def add(message: str, hint: str) -> None:
        out.append(Diagnostic("KS311", message, path=pointer(("data", "task")), hint=hint))

    for role, array in info.arrays.items():
        if not array.numeric:
            add(f"{role} holds non-numeric values (dtype kind '{array.kind}'); inputs and targets must be numbers",
                "save numbers: class ids as integers, text as token ids")  # fmt: skip
    y = info.arrays.get("y_train")
    if y is None or not y.numeric:
        return out
    v = y.values
    if v is not None and not v.finite:
        add("y_train holds NaN or infinite values, which make every loss NaN", "drop or fill those samples")
        return out
    wide = len(y.shape) == 2 and y.shape[1] > 1
    if data.task == "classification":
        if v is not None and (not v.whole or v.lo < 0):
            add(f"classification needs class ids 0..K-1 in y_train, but its values range from {v.lo:g} to "
                f"{v.hi:g}{'' if v.whole else ', not all whole numbers'}", "for numbers to predict use `task: regression`")  # fmt: skip
        elif wide and v is not None and v.binary and not v.one_hot:
            add(f"y_train has rows of {y.shape[1]} 0/1 values with several 1s (or none), not one-hot class rows",
                "several labels per sample: use `task: multi_label`")  # fmt: skip
    elif data.task == "binary":
        if wide:
            add(f"a binary target is one 0/1 per sample, but y_train has rows of {y.shape[1]} values",
                "several labels per sample: use `task: multi_label`; one class of several: `task: classification`")  # fmt: skip
        elif v is not None and data.positive_class is not None and not v.whole:
            add("positive_class picks a class id, but y_train's values are not whole numbers",
                "use class ids 0..K-1 in y_train")  # fmt: skip
        elif v is not None and data.positive_class is None and not v.binary and data.dataset not in IMAGE_DATASETS:
            add(f"a binary target is 0 or 1, but y_train has values from {v.lo:g} to {v.hi:g}",
                "name the class that counts as 1 with `positive_class: N` (one class against the rest)")  # fmt: skip
    elif data.task == "multi_label" and (len(y.shape) != 2 or (v is not None and not v.binary)):
        add(f"a multi-label target is a row of 0/1 per sample, but y_train has shape {fmt_list(y.shape)}"
            + ("" if v is None or v.binary else " with values other than 0 and 1"),
            "save y_train as a multi-hot array of shape (samples, labels)")  # fmt: skip
    return out


def positive_class_problems(data: S.Data, info: DataInfo | None) -> Iterator[Diagnostic]:
    """KS405: a binary task on a multi-class dataset must say which class is the 1."""
    classes = 10 if data.dataset in IMAGE_DATASETS else (info.classes() if info is not None else None)
    if data.task != "binary":
        return
    if data.positive_class is None and data.dataset in IMAGE_DATASETS:
        yield Diagnostic(
            "KS405",
            f"task binary on {data.dataset}'s 10 classes needs the class that counts as 1",
            path=pointer(("data",)),
            hint="add `positive_class: 7` (digit 7 against the rest), or use task: classification",
        )
    if data.positive_class is not None and classes is not None and data.positive_class >= classes:
        yield Diagnostic(
            "KS205",
            f"positive_class {data.positive_class} is not a class of {data.dataset}, which has classes 0..{classes - 1}",
            path=pointer(("data", "positive_class")),
            hint=f"use a class between 0 and {classes - 1}",
        )


# --------------------------------------------------------------------------- fit.callbacks


#: The metrics whose value is one number per class, per output or per threshold, and when:
#: Keras's ``result()`` is then a vector (F1Score/FBetaScore: ``average=None``; R2Score:
#: ``class_aggregation=None``; the confusion counts, Precision and Recall: more than one threshold).
_PER_CLASS = ("F1Score", "FBetaScore")
_PER_THRESHOLD = ("TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives", "Precision", "Recall")


def vector_metric(metric: Any) -> tuple[str, str] | None:
    """Why a compile metric (a name or an object) logs a vector, and how to make it one number; None if it logs one."""
    if isinstance(metric, str):
        metric = S.METRICS.default_object(metric)  # `f1_score` is F1Score(): average None
    kind = getattr(metric, "type", None)
    if kind in _PER_CLASS and getattr(metric, "average", "macro") is None:
        return f"{kind} with `average: null` (Keras's default) is one score per class", "set `average: macro` (or `micro`, `weighted`)"
    if kind == "R2Score" and getattr(metric, "class_aggregation", "uniform_average") is None:
        return "R2Score with `class_aggregation: null` is one score per output", "set `class_aggregation: uniform_average`"
    thresholds = getattr(metric, "thresholds", None)
    if kind in _PER_THRESHOLD and isinstance(thresholds, list | tuple) and len(thresholds) > 1:
        return (f"{kind} with {len(thresholds)} thresholds is one value per threshold",
                "give the objective's metric one threshold (another metric can keep the list)")
    return None


def vector_objective(compile: S.Compile, objective: str) -> tuple[int, str, str] | None:
    """The metric (its index in ``compile.metrics``) that makes ``objective`` a vector, why, and a hint; else None.

    KerasTuner ranks trials by one number: a vector objective cannot score a trial.
    """
    for i, (metric, name) in enumerate(zip(compile.metrics, S.metric_names(compile), strict=True)):
        if objective in (name, f"val_{name}"):
            found = vector_metric(metric)
            return None if found is None else (i, *found)
    return None


def objective_direction(name: str) -> str | None:
    """Whether KerasTuner should minimize or maximize a logged value: `min`, `max`, or None (say so in `tune.direction`)."""
    base = name.removeprefix("val_").removeprefix("weighted_")
    base = re.sub(r"_\d+$", "", base)  # auc_1
    if base in ("loss", "crossentropy", "ce") or base.endswith(("loss", "error", "crossentropy", "hinge", "divergence")):
        return "min"
    if base in ("mse", "mae", "mape", "msle", "rmse", "poisson", "log_cosh", "logcosh", "huber", "kl_divergence", "kld"):
        return "min"
    maximized = ("acc", "accuracy", "auc", "precision", "recall", "f1_score", "fbeta_score", "r2_score", "iou", "true_positives", "true_negatives")
    if base in maximized or base.endswith(("accuracy", "_iou", "precision", "recall")) or "_at_" in base:
        return "max"
    return None


def _tune_path(tune_node: Any) -> tuple[str, ...]:
    """Where a finding about the tune objective goes: `tune.objective` if written, else `tune`, else the spec."""
    if not isinstance(tune_node, dict):
        return ()
    return ("tune", "objective") if "objective" in tune_node else ("tune",)


def tune_problems(spec: S.Spec, tune_node: Any) -> list[Diagnostic]:
    """KS412/KS204: the `tune` objective must be one number fit logs, with a direction (KerasTuner
    fails every trial otherwise, or cannot rank them). ``tune_node``: the document's `tune` value."""
    tune = spec.tune or S.Tune()
    keys = history_keys(spec)
    if keys is None:
        return []  # a model-only spec: `tune` says it cannot train it
    where = _tune_path(tune_node)
    if tune.objective not in keys:
        hint = (
            "set `fit.validation_split` (e.g. 0.1): without validation data nothing `val_` is logged"
            if tune.objective.startswith("val_") and tune.objective[4:] in keys
            else did_you_mean(tune.objective, keys) or f"use one of: {', '.join(keys)}"
        )
        return [Diagnostic(
            "KS412",
            f"the tune objective '{tune.objective}' is not a value fit logs (it logs {', '.join(keys)}): "
            "KerasTuner would fail every trial",
            pointer(where), hint=hint,
        ).as_error()]
    if (vector := vector_objective_problem(spec.compile, tune.objective, tune_node)) is not None:
        return [vector]
    if tune.direction is None and objective_direction(tune.objective) is None:
        return [Diagnostic(
            "KS204",
            f"tune needs `direction` for the objective '{tune.objective}': its name does not say whether lower or higher is better",
            pointer(where), hint="add `direction: min` or `direction: max` to `tune`",
        )]
    return []


def vector_objective_problem(compile: S.Compile | None, objective: str, tune_node: Any) -> Diagnostic | None:
    """KS412 (an error) when the objective is a metric that logs a vector; ``tune_node``: the `tune` value."""
    found = vector_objective(compile, objective) if compile is not None else None
    if found is None:
        return None
    i, why, hint = found
    where = _tune_path(tune_node)
    return Diagnostic(
        "KS412",
        f"the tune objective '{objective}' is not one number: compile.metrics[{i}], {why}; "
        "KerasTuner ranks trials by a single value",
        pointer(where), hint=f"{hint}, or choose another objective",
    ).as_error()


def history_keys(spec: S.Spec) -> list[str] | None:
    """The values ``fit`` logs each epoch (what a callback can monitor); None without ``compile``.

    `loss` and each metric under the name :func:`kerasspec.spec.metric_names` gives it,
    the same with `val_` when ``fit.validation_split`` holds data out (``train`` validates
    on nothing else), and `learning_rate` when ReduceLROnPlateau is there (it logs it).
    """
    if spec.compile is None:
        return None
    fit = spec.fit or S.Fit()
    logged = ["loss", *S.metric_names(spec.compile)]
    keys = logged + ([f"val_{k}" for k in logged] if fit.validation_split > 0 else [])
    if any(c.kind == "ReduceLROnPlateau" for c in fit.callbacks):
        keys.append("learning_rate")
    return keys


#: The metrics Keras gives no direction (no ``_direction``): a callback in mode auto cannot monitor them.
_UNDIRECTED_METRICS = frozenset({"TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives"})


def monitor_direction_known(spec: S.Spec, monitor: str) -> bool:
    """Whether a callback in mode auto can tell whether ``monitor`` should go down or up.

    Keras's ``MonitorCallback._set_monitor_op``: the name without one ``val_`` is `loss`,
    or the logged name of a compiled metric that has a direction (all but the confusion
    counts). Nothing else (`learning_rate`, `acc` for a metric logged as `accuracy`): the
    callback raises a ValueError at the end of the first epoch, logged or not.
    """
    base = monitor.removeprefix("val_")
    if base == "loss":
        return True
    if spec.compile is None:
        return False
    for metric, name in zip(spec.compile.metrics, S.metric_names(spec.compile), strict=True):
        kind = S.METRICS.resolve_type(metric) if isinstance(metric, str) else metric.kind
        if name == base and kind not in _UNDIRECTED_METRICS:
            return True
    return False


def _monitor_problem(spec: S.Spec, callback: Any, monitor: str, keys: list[str]) -> Diagnostic | None:
    """KS412 for one callback's `monitor`: an error where Keras fails (mode auto on a name it
    cannot give a direction), a warning where it only warns at each epoch (a name not logged)."""
    logged = monitor in keys
    if getattr(callback, "mode", "auto") == "auto" and not monitor_direction_known(spec, monitor):
        why = "" if logged else f", which fit does not log (it logs {', '.join(keys)})"
        hint = "add `mode: min` or `mode: max` to the callback" if logged else _monitor_hint(monitor, keys)
        return Diagnostic(
            "KS412",
            f"{callback.type} monitors '{monitor}'{why}; with mode auto Keras cannot tell whether it should be "
            "minimized or maximized, and fit fails at the end of the first epoch",
            hint=hint,
        ).as_error()
    if logged:
        return None
    return Diagnostic(
        "KS412",
        f"{callback.type} monitors '{monitor}', which fit does not log (it logs {', '.join(keys)}); "
        "Keras only warns at each epoch, and the callback never acts",
        hint=_monitor_hint(monitor, keys),
    )


def _monitor_hint(monitor: str, keys: list[str]) -> str:
    if monitor.startswith("val_") and monitor[4:] in keys:
        return "set `fit.validation_split` (e.g. 0.1): without validation data nothing `val_` is logged"
    return did_you_mean(monitor, keys) or f"fit logs: {', '.join(keys)}"


def _uses_ema(optimizer: object) -> bool:
    inner = getattr(optimizer, "inner_optimizer", optimizer)  # LossScaleOptimizer: its inner one
    return bool(getattr(inner, "use_ema", False))


def callback_problems(spec: S.Spec) -> Iterator[Diagnostic]:
    """KS412: a callback that monitors a value ``fit`` never logs; KS211: one its optimizer cannot serve."""
    if spec.fit is None or not spec.fit.callbacks:
        return
    keys = history_keys(spec)
    optimizer = spec.compile.optimizer if spec.compile is not None else None
    for i, callback in enumerate(spec.fit.callbacks):
        monitor = getattr(callback, "monitor", None)
        if monitor is not None and keys is not None:
            found = _monitor_problem(spec, callback, monitor, keys)
            if found is not None:
                yield replace(found, path=pointer(("fit", "callbacks", i, "monitor")))
        lr = getattr(getattr(optimizer, "inner_optimizer", optimizer), "learning_rate", None)
        if callback.kind == "ReduceLROnPlateau" and isinstance(lr, KerasObject):
            yield Diagnostic(
                "KS211",
                f"ReduceLROnPlateau sets the learning rate, but compile.optimizer's learning_rate is a "
                f"{lr.type} schedule: Keras fails when the plateau is reached",
                path=pointer(("fit", "callbacks", i)),
                hint="use a fixed learning_rate with ReduceLROnPlateau, or the schedule alone",
            )
        swaps = callback.kind == "SwapEMAWeights" and (callback.swap_on_epoch or (spec.fit.validation_split > 0))
        if swaps and not _uses_ema(optimizer):
            yield Diagnostic(
                "KS211",
                "SwapEMAWeights swaps in the optimizer's moving average of the weights, but the optimizer "
                "keeps none (use_ema is false): Keras fails at the first swap",
                path=pointer(("fit", "callbacks", i)),
                hint="set `use_ema: true` on compile.optimizer, e.g. `{type: Adam, use_ema: true}`",
            )
