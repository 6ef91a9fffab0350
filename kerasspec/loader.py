"""Loading: YAML or JSON text -> plain data, source positions and KS1xx diagnostics.

The loader is the only stage that sees the file as written. It turns text into
plain JSON-like values (``dict``, ``list``, ``str``, ``int``, ``float``,
``bool``, ``None``), remembers where every key and value starts, and reports
every problem it meets as a KS1xx :class:`~kerasspec.diagnostics.Diagnostic`
instead of raising.

YAML is read through PyYAML's *event* API (libyaml's C parser when PyYAML was
built with it) and the tree is built here, never by PyYAML's constructors. That
is what makes the loader safe and predictable:

* plain scalars resolve by the YAML 1.2 core schema, so ``no``, ``on``, ``off``
  and ``yes`` stay strings and ``1e-3`` is a float;
* tags (``!!python/object``...) are refused (KS103): nothing is ever
  constructed from the file;
* anchors and aliases are refused (KS104), and aliases are never expanded, so
  a "billion laughs" document costs no more than its size;
* duplicate keys are reported (KS102) and the *first* value is kept.

JSON goes through a small iterative parser of its own so that syntax errors,
duplicate keys, ``NaN``/``Infinity`` and huge integers are reported at their
exact line and column, and no input, however deep, can raise ``RecursionError``.

What replaces a refused value (recorded in :attr:`Document.reported`, so later
stages stay quiet at and under it):

* a tagged node, an alias, a node nested too deep, an integer above
  :attr:`Limits.max_int`: ``None``;
* a non-finite float (``.nan``, ``.inf``, ``NaN``, ``Infinity``, ``1e999``):
  kept as the float, so the structure around it is intact;
* an anchored node: kept as written (the anchor itself is the problem);
* the second value of a duplicate key: dropped; the first one stays.
"""

from __future__ import annotations

import json.decoder
import math
import numbers
import os
import re
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, Literal

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from kerasspec.diagnostics import Diagnostic, pointer
from kerasspec.files import open_regular

try:  # libyaml is several times faster than the pure-Python parser
    from yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _CParser = None

__all__ = [
    "Document",
    "Limits",
    "Position",
    "from_object",
    "load_path",
    "load_text",
]

KeyPath = tuple[str | int, ...]
Format = Literal["yaml", "json"]

#: Paths are tuples (and positions are recorded) this many levels deep. Deeper, a node's
#: path is a link to its parent's, built into a tuple only when a finding needs it: a
#: document nested N levels deep (with raised Limits) then costs memory linear in N, not
#: quadratic, and its deep nodes take the position of their ancestor at this depth.
_TUPLE_DEPTH = 64


class _Deep:
    """The path of a node nested deeper than ``_TUPLE_DEPTH``: its parent's path and its key."""

    __slots__ = ("key", "parent")

    def __init__(self, parent: Any, key: str | int) -> None:
        self.parent = parent
        self.key = key


def _full(path: Any) -> KeyPath:
    """A path as a tuple, whether it is one or a chain of :class:`_Deep` links."""
    if path.__class__ is tuple:
        return path  # type: ignore[no-any-return]
    keys: list[str | int] = []
    while path.__class__ is _Deep:
        keys.append(path.key)
        path = path.parent
    keys.reverse()
    return path + tuple(keys)  # type: ignore[no-any-return]


def _child(path: Any, key: str | int) -> Any:
    if path.__class__ is tuple and len(path) < _TUPLE_DEPTH:
        return (*path, key)
    return _Deep(path, key)


@dataclass(frozen=True, slots=True)
class Position:
    """Where something starts in the file as written.

    Lines end at ``\n``, ``\r\n`` or ``\r``; in YAML also at U+0085, U+2028 and
    U+2029, which the YAML parsers count as line breaks.
    """

    line: int  # 1-based
    column: int  # 1-based, in characters (code points), a tab counting as one


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits; a spec is small, so anything beyond these is a mistake or an attack."""

    max_bytes: int = 1_000_000
    max_depth: int = 64  # nested mappings/sequences, the root one counting as 1
    max_int: int = 2**63 - 1  # |value| above this -> KS108


_DEFAULT_LIMITS = Limits()


#: Each kind of search space and the keys its mapping may hold (the first one names the
#: kind): ``{choice: [...]}``, ``{int: [lo, hi], step: 2}``... (analysed by kerasspec.space).
SPACE_KINDS: dict[str, tuple[str, ...]] = {
    "choice": ("choice",),
    "int": ("int", "step", "sampling"),
    "float": ("float", "step", "sampling"),
    "boolean": ("boolean",),
}
_SPACE_KEYS = frozenset(SPACE_KINDS)


def holds_spaces(data: Any) -> bool:
    """Whether plain data holds a search space anywhere (a mapping with a space key and no `type`)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "type" not in node and not _SPACE_KEYS.isdisjoint(node):
                return True
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))
    return False


