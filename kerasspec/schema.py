"""The JSON Schema of the spec language, generated from the pydantic models.

The same text is committed as ``spec_schema/kerasspec.schema.json``; a test
keeps the two equal, so editors see exactly what ``check`` enforces.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from .spec import Spec

SCHEMA_ID = "https://github.com/kerasspec/kerasspec/raw/main/spec_schema/kerasspec.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


@cache
def json_schema() -> dict[str, Any]:
    schema = Spec.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": DIALECT, "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
