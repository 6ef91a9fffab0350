"""Differential test: the static analysis against Keras itself.

Hypothesis generates random Sequential specs over every layer kind and argument,
valid and invalid (ranks that do not fit, kernels larger than their input,
channels not divisible by groups, unknown sizes, duplicate names, misplaced
input shapes...). For each, ``analyse_shapes`` and a real Keras build of
``keras.Sequential([keras.Input(shape), *layers])`` must agree: Keras raises
exactly when the analysis reports an error, and when both accept, every
layer's name, output shape and parameter counts are equal.

Settings (environment):

- ``KERASSPEC_DIFF_EXAMPLES``: number of cases (default 2000).
- ``KERASSPEC_DIFF_DERANDOMIZE``: ``0`` to explore new random cases on each run
  (default ``1``: the same cases every run, for a stable CI).
- ``KERASSPEC_DIFF_REPORT``: a path to write a JSON summary to (cases run,
  agreed, accepted/rejected by both, cases decided by a spec rule, seconds).
"""

from __future__ import annotations

import json
import math
import os
import time
import warnings
from collections import Counter
from typing import Any

import pytest

keras = pytest.importorskip("keras")

from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from pydantic import ValidationError  # noqa: E402

from kerasspec import layers as KL  # noqa: E402
from kerasspec import spec as S  # noqa: E402
from kerasspec.analysis import ShapeAnalysis, analyse_shapes  # noqa: E402
from kerasspec.diagnostics import Severity  # noqa: E402
from kerasspec.names import ACTIVATIONS  # noqa: E402

pytestmark = [pytest.mark.keras, pytest.mark.slow]

EXAMPLES = int(os.environ.get("KERASSPEC_DIFF_EXAMPLES", "2000"))
DERANDOMIZE = os.environ.get("KERASSPEC_DIFF_DERANDOMIZE", "1") != "0"
REPORT = os.environ.get("KERASSPEC_DIFF_REPORT")
# clear_session() with its gc.collect() costs ~0.1 s, ten times a small build;
# without it the names Keras generates are still fresh (the counters are reset),
# and a full clear every so often bounds the memory.
FULL_CLEAR_EVERY = 200


# --------------------------------------------------------------------------- the Keras side


class SpecRule(Exception):
    """The spec language refuses this (stricter than Keras, on purpose); the analysis must too."""


def _regularizer(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    args = value.model_dump(exclude={"type"})  # L1 has `l1`, L2 `l2`, L1L2 both
    return getattr(keras.regularizers, value.type)(**args)


def _common(layer: KL.Layer) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"name": layer.name, "trainable": layer.trainable}
    if layer.input_shape is not None:
        kwargs["input_shape"] = layer.input_shape
    if layer.input_dim is not None:
        kwargs["input_dim"] = layer.input_dim
    return kwargs


def _conv_common(layer: Any) -> dict[str, Any]:
    return {
        "activation": layer.activation,
        "use_bias": layer.use_bias,
        "kernel_initializer": layer.kernel_initializer,
        "bias_initializer": layer.bias_initializer,
        "kernel_regularizer": _regularizer(layer.kernel_regularizer),
        "bias_regularizer": _regularizer(layer.bias_regularizer),
        "activity_regularizer": _regularizer(layer.activity_regularizer),
    }


