"""Preprocessing and augmentation layers: rescaling, normalization, resizing, random transforms.

Keras 3 checks most of these layers' arguments in the constructor (each layer its
own way: ``factor`` ranges, ``fill_mode`` and ``interpolation`` names, always in
lower case) and gives almost all of them a ``compute_output_shape`` that returns
its input shape, so that building a model runs no other check: a random
augmentation builds on an input of any rank, though when it runs it refuses any rank
but 4 (a batch of images) and 3 (which it reads as one image, batch and all). The
definitions follow what Keras builds:

- the **augmentation layers** (``RandomFlip``... ``RandAugment``) keep the shape
  and create no weights (their random seed is a state variable, which Keras's
  ``count_params`` does not count); they are the identity at inference
  (:meth:`Layer.output_activation` is None);
- ``Resizing``, ``CenterCrop`` and ``RandomCrop`` replace the two spatial axes
  the way their ``compute_output_shape`` does, even where that is not the
  batch's image axes (a rank-3 input is read as one unbatched image);
- ``Normalization`` creates ``mean``, ``variance`` and ``count`` state (2n + 1
  non-trainable parameters) unless it is given ``mean`` and ``variance``; the
  state is learnt by ``adapt`` before training (:mod:`kerasspec.adapt`);
- ``IntegerLookup`` without a ``vocabulary`` learns one the same way; until then
  the size of its encoded output is unknown, as it is when Keras builds the model.

Where Keras accepts a value when the model is built that can only fail (or do
nothing) when the layer runs, the spec refuses it, and the definition lists it
in ``STRICTER_THAN_KERAS`` with the reason.
"""

import math
from collections.abc import Callable, Iterator
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from ..fields import (
    Choice,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    StrictBool,
    StrictFloat,
    StrictInt,
    describe,
)
from ..shapes import Shape, ShapeError, conv_output_shape, fmt_list, fmt_shape
from .base import DataFormat, Layer, Weight, channels
from .blocks import _Block

# --------------------------------------------------------------------------- field types


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _wrong(expected: str, value: Any) -> PydanticCustomError:
    return PydanticCustomError("KS203", "expected {expected}, got {got}", {"expected": expected, "got": describe(value)})


def _range(lo: float, hi: float, low_open: bool) -> str:
    return f"{'(' if low_open else '['}{lo:g}, {hi:g}]"


def _factor_parser(
    lo: float, hi: float, *, each: bool, low_open: bool, falsy_is_zero: bool, pair: bool, nullable: bool, what: str
) -> Callable[[Any], Any]:
    """Keras's checks of a "number or [lower, upper]" argument, one of its several variants.

    ``each``: both list values must lie in the range (RandomZoom, RandomTranslation,
    RandomShear, Solarization); otherwise the list is checked as
    ``BaseImagePreprocessingLayer._set_factor`` does: refused only when its first value
    is above the range or its second below it. ``falsy_is_zero``: the layer hands
    ``factor`` to the base class, which reads ``None``, ``0`` and ``[]`` as 0.
    """
    span = _range(lo, hi, low_open)

    def in_range(v: float) -> bool:
        return (lo < v if low_open else lo <= v) and v <= hi

    def parse(value: Any) -> Any:
        if nullable and value is None:
            return None
        if falsy_is_zero and (value is None or (isinstance(value, list | tuple) and not value)):
            return tuple(value) if isinstance(value, list | tuple) else None
        if _is_number(value):
            if not in_range(value):
                raise PydanticCustomError(
                    "KS205",
                    "`{what}` must be in {span}, got {got}",
                    {"what": what, "span": span, "got": value, "hint": f"use a value in {span}"},
                )
            return value
        if pair and isinstance(value, list | tuple):
            if len(value) != 2:
                raise PydanticCustomError(
                    "KS205",
                    "`{what}` as a list takes 2 values [lower, upper], got {n}",
                    {"what": what, "n": len(value)},
                )
            if not all(_is_number(v) for v in value):
                raise _wrong("a list of 2 numbers", value)
            first, second = value
            bad = not (in_range(first) and in_range(second)) if each else (first > hi or second < lo)
            if bad:
                raise PydanticCustomError(
                    "KS205",
                    "`{what}` {got} is out of range: its values must be in {span}",
                    {"what": what, "got": fmt_list(list(value)), "span": span, "hint": f"use values in {span}"},
                )
            return tuple(value)
        raise _wrong(f"a number in {span}" + (" or a list of 2 numbers" if pair else ""), value)

    return parse


def Factor(
    lo: float,
    hi: float,
    *,
    each: bool = False,
    low_open: bool = False,
    falsy_is_zero: bool = False,
    pair: bool = True,
    nullable: bool = False,
    what: str = "factor",
) -> Any:
    """A number in [lo, hi] or a list ``[lower, upper]``, checked the way the layer's Keras class does."""
    number: dict[str, Any] = {"type": "number", "maximum": hi}
    number["exclusiveMinimum" if low_open else "minimum"] = lo
    options: list[dict[str, Any]] = [number]
    if pair:
        options.append({"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2})
    if falsy_is_zero or nullable:
        options.append({"type": "null"})
    schema = {
        "anyOf": options,
        "description": f"A number in {_range(lo, hi, low_open)}"
        + (", or [lower, upper]" if pair else "")
        + (" (null: 0)" if falsy_is_zero else "; null: none" if nullable else "")
        + ".",
    }
    parse = _factor_parser(
        lo, hi, each=each, low_open=low_open, falsy_is_zero=falsy_is_zero, pair=pair, nullable=nullable, what=what
    )
    return Annotated[float | tuple[float, ...] | None, PlainValidator(parse), WithJsonSchema(schema)]


def _value_range(value: Any) -> tuple[float, float]:
    if not isinstance(value, list | tuple):
        raise _wrong("a list of 2 numbers [low, high]", value)
    if len(value) != 2:
        raise PydanticCustomError("KS205", "`value_range` takes 2 values [low, high], got {n}", {"n": len(value)})
    if not all(_is_number(v) for v in value):
        raise _wrong("a list of 2 numbers [low, high]", value)
    return (value[0], value[1])


#: ``value_range``: the range of the input's pixel values, ``[0, 255]`` or ``[0, 1]``...
ValueRange = Annotated[
    tuple[float, float],
    PlainValidator(_value_range),
    WithJsonSchema(
        {
            "type": "array",
            "items": {"type": "number"},
            "minItems": 2,
            "maxItems": 2,
            "description": "The range of the input values, [low, high], e.g. [0, 255] or [0, 1].",
        }
    ),
]

_VALUE_RANGE_UNCHECKED = (
    "Keras stores `value_range` without checking it and uses it only when the layer runs: "
    "the spec requires 2 numbers [low, high] here, as the other image layers' constructors do"
)


def _odd_kernel(value: Any) -> tuple[int, int]:
    """RandomGaussianBlur's `kernel_size`: an odd size, or [height, width] of odd sizes."""
    items = [value, value] if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(items, list | tuple) or not all(isinstance(v, int) and not isinstance(v, bool) for v in items):
        raise _wrong("an odd integer or a list of 2 odd integers", value)
    if len(items) != 2:
        raise PydanticCustomError("KS205", "`kernel_size` as a list takes 2 values, got {n}", {"n": len(items)})
    if any(v < 1 or v % 2 == 0 for v in items):
        raise PydanticCustomError(
            "KS205",
            "`kernel_size` must be odd and positive, got {got}",
            {"got": value, "hint": "use an odd size such as 3 or 5"},
        )
    return (items[0], items[1])


OddKernel = Annotated[
    tuple[int, int],
    PlainValidator(_odd_kernel),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1},
                {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 2, "maxItems": 2},
            ],
            "description": "An odd kernel size, or [height, width] of odd sizes.",
        }
    ),
]


def _int_pair(value: Any) -> tuple[int, int]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise _wrong("a list of 2 integers", value)
    if len(value) != 2:
        raise PydanticCustomError("KS205", "expected 2 values, got {n}", {"n": len(value)})
    if any(v < 1 for v in value):
        raise PydanticCustomError("KS205", "every value must be >= 1, got {bad}", {"bad": min(value)})
    return (value[0], value[1])


