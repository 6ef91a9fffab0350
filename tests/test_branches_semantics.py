"""Every branch of kerasspec/semantics.py and of kerasspec/tasks.py not already in test_tasks.py.

Each row is a spec (with the check's options) and the exact set of
(code, severity, path) findings it must give, plus fragments that the branch
selects in a message or hint. Severity is part of the contract: KS501/KS502
warn under the default budgets and are errors under budgets the user set; a spec
without ``data`` gets its data-dependent findings as warnings (``train`` assumes
MNIST) while KS403/KS404/KS406 stay errors. Data files are written by the tests
with NumPy (no Keras in this tier) or are the examples in ``examples/data/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import kerasspec
from kerasspec import Budget, semantics
from kerasspec import spec as S
from kerasspec.api import Options, run
from kerasspec.diagnostics import Diagnostic

E, W = "error", "warning"
DATA = Path(__file__).resolve().parent.parent / "examples" / "data"
REGRESSION = str(DATA / "regression8.npz")  # x (n, 8) float, y (n,) float
MULTI = str(DATA / "multilabel12.npz")  # x (n, 12), y (n, 4) 0/1
BINARY = str(DATA / "binary16.npz")  # x (n, 16), y (n,) 0/1
MNIST = {"dataset": "mnist"}


def dense(units: int, activation: str | None = None, **more: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"type": "Dense", "units": units, **more}
    if activation:
        d["activation"] = activation
    return d


FLAT = {"type": "Flatten"}


def doc(
    layers: list[dict[str, Any]],
    input_shape: list[Any] | None = (8,),  # type: ignore[assignment]
    loss: Any = None,
    data: dict[str, Any] | None = None,
    metrics: list[Any] | None = None,
    **top: Any,
) -> dict[str, Any]:
    out: dict[str, Any] = {"layers": layers, **top}
    if input_shape is not None:
        out["input_shape"] = list(input_shape)
    if loss is not None:
        out.setdefault("compile", {})["loss"] = loss
    if metrics is not None:
        out.setdefault("compile", {})["metrics"] = metrics
    if data is not None:
        out["data"] = data
    return out


def regression(layers: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
    """A clean regression spec on regression8 (x: 8 values, y: one number) to add one thing to."""
    return doc(layers, [8], "mse", {"dataset": REGRESSION, "task": "regression"}, **more)


REG = [dense(1)]


def classifier(**fit: Any) -> dict[str, Any]:
    """A clean MNIST classifier with `metrics: [accuracy]`, fitted with ``fit``."""
    return doc([dense(10, "softmax")], [784], "sparse_categorical_crossentropy", MNIST, ["accuracy"], fit=fit)
SCHEDULE = {"type": "ExponentialDecay", "initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.9}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Small .npz datasets, one per data branch, written with NumPy."""
    import numpy as np

    root = tmp_path_factory.mktemp("data")
    n = 6
    f32 = np.float32

    def save(name: str, x: Any, y: Any, x_test: Any = None) -> str:
        path = root / f"{name}.npz"
        np.savez(path, x_train=x, y_train=y, x_test=x if x_test is None else x_test, y_test=y)
        return str(path)

    return {
        "@test_shape": save("test_shape", np.zeros((n, 4), f32), np.zeros(n, f32), np.zeros((n, 5), f32)),
        "@grid": save("grid", np.zeros((n, 6, 6), f32), np.zeros(n, f32)),
        "@text_x": save("text_x", np.array([["a"] * 4] * n), np.zeros(n, f32)),
        "@text_y": save("text_y", np.zeros((n, 4), f32), np.array(["a"] * n)),
        "@negative_ids": save("negative_ids", np.zeros((n, 4), f32), np.array([-1, 0, 1, 2, 0, 1])),
        "@ids3": save("ids3", np.zeros((n, 4), f32), np.array([0, 1, 2, 0, 1, 2])),
        "@multi_counts": save("multi_counts", np.zeros((n, 4), f32), np.array([[0, 2, 1]] * n)),
        "@one_hot3": save("one_hot3", np.zeros((n, 4), f32), np.eye(3, dtype=f32)[[0, 1, 2, 0, 1, 2]]),
        "@x_only": _save_x(root / "x_only.npz", np.zeros((n, 4), f32)),
        "@binary_column": save("binary_column", np.zeros((n, 4), f32), np.array([[0], [1]] * 3, f32)),
        "@one_hot2": save("one_hot2", np.zeros((n, 4), f32), np.eye(2, dtype=f32)[[0, 1] * 3]),
        "@upto15": save("upto15", np.zeros((n, 4), f32), np.array([0, 0.5, 1.5, 1, 0, 1], f32)),
        "@steps": save("steps", np.zeros((n, 5, 8), f32), np.zeros((n, 5, 1), f32)),
        "@fractions": save("fractions", np.zeros((n, 4), f32), np.array([0.5, 1, 2, 0, 1, 2], f32)),
        "@multi_hot": save("multi_hot", np.zeros((n, 4), f32), np.array([[1, 1, 0], [0, 1, 0], [0, 0, 0]] * 2, f32)),
        "@nan_y": save("nan_y", np.zeros((n, 4), f32), np.array([0.5, np.nan, 1, 0, 1, 2], f32)),
        "@targets2": save("targets2", np.zeros((n, 4), f32), np.zeros((n, 4, 2), f32)),
    }


def _save_x(path: Path, x: Any) -> str:
    import numpy as np

    np.savez(path, x_train=x, x_test=x)
    return str(path)


def with_files(value: Any, files: dict[str, str]) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        return files[value]
    if isinstance(value, dict):
        return {k: with_files(v, files) for k, v in value.items()}
    if isinstance(value, list):
        return [with_files(v, files) for v in value]
    return value


Found = set[tuple[str, str, str]]

