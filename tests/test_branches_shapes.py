"""Branch tables for the shape arithmetic (kerasspec/shapes.py) and the KS3xx rules (kerasspec/analysis.py).

A row per branch, each pinning the whole result: the output, or the error's code, message,
field and hint, so that removing or bending any branch fails a row (``make mutation``
measures it). Output shapes, weight shapes and accept/reject are Keras facts: the slow
tests at the end build the same layers in Keras and compare.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import kerasspec
from kerasspec import shapes as sh
from kerasspec import spec as S
from kerasspec.analysis import (
    _hint_for,
    _looks_channels_last,
    _memoized,
    _where,
    analyse_shapes,
    check_initializers,
)
from kerasspec.layers.base import Unanalysable, Weight
from kerasspec.layers.blocks import MAX_LAYERS, SLOW_LAYERS
from kerasspec.shapes import ShapeError

CF = "channels_first"
SAME_HINT = "use `padding: same`, a smaller `kernel_size`, or fewer downsampling layers before this one"
POOL_HINT = "use `padding: same`, a smaller `pool_size`, or fewer downsampling layers before this one"
DECONV_HINT = "remove the layer that shrinks this axis to 0 before this one"
AXIS_HINT = "use -1 for the last axis (the channels in channels_last data)"


def error_of(fn: Any, *args: Any, **kwargs: Any) -> tuple[str, str, str | None, str | None]:
    with pytest.raises(ShapeError) as info:
        fn(*args, **kwargs)
    err = info.value
    assert str(err) == err.message
    assert err.where == ((err.field,) if err.field else ())
    return err.code, err.message, err.field, err.hint


# --------------------------------------------------------------------------- errors, whole

ERRORS = [
    pytest.param(
        sh.conv_output_length, (10, 3, 1, "full"), {},
        ("KS309", "`padding` must be 'valid', 'same' or 'causal', got 'full'", "padding", None),
        id="conv-padding",
    ),
    pytest.param(
        sh.conv_output_length, (2, 3), {},
        ("KS303", "output length would be (2 - 3) // 1 + 1 = 0: the kernel spans 3 but the input has only 2 "
         "with `padding: valid`", "kernel_size", SAME_HINT),
        id="conv-valid-too-short-defaults",
    ),
    pytest.param(
        sh.conv_output_length, (4, 3, 1, "valid", 2), {"what": "Conv1D output steps"},
        ("KS303", "Conv1D output steps would be (4 - 5) // 1 + 1 = 0: the kernel spans 5 (kernel_size 3, "
         "dilation_rate 2) but the input has only 4 with `padding: valid`", "kernel_size", SAME_HINT),
        id="conv-valid-too-short-dilated",
    ),
    pytest.param(
        sh.pool_output_length, (10, 2, None, "causal"), {},
        ("KS309", "`padding` must be 'valid' or 'same', got 'causal'", "padding", None),
        id="pool-padding",
    ),
    pytest.param(
        sh.pool_output_length, (1, 2), {},
        ("KS303", "output length would be (1 - 2) // 2 + 1 = 0: the pooling window (2) is larger than the "
         "input (1) with `padding: valid`", "pool_size", POOL_HINT),
        id="pool-window-too-large-defaults",
    ),
    pytest.param(
        sh.deconv_output_length, (4, 3, 1, "causal"), {},
        ("KS309", "`padding` must be 'valid' or 'same', got 'causal'", "padding", None),
        id="deconv-padding",
    ),
    pytest.param(
        sh.deconv_output_length, (0, 2, 2, "same", 0), {},
        ("KS303", "output length would be -2: the input has size 0", "kernel_size", DECONV_HINT),
        id="deconv-same-negative",
    ),
    pytest.param(
        sh.deconv_output_length, (0, 1, 3, "valid", 0), {"what": "Conv2DTranspose output rows"},
        ("KS303", "Conv2DTranspose output rows would be -2: the input has size 0", "kernel_size", DECONV_HINT),
        id="deconv-valid-negative",
    ),
    pytest.param(
        sh.conv_output_shape, ((None, 5, 5), 4, (3, 3), (1, 1)), {},
        ("KS302", "Conv expects an input of rank 4, got rank 3: (None, 5, 5)", None, None),
        id="conv-rank",
    ),
    pytest.param(
        sh.conv_output_shape, ((None, 2, 3), 4, (3,), (1,)), {"layer": "Conv1D"},
        ("KS303", "Conv1D output steps would be (2 - 3) // 1 + 1 = 0: the kernel spans 3 but the input has "
         "only 2 with `padding: valid`", "kernel_size", SAME_HINT),
        id="conv-shape-names-the-axis",
    ),
    pytest.param(
        sh.conv_transpose_output_shape, ((None, 5), 4, (3, 3), (1, 1)), {},
        ("KS302", "ConvTranspose expects an input of rank 4, got rank 2: (None, 5)", None, None),
        id="deconv-rank",
    ),
    pytest.param(
        sh.conv_transpose_output_shape, ((None, 0, 3), 4, (2,), (2,), "same", (0,)), {"layer": "Conv1DTranspose"},
        ("KS303", "Conv1DTranspose output steps would be -2: the input has size 0", "kernel_size", DECONV_HINT),
        id="deconv-shape-names-the-axis",
    ),
    pytest.param(
        sh.pool_output_shape, ((None, 5, 3), (2, 2)), {},
        ("KS302", "Pooling expects an input of rank 4, got rank 3: (None, 5, 3)", None, None),
        id="pool-rank",
    ),
    pytest.param(
        sh.pool_output_shape, ((None, 1, 3, 2), (2, 2)), {},
        ("KS303", "Pooling output rows would be (1 - 2) // 2 + 1 = 0: the pooling window (2) is larger than "
         "the input (1) with `padding: valid`", "pool_size", POOL_HINT),
        id="pool-shape-names-the-axis",
    ),
    pytest.param(
        sh.cropping2d_output_shape, ((None, 4, 6, 1), ((1, 3), (0, 0))), {},
        ("KS303", "Cropping2D output rows would be 4 - 1 - 3 = 0: it crops 4 of 4 rows", "cropping",
         "crop fewer than 4 rows in total"),
        id="cropping2d-rows",
    ),
    pytest.param(
        sh.cropping2d_output_shape, ((None, 4, 6, 1), ((0, 0), (5, 2))), {},
        ("KS303", "Cropping2D output cols would be 6 - 5 - 2 = -1: it crops 7 of 6 cols", "cropping",
         "crop fewer than 6 cols in total"),
        id="cropping2d-cols",
    ),
    pytest.param(
        sh.cropping_output_shape, ((None, 5, 2), ((2, 4),)), {},
        ("KS303", "Cropping output steps would be 5 - 2 - 4 = -1: it crops 6 of 5 steps", "cropping",
         "crop fewer than 5 steps in total"),
        id="cropping-default-layer",
    ),
    pytest.param(
        sh.validate_target_shape, ((2, -3, -5),), {},
        ("KS304", "`target_shape` [2, -3, -5] has size -3: sizes must be >= 0, or -1 for one inferred size",
         "target_shape", None),
        id="target-negative",
    ),
    pytest.param(
        sh.validate_target_shape, ((4, -2),), {},
        ("KS304", "`target_shape` [4, -2] has size -2: sizes must be >= 0, or -1 for one inferred size",
         "target_shape", None),
        id="target-minus-two",
    ),
    pytest.param(
        sh.validate_target_shape, ((-1, 4, -1),), {},
        ("KS304", "`target_shape` [-1, 4, -1] has more than one -1: Keras can infer only one size",
         "target_shape", "give every size but one explicitly"),
        id="target-two-inferred",
    ),
    pytest.param(
        sh.reshape_output_shape, ((None, 2, 3), (4, 2)), {},
        ("KS304", "cannot reshape (None, 2, 3) (6 values per sample) to [4, 2] (8 values)", "target_shape",
         "the target must hold 6 values; use -1 for one size to infer it, e.g. [-1]"),
        id="reshape-size",
    ),
    pytest.param(
        sh.reshape_output_shape, ((None, 2, 3), (-1, 4)), {},
        ("KS304", "cannot reshape (None, 2, 3) (6 values per sample) to [-1, 4]: 6 is not divisible by the "
         "product of the given sizes (4)", "target_shape", "choose sizes whose product divides 6"),
        id="reshape-indivisible",
    ),
    pytest.param(
        sh.reshape_output_shape, ((None, 2, 3), (-1, 0)), {},
        ("KS304", "cannot reshape (None, 2, 3) (6 values per sample) to [-1, 0]: 6 is not divisible by the "
         "product of the given sizes (0)", "target_shape", "choose sizes whose product divides 6"),
        id="reshape-zero-with-inferred",
    ),
    pytest.param(
        sh.validate_permutation, ((1, 1),), {},
        ("KS309", "Permute `dims` [1, 1] must hold each of 1..2 exactly once (axes count from 1, after the "
         "batch axis)", "dims", "e.g. [2, 1] reverses the axes"),
        id="permute-repeat",
    ),
    pytest.param(
        sh.validate_permutation, ((3, 1, 1),), {},
        ("KS309", "Permute `dims` [3, 1, 1] must hold each of 1..3 exactly once (axes count from 1, after the "
         "batch axis)", "dims", "e.g. [3, 2, 1] reverses the axes"),
        id="permute-three",
    ),
    pytest.param(
        sh.normalize_axis, (3, 3), {},
        ("KS309", "layer `axis` 3 is out of range for an input of rank 3: it must be in [-3, 2]", "axis", AXIS_HINT),
        id="axis-too-large-defaults",
    ),
    pytest.param(
        sh.normalize_axis, (-5, 4), {"field": "axes", "layer": "LayerNormalization"},
        ("KS309", "LayerNormalization `axis` -5 is out of range for an input of rank 4: it must be in [-4, 3]",
         "axes", AXIS_HINT),
        id="axis-too-small",
    ),
]


@pytest.mark.parametrize(("fn", "args", "kwargs", "expected"), ERRORS)
def test_shape_errors(fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any], expected: tuple[Any, ...]) -> None:
    assert error_of(fn, *args, **kwargs) == expected


# --------------------------------------------------------------------------- values

VALUES = [
    # Keras facts (checked in Keras below): defaults, dilation, edges.
    pytest.param(sh.conv_output_length, (5, 3), {}, 3, id="conv-defaults"),
    pytest.param(sh.pool_output_length, (5, 2), {}, 2, id="pool-defaults"),
    pytest.param(sh.pool_output_length, (2, 2), {}, 1, id="pool-exactly-one"),
    pytest.param(sh.deconv_output_length, (5, 3), {}, 7, id="deconv-defaults"),
    pytest.param(sh.effective_kernel, (3,), {}, 3, id="effective-kernel-default"),
    pytest.param(sh.effective_kernel, (3, 2), {}, 5, id="effective-kernel-dilated"),
    pytest.param(sh.conv_transpose_output_shape, ((None, 5, 1), 2, (3,), (1,), "valid", None, None, (2,)), {},
                 (None, 9, 2), id="deconv-dilated"),
    pytest.param(sh.conv_transpose_output_shape, ((None, 5, 1), 2, (3,), (1,)), {}, (None, 7, 2),
                 id="deconv-undilated"),
    pytest.param(sh.flatten_output_shape, ((4, None, 3),), {}, (4, None), id="flatten-unknown-keeps-batch"),
    pytest.param(sh.reshape_output_shape, ((4, None), (-1,)), {}, (4, None), id="reshape-unknown-keeps-batch"),
    pytest.param(sh.reshape_output_shape, ((None, 6), (-1, 2)), {}, (None, 3, 2), id="reshape-inferred"),
    pytest.param(sh.cropping_output_shape, ((None, None, 5, 2), ((1, 1), (1, 1))), {}, (None, None, 3, 2),
                 id="cropping-unknown-then-known"),
    pytest.param(sh.cropping2d_output_shape, ((None, None, 5, 2), ((1, 1), (1, 2))), {}, (None, None, 2, 2),
                 id="cropping2d-unknown-then-known"),
    pytest.param(sh.global_pool_output_shape, ((None, 4, 4, 3),), {}, (None, 3), id="global-pool-default"),
    pytest.param(sh.permute_output_shape, ((None,), ()), {}, (None,), id="permute-nothing"),
    pytest.param(sh.axis_names, (1,), {}, ("steps",), id="axis-names-1"),
    pytest.param(sh.axis_names, (4,), {}, ("axis 1", "axis 2", "axis 3", "axis 4"), id="axis-names-4"),
    pytest.param(sh.axis_names, (0,), {}, (), id="axis-names-0"),
    pytest.param(sh.fmt_shape, ((None, 28, 1),), {}, "(None, 28, 1)", id="fmt-shape"),
    pytest.param(sh.fmt_shape, ((5,),), {}, "(5,)", id="fmt-shape-1"),
    pytest.param(sh.fmt_shape, ((None,),), {}, "(None,)", id="fmt-shape-none"),
    pytest.param(sh.fmt_shape, ((),), {}, "()", id="fmt-shape-0"),
    pytest.param(sh.fmt_list, ((None, 3),), {}, "[null, 3]", id="fmt-list"),
    pytest.param(sh.fmt_list, ((),), {}, "[]", id="fmt-list-0"),
]


@pytest.mark.parametrize(("fn", "args", "kwargs", "expected"), VALUES)
def test_shape_values(fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any], expected: Any) -> None:
    result = fn(*args, **kwargs)
    assert result == expected
    if isinstance(expected, tuple):
        assert [type(d) for d in result] == [type(d) for d in expected]  # 3, not 3.0


@pytest.mark.parametrize(
    ("fn", "args"),
    [
        (sh.cropping2d_output_shape, ((None, 4, 6, 1), ((1, 1),))),
        (sh.cropping_output_shape, ((None, 4, 6, 1), ((1, 1),))),
        (sh.zero_padding2d_output_shape, ((None, 4, 6, 1), ((1, 1),))),
        (sh.zero_padding_output_shape, ((None, 4, 6, 1), ((1, 1),))),
        (sh.upsampling2d_output_shape, ((None, 4, 6, 1), (2,))),
        (sh.upsampling_output_shape, ((None, 4, 6, 1), (2,))),
    ],
)
def test_one_entry_per_spatial_axis(fn: Any, args: tuple[Any, ...]) -> None:
    """The per-axis arguments must cover every spatial axis: a short one is a caller's bug, not ignored."""
    with pytest.raises(ValueError, match="zip"):
        fn(*args)


