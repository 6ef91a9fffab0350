"""Search spaces: a spec whose values are ranges of values, checked statically as a whole.

Any value of a layer, of ``compile`` or of ``fit`` may be a *space* instead of a value
(``docs/tuning.md``)::

    units: {choice: [32, 64, 128]}
    filters: {int: [16, 64], step: 16}            # 16, 32, 48, 64
    learning_rate: {float: [0.0001, 0.01], sampling: log}
    use_bias: {boolean: true}                     # false or true

A space is a mapping without ``type`` that holds one kind's key (``choice``, ``int``,
``float`` or ``boolean``); layers and objects always have ``type``, so the two never
clash. This module

* finds the spaces in the raw document and checks the space nodes themselves (KS2xx at
  their line and column: KS201 unknown key, KS203 wrong type, KS205 bad range, KS206 bad
  sampling, KS211 two kinds in one mapping, KS214 a space where none can be);
* counts the combinations and enumerates them (exhaustively up to
  :data:`EXHAUSTIVE_LIMIT`, a seeded sample beyond), with the values KerasTuner gives
  each space (``Int``/``Float`` with a step: the same grid, value for value);
* analyses the space: each part of the spec (a layer, ``compile``, ``fit``) is validated
  once per distinct combination of its own spaces' values, each layer's shape rule runs
  once per (layer, input shape), and every combination then goes through the same shape
  analysis and training-semantics rules as ``check``. A value no combination can use is
  an error at that value; a finding that only some combinations have is a warning that
  names the values causing it (an error when no combination is valid);
* substitutes values (:func:`plain`): one combination as a plain spec, as ``best.yaml``.

Nothing here imports TensorFlow or KerasTuner: :mod:`kerasspec.tune` maps the spaces to
KerasTuner's hyperparameters (each named by its JSON Pointer) and prunes, with
:func:`check_values`, every candidate this module refuses.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from . import spec as S
from .analysis import ShapeAnalysis, analyse_shapes
from .datafiles import DataProblem, resolve
from .datafiles import describe as describe_data
from .diagnostics import Diagnostic, Severity, pointer, sort_key
from .layers import LayerItem
from .loader import _SPACE_KEYS as _KIND_KEYS
from .loader import SPACE_KINDS as KINDS
from .loader import Document, holds_spaces
from .names import did_you_mean
from .semantics import _names as data_array_names
from .semantics import check_semantics, objective_direction, tune_problems
from .summary import Summary, render_text
from .validate import validate

if TYPE_CHECKING:
    from .api import Options, Result

__all__ = [
    "EXHAUSTIVE_LIMIT",
    "KINDS",
    "Space",
    "SpaceAnalysis",
    "SpaceSummary",
    "allow_spaces",
    "analyse",
    "check_values",
    "find_spaces",
    "holds_spaces",
    "objective_direction",
    "plain",
]

Path = tuple[str | int, ...]

#: KerasTuner's samplings of a numeric range.
SAMPLINGS = ("linear", "log", "reverse_log")
#: The sections whose values may be spaces; anywhere else a space is KS214.
SECTIONS = ("layers", "compile", "fit")
#: Up to this many combinations every one is analysed; beyond, this many are sampled.
EXHAUSTIVE_LIMIT = 10_000
#: A part (a layer, compile, fit) has all its combinations validated up to this many.
PART_LIMIT = 10_000
#: The sample beyond the limit is drawn with this seed: two checks report the same.
SAMPLE_SEED = 0



# --------------------------------------------------------------------------- spaces


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


@dataclass(frozen=True, eq=False)
class Space:
    """One space of a spec: where it is written, its kind, and the values it takes.

    Numeric spaces follow KerasTuner (``keras_tuner.HyperParameters.Int/Float``): with a
    step, ``linear`` takes ``low + i*step`` and ``log`` takes ``low * step**i`` up to
    ``high``; ``Int`` without a step takes every integer in [low, high]; a ``Float``
    without a step is continuous, and the analysis checks it at both ends.
    """

    path: Path
    kind: str
    options: tuple[Any, ...] = ()  # choice
    low: Any = None
    high: Any = None
    step: Any = None
    sampling: str = "linear"

    @cached_property
    def pointer(self) -> str:
        """The JSON Pointer of the space, which is also its KerasTuner hyperparameter name."""
        return pointer(self.path)

    @property
    def continuous(self) -> bool:
        return self.kind == "float" and self.step is None

    @cached_property
    def size(self) -> int | None:
        """How many values the space takes; None for a continuous range."""
        if self.kind == "choice":
            return len(self.options)
        if self.kind == "boolean":
            return 2
        if self.continuous:
            return None
        if self.step is None:  # an Int without step: every integer
            return int(self.high) - int(self.low) + 1
        if self.sampling == "linear":  # KerasTuner's Numerical._get_n_values
            return int((self.high - self.low) // self.step + 1)
        return int(math.log(self.high / self.low, self.step) + 1e-8) + 1

    @property
    def points(self) -> int:
        """How many values the analysis takes: the size, or the two ends of a continuous range."""
        return 2 if self.size is None else self.size

    def value(self, i: int) -> Any:
        """The i-th value (of :attr:`points`), as KerasTuner produces it."""
        if self.kind == "choice":
            return self.options[i]
        if self.kind == "boolean":
            return bool(i)
        if self.continuous:
            return self.low if i == 0 else self.high
        if self.step is None:
            return int(self.low) + i
        if self.sampling == "linear":  # Numerical._get_value_by_index
            v = self.low + i * self.step
        elif self.sampling == "log":
            v = self.low * math.pow(self.step, i)
        else:
            v = self.high + self.low - self.low * math.pow(self.step, i)
        return int(v) if self.kind == "int" else v

    @cached_property
    def plain_options(self) -> bool:
        """Whether KerasTuner's Choice can hold the options themselves: all int, all float, all str or all bool."""
        if self.kind != "choice":
            return False
        kinds = {type(v) for v in self.options}
        return len(kinds) == 1 and next(iter(kinds)) in (int, float, str, bool)

    def from_hp(self, value: Any) -> Any:
        """The spec value a KerasTuner value stands for (a choice of other values is tuned by index)."""
        if self.kind == "choice" and not self.plain_options:
            return self.options[int(value)]
        return value

    def to_hp(self, value: Any) -> Any:
        """The KerasTuner value of a spec value (inverse of :meth:`from_hp`)."""
        if self.kind == "choice" and not self.plain_options:
            return next(i for i, v in enumerate(self.options) if _same(v, value))
        return value

    def index_of(self, value: Any) -> int | None:
        """The index of ``value`` among the analysed values, or None (a value inside a continuous range)."""
        if self.kind == "choice":
            return next((i for i, v in enumerate(self.options) if _same(v, value)), None)
        return next((i for i in range(self.points) if _same(self.value(i), value)), None) if self.points <= 100_000 else None

    def value_path(self, i: int) -> Path:
        """Where the i-th value is written: a choice's option, a range's end, else the space."""
        if self.kind == "choice":
            return (*self.path, "choice", i)
        if self.kind in ("int", "float") and self.size is not None and i in (0, self.points - 1) and self.value(i) in (self.low, self.high):
            return (*self.path, self.kind, 0 if self.value(i) == self.low else 1)
        if self.continuous:
            return (*self.path, "float", i)
        return self.path

    def describe(self) -> str:
        """The space as written, short: ``{int: [16, 64], step: 16}``."""
        if self.kind == "choice":
            return "{choice: [" + ", ".join(show(v) for v in self.options) + "]}"
        if self.kind == "boolean":
            return "{boolean: true}"
        extra = (f", step: {show(self.step)}" if self.step is not None else "") + (
            f", sampling: {self.sampling}" if self.sampling != "linear" else ""
        )
        return f"{{{self.kind}: [{show(self.low)}, {show(self.high)}]{extra}}}"


