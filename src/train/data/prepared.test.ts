import { beforeEach, describe, expect, it } from 'vitest';
import { forgetPrepared, preparedOnce } from './prepared';

describe('preparedOnce', () => {
  beforeEach(forgetPrepared);

  it('prepares a key once and hands every later caller the same data', async () => {
    let calls = 0;
    const make = async () => ({ n: ++calls });
    const a = preparedOnce('k', make);
    const b = preparedOnce('k', make);
    expect(await a).toBe(await b);
    expect(calls).toBe(1);
    expect(await preparedOnce('other', make)).toEqual({ n: 2 });
  });

  it('keeps the two most recently used keys', async () => {
    let calls = 0;
    const make = async () => ++calls;
    await preparedOnce('a', make); // 1
    await preparedOnce('b', make); // 2
    await preparedOnce('a', make); // kept; 'a' is now the most recent
    await preparedOnce('c', make); // 3, evicts 'b'
    expect(calls).toBe(3);
    expect(await preparedOnce('a', make)).toBe(1);
    expect(await preparedOnce('b', make)).toBe(4);
  });

  it('forgets a failed preparation, so the next caller tries again', async () => {
    await expect(preparedOnce('k', async () => Promise.reject(new Error('offline')))).rejects.toThrow('offline');
    await Promise.resolve();
    expect(await preparedOnce('k', async () => 'ok')).toBe('ok');
  });
});
