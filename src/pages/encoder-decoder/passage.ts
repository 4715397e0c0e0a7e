// A passage the user types, turned into the ids the noising functions need:
// sentences of word ids over the passage's own vocabulary, plus a mask id and
// sentinels. Display only; the trainer tokenizes its corpus in the worker.
import { sentinelName, type ObjectiveIds } from '../../core';

export const MASK = '[MASK]';
const MAX_SENTINELS = 64;

export interface Passage {
  /** Sentences of token ids. */
  doc: number[][];
  /** Surface string of each id. */
  vocab: string[];
  ids: ObjectiveIds;
}

/**
 * A length limit for a demo's text field, checked before the text is split:
 * room for the words the demo draws, not for a pasted book or a
 * 100,000-letter "word" that would render as one endless line. The message
 * names the field (`what`), or null when the text fits.
 */
export function lengthProblem(text: string, maxChars: number, what: string): string | null {
  const n = [...text].length;
  return n > maxChars
    ? `Keep the ${what} under ${maxChars.toLocaleString('en-US')} characters (it has ${n.toLocaleString('en-US')}).`
    : null;
}

/** Sentences (split after . ! ?) of words and punctuation. */
export function splitPassage(text: string): string[][] {
  const sentences = text.match(/[^.!?]+[.!?]*/g) ?? [];
  return sentences.map((s) => s.match(/[\p{L}\p{N}'’-]+|[^\s\p{L}\p{N}]/gu) ?? []).filter((s) => s.length > 0);
}

export function buildPassage(text: string): Passage {
  const sentences = splitPassage(text);
  const vocab: string[] = [MASK];
  const sentinelIds = Array.from({ length: MAX_SENTINELS }, (_, i) => vocab.push(sentinelName(i)) - 1);
  const index = new Map<string, number>();
  const doc = sentences.map((s) =>
    s.map((w) => {
      let id = index.get(w);
      if (id === undefined) {
        id = vocab.push(w) - 1;
        index.set(w, id);
      }
      return id;
    }),
  );
  return { doc, vocab, ids: { maskId: 0, sentinelIds, vocabSize: vocab.length } };
}
