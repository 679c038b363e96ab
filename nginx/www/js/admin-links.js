// Under each pack's row: its settings in brief, and the participant link to
// copy — plain, or in the form a recruitment platform fills in with its IDs
// (PackSettings.md, "Recruitment IDs").

import { t } from './i18n.js';

/** The link forms, in the order of the chooser; each adds to `/?pack=NAME`. */
export const LINK_FORMS = Object.freeze({
  plain: '',
  prolific: '&PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}',
  sona: '&survey_code=%SURVEY_CODE%',
  // MTurk adds workerId, assignmentId and hitId itself to an ExternalQuestion's URL.
  mturk: '',
});

/** The participant link of `pack` in `form`, on this site (never the admin's credentials). */
export function packLink(pack, form = 'plain') {
  return `${window.location.origin}/?pack=${encodeURIComponent(pack.pack_name)}${LINK_FORMS[form] ?? ''}`;
}

const chosen = new Map(); // p_id → link form, kept across redraws

function span(text, className) {
  const el = document.createElement('span');
  if (className) el.className = className;
  el.textContent = text;
  return el;
}

/** The settings of a pack as short phrases: asked details, time, answers, consent, completion. */
export function settingsSummary(settings = {}) {
  const ask = Array.isArray(settings.ask) ? settings.ask : ['name', 'email', 'no', 'phone'];
  const asked = [...ask.map((f) => t(`admin.set.brief.${f}`)), t('admin.set.brief.sexAge')].join(', ');
  const parts = [
    t('admin.set.brief.asks', { list: asked }),
    typeof settings.time_limit === 'number' ? t('admin.set.brief.time', { seconds: settings.time_limit }) : null,
    t(settings.touch ? 'admin.set.brief.touch' : 'admin.set.brief.keys'),
    t(settings.consent ? 'admin.set.brief.consent' : 'admin.set.brief.noConsent'),
    settings.completion_url ? t('admin.set.brief.completionUrl')
      : settings.completion_code ? t('admin.set.brief.completionCode', { code: settings.completion_code })
        : t('admin.set.brief.noCompletion'),
  ];
  const question = settings.question?.ko || settings.question?.en;
  if (question) parts.splice(1, 0, t('admin.set.brief.question'));
  return parts.filter(Boolean);
}

/** Copies `text`: the Clipboard API, else the selected field and execCommand. */
async function copyText(text, field) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    field.focus();
    field.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

function drawLink(row, pack) {
  const form = chosen.get(pack.p_id) ?? 'plain';
  row.querySelector('.link-text').value = packLink(pack, form);
  row.querySelector('.link-hint').textContent = t(`admin.link.hint.${form}`);
  row.querySelector('.link-status').textContent = '';
}

/**
 * The row under a pack's row: settings in brief with `settingsButton` (which
 * opens the dialog), and the link with its form chooser and Copy.
 */
export function packExtraRow(pack, columns, settingsButton) {
  const tr = document.createElement('tr');
  tr.className = 'pack-extra';
  tr.dataset.extra = String(pack.p_id);
  if (pack.open === false) tr.classList.add('closed');
  const td = document.createElement('td');
  td.colSpan = columns;
  const settings = pack.settings ?? {};

  const head = document.createElement('div');
  head.className = 'pack-settings-line';
  const brief = document.createElement('p');
  brief.className = 'pack-settings';
  head.append(brief, settingsButton);
  for (const [i, part] of settingsSummary(settings).entries()) {
    if (i) brief.append(span(' · ', 'sep'));
    brief.append(span(part));
  }
  const ask = Array.isArray(settings.ask) ? settings.ask : null;
  if (ask && !ask.includes('no')) brief.append(span(' · ', 'sep'), span(t('admin.link.needsId'), 'needs-id'));

  const line = document.createElement('div');
  line.className = 'pack-link';
  const id = `link-${pack.p_id}`;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = t('admin.link.label');
  const select = document.createElement('select');
  select.className = 'link-form';
  select.setAttribute('aria-label', t('admin.link.formLabel', { name: pack.pack_name }));
  for (const form of Object.keys(LINK_FORMS)) {
    const option = document.createElement('option');
    option.value = form;
    option.textContent = t(`admin.link.form.${form}`);
    select.append(option);
  }
  select.value = chosen.get(pack.p_id) ?? 'plain';
  const field = document.createElement('input');
  field.type = 'text';
  field.readOnly = true;
  field.id = id;
  field.className = 'link-text';
  field.spellcheck = false;
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.className = 'small';
  copy.dataset.copy = String(pack.p_id);
  copy.textContent = t('admin.link.copy');
  copy.setAttribute('aria-label', t('admin.link.copyLabel', { name: pack.pack_name }));
  const status = span('', 'link-status');
  status.setAttribute('role', 'status');
  const hint = document.createElement('p');
  hint.className = 'hint link-hint';
  line.append(label, select, field, copy, status);
  td.append(head, line, hint);
  tr.append(td);

  select.addEventListener('change', () => {
    chosen.set(pack.p_id, select.value);
    drawLink(tr, pack);
  });
  field.addEventListener('focus', () => field.select());
  copy.addEventListener('click', async () => {
    const ok = await copyText(field.value, field);
    status.textContent = t(ok ? 'admin.link.copied' : 'admin.link.copyFailed');
    status.classList.toggle('bad', !ok);
  });
  drawLink(tr, pack);
  return tr;
}
