"""Access-request notices in the chat: a request with Approve / Decline, and its outcomes."""

from __future__ import annotations

from bot import keyboards
from bot.notices.rendered import Buttons, Rendered
from bot.payloads import encode
from bot.texts import label, t
from gallery.notices.kinds import AccessDecided, AccessRequested
from storage.models import Language

APPROVE, DECLINE = "pa", "pd"


def request_buttons(request_id: int, language: Language) -> Buttons:
    return [[
        keyboards.callback(label("profile.approve", language), encode(APPROVE, request_id)),
        keyboards.callback(label("profile.decline", language), encode(DECLINE, request_id)),
    ]]  # fmt: skip


def requested(notice: AccessRequested, language: Language) -> Rendered:
    text = t("profile.request", language, name=notice.requester_name)
    return Rendered(text, request_buttons(notice.request_id, language))


def decided(notice: AccessDecided, language: Language) -> Rendered:
    return Rendered(t(f"profile.{notice.outcome}", language, name=notice.other_name))
