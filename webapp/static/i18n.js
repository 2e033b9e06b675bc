// UI strings in Russian and English, chosen from the person's MAX language.

const STRINGS = {
  en: {
    app: "Gallery", loading: "Loading…", back: "Back", scan: "Scan a QR code",
    tabGallery: "Gallery", tabMine: "Mine", tabUpload: "Add", tabFavorites: "Favourites", tabInbox: "Inbox",
    search: "Search titles and descriptions", searchLabel: "Search the gallery",
    emptyGallery: "The gallery is empty", emptyGalleryText: "Be the first: add a photo and it becomes an art object you own.",
    noResults: "Nothing found", noResultsText: "Try other words.",
    emptyMine: "You own nothing yet", emptyMineText: "Add a photo, or receive one by trade or QR.",
    emptyFavorites: "No favourites yet", emptyFavoritesText: "Tap the heart on an object to keep it here.",
    emptyOwner: "No objects", addPhoto: "Add a photo", loadMore: "Show more",
    owner: "Owner", creator: "Created by", favorite: "Add to favourites", unfavorite: "Remove from favourites",
    history: "History", someone: "a private collector", created: "Created by {to}", transfer: "{from} handed it to {to}",
    trade: "{from} traded it to {to}", moved: "{from} → {to}",
    edit: "Edit", delete: "Delete", deleteConfirm: "Delete «{title}» for good?", deleted: "Deleted",
    save: "Save", cancel: "Cancel", saved: "Saved", title: "Title", description: "Description",
    ownerObjects: "Collection of {name}", objectsOf: "Objects", open: "Open",
    uploadTitle: "Add a photo", choosePhoto: "Choose a photo", choosePhotoHint: "JPEG, PNG, WebP or GIF",
    titleHint: "Optional; the photo gets a name if you leave it empty", uploading: "Uploading… {pct}%",
    upload: "Add to the gallery", uploaded: "Added to the gallery", pickFirst: "Choose a photo first",
    noMax: "Open this from MAX", noMaxText: "The gallery opens inside MAX, from the bot's chat. Open it again from there.",
    sessionEnded: "Your session has ended", sessionEndedText: "Open the gallery again from the bot's chat in MAX.",
    notFound: "Not found", notFoundText: "This object does not exist or is not visible to you.",
    offline: "No connection. Check the network and try again.", retry: "Try again",
    genericError: "Something went wrong. Try again.",
    errDuplicate: "This photo is already in the gallery as {title}.",
    errNearDuplicate: "A very similar photo is already in the gallery as {title}.",
    errDuplicateHidden: "This photo is already in the gallery.",
    errNearDuplicateHidden: "A very similar photo is already in the gallery.",
    errTooLarge: "The file is too large.", errType: "This is not a photo we can read (JPEG, PNG, WebP or GIF).",
    errPixels: "The image has too many pixels.", errForbidden: "Only the owner can do that.",
    errMoved: "It has changed hands, so it can no longer be deleted.",
    makeTransfer: "Hand over by QR", offerTrade: "Offer a trade", tradeClosed: "The trade is closed",
  },
  ru: {
    app: "Галерея", loading: "Загрузка…", back: "Назад", scan: "Сканировать QR-код",
    tabGallery: "Галерея", tabMine: "Мои", tabUpload: "Добавить", tabFavorites: "Избранное", tabInbox: "Входящие",
    search: "Поиск по названиям и описаниям", searchLabel: "Поиск по галерее",
    emptyGallery: "Галерея пуста", emptyGalleryText: "Будьте первым: добавьте фото, и оно станет вашим арт-объектом.",
    noResults: "Ничего не найдено", noResultsText: "Попробуйте другие слова.",
    emptyMine: "У вас пока ничего нет", emptyMineText: "Добавьте фото или получите его обменом или по QR.",
    emptyFavorites: "Избранного пока нет", emptyFavoritesText: "Нажмите на сердечко у объекта, чтобы сохранить его здесь.",
    emptyOwner: "Нет объектов", addPhoto: "Добавить фото", loadMore: "Показать ещё",
    owner: "Владелец", creator: "Автор", favorite: "В избранное", unfavorite: "Убрать из избранного",
    history: "История", someone: "скрытый коллекционер", created: "Создал(а) {to}", transfer: "{from} передал(а) объект {to}",
    trade: "{from} обменял(а) объект с {to}", moved: "{from} → {to}",
    edit: "Изменить", delete: "Удалить", deleteConfirm: "Удалить «{title}» навсегда?", deleted: "Удалено",
    save: "Сохранить", cancel: "Отмена", saved: "Сохранено", title: "Название", description: "Описание",
    ownerObjects: "Коллекция: {name}", objectsOf: "Объекты", open: "Открыть",
    uploadTitle: "Добавить фото", choosePhoto: "Выберите фото", choosePhotoHint: "JPEG, PNG, WebP или GIF",
    titleHint: "Необязательно: без названия фото получит имя само", uploading: "Загрузка… {pct}%",
    upload: "Добавить в галерею", uploaded: "Добавлено в галерею", pickFirst: "Сначала выберите фото",
    noMax: "Откройте из MAX", noMaxText: "Галерея открывается внутри MAX, из чата с ботом. Откройте её оттуда ещё раз.",
    sessionEnded: "Сеанс завершён", sessionEndedText: "Откройте галерею заново из чата с ботом в MAX.",
    notFound: "Не найдено", notFoundText: "Такого объекта нет или он вам не виден.",
    offline: "Нет соединения. Проверьте сеть и попробуйте ещё раз.", retry: "Повторить",
    genericError: "Что-то пошло не так. Попробуйте ещё раз.",
    errDuplicate: "Это фото уже есть в галерее: {title}.",
    errNearDuplicate: "Очень похожее фото уже есть в галерее: {title}.",
    errDuplicateHidden: "Это фото уже есть в галерее.",
    errNearDuplicateHidden: "Очень похожее фото уже есть в галерее.",
    errTooLarge: "Файл слишком большой.", errType: "Это не фото, которое мы умеем читать (JPEG, PNG, WebP или GIF).",
    errPixels: "В изображении слишком много пикселей.", errForbidden: "Это может сделать только владелец.",
    errMoved: "Объект уже переходил из рук в руки, удалить его нельзя.",
    makeTransfer: "Передать по QR", offerTrade: "Предложить обмен", tradeClosed: "Обмен закрыт",
  },
};

