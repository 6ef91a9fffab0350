"""The JSON Schema: committed copy current, and agreeing with pydantic on examples and generated documents."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kerasspec import layers as KL
from kerasspec.loader import from_object, load_path
from kerasspec.schema import json_schema, schema_text
from kerasspec.validate import validate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*") if p.suffix in (".yaml", ".yml", ".json"))
VALIDATOR = jsonschema.Draft202012Validator(json_schema())


def pydantic_accepts(data: Any) -> bool:
    return validate(from_object(data)).valid


def schema_accepts(data: Any) -> bool:
    return VALIDATOR.is_valid(data)


def test_committed_schema_is_current() -> None:
    committed = (ROOT / "spec_schema" / "kerasspec.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run `make schema` and commit spec_schema/kerasspec.schema.json"


def test_schema_is_a_valid_2020_12_schema_with_id_and_descriptions() -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith("kerasspec.schema.json")
    dense = schema["$defs"]["Dense"]
    assert dense["properties"]["units"]["description"]
    assert "relu" in json.dumps(dense["properties"]["activation"])


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_agree(path: Path) -> None:
    data = load_path(path).data
    assert pydantic_accepts(data) and schema_accepts(data)


def test_invalid_examples_agree_where_structural() -> None:
    # Structural mistakes (KS2xx) must be caught by both; shape and semantic rules are beyond a schema.
    for path in sorted((ROOT / "examples" / "invalid").glob("KS2*")):
        doc = load_path(path)
        if doc.data is None or doc.diagnostics:
            continue
        assert pydantic_accepts(doc.data) == schema_accepts(doc.data), path.name


BASE: dict[str, Any] = {
    "input_shape": [28, 28, 1],
    "layers": [
        {"type": "Conv2D", "filters": 8, "kernel_size": 3, "padding": "same"},
        {"type": "MaxPooling2D", "pool_size": 2},
        {"type": "Flatten"},
        {"type": "Dense", "units": 10, "activation": "softmax"},
    ],
    "compile": {"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
    "fit": {"epochs": 2, "batch_size": 32},
    "data": {"dataset": "mnist"},
}

# Values JSON Schema and pydantic both see the same way. (1.0 is an "integer" to JSON Schema
# but not to strict pydantic, so generated numbers avoid integral floats.)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=40),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-2, max_value=2).filter(lambda f: not f.is_integer()),
    st.sampled_from(["same", "SAME", "valid", "relu", "softmx", "adam", "Adam", "mse", "channels_first", "x", "", "-1"]),
    st.lists(st.integers(min_value=-1, max_value=5), max_size=4),
)
keys = st.sampled_from(
    ["filters", "kernel_size", "strides", "padding", "activation", "units", "rate", "pool_size", "use_bias",
     "data_format", "dilation_rate", "groups", "type", "name", "kernal_size", "optimizer", "loss", "metrics",
     "epochs", "batch_size", "validation_split", "dataset", "labels", "target_shape", "input_shape", "momentum"]
)


def _containers(data: Any) -> list[Any]:
    out = [data]
    if isinstance(data, dict):
        for v in data.values():
            out += _containers(v)
    elif isinstance(data, list):
        for v in data:
            out += _containers(v)
    return out


@st.composite
def mutated_specs(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        targets = [c for c in _containers(data) if isinstance(c, dict)]
        target = draw(st.sampled_from(targets))
        action = draw(st.sampled_from(["set", "set", "delete"]))
        key = draw(keys)
        if action == "delete" and target:
            target.pop(draw(st.sampled_from(sorted(target))), None)
        else:
            target[key] = draw(scalars)
    return data


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_specs())
def test_schema_and_pydantic_agree_on_generated_documents(data: Any) -> None:
    assert pydantic_accepts(data) == schema_accepts(data), json.dumps(data)


def test_layer_kinds_all_in_schema() -> None:
    schema_types = {t for c in KL.all_classes() for t in c.TYPES}
    text = json.dumps(json_schema())
    assert all(f'"{t}"' in text for t in schema_types)


def test_object_types_keras_deserializes_agree_with_check() -> None:
    # `{type: l2}`, `{type: max_norm}`, `{type: he_normal}`, `{type: adam}`: check accepts the
    # names Keras's deserializers read, so an editor using the schema must not flag them.
    from kerasspec.objects import ALL_FAMILIES

    dense = {"type": "Dense", "units": 2}
    docs = [
        {"input_shape": [4], "layers": [{**dense, "kernel_regularizer": {"type": "l2", "l2": 1e-4}}]},
        {"input_shape": [4], "layers": [{**dense, "kernel_constraint": {"type": "max_norm", "max_value": 3}}]},
        {"input_shape": [4], "layers": [{**dense, "kernel_initializer": {"type": "he_normal", "seed": 1}}]},
        {"input_shape": [4], "layers": [dense], "compile": {"optimizer": {"type": "adam", "learning_rate": 0.01}, "loss": "mse"}},
    ]
    for data in docs:
        assert pydantic_accepts(data) and schema_accepts(data), json.dumps(data)
    # And a name Keras refuses is refused by both (`l1_l2`: Keras's table has `l1l2`).
    bad = {"input_shape": [4], "layers": [{**dense, "kernel_regularizer": {"type": "l1_l2", "l1": 0.1}}]}
    assert not pydantic_accepts(bad) and not schema_accepts(bad)
    assert ALL_FAMILIES["regularizers"].object_types["l2"] == "L2"
