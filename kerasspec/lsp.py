"""``kerasspec lsp``: a Language Server over stdio for YAML and JSON specs.

What an editor gets, all from the same pipeline as ``kerasspec check`` (``api.run``):

- **diagnostics** as the user types: the findings of ``check``, with their codes, hints
  and a range from the finding's line and column to the end of the value (or key) it
  blames. Linting is debounced adaptively: a burst of keystrokes is coalesced, the
  delay being about as long as the last check of that document took;
- **inlay hints**: each layer's output shape and parameter count at the end of its
  ``type:`` line, and the model's total on the ``layers:`` line;
- **hover** on a layer: its Keras class, input and output shapes, the shape rule applied
  per axis for windowed layers (``VALID: floor((26 - 3) / 2) + 1 = 12``), its weights and
  parameters; on a field: its description and Keras default; on a finding or a ``KSnnn``
  code: the rule's summary and its documentation;
- **completion** of layer types, field names (with Keras defaults) and enum values,
  from the JSON Schema of the spec language;
- **code actions**: the fixes of :mod:`kerasspec.fixes` (safe ones preferred, unsafe ones
  marked), each verified before it is offered, and "fix all safe findings";
- **document symbols**: the layers as an outline.

Bounded as ``check`` is: the loader's limits apply (a huge or hostile document gets its
KS1xx findings), and every handler is guarded, so a document the server cannot make
sense of yields diagnostics or nothing, never a crash.

This module is the only one that imports pygls (the ``lsp`` extra: ``pip install -e '.[lsp]'`` in a clone); the
lint path never imports it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

try:
    from lsprotocol import types as T
    from pygls.lsp.server import LanguageServer
    from pygls.uris import to_fs_path
except ImportError as exc:  # pragma: no cover - depends on the install
    from .extras import install_hint

    raise ImportError(f"kerasspec lsp needs pygls and lsprotocol ({exc}): {install_hint('lsp')}") from exc

from . import __version__, api, fixes
from .diagnostics import RULES, Diagnostic, Severity
from .fixes import Context, KeyPath, get
from .shapes import Shape, axis_names, fmt_shape, spatial_axes

__all__ = ["DocumentState", "LspIndex", "create_server", "serve"]

log = logging.getLogger("kerasspec.lsp")

# --------------------------------------------------------------------------- positions


_LSP_BREAKS = re.compile("\r\n|[\r\n]")


class LspIndex:
    """Offsets (code points) <-> LSP positions: lines end at ``\\n``, ``\\r\\n`` or ``\\r``; characters
    are counted in the negotiated encoding (UTF-16 code units unless the client offers another)."""

    __slots__ = ("encoding", "starts", "text")

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.encoding = encoding
        self.starts = [0, *(m.end() for m in _LSP_BREAKS.finditer(text))]

    def _units(self, s: str) -> int:
        if s.isascii() or self.encoding == "utf-32":
            return len(s)
        if self.encoding == "utf-8":
            return len(s.encode("utf-8", "surrogatepass"))
        return len(s.encode("utf-16-le", "surrogatepass")) // 2

    def _line_end(self, line: int) -> int:
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            return end - (2 if self.text.startswith("\r\n", end - 2) else 1)
        return len(self.text)

    def position(self, offset: int) -> T.Position:
        from bisect import bisect_right

        offset = min(max(offset, 0), len(self.text))
        line = bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        offset = min(offset, self._line_end(line))
        return T.Position(line=line, character=self._units(self.text[start:offset]))

    def offset(self, pos: T.Position) -> int:
        if pos.line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[max(pos.line, 0)], self._line_end(max(pos.line, 0))
        line = self.text[start:end]
        if line.isascii() or self.encoding == "utf-32":
            return start + min(max(pos.character, 0), len(line))
        units = 0
        for i, c in enumerate(line):
            if units >= pos.character:
                return start + i
            units += self._units(c)
        return end

    def range(self, start: int, end: int) -> T.Range:
        return T.Range(start=self.position(start), end=self.position(max(end, start)))

    def line_end_offset(self, offset: int) -> int:
        from bisect import bisect_right

        return self._line_end(bisect_right(self.starts, offset) - 1)


# --------------------------------------------------------------------------- one open document


@dataclass
class DocumentState:
    """An open document: its text as the client has it, and the check of its latest version."""

    uri: str
    text: str
    version: int | None = None
    language_id: str = ""
    encoding: str = "utf-16"
    _checked: tuple[int, Context, LspIndex] | None = field(default=None, repr=False)
    _edits: int = 0  # bumped on every change: the cache key
    lint_seconds: float = 0.0  # how long the last check took: the debounce follows it
    published_at: float = -math.inf  # the loop's time of the last diagnostics sent

    @property
    def path(self) -> str | None:
        try:
            return to_fs_path(self.uri) if self.uri.startswith("file:") else None
        except Exception:  # a malformed URI: the document is still text
            return None

    @property
    def fmt(self) -> fixes.Format | None:
        suffix = Path(self.path or self.uri).suffix.lower()
        if suffix == ".json" or (suffix not in (".yaml", ".yml") and self.language_id in ("json", "jsonc")):
            return "json"
        if suffix in (".yaml", ".yml") or self.language_id == "yaml":
            return "yaml"
        return None

    def change(self, changes: list[Any], version: int | None) -> None:
        """Apply ``didChange`` content changes in order (each range is in the text the previous one left)."""
        for change in changes:
            rng = getattr(change, "range", None)
            if rng is None:
                self.text = change.text
                continue
            index = LspIndex(self.text, self.encoding)
            start, end = index.offset(rng.start), index.offset(rng.end)
            self.text = self.text[:start] + change.text + self.text[max(end, start) :]
        self.version = version
        self._edits += 1

    def checked(self, options: api.Options) -> tuple[Context, LspIndex]:
        """The check of the current text (cached until the next change)."""
        if self._checked is None or self._checked[0] != self._edits:
            began = time.perf_counter()
            ctx = fixes.analyse(self.text, file=self.path, fmt=self.fmt, options=options)
            self.lint_seconds = time.perf_counter() - began
            self._checked = (self._edits, ctx, LspIndex(self.text, self.encoding))
        return self._checked[1], self._checked[2]


# --------------------------------------------------------------------------- diagnostics


def _end_of(ctx: Context, d: Diagnostic, start: int) -> int:
    """The end of what ``d`` blames: the key or the value at its path, else the token at its position."""
    path = ctx.path_of(d)
    text = ctx.text
    key = ctx.key_span(path)
    if key is not None and key[0] == start:
        return key[1]
    if ctx.value_start(path) == start:
        span = ctx.value_span(path)
        if span is not None and span[1] > start:
            return span[1]
        # A block mapping or list: its first line, without a trailing comment.
        end = ctx.index.line_end(start)
        comment = text.find(" #", start, end)
        return (comment if comment >= 0 else end) if end > start else start
    m = fixes._TOKEN.match(text, start)
    if m is not None:
        return m.end()
    return min(start + 1, ctx.index.line_end(start))


def _help(code: str) -> str:
    from .reporters import INFORMATION_URI

    return f"{INFORMATION_URI}/blob/main/docs/rules.md#{code.lower()}"


def lsp_diagnostics(ctx: Context, index: LspIndex) -> list[T.Diagnostic]:
    """The check's findings as LSP diagnostics (the hint on a second line of the message)."""
    out: list[T.Diagnostic] = []
    for d in ctx.result.diagnostics:
        start = ctx.offset_of(d)
        if start is None:
            start = 0
        end = _end_of(ctx, d, start)
        message = d.message if not d.hint else f"{d.message}\nhint: {d.hint}"
        out.append(
            T.Diagnostic(
                range=index.range(start, end),
                message=message,
                severity=T.DiagnosticSeverity.Error if d.severity is Severity.ERROR else T.DiagnosticSeverity.Warning,
                code=d.code,
                code_description=T.CodeDescription(href=_help(d.code)),
                source="kerasspec",
                data={"path": d.path, "hint": d.hint},
            )
        )
    return out


