"""The first run: what a new user meets (issue 10, items 10 and 15-21), each reproduced.

- 10: a very deep model is refused by ``check`` (KS505) before Keras recurses past
  Python's limit; the build is linear in the depth.
- 15: the README's claims (install, pre-commit, the demo's data, ``make test-fast``).
- 16: ``check DIR`` recursion, hidden folders, ``--exclude``.
- 17: usage errors before any Keras import.
- 18: no training banner in ``evaluate``, no Keras download lines offline, no TensorFlow
  log lines on the JAX and PyTorch backends.
- 19: the pictures (integer epoch ticks, boxes as wide as their text), the report's title
  and numbers.
- 21: the packaging metadata (SPDX licence) and the CPU-only torch instructions.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
import tomllib
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import kerasspec
from kerasspec import plots
from kerasspec.cli import main
from kerasspec.diagnostics import Severity
from kerasspec.layers.blocks import MAX_LAYERS, SLOW_LAYERS, layer_count

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
MLP = EXAMPLES / "mnist_mlp.yaml"
ZOO = EXAMPLES / "mnist_layer_zoo.yaml"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def deep_spec(times: int, inner: int = 1) -> dict[str, Any]:
    """A model of ``times`` x ``inner`` Dense layers written with Repeat, then a softmax head."""
    return {
        "name": "deep",
        "input_shape": [784],
        "layers": [
            {"type": "Repeat", "times": times, "layers": [{"type": "Dense", "units": 8}] * inner},
            {"type": "Dense", "units": 10, "activation": "softmax"},
        ],
        "compile": {"optimizer": "adam", "loss": "sparse_categorical_crossentropy"},
        "data": {"dataset": "mnist"},
    }


def codes(diagnostics: list[Any], code: str) -> list[Any]:
    return [d for d in diagnostics if d.code == code]


# --------------------------------------------------------------------------- 10: depth


def test_a_thousand_layers_are_refused_by_check_at_the_repeat() -> None:
    found = codes(kerasspec.check(deep_spec(1000)), "KS505")
    assert len(found) == 1 and found[0].severity is Severity.ERROR
    assert found[0].path == "/layers/0/times" and "1,001 layers" in found[0].message
    assert "RecursionError" in found[0].message


def test_the_limit_itself_passes_with_a_warning() -> None:
    spec = deep_spec(MAX_LAYERS - 1)  # + the head: exactly MAX_LAYERS
    result = kerasspec.api.run(spec)
    found = codes(result.diagnostics, "KS505")
    assert [d.severity for d in found] == [Severity.WARNING]
    assert result.ok and result.shapes is not None and len(result.shapes.layers) == MAX_LAYERS


def test_below_the_slow_threshold_there_is_no_finding() -> None:
    assert codes(kerasspec.check(deep_spec(SLOW_LAYERS - 1)), "KS505") == []


def test_nested_repeats_are_counted_not_expanded() -> None:
    spec = deep_spec(10_000)
    spec["layers"][0]["layers"] = [{"type": "Repeat", "times": 10_000, "layers": [{"type": "Dense", "units": 8}]}]
    tracemalloc.start()
    try:
        found = codes(kerasspec.check(spec), "KS505")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20  # 10^8 layers were never written out (a reference each is 800 MB)
    assert len(found) == 1 and "100,000,001 layers" in found[0].message


def test_a_nested_block_is_its_own_graph() -> None:
    block = {"type": "Sequential", "layers": [{"type": "Repeat", "times": 100, "layers": [{"type": "Dense", "units": 8}]}]}
    spec = deep_spec(1)
    spec["layers"][0] = {"type": "Repeat", "times": 10, "layers": [block]}  # 1,000 Dense layers in 10 blocks
    assert codes(kerasspec.check(spec), "KS505") == []
    block["layers"][0]["times"] = MAX_LAYERS + 1
    spec["layers"][0] = block
    found = codes(kerasspec.check(spec), "KS505")
    assert len(found) == 1 and found[0].path == "/layers/0/layers/0/times"
    assert found[0].message.startswith("this nested block has")


def test_layer_count_counts_what_expand_writes_out() -> None:
    from kerasspec.layers.blocks import expand

    spec = kerasspec.load_spec(deep_spec(7, inner=3))
    written = [layer for layer, _, _ in expand(list(spec.layers)) if layer.kind != "Input"]
    assert layer_count(spec.layers) == len(written) == 22


def test_a_repeat_inside_a_nested_block_is_written_out_there() -> None:
    # It crashed the analysis ("Repeat is expanded before analysis"); errors point at the layer as written.
    block = {"type": "Sequential", "layers": [{"type": "Repeat", "times": 3, "layers": [{"type": "Dense", "units": 2}]}]}
    spec = {"name": "b", "input_shape": [4], "layers": [block]}
    summary = kerasspec.summarize(spec)
    assert summary.total_params == (4 * 2 + 2) + 2 * (2 * 2 + 2)
    block["layers"][0]["layers"][0] = {"type": "Conv2D", "filters": 2, "kernel_size": 3}
    assert [(d.code, d.path) for d in kerasspec.check(spec)] == [("KS302", "/layers/0/layers/0/layers/0")]


@pytest.mark.keras
@pytest.mark.slow
def test_a_repeat_inside_a_nested_block_builds_as_keras_counts_it() -> None:
    pytest.importorskip("keras")
    block = {"type": "Sequential", "name": "stack",
             "layers": [{"type": "Repeat", "times": 3, "layers": [{"type": "Dense", "units": 2}, {"type": "Dropout", "rate": 0.1}]}]}  # fmt: skip
    spec = {"name": "b", "input_shape": [4], "layers": [block, {"type": "Dense", "units": 1}]}
    model = kerasspec.build_model(spec)
    summary = kerasspec.summarize(spec)
    assert len(model.layers[0].layers) == 6 and model.count_params() == summary.total_params
    assert [tuple(layer.output.shape) for layer in model.layers] == [s.output_shape for s in summary.layers]


@pytest.mark.keras
@pytest.mark.slow
def test_keras_fails_near_a_thousand_layers_and_kerasspec_builds_the_limit() -> None:
    """The oracle of KS505: Keras's own RecursionError, and a linear build up to the limit."""
    keras = pytest.importorskip("keras")
    assert sys.getrecursionlimit() == 1000  # Python's default: what a user's process has
    with pytest.raises(RecursionError):
        keras.Sequential([keras.Input((4,)), *(keras.layers.Dense(2) for _ in range(1000))])
    # model.add rebuilt the graph after each layer (1,000 layers took 5 minutes to fail): the
    # model is made from one list, which Keras adds without a rebuild each (`rebuild=False`).
    add = keras.Sequential.add
    rebuilds: list[bool] = []

    def recording_add(self: Any, layer: Any, rebuild: bool = True) -> Any:
        rebuilds.append(rebuild)
        return add(self, layer, rebuild=rebuild)

    keras.Sequential.add = recording_add  # type: ignore[method-assign]
    try:
        model = kerasspec.build_model(deep_spec(MAX_LAYERS - 1))
    finally:
        keras.Sequential.add = add  # type: ignore[method-assign]
    assert len(model.layers) == MAX_LAYERS
    assert len(rebuilds) >= MAX_LAYERS and not any(rebuilds)


