// One trial's timing: show both faces in one frame, take the onset from that
// frame, then wait for F, J or the time limit.

import { experimentKey } from './keys.js';

/** Milliseconds → seconds with millisecond precision (what the API stores). */
export function toSeconds(ms) {
  return Math.round(ms) / 1000;
}

/** Resolves after `ms`, or rejects with an AbortError when `signal` aborts first. */
export function delay(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * When the key was pressed (or the face touched), on the performance.now() clock. Event.timeStamp
 * is on that clock in current browsers (it is taken when the OS delivered the
 * key, before any queueing in the page); very old ones used epoch
 * milliseconds, so a value that does not fit is replaced by now.
 */
function keyTime(event) {
  const now = performance.now();
  const stamp = event.timeStamp;
  if (Number.isFinite(stamp) && stamp > 0 && stamp <= now + 1 && stamp > now - 60000) return stamp;
  return now;
}

/**
 * Shows the pair and resolves with {key, rt, input}: key 'F' (left), 'J'
 * (right) or ' ' (no answer within the limit, rt = the limit); rt in seconds,
 * rounded to the millisecond; input 'touch' when the face was tapped, else
 * 'keys'.
 *
 * view.showFaces(left, right) must make both images visible in one DOM
 * change; view.hideFaces() removes them. hooks.onOnset(onset) is called once
 * the faces are on screen. With hooks.touch (a pack that allows it), a tap on
 * an element of view.faces marked data-side="F" or "J" chooses that face: its
 * pointerdown's timeStamp is on the same clock as the onset, as a key's is.
 * Rejects with signal.reason when `signal` aborts.
 */
export function presentPair(view, images, timeLimitSeconds, { signal, onOnset, touch = false } = {}) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const limitMs = timeLimitSeconds * 1000;
    let onset = null;
    let timer = null;
    let frame = null;
    let settled = false;

    function cleanup() {
      settled = true;
      if (frame !== null) cancelAnimationFrame(frame);
      clearTimeout(timer);
      window.removeEventListener('keydown', onKey, true);
      view.faces?.removeEventListener('pointerdown', onPointer);
      signal?.removeEventListener('abort', onAbort);
      view.hideFaces();
    }

    function finish(key, rtMs, input = 'keys') {
      if (settled) return;
      cleanup();
      resolve({ key, rt: toSeconds(rtMs), input: key === ' ' ? 'keys' : input });
    }

    function onAbort() {
      if (settled) return;
      cleanup();
      reject(signal.reason);
    }

    function onKey(event) {
      const key = experimentKey(event);
      if (key !== 'F' && key !== 'J') return; // other keys do nothing
      event.preventDefault();
      if (event.repeat || onset === null) return; // a held key is not a new answer
      const rtMs = keyTime(event) - onset;
      if (rtMs < 0) return; // pressed before the faces were on screen
      if (rtMs > limitMs) finish(' ', limitMs); // the limit had passed; its timer was late
      else finish(key, rtMs);
    }

    // A tap (or a click) on a face. Only the first, primary pointer counts.
    function onPointer(event) {
      const side = event.target?.closest?.('[data-side]')?.dataset.side;
      if (!event.isPrimary || event.button > 0 || (side !== 'F' && side !== 'J')) return;
      event.preventDefault(); // no emulated mouse events, no text selection
      if (onset === null) return;
      const rtMs = keyTime(event) - onset;
      if (rtMs < 0) return;
      if (rtMs > limitMs) finish(' ', limitMs);
      else finish(side, rtMs, 'touch');
    }

    signal?.addEventListener('abort', onAbort, { once: true });
    window.addEventListener('keydown', onKey, true);
    if (touch) view.faces?.addEventListener('pointerdown', onPointer);

    // Both images are already decoded; this one DOM change puts them on
    // screen together, in the next frame the browser renders.
    view.showFaces(images.left, images.right);

    // THE ONSET. requestAnimationFrame runs its callback just before the
    // browser renders the next frame, i.e. the first frame that contains the
    // faces (they became visible in the task above). performance.now() taken
    // inside that callback is the onset. The faces reach the glass at the
    // following display refresh, a constant lag under one frame (<= 16.7 ms
    // at 60 Hz) that is the same in every trial; it is not subtracted. We use
    // performance.now() rather than the callback's timestamp argument: that
    // one is the start of the frame's interval, which can be earlier than the
    // moment the faces were inserted.
    frame = requestAnimationFrame(() => {
      frame = null;
      if (settled) return;
      onset = performance.now();
      timer = setTimeout(() => finish(' ', limitMs), limitMs);
      onOnset?.(onset);
    });
  });
}
