// The notebook's own wasm kernels and their fallbacks in the browser. Headless
// Chromium has relaxed SIMD, so `?kernels=simd` and `?kernels=off` force the
// other two builds: each must say so in the backend badge and train the same
// run to the same losses (the builds differ only in rounding: a fused
// multiply-add, and tfjs's own ops summing in other orders).
import { expect, lossesAfterSteps, test } from './fixtures';

const RUN = 'backend=wasm&seed=3&layers=1&width=32&ctx=32&batch=4';

async function trainWithCap(page: import('@playwright/test').Page, cap: string | null, steps: number) {
  const losses = (
    await lossesAfterSteps(page, `./${cap ? `?kernels=${cap}` : ''}#/objectives/decoder-only?${RUN}`, steps)
  ).map(Number);
  await page.getByRole('button', { name: /Compute backend/ }).click();
  const kernels = page.getByTestId('backend-kernels');
  return { losses, level: await kernels.getAttribute('data-level'), text: await kernels.textContent() };
}

test('each kernel build says which it is and trains the run to the same losses', async ({ page }) => {
  test.setTimeout(180_000);
  const best = await trainWithCap(page, null, 3);
  expect(best.level).toBe('relaxed');
  expect(best.text).toContain('relaxed SIMD');
  for (const cap of ['simd', 'off'] as const) {
    const forced = await trainWithCap(page, cap, 3);
    expect(forced.level).toBe(cap);
    expect(forced.text).toContain(`capped by ?kernels=${cap}`);
    // The card shows 4 decimals; the builds agree far closer than that.
    forced.losses.forEach((loss, i) => expect(Math.abs(loss - best.losses[i])).toBeLessThanOrEqual(1e-4));
    expect(forced.losses.every(Number.isFinite)).toBe(true);
  }
});
