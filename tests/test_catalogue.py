"""The layer catalogue against Keras itself.

- **Registry**: every class ``keras.layers`` exports is either a layer definition of
  ``kerasspec.layers`` or listed in :data:`EXCLUDED` with the reason; every
  spelling a definition answers to is the same Keras class. When Keras adds a
  layer, this test says so.
- **Arguments and defaults**: every argument of the Keras constructor is a field
  of the definition (or listed in its ``UNSUPPORTED_ARGS`` with the reason), every
  field is an argument Keras takes, and required arguments and default values are
  Keras's own (read with ``inspect.signature``; the default is parsed by the
  spec field, so ``2`` and ``(2,)`` compare equal only where the field reads them so).
- **Tables** (``tests/cases/<family>.py``): every rule row is computed by the
  definition and, when accepted, built in Keras to the same output shape and
  parameter counts; every row Keras refuses, the definition refuses too.
- **Coverage**: every definition has a build case and a rule row.
"""

from __future__ import annotations

import importlib
import inspect
import math
from typing import Any

import pytest

keras = pytest.importorskip("keras")

import cases  # noqa: E402

from kerasspec.analysis import infer  # noqa: E402
from kerasspec.layers import FAMILIES, all_classes, family_of, index_source, layer_class, parts  # noqa: E402
from kerasspec.layers.core import Input  # noqa: E402
from kerasspec.shapes import ShapeError  # noqa: E402

pytestmark = [pytest.mark.keras]

#: Classes of ``keras.layers`` that are not layer kinds of the spec language, and why.
EXCLUDED: dict[str, str] = {
    # Not layers a model lists.
    "Layer": "the abstract base class of all layers",
    "InputSpec": "not a layer: the input constraints a layer declares",
    "Wrapper": "the abstract base of Bidirectional and TimeDistributed",
    "RNN": "takes a cell object (Python code); SimpleRNN, LSTM and GRU are the RNN layers",
    # Several inputs: a Sequential model passes one tensor from layer to layer.
    "Add": "merge layer: takes a list of tensors",
    "Subtract": "merge layer: takes a list of tensors",
    "Multiply": "merge layer: takes a list of tensors",
    "Average": "merge layer: takes a list of tensors",
    "Maximum": "merge layer: takes a list of tensors",
    "Minimum": "merge layer: takes a list of tensors",
    "Concatenate": "merge layer: takes a list of tensors",
    "Dot": "merge layer: takes a list of tensors",
    "Attention": "takes [query, value(, key)] tensors",
    "AdditiveAttention": "takes [query, value(, key)] tensors",
    "MultiHeadAttention": "takes query, value and key tensors",
    "GroupQueryAttention": "takes query, value and key tensors",
    # RNN cells are the step functions inside an RNN layer, not layers of a model.
    "SimpleRNNCell": "an RNN cell: used inside an RNN layer, not as a layer",
    "LSTMCell": "an RNN cell: used inside an RNN layer, not as a layer",
    "GRUCell": "an RNN cell: used inside an RNN layer, not as a layer",
    "StackedRNNCells": "a list of RNN cells, used inside an RNN layer",
    # Layers that run the user's Python code or a saved program: never from a spec.
    "Lambda": "runs a Python function: a spec never carries code",
    "TFSMLayer": "loads and runs a TensorFlow SavedModel: code from a file",
    "JaxLayer": "wraps a JAX function: Python code",
    "FlaxLayer": "wraps a Flax module: Python code",
    "TorchModuleWrapper": "wraps a PyTorch module: Python code",
    # Preprocessing layers that do not fit a Sequential model of numeric tensors.
    "HashedCrossing": "crosses a list/tuple of 2 tensors (its call refuses one tensor)",
    "StringLookup": "reads string tensors; kerasspec's data sources feed numbers only",
    "TextVectorization": "reads string tensors; kerasspec's data sources feed numbers only",
    "CutMix": "mixes labels with the images (a dict of images and labels); in a model the labels never reach "
    "the layer, so it would train on mixed images with unmixed labels",
    "MixUp": "mixes labels with the images (a dict of images and labels); in a model the labels never reach "
    "the layer, so it would train on mixed images with unmixed labels",
    "MaxNumBoundingBoxes": "pads or trims bounding boxes (a dict input); on an image tensor it is the identity",
    "Equalization": "Keras 3.15 cannot build a model with it: its compute_output_spec returns the input "
    "tensor itself, and the model refuses the cycle ('is part of a cycle')",
}


