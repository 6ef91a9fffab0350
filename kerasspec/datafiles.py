"""What a spec's data holds, read from headers: shapes, dtypes and (cheaply) classes.

``check`` compares the model with the arrays it will be fed without TensorFlow,
without NumPy and without reading the arrays: an ``.npz`` is a zip archive of
``.npy`` files, and each ``.npy`` starts with a short header giving its shape and
dtype. Only a small integer label array is read in full, to count its classes.
``mnist`` and ``fashion_mnist`` have known shapes.
"""

from __future__ import annotations

import ast
import functools
import os
import stat
import struct
import zipfile
from array import array
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ArrayInfo", "DataInfo", "DataProblem", "Values", "describe", "resolve"]

#: Label arrays up to this many values are read to count their classes and check their values.
MAX_LABEL_VALUES = 2_000_000
_MAGIC = b"\x93NUMPY"


class DataProblem(Exception):
    """The data file cannot be read as the spec says; the message says why."""


@dataclass(frozen=True, slots=True)
class Values:
    """What a small label array holds, read in full."""

    lo: float  # the smallest finite value
    hi: float  # the largest finite value
    whole: bool  # every value a whole number
    binary: bool  # every value 0 or 1
    finite: bool  # no NaN or infinity
    one_hot: bool  # a 2-D array of 0/1 rows with exactly one 1 each


@dataclass(frozen=True, slots=True)
class ArrayInfo:
    """One array: its shape and its element kind (``u`` unsigned, ``i`` signed, ``f`` float, ``b`` bool)."""

    shape: tuple[int, ...]
    kind: str
    itemsize: int
    values: Values | None = None  # for small label arrays

    @property
    def numeric(self) -> bool:
        return self.kind in "biuf"

    @property
    def sample(self) -> tuple[int, ...]:
        return self.shape[1:]


@dataclass(frozen=True, slots=True)
class DataInfo:
    """The arrays of a dataset, by role (``x_train``, ``y_train``, ``x_test``, ``y_test``)."""

    source: str
    arrays: dict[str, ArrayInfo]

    def classes(self) -> int | None:
        """The number of classes the integer labels imply (max + 1), when they were read."""
        y = self.arrays.get("y_train")
        if y is None or y.values is None or not y.values.whole or y.values.lo < 0 or not y.values.finite:
            return None
        if len(y.shape) == 2 and y.shape[1] > 1:
            return y.shape[1] if y.values.one_hot else None
        return int(y.values.hi) + 1


_KNOWN = {
    # Keras's mnist.load_data() and fashion_mnist.load_data(): uint8 images, uint8 labels 0..9.
    name: DataInfo(
        name,
        {
            "x_train": ArrayInfo((60_000, 28, 28), "u", 1),
            "y_train": ArrayInfo((60_000,), "u", 1, Values(0, 9, True, False, True, False)),
            "x_test": ArrayInfo((10_000, 28, 28), "u", 1),
            "y_test": ArrayInfo((10_000,), "u", 1, Values(0, 9, True, False, True, False)),
        },
    )
    for name in ("mnist", "fashion_mnist")
}

_ARRAY_CODES = {("u", 1): "B", ("i", 1): "b", ("u", 2): "H", ("i", 2): "h", ("u", 4): "I", ("i", 4): "i",
                ("u", 8): "Q", ("i", 8): "q", ("f", 4): "f", ("f", 8): "d", ("b", 1): "B"}  # fmt: skip


def resolve(dataset: str, spec_file: str | os.PathLike[str] | None) -> str:
    """An ``.npz`` named relative to the spec's folder when it is there, else as given (the current folder)."""
    if dataset in _KNOWN or spec_file is None or Path(dataset).is_absolute():
        return dataset
    beside = Path(spec_file).parent / dataset
    return str(beside) if beside.exists() and not Path(dataset).exists() else dataset


