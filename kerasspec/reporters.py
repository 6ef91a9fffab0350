"""Reporters: turn diagnostics into text for people, programs and CI.

Each reporter takes a sequence of :class:`~kerasspec.diagnostics.Diagnostic` and
returns a string; none of them prints (the CLI does), as in pyflakes'
``reporter.py`` and check-jsonschema's reporters. Returned strings carry no
trailing newline, so ``print(render(...))`` gives well-formed output.

Formats:

``text``
    ``file:line:column: CODE message`` plus an indented hint line, then a summary.
``json``
    A JSON array of :meth:`Diagnostic.to_dict` records (the public contract).
``sarif``
    A SARIF 2.1.0 log that GitHub code scanning accepts.
``github``
    GitHub Actions workflow commands (``::error file=...::message``).

Every reporter sorts by :func:`~kerasspec.diagnostics.sort_key` so that output is
stable whatever order the stages found things in.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from kerasspec.diagnostics import RULES, Diagnostic, Rule, Severity, sort_key

__all__ = [
    "INFORMATION_URI",
    "MAX_PER_CODE",
    "REPORTERS",
    "SARIF_SCHEMA_URI",
    "Reporter",
    "artifact_uri",
    "cap_repeats",
    "github_report",
    "json_report",
    "printable",
    "render",
    "sarif_log",
    "sarif_report",
    "text_report",
]

Reporter = Callable[[Sequence[Diagnostic]], str]

#: Shown for diagnostics that came from text or a dict rather than a file.
STRING_SOURCE = "<string>"
INFORMATION_URI = "https://github.com/kerasspec/kerasspec"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"


def _sorted(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=sort_key)


# --------------------------------------------------------------------------- hostile text

# C0 and C1 controls (ESC starts terminal escape sequences, a lone CR rewrites the line),
# DEL, and the invisible characters that reorder or break lines (U+2028/2029, the bidi
# overrides of "Trojan source"). Tab and line feed are handled by each format.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# GitHub's runner decodes %0D and %0A into the annotation, not into the log: only the rest is escaped.
_UNSAFE_IN_ANNOTATION = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNSAFE_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape_char(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, *, newlines: bool = True) -> str:
    """``text`` with every control character written as an escape (``\\x1b``), so that it cannot
    drive the terminal; with ``newlines=False`` line breaks and tabs are escaped too (file names)."""
    return (_UNSAFE if newlines else _UNSAFE_OR_NEWLINE).sub(_escape_char, text)


# --------------------------------------------------------------------------- repeated findings

#: More findings than this of one code in one file are summed up in one: a 1 MB file can hold
#: 300,000 YAML aliases, and the 51st report of the same mistake tells nothing the first did not.
MAX_PER_CODE = 50


def cap_repeats(diagnostics: Sequence[Diagnostic], limit: int | None = MAX_PER_CODE) -> list[Diagnostic]:
    """The findings, sorted, with at most ``limit`` of each code per file; the rest become one finding.

    That finding has the same code, severity and file, sits where the first one left out is,
    and says how many were left out. ``limit=None`` keeps everything.
    """
    ordered = _sorted(diagnostics)
    if limit is None:
        return ordered
    kept: list[Diagnostic] = []
    seen: dict[tuple[str | None, str], int] = {}
    first_left_out: dict[tuple[str | None, str], Diagnostic] = {}
    for d in ordered:
        group = (d.file, d.code)
        n = seen[group] = seen.get(group, 0) + 1
        if n <= limit:
            kept.append(d)
        elif n == limit + 1:
            first_left_out[group] = d
    if not first_left_out:
        return kept
    for group, first in first_left_out.items():
        more = seen[group] - limit
        where = f" from line {first.line} on" if first.line is not None else ""
        kept.append(replace(
            first,
            message=f"{more:,} more {first.code} findings in this file{where} are not shown "
                    f"(at most {limit} of one kind are listed)",
            hint=f"fix the {first.code} findings shown, then check again",
        ))
    return _sorted(kept)


def _message_with_hint(d: Diagnostic) -> str:
    """The message and its hint as one sentence-like string, for one-line formats."""
    if not d.hint:
        return d.message
    sep = " " if d.message.endswith((".", "!", "?")) else ". "
    return f"{d.message}{sep}hint: {d.hint}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --------------------------------------------------------------------------- text

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_RED = "\x1b[31m"
_YELLOW = "\x1b[33m"
_CYAN = "\x1b[36m"
_GREEN = "\x1b[32m"


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def _location(d: Diagnostic) -> str:
    # A file name is escaped whole: a newline in it must not start a line of its own.
    where = printable(d.file, newlines=False) if d.file is not None else STRING_SOURCE
    # A column means nothing without its line, so it is shown only with one.
    if d.line is not None:
        where += f":{d.line}"
        if d.column is not None:
            where += f":{d.column}"
    return where


def _indent_continuation(text: str) -> str:
    # A multi-line message (a parser's excerpt, say) must not start a line that
    # looks like a new ``file:line:`` diagnostic to editors and grep.
    return printable(text.replace("\r\n", "\n")).replace("\n", "\n    ")


def _summary(diagnostics: Sequence[Diagnostic], color: bool) -> str:
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    warnings = len(diagnostics) - errors
    if not diagnostics:
        return _paint("All checks passed.", _GREEN + _BOLD, color)
    files = len({d.file for d in diagnostics})
    counts = [
        *([_plural(errors, "error")] if errors else []),
        *([_plural(warnings, "warning")] if warnings else []),
    ]
    return _paint(f"Found {' and '.join(counts)} in {_plural(files, 'file')}.", _BOLD, color)


def text_report(
    diagnostics: Sequence[Diagnostic], *, color: bool = False, max_per_code: int | None = MAX_PER_CODE
) -> str:
    """Human-readable lines in the ``file:line:col: CODE message`` shape editors parse.

    ANSI colour only when asked: the caller knows whether its stream is a terminal. Text
    from the spec (values, names, file names) has its control characters escaped, so no
    file can drive the terminal or forge a line. The closing count covers every finding,
    also those :func:`cap_repeats` leaves out.
    """
    lines: list[str] = []
    for d in cap_repeats(diagnostics, max_per_code):
        is_error = d.severity is Severity.ERROR
        code = _paint(d.code, (_RED if is_error else _YELLOW) + _BOLD, color)
        tag = "" if is_error else " " + _paint("[warning]", _YELLOW, color)
        head = f"{_paint(_location(d), _BOLD, color)}: {code}{tag} "
        lines.append(head + _indent_continuation(d.message))
        if d.hint:
            lines.append(f"    {_paint('hint:', _CYAN, color)} {_indent_continuation(d.hint)}")
    lines.append(_summary(diagnostics, color))
    return "\n".join(lines)


# --------------------------------------------------------------------------- json


def json_report(diagnostics: Sequence[Diagnostic], *, max_per_code: int | None = MAX_PER_CODE) -> str:
    """The contract's JSON array: one :meth:`Diagnostic.to_dict` per diagnostic (repeats capped)."""
    # ASCII escapes keep the output printable on any console encoding; it is still
    # the same JSON once parsed.
    return json.dumps([d.to_dict() for d in cap_repeats(diagnostics, max_per_code)], indent=2)


