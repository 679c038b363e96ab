// The consent text's Markdown subset (PackSettings.md), drawn with elements
// and text nodes only — never innerHTML — so whatever a researcher types
// (or pastes) stays text: blank line = paragraph, "# " and "## " headings,
// "- " list items, **bold**, *italic*. Any other character is shown as typed.

const INLINE = /\*\*(.+?)\*\*|\*([^*\s](?:[^*]*[^*\s])?)\*/g;

/** Text with **bold** and *italic* as nodes (bold may hold italic). */
function inline(text) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) nodes.push(document.createTextNode(text.slice(last, match.index)));
    const el = document.createElement(match[1] !== undefined ? 'strong' : 'em');
    el.append(...(match[1] !== undefined ? inline(match[1]) : [document.createTextNode(match[2])]));
    nodes.push(el);
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

/**
 * The consent as a DocumentFragment. `headingLevel`: the element of "# "
 * (h3 by default, inside a page whose own headings are h1 and h2); "## " is the next one.
 */
export function renderConsent(text, { headingLevel = 3 } = {}) {
  const fragment = document.createDocumentFragment();
  const blocks = String(text ?? '').replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/);
  for (const block of blocks) {
    let paragraph = null;
    let list = null;
    for (const raw of block.split('\n')) {
      const line = raw.replace(/\s+$/, '');
      if (!line.trim()) continue;
      const heading = /^(#{1,2}) (.*)$/.exec(line);
      const item = /^- (.*)$/.exec(line);
      if (heading) {
        const h = document.createElement(`h${Math.min(headingLevel + heading[1].length - 1, 6)}`);
        h.append(...inline(heading[2].trim()));
        fragment.append(h);
        paragraph = null;
        list = null;
      } else if (item) {
        if (!list) {
          list = document.createElement('ul');
          fragment.append(list);
        }
        const li = document.createElement('li');
        li.append(...inline(item[1]));
        list.append(li);
        paragraph = null;
      } else {
        if (paragraph) {
          paragraph.append(document.createElement('br'));
        } else {
          paragraph = document.createElement('p');
          fragment.append(paragraph);
        }
        paragraph.append(...inline(line));
        list = null;
      }
    }
  }
  return fragment;
}
