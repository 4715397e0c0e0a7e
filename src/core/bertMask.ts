/**
 * BERT's masked-language-model noising: pick 15% of positions; of those, 80%
 * become [MASK], 10% a random token, 10% stay unchanged. The random and kept
 * tokens mean the model cannot learn "only [MASK] positions matter", which
 * would not transfer to test time, when no [MASK] appears.
 */

import { randomInt, type Rng } from './rng';

export type BertMaskKind = 'mask' | 'random' | 'keep';

export interface BertMaskOptions {
  maskId: number;
  vocabSize: number;
  rng: Rng;
  /** Fraction of eligible positions selected for prediction (default 0.15). */
  selectRate?: number;
  /** Of the selected, probability of replacing with maskId (default 0.8). */
  maskProb?: number;
  /** Of the selected, probability of replacing with a random token (default 0.1). */
  randomProb?: number;
  /** Ids never selected and never drawn as random replacements (e.g. [CLS], [SEP], [PAD]). */
  protectedIds?: ReadonlySet<number>;
}

export interface BertMaskResult {
  /** The noised sequence fed to the encoder. */
  input: number[];
  /** Original token at selected positions, null elsewhere (no loss there). */
  targets: (number | null)[];
  /** What happened at each position; null where not selected. */
  kinds: (BertMaskKind | null)[];
}

/**
 * Number of positions selected out of `eligible`: round(selectRate * eligible),
 * but at least 1 when eligible > 0 and selectRate > 0 (a short sentence must
 * still yield a training signal).
 */
export function bertSelectCount(eligible: number, selectRate: number): number {
  if (eligible === 0 || selectRate === 0) return 0;
  return Math.min(eligible, Math.max(1, Math.round(selectRate * eligible)));
}

function checkProb(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`bertMask: ${name} must be in [0, 1], got ${p}`);
}

/**
 * Applies BERT's masking function to `tokens`.
 *
 * Selection: exactly bertSelectCount(eligible, selectRate) positions, drawn
 * uniformly without replacement among non-protected positions by a partial
 * Fisher-Yates shuffle. A fixed count (instead of an independent coin per
 * token) keeps the number of loss terms stable across batches, and matches
 * the lecture's "a random 15% of the positions".
 *
 * Each selected position then draws one u = rng(): u < maskProb -> maskId;
 * u < maskProb + randomProb -> a token drawn uniformly from the vocabulary
 * minus maskId and protected ids (it may equal the original, as in BERT);
 * otherwise the token is kept.
 */
export function bertMask(tokens: readonly number[], opts: BertMaskOptions): BertMaskResult {
  const { maskId, vocabSize, rng } = opts;
  const selectRate = opts.selectRate ?? 0.15;
  const maskProb = opts.maskProb ?? 0.8;
  const randomProb = opts.randomProb ?? 0.1;
  const protectedIds = opts.protectedIds ?? new Set<number>();
  checkProb('selectRate', selectRate);
  checkProb('maskProb', maskProb);
  checkProb('randomProb', randomProb);
  if (maskProb + randomProb > 1 + 1e-12) {
    throw new RangeError(`bertMask: maskProb + randomProb must be <= 1, got ${maskProb + randomProb}`);
  }

  // Random replacements come from here; built only when needed.
  let replacementIds: number[] | null = null;
  const drawReplacement = (): number => {
    if (replacementIds === null) {
      replacementIds = [];
      for (let id = 0; id < vocabSize; id++) {
        if (id !== maskId && !protectedIds.has(id)) replacementIds.push(id);
      }
      if (replacementIds.length === 0) {
        throw new Error('bertMask: no vocabulary id is available for random replacement');
      }
    }
    return replacementIds[randomInt(rng, replacementIds.length)];
  };

  const eligible: number[] = [];
  tokens.forEach((t, i) => {
    if (!protectedIds.has(t)) eligible.push(i);
  });
  const count = bertSelectCount(eligible.length, selectRate);
  // Partial Fisher-Yates: after k swaps, eligible[0..k) is a uniform k-subset.
  for (let k = 0; k < count; k++) {
    const j = k + randomInt(rng, eligible.length - k);
    const tmp = eligible[k];
    eligible[k] = eligible[j];
    eligible[j] = tmp;
  }
  // Decide kinds in position order, so a seeded example can be traced by hand.
  const selected = eligible.slice(0, count).sort((a, b) => a - b);

  const input = tokens.slice();
  const targets: (number | null)[] = new Array<number | null>(tokens.length).fill(null);
  const kinds: (BertMaskKind | null)[] = new Array<BertMaskKind | null>(tokens.length).fill(null);
  for (const i of selected) {
    targets[i] = tokens[i];
    const u = rng();
    if (u < maskProb) {
      input[i] = maskId;
      kinds[i] = 'mask';
    } else if (u < maskProb + randomProb) {
      input[i] = drawReplacement();
      kinds[i] = 'random';
    } else {
      kinds[i] = 'keep';
    }
  }
  return { input, targets, kinds };
}
