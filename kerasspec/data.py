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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .diagnostics import KerasspecError

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
) -> Dataset:
    """Load ``mnist``, ``fashion_mnist`` or a user ``.npz``/IDX folder, checked.

    ``path`` names a local copy and wins over every other source (it is what
    ``--data PATH`` passes). ``origin`` replaces the download URL (for
    ``fashion_mnist``, the folder URL), ``cache_dir`` the Keras home
    (``$KERAS_HOME`` or ``~/.keras``), ``sha256`` the hash a downloaded
    ``mnist.npz`` must have. ``warn`` receives the fallback-to-sample message;
    by default it is issued as a :class:`SampleDataWarning`.

    Raises :class:`DataError` for any unusable data.
    """
    name = os.fspath(dataset)
    if name == "mnist":
        return _load_mnist(
            path=path,
            allow_download=allow_download,
            origin=origin,
            cache_dir=cache_dir,
            warn=warn,
            sha256=sha256,
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
    return _load_local(target, name=str(target), named=False)


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
            f"{root}: {images_path.name} has {len(images)} images but "
            f"{labels_path.name} has {len(labels)} labels"
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
    labels: Literal["sparse", "one_hot"],
    num_classes: int | None = None,
    scale: bool = True,
) -> Dataset:
    """A copy of ``ds`` adapted to a model: float32 inputs, shaped, labels encoded.

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

    ``labels="sparse"`` gives int32 class ids ``(N,)``; ``"one_hot"`` gives float32
    ``(N, num_classes)``. ``num_classes`` (say, the final layer's units) defaults
    to ``ds.num_classes``; labels must all be below it.
    """
    import numpy as np

    if labels not in ("sparse", "one_hot"):
        raise ValueError(f"labels must be 'sparse' or 'one_hot', got {labels!r}")
    n_classes = ds.num_classes if num_classes is None else int(num_classes)
    if n_classes < 1:
        raise DataError(f"{ds.name}: num_classes must be at least 1, got {n_classes}")
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

    return replace(
        ds,
        x_train=adapt_x(ds.x_train),
        y_train=adapt_y(ds.y_train, "y_train", len(ds.x_train)),
        x_test=adapt_x(ds.x_test),
        y_test=adapt_y(ds.y_test, "y_test", len(ds.x_test)),
        num_classes=n_classes,
    )


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
    _emit(warn, _sample_warning(reasons, cached, url))
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


def _sample_warning(reasons: Sequence[str], cached: Path, url: str) -> str:
    bar = "!" * 78
    return (
        f"{bar}\n"
        "USING THE EMBEDDED MNIST SAMPLE, NOT FULL MNIST.\n"
        f"kerasspec is training on its built-in sample of 5,000 MNIST digits "
        f"({SAMPLE_TRAIN_SIZE:,} train / {SAMPLE_TEST_SIZE:,} test) instead of the "
        "60,000 + 10,000 of full MNIST: accuracy will be lower than full MNIST gives "
        "and is not comparable with published numbers.\n"
        "Why full MNIST was not used:\n"
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
        return f"{exc.name} is not installed (pip install 'kerasspec[tf-cpu]' to enable downloads)"
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


def _get_file(fname: str, origin: str, file_hash: str | None, staging: Path) -> Path:
    # Imported here: TensorFlow takes seconds to import, and only downloads need it.
    from keras.utils import get_file

    return Path(
        get_file(
            fname=fname,
            origin=origin,
            file_hash=file_hash,
            cache_dir=str(staging),
            cache_subdir=".",
        )
    )


# --------------------------------------------------------------------------- #
# Reading local files
# --------------------------------------------------------------------------- #


def _looks_like_path(name: str) -> bool:
    return os.sep in name or "/" in name or Path(name).suffix != ""


def _load_local(target: Path, *, name: str, named: bool, source: str | None = None) -> Dataset:
    """Read an ``.npz`` or an IDX folder and check it as a whole."""
    if target.is_dir():
        try:
            x_train, y_train = load_idx_split(target, "train")
            x_test, y_test = load_idx_split(target, "t10k")
        except DataError as exc:
            raise DataError(f"{exc} (reading {target} as a folder of IDX files)") from exc
    elif target.is_file():
        x_train, y_train, x_test, y_test = _read_npz(target)
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
    )


def _read_npz(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    import numpy as np

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
        with np.load(path, allow_pickle=False) as f:
            present = set(f.files)
            missing = [a for a in ARRAY_NAMES if a not in present]
            if missing:
                raise DataError(
                    f"{path}: missing array(s) {', '.join(missing)}; it has "
                    f"{', '.join(sorted(present)) or 'no arrays'} (needed: "
                    f"{', '.join(ARRAY_NAMES)})"
                )
            arrays = []
            for a in ARRAY_NAMES:
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
    return arrays[0], arrays[1], arrays[2], arrays[3]


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
) -> Dataset:
    x_train, y_train, x_test, y_test = arrays
    _check_x(where, "x_train", x_train)
    _check_x(where, "x_test", x_test)
    if x_train.shape[1:] != x_test.shape[1:]:
        raise DataError(
            f"{where}: x_train samples have shape {x_train.shape[1:]} but x_test samples "
            f"have shape {x_test.shape[1:]}; they must match"
        )
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
            f"{where}: {x_name} has {n} samples but {what} has {len(y)} labels; "
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
