"""Keras objects written as arguments: activations, initializers, regularizers, constraints.

Wherever Keras takes an object or its string name, a spec writes the name
(``kernel_initializer: he_normal``) or the object as ``{type: <Keras class>, ...args}``
(``{type: RandomNormal, stddev: 0.02, seed: 1}``). Each object class lists its Keras
constructor arguments with Keras's names and defaults, refuses what the constructor
refuses, and knows the weights it cannot serve: when the layer builds
(:meth:`KerasObject.weight_error`, KS309) or in the first training step
(:meth:`KerasObject.run_error`, KS504);
``build`` turns it into the Keras object with :meth:`KerasObject.to_keras`.

A :class:`Family` groups the classes and the names of one kind of object (the
initializers...). ``kerasspec.spec`` adds the families of ``compile`` and ``fit``
(schedules, optimizers, losses, metrics, callbacks) on the same machinery.
"""

import typing
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal, Optional, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    Tag,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from . import names
from .fields import Choice, Name, StrictBool, StrictInt, _ci_alternatives, describe

# --------------------------------------------------------------------------- numbers

#: A number as Keras takes most float arguments: an int or a float (not a bool, not a string).
Number = Annotated[float, Strict()]
NonNegativeNumber = Annotated[float, Strict(), Field(ge=0.0)]
PositiveNumber = Annotated[float, Strict(), Field(gt=0.0)]
UnitNumber = Annotated[float, Strict(), Field(ge=0.0, le=1.0)]


def _float_only(value: Any) -> float:
    if isinstance(value, float):
        return value
    hint = f"write {value}.0" if isinstance(value, int) and not isinstance(value, bool) else None
    raise PydanticCustomError(
        "KS203",
        "expected a float (Keras checks `isinstance(value, float)` here), got {got}",
        {"got": describe(value), "hint": hint},
    )


#: A float where Keras checks ``isinstance(value, float)`` and so refuses an int (``learning_rate: 1``).
Float = Annotated[float, BeforeValidator(_float_only), WithJsonSchema({"type": "number"})]


def bounded(low: float | None, high: float | None, *, low_open: bool = False, high_open: bool = False) -> Any:
    """A Keras-float (int refused) in a range, for arguments such as SGD's ``momentum``."""
    constraints: dict[str, float] = {}
    if low is not None:
        constraints["gt" if low_open else "ge"] = low
    if high is not None:
        constraints["lt" if high_open else "le"] = high
    return Annotated[float, BeforeValidator(_float_only), Field(**constraints), WithJsonSchema({"type": "number"})]  # type: ignore[arg-type]


#: An axis or a list of axes (``ops.sum(axis=...)`` takes both).
Axis = Union[StrictInt, list[StrictInt]]  # noqa: UP007
Seed = Optional[StrictInt]  # noqa: UP045


def doc(default: Any, description: str, **kwargs: Any) -> Any:
    """A field with its default and its description (for the schema and the reference)."""
    return Field(default, description=description, **kwargs)


# --------------------------------------------------------------------------- the machinery


class KerasObject(BaseModel):
    """A Keras object written as a mapping: ``type`` names its class in ``MODULE``.

    Subclasses declare ``type: Literal[<Keras class name>, <aliases Keras exports>]`` and
    the constructor arguments as fields, with Keras's names and defaults.
    """

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)

    #: The keras sub-module holding the class: "initializers", "optimizers.schedules"...
    MODULE: ClassVar[str] = ""
    #: Constructor arguments the spec language leaves out, each with the reason
    #: (tests/test_objects.py fails on any other argument a class lacks).
    UNSUPPORTED_ARGS: ClassVar[dict[str, str]] = {}
    #: Spec fields that are not constructor arguments.
    SPEC_ONLY: ClassVar[frozenset[str]] = frozenset()
    #: Values for the required arguments, for an example object (tests, docs, hints).
    EXAMPLE: ClassVar[dict[str, Any]] = {}

    @classmethod
    def types(cls) -> tuple[str, ...]:
        """The ``type`` spellings, Keras's class name first."""
        return typing.get_args(cls.model_fields["type"].annotation)

    #: ``type`` spellings that are aliases Keras exports for another class: alias -> class name.
    CANONICAL: ClassVar[dict[str, str]] = {}

    @property
    def kind(self) -> str:
        """The Keras class name (``IdentityInitializer`` is ``Identity``), as Keras saves it."""
        return self.CANONICAL.get(self.type, self.type)  # type: ignore[attr-defined]

    def keras_kwargs(self) -> dict[str, Any]:
        """The constructor arguments, as Keras takes them."""
        return {k: getattr(self, k) for k in type(self).model_fields if k != "type" and k not in self.SPEC_ONLY}

    def keras_class(self, keras: Any) -> Any:
        module = keras
        for part in self.MODULE.split("."):
            module = getattr(module, part)
        return getattr(module, self.type)  # type: ignore[attr-defined]

    def to_keras(self, keras: Any) -> Any:
        return self.keras_class(keras)(**{k: to_keras(v, keras) for k, v in self.keras_kwargs().items()})

    def weight_error(self, shape: tuple[int, ...]) -> str | None:
        """Why Keras fails to build a weight of ``shape`` with this object (None when it builds)."""
        return None

    def run_error(self, shape: tuple[int | None, ...]) -> str | None:
        """Why Keras builds it but fails in the first training step on a weight (or, for an
        activity regularizer, an output with its batch axis) of ``shape``."""
        return None


