// The experiment page's consent screen: for a start without a participant
// link, the matched pack's consent (start answer `consent_version`) is asked
// after the start and before the first trial. The text is read from the
// pack's public view; agreeing records {at, version} of the text shown.

import { t } from './i18n.js';
import { getPackView } from './api.js';
import { renderConsent, consentStamp } from './consent.js';
import { packNameOf } from './recruitment.js';

const $ = (id) => document.getElementById(id);

/**
 * hooks: active() (the screen is the current phase), show() (make it so),
 * agreed(consent) (null when the pack no longer has a consent text), declined().
 */
export function createConsentScreen(hooks) {
  let pack = null; // the view whose text is on screen
  let status = null; // {key, detail} while loading or after a failure
  let session = null;

  function drawStatus() {
    $('consent-status').hidden = !status;
    $('consent-status').textContent = status ? `${t(status.key)} ${status.detail}`.trim() : '';
  }

  function showParts(ids) {
    for (const id of ['consent-text', 'consent-agree', 'consent-decline', 'consent-retry']) {
      $(id).hidden = !ids.includes(id);
    }
  }

  async function ask(s) {
    session = s;
    pack = null;
    hooks.show();
    status = { key: 'pl.consent.loading', detail: '' };
    drawStatus();
    showParts([]);
    let view;
    try {
      view = await getPackView(s.pack_name || packNameOf(s.pack_path));
    } catch (err) {
      status = { key: 'pl.consent.loadFailed', detail: err?.kind === 'rejected' ? err.message : '' };
      drawStatus();
      showParts(['consent-retry']);
      return;
    }
    if (!view.consent) {
      hooks.agreed(null);
      return;
    }
    pack = view;
    $('consent-text').replaceChildren(...renderConsent(view.consent));
    status = null;
    drawStatus();
    showParts(['consent-text', 'consent-agree', 'consent-decline']);
    $('consent-text').scrollTop = 0;
  }

  $('consent-retry').addEventListener('click', () => ask(session));
  $('consent-agree').addEventListener('click', (event) => {
    event.currentTarget.blur();
    if (hooks.active() && pack) hooks.agreed(consentStamp(pack.consent_version));
  });
  $('consent-decline').addEventListener('click', () => {
    if (hooks.active()) hooks.declined();
  });

  return { ask, redraw: drawStatus };
}