# --------------------------------------------------------------------------- layers as written


@dataclass(frozen=True, slots=True)
class Written:
    """A layer where the spec writes it, with what the analysis found for it (all copies of a Repeat)."""

    path: KeyPath
    start: int
    end: int
    type_line_end: int  # where an end-of-line hint goes
    infos: tuple[tuple[Any, Shape], ...]  # (LayerInfo, its input shape), one per copy


def written_layers(ctx: Context) -> list[Written]:
    """Every layer the spec writes, in text order, with its analysis."""
    by_path: dict[KeyPath, list[tuple[Any, Shape]]] = {}
    shapes = ctx.result.shapes
    if shapes is not None:
        given = shapes.input_shape
        for info in shapes.layers:
            if given is not None:
                by_path.setdefault(tuple(info.path), []).append((info, given))
            given = info.output_shape
    _block_members(ctx, by_path)
    out: list[Written] = []
    for path in ctx.layer_paths():
        start, end = ctx.value_start(path), ctx.node_end(path)
        if start is None or end is None:
            continue
        if ctx.is_flow(path):
            anchor = end  # a flow mapping: right after its closing brace
        else:
            type_key = ctx.key_start((*path, "type"))
            anchor = ctx.index.line_end(type_key if type_key is not None else start)
        out.append(Written(path, start, end, anchor, tuple(by_path.get(path, ()))))
    return out


def _block_members(ctx: Context, by_path: dict[KeyPath, list[tuple[Any, Shape]]]) -> None:
    """Add the layers inside analysed Sequential blocks: Keras lists a block as one layer, so the
    analysis has one row for it; its members' shapes come from folding the block's input through
    their definitions, as the block's own shape rule does."""
    from .analysis import LayerInfo

    todo = [p for p in by_path if _is_block(get(ctx.data, p))]
    while todo:
        path = todo.pop()
        item = get(ctx.data, path)
        block_info, shape = by_path[path][0]
        block = _layer_object(item)
        frozen = block is not None and not block.trainable
        for j, sub in enumerate(item["layers"]):
            layer = _layer_object(sub)
            if layer is None:
                break
            try:
                out = layer.output_shape(shape)
                weights = layer.weights(shape)
            except Exception:  # the block's rule stopped here too; nothing to show past it
                break
            trainable = sum(w.size for w in weights if w.trainable and layer.trainable and not frozen)
            total = sum(w.size for w in weights)
            inner = (*path, "layers", j)
            name = sub.get("name") if isinstance(sub.get("name"), str) else _where(inner)
            by_path[inner] = [(LayerInfo(block_info.index, name, layer.kind, out, total, trainable, total - trainable,
                                         inner), shape)]
            if _is_block(sub):
                todo.append(inner)
            shape = out


def _is_block(item: Any) -> bool:
    return isinstance(item, dict) and item.get("type") == "Sequential" and isinstance(item.get("layers"), list)


def _where(path: KeyPath) -> str:
    """A path as messages write it: ``layers[0].layers[1]``, ``layers[2].layer``."""
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(path))


def _params(n: int) -> str:
    return f"{n:,} param{'s' * (n != 1)}"