def _same(a: Any, b: Any) -> bool:
    """Equal as spec values: 1 and 1.0 and True are three different values."""
    return type(a) is type(b) and a == b


_PLAIN_TEXT = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")


def show(value: Any, limit: int = 48) -> str:
    """A value as a message shows it: YAML-like, short."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = repr(value)
        return text if len(text) <= 10 else f"{value:.6g}"
    if isinstance(value, str) and _PLAIN_TEXT.match(value) and value not in ("null", "true", "false"):
        return value
    text = json.dumps(value, separators=(", ", ": "), ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- finding spaces


def _is_space_node(node: Any) -> bool:
    return isinstance(node, dict) and "type" not in node and not _KIND_KEYS.isdisjoint(node)


@dataclass
class _Scan:
    spaces: list[Space] = field(default_factory=list)
    problems: list[tuple[str, str, Path, str | None, bool]] = field(default_factory=list)  # code, message, path, hint, at key
    malformed: set[Path] = field(default_factory=set)  # the space nodes with a problem

    def bad(self, code: str, message: str, path: Path, hint: str | None = None, *, key: bool = False) -> None:
        self.problems.append((code, message, path, hint, key))


def find_spaces(doc: Document) -> tuple[list[Space], list[Diagnostic]]:
    """The well-formed spaces of a document, in document order, and a KS2xx error for each malformed one."""
    spaces, diagnostics, _ = _find(doc)
    return spaces, diagnostics


def _find(doc: Document) -> tuple[list[Space], list[Diagnostic], set[Path]]:
    scan = _Scan()
    _walk(doc.data, (), scan, None)
    diagnostics = []
    for code, message, path, hint, key in scan.problems:
        if doc.is_reported(path):
            continue  # a NaN or an alias inside the space: the loader said so
        pos = doc.position(path, key=key)
        diagnostics.append(
            Diagnostic(code, message, pointer(path), pos.line if pos else None, pos.column if pos else None, hint, file=doc.file)
        )
    return scan.spaces, diagnostics, scan.malformed


def _walk(node: Any, path: Path, scan: _Scan, inside: Path | None) -> None:
    if isinstance(node, dict):
        if _is_space_node(node):
            _space_node(node, path, scan, inside)
            return
        for key, value in node.items():
            _walk(value, (*path, key), scan, inside)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _walk(value, (*path, i), scan, inside)


def _where_allowed(path: Path) -> str | None:
    """Why a space cannot be at ``path``, or None when it can."""
    if not path or path[0] not in SECTIONS:
        where = f"`{path[0]}`" if path else "the whole spec"
        return f"{where} cannot be searched: spaces are allowed in layer, compile and fit values only"
    if len(path) == 1:
        return f"the whole `{path[0]}` cannot be one space: make its values (or, in `layers`, its items) spaces"
    if path[-1] == "type":
        return "a `type` cannot be searched: make the whole layer or object a choice, `{choice: [{type: A, ...}, {type: B, ...}]}`"
    return None


def _space_node(node: dict[str, Any], path: Path, scan: _Scan, inside: Path | None) -> None:
    before = len(scan.problems)
    _check_space_node(node, path, scan, inside)
    if len(scan.problems) > before:
        scan.malformed.add(path)


def _check_space_node(node: dict[str, Any], path: Path, scan: _Scan, inside: Path | None) -> None:
    kinds = [k for k in node if k in _KIND_KEYS]
    if inside is not None:
        scan.bad(
            "KS214",
            f"a search space inside an option of the choice at {pointer(inside)}: choices do not nest",
            path,
            "write the combinations out as options of the outer choice, or make this value fixed",
        )
        return
    why = _where_allowed(path)
    if why is not None:
        scan.bad("KS214", why, path, "write one value here; to compare several, tune once per value")
        return
    if len(kinds) > 1:
        scan.bad(
            "KS211",
            f"a search space has one kind, but this mapping holds {' and '.join(f'`{k}`' for k in kinds)}",
            (*path, kinds[1]),
            "keep one: `choice`, `int`, `float` or `boolean`",
            key=True,
        )
        return
    kind = kinds[0]
    allowed = KINDS[kind]
    ok = True
    for key in node:
        if key not in allowed:
            ok = False
            hint = did_you_mean(str(key), list(allowed)) or f"a `{kind}` space takes: {', '.join(allowed)}"
            scan.bad("KS201", f"unknown field '{key}' in the `{kind}` search space", (*path, key), hint, key=True)
    if kind == "choice":
        space = _choice(node, path, scan)
    elif kind == "boolean":
        space = _boolean(node, path, scan)
    else:
        space = _numeric(kind, node, path, scan)
    if space is not None and ok:
        scan.spaces.append(space)


def _choice(node: dict[str, Any], path: Path, scan: _Scan) -> Space | None:
    options = node["choice"]
    where = (*path, "choice")
    if not isinstance(options, list):
        scan.bad("KS203", f"`choice` takes a list of the values to try, got {show(options)}", where, f"write `choice: [{show(options)}, ...]`")
        return None
    if not options:
        scan.bad("KS205", "`choice` needs at least one value, got an empty list", where, "list the values to try")
        return None
    ok = True
    for i, option in enumerate(options):
        for j in range(i):
            if _same(options[j], option):
                scan.bad("KS214", f"the choice lists {show(option)} twice (options {j} and {i})", (*where, i), "remove the repeated value")
                ok = False
                break
        _walk(option, (*where, i), scan, path)  # a space nested in an option is refused
    return Space(path, "choice", tuple(options)) if ok else None


def _boolean(node: dict[str, Any], path: Path, scan: _Scan) -> Space | None:
    if node["boolean"] is not True:
        scan.bad(
            "KS206",
            f"a boolean space is written `{{boolean: true}}` (it tries false and true), got boolean: {show(node['boolean'])}",
            (*path, "boolean"),
            "write `boolean: true`, or a fixed value instead of the space",
        )
        return None
    return Space(path, "boolean")


def _numeric(kind: str, node: dict[str, Any], path: Path, scan: _Scan) -> Space | None:
    is_value = _is_int if kind == "int" else _is_number
    what = "integers" if kind == "int" else "numbers"
    bounds = node[kind]
    where = (*path, kind)
    if not isinstance(bounds, list):
        scan.bad("KS203", f"`{kind}` takes [low, high], two {what}, got {show(bounds)}", where, f"write `{kind}: [low, high]`")
        return None
    if len(bounds) != 2:
        scan.bad("KS205", f"`{kind}` takes [low, high], two {what}, got {len(bounds)} value{'s' * (len(bounds) != 1)}", where, f"write `{kind}: [low, high]`")
        return None
    ok = True
    for i, bound in enumerate(bounds):
        if not is_value(bound):
            hint = f"write {int(bound)}" if kind == "int" and _is_number(bound) and float(bound).is_integer() else None
            scan.bad("KS203", f"the {('low', 'high')[i]} end of an `{kind}` space must be one of the {what}, got {show(bound)}", (*where, i), hint)
            ok = False
    if not ok:
        return None
    low, high = bounds
    if low > high:
        scan.bad("KS205", f"`{kind}: [{show(low)}, {show(high)}]`: the low end is above the high end", where, f"write `{kind}: [{show(high)}, {show(low)}]`")
        return None
    sampling = node.get("sampling", "linear")
    if sampling not in SAMPLINGS:
        scan.bad("KS206", f"sampling must be one of {', '.join(SAMPLINGS)}, got {show(sampling)}", (*path, "sampling"), did_you_mean(str(sampling), list(SAMPLINGS)))
        return None
    if sampling != "linear" and low <= 0:
        scan.bad("KS205", f"sampling {sampling} needs a low end above 0, got {show(low)}", (*where, 0), "a log scale has no zero: start the range at a positive value")
        return None
    step = node.get("step")
    if step is not None:
        if not is_value(step):
            scan.bad("KS203", f"`step` of an `{kind}` space must be one of the {what}, got {show(step)}", (*path, "step"))
            return None
        least = 1 if sampling != "linear" else 0
        if step <= least:
            need = "a factor above 1 (log sampling multiplies by the step)" if sampling != "linear" else "above 0"
            scan.bad("KS205", f"`step` must be {need}, got {show(step)}", (*path, "step"))
            return None
    elif kind == "int" and sampling == "linear":
        step = 1  # KerasTuner's Int defaults a linear step to 1
    return Space(path, kind, low=low, high=high, step=step, sampling=sampling)


# --------------------------------------------------------------------------- substitution


def _put(node: Any, subs: list[tuple[Path, Any]]) -> Any:
    """``node`` with each (relative path, value) put in; containers are copied only along the paths."""
    for path, value in subs:
        if not path:
            return value
    groups: dict[Any, list[tuple[Path, Any]]] = {}
    for path, value in subs:
        groups.setdefault(path[0], []).append((path[1:], value))
    copy: Any = dict(node) if isinstance(node, dict) else list(node)
    for key, inner in groups.items():
        copy[key] = _put(node[key], inner)
    return copy


def substitute(data: Any, values: Mapping[Path, Any]) -> Any:
    """The document with the value at each space's path replaced."""
    return _put(data, list(values.items())) if values else data


