// The admin page: the pack list with reply counts, downloads, closing and
// opening a pack, deletion after a confirmation, withdrawal of replies
// (admin-withdraw.js), each pack's settings and participant links
// (admin-links.js, admin-settings.js) and the upload of a new pack
// (admin-upload.js). The list is fetched again after every change.
//
// body[data-list]: loading | ready | error

import { initI18n, onLangChange, t, formatNumber, formatDateTime, addStrings } from './i18n.js';
import { ADMIN_SETTINGS_STRINGS } from './i18n-admin-settings.js';
import { listPacks, removePack, setPackOpen, downloadUrl } from './api.js';
import { showError, PACK_ACTION_KNOWN } from './messages.js';
import { initUpload } from './admin-upload.js';
import { initWithdraw } from './admin-withdraw.js';
import { mountSettingsFields } from './admin-settings-form.js';
import { initSettingsDialog } from './admin-settings.js';
import { packExtraRow } from './admin-links.js';

const $ = (id) => document.getElementById(id);

const state = {
  packs: [],
  pending: null, // the pack the delete dialog asks about
};

function sexLabel(sex) {
  return sex === 1 || sex === 2 ? t(`sex.${sex}`) : String(sex ?? '');
}

function cell(text, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.textContent = text;
  return td;
}

// Per download format: the button's label, the saved file's name, and its hint.
const DOWNLOADS = {
  json: { label: 'JSON', file: (id) => `${id}.json` },
  csv: { label: 'CSV', file: (id) => `${id}.csv` },
  rcicr: { label: 'rcicr', file: (id) => `${id}-rcicr.csv`, hint: 'admin.rcicrHint' },
  psychds: { label: 'Psych-DS', file: (id) => `${id}-psychds.zip`, hint: 'admin.psychdsHint' },
};

/** A download button: JSON, CSV, rcicr (answered trials for batchGenerateCI2IFC) or Psych-DS (a zip). */
function downloadLink(pack, format) {
  const a = document.createElement('a');
  const { label, file, hint } = DOWNLOADS[format];
  a.href = downloadUrl(pack.p_id, format);
  a.download = file(pack.p_id);
  a.className = 'button small';
  a.textContent = label;
  a.setAttribute('aria-label', t('admin.downloadLabel', { name: pack.pack_name, format: label }));
  if (hint) a.title = t(hint);
  return a;
}

/** A row's button for `action` (close, open, withdraw, delete), named for screen readers. */
function actionButton(pack, action, className) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = className;
  button.dataset.action = action;
  button.dataset.id = String(pack.p_id);
  button.textContent = t(`admin.${action}.button`);
  button.setAttribute('aria-label', t(`admin.${action}.buttonLabel`, { name: pack.pack_name }));
  return button;
}

function packRow(pack) {
  const tr = document.createElement('tr');
  tr.dataset.id = String(pack.p_id);
  const name = cell('');
  const code = document.createElement('code');
  code.textContent = String(pack.pack_name ?? '');
  name.append(code);
  const date = cell('');
  const time = document.createElement('time');
  time.dateTime = String(pack.date ?? '');
  time.textContent = formatDateTime(pack.date);
  time.title = String(pack.date ?? '');
  date.append(time);
  const downloads = cell('', 'downloads');
  downloads.append(...Object.keys(DOWNLOADS).map((format) => downloadLink(pack, format)));
  const open = pack.open !== false;
  tr.classList.toggle('closed', !open);
  const state = cell('');
  const badge = document.createElement('span');
  badge.className = `state ${open ? 'open' : 'closed'}`;
  badge.textContent = t(open ? 'admin.state.open' : 'admin.state.closed');
  badge.title = t(open ? 'admin.state.openHint' : 'admin.state.closedHint');
  state.append(badge);
  const actions = cell('', 'row-actions');
  actions.append(
    actionButton(pack, open ? 'close' : 'open', 'small'),
    actionButton(pack, 'withdraw', 'small'),
    actionButton(pack, 'delete', 'danger small'),
  );
  tr.append(
    cell(String(pack.p_id), 'num'),
    name,
    cell(sexLabel(pack.sex)),
    cell(`${pack.age_min}–${pack.age_max}`),
    date,
    cell(formatNumber(Number(pack.count) || 0), 'num'),
    state,
    downloads,
    actions,
  );
  return tr;
}

