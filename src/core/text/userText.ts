// Validation of text a user pastes or uploads to train on, a simple train /
// held-out split for it, and the token counts the GPT's data preparation
// needs (textTokenProblem: the rule the worker applies, checked here where
// the text is typed). Pure functions: no DOM, no tfjs.
import { charVocabSize, countTokens } from '../tokenizer';

/** Largest accepted input, in UTF-8 bytes (decimal: 2 MB). */
export const MAX_USER_TEXT_BYTES = 2_000_000;
/** Fewest characters (after trimming) that make a usable training text. */
export const MIN_USER_TEXT_CHARS = 200;
/** Above this fraction of control / U+FFFD characters the input is treated as binary. */
export const BINARY_CHAR_FRACTION = 0.1;

export type TextValidation = { ok: true; text: string } | { ok: false; error: string };

/** "2 MB", "1.5 MB", "340 KB", "12 bytes" (decimal units, like the limit). */
export function formatBytes(bytes: number): string {
  const trim = (n: number) => n.toFixed(1).replace(/\.0$/, '');
  if (bytes >= 1_000_000) return `${trim(bytes / 1_000_000)} MB`;
  if (bytes >= 1_000) return `${trim(bytes / 1_000)} KB`;
  return bytes === 1 ? '1 byte' : `${bytes} bytes`;
}

/** UTF-8 encoded length of a string, without allocating the encoding. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3; // lone surrogate, encoded as U+FFFD
    } else bytes += 3;
  }
  return bytes;
}

/** Control characters that never occur in ordinary text, plus the U+FFFD replacement character. */
function isSuspicious(c: number): boolean {
  if (c < 0x20) return c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x0b;
  return c === 0x7f || (c >= 0x80 && c <= 0x9f) || c === 0xfffd;
}

/** Reason the text looks binary, or null if it looks like text. */
function binaryReason(text: string): string | null {
  if (text.includes('\u0000')) return 'it contains NUL bytes, so it is probably a binary file';
  let bad = 0;
  for (let i = 0; i < text.length; i++) if (isSuspicious(text.charCodeAt(i))) bad++;
  if (text.length > 0 && bad / text.length > BINARY_CHAR_FRACTION) {
    const pct = Math.round((100 * bad) / text.length);
    return `${pct}% of its characters are control or unreadable characters, so it is probably binary or not UTF-8`;
  }
  return null;
}

/** CRLF and lone CR become LF; a leading byte-order mark is dropped. */
export function normaliseNewlines(text: string): string {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return t.replace(/\r\n?/g, '\n');
}

function validate(raw: string, subject: string, bytes: number): TextValidation {
  if (bytes > MAX_USER_TEXT_BYTES) {
    return {
      ok: false,
      error: `${subject} is too large (${formatBytes(bytes)}); the limit is ${formatBytes(MAX_USER_TEXT_BYTES)}. Try a shorter excerpt.`,
    };
  }
  const text = normaliseNewlines(raw);
  if (text.trim() === '') {
    return {
      ok: false,
      error: `${subject} is empty. Paste or upload at least ${MIN_USER_TEXT_CHARS} characters of plain text.`,
    };
  }
  const binary = binaryReason(text);
  if (binary !== null) {
    return { ok: false, error: `${subject} doesn't look like plain text: ${binary}.` };
  }
  const chars = countTokens(text.trim(), 'char');
  if (chars < MIN_USER_TEXT_CHARS) {
    const missing = MIN_USER_TEXT_CHARS - chars;
    return {
      ok: false,
      error:
        `${subject} is too short to train on: it has ${chars} character${chars === 1 ? '' : 's'}, ` +
        `but at least ${MIN_USER_TEXT_CHARS} are needed (${missing} more).`,
    };
  }
  return { ok: true, text };
}

/**
 * Validate pasted text. On success returns the text with newlines normalised
 * (CRLF / CR -> LF, leading BOM removed). Rejects: oversized input (limit measured
 * in UTF-8 bytes of the text as given), empty or whitespace-only text,
 * binary-looking content and text shorter than {@link MIN_USER_TEXT_CHARS}.
 */
export function validateUserText(text: string): TextValidation {
  return validate(text, 'The text', utf8ByteLength(text));
}

