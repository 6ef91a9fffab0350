"""Preprocessing layers beyond the catalogue tables: adapt before training, the rules stricter than Keras.

- ``kerasspec train`` adapts a Normalization without mean/variance to the training
  inputs as ``fit`` receives them (without the validation split), also when it comes
  after weight-free layers; it refuses one after layers with weights, or in a block.
- Values Keras builds with but cannot use when the layer runs are refused (each
  definition's ``STRICTER_THAN_KERAS``): the raw differential never draws them, so
  they are tested here.
- Augmentations are the identity at inference: the output-activation rules look
  through them.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import kerasspec
from kerasspec.data import load_sample
from kerasspec.diagnostics import Severity

LIMIT = 64


def _codes(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return [(d.code, d.path) for d in kerasspec.check(doc) if d.severity is Severity.ERROR]


def _model(*layers: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"input_shape": [28, 28, 1], "layers": list(layers), **extra}


# --------------------------------------------------------------------------- stricter than Keras


@pytest.mark.parametrize(
    ("layer", "shape", "code", "path"),
    [
        ({"type": "Rescaling", "scale": [0.5, 0.5]}, [4, 4, 3], "KS309", "/layers/0/scale"),
        ({"type": "Rescaling", "scale": 1.0, "offset": [1.0, 2.0, 3.0, 4.0]}, [4, 4, 3], "KS309", "/layers/0/offset"),
        ({"type": "RandomFlip", "mode": "HORIZONTAL"}, [4, 4, 3], "KS206", "/layers/0/mode"),
        ({"type": "RandomFlip", "mode": "both"}, [4, 4, 3], "KS206", "/layers/0/mode"),
        ({"type": "Resizing", "height": 2, "width": 2, "crop_to_aspect_ratio": True, "pad_to_aspect_ratio": True},
         [4, 4, 3], "KS211", "/layers/0/pad_to_aspect_ratio"),
        ({"type": "Resizing", "height": 0, "width": 2}, [4, 4, 3], "KS205", "/layers/0/height"),
        ({"type": "Resizing", "height": 2, "width": 2, "interpolation": "BILINEAR"}, [4, 4, 3], "KS206", "/layers/0/interpolation"),
        ({"type": "Resizing", "height": 2, "width": 2, "fill_mode": "reflect"}, [4, 4, 3], "KS206", "/layers/0/fill_mode"),
        ({"type": "RandomContrast", "factor": 0.1, "value_range": [0, 1, 2]}, [4, 4, 3], "KS205", "/layers/0/value_range"),
        ({"type": "RandomGaussianBlur", "kernel_size": 3.0}, [4, 4, 3], "KS203", "/layers/0/kernel_size"),
        ({"type": "ContrastLimitedAdaptiveHistogramEqualization", "tile_grid_size": 4}, [4, 4, 3], "KS203", "/layers/0/tile_grid_size"),
        ({"type": "MelSpectrogram", "window": "blackman"}, [400], "KS206", "/layers/0/window"),
        ({"type": "CategoryEncoding"}, [4], "KS204", "/layers/0/num_tokens"),
    ],
)
def test_values_keras_builds_with_but_cannot_run_are_refused(layer: dict[str, Any], shape: list[int], code: str, path: str) -> None:
    assert (code, path) in _codes({"input_shape": shape, "layers": [layer]})


@pytest.mark.parametrize(
    ("layer", "path"),
    [
        ({"type": "RandomRotation", "factor": 1.5}, "/layers/0/factor"),
        ({"type": "RandomRotation", "factor": [0.1, 0.2, 0.3]}, "/layers/0/factor"),
        ({"type": "RandomRotation", "factor": "0.1"}, "/layers/0/factor"),
        ({"type": "RandomZoom", "height_factor": -1.0}, "/layers/0/height_factor"),  # (-1, 1]: -1 excluded
        ({"type": "RandomShear", "x_factor": [-0.1, 0.5]}, "/layers/0/x_factor"),  # each value in [0, 1]
        ({"type": "RandomContrast", "factor": [1.5, 2.0]}, "/layers/0/factor"),  # the first above the range
        ({"type": "RandomGrayscale", "factor": [0.1, 0.2]}, "/layers/0/factor"),  # a number only
        ({"type": "RandomRotation", "factor": 0.1, "fill_mode": "Reflect"}, "/layers/0/fill_mode"),
    ],
)
def test_factors_and_names_are_checked_as_keras_checks_them(layer: dict[str, Any], path: str) -> None:
    assert path in [p for _, p in _codes({"input_shape": [4, 4, 3], "layers": [layer]})]


def test_factor_lists_are_checked_as_the_base_class_does() -> None:
    # BaseImagePreprocessingLayer refuses [lower, upper] only when lower is above the range or
    # upper below it; [-3, 0.5] passes (Keras draws from it as given), as None and [] pass where
    # the layer hands `factor` to the base class (read as 0).
    for layer in (
        {"type": "RandomContrast", "factor": [-3, 0.5]},
        {"type": "RandomRotation", "factor": None},
        {"type": "RandomBrightness", "factor": []},
        {"type": "RandomColorJitter", "brightness_factor": None, "hue_factor": [0.0, 0.5]},
    ):
        assert _codes({"input_shape": [4, 4, 3], "layers": [layer]}) == [], layer


def test_augmentations_are_the_identity_at_inference() -> None:
    from kerasspec.semantics import output_activation

    dense = {"type": "Dense", "units": 10, "activation": "softmax"}
    spec = kerasspec.load_spec(_model({"type": "Flatten"}, dense, {"type": "RandomFlip"}, {"type": "RandomContrast", "factor": 0.1}))
    act = output_activation(list(spec.layers))
    assert act is not None and (act.activation, act.index) == ("softmax", 1)
    spec = kerasspec.load_spec(_model({"type": "Flatten"}, dense, {"type": "Rescaling", "scale": 2.0}))
    act = output_activation(list(spec.layers))
    assert act is not None and act.activation == "linear"


def test_normalization_state_counts_as_keras_counts_it() -> None:
    summary = kerasspec.summarize(_model({"type": "Normalization"}, {"type": "Normalization", "axis": [1, 2]}))
    # mean and variance per kept position, plus a scalar count; none of it trains.
    assert [(i.params, i.trainable_params, i.non_trainable_params) for i in summary.layers] == [(3, 0, 3), (1569, 0, 1569)]


# --------------------------------------------------------------------------- adapt


@pytest.fixture(scope="module")
def sample_npz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ds = load_sample()
    path = tmp_path_factory.mktemp("data") / "mnist_sample.npz"
    np.savez(path, x_train=ds.x_train, y_train=ds.y_train, x_test=ds.x_test, y_test=ds.y_test)
    return path


def _spec(*layers: dict[str, Any], validation_split: float = 0.25) -> dict[str, Any]:
    return _model(
        *layers,
        {"type": "Flatten"},
        {"type": "Dense", "units": 10, "activation": "softmax"},
        compile={"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
        data={"dataset": "mnist"},
        fit={"epochs": 1, "batch_size": 16, "validation_split": validation_split},
    )


def _fed() -> np.ndarray:
    """The training inputs `fit` receives: the first LIMIT sample images, scaled to [0, 1]."""
    return load_sample().x_train[:LIMIT].reshape(LIMIT, 28, 28, 1).astype("float32") / 255.0


def _train(doc: dict[str, Any], data: Path, run_dir: Path) -> Any:
    import keras

    said: list[str] = []
    kerasspec.train(doc, data=str(data), limit=LIMIT, seed=0, run_dir=run_dir, verbose=0, log=said.append)
    return keras.models.load_model(run_dir / "model.keras", safe_mode=True), said


@pytest.mark.keras
@pytest.mark.slow
def test_normalization_is_adapted_to_the_training_data(sample_npz: Path, tmp_path: Path) -> None:
    model, said = _train(_spec({"type": "Normalization", "name": "norm"}), sample_npz, tmp_path / "run")
    norm = model.get_layer("norm")
    seen = _fed()[: math.floor(LIMIT * 0.75)]  # the validation split (the last quarter) is left out
    np.testing.assert_allclose(norm.adapt_mean.numpy(), [seen.mean()], rtol=1e-5)
    np.testing.assert_allclose(norm.adapt_variance.numpy(), [seen.var()], rtol=1e-4)
    assert any("adapted Normalization 'norm' to the training inputs (48 examples)" in m for m in said)
    # The saved model carries the statistics: what it predicts is normalized by them.
    x = _fed()[:4]
    inner = model.layers[0](x).numpy()
    np.testing.assert_allclose(inner, (x - seen.mean()) / math.sqrt(seen.var()), rtol=1e-4, atol=1e-5)


@pytest.mark.keras
@pytest.mark.slow
def test_normalization_after_weight_free_layers_is_adapted_to_their_output(sample_npz: Path, tmp_path: Path) -> None:
    doc = _spec(
        {"type": "Rescaling", "scale": 2.0, "offset": -1.0},
        {"type": "RandomFlip"},  # the identity at inference
        {"type": "Normalization", "name": "norm", "axis": None},
        validation_split=0.0,
    )
    model, said = _train(doc, sample_npz, tmp_path / "run")
    seen = _fed() * 2.0 - 1.0
    np.testing.assert_allclose(model.get_layer("norm").adapt_mean.numpy(), seen.mean(), rtol=1e-5)
    assert any("to the output of the 2 layers before it (64 examples)" in m for m in said)


@pytest.mark.keras
@pytest.mark.slow
def test_given_statistics_are_not_adapted(sample_npz: Path, tmp_path: Path) -> None:
    model, said = _train(_spec({"type": "Normalization", "name": "norm", "mean": 0.5, "variance": 0.25}), sample_npz, tmp_path / "run")
    assert not any("adapted" in m for m in said)
    x = _fed()[:2]
    np.testing.assert_allclose(model.get_layer("norm")(x).numpy(), (x - 0.5) / 0.5, rtol=1e-5, atol=1e-6)


@pytest.mark.keras
@pytest.mark.slow
@pytest.mark.parametrize(
    ("layers", "message"),
    [
        ([{"type": "Conv2D", "filters": 2, "kernel_size": 3}, {"type": "Normalization"}],
         "comes after Conv2D 'conv2d', whose weights are not trained yet"),
        ([{"type": "Sequential", "layers": [{"type": "Normalization"}]}],
         "adapts at the top level of the model only"),
        ([{"type": "Pipeline", "layers": [{"type": "RandomFlip"}, {"type": "Normalization"}]}],
         "adapts at the top level of the model only"),
    ],
)
def test_normalization_that_cannot_be_adapted_is_refused_before_training(
    layers: list[dict[str, Any]], message: str, sample_npz: Path, tmp_path: Path
) -> None:
    from kerasspec.training import TrainError

    with pytest.raises(TrainError, match=message):
        kerasspec.train(_spec(*layers), data=str(sample_npz), limit=LIMIT, run_dir=tmp_path / "run", verbose=0, log=lambda m: None)
    assert not (tmp_path / "run" / "history.json").exists()


@pytest.mark.keras
@pytest.mark.slow
def test_discretization_with_num_bins_is_adapted(sample_npz: Path, tmp_path: Path) -> None:
    doc = _spec({"type": "Discretization", "name": "bins", "num_bins": 4}, validation_split=0.0)
    model, _ = _train(doc, sample_npz, tmp_path / "run")
    bins = model.get_layer("bins")
    assert bins.bin_boundaries is not None and len(bins.bin_boundaries) == 3
