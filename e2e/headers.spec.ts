// What the server sends with the notebook: a Content-Security-Policy that
// allows only the notebook's own origin (plus WebAssembly compilation), no
// framing by other sites, nosniff and no referrer; the same policy as a meta
// tag for static hosts. And the 6 MB corpus goes over the network once per
// visit, not once per page: every page's trainer is a new worker, which finds
// the corpus in the browser's HTTP cache. Console errors (a CSP violation is
// one) fail every test here, as everywhere (fixtures.ts).
import { expect, test, waitForStep } from './fixtures';

// The HTTP cache alone: with the service worker (offline.spec.ts) a worker's corpus request may be
// answered from its cache, and what crosses the network depends on when it installed.
test.use({ serviceWorkers: 'block' });

test('the server sends the security headers, and the page carries the policy as a meta tag', async ({ page }) => {
  const response = (await page.goto('./#/'))!;
  const headers = response.headers();
  const csp = headers['content-security-policy'];
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("'unsafe-eval'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toContain("default-src 'self'");
  // A meta policy cannot carry frame-ancestors (the browser would log an error).
  expect(meta).not.toContain('frame-ancestors');
  const corpus = await page.request.get('./corpus/toy.json');
  expect(corpus.headers()['cache-control']).toContain('max-age=');
  expect(corpus.headers()['x-content-type-options']).toBe('nosniff');
});

test('two pages train on the corpus; it crosses the network once', async ({ page }) => {
  // Bytes that came over the network for each request of the corpus (0 when the HTTP cache answered).
  const transfers: number[] = [];
  page.on('requestfinished', async (request) => {
    if (!request.url().endsWith('/corpus/brown.json')) return;
    const sizes = await request.sizes();
    transfers.push(sizes.responseHeadersSize + sizes.responseBodySize);
  });
  await page.goto('./#/objectives/decoder-only?backend=wasm&layers=1&width=32&ctx=32&batch=8');
  const first = page.getByTestId('trainer');
  await first.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, 2);
  await first.getByRole('button', { name: 'Pause', exact: true }).click();
  // Another page: another worker, which asks for the corpus again.
  await page.goto('./#/optimization/learning-rates?backend=wasm&layers=1&width=32&batch=4');
  const second = page.getByTestId('trainer').first();
  await second.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, 2, 90_000, second);
  await expect.poll(() => transfers.length).toBe(2);
  expect(transfers[0]).toBeGreaterThan(1_000_000);
  // Not even a revalidation: the second worker read the cached copy.
  expect(transfers[1]).toBe(0);
});