#: (id, spec, options, {(code, severity, path)}, fragments that a message or hint must hold)
ROWS: list[tuple[str, dict[str, Any], Options, Found, tuple[str, ...]]] = [
    # ---- KS504: what Keras builds and the TensorFlow backend cannot run
    ("KS504 a layer's own problem", doc([{"type": "LSTM", "units": 2, "use_cudnn": True}], [8, 4]), Options(), {("KS504", W, "/layers/0")}, ("use_cudnn: true builds", "leave use_cudnn at auto")),
    ("KS504 an object's problem", doc([dense(2, kernel_constraint={"type": "MaxNorm", "axis": 5})]), Options(), {("KS504", W, "/layers/0/kernel_constraint")}, ("has axis 5, outside a weight of rank 2", "use another one, or none")),
    ("KS504 on the shape the layer receives", doc([{"type": "Conv1D", "filters": 2, "kernel_size": 5}, {"type": "AdaptiveAveragePooling1D", "output_size": 2}], [5, 2]), Options(), {("KS504", W, "/layers/1")}, ("to 2 from 1",)),
    ("KS504 not on the model's input shape", doc([{"type": "AdaptiveAveragePooling1D", "output_size": 2}], [5, 2]), Options(), set(), ()),
    ("KS504 after an Input layer", doc([{"type": "Input", "shape": [8, 4]}, {"type": "LSTM", "units": 2, "use_cudnn": True}], None), Options(), {("KS504", W, "/layers/1")}, ()),
    ("KS504 inside a Repeat", doc([{"type": "Repeat", "times": 1, "layers": [{"type": "LSTM", "units": 2, "use_cudnn": True}]}], [8, 4]), Options(), {("KS504", W, "/layers/0/layers/0")}, ()),
    ("KS504 before a shape error", doc([{"type": "LSTM", "units": 2, "use_cudnn": True}, {"type": "Conv2D", "filters": 2, "kernel_size": 2}], [8, 4]), Options(), {("KS504", W, "/layers/0"), ("KS302", E, "/layers/1")}, ()),
    # ---- KS213: arguments the spec takes as Keras does, and that do nothing
    ("KS213 an optimizer's decay", regression(REG, compile={"optimizer": {"type": "SGD", "decay": 1e-6}}), Options(), {("KS213", W, "/compile/optimizer/decay")}, ("Keras 3 dropped it", "InverseTimeDecay")),
    ("KS213 decay inside a LossScaleOptimizer", regression(REG, compile={"optimizer": {"type": "LossScaleOptimizer", "inner_optimizer": {"type": "Adam", "decay": 0.1}}}), Options(), {("KS213", W, "/compile/optimizer/inner_optimizer/decay")}, ()),
    ("KS213 decay null is nothing", regression(REG, compile={"optimizer": {"type": "SGD", "decay": None}}), Options(), set(), ()),
    ("KS213 initial_epoch", regression(REG, fit={"initial_epoch": 2, "epochs": 4}), Options(), {("KS213", W, "/fit/initial_epoch")}, ("--resume",)),
    ("KS213 initial_epoch 0 is nothing", regression(REG, fit={"initial_epoch": 0}), Options(), set(), ()),
    # ---- KS412: monitors that fit never logs
    ("KS412 val_ without validation data", regression(REG, fit={"callbacks": [{"type": "EarlyStopping", "monitor": "val_loss"}]}), Options(), {("KS412", W, "/fit/callbacks/0/monitor")}, ("monitors 'val_loss', which fit does not log (it logs loss)", "set `fit.validation_split`")),
    # Keras 3.15 (MonitorCallback._set_monitor_op): in mode auto a name that is neither `loss` nor a
    # compiled metric's (with or without `val_`) raises a ValueError at the end of epoch 1: an error.
    ("KS412 did you mean", regression(REG, fit={"callbacks": [{"type": "EarlyStopping", "monitor": "los"}]}), Options(), {("KS412", E, "/fit/callbacks/0/monitor")}, ("did you mean 'loss'?", "fit fails at the end of the first epoch")),
    ("KS412 what fit logs", regression(REG, metrics=["mae"], fit={"callbacks": [{"type": "EarlyStopping", "monitor": "zzzzzz"}]}), Options(), {("KS412", E, "/fit/callbacks/0/monitor")}, ("fit logs: loss, mae",)),
    ("KS412 the second callback", regression(REG, fit={"callbacks": [{"type": "TerminateOnNaN"}, {"type": "EarlyStopping", "monitor": "val_mae"}]}), Options(), {("KS412", E, "/fit/callbacks/1/monitor")}, ("fit logs: loss",)),
    ("KS412 val_acc for a metric logged as accuracy", classifier(validation_split=0.1, callbacks=[{"type": "EarlyStopping", "monitor": "val_acc"}]), Options(), {("KS412", E, "/fit/callbacks/0/monitor")}, ("Keras cannot tell whether it should be minimized or maximized", "did you mean 'val_accuracy'?")),
    ("KS412 val_acc without validation data", classifier(callbacks=[{"type": "EarlyStopping", "monitor": "val_acc"}]), Options(), {("KS412", E, "/fit/callbacks/0/monitor")}, ()),
    ("KS412 val_acc in mode max only warns", classifier(validation_split=0.1, callbacks=[{"type": "EarlyStopping", "monitor": "val_acc", "mode": "max"}]), Options(), {("KS412", W, "/fit/callbacks/0/monitor")}, ("Keras only warns at each epoch, and the callback never acts",)),
    ("KS412 mode min only warns", regression(REG, fit={"callbacks": [{"type": "EarlyStopping", "monitor": "los", "mode": "min"}]}), Options(), {("KS412", W, "/fit/callbacks/0/monitor")}, ()),
    ("KS412 val_ of a metric without validation data only warns", classifier(callbacks=[{"type": "EarlyStopping", "monitor": "val_accuracy"}]), Options(), {("KS412", W, "/fit/callbacks/0/monitor")}, ("set `fit.validation_split`",)),
    ("KS412 ReduceLROnPlateau val_acc", classifier(validation_split=0.1, callbacks=[{"type": "ReduceLROnPlateau", "monitor": "val_acc"}]), Options(), {("KS412", E, "/fit/callbacks/0/monitor")}, ("ReduceLROnPlateau monitors 'val_acc'",)),
    ("KS412 ReduceLROnPlateau val_ without validation data only warns", classifier(callbacks=[{"type": "ReduceLROnPlateau", "monitor": "val_accuracy"}]), Options(), {("KS412", W, "/fit/callbacks/0/monitor")}, ()),
    ("KS412 a logged confusion count has no direction", regression(REG, metrics=["true_positives"], fit={"callbacks": [{"type": "EarlyStopping", "monitor": "true_positives"}]}), Options(), {("KS412", E, "/fit/callbacks/0/monitor")}, ("add `mode: min` or `mode: max` to the callback",)),
    ("KS412 a confusion count object in mode max", regression(REG, metrics=[{"type": "TruePositives"}], fit={"callbacks": [{"type": "EarlyStopping", "monitor": "true_positives", "mode": "max"}]}), Options(), set(), ()),
    ("KS412 val_ with validation data", regression(REG, metrics=["mae"], fit={"validation_split": 0.1, "callbacks": [{"type": "EarlyStopping", "monitor": "val_mae"}]}), Options(), set(), ()),
    ("KS412 the metric's logged name", regression(REG, metrics=[{"type": "MeanAbsoluteError", "name": "err"}], fit={"callbacks": [{"type": "EarlyStopping", "monitor": "err"}]}), Options(), set(), ()),
    ("KS412 learning_rate is logged by ReduceLROnPlateau, but has no direction", regression(REG, fit={"validation_split": 0.1, "callbacks": [{"type": "ReduceLROnPlateau"}, {"type": "EarlyStopping", "monitor": "learning_rate"}]}), Options(), {("KS412", E, "/fit/callbacks/1/monitor")}, ("add `mode: min`",)),
    ("KS412 learning_rate in mode min", regression(REG, fit={"validation_split": 0.1, "callbacks": [{"type": "ReduceLROnPlateau"}, {"type": "EarlyStopping", "monitor": "learning_rate", "mode": "min"}]}), Options(), set(), ()),
    ("KS412 learning_rate is not logged without it", regression(REG, fit={"callbacks": [{"type": "EarlyStopping", "monitor": "learning_rate", "mode": "min"}]}), Options(), {("KS412", W, "/fit/callbacks/0/monitor")}, ()),
    ("KS412 no compile: nothing is logged to check", doc(REG, fit={"callbacks": [{"type": "EarlyStopping", "monitor": "zzzzzz"}]}), Options(), set(), ()),
    # ---- KS211: callbacks the optimizer cannot serve
    ("KS211 ReduceLROnPlateau with a schedule", regression(REG, fit={"validation_split": 0.1, "callbacks": [{"type": "ReduceLROnPlateau"}]}, compile={"optimizer": {"type": "SGD", "learning_rate": SCHEDULE}}), Options(), {("KS211", E, "/fit/callbacks/0")}, ("ExponentialDecay schedule", "use a fixed learning_rate")),
    ("KS211 ... inside a LossScaleOptimizer", regression(REG, fit={"validation_split": 0.1, "callbacks": [{"type": "ReduceLROnPlateau"}]}, compile={"optimizer": {"type": "LossScaleOptimizer", "inner_optimizer": {"type": "SGD", "learning_rate": SCHEDULE}}}), Options(), {("KS211", E, "/fit/callbacks/0")}, ()),
    ("KS211 ReduceLROnPlateau with a fixed rate", regression(REG, fit={"validation_split": 0.1, "callbacks": [{"type": "ReduceLROnPlateau"}]}, compile={"optimizer": {"type": "SGD", "learning_rate": 0.1}}), Options(), set(), ()),
    ("KS211 SwapEMAWeights each epoch without EMA", regression(REG, fit={"callbacks": [{"type": "SwapEMAWeights", "swap_on_epoch": True}]}, compile={"optimizer": "adam"}), Options(), {("KS211", E, "/fit/callbacks/0")}, ("use_ema is false", "use_ema: true")),
    ("KS211 SwapEMAWeights on validation without EMA", regression(REG, fit={"validation_split": 0.2, "callbacks": [{"type": "SwapEMAWeights"}]}), Options(), {("KS211", E, "/fit/callbacks/0")}, ()),
    ("KS211 SwapEMAWeights that never swaps", regression(REG, fit={"callbacks": [{"type": "SwapEMAWeights"}]}), Options(), set(), ()),
    ("KS211 SwapEMAWeights with EMA", regression(REG, fit={"callbacks": [{"type": "SwapEMAWeights", "swap_on_epoch": True}]}, compile={"optimizer": {"type": "Adam", "use_ema": True}}), Options(), set(), ()),
    ("KS211 SwapEMAWeights with EMA inside a LossScaleOptimizer", regression(REG, fit={"callbacks": [{"type": "SwapEMAWeights", "swap_on_epoch": True}]}, compile={"optimizer": {"type": "LossScaleOptimizer", "inner_optimizer": {"type": "Adam", "use_ema": True}}}), Options(), set(), ()),
    # ---- KS501/KS502: budgets warn by default, and are errors when the user sets them
    ("KS501 default budget: a warning", doc([dense(300)], [100_000]), Options(), {("KS501", W, "/layers/0")}, ("30,000,300 parameters (114.4 MB of float32 weights), above the budget of 25,000,000", "'dense' (Dense) with 30,000,300")),
    ("KS501 a set budget: an error", doc([dense(300)], [100_000]), Options(budget=Budget(max_params=1_000_000)), {("KS501", E, "/layers/0")}, ("above the budget of 1,000,000",)),
    ("KS501 a small set budget", doc([dense(2), dense(2)]), Options(budget=Budget(max_params=10)), {("KS501", E, "/layers/0")}, ("the model has 24 parameters (96 bytes of float32 weights)", "'dense' (Dense) with 18")),
    ("KS501 a raised budget", doc([dense(300)], [100_000]), Options(budget=Budget(max_params=100_000_000)), set(), ()),
    ("KS501 at the budget", doc([dense(2)]), Options(budget=Budget(max_params=18)), set(), ()),
    ("KS501 the largest layer, not the first", doc([dense(2), dense(1000)]), Options(budget=Budget(max_params=1000)), {("KS501", E, "/layers/1")}, ("'dense_1' (Dense) with 3,000",)),
    ("KS501 inside a Repeat: the layer as written", doc([{"type": "Repeat", "times": 2, "layers": [dense(300)]}], [8]), Options(budget=Budget(max_params=100)), {("KS501", E, "/layers/0/layers/0")}, ("93,000 parameters",)),
    ("KS501 an Input layer alone", doc([{"type": "Input", "shape": [4]}], None), Options(), set(), ()),
    ("KS501 inside a block", doc([{"type": "Sequential", "layers": [dense(2), dense(300)]}], [8]), Options(budget=Budget(max_params=100)), {("KS501", E, "/layers/0")}, ()),
    ("KS502 default budget: a warning", doc([{"type": "Conv2D", "filters": 64, "kernel_size": 3, "padding": "same"}], [600, 600, 3]), Options(), {("KS502", W, "")}, ("training needs about 5.5 GB", "for a batch of 32), above the budget of 4.0 GB")),
    ("KS502 points at fit.batch_size", doc([{"type": "Conv2D", "filters": 64, "kernel_size": 3, "padding": "same"}], [600, 600, 3], fit={"epochs": 1}), Options(), {("KS502", W, "/fit/batch_size")}, ()),
    ("KS502 a set budget: an error", doc([dense(2)]), Options(budget=Budget(max_memory_bytes=100)), {("KS502", E, "")}, ("training needs about 800 bytes", "above the budget of 100 bytes")),
    ("KS502 a raised budget", doc([{"type": "Conv2D", "filters": 64, "kernel_size": 3, "padding": "same"}], [600, 600, 3]), Options(budget=Budget(max_memory_bytes=8 * 1024**3)), set(), ()),
    ("KS502 at the budget", doc([dense(2)]), Options(budget=Budget(max_memory_bytes=800)), set(), ()),
    ("KS502 fit's batch", doc([dense(2)], fit={"batch_size": 64}), Options(budget=Budget(max_memory_bytes=1000)), {("KS502", E, "/fit/batch_size")}, ("about 1.3 KB", "for a batch of 64")),
    ("KS502 train's --batch-size first", doc([dense(2)], fit={"batch_size": 64}), Options(budget=Budget(max_memory_bytes=1000, batch_size=8)), set(), ()),
    ("KS502 train's --batch-size", doc([dense(2)]), Options(budget=Budget(max_memory_bytes=1000, batch_size=64)), {("KS502", E, "")}, ("for a batch of 64",)),
    ("KS502 a fixed Input batch", doc([{"type": "Input", "shape": [8], "batch_size": 64}, dense(2)], None, fit={"batch_size": 8}), Options(budget=Budget(max_memory_bytes=1000)), {("KS502", E, "/fit/batch_size")}, ("for a batch of 64",)),
    ("KS502 intermediate tensors count", doc([{"type": "SeparableConv2D", "filters": 1, "kernel_size": 1, "depth_multiplier": 8}], [4, 4, 1]), Options(budget=Budget(max_memory_bytes=30_000)), {("KS502", E, "")}, ("about 36.3 KB",)),
    # ---- KS310: a data file that cannot be read (a warning: check cannot look inside)
    ("KS310 missing file", doc(REG, [8], "mse", {"dataset": "no/such/file.npz", "task": "regression"}), Options(), {("KS310", W, "/data/dataset")}, ("the data cannot be checked", "`train` needs the file")),
    # ---- KS305: the input against one sample of the data
    ("KS305 images: an image shape", doc([FLAT, dense(10, "softmax")], [32, 32, 3], "sparse_categorical_crossentropy", MNIST), Options(), {("KS305", E, "/input_shape")}, ("input shape [32, 32, 3] does not fit mnist's 28x28 grayscale images", "use [28, 28, 1] for convolutions")),
    ("KS305 at an Input layer's batch_shape", doc([{"type": "Input", "batch_shape": [None, 10]}, dense(10, "softmax")], None, "sparse_categorical_crossentropy", MNIST), Options(), {("KS305", E, "/layers/0/batch_shape")}, ("input shape [10] does not fit",)),
    ("KS305 at an InputLayer's input_shape", doc([{"type": "InputLayer", "input_shape": [10]}, dense(10, "softmax")], None, "sparse_categorical_crossentropy", MNIST), Options(), {("KS305", E, "/layers/0/input_shape")}, ()),
    ("KS305 images: flat pixels", doc([dense(10, "softmax")], [784], "sparse_categorical_crossentropy", MNIST), Options(), set(), ()),
    ("KS305 images: one channel", doc([FLAT, dense(10, "softmax")], [28, 28, 1], "sparse_categorical_crossentropy", {"dataset": "fashion_mnist"}), Options(), set(), ()),
    ("KS305 images: any size fits", doc([{"type": "GlobalAveragePooling1D"}, dense(10, "softmax")], [None, 28], "sparse_categorical_crossentropy", MNIST), Options(), set(), ()),
    ("KS305 images: channels first", doc([{"type": "Conv2D", "filters": 2, "kernel_size": 3, "data_format": "channels_first"}, FLAT, dense(10, "softmax")], [1, 28, 28], "sparse_categorical_crossentropy", MNIST), Options(), set(), ()),
    ("KS305 images: channels first needs the layer", doc([FLAT, dense(10, "softmax")], [1, 28, 28], "sparse_categorical_crossentropy", MNIST), Options(), {("KS305", E, "/input_shape")}, ()),
    ("KS305 at an Input layer's shape", doc([{"type": "Input", "shape": [32, 32, 3]}, FLAT, dense(10, "softmax")], None, "sparse_categorical_crossentropy", MNIST), Options(), {("KS305", E, "/layers/0/shape")}, ()),
    ("KS305 at an Embedding's input_shape", doc([{"type": "Embedding", "input_dim": 10, "output_dim": 2, "input_shape": [5]}, FLAT, dense(10, "softmax")], None, "sparse_categorical_crossentropy", MNIST), Options(), {("KS305", E, "/layers/0/input_shape")}, ()),
    ("KS305 at a first layer's input_dim", doc([dense(10, "softmax", input_dim=30)], None, "sparse_categorical_crossentropy", MNIST), Options(), {("KS305", E, "/layers/0/input_dim")}, ("input shape [30]",)),
    ("KS305 images: channels first layer, channels-last input", doc([{"type": "Conv2D", "filters": 2, "kernel_size": 1, "data_format": "channels_first"}, FLAT, dense(10, "softmax")], [28, 28, 1], "sparse_categorical_crossentropy", MNIST), Options(), set(), ()),
    ("KS305 at a first layer's input_shape", doc([dense(10, "softmax", input_shape=[30])], None, "sparse_categorical_crossentropy", MNIST), Options(), {("KS305", E, "/layers/0/input_shape")}, ()),
    ("KS305 npz: hint for a channel axis", doc([FLAT, dense(1)], [6, 6, 3], "mse", {"dataset": "@grid", "task": "regression"}), Options(), {("KS305", E, "/input_shape")}, ("input shape [6, 6, 3] does not fit the data: each sample of", "has shape [6, 6] (36 values)", "one value per position, not 3 channels: use `input_shape: [6, 6, 1]`")),
    ("KS305 npz: hint for flat input", doc([dense(1)], [10], "mse", {"dataset": "@grid", "task": "regression"}), Options(), {("KS305", E, "/input_shape")}, ("use `input_shape: [6, 6]` and a Flatten layer first",)),
    ("KS305 npz: other shapes", doc([FLAT, dense(1)], [5, 5], "mse", {"dataset": "@grid", "task": "regression"}), Options(), {("KS305", E, "/input_shape")}, ("use `input_shape: [6, 6]`, or a Reshape",)),
    ("KS305 npz: one axis fewer, other sizes", doc([FLAT, dense(1)], [5, 5, 3], "mse", {"dataset": "@grid", "task": "regression"}), Options(), {("KS305", E, "/input_shape")}, ("use `input_shape: [6, 6]`, or a Reshape",)),
    ("KS305 npz: flat data, flat input", doc([dense(1)], [10], "mse", {"dataset": REGRESSION, "task": "regression"}), Options(), {("KS305", E, "/input_shape")}, ("use `input_shape: [8]`, or a Reshape",)),
    ("KS305 npz: the same values reshaped", doc([dense(1)], [36], "mse", {"dataset": "@grid", "task": "regression"}), Options(), set(), ()),
    ("KS305 npz: a channel axis added", doc([FLAT, dense(1)], [6, 6, 1], "mse", {"dataset": "@grid", "task": "regression"}), Options(), set(), ()),
    ("KS305 npz: any size fits", doc([{"type": "GlobalAveragePooling1D"}, dense(1)], [None, 6], "mse", {"dataset": "@grid", "task": "regression"}), Options(), set(), ()),
    ("KS305 npz: an unknown size is not adapted", doc([{"type": "GlobalAveragePooling1D"}, dense(1)], [None, 4], "mse", {"dataset": "@grid", "task": "regression"}), Options(), {("KS305", E, "/input_shape")}, ()),
    ("KS311 npz: x_test samples differ", doc([dense(1)], [4], "mse", {"dataset": "@test_shape", "task": "regression"}), Options(), {("KS311", E, "/data/dataset")}, ("x_train samples have shape [4] but x_test samples [5]",)),
    # ---- KS311: targets the task cannot take
    ("KS311 non-numeric inputs", doc([dense(1)], [4], "mse", {"dataset": "@text_x", "task": "regression"}), Options(), {("KS311", E, "/data/task")}, ("x_train holds non-numeric values (dtype kind 'U')", "x_test holds non-numeric values")),
    ("KS311 non-numeric targets", doc([dense(1)], [4], "mse", {"dataset": "@text_y", "task": "regression"}), Options(), {("KS311", E, "/data/task")}, ("y_train holds non-numeric values", "y_test holds non-numeric values")),
    ("KS311 negative class ids", doc([dense(3, "softmax")], [4], "sparse_categorical_crossentropy", {"dataset": "@negative_ids"}), Options(), {("KS311", E, "/data/task")}, ("class ids 0..K-1 in y_train, but its values range from -1 to 2", "use `task: regression`")),
    ("KS311 a reconstruction needs no targets", doc([dense(4)], [4], "mse", {"dataset": "@x_only", "task": "reconstruction"}), Options(), set(), ()),
    ("KS311 binary: one 0/1 column", doc([dense(1, "sigmoid")], [4], "binary_crossentropy", {"dataset": "@binary_column", "task": "binary"}), Options(), set(), ()),
    ("KS311 binary: two columns", doc([dense(1, "sigmoid")], [4], "binary_crossentropy", {"dataset": "@one_hot2", "task": "binary"}), Options(), {("KS311", E, "/data/task")}, ("y_train has rows of 2 values",)),
    ("KS311 fractions as class ids for a positive_class", doc([dense(1, "sigmoid")], [4], "binary_crossentropy", {"dataset": "@fractions", "task": "binary", "positive_class": 1}), Options(), {("KS311", E, "/data/task")}, ()),
    ("KS311 binary targets beyond 0/1", doc([dense(1, "sigmoid")], [4], "binary_crossentropy", {"dataset": "@ids3", "task": "binary"}), Options(), {("KS311", E, "/data/task")}, ()),
    ("KS311 multi-hot rows as classes", doc([dense(3, "softmax")], [4], "categorical_crossentropy", {"dataset": "@multi_hot", "labels": "one_hot"}), Options(), {("KS311", E, "/data/task")}, ()),
    ("KS311 NaN targets", doc([dense(1)], [4], "mse", {"dataset": "@nan_y", "task": "regression"}), Options(), {("KS311", E, "/data/task")}, ()),
    ("KS311 fractions as class ids", doc([dense(3, "softmax")], [4], "sparse_categorical_crossentropy", {"dataset": "@fractions"}), Options(), {("KS311", E, "/data/task")}, ()),
    ("KS311 one-hot rows are class rows", doc([dense(3, "softmax")], [4], "categorical_crossentropy", {"dataset": "@one_hot3", "labels": "one_hot"}), Options(), set(), ()),
    ("KS311 multi-label counts", doc([dense(3, "sigmoid")], [4], "binary_crossentropy", {"dataset": "@multi_counts", "task": "multi_label"}), Options(), {("KS311", E, "/data/task")}, ("has shape [6, 3] with values other than 0 and 1",)),
    ("KS311 multi-label rank", doc([dense(1, "sigmoid")], [16], "binary_crossentropy", {"dataset": BINARY, "task": "multi_label"}), Options(), {("KS311", E, "/data/task")}, ()),
    # ---- KS405/KS205: positive_class
    ("KS205 positive_class beyond the file's classes", doc([dense(1, "sigmoid")], [4], "binary_crossentropy", {"dataset": "@ids3", "task": "binary", "positive_class": 3}), Options(), {("KS205", E, "/data/positive_class")}, ("positive_class 3 is not a class of", "which has classes 0..2", "use a class between 0 and 2")),
    ("KS205 positive_class the last class", doc([dense(1, "sigmoid")], [4], "binary_crossentropy", {"dataset": "@ids3", "task": "binary", "positive_class": 2}), Options(), set(), ()),
    ("KS205 positive_class on MNIST", doc([dense(1, "sigmoid")], [784], "binary_crossentropy", {**MNIST, "task": "binary", "positive_class": 10}), Options(), {("KS205", E, "/data/positive_class")}, ("which has classes 0..9",)),
    ("KS405 binary on MNIST without positive_class", doc([dense(1, "sigmoid")], [784], "binary_crossentropy", {**MNIST, "task": "binary"}), Options(), {("KS405", E, "/data")}, ("task binary on mnist's 10 classes", "positive_class: 7")),
    # ---- a spec without data: what train assumes, as warnings, except what holds whatever the data
    ("no data: data-dependent findings warn", doc([dense(8, "softmax")], [784], "sparse_categorical_crossentropy"), Options(), {("KS402", W, "/layers/0/units")}, ("(the spec has no `data`: `train` uses MNIST classification)",)),
    # KS406 depends on the task: Keras 3.15 trains this model on per-pixel labels (64, 28, 28).
    ("no data: KS406 warns", doc([dense(10, "softmax")], [28, 28, 1], "sparse_categorical_crossentropy"), Options(), {("KS406", W, "/layers/0")}, ("`task: reconstruction`",)),
    ("no data: a conv autoencoder only warns", doc([{"type": "Conv2D", "filters": 8, "kernel_size": 3, "padding": "same", "activation": "relu"}, {"type": "Conv2DTranspose", "filters": 8, "kernel_size": 3, "padding": "same", "activation": "relu"}, {"type": "Conv2D", "filters": 1, "kernel_size": 3, "padding": "same", "activation": "sigmoid"}], [28, 28, 1], "binary_crossentropy"), Options(), {("KS406", W, "/layers/2")}, ()),
    ("no data: an input MNIST does not fit drops the MNIST findings", doc([{"type": "LSTM", "units": 16}, dense(57, "softmax")], [40, 57], "categorical_crossentropy", metrics=["accuracy"]), Options(), {("KS305", W, "/input_shape")}, ("`train` uses MNIST",)),
    ("no data: KS305 drops KS406", doc([{"type": "Conv2D", "filters": 3, "kernel_size": 1, "activation": "softmax"}], [64, 64, 3], "sparse_categorical_crossentropy"), Options(), {("KS305", W, "/input_shape")}, ()),
    ("no data: KS305 keeps what holds whatever the data", doc([FLAT, dense(1, "softmax")], [32, 32, 3], "binary_crossentropy"), Options(), {("KS305", W, "/input_shape"), ("KS404", E, "/layers/1/activation")}, ()),
    ("MNIST data: KS406 stays an error", doc([dense(10, "softmax")], [28, 28, 1], "sparse_categorical_crossentropy", MNIST), Options(), {("KS406", E, "/layers/0")}, ()),
    ("no data: KS403 stays an error", doc([dense(10)], [784], "sparse_categorical_crossentropy"), Options(), {("KS403", E, "/layers/0/activation")}, ()),
    ("no data, no compile: nothing assumed", doc([dense(8, "softmax")], [32, 32, 3]), Options(), set(), ()),
    ("no data, no compile: budgets still count", doc([dense(300)], [100_000]), Options(), {("KS501", W, "/layers/0")}, ()),
    ("the caller's data: errors", doc([dense(8, "softmax")], [784], "sparse_categorical_crossentropy"), Options(data=S.Data(dataset="mnist")), {("KS402", E, "/layers/0/units")}, ()),
    ("the caller's data first", doc([dense(1)], [8], "mse", MNIST), Options(data=S.Data(dataset=REGRESSION, task="regression")), set(), ()),
    ("data without compile: the data rules only", doc([dense(1)], [10], None, {"dataset": REGRESSION, "task": "regression"}), Options(), {("KS305", E, "/input_shape")}, ()),
    ("a shape error stops the rules", doc([{"type": "Conv2D", "filters": 2, "kernel_size": 2}, dense(8)], [784], "sparse_categorical_crossentropy", MNIST), Options(), {("KS302", E, "/layers/0")}, ()),
    # ---- tasks.py: branches test_tasks.py does not assert
    ("tasks: KS406 on binary stops there", doc([dense(3, "softmax")], [4, 4], "sparse_categorical_crossentropy", {"dataset": BINARY, "task": "binary"}), Options(), {("KS406", E, "/layers/0")}, ("sparse_categorical_crossentropy receives the model's output of shape (None, 4, 3), rank 3", "add a Flatten")),
    ("tasks: KS406 on multi-label goes on", doc([dense(3, "sigmoid")], [4, 3], "binary_crossentropy", {"dataset": MULTI, "task": "multi_label"}), Options(), {("KS406", E, "/layers/0"), ("KS409", E, "/layers/0")}, ("but the target has 4 labels", "set units: 4")),
    ("tasks: KS403 hint, sparse", doc([dense(10)], [784], "sparse_categorical_crossentropy", MNIST), Options(), {("KS403", E, "/layers/0/activation")}, ("the output activation is linear, so the model outputs logits", "add activation: softmax to the last layer, or use `loss: {type: SparseCategoricalCrossentropy, from_logits: true}`")),
    ("tasks: KS403 hint, categorical", doc([dense(10, "relu")], [784], "categorical_crossentropy", {**MNIST, "labels": "one_hot"}), Options(), {("KS403", E, "/layers/0/activation")}, ("the output activation is relu, so the model outputs values that are not probabilities", "`loss: {type: CategoricalCrossentropy, from_logits: true}`")),
    ("tasks: KS403 hint, binary", doc([dense(1)], [16], "binary_crossentropy", {"dataset": BINARY, "task": "binary"}), Options(), {("KS403", E, "/layers/0/activation")}, ("add activation: sigmoid", "`loss: {type: BinaryCrossentropy, from_logits: true}`")),
    ("tasks: KS403 double sigmoid", doc([dense(1, "sigmoid")], [16], {"type": "BinaryCrossentropy", "from_logits": True}, {"dataset": BINARY, "task": "binary"}), Options(), {("KS403", E, "/layers/0/activation")}, ("already goes through sigmoid, but the loss has from_logits: true and will apply sigmoid again",)),
    ("tasks: KS403 double softmax", doc([dense(10, "softmax")], [784], {"type": "SparseCategoricalCrossentropy", "from_logits": True}, MNIST), Options(), {("KS403", E, "/layers/0/activation")}, ("will apply softmax again", "remove the output activation")),
    ("tasks: logits with from_logits", doc([dense(10)], [784], {"type": "SparseCategoricalCrossentropy", "from_logits": True}, MNIST), Options(), set(), ()),
    ("tasks: KS402 message, classes given", doc([dense(8, "softmax")], [784], "sparse_categorical_crossentropy", MNIST), Options(), {("KS402", E, "/layers/0/units")}, ("the last layer has 8 units but the data has 10 classes; sparse_categorical_crossentropy needs one output per class", "set units: 10")),
    ("tasks: KS402 message, classes from labels", doc([dense(2, "softmax")], [4], "sparse_categorical_crossentropy", {"dataset": "@ids3"}), Options(), {("KS402", E, "/layers/0/units")}, ("3 classes (from its labels)",)),
    ("tasks: KS402 at a Softmax layer", doc([dense(8), {"type": "Softmax"}], [784], "sparse_categorical_crossentropy", MNIST), Options(), {("KS402", E, "/layers/1")}, ()),
    ("tasks: binary CE on matching one-hot columns", doc([dense(3, "sigmoid")], [4], "binary_crossentropy", {"dataset": "@one_hot3", "labels": "one_hot"}), Options(), set(), ()),
    ("tasks: binary CE, 1 unit on one 0/1 label", doc([dense(1, "sigmoid")], [16], "binary_crossentropy", {"dataset": BINARY, "num_classes": 2}), Options(), set(), ()),
    ("tasks: sigmoid on 1 unit is not KS405", doc([dense(1, "sigmoid")], [4], "sparse_categorical_crossentropy", {"dataset": "@ids3"}), Options(), {("KS402", E, "/layers/0/units")}, ()),
    ("tasks: KS405 binary CE on 3 ids", doc([dense(3, "sigmoid")], [4], "binary_crossentropy", {"dataset": "@ids3"}), Options(), {("KS405", E, "/compile/loss")}, ("the data has 3 classes given as integer ids",)),
    ("tasks: KS408 regression loss object on classes", doc([dense(1)], [784], {"type": "MeanSquaredError"}, MNIST), Options(), {("KS408", W, "/compile/loss")}, ("MeanSquaredError on integer class ids",)),
    ("tasks: KS401 categorical loss object", doc([dense(10, "softmax")], [784], {"type": "CategoricalCrossentropy"}, MNIST), Options(), {("KS401", E, "/compile/loss")}, ("CategoricalCrossentropy expects one-hot labels, but data.labels is sparse",)),
    ("tasks: KS401 sparse loss, one-hot labels", doc([dense(10, "softmax")], [784], "sparse_categorical_crossentropy", {**MNIST, "labels": "one_hot"}), Options(), {("KS401", E, "/compile/loss")}, ("expects integer class ids, but data.labels is one_hot", "use categorical_crossentropy for one-hot labels")),
    ("tasks: KS407 metric object on classes", doc([dense(10, "softmax")], [784], "sparse_categorical_crossentropy", MNIST, [{"type": "BinaryAccuracy"}]), Options(), {("KS407", W, "/compile/metrics/0")}, ("BinaryAccuracy thresholds each output at 0.5 as a yes/no; on 10 classes",)),
    ("tasks: binary accuracy on 2 classes", doc([dense(2, "softmax")], [16], "sparse_categorical_crossentropy", {"dataset": BINARY}, ["binary_accuracy"]), Options(), set(), ()),
    ("tasks: categorical metric, categorical loss", doc([dense(10, "softmax")], [784], "categorical_crossentropy", {**MNIST, "labels": "one_hot"}, ["categorical_accuracy"]), Options(), set(), ()),
    ("tasks: sparse metric, sparse labels", doc([dense(10, "softmax")], [784], "sparse_categorical_crossentropy", MNIST, ["accuracy", "sparse_top_k_categorical_accuracy"]), Options(), set(), ()),
    ("tasks: KS407 binary, sparse metric on one output", doc([dense(1, "sigmoid")], [16], "binary_crossentropy", {"dataset": BINARY, "task": "binary"}, ["sparse_categorical_accuracy"]), Options(), {("KS407", W, "/compile/metrics/0")}, ("expects class ids over several outputs, but the target is one 0/1 per sample",)),
    ("tasks: KS407 binary, categorical metric", doc([dense(1, "sigmoid")], [16], "binary_crossentropy", {"dataset": BINARY, "task": "binary"}, ["accuracy", "categorical_accuracy"]), Options(), {("KS407", W, "/compile/metrics/1")}, ("expects one-hot rows",)),
    ("tasks: binary, sparse metric with a sparse loss", doc([dense(2, "softmax")], [16], "sparse_categorical_crossentropy", {"dataset": BINARY, "task": "binary"}, ["sparse_categorical_accuracy"]), Options(), set(), ()),
    ("tasks: binary KS402 message", doc([dense(3, "sigmoid")], [16], "binary_crossentropy", {"dataset": BINARY, "task": "binary"}), Options(), {("KS402", E, "/layers/0/units")}, ("the last layer has 3 units, but a binary target is one 0/1 per sample", "set units: 1")),
    ("tasks: binary sparse CE needs 2", doc([dense(1, "softmax")], [16], "sparse_categorical_crossentropy", {"dataset": BINARY, "task": "binary"}), Options(), {("KS402", E, "/layers/0/units"), ("KS404", E, "/layers/0/activation")}, ("needs one per class: 2",)),
    ("tasks: multi-label KS410 hint", doc([dense(4, "sigmoid")], [12], "sparse_categorical_crossentropy", {"dataset": MULTI, "task": "multi_label"}), Options(), {("KS410", E, "/compile/loss")}, ("the task is multi_label: the target is several independent 0/1 labels", "use binary_crossentropy with a sigmoid output per label")),
    ("tasks: multi-label, no label count known", doc([dense(3, "sigmoid")], [784], "binary_crossentropy", {**MNIST, "task": "multi_label"}), Options(), {("KS311", E, "/data/task")}, ()),
    ("tasks: multi-label, mse on linear outputs", doc([dense(4)], [12], "mse", {"dataset": MULTI, "task": "multi_label"}), Options(), set(), ()),
    ("tasks: multi-label KS407 sparse metric", doc([dense(4, "sigmoid")], [12], "binary_crossentropy", {"dataset": MULTI, "task": "multi_label"}, ["sparse_categorical_accuracy"]), Options(), {("KS407", W, "/compile/metrics/0")}, ("scores the single highest output",)),
    ("tasks: multi-label KS405 message", doc([dense(4, "softmax")], [12], "binary_crossentropy", {"dataset": MULTI, "task": "multi_label"}), Options(), {("KS405", E, "/layers/0/activation")}, ("softmax makes the labels compete",)),
    ("tasks: regression KS410 hint", doc([dense(1)], [8], "categorical_crossentropy", {"dataset": REGRESSION, "task": "regression"}), Options(), {("KS410", E, "/compile/loss")}, ("the target is numbers", "use mean_squared_error (or mean_absolute_error, huber) with a linear output")),
    ("tasks: regression binary CE range", doc([dense(1, "sigmoid")], [8], "binary_crossentropy", {"dataset": REGRESSION, "task": "regression"}), Options(), {("KS410", E, "/compile/loss")}, ("binary_crossentropy needs targets in [0, 1], but the targets range from",)),
    ("tasks: regression KS409 message and hint", doc([dense(2)], [8], "mse", {"dataset": REGRESSION, "task": "regression"}), Options(), {("KS409", E, "/layers/0/units")}, ("the model outputs [2] per sample, but each target is [1]", "end the model with 1 linear unit(s)")),
    ("tasks: regression KS409 rank", doc([dense(2)], [4], "mse", {"dataset": "@targets2", "task": "regression"}), Options(), {("KS409", E, "/layers/0")}, ("each target is [4, 2]", "reshape the output to the target's shape")),
    ("tasks: regression target shape matched", doc([{"type": "Reshape", "target_shape": [4, 1]}, dense(2)], [4], "mse", {"dataset": "@targets2", "task": "regression"}), Options(), set(), ()),
    ("tasks: regression KS411 message", doc([dense(4, "softmax")], [12], "mse", {"dataset": MULTI, "task": "regression"}), Options(), {("KS411", W, "/layers/0/activation")}, ("softmax makes the 4 outputs sum to 1, but regression targets are independent values",)),
    ("tasks: regression KS407 metric object", doc([dense(1)], [8], "mse", {"dataset": REGRESSION, "task": "regression"}, ["mae", {"type": "Accuracy"}]), Options(), {("KS407", W, "/compile/metrics/1")}, ("Accuracy counts predictions that equal the target exactly; on continuous targets", "use mean_absolute_error")),
    ("tasks: reconstruction KS410 hint", doc([dense(784, "sigmoid")], [784], "sparse_categorical_crossentropy", {**MNIST, "task": "reconstruction"}), Options(), {("KS410", E, "/compile/loss")}, ("the target is the input itself", "binary_crossentropy per pixel with a sigmoid output")),
    ("tasks: reconstruction KS411 message", doc([dense(784, "softmax")], [784], "mse", {**MNIST, "task": "reconstruction"}), Options(), {("KS411", W, "/layers/0/activation")}, ("but pixels are independent values",)),
    ("tasks: reconstruction KS407 message", doc([dense(784, "sigmoid")], [784], "mse", {**MNIST, "task": "reconstruction"}, ["accuracy"]), Options(), {("KS407", W, "/compile/metrics/0")}, ("on pixel values it",)),
    ("tasks: KS401 categorical CE on binary", doc([dense(2, "softmax")], [16], "categorical_crossentropy", {"dataset": BINARY, "task": "binary"}), Options(), {("KS401", E, "/compile/loss")}, ()),
    ("tasks: KS408 MSE on binary", doc([dense(1, "sigmoid")], [16], "mse", {"dataset": BINARY, "task": "binary"}), Options(), {("KS408", W, "/compile/loss")}, ()),
    ("tasks: KS405 sigmoid with sparse CE on binary", doc([dense(2, "sigmoid")], [16], "sparse_categorical_crossentropy", {"dataset": BINARY, "task": "binary"}), Options(), {("KS405", E, "/layers/0/activation")}, ()),
    ("tasks: KS402 binary CE, 2 units, one label", doc([dense(2, "sigmoid")], [16], "binary_crossentropy", {"dataset": BINARY, "num_classes": 2}), Options(), {("KS402", E, "/layers/0/units")}, ()),
    ("tasks: KS402 binary CE on one-hot columns", doc([dense(2, "sigmoid")], [4], "binary_crossentropy", {"dataset": "@one_hot3", "labels": "one_hot"}), Options(), {("KS402", E, "/layers/0/units")}, ()),
    ("tasks: KS405 sigmoid over classes", doc([dense(10, "sigmoid")], [784], "sparse_categorical_crossentropy", MNIST), Options(), {("KS405", E, "/layers/0/activation")}, ()),
    ("tasks: KS405 sigmoid over one-hot classes", doc([dense(3, "sigmoid")], [4], "categorical_crossentropy", {"dataset": "@one_hot3", "labels": "one_hot"}), Options(), {("KS405", E, "/layers/0/activation")}, ()),
    ("tasks: KS405 sigmoid over two classes", doc([dense(2, "sigmoid")], [16], "sparse_categorical_crossentropy", {"dataset": BINARY}), Options(), {("KS405", E, "/layers/0/activation")}, ()),
    ("tasks: KS402 categorical units", doc([dense(8, "softmax")], [784], "categorical_crossentropy", {**MNIST, "labels": "one_hot"}), Options(), {("KS402", E, "/layers/0/units")}, ()),
    ("tasks: KS402 the spec's classes first", doc([dense(3, "softmax")], [4], "sparse_categorical_crossentropy", {"dataset": "@ids3", "num_classes": 5}), Options(), {("KS402", E, "/layers/0/units")}, ("the data has 5 classes;",)),
    ("tasks: KS407 binary accuracy on 3 classes", doc([dense(3, "softmax")], [4], "sparse_categorical_crossentropy", {"dataset": "@ids3"}, ["binary_accuracy"]), Options(), {("KS407", W, "/compile/metrics/0")}, ()),
    ("tasks: KS407 categorical metric, sparse labels", doc([dense(10, "softmax")], [784], "sparse_categorical_crossentropy", MNIST, ["categorical_accuracy"]), Options(), {("KS407", W, "/compile/metrics/0")}, ()),
    # Keras 3.15 fails in fit: "Dimensions must be equal, but are 10 and 32" (one-hot rows against one id per sample).
    ("tasks: KS407 sparse metric, one-hot labels", doc([dense(10, "softmax")], [784], "categorical_crossentropy", {**MNIST, "labels": "one_hot"}, ["sparse_categorical_accuracy"]), Options(), {("KS407", E, "/compile/metrics/0")}, ()),
    ("tasks: KS407 sparse top-k metric, one-hot labels", doc([dense(10, "softmax")], [784], "categorical_crossentropy", {**MNIST, "labels": "one_hot"}, ["sparse_top_k_categorical_accuracy"]), Options(), {("KS407", E, "/compile/metrics/0")}, ("use accuracy or top_k_categorical_accuracy",)),
    # Keras 3.15: top_k_categorical_accuracy on class ids fails in fit ("Shape must be rank 1 but is rank 0");
    # categorical_accuracy on them trains and scores nonsense (0.0): it stays a warning.
    ("tasks: KS407 top-k metric, sparse labels", doc([dense(10, "softmax")], [784], "sparse_categorical_crossentropy", MNIST, [{"type": "TopKCategoricalAccuracy"}]), Options(), {("KS407", E, "/compile/metrics/0")}, ("Keras fails in fit on their rank", "use sparse_top_k_categorical_accuracy")),
    # Keras 3.15 trains it silently (0.547 against 2.74 for categorical_crossentropy; `accuracy` is CategoricalAccuracy).
    ("tasks: KS405 binary CE on a one-hot softmax", doc([dense(10, "softmax")], [784], "binary_crossentropy", {**MNIST, "labels": "one_hot"}, ["accuracy"]), Options(), {("KS405", W, "/compile/loss")}, ("the mean of 10 binary losses", "use categorical_crossentropy")),
    ("tasks: binary CE on one-hot sigmoids is one-vs-rest", doc([dense(10, "sigmoid")], [784], "binary_crossentropy", {**MNIST, "labels": "one_hot"}), Options(), set(), ()),
    ("tasks: binary CE on a softmax over 2 one-hot columns", doc([dense(2, "softmax")], [16], "binary_crossentropy", {"dataset": BINARY, "labels": "one_hot", "num_classes": 2}), Options(), set(), ()),
    ("tasks: classification without readable data", doc([dense(3, "softmax")], [4], "sparse_categorical_crossentropy", {"dataset": "no/such/file.npz"}), Options(), {("KS310", W, "/data/dataset")}, ()),
    ("tasks: regression binary CE, targets above 1", doc([dense(1, "sigmoid")], [4], "binary_crossentropy", {"dataset": "@upto15", "task": "regression"}), Options(), {("KS410", E, "/compile/loss")}, ("the targets range from 0 to 1.5",)),
    ("tasks: regression KS411 over 2 units", doc([dense(2, "softmax")], [4], "mse", {"dataset": "@one_hot2", "task": "regression"}), Options(), {("KS411", W, "/layers/0/activation")}, ()),
    ("tasks: regression, an unknown output size fits", doc([dense(1)], [None, 8], "mse", {"dataset": "@steps", "task": "regression"}), Options(), set(), ()),
    ("tasks: KS409 reconstruction shape", doc([dense(32, "relu"), dense(10, "sigmoid")], [784], "mse", {**MNIST, "task": "reconstruction"}), Options(), {("KS409", E, "/layers/1/units")}, ()),
    ("tasks: reconstruction, mse on linear outputs", doc([dense(784)], [784], "mse", {**MNIST, "task": "reconstruction"}), Options(), set(), ()),
]


