"""The compiler: spec -> compiled keras.Sequential, equal to the static summary.

- ``build.KERAS_LAYERS`` covers every layer class of the spec language, and every
  class builds with every one of its fields (each field is a constructor argument);
- every example builds into a model whose layer names, output shapes and parameter
  counts (trainable and not) are those ``kerasspec.summarize`` computes without Keras;
- every optimizer, loss and metric the spec language accepts, as an object or as a
  name, compiles into a tiny model that then takes one training step;
- a spec that ``check`` rejects is never compiled.
"""

from __future__ import annotations

import math
import typing
from pathlib import Path
from typing import Any

import numpy as np
import pytest

keras = pytest.importorskip("keras")

import kerasspec  # noqa: E402
from kerasspec import build, names  # noqa: E402
from kerasspec import layers as KL  # noqa: E402
from kerasspec import spec as S  # noqa: E402
from kerasspec.cli import main  # noqa: E402
from kerasspec.diagnostics import SpecError  # noqa: E402

pytestmark = [pytest.mark.keras, pytest.mark.slow]  # Keras builds: not for `make test-fast`

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".yaml", ".yml", ".json"))
CONVNET = ROOT / "examples" / "keras_io_mnist_convnet.yaml"


def _types(cls: type) -> tuple[str, ...]:
    return typing.get_args(cls.model_fields["type"].annotation)


# --------------------------------------------------------------------------- layers

#: The required fields of each layer class, and an input shape it applies to.
LAYER_CASES: dict[type[KL.Layer], tuple[dict[str, Any], tuple[int, ...]]] = {
    KL.Input: ({"shape": [8, 8, 3]}, (8, 8, 3)),
    KL.Dense: ({"units": 4}, (6,)),
    KL.Conv2D: ({"filters": 4, "kernel_size": 3}, (8, 8, 3)),
    KL.Conv1D: ({"filters": 4, "kernel_size": 3}, (8, 3)),
    KL.Conv2DTranspose: ({"filters": 4, "kernel_size": 3}, (8, 8, 3)),
    KL.SeparableConv2D: ({"filters": 4, "kernel_size": 3}, (8, 8, 3)),
    KL.DepthwiseConv2D: ({"kernel_size": 3}, (8, 8, 3)),
    KL.MaxPooling2D: ({}, (8, 8, 3)),
    KL.AveragePooling2D: ({"pool_size": 2}, (8, 8, 3)),
    KL.MaxPooling1D: ({}, (8, 3)),
    KL.AveragePooling1D: ({"pool_size": 2}, (8, 3)),
    KL.GlobalAveragePooling2D: ({}, (8, 8, 3)),
    KL.GlobalMaxPooling2D: ({}, (8, 8, 3)),
    KL.GlobalAveragePooling1D: ({}, (8, 3)),
    KL.GlobalMaxPooling1D: ({}, (8, 3)),
    KL.Flatten: ({}, (8, 8, 3)),
    KL.Dropout: ({"rate": 0.5}, (6,)),
    KL.SpatialDropout2D: ({"rate": 0.5}, (8, 8, 3)),
    KL.ActivationLayer: ({"activation": "relu"}, (6,)),
    KL.BatchNormalization: ({}, (8, 8, 3)),
    KL.LayerNormalization: ({}, (8, 8, 3)),
    KL.Reshape: ({"target_shape": [2, 3]}, (6,)),
    KL.Rescaling: ({"scale": 0.5}, (6,)),
    KL.ZeroPadding2D: ({}, (8, 8, 3)),
    KL.Cropping2D: ({}, (8, 8, 3)),
    KL.UpSampling2D: ({}, (8, 8, 3)),
}


def test_keras_layers_cover_every_spec_layer_class() -> None:
    assert set(LAYER_CASES) <= set(KL.all_classes())
    for cls in KL.all_classes():
        if cls.SPEC_CONSTRUCT or cls.TYPES[0] == "Sequential":
            continue  # Repeat is written out before build; a nested block is a keras.Sequential
        assert isinstance(getattr(keras.layers, cls.KERAS_CLASS or cls.TYPES[0]), type), cls.__name__


