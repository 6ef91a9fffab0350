"""Training: fit a checked spec on its data, evaluate it, and write a run directory.

A run directory holds what a careful hand-written Keras script would leave:

    model.keras          the trained model (keras.models.load_model reads it)
    history.json/.csv    loss and metrics per epoch, training and validation
    metrics.json         test loss and every metric, the task, and where the data came from
    spec.yaml            the resolved spec (defaults filled in)
    training.png         loss and metric curves
    confusion_matrix.png test-set confusion matrix (classification and binary tasks)
    reconstructions.png  test inputs above their reconstructions (reconstruction: autoencoders)
    predictions.png      predicted against true test targets (regression)
    report.html          one page with all of the above (``kerasspec report`` rebuilds it)
    checkpoint.keras     the model after the last finished epoch, with optimizer state
    state.json           how many epochs finished, the callbacks' state: what --resume continues from
    best_weights-I.epoch-K.npz  EarlyStopping's best weights (restore_best_weights), for --resume

Every file is written atomically, after each epoch for the checkpoint and
history, so an interrupted run loses nothing already written and resumes from
its last finished epoch.

The end of an epoch is committed in this order, so that ``state.json`` and
``checkpoint.keras`` always describe the same epoch, whenever the process dies:

1. the model goes (atomically) to ``checkpoint.epoch-N.keras``, before the spec's callbacks
   (``fit.callbacks``) see the epoch;
2. after them: EarlyStopping's best weights (``restore_best_weights``), when they are new, go
   to ``best_weights-I.epoch-K.npz``; ``history.json`` and ``history.csv`` are rewritten;
3. ``state.json`` says ``epochs_done: N`` (the commit point), with the callbacks' state
   (EarlyStopping's ``wait``, ``best``, ``best_epoch``, ``stopped_epoch``; ReduceLROnPlateau's
   ``wait``, ``best``, ``cooldown_counter`` and the learning rate it set), and ``stopped`` when
   a callback ended training there;
4. ``checkpoint.epoch-N.keras`` is renamed to ``checkpoint.keras``.

``--resume`` puts the callbacks' state back after Keras resets it, so EarlyStopping's patience
and ReduceLROnPlateau's counters run on as in one uninterrupted ``fit``; a run a callback
stopped trains no further epoch. A metric that returns a vector (``F1Score(average=None)``,
``TruePositives(thresholds=[...])``) is a list per epoch in ``history.json`` and
``metrics.json``, and one column per element (``f1_score[0]``...) in ``history.csv``.

``--resume`` finishes step 4 if the process died between 3 and 4, and drops a
``checkpoint.epoch-N.keras`` that ``state.json`` never committed. Ctrl-C during
these steps is held until they are done. A resumed run continues from the same
weights and optimizer state, but its shuffling and dropout draws are not those
an uninterrupted run would have made.

``fit.distribute: mirrored`` trains through ``tf.distribute.MirroredStrategy``
over every GPU, or, without GPUs, over every logical CPU device; the environment
variable ``KERASSPEC_LOGICAL_CPUS=N`` splits the CPU into N logical devices
first (to try data-parallel training on a machine without GPUs).
``multi_worker`` uses ``MultiWorkerMirroredStrategy`` (``TF_CONFIG`` names the
workers; without it, a single local worker).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import re
import shutil
import signal
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from . import spec as S
from .api import Options, Source, run
from .datafiles import resolve
from .diagnostics import KerasspecError, SpecError
from .files import read_bytes_bounded, write_json, write_text
from .resolved import readable

#: Split the CPU into this many logical devices before TensorFlow starts (for ``mirrored``).
ENV_LOGICAL_CPUS = "KERASSPEC_LOGICAL_CPUS"

CHECKPOINT = "checkpoint.keras"
STATE = "state.json"

#: One epoch's value of a logged quantity: a number, or a list of numbers for a metric that
#: returns a vector (``F1Score(average=None)``: one per class; ``TruePositives(thresholds=[...])``:
#: one per threshold), as Keras's ``history.history`` holds it (an ndarray there).
Value = float | list[Any]


class TrainError(KerasspecError):
    """A problem that stops training before it starts (bad data, a run that cannot resume)."""


class TrainInterrupted(KeyboardInterrupt):
    """Ctrl-C during training: ``epochs_done`` finished epochs are saved in ``run_dir``."""

    def __init__(self, run_dir: Path, epochs_done: int, epochs: int) -> None:
        super().__init__(f"interrupted after {epochs_done} of {epochs} epoch{'s' * (epochs != 1)}; run directory {run_dir}")
        self.run_dir, self.epochs_done, self.epochs = run_dir, epochs_done, epochs


@dataclass
class TrainResult:
    run_dir: Path
    history: dict[str, list[Value]]
    metrics: dict[str, Value]
    artefacts: dict[str, Path] = field(default_factory=dict)
    data_source: str = ""
    epochs_run: int = 0
    replicas: int = 1


@dataclass
class EvalResult:
    model_path: Path
    metrics: dict[str, Value]
    data_source: str
    test_examples: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": str(self.model_path),
            "data_source": self.data_source,
            "test_examples": self.test_examples,
            "metrics": self.metrics,
        }


IMAGE_DATASETS = ("mnist", "fashion_mnist")


def effective_data(spec_data: S.Data | None, override: str | None) -> tuple[S.Data, str | None]:
    """The data settings to train with, and a path to read MNIST or Fashion-MNIST from (if any).

    ``--data`` may name a dataset (``fashion_mnist``), or a path: for a spec whose data is
    MNIST or Fashion-MNIST, a local copy of it (an ``.npz`` in Keras's layout or a folder of
    IDX files); for a spec whose dataset is a user ``.npz``, another such file; for a spec
    with no ``data`` section, the dataset itself (its classes are read from the file), so
    that a 32x32x3 CNN can be trained on ``--data cifar.npz`` without the MNIST rules.
    """
    data = spec_data or S.Data()
    if override is None:
        return data, None
    if override in IMAGE_DATASETS:
        return data.model_copy(update={"dataset": override}), None
    if spec_data is not None and data.dataset in IMAGE_DATASETS:
        return data, override
    return data.model_copy(update={"dataset": override}), None


def model_classes(output_shape: tuple[int | None, ...]) -> int | None:
    """How many classes a classifier's output can tell apart: its units, 2 for one sigmoid unit."""
    if len(output_shape) != 2 or output_shape[-1] is None:
        return None
    return 2 if output_shape[-1] == 1 else int(output_shape[-1])


