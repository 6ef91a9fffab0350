"""Lint-path benchmark: how fast `kerasspec check`/`summary` are against building the model in Keras.

(a) start-up: `python -m kerasspec check SPEC` and `python -m kerasspec summary SPEC`, each
    in a fresh process, against a fresh process that builds the same model by hand in
    Keras and prints ``model.summary()`` (what a user without kerasspec runs to find out
    whether a model is well formed). The processes are interleaved, repeated, and
    compared by their medians.
(b) throughput: ``kerasspec.check`` and ``kerasspec.summarize`` on the text of every
    example spec, cycling, in one process, for a few seconds each. Each call is then
    profiled with cProfile and the top functions are recorded (always, not only below
    the target: the hotspots are on record either way).
(c) peak memory: ru_maxrss of the fresh `check` process, with that of `python -c pass`
    as the floor.

    python benchmarks/bench_lint.py            # full run, writes benchmarks/results/lint.json
    python benchmarks/bench_lint.py --quick    # a few repetitions, for a smoke test
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import re
import sys
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    EXAMPLES,
    PYTHON,
    ROOT,
    child_env,
    log,
    machine,
    median,
    ratio,
    run_measured,
    spread,
    write_result,
)

SPEC = EXAMPLES / "keras_io_mnist_convnet.yaml"
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: The keras.io "Simple MNIST convnet" written by hand: the same model as SPEC, built,
#: compiled and summarised as a Keras user would to see whether it is well formed.
KERAS_SCRIPT = """\
import keras
from keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ],
    name="mnist_convnet",
)
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.summary()
"""

#: The least any check built on the same libraries does in a fresh process: import PyYAML and
#: pydantic, define one model, validate one parsed mapping (pydantic plugins off, as the CLI
#: runs). What a fresh `check` takes above this is kerasspec's own.
FLOOR_SCRIPT = """\
import os
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
import argparse
import yaml
from pydantic import BaseModel

class Layer(BaseModel):
    type: str
    units: int = 1