@pytest.mark.parametrize("cls", [c for c in LAYER_CASES if c is not KL.Input], ids=lambda c: c.__name__)
def test_every_layer_class_builds_with_all_its_fields(cls: type[KL.Layer]) -> None:
    """Every field of the spec class is a constructor argument of the Keras class (or set after it)."""
    required, shape = LAYER_CASES[cls]
    layer = cls.model_validate({"type": cls.TYPES[0], **required, "trainable": False})
    built = build.make_layer(layer, "the_layer", keras)
    assert type(built).__name__ == (cls.KERAS_CLASS or cls.TYPES[0])
    assert built.name == "the_layer" and built.trainable is False
    model = keras.Sequential([keras.Input(shape), built])
    assert model.layers[0] is built
    assert built.trainable_weights == []  # frozen: every weight counts as non-trainable
    for alias in cls.TYPES[1:]:
        assert type(build.make_layer(cls.model_validate({"type": alias, **required}), "a", keras)) is type(built)


# --------------------------------------------------------------------------- examples vs summary


def _count(weights: list[Any]) -> int:
    return sum(math.prod(w.shape) for w in weights)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_built_model_equals_static_summary(example: Path) -> None:
    summary = kerasspec.summarize(example)
    model = kerasspec.build_model(example)
    assert model.name == summary.name
    assert tuple(model.input_shape) == summary.input_shape
    assert tuple(model.output_shape) == summary.output_shape
    built = [
        (layer.name, type(layer).__name__, tuple(layer.output.shape), layer.count_params(),
         _count(layer.trainable_weights), _count(layer.non_trainable_weights))
        for layer in model.layers
    ]  # fmt: skip
    static = [
        (i.name, (KL.type_map()[i.type].KERAS_CLASS or i.type), i.output_shape, i.params, i.trainable_params, i.non_trainable_params)
        for i in summary.layers
    ]
    assert built == static
    assert model.count_params() == summary.total_params
    assert _count(model.trainable_weights) == summary.trainable_params
    assert _count(model.non_trainable_weights) == summary.non_trainable_params
    spec = kerasspec.load_spec(example)
    assert (model.optimizer is not None) == (spec.compile is not None)


def test_convnet_is_keras_io_size() -> None:
    assert kerasspec.build_model(CONVNET).count_params() == 34_826


# --------------------------------------------------------------------------- compile table

N = 8
rng = np.random.default_rng(0)


def _tiny(compile_: dict[str, Any], *, units: int, activation: str | None) -> dict[str, Any]:
    dense: dict[str, Any] = {"type": "Dense", "units": units}
    if activation:
        dense["activation"] = activation
    return {"input_shape": [4], "layers": [{"type": "Dense", "units": 5, "activation": "relu"}, dense], "compile": compile_}


def _labels(kind: str) -> tuple[np.ndarray, int, str | None]:
    """(labels, output units, output activation) for a kind of target."""
    if kind == "sparse":
        return rng.integers(0, 3, N).astype("int32"), 3, "softmax"
    if kind == "binary":
        return rng.integers(0, 2, (N, 1)).astype("float32"), 1, "sigmoid"
    return np.eye(3, dtype="float32")[rng.integers(0, 3, N)], 3, "softmax"


def _step(spec: dict[str, Any], y: np.ndarray) -> Any:
    # Seeded: with unseeded weights, all-dead ReLUs now and then make a uniform softmax, whose
    # correlation metrics are NaN (the test would be flaky, not the spec wrong).
    keras.utils.set_random_seed(0)
    model = kerasspec.build_model(spec)
    model.run_eagerly = True  # one step: tracing a graph would cost more than the step
    logs = model.train_on_batch(rng.random((N, 4), dtype="float32"), y, return_dict=True)
    # A correlation over one batch is NaN when the predictions happen to be constant (a
    # uniform softmax): that is the metric's arithmetic, not a spec that fails to compile.
    finite = {k: v for k, v in logs.items() if "correlation" not in k}
    assert logs and all(np.all(np.isfinite(v)) for v in finite.values()), logs  # F1Score: one value per class
    return model