def keras_layer_names() -> list[str]:
    out = []
    for name in dir(keras.layers):
        obj = getattr(keras.layers, name)
        if isinstance(obj, type) and (issubclass(obj, keras.layers.Layer) or name == "InputSpec"):
            out.append(name)
    return sorted(out)


def keras_class(cls: type[Any]) -> type[Any]:
    name = cls.KERAS_CLASS or cls.TYPES[0]
    # A nested block is a keras.Sequential model used as a layer.
    return keras.Sequential if name == "Sequential" else getattr(keras.layers, name)


# --------------------------------------------------------------------------- registry


def test_every_keras_layer_is_supported_or_excluded_with_a_reason() -> None:
    supported = {t for cls in all_classes() for t in cls.TYPES}
    missing = [n for n in keras_layer_names() if n not in supported and n not in EXCLUDED]
    assert not missing, f"Keras layers neither supported nor excluded: {missing}"
    assert not supported & set(EXCLUDED), "a class is both supported and excluded"
    stale = sorted(set(EXCLUDED) - set(keras_layer_names()))
    assert not stale, f"excluded classes Keras no longer has: {stale}"


@pytest.mark.parametrize("cls", [c for c in all_classes() if not c.SPEC_CONSTRUCT], ids=lambda c: c.__name__)
def test_every_spelling_is_the_same_keras_class(cls: type[Any]) -> None:
    target = keras_class(cls)
    for spelling in cls.TYPES:
        if (cls is Input and spelling == "Input") or spelling == "Sequential":
            continue  # keras.Input is the function that makes an InputLayer; Sequential is keras's
        assert getattr(keras.layers, spelling) is target, spelling


def test_index_is_current() -> None:
    from pathlib import Path

    committed = (Path(__file__).parent.parent / "kerasspec" / "layers" / "_index.py").read_text()
    assert committed == index_source(), "run `make schema` to regenerate kerasspec/layers/_index.py"


def test_families_are_the_package_layout() -> None:
    for cls in all_classes():
        family = family_of(cls)
        assert family in FAMILIES
        # A family is one module, or a package of modules (its PARTS): each kind is in one of them.
        assert cls.__module__.removeprefix("kerasspec.layers.") in parts(family)
        assert layer_class(cls.TYPES[0]) is cls
    # A family package's parts are exactly its modules: none left out of the catalogue.
    import pkgutil

    import kerasspec.layers as package

    for info in pkgutil.iter_modules(package.__path__):
        if info.ispkg:
            sub = importlib.import_module(f"kerasspec.layers.{info.name}")
            assert info.name in FAMILIES
            assert sorted(f"{info.name}.{m.name}" for m in pkgutil.iter_modules(sub.__path__)) == sorted(parts(info.name))


# --------------------------------------------------------------------------- arguments


#: Arguments every layer takes through ``**kwargs`` (Keras's base ``Layer``). ``build`` passes
#: ``input_shape``/``input_dim`` to ``keras.Input`` and sets ``trainable`` on the built layer,
#: so they work even for the few layers whose constructor takes no ``**kwargs``.
BASE_KWARGS = {"name", "trainable", "input_shape", "input_dim", "dtype"}


def _required_fields(cls: type[Any]) -> dict[str, Any]:
    case = _all_build_cases().get(cls.__name__)
    assert case is not None, f"{cls.__name__} needs a BUILD_CASES entry in tests/cases/"
    return dict(case[0])


def _all_build_cases() -> dict[str, tuple[dict[str, Any], tuple[Any, ...]]]:
    import test_build

    out = {cls.__name__: case for cls, case in test_build.LAYER_CASES.items()}
    out.update(cases.build_cases())
    return out


def _jsonish(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_jsonish(v) for v in value]
    return value


