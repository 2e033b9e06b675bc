"""Route tables for the /api sub-app: one declaration registers the view and documents it.

Each route module keeps its own table, decorates its handlers, and exposes `add_routes`; append
the module to `ROUTE_MODULES` in webapp/api.py and it is served and listed in /api/openapi.json:

    from webapp.routing import RouteTable

    api_route = RouteTable()

    @api_route("GET", "/objects/{object_id:\\d+}", summary="One art object", query=ObjectQuery,
               response=ObjectView, auth="optional", errors={404: "No such object"})
    async def get_object(request: web.Request, query: ObjectQuery,
                         user: UserRow | None) -> ObjectView:
        object_id = int(request.match_info["object_id"])
        ...

    @api_route("POST", "/auth/logout", summary="Log out", body=LogoutRequest, status=204,
               auth=False)
    async def logout(request: web.Request, body: LogoutRequest) -> None: ...

    def add_routes(api: web.Application) -> None:
        api_route.mount(api)

The handler is called with the request plus keyword arguments for what the route declares:
`body=` (JSON body parsed into the model; 415/413/400 before the handler runs), `query=` (the
query string parsed into the model; 400), `user=` (auth=True: the UserRow, 401 otherwise;
auth="optional": UserRow or None; auth=False: no argument). It returns an instance of `response`
(sent with `status`, serialised by alias), None when `status` is 204, or any
web.StreamResponse for what JSON cannot say (a redirect, a file). Returning anything else is a
500: the document must not lie. Bodies that are not JSON (multipart uploads) set `body=None`,
pass the OpenAPI requestBody object as `request_body=`, and read the request in the handler.
Errors raised as DomainError subclasses are listed through `errors={status: description}`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from aiohttp import web
from pydantic import BaseModel

from gallery.keys import API_ROUTES
from webapp.auth import current_user, optional_user
from webapp.bodies import parse_body, parse_query

AuthMode = Literal["required", "optional", "none"]
ApiHandler = Callable[..., Awaitable[BaseModel | web.StreamResponse | None]]
H = TypeVar("H", bound=ApiHandler)


@dataclass(frozen=True)
class ApiRoute:
    method: str
    path: str
    summary: str
    handler: ApiHandler
    response: type[BaseModel] | None = None
    status: int = 200
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    auth: AuthMode = "required"
    errors: Mapping[int, str] = field(default_factory=dict)
    request_body: Mapping[str, Any] | None = None


class RouteTable:
    """The routes of one module, declared by decorating their handlers."""

    def __init__(self) -> None:
        self.routes: list[ApiRoute] = []

    def __call__(
        self,
        method: str,
        path: str,
        *,
        summary: str,
        response: type[BaseModel] | None = None,
        status: int = 200,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        auth: bool | Literal["optional"] = True,
        errors: Mapping[int, str] | None = None,
        request_body: Mapping[str, Any] | None = None,
    ) -> Callable[[H], H]:
        mode: AuthMode = "optional" if auth == "optional" else "required" if auth else "none"

        def register(handler: H) -> H:
            self.routes.append(ApiRoute(
                method=method.upper(), path=path, summary=summary, handler=handler,
                response=response, status=status, body=body, query=query, auth=mode,
                errors=dict(errors or {}), request_body=request_body,
            ))
            return handler

        return register

    def mount(self, api: web.Application) -> None:
        for route in self.routes:
            api.router.add_route(route.method, route.path, view(route))
            api[API_ROUTES].append(route)


async def route_arguments(route: ApiRoute, request: web.Request) -> dict[str, Any]:
    # who is asking comes first: a stranger learns nothing from body validation errors
    arguments: dict[str, Any] = {}
    if route.auth == "required":
        arguments["user"] = await current_user(request)
    elif route.auth == "optional":
        arguments["user"] = await optional_user(request)
    if route.query is not None:
        arguments["query"] = parse_query(request, route.query)
    if route.body is not None:
        arguments["body"] = await parse_body(request, route.body)
    return arguments


def render(route: ApiRoute, result: BaseModel | web.StreamResponse | None) -> web.StreamResponse:
    if isinstance(result, web.StreamResponse):
        return result
    if result is None and route.status == 204:
        return web.Response(status=204)
    if route.response is None or not isinstance(result, route.response):
        raise TypeError(f"{route.method} {route.path} returned {type(result).__name__}, "
                        f"documented {route.response}")
    return web.Response(body=result.model_dump_json(by_alias=True).encode(),
                        status=route.status, content_type="application/json")


def view(route: ApiRoute) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(request: web.Request) -> web.StreamResponse:
        arguments = await route_arguments(route, request)
        return render(route, await route.handler(request, **arguments))

    handle.__name__ = route.handler.__name__
    return handle
