"""The ``kerasspec`` command: parse arguments, call the library, pick a reporter, return an exit code.

Exit codes: 0 no errors; 1 errors found (a malformed spec is a finding);
2 usage or I/O problem (a missing file, a file that cannot be written).
"""

from __future__ import annotations

import argparse
import dataclasses
import fnmatch
import gc
import json
import os
import shlex
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from . import __version__, api
from .diagnostics import Diagnostic, KerasspecError, Severity, SpecError, has_errors
from .reporters import printable, render
from .semantics import DEFAULT_MAX_MEMORY, DEFAULT_MAX_PARAMS, Budget

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
SPEC_SUFFIXES = (".yaml", ".yml", ".json")


class UsageError(Exception):
    """A problem with the command line or the file system: exit code 2."""


def _parse_size(text: str) -> int:
    units = {"": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "g": 1024**3, "gb": 1024**3}
    t = text.strip().lower()
    num = t.rstrip("kmgb")
    try:
        value = int(float(num) * units[t[len(num):]])
    except (ValueError, KeyError, OverflowError):
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (examples: 4GB, 512MB)") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"a size must be positive, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _budget_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-params", type=_positive_int, default=None,
                   help=f"error above this many parameters (without it: a warning above {DEFAULT_MAX_PARAMS:,})")
    p.add_argument("--max-memory", type=_parse_size, default=None,
                   help="error above this estimated training memory, e.g. 8GB (without it: a warning above "
                   f"{DEFAULT_MAX_MEMORY // 1024**3}GB)")


BACKENDS = ("tensorflow", "jax", "torch")


def _backend_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--backend", choices=BACKENDS,
                   help="Keras backend to run on (default: $KERAS_BACKEND, else tensorflow)")


