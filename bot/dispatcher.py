"""aiogram-style routing: routers with handlers per update type, filters, middlewares, one error
handler. The dispatcher is transport-agnostic: the webhook and the long poller both feed it."""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from bot.context import Context
from bot.filters import Filter
from bot.metrics import UpdateMetrics

log = logging.getLogger(__name__)

Handler = Callable[[Context], Awaitable[None]]
Middleware = Callable[[Context, Handler], Awaitable[None]]
ErrorHandler = Callable[[Context, Exception], Awaitable[None]]
ANY = "*"


class Outcome(enum.Enum):
    HANDLED = "handled"
    DUPLICATE = "duplicate"
    UNHANDLED = "unhandled"
    FAILED = "failed"


@dataclass(frozen=True)
class Route:
    update_type: str
    filters: tuple[Filter, ...]
    handler: Handler

    def matches(self, ctx: Context) -> bool:
        """The filters alone: the dispatcher's index already picked routes by update type."""
        for check in self.filters:  # noqa: SIM110 - no generator per route per update
            if not check(ctx):
                return False
        return True


@dataclass
class Router:
    name: str
    routes: list[Route] = field(default_factory=list)
    children: list[Router] = field(default_factory=list)
    # the routers that include this one: a route added here changes what they route
    parents: list[Router] = field(default_factory=list, repr=False, compare=False)

    def on(
        self, update_type: str, *filters: Filter, first: bool = False
    ) -> Callable[[Handler], Handler]:
        """`first` puts the route before every other of this router (tests add one this way)."""

        def register(handler: Handler) -> Handler:
            route = Route(update_type, filters, handler)
            self.routes.insert(0 if first else len(self.routes), route)
            self.routes_changed()
            return handler

        return register

    def routes_changed(self) -> None:
        """A route was added here or in a router included here: the routers including this one
        are told, up to the dispatcher, which drops its index."""
        for parent in self.parents:
            parent.routes_changed()

    def message(self, *filters: Filter) -> Callable[[Handler], Handler]:
        return self.on("message_created", *filters)

    def callback(self, *filters: Filter) -> Callable[[Handler], Handler]:
        return self.on("message_callback", *filters)

    def bot_started(self, *filters: Filter) -> Callable[[Handler], Handler]:
        return self.on("bot_started", *filters)

    def any(self, *filters: Filter) -> Callable[[Handler], Handler]:
        """A catch-all for every update type; put it in the router included last."""
        return self.on(ANY, *filters)

    def include(self, *routers: Router) -> None:
        self.children.extend(routers)
        for router in routers:
            router.parents.append(self)
        self.routes_changed()

    def flattened(self) -> list[Route]:
        """Every route in the order they are tried: this router's own first, then its children's
        in order of inclusion."""
        routes = list(self.routes)
        for child in self.children:
            routes.extend(child.flattened())
        return routes


class Dispatcher(Router):
    def __init__(
        self,
        *,
        middlewares: Sequence[Middleware] = (),
        error_handler: ErrorHandler | None = None,
        reraise: tuple[type[BaseException], ...] = (),
    ) -> None:
        super().__init__("root")
        self.middlewares = tuple(middlewares)
        self.error_handler = error_handler
        # infrastructure failures (database down) the transport answers itself, e.g. with 503
        self.reraise = reraise
        self._chained = self._chain(self._route)  # bound once, not per update
        self._index: dict[str, tuple[Route, ...]] | None = None

    def routes_changed(self) -> None:
        self._index = None
        super().routes_changed()

    def resolve(self, ctx: Context) -> Handler | None:
        """The first route, in flattened order, of this update's type (or any type) whose
        filters pass. Routes are indexed by type when an update arrives after a change: a route
        added anywhere below, or a router included, drops the index (routes_changed)."""
        index = self._index
        if index is None:
            index = self._index = _index_by_type(self.flattened())
        for route in index.get(ctx.update.update_type, index[ANY]):
            if route.matches(ctx):
                return route.handler
        return None

    async def feed(self, ctx: Context) -> Outcome:
        with UpdateMetrics(ctx.update) as measured:
            measured.outcome = (outcome := await self._feed(ctx)).value
        return outcome

    async def _feed(self, ctx: Context) -> Outcome:
        try:
            await self._chained(ctx)
        except self.reraise:
            raise
        except Exception as exc:
            log.exception("handler failed on %s update %s", ctx.update.update_type, ctx.key)
            return await self._recover(ctx, exc)
        if ctx.duplicate:
            return Outcome.DUPLICATE
        return Outcome.HANDLED if ctx.handled else Outcome.UNHANDLED

    async def _route(self, ctx: Context) -> None:
        handler = self.resolve(ctx)
        if handler is not None:
            await handler(ctx)
            ctx.handled = True

    async def _recover(self, failed: Context, exc: Exception) -> Outcome:
        """Run the error handler through the middlewares again, in a fresh transaction, so the
        update is recorded as handled and the person hears something instead of silence."""
        if self.error_handler is None:
            return Outcome.FAILED
        error_handler = self.error_handler

        async def apologise(ctx: Context) -> None:
            await error_handler(ctx, exc)

        ctx = Context(update=failed.update, services=failed.services, key=failed.key)
        try:
            await self._chain(apologise)(ctx)
        except self.reraise:
            raise
        except Exception:
            log.exception("error handler failed on update %s", ctx.key)
        return Outcome.DUPLICATE if ctx.duplicate else Outcome.FAILED

    def _chain(self, last: Handler) -> Handler:
        handler = last
        for middleware in reversed(self.middlewares):
            handler = _bind(middleware, handler)
        return handler


def _index_by_type(routes: list[Route]) -> dict[str, tuple[Route, ...]]:
    """update type → its routes and the catch-alls, in order; ANY → the catch-alls alone."""
    kinds = {route.update_type for route in routes} - {ANY}
    index = {kind: tuple(r for r in routes if r.update_type in (kind, ANY)) for kind in kinds}
    index[ANY] = tuple(r for r in routes if r.update_type == ANY)
    return index


def _bind(middleware: Middleware, call_next: Handler) -> Handler:
    async def step(ctx: Context) -> None:
        await middleware(ctx, call_next)

    return step
