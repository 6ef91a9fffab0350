"""Every KS2xx branch of validate.py's error conversion as a table row (issue #13, point 3).

A row is a spec, the one structural finding it must give (code and path: no
other KS1xx/KS2xx finding may come with it), a fragment of the message, and what
the hint must say (a fragment, ``None`` for no hint). The rows state what a user
sees, not how pydantic reports it: they hold whatever validates the fields.
Rows whose id starts with ``object:`` are about compile objects (optimizers,
losses, metrics, schedules, callbacks) and initializer/regularizer/constraint
objects.
"""

from __future__ import annotations

from typing import Any

import pytest

import kerasspec
from kerasspec.diagnostics import Diagnostic, Severity

DENSE = {"type": "Dense", "units": 2}
CONV1 = {"type": "Conv1D", "filters": 2, "kernel_size": 2}
MSE = {"loss": "mse"}


def spec(*layers: Any, input_shape: Any = (8,), **top: Any) -> dict[str, Any]:
    return {"input_shape": list(input_shape), "layers": list(layers) or [DENSE], **top}


def dense(**fields: Any) -> dict[str, Any]:
    return {**DENSE, **fields}


def conv1(**fields: Any) -> dict[str, Any]:
    return {**CONV1, **fields}


def structural(source: Any) -> list[Diagnostic]:
    return [d for d in kerasspec.check(source) if d.code.startswith(("KS1", "KS2"))]


