"""Fuzz tests of the lint path: loading, ``kerasspec.check`` and the ``check`` command.

Inputs: random bytes, random text, random YAML/JSON documents, random spec-shaped
documents, and the example specs under structural and textual mutations.

Properties:

* no exception escapes ``kerasspec.check`` (text, bytes or dict);
* every diagnostic is well formed: a known code, a severity, a JSON Pointer path,
  a 1-based position or none, and a line inside the text it came from;
* a spec that ``check`` accepts without errors loads and summarises;
* ``kerasspec check FILE`` exits 1 when there are errors, 0 when there are none,
  and never with a traceback, even on hostile files.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kerasspec
from kerasspec import RULES, Severity, api
from kerasspec import cli as ks_cli
from kerasspec import layers as KL
from kerasspec.diagnostics import Diagnostic, has_errors

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_FILES = sorted(
    p for pattern in ("*.yaml", "*.json", "invalid/*.yaml", "invalid/*.json")
    for p in ROOT.joinpath("examples").glob(pattern)
)  # fmt: skip


def _load_example(path: Path) -> tuple[str, str, Any] | None:
    """(name, text, data): data is None where PyYAML cannot read the example as a mapping."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):  # the KS110 examples
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    return path.name, text, data if isinstance(data, dict) else None


EXAMPLES: list[tuple[str, str, Any]] = [e for e in map(_load_example, EXAMPLE_FILES) if e]

FUZZ = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ---- the properties ------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # what YAML and the JSON reader count
_POINTER = re.compile(r"(/([^~/]|~[01])*)*")


def _line_count(text: str) -> int:
    return len(_LINE_BREAK.findall(text)) + 1


def _as_text(source: str | bytes) -> str:
    return source.decode("utf-8", "replace") if isinstance(source, bytes) else source


def assert_well_formed(diags: list[Diagnostic], source: Any) -> None:
    assert isinstance(diags, list)
    lines = _line_count(_as_text(source)) if isinstance(source, str | bytes) else None
    for d in diags:
        assert isinstance(d, Diagnostic), d
        assert d.code in RULES, d
        assert d.severity in (Severity.ERROR, Severity.WARNING), d
        assert d.severity.value in ("error", "warning"), d
        assert isinstance(d.message, str) and d.message, d
        assert d.hint is None or isinstance(d.hint, str), d
        assert isinstance(d.path, str), d
        assert d.path == "" or d.path.startswith("/"), d
        assert _POINTER.fullmatch(d.path), d
        assert (d.line is None) == (d.column is None), d
        if d.line is not None:
            assert type(d.line) is int and type(d.column) is int, d
            assert d.line >= 1 and d.column >= 1, d
            if lines is not None:
                assert d.line <= lines + 1, (d, lines)
        if lines is None and source is not None:  # a dict has no positions
            assert d.line is None, d
        json.dumps(d.to_dict())  # every reporter can serialise it


def _text_source(text: str) -> str:
    """`text` as check() will read it as text, never as a file name.

    A one-line string that ends in ``.yaml``/``.json`` is a path by design.
    """
    if "\n" not in text and text.endswith((".yaml", ".yml", ".json")):
        return text + "\n"
    return text


def _pointer_parts(ptr: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in ptr.split("/")[1:]]


def _resolves(data: Any, parts: list[str]) -> bool:
    node = data
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


def assert_paths_point_into(diags: list[Diagnostic], source: Any) -> None:
    """When the loader read everything, a path names a field of the spec or one missing from it."""
    if any(d.code.startswith("KS1") for d in diags):
        return  # values were dropped or replaced: the data no longer shows every path
    data = api.read(source).data
    for d in diags:
        assert _resolves(data, _pointer_parts(d.path)[:-1]), d


def check_source(source: Any) -> list[Diagnostic]:
    """check() must not raise; its diagnostics must be well formed; a clean spec must load."""
    if isinstance(source, str):
        source = _text_source(source)
    diags = kerasspec.check(source)
    assert_well_formed(diags, source)
    assert_paths_point_into(diags, source)
    if not has_errors(diags):
        spec = kerasspec.load_spec(source)
        assert isinstance(spec, kerasspec.Spec)
        summary = kerasspec.summarize(source)
        json.dumps(summary.to_dict())
    return diags


