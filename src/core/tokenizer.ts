/**
 * Two toy tokenizers (characters, lower-cased words) small enough to inspect
 * in the UI. Both are built deterministically from a training text; anything
 * unseen maps to `<unk>`.
 *
 * Vocabulary layout, for both: [<unk>, ...specials, ...regular tokens].
 * Specials (e.g. "[MASK]", "<extra_id_0>") are reserved ids for the models'
 * noising functions; encode never produces them.
 */

export interface Tokenizer {
  kind: 'char' | 'word';
  /** Surface string of each id. */
  vocab: readonly string[];
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  unkId: number;
}

export interface TokenizerOptions {
  /** Reserved tokens placed right after `<unk>`, in this order. */
  specials?: readonly string[];
}

/** One token of a text, with where it came from, for display. */
export interface TokenPiece {
  id: number;
  /** The token's surface text as written (original case for word tokens). */
  text: string;
  /** UTF-16 offsets of `text` in the input: text === input.slice(start, end). */
  start: number;
  end: number;
}

export const UNK_TOKEN = '<unk>';

/**
 * Words (letters/digits, allowing inner apostrophes and hyphens such as
 * "atlanta's", "hard-fought") or a single punctuation/symbol character.
 */
const WORD_RE = /[\p{L}\p{N}\p{M}]+(?:['\u2019-][\p{L}\p{N}\p{M}]+)*|[^\s\p{L}\p{N}\p{M}]/gu;
const IS_WORD_RE = /^[\p{L}\p{N}\p{M}]/u;
const OPENING = new Set(['(', '[', '{']);

interface Split {
  /** Vocabulary key of the piece (lower-cased for words). */
  key: string;
  text: string;
  start: number;
}

function splitChars(text: string): Split[] {
  const out: Split[] = [];
  let start = 0;
  // for..of iterates code points, so a surrogate pair (emoji) is one token.
  for (const ch of text) {
    out.push({ key: ch, text: ch, start });
    start += ch.length;
  }
  return out;
}

/** Whether text[i] starts a surrogate pair (the two code units for..of yields as one code point). */
function pairAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) return false;
  const d = text.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff;
}

/**
 * The distinct code points of text (as for..of yields them), in first-seen
 * order. A table for the Basic Multilingual Plane instead of one string per
 * character: the Brown corpus is 5.4 million characters.
 */
function distinctChars(text: string): string[] {
  const seen = new Uint8Array(0x10000);
  const astral = new Set<string>();
  const out: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (pairAt(text, i)) {
      const ch = text.slice(i, i + 2);
      if (!astral.has(ch)) {
        astral.add(ch);
        out.push(ch);
      }
      i++;
    } else if (!seen[text.charCodeAt(i)]) {
      seen[text.charCodeAt(i)] = 1;
      out.push(text[i]);
    }
  }
  return out;
}

/**
 * A char tokenizer's encode without a string per character: BMP code points
 * through a table, surrogate pairs through the id map, into an Int32Array.
 * Same ids as mapping splitChars(text) through `ids`.
 */
function charEncoder(ids: ReadonlyMap<string, number>, unkId: number): (text: string) => Int32Array {
  const bmp = new Int32Array(0x10000).fill(unkId);
  for (const [tok, id] of ids) if (tok.length === 1) bmp[tok.charCodeAt(0)] = id;
  return (text) => {
    const out = new Int32Array(text.length);
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      if (pairAt(text, i)) {
        out[n++] = ids.get(text.slice(i, i + 2)) ?? unkId;
        i++;
      } else out[n++] = bmp[text.charCodeAt(i)];
    }
    return n === out.length ? out : out.slice(0, n);
  };
}

/** The Int32Array encoders of char tokenizers (encodeToInt32's fast path). */
const int32Encoders = new WeakMap<Tokenizer, (text: string) => Int32Array>();

/**
 * tokenizer.encode(text) as an Int32Array. For a char tokenizer it is written
 * directly, without a number[] of every id in between (the Brown corpus is 5.4
 * million characters); a word tokenizer's list is copied.
 */
export function encodeToInt32(tokenizer: Tokenizer, text: string): Int32Array {
  const fast = int32Encoders.get(tokenizer);
  return fast ? fast(text) : Int32Array.from(tokenizer.encode(text));
}

function splitWords(text: string): Split[] {
  const out: Split[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    out.push({ key: m[0].toLowerCase(), text: m[0], start: m.index ?? 0 });
  }
  return out;
}

/** Code-unit order: unlike localeCompare it is the same on every machine. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code-point order, so astral characters sort after the BMP as Unicode intends. */
function byCodePoints(a: string, b: string): number {
  return (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0) || byCodeUnits(a, b);
}

const splitters = { char: splitChars, word: splitWords };