PositivePair = Annotated[
    tuple[int, int],
    PlainValidator(_int_pair),
    WithJsonSchema({"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 2, "maxItems": 2}),
]


def _array_shape(value: Any) -> tuple[int, ...]:
    """``np.shape`` of a number or a rectangular nested list of numbers."""
    if _is_number(value):
        return ()
    if not isinstance(value, list | tuple) or not value:
        raise _wrong("a number or a (nested) list of numbers", value)
    inner = [_array_shape(v) for v in value]
    if any(s != inner[0] for s in inner):
        raise PydanticCustomError("KS205", "the nested lists must all have the same length", {})
    return (len(value), *inner[0])


def _array(value: Any) -> Any:
    _array_shape(value)

    def frozen(v: Any) -> Any:
        return tuple(frozen(x) for x in v) if isinstance(v, list | tuple) else v

    return frozen(value)


#: A number, or a (nested) list of numbers broadcast against the input: Normalization's statistics.
Array = Annotated[
    float | tuple[Any, ...],
    PlainValidator(_array),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {"type": "array", "items": {"anyOf": [{"type": "number"}, {"type": "array"}]}, "minItems": 1},
            ],
            "description": "A number, or a list of numbers (one per position of the normalized axes).",
        }
    ),
]


def _number_or_list(value: Any) -> float | tuple[float, ...]:
    if _is_number(value):
        return value
    if isinstance(value, list | tuple) and value and all(_is_number(v) for v in value):
        return tuple(value)
    raise _wrong("a number or a list of numbers", value)


#: Rescaling's `scale` and `offset`: one number, or one per channel (broadcast over the last axis).
NumberOrList = Annotated[
    float | tuple[float, ...],
    PlainValidator(_number_or_list),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "array", "items": {"type": "number"}, "minItems": 1}],
            "description": "A number, or a list of numbers broadcast over the last axis (one per channel).",
        }
    ),
]

# The spellings Keras's constructors compare against, in lower case only (none lower-cases them).
FillMode = Choice("reflect", "wrap", "constant", "nearest", description="How points outside the image are filled: `reflect`, `wrap`, `constant` or `nearest` (lower case).")
Interpolation = Choice("bilinear", "nearest", description="`bilinear` or `nearest` (lower case).")
Seed = Annotated[int, Field(strict=True, description="A seed for the layer's random draws; null for a random one.")]


# --------------------------------------------------------------------------- shared bases


class _Augmentation(Layer):
    """A random image transform: same shape out, no weights, the identity at inference."""

    EXAMPLE_INPUT: ClassVar = "[32, 32, 3]"
    #: What its ``call`` checks when a Pipeline traces it (:func:`traced_output_shape`).
    TRACED: ClassVar[str] = "image"

    def output_shape(self, shape: Shape) -> Shape:
        # Keras's compute_output_shape returns the input shape whatever its rank.
        return shape

    def output_activation(self) -> str | None:
        return None


class _ValueAugmentation(_Augmentation):
    """An augmentation of pixel values in `value_range`, with its own seed and data format."""

    value_range: ValueRange = (0, 255)
    seed: Seed | None = None
    data_format: DataFormat | None = None


def _rank_error(layer: Layer, shape: Shape, want: str, hint: str | None = None) -> ShapeError:
    return ShapeError(
        "KS302",
        f"{layer.kind} expects {want}, got rank {len(shape)}: {fmt_shape(shape)}",
        None,
        hint or "images are (batch, rows, cols, channels): add a Reshape before it",
    )


def _spatial(layer: Layer, shape: Shape, height: int, width: int) -> Shape:
    """Resizing/CenterCrop's compute_output_shape: a rank-4 input is a batch, any other one image."""
    out = list(shape)
    cf = getattr(layer, "data_format", None) == "channels_first"
    first = 1 if len(shape) == 4 else 0
    axes = (first + 1, first + 2) if cf else (first, first + 1)
    if axes[1] >= len(shape):
        raise _rank_error(layer, shape, "an image input of rank 3 or more" if cf else "an input of rank 2 or more")
    out[axes[0]], out[axes[1]] = height, width
    return tuple(out)


# --------------------------------------------------------------------------- rescaling, normalization


class Rescaling(Layer):
    """Multiplies by `scale` and adds `offset`, e.g. `scale: 0.00392156862745098` for 1/255.

    `scale` and `offset` may be lists, one value per channel (broadcast over the last axis).
    """

    TYPES: ClassVar = ("Rescaling",)
    STRICTER_THAN_KERAS: ClassVar = {
        "scale": "a list must broadcast over the input's last axis (1 value or one per channel): "
        "Keras only finds out when the layer first runs",
        "offset": "as `scale`",
    }
    type: Literal["Rescaling"]
    scale: NumberOrList = Field(description="The factor inputs are multiplied by (a number, or one per channel).")
    offset: NumberOrList = Field(0.0, description="The value added after scaling (a number, or one per channel).")

    def output_shape(self, shape: Shape) -> Shape:
        last = shape[-1]
        for name in ("scale", "offset"):
            value = getattr(self, name)
            if isinstance(value, tuple) and len(value) != 1 and last is not None and len(value) != last:
                raise ShapeError(
                    "KS309",
                    f"Rescaling `{name}` has {len(value)} values, which do not broadcast over the "
                    f"last axis of the input (size {last}): {fmt_shape(shape)}",
                    name,
                    f"give one value, or {last} (one per channel)",
                )
        return shape


class Normalization(Layer):
    """Shifts and scales inputs by a mean and variance: given, or learnt from the training data.

    Without `mean` and `variance` the layer keeps `mean`, `variance` and `count` as state
    (not trained: 2 per normalized position + 1 parameters) and `kerasspec train` fits
    them to the training data (``adapt``) before training starts.
    """

    TYPES: ClassVar = ("Normalization",)
    EXAMPLE_INPUT: ClassVar = "[8]"
    type: Literal["Normalization"]
    axis: StrictInt | list[StrictInt] | None = Field(
        -1, description="The axis or axes with a mean and variance each (others are averaged over); null: one for all."
    )
    mean: Array | None = Field(None, description="The mean to subtract; null: learnt from the training data.")
    variance: Array | None = Field(None, description="The variance to divide by (its square root); null: learnt with `mean`.")
    invert: StrictBool = Field(False, description="Undo the normalization instead (multiply, then add the mean).")

    @property
    def axes(self) -> tuple[int, ...]:
        if self.axis is None:
            return ()
        return (self.axis,) if isinstance(self.axis, int) else tuple(self.axis)

    def argument_errors(self) -> list[ShapeError]:
        if (self.mean is None) != (self.variance is None):
            given, missing = ("mean", "variance") if self.mean is not None else ("variance", "mean")
            return [
                ShapeError(
                    "KS211",
                    f"Normalization has `{given}` but no `{missing}`: Keras needs both, or neither (learnt from the data)",
                    missing,
                    f"add `{missing}`, or remove `{given}` to learn both from the training data",
                )
            ]
        if self.mean is not None:
            ms, vs = _array_shape(self.mean), _array_shape(self.variance)
            if ms != vs:
                return [
                    ShapeError(
                        "KS309",
                        f"Normalization `mean` and `variance` must have the same shape, got {fmt_list(ms)} and {fmt_list(vs)}",
                        "variance",
                        "give one variance per mean",
                    )
                ]
            if len(ms) > len(self.axes):
                return [
                    ShapeError(
                        "KS309",
                        f"Normalization `mean` has rank {len(ms)}, more than the {len(self.axes)} axes of `axis` "
                        f"({self.axis})",
                        "mean",
                        "give a number, or one value per position of the `axis` axes",
                    )
                ]
        return []

    def _keep(self, shape: Shape) -> tuple[int, ...]:
        ndim = len(shape)
        for a in self.axes:
            if not -ndim <= a < ndim:
                raise ShapeError(
                    "KS309",
                    f"Normalization `axis` {a} is out of range for an input of rank {ndim}: "
                    f"it must be in [{-ndim}, {ndim - 1}]",
                    "axis",
                    "use -1 for the last axis (the channels in channels_last data)",
                )
        keep = tuple(sorted(a % ndim for a in self.axes))
        for d in keep:
            if shape[d] is None:
                raise ShapeError(
                    "KS308",
                    f"Normalization keeps a mean and variance per position of axis {d}, whose size is "
                    f"unknown: input {fmt_shape(shape)}",
                    "axis",
                    "give that axis a size in the input shape"
                    + (" (axis 0 is the batch: use -1 for the last axis)" if d == 0 else ""),
                )
        return keep

    def output_shape(self, shape: Shape) -> Shape:
        keep = self._keep(shape)
        ndim = len(shape)
        broadcast = [shape[d] if d in keep else 1 for d in range(ndim)]
        if self.mean is None:
            # build() reshapes the (size of each kept axis) state to the broadcast shape:
            # an axis listed twice makes them differ.
            state = math.prod(shape[d] or 0 for d in keep)
            if state != math.prod(b or 0 for b in broadcast):
                raise ShapeError(
                    "KS309",
                    f"Normalization `axis` {self.axis} lists an axis twice: Keras cannot shape its "
                    f"statistics for input {fmt_shape(shape)}",
                    "axis",
                    "list each axis once",
                )
            return shape
        ms = _array_shape(self.mean)
        if ms:
            expanded = [1] * ndim
            for i in range(1, len(ms) + 1):
                expanded[keep[-i]] = ms[-i]
            fits = math.prod(expanded) == math.prod(ms) and all(
                e in (1, b) for e, b in zip(expanded, broadcast, strict=True)
            )
            if not fits:
                sizes = [shape[d] for d in keep]
                raise ShapeError(
                    "KS309",
                    f"Normalization `mean`/`variance` of shape {fmt_list(ms)} do not broadcast over the "
                    f"normalized axes {list(keep)} of sizes {fmt_list(sizes)}: input {fmt_shape(shape)}",
                    "mean",
                    f"give a number, or values of shape {fmt_list(sizes)}",
                )
        return shape

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        if self.mean is not None:
            return ()  # given statistics are constants, not weights
        stats = tuple(shape[d] or 0 for d in self._keep(shape))
        return (Weight("mean", stats, False), Weight("variance", stats, False), Weight("count", (), False))


