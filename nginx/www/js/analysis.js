// The admin page's analysis card: for the chosen pack, its classification image
// (GET /api/admin/ci, computed live on the server, redrawn as replies arrive) and a
// table of each reply's infoVal (GET /api/admin/infoval) with a small CI per reply;
// the infoVals as CSV. Built entirely here and placed after the pack list, so the
// admin page only loads this module.
//
// #analysis[data-state]: empty | loading | ready | error

import { currentLang, onLangChange, formatNumber } from './i18n.js';
import { ApiError, listPacks } from './api.js';
import { showError } from './messages.js';
import { tr } from './analysis-text.js';
import { ciUrl, infoValUrl, fetchImage, fetchPicture, fetchInfoVals } from './analysis-api.js';

const POLL_MS = 10000;           // how often the reply count is checked while a pack is shown
const THUMBNAIL_SIZE = 96;
const SIGNAL_Z = 1.96;           // infoVal above this: signal at alpha = 0.05

// ---- The card ----

const state = {
  packs: [],
  packId: null,
  count: null,       // the reply count the card was drawn for
  shownReply: null,  // null: the pack CI
  base: '',          // the face the big picture is drawn over: 'uploaded base.png' | 'recovered'
  rows: [],
  urls: new Set(),   // object URLs to release when redrawn
  controller: null,  // aborts the requests of an earlier drawing
  timer: null,
  updatedAt: null,   // when the card was last drawn complete
};

function element(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'class') el.className = value;
    else if (name === 'text') el.textContent = value;
    else if (name in el) el[name] = value;
    else el.setAttribute(name, value);
  }
  el.append(...children);
  return el;
}

const card = element('section', { id: 'analysis', class: 'card', 'aria-labelledby': 'analysis-title' });
card.dataset.state = 'empty';
const title = element('h2', { id: 'analysis-title' });
const intro = element('p', { class: 'muted' });
const packSelect = element('select', { id: 'analysis-pack' });
const scalingSelect = element('select', { id: 'analysis-scaling' });
const packLabel = element('label', { htmlFor: 'analysis-pack' });
const scalingLabel = element('label', { htmlFor: 'analysis-scaling' });
const refreshButton = element('button', { type: 'button', id: 'analysis-refresh' });
const status = element('p', { class: 'muted analysis-status', role: 'status' });
const errorBox = element('div', { class: 'notice error', role: 'alert', hidden: true });
const figureImage = element('img', { id: 'analysis-ci', width: 384, height: 384 });
const caption = element('figcaption');
const baseNote = element('p', { class: 'muted analysis-base' });
const backButton = element('button', { type: 'button', class: 'small', hidden: true });
const pngLink = element('a', { class: 'button small', download: '' });
const csvLink = element('a', { class: 'button small', download: '' });
const tableBody = element('tbody');
const headCells = ['colReply', 'colTrials', 'colInfoVal', 'colCI'].map((key) => element('th', { scope: 'col' }));
headCells[0].className = 'num';
headCells[1].className = 'num';
headCells[2].className = 'num';

card.append(
  title, intro,
  element('div', { class: 'field-row analysis-controls' },
    element('div', { class: 'field' }, packLabel, packSelect),
    element('div', { class: 'field' }, scalingLabel, scalingSelect),
    element('div', { class: 'field analysis-refresh' }, refreshButton)),
  errorBox, status,
  element('div', { class: 'analysis-body' },
    element('figure', { class: 'analysis-figure' }, figureImage, caption, baseNote,
      element('div', { class: 'actions' }, backButton, pngLink, csvLink)),
    element('div', { class: 'table-wrap analysis-table' },
      element('table', { class: 'packs-table' }, element('thead', {}, element('tr', {}, ...headCells)), tableBody))),
);

function packOf(id) {
  return state.packs.find((p) => p.p_id === id) ?? null;
}

function drawStatic() {
  title.textContent = tr('title');
  intro.textContent = tr('intro');
  packLabel.textContent = tr('pack');
  scalingLabel.textContent = tr('scaling');
  refreshButton.textContent = tr('refresh');
  backButton.textContent = tr('backToPack');
  pngLink.textContent = tr('downloadPNG');
  csvLink.textContent = tr('downloadCSV');
  ['colReply', 'colTrials', 'colInfoVal', 'colCI'].forEach((key, i) => { headCells[i].textContent = tr(key); });
  const chosen = scalingSelect.value || 'independent';
  scalingSelect.replaceChildren(...['independent', 'autoscale'].map((value) => element('option', { value, text: tr(value) })));
  scalingSelect.value = chosen;
  drawPackOptions();
  drawCaption();
  drawRows();
  drawStatus();
}

