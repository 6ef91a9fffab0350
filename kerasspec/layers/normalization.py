"""Normalization layers: over the batch (BatchNormalization), over each sample (the others).

Their weights are made from the sizes of the normalized axes, so those sizes must
be known (KS308). Keras counts the batch as axis 0: its size is known only when
the input fixes a batch size, and then Keras makes weights of that size too.
Keras checks few values here: `epsilon` and `momentum` take any number, and an
axis out of range fails when the model is built (KS309).
"""

from typing import Any, ClassVar, Literal

from pydantic import Field

from ..fields import StrictBool, StrictFloat, StrictInt
from ..objects import Constraint, Initializer, Regularizer
from ..shapes import Shape, ShapeError, fmt_shape, normalize_axis
from .base import Layer, Weight

Axes = StrictInt | list[StrictInt]
#: These layers store `epsilon` without a check; it is first used when the model is called.
_EPSILON_STRICTER = "a number: Keras builds with any value (null) but every call then fails"


def axis_size(layer: Layer, shape: Shape, axis: int, what: str = "weights") -> int:
    """The size of a normalized axis (an index in [0, rank)), which weights are made from."""
    size = shape[axis]
    if size is not None:
        return size
    if axis == 0:
        raise ShapeError(
            "KS309",
            f"{layer.kind} `axis` {getattr(layer, 'axis', 0)} is the batch axis, whose size is unknown, "
            f"so Keras cannot create its {what}: input {fmt_shape(shape)}",
            "axis",
            "Keras counts the batch as axis 0; use -1 for the last axis (the channels in channels_last data)",
        )
    raise ShapeError(
        "KS308",
        f"{layer.kind} normalizes over axis {axis}, whose size is unknown, so Keras cannot "
        f"create its {what}: input {fmt_shape(shape)}",
        None,
        "give that axis a size in the input shape",
    )


def axis_list(axis: int | list[int]) -> list[int]:
    return [axis] if isinstance(axis, int) else list(axis)


def check_axes(layer: Layer, shape: Shape, axis: int | list[int]) -> list[int]:
    """Every axis normalized to [0, rank), as Keras's ``compute_output_shape`` checks them (KS309)."""
    return [normalize_axis(a, len(shape), layer=layer.kind) for a in axis_list(axis)]


def sorted_axes_shape(layer: Layer, shape: Shape, axis: int | list[int]) -> tuple[int, ...]:
    """The weight shape LayerNormalization and RMSNormalization make.

    Keras sorts the axes as written (so ``[1, -1]`` becomes ``[-1, 1]``) and takes the
    input's size on each, repeats included: ``[2, -1]`` on (None, 10, 4) is (4, 4).
    """
    check_axes(layer, shape, axis)
    return tuple(axis_size(layer, shape, a % len(shape)) for a in sorted(axis_list(axis)))


