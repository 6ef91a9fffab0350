"""Tests for kerasspec.loader: safe YAML/JSON loading with positions and KS1xx diagnostics."""

from __future__ import annotations

import json
import math
import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kerasspec import loader
from kerasspec.loader import Document, Limits, Position, from_object, load_path, load_text


def codes(doc: Document) -> list[str]:
    return [d.code for d in doc.diagnostics]


def only(doc: Document, code: str) -> Any:
    found = [d for d in doc.diagnostics if d.code == code]
    assert len(found) == 1, doc.diagnostics
    return found[0]


def at(d: Any) -> tuple[int | None, int | None]:
    return (d.line, d.column)


PARSERS = ["c", "python"]


@pytest.fixture(params=PARSERS)
def yaml_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a YAML test with libyaml's parser and with PyYAML's pure-Python one."""
    if request.param == "c":
        if loader._CParser is None:
            pytest.skip("PyYAML built without libyaml")
        monkeypatch.setattr(loader, "_YAML_PARSER", loader._CParser)
    else:
        monkeypatch.setattr(loader, "_YAML_PARSER", yaml.SafeLoader)
    return request.param


# ---- YAML 1.2 core schema ---------------------------------------------------------

SCALARS: list[tuple[str, Any]] = [
    # YAML 1.1 booleans are plain strings in YAML 1.2
    ("no", "no"),
    ("No", "No"),
    ("yes", "yes"),
    ("on", "on"),
    ("off", "off"),
    ("y", "y"),
    ("n", "n"),
    ("true", True),
    ("True", True),
    ("TRUE", True),
    ("false", False),
    ("FALSE", False),
    ("tRUE", "tRUE"),
    # null
    ("~", None),
    ("null", None),
    ("Null", None),
    ("NULL", None),
    ("", None),
    ("nULL", "nULL"),
    ("None", "None"),
    # integers
    ("0", 0),
    ("-0", 0),
    ("42", 42),
    ("+12", 12),
    ("-7", -7),
    ("007", 7),
    ("0x1F", 31),
    ("0xff", 255),
    ("0o17", 15),
    ("0X1F", "0X1F"),
    ("-0x1F", "-0x1F"),
    ("0b101", "0b101"),
    ("0o8", "0o8"),
    ("0x", "0x"),
    ("1_000", "1_000"),
    ("1,000", "1,000"),
    ("9223372036854775807", 2**63 - 1),
    ("-9223372036854775807", -(2**63 - 1)),
    # floats
    ("1e-3", 0.001),
    ("1E5", 100000.0),
    ("1e+5", 100000.0),
    ("1.5", 1.5),
    ("1.", 1.0),
    (".5", 0.5),
    ("-.5", -0.5),
    ("+2.5e-2", 0.025),
    ("0.1", 0.1),
    ("1e", "1e"),
    ("e3", "e3"),
    (".", "."),
    ("1.2.3", "1.2.3"),
    ("NaN", "NaN"),
    ("Infinity", "Infinity"),
    ("inf", "inf"),
    (".Nan", ".Nan"),
    # no timestamps, no sexagesimals
    ("2001-12-14", "2001-12-14"),
    ("1:30", "1:30"),
    # quoted scalars are always strings
    ('"1"', "1"),
    ("'1'", "1"),
    ('"true"', "true"),
    ("'no'", "no"),
    ('"~"', "~"),
    ("''", ""),
    ('"0x1F"', "0x1F"),
    ('".nan"', ".nan"),
    ("relu", "relu"),
    ("sparse_categorical_crossentropy", "sparse_categorical_crossentropy"),
]


@pytest.mark.parametrize(("written", "expected"), SCALARS)
def test_yaml_core_schema_scalars(yaml_parser: str, written: str, expected: Any) -> None:
    doc = load_text(f"v: {written}\n")
    assert doc.diagnostics == []
    value = doc.data["v"]
    assert type(value) is type(expected)
    assert value == expected


def test_yaml_scalars_in_sequences_and_block_scalars() -> None:
    doc = load_text("v: [yes, 1, 1.0, '2', null, on]\nw: |\n  12\nx: >-\n  true\n")
    assert doc.data == {"v": ["yes", 1, 1.0, "2", None, "on"], "w": "12\n", "x": "true"}
    assert type(doc.data["v"][2]) is float


def test_yaml_keys_keep_their_source_text(yaml_parser: str) -> None:
    doc = load_text("1: a\ntrue: b\nnull: c\n~: d\n1.5: e\n'q': f\nno: g\n")
    assert doc.data == {
        "1": "a",
        "true": "b",
        "null": "c",
        "~": "d",
        "1.5": "e",
        "q": "f",
        "no": "g",
    }
    assert all(type(k) is str for k in doc.data)
    assert doc.diagnostics == []


# ---- positions --------------------------------------------------------------------

YAML_SPEC = """\
name: demo
layers:
  - type: Dense
    units: 10
  - {type: Flatten, x: [1, 2]}