Layer.model_validate(yaml.load("type: Dense\\nunits: 3\\n", Loader=yaml.CSafeLoader))
"""

#: Issue #8's targets for the lint path, with the catalogue four times the first release's.
TARGETS = {
    "check_seconds_max": 0.2,
    "speedup_vs_keras_min": 25.0,
    "specs_per_second_min": 3000.0,
    "check_rss_mb_max": 80.0,
}

#: The throughput target's workload: the example specs of the first release (MLPs and
#: convnets, 4 to 12 layers), on which its 3,360 specs/s were measured. The examples added
#: since (a 101-layer network, recurrent and augmented models) are timed as well, as context.
FIRST_RELEASE_EXAMPLES = (
    "binary_sgd_nesterov.yaml", "cnn_32x32x3_same.yaml", "cnn_32x32x3_valid.yaml", "fashion_mnist_bn.yaml",
    "keras_io_mnist_convnet.yaml", "logits_bce.yaml", "mlp_784.yaml", "mnist_convnet.json",
    "mnist_layer_zoo.yaml", "mnist_mlp.yaml", "mnist_rows_conv1d.yaml",
)  # fmt: skip

_TOTAL_PARAMS = re.compile(r"Total params:\s*([\d,]+)")


def _commands(spec: Path) -> dict[str, list[str]]:
    rel = str(spec.relative_to(ROOT)) if spec.is_relative_to(ROOT) else str(spec)
    return {
        "python_pass": [PYTHON, "-c", "pass"],
        "dependency_floor": [PYTHON, "-c", FLOOR_SCRIPT],
        "check": [PYTHON, "-m", "kerasspec", "check", rel],
        "summary": [PYTHON, "-m", "kerasspec", "summary", rel],
        "keras": [PYTHON, "-c", KERAS_SCRIPT],
    }


_SCRIPTS = {"keras": "hand-written Keras script", "dependency_floor": "dependency floor script"}


def _band(values: list[float]) -> list[float]:
    return [round(min(values), 3), round(max(values), 3)] if values else [float("nan")] * 2


def _total_params(text: str) -> int | None:
    m = _TOTAL_PARAMS.search(text)
    return int(m.group(1).replace(",", "")) if m else None


def bench_startup(reps: int, spec: Path = SPEC) -> dict[str, Any]:
    """(a) and (c): fresh processes, interleaved so that drift hits every command alike."""
    cmds = _commands(spec)
    env = child_env()
    # One unmeasured run each fills the bytecode and file caches.
    for name, cmd in cmds.items():
        m = run_measured(cmd, env=env, timeout=300)
        if m.returncode != 0:
            raise RuntimeError(f"{name} failed (exit {m.returncode}): {m.stderr[-2000:]}")
    walls: dict[str, list[float]] = {name: [] for name in cmds}
    cpus: dict[str, list[float]] = {name: [] for name in cmds}
    rss: dict[str, list[float]] = {name: [] for name in cmds}
    last: dict[str, Any] = {}
    for i in range(reps):
        # Rotate the order every repetition: no command always runs right after Keras.
        names = list(cmds)
        names = names[i % len(names):] + names[: i % len(names)]
        for name in names:
            m = run_measured(cmds[name], env=env, timeout=300)
            if m.returncode != 0:
                raise RuntimeError(f"{name} failed (exit {m.returncode}): {m.stderr[-2000:]}")
            walls[name].append(m.wall_s)
            cpus[name].append(m.cpu_s)
            rss[name].append(m.maxrss_mb)
            last[name] = m
    # The static summary must describe the model Keras builds, or the race is meaningless.
    params = {"summary": _total_params(last["summary"].stdout), "keras": _total_params(last["keras"].stdout)}
    med = {name: median(v) for name, v in walls.items()}
    cpu = {name: median(v) for name, v in cpus.items()}
    return {
        "spec": str(spec.relative_to(ROOT)) if spec.is_relative_to(ROOT) else str(spec),
        "reps": reps,
        "commands": {
            name: " ".join(c if " " not in c and "\n" not in c else f"'<{_SCRIPTS[name]}>'" for c in cmd)
            for name, cmd in cmds.items()
        },
        "keras_script": KERAS_SCRIPT,
        "dependency_floor_script": FLOOR_SCRIPT,
        "wall_s": {name: spread(v) for name, v in walls.items()},
        "cpu_s": {name: spread(v) for name, v in cpus.items()},
        "maxrss_mb": {name: spread(v) for name, v in rss.items()},
        "speedup_check_vs_keras": ratio(med["keras"], med["check"]),
        "speedup_summary_vs_keras": ratio(med["keras"], med["summary"]),
        "cpu_speedup_check_vs_keras": ratio(cpu["keras"], cpu["check"]),
        "cpu_speedup_summary_vs_keras": ratio(cpu["keras"], cpu["summary"]),
        # Per repetition (the four processes of one repetition ran back to back): the range
        # of the ratio says how far noise moves it.
        "speedup_range": {
            f"{clock}_{name}": _band([k / c for k, c in zip(series["keras"], series[name], strict=True)])
            for clock, series in (("wall", walls), ("cpu", cpus)) for name in ("check", "summary")
        },
        "check_minus_python_pass_s": round(med["check"] - med["python_pass"], 4),
        # kerasspec's own share of a fresh check: above what PyYAML and pydantic cost alone.
        "check_minus_dependency_floor_s": round(med["check"] - med["dependency_floor"], 4),
        "dependency_floor_share_of_check": round(
            (med["dependency_floor"] - med["python_pass"]) / (med["check"] - med["python_pass"]), 3
        ),
        "keras_minus_python_pass_s": round(med["keras"] - med["python_pass"], 4),
        "speedup_net_of_interpreter": ratio(
            med["keras"] - med["python_pass"], med["check"] - med["python_pass"]
        ),
        "total_params": params,
        "total_params_agree": params["summary"] is not None and params["summary"] == params["keras"],
    }


def import_profile(spec: Path = SPEC, top: int = 8) -> dict[str, Any]:
    """Where a fresh `check` process spends its start-up: ``python -X importtime``, median of 3.

    Self and cumulative microseconds per module; the top modules by self time, and the
    cumulative time of the packages the lint path imports.
    """
    runs: list[dict[str, tuple[int, int]]] = []
    cmd = [PYTHON, "-X", "importtime", *_commands(spec)["check"][1:]]
    for _ in range(3):
        m = run_measured(cmd, env=child_env(), timeout=120)
        mods: dict[str, tuple[int, int]] = {}
        for line in m.stderr.splitlines():
            if not line.startswith("import time:") or "|" not in line or "self [us]" in line:
                continue
            self_us, cum_us, name = (part.strip() for part in line[len("import time:"):].split("|"))
            mods.setdefault(name.strip(), (int(self_us), int(cum_us)))
        runs.append(mods)
    names = set.intersection(*(set(r) for r in runs))
    self_ms = {n: median([r[n][0] / 1000 for r in runs]) for n in names}
    cum_ms = {n: median([r[n][1] / 1000 for r in runs]) for n in names}
    packages = ("kerasspec", "kerasspec.spec", "kerasspec.cli", "pydantic", "yaml", "jsonschema", "typing_extensions")
    return {
        "command": "python -X importtime -m kerasspec check " + str(spec.relative_to(ROOT)),
        "all_imports_ms": round(sum(self_ms.values()), 1),
        "cumulative_ms": {p: round(cum_ms[p], 1) for p in packages if p in cum_ms},
        "top_self_ms": {n: round(v, 1) for n, v in sorted(self_ms.items(), key=lambda kv: -kv[1])[:top]},
    }


def example_texts(folder: Path = EXAMPLES) -> dict[str, str]:
    """The text of every example spec at the top of ``examples/`` (the valid ones)."""
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".json") and p.is_file())
    return {p.name: p.read_text() for p in files}


def _parse_only(text: str) -> object:
    """The reference: the fastest safe YAML parse of the same text (libyaml), no checking at all."""
    return yaml.load(text, Loader=_FAST_LOADER)


def _slice(fn: Any, texts: list[str], seconds: float) -> tuple[int, float, float]:
    """Call ``fn`` on ``texts``, cycling, for about ``seconds``: (calls, wall s, CPU s)."""
    n = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    deadline = wall0 + seconds
    while True:
        for text in texts:
            fn(text)
        n += len(texts)
        if time.perf_counter() >= deadline:
            break
    return n, time.perf_counter() - wall0, time.process_time() - cpu0


def _throughput(fn: Any, texts: list[str], seconds: float) -> dict[str, Any]:
    """Specs per second, by wall and by CPU time, and the cost relative to a bare YAML parse.

    The call and the reference run in alternating slices, so that a burst of load from
    elsewhere on the machine hits both.
    """
    for text in texts:  # warm-up: first-call costs (pydantic, regexes) are not throughput
        fn(text)
        _parse_only(text)
    n = wall = cpu = 0.0
    rn = rwall = rcpu = 0.0
    slice_s = min(0.5, seconds / 4)
    rates: list[float] = []
    cpu_rates: list[float] = []
    while wall < seconds:
        a, b, c = _slice(fn, texts, slice_s)
        n, wall, cpu = n + a, wall + b, cpu + c
        rates.append(a / b)
        if c > 0:
            cpu_rates.append(a / c)
        a, b, c = _slice(_parse_only, texts, slice_s / 2)
        rn, rwall, rcpu = rn + a, rwall + b, rcpu + c
    return {
        "specs": int(n),
        "seconds": round(wall, 3),
        "per_second": round(n / wall, 1),
        "per_cpu_second": round(n / cpu, 1) if cpu else float("nan"),
        "ms_per_spec": round(1000 * wall / n, 4),
        "per_second_range": _band(rates),
        "per_cpu_second_range": _band(cpu_rates),
        "reference": "yaml.load(text, CSafeLoader) on the same texts, in alternating slices",
        "reference_per_second": round(rn / rwall, 1),
        "times_slower_than_reference": ratio(wall / n, rwall / rn),
    }


def _profile(fn: Any, texts: list[str], calls: int, top: int = 15) -> dict[str, Any]:
    prof = cProfile.Profile()
    prof.enable()
    done = 0
    while done < calls:
        for text in texts:
            fn(text)
        done += len(texts)
    prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    for (file, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append({
            "function": f"{_short(file)}:{line}({func})",
            "ncalls_per_spec": round(ncalls / done, 2),
            "tottime_pct": round(100 * tottime / total, 1),
            "cumtime_pct": round(100 * cumtime / total, 1),
        })
    by_tottime = sorted(rows, key=lambda r: -r["tottime_pct"])[:top]
    by_cumtime = sorted(rows, key=lambda r: -r["cumtime_pct"])
    # Cumulative: the package's own stages, which say where in the pipeline time goes.
    ours = [r for r in by_cumtime if r["function"].startswith("kerasspec/")][:top]
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    return {"calls": done, "top_tottime": by_tottime, "top_cumtime_kerasspec": ours,
            "by_library_tottime_pct": _by_library(rows)}


def _short(file: str) -> str:
    for marker in ("site-packages/", "/lib/python3."):
        if marker in file:
            tail = file.split(marker, 1)[1]
            return tail.split("/", 1)[1] if marker.startswith("/lib") else tail
    if "/kerasspec/" in file:
        return "kerasspec/" + file.split("/kerasspec/", 1)[1]
    return file


def _by_library(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Self time grouped by top-level package: where the cycles go, in one line."""
    out: dict[str, float] = {}
    for r in rows:
        fn = r["function"]
        lib = fn.split("/", 1)[0] if "/" in fn else fn.split(":", 1)[0].split(".", 1)[0]
        if fn.startswith("~") or fn.startswith("<"):
            lib = "builtins"
        out[lib] = round(out.get(lib, 0.0) + r["tottime_pct"], 1)
    return dict(sorted(out.items(), key=lambda kv: -kv[1])[:10])


