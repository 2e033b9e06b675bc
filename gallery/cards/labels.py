"""The few words drawn on a card, in each language a person may choose. They are pixels, not chat
text, so they live with the drawing; a card is stored once per language."""

from __future__ import annotations

from gallery.cards.render import CardLabels
from storage.models import Language

LABELS: dict[Language, CardLabels] = {
    "en": CardLabels(
        by="by",
        owners="Owners",
        someone="a private collector",
        earlier="+{count} earlier",
        scan="Scan to open it in MAX",
        reasons={"created": "created", "transfer": "handed over", "trade": "traded"},
    ),
    "ru": CardLabels(
        by="автор:",
        owners="Владельцы",
        someone="скрытый коллекционер",
        earlier="+{count} ранее",
        scan="Наведите камеру, чтобы открыть в MAX",
        reasons={"created": "создан", "transfer": "передан", "trade": "обмен"},
    ),
}
