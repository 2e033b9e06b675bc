import asyncio
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web

from sandbox.clock import now_ms
from sandbox.config import SandboxConfig
from sandbox.ratelimit import SlidingWindow

JsonDict = dict[str, Any]


@dataclass
class SandboxUser:
    user_id: int
    chat_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str = "ru"
    blocked: bool = False
    last_activity_ms: int = field(default_factory=now_ms)


@dataclass
class SandboxGroup:
    """A group chat (type "chat"): its members by join time, and whether the bot is one of them."""

    chat_id: int
    title: str
    owner_id: int
    members: dict[int, int] = field(default_factory=dict)
    bot_joined_ms: int | None = None
    created_ms: int = field(default_factory=now_ms)
    last_event_ms: int = field(default_factory=now_ms)

    @property
    def has_bot(self) -> bool:
        return self.bot_joined_ms is not None


@dataclass
class StoredMessage:
    mid: str
    seq: int
    chat_id: int
    sender_id: int
    recipient_user_id: int
    timestamp: int
    text: str | None
    attachments: list[JsonDict] | None
    link: JsonDict | None = None
    # the format the bot sent; `text` is then the plain text and `markup` its elements
    text_format: str | None = None
    markup: list[JsonDict] | None = None
    deleted: bool = False
    edited_ms: int | None = None


@dataclass
class CallbackRecord:
    callback_id: str
    mid: str
    chat_id: int
    user_id: int
    payload: str
    answers: int = 0


@dataclass
class MediaItem:
    media_id: str
    kind: str
    data: bytes
    content_type: str
    filename: str
    token: str
    photo_id: int | None = None
    sent_once: bool = False


@dataclass
class PendingUpload:
    upload_id: str
    kind: str
    token: str | None


@dataclass
class Subscription:
    url: str
    time_ms: int
    update_types: list[str] | None
    secret: str | None


# "refuse" answers `status` at once; "hang" holds the request `delay_s` and answers 503 without
# acting; "answer_late" acts (a message is sent) and answers only `delay_s` later: the request
# reached MAX but a client with a shorter read timeout never learns it.
FaultEffect = Literal["refuse", "hang", "answer_late"]


@dataclass
class HttpFault:
    status: int
    # requests it still spoils; None: every matching one while its window is open
    remaining: int | None
    method: str | None = None
    path: str | None = None
    effect: FaultEffect = "refuse"
    delay_s: float = 0.0
    retry_after_s: int | None = None
    # its window in Unix ms; None: from now on, until `remaining` runs out
    starts_ms: int | None = None
    ends_ms: int | None = None

    def is_open(self, now: int) -> bool:
        started = self.starts_ms is None or self.starts_ms <= now
        return started and not self.is_over(now)

    def is_over(self, now: int) -> bool:
        spent = self.remaining is not None and self.remaining <= 0
        return spent or (self.ends_ms is not None and now >= self.ends_ms)


@dataclass
class Faults:
    http: list[HttpFault] = field(default_factory=list)
    not_ready_sends: int = 0
    webhook_duplicates: int = 0


@dataclass
class ChatEvent:
    kind: str  # "message" | "notification"
    timestamp: int
    mid: str | None = None
    text: str | None = None


class UpdateQueue:
    """Updates waiting for GET /updates; ids double as long-polling markers."""

    def __init__(self) -> None:
        self.pending: list[tuple[int, JsonDict]] = []
        self.next_id = 1
        self.changed = asyncio.Condition()

    async def push(self, update: JsonDict) -> None:
        async with self.changed:
            self.pending.append((self.next_id, update))
            self.next_id += 1
            self.changed.notify_all()

    def commit_before(self, marker: int) -> None:
        self.pending = [(uid, u) for uid, u in self.pending if uid >= marker]

    def clear(self) -> None:
        self.pending.clear()


@dataclass
class SandboxState:
    config: SandboxConfig
    base_url: str = ""
    users: dict[int, SandboxUser] = field(default_factory=dict)
    groups: dict[int, SandboxGroup] = field(default_factory=dict)
    messages: dict[str, StoredMessage] = field(default_factory=dict)
    chat_log: dict[int, list[ChatEvent]] = field(default_factory=dict)
    callbacks: dict[str, CallbackRecord] = field(default_factory=dict)
    uploads: dict[str, PendingUpload] = field(default_factory=dict)
    media: dict[str, MediaItem] = field(default_factory=dict)
    media_by_token: dict[str, MediaItem] = field(default_factory=dict)
    subscription: Subscription | None = None
    commands: list[JsonDict] = field(default_factory=list)
    chat_actions: list[JsonDict] = field(default_factory=list)
    faults: Faults = field(default_factory=Faults)
    request_log: list[JsonDict] = field(default_factory=list)
    deliveries: list[JsonDict] = field(default_factory=list)
    limit_violations: list[JsonDict] = field(default_factory=list)
    updates: UpdateQueue = field(default_factory=UpdateQueue)
    webhook_queue: asyncio.Queue[JsonDict] = field(default_factory=asyncio.Queue)
    bot_window: SlidingWindow = field(default_factory=SlidingWindow)
    chat_windows: dict[int, SlidingWindow] = field(default_factory=dict)
    _user_ids: Iterator[int] = field(default_factory=lambda: itertools.count(100_000_001))
    _chat_ids: Iterator[int] = field(default_factory=lambda: itertools.count(9_100_000_001))
    _seq: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    # group chat ids are negative in MAX, dialog ids positive (docs/max-platform.md)
    _group_ids: Iterator[int] = field(default_factory=lambda: itertools.count(70_000_000_001))

    def __post_init__(self) -> None:
        self._user_ids = itertools.count(self.config.first_user_id)
        self._chat_ids = itertools.count(self.config.first_chat_id)

    def next_user_id(self) -> int:
        user_id = next(self._user_ids)
        while user_id in self.users:
            user_id = next(self._user_ids)
        return user_id

    def next_chat_id(self) -> int:
        return next(self._chat_ids)

    def next_group_id(self) -> int:
        return -next(self._group_ids)

    def next_seq(self) -> int:
        # Real seq values are large int64s growing with time; keep that shape.
        return (now_ms() << 16) | (next(self._seq) & 0xFFFF)

    def user_by_chat(self, chat_id: int) -> SandboxUser | None:
        return next((u for u in self.users.values() if u.chat_id == chat_id), None)

    def chat_window(self, chat_id: int) -> SlidingWindow:
        return self.chat_windows.setdefault(chat_id, SlidingWindow())

    def log_chat_event(self, chat_id: int, event: ChatEvent) -> None:
        self.chat_log.setdefault(chat_id, []).append(event)

    def reset(self) -> None:
        fresh = SandboxState(self.config, base_url=self.base_url)
        for name in ("users", "groups", "messages", "chat_log", "callbacks", "uploads", "media",
                     "media_by_token", "commands", "chat_actions", "request_log", "deliveries",
                     "limit_violations", "chat_windows"):
            setattr(self, name, getattr(fresh, name))
        self.subscription = None
        self.faults = Faults()
        self.bot_window = SlidingWindow()
        self.updates.clear()
        while not self.webhook_queue.empty():
            self.webhook_queue.get_nowait()


SANDBOX_STATE = web.AppKey("sandbox_state", SandboxState)
