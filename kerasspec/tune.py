"""``kerasspec tune``: search a spec's spaces with KerasTuner; no candidate ``check`` refuses is ever built.

Each space (:mod:`kerasspec.space`) becomes a KerasTuner hyperparameter named by its JSON
Pointer (``/layers/0/filters``): ``choice`` -> ``hp.Choice`` (over the option's index when
the options are not all int, all float, all str or all bool), ``int`` -> ``hp.Int``,
``float`` -> ``hp.Float``, ``boolean`` -> ``hp.Boolean``. :class:`SpecHyperModel` is that
mapping as a KerasTuner ``HyperModel`` (usable with any KerasTuner tuner); ``tune`` runs it
with three additions:

* **pruning.** The oracle never proposes a candidate that the static check refuses:
  every candidate it draws goes through the same check as ``kerasspec check`` (shapes,
  budgets, semantics) first, and a refused one is recorded (``tune.json``: ``pruned``),
  marked as tried so that it is not drawn again, and replaced by another draw. It never
  takes a trial of ``max_trials`` and is never built. (Were one to reach a trial anyway,
  the trial raises ``FailedTrialError`` before anything is built: KerasTuner marks it
  FAILED and does not retry it.)
* **training as ``kerasspec train`` does it.** Each trial (each execution, with seeds
  ``seed``, ``seed + 1``...) is :func:`kerasspec.training.train` on the candidate's plain
  spec, into the trial's folder: the same data loading, settings and seeding. Its score
  is the objective at its best epoch (KerasTuner's rule for a History), averaged over
  executions. So ``best.yaml`` (the best trial's plain spec, ``fit.seed`` set) trains to
  the score the search reported, with ``kerasspec train best.yaml``. Hyperband therefore
  trains each candidate of a round from scratch for the round's epochs (KerasTuner warm
  starts from the previous round's weights, which no single spec can reproduce).
* **resume.** The run directory is KerasTuner's project (``overwrite=False``): after a
  kill, ``--resume`` reloads the oracle and reruns the trial that was cut short, from its
  start (so its score is still reproducible).

Run directory::

    spec.yaml        the spec as given (a resumed search must be given the same)
    tune.json        settings, the space's counts, trials completed/failed/pruned, the best trial
    tuner/           KerasTuner's project: oracle.json, trial_NN/trial.json, and each
                     trial's kerasspec run directory (trial_NN/run, run-1 ... per execution)
    trials.csv/json  one row per trial: its values, status, score and test metrics
    trials.png       the objective of each trial, and the best so far
    best.yaml        the best trial as a plain spec

Distributed: KerasTuner's own mode (a chief oracle, workers that train), configured by
``KERASTUNER_TUNER_ID``, ``KERASTUNER_ORACLE_IP`` and ``KERASTUNER_ORACLE_PORT``, which
``kerasspec tune --chief/--worker NAME --oracle HOST:PORT`` set. Workers share the run
directory (a shared file system); the chief prunes, and writes the outputs at the end.

The objective must be one number per epoch: a metric that logs a vector (``F1Score`` with
``average: null``, ``R2Score`` with ``class_aggregation: null``, ``TruePositives``, ``Precision``...
with several ``thresholds``) is refused before anything is built (:func:`vector_objective`).
Any other vector metric is reported to KerasTuner one number per element (``f1_score[0]``...),
as ``history.csv`` writes it.

KerasTuner (the ``tune`` extra: :func:`kerasspec.extras.install_hint`) and Keras are imported only when ``tune`` runs.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import random
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from . import api
from . import spec as S
from .diagnostics import Diagnostic, KerasspecError, Severity, SpecError, has_errors
from .extras import install_hint
from .files import write_json, write_text
from .semantics import objective_direction, vector_objective_problem
from .space import Space, SpaceAnalysis, check_values, plain, show

__all__ = ["SpecHyperModel", "TuneError", "TuneResult", "tune"]

PROJECT = "tuner"
STATE = "tune.json"
#: Refused candidates drawn in a row before the oracle gives up (the valid region is tiny or empty).
MAX_REFUSED_DRAWS = 1000
ROLES = ("chief", "worker")


class TuneError(KerasspecError):
    """A problem that stops a search before it starts (no space, a run directory that cannot resume)."""


@dataclass
class TuneResult:
    run_dir: Path
    best: dict[str, Any] | None  # the best trial: id, score, values
    trials: list[dict[str, Any]]
    pruned: int
    artefacts: dict[str, Path] = field(default_factory=dict)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def import_keras_tuner() -> Any:
    from .build import import_keras

    import_keras()  # quietly first: keras_tuner imports Keras and TensorFlow
    try:
        import keras_tuner
    except ImportError as exc:
        raise api.KerasMissing(f"`kerasspec tune` needs KerasTuner ({exc}): {install_hint('tune')}") from None
    return keras_tuner


# --------------------------------------------------------------------------- the objective

def _vector_objective_problem(data: dict[str, Any], objective: str, node: Any) -> Diagnostic | None:
    """KS412 (an error) when the objective is a vector metric in the plain spec ``data``; ``node``: the `tune` section."""
    section = data.get("compile")
    if not isinstance(section, dict):
        return None
    try:
        compile = S.Compile.model_validate(section)
    except ValueError:
        return None  # the static check reports it
    return vector_objective_problem(compile, objective, node)


# --------------------------------------------------------------------------- the search space


class _Search:
    """A checked space and what the search needs of it: the spaces, the settings, the static check."""

    def __init__(self, source: api.Source, options: api.Options, *, data: str | None, limit: int | None) -> None:
        result = api.run(source, replace(options, spaces=True))
        if result.space is None:
            if has_errors(result.diagnostics):
                raise SpecError(result.diagnostics)
            raise TuneError("the spec holds no search space: nothing to tune (`kerasspec train` trains it)")
        if has_errors(result.diagnostics):
            raise SpecError(result.diagnostics)
        self.warnings = result.diagnostics
        self.analysis: SpaceAnalysis = result.space
        self.spaces: tuple[Space, ...] = self.analysis.spaces
        self.options = replace(options, spaces=False)
        doc = result.document
        raw = dict(doc.data)
        tune = S.Tune.model_validate(raw.get("tune") or {})
        self.settings = tune
        self.direction = tune.direction or objective_direction(tune.objective) or "max"
        if not isinstance(raw.get("compile"), dict):
            raise TuneError("the spec has no `compile` section: a search trains every candidate, add `compile: {loss: ...}`")
        # The data path as `check` resolves it (beside the spec first), made absolute: each
        # trial's plain spec, and best.yaml in the run directory, must find it from anywhere.
        section = raw.get("data")
        if isinstance(section, dict) and isinstance(section.get("dataset"), str) and doc.file is not None:
            from .datafiles import resolve

            found = resolve(section["dataset"], doc.file)
            if found not in ("mnist", "fashion_mnist") and Path(found).exists():
                raw["data"] = {**section, "dataset": str(Path(found).resolve())}
        self.raw = raw
        self.text = Path(doc.file).read_text(encoding="utf-8") if doc.file else yaml.safe_dump(doc.data, sort_keys=False)
        self.file = doc.file
        self.data, self.limit = data, limit
        self.refusals: dict[tuple[Any, ...], str | None] = {}
        self.max_epochs = _fixed_epochs(raw)
        # A vector objective fails every trial: refused here when no space changes the metrics,
        # else candidate by candidate (a refused one is pruned, never built).
        self.metric_spaces = any(s.pointer.startswith("/compile/metrics") for s in self.spaces)
        if not self.metric_spaces and self.analysis.smallest is not None:
            problem = _vector_objective_problem(self.plain(self.analysis.smallest), tune.objective, raw.get("tune"))
            if problem is not None:
                pos = doc.position(tuple(int(p) if p.isdigit() else p for p in problem.path.split("/")[1:]))
                raise SpecError([replace(problem, file=doc.file, line=pos.line if pos else None,
                                         column=pos.column if pos else None)])

    def values(self, hp_values: dict[str, Any]) -> dict[str, Any]:
        """The spec values of a candidate (by pointer), from KerasTuner's values."""
        return {s.pointer: s.from_hp(hp_values[s.pointer]) for s in self.spaces if s.pointer in hp_values}

    def refused(self, values: dict[str, Any]) -> str | None:
        """Why the static check refuses a candidate (its first error), or None for a valid one."""
        key = tuple((k, json.dumps(v, sort_keys=True)) for k, v in sorted(values.items()))
        if key not in self.refusals:
            if len(values) < len(self.spaces):
                self.refusals[key] = "not every search space has a value"
            else:
                found = check_values(_Doc(self.raw), values, self.options)
                errors = [d for d in found if d.severity is Severity.ERROR]
                if not errors and self.metric_spaces:
                    problem = _vector_objective_problem(self.plain(values), self.settings.objective, self.raw.get("tune"))
                    errors = [problem] if problem is not None else []
                self.refusals[key] = f"{errors[0].code} {errors[0].path or '/'}: {errors[0].message}" if errors else None
        return self.refusals[key]

    def plain(self, values: dict[str, Any], *, seed: int | None = None, epochs: int | None = None) -> dict[str, Any]:
        out = plain(self.raw, self.spaces, values)
        fit = dict(out.get("fit") or {})
        if seed is not None:
            fit["seed"] = seed
        if epochs is not None:
            fit["epochs"] = epochs
        if fit:
            out["fit"] = fit
        return out