def make_layer(layer: KL.Layer) -> Any:
    """The Keras layer for a spec layer, by its explicit constructor."""
    L = keras.layers
    c = _common(layer)
    if isinstance(layer, KL.Input):
        if layer.input_shape is not None or layer.input_dim is not None:
            raise SpecRule("Input with input_shape/input_dim")
        return keras.Input(shape=layer.shape, name=layer.name)
    if isinstance(layer, KL.Dense):
        return L.Dense(layer.units, **_conv_common(layer), **c)
    if isinstance(layer, KL.Conv2D | KL.Conv1D):
        cls = L.Conv2D if isinstance(layer, KL.Conv2D) else L.Conv1D
        return cls(
            layer.filters,
            layer.kernel_size,
            strides=layer.strides,
            padding=layer.padding,
            data_format=layer.data_format,
            dilation_rate=layer.dilation_rate,
            groups=layer.groups,
            **_conv_common(layer),
            **c,
        )
    if isinstance(layer, KL.Conv2DTranspose):
        return L.Conv2DTranspose(
            layer.filters,
            layer.kernel_size,
            strides=layer.strides,
            padding=layer.padding,
            output_padding=layer.output_padding,
            data_format=layer.data_format,
            dilation_rate=layer.dilation_rate,
            **_conv_common(layer),
            **c,
        )
    if isinstance(layer, KL.SeparableConv2D):
        return L.SeparableConv2D(
            layer.filters,
            layer.kernel_size,
            strides=layer.strides,
            padding=layer.padding,
            data_format=layer.data_format,
            dilation_rate=layer.dilation_rate,
            depth_multiplier=layer.depth_multiplier,
            activation=layer.activation,
            use_bias=layer.use_bias,
            depthwise_initializer=layer.depthwise_initializer,
            pointwise_initializer=layer.pointwise_initializer,
            bias_initializer=layer.bias_initializer,
            **c,
        )
    if isinstance(layer, KL.DepthwiseConv2D):
        return L.DepthwiseConv2D(
            layer.kernel_size,
            strides=layer.strides,
            padding=layer.padding,
            depth_multiplier=layer.depth_multiplier,
            data_format=layer.data_format,
            dilation_rate=layer.dilation_rate,
            activation=layer.activation,
            use_bias=layer.use_bias,
            depthwise_initializer=layer.depthwise_initializer,
            bias_initializer=layer.bias_initializer,
            **c,
        )
    pools = {
        KL.MaxPooling2D: L.MaxPooling2D, KL.AveragePooling2D: L.AveragePooling2D,
        KL.MaxPooling1D: L.MaxPooling1D, KL.AveragePooling1D: L.AveragePooling1D,
    }  # fmt: skip
    if type(layer) in pools:
        return pools[type(layer)](
            pool_size=layer.pool_size,
            strides=layer.strides,
            padding=layer.padding,
            data_format=layer.data_format,
            **c,
        )
    global_pools = {
        KL.GlobalAveragePooling2D: L.GlobalAveragePooling2D,
        KL.GlobalMaxPooling2D: L.GlobalMaxPooling2D,
        KL.GlobalAveragePooling1D: L.GlobalAveragePooling1D,
        KL.GlobalMaxPooling1D: L.GlobalMaxPooling1D,
    }
    if type(layer) in global_pools:
        return global_pools[type(layer)](
            data_format=layer.data_format, keepdims=layer.keepdims, **c
        )
    if isinstance(layer, KL.Flatten):
        return L.Flatten(data_format=layer.data_format, **c)
    if isinstance(layer, KL.Dropout):
        return L.Dropout(layer.rate, seed=layer.seed, **c)
    if isinstance(layer, KL.SpatialDropout2D):
        # Its constructor takes no **kwargs: `trainable` and `input_shape` are
        # TypeErrors there, so a builder sets them the way Keras would use them.
        if layer.input_shape is not None and layer.input_dim is not None:
            raise ValueError("input_shape and input_dim together")  # what every other layer raises
        out = L.SpatialDropout2D(
            layer.rate, data_format=layer.data_format, seed=layer.seed, name=layer.name
        )
        out.trainable = layer.trainable
        shape = layer.input_shape if layer.input_dim is None else (layer.input_dim,)
        if shape is not None:
            out._input_shape_arg = (
                shape  # what Layer.__init__ stores; Sequential reads it on the first layer
            )
        return out
    if isinstance(layer, KL.ActivationLayer):
        return L.Activation(layer.activation, **c)
    if isinstance(layer, KL.BatchNormalization):
        return L.BatchNormalization(
            axis=layer.axis,
            momentum=layer.momentum,
            epsilon=layer.epsilon,
            center=layer.center,
            scale=layer.scale,
            **c,
        )
    if isinstance(layer, KL.LayerNormalization):
        return L.LayerNormalization(
            axis=layer.axis,
            epsilon=layer.epsilon,
            center=layer.center,
            scale=layer.scale,
            rms_scaling=layer.rms_scaling,
            **c,
        )
    if isinstance(layer, KL.Reshape):
        return L.Reshape(layer.target_shape, **c)
    if isinstance(layer, KL.Rescaling):
        return L.Rescaling(layer.scale, offset=layer.offset, **c)
    if isinstance(layer, KL.ZeroPadding2D):
        return L.ZeroPadding2D(layer.padding, data_format=layer.data_format, **c)
    if isinstance(layer, KL.Cropping2D):
        return L.Cropping2D(layer.cropping, data_format=layer.data_format, **c)
    if isinstance(layer, KL.UpSampling2D):
        return L.UpSampling2D(
            layer.size, data_format=layer.data_format, interpolation=layer.interpolation, **c
        )
    raise AssertionError(f"no Keras builder for {type(layer).__name__}")


