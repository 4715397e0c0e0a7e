// The vocabulary of the masking-function demo: shared by MaskingFunction (one
// draw) and MaskSampler (many draws).

/** The lecture's toy sentences' words: the vocabulary random replacements come from, with the user's words. */
const TOY_WORDS =
  'the mouse ate cheese it was full all animals breathe cats hello world cat dog bone small old happy are dogs sat on mat ran in park bird seed'.split(
    ' ',
  );
export const MASK_TOKEN = '[MASK]';

export interface MaskDemoVocab {
  words: string[];
  ids: number[];
  maskId: number;
}

/** Word ids for a sentence over TOY_WORDS plus its own words; [MASK] is id 0 and never a random replacement. */
export function maskDemoVocab(tokens: readonly string[]): MaskDemoVocab {
  const words = [MASK_TOKEN, ...new Set([...TOY_WORDS, ...tokens.map((t) => t.toLowerCase())])];
  const index = new Map(words.map((w, i) => [w, i]));
  return { words, ids: tokens.map((t) => index.get(t.toLowerCase())!), maskId: 0 };
}
