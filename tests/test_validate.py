"""Validation: strict types, unknown names with did-you-mean, every problem in one pass, positions."""

from __future__ import annotations

import textwrap

import pytest

import kerasspec
from kerasspec import SpecError, check, load_spec
from kerasspec.diagnostics import Severity


def errors(text_or_dict: object) -> list[kerasspec.Diagnostic]:
    return [d for d in check(text_or_dict) if d.severity is Severity.ERROR]  # type: ignore[arg-type]


def one(text_or_dict: object, code: str) -> kerasspec.Diagnostic:
    found = [d for d in errors(text_or_dict) if d.code == code]
    assert found, f"no {code} in {errors(text_or_dict)}"
    return found[0]


def spec(*layers: dict, **top: object) -> dict:
    return {"input_shape": [28, 28, 1], "layers": list(layers), **top}


CONV = {"type": "Conv2D", "filters": 8, "kernel_size": 3}


@pytest.mark.parametrize(
    ("field", "value"),
    [("filters", 32.5), ("filters", "32"), ("filters", True), ("kernel_size", "3"), ("use_bias", "yes"), ("use_bias", 1)],
)
def test_strict_types_are_not_coerced(field: str, value: object) -> None:
    d = one(spec({**CONV, field: value}), "KS203")
    assert d.path == f"/layers/0/{field}"


def test_string_number_gets_a_hint() -> None:
    d = one(spec({**CONV, "filters": "32"}), "KS203")
    assert "without quotes" in (d.hint or "")


@pytest.mark.parametrize(
    ("where", "value", "path", "written"),
    [
        ("top", "(28, 28, 1)", "/input_shape", "[28, 28, 1]"),
        ("top", "28, 28, 1", "/input_shape", "[28, 28, 1]"),
        ("top", "(None, 28)", "/input_shape", "[null, 28]"),
        ("top", "(784,)", "/input_shape", "[784]"),
        ("layer", "(3, 3)", "/layers/0/kernel_size", "[3, 3]"),
    ],
)
def test_a_python_tuple_written_as_a_string_gets_the_list(where: str, value: str, path: str, written: str) -> None:
    # Users coming from Python write `input_shape: (28, 28, 1)`: YAML reads a string.
    doc = spec(CONV, input_shape=value) if where == "top" else spec({**CONV, "kernel_size": value})
    d = one(doc, "KS203")
    assert (d.path, d.hint) == (path, f"write a YAML list, not a string: `{written}`")


def test_a_quoted_number_is_not_read_as_a_list() -> None:
    d = one(spec({**CONV, "kernel_size": "3"}), "KS203")
    assert "list" not in (d.hint or "") and "without quotes" in (d.hint or "")


def test_unknown_field_did_you_mean() -> None:
    layer = {"type": "Conv2D", "filters": 8, "kernal_size": 3}
    d = one(spec(layer), "KS201")
    assert d.path == "/layers/0/kernal_size"
    assert "kernel_size" in (d.hint or "")
    assert "Conv2D" in d.message


@pytest.mark.parametrize(
    ("doc", "code", "path", "suggestion"),
    [
        (spec({"type": "Conv2d", "filters": 8, "kernel_size": 3}), "KS202", "/layers/0/type", "Conv2D"),
        (spec({**CONV, "activation": "softmx"}), "KS207", "/layers/0/activation", "softmax"),
        (spec(CONV, compile={"optimizer": "adm", "loss": "mse"}), "KS208", "/compile/optimizer", "adam"),
        (spec(CONV, compile={"loss": "categorical_crossentropie"}), "KS209", "/compile/loss", "categorical_crossentropy"),
        (spec(CONV, compile={"loss": "mse", "metrics": ["acuracy"]}), "KS210", "/compile/metrics/0", "accuracy"),
        (spec({**CONV, "padding": "sme"}), "KS206", "/layers/0/padding", "same"),
        (spec(CONV, compile={"loss": {"type": "BinaryCrossentropie"}}), "KS209", "/compile/loss/type", "BinaryCrossentropy"),
    ],
)
def test_unknown_names(doc: dict, code: str, path: str, suggestion: str) -> None:
    d = one(doc, code)
    assert d.path == path
    assert suggestion in (d.hint or ""), d


def test_keras_case_rules() -> None:
    # Keras lower-cases padding, data_format and optimizer names, but not activations or losses.
    assert not errors(spec({**CONV, "padding": "SAME", "data_format": "Channels_Last"}, compile={"optimizer": "Adam", "loss": "mse"}))
    assert errors(spec({**CONV, "activation": "ReLU"}))


