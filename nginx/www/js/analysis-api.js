// The analysis API as the admin page's analysis card uses it: pictures as object
// URLs, infoVal rows checked. Same origin, absolute URLs (see api.js on credentials
// in page URLs); a non-200 answer is an ApiError like api.js makes.

import { ApiError, messageFromBody } from './api.js';

const ANALYSIS_TIMEOUT_MS = 180000; // the first infoVal of a pack computes its Gram matrix

export function ciUrl(packId, { replyId = null, scaling = 'independent', size = null } = {}) {
  const query = new URLSearchParams({ id: String(packId), scaling });
  if (replyId !== null) query.set('r_id', String(replyId));
  if (size !== null) query.set('size', String(size));
  return `/api/admin/ci?${query}`;
}

export function infoValUrl(packId, format = 'json') {
  return `/api/admin/infoval?id=${encodeURIComponent(packId)}${format === 'csv' ? '&format=csv' : ''}`;
}

/** GET on this origin (see api.js on credentials in page URLs); non-200 → ApiError. */
async function get(path, signal) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ANALYSIS_TIMEOUT_MS);
  signal?.addEventListener('abort', () => controller.abort());
  let response;
  try {
    response = await fetch(new URL(path, window.location.origin).href,
      { credentials: 'same-origin', cache: 'no-store', signal: controller.signal });
  } catch (err) {
    throw new ApiError(signal?.aborted ? 'aborted' : 'network', 0, String(err?.message ?? err));
  } finally {
    clearTimeout(timer);
  }
  if (response.status !== 200) {
    const message = messageFromBody(await response.text().catch(() => ''), response.headers.get('Content-Type') ?? '');
    throw new ApiError(response.status === 400 ? 'rejected' : 'http', response.status, message || `HTTP ${response.status}`);
  }
  return response;
}

/** A CI picture as an object URL, with the base face it is drawn over (X-Psyx-CI-Base). */
export async function fetchPicture(path, signal) {
  const response = await get(path, signal);
  const blob = await response.blob();
  if (blob.type !== 'image/png') throw new ApiError('protocol', 200, 'unexpected answer');
  return { url: URL.createObjectURL(blob), base: response.headers.get('X-Psyx-CI-Base') ?? '' };
}

export async function fetchImage(path, signal) {
  return (await fetchPicture(path, signal)).url;
}

export async function fetchInfoVals(packId, signal) {
  const data = await (await get(infoValUrl(packId), signal)).json().catch(() => null);
  const ok = Array.isArray(data) && data.every((row) => row && Number.isSafeInteger(row.r_id)
    && Number.isSafeInteger(row.trials) && (row.infoval === null || Number.isFinite(row.infoval)));
  if (!ok) throw new ApiError('protocol', 200, 'unexpected answer');
  return data;
}
