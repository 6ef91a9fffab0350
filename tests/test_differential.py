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

from kerasspec import spec as S  # noqa: E402
from kerasspec.analysis import ShapeAnalysis, analyse_shapes  # noqa: E402
from kerasspec.diagnostics import Severity  # noqa: E402
from kerasspec.names import ACTIVATIONS, INITIALIZERS  # noqa: E402

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
    args = {k: v for k, v in (("l1", value.l1), ("l2", value.l2)) if v is not None}
    return getattr(keras.regularizers, value.type)(**args)


def _common(layer: S.Layer) -> dict[str, Any]:
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


def make_layer(layer: S.Layer) -> Any:  # noqa: C901, PLR0911  (one branch per kind)
    """The Keras layer for a spec layer, by its explicit constructor."""
    L = keras.layers
    c = _common(layer)
    if isinstance(layer, S.Input):
        if layer.input_shape is not None or layer.input_dim is not None:
            raise SpecRule("Input with input_shape/input_dim")
        return keras.Input(shape=layer.shape, name=layer.name)
    if isinstance(layer, S.Dense):
        return L.Dense(layer.units, **_conv_common(layer), **c)
    if isinstance(layer, S.Conv2D | S.Conv1D):
        cls = L.Conv2D if isinstance(layer, S.Conv2D) else L.Conv1D
        return cls(
            layer.filters, layer.kernel_size, strides=layer.strides, padding=layer.padding,
            data_format=layer.data_format, dilation_rate=layer.dilation_rate, groups=layer.groups,
            **_conv_common(layer), **c,
        )
    if isinstance(layer, S.Conv2DTranspose):
        return L.Conv2DTranspose(
            layer.filters, layer.kernel_size, strides=layer.strides, padding=layer.padding,
            output_padding=layer.output_padding, data_format=layer.data_format,
            dilation_rate=layer.dilation_rate, **_conv_common(layer), **c,
        )
    if isinstance(layer, S.SeparableConv2D):
        return L.SeparableConv2D(
            layer.filters, layer.kernel_size, strides=layer.strides, padding=layer.padding,
            data_format=layer.data_format, dilation_rate=layer.dilation_rate,
            depth_multiplier=layer.depth_multiplier, activation=layer.activation,
            use_bias=layer.use_bias, depthwise_initializer=layer.depthwise_initializer,
            pointwise_initializer=layer.pointwise_initializer,
            bias_initializer=layer.bias_initializer, **c,
        )
    if isinstance(layer, S.DepthwiseConv2D):
        return L.DepthwiseConv2D(
            layer.kernel_size, strides=layer.strides, padding=layer.padding,
            depth_multiplier=layer.depth_multiplier, data_format=layer.data_format,
            dilation_rate=layer.dilation_rate, activation=layer.activation, use_bias=layer.use_bias,
            depthwise_initializer=layer.depthwise_initializer,
            bias_initializer=layer.bias_initializer, **c,
        )
    pools = {
        S.MaxPooling2D: L.MaxPooling2D, S.AveragePooling2D: L.AveragePooling2D,
        S.MaxPooling1D: L.MaxPooling1D, S.AveragePooling1D: L.AveragePooling1D,
    }  # fmt: skip
    if type(layer) in pools:
        return pools[type(layer)](
            pool_size=layer.pool_size, strides=layer.strides, padding=layer.padding,
            data_format=layer.data_format, **c,
        )
    global_pools = {
        S.GlobalAveragePooling2D: L.GlobalAveragePooling2D,
        S.GlobalMaxPooling2D: L.GlobalMaxPooling2D,
        S.GlobalAveragePooling1D: L.GlobalAveragePooling1D,
        S.GlobalMaxPooling1D: L.GlobalMaxPooling1D,
    }
    if type(layer) in global_pools:
        return global_pools[type(layer)](data_format=layer.data_format, keepdims=layer.keepdims, **c)
    if isinstance(layer, S.Flatten):
        return L.Flatten(data_format=layer.data_format, **c)
    if isinstance(layer, S.Dropout):
        return L.Dropout(layer.rate, seed=layer.seed, **c)
    if isinstance(layer, S.SpatialDropout2D):
        # Its constructor takes no **kwargs: `trainable` and `input_shape` are
        # TypeErrors there, so a builder sets them the way Keras would use them.
        if layer.input_shape is not None and layer.input_dim is not None:
            raise ValueError("input_shape and input_dim together")  # what every other layer raises
        out = L.SpatialDropout2D(layer.rate, data_format=layer.data_format, seed=layer.seed, name=layer.name)
        out.trainable = layer.trainable
        shape = layer.input_shape if layer.input_dim is None else (layer.input_dim,)
        if shape is not None:
            out._input_shape_arg = shape  # what Layer.__init__ stores; Sequential reads it on the first layer
        return out
    if isinstance(layer, S.ActivationLayer):
        return L.Activation(layer.activation, **c)
    if isinstance(layer, S.BatchNormalization):
        return L.BatchNormalization(
            axis=layer.axis, momentum=layer.momentum, epsilon=layer.epsilon,
            center=layer.center, scale=layer.scale, **c,
        )
    if isinstance(layer, S.LayerNormalization):
        return L.LayerNormalization(
            axis=layer.axis, epsilon=layer.epsilon, center=layer.center, scale=layer.scale,
            rms_scaling=layer.rms_scaling, **c,
        )
    if isinstance(layer, S.Reshape):
        return L.Reshape(layer.target_shape, **c)
    if isinstance(layer, S.Rescaling):
        return L.Rescaling(layer.scale, offset=layer.offset, **c)
    if isinstance(layer, S.ZeroPadding2D):
        return L.ZeroPadding2D(layer.padding, data_format=layer.data_format, **c)
    if isinstance(layer, S.Cropping2D):
        return L.Cropping2D(layer.cropping, data_format=layer.data_format, **c)
    if isinstance(layer, S.UpSampling2D):
        return L.UpSampling2D(layer.size, data_format=layer.data_format, interpolation=layer.interpolation, **c)
    raise AssertionError(f"no Keras builder for {type(layer).__name__}")


