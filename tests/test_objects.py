"""Objects with arguments against Keras itself: initializers, regularizers, constraints,
learning-rate schedules, optimizers, losses, metrics and callbacks.

- **Catalogue**: every class Keras ships in each module is an object class of the spec
  language or left out with the reason (``Family.excluded``); every argument of each
  Keras constructor is a field (or in ``UNSUPPORTED_ARGS``), with Keras's required-ness and
  default (read with ``inspect.signature``); every field is an argument.
- **Names, both ways**: every name the spec accepts resolves in Keras (``keras.initializers.get``
  and friends) to the class the spec says, and every name Keras resolves is accepted or
  belongs to a class left out.
- **Arguments**: a table of objects, each validated by the spec (the code and the field of
  the error, or none) and constructed by Keras from the raw arguments: Keras refuses
  exactly what the spec refuses. Rules that depend on the weight (Identity on a bias, a
  constraint axis beyond the kernel's rank) are checked statically and by training.
- **Builds**: every class and every name builds in Keras and takes a training step.
- **Callbacks**: the values `fit` logs are predicted exactly (KS412 warns on any other
  monitor); callbacks reach `model.fit` through `kerasspec.train`.
"""

from __future__ import annotations

import inspect
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import kerasspec
from kerasspec import names, objects
from kerasspec import spec as S
from kerasspec.objects import CONSTRAINTS, INITIALIZERS, REGULARIZERS, Family, KerasObject
from kerasspec.semantics import history_keys

FAMILIES: dict[str, Family] = {
    "initializers": INITIALIZERS,
    "regularizers": REGULARIZERS,
    "constraints": CONSTRAINTS,
    "optimizers.schedules": S.SCHEDULES,
    "optimizers": S.OPTIMIZERS,
    "losses": S.LOSSES,
    "metrics": S.METRICS,
    "callbacks": S.CALLBACKS,
}
CLASSES = [(module, cls, t) for module, family in FAMILIES.items() for cls in family.classes for t in cls.types()]
BASE = {"input_shape": [4], "layers": [{"type": "Dense", "units": 3, "activation": "softmax"}]}


def _module(keras: Any, name: str) -> Any:
    module = keras
    for part in name.split("."):
        module = getattr(module, part)
    return module


def _same(a: Any, b: Any) -> bool:
    def norm(v: Any) -> Any:
        return [norm(x) for x in v] if isinstance(v, list | tuple) else v

    return bool(norm(a) == norm(b))


