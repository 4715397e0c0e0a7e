import { expect, readNumber, settledTensorCount, test, waitForStep } from './fixtures';

const PAGE = './#/objectives/encoder-only';
// A small model keeps the software backends quick on 2 cores.
const SMALL = 'layers=1&width=32&heads=2&len=32&batch=8&lr=0.005';

for (const backend of ['wasm', 'webgl'] as const) {
  test(`BERT trains on ${backend} until the MLM loss has fallen, without leaking tensors`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto(`${PAGE}?${SMALL}&backend=${backend}&seed=3`);
    const trainer = page.getByRole('region', { name: 'Tiny BERT: MLM + NSP' });
    await expect(trainer.getByTestId('trainer-backend')).toHaveText(backend, { timeout: 60_000 });
    await expect(trainer.getByTestId('mlm-heldout')).toHaveText(/^\d+\.\d+$/, { timeout: 60_000 });
    // Untrained: MLM near log(3000) = 8.0 nats, plus NSP near log 2.
    const initialMlm = await readNumber(page, 'mlm-heldout', trainer);
    expect(initialMlm).toBeGreaterThan(7);
    expect(await readNumber(page, 'trainer-loss', trainer)).toBeGreaterThan(initialMlm);
    await trainer.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, 10, 120_000, trainer);
    await trainer.getByRole('button', { name: 'Pause', exact: true }).click();
    const before = await settledTensorCount(page, trainer);
    await trainer.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, 100, 200_000, trainer);
    await trainer.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeVisible();
    // Held-out MLM loss (evaluated every 25 steps) has clearly fallen.
    expect(await readNumber(page, 'mlm-heldout', trainer)).toBeLessThan(initialMlm - 1);
    expect(await settledTensorCount(page, trainer)).toBe(before);
    await expect(trainer.locator('.loss-chart')).toHaveCount(2);
  });
}

test('the masking function: a draw, its legend, and 20,000 draws against the promised rates', async ({ page }) => {
  await page.goto(`${PAGE}?${SMALL}&backend=wasm`);
  await page.locator('#mask-text').fill('the mouse ate the cheese and the cat ate the mouse in the park');
  const result = page.getByTestId('mask-result');
  // 15% of 14 tokens rounds to 2 selected positions.
  await expect(page.getByTestId('mask-counts')).toContainText('2 of 14 positions selected');
  await expect(result.locator('[data-kind]:not([data-kind="none"])')).toHaveCount(2);
  await expect(page.getByRole('button', { name: /Run the masking function 10,000 times/ })).toBeVisible();
  await page.getByLabel('Runs').fill('20000');
  await page.getByRole('button', { name: /Run the masking function 20,000 times/ }).click();
  const rows = page.getByTestId('mask-stats').locator('tbody tr');
  await expect(rows).toHaveCount(4);
  for (const name of ['[MASK]', 'random', 'unchanged']) {
    const row = page.getByTestId(`rate-${name === 'unchanged' ? 'unchanged' : name}`);
    const observed = Number(await row.getAttribute('data-observed'));
    const expected = Number(await row.getAttribute('data-expected'));
    const sd = Number(await row.getAttribute('data-sd'));
    expect(Math.abs(observed - expected)).toBeLessThan(4 * sd);
  }
  expect(Number(await page.getByTestId('rate-[MASK]').getAttribute('data-expected'))).toBeCloseTo(0.8, 10);
  expect(Number(await page.getByTestId('rate-selected').getAttribute('data-observed'))).toBeCloseTo(2 / 14, 10);

  // Editing a rate changes the draws and the URL; an impossible pair is refused beside the field.
  await page.getByLabel('→ [MASK] share').fill('0.5');
  await expect(page).toHaveURL(/mask=0\.5/);
  await page.getByLabel('→ random-word share').fill('0.6');
  await expect(page.getByText(/add up to 1\.10; together they can be at most 1/)).toBeVisible();
  const trainer = page.getByRole('region', { name: 'Tiny BERT: MLM + NSP' });
  await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
});

