// `auto` by measurement. On this machine the GPU adapters are software
// (SwiftShader) and not candidates, so the test flag `?autotrial=software`
// makes them candidates: the worker must time each on the page's model,
// start the fastest and show every candidate's time in the badge.
import { expect, test, waitForStep } from './fixtures';

const SMALL = 'layers=1&width=32&ctx=32&batch=4';

test('auto times each candidate backend on the model, trains on the fastest and shows the times', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(`./?autotrial=software#/objectives/decoder-only?${SMALL}`);
  const trainer = page.getByTestId('trainer').first();
  const badge = page.getByTestId('backend-badge');
  const trials = page.getByTestId('backend-trials');
  await expect(trials).toBeAttached({ timeout: 200_000 });
  const times = await trials
    .locator('[data-backend]')
    .evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('data-backend')!, ms: e.getAttribute('data-ms') })));
  // wasm is always a candidate, and at least one (software) GPU backend was timed beside it.
  expect(times.map((t) => t.name)).toContain('wasm');
  expect(times.length).toBeGreaterThan(1);
  const measured = times.filter((t) => t.ms !== '').map((t) => ({ name: t.name, ms: Number(t.ms) }));
  expect(measured.every((t) => t.ms > 0)).toBe(true);
  const fastest = measured.reduce((a, b) => (b.ms < a.ms ? b : a));
  await expect(badge).toHaveText(fastest.name);
  await expect(trainer.getByTestId('trainer-backend')).toHaveText(fastest.name);
  await page.getByRole('button', { name: /Compute backend/ }).click();
  await expect(page.getByTestId('backend-reason')).toContainText(`${fastest.name} is fastest`);
  // The chosen backend trains the run.
  await trainer.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, 3, 90_000, trainer);
});

test('without the flag, auto on a machine without a GPU times nothing and runs wasm', async ({ page }) => {
  await page.goto(`./#/objectives/decoder-only?${SMALL}`);
  await expect(page.getByTestId('trainer').first().getByTestId('trainer-backend')).toHaveText('wasm', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('backend-trials')).toHaveCount(0);
});