# --------------------------------------------------------------------------- sarif


def _tool_version() -> str:
    # Imported here: importlib.metadata costs ~25 ms of start-up that only SARIF needs.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kerasspec")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


def _pascal_case(name: str) -> str:
    # SARIF recommends reportingDescriptor.name be an identifier-like PascalCase word.
    return "".join(part[:1].upper() + part[1:] for part in name.split("-"))


def _help_uri(code: str) -> str:
    return f"{INFORMATION_URI}/blob/main/docs/rules.md#{code.lower()}"


def _sarif_level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def artifact_uri(file: str | None) -> str:
    """A file name as a SARIF ``artifactLocation.uri``: a valid URI reference.

    Relative paths stay relative (GitHub resolves them against the repository
    root) with forward slashes; absolute paths become ``file:`` URIs. Anything
    outside the URI character set is percent-encoded, which also keeps a ``:`` in
    a relative name from being read as a scheme.
    """
    name = file if file is not None else STRING_SOURCE
    if os.path.isabs(name):
        return Path(name).as_uri()
    if os.sep != "/":
        name = name.replace(os.sep, "/")
    return quote(str(PurePosixPath(name)), safe="/")


def _reporting_descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": _pascal_case(rule.name),
        "shortDescription": {"text": rule.summary},
        "helpUri": _help_uri(rule.code),
        "defaultConfiguration": {"level": _sarif_level(rule.severity)},
    }