# --------------------------------------------------------------------------- resizing and cropping


class Resizing(Layer):
    """Resizes images to `height` x `width` (batch, rows, cols, channels)."""

    TYPES: ClassVar = ("Resizing",)
    TRACED: ClassVar = "image"
    EXAMPLE_INPUT: ClassVar = "[32, 32, 3]"
    STRICTER_THAN_KERAS: ClassVar = {
        "height": "must be positive: Keras builds with any value and refuses it when the layer runs",
        "width": "must be positive, as `height`",
        "interpolation": "one of the methods the TensorFlow backend's resize takes; Keras checks it only when the layer runs",
        "fill_mode": "only `constant`, the one mode Keras's resize implements; checked only when the layer runs",
        "crop_to_aspect_ratio": "not together with `pad_to_aspect_ratio` (refused when the layer runs)",
    }
    type: Literal["Resizing"]
    height: PositiveInt = Field(description="Output height.")
    width: PositiveInt = Field(description="Output width.")
    interpolation: Choice(
        "bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5",
        description="`bilinear`, `nearest`, `bicubic`, `area`, `lanczos3` or `lanczos5` (lower case).",
    ) = "bilinear"  # fmt: skip
    crop_to_aspect_ratio: StrictBool = Field(False, description="Crop to the output aspect ratio instead of distorting.")
    pad_to_aspect_ratio: StrictBool = Field(False, description="Pad to the output aspect ratio instead of distorting.")
    fill_mode: Choice("constant", description="How padding is filled: `constant` (the only mode).") = "constant"
    fill_value: StrictFloat = Field(0.0, description="The padding value with `pad_to_aspect_ratio`.")
    antialias: StrictBool = Field(False, description="Antialias when downsampling.")
    data_format: DataFormat | None = None

    def argument_errors(self) -> list[ShapeError]:
        if self.crop_to_aspect_ratio and self.pad_to_aspect_ratio:
            return [
                ShapeError(
                    "KS211",
                    "Resizing takes `crop_to_aspect_ratio` or `pad_to_aspect_ratio`, not both",
                    "pad_to_aspect_ratio",
                    "keep one of them",
                )
            ]
        return []

    def output_shape(self, shape: Shape) -> Shape:
        return _spatial(self, shape, self.height, self.width)


class CenterCrop(Layer):
    """Crops the centre `height` x `width` of each image (resizing images smaller than that)."""

    TYPES: ClassVar = ("CenterCrop",)
    TRACED: ClassVar = "crop"
    EXAMPLE_INPUT: ClassVar = "[32, 32, 3]"
    STRICTER_THAN_KERAS: ClassVar = {"height": "must be positive", "width": "must be positive"}
    type: Literal["CenterCrop"]
    height: PositiveInt = Field(description="Output height.")
    width: PositiveInt = Field(description="Output width.")
    data_format: DataFormat | None = None

    def output_shape(self, shape: Shape) -> Shape:
        if len(shape) not in (3, 4):
            raise _rank_error(self, shape, "a batch of images of rank 4 (or one image of rank 3)")
        return _spatial(self, shape, self.height, self.width)

    def output_activation(self) -> str | None:
        return None


class RandomCrop(Layer):
    """Crops a random `height` x `width` window when training; at inference, the centre (resized)."""

    TYPES: ClassVar = ("RandomCrop",)
    TRACED: ClassVar = "static"
    EXAMPLE_INPUT: ClassVar = "[32, 32, 3]"
    STRICTER_THAN_KERAS: ClassVar = {"height": "must be positive", "width": "must be positive"}
    type: Literal["RandomCrop"]
    height: PositiveInt = Field(description="Output height.")
    width: PositiveInt = Field(description="Output width.")
    seed: Seed | None = None
    data_format: DataFormat | None = None

    def output_shape(self, shape: Shape) -> Shape:
        # compute_output_shape sets axes -3, -2 (channels_last) or -2, -1 of any rank.
        cf = self.data_format == "channels_first"
        if len(shape) < (2 if cf else 3):
            raise _rank_error(self, shape, "an image input (batch, rows, cols, channels)")
        out = list(shape)
        h, w = (-2, -1) if cf else (-3, -2)
        out[h], out[w] = self.height, self.width
        return tuple(out)

    def output_activation(self) -> str | None:
        return None


# --------------------------------------------------------------------------- geometric augmentation


class RandomFlip(_Augmentation):
    """Flips images horizontally and/or vertically at random."""

    TYPES: ClassVar = ("RandomFlip",)
    STRICTER_THAN_KERAS: ClassVar = {
        "mode": "Keras stores any string and then flips nothing for one that is not exactly "
        "`horizontal`, `vertical` or `horizontal_and_vertical`",
    }
    type: Literal["RandomFlip"]
    mode: Choice(
        "horizontal", "vertical", "horizontal_and_vertical",
        description="`horizontal`, `vertical` or `horizontal_and_vertical` (lower case).",
    ) = "horizontal_and_vertical"  # fmt: skip
    seed: Seed | None = None
    data_format: DataFormat | None = None


class RandomRotation(_Augmentation):
    """Rotates images by a random fraction of a full turn, in `factor` (e.g. 0.1: up to 36 degrees)."""

    TYPES: ClassVar = ("RandomRotation",)
    type: Literal["RandomRotation"]
    factor: Factor(-1, 1, falsy_is_zero=True) = Field(description="A fraction of 2*pi: a number (symmetric range) or [lower, upper].")
    fill_mode: FillMode = "reflect"
    interpolation: Interpolation = "bilinear"
    seed: Seed | None = None
    fill_value: StrictFloat = Field(0.0, description="The value outside the image with `fill_mode: constant`.")
    data_format: DataFormat | None = None


class RandomZoom(_Augmentation):
    """Zooms in or out at random: `height_factor` (and `width_factor`) as fractions of the size."""

    TYPES: ClassVar = ("RandomZoom",)
    type: Literal["RandomZoom"]
    height_factor: Factor(-1, 1, each=True, low_open=True, what="height_factor") = Field(
        description="A fraction in (-1, 1]: negative zooms in, positive out; or [lower, upper]."
    )
    width_factor: Factor(-1, 1, each=True, low_open=True, what="width_factor", nullable=True) = Field(
        None, description="As `height_factor`; null keeps the aspect ratio."
    )
    fill_mode: FillMode = "reflect"
    interpolation: Interpolation = "bilinear"
    seed: Seed | None = None
    fill_value: StrictFloat = Field(0.0, description="The value outside the image with `fill_mode: constant`.")
    data_format: DataFormat | None = None