def plain(data: Any, spaces: Iterable[Space], values: Mapping[str, Any]) -> dict[str, Any]:
    """One combination as a plain spec: each space (by pointer) replaced by its value, no ``tune`` section."""
    out = substitute(data, {s.path: values[s.pointer] for s in spaces})
    return {k: v for k, v in out.items() if k != "tune"}


# --------------------------------------------------------------------------- the analysis


@cache
def _default_tune() -> S.Tune:
    return S.Tune()


@cache
def _layer_adapter() -> TypeAdapter[Any]:
    return TypeAdapter(LayerItem)


def _validate_part(key: Path, value: Any) -> Any:
    """The validated object of one part of a spec (a layer, compile, fit); raises ValidationError."""
    if key[0] == "layers":
        return _layer_adapter().validate_python(value)
    return (S.Compile if key[0] == "compile" else S.Fit).model_validate(value)


class _Failed:
    """A part that does not validate for one combination of its spaces' values."""

    __slots__ = ("diagnostics",)

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] | None = None  # filled on first need (a full validation)


@dataclass
class _Part:
    key: Path  # ("layers", 3), ("compile",) or ("fit",)
    spaces: tuple[int, ...]  # indices into the space list
    results: dict[tuple[int, ...], Any] = field(default_factory=dict)  # value indices -> object or _Failed
    #: (code, file path) of findings that hold for every combination of the part using a value: reported once, as errors.
    value_level: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class _Group:
    """One kind of finding (code and place) and the combinations that have it."""

    example: Diagnostic
    combo: tuple[int, ...]
    model: bool  # found by the analysis of whole models (else by validating a part)
    combos: set[tuple[int, ...]] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class SpaceSummary(Summary):
    """The static summary of a space: the layer table of its smallest valid combination, and the space."""

    space: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {**Summary.to_dict(self), "space": self.space}