compile:
  optimizer: adam
"""


def test_yaml_positions(yaml_parser: str) -> None:
    doc = load_text(YAML_SPEC, file="spec.yaml")
    assert doc.diagnostics == []
    v, k = doc.value_positions, doc.key_positions
    assert v[()] == Position(1, 1)
    assert k[("name",)] == Position(1, 1)
    assert v[("name",)] == Position(1, 7)
    assert k[("layers",)] == Position(2, 1)
    assert v[("layers",)] == Position(3, 3)
    assert v[("layers", 0)] == Position(3, 5)
    assert k[("layers", 0, "type")] == Position(3, 5)
    assert v[("layers", 0, "type")] == Position(3, 11)
    assert k[("layers", 0, "units")] == Position(4, 5)
    assert v[("layers", 0, "units")] == Position(4, 12)
    assert v[("layers", 1)] == Position(5, 5)
    assert k[("layers", 1, "type")] == Position(5, 6)
    assert v[("layers", 1, "type")] == Position(5, 12)
    assert k[("layers", 1, "x")] == Position(5, 21)
    assert v[("layers", 1, "x")] == Position(5, 24)
    assert v[("layers", 1, "x", 0)] == Position(5, 25)
    assert v[("layers", 1, "x", 1)] == Position(5, 28)
    assert k[("compile",)] == Position(6, 1)
    assert v[("compile",)] == Position(7, 3)
    assert k[("compile", "optimizer")] == Position(7, 3)
    assert v[("compile", "optimizer")] == Position(7, 14)
    # sequence items and the root have no key
    assert ("layers", 0) not in k
    assert () not in k


def test_position_lookup_and_fallback() -> None:
    doc = load_text(YAML_SPEC)
    assert doc.position(("compile",)) == Position(7, 3)
    assert doc.position(("compile",), key=True) == Position(6, 1)
    assert doc.position(("layers", 1)) == Position(5, 5)
    assert doc.position(("layers", 1), key=True) == Position(5, 5)  # no key: the value
    # a missing field points at the mapping it is missing from
    assert doc.position(("layers", 0, "activation")) == Position(3, 5)
    assert doc.position(("compile", "loss"), key=True) == Position(6, 1)
    assert doc.position(("nope", "deeper", 3)) == Position(1, 1)
    assert doc.position(["layers", 0, "units"]) == Position(4, 12)


def test_yaml_columns_count_characters_not_bytes(yaml_parser: str) -> None:
    doc = load_text("é: ü\nnaïve: [ä, 'ö']\n")
    assert doc.value_positions[("é",)] == Position(1, 4)
    assert doc.key_positions[("naïve",)] == Position(2, 1)
    assert doc.value_positions[("naïve", 1)] == Position(2, 12)


JSON_SPEC = """\
{
  "name": "demo",
  "layers": [
    {"type": "Dense", "units": 10},
    {"type": "Flatten"}
  ]
}
"""


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_json_positions(newline: str) -> None:
    doc = load_text(JSON_SPEC.replace("\n", newline), fmt="json")
    assert doc.diagnostics == []
    assert doc.data == {
        "name": "demo",
        "layers": [{"type": "Dense", "units": 10}, {"type": "Flatten"}],
    }
    v, k = doc.value_positions, doc.key_positions
    assert v[()] == Position(1, 1)
    assert k[("name",)] == Position(2, 3)
    assert v[("name",)] == Position(2, 11)
    assert k[("layers",)] == Position(3, 3)
    assert v[("layers",)] == Position(3, 13)
    assert v[("layers", 0)] == Position(4, 5)
    assert k[("layers", 0, "type")] == Position(4, 6)
    assert v[("layers", 0, "type")] == Position(4, 14)
    assert k[("layers", 0, "units")] == Position(4, 23)
    assert v[("layers", 0, "units")] == Position(4, 32)
    assert v[("layers", 1)] == Position(5, 5)
    assert doc.position(("layers", 1, "units"), key=True) == Position(5, 5)


def test_json_columns_count_characters() -> None:
    doc = load_text('{"é": "ü", "k": 1}', fmt="json")
    assert doc.key_positions[("k",)] == Position(1, 12)
    assert doc.value_positions[("k",)] == Position(1, 17)


def test_from_object_has_no_positions() -> None:
    doc = from_object({"a": [1, 2]})
    assert doc.position(()) is None
    assert doc.position(("a", 0), key=True) is None


# ---- duplicate keys -----------------------------------------------------------------


def test_yaml_duplicate_keys_keep_the_first(yaml_parser: str) -> None:
    doc = load_text("a: 1\nb:\n  x: 1\na:\n  y: [1, {z: 2}]\nb: 3\nc: 4\n", file="s.yaml")
    assert doc.data == {"a": 1, "b": {"x": 1}, "c": 4}
    first, second = doc.diagnostics
    assert (first.code, first.path, at(first)) == ("KS102", "/a", (4, 1))
    assert "'a'" in first.message and "line 1" in first.message
    assert first.file == "s.yaml" and first.hint
    assert (second.code, second.path, at(second)) == ("KS102", "/b", (6, 1))
    assert "line 2" in second.message
    assert {("a",), ("b",)} <= doc.reported
    # positions still describe the first value
    assert doc.key_positions[("a",)] == Position(1, 1)
    assert doc.value_positions[("a",)] == Position(1, 4)
    assert ("a", "y") not in doc.value_positions


def test_yaml_nested_duplicate_key() -> None:
    doc = load_text("layers:\n  - type: Dense\n    units: 3\n    units: 4\n")
    d = only(doc, "KS102")
    assert (d.path, at(d)) == ("/layers/0/units", (4, 5))
    assert doc.data == {"layers": [{"type": "Dense", "units": 3}]}
    assert doc.is_reported(("layers", 0, "units"))
    assert not doc.is_reported(("layers", 0, "type"))


def test_json_duplicate_keys_keep_the_first() -> None:
    doc = load_text('{"a": 1,\n "a": {"x": [1, NaN]},\n "b": 2}', fmt="json")
    assert doc.data == {"a": 1, "b": 2}
    d = only(doc, "KS102")  # nothing is reported inside the dropped value
    assert (d.path, at(d)) == ("/a", (2, 2))
    assert "'a'" in d.message and "line 1" in d.message
    assert ("a",) in doc.reported
    assert doc.key_positions[("a",)] == Position(1, 2)
    assert ("a", "x") not in doc.value_positions


# ---- tags ----------------------------------------------------------------------------


def test_yaml_python_tags_never_execute(yaml_parser: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a))
    text = (
        'cmd: !!python/object/apply:os.system ["echo hi"]\n'
        "name: !!python/name:os.system\n"
        "obj: !!python/object:collections.OrderedDict {a: 1}\n"
        "ok: 1\n"
    )
    doc = load_text(text)
    assert calls == []
    assert doc.data == {"cmd": None, "name": None, "obj": None, "ok": 1}
    assert codes(doc) == ["KS103", "KS103", "KS103"]
    first = doc.diagnostics[0]
    assert (first.path, at(first)) == ("/cmd", (1, 6))
    assert "!!python/object/apply:os.system" in first.message
    assert first.hint and "remove the tag" in first.hint
    assert {("cmd",), ("name",), ("obj",)} <= doc.reported
    assert ("obj", "a") not in doc.value_positions


@pytest.mark.parametrize(
    ("text", "data", "path"),
    [
        ("a: !foo x\nb: 2\n", {"a": None, "b": 2}, "/a"),
        ("a: !!str 1\n", {"a": None}, "/a"),
        ("a: ! x\n", {"a": None}, "/a"),
        ("a: !!map {b: 1}\nc: 2\n", {"a": None, "c": 2}, "/a"),
        ("a: !seq [1, [2]]\nc: 2\n", {"a": None, "c": 2}, "/a"),
        ("- !!int 3\n- 4\n", [None, 4], "/0"),
        ("!!python/object:os.system {}\n", None, ""),
        ("!!str k: v\n", {"k": "v"}, "/k"),  # a tagged key: the entry is reported, kept
    ],
)
def test_yaml_tags_are_refused(yaml_parser: str, text: str, data: Any, path: str) -> None:
    doc = load_text(text)
    d = only(doc, "KS103")
    assert d.path == path
    assert doc.data == data


# ---- anchors and aliases ---------------------------------------------------------------


def test_yaml_anchors_and_aliases_are_refused(yaml_parser: str) -> None:
    doc = load_text("base: &b {units: 1}\nother: *b\nlist: [*b, 2]\n")
    assert doc.data == {"base": {"units": 1}, "other": None, "list": [None, 2]}
    assert codes(doc) == ["KS104", "KS104", "KS104"]
    anchor, alias, item = doc.diagnostics
    assert (anchor.path, at(anchor)) == ("/base", (1, 7))
    assert "&b" in anchor.message
    assert (alias.path, at(alias)) == ("/other", (2, 8))
    assert "*b" in alias.message
    assert item.path == "/list/0"
    assert anchor.hint and "anchors and aliases" in anchor.hint
    assert {("base",), ("other",), ("list", 0)} <= doc.reported


def test_yaml_merge_key_and_alias_key(yaml_parser: str) -> None:
    doc = load_text("a: &k x\nb:\n  <<: *k\n  c: 1\n*k : 2\nd: 3\n")
    assert doc.data == {"a": "x", "b": {"<<": None, "c": 1}, "d": 3}
    assert codes(doc) == ["KS104", "KS104", "KS104"]
    assert doc.diagnostics[2].path == ""  # an alias key: the entry is dropped


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_yaml_billion_laughs_is_cheap(yaml_parser: str) -> None:
    tracemalloc.start()
    try:
        doc = load_text(BILLION_LAUGHS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20  # the 9^9 references were never made
    assert set(codes(doc)) == {"KS104"}
    assert len(doc.diagnostics) == 9 + 8 * 9  # 9 anchors, 72 aliases
    assert doc.data["i"] == [None] * 9
    assert len(json.dumps(doc.data)) < 2000


# ---- complex keys and syntax errors --------------------------------------------------


def test_yaml_complex_keys(yaml_parser: str) -> None:
    doc = load_text("? [a, b]\n: 1\n? {c: d}\n: [2]\ne: 3\n")
    assert doc.data == {"e": 3}
    assert codes(doc) == ["KS101", "KS101"]
    assert at(doc.diagnostics[0]) == (1, 3)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: b: c\n", (1, 5)),
        ("a: 1\n b: 2\n", (2, 3)),
        ("a: 'unterminated\n", (2, 1)),
        ("a: [1, 2\nb: 3\n", None),
        ("a:\n\tb: 1\n", (2, 1)),
        ("- a\nb: c\n", (2, 1)),
        ("a: 1\n...\nb: 2\n", (3, 1)),
    ],
)
def test_yaml_syntax_errors(yaml_parser: str, text: str, where: tuple[int, int] | None) -> None:
    doc = load_text(text, file="bad.yaml")
    d = only(doc, "KS101")
    assert doc.data is None
    assert d.message.startswith("YAML syntax error: ")
    assert d.line is not None and d.column is not None and d.file == "bad.yaml"
    if where is not None:
        assert at(d) == where
    assert d.hint


def test_yaml_syntax_error_message_is_the_parsers(yaml_parser: str) -> None:
    d = only(load_text("a: b: c\n"), "KS101")
    assert "mapping values are not allowed" in d.message


def test_yaml_control_character(yaml_parser: str) -> None:
    doc = load_text("ä: 1\nb: x\x00y\n")
    d = only(doc, "KS101")
    assert doc.data is None
    assert at(d) == (2, 5)
    assert "U+0000" in d.message


# ---- depth ---------------------------------------------------------------------------


def _depth(value: Any) -> int:
    depth = 0
    while isinstance(value, (list, dict)):
        depth += 1
        value = next(iter(value.values())) if isinstance(value, dict) else value[0]
    return depth


def test_yaml_deep_flow_nesting(yaml_parser: str) -> None:
    doc = load_text("[" * 100 + "]" * 100, fmt="yaml")
    d = only(doc, "KS106")
    assert codes(doc) == ["KS106"]
    assert (at(d), d.path) == ((1, 65), "/0" * 64)
    assert _depth(doc.data) == 64
    assert "/0" * 64 in {"/" + "/".join(map(str, p)) for p in doc.reported}


@pytest.mark.parametrize("text", ["[" * 10_000 + "]" * 10_000, "[" * 10_000, "- " * 10_000])
def test_yaml_very_deep_nesting_gives_up(yaml_parser: str, text: str) -> None:
    # libyaml stops at 1000 levels; kerasspec gives up reading at twice the limit.
    doc = load_text(text, fmt="yaml")
    assert codes(doc) == ["KS106"]
    assert doc.data is None


def test_yaml_depth_limit_block_style(yaml_parser: str) -> None:
    text = "a:\n  b:\n    c:\n      d: [1]\n  e: 2\n"
    doc = load_text(text, limits=Limits(max_depth=3))
    d = only(doc, "KS106")
    assert (d.path, at(d)) == ("/a/b/c", (4, 7))
    assert doc.data == {"a": {"b": {"c": None}, "e": 2}}
    assert ("a", "b", "c") in doc.reported
    assert load_text(text, limits=Limits(max_depth=5)).diagnostics == []


def test_json_deep_nesting() -> None:
    for text in ("[" * 10_000 + "]" * 10_000, '{"a":' * 10_000 + "1" + "}" * 10_000):
        doc = load_text(text, fmt="json")
        assert codes(doc) == ["KS106"]
        assert _depth(doc.data) == 64
    doc = load_text("[" * 10_000, fmt="json")
    assert codes(doc) == ["KS106", "KS101"]
    assert doc.data is None
    doc = load_text("[" * 500_000 + "]" * 500_000, fmt="json")
    assert codes(doc) == ["KS106"]


def test_json_depth_limit_position() -> None:
    doc = load_text('{"a": {"b": {"c": [1]}}, "d": [[2]]}', fmt="json", limits=Limits(max_depth=2))
    d = only(doc, "KS106")
    assert (d.path, at(d)) == ("/a/b", (1, 13))
    assert doc.data == {"a": {"b": None}, "d": [None]}
    assert ("d", 0) in doc.reported


# ---- size -----------------------------------------------------------------------------


def test_size_limit() -> None:
    limits = Limits(max_bytes=20)
    for text in ("a: 1\n" * 10, ("a: 1\n" * 10).encode()):
        doc = load_text(text, limits=limits)
        d = only(doc, "KS105")
        assert doc.data is None
        assert at(d) == (1, 1)
        assert "50" in d.message and "20" in d.message
    # the limit counts UTF-8 bytes, not characters
    assert codes(load_text("é" * 11, limits=limits)) == ["KS105"]
    assert codes(load_text("é" * 10, limits=limits)) == []
    assert codes(load_text("[1]", fmt="json", limits=Limits(max_bytes=2))) == ["KS105"]


def test_load_path_checks_size_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "huge.yaml"
    with open(big, "wb") as f:
        f.truncate(8 * 1024**3)  # sparse: reading it would take seconds and 8 GiB
    tracemalloc.start()
    try:
        doc = load_path(big)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20  # refused from its size: never read
    assert codes(doc) == ["KS105"]
    assert doc.file == str(big)


# ---- non-finite numbers and huge integers -------------------------------------------


def test_yaml_non_finite_numbers(yaml_parser: str) -> None:
    doc = load_text("a: .nan\nb: -.inf\nc: +.INF\nd: .Inf\ne: 1e999\nf: NaN\n")
    assert codes(doc) == ["KS107"] * 5
    assert [d.path for d in doc.diagnostics] == ["/a", "/b", "/c", "/d", "/e"]
    assert at(doc.diagnostics[0]) == (1, 4)
    assert math.isnan(doc.data["a"])
    assert doc.data["b"] == -math.inf and doc.data["c"] == math.inf
    assert doc.data["f"] == "NaN"
    assert {("a",), ("e",)} <= doc.reported
    assert "overflows" in doc.diagnostics[4].message


def test_json_non_finite_numbers() -> None:
    doc = load_text(
        '{"a": NaN, "b": Infinity,\n "c": -Infinity, "d": 1e999, "e": -2E400}', fmt="json"
    )
    assert codes(doc) == ["KS107"] * 5
    assert [d.path for d in doc.diagnostics] == ["/a", "/b", "/c", "/d", "/e"]
    assert at(doc.diagnostics[2]) == (2, 7)
    assert math.isnan(doc.data["a"])
    assert doc.data["c"] == -math.inf and doc.data["e"] == -math.inf
    assert ("d",) in doc.reported


HUGE = "1" + "0" * 5000  # 10**5000, beyond int()'s default digit limit


def test_yaml_huge_integers(yaml_parser: str) -> None:
    text = (
        f"a: {HUGE}\nb: -{HUGE}\nc: 9223372036854775808\nd: 0x8000000000000000\n"
        f"e: 0o{'7' * 30}\nf: {'0' * 5000}1\ng: 9223372036854775807\n"
    )
    doc = load_text(text)
    assert codes(doc) == ["KS108"] * 5
    assert [d.path for d in doc.diagnostics] == ["/a", "/b", "/c", "/d", "/e"]
    assert doc.data == {
        "a": None,
        "b": None,
        "c": None,
        "d": None,
        "e": None,
        "f": 1,
        "g": 2**63 - 1,
    }
    assert len(doc.diagnostics[0].message) < 200
    assert "5001 digits" in doc.diagnostics[0].message
    assert ("a",) in doc.reported


def test_json_huge_integers() -> None:
    doc = load_text(f"[{HUGE}, -{HUGE}, 9223372036854775808, -9223372036854775807, 1]", fmt="json")
    assert codes(doc) == ["KS108"] * 3
    assert [d.path for d in doc.diagnostics] == ["/0", "/1", "/2"]
    assert doc.data == [None, None, None, -(2**63 - 1), 1]


def test_custom_max_int() -> None:
    limits = Limits(max_int=100)
    assert codes(load_text("[100, -100, 101]", fmt="json", limits=limits)) == ["KS108"]
    assert (
        codes(load_text("[100, -100, -101, 123456789012]", fmt="yaml", limits=limits))
        == ["KS108"] * 2
    )
    assert codes(load_text("a: 0x65", limits=limits)) == ["KS108"]


# ---- encodings ------------------------------------------------------------------------


def test_non_utf8_bytes() -> None:
    doc = load_text(b"a: 1\nb: caf\xe9\n", file="latin1.yaml")
    d = only(doc, "KS110")
    assert doc.data is None
    assert at(d) == (2, 7)
    assert "0xe9" in d.message and d.file == "latin1.yaml"
    assert codes(load_text(b'{"a": "\xff"}', fmt="json")) == ["KS110"]
    utf16 = load_text("a: 1\n".encode("utf-16"))
    assert "UTF-16" in only(utf16, "KS110").message


def test_unpaired_surrogate_in_text() -> None:
    assert codes(load_text("a: \ud800\n")) == ["KS110"]
    assert codes(load_text('"\ud800"', fmt="json")) == ["KS110"]


def test_utf8_bom_is_stripped(yaml_parser: str) -> None:
    for src in (b"\xef\xbb\xbfa: 1\n", "\ufeffa: 1\n"):
        doc = load_text(src)
        assert doc.data == {"a": 1} and doc.diagnostics == []
        assert doc.key_positions[("a",)] == Position(1, 1)
    doc = load_text(b'\xef\xbb\xbf{"a": 1}', fmt="json")
    assert doc.data == {"a": 1} and doc.key_positions[("a",)] == Position(1, 2)


# ---- documents ------------------------------------------------------------------------


def test_multiple_documents(yaml_parser: str) -> None:
    doc = load_text("a: 1\n---\nb: 2\n")
    d = only(doc, "KS109")
    assert doc.data == {"a": 1}
    assert at(d) == (2, 1)
    # the second document is not read at all
    assert codes(load_text("---\na: 1\n---\n: : [bad\n")) == ["KS109"]
    assert codes(load_text("---\na: 1\n...\n")) == []


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n", "---\n", b"", "\ufeff"])
def test_empty_yaml(yaml_parser: str, text: str | bytes) -> None:
    doc = load_text(text)
    assert doc.data is None
    assert doc.diagnostics == []


@pytest.mark.parametrize("text", ["", " \n\t\r\n"])
def test_empty_json(text: str) -> None:
    doc = load_text(text, fmt="json")
    assert doc.data is None
    assert doc.diagnostics == []


# ---- JSON syntax -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('{"a": 1 "b": 2}', (1, 9), "expected ',' or '}' after object member"),
        ("[1, 2", (1, 6), "unexpected end of input"),
        ("[1 2]", (1, 4), "expected ',' or ']' after array element"),
        ('{"a": "x}', (1, 7), "unterminated string"),
        ('{"a": 1} x', (1, 10), "trailing data after the document"),
        ("[1]\r\n]", (2, 1), "trailing data after the document"),
        ("[1,]", (1, 3), "trailing comma"),
        ('{"a": 1,\n}', (1, 8), "trailing comma"),
        ('{\n  "a": tru\n}', (2, 8), "unexpected 'tru'"),
        ('{"a"\n 1}', (2, 2), "expected ':'"),
        ("[01]", (1, 2), "invalid number"),
        ("[1.]", (1, 2), "invalid number"),
        ("[-]", (1, 2), "invalid number"),
        ('{"a": "\t"}', (1, 8), "invalid control character"),
        ('["\\x"]', (1, 3), "invalid \\escape"),
        ("{'a': 1}", (1, 2), "double quotes"),
        ("// c\n{}", (1, 1), "comments are not allowed"),
        ("{a: 1}", (1, 2), "member name in double quotes"),
        ('{"a": True}', (1, 7), "unexpected 'True'"),
        ("\n\n   }", (3, 4), "expected a value"),
        ("[+1]", (1, 2), "expected a value"),
    ],
)
def test_json_syntax_errors(text: str, where: tuple[int, int], message: str) -> None:
    doc = load_text(text, fmt="json", file="bad.json")
    d = only(doc, "KS101")
    assert doc.data is None
    assert at(d) == where
    assert message in d.message
    assert d.file == "bad.json" and d.path == ""


def test_json_true_hint() -> None:
    d = only(load_text('{"a": True}', fmt="json"), "KS101")
    assert d.hint is not None and "true" in d.hint


def test_json_scalars() -> None:
    doc = load_text('[true, false, null, 0, -0, 1.5, -2e-3, 1E2, "x\\u00e9\\n", "1"]', fmt="json")
    assert doc.diagnostics == []
    assert doc.data == [True, False, None, 0, 0, 1.5, -0.002, 100.0, "xé\n", "1"]
    assert [type(v) for v in doc.data[3:5]] == [int, int]


# ---- format detection and files -------------------------------------------------------


def test_format_detection() -> None:
    assert load_text('{"a": 1}').data == {"a": 1}
    assert load_text("{a: 1, b: [x]}").data == {"a": 1, "b": ["x"]}  # not JSON: read as YAML
    assert codes(load_text("{a: 1", file=None)) == ["KS101"]
    assert load_text("a: 1", file="x.json").data is None  # the suffix decides
    assert load_text('{"a": 1}', file="x.yml").data == {"a": 1}
    assert codes(load_text('{"a": NaN}')) == ["KS107"]  # JSON first for '{'
    assert load_text("a: yes", fmt="yaml").data == {"a": "yes"}
    with pytest.raises(ValueError):
        load_text("a: 1", fmt="toml")  # type: ignore[arg-type]


def test_load_path(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("a: 1\na: 2\n")
    (tmp_path / "s.json").write_text('{"a": 1}')
    (tmp_path / "s.txt").write_text("a: yes\n")
    doc = load_path(tmp_path / "s.yaml")
    assert doc.data == {"a": 1}
    assert doc.file == str(tmp_path / "s.yaml")
    assert doc.diagnostics[0].file == str(tmp_path / "s.yaml")
    assert load_path(str(tmp_path / "s.json")).data == {"a": 1}
    assert load_path(tmp_path / "s.txt").data == {"a": "yes"}
    with pytest.raises(FileNotFoundError):
        load_path(tmp_path / "missing.yaml")
    with pytest.raises(IsADirectoryError):
        load_path(tmp_path)


def test_load_path_json_suffix_is_json(tmp_path: Path) -> None:
    p = tmp_path / "spec.json"
    p.write_text("a: 1\n")  # YAML text in a .json file is a JSON syntax error
    assert codes(load_path(p)) == ["KS101"]


# ---- from_object ------------------------------------------------------------------------


def test_from_object_copies_into_plain_types() -> None:
    src = {"input_shape": (28, 28, 1), "layers": [{"type": "Dense", "units": 10, "k": (1, (2, 3))}]}
    doc = from_object(src)
    assert doc.diagnostics == []
    assert doc.data == {
        "input_shape": [28, 28, 1],
        "layers": [{"type": "Dense", "units": 10, "k": [1, [2, 3]]}],
    }
    assert type(doc.data["input_shape"]) is list
    assert doc.file is None
    src["layers"][0]["units"] = 99
    assert doc.data["layers"][0]["units"] == 10  # a deep copy


def test_from_object_reports_non_finite_and_huge_numbers() -> None:
    doc = from_object({"a": [1.0, float("nan")], "b": float("-inf"), "c": 10**5000, "d": 2**63 - 1})
    assert codes(doc) == ["KS107", "KS107", "KS108"]
    assert [(d.path, d.line, d.column) for d in doc.diagnostics] == [
        ("/a/1", None, None),
        ("/b", None, None),
        ("/c", None, None),
    ]
    assert math.isnan(doc.data["a"][1])
    assert doc.data["c"] is None and doc.data["d"] == 2**63 - 1
    assert {("a", 1), ("b",), ("c",)} <= doc.reported


def test_from_object_keys_and_cycles() -> None:
    doc = from_object({2: "a", True: "b", None: "c", 1.5: "d"})
    assert doc.data == {"2": "a", "true": "b", "null": "c", "1.5": "d"}
    doc = from_object({1: "a", "1": "b"})
    assert doc.data == {"1": "a"}
    assert codes(doc) == ["KS102"]
    cyclic: dict[str, Any] = {"a": []}
    cyclic["a"].append(cyclic)
    doc = from_object(cyclic)
    assert codes(doc) == ["KS106"]


# ---- property tests ---------------------------------------------------------------------

FUZZ = settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow])

YAML_TOKENS = st.sampled_from(
    [
        ": ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ", ",
        "&a ",
        "*a",
        "!!str ",
        "!x ",
        "\n",
        "  ",
        "\t",
        "#c",
        '"',
        "'",
        "? ",
        "a",
        "1",
        "0x1F",
        ".nan",
        "1e999",
        "|",
        ">",
        "---\n",
        "...\n",
        "%YAML 1.2\n",
        "\\",
        "é",
        "\x00",
        "\ufeff",
        "\r\n",
        "<<",
        "9" * 30,
    ]
)
JSON_TOKENS = st.sampled_from(
    [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        '"a"',
        '"',
        "1",
        "-",
        "0",
        ".",
        "e",
        "NaN",
        "Infinity",
        "true",
        "null",
        " ",
        "\n",
        "\\u12",
        "\\",
        "1e999",
        "9" * 30,
        "//",
        "'",
    ]
)


@FUZZ
@given(st.binary(max_size=200))
def test_fuzz_bytes_never_raise(data: bytes) -> None:
    for fmt in ("yaml", "json", None):
        doc = load_text(data, fmt=fmt)  # type: ignore[arg-type]
        assert isinstance(doc.diagnostics, list)


@FUZZ
@given(st.text(max_size=200))
def test_fuzz_text_never_raises(text: str) -> None:
    load_text(text, fmt="yaml")
    load_text(text, fmt="json")


@FUZZ
@given(st.lists(YAML_TOKENS, max_size=40).map("".join))
def test_fuzz_yaml_tokens_never_raise(text: str) -> None:
    doc = load_text(text, fmt="yaml", limits=Limits(max_depth=4))
    for d in doc.diagnostics:
        assert d.code.startswith("KS1") and (d.line is None or d.line >= 1)


@FUZZ
@given(st.lists(JSON_TOKENS, max_size=40).map("".join))
def test_fuzz_json_tokens_never_raise(text: str) -> None:
    doc = load_text(text, fmt="json", limits=Limits(max_depth=4))
    for d in doc.diagnostics:
        assert d.code.startswith("KS1") and (d.line is None or d.line >= 1)
    if doc.data is not None and not doc.diagnostics:
        assert doc.data == json.loads(text)


def json_values(
    text: st.SearchStrategy[str], floats: st.SearchStrategy[float]
) -> st.SearchStrategy[Any]:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**63 - 1), max_value=2**63 - 1)
        | floats
        | text
    )
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=5) | st.dictionaries(text, children, max_size=5)
        ),
        max_leaves=25,
    )


def finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        value = list(value.values())
    return all(finite(v) for v in value) if isinstance(value, list) else True


@settings(max_examples=400, deadline=None)
@given(json_values(st.text(max_size=20), st.floats(allow_nan=False)), st.sampled_from([None, 2]))
def test_json_round_trip(value: Any, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    doc = load_text(text, fmt="json")
    assert doc.data == value
    assert set(codes(doc)) <= {"KS107"}
    assert (doc.diagnostics == []) == finite(value)
    assert () in doc.value_positions


# YAML refuses raw DEL and C1 controls; astral characters would be escaped as surrogate pairs.
YAML_SAFE_TEXT = st.text(
    st.characters(max_codepoint=0xFFFF, exclude_characters="\x7f", exclude_categories=["Cs"]),
    max_size=20,
)


@settings(max_examples=400, deadline=None)
@given(
    json_values(YAML_SAFE_TEXT, st.floats(allow_nan=False, allow_infinity=False)),
    st.sampled_from([None, 2]),
    st.sampled_from(PARSERS),
)
def test_json_is_read_the_same_as_yaml(value: Any, indent: int | None, parser: str) -> None:
    saved = loader._YAML_PARSER
    loader._YAML_PARSER = loader._CParser if parser == "c" and loader._CParser else yaml.SafeLoader
    try:
        text = json.dumps(value, indent=indent)
        doc = load_text(text, fmt="yaml")
    finally:
        loader._YAML_PARSER = saved
    assert doc.diagnostics == []
    assert doc.data == value
    json_doc = load_text(text, fmt="json")
    if isinstance(value, (dict, list)):
        assert doc.key_positions == json_doc.key_positions