# ---- random documents -------------------------------------------------------------------

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.integers()
    | st.sampled_from([2**63, -(2**63) - 1, 10**30, 10**400])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
_JSONISH = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)

_LAYER_FIELDS = sorted(
    {f.alias or name for cls in KL.all_classes() for name, f in cls.model_fields.items()} - {"type"}
)
_TOP_KEYS = ["name", "input_shape", "layers", "compile", "fit", "data", "$schema"]
_WORDS = [
    "relu", "softmax", "sigmoid", "linear", "same", "SAME", "valid", "causal", "channels_first",
    "channels_last", "mnist", "fashion_mnist", "sparse", "one_hot", "adam", "sgd", "SGD",
    "sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy", "mse",
    "accuracy", "he_normal", "l2", "x/y", "", "None", "null",
]  # fmt: skip
_SPEC_SCALARS = (
    st.integers(-3, 40)
    | st.sampled_from([0, 1, 2, 3, 28, 784, 10**12, 2**63 - 1])
    | st.floats(-2, 2)
    | st.sampled_from([math.nan, math.inf, 0.0, 0.5, 1e-3])
    | st.sampled_from(_WORDS)
    | st.booleans()
    | st.none()
)
_SPEC_VALUES = (
    _SPEC_SCALARS
    | st.lists(st.integers(-2, 30) | st.none(), max_size=4)
    | st.lists(st.lists(st.integers(-1, 4), min_size=2, max_size=2), min_size=1, max_size=3)
    | st.fixed_dictionaries({"type": st.sampled_from(["SGD", "Adam", "L2", "CategoricalCrossentropy", "BinaryAccuracy", "Nope"])}, optional={"learning_rate": _SPEC_SCALARS, "from_logits": st.booleans(), "l2": _SPEC_SCALARS, "threshold": _SPEC_SCALARS})
)
_LAYER_TYPE_NAMES = [*KL.type_map(), "Dense2D", "LSTM", "", "dense"]


def _random_layer() -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda t, fields: {"type": t, **fields},
        st.sampled_from(_LAYER_TYPE_NAMES),
        st.dictionaries(st.sampled_from(_LAYER_FIELDS), _SPEC_VALUES, max_size=4),
    )


_SPECISH = st.fixed_dictionaries(
    {"layers": st.lists(_random_layer(), max_size=7)},
    optional={
        "input_shape": st.lists(st.integers(-1, 40) | st.none(), max_size=4) | _SPEC_SCALARS,
        "name": _SPEC_SCALARS,
        "compile": st.dictionaries(
            st.sampled_from(["optimizer", "loss", "metrics", "optimiser"]),
            _SPEC_VALUES | st.lists(_SPEC_VALUES, max_size=3),
            max_size=3,
        ),
        "fit": st.dictionaries(st.sampled_from(["epochs", "batch_size", "validation_split", "shuffle"]), _SPEC_SCALARS, max_size=3),
        "data": st.dictionaries(st.sampled_from(["dataset", "labels", "classes"]), _SPEC_SCALARS, max_size=2),
    },
)


# Near-valid specs: each layer takes only its own fields, with plausible values, so that
# most cases get through validation into shape analysis and the training-semantics rules.
_POS = st.sampled_from([1, 2, 2, 3, 3, 4, 5])
_ANY_INT = st.sampled_from([0, -1, 1, 2, 3, 7, 28, 100])
_SHAPE = st.sampled_from(
    [[28, 28, 1], [784], [28, 28], [32, 32, 3], [10, 10, 2], [28, 28, 1], [2**31, 2**31, 3]]
) | st.lists(
    st.integers(1, 40) | st.sampled_from([None, 0, 784]), min_size=1, max_size=4
)


def _ints(rank: int) -> st.SearchStrategy[Any]:
    """An int or a list, as Keras takes `kernel_size`, `strides`...; mostly of the right length."""
    return (
        _POS
        | st.lists(_POS, min_size=rank, max_size=rank)
        | st.lists(_POS, min_size=rank, max_size=rank)
        | st.lists(_ANY_INT, min_size=1, max_size=3)
    )


def _pairs() -> st.SearchStrategy[Any]:
    small = st.sampled_from([0, 1, 2, 3, 5, 20])
    return (
        small
        | st.lists(small, min_size=2, max_size=2)
        | st.lists(st.lists(small, min_size=2, max_size=2), min_size=2, max_size=2)
    )


