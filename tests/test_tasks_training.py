"""Training every task (``data.task``) on MNIST and on the examples' ``.npz`` files.

Each task's example trains one short epoch (``--limit``) and leaves the artefacts a
Keras user expects: a confusion matrix only where there are classes, inputs next to
their reconstructions for an autoencoder, predicted against true values for a
regression; ``metrics.json`` names the task and ``report.html`` words it. Runs on
MNIST use the embedded sample written to an ``.npz`` (``--data``), so nothing is
downloaded. The fast tests at the end check how :func:`kerasspec.data.prepare` and
:func:`kerasspec.data.load_dataset` encode and refuse targets for each task.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import kerasspec
from kerasspec.data import DataError, Dataset, load_dataset, load_sample, prepare
from kerasspec.diagnostics import SpecError
from kerasspec.training import LOCK

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
LIMIT = 256
PNG = b"\x89PNG\r\n\x1a\n"
PICTURES = ("confusion_matrix.png", "reconstructions.png", "predictions.png")


@pytest.fixture(scope="module")
def sample_npz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded MNIST sample as an mnist.npz-style file."""
    ds = load_sample()
    path = tmp_path_factory.mktemp("data") / "mnist_sample.npz"
    np.savez(path, x_train=ds.x_train, y_train=ds.y_train, x_test=ds.x_test, y_test=ds.y_test)
    return path


def train(example: str, run_dir: Path, **kwargs: Any) -> Any:
    return kerasspec.train(EXAMPLES / example, epochs=1, limit=LIMIT, seed=0, run_dir=run_dir, verbose=0,
                           log=lambda m: None, **kwargs)  # fmt: skip


def prepared_for(example: str, data: str | None = None) -> tuple[Any, Any]:
    """The (dataset, prepared) pair `train` feeds the example's model."""
    from kerasspec.training import _reads_indices, effective_data, load_data

    spec = kerasspec.load_spec(EXAMPLES / example)
    summary = kerasspec.summarize(EXAMPLES / example)
    assert spec.data is not None
    settings = spec.data
    if data is None:
        settings = settings.model_copy(update={"dataset": str(EXAMPLES / settings.dataset)})
    settings, path = effective_data(settings, data)
    return load_data(settings, path, input_shape=tuple(summary.input_shape[1:]), output_shape=tuple(summary.output_shape),
                     scale=not _reads_indices(spec))  # fmt: skip


def pictures(run_dir: Path) -> set[str]:
    return {name for name in PICTURES if (run_dir / name).exists()}


def check_run(run: Any, task: str, history: set[str], picture: str | None) -> dict[str, Any]:
    """What every run has, whatever its task; returns metrics.json."""
    out = run.run_dir
    assert run.epochs_run == 1
    assert set(run.history) == history and all(len(v) == 1 for v in run.history.values())
    assert "loss" in run.metrics and all(np.isfinite(v) for v in run.metrics.values())
    for name in ("model.keras", "history.json", "history.csv", "metrics.json", "spec.yaml", "training.png", "report.html"):
        assert (out / name).is_file(), name
    assert pictures(out) == ({picture} if picture else set())
    if picture:
        assert (out / picture).read_bytes()[:8] == PNG
    # No temp file of an atomic write, no uncommitted checkpoint (the run directory's lock file may stay).
    left = [p.name for p in out.iterdir() if p.name.startswith((".", "checkpoint.epoch-")) and p.name != LOCK]
    assert left == []
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["task"] == task and metrics["test"] == run.metrics
    report = (out / "report.html").read_text()
    assert report.count("data:image/png;base64,") == 1 + (picture is not None)
    if task in ("regression", "reconstruction", "multi_label"):
        assert "Test accuracy" not in report
    # The run directory's spec.yaml is a valid spec again, naming the data it trained on.
    resolved = kerasspec.load_spec(out / "spec.yaml")
    assert resolved.data is not None and resolved.data.task == task
    return metrics


def evaluates_alike(run: Any) -> None:
    """`evaluate` on the run directory reads its spec.yaml and scores the test split as training did."""
    from kerasspec.training import evaluate

    result = evaluate(run.run_dir, log=lambda m: None)
    assert set(result.metrics) == set(run.metrics)
    for key, value in run.metrics.items():
        assert result.metrics[key] == pytest.approx(value, rel=1e-4, abs=1e-6), key


