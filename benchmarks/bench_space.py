"""Search-space benchmark: how fast `check` analyses a space, and how many trials the static check saves.

(a) ``kerasspec check`` on a space of exactly 10,000 combinations (an MNIST convnet: widths,
    kernel sizes, dense units, optimizer, batch size; 20% of the combinations shrink the
    digits to nothing). Measured two ways, each against a reference in the same run:

    * a fresh process, ``python -m kerasspec check SPACE`` (what a user or CI runs: imports
      included), against a fresh ``python -m kerasspec check`` of one of its combinations
      written out as a plain spec (the fixed cost of any check);
    * in one process, ``kerasspec.check(text)`` of the space, against the naive way: checking
      every combination written out as a plain spec, timed on a seeded sample of them and
      scaled to 10,000 (the per-combination cost times the count).

(b) trials saved on a realistic space where some combinations are invalid: KerasTuner's own
    RandomSearchOracle (no pruning, seeded, its default consecutive-failure limit) draws the
    candidates of a search; each is checked statically and built in plain Keras (the layers
    made by hand from the candidate's values, no kerasspec), to confirm that exactly the
    candidates the check refuses are those Keras refuses. The share of refused candidates is the
    share of a plain KerasTuner search's trials that ``kerasspec tune`` saves; the run of three
    failures in a row that stops a plain KerasTuner search is reported where it happens.

    python benchmarks/bench_space.py           # writes benchmarks/results/space.json and its docs section
    python benchmarks/bench_space.py --quick   # fewer repetitions, no results file
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    PYTHON,
    ROOT,
    Stopwatch,
    child_env,
    log,
    machine,
    median,
    ratio,
    spread,
    time_commands,
    write_result,
)

DOC = ROOT / "docs" / "benchmarks.md"
TARGETS = {"check_10k_seconds_max": 2.0}

#: 5 x 5 x 5 x 2 x 5 x 2 x 4 = 10,000 combinations.
SPACE_10K = """\
name: mnist_convnet_10k
input_shape: [28, 28, 1]
layers:
  - type: Conv2D
    filters: {int: [16, 80], step: 16}
    kernel_size: {choice: [3, 7, 11, 15, 19]}
    activation: relu
  - type: MaxPooling2D
    pool_size: 2
  - type: Conv2D
    filters: {int: [32, 160], step: 32}
    kernel_size: {choice: [3, 7]}
    activation: relu
  - type: MaxPooling2D
    pool_size: 2
  - type: Flatten
  - type: Dropout
    rate: 0.5
  - type: Dense
    units: {choice: [32, 64, 128, 256, 512]}
    activation: relu
  - type: Dense
    units: 10
    activation: softmax
compile:
  optimizer: {choice: [adam, rmsprop]}
  loss: sparse_categorical_crossentropy
  metrics: [accuracy]
fit:
  epochs: 5
  batch_size: {choice: [32, 64, 128, 256]}
  validation_split: 0.1
data:
  dataset: mnist
"""

#: What people tune on MNIST: two conv blocks' kernels and pooling, widths, dropout, learning rate.
REALISTIC = """\
name: mnist_convnet_search
input_shape: [28, 28, 1]
layers:
  - type: Conv2D
    filters: {choice: [16, 32, 64]}
    kernel_size: {choice: [3, 5, 7, 9]}
    activation: relu
  - type: MaxPooling2D
    pool_size: {choice: [2, 3]}
  - type: Conv2D
    filters: {choice: [32, 64, 128]}
    kernel_size: {choice: [3, 5, 7]}
    activation: relu
  - type: MaxPooling2D
    pool_size: {choice: [2, 3]}
  - type: Flatten
  - type: Dropout
    rate: {float: [0.1, 0.5], step: 0.1}
  - type: Dense
    units: 10
    activation: softmax
compile:
  optimizer: {type: Adam, learning_rate: {float: [0.0001, 0.01], sampling: log}}
  loss: sparse_categorical_crossentropy
  metrics: [accuracy]