class RandomTranslation(_Augmentation):
    """Shifts images at random by fractions of their height and width."""

    TYPES: ClassVar = ("RandomTranslation",)
    type: Literal["RandomTranslation"]
    height_factor: Factor(-1, 1, each=True, what="height_factor") = Field(description="A fraction of the height in [-1, 1], or [lower, upper].")
    width_factor: Factor(-1, 1, each=True, what="width_factor") = Field(description="A fraction of the width in [-1, 1], or [lower, upper].")
    fill_mode: FillMode = "reflect"
    interpolation: Interpolation = "bilinear"
    seed: Seed | None = None
    fill_value: StrictFloat = Field(0.0, description="The value outside the image with `fill_mode: constant`.")
    data_format: DataFormat | None = None


class RandomShear(_Augmentation):
    """Shears images at random along x and/or y.

    Keras 3.15 saves `x_factor: 0.2` as its range [-0.2, 0.2], which its own constructor
    then refuses (values must be in [0, 1]): a model with a non-zero shear factor saves,
    but does not load again (`evaluate`, `predict` and `--resume` read the saved model).
    """

    TYPES: ClassVar = ("RandomShear",)
    type: Literal["RandomShear"]
    x_factor: Factor(0, 1, each=True, what="x_factor") = 0.0
    y_factor: Factor(0, 1, each=True, what="y_factor") = 0.0
    interpolation: Interpolation = "bilinear"
    fill_mode: FillMode = "reflect"
    fill_value: StrictFloat = Field(0.0, description="The value outside the image with `fill_mode: constant`.")
    data_format: DataFormat | None = None
    seed: Seed | None = None


class RandomPerspective(_Augmentation):
    """Applies a random perspective transform."""

    TYPES: ClassVar = ("RandomPerspective",)
    TRACED: ClassVar = "static"
    type: Literal["RandomPerspective"]
    factor: Factor(0, 1) = Field(1.0, description="The probability of transforming an image, in [0, 1], or [lower, upper].")
    scale: Factor(0, 1, pair=False, what="scale") = Field(1.0, description="The strength of the distortion, in [0, 1].")
    interpolation: Interpolation = "bilinear"
    fill_value: StrictFloat = Field(0.0, description="The value outside the image with `fill_mode: constant`.")
    seed: Seed | None = None
    data_format: DataFormat | None = None


class RandomElasticTransform(_ValueAugmentation):
    """Distorts images with a random elastic displacement field."""

    TYPES: ClassVar = ("RandomElasticTransform",)
    TRACED: ClassVar = "static_channels"
    STRICTER_THAN_KERAS: ClassVar = {"value_range": _VALUE_RANGE_UNCHECKED}
    type: Literal["RandomElasticTransform"]
    factor: Factor(0, 1) = Field(1.0, description="The probability of transforming an image, in [0, 1], or [lower, upper].")
    scale: Factor(0, 1, what="scale") = Field(1.0, description="The displacement strength, in [0, 1], or [lower, upper].")
    interpolation: Interpolation = "bilinear"
    fill_mode: Choice(
        "reflect", "wrap", "constant", "nearest", "mirror",
        description="`reflect`, `wrap`, `constant`, `nearest` or `mirror` (lower case).",
    ) = "reflect"  # fmt: skip
    fill_value: StrictFloat = Field(0.0, description="The value outside the image with `fill_mode: constant`.")


class RandomErasing(_ValueAugmentation):
    """Erases a random rectangle of each image (filled with `fill_value`, or noise)."""

    TYPES: ClassVar = ("RandomErasing",)
    TRACED: ClassVar = "static"
    STRICTER_THAN_KERAS: ClassVar = {"value_range": _VALUE_RANGE_UNCHECKED}
    type: Literal["RandomErasing"]
    factor: Factor(0, 1) = Field(1.0, description="The probability of erasing, in [0, 1], or [lower, upper].")
    scale: Factor(0, 1, what="scale") = Field((0.02, 0.33), description="The erased fraction of the area, [lower, upper] in [0, 1].")
    fill_value: StrictFloat | None = Field(None, description="The value erased pixels get; null: random values.")


# --------------------------------------------------------------------------- colour augmentation


class RandomBrightness(_Augmentation):
    """Adds a random brightness offset, a fraction of `value_range`, in `factor`."""

    TYPES: ClassVar = ("RandomBrightness",)
    type: Literal["RandomBrightness"]
    factor: Factor(-1, 1, falsy_is_zero=True) = Field(description="A fraction of the value range in [-1, 1], or [lower, upper].")
    value_range: ValueRange = (0, 255)
    seed: Seed | None = None


class RandomContrast(_Augmentation):
    """Scales each image's contrast by a random factor in [1 - lower, 1 + upper]."""

    TYPES: ClassVar = ("RandomContrast",)
    STRICTER_THAN_KERAS: ClassVar = {"value_range": _VALUE_RANGE_UNCHECKED}
    type: Literal["RandomContrast"]
    factor: Factor(0, 1) = Field(description="A number in [0, 1], or [lower, upper].")
    value_range: ValueRange = (0, 255)
    seed: Seed | None = None


class RandomSaturation(_ValueAugmentation):
    """Changes the saturation of RGB images at random."""

    TYPES: ClassVar = ("RandomSaturation",)
    TRACED: ClassVar = "rgb"
    type: Literal["RandomSaturation"]
    factor: Factor(-1, 1) = Field(description="A number in [-1, 1], or [lower, upper].")


class RandomHue(_ValueAugmentation):
    """Shifts the hue of RGB images at random."""

    TYPES: ClassVar = ("RandomHue",)
    TRACED: ClassVar = "rgb"
    STRICTER_THAN_KERAS: ClassVar = {"value_range": _VALUE_RANGE_UNCHECKED}
    type: Literal["RandomHue"]
    factor: Factor(0, 1) = Field(description="A number in [0, 1], or [lower, upper].")


class RandomColorDegeneration(_ValueAugmentation):
    """Blends RGB images with their grayscale version at random."""

    TYPES: ClassVar = ("RandomColorDegeneration",)
    type: Literal["RandomColorDegeneration"]
    factor: Factor(-1, 1) = Field(description="A number in [-1, 1], or [lower, upper].")

    def output_shape(self, shape: Shape) -> Shape:
        if len(shape) not in (3, 4):
            raise _rank_error(self, shape, "a batch of RGB images of rank 4 (or one image of rank 3)")
        c = shape[-3 if self.data_format == "channels_first" else -1]
        if c is not None and c != 3:
            raise ShapeError(
                "KS309",
                f"RandomColorDegeneration needs RGB images (3 channels), got {c}: {fmt_shape(shape)}",
                None,
                "use it on 3-channel images",
            )
        return shape


class RandomColorJitter(_ValueAugmentation):
    """Random brightness, contrast, saturation and hue changes, each when its factor is given."""

    TYPES: ClassVar = ("RandomColorJitter",)
    STRICTER_THAN_KERAS: ClassVar = {
        "value_range": "Keras checks it only when `brightness_factor` or `saturation_factor` is given: "
        "the spec always requires 2 numbers [low, high]",
    }
    type: Literal["RandomColorJitter"]
    brightness_factor: Factor(-1, 1, falsy_is_zero=True, what="brightness_factor", nullable=True) = None
    contrast_factor: Factor(0, 1, what="contrast_factor", nullable=True) = None
    saturation_factor: Factor(-1, 1, what="saturation_factor", nullable=True) = None
    hue_factor: Factor(0, 1, what="hue_factor", nullable=True) = None


class RandomGrayscale(_Augmentation):
    """Turns images to grayscale (kept as 3 channels) with probability `factor`."""

    TYPES: ClassVar = ("RandomGrayscale",)
    TRACED: ClassVar = "gray_or_rgb"
    type: Literal["RandomGrayscale"]
    factor: Factor(0, 1, pair=False) = Field(0.5, description="The probability, in [0, 1].")
    data_format: DataFormat | None = None
    seed: Seed | None = None