def findings(diagnostics: list[Diagnostic]) -> Found:
    return {(d.code, d.severity.value, d.path) for d in diagnostics}


@pytest.mark.parametrize(("name", "spec", "options", "expected", "fragments"), ROWS, ids=[r[0] for r in ROWS])
def test_semantic_branch(
    files: dict[str, str], name: str, spec: dict[str, Any], options: Options, expected: Found, fragments: tuple[str, ...]
) -> None:
    found = kerasspec.check(with_files(spec, files), options)
    assert findings(found) == expected, found
    text = "\n".join(f"{d.message}\n{d.hint}" for d in found)
    for fragment in fragments:
        assert fragment in text, (fragment, text)


#: Exact words of one finding per message site (None: not compared). Data paths are written
#: as their names in `files` (`@grid`) or relative to the repository (examples/data/...).
GOLDEN: dict[str, list[tuple[str, str | None, str | None]]] = {
    "KS504 a layer's own problem": [
        ('KS504', 'LSTM with use_cudnn: true builds, but fit and predict fail without a GPU ("cuDNN is not supported"): it never falls back to the CPU implementation',
         'leave use_cudnn at auto: Keras uses cuDNN where a GPU has it'),
    ],
    "KS504 an object's problem": [
        ('KS504', "Dense `kernel_constraint` 'MaxNorm' has axis 5, outside a weight of rank 2, for the kernel of shape [8, 2]: Keras builds it, and fails in the first training step",
         'use another one, or none'),
    ],
    'KS504 on the shape the layer receives': [
        ('KS504', 'AdaptiveAveragePooling1D to 2 from 1 needs windows of 2 steps, more than the 1 the input has: TensorFlow fails on the first batch (JAX and PyTorch run it)',
         'use an output_size whose windows fit (a Global pooling layer for one value per channel), or train with --backend jax'),
    ],
    'KS412 val_ without validation data': [
        ('KS412', "EarlyStopping monitors 'val_loss', which fit does not log (it logs loss); Keras only warns at each epoch, and the callback never acts",
         'set `fit.validation_split` (e.g. 0.1): without validation data nothing `val_` is logged'),
    ],
    'KS412 did you mean': [
        ('KS412', "EarlyStopping monitors 'los', which fit does not log (it logs loss); with mode auto Keras cannot tell whether it should be minimized or maximized, and fit fails at the end of the first epoch",
         "did you mean 'loss'?"),
    ],
    'KS412 what fit logs': [
        ('KS412', "EarlyStopping monitors 'zzzzzz', which fit does not log (it logs loss, mae); with mode auto Keras cannot tell whether it should be minimized or maximized, and fit fails at the end of the first epoch",
         'fit logs: loss, mae'),
    ],
    'KS412 the second callback': [
        ('KS412', "EarlyStopping monitors 'val_mae', which fit does not log (it logs loss); with mode auto Keras cannot tell whether it should be minimized or maximized, and fit fails at the end of the first epoch",
         'fit logs: loss'),
    ],
    'KS211 ReduceLROnPlateau with a schedule': [
        ('KS211', None,
         'use a fixed learning_rate with ReduceLROnPlateau, or the schedule alone'),
    ],
    'KS211 SwapEMAWeights each epoch without EMA': [
        ('KS211', "SwapEMAWeights swaps in the optimizer's moving average of the weights, but the optimizer keeps none (use_ema is false): Keras fails at the first swap",
         'set `use_ema: true` on compile.optimizer, e.g. `{type: Adam, use_ema: true}`'),
    ],
    'KS501 default budget: a warning': [
        ('KS501', "the model has 30,000,300 parameters (114.4 MB of float32 weights), above the budget of 25,000,000; the largest layer is 'dense' (Dense) with 30,000,300",
         "check that layer's size (a typo, units: 1000000?), or add pooling before Flatten; set --max-params to the size you intend, and bigger models become errors"),
    ],
    'KS501 a small set budget': [
        ('KS501', "the model has 24 parameters (96 bytes of float32 weights), above the budget of 10; the largest layer is 'dense' (Dense) with 18",
         "check that layer's size (a typo, units: 1000000?), or add pooling before Flatten; set --max-params to the size you intend, and bigger models become errors"),
    ],
    'KS501 the largest layer, not the first': [
        ('KS501', "the model has 3,018 parameters (11.8 KB of float32 weights), above the budget of 1,000; the largest layer is 'dense_1' (Dense) with 3,000",
         "check that layer's size (a typo, units: 1000000?), or add pooling before Flatten; set --max-params to the size you intend, and bigger models become errors"),
    ],
    'KS501 inside a Repeat: the layer as written': [
        ('KS501', "the model has 93,000 parameters (363.3 KB of float32 weights), above the budget of 100; the largest layer is 'dense_1' (Dense) with 90,300",
         "check that layer's size (a typo, units: 1000000?), or add pooling before Flatten; set --max-params to the size you intend, and bigger models become errors"),
    ],
    'KS501 inside a block': [
        ('KS501', "the model has 918 parameters (3.6 KB of float32 weights), above the budget of 100; the largest layer is 'sequential' (Sequential) with 918",
         "check that layer's size (a typo, units: 1000000?), or add pooling before Flatten; set --max-params to the size you intend, and bigger models become errors"),
    ],
    'KS502 default budget: a warning': [
        ('KS502', 'training needs about 5.5 GB (weights, gradients, optimizer state and activations for a batch of 32), above the budget of 4.0 GB',
         'lower fit.batch_size or the layer sizes; set --max-memory to what the machine has, and bigger models become errors'),
    ],
    'KS310 missing file': [
        ('KS310', 'the data cannot be checked: no/such/file.npz: cannot be read (No such file or directory)',
         "`train` needs the file: check the path (relative to the current folder or the spec's)"),
    ],
    'KS305 images: an image shape': [
        ('KS305', "input shape [32, 32, 3] does not fit mnist's 28x28 grayscale images",
         'use [28, 28, 1] for convolutions, [784] for Dense layers on flat pixels, or [28, 28] with a Flatten first'),
    ],
    'KS305 images: channels first needs the layer': [
        ('KS305', "input shape [1, 28, 28] does not fit mnist's 28x28 grayscale images",
         'use [28, 28, 1] for convolutions, [784] for Dense layers on flat pixels, or [28, 28] with a Flatten first'),
    ],
    "KS305 at a first layer's input_dim": [
        ('KS305', "input shape [30] does not fit mnist's 28x28 grayscale images",
         'use [28, 28, 1] for convolutions, [784] for Dense layers on flat pixels, or [28, 28] with a Flatten first'),
    ],
    'KS305 npz: hint for a channel axis': [
        ('KS305', 'input shape [6, 6, 3] does not fit the data: each sample of @grid has shape [6, 6] (36 values)',
         'the data has one value per position, not 3 channels: use `input_shape: [6, 6, 1]`'),
    ],
    'KS305 npz: hint for flat input': [
        ('KS305', 'input shape [10] does not fit the data: each sample of @grid has shape [6, 6] (36 values)',
         'use `input_shape: [6, 6]` and a Flatten layer first'),
    ],
    'KS305 npz: other shapes': [
        ('KS305', 'input shape [5, 5] does not fit the data: each sample of @grid has shape [6, 6] (36 values)',
         'use `input_shape: [6, 6]`, or a Reshape to the shape the layers expect'),
    ],
    'KS305 npz: one axis fewer, other sizes': [
        ('KS305', 'input shape [5, 5, 3] does not fit the data: each sample of @grid has shape [6, 6] (36 values)',
         'use `input_shape: [6, 6]`, or a Reshape to the shape the layers expect'),
    ],
    'KS305 npz: flat data, flat input': [
        ('KS305', 'input shape [10] does not fit the data: each sample of examples/data/regression8.npz has shape [8] (8 values)',
         'use `input_shape: [8]`, or a Reshape to the shape the layers expect'),
    ],
    'KS305 npz: an unknown size is not adapted': [
        ('KS305', 'input shape [null, 4] does not fit the data: each sample of @grid has shape [6, 6] (36 values)',
         'use `input_shape: [6, 6]`, or a Reshape to the shape the layers expect'),
    ],
    'KS311 npz: x_test samples differ': [
        ('KS311', 'x_train samples have shape [4] but x_test samples [5]; they must match',
         'save both splits with the same sample shape'),
    ],
    'KS311 non-numeric inputs': [
        ('KS311', "x_test holds non-numeric values (dtype kind 'U'); inputs and targets must be numbers",
         'save numbers: class ids as integers, text as token ids'),
        ('KS311', "x_train holds non-numeric values (dtype kind 'U'); inputs and targets must be numbers",
         'save numbers: class ids as integers, text as token ids'),
    ],
    'KS311 non-numeric targets': [
        ('KS311', "y_test holds non-numeric values (dtype kind 'U'); inputs and targets must be numbers",
         'save numbers: class ids as integers, text as token ids'),
        ('KS311', "y_train holds non-numeric values (dtype kind 'U'); inputs and targets must be numbers",
         'save numbers: class ids as integers, text as token ids'),
    ],
    'KS311 negative class ids': [
        ('KS311', 'classification needs class ids 0..K-1 in y_train, but its values range from -1 to 2',
         'for numbers to predict use `task: regression`'),
    ],
    'KS311 binary: two columns': [
        ('KS311', 'a binary target is one 0/1 per sample, but y_train has rows of 2 values',
         'several labels per sample: use `task: multi_label`; one class of several: `task: classification`'),
    ],
    'KS311 multi-label counts': [
        ('KS311', 'a multi-label target is a row of 0/1 per sample, but y_train has shape [6, 3] with values other than 0 and 1',
         'save y_train as a multi-hot array of shape (samples, labels)'),
    ],
    "KS205 positive_class beyond the file's classes": [
        ('KS205', 'positive_class 3 is not a class of @ids3, which has classes 0..2',
         'use a class between 0 and 2'),
    ],
    'KS205 positive_class on MNIST': [
        ('KS205', 'positive_class 10 is not a class of mnist, which has classes 0..9',
         'use a class between 0 and 9'),
    ],
    'KS405 binary on MNIST without positive_class': [
        ('KS405', "task binary on mnist's 10 classes needs the class that counts as 1",
         'add `positive_class: 7` (digit 7 against the rest), or use task: classification'),
    ],
    'no data: data-dependent findings warn': [
        ('KS402', 'the last layer has 8 units but the data has 10 classes; sparse_categorical_crossentropy needs one output per class (the spec has no `data`: `train` uses MNIST classification)',
         'set units: 10'),
    ],
    'no data: KS406 warns': [
        ('KS406', "sparse_categorical_crossentropy receives the model's output of shape (None, 28, 28, 10), rank 4; a classifier's output is (batch, classes) (the spec has no `data`: `train` uses MNIST classification)",
         'add a Flatten (or GlobalAveragePooling2D) before the last Dense layer; for a model that is not a classifier, add a `data` section with its task (`task: reconstruction` for an autoencoder)'),
    ],
    'no data: KS403 stays an error': [
        ('KS403', 'the output activation is linear, so the model outputs logits, but sparse_categorical_crossentropy expects probabilities (from_logits is false)',
         'add activation: softmax to the last layer, or use `loss: {type: SparseCategoricalCrossentropy, from_logits: true}`'),
    ],
    'tasks: KS406 on multi-label goes on': [
        ('KS406', "binary_crossentropy receives the model's output of shape (None, 4, 3), rank 3; a classifier's output is (batch, classes)",
         'add a Flatten (or GlobalAveragePooling2D) before the last Dense layer'),
    ],
    'tasks: KS403 hint, binary': [
        ('KS403', 'the output activation is linear, so the model outputs logits, but binary_crossentropy expects probabilities (from_logits is false)',
         'add activation: sigmoid to the last layer, or use `loss: {type: BinaryCrossentropy, from_logits: true}`'),
    ],
    'tasks: KS403 double sigmoid': [
        ('KS403', 'the output already goes through sigmoid, but the loss has from_logits: true and will apply sigmoid again',
         'remove the output activation (logits), or set from_logits: false'),
    ],
    'tasks: KS402 message, classes from labels': [
        ('KS402', 'the last layer has 2 units but the data has 3 classes (from its labels); sparse_categorical_crossentropy needs one output per class',
         'set units: 3'),
    ],
    'tasks: KS405 binary CE on 3 ids': [
        ('KS405', 'binary_crossentropy treats each output as an independent yes/no, but the data has 3 classes given as integer ids',
         'use sparse_categorical_crossentropy with a softmax output of one unit per class'),
    ],
    'tasks: KS408 regression loss object on classes': [
        ('KS408', "MeanSquaredError on integer class ids treats the classes as numbers (7 is 'closer' to 8 than to 1)",
         'use sparse_categorical_crossentropy with a softmax output of one unit per class'),
    ],
    'tasks: KS401 categorical loss object': [
        ('KS401', 'CategoricalCrossentropy expects one-hot labels, but data.labels is sparse (integer class ids)',
         'use sparse_categorical_crossentropy for integer labels, or set data.labels: one_hot'),
    ],
    'tasks: KS401 sparse loss, one-hot labels': [
        ('KS401', 'sparse_categorical_crossentropy expects integer class ids, but data.labels is one_hot',
         'use categorical_crossentropy for one-hot labels, or set data.labels: sparse'),
    ],
    'tasks: KS407 metric object on classes': [
        ('KS407', 'BinaryAccuracy thresholds each output at 0.5 as a yes/no; on 10 classes it does not measure classification accuracy',
         'use accuracy (Keras picks the right variant for the loss)'),
    ],
    'tasks: KS407 binary, sparse metric on one output': [
        ('KS407', 'sparse_categorical_accuracy expects class ids over several outputs, but the target is one 0/1 per sample',
         'use accuracy or binary_accuracy'),
    ],
    'tasks: KS407 binary, categorical metric': [
        ('KS407', 'categorical_accuracy expects one-hot rows, but the target is one 0/1 per sample',
         'use accuracy or binary_accuracy'),
    ],
    'tasks: binary KS402 message': [
        ('KS402', 'the last layer has 3 units, but a binary target is one 0/1 per sample and binary_crossentropy compares each output with it',
         'set units: 1 (with activation: sigmoid)'),
    ],
    'tasks: binary sparse CE needs 2': [
        ('KS402', None,
         'set units: 2, or use 1 sigmoid unit with binary_crossentropy'),
        ('KS404', 'softmax over a single unit always outputs 1.0, so the model cannot learn',
         'for a binary problem use activation: sigmoid with binary_crossentropy; for classes, set units to the number of classes'),
    ],
    'tasks: multi-label KS410 hint': [
        ('KS410', 'sparse_categorical_crossentropy treats the output as one probability distribution over classes, but the task is multi_label: the target is several independent 0/1 labels',
         'use binary_crossentropy with a sigmoid output per label'),
    ],
    'tasks: multi-label KS407 sparse metric': [
        ('KS407', 'sparse_categorical_accuracy scores the single highest output, but a multi-label target can have several 1s',
         'use binary_accuracy, or AUC with multi_label: true'),
    ],
    'tasks: multi-label KS405 message': [
        ('KS405', 'softmax makes the labels compete (they sum to 1), but a multi-label target can have several 1s',
         'use activation: sigmoid, one independent probability per label'),
    ],
    'tasks: regression KS410 hint': [
        ('KS410', 'categorical_crossentropy treats the output as one probability distribution over classes, but the task is regression: the target is numbers',
         'use mean_squared_error (or mean_absolute_error, huber) with a linear output'),
    ],
    'tasks: regression binary CE range': [
        ('KS410', 'binary_crossentropy needs targets in [0, 1], but the targets range from -13.5479 to 9.29774',
         'use mean_squared_error (or mean_absolute_error, huber) with a linear output'),
    ],
    'tasks: regression KS409 message and hint': [
        ('KS409', 'the model outputs [2] per sample, but each target is [1]',
         'end the model with 1 linear unit(s)'),
    ],
    'tasks: regression KS409 rank': [
        ('KS409', 'the model outputs [2] per sample, but each target is [4, 2]',
         "reshape the output to the target's shape"),
    ],
    'tasks: regression KS411 message': [
        ('KS411', 'softmax makes the 4 outputs sum to 1, but regression targets are independent values',
         'use a linear output (no activation) for numbers, or sigmoid for values in [0, 1]'),
    ],
    'tasks: regression KS407 metric object': [
        ('KS407', 'Accuracy counts predictions that equal the target exactly; on continuous targets it measures nothing useful',
         'use mean_absolute_error or root_mean_squared_error'),
    ],
    'tasks: reconstruction KS410 hint': [
        ('KS410', 'sparse_categorical_crossentropy treats the output as one probability distribution over classes, but the task is reconstruction: the target is the input itself',
         'use mean_squared_error, or binary_crossentropy per pixel with a sigmoid output'),
    ],
    'tasks: reconstruction KS411 message': [
        ('KS411', 'softmax makes the 784 outputs sum to 1, but pixels are independent values',
         'use a linear output (no activation) for numbers, or sigmoid for values in [0, 1]'),
    ],
    'tasks: reconstruction KS407 message': [
        ('KS407', 'accuracy counts predictions that equal the target exactly; on pixel values it measures nothing useful',
         'use mean_absolute_error or root_mean_squared_error'),
    ],
    'KS311 fractions as class ids for a positive_class': [
        ('KS311', "positive_class picks a class id, but y_train's values are not whole numbers",
         'use class ids 0..K-1 in y_train'),
    ],
    'KS311 binary targets beyond 0/1': [
        ('KS311', 'a binary target is 0 or 1, but y_train has values from 0 to 2',
         'name the class that counts as 1 with `positive_class: N` (one class against the rest)'),
    ],
    'KS311 multi-hot rows as classes': [
        ('KS311', 'y_train has rows of 3 0/1 values with several 1s (or none), not one-hot class rows',
         'several labels per sample: use `task: multi_label`'),
    ],
    'KS311 NaN targets': [
        ('KS311', 'y_train holds NaN or infinite values, which make every loss NaN',
         'drop or fill those samples'),
    ],
    'KS311 fractions as class ids': [
        ('KS311', 'classification needs class ids 0..K-1 in y_train, but its values range from 0 to 2, not all whole numbers',
         'for numbers to predict use `task: regression`'),
    ],
    'tasks: KS401 categorical CE on binary': [
        ('KS401', 'categorical_crossentropy expects one-hot rows, but a binary target is one 0/1 per sample',
         'use binary_crossentropy with 1 sigmoid unit'),
    ],
    'tasks: KS408 MSE on binary': [
        ('KS408', 'mse on 0/1 targets fits probabilities as numbers; it trains, but slower and less calibrated than a crossentropy',
         'use binary_crossentropy with 1 sigmoid unit'),
    ],
    'tasks: KS405 sigmoid with sparse CE on binary': [
        ('KS405', 'sigmoid outputs do not sum to 1 across the 2 classes, but sparse_categorical_crossentropy treats them as one probability distribution',
         'use activation: softmax, or 1 sigmoid unit with binary_crossentropy'),
    ],
    'tasks: KS402 binary CE, 2 units, one label': [
        ('KS402', 'binary_crossentropy on one 0/1 label per sample needs one output unit, the last layer has 2',
         'set units: 1 (with activation: sigmoid), or use data.task: binary'),
    ],
    'tasks: KS402 binary CE on one-hot columns': [
        ('KS402', 'binary_crossentropy compares each output with one column of the one-hot labels: 3 columns need 3 units, the last layer has 2',
         'set units: 3'),
    ],
    'tasks: KS405 sigmoid over classes': [
        ('KS405', 'sigmoid outputs do not sum to 1 across the 10 classes, but sparse_categorical_crossentropy treats them as one probability distribution',
         'use activation: softmax for one-of-N classes'),
    ],
    'tasks: KS407 categorical metric, sparse labels': [
        ('KS407', 'categorical_accuracy expects one-hot labels, but the labels are integer class ids',
         'use accuracy or sparse_categorical_accuracy'),
    ],
    'tasks: KS407 sparse metric, one-hot labels': [
        ('KS407', 'sparse_categorical_accuracy expects integer class ids, but the labels are one-hot: Keras fails in fit on their shape',
         'use accuracy or categorical_accuracy'),
    ],
    'tasks: KS409 reconstruction shape': [
        ('KS409', 'the model outputs [10] per sample, but the input (the target of a reconstruction) is [784]',
         "end with layers that give back the input's shape (a Dense of the input's size and a Reshape, or Conv2DTranspose/UpSampling2D)"),
    ],
    'KS311 multi-label rank': [
        ('KS311', 'a multi-label target is a row of 0/1 per sample, but y_train has shape [400]',
         'save y_train as a multi-hot array of shape (samples, labels)'),
    ],
}


