"""Static shape analysis: every layer's output shape, parameter count and Keras name.

No TensorFlow here: each layer definition (:mod:`kerasspec.layers`) reproduces
what Keras 3 does when it builds ``keras.Sequential([keras.Input(shape), *layers])``
(its ``compute_output_shape``, ``build`` and constructor checks), so that a spec
Keras would reject gets an error here, and a spec Keras accepts gets the shapes
and counts Keras reports. ``tests/test_differential.py`` holds the two against
each other.

This module walks the layers in order, asks each definition for its output
shape and weights, and turns :class:`~kerasspec.shapes.ShapeError` into
diagnostics pointing at the spec field to blame. It knows no layer kind but Input.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from typing import Any

from . import spec as S
from .diagnostics import Diagnostic, Severity, pointer
from .layers import Layer
from .layers.base import Unanalysable, Unknown, Weight
from .layers.blocks import MAX_LAYERS, deep_lists, expand
from .layers.core import Input
from .objects import weight_errors
from .shapes import Shape, ShapeError, fmt_list

__all__ = [
    "LayerInfo",
    "ShapeAnalysis",
    "analyse_shapes",
    "argument_errors",
    "check_initializers",
    "infer",
    "keras_name",
]


@dataclass(frozen=True, slots=True)
class LayerInfo:
    """One layer of the built model, as ``model.layers`` would show it."""

    index: int  # index in spec.layers (of the Repeat block, for a layer inside one)
    name: str  # the name Keras gives it in a fresh session
    type: str  # canonical Keras class name
    output_shape: Shape  # with the batch axis first (None)
    params: int
    trainable_params: int
    non_trainable_params: int
    path: tuple[str | int, ...] = ()  # where the spec writes it: ("layers", 3) or deeper in a Repeat


@dataclass(frozen=True, slots=True)
class ShapeAnalysis:
    """The result of :func:`analyse_shapes`."""

    input_shape: Shape | None  # with the batch axis first (None)
    layers: tuple[LayerInfo, ...]  # Input layers are not listed, as in Keras's model.layers
    complete: bool  # every layer inferred (no shape error, an input shape known)
    diagnostics: tuple[Diagnostic, ...]
    #: For each of ``layers``: its definition and its input (batch axis first). The rules that
    #: walk the model again (:mod:`kerasspec.semantics`) read them instead of writing out the
    #: Repeat blocks and following the shapes a second time.
    inputs: tuple[tuple[Layer, Shape], ...] = dataclasses.field(default=(), compare=False, repr=False)

    @property
    def output_shape(self) -> Shape | None:
        if not self.complete:
            return None
        return self.layers[-1].output_shape if self.layers else self.input_shape

    @property
    def total_params(self) -> int:
        return sum(info.params for info in self.layers)

    @property
    def trainable_params(self) -> int:
        return sum(info.trainable_params for info in self.layers)

    @property
    def non_trainable_params(self) -> int:
        return sum(info.non_trainable_params for info in self.layers)


# --------------------------------------------------------------------------- names


@functools.cache
def to_snake_case(name: str) -> str:
    """Keras's ``keras.src.utils.naming.to_snake_case``, regex for regex."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def keras_name(kind: str, counters: dict[str, int]) -> str:
    """Keras's ``auto_name``: ``dense``, ``dense_1``... counted per snake-cased class name."""
    base = to_snake_case(kind)
    n = counters.get(base, 0)
    counters[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


# --------------------------------------------------------------------------- one layer

def argument_errors(layer: Layer) -> list[ShapeError]:
    """Errors Keras raises for this layer whatever its input (its constructor's checks)."""
    return layer.argument_errors()


def check_initializers(layer: Layer, shape: Shape, weights: tuple[Weight, ...] | None = None) -> None:
    """Each weight's initializer (regularizer, constraint) can build it, as Keras's ``build`` needs.

    Keras's Identity initializer makes 2D matrices only, Orthogonal rank 2 or more, STFT
    Conv1D kernels. Each object states its own rule
    (:meth:`kerasspec.objects.KerasObject.weight_error`); what fails only in training is
    KS504 (:func:`kerasspec.objects.run_problems`). ``weights``: ``layer.weights(shape)``,
    when the caller has them already.
    """
    for weight in layer.weights(shape) if weights is None else weights:
        if weight.initializer is None:
            continue
        for field, reason in weight_errors(layer, weight.name, weight.initializer, weight.shape):
            value = getattr(layer, field)
            shown = value if isinstance(value, str) else value.type
            raise ShapeError(
                "KS309",
                f"{layer.kind} `{field}` '{shown}' {reason}, but the {weight.name.replace('_', ' ')} "
                f"has shape {fmt_list(weight.shape)}",
                field,
                "use another one, e.g. the default" + (" (zeros)" if field == "bias_initializer" else ""),
            )


def infer(layer: Layer, shape: Shape) -> tuple[Shape, int, int]:
    """(output shape, trainable params, non-trainable params) of ``layer`` on ``shape``.

    Raises ShapeError where Keras would refuse the layer: its shape rule, then its
    weights (a ``trainable: false`` layer's weights are all non-trainable, as in Keras).
    """
    out = layer.output_shape(shape)
    weights = layer.weights(shape)  # a block's weights fold its layers: made once
    check_initializers(layer, shape, weights)
    trainable = non_trainable = 0
    for weight in weights:
        if weight.trainable and layer.trainable:
            trainable += weight.size
        else:
            non_trainable += weight.size
    return out, trainable, non_trainable


# --------------------------------------------------------------------------- the analysis


def _has_shape_arg(layer: Layer) -> bool:
    return layer.input_shape is not None or layer.shape_dim is not None


def _shape_arg_field(layer: Layer) -> str:
    return "input_shape" if layer.input_shape is not None else "input_dim"


class _Collector:
    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def add(
        self, code: str, message: str, path: tuple[str | int, ...], hint: str | None = None
    ) -> None:
        self.items.append(Diagnostic(code=code, message=message, path=pointer(path), hint=hint))


def _find_input(spec: S.Spec, out: _Collector, *, written: bool = False) -> Shape | None:
    """The sample shape (no batch axis), reporting conflicts, or None.

    ``written``: the first layer writes an input shape that validation refused (`input_shape:
    784`): that finding says what to write, so a missing one is not reported as well.
    """
    layers = spec.layers
    first = layers[0]
    if spec.input_shape is not None:
        if isinstance(first, Input):
            out.add(
                "KS211",
                f"the input shape is given twice: top-level `input_shape` {fmt_list(spec.input_shape)} "
                f"and a first Input layer with shape {fmt_list(first.sample_shape)}",
                ("layers", 0),
                "keep one: remove the Input layer or the top-level `input_shape`",
            )
        elif _has_shape_arg(first):
            field = _shape_arg_field(first)
            out.add(
                "KS211",
                f"the input shape is given twice: top-level `input_shape` {fmt_list(spec.input_shape)} "
                f"and `{field}` on the first layer ({first.kind})",
                ("layers", 0, field),
                f"remove `{field}` from the first layer, or the top-level `input_shape`",
            )
        return spec.input_shape
    if isinstance(first, Input):
        return first.sample_shape
    if isinstance(first, Unanalysable) and first.stands_for == "Input":
        return None  # an Input layer validation refused (KS204, KS211): no second diagnostic
    if first.input_shape is not None and first.shape_dim is not None:
        return None  # KS211 reported with the per-layer checks; which one Keras meant is unclear
    if first.input_shape is not None:
        return first.input_shape
    if first.shape_dim is not None:
        return (first.shape_dim,)
    if written:
        return None
    later = next((i for i, layer in enumerate(layers) if i and _has_shape_arg(layer)), None)
    hint = f"add `input_shape: {first.EXAMPLE_INPUT}` at the top of the spec (the shape of one sample, without the batch)"
    if later is not None:
        hint = f"move `{_shape_arg_field(layers[later])}` from layers[{later}] to the top of the spec: Keras reads it on the first layer only"
    if (length := getattr(first, "input_length", None)) is not None:
        hint = f"Keras 3 ignores `input_length`: give the sequence length as `input_shape: [{length}]` at the top of the spec"
    out.add(
        "KS301",
        f"the model has no input shape: neither a top-level `input_shape`, nor `input_shape`/`input_dim` "
        f"on the first layer ({first.kind}), nor a first Input layer",
        ("layers", 0),
        hint,
    )
    return None


def _check_layer_fields(spec: S.Spec, out: _Collector) -> None:
    """Input placement, `input_shape` on later layers, `input_shape` with `input_dim`."""
    for i, layer in enumerate(spec.layers):
        if (length := layer.get("input_length")) is not None:
            # Keras 2's Embedding(input_length=n) gave the input shape; Keras 3 warns and ignores it.
            out.add(
                "KS213",
                f"`input_length` on layers[{i}] ({layer.kind}) is ignored: Keras 3 dropped it "
                "(\"Argument `input_length` is deprecated. Just remove it.\")",
                ("layers", i, "input_length"),
                f"remove it; the sequence length is part of the input shape (`input_shape: [{length}]`)",
            )
        if isinstance(layer, Input):
            if i > 0:
                out.add(
                    "KS211",
                    f"an Input layer can only be the first layer, found at layers[{i}]: "
                    "Keras refuses a second input for a Sequential model",
                    ("layers", i),
                    "remove it; give the input shape once, at the top or as the first layer",
                )
            elif layer.shape_dim is not None or (layer.input_shape is not None and layer.shape_field != "input_shape"):
                field = _shape_arg_field(layer)
                out.add(
                    "KS211",
                    f"an Input layer takes its shape from `shape`; `{field}` conflicts with it",
                    ("layers", i, field),
                    f"remove `{field}`",
                )
            continue
        if layer.input_shape is None and layer.shape_dim is None:
            continue  # most layers: no shape argument to check
        if layer.input_shape is not None and layer.shape_dim is not None:
            out.add(
                "KS211",
                f"{layer.kind} has both `input_shape` {fmt_list(layer.input_shape)} and `input_dim` "
                f"{layer.input_dim}; Keras refuses the two together",
                ("layers", i, "input_dim"),
                "keep one (`input_dim: n` means `input_shape: [n]`)",
            )
        elif i > 0:
            field = _shape_arg_field(layer)
            out.add(
                "KS213",
                f"`{field}` on layers[{i}] ({layer.kind}) is ignored: Keras reads it on the first layer only",
                ("layers", i, field),
                "remove it; the input to this layer comes from the layer before it",
            )


def _name_inner(layer: Layer, counters: dict[str, int]) -> None:
    """Count the names Keras gives the unnamed layers inside a wrapper or block.

    They are made before the layer that holds them (its constructor takes them), so
    they take their kind's next name first: ``TimeDistributed(Dense)`` then ``Dense``
    names the inner Dense ``dense`` and the outer one ``dense_1``.
    """
    for inner in layer.sublayers():
        _name_inner(inner, counters)
        if inner.name is None:
            keras_name(inner.keras_class, counters)


def _where(path: tuple[str | int, ...]) -> str:
    """A layer's place as messages name it: ``layers[3]``, ``layers[3].layers[0]``."""
    return ".".join(f"{path[k]}[{path[k + 1]}]" for k in range(0, len(path) - 1, 2))


def _names(layers: list[tuple[Layer, tuple[str | int, ...], int | None]], has_input: bool, out: _Collector) -> list[str]:
    """Keras's name for each layer, reporting duplicates (Sequential.add refuses them)."""
    counters: dict[str, int] = {}
    names: list[str] = []
    # name -> (path or None for the implicit input layer, named by the user?)
    seen: dict[str, tuple[tuple[str | int, ...] | None, bool, Layer | None]] = {}
    implicit_input = has_input and not (layers and isinstance(layers[0][0], Input))
    if implicit_input:
        seen[keras_name("InputLayer", counters)] = (None, False, None)
    reported: set[tuple[str | int, ...]] = set()
    for k, (layer, path, copy) in enumerate(layers):
        _name_inner(layer, counters)
        user = layer.name is not None
        name = layer.name if layer.name is not None else keras_name(layer.keras_class, counters)
        names.append(name)
        if isinstance(layer, Input) and k > 0:
            continue  # refused anyway (KS211)
        if name not in seen:
            seen[name] = (path, user, layer)
            continue
        j, j_user, other = seen[name]
        if path in reported:
            continue  # the same layer of a Repeat, in a later copy
        reported.add(path)
        kind = layer.keras_class
        first = "the model's input layer" if j is None else f"{_where(j)} ({other.keras_class if other else kind})"
        again = f" (copy {copy + 1} of its Repeat block)" if copy and j == path else ""
        if user:
            where: tuple[str | int, ...] = (*path, "name")
            how = ""
            if j is not None and not j_user and other is not None:
                how = f" (Keras names the unnamed {other.keras_class} at {_where(j)} '{name}')"
        else:
            where = (*j, "name") if j is not None and j_user else path
            how = f" (Keras names the unnamed {kind} at {_where(path)} '{name}')"
        hint = "leave layers inside a Repeat block unnamed: every copy would get the same name" if again else "rename one of them"
        out.add(
            "KS212",
            f"layer name '{name}' is used by {first} and by {_where(path)} ({kind}){again}{how}; "
            "Keras requires unique layer names",
            where,
            hint,
        )
    return names


def _looks_channels_last(layer: Layer, shape: Shape) -> bool:
    """A channels_first layer given what looks like (rows, cols, channels) data."""
    if layer.get("data_format") != "channels_first" or len(shape) < 3:
        return False
    first, last = shape[1], shape[-1]
    return first is not None and last is not None and last <= 4 < first


def _too_deep(spec: S.Spec, out: _Collector) -> bool:
    """KS505: a model or nested block with more layers than Keras builds (an error) or builds in
    reasonable time (a warning). True when the model is refused: it is not expanded then."""
    refused = False
    for count, where, path in deep_lists(list(spec.layers)):
        written = " once Repeat is written out" if path[-1] == "times" else ""
        what = "the model" if where == ("layers",) else "this nested block"
        if count > MAX_LAYERS:
            refused = True
            message = (
                f"{what} has {count:,} layers{written}, more than the {MAX_LAYERS:,} Keras can build: it builds and "
                "loads a Sequential model's graph with one recursive call per layer, and fails with RecursionError "
                "near 1,000"
            )
            hint = (
                f"use at most {MAX_LAYERS:,} layers, or group them in nested blocks ({{type: Sequential, layers: "
                "[...]}), each one layer of the model around it"
            )
            out.items.append(Diagnostic("KS505", message, pointer(path), hint=hint))
        else:
            message = (
                f"{what} has {count:,} layers{written}: Keras takes minutes to trace its first training step and "
                f"to load the saved model (500 Dense layers on 2 CPU cores: 6 minutes and 2 minutes)"
            )
            hint = "fewer layers train and load faster; a deep MLP rarely needs hundreds of layers"
            out.items.append(Diagnostic("KS505", message, pointer(path), hint=hint, severity=Severity.WARNING))
    return refused


def _hint_for(err: ShapeError, first_inferred: bool) -> str | None:
    hints: list[str] = []
    if err.reshape_to is not None:
        target = err.reshape_to
        if first_inferred:
            hints.append(
                f"give the input shape the rank this layer needs, e.g. `input_shape: {fmt_list(target)}`"
            )
        elif sum(d is None for d in target) <= 1:
            as_target = tuple(-1 if d is None else d for d in target)
            hints.append(
                f"add `{{type: Reshape, target_shape: {fmt_list(as_target)}}}` before this layer"
            )
    if err.hint:
        hints.append(err.hint)
    return "; or ".join(hints) if hints else None


def _last_step_only(inputs: list[tuple[Layer, Shape]], infos: list[LayerInfo]) -> str | None:
    """The recurrent layer (bare or in Bidirectional) that feeds the current one its last step only, as
    ``layers[i] (LSTM)``, looking back past layers that keep the shape (Dropout); or None."""
    for (layer, given), info in zip(reversed(inputs), reversed(infos), strict=True):
        inner = layer.get("layer") if layer.kind == "Bidirectional" else layer
        if isinstance(inner, Layer) and inner.get("return_sequences") is False:
            where = _where(info.path)
            return f"{where} ({layer.kind})" if inner is layer else f"the {inner.kind} inside {where} ({layer.kind})"
        if info.output_shape != given:
            return None
    return None


def _memoized(memo: dict[tuple[int, Shape | None], Any] | None, layer: Layer, shape: Shape | None) -> Any:
    """``infer(layer, shape)`` (or, with no shape, ``argument_errors(layer)``), computed once per memo.

    A search space (:mod:`kerasspec.space`) analyses thousands of specs that share layer
    objects; both results are pure functions of the layer and its input. Entries keep the
    layer alive, so its ``id`` cannot be reused for another layer while the memo lives.
    """
    if memo is None:
        return argument_errors(layer) if shape is None else infer(layer, shape)
    key = (id(layer), shape)
    hit = memo.get(key)
    if hit is None:
        try:
            hit = (layer, argument_errors(layer) if shape is None else infer(layer, shape), None)
        except (ShapeError, Unknown) as exc:
            hit = (layer, None, exc)
        memo[key] = hit
    if hit[2] is not None:
        raise hit[2].with_traceback(None)  # a fresh traceback each time, not one that grows
    return hit[1]


def analyse_shapes(
    spec: S.Spec, *, memo: dict[tuple[int, Shape | None], Any] | None = None, input_written: bool = False
) -> ShapeAnalysis:
    """Infer every layer's output shape and parameters, as Keras would build the model.

    Reports input-shape problems (KS301, KS211, KS213), duplicate names (KS212),
    shape errors (KS302-KS309). Inference stops at the first layer Keras would
    refuse; later layers still get their input-independent argument checks.
    ``memo`` (any dict, kept by the caller) reuses each layer's results across calls.
    ``input_written``: the first layer's input shape was written but refused by validation.
    """
    out = _Collector()
    sample = _find_input(spec, out, written=input_written)
    _check_layer_fields(spec, out)
    batch = spec.layers[0].batch if isinstance(spec.layers[0], Input) else None
    if _too_deep(spec, out):  # counted, not written out: `times: 10000` twice nested is 10^8 layers
        return ShapeAnalysis(None if sample is None else (batch, *sample), (), False, tuple(out.items))
    layers = expand(list(spec.layers))
    names = _names(layers, sample is not None, out)

    # An Input layer's batch_size fixes the batch axis (stateful RNNs need it); else unknown.
    shape: Shape | None = None if sample is None else (batch, *sample)
    infos: list[LayerInfo] = []
    inputs: list[tuple[Layer, Shape]] = []
    stopped = shape is None
    checked: set[tuple[str | int, ...]] = set()
    for k, (layer, path, _copy) in enumerate(layers):
        if isinstance(layer, Input):
            continue  # the model's input (first) or refused (KS211); never in model.layers
        arg_errors = _memoized(memo, layer, None)
        if path not in checked:  # a Repeat's copies share their arguments: report once
            checked.add(path)
            for err in arg_errors:
                out.add(err.code, err.message, (*path, *err.where), err.hint)
        if stopped or shape is None:
            continue
        if arg_errors:
            stopped = True
            continue
        try:
            result, trainable, non_trainable = _memoized(memo, layer, shape)
        except Unknown:
            stopped = True  # an invalid layer, reported by validation: nothing to infer past it
            continue
        except ShapeError as err:
            hint = _hint_for(err, not infos)
            if err.reshape_to is not None and (rnn := _last_step_only(inputs, infos)) is not None:
                # LSTM -> LSTM: the fix is the earlier layer's `return_sequences`, not a Reshape.
                hint = f"set `return_sequences: true` on {rnn}, which passes on its last step only"
            if _looks_channels_last(layer, shape):
                # [28, 28, 1] read as channels_first is 28 channels of 28x1 images.
                as_first = (shape[-1], *shape[1:-1])
                hint = (
                    f"with data_format channels_first the channels come first: this input reads as "
                    f"{shape[1]} channels of {'x'.join(str(d) for d in shape[2:])} images; write the input "
                    f"as {fmt_list(as_first)} or use channels_last"
                )
            message = err.message
            if _copy:
                message += f" (in copy {_copy + 1} of the Repeat block)"
            out.add(err.code, message, (*path, *err.where), hint)
            stopped = True
            continue
        infos.append(
            LayerInfo(
                index=int(path[1]),
                name=names[k],
                type=layer.kind,
                output_shape=result,
                params=trainable + non_trainable,
                trainable_params=trainable,
                non_trainable_params=non_trainable,
                path=path,
            )
        )
        inputs.append((layer, shape))
        shape = result

    return ShapeAnalysis(
        input_shape=None if sample is None else (batch, *sample),
        layers=tuple(infos),
        complete=not stopped,
        diagnostics=tuple(out.items),
        inputs=tuple(inputs),
    )
