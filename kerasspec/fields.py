"""Field types of the spec language, with Keras's own parsing rules and clean errors.

Keras takes many arguments as "an int or a tuple" (``kernel_size: 3`` or ``[3, 3]``)
and matches some strings in any case (``padding: SAME``). A plain pydantic union
would report one error per branch; these types parse the way Keras does and raise
one error whose type is the kerasspec code (``KS203``...), so that
``kerasspec.validate`` can map it without guessing. Each also states its JSON
Schema, so editors complete and explain the field.
"""

import math
import re
from collections.abc import Callable, Sequence
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, Strict, WithJsonSchema
from pydantic_core import PydanticCustomError

from .names import did_you_mean

StrictInt = Annotated[int, Strict()]
StrictFloat = Annotated[float, Strict()]
StrictBool = Annotated[bool, Strict()]
PositiveInt = Annotated[int, Strict(), Field(ge=1)]
NonNegativeInt = Annotated[int, Strict(), Field(ge=0)]
Rate = Annotated[float, Strict(), Field(ge=0.0, le=1.0)]
PositiveFloat = Annotated[float, Strict(), Field(gt=0.0)]
NonNegativeFloat = Annotated[float, Strict(), Field(ge=0.0)]


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _wrong_type(expected: str, value: Any) -> PydanticCustomError:
    ctx: dict[str, Any] = {"expected": expected, "got": describe(value)}
    if (as_list := _list_in_string(value)) is not None:
        ctx["hint"] = f"write a YAML list, not a string: `{as_list}`"
    elif (unquoted := number_hint(value)) is not None:
        ctx["hint"] = unquoted
    return PydanticCustomError("KS203", "expected {expected}, got {got}", ctx)


def number_hint(value: Any) -> str | None:
    """For a number written in quotes (`"32"`), the hint to write it without (``--fix`` applies it)."""
    if not isinstance(value, str):
        return None
    try:
        float(value)
    except ValueError:
        return None
    return f"write {value} without quotes: kerasspec does not convert strings to numbers"


# A Python tuple or list written as text: `(28, 28, 1)`, `(None, 3)`, `28, 28`, `"[3, 3]"`.
_SIZES = r"((?:-?\d+|None|null)(?:\s*,\s*(?:-?\d+|None|null))*)"
_SIZES_TEXT = re.compile(rf"\s*(?:\(\s*{_SIZES}\s*,?\s*\)|\[\s*{_SIZES}\s*,?\s*\]|{_SIZES}\s*,?)\s*")


def _list_in_string(value: Any) -> str | None:
    """For a string holding sizes as Python writes them, the YAML list a user meant; else None."""
    if not isinstance(value, str) or (m := _SIZES_TEXT.fullmatch(value)) is None:
        return None
    sizes = next(group for group in m.groups() if group is not None)
    if "," not in value and not value.strip().startswith(("(", "[")):
        return None  # a lone number in quotes: the number hint says what to write
    items = ["null" if item.strip() in ("None", "null") else item.strip() for item in sizes.split(",")]
    return f"[{', '.join(items)}]"


# `1./255`, `1/1000`, `-3 / 4`: a quotient of two plain numbers, as Python writes it.
_NUMBER = r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_QUOTIENT = re.compile(rf"\s*([+-]?{_NUMBER})\s*/\s*({_NUMBER})\s*")


def quotient(value: Any) -> float | None:
    """The value of a string holding `a/b` of two numbers (`1./255`), as Python computes it; else None.

    Only this one form is read, by parsing its two numbers: nothing is evaluated.
    """
    if not isinstance(value, str) or (m := _QUOTIENT.fullmatch(value)) is None:
        return None
    a, b = float(m.group(1)), float(m.group(2))
    if b == 0.0 or not math.isfinite(result := a / b):
        return None
    return result


#: A tuple written in a flow mapping, `{kernel_size: (3, 3)}`: YAML ends the entry at the first
#: comma, so the value is the string '(3' and each other item becomes a key with no value.
_TUPLE_HEAD = re.compile(r"\s*\(\s*[^(),]*")


