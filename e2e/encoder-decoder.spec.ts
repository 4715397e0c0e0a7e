import { expect, readNumber, settledTensorCount, test, waitForStep } from './fixtures';

const PAGE = './#/objectives/encoder-decoder';
const SMALL = 'layers=1&width=32&heads=2&words=12&batch=8&lr=0.005';

// WebGL runs on SwiftShader here, about 10x slower than wasm: one objective and fewer steps there.
for (const [backend, objectives, steps] of [
  ['wasm', 2, 50],
  ['webgl', 1, 30],
] as const) {
  test(`${objectives} objective(s) train side by side on ${backend} until the loss has fallen, without leaking tensors`, async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await page.goto(`${PAGE}?${SMALL}&backend=${backend}&seed=2${objectives === 1 ? '&obj2=none' : ''}`);
    const trainer = page.getByRole('region', { name: 'Tiny encoder-decoder' });
    await expect(trainer.getByTestId('trainer-backend')).toHaveText(backend, { timeout: 60_000 });
    await expect(trainer.getByTestId('trainer-heldout')).toHaveText(/^\d+\.\d+$/, { timeout: 60_000 });
    const initial = await readNumber(page, 'trainer-heldout', trainer);
    expect(initial).toBeGreaterThan(6); // about log(3000) untrained
    await trainer.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, 5, 120_000, trainer);
    await trainer.getByRole('button', { name: 'Pause', exact: true }).click();
    const before = await settledTensorCount(page, trainer);
    await trainer.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, steps, 200_000, trainer);
    await trainer.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeVisible();
    expect(await readNumber(page, 'trainer-heldout', trainer)).toBeLessThan(initial - 1);
    expect(await settledTensorCount(page, trainer)).toBe(before);
    // Every objective is on the chart (training and held out), and each shows held-out reconstructions.
    await expect(trainer.locator('.legend-item')).toHaveCount(2 * objectives);
    for (let arm = 0; arm < objectives; arm++)
      await expect(page.getByTestId(`recon-${arm}`).getByTestId('recon-output')).toHaveCount(2, { timeout: 60_000 });
  });
}

test('every BART transformation applies to the passage, and BART’s final choice is a preset', async ({ page }) => {
  await page.goto(`${PAGE}?${SMALL}&backend=wasm`);
  const demo = page.getByTestId('bart-demo');
  await expect(demo.getByTestId('noise-original').locator('.bert-token').first()).toBeVisible();
  const original = (await demo.getByTestId('noise-original').locator('.bert-token').allTextContents()).join(' ');
  for (const name of [
    'Token masking',
    'Token deletion',
    'Text infilling',
    'Sentence permutation',
    'Document rotation',
  ]) {
    await demo.getByLabel(name).check();
    await expect(demo.getByTestId('bart-input').locator('.bert-token').first()).toBeVisible();
    // BART's target is always the original passage.
    expect((await demo.getByTestId('bart-target').locator('.bert-token').allTextContents()).join(' ')).toBe(original);
  }
  await demo.getByLabel('Token deletion').check();
  await demo.getByLabel('Corruption rate').fill('0.5');
  const stats = demo.getByTestId('bart-stats');
  const deleted = Number(await stats.getAttribute('data-noise'));
  expect(deleted).toBeGreaterThan(0.2);
  expect(deleted).toBeLessThan(0.8);
  await demo.getByLabel('Corruption rate').fill('1.5');
  await expect(demo.getByText('The rate must be between 0 and 1.')).toBeVisible();
  await demo.getByRole('button', { name: 'BART’s final choice' }).click();
  await expect(demo.getByLabel('BART’s choice: infill 30% + permute sentences')).toBeChecked();
  await expect(demo.getByTestId('bart-input').locator('[data-kind="mask"]').first()).toBeVisible();
});

test('T5 objectives: input and target side by side, sentinels in order, observed noise shown', async ({ page }) => {
  await page.goto(`${PAGE}?${SMALL}&backend=wasm`);
  const demo = page.getByTestId('t5-demo');
  for (const name of [
    'Prefix language modelling',
    'BERT-style',
    'Deshuffling',
    'I.i.d. noise, drop tokens',
    'Random spans',
    'I.i.d. noise, replace spans',
  ]) {
    await demo.getByLabel(name).check();
    await expect(demo.getByTestId('t5-target').locator('.bert-token').first()).toBeVisible();
  }
  await demo.getByLabel('Corruption rate').fill('0.4');
  const input = demo.getByTestId('t5-input');
  const sentinels = await input.locator('[data-kind="sentinel"]').allTextContents();
  expect(sentinels.length).toBeGreaterThan(0);
  expect(sentinels.slice(0, 3).map((s) => s.replace(/\d+$/, ''))).toEqual(
    ['<X>', '<Y>', '<Z>'].slice(0, Math.min(3, sentinels.length)),
  );
  // The target lists the same sentinels, in the same order, then one more.
  const targetSentinels = await demo.getByTestId('t5-target').locator('[data-kind="sentinel"]').count();
  expect(targetSentinels).toBe(sentinels.length + 1);
  // Picking a token (click, tap or keyboard) tells its story: a sentinel names the words it hides.
  const story = demo.getByTestId('t5-story');
  await input.locator('[data-kind="sentinel"]').first().click();
  await expect(story).toHaveText(/^encoder input, token \d+, “<X>”: sentinel for “[^”]+”$/);
  await page.keyboard.press('Home');
  await expect(story).toHaveText(/^encoder input, token 1, “[^”]+”: /);
  await expect(input.locator('.bert-token').first()).toBeFocused();
  await expect(demo.getByTestId('t5-stats')).toContainText('against a rate of 40.0%');

  await page.locator('#t2t-task').selectOption('sst2');
  await page.locator('#t2t-label').selectOption('1');
  await expect(page.getByTestId('t5-framing')).toContainText('sst2 sentence:');
  await expect(page.getByTestId('t5-framing')).toContainText('negative');
  await expect(page.getByTestId('bert-framing')).toContainText('class 1 of 2');
});
