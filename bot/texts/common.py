"""What the bot says in general, and about photos people send: Russian and English."""

from __future__ import annotations

from storage.models import Language

COMMON_TEXTS: dict[str, dict[Language, str]] = {
    "greeting": {
        "ru": "Здравствуйте, {name}! Это <b>Max Photo Gallery</b>: каждое фото, которое вы "
        "пришлёте, становится арт-объектом с владельцем и историей. Пришлите фото (можно "
        "несколько, подпись станет названием) или откройте галерею.",
        "en": "Hello, {name}! This is <b>Max Photo Gallery</b>: every photo you send becomes an "
        "art object with an owner and a history. Send a photo (several at once is fine; the "
        "caption becomes the title) or open the gallery.",
    },
    "open_gallery": {"ru": "Открыть галерею", "en": "Open the gallery"},
    "help": {
        "ru": "Что я умею:\n"
        "• пришлите фото — оно станет вашим объектом (подпись — название)\n"
        "• /my — ваши объекты\n• /gallery — открыть галерею\n• /settings — уведомления\n"
        "• /help — эта справка\n"
        "Обмены, передачи по QR-коду и запросы доступа приходят сюда с кнопками.",
        "en": "What I can do:\n"
        "• send a photo and it becomes your object (the caption is its title)\n"
        "• /my — your objects\n• /gallery — open the gallery\n• /settings — notifications\n"
        "• /help — this help\n"
        "Trades, QR transfers and access requests arrive here with buttons.",
    },
    "not_understood": {
        "ru": "Я не понял сообщение. Пришлите фото или наберите /help.",
        "en": "I didn't understand that. Send a photo or type /help.",
    },
    "error": {
        "ru": "Что-то пошло не так с нашей стороны. Мы уже разбираемся, попробуйте чуть позже.",
        "en": "Something went wrong on our side. We're looking into it; please try again later.",
    },
    "link_invalid": {
        "ru": "Эта ссылка недействительна или устарела.",
        "en": "This link is not valid or has expired.",
    },
    "object_card": {
        "ru": "«{title}» — владелец {owner}.",
        "en": "«{title}» — owned by {owner}.",
    },
    "open_object": {"ru": "Открыть", "en": "Open"},
    "open_profile": {"ru": "Открыть профиль", "en": "Open profile"},
    # the one answer to a burst over the chat's limits (bot/limits.py); the rest pass in silence
    "slow_down.photos": {
        "ru": "Слишком много фото за минуту — эти я не добавил. Подождите {seconds} с и "
        "пришлите их ещё раз.",
        "en": "That is a lot of photos in one minute, so I did not add these. Please wait "
        "{seconds} s and send them again.",
    },
    "slow_down.commands": {
        "ru": "Слишком много сообщений подряд. Подождите {seconds} с — до тех пор я их "
        "пропускаю.",
        "en": "That is a lot of messages in a row. Please wait {seconds} s; until then I am "
        "skipping them.",
    },
}

PHOTO_TEXTS: dict[str, dict[Language, str]] = {
    "card": {
        "ru": "«{title}» — теперь ваш арт-объект.",
        "en": "«{title}» is now your art object.",
    },
    "refused": {
        "ru": "Фото не добавлено: {reason}.",
        "en": "Photo not added: {reason}.",
    },
    "reason.duplicate": {
        "ru": "оно уже есть в галерее как «{title}»",
        "en": "it is already in the gallery as «{title}»",
    },
    "reason.near_duplicate": {
        "ru": "очень похожее фото уже есть в галерее: «{title}»",
        "en": "a very similar photo is already in the gallery: «{title}»",
    },
    # the same, where the object is hidden from the uploader: its title is not theirs to see
    "reason.duplicate_hidden": {
        "ru": "оно уже есть в галерее",
        "en": "it is already in the gallery",
    },
    "reason.near_duplicate_hidden": {
        "ru": "очень похожее фото уже есть в галерее",
        "en": "a very similar photo is already in the gallery",
    },
    "reason.unsupported_type": {
        "ru": "это не изображение JPEG, PNG, WebP или GIF",
        "en": "it is not a JPEG, PNG, WebP or GIF image",
    },
    "reason.too_large": {
        "ru": "файл больше {mb} МБ",
        "en": "the file is over {mb} MB",
    },
    "reason.too_many_pixels": {
        "ru": "изображение больше {mp} мегапикселей",
        "en": "the image is over {mp} megapixels",
    },
    "reason.damaged": {
        "ru": "файл повреждён или обрезан",
        "en": "the file is damaged or cut short",
    },
    "reason.bomb": {
        "ru": "изображение слишком велико, чтобы его открыть",
        "en": "the image is too large to open",
    },
    "reason.rate_limited": {
        "ru": "на сегодня вы загрузили столько, сколько можно за день; попробуйте позже",
        "en": "you have uploaded as much as one day allows; please try again later",
    },
    "reason.quota_exceeded": {
        "ru": "ваше место в галерее занято (не больше {objects} фото и {gb} ГБ); удалите "
        "что-нибудь из своих",
        "en": "your space in the gallery is used up (at most {objects} photos and {gb} GB); "
        "delete some of yours first",
    },
    "reason.download": {
        "ru": "не получилось скачать его из MAX, пришлите ещё раз",
        "en": "it could not be fetched from MAX, please send it again",
    },
    "reason.store_unavailable": {
        "ru": "хранилище фотографий сейчас недоступно, пришлите его ещё раз через минуту",
        "en": "photos cannot be stored right now, please send it again in a minute",
    },
    "button.open": {"ru": "Открыть", "en": "Open"},
    "button.rename": {"ru": "Переименовать", "en": "Rename"},
    "button.next": {"ru": "Дальше ▶", "en": "Next ▶"},
    "button.prev": {"ru": "◀ Назад", "en": "◀ Back"},
    "rename.prompt": {
        "ru": "Пришлите новое название для «{title}» (до 200 символов) или /cancel.",
        "en": "Send a new title for «{title}» (up to 200 characters) or /cancel.",
    },
    "rename.toast": {"ru": "Жду новое название", "en": "Waiting for the new title"},
    "rename.done": {"ru": "Готово: теперь это «{title}».", "en": "Done: it is now «{title}»."},
    "rename.not_owner": {
        "ru": "Переименовать объект может только его владелец.",
        "en": "Only the owner can rename this object.",
    },
    "cancelled": {"ru": "Отменено.", "en": "Cancelled."},
    "nothing_to_cancel": {"ru": "Нечего отменять.", "en": "Nothing to cancel."},
    "stale_button": {
        "ru": "Эта кнопка устарела.",
        "en": "This button is no longer valid.",
    },
    "object_gone": {"ru": "Этого объекта больше нет.", "en": "This object no longer exists."},
    "my.empty": {
        "ru": "У вас пока нет объектов. Пришлите фото — оно станет первым.",
        "en": "You have no objects yet. Send a photo and it becomes your first.",
    },
    "my.page": {
        "ru": "Ваши объекты ({total}), страница {page} из {pages}:",
        "en": "Your objects ({total}), page {page} of {pages}:",
    },
    "my.line": {"ru": "{number}. «{title}»", "en": "{number}. «{title}»"},
    "gallery": {
        "ru": "Галерея открывается в мини-приложении:",
        "en": "The gallery opens in the mini-app:",
    },
}
