/**
 * RoBERTa's input without next-sentence prediction ("FULL-SENTENCES" in the
 * RoBERTa paper, kept within one document here): contiguous sentences of one
 * document from a starting sentence, packed until the length limit.
 */

export interface FullSentencesOptions {
  clsId: number;
  sepId: number;
  /** Longest result, [CLS] and [SEP] included; at least 3. */
  maxLength: number;
}

/**
 * [CLS] s_i s_{i+1} ... [SEP] from sentence `sentenceIndex` of document
 * `docIndex`, cut at maxLength (the last sentence may be cut short). One
 * segment: every segment id is 0.
 */
export function buildFullSentences(
  docs: readonly (readonly (readonly number[])[])[],
  docIndex: number,
  sentenceIndex: number,
  opts: FullSentencesOptions,
): { ids: number[]; segments: number[] } {
  const { clsId, sepId, maxLength } = opts;
  if (!Number.isInteger(maxLength) || maxLength < 3) {
    throw new RangeError(`buildFullSentences: maxLength must be an integer >= 3, got ${maxLength}`);
  }
  const doc = docs[docIndex];
  if (!doc) throw new RangeError(`buildFullSentences: no document ${docIndex}`);
  if (!Number.isInteger(sentenceIndex) || sentenceIndex < 0 || sentenceIndex >= doc.length) {
    throw new RangeError(`buildFullSentences: document ${docIndex} has no sentence ${sentenceIndex}`);
  }
  const body: number[] = [];
  const room = maxLength - 2;
  for (let s = sentenceIndex; s < doc.length && body.length < room; s++) {
    for (const id of doc[s]) {
      if (body.length === room) break;
      body.push(id);
    }
  }
  const ids = [clsId, ...body, sepId];
  return { ids, segments: ids.map(() => 0) };
}

/**
 * A 32-bit seed from several integers (an FNV-1a-style mix of their 32-bit
 * words), so a sequence identified by (run seed, document, sentence, ...)
 * gets the same "static" mask every time it is drawn.
 */
export function mixSeed(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) {
    if (!Number.isInteger(v)) throw new RangeError(`mixSeed: values must be integers, got ${v}`);
    for (const word of [v >>> 0, Math.floor(v / 2 ** 32) >>> 0]) {
      for (let shift = 0; shift < 32; shift += 8) {
        h ^= (word >>> shift) & 0xff;
        h = Math.imul(h, 0x01000193);
      }
    }
  }
  return h >>> 0;
}
