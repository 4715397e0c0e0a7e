import { describe, expect, it } from 'vitest';
import {
  MAX_USER_TEXT_BYTES,
  MIN_USER_TEXT_CHARS,
  formatBytes,
  splitHeldOut,
  utf8ByteLength,
  validateUserFile,
  validateUserText,
} from './userText';

const enc = new TextEncoder();
const prose = (n: number) => 'a'.repeat(n);
const sentence = 'The quick brown fox jumps over the lazy dog. ';

function errorOf(r: ReturnType<typeof validateUserText>): string {
  if (r.ok) throw new Error('expected a validation error');
  return r.error;
}

describe('formatBytes / utf8ByteLength', () => {
  it('formats in decimal units', () => {
    expect(formatBytes(MAX_USER_TEXT_BYTES)).toBe('2 MB');
    expect(formatBytes(2_500_000)).toBe('2.5 MB');
    expect(formatBytes(1_234)).toBe('1.2 KB');
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(1)).toBe('1 byte');
  });

  it('counts UTF-8 bytes like TextEncoder', () => {
    for (const s of ['', 'abc', 'café', '日本語', '😀 ok', 'x\u0000y', '\ud800 lone']) {
      expect(utf8ByteLength(s)).toBe(enc.encode(s).length);
    }
  });
});

