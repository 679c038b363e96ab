// Korean and English text for every page, and the language switch.
//
// The language comes from an earlier choice on this browser (localStorage) or
// else from navigator.languages; pages mark static text with data-i18n
// attributes and call t() for text they build themselves. The text itself is
// the STRINGS table at the end of this file.

import { PARTICIPANT_STRINGS } from './i18n-participant.js';

export const LANGS = Object.freeze(['ko', 'en']);
const CHOICE_KEY = 'psyx.lang';

let current = detectLanguage();
const listeners = new Set();

/** The language to start with: an explicit earlier choice, else the browser's. */
function detectLanguage() {
  try {
    const saved = window.localStorage.getItem(CHOICE_KEY);
    if (LANGS.includes(saved)) return saved;
  } catch {
    // Storage blocked: fall back to the browser's language.
  }
  const prefs = (navigator.languages && navigator.languages.length)
    ? navigator.languages
    : [navigator.language || 'en'];
  for (const pref of prefs) {
    const base = String(pref).toLowerCase().split('-')[0];
    if (LANGS.includes(base)) return base;
  }
  return 'en';
}

export function currentLang() {
  return current;
}

/**
 * The text for `key` in the current language, with {name} placeholders
 * filled from `params`. An entry may be a function of params (plurals).
 */
export function t(key, params = {}) {
  const entry = entryOf(current, key) ?? entryOf('en', key);
  if (entry === undefined) return key;
  const text = typeof entry === 'function' ? entry(params) : entry;
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole);
}

/** True when the current language has its own text for `key`. */
export function hasText(key) {
  return Object.prototype.hasOwnProperty.call(STRINGS[current] ?? {}, key)
    || Object.prototype.hasOwnProperty.call(PARTICIPANT_STRINGS[current] ?? {}, key);
}

/** The entry for `key` in `lang`: the table below, or the participant pages' own (i18n-participant.js). */
function entryOf(lang, key) {
  return STRINGS[lang]?.[key] ?? PARTICIPANT_STRINGS[lang]?.[key];
}

const ATTRIBUTE_BINDINGS = [
  ['data-i18n-placeholder', 'placeholder'],
  ['data-i18n-title', 'title'],
  ['data-i18n-aria-label', 'aria-label'],
];

/** Fills every element marked with data-i18n* under `root` in the current language. */
export function applyTranslations(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.getAttribute('data-i18n'));
  }
  for (const [marker, attribute] of ATTRIBUTE_BINDINGS) {
    for (const el of root.querySelectorAll(`[${marker}]`)) {
      el.setAttribute(attribute, t(el.getAttribute(marker)));
    }
  }
  for (const button of document.querySelectorAll('.lang-switch [data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === current));
  }
}

/** Switches the language, remembers the choice and re-renders the page. */
export function setLang(lang) {
  if (!LANGS.includes(lang) || lang === current) return;
  current = lang;
  try {
    window.localStorage.setItem(CHOICE_KEY, lang);
  } catch {
    // Not remembered; the page still switches.
  }
  applyTranslations();
  for (const fn of listeners) fn(lang);
}

/** Calls `fn(lang)` after every language change (for text built in code). */
export function onLangChange(fn) {
  listeners.add(fn);
}

/**
 * Wires the `.lang-switch` buttons of the page and translates it once.
 * `afterSwitch` runs after a click (the experiment page uses it to take the
 * focus off the button, so the space bar cannot press it again).
 */
export function initI18n({ afterSwitch } = {}) {
  for (const button of document.querySelectorAll('.lang-switch [data-lang]')) {
    button.addEventListener('click', () => {
      setLang(button.dataset.lang);
      if (afterSwitch) afterSwitch(button);
    });
  }
  applyTranslations();
}

/** Formats an integer for the current language (thousands separators). */
export function formatNumber(n) {
  return new Intl.NumberFormat(current === 'ko' ? 'ko-KR' : 'en-US').format(n);
}

