"""The mutation score of each module: ``benchmarks/results/mutation.json`` and docs/analysis.md.

``scripts/mutation_run.py`` (``make mutation``) calls :func:`record` after mutmut has run:
it reads mutmut's verdicts from ``mutants/``, replaces the entries of the modules just
mutated (the others stay as their last run left them) and rewrites the "Mutation score"
section of ``docs/analysis.md``. ``python scripts/mutation_report.py`` rewrites the section
from the JSON alone.

The raw score is killed / all mutants. A surviving mutant that cannot change behaviour
(equivalent) is listed in :data:`EQUIVALENT` with the reason; the adjusted score leaves
those out of the count. A listed mutant is matched by module, function and the lines the
mutation removes and adds, not by mutmut's number, which shifts when the code changes.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "benchmarks" / "results" / "mutation.json"
DOC = ROOT / "docs" / "analysis.md"
BEGIN, END = "<!-- BEGIN GENERATED: mutation score -->", "<!-- END GENERATED: mutation score -->"


@dataclass(frozen=True)
class Equivalent:
    """A mutant that behaves as the original for every input the function can get."""

    module: str  # kerasspec/shapes.py
    function: str  # conv_output_length, or Class.method
    removed: str  # the original line, stripped
    added: str  # the mutated line, stripped
    reason: str


EQUIVALENT: tuple[Equivalent, ...] = (
    Equivalent(
        'kerasspec/shapes.py',
        '_einsum_split',
        'if elided > 0 and left_elided:',
        'if elided >= 0 and left_elided:',
        'the loop under it, range(1, elided), is empty for elided <= 1',
    ),
    Equivalent(
        'kerasspec/shapes.py',
        '_einsum_split',
        'if elided > 0 and left_elided:',
        'if elided > 1 and left_elided:',
        'the loop under it, range(1, elided), is empty for elided <= 1',
    ),
    Equivalent(
        'kerasspec/shapes.py',
        '_einsum_split',
        'elif elided > 0 and not left_elided:',
        'elif elided > 0 or not left_elided:',
        'newly taken only with elided <= 0, where range(len(input_shape) - elided, len(input_shape)) is empty',
    ),
    Equivalent(
        'kerasspec/shapes.py',
        '_einsum_split',
        'elif elided > 0 and not left_elided:',
        'elif elided >= 0 and not left_elided:',
        "with elided == 0 the loop's range is empty",
    ),
    Equivalent(
        'kerasspec/shapes.py',
        '_einsum_split',
        'if not -len(output) <= i < len(output):',
        'if not -len(output) < i < len(output):',
        'out_axis is only reached with i >= 0 (elided < 0 fails in_axis on the first input letter before)',
    ),
    Equivalent(
        'kerasspec/shapes.py',
        'fmt_shape',
        'inner = ", ".join("None" if d is None else str(d) for d in shape)',
        'inner = ", ".join("None" if (d is None) and False else str(d) for d in shape)',
        'str(None) is "None" too',
    ),
    Equivalent(
        'kerasspec/shapes.py',
        'validate_permutation',
        'f"e.g. {fmt_list(list(range(len(dims), 0, -1)) or [2, 1])} reverses the axes",',
        'f"e.g. {fmt_list(list(range(len(dims), 0, -1)) or [3, 1])} reverses the axes",',
        'the fallback is unreachable: empty `dims` is a valid permutation (Keras builds Permute(()) on (None,))',
    ),
    Equivalent(
        'kerasspec/shapes.py',
        'validate_permutation',
        'f"e.g. {fmt_list(list(range(len(dims), 0, -1)) or [2, 1])} reverses the axes",',
        'f"e.g. {fmt_list(list(range(len(dims), 0, -1)) or [2, 2])} reverses the axes",',
        'the fallback is unreachable: empty `dims` is a valid permutation (Keras builds Permute(()) on (None,))',
    ),
    Equivalent(
        'kerasspec/analysis.py',
        '_names',
        'seen[keras_name("InputLayer", counters)] = (None, False, None)',
        'seen[keras_name("InputLayer", counters)] = (None, True, None)',
        "j_user is read only when j is not None, and the implicit input's j is None",
    ),
    Equivalent(
        'kerasspec/analysis.py',
        '_names',
        'first = "the model\'s input layer" if j is None else f"{_where(j)} ({other.keras_class if other else kind})"',
        'first = "the model\'s input layer" if j is None else f"{_where(j)} ({other.keras_class if (other) or True else kind})"',
        'with j not None, other is the layer seen at j, never None',
    ),
    Equivalent(
        'kerasspec/analysis.py',
        '_names',
        'again = f" (copy {copy + 1} of its Repeat block)" if copy and j == path else ""',
        'again = f" (copy {copy + 1} of its Repeat block)" if copy or j == path else ""',
        'a later copy gets here only when copy 0 at the same path took the name (j == path); else copy 0 was reported and the later copies are skipped',
    ),
    Equivalent(
        'kerasspec/analysis.py',
        '_names',
        'where = (*j, "name") if j is not None and j_user else path',
        'where = (*j, "name") if (j is not None and j_user) or True else path',
        "the `path` branch is unreachable: an automatic name collides only with a user's name (automatic names are unique, and no later Input is named)",
    ),
    Equivalent(
        'kerasspec/analysis.py',
        '_names',
        'where = (*j, "name") if j is not None and j_user else path',
        'where = (*j, "name") if j is not None or j_user else path',
        "the `path` branch is unreachable: an automatic name collides only with a user's name (automatic names are unique, and no later Input is named)",
    ),
    Equivalent(
        'kerasspec/analysis.py',
        '_too_deep',
        'refused = False',
        'refused = None',
        "the caller only tests the result's truth",
    ),
    Equivalent(
        'kerasspec/analysis.py',
        'check_initializers',
        'for field, reason in weight_errors(layer, weight.name, weight.initializer, weight.shape):',
        'for field, reason in weight_errors(layer, None, weight.initializer, weight.shape):',
        'objects.weight_errors does not read its weight_name argument',
    ),
    # ---- kerasspec/semantics.py and kerasspec/tasks.py (H3)
    Equivalent(
        'kerasspec/semantics.py',
        '_fits',
        'return len(sample) == len(shape) and all(s is None or s == d for s, d in zip(sample, shape, strict=True))',
        'return len(sample) == len(shape) and all(s is None or s == d for s, d in zip(sample, shape, ))',
        'the lengths are compared first (and short-circuit), so zip never sees sequences of different lengths',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        '_fits',
        'return len(sample) == len(shape) and all(s is None or s == d for s, d in zip(sample, shape, strict=True))',
        'return len(sample) == len(shape) and all(s is None or s == d for s, d in zip(sample, shape, strict=False))',
        'the lengths are compared first (and short-circuit), so zip never sees sequences of different lengths',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        '_fits',
        'return len(sample) == len(shape) and all(s is None or s == d for s, d in zip(sample, shape, strict=True))',
        'return len(sample) == len(shape) and all(s is None or s == d for s, d in zip(sample, shape, strict=None))',
        'the lengths are compared first (and short-circuit), so zip never sees sequences of different lengths',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        '_uses_ema',
        'return bool(getattr(inner, "use_ema", False))',
        'return bool(getattr(inner, "use_ema", None))',
        'bool(None) is False, as bool(False)',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'check_semantics',
        'out += _portability(spec, shapes)',
        'out = _portability(spec, shapes)',
        'out is the empty list just before: += and = give the same list',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'check_semantics',
        'found += _input_vs_data(spec, shapes, data, info)',
        'found = _input_vs_data(spec, shapes, data, info)',
        'found is the empty list just before: += and = give the same list',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'estimate_memory',
        'info = next(infos, None)',
        'info = next(infos, )',
        "estimate_memory is only given complete analyses (semantics._resources, training's memory guard): one layer info per expanded non-Input layer and a known input shape, so the loop never runs out",
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'estimate_memory',
        'if info is None or shape is None:',
        'if info is None and shape is None:',
        "estimate_memory is only given complete analyses (semantics._resources, training's memory guard): one layer info per expanded non-Input layer and a known input shape, so the loop never runs out",
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'estimate_memory',
        'break',
        'return',
        "estimate_memory is only given complete analyses (semantics._resources, training's memory guard): one layer info per expanded non-Input layer and a known input shape, so the loop never runs out",
    ),
    Equivalent(
        'kerasspec/semantics.py',
        '_portability',
        'if shapes is None or shapes.input_shape is None or not shapes.layers:',
        'if shapes is None or shapes.input_shape is None and not shapes.layers:',
        'without an input shape the analysis infers no layer (KS301), so input_shape None implies no layers',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'positive_class_problems',
        'classes = 10 if data.dataset in IMAGE_DATASETS else (info.classes() if info is not None else None)',
        'classes = 10 if (data.dataset in IMAGE_DATASETS) and False else (info.classes() if info is not None else None)',
        'for mnist and fashion_mnist the known headers (datafiles._KNOWN, labels 0..9) give info.classes() == 10, and describe() never fails for them',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        '_resources',
        'path=pointer(biggest.path or ("layers", biggest.index)),',
        'path=pointer(biggest.path or ("XXlayersXX", biggest.index)),',
        'the analysis gives every layer info its path, so the fallback is never used',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        '_resources',
        'path=pointer(biggest.path or ("layers", biggest.index)),',
        'path=pointer(biggest.path or ("LAYERS", biggest.index)),',
        'the analysis gives every layer info its path, so the fallback is never used',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'vector_metric',
        'if kind in _PER_CLASS and getattr(metric, "average", "macro") is None:',
        'if kind in _PER_CLASS and getattr(metric, "average", None) is None:',
        'F1Score and FBetaScore objects always have an `average` field: the default is never used',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'vector_metric',
        'if kind in _PER_CLASS and getattr(metric, "average", "macro") is None:',
        'if kind in _PER_CLASS and getattr(metric, "average", ) is None:',
        'F1Score and FBetaScore objects always have an `average` field: the default is never used',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'vector_metric',
        'if kind in _PER_CLASS and getattr(metric, "average", "macro") is None:',
        'if kind in _PER_CLASS and getattr(metric, "average", "XXmacroXX") is None:',
        'F1Score and FBetaScore objects always have an `average` field: the default is never used',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'vector_metric',
        'if kind in _PER_CLASS and getattr(metric, "average", "macro") is None:',
        'if kind in _PER_CLASS and getattr(metric, "average", "MACRO") is None:',
        'F1Score and FBetaScore objects always have an `average` field: the default is never used',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'vector_metric',
        'if kind == "R2Score" and getattr(metric, "class_aggregation", "uniform_average") is None:',
        'if kind == "R2Score" and getattr(metric, "class_aggregation", None) is None:',
        'R2Score objects always have a `class_aggregation` field: the default is never used',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'vector_metric',
        'if kind == "R2Score" and getattr(metric, "class_aggregation", "uniform_average") is None:',
        'if kind == "R2Score" and getattr(metric, "class_aggregation", ) is None:',
        'R2Score objects always have a `class_aggregation` field: the default is never used',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'vector_metric',
        'if kind == "R2Score" and getattr(metric, "class_aggregation", "uniform_average") is None:',
        'if kind == "R2Score" and getattr(metric, "class_aggregation", "XXuniform_averageXX") is None:',
        'R2Score objects always have a `class_aggregation` field: the default is never used',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'vector_metric',
        'if kind == "R2Score" and getattr(metric, "class_aggregation", "uniform_average") is None:',
        'if kind == "R2Score" and getattr(metric, "class_aggregation", "UNIFORM_AVERAGE") is None:',
        'R2Score objects always have a `class_aggregation` field: the default is never used',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'vector_metric',
        'kind = getattr(metric, "type", None)',
        'kind = getattr(metric, "type", )',
        'a metric here is an object (names are turned into their default object first), and every metric object has `type`',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'vector_objective',
        'for i, (metric, name) in enumerate(zip(compile.metrics, S.metric_names(compile), strict=True)):',
        'for i, (metric, name) in enumerate(zip(compile.metrics, S.metric_names(compile), strict=None)):',
        'metric_names gives one name per metric: the sequences have the same length',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'vector_objective',
        'for i, (metric, name) in enumerate(zip(compile.metrics, S.metric_names(compile), strict=True)):',
        'for i, (metric, name) in enumerate(zip(compile.metrics, S.metric_names(compile), )):',
        'metric_names gives one name per metric: the sequences have the same length',
    ),
    Equivalent(
        'kerasspec/semantics.py',
        'vector_objective',
        'for i, (metric, name) in enumerate(zip(compile.metrics, S.metric_names(compile), strict=True)):',
        'for i, (metric, name) in enumerate(zip(compile.metrics, S.metric_names(compile), strict=False)):',
        'metric_names gives one name per metric: the sequences have the same length',
    ),
    Equivalent(
        'kerasspec/tasks.py',
        'Task.width',
        'if len(got) == len(want) and all(g is None or w is None or g == w for g, w in zip(got, want, strict=True)):',
        'if len(got) == len(want) and all(g is None or w is None or g == w for g, w in zip(got, want, )):',
        'the lengths are compared first (and short-circuit), so zip never sees sequences of different lengths',
    ),
    Equivalent(
        'kerasspec/tasks.py',
        'Task.width',
        'if len(got) == len(want) and all(g is None or w is None or g == w for g, w in zip(got, want, strict=True)):',
        'if len(got) == len(want) and all(g is None or w is None or g == w for g, w in zip(got, want, strict=False)):',
        'the lengths are compared first (and short-circuit), so zip never sees sequences of different lengths',
    ),
    Equivalent(
        'kerasspec/tasks.py',
        'Task.width',
        'if len(got) == len(want) and all(g is None or w is None or g == w for g, w in zip(got, want, strict=True)):',
        'if len(got) == len(want) and all(g is None or w is None or g == w for g, w in zip(got, want, strict=None)):',
        'the lengths are compared first (and short-circuit), so zip never sees sequences of different lengths',
    ),
    Equivalent(
        'kerasspec/tasks.py',
        'loss_info',
        'kind = getattr(loss, "type", "")',
        'kind = getattr(loss, "type", None)',
        'every loss object has a `type` field: the default is never used',
    ),
    Equivalent(
        'kerasspec/tasks.py',
        'loss_info',
        'kind = getattr(loss, "type", "")',
        'kind = getattr(loss, "type", )',
        'every loss object has a `type` field: the default is never used',
    ),
    Equivalent(
        'kerasspec/tasks.py',
        'loss_info',
        'kind = getattr(loss, "type", "")',
        'kind = getattr(loss, "type", "XXXX")',
        'every loss object has a `type` field: the default is never used',
    ),
    Equivalent(
        'kerasspec/tasks.py',
        'loss_info',
        'return LossInfo(loss, _CE_FAMILY.get(loss), False, loss in _REGRESSION)',
        'return LossInfo(loss, _CE_FAMILY.get(loss), None, loss in _REGRESSION)',
        'from_logits is only ever tested for truth; None and False are both false',
    ),
    Equivalent(
        'kerasspec/tasks.py',
        'loss_info',
        'return LossInfo(kind, _CE_FAMILY.get(kind), bool(getattr(loss, "from_logits", False)), kind in _REGRESSION)',
        'return LossInfo(kind, _CE_FAMILY.get(kind), bool(getattr(loss, "from_logits", None)), kind in _REGRESSION)',
        'bool(None) is False, as bool(False)',
    ),
    Equivalent(
        'kerasspec/tasks.py',
        'loss_info',
        'return LossInfo(kind, _CE_FAMILY.get(kind), bool(getattr(loss, "from_logits", False)), kind in _REGRESSION)',
        'return LossInfo(kind, _CE_FAMILY.get(kind), bool(getattr(loss, "from_logits", True)), kind in _REGRESSION)',
        'every crossentropy-family loss object has a from_logits field, and from_logits is read only for family losses (Task.logits)',
    ),
    Equivalent(
        'kerasspec/tasks.py',
        '_class_of',
        'family or "", "BinaryCrossentropy"',
        'family or "XXXX", "BinaryCrossentropy"',
        "neither '' nor 'XXXX' is a key of the mapping: .get returns the default either way",
    ),
    Equivalent(
        'kerasspec/tasks.py',
        'Classification.rules',
        'if name in _BINARY_METRICS and (classes or 0) > 2:',
        'if name in _BINARY_METRICS and (classes or 1) > 2:',
        'with classes None both 0 and 1 are <= 2',
    ),
    Equivalent(
        'kerasspec/tasks.py',
        'Classification.rules',
        'if ctx.activation_known and ctx.act and ctx.act.activation == "sigmoid" and loss.family in ("sparse", "categorical") and (units or 0) > 1:',
        'if ctx.activation_known and ctx.act and ctx.act.activation == "sigmoid" and loss.family in ("sparse", "categorical") and (units or 1) > 1:',
        'with units None both 0 and 1 are <= 1',
    ),
    Equivalent(
        'kerasspec/tasks.py',
        'Task.output_activation',
        'if ctx.activation_known and ctx.act and ctx.act.activation == "softmax" and (ctx.units or 0) > 1:',
        'if ctx.activation_known and ctx.act and ctx.act.activation == "softmax" and (ctx.units or 1) > 1:',
        'with units None both 0 and 1 are <= 1',
    ),
    # ---- end H3
)

# mutmut's exit codes (mutmut/stats.py): which count as a kill.
KILLED = {"killed", "timeout", "caught by type check"}


def _status(code: int | None) -> str:
    from mutmut.stats import status_by_exit_code

    return status_by_exit_code[code]


def _function(key: str) -> str:
    from mutmut.utils.format_utils import orig_function_and_class_names_from_key

    name, cls = orig_function_and_class_names_from_key(key)
    return f"{cls}.{name}" if cls else name


def _changed_lines(key: str, module: str) -> tuple[list[str], list[str]]:
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    diff = get_diff_for_mutant(key, path=module).splitlines()[2:]  # past the ---/+++ header
    removed = [line[1:].strip() for line in diff if line.startswith("-")]
    added = [line[1:].strip() for line in diff if line.startswith("+")]
    return removed, added


def _equivalent(module: str, function: str, removed: list[str], added: list[str]) -> Equivalent | None:
    for eq in EQUIVALENT:
        if (eq.module, eq.function) == (module, function) and removed == [eq.removed] and added == [eq.added]:
            return eq
    return None


def module_result(module: str) -> dict:
    """The verdicts mutmut left in ``mutants/`` for ``module``, survivors spelled out."""
    meta = json.loads((ROOT / "mutants" / f"{module}.meta").read_text())
    counts: dict[str, int] = {}
    survivors: list[dict] = []
    equivalent: list[dict] = []
    for key, code in sorted(meta["exit_code_by_key"].items()):
        status = _status(code)
        counts[status] = counts.get(status, 0) + 1
        if status in KILLED:
            continue
        function = _function(key)
        removed, added = _changed_lines(key, module)
        row = {"mutant": key, "status": status, "function": function, "removed": removed, "added": added}
        eq = _equivalent(module, function, removed, added)
        if eq is not None and status == "survived":
            equivalent.append({**row, "reason": eq.reason})
        else:
            survivors.append(row)
    total = sum(counts.values())
    killed = sum(n for status, n in counts.items() if status in KILLED)
    considered = total - len(equivalent)
    return {
        "mutants": total,
        "killed": killed,
        "counts": dict(sorted(counts.items())),
        "equivalent": len(equivalent),
        "raw_score": round(killed / total, 4) if total else None,
        "adjusted_score": round(killed / considered, 4) if considered else None,
        "survivors": survivors,
        "equivalent_mutants": equivalent,
    }


def record(modules: list[str], tests: list[str], *, seconds: float, jobs: int | None) -> dict:
    """Replace the entries of ``modules`` in the JSON with this run's, then rewrite the docs."""
    import mutmut

    data = json.loads(RESULT.read_text()) if RESULT.exists() else {"modules": {}}
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    for module in modules:
        entry = module_result(module)
        entry.update(
            {
                "date": when,
                "tool": f"mutmut {mutmut.__version__}",
                "tests": tests,
                "run_seconds": round(seconds),
                "run_modules": modules,
                "jobs": jobs,
            }
        )
        data["modules"][module] = entry
        print(
            f"{module}: {entry['killed']}/{entry['mutants']} killed "
            f"(raw {pct(entry['raw_score'])}, adjusted {pct(entry['adjusted_score'])}); "
            f"{len(entry['survivors'])} not killed, {entry['equivalent']} equivalent"
        )
        for row in entry["survivors"]:
            print(f"    {row['status']}: {row['mutant']}: {row['removed']} -> {row['added']}")
    data["modules"] = dict(sorted(data["modules"].items()))
    RESULT.write_text(json.dumps(data, indent=1) + "\n")
    write_doc(data)
    return data