test('pairs show segments and IsNext / NotNext labels; fill in the blank gives 5 guesses per [MASK]', async ({
  page,
}) => {
  await page.goto(`${PAGE}?${SMALL}&backend=wasm`);
  const lists = page.getByTestId('bert-examples');
  await expect(lists).toHaveCount(2, { timeout: 60_000 });
  const first = lists.first().locator('.example').first();
  await expect(first.locator('.bert-token').first()).toContainText('[CLS]');
  await expect(first.locator('.seg-A').first()).toBeVisible();
  await expect(first.locator('.seg-B').first()).toBeVisible();
  await expect(page.getByTestId('nsp-label')).toHaveCount(6);
  for (const label of await page.getByTestId('nsp-label').allTextContents())
    expect(label).toMatch(/^(IsNext|NotNext)$/);

  const results = page.getByTestId('fill-results');
  await expect(results.locator('table')).toHaveCount(2, { timeout: 60_000 });
  const probs = await results.locator('table').first().getByTestId('fill-p').allTextContents();
  expect(probs).toHaveLength(5);
  const values = probs.map((p) => Number(p.replace('%', '')));
  expect([...values].sort((a, b) => b - a)).toEqual(values);
  await page.getByLabel('Sentence with [MASK]').fill('no blank here');
  await expect(page.getByText('Write [MASK] where the model should guess a word.')).toBeVisible();
});

test('the comparison trainers: always-[MASK] and RoBERTa train beside BERT with their own controls', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto(`${PAGE}?${SMALL}&backend=wasm`);
  for (const name of ['Distribution shift: your rates vs always [MASK]', 'BERT vs RoBERTa']) {
    await page
      .getByRole('heading', { name: name === 'BERT vs RoBERTa' ? /RoBERTa: drop NSP/ : /Distribution shift/ })
      .scrollIntoViewIfNeeded();
    const trainer = page.getByRole('region', { name });
    const step = trainer.getByRole('button', { name: 'Step', exact: true });
    await expect(step).toBeEnabled({ timeout: 90_000 });
    await step.click();
    await expect(trainer.getByTestId('trainer-step')).toHaveText('1');
    await expect(trainer.locator('.legend-item')).not.toHaveCount(0);
  }
  // Every arm of a comparison is the page's model: same size, same initialisation.
  const main = Number(
    await page
      .getByRole('region', { name: 'Tiny BERT: MLM + NSP' })
      .getByTestId('trainer-params')
      .getAttribute('data-value'),
  );
  const shift = Number(
    await page
      .getByRole('region', { name: 'Distribution shift: your rates vs always [MASK]' })
      .getByTestId('trainer-params')
      .getAttribute('data-value'),
  );
  expect(shift).toBe(main);
});

test('attention grids and the BERT-large parameter counter', async ({ page }) => {
  await page.goto(`${PAGE}?${SMALL}&backend=wasm`);
  // The trainer's card above fills in as its run is built (its height changes): let it settle first,
  // or a click below can land where the button was a moment before (1 in 10 runs lost the preset click).
  await expect(page.getByTestId('trainer').first().getByRole('button', { name: 'Train', exact: true })).toBeEnabled({
    timeout: 60_000,
  });
  await page.locator('#bidi-text').fill('all animals breathe');
  const grids = page.locator('.mask-grid');
  await expect(grids.nth(0).locator('td.allowed')).toHaveCount(6); // 3 x 4 / 2
  await expect(grids.nth(1).locator('td.allowed')).toHaveCount(9);

  const total = page.getByTestId('size-total');
  await expect(total).toHaveText('335,141,888');
  await page.getByRole('button', { name: 'RoBERTa-large' }).click();
  await expect(total).toHaveText('355,359,744');
  await page.getByRole('button', { name: 'BERT-base' }).click();
  await expect(total).toHaveText('109,482,240');
  await page.getByLabel('Heads').last().fill('5');
  await expect(page.getByText('d_model 768 must split evenly over 5 heads.')).toBeVisible();
  await expect(total).toHaveCount(0);
});