def load_data(
    settings: S.Data,
    path: str | None,
    *,
    input_shape: tuple[int | None, ...],
    output_shape: tuple[int | None, ...],
    log: Any = None,
    scale: bool = True,
    purpose: str = "training",
) -> tuple[Any, Any]:
    """Read and check the data, then adapt it to a model: ``(dataset, prepared)``.

    The targets are encoded for ``data.task`` (see :func:`kerasspec.data.prepare`). For
    classification, labels are checked against the classes the model can output
    (``data.num_classes``, else the final layer's units), so a label out of range is an
    error here, before training, not deep inside ``fit``. Raises :class:`TrainError`.
    """
    from . import data as D

    task = settings.task
    try:
        # Keras's download helper prints its progress on stdout, which is for results (JSON).
        with contextlib.redirect_stdout(sys.stderr):
            dataset = D.load_dataset(
                settings.dataset, path=path, warn=log, task=task, arrays=settings.array_names.model_dump(),
                purpose="evaluating" if purpose == "evaluating" else "training",
            )
        classes = None
        if task == "classification":
            classes = settings.num_classes or model_classes(output_shape) or dataset.num_classes
        prepared = D.prepare(
            dataset, input_shape=input_shape, labels=settings.labels, num_classes=classes, scale=scale,
            task=task, positive_class=settings.positive_class, output_shape=tuple(output_shape[1:]),
        )  # fmt: skip
    except D.DataError as exc:
        raise TrainError(str(exc)) from None
    return dataset, prepared


def check_data_exists(settings: S.Data, path: str | None) -> None:
    """A data file or folder that is named but missing is a TrainError now, before Keras is imported.

    The message is :func:`kerasspec.data.load_dataset`'s own: it fails at once on a missing
    path, before it reads or imports anything.
    """
    target = path if path is not None else settings.dataset if settings.dataset not in IMAGE_DATASETS else None
    if target is None or Path(target).exists():
        return
    from . import data as D

    try:
        D.load_dataset(settings.dataset, path=path, task=settings.task, allow_download=False,
                       arrays=settings.array_names.model_dump())
    except D.DataError as exc:
        raise TrainError(str(exc)) from None


def _reads_indices(spec: S.Spec) -> bool:
    """Whether the model's first layer reads integer ids (an Embedding): its data is not pixels."""
    from .layers.blocks import expand

    first = next((layer for layer, _, _ in expand(list(spec.layers)) if layer.kind != "Input"), None)
    return first is not None and first.TAKES_INDICES


def _model_reads_indices(model: Any) -> bool:
    layers = [layer for layer in getattr(model, "layers", []) if type(layer).__name__ != "InputLayer"]
    return bool(layers) and type(layers[0]).__name__ == "Embedding"


def _default_log(message: str) -> None:
    from .reporters import printable

    print(printable(message), file=sys.stderr, flush=True)  # file names in it may hold terminal escapes


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
    """Train a spec and write its run directory.

    Raises SpecError (bad spec), TrainError (bad data, a run that cannot resume) or
    TrainInterrupted (Ctrl-C; what finished is saved and ``--resume`` continues it).
    """
    from .build import import_keras, quiet_tensorflow

    quiet_tensorflow()
    if resume:  # found now, not after the data is read and Keras imported
        if run_dir is None:
            raise TrainError("--resume needs --run-dir: the run directory to continue")
        if not (Path(run_dir) / STATE).exists():
            raise TrainError(f"cannot resume {run_dir}: it has no {STATE} (no finished epoch to continue from)")
    first = run(source, options)
    if first.spec is None:
        raise SpecError(first.diagnostics)
    spec = first.spec
    spec_data = spec.data
    if spec_data is not None and first.document.file is not None:
        # As `check` reads it: a relative .npz beside the spec first, else in the current folder.
        spec_data = spec_data.model_copy(update={"dataset": resolve(spec_data.dataset, first.document.file)})
    data_settings, data_path = effective_data(spec_data, data)
    check_data_exists(data_settings, data_path)  # in a second: importing Keras takes ten
    if data_settings.dataset not in IMAGE_DATASETS and Path(data_settings.dataset).exists():
        # The run's spec.yaml names its data so that `evaluate` finds it from any directory.
        data_settings = data_settings.model_copy(update={"dataset": str(Path(data_settings.dataset).resolve())})
    # The data-dependent rules (labels, classes, input vs images) run against what will be used.
    result = run(first.document, replace(options, data=data_settings))
    if not result.ok or result.shapes is None or result.spec is None or not result.shapes.complete:
        raise SpecError(result.diagnostics)
    fit = spec.fit or S.Fit()
    fit = fit.model_copy(update={k: v for k, v in (("epochs", epochs), ("batch_size", batch_size), ("seed", seed)) if v is not None})
    spec = spec.model_copy(update={"fit": fit, "data": data_settings})
    if spec.compile is None:
        raise TrainError("the spec has no `compile` section: add at least `compile: {loss: ...}` to train it")
    from .build import refuse_beyond_memory
    from .semantics import estimate_memory

    refuse_beyond_memory(estimate_memory(spec, result.shapes, fit.batch_size), "training (weights, optimizer state, activations)")
    if limit is not None and limit < 1:
        raise TrainError(f"limit must be at least 1, got {limit}")

    if data_path is None and data_settings.dataset in IMAGE_DATASETS:
        import_keras()  # a download may import Keras: do it quietly first
    assert result.shapes.input_shape is not None
    dataset, prepared = load_data(
        data_settings, data_path, input_shape=result.shapes.input_shape[1:], output_shape=result.shapes.output_shape, log=log,
        scale=not _reads_indices(spec),
    )
    x_train, y_train = prepared.x_train, prepared.y_train
    if limit is not None:
        x_train, y_train = x_train[:limit], y_train[:limit]
    if fit.validation_split and len(x_train) - math.ceil(len(x_train) * (1 - fit.validation_split)) < 1:
        raise TrainError(
            f"validation_split {fit.validation_split} of {len(x_train):,} examples leaves no validation data; "
            "use more examples or validation_split: 0"
        )

    if fit.distribute is not None:
        import_keras()
        if _backend() != "tensorflow":  # found before a run directory is made
            _strategy(fit.distribute)
    out = _run_dir(run_dir, runs_dir, spec, resume)
    lock = lock_run_dir(out)  # a second `train` into this directory stops here, before touching it
    remove_stale_temp_files(out)  # with the lock held, no live process is writing them
    try:
        return _train_in(
            out, spec, first, data_settings, resume=resume, options=options, dataset=dataset,
            prepared=prepared, x_train=x_train, y_train=y_train, data_path=data_path,
            output_shape=result.shapes.output_shape, tensorboard=tensorboard, verbose=verbose, log=log,
        )
    except TrainInterrupted:
        raise
    except KeyboardInterrupt:
        state = _read_state_quietly(out)
        done = int(state["epochs_done"]) if state else 0
        raise TrainInterrupted(out, done, fit.epochs) from None
    finally:
        _unlock(lock)


