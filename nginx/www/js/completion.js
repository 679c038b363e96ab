// The done page's last step for a recruitment platform (PackSettings.md):
// only once the submit has answered 200 does the page ask the server where
// the participant goes next — back to the platform (the pack's completion URL,
// the IDs filled in), a completion code to copy, or nowhere (the usual thanks).
// A platform thus hears of a participant only once the reply is durable.

import { getCompletion } from './api.js';
import { delay } from './trial.js';

const ATTEMPTS = 3;
const REDIRECT_MS = 2000; // long enough to read "saved", short enough not to wait for

const $ = (id) => document.getElementById(id);

/** What the done screen shows: pending | url | code | none | failed. */
function draw(kind, completion = {}) {
  document.body.dataset.completion = kind;
  $('done-checking').hidden = kind !== 'pending';
  $('done-redirect').hidden = kind !== 'url';
  $('done-code-box').hidden = kind !== 'code';
  $('done-failed').hidden = kind !== 'failed';
  $('done-end').hidden = kind === 'url' || kind === 'pending';
  if (kind === 'url') $('done-link').href = completion.url;
  if (kind === 'code') $('done-code').textContent = completion.code;
}

/**
 * Asks for the completion of `submissionId` (a few tries on a network or
 * server error) and shows it; a 400 (unknown to the server, or a server
 * without completions) is the usual thanks. Resolves with what was shown.
 */
export async function showCompletion(submissionId) {
  draw('pending');
  let completion = null;
  for (let attempt = 1; attempt <= ATTEMPTS && completion === null; attempt += 1) {
    try {
      completion = await getCompletion(submissionId);
    } catch (err) {
      if (err?.kind === 'rejected' || (err?.kind === 'http' && err.status === 404)) completion = {};
      else if (attempt < ATTEMPTS) await delay(1000 * attempt);
    }
  }
  if (completion === null) {
    draw('failed');
    return { kind: 'failed' };
  }
  if (completion.url) {
    draw('url', completion);
    setTimeout(() => window.location.assign(completion.url), REDIRECT_MS);
    return { kind: 'url', url: completion.url };
  }
  if (completion.code) {
    draw('code', completion);
    return { kind: 'code', code: completion.code };
  }
  draw('none');
  return { kind: 'none' };
}

/** Wires "Try again" of a failed fetch to another round. */
export function onCompletionRetry(run) {
  $('done-retry').addEventListener('click', run);
}