def test_shape_error_inside_points_deeper() -> None:
    err = ShapeError("KS303", "m", "kernel_size").inside("layers", 2)
    assert err.where == ("layers", 2, "kernel_size")
    assert ShapeError("KS302", "m").inside("layer").where == ("layer",)


# --------------------------------------------------------------------------- EinsumDense

EINSUM_BUILDS = [
    # (equation, bias_axes, input shape, output_shape argument, (kernel, bias, output)): Keras's build.
    ("ab,bc->ac", "c", (None, 4), 8, ((4, 8), (8,), (None, 8))),
    ("ab,bc->ac", None, (None, 4), 8, ((4, 8), None, (None, 8))),
    ("ab,bc->ac", "c", (None, 4), (8,), ((4, 8), (8,), (None, 8))),
    ("...b,bc->...c", "c", (None, 3, 4), 8, ((4, 8), (8,), (None, 3, 8))),
    ("...b,bc->...c", "c", (None, 2, 3, 4), 8, ((4, 8), (8,), (None, 3, 2, 8))),  # elided axes reversed
    ("...b,bc->...c", "c", (None, 4), 8, ((4, 8), (8,), (None, 8))),
    ("...ab,bc->...ac", "c", (None, 4), 8, ((4, 8), (8,), (None, 8))),
    ("abc,cd->abd", "d", (None, 3, 4), (3, 8), ((4, 8), (8,), (None, 3, 8))),
    ("abc,cd->abd", "bd", (None, 3, 4), (3, 8), ((4, 8), (3, 8), (None, 3, 8))),
    ("abcd,de->abce", "be", (None, 3, 2, 4), (3, 2, 8), ((4, 8), (3, 1, 8), (None, 3, 2, 8))),
    ("ab...,bc->ac...", "c", (None, 4, 5, 6), 8, ((4, 8), (8, 1, 1), (None, 8, 5, 6))),
    ("ab...,bc->ac...", None, (None, 4, 5, 6), 8, ((4, 8), None, (None, 8, 5, 6))),
    ("ab,bc->ac,extra", "c", (None, 4), 8, ((4, 8), (8,), (None, 8))),  # text after the match is ignored
    ("ab,bc->ac", "c", (8, 4), 8, ((4, 8), (8,), (8, 8))),  # a known batch size is kept
    ("ab,bc->ac", "c", (None, 3, 4), 8, ((3, 8), (8, 1), (None, 8, 4))),  # extra axes trail, as with '...' on the right
    ("ab...,bc->ac...", "c", (None, 4, 5), 8, ((4, 8), (8, 1), (None, 8, 5))),
    ("ab,bc->acc", "c", (None, 4), (8, 8), ((4, 8), (8, 8), (None, 8, 8))),  # the bias starts at the first 'c'
]

EINSUM_NOT_BUILT = [
    # Built here with a None left in: Keras's add_weight refuses it, the caller reports that.
    ("abc,cd->abd", None, (None, 3, 4), (None, 8), ((4, 8), None, (None, None, 8))),
    ("...ab,bc->...ac", "c", (None, 4), (None, 8), ((4, None), (None,), (None, None, 8))),
]