def test_builder_covers_every_layer_class() -> None:
    assert len(S.LAYER_CLASSES) == 26  # a new class needs a branch in make_layer


class NoInput(Exception):
    """Keras cannot build a Sequential model without an input shape."""


def build_keras(spec: S.Spec) -> Any:
    layers = list(spec.layers)
    first = layers[0]
    objs: list[Any] = []
    if spec.input_shape is not None:
        if isinstance(first, S.Input) or first.input_shape is not None or first.input_dim is not None:
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

DIM = st.integers(1, 24)
SMALL = st.integers(1, 4)
FORMATS = st.sampled_from([None, None, "channels_last", "channels_first"])
INITS = st.sampled_from(["glorot_uniform"] * 6 + ["zeros", "he_normal", "identity", "orthogonal", "Identity"])
INIT_ANY = st.sampled_from(INITIALIZERS)
PADDING = st.sampled_from(["valid", "same", "SAME", "Valid"])
REGS = st.one_of(
    st.none(), st.none(), st.none(),
    st.sampled_from(["l1", "l2", "L1L2"]),
    st.builds(lambda t, v: {"type": t, t.lower(): v}, st.sampled_from(["L1", "L2"]), st.floats(0, 0.1)),
)  # fmt: skip
NAMES = st.sampled_from(["dense", "dense_1", "conv2d", "flatten", "input_layer", "x", "x", "head"])