function drawStatus() {
  if (card.dataset.state !== 'ready' || !state.updatedAt) return;
  status.textContent = tr('updated', { time: state.updatedAt.toLocaleTimeString(currentLang() === 'ko' ? 'ko-KR' : 'en-GB') });
}

function drawPackOptions() {
  const options = [element('option', { value: '', text: tr('choose') })];
  for (const pack of state.packs) {
    options.push(element('option', { value: String(pack.p_id), text: `${pack.p_id} · ${pack.pack_name} (${formatNumber(Number(pack.count) || 0)})` }));
  }
  packSelect.replaceChildren(...options);
  packSelect.value = state.packId === null ? '' : String(state.packId);
}

function drawCaption() {
  const pack = packOf(state.packId);
  if (!pack) {
    caption.textContent = '';
    baseNote.textContent = '';
    return;
  }
  const uploaded = /^uploaded (.+)$/.exec(state.base);
  baseNote.textContent = uploaded ? tr('baseUploaded', { file: uploaded[1] })
    : (state.base === 'recovered' ? tr('baseRecovered') : '');
  const count = state.count ?? Number(pack.count) ?? 0;
  caption.textContent = state.shownReply === null
    ? tr('packCI', { name: pack.pack_name, replies: tr('replies', { count, n: formatNumber(count) }) })
    : tr('replyCI', { id: state.shownReply });
  figureImage.alt = tr('ciAlt', { what: caption.textContent });
  backButton.hidden = state.shownReply === null;
}

function drawRows() {
  tableBody.replaceChildren(...state.rows.map((row) => {
    const z = row.infoval;
    const value = element('td', { class: 'num', text: z === null ? '—' : z.toFixed(2) });
    if (z !== null && z > SIGNAL_Z) value.classList.add('signal');
    const thumb = element('img', { width: 48, height: 48, alt: '', loading: 'lazy' });
    thumb.dataset.reply = String(row.r_id);
    if (row.thumbnail) thumb.src = row.thumbnail;
    const show = element('button', { type: 'button', class: 'thumb', 'aria-label': tr('showReply', { id: row.r_id }) }, thumb);
    show.dataset.reply = String(row.r_id);
    const line = element('tr', {}, element('td', { class: 'num', text: String(row.r_id) }),
      element('td', { class: 'num', text: formatNumber(row.trials) }), value, element('td', {}, show));
    if (row.r_id === state.shownReply) line.classList.add('shown');
    return line;
  }));
}

function track(url) {
  state.urls.add(url);
  return url;
}

function releaseImages() {
  for (const url of state.urls) URL.revokeObjectURL(url);
  state.urls.clear();
}

/** The big picture: the pack CI or one reply's, at the chosen scaling. */
async function drawFigure(signal) {
  const options = { replyId: state.shownReply, scaling: scalingSelect.value || 'independent' };
  const path = ciUrl(state.packId, options);
  pngLink.href = path;
  pngLink.download = state.shownReply === null ? `ci-${state.packId}.png` : `ci-${state.packId}-${state.shownReply}.png`;
  const picture = await fetchPicture(path, signal);
  const url = track(picture.url);
  if (!signal.aborted) {
    figureImage.src = url;
    state.base = picture.base;
  }
  drawCaption();
}

/** Fetches and draws everything for the chosen pack; `quiet` keeps the current picture while loading. */
async function load({ quiet = false } = {}) {
  state.controller?.abort();
  const controller = new AbortController();
  state.controller = controller;
  const { signal } = controller;
  const packId = state.packId;
  errorBox.hidden = true;
  if (packId === null) {
    card.dataset.state = 'empty';
    status.textContent = '';
    return;
  }
  if (!quiet) card.dataset.state = 'loading';
  status.textContent = tr('computing');
  csvLink.href = infoValUrl(packId, 'csv');
  csvLink.download = `${packId}-infoval.csv`;
  const oldUrls = new Set(state.urls);
  state.urls.clear();
  try {
    await drawFigure(signal);
    const rows = await fetchInfoVals(packId, signal);
    if (signal.aborted) return;
    state.rows = rows.map((row) => ({ ...row, thumbnail: null }));
    drawRows();
    card.dataset.state = 'ready';
    state.updatedAt = new Date();
    drawStatus();
    for (const url of oldUrls) URL.revokeObjectURL(url);
    await loadThumbnails(signal);
  } catch (err) {
    if (signal.aborted) return;
    for (const url of oldUrls) URL.revokeObjectURL(url);
    state.rows = [];
    drawRows();
    figureImage.removeAttribute('src');
    card.dataset.state = 'error';
    status.textContent = '';
    if (err instanceof ApiError && err.kind === 'rejected' && err.message.startsWith('No Replies Yet')) {
      errorBox.replaceChildren(element('p', { text: tr('noReplies') }));
      errorBox.hidden = false;
    } else {
      showError(errorBox, err);
    }
  }
}