EINSUM_ERRORS = [
    # (equation, bias_axes, input shape, output_shape, (message, field, hint)): Keras raises for each.
    ("abc,cd->abd", "d", (None, 3, 4), 8,
     ("EinsumDense `output_shape` [8] gives axis 'b' the size 8, but the input has 3 there: (None, 3, 4)",
      "output_shape", "an axis the input and the output share keeps its size: use 3 (or null) for it")),
    ("abc,cd->abd", "d", (None, None, 4), (5, 8),
     ("EinsumDense `output_shape` [5, 8] gives axis 'b' the size 5, but the input has an unknown size there: "
      "(None, None, 4)", "output_shape", "an axis the input and the output share keeps its size: use null (or null) for it")),
    ("abc,cd->abd", "d", (None, 3, 4), (),
     ("EinsumDense `output_shape` [] is too short for the equation's output 'abd' (with the batch axis first, "
      "the output would be (None,))", "output_shape",
      "give `output_shape` one size per letter of 'abd' after the batch (null for any)")),
    ("abc,cd->abd", "d", (None,), (3, 8),
     ("EinsumDense `equation` 'abc,cd->abd' names more input axes ('abc') than the input (None,) has (the batch "
      "axis is the first letter)", "equation",
      "write one letter per input axis, the batch included, or use '...' for the leading axes")),
    ("ab,bc->ad", "d", (None, 4), 8,
     ("EinsumDense `equation` 'ab,bc->ad': output axis 'd' is in neither the input ('ab') nor the kernel ('bc')",
      "equation", "every output letter must come from the input or the kernel")),
    ("ab,bcz->ac", "c", (None, 4), 8,
     ("EinsumDense `equation` 'ab,bcz->ac': kernel axis 'z' is in neither the input ('ab') nor the output ('ac'), "
      "so its size is unknown", "equation", "every kernel letter must also appear in the input or the output")),
    ("ab,bc->ac", "z", (None, 4), 8,
     ("EinsumDense `bias_axes` 'z' names axis 'z', which is not in the equation's output 'ac'", "bias_axes",
      "use letters of 'ac', e.g. 'c' for a bias per output unit")),
    ("ab,bc->ac", "", (None, 4), 8,
     ("EinsumDense `bias_axes` is empty: Keras needs at least one output axis (min() of an empty sequence)",
      "bias_axes", "name the axes to add a bias on, e.g. 'c', or leave `bias_axes` out for no bias")),
    ("abc,cd->abd", "z", (None, 3, 4), (3, 8),
     ("EinsumDense `bias_axes` 'z' names axis 'z', which is not in the equation's output 'abd'", "bias_axes",
      "use letters of 'abd', e.g. 'd' for a bias per output unit")),
    ("abc,cd->abd", "", (None, 3, 4), (3, 8),
     ("EinsumDense `bias_axes` is empty: Keras needs at least one output axis (min() of an empty sequence)",
      "bias_axes", "name the axes to add a bias on, e.g. 'd', or leave `bias_axes` out for no bias")),
    ("ab->c", None, (None, 4), 8,
     ("EinsumDense `equation` 'ab->c' is not an einsum of the input and the kernel: Keras takes '[X],[Y]->[Z]', "
      "'...[X],[Y]->...[Z]' or '[X]...,[Y]->[Z]...' (letters only)", "equation",
      "e.g. 'ab,bc->ac' (a Dense layer) or '...b,bc->...c' (Dense on the last axis)")),
]


@pytest.mark.parametrize(("equation", "bias_axes", "shape", "output_shape", "expected"), EINSUM_BUILDS + EINSUM_NOT_BUILT)
def test_einsum_dense_shapes(equation: str, bias_axes: str | None, shape: Any, output_shape: Any, expected: Any) -> None:
    result = sh.einsum_dense_shapes(equation, bias_axes, shape, output_shape)
    assert isinstance(result, sh.EinsumShapes)
    assert (result.kernel, result.bias, result.output) == expected
    assert all(isinstance(part, tuple) for part in result if part is not None)


@pytest.mark.parametrize(("equation", "bias_axes", "shape", "output_shape", "expected"), EINSUM_ERRORS)
def test_einsum_dense_errors(equation: str, bias_axes: str | None, shape: Any, output_shape: Any, expected: Any) -> None:
    assert error_of(sh.einsum_dense_shapes, equation, bias_axes, shape, output_shape) == ("KS309", *expected)


# --------------------------------------------------------------------------- Keras agrees


@pytest.mark.slow
@pytest.mark.keras
def test_einsum_rows_are_what_keras_builds() -> None:
    keras = pytest.importorskip("keras")
    for equation, bias_axes, shape, output_shape, (kernel, bias, output) in EINSUM_BUILDS:
        layer = keras.layers.EinsumDense(equation, output_shape=output_shape, bias_axes=bias_axes)
        model = keras.Sequential([keras.Input(batch_shape=shape), layer])
        built = (tuple(layer.kernel.shape), None if layer.bias is None else tuple(layer.bias.shape), model.output_shape)
        assert built == (kernel, bias, output), equation
    for equation, bias_axes, shape, output_shape, _ in EINSUM_ERRORS:
        layer = keras.layers.EinsumDense(equation, output_shape=output_shape, bias_axes=bias_axes)
        with pytest.raises((ValueError, IndexError)):
            keras.Sequential([keras.Input(batch_shape=shape), layer])


@pytest.mark.slow
@pytest.mark.keras
def test_value_rows_are_what_keras_builds() -> None:
    keras = pytest.importorskip("keras")
    L = keras.layers
    rows = [
        (L.Conv1D(2, 3), (None, 5, 1), (None, 3, 2)),  # conv-defaults
        (L.MaxPooling1D(2), (None, 5, 1), (None, 2, 1)),  # pool-defaults
        (L.MaxPooling1D(2), (None, 2, 1), (None, 1, 1)),  # pool-exactly-one
        (L.Conv1DTranspose(2, 3), (None, 5, 1), (None, 7, 2)),  # deconv-defaults, undilated
        (L.Conv1DTranspose(2, 3, dilation_rate=2), (None, 5, 1), (None, 9, 2)),  # deconv-dilated
        (L.Flatten(), (4, None, 3), (4, None)),
        (L.Reshape((-1,)), (4, None), (4, None)),
        (L.Reshape((-1, 2)), (None, 6), (None, 3, 2)),
        (L.Cropping2D(((1, 1), (1, 1))), (None, None, 5, 2), (None, None, 3, 2)),
        (L.Cropping2D(((1, 1), (1, 2))), (None, None, 5, 2), (None, None, 2, 2)),
        (L.GlobalAveragePooling2D(), (None, 4, 4, 3), (None, 3)),
        (L.Permute(()), (None,), (None,)),
    ]
    for layer, shape, expected in rows:
        assert keras.Sequential([keras.Input(batch_shape=shape), layer]).output_shape == expected, layer


# --------------------------------------------------------------------------- the analysis (KS211-KS213, KS301-KS309, KS505)



def summary(analysis: Any) -> tuple[Any, ...]:
    layers = [(i.name, i.type, i.output_shape, i.trainable_params, i.non_trainable_params, i.path) for i in analysis.layers]
    diagnostics = [(d.code, d.severity.value, d.path, d.message, d.hint) for d in analysis.diagnostics]
    return analysis.input_shape, analysis.complete, layers, diagnostics


