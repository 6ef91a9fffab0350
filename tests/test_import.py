"""`kerasspec import`: Keras model files back to specs, without executing anything from them."""

from __future__ import annotations

import json
import re
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest

import kerasspec
from kerasspec import layers as KL
from kerasspec.analysis import keras_name
from kerasspec.cli import main
from kerasspec.importer import (
    ModelImportError,
    _is_next_auto_name,
    config_to_spec,
    float32_repr,
    import_model,
    read_model_config,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*") if p.suffix in (".yaml", ".yml", ".json"))


def normalized(source: Any) -> dict[str, Any]:
    """A spec reduced to what a model file can say: canonical types, explicit defaults, no auto names."""
    spec = kerasspec.load_spec(source)
    summary = kerasspec.summarize(source)
    counters: dict[str, int] = {}
    layers = []
    for layer in spec.layers:
        if isinstance(layer, KL.Input):
            continue
        d = layer.model_dump(exclude={"input_shape", "input_dim"})
        d["type"] = layer.kind
        if d.get("name") is None:
            keras_name(layer.kind, counters)  # Keras names it; only unnamed layers advance the count
            d.pop("name")
        elif _is_next_auto_name(d["name"], layer.kind, counters):
            d.pop("name")
        if isinstance(d.get("axis"), list | tuple):
            # Keras stores LayerNormalization's axes sorted, and a single axis -1 as [-1].
            d["axis"] = d["axis"][0] if len(d["axis"]) == 1 else sorted(d["axis"])
        if "activation" in d and d["activation"] is None:
            d["activation"] = "linear"
        # Keras saves an alias under its function's name.
        d["activation"] = {"swish": "silu", "hard_swish": "hard_silu"}.get(d.get("activation"), d.get("activation"))
        if d["activation"] is None:
            del d["activation"]
        if "data_format" in d and d["data_format"] is None:
            d["data_format"] = "channels_last"
        if "pool_size" in d and d.get("strides") is None:
            d["strides"] = d["pool_size"]
        layers.append(d)
    out: dict[str, Any] = {"input_shape": list(summary.input_shape[1:]), "layers": layers}
    if spec.compile is not None:
        c = spec.compile.model_dump()
        opt = spec.compile.optimizer
        if isinstance(opt, str):
            c["optimizer"] = opt.lower()
        elif opt == type(opt)(type=opt.type):  # an object with only defaults is the plain name
            c["optimizer"] = opt.type.lower()
        out["compile"] = c
    return out


def save(model: Any, tmp_path: Path, how: str) -> Path:
    if how == "keras":
        path = tmp_path / "model.keras"
        model.save(path)
    else:
        path = tmp_path / "model.json"
        path.write_text(model.to_json())
    return path


@pytest.mark.keras
@pytest.mark.slow
@pytest.mark.parametrize("how", ["keras", "json"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_round_trip_every_example(example: Path, how: str, tmp_path: Path) -> None:
    pytest.importorskip("keras")
    model = kerasspec.build_model(example)
    imported, problems = import_model(save(model, tmp_path, how))
    assert problems == []
    assert normalized(imported) == normalized(example)
    a, b = kerasspec.summarize(example).to_dict(), kerasspec.summarize(imported).to_dict()
    a.pop("name"), b.pop("name")
    assert a == b


def test_unsupported_layers_are_named_and_nothing_runs(tmp_path: Path) -> None:
    config = {
        "module": "keras", "class_name": "Sequential",
        "config": {"name": "evil", "layers": [
            {"class_name": "InputLayer", "config": {"batch_shape": [None, 4]}},
            {"class_name": "Lambda", "config": {"name": "lambda", "function": {"class_name": "__lambda__",
             "config": {"code": "__import__('os').system('touch PWNED')"}}}},
            {"class_name": "LSTM", "config": {"units": 3}},
            {"class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "softmax"}},
        ]},
    }  # fmt: skip
    archive = tmp_path / "evil.keras"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("config.json", json.dumps(config))
    spec, problems = import_model(archive)
    assert [p.path for p in problems] == ["/layers/0", "/layers/1"]
    assert "'Lambda'" in problems[0].message and "'LSTM'" in problems[1].message
    assert spec["layers"] == [{"type": "Dense", "units": 2, "activation": "softmax"}]
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()


def test_cli_import_writes_spec_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = {"class_name": "Sequential", "config": {"layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 8]}},
        {"class_name": "Dense", "config": {"name": "dense", "units": 3, "activation": "relu",
                                            "kernel_regularizer": {"class_name": "L2", "config": {"l2": 0.009999999776482582}}}},
    ]}, "compile_config": {"optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.0010000000474974513}},
                           "loss": "mse", "metrics": ["mae"]}}  # fmt: skip
    src = tmp_path / "model.json"
    src.write_text(json.dumps(config))
    out = tmp_path / "spec.yaml"
    assert main(["import", str(src), "-o", str(out)]) == 0
    assert kerasspec.check(out) == []
    spec = kerasspec.load_spec(out)
    assert spec.layers[0].kernel_regularizer.l2 == 0.01  # type: ignore[union-attr]
    assert spec.compile is not None and spec.compile.optimizer == "adam"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "not a .keras archive"),
        (json.dumps({"class_name": "Functional", "config": {}}).encode(), "imports Sequential models"),
        (json.dumps([1, 2]).encode(), "imports Sequential models"),
    ],
)
def test_bad_model_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "m.json"
    path.write_bytes(content)
    with pytest.raises(ModelImportError, match=re.escape(message)):
        read_model_config(path)
    assert main(["import", str(path)]) == 1