@pytest.mark.parametrize("name", list(GOLDEN), ids=list(GOLDEN))
def test_words(files: dict[str, str], name: str) -> None:
    (spec, options) = next((r[1], r[2]) for r in ROWS if r[0] == name)
    root = str(DATA) + "/"
    shown = []
    for d in kerasspec.check(with_files(spec, files), options):
        message, hint = d.message.replace(root, "examples/data/"), (d.hint or "").replace(root, "examples/data/") or None
        for token, path in files.items():
            message = message.replace(path, token)
        shown.append((d.code, message, hint))
    for code, message, hint in GOLDEN[name]:
        assert any(c == code and (message is None or m == message) and h == hint for c, m, h in shown), (code, message, hint, shown)


#: estimate_memory: 4 bytes x (4 x params + 2 x batch x values per sample).
MEMORY_ROWS: list[tuple[str, dict[str, Any], int | None, int]] = [
    ("Dense, Keras's batch of 32", doc([dense(2)]), None, 4 * (4 * 18 + 2 * 32 * 2)),
    ("Dense, fit's batch", doc([dense(2)], fit={"batch_size": 10}), None, 4 * (4 * 18 + 2 * 10 * 2)),
    ("Dense, a batch given", doc([dense(2)], fit={"batch_size": 10}), 3, 4 * (4 * 18 + 2 * 3 * 2)),
    ("two layers", doc([dense(4), dense(2)]), 1, 4 * (4 * (36 + 10) + 2 * (4 + 2))),
    ("an Input layer adds nothing", doc([{"type": "Input", "shape": [8]}, dense(2)], None), 1, 4 * (4 * 18 + 2 * 2)),
    ("an unknown axis counts 1", doc([dense(2)], [None, 8]), 1, 4 * (4 * 18 + 2 * 2)),
    ("separable: the depthwise output", doc([{"type": "SeparableConv2D", "filters": 1, "kernel_size": 1, "depth_multiplier": 8}], [4, 4, 1]), 1, 4 * (4 * 17 + 2 * (16 + 16 * 8))),
    ("a Repeat counts every copy", doc([{"type": "Repeat", "times": 2, "layers": [dense(8)]}]), 1, 4 * (4 * 144 + 2 * (8 + 8))),
    # A nested block counts its layers' outputs as the model's own would (the same as the
    # two layers written out, above).
    ("a nested block counts its layers", doc([{"type": "Sequential", "layers": [dense(4), dense(2)]}]), 1, 4 * (4 * (36 + 10) + 2 * (4 + 2))),
    ("a nested block with a Repeat", doc([{"type": "Sequential", "layers": [{"type": "Repeat", "times": 2, "layers": [dense(8)]}]}]), 1,
     4 * (4 * 144 + 2 * (8 + 8))),
    ("a block inside a block", doc([{"type": "Sequential", "layers": [dense(4), {"type": "Sequential", "layers": [dense(3), dense(2)]}]}]), 1,
     4 * (4 * (36 + 15 + 8) + 2 * (4 + 3 + 2))),
]