def _field_values(key: str, kind: str) -> st.SearchStrategy[Any] | None:
    rank = 1 if kind.endswith("1D") else 2
    values: dict[str, st.SearchStrategy[Any]] = {
        "units": st.integers(1, 20) | st.sampled_from([1, 10, 10, 10**9]),
        "filters": st.integers(1, 20) | st.sampled_from([8, 16, 10**7]),
        "kernel_size": _ints(rank), "strides": _ints(rank) | st.none(), "pool_size": _ints(rank),
        "dilation_rate": _ints(rank), "size": _ints(rank), "output_padding": _ints(rank) | st.none(),
        "padding": _pairs() if kind == "ZeroPadding2D" else st.sampled_from(["same", "valid", "causal", "SAME"]),
        "cropping": _pairs(), "target_shape": _SHAPE | st.lists(st.integers(-1, 30), max_size=4),
        "axis": st.integers(-5, 5) | st.lists(st.integers(-5, 5), max_size=3),
        "activation": st.sampled_from(["relu", "softmax", "sigmoid", "linear", "tanh"])
        | (st.none() if kind != "Activation" else st.just("relu")),
        "data_format": st.sampled_from(["channels_last", "channels_last", "channels_first", None]),
        "rate": st.sampled_from([0.0, 0.5, 1.0]), "groups": st.sampled_from([1, 1, 1, 2, 3]),
        "depth_multiplier": st.integers(1, 3), "shape": _SHAPE, "input_shape": _SHAPE,
        "input_dim": st.integers(1, 800), "keepdims": st.booleans(), "trainable": st.booleans(),
        "use_bias": st.booleans(), "center": st.booleans(),
        "scale": st.booleans() if "Normalization" in kind else st.floats(-2, 2),
        "interpolation": st.sampled_from(["nearest", "bilinear"]),
    }  # fmt: skip
    return values.get(key)


@st.composite
def _near_valid_layer(draw: Any) -> dict[str, Any]:
    kind = draw(st.sampled_from(sorted(KL.type_map())))
    cls = KL.type_map()[kind]
    layer: dict[str, Any] = {"type": kind}
    for name, f in cls.model_fields.items():
        key = f.alias or name
        strategy = _field_values(key, kind)
        if key == "type" or strategy is None:
            continue
        rare = key in ("input_shape", "input_dim", "trainable")
        if f.is_required() or draw(st.integers(0, 12 if rare else 3)) == 2:
            layer[key] = draw(strategy)
    return layer


@st.composite
def _near_valid_layers(draw: Any) -> list[dict[str, Any]]:
    layers = draw(st.lists(_near_valid_layer(), min_size=1, max_size=8))
    if draw(st.integers(0, 4)) != 2 and layers[0].get("type") not in ("Input", "InputLayer"):
        layers.insert(0, {"type": "Input", "shape": draw(_SHAPE)})
    return layers


_NEAR_VALID = st.fixed_dictionaries(
    {"layers": _near_valid_layers()},
    optional={
        "input_shape": _SHAPE,
        "compile": st.fixed_dictionaries(
            {"loss": st.sampled_from(["sparse_categorical_crossentropy", "categorical_crossentropy",
                                      "binary_crossentropy", "mse", "hinge", "kld"])
             | st.fixed_dictionaries({"type": st.sampled_from(["BinaryCrossentropy", "CategoricalCrossentropy",
                                                              "SparseCategoricalCrossentropy"])},
                                     optional={"from_logits": st.booleans()})},
            optional={
                "optimizer": st.sampled_from(["adam", "sgd", "RMSprop"]),
                "metrics": st.lists(st.sampled_from(["accuracy", "mae", "auc", "binary_accuracy",
                                                     "sparse_categorical_accuracy", "AUC"]), max_size=3),
            },
        ),
        "data": st.fixed_dictionaries(
            {},
            optional={"dataset": st.sampled_from(["mnist", "fashion_mnist", "x.npz"]),
                      "labels": st.sampled_from(["sparse", "one_hot"]),
                      "num_classes": st.integers(2, 12)},
        ),
    },
)  # fmt: skip


def dump(data: Any, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, indent=2)
    if fmt == "json1":  # one line, as a program would write it
        return json.dumps(data)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


