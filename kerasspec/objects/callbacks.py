"""Callbacks (``keras.callbacks``), for ``fit.callbacks``."""

from typing import Annotated, ClassVar, Literal

from pydantic import Field, Strict

from ..fields import Choice, StrictBool, StrictInt
from . import (
    KerasObject,
    Number,
    doc,
)


class _Callback(KerasObject):
    MODULE: ClassVar[str] = "callbacks"


#: Keras warns about any other mode and falls back to `auto`; the spec language refuses it.
Mode = Choice("auto", "min", "max", description="`min`, `max`, or `auto` (from the monitored name: max for accuracy-like ones).")


class EarlyStopping(_Callback):
    """Stop training when `monitor` has stopped improving for `patience` epochs."""

    type: Literal["EarlyStopping"]
    monitor: str = doc("val_loss", "The logged value to watch: `loss`, `val_loss`, a metric's name, `val_` + it.")
    min_delta: Number = doc(0, "The smallest change that counts as an improvement.")
    patience: StrictInt = doc(0, "Epochs without improvement before training stops.")
    verbose: StrictInt = doc(0, "1: print a message when it stops.")
    mode: Mode = "auto"  # type: ignore[valid-type]
    baseline: Number | None = doc(None, "Stop unless the monitored value beats this within `patience` epochs.")
    restore_best_weights: StrictBool = doc(False, "Restore the weights of the best epoch at the end.")
    start_from_epoch: StrictInt = doc(0, "Epochs to wait before watching.")


class ReduceLROnPlateau(_Callback):
    """Multiply the learning rate by `factor` when `monitor` has stopped improving (logs `learning_rate`)."""

    UNSUPPORTED_ARGS: ClassVar[dict[str, str]] = {"kwargs": "only the deprecated `epsilon`, which Keras renames `min_delta`"}
    type: Literal["ReduceLROnPlateau"]
    monitor: str = doc("val_loss", "The logged value to watch: `loss`, `val_loss`, a metric's name, `val_` + it.")
    factor: Annotated[float, Strict(), Field(lt=1.0)] = doc(0.1, "The factor the rate is multiplied by (< 1).")
    patience: StrictInt = doc(10, "Epochs without improvement before the rate is reduced.")
    verbose: StrictInt = doc(0, "1: print a message when it reduces the rate.")
    mode: Mode = "auto"  # type: ignore[valid-type]
    min_delta: Number = doc(0.0001, "The smallest change that counts as an improvement.")
    cooldown: StrictInt = doc(0, "Epochs to wait after a reduction before watching again.")
    min_lr: Number = doc(0.0, "The rate is never reduced below this.")


class TerminateOnNaN(_Callback):
    """Stop training when the loss becomes NaN or infinite."""

    type: Literal["TerminateOnNaN"]
    raise_error: StrictBool = doc(False, "Raise an error instead of stopping quietly.")


class SwapEMAWeights(_Callback):
    """Evaluate with the optimizer's moving average of the weights (`use_ema: true`)."""

    type: Literal["SwapEMAWeights"]
    swap_on_epoch: StrictBool = doc(False, "Also swap at each epoch's end, so checkpoints hold the averaged weights.")