def describe(dataset: str, names: dict[str, str] | None = None) -> DataInfo:
    """The arrays of ``dataset`` (``mnist``, ``fashion_mnist`` or an ``.npz`` path) by role.

    ``names`` maps roles to the names inside the ``.npz``. Raises :class:`DataProblem`.
    """
    if dataset in _KNOWN:
        return _KNOWN[dataset]
    path = Path(dataset)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise DataProblem(f"{dataset}: cannot be read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        raise DataProblem(f"{dataset}: not a regular file")
    roles = names or {r: r for r in ("x_train", "y_train", "x_test", "y_test")}
    # An editor checks on every keystroke: read a file again only when it changed.
    return _read(dataset, str(path), st.st_mtime_ns, st.st_size, tuple(sorted(roles.items())))


@functools.lru_cache(maxsize=32)
def _read(dataset: str, path: str, mtime: int, size: int, roles_items: tuple[tuple[str, str], ...]) -> DataInfo:
    roles = dict(roles_items)
    try:
        with zipfile.ZipFile(path) as archive:
            members = {Path(i.filename).stem: i for i in archive.infolist() if i.filename.endswith(".npy")}
            missing = [name for name in roles.values() if name not in members]
            if missing:
                have = ", ".join(sorted(members)) or "no arrays"
                raise DataProblem(f"{dataset}: no array {', '.join(missing)} (it has {have})")
            arrays = {role: _array(archive, members[name], dataset, read_values=role.startswith("y"))
                      for role, name in roles.items()}  # fmt: skip
    except zipfile.BadZipFile:
        raise DataProblem(f"{dataset}: not an .npz archive (numpy.savez writes one)") from None
    except (OSError, EOFError, ValueError, struct.error) as exc:
        raise DataProblem(f"{dataset}: cannot be read ({exc})") from None
    return DataInfo(str(dataset), arrays)


def _array(archive: zipfile.ZipFile, info: zipfile.ZipInfo, dataset: str, *, read_values: bool) -> ArrayInfo:
    name = Path(info.filename).stem
    with archive.open(info) as f:
        if f.read(6) != _MAGIC:
            raise DataProblem(f"{dataset}: {name} is not a .npy array")
        major = f.read(2)[0]
        size = struct.unpack("<H" if major == 1 else "<I", f.read(2 if major == 1 else 4))[0]
        if size > 65_536:
            raise DataProblem(f"{dataset}: {name} has a header of {size:,} bytes")
        header = ast.literal_eval(f.read(size).decode("latin-1"))
        if not isinstance(header, dict) or not isinstance(header.get("shape"), tuple):
            raise DataProblem(f"{dataset}: {name} has an unreadable .npy header")
        descr = header.get("descr")
        if not isinstance(descr, str) or len(descr) < 3:
            raise DataProblem(f"{dataset}: {name} holds {descr!r} values; arrays must be numeric")
        kind, itemsize = descr[1], int(descr[2:]) if descr[2:].isdigit() else 0
        shape = tuple(int(d) for d in header["shape"])
        values = None
        count = 1
        for d in shape:
            count *= d
        code = _ARRAY_CODES.get((kind, itemsize))
        if read_values and code and 0 < count <= MAX_LABEL_VALUES and not header.get("fortran_order"):
            data = array(code)
            data.frombytes(f.read(count * itemsize))
            if descr[0] == ">" and itemsize > 1:
                data.byteswap()
            values = _values(data, shape, kind)
    return ArrayInfo(shape, kind, itemsize, values)


def _values(data: array, shape: tuple[int, ...], kind: str) -> Values:
    distinct = set(data)
    finite = [v for v in distinct if v == v and v not in (float("inf"), float("-inf"))]
    whole = kind != "f" or all(float(v).is_integer() for v in finite)
    binary = distinct <= {0, 1}
    one_hot = False
    if binary and len(shape) == 2 and shape[1] > 1:
        width = shape[1]
        one_hot = all(sum(data[i : i + width]) == 1 for i in range(0, len(data), width))
    lo, hi = (float(min(finite)), float(max(finite))) if finite else (0.0, 0.0)
    return Values(lo, hi, whole and len(finite) == len(distinct), binary, len(finite) == len(distinct), one_hot)