// Only signatures that cannot start an ordinary text file (they contain bytes outside
// printable ASCII), so a text that happens to begin with e.g. "MZ" is not rejected.
const SIGNATURES: ReadonlyArray<{ magic: number[]; kind: string }> = [
  { magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], kind: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], kind: 'a JPEG image' },
  { magic: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61], kind: 'a GIF image' },
  { magic: [0x47, 0x49, 0x46, 0x38, 0x37, 0x61], kind: 'a GIF image' },
  { magic: [0x25, 0x50, 0x44, 0x46, 0x2d], kind: 'a PDF document' },
  { magic: [0x50, 0x4b, 0x03, 0x04], kind: 'a ZIP archive (.docx, .xlsx and .odt files are ZIP archives too)' },
  { magic: [0x50, 0x4b, 0x05, 0x06], kind: 'an empty ZIP archive' },
  { magic: [0x1f, 0x8b], kind: 'a gzip-compressed file' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], kind: 'a 7-Zip archive' },
  { magic: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], kind: 'a RAR archive' },
  { magic: [0x7f, 0x45, 0x4c, 0x46], kind: 'an executable (ELF) file' },
  { magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], kind: 'an old Microsoft Office document' },
  { magic: [0x00, 0x61, 0x73, 0x6d], kind: 'a WebAssembly module' },
];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/**
 * Validate an uploaded file. The size is checked before anything is decoded; known
 * binary formats (PNG, ZIP, PDF, ...) and UTF-16 files are recognised by their first
 * bytes; the rest is decoded as UTF-8 (invalid sequences become U+FFFD) and checked
 * like pasted text. Error messages name the file.
 */
export function validateUserFile(name: string, size: number, bytes: Uint8Array): TextValidation {
  const subject = `"${name}"`;
  const byteCount = Math.max(size, bytes.byteLength);
  if (byteCount > MAX_USER_TEXT_BYTES) {
    return {
      ok: false,
      error: `${subject} is too large (${formatBytes(byteCount)}); the limit is ${formatBytes(MAX_USER_TEXT_BYTES)}. Try a shorter excerpt.`,
    };
  }
  if (bytes.byteLength === 0) {
    return {
      ok: false,
      error: `${subject} is empty. Upload a plain-text file with at least ${MIN_USER_TEXT_CHARS} characters.`,
    };
  }
  for (const { magic, kind } of SIGNATURES) {
    if (startsWith(bytes, magic)) {
      return { ok: false, error: `${subject} looks like ${kind}, not a text file. Upload plain text (.txt) instead.` };
    }
  }
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    return { ok: false, error: `${subject} is saved as UTF-16 text. Save it as UTF-8 and upload it again.` };
  }
  if (bytes.includes(0)) {
    return { ok: false, error: `${subject} is a binary file (it contains NUL bytes), not plain text.` };
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return validate(text, subject, byteCount);
}

/**
 * Split text into a training part and a held-out tail of roughly `fraction` of its
 * length. The cut is moved to the nearest line break near the target point, else to
 * the nearest sentence end (". ", "! ", "? "), else to the nearest space, so no
 * line or word is cut in half. Whitespace at the cut is dropped. Both parts are
 * non-empty whenever the text has at least two non-space characters.
 */
export function splitHeldOut(text: string, fraction = 0.1): { train: string; heldOut: string } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new RangeError(`splitHeldOut: fraction must be between 0 and 1 (exclusive), got ${fraction}`);
  }
  const t = text.trim();
  if (t.length < 2) return { train: t, heldOut: '' };

  const target = Math.min(t.length - 1, Math.max(1, Math.round(t.length * (1 - fraction))));
  // Look for a boundary within half the held-out size on either side of the target.
  const window = Math.max(1, Math.round((t.length * fraction) / 2));
  const lo = Math.max(1, target - window);
  const hi = Math.min(t.length - 1, target + window);

  // Candidate cut positions are the index where the held-out part starts.
  const nearest = (isBoundary: (i: number) => boolean): number | null => {
    for (let d = 0; d <= window; d++) {
      for (const i of [target - d, target + d]) {
        if (i >= lo && i <= hi && isBoundary(i)) return i;
      }
    }
    return null;
  };
  const ws = (c: string) => c === ' ' || c === '\t' || c === '\n';
  const cut =
    nearest((i) => t[i - 1] === '\n') ??
    nearest((i) => ws(t[i - 1]) && /[.!?]/.test(t[i - 2] ?? '') && !ws(t[i])) ??
    nearest((i) => ws(t[i - 1]) && !ws(t[i])) ??
    target;

  // t starts and ends with a non-space and 1 <= cut <= length - 1, so neither part is empty.
  return { train: t.slice(0, cut).trimEnd(), heldOut: t.slice(cut).trimStart() };
}

