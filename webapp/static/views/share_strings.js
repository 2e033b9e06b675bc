// Strings of provenance cards, object links and sharing.

import { addStrings } from "../i18n.js";

addStrings({
  en: {
    share: "Share", shareTitle: "Share «{title}»", cardAlt: "Provenance card of «{title}»",
    shareInMax: "Send in MAX", shareNative: "Share…", copyLink: "Copy link", linkCopied: "Link copied",
    shared: "Shared", close: "Close", cardLoading: "Drawing the card…", cardFailed: "The card could not be drawn. The link still works.",
    shareLink: "Link to this object",
    objectLockedTitle: "This object can't be shown",
    objectLockedText: "Its collection is private, or the link is wrong. You can ask its owner for access.",
    objectAsked: "If the object exists and its owner takes requests, they have been asked.",
  },
  ru: {
    share: "Поделиться", shareTitle: "Поделиться «{title}»", cardAlt: "Карточка объекта «{title}»",
    shareInMax: "Отправить в MAX", shareNative: "Поделиться…", copyLink: "Скопировать ссылку", linkCopied: "Ссылка скопирована",
    shared: "Отправлено", close: "Закрыть", cardLoading: "Рисуем карточку…", cardFailed: "Карточку нарисовать не удалось. Ссылка всё равно работает.",
    shareLink: "Ссылка на объект",
    objectLockedTitle: "Этот объект нельзя показать",
    objectLockedText: "Его коллекция закрыта, или ссылка неверна. Можно попросить владельца о доступе.",
    objectAsked: "Если объект существует и владелец принимает запросы, мы его спросили.",
  },
});
