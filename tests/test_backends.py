"""Every example builds on TensorFlow, JAX and PyTorch with the static summary's shapes and counts.

Keras fixes its backend when it is imported, so each backend runs in its own process.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BACKEND_MODULES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}

SCRIPT = r"""
import glob, json, keras, kerasspec
out = {"backend": keras.backend.backend(), "examples": {}}
for path in sorted(glob.glob("examples/*.yaml") + glob.glob("examples/*.json")):
    model = kerasspec.build_model(path)
    summary = kerasspec.summarize(path)
    out["examples"][path] = {
        "keras": [[layer.name, list(layer.output.shape), layer.count_params()] for layer in model.layers],
        "static": [[l.name, list(l.output_shape), l.params] for l in summary.layers],
    }
print(json.dumps(out))
"""


#: Every layer definition's build case (tests/cases/ and test_build.LAYER_CASES), built alone.
LAYERS_SCRIPT = r"""
import json, math, sys
sys.path.insert(0, "tests")
import keras
import cases, test_build
from kerasspec.analysis import infer
from kerasspec.layers import all_classes
out = {"backend": keras.backend.backend(), "layers": {}}
build = {cls.__name__: case for cls, case in test_build.LAYER_CASES.items()}
build.update(cases.build_cases())
for cls in all_classes():
    if cls.__name__ not in build or cls.TYPES[0] == "Input":
        continue
    required, sample = build[cls.__name__]
    layer = cls.model_validate({"type": cls.TYPES[0], **required})
    shape = (None, *sample)
    try:
        built = layer.to_keras(keras, "the_layer")
        model = keras.Sequential([keras.Input(shape=tuple(sample)), built])
        got = [list(model.layers[-1].output.shape), sum(math.prod(w.shape) for w in built.weights)]
    except Exception as exc:
        got = f"{type(exc).__name__}: {exc}"[:300]
    static, trainable, non_trainable = infer(layer, shape)
    out["layers"][cls.__name__] = {"keras": got, "static": [list(static), trainable + non_trainable]}
print(json.dumps(out))
"""


def _env(backend: str) -> dict[str, str]:
    return {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}


def _require(module: str) -> None:
    if importlib.util.find_spec(module) is None or importlib.util.find_spec("keras") is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{module} is not installed, but CI installs every backend (make test)")
        pytest.skip(f"{module} is not installed (make test installs it)")


@pytest.mark.keras
@pytest.mark.slow
@pytest.mark.parametrize("backend", list(BACKEND_MODULES))
def test_every_example_builds_with_static_shapes_and_counts(backend: str) -> None:
    _require(BACKEND_MODULES[backend])
    proc = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=_env(backend), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["backend"] == backend
    assert len(result["examples"]) >= 10
    for path, got in result["examples"].items():
        assert got["keras"] == got["static"], path


@pytest.mark.keras
@pytest.mark.slow
@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_cli_build_and_train_take_backend(backend: str, tmp_path: Path) -> None:
    _require(backend)
    env = _env("tensorflow")  # the flag must win over the environment
    cmd = [sys.executable, "-m", "kerasspec"]
    built = subprocess.run([*cmd, "build", "examples/mnist_mlp.yaml", "-o", str(tmp_path / "m.keras"), "--backend", backend],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    trained = subprocess.run([*cmd, "train", "examples/mnist_mlp.yaml", "--backend", backend, "--epochs", "1", "--limit", "256",
                              "--seed", "1", "--run-dir", str(tmp_path / "run"), "--quiet"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert trained.returncode == 0, trained.stderr[-3000:]
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert 0.0 <= metrics["test"]["accuracy"] <= 1.0


@pytest.mark.keras
@pytest.mark.slow
@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_every_layer_kind_builds_with_static_shapes_and_counts(backend: str) -> None:
    """The catalogue is not TensorFlow's only: each definition builds on JAX and PyTorch to its static shape."""
    _require(backend)
    proc = subprocess.run([sys.executable, "-c", LAYERS_SCRIPT], cwd=ROOT, env=_env(backend), capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["backend"] == backend
    assert len(result["layers"]) >= 100
    differ = {name: got for name, got in result["layers"].items() if got["keras"] != got["static"]}
    assert not differ, differ