let language = "en";

export function setLanguage(code) {
  language = String(code || "").toLowerCase().startsWith("ru") ? "ru" : "en";
  document.documentElement.lang = language;
}

export function currentLanguage() {
  return language;
}

export function addStrings(extra) {
  for (const lang of Object.keys(STRINGS)) Object.assign(STRINGS[lang], extra[lang] || {});
}

export function t(key, vars = {}) {
  const text = STRINGS[language][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

const ERROR_KEYS = {
  too_large: "errTooLarge", unsupported_type: "errType", truncated: "errType", corrupt: "errType",
  too_many_pixels: "errPixels", decompression_bomb: "errPixels", forbidden: "errForbidden",
  moved: "errMoved", not_found: "notFoundText",
};

// A sentence for an API refusal: ours where we have one, else the server's own detail.
export function errorText(error) {
  if (!error || error.network) return t(error?.network ? "offline" : "genericError");
  const quoted = /«[^»]*»/.exec(String(error.detail || ""));
  if (error.code === "duplicate" || error.code === "near_duplicate") {
    const key = error.code === "duplicate" ? "errDuplicate" : "errNearDuplicate";
    // the title is named only when the object is visible to me (the server decides)
    return quoted ? t(key, { title: quoted[0] }) : t(`${key}Hidden`);
  }
  if (ERROR_KEYS[error.code]) return t(ERROR_KEYS[error.code]);
  if (STRINGS[language][`err_${error.code}`]) return t(`err_${error.code}`);
  const closed = /^trade_(accepted|declined|cancelled|expired|invalidated|countered)$/.exec(error.code);
  if (closed) return `${t("tradeClosed")}: ${t(`status_${closed[1]}`)}`;
  if (typeof error.detail === "string" && error.detail) return error.detail;
  return t("genericError");
}