def _errors(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return [(d.code, d.path) for d in kerasspec.check(doc) if d.severity == "error"]


# --------------------------------------------------------------------------- catalogue


def test_object_index_is_current() -> None:
    committed = (Path(objects.__file__).parent / "_index.py").read_text(encoding="utf-8")
    assert committed == objects.index_source(), "run `make schema` to regenerate kerasspec/objects/_index.py"


def test_every_family_is_a_module_of_the_catalogue() -> None:
    assert list(objects.ALL_FAMILIES.values()) == list(FAMILIES.values())
    for family in FAMILIES.values():
        assert family.classes and all(cls.MODULE for cls in family.classes)
        assert list(family.spellings) == [t for cls in family.classes for t in cls.types()]


@pytest.mark.parametrize("module", ["initializers", "regularizers", "constraints", "optimizers"])
def test_every_name_resolves_without_importing_the_classes(module: str) -> None:
    # Names of losses and metrics are Keras functions (`mse`), not classes: those families' names stay names.
    family = FAMILIES[module]
    for name in family.names:
        kind = family.resolve_type(name)
        assert kind in family.spellings, name
        cls, same = family.resolve(name)  # type: ignore[misc]
        assert same == kind and kind in cls.types()


def test_a_spec_of_names_imports_no_object_class() -> None:
    # What makes `check` fast: objects written as names build no class, and a family's module
    # is imported only for the objects a spec writes as mappings.
    code = (
        "import sys, kerasspec\n"
        "kerasspec.check({'input_shape': [4], 'layers': [{'type': 'Dense', 'units': 3, 'activation': 'softmax',"
        " 'kernel_regularizer': 'l2'}], 'compile': {'optimizer': 'adam', 'loss': 'categorical_crossentropy',"
        " 'metrics': ['accuracy', {'type': 'AUC'}]}})\n"
        "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('kerasspec.objects.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")[-2]
    # The weights' initializers and regularizer (glorot_uniform, zeros, l2) are names whose
    # classes no shape can fail with their defaults (the index says so); AUC is a mapping.
    assert out == "['_index', 'metrics']"


_SHAPES = [(), (0,), (1,), (3,), (3, 0), (2, 3), (3, 3), (1, 3, 3), (3, 3, 2, 4), (2, 0, 3, 3, 1)]


@pytest.mark.parametrize("module", ["initializers", "regularizers", "constraints"])
def test_a_name_skipped_by_the_index_fails_no_shape(module: str) -> None:
    # The index (RULES) lets a name through without importing its class; it must never let
    # through a name whose default object fails a check on some weight.
    family = FAMILIES[module]
    for name in family.names:
        obj = family.default_object(name)
        assert obj is not None, name
        for check in objects.SHAPE_CHECKS:
            failing = [shape for shape in _SHAPES if getattr(obj, check)(shape)]
            if failing:
                assert family.name_has_rule(name, check), (name, check, failing)
    # And the index is not vacuous: Orthogonal's default fails on a rank-1 weight.
    assert INITIALIZERS.name_has_rule("orthogonal", "weight_error")
    assert not INITIALIZERS.name_has_rule("glorot_uniform", "weight_error")




@pytest.mark.keras
@pytest.mark.parametrize("module", FAMILIES)
def test_every_keras_class_is_an_object_or_left_out(module: str) -> None:
    keras = pytest.importorskip("keras")
    family = FAMILIES[module]
    namespace = {n: v for n, v in vars(_module(keras, module)).items() if inspect.isclass(v) and not n.startswith("_")}
    covered = set(family.types) | set(dict(family.excluded))
    # keras.initializers exports snake-case aliases of its classes (random_normal is RandomNormal).
    missing = {v.__name__ for n, v in namespace.items() if not any(a in covered for a, w in namespace.items() if w is v)}
    assert missing == set(), f"keras.{module} classes neither supported nor left out"
    import importlib

    registry = importlib.import_module(f"keras.src.{module}") if module != "callbacks" else None
    known = set(namespace) | set(getattr(registry, "ALL_OBJECTS_DICT", {}))
    assert covered - known == set(), f"not classes of keras.{module}"
    for kind in family.types:  # every spelling is the class Keras exports under it
        assert namespace[kind].__name__ == family.types[kind](type=kind, **family.types[kind].EXAMPLE).kind
    assert all(why for _, why in family.excluded)


@pytest.mark.keras
@pytest.mark.parametrize(("module", "cls", "kind"), CLASSES, ids=[f"{m}.{t}" for m, _, t in CLASSES])
def test_arguments_and_defaults_are_keras(module: str, cls: type[KerasObject], kind: str) -> None:
    keras = pytest.importorskip("keras")
    keras_cls = getattr(_module(keras, module), kind)
    assert module == cls.MODULE
    params = {
        n: p for n, p in inspect.signature(keras_cls).parameters.items()
        if p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    }  # fmt: skip
    fields = {n: f for n, f in cls.model_fields.items() if n != "type" and n not in cls.SPEC_ONLY}
    assert set(fields) <= set(params), f"fields that are not arguments of {kind}: {set(fields) - set(params)}"
    for name, param in params.items():
        if name in cls.UNSUPPORTED_ARGS:
            assert cls.UNSUPPORTED_ARGS[name], "a left-out argument needs its reason"
            continue
        assert name in fields, f"{kind}({name}=...) is neither a field nor in UNSUPPORTED_ARGS"
        field = fields[name]
        if param.default is inspect.Parameter.empty:
            assert field.is_required(), f"{kind}.{name} is required in Keras"
            continue
        assert not field.is_required(), f"{kind}.{name} has a default in Keras"
        default = field.get_default(call_default_factory=True)
        if name == "name" and hasattr(cls, "KERAS_NAMES"):
            # null stands for Keras's default name, which differs per class: KERAS_NAMES says it.
            assert default is None and cls.KERAS_NAMES[kind] == param.default
        else:
            assert _same(default, param.default), f"{kind}.{name}: default {default!r}, Keras {param.default!r}"
    if hasattr(cls, "KERAS_NAMES"):
        assert set(cls.KERAS_NAMES) == set(cls.types())


@pytest.mark.parametrize("module", FAMILIES)
def test_type_spellings_are_unique_within_a_family(module: str) -> None:
    family = FAMILIES[module]
    spellings = [t for cls in family.classes for t in cls.types()]
    assert len(spellings) == len(set(spellings))
    assert set(spellings).isdisjoint(dict(family.excluded))


# --------------------------------------------------------------------------- names, both ways

_GETTERS = {"initializers": "initializers", "regularizers": "regularizers", "constraints": "constraints", "optimizers": "optimizers"}


def _keras_class_name(obj: Any) -> str:
    return type(obj).__name__


@pytest.mark.keras
@pytest.mark.parametrize("module", ["initializers", "regularizers", "constraints", "optimizers"])
def test_every_accepted_name_is_the_class_keras_resolves(module: str) -> None:
    keras = pytest.importorskip("keras")
    family = FAMILIES[module]
    get = getattr(keras, module).get
    for name in family.names:
        found = family.resolve(name.lower() if module == "optimizers" else name)
        assert found is not None, name
        cls, kind = found
        expected = cls(type=kind, **cls.EXAMPLE).kind
        assert _keras_class_name(get(name)) == expected, name
    if module == "optimizers":
        for name in family.names:  # Keras lower-cases optimizer names: any case resolves
            assert _keras_class_name(get(name.upper())) == _keras_class_name(get(name))


@pytest.mark.keras
@pytest.mark.parametrize("module", ["initializers", "regularizers", "constraints", "optimizers", "losses", "metrics"])
def test_every_name_keras_resolves_is_accepted_or_left_out(module: str) -> None:
    pytest.importorskip("keras")
    import importlib

    registry = importlib.import_module(f"keras.src.{module}").ALL_OBJECTS_DICT
    family = FAMILIES[module]
    left_out = {n.lower() for n in dict(family.excluded)}
    required_args = {t for cls in family.classes for t in cls.types() if any(f.is_required() for n, f in cls.model_fields.items() if n != "type")}
    for name, obj in registry.items():
        cls_name = getattr(obj, "__name__", "")
        if name in family.names or cls_name.lower() in left_out:
            continue
        if name in NAMES_KERAS_FAILS_ON:
            with pytest.raises(KeyError):  # the name resolves, but the object cannot be made from it
                getattr(pytest.importorskip("keras"), module).get(name)
            continue
        # Classes with required arguments are objects only (IoU needs num_classes).
        assert cls_name in required_args, f"keras.{module}.get({name!r}) resolves, but the spec refuses the name"


#: Names in Keras's registry that Keras itself fails to make an object from, and why.
NAMES_KERAS_FAILS_ON = {
    "constant": "Constant.from_config({}) needs `value`",
    "Constant": "Constant.from_config({}) needs `value`",
}


@pytest.mark.keras
def test_loss_and_metric_names_resolve_in_keras() -> None:
    keras = pytest.importorskip("keras")
    from keras.src.trainers.compile_utils import get_loss, get_metric

    y = keras.ops.ones((2, 3))
    for name in names.LOSSES:
        assert get_loss(name, y, y) is not None, name
    for name in names.METRICS:
        assert get_metric(name, y, y).name == name  # logged under the name as written
    for name in ("ACC", "Accuracy", "Acc"):
        assert get_metric(name, y, y).name == name
    for name in ("CE", "Crossentropy"):
        assert get_loss(name, y, y) is not None


def test_names_keras_matches_in_any_case_are_accepted_in_any_case() -> None:
    doc = {**BASE, "compile": {"loss": "CrossEntropy", "metrics": ["ACC", "AcCuRaCy"], "optimizer": "ADAM"}}
    assert _errors(doc) == []
    doc = {**BASE, "compile": {"loss": "MSe", "metrics": ["MAe"]}}
    assert _errors(doc) == [("KS209", "/compile/loss"), ("KS210", "/compile/metrics/0")]


# --------------------------------------------------------------------------- arguments: spec vs Keras

#: (field, object as written, the spec's finding or None). Keras's constructor (and, for
#: objects that only fail when used, one use) refuses exactly the rows with a finding.
ROWS: list[tuple[str, dict[str, Any], tuple[str, str] | None]] = [
    # initializers
    ("kernel_initializer", {"type": "RandomNormal", "mean": 0, "stddev": 0.02, "seed": 1}, None),
    ("kernel_initializer", {"type": "RandomNormal", "seed": -7}, None),
    ("kernel_initializer", {"type": "RandomNormal", "seed": 1.5}, ("KS203", "seed")),
    ("kernel_initializer", {"type": "RandomUniform", "minval": 1, "maxval": -1}, None),
    ("kernel_initializer", {"type": "TruncatedNormal", "stddev": 2}, None),
    ("kernel_initializer", {"type": "VarianceScaling", "scale": 0}, ("KS205", "scale")),
    ("kernel_initializer", {"type": "VarianceScaling", "scale": 2}, None),
    ("kernel_initializer", {"type": "VarianceScaling", "mode": "FAN_IN"}, ("KS206", "mode")),
    ("kernel_initializer", {"type": "VarianceScaling", "mode": "fan_avg", "distribution": "Uniform"}, None),
    ("kernel_initializer", {"type": "VarianceScaling", "distribution": "NORMAL"}, None),
    ("kernel_initializer", {"type": "VarianceScaling", "distribution": "gaussian"}, ("KS206", "distribution")),
    ("kernel_initializer", {"type": "HeNormal", "seed": 3, "input_axes": [0], "output_axes": [1]}, None),
    ("kernel_initializer", {"type": "Orthogonal", "gain": 2, "seed": 0}, None),
    ("kernel_initializer", {"type": "Identity", "gain": 0.5}, None),
    ("kernel_initializer", {"type": "IdentityInitializer"}, None),
    ("kernel_initializer", {"type": "Constant", "value": -3}, None),
    ("kernel_initializer", {"type": "STFT", "side": "imag", "window": "hamming", "scaling": "spectrum", "periodic": True}, None),
    ("kernel_initializer", {"type": "STFT", "window": None, "scaling": None}, None),
    ("kernel_initializer", {"type": "STFT", "side": "imaginary"}, ("KS206", "side")),
    ("kernel_initializer", {"type": "STFT", "window": "hanning"}, ("KS206", "window")),
    ("kernel_initializer", {"type": "STFT", "window": "kaiser"}, ("KS206", "window")),  # needs a parameter
    ("kernel_initializer", {"type": "STFT", "scaling": "l2"}, ("KS206", "scaling")),
    # regularizers
    ("kernel_regularizer", {"type": "L1", "l1": 0}, None),
    ("kernel_regularizer", {"type": "L1", "l1": -0.1}, ("KS205", "l1")),
    ("kernel_regularizer", {"type": "L2", "l2": None}, None),
    ("kernel_regularizer", {"type": "L1L2", "l1": None, "l2": 0.1}, None),
    ("kernel_regularizer", {"type": "L1L2", "l2": -1}, ("KS205", "l2")),
    ("kernel_regularizer", {"type": "OrthogonalRegularizer", "factor": 0.5, "mode": "columns"}, None),
    ("kernel_regularizer", {"type": "OrthogonalRegularizer", "mode": "cols"}, ("KS206", "mode")),
    ("kernel_regularizer", {"type": "OrthogonalRegularizer", "factor": -1}, ("KS205", "factor")),
    ("kernel_regularizer", {"type": "OrthogonalRegularizer", "factor": None}, ("KS203", "factor")),
    # constraints
    ("kernel_constraint", {"type": "MaxNorm", "max_value": 3, "axis": [0, 1]}, None),
    ("kernel_constraint", {"type": "MinMaxNorm", "min_value": 0.5, "max_value": 2, "rate": 0.5, "axis": -2}, None),
    ("kernel_constraint", {"type": "UnitNorm", "axis": 1}, None),
    ("kernel_constraint", {"type": "NonNeg"}, None),
    ("kernel_constraint", {"type": "Constraint"}, None),
    # learning-rate schedules
    ("learning_rate", {"type": "ExponentialDecay", "initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.9, "staircase": True}, None),
    ("learning_rate", {"type": "ExponentialDecay", "initial_learning_rate": 0.1, "decay_steps": 0, "decay_rate": 0.9}, ("KS205", "decay_steps")),
    ("learning_rate", {"type": "ExponentialDecay", "initial_learning_rate": 0.1, "decay_steps": 2.5, "decay_rate": 0.9}, None),
    ("learning_rate", {"type": "InverseTimeDecay", "initial_learning_rate": 1, "decay_steps": -1, "decay_rate": 0.5}, ("KS205", "decay_steps")),
    ("learning_rate", {"type": "PolynomialDecay", "initial_learning_rate": 0.1, "decay_steps": 100, "power": 2, "cycle": True}, None),
    ("learning_rate", {"type": "CosineDecay", "initial_learning_rate": 0.0, "decay_steps": 100, "warmup_target": 0.1, "warmup_steps": 10}, None),
    ("learning_rate", {"type": "CosineDecayRestarts", "initial_learning_rate": 0.1, "first_decay_steps": 0}, ("KS205", "first_decay_steps")),
    ("learning_rate", {"type": "PiecewiseConstantDecay", "boundaries": [10, 20], "values": [0.1, 0.01, 0.001]}, None),
    ("learning_rate", {"type": "PiecewiseConstantDecay", "boundaries": [10, 20], "values": [0.1, 0.01]}, ("KS205", "values")),
    ("learning_rate", {"type": "PiecewiseConstantDecay", "boundaries": [], "values": [0.1]}, ("KS205", "boundaries")),  # fails in use
    # optimizers
    ("optimizer", {"type": "Adam", "learning_rate": 1}, ("KS203", "learning_rate")),
    ("optimizer", {"type": "Adam", "learning_rate": 0.0, "beta_1": 2, "epsilon": -1}, None),
    ("optimizer", {"type": "Adam", "clipnorm": 1.0, "clipvalue": 0.5}, ("KS211", "clipvalue")),
    ("optimizer", {"type": "Adam", "clipvalue": 0.5, "global_clipnorm": 1.0}, ("KS211", "global_clipnorm")),
    ("optimizer", {"type": "Adam", "use_ema": True, "ema_momentum": 1.5}, ("KS205", "ema_momentum")),
    ("optimizer", {"type": "Adam", "use_ema": False, "ema_momentum": 1.5}, None),
    ("optimizer", {"type": "Adam", "use_ema": True, "ema_overwrite_frequency": -1}, ("KS205", "ema_overwrite_frequency")),
    ("optimizer", {"type": "Adam", "gradient_accumulation_steps": 1}, ("KS205", "gradient_accumulation_steps")),
    ("optimizer", {"type": "Adam", "gradient_accumulation_steps": 0}, None),
    ("optimizer", {"type": "Adam", "gradient_accumulation_steps": 2, "name": "my_adam"}, None),
    ("optimizer", {"type": "SGD", "momentum": 0.9, "nesterov": True}, None),
    ("optimizer", {"type": "SGD", "momentum": 0}, ("KS203", "momentum")),
    ("optimizer", {"type": "SGD", "momentum": 1.5}, ("KS205", "momentum")),
    ("optimizer", {"type": "AdamW", "weight_decay": None}, ("KS203", "weight_decay")),
    ("optimizer", {"type": "Lion", "beta_1": 0.0}, ("KS205", "beta_1")),
    ("optimizer", {"type": "Lion", "beta_1": 1}, None),
    ("optimizer", {"type": "Ftrl", "learning_rate_power": 0.5}, ("KS205", "learning_rate_power")),
    ("optimizer", {"type": "Ftrl", "l1_regularization_strength": -1}, ("KS205", "l1_regularization_strength")),
    ("optimizer", {"type": "Ftrl", "l2_shrinkage_regularization_strength": 0.1, "beta": 0.5}, None),
    ("optimizer", {"type": "LossScaleOptimizer", "inner_optimizer": "adam", "initial_scale": 1024}, None),
    ("optimizer", {"type": "LossScaleOptimizer", "inner_optimizer": {"type": "SGD", "momentum": 0.5}}, None),
    ("optimizer", {"type": "Adam", "learning_rate": {"type": "CosineDecay", "initial_learning_rate": 0.1, "decay_steps": 5}}, None),
    ("optimizer", {"type": "Muon", "exclude_layers": ["dense"], "ns_steps": 3}, None),
    # losses
    ("loss", {"type": "CategoricalCrossentropy", "reduction": "sum", "name": "cce"}, None),
    ("loss", {"type": "CategoricalCrossentropy", "reduction": None}, None),
    ("loss", {"type": "CategoricalCrossentropy", "reduction": "avg"}, ("KS206", "reduction")),
    ("loss", {"type": "CategoricalGeneralizedCrossEntropy", "q": 1.0}, ("KS205", "q")),
    ("loss", {"type": "CategoricalGeneralizedCrossEntropy", "q": 0.7}, None),
    ("loss", {"type": "Tversky", "alpha": 0.3, "beta": 0.7, "axis": [1]}, None),
    ("loss", {"type": "Huber", "delta": 2}, None),
    # metrics
    ("metrics", {"type": "TopKCategoricalAccuracy", "k": 3, "name": "top_3_accuracy"}, None),
    ("metrics", {"type": "F1Score", "average": "macro", "threshold": 0.5}, None),
    ("metrics", {"type": "F1Score", "average": "samples"}, ("KS206", "average")),
    ("metrics", {"type": "F1Score", "threshold": 1}, ("KS203", "threshold")),
    ("metrics", {"type": "F1Score", "threshold": 0.0}, ("KS205", "threshold")),
    ("metrics", {"type": "FBetaScore", "beta": 2}, ("KS203", "beta")),
    ("metrics", {"type": "FBetaScore", "beta": 0.0}, ("KS205", "beta")),
    ("metrics", {"type": "FBetaScore", "beta": 2.0, "average": "weighted"}, None),
    ("metrics", {"type": "AUC", "curve": "pr", "summation_method": "Majoring"}, None),
    ("metrics", {"type": "AUC", "curve": "Pr"}, ("KS206", "curve")),
    ("metrics", {"type": "AUC", "num_thresholds": 1}, ("KS205", "num_thresholds")),
    ("metrics", {"type": "AUC", "num_thresholds": 1, "thresholds": [0.3, 0.6]}, None),
    ("metrics", {"type": "AUC", "num_labels": 3}, ("KS211", "num_labels")),
    ("metrics", {"type": "AUC", "multi_label": True, "num_labels": 3, "label_weights": [1, 2, 1]}, None),
    ("metrics", {"type": "Precision", "thresholds": [0.2, 0.8], "class_id": 1}, None),
    ("metrics", {"type": "Recall", "thresholds": 1.5}, ("KS205", "thresholds")),
    ("metrics", {"type": "TruePositives", "thresholds": 0.3}, None),
    ("metrics", {"type": "FalseNegatives", "thresholds": [0.5, -0.1]}, ("KS205", "thresholds/1")),
    ("metrics", {"type": "PrecisionAtRecall", "recall": 0.8, "num_thresholds": 10}, None),
    ("metrics", {"type": "PrecisionAtRecall", "recall": 1.5}, ("KS205", "recall")),
    ("metrics", {"type": "SpecificityAtSensitivity", "sensitivity": 0.5, "num_thresholds": 0}, ("KS205", "num_thresholds")),
    ("metrics", {"type": "IoU", "num_classes": 3, "target_class_ids": [3]}, ("KS205", "target_class_ids")),
    ("metrics", {"type": "IoU", "num_classes": 3, "target_class_ids": []}, ("KS205", "target_class_ids")),
    ("metrics", {"type": "OneHotIoU", "num_classes": 3, "target_class_ids": [0, 2]}, None),
    ("metrics", {"type": "BinaryIoU", "target_class_ids": [2]}, ("KS205", "target_class_ids")),
    ("metrics", {"type": "MeanIoU", "num_classes": 3, "ignore_class": 0}, None),
    ("metrics", {"type": "R2Score", "class_aggregation": None, "num_regressors": 1}, None),
    ("metrics", {"type": "R2Score", "class_aggregation": "mean"}, ("KS206", "class_aggregation")),
    ("metrics", {"type": "R2Score", "num_regressors": -1}, ("KS205", "num_regressors")),
    # the other class names Keras's deserializers take (`keras.regularizers.get({"class_name": "l2", ...})`)
    ("kernel_regularizer", {"type": "l2", "l2": 1e-4}, None),
    ("kernel_regularizer", {"type": "l1", "l1": 0.01}, None),
    ("kernel_regularizer", {"type": "l1l2", "l1": 0.01, "l2": 0.01}, None),
    ("kernel_regularizer", {"type": "l1_l2", "l1": 0.01, "l2": 0.01}, ("KS206", "type")),  # Keras's table has l1l2 only
    ("kernel_regularizer", {"type": "l2", "l2": -1}, ("KS205", "l2")),  # validated by the class it stands for
    ("kernel_regularizer", {"type": "orthogonal_regularizer", "factor": 0.1, "mode": "columns"}, None),
    ("kernel_regularizer", {"type": "regularizer"}, ("KS206", "type")),
    ("kernel_constraint", {"type": "max_norm", "max_value": 3}, None),
    ("kernel_constraint", {"type": "unit_norm", "axis": 1, "rate": 1.0}, ("KS201", "rate")),
    ("kernel_constraint", {"type": "maxnorm", "max_value": 3}, ("KS206", "type")),
    ("kernel_constraint", {"type": "non_neg"}, None),
    ("kernel_constraint", {"type": "constraint"}, None),
    ("kernel_initializer", {"type": "he_normal", "seed": 1}, None),
    ("kernel_initializer", {"type": "random_normal", "stddev": 0.02}, None),
    ("kernel_initializer", {"type": "normal", "stddev": 0.02}, None),
    ("kernel_initializer", {"type": "constant", "value": 0.5}, None),
    ("kernel_initializer", {"type": "variance_scaling", "mode": "fan_out"}, None),
    ("kernel_initializer", {"type": "identity_initializer"}, ("KS206", "type")),
    ("kernel_initializer", {"type": "glorot_Uniform"}, ("KS206", "type")),
    ("optimizer", {"type": "adam", "learning_rate": 0.01}, None),
    ("optimizer", {"type": "RMSProp", "rho": 0.8}, None),  # Keras lower-cases the class name
    ("optimizer", {"type": "sgd", "momentum": 2.0}, ("KS205", "momentum")),
    ("optimizer", {"type": "lamb"}, ("KS208", "type")),  # Keras 3's optimizer table lacks Lamb
    ("learning_rate", {"type": "exponential_decay", "initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.9}, ("KS206", "type")),
    ("loss", {"type": "categorical_crossentropy", "label_smoothing": 0.1}, ("KS209", "type")),
    ("metrics", {"type": "auc", "num_thresholds": 50}, None),
    ("metrics", {"type": "MSE"}, None),
    ("metrics", {"type": "binary_crossentropy", "from_logits": True}, None),
    ("metrics", {"type": "mean_io_u", "num_classes": 3}, None),
    ("metrics", {"type": "ACC"}, ("KS210", "type")),
    # callbacks
    ("callbacks", {"type": "EarlyStopping", "monitor": "loss", "patience": 3, "restore_best_weights": True, "baseline": 0.5}, None),
    ("callbacks", {"type": "ReduceLROnPlateau", "monitor": "loss", "factor": 0.5, "cooldown": 1, "min_lr": 1e-5}, None),
    ("callbacks", {"type": "ReduceLROnPlateau", "monitor": "loss", "factor": 1}, ("KS205", "factor")),
    ("callbacks", {"type": "TerminateOnNaN", "raise_error": True}, None),
]

#: Rows the spec refuses where Keras accepts: deliberate, each with the reason.
SPEC_RULES: dict[str, str] = {
    json.dumps({"type": "categorical_crossentropy", "label_smoothing": 0.1}):
        "Keras's deserializer returns the function categorical_crossentropy and drops `label_smoothing`",
    json.dumps({"type": "regularizer"}): dict(REGULARIZERS.excluded)["Regularizer"],
}


def _doc(field: str, obj: Any) -> tuple[dict[str, Any], tuple[str | int, ...]]:
    """A spec holding ``obj`` (an object or a name) in ``field``, and the path of the object."""
    doc: dict[str, Any] = json.loads(json.dumps(BASE))
    if field.endswith(("_initializer", "_regularizer", "_constraint")):
        if isinstance(obj, dict) and obj.get("type") == "STFT":  # STFT makes Conv1D kernels of one input channel
            doc = {"input_shape": [6, 1], "layers": [{"type": "Conv1D", "filters": 3, "kernel_size": 2}]}
        doc["layers"][0][field] = obj
        return doc, ("layers", 0, field)
    compile_: dict[str, Any] = {"loss": "categorical_crossentropy"}
    if field == "learning_rate":
        compile_["optimizer"] = {"type": "Adam", "learning_rate": obj}
        doc["compile"] = compile_
        return doc, ("compile", "optimizer", "learning_rate")
    if field == "callbacks":
        doc["compile"] = compile_
        doc["fit"] = {"callbacks": [obj]}
        return doc, ("fit", "callbacks", 0)
    compile_[field] = [obj] if field == "metrics" else obj
    doc["compile"] = compile_
    return doc, ("compile", field, 0) if field == "metrics" else ("compile", field)


@pytest.mark.parametrize(("field", "obj", "finding"), ROWS, ids=[f"{f}-{json.dumps(o)}" for f, o, _ in ROWS])
def test_spec_refuses_exactly_these(field: str, obj: dict[str, Any], finding: tuple[str, str] | None) -> None:
    doc, at = _doc(field, obj)
    errors = _errors(doc)
    if finding is None:
        assert errors == []
    else:
        code, arg = finding
        assert errors == [(code, "".join(f"/{p}" for p in (*at, arg)))]


def _raw(family: Family, obj: Any, keras: Any) -> Any:
    """The Keras object made from the raw arguments, without kerasspec (nested objects too)."""
    if isinstance(obj, str):
        return getattr(keras, family.classes[0].MODULE.split(".")[0]).get(obj)
    args = {k: v for k, v in obj.items() if k != "type"}
    for key, value in list(args.items()):
        sub = S.field_family(key)
        if sub is not None and (isinstance(value, dict) or (key == "inner_optimizer" and isinstance(value, str))):
            args[key] = _raw(sub, value, keras)
    if obj["type"] not in family.spellings:  # another class name: as Keras's deserializer reads it
        config = {"class_name": obj["type"], "config": args}
        if family is S.SCHEDULES:
            return keras.optimizers.schedules.deserialize(config)
        return getattr(keras, family.module).get(config)
    return getattr(_module(keras, family.types[obj["type"]].MODULE), obj["type"])(**args)


def _use(family: Family, made: Any, keras: Any) -> None:
    """What Keras does with the object first: build a weight, compute a penalty, take a step."""
    if family is INITIALIZERS:
        made((3, 1, 4) if "STFT" in type(made).__name__ else (4, 3))
    elif family is REGULARIZERS or family is CONSTRAINTS:
        made(keras.ops.ones((4, 3)))
    elif family is S.SCHEDULES:
        made(0)


@pytest.mark.keras
@pytest.mark.parametrize(("field", "obj", "finding"), ROWS, ids=[f"{f}-{json.dumps(o)}" for f, o, _ in ROWS])
def test_keras_refuses_exactly_these(field: str, obj: dict[str, Any], finding: tuple[str, str] | None) -> None:
    keras = pytest.importorskip("keras")
    family = S.field_family(field)
    assert family is not None
    try:
        _use(family, _raw(family, obj, keras), keras)
    except (ValueError, TypeError, IndexError) as exc:
        assert finding is not None, f"Keras refuses {obj}: {exc}"
        return
    key = json.dumps(obj)
    assert finding is None or key in SPEC_RULES, f"Keras takes {obj}, the spec refuses it ({finding})"


# ---- rules that depend on the weight or the output: the analysis, and Keras building and training

#: (layer, input shape, finding or None): KS309 where Keras fails to build the model (an
#: error), KS504 where it builds and fails in the first training step (a warning).
SHAPE_ROWS: list[tuple[dict[str, Any], list[int | None], tuple[str, str] | None]] = [
    ({"type": "Dense", "units": 3, "bias_initializer": "identity"}, [5], ("KS309", "bias_initializer")),
    ({"type": "Dense", "units": 3, "kernel_initializer": {"type": "Identity", "gain": 2}}, [5], None),
    ({"type": "Dense", "units": 3, "bias_initializer": {"type": "Orthogonal"}}, [5], ("KS309", "bias_initializer")),
    ({"type": "Dense", "units": 3, "kernel_initializer": "stft"}, [5], ("KS309", "kernel_initializer")),
    ({"type": "Conv1D", "filters": 4, "kernel_size": 3, "kernel_initializer": "stft"}, [6, 1], None),
    ({"type": "Conv1D", "filters": 4, "kernel_size": 3, "kernel_initializer": {"type": "STFT", "window": "tukey"}}, [6, 2], ("KS504", "kernel_initializer")),
    ({"type": "Dense", "units": 3, "kernel_initializer": {"type": "VarianceScaling", "input_axes": [2], "output_axes": [1]}}, [5], ("KS309", "kernel_initializer")),
    ({"type": "Dense", "units": 3, "kernel_initializer": {"type": "GlorotUniform", "input_axes": [-2], "output_axes": [-1]}}, [5], None),
    ({"type": "Dense", "units": 3, "kernel_initializer": {"type": "LecunNormal", "input_axes": [7]}}, [5], None),  # one of the two: ignored
    ({"type": "Dense", "units": 3, "kernel_regularizer": "orthogonal_regularizer"}, [5], None),
    ({"type": "Dense", "units": 3, "bias_regularizer": {"type": "OrthogonalRegularizer"}}, [5], ("KS504", "bias_regularizer")),
    ({"type": "Conv1D", "filters": 2, "kernel_size": 2, "kernel_regularizer": "orthogonal_regularizer"}, [5, 3], ("KS504", "kernel_regularizer")),
    ({"type": "Dense", "units": 3, "activity_regularizer": "orthogonal_regularizer"}, [5], ("KS504", "activity_regularizer")),
    ({"type": "Dense", "units": 3, "kernel_constraint": {"type": "MaxNorm", "axis": 2}}, [5], ("KS504", "kernel_constraint")),
    ({"type": "Dense", "units": 3, "kernel_constraint": {"type": "MaxNorm", "axis": -2}}, [5], None),
    ({"type": "Dense", "units": 3, "kernel_constraint": {"type": "UnitNorm", "axis": [0, -2]}}, [5], ("KS504", "kernel_constraint")),
    ({"type": "Dense", "units": 3, "bias_constraint": {"type": "UnitNorm", "axis": 1}}, [5], ("KS504", "bias_constraint")),
    ({"type": "Dense", "units": 3, "bias_constraint": "unit_norm"}, [5], None),
    # glu halves the last axis when it runs; the layer declares the whole axis (compute_output_shape)
    ({"type": "Dense", "units": 4, "activation": "glu"}, [5], ("KS504", "activation")),
    ({"type": "Dense", "units": 5, "activation": "glu"}, [5], ("KS504", "activation")),
    ({"type": "Conv2D", "filters": 4, "kernel_size": 3, "activation": "glu"}, [5, 5, 2], ("KS504", "activation")),
    ({"type": "Activation", "activation": "glu"}, [3, 6], ("KS504", "activation")),
    ({"type": "LSTM", "units": 4, "activation": "glu"}, [3, 6], ("KS504", "activation")),
    ({"type": "Dense", "units": 4, "activation": "gelu"}, [5], None),
]


@pytest.mark.parametrize(("layer", "shape", "finding"), SHAPE_ROWS, ids=[json.dumps(r[0]) for r in SHAPE_ROWS])
def test_objects_that_cannot_serve_the_weight(layer: dict[str, Any], shape: list[int | None], finding: tuple[str, str] | None) -> None:
    diags = [d for d in kerasspec.check({"input_shape": shape, "layers": [layer]}) if d.code in ("KS309", "KS504")]
    assert [(d.code, d.path) for d in diags] == ([(finding[0], f"/layers/0/{finding[1]}")] if finding else [])
    assert all(d.severity == ("error" if d.code == "KS309" else "warning") for d in diags)


@pytest.mark.keras
@pytest.mark.parametrize(("layer", "shape", "finding"), SHAPE_ROWS, ids=[json.dumps(r[0]) for r in SHAPE_ROWS])
def test_keras_fails_on_the_same_weights(layer: dict[str, Any], shape: list[int], finding: tuple[str, str] | None) -> None:
    keras = pytest.importorskip("keras")
    args = {k: v for k, v in layer.items() if k != "type"}
    for key, value in list(args.items()):
        family = objects.family_of_field(key)
        if family is not None and isinstance(value, dict):
            args[key] = _raw(family, value, keras)
    try:
        model = keras.Sequential([keras.Input(shape), getattr(keras.layers, layer["type"])(**args)])
    except Exception as exc:
        assert finding is not None and finding[0] == "KS309", f"Keras fails to build: {exc}"
        return
    model.compile("adam", "mse")  # Adam's slots take the kernel's declared shape (STFT's value differs)
    try:
        model.fit(np.ones((4, *shape), "float32"), np.ones((4, *model.output_shape[1:]), "float32"), epochs=1, verbose=0)
    except Exception as exc:
        assert finding is not None and finding[0] == "KS504", f"Keras fails to train: {exc}"
        return
    assert finding is None, "Keras builds and trains it"


def _max_norm_5(keras: Any) -> Any:
    return keras.constraints.MaxNorm(axis=5)


#: KS504 for layers held by wrappers and nested blocks: (id, spec layers, input shape, the
#: finding's path or None, the same layers written in Keras by hand).
INNER_ROWS: list[tuple[str, list[dict[str, Any]], list[int], str | None, Any]] = [
    ("Bidirectional's layer", [{"type": "Bidirectional", "layer": {"type": "LSTM", "units": 2, "use_cudnn": True}}], [8, 4],
     "/layers/0/layer", lambda k: [k.layers.Bidirectional(k.layers.LSTM(2, use_cudnn=True))]),
    # Keras gives the backward layer the forward layer's use_cudnn: its own is dropped.
    ("Bidirectional's backward layer", [{"type": "Bidirectional", "layer": {"type": "LSTM", "units": 2},
      "backward_layer": {"type": "LSTM", "units": 2, "use_cudnn": True, "go_backwards": True}}], [8, 4],
     None, lambda k: [k.layers.Bidirectional(k.layers.LSTM(2), backward_layer=k.layers.LSTM(2, use_cudnn=True, go_backwards=True))]),
    ("TimeDistributed's layer", [{"type": "TimeDistributed", "layer": {"type": "Dense", "units": 2, "kernel_constraint": {"type": "MaxNorm", "axis": 5}}}], [8, 4],
     "/layers/0/layer/kernel_constraint", lambda k: [k.layers.TimeDistributed(k.layers.Dense(2, kernel_constraint=_max_norm_5(k)))]),
    ("a nested Sequential's layer", [{"type": "Sequential", "layers": [{"type": "Dense", "units": 3},
      {"type": "Dense", "units": 2, "kernel_constraint": {"type": "MaxNorm", "axis": 5}}]}], [4],
     "/layers/0/layers/1/kernel_constraint", lambda k: [k.Sequential([k.layers.Dense(3), k.layers.Dense(2, kernel_constraint=_max_norm_5(k))])]),
    ("a nested layer on the shape the block gives it", [{"type": "Sequential", "layers": [{"type": "Conv1D", "filters": 2, "kernel_size": 5},
      {"type": "AdaptiveAveragePooling1D", "output_size": 2}]}], [5, 2],
     "/layers/0/layers/1", lambda k: [k.Sequential([k.layers.Conv1D(2, 5), k.layers.AdaptiveAveragePooling1D(2)])]),
    ("a Repeat inside a block: once", [{"type": "Sequential", "layers": [{"type": "Repeat", "times": 2, "layers": [
      {"type": "Dense", "units": 2, "kernel_constraint": {"type": "MaxNorm", "axis": 5}}]}]}], [4],
     "/layers/0/layers/0/layers/0/kernel_constraint",
     lambda k: [k.Sequential([k.layers.Dense(2, kernel_constraint=_max_norm_5(k)), k.layers.Dense(2, kernel_constraint=_max_norm_5(k))])]),
    ("a nested block that runs", [{"type": "Sequential", "layers": [{"type": "Dense", "units": 2, "kernel_constraint": {"type": "MaxNorm", "axis": 0}}]}], [4],
     None, lambda k: [k.Sequential([k.layers.Dense(2, kernel_constraint=k.constraints.MaxNorm(axis=0))])]),
]


@pytest.mark.parametrize(("layers", "shape", "path"), [r[1:4] for r in INNER_ROWS], ids=[r[0] for r in INNER_ROWS])
def test_what_fails_when_run_is_found_inside_wrappers_and_blocks(layers: list[dict[str, Any]], shape: list[int], path: str | None) -> None:
    doc = {"input_shape": shape, "layers": [*layers, {"type": "Flatten"}, {"type": "Dense", "units": 2}]}
    found = [(d.code, d.path, d.severity) for d in kerasspec.check(doc) if d.code in ("KS309", "KS504")]
    assert found == ([("KS504", path, "warning")] if path else [])


@pytest.mark.keras
@pytest.mark.parametrize(("shape", "path", "written"), [r[2:] for r in INNER_ROWS], ids=[r[0] for r in INNER_ROWS])
def test_keras_fails_to_train_the_same_inner_layers(shape: list[int], path: str | None, written: Any) -> None:
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input(shape), *written(keras), keras.layers.Flatten(), keras.layers.Dense(2)])
    model.compile("adam", "mse")
    try:
        model.fit(np.ones((4, *shape), "float32"), np.ones((4, 2), "float32"), epochs=1, verbose=0)
    except Exception as exc:
        assert path is not None, f"Keras fails to train: {exc}"
        return
    assert path is None, "Keras builds and trains it"


# --------------------------------------------------------------------------- every object builds

_X = np.random.default_rng(0).random((8, 4), dtype="float32")
_Y = np.eye(3, dtype="float32")[np.random.default_rng(1).integers(0, 3, 8)]


def _layer_object_cases() -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for family, field in ((INITIALIZERS, "kernel_initializer"), (REGULARIZERS, "kernel_regularizer"), (CONSTRAINTS, "kernel_constraint")):
        out += [(field, {"type": t, **cls.EXAMPLE}) for cls in family.classes for t in cls.types()]
        out += [(field, name) for name in family.names]
    return out


LAYER_OBJECTS = _layer_object_cases()


@pytest.mark.keras
@pytest.mark.slow
@pytest.mark.parametrize(("field", "value"), LAYER_OBJECTS, ids=[f"{f}-{json.dumps(v)}" for f, v in LAYER_OBJECTS])
def test_every_initializer_regularizer_and_constraint_builds_and_trains(field: str, value: Any) -> None:
    pytest.importorskip("keras")
    stft = "stft" in json.dumps(value).lower()
    # STFT makes Conv1D kernels of one input channel; the rest go on a Dense kernel.
    # (A hann window of 2 frames is all zeros: the kernel would be 0/0.)
    layer = {"type": "Conv1D", "filters": 3, "kernel_size": 4} if stft else {"type": "Dense", "units": 3}
    doc = {"input_shape": [5, 1] if stft else [4], "layers": [{**layer, field: value}, {"type": "Flatten"}, {"type": "Dense", "units": 3, "activation": "softmax"}],
           "compile": {"optimizer": "sgd", "loss": "categorical_crossentropy"}}  # fmt: skip
    model = kerasspec.build_model(doc)
    built = getattr(model.layers[0], field)
    spec_value = getattr(kerasspec.load_spec(doc).layers[0], field)
    expected = spec_value.kind if isinstance(spec_value, KerasObject) else type(built).__name__
    assert type(built).__name__ == expected
    x = np.ones((8, 5, 1), "float32") if stft else _X
    logs = model.train_on_batch(x, _Y, return_dict=True)
    assert all(np.all(np.isfinite(v)) for v in logs.values())


SCHEDULE_OBJECTS = [{"type": t, **cls.EXAMPLE} for cls in S.SCHEDULES.classes for t in cls.types()]


@pytest.mark.keras
@pytest.mark.slow
@pytest.mark.parametrize("schedule", SCHEDULE_OBJECTS, ids=lambda s: s["type"])
def test_every_schedule_drives_every_step(schedule: dict[str, Any]) -> None:
    pytest.importorskip("keras")
    doc = {**BASE, "compile": {"optimizer": {"type": "SGD", "learning_rate": schedule}, "loss": "categorical_crossentropy"}}
    model = kerasspec.build_model(doc)
    lr = model.optimizer._learning_rate
    assert type(lr).__name__ == schedule["type"]
    model.train_on_batch(_X, _Y)
    expected = _raw(S.SCHEDULES, schedule, pytest.importorskip("keras"))(1)
    assert float(model.optimizer.learning_rate) == pytest.approx(float(expected))


@pytest.mark.keras
@pytest.mark.slow
def test_arguments_reach_keras() -> None:
    pytest.importorskip("keras")
    doc = {
        "input_shape": [4],
        "layers": [{"type": "Dense", "units": 3, "activation": "softmax",
                    "kernel_initializer": {"type": "VarianceScaling", "scale": 2, "mode": "fan_out", "distribution": "Uniform", "seed": 5},
                    "bias_initializer": None,
                    "kernel_regularizer": {"type": "L1L2", "l1": 0.01, "l2": None},
                    "kernel_constraint": {"type": "MinMaxNorm", "min_value": 0.5, "max_value": 2, "axis": [0]}}],
        "compile": {"optimizer": {"type": "LossScaleOptimizer", "initial_scale": 64,
                                  "inner_optimizer": {"type": "Ftrl", "learning_rate": 0.1, "beta": 0.5}},
                    "loss": {"type": "CategoricalCrossentropy", "label_smoothing": 0.1, "reduction": "sum"},
                    "metrics": [{"type": "TopKCategoricalAccuracy", "k": 2, "name": "top2"}, {"type": "F1Score", "average": "macro"}]},
    }  # fmt: skip
    model = kerasspec.build_model(doc)
    dense = model.layers[0]
    init = dense.kernel_initializer.get_config()
    assert (init["scale"], init["mode"], init["distribution"], init["seed"]) == (2.0, "fan_out", "uniform", 5)
    assert dense.bias_initializer is None  # Keras's add_weight then uses glorot_uniform
    assert dense.kernel_regularizer.get_config() == {"l1": pytest.approx(0.01), "l2": 0.0}
    assert dense.kernel_constraint.get_config()["axis"] == [0]
    assert model.optimizer.initial_scale == 64 and type(model.optimizer.inner_optimizer).__name__ == "Ftrl"
    assert model.optimizer.inner_optimizer.beta == 0.5
    assert model.loss.reduction == "sum" and model.loss.get_config()["label_smoothing"] == 0.1
    logs = model.train_on_batch(_X, _Y, return_dict=True)
    assert {"top2", "f1_score"} <= set(logs)


# --------------------------------------------------------------------------- fit.callbacks


def _fit_doc(metrics: list[Any], callbacks: list[dict[str, Any]], validation_split: float = 0.25, **compile_: Any) -> dict[str, Any]:
    return {**BASE, "compile": {"loss": "categorical_crossentropy", "metrics": metrics, **compile_},
            "fit": {"validation_split": validation_split, "callbacks": callbacks}}  # fmt: skip


def _monitor_findings(doc: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    return [(d.code, d.path, d.hint) for d in kerasspec.check(doc) if d.code in ("KS412", "KS211")]


def test_monitor_must_be_logged() -> None:
    early = {"type": "EarlyStopping", "monitor": "val_accuracy"}
    assert _monitor_findings(_fit_doc(["accuracy"], [early])) == []
    assert _monitor_findings(_fit_doc(["accuracy"], [early], validation_split=0.0)) == [
        ("KS412", "/fit/callbacks/0/monitor", "set `fit.validation_split` (e.g. 0.1): without validation data nothing `val_` is logged")
    ]
    assert _monitor_findings(_fit_doc(["acc"], [early])) == [("KS412", "/fit/callbacks/0/monitor", "did you mean 'val_acc'?")]
    named = [{"type": "TopKCategoricalAccuracy", "k": 3, "name": "top_3"}, {"type": "AUC"}, {"type": "AUC", "curve": "PR"}]
    for monitor in ("val_top_3", "auc", "val_auc_1", "loss", "val_loss"):
        assert _monitor_findings(_fit_doc(named, [{**early, "monitor": monitor}])) == [], monitor
    assert _monitor_findings(_fit_doc(named, [{**early, "monitor": "val_top_k_categorical_accuracy"}]))[0][0] == "KS412"
    plateau = {"type": "ReduceLROnPlateau", "monitor": "val_loss"}
    # ReduceLROnPlateau logs it, but in mode auto Keras 3.15 cannot tell its direction: fit raises.
    assert _monitor_findings(_fit_doc([], [plateau, {**early, "monitor": "learning_rate", "mode": "min"}])) == []
    assert _monitor_findings(_fit_doc([], [plateau, {**early, "monitor": "learning_rate"}])) == [
        ("KS412", "/fit/callbacks/1/monitor", "add `mode: min` or `mode: max` to the callback")
    ]
    assert _monitor_findings(_fit_doc([], [{**early, "monitor": "learning_rate"}]))[0][0] == "KS412"
    # The default monitor is val_loss: without validation data neither callback ever acts.
    assert [c for c, _, _ in _monitor_findings(_fit_doc([], [{"type": "EarlyStopping"}], validation_split=0.0))] == ["KS412"]
    # Not logged: a warning where Keras can tell the direction (it only warns), an error where it cannot (it raises).
    assert [d.severity for d in kerasspec.check(_fit_doc(["accuracy"], [early], validation_split=0.0)) if d.code == "KS412"] == ["warning"]
    assert [d.severity for d in kerasspec.check(_fit_doc([], [early])) if d.code == "KS412"] == ["error"]


def test_callbacks_the_optimizer_cannot_serve() -> None:
    schedule = {"type": "ExponentialDecay", "initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.9}
    plateau = {"type": "ReduceLROnPlateau", "monitor": "loss"}
    doc = _fit_doc([], [plateau], optimizer={"type": "Adam", "learning_rate": schedule})
    assert _monitor_findings(doc) == [("KS211", "/fit/callbacks/0", "use a fixed learning_rate with ReduceLROnPlateau, or the schedule alone")]
    assert _monitor_findings(_fit_doc([], [plateau], optimizer={"type": "Adam", "learning_rate": 0.01})) == []
    swap = {"type": "SwapEMAWeights"}
    assert [c for c, _, _ in _monitor_findings(_fit_doc([], [swap]))] == ["KS211"]
    assert _monitor_findings(_fit_doc([], [swap], optimizer={"type": "Adam", "use_ema": True})) == []
    lso = {"type": "LossScaleOptimizer", "inner_optimizer": {"type": "SGD", "use_ema": True}}
    assert _monitor_findings(_fit_doc([], [swap], optimizer=lso)) == []
    assert _monitor_findings(_fit_doc([], [swap], validation_split=0.0)) == []  # nothing to swap for


def test_callbacks_refused_with_the_reason() -> None:
    for kind, code in (("ModelCheckpoint", "KS206"), ("LearningRateScheduler", "KS206"), ("EarlyStoping", "KS206")):
        doc = _fit_doc([], [{"type": kind}])
        diags = [d for d in kerasspec.check(doc) if d.severity == "error"]
        assert [(d.code, d.path) for d in diags] == [(code, "/fit/callbacks/0/type")]
        assert diags[0].hint
    assert "EarlyStopping" in (next(d for d in kerasspec.check(_fit_doc([], [{"type": "EarlyStoping"}]))).hint or "")
    diags = kerasspec.check(_fit_doc([], ["EarlyStopping"]))
    assert [(d.code, d.path, d.hint) for d in diags if d.severity == "error"] == [("KS203", "/fit/callbacks/0", "write `{type: EarlyStopping}`")]


@pytest.mark.keras
@pytest.mark.slow
def test_history_keys_are_what_fit_logs() -> None:
    pytest.importorskip("keras")
    from kerasspec.build import import_keras, make_callbacks, make_metrics

    metrics = ["acc", "MSE", {"type": "TopKCategoricalAccuracy", "k": 2, "name": "top2"}, {"type": "AUC"},
               {"type": "AUC", "curve": "PR"}, {"type": "Precision"}, {"type": "F1Score", "average": "macro"},
               {"type": "PrecisionAtRecall", "recall": 0.5}, {"type": "LogCoshError"}]  # fmt: skip
    callbacks = [{"type": "ReduceLROnPlateau", "monitor": "val_auc_1", "patience": 0}, {"type": "TerminateOnNaN"}]
    doc = _fit_doc(metrics, callbacks)
    model = kerasspec.build_model(doc)
    spec = kerasspec.load_spec(doc)
    history = model.fit(_X, _Y, epochs=2, verbose=0, validation_split=0.25, callbacks=make_callbacks(spec.fit, import_keras()))
    assert sorted(history.history) == sorted(history_keys(spec) or [])
    keras = import_keras()
    for _ in range(2):  # names do not depend on what the session built before
        made = make_metrics(spec.compile, keras)  # type: ignore[arg-type]
        assert [m if isinstance(m, str) else m.name for m in made] == S.metric_names(spec.compile)  # type: ignore[arg-type]


@pytest.mark.keras
@pytest.mark.slow
def test_train_runs_the_callbacks(tmp_path: Path) -> None:
    pytest.importorskip("keras")
    rng = np.random.default_rng(0)
    data = tmp_path / "tiny.npz"
    x = rng.random((64, 6), dtype="float32")
    y = (x.sum(axis=1) > 3).astype("int64")
    np.savez(data, x_train=x, y_train=y, x_test=x[:16], y_test=y[:16])
    doc = {
        "input_shape": [6],
        "layers": [{"type": "Dense", "units": 2, "activation": "softmax"}],
        "compile": {"optimizer": {"type": "SGD", "learning_rate": 0.0}, "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
        "fit": {"epochs": 30, "batch_size": 16, "validation_split": 0.25,
                "callbacks": [{"type": "EarlyStopping", "monitor": "val_loss", "patience": 1}]},
        "data": {"dataset": str(data), "num_classes": 2},
    }  # fmt: skip
    result = kerasspec.train(doc, run_dir=tmp_path / "run", verbose=0, log=lambda *a: None)
    # A learning rate of 0 never improves val_loss: EarlyStopping ends the run after patience + 1 epochs.
    assert len(result.history["loss"]) == 2 and result.epochs_run == 2
    assert math.isfinite(result.history["val_loss"][-1])


@pytest.mark.parametrize(
    ("field", "name", "hint"),
    [
        ("kernel_initializer", "constant", "there is no name for Constant: write the object `{type: Constant, value: 0.5}`"),
        ("optimizer", "lamb", "there is no name for Lamb: write the object `{type: Lamb}`"),
        ("metrics", "iou", "there is no name for IoU: write the object `{type: IoU, num_classes: 3, target_class_ids: [0]}`"),
        ("metrics", "f1score", "did you mean 'F1Score'?"),
        ("loss", "ctc", "CTC is left out: it takes label sequences with their lengths, not one label per output"),
        ("loss", "hubber", "did you mean 'huber'?"),
    ],
)
def test_a_name_keras_cannot_make_says_what_to_write(field: str, name: str, hint: str | None) -> None:
    doc, at = _doc(field, name)
    diags = [d for d in kerasspec.check(doc) if d.severity == "error"]
    assert [(d.path, d.hint) for d in diags] == [("".join(f"/{p}" for p in at), hint)]


# --------------------------------------------------------------------------- how an object's type is read


def _found(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(d.code, d.path, d.message) for d in kerasspec.check(doc) if d.severity == "error"]


def test_a_type_that_is_not_a_string_is_named_at_the_type() -> None:
    doc = {**BASE, "layers": [{"type": "Dense", "units": 3, "kernel_initializer": {"type": None}}]}
    assert _found(doc) == [("KS206", "/layers/0/kernel_initializer/type", "the initializer `type` must be a string, got null")]
    doc = {**BASE, "layers": [{"type": ["Dense"], "units": 3}]}
    assert _found(doc) == [("KS202", "/layers/0/type", "the layer `type` must be a string, got a list")]


def test_a_missing_type_lists_the_classes_and_an_excluded_one_says_why() -> None:
    fit = {"callbacks": [{"patience": 3}, {"type": "CSVLogger"}, "early_stopping"]}
    found = kerasspec.check({**BASE, "compile": {"loss": "mse"}, "fit": fit})
    by_path = {d.path: d for d in found}
    missing = by_path["/fit/callbacks/0"]
    assert missing.code == "KS204" and missing.hint == "add `type: ...`, one of EarlyStopping, ReduceLROnPlateau, TerminateOnNaN, SwapEMAWeights"
    excluded = by_path["/fit/callbacks/1/type"]
    assert excluded.message == "callback type 'CSVLogger' is not part of the spec language"
    assert excluded.hint == "CSVLogger is left out: " + dict(S.CALLBACKS.excluded)["CSVLogger"]
    name = by_path["/fit/callbacks/2"]
    assert name.code == "KS203" and "expected a callback object" in name.message and name.hint == "write `{type: EarlyStopping}`"


def test_an_object_of_another_family_is_refused() -> None:
    # The Python API may pass objects validated before: a regularizer is no optimizer.
    l2 = objects.REGULARIZERS.parse_object({"type": "L2"})
    with pytest.raises(ValueError, match="expected an optimizer, got L2 object"):
        S.Compile(optimizer=l2, loss="mse")
    adam = objects.OPTIMIZERS.parse_object({"type": "Adam"})
    assert S.Compile(optimizer=adam, loss="mse").optimizer is adam


@pytest.mark.keras
def test_every_activation_name_is_callable_the_way_a_layer_calls_it() -> None:
    keras = pytest.importorskip("keras")
    x = keras.ops.ones((2, 4))
    for name in names.ACTIVATIONS:
        shape = tuple(keras.activations.get(name)(x).shape)
        assert shape == ((2, 2) if name in names.HALVING_ACTIVATIONS else (2, 4)), name
    for name in names.UNCALLABLE_ACTIVATIONS:
        with pytest.raises(TypeError):  # threshold() missing 2 required positional arguments
            keras.activations.get(name)(x)


def test_an_activation_keras_cannot_call_by_name_is_refused() -> None:
    assert "threshold" not in names.ACTIVATIONS
    for name in names.UNCALLABLE_ACTIVATIONS:
        doc = {"input_shape": [4], "layers": [{"type": "Dense", "units": 3, "activation": name}, {"type": "Activation", "activation": name}]}
        assert _errors(doc) == [("KS207", "/layers/0/activation"), ("KS207", "/layers/1/activation")]


def test_a_mapping_keeps_the_class_name_its_other_name_stands_for() -> None:
    from kerasspec.spec import Spec

    spec = Spec.model_validate({"input_shape": [4], "layers": [{"type": "Dense", "units": 3,
        "kernel_regularizer": {"type": "l2", "l2": 1e-4}, "kernel_initializer": {"type": "he_normal", "seed": 1}}],
        "compile": {"optimizer": {"type": "ADAM", "learning_rate": 0.01}, "loss": "mse", "metrics": [{"type": "mse"}]}})  # fmt: skip
    layer = spec.model_dump(exclude_defaults=True)["layers"][0]
    assert layer["kernel_regularizer"] == {"type": "L2", "l2": 1e-4}
    assert layer["kernel_initializer"] == {"type": "HeNormal", "seed": 1}
    assert spec.compile is not None and spec.compile.optimizer.type == "Adam"
    assert spec.compile.metrics[0].type == "MeanSquaredError"


def test_an_unknown_mapping_name_suggests_the_class() -> None:
    doc = {**BASE, "layers": [{**BASE["layers"][0], "kernel_regularizer": {"type": "l1_l2", "l1": 0.01}}]}
    assert [d.hint for d in kerasspec.check(doc) if d.code == "KS206"] == ["did you mean 'L1L2'?"]
    doc = {**BASE, "compile": {"loss": {"type": "categorical_crossentropy", "label_smoothing": 0.1}}}
    hint = next(d.hint for d in kerasspec.check(doc) if d.code == "KS209")
    assert hint is not None and "{type: CategoricalCrossentropy, ...}" in hint
