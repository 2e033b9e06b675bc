from aiohttp import web

from sandbox.errors import proto_payload, read_json_object
from sandbox.render import bot_info_json
from sandbox.state import SANDBOX_STATE, JsonDict
from sandbox.validation import max_size, optional_str, required_str

COMMANDS_MAX = 32


async def get_me(request: web.Request) -> web.Response:
    return web.json_response(bot_info_json(request.app[SANDBOX_STATE]))


def parse_command(item: object) -> JsonDict:
    if not isinstance(item, dict):
        raise proto_payload("Every command must be an object")
    name = required_str(item, "name")
    if not name:
        raise proto_payload("Field 'name' size (0) must be at least 1")
    max_size("name", name, 64)
    command: JsonDict = {"name": name}
    description = optional_str(item, "description")
    if description is not None:
        if not description:
            raise proto_payload("Field 'description' size (0) must be at least 1")
        max_size("description", description, 128)
        command["description"] = description
    return command


async def set_commands(request: web.Request) -> web.Response:
    # PATCH /me/commands exists in the v0.0.33 spec only; max-openapi.json (v0.0.32) lacks it.
    state = request.app[SANDBOX_STATE]
    items = (await read_json_object(request)).get("commands")
    if not isinstance(items, list):
        raise proto_payload("Missing required field: commands")
    max_size("commands", items, COMMANDS_MAX)
    state.commands = [parse_command(item) for item in items]
    return web.json_response({"commands": state.commands})