def split_tuple(mapping: Any, key: Any) -> tuple[list[Any], str] | None:
    """For ``mapping[key]`` holding the start of such a split tuple: the keys its other items
    became, and the YAML list meant (`[3, 3]`); else None."""
    if not isinstance(mapping, dict) or not isinstance(head := mapping.get(key), str) or not _TUPLE_HEAD.fullmatch(head):
        return None
    keys = list(mapping)
    pieces: list[Any] = []
    for k in keys[keys.index(key) + 1 :]:
        if mapping[k] is not None or isinstance(k, bool):
            return None
        pieces.append(k)
        if str(k).rstrip().endswith(")"):
            as_list = _list_in_string(", ".join([head, *(str(p) for p in pieces)]))
            return (pieces, as_list) if as_list is not None else None
    return None


def split_tuple_hint(key: Any, written: str, as_list: str) -> str:
    """The hint (``--fix`` applies it) for a tuple YAML split in a flow mapping."""
    return f"YAML split `{written}` at its commas, which end an entry in `{{...}}`: write `{key}: {as_list}`"


def describe(value: Any) -> str:
    """A value as messages quote it: `string '32'`, `true`, `50.0`, `a list`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, int | float):
        return f"{value!r}"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _int_tuple(n: int, minimum: int) -> Callable[[Any], tuple[int, ...]]:
    what = "an integer" if n == 1 else f"an integer or a list of {n} integers"

    def parse(value: Any) -> tuple[int, ...]:
        if _is_int(value):
            items = [value] * n
        elif isinstance(value, list | tuple):
            if len(value) != n:
                raise PydanticCustomError(
                    "KS205",
                    "expected {n} values, got {got}",
                    {"n": n, "got": len(value)},
                )
            if not all(_is_int(v) for v in value):
                raise _wrong_type(f"a list of {n} integers", value)
            items = list(value)
        else:
            raise _wrong_type(what, value)
        bad = [v for v in items if v < minimum]
        if bad:
            raise PydanticCustomError(
                "KS205",
                "every value must be >= {minimum}, got {bad}",
                {"minimum": minimum, "bad": bad[0]},
            )
        return tuple(items)

    return parse


def IntTuple(n: int, *, minimum: int = 1, description: str = "") -> Any:
    """An int or a list of ``n`` ints, as Keras's ``standardize_tuple`` takes it."""
    item = {"type": "integer", "minimum": minimum}
    schema: dict[str, Any] = {
        "anyOf": [item, {"type": "array", "items": item, "minItems": n, "maxItems": n}]
    }
    if n == 1:
        schema = {"anyOf": [item, {"type": "array", "items": item, "minItems": 1, "maxItems": 1}]}
    if description:
        schema["description"] = description
    return Annotated[tuple[int, ...], BeforeValidator(_int_tuple(n, minimum)), WithJsonSchema(schema)]


def _pairs(value: Any) -> tuple[tuple[int, int], tuple[int, int]]:
    """ZeroPadding2D/Cropping2D: int, (sym_h, sym_w) or ((top, bottom), (left, right))."""
    def nonneg(v: Any) -> int:
        if not _is_int(v):
            raise _wrong_type("an integer", v)
        if v < 0:
            raise PydanticCustomError("KS205", "values must be >= 0, got {v}", {"v": v})
        return v

    if _is_int(value):
        v = nonneg(value)
        return ((v, v), (v, v))
    if isinstance(value, list | tuple) and len(value) == 2:
        if all(_is_int(v) for v in value):
            h, w = nonneg(value[0]), nonneg(value[1])
            return ((h, h), (w, w))
        if all(isinstance(v, list | tuple) for v in value):
            out = []
            for pair in value:
                if len(pair) != 2:
                    raise PydanticCustomError(
                        "KS205", "each inner list needs 2 values, got {n}", {"n": len(pair)}
                    )
                out.append((nonneg(pair[0]), nonneg(pair[1])))
            return (out[0], out[1])
    raise _wrong_type("an integer, a list of 2 integers, or 2 lists of 2 integers", value)