def inlay_hints(ctx: Context, index: LspIndex, lo: int = 0, hi: int | None = None) -> list[T.InlayHint]:
    """Output shape and parameters at the end of each layer's ``type:`` line; the total on ``layers:``."""
    hi = len(ctx.text) if hi is None else hi
    hints: list[T.InlayHint] = []
    written = written_layers(ctx)
    for w in written:
        if not lo <= w.type_line_end <= hi:
            continue
        if not w.infos:
            # A Repeat block: what its copies add up to.
            analysed = {v.path for v in written if v.infos}
            inner = [i for v in written if len(v.path) > len(w.path) and v.path[: len(w.path)] == w.path
                     and not any(v.path[:k] in analysed for k in range(len(w.path) + 1, len(v.path)))
                     for i, _ in v.infos]
            if not inner:
                continue
            label = f"→ {fmt_shape(inner[-1].output_shape)} · {_params(sum(i.params for i in inner))} in {len(inner)} layers"
        else:
            last, _ = w.infos[-1]
            label = f"{fmt_shape(last.output_shape)} · {_params(last.params)}"
            if len(w.infos) > 1:
                counts = {i.params for i, _ in w.infos}
                label = f"×{len(w.infos)}: {label} each" if len(counts) == 1 else (
                    f"×{len(w.infos)}: {fmt_shape(last.output_shape)} · {_params(sum(i.params for i, _ in w.infos))} in all")
        hints.append(T.InlayHint(position=index.position(w.type_line_end), label=label,
                                 kind=T.InlayHintKind.Type, padding_left=True))
    shapes = ctx.result.shapes
    layers_key = ctx.key_start(("layers",))
    if shapes is not None and shapes.layers and layers_key is not None:
        at = ctx.index.line_end(layers_key)
        if ctx.is_flow(("layers",)) and ctx.index.line_end(ctx.value_start(("layers",)) or 0) == at:
            at = layers_key + len("layers")  # `layers: [...]` on one line: beside the key
        total = f"total {_params(shapes.total_params)}"
        if shapes.non_trainable_params:
            total += f" ({shapes.trainable_params:,} trainable)"
        total += f" → {fmt_shape(shapes.output_shape)}" if shapes.complete else " (analysis stopped at an error)"
        if lo <= at <= hi:
            hints.insert(0, T.InlayHint(position=index.position(at), label=total, kind=T.InlayHintKind.Type,
                                        padding_left=True))
    return hints


# --------------------------------------------------------------------------- hover


def _layer_object(item: Any) -> Any:
    """The validated layer definition of a written layer, or None."""
    from .layers import layer_class

    if not isinstance(item, dict) or not isinstance(item.get("type"), str):
        return None
    cls = layer_class(item["type"])
    if cls is None:
        return None
    try:
        return cls.model_validate(item)
    except ValueError:
        return None


def shape_rule(layer: Any, given: Shape, out: Shape) -> list[str]:
    """Per spatial axis, the arithmetic of a windowed layer (convolution, transposed convolution,
    pooling), read from its fields; nothing when the arithmetic does not reproduce the analysis."""
    fields_ = type(layer).model_fields
    window = "kernel_size" if "kernel_size" in fields_ else "pool_size" if "pool_size" in fields_ else None
    if window is None:
        return []
    kernel = getattr(layer, window, None)
    if not isinstance(kernel, tuple) or not all(isinstance(k, int) for k in kernel) or len(given) != len(kernel) + 2:
        return []
    n = len(kernel)
    strides = getattr(layer, "strides", None) or kernel
    dilation = getattr(layer, "dilation_rate", None) or (1,) * n
    padding = str(getattr(layer, "padding", "valid")).lower()
    output_padding = getattr(layer, "output_padding", None) if "output_padding" in fields_ else None
    transposed = "output_padding" in fields_
    if not (isinstance(strides, tuple) and isinstance(dilation, tuple) and len(strides) == len(dilation) == n):
        return []
    lines: list[str] = []
    for i, (ax, name) in enumerate(zip(spatial_axes(len(given), getattr(layer, "data_format", None)), axis_names(n), strict=True)):
        length, k, s, d = given[ax], kernel[i], strides[i], dilation[i]
        span = d * (k - 1) + 1
        spans = f" (kernel {k} dilated by {d} spans {span})" if d != 1 else ""
        if length is None:
            lines.append(f"{name}: unknown size stays unknown")
            continue
        if transposed:
            op = output_padding[i] if isinstance(output_padding, tuple) else None
            if padding == "valid":
                value = (length - 1) * s + (max(span, s) if op is None else span + op)
                rule = f"({length} - 1) × {s} + max({span}, {s})" if op is None else f"({length} - 1) × {s} + {span} + {op}"
            else:
                value = length * s if op is None else (length - 1) * s + span % 2 + op
                rule = f"{length} × {s}" if op is None else f"({length} - 1) × {s} + {span} mod 2 + {op}"
        elif padding == "valid":
            value = (length - span) // s + 1
            rule = f"floor(({length} - {span}) / {s}) + 1"
        else:  # same, causal
            value = math.ceil(length / s)
            rule = f"ceil({length} / {s})"
        if value != out[ax]:
            return []  # not this layer's rule: say nothing rather than something wrong
        lines.append(f"{name}, {padding.upper()}: {rule} = {value}{spans}")
    return lines


def _weights_text(layer: Any, given: Shape) -> str:
    try:
        weights = layer.weights(given)
    except Exception:  # the analysis already accepted this layer; a definition may still refuse here
        return ""
    parts = []
    for w in weights:
        frozen = "" if w.trainable and layer.trainable else ", non-trainable"
        parts.append(f"{w.name} {fmt_shape(w.shape)} = {w.size:,}{frozen}")
    return "; ".join(parts)