#: (spec, input shape, complete, [(name, type, output, trainable, non-trainable, path)],
#:  [(code, severity, path, message, hint)]): the whole analysis, a row per branch.
ANALYSES = [
    pytest.param(
        {'input_shape': [5], 'layers': [{'type': 'Input', 'shape': [4]}, {'type': 'Dense', 'units': 2}]},
        (None, 5), True,
        [('dense', 'Dense', (None, 2), 12, 0, ('layers', 1))],
        [('KS211', 'error', '/layers/0', 'the input shape is given twice: top-level `input_shape` [5] and a first Input layer with shape [4]', 'keep one: remove the Input layer or the top-level `input_shape`')],
        id='input-twice-input-layer',
    ),
    pytest.param(
        {'input_shape': [5], 'layers': [{'type': 'Dense', 'units': 2, 'input_shape': [3]}]},
        (None, 5), True,
        [('dense', 'Dense', (None, 2), 12, 0, ('layers', 0))],
        [('KS211', 'error', '/layers/0/input_shape', 'the input shape is given twice: top-level `input_shape` [5] and `input_shape` on the first layer (Dense)', 'remove `input_shape` from the first layer, or the top-level `input_shape`')],
        id='input-twice-input-shape',
    ),
    pytest.param(
        {'input_shape': [5], 'layers': [{'type': 'Dense', 'units': 2, 'input_dim': 3}]},
        (None, 5), True,
        [('dense', 'Dense', (None, 2), 12, 0, ('layers', 0))],
        [('KS211', 'error', '/layers/0/input_dim', 'the input shape is given twice: top-level `input_shape` [5] and `input_dim` on the first layer (Dense)', 'remove `input_dim` from the first layer, or the top-level `input_shape`')],
        id='input-twice-input-dim',
    ),
    pytest.param(
        {'layers': [{'type': 'Dense', 'units': 2}, {'type': 'Dense', 'units': 2}]},
        None, False,
        [],
        [('KS301', 'error', '/layers/0', 'the model has no input shape: neither a top-level `input_shape`, nor `input_shape`/`input_dim` on the first layer (Dense), nor a first Input layer', 'add `input_shape: [784]` at the top of the spec (the shape of one sample, without the batch)')],
        id='no-input',
    ),
    pytest.param(
        {'layers': [{'type': 'Dense', 'units': 2}, {'type': 'Dense', 'units': 2}, {'type': 'Dense', 'units': 2, 'input_shape': [3]}]},
        None, False,
        [],
        [('KS301', 'error', '/layers/0', 'the model has no input shape: neither a top-level `input_shape`, nor `input_shape`/`input_dim` on the first layer (Dense), nor a first Input layer', 'move `input_shape` from layers[2] to the top of the spec: Keras reads it on the first layer only'), ('KS213', 'warning', '/layers/2/input_shape', '`input_shape` on layers[2] (Dense) is ignored: Keras reads it on the first layer only', 'remove it; the input to this layer comes from the layer before it')],
        id='no-input-late-shape',
    ),
    pytest.param(
        {'layers': [{'type': 'Embedding', 'input_dim': 10, 'output_dim': 4, 'input_length': 7}, {'type': 'Dense', 'units': 2}]},
        None, False,
        [],
        [('KS301', 'error', '/layers/0', 'the model has no input shape: neither a top-level `input_shape`, nor `input_shape`/`input_dim` on the first layer (Embedding), nor a first Input layer', 'Keras 3 ignores `input_length`: give the sequence length as `input_shape: [7]` at the top of the spec'), ('KS213', 'warning', '/layers/0/input_length', '`input_length` on layers[0] (Embedding) is ignored: Keras 3 dropped it ("Argument `input_length` is deprecated. Just remove it.")', 'remove it; the sequence length is part of the input shape (`input_shape: [7]`)')],
        id='no-input-input-length',
    ),
    pytest.param(
        {'layers': [{'type': 'Dense', 'units': 2, 'input_shape': [3], 'input_dim': 3}, {'type': 'Dense', 'units': 2}]},
        None, False,
        [],
        [('KS211', 'error', '/layers/0/input_dim', 'Dense has both `input_shape` [3] and `input_dim` 3; Keras refuses the two together', 'keep one (`input_dim: n` means `input_shape: [n]`)')],
        id='first-both-shape-args',
    ),
    pytest.param(
        {'layers': [{'type': 'Dense', 'units': 2, 'input_dim': 3}]},
        (None, 3), True,
        [('dense', 'Dense', (None, 2), 8, 0, ('layers', 0))],
        [],
        id='first-input-dim',
    ),
    pytest.param(
        {'input_shape': [7], 'layers': [{'type': 'Embedding', 'input_dim': 10, 'output_dim': 4}, {'type': 'Embedding', 'input_dim': 10, 'output_dim': 4, 'input_length': 7}]},
        (None, 7), True,
        [('embedding', 'Embedding', (None, 7, 4), 40, 0, ('layers', 0)), ('embedding_1', 'Embedding', (None, 7, 4, 4), 40, 0, ('layers', 1))],
        [('KS213', 'warning', '/layers/1/input_length', '`input_length` on layers[1] (Embedding) is ignored: Keras 3 dropped it ("Argument `input_length` is deprecated. Just remove it.")', 'remove it; the sequence length is part of the input shape (`input_shape: [7]`)')],
        id='input-length-later',
    ),
    pytest.param(
        {'input_shape': [5], 'layers': [{'type': 'Dense', 'units': 2}, {'type': 'Input', 'shape': [2]}, {'type': 'Dense', 'units': 2, 'input_shape': [2]}]},
        (None, 5), True,
        [('dense', 'Dense', (None, 2), 12, 0, ('layers', 0)), ('dense_1', 'Dense', (None, 2), 6, 0, ('layers', 2))],
        [('KS211', 'error', '/layers/1', 'an Input layer can only be the first layer, found at layers[1]: Keras refuses a second input for a Sequential model', 'remove it; give the input shape once, at the top or as the first layer'), ('KS213', 'warning', '/layers/2/input_shape', '`input_shape` on layers[2] (Dense) is ignored: Keras reads it on the first layer only', 'remove it; the input to this layer comes from the layer before it')],
        id='second-input-then-late-shape',
    ),
    pytest.param(
        {'layers': [{'type': 'Input', 'shape': [5], 'input_shape': [5]}, {'type': 'Dense', 'units': 2}]},
        (None, 5), True,
        [('dense', 'Dense', (None, 2), 12, 0, ('layers', 1))],
        [('KS211', 'error', '/layers/0/input_shape', 'an Input layer takes its shape from `shape`; `input_shape` conflicts with it', 'remove `input_shape`')],
        id='input-layer-with-input-shape',
    ),
    pytest.param(
        {'layers': [{'type': 'InputLayer', 'input_shape': [784]}, {'type': 'Dense', 'units': 10}]},
        (None, 784), True,
        [('dense', 'Dense', (None, 10), 7850, 0, ('layers', 1))],
        [],
        id='input-layer-input-shape',
    ),
    pytest.param(
        {'layers': [{'type': 'Input', 'batch_shape': [None, 784]}, {'type': 'Dense', 'units': 10}]},
        (None, 784), True,
        [('dense', 'Dense', (None, 10), 7850, 0, ('layers', 1))],
        [],
        id='input-batch-shape',
    ),
    pytest.param(
        {'layers': [{'type': 'InputLayer', 'batch_input_shape': [32, 784]}, {'type': 'Dense', 'units': 10}]},
        (32, 784), True,
        [('dense', 'Dense', (32, 10), 7850, 0, ('layers', 1))],
        [],
        id='input-layer-batch-input-shape',
    ),
    pytest.param(
        {'input_shape': [5], 'layers': [{'type': 'Input', 'batch_shape': [None, 4]}, {'type': 'Dense', 'units': 2}]},
        (None, 5), True,
        [('dense', 'Dense', (None, 2), 12, 0, ('layers', 1))],
        [('KS211', 'error', '/layers/0', 'the input shape is given twice: top-level `input_shape` [5] and a first Input layer with shape [4]', 'keep one: remove the Input layer or the top-level `input_shape`')],
        id='input-twice-batch-shape',
    ),
    pytest.param(
        {'input_shape': [10, 8], 'layers': [{'type': 'LSTM', 'units': 64}, {'type': 'LSTM', 'units': 32}]},
        (None, 10, 8), False,
        [('lstm', 'LSTM', (None, 64), 18688, 0, ('layers', 0))],
        [('KS302', 'error', '/layers/1', 'LSTM expects an input of rank 3 (batch, steps, channels), got rank 2: (None, 64)', 'set `return_sequences: true` on layers[0] (LSTM), which passes on its last step only')],
        id='stacked-lstm-last-step',
    ),
    pytest.param(
        {'input_shape': [10, 8], 'layers': [{'type': 'LSTM', 'units': 64}, {'type': 'Dropout', 'rate': 0.2}, {'type': 'GRU', 'units': 32}]},
        (None, 10, 8), False,
        [('lstm', 'LSTM', (None, 64), 18688, 0, ('layers', 0)), ('dropout', 'Dropout', (None, 64), 0, 0, ('layers', 1))],
        [('KS302', 'error', '/layers/2', 'GRU expects an input of rank 3 (batch, steps, channels), got rank 2: (None, 64)', 'set `return_sequences: true` on layers[0] (LSTM), which passes on its last step only')],
        id='stacked-lstm-past-dropout',
    ),
    pytest.param(
        {'input_shape': [10, 8], 'layers': [{'type': 'Bidirectional', 'layer': {'type': 'LSTM', 'units': 4}}, {'type': 'LSTM', 'units': 32}]},
        (None, 10, 8), False,
        [('bidirectional', 'Bidirectional', (None, 8), 416, 0, ('layers', 0))],
        [('KS302', 'error', '/layers/1', 'LSTM expects an input of rank 3 (batch, steps, channels), got rank 2: (None, 8)', 'set `return_sequences: true` on the LSTM inside layers[0] (Bidirectional), which passes on its last step only')],
        id='stacked-bidirectional-last-step',
    ),
    pytest.param(
        {'input_shape': [10, 8], 'layers': [{'type': 'LSTM', 'units': 64}, {'type': 'Dense', 'units': 3}, {'type': 'LSTM', 'units': 32}]},
        (None, 10, 8), False,
        [('lstm', 'LSTM', (None, 64), 18688, 0, ('layers', 0)), ('dense', 'Dense', (None, 3), 195, 0, ('layers', 1))],
        [('KS302', 'error', '/layers/2', 'LSTM expects an input of rank 3 (batch, steps, channels), got rank 2: (None, 3)', 'add `{type: Reshape, target_shape: [3, 1]}` before this layer')],
        id='lstm-dense-lstm-reshape',
    ),

    pytest.param(
        {'input_shape': [5], 'layers': [{'type': 'Dense', 'units': 2}, {'type': 'Dense', 'units': 2, 'input_shape': [2], 'input_dim': 2}]},
        (None, 5), True,
        [('dense', 'Dense', (None, 2), 12, 0, ('layers', 0)), ('dense_1', 'Dense', (None, 2), 6, 0, ('layers', 1))],
        [('KS211', 'error', '/layers/1/input_dim', 'Dense has both `input_shape` [2] and `input_dim` 2; Keras refuses the two together', 'keep one (`input_dim: n` means `input_shape: [n]`)')],
        id='both-shape-args-later',
    ),
    pytest.param(
        {'input_shape': [5], 'layers': [{'type': 'Dense', 'units': 2, 'name': 'a'}, {'type': 'Activation', 'activation': 'relu', 'name': 'a'}]},
        (None, 5), True,
        [('a', 'Dense', (None, 2), 12, 0, ('layers', 0)), ('a', 'Activation', (None, 2), 0, 0, ('layers', 1))],
        [('KS212', 'error', '/layers/1/name', "layer name 'a' is used by layers[0] (Dense) and by layers[1] (Activation); Keras requires unique layer names", 'rename one of them')],
        id='names-two-user',
    ),
    pytest.param(
        {'input_shape': [5], 'layers': [{'type': 'Dense', 'units': 2}, {'type': 'Dense', 'units': 2, 'name': 'dense'}]},
        (None, 5), True,
        [('dense', 'Dense', (None, 2), 12, 0, ('layers', 0)), ('dense', 'Dense', (None, 2), 6, 0, ('layers', 1))],
        [('KS212', 'error', '/layers/1/name', "layer name 'dense' is used by layers[0] (Dense) and by layers[1] (Dense) (Keras names the unnamed Dense at layers[0] 'dense'); Keras requires unique layer names", 'rename one of them')],
        id='names-user-takes-auto',
    ),
    pytest.param(
        {'input_shape': [5], 'layers': [{'type': 'Dense', 'units': 2, 'name': 'dense_1'}, {'type': 'Dense', 'units': 2}, {'type': 'Dense', 'units': 2}]},
        (None, 5), True,
        [('dense_1', 'Dense', (None, 2), 12, 0, ('layers', 0)), ('dense', 'Dense', (None, 2), 6, 0, ('layers', 1)), ('dense_1', 'Dense', (None, 2), 6, 0, ('layers', 2))],
        [('KS212', 'error', '/layers/0/name', "layer name 'dense_1' is used by layers[0] (Dense) and by layers[2] (Dense) (Keras names the unnamed Dense at layers[2] 'dense_1'); Keras requires unique layer names", 'rename one of them')],
        id='names-auto-takes-user',
    ),
    pytest.param(
        {'input_shape': [5], 'layers': [{'type': 'Dense', 'units': 2, 'name': 'input_layer'}]},
        (None, 5), True,
        [('input_layer', 'Dense', (None, 2), 12, 0, ('layers', 0))],
        [('KS212', 'error', '/layers/0/name', "layer name 'input_layer' is used by the model's input layer and by layers[0] (Dense); Keras requires unique layer names", 'rename one of them')],
        id='names-input-layer',
    ),
    pytest.param(
        {'layers': [{'type': 'Input', 'shape': [5], 'name': 'input_layer_1'}, {'type': 'Dense', 'units': 2, 'name': 'input_layer'}]},
        (None, 5), True,
        [('input_layer', 'Dense', (None, 2), 12, 0, ('layers', 1))],
        [],
        id='names-input-first-named',
    ),
    pytest.param(
        {'input_shape': [5], 'layers': [{'type': 'Repeat', 'times': 3, 'layers': [{'type': 'Dense', 'units': 5, 'name': 'h'}]}, {'type': 'Dense', 'units': 2, 'name': 'z'}, {'type': 'Dense', 'units': 2, 'name': 'z'}]},
        (None, 5), True,
        [('h', 'Dense', (None, 5), 30, 0, ('layers', 0, 'layers', 0)), ('h', 'Dense', (None, 5), 30, 0, ('layers', 0, 'layers', 0)), ('h', 'Dense', (None, 5), 30, 0, ('layers', 0, 'layers', 0)), ('z', 'Dense', (None, 2), 12, 0, ('layers', 1)), ('z', 'Dense', (None, 2), 6, 0, ('layers', 2))],
        [('KS212', 'error', '/layers/0/layers/0/name', "layer name 'h' is used by layers[0].layers[0] (Dense) and by layers[0].layers[0] (Dense) (copy 2 of its Repeat block); Keras requires unique layer names", 'leave layers inside a Repeat block unnamed: every copy would get the same name'), ('KS212', 'error', '/layers/2/name', "layer name 'z' is used by layers[1] (Dense) and by layers[2] (Dense); Keras requires unique layer names", 'rename one of them')],
        id='names-repeat-named',
    ),
    pytest.param(
        {'input_shape': [5], 'layers': [{'type': 'Dense', 'units': 2, 'name': 'a'}, {'type': 'Input', 'shape': [2], 'name': 'a'}, {'type': 'Dense', 'units': 2, 'name': 'a'}]},
        (None, 5), True,
        [('a', 'Dense', (None, 2), 12, 0, ('layers', 0)), ('a', 'Dense', (None, 2), 6, 0, ('layers', 2))],
        [('KS211', 'error', '/layers/1', 'an Input layer can only be the first layer, found at layers[1]: Keras refuses a second input for a Sequential model', 'remove it; give the input shape once, at the top or as the first layer'), ('KS212', 'error', '/layers/2/name', "layer name 'a' is used by layers[0] (Dense) and by layers[2] (Dense); Keras requires unique layer names", 'rename one of them')],
        id='names-second-input-then-dup',
    ),
    pytest.param(
        {'input_shape': [3, 4], 'layers': [{'type': 'TimeDistributed', 'layer': {'type': 'Dense', 'units': 3}}, {'type': 'Dense', 'units': 2}, {'type': 'Dense', 'units': 2, 'name': 'dense_1'}]},
        (None, 3, 4), True,
        [('time_distributed', 'TimeDistributed', (None, 3, 3), 15, 0, ('layers', 0)), ('dense_1', 'Dense', (None, 3, 2), 8, 0, ('layers', 1)), ('dense_1', 'Dense', (None, 3, 2), 6, 0, ('layers', 2))],
        [('KS212', 'error', '/layers/2/name', "layer name 'dense_1' is used by layers[1] (Dense) and by layers[2] (Dense) (Keras names the unnamed Dense at layers[1] 'dense_1'); Keras requires unique layer names", 'rename one of them')],
        id='names-wrapper-inner-first',
    ),
    pytest.param(
        {'input_shape': [4], 'layers': [{'type': 'Sequential', 'layers': [{'type': 'Dense', 'units': 3}, {'type': 'Dense', 'units': 3, 'name': 'x'}]}, {'type': 'Dense', 'units': 2, 'name': 'x'}]},
        (None, 4), True,
        [('sequential', 'Sequential', (None, 3), 27, 0, ('layers', 0)), ('x', 'Dense', (None, 2), 8, 0, ('layers', 1))],
        [],
        id='names-nested-block',
    ),
    pytest.param(
        {'input_shape': [4], 'layers': [{'type': 'Sequential', 'layers': [{'type': 'Sequential', 'layers': [{'type': 'Dense', 'units': 3}]}]}, {'type': 'Dense', 'units': 2}]},
        (None, 4), True,
        [('sequential_1', 'Sequential', (None, 3), 15, 0, ('layers', 0)), ('dense_1', 'Dense', (None, 2), 8, 0, ('layers', 1))],
        [],
        id='names-nested-twice',
    ),
    pytest.param(
        {'layers': [{'type': 'Input', 'shape': [5], 'batch_size': 8}, {'type': 'Dense', 'units': 3}, {'type': 'Dense', 'units': 2, 'trainable': False}]},
        (8, 5), True,
        [('dense', 'Dense', (8, 3), 18, 0, ('layers', 1)), ('dense_1', 'Dense', (8, 2), 0, 8, ('layers', 2))],
        [],
        id='batch-size',
    ),
    pytest.param(
        {'input_shape': [5, 1], 'layers': [{'type': 'Repeat', 'times': 3, 'layers': [{'type': 'Conv1D', 'filters': 1, 'kernel_size': 3}]}]},
        (None, 5, 1), False,
        [('conv1d', 'Conv1D', (None, 3, 1), 4, 0, ('layers', 0, 'layers', 0)), ('conv1d_1', 'Conv1D', (None, 1, 1), 4, 0, ('layers', 0, 'layers', 0))],
        [('KS303', 'error', '/layers/0/layers/0/kernel_size', 'Conv1D output steps would be (1 - 3) // 1 + 1 = -1: the kernel spans 3 but the input has only 1 with `padding: valid` (in copy 3 of the Repeat block)', 'use `padding: same`, a smaller `kernel_size`, or fewer downsampling layers before this one')],
        id='repeat-copy-error',
    ),
    pytest.param(
        {'input_shape': [8], 'layers': [{'type': 'Repeat', 'times': 2, 'layers': [{'type': 'Reshape', 'target_shape': [-1, -1]}]}, {'type': 'Reshape', 'target_shape': [2, -1, -1]}]},
        (None, 8), False,
        [],
        [('KS304', 'error', '/layers/0/layers/0/target_shape', '`target_shape` [-1, -1] has more than one -1: Keras can infer only one size', 'give every size but one explicitly'), ('KS304', 'error', '/layers/1/target_shape', '`target_shape` [2, -1, -1] has more than one -1: Keras can infer only one size', 'give every size but one explicitly')],
        id='repeat-arg-error-once',
    ),
    pytest.param(
        {'input_shape': [8], 'layers': [{'type': 'Reshape', 'target_shape': [-1, -1]}, {'type': 'Dense', 'units': 2}]},
        (None, 8), False,
        [],
        [('KS304', 'error', '/layers/0/target_shape', '`target_shape` [-1, -1] has more than one -1: Keras can infer only one size', 'give every size but one explicitly')],
        id='arg-error-stops',
    ),
    pytest.param(
        {'input_shape': [8], 'layers': [{'type': 'Conv2D', 'filters': 2, 'kernel_size': 3}, {'type': 'Dense', 'units': 2}, {'type': 'Reshape', 'target_shape': [-1, -1]}]},
        (None, 8), False,
        [],
        [('KS302', 'error', '/layers/0', 'Conv2D expects an input of rank 4 (batch, rows, cols, channels), got rank 2: (None, 8)', 'add a Reshape to (rows, cols, channels) before it'), ('KS304', 'error', '/layers/2/target_shape', '`target_shape` [-1, -1] has more than one -1: Keras can infer only one size', 'give every size but one explicitly')],
        id='shape-error-stops',
    ),
    pytest.param(
        {'layers': [{'type': 'Dense', 'units': 2}, {'type': 'Reshape', 'target_shape': [-1, -1]}]},
        None, False,
        [],
        [('KS301', 'error', '/layers/0', 'the model has no input shape: neither a top-level `input_shape`, nor `input_shape`/`input_dim` on the first layer (Dense), nor a first Input layer', 'add `input_shape: [784]` at the top of the spec (the shape of one sample, without the batch)'), ('KS304', 'error', '/layers/1/target_shape', '`target_shape` [-1, -1] has more than one -1: Keras can infer only one size', 'give every size but one explicitly')],
        id='no-input-arg-errors',
    ),
    pytest.param(
        {'input_shape': [28, 28, 1], 'layers': [{'type': 'Conv2D', 'filters': 2, 'kernel_size': 3, 'data_format': 'channels_first'}]},
        (None, 28, 28, 1), False,
        [],
        [('KS303', 'error', '/layers/0/kernel_size', 'Conv2D output cols would be (1 - 3) // 1 + 1 = -1: the kernel spans 3 but the input has only 1 with `padding: valid`', 'with data_format channels_first the channels come first: this input reads as 28 channels of 28x1 images; write the input as [1, 28, 28] or use channels_last')],
        id='channels-first-looks-last',
    ),
    pytest.param(
        {'input_shape': [5, 2, 4], 'layers': [{'type': 'Conv2D', 'filters': 2, 'kernel_size': 3, 'data_format': 'channels_first'}]},
        (None, 5, 2, 4), False,
        [],
        [('KS303', 'error', '/layers/0/kernel_size', 'Conv2D output rows would be (2 - 3) // 1 + 1 = 0: the kernel spans 3 but the input has only 2 with `padding: valid`', 'with data_format channels_first the channels come first: this input reads as 5 channels of 2x4 images; write the input as [4, 5, 2] or use channels_last')],
        id='channels-first-last-4',
    ),
    pytest.param(
        {'input_shape': [6, 2, 5], 'layers': [{'type': 'Conv2D', 'filters': 2, 'kernel_size': 3, 'data_format': 'channels_first'}]},
        (None, 6, 2, 5), False,
        [],
        [('KS303', 'error', '/layers/0/kernel_size', 'Conv2D output rows would be (2 - 3) // 1 + 1 = 0: the kernel spans 3 but the input has only 2 with `padding: valid`', 'use `padding: same`, a smaller `kernel_size`, or fewer downsampling layers before this one')],
        id='channels-first-last-5',
    ),
    pytest.param(
        {'input_shape': [4, 2, 3], 'layers': [{'type': 'Conv2D', 'filters': 2, 'kernel_size': 3, 'data_format': 'channels_first'}]},
        (None, 4, 2, 3), False,
        [],
        [('KS303', 'error', '/layers/0/kernel_size', 'Conv2D output rows would be (2 - 3) // 1 + 1 = 0: the kernel spans 3 but the input has only 2 with `padding: valid`', 'use `padding: same`, a smaller `kernel_size`, or fewer downsampling layers before this one')],
        id='channels-first-first-4',
    ),
    pytest.param(
        {'input_shape': [None, 2, 3], 'layers': [{'type': 'Conv2D', 'filters': 2, 'kernel_size': 3, 'data_format': 'channels_first'}]},
        (None, None, 2, 3), False,
        [],
        [('KS308', 'error', '/layers/0', 'Conv2D needs the number of input channels (axis 1 (channels_first)) to create its weights, but its size is unknown: input (None, None, 2, 3)', 'give that axis a size in the input shape (null sizes stay unknown through Flatten and Reshape)')],
        id='channels-first-unknown-first',
    ),
    pytest.param(
        {'input_shape': [6, 2, None], 'layers': [{'type': 'Conv2D', 'filters': 2, 'kernel_size': 3, 'data_format': 'channels_first'}]},
        (None, 6, 2, None), False,
        [],
        [('KS303', 'error', '/layers/0/kernel_size', 'Conv2D output rows would be (2 - 3) // 1 + 1 = 0: the kernel spans 3 but the input has only 2 with `padding: valid`', 'use `padding: same`, a smaller `kernel_size`, or fewer downsampling layers before this one')],
        id='channels-first-unknown-last',
    ),
    pytest.param(
        {'input_shape': [6, 2], 'layers': [{'type': 'Conv1D', 'filters': 2, 'kernel_size': 3, 'data_format': 'channels_first'}]},
        (None, 6, 2), False,
        [],
        [('KS303', 'error', '/layers/0/kernel_size', 'Conv1D output steps would be (2 - 3) // 1 + 1 = 0: the kernel spans 3 but the input has only 2 with `padding: valid`', 'with data_format channels_first the channels come first: this input reads as 6 channels of 2 images; write the input as [2, 6] or use channels_last')],
        id='channels-first-rank3',
    ),
    pytest.param(
        {'input_shape': [6, 2, 3], 'layers': [{'type': 'Conv2D', 'filters': 2, 'kernel_size': 3}]},
        (None, 6, 2, 3), False,
        [],
        [('KS303', 'error', '/layers/0/kernel_size', 'Conv2D output cols would be (2 - 3) // 1 + 1 = 0: the kernel spans 3 but the input has only 2 with `padding: valid`', 'use `padding: same`, a smaller `kernel_size`, or fewer downsampling layers before this one')],
        id='channels-last-error',
    ),
    pytest.param(
        {'input_shape': [6], 'layers': [{'type': 'Conv1D', 'filters': 2, 'kernel_size': 3, 'data_format': 'channels_first'}]},
        (None, 6), False,
        [],
        [('KS302', 'error', '/layers/0', 'Conv1D expects an input of rank 3 (batch, channels, steps), got rank 2: (None, 6)', 'give the input shape the rank this layer needs, e.g. `input_shape: [1, 6]`')],
        id='channels-first-rank2',
    ),
    pytest.param(
        {'input_shape': [28], 'layers': [{'type': 'Conv1D', 'filters': 2, 'kernel_size': 3}]},
        (None, 28), False,
        [],
        [('KS302', 'error', '/layers/0', 'Conv1D expects an input of rank 3 (batch, steps, channels), got rank 2: (None, 28)', 'give the input shape the rank this layer needs, e.g. `input_shape: [28, 1]`')],
        id='conv-on-rank2-first',
    ),
    pytest.param(
        {'input_shape': [28], 'layers': [{'type': 'Dense', 'units': 28}, {'type': 'Conv1D', 'filters': 2, 'kernel_size': 3}]},
        (None, 28), False,
        [('dense', 'Dense', (None, 28), 812, 0, ('layers', 0))],
        [('KS302', 'error', '/layers/1', 'Conv1D expects an input of rank 3 (batch, steps, channels), got rank 2: (None, 28)', 'add `{type: Reshape, target_shape: [28, 1]}` before this layer')],
        id='conv-on-rank2-later',
    ),
    pytest.param(
        {'input_shape': [None], 'layers': [{'type': 'Activation', 'activation': 'relu'}, {'type': 'Conv1D', 'filters': 2, 'kernel_size': 3}]},
        (None, None), False,
        [('activation', 'Activation', (None, None), 0, 0, ('layers', 0))],
        [('KS302', 'error', '/layers/1', 'Conv1D expects an input of rank 3 (batch, steps, channels), got rank 2: (None, None)', 'add `{type: Reshape, target_shape: [-1, 1]}` before this layer')],
        id='conv-on-unknown-later',
    ),
    pytest.param(
        {'input_shape': [None, None], 'layers': [{'type': 'Activation', 'activation': 'relu'}, {'type': 'Conv2D', 'filters': 2, 'kernel_size': 3}]},
        (None, None, None), False,
        [('activation', 'Activation', (None, None, None), 0, 0, ('layers', 0))],
        [('KS302', 'error', '/layers/1', 'Conv2D expects an input of rank 4 (batch, rows, cols, channels), got rank 3: (None, None, None)', 'use Conv1D for an input of rank 3')],
        id='conv2d-on-two-unknown-later',
    ),
    pytest.param(
        {'input_shape': [8, 8, 3], 'layers': [{'type': 'Conv2D', 'filters': 3, 'kernel_size': 3, 'kernel_initializer': 'identity'}]},
        (None, 8, 8, 3), False,
        [],
        [('KS309', 'error', '/layers/0/kernel_initializer', "Conv2D `kernel_initializer` 'identity' only initializes 2D matrices, but the kernel has shape [3, 3, 3, 3]", 'use another one, e.g. the default')],
        id='init-identity-str',
    ),
    pytest.param(
        {'input_shape': [8, 8, 3], 'layers': [{'type': 'Conv2D', 'filters': 3, 'kernel_size': 3, 'kernel_initializer': {'type': 'Identity'}}]},
        (None, 8, 8, 3), False,
        [],
        [('KS309', 'error', '/layers/0/kernel_initializer', "Conv2D `kernel_initializer` 'Identity' only initializes 2D matrices, but the kernel has shape [3, 3, 3, 3]", 'use another one, e.g. the default')],
        id='init-identity-obj',
    ),
    pytest.param(
        {'input_shape': [5], 'layers': [{'type': 'Dense', 'units': 3, 'bias_initializer': 'orthogonal'}]},
        (None, 5), False,
        [],
        [('KS309', 'error', '/layers/0/bias_initializer', "Dense `bias_initializer` 'orthogonal' needs a weight of rank 2 or more, but the bias has shape [3]", 'use another one, e.g. the default (zeros)')],
        id='init-bias',
    ),
    pytest.param(
        {'input_shape': [8, 8, 3], 'layers': [{'type': 'SeparableConv2D', 'filters': 2, 'kernel_size': 3, 'depthwise_initializer': 'identity'}]},
        (None, 8, 8, 3), False,
        [],
        [('KS309', 'error', '/layers/0/depthwise_initializer', "SeparableConv2D `depthwise_initializer` 'identity' only initializes 2D matrices, but the depthwise kernel has shape [3, 3, 3, 1]", 'use another one, e.g. the default')],
        id='init-depthwise',
    ),
    pytest.param(
        {'input_shape': [6, 6], 'layers': [{'type': 'Activation', 'activation': 'relu'}, {'type': 'Conv2D', 'filters': 2, 'kernel_size': 3}]},
        (None, 6, 6), False,
        [('activation', 'Activation', (None, 6, 6), 0, 0, ('layers', 0))],
        [('KS302', 'error', '/layers/1', 'Conv2D expects an input of rank 4 (batch, rows, cols, channels), got rank 3: (None, 6, 6)', 'add `{type: Reshape, target_shape: [6, 6, 1]}` before this layer; or use Conv1D for an input of rank 3')],
        id='conv2d-on-rank3-later',
    ),
]