@pytest.mark.parametrize(("name", "spec", "batch", "expected"), MEMORY_ROWS, ids=[r[0] for r in MEMORY_ROWS])
def test_estimate_memory(name: str, spec: dict[str, Any], batch: int | None, expected: int) -> None:
    result = run(spec)
    assert result.spec is not None and result.shapes is not None and result.shapes.complete
    assert semantics.estimate_memory(result.spec, result.shapes, batch) == expected


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "0 bytes"), (1023, "1,023 bytes"), (1024, "1.0 KB"), (1536, "1.5 KB"), (1024**2 * 3, "3.0 MB"),
     (1024**3 * 5, "5.0 GB"), (1024**4 * 2, "2.0 TB"), (1024**5 * 3, "3,072.0 TB")],
)  # fmt: skip
def test_size_words(n: int, text: str) -> None:
    assert semantics._size(n) == text


def test_history_keys() -> None:
    def keys(**top: Any) -> list[str] | None:
        result = run(regression(REG, **top))
        assert result.spec is not None
        return semantics.history_keys(result.spec)

    assert keys() == ["loss"]
    assert keys(metrics=["mae", {"type": "MeanAbsoluteError", "name": "m"}]) == ["loss", "mae", "m"]
    assert keys(metrics=["mae"], fit={"validation_split": 0.5}) == ["loss", "mae", "val_loss", "val_mae"]
    assert keys(fit={"callbacks": [{"type": "ReduceLROnPlateau"}]}) == ["loss", "learning_rate"]
    model_only = run(doc(REG)).spec
    assert model_only is not None and semantics.history_keys(model_only) is None