function renderList() {
  const packs = state.packs;
  const columns = $('pack-table').tHead.rows[0].cells.length;
  $('pack-rows').replaceChildren(...packs.flatMap((pack) => [
    packRow(pack),
    packExtraRow(pack, columns, actionButton(pack, 'settings', 'small')),
  ]));
  $('pack-table').hidden = packs.length === 0;
  $('list-empty').hidden = packs.length !== 0 || document.body.dataset.list !== 'ready';
  const replies = packs.reduce((sum, p) => sum + (Number(p.count) || 0), 0);
  $('list-summary').textContent = packs.length
    ? t('admin.summary', {
      packs: formatNumber(packs.length),
      replies: formatNumber(replies),
      packCount: packs.length,
      replyCount: replies,
    })
    : '';
}

/** Fetches the list again; true when it worked. */
async function loadList() {
  document.body.dataset.list = 'loading';
  $('refresh').disabled = true;
  try {
    state.packs = (await listPacks()).filter((p) => p && Number.isSafeInteger(p.p_id));
    $('list-error').hidden = true;
    document.body.dataset.list = 'ready';
    // Other cards (analysis.js) follow the list from here.
    document.dispatchEvent(new CustomEvent('psyx:packs', { detail: state.packs }));
    return true;
  } catch (err) {
    showError($('list-error'), err);
    document.body.dataset.list = 'error';
    return false;
  } finally {
    $('refresh').disabled = false;
    renderList();
  }
}

/** A one-line outcome above the table (closing, opening, deletions, withdrawals). */
function showResult(text, ok) {
  const box = $('action-result');
  box.textContent = text;
  box.classList.toggle('ok', ok);
  box.classList.toggle('error', !ok);
  box.hidden = false;
}

/** A refusal of a row's action, in the page's language with the server's sentence under it. */
function showRefusal(err) {
  showError($('action-result'), err, PACK_ACTION_KNOWN);
  $('action-result').classList.remove('ok');
  $('action-result').classList.add('error');
}

// ---- Close and open: no confirmation, nothing is lost either way ----

async function toggleOpen(button) {
  const id = Number(button.dataset.id);
  button.disabled = true;
  try {
    showResult(await setPackOpen(id, button.dataset.action === 'open'), true);
  } catch (err) {
    showRefusal(err);
  }
  await loadList();
}

// ---- Delete, after a confirmation naming the pack and its replies ----

const dialog = $('delete-dialog');

function drawDialog() {
  const pack = state.pending;
  if (!pack) return;
  const count = Number(pack.count) || 0;
  $('delete-text').textContent = t('admin.delete.text', {
    name: pack.pack_name,
    id: pack.p_id,
    replies: t('admin.replies', { count, n: formatNumber(count) }),
  });
  $('delete-hint').textContent = t(count > 0 ? 'admin.delete.hintReplies' : 'admin.delete.hintEmpty');
  $('delete-confirm').textContent = t('admin.delete.confirm', { name: pack.pack_name });
}

const withdraw = initWithdraw({
  onDone: async (message) => {
    showResult(message, true);
    await loadList();
  },
  onRefused: async (err) => {
    showRefusal(err);
    await loadList();
  },
});

const settings = initSettingsDialog({
  onDone: async (message) => {
    showResult(message, true);
    await loadList();
  },
});

$('pack-rows').addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  const { action } = button.dataset;
  if (action === 'settings') {
    // The reply count as it is now: it decides which fields may still change.
    const id = Number(button.dataset.id);
    await loadList();
    const pack = state.packs.find((p) => p.p_id === id);
    if (pack) settings.open(pack);
    return;
  }
  if (action === 'open' || action === 'close') {
    toggleOpen(button);
    return;
  }
  if (action === 'withdraw') {
    const pack = state.packs.find((p) => p.p_id === Number(button.dataset.id));
    if (pack) withdraw.open(pack);
    return;
  }
  if (action !== 'delete') return;
  const id = Number(button.dataset.id);
  button.disabled = true;
  // Ask about the reply count as it is now, not as it was when the list loaded.
  const fresh = await loadList();
  const pack = state.packs.find((p) => p.p_id === id);
  if (!pack) {
    if (fresh) showResult(t('admin.delete.gone', { id }), false);
    return;
  }
  state.pending = pack;
  drawDialog();
  dialog.returnValue = '';
  dialog.showModal();
});

dialog.addEventListener('close', async () => {
  const pack = state.pending;
  state.pending = null;
  if (!pack || dialog.returnValue !== 'delete') return;
  try {
    const message = await removePack(pack.p_id);
    showResult(message || t('admin.delete.done', { id: pack.p_id }), true);
  } catch (err) {
    showRefusal(err);
  }
  await loadList();
});

$('refresh').addEventListener('click', () => {
  $('action-result').hidden = true;
  loadList();
});

onLangChange(() => {
  renderList();
  drawDialog();
  withdraw.redraw();
  settings.redraw();
});

addStrings(ADMIN_SETTINGS_STRINGS);
mountSettingsFields();
initI18n();
initUpload({ onCreated: () => loadList() });
loadList();