def _read_state_quietly(out: Path) -> dict[str, Any] | None:
    try:
        return _read_state(out)
    except TrainError:
        return None


def _train_in(
    out: Path,
    spec: S.Spec,
    first: Any,
    data_settings: S.Data,
    *,
    resume: bool,
    options: Options,
    dataset: Any,
    prepared: Any,
    x_train: Any,
    y_train: Any,
    data_path: str | None,
    output_shape: tuple[int | None, ...],
    tensorboard: bool,
    verbose: int | None,
    log: Any,
) -> TrainResult:
    """Everything after the run directory exists: an interruption here can be resumed."""
    assert spec.fit is not None and spec.compile is not None
    fit = spec.fit
    classes = prepared.num_classes
    # As a user reads it: `type` first, then what the spec wrote, then every default.
    resolved = yaml.safe_dump(readable(spec), sort_keys=False)
    state = _read_state(out) if resume else None
    if resume and (out / "spec.yaml").exists() and (out / "spec.yaml").read_text() != resolved:
        raise TrainError(
            f"{out}/spec.yaml differs from this spec and these options: resume the run with the spec "
            "and the --epochs/--batch-size/--seed/--data it was started with"
        )
    if state is not None:
        state = _recover(out, state, fit.epochs)
    else:
        _clear_previous_run(out, log)
    write_text(out / "spec.yaml", resolved)

    from .build import (
        build_model,
        import_keras,
        import_tensorflow_quietly,
        make_callbacks,
        save_model,
    )

    keras = import_keras()
    # On JAX or PyTorch, Keras still imports an installed TensorFlow (set_random_seed, every
    # checkpoint save, TensorBoard): now, without its native log lines in the middle of training.
    import_tensorflow_quietly()
    strategy = _strategy(fit.distribute)  # before any TensorFlow op: collective ops are set up at start
    if fit.seed is not None:
        keras.utils.set_random_seed(fit.seed)
        _deterministic_ops()

    initial_epoch = 0
    history: dict[str, list[float]] = {}
    with _scope(strategy):
        if state is not None:
            model = load_keras_model(out / CHECKPOINT, keras)
            mismatch = model_mismatch(model, first.shapes)
            if mismatch is not None:  # a checkpoint copied in from another run
                raise TrainError(
                    f"cannot resume {out}: {CHECKPOINT} is not a model of this spec ({mismatch}); start a new run"
                )
            initial_epoch = int(state["epochs_done"])
            history = {k: list(v) for k, v in state["history"].items()}
            if fit.callbacks and "callbacks" not in state:
                log(f"kerasspec: warning: {out}/{STATE} holds no state of fit.callbacks (an older kerasspec wrote "
                    "it): EarlyStopping and ReduceLROnPlateau count their patience again from this epoch")
            if state.get("stopped"):
                log(f"kerasspec: {out} stopped early after epoch {initial_epoch} (a callback ended it); finishing it")
            else:
                log(f"kerasspec: resuming {out} after epoch {initial_epoch} of {fit.epochs}")
        else:
            model = build_model(first.document, replace(options, data=data_settings))
            # Normalization without mean/variance learns them from the training data first
            # (a resumed run loads them with the checkpoint).
            from .adapt import adapt_layers

            adapt_layers(model, x_train, validation_split=fit.validation_split, log=log)

    # The spec's own callbacks (fit.callbacks: EarlyStopping...) run between the checkpoint of the
    # epoch and its commit, which records their state for --resume.
    spec_callbacks = make_callbacks(fit, keras)
    writer = _EpochWriter(out, history, save_model, spec_callbacks, state)
    callbacks: list[Any] = [writer.first, *spec_callbacks, writer.last]
    if tensorboard:
        import importlib.util

        if importlib.util.find_spec("tensorboard") is None:
            raise TrainError("--tensorboard needs the tensorboard package: pip install tensorboard")
        callbacks.append(keras.callbacks.TensorBoard(log_dir=str(out / "tensorboard")))
    if verbose is None:  # no --quiet: the spec's fit.verbose; `auto` as Keras's, but 2 into a file or pipe
        verbose = fit.verbose if fit.verbose != "auto" else 1 if sys.stdout.isatty() else 2
    if fit.initial_epoch:
        # Keras's initial_epoch continues a model trained before; a run here starts from fresh
        # weights, and --resume is what continues one (from the epochs its state.json counts).
        log(f"kerasspec: warning: fit.initial_epoch {fit.initial_epoch} is ignored: a run starts at epoch 0 "
            f"with fresh weights and trains {fit.epochs} epoch{'s' * (fit.epochs != 1)}; continue an "
            "interrupted run with `kerasspec train --resume --run-dir DIR`")
    replicas = int(getattr(strategy, "num_replicas_in_sync", 1))
    on = f" over {replicas} replicas ({fit.distribute})" if strategy is not None else ""
    log(f"kerasspec: training {spec.name or 'model'} on {dataset.source}: {len(x_train):,} examples, "
        f"{fit.epochs} epoch{'s' * (fit.epochs != 1)}, batch {fit.batch_size}{on} -> {out}")
    started = time.perf_counter()
    stopped = bool(state is not None and state.get("stopped"))
    if stopped or initial_epoch >= fit.epochs:
        # Nothing left to fit: what Keras's on_train_end would do, EarlyStopping's restore_best_weights.
        _restore_best_weights(model, spec_callbacks, state, out)
    else:
        try:
            model.fit(
                x_train,
                y_train,
                epochs=fit.epochs,
                initial_epoch=initial_epoch,
                batch_size=fit.batch_size,
                validation_split=fit.validation_split,
                shuffle=fit.shuffle,
                validation_freq=fit.validation_freq,
                callbacks=callbacks,
                verbose=verbose,
            )
        except KeyboardInterrupt:
            raise TrainInterrupted(out, len(next(iter(history.values()), [])), fit.epochs) from None
    seconds = time.perf_counter() - started

    scores = model.evaluate(prepared.x_test, prepared.y_test, batch_size=max(fit.batch_size, 256), verbose=0, return_dict=True)
    metrics = _loss_first(scores)
    artefacts = {"spec": out / "spec.yaml", "checkpoint": out / CHECKPOINT, "state": out / STATE}
    artefacts["model"] = save_model(model, out / "model.keras")
    artefacts["metrics"] = write_json(out / "metrics.json", {
        "test": metrics,
        "test_examples": len(prepared.x_test),
        "train_examples": len(x_train),
        "data_source": dataset.source,
        "data_path": str(Path(data_path).resolve()) if data_path is not None else None,
        "embedded_sample": dataset.is_sample,
        "task": data_settings.task,
        **({"positive_class": data_settings.positive_class} if data_settings.positive_class is not None else {}),
        "epochs": fit.epochs,
        "replicas": replicas,
        "train_seconds_this_session": round(seconds, 3),
    })
    artefacts["history_json"] = out / "history.json"
    artefacts["history_csv"] = out / "history.csv"
    from . import plots

    artefacts["training_plot"] = plots.training_curves(history, out / "training.png", title=spec.name or "training")
    artefacts.update(_task_pictures(model, spec, dataset, prepared, out, output_shape, classes))
    from .report import write_report

    artefacts["report"] = write_report(out)
    if tensorboard:
        artefacts["tensorboard"] = out / "tensorboard"
    log(f"kerasspec: test {', '.join(f'{k} {format_value(v)}' for k, v in metrics.items())}; wrote {out}")
    # Epochs run now: fewer than asked when a callback (EarlyStopping, TerminateOnNaN) stopped the run.
    ran = len(next(iter(history.values()), [])) - initial_epoch
    return TrainResult(out, history, metrics, artefacts, dataset.source, ran, replicas)