def to_keras(value: Any, keras: Any) -> Any:
    """A validated argument as Keras takes it: objects become Keras objects, tuples stay, the rest is as is."""
    if isinstance(value, KerasObject):
        return value.to_keras(keras)
    if isinstance(value, list):
        return [to_keras(v, keras) for v in value]
    return value


def _kind_of(value: Any) -> str:
    # A mapping (or a validated object) is an object; anything else is parsed as a name, so
    # `kernel_initializer: 5` says "expected an initializer name (a string)".
    return "object" if isinstance(value, dict | BaseModel) else "name"


@dataclass(frozen=True)
class Family:
    """One kind of Keras object: its classes, the names Keras resolves, and how mistakes are reported."""

    what: str  # "initializer": messages say "unknown initializer 'x'"
    code: str  # the code of an unknown name or type
    classes: tuple[type[KerasObject], ...]
    names: tuple[str, ...] = ()  # the string names Keras resolves to one of the classes
    aliases: tuple[tuple[str, str], ...] = ()  # names that are not a class's snake case: (name, type)
    any_case: tuple[str, ...] = ()  # names Keras matches in any case (lower-cases first)
    excluded: tuple[tuple[str, str], ...] = ()  # Keras classes left out: (class, why)
    #: An object with only default arguments is the same as its name (import writes the name).
    #: Not so for metrics (a name is logged as written: `AUC`, where the object logs `auc`).
    name_when_default: bool = False

    @cached_property
    def types(self) -> dict[str, type[KerasObject]]:
        """Every ``type`` spelling -> its class."""
        return {t: c for c in self.classes for t in c.types()}

    @cached_property
    def _resolved(self) -> dict[str, Any]:
        # name -> what resolve() found, and its default object: names are resolved for every
        # weight of every layer each check analyses (a search space: thousands of times).
        return {}

    def resolve(self, name: str) -> tuple[type[KerasObject], str] | None:
        """The class and ``type`` a string name stands for (``he_normal`` -> HeNormal), as Keras resolves it."""
        key = ("resolve", name)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(name)
        return self._resolved[key]  # type: ignore[no-any-return]

    def _resolve(self, name: str) -> tuple[type[KerasObject], str] | None:
        if name in self.types:
            return self.types[name], name
        alias = dict(self.aliases).get(name)
        if alias is not None:
            return self.types[alias], alias
        for t, cls in self.types.items():
            if names.snake_case(t) == name or (t.lower() == name.lower() and name.lower() in self.any_case):
                return cls, t
        return None

    def default_object(self, name: str) -> KerasObject | None:
        """The object a name stands for, with Keras's defaults (for the shape checks); one per name (frozen)."""
        key = ("default", name)
        if key not in self._resolved:
            found = self.resolve(name)
            # The defaults; names resolve to classes without required arguments.
            self._resolved[key] = None if found is None else found[0].model_construct(type=found[1])
        return self._resolved[key]  # type: ignore[no-any-return]

    def name_type(self, *, case_insensitive: bool = False) -> Any:
        """The names as a field type; an unknown name that is a class needing arguments gets the object to write."""
        return FamilyName(self, case_insensitive=case_insensitive)

    def object_hint(self, name: str) -> str | None:
        """For a class Keras cannot make from its name (`constant`, `iou`, `lamb`): the object to write."""
        named = {found[1] for n in self.names if (found := self.resolve(n if n in self.types else n.lower())) is not None}
        for kind, cls in self.types.items():
            if kind in named or not (name in (kind, names.snake_case(kind)) or name.lower() == kind.lower()):
                continue
            required = {n: v for n, v in cls.EXAMPLE.items() if cls.model_fields[n].is_required()}
            if kind == "Constant":
                required = {"value": 0.5}  # Keras resolves the name, then fails for want of `value`
            args = "".join(f", {k}: {v}" for k, v in required.items())
            return f"there is no name for {kind}: write the object `{{type: {kind}{args}}}`"
        return None

    def object_type(self) -> Any:
        return Annotated[Union[self.classes], Field(discriminator="type")]  # type: ignore[valid-type]  # noqa: UP007

    def annotation(self, *, with_names: bool = True) -> Any:
        """The field type: a name or an object (discriminated on str vs mapping, then on ``type``)."""
        if not with_names:
            return self.object_type()
        return Annotated[
            Union[  # noqa: UP007
                Annotated[self.name_type(), Tag("name")],
                Annotated[self.object_type(), Tag("object")],
            ],
            Discriminator(_kind_of),
        ]

    def as_object(self, value: Any) -> KerasObject | None:
        """A validated field value as an object: names stand for their class with its defaults."""
        if isinstance(value, KerasObject):
            return value
        if isinstance(value, str):
            return self.default_object(value)
        return None


