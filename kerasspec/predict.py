"""Prediction: a saved model's outputs for arrays and images, read as its task reads them.

Classification (and binary): the predicted class and every class's probability; multi-label:
each label's probability and the 0/1 labels above 0.5; regression: the predicted values;
reconstruction (an autoencoder): each input's reconstruction error, and the reconstructions
themselves saved with ``--output`` (an ``.npy``, or a ``.png`` of inputs above them). The task
is ``--task``, else the run directory's (``metrics.json``/``spec.yaml`` beside the model), else
read from the model's loss, output shape and last activation (:func:`infer_task`).

Inputs, each a file:

- ``.npy``: one sample (the model's input shape, or anything with as many values)
  or a batch of them (first axis = samples);
- ``.npz``: its ``x_test`` array if it has one, else ``x``, else every array whose
  name does not start with ``y`` (labels), each a sample or a batch as above;
- an image Pillow reads (PNG, JPEG, BMP...). For a grayscale model (one channel,
  or no channel axis): transparency is flattened onto white, the image becomes
  grayscale, it is inverted when its background (the border) is light, since MNIST
  digits are light on black; an image that is not already the model's size is
  processed as MNIST was: the digit is cropped to its bounding box, scaled to fit
  20x20 (for 28x28; the same proportion for other sizes) and centred by its centre
  of mass. For a three-channel model the image is converted to RGB and resized.

Pixels are scaled to [0, 1] (uint8 / 255). Arrays follow the training data's rule:
integer arrays with values in 0..255 are divided by 255, float arrays are taken as
they are. Everything is then shaped to the model's input shape.

Errors: a missing model or input file is ``FileNotFoundError`` (exit 2 on the
command line); an unreadable input or one whose shape does not fit the model is
:class:`PredictError` (exit 1).
"""

from __future__ import annotations

import json
import math
import os
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import KerasspecError
from .files import NotARegularFileError, open_regular

if TYPE_CHECKING:
    import numpy as np

Shape = tuple[int | None, ...]
ARRAY_SUFFIXES = (".npy", ".npz")
#: The largest image decoded (a 48-megapixel photo fits): the size comes from its header.
MAX_IMAGE_PIXELS = 50_000_000


class PredictError(KerasspecError):
    """An input cannot be used with the model: the message names the file and the problem."""


#: The tasks of ``data.task`` (:mod:`kerasspec.tasks`), each reported as a Keras user reads its outputs.
TASKS = ("classification", "binary", "multi_label", "regression", "reconstruction")
#: Keras's BinaryAccuracy threshold: a sigmoid output above it is a 1.
THRESHOLD = 0.5
#: The most samples ``--output PICTURE.png`` draws (inputs above their reconstructions).
MAX_PICTURED = 20


@dataclass(frozen=True)
class Prediction:
    """One sample's prediction, as its task reads it.

    - classification and binary: ``predicted_class`` and the ``probabilities`` of every class
      (a single sigmoid unit p is ``[1 - p, p]``; the class is 1 when p > 0.5);
    - multi_label: the ``probabilities`` of every label and ``predicted_labels``, 0/1 each
      (1 when its probability is above 0.5, as Keras's BinaryAccuracy thresholds);
    - regression: ``prediction``, the model's output (a number for one output unit);
    - reconstruction: ``reconstruction_error``, the mean squared error between the input and
      the model's output (the reconstruction itself goes to ``--output``: .npy or .png).
    """

    input: str
    task: str = "classification"
    predicted_class: int | None = None
    probabilities: list[float] | None = None
    predicted_labels: list[int] | None = None
    prediction: Any = None
    reconstruction_error: float | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.task in ("classification", "binary"):
            return {"input": self.input, "predicted_class": self.predicted_class, "probabilities": self.probabilities}
        if self.task == "multi_label":
            return {"input": self.input, "predicted_labels": self.predicted_labels, "probabilities": self.probabilities}
        if self.task == "regression":
            return {"input": self.input, "prediction": self.prediction}
        return {"input": self.input, "reconstruction_error": self.reconstruction_error}


