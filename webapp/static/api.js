// The JSON API client: tokens in memory (and sessionStorage, so a reload of this tab stays logged in),
// one refresh at a time when a call answers 401 token_expired or session_ended (the login was
// revoked: the refresh is refused too, and the session is lost as when a refresh fails).
const REFRESHABLE = new Set(["token_expired", "session_ended"]);

const STORE_KEY = "gallery.tokens";

export class ApiError extends Error {
  constructor(status, code, detail, network = false) {
    super(typeof detail === "string" ? detail : code);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.network = network;
  }
}

let tokens = readStored();
let refreshing = null;
let onSessionLost = () => {};

function readStored() {
  try { return JSON.parse(sessionStorage.getItem(STORE_KEY)) || null; } catch { return null; }
}

// Which launch a stored login came from: the hash of its initData.
function launchKey(initData) {
  return new URLSearchParams(initData || "").get("hash") || "";
}

function keep(pair, launch = tokens?.launch) {
  tokens = pair ? { access: pair.access_token, refresh: pair.refresh_token, launch } : null;
  try {
    if (tokens) sessionStorage.setItem(STORE_KEY, JSON.stringify(tokens));
    else sessionStorage.removeItem(STORE_KEY);
  } catch { /* storage may be off; memory still works */ }
}

export function whenSessionLost(callback) {
  onSessionLost = callback;
}

// A reload of the tab MAX opened keeps its login instead of starting another.
export function sessionFor(initData) {
  return Boolean(tokens?.refresh) && tokens.launch === launchKey(initData);
}

async function send(method, path, body, headers = {}) {
  let response;
  try {
    response = await fetch(`/api${path}`, { method, body, headers, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "network", null, true);
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data?.error || "error", data?.detail ?? null);
  return data;
}

function json(value) {
  return value === undefined ? [undefined, {}] : [JSON.stringify(value), { "Content-Type": "application/json" }];
}

export async function login(initData) {
  const [body, headers] = json({ init_data: initData });
  const answer = await send("POST", "/auth", body, headers);
  keep(answer, launchKey(initData));
  return answer;
}

export async function refreshLogin() {
  if (!tokens?.refresh) throw new ApiError(401, "no_session", null);
  refreshing ??= (async () => {
    const [body, headers] = json({ refresh_token: tokens.refresh });
    try {
      keep(await send("POST", "/auth/refresh", body, headers));
    } catch (error) {
      if (error.status === 401) keep(null);
      throw error;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

function authHeaders(extra = {}) {
  return tokens?.access ? { ...extra, Authorization: `Bearer ${tokens.access}` } : extra;
}

export async function call(method, path, value) {
  const [body, headers] = json(value);
  try {
    return await send(method, path, body, authHeaders(headers));
  } catch (error) {
    if (error.status !== 401 || !REFRESHABLE.has(error.code)) throw error;
  }
  try {
    await (refreshing || refreshLogin());
  } catch (error) {
    if (error.status === 401) onSessionLost(error);
    throw error;
  }
  return send(method, path, body, authHeaders(headers));
}

// A non-JSON answer (an image) that still needs the login: the raw Response.
export async function fetchAuthorized(path) {
  const attempt = () => fetch(`/api${path}`, { headers: authHeaders() });
  let response = await attempt();
  if (response.status === 401 && tokens?.refresh) {
    await (refreshing || refreshLogin());
    response = await attempt();
  }
  if (!response.ok) throw new ApiError(response.status, "error", null);
  return response;
}

export const get = (path, query) => call("GET", query ? `${path}?${new URLSearchParams(clean(query))}` : path);
export const post = (path, value) => call("POST", path, value ?? {});
export const put = (path, value) => call("PUT", path, value);
export const patch = (path, value) => call("PATCH", path, value);
export const del = (path) => call("DELETE", path);

function clean(query) {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ""));
}

// Multipart upload through XMLHttpRequest: fetch cannot report upload progress.
function xhrUpload(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api${path}`);
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onerror = () => reject(new ApiError(0, "network", null, true));
    xhr.onload = () => {
      const data = xhr.response;
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new ApiError(xhr.status, data?.error || "error", data?.detail ?? null));
    };
    xhr.send(form);
  });
}

export async function upload(path, form, onProgress = () => {}) {
  try {
    return await xhrUpload(path, form, onProgress);
  } catch (error) {
    if (error.status !== 401 || !REFRESHABLE.has(error.code)) throw error;
  }
  try {
    await (refreshing || refreshLogin());
  } catch (error) {
    if (error.status === 401) onSessionLost(error);
    throw error;
  }
  onProgress(0);
  return xhrUpload(path, form, onProgress);
}