def _Doc(data: Any) -> Any:
    from .loader import from_object

    return from_object(data)


def _fixed_epochs(raw: dict[str, Any]) -> int:
    fit = raw.get("fit")
    epochs = fit.get("epochs", 1) if isinstance(fit, dict) else 1
    return epochs if isinstance(epochs, int) and not isinstance(epochs, bool) else -1


def declare(hp: Any, space: Space) -> Any:
    """Register one space with KerasTuner's HyperParameters; returns the value for this trial."""
    name = space.pointer
    if space.kind == "choice":
        if space.plain_options:
            return hp.Choice(name, list(space.options))
        return hp.Choice(name, list(range(len(space.options))), ordered=False)
    if space.kind == "boolean":
        return hp.Boolean(name)
    make = hp.Int if space.kind == "int" else hp.Float
    step = space.step
    if space.kind == "int" and space.sampling == "linear" and step == 1:
        step = None  # KerasTuner's own default for Int (any integer), the same values
    return make(name, space.low, space.high, step=step, sampling=space.sampling)


def SpecHyperModel(search: Any, *, build: Callable[[dict[str, Any]], Any] | None = None) -> Any:
    """A KerasTuner ``HyperModel`` of a spec's space: each space a hyperparameter named by its pointer.

    ``build(hp)`` makes the candidate's plain spec, refuses it with ``FailedTrialError``
    when the static check does (nothing is built), and returns the compiled Keras model;
    ``fit`` trains it with the spec's fit settings. ``search`` is a checked space (made by
    :func:`tune`, or ``SpecHyperModel.from_source(path)``).
    """
    kt = import_keras_tuner()

    class _SpecHyperModel(kt.HyperModel):  # type: ignore[misc]
        def declare_hyperparameters(self, hp: Any) -> None:
            for space in search.spaces:
                declare(hp, space)

        def build(self, hp: Any) -> Any:
            for space in search.spaces:
                declare(hp, space)
            values = search.values(hp.values)
            why = search.refused(values)
            if why is not None:
                raise kt.errors.FailedTrialError(f"refused by the static check, never built: {why}")
            from .build import build_model

            return build_model(search.plain(values), search.options)

        def fit(self, hp: Any, model: Any, *args: Any, **kwargs: Any) -> Any:
            fit = S.Fit.model_validate(search.plain(search.values(hp.values)).get("fit") or {})
            kwargs.setdefault("epochs", fit.epochs)
            kwargs.setdefault("batch_size", fit.batch_size)
            kwargs.setdefault("validation_split", fit.validation_split)
            kwargs.setdefault("shuffle", fit.shuffle)
            return model.fit(*args, **kwargs)

    return _SpecHyperModel(name=search.analysis.name or "kerasspec")


