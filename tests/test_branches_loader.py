"""Every KS1xx branch of kerasspec/loader.py as a table row (issue #13, point 3).

A row is a document, the one diagnostic it must give (code, line, column, path),
a fragment of the message (or hint) that the branch selects, and the data the
loader must hand on (``ANY`` where the data is not the point). Removing or
inverting any branch that reports, positions, words or replaces a value makes at
least one row fail. YAML rows run with libyaml's parser and the pure-Python one.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kerasspec import loader
from kerasspec.loader import Document, Limits, Position, from_object, load_path, load_text


class _Any:
    def __eq__(self, other: object) -> bool:
        return True

    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Any()
NAN = math.nan
INF = math.inf
SMALL = Limits(max_depth=3)


@pytest.fixture(params=["c", "python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "c":
        if loader._CParser is None:
            pytest.skip("PyYAML built without libyaml")
        monkeypatch.setattr(loader, "_YAML_PARSER", loader._CParser)
    else:
        monkeypatch.setattr(loader, "_YAML_PARSER", yaml.SafeLoader)
    return str(request.param)


def found(doc: Document) -> list[tuple[str, int | None, int | None, str]]:
    return [(d.code, d.line, d.column, d.path) for d in doc.diagnostics]


def same(a: Any, b: Any) -> bool:
    """Equality where NaN equals NaN (a kept non-finite value)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) and type(a) is type(b) if not isinstance(b, _Any) else True


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


# --------------------------------------------------------------------------- YAML

