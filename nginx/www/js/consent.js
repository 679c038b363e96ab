// A pack's consent text on the page, and the record of the participant's
// agreement. The text is the researcher's: it is drawn with text nodes only
// (never innerHTML), from plain text or a small Markdown subset:
//   a blank line separates paragraphs; a single newline is a line break;
//   "# " and "## " start headings; "- " starts a list item;
//   **bold** and *italic* inside a line.

/** Inline emphasis of one line as nodes: **bold**, *italic* (bold may hold italic). */
function inline(text, allowBold = true) {
  const nodes = [];
  const pattern = allowBold ? /\*\*(.+?)\*\*|\*([^*\s](?:[^*]*[^*\s])?)\*/g : /\*([^*\s](?:[^*]*[^*\s])?)\*/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) nodes.push(document.createTextNode(text.slice(last, match.index)));
    if (allowBold && match[1] !== undefined) {
      const strong = document.createElement('strong');
      strong.append(...inline(match[1], false));
      nodes.push(strong);
    } else {
      const em = document.createElement('em');
      em.textContent = allowBold ? match[2] : match[1];
      nodes.push(em);
    }
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

/** Lines of a paragraph, joined by line breaks. */
function lines(parts) {
  const nodes = [];
  parts.forEach((line, i) => {
    if (i > 0) nodes.push(document.createElement('br'));
    nodes.push(...inline(line));
  });
  return nodes;
}

/**
 * The consent text as an array of block elements (p, ul, and headings: "# " at
 * `headingLevel`, "## " one below; the admin page's preview sits deeper in its page).
 */
export function renderConsent(text, { headingLevel = 2 } = {}) {
  const blocks = [];
  let paragraph = [];
  let list = null;
  const endParagraph = () => {
    if (paragraph.length) {
      const p = document.createElement('p');
      p.append(...lines(paragraph));
      blocks.push(p);
    }
    paragraph = [];
  };
  const endList = () => {
    if (list) blocks.push(list);
    list = null;
  };
  for (const raw of String(text ?? '').replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.replace(/\s+$/, '');
    const heading = /^(#{1,2})\s+(.*)$/.exec(line);
    const item = /^\s*-\s+(.*)$/.exec(line);
    if (line.trim() === '') {
      endParagraph();
      endList();
    } else if (heading) {
      endParagraph();
      endList();
      const h = document.createElement(`h${headingLevel + heading[1].length - 1}`);
      h.append(...inline(heading[2]));
      blocks.push(h);
    } else if (item) {
      endParagraph();
      list ??= document.createElement('ul');
      const li = document.createElement('li');
      li.append(...inline(item[1]));
      list.append(li);
    } else {
      endList();
      paragraph.push(line.trim());
    }
  }
  endParagraph();
  endList();
  return blocks;
}

/**
 * The record of an agreement given now to the text of `version`: the time in
 * ISO-8601 UTC to the second (what the server reads), and the version shown.
 */
export function consentStamp(version, now = new Date()) {
  return { at: now.toISOString().replace(/\.\d{3}Z$/, 'Z'), version };
}

/** True for a stored consent record of the shape the server takes. */
export function isValidConsent(value) {
  return value !== null && typeof value === 'object'
    && typeof value.at === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(value.at)
    && typeof value.version === 'string' && /^[0-9a-f]{16}$/.test(value.version);
}