def bench_throughput(seconds: float, *, profile: bool = True) -> dict[str, Any]:
    """(b): library calls on in-memory text, one process: the first release's examples (the
    target's workload), then every example."""
    import kerasspec

    texts = example_texts()
    summarizable = []
    for name, text in texts.items():
        try:
            kerasspec.summarize(text)
            summarizable.append(name)
        except kerasspec.SpecError:
            pass
    first = [n for n in FIRST_RELEASE_EXAMPLES if n in texts]
    out: dict[str, Any] = {"examples": list(texts), "summarize_examples": summarizable, "first_release_examples": first}
    for label, fn, names in (
        ("check", kerasspec.check, first),
        ("summarize", kerasspec.summarize, [n for n in first if n in summarizable]),
        ("check_all_examples", kerasspec.check, list(texts)),
        ("summarize_all_examples", kerasspec.summarize, summarizable),
    ):
        sample = [texts[n] for n in names]
        res = _throughput(fn, sample, seconds)
        res["workload"] = names
        # Always profiled (about a second): the hotspots are on record whichever way the target went.
        if profile and not label.endswith("_all_examples"):
            res["profile"] = _profile(fn, sample, calls=max(len(sample), int(res["per_second"])))
        out[label] = res
    # Per-file rates: which examples are slow.
    out["check_per_file_ms"] = {
        name: round(1000 * (lambda r: r[1] / r[0])(_slice(kerasspec.check, [text], min(0.3, seconds / 10))), 4)
        for name, text in texts.items()
    }
    return out