# --------------------------------------------------------------------------- each task trains


@pytest.mark.keras
@pytest.mark.slow
def test_autoencoder_on_mnist_reconstructs_its_input(sample_npz: Path, tmp_path: Path) -> None:
    _, prepared = prepared_for("mnist_autoencoder.yaml", str(sample_npz))
    assert prepared.y_train is prepared.x_train and prepared.y_test is prepared.x_test
    assert prepared.x_train.shape == (4000, 28, 28, 1) and prepared.x_train.dtype == np.float32
    assert prepared.x_train.min() >= 0.0 and prepared.x_train.max() <= 1.0

    run = train("mnist_autoencoder.yaml", tmp_path / "run", data=str(sample_npz))
    metrics = check_run(run, "reconstruction", {"loss", "val_loss"}, "reconstructions.png")
    assert metrics["embedded_sample"] is False and metrics["train_examples"] == LIMIT
    report = (run.run_dir / "report.html").read_text()
    assert "reconstruction (an autoencoder" in report and "Test reconstruction loss" in report
    assert "what the model reconstructs from them" in report
    evaluates_alike(run)


@pytest.mark.keras
@pytest.mark.slow
def test_binary_one_digit_against_the_rest(sample_npz: Path, tmp_path: Path) -> None:
    dataset, prepared = prepared_for("binary_sgd_nesterov.yaml", str(sample_npz))
    # positive_class: 0, and one sigmoid unit: float 0/1 targets shaped (N, 1).
    assert prepared.y_train.shape == (4000, 1) and prepared.y_train.dtype == np.float32
    assert set(np.unique(prepared.y_train)) == {0.0, 1.0}
    assert prepared.y_train.mean() == pytest.approx((dataset.y_train == 0).mean()) == pytest.approx(0.1)
    np.testing.assert_array_equal(prepared.y_test[:, 0], (dataset.y_test == 0).astype(np.float32))

    run = train("binary_sgd_nesterov.yaml", tmp_path / "run", data=str(sample_npz))
    metrics = check_run(run, "binary", {"loss", "binary_accuracy", "MeanAbsoluteError"}, "confusion_matrix.png")
    assert metrics["positive_class"] == 0
    report = (run.run_dir / "report.html").read_text()
    assert "class 0 against the rest" in report and "Test accuracy" in report
    evaluates_alike(run)


@pytest.mark.keras
@pytest.mark.slow
def test_regression_from_the_repository_root(tmp_path: Path) -> None:
    """`kerasspec train examples/regression_mlp.yaml` finds data/regression8.npz beside the spec."""
    out = tmp_path / "run"
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", KERAS_HOME=str(tmp_path / "keras_home"),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-m", "kerasspec", "train", "examples/regression_mlp.yaml", "--epochs", "1",
         "--limit", str(LIMIT), "--seed", "0", "--run-dir", str(out), "--quiet"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    history = json.loads((out / "history.json").read_text())
    assert set(history) == {"loss", "mae", "val_loss", "val_mae"}
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["task"] == "regression" and set(metrics["test"]) == {"loss", "mae"}
    assert metrics["test_examples"] == 100 and metrics["train_examples"] == LIMIT
    assert pictures(out) == {"predictions.png"}
    spec = yaml.safe_load((out / "spec.yaml").read_text())
    assert Path(spec["data"]["dataset"]) == (EXAMPLES / "data" / "regression8.npz").resolve()
    report = (out / "report.html").read_text()
    assert "Test loss <b>" in report and "(mse)" in report and "Test accuracy" not in report

    dataset, prepared = prepared_for("regression_mlp.yaml")
    assert prepared.y_train.shape == (400, 1) and prepared.y_train.dtype == np.float32  # shaped as the (1,) output
    np.testing.assert_array_equal(prepared.y_train[:, 0], dataset.y_train)

    from kerasspec.training import evaluate

    result = evaluate(out, log=lambda m: None)
    assert result.metrics == pytest.approx(metrics["test"], rel=1e-4)