def test_output_activation() -> None:
    def act(layers: list[dict[str, Any]], input_shape: list[int] | None = (8,)) -> Any:  # type: ignore[assignment]
        result = run(doc(layers, input_shape))
        assert result.spec is not None
        return semantics.output_activation(list(result.spec.layers))

    assert act([dense(2, "relu"), {"type": "Dropout", "rate": 0.5}]) == semantics.OutputActivation("relu", 0, "activation")
    assert act([dense(2)]) == semantics.OutputActivation("linear", 0, "activation")
    assert act([dense(2), {"type": "Softmax"}]) == semantics.OutputActivation("softmax", 1, None)
    assert act([{"type": "Input", "shape": [8]}, {"type": "Dropout", "rate": 0.5}], None) is None
    assert act([{"type": "Dropout", "rate": 0.5}]) is None
    assert semantics.output_activation([]) is None


def test_semantics_without_shapes() -> None:
    # Without a shape analysis (the layers did not validate) no rule can run: nothing, and no crash.
    result = run(regression(REG, fit={"callbacks": [{"type": "EarlyStopping", "monitor": "zzz"}]}))
    assert result.spec is not None
    assert [d.code for d in semantics.check_semantics(result.spec, None)] == ["KS412"]


#: Metrics whose value is a vector (Keras's result() has a shape; checked in Keras 3.15:
#: F1Score() -> (classes,), TruePositives(thresholds=[0.3, 0.5]) -> (2,), one threshold -> ()).
PER_CLASS = ("F1Score with `average: null` (Keras's default) is one score per class", "set `average: macro` (or `micro`, `weighted`)")
PER_THRESHOLD = "give the objective's metric one threshold (another metric can keep the list)"
VECTOR_ROWS: list[tuple[Any, tuple[str, str] | None]] = [
    ("f1_score", PER_CLASS),
    ({"type": "F1Score", "average": None}, PER_CLASS),
    ({"type": "F1Score", "average": "macro"}, None),
    ({"type": "FBetaScore"}, ("FBetaScore with `average: null` (Keras's default) is one score per class", PER_CLASS[1])),
    ({"type": "R2Score", "class_aggregation": None}, ("R2Score with `class_aggregation: null` is one score per output", "set `class_aggregation: uniform_average`")),
    ({"type": "R2Score"}, None),
    ("r2_score", None),
    ({"type": "TruePositives", "thresholds": [0.3, 0.5]}, ("TruePositives with 2 thresholds is one value per threshold", PER_THRESHOLD)),
    ({"type": "Precision", "thresholds": [0.2, 0.4, 0.6]}, ("Precision with 3 thresholds is one value per threshold", PER_THRESHOLD)),
    ({"type": "TruePositives", "thresholds": [0.5]}, None),
    ({"type": "TruePositives", "thresholds": 0.5}, None),
    ({"type": "Recall"}, None),
    ("accuracy", None),
    ({"type": "MeanAbsoluteError"}, None),
]


