"""Helpers shared by the benchmarks: fresh-process timing, peak RSS, medians, machine facts.

Every number a benchmark reports is paired with a reference measured in the same run
(the machine this runs on is small and noisy): absolute seconds are context, ratios
are the result.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
RESULTS_DIR = BENCH_DIR / "results"
EXAMPLES = ROOT / "examples"
#: The interpreter running the benchmark (the project's .venv under `make bench`).
PYTHON = sys.executable


@dataclass(frozen=True)
class Measured:
    """One finished child process: wall time, peak resident memory, exit code and output."""

    wall_s: float
    cpu_s: float
    maxrss_mb: float
    returncode: int
    stdout: str
    stderr: str

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("stdout")
        d.pop("stderr")
        return d


def child_env(**extra: str) -> dict[str, str]:
    """The environment of every child: the caller's, TensorFlow's C++ log chatter off, bytecode cached."""
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # Children write and reuse bytecode caches (__pycache__ is git-ignored), as an installed
    # package does: without them every fresh process would compile kerasspec from source.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


class Running:
    """A child process started by :func:`spawn`; :meth:`finish` reaps it into a :class:`Measured`."""

    def __init__(self, cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path = ROOT,
                 pass_fds: tuple[int, ...] = ()) -> None:
        # Output goes to temporary files, so a chatty child cannot block on a full pipe.
        self._out = tempfile.TemporaryFile()  # noqa: SIM115 - closed in finish()
        self._err = tempfile.TemporaryFile()  # noqa: SIM115
        self.start = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdout=self._out, stderr=self._err, env=env or child_env(),
                                     cwd=cwd, pass_fds=pass_fds)

    def kill(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()

    def stderr_so_far(self) -> str:
        self._err.seek(0)
        return self._err.read().decode("utf-8", "replace")

    def finish(self, timeout: float | None = None) -> Measured:
        """Wait for the child with a blocking ``os.wait4``: exact wall time, and its own rusage.

        ``RUSAGE_CHILDREN`` would be the maximum over every child reaped so far, not this one's.
        """
        killer = threading.Timer(timeout, self.kill) if timeout else None
        if killer:
            killer.start()
        try:
            _, status, usage = os.wait4(self.proc.pid, 0)
        finally:
            if killer:
                killer.cancel()
        wall = time.perf_counter() - self.start
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        try:
            self._out.seek(0)
            self._err.seek(0)
            stdout = self._out.read().decode("utf-8", "replace")
            stderr = self._err.read().decode("utf-8", "replace")
        finally:
            self._out.close()
            self._err.close()
        return Measured(
            wall_s=wall,
            # CPU time (user + system) is what a loaded machine disturbs least.
            cpu_s=usage.ru_utime + usage.ru_stime,
            # Linux reports ru_maxrss in KiB.
            maxrss_mb=usage.ru_maxrss / 1024,
            returncode=self.proc.returncode,
            stdout=stdout,
            stderr=stderr,
        )


def spawn(cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path = ROOT,
          pass_fds: tuple[int, ...] = ()) -> Running:
    return Running(cmd, env=env, cwd=cwd, pass_fds=pass_fds)


def run_measured(
    cmd: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    timeout: float | None = None,
) -> Measured:
    """Run ``cmd`` in a fresh process to the end: wall time from spawn to reap, CPU time, ru_maxrss."""
    return spawn(cmd, env=env, cwd=cwd).finish(timeout)


class Stopwatch:
    """Wall and CPU time of a block in this process: ``with Stopwatch() as t: ...``, then ``t.wall_s``, ``t.cpu_s``.

    ``perf_counter`` for the wall clock, ``process_time`` for the CPU (this process's threads, not
    its children): the pair every in-process measurement of the benchmarks takes.
    """

    def __init__(self) -> None:
        self.wall_s = self.cpu_s = 0.0
        self._wall0 = self._cpu0 = 0.0

    def __enter__(self) -> Stopwatch:
        self._wall0, self._cpu0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall_s = time.perf_counter() - self._wall0
        self.cpu_s = time.process_time() - self._cpu0


@dataclass
class Timings:
    """What :func:`time_commands` measured, per command name: one entry per repetition."""

    wall_s: dict[str, list[float]]
    cpu_s: dict[str, list[float]]
    maxrss_mb: dict[str, list[float]]
    last: dict[str, Measured]


def time_commands(
    cmds: dict[str, list[str]],
    reps: int,
    *,
    env: dict[str, str] | None = None,
    timeout: float = 300,
    ok: tuple[int, ...] = (0,),
) -> Timings:
    """Time each command in ``reps`` fresh processes, interleaved so that drift hits every command alike.

    One unmeasured run each first fills the bytecode and file caches; then every repetition
    runs all commands, the order rotated by one each time (no command always runs right after
    the same other one). An exit status outside ``ok`` is a RuntimeError.
    """
    for name, cmd in cmds.items():
        m = run_measured(cmd, env=env, timeout=timeout)
        if m.returncode not in ok:
            raise RuntimeError(f"{name} failed (exit {m.returncode}): {m.stderr[-2000:]}")
    out = Timings({n: [] for n in cmds}, {n: [] for n in cmds}, {n: [] for n in cmds}, {})
    for i in range(reps):
        names = list(cmds)
        for name in names[i % len(names):] + names[: i % len(names)]:
            m = run_measured(cmds[name], env=env, timeout=timeout)
            if m.returncode not in ok:
                raise RuntimeError(f"{name} failed (exit {m.returncode}): {m.stderr[-2000:]}")
            out.wall_s[name].append(m.wall_s)
            out.cpu_s[name].append(m.cpu_s)
            out.maxrss_mb[name].append(m.maxrss_mb)
            out.last[name] = m
    return out


def median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def spread(values: list[float]) -> dict[str, float]:
    """Median, min and max of a sample (rounded for the JSON files)."""
    if not values:
        return {"median": float("nan"), "min": float("nan"), "max": float("nan"), "n": 0}
    return {
        "median": round(median(values), 4),
        "min": round(min(values), 4),
        "max": round(max(values), 4),
        "n": len(values),
    }


def ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 3) if denominator > 0 else float("nan")


def machine() -> dict[str, Any]:
    """The facts a reader needs to put the numbers in context."""
    info: dict[str, Any] = {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    try:
        from importlib.metadata import version

        info["tensorflow"] = _first_version(version, ("tensorflow-cpu", "tensorflow"))
        info["keras"] = _first_version(version, ("keras",))
        info["pydantic"] = _first_version(version, ("pydantic",))
        info["pyyaml"] = _first_version(version, ("pyyaml", "PyYAML"))
    except ImportError:  # pragma: no cover - importlib.metadata is stdlib
        pass
    return info


def _first_version(version: Any, names: tuple[str, ...]) -> str | None:
    for name in names:
        try:
            return str(version(name))
        except Exception:
            continue
    return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def write_result(name: str, data: dict[str, Any], results_dir: Path = RESULTS_DIR) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{name}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")
    tmp.replace(path)
    return path


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