@dataclass
class SpaceAnalysis:
    """What the analysis of a space found (``Result.space`` for a document with spaces)."""

    spaces: tuple[Space, ...]
    combinations: int | None  # of the discrete values (None: a continuous range makes them infinite)
    population: int  # combinations the analysis draws from (a continuous range counted at its 2 ends)
    analysed: int
    sampled: bool
    valid: int
    diagnostics: list[Diagnostic]
    name: str | None = None
    params: tuple[int, int] | None = None  # min, max total parameters over the valid combinations
    smallest: dict[str, Any] | None = None  # the values of the valid combination with the fewest parameters
    largest: dict[str, Any] | None = None
    smallest_shapes: ShapeAnalysis | None = None
    seconds: float = 0.0

    @property
    def invalid(self) -> int:
        return self.analysed - self.valid

    def to_dict(self) -> dict[str, Any]:
        return {
            "spaces": {s.pointer: s.describe() for s in self.spaces},
            "combinations": self.combinations,
            "continuous": sum(s.continuous for s in self.spaces),
            "analysed": self.analysed,
            "sampled": self.sampled,
            "valid": self.valid,
            "invalid": self.invalid,
            "params": {"min": self.params[0], "max": self.params[1]} if self.params else None,
            "smallest": self.smallest,
            "largest": self.largest,
        }

    def summary(self) -> SpaceSummary:
        """The layer table of the smallest valid combination, and the space's counts and parameter range."""
        if self.smallest_shapes is None:
            raise ValueError("no combination of the space is valid")
        base = Summary.from_analysis(self.smallest_shapes, self.name)
        return SpaceSummary(base.name, base.input_shape, base.layers, space=self.to_dict())

    def headline(self) -> str:
        """One line: how many combinations, how many valid, how they were analysed."""
        count = f"{self.combinations:,}" if self.combinations is not None else "infinitely many"
        continuous = sum(s.continuous for s in self.spaces)
        how = (
            f"{self.analysed:,} sampled" if self.sampled else "all analysed"
        ) + (f", {continuous} continuous range{'s' * (continuous != 1)} checked at both ends" if continuous else "")
        return (
            f"{len(self.spaces)} search space{'s' * (len(self.spaces) != 1)}, {count} combinations ({how}): "
            f"{self.valid:,} of {self.analysed:,} statically valid"
        )


def render_space_text(summary: SpaceSummary) -> str:
    """``kerasspec summary`` of a space: the counts, the parameter range, then the smallest model's table."""
    space = summary.space
    lines = [f"Search space: {space['valid']:,} of {space['analysed']:,} analysed combinations are valid"
             + (" (a sample)" if space["sampled"] else "")]
    if space["params"]:
        lines.append(f"Total params over the valid combinations: {space['params']['min']:,} – {space['params']['max']:,}")
    for name in ("smallest", "largest"):
        values = space.get(name)
        if values:
            lines.append(f"  {name}: " + ", ".join(f"{k} = {show(v)}" for k, v in values.items()))
    lines.append("The table shows the smallest valid combination.")
    return "\n".join(lines) + "\n" + render_text(summary)