@pytest.mark.parametrize(("data", "input_shape", "complete", "layers", "diagnostics"), ANALYSES)
def test_analysis(data: dict[str, Any], input_shape: Any, complete: bool, layers: list[Any], diagnostics: list[Any]) -> None:
    spec = S.Spec.model_validate(data)
    analysis = analyse_shapes(spec)
    assert summary(analysis) == (input_shape, complete, layers, diagnostics)
    for info in analysis.layers:
        assert info.index == info.path[1]
        assert info.params == info.trainable_params + info.non_trainable_params
    # A memo gives the same analysis, the first time and the next.
    memo: dict[Any, Any] = {}
    assert summary(analyse_shapes(spec, memo=memo)) == summary(analysis)
    assert summary(analyse_shapes(spec, memo=memo)) == summary(analysis)


def _dense(units: int, n: int) -> list[dict[str, Any]]:
    return [{"type": "Dense", "units": units}] * n


@pytest.mark.parametrize(
    ("data", "input_shape", "expected"),
    [
        pytest.param(
            {"input_shape": [4], "layers": [*_dense(4, 1), {"type": "Repeat", "times": MAX_LAYERS + 1, "layers": _dense(4, 1)}]},
            (None, 4),
            ("KS505", "error", "/layers/1/times",
             f"the model has {MAX_LAYERS + 2} layers once Repeat is written out, more than the 900 Keras can build: it "
             "builds and loads a Sequential model's graph with one recursive call per layer, and fails with "
             "RecursionError near 1,000",
             "use at most 900 layers, or group them in nested blocks ({type: Sequential, layers: [...]}), each one "
             "layer of the model around it"),
            id="repeat",
        ),
        pytest.param(
            {"layers": [{"type": "Input", "shape": [4], "batch_size": 8}, *[{"type": "Activation", "activation": "relu"}] * 901]},
            (8, 4),
            ("KS505", "error", "/layers",
             "the model has 901 layers, more than the 900 Keras can build: it builds and loads a Sequential model's "
             "graph with one recursive call per layer, and fails with RecursionError near 1,000",
             "use at most 900 layers, or group them in nested blocks ({type: Sequential, layers: [...]}), each one "
             "layer of the model around it"),
            id="plain-list-with-batch",
        ),
        pytest.param(
            {"input_shape": [4], "layers": [{"type": "Sequential", "layers": [{"type": "Repeat", "times": 901, "layers": _dense(4, 1)}]}]},
            (None, 4),
            ("KS505", "error", "/layers/0/layers/0/times",
             "this nested block has 901 layers once Repeat is written out, more than the 900 Keras can build: it "
             "builds and loads a Sequential model's graph with one recursive call per layer, and fails with "
             "RecursionError near 1,000",
             "use at most 900 layers, or group them in nested blocks ({type: Sequential, layers: [...]}), each one "
             "layer of the model around it"),
            id="nested",
        ),
    ],
)
def test_too_many_layers_are_refused_unexpanded(data: dict[str, Any], input_shape: Any, expected: tuple[Any, ...]) -> None:
    analysis = analyse_shapes(S.Spec.model_validate(data))
    assert summary(analysis) == (input_shape, False, [], [expected])