#: (id, text, limits, code, line, column, path, message fragment, data)
YAML_ROWS: list[tuple[str, str, Limits, str, int, int, str, str, Any]] = [
    # KS108: integers above the limit become null; long ones are shortened in the message
    ("KS108 decimal", "a: 99999999999999999999\n", Limits(), "KS108", 1, 4, "/a", "integer 99999999999999999999 is too large", {"a": None}),
    ("KS108 long decimal shortened", "a: -123456789012345678901234567890\n", Limits(), "KS108", 1, 4, "/a", "-123456789012…567890 (30 digits)", {"a": None}),
    ("KS108 one above 2**63-1", "a: 9223372036854775808\n", Limits(), "KS108", 1, 4, "/a", "limit is 9,223,372,036,854,775,807", {"a": None}),
    ("KS108 negative one above", "a: -9223372036854775808\n", Limits(), "KS108", 1, 4, "/a", "integer -9223372036854775808", {"a": None}),
    ("KS108 hexadecimal", "a: 0x8000000000000000\n", Limits(), "KS108", 1, 4, "/a", "0x8000000000000000", {"a": None}),
    ("KS108 octal", "a: 0o1000000000000000000000\n", Limits(), "KS108", 1, 4, "/a", "0o1000000000000000000000", {"a": None}),
    ("KS108 custom limit", "a: [4, 5]\n", Limits(max_int=4), "KS108", 1, 8, "/a/1", "limit is 4 in absolute value", {"a": [4, None]}),
    ("KS108 custom limit, leading zeros", "a: 0005\n", Limits(max_int=4), "KS108", 1, 4, "/a", "integer 0005", {"a": None}),
    ("KS108 custom limit, negative", "a: -5\n", Limits(max_int=4), "KS108", 1, 4, "/a", "integer -5", {"a": None}),
    ("KS108 custom limit, hex", "a: 0x5\n", Limits(max_int=4), "KS108", 1, 4, "/a", "0x5", {"a": None}),
    ("KS108 custom limit, octal", "a: 0o5\n", Limits(max_int=4), "KS108", 1, 4, "/a", "0o5", {"a": None}),
    # KS107: non-finite floats are kept (the structure stays intact) and reported
    ("KS107 overflow", "a: 1e999\n", Limits(), "KS107", 1, 4, "/a", "1e999 overflows to infinity", {"a": INF}),
    ("KS107 negative overflow", "a: -1e999\n", Limits(), "KS107", 1, 4, "/a", "-1e999 overflows to infinity", {"a": -INF}),
    ("KS107 .inf", "a: .inf\n", Limits(), "KS107", 1, 4, "/a", ".inf is not a finite number", {"a": INF}),
    ("KS107 -.Inf", "a: -.Inf\n", Limits(), "KS107", 1, 4, "/a", "-.Inf is not a finite number", {"a": -INF}),
    ("KS107 +.INF", "a: +.INF\n", Limits(), "KS107", 1, 4, "/a", "+.INF is not a finite number", {"a": INF}),
    ("KS107 .nan", "a: [1, .NaN]\n", Limits(), "KS107", 1, 8, "/a/1", ".NaN is not a finite number", {"a": [1, NAN]}),
    # KS104: aliases are never expanded; anchored values are kept as written
    ("KS104 alias value", "a: *x\n", Limits(), "KS104", 1, 4, "/a", "alias '*x' is not allowed; it was not expanded", {"a": None}),
    ("KS104 alias in a list", "a: [1, *x]\n", Limits(), "KS104", 1, 8, "/a/1", "alias '*x'", {"a": [1, None]}),
    ("KS104 anchored scalar", "a: &x 1\n", Limits(), "KS104", 1, 4, "/a", "anchor '&x' is not allowed", {"a": 1}),
    ("KS104 anchored list", "a: &x [1]\n", Limits(), "KS104", 1, 4, "/a", "anchor '&x'", {"a": [1]}),
    ("KS104 alias key", "? *x\n: 1\nb: 2\n", Limits(), "KS104", 1, 3, "", "alias '*x' used as a key is not allowed", {"b": 2}),
    ("KS104 anchored key", "&k a: 1\n", Limits(), "KS104", 1, 1, "/a", "anchor '&k' is not allowed", {"a": 1}),
    # KS103: tags are refused; a tagged scalar becomes null, a tagged collection is skipped
    ("KS103 core tag", "a: !!str 1\n", Limits(), "KS103", 1, 4, "/a", "tag '!!str' is not allowed; the value was ignored", {"a": None}),
    ("KS103 python tag", "a: !!python/object:os.system x\n", Limits(), "KS103", 1, 4, "/a", "tag '!!python/object:os.system'", {"a": None}),
    ("KS103 local tag on a collection", "a: !foo [1, {b: 2}]\nc: 3\n", Limits(), "KS103", 1, 4, "/a", "tag '!foo'", {"a": None, "c": 3}),
    ("KS103 tagged mapping", "a: !!map {b: {c: 1}}\nd: 2\n", Limits(), "KS103", 1, 4, "/a", "tag '!!map'", {"a": None, "d": 2}),
    ("KS103 tag in a list", "a:\n  - !!int 3\n  - 4\n", Limits(), "KS103", 2, 5, "/a/0", "tag '!!int'", {"a": [None, 4]}),
    ("KS103 tag on a key", "!!str a: 1\n", Limits(), "KS103", 1, 1, "/a", "tag '!!str' is not allowed on a key", {"a": 1}),
    # KS102: duplicate keys keep the first value; the second one (and what it holds) is dropped
    ("KS102 duplicate", "a: 1\nb: 2\na: 3\n", Limits(), "KS102", 3, 1, "/a", "duplicate key 'a' (first defined on line 1); the first value is kept", {"a": 1, "b": 2}),
    ("KS102 duplicate with a collection", "a: 1\na: [1, {b: .nan}]\nc: 4\n", Limits(), "KS102", 2, 1, "/a", "duplicate key 'a'", {"a": 1, "c": 4}),
    ("KS102 duplicate nested", "x:\n  a: 1\n  a: 2\n", Limits(), "KS102", 3, 3, "/x/a", "first defined on line 2", {"x": {"a": 1}}),
    ("KS102 duplicate explicit keys", "? a\n? a\n", Limits(), "KS102", 2, 3, "/a", "duplicate key 'a'", {"a": None}),
    ("KS102 long key shortened", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: 1\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: 2\n", Limits(), "KS102", 2, 1, "/" + "a" * 46, "duplicate key '" + "a" * 39 + "…'", ANY),
    # KS101: complex keys are skipped; syntax errors and forbidden characters stop reading
    ("KS101 sequence key", "? [a, [b]]\n: [1, [2]]\nc: 3\n", Limits(), "KS101", 1, 3, "", "a mapping or a sequence cannot be a key", {"c": 3}),
    ("KS101 mapping key", "? {c: d}\n: 1\n", Limits(), "KS101", 1, 3, "", "cannot be a key; the entry was ignored", {}),
    ("KS101 syntax", "a: b: c\n", Limits(), "KS101", 1, 5, "", "YAML syntax error: mapping values are not allowed", None),
    ("KS101 syntax with its context", "a: [1\n", Limits(), "KS101", 2, 1, "", "(while parsing a flow sequence started on line 1)", None),
    ("KS101 control character", "a: \x07\n", Limits(), "KS101", 1, 4, "", "character U+0007 is not allowed in YAML", None),
    ("KS101 control character after a 2-byte one", "é: x\x07\n", Limits(), "KS101", 1, 5, "", "U+0007", None),
    ("KS101 control character after a 4-byte one", "a: '\U0001f600\x00'\n", Limits(), "KS101", 1, 6, "", "U+0000", None),
    # KS109: the first document is read
    ("KS109 second document", "a: 1\n---\nb: 2\n", Limits(), "KS109", 2, 1, "", "more than one YAML document; only the first one is read", {"a": 1}),
    ("KS109 after an explicit end", "a: 1\n...\n---\nb: [\n", Limits(), "KS109", 3, 1, "", "only the first one", {"a": 1}),
    # KS106: nesting beyond the limit stops there; deeper still, reading gives up
    ("KS106 at the limit", "a: [[[1]]]\n", SMALL, "KS106", 1, 6, "/a/0/0", "nests deeper than 3 levels", {"a": [[None]]}),
    ("KS106 block style", "a:\n  b:\n    c:\n      d: 1\n", SMALL, "KS106", 4, 7, "/a/b/c", "kerasspec stops reading deeper", {"a": {"b": {"c": None}}}),
    ("KS106 reported once for siblings", "a: [[[1]], [[2]]]\n", SMALL, "KS106", 1, 6, "/a/0/0", "3 levels", {"a": [[None], [None]]}),
    ("KS106 give up far below the limit", nested(300), Limits(), "KS106", 1, 65, "/0" * 64, "64 levels", None),
]


@pytest.mark.parametrize(
    ("name", "text", "limits", "code", "line", "column", "path", "fragment", "data"),
    YAML_ROWS,
    ids=[r[0] for r in YAML_ROWS],
)
def test_yaml_branch(
    parser: str, name: str, text: str, limits: Limits, code: str, line: int, column: int, path: str, fragment: str, data: Any
) -> None:
    doc = load_text(text, fmt="yaml", limits=limits)
    assert found(doc) == [(code, line, column, path)], doc.diagnostics
    assert fragment in doc.diagnostics[0].message
    assert doc.diagnostics[0].hint
    assert same(doc.data, data), doc.data


def test_yaml_libyaml_nesting_cap_is_ks106(monkeypatch: pytest.MonkeyPatch) -> None:
    # With the depth limit raised above libyaml's own cap (1000), libyaml's refusal is KS106.
    if loader._CParser is None:
        pytest.skip("PyYAML built without libyaml")
    monkeypatch.setattr(loader, "_YAML_PARSER", loader._CParser)
    doc = load_text(nested(1500), fmt="yaml", limits=Limits(max_depth=2000))
    assert found(doc) == [("KS106", 1, 1001, "")] and doc.data is None


def test_yaml_give_up_far_below_a_tag(parser: str) -> None:
    # A tagged collection is skipped, not built; nested far deeper still, reading gives up (KS106).
    doc = load_text("a: !t " + nested(200) + "\n", fmt="yaml", limits=SMALL)
    assert found(doc) == [("KS103", 1, 4, "/a"), ("KS106", 1, 134, "")] and doc.data is None


def test_yaml_a_deep_node_beyond_the_limit_counts_once(parser: str) -> None:
    # The first node beyond the limit is reported; later ones are only marked as reported.
    doc = load_text("a: [[[1]], [[2]]]\n", fmt="yaml", limits=SMALL)
    assert doc.reported == {("a", 0, 0), ("a", 1, 0)}


#: Where a node is, and that the loader marks what it reported (later stages stay quiet there).
REPORTED_ROWS: list[tuple[str, str, set[tuple[str | int, ...]]]] = [
    ("alias", "a: *x\nb: 1\n", {("a",)}),
    ("anchor", "a: &x 1\n", {("a",)}),
    ("tag", "a: !t 1\n", {("a",)}),
    ("tag on a key", "!t a: 1\n", {("a",)}),
    ("anchor on a key", "&k a: 1\n", {("a",)}),
    ("duplicate", "a: 1\na: 2\n", {("a",)}),
    ("huge", "a: [99999999999999999999]\n", {("a", 0)}),
    ("non-finite", "a: .inf\n", {("a",)}),
    ("complex key: nothing under a path", "? [a]\n: 1\n", set()),
    ("clean", "a: [1, {b: c}]\n", set()),
]


@pytest.mark.parametrize(("name", "text", "reported"), REPORTED_ROWS, ids=[r[0] for r in REPORTED_ROWS])
def test_yaml_reported_paths(parser: str, name: str, text: str, reported: set[tuple[str | int, ...]]) -> None:
    assert load_text(text, fmt="yaml").reported == reported


#: Plain scalars the loader resolves (the branches of the YAML 1.2 core schema).
VALUE_ROWS: list[tuple[str, Limits, Any]] = [
    ("a: 12", Limits(), {"a": 12}),
    ("a: -0000000000000000000000012", Limits(), {"a": -12}),
    ("a: +0000000000000000000000012", Limits(), {"a": 12}),
    ("a: 000000000000000000000000", Limits(), {"a": 0}),
    ("a: 9223372036854775807", Limits(), {"a": 2**63 - 1}),
    ("a: -9223372036854775807", Limits(), {"a": -(2**63 - 1)}),
    ("a: 4", Limits(max_int=4), {"a": 4}),
    ("a: -4", Limits(max_int=4), {"a": -4}),
    ("a: 0x4", Limits(max_int=4), {"a": 4}),
    ("a: 0o4", Limits(max_int=4), {"a": 4}),
    ("a: 0x1F", Limits(), {"a": 31}),
    ("a: 0o17", Limits(), {"a": 15}),
    ("a: 0o", Limits(), {"a": "0o"}),
    ("a: 0x", Limits(), {"a": "0x"}),
    ("a: 0xg", Limits(), {"a": "0xg"}),
    ("a: 1.5e3", Limits(), {"a": 1500.0}),
    ("a: -.5", Limits(), {"a": -0.5}),
    ("a: 1e", Limits(), {"a": "1e"}),
    ("a: +x", Limits(), {"a": "+x"}),
    ("a: .infinity", Limits(), {"a": ".infinity"}),
    ("a: ~", Limits(), {"a": None}),
    ("a:", Limits(), {"a": None}),
    ("a: FALSE", Limits(), {"a": False}),
    ("a: no", Limits(), {"a": "no"}),
    ("a: '12'", Limits(), {"a": "12"}),
    ('a: "null"', Limits(), {"a": "null"}),
    ("a: |\n  1\n", Limits(), {"a": "1\n"}),
    ("1: 2", Limits(), {"1": 2}),
    ("null: 2", Limits(), {"null": 2}),
    ("", Limits(), None),
    ("# a comment only\n", Limits(), None),
    ("--- 3\n", Limits(), 3),
]


@pytest.mark.parametrize(("text", "limits", "data"), VALUE_ROWS, ids=[r[0] or "empty" for r in VALUE_ROWS])
def test_yaml_value(parser: str, text: str, limits: Limits, data: Any) -> None:
    doc = load_text(text, fmt="yaml", limits=limits)
    assert doc.diagnostics == []
    assert same(doc.data, data), doc.data


# --------------------------------------------------------------------------- JSON

#: (id, text, limits, code, line, column, path, message fragment, hint fragment or None for no hint, data)
JSON_ROWS: list[tuple[str, str, Limits, str, int, int, str, str, str | None, Any]] = [
    ("KS102 duplicate", '{"a": 1, "a": 2}', Limits(), "KS102", 1, 10, "/a", "duplicate key 'a' (first defined on line 1); the first value is kept", "kerasspec keeps the first", {"a": 1}),
    ("KS102 dropped value is not read for findings", '{"a": 1, "a": [1e999, 99999999999999999999, -Infinity, Infinity, NaN, {"b": {"c": {"d": [1]}}}], "c": 3}', SMALL, "KS102", 1, 10, "/a", "duplicate key 'a'", "keeps the first", {"a": 1, "c": 3}),
    ("KS102 nested", '{"x": {"a": 1,\n "a": 2}}', Limits(), "KS102", 2, 2, "/x/a", "first defined on line 1", "keeps the first", {"x": {"a": 1}}),
    ("KS102 beyond recorded positions", "{\"a\": " * 70 + '{"k": 1, "k": 2}' + "}" * 70, Limits(max_depth=100), "KS102", 1, 430, "/a" * 70 + "/k", "duplicate key 'k'; the first value is kept", "keeps the first", ANY),
    ("KS106 at the limit", '{"a": [[[[1]]]]}', SMALL, "KS106", 1, 9, "/a/0/0", "nests deeper than 3 levels", "flatten", {"a": [[None]]}),
    ("KS106 object at the limit", '{"a": {"b": {"c": {}}}}', SMALL, "KS106", 1, 19, "/a/b/c", "3 levels", "flatten", {"a": {"b": {"c": None}}}),
    ("KS106 once for siblings", '{"a": [[[[1]]], [[[2]]]]}', SMALL, "KS106", 1, 9, "/a/0/0", "3 levels", "flatten", {"a": [[None], [None]]}),
    ("KS107 -Infinity", "[-Infinity]", Limits(), "KS107", 1, 2, "/0", "-Infinity is not a finite number", "finite", [-INF]),
    ("KS107 Infinity", '{"a": Infinity}', Limits(), "KS107", 1, 7, "/a", "Infinity is not a finite number", "finite", {"a": INF}),
    ("KS107 NaN", "[1, NaN]", Limits(), "KS107", 1, 5, "/1", "NaN is not a finite number", "finite", [1, NAN]),
    ("KS107 overflow", "[1e999]", Limits(), "KS107", 1, 2, "/0", "1e999 overflows to infinity", "finite", [INF]),
    ("KS107 negative overflow", "[-1.5e999]", Limits(), "KS107", 1, 2, "/0", "-1.5e999 overflows to infinity", "finite", [-INF]),
    ("KS108 huge", "[99999999999999999999]", Limits(), "KS108", 1, 2, "/0", "integer 99999999999999999999 is too large", "64-bit", [None]),
    ("KS108 huge negative", "[-99999999999999999999]", Limits(), "KS108", 1, 2, "/0", "integer -99999999999999999999", "64-bit", [None]),
    ("KS108 one above", "[9223372036854775808]", Limits(), "KS108", 1, 2, "/0", "9223372036854775808", "64-bit", [None]),
    ("KS108 long shortened", "[123456789012345678901234567890]", Limits(), "KS108", 1, 2, "/0", "123456789012…567890 (30 digits)", "64-bit", [None]),
    ("KS108 custom limit", "[4, 5]", Limits(max_int=4), "KS108", 1, 5, "/1", "limit is 4", "64-bit", [4, None]),
    ("KS108 custom limit negative", "[-4, -5]", Limits(max_int=4), "KS108", 1, 6, "/1", "integer -5", "64-bit", [-4, None]),
    ("KS108 many digits, small limit", "[10000000000000000000000000]", Limits(max_int=4), "KS108", 1, 2, "/0", "100000000000…000000 (26 digits)", "64-bit", [None]),
    ("KS101 '-' alone", "[-]", Limits(), "KS101", 1, 2, "", "invalid number: '-' must be followed by a digit", None, None),
    ("KS101 leading zero", "[01]", Limits(), "KS101", 1, 2, "", "invalid number '01'", "no leading zeros", None),
    ("KS101 no digit after '.'", "[1.]", Limits(), "KS101", 1, 2, "", "invalid number '1.'", "after '.'", None),
    ("KS101 no digit after 'e'", "[2e]", Limits(), "KS101", 1, 2, "", "invalid number '2e'", "after 'e'", None),
    ("KS101 missing ':'", '{"a" 1}', Limits(), "KS101", 1, 6, "", "unexpected character '1'; expected ':' after the member name", None, None),
    ("KS101 trailing comma in an object", '{"a": 1,\n}', Limits(), "KS101", 1, 8, "", "trailing comma before '}'", "after the last member", None),
    ("KS101 empty member", "{,}", Limits(), "KS101", 1, 2, "", "expected a member name in double quotes", None, None),
    ("KS101 trailing comma in an array", "[1,\n ]", Limits(), "KS101", 1, 3, "", "trailing comma before ']'", "after the last element", None),
    ("KS101 missing ',' in an array", "[1 2]", Limits(), "KS101", 1, 4, "", "expected ',' or ']' after array element", None, None),
    ("KS101 missing ',' in an object", '{"a": 1 "b": 2}', Limits(), "KS101", 1, 9, "", "expected ',' or '}' after object member", None, None),
    ("KS101 trailing data", '{"a": 1}\n\n x', Limits(), "KS101", 3, 2, "", "trailing data after the document", "exactly one value", None),
    ("KS101 end of input", '{"a": [1, 2', Limits(), "KS101", 1, 12, "", "unexpected end of input; expected ',' or ']'", "cut short", None),
    ("KS101 comment", '{"a": /*c*/ 1}', Limits(), "KS101", 1, 7, "", "comments are not allowed in JSON", "'#' comments", None),
    ("KS101 single quotes", "{'a': 1}", Limits(), "KS101", 1, 2, "", "strings must use double quotes in JSON", "replace the single quotes", None),
    ("KS101 Python True", "[True]", Limits(), "KS101", 1, 2, "", "unexpected 'True'", "JSON spells it true", None),
    ("KS101 Python None", '{"a": None}', Limits(), "KS101", 1, 7, "", "unexpected 'None'", "JSON spells it null", None),
    ("KS101 nan", "[nan]", Limits(), "KS101", 1, 2, "", "unexpected 'nan'", "JSON spells it NaN", None),
    ("KS101 bare word", "[relu]", Limits(), "KS101", 1, 2, "", "unexpected 'relu'; expected a value", "double quotes", None),
    ("KS101 bare key", "{units: 1}", Limits(), "KS101", 1, 2, "", "unexpected 'units'; expected a member name", "double quotes", None),
    ("KS101 long word shortened", "[" + "x" * 50 + "]", Limits(), "KS101", 1, 2, "", "unexpected '" + "x" * 39 + "…'", "double quotes", None),
    ("KS101 control character", "[\x01]", Limits(), "KS101", 1, 2, "", "unexpected character 'U+0001'", None, None),
    ("KS101 printable character", "[@]", Limits(), "KS101", 1, 2, "", "unexpected character '@'", None, None),
    ("KS101 bad escape", '["a\\q"]', Limits(), "KS101", 1, 4, "", "invalid \\escape", "valid escapes", None),
    ("KS101 raw line break", '["a\n"]', Limits(), "KS101", 1, 4, "", "invalid control character", "as \\t and \\n", None),
    ("KS101 unterminated string", '["abc', Limits(), "KS101", 1, 2, "", "unterminated string", "close the string", None),
    ("KS101 unterminated key", '{"abc', Limits(), "KS101", 1, 2, "", "unterminated string", "close the string", None),
    ("KS101 lone '\\r' counts as a line", '[1,\r2,\r\n x]', Limits(), "KS101", 3, 2, "", "unexpected 'x'", "double quotes", None),
]


@pytest.mark.parametrize(
    ("name", "text", "limits", "code", "line", "column", "path", "fragment", "hint", "data"),
    JSON_ROWS,
    ids=[r[0] for r in JSON_ROWS],
)
def test_json_branch(
    name: str, text: str, limits: Limits, code: str, line: int, column: int, path: str, fragment: str, hint: str | None, data: Any
) -> None:
    doc = load_text(text, fmt="json", limits=limits, file="m.json")
    assert found(doc) == [(code, line, column, path)], doc.diagnostics
    d = doc.diagnostics[0]
    assert fragment in d.message and d.file == "m.json"
    if code == "KS101":
        assert d.message.startswith("JSON syntax error: ")
    if hint is None:
        assert d.hint is None
    else:
        assert d.hint is not None and hint in d.hint
    assert same(doc.data, data), doc.data


JSON_VALUE_ROWS: list[tuple[str, Any]] = [
    ("", None),
    (" \n\t", None),
    ("{}", {}),
    ("[]", []),
    ('{"a": [], "b": {}}', {"a": [], "b": {}}),
    ('{"a"  :  1 , "b":[ 1 ,2 ] }', {"a": 1, "b": [1, 2]}),
    ("[-9223372036854775807, 9223372036854775807]", [-(2**63 - 1), 2**63 - 1]),
    ("[1.5, -0.0, 2E-3, 0, -0]", [1.5, -0.0, 0.002, 0, 0]),
    ("[true, false, null]", [True, False, None]),
    ('"\\u00e9\\n"', "é\n"),
]


@pytest.mark.parametrize(("text", "data"), JSON_VALUE_ROWS, ids=[r[0] or "empty" for r in JSON_VALUE_ROWS])
def test_json_value(text: str, data: Any) -> None:
    doc = load_text(text, fmt="json")
    assert doc.diagnostics == []
    assert same(doc.data, data), doc.data


def test_json_positions_of_keys_and_values() -> None:
    doc = load_text('{\n  "a": [1,\n    {"b": 2}]\n}', fmt="json")
    assert doc.value_positions[("a",)] == Position(2, 8)
    assert doc.value_positions[("a", 1, "b")] == Position(3, 11)
    assert doc.key_positions[("a",)] == Position(2, 3)
    assert doc.key_positions[("a", 1, "b")] == Position(3, 6)
    assert ("a", 1) not in doc.key_positions


def test_json_deep_nodes_beyond_the_limit_count_once() -> None:
    doc = load_text('{"a": [[[[1]]], [[[2]]]]}', fmt="json", limits=SMALL)
    assert doc.reported == {("a", 0, 0), ("a", 1, 0)}


# --------------------------------------------------------------------------- load_text: bytes, sizes, formats

#: (id, source, keyword arguments, code or None, line, column, message fragment, data)
TEXT_ROWS: list[tuple[str, str | bytes, dict[str, Any], str | None, int | None, int | None, str, Any]] = [
    ("KS110 invalid start byte", b"a: 1\n\xffb", {}, "KS110", 2, 1, "byte 0xff cannot be decoded (invalid start byte)", None),
    ("KS110 bad continuation", b"a: 1\nbb: \xc3(\n", {}, "KS110", 2, 5, "byte 0xc3", None),
    ("KS110 UTF-16 LE", b"\xff\xfe" + "a: 1".encode("utf-16-le"), {}, "KS110", 1, 1, "the file is UTF-16 encoded", None),
    ("KS110 UTF-16 BE", b"\xfe\xff" + "a: 1".encode("utf-16-be"), {}, "KS110", 1, 1, "UTF-16", None),
    ("KS110 surrogate in text", "a: 1\nb: \ud800\n", {}, "KS110", 2, 4, "unpaired surrogate U+D800", None),
    ("KS105 bytes", b"a: 12345", {"limits": Limits(max_bytes=5)}, "KS105", 1, 1, "the file is 8 bytes, above the limit of 5 bytes", None),
    ("KS105 ASCII text", "a: 12345", {"limits": Limits(max_bytes=5)}, "KS105", 1, 1, "8 bytes", None),
    ("KS105 text counted in UTF-8", "ééé", {"limits": Limits(max_bytes=5)}, "KS105", 1, 1, "6 bytes", None),
    ("KS105 thousands", b"a" * 1500, {"limits": Limits(max_bytes=1000)}, "KS105", 1, 1, "1,500 bytes, above the limit of 1,000 bytes", None),
    ("at the size limit", "ab", {"limits": Limits(max_bytes=2)}, None, None, None, "", "ab"),
    ("UTF-8 text at the limit", "éé", {"limits": Limits(max_bytes=4)}, None, None, None, "", "éé"),
    ("BOM in text", "\ufeffa: 1", {}, None, None, None, "", {"a": 1}),
    ("BOM in bytes", b"\xef\xbb\xbfa: 1", {}, None, None, None, "", {"a": 1}),
    ("BOM before JSON", '\ufeff{"a": NaN}', {}, "KS107", 1, 7, "NaN", {"a": NAN}),
    ("'{' is JSON first", ' \n{"a": NaN}', {}, "KS107", 2, 7, "NaN", {"a": NAN}),
    ("'[' is JSON first", "[1, .5]", {}, None, None, None, "", [1, 0.5]),
    ("not JSON: YAML flow", "{a: 1}", {}, None, None, None, "", {"a": 1}),
    ("neither: the JSON error", "{a: [1}", {}, "KS101", 1, 2, "JSON syntax error", None),
    ("plain text is YAML", "a: .nan", {}, "KS107", 1, 4, ".nan", {"a": NAN}),
    (".json suffix", "{a: 1}", {"file": "m.json"}, "KS101", 1, 2, "JSON syntax error", None),
    (".JSON suffix", "{a: 1}", {"file": "M.JSON"}, "KS101", 1, 2, "JSON syntax error", None),
    (".yml suffix", "{a: 1}", {"file": "m.YML"}, None, None, None, "", {"a": 1}),
    (".yaml suffix", "[1, .5]", {"file": "m.yaml"}, None, None, None, "", [1, 0.5]),
    ("yaml suffix, JSON-only word", "[NaN]", {"file": "m.yaml"}, None, None, None, "", ["NaN"]),
    ("unknown suffix: detected", "[NaN]", {"file": "m.txt"}, "KS107", 1, 2, "NaN", [NAN]),
    ("fmt overrides the suffix", "{a: 1}", {"file": "m.json", "fmt": "yaml"}, None, None, None, "", {"a": 1}),
    ("fmt json", "a: 1", {"fmt": "json"}, "KS101", 1, 1, "unexpected 'a'", None),
]


@pytest.mark.parametrize(
    ("name", "source", "kwargs", "code", "line", "column", "fragment", "data"), TEXT_ROWS, ids=[r[0] for r in TEXT_ROWS]
)
def test_text_branch(
    name: str, source: str | bytes, kwargs: dict[str, Any], code: str | None, line: int | None, column: int | None, fragment: str, data: Any
) -> None:
    doc = load_text(source, **kwargs)
    if code is None:
        assert doc.diagnostics == []
    else:
        assert [(d.code, d.line, d.column) for d in doc.diagnostics] == [(code, line, column)]
        assert fragment in doc.diagnostics[0].message and doc.diagnostics[0].hint
        assert doc.diagnostics[0].file == kwargs.get("file")
    assert same(doc.data, data), doc.data


def test_an_unknown_format_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="fmt must be 'yaml', 'json' or None"):
        load_text("a: 1", fmt="toml")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- load_path


