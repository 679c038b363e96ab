// Which experiment key a keydown event is, whatever the keyboard layout or
// input method: event.code names the physical key, so F and J work with a
// Korean IME switched on (where event.key is 'ㄹ'/'ㅓ' or 'Process') and with
// Caps Lock. event.key is the fallback for browsers without event.code.

const BY_CODE = { KeyF: 'F', KeyJ: 'J', Space: 'space' };
const BY_KEY = { f: 'F', F: 'F', 'ㄹ': 'F', j: 'J', J: 'J', 'ㅓ': 'J', ' ': 'space', Spacebar: 'space' };

/**
 * 'F', 'J', 'space' or null for a keydown event. Shortcuts with Ctrl, Alt or
 * Meta (Ctrl+F is the browser's find) are never answers.
 */
export function experimentKey(event) {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  return BY_CODE[event.code] ?? BY_KEY[event.key] ?? null;
}
