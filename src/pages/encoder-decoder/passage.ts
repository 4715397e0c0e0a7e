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