@pytest.mark.keras
@pytest.mark.slow
def test_multi_label_from_another_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the spec's relative data path is found beside the spec
    _, prepared = prepared_for("multilabel_mlp.yaml")
    assert prepared.y_train.shape == (400, 4) and prepared.y_train.dtype == np.float32
    assert set(np.unique(prepared.y_train)) <= {0.0, 1.0} and prepared.num_classes == 4
    assert (prepared.y_train.sum(axis=1) > 1).any()  # several labels per sample: not one-hot

    run = train("multilabel_mlp.yaml", tmp_path / "run")
    check_run(run, "multi_label", {"loss", "binary_accuracy"}, None)
    assert "multi-label classification" in (run.run_dir / "report.html").read_text()
    evaluates_alike(run)


@pytest.mark.keras
@pytest.mark.slow
def test_text_binary_on_token_ids(tmp_path: Path) -> None:
    dataset, prepared = prepared_for("text_embedding_lstm.yaml")
    assert prepared.x_train.dtype.kind == "i" and prepared.x_train.max() >= 256  # ids, never scaled as pixels
    assert prepared.y_train.shape == (300, 1) and set(np.unique(prepared.y_train)) == {0.0, 1.0}
    assert prepared.y_train.mean() == pytest.approx(dataset.y_train.mean())

    run = train("text_embedding_lstm.yaml", tmp_path / "run")
    check_run(run, "binary", {"loss", "accuracy"}, "confusion_matrix.png")
    evaluates_alike(run)


@pytest.mark.keras
@pytest.mark.slow
def test_evaluate_a_model_file_with_its_spec(tmp_path: Path) -> None:
    """A bare .keras file evaluated with --spec: the spec's relative data path is found beside it."""
    from kerasspec.training import evaluate

    run = train("logits_bce.yaml", tmp_path / "run")
    check_run(run, "binary", {"loss", "binary_accuracy"}, "confusion_matrix.png")
    result = evaluate(run.run_dir / "model.keras", spec=EXAMPLES / "logits_bce.yaml", log=lambda m: None)
    assert result.test_examples == 100 and result.metrics == pytest.approx(run.metrics, rel=1e-4)


# --------------------------------------------------------------------------- check and train agree


def _spec(example: str, **data: Any) -> dict[str, Any]:
    spec = yaml.safe_load((EXAMPLES / example).read_text())
    spec["data"] = {**spec["data"], **data}
    return spec


@pytest.mark.parametrize(
    ("example", "data", "code"),
    [
        ("binary_sgd_nesterov.yaml", {"positive_class": None}, "KS405"),  # mnist has 10 classes: which is 1?
        ("binary_sgd_nesterov.yaml", {"positive_class": 10}, "KS205"),
        ("regression_mlp.yaml", {"task": "multi_label"}, "KS311"),  # numbers are not 0/1 rows
        ("multilabel_mlp.yaml", {"task": "classification"}, "KS311"),  # multi-hot rows are not one class
        ("regression_mlp.yaml", {"dataset": str(EXAMPLES / "data" / "multilabel12.npz")}, "KS305"),
    ],
)
def test_train_refuses_what_check_finds_before_touching_data(
    example: str, data: dict[str, Any], code: str, tmp_path: Path
) -> None:
    spec = _spec(example, **data)
    if spec["data"].get("positive_class") is None:
        spec["data"].pop("positive_class", None)
    if not Path(spec["data"]["dataset"]).is_absolute() and spec["data"]["dataset"] not in ("mnist", "fashion_mnist"):
        spec["data"]["dataset"] = str(EXAMPLES / spec["data"]["dataset"])
    found = [d for d in kerasspec.check(spec) if d.severity.value == "error"]
    assert code in {d.code for d in found}
    with pytest.raises(SpecError) as raised:
        kerasspec.train(spec, epochs=1, run_dir=tmp_path / "run", log=lambda m: None)
    assert {d.code for d in raised.value.diagnostics if d.severity.value == "error"} == {d.code for d in found}
    assert not (tmp_path / "run").exists()


