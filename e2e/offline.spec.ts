// The notebook works offline after one visit: the service worker (src/sw.js,
// written by the build with its precache list) serves the app shell, the
// page chunks, the workers, the wasm binaries and the corpus from its cache.
import { expect, test } from './fixtures';
import { trainsOfflineAfterOneVisit } from './offlineFlow';

test('after one visit the notebook reloads offline, opens a section it never loaded, and trains on wasm', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  await trainsOfflineAfterOneVisit(page, context);
});

test('the web app manifest names the notebook, starts and scopes relative to itself, and has its icons', async ({
  request,
}) => {
  const response = await request.get('./manifest.webmanifest');
  expect(response.ok()).toBe(true);
  const manifest = await response.json();
  expect(manifest).toMatchObject({
    short_name: expect.any(String),
    start_url: './',
    scope: './',
    display: 'standalone',
  });
  const icons: { src: string; sizes: string; purpose: string }[] = manifest.icons;
  expect(icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual(
    expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']),
  );
  for (const icon of icons) {
    const file = await request.get(`./${icon.src}`);
    expect(file.ok(), icon.src).toBe(true);
  }
});

test('a newer version waits and says so; it takes over only when the reader reloads', async ({ page }) => {
  await page.goto('./#/');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  const banner = page.getByTestId('update-banner');
  await expect(banner).toHaveCount(0);
  // A redeploy, as the browser sees it: a service worker script it has not run installs beside the
  // running one. (Playwright cannot rewrite the worker script's own fetch, so it gets another URL.)
  await page.evaluate(() => navigator.serviceWorker.register('./sw.js?next'));
  await expect(banner).toContainText('A new version is available — reload');
  // The running page keeps its code until asked: the new version waits.
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(/\/sw\.js$/);
  await page.evaluate(() => ((window as unknown as { stamp: number }).stamp = 1));
  // The page reloads, under the new version.
  await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'reload' }).click()]);
  expect(await page.evaluate(() => (window as unknown as { stamp?: number }).stamp)).toBeUndefined();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Training large language models');
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(/\/sw\.js\?next$/);
});