#: (id, spec, code, path, message fragment, hint fragment or None for no hint)
ROWS: list[tuple[str, Any, str, str, str, str | None]] = [
    # ---- KS202: an unknown layer type; its message is the whole finding
    ("KS202 unknown layer", spec({"type": "Dense2", "units": 2}), "KS202", "/layers/0/type", "unknown layer type 'Dense2'", "did you mean 'Dense'?"),
    ("KS202 wrong case", spec({"type": "dense", "units": 2}), "KS202", "/layers/0/type", "'dense'", "did you mean 'Dense'?"),
    ("KS202 not a string", spec({"type": 3, "units": 2}), "KS202", "/layers/0/type", "the layer `type` must be a string, got 3", "write the Keras class name"),
    # ---- codes of kerasspec's own checks keep their code; the message names where
    ("KS207 own check, named field", spec(dense(activation="rellu")), "KS207", "/layers/0/activation", "Dense 'activation': unknown activation 'rellu'", "did you mean 'relu'?"),
    ("KS207 nested block", spec({"type": "Sequential", "layers": [dense(activation="rellu")]}), "KS207", "/layers/0/layers/0/activation", "Dense 'activation'", "'relu'"),
    ("KS204 own check at a list item", spec({"units": 2}), "KS204", "/layers/0", "layers[0]: layer has no 'type'", "add `type: ...`"),
    ("object: KS208 optimizer name", spec(compile={"optimizer": "adamm", "loss": "mse"}), "KS208", "/compile/optimizer", "compile 'optimizer': unknown optimizer 'adamm'", "did you mean 'adam'?"),
    ("object: KS209 loss name", spec(compile={"loss": "mse2"}), "KS209", "/compile/loss", "compile 'loss': unknown loss 'mse2'", "did you mean 'mse'?"),
    ("object: KS210 metric name at an index", spec(compile={"loss": "mse", "metrics": ["mae", "acuracy"]}), "KS210", "/compile/metrics/1", "compile 'metrics[1]': unknown metric 'acuracy'", "did you mean 'accuracy'?"),
    ("object: KS206 initializer name", spec(dense(kernel_initializer="glorot_unifrm")), "KS206", "/layers/0/kernel_initializer", "Dense 'kernel_initializer': unknown initializer 'glorot_unifrm'", "did you mean 'glorot_uniform'?"),
    ("object: KS206 regularizer name", spec(dense(kernel_regularizer="L2x")), "KS206", "/layers/0/kernel_regularizer", "unknown regularizer 'L2x'", "did you mean 'l2'?"),
    ("object: KS206 constraint name", spec(dense(kernel_constraint="max_norn")), "KS206", "/layers/0/kernel_constraint", "unknown constraint 'max_norn'", "did you mean 'max_norm'?"),
    ("KS206 dataset", spec(data={"dataset": "mnsit"}), "KS206", "/data/dataset", "unknown dataset 'mnsit'", "did you mean 'mnist'?"),
    # ---- KS201: unknown fields, at the key; did you mean, else the fields the owner takes
    ("KS201 spec, did you mean", spec(complie=MSE), "KS201", "/complie", "unknown field 'complie' in spec", "did you mean 'compile'?"),
    ("KS201 spec, the fields it takes", spec(zzzzzzz=1), "KS201", "/zzzzzzz", "unknown field 'zzzzzzz' in spec", "spec takes: $schema, compile, data, fit, input_shape, layers, name, tune"),
    ("KS201 layer, did you mean", spec(conv1(kernal_siz=2), input_shape=(8, 1)), "KS201", "/layers/0/kernal_siz", "unknown field 'kernal_siz' in Conv1D", "did you mean 'kernel_size'?"),
    ("KS201 layer, the fields it takes", spec(dense(zzzzzzz=1)), "KS201", "/layers/0/zzzzzzz", "unknown field 'zzzzzzz' in Dense", "Dense takes: activation, activity_regularizer, bias_constraint"),
    ("KS201 wrapped layer", spec({"type": "TimeDistributed", "layer": {"type": "Dense", "unitz": 2}}, input_shape=(3, 4)), "KS201", "/layers/0/layer/unitz", "unknown field 'unitz' in Dense", "did you mean 'units'?"),
    ("KS201 nested block layer", spec({"type": "Sequential", "layers": [{"type": "Dense", "unitz": 2}]}), "KS201", "/layers/0/layers/0/unitz", "in Dense", "did you mean 'units'?"),
    ("KS201 compile", spec(compile={"loss": "mse", "metric": ["mae"]}), "KS201", "/compile/metric", "unknown field 'metric' in compile", "did you mean 'metrics'?"),
    ("KS201 fit", spec(fit={"epoch": 3}), "KS201", "/fit/epoch", "unknown field 'epoch' in fit", "did you mean 'epochs'?"),
    ("KS201 data", spec(data={"dataset": "mnist", "label": "sparse"}), "KS201", "/data/label", "unknown field 'label' in data", "did you mean 'labels'?"),
    ("object: KS201 initializer, did you mean", spec(dense(kernel_initializer={"type": "GlorotUniform", "sed": 1})), "KS201", "/layers/0/kernel_initializer/sed", "unknown field 'sed' in GlorotUniform", "did you mean 'seed'?"),
    ("object: KS201 initializer, the fields it takes", spec(dense(kernel_initializer={"type": "GlorotUniform", "zzzzzz": 1})), "KS201", "/layers/0/kernel_initializer/zzzzzz", "in GlorotUniform", "GlorotUniform takes: "),
    ("object: KS201 regularizer", spec(dense(kernel_regularizer={"type": "L2", "l3": 1})), "KS201", "/layers/0/kernel_regularizer/l3", "unknown field 'l3' in L2", "L2 takes: l2, type"),
    ("object: KS201 optimizer", spec(compile={"optimizer": {"type": "Adam", "learning_rat": 0.1}, "loss": "mse"}), "KS201", "/compile/optimizer/learning_rat", "unknown field 'learning_rat' in Adam", "did you mean 'learning_rate'?"),
    ("object: KS201 loss", spec(compile={"loss": {"type": "Huber", "delt": 1.0}}), "KS201", "/compile/loss/delt", "unknown field 'delt' in Huber", "did you mean 'delta'?"),
    ("object: KS201 metric", spec(compile={"loss": "mse", "metrics": [{"type": "MeanIoU", "num_classes": 2, "nam": "x"}]}), "KS201", "/compile/metrics/0/nam", "unknown field 'nam' in MeanIoU", "did you mean 'name'?"),
    ("object: KS201 schedule", spec(compile={"loss": "mse", "optimizer": {"type": "SGD", "learning_rate": {"type": "ExponentialDecay", "initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.9, "staircas": True}}}), "KS201", "/compile/optimizer/learning_rate/staircas", "in ExponentialDecay", "did you mean 'staircase'?"),
    ("object: KS201 callback", spec(compile=MSE, fit={"callbacks": [{"type": "EarlyStopping", "patiense": 2}]}), "KS201", "/fit/callbacks/0/patiense", "unknown field 'patiense' in EarlyStopping", "did you mean 'patience'?"),
    # ---- KS204: missing fields (the misspelt one is KS201 alone)
    ("KS204 layer field", spec({"type": "Dense"}), "KS204", "/layers/0/units", "Dense is missing required field 'units'", "add `units: ...` to Dense"),
    ("KS204 misspelt is reported once", spec({"type": "Dense", "unit": 2}), "KS201", "/layers/0/unit", "unknown field 'unit' in Dense", "did you mean 'units'?"),
    ("KS204 spec field", {"input_shape": [8]}, "KS204", "/layers", "spec is missing required field 'layers'", "add `layers: ...` to spec"),
    ("KS204 nested block field", spec({"type": "Sequential", "layers": [{"type": "Dense"}]}), "KS204", "/layers/0/layers/0/units", "Dense is missing required field 'units'", "add `units: ...`"),
    ("object: KS204 metric field", spec(compile={"loss": "mse", "metrics": [{"type": "MeanIoU"}]}), "KS204", "/compile/metrics/0/num_classes", "MeanIoU is missing required field 'num_classes'", "add `num_classes: ...` to MeanIoU"),
    ("object: KS204 optimizer field", spec(compile={"optimizer": {"type": "LossScaleOptimizer"}, "loss": "mse"}), "KS204", "/compile/optimizer/inner_optimizer", "LossScaleOptimizer is missing required field 'inner_optimizer'", "add `inner_optimizer: ...`"),
    # ---- objects without a type, or with an unknown one
    ("object: KS204 initializer without type", spec(dense(kernel_initializer={"seed": 1})), "KS204", "/layers/0/kernel_initializer", "initializer has no 'type'", "add `type: ...`, one of "),
    ("object: KS204 optimizer without type", spec(compile={"optimizer": {"learning_rate": 0.1}, "loss": "mse"}), "KS204", "/compile/optimizer", "optimizer has no 'type'", "one of SGD, Adam"),
    ("object: KS204 loss without type", spec(compile={"loss": {"from_logits": True}}), "KS204", "/compile/loss", "loss has no 'type'", "add `type: ...`, one of "),
    ("object: KS204 metric without type", spec(compile={"loss": "mse", "metrics": [{"name": "x"}]}), "KS204", "/compile/metrics/0", "metric has no 'type'", "add `type: ...`, one of "),
    ("object: KS204 callback without type", spec(compile=MSE, fit={"callbacks": [{"patience": 2}]}), "KS204", "/fit/callbacks/0", "callback has no 'type'", "one of EarlyStopping"),
    ("object: KS208 optimizer type", spec(compile={"optimizer": {"type": "Adamm"}, "loss": "mse"}), "KS208", "/compile/optimizer/type", "unknown optimizer type 'Adamm'", "did you mean 'Adam'?"),
    ("object: KS209 loss type", spec(compile={"loss": {"type": "BinaryCrossentropie"}}), "KS209", "/compile/loss/type", "unknown loss type 'BinaryCrossentropie'", "did you mean 'BinaryCrossentropy'?"),
    ("object: KS210 metric type", spec(compile={"loss": "mse", "metrics": [{"type": "Acuracy"}]}), "KS210", "/compile/metrics/0/type", "unknown metric type 'Acuracy'", "did you mean 'Accuracy'?"),
    ("object: KS206 initializer type", spec(dense(kernel_initializer={"type": "GlorotUnifrm"})), "KS206", "/layers/0/kernel_initializer/type", "unknown initializer type 'GlorotUnifrm'", "did you mean 'GlorotUniform'?"),
    ("object: KS206 constraint type", spec(dense(kernel_constraint={"type": "MaxNorn"})), "KS206", "/layers/0/kernel_constraint/type", "unknown constraint type 'MaxNorn'", "did you mean 'MaxNorm'?"),
    ("object: KS206 callback type", spec(compile=MSE, fit={"callbacks": [{"type": "EarlyStoping"}]}), "KS206", "/fit/callbacks/0/type", "unknown callback type 'EarlyStoping'", "did you mean 'EarlyStopping'?"),
    ("object: KS206 schedule type", spec(compile={"loss": "mse", "optimizer": {"type": "SGD", "learning_rate": {"type": "ExponentialDecai"}}}), "KS206", "/compile/optimizer/learning_rate/type", "unknown learning-rate schedule type 'ExponentialDecai'", "did you mean 'ExponentialDecay'?"),
    ("object: KS206 type far from any", spec(dense(kernel_initializer={"type": "Qqqqqqqq"})), "KS206", "/layers/0/kernel_initializer/type", "unknown initializer type 'Qqqqqqqq'", None),
    # ---- KS206: one of the allowed values
    ("KS206 literal", spec(conv1(padding="sme"), input_shape=(8, 1)), "KS206", "/layers/0/padding", "Conv1D 'padding': 'sme' is not one of valid, same, causal", "did you mean 'same'?"),
    ("KS206 literal far from any", spec(conv1(padding="zzzzz"), input_shape=(8, 1)), "KS206", "/layers/0/padding", "'zzzzz' is not one of", None),
    ("KS206 data labels", spec(data={"dataset": "mnist", "labels": "onehot"}), "KS206", "/data/labels", "data 'labels': 'onehot' is not one of sparse, one_hot", "did you mean 'one_hot'?"),
    ("KS206 data task", spec(data={"dataset": "mnist", "task": "clasification"}), "KS206", "/data/task", "is not one of classification, binary", "did you mean 'classification'?"),
    ("object: KS206 initializer literal", spec(dense(kernel_initializer={"type": "VarianceScaling", "mode": "fan_inn"})), "KS206", "/layers/0/kernel_initializer/mode", "VarianceScaling 'mode': 'fan_inn' is not one of fan_in, fan_out, fan_avg", "did you mean 'fan_in'?"),
    ("object: KS206 callback literal", spec(compile=MSE, fit={"callbacks": [{"type": "EarlyStopping", "mode": "mx"}]}), "KS206", "/fit/callbacks/0/mode", "EarlyStopping 'mode': 'mx' is not one of auto, min, max", "did you mean 'max'?"),
    ("KS203 literal of the wrong type", spec(conv1(padding=3), input_shape=(8, 1)), "KS203", "/layers/0/padding", "Conv1D 'padding': expected a string, got 3", None),
    # ---- KS206: names TensorFlow refuses, with a safe replacement
    ("KS206 name with a space", spec(dense(name="my layer")), "KS206", "/layers/0/name", "Dense 'name': string 'my layer' is not a name TensorFlow accepts", "use 'my_layer'"),
    ("KS206 name with an accent", spec(dense(name="café")), "KS206", "/layers/0/name", "is not a name TensorFlow accepts", "use 'cafe'"),
    ("KS206 name with ':' and '/'", spec(dense(name="a:b/c")), "KS206", "/layers/0/name", "a:b/c", "use 'a_b_c'"),
    ("KS206 name with nothing left", spec(dense(name="日本")), "KS206", "/layers/0/name", "is not a name TensorFlow accepts", "use 'layer'"),
    # ---- KS205: ranges, with a fraction hint for the fractions
    ("KS205 >=", spec({"type": "Dense", "units": 0}), "KS205", "/layers/0/units", "Dense 'units' must be >= 1, got 0", "set 'units' to a value >= 1"),
    ("KS205 <= on a fraction", spec({"type": "Dropout", "rate": 2}), "KS205", "/layers/0/rate", "Dropout 'rate' must be <= 1.0, got 2", "'rate' is a fraction: 0.5 means 50%"),
    ("KS205 >= on a fraction", spec({"type": "Dropout", "rate": -0.5}), "KS205", "/layers/0/rate", "must be >= 0.0, got -0.5", "set 'rate' to a value >= 0.0"),
    ("KS205 < on validation_split", spec(fit={"validation_split": 5}), "KS205", "/fit/validation_split", "fit 'validation_split' must be < 1.0, got 5", "'validation_split' is a fraction"),
    ("KS205 validation_split of exactly 1", spec(fit={"validation_split": 1}), "KS205", "/fit/validation_split", "must be < 1.0, got 1", "set 'validation_split' to a value < 1.0"),
    ("object: KS205 > on a schedule", spec(compile={"loss": "mse", "optimizer": {"type": "SGD", "learning_rate": {"type": "ExponentialDecay", "initial_learning_rate": 0.1, "decay_steps": 0, "decay_rate": 0.9}}}), "KS205", "/compile/optimizer/learning_rate/decay_steps", "ExponentialDecay 'decay_steps' must be > 0.0, got 0", "set 'decay_steps' to a value > 0.0"),
    ("object: KS205 > on an initializer", spec(dense(kernel_initializer={"type": "VarianceScaling", "scale": 0})), "KS205", "/layers/0/kernel_initializer/scale", "VarianceScaling 'scale' must be > 0.0, got 0", "set 'scale' to a value > 0.0"),
    ("KS205 positive_class", spec(data={"dataset": "mnist", "task": "binary", "positive_class": -1}), "KS205", "/data/positive_class", "data 'positive_class' must be >= 0, got -1", "set 'positive_class' to a value >= 0"),
    ("KS205 item of a list", spec(conv1(kernel_size=[0]), input_shape=(8, 1)), "KS205", "/layers/0/kernel_size", "Conv1D 'kernel_size': every value must be >= 1, got 0", None),
    ("KS205 list too short", {"input_shape": [8], "layers": []}, "KS205", "/layers", "spec 'layers' needs at least 1 item, got 0", None),
    ("KS205 too many values", spec(conv1(kernel_size=[2, 2]), input_shape=(8, 1)), "KS205", "/layers/0/kernel_size", "expected 1 values, got 2", None),
    ("KS205 too few values", spec({"type": "Conv2D", "filters": 2, "kernel_size": [2]}, input_shape=(8, 8, 1)), "KS205", "/layers/0/kernel_size", "expected 2 values, got 1", None),
    ("KS205 empty input shape", {"input_shape": [], "layers": [DENSE]}, "KS205", "/input_shape", "a shape needs at least one dimension", None),
    ("KS205 zero dimension", {"input_shape": [0], "layers": [DENSE]}, "KS205", "/input_shape", "dimension sizes must be positive", None),
    # ---- KS203: wrong types, each with the hint its case selects
    ("KS203 string number for an int", spec({"type": "Dense", "units": "2"}), "KS203", "/layers/0/units", "Dense 'units': expected an integer, got string '2'", "write 2 without quotes: kerasspec does not convert strings to numbers"),
    ("KS203 string number for a float", spec({"type": "Dropout", "rate": "0.5"}), "KS203", "/layers/0/rate", "expected a number, got string '0.5'", "write 0.5 without quotes"),
    ("KS203 word for an int", spec({"type": "Dense", "units": "two"}), "KS203", "/layers/0/units", "expected an integer, got string 'two'", None),
    ("KS203 fraction for an int", spec({"type": "Dense", "units": 2.5}), "KS203", "/layers/0/units", "expected an integer, got 2.5", "'units' takes a whole number, e.g. 2"),
    ("KS203 whole float for an int", spec({"type": "Dense", "units": 2.0}), "KS203", "/layers/0/units", "expected an integer, got 2.0", "'units' takes a whole number, e.g. 2"),
    ("KS203 bool for an int", spec({"type": "Dense", "units": True}), "KS203", "/layers/0/units", "expected an integer, got true", "true/false is not a number here"),
    ("KS203 bool for a float", spec({"type": "Dropout", "rate": False}), "KS203", "/layers/0/rate", "expected a number, got false", "true/false is not a number here"),
    ("KS203 null for an int", spec({"type": "Dense", "units": None}), "KS203", "/layers/0/units", "expected an integer, got null", None),
    ("KS203 string for a bool", spec(dense(use_bias="true")), "KS203", "/layers/0/use_bias", "Dense 'use_bias': expected true or false, got string 'true'", "write true or false without quotes"),
    ("KS203 int for a bool", spec(dense(use_bias=1)), "KS203", "/layers/0/use_bias", "expected true or false, got 1", None),
    ("KS203 YAML 1.1 'no' for a bool", "input_shape: [8]\nlayers:\n  - {type: Dense, units: 2, use_bias: no}\n", "KS203", "/layers/0/use_bias", "got string 'no'", "write true or false without quotes"),
    ("KS203 int for a string", spec(name=3), "KS203", "/name", "spec 'name': expected a string, got 3", None),
    ("KS203 layer written as its class name", spec("Dense"), "KS203", "/layers/0", "layers[0]: expected a layer (a mapping with `type`), got string 'Dense'", "write `{type: Dense}`"),
    ("KS203 layer written in lower case", spec("dense"), "KS203", "/layers/0", "got string 'dense'", None),
    ("KS203 mapping for a list", {"input_shape": [8], "layers": DENSE}, "KS203", "/layers", "spec 'layers': expected a list, got a mapping", "write a list: [{...}]"),
    ("KS203 string for a list", {"input_shape": [8], "layers": "Dense"}, "KS203", "/layers", "expected a list, got string 'Dense'", "write a list: [Dense]"),
    ("KS203 int for a list", spec(fit={"callbacks": 3}, compile=MSE), "KS203", "/fit/callbacks", "fit 'callbacks': expected a list, got 3", None),
    ("KS203 list for an int", spec(fit={"epochs": [1]}), "KS203", "/fit/epochs", "fit 'epochs': expected an integer, got a list", None),
    ("KS203 string for a section", spec(compile="adam"), "KS203", "/compile", "'compile': expected a mapping, got string 'adam'", "'compile' is a mapping of: optimizer, loss, metrics"),
    ("KS203 the whole spec a list", "- 1\n", "KS203", "", "spec: expected a mapping, got a list", None),
    ("KS203 the whole spec a number", "3\n", "KS203", "", "spec: expected a mapping, got 3", None),
    ("object: KS203 metric not a name", spec(compile={"loss": "mse", "metrics": [3]}), "KS203", "/compile/metrics/0", "compile 'metrics[0]': expected metric name (a string), got 3", None),
    ("object: KS203 metrics a mapping", spec(compile={"loss": "mse", "metrics": {"type": "MeanAbsoluteError"}}), "KS203", "/compile/metrics", "compile 'metrics': expected a list, got a mapping", "write a list: [{...}]"),
    ("object: KS203 metrics a string", spec(compile={"loss": "mse", "metrics": "accuracy"}), "KS203", "/compile/metrics", "expected a list, got string 'accuracy'", "write a list: [accuracy]"),
    ("object: KS203 callback as its class name", spec(compile=MSE, fit={"callbacks": ["EarlyStopping"]}), "KS203", "/fit/callbacks/0", "fit 'callbacks[0]': expected a callback object (a mapping with `type`), got string 'EarlyStopping'", "write `{type: EarlyStopping}`"),
    ("object: KS203 initializer number", spec(dense(bias_initializer=3)), "KS203", "/layers/0/bias_initializer", "Dense 'bias_initializer': expected initializer name (a string), got 3", None),
    ("object: KS203 regularizer list", spec(dense(kernel_regularizer=[3])), "KS203", "/layers/0/kernel_regularizer", "expected regularizer name (a string), got a list", None),
    ("object: KS203 initializer argument", spec(dense(kernel_initializer={"type": "Orthogonal", "gain": "1"})), "KS203", "/layers/0/kernel_initializer/gain", "Orthogonal 'gain': expected a number, got string '1'", "write 1 without quotes"),
    ("object: KS203 initializer argument, word", spec(dense(kernel_initializer={"type": "RandomNormal", "stddev": "x"})), "KS203", "/layers/0/kernel_initializer/stddev", "RandomNormal 'stddev': expected a number, got string 'x'", None),
    ("object: KS203 constraint argument", spec(dense(kernel_constraint={"type": "MaxNorm", "max_value": "2"})), "KS203", "/layers/0/kernel_constraint/max_value", "MaxNorm 'max_value': expected a number", "write 2 without quotes"),
    ("object: KS203 loss argument", spec(compile={"loss": {"type": "Huber", "delta": "1"}}), "KS203", "/compile/loss/delta", "Huber 'delta': expected a number, got string '1'", "write 1 without quotes"),
    ("object: KS203 optimizer argument", spec(compile={"loss": "mse", "optimizer": {"type": "Adam", "beta_1": "0.9"}}), "KS203", "/compile/optimizer/beta_1", "Adam 'beta_1': expected a number, got string '0.9'", "write 0.9 without quotes"),
    ("object: KS203 optimizer learning rate", spec(compile={"loss": "mse", "optimizer": {"type": "Adam", "learning_rate": "0.1"}}), "KS203", "/compile/optimizer/learning_rate", "Adam 'learning_rate'", None),
    # ---- smart unions: the branch that fits the value's kind explains it
    ("union: a list for int | list[int]", spec({"type": "LayerNormalization", "axis": [[1]]}), "KS203", "/layers/0/axis/0", "LayerNormalization: expected an integer, got a list", None),
    ("union: a word for int | list[int]", spec({"type": "LayerNormalization", "axis": "x"}), "KS203", "/layers/0/axis", "LayerNormalization 'axis': expected an integer, got string 'x'", None),
    ("union: a mapping for name | object", spec(dense(kernel_regularizer={"type": "L2", "l2": "x"})), "KS203", "/layers/0/kernel_regularizer/l2", "L2 'l2': expected a number", None),
    ("union: a scalar for name | object", spec(dense(kernel_regularizer=3)), "KS203", "/layers/0/kernel_regularizer", "expected regularizer name (a string), got 3", None),
    # ---- Keras 2 and Python habits (red team): what to write instead (each refused by Keras 3.15)
    ("KS203 input_shape an int", {"input_shape": 784, "layers": [DENSE]}, "KS203", "/input_shape", "expected a list of dimension sizes, got 784", "write a list: [784]"),
    ("KS203 first layer's input_shape an int", {"layers": [dense(input_shape=784)]}, "KS203", "/layers/0/input_shape", "got 784", "write a list: [784]"),
    ("KS203 None in a shape", {"input_shape": ["None", 4], "layers": [DENSE]}, "KS203", "/input_shape", "got string 'None'", "write null for a size of any length, not None: `[null, 4]`"),
    ("KS201 batch_input_shape", {"layers": [{"type": "LSTM", "units": 8, "batch_input_shape": [32, 10, 1], "stateful": True}, DENSE]}, "KS201", "/layers/0/batch_input_shape", "unknown field 'batch_input_shape' in LSTM", "Keras 3 dropped `batch_input_shape`: write `input_shape: [10, 1]`, without the batch axis; a fixed batch size (a stateful RNN needs one) goes on a first Input layer: `{type: Input, shape: [10, 1], batch_size: 32}`"),
    ("KS201 batch_input_shape, any batch", {"layers": [{"type": "LSTM", "units": 8, "batch_input_shape": [None, 10, 1]}, DENSE]}, "KS201", "/layers/0/batch_input_shape", "in LSTM", "write `input_shape: [10, 1]`, without the batch axis"),
    ("KS201 batch_input_shape not a list", {"layers": [{"type": "LSTM", "units": 8, "batch_input_shape": 10}, DENSE]}, "KS201", "/layers/0/batch_input_shape", "in LSTM", "write `input_shape`, the shape of one sample without the batch axis"),
    ("KS201 batch_size on a layer", spec(dense(batch_size=32)), "KS201", "/layers/0/batch_size", "unknown field 'batch_size' in Dense", "Keras 3 takes a batch size on an Input layer only"),
    ("object: KS201 lr", spec(compile={"optimizer": {"type": "Adam", "lr": 0.001}, "loss": "mse"}), "KS201", "/compile/optimizer/lr", "unknown field 'lr' in Adam", "did you mean 'learning_rate'? (Keras 3 renamed `lr`)"),
    ("KS207 activation None", spec(dense(activation="None")), "KS207", "/layers/0/activation", "unknown activation 'None'", "write null (or leave `activation` out): YAML reads None as the string 'None'"),
    ("object: KS206 regularizer None", spec(dense(kernel_regularizer="None")), "KS206", "/layers/0/kernel_regularizer", "unknown regularizer 'None'", "write null (or leave `kernel_regularizer` out)"),
    ("KS203 None where null is refused", spec(dense(units="None")), "KS203", "/layers/0/units", "expected an integer, got string 'None'", None),
    ("KS203 a quotient for a number", spec({"type": "Rescaling", "scale": "1./255"}), "KS203", "/layers/0/scale", "got string '1./255'", "kerasspec does not evaluate expressions: write 0.00392156862745098"),
    ("KS203 a quotient for an integer", spec(dense(units="64/2")), "KS203", "/layers/0/units", "got string '64/2'", "kerasspec does not evaluate expressions: write 32"),
    ("KS203 a fractional quotient for an integer", spec(dense(units="64/3")), "KS203", "/layers/0/units", "got string '64/3'", None),
    ("KS203 another expression", spec(dense(units="2**8")), "KS203", "/layers/0/units", "got string '2**8'", None),
    ("object: KS203 a quotient for a float", spec(compile={"optimizer": {"type": "Adam", "learning_rate": "1/1000"}, "loss": "mse"}), "KS203", "/compile/optimizer/learning_rate", "got string '1/1000'", "write 0.001"),
    ("KS203 a tuple split in a flow mapping", "input_shape: [8, 8, 1]\nlayers:\n  - {type: Conv2D, filters: 2, kernel_size: (3, 3)}\n", "KS203", "/layers/0/kernel_size", "got string '(3'", "YAML split `(3, 3)` at its commas, which end an entry in `{...}`: write `kernel_size: [3, 3]`"),
    ("KS203 a 3-tuple split, a field after it", "input_shape: [4, 4, 4, 1]\nlayers:\n  - {type: Conv3D, filters: 2, kernel_size: (3, 3, 3), name: c}\n", "KS203", "/layers/0/kernel_size", "got string '(3'", "write `kernel_size: [3, 3, 3]`"),
    ("KS203 a shape split in a flow mapping", "layers:\n  - {type: Dense, units: 2, input_shape: (28, None, 1)}\n", "KS203", "/layers/0/input_shape", "got string '(28'", "write `input_shape: [28, null, 1]`"),
    # ---- what the loader reported is not reported again
    ("loader first: a duplicate key's value", "input_shape: [8]\nlayers:\n  - type: Dense\n    units: 2\n    units: x\n", "KS102", "/layers/0/units", "duplicate key 'units'", "keeps the first"),
    ("loader first: NaN for an int", "input_shape: [8]\nlayers:\n  - type: Dense\n    units: .nan\n", "KS107", "/layers/0/units", ".nan is not a finite number", "finite"),
    ("loader first: NaN in a list", "input_shape: [.nan]\nlayers:\n  - type: Dense\n    units: 2\n", "KS107", "/input_shape/0", ".nan", "finite"),
    ("loader first: a tagged list", "input_shape: [8]\nlayers: !!seq [1]\n", "KS103", "/layers", "YAML tag '!!seq'", "remove the tag"),
    ("loader first: a too-large int", "input_shape: [8]\nlayers:\n  - type: Dense\n    units: 99999999999999999999\n", "KS108", "/layers/0/units", "too large", "64-bit"),
]


@pytest.mark.parametrize(("name", "source", "code", "path", "fragment", "hint"), ROWS, ids=[r[0] for r in ROWS])
def test_field_branch(name: str, source: Any, code: str, path: str, fragment: str, hint: str | None) -> None:
    found = structural(source)
    assert [(d.code, d.path) for d in found] == [(code, path)], found
    d = found[0]
    assert d.severity is Severity.ERROR
    assert fragment in d.message, d.message
    if hint is None:
        assert d.hint is None, d.hint
    else:
        assert d.hint is not None and hint in d.hint, d.hint


def test_an_empty_spec(tmp_path: Any) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing yet\n")
    (d,) = kerasspec.check(path)  # a file: located at its start
    assert (d.code, d.path, d.line, d.column, d.file) == ("KS204", "", 1, 1, str(path))
    assert "the spec is empty: it needs at least `layers`" in d.message and d.hint and "input_shape" in d.hint
    (d,) = kerasspec.check("# nothing yet\n")  # text without a file or a position: nowhere
    assert (d.code, d.path, d.line, d.column) == ("KS204", "", None, None) and "the spec is empty" in d.message
    (d,) = kerasspec.check({})  # an empty mapping is not empty: it lacks `layers`
    assert (d.code, d.path) == ("KS204", "/layers") and "missing required field 'layers'" in d.message


#: Where each finding points in the text: an unknown field at its key, any other at its value.
POSITION_ROWS: list[tuple[str, str, str, int, int]] = [
    ("unknown field: the key", "input_shape: [8]\nlayers:\n  - type: Dense\n    units: 2\n    unitz: 3\n", "KS201", 5, 5),
    ("wrong type: the value", "input_shape: [8]\nlayers:\n  - type: Dense\n    units: '2'\n", "KS203", 4, 12),
    ("unknown type: the type's value", "input_shape: [8]\nlayers:\n  - type: Dense\n    units: 2\n    kernel_initializer: {type: Foo}\n", "KS206", 5, 32),
    ("missing field: the mapping", "input_shape: [8]\nlayers:\n  - type: Dense\n", "KS204", 3, 5),
    ("JSON", '{"input_shape": [8],\n "layers": [{"type": "Dense", "units": true}]}', "KS203", 2, 40),
]


@pytest.mark.parametrize(("name", "text", "code", "line", "column"), POSITION_ROWS, ids=[r[0] for r in POSITION_ROWS])
def test_field_position(name: str, text: str, code: str, line: int, column: int) -> None:
    found = structural(text)
    assert [(d.code, d.line, d.column) for d in found] == [(code, line, column)], found


def test_every_finding_once_in_one_pass() -> None:
    # Two errors at the same path and code are one finding; different paths are each reported.
    found = structural(spec(dense(units="2", use_bias="x", zzz=1, kernel_initializer={"type": "GlorotUniform", "sed": 1})))
    assert sorted((d.code, d.path) for d in found) == [
        ("KS201", "/layers/0/kernel_initializer/sed"),
        ("KS201", "/layers/0/zzz"),
        ("KS203", "/layers/0/units"),
        ("KS203", "/layers/0/use_bias"),
    ]
