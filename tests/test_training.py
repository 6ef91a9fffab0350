"""Training: run directories, seeds, atomic writes, interruption and resume, bad data, distribution.

Every run here is tiny (one short epoch on a few hundred examples), except where a
test needs several epochs to interrupt. Runs use the embedded MNIST sample written to
an ``.npz`` (``--data``), so no test downloads anything.

Examples that name their own ``.npz`` (``examples/data/``) train on it. Examples that
cannot train on MNIST (no ``data`` section and an input that is not a 28x28 image, or
a binary output) train one epoch on a small synthetic ``.npz`` made here with their
input shape and labels (``--data`` then names the dataset itself).

Subprocesses run ``python -m kerasspec`` with ``TF_CPP_MIN_LOG_LEVEL=3``.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import kerasspec
from kerasspec import files
from kerasspec.data import load_sample
from kerasspec.semantics import loss_info

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".yaml", ".yml", ".json"))
CONVNET = ROOT / "examples" / "keras_io_mnist_convnet.yaml"
LIMIT = 256


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def sample_npz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded MNIST sample as an mnist.npz-style file."""
    ds = load_sample()
    path = tmp_path_factory.mktemp("data") / "mnist_sample.npz"
    np.savez(path, x_train=ds.x_train, y_train=ds.y_train, x_test=ds.x_test, y_test=ds.y_test)
    return path


def env(tmp: Path, **extra: str) -> dict[str, str]:
    out = dict(os.environ)
    out.update(
        TF_CPP_MIN_LOG_LEVEL="3",
        KERAS_HOME=str(tmp / "keras_home"),  # never the user's cache
        KERASSPEC_MNIST_ORIGIN="file:///nonexistent/mnist.npz",  # never the network
        PYTHONPATH=str(ROOT) + os.pathsep + out.get("PYTHONPATH", ""),
    )
    out.update(extra)
    return out


def kerasspec_cli(tmp: Path, *args: str, timeout: float = 300, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kerasspec", *args],
        cwd=tmp, env=env(tmp, **extra), capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def is_mnist_example(path: Path) -> bool:
    spec = kerasspec.load_spec(path)
    return spec.data is not None and spec.data.dataset in ("mnist", "fashion_mnist")


def names_own_npz(path: Path) -> bool:
    spec = kerasspec.load_spec(path)
    return spec.data is not None and spec.data.dataset not in ("mnist", "fashion_mnist")


#: The test-set picture each task leaves in its run directory (multi-label has none).
TASK_PICTURE = {"classification": "confusion_matrix", "binary": "confusion_matrix",
                "reconstruction": "reconstructions", "regression": "predictions"}  # fmt: skip


def synthetic_npz(example: Path, target: Path, n: int = 96) -> Path:
    """Random inputs of the example's shape and labels its output can learn."""
    summary = kerasspec.summarize(example)
    spec = kerasspec.load_spec(example)
    units = summary.output_shape[-1]
    classes = 2 if units == 1 else units
    rng = np.random.default_rng(0)

    def split(count: int) -> tuple[np.ndarray, np.ndarray]:
        x = rng.integers(0, 256, (count, *summary.input_shape[1:]), dtype=np.uint8)
        y = np.arange(count) % classes  # every class present
        return x, rng.permutation(y)

    x_train, y_train = split(n)
    x_test, y_test = split(n // 2)
    assert spec.compile is not None and loss_info(spec.compile.loss).family != "categorical"
    np.savez(target, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    return target


def leftovers(run_dir: Path) -> list[str]:
    """Temp files of atomic writes and uncommitted checkpoints: a clean run has none."""
    return sorted(p.name for p in run_dir.iterdir() if p.name.startswith(".") or p.name.startswith("checkpoint.epoch-"))


def wait_for_epochs(run_dir: Path, proc: subprocess.Popen[str], at_least: int, timeout: float = 240) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            done = int(json.loads((run_dir / "state.json").read_text())["epochs_done"])
        except (OSError, ValueError, KeyError):
            done = 0
        if done >= at_least:
            return done
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"training ended (rc {proc.returncode}) before epoch {at_least}:\n{err[-3000:]}")
        time.sleep(0.01)
    proc.kill()
    pytest.fail(f"no epoch finished in {timeout} s")


def start_training(tmp: Path, run_dir: Path, data: Path, epochs: int) -> subprocess.Popen[str]:
    args = [str(CONVNET), "--data", str(data), "--epochs", str(epochs), "--limit", str(LIMIT),
            "--batch-size", "64", "--seed", "3", "--run-dir", str(run_dir), "--quiet"]  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "kerasspec", "train", *args],
        cwd=tmp, env=env(tmp), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # As from a terminal: a suite started in the background (`make test &` in a script)
        # ignores SIGINT, and a child would inherit that and never see the Ctrl-C.
        preexec_fn=_sigint_default,
    )  # fmt: skip


