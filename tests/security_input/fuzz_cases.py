"""What the fuzz sends: for each operation of the OpenAPI document, requests that are valid
except for one hostile value in one place (path, query, JSON body or form), built from the
operation's own schemas, with valid values naming real rows of the world fixture elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

from tests.security_input.conftest import World

Json = dict[str, Any]
Where = Literal["path", "query", "body", "form"]
TEXT_VALUES = ["\x00", "title\x00", "\x1b[2J", "\x07\x08", "x" * 20_000]
INT_VALUES = [2**63, 2**64, 10**30, -(2**63) - 1, -1, 0]
# what a query string or a path can say that no id means
ID_TEXTS = ["99999999999999999999", str(2**63), "0", "-1", "1_000", "1.5", "\u0663", "1" * 5000]
QUERY_TEXTS = ["%00", "a%00b", "%1B", "x" * 3000]
# one value of each JSON type; each field is sent those its schema does not accept
JSON_SAMPLES: dict[str, Any] = {
    "string": "12", "integer": 12, "number": 1.5, "boolean": True, "null": None,
    "array": [], "object": {},
}  # fmt: skip


@dataclass(frozen=True)
class Case:
    method: str
    url: str
    what: str
    json: Any = None
    form: list[tuple[str, str]] | None = None
    has_body: bool = False


@dataclass
class Operation:
    method: str
    template: str
    spec: Json
    components: Json
    base_path: dict[str, str] = field(default_factory=dict)
    base_body: Json | None = None

    @property
    def parameters(self) -> list[Json]:
        parameters: list[Json] = self.spec.get("parameters", [])
        return parameters

    def body_schema(self) -> Json | None:
        content = self.spec.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            return None
        return self.resolve(content["application/json"]["schema"])

    def form_fields(self) -> list[str]:
        content = self.spec.get("requestBody", {}).get("content", {})
        schema = content.get("multipart/form-data", {}).get("schema", {})
        return [name for name, prop in schema.get("properties", {}).items()
                if prop.get("type") == "string" and prop.get("format") != "binary"]  # fmt: skip

    def resolve(self, schema: Json) -> Json:
        while "$ref" in schema:
            schema = self.components["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def json_types(self, schema: Json) -> set[str]:
        schema = self.resolve(schema)
        if "anyOf" in schema:
            return set().union(*(self.json_types(s) for s in schema["anyOf"]))
        if "const" in schema or "enum" in schema:
            values = schema.get("enum", [schema.get("const")])
            return {type_name(v) for v in values}
        return {schema["type"]} if "type" in schema else set(JSON_SAMPLES)

    def url(self, path: dict[str, str], query: dict[str, str]) -> str:
        filled = self.template
        for name, value in {**self.base_path, **path}.items():
            filled = filled.replace("{" + name + "}", value)
        pairs = "&".join(f"{quote(k, safe='')}={v}" for k, v in query.items())
        return filled + ("?" + pairs if pairs else "")


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {int: "integer", float: "number", str: "string", list: "array"}.get(
        type(value), "object"
    )


def baseline_path(world: World) -> dict[str, str]:
    return {"object_id": str(world.alice_objects[0]), "user_id": str(world.bob.user_id),
            "trade_id": str(world.trade["id"]), "transfer_id": str(world.transfer_id),
            "request_id": str(world.request_id), "token": "t" * 32,
            "report_id": "1"}  # fmt: skip


def baseline_body(world: World) -> Json:
    """Valid values by field name: Alice offering, accepting, renaming, logging out."""
    return {"title": "Renamed", "description": "Described", "message": "hello",
            "recipient_id": world.bob.user_id, "give": [world.alice_objects[1]],
            "take": [world.bob_objects[0]], "version": world.trade["version"],
            "target_id": world.bob.user_id, "object_id": world.alice_objects[1],
            "to_user_id": world.bob.user_id, "replace": False, "token": "t" * 32,
            "privacy": "public", "language": "en", "init_data": "auth_date=1&hash=00",
            "refresh_token": world.alice.refresh_token, "reason": "spam", "trades": True,
            "deliver": "link"}  # fmt: skip


def required_query(operation: Operation) -> dict[str, str]:
    return {p["name"]: "t" * 32 for p in operation.parameters
            if p["in"] == "query" and p["required"]}  # fmt: skip


def path_cases(op: Operation) -> Iterator[Case]:
    body = op.base_body
    for parameter in (p for p in op.parameters if p["in"] == "path"):
        is_id = op.json_types(parameter["schema"]) == {"integer"}
        values = [*ID_TEXTS[:4], "%00", ID_TEXTS[-1]] if is_id else ["%00", "x" * 3000]
        for value in values:
            url = op.url({parameter["name"]: quote(value, safe="%")}, required_query(op))
            yield Case(op.method, url, f"path {parameter['name']}={value[:24]!r}", json=body,
                       has_body=body is not None)  # fmt: skip


def query_cases(op: Operation) -> Iterator[Case]:
    body = op.base_body
    for parameter in (p for p in op.parameters if p["in"] == "query"):
        name, types = parameter["name"], op.json_types(parameter["schema"])
        values = list(QUERY_TEXTS)
        if "enum" in str(parameter["schema"]):
            values.append("nope")
        if "integer" in types:
            values += [quote(v, safe="") for v in ID_TEXTS] + [""]
        for value in values:
            query = {**required_query(op), name: value}
            yield Case(op.method, op.url({}, query), f"query {name}={value[:24]!r}", json=body,
                       has_body=body is not None)  # fmt: skip
        repeated = op.url({}, required_query(op)) + ("&" if required_query(op) else "?")
        yield Case(op.method, repeated + f"{name}=1&{name}=2", f"query {name} twice",
                   json=body, has_body=body is not None)  # fmt: skip


def field_values(op: Operation, prop: Json) -> list[Any]:
    types = op.json_types(prop)
    values: list[Any] = [v for t, v in JSON_SAMPLES.items() if t not in types]
    if "string" in types:
        values += TEXT_VALUES
    if "integer" in types:
        values += INT_VALUES
    if "array" in types:
        items = op.resolve(prop).get("items") or next(
            s.get("items") for s in op.resolve(prop).get("anyOf", []) if "items" in s
        )
        values += [[v] for v in field_values(op, items)]
    return values


def body_cases(op: Operation) -> Iterator[Case]:
    schema, base = op.body_schema(), op.base_body
    if schema is None:
        return
    assert base is not None
    url = op.url({}, required_query(op))
    for name, prop in schema.get("properties", {}).items():
        for value in field_values(op, prop):
            yield Case(op.method, url, f"body {name}={str(value)[:24]!r}",
                       json={**base, name: value}, has_body=True)  # fmt: skip
    yield Case(op.method, url, "body with a key it does not have",
               json={**base, "unexpected": 1}, has_body=True)  # fmt: skip
    for whole in ([], "text", None, 12, [base]):
        yield Case(op.method, url, f"body {whole!r:.24}", json=whole, has_body=True)


def form_cases(op: Operation) -> Iterator[Case]:
    fields = op.form_fields()
    if not fields:
        return
    for name in [*fields, "unexpected"]:
        for value in TEXT_VALUES if name in fields else ["x"]:
            yield Case(op.method, op.url({}, {}), f"form {name}={value[:24]!r}",
                       form=[(name, value)])  # fmt: skip


def operations(doc: Json, world: World) -> list[Operation]:
    found = []
    full_body = baseline_body(world)
    for template, item in doc["paths"].items():
        for method, spec in item.items():
            op = Operation(method.upper(), template, spec, doc["components"],
                           baseline_path(world))  # fmt: skip
            schema = op.body_schema()
            if schema is not None:
                names = schema.get("required", list(schema.get("properties", {}))[:1])
                op.base_body = {n: full_body[n] for n in names}
            found.append(op)
    return found


CASES = {"path": path_cases, "query": query_cases, "body": body_cases, "form": form_cases}
