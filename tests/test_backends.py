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


def _env(backend: str) -> dict[str, str]:
    return {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}


@pytest.mark.keras
@pytest.mark.slow
@pytest.mark.parametrize("backend", list(BACKEND_MODULES))
def test_every_example_builds_with_static_shapes_and_counts(backend: str) -> None:
    if importlib.util.find_spec(BACKEND_MODULES[backend]) is None or importlib.util.find_spec("keras") is None:
        pytest.skip(f"{backend} is not installed (make test installs it)")
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
    if importlib.util.find_spec(backend) is None:
        pytest.skip(f"{backend} is not installed (make test installs it)")
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
