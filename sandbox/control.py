from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self

if TYPE_CHECKING:  # imported on first use: the app runs a sandbox but never drives it
    import httpx

JsonDict = dict[str, Any]
Variant = Literal["valid", "expired", "tampered", "future"]


class SandboxControl:
    """Plays MAX users and inspects the sandbox through its /_sandbox/ control API."""

    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        self.base_url, self.timeout = base_url, timeout
        self._http: httpx.AsyncClient | None = None

    @property
    def http(self) -> "httpx.AsyncClient":
        """The test client (httpx, a test dependency), made when first asked for."""
        if self._http is None:
            import httpx  # here, not at the top: kept out of the app process

            self._http = httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout)
        return self._http

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.close()

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()

    async def _json(self, method: str, path: str, **kwargs: Any) -> JsonDict:
        response = await self.http.request(method, f"/_sandbox{path}", **kwargs)
        response.raise_for_status()
        body: JsonDict = response.json()
        return body

    async def create_user(self, first_name: str = "Test", *, user_id: int | None = None,
                          last_name: str | None = None, username: str | None = None,
                          language_code: str = "ru") -> JsonDict:
        body: JsonDict = {"first_name": first_name, "last_name": last_name, "username": username,
                "language_code": language_code}
        if user_id is not None:
            body["user_id"] = user_id
        return await self._json("POST", "/users", json=body)

    async def send_text(self, user_id: int, text: str) -> JsonDict:
        return await self._json("POST", f"/users/{user_id}/messages", json={"text": text})

    async def send_photos(self, user_id: int, photos: list[bytes],
                          caption: str | None = None) -> JsonDict:
        files = [("photo", (f"photo{i}.jpg", data, "image/jpeg")) for i, data in enumerate(photos)]
        data = {"caption": caption} if caption is not None else {}
        return await self._json("POST", f"/users/{user_id}/messages", data=data, files=files)

    async def start_bot(self, user_id: int, payload: str | None = None) -> JsonDict:
        return await self._json("POST", f"/users/{user_id}/start", json={"payload": payload})

    async def press_button(self, user_id: int, mid: str, payload: str | None = None, *,
                           text: str | None = None) -> JsonDict:
        body = {"mid": mid, "payload": payload, "text": text}
        return await self._json("POST", f"/users/{user_id}/press", json=body)

    async def block(self, user_id: int) -> JsonDict:
        return await self._json("POST", f"/users/{user_id}/block")

    async def unblock(self, user_id: int) -> JsonDict:
        return await self._json("POST", f"/users/{user_id}/unblock")

    async def chat_messages(self, *, chat_id: int | None = None,
                            user_id: int | None = None) -> list[JsonDict]:
        path = f"/chats/{chat_id}/messages" if chat_id is not None else \
            f"/users/{user_id}/messages"
        events: list[JsonDict] = (await self._json("GET", path))["events"]
        return events

    async def launch_data(self, user_id: int, start_param: str | None = None,
                          variant: Variant = "valid") -> JsonDict:
        params: dict[str, str] = {"variant": variant}
        if start_param is not None:
            params["start_param"] = start_param
        return await self._json("GET", f"/users/{user_id}/launch", params=params)

    async def inject_fault(self, kind: str = "http", *, count: int | None = None,
                           status: int = 503, method: str | None = None,
                           path: str | None = None, duration_s: float | None = None,
                           starts_in_s: float | None = None, delay_s: float | None = None,
                           retry_after_s: int | None = None) -> JsonDict:
        """`count` requests spoiled (one unless a duration is given), or every matching one for
        `duration_s` from `starts_in_s`. Kinds: http (429/503), hang, answer_late."""
        body: JsonDict = {"kind": kind, "status": status, "method": method, "path": path}
        optional = {"count": count, "duration_s": duration_s, "starts_in_s": starts_in_s,
                    "delay_s": delay_s, "retry_after_s": retry_after_s}
        body.update({k: v for k, v in optional.items() if v is not None})
        return await self._json("POST", "/faults", json=body)

    async def faults(self) -> JsonDict:
        faults: JsonDict = (await self._json("GET", "/faults"))["faults"]
        return faults

    async def webhook_deliveries(self) -> list[JsonDict]:
        deliveries: list[JsonDict] = (await self._json("GET", "/deliveries"))["deliveries"]
        return deliveries

    async def requests_log(self) -> list[JsonDict]:
        requests: list[JsonDict] = (await self._json("GET", "/requests"))["requests"]
        return requests

    async def stats(self) -> JsonDict:
        return await self._json("GET", "/stats")

    async def create_group(self, title: str, owner_id: int, member_ids: Sequence[int] = (),
                           *, with_bot: bool = False) -> JsonDict:
        body = {"title": title, "owner_id": owner_id, "member_ids": list(member_ids),
                "with_bot": with_bot}
        return await self._json("POST", "/groups", json=body)

    async def group(self, chat_id: int) -> JsonDict:
        return await self._json("GET", f"/groups/{chat_id}")

    async def add_member(self, chat_id: int, user_id: int,
                         inviter_id: int | None = None) -> JsonDict:
        body = {"user_id": user_id, "inviter_id": inviter_id}
        return await self._json("POST", f"/groups/{chat_id}/members", json=body)

    async def remove_member(self, chat_id: int, user_id: int,
                            admin_id: int | None = None) -> JsonDict:
        params = {"admin_id": str(admin_id)} if admin_id is not None else {}
        return await self._json("DELETE", f"/groups/{chat_id}/members/{user_id}", params=params)

    async def add_bot(self, chat_id: int, by_user_id: int) -> JsonDict:
        return await self._json("POST", f"/groups/{chat_id}/bot", json={"user_id": by_user_id})

    async def remove_bot(self, chat_id: int, by_user_id: int) -> JsonDict:
        return await self._json("DELETE", f"/groups/{chat_id}/bot",
                                json={"user_id": by_user_id})

    async def send_group_text(self, chat_id: int, user_id: int, text: str,
                              reply_to: str | None = None) -> JsonDict:
        body = {"user_id": user_id, "text": text, "reply_to": reply_to}
        return await self._json("POST", f"/groups/{chat_id}/messages", json=body)

    async def send_group_photos(self, chat_id: int, user_id: int, photos: list[bytes],
                                caption: str | None = None) -> JsonDict:
        files = [("photo", (f"photo{i}.jpg", data, "image/jpeg")) for i, data in enumerate(photos)]
        data = {"user_id": str(user_id), **({"caption": caption} if caption is not None else {})}
        return await self._json("POST", f"/groups/{chat_id}/messages", data=data, files=files)

    async def press_group_button(self, chat_id: int, user_id: int, mid: str,
                                 payload: str | None = None, *,
                                 text: str | None = None) -> JsonDict:
        body = {"user_id": user_id, "mid": mid, "payload": payload, "text": text}
        return await self._json("POST", f"/groups/{chat_id}/press", json=body)

    async def reset(self) -> None:
        await self._json("POST", "/reset")