def _restore_best_weights(model: Any, spec_callbacks: list[Any], state: dict[str, Any] | None, out: Path) -> None:
    """A resumed run with no epoch left: give the model EarlyStopping's best weights, as its on_train_end would."""
    if state is None or not state.get("callbacks"):
        return
    restore_callback_states(spec_callbacks, state["callbacks"], out)
    for callback in spec_callbacks:
        if type(callback).__name__ == "EarlyStopping" and callback.restore_best_weights and callback.best_weights is not None:
            model.set_weights(callback.best_weights)


def _is_classifier(output_shape: tuple[int | None, ...], classes: int | None) -> bool:
    return len(output_shape) == 2 and classes is not None and output_shape[-1] in (classes, 1)


#: How many test inputs ``reconstructions.png`` shows next to the model's outputs.
RECONSTRUCTED = 10


def _task_pictures(
    model: Any, spec: S.Spec, dataset: Any, prepared: Any, out: Path, output_shape: tuple[int | None, ...], classes: int
) -> dict[str, Path]:
    """The test-set picture a Keras user draws for the task: confusion matrix, reconstructions, predicted vs true."""
    from . import plots
    from .semantics import loss_info

    assert spec.data is not None and spec.compile is not None
    task, x, y = spec.data.task, prepared.x_test, prepared.y_test
    if task == "binary" or (task == "classification" and _is_classifier(output_shape, classes)):
        scores = model.predict(x, batch_size=1024, verbose=0).reshape(len(x), -1)
        threshold = 0.0 if loss_info(spec.compile.loss).from_logits else 0.5
        y_pred = scores.argmax(-1) if scores.shape[-1] > 1 else (scores[:, 0] > threshold).astype(int)
        # One-hot rows name their class by position; ids and binary (N, 1) columns are the class.
        y_true = y.argmax(-1) if y.ndim == 2 and y.shape[-1] > 1 else y.reshape(len(y)).astype(int)
        k = spec.data.positive_class
        names = [f"not {k}", str(k)] if task == "binary" and k is not None else None
        target = out / "confusion_matrix.png"
        return {"confusion_matrix": plots.confusion_matrix(y_true, y_pred, 2 if task == "binary" else classes, target, class_names=names)}
    if task == "reconstruction":
        pick = _one_per_class(dataset.y_test, RECONSTRUCTED) if dataset.y_test is not dataset.x_test else None
        shown = x[pick] if pick is not None else x[:RECONSTRUCTED]
        outputs = model.predict(shown, verbose=0)
        return {"reconstructions": plots.reconstructions(shown, outputs, out / "reconstructions.png")}
    if task == "regression":
        predicted = model.predict(x, batch_size=1024, verbose=0)
        return {"predictions": plots.predictions(y, predicted, out / "predictions.png")}
    return {}


def _one_per_class(labels: Any, n: int) -> Any:
    """Indices of the first test sample of each class (digits 0..9 for MNIST), when labels are class ids."""
    import numpy as np

    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        return None
    _, first = np.unique(labels, return_index=True)
    return first[:n] if len(first) >= min(n, 8) else None  # in class order: digits 0, 1, 2, ...


def _backend() -> str:
    from .build import import_keras

    return str(import_keras().backend.backend())


def _deterministic_ops() -> None:
    """Ask the backend for deterministic kernels: with a fixed seed, two runs are then identical."""
    # Older versions without the switch: the seeds still apply.
    with contextlib.suppress(Exception):
        backend = _backend()
        if backend == "tensorflow":
            import tensorflow as tf

            tf.config.experimental.enable_op_determinism()
        elif backend == "torch":
            import torch

            torch.use_deterministic_algorithms(True, warn_only=True)
        # JAX on CPU is deterministic already.


def configure_logical_cpus(count: int | None = None) -> int:
    """Split the first CPU into ``count`` logical devices (default: ``$KERASSPEC_LOGICAL_CPUS``).

    Must run before TensorFlow initialises its devices; returns the number of logical CPUs.
    """
    if count is None:
        raw = os.environ.get(ENV_LOGICAL_CPUS, "").strip()
        try:
            count = int(raw) if raw else None
        except ValueError:
            raise TrainError(f"{ENV_LOGICAL_CPUS} must be a whole number of devices, not {raw!r}") from None
    if count is not None and count < 1:
        raise TrainError(f"{ENV_LOGICAL_CPUS} must be at least 1, got {count}")
    import tensorflow as tf

    if count is None:
        return len(tf.config.list_logical_devices("CPU"))
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * count)
    except RuntimeError:
        # TensorFlow already started: fine if it was started with this many devices.
        have = len(tf.config.list_logical_devices("CPU"))
        if have != count:
            raise TrainError(
                f"cannot split the CPU into {count} logical devices: TensorFlow already started "
                f"with {have}; set {ENV_LOGICAL_CPUS} before anything uses TensorFlow"
            ) from None
    return len(tf.config.list_logical_devices("CPU"))


