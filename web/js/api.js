// api.js - every call to the server goes through here: JSON in and out,
// the CSRF token on anything that changes data, and one reaction to an
// ended session (back to the login page), so no page has to think of it.

let csrf = '';
let onExpired = () => {};

export function setCsrf(token) { csrf = token || ''; }
export function onSessionExpired(fn) { onExpired = fn; }

// The error of a failed call: .status, .code and the Chinese .message of
// the server, and .details (rows of an upload, fields of a form).
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `请求失败（${status}）`);
    this.status = status;
    this.code = e.code || 'error';
    this.details = e.details || [];
    this.body = body;
  }
}

async function call(method, path, { json, form, raw } = {}) {
  const headers = {};
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form;                   // FormData: the browser sets the type
  } else if (raw !== undefined) {
    headers['Content-Type'] = raw.type;
    body = raw.body;
  }
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
  let r;
  try {
    r = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, { error: { code: 'network', message: '无法连接服务器，请检查网络后重试' } });
  }
  const type = r.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await r.json().catch(() => null) : null;
  if (r.status === 401 && path !== '/api/login') {
    onExpired();
    throw new ApiError(401, data);
  }
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

export const api = {
  get: (path, params) => call('GET', params ? `${path}?${new URLSearchParams(
    Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''))}` : path),
  post: (path, json) => call('POST', path, { json }),
  put: (path, json) => call('PUT', path, { json }),
  patch: (path, json) => call('PATCH', path, { json }),
  upload: (path, form) => call('POST', path, { form }),
  putText: (path, text, type) => call('PUT', path, { raw: { body: text, type } }),
};

// The file name a Content-Disposition header gives (RFC 6266: the UTF-8
// filename* first), or fallback.
function fileName(disposition, fallback) {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition || '');
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]+)"/i.exec(disposition || '');
  return plain ? plain[1] : fallback;
}

// Downloads a file the server makes (exports, templates, evidence) under
// the name the server gives.  It is fetched first, so that a refusal
// shows the server's message instead of leaving the page for raw JSON;
// onError(message) is told (default: an alert box).  Returns whether
// the file was saved.
export async function download(path, params, onError = (m) => window.alert(m)) {
  const url = params ? `${path}?${new URLSearchParams(params)}` : path;
  let r;
  try {
    r = await fetch(url, { credentials: 'same-origin' });
  } catch (e) {
    onError('无法连接服务器，请检查网络后重试');
    return false;
  }
  if (r.status === 401) {
    onExpired();
    return false;
  }
  if (!r.ok) {
    const body = await r.json().catch(() => null);
    onError(new ApiError(r.status, body).message);
    return false;
  }
  const blob = await r.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = fileName(r.headers.get('Content-Disposition'), url.split('/').pop());
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  return true;
}