# The required fields of each layer class, to make one of each.
REQUIRED: dict[str, dict[str, Any]] = {
    "Input": {"shape": [4]},
    "Dense": {"units": 2},
    "Conv2D": {"filters": 2, "kernel_size": 1},
    "Conv1D": {"filters": 2, "kernel_size": 1},
    "Conv2DTranspose": {"filters": 2, "kernel_size": 1},
    "SeparableConv2D": {"filters": 2, "kernel_size": 1},
    "DepthwiseConv2D": {"kernel_size": 1},
    "Dropout": {"rate": 0.5},
    "SpatialDropout2D": {"rate": 0.5},
    "Activation": {"activation": "relu"},
    "Reshape": {"target_shape": [-1]},
    "Rescaling": {"scale": 0.5},
    "AveragePooling1D": {"pool_size": 2},
    "AveragePooling2D": {"pool_size": 2},
}


# The kinds of the first release; the other layer kinds are drawn by the raw-document
# differential (tests/test_differential_raw.py) from their family's strategies.
FIRST_RELEASE = (
    "Dense", "Conv2D", "Conv1D", "Conv2DTranspose", "SeparableConv2D", "DepthwiseConv2D",
    "MaxPooling2D", "AveragePooling2D", "MaxPooling1D", "AveragePooling1D",
    "GlobalAveragePooling2D", "GlobalMaxPooling2D", "GlobalAveragePooling1D", "GlobalMaxPooling1D",
    "Flatten", "Dropout", "SpatialDropout2D", "Activation", "BatchNormalization",
    "LayerNormalization", "Reshape", "Rescaling", "ZeroPadding2D", "Cropping2D", "UpSampling2D",
)  # fmt: skip


@pytest.mark.parametrize("kind", ["Input", *FIRST_RELEASE])
def test_builder_covers_every_layer_class(kind: str) -> None:
    make_layer(KL.type_map()[kind].model_validate({"type": kind, **REQUIRED.get(kind, {})}))


class NoInput(Exception):
    """Keras cannot build a Sequential model without an input shape."""


def build_keras(spec: S.Spec) -> Any:
    layers = list(spec.layers)
    first = layers[0]
    objs: list[Any] = []
    if spec.input_shape is not None:
        if (
            isinstance(first, KL.Input)
            or first.input_shape is not None
            or first.input_dim is not None
        ):
            raise SpecRule("input shape given twice")
        objs.append(keras.Input(shape=spec.input_shape))
    objs.extend(make_layer(layer) for layer in layers)
    model = keras.Sequential(objs)
    if not model.built:
        raise NoInput
    return model


def weight_count(weights: list[Any]) -> int:
    return sum(math.prod(w.shape) for w in weights)


# --------------------------------------------------------------------------- the generator
# Layers are drawn knowing the shape so far (from the analysis: it only biases
# the draw towards arguments that fit; Keras alone decides). 85% of draws fit
# the input, the rest are anything the schema allows, so both Keras's accept
# and reject paths get exercised deep into the model.

Shape = tuple[int | None, ...]

FORMATS = st.sampled_from([None, None, "channels_last", "channels_first"])
INITS = st.sampled_from(
    ["glorot_uniform"] * 12 + ["zeros", "he_normal", "identity", "orthogonal", "Identity"]
)
BIAS_INITS = st.sampled_from(["zeros"] * 8 + ["ones", "he_uniform", "orthogonal", "identity"])
PADDING = st.sampled_from(["valid", "valid", "same", "SAME", "Valid"])
REGS = st.one_of(
    st.sampled_from(["l1", "l2", "L1L2"]),
    st.builds(
        lambda t, v: {"type": t, t.lower(): v}, st.sampled_from(["L1", "L2"]), st.floats(0, 0.1)
    ),
)
NAMES = st.sampled_from(["dense", "dense_1", "conv2d", "flatten", "input_layer", "head", "body"])