def test_regression_output_wider_than_its_target_is_refused_by_check(tmp_path: Path) -> None:
    spec = _spec("regression_mlp.yaml", dataset=str(EXAMPLES / "data" / "regression8.npz"))
    spec["layers"][-1]["units"] = 3
    codes = {d.code for d in kerasspec.check(spec) if d.severity.value == "error"}
    assert codes == {"KS409"}
    with pytest.raises(SpecError):
        kerasspec.train(spec, epochs=1, run_dir=tmp_path / "run", log=lambda m: None)
    assert not (tmp_path / "run").exists()


# --------------------------------------------------------------------------- prepare, per task


def _ds(y_train: Any, y_test: Any | None = None, *, n_features: int = 3, num_classes: int = 0) -> Dataset:
    y_train = np.asarray(y_train)
    y_test = y_train if y_test is None else np.asarray(y_test)
    rng = np.random.default_rng(0)
    x_train = rng.normal(size=(len(y_train), n_features)).astype(np.float32)
    x_test = rng.normal(size=(len(y_test), n_features)).astype(np.float32)
    return Dataset(x_train, y_train, x_test, y_test, name="hand.npz", source="hand", num_classes=num_classes)


def test_prepare_reconstruction_target_is_the_prepared_input(sample_npz: Path) -> None:
    ds = load_dataset("mnist", path=sample_npz)
    out = prepare(ds, input_shape=(784,), task="reconstruction", output_shape=(784,))
    assert out.x_train.shape == (4000, 784) and out.y_train is out.x_train and out.y_test is out.x_test
    assert out.x_train.dtype == np.float32 and out.x_train.max() == 1.0 and out.num_classes == 0


def test_prepare_binary_positive_class_and_output_widths(sample_npz: Path) -> None:
    ds = load_dataset("mnist", path=sample_npz)
    one = prepare(ds, input_shape=(784,), task="binary", positive_class=7, output_shape=(1,))
    assert one.y_train.shape == (4000, 1) and one.y_train.dtype == np.float32 and one.num_classes == 2
    np.testing.assert_array_equal(one.y_train[:, 0] == 1, ds.y_train == 7)
    two = prepare(ds, input_shape=(784,), task="binary", positive_class=7, output_shape=(2,))
    assert two.y_train.shape == (4000,) and two.y_train.dtype == np.int32  # ids for sparse crossentropy
    np.testing.assert_array_equal(two.y_train == 1, ds.y_train == 7)
    with pytest.raises(DataError, match=r"positive_class 10 is not one of its classes 0\.\.9"):
        prepare(ds, input_shape=(784,), task="binary", positive_class=10)
    with pytest.raises(DataError, match=r"y_train\[\d+\] is [2-9], but a binary target is 0 or 1; name the class"):
        prepare(ds, input_shape=(784,), task="binary")


def test_prepare_binary_accepts_0_1_in_any_numeric_form() -> None:
    for y in ([0, 1, 1, 0], [0.0, 1.0, 1.0, 0.0], [False, True, True, False], [[0], [1], [1], [0]]):
        out = prepare(_ds(y, num_classes=2), input_shape=(3,), task="binary", output_shape=(1,))
        np.testing.assert_array_equal(out.y_train, np.array([[0], [1], [1], [0]], dtype=np.float32))


def test_prepare_multi_label_rows() -> None:
    rows = np.array([[1, 0, 1], [0, 0, 0], [1, 1, 1], [0, 1, 0]], dtype=np.uint8)
    out = prepare(_ds(rows), input_shape=(3,), task="multi_label", output_shape=(3,))
    assert out.y_train.dtype == np.float32 and out.num_classes == 3
    np.testing.assert_array_equal(out.y_train, rows)
    with pytest.raises(DataError, match=r"y_train\[2, 1\] is 2; a multi-label target is a row of 0/1"):
        prepare(_ds(np.where(rows == 1, 1, 0) + np.eye(4, 3, k=-1, dtype=np.uint8)), input_shape=(3,), task="multi_label")
    with pytest.raises(DataError, match=r"shape \(4,\); a multi-label target .*use task: classification"):
        prepare(_ds([0, 2, 1, 0]), input_shape=(3,), task="multi_label")
    with pytest.raises(DataError, match="3 labels per sample, but the model outputs \\[4\\]"):
        prepare(_ds(rows), input_shape=(3,), task="multi_label", output_shape=(4,))


