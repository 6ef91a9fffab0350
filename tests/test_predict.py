"""``kerasspec evaluate`` and ``kerasspec predict``, on a model trained here for a few seconds.

The array and image helpers are tested as tables without Keras; the commands run
in-process through ``kerasspec.cli.main``, on a convnet trained two short epochs on the
embedded MNIST sample (written to an ``.npz``, so nothing is downloaded).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kerasspec.cli import main
from kerasspec.data import load_sample
from kerasspec.predict import PredictError, fit_array, infer_task, probabilities, read_image

ROOT = Path(__file__).resolve().parent.parent
CONVNET = ROOT / "examples" / "keras_io_mnist_convnet.yaml"

PIL = pytest.importorskip("PIL")
from PIL import Image  # noqa: E402

# --------------------------------------------------------------------------- arrays, without Keras


@pytest.mark.parametrize(
    "shape,target,expected",
    [
        ((28, 28), (28, 28, 1), (1, 28, 28, 1)),  # one image, the channel added
        ((28, 28, 1), (28, 28, 1), (1, 28, 28, 1)),  # one sample of the model's shape
        ((5, 28, 28, 1), (28, 28, 1), (5, 28, 28, 1)),  # a batch as is
        ((5, 28, 28), (28, 28, 1), (5, 28, 28, 1)),  # a batch of images
        ((5, 28, 28), (784,), (5, 784)),  # flattened per sample
        ((784,), (784,), (1, 784)),
        ((28, 28), (784,), (1, 784)),
        ((3, 784), (28, 28), (3, 28, 28)),
        ((28, 28), (1, 28, 28), (1, 1, 28, 28)),
        ((16,), (16,), (1, 16)),
        ((4, 16), (16,), (4, 16)),
        ((28, 28), (None, None, 1), (1, 28, 28, 1)),  # unknown sizes take the array's
        ((2, 30, 20), (None, None, 1), (2, 30, 20, 1)),
    ],
)
def test_fit_array(shape: tuple[int, ...], target: tuple[int | None, ...], expected: tuple[int, ...]) -> None:
    assert fit_array(np.zeros(shape), target, "x").shape == expected


@pytest.mark.parametrize("shape,target", [((5, 5), (28, 28, 1)), ((3, 700), (784,)), ((32, 32, 3), (28, 28, 1)), ((7,), (16,))])
def test_fit_array_refuses_shapes_that_do_not_fit(shape: tuple[int, ...], target: tuple[int, ...]) -> None:
    with pytest.raises(PredictError, match=r"does not fit the model's input shape"):
        fit_array(np.zeros(shape), target, "x.npy")


def test_probabilities() -> None:
    softmax = np.array([[0.1, 0.7, 0.2]])
    assert np.allclose(probabilities(softmax, from_logits=False), softmax)
    logits = probabilities(np.array([[0.0, np.log(3.0)]]), from_logits=True)
    assert np.allclose(logits, [[0.25, 0.75]])
    assert np.allclose(probabilities(np.array([[0.8]]), from_logits=False), [[0.2, 0.8]])
    assert np.allclose(probabilities(np.array([[0.0]]), from_logits=True), [[0.5, 0.5]])


# --------------------------------------------------------------------------- images, without Keras


def _digit() -> tuple[np.ndarray, int]:
    ds = load_sample()
    return ds.x_test[0], int(ds.y_test[0])


def _as_photo(digit: np.ndarray, path: Path, size: int = 140, mode: str = "L") -> Path:
    """A large dark-on-light rendering of an MNIST digit, as people draw or scan them."""
    img = Image.fromarray(255 - digit).resize((size, size), Image.Resampling.BILINEAR)
    img.convert(mode).save(path)
    return path


@pytest.mark.parametrize(
    "target,expected",
    [((28, 28, 1), (1, 28, 28, 1)), ((28, 28), (1, 28, 28)), ((784,), (1, 784)), ((1, 28, 28), (1, 1, 28, 28)),
     ((None, None, 1), (1, 28, 28, 1)), ((32, 32, 3), (1, 32, 32, 3)), ((3, 32, 32), (1, 3, 32, 32))],
)  # fmt: skip
def test_read_image_adapts_to_the_input_shape(target: tuple[int | None, ...], expected: tuple[int, ...], tmp_path: Path) -> None:
    digit, _ = _digit()
    x = read_image(_as_photo(digit, tmp_path / "d.png", mode="RGB"), target)
    assert x.shape == expected and x.dtype == np.float32
    assert x.min() >= 0.0 and x.max() <= 1.0


def test_read_image_makes_mnist_digits(tmp_path: Path) -> None:
    """Inverted when the background is light, cropped, scaled and centred like MNIST."""
    digit, _ = _digit()
    x = read_image(_as_photo(digit, tmp_path / "d.png"), (28, 28))[0]
    border = np.concatenate([x[:4].ravel(), x[-4:].ravel(), x[:, :4].ravel(), x[:, -4:].ravel()])
    assert border.max() < 0.05 and x.max() > 0.9  # light digit, black frame of 4 pixels as in MNIST
    # Close to the original 28x28 digit it was made from.
    assert np.corrcoef(x.ravel(), digit.ravel() / 255.0)[0, 1] > 0.8
    # A 28x28 light-on-dark PNG is taken as it is.
    Image.fromarray(digit).save(tmp_path / "same.png")
    assert np.allclose(read_image(tmp_path / "same.png", (28, 28))[0], digit / 255.0)


def test_read_image_flattens_transparency_onto_white(tmp_path: Path) -> None:
    digit, _ = _digit()
    rgba = np.zeros((112, 112, 4), np.uint8)  # black strokes, drawn only through alpha
    rgba[..., 3] = np.asarray(Image.fromarray(digit).resize((112, 112)))
    Image.fromarray(rgba, "RGBA").save(tmp_path / "a.png")
    x = read_image(tmp_path / "a.png", (28, 28))[0]
    assert np.corrcoef(x.ravel(), digit.ravel() / 255.0)[0, 1] > 0.8


def test_read_image_errors(tmp_path: Path) -> None:
    (tmp_path / "x.png").write_bytes(b"not a png")
    with pytest.raises(PredictError, match="not an image"):
        read_image(tmp_path / "x.png", (28, 28, 1))
    digit, _ = _digit()
    with pytest.raises(PredictError, match="does not take images"):
        read_image(_as_photo(digit, tmp_path / "d.png"), (17,))


# --------------------------------------------------------------------------- with a trained model


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    pytest.importorskip("keras")
    import kerasspec

    tmp = tmp_path_factory.mktemp("trained")
    ds = load_sample()
    data = tmp / "sample.npz"
    np.savez(data, x_train=ds.x_train, y_train=ds.y_train, x_test=ds.x_test, y_test=ds.y_test)
    run = kerasspec.train(CONVNET, data=str(data), epochs=2, limit=2000, seed=0, run_dir=tmp / "run", verbose=0, log=lambda m: None)
    return {"run": run, "data": data, "tmp": tmp, "x": ds.x_test[:8], "y": ds.y_test[:8]}


def _json(capsys: pytest.CaptureFixture[str]) -> Any:
    return json.loads(capsys.readouterr().out)


@pytest.mark.keras
@pytest.mark.slow
def test_evaluate_a_run_directory(trained: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    run = trained["run"]
    assert main(["evaluate", str(run.run_dir), "--format", "json"]) == 0
    result = _json(capsys)
    assert list(result["metrics"]) == ["loss", "accuracy"]
    assert result["metrics"] == pytest.approx(run.metrics, rel=1e-5)
    assert result["test_examples"] == 1000 and result["model"].endswith("model.keras")
    assert main(["evaluate", str(run.run_dir)]) == 0
    text = capsys.readouterr().out
    assert "loss" in text and "accuracy" in text and f"{run.metrics['accuracy']:.4f}" in text


@pytest.mark.keras
@pytest.mark.slow
def test_evaluate_a_bare_model_file(trained: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    """Without a spec, the labels' encoding (one-hot here) comes from the compiled loss."""
    model = str(trained["run"].run_dir / "model.keras")
    assert main(["evaluate", model, "--data", str(trained["data"]), "--format", "json"]) == 0
    bare = _json(capsys)
    assert bare["metrics"] == pytest.approx(trained["run"].metrics, rel=1e-5)
    assert main(["evaluate", model, "--spec", str(CONVNET), "--data", str(trained["data"]), "--format", "json"]) == 0
    assert _json(capsys)["metrics"] == pytest.approx(bare["metrics"], rel=1e-6)


