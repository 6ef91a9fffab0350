"""No finding is hidden by an unrelated one: mutate one field at a time, the others' findings stay.

Each invalid example reports its mistakes. Breaking one more, unrelated, field
(a wrong type where a number or a name goes) must add that field's own finding
and keep every finding the example had:

- a field that cannot change shapes (an initializer, an activation, a seed, a
  regularizer, fit settings, a metric) keeps every other finding, shape and
  semantics ones included, because the layer is still analysed without it;
- a field that changes shapes stops the shape inference at its layer (nothing past
  an unknown output can be inferred), so the findings of the layers before it, and
  the argument checks of every layer, stay.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

import kerasspec
from kerasspec.diagnostics import Severity, parse_pointer
from kerasspec.layers.base import affects_shape
from kerasspec.loader import load_path

ROOT = Path(__file__).resolve().parent.parent
INVALID = sorted((ROOT / "examples" / "invalid").glob("KS[3-5]*.yaml"))

#: Codes that exist only because of the surrounding layers' shapes, not of the field itself.
_SHAPE_CODES = {"KS301", "KS302", "KS303", "KS304", "KS305", "KS307", "KS308", "KS309"}


def _errors(doc: dict[str, Any]) -> set[tuple[str, str]]:
    return {(d.code, d.path) for d in kerasspec.check(doc) if d.severity is Severity.ERROR or d.code.startswith("KS4")}


def _bad_value(value: Any) -> Any:
    """A value of the wrong type for the field: kerasspec never coerces it."""
    if isinstance(value, bool | int | float):
        return "not a number"
    if isinstance(value, str):
        return ["not", "a", "name"]
    return 12345


def _mutations(doc: dict[str, Any]) -> list[tuple[tuple[str | int, ...], bool]]:
    """(path of a field to break, whether it can change shapes), for every scalar field but `type`."""
    out: list[tuple[tuple[str | int, ...], bool]] = []
    for i, layer in enumerate(doc.get("layers", [])):
        if not isinstance(layer, dict):
            continue
        for key, value in layer.items():
            if key in ("type", "name") or isinstance(value, dict | list):
                continue
            out.append((("layers", i, key), affects_shape(key)))
    for key in doc.get("fit", {}) or {}:
        out.append((("fit", key), False))
    compile_ = doc.get("compile") or {}
    if "optimizer" in compile_:
        out.append((("compile", "optimizer"), False))
    for j, _ in enumerate(compile_.get("metrics") or []):
        out.append((("compile", "metrics", j), False))
    return out


def _set(doc: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    node: Any = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _layer_index(pointer: str) -> int | None:
    parts = parse_pointer(pointer)
    return parts[1] if len(parts) >= 2 and parts[0] == "layers" and isinstance(parts[1], int) else None


CASES = []
for example in INVALID:
    document = load_path(example).data
    if isinstance(document, dict):
        for path, shaping in _mutations(document):
            CASES.append(pytest.param(example, path, shaping, id=f"{example.stem}:{'/'.join(map(str, path))}"))


@pytest.mark.parametrize(("example", "path", "shaping"), CASES)
def test_one_more_mistake_hides_no_other_finding(example: Path, path: tuple[str | int, ...], shaping: bool) -> None:
    doc = load_path(example).data
    before = _errors(doc)
    mutated = copy.deepcopy(doc)
    _set(mutated, path, _bad_value(_get(doc, path)))
    after = _errors(mutated)
    where = "/" + "/".join(map(str, path))
    assert any(p == where for _, p in after), f"no finding at the broken field {where}: {sorted(after)}"
    if not shaping:
        missing = {f for f in before if not f[1].startswith(where)} - after
    else:
        # A layer whose shape arguments are broken is not analysed, and nothing past an
        # unknown output can be inferred: its own findings, the shape findings after it and
        # the semantics of the output may go; the argument checks of the other layers and
        # everything before it remain.
        broken = int(path[1])

        def may_vanish(code: str, pointer: str) -> bool:
            index = _layer_index(pointer)
            if index == broken or code.startswith(("KS4", "KS5")):
                return True
            return code in _SHAPE_CODES and (index is None or index > broken)

        missing = {f for f in before - after if not may_vanish(*f)}
    assert not missing, f"breaking {where} hid {sorted(missing)}"


def _get(doc: dict[str, Any], path: tuple[str | int, ...]) -> Any:
    node: Any = doc
    for part in path:
        node = node[part]
    return node