def FamilyName(family: Family, *, case_insensitive: bool = False) -> Any:
    """A name Keras resolves (``he_normal``); Keras matches ``family.any_case`` names in any case
    (``ACC``), and every name when ``case_insensitive`` (optimizers)."""
    allowed = tuple(family.names)
    lowered = {c.lower(): c for c in allowed}
    folded = {c.lower() for c in family.any_case}
    what = family.what

    def parse(value: Any) -> str:
        if not isinstance(value, str):
            raise PydanticCustomError("KS203", "expected {what} name (a string), got {got}", {"what": what, "got": describe(value)})
        if value in allowed or value.lower() in folded:
            return value  # kept as written: Keras logs a metric under the string (`ACC`)
        if case_insensitive and value.lower() in lowered:
            return lowered[value.lower()]
        left_out = next((f"{k} is left out: {why}" for k, why in family.excluded if value.lower() in (k.lower(), names.snake_case(k))), None)
        hint = left_out or family.object_hint(value) or names.did_you_mean(value, allowed)
        raise PydanticCustomError(family.code, "unknown {what} '{value}'", {"what": what, "value": value, "hint": hint})

    schema: dict[str, Any] = {"type": "string", "enum": list(allowed)}
    patterns = allowed if case_insensitive else tuple(family.any_case)
    if patterns:
        # Editors complete from the enum; the pattern admits the other cases Keras takes.
        schema = {"type": "string", "anyOf": [{"enum": list(allowed)}, {"pattern": _ci_alternatives(patterns)}]}
    return Annotated[str, BeforeValidator(parse), WithJsonSchema(schema)]


# --------------------------------------------------------------------------- activations

Activation = Name(names.ACTIVATIONS, code="KS207", what="activation")


# --------------------------------------------------------------------------- initializers


class _Initializer(KerasObject):
    MODULE: ClassVar[str] = "initializers"


class Constant(_Initializer):
    """Every value the same constant.

    Keras also takes an array for `value`, broadcast to the weight's shape; the spec
    language takes a number (the array form is data, not a setting).
    """

    type: Literal["Constant"]
    value: Number = doc(0.0, "The value of every element.")


class Zeros(_Initializer):
    """All zeros."""

    type: Literal["Zeros"]


class Ones(_Initializer):
    """All ones."""

    type: Literal["Ones"]


class IdentityInitializer(_Initializer):
    """The identity matrix times `gain`: 2D weights only (a Dense kernel, a recurrent kernel).

    (The class is not called `Identity`: that is the layer's name in the schema.) Keras does
    not save `gain` in the model file, so a file's Identity comes back with gain 1.
    """

    type: Literal["Identity", "IdentityInitializer"]
    CANONICAL: ClassVar[dict[str, str]] = {"IdentityInitializer": "Identity"}
    gain: Number = doc(1.0, "Multiplies the identity matrix.")

    def weight_error(self, shape: tuple[int, ...]) -> str | None:
        return None if len(shape) == 2 else "only initializes 2D matrices"


