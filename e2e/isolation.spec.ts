// Two threads for the kernels, and each way to one thread. The preview
// server sends COOP/COEP, so the page is cross-origin isolated and the big
// kernels split between the trainer and a helper thread; `?threads=1`
// keeps them on one and must train the same run to the very same losses
// (the split computes each element with the same code). A static host that
// sends no headers (scripts/staticHost.mjs, standing in for GitHub Pages)
// gives one thread, until the service worker, which adds the two headers to
// what it serves, controls the page: from the next load on, two again.
import type { Page } from '@playwright/test';
import { withStaticHost } from '../scripts/staticHost.mjs';
import { expect, lossesAfterSteps, test, waitForStep } from './fixtures';

const RUN = 'backend=wasm&seed=3&layers=1&width=64&ctx=64&batch=16';
const STATIC_PORT = Number(process.env.E2E_PORT ?? 4173) + 9;
const DIST = process.env.E2E_DIST ?? 'dist';

async function badge(page: Page) {
  await page.getByRole('button', { name: /Compute backend/ }).click();
  const kernels = page.getByTestId('backend-kernels');
  await expect(kernels).toBeVisible({ timeout: 60_000 });
  return { threads: await kernels.getAttribute('data-threads'), text: (await kernels.textContent()) ?? '' };
}

test('isolated: the kernels run on two threads, and ?threads=1 trains the same losses on one', async ({ page }) => {
  test.setTimeout(180_000);
  const two = await lossesAfterSteps(page, `./#/objectives/decoder-only?${RUN}`, 4);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const both = await badge(page);
  expect(both.threads).toBe('2');
  expect(both.text).toContain('; 2 threads.');

  const one = await lossesAfterSteps(page, `./?threads=1#/objectives/decoder-only?${RUN}`, 4);
  const capped = await badge(page);
  expect(capped.threads).toBe('1');
  expect(capped.text).toContain('1 thread (capped by ?threads=1)');
  expect(one).toEqual(two);
  expect(two.map(Number).every(Number.isFinite)).toBe(true);
});

test.describe('a static host without isolation headers', () => {
  test.use({ baseURL: `http://127.0.0.1:${STATIC_PORT}/` });

  test('without the service worker: one thread, and it trains', async ({ browser }) => {
    test.setTimeout(180_000);
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    // This page is not the fixtures' one: its console errors are collected here.
    const errors: string[] = [];
    page.on('console', (msg) => void (msg.type() === 'error' && errors.push(msg.text())));
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    await withStaticHost(
      STATIC_PORT,
      async (base) => {
        const seen = await lossesAfterSteps(page, `${base}#/objectives/decoder-only?${RUN}`, 2);
        expect(seen.map(Number).every(Number.isFinite)).toBe(true);
        expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
        const one = await badge(page);
        expect(one.threads).toBe('1');
        expect(one.text).toContain('1 thread (the page is not cross-origin isolated)');
      },
      DIST,
    );
    await context.close();
    expect(errors, 'console errors').toEqual([]);
  });

  test('with the service worker: isolated from the next load on, two threads', async ({ page }) => {
    test.setTimeout(240_000);
    await withStaticHost(
      STATIC_PORT,
      async (base) => {
        await page.goto(`${base}#/objectives/decoder-only?${RUN}`);
        expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
        // The service worker registers as the page loads and claims it once installed.
        await page.evaluate(() => navigator.serviceWorker.ready);
        await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
        await page.reload();
        expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
        const trainer = page.getByTestId('trainer').first();
        await trainer.getByRole('button', { name: 'Train', exact: true }).click();
        await waitForStep(page, 3, 90_000, trainer);
        const two = await badge(page);
        expect(two.threads).toBe('2');
      },
      DIST,
    );
  });
});
