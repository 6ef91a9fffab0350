"""Faults: two runs in one directory, hand-edited or foreign resume state, leftovers of killed runs.

The fast tests stop before Keras is imported: the run directory's lock and ``state.json``
are checked first. The slow ones build a small model with Keras.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kerasspec.cli import main
from kerasspec.training import (
    LOCK,
    lock_run_dir,
    model_mismatch,
    remove_stale_temp_files,
    state_problem,
)

ROOT = Path(__file__).resolve().parent.parent
CONVNET = ROOT / "examples" / "keras_io_mnist_convnet.yaml"

MLP = """\
name: tiny
input_shape: [4]
layers:
  - {type: Dense, units: 8, activation: relu}
  - {type: Dense, units: 3, activation: softmax}
compile: {optimizer: adam, loss: sparse_categorical_crossentropy, metrics: [accuracy]}
fit: {epochs: 3, batch_size: 8}
data: {dataset: data.npz}
"""


def env() -> dict[str, str]:
    return {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(ROOT)}


@pytest.fixture
def mlp(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "data.npz", x_train=rng.normal(size=(48, 4)).astype("f4"), y_train=np.arange(48) % 3,
             x_test=rng.normal(size=(12, 4)).astype("f4"), y_test=np.arange(12) % 3)  # fmt: skip
    (tmp_path / "tiny.yaml").write_text(MLP)
    return tmp_path / "tiny.yaml"


def hidden(run: Path) -> list[str]:
    return sorted(p.name for p in run.iterdir() if p.name.startswith("."))


# --------------------------------------------------------------------------- 7. one run per directory


def test_a_second_train_into_a_locked_run_dir_stops(mlp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = tmp_path / "run"
    run.mkdir()
    holder = lock_run_dir(run)  # another process's lock: flock conflicts between open files alike
    try:
        assert main(["train", str(mlp), "--run-dir", str(run), "--quiet"]) == 1
        err = capsys.readouterr().err
        assert f"{run} is in use by another `kerasspec train` (process {os.getpid()})" in err
        assert "Traceback" not in err
        assert sorted(p.name for p in run.iterdir()) == [LOCK]  # nothing of the second run was written
    finally:
        holder.close()


def test_a_killed_runs_lock_is_taken_over(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    code = f"from pathlib import Path; from kerasspec.training import lock_run_dir; l = lock_run_dir(Path({str(run)!r})); print('locked', flush=True); import time; time.sleep(120)"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env())
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        with pytest.raises(Exception, match=rf"in use by another `kerasspec train` \(process {proc.pid}\)"):
            lock_run_dir(run)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    lock = lock_run_dir(run)  # the kernel dropped the dead process's lock
    assert (run / LOCK).read_text().strip() == str(os.getpid())
    from kerasspec.training import _unlock

    _unlock(lock)
    assert not (run / LOCK).exists()  # a finished run leaves no lock file


@pytest.mark.slow
@pytest.mark.keras
def test_two_concurrent_trains_into_one_run_dir(mlp: Path, tmp_path: Path) -> None:
    """Two processes at once: exactly one trains, the other says the directory is in use; no mixed artefacts."""
    run = tmp_path / "run"
    args = [sys.executable, "-m", "kerasspec", "train", str(mlp), "--run-dir", str(run), "--epochs", "30", "--quiet"]
    procs = [subprocess.Popen(args, cwd=tmp_path, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]  # fmt: skip
    results = [(p.wait(timeout=600), p.communicate()[1]) for p in procs]
    codes = sorted(rc for rc, _ in results)
    assert codes == [0, 1], results
    loser = next(err for rc, err in results if rc == 1)
    assert "is in use by another `kerasspec train`" in loser and "Traceback" not in loser
    assert json.loads((run / "state.json").read_text())["epochs_done"] == 30
    assert hidden(run) == []
    assert main(["evaluate", str(run)]) == 0


# --------------------------------------------------------------------------- 8. resume state is checked


@pytest.mark.parametrize(
    "state,problem",
    [
        ({"epochs_done": 3, "history": {"loss": [1.0] * 8}}, "history['loss'] has 8 rows for 3 finished epochs"),
        ({"epochs_done": 2, "history": {"loss": [1.0, 0.5], "accuracy": [0.5]}}, "history['accuracy'] has 1 rows"),
        ({"epochs_done": "3", "history": {"loss": [1.0] * 3}}, "epochs_done is '3'"),
        ({"epochs_done": True, "history": {"loss": [1.0]}}, "epochs_done is True"),
        ({"epochs_done": 0, "history": {"loss": []}}, "epochs_done is 0"),
        ({"epochs_done": 1, "history": {"accuracy": [1.0]}}, "with a loss"),
        ({"epochs_done": 1, "history": {"loss": ["x"]}}, "is not a list of numbers"),
        ({"epochs_done": 1, "history": [1.0]}, "with a loss"),
        ([1, 2], "expected the fields"),
    ],
)
def test_state_problems(state: Any, problem: str) -> None:
    found = state_problem(state)
    assert found is not None and problem in found, found


def test_a_valid_state_passes() -> None:
    assert state_problem({"epochs_done": 2, "history": {"loss": [1.0, float("nan")], "val_loss": [1, 2]}}) is None


@pytest.mark.parametrize(
    "text,message",
    [
        (json.dumps({"epochs_done": 3, "history": {"loss": [1.0] * 8}}), "has 8 rows for 3 finished epochs"),
        ("{not json", "is damaged"),
        ("[" * 100_000 + "]" * 100_000, "is damaged"),
    ],
)
def test_resume_refuses_a_hand_edited_state(text: str, message: str, mlp: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    run = tmp_path / "run"
    run.mkdir()
    (run / "state.json").write_text(text)
    (run / "checkpoint.keras").write_bytes(b"never read")
    assert main(["train", str(mlp), "--run-dir", str(run), "--resume", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert message in err and "start a new run" in err and "Traceback" not in err, err


class _Model:
    def __init__(self, input_shape: tuple[Any, ...], output_shape: tuple[Any, ...], params: int) -> None:
        self.input_shape, self.output_shape, self._params = input_shape, output_shape, params

    def count_params(self) -> int:
        return self._params


def test_model_mismatch() -> None:
    import kerasspec

    shapes = kerasspec.api.run(CONVNET).shapes
    assert model_mismatch(_Model((None, 28, 28, 1), (None, 10), 34_826), shapes) is None
    assert "input shape is (784,)" in str(model_mismatch(_Model((None, 784), (None, 10), 34_826), shapes))
    assert "output shape is (2,)" in str(model_mismatch(_Model((None, 28, 28, 1), (None, 2), 34_826), shapes))
    assert "101,770 parameters, the spec 34,826" in str(model_mismatch(_Model((None, 28, 28, 1), (None, 10), 101_770), shapes))


@pytest.fixture(scope="module")
def mnist_mlp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A compiled MNIST MLP saved as .keras: the 'foreign' model (not the convnet)."""
    pytest.importorskip("keras")
    import kerasspec
    from kerasspec.build import save_model

    spec = {"input_shape": [28, 28, 1], "layers": [{"type": "Flatten"}, {"type": "Dense", "units": 10, "activation": "softmax"}],
            "compile": {"loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}}  # fmt: skip
    path = tmp_path_factory.mktemp("mlp") / "mlp.keras"
    save_model(kerasspec.build_model(spec), path)
    return path


@pytest.mark.slow
@pytest.mark.keras
def test_resume_refuses_a_foreign_checkpoint(mnist_mlp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (run / "checkpoint.keras").write_bytes(mnist_mlp.read_bytes())
    (run / "state.json").write_text(json.dumps({"epochs_done": 1, "history": {"loss": [0.5], "accuracy": [0.8]}}))
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "d.npz", x_train=rng.integers(0, 255, (32, 28, 28), dtype=np.uint8), y_train=np.arange(32) % 10,
             x_test=rng.integers(0, 255, (16, 28, 28), dtype=np.uint8), y_test=np.arange(16) % 10)  # fmt: skip
    args = ["train", str(CONVNET), "--data", str(tmp_path / "d.npz"), "--run-dir", str(run), "--resume", "--epochs", "2"]
    assert main([*args, "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "checkpoint.keras is not a model of this spec (it has 7,850 parameters, the spec 34,826)" in err, err
    assert "Traceback" not in err and not (run / "model.keras").exists()


@pytest.mark.slow
@pytest.mark.keras
def test_evaluate_with_another_spec_is_a_clear_error(mnist_mlp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "other.yaml").write_text(MLP)
    import numpy as np

    # The other spec's data exists (a missing data file is reported first, before Keras).
    x, y = np.zeros((8, 4), dtype="float32"), np.zeros(8, dtype="int64")
    np.savez(tmp_path / "data.npz", x_train=x, y_train=y, x_test=x, y_test=y)
    assert main(["evaluate", str(mnist_mlp), "--spec", str(tmp_path / "other.yaml")]) == 1
    err = capsys.readouterr().err
    assert f"{mnist_mlp} is not a model of the spec" in err and "input shape is (28, 28, 1), the spec's (4,)" in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- 9. leftovers of killed runs


def _killed_mid_write(run: Path, name: str) -> None:
    """A process SIGKILLed inside an atomic write of ``run/name``: what it leaves is what a killed train leaves."""
    code = (
        "import os, signal; from kerasspec.files import atomic_path\n"
        f"with atomic_path({str(run / name)!r}) as tmp:\n"
        "    tmp.write_bytes(b'half a file')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], env=env(), timeout=60)
    assert proc.returncode == -signal.SIGKILL


def test_temp_files_of_a_killed_run_are_removed(mlp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = tmp_path / "run"
    run.mkdir()
    for name in ("checkpoint.epoch-1.keras", "spec.yaml", "history.json"):
        _killed_mid_write(run, name)
    assert len(hidden(run)) == 3 and all(".tmp" in n for n in hidden(run))
    # An unfinished run is refused (use --resume), but the dead process's temp files go first.
    (run / "state.json").write_text(json.dumps({"epochs_done": 1, "history": {"loss": [1.0]}}))
    assert main(["train", str(mlp), "--run-dir", str(run), "--quiet"]) == 1
    assert "holds an unfinished run" in capsys.readouterr().err
    assert hidden(run) == []
    _killed_mid_write(run, "model.keras")
    assert next(p.name for p in remove_stale_temp_files(run)).startswith(".model.keras.")


@pytest.mark.slow
@pytest.mark.keras
def test_sigkill_before_the_first_epoch_then_a_new_run(mlp: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    _killed_mid_write(run, "checkpoint.epoch-1.keras")  # killed while saving the first epoch
    assert hidden(run)
    proc = subprocess.run([sys.executable, "-m", "kerasspec", "train", str(mlp), "--run-dir", str(run), "--quiet"],
                          cwd=tmp_path, env=env(), capture_output=True, text=True, timeout=600)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert hidden(run) == []
    assert json.loads((run / "state.json").read_text())["epochs_done"] == 3