def test_zip_without_config(tmp_path: Path) -> None:
    path = tmp_path / "m.keras"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("other.txt", "x")
    with pytest.raises(ModelImportError, match=r"without config\.json"):
        read_model_config(path)


def test_missing_model_file_exits_2(tmp_path: Path) -> None:
    assert main(["import", str(tmp_path / "missing.keras")]) == 2


@pytest.mark.parametrize(("stored", "written"), [(0.0010000000474974513, 0.001), (0.8999999761581421, 0.9), (0.5, 0.5), (1e-07, 1e-07), (0.197265625, 0.197265625)])
def test_float32_values_come_back_as_written(stored: float, written: float) -> None:
    assert float32_repr(stored) == written


def test_defaults_are_left_out() -> None:
    config = {"class_name": "Sequential", "config": {"layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 28, 28, 1]}},
        {"class_name": "Conv2D", "config": {"name": "conv2d", "filters": 4, "kernel_size": [3, 3], "strides": [1, 1],
                                             "padding": "valid", "data_format": "channels_last", "dilation_rate": [1, 1],
                                             "groups": 1, "activation": "linear", "use_bias": True}},
        {"class_name": "MaxPooling2D", "config": {"name": "max_pooling2d", "pool_size": [2, 2], "strides": [2, 2],
                                                   "padding": "valid", "data_format": "channels_last"}},
    ]}}  # fmt: skip
    spec, problems = config_to_spec(config)
    assert problems == []
    assert spec["layers"] == [
        {"type": "Conv2D", "filters": 4, "kernel_size": [3, 3]},
        {"type": "MaxPooling2D"},
    ]


_REGULARIZER_DEFAULTS = {"l1": ("L1", 0.01, None), "l2": ("L2", None, 0.01), "l1l2": ("L1L2", 0.0, 0.0)}


def _regularizers_as_objects(d: dict[str, Any]) -> dict[str, Any]:
    # `kernel_regularizer: l2` is Keras's L2() with its default factor: compare as objects.
    for key, value in list(d.items()):
        if key.endswith("regularizer") and isinstance(value, str):
            kind, l1, l2 = _REGULARIZER_DEFAULTS[value.lower()]
            d[key] = {"type": kind, "l1": l1, "l2": l2}
    return d


def _as_float32(value: Any) -> Any:
    if isinstance(value, float):
        return struct.unpack("f", struct.pack("f", value))[0] if abs(value) < 3e38 else value
    if isinstance(value, dict):
        return {k: _as_float32(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_as_float32(v) for v in value]
    return value


@pytest.mark.keras
@pytest.mark.slow
def test_round_trip_generated_specs() -> None:
    """spec -> build -> to_json -> import gives the same spec and summary, for 500 generated specs."""
    pytest.importorskip("keras")
    import sys

    from hypothesis import HealthCheck, assume, given, settings

    sys.path.insert(0, str(Path(__file__).parent))
    import keras
    from test_differential import spec_dict  # the differential test's generator of Sequential specs

    checked = 0

    @settings(max_examples=500, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(spec_dict())
    def round_trip(raw: dict[str, Any]) -> None:
        nonlocal checked
        assume(not [d for d in kerasspec.check(raw) if d.severity == "error"])
        keras.backend.clear_session(free_memory=False)  # fresh auto names, as the summary assumes
        model = kerasspec.build_model(raw)
        imported, problems = config_to_spec(json.loads(model.to_json()))
        assert problems == []
        original = normalized(raw)
        again = normalized(imported)
        for a, b in zip(original["layers"], again["layers"], strict=True):
            _regularizers_as_objects(a), _regularizers_as_objects(b)
        # Keras keeps some settings as float32 (a regularizer factor of 1e-241 becomes 0.0).
        assert _as_float32(again) == _as_float32(original)
        x, y = kerasspec.summarize(raw).to_dict(), kerasspec.summarize(imported).to_dict()
        x.pop("name"), y.pop("name")
        assert x == y
        checked += 1

    round_trip()
    assert checked >= 500 * 0.5, f"only {checked} generated specs were valid and round-tripped"
