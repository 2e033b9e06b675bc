"""The base of every API request model, and the types of ids in requests.

The rules, one for the whole API (the OpenAPI document's description says them to clients):
- a body or query key the model does not name is refused (`extra="forbid"`);
- JSON bodies are strict: an id is a JSON number, a flag a JSON boolean; "12" is not an id and
  1 is not `true`. Query strings and paths are text by nature: their ids are decimal digits;
- an id is 1 to 2**63 - 1 (a BIGINT), a version 1 to 2**31 - 1 (an INTEGER);
- no string may carry a control character but tab, newline and carriage return.
Every refusal is a 400 `invalid` naming the field. webapp/routing.py refuses a body or query
model that does not derive from these bases.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from gallery.inputs import ID_MAX, VERSION_MAX, control_message, parse_id, unwanted_character

ID_RULE = f"a whole number from 1 to {ID_MAX}"


def _id_from_text(value: Any) -> Any:
    if isinstance(value, str):
        parsed = parse_id(value)
        if parsed is None:
            raise ValueError(f"an id is {ID_RULE}")
        return parsed
    return value


# in a JSON body (strict: a number)
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
# in a query string: decimal digits
# (the bounds before the validator: after it, pydantic writes them into the JSON schema as `ge`
# and `le`, words JSON Schema does not know, instead of minimum and maximum)
QueryId = Annotated[int, Field(ge=1, le=ID_MAX), BeforeValidator(_id_from_text)]
Version = Annotated[int, Field(ge=1, le=VERSION_MAX)]


def _refuse_controls(value: Any) -> None:
    texts = value if isinstance(value, list | tuple) else [value]
    for text in texts:
        if isinstance(text, str) and (character := unwanted_character(text)) is not None:
            raise ValueError(control_message(character))


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _printable_text(cls, value: Any) -> Any:
        _refuse_controls(value)
        return value


class BodyIn(RequestModel):
    """A JSON request body."""

    model_config = ConfigDict(strict=True)


class QueryIn(RequestModel):
    """A query string (a repeated key arrives as a list)."""
