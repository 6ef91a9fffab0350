"""Fixes: text edits that repair a spec's findings and keep its comments and layout.

A fix is a few :class:`Edit` s of the text as written: the characters of one value or
key are replaced, one mapping entry or list item is removed or inserted with the
indentation of its siblings, and nothing else moves. Positions come from the loader
(:class:`~kerasspec.loader.Document` records where every key and value starts); the
end of a value is found by reading the text from there.

Each diagnostic code that can be fixed has one function here (``fix_ks201``...), whose
docstring says why its fix is **safe** (``check --fix`` applies it: the intent of the
spec is certain and the result means what the author meant) or **unsafe** (offered in
the editor and by ``check --fix --unsafe-fixes`` only: it changes what the model is,
and the author has to decide), as ruff separates them.

No fix is trusted blindly: :func:`verify` applies it alone and runs the whole check
again; a fix is kept only if its finding is gone and no other finding of its family
or an earlier one appears (a fix of a KS2xx may reveal a KS3xx that validation was
hiding: that is progress, not a regression). :func:`fix_text` repeats rounds of
verified fixes until none applies.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import math
import os
import re
import stat
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from . import api, loader
from .diagnostics import Diagnostic
from .fields import quotient, split_tuple
from .files import atomic_path
from .loader import Document

__all__ = [
    "FIXERS",
    "Context",
    "Edit",
    "Fix",
    "Outcome",
    "analyse",
    "apply_edits",
    "candidates",
    "fix_path",
    "fix_text",
    "unified_diff",
    "verify",
]

Format = Literal["yaml", "json"]
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` (offsets in code points) with ``text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """One way to repair one diagnostic."""

    code: str
    title: str
    edits: tuple[Edit, ...]
    safe: bool
    diagnostic: Diagnostic
    #: The part of the spec that was not validated before the fix (a renamed field's value,
    #: a layer whose type was unknown): findings inside it afterwards are new information,
    #: not a regression.
    unchecked: KeyPath | None = None


# --------------------------------------------------------------------------- the text


_YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_JSON_BREAKS = re.compile("\r\n|[\r\n]")


class TextIndex:
    """Offsets <-> the loader's 1-based (line, column), with the loader's line breaks."""

    __slots__ = ("base", "breaks", "starts", "text")

    def __init__(self, text: str, fmt: Format) -> None:
        self.text = text
        # The loader drops a UTF-8 byte order mark before it counts columns.
        self.base = 1 if text.startswith("\ufeff") else 0
        self.breaks = _YAML_BREAKS if fmt == "yaml" else _JSON_BREAKS
        self.starts = [self.base, *(m.end() for m in self.breaks.finditer(text, self.base))]

    def offset(self, line: int, column: int) -> int:
        line = min(max(line, 1), len(self.starts))
        start = self.starts[line - 1]
        end = self.line_end(start)
        return min(start + max(column, 1) - 1, end)

    def line_end(self, offset: int) -> int:
        """Where the line holding ``offset`` ends (before its line break)."""
        m = self.breaks.search(self.text, offset)
        return m.start() if m else len(self.text)

    def line_start(self, offset: int) -> int:
        return self.starts[max(bisect_right(self.starts, offset) - 1, 0)]

    def next_line(self, offset: int) -> int:
        """The start of the line after the one holding ``offset`` (the text's end on the last line)."""
        m = self.breaks.search(self.text, offset)
        return m.end() if m else len(self.text)


def _quoted_end(text: str, i: int) -> int | None:
    """The offset after the string quoted at ``text[i]`` (``"`` with backslash escapes, ``'`` with ``''``)."""
    quote = text[i]
    j, n = i + 1, len(text)
    while j < n:
        c = text[j]
        if quote == '"' and c == "\\":
            j += 2
            continue
        if c == quote:
            if quote == "'" and j + 1 < n and text[j + 1] == "'":
                j += 2
                continue
            return j + 1
        j += 1
    return None


def _flow_end(text: str, i: int, fmt: Format) -> int | None:
    """The offset after the flow collection (``[...]`` or ``{...}``) that opens at ``text[i]``."""
    depth, j, n = 0, i, len(text)
    last = ""  # the last significant character, to tell a YAML quote from an apostrophe
    while j < n:
        c = text[j]
        if c == '"' or (c == "'" and fmt == "yaml" and last in "[{,:"):
            end = _quoted_end(text, j)
            if end is None:
                return None
            j, last = end, '"'
            continue
        if c == "#" and fmt == "yaml" and (j == 0 or text[j - 1] in " \t\r\n"):
            while j < n and text[j] not in "\r\n":
                j += 1
            continue
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth == 0:
                return j + 1
        if not c.isspace():
            last = c
        j += 1
    return None


_TOKEN = re.compile(r"[^\s,\]\}#]+")
_NULL_WORDS = frozenset({"null", "Null", "NULL", "~"})


def _scalar_end(text: str, start: int, value: Any) -> int | None:
    """The offset after the scalar starting at ``start`` that the loader read as ``value``."""
    if start >= len(text):
        return start if value is None else None
    c = text[start]
    if c in "\"'":
        return _quoted_end(text, start)
    if c in "|>&*!":  # block scalars, anchors, aliases, tags: not edited
        return None
    if isinstance(value, str):
        # A one-line plain scalar is its own text.
        return start + len(value) if value and text.startswith(value, start) else None
    m = _TOKEN.match(text, start)
    if value is None:
        return m.end() if m and m.group() in _NULL_WORDS else start
    return m.end() if m else None


_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")


def _plain_ok(value: str) -> bool:
    return bool(_PLAIN.fullmatch(value)) and value.lower() not in ("null", "true", "false")


def render(value: Any, style: Format, like: str = "") -> str:
    """``value`` as a spec writes it in ``style``; a string keeps the quotes of ``like``."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        if like.startswith("'") and style == "yaml":
            return "'" + value.replace("'", "''") + "'"
        if style == "json" or like.startswith('"') or not _plain_ok(value):
            return json.dumps(value, ensure_ascii=False)
        return value
    if isinstance(value, list | tuple):
        return "[" + ", ".join(render(v, style) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{render(str(k), style)}: {render(v, style)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__}")


_MISSING: Any = object()


def get(data: Any, path: KeyPath) -> Any:
    """The value at ``path``, or the ``_MISSING`` marker."""
    node = data
    for part in path:
        in_mapping = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_mapping or in_list):
            return _MISSING
        node = node[part]
    return node


def key_path(data: Any, ptr: str) -> KeyPath:
    """A diagnostic's JSON Pointer as the document's keys (digits index lists only)."""
    from .diagnostics import parse_pointer

    out: list[str | int] = []
    node = data
    for part in parse_pointer(ptr):
        if isinstance(node, dict):
            out.append(str(part))
            node = node.get(str(part))
        else:
            out.append(part)
            node = node[part] if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node) else None
    return tuple(out)


# --------------------------------------------------------------------------- a checked text


class Context:
    """A spec's text, how the loader read it, what the check found, and edits on it."""

    def __init__(self, text: str, fmt: Format, doc: Document, result: api.Result, options: api.Options) -> None:
        self.text = text
        self.fmt = fmt
        self.doc = doc
        self.result = result
        self.options = options
        self.index = TextIndex(text, fmt)
        self.newline = "\r\n" if "\r\n" in text else "\n"

    @property
    def data(self) -> Any:
        return self.doc.data

    def path_of(self, d: Diagnostic) -> KeyPath:
        return key_path(self.data, d.path)

    def offset_of(self, d: Diagnostic) -> int | None:
        if d.line is None or d.column is None:
            return None
        return self.index.offset(d.line, d.column)

    # ---- where things are ----------------------------------------------------

    def value_start(self, path: KeyPath) -> int | None:
        pos = self.doc.value_positions.get(path)
        return None if pos is None else self.index.offset(pos.line, pos.column)

    def key_start(self, path: KeyPath) -> int | None:
        pos = self.doc.key_positions.get(path)
        return None if pos is None else self.index.offset(pos.line, pos.column)

    def is_flow(self, path: KeyPath) -> bool:
        start = self.value_start(path)
        return start is not None and self.text[start : start + 1] in ("[", "{")

    def value_span(self, path: KeyPath) -> tuple[int, int] | None:
        """Where the scalar or flow value at ``path`` is written; None for block collections."""
        start = self.value_start(path)
        value = get(self.data, path)
        if start is None or value is _MISSING:
            return None
        if isinstance(value, dict | list):
            end = _flow_end(self.text, start, self.fmt) if self.is_flow(path) else None
        else:
            end = _scalar_end(self.text, start, value)
        return None if end is None else (start, end)

    def key_span(self, path: KeyPath) -> tuple[int, int] | None:
        start = self.key_start(path)
        if start is None or not path or not isinstance(path[-1], str):
            return None
        end = _scalar_end(self.text, start, path[-1])
        return None if end is None else (start, end)

    def node_end(self, path: KeyPath, depth: int = 0) -> int | None:
        """The offset after the value at ``path``, block collections included (their last item's end)."""
        value = get(self.data, path)
        if value is _MISSING or depth > 200:
            return None
        if isinstance(value, dict | list) and not self.is_flow(path):
            if not value:
                return None
            last: str | int = next(reversed(value)) if isinstance(value, dict) else len(value) - 1
            return self.node_end((*path, last), depth + 1)
        span = self.value_span(path)
        return None if span is None else span[1]

    def layer_paths(self) -> Iterator[KeyPath]:
        """Every layer the spec writes, in text order: ``("layers", 0)``, nested block and wrapper layers too."""
        stack: list[KeyPath] = []
        layers = get(self.data, ("layers",))
        if isinstance(layers, list):
            stack += [("layers", i) for i in range(len(layers) - 1, -1, -1)]
        while stack:
            path = stack.pop()
            item = get(self.data, path)
            if not isinstance(item, dict):
                continue
            yield path
            inner: list[KeyPath] = []
            for key in ("layer", "backward_layer"):
                if isinstance(item.get(key), dict):
                    inner.append((*path, key))
            if isinstance(item.get("layers"), list):
                inner += [(*path, "layers", j) for j in range(len(item["layers"]))]
            stack += reversed(inner)

    # ---- edits -----------------------------------------------------------------

    def style_at(self, offset: int | None) -> Format:
        """JSON style where the text is JSON, or a YAML flow mapping written with quoted keys."""
        if self.fmt == "json":
            return "json"
        if offset is not None and self.text.startswith("{", offset):
            rest = self.text[offset + 1 : offset + 40].lstrip()
            if rest.startswith('"'):
                return "json"
        return "yaml"

    def replace_value(self, path: KeyPath, value: Any) -> Edit | None:
        span = self.value_span(path)
        if span is None:
            return None
        old = self.text[span[0] : span[1]]
        return Edit(span[0], span[1], render(value, self.style_at(self.value_start(path[:-1])), old))

    def replace_text(self, path: KeyPath, text: str) -> Edit | None:
        span = self.value_span(path)
        return None if span is None else Edit(span[0], span[1], text)

    def rename_key(self, path: KeyPath, key: str) -> Edit | None:
        span = self.key_span(path)
        if span is None:
            return None
        old = self.text[span[0] : span[1]]
        return Edit(span[0], span[1], render(key, self.style_at(self.value_start(path[:-1])), old))

    def _only_space(self, start: int, end: int) -> bool:
        return not self.text[start:end].strip()

    def delete_entry(self, path: KeyPath) -> Edit | None:
        """Remove the mapping entry at ``path``: its whole lines in block style, with its comma in flow."""
        text = self.text
        ks, ve = self.key_start(path), self.node_end(path)
        parent = get(self.data, path[:-1])
        if ks is None or ve is None or not isinstance(parent, dict):
            return None
        if not self.is_flow(path[:-1]):
            line = self.index.line_start(ks)
            before = text[line:ks]
            after = text[ve : self.index.line_end(ve)].strip()
            if after and not after.startswith("#"):
                return None
            if not before.strip():
                return Edit(line, self.index.next_line(ve), "")
            if before.strip() == "-":
                # The first key of a list item: the next key moves up beside the dash.
                keys = list(parent)
                k = keys.index(path[-1])
                nxt = self.key_start((*path[:-1], keys[k + 1])) if k + 1 < len(keys) else None
                if nxt is None or not self._only_space(self.index.line_end(ve), nxt) or after:
                    return None
                return Edit(ks, nxt, "")
            return None
        j = ve
        while j < len(text) and text[j].isspace():
            j += 1
        if text.startswith(",", j):
            k = j + 1
            while k < len(text) and text[k].isspace():
                k += 1
            return Edit(ks, k, "") if "#" not in text[ve:k] else None
        p = ks - 1
        while p >= 0 and text[p].isspace():
            p -= 1
        if p >= 0 and text[p] == ",":
            return Edit(p, ve, "")
        if p >= 0 and text[p] == "{":
            return Edit(ks, ve, "")
        return None

    def insert_entry(self, path: KeyPath, key: str, value: Any, *, before: str | None = None) -> Edit | None:
        """Add ``key: value`` to the mapping at ``path``: before the entry ``before``, else after the last one."""
        text, nl = self.text, self.newline
        mapping = get(self.data, path)
        if not isinstance(mapping, dict) or not mapping or key in mapping:
            return None
        style = self.style_at(self.value_start(path))
        entry = f"{render(key, style)}: {render(value, style)}"
        flow = self.is_flow(path)
        if before is not None and before in mapping:
            ks = self.key_start((*path, before))
            if ks is None:
                return None
            line = self.index.line_start(ks)
            indent = text[line:ks]
            if not indent.strip():
                return Edit(line, line, indent + entry + ("," if flow else "") + nl)
            return Edit(ks, ks, entry + ", ") if flow else None
        last = next(reversed(mapping))
        lk, le = self.key_start((*path, last)), self.node_end((*path, last))
        if lk is None or le is None:
            return None
        line = self.index.line_start(lk)
        lead = text[line:lk]
        if flow:
            # Pretty-printed (the last entry on a line of its own): the new one gets a line too.
            return Edit(le, le, ("," + nl + lead if not lead.strip() else ", ") + entry)
        if lead.strip() not in ("", "-"):
            return None
        rest = text[le : self.index.line_end(le)].strip()
        if rest and not rest.startswith("#"):
            return None
        indent = lead.replace("-", " ")
        end = self.index.line_end(le)
        return Edit(end, end, nl + indent + entry)

    def insert_item(self, path: KeyPath, index: int, item: dict[str, Any]) -> Edit | None:
        """Insert the mapping ``item`` into the list at ``path`` before its item ``index``, as its siblings are written."""
        text, nl = self.text, self.newline
        start = self.value_start((*path, index))
        if start is None or not item:
            return None
        if self.is_flow(path):
            style = self.style_at(start) if text.startswith("{", start) else ("json" if self.fmt == "json" else "yaml")
            rendered = render(item, style)
            line = self.index.line_start(start)
            indent = text[line:start]
            if not indent.strip():
                return Edit(start, start, rendered + "," + nl + indent)
            return Edit(start, start, rendered + ", ")
        p = start - 1
        while p >= 0 and text[p] in " \t\r\n":
            p -= 1
        if p < 0 or text[p] != "-":
            return None
        line = self.index.line_start(p)
        indent = text[line:p]
        if indent.strip():
            return None
        keys = list(item)
        lines = [f"{indent}- {keys[0]}: {render(item[keys[0]], 'yaml')}"]
        lines += [f"{indent}  {k}: {render(item[k], 'yaml')}" for k in keys[1:]]
        return Edit(line, line, nl.join(lines) + nl)


# --------------------------------------------------------------------------- running the check


def detect_format(text: str, file: str | os.PathLike[str] | None = None, fmt: Format | None = None) -> Format:
    """The format the loader reads ``text`` as (the file's suffix, else JSON for ``{``/``[`` text that parses)."""
    if fmt is not None:
        return fmt
    if file is not None:
        suffix = os.path.splitext(os.fspath(file))[1].lower()
        if suffix == ".json":
            return "json"
        if suffix in (".yaml", ".yml"):
            return "yaml"
    if text.lstrip(" \t\r\n\ufeff")[:1] in ("{", "["):
        doc = loader.load_text(text, fmt="json")
        if not any(d.code == "KS101" for d in doc.diagnostics):
            return "json"
    return "yaml"


def analyse(
    text: str,
    *,
    file: str | os.PathLike[str] | None = None,
    fmt: Format | None = None,
    options: api.Options = api.Options(),
) -> Context:
    """Load and check ``text`` as ``kerasspec check`` would, keeping what the fixes need."""
    fmt = detect_format(text, file, fmt)
    doc = loader.load_text(text, file=None if file is None else os.fspath(file), fmt=fmt, limits=options.limits)
    return Context(text, fmt, doc, api.run(doc, options), options)


def apply_edits(text: str, edits: tuple[Edit, ...] | list[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` applied (from the last one back, so offsets hold)."""
    out = text
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: e.start] + e.text + out[e.end :]
    return out


def _family(code: str) -> int:
    return int(code[2])


def _under(ptr: str, path: KeyPath | None) -> bool:
    if path is None:
        return False
    from .diagnostics import pointer

    prefix = pointer(path)
    return ptr == prefix or ptr.startswith(prefix + "/")


def acceptable(before: list[Diagnostic], after: list[Diagnostic], fixes: list[Fix]) -> bool:
    """Every fixed finding is gone (one fewer of its code each) and nothing new of an earlier family appeared."""
    family = max(_family(f.code) for f in fixes)
    unchecked = [f.unchecked for f in fixes if f.unchecked is not None]

    def counted(diags: list[Diagnostic]) -> Counter[str]:
        return Counter(
            d.code for d in diags if _family(d.code) <= family and not any(_under(d.path, u) for u in unchecked)
        )

    fixed = Counter(f.code for f in fixes)
    all_before, all_after = Counter(d.code for d in before), Counter(d.code for d in after)
    if any(all_after[code] > all_before[code] - n for code, n in fixed.items()):
        return False
    b, a = counted(before), counted(after)
    return all(a[code] <= b[code] for code in a)


def verify(ctx: Context, fixes: Fix | list[Fix]) -> Context | None:
    """The checked text after ``fixes`` when they repair what they claim and break nothing, else None."""
    group = [fixes] if isinstance(fixes, Fix) else list(fixes)
    edits = [e for f in group for e in f.edits]
    if not edits or _overlapping(edits):
        return None
    after = analyse(apply_edits(ctx.text, edits), file=ctx.doc.file, fmt=ctx.fmt, options=ctx.options)
    return after if acceptable(ctx.result.diagnostics, after.result.diagnostics, group) else None


def _overlapping(edits: list[Edit]) -> bool:
    spans = sorted((e.start, e.end) for e in edits)
    return any(b[0] < a[1] or (a == b) for a, b in pairwise(spans))


# --------------------------------------------------------------------------- the fixes, one per code

Fixer = Callable[[Context, Diagnostic], list[Fix]]

#: Code -> the function that proposes its fixes.
FIXERS: dict[str, Fixer] = {}


def _fixer(code: str) -> Callable[[Fixer], Fixer]:
    def register(fn: Fixer) -> Fixer:
        FIXERS[code] = fn
        return fn

    return register


def _fix(d: Diagnostic, title: str, *edits: Edit | None, safe: bool, unchecked: KeyPath | None = None) -> list[Fix]:
    if not edits or any(e is None for e in edits):
        return []
    return [Fix(d.code, title, tuple(e for e in edits if e is not None), safe, d, unchecked)]


# A hint may say why after the name: "did you mean 'learning_rate'? (Keras 3 renamed `lr`)".
_DID_YOU_MEAN = re.compile(r"did you mean '([^']+)'\?(?: \(.*\))?")


def _suggestion(d: Diagnostic) -> str | None:
    m = _DID_YOU_MEAN.fullmatch(d.hint or "")
    return m.group(1) if m else None


def _replace_with_suggestion(ctx: Context, d: Diagnostic, *, safe: bool = True) -> list[Fix]:
    path = ctx.path_of(d)
    old, new = get(ctx.data, path), _suggestion(d)
    if not isinstance(old, str) or new is None or new == old:
        return []
    # An object's unknown `type` means the object's other fields were never checked.
    unchecked = path[:-1] if path and path[-1] == "type" else None
    return _fix(d, f"Replace '{old}' with '{new}'", ctx.replace_value(path, new), safe=safe, unchecked=unchecked)


@_fixer("KS101")
def fix_ks101(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Safe: remove a JSON trailing comma. JSON forbids it; the comma carries no meaning."""
    offset = ctx.offset_of(d)
    if ctx.fmt != "json" or offset is None or not d.message.startswith("JSON syntax error: trailing comma"):
        return []
    if not ctx.text.startswith(",", offset):
        return []
    return _fix(d, "Remove the trailing comma", Edit(offset, offset + 1, ""), safe=True)


@_fixer("KS109")
def fix_ks109(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Unsafe: delete the second YAML document and what follows. kerasspec reads the first one only,
    but the author may have meant the other one."""
    offset = ctx.offset_of(d)
    if offset is None:
        return []
    return _fix(d, "Delete the second document", Edit(offset, len(ctx.text), ""), safe=False)


@_fixer("KS201")
def fix_ks201(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Safe: rename a misspelt field to the field the hint names (a close match among the
    fields the object takes). The value the author wrote is kept, and checked from now on."""
    path = ctx.path_of(d)
    new = _suggestion(d)
    parent = get(ctx.data, path[:-1])
    if new is None or not path or not isinstance(parent, dict) or new in parent:
        return []
    return _fix(d, f"Rename '{path[-1]}' to '{new}'", ctx.rename_key(path, new), safe=True,
                unchecked=(*path[:-1], new))


@_fixer("KS202")
def fix_ks202(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Safe: a misspelt layer type becomes the spelling the hint names (a case slip such as
    `Conv2d`, or a close match among the types Keras exports). Its fields are checked from now on."""
    path = ctx.path_of(d)
    fixes = _replace_with_suggestion(ctx, d)
    return [Fix(f.code, f.title, f.edits, f.safe, f.diagnostic, path[:-1]) for f in fixes]


_NUMBER_HINT = re.compile(r"write (.+) without quotes: kerasspec does not convert strings to numbers")
_WHOLE_HINT = re.compile(r"'[^']+' takes a whole number, e\.g\. -?\d+")
_LIST_HINT = re.compile(r"write a YAML list, not a string: `(\[[^`]*\])`")
_QUOTIENT_HINT = re.compile(r"kerasspec does not evaluate expressions: write (\S+)")
_SPLIT_HINT = re.compile(r"YAML split `[^`]*` at its commas, which end an entry in `\{\.\.\.\}`: write `[^`:]+: (\[[^`]*\])`")
_NULL_HINT = re.compile(r"write null(?: \(or leave `[^`]+` out\))?: YAML reads None as the string 'None'")


def _null_fix(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Safe: `None` (Python's None, a string in YAML) written as null, where the field takes null:
    the author meant no value, and null is how a spec writes it."""
    path = ctx.path_of(d)
    if get(ctx.data, path) != "None" or not _NULL_HINT.fullmatch(d.hint or ""):
        return []
    return _fix(d, "Write null", ctx.replace_value(path, None), safe=True)


@_fixer("KS203")
def fix_ks203(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Safe where the value is certain: a quoted number or boolean unquoted (the same number the
    author wrote), sizes written as a Python tuple (`(28, 28, 1)`, a string in YAML) written as
    the list, a float with no fraction written as the integer it equals, a single value
    wrapped in the list the field takes (`input_shape: 784` as `[784]`), a layer named by its
    type written as `{type: ...}`, `None` as null where the field takes null (in a shape too), a quotient of two
    numbers (`1./255`) as the number Python computes, and a tuple YAML split at its commas in a
    flow mapping (`{kernel_size: (3, 3)}`) as the list."""
    path = ctx.path_of(d)
    value = get(ctx.data, path)
    span = ctx.value_span(path)
    hint = d.hint or ""
    if isinstance(value, list) and hint.startswith("write null for a size of any length, not None: `"):
        # Item by item, so that a block list keeps its layout.
        nones = [ctx.replace_value((*path, i), None) for i, v in enumerate(value) if v == "None"]
        return _fix(d, "Write null for None", *nones, safe=True) if nones else []
    if span is None:
        return []
    written = ctx.text[span[0] : span[1]]
    if (nulled := _null_fix(ctx, d)):
        return nulled
    if isinstance(value, str) and (m := _QUOTIENT_HINT.fullmatch(hint)) and quotient(value) is not None:
        return _fix(d, f"Write {m.group(1)}", Edit(*span, m.group(1)), safe=True)
    if isinstance(value, str) and (m := _SPLIT_HINT.fullmatch(hint)):
        parent = get(ctx.data, path[:-1])
        found = split_tuple(parent, path[-1])
        last = ctx.key_span((*path[:-1], found[0][-1])) if found is not None and found[1] == m.group(1) else None
        if last is None or found is None or not ctx.is_flow(path[:-1]):
            return []
        return _fix(d, f"Write {m.group(1)}", Edit(span[0], last[1], m.group(1)), safe=True, unchecked=path)
    if type(value) is int and hint == f"write a list: [{value}]":
        return _fix(d, f"Write [{written}]", Edit(*span, f"[{written}]"), safe=True)
    if isinstance(value, str) and _NUMBER_HINT.fullmatch(hint) and written[:1] in "\"'":
        try:
            number = json.loads(value.strip())
        except ValueError:
            return []
        if isinstance(number, bool) or not isinstance(number, int | float) or not math.isfinite(number):
            return []
        return _fix(d, f"Write {value.strip()} as a number", Edit(*span, value.strip()), safe=True)
    if isinstance(value, str) and hint == "write true or false without quotes" and value.lower() in ("true", "false"):
        return _fix(d, f"Write {value.lower()} without quotes", Edit(*span, value.lower()), safe=True)
    if isinstance(value, str) and (m := _LIST_HINT.fullmatch(hint)):
        return _fix(d, f"Write {m.group(1)} as a list", Edit(*span, m.group(1)), safe=True)
    if isinstance(value, float) and value.is_integer() and _WHOLE_HINT.fullmatch(hint):
        return _fix(d, f"Write {int(value)}", Edit(*span, str(int(value))), safe=True)
    if hint.startswith("write a list: [") and isinstance(value, str | dict) and (isinstance(value, str) or written.startswith("{")):
        return _fix(d, f"Wrap {written} in a list", Edit(*span, f"[{written}]"), safe=True, unchecked=path)
    if isinstance(value, str) and hint == f"write `{{type: {value}}}`":
        return _fix(d, f"Write {{type: {value}}}", ctx.replace_value(path, {"type": value}), safe=True, unchecked=path)
    return []


@_fixer("KS206")
def fix_ks206(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Safe: a value that is not one of the field's choices becomes the choice the hint names
    (a case slip, or the closest spelling); `None` becomes null where the field takes null."""
    return _null_fix(ctx, d) or _replace_with_suggestion(ctx, d)


@_fixer("KS207")
def fix_ks207(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Safe: a misspelt activation name becomes the Keras activation the hint names; `None`
    becomes null (no activation, as Python's None is)."""
    return _null_fix(ctx, d) or _replace_with_suggestion(ctx, d)


@_fixer("KS208")
def fix_ks208(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Safe: a misspelt optimizer name becomes the Keras optimizer the hint names."""
    return _replace_with_suggestion(ctx, d)


@_fixer("KS209")
def fix_ks209(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Safe: a misspelt loss name becomes the Keras loss the hint names."""
    return _replace_with_suggestion(ctx, d)


@_fixer("KS210")
def fix_ks210(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Safe: a misspelt metric name becomes the Keras metric the hint names."""
    return _replace_with_suggestion(ctx, d)


def _shape_of(layer: dict[str, Any], field: str) -> Any:
    value = layer.get(field)
    return [value] if field == "input_dim" and isinstance(value, int) else value


@_fixer("KS211")
def fix_ks211(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Remove the second input shape. Safe when both say the same shape (nothing changes);
    unsafe when they differ: the one kept decides the model's input."""
    path = ctx.path_of(d)
    field = path[-1] if path else None
    if field not in ("input_shape", "input_dim") or len(path) < 2:
        return []
    layer = get(ctx.data, path[:-1])
    if not isinstance(layer, dict):
        return []
    if path[:-1] == ("layers", 0) and isinstance(ctx.data, dict) and "input_shape" in ctx.data:
        kept, where = ctx.data["input_shape"], "the top-level `input_shape`"
    elif layer.get("type") == "Input":
        kept, where = layer.get("shape"), "`shape`"
    elif field == "input_dim":
        kept, where = layer.get("input_shape"), "`input_shape`"
    else:
        return []
    same = kept == _shape_of(layer, str(field))
    return _fix(d, f"Remove `{field}` from the layer (keep {where})", ctx.delete_entry(path), safe=same)


@_fixer("KS212")
def fix_ks212(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Unsafe: give the second layer a new, unused name. Keras requires unique names, but
    other code may refer to a layer by the name the author chose."""
    path = ctx.path_of(d)
    name = get(ctx.data, path)
    if not path or path[-1] != "name" or not isinstance(name, str):
        return []
    used = {get(ctx.data, (*p, "name")) for p in ctx.layer_paths()}
    if ctx.result.shapes is not None:
        used |= {info.name for info in ctx.result.shapes.layers}
    new = next(f"{name}_{k}" for k in range(1, len(used) + 2) if f"{name}_{k}" not in used)
    return _fix(d, f"Rename the layer to '{new}'", ctx.replace_value(path, new), safe=False)


@_fixer("KS213")
def fix_ks213(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Safe: remove an `input_shape`/`input_dim` that Keras ignores (on a layer other than the
    first); the built model is the same without it."""
    path = ctx.path_of(d)
    if not path or path[-1] not in ("input_shape", "input_dim"):
        return []
    return _fix(d, f"Remove the ignored `{path[-1]}`", ctx.delete_entry(path), safe=True)


_INPUT_HINT = re.compile(r"`input_shape: (\[[^\]`]*\])`")


#: Fields of a first layer that give the input shape, Keras 2's `batch_input_shape` too.
_WRITTEN_INPUT = frozenset({"input_shape", "input_dim", "batch_input_shape"})


@_fixer("KS301")
def fix_ks301(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Unsafe: add the input shape the hint suggests (an example for the first layer: only
    the author knows the data; not when the first layer writes one, invalid), or move a later
    layer's `input_shape` to the top."""
    m = _INPUT_HINT.search(d.hint or "")
    if m is None or not isinstance(ctx.data, dict) or "layers" not in ctx.data:
        later = re.match(r"move `(input_shape|input_dim)` from layers\[(\d+)\]", d.hint or "")
        if later is None:
            return []
        field, i = later.group(1), int(later.group(2))
        layer = get(ctx.data, ("layers", i))
        if not isinstance(layer, dict):
            return []
        shape = _shape_of(layer, field)
        return _fix(d, f"Move `{field}` from layers[{i}] to the top",
                    ctx.insert_entry((), "input_shape", shape, before="layers"),
                    ctx.delete_entry(("layers", i, field)), safe=False)
    first = get(ctx.data, ("layers", 0))
    if isinstance(first, dict) and _WRITTEN_INPUT & set(first):
        return []  # the author gave one, invalid (`input_shape: 784`): its own finding says what to write
    shape = json.loads(m.group(1))
    return _fix(d, f"Add `input_shape: {m.group(1)}`", ctx.insert_entry((), "input_shape", shape, before="layers"),
                safe=False)


def _flatten_fixes(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Insert `{type: Flatten}` before the first top-level Dense that receives a rank-3+ input."""
    shapes = ctx.result.shapes
    if shapes is None:
        return []
    given = shapes.input_shape
    for info in shapes.layers:
        if given is not None and len(info.path) == 2 and info.type == "Dense" and len(given) >= 3:
            index = int(info.path[1])
            return _fix(d, f"Insert a Flatten layer before layers[{index}] (Dense)",
                        ctx.insert_item(("layers",), index, {"type": "Flatten"}), safe=True)
        given = info.output_shape
    return []


_RESHAPE_HINT = re.compile(r"add `\{type: Reshape, target_shape: (\[[^\]]*\])\}` before this layer")


@_fixer("KS302")
def fix_ks302(ctx: Context, d: Diagnostic) -> list[Fix]:
    """A layer given an input of the wrong rank. Safe: the Flatten the hint asks for before a
    Dense. Unsafe: the input shape of the rank the layer needs, or the Reshape the hint
    suggests (both decide how the data is laid out)."""
    hint = d.hint or ""
    if "Flatten" in hint:
        return _flatten_fixes(ctx, d)
    path = ctx.path_of(d)
    fixes: list[Fix] = []
    m = _INPUT_HINT.search(hint)
    if m is not None:
        shape = json.loads(m.group(1))
        where: KeyPath | None = None
        if isinstance(ctx.data, dict) and "input_shape" in ctx.data:
            where = ("input_shape",)
        else:
            first = get(ctx.data, ("layers", 0))
            if isinstance(first, dict):
                field_ = "shape" if first.get("type") == "Input" else "input_shape"
                where = ("layers", 0, field_) if field_ in first else None
        if where is not None:
            fixes += _fix(d, f"Set the input shape to {m.group(1)}", ctx.replace_value(where, shape), safe=False)
    m = _RESHAPE_HINT.search(hint)
    layer = path[:2] if len(path) >= 2 and path[0] == "layers" and isinstance(path[1], int) else None
    if m is not None and layer is not None:
        fixes += _fix(d, f"Insert a Reshape to {m.group(1)} before layers[{layer[1]}]",
                      ctx.insert_item(("layers",), int(layer[1]), {"type": "Reshape", "target_shape": json.loads(m.group(1))}),
                      safe=False)
    return fixes


_MATCHING_LOSS = {
    # (loss spelling, labels) -> the loss that reads those labels
    ("categorical_crossentropy", "sparse"): "sparse_categorical_crossentropy",
    ("CategoricalCrossentropy", "sparse"): "SparseCategoricalCrossentropy",
    ("sparse_categorical_crossentropy", "one_hot"): "categorical_crossentropy",
    ("SparseCategoricalCrossentropy", "one_hot"): "CategoricalCrossentropy",
}


def _labels(ctx: Context) -> str | None:
    data = ctx.options.data or (ctx.result.spec.data if ctx.result.spec is not None else None)
    if data is None and isinstance(ctx.data, dict):
        section = ctx.data.get("data")
        return section.get("labels") if isinstance(section, dict) else None
    return getattr(data, "labels", None)


@_fixer("KS401")
def fix_ks401(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Safe: the crossentropy of the same family that reads the labels the data has
    (`sparse_categorical_crossentropy` for integer ids, `categorical_crossentropy` for one-hot):
    the two compute the same loss, they differ only in the label encoding they read."""
    path = ctx.path_of(d)
    loss = get(ctx.data, path)
    labels = _labels(ctx)
    if isinstance(loss, dict):
        kind = loss.get("type")
        new = _MATCHING_LOSS.get((kind, labels)) if isinstance(kind, str) else None
        return [] if new is None else _fix(d, f"Use {new}", ctx.replace_value((*path, "type"), new), safe=True)
    new = _MATCHING_LOSS.get((loss, labels)) if isinstance(loss, str) else None
    return [] if new is None else _fix(d, f"Use {new} for {labels} labels", ctx.replace_value(path, new), safe=True)


@_fixer("KS402")
def fix_ks402(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Unsafe: set the last layer's units to the number of classes. It changes the model's
    output (and its parameter count); the data may be what is wrong."""
    path = ctx.path_of(d)
    m = re.fullmatch(r"set units: (\d+)", d.hint or "")
    if m is None or not path or path[-1] != "units" or not isinstance(get(ctx.data, path), int):
        return []
    return _fix(d, f"Set units to {m.group(1)}", ctx.replace_value(path, int(m.group(1))), safe=False)


def _loss_path(ctx: Context) -> KeyPath:
    return ("compile", "loss")


@_fixer("KS403")
def fix_ks403(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Unsafe: the output activation and the loss's `from_logits` disagree, and either side
    may be the one to change (a softmax output, or logits with `from_logits: true`)."""
    path = ctx.path_of(d)
    loss = get(ctx.data, _loss_path(ctx))
    fixes: list[Fix] = []
    if "from_logits: true and will apply" in d.message:
        if isinstance(loss, dict) and loss.get("from_logits") is True:
            fixes += _fix(d, "Set from_logits: false", ctx.replace_value((*_loss_path(ctx), "from_logits"), False), safe=False)
        return fixes
    m = re.match(r"add activation: (\w+) to the last layer", d.hint or "")
    if m is None:
        return []
    wanted = m.group(1)
    if path and path[-1] == "activation":
        layer = get(ctx.data, path[:-1])
        if isinstance(layer, dict) and "activation" in layer:
            fixes += _fix(d, f"Set activation: {wanted}", ctx.replace_value(path, wanted), safe=False)
        elif isinstance(layer, dict):
            fixes += _fix(d, f"Add activation: {wanted}", ctx.insert_entry(path[:-1], "activation", wanted), safe=False)
    cls = re.search(r"`loss: \{type: (\w+), from_logits: true\}`", d.hint or "")
    if cls is not None:
        if isinstance(loss, dict) and loss.get("from_logits") is False:
            fixes += _fix(d, "Set from_logits: true", ctx.replace_value((*_loss_path(ctx), "from_logits"), True), safe=False)
        elif isinstance(loss, dict):
            fixes += _fix(d, "Add from_logits: true", ctx.insert_entry(_loss_path(ctx), "from_logits", True), safe=False)
        elif isinstance(loss, str):
            fixes += _fix(d, f"Use {{type: {cls.group(1)}, from_logits: true}}",
                          ctx.replace_value(_loss_path(ctx), {"type": cls.group(1), "from_logits": True}), safe=False)
    return fixes


@_fixer("KS404")
def fix_ks404(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Safe: a softmax over one unit is the constant 1.0; the sigmoid is the single-unit
    probability the author meant (the verification refuses it where the loss wants classes)."""
    path = ctx.path_of(d)
    if not path or path[-1] != "activation" or get(ctx.data, path) != "softmax":
        return []
    return _fix(d, "Use sigmoid for a single unit", ctx.replace_value(path, "sigmoid"), safe=True)


@_fixer("KS405")
def fix_ks405(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Safe: a sigmoid output under a categorical crossentropy becomes softmax, the one-of-N
    distribution that loss reads. Unsafe: a binary loss on many classes becomes
    `sparse_categorical_crossentropy` (the output layer may need changing too)."""
    path = ctx.path_of(d)
    value = get(ctx.data, path)
    if path and path[-1] == "activation" and value == "sigmoid":
        return _fix(d, "Use softmax for one-of-N classes", ctx.replace_value(path, "softmax"), safe=True)
    if path == _loss_path(ctx) and isinstance(value, str):
        return _fix(d, "Use sparse_categorical_crossentropy", ctx.replace_value(path, "sparse_categorical_crossentropy"),
                    safe=False)
    return []


@_fixer("KS406")
def fix_ks406(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Safe: insert `{type: Flatten}` before the first Dense that receives a rank-3+ input, as
    the hint says: a classifier's Dense head reads one vector per sample."""
    return _flatten_fixes(ctx, d)


@_fixer("KS407")
def fix_ks407(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Safe: a metric named as a string that does not fit the labels becomes `accuracy`, from
    which Keras picks the variant for the loss and labels. Metrics do not change training."""
    path = ctx.path_of(d)
    value = get(ctx.data, path)
    m = re.match(r"use (\w+)", d.hint or "")
    if not isinstance(value, str) or m is None:
        return []
    return _fix(d, f"Use {m.group(1)}", ctx.replace_value(path, m.group(1)), safe=True)


@_fixer("KS503")
def fix_ks503(ctx: Context, d: Diagnostic) -> list[Fix]:
    """Unsafe: `channels_last` instead of `channels_first`. It runs on CPUs, but it reads the
    input's axes differently: the input shape may have to change with it."""
    path = ctx.path_of(d)
    if not path or path[-1] != "data_format" or not isinstance(get(ctx.data, path), str):
        return []
    return _fix(d, "Use channels_last", ctx.replace_value(path, "channels_last"), safe=False)


# --------------------------------------------------------------------------- applying fixes


def candidates(ctx: Context, *, unsafe: bool = True, diagnostic: Diagnostic | None = None) -> list[Fix]:
    """The fixes proposed for the check's findings (not yet verified), in the order of the findings."""
    out: list[Fix] = []
    for d in ctx.result.diagnostics if diagnostic is None else [diagnostic]:
        fixer = FIXERS.get(d.code)
        if fixer is None:
            continue
        try:
            proposed = fixer(ctx, d)
        except (LookupError, TypeError, ValueError, AttributeError):  # an unusual document: no fix for it
            proposed = []
        out += [f for f in proposed if unsafe or f.safe]
    return out


@dataclass
class Outcome:
    """What :func:`fix_text` did to one text."""

    original: str
    context: Context  # the fixed text, checked
    applied: list[Fix] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.context.text

    @property
    def changed(self) -> bool:
        return self.text != self.original

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.context.result.diagnostics


def fix_text(
    text: str,
    *,
    file: str | os.PathLike[str] | None = None,
    fmt: Format | None = None,
    options: api.Options = api.Options(),
    unsafe: bool = False,
    max_rounds: int = 10,
) -> Outcome:
    """Apply verified fixes in rounds until none applies (or ``max_rounds``); safe ones only unless ``unsafe``.

    Each round verifies every candidate alone, then applies the verified ones whose
    edits do not overlap, all together; if together they fail verification, only the
    first is applied. The next round starts from the new text.
    """
    ctx = analyse(text, file=file, fmt=fmt, options=options)
    outcome = Outcome(text, ctx)
    for _ in range(max_rounds):
        chosen: list[Fix] = []
        taken: list[Edit] = []
        for fix in candidates(ctx, unsafe=unsafe):
            if _overlapping([*taken, *fix.edits]) or verify(ctx, fix) is None:
                continue
            chosen.append(fix)
            taken += fix.edits
        if not chosen:
            break
        after = verify(ctx, chosen) if len(chosen) > 1 else None
        if after is None:
            chosen = chosen[:1]
            after = verify(ctx, chosen)
        if after is None:  # pragma: no cover - verified alone just above
            break
        outcome.applied += chosen
        ctx = after
    outcome.context = ctx
    return outcome


def fix_path(
    path: str | os.PathLike[str],
    *,
    options: api.Options = api.Options(),
    unsafe: bool = False,
    write: bool = True,
) -> Outcome | None:
    """Fix one spec file in place (atomically, keeping its mode); None when its text cannot be read as UTF-8.

    Raises OSError when the file cannot be read or written.
    """
    from .files import open_regular

    target = Path(path)
    with open_regular(target) as fh:
        raw = fh.read(options.limits.max_bytes + 1)
    if len(raw) > options.limits.max_bytes:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    outcome = fix_text(text, file=target, options=options, unsafe=unsafe)
    if write and outcome.changed:
        real = target.resolve()
        mode = stat.S_IMODE(os.stat(real).st_mode)
        with atomic_path(real) as tmp:
            tmp.write_bytes(outcome.text.encode("utf-8"))
            with contextlib.suppress(OSError):
                os.chmod(tmp, mode)
    return outcome


def unified_diff(original: str, fixed: str, name: str) -> str:
    """A unified diff (``a/NAME``, ``b/NAME``), marking a last line without a newline as git does."""
    lines = difflib.unified_diff(
        original.splitlines(keepends=True), fixed.splitlines(keepends=True), f"a/{name}", f"b/{name}"
    )
    out: list[str] = []
    for line in lines:
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


@dataclass
class FileFix:
    """One file of ``check --fix``: what was fixed, the diff, and the findings that remain."""

    path: Path
    applied: list[Fix]
    diff: str
    diagnostics: list[Diagnostic]


def fix_files(
    paths: list[Path], *, options: api.Options = api.Options(), unsafe: bool = False, write: bool = True
) -> tuple[list[FileFix], list[str]]:
    """``check --fix`` over ``paths``: the files' results, and the I/O problems (``path: reason``)."""
    done: list[FileFix] = []
    problems: list[str] = []
    for path in paths:
        try:
            outcome = fix_path(path, options=options, unsafe=unsafe, write=write)
            if outcome is None:  # not UTF-8 text, or too large: reported as `check` reports it
                done.append(FileFix(path, [], "", api.check(path, options)))
                continue
        except OSError as exc:
            problems.append(f"{path}: {exc.strerror or exc}")
            continue
        diff = unified_diff(outcome.original, outcome.text, str(path)) if outcome.changed else ""
        done.append(FileFix(path, outcome.applied, diff, outcome.diagnostics))
    return done, problems
