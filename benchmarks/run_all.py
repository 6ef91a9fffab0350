"""Run every benchmark, write benchmarks/results/*.json, and regenerate the tables of docs/benchmarks.md.

    python benchmarks/run_all.py               # what `make bench` runs (about 10 minutes on 2 cores)
    python benchmarks/run_all.py --docs-only   # only rewrite the tables from the committed results
    python benchmarks/run_all.py --only lint   # one benchmark (its results file and tables)

The tables sit between ``<!-- BEGIN GENERATED: NAME -->`` and ``<!-- END GENERATED: NAME -->``
markers; the prose around them is left alone.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_lint
import bench_space
import bench_train
from _common import RESULTS_DIR, ROOT, log, write_result

DOC = ROOT / "docs" / "benchmarks.md"
BENCHMARKS = ("lint", "train", "space")


# --------------------------------------------------------------------------- #
# Markdown
# --------------------------------------------------------------------------- #


def _table(header: list[str], rows: list[list[Any]]) -> str:
    def cell(v: Any) -> str:
        return str(v).replace("|", "\\|")

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _yes(ok: bool) -> str:
    return "**yes**" if ok else "**no**"


def _s(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}f} s"


def _range(d: dict[str, float], digits: int = 3) -> str:
    return f"{d['min']:.{digits}f}–{d['max']:.{digits}f}"


def render_machine(results: dict[str, dict[str, Any]]) -> str:
    rows = []
    for name, res in results.items():
        m = res["machine"]
        rows.append([name, m["date"], m["nproc"], m["cpu"], m["python"], m.get("tensorflow"), m.get("keras"),
                     m.get("pydantic"), f"`{res['command']}`"])
    return _table(["benchmark", "run (date)", "nproc", "CPU", "Python", "TensorFlow", "Keras", "pydantic",
                   "command"], rows)


def _verdict_cell(met: bool, conclusive: bool) -> str:
    return _yes(met) if conclusive else f"{'yes' if met else 'no'}, inconclusive"


def _range_cell(band: list[Any]) -> str:
    return "" if isinstance(band[0], bool) else f"{band[0]:.4g}–{band[1]:.4g}"


def render_targets(results: dict[str, dict[str, Any]]) -> str:
    rows = []
    for res in results.values():
        for name, v in res["verdicts"].items():
            rows.append([name, v["value"], _range_cell(v["range"]), _verdict_cell(v["met"], v["conclusive"]),
                         v["cpu_value"], _range_cell(v["cpu_range"]),
                         _verdict_cell(v["met_by_cpu_time"], v["cpu_conclusive"])])
    return _table(["target", "wall clock (median)", "range", "met", "CPU time (median)", "range",
                   "met by CPU time"], rows) + (
        "\n\n_range_: over the repetitions (start-up: min–max of the runs or of the per-repetition "
        "ratios; throughput: of the 0.5 s slices; training: the median ratio widened by the run's noise, "
        "the largest of the reference's epoch-to-epoch spread, the disagreement between `kerasspec.train` and "
        "the CLI, which run the same code, and, for wall clock, the gap between each side's wall-clock and "
        "CPU-time ratios). A verdict is _inconclusive_ when the target lies inside the range: "
        "the median says which way it leans, the machine was too busy to say more.")


def render_lint(res: dict[str, Any]) -> str:
    s, t = res["startup"], res["throughput"]
    labels = {
        "python_pass": "`python -c pass` (interpreter floor)",
        "dependency_floor": "`python -c '<import PyYAML and pydantic, validate one model>'` (dependency floor)",
        "check": f"`python -m kerasspec check {s['spec']}`",
        "summary": f"`python -m kerasspec summary {s['spec']}`",
        "keras": "`python -c '<hand-written Keras: Sequential + compile + summary()>'`",
    }
    rows = []
    for key, label in labels.items():
        if key not in s["wall_s"]:  # a result from before the floor was measured
            continue
        w, c, r = s["wall_s"][key], s["cpu_s"][key], s["maxrss_mb"][key]
        rows.append([label, _s(w["median"]), _range(w), _s(c["median"]), f"{r['median']:.1f} MB"])
    out = [f"Fresh processes, {s['reps']} interleaved repetitions each (order rotated every "
           "repetition), one unmeasured warm-up run each; medians.", "",
           _table(["command", "wall (median)", "wall (min–max)", "CPU (median)", "peak RSS (median)"], rows), ""]
    out += [_table(["ratio (same run)", "wall clock", "CPU time"], [
        ["Keras ÷ `check`", f"{s['speedup_check_vs_keras']}x", f"{s['cpu_speedup_check_vs_keras']}x"],
        ["Keras ÷ `summary`", f"{s['speedup_summary_vs_keras']}x", f"{s['cpu_speedup_summary_vs_keras']}x"],
        ["(Keras − interpreter) ÷ (`check` − interpreter)", f"{s['speedup_net_of_interpreter']}x", ""],
        *([["(dependency floor − interpreter) ÷ (`check` − interpreter): PyYAML and pydantic's share",
            f"{s['dependency_floor_share_of_check']:.0%}", ""]] if "dependency_floor_share_of_check" in s else []),
        ["`check` peak RSS ÷ `python -c pass` peak RSS",
         f"{s['maxrss_mb']['check']['median'] / s['maxrss_mb']['python_pass']['median']:.2f}x", ""],
    ]), ""]
    agree = s["total_params"]
    out.append(f"Both sides describe the same model: total params {agree['summary']:,} (kerasspec summary) "
               f"and {agree['keras']:,} (Keras), {'equal' if s['total_params_agree'] else '**different**'}.")
    ip = s.get("import_profile")
    if ip:
        out += ["", f"Start-up of `check` by import (`{ip['command']}`, median of 3, milliseconds): "
                f"all imports {ip['all_imports_ms']} ms.", "",
                _table(["module", "cumulative ms"], [[f"`{k}`", v] for k, v in ip["cumulative_ms"].items()]), "",
                _table(["module (top by self time)", "self ms"], [[f"`{k}`", v] for k, v in ip["top_self_ms"].items()])]
    first = t.get("first_release_examples", t["examples"])
    out += ["", f"In one process (`kerasspec.check`/`kerasspec.summarize` on example texts, cycling, "
            f"{t['check']['seconds']:.1f} s each, alternating with the reference in slices): the "
            f"{len(first)} examples of the first release (the target's workload: MLPs and convnets), then all "
            f"{len(t['examples'])} top-level examples (with the 101-layer, recurrent and augmented ones):", ""]
    rows = []
    for key, workload in (("check", "first release"), ("summarize", "first release"),
                          ("check_all_examples", "all"), ("summarize_all_examples", "all")):
        if key not in t:
            continue
        r = t[key]
        call = key.removesuffix("_all_examples")
        rows.append([f"`kerasspec.{call}(text)`", workload, f"{r['per_second']:,.0f}", f"{r['per_cpu_second']:,.0f}",
                     f"{r['ms_per_spec']:.3f}", f"{r['reference_per_second']:,.0f}", f"{r['times_slower_than_reference']}x"])
    out.append(_table(["call", "examples", "specs/s (wall)", "specs/s (CPU)", "ms/spec (wall)",
                       "reference: libyaml `CSafeLoader` parses/s", "cost ÷ reference"], rows))
    out += ["", "Per example (`check`, ms per call, wall): " + ", ".join(
        f"{k} {v:.2f}" for k, v in t["check_per_file_ms"].items()) + "."]
    for key in ("check", "summarize"):
        prof = t[key].get("profile")
        if not prof:
            continue
        out += ["", f"cProfile of `kerasspec.{key}` ({prof['calls']:,} calls), top functions by self time "
                "(% of the profiled time):", "",
                _table(["function", "calls/spec", "self %", "cumulative %"],
                       [[f"`{r['function']}`", r["ncalls_per_spec"], r["tottime_pct"], r["cumtime_pct"]]
                        for r in prof["top_tottime"][:10]]), "",
                "kerasspec functions by cumulative time:", "",
                _table(["function", "calls/spec", "cumulative %"],
                       [[f"`{r['function']}`", r["ncalls_per_spec"], r["cumtime_pct"]]
                        for r in prof["top_cumtime_kerasspec"][:10]]), "",
                "Self time by library: " + ", ".join(f"{k} {v}%" for k, v in prof["by_library_tottime_pct"].items()) + "."]
    return "\n".join(out)


def render_train(res: dict[str, Any]) -> str:
    out: list[str] = []
    side_names = {
        "keras": "hand-written Keras",
        "keras_det": "hand-written Keras + `enable_op_determinism()`",
        "lib": "`kerasspec.train(...)`",
        "cli": "`kerasspec train` (CLI)",
    }
    for name, wl in res["workloads"].items():
        ref = wl["sides"]["keras"]
        n_epochs = f"epochs 2..{wl['epochs']}"
        out += [f"**{name}**: {wl['description']}; {wl['epochs']} epochs, seed {wl['seed']}, "
                f"{wl['rounds']} run(s) per side. Time per epoch: median of {n_epochs}.", ""]
        rows = []
        for side, s in wl["sides"].items():
            r = wl["ratios_vs_keras"].get(side)
            ref_cell = "1 (reference)"
            rows.append([
                side_names.get(side, side),
                _s(s["epoch_s"]["median"]),
                f"{r['epoch_s']}x" if r else ref_cell,
                f"{r['epoch_s_paired_median']}x" if r else ref_cell,
                _s(s["epoch_cpu_s"]["median"]),
                f"{r['epoch_cpu_s']}x" if r else ref_cell,
                _s(s["epoch_train_only_s"]["median"]),
                _s(s["epoch_callbacks_s"]["median"]),
                _s(s["first_epoch_s"]["median"], 2),
                f"{s['maxrss_mb']['median']:.0f} MB",
                f"{r['maxrss_mb']}x" if r else ref_cell,
                f"{s['maxrss_before_fit_mb']['median']:.0f} / {s['maxrss_after_fit_mb']['median']:.0f} MB",
                f"{s['test']['accuracy']:.4f}" if s.get("test") and "accuracy" in s["test"] else "",
            ])
        out.append(_table([
            "side", "s/epoch (wall)", "ratio", "paired ratio", "s/epoch (CPU)", "ratio", "of which fit (wall)",
            "of which callbacks after fit (wall)", "epoch 1 (wall)", "peak RSS", "ratio",
            "peak RSS before / after fit", "test accuracy"], rows))
        out += ["", "_ratio_: median seconds per epoch ÷ the hand-written Keras median; _paired ratio_: median "
                "over epochs of (this side's epoch e ÷ Keras's epoch e), neighbours in time under lockstep."]
        if "noise" in wl:
            out += ["", f"Noise in this run: ±{100 * wl['noise']['epoch_s']:.1f}% (wall clock), "
                    f"±{100 * wl['noise']['epoch_cpu_s']:.1f}% (CPU time) on the time per epoch."]
        checks = wl["checks"]
        out += ["", f"Same inputs on every side (SHA-256 of the arrays `fit` receives): x "
                f"{_yes(checks['same_x'])}, y {_yes(checks['same_y'])}; same epochs, batch size and "
                f"validation split: {_yes(checks['same_fit_settings'])}; same parameter count "
                f"({ref['params']:,}): {_yes(checks['same_params'])}.", ""]
        out.append("Epoch times, wall, each side: " + "; ".join(
            f"{side} {', '.join(f'{v:.2f}' for v in s['epochs_s_each_run'][0])}" for side, s in wl["sides"].items()) + ".")
        out.append("")
    return "\n".join(out).rstrip()


SKELETON = """# Benchmarks

