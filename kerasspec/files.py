"""Files: atomic writes, and bounded reads of untrusted files.

Writes are atomic: a reader sees the old file or the new one, never half of one.
Reads of user files are checked before they start: regular files only (no FIFO or
device), and archives judged by what their directory declares.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .diagnostics import KerasspecError

if TYPE_CHECKING:
    import zipfile


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``target`` (same suffix) that replaces it when the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".tmp{target.suffix}", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the mode open() would
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())  # the data reaches the disk before the rename makes it visible
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(target: str | os.PathLike[str], text: str) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_bytes(target: str | os.PathLike[str], data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_json(target: str | os.PathLike[str], obj: Any) -> Path:
    return write_text(target, json.dumps(obj, indent=2, sort_keys=False) + "\n")


# --------------------------------------------------------------------------- reading untrusted files
#
# Every file kerasspec reads comes from a user, and may be hostile: a FIFO that never
# ends, /dev/zero, a zip member that declares gigabytes from a few kilobytes. What can
# be known before reading is checked first: the file's kind from stat(), and what an
# archive will expand to from its central directory.

_FILE_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


class NotARegularFileError(OSError):
    """A FIFO, a device or a socket where a file is expected (an I/O problem: exit 2)."""


def _refuse_irregular(st: os.stat_result, name: str) -> None:
    if stat.S_ISREG(st.st_mode):
        return
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "a folder, not a file", name)
    kind = _FILE_KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file")
    # Reading one could block for ever (a FIFO) or never end (/dev/zero).
    raise NotARegularFileError(errno.EINVAL, f"{kind}, not a regular file; kerasspec reads regular files only", name)


def require_regular_file(path: str | os.PathLike[str]) -> os.stat_result:
    """``os.stat(path)``, refusing anything but a regular file, before a library opens it."""
    name = os.fspath(path)
    st = os.stat(name)
    _refuse_irregular(st, name)
    return st


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open a regular file for reading in binary mode; refuse FIFOs and devices without blocking.

    The kind is checked by ``stat`` before opening (opening a device can have effects) and
    again by ``fstat`` on the opened descriptor, which cannot be swapped underneath. The open
    is non-blocking so that a FIFO put in the file's place in between cannot hang it.
    """
    name = os.fspath(path)
    require_regular_file(name)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(name, flags)
    try:
        _refuse_irregular(os.fstat(fd), name)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def read_bytes_bounded(path: str | os.PathLike[str], limit: int) -> bytes | None:
    """A regular file's bytes, or None when it is larger than ``limit`` (checked before reading)."""
    with open_regular(path) as f:
        if os.fstat(f.fileno()).st_size > limit:
            return None
        raw = f.read(limit + 1)  # a file may grow while it is read
    return None if len(raw) > limit else raw


def human_size(n: int) -> str:
    """``2.0 GiB``: sizes in messages, in the binary units memory is counted in."""
    value = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{n:,} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


class InputTooLargeError(KerasspecError):
    """An input whose headers declare more than kerasspec will read (exit 1)."""


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """What a zip archive may expand to, judged from its central directory before any member is read.

    Reading a member through :mod:`zipfile` stops at its declared size, so these
    declared sizes bound what is read. A member may expand to ``max_ratio`` times
    its stored size once it is above ``ratio_floor``: deflate reaches ~1000x only on
    data that is nearly all one byte, which is what decompression bombs are made of;
    real arrays and Keras weights (stored uncompressed) stay far below 100x.
    """

    max_member_bytes: int
    max_total_bytes: int
    max_ratio: int = 100
    ratio_floor: int = 64 * 2**20
    max_members: int = 10_000


def check_zip(archive: zipfile.ZipFile, where: str | os.PathLike[str], limits: ArchiveLimits,
              names: Iterable[str] | None = None) -> list[zipfile.ZipInfo]:
    """Refuse an archive (or its members ``names``) that declares more than ``limits`` allow.

    Returns the checked members' infos. Raises :class:`InputTooLargeError`.
    """
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise InputTooLargeError(f"{where}: the archive holds {len(infos):,} members, above the limit of {limits.max_members:,}")
    if names is not None:
        wanted = set(names)
        infos = [i for i in infos if i.filename in wanted]
    total = 0
    for info in infos:
        size, stored = info.file_size, info.compress_size
        if size > limits.max_member_bytes:
            raise InputTooLargeError(
                f"{where}: archive member {info.filename!r} declares {human_size(size)} uncompressed, "
                f"above the limit of {human_size(limits.max_member_bytes)}; it was not read"
            )
        if size > limits.ratio_floor and size > limits.max_ratio * max(stored, 1):
            raise InputTooLargeError(
                f"{where}: archive member {info.filename!r} declares {human_size(size)} from "
                f"{human_size(stored)} stored ({size // max(stored, 1):,}x); kerasspec refuses "
                f"expansions above {limits.max_ratio}x (a decompression bomb); it was not read"
            )
        total += size
    if total > limits.max_total_bytes:
        raise InputTooLargeError(
            f"{where}: the archive declares {human_size(total)} uncompressed in all, above the limit "
            f"of {human_size(limits.max_total_bytes)}; it was not read"
        )
    return infos


