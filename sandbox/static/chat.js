"use strict";
const api = (path, options = {}) =>
  fetch("/_sandbox" + path, options).then(async (r) => {
    const body = await r.json();
    if (!r.ok) throw new Error(body.message || r.statusText);
    return body;
  });
const postJson = (path, body) =>
  api(path, { method: "POST", headers: { "Content-Type": "application/json" },
              body: JSON.stringify(body || {}) });
const $ = (id) => document.getElementById(id);
let currentUser = null;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, attrs);
  children.forEach((c) => node.append(c));
  return node;
}

async function refreshUsers() {
  const { users } = await api("/users");
  $("users").replaceChildren(...users.map(({ user, blocked }) => el("div", {
    className: "user-row" + (user.user_id === currentUser ? " active" : ""),
    textContent: `${user.first_name} (${user.user_id})${blocked ? " — blocked" : ""}`,
    onclick: () => { currentUser = user.user_id; refreshUsers(); refreshLog(); },
  })));
}

function renderAttachment(attachment) {
  if (attachment.type === "image") return el("img", { src: attachment.payload.url });
  if (attachment.type === "inline_keyboard") return "";
  return el("div", { className: "meta", textContent: `[${attachment.type}]` });
}

function renderKeyboard(event) {
  return el("div", { className: "kb" }, ...(event.keyboard || []).map((row) =>
    el("div", {}, ...row.map((button) => el("button", {
      textContent: button.text, title: button.type,
      onclick: () => press(event.mid, button),
    })))));
}

// The markdown MAX renders in bot messages that this chat shows: **bold**, *italic* / _italic_,
// ~~strike~~, `code`. Built from text nodes, so nothing in a message can become markup.
const MARKS = [[/\*\*(.+?)\*\*/, "strong"], [/~~(.+?)~~/, "s"], [/`(.+?)`/, "code"],
               [/(?<![\w*])[*_](.+?)[*_](?![\w*])/, "em"]];

function markdown(text) {
  for (const [pattern, tag] of MARKS) {
    const found = pattern.exec(text);
    if (found) {
      const before = text.slice(0, found.index);
      const after = text.slice(found.index + found[0].length);
      return [...markdown(before), el(tag, {}, ...markdown(found[1])), ...markdown(after)];
    }
  }
  return text ? [document.createTextNode(text)] : [];
}

function renderText(event) {
  const parts = event.format === "markdown" ? markdown(event.text || "") : [event.text || ""];
  return el("div", { className: "text" }, ...parts);
}

function renderEvent(event) {
  if (event.kind === "notification") {
    return el("p", { className: "note", textContent: `🔔 ${event.text}` });
  }
  const classes = ["msg", event.from, event.deleted ? "deleted" : ""].join(" ");
  const meta = `${event.from} · ${new Date(event.timestamp).toLocaleTimeString()}` +
    (event.edited_at ? " · edited" : "");
  return el("div", { className: classes },
    el("div", { className: "meta", textContent: meta }),
    renderText(event),
    ...(event.attachments || []).map(renderAttachment),
    renderKeyboard(event));
}

async function refreshLog() {
  if (currentUser === null) return;
  const { events } = await api(`/users/${currentUser}/messages`);
  const log = $("log");
  const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 20;
  log.replaceChildren(...events.map(renderEvent));
  if (atBottom) log.scrollTop = log.scrollHeight;
}

async function press(mid, button) {
  const result = await postJson(`/users/${currentUser}/press`,
    { mid, payload: button.payload ?? null, text: button.text });
  if (result.url) window.open(result.url, "_blank");
  refreshLog();
}

async function sendMessage(event) {
  event.preventDefault();
  if (currentUser === null) return alert("Pick a user first");
  const text = $("text").value;
  const files = [...$("photos").files];
  if (files.length) {
    const form = new FormData();
    if (text) form.append("caption", text);
    files.forEach((f) => form.append("photo", f, f.name));
    await api(`/users/${currentUser}/messages`, { method: "POST", body: form });
  } else if (text) {
    await postJson(`/users/${currentUser}/messages`, { text });
  }
  $("text").value = "";
  $("photos").value = "";
  refreshLog();
}

function withUser(action) {
  return () => (currentUser === null ? alert("Pick a user first")
    : action().then(() => { refreshUsers(); refreshLog(); }).catch((e) => alert(e.message)));
}

$("create-user").onclick = async () => {
  const { user } = await postJson("/users",
    { first_name: $("first-name").value, language_code: $("lang").value });
  currentUser = user.user_id;
  refreshUsers();
  refreshLog();
};
$("start").onclick = withUser(() =>
  postJson(`/users/${currentUser}/start`, { payload: $("start-payload").value || null }));
$("block").onclick = withUser(() => postJson(`/users/${currentUser}/block`));
$("unblock").onclick = withUser(() => postJson(`/users/${currentUser}/unblock`));
$("launch").onclick = withUser(async () => {
  const param = $("start-param").value;
  const query = param ? `?start_param=${encodeURIComponent(param)}` : "";
  const { url } = await api(`/users/${currentUser}/launch${query}`);
  window.open(url, "_blank");
});
$("composer").onsubmit = (e) => sendMessage(e).catch((err) => alert(err.message));

refreshUsers();
setInterval(() => { refreshLog().catch(() => {}); }, 1000);