export type TokenizerKind = 'char' | 'word';

/** Tokens in the training and the held-out text. */
export interface TextTokens {
  train: number;
  heldOut: number;
}

/**
 * The rule a GPT run's texts must meet (train/data/gpt.ts applies it to the
 * encoded texts before anything is built): a training row is a window of
 * `contextLength` tokens and the token after it, so the training text and the
 * held-out text each need at least contextLength + 1 tokens. Null when both do.
 */
export function textTokenProblem(tokens: TextTokens, contextLength: number): string | null {
  const need = contextLength + 1;
  for (const [name, n] of [
    ['training', tokens.train],
    ['held-out', tokens.heldOut],
  ] as const) {
    if (n < need)
      return `The ${name} text has ${n.toLocaleString('en-US')} token${n === 1 ? '' : 's'}; a context length of ${contextLength} needs at least ${need.toLocaleString('en-US')}.`;
  }
  return null;
}

/** A text that passed validation, split as the decoder page trains on it, with what the checks need. */
export interface MeasuredUserText {
  train: string;
  heldOut: string;
  /** Tokens of each split, for each tokenizer the page offers. */
  tokens: Record<TokenizerKind, TextTokens>;
  /** The character tokenizer's vocabulary on the training split (<unk> included): what the step budget prices. */
  charVocab: number;
}

/** Splits a validated text (splitHeldOut, a tenth held out) and counts its tokens. */
export function measureUserText(text: string): MeasuredUserText {
  const { train, heldOut } = splitHeldOut(text);
  const count = (kind: TokenizerKind): TextTokens => ({
    train: countTokens(train, kind),
    heldOut: countTokens(heldOut, kind),
  });
  return { train, heldOut, tokens: { char: count('char'), word: count('word') }, charVocab: charVocabSize(train) };
}

export type MeasuredCheck = { ok: true; value: MeasuredUserText } | { ok: false; error: string };

/**
 * Everything the decoder page checks about a pasted text or an uploaded
 * file, in one call (validateUserText or validateUserFile, then
 * measureUserText). Linear in the input: about 0.1 s for 2 MB on a laptop
 * core, so the page runs it off the main thread.
 */
export function checkUserInput(
  input: { kind: 'text'; text: string } | { kind: 'file'; name: string; size: number; bytes: Uint8Array },
): MeasuredCheck {
  const check =
    input.kind === 'text' ? validateUserText(input.text) : validateUserFile(input.name, input.size, input.bytes);
  return check.ok ? { ok: true, value: measureUserText(check.text) } : check;
}

/**
 * What a measured text lacks for a tokenizer and context length: the token
 * rule's message with how much more text would do, or null when it is enough.
 */
export function userTextProblem(m: MeasuredUserText, kind: TokenizerKind, contextLength: number): string | null {
  const tokens = m.tokens[kind];
  const problem = textTokenProblem(tokens, contextLength);
  if (problem === null) return null;
  const chars = m.train.length + m.heldOut.length;
  const have = tokens.train + tokens.heldOut;
  // The held-out part is about a tenth of the text, so about ten times (context + 1) tokens in all.
  const wanted = 10 * (contextLength + 1) * 1.1;
  const more = have > 0 ? Math.max(1, Math.ceil(((wanted - have) * chars) / have)) : wanted;
  const unit = kind === 'char' ? 'characters' : 'words';
  return `${problem} The last tenth of your text is held out, so it needs about ${Math.ceil(wanted).toLocaleString('en-US')} ${unit} in all: add about ${more.toLocaleString('en-US')} more characters, or choose a shorter context.`;
}

/** About how many characters a text needs for a context length (the hint before anything is typed). */
export function userTextMinimum(kind: TokenizerKind, contextLength: number): number {
  const tokens = Math.ceil(10 * (contextLength + 1) * 1.1);
  return Math.max(MIN_USER_TEXT_CHARS, kind === 'char' ? tokens : tokens * 5);
}
