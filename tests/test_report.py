"""report.html: a self-contained page of a run, rebuilt from the run directory."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from kerasspec.cli import main
from kerasspec.report import render

ROOT = Path(__file__).resolve().parent.parent
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    run = tmp_path / "mnist_convnet-20260101-000000"
    run.mkdir()
    (run / "metrics.json").write_text(json.dumps({
        "test": {"loss": 0.1234, "accuracy": 0.9712}, "test_examples": 1000, "train_examples": 4000,
        "data_source": "embedded MNIST sample (5,000 digits)", "embedded_sample": True, "epochs": 2,
    }))
    (run / "history.json").write_text(json.dumps({"loss": [0.9, 0.4], "accuracy": [0.7, 0.9], "val_loss": [0.5, 0.3]}))
    (run / "spec.yaml").write_text((ROOT / "examples" / "keras_io_mnist_convnet.yaml").read_text())
    (run / "training.png").write_bytes(PNG)
    return run


def test_report_shows_metrics_history_pictures_model_and_spec(run_dir: Path) -> None:
    html = render(run_dir)
    assert "<td>0.9712</td>" in html and "2 epochs" in html
    assert "embedded 5,000-digit MNIST sample" in html
    assert html.count("data:image/png;base64,") == 1  # the confusion matrix is absent here
    assert "<th>val_loss</th>" in html and "<td>0.3000</td>" in html
    assert "conv2d (Conv2D)" in html and "34,826" in html
    assert "kernel_size: [3, 3]" in html


def test_report_escapes_user_text(run_dir: Path) -> None:
    (run_dir / "spec.yaml").write_text("name: <script>alert(1)</script>\nlayers: []\n")
    html = render(run_dir)
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_cli_report(run_dir: Path, tmp_path: Path) -> None:
    assert main(["report", str(run_dir)]) == 0
    assert (run_dir / "report.html").read_text().startswith("<!doctype html>")
    assert main(["report", str(tmp_path / "nowhere")]) == 2
