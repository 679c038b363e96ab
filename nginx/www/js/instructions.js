// The instruction screens before the first trial (or before the next trial
// after a resume), one step per space-bar press.

import { t, formatNumber } from './i18n.js';

const STEPS = {
  welcome: { title: 'instr.welcome.title', paras: ['instr.welcome.p1', 'instr.welcome.p2'] },
  resume: { title: 'instr.resume.title', paras: ['instr.resume.p1', 'instr.resume.p2'] },
  keys: { title: 'instr.keys.title', paras: ['instr.keys.p1', 'instr.keys.p2'], keys: true },
  speed: { title: 'instr.speed.title', paras: ['instr.speed.p1', 'instr.speed.p2'] },
  ready: { title: 'instr.ready.title', paras: ['instr.ready.p1', 'instr.ready.p2'] },
};

/** The step names: a full introduction, or a short reminder when resuming. */
export function instructionSteps(resuming) {
  return resuming ? ['resume', 'keys', 'ready'] : ['welcome', 'keys', 'speed', 'ready'];
}

/**
 * The numbers the texts mention. The duration is an upper bound: every
 * remaining trial running to its time limit, plus the blank and the fixation.
 */
export function instructionParams({ total, done, timeLimit, trialOverheadMs }) {
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
    p.textContent = t(key, params);
    return p;
  }));
  el.keys.hidden = !step.keys;
  el.prompt.textContent = t(last ? 'instr.pressToStart' : 'instr.pressToContinue');
  el.next.textContent = t(last ? 'instr.start' : 'instr.next');
}
