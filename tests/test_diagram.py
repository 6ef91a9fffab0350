"""`summary --plot`: the layer stack as a picture."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import kerasspec
from kerasspec.cli import main
from kerasspec.diagram import render_svg

ROOT = Path(__file__).resolve().parent.parent
CONVNET = ROOT / "examples" / "keras_io_mnist_convnet.yaml"


def test_svg_has_a_box_per_layer_with_shapes_and_params() -> None:
    summary = kerasspec.summarize(CONVNET)
    root = ET.fromstring(render_svg(summary))
    rects = [e for e in root.iter() if e.tag.endswith("rect")]
    assert len(rects) == len(summary.layers) + 1  # the input, then each layer
    texts = " ".join(e.text or "" for e in root.iter() if e.tag.endswith("text"))
    assert "conv2d (Conv2D)  (None, 26, 26, 32)  320 params" in texts
    assert "34,826 parameters" in texts


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_cli_plot_writes_the_picture(tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    if suffix == ".png":
        pytest.importorskip("matplotlib")
    target = tmp_path / f"model{suffix}"
    assert main(["summary", str(CONVNET), "--plot", str(target)]) == 0
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == ".png" else data.startswith(b"<svg")
    assert "Total params: 34,826" in capsys.readouterr().out


def test_cli_plot_unknown_format_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", str(CONVNET), "--plot", str(tmp_path / "model.gif")]) == 2
    assert "use .png, .pdf or .svg" in capsys.readouterr().err