class RandomInvert(_ValueAugmentation):
    """Inverts images (`value_range` high minus the value) at random."""

    TYPES: ClassVar = ("RandomInvert",)
    STRICTER_THAN_KERAS: ClassVar = {"value_range": _VALUE_RANGE_UNCHECKED}
    type: Literal["RandomInvert"]
    factor: Factor(0, 1) = Field(1.0, description="The probability, in [0, 1], or [lower, upper].")


class RandomPosterization(_ValueAugmentation):
    """Reduces the bits per colour channel at random (`factor`: bits in [1, 8])."""

    TYPES: ClassVar = ("RandomPosterization",)
    type: Literal["RandomPosterization"]
    factor: Factor(1, 8) = Field(description="The most bits kept, in [1, 8], or [lower, upper].")


class RandomSharpness(_ValueAugmentation):
    """Sharpens or blurs images at random."""

    TYPES: ClassVar = ("RandomSharpness",)
    type: Literal["RandomSharpness"]
    factor: Factor(0, 1) = Field(description="A number in [0, 1], or [lower, upper].")


class RandomGaussianBlur(_ValueAugmentation):
    """Blurs images with a random Gaussian kernel."""

    TYPES: ClassVar = ("RandomGaussianBlur",)
    STRICTER_THAN_KERAS: ClassVar = {
        "value_range": _VALUE_RANGE_UNCHECKED,
        "kernel_size": "odd positive integers (Keras also takes floats and negative odd numbers, "
        "which the blur cannot use)",
    }
    type: Literal["RandomGaussianBlur"]
    factor: Factor(0, 1) = Field(1.0, description="The probability, in [0, 1], or [lower, upper].")
    kernel_size: OddKernel = Field((3, 3), description="An odd kernel size, or [height, width].")
    sigma: Factor(0, 1, what="sigma") = Field(1.0, description="The blur's standard deviation, in [0, 1], or [lower, upper].")


class Solarization(_Augmentation):
    """Inverts pixels above a random threshold, after adding a random value."""

    TYPES: ClassVar = ("Solarization",)
    type: Literal["Solarization"]
    addition_factor: Factor(0, 1, each=True, what="addition_factor") = 0.0
    threshold_factor: Factor(0, 1, each=True, what="threshold_factor") = 0.0
    value_range: ValueRange = (0, 255)
    seed: Seed | None = None


class AutoContrast(_Augmentation):
    """Stretches each image's values to the full `value_range` (not random: the same at inference)."""

    TYPES: ClassVar = ("AutoContrast",)
    type: Literal["AutoContrast"]
    value_range: ValueRange = (0, 255)

    def output_activation(self) -> str | None:
        return "linear"  # applied at inference too


class ContrastLimitedAdaptiveHistogramEqualization(_Augmentation):
    """CLAHE: equalizes each image's histogram per tile, with a contrast limit (also at inference)."""

    TYPES: ClassVar = ("ContrastLimitedAdaptiveHistogramEqualization",)
    TRACED: ClassVar = "static"
    STRICTER_THAN_KERAS: ClassVar = {
        "value_range": _VALUE_RANGE_UNCHECKED,
        "tile_grid_size": "a list of 2 positive integers: Keras stores it unchecked and indexes it when the layer runs",
    }
    type: Literal["ContrastLimitedAdaptiveHistogramEqualization"]
    value_range: ValueRange = (0, 255)
    clip_limit: StrictFloat = Field(4.0, description="The contrast limit per histogram bin.")
    tile_grid_size: PositivePair = Field((8, 8), description="Tiles per [rows, cols].")
    data_format: DataFormat | None = None

    def output_activation(self) -> str | None:
        return "linear"  # applied at inference too


class RandAugment(_ValueAugmentation):
    """Applies `num_ops` augmentations drawn at random from a fixed list, of strength `factor`."""

    TYPES: ClassVar = ("RandAugment",)
    STRICTER_THAN_KERAS: ClassVar = {"num_ops": "a non-negative integer (Keras stores it unchecked)"}
    type: Literal["RandAugment"]
    num_ops: NonNegativeInt = Field(2, description="How many augmentations each image gets.")
    # The inner RandomShear checks each value of the (sorted) factor against [0, 1].
    factor: Factor(0, 1, each=True) = Field(0.5, description="The strength, in [0, 1], or [lower, upper].")
    interpolation: Interpolation = "bilinear"


class AugMix(_ValueAugmentation):
    """AugMix: mixes `num_chains` chains of random augmentations with the image."""

    TYPES: ClassVar = ("AugMix",)
    STRICTER_THAN_KERAS: ClassVar = {
        "num_chains": "a positive integer (Keras stores it unchecked)",
        "chain_depth": "a positive integer (Keras stores it unchecked)",
        "alpha": "positive: the Dirichlet and Beta concentration (Keras stores it unchecked)",
    }
    type: Literal["AugMix"]
    num_chains: PositiveInt = Field(3, description="How many augmentation chains are mixed.")
    chain_depth: PositiveInt = Field(3, description="The most augmentations per chain.")
    # The inner RandomShear checks each value of the (sorted) factor against [0, 1].
    factor: Factor(0, 1, each=True) = Field(0.3, description="The strength, in [0, 1], or [lower, upper].")
    alpha: PositiveFloat = Field(1.0, description="The mixing weights' concentration.")
    all_ops: StrictBool = Field(True, description="Use every operation (also colour ones) instead of the geometric ones only.")
    interpolation: Interpolation = "bilinear"


# --------------------------------------------------------------------------- encodings


_DEPTH_MODES = ("one_hot", "multi_hot", "count")


class CategoryEncoding(Layer):
    """One-hot, multi-hot or count encoding of integer ids below `num_tokens`."""

    TYPES: ClassVar = ("CategoryEncoding",)
    TAKES_INDICES: ClassVar = True
    EXAMPLE_INPUT: ClassVar = "[4]"
    STRICTER_THAN_KERAS: ClassVar = {
        "num_tokens": "required: Keras's signature defaults it to None, which its constructor refuses",
    }
    type: Literal["CategoryEncoding"]
    num_tokens: PositiveInt = Field(description="How many ids there are (ids are in [0, num_tokens)).")
    output_mode: Choice(
        "multi_hot", "one_hot", "count", "binary",
        description="`multi_hot` (`binary`), `one_hot` or `count` (lower case).",
    ) = "multi_hot"  # fmt: skip
    sparse: StrictBool = Field(False, description="Return a sparse tensor (not with output_mode `int`).")

    def output_shape(self, shape: Shape) -> Shape:
        n = self.num_tokens
        if self.output_mode == "one_hot" and (shape[-1] != 1 or len(shape) == 1):
            return (*shape, n)
        return (*shape[:-1], n)


class Discretization(Layer):
    """Buckets values by `bin_boundaries` (or `num_bins` quantiles learnt from the training data)."""

    TYPES: ClassVar = ("Discretization",)
    EXAMPLE_INPUT: ClassVar = "[4]"
    # Not stricter in what is accepted: Keras's signature defaults both to None and its
    # constructor refuses the layer unless exactly one is given (argument_errors does
    # the same); listed so that the catalogue does not read None as a usable default.
    STRICTER_THAN_KERAS: ClassVar = {
        "bin_boundaries": "exactly one of `bin_boundaries` and `num_bins`, as Keras's constructor requires",
        "num_bins": "exactly one of `bin_boundaries` and `num_bins`, as Keras's constructor requires",
    }
    type: Literal["Discretization"]
    bin_boundaries: list[StrictFloat] | None = Field(None, description="The sorted boundaries between bins.")
    num_bins: NonNegativeInt | None = Field(None, description="How many bins to learn from the training data (instead of `bin_boundaries`).")
    epsilon: StrictFloat = Field(0.01, description="The quantile error tolerance when learning bins.")
    output_mode: Choice("int", "one_hot", "multi_hot", "count", description="`int`, `one_hot`, `multi_hot` or `count` (lower case).") = "int"
    sparse: StrictBool = Field(False, description="Return a sparse tensor (not with output_mode `int`).")

    def argument_errors(self) -> list[ShapeError]:
        if self.sparse and self.output_mode == "int":
            return [ShapeError("KS211", "Discretization `sparse: true` needs an output_mode other than `int`", "sparse", "remove `sparse`, or use output_mode one_hot, multi_hot or count")]
        if self.num_bins is not None and self.bin_boundaries is not None:
            return [ShapeError("KS211", "Discretization takes `num_bins` or `bin_boundaries`, not both", "num_bins", "keep one of them")]
        if self.num_bins is None and self.bin_boundaries is None:
            return [ShapeError("KS309", "Discretization needs `bin_boundaries` or `num_bins`", None, "add `bin_boundaries: [...]`, or `num_bins: N` to learn them from the training data")]
        return []

    def output_shape(self, shape: Shape) -> Shape:
        if self.output_mode == "int":
            return shape
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins
        assert depth is not None
        if self.output_mode == "one_hot":
            return (*shape[:-1], depth) if shape[-1] == 1 and len(shape) > 1 else (*shape, depth)
        # multi_hot and count: Keras's compute_output_shape drops axis 1.
        return (shape[0], *shape[2:], depth) if len(shape) >= 2 else (depth,)