/** Formats an ISO date-time for the current language, or returns it as is. */
export function formatDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso ?? '');
  return new Intl.DateTimeFormat(current === 'ko' ? 'ko-KR' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

// ---- The text. English is the fallback for a key missing in Korean. ----

const STRINGS = {
  en: {
    'lang.label': 'Language',
    'common.loading': 'Loading…',
    'common.cancel': 'Cancel',
    'sex.1': 'Male',
    'sex.2': 'Female',

    // Start page
    'start.pageTitle': 'Psyx — Face experiment',
    'start.title': 'Face experiment',
    'start.lead': 'You will see pairs of faces and choose, each time, the face that looks more like you.',
    'start.storageBlocked': 'This browser does not let the page keep your progress (site data is blocked). Please allow site data for this site, or use another browser.',
    'start.deviceTitle': 'This experiment needs a computer with a keyboard',
    'start.deviceText': 'You answer each pair of faces with the F and J keys within a few seconds, which a phone or tablet cannot do. Please open this page on a desktop or laptop computer. Nothing has been stored.',
    'resume.title': 'You have an unfinished experiment',
    'resume.text': '{name}, you started on {date} and answered {done} of {total} pairs. You can continue where you stopped.',
    'resume.textUnsent': '{name}, you answered all {total} pairs, but your answers have not reached the server yet.',
    'resume.continue': 'Continue the experiment',
    'resume.send': 'Send my answers',
    'resume.discard': 'Discard it and start over',
    'resume.discardConfirm': 'The answers given so far will be deleted from this browser and cannot be recovered.',
    'resume.discardYes': 'Delete them and start over',
    'form.title': 'Your details',
    'form.intro': 'All fields are required. They are used to choose the right set of faces for you and to record your reply.',
    'form.name': 'Name',
    'form.age': 'Age',
    'form.sex': 'Sex',
    'form.no': 'Student / ID number',
    'form.noHint': 'Letters and digits, as given by the researcher.',
    'form.phone': 'Phone number',
    'form.phonePlaceholder': '010-1234-5678',
    'form.email': 'Email address',
    'form.emailPlaceholder': 'name@example.com',
    'form.next': 'Next',
    'form.err.required': 'Please fill in this field.',
    'form.err.sex': 'Please choose one.',
    'form.err.age': 'Please enter your age in whole years (0–120).',
    'form.err.phone': 'Please enter a phone number (digits, with - or spaces if you like).',
    'form.err.email': 'Please enter an email address such as name@example.com.',
    'form.err.no': 'Please enter the number without spaces.',
    'form.serverRefused': 'The server did not accept these details. Please correct the marked field.',
    'confirm.title': 'Please check your details',
    'confirm.keyboard': 'You need a computer with a keyboard: you will answer with the F and J keys.',
    'confirm.quiet': 'Find a quiet place where you will not be interrupted. Turn the sound on: a short beep follows each answer.',
    'confirm.edit': 'Edit',
    'confirm.start': 'Start the experiment',
    'confirm.starting': 'Starting…',

    // Messages from the server, in words for the participant
    'server.invalidName': 'Please enter your name in letters (at least two characters).',
    'server.invalidEmail': 'Please check your email address.',
    'server.invalidSex': 'Please choose your sex.',
    'server.invalidAge': 'Please check your age.',
    'server.invalidNo': 'Please check your student / ID number (letters and digits only).',
    'server.invalidPhone': 'Please check your phone number.',
    'server.invalidInput': 'The details could not be read. Please check the form and try again.',
    'server.noPack': 'There is no experiment for your sex and age at the moment. Thank you for your interest.',
    'server.already': 'You have already taken part in this experiment. Thank you!',
    'error.rejected': 'The server did not accept the request.',
    'error.network': 'The server could not be reached. Please check your connection.',
    'error.server': 'The server had a problem (HTTP {status}). Please try again in a moment.',
    'error.protocol': 'The server sent an answer this page does not understand.',
    'error.forbidden': 'Not allowed: please sign in again (reload the page).',
    'error.tooLarge': 'The upload is larger than the server accepts.',

    // Experiment page
    'exp.pageTitle': 'Psyx — Experiment',
    'exp.progressLabel': 'Progress',
    'exp.storageWarning': 'Progress cannot be saved in this browser: please keep this page open until the end.',
    'exp.waitingImages': 'Loading images…',
    'instr.stepOf': '{n} / {total}',
    'instr.welcome.title': 'Welcome',
    'instr.welcome.p1': 'You will see {total} pairs of faces, one pair at a time.',
    'instr.welcome.p2': 'For each pair, choose the face that looks more like you.',
    'instr.resume.title': 'Welcome back',
    'instr.resume.p1': 'You have answered {done} of {total} pairs.',
    'instr.resume.p2': 'You will continue with pair {next}.',
    'instr.keys.title': 'How to answer',
    'instr.keys.p1': 'Press F for the face on the left, J for the face on the right.',
    'instr.keys.p2': 'Keep your index fingers resting on F and J all the time.',
    'instr.leftFace': 'left face',
    'instr.rightFace': 'right face',
    'instr.speed.title': 'Go with your first impression',
    'instr.speed.p1': (p) => `You have ${p.secondCount === 1 ? '1 second' : `${p.seconds} seconds`} for each pair. `
      + 'If you do not answer in time, the next pair comes on its own.',
    'instr.speed.p2': 'There are no right or wrong answers. A short beep follows each answer.',
    'instr.ready.title': 'Ready?',
    'instr.ready.p1': 'Each pair starts with a + in the middle of the screen: look at it.',
    'instr.ready.p2': (p) => `This takes at most about ${p.minuteCount === 1 ? 'a minute' : `${p.minutes} minutes`}. `
      + 'Your progress is kept in this browser as you go.',
    'instr.spaceKey': 'Space',
    'instr.pressToContinue': 'Press the space bar to continue',
    'instr.pressToStart': 'Press the space bar to start',
    'instr.next': 'Next',
    'instr.start': 'Start',
    'exp.submit.title': 'Saving your answers…',
    'exp.submit.sending': 'Sending your answers to the server (attempt {attempt}).',
    'exp.submit.retrying': 'Attempt {attempt} did not reach the server. Trying again in {seconds} s.',
    'exp.submit.keepOpen': 'Please keep this page open until it says your answers are saved. Your answers are kept in this browser meanwhile.',
    'exp.submit.tryNow': 'Try again now',
    'exp.done.title': 'Thank you!',
    'exp.done.saved': 'Your answers have been saved.',
    'exp.done.close': 'You may now close this window.',
    'exp.done.home': 'Start page',
    'exp.error.home': 'Back to the start page',
    'exp.error.tryAgain': 'Try again',
    'exp.error.noSessionTitle': 'No experiment in progress',
    'exp.error.noSession': 'There is no experiment in progress in this browser. Please begin on the start page.',
    'exp.error.imagesTitle': 'The images could not be loaded',
    'exp.error.images': 'The image {name} could not be loaded. Please check your connection and try again; your answers so far are kept.',
    'exp.error.unexpectedTitle': 'Something went wrong',
    'exp.error.unexpected': 'The experiment stopped unexpectedly ({name}). Your answers so far are kept; please try again.',
    'exp.error.notSavedTitle': 'Your answers were NOT saved',
    'exp.error.keptLocally': 'Your answers are still kept in this browser. If the problem cannot be solved, please contact the researcher.',
    'exp.error.submitAgain': 'Send again',
    'exp.error.otherWindowTitle': 'The experiment is open in another window',
    'exp.error.otherWindow': 'The experiment was continued in another window or tab of this browser, so this one has stopped. Your answers so far are kept.',
    'exp.error.continueHere': 'Continue in this window',

    // Admin page
    'admin.pageTitle': 'Psyx — Admin',
    'admin.brand': 'admin',
    'admin.packs': 'Packs',
    'admin.refresh': 'Refresh',
    'admin.col.id': 'ID',
    'admin.col.name': 'Pack',
    'admin.col.sex': 'Sex',
    'admin.col.ages': 'Ages',
    'admin.col.date': 'Created',
    'admin.col.count': 'Replies',
    'admin.col.download': 'Download replies',
    'admin.col.actions': 'Actions',
    'admin.empty': 'No packs yet. Upload one below.',
    'admin.summary': (p) => `${p.packCount === 1 ? '1 pack' : `${p.packs} packs`}, `
      + `${p.replyCount === 1 ? '1 reply' : `${p.replies} replies`} in all.`,
    'admin.replies': (p) => (p.count === 1 ? '1 reply' : `${p.n} replies`),
    'admin.downloadLabel': 'Download the replies of {name} as {format}',
    'admin.rcicrHint': 'Answered trials only (participant, stimulus, response), for rcicr’s batchGenerateCI2IFC with by = "participant"',
    'admin.psychdsHint': 'A Psych-DS dataset (zip): dataset_description.json describing every column, and the CSV in data/',
    'admin.delete.button': 'Delete',
    'admin.delete.buttonLabel': 'Delete pack {name}',
    'admin.delete.title': 'Delete this pack?',
    'admin.delete.text': 'Pack “{name}” (ID {id}) and its {replies} will be deleted, with its images.',
    'admin.delete.hintReplies': 'This cannot be undone. Download the replies first if you still need them.',
    'admin.delete.hintEmpty': 'This cannot be undone.',
    'admin.delete.confirm': 'Delete {name}',
    'admin.delete.done': 'Pack {id} deleted.',
    'admin.delete.gone': 'Pack {id} no longer exists.',
    'admin.col.state': 'State',
    'admin.state.open': 'Open',
    'admin.state.closed': 'Closed',
    'admin.state.openHint': 'New participants are matched to this pack.',
    'admin.state.closedHint': 'No new participant is matched to this pack; those who already started it can still finish.',
    'admin.close.button': 'Close',
    'admin.close.buttonLabel': 'Close pack {name} to new participants',
    'admin.open.button': 'Open',
    'admin.open.buttonLabel': 'Open pack {name} to new participants',
    'admin.withdraw.button': 'Withdraw…',
    'admin.withdraw.buttonLabel': 'Withdraw replies, starting from pack {name}',
    'admin.withdraw.title': 'Withdraw replies',
    'admin.withdraw.intro': 'When a participant withdraws: delete every reply of their participant number, in every pack, or one reply by its ID (the r_id of the downloads). Opened from pack “{name}” (ID {id}).',
    'admin.withdraw.by': 'Find by',
    'admin.withdraw.byNo': 'Participant number (every pack)',
    'admin.withdraw.byReply': 'Reply ID (r_id)',
    'admin.withdraw.valueNo': 'Participant number',
    'admin.withdraw.valueReply': 'Reply ID',
    'admin.withdraw.find': 'Find replies',
    'admin.withdraw.empty': 'Enter a participant number or a reply ID.',
    'admin.withdraw.confirmTitle': 'Delete these replies?',
    'admin.withdraw.text': '{replies} will be deleted:',
    'admin.withdraw.part': '{replies} of pack “{name}” (ID {id})',
    'admin.withdraw.otherPack': 'This reply is not in pack “{name}”, where you opened this dialog.',
    'admin.withdraw.hint': 'This cannot be undone. The reply counts, downloads and classification images change at once. Download the replies first if you must keep a copy.',
    'admin.withdraw.back': 'Back',
    'admin.withdraw.confirm': (p) => (p.count === 1 ? 'Delete 1 reply' : `Delete ${p.n} replies`),
    'server.admin.reopenOverlap': 'Another open pack, {first}, is for the same sex and an overlapping age range. Close it first, then open this one.',
    'server.admin.noReply': 'No reply matches. Check the participant number or the reply ID.',
    'server.admin.invalidReplyID': 'A reply ID is a whole number: the r_id column of the downloads.',
    'server.admin.invalidNo': 'A participant number is letters and digits, fewer than 20.',
    'server.admin.repliesChanged': 'The matching replies changed since you looked ({n} match now). Nothing was deleted; please look again.',
    'admin.upload.title': 'New pack',
    'admin.upload.intro': 'Choose a folder of face images named …_00001_ori.jpg, …_00001_inv.jpg and so on: one ori and one inv image per pair, numbered from 00001. Add rcicr’s base face as base.png or base.jpg (optional): the classification images are drawn over it.',
    'admin.upload.name': 'Pack name',
    'admin.upload.nameHint': 'Lower-case letters, digits and _; starts with a letter; at most 15 characters.',
    'admin.upload.sex': 'Participants’ sex',
    'admin.upload.choose': 'Choose…',
    'admin.upload.ageMin': 'Age from',
    'admin.upload.ageMax': 'Age to',
    'admin.upload.folder': 'Image folder',
    'admin.upload.noFolder': 'No folder chosen yet.',
    'admin.upload.summary': (p) => (p.count === 1 ? '{files} file' : '{files} files')
      + ': {pairs} complete pairs ({images} images, {size}).',
    'admin.upload.needs': 'A pack needs {pairs} complete pairs ({images} images), numbered from 00001.',
    'admin.upload.base': 'The base face {list} goes with them: classification images are drawn over it.',
    'admin.upload.skipped': (p) => (p.count === 1 ? '1 other file' : '{n} other files') + ' will be left out.',
    'admin.upload.oddPairs': 'Pairs without exactly one ori and one inv image: {list}.',
    'admin.upload.gaps': 'The pair numbers do not run from 00001 without gaps.',
    'admin.upload.start': 'Upload pack',
    'admin.upload.cancel': 'Cancel upload',
    'admin.upload.progressLabel': 'Upload progress',
    'admin.upload.sending': 'Uploading: {loaded} of {total}.',
    'admin.upload.processing': 'Upload complete. The server is checking the images…',
    'admin.upload.finished': 'Upload complete.',
    'admin.upload.added': 'Pack added.',
    'admin.upload.cancelled': 'Upload cancelled. Nothing was added.',
    'admin.err.name': 'Use lower-case letters, digits and _, starting with a letter, at most 15 characters.',
    'admin.err.sex': 'Choose the participants’ sex.',
    'admin.err.ages': 'Enter whole ages from 0 to 120, the first not above the second.',
    'admin.err.noFiles': 'Choose a folder that holds the pack’s images.',
    'admin.err.pairs': 'Every pair needs exactly one ori and one inv image, numbered from 00001 without gaps (see above). This folder cannot be uploaded as it is.',
    'admin.err.pairCount': 'A pack needs {pairs} complete pairs ({images} images); this folder has a different number (see above). It cannot be uploaded as it is.',
    'server.admin.nothing': 'No image was uploaded.',
    'server.admin.name': 'The pack name is not valid: lower-case letters, digits and _, starting with a letter, at most 15 characters.',
    'server.admin.ages': 'The age range is not valid: whole ages from 0 to 120, the first not above the second.',
    'server.admin.sex': 'Choose the participants’ sex.',
    'server.admin.existed': 'A pack with this name exists already. Choose another name.',
    'server.admin.folderSize': 'The folder does not hold the {n} complete pairs a pack needs.',
    'server.admin.image': 'This file is not a JPEG or PNG image: {detail}',
    'server.admin.overlap': 'Another pack, {first}, is for the same sex and an overlapping age range. Choose ages that do not overlap it.',
    'server.admin.malformed': 'The upload arrived incomplete. Please try again.',
    'server.admin.unknownPack': 'This pack does not exist (any more). Refresh the list.',
  },

  ko: {
    'lang.label': '언어',
    'common.loading': '불러오는 중…',
    'common.cancel': '취소',
    'sex.1': '남성',
    'sex.2': '여성',

    'start.pageTitle': 'Psyx — 얼굴 실험',
    'start.title': '얼굴 실험',
    'start.lead': '두 얼굴이 한 쌍씩 나타납니다. 매번 자신과 더 닮았다고 생각되는 얼굴을 고르시면 됩니다.',
    'start.storageBlocked': '이 브라우저에서는 진행 상황을 저장할 수 없습니다(사이트 데이터 차단). 이 사이트의 데이터 저장을 허용하시거나 다른 브라우저를 사용해 주세요.',
    'start.deviceTitle': '이 실험은 키보드가 있는 컴퓨터가 필요합니다',
    'start.deviceText': '얼굴 쌍마다 몇 초 안에 F 키와 J 키로 답해야 하므로 휴대폰이나 태블릿으로는 참여할 수 없습니다. 데스크톱이나 노트북 컴퓨터에서 이 페이지를 열어 주세요. 아무것도 저장되지 않았습니다.',
    'resume.title': '마치지 않은 실험이 있습니다',
    'resume.text': '{name}님, {date}에 시작하여 {total}쌍 중 {done}쌍에 응답하셨습니다. 멈춘 곳부터 이어서 하실 수 있습니다.',
    'resume.textUnsent': '{name}님, {total}쌍 모두 응답하셨지만 아직 서버에 전송되지 않았습니다.',
    'resume.continue': '실험 이어서 하기',
    'resume.send': '응답 전송하기',
    'resume.discard': '지우고 처음부터 하기',
    'resume.discardConfirm': '지금까지의 응답이 이 브라우저에서 삭제되며 되돌릴 수 없습니다.',
    'resume.discardYes': '삭제하고 처음부터 하기',
    'form.title': '참가자 정보',
    'form.intro': '모든 항목을 입력해 주세요. 알맞은 얼굴 자료를 고르고 응답을 기록하는 데 사용됩니다.',
    'form.name': '이름',
    'form.age': '나이',
    'form.sex': '성별',
    'form.no': '학번 / 참가자 번호',
    'form.noHint': '연구자가 안내한 대로 영문자와 숫자로 입력해 주세요.',
    'form.phone': '전화번호',
    'form.phonePlaceholder': '010-1234-5678',
    'form.email': '이메일 주소',
    'form.emailPlaceholder': 'name@example.com',
    'form.next': '다음',
    'form.err.required': '이 항목을 입력해 주세요.',
    'form.err.sex': '하나를 선택해 주세요.',
    'form.err.age': '나이를 숫자(0–120)로 입력해 주세요.',
    'form.err.phone': '전화번호를 입력해 주세요(숫자, - 또는 띄어쓰기 사용 가능).',
    'form.err.email': 'name@example.com 과 같은 형식의 이메일 주소를 입력해 주세요.',
    'form.err.no': '띄어쓰기 없이 입력해 주세요.',
    'form.serverRefused': '서버가 입력하신 정보를 받아들이지 않았습니다. 표시된 항목을 고쳐 주세요.',
    'confirm.title': '입력하신 정보를 확인해 주세요',
    'confirm.keyboard': '키보드가 있는 컴퓨터가 필요합니다. F 키와 J 키로 응답합니다.',
    'confirm.quiet': '방해받지 않는 조용한 곳에서 참여해 주세요. 응답할 때마다 짧은 소리가 나니 소리를 켜 두세요.',
    'confirm.edit': '수정',
    'confirm.start': '실험 시작',
    'confirm.starting': '시작하는 중…',

    'server.invalidName': '이름을 글자로 입력해 주세요(두 글자 이상).',
    'server.invalidEmail': '이메일 주소를 확인해 주세요.',
    'server.invalidSex': '성별을 선택해 주세요.',
    'server.invalidAge': '나이를 확인해 주세요.',
    'server.invalidNo': '학번 / 참가자 번호를 확인해 주세요(영문자와 숫자만).',
    'server.invalidPhone': '전화번호를 확인해 주세요.',
    'server.invalidInput': '입력 내용을 읽을 수 없습니다. 양식을 확인하고 다시 시도해 주세요.',
    'server.noPack': '현재 참가자님의 성별과 나이에 맞는 실험이 없습니다. 관심 가져 주셔서 감사합니다.',
    'server.already': '이미 이 실험에 참여하셨습니다. 감사합니다!',
    'error.rejected': '서버가 요청을 받아들이지 않았습니다.',
    'error.network': '서버에 연결할 수 없습니다. 인터넷 연결을 확인해 주세요.',
    'error.server': '서버에 문제가 생겼습니다(HTTP {status}). 잠시 후 다시 시도해 주세요.',
    'error.protocol': '서버의 응답을 이해할 수 없습니다.',
    'error.forbidden': '권한이 없습니다. 페이지를 새로 고쳐 다시 로그인해 주세요.',
    'error.tooLarge': '업로드 크기가 서버가 허용하는 한도를 넘었습니다.',

    'exp.pageTitle': 'Psyx — 실험',
    'exp.progressLabel': '진행 상황',
    'exp.storageWarning': '이 브라우저에서는 진행 상황을 저장할 수 없습니다. 끝날 때까지 이 페이지를 닫지 마세요.',
    'exp.waitingImages': '이미지를 불러오는 중…',
    'instr.stepOf': '{n} / {total}',
    'instr.welcome.title': '환영합니다',
    'instr.welcome.p1': '얼굴 {total}쌍이 한 쌍씩 차례로 나타납니다.',
    'instr.welcome.p2': '각 쌍에서 자신과 더 닮았다고 생각되는 얼굴을 골라 주세요.',
    'instr.resume.title': '다시 오신 것을 환영합니다',
    'instr.resume.p1': '{total}쌍 중 {done}쌍에 응답하셨습니다.',
    'instr.resume.p2': '{next}번째 쌍부터 이어서 진행합니다.',
    'instr.keys.title': '응답 방법',
    'instr.keys.p1': '왼쪽 얼굴은 F 키, 오른쪽 얼굴은 J 키를 누르세요.',
    'instr.keys.p2': '실험하는 동안 양손 검지를 F 키와 J 키 위에 올려 두세요.',
    'instr.leftFace': '왼쪽 얼굴',
    'instr.rightFace': '오른쪽 얼굴',
    'instr.speed.title': '첫인상대로 고르세요',
    'instr.speed.p1': '한 쌍마다 {seconds}초가 주어집니다. 시간 안에 응답하지 않으면 다음 쌍으로 자동으로 넘어갑니다.',
    'instr.speed.p2': '정답은 없습니다. 응답할 때마다 짧은 소리가 납니다.',
    'instr.ready.title': '준비되셨나요?',
    'instr.ready.p1': '각 쌍이 나오기 전에 화면 가운데에 + 표시가 나타납니다. + 표시를 바라봐 주세요.',
    'instr.ready.p2': '최대 약 {minutes}분이 걸립니다. 진행 상황은 이 브라우저에 계속 저장됩니다.',
    'instr.spaceKey': 'Space',
    'instr.pressToContinue': '스페이스 바를 눌러 계속하세요',
    'instr.pressToStart': '스페이스 바를 누르면 시작합니다',
    'instr.next': '다음',
    'instr.start': '시작',
    'exp.submit.title': '응답을 저장하는 중…',
    'exp.submit.sending': '응답을 서버로 보내고 있습니다({attempt}번째 시도).',
    'exp.submit.retrying': '{attempt}번째 시도가 서버에 닿지 않았습니다. {seconds}초 뒤에 다시 시도합니다.',
    'exp.submit.keepOpen': '저장되었다는 안내가 나올 때까지 이 페이지를 닫지 마세요. 그동안 응답은 이 브라우저에 보관됩니다.',
    'exp.submit.tryNow': '지금 다시 시도',
    'exp.done.title': '감사합니다!',
    'exp.done.saved': '응답이 저장되었습니다.',
    'exp.done.close': '이제 이 창을 닫으셔도 됩니다.',
    'exp.done.home': '처음 화면',
    'exp.error.home': '처음 화면으로',
    'exp.error.tryAgain': '다시 시도',
    'exp.error.noSessionTitle': '진행 중인 실험이 없습니다',
    'exp.error.noSession': '이 브라우저에는 진행 중인 실험이 없습니다. 처음 화면에서 시작해 주세요.',
    'exp.error.imagesTitle': '이미지를 불러올 수 없습니다',
    'exp.error.images': '이미지 {name}을(를) 불러올 수 없습니다. 인터넷 연결을 확인하고 다시 시도해 주세요. 지금까지의 응답은 보관되어 있습니다.',
    'exp.error.unexpectedTitle': '문제가 발생했습니다',
    'exp.error.unexpected': '실험이 예기치 않게 멈췄습니다({name}). 지금까지의 응답은 보관되어 있으니 다시 시도해 주세요.',
    'exp.error.notSavedTitle': '응답이 저장되지 않았습니다',
    'exp.error.keptLocally': '응답은 아직 이 브라우저에 보관되어 있습니다. 문제가 해결되지 않으면 연구자에게 문의해 주세요.',
    'exp.error.submitAgain': '다시 보내기',
    'exp.error.otherWindowTitle': '다른 창에서 실험이 열려 있습니다',
    'exp.error.otherWindow': '이 브라우저의 다른 창이나 탭에서 실험이 이어졌기 때문에 이 창은 멈췄습니다. 지금까지의 응답은 보관되어 있습니다.',
    'exp.error.continueHere': '이 창에서 계속하기',

    'admin.pageTitle': 'Psyx — 관리',
    'admin.brand': '관리',
    'admin.packs': '팩 목록',
    'admin.refresh': '새로 고침',
    'admin.col.id': 'ID',
    'admin.col.name': '팩',
    'admin.col.sex': '성별',
    'admin.col.ages': '나이',
    'admin.col.date': '만든 날짜',
    'admin.col.count': '응답 수',
    'admin.col.download': '응답 내려받기',
    'admin.col.actions': '작업',
    'admin.empty': '아직 팩이 없습니다. 아래에서 올려 주세요.',
    'admin.summary': '팩 {packs}개, 응답 모두 {replies}개.',
    'admin.replies': (p) => `응답 ${p.n}개`,
    'admin.downloadLabel': '{name}의 응답을 {format}(으)로 내려받기',
    'admin.rcicrHint': '응답한 시행만(participant, stimulus, response): rcicr의 batchGenerateCI2IFC에 by = "participant"로 넣습니다',
    'admin.psychdsHint': 'Psych-DS 데이터셋(zip): 모든 열을 설명하는 dataset_description.json과 data/ 안의 CSV',
    'admin.delete.button': '삭제',
    'admin.delete.buttonLabel': '{name} 팩 삭제',
    'admin.delete.title': '이 팩을 삭제할까요?',
    'admin.delete.text': '“{name}” 팩(ID {id})과 {replies}, 이미지가 모두 삭제됩니다.',
    'admin.delete.hintReplies': '되돌릴 수 없습니다. 응답이 필요하면 먼저 내려받으세요.',
    'admin.delete.hintEmpty': '되돌릴 수 없습니다.',
    'admin.delete.confirm': '{name} 삭제',
    'admin.delete.done': '{id}번 팩을 삭제했습니다.',
    'admin.delete.gone': '{id}번 팩은 이미 없습니다.',
    'admin.col.state': '상태',
    'admin.state.open': '열림',
    'admin.state.closed': '닫힘',
    'admin.state.openHint': '새 참가자가 이 팩에 배정됩니다.',
    'admin.state.closedHint': '새 참가자는 이 팩에 배정되지 않습니다. 이미 시작한 참가자는 끝까지 할 수 있습니다.',
    'admin.close.button': '닫기',
    'admin.close.buttonLabel': '{name} 팩을 새 참가자에게 닫기',
    'admin.open.button': '열기',
    'admin.open.buttonLabel': '{name} 팩을 새 참가자에게 열기',
    'admin.withdraw.button': '응답 철회…',
    'admin.withdraw.buttonLabel': '{name} 팩에서 응답 철회',
    'admin.withdraw.title': '응답 철회',
    'admin.withdraw.intro': '참가자가 참여를 철회하면: 그 참가자 번호의 응답을 모든 팩에서 삭제하거나, 응답 하나를 ID(내려받은 파일의 r_id)로 삭제합니다. “{name}” 팩(ID {id})에서 열었습니다.',
    'admin.withdraw.by': '찾는 기준',
    'admin.withdraw.byNo': '참가자 번호 (모든 팩)',
    'admin.withdraw.byReply': '응답 ID (r_id)',
    'admin.withdraw.valueNo': '참가자 번호',
    'admin.withdraw.valueReply': '응답 ID',
    'admin.withdraw.find': '응답 찾기',
    'admin.withdraw.empty': '참가자 번호나 응답 ID를 입력하세요.',
    'admin.withdraw.confirmTitle': '이 응답을 삭제할까요?',
    'admin.withdraw.text': '{replies}가 삭제됩니다:',
    'admin.withdraw.part': '“{name}” 팩(ID {id})의 {replies}',
    'admin.withdraw.otherPack': '이 응답은 이 창을 연 “{name}” 팩의 응답이 아닙니다.',
    'admin.withdraw.hint': '되돌릴 수 없습니다. 응답 수, 내려받기, 분류 이미지가 바로 바뀝니다. 사본이 필요하면 먼저 응답을 내려받으세요.',
    'admin.withdraw.back': '뒤로',
    'admin.withdraw.confirm': (p) => `응답 ${p.n}개 삭제`,
    'server.admin.reopenOverlap': '같은 성별에 나이 범위가 겹치는 열린 팩 {first}이(가) 있습니다. 그 팩을 먼저 닫은 뒤 이 팩을 여세요.',
    'server.admin.noReply': '맞는 응답이 없습니다. 참가자 번호나 응답 ID를 확인하세요.',
    'server.admin.invalidReplyID': '응답 ID는 정수입니다. 내려받은 파일의 r_id 열을 보세요.',
    'server.admin.invalidNo': '참가자 번호는 20자 미만의 영문자와 숫자입니다.',
    'server.admin.repliesChanged': '확인한 뒤에 해당 응답이 바뀌었습니다(지금 {n}개). 아무것도 삭제하지 않았습니다. 다시 확인해 주세요.',
    'admin.upload.title': '새 팩',
    'admin.upload.intro': '…_00001_ori.jpg, …_00001_inv.jpg 처럼 이름 붙은 얼굴 이미지 폴더를 고르세요. 쌍마다 ori 이미지 하나와 inv 이미지 하나가 있고, 번호는 00001부터 시작합니다. rcicr의 기준 얼굴을 base.png 또는 base.jpg로 넣을 수 있습니다(선택). 분류 이미지는 그 위에 그려집니다.',
    'admin.upload.name': '팩 이름',
    'admin.upload.nameHint': '영문 소문자, 숫자, _ 만 사용하고 영문자로 시작하며 15자 이하.',
    'admin.upload.sex': '참가자 성별',
    'admin.upload.choose': '선택…',
    'admin.upload.ageMin': '나이(부터)',
    'admin.upload.ageMax': '나이(까지)',
    'admin.upload.folder': '이미지 폴더',
    'admin.upload.noFolder': '아직 폴더를 고르지 않았습니다.',
    'admin.upload.summary': '파일 {files}개: 완전한 쌍 {pairs}개(이미지 {images}개, {size}).',
    'admin.upload.needs': '팩 하나에는 00001번부터 번호가 붙은 완전한 쌍 {pairs}개(이미지 {images}개)가 필요합니다.',
    'admin.upload.base': '기준 얼굴 {list}도 함께 올립니다. 분류 이미지는 이 얼굴 위에 그려집니다.',
    'admin.upload.skipped': '다른 파일 {n}개는 올리지 않습니다.',
    'admin.upload.oddPairs': 'ori와 inv 이미지가 하나씩 있지 않은 쌍: {list}.',
    'admin.upload.gaps': '쌍 번호가 00001부터 빠짐없이 이어지지 않습니다.',
    'admin.upload.start': '팩 올리기',
    'admin.upload.cancel': '업로드 취소',
    'admin.upload.progressLabel': '업로드 진행',
    'admin.upload.sending': '업로드 중: {total} 중 {loaded}.',
    'admin.upload.processing': '업로드를 마쳤습니다. 서버가 이미지를 확인하는 중…',
    'admin.upload.finished': '업로드를 마쳤습니다.',
    'admin.upload.added': '팩을 추가했습니다.',
    'admin.upload.cancelled': '업로드를 취소했습니다. 아무것도 추가되지 않았습니다.',
    'admin.err.name': '영문 소문자, 숫자, _ 만 사용하고 영문자로 시작하며 15자 이하로 입력하세요.',
    'admin.err.sex': '참가자 성별을 선택하세요.',
    'admin.err.ages': '0부터 120까지의 정수로, 앞의 나이가 뒤의 나이보다 크지 않게 입력하세요.',
    'admin.err.noFiles': '팩 이미지가 들어 있는 폴더를 고르세요.',
    'admin.err.pairs': '모든 쌍에 ori 이미지와 inv 이미지가 하나씩 있어야 하고, 번호가 00001부터 빠짐없이 이어져야 합니다(위 참고). 이 폴더는 그대로 올릴 수 없습니다.',
    'admin.err.pairCount': '팩 하나에는 완전한 쌍 {pairs}개(이미지 {images}개)가 필요한데, 이 폴더의 쌍 수는 다릅니다(위 참고). 그대로 올릴 수 없습니다.',
    'server.admin.nothing': '업로드된 이미지가 없습니다.',
    'server.admin.name': '팩 이름이 올바르지 않습니다. 영문 소문자, 숫자, _ 만 사용하고 영문자로 시작하며 15자 이하여야 합니다.',
    'server.admin.ages': '나이 범위가 올바르지 않습니다. 0부터 120까지의 정수로, 앞의 나이가 뒤의 나이보다 크지 않아야 합니다.',
    'server.admin.sex': '참가자 성별을 선택하세요.',
    'server.admin.existed': '같은 이름의 팩이 이미 있습니다. 다른 이름을 고르세요.',
    'server.admin.folderSize': '폴더에 팩에 필요한 완전한 쌍 {n}개가 없습니다.',
    'server.admin.image': '이 파일은 JPEG나 PNG 이미지가 아닙니다: {detail}',
    'server.admin.overlap': '같은 성별에 나이 범위가 겹치는 팩({first})이 이미 있습니다. 겹치지 않는 나이를 고르세요.',
    'server.admin.malformed': '업로드가 완전히 도착하지 않았습니다. 다시 시도해 주세요.',
    'server.admin.unknownPack': '이 팩은 (더 이상) 없습니다. 목록을 새로 고치세요.',
  },
};

// ---- admin: pack settings ----

/** Adds a page's own text ({en: {...}, ko: {...}}) to the table, before initI18n. */
export function addStrings(table) {
  for (const lang of LANGS) Object.assign(STRINGS[lang], table[lang] ?? {});
}
