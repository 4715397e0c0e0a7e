import { describe, expect, it } from 'vitest';
import { forcedWorkers, MAX_FORCED_WORKERS } from './trainerFleet';

describe('forcedWorkers (?workers=N)', () => {
  it('reads a whole number from 1 to the most allowed', () => {
    expect(forcedWorkers('?workers=2')).toBe(2);
    expect(forcedWorkers('?kernels=simd&workers=1')).toBe(1);
    expect(forcedWorkers(`?workers=${MAX_FORCED_WORKERS}`)).toBe(MAX_FORCED_WORKERS);
  });
  it('ignores anything else: the core count decides', () => {
    for (const search of [
      '',
      '?workers=',
      '?workers=0',
      '?workers=-1',
      '?workers=1.5',
      '?workers=abc',
      `?workers=${MAX_FORCED_WORKERS + 1}`,
    ])
      expect(forcedWorkers(search)).toBeUndefined();
  });
});
