// The settings fields of a pack (PackSettings.md), shared by the upload form
// and the settings dialog: one <template> cloned into both, read and filled
// here, and checked as the server checks them, so a mistake is said before
// anything is sent (the server still checks; its refusals are translated).

import { t } from './i18n.js';
import { renderConsent } from './consent.js';

export const ASKABLE = Object.freeze(['name', 'email', 'no', 'phone']);
export const TASK_FIELDS = Object.freeze(['ask', 'question_ko', 'question_en', 'time_limit', 'touch']);
export const URL_PLACEHOLDERS = Object.freeze([
  'PROLIFIC_PID', 'STUDY_ID', 'SESSION_ID', 'id', 'survey_code', 'workerId', 'assignmentId', 'hitId', 'pid',
]);

// Control characters and the line and paragraph separators, as the server counts them; the
// consent allows tab and line breaks (the server reads CR LF, which a multipart form sends, as LF).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONSENT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/;
const CODE = /^[A-Za-z0-9_-]{1,64}$/;
const SECONDS = /^\d{1,2}(\.\d)?$/;

const bytes = (text) => new TextEncoder().encode(text).length;
// Characters as a reader counts them (the server counts Swift Characters: grapheme clusters).
const characters = (text) => (typeof Intl.Segmenter === 'function'
  ? [...new Intl.Segmenter().segment(text)].length : [...text].length);

/** Clones the template into every `.settings-fields[data-prefix]`, ids (and what names them) prefixed. */
export function mountSettingsFields() {
  const template = document.getElementById('settings-template');
  for (const box of document.querySelectorAll('.settings-fields[data-prefix]')) {
    const prefix = `${box.dataset.prefix}-`;
    const copy = template.content.cloneNode(true);
    for (const el of copy.querySelectorAll('[id]')) el.id = prefix + el.id;
    for (const el of copy.querySelectorAll('label[for]')) el.htmlFor = prefix + el.htmlFor;
    for (const el of copy.querySelectorAll('[aria-describedby]')) {
      el.setAttribute('aria-describedby', el.getAttribute('aria-describedby').split(/\s+/).map((id) => prefix + id).join(' '));
    }
    box.replaceChildren(copy);
  }
}

/** The fields' values as typed: {ask: [...], question_ko, question_en, time_limit, touch, consent, completion_url, completion_code}. */
export function readSettings(form) {
  const el = form.elements;
  return {
    ask: ASKABLE.filter((name) => form.querySelector(`input[name="ask"][value="${name}"]`).checked),
    question_ko: el.question_ko.value.trim(),
    question_en: el.question_en.value.trim(),
    // Text a number field cannot read (its value is then empty) is kept as a wrong value.
    time_limit: el.time_limit.validity.badInput ? '?' : el.time_limit.value.trim(),
    touch: el.touch.checked,
    // Kept as typed but for trailing blank lines: the consent's version is a hash of its text.
    consent: el.consent.value.replace(/\s+$/, ''),
    completion_url: el.completion_url.value.trim(),
    completion_code: el.completion_code.value.trim(),
  };
}

/** Fills the fields from a pack's `settings` of the list (or the defaults when it has none). */
export function fillSettings(form, settings = {}) {
  const ask = Array.isArray(settings.ask) ? settings.ask : ASKABLE;
  for (const box of form.querySelectorAll('input[name="ask"]')) box.checked = ask.includes(box.value);
  const el = form.elements;
  el.question_ko.value = settings.question?.ko ?? '';
  el.question_en.value = settings.question?.en ?? '';
  el.time_limit.value = typeof settings.time_limit === 'number' ? String(settings.time_limit) : '';
  el.touch.checked = settings.touch === true;
  el.consent.value = settings.consent ?? '';
  el.completion_url.value = settings.completion_url ?? '';
  el.completion_code.value = settings.completion_code ?? '';
}

function questionError(text) {
  if (!text) return null;
  return characters(text) > 200 || CONTROL.test(text) ? 'admin.set.err.question' : null;
}

/**
 * The completion link's problem (a text key) or null; the server's rules: http(s):// and a host,
 * no spaces, at most 2,000 bytes, braces only around a known placeholder.
 */
