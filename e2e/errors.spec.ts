// Error boundaries in the browser: a page chunk that no longer exists (a
// redeploy), one that cannot load offline, a section and a demo that throw
// while rendering (through the test hook window.__notebookFaults, see
// src/components/ErrorBoundary.tsx). Each shows what failed in place, and the
// rest of the notebook keeps working. Without the boundaries the whole app
// went blank and stayed blank on every later navigation.
//
// These tests provoke errors on purpose, so they do not use fixtures.ts's
// "no console errors" watcher (React logs each caught error, Chromium each
// blocked request); they check instead that nothing went uncaught.
import { expect, test, type Page } from '@playwright/test';

// Chunks fail here through page.route and setOffline: the service worker (src/sw.js) would serve
// them from its cache, and page.route does not see what a service worker fetches.
test.use({ serviceWorkers: 'block' });

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const failure = (page: Page) => page.getByTestId('boundary-failure');
const nav = (page: Page) => page.getByRole('navigation', { name: 'Lecture sections' });

/** Uncaught errors (pageerror) during the test: there must be none, the boundaries catch them. */
function watchUncaught(page: Page): string[] {
  const uncaught: string[] = [];
  page.on('pageerror', (e) => uncaught.push(e.message));
  return uncaught;
}

test('a page chunk missing after a redeploy says a newer version is available; other sections still open', async ({
  page,
}) => {
  const uncaught = watchUncaught(page);
  await page.route('**/assets/DecoderOnlyPage-*.js', (route) => route.abort());
  await page.goto('./#/');
  await expect(h1(page)).toContainText('Training large language models');
  await nav(page).getByRole('link', { name: 'Decoder-only (GPT)' }).click();
  await expect(failure(page)).toHaveAttribute('data-kind', 'stale');
  await expect(failure(page)).toContainText('A newer version of the notebook is available — reload');
  await expect(failure(page).getByRole('button', { name: 'Reload', exact: true })).toBeVisible();
  // The section's title stays, and the sidebar still works.
  await expect(h1(page)).toHaveText('Decoder-only (GPT)');
  await nav(page).getByRole('link', { name: 'SGD and Adam' }).click();
  await expect(h1(page)).toHaveText('SGD and Adam');
  await expect(failure(page)).toHaveCount(0);
  await expect(page.getByTestId('trainer').first()).toBeVisible();
  // The reload button reloads the notebook; with the chunk back, the section opens.
  await nav(page).getByRole('link', { name: 'Decoder-only (GPT)' }).click();
  await page.unroute('**/assets/DecoderOnlyPage-*.js');
  await failure(page).getByRole('button', { name: 'Reload', exact: true }).click();
  await expect(h1(page)).toHaveText('Decoder-only models: predict the next token');
  expect(uncaught).toEqual([]);
});

test('opening a section not yet loaded while offline says so, and Try again loads it once back online', async ({
  page,
  context,
}) => {
  const uncaught = watchUncaught(page);
  await page.goto('./#/');
  await expect(h1(page)).toContainText('Training large language models');
  await context.setOffline(true);
  await nav(page).getByRole('link', { name: 'Learning rates' }).click();
  await expect(failure(page)).toHaveAttribute('data-kind', 'offline');
  await expect(failure(page)).toContainText('You are offline, and the section “Learning rates” has not been loaded');
  await expect(h1(page)).toHaveText('Learning rates');
  await context.setOffline(false);
  await failure(page).getByRole('button', { name: 'Try again' }).click();
  await expect(h1(page)).toHaveText('Learning rates: warmup and decay');
  await expect(failure(page)).toHaveCount(0);
  expect(uncaught).toEqual([]);
});

test('a section that throws while rendering shows what failed; the next section, and the same one later, work', async ({
  page,
}) => {
  const uncaught = watchUncaught(page);
  await page.addInitScript(() => {
    (window as { __notebookFaults?: string[] }).__notebookFaults = ['Memory'];
  });
  await page.goto('./#/optimization/memory');
  await expect(failure(page)).toContainText('The section “Memory” stopped with an error: test fault in “Memory”');
  await expect(h1(page)).toHaveText('Memory');
  await nav(page).getByRole('link', { name: 'Mixed precision' }).click();
  await expect(h1(page)).toHaveText('Mixed-precision training');
  await expect(failure(page)).toHaveCount(0);
  // Fixed (the hook cleared), the section opens again on the next visit without a reload.
  await page.evaluate(() => ((window as { __notebookFaults?: string[] }).__notebookFaults = []));
  await nav(page).getByRole('link', { name: 'Memory' }).click();
  await expect(h1(page)).toHaveText('Memory: what training keeps for every parameter');
  expect(uncaught).toEqual([]);
});

test('a demo that throws is replaced by what failed and "Reload this demo"; the page around it works', async ({
  page,
}) => {
  const uncaught = watchUncaught(page);
  await page.addInitScript(() => {
    (window as { __notebookFaults?: string[] }).__notebookFaults = ['Train a tiny GPT'];
  });
  await page.goto('./#/objectives/decoder-only');
  await expect(failure(page)).toHaveAttribute('data-scope', 'demo');
  await expect(failure(page)).toContainText('The demo “Train a tiny GPT” stopped with an error');
  await expect(failure(page)).toContainText('The rest of the page still works.');
  // The page's title, the demo's heading and the prose after it are all there.
  await expect(h1(page)).toHaveText('Decoder-only models: predict the next token');
  await expect(page.getByRole('heading', { level: 2, name: 'Train a tiny GPT' })).toBeVisible();
  expect(await page.getByRole('heading', { level: 2 }).count()).toBeGreaterThan(2);
  await page.evaluate(() => ((window as { __notebookFaults?: string[] }).__notebookFaults = []));
  await failure(page).getByRole('button', { name: 'Reload this demo' }).click();
  await expect(failure(page)).toHaveCount(0);
  await expect(page.getByTestId('trainer').first()).toBeVisible();
  expect(uncaught).toEqual([]);
});

test('a lazily mounted demo that throws fails alone: the main demo above it keeps its trainer', async ({ page }) => {
  const uncaught = watchUncaught(page);
  await page.addInitScript(() => {
    (window as { __notebookFaults?: string[] }).__notebookFaults = ['BERT vs RoBERTa'];
  });
  await page.goto('./#/objectives/encoder-only');
  await expect(page.getByTestId('trainer').first()).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expect(failure(page)).toContainText('The demo “BERT vs RoBERTa” stopped with an error');
  await expect(failure(page)).toHaveCount(1);
  await expect(page.locator('[data-main-demo]').getByTestId('trainer')).toBeVisible();
  expect(uncaught).toEqual([]);
});
