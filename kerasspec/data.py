"""Data stage: find, read, check and adapt the arrays a spec trains on.

Three kinds of source:

- ``mnist``: a named local copy (``path``), else Keras's cache
  (``$KERAS_HOME/datasets/mnist.npz``, by default ``~/.keras/datasets``), else a
  download through ``keras.utils.get_file`` (sha256-checked), else the 5,000-digit
  MNIST sample embedded in this package, with a loud warning saying so.
- ``fashion_mnist``: ``path``, Keras's cache (``datasets/fashion-mnist/``), Debian's
  ``dataset-fashion-mnist`` (``/usr/share/datasets/fashion-mnist``), a download;
  there is no embedded sample, so failing all four is a :class:`DataError`.
- a path: an ``.npz`` with ``x_train, y_train, x_test, y_test`` (Keras's
  ``mnist.npz`` layout) or a folder of MNIST-style IDX files.

Every problem with the data is a :class:`DataError` raised here, before a model
is built or trained, naming the file and what is wrong with it.

:func:`prepare` then adapts a dataset to a model: pixels to float32, images to
the model's input shape, labels to the loss's encoding.

NumPy is imported inside the functions and Keras only inside the download
helper: ``kerasspec.data.DataError`` must be importable on the lint-only install,
which has neither.
"""

from __future__ import annotations

import contextlib
import difflib
import gzip
import io
import os
import shutil
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from .diagnostics import KerasspecError
from .files import ArchiveLimits, InputTooLargeError, check_zip, human_size, open_regular

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "DEBIAN_FASHION_MNIST_DIR",
    "FASHION_MNIST_ORIGIN",
    "MNIST_ORIGIN",
    "MNIST_SHA256",
    "SAMPLE_TEST_SIZE",
    "SAMPLE_TRAIN_SIZE",
    "DataError",
    "Dataset",
    "SampleDataWarning",
    "keras_cache_dir",
    "load_dataset",
    "load_idx_split",
    "load_sample",
    "prepare",
    "scale_pixels",
]

#: Where Keras's ``keras.datasets.mnist.load_data`` downloads from, and the sha256
#: it checks (copied from ``keras/src/datasets/mnist.py``).
MNIST_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
#: The folder Keras's ``fashion_mnist.load_data`` downloads its four IDX files from.
FASHION_MNIST_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
#: Where Debian's package ``dataset-fashion-mnist`` installs the full 70,000 images.
DEBIAN_FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"

ENV_MNIST_ORIGIN = "KERASSPEC_MNIST_ORIGIN"
ENV_MNIST_SHA256 = "KERASSPEC_MNIST_SHA256"
ENV_FASHION_MNIST_ORIGIN = "KERASSPEC_FASHION_MNIST_ORIGIN"
ENV_FASHION_MNIST_DIR = "KERASSPEC_FASHION_MNIST_DIR"

#: The embedded sample is stored so that its first 4,000 digits (400 per class)
#: are the training part and its last 1,000 (100 per class) the test part.
SAMPLE_TRAIN_SIZE = 4_000
SAMPLE_TEST_SIZE = 1_000
SAMPLE_SOURCE = "embedded MNIST sample (5,000 digits)"

KNOWN_DATASETS = ("mnist", "fashion_mnist")
_NAMED_NUM_CLASSES = 10
ARRAY_NAMES = ("x_train", "y_train", "x_test", "y_test")
#: What ``data.task`` says the targets are (kerasspec.spec.TASKS; repeated here because
#: this module must not import the spec language).
TASKS = ("classification", "binary", "multi_label", "regression", "reconstruction")
#: Tasks whose targets are class ids.
CLASS_TASKS = ("classification", "binary")
IDX_SPLITS = ("train", "t10k")

# IDX type byte -> big-endian NumPy dtype (http://yann.lecun.com/exdb/mnist/).
_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
# A header is untrusted: refuse sizes no real image set has before allocating.
_IDX_MAX_BYTES = 16 * 2**30

Warn = Callable[[str], None]


class DataError(KerasspecError):
    """The data cannot be used: the message says which file and what is wrong."""


class SampleDataWarning(UserWarning):
    """Training falls back to the embedded 5,000-digit MNIST sample."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """Train and test arrays plus where they came from.

    ``eq=False``: comparing arrays elementwise inside ``==`` would be wrong and slow.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    name: str
    source: str
    num_classes: int
    is_sample: bool = False

    def __repr__(self) -> str:
        return (
            f"Dataset(name={self.name!r}, source={self.source!r}, "
            f"x_train={self.x_train.shape}/{self.x_train.dtype}, "
            f"y_train={self.y_train.shape}/{self.y_train.dtype}, "
            f"x_test={self.x_test.shape}/{self.x_test.dtype}, "
            f"y_test={self.y_test.shape}/{self.y_test.dtype}, "
            f"num_classes={self.num_classes}, is_sample={self.is_sample})"
        )


# --------------------------------------------------------------------------- #
# Public entry points
# --------------------------------------------------------------------------- #