def _strategy(distribute: str | None) -> Any:
    """The ``tf.distribute`` strategy for ``fit.distribute``, or None for the default."""
    backend = _backend()
    if distribute is None:
        if os.environ.get(ENV_LOGICAL_CPUS) and backend == "tensorflow":
            configure_logical_cpus()
        return None
    if backend != "tensorflow":
        raise TrainError(
            f"fit.distribute: {distribute} trains through tf.distribute, which needs the TensorFlow "
            f"backend; Keras is running on {backend}"
        )
    import tensorflow as tf

    try:
        if distribute == "mirrored":
            configure_logical_cpus()
            # Without GPUs, MirroredStrategy() takes only CPU:0; name every logical CPU instead.
            gpus = tf.config.list_logical_devices("GPU")
            devices = None if gpus else [d.name for d in tf.config.list_logical_devices("CPU")]
            return tf.distribute.MirroredStrategy(devices=devices)
        return tf.distribute.MultiWorkerMirroredStrategy()
    except (RuntimeError, ValueError) as exc:
        raise TrainError(f"cannot set up fit.distribute: {distribute}: {exc}") from None


def _scope(strategy: Any) -> Any:
    return strategy.scope() if strategy is not None else contextlib.nullcontext()


def _strategy_scope(distribute: str | None) -> Any:
    """A context in which variables are created for ``fit.distribute`` (kept for callers)."""
    return _scope(_strategy(distribute))


def _run_dir(run_dir: Any, runs_dir: Any, spec: S.Spec, resume: bool) -> Path:
    if run_dir is not None:
        out = Path(run_dir)
        if resume and not (out / STATE).exists():
            raise TrainError(f"cannot resume {out}: it has no {STATE} (no finished epoch to continue from)")
        out.mkdir(parents=True, exist_ok=True)
        return out
    if resume:
        raise TrainError("--resume needs --run-dir: the run directory to continue")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = Path(runs_dir) / f"{spec.name or 'model'}-{stamp}"
    out, n = base, 1
    while True:
        try:
            out.mkdir(parents=True)  # atomic: two runs started in the same second get two directories
            return out
        except FileExistsError:
            n += 1
            out = base.with_name(f"{base.name}-{n}")


def _read_state(out: Path) -> dict[str, Any] | None:
    """``state.json`` exactly as training writes it, or a TrainError: a hand-edited one never resumes."""
    path = out / STATE
    if not path.exists():
        return None
    try:
        raw = read_bytes_bounded(path, MAX_STATE_BYTES)  # a FIFO or a device is refused, not waited on
        if raw is None:
            raise ValueError(f"larger than {MAX_STATE_BYTES:,} bytes")
        state = json.loads(raw)
    except (ValueError, OSError, RecursionError) as exc:
        raise TrainError(f"{path} is damaged ({' '.join(str(exc).split())[:200]}); start a new run") from None
    problem = state_problem(state)
    if problem is not None:
        raise TrainError(f"{path} is not a state kerasspec train wrote: {problem}; start a new run")
    return state  # type: ignore[no-any-return]


#: The largest state.json or metrics.json read: a run writes a few kilobytes.
MAX_STATE_BYTES = 50_000_000


def state_problem(state: Any) -> str | None:
    """What is wrong with a ``state.json`` document, or None: N finished epochs and N history rows per metric."""
    if not isinstance(state, dict) or not {"epochs_done", "history"} <= set(state):
        return "expected the fields epochs_done and history"
    done, history = state["epochs_done"], state["history"]
    if not isinstance(done, int) or isinstance(done, bool) or done < 1:
        return f"epochs_done is {done!r}, not a count of finished epochs (1 or more)"
    if not isinstance(history, dict) or "loss" not in history:
        return "history is not an object of per-epoch metrics with a loss"
    for key, values in history.items():
        # NaN is a number here: a diverged epoch is recorded as it happened. A vector metric
        # (F1Score(average=None)) has a list of numbers per epoch, of the same length every epoch.
        shapes = {_value_shape(v) for v in values} if isinstance(values, list) else {None}
        if None in shapes or len(shapes) > 1:
            return f"history[{key!r}] is not a list of numbers (or of equally long lists of numbers)"
        if len(values) != done:
            return f"history[{key!r}] has {len(values)} rows for {done} finished epochs"
    return _callbacks_problem(state)


def _value_shape(value: Any) -> tuple[int, ...] | None:
    """() for a number, (n, ...) for a list of n numbers (or equal lists), None for anything else."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return ()
    if isinstance(value, list) and value:
        inner = {_value_shape(v) for v in value}
        if len(inner) == 1 and None not in inner:
            return (len(value), *inner.pop())
    return None


def _callbacks_problem(state: dict[str, Any]) -> str | None:
    """What is wrong with the callbacks' state that ``_EpochWriter`` records, or None."""
    rate = state.get("learning_rate")
    if rate is not None and (not isinstance(rate, int | float) or isinstance(rate, bool)):
        return f"learning_rate is {rate!r}, not a number"
    if not isinstance(state.get("stopped", False), bool):
        return "stopped is not true or false"
    entries = state.get("callbacks", [])
    if not isinstance(entries, list):
        return "callbacks is not a list"
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("type"), str):
            return f"callbacks[{i}] is not an object with a type"
        for name in CALLBACK_STATE.get(entry["type"], ()):
            value = entry.get(name)
            ok = _value_shape(value) is not None if name == "best" else isinstance(value, int) and not isinstance(value, bool)
            if not (ok or value is None):
                return f"callbacks[{i}].{name} is {value!r}"
        weights = entry.get("best_weights")
        if weights is not None and (not isinstance(weights, str) or not re.fullmatch(r"best_weights-\d+\.epoch-\d+\.npz", weights)):
            return f"callbacks[{i}].best_weights is {weights!r}, not a file name training writes"
    return None


def model_mismatch(model: Any, shapes: Any) -> str | None:
    """How a loaded Keras model differs from a spec's static analysis (shapes, parameters), or None."""
    if shapes is None or not shapes.complete or shapes.input_shape is None:
        return None
    try:
        model_in, model_out = tuple(model.input_shape[1:]), tuple(model.output_shape[1:])
        params = int(model.count_params())
    except (AttributeError, TypeError, ValueError):  # not a single-input Sequential model
        return "it is not a Sequential model with one input"
    spec_in, spec_out = tuple(shapes.input_shape[1:]), tuple((shapes.output_shape or (None,))[1:])
    if model_in != spec_in:
        return f"its input shape is {model_in}, the spec's {spec_in}"
    if model_out != spec_out:
        return f"its output shape is {model_out}, the spec's {spec_out}"
    if params != shapes.total_params:
        return f"it has {params:,} parameters, the spec {shapes.total_params:,}"
    return None


