"""Search spaces: the space nodes, their values, and the static analysis of a whole space.

The analysis of a space must say, for every combination, what ``check`` says about that
combination written out as a plain spec: the differential test below compares the two on
every combination of small spaces. No Keras here (KerasTuner's own values are compared in
tests/test_tune.py).
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import kerasspec
from kerasspec import api, cli
from kerasspec import space as SP
from kerasspec.diagnostics import Severity, SpecError
from kerasspec.loader import from_object, load_text

ROOT = Path(__file__).resolve().parent.parent
SPACES = ROOT / "examples" / "spaces"
VALID = SPACES / "mnist_convnet_space.yaml"
REGION = SPACES / "mnist_convnet_space_invalid_region.yaml"


def keys(diagnostics: list[Any]) -> list[tuple[str, str, int | None, int | None]]:
    return sorted((d.code, d.path, d.line, d.column) for d in diagnostics)


def check_text(text: str) -> list[Any]:
    return kerasspec.check(load_text(text, fmt="yaml"))


BASE = """\
input_shape: [28, 28, 1]
layers:
  - type: Conv2D
    filters: 4
    kernel_size: KERNEL
    activation: relu
  - type: MaxPooling2D
    pool_size: POOL
  - type: Flatten
  - type: Dense
    units: 10
    activation: softmax
compile:
  optimizer: adam
  loss: sparse_categorical_crossentropy
  metrics: [accuracy]
fit:
  validation_split: 0.1