# --------------------------------------------------------------------------- the oracle and the tuner


def _pruning_oracle(kt: Any, base: type, search: _Search, log: Callable[[str], None]) -> type:
    """An oracle class that draws only candidates the static check accepts."""
    running = kt.engine.trial.TrialStatus.RUNNING
    stopped = kt.engine.trial.TrialStatus.STOPPED

    class PruningOracle(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.kerasspec_pruned: list[dict[str, Any]] = []

        def _refuse(self, values: dict[str, Any]) -> bool:
            candidate = search.values(values)
            why = search.refused(candidate)
            if why is None:
                return False
            self.kerasspec_pruned.append({"values": candidate, "reason": why})
            self._tried_so_far.add(self._compute_values_hash(values))  # never drawn again
            log(f"kerasspec: pruned a candidate the static check refuses ({_shown(candidate)}): {why}")
            return True

        def _random_values(self) -> dict[str, Any] | None:
            for _ in range(MAX_REFUSED_DRAWS):
                values = super()._random_values()
                if values is None or not self._refuse(values):
                    return values
            log(f"kerasspec: {MAX_REFUSED_DRAWS} refused candidates in a row; the search stops")
            return None

        def populate_space(self, trial_id: str) -> dict[str, Any]:
            response = super().populate_space(trial_id)
            values = response.get("values")
            if response.get("status") == running and values and self._refuse(values):
                # Bayesian optimization's optimum lies in the invalid region: a valid draw instead.
                fresh = self._random_values()
                if fresh is None:
                    return {"status": stopped, "values": None}
                tuner_keys = {k: v for k, v in values.items() if k.startswith("tuner/")}
                response = {**response, "values": {**fresh, **tuner_keys}}
            return response

        def get_state(self) -> dict[str, Any]:
            return {**super().get_state(), "kerasspec_pruned": self.kerasspec_pruned}

        def set_state(self, state: dict[str, Any]) -> None:
            super().set_state(state)
            self.kerasspec_pruned = list(state.get("kerasspec_pruned", []))

    return PruningOracle


def _oracle(kt: Any, search: _Search, seed: int, max_trials: int, log: Callable[[str], None]) -> Any:
    settings = search.settings
    objective = kt.Objective(settings.objective, direction=search.direction)
    common = {"objective": objective, "seed": seed}
    if settings.algorithm == "hyperband":
        if search.max_epochs < 1:
            raise TuneError("with algorithm hyperband, fit.epochs is the largest budget of a trial: make it a fixed number")
        cls = _pruning_oracle(kt, kt.oracles.HyperbandOracle, search, log)
        return cls(max_epochs=search.max_epochs, factor=3, hyperband_iterations=1, **common)
    base = kt.oracles.BayesianOptimizationOracle if settings.algorithm == "bayesian" else kt.oracles.RandomSearchOracle
    return _pruning_oracle(kt, base, search, log)(max_trials=max_trials, **common)


def _tuner(kt: Any, search: _Search, oracle: Any, run_dir: Path, *, overwrite: bool, seed: int,
           verbose: int | None, log: Callable[[str], None], after_trial: Callable[[Any], None]) -> Any:
    from .training import train

    hypermodel = SpecHyperModel(search)
    said: set[str] = set()

    def said_once(message: str) -> None:
        # Every trial loads the data: a long notice (the embedded MNIST sample's) is said once.
        if len(message) > 200 and message in said:
            return
        said.add(message)
        log(message)

    class SpecTuner(kt.Tuner):  # type: ignore[misc]
        def _populate_initial_space(self) -> None:
            # Declare the spaces without building a model (KerasTuner's default builds one).
            hp = self.oracle.get_space()
            self.hypermodel.declare_hyperparameters(hp)
            self.oracle.update_space(hp)

        def run_trial(self, trial: Any, *args: Any, **kwargs: Any) -> list[dict[str, float]]:
            hp_values = trial.hyperparameters.values
            values = search.values(hp_values)
            why = search.refused(values)
            if why is not None:  # the oracle prunes these; never build one that slipped through
                raise kt.errors.FailedTrialError(f"refused by the static check, never built: {why}")
            epochs = hp_values.get("tuner/epochs")
            folder = Path(self.get_trial_dir(trial.trial_id))
            results = []
            for k in range(search.settings.executions_per_trial):
                out = folder / ("run" if k == 0 else f"run-{k}")
                results.append(self._execution(trial, values, out, seed + k, epochs))
            return results

        def _execution(self, trial: Any, values: dict[str, Any], out: Path, seed: int, epochs: int | None) -> dict[str, float]:
            if out.exists() and not (out / "metrics.json").exists():
                shutil.rmtree(out)  # cut short by a kill: trained again from its start, as best.yaml would
            if (out / "metrics.json").exists():
                history = json.loads((out / "history.json").read_text())
                test = json.loads((out / "metrics.json").read_text())["test"]
                seconds = 0.0
            else:
                started = time.perf_counter()
                result = train(
                    search.plain(values, seed=seed, epochs=epochs), run_dir=out, seed=seed, limit=search.limit,
                    data=search.data, verbose=verbose, options=search.options, log=said_once,
                )
                history, test, seconds = result.history, result.metrics, time.perf_counter() - started
            try:
                metrics = trial_metrics(history, test, search.settings.objective, search.direction)
            except ValueError as exc:
                raise kt.errors.FailedTrialError(str(exc)) from None
            metrics["train_seconds"] = round(seconds, 3)
            return metrics

        def on_trial_end(self, trial: Any) -> None:
            super().on_trial_end(trial)
            after_trial(self)

    return SpecTuner(
        oracle=oracle, hypermodel=hypermodel, directory=str(run_dir), project_name=PROJECT, overwrite=overwrite,
        executions_per_trial=search.settings.executions_per_trial,
    )


def trial_metrics(history: dict[str, list[Any]], test: dict[str, Any], objective: str, direction: str) -> dict[str, float]:
    """What a trial reports to KerasTuner: each logged value at the objective's best epoch, and the test metrics.

    A vector metric is one number per element (``f1_score[0]``, ``test_f1_score[0]``...), as
    ``history.csv`` writes it. Raises ValueError when the objective is missing or not one number.
    """
    from .training import history_columns

    if objective not in history or not history[objective]:
        raise ValueError(f"fit did not log the objective '{objective}' (it logged {', '.join(history)})")
    scores = history[objective]
    if any(isinstance(v, list) for v in scores):
        raise ValueError(f"the objective '{objective}' is not one number per epoch (it logged {scores[0]!r}): KerasTuner "
                         "ranks trials by a single value; make its metric return one number, or choose another objective")
    pick = max if direction == "max" else min
    best = pick(range(len(scores)), key=lambda e: (scores[e], -e) if direction == "max" else (scores[e], e))
    metrics = {k: float(v[best]) for k, v in history_columns(history).items() if len(v) > best and v[best] != ""}
    metrics |= {f"test_{k}": float(v[0]) for k, v in history_columns({k: [v] for k, v in test.items()}).items()}
    metrics["best_epoch"] = float(best + 1)
    return metrics


def _shown(values: dict[str, Any]) -> str:
    return ", ".join(f"{k} = {show(v)}" for k, v in values.items())


# --------------------------------------------------------------------------- the run directory


def _rows(search: _Search, oracle: Any) -> list[dict[str, Any]]:
    rows = []
    for trial_id in sorted(oracle.trials):
        trial = oracle.trials[trial_id]
        row: dict[str, Any] = {"trial": trial_id, "status": str(trial.status)}
        values = search.values(trial.hyperparameters.values)
        row |= {s.pointer: values.get(s.pointer) for s in search.spaces}
        if "tuner/epochs" in trial.hyperparameters.values:
            row["epochs"] = trial.hyperparameters.values["tuner/epochs"]
        score = trial.score
        row["score"] = None if score is None or (isinstance(score, float) and math.isnan(score)) else float(score)
        for name in sorted(trial.metrics.metrics):
            if name != search.settings.objective:
                value = trial.metrics.get_last_value(name)
                row[name] = None if value is None else float(value)
        if trial.message and trial.status != "COMPLETED":
            row["message"] = trial.message.strip().splitlines()[-1][:300]
        rows.append(row)
    return rows


def _best(search: _Search, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    done = [r for r in rows if r["status"] == "COMPLETED" and r["score"] is not None]
    if not done:
        return None
    sign = 1 if search.direction == "max" else -1
    best = max(done, key=lambda r: (sign * r["score"], -int(r["trial"])))
    return best


def _csv(rows: list[dict[str, Any]]) -> str:
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row if k not in keys]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=keys, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in row.items()})
    return buf.getvalue()