def _sigint_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# --------------------------------------------------------------------------- every example


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.keras
@pytest.mark.slow
def test_every_example_trains_one_short_epoch(example: Path, sample_npz: Path, tmp_path: Path) -> None:
    """An example naming its own .npz trains on that file (found beside the spec); MNIST ones on the sample."""
    spec = kerasspec.load_spec(example)
    if names_own_npz(example):
        data = None
    else:
        data = str(sample_npz if is_mnist_example(example) else synthetic_npz(example, tmp_path / "synthetic.npz"))
    run = kerasspec.train(example, data=data, epochs=1, limit=LIMIT, seed=0, run_dir=tmp_path / "run", verbose=0, log=lambda m: None)
    if data is None:
        assert spec.data is not None and run.data_source == str((example.parent / spec.data.dataset).resolve())
    assert run.epochs_run == 1
    assert set(run.history) >= {"loss"} and all(len(v) == 1 for v in run.history.values())
    assert "loss" in run.metrics and all(np.isfinite(v) for v in run.metrics.values())
    picture = TASK_PICTURE.get(spec.data.task if spec.data else "classification")
    expected = {"model", "metrics", "history_json", "history_csv", "spec", "training_plot"} | ({picture} if picture else set())
    for name in expected:
        assert run.artefacts[name].is_file(), name
    assert set(run.artefacts) & set(TASK_PICTURE.values()) == expected & set(TASK_PICTURE.values())
    assert leftovers(run.run_dir) == []