# The rank each kind needs (None: any) and the rank it outputs (None: same as input).
NEEDS = {
    "Conv2D": 4, "Conv2DTranspose": 4, "SeparableConv2D": 4, "DepthwiseConv2D": 4,
    "MaxPooling2D": 4, "AveragePooling2D": 4, "GlobalAveragePooling2D": 4, "GlobalMaxPooling2D": 4,
    "SpatialDropout2D": 4, "ZeroPadding2D": 4, "Cropping2D": 4, "UpSampling2D": 4,
    "Conv1D": 3, "MaxPooling1D": 3, "AveragePooling1D": 3, "GlobalAveragePooling1D": 3,
    "GlobalMaxPooling1D": 3,
}  # fmt: skip
KINDS = [cls.TYPES for cls in S.LAYER_CLASSES if cls is not S.Input]


def _ks(n: int, lo: int = 1, hi: int = 5) -> st.SearchStrategy[Any]:
    one = st.integers(lo, hi)
    return one if n == 1 else st.one_of(one, st.lists(one, min_size=n, max_size=n))


def _stride(n: int) -> st.SearchStrategy[Any]:
    one = st.sampled_from([1, 1, 1, 2, 2, 3])
    return one if n == 1 else st.one_of(one, st.lists(one, min_size=n, max_size=n))


def _maybe(draw: st.DrawFn, d: dict[str, Any], key: str, strategy: st.SearchStrategy[Any], p: float = 0.5) -> None:
    if draw(st.floats(0, 1)) < p:
        d[key] = draw(strategy)