def _sarif_result(d: Diagnostic, rule_index: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(d.file)}}
    # SARIF needs startLine >= 1 in a region; without a known line the result
    # points at the whole file rather than at an invented line.
    if d.line is not None and d.line >= 1:
        region: dict[str, int] = {"startLine": d.line}
        if d.column is not None and d.column >= 1:
            region["startColumn"] = d.column
        physical["region"] = region
    return {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": _sarif_level(d.severity),
        "message": {"text": _message_with_hint(d)},
        "locations": [{"physicalLocation": physical}],
        "properties": {"path": d.path},
    }


def sarif_log(diagnostics: Sequence[Diagnostic], *, max_per_code: int | None = MAX_PER_CODE) -> dict[str, Any]:
    """The SARIF 2.1.0 log as a dict (what :func:`sarif_report` serialises)."""
    ordered = cap_repeats(diagnostics, max_per_code)
    used = sorted({d.code for d in ordered})
    index = {code: i for i, code in enumerate(used)}
    driver = {
        "name": "kerasspec",
        "informationUri": INFORMATION_URI,
        "version": _tool_version(),
        "rules": [_reporting_descriptor(RULES[code]) for code in used],
    }
    run = {
        "tool": {"driver": driver},
        # Columns come from the YAML/JSON parsers, which count code points.
        "columnKind": "unicodeCodePoints",
        "results": [_sarif_result(d, index[d.code]) for d in ordered],
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def sarif_report(diagnostics: Sequence[Diagnostic], *, max_per_code: int | None = MAX_PER_CODE) -> str:
    """A SARIF 2.1.0 log for GitHub code scanning and other SARIF viewers."""
    return json.dumps(sarif_log(diagnostics, max_per_code=max_per_code), indent=2)


# --------------------------------------------------------------------------- github


def _escape_data(text: str) -> str:
    # The escaping of @actions/core's command.ts: the runner undoes exactly this. Other
    # control characters would reach the log viewer raw: they are written as escapes.
    text = _UNSAFE_IN_ANNOTATION.sub(_escape_char, text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_report(diagnostics: Sequence[Diagnostic], *, max_per_code: int | None = MAX_PER_CODE) -> str:
    """GitHub Actions workflow commands: annotations on the pull request's files."""
    lines: list[str] = []
    for d in cap_repeats(diagnostics, max_per_code):
        props: list[tuple[str, str]] = []
        # A diagnostic without a file cannot be placed on one; GitHub then shows
        # it as a run-level annotation.
        if d.file is not None:
            props.append(("file", d.file))
        if d.line is not None:
            props.append(("line", str(d.line)))
            if d.column is not None:
                props.append(("col", str(d.column)))
        props.append(("title", f"{d.code} {d.rule.name}"))
        command = "error" if d.severity is Severity.ERROR else "warning"
        rendered = ",".join(f"{k}={_escape_property(v)}" for k, v in props)
        lines.append(f"::{command} {rendered}::{_escape_data(_message_with_hint(d))}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- registry

_CAPPED: dict[str, Callable[..., str]] = {
    "json": json_report,
    "sarif": sarif_report,
    "github": github_report,
}

REPORTERS: dict[str, Reporter] = {
    "text": text_report,
    "json": json_report,
    "sarif": sarif_report,
    "github": github_report,
}


def render(
    fmt: str, diagnostics: Sequence[Diagnostic], *, color: bool = False, max_per_code: int | None = MAX_PER_CODE
) -> str:
    """Render ``diagnostics`` in format ``fmt``; ``color`` affects only ``text``.

    At most ``max_per_code`` findings of one code per file are listed (:func:`cap_repeats`);
    ``None`` lists every one.
    """
    if fmt not in REPORTERS:
        choices = ", ".join(sorted(REPORTERS))
        raise ValueError(f"unknown output format {fmt!r} (choose from {choices})")
    if fmt == "text":
        return text_report(diagnostics, color=color, max_per_code=max_per_code)
    return _CAPPED[fmt](diagnostics, max_per_code=max_per_code)
