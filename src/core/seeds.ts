// Every random stream a run draws from, derived from its one seed (the seed in
// the shareable link) by one function, so two uses never share draws by
// accident and a stream's derivation is written down once.
import { mixSeed } from './fullSentences';

/**
 * The named streams. Training (worker):
 *   init        weight initialisation (every arm of a run draws the same)
 *   data        the order of training batches, sentence pairs or passages
 *   noise       dynamic masking and denoising noise during training
 *   eval        which held-out sequences the evaluation uses
 *   evalNoise   the masking or noise of those held-out sequences
 *   staticMask  BERT's static mask of one sequence, keyed by where it came from
 * Demos on the page (main thread), keyed by a redraw counter:
 *   sample      text sampled from the model, keyed by the step it was sampled at
 *   maskDraw    one draw of the masking function's demo
 *   maskStats   one round of the masking statistics demo
 *   noiseDraw   one draw of the noising demo
 */
export type SeedStream =
  'init' | 'data' | 'noise' | 'eval' | 'evalNoise' | 'staticMask' | 'sample' | 'maskDraw' | 'maskStats' | 'noiseDraw';

/** XOR masks of the run's streams: the leading hex digits of pi, so no stream equals another or the seed itself. */
const MASKS = { init: 0x243f6a88, data: 0x85a308d3, noise: 0x3707344a, eval: 0x13198a2e } as const;

/** Multipliers of the demos' streams: seed * m + key keeps consecutive redraws and seeds apart. */
const MULTIPLIERS = { sample: 1_000_003, maskDraw: 7919, maskStats: 104729, noiseDraw: 65537 } as const;

/**
 * The seed of `stream` for a run seeded `seed`; `keys` tell apart the draws
 * of one stream (a sequence's document and sentence for staticMask, the step
 * or redraw counter for the demos). Pass it to makeRng.
 */
export function seedFor(seed: number, stream: SeedStream, ...keys: number[]): number {
  switch (stream) {
    case 'init':
    case 'data':
    case 'noise':
    case 'eval':
      return seed ^ MASKS[stream];
    case 'evalNoise':
      return seed ^ MASKS.eval ^ MASKS.noise;
    case 'staticMask':
      return mixSeed(seed, ...keys);
    case 'sample':
      return (seed * MULTIPLIERS.sample + (keys[0] ?? 0)) >>> 0;
    case 'maskDraw':
    case 'maskStats':
    case 'noiseDraw':
      return seed * MULTIPLIERS[stream] + (keys[0] ?? 0);
  }
}
