/**
 * Seeded pseudo-random numbers. Every random function in core takes an `rng`
 * argument instead of calling Math.random, so any run can be replayed from
 * its seed (and tests are deterministic).
 */

/** A source of uniform random numbers in [0, 1). */
export type Rng = () => number;

const TWO_32 = 4294967296;

/**
 * splitmix32: a bijective 32-bit mixer. Used only to expand a seed into
 * sfc32's state, so that nearby seeds (0, 1, 2, ...) start far apart.
 */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/**
 * Returns a deterministic generator of uniform numbers in [0, 1).
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting RNG; passes
 * PractRand, period >= 2^32 thanks to its counter), chosen over mulberry32,
 * which cannot emit about a third of all 32-bit values. Each value carries 32
 * random bits: ample for sampling from vocabularies and batches.
 *
 * `seed` may be any integer, negative or above 2^32: the low 32 bits and the
 * high bits enter separate state words, so distinct safe integers give
 * distinct initial states.
 */
export function makeRng(seed: number): Rng {
  if (!Number.isInteger(seed)) {
    throw new RangeError(`makeRng: seed must be an integer, got ${seed}`);
  }
  const lo = seed >>> 0; // ToUint32 is reduction mod 2^32, exact for any integer
  const hi = Math.floor(seed / TWO_32) | 0;
  const sm = { s: lo };
  let a = splitmix32(sm);
  let b = splitmix32(sm);
  // splitmix32's output is a bijection of its state, so xoring a mixed `hi`
  // into c keeps (lo, hi) -> (a, b, c) injective.
  let c = (splitmix32(sm) ^ splitmix32({ s: hi ^ 0x5bd1e995 })) >>> 0;
  let counter = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + counter) | 0;
    counter = (counter + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // The reference seeding discards the first outputs so the state is mixed.
  for (let i = 0; i < 15; i++) next();
  return () => next() / TWO_32;
}

/**
 * A uniform integer in [0, n). The modulo-free floor(u * n) has a bias of at
 * most n / 2^32, negligible for vocabulary and sequence sizes used here.
 */
export function randomInt(rng: Rng, n: number): number {
  if (!Number.isInteger(n) || n <= 0) {
    throw new RangeError(`randomInt: n must be a positive integer, got ${n}`);
  }
  return Math.floor(rng() * n);
}

/** Shuffles `items` in place (Fisher-Yates) and returns it. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}
