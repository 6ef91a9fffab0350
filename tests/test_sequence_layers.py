"""Sequence layers beyond one-layer tables: what a whole Sequential model does with them.

- ``return_state`` and ``merge_mode: null`` (a layer returning a list) are refused
  on the layer, wherever it is; Keras refuses the next layer, and builds a model of
  several outputs when it is the last one (the spec's one output cannot describe it);
- ``stateful`` needs an ``Input`` with a ``batch_size``, which the shapes carry and
  ``build`` passes to Keras;
- Keras 2's ``Embedding(input_length=...)`` is ignored by Keras 3: a KS213 warning;
- inner layers of wrappers take their auto-names first, as Keras names them;
- :func:`kerasspec.shapes.einsum_dense_shapes` against Keras's own parser.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest

import kerasspec
from kerasspec.diagnostics import Severity
from kerasspec.shapes import ShapeError, einsum_dense_shapes


def _errors(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return [(d.code, d.path) for d in kerasspec.check(doc) if d.severity is Severity.ERROR]


LSTM_STATE = {"type": "LSTM", "units": 4, "return_state": True}


@pytest.mark.parametrize("after", [[], [{"type": "Dense", "units": 2}]], ids=["last", "middle"])
def test_a_layer_returning_a_list_is_refused_on_itself(after: list[dict[str, Any]]) -> None:
    doc = {"input_shape": [5, 3], "layers": [LSTM_STATE, *after]}
    assert _errors(doc) == [("KS309", "/layers/0/return_state")]
    bi = {"type": "Bidirectional", "layer": {"type": "GRU", "units": 4}, "merge_mode": None}
    assert _errors({"input_shape": [5, 3], "layers": [bi, *after]}) == [("KS309", "/layers/0/merge_mode")]
    wrapped = {"type": "Bidirectional", "layer": LSTM_STATE}
    assert _errors({"input_shape": [5, 3], "layers": [wrapped, *after]}) == [("KS309", "/layers/0/layer/return_state")]


def test_stateful_needs_an_input_batch_size() -> None:
    layers: list[dict[str, Any]] = [{"type": "LSTM", "units": 4, "stateful": True, "return_sequences": True}, {"type": "Dense", "units": 1}]
    assert _errors({"input_shape": [5, 3], "layers": layers}) == [("KS309", "/layers/0/stateful")]
    doc = {"layers": [{"type": "Input", "shape": [5, 3], "batch_size": 8}, *layers]}
    assert _errors(doc) == []
    summary = kerasspec.summarize(doc)
    assert summary.input_shape == (8, 5, 3)
    assert [(i.name, i.output_shape, i.params) for i in summary.layers] == [("lstm", (8, 5, 4), 128), ("dense", (8, 5, 1), 5)]


def test_embedding_input_length_is_a_warning_and_a_hint() -> None:
    found = kerasspec.check({"layers": [{"type": "Embedding", "input_dim": 50, "output_dim": 8, "input_length": 10}]})
    by_code = {d.code: d for d in found}
    assert by_code["KS213"].severity is Severity.WARNING and by_code["KS213"].path == "/layers/0/input_length"
    assert by_code["KS301"].hint is not None and "input_shape: [10]" in by_code["KS301"].hint
    doc = {"input_shape": [10], "layers": [{"type": "Embedding", "input_dim": 50, "output_dim": 8, "input_length": 10}]}
    assert _errors(doc) == []
    # Embedding's `input_dim` is its vocabulary, never an input shape.
    assert kerasspec.summarize(doc).layers[0].output_shape == (None, 10, 8)


def test_wrapped_layers_are_validated_by_their_own_class() -> None:
    found = kerasspec.check({"input_shape": [5, 3], "layers": [{"type": "TimeDistributed", "layer": {"type": "Dense", "unit": 4}}]})
    assert ("KS201", "/layers/0/layer/unit") in {(d.code, d.path) for d in found}
    assert _errors({"input_shape": [5, 3], "layers": [{"type": "Bidirectional", "layer": {"type": "Dense", "units": 4}}]}) == [
        ("KS309", "/layers/0/layer/type")
    ]


@pytest.mark.parametrize(
    ("layers", "names"),
    [
        ([{"type": "TimeDistributed", "layer": {"type": "Dense", "units": 4}}, {"type": "Dense", "units": 2}], ["time_distributed", "dense_1"]),
        (
            [
                {"type": "Bidirectional", "layer": {"type": "LSTM", "units": 4, "return_sequences": True},
                 "backward_layer": {"type": "LSTM", "units": 4, "go_backwards": True, "return_sequences": True}},
                {"type": "LSTM", "units": 2},
            ],
            ["bidirectional", "lstm_2"],
        ),
        ([{"type": "SpectralNormalization", "layer": {"type": "Dense", "units": 4, "name": "inner"}}, {"type": "Dense", "units": 2}], ["spectral_normalization", "dense"]),
    ],
    ids=["time_distributed", "bidirectional_backward", "named_inner"],
)
def test_inner_layers_take_their_names_first(layers: list[dict[str, Any]], names: list[str]) -> None:
    doc = {"input_shape": [5, 3], "layers": layers}
    assert [i.name for i in kerasspec.summarize(doc).layers] == names


def test_built_wrappers_equal_the_summary() -> None:
    keras = pytest.importorskip("keras")
    doc = {
        "layers": [
            {"type": "Input", "shape": [6, 4], "batch_size": 2},
            {"type": "Bidirectional", "layer": {"type": "GRU", "units": 3, "return_sequences": True, "stateful": True}},
            {"type": "TimeDistributed", "layer": {"type": "Dense", "units": 2}},
            {"type": "LSTM", "units": 2},
        ]
    }
    keras.backend.clear_session()
    model = kerasspec.build_model(doc)
    summary = kerasspec.summarize(doc)
    built = [(layer.name, tuple(layer.output.shape), layer.count_params()) for layer in model.layers]
    assert built == [(i.name, i.output_shape, i.params) for i in summary.layers]
    assert tuple(model.input_shape) == (2, 6, 4)


# --------------------------------------------------------------------------- EinsumDense's parser


def test_einsum_shapes_of_each_form() -> None:
    assert einsum_dense_shapes("ab,bc->ac", "c", (None, 5), 4) == ((5, 4), (4,), (None, 4))
    assert einsum_dense_shapes("abc,cd->abd", None, (None, 7, 3), (None, 4)) == ((3, 4), None, (None, None, 4))
    # `...` on the left: the elided axes come out reversed, as Keras's insert(1, ...) does.
    assert einsum_dense_shapes("...d,de->...e", "e", (None, 2, 3, 4), 5) == ((4, 5), (5,), (None, 3, 2, 5))
    # `...` on the right: one bias size of 1 per elided axis.
    assert einsum_dense_shapes("ab...,bc->ac...", "c", (None, 2, 3, 4), (5,)) == ((2, 5), (5, 1, 1), (None, 5, 3, 4))
    for equation, bias, shape, out, field in [
        ("ab->b", None, (None, 5), 4, "equation"),
        ("abc,cd->abd", None, (None, 5, 3), (6, 4), "output_shape"),
        ("abc,cd->abd", None, (None, 5, 3), 5, "output_shape"),
        ("ab,bc->ac", "", (None, 5), 4, "bias_axes"),
        ("ab,bc->ac", "z", (None, 5), 4, "bias_axes"),
        ("aab,bc->ac", None, (None, 5), 4, "equation"),
    ]:
        with pytest.raises(ShapeError) as info:
            einsum_dense_shapes(equation, bias, shape, out)
        assert (info.value.code, info.value.field) == ("KS309", field), equation


def _keras_parse(equation: str, bias: str | None, shape: tuple[Any, ...], out: Any) -> Any:
    from keras.src.layers.core.einsum_dense import _analyze_einsum_string

    try:
        kernel, bias_shape, output, _, _ = _analyze_einsum_string(equation, bias, shape, out)
    except (ValueError, IndexError):
        return "error"
    return (tuple(kernel), None if bias_shape is None else tuple(bias_shape), tuple(output))


def _ours(equation: str, bias: str | None, shape: tuple[Any, ...], out: Any) -> Any:
    try:
        return tuple(einsum_dense_shapes(equation, bias, shape, out))
    except ShapeError:
        return "error"


def test_einsum_shapes_equal_keras_parser() -> None:
    pytest.importorskip("keras")
    equations = [
        "ab,bc->ac", "abc,cd->abd", "abc,cde->abde", "abc,bcd->ad", "abc,cd->ad", "ab,cb->ac",
        "...b,bc->...c", "...bc,cd->...bd", "...ab,bc->...ac", "ab...,bc->ac...", "abc...,cd->abd...",
        "ab,bc->acd", "ab,bcd->ac", "aab,bc->ac", "ab,bc->ac junk", "ab->ac", "AB,BC->AC", "ab,bc->ca",
    ]  # fmt: skip
    shapes = [(None, 5), (None, 5, 3), (None, 2, 3, 4), (None, None, 3), (4, 5, 6)]
    outputs: list[Any] = [4, (4,), (5, 4), (None, 4), (3, 2, 4), (5, 3, 4)]
    biases = [None, "c", "d", "bd", "", "z", "ac"]
    compared = 0
    for equation, shape, out, bias in itertools.product(equations, shapes, outputs, biases):
        # The layer hands Keras's parser `(n,)` for an int, a tuple for a list.
        keras_out = (out,) if isinstance(out, int) else tuple(out)
        assert _ours(equation, bias, shape, out) == _keras_parse(equation, bias, shape, keras_out), (equation, bias, shape, out)
        compared += 1
    assert compared == math.prod(map(len, (equations, shapes, outputs, biases)))