def test_load_path_branches(tmp_path: Path) -> None:
    js = tmp_path / "m.JSON"
    js.write_text("{a: 1}")
    assert [(d.code, d.file) for d in load_path(js).diagnostics] == [("KS101", str(js))]  # JSON by its suffix
    other = tmp_path / "m.txt"
    other.write_text('{"a": 1}\n# YAML comment\n')
    assert load_path(other).data == {"a": 1} and not load_path(other).diagnostics  # YAML: not detected
    big = tmp_path / "big.yaml"
    big.write_text("a: 12345\n")
    doc = load_path(big, limits=Limits(max_bytes=5))
    assert [(d.code, d.line, d.column, d.file) for d in doc.diagnostics] == [("KS105", 1, 1, str(big))]
    assert "the file is 9 bytes, above the limit of 5 bytes" in doc.diagnostics[0].message and doc.data is None
    exact = tmp_path / "exact.yaml"
    exact.write_text("a: 1\n")
    assert load_path(exact, limits=Limits(max_bytes=5)).data == {"a": 1}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc files report size 0 on Linux")
def test_load_path_reads_one_byte_past_the_limit() -> None:
    # A file whose size is not known in advance (it reports 0) is read to one byte past the limit.
    doc = load_path("/proc/self/status", limits=Limits(max_bytes=20))
    assert [(d.code, d.line, d.column) for d in doc.diagnostics] == [("KS105", 1, 1)]
    assert "the file is more than 20 bytes, above the limit of 20 bytes" in doc.diagnostics[0].message
    assert doc.data is None and doc.diagnostics[0].file == "/proc/self/status"