# ---- mutations --------------------------------------------------------------------------


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        node = node[p]
    return node


def _typo(word: str, draw: Any) -> str:
    if not word:
        return "x"
    i = draw(st.integers(0, len(word) - 1))
    kind = draw(st.sampled_from(["drop", "double", "swap", "case", "replace"]))
    if kind == "drop":
        return word[:i] + word[i + 1 :] or "x"
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap" and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "case":
        return word[:i] + word[i].swapcase() + word[i + 1 :]
    return word[:i] + draw(st.sampled_from("aeiouxz_")) + word[i + 1 :]


MUTATIONS = [
    "delete", "replace", "rename", "layer_type", "insert_layer", "swap_layers",
    "huge_int", "non_finite", "deep", "drop_layers",
]  # fmt: skip


def _mutate_data(data: Any, draw: Any) -> Any:
    kind = draw(st.sampled_from(MUTATIONS))
    paths = _paths(data)
    path = draw(st.sampled_from(paths))
    layers = data.get("layers") if isinstance(data, dict) else None
    if kind == "delete" and path:
        parent = _get(data, path[:-1])
        del parent[path[-1]]
    elif kind == "replace":
        value = draw(_JSONISH | _SPEC_VALUES)
        if not path:
            return value
        _get(data, path[:-1])[path[-1]] = value
    elif kind == "rename" and path and isinstance(path[-1], str):
        parent = _get(data, path[:-1])
        new = _typo(path[-1], draw)
        value = parent.pop(path[-1])
        parent.setdefault(new, value)
    elif kind == "layer_type" and isinstance(layers, list) and layers:
        i = draw(st.integers(0, len(layers) - 1))
        if isinstance(layers[i], dict):
            layers[i]["type"] = draw(st.sampled_from(_LAYER_TYPE_NAMES))
    elif kind == "insert_layer" and isinstance(layers, list):
        i = draw(st.integers(0, len(layers)))
        layers.insert(i, draw(_random_layer()))
    elif kind == "swap_layers" and isinstance(layers, list) and len(layers) >= 2:
        i = draw(st.integers(0, len(layers) - 1))
        j = draw(st.integers(0, len(layers) - 1))
        layers[i], layers[j] = layers[j], layers[i]
    elif kind == "drop_layers" and isinstance(layers, list) and layers:
        i = draw(st.integers(0, len(layers) - 1))
        del layers[i:]
    elif kind in ("huge_int", "non_finite", "deep") and path:
        if kind == "huge_int":
            value: Any = draw(st.sampled_from([2**63, -(2**64), 10**100, 10**4000]))
        elif kind == "non_finite":
            value = draw(st.sampled_from([math.nan, math.inf, -math.inf]))
        else:
            value = _get(data, path)
            for _ in range(draw(st.integers(60, 200))):
                value = [value] if draw(st.booleans()) else {"a": value}
        _get(data, path[:-1])[path[-1]] = value
    return data


TEXT_MUTATIONS = [
    "duplicate_line", "tag", "anchor_alias", "truncate", "insert_chars", "delete_chars",
    "indent", "deep_flow", "huge_literal", "nan_literal", "bom", "crlf", "second_doc",
]  # fmt: skip
_TAGS = [
    "!!python/object/apply:os.system ['echo hi']",
    "!!python/object:builtins.dict {}",
    "!!python/name:os.system",
    "!!binary aGk=",
    "!custom x",
    "!!str 3",
    "!!int 3",
    "!<tag:yaml.org,2002:float> 1.0",
]  # fmt: skip


def _value_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if re.search(r":\s+\S", line)]


