"""Static shape analysis: every layer's output shape, parameter count and Keras name.

No TensorFlow here: the rules below reproduce what Keras 3 does when it builds
``keras.Sequential([keras.Input(shape), *layers])`` (its ``compute_output_shape``,
``build`` and constructor checks), so that a spec Keras would reject gets an
error here, and a spec Keras accepts gets the shapes and counts Keras reports.
``tests/test_differential.py`` holds the two against each other.

Shape arithmetic lives in :mod:`kerasspec.shapes`; this module knows the layers
(which axes they read, which weights they create, which arguments Keras checks
in the constructor) and turns :class:`~kerasspec.shapes.ShapeError` into
diagnostics pointing at the spec field to blame.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from . import spec as S
from .diagnostics import Diagnostic, pointer
from .shapes import (
    Shape,
    ShapeError,
    channel_axis,
    conv_output_shape,
    conv_transpose_output_shape,
    cropping2d_output_shape,
    dense_output_shape,
    flatten_output_shape,
    fmt_list,
    fmt_shape,
    global_pool_output_shape,
    normalize_axis,
    pool_output_shape,
    reshape_output_shape,
    upsampling2d_output_shape,
    validate_target_shape,
    zero_padding2d_output_shape,
)

__all__ = [
    "SHAPE_RULES",
    "LayerInfo",
    "ShapeAnalysis",
    "analyse_shapes",
    "check_arguments",
    "keras_name",
]


@dataclass(frozen=True, slots=True)
class LayerInfo:
    """One layer of the built model, as ``model.layers`` would show it."""

    index: int  # index in spec.layers
    name: str  # the name Keras gives it in a fresh session
    type: str  # canonical Keras class name
    output_shape: Shape  # with the batch axis first (None)
    params: int
    trainable_params: int
    non_trainable_params: int


@dataclass(frozen=True, slots=True)
class ShapeAnalysis:
    """The result of :func:`analyse_shapes`."""

    input_shape: Shape | None  # with the batch axis first (None)
    layers: tuple[LayerInfo, ...]  # Input layers are not listed, as in Keras's model.layers
    complete: bool  # every layer inferred (no shape error, an input shape known)
    diagnostics: tuple[Diagnostic, ...]

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


def _keras_class(layer: S.Layer) -> str:
    # `keras.Input` makes an InputLayer; every alias is the same class object in
    # Keras (MaxPool2D is MaxPooling2D), so the canonical kind names it.
    return "InputLayer" if isinstance(layer, S.Input) else layer.kind


def keras_name(kind: str, counters: dict[str, int]) -> str:
    """Keras's ``auto_name``: ``dense``, ``dense_1``... counted per snake-cased class name."""
    base = to_snake_case(kind)
    n = counters.get(base, 0)
    counters[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


# --------------------------------------------------------------------------- helpers

_LAYOUT = {
    (3, False): "(batch, steps, channels)",
    (3, True): "(batch, channels, steps)",
    (4, False): "(batch, rows, cols, channels)",
    (4, True): "(batch, channels, rows, cols)",
}

# What to use instead when the input has the other spatial rank.
_OTHER_RANK = {
    "Conv1D": "Conv2D",
    "Conv2D": "Conv1D",
    "MaxPooling1D": "MaxPooling2D",
    "MaxPooling2D": "MaxPooling1D",
    "AveragePooling1D": "AveragePooling2D",
    "AveragePooling2D": "AveragePooling1D",
    "GlobalAveragePooling1D": "GlobalAveragePooling2D",
    "GlobalAveragePooling2D": "GlobalAveragePooling1D",
    "GlobalMaxPooling1D": "GlobalMaxPooling2D",
    "GlobalMaxPooling2D": "GlobalMaxPooling1D",
}


def _suggest_sample_shape(shape: Shape, rank: int, channels_first: bool) -> Shape | None:
    """A sample shape of ``rank - 1`` axes holding the same values, when one is obvious."""
    sample = shape[1:]
    if rank == 4 and len(sample) == 2:
        return (1, *sample) if channels_first else (*sample, 1)
    if rank == 4 and len(sample) == 1 and sample[0] is not None:
        side = math.isqrt(sample[0])
        if side * side == sample[0]:
            return (1, side, side) if channels_first else (side, side, 1)
    if rank == 3 and len(sample) == 1:
        return (1, sample[0]) if channels_first else (sample[0], 1)
    return None


def _require_rank(layer: S.Layer, shape: Shape, rank: int, *, exact: bool = True) -> None:
    """Keras's InputSpec ``ndim``/``min_ndim`` check (convolutions check the exact rank later)."""
    got = len(shape)
    if got == rank or (not exact and got > rank):
        return
    channels_first = getattr(layer, "data_format", None) == "channels_first"
    layout = _LAYOUT.get((rank, channels_first), f"rank {rank}")
    kind = layer.kind
    other = _OTHER_RANK.get(kind)
    suggestion = _suggest_sample_shape(shape, rank, channels_first) if got < rank else None
    alt: str | None = None
    if other and {got, rank} == {3, 4}:
        alt = f"use {other} for an input of rank {got}"
    elif suggestion is None:
        alt = f"add a Reshape to {layout.replace('batch, ', '')} before it"
    raise ShapeError(
        "KS302",
        f"{kind} expects an input of rank {rank} {layout}, got rank {got}: {fmt_shape(shape)}",
        None,
        alt,
        reshape_to=suggestion,
    )


def _channels(layer: S.Layer, shape: Shape, what: str = "input channels") -> int:
    fmt = getattr(layer, "data_format", None)
    c = shape[channel_axis(fmt)]
    if c is None:
        axis = "axis 1 (channels_first)" if fmt == "channels_first" else "the last axis"
        raise ShapeError(
            "KS308",
            f"{layer.kind} needs the number of {what} ({axis}) to create its weights, "
            f"but its size is unknown: input {fmt_shape(shape)}",
            None,
            "give that axis a size in the input shape (null sizes stay unknown through "
            "Flatten and Reshape)",
        )
    return c


def _bias(layer: S.Layer, n: int) -> int:
    return n if getattr(layer, "use_bias", False) else 0


Rule = Callable[[S.Layer, Shape], tuple[Shape, int, int]]


# --------------------------------------------------------------------------- layer rules
# Each returns (output shape, trainable params, non-trainable params) as if the
# layer were trainable; `_trainable` below applies `trainable: false`.


def _input(layer: S.Input, shape: Shape) -> tuple[Shape, int, int]:
    return (None, *layer.shape), 0, 0


def _dense(layer: S.Dense, shape: Shape) -> tuple[Shape, int, int]:
    last = shape[-1]
    if last is None:
        raise ShapeError(
            "KS308",
            f"Dense needs the size of the last axis of its input to create its kernel, "
            f"but it is unknown: input {fmt_shape(shape)}",
            None,
            "give every axis a size in the input shape, or pool the unknown axes away "
            "(e.g. GlobalAveragePooling2D instead of Flatten)",
        )
    return dense_output_shape(shape, layer.units), last * layer.units + _bias(layer, layer.units), 0


def _conv(layer: S.Conv1D | S.Conv2D, shape: Shape) -> tuple[Shape, int, int]:
    n = len(layer.kernel_size)
    _require_rank(layer, shape, n + 2)
    c = _channels(layer, shape)
    if c % layer.groups:
        divisors = [g for g in range(1, c + 1) if c % g == 0] if c <= 4096 else []
        raise ShapeError(
            "KS307",
            f"{layer.kind} with groups {layer.groups} needs input channels divisible by "
            f"{layer.groups}, but the input has {c} channels: {fmt_shape(shape)}",
            "groups",
            f"use groups that divide {c} (e.g. {', '.join(map(str, divisors[:6]))})"
            if divisors
            else None,
        )
    out = conv_output_shape(
        shape,
        layer.filters,
        layer.kernel_size,
        layer.strides,
        layer.padding,
        layer.data_format,
        layer.dilation_rate,
        layer=layer.kind,
    )
    kernel = math.prod(layer.kernel_size) * (c // layer.groups) * layer.filters
    return out, kernel + _bias(layer, layer.filters), 0


def _conv_transpose(layer: S.Conv2DTranspose, shape: Shape) -> tuple[Shape, int, int]:
    _require_rank(layer, shape, 4)
    c = _channels(layer, shape)
    out = conv_transpose_output_shape(
        shape,
        layer.filters,
        layer.kernel_size,
        layer.strides,
        layer.padding,
        layer.output_padding,
        layer.data_format,
        layer.dilation_rate,
        layer=layer.kind,
    )
    kernel = math.prod(layer.kernel_size) * layer.filters * c
    return out, kernel + _bias(layer, layer.filters), 0


def _separable(layer: S.SeparableConv2D, shape: Shape) -> tuple[Shape, int, int]:
    _require_rank(layer, shape, 4)
    c = _channels(layer, shape)
    out = conv_output_shape(
        shape,
        layer.filters,
        layer.kernel_size,
        layer.strides,
        layer.padding,
        layer.data_format,
        layer.dilation_rate,
        layer=layer.kind,
    )
    depthwise = math.prod(layer.kernel_size) * c * layer.depth_multiplier
    pointwise = c * layer.depth_multiplier * layer.filters
    return out, depthwise + pointwise + _bias(layer, layer.filters), 0


def _depthwise(layer: S.DepthwiseConv2D, shape: Shape) -> tuple[Shape, int, int]:
    _require_rank(layer, shape, 4)
    c = _channels(layer, shape)
    filters = c * layer.depth_multiplier
    out = conv_output_shape(
        shape,
        filters,
        layer.kernel_size,
        layer.strides,
        layer.padding,
        layer.data_format,
        layer.dilation_rate,
        layer=layer.kind,
    )
    return out, math.prod(layer.kernel_size) * filters + _bias(layer, filters), 0


def _pool(layer: S._Pool1D | S._Pool2D, shape: Shape) -> tuple[Shape, int, int]:
    _require_rank(layer, shape, len(layer.pool_size) + 2)
    out = pool_output_shape(
        shape, layer.pool_size, layer.strides, layer.padding, layer.data_format, layer=layer.kind
    )
    return out, 0, 0


def _global_pool(rank: int) -> Rule:
    def rule(layer: S._GlobalPool, shape: Shape) -> tuple[Shape, int, int]:
        _require_rank(layer, shape, rank)
        return global_pool_output_shape(shape, layer.data_format, layer.keepdims), 0, 0

    return rule  # type: ignore[return-value]


def _flatten(layer: S.Flatten, shape: Shape) -> tuple[Shape, int, int]:
    return flatten_output_shape(shape), 0, 0


def _same_shape(layer: S.Layer, shape: Shape) -> tuple[Shape, int, int]:
    return shape, 0, 0


def _rank4_same_shape(layer: S.Layer, shape: Shape) -> tuple[Shape, int, int]:
    _require_rank(layer, shape, 4)
    return shape, 0, 0


def _batch_norm(layer: S.BatchNormalization, shape: Shape) -> tuple[Shape, int, int]:
    axis = normalize_axis(layer.axis, len(shape), layer="BatchNormalization")
    size = _axis_size(layer, shape, axis)
    trainable = size * (int(layer.scale) + int(layer.center))
    return shape, trainable, 2 * size  # moving mean and variance never train


def _axis_size(layer: S.Layer, shape: Shape, axis: int) -> int:
    size = shape[axis]
    if axis == 0:
        raise ShapeError(
            "KS309",
            f"{layer.kind} `axis` {getattr(layer, 'axis', 0)} is the batch axis, whose size is unknown, "
            f"so Keras cannot create its weights: input {fmt_shape(shape)}",
            "axis",
            "Keras counts the batch as axis 0; use -1 for the last axis (the channels in channels_last data)",
        )
    if size is None:
        raise ShapeError(
            "KS308",
            f"{layer.kind} normalizes over axis {axis}, whose size is unknown, so Keras cannot "
            f"create its weights: input {fmt_shape(shape)}",
            None,
            "give that axis a size in the input shape",
        )
    return size


def _layer_norm(layer: S.LayerNormalization, shape: Shape) -> tuple[Shape, int, int]:
    axes = [layer.axis] if isinstance(layer.axis, int) else list(layer.axis)
    norm = [normalize_axis(a, len(shape), layer="LayerNormalization") for a in axes]
    # One weight of shape (size of each listed axis, repeats included: Keras
    # indexes the shape with the sorted list as given) for gamma and for beta.
    weights = int(layer.scale or layer.rms_scaling) + int(layer.center and not layer.rms_scaling)
    if not weights:
        return shape, 0, 0
    sizes = [_axis_size(layer, shape, a) for a in norm]
    return shape, weights * math.prod(sizes), 0


def _reshape(layer: S.Reshape, shape: Shape) -> tuple[Shape, int, int]:
    return reshape_output_shape(shape, layer.target_shape), 0, 0


def _zero_padding(layer: S.ZeroPadding2D, shape: Shape) -> tuple[Shape, int, int]:
    _require_rank(layer, shape, 4)
    return zero_padding2d_output_shape(shape, layer.padding, layer.data_format), 0, 0


def _cropping(layer: S.Cropping2D, shape: Shape) -> tuple[Shape, int, int]:
    _require_rank(layer, shape, 4)
    return cropping2d_output_shape(shape, layer.cropping, layer.data_format), 0, 0


def _upsampling(layer: S.UpSampling2D, shape: Shape) -> tuple[Shape, int, int]:
    _require_rank(layer, shape, 4)
    return upsampling2d_output_shape(shape, layer.size, layer.data_format), 0, 0


def _trainable(rule: Rule) -> Rule:
    """Keras moves every weight of a `trainable=False` layer to the non-trainable ones."""

    def wrapped(layer: S.Layer, shape: Shape) -> tuple[Shape, int, int]:
        out, trainable, non_trainable = rule(layer, shape)
        if not layer.trainable:
            return out, 0, trainable + non_trainable
        return out, trainable, non_trainable

    wrapped.__name__ = getattr(rule, "__name__", "rule")
    wrapped.__doc__ = rule.__doc__
    return wrapped


#: Layer class -> rule(layer, input shape with batch) -> (output shape, trainable
#: params, non-trainable params). Raises ShapeError where Keras would raise.
SHAPE_RULES: dict[type[S.Layer], Rule] = {
    cls: _trainable(rule)  # type: ignore[arg-type]
    for cls, rule in {
        S.Input: _input,
        S.Dense: _dense,
        S.Conv1D: _conv,
        S.Conv2D: _conv,
        S.Conv2DTranspose: _conv_transpose,
        S.SeparableConv2D: _separable,
        S.DepthwiseConv2D: _depthwise,
        S.MaxPooling2D: _pool,
        S.AveragePooling2D: _pool,
        S.MaxPooling1D: _pool,
        S.AveragePooling1D: _pool,
        S.GlobalAveragePooling2D: _global_pool(4),
        S.GlobalMaxPooling2D: _global_pool(4),
        S.GlobalAveragePooling1D: _global_pool(3),
        S.GlobalMaxPooling1D: _global_pool(3),
        S.Flatten: _flatten,
        S.Dropout: _same_shape,
        S.SpatialDropout2D: _rank4_same_shape,
        S.ActivationLayer: _same_shape,
        S.BatchNormalization: _batch_norm,
        S.LayerNormalization: _layer_norm,
        S.Reshape: _reshape,
        S.Rescaling: _same_shape,
        S.ZeroPadding2D: _zero_padding,
        S.Cropping2D: _cropping,
        S.UpSampling2D: _upsampling,
    }.items()
}


# --------------------------------------------------------------------------- argument checks
# What the Keras constructors (and weight initializers) reject whatever the input.

_IDENTITY = frozenset({"identity", "Identity"})
_ORTHOGONAL = frozenset({"orthogonal", "Orthogonal"})


def _weights(layer: S.Layer) -> list[tuple[str, str, int]]:
    """(initializer field, weight name, weight rank) for each weight the layer creates."""
    bias = [("bias_initializer", "bias", 1)] if getattr(layer, "use_bias", False) else []
    if isinstance(layer, S.Dense):
        return [("kernel_initializer", "kernel", 2), *bias]
    if isinstance(layer, S.Conv1D | S.Conv2D | S.Conv2DTranspose):
        return [("kernel_initializer", "kernel", len(layer.kernel_size) + 2), *bias]
    if isinstance(layer, S.SeparableConv2D):
        return [
            ("depthwise_initializer", "depthwise kernel", 4),
            ("pointwise_initializer", "pointwise kernel", 4),
            *bias,
        ]
    if isinstance(layer, S.DepthwiseConv2D):
        return [("depthwise_initializer", "depthwise kernel", 4), *bias]
    return []


def check_arguments(layer: S.Layer) -> list[ShapeError]:
    """Errors Keras raises for this layer whatever its input: constructor checks, initializer ranks."""
    errors: list[ShapeError] = []
    kind = layer.kind
    if isinstance(layer, S.Conv1D | S.Conv2D) and layer.filters % layer.groups:
        errors.append(
            ShapeError(
                "KS307",
                f"{kind} `filters` ({layer.filters}) must be divisible by `groups` ({layer.groups})",
                "groups",
                f"use filters that are a multiple of {layer.groups}, or groups that divide {layer.filters}",
            )
        )
    if isinstance(layer, S.Conv2DTranspose) and layer.output_padding is not None:
        for i, (op, s) in enumerate(zip(layer.output_padding, layer.strides, strict=True)):
            if op >= s:
                errors.append(
                    ShapeError(
                        "KS309",
                        f"{kind} `output_padding` {fmt_list(layer.output_padding)} must be less than "
                        f"`strides` {fmt_list(layer.strides)} on every axis: at axis {i}, {op} >= {s}",
                        "output_padding",
                        f"use output_padding below {s} on axis {i}, or leave it out",
                    )
                )
                break
    if isinstance(layer, S.Conv1D | S.Conv2D | S.Conv2DTranspose) and (
        max(layer.strides) > 1 and max(layer.dilation_rate) > 1
    ):
        errors.append(
            ShapeError(
                "KS306",
                f"{kind} has `strides` {fmt_list(layer.strides)} > 1 together with `dilation_rate` "
                f"{fmt_list(layer.dilation_rate)} > 1, which Keras does not support",
                "dilation_rate",
                "use strides 1 with a dilation, or dilation_rate 1 with strides (a pooling layer can downsample)",
            )
        )
    if isinstance(layer, S.Reshape):
        try:
            validate_target_shape(layer.target_shape)
        except ShapeError as e:
            errors.append(e)
    for field, weight, rank in _weights(layer):
        init = getattr(layer, field)
        if init in _IDENTITY and rank != 2:
            errors.append(
                ShapeError(
                    "KS309",
                    f"{kind} `{field}` '{init}' only initializes 2D matrices, but the {weight} has rank {rank}",
                    field,
                    "use another initializer, e.g. the default"
                    + (" (zeros)" if weight == "bias" else ""),
                )
            )
        elif init in _ORTHOGONAL and rank < 2:
            errors.append(
                ShapeError(
                    "KS309",
                    f"{kind} `{field}` '{init}' needs a weight of rank 2 or more, but the {weight} has rank {rank}",
                    field,
                    "use another initializer, e.g. the default (zeros)",
                )
            )
    return errors


# --------------------------------------------------------------------------- the analysis


def _example_input(layer: S.Layer) -> str:
    if isinstance(layer, S.Conv1D | S._Pool1D | S.GlobalAveragePooling1D | S.GlobalMaxPooling1D):
        return "[100, 1]"
    if isinstance(layer, S.Dense):
        return "[784]"
    if isinstance(layer, S.Flatten):
        return "[28, 28]"
    return "[28, 28, 1]"


def _has_shape_arg(layer: S.Layer) -> bool:
    return layer.input_shape is not None or layer.input_dim is not None


def _shape_arg_field(layer: S.Layer) -> str:
    return "input_shape" if layer.input_shape is not None else "input_dim"


class _Collector:
    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def add(
        self, code: str, message: str, path: tuple[str | int, ...], hint: str | None = None
    ) -> None:
        self.items.append(Diagnostic(code=code, message=message, path=pointer(path), hint=hint))


def _find_input(spec: S.Spec, out: _Collector) -> Shape | None:
    """The sample shape (no batch axis), reporting conflicts, or None."""
    layers = spec.layers
    first = layers[0]
    if spec.input_shape is not None:
        if isinstance(first, S.Input):
            out.add(
                "KS211",
                f"the input shape is given twice: top-level `input_shape` {fmt_list(spec.input_shape)} "
                f"and a first Input layer with shape {fmt_list(first.shape)}",
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
    if isinstance(first, S.Input):
        return first.shape
    if first.input_shape is not None and first.input_dim is not None:
        return None  # KS211 reported with the per-layer checks; which one Keras meant is unclear
    if first.input_shape is not None:
        return first.input_shape
    if first.input_dim is not None:
        return (first.input_dim,)
    later = next((i for i, layer in enumerate(layers) if i and _has_shape_arg(layer)), None)
    hint = f"add `input_shape: {_example_input(first)}` at the top of the spec (the shape of one sample, without the batch)"
    if later is not None:
        hint = f"move `{_shape_arg_field(layers[later])}` from layers[{later}] to the top of the spec: Keras reads it on the first layer only"
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
        if isinstance(layer, S.Input):
            if i > 0:
                out.add(
                    "KS211",
                    f"an Input layer can only be the first layer, found at layers[{i}]: "
                    "Keras refuses a second input for a Sequential model",
                    ("layers", i),
                    "remove it; give the input shape once, at the top or as the first layer",
                )
            elif _has_shape_arg(layer):
                field = _shape_arg_field(layer)
                out.add(
                    "KS211",
                    f"an Input layer takes its shape from `shape`; `{field}` conflicts with it",
                    ("layers", i, field),
                    f"remove `{field}`",
                )
            continue
        if layer.input_shape is not None and layer.input_dim is not None:
            out.add(
                "KS211",
                f"{layer.kind} has both `input_shape` {fmt_list(layer.input_shape)} and `input_dim` "
                f"{layer.input_dim}; Keras refuses the two together",
                ("layers", i, "input_dim"),
                "keep one (`input_dim: n` means `input_shape: [n]`)",
            )
        elif _has_shape_arg(layer) and i > 0:
            field = _shape_arg_field(layer)
            out.add(
                "KS213",
                f"`{field}` on layers[{i}] ({layer.kind}) is ignored: Keras reads it on the first layer only",
                ("layers", i, field),
                "remove it; the input to this layer comes from the layer before it",
            )


def _names(spec: S.Spec, has_input: bool, out: _Collector) -> list[str]:
    """Keras's name for each spec layer, reporting duplicates (Sequential.add refuses them)."""
    counters: dict[str, int] = {}
    names: list[str] = []
    # name -> (index or None for the implicit input layer, named by the user?)
    seen: dict[str, tuple[int | None, bool]] = {}
    layers = spec.layers
    implicit_input = has_input and not isinstance(layers[0], S.Input)
    if implicit_input:
        seen[keras_name("InputLayer", counters)] = (None, False)
    for i, layer in enumerate(layers):
        user = layer.name is not None
        name = layer.name if layer.name is not None else keras_name(_keras_class(layer), counters)
        names.append(name)
        if isinstance(layer, S.Input) and i > 0:
            continue  # refused anyway (KS211)
        if name in seen:
            j, j_user = seen[name]
            first = (
                "the model's input layer"
                if j is None
                else f"layers[{j}] ({_keras_class(layers[j])})"
            )
            if user:
                path: tuple[str | int, ...] = ("layers", i, "name")
                how = ""
                if j is not None and not j_user:
                    how = f" (Keras names the unnamed {_keras_class(layers[j])} at layers[{j}] '{name}')"
            else:
                path = ("layers", j, "name") if j is not None and j_user else ("layers", i)
                how = f" (Keras names the unnamed {_keras_class(layer)} at layers[{i}] '{name}')"
            out.add(
                "KS212",
                f"layer name '{name}' is used by {first} and by layers[{i}] ({_keras_class(layer)}){how}; "
                "Keras requires unique layer names",
                path,
                "rename one of them",
            )
        else:
            seen[name] = (i, user)
    return names


def _looks_channels_last(layer: S.Layer, shape: Shape) -> bool:
    """A channels_first layer given what looks like (rows, cols, channels) data."""
    if getattr(layer, "data_format", None) != "channels_first" or len(shape) < 3:
        return False
    first, last = shape[1], shape[-1]
    return first is not None and last is not None and last <= 4 < first


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


def analyse_shapes(spec: S.Spec) -> ShapeAnalysis:
    """Infer every layer's output shape and parameters, as Keras would build the model.

    Reports input-shape problems (KS301, KS211, KS213), duplicate names (KS212),
    shape errors (KS302-KS309). Inference stops at the first layer Keras would
    refuse; later layers still get their input-independent argument checks.
    """
    out = _Collector()
    sample = _find_input(spec, out)
    _check_layer_fields(spec, out)
    names = _names(spec, sample is not None, out)

    shape: Shape | None = None if sample is None else (None, *sample)
    infos: list[LayerInfo] = []
    stopped = shape is None
    for i, layer in enumerate(spec.layers):
        if isinstance(layer, S.Input):
            continue  # the model's input (first) or refused (KS211); never in model.layers
        arg_errors = check_arguments(layer)
        for err in arg_errors:
            out.add(
                err.code, err.message, ("layers", i, *((err.field,) if err.field else ())), err.hint
            )
        if stopped or shape is None:
            continue
        if arg_errors:
            stopped = True
            continue
        try:
            result, trainable, non_trainable = SHAPE_RULES[type(layer)](layer, shape)
        except ShapeError as err:
            hint = _hint_for(err, not infos)
            if _looks_channels_last(layer, shape):
                # [28, 28, 1] read as channels_first is 28 channels of 28x1 images.
                as_first = (shape[-1], *shape[1:-1])
                hint = (
                    f"with data_format channels_first the channels come first: this input reads as "
                    f"{shape[1]} channels of {'x'.join(str(d) for d in shape[2:])} images; write the input "
                    f"as {fmt_list(as_first)} or use channels_last"
                )
            out.add(
                err.code, err.message, ("layers", i, *((err.field,) if err.field else ())), hint
            )
            stopped = True
            continue
        infos.append(
            LayerInfo(
                index=i,
                name=names[i],
                type=layer.kind,
                output_shape=result,
                params=trainable + non_trainable,
                trainable_params=trainable,
                non_trainable_params=non_trainable,
            )
        )
        shape = result

    return ShapeAnalysis(
        input_shape=None if sample is None else (None, *sample),
        layers=tuple(infos),
        complete=not stopped,
        diagnostics=tuple(out.items),
    )