def trials_plot(rows: list[dict[str, Any]], target: Path, *, objective: str, direction: str) -> Path:
    """The objective of each trial (in order), the best so far, and failed trials as crosses."""
    from . import plots

    plt = plots.pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    xs = [i + 1 for i, r in enumerate(rows) if r["score"] is not None]
    ys = [r["score"] for r in rows if r["score"] is not None]
    ax.plot(xs, ys, "o", label="trial")
    best: list[float] = []
    for y in ys:
        best.append(y if not best else (max if direction == "max" else min)(best[-1], y))
    if xs:
        ax.step(xs, best, where="post", label="best so far")
    failed = [i + 1 for i, r in enumerate(rows) if r["status"] != "COMPLETED" and r["score"] is None]
    if failed and ys:
        ax.plot(failed, [min(ys)] * len(failed), "x", color="red", label="failed")
    ax.set_xlabel("trial")
    ax.set_ylabel(objective)
    ax.grid(alpha=0.3)
    ax.legend()
    return plots.save(fig, target)


class _SpecDumper(yaml.SafeDumper):
    """Specs as people write them: mappings as blocks, lists of plain values on one line (`[28, 28, 1]`)."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> Any:
    flow = all(not isinstance(v, dict | list) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_SpecDumper.add_representer(list, _represent_list)


def _best_yaml(search: _Search, best: dict[str, Any], seed: int, run_dir: Path) -> str:
    values = {s.pointer: best[s.pointer] for s in search.spaces}
    spec = search.plain(values, seed=seed, epochs=best.get("epochs"))
    text = yaml.dump(spec, Dumper=_SpecDumper, sort_keys=False, allow_unicode=True)
    command = reproduce_command(search, run_dir / "best.yaml")
    name = search.settings.objective
    header = [
        "# yaml-language-server: $schema=https://github.com/kerasspec/kerasspec/raw/main/spec_schema/kerasspec.schema.json",
        f"# The best trial ({best['trial']}) of the search in {run_dir}:",
    ]
    if search.settings.executions_per_trial > 1:
        first = _first_execution_score(search, run_dir / PROJECT / f"trial_{best['trial']}" / "run")
        header += [
            f"# {name} {best['score']:.6g} at the best epoch, the mean of {search.settings.executions_per_trial} "
            f"executions (seeds {seed}, {seed + 1}, ...).",
            f"# `{command}` trains it again as its first execution (seed {seed}"
            + (f": {name} {first:.6g})." if first is not None else ")."),
        ]
    else:
        header += [
            f"# {name} {best['score']:.6g} at its best epoch (seed {seed}).",
            f"# `{command}` trains it again to that score.",
        ]
    return "\n".join(header) + "\n" + text


def _first_execution_score(search: _Search, run: Path) -> float | None:
    try:
        scores = json.loads((run / "history.json").read_text())[search.settings.objective]
    except (OSError, ValueError, KeyError):
        return None
    return float(max(scores) if search.direction == "max" else min(scores)) if scores else None


def reproduce_command(search: _Search, best: Path) -> str:
    import shlex

    words = ["kerasspec", "train", str(best)]
    if search.data is not None:
        words += ["--data", search.data]
    if search.limit is not None:
        words += ["--limit", str(search.limit)]
    return shlex.join(words)


def _write_outputs(search: _Search, oracle: Any, run_dir: Path, state: dict[str, Any], *, finished: bool) -> dict[str, Path]:
    rows = _rows(search, oracle)
    best = _best(search, rows)
    pruned = list(getattr(oracle, "kerasspec_pruned", []))
    out = {
        "trials_csv": write_text(run_dir / "trials.csv", _csv(rows)),
        "trials_json": write_json(run_dir / "trials.json", {"objective": search.settings.objective,
                                                            "direction": search.direction, "trials": rows,
                                                            "pruned": pruned}),
    }
    if rows:
        out["trials_plot"] = trials_plot(rows, run_dir / "trials.png", objective=search.settings.objective,
                                         direction=search.direction)
    if best is not None:
        out["best"] = write_text(run_dir / "best.yaml", _best_yaml(search, best, state["seed"], run_dir))
    counts = {"trials": len(rows), "completed": sum(r["status"] == "COMPLETED" for r in rows),
              "failed": sum(r["status"] in ("FAILED", "INVALID") for r in rows), "pruned": len(pruned)}
    state |= {
        "finished": finished,
        "counts": counts,
        "best": None if best is None else {
            "trial": best["trial"], "score": best["score"], "values": {s.pointer: best[s.pointer] for s in search.spaces},
            "best_yaml": str(run_dir / "best.yaml"), "reproduce": reproduce_command(search, run_dir / "best.yaml"),
        },
        "pruned": pruned,
    }
    out["state"] = write_json(run_dir / STATE, state)
    return out


def _prepare_dir(run_dir: Path, search: _Search, settings: dict[str, Any], *, resume: bool, worker: bool,
                 log: Callable[[str], None]) -> dict[str, Any] | None:
    """Check (or clear) the run directory; the state of the search to resume, if any."""
    state_path = run_dir / STATE
    old = json.loads(state_path.read_text()) if state_path.exists() else None
    if worker:
        return old  # the chief owns the directory; a worker only adds its trials
    if resume:
        if old is None:
            raise TuneError(f"cannot resume {run_dir}: it has no {STATE} (no search started there)")
        if (run_dir / "spec.yaml").read_text(encoding="utf-8") != search.text:
            raise TuneError(f"{run_dir}/spec.yaml differs from this spec: resume the search with the spec it was started with")
        changed = {k for k, v in settings.items() if k != "max_trials" and old.get("settings", {}).get(k) != v}
        if changed:
            raise TuneError(f"cannot resume {run_dir} with other settings ({', '.join(sorted(changed))}): "
                            "use the ones it was started with")
        return old
    if old is not None:
        if not old.get("finished"):
            raise TuneError(f"{run_dir} holds an unfinished search: continue it with --resume, or choose another --run-dir")
        log(f"kerasspec: {run_dir} holds a finished search; starting a new one")
        for name in ("trials.csv", "trials.json", "trials.png", "best.yaml", STATE, "spec.yaml"):
            (run_dir / name).unlink(missing_ok=True)
        shutil.rmtree(run_dir / PROJECT, ignore_errors=True)
    return None


def _new_run_dir(runs_dir: str | os.PathLike[str], name: str | None) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = Path(runs_dir) / f"{name or 'search'}-tune-{stamp}"
    out, n = base, 1
    while True:
        try:
            out.mkdir(parents=True)
            return out
        except FileExistsError:
            n += 1
            out = base.with_name(f"{base.name}-{n}")


def _set_role(role: str | None, worker_name: str | None, oracle_address: str | None) -> None:
    """KerasTuner's distributed mode is configured by the environment, before the tuner is made."""
    if role is None:
        return
    host, port = "127.0.0.1", "8000"
    if oracle_address:
        host, _, port = oracle_address.rpartition(":")
        if not host or not port.isdigit():
            raise TuneError(f"--oracle takes HOST:PORT, got {oracle_address!r}")
    else:
        host = os.environ.get("KERASTUNER_ORACLE_IP", host)
        port = os.environ.get("KERASTUNER_ORACLE_PORT", port)
    os.environ["KERASTUNER_ORACLE_IP"] = host
    os.environ["KERASTUNER_ORACLE_PORT"] = port
    os.environ["KERASTUNER_TUNER_ID"] = "chief" if role == "chief" else (worker_name or "tuner0")