_NONNEG = {"type": "integer", "minimum": 0}
_PAIR = {"type": "array", "items": _NONNEG, "minItems": 2, "maxItems": 2}
Padding2D = Annotated[
    tuple[tuple[int, int], tuple[int, int]],
    BeforeValidator(_pairs),
    WithJsonSchema(
        {
            "anyOf": [_NONNEG, _PAIR, {"type": "array", "items": _PAIR, "minItems": 2, "maxItems": 2}],
            "description": "An int, [rows, cols] (symmetric), or [[top, bottom], [left, right]].",
        }
    ),
]


def _axis_pairs(n: int) -> Callable[[Any], tuple[tuple[int, int], ...]]:
    """ZeroPadding2D/3D, Cropping2D/3D: an int, or ``n`` entries each an int or a (before, after) pair.

    Keras reads each entry with ``standardize_tuple(entry, 2)``, so the entries may mix
    (``[[0, 1], 2]`` pads the rows by 0 and 1 and the columns by 2 and 2).
    """

    def nonneg(v: Any) -> int:
        if not _is_int(v):
            raise _wrong_type("an integer", v)
        if v < 0:
            raise PydanticCustomError("KS205", "values must be >= 0, got {v}", {"v": v})
        return v

    def entry(v: Any) -> tuple[int, int]:
        if isinstance(v, list | tuple):
            if len(v) != 2:
                raise PydanticCustomError("KS205", "each inner list needs 2 values, got {n}", {"n": len(v)})
            return (nonneg(v[0]), nonneg(v[1]))
        x = nonneg(v)
        return (x, x)

    def parse(value: Any) -> tuple[tuple[int, int], ...]:
        if _is_int(value):
            x = nonneg(value)
            return ((x, x),) * n
        if isinstance(value, list | tuple):
            if len(value) != n:
                raise PydanticCustomError("KS205", "expected {n} values, got {got}", {"n": n, "got": len(value)})
            return tuple(entry(v) for v in value)
        raise _wrong_type(f"an integer, or a list of {n} integers or [before, after] pairs", value)

    return parse


def AxisPairs(n: int, *, description: str = "") -> Any:
    """(before, after) sizes for each of ``n`` spatial axes, in every spelling Keras takes."""
    entry = {"anyOf": [_NONNEG, _PAIR]}
    schema: dict[str, Any] = {"anyOf": [_NONNEG, {"type": "array", "items": entry, "minItems": n, "maxItems": n}]}
    if description:
        schema["description"] = description
    return Annotated[tuple[tuple[int, int], ...], BeforeValidator(_axis_pairs(n)), WithJsonSchema(schema)]


def _ci_pattern(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in word)


def _ci_alternatives(words: Sequence[str]) -> str:
    return "^(" + "|".join(_ci_pattern(w) for w in words) + ")$"


def Choice(*choices: str, case_insensitive: bool = False, code: str = "KS206", description: str = "") -> Any:
    """One of ``choices``; with ``case_insensitive`` any case is taken and lower-cased, as Keras does."""

    def parse(value: Any) -> str:
        if not isinstance(value, str):
            raise _wrong_type("a string", value)
        key = value.lower() if case_insensitive else value
        if key in choices:
            return key
        hint = did_you_mean(value, choices)
        raise PydanticCustomError(
            code,
            "'{value}' is not one of {choices}",
            {"value": value, "choices": ", ".join(choices), "hint": hint},
        )

    schema: dict[str, Any] = {"type": "string", "enum": list(choices)}
    if case_insensitive:
        # Editors complete from the enum; the pattern admits the other cases Keras takes.
        schema = {
            "type": "string",
            "anyOf": [
                {"enum": list(choices)},
                {"pattern": _ci_alternatives(choices)},
            ],
        }
    if description:
        schema["description"] = description
    return Annotated[str, BeforeValidator(parse), WithJsonSchema(schema)]


def Name(choices: Sequence[str], *, code: str, what: str, case_insensitive: bool = False) -> Any:
    """A name Keras resolves from a string (activation, loss...); unknown names get ``code``."""
    allowed = tuple(choices)
    lowered = {c.lower(): c for c in allowed}

    def parse(value: Any) -> str:
        if not isinstance(value, str):
            raise _wrong_type(f"{what} name (a string)", value)
        if value in allowed:
            return value
        if case_insensitive and value.lower() in lowered:
            return lowered[value.lower()]
        raise PydanticCustomError(
            code,
            "unknown {what} '{value}'",
            {"what": what, "value": value, "hint": did_you_mean(value, allowed)},
        )

    schema: dict[str, Any] = {"type": "string", "enum": list(allowed)}
    if case_insensitive:
        # Editors complete from the enum; the pattern admits the other cases Keras takes.
        schema = {"type": "string", "anyOf": [{"enum": list(allowed)}, {"pattern": _ci_alternatives(allowed)}]}
    return Annotated[str, BeforeValidator(parse), WithJsonSchema(schema)]


