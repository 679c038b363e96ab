// The experiment page: instructions, one trial per pair, then the submit.
//
// The session (participant, pairs in the server's order, answers so far,
// submission id) lives in localStorage and is written after every trial, so
// a reload or a closed tab resumes at the next unanswered pair. It is removed
// only once the server has answered 200 to the submit.
//
// A pack's settings (PackSettings.md) come with the session: its consent is
// asked before the first trial when the start page has not asked it yet, its
// question and time limit are in the instructions, a pack with `touch` lets the
// participant tap a face, and after the submit's 200 the done page sends a
// recruitment platform's participant on (completion.js).
//
// For browser tests, without changing behaviour:
//   body[data-phase]  loading | consent | declined | instructions | fixation | faces | submitting | done | error
//   body[data-trial]  0-based index of the current (or next) trial
//   window.psyxState  read-only snapshot {phase, trial, answered, total, onset,
//                     timeLimit, submitAttempts, storageOk, instructionStep,
//                     touch, touched, completion}

import { initI18n, onLangChange, t, formatNumber, currentLang } from './i18n.js';
import { submitReply } from './api.js';
import { describeError } from './messages.js';
import { loadSession, saveSession, clearSession, progressOf, SESSION_KEY } from './storage.js';
import { PairLoader } from './preload.js';
import { presentPair, delay } from './trial.js';
import { experimentKey } from './keys.js';
import { unlockAudio, beep } from './sound.js';
import { instructionSteps, instructionParams, renderInstructions } from './instructions.js';
import { createConsentScreen } from './experiment-consent.js';
import { touchOnly } from './device.js';
import { showCompletion, onCompletionRetry } from './completion.js';

const BLANK_MS = 250; // empty screen after an answer
const FIXATION_MS = 500; // the cross before each pair
const IMAGE_ATTEMPTS = 3; // tries to load a pair before asking the participant
const SLOW_NOTE_MS = 1500; // when "Loading images…" appears under the cross
const ANSWER_LAYOUT = 'key,rt,left,right'; // what each element of an answer is (sent with the submit)

const $ = (id) => document.getElementById(id);

const SCREEN_OF_PHASE = {
  loading: 'screen-loading',
  consent: 'screen-consent',
  declined: 'screen-declined',
  instructions: 'screen-instructions',
  fixation: 'screen-trial',
  faces: 'screen-trial',
  submitting: 'screen-submitting',
  done: 'screen-done',
  error: 'screen-error',
};
const TRIAL_PHASES = new Set(['fixation', 'faces']);

const state = {
  phase: 'loading',
  session: null,
  loader: null,
  index: 0, // current or next trial
  total: 0,
  onset: null, // performance.now() of the current faces' first frame
  steps: [],
  step: 0,
  running: false,
  storageOk: true,
  submitAttempts: 0,
  submitNote: null, // {attempt, delayMs, error} while waiting to retry
  serverText: '',
  failure: null, // what the error screen shows
  completion: null, // what the done page showed: {kind, url?, code?}
  submittedId: null, // the submission id of the reply the server confirmed
  stop: new AbortController(), // aborted when another window takes over
};

// ---- Test hook: a read-only snapshot, no setter ----
Object.defineProperty(window, 'psyxState', {
  enumerable: true,
  get() {
    return Object.freeze({
      phase: state.phase,
      trial: state.index,
      answered: state.session ? state.session.answers.length : 0,
      total: state.total,
      onset: state.onset,
      timeLimit: state.session ? state.session.time_limit : null,
      submitAttempts: state.submitAttempts,
      storageOk: state.storageOk,
      instructionStep: state.phase === 'instructions' ? state.step : null,
      touch: Boolean(state.session?.touch),
      touched: Boolean(state.session?.touched),
      completion: state.completion ? { ...state.completion } : null,
    });
  },
});

// ---- What is on screen ----