def test_as_many_layers_as_keras_builds_only_warn() -> None:
    data = {"input_shape": [4], "layers": [{"type": "Repeat", "times": MAX_LAYERS, "layers": [{"type": "Activation", "activation": "relu"}]}]}
    analysis = analyse_shapes(S.Spec.model_validate(data))
    assert [(d.code, d.severity.value, d.path) for d in analysis.diagnostics] == [("KS505", "warning", "/layers/0/times")]
    assert analysis.complete and len(analysis.layers) == MAX_LAYERS


def test_too_many_layers_without_input() -> None:
    data = {"layers": [{"type": "Repeat", "times": 901, "layers": _dense(4, 1)}]}
    input_shape, complete, layers, diagnostics = summary(analyse_shapes(S.Spec.model_validate(data)))
    assert (input_shape, complete, layers) == (None, False, [])
    assert [(d[0], d[2]) for d in diagnostics] == [("KS301", "/layers/0"), ("KS505", "/layers/0/times")]


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        pytest.param(
            {"input_shape": [4], "layers": [{"type": "Repeat", "times": SLOW_LAYERS + 1, "layers": _dense(4, 1)}]},
            "/layers/0/times",
            f"the model has {SLOW_LAYERS + 1} layers once Repeat is written out: Keras takes minutes to trace its "
            "first training step and to load the saved model (500 Dense layers on 2 CPU cores: 6 minutes and 2 minutes)",
            id="model",
        ),
        pytest.param(
            {"input_shape": [4], "layers": _dense(4, SLOW_LAYERS + 1)},
            "/layers",
            f"the model has {SLOW_LAYERS + 1} layers: Keras takes minutes to trace its first training step and to "
            "load the saved model (500 Dense layers on 2 CPU cores: 6 minutes and 2 minutes)",
            id="plain-list",
        ),
        pytest.param(
            {"input_shape": [4], "layers": [{"type": "Sequential", "layers": [{"type": "Repeat", "times": 501, "layers": _dense(4, 1)}]}]},
            "/layers/0/layers/0/times",
            "this nested block has 501 layers once Repeat is written out: Keras takes minutes to trace its first "
            "training step and to load the saved model (500 Dense layers on 2 CPU cores: 6 minutes and 2 minutes)",
            id="nested",
        ),
    ],
)
def test_many_layers_warn_and_are_analysed(data: dict[str, Any], path: str, message: str) -> None:
    analysis = analyse_shapes(S.Spec.model_validate(data))
    hint = "fewer layers train and load faster; a deep MLP rarely needs hundreds of layers"
    assert summary(analysis)[3] == [("KS505", "warning", path, message, hint)]
    assert analysis.complete and analysis.output_shape == (None, 4)
    assert analysis.total_params == 20 * 501