def select_backend(backend: str | None) -> None:
    """Point Keras at ``backend`` before it is imported; Keras fixes its backend at import."""
    if backend is None:
        return
    keras_mod = sys.modules.get("keras")
    if keras_mod is not None:
        current = keras_mod.backend.backend()
        if current != backend:
            raise UsageError(f"Keras is already running on {current}; start a new process for --backend {backend}")
        return
    os.environ["KERAS_BACKEND"] = backend


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kerasspec",
        description="Lint, analyse, build and train Keras Sequential models written as YAML/JSON specs.",
    )
    parser.add_argument("--version", action="version", version=f"kerasspec {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="lint specs (no TensorFlow needed)")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR",
                   help="spec files, or folders searched recursively (subfolders too) for *.yaml, *.yml, *.json; "
                   "hidden files and folders (.git, .venv...) are skipped unless named")
    p.add_argument("--exclude", action="append", default=[], metavar="PATTERN",
                   help="leave out the files and folders whose name or path matches this glob "
                   "(repeatable), e.g. --exclude invalid or --exclude 'examples/*.json'")
    p.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.add_argument("--fix", action="store_true", help="apply the safe fixes in place, keeping comments and layout")
    p.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    p.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, apply the unsafe fixes too")
    _budget_args(p)

    p = sub.add_parser("lsp", help="a Language Server over stdio, for editors (the `lsp` extra: pygls)")

    p = sub.add_parser("summary", help="static layer table like model.summary() (no TensorFlow needed)")
    p.add_argument("path", metavar="FILE")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--plot", metavar="PICTURE", help="also draw the layer stack (.png, .pdf or .svg)")
    _budget_args(p)

    sub.add_parser("schema", help="print the JSON Schema of the spec language")

    p = sub.add_parser("build", help="compile a spec to a Keras model file")
    p.add_argument("path", metavar="FILE")
    p.add_argument("-o", "--output", required=True, help="the .keras file to write")
    _backend_arg(p)
    _budget_args(p)

    p = sub.add_parser("train", help="train a spec on its data and write a run directory")
    p.add_argument("path", metavar="FILE")
    p.add_argument("--data", help="dataset name or path (.npz, or a folder of IDX files); overrides the spec's")
    p.add_argument("--runs-dir", default="runs", help="where run directories go (default %(default)s)")
    p.add_argument("--run-dir", help="write (or resume) exactly this run directory")
    p.add_argument("--resume", action="store_true", help="continue the run in --run-dir from its last finished epoch")
    p.add_argument("--epochs", type=_positive_int, help="override fit.epochs")
    p.add_argument("--batch-size", type=_positive_int, help="override fit.batch_size")
    p.add_argument("--seed", type=int, help="fix the seed: two runs with the same seed are identical")
    p.add_argument("--limit", type=_positive_int, help="use only the first N training examples (quick tries)")
    p.add_argument("--tensorboard", action="store_true", help="write TensorBoard logs into the run directory")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _budget_args(p)
    _backend_arg(p)

    p = sub.add_parser("tune", help="search the spec's search spaces with KerasTuner (the `tune` extra); trials and best.yaml")
    p.add_argument("path", metavar="FILE")
    p.add_argument("--runs-dir", default="runs", help="where run directories go (default %(default)s)")
    p.add_argument("--run-dir", help="write (or resume, or share as a worker) exactly this run directory")
    p.add_argument("--resume", action="store_true", help="continue the search in --run-dir after a kill")
    p.add_argument("--max-trials", type=_positive_int, help="override tune.max_trials (on --resume: extend the search)")
    p.add_argument("--seed", type=int, help="override tune.seed: the search's draws and every trial's training")
    p.add_argument("--data", help="dataset name or path for every trial; overrides the spec's")
    p.add_argument("--limit", type=_positive_int, help="train every trial on the first N training examples (quick tries)")
    role = p.add_mutually_exclusive_group()
    role.add_argument("--chief", action="store_true", help="run KerasTuner's chief oracle (distributed search; trains nothing)")
    role.add_argument("--worker", metavar="NAME", help="run a worker, named NAME (unique), that trains the chief's candidates")
    p.add_argument("--oracle", metavar="HOST:PORT", help="the chief's address (default $KERASTUNER_ORACLE_IP:"
                   "$KERASTUNER_ORACLE_PORT, else 127.0.0.1:8000)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    _budget_args(p)
    _backend_arg(p)

    p = sub.add_parser("report", help="(re)write a run directory's report.html")
    p.add_argument("run_dir", metavar="RUN_DIR")

    p = sub.add_parser("import", help="write the spec of an existing Keras model (.keras file or model.to_json())")
    p.add_argument("model", metavar="MODEL", help="a .keras file, or a JSON file written by model.to_json()")
    p.add_argument("-o", "--output", help="the spec file to write (default: print it)")

    p = sub.add_parser("evaluate", help="evaluate a trained model on its data's test split: loss and every metric")
    p.add_argument("target", metavar="RUN_DIR|MODEL", help="a run directory (from train) or a .keras model file")
    p.add_argument("--data", help="dataset name or path; default: the run's data (or MNIST for a bare model)")
    p.add_argument("--spec", help="a spec giving the data settings, for a bare .keras file")
    p.add_argument("--batch-size", type=_positive_int, default=256, help="default %(default)s")
    p.add_argument("--format", choices=("text", "json"), default="text")
    _backend_arg(p)

    p = sub.add_parser("predict", help="the model's predictions for images (PNG, JPEG...) or .npy/.npz arrays, as its task reads them")
    p.add_argument("model", metavar="MODEL", help="a .keras model file, or a run directory (from train)")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="images (PNG, JPEG...) or .npy/.npz arrays")
    p.add_argument("--task", choices=("classification", "binary", "multi_label", "regression", "reconstruction"),
                   help="what the model predicts (default: its run directory's data.task, else read from the model)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="also save the outputs: FILE.npy (every output, in the order shown), or for an autoencoder "
                   "FILE.png (the inputs above their reconstructions)")
    p.add_argument("--batch-size", type=_positive_int, default=256, help="default %(default)s")
    p.add_argument("--format", choices=("text", "json"), default="text")
    _backend_arg(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # A command is one short pipeline whose objects (validators, the spec, its analysis) live
    # to the end: collecting every 700 allocations, as the default does, finds no garbage and
    # costs a tenth of a `check`. (mypy raises its threshold for the same reason.) A caller
    # that runs main() in its own process gets its setting back.
    threshold = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        return _main(argv)
    finally:
        gc.set_threshold(*threshold)


def _main(argv: Sequence[str] | None) -> int:
    # pydantic looks for plugins in every installed distribution's metadata before it builds
    # the first validator; kerasspec uses none. Setting the variable (even empty) restores it.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    for stream in (sys.stdout, sys.stderr):
        # A message quoting the user's text must never crash an ASCII-only terminal or pipe.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    try:
        select_backend(getattr(args, "backend", None))
        return COMMANDS[args.command](args)
    # Exit codes are decided here, for every command: the stages only raise.
    except SpecError as exc:
        print(render("text", exc.diagnostics), file=sys.stderr)
        return EXIT_FINDINGS
    # Messages quote file names and values: their control characters are escaped (printable).
    except KerasspecError as exc:  # bad data, an unreadable model, a run that cannot resume
        print(printable(f"kerasspec {args.command}: error: {exc}"), file=sys.stderr)
        return EXIT_FINDINGS
    except (UsageError, api.KerasMissing) as exc:
        print(printable(f"kerasspec {args.command}: error: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        where = f"{printable(str(exc.filename), newlines=False)}: " if exc.filename else ""
        print(f"kerasspec {args.command}: error: {where}{printable(str(exc.strerror or exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("kerasspec: interrupted", file=sys.stderr)
        return 130


def _options(args: argparse.Namespace) -> api.Options:
    budget = Budget(
        max_params=args.max_params,
        max_memory_bytes=args.max_memory,
        batch_size=getattr(args, "batch_size", None),  # `train --batch-size` is the batch the estimate uses
    )
    return api.Options(budget=budget)


def _excluded(path: Path, patterns: Sequence[str]) -> bool:
    """Whether a glob matches the name, the path as reached, or the absolute path (as ruff matches)."""
    if not patterns:
        return False
    # fnmatch's `*` also matches `/`: `examples/*` leaves out everything below examples/.
    names = {path.name, path.as_posix(), Path(os.path.abspath(path)).as_posix()}
    return any(fnmatch.fnmatchcase(name, pattern.rstrip("/") or pattern) for name in names for pattern in patterns)


def _search(folder: Path, exclude: Sequence[str]) -> list[Path]:
    """The spec files under ``folder``, every level down, sorted.

    Hidden files and folders (``.git``, ``.venv``: thousands of JSON files that are no specs)
    and the excluded ones are skipped, and a folder left out is not entered. Symbolic links
    to folders are not followed, so a link loop cannot make the search endless.
    """
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = [d for d in dirs if not d.startswith(".") and not _excluded(here / d, exclude)]
        found += [here / f for f in files if Path(f).suffix in SPEC_SUFFIXES and not f.startswith(".")
                  and not _excluded(here / f, exclude) and (here / f).is_file()]
    return sorted(found)


def _expand(paths: Sequence[str], exclude: Sequence[str] = ()) -> Iterator[Path]:
    """The files to check: each named file, and the spec files found in each named folder.

    ``exclude`` (``--exclude``) leaves out named files too, as pre-commit's ``exclude`` does.
    """
    for raw in paths:
        path = Path(raw)
        if _excluded(path, exclude):
            continue
        if path.is_dir():
            yield from _search(path, exclude)
        else:
            yield path


def _use_color(choice: str, stream: object) -> bool:
    if choice == "auto":
        return bool(getattr(stream, "isatty", lambda: False)())
    return choice == "always"


def cmd_check(args: argparse.Namespace) -> int:
    options = dataclasses.replace(_options(args), spaces=True)  # a spec with search spaces is checked as a space
    diagnostics: list[Diagnostic] = []
    io_problems: list[str] = []
    checked = 0
    fixing, diffs = args.fix or args.diff, ""
    if fixing:
        from .fixes import fix_files

        done, io_problems = fix_files(list(_expand(args.paths, args.exclude)), options=options, unsafe=args.unsafe_fixes,
                                      write=not args.diff)
        checked, diffs = len(done), "".join(f.diff for f in done)
        diagnostics = [d for f in done for d in f.diagnostics]
        n, files = sum(len(f.applied) for f in done), sum(bool(f.diff) for f in done)
        print(f"{'Would fix' if args.diff else 'Fixed'} {n} finding{'s' * (n != 1)} in {files} "
              f"file{'s' * (files != 1)}.", file=sys.stderr)
    else:
        for path in _expand(args.paths, args.exclude):
            try:
                diagnostics += api.check(path, options)
                checked += 1
            except OSError as exc:
                io_problems.append(f"{printable(str(path), newlines=False)}: {printable(str(exc.strerror or exc))}")
    if args.strict:
        diagnostics = [d.as_error() for d in diagnostics]
    out = render(args.format, diagnostics, color=_use_color(args.color, sys.stdout))
    if args.diff:  # stdout is the patch alone; the findings that would remain are in the exit code
        sys.stdout.write(diffs)
    elif out and checked:  # nothing checked: no "All checks passed" (or `[]`) for a reader to trust
        print(out)
    for problem in io_problems:
        print(f"kerasspec check: error: {problem}", file=sys.stderr)
    if io_problems or checked == 0:
        if checked == 0 and not io_problems:
            left_out = " (--exclude left some out)" if args.exclude else ""
            print(f"kerasspec check: error: no spec files found{left_out}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_FINDINGS if has_errors(diagnostics) or diffs else EXIT_OK


def cmd_lsp(args: argparse.Namespace) -> int:
    try:
        from .lsp import serve
    except ImportError as exc:
        from .extras import install_hint

        cause = exc.__cause__ or exc  # kerasspec.lsp's own ImportError wraps pygls's
        raise UsageError(f"the language server needs pygls and lsprotocol ({cause}): {install_hint('lsp')}") from None
    serve()
    return EXIT_OK


def _run_or_usage(path: str, options: api.Options) -> api.Result:
    # A command-line argument is always a file name, never spec text: `v2: wide.yaml` is a file.
    try:
        return api.run(Path(path), options)
    except OSError as exc:
        raise UsageError(f"{printable(path, newlines=False)}: {exc.strerror or exc}") from None


def cmd_summary(args: argparse.Namespace) -> int:
    from .summary import Summary, render_text

    result = _run_or_usage(args.path, dataclasses.replace(_options(args), spaces=True))
    # A file read with duplicate keys, NaN or several documents is not what it seems: refused, as check does.
    reading = [d for d in result.diagnostics if d.code.startswith("KS1") and d.severity is Severity.ERROR]
    space = result.space is not None and result.space.smallest_shapes is not None and not has_errors(result.diagnostics)
    if not space and (reading or result.spec is None or result.shapes is None or not result.shapes.complete):
        print(render("text", result.diagnostics), file=sys.stderr)
        return EXIT_FINDINGS
    # A search space: the table of its smallest valid combination, with the space's parameter range.
    summary = result.space.summary() if space else Summary.from_analysis(result.shapes, result.spec.name)
    if args.plot:
        from .diagram import plot

        try:
            plot(summary, args.plot)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        except OSError as exc:
            raise UsageError(f"{args.plot}: {exc.strerror or exc}") from None
        print(f"wrote {args.plot}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(summary.to_dict(), indent=2))
    elif space:
        from .space import render_space_text

        print(printable(render_space_text(summary)))
    else:
        print(printable(render_text(summary)))  # layer names are the spec's text
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import schema_text

    sys.stdout.write(schema_text())
    return EXIT_OK


def _checked(path: str, options: api.Options | None = None) -> api.Result | None:
    """Check before anything imports Keras: a spec with errors is never compiled."""
    result = _run_or_usage(path, options or api.Options())
    if not result.ok:
        print(render("text", result.diagnostics), file=sys.stderr)
        return None
    if result.diagnostics:  # warnings only: they do not stop the build
        print(render("text", result.diagnostics), file=sys.stderr)
    return result


def _check_output(output: str, suffix: str) -> None:
    """Refuse an output file that cannot be written before seconds go into importing Keras."""
    target = Path(output)
    if target.suffix != suffix:
        raise UsageError(f"{printable(output, newlines=False)}: the file to write must end in {suffix}")
    if not target.parent.is_dir():
        raise UsageError(f"{printable(output, newlines=False)}: no folder {printable(str(target.parent), newlines=False)}")


def cmd_build(args: argparse.Namespace) -> int:
    _check_output(args.output, ".keras")
    result = _checked(args.path, _options(args))
    if result is None:
        return EXIT_FINDINGS
    from .build import build_model, save_model

    model = build_model(result.document, _options(args))
    try:
        save_model(model, args.output)
    except OSError as exc:
        raise UsageError(f"{args.output}: {exc.strerror or exc}") from None
    print(f"wrote {args.output}")
    return EXIT_OK


def cmd_train(args: argparse.Namespace) -> int:
    # Usage errors first, in a second: importing TensorFlow takes ten.
    if args.resume and args.run_dir is None:
        raise UsageError("--resume needs --run-dir: the run directory to continue (the one train printed)")
    from .training import TrainInterrupted, train

    try:
        result = train(
            Path(args.path), data=args.data, run_dir=args.run_dir, runs_dir=args.runs_dir, resume=args.resume,
            epochs=args.epochs, batch_size=args.batch_size, seed=args.seed, limit=args.limit,
            tensorboard=args.tensorboard, verbose=0 if args.quiet else None, options=_options(args),
        )
    except TrainInterrupted as exc:
        if exc.epochs_done:
            print(f"kerasspec train: interrupted after epoch {exc.epochs_done} of {exc.epochs}; the finished "
                  f"epochs are saved in {exc.run_dir}.\nContinue with: {_resume_command(args, exc.run_dir)}",
                  file=sys.stderr)
        else:
            print(f"kerasspec train: interrupted before the first epoch finished; nothing to resume in "
                  f"{exc.run_dir}: run the command again", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("kerasspec train: interrupted before training started; nothing was trained", file=sys.stderr)
        return 130
    for name, path in result.artefacts.items():
        if Path(path).exists():
            print(f"{name:18} {path}")
    return EXIT_OK


def _resume_command(args: argparse.Namespace, run_dir: Path) -> str:
    words = ["kerasspec", "train", args.path, "--run-dir", str(run_dir), "--resume"]
    for flag, value in (("--data", args.data), ("--epochs", args.epochs), ("--batch-size", args.batch_size),
                        ("--seed", args.seed), ("--limit", args.limit)):
        if value is not None:
            words += [flag, str(value)]
    return shlex.join(words)


def cmd_tune(args: argparse.Namespace) -> int:
    if (args.resume or args.worker) and args.run_dir is None:
        raise UsageError("--resume and --worker need --run-dir: the search's run directory")
    from .tune import tune

    role = "chief" if args.chief else "worker" if args.worker else None
    try:
        result = tune(
            Path(args.path), run_dir=args.run_dir, runs_dir=args.runs_dir, resume=args.resume,
            max_trials=args.max_trials, seed=args.seed, data=args.data, limit=args.limit, role=role,
            worker_name=args.worker, oracle_address=args.oracle, verbose=0 if args.quiet else 2, options=_options(args),
        )
    except KeyboardInterrupt:
        where = f" --run-dir {shlex.quote(args.run_dir)}" if args.run_dir else " --run-dir RUN_DIR (the one it printed)"
        print(f"kerasspec tune: interrupted; the finished trials are saved. Continue with: kerasspec tune "
              f"{shlex.quote(args.path)}{where} --resume", file=sys.stderr)
        return 130
    for name, path in result.artefacts.items():
        print(f"{name:18} {path}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report

    run_dir = Path(args.run_dir)
    if not (run_dir / "metrics.json").exists() and not (run_dir / "history.json").exists():
        raise UsageError(f"{run_dir}: not a run directory (no metrics.json or history.json)")
    try:
        print(write_report(run_dir))
    except OSError as exc:
        raise UsageError(f"{run_dir}: {exc.strerror or exc}") from None
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from .files import write_text
    from .importer import import_model, spec_yaml

    spec, problems = import_model(args.model)  # an unreadable file: main() says so, exit 1 or 2
    # The file name goes into a comment of the spec: a newline in it must not write YAML.
    text = spec_yaml(spec, source=printable(args.model, newlines=False))
    if problems:
        print(render("text", [d.with_file(args.model) for d in problems]), file=sys.stderr)
    if args.output:
        try:
            write_text(args.output, text)
        except OSError as exc:
            raise UsageError(f"{args.output}: {exc.strerror or exc}") from None
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    # The spec is written either way; unsupported parts make it incomplete, which is a finding.
    return EXIT_FINDINGS if problems else EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .training import evaluate, render_eval

    spec = Path(args.spec) if args.spec is not None else None  # a file name, never spec text
    result = evaluate(args.target, data=args.data, spec=spec, batch_size=args.batch_size)
    out = render_eval(result, args.format)
    print(out if args.format == "json" else printable(out))
    return EXIT_OK


def cmd_predict(args: argparse.Namespace) -> int:
    from .predict import predict
    from .predict import render as render_predictions

    if args.output is not None and Path(args.output).suffix.lower() not in (".npy", ".png"):
        raise UsageError(f"{printable(args.output, newlines=False)}: --output writes an .npy file (or, for an "
                         "autoencoder, a .png picture of its reconstructions)")
    found = predict(args.model, args.inputs, batch_size=args.batch_size, task=args.task, output=args.output)
    out = render_predictions(found, str(args.model), args.format, output=args.output)
    print(out if args.format == "json" else printable(out))  # input names are file names
    return EXIT_OK


COMMANDS = {
    "check": cmd_check,
    "lsp": cmd_lsp,
    "summary": cmd_summary,
    "schema": cmd_schema,
    "build": cmd_build,
    "train": cmd_train,
    "tune": cmd_tune,
    "import": cmd_import,
    "report": cmd_report,
    "evaluate": cmd_evaluate,
    "predict": cmd_predict,
}
