"""Diagnostics: the one record every stage reports problems with.

A diagnostic is a small frozen value. Stages collect them and never print;
reporters (``kerasspec.reporters``) turn them into text, JSON, SARIF or
GitHub annotations. Every code lives in :data:`RULES`, and ``docs/rules.md``
documents each one (a test keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Rule:
    """What a diagnostic code means: its stable code, a short name, its default severity."""

    code: str
    name: str
    severity: Severity
    summary: str
    #: Why the rule no longer fires, for a code kept (codes are never reused) but retired.
    retired: str | None = None


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.code: r for r in rules}


E, W = Severity.ERROR, Severity.WARNING

#: Every diagnostic code kerasspec can emit. Codes are stable: never reuse one.
RULES: dict[str, Rule] = _rules(
    # KS1xx: reading the file
    Rule("KS101", "syntax-error", E, "The file is not valid YAML or JSON."),
    Rule("KS102", "duplicate-key", E, "A mapping has the same key twice."),
    Rule("KS103", "yaml-tag", E, "A YAML tag (`!!python/object`, `!foo`) was used."),
    Rule("KS104", "yaml-anchor-alias", E, "A YAML anchor (`&a`) or alias (`*a`) was used."),
    Rule("KS105", "file-too-large", E, "The file exceeds the size limit."),
    Rule("KS106", "too-deeply-nested", E, "The document nests deeper than the limit."),
    Rule("KS107", "non-finite-number", E, "NaN or an infinity appears as a number."),
    Rule("KS108", "integer-too-large", E, "An integer is too large to be a meaningful setting."),
    Rule("KS109", "multiple-documents", E, "A YAML stream holds more than one document."),
    Rule("KS110", "encoding-error", E, "The file is not valid UTF-8 text."),
    # KS2xx: structure
    Rule("KS201", "unknown-field", E, "A field that the spec, the layer or the object does not have."),
    Rule("KS202", "unknown-layer-type", E, "A layer `type` that kerasspec does not know."),
    Rule("KS203", "wrong-type", E, "A value of the wrong type (no silent coercion)."),
    Rule("KS204", "missing-field", E, "A required field is missing."),
    Rule("KS205", "value-out-of-range", E, "A number or list length outside the allowed range."),
    Rule("KS206", "invalid-choice", E, "A value that is not one of the allowed choices."),
    Rule("KS207", "unknown-activation", E, "An activation name Keras does not know."),
    Rule("KS208", "unknown-optimizer", E, "An optimizer name Keras does not know."),
    Rule("KS209", "unknown-loss", E, "A loss name Keras does not know."),
    Rule("KS210", "unknown-metric", E, "A metric name Keras does not know."),
    Rule("KS211", "conflicting-fields", E, "Two settings that cannot both hold."),
    Rule("KS212", "duplicate-layer-name", E, "Two layers share a `name`; Keras requires unique names."),
    Rule("KS213", "ignored-input-shape", W, "`input_shape` on a layer other than the first is ignored by Keras."),
    Rule("KS214", "misplaced-search-space", E, "A search space where one value is needed, or one that cannot be searched."),
    # KS3xx: shapes
    Rule("KS301", "missing-input-shape", E, "No input shape: the model cannot be built."),
    Rule("KS302", "incompatible-rank", E, "A layer receives an input of a rank it cannot take."),
    Rule("KS303", "non-positive-output-size", E, "A layer's output would have a size of zero or less."),
    Rule("KS304", "impossible-reshape", E, "`Reshape` cannot turn the input into the target shape."),
    Rule("KS305", "input-dataset-mismatch", E, "The input shape does not fit the dataset's images."),
    Rule("KS306", "strides-with-dilation", E, "`strides > 1` together with `dilation_rate > 1`."),
    Rule("KS307", "groups-mismatch", E, "Channels or filters not divisible by `groups`."),
    Rule("KS308", "undefined-dimension", E, "A layer needs a dimension whose size is not known."),
    Rule("KS309", "invalid-layer-argument", E, "A layer argument that Keras rejects for this input."),
    Rule("KS310", "data-unreadable", W, "The data file the spec names cannot be read, so it cannot be checked."),
    Rule("KS311", "target-values", E, "The data's targets are not what the task takes (class ids, 0/1, multi-hot)."),
    # KS4xx: training semantics
    Rule("KS401", "loss-label-encoding", E, "The loss expects a different label encoding than the data has."),
    Rule("KS402", "units-vs-classes", E, "The last layer's units do not match the number of classes."),
    Rule("KS403", "activation-vs-from-logits", E, "The output activation contradicts the loss's `from_logits`."),
    Rule("KS404", "softmax-single-unit", E, "A softmax over one unit always outputs 1.0."),
    Rule("KS405", "binary-vs-multiclass", E, "A binary output or loss on a multi-class problem."),
    Rule("KS406", "output-rank-too-high", E, "A classification loss receives an output of rank above 2."),
    Rule("KS407", "metric-vs-loss", W, "A metric that does not measure what the loss and labels mean."),
    Rule("KS408", "regression-loss-on-classes", W, "A regression loss on class labels."),
    Rule("KS409", "output-vs-target", E, "The model's output does not have the target's shape."),
    Rule("KS410", "loss-vs-task", E, "A loss that does not fit the task's target."),
    Rule("KS411", "output-activation-vs-task", W, "An output activation that does not fit the task's target."),
    Rule("KS412", "unknown-monitor", W, "A callback monitors a value that `fit` does not log."),
    # KS5xx: resources and portability
    Rule("KS501", "parameter-budget", W, "The parameter count is above the budget."),
    Rule("KS502", "memory-budget", W, "Estimated training memory is above the budget."),
    Rule("KS503", "channels-first-on-cpu", W, "`channels_first` convolutions fail on TensorFlow's CPU kernels.",
         retired="Keras 3.15 with TensorFlow 2.21 runs channels_first on the CPU (the backend transposes)"),
    Rule("KS504", "fails-when-run", W, "A layer that builds, but that the TensorFlow backend cannot run with these sizes."),
    Rule("KS505", "too-many-layers", E, "More layers than Keras can build in a Sequential model."),
)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in one spec, pointing at the field as written."""

    code: str
    message: str
    path: str = ""  # JSON Pointer into the spec ("" is the whole document)
    line: int | None = None  # 1-based; None when the source has no positions (a dict)
    column: int | None = None
    hint: str | None = None
    severity: Severity = field(default=None)  # type: ignore[assignment]  # filled from RULES
    file: str | None = None

    def __post_init__(self) -> None:
        if self.code not in RULES:
            raise ValueError(f"unknown diagnostic code {self.code!r}")
        if self.severity is None:
            object.__setattr__(self, "severity", RULES[self.code].severity)

    @property
    def rule(self) -> Rule:
        return RULES[self.code]

    def with_file(self, file: str | None) -> Diagnostic:
        return replace(self, file=file)

    def as_error(self) -> Diagnostic:
        return replace(self, severity=Severity.ERROR)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "hint": self.hint,
        }


def sort_key(d: Diagnostic) -> tuple[Any, ...]:
    return (d.file or "", d.line or 0, d.column or 0, d.code, d.path)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def pointer(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """A JSON Pointer (RFC 6901) for a path of keys and indices."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def parse_pointer(ptr: str) -> tuple[str | int, ...]:
    """The inverse of :func:`pointer`; numeric parts become indices."""
    if not ptr:
        return ()
    out: list[str | int] = []
    for raw in ptr.lstrip("/").split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        out.append(int(part) if part.isdigit() else part)
    return tuple(out)


class KerasspecError(Exception):
    """A problem with the user's input or files that stops a command; its message says what.

    Stages raise subclasses (bad data, a run that cannot resume, an unreadable model file);
    the CLI turns every one into its message and exit code 1.
    """


class SpecError(ValueError):
    """A spec has errors; ``.diagnostics`` lists every one found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        errors = [d for d in self.diagnostics if d.severity is Severity.ERROR]
        first = errors[0] if errors else (self.diagnostics[0] if self.diagnostics else None)
        head = f"{first.code} {first.message}" if first else "invalid spec"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"invalid spec: {head}{more}")