def test_an_unanalysable_layer_stops_inference_quietly() -> None:
    """A layer that failed validation: no diagnostic of its own, later layers keep their argument checks."""
    spec = S.Spec.model_validate(
        {"input_shape": [4], "layers": [{"type": "Dense", "units": 3}, {"type": "Dense", "units": 2},
                                        {"type": "Reshape", "target_shape": [-1, -1]}]}
    )
    spec = spec.model_copy(update={"layers": [spec.layers[0], Unanalysable.of("Dense"), *spec.layers[1:]]})
    analysis = analyse_shapes(spec)
    assert summary(analysis) == (
        (None, 4), False, [("dense", "Dense", (None, 3), 15, 0, ("layers", 0))],
        [("KS304", "error", "/layers/3/target_shape",
          "`target_shape` [-1, -1] has more than one -1: Keras can infer only one size",
          "give every size but one explicitly")],
    )
    assert summary(analyse_shapes(spec, memo={})) == summary(analysis)


def test_memo_results_are_reused() -> None:
    """An entry in the memo stands for the layer's result: analysing again does not recompute it."""
    spec = S.Spec.model_validate({"input_shape": [5], "layers": [{"type": "Dense", "units": 5}, {"type": "Dense", "units": 3}]})
    first, second = spec.layers
    memo: dict[Any, Any] = {}
    plain = summary(analyse_shapes(spec))
    assert summary(analyse_shapes(spec, memo=memo)) == plain
    assert set(memo) == {(id(first), None), (id(first), (None, 5)), (id(second), None), (id(second), (None, 5))}
    assert memo[(id(second), (None, 5))] == (second, ((None, 3), 18, 0), None)
    assert memo[(id(first), None)] == (first, [], None)
    memo[(id(second), (None, 5))] = (second, ((None, 7), 1, 2), None)
    reused = analyse_shapes(spec, memo=memo)
    assert [(i.output_shape, i.trainable_params, i.non_trainable_params) for i in reused.layers] == [
        ((None, 5), 30, 0), ((None, 7), 1, 2)]
    memo[(id(first), None)] = (first, [ShapeError("KS304", "from the memo", "units")], None)
    assert summary(analyse_shapes(spec, memo=memo))[3] == [("KS304", "error", "/layers/0/units", "from the memo", None)]