@dataclass(frozen=True)
class Predictions:
    """What ``predict`` found: the task it read the outputs as, and one :class:`Prediction` per sample.

    ``outputs`` are the model's outputs in the same order (probabilities where it outputs
    logits); ``inputs`` the samples as the model took them (for a picture of reconstructions).
    """

    task: str
    items: list[Prediction]
    outputs: Any = None
    inputs: Any = None
    task_source: str = "given"
    positive_class: int | None = None

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> Prediction:
        return self.items[i]


# --------------------------------------------------------------------------- inputs


def _matches(shape: Shape, target: Shape) -> bool:
    return len(shape) == len(target) and all(t is None or t == s for s, t in zip(shape, target, strict=True))


def fit_array(array: np.ndarray, target: Shape, name: str) -> np.ndarray:
    """A batch ``(n, *target)`` from one sample or a batch of samples of ``array``.

    A sample may have the model's shape or just as many values (a 28x28 image for a
    ``(784,)`` or ``(28, 28, 1)`` input); the first axis is the batch otherwise.
    """
    return _fit(array, target, name)[0]


def _fit(array: np.ndarray, target: Shape, name: str) -> tuple[np.ndarray, bool]:
    """The batch, and whether ``array`` was a single sample."""
    shape = tuple(int(d) for d in array.shape)
    if _matches(shape, target):
        return array[None], True
    if len(shape) >= 1 and _matches(shape[1:], target):
        return array, False
    if all(d is not None for d in target):
        per = math.prod(d for d in target if d is not None)
        if len(shape) >= 2 and math.prod(shape[1:]) == per:
            return array.reshape((shape[0], *target)), False
        if math.prod(shape) == per:
            return array.reshape((1, *target)), True
    else:  # unknown sizes: a missing channel axis of 1 is added, as the training data is
        if _matches((*shape, 1), target):
            return array[None, ..., None], True
        if len(shape) >= 1 and _matches((*shape[1:], 1), target):
            return array[..., None], False
    raise PredictError(
        f"{name}: an array of shape {shape} does not fit the model's input shape {_fmt(target)} "
        "(give one sample of that shape, or a batch: (count, ...))"
    )


def _fmt(shape: Shape) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _to_float(x: np.ndarray, name: str) -> np.ndarray:
    import numpy as np

    if x.dtype.kind not in "biuf":
        raise PredictError(f"{name}: an array of dtype {x.dtype}; inputs must be numbers")
    if x.size == 0:
        raise PredictError(f"{name}: an empty array (shape {x.shape})")
    from .data import scale_pixels  # the same rule as the training data

    x = scale_pixels(x)
    if not np.isfinite(x).all():
        raise PredictError(f"{name}: contains NaN or infinite values")
    return x


def read_arrays(path: Path) -> list[tuple[str, np.ndarray]]:
    """The arrays of a ``.npy`` or ``.npz`` file, each with the name it is reported under.

    Headers are checked before anything is loaded (:func:`kerasspec.data.open_arrays`).
    """
    from .data import open_arrays

    try:
        with open_arrays(path, error=PredictError) as f:
            if path.suffix.lower() != ".npz":
                if not hasattr(f, "shape"):
                    raise PredictError(f"{path}: an .npz archive named .npy; rename it to .npz")
                return [(str(path), f)]
            if hasattr(f, "shape"):
                raise PredictError(f"{path}: not an .npz archive (numpy.savez writes one)")
            names = list(f.files)
            chosen = [n for n in ("x_test", "x") if n in names][:1] or [n for n in names if not n.startswith("y")]
            if not chosen:
                raise PredictError(f"{path}: no input arrays (it has {', '.join(names) or 'none'})")
            return [(f"{path}:{n}", f[n]) for n in chosen]
    except PredictError:
        raise
    except (ValueError, EOFError, zipfile.BadZipFile, KeyError, zlib.error) as exc:
        text = " ".join(str(exc).split())
        raise PredictError(f"{path}: cannot read it as a {path.suffix} array file: {text[:300]}") from None