class BatchNormalization(Layer):
    """Normalizes over the batch: trainable gamma and beta, non-trainable moving statistics.

    With `renorm`, Keras adds three more non-trainable weights per channel
    (moving_stddev, renorm_mean, renorm_stddev). `axis` is an integer: Keras would
    also truncate a float (1.7 -> 1) or parse a string, which the spec refuses.
    """

    TYPES: ClassVar = ("BatchNormalization",)
    STRICTER_THAN_KERAS: ClassVar = {
        "axis": "an integer: Keras applies int() to it, truncating 1.7 to 1 and parsing the string '1'",
        "renorm_clipping": "numbers or nulls as values: Keras ignores renorm_clipping without renorm",
    }
    type: Literal["BatchNormalization"]
    axis: StrictInt = Field(-1, description="The feature axis; -1 for the last (channels_last data), 1 for channels_first.")
    momentum: StrictFloat = Field(0.99, description="Momentum of the moving mean and variance.")
    epsilon: StrictFloat = Field(1e-3, description="Added to the variance to avoid dividing by 0.")
    center: StrictBool = True
    scale: StrictBool = True
    beta_initializer: Initializer = Field("zeros", description="Initializer of beta, the learned offset.")
    gamma_initializer: Initializer = Field("ones", description="Initializer of gamma, the learned scale.")
    moving_mean_initializer: Initializer = Field("zeros", description="Initializer of the moving mean.")
    moving_variance_initializer: Initializer = Field("ones", description="Initializer of the moving variance.")
    beta_regularizer: Regularizer | None = Field(None, description="Penalty on beta.")
    gamma_regularizer: Regularizer | None = Field(None, description="Penalty on gamma.")
    beta_constraint: Constraint | None = Field(None, description="Constraint applied to beta after each update.")
    gamma_constraint: Constraint | None = Field(None, description="Constraint applied to gamma after each update.")
    renorm: StrictBool = Field(False, description="Batch renormalization (three more non-trainable weights per channel).")
    renorm_clipping: dict[str, StrictFloat | None] | None = Field(
        None,
        description="With renorm: bounds on the corrections, keys `rmax`, `rmin` (rmax >= rmin) and `dmax` (>= 0).",
    )
    renorm_momentum: StrictFloat = Field(0.99, description="With renorm: momentum of the renormalization statistics.")
    synchronized: StrictBool = Field(False, description="Synchronize the statistics across devices (TensorFlow backend).")

    RENORM_KEYS: ClassVar = ("rmax", "rmin", "dmax")

    def argument_errors(self) -> list[ShapeError]:
        # Keras reads renorm_clipping only with renorm.
        if not self.renorm or not self.renorm_clipping:
            return []
        clip = self.renorm_clipping
        unknown = sorted(set(clip) - set(self.RENORM_KEYS))
        if unknown:
            return [
                ShapeError(
                    "KS309",
                    f"BatchNormalization `renorm_clipping` has unknown keys {unknown}: Keras takes rmax, rmin and dmax",
                    "renorm_clipping",
                    "keep only rmax, rmin and dmax",
                )
            ]
        rmax, rmin, dmax = clip.get("rmax"), clip.get("rmin"), clip.get("dmax")
        if rmax is not None and rmin is not None and rmax < rmin:
            return [
                ShapeError(
                    "KS309",
                    f"BatchNormalization `renorm_clipping` has rmax {rmax} below rmin {rmin}",
                    "renorm_clipping",
                    "make rmax >= rmin (e.g. rmax: 3, rmin: 0.3333)",
                )
            ]
        if dmax is not None and dmax < 0:
            return [
                ShapeError(
                    "KS309",
                    f"BatchNormalization `renorm_clipping` dmax must be >= 0, got {dmax}",
                    "renorm_clipping",
                    "use dmax >= 0 (e.g. 5), or leave it out",
                )
            ]
        return []

    def _size(self, shape: Shape) -> int:
        return axis_size(self, shape, normalize_axis(self.axis, len(shape), layer=self.kind))

    def output_shape(self, shape: Shape) -> Shape:
        self._size(shape)
        return shape

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        n = (self._size(shape),)
        out = []
        if self.scale:
            out.append(Weight("gamma", n, True, "gamma_initializer"))
        if self.center:
            out.append(Weight("beta", n, True, "beta_initializer"))
        # The moving statistics never train.
        out += [
            Weight("moving_mean", n, False, "moving_mean_initializer"),
            Weight("moving_variance", n, False, "moving_variance_initializer"),
        ]
        if self.renorm:
            out += [
                Weight("moving_stddev", n, False, "moving_variance_initializer"),
                Weight("renorm_mean", n, False, "moving_mean_initializer"),
                Weight("renorm_stddev", n, False, "moving_variance_initializer"),
            ]
        return tuple(out)


class LayerNormalization(Layer):
    """Normalizes each sample over `axis`; gamma and beta have the sizes of those axes.

    Keras 3.15 still takes `rms_scaling` (deprecated, with a warning, outside its
    signature): gamma only, no beta, whatever `center` and `scale` say.
    """

    TYPES: ClassVar = ("LayerNormalization",)
    STRICTER_THAN_KERAS: ClassVar = {"epsilon": _EPSILON_STRICTER}
    SPEC_ONLY: ClassVar = frozenset({"rms_scaling"})
    type: Literal["LayerNormalization"]
    axis: Axes = Field(-1, description="The axis or axes normalized over; -1 for the last.")
    epsilon: StrictFloat = Field(1e-3, description="Added to the variance to avoid dividing by 0.")
    center: StrictBool = True
    scale: StrictBool = True
    beta_initializer: Initializer = Field("zeros", description="Initializer of beta, the learned offset.")
    gamma_initializer: Initializer = Field("ones", description="Initializer of gamma, the learned scale.")
    beta_regularizer: Regularizer | None = Field(None, description="Penalty on beta.")
    gamma_regularizer: Regularizer | None = Field(None, description="Penalty on gamma.")
    beta_constraint: Constraint | None = Field(None, description="Constraint applied to beta after each update.")
    gamma_constraint: Constraint | None = Field(None, description="Constraint applied to gamma after each update.")
    rms_scaling: StrictBool = Field(
        False,
        description="Deprecated in Keras 3 (use RMSNormalization): scale by the variance, gamma only.",
    )

    def _has_weights(self) -> bool:
        return self.scale or self.center or self.rms_scaling

    def output_shape(self, shape: Shape) -> Shape:
        check_axes(self, shape, self.axis)
        if self._has_weights():
            sorted_axes_shape(self, shape, self.axis)
        return shape

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        if not self._has_weights():
            return ()
        n = sorted_axes_shape(self, shape, self.axis)
        out = []
        if self.scale or self.rms_scaling:
            out.append(Weight("gamma", n, True, "gamma_initializer"))
        if self.center and not self.rms_scaling:
            out.append(Weight("beta", n, True, "beta_initializer"))
        return tuple(out)

    def keras_kwargs(self) -> dict[str, Any]:
        kwargs = super().keras_kwargs()
        if self.rms_scaling:
            kwargs["rms_scaling"] = True
        return kwargs


