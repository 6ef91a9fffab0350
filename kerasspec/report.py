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

from .diagnostics import KerasspecError
from .files import read_bytes_bounded, write_text

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
.headline { font-size: 1.25rem; margin: 0.8rem 0; }
figure { margin: 0; } figcaption { color: #666; font-size: 0.9rem; }
"""

#: How the page names each task (``data.task``).
TASK_WORDS = {
    "classification": "classification",
    "binary": "binary classification",
    "multi_label": "multi-label classification",
    "regression": "regression",
    "reconstruction": "reconstruction (an autoencoder: the target is the input)",
}
#: Keras's names for accuracy in a run's metrics, the first found is the headline.
ACCURACY_KEYS = ("accuracy", "acc", "binary_accuracy", "sparse_categorical_accuracy", "categorical_accuracy")


#: The largest run file read into the page: runs write kilobytes; anything far larger is not theirs.
MAX_RUN_FILE_BYTES = 50_000_000


class ReportError(KerasspecError):
    """A run directory file that is not what training writes: the message names it and says why."""


def _read(path: Path) -> bytes | None:
    """A run file's bytes, None when it is absent; a FIFO or device is an OSError, a huge file a ReportError."""
    if not path.exists():
        return None
    raw = read_bytes_bounded(path, MAX_RUN_FILE_BYTES)
    if raw is None:
        raise ReportError(f"{path}: larger than {MAX_RUN_FILE_BYTES:,} bytes; a run writes far smaller files")
    return raw


def _read_json(path: Path) -> Any:
    raw = _read(path)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except RecursionError:
        raise ReportError(f"{path}: nested too deeply to be a file kerasspec train wrote") from None
    except ValueError as exc:
        raise ReportError(f"{path}: not valid JSON ({' '.join(str(exc).split())[:200]}); rerun training to rewrite it") from None


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _is_value(v: Any) -> bool:
    """A number, or a list of them (nested for a matrix): a vector metric such as F1Score(average=None)."""
    return _is_number(v) or (isinstance(v, list) and bool(v) and all(_is_value(x) for x in v))


def _metrics(run: Path) -> dict[str, Any]:
    """metrics.json as training writes it, or a ReportError saying what is wrong with it."""
    path = run / "metrics.json"
    metrics = _read_json(path)
    if metrics is None:
        return {}
    if not isinstance(metrics, dict):
        raise ReportError(f"{path}: holds a {type(metrics).__name__}, not the object of test results training writes")
    test = metrics.get("test")
    if test is not None and not (isinstance(test, dict) and all(_is_value(v) for v in test.values())):
        raise ReportError(f"{path}: 'test' is not an object of metric names and numbers (or lists of numbers)")
    return metrics


def _history(run: Path) -> dict[str, list[Any]]:
    """history.json as training writes it, or a ReportError saying what is wrong with it."""
    path = run / "history.json"
    history = _read_json(path)
    if history is None:
        return {}
    if not isinstance(history, dict) or not all(
        isinstance(v, list) and all(x is None or _is_value(x) for x in v) for v in history.values()
    ):
        raise ReportError(f"{path}: not a training history (an object of metric names and lists of numbers, one per epoch)")
    return history


def _image(path: Path, alt: str) -> str:
    raw = _read(path)
    if raw is None:
        return ""
    data = base64.b64encode(raw).decode("ascii")
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def _figure(path: Path, alt: str, caption: str) -> str:
    image = _image(path, alt)
    return f"<figure>{image}<figcaption>{escape(caption)}</figcaption></figure>" if image else ""


def _model_name(spec_text: str) -> str | None:
    """The spec's ``name`` (the model's name), None where it has none or cannot be read."""
    from .loader import load_text

    # A damaged spec.yaml reads as None here: the page is then titled by its run directory.
    doc = load_text(spec_text, fmt="yaml").data if spec_text else None
    name = doc.get("name") if isinstance(doc, dict) else None
    return name if isinstance(name, str) and name.strip() else None


def _spec_facts(spec_text: str) -> tuple[str | None, int | None, str | None]:
    """The task, positive class and loss name the run's spec.yaml gives (None where it does not)."""
    from .loader import load_text

    # kerasspec's own reader: it refuses aliases, so a hand-edited spec.yaml cannot expand exponentially.
    doc = load_text(spec_text, fmt="yaml").data if spec_text else None
    if not isinstance(doc, dict):
        return None, None, None
    data = doc.get("data") if isinstance(doc.get("data"), dict) else {}
    loss = (doc.get("compile") or {}).get("loss") if isinstance(doc.get("compile"), dict) else None
    if isinstance(loss, dict):
        loss = loss.get("type")
    k = data.get("positive_class")
    return (
        data.get("task") if isinstance(data.get("task"), str) else None,
        k if isinstance(k, int) else None,
        loss if isinstance(loss, str) else None,
    )


def _headline(task: str, test: dict[str, Any], positive_class: int | None, loss: str | None) -> str:
    """One sentence with the number that matters for the task: accuracy only where there are classes."""
    value = test.get("loss")
    of = f" ({escape(loss)})" if loss else ""
    loss_text = f"test loss {_number(value)}{of}" if isinstance(value, (int, float)) else ""
    accuracy = next((test[k] for k in ACCURACY_KEYS if isinstance(test.get(k), (int, float))), None)
    others = [f"{escape(k)} {_number(v)}" for k, v in test.items() if k != "loss" and isinstance(v, (int, float))]
    if task in ("classification", "binary") and accuracy is not None:
        against = f" for class {positive_class} against the rest" if task == "binary" and positive_class is not None else ""
        text = f"Test accuracy <b>{accuracy:.2%}</b>{against}" + (f"; {loss_text}" if loss_text else "")
    elif task == "multi_label" and isinstance(test.get("binary_accuracy"), (int, float)):
        text = f"Test binary accuracy <b>{test['binary_accuracy']:.2%}</b> over every label of every sample" + (
            f"; {loss_text}" if loss_text else ""
        )
    elif task == "reconstruction" and loss_text:
        text = f"Test reconstruction loss <b>{_number(value)}</b>{of}" + "".join(f"; {o}" for o in others)
    elif loss_text:
        text = f"Test loss <b>{_number(value)}</b>{of}" + "".join(f"; {o}" for o in others)
    else:
        return ""
    return f'<p class="headline">{text}</p>'


def _epochs(n: Any) -> str:
    return "1 epoch" if n == 1 else f"{escape(str(n)) if n is not None else '?'} epochs"


def _count(v: Any) -> str:
    """A count from metrics.json, as the page shows it: 4,000; anything else escaped as written."""
    return f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else escape(str(v))


def _number(v: Any) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_number(x) for x in v) + "]"
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
    # Every field of these files is escaped below: a run directory may have been edited by anyone.
    metrics = _metrics(run)
    history = _history(run)
    spec_raw = _read(run / "spec.yaml")
    spec_text = spec_raw.decode("utf-8", errors="replace") if spec_raw is not None else ""
    # The model's name is what the run is of; the directory name (often a timestamp) is where it is.
    model_name = _model_name(spec_text)
    title = model_name or run.name
    where = f'<p class="sub">run {escape(run.name)}</p>' if model_name and model_name != run.name else ""
    parts = [f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{escape(title)}: kerasspec run</title>",
             f"<style>{STYLE}</style></head><body>", f"<h1>{escape(title)}</h1>", where]
    spec_task, spec_k, loss = _spec_facts(spec_text)
    task = metrics.get("task") if isinstance(metrics.get("task"), str) else (spec_task or "classification")
    k = metrics.get("positive_class") if isinstance(metrics.get("positive_class"), int) else spec_k
    source = metrics.get("data_source")
    what = escape(TASK_WORDS.get(task, task))
    if task == "binary" and k is not None:
        what += f", class {k} against the rest"
    if source:
        parts.append(f'<p class="sub">{what}; data: {escape(str(source))}; {_count(metrics.get("train_examples", "?"))} training '
                     f'and {_count(metrics.get("test_examples", "?"))} test examples, {_epochs(metrics.get("epochs"))}</p>')
    else:
        parts.append(f'<p class="sub">{what}</p>')
    if metrics.get("embedded_sample"):
        measure = "accuracy is" if task in ("classification", "binary") else "the results are"
        parts.append('<p class="warn">Trained on the embedded 5,000-digit MNIST sample, not full MNIST: '
                     f"{measure} not comparable with published MNIST results.</p>")
    test = metrics.get("test") or {}
    parts.append(_headline(task, test, k, loss))
    if test:
        cells = "".join(f"<tr><td class=\"l\">{escape(k)}</td><td>{_number(v)}</td></tr>" for k, v in test.items())
        parts.append(f'<h2>Test set</h2><table><tr><th class="l">metric</th><th>value</th></tr>{cells}</table>')
    parts.append('<div class="grid">')
    parts.append(_image(run / "training.png", "training curves"))
    parts.append(_image(run / "confusion_matrix.png", "confusion matrix"))
    parts.append(_figure(run / "reconstructions.png", "test inputs and their reconstructions",
                         "Test inputs (top) and what the model reconstructs from them (bottom)."))
    parts.append(_figure(run / "predictions.png", "predicted against true values",
                         "Every test target against the model's prediction; on the dashed line they are equal."))
    parts.append("</div>")
    if history:
        from .training import history_columns

        history = history_columns(history)  # a vector metric: one column per element, as in history.csv
        keys = list(history)
        n = max((len(v) for v in history.values()), default=0)
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