class STFT(_Initializer):
    """Kernels of a short-time Fourier transform, for a Conv1D kernel (frame_length, 1, bins).

    On an input of more than one channel Keras gives the kernel a value of the wrong shape
    ((frame_length, 1, bins)): a KS504 warning, as Keras's optimizers with slots fail in the
    first training step.

    Keras also takes an array for `window`; the spec language takes the names of
    SciPy's windows that need no parameter (and null for no window).
    """

    type: Literal["STFT", "STFTInitializer"]
    CANONICAL: ClassVar[dict[str, str]] = {"STFTInitializer": "STFT"}
    side: Choice("real", "imag") = doc("real", "`real` or `imag`: which part of the transform the kernel computes.")  # type: ignore[valid-type]
    window: Choice(*names.STFT_WINDOWS) | None = doc("hann", "A SciPy window name (`hann`, `hamming`...), or null for none.")  # type: ignore[valid-type]
    scaling: Choice("density", "spectrum") | None = doc("density", "Window normalization: `density` (L2), `spectrum` (L1) or null.")  # type: ignore[valid-type]
    periodic: StrictBool = doc(False, "Treat the window as periodic.")

    def weight_error(self, shape: tuple[int, ...]) -> str | None:
        # Keras unpacks the shape as (frame_length, channels, bins): another rank fails to build.
        return None if len(shape) == 3 else "needs a weight of rank 3 (frame_length, 1, bins): a Conv1D kernel"

    def run_error(self, shape: tuple[int | None, ...]) -> str | None:
        # It makes a (frame_length, 1, bins) value whatever the channels: with more, the kernel
        # variable holds a value of the wrong shape; optimizers with slots (Adam...) fail in the
        # first step, plain SGD trains a broadcast kernel.
        if len(shape) != 3 or shape[1] == 1:
            return None
        return f"makes kernels for 1 input channel, not {shape[1]}: the kernel gets a value of the wrong shape"


class _Random(_Initializer):
    seed: Seed = doc(None, "Seed of the random generator: the same seed gives the same weights.")


class RandomNormal(_Random):
    """Values drawn from a normal distribution."""

    type: Literal["RandomNormal"]
    mean: Number = doc(0.0, "Mean of the distribution.")
    stddev: Number = doc(0.05, "Standard deviation of the distribution.")


class TruncatedNormal(RandomNormal):
    """Values from a normal distribution, redrawn beyond two standard deviations."""

    type: Literal["TruncatedNormal"]  # type: ignore[assignment]


class RandomUniform(_Random):
    """Values drawn uniformly from [minval, maxval)."""

    type: Literal["RandomUniform"]
    minval: Number = doc(-0.05, "Lower bound of the range.")
    maxval: Number = doc(0.05, "Upper bound of the range.")


class _Fans(_Random):
    input_axes: list[StrictInt] | None = doc(None, "With `output_axes`: the weight axes counted as inputs (fan in).")
    output_axes: list[StrictInt] | None = doc(None, "With `input_axes`: the weight axes counted as outputs (fan out).")

    def weight_error(self, shape: tuple[int, ...]) -> str | None:
        # Keras reads the axes only when both are given, indexing the weight's shape with them.
        if self.input_axes is None or self.output_axes is None:
            return None
        bad = [a for a in (*self.input_axes, *self.output_axes) if not -len(shape) <= a < len(shape)]
        return f"has axis {bad[0]} in input_axes/output_axes, outside a weight of rank {len(shape)}" if bad else None


class VarianceScaling(_Fans):
    """Values scaled to the weight's fan in, fan out or their average."""

    type: Literal["VarianceScaling"]
    scale: PositiveNumber = doc(1.0, "Scaling factor (> 0).")
    mode: Choice("fan_in", "fan_out", "fan_avg") = doc("fan_in", "Which fan scales the variance.")  # type: ignore[valid-type]
    # Keras lower-cases `distribution` and reads `normal` as `truncated_normal`.
    distribution: Choice("truncated_normal", "untruncated_normal", "uniform", "normal", case_insensitive=True) = doc(  # type: ignore[valid-type]
        "truncated_normal", "`truncated_normal`, `untruncated_normal` or `uniform`; any case."
    )


