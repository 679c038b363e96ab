// The settings dialog of a pack (POST /api/admin/settings). The consent text
// and the completion can change at any time; the task — details asked,
// question, time limit, touch — only until the first reply (answers already
// stored were given under it), so those fields are disabled, with the reason,
// once the pack has replies. Only changed fields are sent: a field left out
// is unchanged on the server.
//
// #settings-dialog[data-frozen]: true | false

import { t, formatNumber } from './i18n.js';
import { updateSettings } from './api.js';
import { showError, SETTINGS_KNOWN } from './messages.js';
import {
  readSettings, fillSettings, checkSettings, renderSettingsErrors, drawSettingsExtras,
  setTaskDisabled, wireValue, TASK_FIELDS,
} from './admin-settings-form.js';

const $ = (id) => document.getElementById(id);
const PREFIX = 'e';

/**
 * Wires the dialog; `onDone(sentence)` after the server took the change.
 * Returns {open(pack), redraw()}.
 */
export function initSettingsDialog({ onDone }) {
  const dialog = $('settings-dialog');
  const form = $('settings-form');
  const state = { pack: null, before: null, errors: {}, saving: false, refusal: null };

  const frozen = () => (Number(state.pack?.count) || 0) > 0;

  function draw() {
    const pack = state.pack;
    if (!pack) return;
    $('settings-title').textContent = t('admin.edit.title', { name: pack.pack_name });
    $('settings-intro').textContent = t('admin.edit.intro', { name: pack.pack_name, id: pack.p_id });
    const count = Number(pack.count) || 0;
    $('settings-frozen').textContent = t('admin.edit.frozen', {
      replies: t('admin.replies', { count, n: formatNumber(count) }),
    });
    $('settings-frozen').hidden = !frozen();
    renderSettingsErrors(form, PREFIX, state.errors);
    drawSettingsExtras(form, PREFIX);
    // Described at draw time, so a language switch redraws it.
    $('settings-error').hidden = !state.refusal;
    if (state.refusal) showError($('settings-error'), state.refusal, SETTINGS_KNOWN);
  }

  /** Fields whose value differs from the pack's, as the wire wants them. */
  function changes(values) {
    const fields = {};
    for (const field of Object.keys(values)) {
      if (frozen() && TASK_FIELDS.includes(field)) continue;
      const now = wireValue(field, values);
      if (now !== wireValue(field, state.before)) fields[field] = now;
    }
    return fields;
  }

  async function save(event) {
    event.preventDefault();
    if (state.saving || !state.pack) return;
    state.refusal = null;
    $('settings-error').hidden = true;
    const values = readSettings(form);
    state.errors = checkSettings(values);
    // A frozen field is not sent, so it cannot be wrong.
    if (frozen()) for (const field of TASK_FIELDS) delete state.errors[field];
    renderSettingsErrors(form, PREFIX, state.errors);
    if (Object.keys(state.errors).length) {
      form.querySelector('[aria-invalid="true"]')?.focus();
      return;
    }
    const fields = changes(values);
    if (!Object.keys(fields).length) {
      dialog.close();
      return;
    }
    state.saving = true;
    $('settings-save').disabled = true;
    try {
      const message = await updateSettings({ id: String(state.pack.p_id), ...fields });
      dialog.close();
      await onDone(message);
    } catch (err) {
      state.refusal = err;
      draw();
      $('settings-error').scrollIntoView({ block: 'center' });
    } finally {
      state.saving = false;
      $('settings-save').disabled = false;
    }
  }

  form.addEventListener('submit', save);
  form.addEventListener('input', (event) => {
    const field = event.target.name;
    if (state.errors[field]) {
      delete state.errors[field];
      renderSettingsErrors(form, PREFIX, state.errors);
    }
    drawSettingsExtras(form, PREFIX);
  });
  $('settings-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    state.pack = null;
  });

  return {
    open(pack) {
      state.pack = pack;
      state.errors = {};
      state.refusal = null;
      fillSettings(form, pack.settings ?? {});
      state.before = readSettings(form);
      setTaskDisabled(form, frozen());
      dialog.dataset.frozen = String(frozen());
      draw();
      dialog.showModal();
      // The top stays in view: the reason the task fields are disabled is said there.
      (frozen() ? form.elements.consent : form.querySelector('input[name="ask"]')).focus({ preventScroll: true });
      dialog.scrollTop = 0;
    },
    redraw: draw,
  };
}
