// The instruction screens before the first trial (or before the next trial
// after a resume), one step per space-bar press.

import { t, formatNumber } from './i18n.js';

const STEPS = {
  welcome: { title: 'instr.welcome.title', paras: ['instr.welcome.p1', 'instr.welcome.p2'] },
  resume: { title: 'instr.resume.title', paras: ['instr.resume.p1', 'instr.resume.p2'] },
  keys: { title: 'instr.keys.title', paras: ['instr.keys.p1', 'instr.keys.p2'], keys: true },
  speed: { title: 'instr.speed.title', paras: ['instr.speed.p1', 'instr.speed.p2'] },
  ready: { title: 'instr.ready.title', paras: ['instr.ready.p1', 'instr.ready.p2'] },
  // A pack that lets participants tap the faces (PackSettings.md).
  touch: { title: 'pl.instr.touch.title', paras: ['pl.instr.touch.p1', 'pl.instr.touch.p2'], keys: true },
};

/**
 * The step names: a full introduction, or a short reminder when resuming;
 * with `touch` the answering step says to tap the faces (or use F and J).
 */
export function instructionSteps(resuming, { touch = false } = {}) {
  const steps = resuming ? ['resume', 'keys', 'ready'] : ['welcome', 'keys', 'speed', 'ready'];
  return touch ? steps.map((s) => (s === 'keys' ? 'touch' : s)) : steps;
}

/**
 * The numbers the texts mention. The duration is an upper bound: every
 * remaining trial running to its time limit, plus the blank and the fixation.
 */
export function instructionParams({
  total, done, timeLimit, trialOverheadMs, question = '', touch = false, tap = false,
}) {
  const remaining = total - done;
  const minutes = Math.max(1, Math.ceil((remaining * (timeLimit + trialOverheadMs / 1000)) / 60));
  return {
    total: formatNumber(total),
    done: formatNumber(done),
    next: formatNumber(done + 1),
    remaining: formatNumber(remaining),
    seconds: formatNumber(timeLimit),
    secondCount: timeLimit,
    minutes: formatNumber(minutes),
    minuteCount: minutes,
    question, // the pack's own question in the page's language, '' for the default text
    touch,
    tap, // a touch pack on a device without keys
  };
}

/** Draws step `index` of `steps` into the instruction screen's elements. */
export function renderInstructions(el, steps, index, params) {
  const step = STEPS[steps[index]];
  const last = index === steps.length - 1;
  el.step.textContent = t('instr.stepOf', { n: index + 1, total: steps.length });
  el.title.textContent = t(step.title, params);
  el.body.replaceChildren(...step.paras.map((key) => {
    const p = document.createElement('p');
    // The pack's question replaces the default one, as its text (never markup).
    p.textContent = key === 'instr.welcome.p2' && params.question ? params.question : t(key, params);
    return p;
  }));
  el.keys.hidden = !step.keys;
  // A touch pack: on a phone (params.tap) only the button is there to press.
  el.prompt.textContent = params.tap ? t('pl.instr.tapButton')
    : params.touch ? t('pl.instr.pressOrTap')
      : t(last ? 'instr.pressToStart' : 'instr.pressToContinue');
  el.next.textContent = t(last ? 'instr.start' : 'instr.next');
}