class _Engine:
    """The analysis of one document's space; also checks single combinations (for tune)."""

    def __init__(self, doc: Document, spaces: list[Space], options: Options) -> None:
        self.doc = doc
        self.spaces = spaces
        self.options = options
        self.choices = [(s.path, j) for j, s in enumerate(spaces) if s.kind == "choice"]
        parts: dict[Path, list[int]] = {}
        for j, s in enumerate(spaces):
            parts.setdefault(s.path[:2] if s.path[0] == "layers" else s.path[:1], []).append(j)
        self.parts = [_Part(k, tuple(v)) for k, v in parts.items()]
        self.raw = {p.key: _get(doc.data, p.key) for p in self.parts}
        self.layer_memo: dict[Any, Any] = {}
        self.info: Any = None  # the data file's headers, read once
        self.shape_memo: dict[tuple[Any, ...], ShapeAnalysis] = {}
        #: layers -> [(the compile/fit fields the rules read and their values, the findings)]
        self.rule_memo: dict[tuple[Any, ...], list[tuple[dict[tuple[str, str], Any], list[Diagnostic]]]] = {}

    # ---- locating findings in the file

    def file_path(self, path: Path, combo: tuple[int, ...]) -> Path:
        """Where a path of one combination's plain spec is written: inside a choice's option."""
        for space_path, j in self.choices:
            n = len(space_path)
            if len(path) > n and path[:n] == space_path:
                return (*space_path, "choice", combo[j], *path[n:])
        return path

    def locate(self, d: Diagnostic, path: Path, **changes: Any) -> Diagnostic:
        pos = self.doc.position(path)
        return replace(d, path=pointer(path), line=pos.line if pos else None, column=pos.column if pos else None,
                       file=self.doc.file, **changes)

    # ---- parts

    def part_tuples(self, part: _Part) -> Iterator[tuple[int, ...]]:
        return itertools.product(*(range(self.spaces[j].points) for j in part.spaces))

    def part_result(self, part: _Part, t: tuple[int, ...]) -> Any:
        hit = part.results.get(t)
        if hit is None:
            subs = {self.spaces[j].path[len(part.key):]: self.spaces[j].value(i) for j, i in zip(part.spaces, t, strict=True)}
            try:
                hit = _validate_part(part.key, substitute(self.raw[part.key], subs))
            except ValidationError:
                hit = _Failed()
            part.results[t] = hit
        return hit

    def part_diagnostics(self, part: _Part, t: tuple[int, ...], combo: tuple[int, ...]) -> list[Diagnostic]:
        """The KS2xx findings of a part that fails, as ``check`` words them, located in the file."""
        failed = part.results[t]
        if failed.diagnostics is None:
            values = {s.path: s.value(combo[j]) for j, s in enumerate(self.spaces)}
            for j, i in zip(part.spaces, t, strict=True):
                values[self.spaces[j].path] = self.spaces[j].value(i)
            # The whole spec is validated as `check` would: the same messages and hints.
            data = substitute(self.doc.data, values)
            found = validate(Document(data, self.doc.file, reported=self.doc.reported)).diagnostics
            prefix = pointer(part.key)
            out = []
            for d in found:
                if d.path != prefix and not d.path.startswith(prefix + "/"):
                    continue
                path = self.file_path(_parse(d.path, data), combo)
                if self.doc.is_reported(path):
                    continue
                out.append(self.locate(d, path))
            failed.diagnostics = out
        return failed.diagnostics

    def classify_parts(self) -> list[Diagnostic]:
        """Validate every part's combinations (up to PART_LIMIT); a value no combination can use is an error."""
        errors: list[Diagnostic] = []
        for part in self.parts:
            size = math.prod(self.spaces[j].points for j in part.spaces)
            if size > PART_LIMIT:
                continue  # validated as the sampled combinations need them
            groups: dict[tuple[str, str], tuple[set[tuple[int, ...]], Diagnostic]] = {}
            every = list(self.part_tuples(part))
            base = tuple(0 for _ in self.spaces)
            for t in every:
                if isinstance(self.part_result(part, t), _Failed):
                    combo = list(base)
                    for j, i in zip(part.spaces, t, strict=True):
                        combo[j] = i
                    for d in self.part_diagnostics(part, t, tuple(combo)):
                        key = (d.code, d.path)
                        groups.setdefault(key, (set(), d))[0].add(t)
            for key, (failing, example) in groups.items():
                owner = self._determined_by(part, every, failing)
                if owner is None:
                    continue  # depends on how values combine: a finding of those combinations
                part.value_level.add(key)
                if owner == -1:  # whatever the values: the part is invalid in every combination
                    errors.append(example)
                    continue
                pos_in_part = part.spaces.index(owner)
                space = self.spaces[owner]
                own = _parse(example.path, None)
                for i in sorted({t[pos_in_part] for t in failing}):
                    at = space.value_path(i)
                    if len(own) > len(at) and own[: len(at)] == at:
                        at = own  # the finding is inside the option (a field of an object): there, precisely
                    errors.append(self.locate(
                        example, at,
                        message=f"{example.message} (value {show(space.value(i))} of the search space at "
                        f"{space.pointer}: no combination can use it)",
                        hint=f"remove {show(space.value(i))} from the space" + (f"; {example.hint}" if example.hint else ""),
                    ))
        return errors

    def _determined_by(self, part: _Part, every: list[tuple[int, ...]], failing: set[tuple[int, ...]]) -> int | None:
        """The space whose values alone decide a part finding (-1: it holds always), or None."""
        if len(failing) == len(every):
            return -1
        for k, j in enumerate(part.spaces):
            values = {t[k] for t in failing}
            others = len(every) // self.spaces[j].points
            if len(failing) == len(values) * others and all(t in failing for t in every if t[k] in values):
                return j
        return None

    # ---- one combination

    def combination(self, combo: tuple[int, ...], base: dict[str, Any], data: S.Data | None) -> tuple[list[Diagnostic], ShapeAnalysis | None, bool]:
        """(findings, shapes, part-invalid) of one combination; findings are located in the file."""
        layers = list(base["layers"])
        update: dict[str, Any] = {}
        failed: list[Diagnostic] = []
        invalid = False
        key: list[Any] = []
        for part in self.parts:
            t = tuple(combo[j] for j in part.spaces)
            hit = self.part_result(part, t)
            if isinstance(hit, _Failed):
                invalid = True  # value-level findings are reported once, as errors at the value
                failed += [d for d in self.part_diagnostics(part, t, combo) if (d.code, d.path) not in part.value_level]
                continue
            if part.key[0] == "layers":
                layers[int(part.key[1])] = hit
                key.append((part.key, t))
            else:
                update[str(part.key[0])] = hit
        if invalid:
            return failed, None, True
        shape_key = tuple(key)
        shapes = self.shape_memo.get(shape_key)
        if shapes is None:
            spec = S.Spec.model_construct(**{**base, **update, "layers": layers})
            shapes = analyse_shapes(spec, memo=self.layer_memo)
            self.shape_memo[shape_key] = shapes
        found = self.rules(shape_key, shapes, base, update, layers, data)
        out = [self.locate(d, self.file_path(_parse(d.path, None), combo)) for d in found]
        return out, shapes, False

    def rules(self, shape_key: tuple[Any, ...], shapes: ShapeAnalysis, base: dict[str, Any], update: dict[str, Any],
              layers: list[Any], data: S.Data | None) -> list[Diagnostic]:
        """The shape findings and the semantics rules of one model, shared between combinations that read alike.

        The rules are pure functions of the spec. Two combinations with the same layers whose
        ``compile`` and ``fit`` agree on every field the rules *read* (recorded while they run,
        as a build system records dependencies) get the same findings: a learning rate or an
        epoch count that no rule looks at does not make the rules run again.
        """
        entries = self.rule_memo.setdefault(shape_key, [])
        sections = {name: update.get(name, base[name]) for name in _TRACKED}
        for reads, found in entries:
            if all(_same_read(getattr(sections[name], field), value) for (name, field), value in reads.items()):
                return found
        reads: dict[tuple[str, str], Any] = {}
        tracked = {name: None if obj is None else _Tracked(obj, name, reads) for name, obj in sections.items()}
        spec = S.Spec.model_construct(**{**base, **update, **tracked, "layers": layers})
        found = list(shapes.diagnostics)
        found += check_semantics(spec, shapes, data=data, budget=self.options.budget, info=self.info)
        found += self.objective_problems(spec)
        entries.append((reads, found))
        return found

    def objective_problems(self, spec: S.Spec) -> list[Diagnostic]:
        return tune_problems(spec, _get(self.doc.data, ("tune",)))

    # ---- the whole space

    def run(self) -> SpaceAnalysis:
        import time

        started = time.perf_counter()
        spaces = self.spaces
        points = [s.points for s in spaces]
        population = math.prod(points)
        discrete = None if any(s.continuous for s in spaces) else population
        diagnostics = self.classify_parts()

        def done(valid: int, analysed: int, sampled: bool, found: list[Diagnostic], **more: Any) -> SpaceAnalysis:
            return SpaceAnalysis(tuple(spaces), discrete, population, analysed, sampled, valid,
                                 sorted(diagnostics + found, key=sort_key), seconds=time.perf_counter() - started, **more)

        # The base: a combination whose every part validates, for the parts without spaces.
        chosen = [0] * len(spaces)
        for part in self.parts:
            first = next((t for t in self.part_tuples(part) if not isinstance(self.part_result(part, t), _Failed)), None)
            if first is None:
                # No value of this part's spaces makes it valid: every combination is invalid.
                t0 = next(self.part_tuples(part))
                found = [d.as_error() for d in self.part_diagnostics(part, t0, tuple(chosen)) if (d.code, d.path) not in part.value_level]
                return done(0, population if population <= EXHAUSTIVE_LIMIT else EXHAUSTIVE_LIMIT, population > EXHAUSTIVE_LIMIT, found)
            for j, i in zip(part.spaces, first, strict=True):
                chosen[j] = i
        base_data = substitute(self.doc.data, {s.path: s.value(chosen[j]) for j, s in enumerate(spaces)})
        base_doc = Document(base_data, self.doc.file, self.doc.value_positions, self.doc.key_positions, reported=self.doc.reported)
        validated = validate(base_doc)
        if not validated.valid or validated.spec is None:
            # The fixed parts of the spec are invalid: so is every combination.
            return done(0, 0, False, [d for d in validated.diagnostics if not self.doc.is_reported(_parse(d.path, None))])
        spec = validated.spec
        base = self.base = {name: getattr(spec, name) for name in S.Spec.model_fields}
        data = self.options.data or spec.data
        if data is not None and self.doc.file is not None:
            data = data.model_copy(update={"dataset": resolve(data.dataset, self.doc.file)})
        self.data = data
        self.info = None
        effective = data if data is not None else S.Data()
        if data is not None or spec.compile is not None:
            try:
                self.info = describe_data(effective.dataset, data_array_names(effective))
            except DataProblem:
                self.info = None  # check_semantics reports KS310 itself

        sampled = population > EXHAUSTIVE_LIMIT
        combos: Iterable[tuple[int, ...]]
        combos = _sample(points, EXHAUSTIVE_LIMIT) if sampled else itertools.product(*(range(n) for n in points))
        groups: dict[tuple[str, str], _Group] = {}
        # What a finding is measured against: every analysed combination for a part's finding,
        # those whose parts all validate (that reach the model analysis) for a model's.
        everything: list[tuple[int, ...]] = []
        reached: list[tuple[int, ...]] = []
        valid = 0
        smallest: tuple[int, tuple[int, ...], ShapeAnalysis] | None = None
        largest: tuple[int, tuple[int, ...]] | None = None
        for combo in combos:
            everything.append(combo)
            found, shapes, bad = self.combination(combo, base, data)
            if not bad:
                reached.append(combo)
            model = not bad
            for d in found:
                bad = bad or d.severity is Severity.ERROR
                group = groups.get((d.code, d.path))
                if group is None:
                    group = groups[(d.code, d.path)] = _Group(d, combo, model)
                group.combos.add(combo)
            if bad or shapes is None or not shapes.complete:
                continue
            valid += 1
            params = shapes.total_params
            if smallest is None or params < smallest[0]:
                smallest = (params, combo, shapes)
            if largest is None or params > largest[0]:
                largest = (params, combo)
        analysed = len(everything)
        found = [self.render(g, everything, reached, sampled, none_valid=valid == 0) for g in groups.values()]
        more: dict[str, Any] = {"name": spec.name}
        if smallest is not None and largest is not None:
            more |= {
                "params": (smallest[0], largest[0]),
                "smallest": self.values(smallest[1]),
                "largest": self.values(largest[1]),
                "smallest_shapes": smallest[2],
            }
        return done(valid, analysed, sampled, found, **more)

    def values(self, combo: tuple[int, ...]) -> dict[str, Any]:
        return {s.pointer: s.value(i) for s, i in zip(self.spaces, combo, strict=True)}

    def render(self, g: _Group, everything: list[tuple[int, ...]], reached: list[tuple[int, ...]], sampled: bool,
               *, none_valid: bool) -> Diagnostic:
        """One finding over the combinations that have it, naming the values that cause it.

        The values named are those of the spaces whose values, among the combinations the
        finding was looked for in, are not all found with it; the region is "exactly" theirs
        when every such combination has the finding.
        """
        d = g.example
        universe = reached if g.model else everything
        count, analysed = len(g.combos), len(everything)
        if count == len(universe) == analysed and not sampled:
            if none_valid and d.severity is Severity.ERROR:  # every combination: as check says it
                return replace(d, message=f"{d.message} [in all {analysed:,} combinations]", severity=Severity.ERROR)
            return d
        n = len(self.spaces)
        seen = [{c[j] for c in g.combos} for j in range(n)]
        possible = [{c[j] for c in universe} for j in range(n)]
        involved = [j for j in range(n) if len(seen[j]) < len(possible[j])]
        box = [c for c in universe if all(c[j] in seen[j] for j in involved)]
        exact = bool(involved) and len(box) == count
        region = " and ".join(self._values_text(j, seen[j]) for j in involved)
        of = f"{len(universe):,} {'sampled ' if sampled else ''}combinations"
        if len(universe) < analysed:
            of += " whose values are all valid"  # the others are invalid already (errors above)
        share = f"in {count:,} of {of} ({100 * count / max(1, len(universe)):.0f}%)"
        if exact:
            where = f": {'among them, ' if sampled else ''}exactly those with {region}"
        else:
            where = f", all with {region}" if region else ""
        example = "" if exact or not involved else "; e.g. " + ", ".join(
            f"{self.spaces[j].pointer} = {show(self.spaces[j].value(g.combo[j]))}" for j in involved
        )
        tail = "; no combination is valid" if none_valid else "; `kerasspec tune` never builds them"
        severity = Severity.ERROR if none_valid and d.severity is Severity.ERROR else Severity.WARNING
        if d.severity is Severity.WARNING:
            tail = ""  # a warning does not make a combination invalid
        return replace(d, message=f"{d.message} [{share}{where}{example}{tail}]", severity=severity)

    def _values_text(self, j: int, seen: set[int]) -> str:
        space = self.spaces[j]
        shown = [show(space.value(i)) for i in sorted(seen)]
        if len(shown) == 1:
            return f"{space.pointer} = {shown[0]}"
        if len(shown) > 8:
            shown = [*shown[:7], "…"]
        return f"{space.pointer} in {{{', '.join(shown)}}}"


