// The participant start page: the details form, a confirmation, the start
// request, then the experiment page. When this browser already holds an
// unfinished experiment, the page offers to resume it instead.
//
// A participant link `/?pack=NAME` first loads the pack's public view: a
// closed or unknown pack ends politely, a consent text comes before the form,
// and the form asks only the pack's details (plus sex and age). Recruitment
// IDs in the query string go with the start and stay with the session
// (PackSettings.md); pack-link.js holds that part.
//
// body[data-phase]: loading | device | resume | form | confirm | starting | blocked
//                   | link | unknown | closed | consent | declined | packerror

import { initI18n, onLangChange, t, formatNumber, formatDateTime, currentLang } from './i18n.js';
import { startReply } from './api.js';
import { describeError, showError, KNOWN_WITH_PLATFORM_ID } from './messages.js';
import {
  storageAvailable, loadSession, saveSession, clearSession, createSession, progressOf,
} from './storage.js';
import { platformId } from './recruitment.js';
import {
  link, touchOnly, loadPack, askedFields, showLinkPanel, drawConsent, agree, startBody, linkOfSession,
  keepHold, dropHold, afterStart,
} from './pack-link.js';

const EXPERIMENT_PAGE = 'experiment.html';
const ALL_FIELDS = ['name', 'age', 'sex', 'no', 'phone', 'email'];

const $ = (id) => document.getElementById(id);
const form = $('details-form');

const view = {
  loading: $('loading-note'),
  blocked: $('storage-problem'),
  device: $('device-problem'),
  resume: $('resume-panel'),
  form,
  confirm: $('confirm-panel'),
  link: $('link-panel'),
  consent: $('consent-panel'),
};
const LINK_PHASES = new Set(['link', 'unknown', 'closed', 'declined', 'packerror']);

// What the page shows right now, kept so a language switch can redraw it.
const state = {
  phase: 'loading',
  session: null,
  details: null,
  fieldErrors: {}, // field → text key or {err}
  formError: null, // the server's sentence shown under the form
  startError: null, // ApiError shown in the confirmation
  pack: null, // the public view of the pack a participant link names
  consent: null, // {at, version} once agreed on this page
};

/** The fields of the form: the pack's (a link), all six otherwise; no `no` with a platform ID. */
let FIELDS = ALL_FIELDS;

