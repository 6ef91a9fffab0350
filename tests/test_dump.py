"""A validated spec dumps to plain data that validates back to the same spec.

Library users store and send specs as data (``spec.model_dump()``, ``model_dump_json()``):
every layer and object must come back as its own kind with its fields, not as its base class.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

import kerasspec
from kerasspec.spec import Spec

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_dump_validates_back_to_the_same_spec(example: Path) -> None:
    spec = kerasspec.load_spec(example)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pydantic warns when it dumps a value as another type
        data = spec.model_dump(by_alias=True, exclude_none=True)
        text = spec.model_dump_json(by_alias=True, exclude_none=True)
    assert Spec.model_validate(data) == spec
    assert Spec.model_validate(json.loads(text)) == spec
    assert [layer["type"] for layer in data["layers"]] == [layer.type for layer in spec.layers]
