"""Write the raw differential's figures (benchmarks/results/differential_raw.json) into docs/analysis.md.

``make differential`` runs the test with the report on, then this script.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "benchmarks" / "results" / "differential_raw.json"
DOC = ROOT / "docs" / "analysis.md"
BEGIN, END = "<!-- BEGIN GENERATED: raw differential -->", "<!-- END GENERATED: raw differential -->"


def table(result: dict) -> str:
    lines = [
        BEGIN,
        f"Latest run (`make differential` or `KERASSPEC_RAW_EXAMPLES={result['examples_requested']} "
        f"KERASSPEC_RAW_REPORT=benchmarks/results/differential_raw.json pytest -m slow tests/test_differential_raw.py`; "
        f"Keras {result['keras_version']}, derandomized, {result['seconds']:.0f} s):",
        "",
        "| | |",
        "|---|---|",
        f"| cases | {result['cases']:,} |",
        f"| agreed (accept/reject, first refused layer, names, shapes, counts) | **{result['agreed']:,}** |",
        f"| both accept | {result['both_accept']:,} |",
        f"| both reject, at the same layer | {result['both_reject']:,} |",
        f"| layer kinds | {result['kinds']} |",
        "",
        "| kind | cases | accepted | rejected |",
        "|---|---|---|---|",
    ]
    for kind, row in sorted(result["per_kind"].items()):
        lines.append(f"| {kind} | {row['cases']} | {row['accept']} | {row['reject']} |")
    return "\n".join([*lines, END])


def main() -> None:
    result = json.loads(RESULT.read_text())
    text = DOC.read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    DOC.write_text(text[:start] + table(result) + text[end:])


if __name__ == "__main__":
    main()
