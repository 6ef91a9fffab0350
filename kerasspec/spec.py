"""The spec language, version 1: pydantic models with Keras's argument names and defaults.

A spec is a :class:`Spec`. Its layers are the definitions of
:mod:`kerasspec.layers`, each validated by its own class (dispatched on
``type``); learning-rate schedules, optimizers, losses, metrics and callbacks
are :class:`~kerasspec.objects.KerasObject` classes, each a name or an object
validated by the class its ``type`` names. Each class lists the Keras constructor arguments with Keras's
defaults. Every model is strict (``units: "32"`` and ``filters: 32.5`` are
errors, not coerced) and closed (unknown keys are errors).
"""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema
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
    describe,
)
from .layers import LayerItem
from .layers.base import LayerName
from .objects import (
    CALLBACKS,
    LAYER_FAMILIES,
    LOSSES,
    METRICS,
    OPTIMIZERS,
    SCHEDULES,
    Callback,
    Family,
    Loss,
    Metric,
    Optimizer,
    family_of_field,
)


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


# --------------------------------------------------------------------------- compile and fit
#
# The objects `compile` and `fit` take (optimizers, schedules, losses, metrics, callbacks)
# are Keras classes in kerasspec.objects, each validated by its own class when a spec
# writes it as a mapping.

#: Every family of objects a spec holds, by the field that takes it (see :func:`field_family`).
FAMILIES: dict[str, Family] = {
    **{f"*_{what}": family for what, family in LAYER_FAMILIES.items()},
    "learning_rate": SCHEDULES, "optimizer": OPTIMIZERS, "inner_optimizer": OPTIMIZERS,
    "loss": LOSSES, "metrics": METRICS, "callbacks": CALLBACKS,
}  # fmt: skip


def field_family(field: str) -> Family | None:
    """The family of objects a field takes: `kernel_initializer` -> initializers, `metrics` -> metrics."""
    return FAMILIES.get(field) or family_of_field(field)


def _jit_compile(value: Any) -> str | bool:
    # Keras takes any value and reads it as a truth value ("x" compiles): the spec takes its three.
    if isinstance(value, bool) or value == "auto":
        return value  # type: ignore[no-any-return]
    raise PydanticCustomError(
        "KS206", "must be 'auto', true or false, got {got}",
        {"got": describe(value), "hint": "use `auto` (XLA where the backend and the model support it)"},
    )  # fmt: skip


JitCompile = Annotated[
    str | bool,
    PlainValidator(_jit_compile),
    WithJsonSchema({"anyOf": [{"const": "auto"}, {"type": "boolean"}]}),
]


def _verbose(value: Any) -> str | int:
    # Keras documents "auto", 0, 1, 2 and checks none of them (3 and "x" train as 1).
    if value == "auto" or (isinstance(value, int) and not isinstance(value, bool) and value in (0, 1, 2)):
        return value  # type: ignore[no-any-return]
    raise PydanticCustomError(
        "KS206", "must be 'auto', 0, 1 or 2, got {got}",
        {"got": describe(value), "hint": "0: no progress display, 1: a progress bar, 2: one line per epoch"},
    )  # fmt: skip


Verbose = Annotated[str | int, PlainValidator(_verbose), WithJsonSchema({"enum": ["auto", 0, 1, 2]})]


def _validation_freq(value: Any) -> int | list[int]:
    # Keras: an int N validates every N epochs (0 divides by zero), a list at those epochs (1-based).
    def positive(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and v >= 1

    if positive(value):
        return value  # type: ignore[no-any-return]
    if isinstance(value, list) and value and all(positive(v) for v in value):
        return list(value)  # a list: Keras tests `isinstance(validation_freq, list)`
    raise PydanticCustomError(
        "KS205", "must be a positive integer or a non-empty list of epochs (1, 2, ...), got {got}",
        {"got": describe(value), "hint": "e.g. `validation_freq: 2` (every second epoch) or `[1, 5, 10]`"},
    )  # fmt: skip


ValidationFreq = Annotated[
    int | list[int],
    PlainValidator(_validation_freq),
    WithJsonSchema(
        {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 1}]}
    ),
]


class Compile(_Model):
    """Arguments of `model.compile`."""

    optimizer: Optimizer = Field("rmsprop", description="An optimizer name (`adam`) or an object (`{type: SGD, learning_rate: 0.01, momentum: 0.9}`).")
    loss: Loss = Field(description="A loss name (`sparse_categorical_crossentropy`) or an object (`{type: BinaryCrossentropy, from_logits: true}`).")
    metrics: list[Metric] = Field([], description="Metric names or objects, e.g. `[accuracy]` or `[{type: BinaryAccuracy, threshold: 0.7}]`.")
    run_eagerly: StrictBool = Field(False, description="Run each step as plain Python, not a compiled graph (slow; for debugging).")
    steps_per_execution: PositiveInt = Field(
        1, description="Batches run per compiled call (faster for small models; callbacks see every N-th batch)."
    )
    jit_compile: JitCompile = Field(
        "auto",
        description="Compile the step with XLA: `auto` (where the backend and model support it), true or false. "
        "Keras turns it off, with a warning, under `run_eagerly: true`.",
    )


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
    verbose: Verbose = Field(
        "auto",
        description="Keras's progress display while training: 0 none, 1 a progress bar, 2 one line per epoch; "
        "`auto`: 1 on a terminal, 2 otherwise. `kerasspec train --quiet` is 0 whatever this says; "
        "kerasspec's own lines (what it trains, the test scores) are printed either way.",
    )
    initial_epoch: NonNegativeInt = Field(
        0,
        description="Accepted for Keras scripts, but `kerasspec train` always starts a run at epoch 0 with fresh "
        "weights (it warns when this is not 0): continue an interrupted run with `train --resume`, which "
        "starts Keras at the epochs already done.",
    )
    validation_freq: ValidationFreq = Field(
        1,
        description="Validate every N epochs, or at the listed epochs (`[1, 5, 10]`, counted from 1); "
        "epochs without validation are NaN in the history. Needs `validation_split`.",
    )
    distribute: Choice("mirrored", "multi_worker") | None = Field(None, description="Train through a `tf.distribute` strategy.")
    callbacks: list[Callback] = Field(  # type: ignore[valid-type]
        [],  # copied for each instance, as pydantic copies mutable defaults
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
