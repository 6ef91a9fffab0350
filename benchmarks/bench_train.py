"""Training benchmark: `kerasspec train` against the same model written by hand in Keras.

Each side runs in its own fresh process (benchmarks/_train_child.py) on the same arrays
(checked by SHA-256 of what ``fit`` receives), with the same seed, batch size, epochs and
validation split. The processes start together and then train in lockstep, one epoch at a
time each, in turns that rotate every epoch (see ``run_lockstep``), so that load from
elsewhere on the machine falls on every side alike:

- ``keras``: the hand-written Keras script (set_random_seed, Sequential, compile, fit,
  evaluate);
- ``lib``: ``kerasspec.train(spec, epochs=N, seed=S)``;
- ``cli``: ``kerasspec train SPEC --epochs N --seed S --quiet`` through ``kerasspec.cli.main``;
- ``keras_det``: the hand-written script plus
  ``tf.config.experimental.enable_op_determinism()``, which kerasspec calls when a seed is
  given; it separates the cost of determinism from the cost of kerasspec.

Per epoch, a Keras callback placed before every other callback and one placed after them
time each epoch (so kerasspec's per-epoch checkpoint is counted, and also shown apart).
Time per epoch is the median over epochs 2..N (epoch 1 includes tracing the train step).
Peak memory is each process's ru_maxrss.

Workloads:
- ``full``: examples/fashion_mnist_bn.yaml on full Fashion-MNIST (60,000 training images,
  Debian's dataset-fashion-mnist), 3 epochs.
- ``quick``: examples/keras_io_mnist_convnet.yaml on the embedded 5,000-digit MNIST sample,
  10 epochs.

    python benchmarks/bench_train.py                 # both workloads, writes results/train.json
    python benchmarks/bench_train.py --only quick    # the quick one only
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    BENCH_DIR,
    EXAMPLES,
    PYTHON,
    ROOT,
    child_env,
    log,
    machine,
    median,
    ratio,
    spawn,
    spread,
    write_result,
)

CHILD = BENCH_DIR / "_train_child.py"
FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")

TARGETS = {"epoch_time_ratio_max": 1.05}

WORKLOADS: dict[str, dict[str, Any]] = {
    "full": {
        "spec": EXAMPLES / "fashion_mnist_bn.yaml",
        "dataset": "fashion_mnist",
        "epochs": 3,
        "rounds": 1,
        "sides": ["keras", "keras_det", "lib", "cli"],
        "description": "examples/fashion_mnist_bn.yaml, full Fashion-MNIST (54,000 train + 6,000 validation, 10,000 test)",
    },
    "quick": {
        "spec": EXAMPLES / "keras_io_mnist_convnet.yaml",
        "dataset": "sample",
        "epochs": 10,
        "rounds": 1,
        "sides": ["keras", "keras_det", "lib", "cli"],
        "description": "examples/keras_io_mnist_convnet.yaml, embedded MNIST sample (3,600 train + 400 validation, 1,000 test)",
    },
}


def _child_cmd(side: str, wl: dict[str, Any], seed: int, out: Path) -> list[str]:
    cmd = [PYTHON, str(CHILD), "keras" if side == "keras_det" else side,
           "--spec", str(Path(wl["spec"]).relative_to(ROOT)), "--epochs", str(wl["epochs"]),
           "--seed", str(seed), "--dataset", wl["dataset"], "--out", str(out)]
    if side == "keras_det":
        cmd.append("--deterministic")
    return cmd


def _env(tmp: Path) -> dict[str, str]:
    # An empty Keras home and an origin that fails at once: `dataset: mnist` resolves to the
    # embedded sample (no network wait), and no cached copy of anything interferes.
    return child_env(
        KERAS_HOME=str(tmp / "keras-home"),
        KERASSPEC_MNIST_ORIGIN=f"file://{tmp}/no-such-mnist.npz",
        KERASSPEC_FASHION_MNIST_ORIGIN=f"file://{tmp}/no-such-fashion-mnist/",
    )


def _read_line(f: Any, side: str, running: Any) -> str:
    line = f.readline()
    if not line:
        raise RuntimeError(f"train side {side} stopped before its turn ended:\n{running.stderr_so_far()[-3000:]}")
    return line.decode().strip()


def run_lockstep(sides: list[str], wl: dict[str, Any], seed: int, tmp: Path) -> dict[str, dict[str, Any]]:
    """Start every side at once; let them train one epoch at a time, in turn.

    Start-up (imports, data, building) overlaps; from the first epoch on exactly one side
    trains at any moment, and the order of turns rotates each epoch. A burst of load from
    elsewhere then lands on every side's epochs alike, instead of on whichever side happened
    to run during it.
    """
    env = _env(tmp)
    running: dict[str, Any] = {}
    pipes: dict[str, tuple[Any, int]] = {}
    try:
        for side in sides:
            to_child_r, to_child_w = os.pipe()
            from_child_r, from_child_w = os.pipe()
            cmd = [*_child_cmd(side, wl, seed, tmp / f"{side}.json"), "--sync", f"{to_child_r},{from_child_w}"]
            running[side] = spawn(cmd, env=env, pass_fds=(to_child_r, from_child_w))
            os.close(to_child_r)
            os.close(from_child_w)
            pipes[side] = (os.fdopen(from_child_r, "rb"), to_child_w)
        for epoch in range(wl["epochs"]):
            k = epoch % len(sides)
            for side in sides[k:] + sides[:k]:
                reader, writer = pipes[side]
                ready = _read_line(reader, side, running[side])
                if ready != f"ready {epoch}":
                    raise RuntimeError(f"train side {side}: expected 'ready {epoch}', got {ready!r}")
                os.write(writer, b"go\n")
                _read_line(reader, side, running[side])
        # After the last epoch the sides evaluate, predict and save side by side; their
        # whole-process times overlap, their peak memory is each their own.
        results = {}
        for side, r in running.items():
            m = r.finish(timeout=1800)
            if m.returncode != 0:
                raise RuntimeError(f"train side {side} failed (exit {m.returncode}):\n{m.stderr[-3000:]}")
            rec = json.loads((tmp / f"{side}.json").read_text())
            rec["process"] = m.to_dict()
            results[side] = rec
        return results
    finally:
        for r in running.values():
            r.kill()
        for reader, writer in pipes.values():
            reader.close()
            with contextlib.suppress(OSError):
                os.close(writer)


def _summarise_side(runs: list[dict[str, Any]]) -> dict[str, Any]:
    later = lambda key: [v for r in runs for v in r[key][1:]]  # noqa: E731 - epochs 2..N
    first = runs[0]
    return {
        "epoch_s": spread(later("epoch_total_s")),
        "epoch_cpu_s": spread(later("epoch_total_cpu_s")),
        "epoch_train_only_s": spread(later("epoch_train_s")),
        "epoch_callbacks_s": spread(later("epoch_callbacks_s")),
        "first_epoch_s": spread([r["epoch_total_s"][0] for r in runs]),
        "process_wall_s": spread([r["process"]["wall_s"] for r in runs]),
        "process_cpu_s": spread([r["process"]["cpu_s"] for r in runs]),
        "maxrss_mb": spread([r["process"]["maxrss_mb"] for r in runs]),
        "maxrss_before_fit_mb": spread([r["maxrss_before_fit_mb"] for r in runs]),
        "maxrss_after_fit_mb": spread([r["maxrss_after_fit_mb"] for r in runs]),
        "import_s": spread([r["import_s"] for r in runs]),
        "epochs_s_each_run": [[round(v, 3) for v in r["epoch_total_s"]] for r in runs],
        "test": first.get("test"),
        "final_logs": first["logs"][-1] if first["logs"] else None,
        "fit_kwargs": first["fit_kwargs"],
        "params": first["params"],
        "x": first["x"],
        "y": first["y"],
        "data_source": first.get("data_source"),
    }


def _same(values: list[Any]) -> bool:
    return all(v == values[0] for v in values)


def bench_workload(name: str, wl: dict[str, Any], seed: int = 1) -> dict[str, Any]:
    runs: dict[str, list[dict[str, Any]]] = {side: [] for side in wl["sides"]}
    for r in range(wl["rounds"]):
        log(f"bench_train: {name} round {r + 1}/{wl['rounds']}: {', '.join(wl['sides'])} in lockstep, "
            f"{wl['epochs']} epochs")
        with tempfile.TemporaryDirectory(prefix="kerasspec-bench-") as tmpdir:
            for side, rec in run_lockstep(wl["sides"], wl, seed, Path(tmpdir)).items():
                runs[side].append(rec)
    sides = {side: _summarise_side(rs) for side, rs in runs.items()}
    ref = sides["keras"]
    fit_keys = ("epochs", "batch_size", "validation_split")
    checks = {
        "same_x": _same([s["x"] for s in sides.values()]),
        "same_y": _same([s["y"] for s in sides.values()]),
        "same_fit_settings": _same([{k: s["fit_kwargs"].get(k) for k in fit_keys} for s in sides.values()]),
        "same_params": _same([s["params"] for s in sides.values()]),
    }
    ratios: dict[str, Any] = {}
    for side, s in sides.items():
        if side == "keras":
            continue
        # Epoch e of this side against epoch e of Keras: neighbours in time under lockstep.
        paired = [a / b for ra, rb in zip(runs[side], runs["keras"], strict=True)
                  for a, b in zip(ra["epoch_total_s"][1:], rb["epoch_total_s"][1:], strict=True)]
        ratios[side] = {
            "epoch_s_paired_median": round(median(paired), 3),
            "epoch_s": ratio(s["epoch_s"]["median"], ref["epoch_s"]["median"]),
            "epoch_cpu_s": ratio(s["epoch_cpu_s"]["median"], ref["epoch_cpu_s"]["median"]),
            "epoch_train_only_s": ratio(s["epoch_train_only_s"]["median"], ref["epoch_train_only_s"]["median"]),
            "maxrss_mb": ratio(s["maxrss_mb"]["median"], ref["maxrss_mb"]["median"]),
            "process_wall_s": ratio(s["process_wall_s"]["median"], ref["process_wall_s"]["median"]),
        }
    return {
        "description": wl["description"],
        "spec": str(Path(wl["spec"]).relative_to(ROOT)),
        "dataset": wl["dataset"],
        "epochs": wl["epochs"],
        "rounds": wl["rounds"],
        "seed": seed,
        "sides": sides,
        "ratios_vs_keras": ratios,
        "checks": checks,
    }


def noise(wl: dict[str, Any], key: str) -> float:
    """How far noise moved this run's per-epoch times, as a fraction.

    The largest of: half the relative spread of the reference's own epochs; the
    disagreement between ``lib`` and ``cli``, which run the same code and differ only by
    what the machine did to them; and, for wall-clock time, how far each side's wall-clock
    ratio strays from its CPU-time ratio (the epochs do the same work, so on a quiet
    machine the two agree; waiting for a core shows up only in the first).
    """
    sides = wl["sides"]
    ref = sides["keras"][key]
    out = (ref["max"] / ref["min"] - 1) / 2 if ref["min"] > 0 else float("inf")
    if "lib" in sides and "cli" in sides:
        a, b = sides["lib"][key]["median"], sides["cli"][key]["median"]
        out = max(out, abs(a - b) / ((a + b) / 2))
    if key == "epoch_s":
        for r in wl["ratios_vs_keras"].values():
            w, c = r["epoch_s"], r["epoch_cpu_s"]
            out = max(out, max(w, c) / min(w, c) - 1)
    return round(out, 3)


def _noise_band(value: float, noise: float) -> list[float]:
    return [round(value / (1 + noise), 3), round(value * (1 + noise), 3)]


def verdicts(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Met or not by the median ratio; ``conclusive`` only when the noise band clears the limit."""
    out: dict[str, dict[str, Any]] = {}
    limit = TARGETS["epoch_time_ratio_max"]
    for name, wl in result["workloads"].items():
        wall_noise, cpu_noise = noise(wl, "epoch_s"), noise(wl, "epoch_cpu_s")
        wl["noise"] = {"epoch_s": wall_noise, "epoch_cpu_s": cpu_noise}
        for side in ("lib", "cli"):
            if side in wl["ratios_vs_keras"]:
                r = wl["ratios_vs_keras"][side]
                w, c = r["epoch_s"], r["epoch_cpu_s"]
                out[f"{name}: {side} time per epoch <= {limit}x Keras"] = {
                    "value": w, "met": w <= limit,
                    "range": _noise_band(w, wall_noise),
                    "conclusive": not _noise_band(w, wall_noise)[0] <= limit <= _noise_band(w, wall_noise)[1],
                    "cpu_value": c, "met_by_cpu_time": c <= limit,
                    "cpu_range": _noise_band(c, cpu_noise),
                    "cpu_conclusive": not _noise_band(c, cpu_noise)[0] <= limit <= _noise_band(c, cpu_noise)[1],
                }
        same = all(wl["checks"].values())
        out[f"{name}: same data, settings and parameters on every side"] = {
            "value": same, "met": same, "range": [same, same], "conclusive": True,
            "cpu_value": same, "met_by_cpu_time": same, "cpu_range": [same, same], "cpu_conclusive": True}
    return out


