"""Hostile files: every input is bounded from its headers before it is read, and nothing ends in a traceback.

Each test builds its hostile file here, small on disk (a few hundred kilobytes at most):
decompression bombs are real deflate streams of zeros or archives whose directory declares
more than they hold; a 13000x13000 PNG is a real PNG of zeros. Commands run in a child
process where a hang or the memory used matters: the child reports its peak RSS and
whether it imported Keras, which shows that the refusal came before the data was read.
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kerasspec import api
from kerasspec.cli import main
from kerasspec.data import DataError, load_dataset
from kerasspec.files import (
    InputTooLargeError,
    NotARegularFileError,
    check_keras_archive,
    open_regular,
)
from kerasspec.importer import ModelImportError, import_model
from kerasspec.loader import Limits, load_text
from kerasspec.predict import PredictError, check_input, read_image
from kerasspec.reporters import printable, render

ROOT = Path(__file__).resolve().parent.parent
CONVNET = ROOT / "examples" / "keras_io_mnist_convnet.yaml"
MiB = 2**20

# The peak is the process's own high-water mark since exec (VmHWM): ru_maxrss also counts the
# memory of the parent it was forked from, which is large once pytest has imported TensorFlow.
CHILD = """
import re, resource, sys
from kerasspec.cli import main
rc = main(sys.argv[1:])
sys.stdout.flush()
try:
    peak = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"\\nmaxrss_kb={peak}", file=sys.stderr)
print(f"keras_imported={'keras' in sys.modules}", file=sys.stderr)
sys.exit(rc)
"""


class Child:
    def __init__(self, proc: subprocess.CompletedProcess[str]) -> None:
        self.rc, self.out = proc.returncode, proc.stdout
        stats = dict(re.findall(r"^(maxrss_kb|keras_imported)=(\S+)$", proc.stderr, re.M))
        self.err = re.sub(r"\n?(maxrss_kb|keras_imported)=\S+", "", proc.stderr)
        self.peak_mb = int(stats.get("maxrss_kb", 0)) // 1024
        self.keras_imported = stats.get("keras_imported") == "True"


def kerasspec(*args: str | Path, timeout: float = 120, cwd: Path | None = None) -> Child:
    """``kerasspec ARGS`` in a child process: exit code, output, peak memory, whether Keras was imported."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", CHILD, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=cwd)  # fmt: skip
    child = Child(proc)
    assert "Traceback" not in child.err, child.err
    return child


# --------------------------------------------------------------------------- hostile file makers


