// What a chosen folder holds and whether it can be a pack, worked out in the
// page before anything is sent. The server does the real checks; the page
// only refuses what it can already tell is wrong.

// The server counts a file when its name ends in NNNNN_ori / NNNNN_inv and an image extension.
const IMAGE_NAME = /(\d{5})_(ori|inv)\.(jpe?g|png)$/i;
// rcicr's base face, sent with the pairs: the classification images are drawn over it.
const BASE_NAME = /^base\.(jpe?g|png)$/i;

/**
 * What the chosen folder holds: the image files to send (hidden files such as
 * macOS "._" copies are left out), a base face, other files, and whether the
 * pairs look complete.
 */
export function analyse(fileList) {
  const images = [];
  const bases = [];
  const pairs = new Map();
  let skipped = 0;
  for (const file of fileList) {
    if (BASE_NAME.test(file.name)) {
      bases.push(file);
      continue;
    }
    const match = IMAGE_NAME.exec(file.name);
    if (!match || file.name.startsWith('.')) {
      skipped += 1;
      continue;
    }
    images.push(file);
    const entry = pairs.get(match[1]) ?? { ori: 0, inv: 0 };
    entry[match[2].toLowerCase()] += 1;
    pairs.set(match[1], entry);
  }
  const numbers = [...pairs.keys()].sort();
  const odd = numbers.filter((n) => pairs.get(n).ori !== 1 || pairs.get(n).inv !== 1);
  const gaps = numbers.some((n, i) => Number(n) !== i + 1);
  const first = fileList[0];
  const folder = first?.webkitRelativePath ? first.webkitRelativePath.split('/')[0] : '';
  return {
    total: fileList.length,
    images,
    bases,
    skipped,
    pairs: numbers.length - odd.length,
    odd,
    gaps,
    bytes: [...images, ...bases].reduce((sum, f) => sum + f.size, 0),
    folder,
  };
}

/**
 * Whether the chosen folder can be a pack: complete pairs numbered 1…N with N
 * the server's pack size. What the page can already tell is refused here,
 * before hundreds of megabytes are sent only to be refused.
 */
export function folderError(f, packSize) {
  if (!f || f.images.length === 0) return 'admin.err.noFiles';
  if (f.odd.length || f.gaps) return 'admin.err.pairs';
  if (packSize && f.pairs !== packSize) return 'admin.err.pairCount';
  return null;
}