def _image_layout(target: Shape) -> tuple[int, int, int]:
    """(height, width, channels) of the images a model with this input shape takes."""

    def size(d: int | None) -> int:
        return 28 if d is None else d

    if len(target) == 3:
        h, w, c = target
        if c in (1, 3):
            return size(h), size(w), c
        c, h, w = target
        if c in (1, 3):
            return size(h), size(w), c
    if len(target) == 2:
        return size(target[0]), size(target[1]), 1
    if len(target) == 1 and target[0] is not None:
        side = math.isqrt(target[0])
        if side * side == target[0]:
            return side, side, 1
    raise PredictError(f"a model with input shape {_fmt(target)} does not take images (it needs arrays: .npy/.npz)")


def _open_image(path: Path, *, decode: bool) -> Any:
    """The image at ``path``, its size checked from its header; decoded (and EXIF-rotated) if ``decode``."""
    try:
        from PIL import Image, ImageOps, UnidentifiedImageError
    except ImportError:  # pragma: no cover - Pillow comes with the tf extras
        from .extras import install_hint

        raise PredictError(f"reading images needs Pillow: {install_hint('tf-cpu')}") from None
    try:
        # Image.open reads only the header: the size is checked before any pixel is decoded.
        with open_regular(path) as fh, warnings.catch_warnings():
            # Pillow warns above its own limit; the size is judged here, below it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(fh) as opened:
                width, height = opened.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise PredictError(
                        f"{path}: a {width}x{height} image ({width * height:,} pixels), above the limit of "
                        f"{MAX_IMAGE_PIXELS:,} pixels; it was not decoded (scale it down first)"
                    )
                if not decode:
                    return None
                opened.load()
                return ImageOps.exif_transpose(opened)
    except (FileNotFoundError, PredictError, NotARegularFileError, IsADirectoryError, PermissionError):
        raise
    except Image.DecompressionBombError as exc:
        raise PredictError(f"{path}: the image is too large to decode ({' '.join(str(exc).split())[:200]})") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise PredictError(
            f"{path}: not an image Pillow can read, nor a .npy/.npz array file ({' '.join(str(exc).split())[:200]})"
        ) from None


def read_image(path: Path, target: Shape) -> np.ndarray:
    """One image as a batch of one, shaped and scaled for a model with input shape ``target``."""
    import numpy as np

    h, w, c = _image_layout(target)
    img = _open_image(path, decode=True)
    from PIL import Image
    transparent = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
    if transparent:
        img = _flatten_transparency(img)
    if c == 3:
        pixels = np.asarray(img.convert("RGB").resize((w, h), Image.Resampling.BILINEAR), dtype=np.float32) / 255.0
    else:
        gray = np.asarray(img.convert("L"), dtype=np.float32)
        if float(gray.max()) - float(gray.min()) < 1.0:
            # A blank picture would be predicted as some class all the same: say so instead.
            how = ", even with its transparency flattened" if transparent else ""
            raise PredictError(f"{path}: the image is one flat colour{how}: there is no digit in it")
        if _border_mean(gray) > 127.5:
            gray = 255.0 - gray  # dark digit on a light background: MNIST is the other way round
        if gray.shape != (h, w):
            gray = _mnist_style(gray, h, w)
        pixels = (np.clip(gray, 0, 255) / 255.0).astype(np.float32)[..., None]
    # pixels is (h, w, c): give it the model's layout.
    if len(target) == 3:
        sample = pixels if target[-1] == c else pixels.transpose(2, 0, 1)
    else:
        sample = pixels[..., 0] if len(target) == 2 else pixels.reshape(-1)
    return fit_array(sample, target, str(path))


def _flatten_transparency(img: Any) -> Any:
    """Transparency onto the background that shows the ink: white under dark strokes, black under light ones.

    A digit drawn in white on a transparent canvas (as dark-mode apps save them) would vanish
    onto white; one drawn in black would vanish onto black. The ink's colour is the mean
    luminance of the visible pixels, weighted by their opacity.
    """
    import numpy as np
    from PIL import Image

    rgba = img.convert("RGBA")
    pixels = np.asarray(rgba, dtype=np.float32)
    alpha = pixels[..., 3] / 255.0
    weight = float(alpha.sum())
    luminance = pixels[..., :3] @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    ink = float((luminance * alpha).sum()) / weight if weight > 0 else 0.0
    shade = 0 if ink > 127.5 else 255
    background = Image.new("RGBA", rgba.size, (shade, shade, shade, 255))
    return Image.alpha_composite(background, rgba)


