"""What the bot says about data exports and deleting an account."""

from __future__ import annotations

from storage.models import Language

ACCOUNT_TEXTS: dict[str, dict[Language, str]] = {
    "export.queued": {
        "ru": "Готовлю архив с вашими данными: объекты, их история, избранное, сделки, "
        "передачи, запросы и оригиналы фотографий. Пришлю его сюда файлом.",
        "en": "Preparing an archive of your data: objects, their histories, favourites, "
        "trades, transfers, requests and your original photos. It will arrive here as a file.",
    },
    "export.too_soon": {
        "ru": "Архив можно заказывать раз в {every} мин. Попробуйте через {minutes} мин.",
        "en": "You can ask for an export once every {every} min. Try again in {minutes} min.",
    },
    "export.too_large": {
        "ru": "Ваши фотографии занимают больше, чем помещается в один архив ({cap} МБ).",
        "en": "Your photos take more than one export holds ({cap} MB).",
    },
    "export.attached": {
        "ru": "Ваш архив с данными: export.json и оригиналы фотографий. Он хранится {hours} ч.",
        "en": "Your data export: export.json and your original photos. It is kept {hours} h.",
    },
    "export.link_only": {
        "ru": "Архив готов, но слишком велик для файла в чате ({mb} МБ): "
        "скачайте его в мини-приложении.",
        "en": "Your export is ready but too large for a chat file ({mb} MB): "
        "download it in the mini-app.",
    },
    "export.failed_too_large": {
        "ru": "Архив не собран: он больше допустимого размера.",
        "en": "Your export was not built: it is larger than the cap.",
    },
    "export.failed": {
        "ru": "Архив не удалось собрать. Попробуйте позже.",
        "en": "Your export could not be built. Please try again later.",
    },
    "export.open": {"ru": "Открыть мои данные", "en": "Open my data"},
    "delete.warning": {
        "ru": "<b>Удалить аккаунт?</b>\n"
        "• Объекты в вашем владении ({owned}) и их фото будут удалены из галереи.\n"
        "• Открытые обмены ({trades}), передачи ({transfers}) и запросы доступа "
        "({requests}) отменятся, другая сторона получит уведомление.\n"
        "• В историях чужих объектов вы останетесь как «deleted account».\n"
        "• Избранное, входы и настройки удалятся. Это нельзя отменить.\n"
        "Кнопка действует {minutes} мин. Сначала можно скачать данные: /export",
        "en": "<b>Delete your account?</b>\n"
        "• The objects you own ({owned}) and their photos are removed from the gallery.\n"
        "• Open trades ({trades}), transfers ({transfers}) and access requests ({requests}) "
        "are cancelled; the other side is told.\n"
        "• Other people's object histories keep you as “deleted account”.\n"
        "• Favourites, logins and settings are deleted. This cannot be undone.\n"
        "The button works for {minutes} min. You can download your data first: /export",
    },
    "delete.confirm": {"ru": "Удалить навсегда", "en": "Delete for good"},
    "delete.keep": {"ru": "Оставить аккаунт", "en": "Keep my account"},
    "delete.kept": {"ru": "Аккаунт остаётся. Ничего не удалено.", "en": "Nothing was deleted."},
    "delete.done": {
        "ru": "Аккаунт удалён. Если вернётесь, /start начнёт всё с чистого листа.",
        "en": "Your account is deleted. If you come back, /start begins afresh.",
    },
    "delete.invalid": {
        "ru": "Это подтверждение больше не действует. Отправьте /delete ещё раз.",
        "en": "This confirmation is no longer valid. Send /delete again.",
    },
    "delete.changed": {
        "ru": "С момента предупреждения что-то изменилось. Отправьте /delete ещё раз.",
        "en": "Something changed since the warning. Send /delete again.",
    },
}
