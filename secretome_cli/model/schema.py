"""The JSON Schema of an evidence record, generated from the record model.

The committed copy is `schema/record.schema.json`; a test fails when it is stale
(regenerate it with `make schema`).
"""

from __future__ import annotations

import json

from secretome_cli.model.record import Record

SCHEMA_ID = "https://github.com/secretome/secretome/schema/record.schema.json"


def record_schema() -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of one evidence record file."""
    generated = Record.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **generated,
    }


def record_schema_text() -> str:
    """The schema as the committed file holds it: indented JSON with a final newline."""
    return json.dumps(record_schema(), indent=2, ensure_ascii=False) + "\n"
