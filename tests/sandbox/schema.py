"""Validate sandbox answers against MAX's own OpenAPI schema (max-openapi.json, v0.0.32).

The OpenAPI 3.0 dialect is translated for jsonschema: `nullable` becomes "or null", and
`discriminator` mappings become if/then branches so attachments, buttons and updates are checked
against their concrete schema, not only against the base.
"""

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

# MAX's own schema (v0.0.32), copied from shared/max-openapi.json so the suite needs nothing
# outside the repository.
OPENAPI_PATH = Path(__file__).with_name("max-openapi.json")
REF_PREFIX = "#/components/schemas/"
Schema = dict[str, Any]


def nullable_to_null(node: Any) -> Any:
    if isinstance(node, list):
        return [nullable_to_null(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {k: nullable_to_null(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable") is True:
        return {"anyOf": [{"type": "null"}, converted]}
    return converted


def mapping_target(value: Any) -> str:
    ref = value["$ref"] if isinstance(value, dict) else value
    return str(ref).removeprefix(REF_PREFIX)


def expand_discriminators(schemas: dict[str, Schema]) -> None:
    for name in [n for n, s in schemas.items() if "discriminator" in s]:
        base = {k: v for k, v in schemas[name].items() if k != "discriminator"}
        schemas[f"{name}__base"] = base
        disc = schemas[name]["discriminator"]
        branches = []
        for value, target in disc["mapping"].items():
            target_name = mapping_target(target)
            point_parents_at_base(schemas[target_name], name)
            branches.append({
                "if": {"properties": {disc["propertyName"]: {"const": value}},
                       "required": [disc["propertyName"]]},
                "then": {"$ref": REF_PREFIX + target_name},
            })
        schemas[name] = {"allOf": [{"$ref": f"{REF_PREFIX}{name}__base"}, *branches]}


def point_parents_at_base(target: Schema, parent: str) -> None:
    for part in target.get("allOf", []):
        if part.get("$ref") == REF_PREFIX + parent:
            part["$ref"] = f"{REF_PREFIX}{parent}__base"


def apply_known_staleness(schemas: dict[str, Schema]) -> None:
    # MAX's OpenAPI v0.0.32 lists only "chat" as ChatType; dialogs are "dialog".
    schemas["ChatType"] = {"enum": ["dialog", "chat", "channel"]}
    # MessageBody is mid/seq/text/attachments/markup; `link` lives on Message, yet
    # v0.0.32 marks it required inside MessageBody.
    schemas["MessageBody"]["required"] = ["mid", "seq", "text", "attachments"]
    # PATCH /me/commands exists only in v0.0.33 (BotCommandsInfo); add its answer shape.
    schemas["BotCommandsInfo"] = {
        "type": "object", "required": ["commands"],
        "properties": {"commands": {"type": "array", "maxItems": 32,
                                    "items": {"$ref": REF_PREFIX + "BotCommand"}}},
    }
    # The file upload host answers {"fileId", "token"}; the spec has no schema for it.
    schemas["FileUploadResult"] = {
        "type": "object", "required": ["fileId", "token"],
        "properties": {"fileId": {"type": "integer"}, "token": {"type": "string"}},
    }


@cache
def components() -> dict[str, Schema]:
    spec = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
    schemas: dict[str, Schema] = nullable_to_null(copy.deepcopy(spec["components"]["schemas"]))
    apply_known_staleness(schemas)
    expand_discriminators(schemas)
    return schemas


@cache
def validator(name: str) -> Draft202012Validator:
    root = {"$ref": REF_PREFIX + name, "components": {"schemas": components()}}
    Draft202012Validator.check_schema(root)
    return Draft202012Validator(root)


def assert_valid(name: str, instance: Any) -> None:
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, f"{name} schema violations: " + "; ".join(
        f"{list(e.path)}: {e.message}" for e in errors[:5])