@pytest.mark.parametrize(
    "cls", [c for c in all_classes() if c is not Input and not c.SPEC_CONSTRUCT], ids=lambda c: c.__name__
)
def test_arguments_and_defaults_are_keras_own(cls: type[Any]) -> None:
    params = {
        n: p
        for n, p in inspect.signature(keras_class(cls).__init__).parameters.items()
        if n != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    }
    takes_kwargs = any(
        p.kind is p.VAR_KEYWORD for p in inspect.signature(keras_class(cls).__init__).parameters.values()
    )
    # Keras argument -> field: a field may carry the argument as its alias (EinsumDense's
    # `output_shape`, whose name is every definition's shape rule).
    attrs = {f.alias or n: n for n, f in cls.model_fields.items() if n != "type"}
    fields = set(attrs)
    unsupported = getattr(cls, "UNSUPPORTED_ARGS", {})
    for name in params:
        if name in BASE_KWARGS:
            continue
        assert name in fields or name in unsupported, f"Keras argument {name!r} is neither a field nor in UNSUPPORTED_ARGS"
    for name in fields - set(params) - cls.SPEC_ONLY - BASE_KWARGS:
        assert takes_kwargs, f"field {name!r} is not an argument of keras.layers.{keras_class(cls).__name__}"
        pytest.fail(f"field {name!r} is not an argument of keras.layers.{keras_class(cls).__name__}")
    required = _required_fields(cls)
    for name, p in params.items():
        if name not in fields or name in BASE_KWARGS or name in cls.STRICTER_THAN_KERAS:
            continue
        field = cls.model_fields[attrs[name]]
        keras_required = p.default is inspect.Parameter.empty
        assert field.is_required() == keras_required, f"{name}: required in Keras: {keras_required}"
        if keras_required:
            continue
        ours = cls.model_validate({"type": cls.TYPES[0], **required})
        try:
            theirs = cls.model_validate({"type": cls.TYPES[0], **required, name: _jsonish(p.default)})
        except Exception as exc:
            pytest.fail(f"{name}: Keras's default {p.default!r} is refused by the field: {exc}")
        attr = attrs[name]
        assert getattr(ours, attr) == getattr(theirs, attr), f"{name}: default {getattr(ours, attr)!r} vs Keras {p.default!r}"


# --------------------------------------------------------------------------- tables against Keras


def _keras_build(fields: dict[str, Any], shape: tuple[Any, ...]) -> tuple[tuple[Any, ...], int, int]:
    cls = layer_class(fields["type"])
    assert cls is not None
    layer = cls.model_validate(fields).to_keras(keras, "the_layer")
    model = keras.Sequential([keras.Input(batch_shape=shape), layer])
    out = tuple(model.layers[-1].output.shape)
    trainable = sum(math.prod(w.shape) for w in layer.trainable_weights)
    non_trainable = sum(math.prod(w.shape) for w in layer.non_trainable_weights)
    return out, trainable, non_trainable


RULE_CASES = cases.rule_cases()


@pytest.mark.parametrize(("fields", "shape", "expected"), RULE_CASES, ids=[c[0]["type"] for c in RULE_CASES])
def test_rule_row_is_keras(fields: dict[str, Any], shape: tuple[Any, ...], expected: Any) -> None:
    cls = layer_class(fields["type"])
    assert cls is not None, fields["type"]
    layer = cls.model_validate(fields)
    if isinstance(expected, str):
        with pytest.raises(ShapeError) as info:
            errors = layer.argument_errors()
            if errors:
                raise errors[0]
            infer(layer, shape)
        assert info.value.code == expected
        with pytest.raises(Exception):  # noqa: B017 - Keras refuses with its own types
            _keras_build(fields, shape)
        return
    assert not layer.argument_errors()
    assert infer(layer, shape) == expected
    assert _keras_build(fields, shape) == expected


@pytest.mark.parametrize("name", sorted(cases.build_cases()))
def test_build_case_equals_keras(name: str) -> None:
    required, sample = cases.build_cases()[name]
    cls = next(c for c in all_classes() if c.__name__ == name)
    fields = {"type": cls.TYPES[0], **required}
    shape = (None, *sample)
    layer = cls.model_validate(fields)
    assert _keras_build(fields, shape) == infer(layer, shape)
    for alias in cls.TYPES[1:]:
        assert type(cls.model_validate({**fields, "type": alias}).to_keras(keras, "a")) is keras_class(cls)


# --------------------------------------------------------------------------- coverage


def test_every_definition_has_a_build_case_and_a_rule_row() -> None:
    import test_shapes

    build = set(_all_build_cases())
    rows = {layer_class(f["type"]) for f, _, _ in [*test_shapes.RULE_CASES, *RULE_CASES]}
    for cls in all_classes():
        if cls is Input or cls.SPEC_CONSTRUCT:
            continue
        assert cls.__name__ in build, f"{cls.__name__}: add a BUILD_CASES entry"
        assert cls in rows, f"{cls.__name__}: add RULE_CASES rows"
