/**
 * BERT's next-sentence-prediction data: sentence pairs [CLS] A [SEP] B [SEP]
 * where B either follows A in its document (IsNext) or is a sentence from
 * another document (NotNext). The classifier reads the [CLS] position, so
 * [CLS] is always first; segment ids tell the encoder which side a token is on.
 */

import { randomInt, type Rng } from './rng';

/** One document: its sentences in order, each already tokenized to ids. */
export type NspDocument = readonly (readonly number[])[];

export type NspLabel = 'IsNext' | 'NotNext';

export interface NspOptions {
  clsId: number;
  sepId: number;
  /** Longest sequence including [CLS] and both [SEP]s; at least 5 (one token per side). */
  maxLength: number;
  rng: Rng;
  /** Probability that B is A's true successor (default 0.5, as in BERT). */
  isNextProb?: number;
}

export interface NspBatchOptions extends NspOptions {
  /** Fills each row after its sequence, up to maxLength. */
  padId: number;
}

export interface NspExample {
  /** [CLS] A [SEP] B [SEP], after truncation; length <= maxLength. */
  ids: number[];
  /** 0 for [CLS], A and its [SEP]; 1 for B and the final [SEP]. */
  segments: number[];
  label: NspLabel;
  /** Where A came from. */
  docIndex: number;
  sentenceIndex: number;
  /** Where B came from (sentenceIndex + 1 of the same document when IsNext). */
  bDocIndex: number;
  bSentenceIndex: number;
}

export interface NspBatch {
  /** [count * maxLength], row-major, padded with padId. */
  ids: Int32Array;
  /** [count * maxLength]; 0 in the padding. */
  segments: Int32Array;
  /** [count]: tokens before the padding, i.e. how far attention may look. */
  lengths: Int32Array;
  /** [count]: 1 = IsNext, 0 = NotNext. */
  labels: Int32Array;
}

/** What sampling needs from the corpus, computed once per docs array (see cachedIndex). */
interface CorpusIndex {
  docs: readonly NspDocument[];
  /** Documents with at least 2 sentences: the only ones with an (A, next) pair. */
  pairDocs: number[];
  totalSentences: number;
}

function checkInt(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`nspPairs: ${name} must be an integer >= ${min}, got ${value}`);
  }
}

function checkOptions(opts: NspOptions): number {
  checkInt('clsId', opts.clsId, 0);
  checkInt('sepId', opts.sepId, 0);
  checkInt('maxLength', opts.maxLength, 5);
  const isNextProb = opts.isNextProb ?? 0.5;
  if (!(isNextProb >= 0 && isNextProb <= 1)) {
    throw new RangeError(`nspPairs: isNextProb must be in [0, 1], got ${isNextProb}`);
  }
  return isNextProb;
}

/**
 * Validates the corpus. NotNext needs a document other than A's, so fewer
 * than two documents with sentences is an error even when isNextProb = 1:
 * the same corpus must work for every setting of the slider. Drawing B from a
 * far-away part of A's own document is not a substitute, since it would
 * often share A's topic and blur the task.
 */
function indexCorpus(docs: readonly NspDocument[]): CorpusIndex {
  const pairDocs: number[] = [];
  let totalSentences = 0;
  let nonEmptyDocs = 0;
  docs.forEach((doc, d) => {
    doc.forEach((sentence, s) => {
      if (sentence.length === 0) {
        throw new RangeError(`nspPairs: sentence ${s} of document ${d} is empty; every sentence needs a token`);
      }
    });
    totalSentences += doc.length;
    if (doc.length > 0) nonEmptyDocs += 1;
    if (doc.length >= 2) pairDocs.push(d);
  });
  if (nonEmptyDocs < 2) {
    throw new RangeError(
      `nspPairs: need at least 2 documents with sentences (NotNext draws B from another document), got ${nonEmptyDocs}`,
    );
  }
  if (pairDocs.length === 0) {
    throw new RangeError('nspPairs: no document has 2 or more sentences, so there is no sentence with a successor');
  }
  return { docs, pairDocs, totalSentences };
}

/**
 * A sentence uniform over all sentences outside document `exclude` (so a long
 * document is proportionally more likely, like "a random sentence from the
 * corpus" in the lecture). One randomInt over the pooled count, then a walk.
 */
