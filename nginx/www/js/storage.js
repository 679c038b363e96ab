// The participant's session in localStorage: who they are, the pairs the
// server gave them (in the order given), the answers so far and the
// submission id. It is written after every trial so a reload or a closed tab
// resumes at the next trial, and removed only once the server has confirmed
// the reply (it holds personal details, so it is not kept longer than that).

import { isValidRecruitment } from './recruitment.js';
import { isValidConsent } from './consent.js';

export const SESSION_KEY = 'psyx.session.v1';
const FORMAT = 1;
const KEYS = new Set(['F', 'J', ' ']);

function store() {
  try {
    return window.localStorage;
  } catch {
    return null; // access itself can throw when storage is blocked
  }
}

/** True when this browser lets the page keep data between page loads. */
export function storageAvailable() {
  const s = store();
  if (!s) return false;
  try {
    const probe = 'psyx.probe';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return true;
  } catch {
    return false;
  }
}

/**
 * A fresh id for one reply: the server stores a reply once per id, so the
 * submit can be retried safely. crypto.randomUUID needs a secure context
 * (https or localhost); crypto.getRandomValues works everywhere.
 */
export function newSubmissionId() {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A new session from the participant's details and the answer of
 * /api/reply/start. `link` is what the participant link added (PackSettings.md):
 * {recruitment, pack_name, hold, consent}, each optional. The pack's task
 * (question, touch, consent_version) comes from the start answer; `touched`
 * becomes true once a trial is answered by tapping a face.
 */
export function createSession(participant, start, link = {}) {
  return {
    format: FORMAT,
    participant: { ...participant },
    p_id: start.p_id,
    pack_path: start.pack_path,
    pic_pairs: start.pic_pairs.map((pair) => [pair[0], pair[1]]),
    time_limit: start.time_limit,
    answers: [],
    submission_id: newSubmissionId(),
    started_at: new Date().toISOString(),
    recruitment: { ...(link.recruitment ?? {}) },
    pack_name: link.pack_name ?? null,
    hold: link.hold ?? null,
    consent: link.consent ?? null,
    consent_version: start.consent_version ?? '',
    question: { ko: start.question?.ko ?? '', en: start.question?.en ?? '' },
    touch: start.touch === true,
    touched: false,
  };
}

/** The stored session, or null when there is none or it is not one we can trust. */
export function loadSession() {
  const s = store();
  if (!s) return null;
  let raw;
  try {
    raw = s.getItem(SESSION_KEY);
  } catch {
    return null;
  }
  if (raw === null) return null;
  try {
    const session = JSON.parse(raw);
    return isValidSession(session) ? session : null;
  } catch {
    return null;
  }
}

/** Writes the session; false when the browser refused (quota, blocked storage). */
export function saveSession(session) {
  const s = store();
  if (!s) return false;
  try {
    s.setItem(SESSION_KEY, JSON.stringify(session));
    return true;
  } catch {
    return false;
  }
}

export function clearSession() {
  const s = store();
  if (!s) return;
  try {
    s.removeItem(SESSION_KEY);
  } catch {
    // Nothing more can be done; a later page load will find it again.
  }
}

/** Trials answered, trials in all, and whether every pair has an answer. */
export function progressOf(session) {
  const done = session.answers.length;
  const total = session.pic_pairs.length;
  return { done, total, complete: done >= total };
}

function isString(v) {
  return typeof v === 'string';
}

/** Sex and age always; the other details only those the pack asks (absent otherwise). */
function isValidParticipant(p) {
  return p !== null && typeof p === 'object'
    && ['name', 'email', 'no', 'phone'].every((f) => p[f] === undefined || isString(p[f]))
    && Number.isInteger(p.sex) && Number.isInteger(p.age);
}

/** The per-pack fields of a session: absent in sessions stored before them, right when present. */
function isValidPackFields(s) {
  return (s.recruitment === undefined || isValidRecruitment(s.recruitment))
    && (s.pack_name === undefined || s.pack_name === null || isString(s.pack_name))
    && (s.hold === undefined || s.hold === null || (isString(s.hold) && /^[A-Za-z0-9-]{16,64}$/.test(s.hold)))
    && (s.consent === undefined || s.consent === null || isValidConsent(s.consent))
    && (s.consent_version === undefined || isString(s.consent_version))
    && (s.question === undefined || (s.question !== null && typeof s.question === 'object'
      && isString(s.question.ko) && isString(s.question.en)))
    && (s.touch === undefined || typeof s.touch === 'boolean')
    && (s.touched === undefined || typeof s.touched === 'boolean');
}

function isValidPair(pair) {
  return Array.isArray(pair) && pair.length === 2 && isString(pair[0]) && isString(pair[1]);
}

/** Every answer belongs to the pair at its position, so a resume neither skips nor repeats. */
function isValidSession(s) {
  if (s === null || typeof s !== 'object' || s.format !== FORMAT) return false;
  if (!isValidParticipant(s.participant) || !isValidPackFields(s)) return false;
  if (!Number.isSafeInteger(s.p_id) || !isString(s.pack_path) || !isString(s.submission_id)) return false;
  if (!(typeof s.time_limit === 'number' && s.time_limit > 0 && Number.isFinite(s.time_limit))) return false;
  if (!Array.isArray(s.pic_pairs) || s.pic_pairs.length === 0 || !s.pic_pairs.every(isValidPair)) return false;
  if (!Array.isArray(s.answers) || s.answers.length > s.pic_pairs.length) return false;
  return s.answers.every((a, i) => Array.isArray(a) && a.length === 4
    && KEYS.has(a[0]) && typeof a[1] === 'number' && Number.isFinite(a[1]) && a[1] >= 0
    && a[2] === s.pic_pairs[i][0] && a[3] === s.pic_pairs[i][1]);
}