def _border_mean(gray: np.ndarray) -> float:
    import numpy as np

    edges = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    return float(edges.mean())


def _mnist_style(gray: np.ndarray, h: int, w: int) -> np.ndarray:
    """Crop the (light) digit to its box, scale it into 20/28 of the frame, centre it by mass."""
    import numpy as np
    from PIL import Image

    peak = float(gray.max())
    if peak <= 0:
        return np.zeros((h, w), dtype=np.float32)
    ink = gray > 0.2 * peak
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    crop = gray[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    box_h, box_w = max(1, round(h * 20 / 28)), max(1, round(w * 20 / 28))
    scale = min(box_h / crop.shape[0], box_w / crop.shape[1])
    new_h, new_w = max(1, round(crop.shape[0] * scale)), max(1, round(crop.shape[1] * scale))
    digit = Image.fromarray(crop.astype(np.uint8), mode="L").resize((new_w, new_h), Image.Resampling.LANCZOS)
    small = np.asarray(digit, dtype=np.float32)
    total = small.sum()
    if total > 0:
        cy = float((small.sum(axis=1) * np.arange(new_h)).sum() / total)
        cx = float((small.sum(axis=0) * np.arange(new_w)).sum() / total)
    else:
        cy, cx = (new_h - 1) / 2, (new_w - 1) / 2
    top = min(max(round((h - 1) / 2 - cy), 0), h - new_h)
    left = min(max(round((w - 1) / 2 - cx), 0), w - new_w)
    canvas = np.zeros((h, w), dtype=np.float32)
    canvas[top : top + new_h, left : left + new_w] = small
    return canvas


def check_input(raw: str | os.PathLike[str]) -> Path:
    """Refuse an input from what can be known without reading it: its kind and its headers.

    FileNotFoundError or :class:`~kerasspec.files.NotARegularFileError` (exit 2) for a missing
    file or a FIFO/device; :class:`PredictError` for a folder or a file that declares too much.
    """
    from .data import check_array_file

    path = Path(raw)
    if not path.exists():
        raise FileNotFoundError(2, "no such file", str(path))
    if path.is_dir():
        raise PredictError(f"{path}: a folder; give the image or array files themselves")
    if path.suffix.lower() in ARRAY_SUFFIXES:
        check_array_file(path, error=PredictError)
    else:
        _open_image(path, decode=False)
    return path


def load_inputs(paths: list[str | os.PathLike[str]], target: Shape) -> list[tuple[str, np.ndarray]]:
    """Each input file as ``(name, batch)`` ready for ``model.predict``; names index batches."""
    out: list[tuple[str, np.ndarray]] = []
    for raw in paths:
        path = check_input(raw)
        if path.suffix.lower() in ARRAY_SUFFIXES:
            for name, array in read_arrays(path):
                batch, single = _fit(array, target, name)
                out.append((name if single else f"{name}[*]", _to_float(batch, name)))
        else:
            out.append((str(path), read_image(path, target)))
    return out


# --------------------------------------------------------------------------- model


def _from_logits(model: Any, *, guess: bool = True) -> bool:
    """Whether the model outputs logits: its compiled loss says so, or (uncompiled, when ``guess``)
    its last activation is linear. An autoencoder's linear output is its reconstruction: only a
    compiled loss says it is logits (``guess=False``)."""
    loss = getattr(model, "loss", None)
    if loss is not None:
        if isinstance(loss, str):
            return False
        config: dict[str, Any] = {}
        try:
            config = loss.get_config() or {}
        except Exception:  # a plain function has no config
            config = {}
        return bool(config.get("from_logits", False))
    return guess and _last_activation(model) == "linear"


def _last_activation(model: Any) -> str:
    for layer in reversed(model.layers):
        activation = getattr(layer, "activation", None)
        if activation is not None:
            return str(getattr(activation, "__name__", ""))
    return "linear"


def _loss_name(model: Any) -> str | None:
    loss = getattr(model, "loss", None)
    if loss is None:
        return None
    if isinstance(loss, str):
        return loss
    return getattr(loss, "__name__", None) if callable(loss) and not hasattr(loss, "get_config") else type(loss).__name__


def infer_task(model: Any) -> str:
    """The task a model was trained for, read from it as a Keras user would.

    A class-distribution loss (sparse_/categorical crossentropy) is classification; an output
    of the input's shape is a reconstruction (an autoencoder); a regression loss (MSE, MAE,
    Huber...) is regression; a binary crossentropy is binary over one unit, multi_label over
    several. Uncompiled, the last activation decides: softmax classes, sigmoid binary or
    multi-label; a linear output of rank 2 is taken as class logits, of higher rank as values.
    """
    from .semantics import loss_info

    in_shape, out_shape = tuple(model.input_shape[1:]), tuple(model.output_shape[1:])
    units = out_shape[-1] if len(out_shape) == 1 else None
    name = _loss_name(model)
    info = loss_info(name) if name is not None else None
    if info is not None and info.family in ("sparse", "categorical"):
        return "classification"
    if out_shape == in_shape and len(out_shape) >= 1 and units != 1:
        return "reconstruction"
    if info is not None and info.regression:
        return "regression"
    activation = _last_activation(model)
    if (info is not None and info.family == "binary") or activation == "sigmoid":
        if units == 1:
            return "binary"
        return "multi_label" if units is not None else "regression"
    if info is not None:  # another loss over continuous targets (Poisson, cosine...)
        return "regression"
    if units is not None and activation in ("softmax", "linear"):
        return "classification"
    return "regression"


def _read_small(path: Path) -> bytes | None:
    from .files import read_bytes_bounded

    try:
        return read_bytes_bounded(path, 5_000_000)
    except OSError:
        return None


def run_task(model_path: Path) -> tuple[str | None, int | None]:
    """The task (and binary's positive class) of the run directory a model file is in, if it is in one.

    ``metrics.json`` says it once the run finished; ``spec.yaml`` (the resolved spec) before.
    """
    import yaml

    folder = model_path.parent
    raw = _read_small(folder / "metrics.json")
    if raw:
        try:
            found = json.loads(raw)
        except (ValueError, RecursionError):
            found = None
        if isinstance(found, dict) and found.get("task") in TASKS:
            k = found.get("positive_class")
            return found["task"], k if isinstance(k, int) and not isinstance(k, bool) else None
    raw = _read_small(folder / "spec.yaml")
    if raw:
        try:
            spec = yaml.safe_load(raw)
        except (yaml.YAMLError, RecursionError):
            spec = None
        data = spec.get("data") if isinstance(spec, dict) else None
        if isinstance(data, dict) and data.get("task") in TASKS:
            k = data.get("positive_class")
            return data["task"], k if isinstance(k, int) and not isinstance(k, bool) else None
    return None, None


def probabilities(outputs: np.ndarray, from_logits: bool) -> np.ndarray:
    """Rows of class probabilities; a single sigmoid unit p becomes ``[1 - p, p]``."""
    import numpy as np

    outputs = np.asarray(outputs, dtype=np.float64)
    if outputs.shape[-1] == 1:
        p = 1.0 / (1.0 + np.exp(-outputs[:, 0])) if from_logits else outputs[:, 0]
        return np.stack([1.0 - p, p], axis=1)
    if from_logits:
        z = outputs - outputs.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)
    return outputs