def pct(score: float | None) -> str:
    return "-" if score is None else f"{100 * score:.1f}%"


def section(data: dict) -> str:
    lines = [
        BEGIN,
        "Latest run of each module (`make mutation MUTATE=\"kerasspec/shapes.py ...\" "
        "MUTATION_TESTS=\"tests/...\"`; figures in `benchmarks/results/mutation.json`):",
        "",
        "| module | mutants | killed | not killed | equivalent | raw score | adjusted score | tool, date |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for module, e in data["modules"].items():
        lines.append(
            f"| `{module}` | {e['mutants']} | {e['killed']} | {len(e['survivors'])} | {e['equivalent']} "
            f"| {pct(e['raw_score'])} | **{pct(e['adjusted_score'])}** | {e['tool']}, {e['date']} |"
        )
    lines += ["", "Tests each module was run against (never the slow ones):", ""]
    for module, e in data["modules"].items():
        lines.append(f"- `{module}`: {', '.join(f'`{t}`' for t in e['tests']) or 'all'}")
    return "\n".join([*lines, END])


HEADING = """## Mutation score

`make mutation` mutates the rule, shape and loader modules with mutmut (operators, constants,
comparisons, string literals, argument values, one at a time) and runs the fast tests that
reach each mutated function: a mutant the tests do not notice marks a branch or a value no
test pins down. The raw score counts every mutant; the adjusted one leaves out the mutants
listed as equivalent (they cannot change behaviour) in `scripts/mutation_report.py`, each
with its reason.

"""


def write_doc(data: dict) -> None:
    text = DOC.read_text()
    if BEGIN not in text:
        text = text.rstrip("\n") + "\n\n" + HEADING + BEGIN + "\n" + END + "\n"
    start, end = text.index(BEGIN), text.index(END) + len(END)
    DOC.write_text(text[:start] + section(data) + text[end:])


def main() -> int:
    if not RESULT.exists():
        print(f"{RESULT.relative_to(ROOT)} does not exist: run `make mutation` first", file=sys.stderr)
        return 1
    write_doc(json.loads(RESULT.read_text()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