const stage = {
  fixation: $('fixation'),
  faces: $('faces'),
  left: $('slot-left'),
  right: $('slot-right'),
  wait: $('trial-wait'),
  blank() {
    this.fixation.hidden = true;
    this.faces.hidden = true;
    this.wait.hidden = true;
  },
  showFixation() {
    this.fixation.hidden = false;
  },
  // One DOM change: both faces appear in the same frame.
  showFaces(left, right) {
    this.left.replaceChildren(left);
    this.right.replaceChildren(right);
    this.fixation.hidden = true;
    this.wait.hidden = true;
    this.faces.hidden = false;
  },
  hideFaces() {
    this.faces.hidden = true;
    this.left.replaceChildren();
    this.right.replaceChildren();
  },
};

function setPhase(phase) {
  state.phase = phase;
  document.body.dataset.phase = phase;
  document.body.dataset.trial = String(state.index);
  const visible = SCREEN_OF_PHASE[phase];
  for (const id of new Set(Object.values(SCREEN_OF_PHASE))) $(id).hidden = id !== visible;
  $('progress-box').hidden = !(TRIAL_PHASES.has(phase) || phase === 'submitting');
  renderProgress();
}

function renderProgress() {
  const answered = state.session ? state.session.answers.length : 0;
  const shown = TRIAL_PHASES.has(state.phase) ? Math.min(state.index + 1, state.total) : answered;
  $('progress-text').textContent = `${formatNumber(shown)} / ${formatNumber(state.total)}`;
  $('progress-bar').max = Math.max(state.total, 1);
  $('progress-bar').value = answered;
}

// ---- Instructions ----

const instructionElements = {
  step: $('instr-step'),
  title: $('instr-title'),
  body: $('instr-body'),
  keys: $('instr-keys'),
  prompt: $('instr-prompt'),
  next: $('instr-next'),
};

function drawInstructions() {
  const params = instructionParams({
    total: state.total,
    done: state.session.answers.length,
    timeLimit: state.session.time_limit,
    trialOverheadMs: BLANK_MS + FIXATION_MS,
    question: state.session.question?.[currentLang()] ?? '',
    touch: state.session.touch === true,
    tap: document.body.classList.contains('tap'),
  });
  renderInstructions(instructionElements, state.steps, state.step, params);
}

function advanceInstructions() {
  if (state.phase !== 'instructions') return;
  unlockAudio();
  if (state.step + 1 < state.steps.length) {
    state.step += 1;
    drawInstructions();
  } else {
    runTrials();
  }
}

$('instr-next').addEventListener('click', (event) => {
  event.currentTarget.blur(); // the space bar must not press it a second time
  advanceInstructions();
});

window.addEventListener('keydown', (event) => {
  unlockAudio();
  if (experimentKey(event) !== 'space') return;
  if (state.phase !== 'instructions' && !TRIAL_PHASES.has(state.phase)) return;
  event.preventDefault(); // no scrolling, no pressing a focused button
  if (!event.repeat && state.phase === 'instructions') advanceInstructions();
});

// ---- Trials ----

function persist() {
  if (saveSession(state.session)) return;
  if (state.storageOk) {
    state.storageOk = false;
    $('storage-warning').hidden = false;
  }
}

/** Both images of pair `i`, trying again after 1 s and 2 s before giving up. */
async function loadPair(i, signal) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await state.loader.get(i);
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      if (attempt >= IMAGE_ATTEMPTS) throw Object.assign(new Error(err.message), { kind: 'images' });
      await delay(1000 * attempt, signal);
    }
  }
}

