// The withdrawal dialog, opened from a pack's row: asks for a participant
// number (every pack) or a reply ID, shows what would be deleted — how many
// replies, from which packs — and deletes only when that is confirmed. The
// deletion sends the count it showed (`expect`): if replies came or went in
// between, the server deletes nothing and says so.
//
// #withdraw-dialog[data-step]: ask | checking | confirm

import { t, formatNumber } from './i18n.js';
import { previewWithdrawal, withdrawReplies } from './api.js';
import { showError, PACK_ACTION_KNOWN } from './messages.js';

const $ = (id) => document.getElementById(id);

function replies(count) {
  return t('admin.replies', { count, n: formatNumber(count) });
}

/**
 * Wires the dialog; `onDone(sentence)` after a deletion, `onRefused(error)`
 * when the deletion itself was refused. Returns {open(pack), redraw()}.
 */
export function initWithdraw({ onDone, onRefused }) {
  const dialog = $('withdraw-dialog');
  const state = { pack: null, fields: null, found: null };

  function draw() {
    if (!state.pack) return;
    const byReply = $('withdraw-kind').value === 'r_id';
    const confirming = dialog.dataset.step === 'confirm';
    $('withdraw-title').textContent = t(confirming ? 'admin.withdraw.confirmTitle' : 'admin.withdraw.title');
    $('withdraw-intro').textContent = t('admin.withdraw.intro', { name: state.pack.pack_name, id: state.pack.p_id });
    $('withdraw-value-label').textContent = t(byReply ? 'admin.withdraw.valueReply' : 'admin.withdraw.valueNo');
    $('withdraw-value').inputMode = byReply ? 'numeric' : 'text';
    const found = state.found;
    if (!found) return;
    $('withdraw-text').textContent = t('admin.withdraw.text', { replies: replies(found.count) });
    $('withdraw-packs').replaceChildren(...found.packs.map((part) => {
      const item = document.createElement('li');
      item.textContent = t('admin.withdraw.part', { replies: replies(part.count), name: part.pack_name, id: part.p_id });
      return item;
    }));
    // A reply ID typed from the wrong download: say so before it is deleted.
    const elsewhere = 'r_id' in state.fields && !found.packs.some((part) => part.p_id === state.pack.p_id);
    $('withdraw-other').textContent = t('admin.withdraw.otherPack', { name: state.pack.pack_name });
    $('withdraw-other').hidden = !elsewhere;
    $('withdraw-confirm').textContent = t('admin.withdraw.confirm', { count: found.count, n: formatNumber(found.count) });
  }

  function step(name) {
    dialog.dataset.step = name;
    draw();
  }

  function refuse(err) {
    showError($('withdraw-error'), err, PACK_ACTION_KNOWN);
  }

  /** Ask step → what would be deleted (the server counts it; nothing is deleted yet). */
  async function find(event) {
    event.preventDefault();
    if (dialog.dataset.step !== 'ask') return;
    $('withdraw-error').hidden = true;
    const value = $('withdraw-value').value.trim();
    if (!value) {
      refuse({ kind: 'rejected', message: t('admin.withdraw.empty') });
      $('withdraw-value').focus();
      return;
    }
    state.fields = { [$('withdraw-kind').value]: value };
    step('checking');
    try {
      state.found = await previewWithdrawal(state.fields);
      step('confirm');
      $('withdraw-cancel').focus();
    } catch (err) {
      step('ask');
      refuse(err);
    }
  }

  async function confirm() {
    const fields = { ...state.fields, expect: String(state.found?.count ?? 0) };
    dialog.close();
    try {
      await onDone(await withdrawReplies(fields));
    } catch (err) {
      await onRefused(err);
    }
  }

  $('withdraw-form').addEventListener('submit', find);
  $('withdraw-kind').addEventListener('change', () => {
    $('withdraw-error').hidden = true;
    draw();
  });
  $('withdraw-cancel').addEventListener('click', () => dialog.close());
  $('withdraw-back').addEventListener('click', () => {
    state.found = null;
    step('ask');
    $('withdraw-value').focus();
  });
  $('withdraw-confirm').addEventListener('click', confirm);
  dialog.addEventListener('close', () => {
    // The number typed is personal data: not kept once the dialog is closed.
    $('withdraw-value').value = '';
    state.fields = null;
    state.found = null;
  });

  return {
    open(pack) {
      state.pack = pack;
      state.found = null;
      $('withdraw-kind').value = 'no';
      $('withdraw-error').hidden = true;
      step('ask');
      dialog.showModal();
      $('withdraw-value').focus();
    },
    redraw: draw,
  };
}
