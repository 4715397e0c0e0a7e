import type { Locator, Page } from '@playwright/test';
import { expect, readNumber, test, waitForStep } from './fixtures';

const PAGE = './#/optimization/memory?backend=wasm';
const TRAINER = 'Tiny GPT: memory in use';

/** The exact number a test hook carries in data-value. */
async function dataValue(scope: Page | Locator, testId: string): Promise<number> {
  const raw = await scope.getByTestId(testId).getAttribute('data-value');
  expect(raw, `${testId} has a data-value`).not.toBeNull();
  return Number(raw);
}

function preset(page: Page, name: string): Locator {
  return page.getByRole('group', { name: 'Model' }).getByRole('button', { name, exact: true });
}

test('the calculator: KaTeX, the GPT-3 preset at 16 bytes a parameter, SGD 2P and Adam 4P numbers', async ({
  page,
}) => {
  await page.goto(PAGE);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Memory: what training keeps for every parameter');
  await expect(page.locator('.katex').first()).toBeVisible();
  await expect(page.locator('.katex-error')).toHaveCount(0);

  await preset(page, 'GPT-3 175B').click();
  await expect(preset(page, 'GPT-3 175B')).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(/model=gpt3-175b/);
  const params = page.getByTestId('mem-params');
  await expect(params).toHaveText('174,604,259,328');
  // The count as displayed, and the exact one behind it, agree.
  const shown = Number((await params.textContent())!.replace(/,/g, ''));
  const P = await dataValue(page, 'mem-params');
  expect(P).toBe(shown);

  // Adam in FP32: 16 bytes a parameter (2.79 TB), and the same in mixed precision.
  expect(await dataValue(page, 'mem-total-adam-fp32')).toBe(16 * P);
  expect(await dataValue(page, 'mem-total-adam-mixed')).toBe(16 * P);
  await expect(page.getByTestId('mem-total-adam-fp32')).toContainText('2.79 TB');
  expect(await dataValue(page, 'mem-total-sgd-fp32')).toBe(8 * P);
  // The lecture's count in numbers: SGD keeps 2P (θ, g), Adam 4P (θ, g, m, v).
  expect(await dataValue(page, 'values-sgd')).toBe(2 * P);
  expect(await dataValue(page, 'values-momentum')).toBe(3 * P);
  expect(await dataValue(page, 'values-adam')).toBe(4 * P);

  // One bar per optimiser and precision, with a legend.
  await expect(page.getByTestId('mem-bars').locator('.mem-bar-row')).toHaveCount(8);
  await expect(page.getByTestId('mem-bars').getByText('FP32 master copy of θ')).toBeVisible();

  // AdaFactor from GPT-3's real shapes: the token embedding is the largest matrix.
  const firstMatrix = page.getByTestId('matrix-row').first();
  await expect(firstMatrix).toHaveAttribute('data-full', String(50257 * 12288));
  await expect(firstMatrix).toHaveAttribute('data-factored', String(50257 + 12288));

  // The preset buttons work from the keyboard.
  await preset(page, 'BERT-large').focus();
  await page.keyboard.press('Enter');
  await expect(params).toHaveText('335,141,888');
  await expect(page.getByRole('main')).not.toContainText('NaN');
});

test('a bad custom field gets its message beside it, and the numbers never turn into NaN', async ({ page }) => {
  await page.goto(PAGE);
  await preset(page, 'Custom GPT').click();
  // The default custom GPT is GPT-2 small.
  await expect(page.getByTestId('mem-params')).toHaveText('124,439,808');
  const d = page.getByLabel('d_model', { exact: true });
  await d.fill('abc');
  await expect(page.getByText('d_model must be a number.')).toBeVisible();
  await expect(d).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/numbers below are for the last valid configuration/)).toBeVisible();
  await expect(page.getByTestId('mem-params')).toHaveText('124,439,808');
  await expect(page.getByRole('main')).not.toContainText('NaN');
  // A preset still works while the custom field is wrong.
  await preset(page, 'T5-11B').click();
  await expect(page.getByTestId('mem-params')).toHaveText('11,307,321,344');

  await preset(page, 'Custom count').click();
  const count = page.getByLabel('Parameter count', { exact: true });
  await count.fill('7e9');
  await expect(page.getByTestId('mem-params')).toHaveText('7,000,000,000');
  expect(await dataValue(page, 'mem-total-adam-fp32')).toBe(16 * 7e9);
  await expect(page.getByTestId('adafactor-needs-shapes')).toBeVisible();
  await count.fill('1.5');
  await expect(page.getByText('Parameter count must be a whole number.')).toBeVisible();
  await expect(page.getByRole('main')).not.toContainText('NaN');
});

for (const backend of ['wasm', 'webgl'] as const)
  test(`the tiny GPT trains a few steps on ${backend} and tfjs reports the predicted bytes`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto(PAGE.replace('backend=wasm', `backend=${backend}`));
    const trainer = page.getByRole('region', { name: TRAINER });
    await trainer.scrollIntoViewIfNeeded();
    await expect(trainer.getByTestId('trainer-backend')).toHaveText(backend, { timeout: 60_000 });
    const step = trainer.getByRole('button', { name: 'Step' });
    await expect(step).toBeEnabled({ timeout: 90_000 });

    // The parameter count from the shapes is the one the worker built.
    const predictedP = await dataValue(trainer, 'tiny-params-predicted');
    expect(predictedP).toBe(await dataValue(trainer, 'trainer-params'));

    for (let i = 1; i <= 3; i++) {
      await step.click();
      await waitForStep(page, i, 60_000, trainer);
    }
    expect(await readNumber(page, 'trainer-step', trainer)).toBe(3);

    // θ + m + v is 12 bytes a parameter; the whole prediction adds the held-out batches, the mask and a few scalars.
    const modelAndAdam = await dataValue(trainer, 'predicted-model-adam');
    expect(modelAndAdam).toBe(12 * predictedP);
    const predicted = await dataValue(trainer, 'predicted-bytes');
    expect(predicted).toBeGreaterThan(modelAndAdam);
    // At rest the worker holds exactly what the account lists (a reading taken mid-step can be a few bytes over).
    await expect
      .poll(async () => Number(await trainer.getByTestId('tfjs-bytes').getAttribute('data-value')), { timeout: 30_000 })
      .toBe(predicted);
    await expect(trainer.getByTestId('mem-diff')).toContainText('Exactly as predicted');
    await expect(trainer.getByTestId('worker-tensors')).toHaveText(
      String(await dataValue(trainer, 'predicted-tensors')),
      { timeout: 10_000 },
    );

    // The calculator prices the same model once the worker has built its vocabulary.
    await preset(page, 'Tiny GPT (this page)').click();
    await expect(page.getByTestId('mem-params')).toHaveAttribute('data-value', String(predictedP));
    await expect(page.getByTestId('mem-total-adam-fp32')).toHaveAttribute('data-value', String(16 * predictedP));
  });
