"""Reporters: exact output of each format, SARIF against the official schema."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
from importlib.metadata import PackageNotFoundError
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator
from jsonschema.validators import validator_for

from kerasspec.diagnostics import RULES, Diagnostic, Severity, sort_key
from kerasspec.reporters import (
    REPORTERS,
    artifact_uri,
    github_report,
    json_report,
    render,
    sarif_log,
    sarif_report,
    text_report,
)

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

UNKNOWN_FIELD = Diagnostic(
    "KS201",
    "unknown field 'kernal_size' in Conv2D",
    path="/layers/0/kernal_size",
    line=7,
    column=18,
    hint="did you mean 'kernel_size'?",
    file="examples/bad.yaml",
)
IGNORED_INPUT = Diagnostic(
    "KS213",
    "`input_shape` on layer 2 is ignored",
    path="/layers/2/input_shape",
    line=12,
    column=5,
    file="examples/bad.yaml",
)
SYNTAX = Diagnostic("KS101", "expected ',' or '}'", line=3, file="other.json")
NO_INPUT = Diagnostic(
    "KS301", "no input shape", path="/layers/0", hint="add `input_shape: [28, 28, 1]`"
)

# Deliberately out of order: every reporter sorts.
SAMPLE = [IGNORED_INPUT, UNKNOWN_FIELD, SYNTAX, NO_INPUT]


# ----------------------------------------------------------------------------- text


def test_text_exact() -> None:
    assert text_report(SAMPLE) == (
        "<string>: KS301 no input shape\n"
        "    hint: add `input_shape: [28, 28, 1]`\n"
        "examples/bad.yaml:7:18: KS201 unknown field 'kernal_size' in Conv2D\n"
        "    hint: did you mean 'kernel_size'?\n"
        "examples/bad.yaml:12:5: KS213 [warning] `input_shape` on layer 2 is ignored\n"
        "other.json:3: KS101 expected ',' or '}'\n"
        "Found 3 errors and 1 warning in 3 files."
    )


def test_text_no_diagnostics() -> None:
    assert text_report([]) == "All checks passed."


@pytest.mark.parametrize(
    ("diagnostics", "summary"),
    [
        ([UNKNOWN_FIELD], "Found 1 error in 1 file."),
        ([IGNORED_INPUT], "Found 1 warning in 1 file."),
        ([IGNORED_INPUT, IGNORED_INPUT], "Found 2 warnings in 1 file."),
        ([UNKNOWN_FIELD, SYNTAX], "Found 2 errors in 2 files."),
        ([UNKNOWN_FIELD, IGNORED_INPUT], "Found 1 error and 1 warning in 1 file."),
        # A severity promoted by the caller (--strict, say) counts as what it now is.
        ([IGNORED_INPUT.as_error()], "Found 1 error in 1 file."),
    ],
)
def test_text_summary(diagnostics: list[Diagnostic], summary: str) -> None:
    assert text_report(diagnostics).splitlines()[-1] == summary


def test_text_promoted_warning_has_no_tag() -> None:
    line = text_report([IGNORED_INPUT.as_error()]).splitlines()[0]
    assert line == "examples/bad.yaml:12:5: KS213 `input_shape` on layer 2 is ignored"


def test_text_multiline_message_is_indented() -> None:
    d = Diagnostic("KS101", "bad YAML\n  in line 3\r\n  here", line=3, column=1, file="a.yaml")
    assert text_report([d]).splitlines()[:3] == [
        "a.yaml:3:1: KS101 bad YAML",
        "      in line 3",
        "      here",
    ]


def test_text_color_only_when_asked() -> None:
    plain = text_report(SAMPLE)
    colored = text_report(SAMPLE, color=True)
    assert "\x1b[" not in plain
    assert "\x1b[31m" in colored  # errors red
    assert "\x1b[33m" in colored  # warnings yellow
    assert ANSI.sub("", colored) == plain
    assert ANSI.sub("", text_report([], color=True)) == "All checks passed."


# ----------------------------------------------------------------------------- json


def test_json_round_trips_to_dicts_sorted() -> None:
    out = json_report(SAMPLE)
    assert json.loads(out) == [d.to_dict() for d in sorted(SAMPLE, key=sort_key)]
    assert out.startswith("[\n  {\n")  # indent=2


def test_json_fields_are_the_contract() -> None:
    (record,) = json.loads(json_report([UNKNOWN_FIELD]))
    assert record == {
        "file": "examples/bad.yaml",
        "code": "KS201",
        "severity": "error",
        "message": "unknown field 'kernal_size' in Conv2D",
        "path": "/layers/0/kernal_size",
        "line": 7,
        "column": 18,
        "hint": "did you mean 'kernel_size'?",
    }
    (record,) = json.loads(json_report([NO_INPUT]))
    assert record["file"] is None and record["line"] is None and record["column"] is None


def test_json_order_is_file_line_column_code() -> None:
    a = Diagnostic("KS205", "m", line=2, column=9, file="b.yaml")
    b = Diagnostic("KS201", "m", line=2, column=9, file="b.yaml")
    c = Diagnostic("KS203", "m", line=2, column=3, file="b.yaml")
    d = Diagnostic("KS204", "m", line=10, column=1, file="a.yaml")
    got = [
        (r["file"], r["line"], r["column"], r["code"])
        for r in json.loads(json_report([a, b, c, d]))
    ]
    assert got == [
        ("a.yaml", 10, 1, "KS204"),
        ("b.yaml", 2, 3, "KS203"),
        ("b.yaml", 2, 9, "KS201"),
        ("b.yaml", 2, 9, "KS205"),
    ]


def test_json_empty() -> None:
    assert json.loads(json_report([])) == []


def test_json_non_ascii_survives() -> None:
    d = Diagnostic("KS201", "unknown field 'größe'", file="spécs/ü.yaml", line=1, column=1)
    assert json.loads(json_report([d]))[0]["message"] == "unknown field 'größe'"


# ----------------------------------------------------------------------------- sarif


@pytest.fixture(scope="module")
def sarif_validator() -> Draft4Validator:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"official SARIF 2.1.0 schema not found at {SARIF_SCHEMA}")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = validator_for(schema)
    assert cls is Draft4Validator  # the OASIS schema declares draft-04
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid_sarif(validator: Draft4Validator, log: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


# RFC 3986 URI-reference characters; jsonschema checks the `uri-reference` format
# only when an optional package is installed, so the tests check it themselves.
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*$")


def assert_uri_reference(uri: str) -> None:
    assert URI_REFERENCE.match(uri), uri
    first_segment = uri.split("/", 1)[0]
    if ":" in first_segment:  # then it must be a scheme, and we only make file: URIs
        assert uri.startswith("file:///"), uri


@pytest.mark.parametrize(
    "diagnostics",
    [
        SAMPLE,
        [],
        [NO_INPUT],
        [IGNORED_INPUT.as_error()],
        [Diagnostic("KS105", "too big", file="dir with space/ü:x,%.yaml")],
        [Diagnostic("KS201", "m\nwith newline", line=1, column=1, hint="h", file="a.yaml")],
    ],
    ids=["sample", "empty", "no-file", "promoted", "odd-file-name", "multiline"],
)
def test_sarif_validates_against_official_schema(
    sarif_validator: Draft4Validator, diagnostics: list[Diagnostic]
) -> None:
    log = json.loads(sarif_report(diagnostics))
    assert_valid_sarif(sarif_validator, log)
    for result in log["runs"][0]["results"]:
        for location in result["locations"]:
            assert_uri_reference(location["physicalLocation"]["artifactLocation"]["uri"])


def test_sarif_envelope_and_driver() -> None:
    log = json.loads(sarif_report(SAMPLE))
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "kerasspec"
    assert driver["informationUri"] == "https://github.com/kerasspec/kerasspec"
    assert isinstance(driver["version"], str) and driver["version"]
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_rules_are_the_codes_used() -> None:
    run = sarif_log(SAMPLE)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["KS101", "KS201", "KS213", "KS301"]
    ks201 = rules[1]
    assert ks201 == {
        "id": "KS201",
        "name": "UnknownField",
        "shortDescription": {"text": RULES["KS201"].summary},
        "helpUri": "https://github.com/kerasspec/kerasspec/blob/main/docs/rules.md#ks201",
        "defaultConfiguration": {"level": "error"},
    }
    assert rules[2]["defaultConfiguration"] == {"level": "warning"}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_results() -> None:
    results = sarif_log(SAMPLE)["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["KS301", "KS201", "KS213", "KS101"]
    no_file, unknown, warning, syntax = results
    assert unknown == {
        "ruleId": "KS201",
        "ruleIndex": 1,
        "level": "error",
        "message": {
            "text": "unknown field 'kernal_size' in Conv2D. hint: did you mean 'kernel_size'?"
        },
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "examples/bad.yaml"},
                    "region": {"startLine": 7, "startColumn": 18},
                }
            }
        ],
        "properties": {"path": "/layers/0/kernal_size"},
    }
    assert warning["level"] == "warning"
    assert "hint" not in warning["message"]["text"]
    # A line without a column; no position at all: the region says only what is known.
    assert syntax["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}
    assert no_file["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "%3Cstring%3E"}
    }
    assert no_file["properties"] == {"path": "/layers/0"}


def test_sarif_level_follows_the_diagnostic_not_the_rule() -> None:
    run = sarif_log([IGNORED_INPUT.as_error()])["runs"][0]
    assert run["results"][0]["level"] == "error"
    assert run["tool"]["driver"]["rules"][0]["defaultConfiguration"] == {"level": "warning"}


def test_sarif_version_from_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "1.2.3")
    assert sarif_log([])["runs"][0]["tool"]["driver"]["version"] == "1.2.3"

    def not_installed(name: str) -> str:
        raise PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert sarif_log([])["runs"][0]["tool"]["driver"]["version"] == "0.0.0"


def test_sarif_empty_run_still_has_rules_and_results() -> None:
    run = sarif_log([])["runs"][0]
    assert run["tool"]["driver"]["rules"] == []
    assert run["results"] == []


@pytest.mark.parametrize(
    ("file", "uri"),
    [
        ("examples/bad.yaml", "examples/bad.yaml"),
        ("./examples/bad.yaml", "examples/bad.yaml"),
        ("my spec.yaml", "my%20spec.yaml"),
        ("a:b.yaml", "a%3Ab.yaml"),
        ("50%.yaml", "50%25.yaml"),
        ("spécs/ü.yaml", "sp%C3%A9cs/%C3%BC.yaml"),
        ("x#y?.yaml", "x%23y%3F.yaml"),
        (None, "%3Cstring%3E"),
    ],
)
def test_artifact_uri(file: str | None, uri: str) -> None:
    assert artifact_uri(file) == uri
    assert_uri_reference(uri)


@pytest.mark.skipif(os.name == "nt", reason="POSIX absolute path")
def test_artifact_uri_absolute_posix() -> None:
    assert artifact_uri("/tmp/my specs/a.yaml") == "file:///tmp/my%20specs/a.yaml"


# ----------------------------------------------------------------------------- github


def test_github_exact() -> None:
    assert github_report(SAMPLE) == (
        "::error title=KS301 missing-input-shape::no input shape. hint: add `input_shape: [28, 28, 1]`\n"
        "::error file=examples/bad.yaml,line=7,col=18,title=KS201 unknown-field::"
        "unknown field 'kernal_size' in Conv2D. hint: did you mean 'kernel_size'?\n"
        "::warning file=examples/bad.yaml,line=12,col=5,title=KS213 ignored-input-shape::"
        "`input_shape` on layer 2 is ignored\n"
        "::error file=other.json,line=3,title=KS101 syntax-error::expected ',' or '}'"
    )


def test_github_escaping() -> None:
    d = Diagnostic(
        "KS101",
        "100% wrong:\r\nline two, really",
        line=2,
        column=4,
        hint="a: b",
        file="C:dir,x/%.yaml",
    )
    assert github_report([d]) == (
        "::error file=C%3Adir%2Cx/%25.yaml,line=2,col=4,title=KS101 syntax-error::"
        "100%25 wrong:%0D%0Aline two, really. hint: a: b"
    )


def test_github_message_ending_in_punctuation() -> None:
    d = Diagnostic("KS105", "The file is too large.", hint="split it", file="a.yaml")
    assert github_report([d]) == (
        "::error file=a.yaml,title=KS105 file-too-large::The file is too large. hint: split it"
    )


def test_github_empty() -> None:
    assert github_report([]) == ""


# ----------------------------------------------------------------------------- render


def test_reporter_registry() -> None:
    assert set(REPORTERS) == {"text", "json", "sarif", "github"}


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_render_dispatches(fmt: str) -> None:
    assert render(fmt, SAMPLE) == REPORTERS[fmt](SAMPLE)


def test_render_color_reaches_text_only() -> None:
    assert render("text", SAMPLE, color=True) == text_report(SAMPLE, color=True)
    for fmt in ("json", "sarif", "github"):
        assert "\x1b[" not in render(fmt, SAMPLE, color=True)


def test_render_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        render("xml", SAMPLE)


def test_reporters_accept_any_sequence() -> None:
    assert render("json", tuple(SAMPLE)) == render("json", SAMPLE)


def test_every_rule_renders_in_sarif(sarif_validator: Draft4Validator) -> None:
    everything = [
        Diagnostic(code, f"{code} message", line=1, column=1, file="a.yaml") for code in RULES
    ]
    log = sarif_log(everything)
    assert_valid_sarif(sarif_validator, log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)
    for r in rules:
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", r["name"]), r["name"]
        expected = "error" if RULES[r["id"]].severity is Severity.ERROR else "warning"
        assert r["defaultConfiguration"]["level"] == expected


def test_schema_check_is_not_vacuous(sarif_validator: Draft4Validator) -> None:
    log = sarif_log([UNKNOWN_FIELD])
    result = log["runs"][0]["results"][0]
    result["level"] = "fatal"
    result["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    bad = {e.validator for e in sarif_validator.iter_errors(log)}
    assert {"enum", "minimum"} <= bad
