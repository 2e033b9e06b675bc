"use strict";
// Group chats in the developer chat: the selected user is who you are, the selected group is
// where you are. With a group selected the log, the composer and the buttons act there (as
// the selected member); "Personal chat" goes back to the user's dialog with the bot.
let currentGroup = null;
let replyTo = null;
let shownGroup = null;  // the log opens a newly picked group at its latest message
const dialogRefreshLog = refreshLog;
const dialogPress = press;
const dialogSendMessage = sendMessage;

function groupPanel() {
  const panel = el("fieldset", { id: "groups-panel" },
    el("legend", { textContent: "Group chats" }),
    el("div", { id: "groups" }),
    el("input", { id: "group-title", placeholder: "Group title", value: "Photo club" }),
    el("button", { id: "create-group", textContent: "Create",
                   title: "The selected user creates it and adds the bot" }),
    el("br"),
    el("button", { id: "join-group", textContent: "Add selected user" }),
    el("button", { id: "leave-group", textContent: "Remove selected user" }),
    el("br"),
    el("button", { id: "add-bot", textContent: "Add bot" }),
    el("button", { id: "remove-bot", textContent: "Remove bot" }));
  document.querySelector("aside").insertBefore(panel, document.querySelector("aside > p.meta"));
  const head = el("div", { id: "chat-head" });
  document.querySelector("main").prepend(head);
  const replying = el("div", { id: "replying", hidden: true });
  document.querySelector("main").insertBefore(replying, $("composer"));
}

async function refreshGroups() {
  const { groups } = await api("/groups");
  const row = (text, active, onclick) =>
    el("div", { className: "user-row group-row" + (active ? " active" : ""), textContent: text,
                onclick });
  $("groups").replaceChildren(
    row("Personal chat with the bot", currentGroup === null, () => selectGroup(null)),
    ...groups.map(({ chat, has_bot }) => row(
      `# ${chat.title}${has_bot ? "" : " (no bot)"}`, chat.chat_id === currentGroup,
      () => selectGroup(chat.chat_id))));
  const group = groups.find((g) => g.chat.chat_id === currentGroup);
  $("chat-head").replaceChildren(group ? groupHead(group) : "");
  $("chat-head").hidden = !group;
}

function groupHead({ chat, has_bot, members }) {
  const names = members.map((m) => m.first_name).concat(has_bot ? ["the bot"] : []);
  return el("div", {},
    el("strong", { textContent: chat.title }),
    el("span", { className: "meta", textContent: ` · ${names.join(", ")}` }));
}

function selectGroup(chatId) {
  currentGroup = chatId;
  setReply(null);
  refreshGroups();
  refreshLog();
}

function setReply(event) {
  replyTo = event ? event.mid : null;
  const bar = $("replying");
  bar.hidden = !event;
  if (!event) return bar.replaceChildren();
  bar.replaceChildren(
    el("span", { textContent: `↩ Replying to ${event.sender_name}: ${event.text || "[photo]"}` }),
    el("button", { textContent: "✕", title: "Cancel the reply", onclick: () => setReply(null) }));
}

function renderGroupEvent(event) {
  const node = renderEvent(event);
  if (event.kind !== "message") return node;
  node.querySelector(".forward")?.remove();  // forwarding is a dialog affair
  // who said it, and whether it was you: a group has many voices
  const time = new Date(event.timestamp).toLocaleTimeString();
  node.querySelector(".meta").textContent = `${event.sender_name} · ${time}` +
    (event.edited_at ? " · edited" : "");
  if (event.from === "user" && event.sender_id !== currentUser) {
    node.classList.replace("user", "other");
  }
  if (event.link && !node.querySelector(".linked")) {
    const quoted = event.link.message || {};
    node.querySelector(".meta").after(el("div", { className: "linked quote" },
      el("div", { className: "meta", textContent: `↩ ${event.link.sender?.first_name || ""}` }),
      el("div", { className: "text", textContent: quoted.text || "[photo]" })));
  }
  if (event.kind === "message" && !event.deleted) {
    node.append(el("button", { className: "reply", textContent: "Reply",
                               onclick: () => setReply(event) }));
  }
  return node;
}

refreshLog = async function refreshGroupLog() {
  if (currentGroup === null) {
    shownGroup = null;
    return dialogRefreshLog();
  }
  const { events } = await api(`/groups/${currentGroup}/messages`);
  const log = $("log");
  const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 20;
  log.replaceChildren(...events.map(renderGroupEvent));
  if (atBottom || shownGroup !== currentGroup) log.scrollTop = log.scrollHeight;
  shownGroup = currentGroup;
};

press = async function pressInGroup(mid, button) {
  if (currentGroup === null) return dialogPress(mid, button);
  const result = await postJson(`/groups/${currentGroup}/press`,
    { user_id: currentUser, mid, payload: button.payload ?? null, text: button.text })
    .catch((e) => alert(e.message));
  if (result?.url) window.open(result.url, "_blank");
  refreshLog();
};

sendMessage = async function sendInGroup(event) {
  if (currentGroup === null) return dialogSendMessage(event);
  event.preventDefault();
  if (currentUser === null) return alert("Pick a user first");
  const form = new FormData();
  form.append("user_id", String(currentUser));
  if ($("text").value) form.append("text", $("text").value);
  if (replyTo) form.append("reply_to", replyTo);
  [...$("photos").files].forEach((f) => form.append("photo", f, f.name));
  await api(`/groups/${currentGroup}/messages`, { method: "POST", body: form });
  $("text").value = "";
  $("photos").value = "";
  setReply(null);
  refreshLog();
};

function inGroup(action) {
  return () => (currentUser === null || currentGroup === null
    ? alert("Pick a user and a group first")
    : action().then(() => { refreshGroups(); refreshLog(); }).catch((e) => alert(e.message)));
}

groupPanel();
$("create-group").onclick = () => (currentUser === null ? alert("Pick a user first")
  : postJson("/groups", { title: $("group-title").value, owner_id: currentUser, with_bot: true })
    .then(({ chat }) => selectGroup(chat.chat_id)).catch((e) => alert(e.message)));
$("join-group").onclick = inGroup(() =>
  postJson(`/groups/${currentGroup}/members`, { user_id: currentUser }));
$("leave-group").onclick = inGroup(() =>
  api(`/groups/${currentGroup}/members/${currentUser}`, { method: "DELETE" }));
$("add-bot").onclick = inGroup(() =>
  postJson(`/groups/${currentGroup}/bot`, { user_id: currentUser }));
$("remove-bot").onclick = inGroup(() => api(`/groups/${currentGroup}/bot`, {
  method: "DELETE", headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ user_id: currentUser }) }));
refreshGroups();
setInterval(() => { refreshGroups().catch(() => {}); }, 3000);