@pytest.mark.keras
@pytest.mark.slow
def test_run_directory_artefacts(sample_npz: Path, tmp_path: Path) -> None:
    import keras

    out = tmp_path / "run"
    run = kerasspec.train(CONVNET, data=str(sample_npz), epochs=2, limit=LIMIT, seed=1, run_dir=out, verbose=0,
                          tensorboard=True, log=lambda m: None)
    names = {p.name for p in out.iterdir()}
    assert names == {"model.keras", "checkpoint.keras", "state.json", "history.json", "history.csv", "metrics.json",
                     "spec.yaml", "training.png", "confusion_matrix.png", "report.html", "tensorboard"}  # fmt: skip
    # TensorBoard event files for training and validation; the report shows the run.
    assert list((out / "tensorboard").rglob("events.out.tfevents.*"))
    report = (out / "report.html").read_text()
    assert "conv2d (Conv2D)" in report and report.count("data:image/png;base64,") == 2
    model = keras.models.load_model(out / "model.keras", safe_mode=True)
    assert model.count_params() == 34_826
    history = json.loads((out / "history.json").read_text())
    assert history == run.history and set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 2 for v in history.values())
    csv_lines = (out / "history.csv").read_text().splitlines()
    assert csv_lines[0].split(",") == ["epoch", *history] and len(csv_lines) == 3
    metrics = json.loads((out / "metrics.json").read_text())
    assert set(metrics["test"]) == {"loss", "accuracy"} and metrics["test"] == run.metrics
    assert metrics["train_examples"] == LIMIT and metrics["test_examples"] == 1000 and metrics["epochs"] == 2
    # The resolved spec is a valid spec again, with the options of the run.
    resolved = kerasspec.load_spec(out / "spec.yaml")
    assert resolved.fit is not None and (resolved.fit.epochs, resolved.fit.seed) == (2, 1)
    assert json.loads((out / "state.json").read_text())["epochs_done"] == 2
    for png in ("training.png", "confusion_matrix.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # A new run in the same directory (as `make demo` twice) replaces the finished one entirely.
    said: list[str] = []
    again = kerasspec.train(CONVNET, data=str(sample_npz), epochs=1, limit=LIMIT, seed=1, run_dir=out, verbose=0, log=said.append)
    assert any("holds a previous run" in m for m in said)
    assert all(len(v) == 1 for v in json.loads((out / "history.json").read_text()).values())
    assert again.epochs_run == 1 and {p.name for p in out.iterdir()} == names - {"tensorboard"}


def test_an_unfinished_run_is_not_overwritten(sample_npz: Path, tmp_path: Path) -> None:
    from kerasspec.training import TrainError

    out = tmp_path / "run"
    out.mkdir()
    (out / "state.json").write_text(json.dumps({"epochs_done": 1, "history": {"loss": [1.0]}}))
    (out / "checkpoint.keras").write_bytes(b"epoch 1")
    with pytest.raises(TrainError, match="unfinished run: continue it with --resume"):
        kerasspec.train(CONVNET, data=str(sample_npz), epochs=2, run_dir=out, log=lambda m: None)
    assert (out / "checkpoint.keras").read_bytes() == b"epoch 1"
    assert sorted(p.name for p in out.iterdir()) == ["checkpoint.keras", "state.json"]


# --------------------------------------------------------------------------- seed


@pytest.mark.keras
@pytest.mark.slow
def test_fixed_seed_makes_two_runs_identical(sample_npz: Path, tmp_path: Path) -> None:
    import keras

    runs = []
    for name in ("a", "b"):
        proc = kerasspec_cli(tmp_path, "train", str(CONVNET), "--data", str(sample_npz), "--epochs", "1",
                             "--limit", str(LIMIT), "--seed", "7", "--run-dir", name, "--quiet")  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        runs.append(tmp_path / name)
    a, b = runs
    assert json.loads((a / "history.json").read_text()) == json.loads((b / "history.json").read_text())
    assert json.loads((a / "metrics.json").read_text())["test"] == json.loads((b / "metrics.json").read_text())["test"]
    wa = keras.models.load_model(a / "model.keras").get_weights()
    wb = keras.models.load_model(b / "model.keras").get_weights()
    assert len(wa) == len(wb) and all(np.array_equal(x, y) for x, y in zip(wa, wb, strict=True))


# --------------------------------------------------------------------------- atomic writes


def _partial_writer(real: Any) -> Any:
    """A stand-in that writes half of what it was asked to, then fails."""

    def write(path: Any, data: Any, *args: Any, **kwargs: Any) -> Any:
        real(path, data[: len(data) // 2], *args, **kwargs)
        raise OSError(28, "No space left on device (simulated)")

    return write


def test_json_write_failing_midway_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "history.json"
    files.write_json(target, {"loss": [1.0, 0.5]})
    before = target.read_bytes()
    with monkeypatch.context() as m:
        m.setattr(Path, "write_text", _partial_writer(Path.write_text))
        with pytest.raises(OSError, match="simulated"):
            files.write_json(target, {"loss": [float(i) for i in range(1000)]})
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.json"]


@pytest.mark.keras
@pytest.mark.slow
def test_model_save_failing_midway_keeps_the_old_model(tmp_path: Path) -> None:
    import keras

    from kerasspec.build import save_model

    model = kerasspec.build_model(CONVNET)
    target = tmp_path / "model.keras"
    save_model(model, target)
    before = target.read_bytes()

    def broken_save(path: Any, *args: Any, **kwargs: Any) -> None:
        Path(path).write_bytes(before[: len(before) // 3])  # a truncated zip
        raise OSError(28, "No space left on device (simulated)")

    model.save = broken_save
    with pytest.raises(OSError, match="simulated"):
        save_model(model, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.keras"]
    assert keras.models.load_model(target).count_params() == 34_826


def test_plot_failing_midway_keeps_the_old_picture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from kerasspec import plots

    target = tmp_path / "training.png"
    plots.training_curves({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]}, target)
    before = target.read_bytes()

    def broken(self: Any, fname: Any, *args: Any, **kwargs: Any) -> None:
        Path(fname).write_bytes(b"\x89PNG\r\n\x1a\n partial")
        raise OSError(28, "No space left on device (simulated)")

    monkeypatch.setattr(Figure, "savefig", broken)
    with pytest.raises(OSError, match="simulated"):
        plots.training_curves({"loss": [3.0, 2.0, 1.0]}, target)
    with pytest.raises(OSError, match="simulated"):
        plots.confusion_matrix([0, 1, 1], [0, 1, 0], 2, tmp_path / "confusion_matrix.png")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["training.png"]


@pytest.mark.keras
@pytest.mark.slow
def test_checkpoint_save_failing_midway_keeps_the_last_epoch(sample_npz: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save that fails in epoch 2 leaves epoch 1's checkpoint and state whole, and resume works."""
    from kerasspec import build

    out = tmp_path / "run"
    real = build.save_model
    calls = {"n": 0}

    def flaky(model: Any, path: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            def half(p: Any, *a: Any, **k: Any) -> None:
                Path(p).write_bytes(b"PK\x03\x04 truncated")
                raise OSError(28, "No space left on device (simulated)")

            original, model.save = model.save, half
            try:
                return real(model, path)
            finally:
                model.save = original
        return real(model, path)

    monkeypatch.setattr(build, "save_model", flaky)
    with pytest.raises(OSError, match="simulated"):
        kerasspec.train(CONVNET, data=str(sample_npz), epochs=3, limit=LIMIT, seed=2, run_dir=out, verbose=0, log=lambda m: None)
    state = json.loads((out / "state.json").read_text())
    assert state["epochs_done"] == 1 and all(len(v) == 1 for v in state["history"].values())
    assert leftovers(out) == []
    monkeypatch.setattr(build, "save_model", real)
    run = kerasspec.train(CONVNET, data=str(sample_npz), epochs=3, limit=LIMIT, seed=2, run_dir=out, resume=True, verbose=0, log=lambda m: None)
    assert run.epochs_run == 2 and all(len(v) == 3 for v in run.history.values())


# --------------------------------------------------------------------------- interruption


def test_resume_finishes_a_half_committed_epoch(tmp_path: Path) -> None:
    """Killed between writing state.json and renaming the checkpoint: resume completes the rename."""
    from kerasspec.training import _recover

    (tmp_path / "checkpoint.keras").write_bytes(b"epoch 1")
    (tmp_path / "checkpoint.epoch-2.keras").write_bytes(b"epoch 2")
    (tmp_path / "checkpoint.epoch-3.keras").write_bytes(b"epoch 3, never committed")
    (tmp_path / ".history.json.abc.tmp.json").write_text("{")
    state = {"epochs_done": 2, "history": {"loss": [2.0, 1.0]}}
    (tmp_path / "history.json").write_text(json.dumps({"loss": [2.0, 1.0, 0.5]}))  # one epoch ahead
    _recover(tmp_path, state, epochs=5)
    assert (tmp_path / "checkpoint.keras").read_bytes() == b"epoch 2"
    assert json.loads((tmp_path / "history.json").read_text()) == {"loss": [2.0, 1.0]}
    assert leftovers(tmp_path) == []


def test_resume_drops_an_uncommitted_checkpoint(tmp_path: Path) -> None:
    """Killed after saving epoch 3's model but before state.json said so: epoch 2 is what resumes."""
    from kerasspec.training import _recover

    (tmp_path / "checkpoint.keras").write_bytes(b"epoch 2")
    (tmp_path / "checkpoint.epoch-3.keras").write_bytes(b"epoch 3")
    _recover(tmp_path, {"epochs_done": 2, "history": {"loss": [2.0, 1.0]}}, epochs=5)
    assert (tmp_path / "checkpoint.keras").read_bytes() == b"epoch 2"
    assert leftovers(tmp_path) == []


@pytest.mark.keras
@pytest.mark.slow
def test_sigkill_mid_training_then_resume(sample_npz: Path, tmp_path: Path) -> None:
    import keras

    epochs, out = 8, tmp_path / "run"
    proc = start_training(tmp_path, out, sample_npz, epochs)
    try:
        wait_for_epochs(out, proc, 1)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    done = json.loads((out / "state.json").read_text())["epochs_done"]
    assert 1 <= done < epochs, "the kill came too late to test anything"
    assert not (out / "model.keras").exists()

    proc2 = kerasspec_cli(tmp_path, "train", str(CONVNET), "--data", str(sample_npz), "--epochs", str(epochs),
                          "--limit", str(LIMIT), "--batch-size", "64", "--seed", "3", "--run-dir", str(out),
                          "--resume", "--quiet")  # fmt: skip
    assert proc2.returncode == 0, proc2.stderr
    resumed_at = int(proc2.stderr.split("resuming")[1].split("after epoch")[1].split()[0])
    assert resumed_at >= done  # the last finished epoch (one more may have finished before the kill landed)
    history = json.loads((out / "history.json").read_text())
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == epochs for v in history.values())
    assert json.loads((out / "state.json").read_text())["epochs_done"] == epochs
    assert keras.models.load_model(out / "model.keras", safe_mode=True).count_params() == 34_826
    assert leftovers(out) == []


@pytest.mark.keras
@pytest.mark.slow
def test_ctrl_c_exits_130_and_keeps_what_was_written(sample_npz: Path, tmp_path: Path) -> None:
    import keras

    epochs, out = 200, tmp_path / "run"
    proc = start_training(tmp_path, out, sample_npz, epochs)
    try:
        wait_for_epochs(out, proc, 1)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "interrupted after epoch" in err and "--resume" in err and str(out) in err
    state = json.loads((out / "state.json").read_text())
    history = json.loads((out / "history.json").read_text())
    assert 1 <= state["epochs_done"] < epochs and history == state["history"]
    assert all(len(v) == state["epochs_done"] for v in history.values())
    keras.models.load_model(out / "checkpoint.keras", safe_mode=True)
    assert leftovers(out) == []


# --------------------------------------------------------------------------- bad data


def _bad(tmp: Path, name: str, **arrays: Any) -> Path:
    path = tmp / name
    np.savez(path, **arrays)
    return path


def _good_arrays(n: int = 20) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    return {
        "x_train": rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
        "y_train": np.arange(n) % 10,
        "x_test": rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
        "y_test": np.arange(n) % 10,
    }


def _bad_cases(tmp: Path) -> dict[str, tuple[Path, str]]:
    arrays = _good_arrays()
    out_of_range = dict(arrays, y_train=np.where(np.arange(20) == 5, 10, arrays["y_train"]))
    not_npz = tmp / "notes.npz"
    not_npz.write_text("these are not arrays")
    return {
        "missing file": (tmp / "nope.npz", "no such file"),
        "not an npz": (not_npz, "not an .npz file"),
        "missing arrays": (_bad(tmp, "partial.npz", x_train=arrays["x_train"], y_train=arrays["y_train"]), "missing array(s) x_test, y_test"),
        "wrong shapes": (_bad(tmp, "small.npz", **dict(arrays, x_train=arrays["x_train"][:, :20, :20], x_test=arrays["x_test"][:, :20, :20])), "cannot be fed to a model with input shape (28, 28, 1)"),
        "label out of range": (_bad(tmp, "labels.npz", **out_of_range), "y_train[5] is 10, but the model has 10 classes"),
        "labels and images differ in count": (_bad(tmp, "count.npz", **dict(arrays, y_train=arrays["y_train"][:5])), "x_train has 20 samples but y_train has 5 labels"),
    }


@pytest.mark.parametrize("case", ["missing file", "not an npz", "missing arrays", "wrong shapes", "label out of range", "labels and images differ in count"])
def test_bad_data_is_a_clear_error_before_training(case: str, tmp_path: Path) -> None:
    path, message = _bad_cases(tmp_path)[case]
    run_dir = tmp_path / "run"
    proc = kerasspec_cli(tmp_path, "train", str(CONVNET), "--data", str(path), "--epochs", "1", "--run-dir", str(run_dir), timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("kerasspec train: error: ") and message in proc.stderr, proc.stderr
    assert not run_dir.exists(), "nothing is written before the data is known to be good"


def test_label_out_of_range_for_a_user_dataset(tmp_path: Path) -> None:
    """A spec whose data is a user .npz: labels are checked against the final layer's units."""
    arrays = _good_arrays()
    arrays["y_test"] = arrays["y_test"] + 3  # up to 12 for a 10-unit softmax
    path = _bad(tmp_path, "mine.npz", **arrays)
    spec = yaml.safe_load(CONVNET.read_text())
    spec["data"] = {"dataset": str(path), "labels": "one_hot"}
    from kerasspec.training import TrainError

    with pytest.raises(TrainError, match=r"y_test\[\d+\] is 10, but the model has 10 classes"):
        kerasspec.train(spec, epochs=1, run_dir=tmp_path / "run", log=lambda m: None)
    assert not (tmp_path / "run").exists()


# --------------------------------------------------------------------------- distribution

MIRRORED_SCRIPT = textwrap.dedent("""
    import json, sys
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

    import yaml
    from kerasspec.training import _strategy, train

    strategy = _strategy("mirrored")
    spec = yaml.safe_load(open(sys.argv[1]))
    spec["fit"]["distribute"] = "mirrored"
    run = train(spec, data=sys.argv[2], epochs=1, limit=256, run_dir=sys.argv[3], verbose=0, log=lambda m: None)
    print(json.dumps({"strategy_replicas": strategy.num_replicas_in_sync, "replicas": run.replicas,
                      "epochs": len(run.history["loss"]), "loss": run.metrics["loss"]}))
""")


@pytest.mark.keras
@pytest.mark.slow
def test_mirrored_strategy_over_two_logical_cpus(sample_npz: Path, tmp_path: Path) -> None:
    script = tmp_path / "mirrored.py"
    script.write_text(MIRRORED_SCRIPT)
    proc = subprocess.run([sys.executable, str(script), str(CONVNET), str(sample_npz), str(tmp_path / "run")],
                          cwd=tmp_path, env=env(tmp_path), capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["strategy_replicas"] == 2 and result["replicas"] == 2
    assert result["epochs"] == 1 and np.isfinite(result["loss"])


@pytest.mark.keras
@pytest.mark.slow
def test_logical_cpus_from_the_environment(tmp_path: Path) -> None:
    """``KERASSPEC_LOGICAL_CPUS=2`` (what `kerasspec train` reads) gives MirroredStrategy two CPU replicas."""
    code = "from kerasspec.training import _strategy; print(_strategy('mirrored').num_replicas_in_sync)"
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env(tmp_path, KERASSPEC_LOGICAL_CPUS="2"),
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split()[-1] == "2"


@pytest.mark.keras
@pytest.mark.slow
def test_multi_worker_from_the_command_line(sample_npz: Path, tmp_path: Path) -> None:
    """``fit.distribute: multi_worker`` without TF_CONFIG: one local worker, one replica."""
    spec = yaml.safe_load(CONVNET.read_text())
    spec["fit"]["distribute"] = "multi_worker"
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    proc = kerasspec_cli(tmp_path, "train", str(path), "--data", str(sample_npz), "--epochs", "1", "--limit", str(LIMIT),
                         "--run-dir", "run", "--quiet")  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "over 1 replicas (multi_worker)" in proc.stderr
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert metrics["replicas"] == 1
    assert len(json.loads((tmp_path / "run" / "history.json").read_text())["loss"]) == 1


def test_logical_cpus_must_be_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    from kerasspec.training import TrainError, configure_logical_cpus

    for bad, message in (("two", "whole number"), ("0", "at least 1")):
        monkeypatch.setenv("KERASSPEC_LOGICAL_CPUS", bad)
        with pytest.raises(TrainError, match=message):
            configure_logical_cpus()


# --------------------------------------------------------------------------- vector metrics, callbacks across --resume


def _small_npz(tmp: Path, n: int = 96) -> Path:
    ds = load_sample()
    path = tmp / "small.npz"
    np.savez(path, x_train=ds.x_train[:n], y_train=ds.y_train[:n], x_test=ds.x_test[:64], y_test=ds.y_test[:64])
    return path


def _mlp(data: Path, metrics: list[Any], callbacks: list[Any], *, epochs: int = 1, optimizer: Any = "adam",
         validation_split: float = 0.25) -> dict[str, Any]:
    return {
        "input_shape": [28, 28],
        "layers": [{"type": "Flatten"}, {"type": "Dense", "units": 10, "activation": "softmax"}],
        "compile": {"optimizer": optimizer, "loss": "categorical_crossentropy", "metrics": metrics},
        "fit": {"epochs": epochs, "batch_size": 32, "validation_split": validation_split, "shuffle": False,
                "callbacks": callbacks},
        "data": {"dataset": str(data), "labels": "one_hot"},
    }  # fmt: skip


@pytest.mark.keras
@pytest.mark.slow
def test_vector_metrics_are_written_as_keras_logs_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """F1Score(average=None) logs one value per class, TruePositives/Precision one per threshold: lists, not floats."""
    import csv

    import keras

    from kerasspec.cli import main

    data = _small_npz(tmp_path)
    metrics = ["accuracy", {"type": "F1Score", "average": None}, {"type": "TruePositives", "thresholds": [0.05, 0.5]},
               {"type": "Precision", "thresholds": [0.05, 0.2, 0.5]}]  # fmt: skip
    run = kerasspec.train(_mlp(data, metrics, []), run_dir=tmp_path / "run", seed=0, verbose=0, log=lambda m: None)
    out = run.run_dir
    history = json.loads((out / "history.json").read_text())
    widths = {"f1_score": 10, "true_positives": 2, "precision": 3}
    for key, width in widths.items():
        for name in (key, f"val_{key}"):
            assert len(history[name]) == 1 and len(history[name][0]) == width, name
            assert all(isinstance(v, float) for v in history[name][0])
    assert isinstance(history["accuracy"][0], float) and history == run.history
    # history.csv: one column per element, the same numbers.
    rows = list(csv.DictReader(io.StringIO((out / "history.csv").read_text())))
    assert len(rows) == 1
    assert [k for k in rows[0] if k.startswith("f1_score[")] == [f"f1_score[{i}]" for i in range(10)]
    assert [float(rows[0][f"val_precision[{i}]"]) for i in range(3)] == pytest.approx(history["val_precision"][0])
    # metrics.json: the test split's vectors, as Keras's evaluate returns them for the saved model.
    test = json.loads((out / "metrics.json").read_text())["test"]
    model = keras.models.load_model(out / "model.keras")
    ds = np.load(data)
    x, y = ds["x_test"].astype("float32") / 255.0, keras.utils.to_categorical(ds["y_test"], 10)
    scores = model.evaluate(x, y, verbose=0, return_dict=True)
    for key, width in widths.items():
        assert len(test[key]) == width and test[key] == pytest.approx(np.asarray(scores[key]).tolist(), abs=1e-5)
    # The report and `evaluate` show them; state.json with vectors is one --resume accepts.
    html = (out / "report.html").read_text()
    assert "<th>f1_score[9]</th>" in html and "<th>val_true_positives[1]</th>" in html
    assert kerasspec.training.state_problem(json.loads((out / "state.json").read_text())) is None
    assert main(["evaluate", str(out), "--format", "json"]) == 0
    evaluated = json.loads(capsys.readouterr().out)["metrics"]
    assert evaluated["true_positives"] == pytest.approx(test["true_positives"])
    assert main(["evaluate", str(out)]) == 0
    assert "precision " in capsys.readouterr().out.replace("  ", " ")


def test_state_with_vector_metrics_is_checked() -> None:
    from kerasspec.training import state_problem

    good = {"epochs_done": 2, "history": {"loss": [1.0, 0.5], "f1_score": [[0.1, 0.2], [0.3, 0.4]]}}
    assert state_problem(good) is None
    ragged = {"epochs_done": 2, "history": {"loss": [1.0, 0.5], "f1_score": [[0.1, 0.2], [0.3]]}}
    assert "equally long lists" in (state_problem(ragged) or "")
    text = {"epochs_done": 1, "history": {"loss": [1.0], "f1_score": [["a"]]}}
    assert state_problem(text) is not None
    callbacks = dict(good, callbacks=[{"type": "EarlyStopping", "wait": "1", "best": 0.5}])
    assert "callbacks[0].wait" in (state_problem(callbacks) or "")
    escape = dict(good, callbacks=[{"type": "EarlyStopping", "best_weights": "../../etc/passwd"}])
    assert "best_weights" in (state_problem(escape) or "")


def test_resume_drops_best_weights_never_committed(tmp_path: Path) -> None:
    """Killed after EarlyStopping's new best weights were written but before state.json named them."""
    from kerasspec.training import _recover

    (tmp_path / "checkpoint.keras").write_bytes(b"epoch 2")
    (tmp_path / "best_weights-0.epoch-2.npz").write_bytes(b"best at epoch 2")
    (tmp_path / "best_weights-0.epoch-3.npz").write_bytes(b"best at epoch 3, never committed")
    callbacks = [{"type": "EarlyStopping", "wait": 0, "best": 1.0, "best_epoch": 1, "stopped_epoch": 0,
                  "best_weights": "best_weights-0.epoch-2.npz"}]  # fmt: skip
    _recover(tmp_path, {"epochs_done": 2, "history": {"loss": [2.0, 1.0]}, "callbacks": callbacks}, epochs=5)
    assert sorted(p.name for p in tmp_path.glob("best_weights-*")) == ["best_weights-0.epoch-2.npz"]


def _interrupt_at_epoch(epoch: int) -> Any:
    """EarlyStopping.on_epoch_begin that raises KeyboardInterrupt (Ctrl-C) when ``epoch`` (0-based) begins."""
    import keras

    real = keras.callbacks.EarlyStopping.on_epoch_begin

    def on_epoch_begin(self: Any, e: int, logs: Any = None) -> None:
        if e == epoch:
            raise KeyboardInterrupt
        real(self, e, logs)

    return on_epoch_begin


@pytest.mark.keras
@pytest.mark.slow
def test_early_stopping_and_reduce_lr_continue_across_resume(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run interrupted after 2 epochs and resumed stops where the uninterrupted run stops, with the same callback state.

    A learning rate of 0 never improves the loss: EarlyStopping(patience=2) ends the run after 3 epochs.
    Before the state was kept, the resumed run's EarlyStopping started counting again and ran 5.
    """
    import keras

    data = _small_npz(tmp_path)
    callbacks = [{"type": "EarlyStopping", "monitor": "loss", "patience": 2, "restore_best_weights": True},
                 {"type": "ReduceLROnPlateau", "monitor": "loss", "patience": 1, "cooldown": 1}]  # fmt: skip
    spec = _mlp(data, ["accuracy"], callbacks, epochs=10, optimizer={"type": "SGD", "learning_rate": 0.0}, validation_split=0.0)
    quiet = {"seed": 0, "verbose": 0, "log": lambda m: None}
    whole = kerasspec.train(spec, run_dir=tmp_path / "whole", **quiet)
    assert len(whole.history["loss"]) == 3
    with monkeypatch.context() as m:
        m.setattr(keras.callbacks.EarlyStopping, "on_epoch_begin", _interrupt_at_epoch(2))
        with pytest.raises(kerasspec.training.TrainInterrupted) as stopped:
            kerasspec.train(spec, run_dir=tmp_path / "cut", **quiet)
    assert stopped.value.epochs_done == 2
    state = json.loads((tmp_path / "cut" / "state.json").read_text())
    assert [c["type"] for c in state["callbacks"]] == ["EarlyStopping", "ReduceLROnPlateau"]
    assert state["callbacks"][0]["wait"] == 1 and (tmp_path / "cut" / state["callbacks"][0]["best_weights"]).exists()
    resumed = kerasspec.train(spec, run_dir=tmp_path / "cut", resume=True, **quiet)
    assert len(resumed.history["loss"]) == 3 and resumed.epochs_run == 1
    final = {name: json.loads((tmp_path / name / "state.json").read_text()) for name in ("whole", "cut")}
    assert final["cut"]["callbacks"] == final["whole"]["callbacks"]
    assert final["cut"]["stopped"] is True and final["cut"]["learning_rate"] == final["whole"]["learning_rate"]
    assert resumed.history["learning_rate"] == whole.history["learning_rate"]  # ReduceLROnPlateau logs it, as in Keras
    # Resuming a run that EarlyStopping ended trains nothing more.
    again = kerasspec.train(spec, run_dir=tmp_path / "cut", resume=True, **quiet)
    assert again.epochs_run == 0 and len(again.history["loss"]) == 3
    assert again.metrics == pytest.approx(resumed.metrics)