#: The sections whose reads are recorded (the layers are part of the key; the rest of a spec is fixed).
_TRACKED = ("compile", "fit")


class _Tracked:
    """A compile or fit section that records the fields read from it (and what they held)."""

    __slots__ = ("_kerasspec_name", "_kerasspec_obj", "_kerasspec_reads")

    def __init__(self, obj: Any, name: str, reads: dict[tuple[str, str], Any]) -> None:
        self._kerasspec_obj = obj
        self._kerasspec_name = name
        self._kerasspec_reads = reads

    def __getattr__(self, field: str) -> Any:
        value = getattr(self._kerasspec_obj, field)
        self._kerasspec_reads[(self._kerasspec_name, field)] = value
        return value

    @property  # isinstance(tracked, S.Fit) holds, as for the section itself
    def __class__(self) -> type:  # type: ignore[override]
        return type(self._kerasspec_obj)


def _same_read(a: Any, b: Any) -> bool:
    """Whether two values read from a section are the same (validated objects compare by their fields)."""
    return a is b or (type(a) is type(b) and a == b)


def _sample(points: list[int], k: int) -> Iterator[tuple[int, ...]]:
    """``k`` distinct combinations drawn uniformly, the same ones every time (seeded)."""
    rng = random.Random(SAMPLE_SEED)
    seen: set[tuple[int, ...]] = set()
    tries = 0
    while len(seen) < k and tries < 20 * k:
        tries += 1
        combo = tuple(rng.randrange(n) for n in points)
        if combo not in seen:
            seen.add(combo)
            yield combo


