"""The owner's push about favourites of their object: one person by name, or how many."""

from __future__ import annotations

from bot.notices.rendered import Rendered
from bot.services import BotIdentity
from bot.texts import label, t
from gallery.notices.kinds import ObjectFavorited
from storage.models import Language


def favorited(notice: ObjectFavorited, language: Language, identity: BotIdentity) -> Rendered:
    values = {"title": notice.title, "name": notice.name}
    if notice.count == 1:
        text = t("favorites.one", language, **values)
    else:
        text = t("favorites.many", language, count=notice.count, **values)
    open_button = identity.open_app_button(label("open_object", language), f"o_{notice.object_id}")
    return Rendered(text, [[open_button]])
