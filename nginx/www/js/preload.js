// Loads and decodes the two images of a pair before they are needed, so both
// faces can be put on the screen in one frame. The experiment asks for the
// next pair while the current one is on screen.

/** Decodes one image; rejects with the file name when it cannot be shown. */
function loadImage(url, name) {
  const img = new Image();
  img.alt = '';
  img.draggable = false;
  img.decoding = 'async';
  img.src = url;
  // decode() resolves once the image is loaded and decoded, so inserting it
  // later costs no decoding in the frame that shows it.
  return img.decode().then(() => img, () => {
    throw new Error(name);
  });
}

export class PairLoader {
  /** `packPath` is the pack's folder URL ("/packs/female20s"), `pairs` [[left, right], ...]. */
  constructor(packPath, pairs) {
    this.packPath = packPath;
    this.pairs = pairs;
    this.pending = new Map(); // index → Promise<{left, right}>
  }

  url(name) {
    return `${this.packPath}/${encodeURIComponent(name)}`;
  }

  /** Both decoded images of pair `index` (left, right), loading them if needed. */
  get(index) {
    let promise = this.pending.get(index);
    if (!promise) {
      const [left, right] = this.pairs[index];
      promise = Promise.all([loadImage(this.url(left), left), loadImage(this.url(right), right)])
        .then(([l, r]) => ({ left: l, right: r }));
      // A failed load is forgotten so the next get() tries again.
      promise.catch(() => {
        if (this.pending.get(index) === promise) this.pending.delete(index);
      });
      this.pending.set(index, promise);
    }
    return promise;
  }

  /** Starts loading pair `index` in the background (no-op past the end). */
  prefetch(index) {
    if (index >= 0 && index < this.pairs.length) this.get(index).catch(() => {});
  }

  /** Drops a pair that was shown, so memory stays at a few images. */
  forget(index) {
    this.pending.delete(index);
  }
}
