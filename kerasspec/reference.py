"""``docs/spec.md``: the spec reference, generated from the JSON Schema so it cannot drift.

Run ``python -m kerasspec.reference > docs/spec.md`` (``make docs``); a test
compares the committed file with this output.
"""

from __future__ import annotations

import json
from typing import Any

from . import spec as S
from .layers import all_classes
from .objects import CONSTRAINTS, INITIALIZERS, REGULARIZERS
from .schema import json_schema

HEADER = """\
# Spec reference (version 1)

Generated from `spec_schema/kerasspec.schema.json` by `python -m kerasspec.reference`
(`make docs`); do not edit by hand. Fields are the Keras constructor arguments, with
Keras's names and defaults. "int or [a, b]" fields take one integer for every axis or
one per axis, as Keras does; `padding` and `data_format` take any case.
"""


def _type(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return f"[{defs[name].get('title', name)}](#{name.lower()})"
    if "const" in prop:
        return f"`{json.dumps(prop['const'])}`"
    if "enum" in prop:
        values = prop["enum"]
        shown = ", ".join(f"`{v}`" for v in values[:8])
        return f"one of {shown}{', ...' if len(values) > 8 else ''}"
    if set(prop) <= {"pattern", "description"}:
        return ""  # the any-case alternative of an enum: the enum already says it
    for key in ("anyOf", "oneOf"):
        if key in prop:
            parts = [_type(p, defs) for p in prop[key] if p.get("type") != "null"]
            text = " or ".join(p for p in dict.fromkeys(parts) if p)
            nullable = any(p.get("type") == "null" for p in prop[key])
            return text + (" or null" if nullable else "")
    kind = prop.get("type")
    if kind == "array":
        items = prop.get("items", {})
        n = prop.get("minItems")
        count = f"{n} " if n is not None and n == prop.get("maxItems") else ""
        inner = _type(items, defs)
        return f"list of {count}({inner})" if " or " in inner else f"list of {count}{inner}"
    bounds = []
    if "minimum" in prop:
        bounds.append(f">= {prop['minimum']}")
    if "exclusiveMinimum" in prop:
        bounds.append(f"> {prop['exclusiveMinimum']}")
    if "maximum" in prop:
        bounds.append(f"<= {prop['maximum']}")
    if "exclusiveMaximum" in prop:
        bounds.append(f"< {prop['exclusiveMaximum']}")
    name = {"integer": "int", "number": "number", "boolean": "bool", "string": "string", "object": "mapping"}.get(kind, "any")
    return name + (f" ({', '.join(bounds)})" if bounds else "")


def _table(definition: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    rows = ["| field | type | default | description |", "|---|---|---|---|"]
    required = set(definition.get("required", []))
    for name, prop in definition.get("properties", {}).items():
        if name == "type":
            continue
        default = "**required**" if name in required else f"`{json.dumps(prop.get('default'))}`"
        desc = (prop.get("description") or "").replace("\n", " ").replace("|", "\\|")
        kind = _type(prop, defs).replace("|", "\\|")
        rows.append(f"| `{name}` | {kind} | {default} | {desc} |")
    return rows


def _section(title: str, name: str, defs: dict[str, Any], level: str = "###", types: tuple[str, ...] = ()) -> list[str]:
    d = defs[name]
    out = [f'<a id="{name.lower()}"></a>', "", f"{level} {title}", ""]
    if types:
        out.append("`type`: " + ", ".join(f"`{t}`" for t in types))
        out.append("")
    if d.get("description"):
        out += [d["description"], ""]
    return [*out, *_table(d, defs), ""]


def _def_name(cls: type[Any], defs: dict[str, Any]) -> str:
    """The ``$defs`` key of a class: its name, or module-qualified where two classes share it (Identity)."""
    qualified = f"{cls.__module__.replace('.', '__')}__{cls.__name__}"
    return qualified if qualified in defs else cls.__name__


def _types_of(cls: type[Any]) -> tuple[str, ...]:
    return tuple(cls.model_fields["type"].annotation.__args__)


def render() -> str:
    schema = json_schema()
    defs = schema["$defs"]
    out = [HEADER, "## Top level", "", *_table(schema, defs), ""]
    for section in ("Compile", "Fit", "Data"):
        out += _section(f"`{section.lower()}`", section, defs, level="##")
    out += ["## Layers", "", "Every layer also takes `name`, `trainable`, `input_shape` and `input_dim`.", ""]
    for cls in all_classes():
        out += _section(cls.TYPES[0], _def_name(cls, defs), defs, types=cls.TYPES)
    families = (
        ("Optimizer objects", S.OPTIMIZERS, " (any case)"), ("Learning-rate schedules", S.SCHEDULES, ""),
        ("Loss objects", S.LOSSES, ""), ("Metric objects", S.METRICS, ""), ("Callbacks", S.CALLBACKS, ""),
        ("Initializer objects", INITIALIZERS, ""), ("Regularizer objects", REGULARIZERS, ""),
        ("Constraint objects", CONSTRAINTS, ""),
    )  # fmt: skip
    for title, family, case in families:
        # The anchor the family's union links to (`[Initializers](#initializers)`).
        out += [f'<a id="{family.module}"></a>', "", f"## {title}", ""]
        if family.names:
            out += ["As a string, any of: " + ", ".join(f"`{n}`" for n in family.names) + f"{case}.", ""]
        if family.excluded:
            out += ["Left out: " + "; ".join(f"`{t}` ({why})" for t, why in family.excluded) + ".", ""]
        for cls in family.classes:
            out += _section(" / ".join(_types_of(cls)), _def_name(cls, defs), defs)
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
