"""Lowering: a checked spec -> a compiled ``keras.Sequential``.

Every layer, optimizer, loss, metric and callback is made by calling its Keras
class directly with the validated fields (:meth:`kerasspec.objects.KerasObject.to_keras`): the classes come from the allow-lists
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
from .diagnostics import Diagnostic, SpecError
from .extras import install_hint
from .files import atomic_path
from .layers import Layer
from .layers.blocks import expand
from .layers.core import Input

if TYPE_CHECKING:
    import keras

#: Optimizer names -> Keras classes (Keras lower-cases a name before it looks it up).
OPTIMIZER_CLASSES: dict[str, str] = {name: S.OPTIMIZERS.resolve_type(name) for name in S.names.OPTIMIZERS}  # type: ignore[misc]


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
            + install_hint("tf-cpu", alternative="tf")
        ) from None
    return keras


def import_tensorflow_quietly() -> None:
    """On the JAX or PyTorch backend, import an installed TensorFlow now, without its native log lines.

    Keras imports TensorFlow whenever it is installed, whatever the backend, the first time
    it serializes a model (``tf.available`` in ``serialization_lib``: every ``save``, so every
    checkpoint) or writes TensorBoard logs; imported there, TensorFlow's oneDNN and absl lines
    reach the terminal in the middle of training. Nothing happens when TensorFlow is already
    imported or absent; an import that fails is left for Keras to report as it would.
    """
    import importlib.util

    if "tensorflow" in sys.modules:
        return
    quiet_tensorflow()
    try:
        if importlib.util.find_spec("tensorflow") is None:
            return
        with _native_stderr_silenced(os.environ.get("TF_CPP_MIN_LOG_LEVEL", "0") not in ("", "0")):
            import tensorflow  # noqa: F401
    except ImportError:
        return


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


def machine_memory() -> int | None:
    """Physical memory in bytes, where the system says (Linux, macOS); else None."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return None


def refuse_beyond_memory(need: int, what: str) -> None:
    """Stop before allocating far beyond the machine: more than twice its memory cannot succeed."""
    have = machine_memory()
    if have is not None and need > 2 * have:
        raise SpecError(
            [
                Diagnostic(
                    "KS502",
                    f"{what} need about {need / 1024**3:,.1f} GB, more than twice this machine's "
                    f"{have / 1024**3:,.1f} GB of memory: building it would fail or swap for hours",
                    hint="shrink the largest layers (kerasspec summary shows them) or the batch size",
                ).as_error()
            ]
        )


def make_layer(layer: Layer, name: str, keras: Any) -> Any:
    """One Keras layer from its definition, named as the static summary names it."""
    return layer.to_keras(keras, name)


def make_optimizer(optimizer: Any, keras: Any) -> Any:
    """The Keras optimizer: a name is its class with Keras's defaults, as ``compile("adam")`` makes it."""
    if isinstance(optimizer, str):
        return getattr(keras.optimizers, OPTIMIZER_CLASSES[optimizer.lower()])()
    return optimizer.to_keras(keras)


def make_loss(loss: Any, keras: Any) -> Any:
    if isinstance(loss, str):
        return loss  # a name from the allow-list in kerasspec.names; Keras maps it to its function
    return loss.to_keras(keras)


def make_metrics(compile: S.Compile, keras: Any) -> list[Any]:
    """The metrics as ``compile`` takes them, each object named as the history will key it.

    Names are kept (Keras resolves `accuracy` to the variant that fits the loss and labels,
    and logs the name as written). An object without a `name` whose Keras default is
    derived from the class (AUC, Precision...) gets the name Keras would give it in a fresh
    session (`auc`, then `auc_1`), so the history keys do not depend on what was built before.
    """
    out = []
    for metric, name in zip(compile.metrics, S.metric_names(compile), strict=True):
        if isinstance(metric, str):
            out.append(metric)
        else:
            out.append(metric.model_copy(update={"name": name}).to_keras(keras))
    return out


def make_metric(metric: Any, keras: Any) -> Any:
    if isinstance(metric, str):
        return metric
    return metric.to_keras(keras)


def make_callbacks(fit: S.Fit | None, keras: Any) -> list[Any]:
    """The Keras callbacks of ``fit.callbacks`` (the run's own callbacks are added by ``train``)."""
    return [callback.to_keras(keras) for callback in (fit.callbacks if fit is not None else [])]


def build_model(source: Source | S.Spec, options: Options = Options(), *, compile: bool = True) -> keras.Sequential:
    """A ``keras.Sequential`` built (and compiled, when the spec has ``compile``) from a spec.

    Raises :class:`~kerasspec.SpecError` when the spec has errors: nothing invalid reaches Keras.
    """
    if isinstance(source, S.Spec):
        # As data again, keeping a null that means something (`bias_initializer: null`).
        from .resolved import readable

        source = readable(source)
    result = run(source, options)
    if not result.ok or result.shapes is None or not result.shapes.complete:
        raise SpecError(result.diagnostics)
    spec = result.spec
    assert spec is not None and result.shapes.input_shape is not None
    refuse_beyond_memory(result.shapes.total_params * 4, "the model's weights")
    keras = import_keras()

    first = spec.layers[0]
    # An Input layer's own name is kept, as Keras keeps it (the analysis checks it is unique).
    input_name = first.name if isinstance(first, Input) else None
    batch_size = result.shapes.input_shape[0]
    layers = [keras.Input(shape=result.shapes.input_shape[1:], batch_size=batch_size, name=input_name)]
    infos = iter(result.shapes.layers)
    for layer, _, _ in expand(list(spec.layers)):
        if isinstance(layer, Input):
            continue
        layers.append(make_layer(layer, next(infos).name, keras))
    # All at once: `model.add` rebuilds the whole graph after every layer, quadratic in the depth
    # (1,000 layers took 5 minutes to reach Keras's RecursionError); the list builds it once.
    model = keras.Sequential(layers, name=spec.name or "sequential")
    if compile and spec.compile is not None:
        model.compile(
            optimizer=make_optimizer(spec.compile.optimizer, keras),
            loss=make_loss(spec.compile.loss, keras),
            metrics=make_metrics(spec.compile, keras),
            run_eagerly=spec.compile.run_eagerly,
            steps_per_execution=spec.compile.steps_per_execution,
            jit_compile=spec.compile.jit_compile,
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
    import_tensorflow_quietly()  # saving imports an installed TensorFlow on every backend
    with atomic_path(target) as tmp:
        model.save(tmp)
    return target