# --------------------------------------------------------------------------- 15: the README


def test_readme_installs_from_the_repository_not_pypi() -> None:
    # kerasspec is not on PyPI and the repository has no release tag.
    from_pypi = r"pip install ['\"]?kerasspec(\[[^\]]*\])?['\"]?(?!\s*@)(\s|`|$)"  # `kerasspec @ git+...` is not PyPI
    assert not re.search(from_pypi, README), "kerasspec is not on PyPI"
    assert "rev: v0.1.0" not in README
    assert "pip install -e '.[tf-cpu]'" in README or 'pip install -e ".[tf-cpu]"' in README
    # The other pages say what the README says (docs/editors.md and docs/tuning.md once gave PyPI commands).
    for page in sorted((ROOT / "docs").glob("*.md")):
        found = re.search(from_pypi, page.read_text(encoding="utf-8"))
        assert found is None, f"{page.name}: {found.group(0) if found else ''!r}: kerasspec is not on PyPI"
    for extra in ("lsp", "tune"):
        assert f"pip install -e '.[{extra}]'" in (ROOT / "docs" / ("editors.md" if extra == "lsp" else "tuning.md")).read_text()


def test_readme_states_what_the_demo_trains_on_and_how_long_test_fast_takes() -> None:
    assert "(seconds)" not in README
    assert re.search(r"`make test-fast` runs.{0,200}?(\d+ s\b|minutes)", README, re.DOTALL)
    demo = next(line for line in README.splitlines() if line.startswith("make demo"))
    assert "offline" in demo or "embedded" not in demo


