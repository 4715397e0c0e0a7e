import type { Rng } from '../rng';
import { checkRate } from './validate';

/**
 * Independent coin per position: true (corrupt) with probability `rate`.
 * Always draws exactly one rng() per position, so a seed fixes the mask
 * whatever the rate, and moving a rate slider changes the mask monotonically.
 */
export function iidNoiseMask(length: number, rate: number, rng: Rng): boolean[] {
  checkRate('iidNoiseMask', 'rate', rate);
  if (!(Number.isInteger(length) && length >= 0)) {
    throw new RangeError(`iidNoiseMask: length must be a non-negative integer, got ${length}`);
  }
  return Array.from({ length }, () => rng() < rate);
}