def _loss_kind(loss: str) -> str:
    low = loss.lower()
    if "sparse" in low or low in ("circle", "categoricalgeneralizedcrossentropy"):
        return "sparse"
    if low in ("bce", "binary_crossentropy", "binarycrossentropy", "binary_focal_crossentropy", "binaryfocalcrossentropy"):
        return "binary"
    return "one_hot"


OPTIMIZER_OBJECTS = [t for cls in S.OPTIMIZERS.classes for t in _types(cls)]


def _example(family: Any, kind: str) -> dict[str, Any]:
    """The arguments an object of this class needs (its EXAMPLE: IoU's num_classes...)."""
    return dict(family.types[kind].EXAMPLE)


@pytest.mark.parametrize("optimizer", [*OPTIMIZER_OBJECTS, *(f"name:{n}" for n in names.OPTIMIZERS)])
def test_every_optimizer_compiles_and_steps(optimizer: str) -> None:
    value: Any = optimizer[5:] if optimizer.startswith("name:") else {"type": optimizer, **_example(S.OPTIMIZERS, optimizer)}
    y, units, act = _labels("sparse")
    model = _step(_tiny({"optimizer": value, "loss": "sparse_categorical_crossentropy"}, units=units, activation=act), y)
    expected = build.OPTIMIZER_CLASSES[value.lower()] if isinstance(value, str) else optimizer
    assert type(model.optimizer).__name__ == expected


def test_optimizer_settings_reach_keras() -> None:
    y, units, act = _labels("sparse")
    opt = {"type": "SGD", "learning_rate": 0.05, "momentum": 0.9, "nesterov": True, "clipnorm": 1.0}
    model = _step(_tiny({"optimizer": opt, "loss": "sparse_categorical_crossentropy"}, units=units, activation=act), y)
    config = model.optimizer.get_config()
    assert (config["momentum"], config["nesterov"], config["clipnorm"]) == (0.9, True, 1.0)
    assert config["learning_rate"] == pytest.approx(0.05)


LOSS_OBJECTS = [t for cls in S.LOSSES.classes for t in _types(cls)]


@pytest.mark.parametrize("loss", [*LOSS_OBJECTS, *(f"name:{n}" for n in names.LOSSES)])
def test_every_loss_compiles_and_steps(loss: str) -> None:
    is_name = loss.startswith("name:")
    value: Any = loss[5:] if is_name else {"type": loss, **_example(S.LOSSES, loss)}
    y, units, act = _labels(_loss_kind(loss[5:] if is_name else loss))
    model = _step(_tiny({"optimizer": "adam", "loss": value}, units=units, activation=act), y)
    if not is_name:
        assert type(model.loss).__name__ == loss


def test_loss_settings_reach_keras() -> None:
    y, units, act = _labels("one_hot")
    loss = {"type": "CategoricalFocalCrossentropy", "alpha": 0.5, "gamma": 1.0, "label_smoothing": 0.1}
    model = _step(_tiny({"loss": loss}, units=units, activation=act), y)
    config = model.loss.get_config()
    assert (config["alpha"], config["gamma"], config["label_smoothing"]) == (0.5, 1.0, 0.1)


def _metric_kind(metric: str) -> str:
    low = metric.lower()
    if "sparse" in low or low in ("meaniou", "iou"):
        return "sparse"
    if low in ("binary_accuracy", "binaryaccuracy", "binary_crossentropy", "binarycrossentropy", "auc",
               "precision", "recall"):
        return "binary"
    return "one_hot"


METRIC_OBJECTS = [t for cls in S.METRICS.classes for t in _types(cls)]
_KIND_LOSS = {"sparse": "sparse_categorical_crossentropy", "binary": "binary_crossentropy", "one_hot": "categorical_crossentropy"}