@st.composite
def layer_dict(draw: st.DrawFn, kind: str, rank: int) -> dict[str, Any]:  # noqa: C901
    d: dict[str, Any] = {"type": kind}
    aliases = S.LAYER_TYPES[kind].TYPES
    if len(aliases) > 1 and draw(st.booleans()):
        d["type"] = draw(st.sampled_from(aliases))
    n = 1 if kind.endswith("1D") else 2
    if kind == "Dense":
        d["units"] = draw(st.integers(1, 16))
        _maybe(draw, d, "use_bias", st.booleans())
        _maybe(draw, d, "kernel_initializer", INITS, 0.3)
        _maybe(draw, d, "bias_initializer", st.sampled_from(["zeros", "ones", "orthogonal", "identity"]), 0.15)
        _maybe(draw, d, "kernel_regularizer", REGS, 0.2)
    elif kind in ("Conv2D", "Conv1D", "Conv2DTranspose"):
        d["filters"] = draw(st.integers(1, 12))
        d["kernel_size"] = draw(_ks(n))
        _maybe(draw, d, "strides", _stride(n))
        pads = ["valid", "same", "causal", "CAUSAL"] if kind == "Conv1D" else ["valid", "same", "SAME"]
        _maybe(draw, d, "padding", st.sampled_from(pads), 0.6)
        _maybe(draw, d, "dilation_rate", _ks(n, 1, 3), 0.3)
        _maybe(draw, d, "data_format", FORMATS, 0.4)
        _maybe(draw, d, "use_bias", st.booleans(), 0.3)
        _maybe(draw, d, "kernel_initializer", INITS, 0.2)
        _maybe(draw, d, "bias_initializer", st.sampled_from(["zeros", "orthogonal", "he_uniform"]), 0.1)
        _maybe(draw, d, "bias_regularizer", REGS, 0.1)
        _maybe(draw, d, "activity_regularizer", REGS, 0.1)
        if kind == "Conv2DTranspose":
            _maybe(draw, d, "output_padding", _ks(2, 0, 2), 0.3)
        else:
            _maybe(draw, d, "groups", st.sampled_from([1, 2, 3, 4]), 0.3)
    elif kind in ("SeparableConv2D", "DepthwiseConv2D"):
        if kind == "SeparableConv2D":
            d["filters"] = draw(st.integers(1, 12))
            _maybe(draw, d, "pointwise_initializer", INITS, 0.2)
        d["kernel_size"] = draw(_ks(2))
        _maybe(draw, d, "strides", _stride(2))
        _maybe(draw, d, "padding", PADDING, 0.6)
        _maybe(draw, d, "dilation_rate", _ks(2, 1, 3), 0.3)
        _maybe(draw, d, "depth_multiplier", SMALL, 0.4)
        _maybe(draw, d, "data_format", FORMATS, 0.4)
        _maybe(draw, d, "use_bias", st.booleans(), 0.3)
        _maybe(draw, d, "depthwise_initializer", INITS, 0.2)
        _maybe(draw, d, "bias_initializer", st.sampled_from(["zeros", "orthogonal"]), 0.1)
    elif kind in ("MaxPooling2D", "AveragePooling2D", "MaxPooling1D", "AveragePooling1D"):
        _maybe(draw, d, "pool_size", _ks(n, 1, 4), 0.7)
        _maybe(draw, d, "strides", _stride(n), 0.4)
        _maybe(draw, d, "padding", PADDING, 0.5)
        _maybe(draw, d, "data_format", FORMATS, 0.3)
    elif kind.startswith("Global"):
        _maybe(draw, d, "data_format", FORMATS, 0.4)
        _maybe(draw, d, "keepdims", st.booleans(), 0.3)
    elif kind == "Flatten":
        _maybe(draw, d, "data_format", FORMATS, 0.2)
    elif kind == "Dropout":
        d["rate"] = draw(st.sampled_from([0.0, 0.25, 0.5, 1.0]))
        _maybe(draw, d, "seed", st.integers(0, 100), 0.2)
    elif kind == "SpatialDropout2D":
        d["rate"] = draw(st.sampled_from([0.0, 0.2, 0.5]))
        _maybe(draw, d, "data_format", FORMATS, 0.4)
        _maybe(draw, d, "seed", st.integers(0, 100), 0.2)
    elif kind == "Activation":
        d["activation"] = draw(st.sampled_from(ACTIVATIONS))
    elif kind == "BatchNormalization":
        _maybe(draw, d, "axis", st.integers(-4, 4), 0.4)
        _maybe(draw, d, "center", st.booleans(), 0.3)
        _maybe(draw, d, "scale", st.booleans(), 0.3)
        _maybe(draw, d, "momentum", st.floats(0, 1), 0.1)
    elif kind == "LayerNormalization":
        _maybe(draw, d, "axis", st.one_of(st.integers(-4, 4), st.lists(st.integers(-4, 4), max_size=3)), 0.5)
        _maybe(draw, d, "center", st.booleans(), 0.3)
        _maybe(draw, d, "scale", st.booleans(), 0.3)
        _maybe(draw, d, "rms_scaling", st.booleans(), 0.3)
    elif kind == "Reshape":
        size = st.sampled_from([1, 2, 3, 4, 6, 8, 16])
        d["target_shape"] = draw(
            st.one_of(
                st.just([-1]),
                st.lists(st.one_of(size, st.just(-1)), min_size=1, max_size=3),
                st.lists(size, min_size=1, max_size=3),
            )
        )
    elif kind == "Rescaling":
        d["scale"] = draw(st.sampled_from([1 / 255, 0.5, 2.0]))
        _maybe(draw, d, "offset", st.sampled_from([0.0, -1.0]), 0.3)
    elif kind in ("ZeroPadding2D", "Cropping2D"):
        key = "padding" if kind == "ZeroPadding2D" else "cropping"
        hi = 3 if kind == "ZeroPadding2D" else 6
        one = st.integers(0, hi)
        _maybe(
            draw, d, key,
            st.one_of(one, st.lists(one, min_size=2, max_size=2),
                      st.lists(st.lists(one, min_size=2, max_size=2), min_size=2, max_size=2)),
            0.8,
        )  # fmt: skip
        _maybe(draw, d, "data_format", FORMATS, 0.3)
    elif kind == "UpSampling2D":
        _maybe(draw, d, "size", _ks(2, 1, 3), 0.6)
        _maybe(draw, d, "data_format", FORMATS, 0.3)
        _maybe(draw, d, "interpolation", st.sampled_from(["nearest", "bilinear", "area"]), 0.2)
    if kind in ("Dense", "Conv2D", "Conv1D", "Conv2DTranspose", "SeparableConv2D", "DepthwiseConv2D", "Activation"):
        if kind != "Activation":
            _maybe(draw, d, "activation", st.one_of(st.none(), st.sampled_from(ACTIVATIONS)), 0.3)
    _maybe(draw, d, "name", NAMES, 0.06)
    _maybe(draw, d, "trainable", st.booleans(), 0.1)
    return d


