"""What the bot says about trades, in Russian and English; merged into bot.texts.TEXTS.

Values: {name} is the other person, {give}/{take} are the titles on each side as the person
addressed sees them ("you give" / "you get", "—" for none), {note} is the proposer's
message or nothing.
"""

from __future__ import annotations

from storage.models import Language

TRADE_TEXTS: dict[str, dict[Language, str]] = {
    "trade.proposed": {
        "ru": "{name} предлагает обмен.\nВы отдаёте: {give}\nВы получаете: {take}{note}",
        "en": "{name} offers you a trade.\nYou give: {give}\nYou get: {take}{note}",
    },
    "trade.counter": {
        "ru": "{name} предлагает встречный обмен.\nВы отдаёте: {give}\nВы получаете: {take}{note}",
        "en": "{name} answers with a trade of their own.\nYou give: {give}\nYou get: {take}{note}",
    },
    "trade.accepted": {
        "ru": "{name} принял(а) ваш обмен: вы отдали {give} и получили {take}.",
        "en": "{name} accepted your trade: you gave {give} and got {take}.",
    },
    "trade.declined": {
        "ru": "{name} отклонил(а) ваш обмен.",
        "en": "{name} declined your trade.",
    },
    "trade.cancelled": {
        "ru": "{name} отозвал(а) свой обмен.",
        "en": "{name} withdrew their trade.",
    },
    "trade.expired": {
        "ru": "Срок обмена с {name} истёк.",
        "en": "The trade with {name} has expired.",
    },
    "trade.invalidated": {
        "ru": "Обмен с {name} больше не действует: объекты в нём изменились.",
        "en": "The trade with {name} is no longer valid: the objects in it changed.",
    },
    "trade.transfer_invalidated": {
        "ru": "Ваша передача объекта отменена: объект сменил владельца.",
        "en": "Your pending transfer was voided: the object changed hands.",
    },
    "trade.button.accept": {"ru": "Принять", "en": "Accept"},
    "trade.button.decline": {"ru": "Отклонить", "en": "Decline"},
    "trade.button.open": {"ru": "Открыть", "en": "Open"},
    "trade.toast.accepted": {"ru": "Обмен состоялся", "en": "Trade done"},
    "trade.toast.declined": {"ru": "Обмен отклонён", "en": "Trade declined"},
    "trade.toast.stale": {
        "ru": "Этот обмен больше не действует.",
        "en": "This trade is no longer valid.",
    },
    "trade.done.accepted": {
        "ru": "Вы приняли обмен с {name}: отдали {give} и получили {take}.",
        "en": "You accepted the trade with {name}: you gave {give} and got {take}.",
    },
    "trade.done.declined": {
        "ru": "Вы отклонили обмен с {name}.",
        "en": "You declined the trade with {name}.",
    },
    "trade.done.stale": {
        "ru": "Этот обмен больше не действует.",
        "en": "This trade is no longer valid.",
    },
    # a trade voided because an object in it changed after it was proposed (gallery.voiding)
    "trade.void.moved": {
        "ru": "Обмен с {name} больше не действует: один из объектов сменил владельца.",
        "en": "The trade with {name} is no longer valid: an object in it changed hands.",
    },
    "trade.void.deleted": {
        "ru": "Обмен с {name} больше не действует: один из объектов удалён.",
        "en": "The trade with {name} is no longer valid: an object in it was deleted.",
    },
    "trade.void.edited": {
        "ru": "Обмен с {name} больше не действует: один из объектов переименован.",
        "en": "The trade with {name} is no longer valid: an object in it was renamed.",
    },
    "trade.void.hidden": {
        "ru": "Обмен с {name} больше не действует: один из объектов теперь скрыт настройками "
        "приватности.",
        "en": "The trade with {name} is no longer valid: an object in it is now hidden by "
        "privacy settings.",
    },
}