def _verdict(value: float, cpu_value: float, ok: Any, band: list[float], cpu_band: list[float]) -> dict[str, Any]:
    """A target's verdict by wall-clock time and by CPU time (what a loaded machine disturbs least).

    ``band`` is the range the measurement took over its repetitions (or slices): when the
    target lies inside it, the verdict is not ``conclusive`` and says only which way the median went.
    """
    return {
        "value": value, "met": bool(ok(value)), "range": band, "conclusive": ok(band[0]) == ok(band[1]),
        "cpu_value": cpu_value, "met_by_cpu_time": bool(ok(cpu_value)), "cpu_range": cpu_band,
        "cpu_conclusive": ok(cpu_band[0]) == ok(cpu_band[1]),
    }


def verdicts(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    s, t = result["startup"], result["throughput"]
    wall, cpu, rss = s["wall_s"], s["cpu_s"], s["maxrss_mb"]
    fast = TARGETS["check_seconds_max"]
    speed = TARGETS["speedup_vs_keras_min"]
    rate = TARGETS["specs_per_second_min"]
    rng = s["speedup_range"]

    def span(d: dict[str, float]) -> list[float]:
        return [d["min"], d["max"]]

    n_first = len(t["check"]["workload"])
    return {
        f"check < {fast:g} s (fresh process)": _verdict(
            wall["check"]["median"], cpu["check"]["median"], lambda v: v < fast,
            span(wall["check"]), span(cpu["check"])),
        f"summary < {fast:g} s (fresh process)": _verdict(
            wall["summary"]["median"], cpu["summary"]["median"], lambda v: v < fast,
            span(wall["summary"]), span(cpu["summary"])),
        f"check >= {speed:g}x faster than Keras": _verdict(
            s["speedup_check_vs_keras"], s["cpu_speedup_check_vs_keras"], lambda v: v >= speed,
            rng["wall_check"], rng["cpu_check"]),
        f"summary >= {speed:g}x faster than Keras": _verdict(
            s["speedup_summary_vs_keras"], s["cpu_speedup_summary_vs_keras"], lambda v: v >= speed,
            rng["wall_summary"], rng["cpu_summary"]),
        f"check >= {rate:,.0f} specs/s (one process, the {n_first} first-release examples)": _verdict(
            t["check"]["per_second"], t["check"]["per_cpu_second"], lambda v: v >= rate,
            t["check"]["per_second_range"], t["check"]["per_cpu_second_range"]),
        f"summarize >= {rate:,.0f} specs/s (one process, the first-release examples)": _verdict(
            t["summarize"]["per_second"], t["summarize"]["per_cpu_second"], lambda v: v >= rate,
            t["summarize"]["per_second_range"], t["summarize"]["per_cpu_second_range"]),
        f"check peak RSS < {TARGETS['check_rss_mb_max']:g} MB": _verdict(
            rss["check"]["median"], rss["check"]["median"], lambda v: v < TARGETS["check_rss_mb_max"],
            span(rss["check"]), span(rss["check"])),
    }


def run(reps: int = 10, seconds: float = 3.0, *, profile: bool = True) -> dict[str, Any]:
    log(f"bench_lint: start-up, {reps} interleaved repetitions of {len(_commands(SPEC))} fresh processes")
    startup = bench_startup(reps)
    startup["import_profile"] = import_profile()
    log(f"bench_lint: throughput, {seconds:g} s per library call")
    throughput = bench_throughput(seconds, profile=profile)
    result = {
        "benchmark": "lint",
        "machine": machine(),
        "command": f"python benchmarks/bench_lint.py --reps {reps} --seconds {seconds:g}",
        "targets": TARGETS,
        "startup": startup,
        "throughput": throughput,
    }
    result["verdicts"] = verdicts(result)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reps", type=int, default=10, help="fresh-process repetitions of each command")
    p.add_argument("--seconds", type=float, default=3.0, help="seconds of each throughput loop")
    p.add_argument("--quick", action="store_true", help="3 repetitions, 0.5 s loops, no profile, no results file")
    p.add_argument("--no-write", action="store_true", help="print the JSON, write no results file")
    args = p.parse_args(argv)
    if args.quick:
        result = run(reps=3, seconds=0.5, profile=False)
    else:
        result = run(reps=args.reps, seconds=args.seconds)
    text = json.dumps(result, indent=2)
    if args.quick or args.no_write:
        print(text)
    else:
        print(f"wrote {write_result('lint', result)}")
    for name, v in result["verdicts"].items():
        log(f"  {'MET ' if v['met'] else 'MISS'}{'' if v['conclusive'] else '?'} {name}: {v['value']} "
            f"(range {v['range']}; by CPU time: {v['cpu_value']}, range {v['cpu_range']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