@pytest.mark.parametrize("metric", [*METRIC_OBJECTS, *(f"name:{n}" for n in names.METRICS)])
def test_every_metric_compiles_and_steps(metric: str) -> None:
    is_name = metric.startswith("name:")
    value: Any = metric[5:] if is_name else {"type": metric, **_example(S.METRICS, metric)}
    kind = _metric_kind(metric[5:] if is_name else metric)
    if metric in ("TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy"):
        value["k"] = 2
    y, units, act = _labels(kind)
    model = _step(_tiny({"optimizer": "adam", "loss": _KIND_LOSS[kind], "metrics": [value]}, units=units, activation=act), y)
    metrics = [m for m in model.metrics if m.name not in ("loss", "compile_metrics")]
    compiled = model._compile_metrics.metrics if getattr(model, "_compile_metrics", None) else metrics
    assert compiled, "the metric was not compiled in"
    if not is_name:
        assert type(compiled[0]).__name__ == metric


def test_metric_settings_reach_keras() -> None:
    y, units, act = _labels("binary")
    metrics = [{"type": "BinaryAccuracy", "threshold": 0.7, "name": "acc70"}, {"type": "AUC", "curve": "PR", "num_thresholds": 50}]
    model = _step(_tiny({"loss": "binary_crossentropy", "metrics": metrics}, units=units, activation=act), y)
    built = {type(m).__name__: m for m in model._compile_metrics.metrics}
    assert built["BinaryAccuracy"].name == "acc70" and built["BinaryAccuracy"].get_config()["threshold"] == 0.7
    assert built["AUC"].get_config()["curve"] == "PR" and built["AUC"].num_thresholds == 50


# --------------------------------------------------------------------------- refusing bad specs

BAD = {
    "input_shape": [28, 28, 1],
    "layers": [{"type": "Conv2D", "filters": 8, "kernal_size": 3}, {"type": "Flatten"}, {"type": "Dense", "units": 10}],
    "compile": {"loss": "sparse_categorical_crossentropy"},
}


def test_rejected_spec_is_never_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_keras() -> None:
        raise AssertionError("Keras was reached with a spec that check rejects")

    monkeypatch.setattr(build, "import_keras", no_keras)
    assert any(d.severity == "error" for d in kerasspec.check(BAD))
    with pytest.raises(SpecError) as info:
        build.build_model(BAD)
    assert any(d.code == "KS201" for d in info.value.diagnostics)


def test_semantic_error_is_never_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only structure: a training-semantics error (softmax with from_logits) stops the build too."""
    spec = _tiny({"loss": {"type": "SparseCategoricalCrossentropy", "from_logits": True}}, units=3, activation="softmax")
    if not any(d.severity == "error" for d in kerasspec.check(spec)):
        pytest.skip("from_logits with a softmax output is a warning in this version")
    monkeypatch.setattr(build, "import_keras", lambda: (_ for _ in ()).throw(AssertionError("compiled")))
    with pytest.raises(SpecError):
        build.build_model(spec)


def test_build_cli_writes_a_loadable_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "model.keras"
    assert main(["build", str(CONVNET), "-o", str(out)]) == 0
    model = keras.models.load_model(out, safe_mode=True)
    assert model.count_params() == 34_826 and model.loss == "categorical_crossentropy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.keras"]  # no temp file left


def test_build_cli_refuses_a_bad_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import yaml

    spec = tmp_path / "bad.yaml"
    spec.write_text(yaml.safe_dump(BAD))
    out = tmp_path / "model.keras"
    assert main(["build", str(spec), "-o", str(out)]) == 1
    assert "KS201" in capsys.readouterr().err
    assert not out.exists()


def test_save_model_wants_a_keras_suffix(tmp_path: Path) -> None:
    model = kerasspec.build_model(_tiny({"loss": "mse"}, units=3, activation=None))
    with pytest.raises(OSError, match=r"\.keras"):
        build.save_model(model, tmp_path / "model.h5")


@pytest.mark.keras
@pytest.mark.slow
def test_input_layer_keeps_its_name() -> None:
    model = kerasspec.build_model(
        {"layers": [{"type": "Input", "shape": [4], "name": "pixels"}, {"type": "Dense", "units": 2}]}
    )
    assert model.inputs[0].name == "pixels"
    assert [layer.name for layer in model._layers] == ["pixels", "dense"]