class RMSNormalization(Layer):
    """Divides each sample by its root mean square over `axis`, times a learned `scale`."""

    TYPES: ClassVar = ("RMSNormalization",)
    STRICTER_THAN_KERAS: ClassVar = {"epsilon": _EPSILON_STRICTER}
    type: Literal["RMSNormalization"]
    axis: Axes = Field(-1, description="The axis or axes normalized over; -1 for the last.")
    epsilon: StrictFloat = Field(1e-6, description="Added to the mean square to avoid dividing by 0.")

    def output_shape(self, shape: Shape) -> Shape:
        sorted_axes_shape(self, shape, self.axis)
        return shape

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        return (Weight("scale", sorted_axes_shape(self, shape, self.axis)),)


class UnitNormalization(Layer):
    """Scales each sample to unit L2 norm over `axis`; no weights."""

    TYPES: ClassVar = ("UnitNormalization",)
    type: Literal["UnitNormalization"]
    axis: Axes = Field(-1, description="The axis or axes normalized over; -1 for the last.")

    def output_shape(self, shape: Shape) -> Shape:
        check_axes(self, shape, self.axis)
        return shape


class GroupNormalization(Layer):
    """Normalizes groups of channels of each sample: `groups` must divide the channels.

    `groups: -1` makes one group per channel (instance normalization).
    """

    TYPES: ClassVar = ("GroupNormalization",)
    STRICTER_THAN_KERAS: ClassVar = {"epsilon": _EPSILON_STRICTER}
    type: Literal["GroupNormalization"]
    groups: StrictInt = Field(32, description="Number of channel groups, >= 1, dividing the channels; -1: one per channel.")
    axis: StrictInt = Field(-1, description="The channel axis; -1 for the last.")
    epsilon: StrictFloat = Field(1e-3, description="Added to the variance to avoid dividing by 0.")
    center: StrictBool = True
    scale: StrictBool = True
    beta_initializer: Initializer = Field("zeros", description="Initializer of beta, the learned offset.")
    gamma_initializer: Initializer = Field("ones", description="Initializer of gamma, the learned scale.")
    beta_regularizer: Regularizer | None = Field(None, description="Penalty on beta.")
    gamma_regularizer: Regularizer | None = Field(None, description="Penalty on gamma.")
    beta_constraint: Constraint | None = Field(None, description="Constraint applied to beta after each update.")
    gamma_constraint: Constraint | None = Field(None, description="Constraint applied to gamma after each update.")

    def argument_errors(self) -> list[ShapeError]:
        if self.groups >= 1 or self.groups == -1:
            return []
        return [
            ShapeError(
                "KS309",
                f"GroupNormalization `groups` must be a positive integer (or -1 for one group per channel), got {self.groups}",
                "groups",
                "use a number of groups that divides the channels, e.g. 8, or -1",
            )
        ]

    def _channels(self, shape: Shape) -> int:
        # Keras indexes the input shape with `axis` (an IndexError when out of range).
        dim = axis_size(self, shape, normalize_axis(self.axis, len(shape), layer=self.kind))
        groups = dim if self.groups == -1 else self.groups
        if dim < groups:
            raise ShapeError(
                "KS307",
                f"GroupNormalization has {groups} groups but its input has only {dim} channels "
                f"(axis {self.axis}): input {fmt_shape(shape)}",
                "groups",
                _divisors_hint(dim),
            )
        if dim % groups:
            raise ShapeError(
                "KS307",
                f"GroupNormalization needs channels divisible by `groups` {groups}, but the input has "
                f"{dim} channels (axis {self.axis}): input {fmt_shape(shape)}",
                "groups",
                _divisors_hint(dim),
            )
        return dim

    def output_shape(self, shape: Shape) -> Shape:
        self._channels(shape)
        return shape

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        n = (self._channels(shape),)
        out = []
        if self.scale:
            out.append(Weight("gamma", n, True, "gamma_initializer"))
        if self.center:
            out.append(Weight("beta", n, True, "beta_initializer"))
        return tuple(out)


def _divisors_hint(channels: int) -> str:
    divisors = [g for g in range(1, channels + 1) if channels % g == 0] if channels <= 4096 else []
    shown = ", ".join(map(str, divisors[-6:])) if divisors else None
    return f"use groups that divide {channels} (e.g. {shown}), or -1 for one per channel" if shown else "use groups that divide the channels"