def _get(data: Any, path: Path) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _parse(ptr: str, data: Any) -> Path:
    """A diagnostic's pointer as a path: digits index lists (in the layers, compile and fit that hold them)."""
    if not ptr:
        return ()
    out: list[str | int] = []
    node = data
    for raw in ptr[1:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) or (data is None and not part.isdigit()):
            out.append(part)
            node = node.get(part) if isinstance(node, dict) else None
        else:
            index: str | int = int(part) if part.isdigit() else part
            out.append(index)
            node = node[index] if isinstance(node, list) and isinstance(index, int) and 0 <= index < len(node) else None
    return tuple(out)


def analyse(doc: Document, options: Options) -> tuple[SpaceAnalysis | None, list[Diagnostic]]:
    """The analysis of a document with spaces; (None, the KS2xx errors) when a space is malformed."""
    spaces, problems, malformed = _find(doc)
    if problems or not spaces:
        return None, problems + _rest_of(doc, spaces, malformed)
    analysis = _Engine(doc, spaces, options).run()
    return analysis, analysis.diagnostics


def _rest_of(doc: Document, spaces: list[Space], malformed: set[Path]) -> list[Diagnostic]:
    """With a space malformed there are no combinations to analyse: the rest of the spec is still
    validated (each well-formed space at its first value), so one pass reports every structure error."""
    data = substitute(doc.data, {s.path: s.value(0) for s in spaces if s.path not in malformed})
    # Said already, at the space (a space on `type`: the object it would name, too).
    reported = set(doc.reported) | malformed | {m[:-1] for m in malformed if m and m[-1] == "type"}
    checked = Document(data, doc.file, doc.value_positions, doc.key_positions, reported=reported)
    return validate(checked).diagnostics