/** Small CIs, two requests at a time (each is computed on the server, then cached there). */
async function loadThumbnails(signal) {
  const scaling = scalingSelect.value || 'independent';
  const queue = [...state.rows];
  const worker = async () => {
    while (queue.length && !signal.aborted) {
      const row = queue.shift();
      try {
        row.thumbnail = track(await fetchImage(ciUrl(state.packId, { replyId: row.r_id, scaling, size: THUMBNAIL_SIZE }), signal));
      } catch {
        continue; // one missing thumbnail leaves its cell empty
      }
      if (signal.aborted) return;
      const img = tableBody.querySelector(`img[data-reply="${row.r_id}"]`);
      if (img) img.src = row.thumbnail;
    }
  };
  await Promise.all([worker(), worker()]);
}

/**
 * A new pack list (fetched here, or loaded by the pack list card): the chooser follows it, with
 * or without a pack chosen; a chosen pack that is gone empties the card, a changed reply count
 * redraws it without blanking it. Options are only redrawn when the list changed, so an open
 * chooser is not disturbed.
 */
async function applyPacks(packs) {
  const fresh = packs.filter((p) => p && Number.isSafeInteger(p.p_id));
  const shown = (list) => JSON.stringify(list.map((p) => [p.p_id, p.pack_name, Number(p.count) || 0]));
  const changed = shown(fresh) !== shown(state.packs);
  state.packs = fresh;
  if (state.packId === null) {
    if (changed) drawPackOptions();
    return;
  }
  const pack = packOf(state.packId);
  if (!pack) {
    state.packId = null;
    drawPackOptions();
    await load();
    return;
  }
  if (changed) drawPackOptions();
  if (Number(pack.count) !== state.count) {
    state.count = Number(pack.count);
    await load({ quiet: true });
  }
}

/** Every POLL_MS and on this card's Refresh: the pack list again. */
async function poll() {
  if (document.hidden) return;
  let packs;
  try {
    packs = await listPacks();
  } catch {
    return; // the pack list shows its own errors
  }
  await applyPacks(Array.isArray(packs) ? packs : []);
}

packSelect.addEventListener('change', () => {
  state.packId = packSelect.value ? Number(packSelect.value) : null;
  state.shownReply = null;
  state.base = '';
  state.count = state.packId === null ? null : Number(packOf(state.packId)?.count ?? 0);
  releaseImages();
  state.rows = [];
  drawRows();
  figureImage.removeAttribute('src');
  drawCaption();
  load();
});

scalingSelect.addEventListener('change', () => load({ quiet: true }));
refreshButton.addEventListener('click', () => poll().then(() => load({ quiet: true })));

backButton.addEventListener('click', () => {
  state.shownReply = null;
  drawRows();
  drawFigure(state.controller?.signal ?? new AbortController().signal).catch((err) => showError(errorBox, err));
});

tableBody.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-reply]');
  if (!button) return;
  state.shownReply = Number(button.dataset.reply);
  drawRows();
  drawFigure(state.controller?.signal ?? new AbortController().signal).catch((err) => showError(errorBox, err));
});

onLangChange(drawStatic);

async function init() {
  document.getElementById('packs')?.after(card);
  drawStatic();
  // The pack list card announces every list it loads (its Refresh, an upload, a delete): follow it.
  document.addEventListener('psyx:packs', (event) => {
    if (Array.isArray(event.detail)) applyPacks(event.detail);
  });
  try {
    state.packs = (await listPacks()).filter((p) => p && Number.isSafeInteger(p.p_id));
  } catch {
    state.packs = [];
  }
  drawPackOptions();
  state.timer = setInterval(poll, POLL_MS);
}

init();
