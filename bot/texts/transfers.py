"""What the bot and the history say about transfers, in Russian and English (merged into TEXTS)."""

from __future__ import annotations

from storage.models import Language

TRANSFER_TEXTS: dict[str, dict[Language, str]] = {
    "button.transfer": {"ru": "Передать", "en": "Transfer"},
    "transfer.button.accept": {"ru": "Принять", "en": "Accept"},
    "transfer.button.decline": {"ru": "Отказаться", "en": "Decline"},
    "transfer.button.cancel": {"ru": "Отменить передачу", "en": "Cancel the transfer"},
    "transfer.qr": {
        "ru": "«{title}»: покажите этот QR-код получателю. Код одноразовый и действует "
        "{minutes} мин.",
        "en": "«{title}»: show this QR code to the receiver. It works once, for {minutes} minutes.",
    },
    "transfer.qr_toast": {"ru": "QR-код готов", "en": "Your QR code is ready"},
    "transfer.preview": {
        "ru": "{name} передаёт вам «{title}». Принять?",
        "en": "{name} is handing «{title}» over to you. Accept it?",
    },
    "transfer.preview_own": {
        "ru": "Это ваш QR-код для «{title}»: его сканирует получатель.",
        "en": "This is your own QR code for «{title}»: the receiver scans it.",
    },
    "transfer.direct": {
        "ru": "{name} хочет передать вам «{title}». Принять?",
        "en": "{name} wants to hand «{title}» over to you. Accept it?",
    },
    "transfer.accepted": {
        "ru": "Готово: «{title}» теперь ваш.",
        "en": "Done: «{title}» is yours now.",
    },
    "transfer.accepted_toast": {"ru": "Принято", "en": "Accepted"},
    "transfer.claimed": {
        "ru": "«{title}» теперь принадлежит {name}.",
        "en": "«{title}» now belongs to {name}.",
    },
    "transfer.declined": {
        "ru": "{name} не стал принимать «{title}».",
        "en": "{name} declined «{title}».",
    },
    "transfer.declined_self": {
        "ru": "Вы отказались от «{title}».",
        "en": "You declined «{title}».",
    },
    "transfer.declined_qr": {
        "ru": "Вы не стали принимать «{title}». Ничего не изменилось.",
        "en": "You did not accept «{title}». Nothing has changed.",
    },
    "transfer.declined_toast": {"ru": "Отказано", "en": "Declined"},
    "transfer.cancelled": {
        "ru": "Передача «{title}» отменена, QR-код больше не действует.",
        "en": "The transfer of «{title}» is cancelled; its QR code no longer works.",
    },
    "transfer.cancelled_toast": {"ru": "Передача отменена", "en": "Transfer cancelled"},
    "transfer.cancelled_for_receiver": {
        "ru": "{name} отменил передачу «{title}».",
        "en": "{name} cancelled the transfer of «{title}».",
    },
    "transfer.expired": {
        "ru": "Передача «{title}» истекла: никто её не принял.",
        "en": "The transfer of «{title}» expired; nobody accepted it.",
    },
    "transfer.refused.transfer_not_found": {
        "ru": "Эта передача недействительна.",
        "en": "This transfer is not valid.",
    },
    "transfer.refused.transfer_claimed": {
        "ru": "Эту передачу уже приняли.",
        "en": "This transfer has already been accepted.",
    },
    "transfer.refused.transfer_cancelled": {
        "ru": "Владелец отменил эту передачу.",
        "en": "The owner cancelled this transfer.",
    },
    "transfer.refused.transfer_declined": {
        "ru": "От этой передачи уже отказались.",
        "en": "This transfer was declined.",
    },
    "transfer.refused.transfer_invalidated": {
        "ru": "Передача больше не действует: у объекта сменился владелец.",
        "en": "This transfer is void: the object has changed hands.",
    },
    "transfer.refused.ownership_changed": {
        "ru": "Передача больше не действует: у объекта сменился владелец.",
        "en": "This transfer is void: the object has changed hands.",
    },
    "transfer.refused.transfer_expired": {
        "ru": "Срок этой передачи истёк. Попросите владельца показать новый QR-код.",
        "en": "This transfer has expired. Ask the owner for a new QR code.",
    },
    "transfer.refused.own_transfer": {
        "ru": "Это ваш собственный объект.",
        "en": "This object is already yours.",
    },
    "transfer.refused.not_owner": {
        "ru": "Передать объект может только его владелец.",
        "en": "Only the owner can transfer this object.",
    },
    "transfer.refused.not_found": {
        "ru": "Этого объекта больше нет.",
        "en": "This object no longer exists.",
    },
    # trade holds (docs/holds.md): {until} is a UTC time, {left} made by bot/holds.py
    "hold.refused": {
        "ru": "«{title}» недавно сменил владельца и удерживается до {until} UTC (ещё {left}): "
        "до тех пор его нельзя обменять или передать.",
        "en": "«{title}» changed hands recently and is on hold until {until} UTC ({left} left): "
        "it cannot be traded or transferred until then.",
    },
    "hold.card": {
        "ru": "Удерживается ещё {left} (до {until} UTC): пока его нельзя обменять или передать.",
        "en": "On hold for {left} more (until {until} UTC): it cannot be traded or transferred "
        "yet.",
    },
    "hold.received": {
        "ru": "Полученное можно будет обменять или передать дальше через {left} (в {until} UTC).",
        "en": "What you received can be traded or transferred again in {left} (at {until} UTC).",
    },
    "hold.hours": {"ru": "{hours} ч {minutes} мин", "en": "{hours} h {minutes} min"},
    "hold.minutes": {"ru": "{minutes} мин", "en": "{minutes} min"},
    # a transfer voided because its object changed after it was offered (gallery.voiding)
    "transfer.void.moved": {
        "ru": "Передача «{title}» больше не действует: у объекта новый владелец.",
        "en": "The transfer of «{title}» is no longer valid: the object has a new owner.",
    },
    "transfer.void.deleted": {
        "ru": "Передача «{title}» больше не действует: объект удалён.",
        "en": "The transfer of «{title}» is no longer valid: the object was deleted.",
    },
    "transfer.void.edited": {
        "ru": "Передача «{title}» больше не действует: объект переименован.",
        "en": "The transfer of «{title}» is no longer valid: the object was renamed.",
    },
    "transfer.void.hidden": {
        "ru": "Передача «{title}» больше не действует.",
        "en": "The transfer of «{title}» is no longer valid.",
    },
}
