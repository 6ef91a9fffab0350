"""The examples: every valid one is clean, every invalid one reports exactly its mistake.

``examples/*.yaml|json`` are valid specs: they check with no error and no warning.

``examples/invalid/KSnnn_short_name.(yaml|json)`` each hold one mistake (a few hold
two on purpose). A YAML example states what it must report in its leading comments,
a JSON example (JSON has no comments) in a sidecar ``NAME.json.expect``::

    # expect: KS201 /layers/0/kernal_size 9:5

that is: the code, the JSON Pointer of the diagnostic (``""`` for the whole
document) and its line:column. The example must report every expectation, and no
error that is not expected (extra warnings are allowed). Every code in
:data:`kerasspec.diagnostics.RULES` has an example named after it, except KS105
(file too large): a file above the default 1 MB limit does not belong in the
repository, and the CLI has no option to lower the limit, so it is tested here with
a small :class:`~kerasspec.loader.Limits` instead.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

import kerasspec
from kerasspec import api, cli
from kerasspec.diagnostics import RULES, Diagnostic, Severity
from kerasspec.loader import Limits, load_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
INVALID = EXAMPLES / "invalid"
SUFFIXES = (".yaml", ".yml", ".json")
MODELINE = "# yaml-language-server: $schema=../../spec_schema/kerasspec.schema.json"

VALID_EXAMPLES = sorted(p for p in EXAMPLES.iterdir() if p.is_file() and p.suffix in SUFFIXES)
INVALID_EXAMPLES = sorted(p for p in INVALID.iterdir() if p.is_file() and p.suffix in SUFFIXES)

#: Codes that have no example file, and the test that covers each instead.
TEST_ONLY = {"KS105": "test_ks105_file_too_large"}

#: Known bugs: the example reports an error it should not. Each is xfail(strict=True),
#: so the test starts failing (and this entry must go) once the bug is fixed.
EXTRA_ERROR_BUGS: dict[str, str] = {}

_EXPECT = re.compile(r'^(?:#\s*)?expect:\s+(KS\d{3})\s+(""|/\S*)\s+(\d+):(\d+)\s*$')


@dataclass(frozen=True, order=True)
class Expected:
    code: str
    path: str
    line: int
    column: int

    def __str__(self) -> str:
        path = self.path or '""'
        return f"{self.code} {path} {self.line}:{self.column}"


def _key(d: Diagnostic) -> Expected:
    return Expected(d.code, d.path, d.line or 0, d.column or 0)


def read_text(path: Path) -> str:
    """An example's text, whatever its (possibly deliberately wrong) encoding."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def header(path: Path) -> list[str]:
    """The leading comment lines of a YAML example."""
    lines = []
    for line in read_text(path).splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return lines


def expectations(path: Path) -> list[Expected]:
    if path.suffix == ".json":
        lines = (path.parent / (path.name + ".expect")).read_text(encoding="utf-8").splitlines()
    else:
        lines = header(path)
    out = []
    for line in lines:
        m = _EXPECT.match(line)
        if m:
            code, ptr, ln, col = m.groups()
            out.append(Expected(code, "" if ptr == '""' else ptr, int(ln), int(col)))
    return out


def _ids(p: Path) -> str:
    return p.name


# --------------------------------------------------------------------------- valid examples


def test_there_are_valid_examples() -> None:
    assert len(VALID_EXAMPLES) >= 5


@pytest.mark.parametrize("path", VALID_EXAMPLES, ids=_ids)
def test_valid_example_has_no_errors_and_no_warnings(path: Path) -> None:
    diagnostics = kerasspec.check(path)
    assert diagnostics == [], "\n".join(
        f"{d.code} {d.path} {d.line}:{d.column} {d.message}" for d in diagnostics
    )
    kerasspec.load_spec(path)  # and it loads


# --------------------------------------------------------------------------- invalid examples


@pytest.mark.parametrize("path", INVALID_EXAMPLES, ids=_ids)
def test_invalid_example_is_well_formed(path: Path) -> None:
    m = re.fullmatch(r"(KS\d{3})_[a-z0-9]+(?:_[a-z0-9]+)*\.(yaml|json)", path.name)
    assert m, f"{path.name}: name it KSnnn_short_name.yaml (or .json)"
    expected = expectations(path)
    assert expected, f"{path.name}: no `expect:` line"
    assert m.group(1) in {e.code for e in expected}, f"{path.name}: does not expect its own code"
    assert all(e.code in RULES for e in expected)
    if path.suffix == ".yaml":
        assert header(path)[0] == MODELINE
    else:
        assert (path.parent / (path.name + ".expect")).is_file()


@pytest.mark.parametrize("path", INVALID_EXAMPLES, ids=_ids)
def test_invalid_example_reports_what_it_expects(path: Path) -> None:
    got = Counter(_key(d) for d in kerasspec.check(path))
    missing = Counter(expectations(path)) - got
    assert not missing, (
        f"{path.name}: expected {sorted(map(str, missing))}; got {sorted(map(str, got))}"
    )


def _no_extra_error_params() -> list[object]:
    params: list[object] = []
    for p in INVALID_EXAMPLES:
        bug = EXTRA_ERROR_BUGS.get(p.name)
        marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
        params.append(pytest.param(p, id=p.name, marks=marks))
    return params