def zero_member(archive: Path, name: str, size: int, header: bytes = b"", **others: bytes) -> Path:
    """An archive whose member ``name`` is ``header`` and ``size`` zero bytes, deflated (~1000x)."""
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for other, data in others.items():
            z.writestr(other, data, compress_type=zipfile.ZIP_STORED)
        with z.open(name, "w", force_zip64=True) as f:
            f.write(header)
            chunk = bytes(MiB)
            for _ in range(size // MiB):
                f.write(chunk)
    return archive


def declare(archive: Path, name: str, size: int) -> Path:
    """Make the archive's directory declare ``size`` uncompressed bytes for ``name`` (a lie)."""
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as z:
        info = z.getinfo(name)
    struct.pack_into("<I", data, info.header_offset + 22, size)  # the local header
    at = data.find(b"PK\x01\x02")
    while at != -1:  # the central directory entry, which is what readers trust
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name.encode():
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    archive.write_bytes(bytes(data))
    return archive


def npy_header(shape: tuple[int, ...], descr: str = "|u1") -> bytes:
    import io

    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": descr, "fortran_order": False, "shape": shape})
    return buf.getvalue()


def png_of_zeros(path: Path, width: int, height: int) -> Path:
    """A valid 8-bit grayscale PNG of zeros, written row by row: small on disk, huge when decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    packer = zlib.compressobj(9)
    row = bytes(width + 1)  # filter byte 0, then the pixels
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


SEQUENTIAL = {
    "module": "keras", "class_name": "Sequential", "registered_name": None,
    "config": {"name": "sequential", "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [None, 28, 28, 1], "name": "input_layer"}},
        {"module": "keras.layers", "class_name": "Flatten", "config": {"name": "flatten"}},
        {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "units": 10, "activation": "softmax"}},
    ]},
}  # fmt: skip


def keras_archive(path: Path, **members: bytes) -> Path:
    """A .keras-shaped zip (stored, as Keras writes them) with a small valid config.json unless given."""
    members.setdefault("metadata.json", b'{"keras_version": "3.15.1"}')
    members.setdefault("config.json", json.dumps(SEQUENTIAL).encode())
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


@pytest.fixture
def sample_input(tmp_path: Path) -> Path:
    np.save(tmp_path / "x.npy", np.zeros((28, 28), np.uint8))
    return tmp_path / "x.npy"


# --------------------------------------------------------------------------- 1. arrays


def test_npz_bomb_is_refused_before_it_is_decompressed(tmp_path: Path, sample_input: Path) -> None:
    bomb = zero_member(tmp_path / "bomb.npz", "x.npy", 80 * MiB, npy_header((80 * MiB,)))
    assert bomb.stat().st_size < 200_000
    with pytest.raises(PredictError, match=r"x\.npy.* declares 80\.0 MiB from .* stored .*decompression bomb"):
        check_input(bomb)
    # The case: 2 GiB declared from a few kilobytes. Refused from the directory alone.
    lie = declare(zero_member(tmp_path / "lie.npz", "x.npy", 0, npy_header((2**31,))), "x.npy", 2**31)
    model = keras_archive(tmp_path / "m.keras")
    for archive in (bomb, lie):
        child = kerasspec("predict", model, sample_input, archive)
        assert child.rc == 1 and "decompression bomb" in child.err, child.err
        assert not child.keras_imported and child.peak_mb < 300, (child.peak_mb, child.err)


def test_training_data_bomb_is_refused(tmp_path: Path) -> None:
    small = {f"{n}.npy": npy_header((0,)) for n in ("y_train", "x_test", "y_test")}
    bomb = zero_member(tmp_path / "data.npz", "x_train.npy", 80 * MiB, npy_header((80 * MiB // 784, 28, 28)), **small)
    with pytest.raises(DataError, match=r"x_train\.npy.*decompression bomb"):
        load_dataset(bomb)


def test_gzipped_idx_bomb_is_refused(tmp_path: Path) -> None:
    import gzip

    from kerasspec.data import load_idx_split

    count = 80 * MiB // 784 + 1
    with gzip.open(tmp_path / "train-images-idx3-ubyte.gz", "wb", compresslevel=9) as f:
        f.write(struct.pack(">IIII", 0x803, count, 28, 28))
        for _ in range(80):
            f.write(bytes(MiB))
    with gzip.open(tmp_path / "train-labels-idx1-ubyte.gz", "wb") as f:
        f.write(struct.pack(">II", 0x801, count))
    assert (tmp_path / "train-images-idx3-ubyte.gz").stat().st_size < 200_000
    with pytest.raises(DataError, match=r"from .* of gzip, more than 100x: refused as a decompression bomb"):
        load_idx_split(tmp_path, "train")


def test_npy_header_claiming_1e11_values(tmp_path: Path, sample_input: Path) -> None:
    forged = tmp_path / "forged.npy"
    forged.write_bytes(npy_header((10**11,), "<f8") + bytes(64))
    assert forged.stat().st_size <= 192
    with pytest.raises(PredictError, match=r"declares shape \(100000000000,\) of float64 .* above the limit"):
        check_input(forged)
    child = kerasspec("predict", keras_archive(tmp_path / "m.keras"), forged)
    assert child.rc == 1 and "it was not read" not in child.err and "above the limit" in child.err
    assert not child.keras_imported and child.peak_mb < 300
    # Within the limit, but more than the file holds: refused as truncated, not allocated.
    short = tmp_path / "short.npy"
    short.write_bytes(npy_header((10**8,)) + bytes(100))
    with pytest.raises(PredictError, match=r"but only 100 bytes follow \(truncated or forged\)"):
        check_input(short)
    # Inside an .npz: a member header that declares more than the member holds.
    member = tmp_path / "member.npz"
    with zipfile.ZipFile(member, "w") as z:
        z.writestr("x.npy", npy_header((10**9,)) + bytes(10))
    with pytest.raises(PredictError, match=r"array x cannot be read: .*\(truncated or forged\)"):
        check_input(member)
    with pytest.raises(DataError, match=r"array x cannot be read"):
        load_dataset(member)


# --------------------------------------------------------------------------- 2. images


def test_huge_png_is_refused_from_its_header(tmp_path: Path) -> None:
    png = png_of_zeros(tmp_path / "huge.png", 13000, 13000)
    assert png.stat().st_size < 1_000_000
    with pytest.raises(PredictError, match=r"a 13000x13000 image \(169,000,000 pixels\), above the limit"):
        check_input(png)
    with pytest.raises(PredictError, match=r"above the limit"):
        read_image(png, (28, 28, 1))
    child = kerasspec("predict", keras_archive(tmp_path / "m.keras"), png)
    assert child.rc == 1 and "above the limit of 50,000,000 pixels" in child.err
    assert not child.keras_imported and child.peak_mb < 300, child.peak_mb


def _digit() -> np.ndarray:
    from kerasspec.data import load_sample

    return load_sample().x_test[0]


def test_transparent_png_digit_is_not_lost(tmp_path: Path) -> None:
    from PIL import Image

    digit = _digit()
    strokes = np.asarray(Image.fromarray(digit).resize((112, 112)))
    for ink, canvas in ((255, 0), (255, 255), (0, 0), (0, 255)):  # white or black strokes; any hidden colour
        rgba = np.zeros((112, 112, 4), np.uint8)
        rgba[..., :3] = canvas
        rgba[strokes > 0, :3] = ink
        rgba[..., 3] = strokes
        Image.fromarray(rgba, "RGBA").save(tmp_path / "t.png")
        x = read_image(tmp_path / "t.png", (28, 28))[0]
        assert x.max() > 0.9, (ink, canvas)
        assert np.corrcoef(x.ravel(), digit.ravel() / 255.0)[0, 1] > 0.8, (ink, canvas)
    Image.fromarray(np.zeros((50, 50, 4), np.uint8), "RGBA").save(tmp_path / "clear.png")
    with pytest.raises(PredictError, match="one flat colour, even with its transparency flattened"):
        read_image(tmp_path / "clear.png", (28, 28, 1))
    Image.fromarray(np.full((40, 40), 255, np.uint8)).save(tmp_path / "white.png")
    with pytest.raises(PredictError, match="one flat colour: there is no digit"):
        read_image(tmp_path / "white.png", (28, 28, 1))


# --------------------------------------------------------------------------- 3. .keras archives


def test_keras_config_bomb_is_refused_before_keras_reads_it(tmp_path: Path, sample_input: Path) -> None:
    spaces = tmp_path / "config.keras"
    with zipfile.ZipFile(spaces, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("metadata.json", "{}")
        with z.open("config.json", "w") as f:
            for _ in range(24):
                f.write(b" " * MiB)
    assert spaces.stat().st_size < 200_000
    with pytest.raises(InputTooLargeError, match=r"config\.json declares 24\.0 MiB, above the limit"):
        check_keras_archive(spaces)
    lie = declare(keras_archive(tmp_path / "lie.keras"), "config.json", 2**31)  # the 2 GiB
    for model in (spaces, lie):
        child = kerasspec("predict", model, sample_input)
        assert child.rc == 1 and "config.json" in child.err and "it was not read" in child.err, child.err
        assert not child.keras_imported and child.peak_mb < 300


def test_keras_weights_bomb_is_refused(tmp_path: Path, sample_input: Path) -> None:
    weights = tmp_path / "weights.keras"
    zero_member(weights, "model.weights.h5", 80 * MiB, **{"config.json": json.dumps(SEQUENTIAL).encode()})
    with pytest.raises(InputTooLargeError, match=r"model\.weights\.h5.* decompression bomb"):
        check_keras_archive(weights)
    child = kerasspec("predict", weights, sample_input)
    assert child.rc == 1 and "decompression bomb" in child.err
    assert not child.keras_imported and child.peak_mb < 300


def test_h5_dataset_shape_bomb_is_refused(tmp_path: Path) -> None:
    h5py = pytest.importorskip("h5py")
    import io

    buf = io.BytesIO()
    with h5py.File(buf, "w") as h5:  # declares 400 MB, stores nothing: a chunked dataset never written
        h5.create_dataset("layers/dense/vars/0", shape=(10**8,), dtype="f4", chunks=(10**6,), compression="gzip")
    model = keras_archive(tmp_path / "shape.keras", **{"model.weights.h5": buf.getvalue()})
    assert model.stat().st_size < 100_000
    with pytest.raises(InputTooLargeError, match=r"dataset 'layers/dense/vars/0' declares 381\.5 MiB but stores"):
        check_keras_archive(model)


def test_a_real_keras_archive_passes(tmp_path: Path) -> None:
    h5py = pytest.importorskip("h5py")
    import io

    buf = io.BytesIO()
    with h5py.File(buf, "w") as h5:
        h5.create_dataset("layers/dense/vars/0", data=np.ones((784, 10), "f4"))
    check_keras_archive(keras_archive(tmp_path / "ok.keras", **{"model.weights.h5": buf.getvalue()}))


@pytest.mark.slow
@pytest.mark.keras
def test_evaluate_refuses_a_keras_bomb(tmp_path: Path) -> None:
    weights = zero_member(tmp_path / "w.keras", "model.weights.h5", 80 * MiB, **{"config.json": json.dumps(SEQUENTIAL).encode()})
    child = kerasspec("evaluate", weights, timeout=300)
    assert child.rc == 1 and "decompression bomb" in child.err, child.err


# --------------------------------------------------------------------------- 4. FIFOs and devices


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_fifos_are_refused_not_waited_on(tmp_path: Path, sample_input: Path) -> None:
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    for name in ("in.npy", "in.png", "m.keras", "model.json"):
        os.mkfifo(tmp_path / name)
    model = keras_archive(tmp_path / "real.keras")
    cases = [
        ("check", fifo), ("summary", fifo), ("build", fifo, "-o", tmp_path / "o.keras"),
        ("import", tmp_path / "model.json"), ("import", tmp_path / "m.keras"),
        ("predict", model, tmp_path / "in.npy"), ("predict", model, tmp_path / "in.png"),
        ("predict", tmp_path / "m.keras", sample_input),
    ]  # fmt: skip
    for args in cases:
        child = kerasspec(*args, timeout=60)  # a hang fails here, after a minute
        assert child.rc == 2, (args, child.rc, child.err)
        assert "a named pipe (FIFO), not a regular file" in child.err, (args, child.err)
    with pytest.raises(NotARegularFileError):
        open_regular(fifo)


def test_devices_are_refused(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    child = kerasspec("import", "/dev/zero", timeout=60)
    assert child.rc == 2 and "a character device, not a regular file" in child.err
    assert main(["check", "/dev/zero"]) == 2
    with pytest.raises(OSError, match="character device"):
        import_model("/dev/zero")


# --------------------------------------------------------------------------- 5. repeated findings


@pytest.fixture(scope="module")
def aliases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Any]]:
    path = tmp_path_factory.mktemp("aliases") / "aliases.yaml"
    n = (990_000 - 20) // 4
    path.write_text("a: &x 1\nb: [" + ", ".join(["*x"] * n) + "]\n")
    return path, api.check(path)


def test_990kb_of_aliases_print_a_bounded_report(aliases: tuple[Path, list[Any]]) -> None:
    path, diagnostics = aliases
    assert path.stat().st_size < 1_000_000 and sum(d.code == "KS104" for d in diagnostics) > 240_000
    for fmt, limit in (("text", 30_000), ("json", 40_000), ("github", 30_000), ("sarif", 80_000)):
        out = render(fmt, diagnostics)
        assert len(out) < limit, (fmt, len(out))
        assert "more KS104 findings in this file from line 2 on are not shown" in out, fmt
    text = render("text", diagnostics)
    assert text.count(": KS104 ") == 51  # 50 listed, then the one that sums up the rest
    assert text.endswith(f"Found {len(diagnostics)} errors in 1 file.")  # the count covers every finding
    listed = json.loads(render("json", diagnostics))
    assert [d["code"] for d in listed].count("KS104") == 51
    assert len(render("text", diagnostics, max_per_code=None)) > 10_000_000  # the library can still have them all


def test_check_prints_the_capped_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: &x 1\nb: [" + ", ".join(["*x"] * 5000) + "]\n")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert len(out) < 20_000 and "4,951 more KS104 findings" in out, out
    assert out.rstrip().endswith(f"Found {len(api.check(path))} errors in 1 file.")


# --------------------------------------------------------------------------- 6. deep documents, raised limits


def test_deep_json_with_raised_limits_costs_linear_memory(tmp_path: Path) -> None:
    depth = 100_000
    code = f"""
import resource
from kerasspec.loader import Limits, load_text
doc = load_text('{{"a":' * {depth} + 'NaN' + '}}' * {depth}, fmt="json", limits=Limits(max_bytes=10**8, max_depth=10**7))
assert [d.code for d in doc.diagnostics] == ["KS107"], doc.diagnostics
assert doc.diagnostics[0].path == "/a" * {depth}
assert doc.position(("a",) * {depth}) is not None and doc.is_reported(("a",) * {depth})
import re
print(int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) // 1024)
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    # Quadratic paths would need 100,000^2 / 2 tuple slots: 40 GB. Linear stays near the text's size.
    assert int(proc.stdout.split()[-1]) < 400, proc.stdout


def test_deep_paths_keep_shallow_positions() -> None:
    text = '{"a": {"b": [1, {"c": NaN}]}}'
    doc = load_text(text, fmt="json", limits=Limits(max_depth=10**6))
    assert doc.value_positions[("a", "b", 1, "c")].column == text.index("NaN") + 1
    deep = load_text("[" * 200 + "1e999" + "]" * 200, fmt="json", limits=Limits(max_depth=10**6))
    assert deep.diagnostics[0].code == "KS107" and deep.diagnostics[0].column == 201
    assert deep.diagnostics[0].path == "/0" * 200
    assert deep.position((0,) * 200) == deep.position((0,) * 64)  # deeper nodes: their ancestor's position


# --------------------------------------------------------------------------- 11. malformed files, no traceback


def _config(**changes: Any) -> dict[str, Any]:
    cfg = json.loads(json.dumps(SEQUENTIAL))
    for where, value in changes.items():
        node = cfg
        keys = [int(k) if k.isdigit() else k for k in where.split("__")]
        for k in keys[:-1]:
            node = node[k]
        node[keys[-1]] = value
    return cfg


MALFORMED_CONFIGS = {
    "a string": ('"Sequential"', "this file holds 'str'"),
    "config a string": (json.dumps(_config(config="layers")), "/config is a str, expected an object"),
    "layers an object": (json.dumps(_config(config__layers={"a": 1})), "/config/layers is a dict, expected a list"),
    "a list for a layer": (json.dumps(_config(config__layers__1=["Flatten"])), "/config/layers/1 is a list, expected a layer"),
    "a list for a layer config": (json.dumps(_config(config__layers__2__config=[10])), "/config/layers/2/config is a list"),
    "integer shape": (json.dumps(_config(config__layers__0__config__batch_shape=28)), "batch_shape is not a shape"),
    "build shape": (json.dumps(_config(config__build_input_shape=5)), "build_input_shape is not a shape"),
    "l2 abc": (json.dumps(_config(config__layers__2__config__kernel_regularizer={"class_name": "L2", "config": {"l2": "abc"}})),
               "/config/layers/2/config/kernel_regularizer/config/l2 is 'abc', not a number"),
    "1e400": (json.dumps(_config()).replace('"units": 10', '"units": 1e400'), "/config/layers/2/config/units is inf, not a finite number"),
    "NaN": (json.dumps(_config()).replace('"units": 10', '"units": NaN'), "NaN is not a finite number"),
    "100k deep": ('{"class_name": "Sequential", "config": ' + "[" * 100_000 + "]" * 100_000 + "}", "nests too deeply"),
    "strides null": (json.dumps(_config(config__layers__1={"class_name": "MaxPooling2D", "config": {"strides": None}})),
                     "strides is not an integer or a list of integers"),
    "name a dict": (json.dumps(_config(config__layers__2__config__name={"a": 1})), "/config/layers/2/config/name is not a string"),
    "huge integer": (json.dumps(_config()).replace('"units": 10', '"units": ' + "9" * 5000), "not a .keras archive or a model.to_json"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(MALFORMED_CONFIGS))
def test_import_of_a_malformed_config_is_a_clear_error(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text, message = MALFORMED_CONFIGS[case]
    for path in (tmp_path / "model.json", tmp_path / "model.keras"):
        if path.suffix == ".json":
            path.write_text(text)
        else:
            keras_archive(path, **{"config.json": text.encode()})
        assert main(["import", str(path)]) == 1, case
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err, (case, err)


def test_import_of_an_archive_with_a_bad_crc(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = keras_archive(tmp_path / "crc.keras")
    data = bytearray(path.read_bytes())
    at = data.find(b'"Sequential"')
    data[at + 1 : at + 11] = b"Sequentiax"  # the stored bytes change, the recorded CRC does not
    path.write_bytes(bytes(data))
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "a damaged .keras archive" in err and "Bad CRC-32" in err and "Traceback" not in err
    with pytest.raises(ModelImportError):
        import_model(path)


def _run_dir(tmp_path: Path, **files: str) -> Path:
    run = tmp_path / "run"
    run.mkdir()
    defaults = {
        "metrics.json": json.dumps({"test": {"loss": 0.5, "accuracy": 0.9}, "test_examples": 1000, "train_examples": 4000,
                                    "data_source": "sample", "epochs": 2}),
        "history.json": json.dumps({"loss": [0.9, 0.5], "accuracy": [0.7, 0.9]}),
    }  # fmt: skip
    for name, text in {**defaults, **files}.items():
        (run / name).write_text(text)
    return run


@pytest.mark.parametrize(
    "name,text,message",
    [
        ("history.json", "[1, 2]", "not a training history"),
        ("history.json", '{"loss": 5}', "not a training history"),
        ("history.json", '{"loss": [1, "x"]}', "not a training history"),
        ("history.json", '{"loss": [1, 2', "history.json: not valid JSON"),
        ("history.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("metrics.json", "[]", "metrics.json: holds a list"),
        ("metrics.json", '{"test": [1]}', "'test' is not an object of metric names and numbers"),
        ("metrics.json", '{"test": {"loss": "<b>"}}', "'test' is not an object of metric names and numbers"),
        ("metrics.json", "{nope", "metrics.json: not valid JSON"),
    ],
)
def test_report_on_malformed_run_files(name: str, text: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = _run_dir(tmp_path, **{name: text})
    assert main(["report", str(run)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err, err


def test_report_on_a_fifo_and_an_alias_bomb_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
    )
    run = _run_dir(tmp_path, **{"spec.yaml": laughs})  # 9^9 strings if expanded
    assert main(["report", str(run)]) == 0
    if hasattr(os, "mkfifo"):
        (run / "training.png").unlink(missing_ok=True)
        os.mkfifo(run / "training.png")
        child = kerasspec("report", run, timeout=60)
        assert child.rc == 2 and "not a regular file" in child.err


# --------------------------------------------------------------------------- 12. code in imported models


LAMBDA = {"module": "keras.layers", "class_name": "Lambda", "config": {"name": "lambda", "function": {
    "class_name": "__lambda__", "config": {"code": "4wEAAAAAAAAAAAAAAAIAAAADAAAA8wwAAACX", "defaults": None, "closure": None}}}}  # fmt: skip


@pytest.mark.parametrize(
    "layer,what",
    [
        (LAMBDA, "layer 1 ('Lambda') carries code: a Lambda layer"),
        ({"module": "keras.layers", "class_name": "TimeDistributed", "config": {"layer": LAMBDA}},
         "layer 1 ('TimeDistributed') carries code: a Lambda layer"),
        ({"module": "keras.layers", "class_name": "Dense", "config": {"units": 3, "activation": {
            "module": "os", "class_name": "system", "config": {"command": "touch pwned"}, "registered_name": None}}},
         "layer 1 ('Dense') carries code: the object 'system' from module 'os'"),
        ({"module": "keras.layers", "class_name": "Dense", "config": {"units": 3, "activation": {
            "module": "builtins", "class_name": "function", "config": "my_activation", "registered_name": "function"}}},
         "layer 1 ('Dense') carries code: the custom function 'my_activation'"),
        ({"module": "my_package.layers", "class_name": "Dense", "config": {"units": 3}},
         "layer 1 ('Dense') carries code: the object 'Dense' from module 'my_package.layers'"),
        ({"module": None, "class_name": "MyLayer", "registered_name": "Custom>MyLayer", "config": {}},
         "layer 1 ('MyLayer') carries code: the custom object 'Custom>MyLayer'"),
    ],
)  # fmt: skip
def test_import_refuses_code(layer: dict[str, Any], what: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config()
    cfg["config"]["layers"].insert(2, layer)
    model = keras_archive(tmp_path / "evil.keras", **{"config.json": json.dumps(cfg).encode()})
    out = tmp_path / "spec.yaml"
    assert main(["import", str(model), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"KS202 {what}" in err and "it was left out" in err, err
    spec = out.read_text()
    for word in ("module", "__lambda__", "code", "system", "Lambda", "my_activation", "Custom>"):
        assert word not in spec, (word, spec)
    assert err.count("KS202") == 1  # the importer's own "unsupported layer" finding is not repeated
    assert "type: Dense" in spec and "units: 10" in spec  # the other layers are imported


def test_import_refuses_code_in_the_compile_section(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config()
    cfg["compile_config"] = {"optimizer": "adam", "loss": {"module": "my_losses", "class_name": "Focal", "config": {}}}
    model = keras_archive(tmp_path / "evil.keras", **{"config.json": json.dumps(cfg).encode()})
    assert main(["import", str(model)]) == 1
    captured = capsys.readouterr()
    assert "KS202 the compile settings carry code: the object 'Focal' from module 'my_losses'" in captured.err
    assert "compile" not in captured.out and "my_losses" not in captured.out


def test_import_keeps_keras_functions_named_in_builtins(tmp_path: Path) -> None:
    cfg = _config()
    cfg["compile_config"] = {"optimizer": "adam", "loss": {"module": "builtins", "class_name": "function",
                             "config": "sparse_categorical_crossentropy", "registered_name": "function"}}  # fmt: skip
    _, problems = import_model(keras_archive(tmp_path / "ok.keras", **{"config.json": json.dumps(cfg).encode()}))
    assert not any("carries code" in d.message or "carry code" in d.message for d in problems)


# --------------------------------------------------------------------------- 13. file names are file names


def test_cli_arguments_are_always_file_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "v2: wide.yaml").write_text(CONVNET.read_text())
    assert main(["summary", str(tmp_path / "v2: wide.yaml")]) == 0
    assert "34,826" in capsys.readouterr().out
    for args in (["summary", "missing.txt"], ["build", "missing.txt", "-o", str(tmp_path / "m.keras")],
                 ["train", "missing.txt"], ["summary", "layers: []"]):  # fmt: skip
        assert main(args) == 2, args
        err = capsys.readouterr().err
        assert "No such file" in err and "expected a mapping" not in err, (args, err)


@pytest.mark.parametrize(
    "text,code",
    [
        ("input_shape: [4]\ninput_shape: [5]\nlayers:\n  - {type: Dense, units: 2}\n", "KS102"),
        ("input_shape: [4]\nlayers:\n  - {type: Dropout, rate: .nan}\n  - {type: Dense, units: 2}\n", "KS107"),
        ("input_shape: [4]\nlayers:\n  - {type: Dense, units: 2}\n---\nname: other\n", "KS109"),
    ],
)
def test_summary_reports_reading_findings_like_check(text: str, code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    assert main(["check", str(path)]) == 1
    assert code in capsys.readouterr().out
    assert main(["summary", str(path)]) == 1
    captured = capsys.readouterr()
    assert code in captured.err and not captured.out
    with pytest.raises(Exception, match=code):
        api.summarize(path)


# --------------------------------------------------------------------------- 14. terminal escapes


def test_control_characters_never_reach_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text('input_shape: [4]\nlayers:\n  - {type: Dense, units: 2, "\\e[31mred\\e]0;title\\a\\r": 1}\n')
    for fmt in ("text", "github"):
        assert main(["check", "--format", fmt, str(path)]) == 1
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\a" not in out and "\r" not in out, (fmt, out)
        assert "\\x1b[31mred" in out
    assert main(["check", "--format", "json", str(path)]) == 1
    assert "\x1b[31mred" in json.loads(capsys.readouterr().out)[0]["message"]  # JSON keeps the value, escaped


def test_a_newline_in_a_file_name_cannot_forge_a_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "x\nforged.yaml:1:1: KS999 all good"
    folder.mkdir()
    path = folder / "spec.yaml"
    path.write_text("layers: [\n")
    for fmt in ("text", "github"):
        assert main(["check", "--format", fmt, str(path)]) == 1
        lines = capsys.readouterr().out.splitlines()
        assert not any(line.startswith("forged.yaml") for line in lines), lines
        assert sum("KS101" in line for line in lines) == 1
    assert printable("a\nb\x1bc", newlines=False) == "a\\x0ab\\x1bc"
    assert main(["summary", str(folder / "missing.yaml")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "\\x0aforged.yaml" in err


def test_report_html_escapes_every_metrics_field(tmp_path: Path) -> None:
    from kerasspec.report import render as render_report

    evil = "<script>alert(1)</script>"
    run = _run_dir(tmp_path, **{"metrics.json": json.dumps({
        "test": {evil: 0.5}, "test_examples": evil, "train_examples": evil, "epochs": evil,
        "data_source": evil, "embedded_sample": False, "task": evil, "positive_class": 1,
    }), "history.json": json.dumps({evil: [0.5]})})  # fmt: skip
    html = render_report(run)
    assert "<script>" not in html and html.count("&lt;script&gt;") >= 6