def test_missing_fields_and_types() -> None:
    assert one(spec({"type": "Dense"}), "KS204").path == "/layers/0/units"
    assert one(spec({"filters": 3}), "KS204").path == "/layers/0"
    assert one({"input_shape": [4]}, "KS204").path == "/layers"
    d = one(spec("Flatten"), "KS203")
    assert "{type: Flatten}" in (d.hint or "")


def test_ranges() -> None:
    assert one(spec({"type": "Dense", "units": 0}), "KS205").path == "/layers/0/units"
    assert one(spec({"type": "Dropout", "rate": 1.5}), "KS205").path == "/layers/0/rate"
    assert one(spec({**CONV, "kernel_size": [3, 3, 3]}), "KS205").path == "/layers/0/kernel_size"
    assert one({"input_shape": [4], "layers": []}, "KS205").path == "/layers"


def test_every_problem_in_one_pass() -> None:
    doc = spec(
        {"type": "Conv2D", "filters": "8", "kernal_size": 3, "activation": "rleu"},
        {"type": "Dense", "units": -1},
        {"type": "Flaten"},
        compile={"optimizer": "adamm", "loss": "mse", "metrics": ["acc", "f00"]},
        fit={"epochs": 0},
    )
    codes = sorted(d.code for d in errors(doc))
    # the missing kernel_size is the misspelt kernal_size: reported once, as KS201
    assert codes == ["KS201", "KS202", "KS203", "KS205", "KS205", "KS207", "KS208", "KS210"]


def test_positions_point_at_the_field_as_written() -> None:
    text = textwrap.dedent(
        """\
        input_shape: [28, 28, 1]
        layers:
          - type: Conv2D
            filters: 32
            kernal_size: 3
          - type: Dense
            units: "10"
        """
    )
    by_code = {d.code: d for d in check(text)}
    assert (by_code["KS201"].line, by_code["KS201"].column) == (5, 5)
    assert (by_code["KS203"].line, by_code["KS203"].column) == (7, 12)


def test_json_positions() -> None:
    text = '{\n  "input_shape": [4],\n  "layers": [\n    {"type": "Dense", "units": true}\n  ]\n}\n'
    d = one(text, "KS203")
    assert (d.line, d.column) == (4, 32)
    assert d.path == "/layers/0/units"


def test_dict_source_has_paths_but_no_positions() -> None:
    d = one(spec({"type": "Dense", "units": "3"}), "KS203")
    assert d.line is None and d.column is None and d.path == "/layers/0/units"


def test_load_spec_raises_with_every_diagnostic() -> None:
    with pytest.raises(SpecError) as info:
        load_spec(spec({"type": "Dense", "units": "3"}, {"type": "Nope"}))
    assert {d.code for d in info.value.diagnostics} >= {"KS203", "KS202"}


def test_valid_spec_normalises_like_keras() -> None:
    s = load_spec(spec({**CONV, "padding": "SAME", "strides": 2}, {"type": "MaxPool2D"}, {"type": "Flatten"}, {"type": "Dense", "units": 3}))
    conv = s.layers[0]
    assert conv.kernel_size == (3, 3) and conv.strides == (2, 2) and conv.padding == "same"  # type: ignore[union-attr]
    assert s.layers[1].kind == "MaxPooling2D"


def test_yaml_12_scalars_reach_validation() -> None:
    # `no` is a string in YAML 1.2, so it is a wrong type for a boolean, not False.
    text = "input_shape: [4]\nlayers:\n  - type: Dense\n    units: 2\n    use_bias: no\n"
    d = one(text, "KS203")
    assert d.path == "/layers/0/use_bias"


def test_misspelt_required_field_is_reported_once() -> None:
    found = errors(spec({"type": "Dense", "unitz": 10}))
    assert [(d.code, d.path) for d in found] == [("KS201", "/layers/0/unitz")]