def run(doc: Document, options: Options, result: Result) -> Result:
    """The pipeline for a document with spaces (``api.run``): analyse it, or refuse it where one model is needed."""
    if not options.spaces:
        spaces, problems = find_spaces(doc)
        first = spaces[0].path if spaces else _parse(problems[0].path, doc.data) if problems else ()
        pos = doc.position(first)
        shown = ", ".join(s.pointer for s in spaces[:3]) + (", ..." if len(spaces) > 3 else "")
        result.diagnostics.append(Diagnostic(
            "KS214",
            f"the spec holds search spaces ({shown or 'malformed ones'}): it describes many models, and this needs one",
            pointer(first), pos.line if pos else None, pos.column if pos else None,
            "search them with `kerasspec tune`, then build or train the best.yaml it writes",
            file=doc.file,
        ))
        return result
    analysis, diagnostics = analyse(doc, options)
    result.space = analysis
    result.diagnostics += diagnostics
    result.diagnostics.sort(key=sort_key)
    return result


def check_values(doc: Document, values: Mapping[str, Any], options: Options) -> list[Diagnostic]:
    """What ``check`` finds in one combination (values by pointer, continuous ones anywhere in their range)."""
    from .api import run as run_plain

    spaces, problems = find_spaces(doc)
    if problems:
        return problems
    data = plain(doc.data, spaces, values)
    return run_plain(data, replace(options, spaces=False)).diagnostics


# --------------------------------------------------------------------------- the JSON Schema


SPACE_SCHEMA: dict[str, Any] = {
    "title": "Space",
    "description": "A search space for `kerasspec tune`, in place of a value: `{choice: [...]}`, "
    "`{int: [low, high], step, sampling}`, `{float: [low, high], step, sampling}` or `{boolean: true}`. "
    "Allowed in layer, compile and fit values (docs/tuning.md).",
    "oneOf": [
        {
            "title": "ChoiceSpace",
            "type": "object",
            "properties": {"choice": {"type": "array", "minItems": 1, "uniqueItems": True, "description": "The values to try."}},
            "required": ["choice"],
            "additionalProperties": False,
        },
        {
            "title": "IntSpace",
            "type": "object",
            "properties": {
                "int": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2,
                        "description": "[low, high], both included."},
                "step": {"type": "integer", "minimum": 1, "description": "Distance between values (a factor above 1 with log sampling). Default 1."},
                "sampling": {"enum": list(SAMPLINGS), "default": "linear", "description": "How KerasTuner samples the range."},
            },
            "required": ["int"],
            "additionalProperties": False,
        },
        {
            "title": "FloatSpace",
            "type": "object",
            "properties": {
                "float": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2,
                          "description": "[low, high]."},
                "step": {"type": "number", "exclusiveMinimum": 0, "description": "Distance between values (a factor above 1 with log sampling); none: continuous."},
                "sampling": {"enum": list(SAMPLINGS), "default": "linear", "description": "How KerasTuner samples the range (`log` for learning rates)."},
            },
            "required": ["float"],
            "additionalProperties": False,
        },
        {
            "title": "BooleanSpace",
            "type": "object",
            "properties": {"boolean": {"const": True, "description": "Try false and true."}},
            "required": ["boolean"],
            "additionalProperties": False,
        },
    ],
}
#: Definitions whose fields take no spaces (the data, the tune settings, the top level).
_FIXED_DEFS = frozenset({"Data", "ArrayNames", "Tune", "Space"})
_SPACE_REF = {"$ref": "#/$defs/Space"}


def _or_space(prop: dict[str, Any]) -> dict[str, Any]:
    """A property schema that also takes a space; its title, description and default stay on top."""
    head = {k: prop[k] for k in ("title", "description", "default") if k in prop}
    body = {k: v for k, v in prop.items() if k not in head}
    if set(body) == {"anyOf"}:  # `int | null`: one more alternative
        return {**head, "anyOf": [*body["anyOf"], _SPACE_REF]}
    return {**head, "anyOf": [body, _SPACE_REF]}  # whatever else constrains the value applies to it alone


def allow_spaces(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with ``$defs/Space`` allowed for every field of a layer, an object, compile and fit.

    Each such property becomes ``anyOf [its schema, Space]`` (``type`` excepted: it picks
    the class), and each item of a ``layers`` list may be a space (a choice of layers).
    """
    defs = dict(schema.get("$defs", {}))
    for name, definition in list(defs.items()):
        props = definition.get("properties")
        if name in _FIXED_DEFS or not props:
            continue
        new = {}
        for key, prop in props.items():
            new[key] = prop if key == "type" else _or_space(prop)
        defs[name] = {**definition, "properties": new}
    defs["Space"] = SPACE_SCHEMA
    out = {**schema, "$defs": defs}
    layers = out.get("properties", {}).get("layers")
    if isinstance(layers, dict) and isinstance(layers.get("items"), dict):
        out["properties"] = {**out["properties"], "layers": {**layers, "items": {"anyOf": [layers["items"], _SPACE_REF]}}}
    return out
