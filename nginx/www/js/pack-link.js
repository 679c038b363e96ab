// The start page's part of a participant link (PackSettings.md): the pack it
// names, the recruitment IDs it carries, the consent before the form, the
// token that holds the participant number at start (issue 21), and what the
// page says when the link cannot go on.

import { t } from './i18n.js';
import { getPackView } from './api.js';
import { describeError } from './messages.js';
import { readLink, platformId, packNameOf, newHoldToken } from './recruitment.js';
import { renderConsent, consentStamp } from './consent.js';

/** What this page's address says: {packName, recruitment, bad}. */
export const link = readLink();

const $ = (id) => document.getElementById(id);
const ALL_FIELDS = ['name', 'age', 'sex', 'no', 'phone', 'email'];

export { touchOnly } from './device.js';

// ---- The panel of a link that cannot go on ----

const PHASE_OF_KIND = {
  link: 'link', noid: 'link', unknown: 'unknown', closed: 'closed', declined: 'declined', packerror: 'packerror',
};
let shown = null; // {kind, key, err} of the panel, redrawn on a language change

/**
 * Shows why the link ends here (kind: link | noid | unknown | closed |
 * declined | packerror), or redraws the last one when `kind` is null.
 */
export function showLinkPanel(kind, { setPhase, key = '', err = null } = {}) {
  if (kind) shown = { kind, key, err };
  if (!shown) return;
  const text = {
    link: ['pl.link.title', 'pl.link.text'],
    noid: ['pl.link.title', 'pl.server.idRequired'],
    unknown: ['pl.unknown.title', 'pl.unknown.text'],
    closed: ['pl.closed.title', 'pl.closed.text'],
    declined: ['pl.declined.title', 'pl.declined.text'],
    packerror: ['pl.link.title', null],
  }[shown.kind];
  $('link-title').textContent = t(text[0]);
  const described = shown.err ? describeError(shown.err) : null;
  $('link-text').textContent = text[1]
    ? t(text[1], { key: shown.key, name: link.packName ?? '' })
    : described.text;
  const detail = described && described.detail !== described.text ? described.detail : '';
  $('link-detail').textContent = detail;
  $('link-detail').hidden = !detail;
  const platform = Object.keys(link.recruitment).length > 0 && ['closed', 'declined'].includes(shown.kind);
  $('link-platform').hidden = !platform;
  $('link-platform').textContent = platform ? t(`pl.${shown.kind}.platform`) : '';
  $('link-actions').hidden = shown.kind !== 'packerror';
  setPhase(PHASE_OF_KIND[shown.kind]);
}

/** The public view of the linked pack, or null once the link panel says why not. */
export async function loadPack(setPhase) {
  let pack;
  try {
    pack = await getPackView(link.packName);
  } catch (err) {
    const unknown = err?.kind === 'rejected' && String(err.message).startsWith('Unknown Pack');
    showLinkPanel(unknown ? 'unknown' : 'packerror', { setPhase, err });
    return null;
  }
  if (!pack.open) {
    showLinkPanel('closed', { setPhase });
    return null;
  }
  if (!pack.ask.includes('no') && !platformId(link.recruitment)) {
    showLinkPanel('noid', { setPhase }); // the server would answer Participant ID Required
    return null;
  }
  return pack;
}

/** The form's fields: the pack's `ask` plus sex and age (all six without a pack); no `no` with a platform ID. */
export function askedFields(pack) {
  const id = platformId(link.recruitment);
  return ALL_FIELDS.filter((f) => f === 'sex' || f === 'age'
    || ((!pack || pack.ask.includes(f)) && !(f === 'no' && id)));
}

// ---- Consent ----

export function drawConsent(box, pack) {
  box.replaceChildren(...renderConsent(pack.consent));
  box.scrollTop = 0;
}

/** The record of an agreement given now to the text the page showed. */
export function agree(pack) {
  return consentStamp(pack.consent_version);
}

// ---- Holding the number (issue 21) ----

const HOLD_KEY = 'psyx.hold.v1';
let holdInMemory = null;

/** This tab's hold token: the same for every start of one session, kept across a reload of the page. */
function holdToken() {
  try {
    const kept = window.sessionStorage.getItem(HOLD_KEY);
    if (kept && /^[A-Za-z0-9-]{16,64}$/.test(kept)) return kept;
    holdInMemory ??= newHoldToken();
    window.sessionStorage.setItem(HOLD_KEY, holdInMemory);
  } catch {
    holdInMemory ??= newHoldToken();
  }
  return holdInMemory;
}

/** Keeps a discarded session's token: the same person starting over keeps their hold. */
export function keepHold(token) {
  if (typeof token !== 'string' || !/^[A-Za-z0-9-]{16,64}$/.test(token)) return;
  holdInMemory = token;
  try {
    window.sessionStorage.setItem(HOLD_KEY, token);
  } catch {
    // Kept in memory only.
  }
}

/** Once the session holds the token, the tab's copy goes. */
export function dropHold() {
  try {
    window.sessionStorage.removeItem(HOLD_KEY);
  } catch {
    // Nothing kept.
  }
}

// ---- Start ----

/** The start body: the details, the linked pack, the recruitment IDs and the hold token. */
export function startBody(details) {
  const body = { ...details, hold: holdToken() };
  if (link.packName) body.pack = link.packName;
  if (Object.keys(link.recruitment).length > 0) body.recruitment = { ...link.recruitment };
  return body;
}

/** What the session keeps of the link: {recruitment, pack_name, hold, consent}. */
export function linkOfSession(consent) {
  return { recruitment: link.recruitment, pack_name: link.packName, hold: holdToken(), consent };
}

/**
 * The details to keep once started. Without a link the matched pack's view says
 * which details it asks; the others are dropped, never sent to submit. When it
 * cannot be read, all are kept (the server stores empty strings for them anyway).
 */
export async function afterStart(details, answer, pack) {
  if (pack) return { ...details };
  const name = packNameOf(answer.pack_path);
  let ask = null;
  try {
    if (name) ask = (await getPackView(name)).ask;
  } catch {
    ask = null;
  }
  const kept = { ...details };
  const id = platformId(link.recruitment);
  for (const field of ['name', 'email', 'no', 'phone']) {
    if (ask && !ask.includes(field) && !(field === 'no' && id)) delete kept[field];
  }
  return kept;
}
