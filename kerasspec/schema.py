"""The JSON Schema of the spec language, generated from the pydantic models.

The same text is committed as ``spec_schema/kerasspec.schema.json``; a test
keeps the two equal, so editors see exactly what ``check`` enforces.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from pydantic.json_schema import models_json_schema

from .layers import all_classes
from .layers.base import LAYER_REF
from .objects import ALL_FAMILIES, OBJECT_REF
from .space import allow_spaces
from .spec import Spec

SCHEMA_ID = "https://github.com/kerasspec/kerasspec/raw/main/spec_schema/kerasspec.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


#: Descriptions of fields that many classes share, for those without their own docstring.
FIELD_DOCS: dict[str, str] = {
    "type": "The Keras class this object stands for.",
    "name": "A name for this object; Keras generates one when it is left out.",
    "activation": "Activation function applied to the output (null means none: linear).",
    "use_bias": "Whether the layer adds a learned bias.",
    "kernel_initializer": "Initializer of the kernel weights.",
    "bias_initializer": "Initializer of the bias.",
    "depthwise_initializer": "Initializer of the depthwise kernel.",
    "pointwise_initializer": "Initializer of the pointwise kernel.",
    "kernel_regularizer": "Penalty on the kernel weights.",
    "bias_regularizer": "Penalty on the bias.",
    "activity_regularizer": "Penalty on the layer's output.",
    "recurrent_initializer": "Initializer of the recurrent kernel (state to state).",
    "recurrent_regularizer": "Penalty on the recurrent kernel.",
    "kernel_constraint": "Constraint applied to the kernel after each update (max_norm, non_neg, unit_norm...).",
    "recurrent_constraint": "Constraint applied to the recurrent kernel after each update.",
    "bias_constraint": "Constraint applied to the bias after each update.",
    "embeddings_initializer": "Initializer of the embedding table.",
    "embeddings_regularizer": "Penalty on the embedding table.",
    "embeddings_constraint": "Constraint applied to the embedding table after each update.",
    "layer": "The layer this wrapper holds: `{type: ..., ...}`.",
    "filters": "Number of output channels.",
    "kernel_size": "Size of the convolution window: an int for every axis, or one per axis.",
    "strides": "Step of the window: an int for every axis, or one per axis.",
    "dilation_rate": "Spacing between kernel elements (atrous convolution); > 1 needs strides of 1.",
    "groups": "Split the input channels into this many groups, each convolved separately.",
    "depth_multiplier": "Output channels per input channel of the depthwise step.",
    "output_padding": "Extra rows/columns added to one side of the output; each below its stride.",
    "pool_size": "Size of the pooling window: an int for every axis, or one per axis.",
    "data_format": "`channels_last` (batch, ..., channels) or `channels_first` (batch, channels, ...). Default: channels_last.",
    "keepdims": "Keep the pooled axes with size 1.",
    "rate": "Fraction of the inputs to drop, in [0, 1].",
    "seed": "Seed of the random generator.",
    "axis": "The axis (or axes) to normalize; -1 is the channels axis of channels_last data.",
    "momentum": "Momentum (moving averages for BatchNormalization; gradient momentum for optimizers).",
    "epsilon": "Small constant for numerical stability.",
    "center": "Learn an offset (beta).",
    "scale": "Learn a scale (gamma); for Rescaling, the factor inputs are multiplied by.",
    "rms_scaling": "Scale by the root mean square only (no centering).",
    "offset": "Added to the inputs after scaling.",
    "size": "Upsampling factor: an int for both axes, or [rows, cols].",
    "interpolation": "How new pixels are computed.",
    "learning_rate": "Step size of the optimizer.",
    "weight_decay": "Decoupled weight decay.",
    "clipnorm": "Clip each gradient to this norm.",
    "clipvalue": "Clip each gradient element to [-clipvalue, clipvalue].",
    "global_clipnorm": "Clip all gradients together to this global norm.",
    "nesterov": "Use Nesterov momentum.",
    "beta_1": "Decay rate of the first-moment estimates.",
    "beta_2": "Decay rate of the second-moment estimates.",
    "amsgrad": "Use the AMSGrad variant.",
    "rho": "Decay rate of the moving average of squared gradients.",
    "centered": "Normalize gradients by their estimated variance.",
    "initial_accumulator_value": "Starting value of the accumulators.",
    "from_logits": "True when predictions are logits (the model has no softmax/sigmoid on its output).",
    "label_smoothing": "Move labels this far towards uniform, in [0, 1].",
    "ignore_class": "A label value to leave out of the loss.",
    "apply_class_balancing": "Weight classes by `alpha`.",
    "alpha": "Class-balancing weight.",
    "gamma": "Focusing parameter: larger values down-weight easy examples.",
    "delta": "Where the Huber loss turns from quadratic to linear.",
    "threshold": "Predictions above this count as 1.",
    "k": "How many top predictions count.",
    "num_thresholds": "Number of thresholds used to approximate the curve.",
    "curve": "`ROC` or `PR` (precision-recall).",
    "multi_label": "Treat each output as an independent label.",
    "thresholds": "Decision threshold (default 0.5).",
    "top_k": "Only the k highest predictions count as positive.",
    "class_id": "Compute the metric for this class only.",
    "l1": "L1 penalty factor.",
    "l2": "L2 penalty factor.",
    "epochs": "Number of passes over the training data.",
    "batch_size": "Examples per gradient step.",
    "shuffle": "Shuffle the training data before each epoch.",
    "x_train": "Name of the training inputs in the `.npz`.",
    "y_train": "Name of the training targets in the `.npz`.",
    "x_test": "Name of the test inputs in the `.npz`.",
    "y_test": "Name of the test targets in the `.npz`.",
    "compile": "Arguments of `model.compile`: optimizer, loss, metrics.",
    "fit": "Arguments of `model.fit`: epochs, batch size, validation split.",
    "data": "The training data: dataset and label encoding.",
}


def _definitions() -> dict[str, Any]:
    """The ``$defs`` of every layer and object class; ``Layer``, the union of the layers on
    ``type``; and one union per family of objects (``Initializers``, ``Optimizers``...)."""
    layers = all_classes()
    families = list(ALL_FAMILIES.values())
    classes = [*layers, *(cls for family in families for cls in family.classes)]
    _, top = models_json_schema([(cls, "validation") for cls in classes], by_alias=True, ref_template="#/$defs/{model}")
    defs: dict[str, Any] = top["$defs"]
    # Every class keeps its own name (no two classes share one), so refs are written from it.
    assert set(defs) >= {cls.__name__ for cls in classes}, "two definitions share a name"

    def union(description: str, types: dict[str, type]) -> dict[str, Any]:
        refs = {cls.__name__: f"#/$defs/{cls.__name__}" for cls in types.values()}
        return {
            "description": description,
            "oneOf": [{"$ref": ref} for ref in refs.values()],
            "discriminator": {"propertyName": "type", "mapping": {t: refs[cls.__name__] for t, cls in types.items()}},
        }

    defs["Layer"] = union(
        "A layer: `type` names its Keras class; the other fields are its constructor arguments.",
        {t: cls for cls in layers for t in cls.TYPES},
    )
    for family in families:
        # The other names Keras's deserializer reads for a class (`{type: l2}`, `{type: adam}`):
        # check accepts them, so an editor must not flag them.
        aliases = {alias: family.types[t] for alias, t in family.object_types.items()}
        for alias, cls in aliases.items():
            _allow_type(defs[cls.__name__], alias)
        defs[_family_def(family.module)] = union(
            f"A {family.what} object: `type` names its Keras class; the other fields are its constructor arguments.",
            {**family.types, **aliases},
        )
    return defs


def _allow_type(definition: dict[str, Any], alias: str) -> None:
    """Let a class's ``type`` property take one more spelling."""
    prop = definition["properties"]["type"]
    allowed = [prop.pop("const")] if "const" in prop else prop.pop("enum")
    prop["enum"] = [*allowed, alias]


def _family_def(module: str) -> str:
    return module.capitalize()  # "initializers" -> "Initializers"


def _link(node: Any) -> Any:
    """Swap the markers of layer and object fields for references to their unions."""
    if isinstance(node, dict):
        if node.get(LAYER_REF) is True:
            return {"$ref": "#/$defs/Layer"}
        if OBJECT_REF in node:
            return {"$ref": f"#/$defs/{_family_def(node[OBJECT_REF])}"}
        return {k: _link(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_link(v) for v in node]
    return node


@cache
def json_schema() -> dict[str, Any]:
    schema = Spec.model_json_schema(by_alias=True, mode="validation")
    schema["$defs"] = {**schema.get("$defs", {}), **_definitions()}
    schema = _link(schema)
    for definition in (schema, *schema["$defs"].values()):
        for name, prop in definition.get("properties", {}).items():
            if "description" not in prop:
                prop["description"] = FIELD_DOCS[name]
    # Every layer, object, compile and fit field may also be a search space (kerasspec tune).
    return {"$schema": DIALECT, "$id": SCHEMA_ID, **allow_spaces(schema)}


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