def load_dataset(
    dataset: str | os.PathLike[str] = "mnist",
    *,
    path: str | os.PathLike[str] | None = None,
    allow_download: bool = True,
    origin: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    warn: Warn | None = None,
    sha256: str | None = None,
    task: str = "classification",
    arrays: Mapping[str, str] | None = None,
    purpose: Literal["training", "evaluating"] = "training",
) -> Dataset:
    """Load ``mnist``, ``fashion_mnist`` or a user ``.npz``/IDX folder, checked.

    ``path`` names a local copy and wins over every other source (it is what
    ``--data PATH`` passes). ``origin`` replaces the download URL (for
    ``fashion_mnist``, the folder URL), ``cache_dir`` the Keras home
    (``$KERAS_HOME`` or ``~/.keras``), ``sha256`` the hash a downloaded
    ``mnist.npz`` must have. ``warn`` receives the fallback-to-sample message;
    by default it is issued as a :class:`SampleDataWarning`; ``purpose`` says in it what
    the sample is used for (``evaluate`` reads only its test part).

    A download first asks the server (with a timeout): offline, it falls back at once,
    without importing Keras and without Keras's "Downloading data from" line.

    ``task`` (one of :data:`TASKS`) says what a user file's ``y`` arrays hold: class ids
    for ``classification`` and ``binary``, numbers for ``regression``, multi-hot rows for
    ``multi_label``; ``reconstruction`` needs no ``y`` arrays (the target is the input,
    and the returned ``y_*`` are the ``x_*``). ``arrays`` maps the roles ``x_train``,
    ``y_train``, ``x_test``, ``y_test`` to the names inside a user ``.npz`` (the
    spec's ``data.arrays``). MNIST and Fashion-MNIST are always read as digits and
    their class ids; :func:`prepare` encodes those for the task.

    Raises :class:`DataError` for any unusable data.
    """
    if task not in TASKS:
        raise ValueError(f"task must be one of {', '.join(TASKS)}, got {task!r}")
    name = os.fspath(dataset)
    if name == "mnist":
        return _load_mnist(
            path=path,
            allow_download=allow_download,
            origin=origin,
            cache_dir=cache_dir,
            warn=warn,
            sha256=sha256,
            purpose=purpose,
        )
    if name == "fashion_mnist":
        return _load_fashion_mnist(
            path=path, allow_download=allow_download, origin=origin, cache_dir=cache_dir
        )
    target = Path(path if path is not None else name)
    if path is None and not target.exists() and not _looks_like_path(name):
        close = difflib.get_close_matches(name.lower().replace("-", "_"), KNOWN_DATASETS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise DataError(
            f"unknown dataset {name!r}{hint}: expected 'mnist', 'fashion_mnist' or a path "
            "to an .npz file with arrays x_train, y_train, x_test, y_test"
        )
    return _load_local(target, name=str(target), named=False, task=task, arrays=arrays)


def load_sample() -> Dataset:
    """The embedded 5,000-digit MNIST sample, split 4,000 train / 1,000 test.

    No warning here: callers that fall back to it are the ones who must say so.
    """
    import numpy as np

    ref = resources.files("kerasspec").joinpath("data", "mnist_sample.npz")
    where = "the embedded MNIST sample (kerasspec/data/mnist_sample.npz)"
    try:
        raw = ref.read_bytes()
        with np.load(io.BytesIO(raw), allow_pickle=False) as f:
            x, y = f["x"], f["y"]
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise DataError(f"{where} is missing or damaged ({exc}); reinstall kerasspec") from exc
    if x.shape != (SAMPLE_TRAIN_SIZE + SAMPLE_TEST_SIZE, 28, 28) or y.shape != (x.shape[0],):
        raise DataError(f"{where} has unexpected shapes {x.shape}, {y.shape}; reinstall kerasspec")
    n = SAMPLE_TRAIN_SIZE
    # Slices are views: the split costs no copy.
    return Dataset(
        x_train=x[:n],
        y_train=y[:n],
        x_test=x[n:],
        y_test=y[n:],
        name="mnist",
        source=SAMPLE_SOURCE,
        num_classes=_NAMED_NUM_CLASSES,
        is_sample=True,
    )


def load_idx_split(
    folder: str | os.PathLike[str], split: Literal["train", "t10k"] = "t10k"
) -> tuple[np.ndarray, np.ndarray]:
    """Read one split (``train`` or ``t10k``) of an IDX folder: ``(images, labels)``.

    For a folder that holds only part of a dataset, such as the official MNIST
    test set on its own. Files may be gzipped or not.
    """
    if split not in IDX_SPLITS:
        raise ValueError(f"split must be one of {IDX_SPLITS}, got {split!r}")
    root = Path(folder)
    if not root.is_dir():
        raise DataError(f"{root}: no such folder of IDX files")
    images_path = _find_idx(root, split, "images", "idx3")
    labels_path = _find_idx(root, split, "labels", "idx1")
    images = _read_idx(images_path)
    labels = _read_idx(labels_path)
    if images.ndim != 3:
        raise DataError(
            f"{images_path}: expected images (3 dimensions: count, rows, columns), "
            f"found {images.ndim} dimension(s) {images.shape}"
        )
    if labels.ndim != 1:
        raise DataError(
            f"{labels_path}: expected labels (1 dimension), found {labels.ndim} "
            f"dimensions {labels.shape}"
        )
    if len(images) != len(labels):
        raise DataError(
            f"{root}: {images_path.name} has {len(images):,} images but "
            f"{labels_path.name} has {len(labels):,} labels"
        )
    return images, labels


def keras_cache_dir(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The Keras home that holds ``datasets/``, resolved the way Keras resolves it.

    Read at call time, not at import as Keras does, so ``KERAS_HOME`` set after
    start-up (and in tests) is honoured.
    """
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    env = os.environ.get("KERAS_HOME")
    if env:
        return Path(env).expanduser()
    home = Path("~").expanduser()
    # Keras's own rule for an unwritable home: it caches under /tmp instead.
    return (home if os.access(home, os.W_OK) else Path("/tmp")) / ".keras"


def prepare(
    ds: Dataset,
    *,
    input_shape: tuple[int | None, ...],
    labels: Literal["sparse", "one_hot"] = "sparse",
    num_classes: int | None = None,
    scale: bool = True,
    task: str = "classification",
    positive_class: int | None = None,
    output_shape: tuple[int | None, ...] | None = None,
) -> Dataset:
    """A copy of ``ds`` adapted to a model: float32 inputs, shaped, targets encoded for ``task``.

    Pixel scaling rule: integer arrays whose values all lie in 0..255 (uint8
    images) are divided by 255 into float32 [0, 1]. Float arrays are never
    rescaled, only cast to float32: values already in [0, 1] are left alone, and
    anything else (standardised data, say) is taken as the user meant it. Other
    integer arrays are cast to float32 unscaled.

    Shape rule, per sample (the batch dimension is not part of ``input_shape``):
    equal shapes pass; ``(H, W, C)`` and ``(C, H, W)`` are transposed into each
    other; otherwise a reshape is done when the number of values per sample
    matches exactly (so 28x28 images fit ``(28, 28)``, ``(28, 28, 1)``,
    ``(1, 28, 28)`` and ``(784,)``); ``None`` dimensions take what the data has.
    Anything else is a :class:`DataError` naming both shapes.

    With ``scale=False`` (a model whose first layer reads integer ids, e.g. an
    Embedding) inputs are only shaped, never scaled or cast.

    Targets, by ``task`` (``output_shape`` is the model's per-sample output, without
    the batch; when given, targets are shaped to it):

    - ``classification``: ``labels="sparse"`` gives int32 class ids ``(N,)``;
      ``"one_hot"`` gives float32 ``(N, num_classes)``. ``num_classes`` (say, the
      final layer's units) defaults to ``ds.num_classes``; labels must all be below it.
    - ``binary``: 0/1. With ``positive_class=k`` the class ids become ``y == k`` (one
      class against the rest); without it they must be 0 or 1 already. float32, shaped
      as a one-unit output (``(N, 1)``), or int32 ids ``(N,)`` for a two-unit output
      (a softmax under sparse crossentropy).
    - ``multi_label``: float32 multi-hot rows ``(N, labels)``, every value 0 or 1.
    - ``regression``: float32 numbers, finite; a target with as many values as the
      output is reshaped to it (``(N,)`` for a ``(1,)`` output becomes ``(N, 1)``).
    - ``reconstruction``: the prepared inputs themselves (``y_train is x_train``).

    The returned ``num_classes`` is the targets' classes (2 for binary, the labels for
    multi-label), 0 for regression and reconstruction.
    """
    import numpy as np

    if labels not in ("sparse", "one_hot"):
        raise ValueError(f"labels must be 'sparse' or 'one_hot', got {labels!r}")
    if task not in TASKS:
        raise ValueError(f"task must be one of {', '.join(TASKS)}, got {task!r}")
    out = tuple(output_shape) if output_shape is not None else None
    n_classes = ds.num_classes if num_classes is None else int(num_classes)
    if task == "classification" and n_classes < 1:
        raise DataError(f"{ds.name}: num_classes must be at least 1, got {n_classes}")
    if task == "binary" and positive_class is not None and not 0 <= positive_class < ds.num_classes:
        raise DataError(
            f"{ds.name}: positive_class {positive_class} is not one of its classes "
            f"0..{ds.num_classes - 1}; name the class that counts as 1"
        )
    if ds.x_train.shape[1:] != ds.x_test.shape[1:]:
        raise DataError(
            f"{ds.name}: x_train samples have shape {ds.x_train.shape[1:]} but x_test samples "
            f"have shape {ds.x_test.shape[1:]}; they must match"
        )
    target = _resolve_input_shape(ds, tuple(input_shape))

    def adapt_x(x: np.ndarray) -> np.ndarray:
        if not scale:  # token ids for an Embedding: integers, never pixels
            return _fit_shape(x, target)
        return scale_pixels(_fit_shape(x, target))

    def adapt_y(y: np.ndarray, which: str, n: int) -> np.ndarray:
        # Re-checked because a Dataset may be built by hand, not only by load_dataset.
        y, _ = _check_y(ds.name, which, y, n, which.replace("y_", "x_"))
        if y.size and int(y.max()) >= n_classes:
            bad = int(np.argmax(y >= n_classes))
            raise DataError(
                f"{ds.name}: {which}[{bad}] is {int(y[bad])}, but the model has "
                f"{n_classes} classes (labels must be 0..{n_classes - 1}); "
                "check the final layer's units"
            )
        if labels == "sparse":
            return y.astype(np.int32, copy=False)
        return np.eye(n_classes, dtype=np.float32)[y]

    def binary_y(y: np.ndarray, which: str, n: int) -> np.ndarray:
        ids, _ = _check_y(ds.name, which, y, n, which.replace("y_", "x_"))
        if positive_class is not None:
            ids = ids == positive_class
        elif ids.size and int(ids.max()) > 1:
            bad = int(np.argmax(ids > 1))
            raise DataError(
                f"{ds.name}: {which}[{bad}] is {int(ids[bad])}, but a binary target is 0 or 1; "
                "name the class that counts as 1 with data.positive_class (one class against the rest)"
            )
        if out == (2,):  # two class scores under sparse crossentropy: class ids
            return ids.astype(np.int32)
        y01 = ids.astype(np.float32)
        return y01.reshape(n, *out) if out is not None and _values(out) == 1 else y01

    def multi_hot(y: np.ndarray, which: str, n: int) -> np.ndarray:
        y = _check_targets(ds.name, which, y, n, which.replace("y_", "x_"), "multi_label")
        if out is not None and not _fits(y.shape[1:], out):
            raise DataError(
                f"{ds.name}: {which} has {y.shape[1]} labels per sample, but the model outputs "
                f"{list(out)}; the last layer needs one unit per label"
            )
        return y.astype(np.float32, copy=False)

    def numbers(y: np.ndarray, which: str, n: int) -> np.ndarray:
        y = _check_targets(ds.name, which, y, n, which.replace("y_", "x_"), "regression")
        y = y.astype(np.float32, copy=False)
        if out is None or _fits(y.shape[1:], out):
            return y
        if _values(out) == _values(y.shape[1:]):
            return y.reshape(n, *(int(d) for d in out if d is not None))
        raise DataError(
            f"{ds.name}: each {which} target has shape {list(y.shape[1:])}, but the model outputs "
            f"{list(out)} per sample; they must match"
        )

    x_train, x_test = adapt_x(ds.x_train), adapt_x(ds.x_test)
    if task == "reconstruction":  # an autoencoder: the target is the very input it is fed
        return replace(ds, x_train=x_train, y_train=x_train, x_test=x_test, y_test=x_test, num_classes=0)
    adapt = {"classification": adapt_y, "binary": binary_y, "multi_label": multi_hot, "regression": numbers}[task]
    y_train = adapt(ds.y_train, "y_train", len(ds.x_train))
    y_test = adapt(ds.y_test, "y_test", len(ds.x_test))
    classes = {"classification": n_classes, "binary": 2, "multi_label": y_train.shape[-1]}.get(task, 0)
    return replace(ds, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test, num_classes=int(classes))


def _values(shape: tuple[int | None, ...]) -> int | None:
    """How many values one sample of this shape holds; None when a size is unknown."""
    n = 1
    for d in shape:
        if d is None:
            return None
        n *= int(d)
    return n


def _fits(have: tuple[int, ...], want: tuple[int | None, ...]) -> bool:
    return len(have) == len(want) and all(w is None or w == h for h, w in zip(have, want, strict=True))


# --------------------------------------------------------------------------- #
# MNIST and Fashion-MNIST resolution
# --------------------------------------------------------------------------- #


def _load_mnist(
    *,
    path: str | os.PathLike[str] | None,
    allow_download: bool,
    origin: str | None,
    cache_dir: str | os.PathLike[str] | None,
    warn: Warn | None,
    sha256: str | None,
    purpose: str = "training",
) -> Dataset:
    # An explicit path is the user's choice: a bad one is an error, never a fallback.
    if path is not None:
        return _load_local(Path(path), name="mnist", named=True)

    reasons: list[str] = []
    datasets_dir = keras_cache_dir(cache_dir) / "datasets"
    cached = datasets_dir / "mnist.npz"
    if cached.is_file():
        # The cache is checked for structure, not hash: a user may have put their
        # own equivalent copy there, which is how we tell people to get MNIST.
        try:
            return _load_local(cached, name="mnist", named=True, source=f"Keras cache {cached}")
        except DataError as exc:
            reasons.append(f"the cached file is unusable: {exc}")
    else:
        reasons.append(f"no file at {cached} (the Keras cache)")

    url = origin or os.environ.get(ENV_MNIST_ORIGIN) or MNIST_ORIGIN
    if allow_download:
        # Keras compares hex digests as strings: normalise what a user may paste.
        file_hash = (sha256 or os.environ.get(ENV_MNIST_SHA256) or MNIST_SHA256).strip().lower()
        try:
            _reachable(url)
            with _staging_dir(datasets_dir) as staging:
                fetched = _get_file("mnist.npz", url, file_hash, staging)
                ds = _load_local(fetched, name="mnist", named=True, source=f"downloaded from {url}")
                if _commit(fetched, cached):
                    ds = replace(ds, source=f"downloaded from {url} to {cached}")
                return ds
        # Any failure here (no network, HTTP error, hash mismatch, Keras missing,
        # a bad file) must end in the sample, not a traceback.
        except Exception as exc:
            reasons.append(f"downloading {url} failed: {_one_line(exc)}")
    else:
        reasons.append("downloading is turned off")

    ds = load_sample()
    _emit(warn, _sample_warning(reasons, cached, url, purpose))
    return ds


def _load_fashion_mnist(
    *,
    path: str | os.PathLike[str] | None,
    allow_download: bool,
    origin: str | None,
    cache_dir: str | os.PathLike[str] | None,
) -> Dataset:
    if path is not None:
        return _load_local(Path(path), name="fashion_mnist", named=True)

    reasons: list[str] = []
    cached = keras_cache_dir(cache_dir) / "datasets" / "fashion-mnist"
    system = Path(os.environ.get(ENV_FASHION_MNIST_DIR) or DEBIAN_FASHION_MNIST_DIR)
    for folder, label in ((cached, f"Keras cache {cached}"), (system, str(system))):
        if not folder.is_dir():
            reasons.append(f"no folder {folder}")
            continue
        try:
            return _load_local(folder, name="fashion_mnist", named=True, source=label)
        except DataError as exc:
            reasons.append(str(exc))

    base = origin or os.environ.get(ENV_FASHION_MNIST_ORIGIN) or FASHION_MNIST_ORIGIN
    if allow_download:
        base = base if base.endswith("/") else base + "/"
        try:
            _reachable(base + _FASHION_FILES[0])
            with _staging_dir(cached) as staging:
                for fname in _FASHION_FILES:
                    # Keras publishes no hashes for these files; the IDX reader's
                    # checks (magic, sizes, counts) are what guards them.
                    _get_file(fname, base + fname, None, staging)
                ds = _load_local(
                    staging, name="fashion_mnist", named=True, source=f"downloaded from {base}"
                )
                if all(_commit(staging / f, cached / f) for f in _FASHION_FILES):
                    ds = replace(ds, source=f"downloaded from {base} to {cached}")
                return ds
        except Exception as exc:
            reasons.append(f"downloading from {base} failed: {_one_line(exc)}")
    else:
        reasons.append("downloading is turned off")

    raise DataError(
        "Fashion-MNIST is not available, and kerasspec has no embedded sample of it:\n"
        + "".join(f"  - {r}\n" for r in reasons)
        + "To get it: `apt-get install dataset-fashion-mnist` (Debian/Ubuntu), or put the "
        f"four IDX .gz files ({', '.join(_FASHION_FILES)}) in {cached}, "
        "or pass --data PATH (a folder of those files or an .npz)."
    )


_FASHION_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)


def _sample_warning(reasons: Sequence[str], cached: Path, url: str, purpose: str = "training") -> str:
    bar = "!" * 78
    if purpose == "evaluating":  # evaluate reads the test part only: it trains nothing
        what = (
            f"kerasspec is evaluating on the {SAMPLE_TEST_SIZE:,} test digits of its built-in sample "
            "of 5,000 MNIST digits instead of the 10,000 of full MNIST's test set: the results "
            "are not comparable with published numbers.\n"
        )
    else:
        what = (
            f"kerasspec is training on its built-in sample of 5,000 MNIST digits "
            f"({SAMPLE_TRAIN_SIZE:,} train / {SAMPLE_TEST_SIZE:,} test) instead of the "
            "60,000 + 10,000 of full MNIST: accuracy will be lower than full MNIST gives "
            "and is not comparable with published numbers.\n"
        )
    return (
        f"{bar}\n"
        "USING THE EMBEDDED MNIST SAMPLE, NOT FULL MNIST.\n"
        + what
        + "Why full MNIST was not used:\n"
        + "".join(f"  - {r}\n" for r in reasons)
        + "To use full MNIST: download mnist.npz "
        f"({MNIST_ORIGIN}) and put it at {cached}, "
        "or pass --data PATH (an mnist.npz, or a folder of the MNIST IDX files).\n"
        f"{bar}"
    )


def _emit(warn: Warn | None, message: str) -> None:
    if warn is not None:
        warn(message)
    else:
        # stacklevel points past load_dataset's internals at its caller.
        warnings.warn(message, SampleDataWarning, stacklevel=4)


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, ImportError) and exc.name in ("keras", "tensorflow"):
        from .extras import install_hint

        return f"{exc.name} is not installed (downloads need it: {install_hint('tf-cpu')})"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


@contextlib.contextmanager
def _staging_dir(final_dir: Path) -> Iterator[Path]:
    """A scratch folder for downloads, next to ``final_dir`` when it is writable.

    Downloads land here and move into the cache only once they have been read
    and checked: Keras's ``get_file`` leaves a file whose hash did not match in
    place, and the cache step would otherwise trust it next time.
    """
    try:
        final_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".kerasspec-download-", dir=final_dir))
    except OSError:
        staging = Path(tempfile.mkdtemp(prefix="kerasspec-download-"))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _commit(src: Path, dst: Path) -> bool:
    """Move a checked download into the cache; an unwritable cache is not an error."""
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dst)
    except OSError:
        return False
    return True


#: Seconds a download waits for the server to answer (urllib's default is forever: a machine
#: whose network drops packets would hang instead of falling back).
DOWNLOAD_TIMEOUT_S = 30.0


def _reachable(url: str) -> None:
    """Raise (URLError, HTTPError, TimeoutError) unless the server answers ``url``.

    Keras's ``get_file`` prints "Downloading data from URL" before it connects, so an
    offline run would show it, then the fallback. Asked first, an offline machine falls
    back at once with one reason, and without importing Keras. Only the headers are read.
    """
    import urllib.request

    with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S):
        pass


def _get_file(fname: str, origin: str, file_hash: str | None, staging: Path) -> Path:
    import socket

    # Imported here: TensorFlow takes seconds to import, and only downloads need it; quietly,
    # without TensorFlow's native start-up lines.
    from .build import import_keras

    get_file = import_keras().utils.get_file
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)  # a stalled transfer fails instead of hanging
    try:
        return Path(
            get_file(
                fname=fname,
                origin=origin,
                file_hash=file_hash,
                cache_dir=str(staging),
                cache_subdir=".",
            )
        )
    finally:
        socket.setdefaulttimeout(previous)


# --------------------------------------------------------------------------- #
# Reading local files
# --------------------------------------------------------------------------- #

#: The most an array file (.npy, or an .npz in all, uncompressed) may declare. Headers are
#: untrusted: sizes are checked against the bytes that hold them before anything is read.
MAX_ARRAY_BYTES = 4 * 2**30
ARRAY_LIMITS = ArchiveLimits(max_member_bytes=MAX_ARRAY_BYTES, max_total_bytes=MAX_ARRAY_BYTES)

ArrayHeader = tuple[tuple[int, ...], "np.dtype[Any]"]


def _npy_header(
    fp: BinaryIO, where: str, available: int, error: type[KerasspecError], member: str | None = None
) -> ArrayHeader:
    """The shape and dtype an .npy stream declares, refused unless its ``available`` bytes hold them.

    ``member`` names the array inside an .npz archive ``where``.
    """
    import math

    from numpy.lib import format as npy_format

    refused = f"{where}: array {member} cannot be read" if member else f"{where}: cannot read it as a .npy array file"
    try:
        version = npy_format.read_magic(fp)
        if version == (1, 0):
            shape, _, dtype = npy_format.read_array_header_1_0(fp)
        elif version == (2, 0):
            shape, _, dtype = npy_format.read_array_header_2_0(fp)
        else:  # 3.0 (UTF-8 field names) has no public reader
            shape, _, dtype = npy_format._read_array_header(fp, version)  # type: ignore[attr-defined]
    except (ValueError, OSError, EOFError, SyntaxError) as exc:
        raise error(f"{refused}: not a valid .npy header ({_one_line(exc)})") from None
    if dtype.hasobject:
        raise error(f"{refused}: it holds Python objects (dtype {dtype}); arrays must be numeric, object arrays are refused")
    nbytes = math.prod(shape) * dtype.itemsize
    declared = f"its header declares shape {tuple(shape)} of {dtype} ({human_size(nbytes)})"
    if nbytes > MAX_ARRAY_BYTES:
        raise error(f"{refused}: {declared}, above the limit of {human_size(MAX_ARRAY_BYTES)}")
    left = available - fp.tell()
    if nbytes > left:
        raise error(f"{refused}: {declared} but only {human_size(max(left, 0))} follow (truncated or forged)")
    return tuple(int(d) for d in shape), dtype


def _check_array_file(f: BinaryIO, where: str, error: type[KerasspecError]) -> bool:
    """Check an open .npy/.npz file from its headers alone; True when it is an .npz archive."""
    import zipfile

    size = os.fstat(f.fileno()).st_size
    is_npz = f.read(4).startswith(b"PK\x03\x04") or zipfile.is_zipfile(f)
    f.seek(0)
    if not is_npz:
        _npy_header(f, where, size, error)
        f.seek(0)
        return False
    try:
        archive = zipfile.ZipFile(f)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise error(f"{where}: corrupt .npz file: {_one_line(exc)}") from None
    with archive:
        try:
            check_zip(archive, where, ARRAY_LIMITS)
        except InputTooLargeError as exc:
            raise error(str(exc)) from None
        for info in archive.infolist():
            if not info.filename.endswith(".npy"):
                continue
            try:
                with archive.open(info) as member:
                    _npy_header(member, where, info.file_size, error, info.filename[:-4])
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
                raise error(f"{where}: corrupt .npz file: {_one_line(exc)}") from None
    f.seek(0)
    return True


def check_array_file(path: str | os.PathLike[str], *, error: type[KerasspecError] = DataError) -> None:
    """Refuse an ``.npy``/``.npz`` file from its headers alone, as :func:`open_arrays` does before loading."""
    with open_regular(path) as f:
        _check_array_file(f, os.fspath(path), error)


@contextlib.contextmanager
def open_arrays(path: str | os.PathLike[str], *, error: type[KerasspecError] = DataError) -> Iterator[Any]:
    """An ``.npy`` file's array, or an ``.npz`` archive's ``NpzFile``, checked from headers first.

    Every array's shape and dtype are read from its header and refused (``error``) when
    they declare more than :data:`MAX_ARRAY_BYTES`, more than the file holds, or an
    archive member expands more than a real array does (a decompression bomb); only then
    is anything loaded, from the same open file. FIFOs and devices are refused (OSError).
    """
    import numpy as np

    where = os.fspath(path)
    with open_regular(where) as f:
        if _check_array_file(f, where, error):
            with np.load(f, allow_pickle=False) as npz:
                yield npz
            return
        try:
            array = np.load(f, allow_pickle=False)
        except (ValueError, OSError, EOFError) as exc:
            raise error(f"{where}: cannot read it as an .npy array: {_one_line(exc)}") from None
        yield array


def _looks_like_path(name: str) -> bool:
    return os.sep in name or "/" in name or Path(name).suffix != ""


def _load_local(
    target: Path,
    *,
    name: str,
    named: bool,
    source: str | None = None,
    task: str = "classification",
    arrays: Mapping[str, str] | None = None,
) -> Dataset:
    """Read an ``.npz`` or an IDX folder and check it as a whole (``y`` as ``task`` takes it)."""
    if target.is_dir():
        try:
            x_train, y_train = load_idx_split(target, "train")
            x_test, y_test = load_idx_split(target, "t10k")
        except DataError as exc:
            raise DataError(f"{exc} (reading {target} as a folder of IDX files)") from exc
    elif target.is_file():
        x_train, y_train, x_test, y_test = _read_npz(target, arrays, targets=task != "reconstruction")
    elif target.exists():  # a FIFO or a device: reading it could hang or never end
        raise DataError(f"{target}: not a regular file (a pipe or a device); give an .npz file or a folder of IDX files")
    else:
        raise DataError(
            f"{target}: no such file or folder (expected an .npz with x_train, y_train, "
            "x_test, y_test, or a folder of IDX files)"
        )
    return _checked(
        target,
        (x_train, y_train, x_test, y_test),
        name=name,
        source=source or str(target),
        min_classes=_NAMED_NUM_CLASSES if named else 1,
        task=task,
    )


def _read_npz(
    path: Path, names: Mapping[str, str] | None = None, *, targets: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The arrays by role, read under ``names`` (role -> name in the file).

    Without ``targets`` (a reconstruction: the target is the input) the ``y`` arrays
    are neither needed nor read, and the ``x`` arrays stand in for them.
    """
    roles = ARRAY_NAMES if targets else ("x_train", "x_test")
    names = {role: (names or {}).get(role, role) for role in roles}
    if not zipfile.is_zipfile(path):
        if _has_npy_magic(path):
            raise DataError(
                f"{path}: this is a single .npy array, not an .npz archive; save the "
                "arrays with numpy.savez(path, x_train=..., y_train=..., x_test=..., y_test=...)"
            )
        raise DataError(
            f"{path}: not an .npz file (an .npz is a zip archive of arrays x_train, "
            "y_train, x_test, y_test, as numpy.savez writes it)"
        )
    try:
        # Headers first: a member that declares more than it can hold is refused unread.
        with open_arrays(path) as f:
            present = set(f.files)
            missing = [_role_name(role, names[role]) for role in roles if names[role] not in present]
            if missing:
                raise DataError(
                    f"{path}: missing array(s) {', '.join(missing)}; it has "
                    f"{', '.join(sorted(present)) or 'no arrays'} (needed: "
                    f"{', '.join(names[role] for role in roles)}"
                    f"{'' if names == {r: r for r in roles} else '; names from data.arrays'})"
                )
            arrays = []
            for role in roles:
                a = names[role]
                try:
                    arrays.append(f[a])
                except ValueError as exc:
                    # allow_pickle=False turns object arrays into ValueError: name the array.
                    raise DataError(
                        f"{path}: array {a} cannot be read: {_one_line(exc)} "
                        "(arrays must be numeric; object arrays are refused)"
                    ) from exc
    except DataError:
        raise
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise DataError(f"{path}: corrupt .npz file: {_one_line(exc)}") from exc
    if not targets:
        return arrays[0], arrays[0], arrays[1], arrays[1]
    return arrays[0], arrays[1], arrays[2], arrays[3]


def _role_name(role: str, name: str) -> str:
    return role if role == name else f"{name} (data.arrays.{role})"


def _has_npy_magic(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(6) == b"\x93NUMPY"
    except OSError:
        return False


def _find_idx(root: Path, split: str, kind: str, idx: str) -> Path:
    # The official names, and the dotted variant some mirrors use.
    stems = (f"{split}-{kind}-{idx}-ubyte", f"{split}-{kind}.{idx}-ubyte")
    for stem in stems:
        for candidate in (root / stem, root / f"{stem}.gz"):
            if candidate.is_file():
                return candidate
    raise DataError(f"{root}: missing {stems[0]}[.gz]")


def _read_idx(path: Path) -> np.ndarray:
    """Parse one IDX file (gzipped or not) into a writable native-endian array."""
    import numpy as np

    try:
        with path.open("rb") as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
        opener = gzip.open if gzipped else open
        with opener(path, "rb") as f:
            header = f.read(4)
            if len(header) < 4:
                raise DataError(f"{path}: truncated IDX file (no header)")
            zero, type_code, ndim = int.from_bytes(header[:2], "big"), header[2], header[3]
            if zero != 0 or type_code not in _IDX_DTYPES or ndim == 0:
                raise DataError(
                    f"{path}: bad IDX magic number 0x{int.from_bytes(header, 'big'):08x} "
                    "(expected 0x00000803 for images or 0x00000801 for labels)"
                    + (" - is this file gzipped twice or not an IDX file?" if gzipped else "")
                )
            dims_raw = f.read(4 * ndim)
            if len(dims_raw) < 4 * ndim:
                raise DataError(f"{path}: truncated IDX header")
            dims = tuple(int.from_bytes(dims_raw[i : i + 4], "big") for i in range(0, 4 * ndim, 4))
            dtype = np.dtype(_IDX_DTYPES[type_code])
            count = int(np.prod(dims, dtype=np.int64)) if dims else 0
            nbytes = count * dtype.itemsize
            if nbytes > _IDX_MAX_BYTES:
                raise DataError(f"{path}: IDX header claims {dims}, implausibly large")
            stored = path.stat().st_size
            if gzipped and nbytes > ARRAY_LIMITS.ratio_floor and nbytes > ARRAY_LIMITS.max_ratio * stored:
                # Real image sets compress 3-10x; a header this far above the file is a gzip bomb.
                raise DataError(
                    f"{path}: IDX header claims {dims} ({human_size(nbytes)}) from {human_size(stored)} of "
                    f"gzip, more than {ARRAY_LIMITS.max_ratio}x: refused as a decompression bomb"
                )
            if not gzipped and path.stat().st_size - 4 - 4 * ndim < nbytes:
                have = path.stat().st_size - 4 - 4 * ndim
                raise DataError(
                    f"{path}: truncated IDX file: header says {dims} ({nbytes:,} bytes of "
                    f"data) but only {have:,} bytes follow"
                )
            # Read straight into the final array: no intermediate bytes object.
            out = np.empty(count, dtype=dtype)
            view = memoryview(out.view(np.uint8))
            got = 0
            while got < nbytes:
                n = f.readinto(view[got:])
                if not n:
                    break
                got += n
            if got < nbytes:
                raise DataError(
                    f"{path}: truncated IDX file: header says {dims} ({nbytes:,} bytes of "
                    f"data) but only {got:,} bytes follow"
                )
            if f.read(1):
                raise DataError(
                    f"{path}: IDX file is longer than its header says ({dims}); it is corrupt "
                    "or not the file it claims to be"
                )
    except DataError:
        raise
    except EOFError as exc:
        raise DataError(f"{path}: truncated gzip file ({_one_line(exc)})") from exc
    except (OSError, zlib.error) as exc:
        raise DataError(f"{path}: cannot read IDX file: {_one_line(exc)}") from exc
    if not dtype.isnative and dtype.itemsize > 1:
        out = out.byteswap().view(dtype.newbyteorder("="))
    return out.reshape(dims)


# --------------------------------------------------------------------------- #
# Checks shared by every source
# --------------------------------------------------------------------------- #


def _checked(
    where: Path,
    arrays: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    *,
    name: str,
    source: str,
    min_classes: int,
    task: str = "classification",
) -> Dataset:
    x_train, y_train, x_test, y_test = arrays
    _check_x(where, "x_train", x_train)
    _check_x(where, "x_test", x_test)
    if x_train.shape[1:] != x_test.shape[1:]:
        raise DataError(
            f"{where}: x_train samples have shape {x_train.shape[1:]} but x_test samples "
            f"have shape {x_test.shape[1:]}; they must match"
        )
    if task not in CLASS_TASKS:
        if task == "reconstruction":  # the target is the input: any y in the file is not used
            y_train, y_test, num_classes = x_train, x_test, 0
        else:
            y_train = _check_targets(where, "y_train", y_train, len(x_train), "x_train", task)
            y_test = _check_targets(where, "y_test", y_test, len(x_test), "x_test", task)
            if task == "multi_label" and y_train.shape[1:] != y_test.shape[1:]:
                raise DataError(
                    f"{where}: y_train has {y_train.shape[1]} labels per sample but y_test "
                    f"{y_test.shape[1]}; they must match"
                )
            num_classes = int(y_train.shape[1]) if task == "multi_label" else 0
        return Dataset(x_train, y_train, x_test, y_test, name=name, source=source, num_classes=num_classes)
    y_train, k_train = _check_y(where, "y_train", y_train, len(x_train), "x_train")
    y_test, k_test = _check_y(where, "y_test", y_test, len(x_test), "x_test")
    num_classes = max(min_classes, _max_label(y_train) + 1, _max_label(y_test) + 1)
    if k_train or k_test:
        num_classes = max(num_classes, k_train, k_test)
    return Dataset(
        x_train=x_train,
        y_train=y_train,
        x_test=x_test,
        y_test=y_test,
        name=name,
        source=source,
        num_classes=num_classes,
        is_sample=False,
    )


def _check_x(where: str | Path, what: str, x: np.ndarray) -> None:
    if x.dtype.kind not in "biuf":
        raise DataError(
            f"{where}: {what} has dtype {x.dtype}; inputs must be numeric (integers or floats)"
        )
    if x.ndim < 2:
        raise DataError(
            f"{where}: {what} has shape {x.shape}; expected one row per sample, "
            "e.g. (count, 28, 28)"
        )
    if x.shape[0] == 0 or x.size == 0:
        raise DataError(f"{where}: {what} is empty (shape {x.shape})")
    if x.dtype.kind == "f":
        import numpy as np

        # min/max propagate NaN and reach infinities without a temporary array.
        if not (np.isfinite(x.min()) and np.isfinite(x.max())):
            raise DataError(f"{where}: {what} contains NaN or infinite values")


def _check_y(
    where: str | Path, what: str, y: np.ndarray, n: int, x_name: str
) -> tuple[np.ndarray, int]:
    """Return labels as a 1-D integer array, and the class count one-hot rows imply (or 0)."""
    import numpy as np

    if y.dtype.kind not in "biuf":
        raise DataError(
            f"{where}: {what} has dtype {y.dtype}; labels must be integer class ids 0..K-1"
        )
    one_hot_classes = 0
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.reshape(-1)
    elif y.ndim == 2 and y.shape[1] > 1:
        # One-hot rows are accepted and turned into class ids.
        ok = bool(y.size) and bool(np.all((y == 0) | (y == 1)) and np.all(y.sum(axis=1) == 1))
        if not ok:
            raise DataError(
                f"{where}: {what} has shape {y.shape}; expected class ids (count,) or "
                "one-hot rows (exactly one 1 per row)"
            )
        one_hot_classes = y.shape[1]
        y = np.argmax(y, axis=1)
    elif y.ndim != 1:
        raise DataError(f"{where}: {what} has shape {y.shape}; expected class ids (count,)")
    if len(y) != n:
        raise DataError(
            f"{where}: {x_name} has {n:,} samples but {what} has {len(y):,} labels; "
            "they must be the same length"
        )
    if y.dtype.kind == "f":
        bad = ~np.isfinite(y) | (y != np.floor(y))
        if bad.any():
            i = int(np.argmax(bad))
            raise DataError(
                f"{where}: {what}[{i}] is {y[i]!r}; labels must be integer class ids 0..K-1"
            )
        y = y.astype(np.int64)
    elif y.dtype.kind == "b":
        y = y.astype(np.uint8)
    if y.size and y.min() < 0:
        i = int(np.argmax(y < 0))
        raise DataError(
            f"{where}: {what}[{i}] is {int(y[i])}; labels must be class ids 0..K-1, never negative"
        )
    return y, one_hot_classes


def _max_label(y: np.ndarray) -> int:
    return int(y.max()) if y.size else -1


def _check_targets(where: str | Path, what: str, y: np.ndarray, n: int, x_name: str, task: str) -> np.ndarray:
    """Check the targets of a ``regression`` (numbers) or ``multi_label`` (0/1 rows) task; returned as they are."""
    import numpy as np

    if task == "multi_label":
        wanted = "a multi-label target is a row of 0/1 per sample (multi-hot), shape (count, labels)"
    else:
        wanted = "regression targets are numbers, one or an array of them per sample"
    if y.dtype.kind not in "biuf":
        raise DataError(f"{where}: {what} has dtype {y.dtype}, not numbers; {wanted}")
    if y.ndim == 0 or (task == "multi_label" and y.ndim != 2):
        hint = "; for class ids 0..K-1 use task: classification" if task == "multi_label" and y.ndim == 1 else ""
        raise DataError(f"{where}: {what} has shape {y.shape}; {wanted}{hint}")
    if len(y) != n:
        raise DataError(
            f"{where}: {x_name} has {n:,} samples but {what} has {len(y):,} targets; "
            "they must be the same length"
        )
    if task == "multi_label":
        bad = (y != 0) & (y != 1)  # NaN is neither
        if bad.any():
            i = tuple(int(k) for k in np.argwhere(bad)[0])
            raise DataError(f"{where}: {what}[{i[0]}, {i[1]}] is {y[i].item()!r}; {wanted}")
    elif y.dtype.kind == "f" and y.size and not (np.isfinite(y.min()) and np.isfinite(y.max())):
        i = int(np.argmax(~np.isfinite(y.reshape(len(y), -1)).all(axis=1)))
        raise DataError(f"{where}: {what}[{i}] holds NaN or infinity; regression targets must be finite numbers")
    return y


# --------------------------------------------------------------------------- #
# prepare() helpers
# --------------------------------------------------------------------------- #


def _resolve_input_shape(ds: Dataset, input_shape: tuple[int | None, ...]) -> tuple[int, ...]:
    """Turn the model's per-sample input shape into the concrete one to feed."""
    import math

    sample = tuple(int(d) for d in ds.x_train.shape[1:])
    if any(d is not None and d <= 0 for d in input_shape) or not input_shape:
        raise DataError(f"{ds.name}: invalid model input shape {input_shape}")

    def mismatch() -> DataError:
        known = [d for d in input_shape if d is not None]
        per = (
            f"{math.prod(known)} values each" if len(known) == len(input_shape) else "unknown size"
        )
        return DataError(
            f"{ds.name}: samples of shape {sample} ({math.prod(sample)} values each) cannot "
            f"be fed to a model with input shape {input_shape} ({per}); change the spec's "
            "input_shape or the data"
        )

    if all(d is not None for d in input_shape):
        target = tuple(int(d) for d in input_shape if d is not None)
        if math.prod(target) != math.prod(sample):
            raise mismatch()
        return target
    # Unknown dimensions take the data's own, after adding or dropping a
    # singleton channel axis, as a Keras user feeding (N, 28, 28) to (None, None, 1) expects.
    candidates = [sample, (*sample, 1), (1, *sample), tuple(d for d in sample if d != 1)]
    for cand in candidates:
        if len(cand) == len(input_shape) and all(
            t is None or t == c for t, c in zip(input_shape, cand, strict=True)
        ):
            return cand
    if sum(d is None for d in input_shape) == 1:
        known = math.prod(d for d in input_shape if d is not None)
        if math.prod(sample) % known == 0:
            fill = math.prod(sample) // known
            return tuple(fill if d is None else d for d in input_shape)
    raise mismatch()


def _fit_shape(x: np.ndarray, target: tuple[int, ...]) -> np.ndarray:
    sample = x.shape[1:]
    if sample == target:
        return x
    n = x.shape[0]
    # A multi-channel image in the other channel order must be transposed, not
    # reshaped: a reshape would interleave the channels into garbage.
    if len(sample) == 3 and len(target) == 3 and sample != target:
        h, w, c = sample
        if target == (c, h, w) and c != 1:
            return x.transpose(0, 3, 1, 2)
        a, b, d = sample
        if target == (b, d, a) and a != 1:
            return x.transpose(0, 2, 3, 1)
    return x.reshape((n, *target))


def scale_pixels(x: np.ndarray) -> np.ndarray:
    """The pixel rule: integers in 0..255 are divided by 255, anything else becomes float32 as is."""
    import numpy as np

    # order="C" makes transposed views contiguous in the same single pass that
    # converts them, so each array is copied at most once.
    if x.dtype == np.uint8 or (x.dtype.kind in "iu" and int(x.min()) >= 0 and int(x.max()) <= 255):
        # Same values as x.astype("float32") / 255, without the intermediate array.
        return np.divide(x, np.float32(255.0), dtype=np.float32, order="C")
    return x.astype(np.float32, order="C", copy=False)