"""


def spec(kernel: str = "3", pool: str = "2") -> str:
    return BASE.replace("KERNEL", kernel).replace("POOL", pool)


# --------------------------------------------------------------------------- space nodes


@pytest.mark.parametrize(
    ("node", "code", "where"),
    [
        ("{int: [64, 16]}", "KS205", "/layers/0/kernel_size/int"),
        ("{int: [1]}", "KS205", "/layers/0/kernel_size/int"),
        ("{int: 3}", "KS203", "/layers/0/kernel_size/int"),
        ("{int: [1, 2.5]}", "KS203", "/layers/0/kernel_size/int/1"),
        ("{int: [true, 3]}", "KS203", "/layers/0/kernel_size/int/0"),
        ("{int: [1, 9], stepp: 2}", "KS201", "/layers/0/kernel_size/stepp"),
        ("{int: [1, 9], step: 0}", "KS205", "/layers/0/kernel_size/step"),
        ("{int: [1, 9], sampling: logg}", "KS206", "/layers/0/kernel_size/sampling"),
        ("{int: [0, 9], sampling: log}", "KS205", "/layers/0/kernel_size/int/0"),
        ("{int: [1, 9], step: 1, sampling: log}", "KS205", "/layers/0/kernel_size/step"),
        ("{choice: []}", "KS205", "/layers/0/kernel_size/choice"),
        ("{choice: 3}", "KS203", "/layers/0/kernel_size/choice"),
        ("{choice: [3, 5, 3]}", "KS214", "/layers/0/kernel_size/choice/2"),
        ("{choice: [3, {int: [1, 2]}]}", "KS214", "/layers/0/kernel_size/choice/1"),
        ("{boolean: false}", "KS206", "/layers/0/kernel_size/boolean"),
        ("{choice: [3], int: [1, 2]}", "KS211", "/layers/0/kernel_size/int"),
    ],
)
def test_malformed_space_nodes_are_structure_errors_at_their_place(node: str, code: str, where: str) -> None:
    found = check_text(spec(kernel=node))
    assert [(d.code, d.path, d.severity) for d in found] == [(code, where, Severity.ERROR)], found
    assert found[0].line == 5 and found[0].column is not None


def test_spaces_outside_layers_compile_and_fit_are_ks214() -> None:
    text = spec() + "data:\n  dataset: {choice: [mnist, fashion_mnist]}\n"
    text = text.replace("input_shape: [28, 28, 1]", "input_shape: {choice: [[28, 28, 1], [28, 28]]}")
    text = text.replace("  - type: MaxPooling2D", "  - type: {choice: [MaxPooling2D, AveragePooling2D]}")
    found = check_text(text)
    assert keys(found) == [
        ("KS214", "/data/dataset", 20, 12),
        ("KS214", "/input_shape", 1, 14),
        ("KS214", "/layers/1/type", 7, 11),
    ]


def test_a_spec_with_spaces_is_refused_where_one_model_is_needed() -> None:
    doc = load_text(spec(kernel="{choice: [3, 5]}"), fmt="yaml")
    result = api.run(doc)
    assert [d.code for d in result.diagnostics] == ["KS214"] and result.spec is None
    assert "kerasspec tune" in (result.diagnostics[0].hint or "")
    with pytest.raises(SpecError, match="KS214"):
        kerasspec.load_spec(doc)
    assert kerasspec.check(doc) == []  # checked as a space instead: every combination is valid


def test_holds_spaces_finds_nothing_in_plain_specs() -> None:
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        assert not SP.holds_spaces(load_text(path.read_bytes(), fmt="yaml").data), path.name
    assert SP.holds_spaces({"layers": [{"type": "Dense", "units": {"choice": [1, 2]}}]})
    assert not SP.holds_spaces({"layers": [{"type": "Dense", "units": 3, "choice": 3}]})  # a layer has `type`


# --------------------------------------------------------------------------- values and counts


@pytest.mark.parametrize(
    ("node", "values"),
    [
        ({"int": [16, 64], "step": 16}, [16, 32, 48, 64]),
        ({"int": [16, 70], "step": 16}, [16, 32, 48, 64]),
        ({"int": [1, 4]}, [1, 2, 3, 4]),
        ({"int": [2, 32], "step": 2, "sampling": "log"}, [2, 4, 8, 16, 32]),
        ({"int": [3, 5], "sampling": "log"}, [3, 4, 5]),
        ({"float": [0.2, 0.5], "step": 0.15}, [0.2, 0.35, 0.5]),
        ({"float": [0.001, 0.1], "step": 10, "sampling": "log"}, [0.001, 0.01, 0.1]),
        ({"float": [0.0001, 0.01], "sampling": "log"}, [0.0001, 0.01]),  # continuous: its two ends
        ({"boolean": True}, [False, True]),
        ({"choice": [3, [5, 5], "x"]}, [3, [5, 5], "x"]),
    ],
)
def test_space_values(node: dict[str, Any], values: list[Any]) -> None:
    doc = from_object({"layers": [{"type": "Dense", "units": node}]})
    spaces, problems = SP.find_spaces(doc)
    assert not problems
    (space,) = spaces
    got = [space.value(i) for i in range(space.points)]
    assert got == pytest.approx(values) if all(isinstance(v, float) for v in values) else got == values
    assert space.continuous == ("float" in node and "step" not in node)


def test_counts_and_headline() -> None:
    analysis = api.run(VALID, api.Options(spaces=True)).space
    assert analysis.combinations is None  # a continuous learning rate: infinitely many
    assert analysis.analysed == analysis.population == 4 * 2 * 2 * 3 * 2 * 2
    assert analysis.valid == analysis.analysed and not analysis.sampled
    assert "1 continuous range checked at both ends" in analysis.headline()


# --------------------------------------------------------------------------- the analysis


def test_value_no_combination_can_use_is_an_error_at_the_value() -> None:
    found = check_text(spec().replace("units: 10", "units: {choice: [10, 0]}").replace(
        "activation: relu", "activation: {choice: [relu, tanhh]}"))
    assert keys(found) == [
        ("KS205", "/layers/3/units/choice/1", 11, 26),
        ("KS207", "/layers/0/activation/choice/1", 6, 33),
    ]
    assert all(d.severity is Severity.ERROR for d in found)
    by_code = {d.code: d for d in found}
    assert "value 0 of the search space at /layers/3/units: no combination can use it" in by_code["KS205"].message
    assert "did you mean 'tanh'" in (by_code["KS207"].hint or "")


def test_invalid_region_is_a_warning_naming_exactly_the_values() -> None:
    found = check_text(spec(kernel="{choice: [3, 25, 27]}", pool="{choice: [2, 4]}"))
    assert [(d.code, d.path, d.severity) for d in found] == [("KS303", "/layers/1/pool_size", Severity.WARNING)]
    message = found[0].message
    # 25 leaves 4x4, which a 4x4 pooling takes; 27 leaves 2x2, which it does not.
    assert "[in 1 of 6 combinations (17%): exactly those with /layers/0/kernel_size = 27 and /layers/1/pool_size = 4" in message
    assert "`kerasspec tune` never builds them" in message


def test_an_error_only_when_no_combination_is_valid() -> None:
    found = check_text(spec(kernel="{choice: [27, 28]}", pool="{choice: [4, 8]}"))
    assert found and all(d.severity is Severity.ERROR for d in found)
    assert all("no combination is valid" in d.message or "[in all 4 combinations]" in d.message for d in found)


def test_budget_findings_come_from_the_options() -> None:
    text = spec(kernel="3").replace("filters: 4", "filters: {choice: [4, 64]}")
    assert check_text(text) == []
    found = kerasspec.check(load_text(text, fmt="yaml"), api.Options(budget=kerasspec.semantics.Budget(max_params=20_000)))
    assert [(d.code, d.severity) for d in found] == [("KS501", Severity.WARNING)]
    assert "exactly those with /layers/0/filters = 64" in found[0].message


def test_objective_must_be_logged() -> None:
    found = check_text(spec(kernel="{choice: [3, 5]}").replace("fit:\n  validation_split: 0.1\n", ""))
    assert [(d.code, d.path, d.severity) for d in found] == [("KS412", "", Severity.ERROR)]
    assert "validation_split" in (found[0].hint or "")
    custom = spec(kernel="{choice: [3, 5]}") + "tune:\n  objective: val_foo\n"
    assert [d.code for d in check_text(custom)] == ["KS412"]


def test_a_vector_objective_is_an_error_of_check() -> None:
    # F1Score with average null logs one score per class: KerasTuner cannot rank trials by it.
    text = spec(kernel="{choice: [3, 5]}").replace(
        "metrics: [accuracy]", "metrics: [accuracy, {type: F1Score, average: null}]"
    ) + "tune:\n  objective: val_f1_score\n  direction: max\n"
    found = check_text(text)
    assert [(d.code, d.path, d.severity) for d in found] == [("KS412", "/tune/objective", Severity.ERROR)]
    assert "compile.metrics[1], F1Score with `average: null` (Keras's default) is one score per class" in found[0].message
    assert check_text(text.replace("average: null", "average: macro")) == []


def _plain_keys(doc: Any, engine: Any, combo: tuple[int, ...]) -> list[tuple[str, str, str]]:
    values = {s.pointer: s.value(i) for s, i in zip(engine.spaces, combo, strict=True)}
    data = SP.plain(doc.data, engine.spaces, values)
    out = []
    for d in kerasspec.check(from_object(data)):
        path = engine.file_path(SP._parse(d.path, data), combo)
        out.append((d.code, SP.pointer(path), d.severity.value))
    return sorted(out)


DIFFERENTIAL = [
    spec(kernel="{choice: [3, 25, 27, 28]}", pool="{choice: [2, 4]}"),
    spec(kernel="{int: [1, 9], step: 4}").replace("units: 10", "units: {choice: [10, 5]}")
    .replace("optimizer: adam", "optimizer: {choice: [adam, {type: SGD, momentum: 0.9, clipnorm: 1.0}, {type: SGD, clipvalue: 1.0, clipnorm: 1.0}]}"),
    spec().replace("activation: softmax", "activation: {choice: [softmax, relu, null]}")
    .replace("loss: sparse_categorical_crossentropy", "loss: {choice: [sparse_categorical_crossentropy, categorical_crossentropy, {type: SparseCategoricalCrossentropy, from_logits: true}]}"),
    spec().replace("  validation_split: 0.1\n", "  validation_split: {choice: [0.1, 0.0]}\n  batch_size: {choice: [32, 64]}\n"
                   "  callbacks: [{type: EarlyStopping, monitor: val_loss}]\n"),
    spec().replace("filters: 4", "filters: {int: [4, 12], step: 4}").replace("units: 10", "units: {choice: [10, 0]}"),
]


@pytest.mark.parametrize("text", DIFFERENTIAL, ids=range(len(DIFFERENTIAL)))
def test_every_combination_gets_what_check_says_of_it_written_out(text: str) -> None:
    """The shared, memoized analysis of each combination equals `check` of its plain spec."""
    doc = load_text(text, fmt="yaml")
    spaces, problems = SP.find_spaces(doc)
    assert not problems
    engine = SP._Engine(doc, spaces, api.Options(spaces=True))
    analysis = engine.run()
    value_level = {(d.code, d.path) for d in analysis.diagnostics if "no combination can use it" in d.message}
    valid = 0
    for combo in itertools.product(*(range(s.points) for s in spaces)):
        expected = _plain_keys(doc, engine, combo)
        got, _shapes, bad = engine.combination(combo, engine.base, engine.data)
        # The tune objective's rule is the space's own (tune's), not check's of one spec.
        got_keys = sorted((d.code, d.path, d.severity.value) for d in got if not d.message.startswith("the tune objective"))
        if bad:  # a part fails to validate: what check says at the value, or the part's own finding
            assert expected and all(k[2] == "error" for k in expected if k[0].startswith("KS2"))
            rest = [k for k in expected if k[0].startswith("KS2")]
            reported = got_keys + [(c, p, "error") for c, p in value_level]
            assert all(any(k[0] == r[0] and (k[1] == r[1] or k[1].startswith(r[1] + "/") or r[1].startswith(k[1] + "/")) for r in reported) for k in rest), (combo, expected, got_keys)
            continue
        assert got_keys == expected, combo
        valid += not any(d.severity is Severity.ERROR for d in got)
    assert valid == analysis.valid


def test_params_range_is_the_min_and_max_over_valid_combinations() -> None:
    doc = kerasspec.api.read(REGION)
    result = api.run(doc, api.Options(spaces=True))
    spaces = result.space.spaces
    params = []
    for combo in itertools.product(*(range(s.points) for s in spaces)):
        values = {s.pointer: s.value(i) for s, i in zip(spaces, combo, strict=True)}
        try:
            params.append(kerasspec.summarize(SP.plain(doc.data, spaces, values)).total_params)
        except SpecError:
            continue
    assert len(params) == result.space.valid == 64
    assert result.space.params == (min(params), max(params))
    summary = kerasspec.summarize(REGION)
    assert isinstance(summary, SP.SpaceSummary) and summary.total_params == min(params)
    assert summary.to_dict()["space"]["params"] == {"min": min(params), "max": max(params)}


def test_beyond_the_limit_combinations_are_sampled_and_said_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SP, "EXHAUSTIVE_LIMIT", 3)
    text = spec(kernel="{choice: [3, 25, 27, 28]}", pool="{choice: [2, 4]}")
    first, second = check_text(text), check_text(text)
    assert first == second  # the sample is seeded
    analysis = api.run(load_text(text, fmt="yaml"), api.Options(spaces=True)).space
    assert analysis.sampled and analysis.analysed == 3 and analysis.population == 8
    assert "3 sampled" in analysis.headline()
    assert all("sampled combinations" in d.message for d in first if "[in " in d.message)


def test_ten_thousand_combinations_are_analysed_exhaustively() -> None:
    text = spec(kernel="{int: [1, 10]}", pool="{choice: [2, 3]}").replace("filters: 4", "filters: {int: [1, 10]}")
    text = text.replace("units: 10\n    activation: softmax", "units: 10\n    activation: softmax\n    use_bias: {boolean: true}")
    text = text.replace("optimizer: adam", "optimizer: {choice: [adam, rmsprop, sgd, adamw, nadam]}")
    text = text.replace("  validation_split: 0.1\n", "  validation_split: 0.1\n  batch_size: {choice: [16, 32, 64, 128, 256]}\n")
    result = api.run(load_text(text, fmt="yaml"), api.Options(spaces=True))
    assert result.space.analysed == result.space.combinations == 10 * 10 * 2 * 2 * 5 * 5 and not result.space.sampled
    assert result.space.valid == result.space.analysed  # a 28x28 input fits every kernel up to 10


# --------------------------------------------------------------------------- CLI and the lint path


def test_cli_check_and_summary_of_a_space(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", "--color", "never", str(REGION)]) == 0
    out = capsys.readouterr().out
    assert out.count("KS303 [warning]") == 2 and "exactly those with /layers/0/kernel_size = 11" in out
    assert cli.main(["check", "--strict", str(REGION)]) == 1
    capsys.readouterr()
    assert cli.main(["summary", str(REGION)]) == 0
    out = capsys.readouterr().out
    assert "Search space: 64 of 72 analysed combinations are valid" in out and "Total params" in out
    assert cli.main(["summary", "--format", "json", str(VALID)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["space"]["valid"] == 192 and data["total_params"] == data["space"]["params"]["min"]


def test_build_and_train_refuse_a_space(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cli.main(["build", str(VALID), "-o", str(tmp_path / "m.keras")]) == 1
    assert "KS214" in capsys.readouterr().err


def test_lint_path_on_a_space_imports_no_tensorflow_nor_keras_tuner(tmp_path: Path) -> None:
    for name in ("tensorflow", "keras", "keras_tuner", "jax", "torch"):
        pkg = tmp_path / "poison" / name
        pkg.mkdir(parents=True)
        (pkg / "__init__.py").write_text(f"raise ImportError('the lint path imported {name}')\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path / "poison"), str(ROOT)]))
    for args in (["check", str(REGION)], ["summary", str(VALID)], ["check", str(ROOT / "examples" / "invalid" / "KS214_search_space_in_data.yaml")]):
        proc = subprocess.run([sys.executable, "-m", "kerasspec", *args], cwd=ROOT, env=env, capture_output=True, text=True)
        assert proc.returncode in (0, 1) and "the lint path imported" not in proc.stderr, (args, proc.stderr)


# --------------------------------------------------------------------------- the JSON Schema


SPACE_NODES: list[Any] = [
    {"choice": [1, 2]}, {"choice": []}, {"choice": [1, 1]}, {"choice": 3},
    {"int": [1, 4]}, {"int": [1, 4], "step": 2, "sampling": "log"}, {"int": [1]}, {"int": [1, 2.5]},
    {"int": [1, 4], "stepp": 1}, {"int": [1, 4], "sampling": "logg"}, {"int": [1, 4], "step": 0},
    {"float": [0.1, 0.5]}, {"float": [0.1, 0.5], "step": 0.1}, {"float": ["a", 1]}, {"float": [0.1, 0.5], "step": -1},
    {"boolean": True}, {"boolean": False}, {"boolean": True, "choice": [1]},
]  # fmt: skip


@pytest.mark.parametrize("node", SPACE_NODES, ids=lambda n: json.dumps(n))
def test_schema_space_agrees_with_the_space_checks_on_structure(node: Any) -> None:
    # The schema states the structure (types, lengths, keys, enums); order of the ends and
    # the log-scale rules (low > 0, step > 1) are beyond it, as ranges are for layers.
    validator = jsonschema.Draft202012Validator({"$defs": {"Space": SP.SPACE_SCHEMA}, "$ref": "#/$defs/Space"})
    _, problems = SP.find_spaces(from_object({"layers": [{"type": "Dense", "units": node}]}))
    assert validator.is_valid(node) == (not problems), problems


def test_schema_lets_every_layer_compile_and_fit_field_be_a_space() -> None:
    from kerasspec.schema import json_schema

    schema = json_schema()
    assert schema["$defs"]["Space"] == SP.SPACE_SCHEMA
    units = schema["$defs"]["Dense"]["properties"]["units"]
    assert {"$ref": "#/$defs/Space"} in units["anyOf"] and units["description"]
    assert schema["$defs"]["Dense"]["properties"]["type"].get("anyOf") is None  # `type` picks the class
    assert {"$ref": "#/$defs/Space"} in schema["$defs"]["Fit"]["properties"]["batch_size"]["anyOf"]
    assert "anyOf" not in schema["$defs"]["Data"]["properties"]["dataset"] or {"$ref": "#/$defs/Space"} not in schema["$defs"]["Data"]["properties"]["dataset"]["anyOf"]
    assert schema["properties"]["tune"]
    # A wrapped field keeps no constraint beside the alternatives: it would forbid the space.
    for name, definition in schema["$defs"].items():
        for key, prop in definition.get("properties", {}).items():
            if {"$ref": "#/$defs/Space"} in prop.get("anyOf", []):
                assert set(prop) <= {"anyOf", "title", "description", "default"}, (name, key)


@pytest.mark.slow
def test_benchmark_script_runs_its_check_part() -> None:
    """benchmarks/bench_space.py still runs (a tiny version; no assertion on speed)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_space
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    res = bench_space.bench_check(reps=1, naive_sample=5)
    assert res["combinations"] == 10_000 and res["valid"] == 8_000
    assert res["fresh_process"]["wall_s"]["space"]["n"] == 1 and res["speedup_vs_naive_cpu"] > 1
    assert "KS303 /layers/2/kernel_size" in res["findings"]


def test_a_tune_section_is_checked_on_a_spec_without_spaces() -> None:
    text = spec() + "tune:\n  objective: val_acc\n"
    found = check_text(text)
    assert [(d.code, d.path, d.severity) for d in found] == [("KS412", "/tune/objective", Severity.ERROR)]
    assert found[0].hint == "did you mean 'val_accuracy'?"
    assert check_text(spec() + "tune:\n  objective: val_accuracy\n") == []
