"""Rerun every ``$ kerasspec ...`` transcript in docs/rules.md and paste what it prints now.

``make docs`` runs it; ``tests/test_rules_docs.py`` fails when a transcript is stale.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import sys
from pathlib import Path

from kerasspec import cli

DOC = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
_BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)


def run(command: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        cli.main(shlex.split(command)[1:])
    return out.getvalue()


def refresh(block: re.Match[str]) -> str:
    lines = block.group(1).splitlines(keepends=True)
    commands = [line[2:].strip() for line in lines if line.startswith("$ kerasspec ")]
    if not commands:
        return block.group(0)
    return "```console\n" + "".join(f"$ {c}\n{run(c)}" for c in commands) + "```"


def main() -> None:
    text = DOC.read_text(encoding="utf-8")
    new = _BLOCK.sub(refresh, text)
    if new != text:
        DOC.write_text(new, encoding="utf-8")
        print(f"{DOC.name}: transcripts refreshed", file=sys.stderr)


if __name__ == "__main__":
    main()