@pytest.mark.parametrize("path", _no_extra_error_params())
def test_invalid_example_reports_no_unexpected_error(path: Path) -> None:
    expected = Counter(expectations(path))
    errors = Counter(_key(d) for d in kerasspec.check(path) if d.severity is Severity.ERROR)
    extra = errors - expected
    assert not extra, f"{path.name}: unexpected errors {sorted(map(str, extra))}"


def test_every_rule_has_an_invalid_example_that_triggers_it() -> None:
    covered: dict[str, list[str]] = {}
    for path in INVALID_EXAMPLES:
        code = path.name[:5]
        if code in {d.code for d in kerasspec.check(path)}:
            covered.setdefault(code, []).append(path.name)
    missing = [c for c in RULES if c not in covered and c not in TEST_ONLY and not RULES[c].retired]
    retired_examples = [c for c in covered if RULES[c].retired]
    assert not retired_examples, f"examples of retired codes (they never fire): {retired_examples}"
    assert not missing, f"codes without an invalid example that triggers them: {missing}"
    assert not set(covered) - set(RULES)
    for code, test in TEST_ONLY.items():
        assert code in RULES and callable(globals().get(test)), (code, test)


def test_every_example_expectation_is_the_rules_severity() -> None:
    # The examples are checked with the default settings: each diagnostic has its rule's severity.
    for path in INVALID_EXAMPLES:
        for d in kerasspec.check(path):
            assert d.severity is RULES[d.code].severity, (path.name, d.code)


# --------------------------------------------------------------------------- KS105: test only


def test_ks105_file_too_large(tmp_path: Path) -> None:
    source = EXAMPLES / "mnist_mlp.yaml"
    size = source.stat().st_size
    small = api.Options(limits=Limits(max_bytes=size - 1))
    diagnostics = kerasspec.check(source, small)
    assert [_key(d) for d in diagnostics] == [Expected("KS105", "", 1, 1)]
    assert diagnostics[0].severity is Severity.ERROR
    assert f"{size:,} bytes" in diagnostics[0].message
    # Exactly at the limit is fine; text and bytes are measured in UTF-8 bytes as well.
    assert kerasspec.check(source, api.Options(limits=Limits(max_bytes=size))) == []
    text = source.read_text(encoding="utf-8")
    for data in (text, text.encode("utf-8")):
        doc = load_text(data, limits=Limits(max_bytes=size - 1))
        assert [d.code for d in doc.diagnostics] == ["KS105"] and doc.data is None
    with pytest.raises(kerasspec.SpecError) as info:
        kerasspec.load_spec(source, small)
    assert [d.code for d in info.value.diagnostics] == ["KS105"]


# --------------------------------------------------------------------------- through the CLI


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli.main(["check", *args])
    return code, capsys.readouterr().out


def test_cli_json_on_the_invalid_folder(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _cli(capsys, "--format", "json", str(INVALID))
    assert code == 1
    found = json.loads(out)
    by_file: dict[str, Counter[Expected]] = {}
    for item in found:
        assert set(item) >= {
            "file",
            "code",
            "severity",
            "message",
            "path",
            "line",
            "column",
            "hint",
        }
        assert item["severity"] in ("error", "warning")
        key = Expected(item["code"], item["path"], item["line"] or 0, item["column"] or 0)
        by_file.setdefault(Path(item["file"]).name, Counter())[key] += 1
    for path in INVALID_EXAMPLES:
        missing = Counter(expectations(path)) - by_file.get(path.name, Counter())
        assert not missing, (path.name, missing)


def test_cli_valid_examples_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _cli(capsys, "--format", "json", *map(str, VALID_EXAMPLES))
    assert (code, json.loads(out)) == (0, [])


def test_cli_text_output_of_an_invalid_example(capsys: pytest.CaptureFixture[str]) -> None:
    path = INVALID / "KS207_unknown_activation.yaml"
    code, out = _cli(capsys, str(path))
    assert code == 1
    assert f"{path}:12:17: KS207 Dense 'activation': unknown activation 'softmx'" in out
    assert "hint: did you mean 'softmax'?" in out


def test_cli_warnings_exit_0_unless_strict(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(INVALID / "KS213_ignored_input_shape.yaml")
    code, out = _cli(capsys, "--format", "json", path)
    assert code == 0 and [d["code"] for d in json.loads(out)] == ["KS213"]
    code, out = _cli(capsys, "--format", "json", "--strict", path)
    assert code == 1 and [d["severity"] for d in json.loads(out)] == ["error"]


def test_cli_budgets(capsys: pytest.CaptureFixture[str]) -> None:
    big = str(INVALID / "KS501_parameter_budget.yaml")
    code, out = _cli(capsys, "--format", "json", "--max-params", "30000000", big)
    assert (code, json.loads(out)) == (0, [])
    # Above 10x the budget a KS501 is an error.
    code, out = _cli(capsys, "--format", "json", "--max-params", "1000000", big)
    assert code == 1 and [(d["code"], d["severity"]) for d in json.loads(out)] == [
        ("KS501", "error")
    ]
    memory = str(INVALID / "KS502_memory_budget.yaml")
    code, out = _cli(capsys, "--format", "json", "--max-memory", "32GB", memory)
    assert (code, json.loads(out)) == (0, [])


def test_cli_subprocess_json_exit_1() -> None:
    path = INVALID / "KS402_units_vs_classes.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "kerasspec", "check", "--format", "json", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    [item] = json.loads(proc.stdout)
    assert Expected(item["code"], item["path"], item["line"], item["column"]) in expectations(path)
    assert item["hint"] == "set units: 10"
