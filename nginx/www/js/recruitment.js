// What a participant link says besides the page: the pack it names
// (`?pack=NAME`) and the recruitment platform's IDs (Prolific, SONA, MTurk or a
// generic `pid`), checked as the server checks them (PackSettings.md). The page
// keeps them with the session, so a reload or a resume sends the same IDs.

/** Every recruitment parameter the server takes, in the order the page sends them. */
export const RECRUITMENT_KEYS = Object.freeze([
  'PROLIFIC_PID', 'STUDY_ID', 'SESSION_ID', 'id', 'survey_code', 'workerId', 'assignmentId', 'hitId', 'pid',
]);

/** Which of them is the participant's own ID on the platform, first present wins. */
const PLATFORM_ID_KEYS = Object.freeze(['PROLIFIC_PID', 'workerId', 'survey_code', 'id', 'pid']);

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const PACK_NAME_PATTERN = /^[a-z][a-z0-9_]{0,14}$/;

/**
 * {packName, recruitment, bad} from a query string: `packName` null when the
 * link names none, `recruitment` the IDs present (an empty value counts as
 * absent), `bad` the first parameter whose value the server would refuse
 * (null when all are fine). Other parameters are ignored.
 */
export function readLink(search = window.location.search) {
  const query = new URLSearchParams(search);
  const recruitment = {};
  let bad = null;
  for (const key of RECRUITMENT_KEYS) {
    const value = query.get(key);
    if (value === null || value === '') continue;
    if (ID_PATTERN.test(value)) recruitment[key] = value;
    else bad ??= key;
  }
  const pack = query.get('pack');
  let packName = null;
  if (pack !== null && pack !== '') {
    if (PACK_NAME_PATTERN.test(pack)) packName = pack;
    else bad ??= 'pack';
  }
  return { packName, recruitment, bad };
}

/** The platform ID among `recruitment`, or null: when present it is the participant number. */
export function platformId(recruitment) {
  for (const key of PLATFORM_ID_KEYS) {
    if (recruitment && typeof recruitment[key] === 'string') return recruitment[key];
  }
  return null;
}

/** True for a stored recruitment object the server would take. */
export function isValidRecruitment(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.entries(value).every(([k, v]) => RECRUITMENT_KEYS.includes(k) && typeof v === 'string'
    && ID_PATTERN.test(v));
}

/** The pack's name from a start answer's pack_path ("/packs/men20s" → "men20s"). */
export function packNameOf(packPath) {
  const name = String(packPath ?? '').replace(/\/+$/, '').split('/').pop();
  return PACK_NAME_PATTERN.test(name) ? name : null;
}

/**
 * A fresh token that holds the participant number at start (issue 21): made
 * once per session, sent with every start of it, kept with the stored session.
 */
export function newHoldToken() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
