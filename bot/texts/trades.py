"""What the bot says about trade offers, in Russian and English; merged into bot.texts.TEXTS.

Values: {name} is the other person, {give}/{take} are the titles on each side as the person
addressed sees them ("you give" / "you get", "—" for none), {note} is the proposer's
message or nothing.
"""

from __future__ import annotations

from storage.models import Language

TRADE_TEXTS: dict[str, dict[Language, str]] = {
    "trade.offer": {
        "ru": "{name} предлагает обмен.\nВы отдаёте: {give}\nВы получаете: {take}{note}",
        "en": "{name} offers you a trade.\nYou give: {give}\nYou get: {take}{note}",
    },
    "trade.counter": {
        "ru": "{name} отвечает встречным предложением.\nВы отдаёте: {give}\n"
        "Вы получаете: {take}{note}",
        "en": "{name} answers with a counter-offer.\nYou give: {give}\nYou get: {take}{note}",
    },
    "trade.accepted": {
        "ru": "{name} принял(а) ваш обмен: вы отдали {give} и получили {take}.",
        "en": "{name} accepted your trade: you gave {give} and got {take}.",
    },
    "trade.declined": {
        "ru": "{name} отклонил(а) ваше предложение обмена.",
        "en": "{name} declined your trade offer.",
    },
    "trade.cancelled": {
        "ru": "{name} отозвал(а) предложение обмена.",
        "en": "{name} withdrew their trade offer.",
    },
    "trade.expired": {
        "ru": "Срок предложения обмена с {name} истёк.",
        "en": "The trade offer with {name} has expired.",
    },
    "trade.invalidated": {
        "ru": "Предложение обмена с {name} больше не действует: объекты в нём изменились.",
        "en": "The trade offer with {name} is no longer valid: the objects in it changed.",
    },
    "trade.transfer_invalidated": {
        "ru": "Ваша передача объекта отменена: объект сменил владельца.",
        "en": "Your pending transfer was voided: the object changed hands.",
    },
    "trade.button.accept": {"ru": "Принять", "en": "Accept"},
    "trade.button.decline": {"ru": "Отклонить", "en": "Decline"},
    "trade.button.open": {"ru": "Открыть", "en": "Open"},
    "trade.toast.accepted": {"ru": "Обмен состоялся", "en": "Trade done"},
    "trade.toast.declined": {"ru": "Предложение отклонено", "en": "Offer declined"},
    "trade.toast.stale": {
        "ru": "Это предложение больше не действует.",
        "en": "This offer is no longer valid.",
    },
    "trade.done.accepted": {
        "ru": "Вы приняли обмен с {name}: отдали {give} и получили {take}.",
        "en": "You accepted the trade with {name}: you gave {give} and got {take}.",
    },
    "trade.done.declined": {
        "ru": "Вы отклонили предложение обмена от {name}.",
        "en": "You declined the trade offer from {name}.",
    },
    "trade.done.stale": {
        "ru": "Это предложение обмена больше не действует.",
        "en": "This trade offer is no longer valid.",
    },
    # an offer voided because an object in it changed after it was made (gallery.voiding)
    "trade.void.moved": {
        "ru": "Предложение обмена с {name} больше не действует: один из объектов сменил владельца.",
        "en": "The trade offer with {name} is no longer valid: an object in it changed hands.",
    },
    "trade.void.deleted": {
        "ru": "Предложение обмена с {name} больше не действует: один из объектов удалён.",
        "en": "The trade offer with {name} is no longer valid: an object in it was deleted.",
    },
    "trade.void.edited": {
        "ru": "Предложение обмена с {name} больше не действует: один из объектов переименован.",
        "en": "The trade offer with {name} is no longer valid: an object in it was renamed.",
    },
    "trade.void.hidden": {
        "ru": "Предложение обмена с {name} больше не действует: один из объектов теперь скрыт "
        "настройками приватности.",
        "en": "The trade offer with {name} is no longer valid: an object in it is now hidden "
        "by privacy settings.",
    },
}
