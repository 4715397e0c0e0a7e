import { expect, readNumber, test, waitForStep } from './fixtures';

const PAGE = './#/optimization/gpt3-recipe';
const SMALL = 'layers=1&width=32&batch=4';
const WD_SMALL = 'wd_layers=1&wd_width=32&wd_batch=4&wd_backend=wasm';
const RACE = 'GPT-3 recipe and its ablations';
const WD = 'Adam + L2 against AdamW';

test('the recipe table puts GPT-3 numbers beside the toy values they become', async ({ page }) => {
  await page.goto(`${PAGE}?backend=wasm&steps=300&batch=8`);
  const table = page.getByTestId('recipe-table');
  const row = (name: string) => table.getByRole('row', { name: new RegExp(`^${name}`) });
  await expect(row('Batch size')).toContainText('3.2M tokens');
  await expect(row('Batch size')).toContainText('8 rows of 32 characters = 256 tokens');
  await expect(row('Warmup')).toContainText('375M tokens');
  // 300 steps x GPT-3's warmup share of its steps (4.97%) = 15 steps.
  await expect(row('Warmup')).toContainText('linear over 15 steps');
  await expect(row('Batch ramp')).toContainText('12B tokens');
  await expect(row('Batch ramp')).toContainText('49 steps');
  await page.locator('#hp-steps').fill('1000');
  await expect(row('Warmup')).toContainText('linear over 50 steps');
  await expect(page.getByTestId('recipe-drawings').locator('figure')).toHaveCount(4);
  await expect(page.locator('.katex-error')).toHaveCount(0);
});

test('ablation checkboxes change the arms and the URL', async ({ page }) => {
  await page.goto(`${PAGE}?${SMALL}&backend=wasm`);
  const race = page.getByRole('region', { name: RACE });
  const loss = race.getByRole('figure', { name: 'Training loss per optimiser' });
  // Default: full recipe + no clipping, no warmup, beta2 0.999; each arm has a training and a held-out entry.
  await expect(loss.locator('.legend-item')).toHaveCount(8);
  const picker = page.getByTestId('ablation-picker');
  await picker.getByLabel('no batch ramp').check();
  await expect(loss.locator('.legend-item')).toHaveCount(10);
  await expect(loss.getByText('no batch ramp (held out)')).toBeVisible();
  await expect(page).toHaveURL(/ablate=clip%2Cwarmup%2Cramp%2Cbeta2/);
  // Four ablations is the most: the other boxes are disabled.
  await expect(picker.getByLabel('no weight decay')).toBeDisabled();
  await picker.getByLabel('no clipping').uncheck();
  await picker.getByLabel('no warmup').uncheck();
  await expect(loss.locator('.legend-item')).toHaveCount(6);
  await expect(picker.getByLabel('no weight decay')).toBeEnabled();
});

test('a bad ablation link is reported, a bad field blocks training', async ({ page }) => {
  await page.goto(`${PAGE}?${SMALL}&backend=wasm&ablate=clip,nonsense`);
  await expect(page.getByTestId('ablate-notice')).toContainText('"nonsense"');
  const race = page.getByRole('region', { name: RACE });
  await expect(race.getByRole('figure', { name: 'Training loss per optimiser' }).locator('.legend-item')).toHaveCount(
    4,
  );
  await expect(race.getByRole('button', { name: 'Train' })).toBeEnabled({ timeout: 90_000 });
  await page.locator('#hp-lr').fill('fast');
  await expect(page.getByText('Peak learning rate must be a number.')).toBeVisible();
  await expect(race.getByRole('button', { name: 'Train' })).toBeDisabled();
  await page.locator('#hp-lr').fill('0.02');
  await page.locator('#hp-batch').fill('1');
  await expect(page.getByText('Final batch (rows) must be between 2 and 64.')).toBeVisible();
  await expect(race.getByRole('button', { name: 'Train' })).toBeDisabled();
  await page.locator('#hp-batch').fill('4');
  await page.locator('#hp-width').fill('30');
  await expect(page.getByText('Width 30 must be a multiple of 4 (the model has 4 heads).')).toBeVisible();
  await expect(race.getByRole('button', { name: 'Train' })).toBeDisabled();
});

for (const [backend, steps] of [
  ['wasm', 30],
  ['webgl', 3],
] as const) {
  test(`the recipe race trains on ${backend} and draws gradient norms with the clipped share`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto(`${PAGE}?${SMALL}&backend=${backend}`);
    const race = page.getByRole('region', { name: RACE });
    await expect(race.getByTestId('trainer-backend')).toHaveText(backend, { timeout: 60_000 });
    await expect(race.getByRole('button', { name: 'Train' })).toBeEnabled({ timeout: 90_000 });
    const initial = await readNumber(page, 'trainer-loss', race);
    await race.getByRole('button', { name: 'Train' }).click();
    await waitForStep(page, steps, 200_000, race);
    await race.getByRole('button', { name: 'Pause' }).click();
    if (steps >= 30) expect(await readNumber(page, 'trainer-loss', race)).toBeLessThan(initial);
    else expect(await readNumber(page, 'trainer-loss', race)).toBeGreaterThan(0);
    const norms = race.getByRole('figure', { name: 'Gradient norm per step' });
    await expect(norms.locator('.recharts-line')).toHaveCount(5); // four arms and the threshold
    await expect(norms.getByText('clipping threshold c = 1')).toBeVisible();
    const shares = race.getByTestId('clipped-share-value');
    await expect(shares).toHaveCount(4);
    for (const text of await shares.allTextContents()) expect(text).toMatch(/^\d{1,3}\.\d%$/);
    await expect(race.getByRole('figure', { name: 'Batch rows used per step' })).toBeVisible();
  });
}

test('Adam + L2 against AdamW trains once scrolled to, with its own URL keys', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(`${PAGE}?${SMALL}&backend=wasm&${WD_SMALL}`);
  await page.getByRole('heading', { name: '4. Adam with L2 against AdamW' }).scrollIntoViewIfNeeded();
  // The trainer mounts when its placeholder, after the section's prose, comes into view.
  await page.getByText('The comparison starts its models when you scroll here.').scrollIntoViewIfNeeded();
  const wd = page.getByRole('region', { name: WD });
  await expect(wd.getByTestId('trainer-backend')).toHaveText('wasm', { timeout: 60_000 });
  await expect(wd.getByRole('button', { name: 'Train' })).toBeEnabled({ timeout: 90_000 });
  await expect(wd.getByRole('figure', { name: 'Norm of the weight matrices' }).locator('.legend-item')).toHaveCount(2);
  await wd.getByRole('button', { name: 'Train' }).click();
  await waitForStep(page, 5, 120_000, wd);
  await wd.getByRole('button', { name: 'Pause' }).click();
  expect(await readNumber(page, 'trainer-loss', wd)).toBeGreaterThan(0);
  await page.locator('#hp-wd_wd').fill('0.3');
  await expect(page).toHaveURL(/wd_wd=0\.3/);
  // The recipe form is untouched by the second one.
  await expect(page.locator('#hp-wd')).toHaveValue('0.1');
});
