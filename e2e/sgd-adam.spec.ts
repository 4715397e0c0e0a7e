import { expect, readNumber, test, waitForStep } from './fixtures';

const PAGE = './#/optimization/sgd-adam';
const SMALL = 'layers=1&width=32&batch=4&backend=wasm';
const RACE = 'Optimiser race on a tiny GPT';

async function value(page: import('@playwright/test').Page, testId: string): Promise<number> {
  return Number(await page.getByTestId(testId).getAttribute('data-value'));
}

test('the GPT race steps every optimiser and shows Adam’s four steps for a tracked element', async ({ page }) => {
  await page.goto(`${PAGE}?${SMALL}`);
  const trainer = page.getByRole('region', { name: RACE });
  const step = trainer.getByRole('button', { name: 'Step', exact: true });
  await expect(step).toBeEnabled({ timeout: 60_000 });
  await step.click();
  await expect(trainer.getByTestId('trainer-step')).toHaveText('1');
  await expect(page.getByTestId('moments-step')).toHaveText('1');
  // After one update: m = (1 - 0.9) g, v = (1 - 0.99) g^2, and the corrected m̂ is g itself.
  const g = await value(page, 'moment-g');
  expect(g).not.toBe(0);
  expect(await value(page, 'moment-m')).toBeCloseTo(0.1 * g, 6);
  expect(await value(page, 'moment-v')).toBeCloseTo(0.01 * g * g, 9);
  expect(await value(page, 'moment-mhat')).toBeCloseTo(g, 5);
  // The live equation with these numbers rendered as TeX, not as an error.
  await expect(page.locator('.katex-error')).toHaveCount(0);
  // A first corrected Adam step moves by about the learning rate.
  expect(Math.abs(await value(page, 'moment-step'))).toBeCloseTo(0.003, 4);
  await page.locator('#moments-param').selectOption({ label: 'final layer-norm gain g[0]' });
  await expect(page.getByTestId('moment-g')).not.toHaveAttribute('data-value', String(g));

  await trainer.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, 30, 120_000, trainer);
  await trainer.getByRole('button', { name: 'Pause', exact: true }).click();
  // Five optimisers, training and held-out curves each.
  await expect(trainer.locator('.legend-item')).toHaveCount(10);
  expect(await readNumber(page, 'trainer-loss', trainer)).toBeLessThan(4);
  await expect(page.getByTestId('heatmap')).toBeVisible({ timeout: 30_000 });
});

test('bias correction off: the first m̂ is the raw m, and the step is (1 - β1)/√(1 - β2) times larger per unit', async ({
  page,
}) => {
  await page.goto(`${PAGE}?${SMALL}&bc=off&b2=0.999`);
  const trainer = page.getByRole('region', { name: RACE });
  await expect(trainer.getByRole('button', { name: 'Step', exact: true })).toBeEnabled({ timeout: 60_000 });
  await trainer.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('moments-step')).toHaveText('1');
  const m = await value(page, 'moment-m');
  const v = await value(page, 'moment-v');
  expect(await value(page, 'moment-mhat')).toBe(m);
  expect(await value(page, 'moment-vhat')).toBe(v);
  // step = lr m / (sqrt(v) + eps), with m = 0.1 g and v = 0.001 g^2: about 3.16 lr when |g| >> eps.
  expect(await value(page, 'moment-step')).toBeCloseTo((0.003 * m) / (Math.sqrt(v) + 1e-8), 8);
  expect(Math.abs(await value(page, 'moment-step'))).toBeGreaterThan(0.003);
  await expect(trainer.locator('.legend-item').filter({ hasText: 'Adam (no bias correction)' }).first()).toBeVisible();
});

test('an optimiser that blows up leaves the race and the others go on', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`${PAGE}?${SMALL}&sgd=100`);
  const trainer = page.getByRole('region', { name: RACE });
  await trainer.getByRole('button', { name: 'Train', exact: true }).click({ timeout: 60_000 });
  await expect(page.getByTestId('race-dropped')).toContainText('SGD', { timeout: 60_000 });
  await waitForStep(page, 15, 60_000, trainer);
  await trainer.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(trainer.getByTestId('trainer-diverged')).toHaveCount(0);
});

test('the race and the moments view work on webgl', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(`${PAGE}?layers=1&width=32&batch=4&backend=webgl`);
  const trainer = page.getByRole('region', { name: RACE });
  await expect(trainer.getByTestId('trainer-backend')).toHaveText('webgl', { timeout: 60_000 });
  const step = trainer.getByRole('button', { name: 'Step', exact: true });
  for (let i = 1; i <= 3; i++) {
    await expect(step).toBeEnabled({ timeout: 90_000 });
    await step.click();
    await expect(trainer.getByTestId('trainer-step')).toHaveText(String(i), { timeout: 60_000 });
  }
  await expect(page.getByTestId('moments-step')).toHaveText('3');
  const g = await value(page, 'moment-g');
  expect(Number.isFinite(g) && g !== 0).toBe(true);
  expect(await readNumber(page, 'trainer-loss', trainer)).toBeGreaterThan(0);
});
