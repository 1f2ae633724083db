"""JSON Schemas for the content files, so editors complete and check them as authors type.

Shipped files start with a ``yaml-language-server`` modeline pointing at these schemas;
the YAML extension of VS Code and other editors then offers field names, enum values
and the field descriptions from models.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from trainer.content.models import Persona, Rubric, Scenario

SCHEMAS: dict[str, type[BaseModel]] = {
    "persona": Persona,
    "scenario": Scenario,
    "rubric": Rubric,
}


def schema_for(name: str) -> dict[str, Any]:
    model = SCHEMAS[name]
    schema = model.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"{name}.schema.json"
    return schema


def schema_text(name: str) -> str:
    return json.dumps(schema_for(name), indent=2, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / f"{name}.schema.json"
        path.write_text(schema_text(name), encoding="utf-8")
        written.append(path)
    return written