#: The lock file that makes a run directory one run's at a time (``fcntl.flock``).
LOCK = ".kerasspec.lock"


def lock_run_dir(out: Path) -> Any:
    """An exclusive lock on ``out`` for as long as the returned file is open; TrainError if another run holds it.

    ``flock`` locks die with their process, so a killed run never leaves ``out`` locked (its
    unlocked file is taken over). The file is removed when the run ends; a run that locked a
    file just removed that way retries on the new one. Where ``fcntl`` does not exist
    (Windows) nothing is locked.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - POSIX only
        return None
    path = out / LOCK
    while True:
        f = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the whole run
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.seek(0)
            holder = f.read().strip()
            f.close()
            who = f" (process {holder})" if holder.isdigit() else ""
            raise TrainError(
                f"{out} is in use by another `kerasspec train`{who}: wait for it to finish, or choose another --run-dir"
            ) from None
        try:
            current = os.stat(path).st_ino == os.fstat(f.fileno()).st_ino
        except FileNotFoundError:
            current = False
        if current:
            break
        f.close()  # the previous holder removed this file as it finished: lock the one in its place
    f.seek(0)
    f.truncate()
    f.write(f"{os.getpid()}\n")
    f.flush()
    return f


def _unlock(lock: Any) -> None:
    if lock is not None:
        with contextlib.suppress(OSError):
            os.unlink(lock.name)  # while still held: nobody can lock it in between
        lock.close()  # closing the descriptor releases the flock


def remove_stale_temp_files(out: Path) -> list[Path]:
    """Delete the hidden temporary files of atomic writes that a killed process left in ``out``.

    Only called with the run directory's lock held, when no live process can be writing them.
    """
    removed = []
    for temp in out.glob(".*.tmp*"):  # files.atomic_path's names: .NAME.RANDOM.tmpSUFFIX
        with contextlib.suppress(OSError):
            temp.unlink()
            removed.append(temp)
    return removed


def _pending(out: Path, epoch: int) -> Path:
    return out / f"checkpoint.epoch-{epoch}.keras"


def _recover(out: Path, state: dict[str, Any], epochs: int) -> dict[str, Any]:
    """Finish or undo an epoch commit that a killed process left half done; clear its temp files."""
    done = int(state["epochs_done"])
    if done > epochs:
        raise TrainError(f"{out} has {done} finished epochs, more than the {epochs} asked for")
    pending = _pending(out, done)
    if pending.exists():  # died between writing state.json and renaming the checkpoint
        os.replace(pending, out / CHECKPOINT)
    for stale in out.glob("checkpoint.epoch-*.keras"):  # written, never committed
        stale.unlink()
    _drop_unused_best_weights(out, state.get("callbacks", []))  # a new best written, never committed
    for temp in out.glob(".*.tmp*"):  # atomic writes cut short by SIGKILL
        with contextlib.suppress(OSError):
            temp.unlink()
    if not (out / CHECKPOINT).exists():
        raise TrainError(f"cannot resume {out}: {STATE} says {done} epochs finished but {CHECKPOINT} is missing")
    # history.json may be one epoch ahead of state.json (died between the two): state wins.
    history = state["history"]
    write_json(out / "history.json", history)
    write_text(out / "history.csv", _history_csv(history))
    return state


#: What a run writes: a new run in an existing run directory replaces all of it, and nothing else.
RUN_FILES = (
    "model.keras", CHECKPOINT, STATE, "history.json", "history.csv", "metrics.json", "spec.yaml",
    "training.png", "confusion_matrix.png", "reconstructions.png", "predictions.png", "report.html",
)


def _clear_previous_run(out: Path, log: Any) -> None:
    """A fresh run in a used directory: drop the old run's files, so none of them is mistaken for this run's."""
    if (out / STATE).exists() and not (out / "model.keras").exists():
        raise TrainError(
            f"{out} holds an unfinished run: continue it with --resume, or choose another --run-dir "
            "(or delete that one) to start again"
        )
    old = [p for p in (out / name for name in RUN_FILES) if p.exists()]
    old += list(out.glob("checkpoint.epoch-*.keras")) + list(out.glob("best_weights-*.npz"))
    logs = out / "tensorboard"
    if not old and not logs.is_dir():
        return
    log(f"kerasspec: {out} holds a previous run; starting a new one (use --resume to continue it instead)")
    for path in old:
        path.unlink()
    if logs.is_dir():
        shutil.rmtree(logs)  # the old run's curves would mix with the new run's in TensorBoard


def logged_value(value: Any) -> Value:
    """A value of Keras's epoch logs as JSON holds it: a float, or (nested) lists of floats for an array."""
    import numpy as np

    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        return float(array)
    return array.tolist()  # type: ignore[no-any-return]


def _not_logged(like: Value) -> Value:
    """NaN in the shape of ``like``: an epoch's row for a value it did not log (no validation then)."""
    if isinstance(like, list):
        return [_not_logged(v) for v in like]
    return math.nan


def _flat(value: Any) -> list[tuple[str, Any]]:
    """``value``'s elements with their index suffixes: ``[0]``, ``[1]``...; ``[0][1]`` for a matrix."""
    if not isinstance(value, list):
        return [("", value)]
    return [(f"[{i}]{suffix}", v) for i, item in enumerate(value) for suffix, v in _flat(item)]


def history_columns(history: dict[str, list[Value]]) -> dict[str, list[Any]]:
    """One column per number: a vector metric ``f1_score`` becomes ``f1_score[0]``, ``f1_score[1]``..."""
    columns: dict[str, list[Any]] = {}
    for key, values in history.items():
        first = next((v for v in values if isinstance(v, list)), None)
        if first is None:
            columns[key] = list(values)
            continue
        suffixes = [suffix for suffix, _ in _flat(first)]
        for suffix in suffixes:
            columns.setdefault(f"{key}{suffix}", [])
        for value in values:
            found = dict(_flat(value)) if isinstance(value, list) else {}
            for suffix in suffixes:
                columns[f"{key}{suffix}"].append(found.get(suffix, ""))
    return columns


