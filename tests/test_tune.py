"""``kerasspec tune``: KerasTuner over a spec's space, with no invalid candidate ever built.

Fast tests drive the oracles without training (every candidate they hand out must pass the
static check) and compare the spaces' values with KerasTuner's. The slow ones tune on the
embedded MNIST sample (a few hundred digits, one epoch): the run directory, best.yaml
training to the reported score, resume after a kill, and a chief with two workers.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import kerasspec
from kerasspec import api, semantics
from kerasspec import space as SP
from kerasspec import tune as T
from kerasspec.data import load_sample

# KerasTuner imports Keras and TensorFlow: every test here is out of `make test-fast`.
pytestmark = [pytest.mark.keras, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 240

#: A space where most candidates are invalid: kernels that leave 2x2 or 1x1 maps, pooled by 4 or 8.
PRUNED = """\
name: pruned_space
input_shape: [28, 28, 1]
layers:
  - type: Conv2D
    filters: 2
    kernel_size: {choice: [3, 26, 27, 28]}
    activation: relu
  - type: MaxPooling2D
    pool_size: {choice: [2, 4, 8]}
  - type: Flatten
  - type: Dense
    units: 10
    activation: softmax
compile:
  optimizer: {type: Adam, learning_rate: {float: [0.001, 0.01], sampling: log}}
  loss: sparse_categorical_crossentropy
  metrics: [accuracy]
fit:
  epochs: 1
  batch_size: 64
  validation_split: 0.25
data:
  dataset: mnist
tune:
  max_trials: MAX_TRIALS
  seed: 7
"""


def pruned_spec(tmp: Path, max_trials: int = 2, name: str = "space.yaml") -> Path:
    path = tmp / name
    path.write_text(PRUNED.replace("MAX_TRIALS", str(max_trials)))
    return path


@pytest.fixture(scope="module")
def sample_npz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded MNIST sample as an mnist.npz-style file (no download is ever tried)."""
    ds = load_sample()
    path = tmp_path_factory.mktemp("data") / "mnist_sample.npz"
    np.savez(path, x_train=ds.x_train, y_train=ds.y_train, x_test=ds.x_test, y_test=ds.y_test)
    return path


def env(tmp: Path, **extra: str) -> dict[str, str]:
    out = dict(os.environ)
    out.update(
        TF_CPP_MIN_LOG_LEVEL="3",
        KERAS_HOME=str(tmp / "keras_home"),
        KERASSPEC_MNIST_ORIGIN="file:///nonexistent/mnist.npz",
        PYTHONPATH=str(ROOT) + os.pathsep + out.get("PYTHONPATH", ""),
    )
    out.update(extra)
    return out


def tune_command(spec: Path, run_dir: Path, data: Path, *more: str) -> list[str]:
    return [sys.executable, "-m", "kerasspec", "tune", str(spec), "--run-dir", str(run_dir), "--data", str(data),
            "--limit", str(LIMIT), "--quiet", *more]


def statically_valid(spec: Path, values: dict[str, Any]) -> bool:
    doc = api.read(spec)
    return not [d for d in SP.check_values(doc, values, api.Options()) if d.severity.value == "error"]


# --------------------------------------------------------------------------- KerasTuner's values


@pytest.mark.parametrize(
    "node",
    [
        {"int": [16, 64], "step": 16}, {"int": [16, 70], "step": 16}, {"int": [1, 6]},
        {"int": [2, 64], "step": 2, "sampling": "log"}, {"int": [3, 90], "step": 3, "sampling": "reverse_log"},
        {"float": [0.2, 0.5], "step": 0.15}, {"float": [0.1, 1.0], "step": 0.1},
        {"float": [0.001, 0.1], "step": 10, "sampling": "log"}, {"boolean": True},
        {"choice": [32, 64]}, {"choice": ["relu", "tanh"]}, {"choice": [3, [5, 5]]}, {"choice": [None, 0.5]},
    ],
    ids=lambda n: json.dumps(n),
)
def test_space_values_are_keras_tuners(node: dict[str, Any]) -> None:
    kt = T.import_keras_tuner()
    doc = kerasspec.loader.from_object({"layers": [{"type": "Dense", "units": node}]})
    (space,), problems = SP.find_spaces(doc)
    assert not problems
    hp = kt.HyperParameters()
    T.declare(hp, space)
    (declared,) = hp.space
    assert declared.name == space.pointer == "/layers/0/units"
    ours = [space.value(i) for i in range(space.points)]
    theirs = [space.from_hp(v) for v in declared.values]
    if isinstance(declared, kt.engine.hyperparameters.Boolean):
        theirs = sorted(theirs)
    assert theirs == ours
    # And every value KerasTuner draws is one of them.
    for seed in range(40):
        assert space.from_hp(declared.random_sample(seed)) in ours