def tune(
    source: api.Source,
    *,
    run_dir: str | os.PathLike[str] | None = None,
    runs_dir: str | os.PathLike[str] = "runs",
    resume: bool = False,
    max_trials: int | None = None,
    seed: int | None = None,
    data: str | None = None,
    limit: int | None = None,
    role: str | None = None,
    worker_name: str | None = None,
    oracle_address: str | None = None,
    verbose: int | None = 0,
    options: api.Options = api.Options(),
    log: Callable[[str], None] = _log,
) -> TuneResult:
    """Search a spec's spaces with KerasTuner and write the run directory (module docstring).

    ``role``: None (one process), ``"chief"`` (the oracle; trains nothing) or ``"worker"``
    (trains the chief's candidates; ``worker_name`` must be unique). Raises SpecError (the
    space has errors), TuneError (nothing to tune, a run directory that cannot resume) or
    KerasMissing (no KerasTuner).
    """
    search = _Search(source, options, data=data, limit=limit)
    for d in search.warnings:
        log(f"kerasspec: warning: {d.code} {d.path}: {d.message}")
    log(f"kerasspec: {search.analysis.headline()}")
    worker = role == "worker"
    if run_dir is None:
        if resume or worker:
            raise TuneError("--resume and --worker need --run-dir: the search's run directory")
        out = _new_run_dir(runs_dir, search.analysis.name)
    else:
        out = Path(run_dir)
        out.mkdir(parents=True, exist_ok=True)
    settings = {"algorithm": search.settings.algorithm, "objective": search.settings.objective,
                "direction": search.direction, "max_trials": max_trials or search.settings.max_trials,
                "executions_per_trial": search.settings.executions_per_trial, "data": data, "limit": limit}
    from .training import lock_run_dir

    lock = None if worker else lock_run_dir(out)
    try:
        old = _prepare_dir(out, search, settings, resume=resume, worker=worker, log=log)
        chosen = seed if seed is not None else search.settings.seed
        if chosen is None:
            chosen = old["seed"] if old and "seed" in old else random.SystemRandom().randrange(1, 2**31 - 1)
        state: dict[str, Any] = {"spec": search.file, "seed": chosen, "settings": settings,
                                 "space": search.analysis.to_dict(), "finished": False}
        if not worker:
            write_text(out / "spec.yaml", search.text)
            write_json(out / STATE, state)
        _set_role(role, worker_name, oracle_address)
        kt = import_keras_tuner()
        oracle = _oracle(kt, search, chosen, settings["max_trials"], log)
        standalone = role is None

        def after_trial(tuner: Any) -> None:
            if standalone:  # a worker's oracle is the chief's: the chief writes the outputs
                _write_outputs(search, tuner.oracle, out, dict(state), finished=False)

        tuner = _tuner(kt, search, oracle, out, overwrite=not resume and not worker, seed=chosen,
                       verbose=verbose, log=log, after_trial=after_trial)
        try:
            tuner.search(verbose=0)
        except RuntimeError as exc:  # KerasTuner's limit of consecutive failed trials (training failures)
            if standalone:
                _write_outputs(search, tuner.oracle, out, dict(state), finished=False)
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise TuneError(f"KerasTuner stopped the search: {first}; the trials so far are in {out} "
                            "(trials.csv; each trial's message says why it failed)") from None
        if worker:
            return TuneResult(out, None, [], 0)
        artefacts = _write_outputs(search, tuner.oracle, out, state, finished=True)
        rows = _rows(search, tuner.oracle)
        best = state.get("best")
        pruned = len(state.get("pruned", []))
        counts = state["counts"]
        log(f"kerasspec: {counts['trials']} trials ({counts['completed']} completed, {counts['failed']} failed); "
            f"{pruned} candidate{'s' * (pruned != 1)} refused by the static check and never built"
            + (f"; best trial {best['trial']}: {search.settings.objective} {best['score']:.4f} -> {out / 'best.yaml'}" if best else ""))
        return TuneResult(out, best, rows, pruned, artefacts)
    finally:
        if lock is not None:
            lock.close()  # closing the descriptor releases the flock
