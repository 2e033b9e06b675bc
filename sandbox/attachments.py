from typing import Any

from sandbox.clock import new_int64_id, new_opaque_id
from sandbox.errors import attachment_not_ready, proto_payload
from sandbox.state import JsonDict, MediaItem, SandboxState
from sandbox.validation import keyboard_buttons, required_str

TOKEN_KINDS = ("video", "audio", "file")


def media_url(state: SandboxState, item: MediaItem) -> str:
    return f"{state.base_url}/_media/{item.media_id}"


class AttachmentBuilder:
    """Turns AttachmentRequest objects into attachments as MAX shows them in received messages."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.used_media: list[MediaItem] = []

    def build_all(self, requests: list[JsonDict]) -> list[JsonDict]:
        built = [self.build(r) for r in requests]
        self.check_ready()
        return built

    def build(self, request: JsonDict) -> JsonDict:
        kind = str(request["type"])
        payload = request.get("payload")
        if kind == "location":
            return location(request)
        if not isinstance(payload, dict):
            raise proto_payload("Missing required field: payload")
        if kind == "image":
            return self.image(payload)
        if kind in TOKEN_KINDS:
            return self.tokened(kind, payload)
        if kind == "inline_keyboard":
            buttons = keyboard_buttons(payload)
            return {"type": kind, "callback_id": new_opaque_id(), "payload": {"buttons": buttons}}
        return echo_simple(kind, payload)

    def image(self, payload: JsonDict) -> JsonDict:
        given = [k for k in ("token", "url", "photos") if payload.get(k) is not None]
        if len(given) != 1:
            raise proto_payload("Image payload needs exactly one of token, url, photos")
        if given[0] == "url":
            url = required_str(payload, "url")
            photo = {"photo_id": new_int64_id(), "token": new_opaque_id(), "url": url}
            return {"type": "image", "payload": photo}
        token = required_str(payload, "token") if given[0] == "token" else photos_token(payload)
        item = self.lookup(token, "image", f"Invalid photo token provided: {token}")
        photo = {"photo_id": item.photo_id, "token": item.token, "url": media_url(self.state, item)}
        return {"type": "image", "payload": photo}

    def tokened(self, kind: str, payload: JsonDict) -> JsonDict:
        token = required_str(payload, "token")
        item = self.lookup(token, kind, f"Invalid {kind} token provided: {token}")
        built: JsonDict = {"type": kind,
                           "payload": {"url": media_url(self.state, item), "token": item.token}}
        if kind == "file":
            built.update(filename=item.filename, size=len(item.data))
        return built

    def lookup(self, token: str, kind: str, error: str) -> MediaItem:
        item = self.state.media_by_token.get(token)
        if item is None or item.kind != kind:
            raise proto_payload(error)
        self.used_media.append(item)
        return item

    def check_ready(self) -> None:
        faults = self.state.faults
        fresh = any(not item.sent_once for item in self.used_media)
        if fresh and faults.not_ready_sends > 0:
            faults.not_ready_sends -= 1
            raise attachment_not_ready()

    def mark_sent(self) -> None:
        for item in self.used_media:
            item.sent_once = True


def photos_token(payload: JsonDict) -> str:
    photos = payload["photos"]
    if not isinstance(photos, dict) or len(photos) != 1:
        raise proto_payload("Field 'photos' must hold exactly one photo token")
    (entry,) = photos.values()
    if not isinstance(entry, dict):
        raise proto_payload("Field 'photos' must map ids to {token}")
    return required_str(entry, "token")


def location(request: JsonDict) -> JsonDict:
    lat, lon = request.get("latitude"), request.get("longitude")
    if not is_number(lat) or not is_number(lon):
        raise proto_payload("Location needs numeric latitude and longitude")
    return {"type": "location", "latitude": lat, "longitude": lon}


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def echo_simple(kind: str, payload: JsonDict) -> JsonDict:
    if kind == "sticker":
        code = required_str(payload, "code")
        return {"type": kind, "payload": {"url": f"sticker://{code}", "code": code},
                "width": 128, "height": 128}
    if kind == "contact":
        name = required_str(payload, "name")
        return {"type": kind, "payload": {"vcf_info": payload.get("vcf_info") or f"FN:{name}",
                                          "max_info": None}}
    if kind == "share":
        return {"type": kind, "payload": {"url": payload.get("url"), "token": payload.get("token")}}
    raise proto_payload(f"Unknown attachment type: {kind}")