# --------------------------------------------------------------------------- 16: check DIR


def _bad(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("name: bad\ninput_shape: [4]\nlayers:\n  - type: Dense\n    unitz: 3\n")
    return path


def _good(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("name: good\ninput_shape: [4]\nlayers:\n  - type: Dense\n    units: 3\n")
    return path


def test_check_examples_recurses_into_invalid_unless_excluded(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["check", "--format", "json", "examples"]) == 1
    files = {d["file"] for d in json.loads(capsys.readouterr().out)}
    assert any(f.startswith("examples/invalid/") for f in files)
    assert main(["check", "--format", "json", "examples", "--exclude", "invalid"]) == 0
    assert not any(d["severity"] == "error" for d in json.loads(capsys.readouterr().out))
    assert main(["check", "examples", "--exclude", "examples/invalid/"]) == 0


def test_exclude_globs_match_names_and_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _good(tmp_path / "a.yaml")
    _bad(tmp_path / "drafts" / "b.yaml")
    _bad(tmp_path / "c.json")
    assert main(["check", str(tmp_path)]) == 1
    assert main(["check", str(tmp_path), "--exclude", "drafts", "--exclude", "*.json"]) == 0
    assert main(["check", str(tmp_path), "--exclude", f"{tmp_path}/drafts/*", "--exclude", "c.*"]) == 0
    # Named files are left out too (pre-commit's `exclude` does the same); nothing left is a usage error.
    assert main(["check", str(tmp_path / "c.json"), "--exclude", "*.json"]) == 2
    assert "--exclude left some out" in capsys.readouterr().err


def test_hidden_folders_are_skipped_unless_named(tmp_path: Path) -> None:
    _good(tmp_path / "model.yaml")
    hidden = _bad(tmp_path / ".venv" / "lib" / "package.json")
    _bad(tmp_path / ".draft.yaml")
    assert main(["check", str(tmp_path)]) == 0
    assert main(["check", str(hidden)]) == 1


def test_a_link_loop_does_not_make_the_search_endless(tmp_path: Path) -> None:
    _good(tmp_path / "model.yaml")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert main(["check", str(tmp_path)]) == 0


def test_check_help_says_how_folders_are_searched(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "recursively" in text and "--exclude PATTERN" in text and "hidden" in text


# --------------------------------------------------------------------------- 17: usage errors first


@pytest.fixture
def poisoned(tmp_path: Path) -> dict[str, str]:
    """An environment in which importing Keras or any backend exits the process with status 97."""
    root = tmp_path / "poison"
    for module in ("keras", "tensorflow", "jax", "torch"):
        (root / module).mkdir(parents=True)
        (root / module / "__init__.py").write_text(
            f"import sys\nsys.stderr.write('POISON: {module} imported\\n')\nraise SystemExit(97)\n"
        )
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(ROOT)]), "TF_CPP_MIN_LOG_LEVEL": "3"}


def _kerasspec(args: list[str], env: dict[str, str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kerasspec", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=timeout)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["train", str(MLP), "--resume"], 2, "--resume needs --run-dir"),
        (["train", str(MLP), "--run-dir", "empty-run", "--resume"], 1, "has no state.json"),
        (["predict", "model.keras", "missing.png"], 2, "missing.png"),
        (["predict", "missing.keras", "digit.npy"], 2, "missing.keras"),
        (["build", str(MLP), "-o", "model.h5"], 2, "must end in .keras"),
        (["build", str(MLP), "-o", "no-such-folder/model.keras"], 2, "no folder"),
        (["evaluate", "no-such-run"], 2, "no-such-run"),
        (["tune", str(MLP), "--resume"], 2, "need --run-dir"),
        # A missing --data file is said before the model is loaded (Keras takes ten seconds to import).
        (["evaluate", "model.keras", "--data", "missing.npz"], 1, "missing.npz: no such file"),
        (["evaluate", "model.keras", "--data", "missing-idx/"], 1, "missing-idx: no such file"),
        (["train", str(MLP), "--data", "missing.npz", "--run-dir", "run"], 1, "missing.npz: no such file"),
        (["predict", "model.keras", "digit.npy", "-o", "out.txt"], 2, "out.txt: --output writes an .npy"),
        (["predict", "model.keras", "digit.npy", "-o", "no-such-folder/out.npy"], 2, "no-such-folder"),
    ],
)
def test_usage_errors_come_before_keras_is_imported(
    args: list[str], code: int, message: str, poisoned: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "empty-run").mkdir()
    (tmp_path / "model.keras").write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip: never opened here
    import numpy as np

    np.save(tmp_path / "digit.npy", np.zeros((28, 28), dtype=np.uint8))
    proc = _kerasspec(args, poisoned, tmp_path)
    assert "POISON" not in proc.stderr, proc.stderr  # Keras was never imported
    assert proc.returncode == code, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "run").exists()  # nothing written before the data is known to exist