def run(only: list[str] | None = None, epochs: int | None = None, rounds: int | None = None) -> dict[str, Any]:
    names = only or list(WORKLOADS)
    if "full" in names and not FASHION_DIR.is_dir():
        log(f"bench_train: {FASHION_DIR} missing (apt-get install -y dataset-fashion-mnist); skipping `full`")
        names = [n for n in names if n != "full"]
    workloads = {}
    for name in names:
        wl = dict(WORKLOADS[name])
        if epochs is not None:
            wl["epochs"] = epochs
        if rounds is not None:
            wl["rounds"] = rounds
        workloads[name] = bench_workload(name, wl)
    args = (f" --only {' '.join(names)}" if only else "") + (f" --epochs {epochs}" if epochs else "") + (
        f" --rounds {rounds}" if rounds else "")
    result = {
        "benchmark": "train",
        "machine": machine(),
        "command": f"python benchmarks/bench_train.py{args}",
        "targets": TARGETS,
        "workloads": workloads,
    }
    result["verdicts"] = verdicts(result)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--only", nargs="+", choices=list(WORKLOADS), help="run only these workloads")
    p.add_argument("--epochs", type=int, help="override the epochs of every workload (at least 2)")
    p.add_argument("--rounds", type=int, help="override the rounds of every workload")
    p.add_argument("--no-write", action="store_true", help="print the JSON, write no results file")
    args = p.parse_args(argv)
    if args.epochs is not None and args.epochs < 2:
        p.error("--epochs must be at least 2: epoch 1 is excluded from the timing")
    result = run(args.only, args.epochs, args.rounds)
    if args.no_write:
        print(json.dumps(result, indent=2))
    else:
        print(f"wrote {write_result('train', result)}")
    for name, v in result["verdicts"].items():
        log(f"  {'MET ' if v['met'] else 'MISS'}{'' if v['conclusive'] else '?'} {name}: {v['value']} "
            f"(range {v['range']}; by CPU time: {v['cpu_value']}, range {v['cpu_range']})")
    for name, wl in result["workloads"].items():
        for side, s in wl["sides"].items():
            log(f"  {name}/{side}: epoch {s['epoch_s']['median']:.3f} s (cpu {s['epoch_cpu_s']['median']:.3f} s), "
                f"peak RSS {s['maxrss_mb']['median']:.0f} MB, test {s['test']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