def _history_csv(history: dict[str, list[Value]]) -> str:
    columns = history_columns(history)
    keys = list(columns)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["epoch", *keys])
    for i in range(max((len(v) for v in columns.values()), default=0)):
        writer.writerow([i + 1, *(columns[k][i] if i < len(columns[k]) else "" for k in keys)])
    return buf.getvalue()


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    """Hold Ctrl-C until the block is done, then deliver it: a commit is never cut in half."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            if previous is signal.default_int_handler:
                raise KeyboardInterrupt
            if callable(previous):
                previous(signal.SIGINT, None)


#: The state of each stateful Keras callback that ``state.json`` keeps, so that ``--resume``
#: continues it as one uninterrupted ``fit`` would: EarlyStopping's patience counter, best value
#: and best epoch; ReduceLROnPlateau's counters (and, beside them, the reduced learning rate).
#: Keras resets these in ``on_train_begin``; the run restores them just after.
CALLBACK_STATE: dict[str, tuple[str, ...]] = {
    "EarlyStopping": ("wait", "best", "best_epoch", "stopped_epoch"),
    "ReduceLROnPlateau": ("wait", "best", "cooldown_counter"),
}


def _best_weights_file(out: Path, index: int, best_epoch: int) -> Path:
    """EarlyStopping(restore_best_weights) number ``index``'s best weights, from epoch ``best_epoch`` (0-based)."""
    return out / f"best_weights-{index}.epoch-{best_epoch + 1}.npz"


def callback_states(callbacks: list[Any], out: Path) -> list[dict[str, Any]]:
    """What ``state.json`` records of the spec's callbacks after an epoch (see :data:`CALLBACK_STATE`).

    EarlyStopping with ``restore_best_weights`` holds the best epoch's weights: they go to
    ``best_weights-I.epoch-K.npz`` (written once per new best, before ``state.json`` names it).
    """
    import numpy as np

    from .files import atomic_path

    states: list[dict[str, Any]] = []
    for i, callback in enumerate(callbacks):
        kind = type(callback).__name__
        entry: dict[str, Any] = {"type": kind}
        for name in CALLBACK_STATE.get(kind, ()):
            value = getattr(callback, name, None)
            entry[name] = None if value is None else logged_value(value) if name == "best" else int(value)
        if kind == "EarlyStopping" and getattr(callback, "restore_best_weights", False) and callback.best_weights is not None:
            target = _best_weights_file(out, i, int(callback.best_epoch))
            if not target.exists():
                with atomic_path(target) as tmp, open(tmp, "wb") as fh:
                    np.savez(fh, *callback.best_weights)
            entry["best_weights"] = target.name
        states.append(entry)
    return states


def restore_callback_states(callbacks: list[Any], states: list[dict[str, Any]], out: Path) -> None:
    """Put back what :func:`callback_states` recorded (after Keras's ``on_train_begin`` reset it)."""
    import numpy as np

    kinds = [type(c).__name__ for c in callbacks]
    if [s.get("type") for s in states] != kinds:
        raise TrainError(f"cannot resume {out}: {STATE} records the callbacks {[s.get('type') for s in states]}, the spec has {kinds}")
    for callback, entry in zip(callbacks, states, strict=True):
        for name in CALLBACK_STATE.get(type(callback).__name__, ()):
            if name in entry:
                setattr(callback, name, entry[name])
        if entry.get("best_weights"):
            path = out / entry["best_weights"]
            try:
                with np.load(path, allow_pickle=False) as f:
                    callback.best_weights = [f[f"arr_{j}"] for j in range(len(f.files))]
            except (OSError, ValueError, KeyError) as exc:
                raise TrainError(f"cannot resume {out}: {path.name} (EarlyStopping's best weights) is unreadable: {exc}") from None


def _drop_unused_best_weights(out: Path, states: list[dict[str, Any]]) -> None:
    keep = {entry.get("best_weights") for entry in states}
    for old in out.glob("best_weights-*.npz"):
        if old.name not in keep:
            with contextlib.suppress(OSError):
                old.unlink()


def _learning_rate(model: Any) -> float | None:
    """The optimizer's learning rate where a callback may change it (not a schedule), else None."""
    from .build import import_keras

    keras = import_keras()
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or isinstance(getattr(optimizer, "_learning_rate", None), keras.optimizers.schedules.LearningRateSchedule):
        return None
    try:
        return float(keras.ops.convert_to_numpy(optimizer.learning_rate))
    except (AttributeError, TypeError, ValueError):  # an optimizer without one settable rate
        return None


class _EpochWriter:
    """Keras callbacks that commit each finished epoch (see the module's docstring), in two parts.

    ``first`` goes before the spec's callbacks and writes the pending checkpoint: the weights
    as training left them (SwapEMAWeights swaps the averaged ones in after it). ``last`` goes
    after them and commits the epoch: the history as Keras's ``History`` holds it (with the
    ``learning_rate`` ReduceLROnPlateau logs), the callbacks' state, the learning rate they set
    and whether one of them stopped training. On ``--resume``, ``last`` restores that state
    in ``on_train_begin``, after each callback has reset its own.
    """

    def __init__(self, out: Path, history: dict[str, list[Value]], save: Any, spec_callbacks: list[Any],
                 resumed: dict[str, Any] | None) -> None:
        import keras

        writer = self

        class Checkpoint(keras.callbacks.Callback):
            def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
                with _sigint_held():
                    save(self.model, _pending(out, epoch + 1))

        class Commit(keras.callbacks.Callback):
            def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
                if resumed is None or "callbacks" not in resumed:
                    return  # a fresh run, or a state.json written without callbacks (or before they were kept)
                restore_callback_states(spec_callbacks, resumed["callbacks"], out)
                rate = resumed.get("learning_rate")
                if rate is not None:
                    self.model.optimizer.learning_rate = rate

            def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
                done = epoch + 1
                with _sigint_held():
                    history = {k: list(v) for k, v in writer.history.items()}
                    # With fit.validation_freq an epoch may log no val_*: NaN keeps every
                    # history row an epoch (state.json, history.csv and the plots count on it).
                    rows = max((len(v) for v in history.values()), default=0)
                    for key, value in (logs or {}).items():
                        logged = logged_value(value)
                        history.setdefault(key, [_not_logged(logged)] * rows).append(logged)
                    for values in history.values():
                        if len(values) == rows:
                            values.append(_not_logged(values[-1]))
                    states = callback_states(spec_callbacks, out)
                    state: dict[str, Any] = {"epochs_done": done, "history": history}
                    if spec_callbacks:
                        state["callbacks"] = states
                    if any(type(c).__name__ == "ReduceLROnPlateau" for c in spec_callbacks):
                        state["learning_rate"] = _learning_rate(self.model)
                    if self.model.stop_training:
                        state["stopped"] = True  # EarlyStopping or TerminateOnNaN ended the run here
                    write_json(out / "history.json", history)
                    write_text(out / "history.csv", _history_csv(history))
                    write_json(out / STATE, state)
                    os.replace(_pending(out, done), out / CHECKPOINT)
                    _drop_unused_best_weights(out, states)
                    writer.history.clear()
                    writer.history.update(history)

        self.history = history
        self.first, self.last = Checkpoint(), Commit()