# --------------------------------------------------------------------------- the oracles prune


def _drive(algorithm: str, tmp: Path, trials: int) -> tuple[T._Search, Any, list[dict[str, Any]]]:
    """Run an oracle without training: every trial is scored from its values; the candidates handed out."""
    kt = T.import_keras_tuner()
    spec = pruned_spec(tmp, max_trials=trials).read_text().replace("algorithm: random", "")
    spec = spec.replace("tune:\n", f"tune:\n  algorithm: {algorithm}\n")
    if algorithm == "hyperband":
        spec = spec.replace("epochs: 1", "epochs: 9")  # three brackets: Hyperband's budget is fit.epochs
    (tmp / "space.yaml").write_text(spec)
    search = T._Search(tmp / "space.yaml", api.Options(), data=None, limit=None)
    oracle = T._oracle(kt, search, seed=7, max_trials=trials, log=lambda m: None)
    oracle._set_project_dir(str(tmp), "oracle")
    hp = oracle.get_space()
    for space in search.spaces:
        T.declare(hp, space)
    oracle.update_space(hp)
    handed: list[dict[str, Any]] = []
    for _ in range(trials * 3):
        trial = oracle.create_trial("tuner0")
        if trial.status == "STOPPED":
            break
        values = search.values(trial.hyperparameters.values)
        handed.append(values)
        score = 1.0 / values["/layers/0/kernel_size"] + values["/compile/optimizer/learning_rate"]
        oracle.update_trial(trial.trial_id, {"val_accuracy": score})
        trial.status = "COMPLETED"
        oracle.end_trial(trial)
    return search, oracle, handed


@pytest.mark.parametrize("algorithm", ["random", "bayesian", "hyperband"])
def test_oracles_hand_out_only_statically_valid_candidates(algorithm: str, tmp_path: Path) -> None:
    search, oracle, handed = _drive(algorithm, tmp_path, trials=14)
    assert handed, "no trial at all"
    assert all(search.refused(v) is None for v in handed)
    assert all(statically_valid(tmp_path / "space.yaml", v) for v in handed)
    assert oracle.kerasspec_pruned, "this space is mostly invalid: some candidates must have been refused"
    for pruned in oracle.kerasspec_pruned:
        assert not statically_valid(tmp_path / "space.yaml", pruned["values"])
        assert pruned["reason"].startswith("KS303")


def test_the_hypermodel_refuses_to_build_an_invalid_candidate(tmp_path: Path) -> None:
    kt = T.import_keras_tuner()
    search = T._Search(pruned_spec(tmp_path), api.Options(), data=None, limit=None)
    model = T.SpecHyperModel(search)
    hp = kt.HyperParameters()
    model.declare_hyperparameters(hp)
    assert [h.name for h in hp.space] == ["/layers/0/kernel_size", "/layers/1/pool_size", "/compile/optimizer/learning_rate"]
    hp.values.update({"/layers/0/kernel_size": 28, "/layers/1/pool_size": 2})
    with pytest.raises(kt.errors.FailedTrialError, match="never built: KS303"):
        model.build(hp)
    hp.values.update({"/layers/0/kernel_size": 3})
    built = model.build(hp)
    assert built.count_params() == kerasspec.summarize(search.plain(search.values(hp.values))).total_params


def test_tune_refuses_a_spec_without_spaces_or_with_errors(tmp_path: Path) -> None:
    with pytest.raises(T.TuneError, match="no search space"):
        T.tune(ROOT / "examples" / "mnist_mlp.yaml", run_dir=tmp_path / "a")
    bad = tmp_path / "bad.yaml"
    bad.write_text(PRUNED.replace("MAX_TRIALS", "2").replace("units: 10", "units: {choice: [10, 0]}"))
    with pytest.raises(kerasspec.SpecError, match="KS205"):
        T.tune(bad, run_dir=tmp_path / "b")


# --------------------------------------------------------------------------- searching