# The rank (with batch) each kind needs; absent: any rank.
NEEDS = {
    "Conv2D": 4, "Conv2DTranspose": 4, "SeparableConv2D": 4, "DepthwiseConv2D": 4,
    "MaxPooling2D": 4, "AveragePooling2D": 4, "GlobalAveragePooling2D": 4, "GlobalMaxPooling2D": 4,
    "SpatialDropout2D": 4, "ZeroPadding2D": 4, "Cropping2D": 4, "UpSampling2D": 4,
    "Conv1D": 3, "MaxPooling1D": 3, "AveragePooling1D": 3, "GlobalAveragePooling1D": 3,
    "GlobalMaxPooling1D": 3,
}  # fmt: skip
CONVS = ("Conv2D", "Conv1D", "Conv2DTranspose", "SeparableConv2D", "DepthwiseConv2D")
# Convolutions have the most arguments and rules: draw them three times as often.
KINDS = [kind for kind in FIRST_RELEASE for _ in range(3 if kind in CONVS else 1)]


def _p(draw: st.DrawFn, p: float) -> bool:
    """True with probability p; Hypothesis's simplest draw (0) gives the likelier outcome."""
    # sampled_from is uniform, where Hypothesis's integers lean towards small values.
    u = draw(st.sampled_from(range(100)))
    return u < p * 100 if p > 0.5 else u >= (1 - p) * 100


def _as_arg(draw: st.DrawFn, values: list[int]) -> Any:
    """An IntTuple field as a spec may write it: an int when all equal (sometimes), else a list."""
    if len(set(values)) == 1 and _p(draw, 0.5):
        return values[0]
    return values


def _spatial(shape: Shape | None, n: int, fmt: str | None) -> list[int | None]:
    """The spatial sizes of `shape` for an n-D layer in `fmt`, or unknowns when it does not fit."""
    if shape is None or len(shape) != n + 2:
        return [None] * n
    return list(shape[2:] if fmt == "channels_first" else shape[1:-1])


def _channels(shape: Shape | None, fmt: str | None) -> int | None:
    if shape is None or len(shape) < 2:
        return None
    return shape[1] if fmt == "channels_first" else shape[-1]


