"""The training rules see through activation, dropout and noise layers at the model's output.

A ``{type: Softmax}`` layer after the last Dense makes a softmax output (no KS403
with a loss that expects probabilities, KS404 over one unit); a LeakyReLU, ReLU,
ELU or PReLU there outputs values that are not probabilities (KS403); dropout,
noise and ActivityRegularization pass their input on, so the rules look at the
layer before them.
"""

from __future__ import annotations

from typing import Any

import pytest

import kerasspec
from kerasspec.diagnostics import Severity


def spec(*tail: dict[str, Any], units: int = 10, loss: Any = "sparse_categorical_crossentropy") -> dict[str, Any]:
    return {
        "input_shape": [28, 28],
        "layers": [{"type": "Flatten"}, {"type": "Dense", "units": units}, *tail],
        "compile": {"optimizer": "adam", "loss": loss, "metrics": ["accuracy"]},
        "data": {"dataset": "mnist", "labels": "sparse"},
    }


def codes(doc: dict[str, Any]) -> list[str]:
    return [d.code for d in kerasspec.check(doc)]


LOGITS = {"type": "SparseCategoricalCrossentropy", "from_logits": True}


def test_a_softmax_layer_at_the_end_is_a_softmax_output() -> None:
    assert "KS403" not in codes(spec({"type": "Softmax"}))
    assert "KS403" not in codes(spec({"type": "Softmax", "axis": 1}))


def test_a_softmax_layer_with_from_logits_is_a_double_softmax() -> None:
    found = [d for d in kerasspec.check(spec({"type": "Softmax"}, loss=LOGITS)) if d.code == "KS403"]
    assert found and found[0].severity is Severity.ERROR
    assert found[0].path == "/layers/2"  # the Softmax layer, which has no `activation` field


@pytest.mark.parametrize("kind", ["LeakyReLU", "ReLU", "ELU", "PReLU"])
def test_a_rectifier_at_the_end_is_not_a_probability(kind: str) -> None:
    found = [d for d in kerasspec.check(spec({"type": kind})) if d.code == "KS403"]
    assert len(found) == 1
    assert found[0].path == "/layers/2"
    assert "not probabilities" in found[0].message
    # ... and it is fine as logits.
    assert "KS403" not in codes(spec({"type": kind}, loss=LOGITS))


def test_leaky_relu_is_named_in_the_message() -> None:
    (found,) = [d for d in kerasspec.check(spec({"type": "LeakyReLU", "negative_slope": 0.2})) if d.code == "KS403"]
    assert "leaky_relu" in found.message


@pytest.mark.parametrize(
    "layer",
    [
        {"type": "Dropout", "rate": 0.5},
        {"type": "GaussianNoise", "stddev": 0.1},
        {"type": "GaussianDropout", "rate": 0.1},
        {"type": "AlphaDropout", "rate": 0.1},
        {"type": "ActivityRegularization", "l2": 0.01},
    ],
    ids=lambda d: d["type"],
)
def test_dropout_and_noise_are_looked_through(layer: dict[str, Any]) -> None:
    assert "KS403" not in codes(spec({"type": "Softmax"}, layer))
    assert "KS403" in codes(spec({"type": "LeakyReLU"}, layer))


def test_softmax_over_the_batch_axis_is_not_a_probability_per_sample() -> None:
    found = [d for d in kerasspec.check(spec({"type": "Softmax", "axis": 0})) if d.code == "KS403"]
    assert len(found) == 1 and "axis 0" in found[0].message


def test_a_softmax_layer_over_one_unit_is_constant() -> None:
    assert "KS404" in codes(spec({"type": "Softmax"}, units=1, loss="binary_crossentropy"))
    # Over the batch axis it is not constant: the rule stays silent.
    assert "KS404" not in codes(spec({"type": "Softmax", "axis": 0}, units=1, loss="binary_crossentropy"))


def test_a_softmax_layer_then_dense_is_not_the_output_activation() -> None:
    doc = spec({"type": "Softmax"}, {"type": "Dense", "units": 10})
    assert "KS403" in codes(doc)  # the last Dense has no activation: logits


# --------------------------------------------------------------------------- argument checks vs Keras

@pytest.fixture(scope="module")
def real_keras() -> Any:
    return pytest.importorskip("keras")


#: Constructor arguments Keras refuses (False) or takes (True), and kerasspec must agree.
ARGUMENTS: list[tuple[dict[str, Any], bool]] = [
    ({"type": "ReLU", "max_value": -1}, False),
    ({"type": "ReLU", "negative_slope": -0.5}, False),
    ({"type": "ReLU", "threshold": None}, False),
    ({"type": "ReLU", "max_value": 0}, True),
    ({"type": "LeakyReLU", "negative_slope": -0.1}, False),
    ({"type": "LeakyReLU", "alpha": 0.2}, True),
    ({"type": "Dropout", "rate": 1.5}, False),
    ({"type": "Dropout", "rate": 1}, True),
    ({"type": "Dropout", "rate": 0.5, "noise_shape": [0, 4]}, False),
    ({"type": "Dropout", "rate": 0.5, "noise_shape": 4}, False),
    ({"type": "Dropout", "rate": 0.5, "seed": 1.5}, False),
    ({"type": "GaussianNoise", "stddev": 1.5}, False),
    ({"type": "GaussianNoise", "stddev": 1}, True),
    ({"type": "GaussianDropout", "rate": -0.1}, False),
    ({"type": "ActivityRegularization", "l1": -0.1}, False),
    ({"type": "ActivityRegularization", "l1": None, "l2": 1}, True),
    ({"type": "GroupNormalization", "groups": 0}, False),
    ({"type": "GroupNormalization", "groups": 2, "axis": [1]}, False),
    ({"type": "BatchNormalization", "axis": [1]}, False),
    ({"type": "LayerNormalization", "axis": 1.0}, False),
    ({"type": "UnitNormalization", "axis": None}, False),
    ({"type": "BatchNormalization", "renorm": True, "renorm_clipping": {"rmax": 1, "rmin": 2}}, False),
]


@pytest.mark.keras
@pytest.mark.parametrize(("layer", "accepted"), ARGUMENTS, ids=lambda v: v["type"] if isinstance(v, dict) else str(v))
def test_argument_checks_are_keras_own(real_keras: Any, layer: dict[str, Any], accepted: bool) -> None:
    doc = {"input_shape": [4, 4], "layers": [layer]}
    errors = [d for d in kerasspec.check(doc) if d.severity is Severity.ERROR]
    assert (not errors) == accepted, errors
    args = {k: v for k, v in layer.items() if k != "type"}
    try:
        real_keras.Sequential([real_keras.Input((4, 4)), getattr(real_keras.layers, layer["type"])(**args)])
    except Exception:
        keras_accepts = False
    else:
        keras_accepts = True
    assert keras_accepts == accepted
