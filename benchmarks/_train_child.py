"""One side of the training benchmark, run in its own process by bench_train.py.

    python benchmarks/_train_child.py SIDE --spec SPEC --epochs N --seed S --out RESULT.json

SIDE is one of

- ``keras``: the model written by hand in Keras (see ``HAND_WRITTEN``), trained on the
  same arrays with the same seed, batch size, epochs and validation split, then
  evaluated on the test split, as a hand-written script does;
- ``lib``: ``kerasspec.train(SPEC, ...)``;
- ``cli``: the command line, ``kerasspec.cli.main(["train", SPEC, ...])`` (what
  ``python -m kerasspec train`` runs), in this fresh process.

Every side goes through the same instrumentation: ``keras.Model.fit`` is wrapped so
that two timing callbacks surround the caller's own (one first, one last), and the
arrays and arguments ``fit`` receives are fingerprinted. The first callback's
``on_epoch_end`` fires before any other callback, the last one's after all of them
(kerasspec's per-epoch checkpoint included), so each epoch is timed both ways.
Only epoch-level hooks are overridden: Keras keeps dispatching batch callbacks
asynchronously, as it does without them.

With ``--sync R,W`` the process trains in lockstep with the other sides (see ``Baton``):
it waits for its turn at the start of each epoch and gives the turn back at the end.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

T0 = time.perf_counter()

ROOT = Path(__file__).resolve().parent.parent
FASHION_DIR = Path(os.environ.get("KERASSPEC_FASHION_MNIST_DIR") or "/usr/share/datasets/fashion-mnist")
SAMPLE_NPZ = ROOT / "kerasspec" / "data" / "mnist_sample.npz"


# --------------------------------------------------------------------------- #
# The hand-written side: models and data loading as a Keras user writes them.
# --------------------------------------------------------------------------- #


def build_fashion_bn(keras: Any) -> Any:
    """examples/fashion_mnist_bn.yaml, by hand."""
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, 3, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dropout(0.3),
            layers.Dense(10, activation="softmax"),
        ],
        name="fashion_bn",
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def build_mnist_convnet(keras: Any) -> Any:
    """examples/keras_io_mnist_convnet.yaml: the keras.io "Simple MNIST convnet"."""
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(10, activation="softmax"),
        ],
        name="mnist_convnet",
    )
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


#: spec file name -> (builder, fit settings and label encoding as the spec has them).
HAND_WRITTEN: dict[str, tuple[Any, dict[str, Any]]] = {
    "fashion_mnist_bn.yaml": (build_fashion_bn, {"batch_size": 64, "validation_split": 0.1, "one_hot": False}),
    "keras_io_mnist_convnet.yaml": (build_mnist_convnet, {"batch_size": 128, "validation_split": 0.1, "one_hot": True}),
}


def _read_idx_gz(path: Path, offset: int) -> Any:
    import numpy as np

    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load_hand_written(dataset: str) -> tuple[Any, Any, Any, Any]:
    """(x_train, y_train, x_test, y_test) as uint8 images and integer labels."""
    import numpy as np

    if dataset == "fashion_mnist":
        x_train = _read_idx_gz(FASHION_DIR / "train-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)
        y_train = _read_idx_gz(FASHION_DIR / "train-labels-idx1-ubyte.gz", 8)
        x_test = _read_idx_gz(FASHION_DIR / "t10k-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)
        y_test = _read_idx_gz(FASHION_DIR / "t10k-labels-idx1-ubyte.gz", 8)
        return x_train, y_train, x_test, y_test
    if dataset == "sample":
        # The 5,000 digits embedded in kerasspec: the first 4,000 train, the last 1,000 test.
        with np.load(SAMPLE_NPZ) as f:
            x, y = f["x"], f["y"]
        return x[:4000], y[:4000], x[4000:], y[4000:]
    raise SystemExit(f"unknown dataset {dataset!r}")


def run_keras(args: argparse.Namespace, keras: Any) -> dict[str, Any]:
    import numpy as np

    build, settings = HAND_WRITTEN[Path(args.spec).name]
    x_train, y_train, x_test, y_test = load_hand_written(args.dataset)
    x_train = x_train.astype("float32")[..., None] / 255
    x_test = x_test.astype("float32")[..., None] / 255
    if settings["one_hot"]:
        # float32, as Keras computes: to_categorical alone would hand fit float64 labels.
        y_train = keras.utils.to_categorical(y_train, 10).astype("float32")
        y_test = keras.utils.to_categorical(y_test, 10).astype("float32")
    else:
        y_train, y_test = y_train.astype("int32"), y_test.astype("int32")
    x_train, y_train = np.ascontiguousarray(x_train), np.ascontiguousarray(y_train)
    keras.utils.set_random_seed(args.seed)
    if args.deterministic:
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
    model = build(keras)
    model.fit(
        x_train,
        y_train,
        epochs=args.epochs,
        batch_size=settings["batch_size"],
        validation_split=settings["validation_split"],
        verbose=0,
    )
    scores = model.evaluate(x_test, y_test, batch_size=256, verbose=0, return_dict=True)
    return {"test": {k: float(v) for k, v in scores.items()}, "params": int(model.count_params())}


def run_lib(args: argparse.Namespace) -> dict[str, Any]:
    import kerasspec

    with tempfile.TemporaryDirectory(prefix="bench-train-") as tmp:
        result = kerasspec.train(args.spec, epochs=args.epochs, seed=args.seed, run_dir=tmp, verbose=0,
                                 log=lambda message: None)
        return {"test": result.metrics, "data_source": result.data_source}


def run_cli(args: argparse.Namespace) -> dict[str, Any]:
    from kerasspec.cli import main

    with tempfile.TemporaryDirectory(prefix="bench-train-") as tmp:
        rc = main(["train", args.spec, "--epochs", str(args.epochs), "--seed", str(args.seed),
                   "--run-dir", tmp, "--quiet"])
        metrics = json.loads((Path(tmp) / "metrics.json").read_text()) if rc == 0 else {}
    if rc != 0:
        raise SystemExit(rc)
    return {"test": metrics.get("test"), "data_source": metrics.get("data_source")}


# --------------------------------------------------------------------------- #
# Instrumentation shared by every side.
# --------------------------------------------------------------------------- #


def _fingerprint(a: Any) -> dict[str, Any]:
    import numpy as np

    a = np.asarray(a)
    # Hash the buffer in place: a copy of full Fashion-MNIST would distort the peak RSS.
    buf = a.data if a.flags.c_contiguous else np.ascontiguousarray(a).data
    return {"shape": list(a.shape), "dtype": str(a.dtype), "sha256": hashlib.sha256(buf).hexdigest()}


def _maxrss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Baton:
    """Lockstep with the other sides: wait for our turn before each epoch, pass it on after.

    The parent hands the turn to one process at a time over a pair of pipes, so the sides'
    epochs alternate and a change in the machine's load hits them alike. Without ``--sync``
    the process runs alone.
    """

    def __init__(self, spec: str | None) -> None:
        self.r = self.w = None
        if spec:
            r, w = (int(fd) for fd in spec.split(","))
            self.r, self.w = os.fdopen(r, "rb"), w

    def acquire(self, epoch: int) -> None:
        if self.r is not None and self.w is not None:
            os.write(self.w, f"ready {epoch}\n".encode())
            if self.r.readline().strip() != b"go":
                raise SystemExit("benchmark coordinator went away")

    def release(self, epoch: int) -> None:
        if self.w is not None:
            os.write(self.w, f"done {epoch}\n".encode())


def instrument(keras: Any, record: dict[str, Any], baton: Baton) -> None:
    class EpochClock(keras.callbacks.Callback):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            if self.key == "first":
                baton.acquire(epoch)
                record["epoch_begin"].append(time.perf_counter())
                record["epoch_begin_cpu"].append(time.process_time())

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            record[f"epoch_end_{self.key}"].append(time.perf_counter())
            record[f"epoch_end_{self.key}_cpu"].append(time.process_time())
            if self.key == "last":
                record["logs"].append({k: float(v) for k, v in (logs or {}).items()})
                baton.release(epoch)

    original_fit = keras.Model.fit

    def fit(self: Any, x: Any = None, y: Any = None, *args: Any, callbacks: Any = None, **kwargs: Any) -> Any:
        record["fit_calls"] += 1
        record["fit_kwargs"] = {k: v for k, v in kwargs.items() if isinstance(v, (int, float, bool, str))}
        record["x"], record["y"] = _fingerprint(x), _fingerprint(y)
        record["params"] = int(self.count_params())
        cbs = [EpochClock("first"), *(callbacks or []), EpochClock("last")]
        # Peak RSS so far, before and after fit: says which phase a difference in peaks comes from.
        record["maxrss_before_fit_mb"] = _maxrss_mb()
        record["fit_start"] = time.perf_counter()
        try:
            return original_fit(self, x, y, *args, callbacks=cbs, **kwargs)
        finally:
            record["fit_end"] = time.perf_counter()
            record["maxrss_after_fit_mb"] = _maxrss_mb()

    keras.Model.fit = fit


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("side", choices=("keras", "lib", "cli"))
    p.add_argument("--spec", required=True)
    p.add_argument("--epochs", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--dataset", choices=("fashion_mnist", "sample"), required=True,
                   help="the data the spec trains on (for the hand-written side)")
    p.add_argument("--deterministic", action="store_true",
                   help="keras side: also call tf.config.experimental.enable_op_determinism()")
    p.add_argument("--out", required=True)
    p.add_argument("--sync", metavar="R,W", help="file descriptors of the lockstep pipes (see Baton)")
    args = p.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    record: dict[str, Any] = {"side": args.side, "logs": [], "fit_calls": 0}
    for key in ("epoch_begin", "epoch_end_first", "epoch_end_last"):
        record[key], record[f"{key}_cpu"] = [], []
    record["import_s"] = time.perf_counter() - T0
    instrument(keras, record, Baton(args.sync))
    if args.side == "keras":
        extra = run_keras(args, keras)
    elif args.side == "lib":
        extra = run_lib(args)
    else:
        extra = run_cli(args)
    record.update(extra)
    record["total_s"] = time.perf_counter() - T0
    record["maxrss_at_exit_mb"] = _maxrss_mb()
    # Wall time per epoch, and the process's CPU time (all threads) per epoch: the second
    # moves much less when other work shares the machine.
    for clock in ("", "_cpu"):
        begins = record.pop(f"epoch_begin{clock}")
        ends_first = record.pop(f"epoch_end_first{clock}")
        ends_last = record.pop(f"epoch_end_last{clock}")
        record[f"epoch_train{clock}_s"] = [e - b for b, e in zip(begins, ends_first, strict=True)]
        record[f"epoch_total{clock}_s"] = [e - b for b, e in zip(begins, ends_last, strict=True)]
        record[f"epoch_callbacks{clock}_s"] = [e - f for f, e in zip(ends_first, ends_last, strict=True)]
    record["fit_s"] = record.pop("fit_end") - record.pop("fit_start")
    Path(args.out).write_text(json.dumps(record, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