# --------------------------------------------------------------------------- .keras model archives

#: The largest ``config.json`` read from a ``.keras`` archive: a description, not weights.
MAX_MODEL_CONFIG_BYTES = 20_000_000
#: The largest model (weights and assets, uncompressed) kerasspec loads: 2 billion float32 weights.
MAX_MODEL_BYTES = 8 * 2**30
KERAS_ARCHIVE_LIMITS = ArchiveLimits(max_member_bytes=MAX_MODEL_BYTES, max_total_bytes=MAX_MODEL_BYTES)
_SMALL_MEMBERS = {"config.json": MAX_MODEL_CONFIG_BYTES, "metadata.json": 1_000_000}
_WEIGHTS_H5 = "model.weights.h5"


class _Window(io.RawIOBase):
    """A read-only view of ``length`` bytes of ``f`` from ``start``: a stored zip member, seekable cheaply."""

    def __init__(self, f: BinaryIO, start: int, length: int) -> None:
        super().__init__()
        self._f, self._start, self._length, self._pos = f, start, length, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: self._length}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        n = max(0, min(len(view), self._length - self._pos))
        if n == 0:
            return 0
        self._f.seek(self._start + self._pos)
        got = self._f.readinto(view[:n]) or 0
        self._pos += got
        return got


def _stored_member(f: BinaryIO, info: zipfile.ZipInfo) -> _Window | None:
    """A window on an uncompressed member's bytes (Keras stores its members so), else None."""
    import struct
    import zipfile

    if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x1:  # compressed or encrypted
        return None
    f.seek(info.header_offset)
    header = f.read(30)  # the local file header: its name and extra field lengths end it
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return None
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    return _Window(f, info.header_offset + 30 + name_len + extra_len, info.file_size)


def _check_h5_datasets(source: Any, where: str, member_size: int) -> None:
    """Refuse HDF5 weights whose datasets declare far more than the file stores (a shape bomb)."""
    try:
        import h5py
    except ImportError:  # pragma: no cover - h5py comes with Keras
        return
    declared_total = 0
    problem: list[str] = []

    def visit(name: str, obj: Any) -> None:
        nonlocal declared_total
        if problem or not isinstance(obj, h5py.Dataset):
            return
        declared = obj.size * obj.dtype.itemsize
        declared_total += declared
        stored = obj.id.get_storage_size()
        if declared > KERAS_ARCHIVE_LIMITS.ratio_floor and declared > KERAS_ARCHIVE_LIMITS.max_ratio * max(stored, 1):
            problem.append(f"dataset {name!r} declares {human_size(declared)} but stores {human_size(stored)}")

    with h5py.File(source, "r") as h5:
        h5.visititems(visit)
    if problem:
        raise InputTooLargeError(f"{where}: {_WEIGHTS_H5}: {problem[0]} (a decompression bomb); it was not read")
    if declared_total > MAX_MODEL_BYTES:
        raise InputTooLargeError(
            f"{where}: {_WEIGHTS_H5} declares {human_size(declared_total)} of weights, above the limit of "
            f"{human_size(MAX_MODEL_BYTES)}; it was not read"
        )


def check_keras_archive(path: str | os.PathLike[str]) -> None:
    """Refuse a ``.keras`` file that declares more than kerasspec will load, before Keras reads any of it.

    A file that is not a zip archive at all is left for Keras to report. Raises
    :class:`InputTooLargeError`, :class:`NotARegularFileError` (a FIFO, a device) or OSError.
    """
    import zipfile

    where = os.fspath(path)
    with open_regular(where) as f:
        try:
            archive = zipfile.ZipFile(f)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return  # not an archive: Keras says so in its own words
        with archive:
            infos = check_zip(archive, where, KERAS_ARCHIVE_LIMITS)
            for info in infos:
                limit = _SMALL_MEMBERS.get(info.filename)
                if limit is not None and info.file_size > limit:
                    raise InputTooLargeError(
                        f"{where}: {info.filename} declares {human_size(info.file_size)}, above the limit of "
                        f"{human_size(limit)} for a model description; it was not read"
                    )
            weights = next((i for i in infos if i.filename == _WEIGHTS_H5), None)
            if weights is None:
                return
            window = _stored_member(f, weights)
            try:
                if window is not None:
                    _check_h5_datasets(window, where, weights.file_size)
                else:
                    with archive.open(weights) as member:
                        _check_h5_datasets(member, where, weights.file_size)
            except InputTooLargeError:
                raise
            except Exception:  # a damaged weights file: Keras reports it when it loads
                return