def layer_hover(ctx: Context, w: Written) -> str:
    item = get(ctx.data, w.path)
    kind = item.get("type") if isinstance(item, dict) else None
    layer = _layer_object(item)
    where = _where(w.path)
    keras_class = getattr(layer, "keras_class", None) or kind
    if not w.infos:
        lines = [f"**{where}** · `{kind}`" + (f" (keras.layers.{keras_class})" if keras_class else "")]
        if layer is not None and type(layer).__doc__:
            lines.append(type(layer).__doc__.strip().splitlines()[0])
        if w.path[-1] in ("layer", "backward_layer"):
            lines.append(f"_Wrapped by `{_where(w.path[:-1])}`: the wrapper's shapes and parameters include it._")
        elif layer is not None and layer.SPEC_CONSTRUCT:
            lines.append("_A spec construct, not a Keras class: its layers are written out in its place._")
        else:
            lines.append("_Not analysed: an error in this layer or before it stops the shape analysis._")
        return "\n\n".join(lines)
    info, given = w.infos[0]
    head = f"**{info.name}** · `{info.type}` (keras.layers.{keras_class})"
    lines = [head if info.name == where else f"{head} · {where}"]
    if w.path[-2:-1] == ("layers",) and len(w.path) > 2 and _is_block(get(ctx.data, w.path[:-2])):
        lines.append(f"inside the Sequential block `{_where(w.path[:-2])}` (one row in `model.summary()`)")
    if len(w.infos) > 1:
        lines.append(f"{len(w.infos)} copies (Repeat); the first one:")
    lines.append(f"input `{fmt_shape(given)}` → output **`{fmt_shape(info.output_shape)}`**")
    rule = shape_rule(layer, given, info.output_shape) if layer is not None else []
    if rule:
        lines.append("\n".join(f"- {r}" for r in rule))
    params = f"params **{info.params:,}**"
    if info.non_trainable_params:
        params += f" ({info.trainable_params:,} trainable, {info.non_trainable_params:,} non-trainable)"
    weights = _weights_text(layer, given) if layer is not None else ""
    lines.append(params + (f": {weights}" if weights else ""))
    return "\n\n".join(lines)


@functools.cache
def _rules_doc() -> dict[str, str]:
    """``docs/rules.md``'s sections by code, when the documentation is beside the package (a checkout)."""
    doc = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    try:
        text = doc.read_text(encoding="utf-8")
    except OSError:
        return {}
    out: dict[str, str] = {}
    for m in re.finditer(r"^## (KS\d{3}) [^\n]*\n(.*?)(?=^<a id=|^## |\Z)", text, re.M | re.S):
        keep = [p.strip() for p in m.group(2).split("\n\n") if p.strip().startswith(("**What", "**Why", "**Fix"))]
        out[m.group(1)] = "\n\n".join(keep)
    return out


def rule_hover(code: str) -> str | None:
    rule = RULES.get(code)
    if rule is None:
        return None
    head = f"**{code} {rule.name}** ({rule.severity.value}): {rule.summary}"
    doc = _rules_doc().get(code)
    return f"{head}\n\n{doc}\n\n[{code} in docs/rules.md]({_help(code)})" if doc else f"{head}\n\n[{code}]({_help(code)})"


def _field_doc(ctx: Context, path: KeyPath) -> str | None:
    """The description and default of the field written at ``path``, from the schema."""
    found = schema_at(ctx.data, path)
    if not found:
        return None
    node, defs = found[0]
    node = _deref(node, defs)
    description = node.get("description") or _describe_any(node, defs)
    lines = [f"`{path[-1]}`" + (f": {description}" if description else "")]
    if "default" in node:
        lines.append(f"Keras default: `{fixes.render(node['default'], 'yaml')}`")
    return "\n\n".join(lines)


def _describe_any(node: dict[str, Any], defs: dict[str, Any]) -> str:
    for b in _branches(node, defs):
        if b.get("description"):
            return str(b["description"])
    return ""


def hover_text(ctx: Context, offset: int, lsp: list[T.Diagnostic], index: LspIndex) -> str | None:
    """What to show for a hover at ``offset``."""
    text = ctx.text
    parts: list[str] = []
    for m in re.finditer(r"KS\d{3}", text[max(offset - 5, 0) : offset + 5]):
        start = max(offset - 5, 0) + m.start()
        if start <= offset <= start + 5:
            doc = rule_hover(m.group())
            if doc:
                return doc
    pos = index.position(offset)
    for d in lsp:
        r = d.range
        if (r.start.line, r.start.character) <= (pos.line, pos.character) <= (r.end.line, r.end.character):
            doc = rule_hover(str(d.code))
            if doc and doc not in parts:
                parts.append(doc)
    def holds(w: Written) -> bool:
        if w.start <= offset <= w.end:
            return True
        line = ctx.index.line_start(w.start)  # the `- ` before a list item counts as the item
        return line <= offset < w.start and not text[line:offset].strip(" \t-")

    inner = max((w for w in written_layers(ctx) if holds(w)), key=lambda w: len(w.path), default=None)
    key = _key_at(ctx, offset)
    if key is not None and (inner is None or key[:-1] != inner.path or key[-1] != "type"):
        doc = _field_doc(ctx, key)
        if doc:
            parts.append(doc)
    if inner is not None:
        parts.append(layer_hover(ctx, inner))
    return "\n\n---\n\n".join(parts) if parts else None


def _key_at(ctx: Context, offset: int) -> KeyPath | None:
    """The mapping key written at ``offset`` (or whose value's first line holds it)."""
    best: KeyPath | None = None
    for path in ctx.doc.key_positions:
        span = ctx.key_span(path)
        if span is None:
            continue
        if span[0] <= offset <= span[1]:
            return path
        start = ctx.value_start(path)
        value = get(ctx.data, path)
        if start is not None and not isinstance(value, dict | list) and span[0] <= offset <= (ctx.value_span(path) or (0, -1))[1]:
            best = path
    return best


# --------------------------------------------------------------------------- the schema