def _mutate_text(text: str, draw: Any) -> str:
    kind = draw(st.sampled_from(TEXT_MUTATIONS))
    lines = text.split("\n")
    n = len(text)
    if kind == "duplicate_line" and lines:
        i = draw(st.integers(0, len(lines) - 1))
        lines.insert(i + 1, lines[i])
        return "\n".join(lines)
    if kind in ("tag", "anchor_alias", "nan_literal", "huge_literal") and _value_lines(lines):
        candidates = _value_lines(lines)
        i = draw(st.sampled_from(candidates))
        m = re.search(r":\s+", lines[i])
        assert m is not None
        head, tail = lines[i][: m.end()], lines[i][m.end() :]
        if kind == "tag":
            lines[i] = head + draw(st.sampled_from(_TAGS)) + ("" if tail.startswith(("[", "{")) else " " + tail)
        elif kind == "nan_literal":
            lines[i] = head + draw(st.sampled_from([".nan", ".inf", "-.Inf", "NaN", "Infinity", "-Infinity", "1e999"])) + (
                "," if tail.rstrip().endswith(",") else ""
            )
        elif kind == "huge_literal":
            lines[i] = head + draw(st.sampled_from(["9" * 30, "-" + "9" * 5000, "18446744073709551616"])) + (
                "," if tail.rstrip().endswith(",") else ""
            )
        else:
            lines[i] = head + "&a " + tail
            j = draw(st.sampled_from(candidates))
            m2 = re.search(r":\s+", lines[j])
            assert m2 is not None
            lines[j] = lines[j][: m2.end()] + "*a"
        return "\n".join(lines)
    if kind == "truncate":
        return text[: draw(st.integers(0, n))]
    if kind == "insert_chars":
        i = draw(st.integers(0, n))
        return text[:i] + draw(st.text(alphabet=":-[]{},#&*!|>'\"%@` \n\t\r\\x0", max_size=4)) + text[i:]
    if kind == "delete_chars" and n:
        i = draw(st.integers(0, n - 1))
        return text[:i] + text[i + draw(st.integers(1, 5)) :]
    if kind == "indent" and lines:
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = draw(st.sampled_from(["", " ", "  ", "\t"])) + lines[i]
        return "\n".join(lines)
    if kind == "deep_flow" and _value_lines(lines):
        i = draw(st.sampled_from(_value_lines(lines)))
        m = re.search(r":\s+", lines[i])
        assert m is not None
        depth = draw(st.integers(50, 3000))
        lines[i] = lines[i][: m.end()] + "[" * depth + "1" + "]" * depth
        return "\n".join(lines)
    if kind == "bom":
        return "\ufeff" + text
    if kind == "crlf":
        return text.replace("\n", "\r\n")
    if kind == "second_doc":
        return text + "\n---\n" + text
    return text


@st.composite
def mutated_examples(draw: Any) -> tuple[str, Any, str]:
    """(text, data or None, suffix): an example spec after random mutations."""
    name, original, parsed = draw(st.sampled_from(EXAMPLES))
    data: Any = copy.deepcopy(parsed)
    data_mutations = draw(st.integers(0, 4)) if parsed is not None else 0
    for _ in range(data_mutations):
        data = _mutate_data(data, draw)
    if parsed is None or (data_mutations == 0 and draw(st.booleans())):
        text, suffix = original, Path(name).suffix
    else:
        fmt = draw(st.sampled_from(["yaml", "json", "json1"]))
        text, suffix = dump(data, fmt), ".json" if fmt.startswith("json") else ".yaml"
    text_mutations = draw(st.integers(0 if data_mutations else 1, 3))
    for _ in range(text_mutations):
        text = _mutate_text(text, draw)
    return text, (data if text_mutations == 0 else None), suffix


# ---- the fuzz tests -------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(raw: bytes) -> None:
    check_source(raw)


_YAMLISH_ALPHABET = st.sampled_from(list(":-[]{},#&*!|>'\"%@`?~ \n\t\r\\.0123456789eE+abcnulltrue"))


@FUZZ
@given(st.text(max_size=300) | st.text(alphabet=_YAMLISH_ALPHABET, max_size=200))
def test_random_text(text: str) -> None:
    check_source(text)


@FUZZ
@given(_JSONISH, st.sampled_from(["yaml", "json", "json1"]))
def test_random_documents(data: Any, fmt: str) -> None:
    check_source(dump(data, fmt))
    if isinstance(data, dict):
        check_source(data)


@settings(FUZZ, max_examples=600)
@given(_SPECISH | _NEAR_VALID, st.sampled_from(["yaml", "json"]))
def test_random_spec_shaped_documents(data: dict[str, Any], fmt: str) -> None:
    check_source(dump(data, fmt))
    check_source(data)


@settings(FUZZ, max_examples=1200)
@given(mutated_examples())
def test_mutated_examples(case: tuple[str, Any, str]) -> None:
    text, data, _suffix = case
    check_source(text)
    check_source(text.encode("utf-8", "surrogatepass"))
    if isinstance(data, dict):
        check_source(data)