describe('validateUserText', () => {
  it('accepts ordinary text and returns it', () => {
    const text = sentence.repeat(10);
    expect(validateUserText(text)).toEqual({ ok: true, text });
  });

  it('accepts exactly the minimum length and rejects one less, saying how many are needed', () => {
    expect(validateUserText(prose(MIN_USER_TEXT_CHARS)).ok).toBe(true);
    const err = errorOf(validateUserText(prose(MIN_USER_TEXT_CHARS - 1)));
    expect(err).toMatch(/too short/);
    expect(err).toContain(`${MIN_USER_TEXT_CHARS - 1} characters`);
    expect(err).toContain(`at least ${MIN_USER_TEXT_CHARS}`);
    expect(err).toContain('(1 more)');
  });

  it('counts characters, not UTF-16 units, and ignores surrounding whitespace', () => {
    expect(validateUserText('😀'.repeat(MIN_USER_TEXT_CHARS)).ok).toBe(true);
    expect(validateUserText('😀'.repeat(MIN_USER_TEXT_CHARS - 1)).ok).toBe(false);
    expect(errorOf(validateUserText(`   ${prose(50)}\n\n  `))).toContain('it has 50 characters');
  });

  it('rejects empty and whitespace-only text', () => {
    expect(errorOf(validateUserText(''))).toMatch(/empty/);
    expect(errorOf(validateUserText('  \n\t\r\n  '))).toMatch(/empty/);
  });

  it('accepts exactly the byte limit and rejects one byte more, in readable units', () => {
    expect(validateUserText(prose(MAX_USER_TEXT_BYTES)).ok).toBe(true);
    const err = errorOf(validateUserText(prose(MAX_USER_TEXT_BYTES + 1)));
    expect(err).toMatch(/too large/);
    expect(err).toContain('the limit is 2 MB');
  });

  it('measures the limit in UTF-8 bytes', () => {
    // 'é' is 2 bytes: 1,000,001 of them are 2,000,002 bytes.
    expect(validateUserText('é'.repeat(MAX_USER_TEXT_BYTES / 2)).ok).toBe(true);
    expect(validateUserText('é'.repeat(MAX_USER_TEXT_BYTES / 2 + 1)).ok).toBe(false);
  });

  it('normalises CRLF and lone CR to LF and drops a BOM', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line number ${i} of the text`);
    const r = validateUserText('\ufeff' + lines.join('\r\n') + '\r');
    expect(r).toEqual({ ok: true, text: lines.join('\n') + '\n' });
  });

  it('rejects NUL bytes as binary', () => {
    const err = errorOf(validateUserText(sentence.repeat(10) + '\u0000'));
    expect(err).toMatch(/doesn't look like plain text/);
    expect(err).toMatch(/NUL/);
  });

  it('rejects text with more than 10% control or replacement characters', () => {
    const base = prose(300);
    expect(validateUserText(base + '\uFFFD'.repeat(30)).ok).toBe(true); // 30/330 < 10%
    expect(errorOf(validateUserText(base + '\uFFFD'.repeat(40)))).toMatch(/unreadable/);
    expect(validateUserText(base + '\u0007\u0001'.repeat(30)).ok).toBe(false);
    // tabs, newlines and form feeds are ordinary text
    expect(validateUserText(base + '\t\n\f'.repeat(100)).ok).toBe(true);
  });
});

describe('validateUserFile', () => {
  const okBytes = enc.encode(sentence.repeat(10));

  it('decodes UTF-8 text', () => {
    const text = 'Café déjà vu — naïve façade. '.repeat(10);
    const bytes = enc.encode(text);
    expect(validateUserFile('notes.txt', bytes.length, bytes)).toEqual({ ok: true, text });
  });

  it('strips a UTF-8 BOM and normalises CRLF', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('line one of it\r\n'.repeat(20))]);
    const r = validateUserFile('win.txt', bytes.length, bytes);
    expect(r).toEqual({ ok: true, text: 'line one of it\n'.repeat(20) });
  });

  it('checks the declared size before decoding and names the file', () => {
    const r = validateUserFile('huge.txt', MAX_USER_TEXT_BYTES + 1, okBytes);
    expect(r.ok).toBe(false);
    expect(errorOf(r)).toContain('"huge.txt"');
    expect(errorOf(r)).toContain('2 MB');
    expect(validateUserFile('big.txt', 5_300_000, okBytes)).toEqual({
      ok: false,
      error: '"big.txt" is too large (5.3 MB); the limit is 2 MB. Try a shorter excerpt.',
    });
  });

  it('accepts a file of exactly the limit', () => {
    const bytes = new Uint8Array(MAX_USER_TEXT_BYTES).fill(0x61);
    expect(validateUserFile('max.txt', bytes.length, bytes).ok).toBe(true);
  });

  it('rejects an empty file', () => {
    expect(errorOf(validateUserFile('empty.txt', 0, new Uint8Array()))).toMatch(/"empty.txt" is empty/);
  });

  it('recognises PNG and ZIP headers', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, ...okBytes]);
    expect(errorOf(validateUserFile('cat.png', png.length, png))).toBe(
      '"cat.png" looks like a PNG image, not a text file. Upload plain text (.txt) instead.',
    );
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, ...okBytes]);
    expect(errorOf(validateUserFile('essay.docx', zip.length, zip))).toMatch(/"essay.docx" looks like a ZIP archive/);
  });

  it('does not mistake text that starts with printable signature-like letters for binary', () => {
    const bytes = enc.encode('MZ and PK are initials. ' + sentence.repeat(10));
    expect(validateUserFile('initials.txt', bytes.length, bytes).ok).toBe(true);
  });

  it('rejects UTF-16 files with advice', () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...Array.from(okBytes).flatMap((b) => [b, 0])]);
    expect(errorOf(validateUserFile('utf16.txt', bytes.length, bytes))).toMatch(/"utf16.txt" is saved as UTF-16/);
  });

  it('rejects files with NUL bytes', () => {
    const bytes = new Uint8Array([...okBytes, 0, 1, 2, 3]);
    expect(errorOf(validateUserFile('data.bin', bytes.length, bytes))).toMatch(/"data.bin" is a binary file/);
  });

  it('rejects bytes that are not UTF-8 (mostly invalid sequences)', () => {
    // Random-looking high bytes without NULs: nearly all decode to U+FFFD.
    const bytes = new Uint8Array(400).map((_, i) => 0x80 + ((i * 37) % 0x40));
    const err = errorOf(validateUserFile('blob.dat', bytes.length, bytes));
    expect(err).toContain('"blob.dat"');
    expect(err).toMatch(/not UTF-8/);
  });

  it('passes text problems through with the file name', () => {
    const bytes = enc.encode('too short');
    expect(errorOf(validateUserFile('short.txt', bytes.length, bytes))).toMatch(
      /^"short.txt" is too short to train on: it has 9 characters/,
    );
  });
});

describe('splitHeldOut', () => {
  it('cuts at a line break near the end', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${String(i).padStart(2, '0')}`);
    const { train, heldOut } = splitHeldOut(lines.join('\n'));
    expect(train).toBe(lines.slice(0, 18).join('\n'));
    expect(heldOut).toBe(lines.slice(18).join('\n'));
  });

  it('falls back to a sentence boundary, then to a space', () => {
    const text = 'First sentence here. '.repeat(20).trim();
    const r = splitHeldOut(text, 0.2);
    expect(r.train.endsWith('here.')).toBe(true);
    expect(r.heldOut.startsWith('First')).toBe(true);
    expect(`${r.train} ${r.heldOut}`).toBe(text);
    expect(r.heldOut.length / text.length).toBeGreaterThan(0.1);
    expect(r.heldOut.length / text.length).toBeLessThan(0.3);

    const words = 'word '.repeat(100).trim();
    const w = splitHeldOut(words);
    expect(w.train.endsWith('word')).toBe(true);
    expect(w.heldOut.startsWith('word')).toBe(true);
    expect(`${w.train} ${w.heldOut}`).toBe(words);
  });

  it('cuts mid-token only when there is no boundary at all', () => {
    const r = splitHeldOut('x'.repeat(100));
    expect(r.train).toBe('x'.repeat(90));
    expect(r.heldOut).toBe('x'.repeat(10));
  });

  it('keeps roughly the requested fraction and loses no content', () => {
    const text = Array.from({ length: 200 }, (_, i) => `Sentence ${i} is here.`).join(' ');
    for (const fraction of [0.05, 0.1, 0.25, 0.5]) {
      const { train, heldOut } = splitHeldOut(text, fraction);
      expect(`${train} ${heldOut}`).toBe(text);
      expect(Math.abs(heldOut.length / text.length - fraction)).toBeLessThan(fraction / 2 + 0.01);
    }
  });

  it('handles tiny inputs and rejects bad fractions', () => {
    expect(splitHeldOut('')).toEqual({ train: '', heldOut: '' });
    expect(splitHeldOut('a')).toEqual({ train: 'a', heldOut: '' });
    expect(splitHeldOut('ab')).toEqual({ train: 'a', heldOut: 'b' });
    expect(splitHeldOut('a\nb')).toEqual({ train: 'a', heldOut: 'b' });
    expect(() => splitHeldOut('abc', 0)).toThrow(RangeError);
    expect(() => splitHeldOut('abc', 1)).toThrow(RangeError);
    expect(() => splitHeldOut('abc', Number.NaN)).toThrow(RangeError);
  });

  it('normalised CRLF text splits on lines', () => {
    const v = validateUserText(Array.from({ length: 30 }, (_, i) => `row ${i} of data here`).join('\r\n'));
    if (!v.ok) throw new Error(v.error);
    const { train, heldOut } = splitHeldOut(v.text);
    expect(train).not.toContain('\r');
    expect(heldOut.split('\n').length).toBe(3);
  });
});
