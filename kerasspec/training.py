"""Training: fit a checked spec on its data, evaluate it, and write a run directory.

A run directory holds what a careful hand-written Keras script would leave:

    model.keras          the trained model (keras.models.load_model reads it)
    history.json/.csv    loss and metrics per epoch, training and validation
    metrics.json         test loss and every metric, plus where the data came from
    spec.yaml            the resolved spec (defaults filled in)
    training.png         loss and metric curves
    confusion_matrix.png test-set confusion matrix (classifiers)
    checkpoint.keras     the model after the last finished epoch, with optimizer state
    state.json           how many epochs finished: what --resume continues from

Every file is written atomically, after each epoch for the checkpoint and
history, so an interrupted run loses nothing already written and resumes from
its last finished epoch.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from . import spec as S
from .api import Options, Source, run
from .diagnostics import SpecError
from .files import atomic_path, write_json, write_text
from .reporters import render


class TrainError(Exception):
    """A problem that stops training before it starts (bad data, a run that cannot resume)."""


@dataclass
class TrainResult:
    run_dir: Path
    history: dict[str, list[float]]
    metrics: dict[str, float]
    artefacts: dict[str, Path] = field(default_factory=dict)
    data_source: str = ""
    epochs_run: int = 0


IMAGE_DATASETS = ("mnist", "fashion_mnist")


def effective_data(spec_data: S.Data | None, override: str | None) -> tuple[S.Data, str | None]:
    """The data settings to train with, and a path to read MNIST or Fashion-MNIST from (if any).

    ``--data`` may name a dataset (``fashion_mnist``), a path holding the spec's image dataset
    (an ``.npz`` in Keras's layout or a folder of IDX files), or, for a spec whose dataset is a
    user ``.npz``, another such file.
    """
    data = spec_data or S.Data()
    if override is None:
        return data, None
    if override in IMAGE_DATASETS:
        return data.model_copy(update={"dataset": override}), None
    if data.dataset in IMAGE_DATASETS:
        return data, override
    return data.model_copy(update={"dataset": override}), None


def _default_log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def train(
    source: Source,
    *,
    data: str | None = None,
    run_dir: str | os.PathLike[str] | None = None,
    runs_dir: str | os.PathLike[str] = "runs",
    resume: bool = False,
    epochs: int | None = None,
    batch_size: int | None = None,
    seed: int | None = None,
    limit: int | None = None,
    tensorboard: bool = False,
    verbose: int | None = None,
    options: Options = Options(),
    log: Any = _default_log,
) -> TrainResult:
    """Train a spec and write its run directory. Raises SpecError (bad spec) or TrainError (bad data)."""
    first = run(source, options)
    if first.spec is None:
        raise SpecError(first.diagnostics)
    spec = first.spec
    data_settings, data_path = effective_data(spec.data, data)
    # The data-dependent rules (labels, classes, input vs images) run against what will be used.
    result = run(first.document, replace(options, data=data_settings))
    if not result.ok or result.shapes is None or result.spec is None:
        raise SpecError(result.diagnostics)
    fit = spec.fit or S.Fit()
    fit = fit.model_copy(update={k: v for k, v in (("epochs", epochs), ("batch_size", batch_size), ("seed", seed)) if v is not None})
    spec = spec.model_copy(update={"fit": fit, "data": data_settings})
    if spec.compile is None:
        raise TrainError("the spec has no `compile` section: add at least `compile: {loss: ...}` to train it")

    from . import data as D

    try:
        dataset = D.load_dataset(data_settings.dataset, path=data_path, warn=log)
        classes = data_settings.num_classes or dataset.num_classes
        prepared = D.prepare(dataset, input_shape=result.shapes.input_shape[1:], labels=data_settings.labels, num_classes=classes)
    except D.DataError as exc:
        raise TrainError(str(exc)) from None
    x_train, y_train = prepared.x_train, prepared.y_train
    if limit is not None:
        x_train, y_train = x_train[:limit], y_train[:limit]

    out = _run_dir(run_dir, runs_dir, spec, resume)
    resolved = yaml.safe_dump(spec.model_dump(mode="json", by_alias=True, exclude_none=True), sort_keys=False)
    state = _read_state(out) if resume else None
    if resume and (out / "spec.yaml").exists() and (out / "spec.yaml").read_text() != resolved:
        raise TrainError(f"{out}/spec.yaml differs from this spec: resume the run with the spec it was started with")
    write_text(out / "spec.yaml", resolved)

    import keras

    if fit.seed is not None:
        keras.utils.set_random_seed(fit.seed)
        _deterministic_ops()

    from .build import build_model, save_model

    initial_epoch = 0
    history: dict[str, list[float]] = {}
    if state is not None and (out / "checkpoint.keras").exists():
        model = keras.models.load_model(out / "checkpoint.keras")
        initial_epoch = int(state["epochs_done"])
        history = {k: list(v) for k, v in state["history"].items()}
        log(f"kerasspec: resuming {out} after epoch {initial_epoch} of {fit.epochs}")
    else:
        with _strategy_scope(fit.distribute):
            model = build_model(first.document, replace(options, data=data_settings))

    callbacks: list[Any] = [_EpochWriter(out, history, save_model)]
    if tensorboard:
        callbacks.append(keras.callbacks.TensorBoard(log_dir=str(out / "tensorboard")))
    if verbose is None:
        verbose = 1 if sys.stdout.isatty() else 2
    log(f"kerasspec: training {spec.name or 'model'} on {dataset.source}: {len(x_train):,} examples, "
        f"{fit.epochs} epochs, batch {fit.batch_size} -> {out}")
    started = time.perf_counter()
    if initial_epoch < fit.epochs:
        model.fit(
            x_train,
            y_train,
            epochs=fit.epochs,
            initial_epoch=initial_epoch,
            batch_size=fit.batch_size,
            validation_split=fit.validation_split,
            shuffle=fit.shuffle,
            callbacks=callbacks,
            verbose=verbose,
        )
    seconds = time.perf_counter() - started

    scores = model.evaluate(prepared.x_test, prepared.y_test, batch_size=max(fit.batch_size, 256), verbose=0, return_dict=True)
    metrics = {k: float(v) for k, v in scores.items()}
    artefacts = {"spec": out / "spec.yaml", "checkpoint": out / "checkpoint.keras", "state": out / "state.json"}
    artefacts["model"] = save_model(model, out / "model.keras")
    artefacts["metrics"] = write_json(out / "metrics.json", {
        "test": metrics,
        "test_examples": len(prepared.x_test),
        "train_examples": len(x_train),
        "data_source": dataset.source,
        "embedded_sample": dataset.is_sample,
        "epochs": fit.epochs,
        "train_seconds_this_session": round(seconds, 3),
    })
    artefacts["history_json"] = out / "history.json"
    artefacts["history_csv"] = out / "history.csv"
    from . import plots

    artefacts["training_plot"] = plots.training_curves(history, out / "training.png", title=spec.name or "training")
    if _is_classifier(result.shapes.output_shape, classes):
        y_true = prepared.y_test.argmax(-1) if prepared.y_test.ndim == 2 else prepared.y_test
        probs = model.predict(prepared.x_test, batch_size=1024, verbose=0)
        y_pred = probs.argmax(-1) if probs.shape[-1] > 1 else (probs[:, 0] > 0.5).astype(int)
        artefacts["confusion_matrix"] = plots.confusion_matrix(y_true, y_pred, classes, out / "confusion_matrix.png")
    log(f"kerasspec: test {', '.join(f'{k} {v:.4f}' for k, v in metrics.items())}; wrote {out}")
    return TrainResult(out, history, metrics, artefacts, dataset.source, fit.epochs - initial_epoch)


def _is_classifier(output_shape: tuple[int | None, ...], classes: int | None) -> bool:
    return len(output_shape) == 2 and classes is not None and output_shape[-1] in (classes, 1)


def _deterministic_ops() -> None:
    import tensorflow as tf

    # Older TF or a backend without the switch: the seeds still apply.
    with contextlib.suppress(Exception):
        tf.config.experimental.enable_op_determinism()


def _strategy_scope(distribute: str | None) -> Any:
    if distribute is None:
        return contextlib.nullcontext()
    import tensorflow as tf

    if distribute == "mirrored":
        strategy = tf.distribute.MirroredStrategy()
    else:
        strategy = tf.distribute.MultiWorkerMirroredStrategy()
    return strategy.scope()


def _run_dir(run_dir: Any, runs_dir: Any, spec: S.Spec, resume: bool) -> Path:
    if run_dir is not None:
        out = Path(run_dir)
        if resume and not (out / "state.json").exists():
            raise TrainError(f"cannot resume {out}: it has no state.json (no finished epoch to continue from)")
        out.mkdir(parents=True, exist_ok=True)
        return out
    if resume:
        raise TrainError("--resume needs --run-dir: the run directory to continue")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = Path(runs_dir) / f"{spec.name or 'model'}-{stamp}"
    out, n = base, 1
    while out.exists():
        n += 1
        out = base.with_name(f"{base.name}-{n}")
    out.mkdir(parents=True)
    return out


def _read_state(out: Path) -> dict[str, Any] | None:
    import json

    path = out / "state.json"
    if not path.exists():
        return None
    try:
        state = json.loads(path.read_text())
        int(state["epochs_done"])
        dict(state["history"])
    except (ValueError, KeyError, TypeError) as exc:
        raise TrainError(f"{path} is damaged ({exc}); start a new run") from None
    return state


def _history_csv(history: dict[str, list[float]]) -> str:
    keys = list(history)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["epoch", *keys])
    for i in range(max((len(v) for v in history.values()), default=0)):
        writer.writerow([i + 1, *(history[k][i] if i < len(history[k]) else "" for k in keys)])
    return buf.getvalue()


class _EpochWriter:
    """A Keras callback: after each epoch, checkpoint the model, then record the epoch as done."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        import keras

        class EpochWriter(keras.callbacks.Callback):
            def __init__(self, out: Path, history: dict[str, list[float]], save: Any) -> None:
                super().__init__()
                self.out, self.history, self.save = out, history, save

            def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
                for key, value in (logs or {}).items():
                    self.history.setdefault(key, []).append(float(value))
                # The checkpoint goes first: state.json never claims an epoch the checkpoint lacks.
                self.save(self.model, self.out / "checkpoint.keras")
                write_json(self.out / "history.json", self.history)
                write_text(self.out / "history.csv", _history_csv(self.history))
                write_json(self.out / "state.json", {"epochs_done": epoch + 1, "history": self.history})

        return EpochWriter(*args, **kwargs)


def train_cli(args: argparse.Namespace) -> int:
    from .data import DataError
    from .semantics import Budget

    options = Options(budget=Budget(max_params=args.max_params, max_memory_bytes=args.max_memory))
    try:
        result = train(
            args.path,
            data=args.data,
            run_dir=args.run_dir,
            runs_dir=args.runs_dir,
            resume=args.resume,
            epochs=args.epochs,
            batch_size=args.batch_size,
            seed=args.seed,
            limit=args.limit,
            tensorboard=args.tensorboard,
            verbose=0 if args.quiet else None,
            options=options,
        )
    except SpecError as exc:
        print(render("text", exc.diagnostics), file=sys.stderr)
        return 1
    except DataError as exc:
        raise TrainError(str(exc)) from None
    except OSError as exc:
        print(f"kerasspec train: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kerasspec train: interrupted; finished epochs are saved: continue with "
              f"`kerasspec train {args.path} --run-dir <run dir> --resume`", file=sys.stderr)
        return 130
    for name, path in result.artefacts.items():
        if Path(path).exists():
            print(f"{name:18} {path}")
    return 0


__all__ = ["TrainError", "TrainResult", "atomic_path", "train"]
