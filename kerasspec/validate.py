"""Validation: a loaded document -> a :class:`~kerasspec.spec.Spec`, or diagnostics for every problem.

pydantic does the checking; this module turns its errors into kerasspec
diagnostics: a stable code, a message that names the field and both sides, a
fix-it hint, and the line and column where the field is written.

When part of a spec is invalid the rest is still validated on its own, so that
analysis can go on (a typo in ``compile`` does not hide a shape error).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import objects
from . import spec as S
from .diagnostics import Diagnostic, pointer
from .fields import describe, number_hint, quotient, split_tuple, split_tuple_hint
from .layers import Layer, LayerItem, layer_class
from .layers.base import Unanalysable, affects_shape
from .loader import Document
from .names import did_you_mean

Path = tuple[str | int, ...]

_EXPECTED = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a string",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "none_required": "null",
}
_RANGE = {
    "greater_than": ">",
    "greater_than_equal": ">=",
    "less_than": "<",
    "less_than_equal": "<=",
}
_KS = re.compile(r"KS\d{3}$")

_SECTIONS: dict[str, type[BaseModel]] = {"compile": S.Compile, "fit": S.Fit, "data": S.Data}


def _object_field(path: Path) -> str:
    """The field that holds the object at ``path``: `kernel_initializer`, `metrics` (for metrics[0])..."""
    return next((p for p in reversed(path) if isinstance(p, str)), "")


@dataclass(frozen=True, slots=True)
class Validated:
    """The outcome of validation: the spec (possibly partial) and the problems found.

    An invalid spec is still analysed as far as its valid parts allow: a layer with a
    bad argument that does not change shapes (an initializer, an activation) is
    analysed with the argument left out; one whose shape arguments are bad, or whose
    type is unknown, stops the shape inference there, and the layers after it still
    get their own checks. ``degraded`` says which fields were left out where.
    """

    spec: S.Spec | None  # None when even the layers could not be validated
    diagnostics: list[Diagnostic]
    valid: bool  # True when the whole document validated
    layers_valid: bool  # the layers (and the input shape) usable for analysis
    compile_valid: bool  # the compile section usable for the semantics rules
    data_valid: bool = True  # the data section usable for the data rules
    #: layer path (("layers", 2)) -> the fields left out because they were invalid ("*": all).
    degraded: dict[tuple[str | int, ...], frozenset[str]] = field(default_factory=dict)


def validate(doc: Document) -> Validated:
    data = doc.data
    if data is None:
        return Validated(None, [_empty(doc)], False, False, False, False)
    try:
        spec = S.Spec.model_validate(data)
    except ValidationError as exc:
        return _partial(data, _diagnostics(exc, doc))
    return Validated(spec, [], True, True, True, True)


def _empty(doc: Document) -> Diagnostic:
    located = doc.file is not None or bool(doc.value_positions)
    return Diagnostic(
        "KS204",
        "the spec is empty: it needs at least `layers`",
        path="",
        line=1 if located else None,
        column=1 if located else None,
        hint="start from an example: `input_shape: [28, 28, 1]` and `layers: [{type: Flatten}, {type: Dense, units: 10}]`",
        file=doc.file,
    )


@cache
def _adapters() -> tuple[TypeAdapter[Any], TypeAdapter[Any]]:
    # Built on the first invalid spec only: a clean check never needs them.
    return TypeAdapter(LayerItem), TypeAdapter(S.InputShape)


def _bad_fields(exc: ValidationError) -> set[str] | None:
    """The top-level fields an error list blames, or None when it blames the item as a whole."""
    fields: set[str] = set()
    for err in exc.errors():
        loc = err["loc"]
        if not loc or not isinstance(loc[0], str) or err["type"] == "missing" or loc[0] == "type":
            return None
        fields.add(loc[0])
    return fields


def _layer(item: Any) -> tuple[Layer, frozenset[str]]:
    """The layer an item stands for, as far as it is valid, and the fields left out."""
    try:
        return _adapters()[0].validate_python(item), frozenset()
    except ValidationError as exc:
        bad = _bad_fields(exc)
        kind = item.get("type") if isinstance(item, dict) else None
        if bad is not None and isinstance(item, dict):
            try:
                kept = {k: v for k, v in item.items() if k not in bad}
                return _adapters()[0].validate_python(kept), frozenset(bad)
            except ValidationError:
                pass
        return Unanalysable.of(kind if isinstance(kind, str) else None), frozenset({"*"})


def _section(model: type[BaseModel], value: Any) -> tuple[Any, frozenset[str]]:
    try:
        return model.model_validate(value), frozenset()
    except ValidationError as exc:
        bad = _bad_fields(exc)
        if bad is None or not isinstance(value, dict):
            return None, frozenset({"*"})
        try:
            return model.model_validate({k: v for k, v in value.items() if k not in bad}), frozenset(bad)
        except ValidationError:
            return None, frozenset({"*"})


def _partial(data: Any, diags: list[Diagnostic]) -> Validated:
    """The valid parts of an invalid spec, for analysis to carry on with."""
    invalid = Validated(None, diags, False, False, False, False)
    if not isinstance(data, dict) or not isinstance(data.get("layers"), list) or not data["layers"]:
        return invalid
    layers: list[Layer] = []
    degraded: dict[tuple[str | int, ...], frozenset[str]] = {}
    for i, item in enumerate(data["layers"]):
        layer, bad = _layer(item)
        layers.append(layer)
        if bad:
            degraded[("layers", i)] = bad
    parts: dict[str, Any] = {"layers": layers}
    layers_valid = True
    opaque = {path for path, bad in degraded.items() if "*" in bad or any(affects_shape(f) for f in bad)}
    if "input_shape" in data:
        try:
            parts["input_shape"] = _adapters()[1].validate_python(data["input_shape"])
        except ValidationError:
            layers_valid = False  # without a valid input shape there is nothing to infer
            parts["input_shape"] = None
    compile_valid = data_valid = True
    for key, model in _SECTIONS.items():
        if key not in data:
            continue
        value, bad = _section(model, data[key])
        parts[key] = value
        if key == "compile" and (value is None or bad & {"loss", "*"}):
            compile_valid, parts[key] = False, None
        elif key == "data" and bad:
            data_valid = False
    name = data.get("name")
    parts["name"] = name if isinstance(name, str) else None
    spec = S.Spec.model_construct(**parts)
    # A layer whose shape arguments were invalid cannot be inferred: it stops the analysis there.
    for path in opaque:
        bad_layer = layers[int(path[1])]
        if not isinstance(bad_layer, Unanalysable):
            layers[int(path[1])] = Unanalysable.of(bad_layer.TYPES[0])
    return Validated(spec, diags, False, layers_valid, compile_valid, data_valid, degraded)


# Errors about a whole value that hold for it only because of a part the loader refused.
_CONTAINER_COMPLAINTS = frozenset({"KS203", "KS205", "list_type", "too_short", "too_long"})


def _diagnostics(exc: ValidationError, doc: Document) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()
    for err in _fitting_branches(exc.errors(include_url=False), doc.data):
        path, owner = _resolve(err["loc"], doc.data)
        if any(path[: len(r)] == r for r in doc.reported):
            continue  # the loader already reported this value (a NaN, a duplicate key...)
        if err["type"] in _CONTAINER_COMPLAINTS and any(r[: len(path)] == path for r in doc.reported):
            continue  # `[.nan]` is not a list of ints because of the NaN the loader reported
        diag = _convert(err, path, owner, doc)
        if (diag.code, diag.path) in seen:
            continue
        seen.add((diag.code, diag.path))
        out.append(diag)
    out = _split_tuples(out, doc)
    # `kernal_size` is reported as unknown with "did you mean 'kernel_size'?"; the missing
    # `kernel_size` is the same mistake, so it is not reported a second time.
    misspelt = {
        d.path.rsplit("/", 1)[0] + "/" + d.hint.split("'")[1]
        for d in out
        if d.code == "KS201" and d.hint and d.hint.startswith("did you mean '")
    }
    return [d for d in out if not (d.code == "KS204" and d.path in misspelt)]


def _split_tuples(out: list[Diagnostic], doc: Document) -> list[Diagnostic]:
    """One finding for a tuple YAML split in a flow mapping (`{kernel_size: (3, 3)}`).

    The wrong type '(3' gets the hint to write the list; the keys the other items became
    (`3)`) are the same mistake and are not reported again. A value with another finding
    (`name: (3, 3)`: a name cannot be a list) keeps its own hint, and its keys stay reported.
    """
    from .diagnostics import parse_pointer

    hints: dict[str, str] = {}  # diagnostic path -> the hint
    fragments: set[str] = set()
    for d in out:
        if d.code != "KS203":
            continue
        path = tuple(parse_pointer(d.path))
        parent = _get(doc.data, path[:-1])
        if not path or not isinstance(parent, dict):
            continue
        key = next((k for k in parent if str(k) == str(path[-1])), None)
        if (found := split_tuple(parent, key)) is not None:
            pieces, as_list = found
            hints[d.path] = split_tuple_hint(key, ", ".join([str(parent[key]), *map(str, pieces)]), as_list)
            fragments |= {pointer((*path[:-1], str(p))) for p in pieces}
    if not hints:
        return out
    return [replace(d, hint=hints.get(d.path, d.hint)) for d in out if d.code != "KS201" or d.path not in fragments]


# Smart (undiscriminated) unions such as `int | list[int]` or `name | {type: L2, ...}`
# report one error per branch, each under a tag naming the branch: 'int', 'list[int]',
# 'RegularizerConfig', 'function-before[parse(), str]'. The tag is not part of the path.
_MODEL_NAMES = frozenset(
    name
    for module in (S, objects)
    for name, obj in vars(module).items()
    if isinstance(obj, type) and issubclass(obj, BaseModel)
)
_SCALAR_TAGS = frozenset({"int", "float", "str", "bool", "none"})


def _branch_kind(part: Any) -> str | None:
    """What a smart-union branch tag takes: 'mapping', 'list' or 'scalar'; None if not a tag."""
    if not isinstance(part, str):
        return None
    inner = part
    if part.startswith("function-") and part.endswith("]") and "[" in part:
        inner = part[part.index("[") + 1 : -1].rpartition(", ")[2]
    if inner in _MODEL_NAMES:
        return "mapping"
    if inner.startswith(("list[", "tuple[", "set[")):
        return "list"
    if inner in _SCALAR_TAGS or inner.startswith(("constrained-", "literal[")):
        return "scalar"
    return None


def _value_kind(value: Any) -> str:
    return "mapping" if isinstance(value, dict) else "list" if isinstance(value, list) else "scalar"


def _fitting_branches(errors: list[Any], data: Any) -> list[Any]:
    """Of the errors of a smart union, keep those of the branches that fit the value's kind.

    `axis: [[1]]` is a list, so the `list[int]` branch explains the problem and the
    `int` one ("expected an integer, got a list") only adds noise. When no branch
    fits (a string for `int | list[int]`), every branch's error is kept.
    """
    fits: dict[tuple[Any, ...], set[str]] = {}  # union location -> branches that fit its value
    tagged: list[tuple[Any, tuple[Any, ...] | None, bool]] = []
    for err in errors:
        loc = tuple(err["loc"])
        where: tuple[Any, ...] | None = None
        fit = True
        node = data
        for i, part in enumerate(loc):
            if (isinstance(node, dict) and part in node) or (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
                node = node[part]
            elif (kind := _branch_kind(part)) is not None:
                where, fit = loc[:i], kind == _value_kind(node)
                fits.setdefault(where, set())
                if fit:
                    fits[where].add(part)
                break
            else:
                break
        tagged.append((err, where, fit))
    # Drop a branch that does not fit only when another one does.
    return [err for err, where, fit in tagged if where is None or fit or not fits[where]]


def _resolve(loc: tuple[Any, ...], data: Any) -> tuple[Path, str]:
    """Drop pydantic's union tags from ``loc`` and name the object the error is in."""
    path: list[str | int] = []
    node = data
    owner = "spec"
    for part in loc:
        if isinstance(node, dict) and part in node:
            if isinstance(node.get("type"), str):
                owner = node["type"]
            elif isinstance(part, str) and part in _SECTIONS:
                owner = part
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            if path == ["layers"]:
                owner = f"layers[{part}]"  # until its `type` names it better
            path.append(part)
            node = node[part]
        elif isinstance(part, str) and _branch_kind(part) is not None:
            continue
        else:
            if isinstance(node, dict) and isinstance(node.get("type"), str):
                owner = node["type"]
            path.append(part)
            node = None
    return tuple(path), owner