def _fitting_size(draw: st.DrawFn, dim: int | None, hi: int, span: int = 1) -> int:
    """A window size that mostly fits `dim` (with `span` = dilation), sometimes anything up to `hi`."""
    if dim is not None and _p(draw, 0.85):
        return draw(st.integers(1, max(1, min(hi, (dim - 1) // span + 1))))
    return draw(st.integers(1, hi))


def _conv(draw: st.DrawFn, d: dict[str, Any], kind: str, shape: Shape | None) -> None:
    n = 1 if kind == "Conv1D" else 2
    fmt = draw(FORMATS)
    if fmt is not None or _p(draw, 0.1):
        d["data_format"] = fmt
    dims = _spatial(shape, n, fmt)
    mode = draw(st.sampled_from(["plain"] * 10 + ["strides"] * 5 + ["dilation"] * 4 + ["both"]))
    strides = [
        draw(st.sampled_from([2, 2, 3])) if mode in ("strides", "both") and _p(draw, 0.8) else 1
        for _ in range(n)
    ]
    dilation = [
        draw(st.sampled_from([2, 2, 3])) if mode in ("dilation", "both") and _p(draw, 0.8) else 1
        for _ in range(n)
    ]
    if kind == "Conv2DTranspose":  # grows its input: any kernel fits
        d["kernel_size"] = _as_arg(draw, [draw(st.integers(1, 5)) for _ in range(n)])
    else:
        d["kernel_size"] = _as_arg(
            draw, [_fitting_size(draw, dims[i], 5, dilation[i]) for i in range(n)]
        )
    if strides != [1] * n or _p(draw, 0.1):
        d["strides"] = _as_arg(draw, strides)
    if dilation != [1] * n or _p(draw, 0.1):
        d["dilation_rate"] = _as_arg(draw, dilation)
    pads = ["valid", "same", "causal", "CAUSAL"] if kind == "Conv1D" else ["valid", "same", "SAME"]
    if _p(draw, 0.7):
        d["padding"] = draw(st.sampled_from(pads))
    if kind in ("Conv2D", "Conv1D", "Conv2DTranspose", "SeparableConv2D"):
        d["filters"] = draw(st.integers(1, 12))
    if kind in ("Conv2D", "Conv1D") and _p(draw, 0.3):
        c = _channels(shape, fmt)
        divisors = [g for g in (2, 3, 4) if c is not None and c % g == 0]
        if divisors and _p(draw, 0.85):
            d["groups"] = draw(st.sampled_from(divisors))
            d["filters"] = d["groups"] * draw(st.integers(1, 4))
        else:
            d["groups"] = draw(st.integers(1, 4))
    if kind == "Conv2DTranspose" and _p(draw, 0.5):
        if _p(draw, 0.9):
            d["output_padding"] = [draw(st.integers(0, s - 1)) for s in strides]
        else:
            d["output_padding"] = draw(st.integers(0, 2))
    if kind in ("SeparableConv2D", "DepthwiseConv2D") and _p(draw, 0.4):
        d["depth_multiplier"] = draw(st.integers(1, 3))
    if _p(draw, 0.3):
        d["use_bias"] = draw(st.booleans())
    init_fields = {
        "SeparableConv2D": ["depthwise_initializer", "pointwise_initializer"],
        "DepthwiseConv2D": ["depthwise_initializer"],
    }.get(kind, ["kernel_initializer"])
    for field in init_fields:
        if _p(draw, 0.15):
            d[field] = draw(INITS)
    if _p(draw, 0.1):
        d["bias_initializer"] = draw(BIAS_INITS)
    if kind in ("Conv2D", "Conv1D", "Conv2DTranspose"):
        for field in ("kernel_regularizer", "bias_regularizer", "activity_regularizer"):
            if _p(draw, 0.05):
                d[field] = draw(REGS)
    if _p(draw, 0.3):
        d["activation"] = draw(st.one_of(st.none(), st.sampled_from(ACTIVATIONS)))


def _axis(draw: st.DrawFn, rank: int | None) -> int:
    if rank is not None and _p(draw, 0.85):
        return draw(st.sampled_from([a for a in range(-rank, rank) if a not in (0, -rank)] or [-1]))
    return draw(st.sampled_from([0, 0, -5, -4, -3, -2, 1, 2, 3, 4, 5]))  # 0 is the batch axis


def _factor(draw: st.DrawFn, size: int) -> list[int]:
    """A random factorization of `size` into 1-3 sizes, one maybe -1."""
    parts: list[int] = []
    rest = size
    for _ in range(draw(st.integers(0, 2))):
        divisors = [k for k in range(1, min(rest, 64) + 1) if rest % k == 0]
        k = draw(st.sampled_from(divisors))
        parts.append(k)
        rest //= k
    parts.append(rest)
    parts = draw(st.permutations(parts))
    if _p(draw, 0.5):
        parts[draw(st.integers(0, len(parts) - 1))] = -1
    return list(parts)


@st.composite
def layer_dict(draw: st.DrawFn, kind: str, shape: Shape | None) -> dict[str, Any]:
    d: dict[str, Any] = {"type": kind}
    aliases = KL.type_map()[kind].TYPES
    if len(aliases) > 1 and _p(draw, 0.3):
        d["type"] = draw(st.sampled_from(aliases))
    rank = None if shape is None else len(shape)
    n = 1 if kind.endswith("1D") else 2
    if kind == "Dense":
        d["units"] = draw(st.integers(1, 16))
        if _p(draw, 0.3):
            d["use_bias"] = draw(st.booleans())
        if _p(draw, 0.15):
            d["kernel_initializer"] = draw(INITS)
        if _p(draw, 0.1):
            d["bias_initializer"] = draw(BIAS_INITS)
        for field in ("kernel_regularizer", "bias_regularizer", "activity_regularizer"):
            if _p(draw, 0.05):
                d[field] = draw(REGS)
        if _p(draw, 0.4):
            d["activation"] = draw(st.one_of(st.none(), st.sampled_from(ACTIVATIONS)))
    elif kind in CONVS:
        _conv(draw, d, kind, shape)
    elif kind in ("MaxPooling2D", "AveragePooling2D", "MaxPooling1D", "AveragePooling1D"):
        fmt = draw(FORMATS)
        if fmt is not None:
            d["data_format"] = fmt
        dims = _spatial(shape, n, fmt)
        if _p(draw, 0.7):
            d["pool_size"] = _as_arg(draw, [_fitting_size(draw, dims[i], 4) for i in range(n)])
        if _p(draw, 0.4):
            d["strides"] = _as_arg(draw, [draw(st.sampled_from([1, 1, 2, 3])) for _ in range(n)])
        if _p(draw, 0.5):
            d["padding"] = draw(PADDING)
    elif kind.startswith("Global"):
        if _p(draw, 0.4):
            d["data_format"] = draw(FORMATS)
        if _p(draw, 0.3):
            d["keepdims"] = draw(st.booleans())
    elif kind == "Flatten":
        if _p(draw, 0.2):
            d["data_format"] = draw(FORMATS)
    elif kind == "Dropout":
        d["rate"] = draw(st.sampled_from([0.0, 0.25, 0.5, 1.0]))
        if _p(draw, 0.2):
            d["seed"] = draw(st.integers(0, 100))
    elif kind == "SpatialDropout2D":
        d["rate"] = draw(st.sampled_from([0.0, 0.2, 0.5]))
        if _p(draw, 0.4):
            d["data_format"] = draw(FORMATS)
        if _p(draw, 0.2):
            d["seed"] = draw(st.integers(0, 100))
    elif kind == "Activation":
        d["activation"] = draw(st.sampled_from(ACTIVATIONS))
    elif kind == "BatchNormalization":
        if _p(draw, 0.4):
            d["axis"] = _axis(draw, rank)
        for field in ("center", "scale"):
            if _p(draw, 0.3):
                d[field] = draw(st.booleans())
        if _p(draw, 0.1):
            d["momentum"] = draw(st.floats(0, 1))
    elif kind == "LayerNormalization":
        if _p(draw, 0.5):
            if _p(draw, 0.5):
                d["axis"] = _axis(draw, rank)
            else:
                d["axis"] = [_axis(draw, rank) for _ in range(draw(st.integers(0, 3)))]
        for field in ("center", "scale", "rms_scaling"):
            if _p(draw, 0.3):
                d[field] = draw(st.booleans())
    elif kind == "Reshape":
        sample = None if shape is None else shape[1:]
        if sample is not None and None not in sample and math.prod(sample) > 0 and _p(draw, 0.8):  # type: ignore[arg-type]
            d["target_shape"] = _factor(draw, math.prod(sample))  # type: ignore[arg-type]
        else:
            size = st.sampled_from([1, 2, 3, 4, 6, 8, 16])
            d["target_shape"] = draw(st.lists(st.one_of(size, st.just(-1)), min_size=1, max_size=3))
    elif kind == "Rescaling":
        d["scale"] = draw(st.sampled_from([1 / 255, 0.5, 2.0]))
        if _p(draw, 0.3):
            d["offset"] = draw(st.sampled_from([0.0, -1.0]))
    elif kind in ("ZeroPadding2D", "Cropping2D"):
        fmt = draw(FORMATS)
        if fmt is not None:
            d["data_format"] = fmt
        dims = _spatial(shape, 2, fmt)
        pairs = []
        for dim in dims:
            if kind == "Cropping2D" and dim and _p(draw, 0.85):
                pairs.append([draw(st.integers(0, (dim - 1) // 2)) for _ in range(2)])
            else:
                pairs.append([draw(st.integers(0, 4)) for _ in range(2)])
        key = "padding" if kind == "ZeroPadding2D" else "cropping"
        form = draw(st.sampled_from(["pairs", "sym", "int", "default"]))
        if form == "pairs":
            d[key] = pairs
        elif form == "sym":
            d[key] = [pairs[0][0], pairs[1][0]]
        elif form == "int":
            d[key] = pairs[0][0]
    elif kind == "UpSampling2D":
        if _p(draw, 0.6):
            d["size"] = _as_arg(draw, [draw(st.integers(1, 3)) for _ in range(2)])
        if _p(draw, 0.3):
            d["data_format"] = draw(FORMATS)
        if _p(draw, 0.2):
            d["interpolation"] = draw(st.sampled_from(["nearest", "bilinear", "area"]))
    if _p(draw, 0.03):
        d["name"] = draw(NAMES)
    if _p(draw, 0.1):
        d["trainable"] = draw(st.booleans())
    return d


def _next_rank(kind: str, d: dict[str, Any], rank: int) -> int:
    """The rank (with batch) a layer outputs, when the analysis cannot say."""
    if kind == "Flatten":
        return 2
    if kind.startswith("Global"):
        return rank if d.get("keepdims") else 2
    if kind == "Reshape":
        return len(d["target_shape"]) + 1
    return rank


def current_shape(probe: dict[str, Any]) -> Shape | None:
    """The output shape of the layers so far, per the analysis; None once it fails."""
    try:
        analysis = analyse_shapes(S.Spec.model_validate(probe))
    except ValidationError:
        return None
    return analysis.output_shape if analysis.complete else None


@st.composite
def input_shape(draw: st.DrawFn) -> list[int | None]:
    rank = draw(st.sampled_from([1, 2, 3, 3]))
    sizes = {
        1: [st.integers(1, 64)],
        2: [st.integers(1, 32), st.integers(1, 8)],
        3: [st.integers(1, 32), st.integers(1, 32), st.integers(1, 8)],
    }[rank]
    # Sizes of 1 reach the edge cases (kernels larger than the input, zero-size outputs).
    shape: list[int | None] = [1 if _p(draw, 0.1) else draw(s) for s in sizes]
    if rank == 3 and _p(draw, 0.15):  # a channels_first-style sample
        shape = [shape[2], shape[0], shape[1]]
    if _p(draw, 0.25):  # unknown sizes, mostly not the channels, which most layers need
        last = len(shape) - 1
        shape = [None if _p(draw, 0.15 if i == last else 0.45) else d for i, d in enumerate(shape)]
    return shape


@st.composite
def spec_dict(draw: st.DrawFn) -> dict[str, Any]:
    shape = draw(input_shape())
    layers: list[dict[str, Any]] = []
    probe: dict[str, Any] = {"input_shape": shape, "layers": layers}
    current: Shape | None = (None, *shape)
    rank = len(current)
    for _ in range(draw(st.integers(1, 7))):
        fitting = [k for k in KINDS if NEEDS.get(k, rank) == rank]
        kind = draw(st.sampled_from(fitting if _p(draw, 0.85) else KINDS))
        d = draw(layer_dict(kind, current))
        layers.append(d)
        current = current_shape(probe) if current is not None else None
        # Once the analysis stops, keep drawing layers that fit the rank Keras
        # would see: if the analysis stopped wrongly, Keras then accepts the
        # model and the disagreement shows, instead of hiding behind a later
        # random layer that Keras refuses too.
        rank = len(current) if current is not None else _next_rank(kind, d, rank)
    # How the spec gives its input shape; the last four modes are mistakes.
    out: dict[str, Any] = {"layers": layers}
    mode = draw(
        st.sampled_from(
            ["top"] * 8 + ["first"] * 3 + ["Input"] * 3 + ["input_dim", "none", "both", "late"]
        )
    )
    first = layers[0]
    if mode == "top":
        out["input_shape"] = shape
    elif mode == "first":
        first["input_shape"] = shape
    elif mode == "Input":
        layers.insert(0, {"type": draw(st.sampled_from(["Input", "InputLayer"])), "shape": shape})
        if _p(draw, 0.1):
            layers[0]["name"] = draw(NAMES)
    elif mode == "input_dim":
        first["input_dim"] = shape[0] or 3
    elif mode == "both":
        out["input_shape"] = shape
        extra = draw(st.sampled_from(["input_shape", "Input", "input_dim"]))
        if extra == "Input":
            layers.insert(0, {"type": "Input", "shape": shape})
        else:
            first[extra] = shape if extra == "input_shape" else 4
    elif mode == "late":
        out["input_shape"] = shape
        where = draw(st.integers(0, len(layers) - 1))
        extra = draw(
            st.sampled_from(["input_shape", "Input", "input_dim", "input_shape+input_dim"])
        )
        if extra == "Input":
            layers.insert(where + 1, {"type": "Input", "shape": shape})
        elif extra == "input_shape+input_dim":
            layers[where]["input_shape"] = shape
            layers[where]["input_dim"] = 5
        elif where > 0:
            layers[where][extra] = shape if extra == "input_shape" else 5
    return out


# --------------------------------------------------------------------------- the comparison


def _describe(analysis: ShapeAnalysis) -> str:
    lines = [f"  {d.code} {d.path}: {d.message}" for d in analysis.diagnostics]
    lines += [
        f"  {i.name} {i.type} {i.output_shape} {i.params}/{i.trainable_params}"
        for i in analysis.layers
    ]
    return "\n".join(lines)


def compare(raw: dict[str, Any], stats: Counter[str]) -> None:
    try:
        spec = S.Spec.model_validate(raw)
    except ValidationError:
        stats["invalid_spec"] += 1
        assume(False)  # not a case: hypothesis draws another
        raise
    stats["cases"] += 1
    analysis = analyse_shapes(spec)
    errors = [d for d in analysis.diagnostics if d.severity is Severity.ERROR]

    if stats["cases"] % FULL_CLEAR_EVERY == 0:
        keras.backend.clear_session()
    else:
        keras.backend.clear_session(free_memory=False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = build_keras(spec)
    except SpecRule as e:
        assert any(d.code == "KS211" for d in errors), (
            f"spec rule ({e}) not reported:\n{raw}\n{_describe(analysis)}"
        )
        stats["spec_rule"] += 1
        stats["agreed"] += 1
        return
    except NoInput:
        assert any(d.code == "KS301" for d in errors), (
            f"no input, no KS301:\n{raw}\n{_describe(analysis)}"
        )
        stats["no_input"] += 1
        stats["agreed"] += 1
        return
    except Exception as e:
        assert errors, (
            f"Keras rejects ({type(e).__name__}: {str(e)[:400]}) but the analysis accepts:\n{raw}\n"
            f"{_describe(analysis)}"
        )
        stats["both_reject"] += 1
        stats["agreed"] += 1
        for code in sorted({d.code for d in errors}):
            stats[f"code:{code}"] += 1
        return
    assert not errors, f"Keras accepts but the analysis rejects:\n{raw}\n{_describe(analysis)}"
    assert analysis.complete
    got = [
        (
            layer.name,
            tuple(layer.output.shape),
            layer.count_params(),
            weight_count(layer.trainable_weights),
            weight_count(layer.non_trainable_weights),
        )
        for layer in model.layers
    ]
    want = [
        (i.name, i.output_shape, i.params, i.trainable_params, i.non_trainable_params)
        for i in analysis.layers
    ]
    assert got == want, f"Keras and the analysis differ:\n{raw}\nkeras:    {got}\nanalysis: {want}"
    stats["both_accept"] += 1
    stats["agreed"] += 1
    for info in analysis.layers:
        stats[f"accepted:{info.type}"] += 1


def test_analysis_agrees_with_keras() -> None:
    assert keras.config.image_data_format() == "channels_last", (
        "data_format=None means channels_last here"
    )
    stats: Counter[str] = Counter()
    start = time.monotonic()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=DERANDOMIZE,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=True,
    )
    @given(spec_dict())
    def check(raw: dict[str, Any]) -> None:
        compare(raw, stats)

    try:
        check()
    finally:
        summary = {
            "examples_requested": EXAMPLES,
            "derandomize": DERANDOMIZE,
            "cases": stats["cases"],
            "agreed": stats["agreed"],
            "both_accept": stats["both_accept"],
            "both_reject": stats["both_reject"],
            "spec_rule": stats["spec_rule"],
            "no_input": stats["no_input"],
            "invalid_spec_skipped": stats["invalid_spec"],
            "rejections_by_code": {
                k[5:]: v for k, v in sorted(stats.items()) if k.startswith("code:")
            },
            "accepted_layers_by_type": {
                k[9:]: v for k, v in sorted(stats.items()) if k.startswith("accepted:")
            },
            "seconds": round(time.monotonic() - start, 1),
            "keras_version": keras.__version__,
        }
        print("differential:", json.dumps(summary))
        if REPORT:
            with open(REPORT, "w", encoding="utf-8") as f:
                json.dump(summary, f, indent=2)
    assert stats["cases"] == stats["agreed"]
    # Both sides of the decision must be exercised, or the test proves little.
    assert (
        stats["both_accept"] > stats["cases"] // 5 and stats["both_reject"] > stats["cases"] // 10
    )
