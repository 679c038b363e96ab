// Uploading a folder of face images as a new pack, with a progress bar fed
// by the upload's own progress events. The server does the real checks; the
// page only catches obvious mistakes before sending hundreds of megabytes.
// The pack's settings (admin-settings-form.js) sit in a closed "Task and
// participants" section; left alone, the upload sends none of them.
//
// #upload[data-state]: idle | uploading | processing | done | error

import { t, onLangChange, formatNumber } from './i18n.js';
import { uploadPack, getConfig } from './api.js';
import { describeError, ADMIN_KNOWN } from './messages.js';
import { analyse, folderError } from './pack-folder.js';
import {
  readSettings, checkSettings, uploadFields, renderSettingsErrors, drawSettingsExtras, setServerTime,
} from './admin-settings-form.js';

const PACK_NAME = /^[a-z][a-z0-9_]*$/;
const PACK_NAME_MAX = 15;

const $ = (id) => document.getElementById(id);

const state = {
  files: null, // analysis of the chosen folder
  errors: {}, // field → text key
  upload: null, // {abort} while sending
  result: null, // {ok, message} | {ok: false, err} | {ok: false} (cancelled)
  progress: { loaded: 0, total: 0 },
  packSize: null, // pairs per pack, from the server (null until known)
  settingsErrors: {}, // settings field → text key
};

const SETTINGS_FIELDS = ['ask', 'question_ko', 'question_en', 'time_limit', 'touch', 'consent',
  'completion_url', 'completion_code'];

function drawSettings() {
  renderSettingsErrors($('upload-form'), 'u', state.settingsErrors);
  drawSettingsExtras($('upload-form'), 'u');
}

