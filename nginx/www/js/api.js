// Calls to the Psyx API (same origin). Every failure becomes an ApiError whose
// kind says what the caller can do about it:
//   'rejected'  400: the server read the request and refused it; the message
//               is the sentence of its small HTML page. Retrying will not help.
//   'http'      any other status (5xx, 502/503 from Nginx, 404 ...): a problem
//               of the deployment, usually passing.
//   'network'   no answer at all (offline, connection refused, timed out).
//   'protocol'  a 200 whose body is not what the API promises.

const START_TIMEOUT_MS = 20000;
const SUBMIT_TIMEOUT_MS = 60000;
const ADMIN_TIMEOUT_MS = 30000;

export class ApiError extends Error {
  constructor(kind, status, message) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
  }
}

/** The readable text of an answer body: the text content of an HTML page, or plain text. */
export function messageFromBody(body, contentType = '') {
  let text = String(body ?? '');
  if (/html/i.test(contentType) || /^\s*</.test(text)) {
    // DOMParser never runs scripts or loads resources of the parsed page.
    const doc = new DOMParser().parseFromString(text, 'text/html');
    text = (doc.body ?? doc.documentElement)?.textContent ?? '';
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}

async function errorFrom(response) {
  let body = '';
  try {
    body = await response.text();
  } catch {
    // The body was lost; the status still says what happened.
  }
  const message = messageFromBody(body, response.headers.get('Content-Type') ?? '');
  const kind = response.status === 400 ? 'rejected' : 'http';
  return new ApiError(kind, response.status, message || `HTTP ${response.status}`);
}

/**
 * The absolute address of `path` on this site. A page opened as
 * http://user:password@host/admin/ keeps those credentials in its base URL,
 * and fetch() refuses a URL that carries credentials (a relative URL would
 * inherit them); the origin never has them. The browser sends the cached
 * credentials itself.
 */
function siteUrl(path) {
  return new URL(path, window.location.origin).href;
}

/** fetch with a time limit; a timeout or a dropped connection is a 'network' error. */
async function request(url, options, timeoutMs) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await fetch(siteUrl(url), {
      credentials: 'same-origin',
      cache: 'no-store',
      ...options,
      signal: controller.signal,
    });
  } catch (err) {
    throw new ApiError('network', 0, err?.name === 'AbortError' ? 'timeout' : String(err?.message ?? err));
  } finally {
    clearTimeout(timer);
  }
}

function postJSON(url, body, timeoutMs) {
  return request(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  }, timeoutMs);
}

function isSafePackPath(path) {
  // Same-origin absolute path only: images are then bound by img-src 'self' too.
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') && !path.includes('\\');
}

function isFileName(name) {
  return typeof name === 'string' && name.length > 0 && !name.includes('/') && !name.includes('\\');
}

/** Checks a /api/reply/start answer; anything else is a 'protocol' error. */
function checkStartAnswer(data) {
  const ok = data !== null && typeof data === 'object'
    && Number.isSafeInteger(data.p_id)
    && isSafePackPath(data.pack_path)
    && typeof data.time_limit === 'number' && Number.isFinite(data.time_limit) && data.time_limit > 0
    && Array.isArray(data.pic_pairs) && data.pic_pairs.length > 0
    && data.pic_pairs.every((p) => Array.isArray(p) && p.length === 2 && isFileName(p[0]) && isFileName(p[1]));
  if (!ok) throw new ApiError('protocol', 200, 'unexpected answer');
  return {
    p_id: data.p_id,
    pack_path: data.pack_path.replace(/\/+$/, ''),
    pic_pairs: data.pic_pairs,
    time_limit: data.time_limit,
    ...packTask(data),
  };
}

/**
 * POST /api/reply/start → {p_id, pack_path, pic_pairs, time_limit, question,
 * touch, consent_version}. `details` may carry `pack`, `recruitment` and `hold`.
 */
export async function startReply(details) {
  const response = await postJSON('/api/reply/start', details, START_TIMEOUT_MS);
  if (response.status !== 200) throw await errorFrom(response);
  let data;
  try {
    data = await response.json();
  } catch {
    throw new ApiError('protocol', 200, 'unexpected answer');
  }
  return checkStartAnswer(data);
}