def _compiled(metrics: list[Any]) -> S.Compile:
    result = run(doc(REG, loss="mse", metrics=metrics))
    assert result.spec is not None and result.spec.compile is not None, result.diagnostics
    return result.spec.compile


@pytest.mark.parametrize(("metric", "expected"), VECTOR_ROWS, ids=[str(r[0]) for r in VECTOR_ROWS])
def test_vector_metric(metric: Any, expected: tuple[str, str] | None) -> None:
    assert semantics.vector_metric(_compiled([metric]).metrics[0]) == expected
    if isinstance(metric, str):  # a name is looked up as its default object
        assert semantics.vector_metric(metric) == expected


@pytest.mark.parametrize(
    ("objective", "expected"),
    [("f1_score", (1, *PER_CLASS)), ("val_f1_score", (1, *PER_CLASS)), ("accuracy", None), ("val_accuracy", None), ("zzz", None)],
)
def test_vector_objective(objective: str, expected: tuple[int, str, str] | None) -> None:
    assert semantics.vector_objective(_compiled(["accuracy", "f1_score"]), objective) == expected


def test_ks504_inside_a_repeat_is_reported_once() -> None:
    # The copies of a Repeat share the path of the layer as written: one finding, not one per copy.
    dense = {"type": "Dense", "units": 8, "activity_regularizer": {"type": "OrthogonalRegularizer"}}
    found = kerasspec.check({"input_shape": [8], "layers": [{"type": "Repeat", "times": 3, "layers": [dense]}, {"type": "Dense", "units": 2}]})
    assert [(d.code, d.path) for d in found if d.code == "KS504"] == [("KS504", "/layers/0/layers/0/activity_regularizer")]