def _salt(value: Any) -> int | tuple[Any, Any] | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, list | tuple) and len(value) == 2 and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return (value[0], value[1])
    raise _wrong("an integer or a list of 2 integers", value)


class Hashing(Layer):
    """Hashes values into `num_bins` bins."""

    TYPES: ClassVar = ("Hashing",)
    TAKES_INDICES: ClassVar = True
    EXAMPLE_INPUT: ClassVar = "[4]"
    type: Literal["Hashing"]
    num_bins: PositiveInt = Field(description="How many bins (including the mask bin with `mask_value`).")
    mask_value: StrictInt | StrictFloat | None = Field(None, description="A value hashed to bin 0 (the mask).")
    salt: Annotated[
        int | tuple[int, int] | None,
        PlainValidator(_salt),
        WithJsonSchema({"anyOf": [{"type": "integer"}, {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}, {"type": "null"}]}),
    ] = Field(None, description="A key for a stronger (SipHash) hash: an integer or 2 integers.")
    output_mode: Choice("int", "one_hot", "multi_hot", "count", description="`int`, `one_hot`, `multi_hot` or `count` (lower case).") = "int"
    sparse: StrictBool = Field(False, description="Return a sparse tensor (not with output_mode `int`).")

    def argument_errors(self) -> list[ShapeError]:
        if self.sparse and self.output_mode == "int":
            return [ShapeError("KS211", "Hashing `sparse: true` needs an output_mode other than `int`", "sparse", "remove `sparse`, or use output_mode one_hot, multi_hot or count")]
        return []

    def output_shape(self, shape: Shape) -> Shape:
        return shape if self.output_mode == "int" else (*shape[:-1], self.num_bins)


_LOOKUP_MODES = {"binary": "multi_hot", "tf-idf": "tf_idf"}  # the older spellings Keras still takes

#: IntegerLookup's `salt`: an integer or 2 integers (the key of its SipHash OOV hashing).
LookupSalt = Annotated[
    int | tuple[int, int] | None,
    PlainValidator(_salt),
    WithJsonSchema({"anyOf": [{"type": "integer"}, {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}, {"type": "null"}]}),
]


def _no_vocabulary_file(value: Any) -> Any:
    if isinstance(value, str):
        raise PydanticCustomError(
            "KS203",
            "expected a list of integers, got the string {got}: a vocabulary file is not part of the spec language",
            {"got": repr(value), "hint": "list the vocabulary's values, e.g. [1, 2, 3], or leave `vocabulary` out to learn it from the training data"},
        )
    return value


class IntegerLookup(Layer):
    """Maps integer values to their indices in a vocabulary: given, or learnt from the training data.

    Index 0 is the mask (with `mask_token`, in output_mode `int`), then `num_oov_indices`
    indices for values out of the vocabulary, then one per vocabulary value. A `vocabulary`
    starting with exactly those special tokens (`[mask_token, oov_token...]`) has them
    stripped. Without `vocabulary` the layer learns it from the training data
    (``adapt``, which `kerasspec train` runs before training, :mod:`kerasspec.adapt`): its
    one_hot, multi_hot, count and tf_idf output then has a size only adapt fixes, unknown
    when the model is built (as Keras builds it), unless `pad_to_max_tokens` makes it
    `max_tokens`. The layer creates no weights (Keras counts no parameters, even for the
    tf_idf weights).
    """

    TYPES: ClassVar = ("IntegerLookup",)
    TAKES_INDICES: ClassVar = True
    EXAMPLE_INPUT: ClassVar = "[4]"
    STRICTER_THAN_KERAS: ClassVar = {
        "vocabulary": "a list of integers: Keras also takes the path of a vocabulary file, which the spec "
        "language does not carry (a spec names no files but its data), and casts floats and booleans to integers",
        "oov_token": "an integer or null: Keras stores any value and only compares it with the vocabulary",
        "mask_token": "an integer or null: Keras also takes a boolean, as 0 or 1",
        "max_tokens": "an integer: Keras compares a float with 1 and stores it",
        "num_oov_indices": "an integer: Keras compares a float with 0 and stores it",
        "salt": "an integer or 2 integers: Keras checks only that a list has 2 values (and takes a boolean)",
        "idf_weights": "a list of numbers",
    }
    type: Literal["IntegerLookup"]
    max_tokens: Annotated[StrictInt, Field(ge=2)] | None = Field(
        None, description="The most indices (mask and OOV indices included), at least 2; null: no limit."
    )
    num_oov_indices: NonNegativeInt = Field(1, description="How many indices values out of the vocabulary share (hashed among them); 0: such values fail.")
    mask_token: StrictInt | None = Field(None, description="A value that means padding: index 0 in output_mode `int`, dropped in the others; null: none.")
    oov_token: StrictInt | None = Field(-1, description="The value out-of-vocabulary indices turn back into with `invert`.")
    vocabulary: Annotated[list[StrictInt] | None, BeforeValidator(_no_vocabulary_file)] = Field(
        None, description="The vocabulary, distinct integers; null: learnt from the training data."
    )
    vocabulary_dtype: Choice("int64", description="`int64`, the only dtype Keras takes.") = "int64"
    idf_weights: list[StrictFloat] | None = Field(None, description="The inverse document frequency of each vocabulary value (output_mode `tf_idf` only).")
    invert: StrictBool = Field(False, description="Map indices back to vocabulary values (output_mode `int` only).")
    output_mode: Choice(
        "int", "one_hot", "multi_hot", "count", "tf_idf", "binary", "tf-idf",
        description="`int` (one index per value), `one_hot`, `multi_hot` (`binary`), `count` or `tf_idf` (`tf-idf`), in lower case.",
    ) = "int"  # fmt: skip
    sparse: StrictBool = Field(False, description="Return a sparse tensor (not with output_mode `int`).")
    pad_to_max_tokens: StrictBool = Field(False, description="Make the encoded output `max_tokens` wide, whatever the vocabulary's size.")
    oov_method: Choice("floormod", "farmhash", description="`floormod` or `farmhash` (lower case).") = Field(
        "floormod", description="How values out of the vocabulary are spread over the OOV indices: `floormod` (value modulo num_oov_indices) or `farmhash`."
    )
    salt: LookupSalt = Field(None, description="A key for a stronger (SipHash) OOV hash, with oov_method `farmhash`: an integer or 2 integers.")

    @property
    def mode(self) -> str:
        """`output_mode` with Keras's older spellings read as the current ones."""
        return _LOOKUP_MODES.get(self.output_mode, self.output_mode)

    @property
    def _token_start(self) -> int:
        # The mask takes index 0 in output_mode int only; then the OOV indices.
        return (1 if self.mask_token is not None and self.mode == "int" else 0) + self.num_oov_indices

    def _tokens(self) -> list[int]:
        """The vocabulary less the special tokens it starts with (those Keras strips)."""
        assert self.vocabulary is not None
        start = self._token_start
        special = [self.mask_token] * (start - self.num_oov_indices) + [self.oov_token] * self.num_oov_indices
        return self.vocabulary[start:] if self.vocabulary[:start] == special else self.vocabulary

    @property
    def vocabulary_size(self) -> int | None:
        """The number of indices (special ones included); None until adapt learns the vocabulary."""
        return None if self.vocabulary is None else self._token_start + len(self._tokens())

    def argument_errors(self) -> list[ShapeError]:
        def conflict(message: str, field: str, hint: str) -> list[ShapeError]:
            return [ShapeError("KS211", f"IntegerLookup {message}", field, hint)]

        mode = self.mode
        if self.pad_to_max_tokens and self.max_tokens is None:
            return conflict("`pad_to_max_tokens: true` needs `max_tokens`", "pad_to_max_tokens", "add `max_tokens: N`, or remove `pad_to_max_tokens`")
        if self.salt is not None and self.oov_method != "farmhash":
            return conflict("`salt` is used by oov_method `farmhash` only", "salt", "add `oov_method: farmhash`, or remove `salt`")
        if self.invert and mode != "int":
            return conflict(f"`invert: true` needs output_mode `int`, not `{self.output_mode}`", "invert", "remove `invert`, or use output_mode int")
        if self.sparse and mode == "int":
            return conflict("`sparse: true` needs an output_mode other than `int`", "sparse", "remove `sparse`, or use output_mode one_hot, multi_hot, count or tf_idf")
        if self.idf_weights is not None and mode != "tf_idf":
            return conflict("`idf_weights` is used by output_mode `tf_idf` only", "idf_weights", "add `output_mode: tf_idf`, or remove `idf_weights`")
        if self.invert and self.oov_token is None:
            # Keras makes oov_token the table's default value, which cannot be None.
            return conflict("`invert: true` needs an `oov_token` (what unknown indices map back to)", "oov_token", "remove `oov_token: null`")
        if mode == "tf_idf" and self.vocabulary is not None and self.idf_weights is None:
            return conflict("output_mode `tf_idf` with a `vocabulary` needs its `idf_weights`", "idf_weights", "add `idf_weights`, one per vocabulary value")
        return self._vocabulary_errors()

    def _vocabulary_errors(self) -> list[ShapeError]:
        def wrong(message: str, hint: str, field: str = "vocabulary") -> list[ShapeError]:
            return [ShapeError("KS309", f"IntegerLookup {message}", field, hint)]

        if self.vocabulary is None:
            return []
        if not self.vocabulary:
            return wrong("`vocabulary` is empty", "list its values, or leave `vocabulary` out to learn it from the training data")
        tokens = self._tokens()
        repeated = sorted({t for t in tokens if tokens.count(t) > 1})
        if repeated:
            return wrong(f"`vocabulary` repeats {fmt_list(repeated)}", "list each value once")
        if self.mask_token is not None and self.mask_token in tokens:
            return wrong(
                f"`vocabulary` holds the mask token {self.mask_token}",
                "leave the mask and OOV tokens out of the vocabulary (or put them first, in that order)",
            )
        if self.invert and self.oov_token is not None and self.oov_token in tokens:
            return wrong(
                f"`vocabulary` holds the OOV token {self.oov_token}, which `invert` maps unknown indices to",
                "leave the OOV token out of the vocabulary (or put it first, after the mask token)",
            )
        size = self._token_start + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            return wrong(
                f"vocabulary of {size} indices (special ones included) is larger than `max_tokens` ({self.max_tokens})",
                f"use max_tokens >= {size}, or a shorter vocabulary",
                "max_tokens",
            )
        if not tokens:
            return wrong("`vocabulary` holds only the special tokens: no value to look up", "list the vocabulary's values")
        if self.idf_weights is not None and len(self.idf_weights) != len(self.vocabulary):
            return wrong(
                f"has {len(self.idf_weights)} `idf_weights` for a vocabulary of {len(self.vocabulary)} values",
                "give one weight per vocabulary value",
                "idf_weights",
            )
        return []

    def output_shape(self, shape: Shape) -> Shape:
        if self.mode == "int":
            return shape
        depth = self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size
        if self.mode == "one_hot":
            return (*shape[:-1], depth) if len(shape) > 1 and shape[-1] == 1 else (*shape, depth)
        # multi_hot, count and tf_idf encode the last axis.
        return (*shape[:-1], depth)


