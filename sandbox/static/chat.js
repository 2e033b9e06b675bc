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
  if (attachment.type === "file") {
    const size = attachment.size >= 1e6 ? `${(attachment.size / 1e6).toFixed(1)} MB`
      : `${Math.ceil(attachment.size / 1e3)} KB`;
    return el("a", { className: "file", href: attachment.payload.url, download: attachment.filename,
      textContent: `File: ${attachment.filename} · ${size}` });
  }
  return el("div", { className: "meta", textContent: `[${attachment.type}]` });
}

function renderKeyboard(event) {
  return el("div", { className: "kb" }, ...(event.keyboard || []).map((row) =>
    el("div", {}, ...row.map((button) => el("button", {
      textContent: button.text, title: button.type,
      onclick: () => press(event.mid, button),
    })))));
}

// A bot message is shown as MAX's clients show it: its plain `text` with `markup` elements over
// it ({type, from, length} in UTF-16 code units, which is what JavaScript strings count). Built
// from text nodes only, so nothing in a message can become HTML here.
const MARKUP_TAGS = { strong: "strong", emphasized: "em", monospaced: "code", strikethrough: "s",
                      underline: "u", highlighted: "mark", heading: "strong", quote: "q" };
const LINK_SCHEMES = ["http:", "https:", "max:"];

function safeUrl(url) {
  try {
    return LINK_SCHEMES.includes(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
}

function markupNode(element) {
  if (element.type === "link" || element.type === "user_mention") {
    const url = element.type === "link" ? element.url : `max://user/${element.user_id}`;
    const href = safeUrl(url || "");
    if (href === null) return el("span", { className: "bad-link", title: `blocked: ${url}` });
    return el("a", { href, title: url, target: "_blank", rel: "noopener noreferrer" });
  }
  const tag = MARKUP_TAGS[element.type] || "span";
  return el(tag, { className: `markup-${element.type}` });
}

function withMarkup(text, markup) {
  const ends = (m) => m.from + m.length;
  const cuts = [...new Set([0, text.length, ...markup.flatMap((m) => [m.from, ends(m)])])]
    .filter((n) => n >= 0 && n <= text.length).sort((a, b) => a - b);
  const nodes = [];
  for (let i = 0; i + 1 < cuts.length; i += 1) {
    const [start, stop] = [cuts[i], cuts[i + 1]];
    let node = document.createTextNode(text.slice(start, stop));
    // markup lists outer elements first: wrap the innermost around the text first
    for (const m of markup.filter((e) => e.from <= start && ends(e) >= stop).reverse()) {
      const outer = markupNode(m);
      outer.append(node);
      node = outer;
    }
    nodes.push(node);
  }
  return nodes;
}

function renderText(event) {
  return el("div", { className: "text" }, ...withMarkup(event.text || "", event.markup || []));
}

// MAX's `link` on a message: a forward carries the original whole (its text, markup and
// attachments, never its buttons), a reply a quote of the message it answers.
function renderLink(link) {
  if (!link) return "";
  const who = link.sender?.first_name || link.sender?.name || "someone";
  const original = link.message || {};
  const head = link.type === "forward" ? `↪ Forwarded from ${who}` : `↩ Reply to ${who}`;
  return el("div", { className: `linked ${link.type}` },
    el("div", { className: "meta", textContent: head }),
    renderText({ text: original.text, markup: original.markup }),
    ...(link.type === "forward" ? (original.attachments || []).map(renderAttachment) : []));
}

async function forward(mid) {
  const to = Number(window.prompt("Forward to user id"));
  if (!to) return;
  await postJson(`/users/${currentUser}/forward`, { mid, to_user_id: to })
    .catch((e) => alert(e.message));
  refreshLog();
}

function renderEvent(event) {
  if (event.kind === "notification") {
    return el("p", { className: "note", textContent: `🔔 ${event.text}` });
  }
  const side = event.from === "user" && event.sender_id !== currentUser ? "other" : event.from;
  const classes = ["msg", side, event.deleted ? "deleted" : ""].join(" ");
  const meta = `${event.sender_name || event.from} · ${new Date(event.timestamp).toLocaleTimeString()}` +
    (event.edited_at ? " · edited" : "");
  return el("div", { className: classes },
    el("div", { className: "meta", textContent: meta }),
    renderLink(event.link),
    event.text ? renderText(event) : "",
    ...(event.attachments || []).map(renderAttachment),
    renderKeyboard(event),
    event.deleted ? "" : el("button", { className: "forward", textContent: "Forward",
      title: "Forward this message to another user", onclick: () => forward(event.mid) }));
}

// Dialogs with other people (forwards land there): each under its own heading.
async function personDialogs() {
  const { dialogs } = await api(`/users/${currentUser}/dialogs`);
  return dialogs.flatMap((dialog) => [
    el("h4", { className: "dialog-head", textContent: `Chat with ${dialog.with.first_name}` }),
    ...dialog.events.map(renderEvent)]);
}

async function refreshLog() {
  if (currentUser === null) return;
  const { events } = await api(`/users/${currentUser}/messages`);
  const others = await personDialogs();
  const log = $("log");
  const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 20;
  log.replaceChildren(...events.map(renderEvent), ...others);
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