# --------------------------------------------------------------------------- 18: quiet output


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens there once it is closed


@pytest.fixture
def keras_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in ("KERASSPEC_MNIST_ORIGIN", "KERASSPEC_MNIST_SHA256"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    return tmp_path / "keras_home"


# `serve` (an HTTP server on 127.0.0.1 for the given files) is in conftest.py.


def test_offline_falls_back_without_keras_download_lines(keras_home: Path, capfd: pytest.CaptureFixture[str]) -> None:
    from kerasspec.data import load_dataset

    warned: list[str] = []
    ds = load_dataset("mnist", origin=f"http://127.0.0.1:{_closed_port()}/mnist.npz", warn=warned.append)
    out, err = capfd.readouterr()
    assert ds.is_sample and len(warned) == 1 and "refused" in warned[0].lower()
    assert "Downloading data from" not in out + err
    assert not (keras_home / "datasets" / "mnist.npz").exists()


def test_a_missing_file_on_the_server_falls_back_without_keras_lines(
    keras_home: Path, serve: Callable[[dict[str, bytes]], str], capfd: pytest.CaptureFixture[str]
) -> None:
    from kerasspec.data import load_dataset

    warned: list[str] = []
    ds = load_dataset("mnist", origin=serve({}) + "mnist.npz", warn=warned.append)
    out, err = capfd.readouterr()
    assert ds.is_sample and "404" in warned[0] and "Downloading data from" not in out + err


def test_offline_fallback_never_imports_keras(poisoned: dict[str, str], tmp_path: Path) -> None:
    script = ("from kerasspec.data import load_dataset\n"
              f"ds = load_dataset('mnist', origin='http://127.0.0.1:{_closed_port()}/mnist.npz', warn=print)\n"
              "assert ds.is_sample\n")  # fmt: skip
    env = {**poisoned, "KERAS_HOME": str(tmp_path / "home"), "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0 and "POISON" not in proc.stderr, proc.stderr
    assert "EMBEDDED MNIST SAMPLE" in proc.stdout


def test_the_evaluate_fallback_says_evaluating_not_training(keras_home: Path) -> None:
    from kerasspec.data import load_dataset

    warned: list[str] = []
    load_dataset("mnist", allow_download=False, warn=warned.append, purpose="evaluating")
    assert "evaluating on the 1,000 test digits" in warned[0] and "training" not in warned[0]
    load_dataset("mnist", allow_download=False, warn=warned.append)
    assert "is training on its built-in sample" in warned[1]


@pytest.mark.keras
@pytest.mark.slow
def test_evaluate_offline_prints_no_training_banner_and_no_download_lines(tmp_path: Path) -> None:
    pytest.importorskip("keras")
    env = {**os.environ, "KERAS_HOME": str(tmp_path / "home"), "TF_CPP_MIN_LOG_LEVEL": "3",
           "KERASSPEC_MNIST_ORIGIN": f"http://127.0.0.1:{_closed_port()}/mnist.npz",
           "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1", "PYTHONPATH": str(ROOT)}  # fmt: skip
    model = tmp_path / "mlp.keras"
    assert _kerasspec(["build", str(MLP), "-o", str(model)], env, tmp_path).returncode == 0
    proc = _kerasspec(["evaluate", str(model)], env, tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "evaluating on the 1,000 test digits" in proc.stderr
    assert "training" not in proc.stderr and "Downloading data from" not in proc.stderr + proc.stdout
    assert "test split (1,000 examples)" in proc.stdout


@pytest.mark.keras
@pytest.mark.slow
@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_other_backends_print_no_tensorflow_log_lines(backend: str, tmp_path: Path) -> None:
    if importlib.util.find_spec(backend) is None or importlib.util.find_spec("tensorflow") is None:
        pytest.skip(f"needs {backend} and TensorFlow (make test installs both)")
    import numpy as np

    from kerasspec.data import load_sample

    ds = load_sample()
    sample_npz = tmp_path / "mnist_sample.npz"
    np.savez(sample_npz, x_train=ds.x_train, y_train=ds.y_train, x_test=ds.x_test, y_test=ds.y_test)
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "KERAS_BACKEND")}
    env["PYTHONPATH"] = str(ROOT)
    # Training seeds (set_random_seed), saves checkpoints and the model: each imports TensorFlow.
    proc = _kerasspec(["train", str(MLP), "--run-dir", str(tmp_path / "run"), "--backend", backend, "--epochs", "1",
                       "--limit", "256", "--seed", "1", "--quiet", "--data", str(sample_npz)], env, tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    # Saving imports TensorFlow on every backend; its native start-up lines must stay hidden.
    for noise in ("oneDNN", "absl::InitializeLog", "cpu_feature_guard", "port.cc"):
        assert noise not in proc.stderr, proc.stderr


# --------------------------------------------------------------------------- 19: pictures and the report


@pytest.fixture
def figures(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """The matplotlib figures the pictures would save, kept open for inspection."""
    pytest.importorskip("matplotlib")
    kept: list[Any] = []
    monkeypatch.setattr(plots, "save", lambda fig, target, **kw: kept.append(fig) or Path(target))
    yield kept
    for fig in kept:
        plots.pyplot().close(fig)


def test_one_epoch_has_one_integer_tick(figures: list[Any], tmp_path: Path) -> None:
    plots.training_curves({"loss": [0.5], "val_loss": [0.4], "accuracy": [0.8]}, tmp_path / "t.png")
    for ax in figures[0].axes:
        assert list(ax.get_xticks()) == [1.0]
        lo, hi = ax.get_xlim()
        assert lo < 1 < hi


def test_many_epochs_have_integer_ticks(figures: list[Any], tmp_path: Path) -> None:
    plots.training_curves({"loss": [1.0 / (i + 1) for i in range(40)]}, tmp_path / "t.png")
    ticks = [t for t in figures[0].axes[0].get_xticks() if 1 <= t <= 40]
    assert ticks and all(float(t).is_integer() for t in ticks)


def test_confusion_matrix_counts_have_thousands_separators(figures: list[Any], tmp_path: Path) -> None:
    plots.confusion_matrix([0] * 1200 + [1] * 3, [0] * 1200 + [1] * 3, 2, tmp_path / "c.png")
    texts = {t.get_text() for t in figures[0].axes[0].texts}
    assert "1,200" in texts and "1200" not in texts


def test_layer_stack_boxes_hold_their_text(figures: list[Any], tmp_path: Path) -> None:
    from kerasspec.diagram import plot

    plot(kerasspec.summarize(ZOO), tmp_path / "zoo.png")
    fig = figures[0]
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    axes_box = ax.get_window_extent(renderer)
    boxes = sorted((p.get_window_extent(renderer) for p in ax.patches), key=lambda b: -b.y0)
    texts = sorted((t.get_window_extent(renderer) for t in ax.texts), key=lambda b: -b.y0)
    assert len(boxes) == len(texts) == 1 + len(kerasspec.summarize(ZOO).layers)
    for box, text in zip(boxes, texts, strict=True):
        assert box.x0 >= axes_box.x0 - 0.5 and box.x1 <= axes_box.x1 + 0.5  # not clipped
        assert box.x0 < text.x0 and text.x1 < box.x1, (box, text)  # UpSampling2D, Cropping2D included


def test_layer_stack_svg_boxes_hold_their_text() -> None:
    from kerasspec.diagram import _SVG_ADVANCE, _SVG_FONT_PX, render_svg

    root = ET.fromstring(render_svg(kerasspec.summarize(ZOO)))
    width = float(root.get("width") or 0)
    rects = [e for e in root.iter() if e.tag.endswith("rect")]
    texts = [e for e in root.iter() if e.tag.endswith("text")][1:]  # the first is the title
    for rect, text in zip(rects, texts, strict=True):
        x, w = float(rect.get("x") or 0), float(rect.get("width") or 0)
        assert x >= 0 and x + w <= width
        assert w >= len(text.text or "") * _SVG_FONT_PX * _SVG_ADVANCE


def _run_dir(tmp_path: Path, name: str = "run-20240601-120000") -> Path:
    run = tmp_path / name
    run.mkdir()
    (run / "spec.yaml").write_text((EXAMPLES / "mnist_mlp.yaml").read_text())
    (run / "metrics.json").write_text(json.dumps({
        "test": {"loss": 0.3, "accuracy": 0.9}, "train_examples": 4000, "test_examples": 1000,
        "data_source": "embedded MNIST sample (5,000 digits)", "embedded_sample": True, "epochs": 1,
    }))  # fmt: skip
    return run


def test_report_is_titled_by_the_model_and_counts_read_well(tmp_path: Path) -> None:
    from kerasspec.report import render

    page = render(_run_dir(tmp_path))
    name = kerasspec.load_spec(MLP).name
    assert name and f"<h1>{name}</h1>" in page and f"<title>{name}" in page
    assert "run run-20240601-120000" in page  # where it is, below the title
    assert "4,000 training and 1,000 test examples, 1 epoch<" in page and "1 epochs" not in page


def test_report_without_a_model_name_keeps_the_run_name(tmp_path: Path) -> None:
    from kerasspec.report import render

    run = _run_dir(tmp_path, "my-run")
    text = (run / "spec.yaml").read_text()
    (run / "spec.yaml").write_text("\n".join(line for line in text.splitlines() if not line.startswith("name:")))
    assert "<h1>my-run</h1>" in render(run)


@pytest.mark.keras
@pytest.mark.slow
def test_a_one_epoch_run_says_1_epoch(tmp_path: Path) -> None:
    pytest.importorskip("keras")
    import numpy as np

    rng = np.random.default_rng(0)
    data = tmp_path / "numbers.npz"
    np.savez(data, x_train=rng.random((64, 4), dtype=np.float32), y_train=rng.random((64, 1), dtype=np.float32),
             x_test=rng.random((16, 4), dtype=np.float32), y_test=rng.random((16, 1), dtype=np.float32))  # fmt: skip
    spec = {"name": "tiny_regression", "input_shape": [4], "layers": [{"type": "Dense", "units": 1}],
            "compile": {"optimizer": "adam", "loss": "mse"}, "fit": {"epochs": 1, "batch_size": 16},
            "data": {"dataset": str(data), "task": "regression"}}  # fmt: skip
    said: list[str] = []
    run = kerasspec.train(spec, run_dir=tmp_path / "run", verbose=0, log=said.append)
    assert any(", 1 epoch, batch 16" in m for m in said), said
    assert not any("1 epochs" in m for m in said)
    assert "<h1>tiny_regression</h1>" in (run.run_dir / "report.html").read_text()


# --------------------------------------------------------------------------- 21: packaging


def test_license_is_an_spdx_expression_with_its_files() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT"  # not the deprecated {text = ...} table
    files = project["project"]["license-files"]
    assert files and all((ROOT / f).is_file() for f in files)
    requires = project["build-system"]["requires"]
    assert "setuptools>=77" in requires  # the first setuptools that reads PEP 639 licences


def test_setuptools_reads_the_metadata_without_deprecation_warnings() -> None:
    setuptools = pytest.importorskip("setuptools")
    from packaging.version import Version

    if Version(setuptools.__version__) < Version("77"):
        pytest.skip(f"setuptools {setuptools.__version__} predates PEP 639; the build backend installs >=77")
    import warnings

    from setuptools.config.pyprojecttoml import apply_configuration
    from setuptools.dist import Distribution

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dist = apply_configuration(Distribution(), ROOT / "pyproject.toml")
    assert dist.metadata.license_expression == "MIT"


def test_readme_says_how_to_install_a_cpu_only_torch() -> None:
    assert "--index-url https://download.pytorch.org/whl/cpu" in README
    pinned = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["backends"]
    torch = next(p for p in pinned if p.startswith("torch"))
    assert f"pip install {torch} --index-url https://download.pytorch.org/whl/cpu" in README.replace("'", "")