fit:
  epochs: 3
  batch_size: 128
  validation_split: 0.1
data:
  dataset: mnist
tune:
  max_trials: 50
  seed: 1
"""


# --------------------------------------------------------------------------- (a) check on 10,000


def _plain_texts(text: str, k: int, seed: int = 0) -> tuple[list[dict[str, Any]], int]:
    """``k`` combinations of a space, drawn with a seed, each written out as a plain spec."""
    from kerasspec import space as SP
    from kerasspec.loader import load_text

    doc = load_text(text, fmt="yaml")
    spaces, _ = SP.find_spaces(doc)
    every = list(itertools.product(*(range(s.points) for s in spaces)))
    rng = random.Random(seed)
    pick = rng.sample(every, min(k, len(every)))
    return [SP.plain(doc.data, spaces, {s.pointer: s.value(i) for s, i in zip(spaces, c, strict=True)}) for c in pick], len(every)


def bench_check(reps: int, naive_sample: int) -> dict[str, Any]:
    import yaml

    import kerasspec
    from kerasspec import api
    from kerasspec.loader import load_text

    with tempfile.TemporaryDirectory() as tmp:
        space_file = Path(tmp) / "space_10k.yaml"
        space_file.write_text(SPACE_10K)
        plains, total = _plain_texts(SPACE_10K, naive_sample)
        one_file = Path(tmp) / "one_combination.yaml"
        one_file.write_text(yaml.safe_dump(plains[0], sort_keys=False))
        cmds = {
            "space": [PYTHON, "-m", "kerasspec", "check", str(space_file)],
            "one_combination": [PYTHON, "-m", "kerasspec", "check", str(one_file)],
        }
        timed = time_commands(cmds, reps, env=child_env(), timeout=600, ok=(0, 1))  # 1: findings, still timed
        walls, cpus = timed.wall_s, timed.cpu_s
        printed = timed.last["space"].stdout if "space" in timed.last else ""
    # In one process: the analysis, and the naive way on a sample of the combinations.
    result = api.run(load_text(SPACE_10K, fmt="yaml"), api.Options(spaces=True))
    analysis = result.space
    in_wall: list[float] = []
    in_cpu: list[float] = []
    for _ in range(reps):
        with Stopwatch() as t:
            kerasspec.check(load_text(SPACE_10K, fmt="yaml"))
        in_wall.append(t.wall_s)
        in_cpu.append(t.cpu_s)
    for p in plains[:20]:  # warm-up
        kerasspec.check(p)
    with Stopwatch() as t:
        for p in plains:
            kerasspec.check(p)
    naive_wall = t.wall_s / len(plains)
    naive_cpu = t.cpu_s / len(plains)
    return {
        "space": "mnist_convnet_10k (inline in benchmarks/bench_space.py)",
        "combinations": total,
        "valid": analysis.valid,
        "findings": [f"{d.code} {d.path}" for d in result.diagnostics],
        "printed": printed.strip().splitlines()[-1] if printed.strip() else "",
        "reps": reps,
        "fresh_process": {
            "wall_s": {k: spread(v) for k, v in walls.items()},
            "cpu_s": {k: spread(v) for k, v in cpus.items()},
            "space_minus_one_combination_wall_s": round(median(walls["space"]) - median(walls["one_combination"]), 3),
        },
        "in_process": {
            "wall_s": spread(in_wall),
            "cpu_s": spread(in_cpu),
            "per_combination_ms": round(1000 * median(in_wall) / total, 4),
        },
        "naive": {
            "sample": len(plains),
            "per_combination_ms_wall": round(1000 * naive_wall, 4),
            "per_combination_ms_cpu": round(1000 * naive_cpu, 4),
            "extrapolated_wall_s": round(naive_wall * total, 3),
            "extrapolated_cpu_s": round(naive_cpu * total, 3),
        },
        "speedup_vs_naive_wall": ratio(naive_wall * total, median(in_wall)),
        "speedup_vs_naive_cpu": ratio(naive_cpu * total, median(in_cpu)),
    }


# --------------------------------------------------------------------------- (b) trials saved


def _keras_build(keras: Any, spec: dict[str, Any]) -> str | None:
    """Build the candidate in plain Keras, by hand from its values; the error Keras raises, or None."""
    try:
        layers = [keras.Input(shape=tuple(spec["input_shape"]))]
        for item in spec["layers"]:
            args = {k: v for k, v in item.items() if k != "type"}
            layers.append(getattr(keras.layers, item["type"])(**args))
        model = keras.Sequential(layers)
        model.compile(optimizer=keras.optimizers.Adam(spec["compile"]["optimizer"]["learning_rate"]),
                      loss=spec["compile"]["loss"], metrics=spec["compile"]["metrics"])
        return None
    except Exception as exc:  # what Keras raises for a candidate that does not fit
        text = re.sub(r"\x1b\[[0-9;]*m", "", " ".join(str(exc).split()))  # Keras bolds parts of its messages
        return f"{type(exc).__name__}: {text[:160]}"


def bench_trials(proposals: int, tmp: Path) -> dict[str, Any]:
    from kerasspec import api
    from kerasspec import tune as T
    from kerasspec.build import import_keras

    keras = import_keras()
    kt = T.import_keras_tuner()
    spec_file = tmp / "realistic.yaml"
    spec_file.write_text(REALISTIC)
    search = T._Search(spec_file, api.Options(), data=None, limit=None)
    # A plain KerasTuner oracle: no pruning, its default limit of 3 consecutive failed trials.
    # Its default limit of 3 consecutive failures would stop it: lifted here, and where it would stop is
    # computed from the rows instead, so every proposal of the search is counted.
    oracle = kt.oracles.RandomSearchOracle(objective=kt.Objective("val_accuracy", "max"), max_trials=proposals, seed=1,
                                           max_consecutive_failed_trials=proposals + 1)
    oracle._set_project_dir(str(tmp), "plain")
    oracle.verbose = 0
    hp = oracle.get_space()
    for space in search.spaces:
        T.declare(hp, space)
    oracle.update_space(hp)
    rows = []
    check_s = build_s = 0.0
    for _ in range(proposals):
        trial = oracle.create_trial("tuner0")
        if trial.status == "STOPPED":
            break
        values = search.values(trial.hyperparameters.values)
        with Stopwatch() as t:
            refused = search.refused(values)
        check_s += t.wall_s
        with Stopwatch() as t:
            keras_error = _keras_build(keras, search.plain(values))
        build_s += t.wall_s
        keras.backend.clear_session()
        rows.append({"values": values, "refused": refused, "keras_error": keras_error})
        # Score only the valid ones, as a plain search would; the others fail their trial.
        trial.status = "COMPLETED" if keras_error is None else "FAILED"
        if keras_error is None:
            oracle.update_trial(trial.trial_id, {"val_accuracy": random.Random(len(rows)).random()})
        with contextlib.suppress(RuntimeError):  # the consecutive-failure limit; counted below from the rows
            oracle.end_trial(trial)
    refused = [r for r in rows if r["refused"]]
    keras_refused = [r for r in rows if r["keras_error"]]
    agree = sum((r["refused"] is None) == (r["keras_error"] is None) for r in rows)
    run = longest = 0
    stop_at = None
    for i, r in enumerate(rows):
        run = run + 1 if r["keras_error"] else 0
        longest = max(longest, run)
        if run == 3 and stop_at is None:
            stop_at = i + 1
    analysis = api.run(spec_file, api.Options(spaces=True)).space
    return {
        "space": "mnist_convnet_search (inline in benchmarks/bench_space.py)",
        "combinations": analysis.population,
        "statically_invalid_share_of_space": round(analysis.invalid / analysis.analysed, 4),
        "proposals": len(rows),
        "refused_by_check": len(refused),
        "refused_by_keras": len(keras_refused),
        "check_and_keras_agree": agree,
        "share_of_trials_saved": round(len(refused) / len(rows), 4) if rows else float("nan"),
        "plain_search_stops_after_trial": stop_at,
        "longest_run_of_failures": longest,
        "check_ms_per_candidate": round(1000 * check_s / max(1, len(rows)), 2),
        "keras_build_ms_per_candidate": round(1000 * build_s / max(1, len(rows)), 2),
        "example_refusal": refused[0]["refused"] if refused else None,
        "example_keras_error": keras_refused[0]["keras_error"] if keras_refused else None,
        "codes": sorted({r["refused"].split()[0] for r in refused}),
    }


# --------------------------------------------------------------------------- report


def verdicts(result: dict[str, Any]) -> dict[str, Any]:
    fresh = result["check"]["fresh_process"]
    limit = TARGETS["check_10k_seconds_max"]
    wall, cpu = fresh["wall_s"]["space"], fresh["cpu_s"]["space"]
    return {
        "check of 10,000 combinations (fresh process) under 2 s": {
            "value": wall["median"], "met": wall["median"] < limit, "range": [wall["min"], wall["max"]],
            "conclusive": (wall["min"] < limit) == (wall["max"] < limit),
            "cpu_value": cpu["median"], "met_by_cpu_time": cpu["median"] < limit, "cpu_range": [cpu["min"], cpu["max"]],
            "cpu_conclusive": (cpu["min"] < limit) == (cpu["max"] < limit),
        },
    }


def render(result: dict[str, Any]) -> str:
    c, t, m = result["check"], result["trials"], result["machine"]
    f = c["fresh_process"]
    v = next(iter(result["verdicts"].values()))
    lines = [
        f"Run {m['date']} on {m['nproc']} cores ({m['cpu']}), Python {m['python']}, Keras {m.get('keras')}; "
        f"load average at the start {result['load_average']}.",
        "",
        f"**`kerasspec check` on a space of {c['combinations']:,} combinations** ({c['valid']:,} valid; "
        f"findings: {', '.join(c['findings']) or 'none'}), {c['reps']} repetitions:",
        "",
        "| measured | wall (median, range) | CPU (median, range) |",
        "|---|---|---|",
        f"| `python -m kerasspec check SPACE` (fresh process) | {f['wall_s']['space']['median']:.3f} s "
        f"({f['wall_s']['space']['min']:.3f}–{f['wall_s']['space']['max']:.3f}) | {f['cpu_s']['space']['median']:.3f} s "
        f"({f['cpu_s']['space']['min']:.3f}–{f['cpu_s']['space']['max']:.3f}) |",
        f"| reference: `python -m kerasspec check` of one combination (fresh process) | "
        f"{f['wall_s']['one_combination']['median']:.3f} s | {f['cpu_s']['one_combination']['median']:.3f} s |",
        f"| `kerasspec.check(space)` in one process | {c['in_process']['wall_s']['median']:.3f} s | "
        f"{c['in_process']['cpu_s']['median']:.3f} s |",
        f"| reference: checking each combination as a plain spec, in one process ({c['naive']['sample']} sampled, "
        f"× {c['combinations']:,}) | {c['naive']['extrapolated_wall_s']:.2f} s | {c['naive']['extrapolated_cpu_s']:.2f} s |",
        "",
        f"The analysis costs {c['in_process']['per_combination_ms']:.3f} ms per combination, "
        f"{c['speedup_vs_naive_cpu']}x less CPU than checking each combination as a plain spec "
        f"({c['naive']['per_combination_ms_cpu']:.3f} ms each). Target under 2 s (fresh process): "
        f"{'met' if v['met'] else 'missed'} by wall clock ({v['value']:.3f} s), "
        f"{'met' if v['met_by_cpu_time'] else 'missed'} by CPU time ({v['cpu_value']:.3f} s).",
        "",
        f"**Trials saved** on a realistic MNIST space ({t['combinations']:,} combinations with the learning "
        f"rate at its two ends; {100 * t['statically_invalid_share_of_space']:.1f}% statically invalid): "
        f"KerasTuner's RandomSearchOracle (seed 1, no pruning) proposed {t['proposals']} candidates; "
        f"**{t['refused_by_check']} ({100 * t['share_of_trials_saved']:.0f}%) are refused by the static check**, "
        f"all {', '.join(t['codes'])}. Built in plain Keras, {t['refused_by_keras']} fail "
        f"(check and Keras agree on {t['check_and_keras_agree']} of {t['proposals']}), e.g. "
        f"\"{_unquoted(t['example_keras_error'])}\". A plain KerasTuner search spends those trials on failures"
        + (f", and its default limit of 3 consecutive failures stops it after trial {t['plain_search_stops_after_trial']}"
           if t["plain_search_stops_after_trial"] else f" (at most {t['longest_run_of_failures']} in a row here)")
        + f"; `kerasspec tune` prunes them before any is built ({t['check_ms_per_candidate']:.1f} ms per "
        f"candidate to check, against {t['keras_build_ms_per_candidate']:.1f} ms to build it in Keras).",
    ]
    return "\n".join(lines)


def _unquoted(text: str | None) -> str:
    """Keras's message without its backticks, which Markdown would read as code."""
    return (text or "").replace("`", "'")


