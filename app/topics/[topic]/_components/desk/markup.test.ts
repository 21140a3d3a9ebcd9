import { describe, expect, it } from 'vitest';
import { compileBody } from '@/lib/content/mdx';
import {
  figureTag,
  FORMATS,
  insertAround,
  insertAtCaret,
  insertBlock,
  prefixLines,
  type TextEdit,
} from './markup';

/** The edit as text with the selection marked: `[` and `]` around it, or `|` for a caret. */
function show({ text, selectionStart: s, selectionEnd: e }: TextEdit) {
  return s === e
    ? `${text.slice(0, s)}|${text.slice(s)}`
    : `${text.slice(0, s)}[${text.slice(s, e)}]${text.slice(e)}`;
}

const tool = (name: string) => FORMATS.find((f) => f.name === name)!.apply;

describe('insertAround', () => {
  it('wraps the selection and keeps it selected', () => {
    expect(show(insertAround('a bold move', 2, 6, '**', '**'))).toBe('a **[bold]** move');
  });

  it('puts the caret between the marks when nothing is selected', () => {
    expect(show(insertAround('ab', 1, 1, '**', '**'))).toBe('a**|**b');
    expect(show(insertAround('', 0, 0, '**', '**'))).toBe('**|**');
  });
});

describe('prefixLines', () => {
  it('prefixes the line of the caret and keeps the caret in place', () => {
    expect(show(prefixLines('one\ntwo\nthree', 5, 5, '- '))).toBe('one\n- t|wo\nthree');
  });

  it('prefixes every selected line that has text, and selects them', () => {
    expect(show(prefixLines('one\ntwo\n\nfour', 1, 11, '> '))).toBe('[> one\n> two\n\n> four]');
  });

  it('leaves out the line after a selection that ends at a line break', () => {
    expect(show(prefixLines('one\ntwo', 0, 4, '- '))).toBe('[- one]\ntwo');
  });

  it('takes the prefix away when every line has it', () => {
    expect(show(prefixLines('- one\n- two', 0, 11, '- '))).toBe('[one\ntwo]');
  });

  it('starts a list on an empty line', () => {
    expect(show(prefixLines('', 0, 0, '- '))).toBe('- |');
  });
});

describe('insertBlock', () => {
  it('puts a block on its own lines, blank lines around it, the placeholder selected', () => {
    expect(show(insertBlock('before after', 7, 7, '<Callout>\n', '…', '\n</Callout>'))).toBe(
      'before \n\n<Callout>\n[…]\n</Callout>\n\nafter',
    );
  });

  it('wraps selected text instead of the placeholder', () => {
    expect(
      show(insertBlock('Intro\n\nHe said so.', 7, 18, '<PullQuote by="">\n', '…', '\n</PullQuote>')),
    ).toBe('Intro\n\n<PullQuote by="">\n[He said so.]\n</PullQuote>\n');
  });

  it('adds no blank lines that are already there', () => {
    expect(insertBlock('a\n\n\n\nb', 3, 3, 'X').text).toBe('a\n\nX\n\nb');
    expect(insertBlock('', 0, 0, 'X').text).toBe('X\n');
  });
});

describe('the toolbar', () => {
  it('has the buttons SPEC §9 names', () => {
    expect(FORMATS.map((f) => f.name)).toEqual([
      'Bold',
      'Link',
      'List',
      'Quote',
      'Figure',
      'Pull quote',
      'Callout',
    ]);
  });

  it('Link makes the selection a link and selects the address to type over', () => {
    expect(show(tool('Link')('see the map', 8, 11))).toBe('see the [map]([https://])');
    const edit = tool('Link')('see the map', 8, 11);
    expect(edit.text.slice(edit.selectionStart, edit.selectionEnd)).toBe('https://');
    expect(show(tool('Link')('x', 1, 1))).toBe('x[|](https://)');
  });

  it('Figure leaves the selection alone and puts the caret in src', () => {
    expect(show(tool('Figure')('Text', 0, 4))).toBe('Text\n\n<Figure src="|" alt="" caption="" />\n');
  });

  it('writes MDX the content checks accept', () => {
    for (const { name, apply } of FORMATS.filter((f) => f.name !== 'Figure')) {
      for (const [start, end] of [
        [0, 5],
        [6, 6],
        [17, 17],
      ] as const) {
        const { text } = apply('Water is receding\n\nat the quay.', start, end);
        expect(compileBody(text), `${name} at ${start}-${end}: ${text}`).toMatchObject({ ok: true });
      }
    }
  });
});

describe('figureTag', () => {
  it('escapes what would end or break the attribute', () => {
    const tag = figureTag('/media/a.webp', 'The "Kingsway" bridge &\nits debris');
    expect(tag).toBe('<Figure src="/media/a.webp" alt="The &quot;Kingsway&quot; bridge &amp; its debris" />');
    const compiled = compileBody(tag);
    expect(compiled.ok && compiled.body.html).toContain(
      'alt="The &#x22;Kingsway&#x22; bridge &#x26; its debris"',
    );
  });

  it('is inserted at the caret, the caret after it', () => {
    expect(show(insertAtCaret('<Figure />')('Before\nafter', 6, 6))).toBe('Before\n\n<Figure />|\n\nafter');
  });
});