# --------------------------------------------------------------------------- evaluate


def load_keras_model(path: str | os.PathLike[str], keras: Any = None) -> Any:
    """``keras.models.load_model(path, safe_mode=True)`` with clear errors.

    FileNotFoundError for a missing file; TrainError for a file that is not a Keras model.
    """
    target = Path(path)
    if not target.exists():
        raise FileNotFoundError(2, "no such file", str(target))
    if target.is_dir():
        raise TrainError(f"{target}: a folder, not a .keras model file")
    if target.suffix != ".keras":
        raise TrainError(f"{target}: not a .keras model file (Keras 3 saves models as NAME.keras)")
    _check_model_file(target)
    if keras is None:
        from .build import import_keras

        keras = import_keras()
    try:
        with warnings.catch_warnings():
            # A model saved before its first training step has no optimizer variables; Keras
            # warns that it skips them on loading, which is noise for evaluate and predict.
            warnings.filterwarnings("ignore", message=r".*[Ss]kipping variable loading for optimizer.*")
            return keras.models.load_model(target, safe_mode=True)
    except Exception as exc:  # a damaged zip, a config Keras refuses in safe mode, ...
        text = " ".join(str(exc).split())
        raise TrainError(f"{target}: cannot load the model: {text[:400]}") from None


def _check_model_file(target: Path) -> None:
    """Bounds from the archive's directory, before Keras reads a byte: a FIFO or a zip bomb is refused."""
    from .files import InputTooLargeError, check_keras_archive

    try:
        check_keras_archive(target)  # NotARegularFileError (an OSError: exit 2) passes through
    except InputTooLargeError as exc:
        raise TrainError(str(exc)) from None


def _labels_from_loss(model: Any) -> str:
    """``one_hot`` when the compiled loss expects one-hot labels, else ``sparse``."""
    from .semantics import loss_info

    loss = getattr(model, "loss", None)
    name = loss if isinstance(loss, str) else type(loss).__name__
    return "one_hot" if loss_info(name).family == "categorical" else "sparse"


def evaluate(
    target: str | os.PathLike[str],
    *,
    data: str | None = None,
    spec: Source | None = None,
    batch_size: int = 256,
    log: Any = _default_log,
) -> EvalResult:
    """Evaluate a run's model (a run directory) or a ``.keras`` file on its data's test split.

    A run directory supplies its ``model.keras``, its ``spec.yaml`` (the data settings) and
    the data path it was trained with (``metrics.json``). For a bare ``.keras`` file the data
    settings come from ``spec`` when given; otherwise the data is MNIST (or ``data``) and the
    label encoding follows the compiled loss. Raises FileNotFoundError (missing target),
    SpecError (bad spec) and TrainError (unusable model or data).
    """
    where = Path(target)
    if not where.exists():
        raise FileNotFoundError(2, "no such file or run directory", str(where))
    settings: S.Data | None = None
    data_path: str | None = None
    if where.is_dir():
        model_path = where / "model.keras"
        if not model_path.exists():
            raise TrainError(f"{where}: no model.keras (the run has not finished; `kerasspec train --resume` completes it)")
        if spec is None and (where / "spec.yaml").exists():
            spec = where / "spec.yaml"
        if data is None and (where / "metrics.json").exists():
            with contextlib.suppress(ValueError, OSError, AttributeError, RecursionError):
                found = json.loads(read_bytes_bounded(where / "metrics.json", MAX_STATE_BYTES) or b"{}").get("data_path")
                data_path = found if isinstance(found, str) else None
    else:
        model_path = where
    spec_data: S.Data | None = None
    if spec is not None:
        result = run(spec)
        if result.spec is None:
            raise SpecError(result.diagnostics)
        spec_data = result.spec.data
        if spec_data is not None and result.document.file is not None:
            spec_data = spec_data.model_copy(update={"dataset": resolve(spec_data.dataset, result.document.file)})
    settings, path = effective_data(spec_data, data)
    if data is None and data_path is not None and settings.dataset in IMAGE_DATASETS:
        path = data_path
    # Every file is checked before Keras is imported: a missing one is said in a second, not ten.
    check_data_exists(settings, path)
    model = load_keras_model(model_path)  # the model file is checked before it imports Keras
    if spec is not None:
        mismatch = model_mismatch(model, result.shapes)
        if mismatch is not None:  # its data settings would not fit this model
            raise TrainError(f"{model_path} is not a model of the spec {spec}: {mismatch}")
    if getattr(model, "loss", None) is None:
        raise TrainError(f"{model_path}: the model is not compiled (no loss), so it cannot be evaluated; `kerasspec predict` still works")
    if spec_data is None:  # no data settings anywhere: the compiled loss tells the label encoding
        settings = settings.model_copy(update={"labels": _labels_from_loss(model)})
    dataset, prepared = load_data(
        settings, path, input_shape=tuple(model.input_shape[1:]), output_shape=tuple(model.output_shape), log=log,
        scale=not _model_reads_indices(model), purpose="evaluating",  # its sample warning says so, not "training"
    )
    scores = model.evaluate(prepared.x_test, prepared.y_test, batch_size=batch_size, verbose=0, return_dict=True)
    return EvalResult(model_path, _loss_first(scores), dataset.source, len(prepared.x_test))


def _loss_first(scores: dict[str, Any]) -> dict[str, Value]:
    return {k: logged_value(v) for k, v in sorted(scores.items(), key=lambda kv: kv[0] != "loss")}


def format_value(value: Value) -> str:
    """``0.1234``, or ``[0.1234, 0.5678]`` for a vector metric."""
    if isinstance(value, list):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    return f"{value:.4f}"


def render_eval(result: EvalResult, fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2)
    width = max(len(k) for k in ("model", "data", *result.metrics))
    lines = [
        f"{'model':<{width}}  {result.model_path}",
        f"{'data':<{width}}  {result.data_source}, test split ({result.test_examples:,} examples)",
    ]
    lines += [f"{k:<{width}}  {format_value(v)}" for k, v in result.metrics.items()]
    return "\n".join(lines)


__all__ = [
    "ENV_LOGICAL_CPUS",
    "EvalResult",
    "TrainError",
    "TrainInterrupted",
    "TrainResult",
    "configure_logical_cpus",
    "evaluate",
    "train",
]
