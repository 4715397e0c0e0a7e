import { describe, expect, it } from 'vitest';
import { ofGeneration, shouldAsk } from './useLiveQuery';

describe('useLiveQuery', () => {
  const base = { enabled: true, inFlight: false, key: '2:5:x', answered: '2:4:x', failed: null };
  it('asks for a new key when enabled and nothing is in flight', () => {
    expect(shouldAsk(base)).toBe(true);
    expect(shouldAsk({ ...base, enabled: false })).toBe(false);
    expect(shouldAsk({ ...base, inFlight: true })).toBe(false);
    expect(shouldAsk({ ...base, answered: '2:5:x' })).toBe(false);
  });
  it('a failed key is not asked again at once; the next key is', () => {
    expect(shouldAsk({ ...base, failed: '2:5:x' })).toBe(false);
    expect(shouldAsk({ ...base, failed: '2:5:x', key: '2:6:x' })).toBe(true);
  });
  it("only the current generation's answer and error are shown", () => {
    const r = { value: 'old', key: '3:113:x', error: { key: '3:113:x', message: 'Cancelled' } };
    expect(ofGeneration(r, 4)).toEqual({ value: null, key: null, error: null });
    expect(ofGeneration(r, 3)).toEqual({ value: 'old', key: '3:113:x', error: 'Cancelled' });
    // "1:" is not a prefix of "11:".
    expect(ofGeneration({ value: 1, key: '11:0', error: null }, 1).value).toBeNull();
  });
});
