// What kind of device the page runs on, for the device check (issue 21) and
// for the way a touch pack's screens speak to a phone.

/**
 * True for a device whose only pointer is a finger (a phone, a tablet without
 * mouse or trackpad): as a rule it has no keyboard either. A computer with a
 * touch screen also has a fine pointer and is not one.
 */
export function touchOnly() {
  const coarse = window.matchMedia('(any-pointer: coarse)').matches || navigator.maxTouchPoints > 0;
  return coarse && !window.matchMedia('(any-pointer: fine)').matches;
}
