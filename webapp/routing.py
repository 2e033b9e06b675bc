"""Route tables for the /api sub-app: one declaration registers the view and documents it.

Each route module keeps its own table, decorates its handlers, and exposes `add_routes`; append
the module to `ROUTE_MODULES` in webapp/api.py and it is served and listed in /api/openapi.json:

    from webapp.routing import RouteTable

    api_route = RouteTable()

    @api_route("GET", "/objects/{object_id:\\d+}", summary="One art object", query=ObjectQuery,
               response=ObjectView, auth="optional", errors={404: "No such object"})
    async def get_object(request: web.Request, query: ObjectQuery,
                         user: UserRow | None) -> ObjectView:
        object_id = path_id(request, "object_id")
        ...

    @api_route("POST", "/auth/logout", summary="Log out", body=LogoutRequest, status=204,
               auth=False)
    async def logout(request: web.Request, body: LogoutRequest) -> None: ...

    def add_routes(api: web.Application) -> None:
        api_route.mount(api)

The handler is called with the request plus keyword arguments for what the route declares:
`body=` (JSON body parsed into the model; 415/413/400 before the handler runs), `query=` (the
query string parsed into the model; 400), `user=` (auth=True: the UserRow, 401 otherwise;
auth="optional": UserRow or None; auth=False: no argument), and, when its signature names them,
`conn=` (the request's one database connection, which the login check used too) and
`services=` (webapp.services.WebServices). It returns an instance of `response`
(sent with `status`, serialised by alias), None when `status` is 204, or any
web.StreamResponse for what JSON cannot say (a redirect, a file). Returning anything else is a
500: the document must not lie. Bodies that are not JSON (multipart uploads) set `body=None`,
pass the OpenAPI requestBody object as `request_body=`, and read the request in the handler.
Errors raised as DomainError subclasses are listed through `errors={status: description}`.

Body models derive from webapp.inputs.BodyIn and query models from QueryIn (registering another
is a TypeError), so every request refuses unknown keys, control characters and ids out of
range alike. A path parameter declared `\\d+` is an id: one from 1 to 2**63 - 1 is checked
before the handler runs (400 `invalid` otherwise; see PATH_ID_REFUSAL) and read with `path_id`.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, TypeVar

from aiohttp import web
from pydantic import BaseModel

from gallery.inputs import parse_id
from storage.db import Connection
from webapp.auth import current_user, optional_user
from webapp.bodies import parse_body, parse_query
from webapp.errors import BodyInvalid
from webapp.inputs import ID_RULE, BodyIn, QueryIn
from webapp.limits import RULES, enforce_route_limit
from webapp.services import WebServices, services

AuthMode = Literal["required", "optional", "none"]
ApiHandler = Callable[..., Awaitable[BaseModel | web.StreamResponse | None]]
H = TypeVar("H", bound=ApiHandler)
PATH_PARAM = re.compile(r"\{(\w+)(?::([^{}]*))?\}")
ID_PATTERNS = (r"\d+", "[0-9]+")
# Why 400 and not 404: digits that can name no row (0, or past a BIGINT) are a malformed
# request, not a missing object; the client is told what is wrong with what it sent, and a 404
# stays the answer for an id that could exist. Anything that is not digits matches no route.
PATH_ID_REFUSAL = f"invalid: a path id is {ID_RULE}"
API_ROUTES: web.AppKey[list[ApiRoute]] = web.AppKey("api_routes")
INJECTED = ("conn", "services")


def path_ids(path: str) -> tuple[str, ...]:
    """The names of the id parameters in a route's path (declared `\\d+` or `[0-9]+`)."""
    return tuple(name for name, pattern in PATH_PARAM.findall(path) if pattern in ID_PATTERNS)


def path_id(request: web.Request, name: str) -> int:
    """The id in the path parameter `name`; 400 `invalid` unless it is 1 to 2**63 - 1."""
    value = parse_id(request.match_info[name])
    if value is None:
        raise BodyInvalid([{"loc": ["path", name], "msg": f"an id is {ID_RULE}"}])
    return value


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
    limit: str | None = None  # the [limits] rule counting this route (webapp/limits.py)

    # both read on every request and fixed at declaration: worked out once, on first use
    @cached_property
    def path_ids(self) -> tuple[str, ...]:
        return path_ids(self.path)

    @cached_property
    def wants(self) -> frozenset[str]:
        """Which of the injected arguments (a connection, the services) the handler takes."""
        names = inspect.signature(self.handler).parameters
        return frozenset(name for name in INJECTED if name in names)


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
        limit: str | None = None,
    ) -> Callable[[H], H]:
        mode: AuthMode = "optional" if auth == "optional" else "required" if auth else "none"
        if body is not None and not issubclass(body, BodyIn):
            raise TypeError(f"{method} {path}: a body model derives from webapp.inputs.BodyIn")
        if query is not None and not issubclass(query, QueryIn):
            raise TypeError(f"{method} {path}: a query model derives from webapp.inputs.QueryIn")
        if limit is not None and limit not in RULES:
            raise TypeError(f"{method} {path}: {limit!r} is no rule of [limits]")

        def register(handler: H) -> H:
            self.routes.append(ApiRoute(
                method=method.upper(), path=path, summary=summary, handler=handler,
                response=response, status=status, body=body, query=query, auth=mode,
                errors=dict(errors or {}), request_body=request_body, limit=limit,
            ))
            return handler

        return register

    def mount(self, api: web.Application) -> None:
        for route in self.routes:
            api.router.add_route(route.method, route.path, view(route))
            api[API_ROUTES].append(route)


async def route_arguments(
    route: ApiRoute, request: web.Request, web_services: WebServices, conn: Connection | None
) -> dict[str, Any]:
    # who is asking comes first: a stranger learns nothing from body validation errors
    arguments: dict[str, Any] = {}
    if route.auth == "required":
        arguments["user"] = await current_user(request, web_services, conn)
    elif route.auth == "optional":
        arguments["user"] = await optional_user(request, web_services, conn)
    for name in route.path_ids:
        path_id(request, name)
    if route.query is not None:
        arguments["query"] = parse_query(request, route.query)
    if route.body is not None:
        arguments["body"] = await parse_body(request, route.body)
    await enforce_route_limit(request, route.limit, arguments.get("user"), conn)
    if "conn" in route.wants:
        arguments["conn"] = conn
    if "services" in route.wants:
        arguments["services"] = web_services
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
    wants_conn = "conn" in route.wants

    async def call(request: web.Request, web_services: WebServices, conn: Connection | None
                   ) -> web.StreamResponse:  # fmt: skip
        arguments = await route_arguments(route, request, web_services, conn)
        return render(route, await route.handler(request, **arguments))

    async def handle(request: web.Request) -> web.StreamResponse:
        web_services = services(request)
        if not wants_conn:  # e.g. an upload: no connection held while the image renders
            return await call(request, web_services, None)
        async with web_services.pool.acquire() as conn:
            return await call(request, web_services, conn)

    handle.__name__ = route.handler.__name__
    return handle