# --------------------------------------------------------------------------- from_object

_cycle: list[Any] = []
_cycle.append(_cycle)


class _Weird:
    pass


_WEIRD = _Weird()

#: (id, object, limits, [(code, path, message fragment)], data)
OBJECT_ROWS: list[tuple[str, Any, Limits, list[tuple[str, str, str]], Any]] = [
    ("plain copy", {"a": [1, 2.5, "s", None, True, False]}, Limits(), [], {"a": [1, 2.5, "s", None, True, False]}),
    ("tuples become lists", {"a": (1, (2, 3))}, Limits(), [], {"a": [1, [2, 3]]}),
    ("key True", {True: 1}, Limits(), [], {"true": 1}),
    ("key False", {False: 1}, Limits(), [], {"false": 1}),
    ("key None", {None: 1}, Limits(), [], {"null": 1}),
    ("key number", {2: 1, 2.5: 2}, Limits(), [], {"2": 1, "2.5": 2}),
    ("KS102 duplicate after conversion", {"1": "y", 1: "x"}, Limits(), [("KS102", "/1", "duplicate key '1' after converting 1 to a string")], {"1": "y"}),
    ("KS102 None and 'null'", {"null": 1, None: 2}, Limits(), [("KS102", "/null", "after converting None")], {"null": 1}),
    ("KS107 NaN", {"a": NAN}, Limits(), [("KS107", "/a", "nan is not a finite number")], {"a": NAN}),
    ("KS107 -inf", {"a": [-INF]}, Limits(), [("KS107", "/a/0", "-inf is not a finite number")], {"a": [-INF]}),
    ("KS108 huge", {"a": 2**70}, Limits(), [("KS108", "/a", "integer 1180591620717411303424")], {"a": None}),
    ("KS108 huge negative", {"a": -(2**70)}, Limits(), [("KS108", "/a", "integer -1180591620717411303424")], {"a": None}),
    ("KS108 enormous", {"a": 2**5000}, Limits(), [("KS108", "/a", "integer 2**5000+…")], {"a": None}),
    ("KS108 enormous negative", {"a": -(2**5000)}, Limits(), [("KS108", "/a", "integer -2**5000+…")], {"a": None}),
    ("KS108 custom limit", {"a": [4, -5]}, Limits(max_int=4), [("KS108", "/a/1", "integer -5")], {"a": [4, None]}),
    ("bool is not an integer", {"a": True}, Limits(max_int=0), [], {"a": True}),
    ("KS106 depth", {"a": [[[1]], [[2]]]}, SMALL, [("KS106", "/a/0/0", "3 levels")], {"a": [[None], [None]]}),
    ("KS106 a cycle", _cycle, Limits(), [("KS106", "/0" * 64, "64 levels")], ANY),
    ("other types are kept", {"a": _WEIRD}, Limits(), [], {"a": _WEIRD}),
]


