/**
 * Test-only (not exported from index.ts): every property a NoisingResult
 * promises, checked independently of the code that built it. Returns the
 * list of violations, empty when the result is sound, so tests can run it
 * in loops of thousands and assert once.
 */

import type { NoisedToken, NoisingResult } from './types';

export interface ProvenanceExpectations {
  /** The transformation keeps order: sources and covers, read along the input, strictly increase. */
  ordered?: boolean;
}

function checkTokens(
  name: string,
  tokens: readonly NoisedToken[],
  ids: readonly number[],
  original: readonly number[],
  problems: string[],
): void {
  if (tokens.length !== ids.length) problems.push(`${name}: ${ids.length} ids but ${tokens.length} tokens`);
  tokens.forEach((t, k) => {
    if (t.id !== ids[k]) problems.push(`${name}[${k}]: id ${ids[k]} but token says ${t.id}`);
    const inRange = (j: number) => Number.isInteger(j) && j >= 0 && j < original.length;
    if (t.source !== null) {
      if (!inRange(t.source)) problems.push(`${name}[${k}]: source ${t.source} out of range`);
      if (t.covers !== undefined) problems.push(`${name}[${k}]: has both source and covers`);
      if ((t.kind === 'kept' || t.kind === 'moved') && t.id !== original[t.source]) {
        problems.push(`${name}[${k}]: ${t.kind} token ${t.id} differs from original ${original[t.source]}`);
      }
      if (t.kind === 'sentinel') problems.push(`${name}[${k}]: sentinel with a source`);
    } else {
      if (t.kind !== 'mask' && t.kind !== 'sentinel') problems.push(`${name}[${k}]: ${t.kind} token without a source`);
      for (const j of t.covers ?? []) if (!inRange(j)) problems.push(`${name}[${k}]: covers ${j} out of range`);
    }
  });
}

export function provenanceProblems(
  result: NoisingResult,
  original: readonly number[],
  expect: ProvenanceExpectations = {},
): string[] {
  const problems: string[] = [];
  const n = original.length;
  if (result.sourceLength !== n) problems.push(`sourceLength ${result.sourceLength} != ${n}`);
  checkTokens('input', result.inputTokens, result.input, original, problems);
  checkTokens('target', result.targetTokens, result.target, original, problems);

  // Every original index: the source of exactly one input token, or listed in removed, exactly once.
  const seen = new Array<number>(n).fill(0);
  for (const t of result.inputTokens) if (t.source !== null) seen[t.source] += 1;
  for (const j of result.removed) seen[j] = (seen[j] ?? 0) + 1;
  seen.forEach((count, j) => {
    if (count !== 1) problems.push(`original index ${j} accounted for ${count} times`);
  });
  for (let r = 1; r < result.removed.length; r++) {
    if (result.removed[r] <= result.removed[r - 1]) problems.push('removed is not strictly ascending');
  }

  // Tokens folded into span masks or sentinels are removed, and each belongs to one span only.
  const removed = new Set(result.removed);
  const covered = new Set<number>();
  for (const t of result.inputTokens) {
    for (const j of t.covers ?? []) {
      if (!removed.has(j)) problems.push(`covered index ${j} is not listed as removed`);
      if (covered.has(j)) problems.push(`index ${j} covered twice`);
      covered.add(j);
    }
  }

  if (expect.ordered) {
    let last = -1;
    for (const t of result.inputTokens) {
      for (const j of t.source !== null ? [t.source] : (t.covers ?? [])) {
        if (j <= last) problems.push(`order broken at original index ${j} after ${last}`);
        last = j;
      }
    }
  }
  return problems;
}

/** Recursively freezes arrays, so a function that mutates its input throws (ES modules run in strict mode). */
export function deepFreeze<T>(value: T): T {
  if (Array.isArray(value)) {
    value.forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
