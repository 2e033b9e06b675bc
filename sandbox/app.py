from aiohttp import web
from aiohttp.typedefs import Handler

from sandbox import (
    bot_info,
    control_admin,
    control_chat,
    control_groups,
    control_users,
    groups,
    messages,
    subscriptions,
    updates,
    uploads,
)
from sandbox.config import SandboxConfig
from sandbox.delivery import webhook_delivery_ctx
from sandbox.forwards import add_forward_routes
from sandbox.middleware import bot_api_guard, error_middleware, request_log_middleware
from sandbox.state import SANDBOX_STATE, SandboxState

__all__ = ["SANDBOX_STATE", "SandboxState", "create_sandbox_app"]


@web.middleware
async def base_url_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    state = request.app[SANDBOX_STATE]
    if not state.base_url:
        state.base_url = str(request.url.origin())
    return await handler(request)


async def plain_server_header(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Server"] = "max-sandbox"  # not aiohttp's, which lists versions


def add_bot_api_routes(app: web.Application) -> None:
    app.router.add_get("/me", bot_info.get_me)
    app.router.add_patch("/me/commands", bot_info.set_commands)
    app.router.add_post("/subscriptions", subscriptions.subscribe)
    app.router.add_get("/subscriptions", subscriptions.list_subscriptions)
    app.router.add_delete("/subscriptions", subscriptions.unsubscribe)
    app.router.add_get("/updates", updates.get_updates)
    app.router.add_post("/messages", messages.send_message)
    app.router.add_put("/messages", messages.edit_message)
    app.router.add_delete("/messages", messages.delete_message)
    app.router.add_get("/messages", messages.list_messages)
    app.router.add_get("/messages/{mid}", messages.get_message)
    app.router.add_post("/answers", messages.answer_callback)
    app.router.add_post("/uploads", uploads.request_upload)
    app.router.add_post("/chats/{chat_id}/actions", messages.chat_action)
    app.router.add_get("/chats", groups.list_chats)
    app.router.add_get("/chats/{chat_id}", groups.get_chat)
    app.router.add_get("/chats/{chat_id}/members", groups.list_members)


def add_media_routes(app: web.Application) -> None:
    app.router.add_post("/_upload/{kind}/{upload_id}", uploads.receive_upload)
    app.router.add_get("/_media/{media_id}", uploads.serve_media)


def add_control_routes(app: web.Application) -> None:
    users = "/_sandbox/users/{user_id}"
    app.router.add_get("/_sandbox/", control_admin.index_page)
    app.router.add_static("/_sandbox/static", control_admin.STATIC_DIR)
    app.router.add_post("/_sandbox/users", control_users.create_user)
    app.router.add_get("/_sandbox/users", control_users.list_users)
    app.router.add_post(f"{users}/messages", control_users.post_user_message)
    app.router.add_get(f"{users}/messages", control_chat.user_chat_messages)
    app.router.add_post(f"{users}/start", control_users.start_bot)
    app.router.add_post(f"{users}/press", control_chat.press_button)
    app.router.add_post(f"{users}/block", control_users.block_bot)
    app.router.add_post(f"{users}/unblock", control_users.unblock_bot)
    app.router.add_get(f"{users}/launch", control_users.get_launch)
    app.router.add_get("/_sandbox/chats/{chat_id}/messages", control_chat.chat_messages)
    add_group_control_routes(app)
    add_forward_routes(app)
    app.router.add_post("/_sandbox/faults", control_admin.post_fault)
    app.router.add_get("/_sandbox/faults", control_admin.get_faults)
    app.router.add_get("/_sandbox/deliveries", control_admin.get_deliveries)
    app.router.add_get("/_sandbox/requests", control_admin.get_requests)
    app.router.add_get("/_sandbox/stats", control_admin.get_stats)
    app.router.add_post("/_sandbox/reset", control_admin.post_reset)


def add_group_control_routes(app: web.Application) -> None:
    group = "/_sandbox/groups/{chat_id}"
    app.router.add_post("/_sandbox/groups", control_groups.create_group)
    app.router.add_get("/_sandbox/groups", control_groups.list_groups)
    app.router.add_get(group, control_groups.get_group)
    app.router.add_post(f"{group}/members", control_groups.add_member)
    app.router.add_delete(f"{group}/members/{{user_id}}", control_groups.remove_member)
    app.router.add_post(f"{group}/bot", control_groups.add_bot)
    app.router.add_delete(f"{group}/bot", control_groups.remove_bot)
    app.router.add_post(f"{group}/messages", control_groups.post_group_message)
    app.router.add_get(f"{group}/messages", control_chat.chat_messages)
    app.router.add_post(f"{group}/press", control_groups.press_group_button)


def create_sandbox_app(config: SandboxConfig) -> web.Application:
    app = web.Application(
        middlewares=[request_log_middleware, error_middleware, base_url_middleware,
                     bot_api_guard],
        client_max_size=config.media_max_bytes + 1024 * 1024,
    )
    app[SANDBOX_STATE] = SandboxState(config)
    add_bot_api_routes(app)
    add_media_routes(app)
    add_control_routes(app)
    app.cleanup_ctx.append(webhook_delivery_ctx)
    app.on_response_prepare.append(plain_server_header)
    return app