# --------------------------------------------------------------------------- audio


class MelSpectrogram(Layer):
    """The mel spectrogram of audio (batch, samples): (batch, num_mel_bins, frames)."""

    TYPES: ClassVar = ("MelSpectrogram",)
    EXAMPLE_INPUT: ClassVar = "[16000]"
    STRICTER_THAN_KERAS: ClassVar = {"window": "`hann` or `hamming`, the windows Keras's stft takes; checked only when the layer runs"}
    type: Literal["MelSpectrogram"]
    fft_length: PositiveInt = Field(2048, description="The FFT size.")
    sequence_stride: PositiveInt = Field(512, description="Samples between frames.")
    sequence_length: PositiveInt | None = Field(None, description="The window length in samples; null: `fft_length`.")
    window: Choice("hann", "hamming", description="`hann` or `hamming`; null: rectangular.") | None = Field("hann", description="The window each frame is multiplied by: `hann` or `hamming`.")
    sampling_rate: PositiveInt = Field(16000, description="Samples per second of the audio.")
    num_mel_bins: PositiveInt = Field(128, description="Mel bands in the output.")
    min_freq: StrictFloat = Field(20.0, description="Lowest frequency of the mel bands, in Hz.")
    max_freq: StrictFloat | None = Field(None, description="Highest frequency; null: half the sampling rate.")
    power_to_db: StrictBool = Field(True, description="Convert power to decibels.")
    top_db: StrictFloat = Field(80.0, description="The dynamic range kept below the peak, in dB.")
    mag_exp: StrictFloat = Field(2.0, description="The exponent of the magnitude (2: power).")
    min_power: StrictFloat = Field(1e-10, description="The smallest power before the dB conversion.")
    ref_power: StrictFloat = Field(1.0, description="The power that is 0 dB.")

    def argument_errors(self) -> list[ShapeError]:
        length = self.sequence_length or self.fft_length
        if self.fft_length < length:
            return [ShapeError("KS309", f"MelSpectrogram `fft_length` ({self.fft_length}) must be at least `sequence_length` ({length})", "fft_length", f"use fft_length >= {length}")]
        return []

    def output_shape(self, shape: Shape) -> Shape:
        if len(shape) < 2:
            raise _rank_error(self, shape, "audio of rank 2 (batch, samples)")
        n = shape[1]
        s = self.sequence_stride
        return (shape[0], self.num_mel_bins, None if n is None else (n + s + 1) // s)


#: scipy window names (with their aliases) that take no parameter: what STFTSpectrogram's string windows can be.
_SCIPY_WINDOWS = (
    "barthann", "brthan", "bth", "bartlett", "bart", "brt", "blackman", "black", "blk",
    "blackmanharris", "blackharr", "bkh", "bohman", "bman", "bmn", "boxcar", "box", "ones",
    "rect", "rectangular", "cosine", "halfcosine", "exponential", "poisson", "flattop", "flat",
    "flt", "hamming", "hamm", "ham", "hann", "han", "lanczos", "sinc", "nuttall", "nutl", "nut",
    "parzen", "parz", "par", "taylor", "taylorwin", "triangle", "triang", "tri", "tukey", "tuk",
)  # fmt: skip


def _window(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _wrong("a window name (a string) or null", value)
    base = value.removesuffix("_symmetric") if value.endswith("_symmetric") else value.removesuffix("_periodic")
    if base in _SCIPY_WINDOWS:
        return value
    from ..names import did_you_mean

    raise PydanticCustomError(
        "KS206",
        "'{value}' is not a window scipy.signal.get_window makes without parameters",
        {"value": value, "hint": did_you_mean(value, _SCIPY_WINDOWS) or "e.g. hann, hamming, blackman, boxcar"},
    )


class STFTSpectrogram(Layer):
    """A short-time Fourier transform as a convolution with (trainable) STFT kernels."""

    TYPES: ClassVar = ("STFTSpectrogram",)
    EXAMPLE_INPUT: ClassVar = "[16000, 1]"
    STRICTER_THAN_KERAS: ClassVar = {"window": "a window name or null: the spec does not carry an array of window values"}
    type: Literal["STFTSpectrogram"]
    mode: Choice("log", "magnitude", "psd", "real", "imag", "angle", "stft", description="What the output holds (lower case).") = "log"
    frame_length: PositiveInt = Field(256, description="Samples per frame (the kernel size).")
    frame_step: PositiveInt | None = Field(None, description="Samples between frames; null: half a frame.")
    fft_length: PositiveInt | None = Field(None, description="The FFT size; null: the next power of 2 from `frame_length`.")
    window: Annotated[
        str | None,
        PlainValidator(_window),
        WithJsonSchema({"anyOf": [{"type": "string", "enum": list(_SCIPY_WINDOWS)}, {"type": "string"}, {"type": "null"}], "description": "A scipy window name, e.g. `hann`; null: rectangular."}),
    ] = "hann"
    periodic: StrictBool = Field(False, description="A periodic window (for spectral analysis) instead of a symmetric one.")
    scaling: Choice("density", "spectrum", description="`density` or `spectrum` (lower case).") | None = Field("density", description="How the kernels are scaled: `density`, `spectrum`, or null for none.")
    padding: Choice("valid", "same", description="`valid` or `same` (lower case).") = "valid"
    expand_dims: StrictBool = Field(False, description="Output (batch, frames, frequencies, channels) instead of merging channels.")
    data_format: DataFormat | None = None

    @property
    def _fft(self) -> int:
        return self.fft_length or 2 ** math.ceil(math.log2(self.frame_length))

    def argument_errors(self) -> list[ShapeError]:
        if self.frame_step is None and self.frame_length < 2:
            # The default step is half a frame: 0 for a 1-sample frame, which Keras divides by.
            return [ShapeError("KS309", "STFTSpectrogram with `frame_length` 1 needs a `frame_step` (half a frame is 0)", "frame_step", "add `frame_step: 1`")]
        if self.frame_step is not None and self.frame_step > self.frame_length:
            return [ShapeError("KS309", f"STFTSpectrogram `frame_step` ({self.frame_step}) must not exceed `frame_length` ({self.frame_length})", "frame_step", f"use frame_step <= {self.frame_length}")]
        if self.fft_length is not None and self.fft_length < self.frame_length:
            return [ShapeError("KS309", f"STFTSpectrogram `fft_length` ({self.fft_length}) must be at least `frame_length` ({self.frame_length})", "fft_length", f"use fft_length >= {self.frame_length}")]
        return []

    def output_shape(self, shape: Shape) -> Shape:
        if len(shape) != 3:
            raise _rank_error(self, shape, "audio of rank 3 (batch, samples, channels)", "add a Reshape to [samples, 1] before it")
        c = channels(self, shape)
        freq = self._fft // 2 + 1
        if self.mode == "stft":
            freq *= 2
        step = self.frame_step or self.frame_length // 2
        out = conv_output_shape(
            shape, freq * c, (self.frame_length,), (step,), self.padding, self.data_format, layer=self.kind
        )
        if self.expand_dims:
            if self.data_format == "channels_first":
                return (out[0], c, out[2], freq)
            return (out[0], out[1], freq, c)
        return out

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        kernel = (self.frame_length, 1, self._fft // 2 + 1)
        out = []
        if self.mode != "imag":
            out.append(Weight("real_kernel", kernel))
        if self.mode != "real":
            out.append(Weight("imag_kernel", kernel))
        return tuple(out)


# --------------------------------------------------------------------------- pipeline


def _image_axes(layer: Layer, shape: Shape) -> tuple[tuple[int, int], int]:
    """(the rows and cols axes, the channel axis) of a batch (rank 4) or of one image (rank 3)."""
    first = len(shape) - 3
    if getattr(layer, "data_format", None) == "channels_first":
        return (first + 1, first + 2), first
    return (first, first + 1), first + 2


def traced_output_shape(layer: Layer, shape: Shape) -> Shape:
    """The output of an image layer when Keras runs its ``call`` on a symbolic batch of ``shape``.

    Keras builds a Pipeline that way (it has no ``build`` of its own), so inside one an image
    layer checks what it checks when it runs, not only what its ``compute_output_shape`` does
    (rows and cols are axes 1 and 2 of a batch, 0 and 1 of one image of rank 3, whose rows
    are then the batch axis):

    - every augmentation, Resizing and RandomCrop: a batch of images of rank 4, or one image
      of rank 3 (other ranks fail);
    - RandomCrop, RandomPerspective, RandomElasticTransform, RandomErasing and CLAHE: known
      rows and cols (RandomElasticTransform: known channels too);
    - RandomHue and RandomSaturation: 3 channels (RGB), an unknown number coming out as 3;
      RandomGrayscale: a known 1 or 3;
    - CenterCrop slices when no known size is smaller than the crop, and a slice by an
      unknown size leaves rows and cols unknown; otherwise it resizes to the crop's size.
    """
    out = layer.output_shape(shape)
    traced = getattr(layer, "TRACED", None)
    if traced is None:
        return out
    if len(shape) not in (3, 4):
        if traced == "crop":
            return out  # its compute_output_shape refuses those ranks already
        raise ShapeError(
            "KS302",
            f"{layer.kind} inside a Pipeline runs when Keras builds it, and takes a batch of images of rank 4 "
            f"(or one image of rank 3), got rank {len(shape)}: {fmt_shape(shape)}",
            None,
            "give it images (batch, rows, cols, channels), or move it out of the Pipeline",
        )
    (rows, cols), channel = _image_axes(layer, shape)
    h, w, c = shape[rows], shape[cols], shape[channel]
    if isinstance(layer, CenterCrop):
        if None in (h, w) and (h is None or h >= layer.height) and (w is None or w >= layer.width):
            sliced = list(out)
            sliced[rows] = sliced[cols] = None
            return tuple(sliced)
        return out
    if traced.startswith("static") and (h is None or w is None or (traced == "static_channels" and c is None)):
        raise ShapeError(
            "KS308",
            f"{layer.kind} inside a Pipeline runs when Keras builds it, and needs the rows, cols"
            f"{' and channels' if traced == 'static_channels' else ''} of its input to be known, but the input "
            f"is {fmt_shape(shape)}",
            None,
            "give the image axes a size in the input shape (one image of rank 3 has the batch as its rows: "
            "fix it with `{type: Input, shape: [...], batch_size: N}`)",
        )
    if traced == "rgb" and c is None:
        return (*out[:channel], 3, *out[channel + 1 :])  # converted to HSV and back: 3 channels
    allowed = {"rgb": (3,), "gray_or_rgb": (1, 3)}.get(traced)
    if allowed and c not in allowed:
        raise ShapeError(
            "KS309",
            f"{layer.kind} inside a Pipeline runs when Keras builds it, and takes images of "
            f"{' or '.join(map(str, allowed))} channels, but the input has {'an unknown number' if c is None else c}: "
            f"{fmt_shape(shape)}",
            None,
            "give it RGB images (3 channels), or move it out of the Pipeline",
        )
    return out


class Pipeline(_Block):
    """Its `layers` applied in order, as one layer (Keras's preprocessing pipeline).

    Keras's ``Pipeline`` has no ``build``: it is built by tracing its ``call`` on a symbolic
    input. The image layers in it then check what they check when they run
    (:func:`traced_output_shape`), and no variable can be made from a value: a stateful
    recurrent layer makes its states that way (``RNN.build``), so Keras refuses one anywhere
    inside a pipeline. (The traced rules are applied to the pipeline's own layers; an image
    layer inside a nested block or a wrapper there is checked by its shape rule only.)
    """

    TYPES: ClassVar = ("Pipeline",)
    WHAT: ClassVar = "a Pipeline"
    NOUN: ClassVar = "pipeline"
    type: Literal["Pipeline"]

    def inner_output_shape(self, layer: Layer, shape: Shape) -> Shape:
        stateful = next((inner for inner in _within(layer) if getattr(inner, "stateful", False) is True), None)
        if stateful is not None:
            raise ShapeError(
                "KS309",
                f"a Pipeline cannot hold a stateful {stateful.kind}: Keras builds a pipeline by tracing it, where the "
                "layer's state variables cannot be created (Keras: 'You are attempting to create a variable while "
                "in a stateless scope')",
                "stateful" if stateful is layer else None,
                "put the stateful layer in the model itself or in a nested Sequential block, or remove `stateful`",
            )
        return traced_output_shape(layer, shape)

    def keras_block(self, keras: Any, layers: list[Any], name: str | None) -> Any:
        return keras.layers.Pipeline(layers, name=name)


def _within(layer: Layer) -> Iterator[Layer]:
    """The layer and every layer it holds, however deep (wrappers, blocks)."""
    yield layer
    for inner in layer.sublayers():
        yield from _within(inner)