def _sigmoid(outputs: np.ndarray, from_logits: bool) -> np.ndarray:
    import numpy as np

    outputs = np.asarray(outputs, dtype=np.float64)
    return 1.0 / (1.0 + np.exp(-outputs)) if from_logits else outputs


def check_output(output: str | os.PathLike[str] | None, task: str | None = None) -> Path | None:
    """Refuse an ``--output`` that cannot be written, before Keras is imported: ``.npy``, or ``.png`` for reconstructions."""
    if output is None:
        return None
    target = Path(output)
    suffix = target.suffix.lower()
    if suffix not in (".npy", ".png"):
        raise PredictError(f"{target}: --output writes the outputs to an .npy file (or, for an autoencoder, a picture .png)")
    if suffix == ".png" and task is not None and task != "reconstruction":
        raise PredictError(f"{target}: a picture of reconstructions needs a reconstruction model (this one is {task}); use .npy")
    if not target.parent.is_dir():
        raise FileNotFoundError(2, "no such folder", str(target.parent))
    return target


def predict(
    model: str | os.PathLike[str],
    inputs: list[str | os.PathLike[str]],
    *,
    batch_size: int = 256,
    task: str | None = None,
    output: str | os.PathLike[str] | None = None,
) -> Predictions:
    """Every sample of every input through the model, read as its task reads outputs.

    ``model`` is a ``.keras`` file or a run directory (its ``model.keras``). ``task`` (one of
    :data:`TASKS`) says what the model predicts; without it, the run
    directory the model is in says (its ``metrics.json`` or ``spec.yaml``), else the model
    itself (:func:`infer_task`). ``output`` saves the outputs: an ``.npy`` of all of them, in
    the order reported (probabilities for classes, the values for a regression, the
    reconstructions for an autoencoder), or, for an autoencoder, a ``.png`` of the inputs
    above their reconstructions (the first 20).
    """
    import numpy as np

    from .training import TrainError, load_keras_model

    if task is not None and task not in TASKS:
        raise PredictError(f"unknown task {task!r}: expected one of {', '.join(TASKS)}")
    model_path = Path(model)
    if model_path.is_dir() and (model_path / "model.keras").is_file():
        model_path = model_path / "model.keras"  # a run directory, as `evaluate` takes one
    source, positive_class = ("given", None) if task is not None else ("run", None)
    if task is None and model_path.is_file():
        task, positive_class = run_task(model_path)
    # Every file is checked before Keras is imported: a bad input fails in a second, not after ten.
    target_file = check_output(output, task)
    for raw in inputs:
        check_input(raw)
    try:
        keras_model = load_keras_model(model_path)
    except TrainError as exc:
        raise PredictError(str(exc)) from None
    if task is None:
        task, source = infer_task(keras_model), "model"
    if target_file is not None:
        check_output(target_file, task)
    target: Shape = tuple(keras_model.input_shape[1:])
    output_shape = tuple(keras_model.output_shape)
    if task in ("classification", "binary", "multi_label") and len(output_shape) != 2:
        raise PredictError(
            f"{model}: the model's output has shape {_fmt(output_shape)}; {task} reports classes or labels, "
            "which needs an output of shape (batch, classes)"
        )
    if task == "reconstruction" and tuple(output_shape[1:]) != target:
        raise PredictError(
            f"{model}: the model's output has shape {_fmt(output_shape)}, its input {_fmt((None, *target))}; "
            "a reconstruction gives back the input's shape"
        )
    batches = load_inputs(inputs, target)
    logits = _from_logits(keras_model, guess=task != "reconstruction")
    found: list[Prediction] = []
    outputs: list[np.ndarray] = []
    for name, batch in batches:
        raw_out = np.asarray(keras_model.predict(batch, batch_size=batch_size, verbose=0))
        shown = _shown(task, raw_out, logits)
        outputs.append(shown)
        for i in range(len(batch)):
            label = name.replace("[*]", f"[{i}]")
            found.append(_one(task, label, shown[i], batch[i]))
    result = Predictions(task, found, np.concatenate(outputs) if outputs else None,
                         np.concatenate([b for _, b in batches]) if batches else None, source, positive_class)
    if target_file is not None:
        save_outputs(result, target_file)
    return result


