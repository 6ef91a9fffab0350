"""Pure shape functions: tuples in, tuples out, ``None`` for an unknown size.

Each function computes what Keras 3 computes for the same arguments (the
reference is ``keras/src/ops/operation_utils.py``, ``backend_utils.py`` and the
layers' ``compute_output_shape``) and raises :class:`ShapeError` exactly where
Keras raises. Full shapes include the batch axis first; per-axis functions
(``conv_output_length``...) take and return one size.

Nothing here knows about specs or diagnostics: ``kerasspec.analysis`` maps a
:class:`ShapeError` to a diagnostic, using its ``field`` to point at the spec
field to blame.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import NamedTuple

Shape = tuple[int | None, ...]

#: Conv/pooling `padding` values; `causal` only for Conv1D.
PADDINGS = ("valid", "same", "causal")


class ShapeError(ValueError):
    """An input shape or an argument that Keras rejects.

    ``code`` is the diagnostic code (``KS302``...), ``field`` the spec field to
    blame (``kernel_size``) or None for the layer as a whole. ``reshape_to`` is
    a shape (without batch) that would make the input acceptable, when one is
    obvious: the analysis turns it into a fix-it hint.
    """

    def __init__(
        self,
        code: str,
        message: str,
        field: str | None = None,
        hint: str | None = None,
        *,
        reshape_to: Shape | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.hint = hint
        self.reshape_to = reshape_to
        #: Where in the layer to point, as path parts: ``(field,)``, or deeper for a
        #: layer held in a wrapper or a nested block (``("layers", 2, "kernel_size")``).
        self.where: tuple[str | int, ...] = (field,) if field else ()

    def inside(self, *prefix: str | int) -> ShapeError:
        """The same error, pointing at a field of a layer held at ``prefix`` in this one."""
        self.where = (*prefix, *self.where)
        return self


def fmt_shape(shape: Sequence[int | None]) -> str:
    """A shape as Keras prints it: ``(None, 28, 28, 1)``."""
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def fmt_list(shape: Sequence[int | None]) -> str:
    """A shape as a spec writes it: ``[28, 28, 1]`` (``null`` for unknown)."""
    return "[" + ", ".join("null" if d is None else str(d) for d in shape) + "]"


# --------------------------------------------------------------------------- one axis


def effective_kernel(kernel: int, dilation: int = 1) -> int:
    """The span of a dilated kernel: ``dilation * (kernel - 1) + 1``."""
    return dilation * (kernel - 1) + 1


def conv_output_length(
    length: int | None,
    kernel: int,
    stride: int = 1,
    padding: str = "valid",
    dilation: int = 1,
    *,
    what: str = "output length",
) -> int | None:
    """One spatial axis of a convolution, as ``compute_conv_output_shape``.

    ``valid``: ``(length - span) // stride + 1`` with ``span`` the dilated
    kernel, rejected when <= 0; ``same`` and ``causal``:
    ``(length - 1) // stride + 1``. Python's ``//`` floors like Keras's
    ``np.floor``, negative numerators included.
    """
    if padding not in PADDINGS:
        raise ShapeError(
            "KS309", f"`padding` must be 'valid', 'same' or 'causal', got {padding!r}", "padding"
        )
    if length is None:
        return None
    if padding == "valid":
        span = effective_kernel(kernel, dilation)
        out = (length - span) // stride + 1
        if out <= 0:
            dil = f" (kernel_size {kernel}, dilation_rate {dilation})" if dilation != 1 else ""
            raise ShapeError(
                "KS303",
                f"{what} would be ({length} - {span}) // {stride} + 1 = {out}: "
                f"the kernel spans {span}{dil} but the input has only {length} with `padding: valid`",
                "kernel_size",
                "use `padding: same`, a smaller `kernel_size`, or fewer downsampling layers before this one",
            )
        return out
    return (length - 1) // stride + 1


def pool_output_length(
    length: int | None,
    pool: int,
    stride: int | None = None,
    padding: str = "valid",
    *,
    what: str = "output length",
) -> int | None:
    """One spatial axis of a pooling layer, as ``compute_pooling_output_shape``.

    ``stride`` defaults to ``pool`` (Keras's default ``strides=None``).
    """
    stride = pool if stride is None else stride
    if padding not in ("valid", "same"):
        raise ShapeError(
            "KS309", f"`padding` must be 'valid' or 'same', got {padding!r}", "padding"
        )
    if length is None:
        return None
    if padding == "valid":
        out = (length - pool) // stride + 1
        if out <= 0:
            raise ShapeError(
                "KS303",
                f"{what} would be ({length} - {pool}) // {stride} + 1 = {out}: "
                f"the pooling window ({pool}) is larger than the input ({length}) with `padding: valid`",
                "pool_size",
                "use `padding: same`, a smaller `pool_size`, or fewer downsampling layers before this one",
            )
        return out
    return (length - 1) // stride + 1


def deconv_output_length(
    length: int | None,
    kernel: int,
    stride: int = 1,
    padding: str = "valid",
    output_padding: int | None = None,
    dilation: int = 1,
    *,
    what: str = "output length",
) -> int | None:
    """One spatial axis of a transposed convolution (Keras's TF-padding rule).

    ``valid``: ``(length - 1) * stride + max(span, stride)`` without
    ``output_padding``, else ``(length - 1) * stride + span + output_padding``.
    ``same``: ``length * stride`` without ``output_padding``, else
    ``(length - 1) * stride + span % 2 + output_padding``, which can be 0
    (Keras accepts a zero size; only a negative one is rejected, by the
    tensor's shape check).
    """
    if padding not in ("valid", "same"):
        raise ShapeError(
            "KS309", f"`padding` must be 'valid' or 'same', got {padding!r}", "padding"
        )
    if length is None:
        return None
    span = effective_kernel(kernel, dilation)
    if padding == "valid":
        extra = max(span, stride) - span if output_padding is None else output_padding
        out = (length - 1) * stride + span + extra
    elif output_padding is None:
        out = length * stride
    else:
        out = (length - 1) * stride + span % 2 + output_padding
    if out < 0:
        raise ShapeError(
            "KS303",
            f"{what} would be {out}: the input has size {length}",
            "kernel_size",
            "remove the layer that shrinks this axis to 0 before this one",
        )
    return out


# --------------------------------------------------------------------------- whole shapes


def spatial_axes(rank: int, data_format: str | None) -> tuple[int, ...]:
    """Indices of the spatial axes of a (batch, ...) shape of ``rank``."""
    if data_format == "channels_first":
        return tuple(range(2, rank))
    return tuple(range(1, rank - 1))


def channel_axis(data_format: str | None) -> int:
    return 1 if data_format == "channels_first" else -1


def _with_spatial(
    shape: Shape, data_format: str | None, spatial: Sequence[int | None], channels: int | None
) -> Shape:
    if data_format == "channels_first":
        return (shape[0], channels, *spatial)
    return (shape[0], *spatial, channels)


_AXIS_NAMES = {1: ("steps",), 2: ("rows", "cols"), 3: ("depth", "rows", "cols")}


def axis_names(n: int) -> tuple[str, ...]:
    names = _AXIS_NAMES.get(n)  # not `.get(n, default)`: that builds the default for every layer
    return names if names is not None else tuple(f"axis {i + 1}" for i in range(n))


def conv_output_shape(
    input_shape: Shape,
    filters: int,
    kernel_size: Sequence[int],
    strides: Sequence[int],
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate: Sequence[int] | None = None,
    *,
    layer: str = "Conv",
) -> Shape:
    """A convolution's output, as ``compute_conv_output_shape``: rank must be len(kernel_size) + 2."""
    n = len(kernel_size)
    dilation_rate = tuple(dilation_rate) if dilation_rate is not None else (1,) * n
    if len(input_shape) != n + 2:
        raise ShapeError(
            "KS302",
            f"{layer} expects an input of rank {n + 2}, got rank {len(input_shape)}: {fmt_shape(input_shape)}",
        )
    names = axis_names(n)
    spatial = [
        conv_output_length(
            input_shape[ax],
            kernel_size[i],
            strides[i],
            padding,
            dilation_rate[i],
            what=f"{layer} output {names[i]}",
        )
        for i, ax in enumerate(spatial_axes(len(input_shape), data_format))
    ]
    return _with_spatial(input_shape, data_format, spatial, filters)


def conv_transpose_output_shape(
    input_shape: Shape,
    filters: int,
    kernel_size: Sequence[int],
    strides: Sequence[int],
    padding: str = "valid",
    output_padding: Sequence[int] | None = None,
    data_format: str | None = None,
    dilation_rate: Sequence[int] | None = None,
    *,
    layer: str = "ConvTranspose",
) -> Shape:
    """A transposed convolution's output, as ``compute_conv_transpose_output_shape``."""
    n = len(kernel_size)
    dilation_rate = tuple(dilation_rate) if dilation_rate is not None else (1,) * n
    if len(input_shape) != n + 2:
        raise ShapeError(
            "KS302",
            f"{layer} expects an input of rank {n + 2}, got rank {len(input_shape)}: {fmt_shape(input_shape)}",
        )
    names = axis_names(n)
    spatial = [
        deconv_output_length(
            input_shape[ax],
            kernel_size[i],
            strides[i],
            padding,
            None if output_padding is None else output_padding[i],
            dilation_rate[i],
            what=f"{layer} output {names[i]}",
        )
        for i, ax in enumerate(spatial_axes(len(input_shape), data_format))
    ]
    return _with_spatial(input_shape, data_format, spatial, filters)


def pool_output_shape(
    input_shape: Shape,
    pool_size: Sequence[int],
    strides: Sequence[int] | None = None,
    padding: str = "valid",
    data_format: str | None = None,
    *,
    layer: str = "Pooling",
) -> Shape:
    """A pooling layer's output, as ``compute_pooling_output_shape`` (strides default to pool_size)."""
    n = len(pool_size)
    strides = tuple(pool_size) if strides is None else tuple(strides)
    if len(input_shape) != n + 2:
        raise ShapeError(
            "KS302",
            f"{layer} expects an input of rank {n + 2}, got rank {len(input_shape)}: {fmt_shape(input_shape)}",
        )
    names = axis_names(n)
    axes = spatial_axes(len(input_shape), data_format)
    spatial = [
        pool_output_length(
            input_shape[ax], pool_size[i], strides[i], padding, what=f"{layer} output {names[i]}"
        )
        for i, ax in enumerate(axes)
    ]
    return _with_spatial(input_shape, data_format, spatial, input_shape[channel_axis(data_format)])


def global_pool_output_shape(
    input_shape: Shape, data_format: str | None = None, keepdims: bool = False
) -> Shape:
    """Global pooling: the channels, with 1 for each spatial axis under ``keepdims``."""
    channels = input_shape[channel_axis(data_format)]
    n = len(input_shape) - 2
    if keepdims:
        return _with_spatial(input_shape, data_format, (1,) * n, channels)
    return (input_shape[0], channels)


def dense_output_shape(input_shape: Shape, units: int) -> Shape:
    """Dense acts on the last axis only: ``(..., d) -> (..., units)``, any rank >= 2."""
    return (*input_shape[:-1], units)


def flatten_output_shape(input_shape: Shape) -> Shape:
    """``(batch, prod(rest))``; unknown when any non-batch size is unknown; ``(batch, 1)`` for rank 1."""
    rest = input_shape[1:]
    if not rest:
        return (input_shape[0], 1)
    if any(d is None for d in rest):
        return (input_shape[0], None)
    return (input_shape[0], math.prod(rest))  # type: ignore[arg-type]


def validate_target_shape(target_shape: Sequence[int]) -> None:
    """Keras's ``validate_reshape_shape``: sizes >= 0 or -1, at most one -1."""
    bad = [d for d in target_shape if d < -1]
    if bad:
        raise ShapeError(
            "KS304",
            f"`target_shape` {fmt_list(target_shape)} has size {bad[0]}: sizes must be >= 0, or -1 for one inferred size",
            "target_shape",
        )
    if list(target_shape).count(-1) > 1:
        raise ShapeError(
            "KS304",
            f"`target_shape` {fmt_list(target_shape)} has more than one -1: Keras can infer only one size",
            "target_shape",
            "give every size but one explicitly",
        )


def reshape_output_shape(input_shape: Shape, target_shape: Sequence[int]) -> Shape:
    """Reshape of each sample, as ``compute_reshape_output_shape`` on ``input_shape[1:]``.

    When any input size is unknown Keras checks nothing and a -1 becomes None.
    """
    validate_target_shape(target_shape)
    sample = input_shape[1:]
    target = tuple(target_shape)
    if any(d is None for d in sample):
        return (input_shape[0], *(None if d == -1 else d for d in target))
    size = math.prod(sample)  # type: ignore[arg-type]
    known = math.prod(d for d in target if d != -1)
    if -1 not in target:
        if size != known:
            raise ShapeError(
                "KS304",
                f"cannot reshape {fmt_shape(input_shape)} ({size} values per sample) "
                f"to {fmt_list(target)} ({known} values)",
                "target_shape",
                f"the target must hold {size} values; use -1 for one size to infer it, e.g. {fmt_list((-1,))}",
            )
        return (input_shape[0], *target)
    if known == 0 or size % known != 0:
        raise ShapeError(
            "KS304",
            f"cannot reshape {fmt_shape(input_shape)} ({size} values per sample) to {fmt_list(target)}: "
            f"{size} is not divisible by the product of the given sizes ({known})",
            "target_shape",
            f"choose sizes whose product divides {size}",
        )
    return (input_shape[0], *(size // known if d == -1 else d for d in target))


def cropping2d_output_shape(
    input_shape: Shape,
    cropping: tuple[tuple[int, int], tuple[int, int]],
    data_format: str | None = None,
) -> Shape:
    """Cropping2D: each spatial size minus its crops; Keras rejects crops >= the size."""
    axes = spatial_axes(4, data_format)
    out = list(input_shape)
    for (lo, hi), ax, name in zip(cropping, axes, ("rows", "cols"), strict=True):
        size = input_shape[ax]
        if size is None:
            continue
        if lo + hi >= size:
            raise ShapeError(
                "KS303",
                f"Cropping2D output {name} would be {size} - {lo} - {hi} = {size - lo - hi}: "
                f"it crops {lo + hi} of {size} {name}",
                "cropping",
                f"crop fewer than {size} {name} in total",
            )
        out[ax] = size - lo - hi
    return tuple(out)


def zero_padding2d_output_shape(
    input_shape: Shape,
    padding: tuple[tuple[int, int], tuple[int, int]],
    data_format: str | None = None,
) -> Shape:
    out = list(input_shape)
    for (lo, hi), ax in zip(padding, spatial_axes(4, data_format), strict=True):
        if out[ax] is not None:
            out[ax] = out[ax] + lo + hi  # type: ignore[operator]
    return tuple(out)


def upsampling2d_output_shape(
    input_shape: Shape, size: Sequence[int], data_format: str | None = None
) -> Shape:
    out = list(input_shape)
    for factor, ax in zip(size, spatial_axes(4, data_format), strict=True):
        if out[ax] is not None:
            out[ax] = out[ax] * factor  # type: ignore[operator]
    return tuple(out)


def zero_padding_output_shape(
    input_shape: Shape, padding: Sequence[tuple[int, int]], data_format: str | None = None
) -> Shape:
    """ZeroPadding1D/2D/3D: each spatial size plus its (before, after) padding; unknown stays unknown."""
    out = list(input_shape)
    for (lo, hi), ax in zip(padding, spatial_axes(len(input_shape), data_format), strict=True):
        if out[ax] is not None:
            out[ax] = out[ax] + lo + hi  # type: ignore[operator]
    return tuple(out)


def cropping_output_shape(
    input_shape: Shape,
    cropping: Sequence[tuple[int, int]],
    data_format: str | None = None,
    *,
    layer: str = "Cropping",
) -> Shape:
    """Cropping1D/2D/3D: each spatial size minus its crops; Keras rejects crops that leave <= 0."""
    axes = spatial_axes(len(input_shape), data_format)
    names = axis_names(len(axes))
    out = list(input_shape)
    for (lo, hi), ax, name in zip(cropping, axes, names, strict=True):
        size = input_shape[ax]
        if size is None:
            continue
        if lo + hi >= size:
            raise ShapeError(
                "KS303",
                f"{layer} output {name} would be {size} - {lo} - {hi} = {size - lo - hi}: "
                f"it crops {lo + hi} of {size} {name}",
                "cropping",
                f"crop fewer than {size} {name} in total",
            )
        out[ax] = size - lo - hi
    return tuple(out)


def upsampling_output_shape(
    input_shape: Shape, size: Sequence[int], data_format: str | None = None
) -> Shape:
    """UpSampling1D/2D/3D: each spatial size times its factor; unknown stays unknown."""
    out = list(input_shape)
    for factor, ax in zip(size, spatial_axes(len(input_shape), data_format), strict=True):
        if out[ax] is not None:
            out[ax] = out[ax] * factor  # type: ignore[operator]
    return tuple(out)


def adaptive_pool_output_shape(
    input_shape: Shape, output_size: Sequence[int], data_format: str | None = None
) -> Shape:
    """Adaptive pooling, as ``BaseAdaptivePooling.compute_output_shape``: the channels, at ``output_size``.

    The output size does not depend on the input's spatial sizes, known or not.
    """
    if data_format == "channels_first":
        return (input_shape[0], input_shape[1], *output_size)
    return (input_shape[0], *output_size, input_shape[-1])


def repeat_vector_output_shape(input_shape: Shape, n: int) -> Shape:
    """RepeatVector: ``(batch, features) -> (batch, n, features)``."""
    return (input_shape[0], n, input_shape[1])


def validate_permutation(dims: Sequence[int]) -> None:
    """Keras's Permute check: ``dims`` holds each of 1..len(dims) once (the batch axis is 0, never moved)."""
    if sorted(dims) != list(range(1, len(dims) + 1)):
        raise ShapeError(
            "KS309",
            f"Permute `dims` {fmt_list(dims)} must hold each of 1..{len(dims)} exactly once "
            "(axes count from 1, after the batch axis)",
            "dims",
            f"e.g. {fmt_list(list(range(len(dims), 0, -1)) or [2, 1])} reverses the axes",
        )


def permute_output_shape(input_shape: Shape, dims: Sequence[int]) -> Shape:
    """Permute: the batch axis, then the input's axes in the order ``dims`` names them."""
    validate_permutation(dims)
    return (input_shape[0], *(input_shape[d] for d in dims))


def normalize_axis(axis: int, rank: int, *, field: str = "axis", layer: str = "layer") -> int:
    """``axis`` in [-rank, rank) as an index in [0, rank); Keras counts the batch axis as 0."""
    if not -rank <= axis < rank:
        raise ShapeError(
            "KS309",
            f"{layer} `axis` {axis} is out of range for an input of rank {rank}: it must be in [{-rank}, {rank - 1}]",
            field,
            "use -1 for the last axis (the channels in channels_last data)",
        )
    return axis % rank


# --------------------------------------------------------------------------- EinsumDense

#: The three equation forms Keras's ``_analyze_einsum_string`` matches, in its order, after
#: replacing ``...`` with ``0``; the second elides axes on the left. ``re.match`` anchors
#: at the start only: text after a match is ignored, as Keras ignores it.
_EINSUM_FORMS = (
    ("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", False),
    ("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", True),
    ("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", False),
)


class EinsumShapes(NamedTuple):
    """What EinsumDense's ``build`` makes: its kernel, its bias (or None) and its output."""

    kernel: tuple[int | None, ...]
    bias: tuple[int | None, ...] | None
    output: Shape


def einsum_dense_shapes(
    equation: str, bias_axes: str | None, input_shape: Shape, output_shape: int | Sequence[int | None]
) -> EinsumShapes:
    """EinsumDense's weights and output, step for step as Keras's ``_analyze_einsum_string``.

    ``input_shape`` includes the batch axis; ``output_shape`` is the layer's argument
    (without the batch). Keras's quirks are kept, since its summary reports them: the
    input letters map to the first axes of the input, the batch axis included, whatever
    the equation's rank; with ``...`` on the left the elided axes come out in reverse
    order; a size left ``None`` in ``output_shape`` stays ``None`` even where the input
    knows it. Raises ShapeError (KS309) where Keras raises (ValueError or IndexError);
    ``None`` in a weight shape is the caller's to refuse (Keras's ``add_weight`` does).
    """
    dot_replaced = re.sub(r"\.\.\.", "0", equation)
    for pattern, left_elided in _EINSUM_FORMS:
        split = re.match(pattern, dot_replaced)
        if split:
            return _einsum_split(equation, split, bias_axes, input_shape, output_shape, left_elided)
    raise ShapeError(
        "KS309",
        f"EinsumDense `equation` '{equation}' is not an einsum of the input and the kernel: Keras takes "
        "'[X],[Y]->[Z]', '...[X],[Y]->...[Z]' or '[X]...,[Y]->[Z]...' (letters only)",
        "equation",
        "e.g. 'ab,bc->ac' (a Dense layer) or '...b,bc->...c' (Dense on the last axis)",
    )


def _einsum_split(
    equation: str,
    split: re.Match[str],
    bias_axes: str | None,
    input_shape: Shape,
    partial: int | Sequence[int | None],
    left_elided: bool,
) -> EinsumShapes:
    input_spec, weight_spec, output_spec = split.group(1), split.group(2), split.group(3)
    elided = len(input_shape) - len(input_spec)
    output: list[int | None] = [partial] if isinstance(partial, int) else list(partial)
    given = fmt_list(output)
    output.insert(0, input_shape[0])
    if elided > 0 and left_elided:
        for i in range(1, elided):
            output.insert(1, input_shape[i])
    elif elided > 0 and not left_elided:
        for i in range(len(input_shape) - elided, len(input_shape)):
            output.append(input_shape[i])

    def in_axis(i: int) -> int | None:
        if not -len(input_shape) <= i < len(input_shape):
            raise ShapeError(
                "KS309",
                f"EinsumDense `equation` '{equation}' names more input axes ('{input_spec}') than the input "
                f"{fmt_shape(input_shape)} has (the batch axis is the first letter)",
                "equation",
                "write one letter per input axis, the batch included, or use '...' for the leading axes",
            )
        return input_shape[i]

    def out_axis(i: int) -> int | None:
        if not -len(output) <= i < len(output):
            raise ShapeError(
                "KS309",
                f"EinsumDense `output_shape` {given} is too short for the equation's output '{output_spec}' "
                f"(with the batch axis first, the output would be {fmt_shape(output)})",
                "output_shape",
                f"give `output_shape` one size per letter of '{output_spec}' after the batch (null for any)",
            )
        return output[i]

    if left_elided:
        input_dim_map = {dim: (i + elided) - len(input_shape) for i, dim in enumerate(input_spec)}
        output_dim_map = {dim: i + elided for i, dim in enumerate(output_spec)}
    else:
        input_dim_map = {dim: i for i, dim in enumerate(input_spec)}
        output_dim_map = {dim: i for i, dim in enumerate(output_spec)}

    for dim in input_spec:
        size_in = in_axis(input_dim_map[dim])
        if dim in output_dim_map:
            size_out = out_axis(output_dim_map[dim])
            if size_out is not None and size_out != size_in:
                raise ShapeError(
                    "KS309",
                    f"EinsumDense `output_shape` {given} gives axis '{dim}' the size {size_out}, but the input "
                    f"has {'an unknown size' if size_in is None else size_in} there: {fmt_shape(input_shape)}",
                    "output_shape",
                    f"an axis the input and the output share keeps its size: use {size_in if size_in is not None else 'null'} "
                    "(or null) for it",
                )
    for dim in output_spec:
        if dim not in input_spec and dim not in weight_spec:
            raise ShapeError(
                "KS309",
                f"EinsumDense `equation` '{equation}': output axis '{dim}' is in neither the input ('{input_spec}') "
                f"nor the kernel ('{weight_spec}')",
                "equation",
                "every output letter must come from the input or the kernel",
            )

    kernel: list[int | None] = []
    for dim in weight_spec:
        if dim in output_dim_map:
            kernel.append(out_axis(output_dim_map[dim]))
        elif dim in input_dim_map:
            kernel.append(in_axis(input_dim_map[dim]))
        else:
            raise ShapeError(
                "KS309",
                f"EinsumDense `equation` '{equation}': kernel axis '{dim}' is in neither the input ('{input_spec}') "
                f"nor the output ('{output_spec}'), so its size is unknown",
                "equation",
                "every kernel letter must also appear in the input or the output",
            )

    bias: list[int | None] | None = None
    if bias_axes is not None:
        num_left_elided = elided if left_elided else 0
        idx_map = {char: out_axis(i + num_left_elided) for i, char in enumerate(output_spec)}
        for char in bias_axes:
            if char not in output_spec:
                raise ShapeError(
                    "KS309",
                    f"EinsumDense `bias_axes` '{bias_axes}' names axis '{char}', which is not in the "
                    f"equation's output '{output_spec}'",
                    "bias_axes",
                    f"use letters of '{output_spec}', e.g. '{output_spec[-1]}' for a bias per output unit",
                )
        if not bias_axes:
            raise ShapeError(
                "KS309",
                "EinsumDense `bias_axes` is empty: Keras needs at least one output axis (min() of an empty sequence)",
                "bias_axes",
                f"name the axes to add a bias on, e.g. '{output_spec[-1]}', or leave `bias_axes` out for no bias",
            )
        first = min(output_spec.find(char) for char in bias_axes)
        bias = [idx_map[char] if char in bias_axes else 1 for char in output_spec[first:]]
        if not left_elided:
            bias += [1] * max(elided, 0)
    return EinsumShapes(tuple(kernel), None if bias is None else tuple(bias), tuple(output))
