"""docs/rules.md documents every diagnostic code, and only those, with outputs that are real.

Each code in :data:`kerasspec.diagnostics.RULES` has a section ``## KSnnn rule-name``
preceded by ``<a id="ksnnn"></a>`` (the SARIF reporter's ``helpUri`` links to
``docs/rules.md#ksnnn``), stating the rule's severity. The ``$ kerasspec check ...``
transcripts in the page are rerun: each printed ``file:line:col: CODE`` must still be
what the command prints, so the page cannot drift from the tool (the wording of
messages may change; the findings and positions may not, without updating the page).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from kerasspec import cli
from kerasspec.diagnostics import RULES

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "rules.md"
TEXT = DOC.read_text(encoding="utf-8")

_HEADING = re.compile(r"^## (KS\d{3})\b")
_ANY_HEADING = re.compile(r"^#{1,6} ")
_FINDING = re.compile(r"^(\S+?):(\d+):(\d+): (KS\d{3}) ", re.MULTILINE)


def _prose_lines() -> list[tuple[int, str]]:
    """(index, line) of the lines outside fenced code blocks (where a YAML `# ...` is no heading)."""
    out, fenced = [], False
    for i, line in enumerate(TEXT.splitlines()):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced:
            out.append((i, line))
    return out


PROSE = _prose_lines()


def sections() -> dict[str, str]:
    """Code -> the text of its section, from its heading up to the next heading of level 1 or 2."""
    lines = TEXT.splitlines()
    starts = [(i, m.group(1)) for i, line in PROSE if (m := _HEADING.match(line))]
    ends = [*sorted(i for i, line in PROSE if re.match(r"^#{1,2} ", line)), len(lines)]
    out: dict[str, str] = {}
    for start, code in starts:
        end = next(e for e in ends if e > start)
        assert code not in out, f"two sections for {code}"
        out[code] = "\n".join(lines[start:end])
    return out


SECTIONS = sections()


def test_every_code_has_a_section_and_no_section_documents_an_unknown_code() -> None:
    assert set(SECTIONS) == set(RULES), (
        f"missing: {sorted(set(RULES) - set(SECTIONS))}; unknown: {sorted(set(SECTIONS) - set(RULES))}"
    )
    # No other heading (### too) names a code that does not exist.
    named = {
        c for _, line in PROSE if _ANY_HEADING.match(line) for c in re.findall(r"\bKS\d{3}\b", line)
    }
    assert named <= set(RULES), sorted(named - set(RULES))
    # In the order of RULES (by family, then number).
    assert list(SECTIONS) == list(RULES)


@pytest.mark.parametrize("code", list(RULES))
def test_section_heading_anchor_and_severity(code: str) -> None:
    rule = RULES[code]
    section = SECTIONS[code]
    assert section.splitlines()[0] == f"## {code} {rule.name}"
    # The SARIF helpUri anchor, right before the heading.
    before = TEXT[: TEXT.index(section)].rstrip()
    assert before.endswith(f'<a id="{code.lower()}"></a>'), (
        f'{code}: put <a id="{code.lower()}"></a> before the heading'
    )
    assert f"**Severity:** {rule.severity.value}" in section
    other = "warning" if rule.severity.value == "error" else "error"
    assert f"**Severity:** {other}" not in section


@pytest.mark.parametrize("code", list(RULES))
def test_section_has_what_why_example_and_fix(code: str) -> None:
    section = SECTIONS[code]
    if RULES[code].retired:
        # A retired code keeps its section: why it no longer fires, what it caught.
        for part in ("**Retired.**", "**What it caught.**", "**Fix.**"):
            assert part in section, (code, part)
        return
    for part in ("**What it catches.**", "**Why it matters.**", "**Fix.**"):
        assert part in section, (code, part)
    assert "```console" in section, f"{code}: paste the diagnostic as printed"
    # The printed diagnostic shows the code itself.
    assert re.search(rf": {code} ", section), f"{code}: no printed {code} diagnostic"
    for ref in re.findall(r"`(examples/[^`\s]+\.(?:yaml|json))`", section):
        assert (ROOT / ref).is_file(), (code, ref)


def transcripts() -> list[tuple[str, list[str], str]]:
    """(the command line, its arguments, its output as pasted) for each `$ kerasspec check` in the page."""
    out = []
    for block in re.findall(r"```console\n(.*?)```", TEXT, re.DOTALL):
        current: tuple[str, list[str]] | None = None
        lines: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if current:
                    out.append((current[0], current[1], "\n".join(lines)))
                words = shlex.split(line[2:])
                current = (line, words[2:]) if words[:2] == ["kerasspec", "check"] else None
                lines = []
            else:
                lines.append(line)
        if current:
            out.append((current[0], current[1], "\n".join(lines)))
    return out


TRANSCRIPTS = transcripts()


def test_transcripts_cover_the_examples() -> None:
    assert len(TRANSCRIPTS) >= len(RULES)


@pytest.mark.parametrize(
    ("command", "args", "pasted"), TRANSCRIPTS, ids=[t[0][2:] for t in TRANSCRIPTS]
)
def test_transcript_is_what_the_cli_prints(
    command: str,
    args: list[str],
    pasted: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    cli.main(["check", "--color", "never", *args])
    printed = capsys.readouterr().out
    assert _FINDING.findall(pasted) == _FINDING.findall(printed), (
        f"docs/rules.md is out of date for `{command}`; it now prints:\n{printed}"
    )
    assert pasted.splitlines()[-1] == printed.rstrip("\n").splitlines()[-1]  # the summary line


def test_intro_explains_severities_strict_and_budgets() -> None:
    intro = TEXT[: TEXT.index("<a id=")]
    for word in (
        "error",
        "warning",
        "--strict",
        "--max-params",
        "--max-memory",
        "KS1xx",
        "KS5xx",
        "hint",
    ):
        assert word in intro, word