def _shown(task: str, outputs: np.ndarray, logits: bool) -> np.ndarray:
    """The model's outputs as the task reads them: probabilities where it outputs logits."""
    if task in ("classification", "binary"):
        return probabilities(outputs.reshape(len(outputs), -1), logits)
    if task == "multi_label" or (task == "reconstruction" and logits):
        return _sigmoid(outputs, logits)  # a per-pixel crossentropy from logits: pixels are its sigmoid
    return outputs


def _rounded(value: Any) -> Any:
    import numpy as np

    array = np.asarray(value, dtype=np.float64)
    return round(float(array), 6) if array.ndim == 0 else np.round(array, 6).tolist()


def _one(task: str, name: str, out: np.ndarray, x: np.ndarray) -> Prediction:
    import numpy as np

    if task in ("classification", "binary"):
        return Prediction(name, task, predicted_class=int(out.argmax()), probabilities=[round(float(p), 6) for p in out])
    if task == "multi_label":
        return Prediction(name, task, predicted_labels=[int(p > THRESHOLD) for p in out],
                          probabilities=[round(float(p), 6) for p in out])
    if task == "regression":
        return Prediction(name, task, prediction=_rounded(out[0] if out.shape == (1,) else out))
    error = float(np.mean((np.asarray(out, np.float64) - np.asarray(x, np.float64)) ** 2))
    return Prediction(name, task, reconstruction_error=round(error, 6))


