"""Lowering: a checked spec -> a compiled ``keras.Sequential``.

Every layer, optimizer, loss and metric is made by calling its Keras class
directly with the validated fields: the classes come from the allow-lists
below, never from Keras deserialization of user text, and there are no Lambda
layers. A spec that ``check`` rejects is never compiled.

Keras is imported when these functions run, never at module import.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import spec as S
from .api import KerasMissing, Options, Source, run
from .diagnostics import SpecError
from .files import atomic_path
from .layers import Layer
from .layers.blocks import expand
from .layers.core import Input
from .objects import to_keras

if TYPE_CHECKING:
    import keras

OPTIMIZER_CLASSES: dict[str, str] = {
    "sgd": "SGD", "adam": "Adam", "adamw": "AdamW", "rmsprop": "RMSprop", "adadelta": "Adadelta",
    "adagrad": "Adagrad", "adamax": "Adamax", "nadam": "Nadam", "ftrl": "Ftrl", "lion": "Lion",
    "adafactor": "Adafactor",
}  # fmt: skip

def _kwargs(model: Any, keras: Any) -> dict[str, Any]:
    """An optimizer, loss or metric object's constructor arguments, objects made Keras objects."""
    return {key: to_keras(getattr(model, key), keras) for key in type(model).model_fields if key != "type"}


def quiet_tensorflow() -> None:
    """Silence TensorFlow's C++ start-up chatter (oneDNN, CPU features), unless the user set a level.

    Python exceptions still propagate; only the native log lines are hidden.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def import_keras() -> Any:
    """Import Keras (and TensorFlow), without the native start-up lines on stderr.

    TensorFlow 2.21 prints its oneDNN notice through absl before ``TF_CPP_MIN_LOG_LEVEL``
    is read, so the import runs with file descriptor 2 pointed at /dev/null, unless the
    user asked for the logs with ``TF_CPP_MIN_LOG_LEVEL=0``. Python exceptions still
    propagate; an import error is reported after stderr is restored.
    """
    quiet_tensorflow()
    if "keras" in sys.modules:
        return sys.modules["keras"]
    try:
        with _native_stderr_silenced(os.environ.get("TF_CPP_MIN_LOG_LEVEL", "0") not in ("", "0")):
            import keras
    except ImportError as exc:
        raise KerasMissing(
            f"this command needs Keras and a backend ({exc}); install them with "
            "pip install 'kerasspec[tf-cpu]' (CPU) or 'kerasspec[tf]' (GPU)"
        ) from None
    return keras


@contextlib.contextmanager
def _native_stderr_silenced(active: bool = True) -> Iterator[None]:
    if not active:
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real fd 2 (embedded interpreters): nothing to hide
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def make_layer(layer: Layer, name: str, keras: Any) -> Any:
    """One Keras layer from its definition, named as the static summary names it."""
    return layer.to_keras(keras, name)


def make_optimizer(optimizer: Any, keras: Any) -> Any:
    if isinstance(optimizer, str):
        return getattr(keras.optimizers, OPTIMIZER_CLASSES[optimizer.lower()])()
    kwargs = {k: v for k, v in _kwargs(optimizer, keras).items() if v is not None}
    return getattr(keras.optimizers, optimizer.type)(**kwargs)


def make_loss(loss: Any, keras: Any) -> Any:
    if isinstance(loss, str):
        return loss  # a name from the allow-list in kerasspec.names; Keras maps it to its function
    return getattr(keras.losses, loss.type)(**_kwargs(loss, keras))


def make_metric(metric: Any, keras: Any) -> Any:
    if isinstance(metric, str):
        # Keep names: Keras resolves `accuracy` to the variant that fits the loss and labels.
        return metric
    kwargs = {k: v for k, v in _kwargs(metric, keras).items() if not (k == "name" and v is None)}
    return getattr(keras.metrics, metric.type)(**kwargs)


def build_model(source: Source | S.Spec, options: Options = Options(), *, compile: bool = True) -> keras.Sequential:
    """A ``keras.Sequential`` built (and compiled, when the spec has ``compile``) from a spec.

    Raises :class:`~kerasspec.SpecError` when the spec has errors: nothing invalid reaches Keras.
    """
    result = run(source.model_dump(by_alias=True, exclude_none=True) if isinstance(source, S.Spec) else source, options)
    if not result.ok or result.shapes is None or not result.shapes.complete:
        raise SpecError(result.diagnostics)
    spec = result.spec
    assert spec is not None and result.shapes.input_shape is not None
    keras = import_keras()

    model = keras.Sequential(name=spec.name or "sequential")
    first = spec.layers[0]
    # An Input layer's own name is kept, as Keras keeps it (the analysis checks it is unique).
    input_name = first.name if isinstance(first, Input) else None
    batch_size = result.shapes.input_shape[0]
    model.add(keras.Input(shape=result.shapes.input_shape[1:], batch_size=batch_size, name=input_name))
    infos = iter(result.shapes.layers)
    for layer, _, _ in expand(list(spec.layers)):
        if isinstance(layer, Input):
            continue
        model.add(make_layer(layer, next(infos).name, keras))
    if compile and spec.compile is not None:
        model.compile(
            optimizer=make_optimizer(spec.compile.optimizer, keras),
            loss=make_loss(spec.compile.loss, keras),
            metrics=[make_metric(m, keras) for m in spec.compile.metrics],
        )
    return model


def save_model(model: Any, path: str | os.PathLike[str]) -> Path:
    """Save atomically: a failure mid-save leaves any previous file whole."""
    target = Path(path)
    if target.suffix != ".keras":
        raise OSError(f"a Keras model file must end in .keras, not {target.name!r}")
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and not optimizer.built and model.built:
        # An untrained model's optimizer has no slots yet; building them now saves a file that
        # loads without Keras's "Skipping variable loading for optimizer" warning.
        optimizer.build(model.trainable_variables)
    with atomic_path(target) as tmp:
        model.save(tmp)
    return target