function makeTokenizer(kind: 'char' | 'word', regular: readonly string[], specials: readonly string[]): Tokenizer {
  const vocab = [UNK_TOKEN, ...specials, ...regular];
  const ids = new Map<string, number>();
  regular.forEach((tok, i) => ids.set(tok, 1 + specials.length + i));
  const reserved = new Set([UNK_TOKEN, ...specials]);
  if (reserved.size !== 1 + specials.length) throw new Error('tokenizer: specials must be distinct and not "<unk>"');
  for (const tok of regular) {
    if (reserved.has(tok)) {
      throw new Error(`tokenizer: special token "${tok}" also occurs as a regular token; choose a distinct spelling`);
    }
  }
  const split = splitters[kind];
  const unkId = 0;
  const toInt32 = kind === 'char' ? charEncoder(ids, unkId) : null;
  const tokenizer: Tokenizer = {
    kind,
    vocab,
    unkId,
    encode: toInt32 ? (text) => Array.from(toInt32(text)) : (text) => split(text).map((p) => ids.get(p.key) ?? unkId),
    decode: (idList) => {
      const pieces = idList.map((id) => {
        const tok = vocab[id];
        if (tok === undefined)
          throw new RangeError(`tokenizer.decode: id ${id} is outside the vocabulary (size ${vocab.length})`);
        return tok;
      });
      if (kind === 'char') return pieces.join('');
      let out = '';
      pieces.forEach((tok, i) => {
        const prev = i > 0 ? pieces[i - 1] : undefined;
        const isPunct = !reserved.has(tok) && !IS_WORD_RE.test(tok);
        // A space between tokens, except before punctuation and after an opening bracket.
        const glue = prev === undefined || (isPunct && !OPENING.has(tok)) || OPENING.has(prev) ? '' : ' ';
        out += glue + tok;
      });
      return out;
    },
  };
  if (toInt32) int32Encoders.set(tokenizer, toInt32);
  return tokenizer;
}

/**
 * Character tokenizer: every distinct character (code point) of `text`,
 * sorted by code point, after `<unk>` and the specials.
 */
export function buildCharTokenizer(text: string, options: TokenizerOptions = {}): Tokenizer {
  const chars = distinctChars(text).sort(byCodePoints);
  return makeTokenizer('char', chars, options.specials ?? []);
}

/**
 * How many tokens encode(text) returns for a tokenizer of this kind, whatever
 * its vocabulary (an unseen piece is one <unk>), counted without building
 * one or the token list: characters (code points) or words and punctuation.
 */
export function countTokens(text: string, kind: 'char' | 'word'): number {
  let n = 0;
  if (kind === 'char') {
    // A surrogate pair is one code point, as for..of (splitChars) counts it.
    for (let i = 0; i < text.length; i++, n++) if (pairAt(text, i)) i++;
    return n;
  }
  const re = new RegExp(WORD_RE.source, WORD_RE.flags); // its own lastIndex
  while (re.exec(text) !== null) n++;
  return n;
}

/**
 * The vocabulary size buildCharTokenizer(text, options) would have (`<unk>`,
 * the specials and every distinct code point), without building it.
 */
export function charVocabSize(text: string, options: TokenizerOptions = {}): number {
  return 1 + (options.specials?.length ?? 0) + distinctChars(text).length;
}

/**
 * Word tokenizer: lower-cased words and single punctuation characters. Keeps
 * the most frequent words so that the whole vocabulary, `<unk>` and specials
 * included, has at most `maxVocab` entries; equal counts are ordered
 * alphabetically (code units), so the vocabulary is deterministic.
 */
export function buildWordTokenizer(text: string, maxVocab: number, options: TokenizerOptions = {}): Tokenizer {
  const specials = options.specials ?? [];
  if (!Number.isInteger(maxVocab) || maxVocab < 1 + specials.length) {
    throw new RangeError(`buildWordTokenizer: maxVocab must be an integer >= ${1 + specials.length}, got ${maxVocab}`);
  }
  const counts = new Map<string, number>();
  for (const p of splitWords(text)) counts.set(p.key, (counts.get(p.key) ?? 0) + 1);
  const words = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || byCodeUnits(a[0], b[0]))
    .slice(0, maxVocab - 1 - specials.length)
    .map(([w]) => w);
  return makeTokenizer('word', words, specials);
}

/** Each token of `text` with its id and surface text, e.g. to colour a token strip. */
export function tokenPieces(tokenizer: Tokenizer, text: string): TokenPiece[] {
  const pieces = splitters[tokenizer.kind](text);
  const ids = tokenizer.encode(text);
  return pieces.map((p, i) => ({ id: ids[i], text: p.text, start: p.start, end: p.start + p.text.length }));
}

/** Id of an exact vocabulary entry such as a special token; throws if absent. */
export function tokenId(tokenizer: Tokenizer, token: string): number {
  const id = tokenizer.vocab.indexOf(token);
  if (id < 0) throw new Error(`tokenId: "${token}" is not in the ${tokenizer.kind} vocabulary`);
  return id;
}