def _deref(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        node = defs.get(str(node["$ref"]).rsplit("/", 1)[-1], {})
        seen += 1
    return node if isinstance(node, dict) else {}


def _branches(node: dict[str, Any], defs: dict[str, Any], depth: int = 0) -> list[dict[str, Any]]:
    node = _deref(node, defs)
    subs = node.get("anyOf") or node.get("oneOf")
    if not subs or depth > 8:
        return [node]
    out: list[dict[str, Any]] = []
    for sub in subs:
        out += _branches(sub, defs, depth + 1)
    return out


@functools.cache
def _model_schema(model: type) -> tuple[dict[str, Any], dict[str, Any]]:
    from .schema import FIELD_DOCS

    schema = model.model_json_schema(by_alias=True, mode="validation")  # type: ignore[attr-defined]
    defs = schema.get("$defs", {})
    for definition in (schema, *defs.values()):
        for name, prop in definition.get("properties", {}).items():
            if "description" not in prop and name in FIELD_DOCS:
                prop["description"] = FIELD_DOCS[name]
    return schema, defs


def _layer_schema(value: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    from .layers import layer_class

    kind = value.get("type") if isinstance(value, dict) else None
    cls = layer_class(kind) if isinstance(kind, str) else None
    return None if cls is None else _model_schema(cls)


def _allows(node: dict[str, Any], value: Any) -> bool:
    if "const" in node:
        return node["const"] == value
    if "enum" in node:
        return value in node["enum"]
    return True


def _object_branches(node: dict[str, Any], defs: dict[str, Any], value: Any) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The mapping schemas ``value`` may be, picked by its ``type`` where it has one; layers by their class."""
    from .layers.base import LAYER_REF

    out: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for b in _branches(node, defs):
        if b.get(LAYER_REF):
            found = _layer_schema(value)
            if found is not None:
                out.append((found[0], found[1]))
            else:
                out.append(({"properties": {"type": {"description": "The Keras layer class."}}}, {}))
            continue
        if "properties" not in b:
            continue
        kind = value.get("type") if isinstance(value, dict) else None
        type_node = b["properties"].get("type")
        if kind is not None and type_node is not None and not any(_allows(t, kind) for t in _branches(type_node, defs)):
            continue
        out.append((b, defs))
    return out


def schema_at(data: Any, path: KeyPath) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The schema nodes (with their ``$defs``) that describe the value at ``path``."""
    from .spec import Spec

    nodes = [_model_schema(Spec)]
    for i, part in enumerate(path):
        here = get(data, path[:i])
        found: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for node, defs in nodes:
            if isinstance(part, int):
                for b in _branches(node, defs):
                    if "items" in b:
                        found.append((b["items"], defs))
            else:
                for b, bdefs in _object_branches(node, defs, here):
                    prop = b.get("properties", {}).get(part)
                    if prop is not None:
                        found.append((prop, bdefs))
        nodes = found
        if not nodes:
            break
    return nodes


# --------------------------------------------------------------------------- completion

_HOLE = "kerasspec_complete_here"
_WORD = re.compile(r"[\w$.\-]*$")


def _is_layer_path(path: KeyPath) -> bool:
    if not path or path[0] != "layers":
        return False
    return (len(path) >= 2 and isinstance(path[-1], int) and path[-2] == "layers") or path[-1] in ("layer", "backward_layer")


def _find_hole(data: Any) -> tuple[KeyPath, str] | None:
    """Where the placeholder landed: ("key", path of its mapping) or ("value", path of the value)."""
    stack: list[tuple[KeyPath, Any]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                if k == _HOLE:
                    return path, "key"
                stack.append(((*path, k), v))
        elif isinstance(node, list):
            stack += [((*path, i), v) for i, v in enumerate(node)]
        elif node == _HOLE:
            return path, "value"
    return None


def _context_at(ctx: Context, offset: int) -> tuple[KeyPath, str, int, int, str, Any] | None:
    """(path, "key" | "value", word start, word end, quote, data) for a completion at ``offset``.

    The word being typed is replaced by a placeholder and the text read again: where the
    placeholder lands says whether a key or a value is being written, and for which path.
    """
    text = ctx.text
    line_start = ctx.index.line_start(offset)
    before = text[line_start:offset]
    m = _WORD.search(before)
    start = offset - (len(m.group()) if m else 0)
    end = offset
    while end < len(text) and (text[end].isalnum() or text[end] in "_$.-"):
        end += 1
    quote = text[start - 1] if start > 0 and text[start - 1] in "\"'" else ""
    q_start, q_end = start - len(quote), end + (1 if quote and text.startswith(quote, end) else 0)
    head = text[line_start:q_start]
    stripped = head.rstrip()
    tail = text[q_end : ctx.index.line_end(offset)]
    attempts: list[str] = []
    bare = stripped.strip()
    if bare.endswith((":", "[", ",")) or bare == "-" or bare.endswith(" -"):
        attempts.append(f'"{_HOLE}"')
    if not stripped.endswith(":"):
        attempts.append(f'"{_HOLE}": null' if ctx.fmt == "json" or stripped.endswith(("{", ",")) else f"{_HOLE}: null")
    if not attempts:
        return None
    for filler in attempts:
        if stripped.endswith(":") and not head.endswith((" ", "\t")):
            filler = " " + filler  # `key:|` in YAML: a value needs the space
        if tail.lstrip().startswith(":") and filler.endswith("null"):
            filler = filler[: -len(": null")]  # the key's colon is already written
        probe = text[:q_start] + filler + text[q_end:]
        doc = fixes.loader.load_text(probe, fmt=ctx.fmt, limits=ctx.options.limits)
        if doc.data is None:
            continue
        found = _find_hole(doc.data)
        if found is not None:
            path, kind = found
            return path, kind, start, end, quote, doc.data
    return None


def _values(node: dict[str, Any], defs: dict[str, Any]) -> tuple[list[Any], Any]:
    """The enum values a schema node allows, and its default."""
    values: list[Any] = []
    for b in _branches(node, defs):
        if "enum" in b:
            values += [v for v in b["enum"] if v not in values]
        elif "const" in b and b["const"] not in values:
            values.append(b["const"])
        elif b.get("type") == "boolean":
            values += [v for v in (True, False) if v not in values]
        elif "properties" in b and "type" in b["properties"]:
            for t in _branches(b["properties"]["type"], defs):
                values += [v for v in t.get("enum", [t.get("const")]) if v is not None and v not in values]
    return values, _deref(node, defs).get("default", _NO_DEFAULT)


_NO_DEFAULT: Any = object()


@functools.cache
def _layer_types() -> tuple[tuple[str, str, str], ...]:
    """(spelling, canonical class, first line of its docstring) for every layer type."""
    from .layers import TYPE_SPELLINGS, layer_class

    out = []
    for t in TYPE_SPELLINGS:
        try:
            cls = layer_class(t)
        except Exception:  # a family module another change left broken: still offer the name
            cls = None
        doc = (cls.__doc__ or "").strip().splitlines()[0] if cls is not None and cls.__doc__ else ""
        out.append((t, cls.TYPES[0] if cls is not None else t, doc))
    return tuple(out)


def completions(ctx: Context, offset: int, index: LspIndex) -> list[T.CompletionItem]:
    found = _context_at(ctx, offset)
    if found is None:
        return []
    path, kind, start, end, quote, data = found
    rng = index.range(start, end)
    style = "json" if ctx.fmt == "json" or quote == '"' else "yaml"
    items: list[T.CompletionItem] = []

    def value_item(v: Any, detail: str, doc: str = "", sort: str = "1") -> T.CompletionItem:
        shown = fixes.render(v, "yaml") if not isinstance(v, str) else v
        new = shown if quote or not isinstance(v, str) else fixes.render(v, style)
        return T.CompletionItem(label=shown, kind=T.CompletionItemKind.EnumMember if isinstance(v, str) else T.CompletionItemKind.Value,
                                detail=detail or None, documentation=doc or None, sort_text=f"{sort}{shown}",
                                text_edit=T.TextEdit(range=rng, new_text=new))

    if kind == "value" and path and path[-1] == "type" and _is_layer_path(path[:-1]):
        for spelling, canonical, doc in _layer_types():
            alias = spelling != canonical
            items.append(value_item(spelling, f"alias of {canonical}" if alias else "layer", doc, "2" if alias else "1"))
        return items
    if kind == "value":
        if isinstance(path[-1], int) and _is_layer_path(path):
            for spelling, canonical, _doc in _layer_types():
                if spelling == canonical:
                    items.append(T.CompletionItem(label=f"type: {spelling}", kind=T.CompletionItemKind.Class,
                                                  text_edit=T.TextEdit(range=rng, new_text=f"type: {spelling}")))
            return items
        seen: set[str] = set()
        for node, defs in schema_at(data, path):
            values, default = _values(node, defs)
            for v in values:
                label = fixes.render(v, "yaml") if not isinstance(v, str) else v
                if label in seen:
                    continue
                seen.add(label)
                is_default = default is not _NO_DEFAULT and default == v
                items.append(value_item(v, "Keras default" if is_default else "", sort="0" if is_default else "1"))
        return items
    # A key of the mapping at `path`.
    mapping = get(data, path)
    present = set(mapping) - {_HOLE} if isinstance(mapping, dict) else set()
    if _is_layer_path(path) and not (isinstance(mapping, dict) and isinstance(mapping.get("type"), str)):
        return [T.CompletionItem(label="type", kind=T.CompletionItemKind.Property, detail="the Keras layer class",
                                 text_edit=T.TextEdit(range=rng, new_text="type" if quote else ("type: " if style == "yaml" else '"type": ')))]
    for node, defs in schema_at(data, path):
        for b, _bdefs in _object_branches(node, defs, mapping):
            required = set(b.get("required", ()))
            for name, prop in b.get("properties", {}).items():
                if name in present or name == "$schema" or any(i.label == name for i in items):
                    continue
                prop = _deref(prop, _bdefs)
                default = prop.get("default", _NO_DEFAULT)
                detail = "required" if name in required else (
                    f"default: {fixes.render(default, 'yaml')}" if default is not _NO_DEFAULT else "")
                new = name if quote else (f"{name}: " if style == "yaml" else f'"{name}": ')
                items.append(T.CompletionItem(
                    label=name, kind=T.CompletionItemKind.Property, detail=detail or None,
                    documentation=prop.get("description") or _describe_any(prop, _bdefs) or None,
                    sort_text=("0" if name in required else "1") + name, text_edit=T.TextEdit(range=rng, new_text=new)))
    return items


# --------------------------------------------------------------------------- code actions and symbols


#: Quick fixes verified per code-action request at most.
MAX_VERIFIED = 20

#: "Fix all" under its own name, as ruff's `source.fixAll.ruff`: `codeActionsOnSave` can pick it.
FIX_ALL = f"{T.CodeActionKind.SourceFixAll.value}.kerasspec"


def _text_edits(fix: fixes.Fix, index: LspIndex) -> list[T.TextEdit]:
    return [T.TextEdit(range=index.range(e.start, e.end), new_text=e.text) for e in fix.edits]


def _overlaps(a: T.Range, b: T.Range) -> bool:
    return (a.start.line, a.start.character) <= (b.end.line, b.end.character) and (
        b.start.line, b.start.character) <= (a.end.line, a.end.character)


def code_actions(ctx: Context, index: LspIndex, uri: str, rng: T.Range, lsp: list[T.Diagnostic]) -> list[T.CodeAction]:
    """Verified fixes of the findings under ``rng``, safe ones first and preferred; "fix all" when any safe fix exists."""
    actions: list[T.CodeAction] = []
    verified = 0
    for d, ld in zip(ctx.result.diagnostics, lsp, strict=True):
        if not _overlaps(ld.range, rng):
            continue
        for fix in fixes.candidates(ctx, diagnostic=d):
            # Each verification checks the whole spec again: a request over a whole document
            # full of findings gets the first few, "fix all" does the rest.
            if verified >= MAX_VERIFIED:
                break
            verified += 1
            if fixes.verify(ctx, fix) is None:
                continue
            title = f"{fix.title} ({d.code})" + ("" if fix.safe else " [unsafe]")
            actions.append(T.CodeAction(title=title, kind=T.CodeActionKind.QuickFix, diagnostics=[ld],
                                        is_preferred=fix.safe or None,
                                        edit=T.WorkspaceEdit(changes={uri: _text_edits(fix, index)})))
    actions.sort(key=lambda a: not a.is_preferred)
    if any(f.safe for f in fixes.candidates(ctx, unsafe=False)):
        actions.append(T.CodeAction(title="Fix all safe kerasspec findings", kind=FIX_ALL, data={"uri": uri}))
    return actions


def fix_all_edit(ctx: Context, index: LspIndex, uri: str) -> T.WorkspaceEdit | None:
    """One edit that applies every safe fix (the changed span only, so the cursor stays put)."""
    outcome = fixes.fix_text(ctx.text, file=ctx.doc.file, fmt=ctx.fmt, options=ctx.options)
    if not outcome.changed:
        return None
    old, new = ctx.text, outcome.text
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    edit = T.TextEdit(range=index.range(head, len(old) - tail), new_text=new[head : len(new) - tail])
    return T.WorkspaceEdit(changes={uri: [edit]})


def document_symbols(ctx: Context, index: LspIndex) -> list[T.DocumentSymbol]:
    """The spec's sections, and its layers (with nested blocks) as an outline."""
    by_path = {w.path: w for w in written_layers(ctx)}

    # Each layer's parent is the nearest layer its path runs through (a block, a wrapper).
    children_of: dict[KeyPath | None, list[KeyPath]] = {}
    for path in by_path:
        parent = next((path[:k] for k in range(len(path) - 1, 0, -1) if path[:k] in by_path), None)
        children_of.setdefault(parent, []).append(path)

    def layer_symbol(path: KeyPath) -> T.DocumentSymbol:
        w = by_path[path]
        item = get(ctx.data, path)
        kind = item.get("type") if isinstance(item, dict) else None
        if w.infos:
            name = w.infos[0][0].name
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            name = item["name"]
        else:
            name = _where(path)
        detail = str(kind) if kind is not None else ""
        if w.infos:
            info = w.infos[-1][0]
            detail += f" → {fmt_shape(info.output_shape)}, {_params(info.params)}"
        sel = ctx.value_span((*path, "type")) or (w.start, w.start)
        children = [layer_symbol(p) for p in children_of.get(path, [])]
        return T.DocumentSymbol(name=str(name) or "?", detail=detail, kind=T.SymbolKind.Class,
                                range=index.range(w.start, w.end), selection_range=index.range(*sel),
                                children=children or None)

    symbols: list[T.DocumentSymbol] = []
    if not isinstance(ctx.data, dict):
        return symbols
    for key in ctx.data:
        ks = ctx.key_start((key,))
        end = ctx.node_end((key,))
        if ks is None or end is None:
            continue
        children: list[T.DocumentSymbol] = []
        if key == "layers" and isinstance(ctx.data[key], list):
            children = [layer_symbol(p) for p in children_of.get(None, [])]
        kind = {"layers": T.SymbolKind.Array, "compile": T.SymbolKind.Module, "fit": T.SymbolKind.Module,
                "data": T.SymbolKind.Module}.get(key, T.SymbolKind.Property)
        detail = f"{len(children)} layers" if key == "layers" else ""
        symbols.append(T.DocumentSymbol(name=key, detail=detail, kind=kind, range=index.range(ks, max(end, ks)),
                                        selection_range=index.range(ks, ks + len(key)), children=children or None))
    return symbols


# --------------------------------------------------------------------------- the server

R = TypeVar("R")


class KerasspecServer:
    """The documents a client has open, and the handlers that answer for them."""

    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self.docs: dict[str, DocumentState] = {}
        self.options = api.Options(spaces=True)  # a spec with search spaces is checked as a space
        self.debounce: float | None = None  # seconds; None: adaptive
        self._pending: dict[str, asyncio.TimerHandle] = {}

    # ---- plumbing -------------------------------------------------------------

    def log(self, message: str, level: T.MessageType = T.MessageType.Log) -> None:
        try:
            self.server.window_log_message(T.LogMessageParams(type=level, message=message))
        except Exception:  # no client to tell (tests, a closed pipe): the log file has it
            log.warning("%s", message)

    def guarded(self, default: Callable[[], R]) -> Callable[[Callable[..., R]], Callable[..., R]]:
        """Run a handler; on any error, log it and answer ``default()``: the server never goes down."""

        def wrap(fn: Callable[..., R]) -> Callable[..., R]:
            @functools.wraps(fn)
            def run(*args: Any) -> R:
                try:
                    return fn(*args)
                except Exception as exc:  # a bug must cost one answer, not the session
                    log.exception("kerasspec lsp: %s failed", fn.__name__)
                    self.log(f"kerasspec: {fn.__name__} failed: {type(exc).__name__}: {exc}", T.MessageType.Error)
                    return default()

            return run

        return wrap

    def state(self, uri: str) -> tuple[DocumentState, Context, LspIndex] | None:
        doc = self.docs.get(uri)
        if doc is None:
            return None
        ctx, index = doc.checked(self.options)
        return doc, ctx, index

    # ---- linting --------------------------------------------------------------

    def schedule(self, uri: str, *, now: bool = False) -> None:
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        doc = self.docs.get(uri)
        if doc is None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # called outside the server's loop
            self.publish(uri)
            return
        # Leading and trailing edge: a change after a quiet spell is checked at once (changes
        # already read with it are coalesced, as the loop handles them first); changes that
        # follow closely wait until none has come for a while, as long as about two checks.
        window = self.debounce if self.debounce is not None else min(max(2 * doc.lint_seconds, 0.01), 0.25)
        quiet = loop.time() - doc.published_at >= window
        self._pending[uri] = loop.call_later(0.0 if now or quiet else window, self.publish, uri)

    def publish(self, uri: str) -> None:
        self._pending.pop(uri, None)
        found = self.state(uri)
        if found is None:
            return
        doc, ctx, index = found
        self.server.text_document_publish_diagnostics(
            T.PublishDiagnosticsParams(uri=uri, version=doc.version, diagnostics=lsp_diagnostics(ctx, index))
        )
        with contextlib.suppress(RuntimeError):  # outside the loop (tests): no debounce to time
            doc.published_at = asyncio.get_running_loop().time()


def create_server() -> LanguageServer:
    """The language server, its handlers registered (``serve`` runs it over stdio)."""
    server = LanguageServer("kerasspec", __version__, text_document_sync_kind=T.TextDocumentSyncKind.Incremental)
    ks = KerasspecServer(server)
    server.kerasspec = ks  # type: ignore[attr-defined]  # for tests and embedders

    def encoding() -> str:
        try:
            return str(server.workspace.position_encoding or "utf-16")
        except Exception:  # before initialize
            return "utf-16"

    @server.feature(T.INITIALIZED)
    @ks.guarded(lambda: None)
    def initialized(params: T.InitializedParams) -> None:
        opts = getattr(server, "_kerasspec_init_options", None) or {}
        if isinstance(opts, dict) and isinstance(opts.get("debounce_ms"), int | float) and opts["debounce_ms"] >= 0:
            ks.debounce = float(opts["debounce_ms"]) / 1000

    @server.feature(T.INITIALIZE)
    @ks.guarded(lambda: None)
    def initialize(params: T.InitializeParams) -> None:
        server._kerasspec_init_options = params.initialization_options  # type: ignore[attr-defined]

    @server.feature(T.TEXT_DOCUMENT_DID_OPEN)
    @ks.guarded(lambda: None)
    def did_open(params: T.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        ks.docs[item.uri] = DocumentState(item.uri, item.text, item.version, item.language_id, encoding())
        ks.schedule(item.uri, now=True)

    @server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
    @ks.guarded(lambda: None)
    def did_change(params: T.DidChangeTextDocumentParams) -> None:
        doc = ks.docs.get(params.text_document.uri)
        if doc is None:
            return
        doc.change(list(params.content_changes), params.text_document.version)
        ks.schedule(doc.uri)

    @server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
    @ks.guarded(lambda: None)
    def did_close(params: T.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        pending = ks._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        if ks.docs.pop(uri, None) is not None:
            server.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(T.TEXT_DOCUMENT_INLAY_HINT, T.InlayHintOptions(resolve_provider=False))
    @ks.guarded(list)
    def inlay_hint(params: T.InlayHintParams) -> list[T.InlayHint]:
        found = ks.state(params.text_document.uri)
        if found is None:
            return []
        _, ctx, index = found
        lo, hi = index.offset(params.range.start), index.offset(params.range.end)
        return inlay_hints(ctx, index, index.starts[index.position(lo).line], index.line_end_offset(hi))

    @server.feature(T.TEXT_DOCUMENT_HOVER)
    @ks.guarded(lambda: None)
    def hover(params: T.HoverParams) -> T.Hover | None:
        found = ks.state(params.text_document.uri)
        if found is None:
            return None
        _, ctx, index = found
        text = hover_text(ctx, index.offset(params.position), lsp_diagnostics(ctx, index), index)
        return None if text is None else T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value=text))

    @server.feature(T.TEXT_DOCUMENT_COMPLETION, T.CompletionOptions(trigger_characters=[":", " ", "-", '"', "{", ","]))
    @ks.guarded(lambda: None)
    def completion(params: T.CompletionParams) -> T.CompletionList | None:
        found = ks.state(params.text_document.uri)
        if found is None:
            return None
        _, ctx, index = found
        return T.CompletionList(is_incomplete=False, items=completions(ctx, index.offset(params.position), index))

    @server.feature(
        T.TEXT_DOCUMENT_CODE_ACTION,
        T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=True),
    )
    @ks.guarded(list)
    def code_action(params: T.CodeActionParams) -> list[T.CodeAction]:
        uri = params.text_document.uri
        found = ks.state(uri)
        if found is None:
            return []
        _, ctx, index = found
        actions = code_actions(ctx, index, uri, params.range, lsp_diagnostics(ctx, index))
        only = params.context.only
        if only:
            def name(kind: Any) -> str:
                return str(getattr(kind, "value", kind))

            actions = [a for a in actions if a.kind is not None and any(name(a.kind).startswith(name(k)) for k in only)]
        if not _resolves(server):
            for a in actions:
                if a.edit is None:
                    a.edit = fix_all_edit(ctx, index, uri)
        return actions

    @server.feature(T.CODE_ACTION_RESOLVE)
    @ks.guarded(lambda: None)
    def code_action_resolve(action: T.CodeAction) -> T.CodeAction:
        uri = action.data.get("uri") if isinstance(action.data, dict) else None
        found = ks.state(uri) if isinstance(uri, str) else None
        if found is not None and action.edit is None:
            _, ctx, index = found
            action.edit = fix_all_edit(ctx, index, uri)  # type: ignore[arg-type]
        return action

    @server.feature(T.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @ks.guarded(list)
    def document_symbol(params: T.DocumentSymbolParams) -> list[T.DocumentSymbol]:
        found = ks.state(params.text_document.uri)
        if found is None:
            return []
        _, ctx, index = found
        return document_symbols(ctx, index)

    return server


def _resolves(server: LanguageServer) -> bool:
    """Whether the client resolves a code action's edit lazily (else "fix all" is computed up front)."""
    try:
        support = server.client_capabilities.text_document.code_action.resolve_support  # type: ignore[union-attr]
    except AttributeError:
        return False
    return support is not None and "edit" in (support.properties or [])


def serve() -> None:
    """Run the server over stdin/stdout until the client says exit."""
    logging.basicConfig(level=logging.WARNING, format="kerasspec lsp: %(message)s")
    create_server().start_io()

