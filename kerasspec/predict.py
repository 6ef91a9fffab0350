"""Prediction: class probabilities from a saved model for arrays and images.

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


@dataclass(frozen=True)
class Prediction:
    input: str
    predicted_class: int
    probabilities: list[float]

    def to_dict(self) -> dict[str, Any]:
        return {"input": self.input, "predicted_class": self.predicted_class, "probabilities": self.probabilities}


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
        raise PredictError("reading images needs Pillow: pip install 'kerasspec[tf-cpu]'") from None
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


def _from_logits(model: Any) -> bool:
    """Whether the model outputs logits: its compiled loss says so, or (uncompiled) its last activation is linear."""
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
    for layer in reversed(model.layers):
        activation = getattr(layer, "activation", None)
        if activation is not None:
            return getattr(activation, "__name__", "") == "linear"
    return True


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


def predict(
    model: str | os.PathLike[str],
    inputs: list[str | os.PathLike[str]],
    *,
    batch_size: int = 256,
) -> list[Prediction]:
    """Class probabilities and the predicted class for every sample of every input."""
    from .training import TrainError, load_keras_model

    # Every file is checked before Keras is imported: a bad input fails in a second, not after ten.
    for raw in inputs:
        check_input(raw)
    try:
        keras_model = load_keras_model(model)
    except TrainError as exc:
        raise PredictError(str(exc)) from None
    target: Shape = tuple(keras_model.input_shape[1:])
    output_shape = tuple(keras_model.output_shape)
    if len(output_shape) != 2:
        raise PredictError(
            f"{model}: the model's output has shape {_fmt(output_shape)}; predict reports classes, "
            "which needs an output of shape (batch, classes)"
        )
    batches = load_inputs(inputs, target)
    logits = _from_logits(keras_model)
    found: list[Prediction] = []
    for name, batch in batches:
        probs = probabilities(keras_model.predict(batch, batch_size=batch_size, verbose=0), logits)
        for i, row in enumerate(probs):
            label = name.replace("[*]", f"[{i}]")
            found.append(Prediction(label, int(row.argmax()), [round(float(p), 6) for p in row]))
    return found


def render(predictions: list[Prediction], model: str, fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps({"model": model, "predictions": [p.to_dict() for p in predictions]}, indent=2)
    lines = []
    for p in predictions:
        lines.append(f"{p.input}: class {p.predicted_class} ({p.probabilities[p.predicted_class]:.2%})")
        lines.append("  " + "  ".join(f"{k}:{v:.4f}" for k, v in enumerate(p.probabilities)))
    return "\n".join(lines)


__all__ = ["PredictError", "Prediction", "fit_array", "load_inputs", "predict", "probabilities", "read_image"]
