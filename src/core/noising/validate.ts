/** Argument checks shared by the noising functions; each throws a RangeError naming the caller. */

export function checkRate(fn: string, name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) {
    throw new RangeError(`${fn}: ${name} must be in [0, 1], got ${value}`);
  }
}

export function checkId(fn: string, name: string, value: number): void {
  if (!Number.isInteger(value)) {
    throw new RangeError(`${fn}: ${name} must be an integer token id, got ${value}`);
  }
}

/**
 * Sentinels must be distinct integers that never occur in the text:
 * otherwise a target such as [s0, 5, s1] could not be read back unambiguously.
 */
export function checkSentinels(fn: string, tokens: readonly number[], sentinelIds: readonly number[]): void {
  const seen = new Set<number>();
  for (const id of sentinelIds) {
    checkId(fn, 'each sentinel id', id);
    if (seen.has(id)) throw new RangeError(`${fn}: sentinel id ${id} is listed twice`);
    seen.add(id);
  }
  const clash = tokens.find((t) => seen.has(t));
  if (clash !== undefined) {
    throw new RangeError(`${fn}: token ${clash} is also a sentinel id; sentinels must not occur in the text`);
  }
}
