// The short beep after each trial, synthesised with Web Audio (no sound file).
// Browsers start an AudioContext only after a user gesture, so the page calls
// unlockAudio() from its key handlers; a browser without sound just stays
// silent and the experiment goes on.

let context = null;

/** Creates or resumes the audio context; call it from a key or click handler. */
export function unlockAudio() {
  try {
    if (!context) {
      const AudioContextClass = window.AudioContext ?? window.webkitAudioContext;
      if (!AudioContextClass) return;
      context = new AudioContextClass();
    }
    if (context.state === 'suspended') context.resume().catch(() => {});
  } catch {
    context = null;
  }
}

/**
 * A soft sine beep of about 90 ms: higher after an answer, lower after a
 * timeout. The gain ramps in and out so the tone does not click.
 */
export function beep(kind = 'answer') {
  if (!context || context.state !== 'running') return;
  try {
    const t0 = context.currentTime;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = kind === 'timeout' ? 440 : 880;
    gain.gain.setValueAtTime(0, t0);
    gain.gain.linearRampToValueAtTime(0.18, t0 + 0.008);
    gain.gain.setValueAtTime(0.18, t0 + 0.07);
    gain.gain.linearRampToValueAtTime(0, t0 + 0.09);
    oscillator.connect(gain);
    gain.connect(context.destination);
    oscillator.addEventListener('ended', () => {
      oscillator.disconnect();
      gain.disconnect();
    });
    oscillator.start(t0);
    oscillator.stop(t0 + 0.1);
  } catch {
    // No sound this time; never let it stop the experiment.
  }
}