@pytest.mark.keras
@pytest.mark.slow
def test_evaluate_errors(trained: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(tmp_path / "nope")]) == 2
    assert "nope" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["evaluate", str(tmp_path / "empty")]) == 1
    assert "no model.keras" in capsys.readouterr().err
    (tmp_path / "junk.keras").write_bytes(b"PK junk")
    assert main(["evaluate", str(tmp_path / "junk.keras")]) == 1
    assert "cannot load the model" in capsys.readouterr().err
    bad = tmp_path / "bad.npz"
    np.savez(bad, x_train=np.zeros((4, 5, 5)), y_train=np.zeros(4), x_test=np.zeros((4, 5, 5)), y_test=np.zeros(4))
    assert main(["evaluate", str(trained["run"].run_dir), "--data", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "cannot be fed to a model with input shape" in err and "Traceback" not in err


@pytest.mark.keras
@pytest.mark.slow
def test_predict_arrays_and_images(trained: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    x, y = trained["x"], trained["y"]
    np.save(tmp_path / "batch.npy", x)
    np.save(tmp_path / "one.npy", x[1])
    np.savez(tmp_path / "set.npz", x_test=x[:3], y_test=y[:3])
    pngs = [str(_as_photo(x[i], tmp_path / f"digit{i}.png")) for i in range(4)]
    model = str(trained["run"].run_dir / "model.keras")
    args = ["predict", model, str(tmp_path / "batch.npy"), str(tmp_path / "one.npy"), str(tmp_path / "set.npz"), *pngs]
    assert main([*args, "--format", "json"]) == 0
    found = {p["input"]: p for p in _json(capsys)["predictions"]}
    assert len(found) == 8 + 1 + 3 + 4
    for p in found.values():
        assert len(p["probabilities"]) == 10 and sum(p["probabilities"]) == pytest.approx(1.0, abs=1e-4)
        assert p["predicted_class"] == int(np.argmax(p["probabilities"]))
    by_array = [found[f"{tmp_path / 'batch.npy'}[{i}]"]["predicted_class"] for i in range(8)]
    assert sum(int(a == b) for a, b in zip(by_array, y, strict=True)) >= 6  # two short epochs: mostly right
    assert found[str(tmp_path / "one.npy")]["probabilities"] == found[f"{tmp_path / 'batch.npy'}[1]"]["probabilities"]
    assert found[f"{tmp_path / 'set.npz'}:x_test[2]"]["predicted_class"] == by_array[2]
    # The PNG renderings (large, dark on light) are read back into the digits they were made from.
    assert sum(int(found[pngs[i]]["predicted_class"] == by_array[i]) for i in range(4)) >= 3
    assert main(args[:3]) == 0
    text = capsys.readouterr().out
    assert f"{tmp_path / 'batch.npy'}[0]: class {by_array[0]} (" in text


@pytest.mark.keras
@pytest.mark.slow
def test_predict_errors(trained: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = str(trained["run"].run_dir / "model.keras")
    np.save(tmp_path / "small.npy", np.zeros((5, 5)))
    (tmp_path / "garbage.png").write_bytes(b"\x89PNG but not really")
    (tmp_path / "garbage.npy").write_bytes(b"not numpy")
    np.save(tmp_path / "objects.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    cases = [
        ([str(tmp_path / "nope.keras"), str(tmp_path / "small.npy")], 2, "nope.keras"),
        ([model, str(tmp_path / "missing.png")], 2, "missing.png"),
        ([model, str(tmp_path / "small.npy")], 1, "does not fit the model's input shape (28, 28, 1)"),
        ([model, str(tmp_path / "garbage.png")], 1, "not an image Pillow can read"),
        ([model, str(tmp_path / "garbage.npy")], 1, "cannot read it as a .npy array file"),
        ([model, str(tmp_path / "objects.npy")], 1, "cannot read it as a .npy array file"),
        ([str(tmp_path / "small.npy"), str(tmp_path / "small.npy")], 1, "not a .keras model file"),
    ]
    for args, code, message in cases:
        assert main(["predict", *args]) == code, args
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err, (args, err)


@pytest.mark.keras
@pytest.mark.slow
def test_predict_with_a_logits_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """from_logits in the compiled loss: outputs go through sigmoid/softmax before they are shown."""
    import kerasspec
    from kerasspec.build import save_model

    spec = {"input_shape": [16], "layers": [{"type": "Dense", "units": 1}],
            "compile": {"loss": {"type": "BinaryCrossentropy", "from_logits": True}}}  # fmt: skip
    model = kerasspec.build_model(spec)
    save_model(model, tmp_path / "m.keras")
    x = np.random.default_rng(0).normal(size=(3, 16)).astype("float32")
    np.save(tmp_path / "x.npy", x)
    assert main(["predict", str(tmp_path / "m.keras"), str(tmp_path / "x.npy"), "--format", "json"]) == 0
    got = _json(capsys)["predictions"]
    logits = model.predict(x, verbose=0)[:, 0]
    p = 1 / (1 + np.exp(-logits))
    assert [g["probabilities"][1] for g in got] == pytest.approx(p, abs=1e-5)
    assert [g["predicted_class"] for g in got] == [int(v > 0.5) for v in p]


# --------------------------------------------------------------------------- what each task predicts


class _Activation:
    def __init__(self, name: str) -> None:
        self.__name__ = name


class _Layer:
    def __init__(self, activation: str | None) -> None:
        self.activation = _Activation(activation) if activation else None


class _Loss:
    """A compiled Keras loss as a loaded model holds it: an object named by its class."""

    def __init__(self, name: str) -> None:
        self.__class__ = type(name, (_Loss,), {})

    def get_config(self) -> dict[str, Any]:
        return {}


class _Model:
    def __init__(self, inp: tuple[int, ...], out: tuple[int, ...], activation: str | None, loss: Any = None) -> None:
        self.input_shape, self.output_shape = (None, *inp), (None, *out)
        self.layers = [_Layer(activation)]
        self.loss = _Loss(loss) if isinstance(loss, str) and loss[0].isupper() else loss


@pytest.mark.parametrize(
    "inp,out,activation,loss,task",
    [
        ((784,), (10,), "softmax", "SparseCategoricalCrossentropy", "classification"),
        ((10,), (10,), "softmax", "CategoricalCrossentropy", "classification"),  # input width = classes: still classes
        ((784,), (10,), "linear", None, "classification"),  # uncompiled logits
        ((784,), (1,), "sigmoid", "BinaryCrossentropy", "binary"),
        ((16,), (1,), "linear", "binary_crossentropy", "binary"),  # from logits
        ((784,), (5,), "sigmoid", "BinaryCrossentropy", "multi_label"),
        ((784,), (5,), "sigmoid", None, "multi_label"),
        ((8,), (1,), "linear", "MeanSquaredError", "regression"),
        ((8,), (3,), "linear", "mae", "regression"),
        ((8,), (3,), "relu", "Huber", "regression"),
        ((28, 28), (28, 28), "sigmoid", "BinaryCrossentropy", "reconstruction"),  # per-pixel crossentropy
        ((28, 28, 1), (28, 28, 1), "linear", "MeanSquaredError", "reconstruction"),
        ((784,), (784,), "sigmoid", None, "reconstruction"),
        ((4, 4), (4, 2), "linear", None, "regression"),  # values per step, uncompiled
    ],
)  # fmt: skip
def test_infer_task(inp: tuple[int, ...], out: tuple[int, ...], activation: str, loss: str | None, task: str) -> None:
    assert infer_task(_Model(inp, out, activation, loss)) == task


def _saved(spec: dict[str, Any], path: Path) -> Any:
    import kerasspec
    from kerasspec.build import save_model

    model = kerasspec.build_model(spec)
    save_model(model, path)
    return model


def _dense_spec(inp: list[int], units: int, activation: str | None, loss: str, extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    last = {"type": "Dense", "units": units, **({"activation": activation} if activation else {})}
    return {"input_shape": inp, "layers": [*(extra or []), last], "compile": {"optimizer": "adam", "loss": loss}}


@pytest.mark.keras
@pytest.mark.slow
def test_predict_reports_each_task_as_a_keras_user_reads_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Regression: the values; multi-label: probabilities and 0/1 labels; autoencoder: reconstructions saved."""
    rng = np.random.default_rng(0)
    x = rng.random((5, 8)).astype("float32")
    np.save(tmp_path / "x.npy", x)

    def run(model: Path, *extra: str) -> Any:
        assert main(["predict", str(model), str(tmp_path / "x.npy"), "--format", "json", *extra]) == 0
        return _json(capsys)

    regression = _saved(_dense_spec([8], 2, None, "mean_squared_error"), tmp_path / "reg.keras")
    got = run(tmp_path / "reg.keras")
    assert got["task"] == "regression" and all(set(p) == {"input", "prediction"} for p in got["predictions"])
    assert np.allclose([p["prediction"] for p in got["predictions"]], regression.predict(x, verbose=0), atol=1e-5)
    one = _saved(_dense_spec([8], 1, None, "huber"), tmp_path / "one.keras")
    got = run(tmp_path / "one.keras", "-o", str(tmp_path / "one.npy"))
    assert [p["prediction"] for p in got["predictions"]] == pytest.approx(one.predict(x, verbose=0)[:, 0], abs=1e-5)
    assert np.allclose(np.load(tmp_path / "one.npy"), one.predict(x, verbose=0), atol=1e-6)

    multi = _saved(_dense_spec([8], 4, "sigmoid", "binary_crossentropy"), tmp_path / "multi.keras")
    got = run(tmp_path / "multi.keras")
    p = multi.predict(x, verbose=0)
    assert got["task"] == "multi_label"
    assert np.allclose([g["probabilities"] for g in got["predictions"]], p, atol=1e-5)
    assert [g["predicted_labels"] for g in got["predictions"]] == (p > 0.5).astype(int).tolist()

    auto = _saved(_dense_spec([8], 8, "sigmoid", "binary_crossentropy", [{"type": "Dense", "units": 3}]), tmp_path / "auto.keras")
    got = run(tmp_path / "auto.keras", "--output", str(tmp_path / "rec.npy"))
    rec = auto.predict(x, verbose=0)
    assert got["task"] == "reconstruction" and got["output"] == str(tmp_path / "rec.npy")
    assert np.allclose(np.load(tmp_path / "rec.npy"), rec, atol=1e-6)
    assert [g["reconstruction_error"] for g in got["predictions"]] == pytest.approx(((rec - x) ** 2).mean(axis=1), abs=1e-5)
    assert main(["predict", str(tmp_path / "auto.keras"), str(tmp_path / "x.npy"), "-o", str(tmp_path / "rec.png")]) == 0
    text = capsys.readouterr().out
    assert "class" not in text and "reconstructed, mean squared error" in text and (tmp_path / "rec.png").stat().st_size > 1000
    # A picture of reconstructions from a model that makes none: refused, nothing written.
    assert main(["predict", str(tmp_path / "multi.keras"), str(tmp_path / "x.npy"), "-o", str(tmp_path / "m.png")]) == 1
    assert "needs a reconstruction model" in capsys.readouterr().err and not (tmp_path / "m.png").exists()

    # The run directory's data.task wins over what the model looks like; --task over both.
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    _saved(_dense_spec([8], 3, None, "mean_squared_error"), run_dir / "model.keras")
    (run_dir / "spec.yaml").write_text("data: {dataset: d.npz, task: multi_label}\n")
    assert run(run_dir / "model.keras")["task"] == "multi_label"
    assert run(run_dir)["predictions"] == run(run_dir / "model.keras")["predictions"]  # a run directory names its model
    (run_dir / "metrics.json").write_text(json.dumps({"task": "binary", "positive_class": 7}))
    got = run(run_dir / "model.keras")
    assert (got["task"], got["positive_class"]) == ("binary", 7)
    got = run(run_dir / "model.keras", "--task", "regression")
    assert got["task"] == "regression" and len(got["predictions"][0]["prediction"]) == 3
    assert main(["predict", str(tmp_path / "reg.keras"), str(tmp_path / "x.npy"), "--task", "reconstruction"]) == 1
    assert "gives back the input's shape" in capsys.readouterr().err


@pytest.mark.keras
@pytest.mark.slow
def test_an_uncompiled_linear_autoencoder_is_not_read_as_logits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A linear output is the reconstruction itself: no sigmoid unless a compiled loss says logits."""
    keras = pytest.importorskip("keras")
    identity = keras.Sequential([keras.Input((6,)), keras.layers.Dense(6, kernel_initializer="identity")])
    identity.save(tmp_path / "id.keras")
    x = np.random.default_rng(1).random((4, 6)).astype("float32") * 3
    np.save(tmp_path / "x.npy", x)
    assert main(["predict", str(tmp_path / "id.keras"), str(tmp_path / "x.npy"), "--task", "reconstruction", "--format", "json"]) == 0
    got = _json(capsys)
    assert [p["reconstruction_error"] for p in got["predictions"]] == pytest.approx([0.0] * 4, abs=1e-6)
