// The participant start page: the details form, a confirmation, the start
// request, then the experiment page. When this browser already holds an
// unfinished experiment, the page offers to resume it instead.
//
// body[data-phase]: loading | device | resume | form | confirm | starting | blocked

import { initI18n, onLangChange, t, formatNumber, formatDateTime } from './i18n.js';
import { startReply } from './api.js';
import { describeError, showError } from './messages.js';
import {
  storageAvailable, loadSession, saveSession, clearSession, createSession, progressOf,
} from './storage.js';

const EXPERIMENT_PAGE = 'experiment.html';
const FIELDS = ['name', 'age', 'sex', 'no', 'phone', 'email'];

const $ = (id) => document.getElementById(id);
const form = $('details-form');

const view = {
  loading: $('loading-note'),
  blocked: $('storage-problem'),
  device: $('device-problem'),
  resume: $('resume-panel'),
  form,
  confirm: $('confirm-panel'),
};

// What the page shows right now, kept so a language switch can redraw it.
const state = {
  phase: 'loading',
  session: null,
  details: null,
  fieldErrors: {}, // field → text key or {err}
  formError: null, // the server's sentence shown under the form
  startError: null, // ApiError shown in the confirmation
};

function setPhase(phase) {
  state.phase = phase;
  document.body.dataset.phase = phase;
  view.loading.hidden = phase !== 'loading';
  view.blocked.hidden = phase !== 'blocked';
  view.device.hidden = phase !== 'device';
  view.resume.hidden = phase !== 'resume';
  view.form.hidden = phase !== 'form';
  view.confirm.hidden = !(phase === 'confirm' || phase === 'starting');
  const busy = phase === 'starting';
  $('confirm-start').disabled = busy;
  $('confirm-edit').disabled = busy;
  $('confirm-start').textContent = t(busy ? 'confirm.starting' : 'confirm.start');
}

// ---- Resume an experiment begun earlier ----

function renderResume() {
  const s = state.session;
  if (!s) return;
  const { done, total, complete } = progressOf(s);
  $('resume-text').textContent = complete
    ? t('resume.textUnsent', { name: s.participant.name, total: formatNumber(total) })
    : t('resume.text', {
      name: s.participant.name,
      done: formatNumber(done),
      total: formatNumber(total),
      date: formatDateTime(s.started_at),
    });
  $('resume-go').textContent = t(complete ? 'resume.send' : 'resume.continue');
}

function showResume(session) {
  state.session = session;
  $('discard-confirm').hidden = true;
  renderResume();
  setPhase('resume');
  $('resume-go').focus();
}

$('resume-go').addEventListener('click', () => window.location.assign(EXPERIMENT_PAGE));
$('resume-discard').addEventListener('click', () => {
  $('discard-confirm').hidden = false;
  $('discard-no').focus();
});
$('discard-no').addEventListener('click', () => {
  $('discard-confirm').hidden = true;
  $('resume-discard').focus();
});
$('discard-yes').addEventListener('click', () => {
  clearSession();
  state.session = null;
  showForm();
});

// ---- Step 1: the form ----

function readForm() {
  const value = (name) => String(form.elements[name].value ?? '').trim();
  const sex = form.querySelector('input[name="sex"]:checked');
  return {
    name: value('name').replace(/\s+/g, ' '),
    age: value('age'),
    sex: sex ? sex.value : '',
    no: value('no'),
    phone: value('phone'),
    email: value('email'),
  };
}

/** Light checks that save a round trip; the server's checks are the real ones. */
function checkForm(raw) {
  const errors = {};
  for (const field of FIELDS) {
    if (raw[field] === '') errors[field] = field === 'sex' ? 'form.err.sex' : 'form.err.required';
  }
  if (!errors.age && !(/^\d{1,3}$/.test(raw.age) && Number(raw.age) <= 120)) errors.age = 'form.err.age';
  if (!errors.phone && !(/^[+\d\s().-]+$/.test(raw.phone) && (raw.phone.match(/\d/g) ?? []).length >= 7)) {
    errors.phone = 'form.err.phone';
  }
  if (!errors.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw.email)) errors.email = 'form.err.email';
  if (!errors.no && /\s/.test(raw.no)) errors.no = 'form.err.no';
  return errors;
}

