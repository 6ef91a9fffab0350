"""The library calls: the pipeline load -> validate -> analyse, and its entry points.

Nothing here imports TensorFlow. ``build_model`` and ``train`` live in
``kerasspec.build`` and ``kerasspec.train`` and import Keras when called.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import loader
from .analysis import ShapeAnalysis, analyse_shapes
from .datafiles import resolve
from .diagnostics import Diagnostic, SpecError, has_errors, parse_pointer, sort_key
from .loader import Document, Limits
from .semantics import Budget, check_semantics, tune_problems
from .spec import Data, Spec
from .summary import Summary
from .validate import validate

Source = str | os.PathLike[str] | bytes | dict[str, Any] | Document


class KerasMissing(ImportError):
    """A call that runs Keras, on an install without it (``pip install -e .`` alone, without the `tf-cpu` extra)."""


@dataclass(frozen=True, slots=True)
class Options:
    """Settings of a check. ``data`` stands in for a spec without its own ``data`` section.

    ``spaces``: a document holding search spaces (``{choice: [...]}``...) is analysed as a
    space (``check``, ``summary``); without it such a document is refused (KS214), for a
    caller that needs one model (``build``, ``train``, ``load_spec``).
    """

    budget: Budget = Budget()
    limits: Limits = Limits()
    data: Data | None = None
    spaces: bool = False


@dataclass
class Result:
    """Everything the pipeline learnt about one source."""

    document: Document
    spec: Spec | None = None
    shapes: ShapeAnalysis | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: The analysis of the document's search spaces (a kerasspec.space.SpaceAnalysis), if it has any.
    space: Any = None

    @property
    def ok(self) -> bool:
        return self.spec is not None and not has_errors(self.diagnostics)


def read(source: Source, *, limits: Limits = Limits()) -> Document:
    """Load a path, YAML/JSON text, bytes or a dict. Raises OSError for a file that cannot be read."""
    if isinstance(source, Document):
        return source
    if isinstance(source, dict):
        return loader.from_object(source, limits=limits)
    if isinstance(source, bytes):
        return loader.load_text(source, limits=limits)
    if isinstance(source, os.PathLike):
        return loader.load_path(source, limits=limits)
    if isinstance(source, str):
        if _looks_like_path(source):
            return loader.load_path(source, limits=limits)
        return loader.load_text(source, limits=limits)
    raise TypeError(f"a spec source is a path, text, bytes or a dict, not {type(source).__name__}")


def _looks_like_path(text: str) -> bool:
    if "\n" in text or not text.strip() or ": " in text or text.lstrip().startswith(("{", "[", "#", "- ")):
        return False  # YAML or JSON text, even on one line
    if text.endswith((".yaml", ".yml", ".json")):
        return True
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # a name too long for the file system, say: text, not a path
        return False


#: The first layer's fields that give the model's input shape.
_INPUT_FIELDS = frozenset({"input_shape", "input_dim", "batch_input_shape", "shape", "batch_shape"})


def run(source: Source, options: Options = Options()) -> Result:
    """Load, validate and analyse; collect every diagnostic with its position."""
    doc = read(source, limits=options.limits)
    result = Result(doc, diagnostics=list(doc.diagnostics))
    if doc.data is None and has_errors(doc.diagnostics):
        return result
    if doc.holds_spaces():
        from . import space  # only for a spec with spaces: a plain check never imports it

        return space.run(doc, options, result)
    validated = validate(doc)
    result.diagnostics += validated.diagnostics
    spec = validated.spec
    if spec is None:
        return result
    result.spec = spec if validated.valid else None
    found: list[Diagnostic] = []
    if validated.layers_valid:
        # An input shape the first layer writes but validation refused (`input_shape: 784`) is
        # reported there; the analysis does not also call it missing (KS301).
        refused = validated.degraded.get(("layers", 0), frozenset())
        result.shapes = analyse_shapes(spec, input_written=bool(refused & _INPUT_FIELDS))
        found += result.shapes.diagnostics
        if not validated.compile_valid:
            spec = spec.model_copy(update={"compile": None})
        data = options.data or spec.data
        if data is not None and doc.file is not None:
            data = data.model_copy(update={"dataset": resolve(data.dataset, doc.file)})
        if validated.data_valid:
            last = ("layers", len(spec.layers) - 1)
            found += check_semantics(
                spec, result.shapes, data=data, budget=options.budget, degraded=validated.degraded.get(last, frozenset())
            )
        if spec.tune is not None and validated.compile_valid:
            # A `tune` section on a spec without spaces yet: its objective is checked all the same.
            found += tune_problems(spec, doc.data.get("tune") if isinstance(doc.data, dict) else None)
    result.diagnostics += [_locate(d, doc) for d in found]
    result.diagnostics.sort(key=sort_key)
    return result


def _path_in(data: Any, ptr: str) -> tuple[str | int, ...]:
    """A pointer's parts as the document's keys: digits index lists but stay strings for mappings."""
    out: list[str | int] = []
    node = data
    for part in parse_pointer(ptr):
        if isinstance(node, dict):
            key = str(part)
            out.append(key)
            node = node.get(key)
        else:
            out.append(part)
            node = node[part] if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node) else None
    return tuple(out)


def _locate(d: Diagnostic, doc: Document) -> Diagnostic:
    pos = doc.position(_path_in(doc.data, d.path))
    return replace(
        d,
        line=pos.line if pos else d.line,
        column=pos.column if pos else d.column,
        file=doc.file,
    )


def check(source: Source, options: Options = Options()) -> list[Diagnostic]:
    """Every problem in a spec, errors and warnings. Never raises for a bad spec.

    A spec with search spaces is checked as a whole space (:mod:`kerasspec.space`).
    """
    return run(source, replace(options, spaces=True)).diagnostics


def load_spec(source: Source, options: Options = Options()) -> Spec:
    """A validated, analysed spec; raises :class:`SpecError` listing every error."""
    result = run(source, options)
    if not result.ok:
        raise SpecError(result.diagnostics)
    assert result.spec is not None
    return result.spec


def summarize(source: Source, options: Options = Options()) -> Summary:
    """The static summary (layer names, output shapes, parameter counts); SpecError if the spec has errors.

    For a spec with search spaces: a :class:`kerasspec.space.SpaceSummary`, the table of its
    smallest valid combination with the space's counts and parameter range.
    """
    result = run(source, replace(options, spaces=True))
    if result.space is not None and not has_errors(result.diagnostics):
        return result.space.summary()  # type: ignore[no-any-return]
    # Training-semantics findings do not make the layer table wrong; invalid layers do, and so
    # does a file that is not what it seems (duplicate keys, NaN, several documents: KS1xx).
    misread = any(d.code.startswith("KS1") and d.severity == "error" for d in result.diagnostics)
    if misread or result.spec is None or result.shapes is None or not result.shapes.complete:
        raise SpecError(result.diagnostics)
    return Summary.from_analysis(result.shapes, result.spec.name)
