import { expect, readNumber, test, waitForStep } from './fixtures';

const PAGE = './#/optimization/initialization';
const SMALL = 'layers=1&width=32&batch=4';
const TRAINER = 'One tiny GPT per initialisation';

test('the residual-stack explorer redraws for a new depth and refuses a bad one beside the field', async ({ page }) => {
  await page.goto(`${PAGE}?${SMALL}&backend=wasm&depth=8`);
  const act = page.getByTestId('stack-act-chart');
  const grad = page.getByTestId('stack-grad-chart');
  // data-depth is the depth of the numbers drawn, set when the worker's answer arrives.
  await expect(act).toHaveAttribute('data-depth', '8', { timeout: 30_000 });
  await expect(act.locator('.legend-item')).toHaveCount(3);
  await expect(act.locator('.recharts-line-curve')).toHaveCount(3);
  await expect(page.getByTestId('stack-table').locator('tbody tr')).toHaveCount(3);

  await page.locator('#hp-depth').fill('20');
  await expect(act).toHaveAttribute('data-depth', '20', { timeout: 30_000 });
  await expect(grad).toHaveAttribute('data-depth', '20');
  await expect(page).toHaveURL(/depth=20/);
  // Xavier's activations grow about 1.5^(L/2) = 57-fold over 20 layers; GPT-2's barely move.
  expect(Number(await page.getByTestId('ratio-xavier').textContent())).toBeGreaterThan(10);
  expect(Number(await page.getByTestId('ratio-gpt2').textContent())).toBeLessThan(1.1);

  const depthField = page.locator('.hyperparam', { has: page.locator('#hp-depth') });
  await page.locator('#hp-depth').fill('0');
  await expect(depthField.getByRole('alert')).toHaveText('Depth L must be between 1 and 96.');
  await expect(page.locator('#hp-depth')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('stack-status')).toContainText('showing depth 20');
  await expect(act).toHaveAttribute('data-depth', '20');
  await page.locator('#hp-depth').fill('twelve');
  await expect(depthField.getByRole('alert')).toHaveText('Depth L must be a number.');
  await page.locator('#hp-depth').fill('3');
  await expect(depthField.getByRole('alert')).toHaveCount(0);
  await expect(act).toHaveAttribute('data-depth', '3', { timeout: 30_000 });
});

test('the attention figure shows the three scalings over d', async ({ page }) => {
  await page.goto(`${PAGE}?${SMALL}&backend=wasm&depth=4`);
  const table = page.getByTestId('attention-table');
  await expect(table.locator('tbody tr')).toHaveCount(6, { timeout: 30_000 });
  await expect(page.getByTestId('attention-chart').locator('.legend-item')).toHaveCount(3);
});

test('the race refuses a width that the heads do not divide', async ({ page }) => {
  await page.goto(`${PAGE}?${SMALL}&backend=wasm&depth=4`);
  await page.locator('#hp-width').fill('30');
  const widthField = page.locator('.hyperparam', { has: page.locator('#hp-width') });
  await expect(widthField.getByRole('alert')).toHaveText('Width 30 must be a multiple of the number of heads (4).');
  await expect(page.getByRole('region', { name: TRAINER }).getByRole('button', { name: 'Train' })).toBeDisabled();
  await page.locator('#hp-heads').fill('3');
  await expect(widthField.getByRole('alert')).toHaveCount(0);
});

for (const [backend, steps] of [
  ['wasm', 30],
  ['webgl', 3],
] as const) {
  test(`the four inits train side by side on ${backend}`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto(`${PAGE}?${SMALL}&backend=${backend}&depth=4`);
    const trainer = page.getByRole('region', { name: TRAINER });
    await expect(trainer.getByTestId('trainer-backend')).toHaveText(backend, { timeout: 60_000 });
    await expect(trainer.getByRole('button', { name: 'Train' })).toBeEnabled({ timeout: 90_000 });
    const initial = await readNumber(page, 'trainer-loss', trainer);
    await trainer.getByRole('button', { name: 'Train' }).click();
    await waitForStep(page, steps, 150_000, trainer);
    await trainer.getByRole('button', { name: 'Pause' }).click();
    // 4 arms, each a training and a held-out curve
    await expect(
      trainer.getByRole('figure', { name: 'Training loss per optimiser' }).locator('.legend-item'),
    ).toHaveCount(8);
    await expect(
      trainer.getByRole('figure', { name: 'Gradient norm per initialisation' }).locator('.legend-item'),
    ).toHaveCount(4);
    // Thirty steps are enough to see the loss fall; three (on SwiftShader's slow WebGL) only show it runs.
    if (steps >= 30) expect(await readNumber(page, 'trainer-loss', trainer)).toBeLessThan(initial);
    else expect(await readNumber(page, 'trainer-loss', trainer)).toBeGreaterThan(0);
  });
}
