// The offline promise, as one flow that two specs run: against the root build
// (offline.spec.ts) and against a GitHub Pages style sub-path build
// (offline-subpath.spec.ts). Relative URLs, so it runs under any base.
import type { BrowserContext, Page } from '@playwright/test';
import { expect, waitForStep } from './fixtures';

const SMALL = 'layers=1&width=32&batch=4&backend=wasm';

/**
 * Visits the decoder-only page once (the service worker installs and takes
 * control), goes offline, reloads, opens a section whose chunk that visit never
 * loaded, and trains it from the cached corpus and wasm binaries.
 */
export async function trainsOfflineAfterOneVisit(page: Page, context: BrowserContext): Promise<void> {
  await page.goto(`./#/objectives/decoder-only?${SMALL}`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  const trainer = page.getByTestId('trainer').first();
  await expect(trainer.getByTestId('trainer-backend')).toHaveText('wasm', { timeout: 60_000 });

  await context.setOffline(true);
  try {
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Decoder-only');
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    await page.goto(`./#/optimization/learning-rates?${SMALL}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Learning rates: warmup');
    const race = page.getByTestId('trainer').first();
    await expect(race.getByTestId('trainer-backend')).toHaveText('wasm', { timeout: 60_000 });
    await race.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, 3, 90_000, race);
  } finally {
    await context.setOffline(false);
  }
}