# ---- the command line -----------------------------------------------------------------------


def run_cli(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = ks_cli.main(["check", "--format", "json", str(path)])
    return code, out.getvalue(), err.getvalue()


@settings(FUZZ, max_examples=60)  # 1 in ~50 of the cases above
@given(mutated_examples())
def test_cli_exit_code_on_mutated_examples(case: tuple[str, Any, str]) -> None:
    text, _data, suffix = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"spec{suffix}"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        expected = kerasspec.check(path)
        assert_well_formed(expected, text)
        code, out, err = run_cli(path)
    assert code == (1 if has_errors(expected) else 0), (code, out, err)
    assert "Traceback" not in err
    reported = json.loads(out) if out.strip() else []
    assert isinstance(reported, list)
    assert {(d["code"], d["path"], d["line"]) for d in reported} == {
        (d.code, d.path, d.line) for d in expected
    }


def _billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("layers: *j")
    return "\n".join(lines) + "\n"


NASTY_FILES: dict[str, bytes] = {
    "random_bytes.yaml": bytes(range(256)) * 4 + os.urandom(64),
    "billion_laughs.yaml": _billion_laughs().encode(),
    "deep_10000.json": ("[" * 10_000 + "]" * 10_000).encode(),
    "deep_10000_object.json": ('{"a":' * 10_000 + "1" + "}" * 10_000).encode(),
    "deep_10000_flow.yaml": ("layers: " + "[" * 10_000 + "]" * 10_000 + "\n").encode(),
    "deep_block.yaml": "".join(" " * i + "a:\n" for i in range(0, 4000, 2)).encode(),
    "python_object.yaml": b"layers: !!python/object/apply:os.system ['echo pwned']\n",
    "huge_int.json": b'{"layers": [{"type": "Dense", "units": 1' + b"0" * 20_000 + b"}]}",
    "utf16.yaml": "layers: []\n".encode("utf-16"),
}


def test_cli_subprocess_on_nasty_files(tmp_path: Path) -> None:
    paths = []
    for name, content in NASTY_FILES.items():
        path = tmp_path / name
        path.write_bytes(content)
        paths.append(path)
    for path in paths:
        proc = subprocess.run(
            [sys.executable, "-m", "kerasspec", "check", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
        assert proc.returncode == 1, (path.name, proc.stdout[-2000:], proc.stderr[-2000:])
        assert "Traceback" not in proc.stderr, (path.name, proc.stderr[-2000:])
        assert proc.stdout.strip(), path.name


# ---- regressions found by the fuzzer --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # One-line text longer than a file name may be (ENAMETOOLONG from the "is it a path?" test).
        '{"layers": [{"type": "Dense", "units": 1}], "name": "' + "x" * 300 + '"}',
        "x" * 5000,
    ],
)
def test_regression_long_one_line_text_is_text(text: str) -> None:
    check_source(text)


@pytest.mark.parametrize(
    ("layer", "expected"),
    [
        # Undiscriminated unions: pydantic's branch tags ('RegularizerConfig', 'int',
        # 'list[int]', 'function-before[parse(), str]') leaked into paths and messages,
        # and every branch reported its own error.
        (
            {"type": "Dense", "units": 1, "kernel_regularizer": {"type": "Adam"}},
            [("KS206", "/layers/0/kernel_regularizer/type")],
        ),
        (
            {"type": "Dense", "units": 1, "kernel_regularizer": {"type": "L2", "l3": 1}},
            [("KS201", "/layers/0/kernel_regularizer/l3")],
        ),
        (
            {"type": "Dense", "units": 1, "kernel_regularizer": 5},
            [("KS203", "/layers/0/kernel_regularizer")],
        ),
        ({"type": "LayerNormalization", "axis": [[1]]}, [("KS203", "/layers/0/axis/0")]),
        ({"type": "LayerNormalization", "axis": "x"}, [("KS203", "/layers/0/axis")]),
    ],
)
def test_regression_union_errors_point_at_the_field(
    layer: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    spec = {"input_shape": [4], "layers": [layer]}
    for source in (spec, yaml.safe_dump(spec), json.dumps(spec, indent=1)):
        diags = check_source(source)
        assert [(d.code, d.path) for d in diags] == expected
        assert all("[" not in d.message and "RegularizerConfig" not in d.message for d in diags)
