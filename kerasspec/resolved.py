"""A validated spec written back as a user reads it: `type` first, what they wrote, then the defaults.

``train`` writes the resolved spec of a run (``spec.yaml``) with every default filled
in, so that the run says exactly what it trained. pydantic would dump each object's
fields in class order (the base class's ``name``/``trainable`` before ``type``); this
puts ``type`` first, then the fields the user set, in the order of the class, then
the defaults, at every level (layers, wrapped layers, optimizer, loss, metrics...).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def readable(value: Any) -> Any:
    """``value`` as JSON-compatible data, models reordered as described above."""
    if isinstance(value, BaseModel):
        # serialize_as_any: each layer is dumped as its own kind (Dense...), not as the base Layer.
        data = value.model_dump(mode="json", by_alias=True, serialize_as_any=True)
        fields = type(value).model_fields
        names = sorted(fields, key=lambda n: (n != "type", n not in value.model_fields_set))
        out: dict[str, Any] = {}
        for name in names:
            key = fields[name].alias or name
            # null is left out where it is the default; kept where it means something
            # (`bias_initializer: null`, a loss's `reduction: null`).
            if key in data and not (data[key] is None and fields[name].default is None):
                out[key] = readable(getattr(value, name)) if _nested(getattr(value, name)) else data[key]
        return out
    if isinstance(value, list | tuple):
        return [readable(v) for v in value]
    return value


def _nested(value: Any) -> bool:
    return isinstance(value, BaseModel) or (isinstance(value, list | tuple) and any(isinstance(v, BaseModel) for v in value))