def save_outputs(result: Predictions, target: Path) -> Path:
    """``--output``: the outputs as an ``.npy`` (atomically), or a picture of the first reconstructions."""
    import numpy as np

    from .files import atomic_path

    if target.suffix.lower() == ".png":
        from . import plots

        n = MAX_PICTURED
        return plots.reconstructions(result.inputs[:n], result.outputs[:n], target)
    with atomic_path(target) as tmp, open(tmp, "wb") as fh:
        np.save(fh, np.asarray(result.outputs, dtype=np.float32), allow_pickle=False)
    return target


def _values(value: Any, limit: int = 10) -> str:
    if not isinstance(value, list):
        return f"{value:.4f}"
    import numpy as np

    flat = np.asarray(value, dtype=np.float64).reshape(-1)
    shown = ", ".join(f"{v:.4f}" for v in flat[:limit])
    return f"[{shown}{', ...' if len(flat) > limit else ''}]" + (f" ({len(flat)} values)" if len(flat) > limit else "")


def render(predictions: Predictions | list[Prediction], model: str, fmt: str = "text",
           output: str | os.PathLike[str] | None = None) -> str:
    items = list(predictions)
    task = predictions.task if isinstance(predictions, Predictions) else (items[0].task if items else "classification")
    if fmt == "json":
        doc: dict[str, Any] = {"model": model, "task": task}
        if isinstance(predictions, Predictions) and predictions.positive_class is not None:
            doc["positive_class"] = predictions.positive_class
        if output is not None:
            doc["output"] = str(output)
        doc["predictions"] = [p.to_dict() for p in items]
        return json.dumps(doc, indent=2)
    lines = []
    for p in items:
        if p.task in ("classification", "binary"):
            assert p.probabilities is not None and p.predicted_class is not None
            lines.append(f"{p.input}: class {p.predicted_class} ({p.probabilities[p.predicted_class]:.2%})")
            lines.append("  " + "  ".join(f"{k}:{v:.4f}" for k, v in enumerate(p.probabilities)))
        elif p.task == "multi_label":
            assert p.probabilities is not None and p.predicted_labels is not None
            on = [str(k) for k, v in enumerate(p.predicted_labels) if v]
            lines.append(f"{p.input}: labels {', '.join(on) if on else '(none above 0.5)'} of {len(p.predicted_labels)}")
            lines.append("  " + "  ".join(f"{k}:{v:.4f}" for k, v in enumerate(p.probabilities)))
        elif p.task == "regression":
            lines.append(f"{p.input}: {_values(p.prediction)}")
        else:
            lines.append(f"{p.input}: reconstructed, mean squared error {p.reconstruction_error:.6f}")
    if output is not None:
        lines.append(f"wrote {output}")
    elif task == "reconstruction" and items:
        lines.append("(--output FILE.npy saves the reconstructions, --output FILE.png draws them)")
    return "\n".join(lines)


__all__ = [
    "TASKS",
    "PredictError",
    "Prediction",
    "Predictions",
    "fit_array",
    "infer_task",
    "load_inputs",
    "predict",
    "probabilities",
    "read_image",
]
