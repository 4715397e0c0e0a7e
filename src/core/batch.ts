/**
 * Random training windows for next-token prediction.
 */

import { randomInt, type Rng } from './rng';

export interface Batch {
  /** Token ids, row-major [batchSize, contextLength]. */
  inputs: Int32Array;
  /** The same windows shifted one token right: targets[b, t] = inputs[b, t + 1] within the text. */
  targets: Int32Array;
}

/**
 * Samples `batchSize` windows of `contextLength + 1` consecutive tokens at
 * uniformly random start offsets (with replacement, as nanoGPT's get_batch),
 * split into inputs (first contextLength) and targets (last contextLength).
 */
export function sampleBatch(
  ids: Int32Array | readonly number[],
  batchSize: number,
  contextLength: number,
  rng: Rng,
): Batch {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`sampleBatch: batchSize must be a positive integer, got ${batchSize}`);
  }
  if (!Number.isInteger(contextLength) || contextLength < 1) {
    throw new RangeError(`sampleBatch: contextLength must be a positive integer, got ${contextLength}`);
  }
  if (ids.length < contextLength + 1) {
    throw new RangeError(
      `sampleBatch: the text has ${ids.length} tokens but a window needs contextLength + 1 = ${contextLength + 1}`,
    );
  }
  const numStarts = ids.length - contextLength; // valid starts: 0 .. length - contextLength - 1
  const inputs = new Int32Array(batchSize * contextLength); // [B, T]
  const targets = new Int32Array(batchSize * contextLength); // [B, T]
  for (let b = 0; b < batchSize; b++) {
    const start = randomInt(rng, numStarts);
    for (let t = 0; t < contextLength; t++) {
      inputs[b * contextLength + t] = ids[start + t];
      targets[b * contextLength + t] = ids[start + t + 1];
    }
  }
  return { inputs, targets };
}
