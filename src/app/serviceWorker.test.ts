import { describe, expect, it } from 'vitest';
import { whenSettled } from './serviceWorker';

/** A timer that fires only when told to. */
function manualTimer() {
  const pending: { fn: () => void; ms: number }[] = [];
  return { pending, timer: (fn: () => void, ms: number) => pending.push({ fn, ms }) };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('whenSettled', () => {
  it('resolves when the first work is done, before the longest wait', async () => {
    const { pending, timer } = manualTimer();
    let done: () => void = () => {};
    let settled = false;
    void whenSettled(new Promise<void>((r) => (done = r)), 5000, timer).then(() => (settled = true));
    await flush();
    expect(settled).toBe(false);
    expect(pending.map((p) => p.ms)).toEqual([5000]);
    done();
    await flush();
    expect(settled).toBe(true);
  });

  it('resolves after the longest wait when the work never ends, and when it fails', async () => {
    const { pending, timer } = manualTimer();
    let settled = false;
    void whenSettled(new Promise<void>(() => {}), 5000, timer).then(() => (settled = true));
    await flush();
    expect(settled).toBe(false);
    pending[0].fn();
    await flush();
    expect(settled).toBe(true);
    await expect(whenSettled(Promise.reject(new Error('refused')), 5000, () => 0)).resolves.toBeUndefined();
  });
});