async function runTrials() {
  if (state.running || state.stop.signal.aborted) return;
  state.running = true;
  const signal = state.stop.signal;
  const { session, loader } = state;
  try {
    while (session.answers.length < state.total) {
      const i = session.answers.length;
      state.index = i;
      state.onset = null;
      stage.blank();
      setPhase('fixation');
      const ready = loadPair(i, signal);
      ready.catch(() => {}); // handled below; avoids an "unhandled" report while waiting
      loader.prefetch(i + 1);
      await delay(BLANK_MS, signal);
      stage.showFixation();
      await delay(FIXATION_MS, signal);
      const slow = setTimeout(() => { stage.wait.hidden = false; }, SLOW_NOTE_MS - FIXATION_MS);
      let images;
      try {
        images = await ready;
      } finally {
        clearTimeout(slow);
      }
      const result = await presentPair(stage, images, session.time_limit, {
        signal,
        onOnset(onset) {
          state.onset = onset;
          setPhase('faces');
        },
        touch: session.touch === true,
      });
      if (result.input === 'touch') session.touched = true;
      beep(result.key === ' ' ? 'timeout' : 'answer');
      const [left, right] = session.pic_pairs[i];
      session.answers.push([result.key, result.rt, left, right]);
      persist();
      loader.forget(i);
      state.onset = null;
      state.index = i + 1;
      renderProgress();
    }
  } catch (err) {
    state.running = false;
    stage.blank();
    if (signal.aborted) return;
    const images = err?.kind === 'images';
    showFailure({
      title: images ? 'exp.error.imagesTitle' : 'exp.error.unexpectedTitle',
      text: images ? 'exp.error.images' : 'exp.error.unexpected',
      params: { name: String(err?.message ?? '') },
      action: { label: 'exp.error.tryAgain', run: () => runTrials() },
    });
    return;
  }
  state.running = false;
  submit();
}

// ---- Submit ----

let wakeRetry = null;

/** Waits before the next attempt; "Try again now" or coming back online ends the wait early. */
function waitForRetry(ms) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener('online', done);
      wakeRetry = null;
      $('submit-now').hidden = true;
      resolve();
    };
    const timer = setTimeout(done, ms);
    window.addEventListener('online', done);
    wakeRetry = done;
    $('submit-now').hidden = false;
  });
}

$('submit-now').addEventListener('click', () => wakeRetry?.());

function renderSubmitting() {
  const note = state.submitNote;
  const detail = $('submit-detail');
  if (note) {
    $('submit-status').textContent = t('exp.submit.retrying', {
      attempt: formatNumber(note.attempt),
      seconds: formatNumber(Math.round(note.delayMs / 1000)),
    });
    // The status alone: the page is already retrying, so no advice to retry.
    const err = note.error;
    detail.textContent = err?.kind === 'http' ? `HTTP ${err.status}` : describeError(err).text;
    detail.hidden = false;
  } else {
    $('submit-status').textContent = t('exp.submit.sending', { attempt: formatNumber(state.submitAttempts) });
    detail.hidden = true;
  }
}

function warnBeforeLeaving(event) {
  event.preventDefault();
  event.returnValue = '';
}

async function submit() {
  const s = state.session;
  state.index = s.answers.length;
  state.submitNote = null;
  setPhase('submitting');
  renderSubmitting();
  window.addEventListener('beforeunload', warnBeforeLeaving);
  // Each answer is [key, rt, left, right] (pic_pairs[i][0] is shown on the left): `layout` says
  // so, since the original client's arrays put the left face last.
  const payload = {
    p_id: s.p_id, ...s.participant, answers: s.answers, layout: ANSWER_LAYOUT, submission_id: s.submission_id,
  };
  // The per-pack extras only when there are any: the original server's body is unchanged otherwise.
  if (s.recruitment && Object.keys(s.recruitment).length > 0) payload.recruitment = s.recruitment;
  if (s.consent) payload.consent = s.consent;
  if (s.touched) payload.input = 'touch';
  try {
    state.serverText = await submitReply(payload, {
      onAttempt() {
        state.submitAttempts += 1;
        state.submitNote = null;
        renderSubmitting();
      },
      onRetry(note) {
        state.submitNote = note;
        renderSubmitting();
      },
      wait: waitForRetry,
    });
  } catch (err) {
    // A 400: the server will never take this reply as it is. Keep it locally.
    window.removeEventListener('beforeunload', warnBeforeLeaving);
    showFailure({
      title: 'exp.error.notSavedTitle',
      err,
      note: 'exp.error.keptLocally',
      action: { label: 'exp.error.submitAgain', run: () => submit() },
    });
    return;
  }
  window.removeEventListener('beforeunload', warnBeforeLeaving);
  clearSession();
  $('done-detail').textContent = state.serverText;
  state.submittedId = s.submission_id;
  setPhase('done');
  finish();
}