def write_docs(result: dict[str, Any]) -> None:
    text = DOC.read_text(encoding="utf-8")
    begin, end = "<!-- BEGIN GENERATED: space -->", "<!-- END GENERATED: space -->"
    block = f"{begin}\n{render(result)}\n{end}"
    if begin in text:
        text = re.sub(re.escape(begin) + r".*?" + re.escape(end), lambda _: block, text, flags=re.DOTALL)
    else:
        text = text.rstrip("\n") + "\n\n## Search spaces\n\n" + _PROSE + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


_PROSE = """\
`benchmarks/bench_space.py` (`python benchmarks/bench_space.py`; results in
`benchmarks/results/space.json`) measures (a) `kerasspec check` on a space of exactly
10,000 combinations, in a fresh process and in one process, each against a reference run
alongside it: a fresh check of one of its combinations, and checking every combination
written out as a plain spec (timed on a sample, scaled to 10,000); and (b) the trials a
plain KerasTuner search would spend on candidates the static check refuses, with each
candidate also built in plain Keras to confirm that Keras refuses the same ones. How the
analysis reuses work between combinations is in [tuning.md](tuning.md)."""


def run(reps: int, naive_sample: int, proposals: int) -> dict[str, Any]:
    load = [round(x, 2) for x in os.getloadavg()]
    log("bench_space: check on 10,000 combinations")
    check = bench_check(reps, naive_sample)
    log("bench_space: trials saved")
    with tempfile.TemporaryDirectory() as tmp:
        trials = bench_trials(proposals, Path(tmp))
    result = {"machine": machine(), "command": "python benchmarks/bench_space.py", "load_average": load,
              "targets": TARGETS, "check": check, "trials": trials}
    result["verdicts"] = verdicts(result)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--naive-sample", type=int, default=300, help="combinations checked one by one for the reference")
    p.add_argument("--proposals", type=int, default=200, help="candidates the plain KerasTuner oracle proposes")
    p.add_argument("--quick", action="store_true", help="2 repetitions, small samples, no results file")
    p.add_argument("--docs-only", action="store_true", help="rewrite the docs section from the committed results")
    args = p.parse_args(argv)
    if args.docs_only:
        write_docs(json.loads((ROOT / "benchmarks" / "results" / "space.json").read_text()))
        return 0
    if args.quick:
        result = run(reps=2, naive_sample=40, proposals=12)
        print(json.dumps(result, indent=2))
        return 0
    result = run(args.reps, args.naive_sample, args.proposals)
    log(f"wrote {write_result('space', result)}")
    write_docs(result)
    for name, v in result["verdicts"].items():
        log(f"  {'MET ' if v['met'] else 'MISS'} {name}: {v['value']} s (CPU {v['cpu_value']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