export function completionUrlError(url) {
  if (!url) return null;
  if (!/^https?:\/\/[^/{]/i.test(url) || /\s/u.test(url) || CONTROL.test(url) || bytes(url) > 2000) {
    return 'admin.set.err.url';
  }
  const rest = url.replace(/\{([^{}]*)\}/g, (whole, name) => (URL_PLACEHOLDERS.includes(name) ? '' : '{'));
  return /[{}]/.test(rest) ? 'admin.set.err.placeholder' : null;
}

/** Field → text key of each value the server would refuse (an empty time limit is the server's). */
export function checkSettings(values) {
  const errors = {};
  for (const field of ['question_ko', 'question_en']) {
    const key = questionError(values[field]);
    if (key) errors[field] = key;
  }
  const time = values.time_limit;
  if (time) {
    const n = Number(time);
    if (!(SECONDS.test(time) && n >= 0.5 && n <= 60)) errors.time_limit = 'admin.set.err.time';
  }
  if (bytes(values.consent) > 20000) errors.consent = 'admin.set.err.consentSize';
  else if (CONSENT_CONTROL.test(values.consent)) errors.consent = 'admin.set.err.consentChars';
  const url = completionUrlError(values.completion_url);
  if (url) errors.completion_url = url;
  if (values.completion_code && !CODE.test(values.completion_code)) errors.completion_code = 'admin.set.err.code';
  return errors;
}

/** The wire form of one field's value. */
export function wireValue(field, values) {
  if (field === 'ask') return values.ask.join(',');
  if (field === 'touch') return values.touch ? '1' : '0';
  if (field === 'time_limit') return values.time_limit && String(Number(values.time_limit));
  return values[field];
}

/** The upload's extra parts: only what differs from today's behaviour, so a plain upload sends none. */
export function uploadFields(values) {
  const fields = {};
  if (values.ask.length !== ASKABLE.length) fields.ask = wireValue('ask', values);
  for (const field of ['question_ko', 'question_en', 'time_limit', 'consent', 'completion_url', 'completion_code']) {
    if (values[field]) fields[field] = wireValue(field, values);
  }
  if (values.touch) fields.touch = '1';
  return fields;
}

const ERROR_IDS = {
  question_ko: 'question-ko-error',
  question_en: 'question-en-error',
  time_limit: 'time-limit-error',
  consent: 'consent-error',
  completion_url: 'completion-url-error',
  completion_code: 'completion-code-error',
};

/** Shows `errors` (field → text key) under the fields of the form whose ids start with `prefix`. */
export function renderSettingsErrors(form, prefix, errors) {
  for (const [field, id] of Object.entries(ERROR_IDS)) {
    const box = document.getElementById(`${prefix}-${id}`);
    const key = errors[field];
    box.hidden = !key;
    box.textContent = key ? t(key, { list: URL_PLACEHOLDERS.map((p) => `{${p}}`).join(' ') }) : '';
    form.elements[field].setAttribute('aria-invalid', String(Boolean(key)));
  }
}

let serverTime = null; // the server's time limit (GET /api/admin/config), once known

/** The server's time limit, which an empty time limit field means. */
export function setServerTime(seconds) {
  serverTime = typeof seconds === 'number' ? seconds : null;
}

/** Redraws what depends on the values: the consent preview and the note on a pack without numbers. */
export function drawSettingsExtras(form, prefix) {
  const values = readSettings(form);
  const preview = form.querySelector('.consent-preview');
  preview.replaceChildren(...renderConsent(values.consent, { headingLevel: 3 }));
  form.querySelector('.consent-preview-box').hidden = !values.consent;
  document.getElementById(`${prefix}-ask-no`).hidden = values.ask.includes('no');
  document.getElementById(`${prefix}-time-hint`).textContent = serverTime
    ? t('admin.set.timeHintDefault', { seconds: serverTime })
    : t('admin.set.timeHint');
  document.getElementById(`${prefix}-completion-url-hint`).textContent = t('admin.set.completionUrlHint', {
    list: URL_PLACEHOLDERS.map((p) => `{${p}}`).join(' '),
  });
  const time = form.elements.time_limit;
  time.placeholder = serverTime ? String(serverTime) : '';
}

/** Enables or disables the task fields (frozen once a pack has replies). */
export function setTaskDisabled(form, disabled) {
  for (const field of TASK_FIELDS) {
    for (const el of form.querySelectorAll(`[name="${field}"]`)) el.disabled = disabled;
  }
}
