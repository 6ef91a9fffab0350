"""``report.html``: one page a person can open to see a run, built from the run directory's files.

The page is self-contained (pictures embedded), so it can be mailed or archived
alone. ``kerasspec report RUN_DIR`` rebuilds it at any time; training writes it
at the end of every run.
"""

from __future__ import annotations

import base64
import json
import os
from html import escape
from pathlib import Path
from typing import Any

from .files import write_text

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; color: #222; }
h1 { margin-bottom: 0.2rem; } .sub { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: right; }
th { background: #f3f3f3; } td.l, th.l { text-align: left; }
.warn { background: #fff3cd; border: 1px solid #e0c36b; padding: 0.6rem 1rem; }
img { max-width: 100%; border: 1px solid #ddd; margin: 0.5rem 0; }
pre { background: #f7f7f7; padding: 0.8rem; overflow-x: auto; }
.grid { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
"""


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _image(path: Path, alt: str) -> str:
    if not path.exists():
        return ""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def _epochs(n: Any) -> str:
    return "1 epoch" if n == 1 else f"{n if n is not None else '?'} epochs"


def _number(v: Any) -> str:
    return f"{v:.4f}" if isinstance(v, float) else escape(str(v))


def _summary_table(spec_text: str) -> str:
    from . import api
    from .summary import format_shape

    try:
        summary = api.summarize(spec_text)
    except Exception:  # the page must render even if the spec no longer checks
        return ""
    rows = "".join(
        f'<tr><td class="l">{escape(layer.name)} ({escape(layer.type)})</td>'
        f"<td>{escape(format_shape(layer.output_shape))}</td><td>{layer.params:,}</td></tr>"
        for layer in summary.layers
    )
    return (
        '<h2>Model</h2><table><tr><th class="l">Layer (type)</th><th>Output shape</th><th>Params</th></tr>'
        f"{rows}<tr><th class=\"l\">Total</th><th></th><th>{summary.total_params:,}</th></tr></table>"
    )


def render(run_dir: str | os.PathLike[str]) -> str:
    run = Path(run_dir)
    metrics = _read_json(run / "metrics.json") or {}
    history = _read_json(run / "history.json") or {}
    spec_text = (run / "spec.yaml").read_text(encoding="utf-8") if (run / "spec.yaml").exists() else ""
    title = run.name
    parts = [f"<!doctype html><html><head><meta charset=\"utf-8\"><title>kerasspec run {escape(title)}</title>",
             f"<style>{STYLE}</style></head><body>", f"<h1>{escape(title)}</h1>"]
    source = metrics.get("data_source")
    if source:
        parts.append(f'<p class="sub">data: {escape(str(source))}; {metrics.get("train_examples", "?")} training '
                     f'and {metrics.get("test_examples", "?")} test examples, {_epochs(metrics.get("epochs"))}</p>')
    if metrics.get("embedded_sample"):
        parts.append('<p class="warn">Trained on the embedded 5,000-digit MNIST sample, not full MNIST: '
                     "accuracy is not comparable with published MNIST results.</p>")
    test = metrics.get("test") or {}
    if test:
        cells = "".join(f"<tr><td class=\"l\">{escape(k)}</td><td>{_number(v)}</td></tr>" for k, v in test.items())
        parts.append(f'<h2>Test set</h2><table><tr><th class="l">metric</th><th>value</th></tr>{cells}</table>')
    parts.append('<div class="grid">')
    parts.append(_image(run / "training.png", "training curves"))
    parts.append(_image(run / "confusion_matrix.png", "confusion matrix"))
    parts.append("</div>")
    if history:
        keys = list(history)
        n = max(len(v) for v in history.values())
        head = "".join(f"<th>{escape(k)}</th>" for k in keys)
        body = "".join(
            f"<tr><td>{i + 1}</td>" + "".join(f"<td>{_number(history[k][i]) if i < len(history[k]) else ''}</td>" for k in keys) + "</tr>"
            for i in range(n)
        )
        parts.append(f"<h2>History</h2><table><tr><th>epoch</th>{head}</tr>{body}</table>")
    if spec_text:
        parts.append(_summary_table(spec_text))
        parts.append(f"<h2>Spec</h2><pre>{escape(spec_text)}</pre>")
    parts.append("</body></html>\n")
    return "".join(parts)


def write_report(run_dir: str | os.PathLike[str]) -> Path:
    return write_text(Path(run_dir) / "report.html", render(run_dir))