def test_prepare_regression_targets() -> None:
    y = np.array([0.5, -2.0, 3.25, 1e3])
    out = prepare(_ds(y), input_shape=(3,), task="regression", output_shape=(1,))
    assert out.y_train.shape == (4, 1) and out.y_train.dtype == np.float32 and out.num_classes == 0
    np.testing.assert_array_equal(out.y_train[:, 0], y.astype(np.float32))
    vectors = np.arange(24, dtype=np.int64).reshape(4, 2, 3)  # integer targets are numbers too
    assert prepare(_ds(vectors), input_shape=(3,), task="regression", output_shape=(2, 3)).y_train.shape == (4, 2, 3)
    assert prepare(_ds(vectors), input_shape=(3,), task="regression").y_train.dtype == np.float32
    with pytest.raises(DataError, match=r"dtype <U3, not numbers; regression targets are numbers"):
        prepare(_ds(np.array(["1.5", "2", "x", "4"])), input_shape=(3,), task="regression")
    with pytest.raises(DataError, match=r"y_train\[2\] holds NaN or infinity"):
        prepare(_ds([1.0, 2.0, np.nan, 4.0]), input_shape=(3,), task="regression")
    with pytest.raises(DataError, match=r"target has shape \[2, 3\], but the model outputs \[4\]"):
        prepare(_ds(vectors), input_shape=(3,), task="regression", output_shape=(4,))


def test_prepare_classification_is_unchanged_by_the_task_arguments(sample_npz: Path) -> None:
    ds = load_dataset("mnist", path=sample_npz)
    plain = prepare(ds, input_shape=(784,), labels="one_hot")
    tasked = prepare(ds, input_shape=(784,), labels="one_hot", task="classification", output_shape=(10,))
    np.testing.assert_array_equal(plain.y_train, tasked.y_train)
    assert plain.y_train.shape == (4000, 10) and plain.num_classes == tasked.num_classes == 10
    with pytest.raises(ValueError, match="task must be one of"):
        prepare(ds, input_shape=(784,), task="segmentation")


# --------------------------------------------------------------------------- load_dataset, per task


def test_load_dataset_regression_and_multi_label_targets_are_not_class_ids(tmp_path: Path) -> None:
    path = tmp_path / "numbers.npz"
    x = np.zeros((5, 2), dtype=np.float32)
    np.savez(path, x_train=x, y_train=np.linspace(-1, 1, 5), x_test=x, y_test=np.linspace(-1, 1, 5))
    with pytest.raises(DataError, match="labels must be integer class ids"):
        load_dataset(path)  # classification, the default
    ds = load_dataset(path, task="regression")
    assert ds.num_classes == 0 and ds.y_train.dtype == np.float64
    with pytest.raises(DataError, match=r"shape \(5,\); a multi-label target"):
        load_dataset(path, task="multi_label")


def test_load_dataset_array_names_and_reconstruction_without_targets(tmp_path: Path) -> None:
    path = tmp_path / "named.npz"
    x = np.arange(40, dtype=np.uint8).reshape(10, 4)
    np.savez(path, features=x, targets=np.arange(10.0), features_test=x[:4], targets_test=np.arange(4.0))
    names = {"x_train": "features", "y_train": "targets", "x_test": "features_test", "y_test": "targets_test"}
    ds = load_dataset(path, task="regression", arrays=names)
    assert ds.x_train.shape == (10, 4) and ds.y_test.tolist() == [0.0, 1.0, 2.0, 3.0]
    with pytest.raises(DataError, match=r"missing array\(s\) x_train, y_train, x_test, y_test; it has features"):
        load_dataset(path, task="regression")
    with pytest.raises(DataError, match=r"missing array\(s\) labels \(data\.arrays\.y_train\)"):
        load_dataset(path, task="regression", arrays=dict(names, y_train="labels"))
    # An autoencoder needs only inputs: the file may hold no targets at all.
    only_x = tmp_path / "inputs.npz"
    np.savez(only_x, x_train=x, x_test=x[:4])
    ae = load_dataset(only_x, task="reconstruction")
    assert ae.y_train is ae.x_train and ae.num_classes == 0
    out = prepare(ae, input_shape=(2, 2), task="reconstruction")
    assert out.y_train is out.x_train and out.x_train.shape == (10, 2, 2)