def _model_at(path: Path, data: Any) -> type[BaseModel] | None:
    """The pydantic model that validates the mapping at ``path`` (for did-you-mean on fields)."""
    if not path:
        return S.Spec
    node = _get(data, path)
    kind = node.get("type") if isinstance(node, dict) else None
    if _is_layer_path(path):
        return layer_class(kind) if isinstance(kind, str) else None
    if len(path) == 1 and isinstance(path[0], str):
        return _SECTIONS.get(path[0])
    if path == ("data", "arrays"):
        return S.ArrayNames
    family = S.field_family(_object_field(path))
    if family is not None and isinstance(kind, str):
        return family.class_of(kind)
    return None


def _is_layer_path(path: Path) -> bool:
    """Whether ``path`` names a layer: an item of `layers` (nested blocks too) or a wrapper's `layer`."""
    if not path or path[0] != "layers":
        return False
    return (len(path) >= 2 and isinstance(path[-1], int) and path[-2] == "layers") or path[-1] == "layer"


def _fields(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _get(data: Any, path: Path) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _convert(err: Any, path: Path, owner: str, doc: Document) -> Diagnostic:
    etype: str = err["type"]
    ctx: dict[str, Any] = err.get("ctx") or {}
    value = err.get("input")
    field = str(path[-1]) if path else ""
    if path and isinstance(path[-1], int) and len(path) >= 2 and path[0] != "layers":
        where = f"{owner} '{path[-2]}[{path[-1]}]'"  # compile 'metrics[0]'
    elif field and not isinstance(path[-1], int):
        where = f"{owner} '{field}'" if owner != field else f"'{field}'"  # a section: 'compile', not compile 'compile'
    else:
        where = owner
    key_pos = False
    hint: str | None = None
    code: str

    if etype == "KS202":  # an unknown layer type: the type is the whole message
        code, message, hint = etype, err["msg"], ctx.get("hint")
    elif _KS.match(etype):
        # An object's unknown or missing `type` says all in its message (`unknown loss type 'X'`).
        code, message, hint = etype, err["msg"] if ctx.get("whole") else f"{where}: {err['msg']}", ctx.get("hint")
    elif etype == "extra_forbidden":
        code, key_pos = "KS201", True
        model = _model_at(path[:-1], doc.data)
        message = f"unknown field '{field}' in {owner}"
        hint = _keras2_hint(field, _get(doc.data, path), _fields(model), path) if model else None
        if hint is None and model:
            hint = did_you_mean(field, _fields(model))
        if hint is None and model is not None:
            hint = f"{owner} takes: {', '.join(sorted(_fields(model)))}"
    elif etype == "missing":
        code = "KS204"
        message = f"{owner} is missing required field '{field}'"
        hint = f"add `{field}: ...` to {owner}"
    elif etype == "literal_error":
        code = "KS206"
        message = f"{where}: expected {ctx.get('expected', 'one of the allowed values')}, got {describe(value)}"
        if isinstance(value, str):
            hint = did_you_mean(value, re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
    elif etype in _RANGE:
        code = "KS205"
        bound = next(iter(ctx.values()), "?")
        message = f"{where} must be {_RANGE[etype]} {bound}, got {describe(value)}"
        if field in ("rate", "validation_split", "label_smoothing") and isinstance(value, int | float) and value > 1:
            hint = f"'{field}' is a fraction: 0.5 means 50%"
        elif field and not isinstance(path[-1], int):
            hint = f"set '{field}' to a value {_RANGE[etype]} {bound}"
    elif etype in ("too_short", "too_long"):
        code = "KS205"
        n = ctx.get("min_length") if etype == "too_short" else ctx.get("max_length")
        bound = "at least" if etype == "too_short" else "at most"
        message = f"{where} needs {bound} {n} item{'s' if n != 1 else ''}, got {ctx.get('actual_length')}"
    elif etype == "string_pattern_mismatch":
        code = "KS206"
        message = (
            f"{where}: {describe(value)} is not a name TensorFlow accepts: only ASCII letters, digits "
            "and _ . - > \\ (a space, '/', ':' or an accented letter fails when the model is built)"
        )
        if isinstance(value, str):
            hint = f"use '{_safe_name(value)}'"
    elif etype in _EXPECTED:
        code = "KS203"
        expected = _EXPECTED[etype]
        message = f"{where}: expected {expected}, got {describe(value)}"
        hint = _type_hint(etype, value, field)
        section = _model_at(path, doc.data) if path and etype in ("model_attributes_type", "model_type", "dict_type") else None
        if section is not None:  # a section (or `data.arrays`) given as a value: say what it holds
            hint = f"'{field}' is a mapping of: {', '.join(_fields(section))}"
    else:
        code = "KS203"
        message = f"{where}: {err['msg']}"

    if hint is None and code == "KS203" and (q := quotient(value)) is not None:
        whole = "integer" in message.split(", got ")[0]
        if not whole or q.is_integer():
            hint = f"kerasspec does not evaluate expressions: write {int(q) if whole else repr(q)}"
    if hint is None and value == "None" and path and _null_accepted(doc.data, path):
        hint = f"write null (or leave `{field}` out): YAML reads None as the string 'None'"
        if isinstance(path[-1], int):
            hint = "write null: YAML reads None as the string 'None'"

    pos = doc.position(path, key=key_pos)
    return Diagnostic(
        code=code,
        message=message,
        path=pointer(path),
        line=pos.line if pos else None,
        column=pos.column if pos else None,
        hint=hint,
        file=doc.file,
    )


def _null_accepted(data: Any, path: Path) -> bool:
    """Whether the field at ``path`` takes null: the spec validated with null there has no error in it."""
    def with_null(node: Any, rest: Path) -> Any:
        if not rest:
            return None
        copy = dict(node) if isinstance(node, dict) else list(node)
        copy[rest[0]] = with_null(node[rest[0]], rest[1:])  # type: ignore[index]
        return copy

    if _get(data, path) != "None":
        return False
    try:
        S.Spec.model_validate(with_null(data, path))
    except ValidationError as exc:
        return not any(_resolve(e["loc"], data)[0][: len(path)] == path for e in exc.errors())
    return True


#: Fields Keras 2 took and Keras 3 refuses (each measured in Keras 3.15: "Unrecognized keyword
#: arguments" / "Argument(s) not recognized"), with the field Keras 3 takes instead.
_KERAS2_RENAMES = {"lr": "learning_rate"}


def _keras2_hint(field: str, value: Any, takes: list[str], path: Path) -> str | None:
    """For a field Keras 2 took and Keras 3 does not, what to write instead."""
    if field in takes:
        return None
    if (new := _KERAS2_RENAMES.get(field)) in takes:
        return f"did you mean '{new}'? (Keras 3 renamed `{field}`)"
    if _is_layer_path(path[:-1]) and field == "batch_input_shape":
        if isinstance(value, list) and len(value) >= 2:
            shape = "[" + ", ".join("null" if v in (None, "None") else str(v) for v in value[1:]) + "]"
            batch = value[0] if isinstance(value[0], int) and not isinstance(value[0], bool) else None
            fixed = f"; a fixed batch size (a stateful RNN needs one) goes on a first Input layer: `{{type: Input, shape: {shape}, batch_size: {batch}}}`" if batch else ""
            return f"Keras 3 dropped `batch_input_shape`: write `input_shape: {shape}`, without the batch axis{fixed}"
        return "Keras 3 dropped `batch_input_shape`: write `input_shape`, the shape of one sample without the batch axis"
    if _is_layer_path(path[:-1]) and field == "batch_size":
        return "Keras 3 takes a batch size on an Input layer only: start the layers with `{type: Input, shape: [...], batch_size: N}`"
    return None


def _safe_name(value: str) -> str:
    """A name TensorFlow takes, as close to ``value`` as possible: accents dropped, others to '_'."""
    import unicodedata

    ascii_only = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_.\\>-]", "_", ascii_only) or "layer"


def _type_hint(etype: str, value: Any, field: str) -> str | None:
    if isinstance(value, str) and etype.startswith(("int", "float")):
        return number_hint(value)
    if isinstance(value, float) and etype.startswith("int"):
        return f"'{field}' takes a whole number, e.g. {int(value)}"
    if isinstance(value, bool) and not etype.startswith("bool"):
        return "true/false is not a number here"
    if isinstance(value, str) and etype.startswith("bool"):
        return "write true or false without quotes"
    if etype in ("model_attributes_type", "model_type", "dict_type") and isinstance(value, str):
        return f"write `{{type: {value}}}`" if value[:1].isupper() else None
    if etype == "list_type" and isinstance(value, str | dict):
        shown = value if isinstance(value, str) else "{...}"
        return f"write a list: [{shown}]"
    return None
