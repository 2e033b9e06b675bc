"""Export notices in the chat: the archive as a file, or why it is not one."""

from __future__ import annotations

from math import ceil

from bot.notices.rendered import Rendered
from bot.services import BotIdentity
from bot.texts import label, t
from gallery.notices.kinds import ExportDone
from storage.models import Language

APP_PAGE = "account"  # the mini-app's start parameter of My data (views/account.js)


def export_done(notice: ExportDone, language: Language, identity: BotIdentity) -> Rendered:
    match notice.outcome:
        case "attached":
            return Rendered(t("export.attached", language, hours=notice.kept_hours))
        case "link_only":
            button = identity.open_app_button(label("export.open", language), APP_PAGE)
            text = t("export.link_only", language, mb=ceil(notice.byte_size / 1e6))
            return Rendered(text, [[button]])
        case "too_large":
            return Rendered(t("export.failed_too_large", language))
        case _:
            return Rendered(t("export.failed", language))
