"""Mutation testing of the rule, shape and loader modules with mutmut 3 (``make mutation``).

    python scripts/mutation_run.py [--tests "tests/a.py tests/b.py"] [--jobs N] MODULE.py...

mutmut copies the package to ``mutants/`` (ignored by git), mutates the named modules
there, records which of the selected tests (never the slow ones: no Keras) call each
function, then runs, for every mutant, only the tests that reach it. Every run starts
from an empty ``mutants/``: a cached verdict would hide what newly added tests kill.
The figures go to ``benchmarks/results/mutation.json`` and the "Mutation score" section
of ``docs/analysis.md`` (``scripts/mutation_report.py``), module by module, so runs over
different modules add up.

mutmut reads its settings from ``[tool.mutmut]`` or ``setup.cfg``; this script hands
them over instead, so the modules and the tests can come from the command line. Runs
take an exclusive lock (on this file): a second run waits for the first.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import mutation_report  # noqa: E402

#: The mutmut release whose internals (settings, meta files) this script and the report read.
MUTMUT_VERSION = "3.8.1"


def settings(modules: list[str], tests: list[str]) -> dict[str, object]:
    """mutmut's settings, under the names ``[tool.mutmut]`` would give them."""
    return {
        "source_paths": ["kerasspec"],  # the whole package is copied; only `modules` are mutated
        "only_mutate": modules,
        "pytest_add_cli_args_test_selection": tests,
        "pytest_add_cli_args": ["-m", "not slow", "-p", "no:cacheprovider", "-p", "no:xdist"],
        # A mutant that loops is stopped at 5x its tests' time (plus 2 s), not 15x.
        "timeout_multiplier": 5.0,
        "timeout_constant": 2.0,
        "use_git_change_detection": False,
        # Tests read the example datasets (tests/test_tasks.py, tests/test_branches_semantics.py).
        "also_copy": ["examples/data"],
    }


def configure(values: dict[str, object]) -> None:
    import mutmut.configuration as configuration

    def reader() -> object:
        return lambda key, default: values.get(key, default)

    configuration._config_reader = reader  # type: ignore[assignment]
    configuration.reset_config()


def run_mutmut(jobs: int | None) -> int:
    from mutmut.__main__ import cli

    args = ["run"] + ([] if jobs is None else ["--max-children", str(jobs)])
    try:
        cli.main(args=args, prog_name="mutmut", standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="+", help="modules to mutate, e.g. kerasspec/shapes.py")
    parser.add_argument("--tests", default="", help="test files (space separated); run with -m 'not slow'")
    parser.add_argument("--jobs", type=int, default=None, help="mutants tested at once (default: CPU count)")
    args = parser.parse_args(argv)

    import mutmut

    if mutmut.__version__ != MUTMUT_VERSION:
        print(f"mutation_run: needs mutmut {MUTMUT_VERSION}, found {mutmut.__version__}", file=sys.stderr)
        return 2
    os.chdir(ROOT)
    modules = [m for m in args.modules if m.strip()]
    missing = [m for m in modules if not (ROOT / m).is_file()]
    tests = args.tests.split()
    missing += [t for t in tests if not (ROOT / t.split("::")[0]).exists()]
    if missing:
        print(f"mutation_run: no such file: {' '.join(missing)}", file=sys.stderr)
        return 2

    with open(__file__) as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("mutation_run: another mutation run holds the lock; waiting for it", flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
        configure(settings(modules, tests))
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        start = time.monotonic()
        code = run_mutmut(args.jobs)
        seconds = time.monotonic() - start
        if code != 0:
            print(f"mutation_run: mutmut exited with {code}", file=sys.stderr)
            return code
        mutation_report.record(modules, tests, seconds=seconds, jobs=args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