function randomSentenceOutside(index: CorpusIndex, exclude: number, rng: Rng): [number, number] {
  let k = randomInt(rng, index.totalSentences - index.docs[exclude].length);
  for (let d = 0; d < index.docs.length; d++) {
    if (d === exclude) continue;
    const n = index.docs[d].length;
    if (k < n) return [d, k];
    k -= n;
  }
  throw new Error('nspPairs: unreachable: sentence count mismatch');
}

/**
 * Token counts kept from A and B so that lenA + lenB <= budget, trimming one
 * token at a time from the end of the longer side (B on a tie), as BERT's
 * truncate_seq_pair does. With budget >= 2 both sides keep at least one token:
 * the longer side has >= 2 tokens whenever the sum exceeds 2.
 */
export function truncatedPairLengths(lenA: number, lenB: number, budget: number): [number, number] {
  let a = lenA;
  let b = lenB;
  while (a + b > budget) {
    if (a > b) a -= 1;
    else b -= 1;
  }
  return [a, b];
}

function samplePair(index: CorpusIndex, opts: NspOptions, isNextProb: number): NspExample {
  const { rng, clsId, sepId, maxLength } = opts;
  // Draw order: A's document, A's sentence, the label, then B if NotNext.
  const docIndex = index.pairDocs[randomInt(rng, index.pairDocs.length)];
  const doc = index.docs[docIndex];
  const sentenceIndex = randomInt(rng, doc.length - 1); // any sentence that has a successor
  const isNext = rng() < isNextProb;
  const [bDocIndex, bSentenceIndex] = isNext
    ? [docIndex, sentenceIndex + 1]
    : randomSentenceOutside(index, docIndex, rng);

  const a = doc[sentenceIndex];
  const b = index.docs[bDocIndex][bSentenceIndex];
  const [keepA, keepB] = truncatedPairLengths(a.length, b.length, maxLength - 3);
  const ids = [clsId, ...a.slice(0, keepA), sepId, ...b.slice(0, keepB), sepId];
  const segments = ids.map((_, i) => (i < keepA + 2 ? 0 : 1));
  return {
    ids,
    segments,
    label: isNext ? 'IsNext' : 'NotNext',
    docIndex,
    sentenceIndex,
    bDocIndex,
    bSentenceIndex,
  };
}

/**
 * Indexing walks every sentence: ~1 ms for a Brown-sized corpus, paid on every
 * call by a trainer that draws pairs one at a time. The corpus is read-only to
 * this module, so the index is remembered per docs array (weakly: it goes
 * when the corpus does). A changed document count re-indexes; editing
 * documents in place after a call is not supported.
 */
const indexCache = new WeakMap<readonly NspDocument[], CorpusIndex & { docCount: number }>();

function cachedIndex(docs: readonly NspDocument[]): CorpusIndex {
  const hit = indexCache.get(docs);
  if (hit && hit.docCount === docs.length) return hit;
  const index = { ...indexCorpus(docs), docCount: docs.length };
  indexCache.set(docs, index);
  return index;
}

/** One next-sentence-prediction example drawn from `docs`. */
export function buildNspPair(docs: readonly NspDocument[], opts: NspOptions): NspExample {
  const isNextProb = checkOptions(opts);
  return samplePair(cachedIndex(docs), opts, isNextProb);
}

/**
 * `count` examples as flat, padded arrays ready for a tensor. Row r is the
 * r-th buildNspPair draw from the same rng, so a batch can be traced example
 * by example.
 */
export function buildNspBatch(docs: readonly NspDocument[], count: number, opts: NspBatchOptions): NspBatch {
  const isNextProb = checkOptions(opts);
  checkInt('count', count, 1);
  checkInt('padId', opts.padId, 0);
  const index = cachedIndex(docs);
  const { maxLength, padId } = opts;
  const ids = new Int32Array(count * maxLength).fill(padId); // [count, maxLength]
  const segments = new Int32Array(count * maxLength); // [count, maxLength]
  const lengths = new Int32Array(count); // [count]
  const labels = new Int32Array(count); // [count]
  for (let r = 0; r < count; r++) {
    const example = samplePair(index, opts, isNextProb);
    ids.set(example.ids, r * maxLength);
    segments.set(example.segments, r * maxLength);
    lengths[r] = example.ids.length;
    labels[r] = example.label === 'IsNext' ? 1 : 0;
  }
  return { ids, segments, lengths, labels };
}