/** The done page's completion: a redirect, a code or the usual thanks. */
async function finish() {
  state.completion = null;
  state.completion = await showCompletion(state.submittedId);
}

onCompletionRetry(() => finish());

// ---- Consent before the first trial (a start without a participant link) ----

const consentScreen = createConsentScreen({
  active: () => state.phase === 'consent',
  show: () => setPhase('consent'),
  agreed(consent) {
    if (consent) state.session.consent = consent;
    else state.session.consent_version = ''; // the text was removed since the start: nothing to agree to
    persist();
    beginInstructions();
  },
  declined() {
    // Declined: the session (details, pairs) leaves this browser; nothing was sent.
    $('declined-platform').hidden = !(state.session.recruitment && Object.keys(state.session.recruitment).length);
    clearSession();
    state.stop.abort(new DOMException('declined', 'AbortError'));
    setPhase('declined');
  },
});

// ---- Errors ----

function drawFailure() {
  const f = state.failure;
  if (!f) return;
  $('error-title').textContent = t(f.title);
  const described = f.err ? describeError(f.err) : null;
  $('error-text').textContent = f.text ? t(f.text, f.params ?? {}) : described.text;
  const detail = described && described.detail !== described.text ? described.detail : '';
  $('error-detail').textContent = detail;
  $('error-detail').hidden = !detail;
  $('error-note').textContent = f.note ? t(f.note) : '';
  $('error-note').hidden = !f.note;
  const button = $('error-action');
  button.hidden = !f.action;
  if (f.action) button.textContent = t(f.action.label);
}

function showFailure(failure) {
  state.failure = failure;
  drawFailure();
  setPhase('error');
}

$('error-action').addEventListener('click', () => {
  const action = state.failure?.action;
  if (action) action.run();
});

// Another window of this browser writing the same session means the
// participant opened the experiment twice: only one may go on, so this one
// stops (its answers so far are already stored).
window.addEventListener('storage', (event) => {
  if (event.key !== SESSION_KEY && event.key !== null) return;
  if (!['instructions', 'fixation', 'faces'].includes(state.phase)) return;
  if (state.stop.signal.aborted) return;
  state.stop.abort(new DOMException('another window', 'AbortError'));
  stage.blank();
  showFailure({
    title: 'exp.error.otherWindowTitle',
    text: 'exp.error.otherWindow',
    action: { label: 'exp.error.continueHere', run: () => window.location.reload() },
  });
});

// ---- Start ----

function init() {
  initI18n({ afterSwitch: (button) => button.blur() });
  const session = loadSession();
  if (!session) {
    showFailure({ title: 'exp.error.noSessionTitle', text: 'exp.error.noSession' });
    return;
  }
  state.session = session;
  state.total = session.pic_pairs.length;
  state.loader = new PairLoader(session.pack_path, session.pic_pairs);
  const { done, complete } = progressOf(session);
  state.index = done;
  if (complete) {
    submit(); // answered everything before; only the submit is left
    return;
  }
  state.loader.prefetch(done);
  state.loader.prefetch(done + 1);
  // A touch pack on a phone: no key caps or key hints where there are no keys.
  document.body.classList.toggle('tap', session.touch === true && touchOnly());
  if (session.consent_version && !session.consent) consentScreen.ask(session);
  else beginInstructions();
}

function beginInstructions() {
  state.steps = instructionSteps(state.session.answers.length > 0, { touch: state.session.touch === true });
  state.step = 0;
  drawInstructions();
  setPhase('instructions');
}

// Back/forward navigation may show this page from the back-forward cache as
// it was; the stored session may have moved on since, so read it again.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) window.location.reload();
});

onLangChange(() => {
  renderProgress();
  if (state.phase === 'instructions') drawInstructions();
  if (state.phase === 'submitting') renderSubmitting();
  if (state.phase === 'error') drawFailure();
  if (state.phase === 'consent') consentScreen.redraw();
});

init();
