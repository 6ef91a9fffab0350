"""Shape functions and layer rules, as tables of (input, arguments, expected).

Every expected value here was computed by hand from Keras's formulas and agrees
with Keras 3 (``tests/test_differential.py`` checks the same rules against a
real Keras build on thousands of random models).
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from kerasspec import layers as KL
from kerasspec import spec as S
from kerasspec.analysis import analyse_shapes, argument_errors, infer, to_snake_case
from kerasspec.diagnostics import Severity
from kerasspec.shapes import (
    ShapeError,
    adaptive_pool_output_shape,
    conv_output_length,
    conv_output_shape,
    conv_transpose_output_shape,
    cropping2d_output_shape,
    cropping_output_shape,
    deconv_output_length,
    dense_output_shape,
    flatten_output_shape,
    global_pool_output_shape,
    normalize_axis,
    permute_output_shape,
    pool_output_length,
    pool_output_shape,
    repeat_vector_output_shape,
    reshape_output_shape,
    upsampling2d_output_shape,
    upsampling_output_shape,
    validate_permutation,
    zero_padding2d_output_shape,
    zero_padding_output_shape,
)

CF = "channels_first"

# --------------------------------------------------------------------------- one axis


@pytest.mark.parametrize(
    ("length", "kernel", "stride", "padding", "dilation", "expected"),
    [
        (28, 3, 1, "valid", 1, 26),
        (28, 3, 1, "same", 1, 28),
        (28, 3, 2, "valid", 1, 13),
        (28, 3, 2, "same", 1, 14),
        (27, 3, 2, "same", 1, 14),
        (5, 3, 1, "valid", 2, 1),  # the dilated kernel spans 5
        (7, 3, 3, "same", 1, 3),
        (3, 3, 1, "valid", 1, 1),
        (10, 3, 1, "causal", 1, 10),
        (10, 4, 3, "causal", 1, 4),
        (1, 5, 1, "same", 3, 1),  # same never shrinks below 1
        (None, 3, 1, "valid", 1, None),
        (None, 9, 2, "same", 1, None),
        (0, 1, 1, "same", 1, 0),
    ],
)
def test_conv_output_length(
    length: int | None, kernel: int, stride: int, padding: str, dilation: int, expected: int | None
) -> None:
    assert conv_output_length(length, kernel, stride, padding, dilation) == expected


@pytest.mark.parametrize(
    ("length", "kernel", "stride", "dilation"),
    [(2, 3, 1, 1), (4, 3, 1, 2), (0, 1, 1, 1), (1, 2, 5, 1)],
)
def test_conv_output_length_valid_rejects_kernels_larger_than_input(
    length: int, kernel: int, stride: int, dilation: int
) -> None:
    with pytest.raises(ShapeError) as info:
        conv_output_length(length, kernel, stride, "valid", dilation, what="Conv2D output rows")
    assert info.value.code == "KS303"
    assert info.value.field == "kernel_size"
    assert info.value.message.startswith("Conv2D output rows would be")
    assert str(length) in info.value.message


def test_unknown_padding_is_an_argument_error() -> None:
    with pytest.raises(ShapeError) as info:
        conv_output_length(10, 3, 1, "full")
    assert (info.value.code, info.value.field) == ("KS309", "padding")


@pytest.mark.parametrize(
    ("length", "pool", "stride", "padding", "expected"),
    [
        (28, 2, None, "valid", 14),  # strides default to pool_size
        (27, 2, None, "valid", 13),
        (27, 2, None, "same", 14),
        (5, 3, 1, "valid", 3),
        (5, 3, 2, "valid", 2),
        (1, 2, None, "same", 1),
        (7, 3, 3, "same", 3),
        (None, 2, None, "valid", None),
    ],
)
def test_pool_output_length(
    length: int | None, pool: int, stride: int | None, padding: str, expected: int | None
) -> None:
    assert pool_output_length(length, pool, stride, padding) == expected


def test_pool_output_length_rejects_window_larger_than_input() -> None:
    with pytest.raises(ShapeError) as info:
        pool_output_length(1, 2, None, "valid")
    assert (info.value.code, info.value.field) == ("KS303", "pool_size")


@pytest.mark.parametrize(
    ("length", "kernel", "stride", "padding", "output_padding", "dilation", "expected"),
    [
        (7, 3, 2, "valid", None, 1, 15),  # (7-1)*2 + max(3, 2)
        (7, 1, 3, "valid", None, 1, 21),  # (7-1)*3 + max(1, 3)
        (7, 3, 2, "same", None, 1, 14),  # 7*2
        (7, 3, 2, "valid", 1, 1, 16),  # (7-1)*2 + 3 + 1
        (7, 3, 2, "same", 1, 1, 14),  # (7-1)*2 + 3%2 + 1
        (7, 2, 2, "same", 0, 1, 12),  # (7-1)*2 + 2%2 + 0
        (1, 2, 1, "same", 0, 1, 0),  # zero: Keras accepts it
        (5, 3, 1, "valid", None, 2, 9),  # dilated span 5: 4 + 5
        (None, 3, 2, "same", None, 1, None),
    ],
)
def test_deconv_output_length(
    length: int | None,
    kernel: int,
    stride: int,
    padding: str,
    output_padding: int | None,
    dilation: int,
    expected: int | None,
) -> None:
    assert (
        deconv_output_length(length, kernel, stride, padding, output_padding, dilation) == expected
    )


def test_deconv_output_length_rejects_negative_sizes() -> None:
    with pytest.raises(ShapeError) as info:
        deconv_output_length(0, 1, 3, "valid", 0)  # -3 + 1 + 0
    assert info.value.code == "KS303"


# --------------------------------------------------------------------------- whole shapes


@pytest.mark.parametrize(
    ("shape", "args", "expected"),
    [
        ((None, 28, 28, 1), (32, (3, 3), (1, 1)), (None, 26, 26, 32)),
        ((None, 28, 28, 1), (32, (3, 3), (1, 1), "same"), (None, 28, 28, 32)),
        ((None, 28, 28, 1), (8, (3, 5), (2, 1)), (None, 13, 24, 8)),
        ((None, 1, 28, 28), (32, (3, 3), (1, 1), "valid", CF), (None, 32, 26, 26)),
        ((None, 9, 9, 3), (4, (3, 3), (1, 1), "valid", None, (2, 2)), (None, 5, 5, 4)),
        ((None, 100, 8), (16, (5,), (2,)), (None, 48, 16)),
        ((None, None, 8), (4, (3,), (1,), "causal"), (None, None, 4)),
        ((None, None, 28, 1), (4, (3, 3), (1, 1)), (None, None, 26, 4)),
    ],
)
def test_conv_output_shape(
    shape: tuple[Any, ...], args: tuple[Any, ...], expected: tuple[Any, ...]
) -> None:
    assert conv_output_shape(shape, *args) == expected


@pytest.mark.parametrize("shape", [(None, 28, 28), (None, 4, 4, 4, 3), (None, 784)])
def test_conv_output_shape_needs_exact_rank(shape: tuple[Any, ...]) -> None:
    with pytest.raises(ShapeError) as info:
        conv_output_shape(shape, 4, (3, 3), (1, 1), layer="Conv2D")
    assert info.value.code == "KS302"
    assert "rank 4" in info.value.message and f"rank {len(shape)}" in info.value.message


@pytest.mark.parametrize(
    ("shape", "args", "expected"),
    [
        ((None, 7, 7, 16), (8, (3, 3), (2, 2), "same"), (None, 14, 14, 8)),
        ((None, 7, 7, 16), (8, (3, 3), (2, 2), "valid"), (None, 15, 15, 8)),
        ((None, 7, 7, 16), (8, (3, 3), (2, 2), "valid", (1, 0)), (None, 16, 15, 8)),
        ((None, 16, 7, 7), (8, (3, 3), (2, 2), "same", None, CF), (None, 8, 14, 14)),
        ((None, None, 7, 16), (8, (3, 3), (1, 1)), (None, None, 9, 8)),
    ],
)
def test_conv_transpose_output_shape(
    shape: tuple[Any, ...], args: tuple[Any, ...], expected: tuple[Any, ...]
) -> None:
    assert conv_transpose_output_shape(shape, *args) == expected


@pytest.mark.parametrize(
    ("shape", "args", "expected"),
    [
        ((None, 28, 28, 3), ((2, 2),), (None, 14, 14, 3)),
        ((None, 28, 28, 3), ((2, 2), (1, 1)), (None, 27, 27, 3)),
        ((None, 28, 28, 3), ((3, 3), (2, 2), "same"), (None, 14, 14, 3)),
        ((None, 3, 28, 28), ((2, 2), None, "valid", CF), (None, 3, 14, 14)),
        ((None, 10, 4), ((3,), (1,)), (None, 8, 4)),
        ((None, None, 4), ((2,),), (None, None, 4)),
        ((None, 28, 28, None), ((2, 2),), (None, 14, 14, None)),  # pooling has no weights
    ],
)
def test_pool_output_shape(
    shape: tuple[Any, ...], args: tuple[Any, ...], expected: tuple[Any, ...]
) -> None:
    assert pool_output_shape(shape, *args) == expected


def test_pool_output_shape_rank() -> None:
    with pytest.raises(ShapeError) as info:
        pool_output_shape((None, 28, 28), (2, 2), layer="MaxPooling2D")
    assert info.value.code == "KS302"


@pytest.mark.parametrize(
    ("shape", "data_format", "keepdims", "expected"),
    [
        ((None, 7, 7, 16), None, False, (None, 16)),
        ((None, 7, 7, 16), None, True, (None, 1, 1, 16)),
        ((None, 16, 7, 7), CF, False, (None, 16)),
        ((None, 16, 7, 7), CF, True, (None, 16, 1, 1)),
        ((None, 10, 4), None, False, (None, 4)),
        ((None, 10, None), None, True, (None, 1, None)),
    ],
)
def test_global_pool_output_shape(
    shape: tuple[Any, ...], data_format: str | None, keepdims: bool, expected: tuple[Any, ...]
) -> None:
    assert global_pool_output_shape(shape, data_format, keepdims) == expected


@pytest.mark.parametrize(
    ("shape", "units", "expected"),
    [
        ((None, 784), 10, (None, 10)),
        ((None, 5, 7), 3, (None, 5, 3)),
        ((None, 2, 3, 4), 1, (None, 2, 3, 1)),
    ],
)
def test_dense_output_shape(shape: tuple[Any, ...], units: int, expected: tuple[Any, ...]) -> None:
    assert dense_output_shape(shape, units) == expected


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ((None, 28, 28, 1), (None, 784)),
        ((None, 10), (None, 10)),
        ((None, None, 3), (None, None)),
        ((None,), (None, 1)),
        ((None, 0, 3), (None, 0)),
    ],
)
def test_flatten_output_shape(shape: tuple[Any, ...], expected: tuple[Any, ...]) -> None:
    assert flatten_output_shape(shape) == expected


@pytest.mark.parametrize(
    ("shape", "target", "expected"),
    [
        ((None, 784), (28, 28, 1), (None, 28, 28, 1)),
        ((None, 28, 28, 1), (-1,), (None, 784)),
        ((None, 12), (-1, 4), (None, 3, 4)),
        ((None, 12), (2, -1, 3), (None, 2, 2, 3)),
        ((None, None, 3), (-1, 3), (None, None, 3)),
        ((None, None, 3), (7, 5), (None, 7, 5)),  # unknown input: Keras checks nothing
        ((None, 0, 3), (-1, 2), (None, 0, 2)),
    ],
)
def test_reshape_output_shape(
    shape: tuple[Any, ...], target: tuple[int, ...], expected: tuple[Any, ...]
) -> None:
    assert reshape_output_shape(shape, target) == expected


@pytest.mark.parametrize(
    ("shape", "target"),
    [
        ((None, 12), (5, -1)),
        ((None, 12), (5,)),
        ((None, 784), (10, 10)),
        ((None, 12), (-1, -1)),
        ((None, None), (-1, -1)),
    ],
)
def test_reshape_output_shape_rejects(shape: tuple[Any, ...], target: tuple[int, ...]) -> None:
    with pytest.raises(ShapeError) as info:
        reshape_output_shape(shape, target)
    assert (info.value.code, info.value.field) == ("KS304", "target_shape")


def test_reshape_message_names_both_sides() -> None:
    with pytest.raises(ShapeError) as info:
        reshape_output_shape((None, 28, 28, 1), (10, 10))
    assert "784" in info.value.message and "100" in info.value.message


@pytest.mark.parametrize(
    ("shape", "cropping", "data_format", "expected"),
    [
        ((None, 28, 28, 1), ((2, 2), (4, 4)), None, (None, 24, 20, 1)),
        ((None, 1, 28, 28), ((2, 2), (4, 4)), CF, (None, 1, 24, 20)),
        ((None, None, 28, 1), ((9, 9), (0, 1)), None, (None, None, 27, 1)),
        ((None, 5, 5, 1), ((0, 0), (0, 0)), None, (None, 5, 5, 1)),
    ],
)
def test_cropping2d_output_shape(
    shape: tuple[Any, ...], cropping: Any, data_format: str | None, expected: tuple[Any, ...]
) -> None:
    assert cropping2d_output_shape(shape, cropping, data_format) == expected


@pytest.mark.parametrize(
    ("shape", "cropping", "data_format"),
    [
        ((None, 4, 4, 1), ((2, 2), (0, 0)), None),
        ((None, 1, 4, 4), ((0, 0), (1, 3)), CF),
        ((None, 4, 4, 1), ((0, 0), (5, 0)), None),
    ],
)
def test_cropping2d_rejects_crops_as_large_as_input(
    shape: tuple[Any, ...], cropping: Any, data_format: str | None
) -> None:
    with pytest.raises(ShapeError) as info:
        cropping2d_output_shape(shape, cropping, data_format)
    assert (info.value.code, info.value.field) == ("KS303", "cropping")


@pytest.mark.parametrize(
    ("shape", "padding", "data_format", "expected"),
    [
        ((None, 28, 28, 1), ((1, 1), (2, 2)), None, (None, 30, 32, 1)),
        ((None, 1, 28, 28), ((1, 1), (2, 2)), CF, (None, 1, 30, 32)),
        ((None, None, 28, 1), ((1, 1), (0, 3)), None, (None, None, 31, 1)),
    ],
)
def test_zero_padding2d_output_shape(
    shape: tuple[Any, ...], padding: Any, data_format: str | None, expected: tuple[Any, ...]
) -> None:
    assert zero_padding2d_output_shape(shape, padding, data_format) == expected


@pytest.mark.parametrize(
    ("shape", "size", "data_format", "expected"),
    [
        ((None, 7, 7, 3), (2, 3), None, (None, 14, 21, 3)),
        ((None, 3, 7, 7), (2, 2), CF, (None, 3, 14, 14)),
        ((None, None, 7, 3), (2, 2), None, (None, None, 14, 3)),
    ],
)
def test_upsampling2d_output_shape(
    shape: tuple[Any, ...],
    size: tuple[int, int],
    data_format: str | None,
    expected: tuple[Any, ...],
) -> None:
    assert upsampling2d_output_shape(shape, size, data_format) == expected


@pytest.mark.parametrize(
    ("axis", "rank", "expected"), [(-1, 4, 3), (3, 4, 3), (0, 2, 0), (-4, 4, 0), (1, 3, 1)]
)
def test_normalize_axis(axis: int, rank: int, expected: int) -> None:
    assert normalize_axis(axis, rank) == expected


@pytest.mark.parametrize(("axis", "rank"), [(4, 4), (-5, 4), (2, 2)])
def test_normalize_axis_out_of_range(axis: int, rank: int) -> None:
    with pytest.raises(ShapeError) as info:
        normalize_axis(axis, rank)
    assert (info.value.code, info.value.field) == ("KS309", "axis")


# --------------------------------------------------------------------------- n-D spatial helpers


@pytest.mark.parametrize(
    ("shape", "padding", "data_format", "expected"),
    [
        ((None, 5, 2), ((1, 1),), None, (None, 7, 2)),
        ((None, 2, 5), ((0, 3),), CF, (None, 2, 8)),
        ((None, None, 2), ((2, 2),), None, (None, None, 2)),
        ((None, 4, 4, 2), ((1, 2), (3, 3)), None, (None, 7, 10, 2)),
        ((None, 2, 4, 4, 4), ((1, 1), (0, 2), (3, 3)), CF, (None, 2, 6, 6, 10)),
        ((None, 4, None, 4, 2), ((1, 1), (1, 1), (1, 1)), None, (None, 6, None, 6, 2)),
    ],
)
def test_zero_padding_output_shape(
    shape: tuple[Any, ...], padding: Any, data_format: str | None, expected: tuple[Any, ...]
) -> None:
    assert zero_padding_output_shape(shape, padding, data_format) == expected


@pytest.mark.parametrize(
    ("shape", "cropping", "data_format", "expected"),
    [
        ((None, 5, 2), ((1, 1),), None, (None, 3, 2)),
        ((None, None, 2), ((4, 4),), None, (None, None, 2)),
        ((None, 1, 4, 6), ((0, 1), (2, 2)), CF, (None, 1, 3, 2)),
        ((None, 4, 5, 6, 2), ((1, 1), (1, 1), (1, 1)), None, (None, 2, 3, 4, 2)),
        ((None, 2, 4, 5, 6), ((0, 0), (1, 0), (2, 1)), CF, (None, 2, 4, 4, 3)),
    ],
)
def test_cropping_output_shape(
    shape: tuple[Any, ...], cropping: Any, data_format: str | None, expected: tuple[Any, ...]
) -> None:
    assert cropping_output_shape(shape, cropping, data_format) == expected


@pytest.mark.parametrize(
    ("shape", "cropping", "data_format", "axis"),
    [
        ((None, 5, 2), ((2, 3),), None, "steps"),
        ((None, 4, 2, 6, 2), ((1, 1), (1, 1), (1, 1)), None, "rows"),
        ((None, 2, 4, 5, 3), ((0, 0), (0, 0), (1, 2)), CF, "cols"),
    ],
)
def test_cropping_rejects_crops_as_large_as_input(
    shape: tuple[Any, ...], cropping: Any, data_format: str | None, axis: str
) -> None:
    with pytest.raises(ShapeError) as info:
        cropping_output_shape(shape, cropping, data_format, layer="Cropping3D")
    assert (info.value.code, info.value.field) == ("KS303", "cropping")
    assert info.value.message.startswith(f"Cropping3D output {axis} would be")


@pytest.mark.parametrize(
    ("shape", "size", "data_format", "expected"),
    [
        ((None, 5, 2), (2,), None, (None, 10, 2)),
        ((None, None, 2), (3,), None, (None, None, 2)),
        ((None, 1, 2, 3, 4), (1, 2, 3), CF, (None, 1, 2, 6, 12)),
        ((None, 2, 3, 4, 1), (2, 2, 2), None, (None, 4, 6, 8, 1)),
    ],
)
def test_upsampling_output_shape(
    shape: tuple[Any, ...], size: tuple[int, ...], data_format: str | None, expected: tuple[Any, ...]
) -> None:
    assert upsampling_output_shape(shape, size, data_format) == expected


@pytest.mark.parametrize(
    ("shape", "output_size", "data_format", "expected"),
    [
        ((None, 9, 3), (4,), None, (None, 4, 3)),
        ((None, 3, None), (20,), CF, (None, 3, 20)),
        ((None, None, 8, 3), (4, 3), None, (None, 4, 3, 3)),
        ((None, 3, 9, 8, 7), (1, 2, 3), CF, (None, 3, 1, 2, 3)),
    ],
)
def test_adaptive_pool_output_shape(
    shape: tuple[Any, ...], output_size: tuple[int, ...], data_format: str | None, expected: tuple[Any, ...]
) -> None:
    assert adaptive_pool_output_shape(shape, output_size, data_format) == expected


def test_repeat_vector_output_shape() -> None:
    assert repeat_vector_output_shape((None, 5), 3) == (None, 3, 5)
    assert repeat_vector_output_shape((4, None), 1) == (4, 1, None)


@pytest.mark.parametrize(
    ("shape", "dims", "expected"),
    [
        ((None, 3, 4), (2, 1), (None, 4, 3)),
        ((None, 2, None, 4), (3, 1, 2), (None, 4, 2, None)),
        ((None, 5), (1,), (None, 5)),
    ],
)
def test_permute_output_shape(shape: tuple[Any, ...], dims: tuple[int, ...], expected: tuple[Any, ...]) -> None:
    assert permute_output_shape(shape, dims) == expected


@pytest.mark.parametrize("dims", [(1, 1), (0, 1), (1, 3), (2,), (-1, 1)])
def test_permute_rejects_what_is_not_a_permutation(dims: tuple[int, ...]) -> None:
    with pytest.raises(ShapeError) as info:
        validate_permutation(dims)
    assert (info.value.code, info.value.field) == ("KS309", "dims")


# Deliberately stricter than Keras (documented on the definitions): Keras builds these,
# and the layer fails when the model is first called, so they are not catalogue rows.
@pytest.mark.parametrize(
    ("fields", "shape"),
    [
        ({"type": "AdaptiveAveragePooling1D", "output_size": 4}, (None, 9, 9, 3)),
        ({"type": "AdaptiveMaxPooling1D", "output_size": 4}, (None, 9)),
        ({"type": "AdaptiveAveragePooling2D", "output_size": 4}, (None, 9, 3)),
        ({"type": "AdaptiveMaxPooling2D", "output_size": 4}, (None, 5, 9, 8, 3)),
        ({"type": "AdaptiveAveragePooling3D", "output_size": 2}, (None, 9, 8, 3)),
        ({"type": "AdaptiveMaxPooling3D", "output_size": 2}, (None, 2, 9, 8, 7, 3)),
    ],
)
def test_adaptive_pooling_refuses_other_ranks(fields: dict[str, Any], shape: tuple[Any, ...]) -> None:
    with pytest.raises(ShapeError) as info:
        infer(layer(**fields), shape)
    assert info.value.code == "KS302"


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "AdaptiveAveragePooling1D", "output_size": 0},
        {"type": "AdaptiveMaxPooling2D", "output_size": [3, 0]},
        {"type": "ZeroPadding2D", "padding": -1},
        {"type": "ZeroPadding3D", "padding": -2},
        {"type": "UpSampling2D", "interpolation": "gaussian"},
    ],
)
def test_stricter_than_keras_fields_are_refused(fields: dict[str, Any]) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        layer(**fields)
    assert next(iter(fields.keys() - {"type"})) in KL.type_map()[fields["type"]].STRICTER_THAN_KERAS


# --------------------------------------------------------------------------- layer rules


def layer(**fields: Any) -> KL.Layer:
    return KL.type_map()[fields["type"]].model_validate(fields)


RULE_CASES: list[tuple[dict[str, Any], tuple[Any, ...], tuple[Any, ...] | str]] = [
    # (layer fields, input shape, (output shape, trainable, non-trainable) or an error code)
    ({"type": "Input", "shape": [28, 28, 1]}, (None, 5), ((None, 28, 28, 1), 0, 0)),
    ({"type": "Dense", "units": 10}, (None, 784), ((None, 10), 7850, 0)),
    ({"type": "Dense", "units": 3, "use_bias": False}, (None, 5, 7), ((None, 5, 3), 21, 0)),
    ({"type": "Dense", "units": 10, "trainable": False}, (None, 784), ((None, 10), 0, 7850)),
    ({"type": "Dense", "units": 4}, (None, 0), ((None, 4), 4, 0)),
    ({"type": "Dense", "units": 10}, (None, None), "KS308"),
    (
        {"type": "Conv2D", "filters": 32, "kernel_size": 3},
        (None, 28, 28, 1),
        ((None, 26, 26, 32), 320, 0),
    ),
    (
        {"type": "Conv2D", "filters": 4, "kernel_size": 3, "groups": 2},
        (None, 8, 8, 6),
        ((None, 6, 6, 4), 112, 0),
    ),
    (
        {"type": "Conv2D", "filters": 8, "kernel_size": 3, "data_format": "channels_first"},
        (None, 3, 32, 32),
        ((None, 8, 30, 30), 224, 0),
    ),
    (
        {"type": "Conv2D", "filters": 8, "kernel_size": 3, "strides": 2, "padding": "SAME"},
        (None, 28, 28, 3),
        ((None, 14, 14, 8), 224, 0),
    ),
    ({"type": "Conv2D", "filters": 4, "kernel_size": 3, "groups": 4}, (None, 8, 8, 6), "KS307"),
    ({"type": "Conv2D", "filters": 4, "kernel_size": 3}, (None, 28, 28), "KS302"),
    ({"type": "Conv2D", "filters": 4, "kernel_size": 3}, (None, 4, 4, 4, 3), "KS302"),
    ({"type": "Conv2D", "filters": 4, "kernel_size": 3}, (None, 8, 8, None), "KS308"),
    ({"type": "Conv2D", "filters": 4, "kernel_size": 5}, (None, 3, 3, 1), "KS303"),
    (
        {
            "type": "Conv1D",
            "filters": 16,
            "kernel_size": 5,
            "padding": "causal",
            "dilation_rate": 2,
        },
        (None, 100, 8),
        ((None, 100, 16), 656, 0),
    ),
    ({"type": "Conv1D", "filters": 16, "kernel_size": 3}, (None, 28, 28, 1), "KS302"),
    (
        {
            "type": "Conv2DTranspose",
            "filters": 8,
            "kernel_size": 3,
            "strides": 2,
            "padding": "same",
        },
        (None, 7, 7, 16),
        ((None, 14, 14, 8), 1160, 0),
    ),
    (
        {
            "type": "Conv2DTranspose",
            "filters": 2,
            "kernel_size": 2,
            "padding": "same",
            "output_padding": 0,
        },
        (None, 1, 1, 3),
        ((None, 0, 0, 2), 26, 0),
    ),
    ({"type": "Conv2DTranspose", "filters": 2, "kernel_size": 2}, (None, 4, 4, None), "KS308"),
    (
        {"type": "SeparableConv2D", "filters": 16, "kernel_size": 3, "depth_multiplier": 2},
        (None, 28, 28, 3),
        ((None, 26, 26, 16), 166, 0),
    ),
    (
        {
            "type": "SeparableConv2D",
            "filters": 2,
            "kernel_size": 3,
            "strides": 2,
            "dilation_rate": 2,
        },
        (None, 9, 9, 3),
        ((None, 3, 3, 2), 35, 0),
    ),
    (
        {"type": "DepthwiseConv2D", "kernel_size": 3, "depth_multiplier": 2},
        (None, 28, 28, 3),
        ((None, 26, 26, 6), 60, 0),
    ),
    (
        {"type": "DepthwiseConv2D", "kernel_size": 3, "use_bias": False},
        (None, 3, 8, 8),
        ((None, 1, 6, 8), 72, 0),
    ),
    (
        {"type": "DepthwiseConv2D", "kernel_size": 3, "data_format": "channels_first"},
        (None, 3, 8, 8),
        ((None, 3, 6, 6), 30, 0),
    ),
    ({"type": "MaxPooling2D"}, (None, 28, 28, 32), ((None, 14, 14, 32), 0, 0)),
    (
        {"type": "MaxPool2D", "pool_size": 3, "strides": 1, "padding": "same"},
        (None, 28, 28, 32),
        ((None, 28, 28, 32), 0, 0),
    ),
    ({"type": "AveragePooling2D", "pool_size": 5}, (None, 4, 4, 1), "KS303"),
    ({"type": "MaxPooling1D"}, (None, 28, 28, 32), "KS302"),
    (
        {"type": "AveragePooling1D", "pool_size": 3, "strides": 1},
        (None, 10, 4),
        ((None, 8, 4), 0, 0),
    ),
    ({"type": "GlobalAveragePooling2D"}, (None, 7, 7, 16), ((None, 16), 0, 0)),
    ({"type": "GlobalAveragePooling2D"}, (None, 7, 16), "KS302"),
    ({"type": "GlobalMaxPooling1D", "keepdims": True}, (None, 10, 4), ((None, 1, 4), 0, 0)),
    (
        {"type": "GlobalMaxPooling2D", "data_format": "channels_first"},
        (None, 16, 7, 7),
        ((None, 16), 0, 0),
    ),
    ({"type": "GlobalAveragePooling1D"}, (None, 10, 4), ((None, 4), 0, 0)),
    ({"type": "Flatten"}, (None, 7, 7, 16), ((None, 784), 0, 0)),
    ({"type": "Flatten", "data_format": "channels_first"}, (None, 16, 7, 7), ((None, 784), 0, 0)),
    ({"type": "Dropout", "rate": 0.5}, (None, 3, 2), ((None, 3, 2), 0, 0)),
    ({"type": "SpatialDropout2D", "rate": 0.5}, (None, 8, 8, 3), ((None, 8, 8, 3), 0, 0)),
    ({"type": "SpatialDropout2D", "rate": 0.5}, (None, 8, 3), "KS302"),
    ({"type": "Activation", "activation": "relu"}, (None, 8), ((None, 8), 0, 0)),
    ({"type": "BatchNormalization"}, (None, 28, 28, 32), ((None, 28, 28, 32), 64, 64)),
    (
        {"type": "BatchNormalization", "center": False},
        (None, 28, 28, 32),
        ((None, 28, 28, 32), 32, 64),
    ),
    (
        {"type": "BatchNormalization", "center": False, "scale": False},
        (None, 32),
        ((None, 32), 0, 64),
    ),
    (
        {"type": "BatchNormalization", "trainable": False},
        (None, 28, 28, 32),
        ((None, 28, 28, 32), 0, 128),
    ),
    ({"type": "BatchNormalization", "axis": 1}, (None, 10, 4), ((None, 10, 4), 20, 20)),
    ({"type": "BatchNormalization", "axis": -3}, (None, 10, 4), "KS309"),  # the batch axis
    ({"type": "BatchNormalization", "axis": 3}, (None, 10, 4), "KS309"),
    ({"type": "BatchNormalization", "axis": 0}, (None, 10, 4), "KS309"),
    ({"type": "BatchNormalization"}, (None, None), "KS308"),
    ({"type": "LayerNormalization"}, (None, 10, 4), ((None, 10, 4), 8, 0)),
    ({"type": "LayerNormalization", "axis": [1, 2]}, (None, 10, 4), ((None, 10, 4), 80, 0)),
    (
        {"type": "LayerNormalization", "axis": [2, -1]},
        (None, 10, 4),
        ((None, 10, 4), 32, 0),
    ),  # the same axis twice: 4*4
    (
        {"type": "LayerNormalization", "axis": []},
        (None, 10, 4),
        ((None, 10, 4), 2, 0),
    ),  # scalar gamma and beta
    ({"type": "LayerNormalization", "rms_scaling": True}, (None, 10, 4), ((None, 10, 4), 4, 0)),
    (
        {"type": "LayerNormalization", "rms_scaling": True, "scale": False},
        (None, 10, 4),
        ((None, 10, 4), 4, 0),
    ),
    (
        {"type": "LayerNormalization", "center": False, "scale": False},
        (None, None),
        ((None, None), 0, 0),
    ),
    (
        {"type": "LayerNormalization", "center": False, "scale": False, "axis": 5},
        (None, 3),
        "KS309",
    ),
    ({"type": "LayerNormalization"}, (None, None), "KS308"),
    ({"type": "LayerNormalization", "axis": 0}, (None, 3), "KS309"),
    ({"type": "Reshape", "target_shape": [28, 28, 1]}, (None, 784), ((None, 28, 28, 1), 0, 0)),
    ({"type": "Reshape", "target_shape": [10, 10]}, (None, 784), "KS304"),
    ({"type": "Rescaling", "scale": 0.5}, (None, 28, 28, 1), ((None, 28, 28, 1), 0, 0)),
    ({"type": "ZeroPadding2D"}, (None, 28, 28, 1), ((None, 30, 30, 1), 0, 0)),
    (
        {"type": "ZeroPadding2D", "padding": [[0, 1], [2, 3]], "data_format": "channels_first"},
        (None, 1, 4, 4),
        ((None, 1, 5, 9), 0, 0),
    ),
    ({"type": "Cropping2D", "cropping": 2}, (None, 28, 28, 1), ((None, 24, 24, 1), 0, 0)),
    ({"type": "Cropping2D", "cropping": [14, 0]}, (None, 28, 28, 1), "KS303"),
    ({"type": "Cropping2D"}, (None, 28, 1), "KS302"),
    ({"type": "UpSampling2D"}, (None, 7, 7, 3), ((None, 14, 14, 3), 0, 0)),
    (
        {"type": "UpSampling2D", "size": [1, 3], "data_format": "channels_first"},
        (None, 3, 7, 7),
        ((None, 3, 7, 21), 0, 0),
    ),
]


@pytest.mark.parametrize(
    ("fields", "shape", "expected"), RULE_CASES, ids=[c[0]["type"] for c in RULE_CASES]
)
def test_layer_rule(
    fields: dict[str, Any], shape: tuple[Any, ...], expected: tuple[Any, ...] | str
) -> None:
    obj = layer(**fields)
    if isinstance(expected, str):
        with pytest.raises(ShapeError) as info:
            infer(obj, shape)
        assert info.value.code == expected
        assert info.value.message
    else:
        assert infer(obj, shape) == expected


# --------------------------------------------------------------------------- argument checks


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"type": "Conv2D", "filters": 10, "kernel_size": 3, "groups": 4}, [("KS307", "groups")]),
        (
            {
                "type": "Conv2D",
                "filters": 8,
                "kernel_size": 3,
                "strides": 2,
                "dilation_rate": [1, 2],
            },
            [("KS306", "dilation_rate")],
        ),
        (
            {"type": "Conv1D", "filters": 8, "kernel_size": 3, "strides": 2, "dilation_rate": 2},
            [("KS306", "dilation_rate")],
        ),
        (
            {
                "type": "Conv2DTranspose",
                "filters": 8,
                "kernel_size": 3,
                "strides": 2,
                "dilation_rate": 2,
            },
            [("KS306", "dilation_rate")],
        ),
        (
            {
                "type": "Conv2DTranspose",
                "filters": 8,
                "kernel_size": 3,
                "strides": 2,
                "output_padding": [1, 2],
            },
            [("KS309", "output_padding")],
        ),
        ({"type": "Conv2DTranspose", "filters": 8, "kernel_size": 3, "output_padding": 0}, []),
        (
            {"type": "Conv2DTranspose", "filters": 8, "kernel_size": 3, "output_padding": 1},
            [("KS309", "output_padding")],
        ),
        (
            {
                "type": "SeparableConv2D",
                "filters": 8,
                "kernel_size": 3,
                "strides": 2,
                "dilation_rate": 2,
            },
            [],
        ),
        ({"type": "DepthwiseConv2D", "kernel_size": 3, "strides": 2, "dilation_rate": 2}, []),
        ({"type": "Reshape", "target_shape": [-1, -1]}, [("KS304", "target_shape")]),
        ({"type": "Dense", "units": 3, "kernel_initializer": "identity"}, []),
        ({"type": "Dense", "units": 3, "kernel_initializer": "orthogonal"}, []),
        (
            {"type": "Dense", "units": 3, "bias_initializer": "orthogonal"},
            [("KS309", "bias_initializer")],
        ),
        (
            {"type": "Dense", "units": 3, "bias_initializer": "Identity"},
            [("KS309", "bias_initializer")],
        ),
        ({"type": "Dense", "units": 3, "bias_initializer": "identity", "use_bias": False}, []),
        (
            {"type": "Conv2D", "filters": 3, "kernel_size": 3, "kernel_initializer": "identity"},
            [("KS309", "kernel_initializer")],
        ),
        (
            {"type": "Conv2D", "filters": 3, "kernel_size": 3, "kernel_initializer": "orthogonal"},
            [],
        ),
        (
            {
                "type": "SeparableConv2D",
                "filters": 3,
                "kernel_size": 3,
                "pointwise_initializer": "identity",
            },
            [("KS309", "pointwise_initializer")],
        ),
        (
            {"type": "DepthwiseConv2D", "kernel_size": 3, "depthwise_initializer": "Identity"},
            [("KS309", "depthwise_initializer")],
        ),
        ({"type": "Flatten"}, []),
    ],
)
def test_check_arguments(fields: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    obj = layer(**fields)
    found = [(e.code, e.field) for e in argument_errors(obj)]
    if not found:
        # Initializers are checked against the weights' ranks, once the input is known.
        try:
            infer(obj, (None, 8, 8, 3) if "kernel_size" in fields else (None, 5))
        except ShapeError as e:
            found = [(e.code, e.field)]
    assert found == expected


# --------------------------------------------------------------------------- the analysis


def analyse(data: dict[str, Any]) -> Any:
    return analyse_shapes(S.Spec.model_validate(data))


MNIST = {
    "input_shape": [28, 28, 1],
    "layers": [
        {"type": "Conv2D", "filters": 32, "kernel_size": 3, "activation": "relu"},
        {"type": "MaxPooling2D", "pool_size": 2},
        {"type": "Conv2D", "filters": 64, "kernel_size": [3, 3], "activation": "relu"},
        {"type": "MaxPool2D"},
        {"type": "Flatten"},
        {"type": "Dropout", "rate": 0.5},
        {"type": "Dense", "units": 10, "activation": "softmax"},
    ],
}


def test_mnist_convnet_as_keras_reports_it() -> None:
    a = analyse(MNIST)
    assert a.complete and a.diagnostics == ()
    assert a.input_shape == (None, 28, 28, 1)
    assert [(i.name, i.type, i.output_shape, i.params) for i in a.layers] == [
        ("conv2d", "Conv2D", (None, 26, 26, 32), 320),
        ("max_pooling2d", "MaxPooling2D", (None, 13, 13, 32), 0),
        ("conv2d_1", "Conv2D", (None, 11, 11, 64), 18496),
        ("max_pooling2d_1", "MaxPooling2D", (None, 5, 5, 64), 0),
        ("flatten", "Flatten", (None, 1600), 0),
        ("dropout", "Dropout", (None, 1600), 0),
        ("dense", "Dense", (None, 10), 16010),
    ]
    assert (a.total_params, a.trainable_params, a.non_trainable_params) == (34826, 34826, 0)
    assert a.output_shape == (None, 10)


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("Conv2D", "conv2d"), ("Conv2DTranspose", "conv2d_transpose"), ("MaxPool2D", "max_pooling2d"),
        ("AvgPool1D", "average_pooling1d"), ("GlobalAvgPool2D", "global_average_pooling2d"),
        ("SeparableConv2D", "separable_conv2d"), ("DepthwiseConv2D", "depthwise_conv2d"),
        ("BatchNormalization", "batch_normalization"), ("SpatialDropout2D", "spatial_dropout2d"),
        ("UpSampling2D", "up_sampling2d"), ("ZeroPadding2D", "zero_padding2d"), ("Activation", "activation"),
        ("InputLayer", "input_layer"), ("Convolution2D", "conv2d"),
    ],
)  # fmt: skip
def test_keras_names(kind: str, name: str) -> None:
    canonical = (
        KL.type_map()[kind].TYPES[0] if kind in KL.type_map() and kind != "InputLayer" else kind
    )
    assert to_snake_case(canonical) == name


def test_names_count_per_kind_and_skip_user_names() -> None:
    a = analyse(
        {
            "input_shape": [4],
            "layers": [
                {"type": "Dense", "units": 3},
                {"type": "Dense", "units": 3, "name": "hidden"},
                {"type": "Dense", "units": 3},
                {"type": "Activation", "activation": "relu"},
            ],
        }
    )
    assert [i.name for i in a.layers] == ["dense", "hidden", "dense_1", "activation"]


def test_missing_input_shape() -> None:
    a = analyse({"layers": [{"type": "Conv2D", "filters": 4, "kernel_size": 3}]})
    (d,) = a.diagnostics
    assert (d.code, d.path, d.line) == ("KS301", "/layers/0", None)
    assert "input_shape: [28, 28, 1]" in d.hint
    assert not a.complete and a.layers == () and a.input_shape is None and a.output_shape is None


def test_missing_input_shape_points_at_a_late_input_shape() -> None:
    a = analyse(
        {
            "layers": [
                {"type": "Dense", "units": 4},
                {"type": "Dense", "units": 2, "input_shape": [3]},
            ]
        }
    )
    codes = {d.code: d for d in a.diagnostics}
    assert set(codes) == {"KS301", "KS213"}
    assert "layers[1]" in codes["KS301"].hint


@pytest.mark.parametrize(
    ("data", "shape"),
    [
        ({"layers": [{"type": "Dense", "units": 2, "input_shape": [5]}]}, (None, 5)),
        ({"layers": [{"type": "Dense", "units": 2, "input_dim": 5}]}, (None, 5)),
        ({"layers": [{"type": "Input", "shape": [5]}, {"type": "Dense", "units": 2}]}, (None, 5)),
        (
            {"layers": [{"type": "InputLayer", "shape": [None, 5]}, {"type": "Dense", "units": 2}]},
            (None, None, 5),
        ),
    ],
)
def test_input_shape_sources(data: dict[str, Any], shape: tuple[Any, ...]) -> None:
    a = analyse(data)
    assert a.complete and not a.diagnostics
    assert a.input_shape == shape
    assert [i.type for i in a.layers] == ["Dense"]  # Input layers are not listed


@pytest.mark.parametrize(
    ("data", "path"),
    [
        (
            {"input_shape": [5], "layers": [{"type": "Dense", "units": 2, "input_shape": [5]}]},
            "/layers/0/input_shape",
        ),
        (
            {"input_shape": [5], "layers": [{"type": "Dense", "units": 2, "input_dim": 5}]},
            "/layers/0/input_dim",
        ),
        (
            {
                "input_shape": [5],
                "layers": [{"type": "Input", "shape": [5]}, {"type": "Dense", "units": 2}],
            },
            "/layers/0",
        ),
        (
            {
                "input_shape": [5],
                "layers": [{"type": "Dense", "units": 2}, {"type": "Input", "shape": [2]}],
            },
            "/layers/1",
        ),
        (
            {"layers": [{"type": "Dense", "units": 2, "input_shape": [5], "input_dim": 5}]},
            "/layers/0/input_dim",
        ),
        (
            {
                "input_shape": [5],
                "layers": [
                    {"type": "Dense", "units": 2},
                    {"type": "Dense", "units": 2, "input_shape": [5], "input_dim": 5},
                ],
            },
            "/layers/1/input_dim",
        ),
        (
            {
                "layers": [
                    {"type": "Input", "shape": [5], "input_shape": [5]},
                    {"type": "Dense", "units": 2},
                ]
            },
            "/layers/0/input_shape",
        ),
    ],
)
def test_conflicting_input_shapes(data: dict[str, Any], path: str) -> None:
    a = analyse(data)
    assert [(d.code, d.path) for d in a.diagnostics if d.code == "KS211"] == [(("KS211", path))]


def test_input_shape_on_a_later_layer_is_a_warning() -> None:
    a = analyse(
        {
            "input_shape": [5],
            "layers": [
                {"type": "Dense", "units": 2},
                {"type": "Dense", "units": 2, "input_shape": [9]},
            ],
        }
    )
    (d,) = a.diagnostics
    assert (d.code, d.severity, d.path) == ("KS213", Severity.WARNING, "/layers/1/input_shape")
    assert a.complete and a.layers[1].output_shape == (None, 2)


@pytest.mark.parametrize(
    ("names", "path"),
    [
        (["a", "a"], "/layers/1/name"),
        (["dense_1", None, None], "/layers/0/name"),  # the second unnamed Dense is dense_1
        ([None, "dense"], "/layers/1/name"),
        (["input_layer", None], "/layers/0/name"),  # the input layer Keras adds
    ],
)
def test_duplicate_names(names: list[str | None], path: str) -> None:
    layers = [{"type": "Dense", "units": 2, **({"name": n} if n else {})} for n in names]
    a = analyse({"input_shape": [3], "layers": layers})
    assert [(d.code, d.path) for d in a.diagnostics] == [("KS212", path)]
    assert a.complete  # names do not stop the shape analysis


def test_named_input_layer_clashes_with_a_layer() -> None:
    a = analyse(
        {
            "layers": [
                {"type": "Input", "shape": [3], "name": "dense"},
                {"type": "Dense", "units": 2},
            ]
        }
    )
    assert [(d.code, d.path) for d in a.diagnostics] == [("KS212", "/layers/0/name")]


def test_rank_error_on_the_first_layer_suggests_an_input_shape() -> None:
    a = analyse(
        {"input_shape": [28, 28], "layers": [{"type": "Conv2D", "filters": 4, "kernel_size": 3}]}
    )
    (d,) = a.diagnostics
    assert (d.code, d.path) == ("KS302", "/layers/0")
    assert "Conv2D" in d.message and "rank 4" in d.message and "rank 3" in d.message
    assert "input_shape: [28, 28, 1]" in d.hint


def test_rank_error_later_suggests_a_reshape() -> None:
    a = analyse(
        {
            "input_shape": [784],
            "layers": [
                {"type": "Dense", "units": 784},
                {"type": "Conv2D", "filters": 4, "kernel_size": 3},
            ],
        }
    )
    (d,) = a.diagnostics
    assert (d.code, d.path) == ("KS302", "/layers/1")
    assert "Reshape, target_shape: [28, 28, 1]" in d.hint
    assert [i.index for i in a.layers] == [0]


def test_output_size_error_names_the_numbers() -> None:
    a = analyse(
        {
            "input_shape": [8, 8, 1],
            "layers": [
                {"type": "Conv2D", "filters": 4, "kernel_size": 3},
                {"type": "MaxPooling2D", "pool_size": 2},
                {"type": "Conv2D", "filters": 4, "kernel_size": 5},
            ],
        }
    )
    (d,) = a.diagnostics
    assert (d.code, d.path) == ("KS303", "/layers/2/kernel_size")
    assert d.message.startswith("Conv2D output rows would be (3 - 5) // 1 + 1 = -1")
    assert "padding: same" in d.hint


def test_inference_stops_at_the_first_error_but_argument_checks_go_on() -> None:
    a = analyse(
        {
            "input_shape": [10],
            "layers": [
                {"type": "Dense", "units": 4},
                {"type": "Conv2D", "filters": 4, "kernel_size": 3},  # rank 2: refused
                {
                    "type": "Conv2D",
                    "filters": 10,
                    "kernel_size": 3,
                    "groups": 4,
                },  # refused whatever the input
                {
                    "type": "Conv1D",
                    "filters": 8,
                    "kernel_size": 3,
                    "strides": 2,
                    "dilation_rate": 2,
                },
                {"type": "Flatten"},
            ],
        }
    )
    assert [(d.code, d.path) for d in a.diagnostics] == [
        ("KS302", "/layers/1"),
        ("KS307", "/layers/2/groups"),
        ("KS306", "/layers/3/dilation_rate"),
    ]
    assert not a.complete and [i.index for i in a.layers] == [0]
    assert a.output_shape is None


def test_argument_error_stops_inference_at_that_layer() -> None:
    a = analyse(
        {
            "input_shape": [4],
            "layers": [
                {"type": "Dense", "units": 2, "bias_initializer": "orthogonal"},
                {"type": "Dense", "units": 2},
            ],
        }
    )
    assert [(d.code, d.path) for d in a.diagnostics] == [("KS309", "/layers/0/bias_initializer")]
    assert not a.complete and a.layers == ()


def test_trainable_false_counts() -> None:
    a = analyse(
        {
            "input_shape": [8, 8, 3],
            "layers": [
                {"type": "Conv2D", "filters": 4, "kernel_size": 3, "trainable": False},
                {"type": "BatchNormalization"},
                {"type": "Flatten"},
                {"type": "Dense", "units": 2},
            ],
        }
    )
    assert [(i.trainable_params, i.non_trainable_params) for i in a.layers] == [
        (0, 112),
        (8, 8),
        (0, 0),
        (290, 0),
    ]
    assert (a.total_params, a.trainable_params, a.non_trainable_params) == (418, 298, 120)


def test_unknown_dimension_reaching_dense() -> None:
    a = analyse(
        {"input_shape": [None, 3], "layers": [{"type": "Flatten"}, {"type": "Dense", "units": 2}]}
    )
    (d,) = a.diagnostics
    assert (d.code, d.path) == ("KS308", "/layers/1")
    assert a.layers[0].output_shape == (None, None)


def test_only_an_input_layer() -> None:
    a = analyse({"layers": [{"type": "Input", "shape": [3]}]})
    assert a.complete and a.layers == () and a.output_shape == (None, 3) and a.total_params == 0


def test_analysis_imports_no_tensorflow() -> None:
    code = (
        "import sys, kerasspec.analysis, kerasspec.shapes\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
