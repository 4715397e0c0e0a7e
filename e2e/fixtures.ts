// Every end-to-end test runs with two watchers: nothing may be logged to the
// console as an error, and no request may leave the app's own origin.
import { test as base, expect, type Locator, type Page } from '@playwright/test';

export const test = base.extend<{ consoleErrors: string[]; foreignRequests: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      await use(errors);
      expect(errors, 'console errors').toEqual([]);
    },
    { auto: true },
  ],
  foreignRequests: [
    async ({ page, baseURL }, use) => {
      const origin = new URL(baseURL!).origin;
      const foreign: string[] = [];
      page.on('request', (req) => {
        const url = req.url();
        if (url.startsWith('data:') || url.startsWith('blob:')) return;
        if (new URL(url).origin !== origin) foreign.push(url);
      });
      await use(foreign);
      expect(foreign, 'requests to other origins').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export async function readNumber(
  page: Page,
  testId: string,
  scope = page.getByTestId('trainer').first(),
): Promise<number> {
  const text = (await scope.getByTestId(testId).textContent()) ?? '';
  return Number(text.trim());
}

/** Waits until the trainer's step counter reaches at least `steps`. */
export async function waitForStep(
  page: Page,
  steps: number,
  timeout = 90_000,
  trainer: Locator = page.getByTestId('trainer').first(),
) {
  await expect
    .poll(async () => Number((await trainer.getByTestId('trainer-step').textContent()) ?? 0), { timeout })
    .toBeGreaterThanOrEqual(steps);
}

/**
 * The worker's tensor count once it has settled: a sample or score still in
 * flight holds a tensor or two for a moment, so wait for two equal readings of
 * the readout (it polls every 2 s).
 */
export async function settledTensorCount(page: Page, scope: Locator | Page = page): Promise<number> {
  const read = async () => Number(await scope.getByTestId('worker-tensors').textContent());
  let previous = -1;
  for (let i = 0; i < 10; i++) {
    await page.waitForTimeout(2100);
    const now = await read();
    if (now === previous) return now;
    previous = now;
  }
  throw new Error('the worker tensor count never settled');
}

/** Scrolls through the page, then back to the top, so that parts mounted on sight are drawn too. */
export async function scrollThrough(page: Page) {
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += 500) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 50));
    }
    window.scrollTo(0, 0);
  });
}

/** Opens `url`, presses the first trainer's Step `steps` times and returns the loss shown after each (as text). */
export async function lossesAfterSteps(page: Page, url: string, steps: number): Promise<string[]> {
  await page.goto(url);
  const trainer = page.getByTestId('trainer').first();
  const step = trainer.getByRole('button', { name: 'Step', exact: true });
  const losses: string[] = [];
  for (let i = 1; i <= steps; i++) {
    await expect(step).toBeEnabled({ timeout: 60_000 });
    await step.click();
    await waitForStep(page, i, 60_000, trainer);
    losses.push((await trainer.getByTestId('trainer-loss').textContent()) ?? '');
  }
  return losses;
}
