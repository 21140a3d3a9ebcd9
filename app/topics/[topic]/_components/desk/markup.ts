// The desk toolbar's text edits (SPEC §9): pure functions from a textarea's text and selection to
// the new text and the selection to restore, so the editor keeps typing where they were.

/** A textarea's text and selection after an edit. */
export type TextEdit = { text: string; selectionStart: number; selectionEnd: number };

type Apply = (text: string, selectionStart: number, selectionEnd: number) => TextEdit;

/**
 * Wraps the selection in `before` and `after` (Bold: `**` and `**`). The selection stays on the
 * wrapped text; with nothing selected the caret lands between the two.
 */
export function insertAround(
  text: string,
  selectionStart: number,
  selectionEnd: number,
  before: string,
  after: string,
): TextEdit {
  const selected = text.slice(selectionStart, selectionEnd);
  const start = selectionStart + before.length;
  return {
    text: text.slice(0, selectionStart) + before + selected + after + text.slice(selectionEnd),
    selectionStart: start,
    selectionEnd: start + selected.length,
  };
}

/**
 * Starts every line the selection touches with `prefix` (List: `- `, Quote: `> `), or takes it
 * away when all of them have it already. The selection covers the lines afterwards.
 */
export function prefixLines(
  text: string,
  selectionStart: number,
  selectionEnd: number,
  prefix: string,
): TextEdit {
  const from = text.lastIndexOf('\n', selectionStart - 1) + 1;
  // A selection that ends just after a line break does not take in the line after it.
  const newline = text.indexOf('\n', selectionEnd > selectionStart ? selectionEnd - 1 : selectionEnd);
  const to = newline === -1 ? text.length : newline;
  const lines = text.slice(from, to).split('\n');
  const filled = lines.filter((l) => l.trim() !== '');
  const remove = filled.length > 0 && filled.every((l) => l.startsWith(prefix));
  const changed = lines
    .map((l) => {
      if (remove) return l.startsWith(prefix) ? l.slice(prefix.length) : l;
      return l.trim() !== '' || lines.length === 1 ? prefix + l : l;
    })
    .join('\n');
  const next = text.slice(0, from) + changed + text.slice(to);
  if (selectionStart === selectionEnd) {
    // A caret stays where it was in its line.
    const caret = Math.max(from, selectionStart + changed.length - (to - from));
    return { text: next, selectionStart: caret, selectionEnd: caret };
  }
  return { text: next, selectionStart: from, selectionEnd: from + changed.length };
}

/**
 * Puts a block (a component, a photo) on lines of its own, a blank line before and after it, in
 * place of the selection: `open` + the selected text (or `placeholder`) + `close`. The selection
 * lands on that inner text, so typing replaces the placeholder.
 */
export function insertBlock(
  text: string,
  selectionStart: number,
  selectionEnd: number,
  open: string,
  placeholder = '',
  close = '',
): TextEdit {
  const head = text.slice(0, selectionStart);
  const tail = text.slice(selectionEnd);
  const inner = text.slice(selectionStart, selectionEnd) || placeholder;
  const before = head === '' || head.endsWith('\n\n') ? '' : head.endsWith('\n') ? '\n' : '\n\n';
  const after = tail === '' ? '\n' : tail.startsWith('\n\n') ? '' : tail.startsWith('\n') ? '\n' : '\n\n';
  const start = head.length + before.length + open.length;
  return {
    text: head + before + open + inner + close + after + tail,
    selectionStart: start,
    selectionEnd: start + inner.length,
  };
}

/** A quoted MDX attribute value: content MDX decodes character references, and `"` would end it. */
const attribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/\s+/g, ' ').trim();

/** The `<Figure>` for an uploaded photo (the src that lib/media/upload-image.ts answers) and its alt text. */
export const figureTag = (src: string, alt: string) =>
  `<Figure src="${attribute(src)}" alt="${attribute(alt)}" />`;

/** Inserts a finished block (figureTag's) at the caret, leaving the caret after it. */
export const insertAtCaret =
  (block: string): Apply =>
  (text, _start, end) => {
    const edit = insertBlock(text, end, end, block);
    return { ...edit, selectionStart: edit.selectionEnd, selectionEnd: edit.selectionEnd };
  };

const URL_PLACEHOLDER = 'https://';

/** The toolbar's buttons, in order: each button's accessible name and what it does to the text. */
export const FORMATS: { name: string; apply: Apply }[] = [
  { name: 'Bold', apply: (t, s, e) => insertAround(t, s, e, '**', '**') },
  {
    name: 'Link',
    // Selected text becomes the link's text and the address is selected next; otherwise the caret
    // waits for the link's text.
    apply: (t, s, e) => {
      const edit = insertAround(t, s, e, '[', `](${URL_PLACEHOLDER})`);
      if (s === e) return edit;
      const url = edit.selectionEnd + 2;
      return { ...edit, selectionStart: url, selectionEnd: url + URL_PLACEHOLDER.length };
    },
  },
  { name: 'List', apply: (t, s, e) => prefixLines(t, s, e, '- ') },
  { name: 'Quote', apply: (t, s, e) => prefixLines(t, s, e, '> ') },
  // The caret goes into src="": the address of a photo under /media/ or public/.
  {
    name: 'Figure',
    apply: (t, _s, e) => insertBlock(t, e, e, '<Figure src="', '', '" alt="" caption="" />'),
  },
  {
    name: 'Pull quote',
    apply: (t, s, e) => insertBlock(t, s, e, '<PullQuote by="">\n', '…', '\n</PullQuote>'),
  },
  { name: 'Callout', apply: (t, s, e) => insertBlock(t, s, e, '<Callout>\n', '…', '\n</Callout>') },
];
