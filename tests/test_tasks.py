"""Every branch of the task rules (kerasspec/tasks.py) and the data rules (kerasspec/semantics.py).

Each row is a small spec and the exact set of (code, path) findings it must give;
removing or inverting any rule branch makes at least one row fail. The data files
are the example datasets of ``examples/data/`` (their headers are read, as ``check``
reads them) or MNIST's known shapes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import kerasspec
from kerasspec.diagnostics import Severity

DATA = Path(__file__).resolve().parent.parent / "examples" / "data"
REGRESSION = str(DATA / "regression8.npz")  # x (n, 8) float, y (n,) float in about [-13, 10]
MULTI = str(DATA / "multilabel12.npz")  # x (n, 12), y (n, 4) 0/1
BINARY = str(DATA / "binary16.npz")  # x (n, 16), y (n,) 0/1
IMAGES = str(DATA / "images32.npz")  # x (n, 32, 32, 3) uint8, y (n,) 0..9


def spec(
    input_shape: list[int],
    layers: list[dict[str, Any]],
    loss: Any,
    data: dict[str, Any] | None,
    metrics: list[Any] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {"input_shape": input_shape, "layers": layers, "compile": {"loss": loss}}
    if metrics is not None:
        out["compile"]["metrics"] = metrics
    if data is not None:
        out["data"] = data
    return out


def dense(units: int, activation: str | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {"type": "Dense", "units": units}
    if activation:
        d["activation"] = activation
    return d


FLAT = {"type": "Flatten"}
MNIST = {"dataset": "mnist"}
LOGITS = {"type": "BinaryCrossentropy", "from_logits": True}
CE_LOGITS = {"type": "SparseCategoricalCrossentropy", "from_logits": True}

ROWS: list[tuple[str, dict[str, Any], set[tuple[str, str]]]] = [
    # ---- classification
    ("clean", spec([28, 28], [FLAT, dense(10, "softmax")], "sparse_categorical_crossentropy", MNIST, ["accuracy"]), set()),
    ("KS406 image output", spec([28, 28, 1], [dense(10, "softmax")], "sparse_categorical_crossentropy", MNIST), {("KS406", "/layers/0")}),
    ("KS401 sparse loss, one-hot labels", spec([784], [dense(10, "softmax")], "sparse_categorical_crossentropy", {**MNIST, "labels": "one_hot"}), {("KS401", "/compile/loss")}),
    ("KS401 categorical loss, sparse labels", spec([784], [dense(10, "softmax")], "categorical_crossentropy", MNIST), {("KS401", "/compile/loss")}),
    ("KS404 softmax on one unit", spec([784], [dense(1, "softmax")], "binary_crossentropy", {**MNIST, "task": "binary", "positive_class": 3}), {("KS404", "/layers/0/activation")}),
    ("KS404 softmax on one unit, regression", spec([8], [dense(1, "softmax")], "mean_squared_error", {"dataset": REGRESSION, "task": "regression"}), {("KS404", "/layers/0/activation")}),
    ("KS402 units vs classes", spec([784], [dense(8, "softmax")], "sparse_categorical_crossentropy", MNIST), {("KS402", "/layers/0/units")}),
    ("KS402 classes from the labels", spec([32, 32, 3], [FLAT, dense(4, "softmax")], "sparse_categorical_crossentropy", {"dataset": IMAGES}), {("KS402", "/layers/1/units")}),
    ("KS402 binary CE on one-hot columns", spec([16], [dense(1, "sigmoid")], "binary_crossentropy", {"dataset": BINARY, "labels": "one_hot", "num_classes": 2}), {("KS402", "/layers/0/units")}),
    ("KS402 binary CE, 2 units, one label", spec([16], [dense(2, "sigmoid")], "binary_crossentropy", {"dataset": BINARY, "num_classes": 2}), {("KS402", "/layers/0/units")}),
    ("KS405 binary CE on 10 classes", spec([784], [dense(10, "sigmoid")], "binary_crossentropy", MNIST), {("KS405", "/compile/loss")}),
    ("KS405 sigmoid over classes", spec([784], [dense(10, "sigmoid")], "sparse_categorical_crossentropy", MNIST), {("KS405", "/layers/0/activation")}),
    ("KS403 probabilities and from_logits", spec([784], [dense(10, "softmax")], CE_LOGITS, MNIST), {("KS403", "/layers/0/activation")}),
    ("KS403 logits without from_logits", spec([784], [dense(10)], "sparse_categorical_crossentropy", MNIST), {("KS403", "/layers/0/activation")}),
    ("KS408 regression loss on classes", spec([784], [dense(1)], "mse", MNIST), {("KS408", "/compile/loss")}),
    ("KS407 binary accuracy on classes", spec([784], [dense(10, "softmax")], "sparse_categorical_crossentropy", MNIST, ["binary_accuracy"]), {("KS407", "/compile/metrics/0")}),
    ("KS407 categorical metric, sparse labels", spec([784], [dense(10, "softmax")], "sparse_categorical_crossentropy", MNIST, ["categorical_accuracy"]), {("KS407", "/compile/metrics/0")}),
    ("KS407 sparse metric, one-hot labels", spec([784], [dense(10, "softmax")], "categorical_crossentropy", {**MNIST, "labels": "one_hot"}, ["sparse_categorical_accuracy"]), {("KS407", "/compile/metrics/0")}),
    ("KS405 binary CE on a one-hot softmax", spec([784], [dense(10, "softmax")], "binary_crossentropy", {**MNIST, "labels": "one_hot"}, ["accuracy"]), {("KS405", "/compile/loss")}),
    ("binary CE on one-hot sigmoids", spec([784], [dense(10, "sigmoid")], "binary_crossentropy", {**MNIST, "labels": "one_hot"}), set()),
    ("KS407 top-k metric, sparse labels", spec([784], [dense(10, "softmax")], "sparse_categorical_crossentropy", MNIST, ["top_k_categorical_accuracy"]), {("KS407", "/compile/metrics/0")}),
    # ---- binary
    ("binary clean", spec([784], [dense(1, "sigmoid")], "binary_crossentropy", {**MNIST, "task": "binary", "positive_class": 3}, ["accuracy"]), set()),
    ("binary, logits clean", spec([16], [dense(1)], LOGITS, {"dataset": BINARY, "task": "binary"}), set()),
    ("binary, 2-unit softmax clean", spec([16], [dense(2, "softmax")], "sparse_categorical_crossentropy", {"dataset": BINARY, "task": "binary"}), set()),
    ("KS405 binary on mnist without positive_class", spec([784], [dense(1, "sigmoid")], "binary_crossentropy", {**MNIST, "task": "binary"}), {("KS405", "/data")}),
    ("KS205 positive_class beyond the classes", spec([784], [dense(1, "sigmoid")], "binary_crossentropy", {**MNIST, "task": "binary", "positive_class": 10}), {("KS205", "/data/positive_class")}),
    ("KS402 binary CE, 3 units", spec([16], [dense(3, "sigmoid")], "binary_crossentropy", {"dataset": BINARY, "task": "binary"}), {("KS402", "/layers/0/units")}),
    ("KS402 sparse CE, 3 units", spec([16], [dense(3, "softmax")], "sparse_categorical_crossentropy", {"dataset": BINARY, "task": "binary"}), {("KS402", "/layers/0/units")}),
    ("KS401 categorical CE on binary", spec([16], [dense(2, "softmax")], "categorical_crossentropy", {"dataset": BINARY, "task": "binary"}), {("KS401", "/compile/loss")}),
    ("KS408 MSE on binary", spec([16], [dense(1, "sigmoid")], "mse", {"dataset": BINARY, "task": "binary"}), {("KS408", "/compile/loss")}),
    ("KS405 sigmoid with sparse CE on binary", spec([16], [dense(2, "sigmoid")], "sparse_categorical_crossentropy", {"dataset": BINARY, "task": "binary"}), {("KS405", "/layers/0/activation")}),
    ("KS403 binary sigmoid and from_logits", spec([16], [dense(1, "sigmoid")], LOGITS, {"dataset": BINARY, "task": "binary"}), {("KS403", "/layers/0/activation")}),
    ("KS407 categorical metric on binary", spec([16], [dense(1, "sigmoid")], "binary_crossentropy", {"dataset": BINARY, "task": "binary"}, ["categorical_accuracy"]), {("KS407", "/compile/metrics/0")}),
    ("KS311 binary targets not 0/1", spec([32, 32, 3], [FLAT, dense(1, "sigmoid")], "binary_crossentropy", {"dataset": IMAGES, "task": "binary"}), {("KS311", "/data/task")}),
    # ---- multi-label
    ("multi-label clean", spec([12], [dense(4, "sigmoid")], "binary_crossentropy", {"dataset": MULTI, "task": "multi_label"}, ["binary_accuracy"]), set()),
    ("KS410 categorical CE on multi-label", spec([12], [dense(4, "sigmoid")], "categorical_crossentropy", {"dataset": MULTI, "task": "multi_label"}), {("KS410", "/compile/loss")}),
    ("KS409 multi-label width", spec([12], [dense(3, "sigmoid")], "binary_crossentropy", {"dataset": MULTI, "task": "multi_label"}), {("KS409", "/layers/0/units")}),
    ("KS409 multi-label width from num_classes", spec([16], [dense(3, "sigmoid")], "binary_crossentropy", {"dataset": "mnist", "task": "multi_label", "num_classes": 5}), {("KS409", "/layers/0/units"), ("KS305", "/input_shape"), ("KS311", "/data/task")}),
    ("KS405 softmax on multi-label", spec([12], [dense(4, "softmax")], "binary_crossentropy", {"dataset": MULTI, "task": "multi_label"}), {("KS405", "/layers/0/activation")}),
    ("KS403 multi-label logits", spec([12], [dense(4)], "binary_crossentropy", {"dataset": MULTI, "task": "multi_label"}), {("KS403", "/layers/0/activation")}),
    ("KS407 categorical metric on multi-label", spec([12], [dense(4, "sigmoid")], "binary_crossentropy", {"dataset": MULTI, "task": "multi_label"}, ["categorical_accuracy"]), {("KS407", "/compile/metrics/0")}),
    ("KS311 multi-label targets not rows", spec([16], [dense(1, "sigmoid")], "binary_crossentropy", {"dataset": BINARY, "task": "multi_label"}), {("KS311", "/data/task")}),
    # ---- regression
    ("regression clean", spec([8], [dense(16, "relu"), dense(1)], "mse", {"dataset": REGRESSION, "task": "regression"}, ["mae"]), set()),
    ("KS410 sparse CE on regression", spec([8], [dense(1)], "sparse_categorical_crossentropy", {"dataset": REGRESSION, "task": "regression"}), {("KS410", "/compile/loss")}),
    ("KS410 binary CE on targets outside [0, 1]", spec([8], [dense(1, "sigmoid")], "binary_crossentropy", {"dataset": REGRESSION, "task": "regression"}), {("KS410", "/compile/loss")}),
    ("binary CE on 0/1 regression targets", spec([16], [dense(1, "sigmoid")], "binary_crossentropy", {"dataset": BINARY, "task": "regression"}), set()),
    ("KS409 regression width", spec([8], [dense(2)], "mse", {"dataset": REGRESSION, "task": "regression"}), {("KS409", "/layers/0/units")}),
    ("KS409 regression vector width", spec([12], [dense(3)], "mse", {"dataset": MULTI, "task": "regression"}), {("KS409", "/layers/0/units")}),
    ("KS411 softmax on regression", spec([12], [dense(4, "softmax")], "mse", {"dataset": MULTI, "task": "regression"}), {("KS411", "/layers/0/activation")}),
    ("KS403 regression with a crossentropy needs probabilities", spec([16], [dense(1)], "binary_crossentropy", {"dataset": BINARY, "task": "regression"}), {("KS403", "/layers/0/activation")}),
    ("KS407 accuracy on regression", spec([8], [dense(1)], "mse", {"dataset": REGRESSION, "task": "regression"}, ["accuracy"]), {("KS407", "/compile/metrics/0")}),
    # ---- reconstruction
    ("reconstruction clean", spec([784], [dense(32, "relu"), dense(784, "sigmoid")], "binary_crossentropy", {**MNIST, "task": "reconstruction"}), set()),
    ("KS409 reconstruction shape", spec([784], [dense(32, "relu"), dense(10, "sigmoid")], "mse", {**MNIST, "task": "reconstruction"}), {("KS409", "/layers/1/units")}),
    ("KS409 reconstruction rank", spec([28, 28, 1], [FLAT, dense(784, "sigmoid")], "mse", {**MNIST, "task": "reconstruction"}), {("KS409", "/layers/1")}),
    ("KS410 categorical CE on reconstruction", spec([784], [dense(784, "softmax")], "categorical_crossentropy", {**MNIST, "task": "reconstruction"}), {("KS410", "/compile/loss"), ("KS411", "/layers/0/activation")}),
    ("KS403 per-pixel CE on linear outputs", spec([784], [dense(784)], "binary_crossentropy", {**MNIST, "task": "reconstruction"}), {("KS403", "/layers/0/activation")}),
    ("KS407 accuracy on reconstruction", spec([784], [dense(784, "sigmoid")], "mse", {**MNIST, "task": "reconstruction"}, ["accuracy"]), {("KS407", "/compile/metrics/0")}),
    # ---- the data file
    ("KS305 input vs npz samples", spec([10], [dense(1)], "mse", {"dataset": REGRESSION, "task": "regression"}), {("KS305", "/input_shape")}),
    ("reshaped input is adapted", spec([4, 2], [FLAT, dense(1)], "mse", {"dataset": REGRESSION, "task": "regression"}), set()),
    ("KS311 classes that are not whole", spec([8], [dense(10, "softmax")], "sparse_categorical_crossentropy", {"dataset": REGRESSION}), {("KS311", "/data/task")}),
    ("KS310 missing file", spec([8], [dense(1)], "mse", {"dataset": "no/such/file.npz", "task": "regression"}), {("KS310", "/data/dataset")}),
    ("KS310 missing array", spec([8], [dense(1)], "mse", {"dataset": REGRESSION, "task": "regression", "arrays": {"x_train": "inputs"}}), {("KS310", "/data/dataset")}),
]


def findings(doc: dict[str, Any]) -> set[tuple[str, str]]:
    return {(d.code, d.path) for d in kerasspec.check(doc)}


@pytest.mark.parametrize(("name", "doc", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_rule_branch(name: str, doc: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    assert findings(doc) == expected


def test_a_spec_without_data_gets_what_train_assumes_as_warnings() -> None:
    found = kerasspec.check(spec([32, 32, 3], [FLAT, dense(10, "softmax")], "sparse_categorical_crossentropy", None))
    assert [(d.code, d.severity) for d in found] == [("KS305", Severity.WARNING)]
    assert "`train` uses MNIST" in found[0].message


def test_a_spec_for_other_data_gets_only_ks305_without_data() -> None:
    # The keras.io char-LSTM (57 characters): no MNIST class or label findings, only that the input is not MNIST's.
    doc = spec([40, 57], [{"type": "LSTM", "units": 128}, dense(57, "softmax")], "categorical_crossentropy", None, ["accuracy"])
    assert [(d.code, d.severity) for d in kerasspec.check(doc)] == [("KS305", Severity.WARNING)]


def test_task_findings_only_warn_without_data() -> None:
    # A conv autoencoder (Keras trains it on x -> x): the assumed classification's KS406 is a warning.
    layers = [{"type": "Conv2D", "filters": 8, "kernel_size": 3, "padding": "same"}, {"type": "Conv2DTranspose", "filters": 8, "kernel_size": 3, "padding": "same"}, {"type": "Conv2D", "filters": 1, "kernel_size": 3, "padding": "same", "activation": "sigmoid"}]
    found = kerasspec.check(spec([28, 28, 1], layers, "binary_crossentropy", None))
    assert [(d.code, d.severity) for d in found] == [("KS406", Severity.WARNING)]
    found = kerasspec.check(spec([28, 28, 1], layers, "binary_crossentropy", {**MNIST, "task": "classification"}))
    assert [(d.code, d.severity) for d in found] == [("KS406", Severity.ERROR)]


def test_data_independent_findings_stay_errors_without_data() -> None:
    found = kerasspec.check(spec([784], [dense(1, "softmax")], "binary_crossentropy", None))
    assert ("KS404", Severity.ERROR) in [(d.code, d.severity) for d in found]


def test_a_model_only_spec_assumes_no_data() -> None:
    assert kerasspec.check({"input_shape": [32, 32, 3], "layers": [FLAT, dense(3)]}) == []


def test_a_bad_output_activation_disables_only_the_rules_that_read_it() -> None:
    doc = spec([784], [dense(10, "sofmax")], "sparse_categorical_crossentropy", MNIST)
    # The activation is unknown: no KS403 guess about it; the other rules still run.
    assert findings(doc) == {("KS207", "/layers/0/activation")}
    doc["layers"][0]["units"] = 8
    assert findings(doc) == {("KS207", "/layers/0/activation"), ("KS402", "/layers/0/units")}


def test_budgets_warn_by_default_and_err_when_set() -> None:
    big = {"input_shape": [100_000], "layers": [dense(300)]}
    (d,) = kerasspec.check(big)
    assert (d.code, d.severity) == ("KS501", Severity.WARNING)
    from kerasspec import Budget
    from kerasspec.api import Options

    (d,) = kerasspec.check(big, Options(budget=Budget(max_params=1_000_000)))
    assert (d.code, d.severity) == ("KS501", Severity.ERROR)


def _npz(path: Path, y: Any, x: Any = None) -> str:
    import numpy as np

    y = np.asarray(y)
    x = np.zeros((len(y), 4), dtype=np.float32) if x is None else x
    np.savez(path, x_train=x, y_train=y, x_test=x, y_test=y)
    return str(path)


TARGET_ROWS = [
    # (task fields, y_train, last layer, loss, expected findings)
    ("strings", {"task": "regression"}, ["a", "b", "c"], dense(1), "mse", {("KS311", "/data/task")}),
    ("NaN targets", {"task": "regression"}, [0.5, float("nan"), 1.0], dense(1), "mse", {("KS311", "/data/task")}),
    ("multi-hot rows as classes", {"labels": "one_hot"}, [[1, 1, 0], [0, 1, 0], [0, 0, 0]], dense(3, "softmax"), "categorical_crossentropy", {("KS311", "/data/task")}),
    ("one-hot rows as classes", {"labels": "one_hot"}, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], dense(3, "softmax"), "categorical_crossentropy", set()),
    ("binary with rows", {"task": "binary"}, [[1, 0, 1], [0, 1, 0], [0, 0, 1]], dense(1, "sigmoid"), "binary_crossentropy", {("KS311", "/data/task")}),
    ("binary positive_class on fractions", {"task": "binary", "positive_class": 1}, [0.5, 1.0, 2.0], dense(1, "sigmoid"), "binary_crossentropy", {("KS311", "/data/task")}),
    ("binary positive_class on ids", {"task": "binary", "positive_class": 1}, [0, 1, 2], dense(1, "sigmoid"), "binary_crossentropy", set()),
]


@pytest.mark.parametrize(("name", "fields", "y", "last", "loss", "expected"), TARGET_ROWS, ids=[r[0] for r in TARGET_ROWS])
def test_target_values(tmp_path: Path, name: str, fields: dict[str, Any], y: Any, last: dict[str, Any], loss: str, expected: set[tuple[str, str]]) -> None:
    data = {"dataset": _npz(tmp_path / "d.npz", y), **fields}
    assert findings(spec([4], [last], loss, data)) == expected