function setPhase(phase) {
  state.phase = phase;
  document.body.dataset.phase = phase;
  view.loading.hidden = phase !== 'loading';
  view.blocked.hidden = phase !== 'blocked';
  view.device.hidden = phase !== 'device';
  view.resume.hidden = phase !== 'resume';
  view.form.hidden = phase !== 'form';
  view.confirm.hidden = !(phase === 'confirm' || phase === 'starting');
  view.link.hidden = !LINK_PHASES.has(phase);
  view.consent.hidden = phase !== 'consent';
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
  const named = typeof s.participant.name === 'string' && s.participant.name !== '';
  const key = (k) => (named ? k : `pl.${k}`);
  $('resume-text').textContent = complete
    ? t(key('resume.textUnsent'), { name: s.participant.name, total: formatNumber(total) })
    : t(key('resume.text'), {
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
  // The same person starts over: the discarded session's hold on the number is theirs.
  keepHold(state.session?.hold);
  clearSession();
  state.session = null;
  init({ afterDiscard: true });
});

// ---- Step 1: the form ----

function readForm() {
  const value = (name) => String(form.elements[name].value ?? '').trim();
  const sex = form.querySelector('input[name="sex"]:checked');
  const raw = {
    name: value('name').replace(/\s+/g, ' '),
    age: value('age'),
    sex: sex ? sex.value : '',
    no: value('no'),
    phone: value('phone'),
    email: value('email'),
  };
  for (const field of ALL_FIELDS) if (!FIELDS.includes(field)) delete raw[field];
  return raw;
}

/** Light checks that save a round trip; the server's checks are the real ones. */
function checkForm(raw) {
  const errors = {};
  for (const field of FIELDS) {
    if (raw[field] === '') errors[field] = field === 'sex' ? 'form.err.sex' : 'form.err.required';
  }
  if (!errors.age && !(/^\d{1,3}$/.test(raw.age) && Number(raw.age) <= 120)) errors.age = 'form.err.age';
  // A field the pack does not ask is absent (undefined) and not checked.
  const phoneOk = (v) => /^[+\d\s().-]+$/.test(v) && (v.match(/\d/g) ?? []).length >= 7;
  if (raw.phone !== undefined && !errors.phone && !phoneOk(raw.phone)) errors.phone = 'form.err.phone';
  const emailOk = (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);
  if (raw.email !== undefined && !errors.email && !emailOk(raw.email)) errors.email = 'form.err.email';
  if (raw.no !== undefined && !errors.no && /\s/.test(raw.no)) errors.no = 'form.err.no';
  return errors;
}

function renderFieldErrors() {
  for (const field of ALL_FIELDS) {
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

/** Shows only the asked fields; a platform ID from the link replaces the number. */
function layoutForm() {
  FIELDS = askedFields(state.pack);
  for (const field of ALL_FIELDS) {
    const box = form.querySelector(`[data-field="${field}"]`);
    box.hidden = !FIELDS.includes(field);
    for (const input of box.querySelectorAll('input')) input.disabled = box.hidden;
  }
  const id = platformId(link.recruitment);
  $('platform-note').hidden = !id;
  $('platform-note').textContent = id ? t('pl.form.idFromLink', { id }) : '';
}

function showForm() {
  layoutForm();
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
  const details = { name: raw.name, email: raw.email, no: raw.no, sex: Number(raw.sex), age: Number(raw.age),
    phone: raw.phone };
  const id = platformId(link.recruitment);
  if (id) details.no = id;
  for (const field of Object.keys(details)) if (details[field] === undefined) delete details[field];
  state.details = details;
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
  const id = platformId(link.recruitment);
  const rows = [
    ['form.name', d.name],
    ['form.age', formatNumber(d.age)],
    ['form.sex', t(`sex.${d.sex}`)],
    [id ? 'pl.form.platformId' : 'form.no', d.no],
    ['form.phone', d.phone],
    ['form.email', d.email],
  ];
  $('confirm-input').textContent = t(state.pack?.touch ? 'pl.confirm.touch' : 'confirm.keyboard');
  const nodes = [];
  for (const [label, value] of rows) {
    if (value === undefined) continue;
    const dt = document.createElement('dt');
    dt.textContent = t(label);
    const dd = document.createElement('dd');
    dd.textContent = value;
    nodes.push(dt, dd);
  }
  $('confirm-list').replaceChildren(...nodes);
  if (state.startError) showError($('start-error'), state.startError, id ? KNOWN_WITH_PLATFORM_ID : undefined);
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
  form.querySelector('[data-field]:not([hidden]) input')?.focus();
});

$('confirm-start').addEventListener('click', async () => {
  if (state.phase !== 'confirm' || !state.details) return;
  state.startError = null;
  $('start-error').hidden = true;
  setPhase('starting');
  let answer;
  let participant;
  try {
    answer = await startReply(startBody(state.details));
    participant = await afterStart(state.details, answer, state.pack);
  } catch (err) {
    const { field } = describeError(err);
    const message = String(err?.message ?? '');
    if (err?.kind === 'rejected' && /^(Pack Closed|Unknown Pack)/.test(message)) {
      showLinkPanel(message.startsWith('Pack Closed') ? 'closed' : 'unknown', { setPhase });
    } else if (field && FIELDS.includes(field)) {
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
  const session = createSession(participant, answer, linkOfSession(state.consent));
  if (!saveSession(session)) {
    setPhase('blocked');
    return;
  }
  dropHold();
  window.location.assign(EXPERIMENT_PAGE);
});

// ---- The consent of a participant link ----

$('consent-agree').addEventListener('click', () => {
  state.consent = agree(state.pack);
  showForm();
  form.querySelector('[data-field]:not([hidden]) input')?.focus();
});
$('consent-decline').addEventListener('click', () => {
  state.consent = null;
  showLinkPanel('declined', { setPhase });
});
$('link-retry').addEventListener('click', () => init());

function renderLead() {
  const question = state.pack?.question?.[currentLang()] ?? '';
  $('lead').textContent = question ? t('pl.lead.question', { question }) : t('start.lead');
}

// ---- Page start ----

/**
 * The device check (issue 21): a device whose only pointer is a finger has,
 * as a rule, no keyboard, so every trial would time out. It is told before
 * any detail is typed, and nothing is sent or stored — unless the pack lets
 * participants tap the faces (`touch`), which only a participant link or a
 * stored session of such a pack can tell.
 */
async function init({ afterDiscard = false } = {}) {
  state.details = null;
  state.fieldErrors = {};
  state.formError = null;
  state.startError = null;
  state.consent = null;
  state.pack = null;
  renderLead();
  if (link.bad) {
    showLinkPanel('link', { setPhase, key: link.bad });
    return;
  }
  const storage = storageAvailable();
  const session = storage && !afterDiscard ? loadSession() : null;
  if (session && !(touchOnly() && !session.touch)) {
    showResume(session);
    return;
  }
  if (touchOnly() && !link.packName) {
    setPhase('device');
    return;
  }
  if (!storage) {
    setPhase('blocked');
    return;
  }
  if (!link.packName) {
    showForm();
    return;
  }
  setPhase('loading');
  const pack = await loadPack(setPhase);
  if (!pack) return; // the link panel says why
  state.pack = pack;
  renderLead();
  if (touchOnly() && !pack.touch) {
    setPhase('device');
  } else if (pack.consent) {
    drawConsent($('consent-text'), pack);
    setPhase('consent');
  } else {
    showForm();
  }
}

onLangChange(() => {
  setPhase(state.phase);
  renderLead();
  if (state.phase === 'resume') renderResume();
  if (state.phase === 'form') showForm();
  if (state.phase === 'confirm' || state.phase === 'starting') renderConfirm();
  if (LINK_PHASES.has(state.phase)) showLinkPanel(null, { setPhase });
});

// Coming back with the browser's Back button may show this page from the
// back-forward cache, as it was when the participant left: look again.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) init();
});

initI18n();
init();