function renderFieldErrors() {
  for (const field of FIELDS) {
    const box = form.querySelector(`[data-field="${field}"]`);
    const message = $(`e-${field}`);
    const error = state.fieldErrors[field];
    const inputs = box.querySelectorAll('input');
    box.classList.toggle('invalid', Boolean(error));
    for (const input of inputs) input.setAttribute('aria-invalid', String(Boolean(error)));
    message.hidden = !error;
    message.textContent = error ? (typeof error === 'string' ? t(error) : describeError(error.err).text) : '';
  }
  const box = $('form-error');
  if (state.formError) {
    // The field says what to fix in the page's language; this box keeps the
    // server's own sentence.
    const lead = document.createElement('p');
    lead.textContent = t('form.serverRefused');
    const detail = document.createElement('p');
    detail.className = 'detail';
    detail.textContent = state.formError;
    box.replaceChildren(lead, detail);
    box.hidden = false;
  } else {
    box.hidden = true;
  }
}

function focusFirstError() {
  const field = FIELDS.find((f) => state.fieldErrors[f]);
  if (!field) return;
  const input = field === 'sex' ? $('f-sex') : $(`f-${field}`);
  input.focus();
}

function showForm() {
  renderFieldErrors();
  setPhase('form');
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const raw = readForm();
  state.fieldErrors = checkForm(raw);
  state.formError = null;
  renderFieldErrors();
  if (Object.keys(state.fieldErrors).length > 0) {
    focusFirstError();
    return;
  }
  state.details = {
    name: raw.name,
    email: raw.email,
    no: raw.no,
    sex: Number(raw.sex),
    age: Number(raw.age),
    phone: raw.phone,
  };
  showConfirm();
});

// A corrected field loses its error mark as soon as it is edited.
form.addEventListener('input', (event) => {
  const field = event.target.closest('[data-field]')?.dataset.field;
  if (field && state.fieldErrors[field]) {
    delete state.fieldErrors[field];
    renderFieldErrors();
  }
});

// ---- Step 2: confirmation and start ----

function renderConfirm() {
  const d = state.details;
  if (!d) return;
  const rows = [
    ['form.name', d.name],
    ['form.age', formatNumber(d.age)],
    ['form.sex', t(`sex.${d.sex}`)],
    ['form.no', d.no],
    ['form.phone', d.phone],
    ['form.email', d.email],
  ];
  const nodes = [];
  for (const [label, value] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = t(label);
    const dd = document.createElement('dd');
    dd.textContent = value;
    nodes.push(dt, dd);
  }
  $('confirm-list').replaceChildren(...nodes);
  if (state.startError) showError($('start-error'), state.startError);
  else $('start-error').hidden = true;
}

function showConfirm() {
  state.startError = null;
  renderConfirm();
  setPhase('confirm');
  $('confirm-start').focus();
}

$('confirm-edit').addEventListener('click', () => {
  showForm();
  $('f-name').focus();
});

$('confirm-start').addEventListener('click', async () => {
  if (state.phase !== 'confirm' || !state.details) return;
  state.startError = null;
  $('start-error').hidden = true;
  setPhase('starting');
  let answer;
  try {
    answer = await startReply(state.details);
  } catch (err) {
    const { field } = describeError(err);
    if (field) {
      // The server refused one field: back to the form, next to that field.
      state.fieldErrors = { [field]: { err } };
      state.formError = err.message;
      showForm();
      focusFirstError();
    } else {
      state.startError = err;
      renderConfirm();
      setPhase('confirm');
    }
    return;
  }
  const session = createSession(state.details, answer);
  if (!saveSession(session)) {
    setPhase('blocked');
    return;
  }
  window.location.assign(EXPERIMENT_PAGE);
});

// ---- Page start ----

/**
 * A device whose only pointer is a finger (a phone, a tablet without mouse or
 * trackpad) has, as a rule, no keyboard either: every trial would time out and
 * an all-timeout reply would use up the participant number. Such a device is
 * told before any detail is typed; nothing is sent or stored. A computer with a
 * touch screen also has a fine pointer and is let through.
 */
function touchOnly() {
  const coarse = window.matchMedia('(any-pointer: coarse)').matches || navigator.maxTouchPoints > 0;
  return coarse && !window.matchMedia('(any-pointer: fine)').matches;
}

function init() {
  state.details = null;
  state.fieldErrors = {};
  state.formError = null;
  state.startError = null;
  if (touchOnly()) {
    setPhase('device');
    return;
  }
  if (!storageAvailable()) {
    setPhase('blocked');
    return;
  }
  const session = loadSession();
  if (session) showResume(session);
  else showForm();
}

onLangChange(() => {
  setPhase(state.phase);
  if (state.phase === 'resume') renderResume();
  if (state.phase === 'form') renderFieldErrors();
  if (state.phase === 'confirm' || state.phase === 'starting') renderConfirm();
});

// Coming back with the browser's Back button may show this page from the
// back-forward cache, as it was when the participant left: look again.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) init();
});

initI18n();
init();