@dataclass
class Document:
    """A loaded spec: its data, where each part of it is written, and what went wrong reading it."""

    data: Any  # None if the file could not be parsed at all
    file: str | None = None
    value_positions: dict[KeyPath, Position] = field(default_factory=dict)
    key_positions: dict[KeyPath, Position] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    reported: set[KeyPath] = field(default_factory=set)

    def position(self, path: KeyPath, *, key: bool = False) -> Position | None:
        """Where `path` is written; with ``key=True`` prefer the key's position.

        Falls back to the nearest ancestor that has a position, so that a missing
        field points at the mapping it is missing from. ``None`` when the document
        has no positions (it came from a Python object).
        """
        vp, kp = self.value_positions, self.key_positions
        if not vp and not kp:
            return None
        p = tuple(path)
        if len(p) > _TUPLE_DEPTH + 1:  # nothing deeper is recorded: start where positions can be
            p = p[: _TUPLE_DEPTH + 1]
        first, second = (kp, vp) if key else (vp, kp)
        while True:
            pos = first.get(p) or second.get(p)
            if pos is not None:
                return pos
            if not p:
                return None
            p = p[:-1]

    def holds_spaces(self) -> bool:
        """Whether the document holds a search space (on every check: its recorded keys first)."""
        if self.key_positions and _SPACE_KEYS.isdisjoint(path[-1] for path in self.key_positions if path):
            return False  # no key of the file is a space's: no space (the common case, in microseconds)
        return holds_spaces(self.data)

    def is_reported(self, path: KeyPath) -> bool:
        """Whether `path` or one of its ancestors was already reported by the loader."""
        reported = self.reported
        if not reported:
            return False
        p = tuple(path)
        if len(reported) <= len(p):  # few findings on a deep path: compare each finding's prefix
            return any(p[: len(r)] == r for r in reported)
        return any(p[:i] in reported for i in range(len(p) + 1))

    # ---- used while loading -------------------------------------------------

    def _report(
        self,
        code: str,
        message: str,
        path: KeyPath = (),
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.diagnostics.append(
            Diagnostic(
                code=code,
                message=message,
                path=pointer(_full(path)),
                line=line,
                column=column,
                hint=hint,
                file=self.file,
            )
        )


# ---- messages ----------------------------------------------------------------

_HINT_SYNTAX_YAML = (
    "check the indentation and quoting around this position; a value that contains ': ' "
    "or ' #', or starts with a character such as '[', '{', '&', '*', '!', '|', '>', '%' or '@', "
    "needs quotes"
)
_HINT_DUPLICATE = (
    "remove one of the two entries; YAML and JSON readers disagree on which one wins, "
    "kerasspec keeps the first"
)
_HINT_TAG = "remove the tag; specs hold plain data only, and kerasspec never constructs objects"
_HINT_ANCHOR = (
    "write the values out in full; kerasspec refuses anchors and aliases so a spec "
    "cannot expand exponentially"
)
_HINT_NON_FINITE = (
    "write a finite number; NaN and infinities are not meaningful settings (and are not valid JSON)"
)
_HINT_DEPTH = "flatten the structure; a model spec needs only a few levels of nesting"
_HINT_MULTI_DOC = (
    "keep one spec per file: remove the second '---' and what follows it, "
    "or move each document into a file of its own"
)
_HINT_ENCODING = "save the file as UTF-8"
_HINT_SIZE = (
    "model specs are small text files; check that this is the right file, "
    "or raise the limit (Limits.max_bytes)"
)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _int_text(digits: str) -> str:
    body = digits.lstrip("+-")
    if len(body) <= 24:
        return digits
    sign = digits[: len(digits) - len(body)]
    return f"{sign}{body[:12]}…{body[-6:]} ({len(body)} digits)"


def _report_huge_int(
    doc: Document, text: str, path: KeyPath, line: int | None, column: int | None, limits: Limits
) -> None:
    path = _full(path)
    doc.reported.add(path)
    doc._report(
        "KS108",
        f"integer {_int_text(text)} is too large to be a meaningful setting "
        f"(the limit is {limits.max_int:,} in absolute value)",
        path,
        line,
        column,
        "use a realistic value; Keras passes integer settings through 64-bit integers",
    )


def _report_non_finite(
    doc: Document, text: str, path: KeyPath, line: int | None, column: int | None
) -> None:
    path = _full(path)
    doc.reported.add(path)
    what = (
        f"{_short(text)} overflows to infinity"
        if text[-1:].isdigit()
        else f"{_short(text)} is not a finite number"
    )
    doc._report("KS107", what, path, line, column, _HINT_NON_FINITE)


def _report_depth(
    doc: Document, path: KeyPath, line: int | None, column: int | None, limits: Limits
) -> None:
    path = _full(path)
    doc.reported.add(path)
    doc._report(
        "KS106",
        f"the document nests deeper than {limits.max_depth} levels here; "
        "kerasspec stops reading deeper",
        path,
        line,
        column,
        _HINT_DEPTH,
    )


def _report_too_large(doc: Document, size: int, limits: Limits, *, at_least: bool = False) -> None:
    size_text = f"more than {limits.max_bytes:,}" if at_least else f"{size:,}"
    doc._report(
        "KS105",
        f"the file is {size_text} bytes, above the limit of {limits.max_bytes:,} bytes; "
        "it was not read",
        (),
        1,
        1,
        _HINT_SIZE,
    )


# ---- plain scalars: the YAML 1.2 core schema -------------------------------------

_PLAIN_WORDS: dict[str, Any] = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_NUMBER_START = frozenset("0123456789+-.")
_CORE_INT = re.compile(r"[-+]?[0-9]+")
_CORE_INT_OCT = re.compile(r"0o[0-7]+")
_CORE_INT_HEX = re.compile(r"0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_CORE_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_CORE_NAN = re.compile(r"\.(?:nan|NaN|NAN)")


class _Huge:
    """Marks an integer above the limit (kept out of the data)."""

    __slots__ = ()


_HUGE: Any = _Huge()
_DEFAULT_MAX_INT = _DEFAULT_LIMITS.max_int


def _decimal_int(text: str, max_int: int) -> Any:
    if len(text) <= 18 and max_int >= _DEFAULT_MAX_INT:  # |v| < 10**18: the common case
        return int(text)
    # Counting digits first keeps a 5000-digit integer from reaching int(),
    # which is quadratic and refuses more than sys.get_int_max_str_digits() digits.
    body = text.lstrip("+-").lstrip("0")
    if len(body) > len(str(max_int)):
        return _HUGE
    value = int(body or "0")  # without the leading zeros, which count towards int()'s limit
    if value > max_int:
        return _HUGE
    return -value if text[0] == "-" else value


def _resolve_plain(text: str, max_int: int) -> Any:
    """A plain (unquoted) scalar by the YAML 1.2 core schema; everything else is a string.

    An integer above `max_int` comes back as ``_HUGE``.
    """
    if text and text[0] in _NUMBER_START:
        return _resolve_number(text, max_int)
    return _PLAIN_WORDS.get(text, text)


def _resolve_number(text: str, max_int: int) -> Any:
    """A plain scalar that starts like a number: int, float, or (if nothing matches) the text."""
    if _CORE_INT.fullmatch(text):
        return _decimal_int(text, max_int)
    if text[0] == "0" and len(text) > 2:
        if _CORE_INT_HEX.fullmatch(text):
            n = int(text[2:], 16)  # power-of-two bases have no digit limit and are linear
            return _HUGE if n > max_int else n
        if _CORE_INT_OCT.fullmatch(text):
            n = int(text[2:], 8)
            return _HUGE if n > max_int else n
    if _CORE_FLOAT.fullmatch(text):
        return float(text)
    if _CORE_INF.fullmatch(text):
        return -math.inf if text[0] == "-" else math.inf
    if _CORE_NAN.fullmatch(text):
        return math.nan
    return text


# ---- YAML ----------------------------------------------------------------------

_YAML_PARSER: Callable[[str], Any] = _CParser if _CParser is not None else yaml.SafeLoader

# Sentinels for a mapping frame's third slot.
_KEY: Any = object()  # the next node is a key
_DROP: Any = object()  # the next node is the value of a refused or duplicate key: skip it

_CORE_TAG_PREFIX = "tag:yaml.org,2002:"


def _tag_text(tag: str) -> str:
    return "!!" + tag[len(_CORE_TAG_PREFIX) :] if tag.startswith(_CORE_TAG_PREFIX) else tag


# Positions are immutable, and specs repeat the same (line, column) pairs from file
# to file: sharing them saves most of the cost of creating them.
_POSITIONS: dict[tuple[int, int], Position] = {}
_POSITIONS_MAX = 50_000


def _new_position(lc: tuple[int, int]) -> Position:
    """Create and cache the Position of a 0-based (line, column) mark."""
    if len(_POSITIONS) >= _POSITIONS_MAX:
        _POSITIONS.clear()
    pos = _POSITIONS[lc] = Position(lc[0] + 1, lc[1] + 1)
    return pos


# libyaml refuses to nest deeper than this. While skipping a subtree that is too deep
# (or tagged), reading gives up (data None) at twice the depth limit, at most this:
# the pure-Python scanner is quadratic in flow nesting, and nothing is lost, since
# KS106 already makes the file an error.
_YAML_MAX_NESTING = 1000


class _NestingAbort(Exception):
    def __init__(self, mark: Any) -> None:
        super().__init__()
        self.mark = mark


def _load_yaml(text: str, doc: Document, limits: Limits) -> None:
    parser_cls = _YAML_PARSER
    parser = None
    try:
        parser = parser_cls(text)  # the pure-Python reader checks characters right here
        doc.data = _build_yaml(parser, doc, limits)
    except _NestingAbort as exc:
        if not any(d.code == "KS106" for d in doc.diagnostics):
            _report_depth(doc, (), exc.mark.line + 1, exc.mark.column + 1, limits)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        if "maximum nesting depth" in problem:
            # libyaml's own nesting limit (1000): the same finding as KS106.
            if not any(d.code == "KS106" for d in doc.diagnostics):
                _report_depth(doc, (), line, column, limits)
            return
        message = f"YAML syntax error: {problem}"
        if exc.context and exc.problem and exc.context_mark is not None:
            message += f" ({exc.context} started on line {exc.context_mark.line + 1})"
        doc._report("KS101", message, (), line, column, _HINT_SYNTAX_YAML)
    except yaml.reader.ReaderError as exc:
        # The C reader counts in UTF-8 bytes, the Python one in characters.
        offset = exc.position
        if parser_cls is _CParser:
            offset = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
        line, column = _line_col(text, offset)
        char = exc.character
        code_point = char if isinstance(char, int) else ord(char) if char else 0
        doc._report(
            "KS101",
            f"character U+{code_point:04X} is not allowed in YAML ({exc.reason})",
            (),
            line,
            column,
            "remove the character, or write it as an escape (\\x.., \\u....) in a double-quoted string",
        )
    finally:
        if parser is not None:
            parser.dispose()


def _build_yaml(parser: Any, doc: Document, limits: Limits) -> Any:
    """Build the first document from parser events; iterative, so depth costs no stack."""
    get = parser.get_event
    vpos = doc.value_positions
    kpos = doc.key_positions
    positions = _POSITIONS
    reported = doc.reported
    report = doc._report
    max_depth = limits.max_depth
    max_int = limits.max_int
    give_up = min(max(2 * max_depth, 128), _YAML_MAX_NESTING)
    depth_cap = _TUPLE_DEPTH

    get()  # StreamStartEvent
    if get().__class__ is StreamEndEvent:  # nothing but comments and blank lines
        return None

    root: Any = None
    # A frame is [container, path, key]; for a mapping, key is _KEY, _DROP or the
    # current key; for a sequence it is unused.
    stack: list[list[Any]] = []
    skip = 0  # > 0 while consuming a subtree whose events are ignored
    skip_value: Any = None  # what the skipped subtree becomes
    depth_reported = False

    while True:
        ev = get()
        cls = ev.__class__
        if skip:
            if cls is MappingStartEvent or cls is SequenceStartEvent:
                skip += 1
                if skip + len(stack) > give_up:
                    raise _NestingAbort(ev.start_mark)
                continue
            if cls is MappingEndEvent or cls is SequenceEndEvent:
                skip -= 1
                if skip:
                    continue
                value = skip_value
            else:
                continue
        elif (
            cls is ScalarEvent
            or cls is MappingStartEvent
            or cls is SequenceStartEvent
            or cls is AliasEvent
        ):
            # Where does this node go?
            if stack:
                frame = stack[-1]
                container = frame[0]
                if container.__class__ is list:
                    p = frame[1]
                    path = (*p, len(container)) if p.__class__ is tuple and len(p) < depth_cap else _Deep(p, len(container))
                else:
                    key = frame[2]
                    if key is _KEY:
                        if (
                            cls is ScalarEvent
                            and ev.tag is None
                            and ev.anchor is None
                            and ev.value not in container
                        ):  # the common case, inline
                            key = frame[2] = ev.value
                            mark = ev.start_mark
                            lc = (mark.line, mark.column)
                            pos = positions.get(lc)
                            if pos is None:
                                pos = _new_position(lc)
                            p = frame[1]
                            if p.__class__ is tuple and len(p) < depth_cap:
                                kpos[(*p, key)] = pos
                        else:
                            _yaml_key(ev, cls, frame, doc)
                            if cls is MappingStartEvent or cls is SequenceStartEvent:
                                skip, skip_value = 1, _DROP
                        continue
                    if key is _DROP:
                        if cls is MappingStartEvent or cls is SequenceStartEvent:
                            skip, skip_value = 1, _DROP
                        else:
                            frame[2] = _KEY
                        continue
                    p = frame[1]
                    path = (*p, key) if p.__class__ is tuple and len(p) < depth_cap else _Deep(p, key)
            else:
                path = ()
            mark = ev.start_mark
            lc = (mark.line, mark.column)
            pos = positions.get(lc)
            if pos is None:
                pos = _new_position(lc)
            if path.__class__ is tuple:
                vpos[path] = pos
            line, column = pos.line, pos.column
            if cls is AliasEvent:
                reported.add(_full(path))
                report(
                    "KS104",
                    f"YAML alias '*{ev.anchor}' is not allowed; it was not expanded",
                    path,
                    line,
                    column,
                    _HINT_ANCHOR,
                )
                value = None
            else:
                if ev.anchor is not None:
                    reported.add(_full(path))
                    report(
                        "KS104",
                        f"YAML anchor '&{ev.anchor}' is not allowed",
                        path,
                        line,
                        column,
                        _HINT_ANCHOR,
                    )
                if ev.tag is not None:
                    reported.add(_full(path))
                    report(
                        "KS103",
                        f"YAML tag '{_tag_text(ev.tag)}' is not allowed; the value was ignored",
                        path,
                        line,
                        column,
                        _HINT_TAG,
                    )
                    if cls is ScalarEvent:
                        value = None
                    else:
                        skip, skip_value = 1, None
                        continue
                elif cls is ScalarEvent:
                    value = ev.value
                    if ev.implicit[0]:  # plain: resolve; quoted scalars are always strings
                        if value and value[0] in _NUMBER_START:
                            value = _resolve_number(value, max_int)
                        else:
                            value = _PLAIN_WORDS.get(value, value)
                        if value.__class__ is float:
                            if not math.isfinite(value):
                                _report_non_finite(doc, ev.value, path, line, column)
                        elif value is _HUGE:
                            _report_huge_int(doc, ev.value, path, line, column, limits)
                            value = None
                elif len(stack) >= max_depth:
                    if not depth_reported:
                        depth_reported = True
                        _report_depth(doc, path, line, column, limits)
                    else:
                        reported.add(_full(path))
                    skip, skip_value = 1, None
                    continue
                else:
                    stack.append([{} if cls is MappingStartEvent else [], path, _KEY])
                    continue
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            value = stack.pop()[0]
        elif cls is DocumentStartEvent:
            mark = ev.start_mark
            report(
                "KS109",
                "the file holds more than one YAML document; only the first one is read",
                (),
                mark.line + 1,
                mark.column + 1,
                _HINT_MULTI_DOC,
            )
            return root
        elif cls is StreamEndEvent:
            return root
        else:  # DocumentEndEvent
            continue

        # A node is complete: attach it to its parent.
        if stack:
            frame = stack[-1]
            container = frame[0]
            if container.__class__ is list:
                container.append(value)
            elif frame[2] is _KEY:  # a skipped complex key
                frame[2] = _DROP
            else:
                if value is not _DROP:
                    container[frame[2]] = value
                frame[2] = _KEY
        else:
            root = value


def _yaml_key(ev: Any, cls: type, frame: list[Any], doc: Document) -> None:
    """Handle a node in a mapping's key position: only plain text keys are kept."""
    mark = ev.start_mark
    line = mark.line + 1
    column = mark.column + 1
    if cls is not ScalarEvent:
        # A collection key is skipped by the caller and becomes _DROP once consumed.
        if cls is AliasEvent:
            frame[2] = _DROP
            doc._report(
                "KS104",
                f"YAML alias '*{ev.anchor}' used as a key is not allowed; the entry was ignored",
                frame[1],
                line,
                column,
                _HINT_ANCHOR,
            )
        else:
            doc._report(
                "KS101",
                "a mapping or a sequence cannot be a key; the entry was ignored",
                frame[1],
                line,
                column,
                "keys are plain names such as 'units'; remove the '?' or the brackets",
            )
        return
    key = ev.value  # keys are kept as their source text, whatever they look like
    path = (*_full(frame[1]), key)
    if ev.tag is not None:
        doc.reported.add(path)
        doc._report(
            "KS103",
            f"YAML tag '{_tag_text(ev.tag)}' is not allowed on a key",
            path,
            line,
            column,
            _HINT_TAG,
        )
    if ev.anchor is not None:
        doc.reported.add(path)
        doc._report(
            "KS104", f"YAML anchor '&{ev.anchor}' is not allowed", path, line, column, _HINT_ANCHOR
        )
    if key in frame[0]:
        first = doc.key_positions.get(path)
        where = f" (first defined on line {first.line})" if first is not None else ""
        doc.reported.add(path)
        doc._report(
            "KS102",
            f"duplicate key '{_short(key)}'{where}; the first value is kept",
            path,
            line,
            column,
            _HINT_DUPLICATE,
        )
        frame[2] = _DROP
        return
    if len(path) <= _TUPLE_DEPTH:
        doc.key_positions[path] = Position(line, column)
    frame[2] = key


# ---- JSON ----------------------------------------------------------------------

_JSON_WS = re.compile(r"[ \t\n\r]*")
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_JSON_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_JSON_WORDS: dict[str, Any] = {
    "true": True,
    "false": False,
    "null": None,
    "NaN": math.nan,
    "Infinity": math.inf,
}
_JSON_NOT_WORDS = {
    "True": "true",
    "False": "false",
    "None": "null",
    "nil": "null",
    "undefined": "null",
    "TRUE": "true",
    "FALSE": "false",
    "NULL": "null",
    "Null": "null",
    "nan": "NaN (which kerasspec refuses anyway)",
    "inf": "Infinity (which kerasspec refuses anyway)",
}
_NEWLINE = re.compile(r"\r\n?|\n")
_scanstring: Callable[..., tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]

# Frames for containers that are parsed but not built (too deep, or the value of a
# duplicate key): shared, so a megabyte of '[' costs one pointer per level.
_DEAD_MAP: list[Any] = [None, None, None, True]
_DEAD_LIST: list[Any] = [None, None, None, False]


class _JSONSyntaxError(Exception):
    def __init__(self, message: str, pos: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos
        self.hint = hint


class _LineIndex:
    """Index -> Position; lines end at \\n, \\r\\n or a lone \\r."""

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        if "\r" in text:
            self.starts = [0, *[m.end() for m in _NEWLINE.finditer(text)]]
        else:  # the common case, all in C: each line starts one past the end of the previous
            self.starts = list(
                accumulate(map((1).__add__, map(len, text.split("\n")[:-1])), initial=0)
            )

    def position(self, index: int) -> Position:
        starts = self.starts
        line = bisect_right(starts, index)
        lc = (line - 1, index - starts[line - 1])
        pos = _POSITIONS.get(lc)
        return pos if pos is not None else _new_position(lc)


def _line_col(text: str, index: int) -> tuple[int, int]:
    pos = _LineIndex(text[: index + 1]).position(index)
    return pos.line, pos.column


def _json_unexpected(text: str, pos: int, expected: str) -> _JSONSyntaxError:
    if pos >= len(text):
        return _JSONSyntaxError(
            f"unexpected end of input; expected {expected}",
            pos,
            "the document is cut short: close every '{' and '['",
        )
    c = text[pos]
    if c == "/":
        return _JSONSyntaxError(
            f"comments are not allowed in JSON; expected {expected}",
            pos,
            "remove the comment, or write the spec in YAML, which allows '#' comments",
        )
    if c == "'":
        return _JSONSyntaxError(
            f"strings must use double quotes in JSON; expected {expected}",
            pos,
            "replace the single quotes with double quotes",
        )
    word = _JSON_WORD.match(text, pos)
    if word is not None:
        w = word.group()
        fix = _JSON_NOT_WORDS.get(w)
        hint = f"JSON spells it {fix}" if fix else "strings must be written in double quotes"
        return _JSONSyntaxError(f"unexpected '{_short(w)}'; expected {expected}", pos, hint)
    shown = c if c.isprintable() else f"U+{ord(c):04X}"
    return _JSONSyntaxError(f"unexpected character '{shown}'; expected {expected}", pos)


def _json_string_error(exc: json.JSONDecodeError) -> _JSONSyntaxError:
    msg = exc.msg.removesuffix(" starting at").removesuffix(" at")
    hint = {
        "Unterminated string": "close the string with a double quote on the same line",
        "Invalid control character": "write tabs and line breaks inside strings as \\t and \\n",
    }.get(msg, 'valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX')
    return _JSONSyntaxError(msg[0].lower() + msg[1:], exc.pos, hint)


def _load_json(text: str, doc: Document, limits: Limits) -> None:
    lines = _LineIndex(text)
    try:
        try:
            doc.data = _build_json(text, doc, limits, lines)
        except json.JSONDecodeError as exc:  # from scanstring: a bad string
            raise _json_string_error(exc) from None
    except _JSONSyntaxError as exc:
        pos = lines.position(exc.pos)
        doc._report(
            "KS101", f"JSON syntax error: {exc.message}", (), pos.line, pos.column, exc.hint
        )


def _build_json(text: str, doc: Document, limits: Limits, lines: _LineIndex) -> Any:
    """Parse `text` as one JSON value; iterative, so nesting costs no Python stack."""
    n = len(text)
    ws = _JSON_WS.match
    number = _JSON_NUMBER.match
    scanstring = _scanstring
    position = lines.position
    vpos = doc.value_positions
    kpos = doc.key_positions
    max_depth = limits.max_depth
    max_int = limits.max_int
    max_int_digits = len(str(max_int))
    depth_reported = False
    depth_cap = _TUPLE_DEPTH

    pos = ws(text, 0).end()
    if pos == n:  # empty or whitespace only, like an empty YAML file: validation reports it
        return None

    # A frame is [container, path, key, is_map]; container None = parsed, not built.
    stack: list[list[Any]] = []
    need_key = False  # a member name comes before the next value
    comma = -1  # where the ',' before that member name is, if any
    value: Any
    while True:
        if need_key:
            need_key = False
            frame = stack[-1]
            if not text.startswith('"', pos):
                if comma >= 0 and text.startswith("}", pos):
                    raise _JSONSyntaxError(
                        "trailing comma before '}'", comma, "remove the comma after the last member"
                    )
                raise _json_unexpected(text, pos, "a member name in double quotes")
            key, end = scanstring(text, pos + 1, True)
            container = frame[0]
            if container is not None:
                if key in container:
                    _json_duplicate(doc, frame, key, position(pos))
                else:
                    p = frame[1]
                    if p.__class__ is tuple and len(p) < depth_cap:
                        kpos[(*p, key)] = position(pos)
                    frame[2] = key
            if not text.startswith(":", end):
                end = ws(text, end).end()
                if not text.startswith(":", end):
                    raise _json_unexpected(text, end, "':' after the member name")
            pos = ws(text, end + 1).end()

        # ---- a value starts at `pos` ----
        if stack:
            frame = stack[-1]
            container = frame[0]
            if container is None:
                live = False
                path: KeyPath = ()
            elif frame[3]:
                key = frame[2]
                live = key is not _DROP
                path = _child(frame[1], key) if live else ()
            else:
                live = True
                path = _child(frame[1], len(container))
        else:
            live = True
            path = ()
        start = pos
        c = text[pos] if pos < n else ""
        if live:
            here = position(pos)
            if path.__class__ is tuple:
                vpos[path] = here

        if c == '"':
            value, pos = scanstring(text, pos + 1, True)
        elif c == "{" or c == "[":
            is_map = c == "{"
            if not live:
                new = _DEAD_MAP if is_map else _DEAD_LIST
            elif len(stack) >= max_depth:
                if not depth_reported:
                    depth_reported = True
                    _report_depth(doc, path, here.line, here.column, limits)
                else:
                    doc.reported.add(_full(path))
                new = _DEAD_MAP if is_map else _DEAD_LIST
            else:
                new = [{} if is_map else [], path, _KEY, is_map]
            pos = ws(text, pos + 1).end()
            if text.startswith("}" if is_map else "]", pos):
                pos += 1
                value = new[0]
            else:
                stack.append(new)
                need_key = is_map
                comma = -1
                continue
        elif c == "-" or "0" <= c <= "9":
            if text.startswith("-Infinity", pos):
                pos += 9
                value = -math.inf
                if live:
                    _report_non_finite(doc, "-Infinity", path, here.line, here.column)
            else:
                m = number(text, pos)
                if m is None:
                    raise _JSONSyntaxError("invalid number: '-' must be followed by a digit", pos)
                pos = m.end()
                if pos < n and text[pos] in "0123456789.eE":
                    raise _JSONSyntaxError(
                        f"invalid number '{_short(text[start : pos + 1])}'",
                        start,
                        "JSON numbers have no leading zeros, and need a digit after '.' and after 'e'",
                    )
                literal = m.group()
                if m.group(1) is None and m.group(2) is None:
                    # Count digits before int(): a 5000-digit integer must not reach it.
                    if len(literal) > max_int_digits and len(literal.lstrip("-")) > max_int_digits:
                        value = None
                    else:
                        value = int(literal)
                        if value > max_int or -value > max_int:
                            value = None
                    if value is None and live:
                        _report_huge_int(doc, literal, path, here.line, here.column, limits)
                else:
                    value = float(literal)
                    if live and (value == math.inf or value == -math.inf):
                        _report_non_finite(doc, literal, path, here.line, here.column)
        else:
            m = _JSON_WORD.match(text, pos)
            word = m.group() if m is not None else ""
            if word not in _JSON_WORDS:
                raise _json_unexpected(
                    text, pos, "a value (object, array, string, number, true, false or null)"
                )
            value = _JSON_WORDS[word]
            pos += len(word)
            if live and value.__class__ is float:
                _report_non_finite(doc, word, path, here.line, here.column)

        # ---- a value is complete: attach it, then read separators up to the next value ----
        while True:
            if not stack:
                pos = ws(text, pos).end()
                if pos < n:
                    raise _JSONSyntaxError(
                        "trailing data after the document",
                        pos,
                        "a JSON file holds exactly one value; remove what follows it",
                    )
                return value
            frame = stack[-1]
            container = frame[0]
            pos = ws(text, pos).end()
            c = text[pos] if pos < n else ""
            if frame[3]:
                if container is not None:
                    key = frame[2]
                    if key is not _DROP:
                        container[key] = value
                if c == ",":
                    comma = pos
                    pos = ws(text, pos + 1).end()
                    need_key = True
                    break
                if c == "}":
                    pos += 1
                    value = stack.pop()[0]
                    continue
                raise _json_unexpected(text, pos, "',' or '}' after object member")
            if container is not None:
                container.append(value)
            if c == ",":
                comma = pos
                pos = ws(text, pos + 1).end()
                if text.startswith("]", pos):
                    raise _JSONSyntaxError(
                        "trailing comma before ']'",
                        comma,
                        "remove the comma after the last element",
                    )
                break
            if c == "]":
                pos += 1
                value = stack.pop()[0]
                continue
            raise _json_unexpected(text, pos, "',' or ']' after array element")


def _json_duplicate(doc: Document, frame: list[Any], key: str, here: Position) -> None:
    path = (*_full(frame[1]), key)
    first = doc.key_positions.get(path)
    where = f" (first defined on line {first.line})" if first is not None else ""
    doc.reported.add(path)
    doc._report(
        "KS102",
        f"duplicate key '{_short(key)}'{where}; the first value is kept",
        path,
        here.line,
        here.column,
        _HINT_DUPLICATE,
    )
    frame[2] = _DROP


# ---- entry points --------------------------------------------------------------


def _format_for(file: str | None) -> Format | None:
    if not file:
        return None
    suffix = os.path.splitext(file)[1].lower()
    if suffix == ".json":
        return "json"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    return None


def _decode(raw: bytes, doc: Document) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8")
        line, column = _line_col(good + "?", len(good))
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            message = "the file is UTF-16 encoded; kerasspec reads UTF-8 only"
            line, column = 1, 1
        else:
            message = (
                f"the file is not valid UTF-8: byte 0x{raw[exc.start]:02x} "
                f"cannot be decoded ({exc.reason})"
            )
        doc._report("KS110", message, (), line, column, _HINT_ENCODING)
        return None


def load_text(
    text: str | bytes,
    *,
    file: str | None = None,
    fmt: Format | None = None,
    limits: Limits = _DEFAULT_LIMITS,
) -> Document:
    """Load a spec from YAML or JSON text (or its UTF-8 bytes); never raises for bad input.

    `fmt` defaults to the suffix of `file` (``.json``, ``.yaml``, ``.yml``); failing
    that, text whose first character is ``{`` or ``[`` is tried as JSON first (and as
    YAML if it is not valid JSON), anything else is YAML.
    """
    if fmt not in (None, "yaml", "json"):
        raise ValueError(f"fmt must be 'yaml', 'json' or None, not {fmt!r}")
    doc = Document(data=None, file=file)
    if isinstance(text, (bytes, bytearray, memoryview)):
        raw = bytes(text)
        if len(raw) > limits.max_bytes:
            _report_too_large(doc, len(raw), limits)
            return doc
        decoded = _decode(raw, doc)
        if decoded is None:
            return doc
        text = decoded
    else:
        if text.isascii():
            size = len(text)
        else:
            try:
                size = len(text.encode("utf-8"))
            except UnicodeEncodeError as exc:
                line, column = _line_col(text, exc.start)
                doc._report(
                    "KS110",
                    f"the text contains an unpaired surrogate "
                    f"U+{ord(text[exc.start]):04X}, which is not valid Unicode",
                    (),
                    line,
                    column,
                    _HINT_ENCODING,
                )
                return doc
        if size > limits.max_bytes:
            _report_too_large(doc, size, limits)
            return doc
    if text.startswith("\ufeff"):  # a UTF-8 BOM is not part of the content
        text = text[1:]

    if fmt is None:
        fmt = _format_for(file)
    if fmt is None:
        stripped = text.lstrip(" \t\r\n")
        if stripped[:1] in ("{", "["):
            _load_json(text, doc, limits)
            if not any(d.code == "KS101" for d in doc.diagnostics):
                return doc
            as_yaml = Document(data=None, file=file)
            _load_yaml(text, as_yaml, limits)
            return as_yaml if not any(d.code == "KS101" for d in as_yaml.diagnostics) else doc
        fmt = "yaml"
    if fmt == "json":
        _load_json(text, doc, limits)
    else:
        _load_yaml(text, doc, limits)
    return doc


def load_path(path: str | os.PathLike[str], *, limits: Limits = _DEFAULT_LIMITS) -> Document:
    """Load a spec file; the format comes from its suffix (``.json`` is JSON, anything else YAML).

    Raises :class:`OSError` (``FileNotFoundError``, ``IsADirectoryError``,
    ``PermissionError``, :class:`~kerasspec.files.NotARegularFileError` for a FIFO or a
    device...) when the file cannot be read; every problem with its
    content is a diagnostic instead. The size limit is checked before reading.
    """
    name = os.fspath(path)
    fmt: Format = "json" if os.path.splitext(name)[1].lower() == ".json" else "yaml"
    # A FIFO would block the read for ever and a device never end: refused before reading.
    with open_regular(name) as f:
        size = os.fstat(f.fileno()).st_size
        if size > limits.max_bytes:
            doc = Document(data=None, file=name)
            _report_too_large(doc, size, limits)
            return doc
        # Read one byte past the limit: a file may grow, and pipes report no size.
        raw = f.read(limits.max_bytes + 1)
    if len(raw) > limits.max_bytes:
        doc = Document(data=None, file=name)
        _report_too_large(doc, len(raw), limits, at_least=True)
        return doc
    return load_text(raw, file=name, fmt=fmt, limits=limits)


def from_object(obj: Any, *, limits: Limits = _DEFAULT_LIMITS) -> Document:
    """A spec given as Python data: a deep copy in plain JSON types, with no positions.

    Tuples become lists; mapping keys become strings (``True`` -> ``"true"``,
    ``None`` -> ``"null"``, numbers by ``str``); numbers.Integral/Real values (numpy
    scalars, say) become ``int``/``float``. Non-finite floats (KS107), huge integers
    (KS108) and nesting beyond the limit (KS106, which also catches a structure that
    contains itself) are reported with a path and no line. Values of any other type
    are kept as they are, for validation to report.
    """
    doc = Document(data=None, file=None)
    max_depth = limits.max_depth
    max_int = limits.max_int
    depth_reported = False

    def convert(value: Any, path: KeyPath, depth: int) -> Any:
        nonlocal depth_reported
        if value is None or value is True or value is False:
            return value
        if isinstance(value, str):
            return str.__str__(value)
        if isinstance(value, numbers.Integral):
            n = int(value)
            if abs(n) > max_int:
                _report_huge_int(doc, _int_repr(n), path, None, None, limits)
                return None
            return n
        if isinstance(value, numbers.Real):
            f = float(value)
            if not math.isfinite(f):
                _report_non_finite(doc, repr(f), path, None, None)
            return f
        if isinstance(value, (Mapping, list, tuple)):
            if depth >= max_depth:
                if not depth_reported:
                    depth_reported = True
                    _report_depth(doc, path, None, None, limits)
                else:
                    doc.reported.add(path)
                return None
            if isinstance(value, (list, tuple)):
                return [convert(v, (*path, i), depth + 1) for i, v in enumerate(value)]
            out: dict[str, Any] = {}
            for k, v in value.items():
                key = _object_key(k)
                kpath = (*path, key)
                if key in out:
                    doc.reported.add(kpath)
                    doc._report(
                        "KS102",
                        f"duplicate key '{_short(key)}' after converting "
                        f"{k!r} to a string; the first value is kept",
                        kpath,
                        hint=_HINT_DUPLICATE,
                    )
                    continue
                out[key] = convert(v, kpath, depth + 1)
            return out
        return value

    try:
        doc.data = convert(obj, (), 0)
    except RecursionError:  # only with a max_depth far above any real spec
        doc.data = None
        _report_depth(doc, (), None, None, limits)
    return doc


def _int_repr(n: int) -> str:
    # str() of a huge int is quadratic and limited; the bit length tells enough.
    if n.bit_length() > 4000:
        return f"{'-' if n < 0 else ''}2**{n.bit_length() - 1}+…"
    return str(n)


def _object_key(key: Any) -> str:
    if isinstance(key, str):
        return str.__str__(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    return str(key)