def test_empty_file_is_located(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing yet\n")
    (d,) = check(path)
    assert (d.code, d.line, d.column) == ("KS204", 1, 1) and "empty" in d.message


def test_unknown_dataset() -> None:
    d = one(spec({"type": "Flatten"}, data={"dataset": "mnsit"}), "KS206")
    assert d.path == "/data/dataset" and "mnist" in (d.hint or "")
    assert not errors(spec({"type": "Flatten"}, {"type": "Dense", "units": 10, "activation": "softmax"}, data={"dataset": "my_digits.npz"}))


def test_list_items_and_fraction_hints() -> None:
    d = one(spec(CONV, compile={"loss": "mse", "metrics": ["acuracy"]}), "KS210")
    assert "metrics[0]" in d.message
    d = one(spec({"type": "Dropout", "rate": 50.0}), "KS205")
    assert "fraction" in (d.hint or "")
    d = one(spec(CONV, compile={"loss": "mse", "metrics": "accuracy"}), "KS203")
    assert d.hint == "write a list: [accuracy]"


def test_channels_first_on_channels_last_data_gets_a_layout_hint() -> None:
    doc = spec({"type": "Conv2D", "filters": 4, "kernel_size": 3, "data_format": "channels_first"})
    d = one(doc, "KS303")
    assert "[1, 28, 28]" in (d.hint or "")


def test_user_name_colliding_with_an_auto_name_is_explained() -> None:
    d = one({"input_shape": [4], "layers": [{"type": "Dense", "units": 2}, {"type": "Dense", "units": 2, "name": "dense"}]}, "KS212")
    assert "unnamed Dense at layers[0] 'dense'" in d.message and d.path == "/layers/1/name"


# --------------------------------------------------------------------------- compile/fit arguments Keras takes
# (helper 25) Each accepted value is one Keras 3.15 takes; each refused one is a wrong type, or a
# value Keras fails on (steps_per_execution 0: "range() arg 3 must not be zero"; 2.5: "'float'
# object cannot be interpreted as an integer") or takes silently as something else
# (jit_compile "x", verbose 3, LSTM implementation 3 run as 2).

DENSE = {"type": "Dense", "units": 10, "activation": "softmax"}
FLAT = {"type": "Flatten"}


def _with(section: str, field: str, value: object) -> dict:
    if section == "compile":
        return spec(FLAT, DENSE, compile={"loss": "sparse_categorical_crossentropy", field: value})
    if section == "fit":
        return spec(FLAT, DENSE, compile={"loss": "sparse_categorical_crossentropy"}, fit={field: value})
    if section == "optimizer":
        opt = {"type": "SGD", "learning_rate": 0.01, field: value}
        return spec(FLAT, DENSE, compile={"loss": "sparse_categorical_crossentropy", "optimizer": opt})
    layer = {"type": section, "units": 4, field: value}
    return {"input_shape": [5, 3], "layers": [layer]}


@pytest.mark.parametrize(
    ("section", "field", "value", "code"),
    [
        ("compile", "run_eagerly", False, None),
        ("compile", "run_eagerly", True, None),
        ("compile", "run_eagerly", "yes", "KS203"),
        ("compile", "run_eagerly", None, "KS203"),
        ("compile", "jit_compile", False, None),
        ("compile", "jit_compile", True, None),
        ("compile", "jit_compile", "auto", None),
        ("compile", "jit_compile", "x", "KS206"),
        ("compile", "jit_compile", 1, "KS206"),
        ("compile", "steps_per_execution", 10, None),
        ("compile", "steps_per_execution", 1, None),
        ("compile", "steps_per_execution", 0, "KS205"),
        ("compile", "steps_per_execution", 2.5, "KS203"),
        ("compile", "steps_per_execution", "auto", "KS203"),
        ("compile", "steps_per_execution", True, "KS203"),
        ("fit", "verbose", 0, None),
        ("fit", "verbose", 1, None),
        ("fit", "verbose", 2, None),
        ("fit", "verbose", "auto", None),
        ("fit", "verbose", 3, "KS206"),
        ("fit", "verbose", True, "KS206"),
        ("fit", "verbose", "2", "KS206"),
        ("fit", "initial_epoch", 0, None),
        ("fit", "initial_epoch", 3, None),
        ("fit", "initial_epoch", -1, "KS205"),
        ("fit", "initial_epoch", 1.5, "KS203"),
        ("fit", "validation_freq", 2, None),
        ("fit", "validation_freq", [1, 3], None),
        ("fit", "validation_freq", 0, "KS205"),
        ("fit", "validation_freq", -1, "KS205"),
        ("fit", "validation_freq", 1.0, "KS205"),
        ("fit", "validation_freq", [], "KS205"),
        ("fit", "validation_freq", [0, 2], "KS205"),
        ("optimizer", "decay", 1e-6, None),
        ("optimizer", "decay", 0.0, None),
        ("optimizer", "decay", None, None),
        ("optimizer", "decay", "x", "KS203"),
        ("LSTM", "implementation", 1, None),
        ("LSTM", "implementation", 2, None),
        ("GRU", "implementation", 2, None),
        ("LSTM", "implementation", 3, "KS206"),
        ("GRU", "implementation", True, "KS206"),
        ("LSTM", "implementation", 2.0, "KS206"),
        ("SimpleRNN", "implementation", 2, "KS201"),  # Keras: "Unrecognized keyword arguments passed to SimpleRNN"
    ],
)
def test_compile_and_fit_arguments_keras_takes(section: str, field: str, value: object, code: str | None) -> None:
    found = [d for d in errors(_with(section, field, value)) if d.code.startswith("KS2")]
    if code is None:
        assert found == []
    else:
        assert [d.code for d in found] == [code], found
        assert found[0].path.endswith(f"/{field}"), found[0].path


def test_keras2_lr_is_refused_with_learning_rate_as_the_hint() -> None:
    d = one(_with("optimizer", "lr", 0.01), "KS201")  # Keras 3: "Argument(s) not recognized: {'lr': 0.01}"
    assert d.hint == "did you mean 'learning_rate'? (Keras 3 renamed `lr`)"


def test_the_new_arguments_reach_keras() -> None:
    from kerasspec.layers import LSTM
    from kerasspec.objects import OPTIMIZERS

    compiled = kerasspec.spec.Compile.model_validate({"loss": "mse", "run_eagerly": True, "steps_per_execution": 4})
    assert (compiled.run_eagerly, compiled.steps_per_execution, compiled.jit_compile) == (True, 4, "auto")
    sgd = OPTIMIZERS.parse_object({"type": "SGD", "decay": 1e-6})
    assert "decay" not in sgd.keras_kwargs()  # Keras 3 drops it with a warning
    lstm = LSTM.model_validate({"type": "LSTM", "units": 4, "implementation": 1})
    assert lstm.keras_kwargs()["implementation"] == 1


# ---- red-team habits (Keras 2 and Python spellings): one finding each, saying what to write.
# Keras 3.15 refuses each as written: input_shape=784 "Cannot convert '784' to a shape",
# batch_input_shape and lr "Unrecognized keyword arguments" / "Argument(s) not recognized",
# activation="None" "Could not interpret activation function identifier", scale="1./255" a string cast.


def test_flow_style_tuples_give_one_finding_each() -> None:
    text = "input_shape: [28, 28, 1]\nlayers:\n  - {type: Conv2D, filters: 8, kernel_size: (3, 3), strides: (2, 2)}\n  - {type: Flatten}\n"
    found = [(d.code, d.path, d.line, d.column, d.hint) for d in check(text) if d.severity == "error"]
    assert found == [
        ("KS203", "/layers/0/kernel_size", 3, 45, "YAML split `(3, 3)` at its commas, which end an entry in `{...}`: write `kernel_size: [3, 3]`"),
        ("KS203", "/layers/0/strides", 3, 62, "YAML split `(2, 2)` at its commas, which end an entry in `{...}`: write `strides: [2, 2]`"),
    ]
    # A value with a finding of another kind (a name cannot be a list) keeps its hint and its keys.
    named = "{name: (3, 3), input_shape: [8], layers: [{type: Dense, units: 2}]}\n"
    assert sorted(d.code for d in check(named) if d.severity == "error") == ["KS201", "KS206"]


def test_keras2_habits_get_what_to_write() -> None:
    hints = {
        "input_shape: 784\nlayers:\n  - {type: Dense, units: 10}\n": "write a list: [784]",
        "input_shape: [4]\nlayers:\n  - {type: Dense, units: 3, activation: None}\n": "write null (or leave `activation` out): YAML reads None as the string 'None'",
        "input_shape: [2]\nlayers:\n  - {type: Rescaling, scale: 1./255}\n": "kerasspec does not evaluate expressions: write 0.00392156862745098",
        "input_shape: [2]\nlayers:\n  - {type: Rescaling, scale: [1/2, 1]}\n": None,  # in a list: the list's own finding
        "input_shape: [4]\nlayers:\n  - {type: Dense, units: 1}\ncompile: {optimizer: {type: SGD, lr: 0.01}, loss: mse}\n": "did you mean 'learning_rate'? (Keras 3 renamed `lr`)",
    }
    for text, hint in hints.items():
        (d,) = [d for d in check(text) if d.severity == "error" and d.code.startswith("KS2")]
        assert d.hint == hint, (text, d.hint)


@pytest.mark.parametrize(
    ("first", "finding"),
    [
        ({"type": "Dense", "units": 2, "input_shape": 784}, ("KS203", "/layers/0/input_shape")),
        ({"type": "LSTM", "units": 2, "batch_input_shape": [32, 10, 1]}, ("KS201", "/layers/0/batch_input_shape")),
    ],
)
def test_a_refused_input_shape_is_not_also_called_missing(first: dict, finding: tuple[str, str]) -> None:
    # The finding at the written shape says what to write; KS301 (no input shape) would only
    # repeat it, with a shape for another model.
    doc = {"layers": [first, {"type": "Dense", "units": 1}]}
    assert [(d.code, d.path) for d in check(doc) if d.code in ("KS201", "KS203", "KS301")] == [finding]