def _shape(allow_minus_one: bool) -> Callable[[Any], tuple[int | None, ...]]:
    def parse(value: Any) -> tuple[int | None, ...]:
        if not isinstance(value, list | tuple):
            error = _wrong_type("a list of dimension sizes", value)
            if _is_int(value):  # `input_shape: 784`: one dimension, as Keras 2 tutorials write it
                error = PydanticCustomError(error.type, error.message_template, {**(error.context or {}), "hint": f"write a list: [{value}]"})
            raise error
        if not value:
            raise PydanticCustomError("KS205", "a shape needs at least one dimension", {})
        out: list[int | None] = []
        for v in value:
            if v is None and not allow_minus_one:
                out.append(None)
            elif _is_int(v):
                if allow_minus_one and v in (-1, 0):
                    out.append(v)  # Keras's Reshape takes a size of 0 (a tensor with no values)
                elif v < 1:
                    what = "positive or -1" if allow_minus_one else "positive (or null for any size)"
                    raise PydanticCustomError(
                        "KS205", "dimension sizes must be {what}, got {v}", {"what": what, "v": v}
                    )
                else:
                    out.append(v)
            else:
                error = _wrong_type("integer dimension sizes", v)
                if v == "None" and not allow_minus_one:  # Python's None, a string in YAML
                    meant = "[" + ", ".join("null" if w in (None, "None") else str(w) for w in value) + "]"
                    error = PydanticCustomError(error.type, error.message_template, {**(error.context or {}), "hint": f"write null for a size of any length, not None: `{meant}`"})
                raise error
        return tuple(out)

    return parse


InputShape = Annotated[
    tuple[int | None, ...],
    BeforeValidator(_shape(allow_minus_one=False)),
    WithJsonSchema(
        {
            "type": "array",
            "minItems": 1,
            "items": {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "null"}]},
            "description": "The shape of one sample, without the batch dimension; null for any size.",
        }
    ),
]
TargetShape = Annotated[
    tuple[int, ...],
    BeforeValidator(_shape(allow_minus_one=True)),
    WithJsonSchema(
        {
            "type": "array",
            "minItems": 1,
            "items": {"anyOf": [{"type": "integer", "minimum": 0}, {"const": -1}]},
            "description": "The output shape without the batch dimension; one entry may be -1.",
        }
    ),
]



def _int_list(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list | tuple) or not all(_is_int(v) for v in value):
        raise _wrong_type("a list of integers", value)
    return tuple(value)


#: A list of integers of any length, as written (Permute's `dims`): its meaning is the layer's to check.
IntList = Annotated[
    tuple[int, ...],
    BeforeValidator(_int_list),
    WithJsonSchema({"type": "array", "items": {"type": "integer"}}),
]

DATASETS = ("mnist", "fashion_mnist")


def _dataset(value: Any) -> str:
    if not isinstance(value, str):
        raise _wrong_type("a dataset name or an .npz path", value)
    if value in DATASETS or value.lower().endswith(".npz"):
        return value
    raise PydanticCustomError(
        "KS206",
        "unknown dataset '{value}': use mnist, fashion_mnist or a path to an .npz file",
        {"value": value, "hint": did_you_mean(value, DATASETS) or "name an .npz file with x_train, y_train, x_test, y_test"},
    )


Dataset = Annotated[
    str,
    BeforeValidator(_dataset),
    WithJsonSchema(
        {
            "type": "string",
            "anyOf": [{"enum": list(DATASETS)}, {"pattern": "\\.[Nn][Pp][Zz]$"}],
            "description": "`mnist`, `fashion_mnist`, or a path to an `.npz` file with x_train, y_train, x_test, y_test.",
        }
    ),
]
