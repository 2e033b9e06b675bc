"""Moderation notices in the chat: new reports to the operators, and to a person what the
operators did to their object or account. Reasons are people's words: escaped by t()."""

from __future__ import annotations

from bot import keyboards
from bot.markup import Markup, escape, join_lines
from bot.notices.rendered import Buttons, Rendered
from bot.payloads import encode
from bot.services import BotIdentity
from bot.texts import label, t
from gallery.notices.kinds import Banned, ObjectHidden, ObjectRestored, ReportsWaiting, Unbanned
from storage.models import Language

LIST = "ml"
SCREEN_PARAM = "mod"
KINDS = ("spam", "copyright", "offensive", "violence", "sexual", "other")


ModerationNotice = ReportsWaiting | ObjectHidden | ObjectRestored | Banned | Unbanned
KINDS_RENDERED = (ReportsWaiting, ObjectHidden, ObjectRestored, Banned, Unbanned)


def render(notice: ModerationNotice, language: Language, identity: BotIdentity) -> Rendered:
    match notice:
        case ReportsWaiting():
            return reports_waiting(notice, language, identity)
        case ObjectHidden():
            return hidden(notice, language, identity)
        case ObjectRestored():
            return restored(notice, language, identity)
        case Banned():
            return banned(notice, language)
        case Unbanned():
            return unbanned(notice, language)


def reason_text(reason: str, language: Language) -> Markup:
    """A fixed reason (a report kind, as the chat's buttons send it) in the reader's language;
    anything else is an operator's own words, escaped."""
    if reason in KINDS:
        return escape(label(f"mod.kind.{reason}", language))
    return escape(reason)


def operator_buttons(language: Language, identity: BotIdentity) -> Buttons:
    return [
        [keyboards.callback(label("mod.button.list", language), encode(LIST))],
        [identity.open_app_button(label("mod.button.screen", language), SCREEN_PARAM)],
    ]


def reports_waiting(notice: ReportsWaiting, language: Language, identity: BotIdentity
                    ) -> Rendered:  # fmt: skip
    titles = join_lines(t("mod.push.title", language, title=title) for title in notice.titles)
    text = t("mod.push.reports", language, count=notice.count, total=notice.open_total,
             titles=titles)  # fmt: skip
    return Rendered(text, operator_buttons(language, identity))


def hidden(notice: ObjectHidden, language: Language, identity: BotIdentity) -> Rendered:
    text = t("mod.owner.hidden", language, title=notice.title,
             reason=reason_text(notice.reason, language))  # fmt: skip
    open_button = identity.open_app_button(label("open_object", language), f"o_{notice.object_id}")
    return Rendered(text, [[open_button]])


def restored(notice: ObjectRestored, language: Language, identity: BotIdentity) -> Rendered:
    open_button = identity.open_app_button(label("open_object", language), f"o_{notice.object_id}")
    return Rendered(t("mod.owner.restored", language, title=notice.title), [[open_button]])


def banned(notice: Banned, language: Language) -> Rendered:
    return Rendered(t("mod.owner.banned", language, reason=reason_text(notice.reason, language)))


def unbanned(notice: Unbanned, language: Language) -> Rendered:
    return Rendered(t("mod.owner.unbanned", language))
