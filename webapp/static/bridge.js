// The MAX mini-app bridge. On MAX, `window.WebApp` comes from MAX's script. In a plain browser
// (the sandbox, development) there is none: a stand-in is built from the launch URL, which carries
// `#WebAppData=<urlencoded initData>&WebAppPlatform=…` and `?WebAppStartParam=…` (docs/max-platform.md).

function launchFromUrl() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  return {
    initData: fragment.get("WebAppData") || "",
    platform: fragment.get("WebAppPlatform") || "web",
    version: fragment.get("WebAppVersion") || "",
    startParam: query.get("WebAppStartParam") || "",
  };
}

// initDataUnsafe: the parsed, unverified launch data; only the server's check counts.
function parseUnsafe(initData) {
  const unsafe = {};
  for (const [key, value] of new URLSearchParams(initData)) {
    if (key === "user" || key === "chat") {
      try { unsafe[key] = JSON.parse(value); } catch { unsafe[key] = null; }
    } else {
      unsafe[key] = value;
    }
  }
  return unsafe;
}

function recordShare(via, content) {
  const shared = (window.sandboxShared ||= []);
  shared.push({ via, ...content });
  return Promise.resolve({ status: "shared" });
}

function standIn(launch) {
  const backHandlers = new Set();
  const refused = (method) => Promise.reject({ error: { code: `client.${method}.not_supported` } });
  return {
    standIn: true,
    initData: launch.initData,
    initDataUnsafe: parseUnsafe(launch.initData),
    platform: launch.platform,
    version: launch.version,
    BackButton: {
      isVisible: false,
      show() { this.isVisible = true; },
      hide() { this.isVisible = false; },
      onClick(cb) { backHandlers.add(cb); },
      offClick(cb) { backHandlers.delete(cb); },
    },
    HapticFeedback: {
      impactOccurred() {}, notificationOccurred() {}, selectionChanged() {},
    },
    openCodeReader() {
      // A browser has no MAX scanner: let the developer paste what the QR says.
      const value = window.prompt("QR code contents (sandbox)");
      return value ? Promise.resolve({ value }) : refused("open_code_reader");
    },
    openLink(url) { window.open(url, "_blank", "noopener"); },
    openMaxLink(url) { window.open(url, "_blank", "noopener"); },
    // No MAX here: what would be shared is kept where a developer (or a test) can see it.
    shareMaxContent(content) { return recordShare("max", content); },
    shareContent(content) {
      return launch.platform === "web" ? refused("share_content") : recordShare("native", content);
    },
    // No MAX here: the browser downloads the link itself; tests see what was asked for.
    downloadFile(url, fileName) {
      (window.sandboxDownloads ||= []).push({ url, fileName });
      const link = Object.assign(document.createElement("a"), { href: url, download: fileName });
      link.click();
      return Promise.resolve({ status: "downloading" });
    },
    ready() {},
    close() {},
  };
}

function choose() {
  const launch = launchFromUrl();
  const real = window.WebApp;
  if (real && real.initData) return real;
  // MAX's script outside MAX (or a launch it did not see) still gets the URL's launch data.
  if (real && launch.initData) return Object.assign(Object.create(real), {
    initData: launch.initData, initDataUnsafe: parseUnsafe(launch.initData),
  });
  return standIn(launch);
}

export const webApp = choose();

export const inMax = !webApp.standIn;

export function startParam() {
  return webApp.initDataUnsafe?.start_param || launchFromUrl().startParam || "";
}

export function launchLanguage() {
  return webApp.initDataUnsafe?.user?.language_code || navigator.language || "en";
}

function safely(fn) {
  try { return fn(); } catch { return undefined; }
}

export const haptic = {
  tap: () => safely(() => webApp.HapticFeedback?.impactOccurred("light")),
  success: () => safely(() => webApp.HapticFeedback?.notificationOccurred("success")),
  error: () => safely(() => webApp.HapticFeedback?.notificationOccurred("error")),
};

// MAX's back button when it has one; the page's own back button is shown either way.
export function setBackButton(visible, onClick) {
  const back = webApp.BackButton;
  if (!back) return;
  safely(() => { back.offClick(onClick); if (visible) { back.onClick(onClick); back.show(); } else back.hide(); });
}

export async function scanCode() {
  const result = await webApp.openCodeReader(true);
  return String(result?.value || "");
}

export function openMaxLink(url) {
  safely(() => webApp.openMaxLink(url));
}

export function ready() {
  safely(() => webApp.ready?.());
}

// Sharing (docs/max-platform.md, Bridge API): inside MAX by shareMaxContent, the phone's own sheet
// by shareContent (not on the web client), and copying the link everywhere else.
export function canShareInMax() {
  return typeof webApp.shareMaxContent === "function";
}

export function canShareNatively() {
  return typeof webApp.shareContent === "function" && webApp.platform !== "web";
}

export async function shareInMax(content) {
  const result = await webApp.shareMaxContent(content);
  return result?.status || "shared";
}

export async function shareNatively(content) {
  const result = await webApp.shareContent(content);
  return result?.status || "shared";
}

// A file at a (signed, https in MAX) URL saved by MAX's own downloader.
export async function downloadFile(url, fileName) {
  const result = await webApp.downloadFile(url, fileName);
  return result?.status || "downloading";
}