@pytest.mark.parametrize(("name", "obj", "limits", "expected", "data"), OBJECT_ROWS, ids=[r[0] for r in OBJECT_ROWS])
def test_object_branch(name: str, obj: Any, limits: Limits, expected: list[tuple[str, str, str]], data: Any) -> None:
    doc = from_object(obj, limits=limits)
    assert [(d.code, d.path) for d in doc.diagnostics] == [(c, p) for c, p, _ in expected]
    for d, (_, _, fragment) in zip(doc.diagnostics, expected, strict=True):
        assert fragment in d.message and d.line is None and d.column is None and d.hint
    assert same(doc.data, data), doc.data
    assert doc.value_positions == {} and doc.key_positions == {}


def test_from_object_numbers_become_plain_types() -> None:
    class Int(int):
        pass

    class Str(str):
        pass

    doc = from_object({"a": Int(3), "b": Str("x"), Str("k"): 1})
    assert type(doc.data["a"]) is int and type(doc.data["b"]) is str
    assert all(type(k) is str for k in doc.data)
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        return
    doc = from_object({"n": np.int64(3), "f": np.float32(1.5)})
    assert doc.data == {"n": 3, "f": 1.5} and type(doc.data["n"]) is int and type(doc.data["f"]) is float


def test_from_object_recursion_error_is_ks106() -> None:
    deep: list[Any] = [1]
    for _ in range(5000):
        deep = [deep]
    doc = from_object(deep, limits=Limits(max_depth=100_000))
    assert [(d.code, d.path) for d in doc.diagnostics] == [("KS106", "")] and doc.data is None