def test_memo_reraises_a_cached_error() -> None:
    spec = S.Spec.model_validate({"input_shape": [8], "layers": [{"type": "Conv1D", "filters": 2, "kernel_size": 3}]})
    (conv,) = spec.layers
    memo: dict[Any, Any] = {}
    for _ in range(2):
        with pytest.raises(ShapeError) as info:
            _memoized(memo, conv, (None, 8))
        assert info.value.code == "KS302"
        assert info.value.__traceback__ is not None
    layer, result, error = memo[(id(conv), (None, 8))]
    assert (layer, result, error) == (conv, None, info.value)
    assert _memoized(memo, conv, None) == [] and _memoized(None, conv, None) == []
    assert _memoized(None, conv, (None, 8, 1)) == ((None, 6, 2), 8, 0)


@pytest.mark.parametrize(
    ("err", "first", "expected"),
    [
        (ShapeError("KS302", "m", reshape_to=(28, 1)), True, "give the input shape the rank this layer needs, e.g. `input_shape: [28, 1]`"),
        (ShapeError("KS302", "m", reshape_to=(None, 1)), False, "add `{type: Reshape, target_shape: [-1, 1]}` before this layer"),
        (ShapeError("KS302", "m", reshape_to=(None, None, 1)), False, None),
        (ShapeError("KS302", "m", hint="h", reshape_to=(None, None, 1)), False, "h"),
        (ShapeError("KS302", "m", hint="h", reshape_to=(6, 6, 1)), False, "add `{type: Reshape, target_shape: [6, 6, 1]}` before this layer; or h"),
        (ShapeError("KS302", "m", hint="h", reshape_to=(None, 6, 1)), True, "give the input shape the rank this layer needs, e.g. `input_shape: [null, 6, 1]`; or h"),
        (ShapeError("KS302", "m"), True, None),
        (ShapeError("KS302", "m", hint="h"), False, "h"),
    ],
)
def test_hint_for(err: ShapeError, first: bool, expected: str | None) -> None:
    assert _hint_for(err, first) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("layers", 3), "layers[3]"),
        (("layers", 0, "layers", 2), "layers[0].layers[2]"),
        (("layers", 0, "layers", 2, "layers", 1), "layers[0].layers[2].layers[1]"),
        (("layers", 1, "layer"), "layers[1]"),
        ((), ""),
    ],
)
def test_where(path: tuple[Any, ...], expected: str) -> None:
    assert _where(path) == expected


@pytest.mark.parametrize(
    ("data_format", "shape", "expected"),
    [
        ("channels_first", (None, 28, 28, 1), True),
        ("channels_first", (None, 5, 4), True),
        ("channels_first", (None, 5, 5), False),
        ("channels_first", (None, 4, 1), False),
        ("channels_first", (None, None, 1), False),
        ("channels_first", (None, 28, None), False),
        ("channels_first", (None, 28), False),
        ("channels_last", (None, 28, 28, 1), False),
        (None, (None, 28, 28, 1), False),
    ],
)
def test_looks_channels_last(data_format: str | None, shape: tuple[Any, ...], expected: bool) -> None:
    layer = S.Spec.model_validate(
        {"input_shape": [8, 8, 3], "layers": [{"type": "Conv2D", "filters": 1, "kernel_size": 1,
                                                **({"data_format": data_format} if data_format else {})}]}
    ).layers[0]
    assert _looks_channels_last(layer, shape) is expected


def test_check_initializers_looks_past_weights_without_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """A weight without an initializer field (a wrapper's inner weights are so) is skipped, not the end."""
    (dense,) = S.Spec.model_validate(
        {"input_shape": [3], "layers": [{"type": "Dense", "units": 3, "kernel_initializer": "identity"}]}
    ).layers
    weights = (Weight("state", (2,), False, None), Weight("kernel_weight", (3, 3, 3), True, "kernel_initializer"))
    monkeypatch.setattr(type(dense), "weights", lambda self, shape: weights)
    assert error_of(check_initializers, dense, (None, 3)) == (
        "KS309",
        "Dense `kernel_initializer` 'identity' only initializes 2D matrices, but the kernel weight has shape [3, 3, 3]",
        "kernel_initializer",
        "use another one, e.g. the default",
    )


@pytest.mark.slow
@pytest.mark.keras
def test_accepted_analyses_are_what_keras_builds() -> None:
    """Every row without an error builds in Keras to the same names, output shapes and counts."""
    pytest.importorskip("keras")
    from kerasspec.build import build_model

    checked = 0
    for row in ANALYSES:
        data, input_shape, complete, layers, diagnostics = row.values
        if not complete or any(d[1] == "error" for d in diagnostics):
            continue
        model = build_model(S.Spec.model_validate(data), compile=False)
        built = [(k.name, k.__class__.__name__, tuple(k.output.shape),
                  sum(int(w.numpy().size) for w in k.trainable_weights),
                  sum(int(w.numpy().size) for w in k.non_trainable_weights)) for k in model.layers]
        assert built == [row[:5] for row in layers], row.id
        assert tuple(model.inputs[0].shape) == input_shape, row.id
        checked += 1
    assert checked >= 5


#: Input spellings Keras refuses, or takes one at a time: (first layer, code, path, message start).
INPUT_REFUSED = [
    ({"type": "Input", "input_shape": [784]}, "KS201", "/layers/0/input_shape", "Input takes `shape`, not `input_shape`"),
    ({"type": "Input", "batch_input_shape": [None, 784]}, "KS201", "/layers/0/batch_input_shape", "Input takes `batch_shape`, not `batch_input_shape`"),
    ({"type": "Input"}, "KS204", "/layers/0", "Input is missing required field 'shape'"),
    ({"type": "InputLayer", "shape": [784], "batch_shape": [None, 784]}, "KS211", "/layers/0/batch_shape", "InputLayer takes the input shape once"),
    ({"type": "InputLayer", "input_shape": [784], "batch_shape": [None, 784]}, "KS211", "/layers/0/batch_shape", "InputLayer takes the input shape once"),
    ({"type": "Input", "batch_size": 4, "batch_shape": [None, 784]}, "KS211", "/layers/0/batch_size", "Input takes `batch_size` or `batch_shape`, not both"),
    ({"type": "Input", "batch_shape": [784]}, "KS205", "/layers/0/batch_shape", "Input `batch_shape` must hold the batch axis"),
]


@pytest.mark.parametrize(("first", "code", "path", "message"), INPUT_REFUSED, ids=[json.dumps(r[0]) for r in INPUT_REFUSED])
def test_input_spellings_keras_refuses(first: dict[str, Any], code: str, path: str, message: str) -> None:
    found = [d for d in kerasspec.check({"layers": [first, {"type": "Dense", "units": 2}]}) if d.severity == "error"]
    assert [(d.code, d.path) for d in found] == [(code, path)]  # and no KS301: the first layer is an input
    assert found[0].message.startswith(message)


@pytest.mark.keras
@pytest.mark.parametrize(("first", "code", "path", "message"), INPUT_REFUSED, ids=[json.dumps(r[0]) for r in INPUT_REFUSED])
def test_keras_refuses_the_same_input_spellings(first: dict[str, Any], code: str, path: str, message: str) -> None:
    keras = pytest.importorskip("keras")
    args = {k: v for k, v in first.items() if k != "type"}
    make = keras.Input if first["type"] == "Input" else keras.layers.InputLayer
    with pytest.raises((TypeError, ValueError)):
        keras.Sequential([make(**args), keras.layers.Dense(2)]).build()


@pytest.mark.keras
def test_keras_takes_the_older_input_spellings() -> None:
    keras = pytest.importorskip("keras")
    assert keras.layers.InputLayer(input_shape=(784,)).batch_shape == (None, 784)  # with a deprecation warning
    assert keras.layers.InputLayer(batch_input_shape=(32, 784)).batch_shape == (32, 784)
    assert keras.Input(batch_shape=(None, 784)).shape == (None, 784)