<!-- BEGIN GENERATED: machine -->
<!-- END GENERATED: machine -->

## Targets

<!-- BEGIN GENERATED: targets -->
<!-- END GENERATED: targets -->

## Lint path

<!-- BEGIN GENERATED: lint -->
<!-- END GENERATED: lint -->

## Training

<!-- BEGIN GENERATED: train -->
<!-- END GENERATED: train -->
"""


def replace_section(text: str, name: str, body: str) -> str:
    pattern = re.compile(
        rf"(<!-- BEGIN GENERATED: {re.escape(name)} -->\n).*?(<!-- END GENERATED: {re.escape(name)} -->)", re.S)
    if not pattern.search(text):
        text = text.rstrip() + f"\n\n<!-- BEGIN GENERATED: {name} -->\n<!-- END GENERATED: {name} -->\n"
    return pattern.sub(lambda m: m.group(1) + body.rstrip() + "\n" + m.group(2), text)


def load_results(results_dir: Path = RESULTS_DIR) -> dict[str, dict[str, Any]]:
    out = {}
    for name in BENCHMARKS:
        path = results_dir / f"{name}.json"
        if path.exists():
            out[name] = json.loads(path.read_text())
    return out


def render_doc(results: dict[str, dict[str, Any]], doc: Path = DOC) -> str:
    text = doc.read_text() if doc.exists() else SKELETON
    note = ("_Generated by `python benchmarks/run_all.py` (`make bench`) from `benchmarks/results/*.json`; "
            "do not edit between the GENERATED markers._\n\n")
    text = replace_section(text, "machine", note + render_machine(results))
    text = replace_section(text, "targets", render_targets(results))
    if "lint" in results:
        text = replace_section(text, "lint", render_lint(results["lint"]))
    if "train" in results:
        text = replace_section(text, "train", render_train(results["train"]))
    if "space" in results:
        text = replace_section(text, "space", bench_space.render(results["space"]))
    return text


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--only", choices=BENCHMARKS, nargs="+", help="run only these benchmarks")
    p.add_argument("--docs-only", action="store_true", help="regenerate the tables from the results files")
    p.add_argument("--reps", type=int, default=10, help="lint: fresh-process repetitions")
    p.add_argument("--seconds", type=float, default=3.0, help="lint: seconds per throughput loop")
    args = p.parse_args(argv)
    if not args.docs_only:
        todo = args.only or list(BENCHMARKS)
        if "lint" in todo:
            log(f"wrote {write_result('lint', bench_lint.run(reps=args.reps, seconds=args.seconds))}")
        if "train" in todo:
            log(f"wrote {write_result('train', bench_train.run())}")
        if "space" in todo:
            log(f"wrote {write_result('space', bench_space.run(reps=5, naive_sample=300, proposals=200))}")
    results = load_results()
    if not results:
        log("no results to render: run the benchmarks first")
        return 1
    # Verdicts follow the current rules, also for results recorded earlier.
    for name, module in (("lint", bench_lint), ("train", bench_train), ("space", bench_space)):
        if name in results:
            try:
                results[name]["verdicts"] = module.verdicts(results[name])
            except KeyError as exc:
                log(f"{name}: results predate field {exc}; keeping their recorded verdicts")
                continue
            write_result(name, results[name])
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(render_doc(results))
    log(f"wrote {DOC}")
    for name, r in results.items():
        for k, v in r["verdicts"].items():
            if not (v["met"] and v.get("conclusive", True)):
                how = "missed" if v.get("conclusive", True) else "inconclusive"
                log(f"  {how} ({name}): {k}: {v['value']} (CPU time: {v['cpu_value']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
