"""The compile and fit arguments Keras takes, passed on by `kerasspec train` (helper 25's fixes).

The spec asks Keras for `run_eagerly`, `jit_compile`, `steps_per_execution`, `verbose` and
`validation_freq`; `initial_epoch` is accepted and ignored with a warning (a run starts from
fresh weights; `--resume` continues one).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import kerasspec
from kerasspec.data import load_sample
from kerasspec.training import state_problem

SPEC = {
    "input_shape": [28, 28, 1],
    "layers": [{"type": "Flatten"}, {"type": "Dense", "units": 10, "activation": "softmax"}],
    "compile": {"loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"], "optimizer": {"type": "SGD", "decay": 1e-6},
                "run_eagerly": False, "jit_compile": False, "steps_per_execution": 4},
    "fit": {"epochs": 3, "batch_size": 32, "validation_split": 0.25, "validation_freq": 2, "verbose": 2, "initial_epoch": 1},
}  # fmt: skip


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ds = load_sample()
    path = tmp_path_factory.mktemp("data") / "mnist_sample.npz"
    np.savez(path, x_train=ds.x_train, y_train=ds.y_train, x_test=ds.x_test, y_test=ds.y_test)
    return path


def test_the_compile_arguments_reach_keras() -> None:
    model = kerasspec.build_model(SPEC)
    assert (model.run_eagerly, model.jit_compile, model.steps_per_execution) == (False, False, 4)
    assert type(model.optimizer).__name__ == "SGD" and "decay" not in model.optimizer.get_config()


@pytest.mark.slow
def test_train_passes_the_fit_arguments_on(sample: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    import keras

    said: list[str] = []
    out = tmp_path / "run"
    run = kerasspec.train(SPEC, data=str(sample), limit=256, seed=0, run_dir=out, log=said.append)
    shown = capfd.readouterr().out
    # verbose 2: one line per epoch, no progress bar; initial_epoch ignored, with a warning.
    assert "Epoch 1/3" in shown and "Epoch 3/3" in shown and "━" not in shown
    assert any("fit.initial_epoch 1 is ignored" in m for m in said)
    # validation_freq 2: validated at epoch 2 only; the other rows are NaN, every row an epoch.
    history = run.history
    assert len(history["loss"]) == 3 and len(history["val_loss"]) == 3
    assert [math.isnan(v) for v in history["val_loss"]] == [True, False, True]
    state = json.loads((out / "state.json").read_text())
    assert state["epochs_done"] == 3 and state_problem(state) is None
    saved = keras.models.load_model(out / "model.keras", safe_mode=True).get_compile_config()
    assert (saved["run_eagerly"], saved["jit_compile"], saved["steps_per_execution"]) == (False, False, 4)
    # --quiet (verbose=0) wins over the spec's verbose.
    kerasspec.train(SPEC, data=str(sample), limit=256, seed=0, run_dir=tmp_path / "quiet", verbose=0, log=said.append)
    assert "Epoch 1/3" not in capfd.readouterr().out


@pytest.mark.keras
def test_import_brings_the_compile_arguments_back(tmp_path: Path) -> None:
    import keras

    from kerasspec.importer import import_model

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    model.compile(loss="mse", run_eagerly=True, steps_per_execution=5, jit_compile=False)
    model.save(tmp_path / "m.keras")
    spec, problems = import_model(tmp_path / "m.keras")
    assert spec["compile"]["run_eagerly"] is True and spec["compile"]["steps_per_execution"] == 5
    assert "jit_compile" not in spec["compile"]  # Keras saves what "auto" resolved to, not what was written
    assert not [d for d in kerasspec.check(spec) if d.severity.name == "ERROR"], problems
    plain = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    plain.compile(loss="mse")
    plain.save(tmp_path / "plain.keras")
    spec, _ = import_model(tmp_path / "plain.keras")
    assert not {"run_eagerly", "steps_per_execution", "jit_compile"} & set(spec["compile"])