def _next_rank(kind: str, d: dict[str, Any], rank: int) -> int:
    if kind == "Flatten":
        return 2
    if kind.startswith("Global"):
        return rank if d.get("keepdims") else 2
    if kind == "Reshape":
        return len(d["target_shape"]) + 1
    return rank


@st.composite
def spec_dict(draw: st.DrawFn) -> dict[str, Any]:
    rank = draw(st.sampled_from([1, 2, 3, 3]))  # of one sample
    dim = st.one_of(DIM, st.integers(1, 6), st.just(28), st.none()) if draw(st.floats(0, 1)) < 0.15 else DIM
    shape = draw(st.lists(dim, min_size=rank, max_size=rank))
    layers: list[dict[str, Any]] = []
    r = rank + 1  # with the batch axis
    for _ in range(draw(st.integers(1, 6))):
        fitting = [t for t in KINDS if NEEDS.get(t[0]) in (None, r)]
        pool = fitting if draw(st.floats(0, 1)) < 0.85 else KINDS
        kind = draw(st.sampled_from(pool))[0]
        d = draw(layer_dict(kind, r))
        layers.append(d)
        r = _next_rank(kind, d, r)
    out: dict[str, Any] = {"layers": layers}
    mode = draw(st.sampled_from(["top"] * 8 + ["first"] * 3 + ["Input"] * 3 + ["input_dim", "none", "both", "late"]))
    first = layers[0]
    if mode == "top":
        out["input_shape"] = shape
    elif mode == "first":
        first["input_shape"] = shape
    elif mode == "Input":
        layers.insert(0, {"type": draw(st.sampled_from(["Input", "InputLayer"])), "shape": shape})
        _maybe(draw, layers[0], "name", NAMES, 0.1)
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
        extra = draw(st.sampled_from(["input_shape", "Input", "input_dim", "input_shape+input_dim"]))
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
    lines += [f"  {i.name} {i.type} {i.output_shape} {i.params}/{i.trainable_params}" for i in analysis.layers]
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
        assert any(d.code == "KS211" for d in errors), f"spec rule ({e}) not reported:\n{raw}\n{_describe(analysis)}"
        stats["spec_rule"] += 1
        stats["agreed"] += 1
        return
    except NoInput:
        assert any(d.code == "KS301" for d in errors), f"no input, no KS301:\n{raw}\n{_describe(analysis)}"
        stats["no_input"] += 1
        stats["agreed"] += 1
        return
    except Exception as e:  # noqa: BLE001  (any exception while building is a rejection)
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
        (i.name, i.output_shape, i.params, i.trainable_params, i.non_trainable_params) for i in analysis.layers
    ]
    assert got == want, f"Keras and the analysis differ:\n{raw}\nkeras:    {got}\nanalysis: {want}"
    stats["both_accept"] += 1
    stats["agreed"] += 1
    for info in analysis.layers:
        stats[f"accepted:{info.type}"] += 1


def test_analysis_agrees_with_keras() -> None:
    assert keras.config.image_data_format() == "channels_last", "data_format=None means channels_last here"
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
            "rejections_by_code": {k[5:]: v for k, v in sorted(stats.items()) if k.startswith("code:")},
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
    assert stats["both_accept"] > stats["cases"] // 5 and stats["both_reject"] > stats["cases"] // 10