class FanInitializer(_Fans):
    """Glorot, He and LeCun initializers: VarianceScaling with a fixed scale, mode and distribution."""

    type: Literal["GlorotUniform", "GlorotNormal", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform"]


class Orthogonal(_Random):
    """A random orthogonal matrix times `gain`; weights of rank 2 or more (flattened to 2D)."""

    type: Literal["Orthogonal", "OrthogonalInitializer"]
    CANONICAL: ClassVar[dict[str, str]] = {"OrthogonalInitializer": "Orthogonal"}
    gain: Number = doc(1.0, "Multiplies the orthogonal matrix.")

    def weight_error(self, shape: tuple[int, ...]) -> str | None:
        return None if len(shape) >= 2 else "needs a weight of rank 2 or more"


INITIALIZERS = Family(
    "initializer",
    "KS206",
    (Constant, Zeros, Ones, IdentityInitializer, STFT, RandomNormal, TruncatedNormal, RandomUniform, VarianceScaling,
     FanInitializer, Orthogonal),
    names.INITIALIZERS,
    aliases=(("normal", "RandomNormal"), ("uniform", "RandomUniform"), ("one", "Ones"), ("zero", "Zeros")),
    excluded=(("Initializer", "the abstract base class: Keras fails when the layer builds"),),
    name_when_default=True,
)  # fmt: skip

#: An initializer: a name (`he_normal`), an object (`{type: RandomNormal, stddev: 0.02}`), or
#: null, with which Keras's ``add_weight`` uses glorot_uniform (zeros for integer weights).
Initializer = Optional[INITIALIZERS.annotation()]  # noqa: UP045


# --------------------------------------------------------------------------- regularizers


class _Regularizer(KerasObject):
    MODULE: ClassVar[str] = "regularizers"


class L1(_Regularizer):
    """A penalty of `l1` times the sum of absolute values."""

    type: Literal["L1"]
    l1: NonNegativeNumber | None = doc(0.01, "The L1 factor; null means 0.01.")


class L2(_Regularizer):
    """A penalty of `l2` times the sum of squares."""

    type: Literal["L2"]
    l2: NonNegativeNumber | None = doc(0.01, "The L2 factor; null means 0.01.")


class L1L2(_Regularizer):
    """Both penalties."""

    type: Literal["L1L2"]
    l1: NonNegativeNumber | None = doc(0.0, "The L1 factor; null means 0.")
    l2: NonNegativeNumber | None = doc(0.0, "The L2 factor; null means 0.")


class OrthogonalRegularizer(_Regularizer):
    """A penalty on the cosine similarity between rows (or columns) of a 2D weight."""

    type: Literal["OrthogonalRegularizer"]
    factor: NonNegativeNumber = doc(0.01, "The penalty factor.")
    mode: Choice("rows", "columns") = doc("rows", "Compare `rows` or `columns`.")  # type: ignore[valid-type]

    def run_error(self, shape: tuple[int | None, ...]) -> str | None:
        # Keras computes the penalty in the training step, and raises there.
        if len(shape) != 2:
            return f"takes tensors of rank 2 only, not rank {len(shape)}"
        if shape[0] is None:  # an activity regularizer: the rows are the batch, which `ops.eye` needs known
            return "needs a fixed batch size on an output (`Input` with `batch_size`)"
        return None


REGULARIZERS = Family(
    "regularizer", "KS206", (L1, L2, L1L2, OrthogonalRegularizer), names.REGULARIZERS, name_when_default=True,
    excluded=(("Regularizer", "the base class: its penalty is a Python float, on which Keras fails in the first training step"),),
)  # fmt: skip
Regularizer = REGULARIZERS.annotation()


# --------------------------------------------------------------------------- constraints


class _Constraint(KerasObject):
    MODULE: ClassVar[str] = "constraints"

    def run_error(self, shape: tuple[int | None, ...]) -> str | None:
        axis = getattr(self, "axis", None)
        axes = axis if isinstance(axis, list) else [axis] if axis is not None else []
        bad = [a for a in axes if not -len(shape) <= a < len(shape)]
        # Keras applies the constraint after each optimizer step: it fails in the first one.
        if bad:
            return f"has axis {bad[0]}, outside a weight of rank {len(shape)}"
        if len({a % len(shape) for a in axes}) < len(axes):
            return f"names an axis twice in {axes}"
        return None


class BaseConstraint(_Constraint):
    """Keras's base class `Constraint`: leaves the weights as they are."""

    type: Literal["Constraint"]


class MaxNorm(_Constraint):
    """Rescale weights whose norm along `axis` exceeds `max_value`."""

    type: Literal["MaxNorm"]
    max_value: Number = doc(2, "The largest norm allowed.")
    axis: Axis = doc(0, "The axis (or axes) the norm is taken along: 0 for a Dense kernel's inputs.")


class MinMaxNorm(_Constraint):
    """Keep the norm along `axis` between `min_value` and `max_value`, moving at `rate`."""

    type: Literal["MinMaxNorm"]
    min_value: Number = doc(0.0, "The smallest norm allowed.")
    max_value: Number = doc(1.0, "The largest norm allowed.")
    rate: Number = doc(1.0, "How far each step moves the norm into the range (1.0: all the way).")
    axis: Axis = doc(0, "The axis (or axes) the norm is taken along.")


class NonNeg(_Constraint):
    """Set negative weights to zero."""

    type: Literal["NonNeg"]


class UnitNorm(_Constraint):
    """Rescale the weights to norm 1 along `axis`."""

    type: Literal["UnitNorm"]
    axis: Axis = doc(0, "The axis (or axes) the norm is taken along.")


CONSTRAINTS = Family(
    "constraint", "KS206", (BaseConstraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm), names.CONSTRAINTS,
    name_when_default=True,
)  # fmt: skip
Constraint = CONSTRAINTS.annotation()


# --------------------------------------------------------------------------- shape checks

LAYER_FAMILIES: dict[str, Family] = {"initializer": INITIALIZERS, "regularizer": REGULARIZERS, "constraint": CONSTRAINTS}


def family_of_field(field: str) -> Family | None:
    """The family a layer field takes: `kernel_initializer` -> the initializers."""
    for suffix, family in LAYER_FAMILIES.items():
        if field == suffix or field.endswith("_" + suffix):
            return family
    return None


def _weight_objects(layer: Any, initializer_field: str) -> list[tuple[str, KerasObject]]:
    """The initializer, regularizer and constraint of one weight, named by its initializer field.

    Their fields share the stem: `kernel_initializer`, `kernel_regularizer`, `kernel_constraint`.
    """
    stem = initializer_field.removesuffix("initializer")
    out = []
    for suffix, family in LAYER_FAMILIES.items():
        obj = family.as_object(getattr(layer, stem + suffix, None))
        if obj is not None:
            out.append((stem + suffix, obj))
    return out


def weight_errors(layer: Any, weight_name: str, initializer_field: str, shape: tuple[int, ...]) -> list[tuple[str, str]]:
    """(field, reason) for each object with which Keras fails to build the weight ``weight_name`` (KS309)."""
    return [(field, reason) for field, obj in _weight_objects(layer, initializer_field) if (reason := obj.weight_error(shape))]


def activity_error(layer: Any, output_shape: tuple[int | None, ...]) -> str | None:
    """Why the layer's activity regularizer fails in training on its output (batch axis included), if it does."""
    obj = REGULARIZERS.as_object(getattr(layer, "activity_regularizer", None))
    return obj.run_error(output_shape) if obj is not None else None


def run_problems(layer: Any, shape: tuple[int | None, ...]) -> list[tuple[str, str, str]]:
    """(field, why, fix) for each object Keras builds with ``layer`` on ``shape`` but fails on in training (KS504)."""
    out = []
    for weight in layer.weights(shape):
        if weight.initializer is None:
            continue
        for field, obj in _weight_objects(layer, weight.initializer):
            if reason := obj.run_error(weight.shape):
                value = getattr(layer, field)
                shown = value if isinstance(value, str) else obj.type  # type: ignore[attr-defined]
                out.append((
                    field,
                    f"{layer.kind} `{field}` '{shown}' {reason}, for the {weight.name.replace('_', ' ')} of shape "
                    f"{list(weight.shape)}: Keras builds it, and fails in the first training step",
                    "use another one, or none",
                ))
    if getattr(layer, "activity_regularizer", None) is not None:
        output = layer.output_shape(shape)
        if reason := activity_error(layer, output):
            out.append((
                "activity_regularizer",
                f"{layer.kind} `activity_regularizer` {reason}, and the output is {list(output)}: "
                "Keras builds it, and fails in the first training step",
                "regularize the weights instead (`kernel_regularizer`)",
            ))
    return out


def _check_names(family: Family) -> Family:
    unresolved = [n for n in family.names if family.resolve(n) is None]
    assert not unresolved, f"{family.what} names without a class: {unresolved}"
    return family


for _family in LAYER_FAMILIES.values():
    _check_names(_family)

__all__ = [
    "CONSTRAINTS",
    "INITIALIZERS",
    "REGULARIZERS",
    "Activation",
    "Axis",
    "Constraint",
    "Family",
    "Float",
    "Initializer",
    "KerasObject",
    "Number",
    "Regularizer",
    "activity_error",
    "bounded",
    "family_of_field",
    "to_keras",
    "weight_errors",
]  # fmt: skip
