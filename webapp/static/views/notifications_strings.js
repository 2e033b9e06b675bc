// Strings of the notification settings screen.

import { addStrings } from "../i18n.js";

addStrings({
  en: {
    notifications: "Notifications", notificationsLegend: "Messages from the bot",
    notificationsIntro: "Choose what the bot tells you in the chat. What you turn off still shows in the inbox.",
    notify_trades: "Trades and their outcomes", notify_tradesHint: "Trades proposed to you, counters, and how your trades ended.",
    notify_transfers: "Transfers", notify_transfersHint: "Objects handed over to you, and how your transfers ended.",
    notify_requests: "Access requests", notify_requestsHint: "Requests to see your collection, and answers to yours.",
    notify_favorites: "Favourites of my objects", notify_favoritesHint: "At most one message an hour per object.",
    notify_moderation: "Moderation", notify_moderationHint: "Your object hidden or shown again; for moderators, new reports.",
    notificationsAlways: "A message that your account was banned, or the ban lifted, always arrives.",
    notifyOn: "On: {what}", notifyOff: "Off: {what}",
  },
  ru: {
    notifications: "Уведомления", notificationsLegend: "Сообщения от бота",
    notificationsIntro: "Выберите, о чём бот пишет вам в чат. То, что выключено, всё равно видно во «Входящих».",
    notify_trades: "Обмены и их итоги", notify_tradesHint: "Обмены, которые вам предлагают, встречные и чем закончились ваши.",
    notify_transfers: "Передачи", notify_transfersHint: "Объекты, которые вам передают, и итоги ваших передач.",
    notify_requests: "Запросы доступа", notify_requestsHint: "Просьбы увидеть вашу коллекцию и ответы на ваши.",
    notify_favorites: "Мои объекты в избранном", notify_favoritesHint: "Не чаще одного сообщения в час на объект.",
    notify_moderation: "Модерация", notify_moderationHint: "Ваш объект скрыт или снова виден; модераторам — новые жалобы.",
    notificationsAlways: "Сообщение о блокировке аккаунта или её снятии приходит всегда.",
    notifyOn: "Включено: {what}", notifyOff: "Выключено: {what}",
  },
});