/** GET /api/admin/config → {pack_size, time_limit}: what the upload form checks a folder against. */
export async function getConfig() {
  const response = await request('/api/admin/config', {}, ADMIN_TIMEOUT_MS);
  if (response.status !== 200) throw await errorFrom(response);
  try {
    const data = await response.json();
    if (Number.isSafeInteger(data?.pack_size) && data.pack_size > 0) return data;
  } catch {
    // fall through
  }
  throw new ApiError('protocol', 200, 'unexpected answer');
}

/** One POST /api/reply/submit; resolves with the server's text on 200. */
export async function submitReplyOnce(payload) {
  const response = await postJSON('/api/reply/submit', payload, SUBMIT_TIMEOUT_MS);
  if (response.status !== 200) throw await errorFrom(response);
  try {
    return (await response.text()).trim();
  } catch {
    return '';
  }
}

/** The wait before retry number `attempt` (1-based): 1 s, 2 s, 4 s … at most 30 s. */
export function backoffDelay(attempt) {
  return Math.min(1000 * 2 ** Math.min(attempt - 1, 5), 30000);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Submits until the server confirms. A 400 is final and thrown; anything
 * else is retried with back-off and the same payload (same submission_id, so
 * the server stores the reply once however many attempts reach it).
 * `wait(ms)` may end a wait early (the page's "try now", coming back online).
 */
export async function submitReply(payload, { onAttempt, onRetry, wait = sleep } = {}) {
  for (let attempt = 1; ; attempt += 1) {
    onAttempt?.(attempt);
    try {
      return await submitReplyOnce(payload);
    } catch (err) {
      if (!(err instanceof ApiError) || err.kind === 'rejected') throw err;
      const delayMs = backoffDelay(attempt);
      onRetry?.({ attempt, delayMs, error: err });
      await wait(delayMs);
    }
  }
}

// ---- Per-pack settings on the participant's side (PackSettings.md) ----

/** The task settings of a start answer or pack view, each with today's behaviour when absent. */
function packTask(data) {
  const text = (v) => (typeof v === 'string' ? v : '');
  return {
    question: { ko: text(data.question?.ko), en: text(data.question?.en) },
    touch: data.touch === true,
    consent_version: /^[0-9a-f]{16}$/.test(data.consent_version ?? '') ? data.consent_version : '',
  };
}

async function readJSON(response) {
  if (response.status !== 200) throw await errorFrom(response);
  try {
    return await response.json();
  } catch {
    throw new ApiError('protocol', 200, 'unexpected answer');
  }
}

/**
 * GET /api/reply/pack?name= → what a participant link needs before the start:
 * {p_id, pack_name, open, ask, time_limit, question, touch, consent, consent_version}.
 */
export async function getPackView(name) {
  const response = await request(`/api/reply/pack?name=${encodeURIComponent(name)}`, {}, START_TIMEOUT_MS);
  const data = await readJSON(response);
  if (data === null || typeof data !== 'object' || typeof data.open !== 'boolean') {
    throw new ApiError('protocol', 200, 'unexpected answer');
  }
  const ask = Array.isArray(data.ask) ? data.ask.filter((f) => ['name', 'email', 'no', 'phone'].includes(f)) : null;
  return {
    p_id: data.p_id,
    pack_name: String(data.pack_name ?? name),
    open: data.open,
    ask: ask ?? ['name', 'email', 'no', 'phone'],
    time_limit: data.time_limit,
    consent: typeof data.consent === 'string' ? data.consent : '',
    ...packTask(data),
  };
}

/**
 * GET /api/reply/completion?submission_id= → {url} | {code} | {}: where the
 * done page sends a participant of a recruitment platform. Only an http(s)
 * URL is taken.
 */
export async function getCompletion(submissionId) {
  const url = `/api/reply/completion?submission_id=${encodeURIComponent(submissionId)}`;
  const data = await readJSON(await request(url, {}, START_TIMEOUT_MS));
  if (typeof data?.url === 'string' && /^https?:\/\/[^\s]+$/i.test(data.url)) return { url: data.url };
  if (typeof data?.code === 'string' && data.code !== '') return { code: data.code };
  return {};
}

// ---- Admin (basic auth is the browser's business) ----

/** GET /api/admin/list → the packs, by p_id. */
export async function listPacks() {
  const response = await request('/api/admin/list', { method: 'GET' }, ADMIN_TIMEOUT_MS);
  if (response.status !== 200) throw await errorFrom(response);
  let data;
  try {
    data = await response.json();
  } catch {
    throw new ApiError('protocol', 200, 'unexpected answer');
  }
  if (!Array.isArray(data)) throw new ApiError('protocol', 200, 'unexpected answer');
  return data;
}

/** POST /api/admin/remove?id=N → the server's sentence ("Pack 7 Deleted."). */
export async function removePack(id) {
  const url = `/api/admin/remove?id=${encodeURIComponent(id)}`;
  const response = await request(url, { method: 'POST' }, ADMIN_TIMEOUT_MS);
  if (response.status !== 200) throw await errorFrom(response);
  return messageFromBody(await response.text(), response.headers.get('Content-Type') ?? '');
}

/** POST /api/admin/open?id=N or /close?id=N → the server's sentence ("Pack 7 Closed."). */
export async function setPackOpen(id, open) {
  const url = `/api/admin/${open ? 'open' : 'close'}?id=${encodeURIComponent(id)}`;
  const response = await request(url, { method: 'POST' }, ADMIN_TIMEOUT_MS);
  if (response.status !== 200) throw await errorFrom(response);
  return messageFromBody(await response.text(), response.headers.get('Content-Type') ?? '');
}

/**
 * A withdrawal's fields ({r_id} or {no}, and expect) go in a form body, never in the URL: a
 * participant number in a query string would land in Nginx's access log.
 */
function postForm(url, fields) {
  return request(url, { method: 'POST', body: new URLSearchParams(fields) }, ADMIN_TIMEOUT_MS);
}

/** POST /api/admin/withdraw/preview → {count, packs: [{p_id, pack_name, count}]}: what would be deleted. */
export async function previewWithdrawal(fields) {
  const response = await postForm('/api/admin/withdraw/preview', fields);
  if (response.status !== 200) throw await errorFrom(response);
  try {
    const data = await response.json();
    if (Number.isSafeInteger(data?.count) && Array.isArray(data.packs)) return data;
  } catch {
    // fall through
  }
  throw new ApiError('protocol', 200, 'unexpected answer');
}

/** POST /api/admin/withdraw → the server's sentence ("2 Replies Deleted."). */
export async function withdrawReplies(fields) {
  const response = await postForm('/api/admin/withdraw', fields);
  if (response.status !== 200) throw await errorFrom(response);
  return messageFromBody(await response.text(), response.headers.get('Content-Type') ?? '');
}

// ---- admin: pack settings (PackSettings.md) ----

/**
 * POST /api/admin/settings with `id` and the changed fields, form-encoded like
 * the withdrawal (the consent text is no URL's business) → "Pack 7 Updated.".
 */
export async function updateSettings(fields) {
  const response = await postForm('/api/admin/settings', fields);
  if (response.status !== 200) throw await errorFrom(response);
  return messageFromBody(await response.text(), response.headers.get('Content-Type') ?? '');
}

/** The download address of a pack's replies ('json', 'csv', 'rcicr' or 'psychds'). */
export function downloadUrl(id, format = 'json') {
  const base = `/api/admin/download?id=${encodeURIComponent(id)}`;
  return format === 'json' ? base : `${base}&format=${encodeURIComponent(format)}`;
}

/**
 * POST /api/admin/create with XMLHttpRequest, for its upload progress events
 * (fetch has none). Returns {promise, abort}; the promise resolves with the
 * server's sentence on 200 and rejects with an ApiError otherwise ('aborted'
 * when abort() was called).
 */
export function uploadPack(formData, { onProgress, onSent } = {}) {
  const xhr = new XMLHttpRequest();
  const promise = new Promise((resolve, reject) => {
    xhr.open('POST', siteUrl('/api/admin/create'));
    xhr.responseType = 'text';
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded, e.total);
    });
    xhr.upload.addEventListener('load', () => onSent?.());
    xhr.addEventListener('load', () => {
      const message = messageFromBody(xhr.responseText, xhr.getResponseHeader('Content-Type') ?? '');
      if (xhr.status === 200) {
        resolve(message);
      } else {
        reject(new ApiError(xhr.status === 400 ? 'rejected' : 'http', xhr.status, message || `HTTP ${xhr.status}`));
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError('network', 0, 'network error')));
    xhr.addEventListener('timeout', () => reject(new ApiError('network', 0, 'timeout')));
    xhr.addEventListener('abort', () => reject(new ApiError('aborted', 0, 'aborted')));
    xhr.send(formData);
  });
  return { promise, abort: () => xhr.abort() };
}