# --------------------------------------------------------------------------- Document lookups


def test_document_position_branches() -> None:
    doc = load_text("a:\n  b: [1, 2]\nc: 3\n", fmt="yaml")
    assert doc.position(("a", "b", 1)) == Position(2, 10)
    assert doc.position(("a", "b")) == Position(2, 6)  # the value
    assert doc.position(("a", "b"), key=True) == Position(2, 3)  # the key
    assert doc.position(("a", "b", 1), key=True) == Position(2, 10)  # no key: the value
    assert doc.position(("a", "missing", 0)) == Position(2, 3)  # nearest ancestor, its value
    assert doc.position(("zzz",)) == Position(1, 1)  # the root
    assert from_object({"a": 1}).position(("a",)) is None
    deep = load_text(nested(80), fmt="yaml", limits=Limits(max_depth=100))
    assert deep.position((0,) * 80) == Position(1, 65)  # deeper than recorded: the deepest recorded


def test_document_is_reported_branches() -> None:
    doc = Document(data=None)
    assert not doc.is_reported(("a",))
    doc.reported.update({("a", 1)})
    assert doc.is_reported(("a", 1)) and doc.is_reported(("a", 1, "x")) and not doc.is_reported(("a",))
    assert not doc.is_reported(("a", 2))
    doc.reported.update({("b",), ("c",), ("d", 0), ("e",)})  # more findings than path parts
    assert doc.is_reported(("a", 1, "x")) and doc.is_reported(("d", 0)) and not doc.is_reported(("d", 1))
    assert not doc.is_reported(())
