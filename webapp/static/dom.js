// Tiny DOM helpers: build elements without innerHTML, so titles and names are never parsed as HTML.

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
}

const SVG = "http://www.w3.org/2000/svg";

export function icon(name) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "icon");
  svg.setAttribute("aria-hidden", "true");
  const use = document.createElementNS(SVG, "use");
  use.setAttribute("href", `#i-${name}`);
  svg.append(use);
  return svg;
}

export function $(id) {
  return document.getElementById(id);
}

export function spinner(label) {
  return h("div", { class: "center-state" },
    h("div", { class: "spinner", role: "progressbar", "aria-label": label }));
}

export function emptyState(title, text, ...actions) {
  return h("div", { class: "center-state" }, h("h2", {}, title), text && h("p", {}, text), ...actions);
}

// A full-screen stop (no launch data, session over) with the app's mark above it.
export function stopState(title, text, ...actions) {
  const state = emptyState(title, text, ...actions);
  state.prepend(h("img", { class: "mark", src: "/app/static/icon.svg", alt: "" }));
  return state;
}

// A photo that fades in over its placeholder once loaded.
export function photo(src, alt, className = "") {
  const img = h("img", { src, alt, class: className, decoding: "async" });
  img.addEventListener("load", () => img.classList.add("loaded"), { once: true });
  return img;
}

let toastTimer = 0;

export function toast(message) {
  const node = $("toast");
  node.textContent = message;
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { node.hidden = true; }, 3200);
}

export function formatDate(iso, language) {
  return new Date(iso).toLocaleString(language === "ru" ? "ru-RU" : "en-GB", {
    day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
  });
}

export function initials(name) {
  return (name || "?").trim().slice(0, 1).toUpperCase() || "?";
}

// A person's picture, or their initial when there is none or it fails to load.
export function avatar(name, url, className = "avatar") {
  const letters = () => h("span", { class: className, "aria-hidden": "true" }, initials(name));
  if (!url) return letters();
  const img = h("img", { class: className, src: url, alt: "" });
  img.addEventListener("error", () => img.replaceWith(letters()), { once: true });
  return img;
}
