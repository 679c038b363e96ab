// Turns an ApiError into text for the page: the server's sentences are in
// English, so the known ones get a sentence in the page's language (the
// server's own words are kept as a detail line), and the participant form
// learns which field a message is about.

import { t } from './i18n.js';

// ---- Participant links, recruitment IDs, consent, touch answers, holds (PackSettings.md) ----
const PACK_LINK_KNOWN = [
  ['Unknown Pack', 'pl.server.unknownPack', null],
  ['Pack Closed', 'pl.server.closed', null],
  ['Participant ID Required', 'pl.server.idRequired', null],
  ['Invalid Recruitment ID', 'pl.server.badId', null],
  ['Participant Number In Use', 'pl.server.inUse', null],
  ['Consent Required', 'pl.server.consentRequired', null],
  ['Invalid Consent', 'pl.server.invalidConsent', null],
  ['Touch Not Allowed', 'pl.server.touch', null],
  ['Unknown Submission', 'pl.server.unknownSubmission', null],
];
// ---- end of the participant links' block ----

// Prefix of the server's sentence → [text key, form field]. What follows the
// prefix after ": " reaches the text as {detail}.
const KNOWN = [
  ['Invalid Name', 'server.invalidName', 'name'],
  ['Invalid Email Address', 'server.invalidEmail', 'email'],
  ['Invalid Sex', 'server.invalidSex', 'sex'],
  ['Invalid Age', 'server.invalidAge', 'age'],
  ['Invalid ExperimentNo.', 'server.invalidNo', 'no'],
  ['Invalid Phone Number', 'server.invalidPhone', 'phone'],
  ['Invalid Input', 'server.invalidInput', null],
  ['No Suitable Pack for You', 'server.noPack', null],
  ['Already Participated', 'server.already', null],
  ...PACK_LINK_KNOWN,
];

/** With a platform ID from the link, the number is not the participant's to correct: an ID in use says so. */
export const KNOWN_WITH_PLATFORM_ID = KNOWN.map(([prefix, key, field]) => (
  prefix === 'Participant Number In Use' ? [prefix, 'pl.server.inUseId', field] : [prefix, key, field]));

// The admin page's upload and delete refusals (spec §3.1).
export const ADMIN_KNOWN = [
  ['Nothing Uploaded', 'server.admin.nothing', 'folder'],
  ['Invalid Pack Name', 'server.admin.name', 'pack_name'],
  ['Invalid Age Bound', 'server.admin.ages', 'ages'],
  ['Invalid Sex', 'server.admin.sex', 'sex'],
  ['Pack Existed', 'server.admin.existed', 'pack_name'],
  ['Invalid Folder Size', 'server.admin.folderSize', 'folder'],
  ['Invalid Image', 'server.admin.image', 'folder'],
  ['Pack Condition Overlapped', 'server.admin.overlap', 'ages'],
  ['Malformed Upload', 'server.admin.malformed', null],
  ['Unknown Pack', 'server.admin.unknownPack', null],
];

/**
 * {text, detail, field} for an error: `text` in the page's language,
 * `detail` the server's own sentence or status when it adds something,
 * `field` the participant field it is about (or null).
 */
export function describeError(err, table = KNOWN) {
  const kind = err?.kind ?? 'network';
  const message = String(err?.message ?? '');
  if (kind === 'rejected') {
    const known = table.find(([prefix]) => message.startsWith(prefix));
    if (known) {
      // What follows the prefix ("female20s (sex 2, ages 20-29)"): whole, its first word, its first number.
      const detail = message.slice(known[0].length).replace(/^:\s*/, '');
      const first = detail.split(/\s+/)[0] ?? '';
      const n = (/\d+/.exec(detail) ?? [''])[0];
      return { text: t(known[1], { detail, first, n }), detail: message, field: known[2] };
    }
    return { text: message || t('error.rejected'), detail: '', field: null };
  }
  if (kind === 'http') {
    if (err.status === 401 || err.status === 403) {
      return { text: t('error.forbidden'), detail: `HTTP ${err.status}`, field: null };
    }
    if (err.status === 413) return { text: t('error.tooLarge'), detail: 'HTTP 413', field: null };
    return { text: t('error.server', { status: err.status }), detail: message, field: null };
  }
  if (kind === 'protocol') return { text: t('error.protocol'), detail: '', field: null };
  return { text: t('error.network'), detail: '', field: null };
}

// Refusals of the pack list's actions: open / close, and withdrawal.
export const PACK_ACTION_KNOWN = [
  ['Pack Condition Overlapped', 'server.admin.reopenOverlap', null],
  ['Unknown Pack', 'server.admin.unknownPack', null],
  ['No Reply Found', 'server.admin.noReply', null],
  ['Invalid r_id', 'server.admin.invalidReplyID', null],
  ['Invalid ExperimentNo.', 'server.admin.invalidNo', null],
  ['Replies Changed', 'server.admin.repliesChanged', null],
];

/** Puts a described error into a notice element (a text line and an optional detail line). */
export function showError(box, err, table = KNOWN) {
  const { text, detail } = describeError(err, table);
  const main = document.createElement('p');
  main.textContent = text;
  const nodes = [main];
  if (detail && detail !== text) {
    const small = document.createElement('p');
    small.className = 'detail';
    small.textContent = detail;
    nodes.push(small);
  }
  box.replaceChildren(...nodes);
  box.hidden = false;
}

// ---- admin: pack settings (PackSettings.md) ----

// The refusals of a pack's settings, at upload and in the settings dialog.
const SETTINGS_REFUSALS = [
  ['Invalid Fields', 'server.admin.set.fields', 'ask'],
  ['Invalid Question', 'server.admin.set.question', 'question_ko'],
  ['Invalid Time Limit', 'server.admin.set.time', 'time_limit'],
  ['Invalid Touch Setting', 'server.admin.set.touch', 'touch'],
  ['Invalid Consent Text', 'server.admin.set.consent', 'consent'],
  ['Invalid Completion URL', 'server.admin.set.url', 'completion_url'],
  ['Invalid Completion Code', 'server.admin.set.code', 'completion_code'],
];
ADMIN_KNOWN.push(...SETTINGS_REFUSALS);

/** The settings dialog's refusals. */
export const SETTINGS_KNOWN = [
  ...SETTINGS_REFUSALS,
  ['Pack Has Replies', 'server.admin.set.hasReplies', null],
  ['Unknown Pack', 'server.admin.set.unknownPack', null],
];