function formatBytes(bytes) {
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'MB'] : [bytes / 1024, 'KB'];
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(value)} ${unit}`;
}


function setUploadState(value) {
  $('upload').dataset.state = value;
  const busy = value === 'uploading' || value === 'processing';
  for (const el of $('upload-form').elements) {
    if (el.id !== 'upload-cancel') el.disabled = busy;
  }
  $('upload-cancel').hidden = value !== 'uploading';
  $('upload-progress-box').hidden = value === 'idle';
  if (busy) window.addEventListener('beforeunload', warnBeforeLeaving);
  else window.removeEventListener('beforeunload', warnBeforeLeaving);
}

function warnBeforeLeaving(event) {
  event.preventDefault();
  event.returnValue = '';
}

function renderFiles() {
  const f = state.files;
  const summary = $('u-files-summary');
  if (!f) {
    summary.textContent = t('admin.upload.noFolder');
    return;
  }
  const lines = [t('admin.upload.summary', {
    files: formatNumber(f.total),
    count: f.total,
    pairs: formatNumber(f.pairs),
    images: formatNumber(f.images.length),
    size: formatBytes(f.bytes),
  })];
  if (state.packSize) lines.push(t('admin.upload.needs', needs()));
  if (f.bases.length) lines.push(t('admin.upload.base', { list: f.bases.map((b) => b.name).join(', ') }));
  if (f.skipped) lines.push(t('admin.upload.skipped', { n: formatNumber(f.skipped), count: f.skipped }));
  if (f.odd.length) {
    const list = f.odd.slice(0, 8).join(', ') + (f.odd.length > 8 ? ', …' : '');
    lines.push(t('admin.upload.oddPairs', { list }));
  } else if (f.gaps) {
    lines.push(t('admin.upload.gaps'));
  }
  summary.textContent = lines.join(' ');
}

/** The pack size as the texts show it: {pairs, images}. */
function needs() {
  return { pairs: formatNumber(state.packSize), images: formatNumber(state.packSize * 2) };
}


function renderErrors() {
  const show = (id, field, key) => {
    const el = $(id);
    el.hidden = !key;
    el.textContent = key ? t(key, state.packSize ? needs() : {}) : '';
    for (const name of [].concat(field)) {
      const input = $('upload-form').elements[name];
      if (input) input.setAttribute('aria-invalid', String(Boolean(key)));
    }
  };
  show('u-name-error', 'pack_name', state.errors.pack_name);
  show('u-sex-error', 'sex', state.errors.sex);
  show('u-age-error', ['age_min', 'age_max'], state.errors.ages);
  show('u-files-error', 'folder', state.errors.files);
}

function renderProgress() {
  const { loaded, total } = state.progress;
  const pct = total > 0 ? Math.min(100, Math.floor((loaded / total) * 100)) : 0;
  $('upload-progress').value = pct;
  $('upload-percent').textContent = `${pct} %`;
  const phase = $('upload').dataset.state;
  const status = {
    uploading: () => t('admin.upload.sending', { loaded: formatBytes(loaded), total: formatBytes(total) }),
    processing: () => t('admin.upload.processing'),
    done: () => t('admin.upload.finished'),
  }[phase];
  $('upload-status').textContent = status ? status() : '';
}

function renderResult() {
  const box = $('upload-result');
  const r = state.result;
  box.hidden = !r;
  if (!r) return;
  box.classList.toggle('ok', r.ok);
  box.classList.toggle('error', !r.ok);
  // Described at render time, so a language switch redraws it.
  let text;
  let detail = '';
  if (r.err) {
    let field;
    ({ text, detail, field } = describeError(r.err, ADMIN_KNOWN));
    if (detail === text) detail = '';
    if (SETTINGS_FIELDS.includes(field)) $('u-settings').open = true;
  } else {
    text = r.ok ? (r.message || t('admin.upload.added')) : t('admin.upload.cancelled');
  }
  const main = document.createElement('p');
  main.textContent = text;
  const nodes = [main];
  if (detail) {
    const p = document.createElement('p');
    p.className = 'detail';
    p.textContent = detail;
    nodes.push(p);
  }
  box.replaceChildren(...nodes);
}

function checkForm(form) {
  const errors = {};
  const name = form.elements.pack_name.value.trim();
  if (!(PACK_NAME.test(name) && name.length <= PACK_NAME_MAX)) errors.pack_name = 'admin.err.name';
  if (!['1', '2'].includes(form.elements.sex.value)) errors.sex = 'admin.err.sex';
  const min = form.elements.age_min.value.trim();
  const max = form.elements.age_max.value.trim();
  const valid = (v) => /^\d{1,3}$/.test(v) && Number(v) <= 120;
  if (!(valid(min) && valid(max) && Number(min) <= Number(max))) errors.ages = 'admin.err.ages';
  const files = folderError(state.files, state.packSize);
  if (files) errors.files = files;
  state.settingsErrors = checkSettings(readSettings(form));
  return errors;
}

async function send(form, onCreated) {
  const data = new FormData();
  // Text fields first, so the server knows the pack before the files stream in.
  data.append('pack_name', form.elements.pack_name.value.trim());
  data.append('sex', form.elements.sex.value);
  data.append('age_min', String(Number(form.elements.age_min.value)));
  data.append('age_max', String(Number(form.elements.age_max.value)));
  for (const [field, value] of Object.entries(uploadFields(readSettings(form)))) data.append(field, value);
  for (const file of [...state.files.images, ...state.files.bases]) {
    // The relative path as the part's filename; the server keeps its last component.
    data.append('file', file, file.webkitRelativePath || file.name);
  }
  state.result = null;
  state.progress = { loaded: 0, total: state.files.bytes };
  renderResult();
  setUploadState('uploading');
  renderProgress();
  const upload = uploadPack(data, {
    onProgress(loaded, total) {
      state.progress = { loaded, total };
      renderProgress();
    },
    onSent() {
      state.progress = { loaded: state.progress.total, total: state.progress.total };
      setUploadState('processing');
      renderProgress();
    },
  });
  state.upload = upload;
  try {
    const message = await upload.promise;
    state.result = { ok: true, message };
    setUploadState('done');
    form.reset();
    $('u-settings').open = false;
    state.files = null;
    renderFiles();
    drawSettings();
    onCreated();
  } catch (err) {
    if (err.kind === 'aborted') {
      state.result = { ok: false };
      setUploadState('idle');
    } else {
      state.result = { ok: false, err };
      setUploadState('error');
      // The result box says what went wrong; a full bar beside it would say "done".
      $('upload-progress-box').hidden = true;
    }
  } finally {
    state.upload = null;
  }
  renderProgress();
  renderResult();
}

/** Wires the upload form; `onCreated` runs after the server added a pack. */
export function initUpload({ onCreated }) {
  const form = $('upload-form');
  const nameInput = form.elements.pack_name;

  $('u-folder').addEventListener('change', (event) => {
    state.files = event.target.files?.length ? analyse(event.target.files) : null;
    // Offer the folder's name as the pack name when it would be a valid one.
    const suggestion = state.files?.folder.toLowerCase() ?? '';
    if (!nameInput.value.trim() && PACK_NAME.test(suggestion) && suggestion.length <= PACK_NAME_MAX) {
      nameInput.value = suggestion;
    }
    delete state.errors.files;
    // Said at once (not only at Upload): the folder cannot be a pack as it is.
    const problem = state.files && folderError(state.files, state.packSize);
    if (problem && problem !== 'admin.err.noFiles') state.errors.files = problem;
    renderErrors();
    renderFiles();
  });

  form.addEventListener('input', (event) => {
    if (SETTINGS_FIELDS.includes(event.target.name)) {
      delete state.settingsErrors[event.target.name];
      drawSettings();
      return;
    }
    const field = event.target.name === 'age_min' || event.target.name === 'age_max' ? 'ages' : event.target.name;
    if (state.errors[field]) {
      delete state.errors[field];
      renderErrors();
    }
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (state.upload) return;
    state.errors = checkForm(form);
    renderErrors();
    drawSettings();
    if (Object.keys(state.settingsErrors).length) $('u-settings').open = true;
    if (Object.keys(state.errors).length || Object.keys(state.settingsErrors).length) {
      form.querySelector('[aria-invalid="true"]')?.focus();
      return;
    }
    send(form, onCreated);
  });

  $('upload-cancel').addEventListener('click', () => state.upload?.abort());

  onLangChange(() => {
    renderFiles();
    renderErrors();
    drawSettings();
    if ($('upload').dataset.state !== 'idle') renderProgress();
    renderResult();
  });

  setUploadState('idle');
  renderFiles();
  drawSettings();
  getConfig().then((config) => {
    state.packSize = config.pack_size;
    setServerTime(config.time_limit);
    drawSettings();
    renderFiles();
    renderErrors();
  }).catch(() => {}); // without it the server still checks the count
}