def _trained_candidates(run_dir: Path) -> list[dict[str, Any]]:
    out = []
    for trial in sorted((run_dir / "tuner").glob("trial_*/trial.json")):
        if (trial.parent / "run").exists():
            out.append(json.loads(trial.read_text())["hyperparameters"]["values"])
    return out


@pytest.mark.slow
def test_tune_prunes_writes_the_run_directory_and_best_yaml_trains_to_its_score(
    tmp_path: Path, sample_npz: Path
) -> None:
    spec = pruned_spec(tmp_path, max_trials=2)
    run_dir = tmp_path / "run"
    proc = subprocess.run(tune_command(spec, run_dir, sample_npz), cwd=tmp_path, env=env(tmp_path),
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-4000:]
    state = json.loads((run_dir / "tune.json").read_text())
    assert state["finished"] and state["counts"]["completed"] == 2 and state["counts"]["failed"] == 0
    assert state["counts"]["pruned"] == len(state["pruned"]) > 0
    assert "refused by the static check and never built" in proc.stderr
    # No trial ever built an invalid candidate: each trained one passes the static check.
    trained = _trained_candidates(run_dir)
    assert len(trained) == 2
    assert all(statically_valid(spec, {k: v for k, v in t.items() if k.startswith("/")}) for t in trained)
    for name in ("trials.csv", "trials.json", "trials.png", "best.yaml", "spec.yaml", "tuner/oracle.json"):
        assert (run_dir / name).is_file(), name
    rows = json.loads((run_dir / "trials.json").read_text())["trials"]
    assert [r["status"] for r in rows] == ["COMPLETED", "COMPLETED"]
    assert (run_dir / "trials.csv").read_text().splitlines()[0].startswith("trial,status,/layers/0/kernel_size")

    # best.yaml is a plain spec: check passes, and train reproduces the reported score.
    best = run_dir / "best.yaml"
    assert kerasspec.check(best) == []
    assert state["best"]["reproduce"] == f"kerasspec train {best} --data {sample_npz} --limit {LIMIT}"
    again = tmp_path / "again"
    proc = subprocess.run([sys.executable, "-m", "kerasspec", "train", str(best), "--data", str(sample_npz),
                           "--limit", str(LIMIT), "--run-dir", str(again), "--quiet"],
                          cwd=tmp_path, env=env(tmp_path), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    history = json.loads((again / "history.json").read_text())
    assert max(history["val_accuracy"]) == state["best"]["score"]
    trial = run_dir / "tuner" / f"trial_{state['best']['trial']}" / "run"
    assert history == json.loads((trial / "history.json").read_text())


def _wait_for(predicate: Any, proc: subprocess.Popen[str], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc.poll() is not None:
            raise AssertionError(f"the search ended (exit {proc.returncode}) before {what}: {proc.stderr.read()[-3000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.5)


def _completed(run_dir: Path) -> int:
    done = 0
    for trial in (run_dir / "tuner").glob("trial_*/trial.json"):
        with contextlib.suppress(ValueError, OSError):  # a file being rewritten
            done += json.loads(trial.read_text())["status"] == "COMPLETED"
    return done


@pytest.mark.slow
def test_a_killed_search_resumes(tmp_path: Path, sample_npz: Path) -> None:
    spec = pruned_spec(tmp_path, max_trials=3)
    run_dir = tmp_path / "run"
    proc = subprocess.Popen(tune_command(spec, run_dir, sample_npz), cwd=tmp_path, env=env(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: _completed(run_dir) >= 1, proc, 600, "the first trial")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    first = {p.parent.parent.name: p.stat().st_mtime_ns for p in (run_dir / "tuner").glob("trial_*/run/model.keras")}
    assert first and not json.loads((run_dir / "tune.json").read_text())["finished"]
    # Without --resume an unfinished search is not overwritten.
    refused = subprocess.run(tune_command(spec, run_dir, sample_npz), cwd=tmp_path, env=env(tmp_path),
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode == 1 and "--resume" in refused.stderr
    resumed = subprocess.run(tune_command(spec, run_dir, sample_npz, "--resume"), cwd=tmp_path, env=env(tmp_path),
                             capture_output=True, text=True, timeout=900)
    assert resumed.returncode == 0, resumed.stderr[-4000:]
    state = json.loads((run_dir / "tune.json").read_text())
    assert state["finished"] and state["counts"]["completed"] == 3
    # The trials finished before the kill were not trained again.
    after = {p.parent.parent.name: p.stat().st_mtime_ns for p in (run_dir / "tuner").glob("trial_*/run/model.keras")}
    assert all(after[name] == mtime for name, mtime in first.items()), "a finished trial was trained again"
    assert len(_trained_candidates(run_dir)) == 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_a_chief_and_two_workers_on_localhost(tmp_path: Path, sample_npz: Path) -> None:
    spec = pruned_spec(tmp_path, max_trials=3)
    run_dir = tmp_path / "run"
    oracle = f"127.0.0.1:{_free_port()}"
    chief = subprocess.Popen(tune_command(spec, run_dir, sample_npz, "--chief", "--oracle", oracle), cwd=tmp_path,
                             env=env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers = [
        subprocess.Popen(tune_command(spec, run_dir, sample_npz, "--worker", f"worker{i}", "--oracle", oracle),
                         cwd=tmp_path, env=env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(2)
    ]
    try:
        outs = [w.communicate(timeout=900) for w in workers]
        chief_out = chief.communicate(timeout=300)
    finally:
        for p in (chief, *workers):
            if p.poll() is None:
                p.kill()
    for w, (_, err) in zip(workers, outs, strict=True):
        assert w.returncode == 0, err[-3000:]
    assert chief.returncode == 0, chief_out[1][-3000:]
    state = json.loads((run_dir / "tune.json").read_text())
    assert state["finished"] and state["counts"]["completed"] == 3 and state["counts"]["pruned"] > 0
    assert (run_dir / "best.yaml").is_file() and kerasspec.check(run_dir / "best.yaml") == []
    # Each worker trained, and the chief trained nothing.
    for _, err in outs:
        assert "kerasspec: training pruned_space" in err
    assert "kerasspec: training" not in chief_out[1]
    assert len(_trained_candidates(run_dir)) == 3


# --------------------------------------------------------------------------- vector metrics

#: A binary MLP with a vector metric (TruePositives at two thresholds: one count each).
VECTOR = """\
name: vector_metric
input_shape: [28, 28, 1]
layers:
  - type: Flatten
  - type: Dense
    units: {choice: [4, 8]}
    activation: relu
  - type: Dense
    units: 1
    activation: sigmoid
compile:
  optimizer: adam
  loss: binary_crossentropy
  metrics: [accuracy, {type: TruePositives, thresholds: THRESHOLDS}]
fit:
  epochs: 1
  batch_size: 64
  validation_split: 0.25
data:
  dataset: mnist
  task: binary
  positive_class: 7
tune:
  objective: OBJECTIVE
  direction: max
  max_trials: 1
  seed: 7
"""


def vector_spec(tmp: Path, objective: str = "val_accuracy", thresholds: str = "[0.3, 0.5]") -> Path:
    path = tmp / f"vector-{len(list(tmp.glob('vector-*.yaml')))}.yaml"
    path.write_text(VECTOR.replace("OBJECTIVE", objective).replace("THRESHOLDS", thresholds))
    return path


@pytest.mark.parametrize(
    "metric",
    [
        {"type": "F1Score"}, {"type": "F1Score", "average": "macro"}, {"type": "FBetaScore", "beta": 2.0},
        {"type": "FBetaScore", "average": "weighted"}, {"type": "R2Score", "class_aggregation": None}, {"type": "R2Score"},
        {"type": "TruePositives", "thresholds": [0.3, 0.5]}, {"type": "FalseNegatives", "thresholds": [0.5]},
        {"type": "TrueNegatives", "thresholds": 0.5}, {"type": "Precision", "thresholds": [0.2, 0.4, 0.6]},
        {"type": "Recall", "thresholds": [0.5]}, {"type": "AUC", "thresholds": [0.3, 0.5]}, {"type": "AUC", "multi_label": True},
        "f1_score", "f_beta_score", "r2_score", "accuracy",
    ],
    ids=json.dumps,
)
def test_vector_metrics_are_the_ones_keras_returns_a_vector_for(metric: Any) -> None:
    from kerasspec import spec as S
    from kerasspec.build import import_keras

    keras = import_keras()
    compile = S.Compile.model_validate({"loss": "binary_crossentropy", "metrics": [metric]})
    (name,) = S.metric_names(compile)
    made = keras.metrics.get(metric) if isinstance(metric, str) else compile.metrics[0].to_keras(keras)
    y = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]], dtype="float32")
    p = np.array([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7], [0.3, 0.3, 0.4]], dtype="float32")
    made.update_state(y, p)
    vector = np.ndim(np.asarray(made.result())) > 0
    assert (semantics.vector_metric(compile.metrics[0]) is not None) == vector
    for objective in (name, f"val_{name}"):
        assert (semantics.vector_objective(compile, objective) is not None) == vector


def test_trial_metrics_flatten_vectors_and_refuse_a_vector_objective() -> None:
    history = {"loss": [0.9, 0.5, 0.7], "val_accuracy": [0.6, 0.8, 0.8], "tp": [[5.0, 3.0], [6.0, 4.0], [7.0, 2.0]]}
    test = {"loss": 0.55, "tp": [9.0, 8.0]}
    metrics = T.trial_metrics(history, test, "val_accuracy", "max")
    # The best epoch is the first of the ties (KerasTuner's rule), each value taken there.
    assert metrics == {"loss": 0.5, "val_accuracy": 0.8, "tp[0]": 6.0, "tp[1]": 4.0, "test_loss": 0.55,
                       "test_tp[0]": 9.0, "test_tp[1]": 8.0, "best_epoch": 2.0}
    assert T.trial_metrics(history, test, "loss", "min")["tp[1]"] == 4.0
    with pytest.raises(ValueError, match="'tp' is not one number per epoch"):
        T.trial_metrics(history, test, "tp", "max")
    with pytest.raises(ValueError, match="did not log the objective 'val_loss'"):
        T.trial_metrics(history, test, "val_loss", "min")


def test_a_vector_objective_is_refused_before_anything_is_built(tmp_path: Path) -> None:
    spec = vector_spec(tmp_path, objective="val_true_positives")
    with pytest.raises(kerasspec.SpecError) as info:
        T.tune(spec, run_dir=tmp_path / "run", log=lambda m: None)
    (problem,) = info.value.diagnostics
    assert (problem.code, problem.path, problem.severity.value) == ("KS412", "/tune/objective", "error")
    assert problem.line == spec.read_text().splitlines().index("  objective: val_true_positives") + 1
    assert "compile.metrics[1], TruePositives with 2 thresholds" in problem.message
    assert not (tmp_path / "run").exists()
    # A space over the metric: only the candidates whose objective is a vector are refused.
    spec = vector_spec(tmp_path, objective="true_positives", thresholds="{choice: [[0.3, 0.5], [0.5]]}")
    search = T._Search(spec, api.Options(), data=None, limit=None)
    two, one = {"/layers/1/units": 4, "/compile/metrics/1/thresholds": [0.3, 0.5]}, {"/layers/1/units": 4, "/compile/metrics/1/thresholds": [0.5]}
    assert search.refused(two).startswith("KS412 /tune/objective: the tune objective 'true_positives' is not one number")
    assert search.refused(one) is None


@pytest.mark.slow
def test_a_search_with_a_vector_metric_records_one_number_per_element(tmp_path: Path, sample_npz: Path) -> None:
    result = T.tune(vector_spec(tmp_path), run_dir=tmp_path / "run", data=str(sample_npz), limit=LIMIT, log=lambda m: None)
    state = json.loads((tmp_path / "run" / "tune.json").read_text())
    assert state["counts"] == {"trials": 1, "completed": 1, "failed": 0, "pruned": 0}
    (row,) = json.loads((tmp_path / "run" / "trials.json").read_text())["trials"]
    assert row["status"] == "COMPLETED" and result.best is not None and result.best["score"] == row["score"]
    # The trial's run directory has the vectors; trials.json one number per threshold, at the best (only) epoch.
    run = tmp_path / "run" / "tuner" / f"trial_{row['trial']}" / "run"
    history = json.loads((run / "history.json").read_text())
    test = json.loads((run / "metrics.json").read_text())["test"]
    for key in ("true_positives", "val_true_positives"):
        (values,) = history[key]
        assert [row[f"{key}[0]"], row[f"{key}[1]"]] == values
        assert values[0] >= values[1]  # more predictions pass 0.3 than 0.5
    assert [row["test_true_positives[0]"], row["test_true_positives[1]"]] == test["true_positives"]
    assert "true_positives[0]" in (tmp_path / "run" / "trials.csv").read_text().splitlines()[0]
