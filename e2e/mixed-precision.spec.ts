import { expect, readNumber, test, waitForStep } from './fixtures';

const PAGE = './#/optimization/mixed-precision';
const SMALL = 'layers=1&width=32&batch=4';
const TRAINER = 'FP32 against simulated FP16';

test('the FP16 explorer shows bit patterns and regions, and refuses text that is not a number', async ({ page }) => {
  await page.goto(`${PAGE}?${SMALL}&backend=wasm`);
  const explorer = page.getByTestId('fp16-explorer');
  const input = explorer.getByLabel('A number');
  const fields = async (fmt: 'FP32' | 'FP16') =>
    [
      await explorer.getByTestId(`${fmt}-sign`).textContent(),
      await explorer.getByTestId(`${fmt}-exponent`).textContent(),
      await explorer.getByTestId(`${fmt}-mantissa`).textContent(),
    ].join(' ');

  // 1e-8 is below 2^-25 (about 2.98e-8): FP16 rounds it to 0, FP32 keeps it as a normal number.
  await input.fill('1e-8');
  await expect(explorer.getByTestId('fp16-region')).toHaveText('zero');
  expect(await fields('FP16')).toBe('0 00000 0000000000');
  expect(await fields('FP32')).toBe('0 01100100 01010111100110001110111');
  await expect(explorer.getByTestId('FP16-value')).toHaveText('0');
  await expect(explorer.getByTestId('fp16-rel-error')).toHaveText('1');

  await input.fill('3.0');
  await expect(explorer.getByTestId('fp16-region')).toHaveText('normal');
  expect(await fields('FP16')).toBe('0 10000 1000000000');
  expect(await fields('FP32')).toBe('0 10000000 10000000000000000000000');
  await expect(explorer.getByTestId('fp16-abs-error')).toHaveText('0');

  await input.fill('70000');
  await expect(explorer.getByTestId('fp16-region')).toHaveText('overflow');
  expect(await fields('FP16')).toBe('0 11111 0000000000');
  await expect(explorer.getByTestId('FP16-value')).toHaveText('+∞');
  await expect(explorer.getByTestId('fp16-marker')).toBeVisible();

  await input.fill('abc');
  await expect(explorer.getByRole('alert')).toContainText('Not a number');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(explorer.getByTestId('fp16-region')).toHaveCount(0);
  await expect(page.getByText('NaN', { exact: true })).toHaveCount(0);
});

test('the offline loss scaler draws its sawtooth and refuses a bad growth interval beside the field', async ({
  page,
}) => {
  await page.goto(`${PAGE}?${SMALL}&backend=wasm`);
  const sim = page.getByTestId('scaler-sim');
  await expect(sim.locator('.legend-item')).toHaveCount(2);
  await expect(sim.getByTestId('scaler-sim-skips')).toContainText(/^\d+ of 300 steps skipped \(first at step \d+\)\.$/);
  await sim.getByLabel('Growth interval N').fill('abc');
  await expect(sim.getByRole('alert')).toHaveText('Growth interval N: a whole number from 1 to 1000.');
  await expect(sim.getByTestId('scaler-sim-skips')).toHaveCount(0);
  // With no spikes and the scale starting far below the ceiling, N = 1000 never reaches it in 300 steps.
  await sim.getByLabel('Growth interval N').fill('1000');
  await sim.getByLabel(/A spike every/).fill('0');
  await expect(sim.getByTestId('scaler-sim-skips')).toHaveText('0 of 300 steps skipped.');
});

test('switching every arm off blocks training with a message beside the switches', async ({ page }) => {
  await page.goto(`${PAGE}?${SMALL}&backend=wasm&g16=off&g16ls=off&w16=off&mixed=off`);
  const toggles = page.getByTestId('arm-toggles');
  await toggles.getByLabel('FP32').uncheck();
  await expect(toggles.getByRole('alert')).toHaveText('Switch on at least one arm.');
  await toggles.getByLabel('Mixed precision').check();
  await expect(toggles.getByRole('alert')).toHaveCount(0);
  await expect(page).toHaveURL(/mixed=on|fp32=off/);
});

test('the arm whose gradients are shown is kept in the link', async ({ page }) => {
  await page.goto(`${PAGE}?${SMALL}&backend=wasm&garm=mixed`);
  const pick = page.getByTestId('grad-panel').getByLabel('Arm');
  await expect(pick.locator('option:checked')).toHaveText('Mixed precision');
  await pick.selectOption({ label: 'FP16 grads + scaling' });
  await expect(page).toHaveURL(/[?&]garm=g16ls(&|$)/);
  // A malformed value, even in a link pasted over the open page, falls back to the default arm with a notice.
  await page.goto(`${PAGE}?${SMALL}&backend=wasm&garm=fp8`);
  await expect(page.getByTestId('url-notice')).toBeVisible();
  await expect(pick.locator('option:checked')).toHaveText('FP16 grads');
});

for (const [backend, steps] of [
  ['wasm', 30],
  ['webgl', 3],
] as const) {
  test(`FP32 and the simulated FP16 arms train side by side on ${backend}`, async ({ page }) => {
    test.setTimeout(240_000);
    // shrink=0: the gradients at their natural size, so the static-scale check below sees some overflow at 2^24.
    await page.goto(`${PAGE}?${SMALL}&grow=5&shrink=0&backend=${backend}`);
    const trainer = page.getByRole('region', { name: TRAINER });
    await expect(trainer.getByTestId('trainer-backend')).toHaveText(backend, { timeout: 60_000 });
    await expect(trainer.getByRole('button', { name: 'Train' })).toBeEnabled({ timeout: 90_000 });
    const initial = await readNumber(page, 'trainer-loss', trainer);
    await trainer.getByRole('button', { name: 'Train' }).click();
    await waitForStep(page, steps, 200_000, trainer);
    await trainer.getByRole('button', { name: 'Pause' }).click();
    await expect(trainer.locator('.legend-item')).toHaveCount(10); // five arms, training and held-out curves
    // The trainer's loss is the FP32 arm's. Thirty steps show it falling; three (SwiftShader WebGL) only show it runs.
    if (steps >= 30) expect(await readNumber(page, 'trainer-loss', trainer)).toBeLessThan(initial);
    else expect(await readNumber(page, 'trainer-loss', trainer)).toBeGreaterThan(0);

    // The gradient histogram of the default arm (FP16 grads, no scaling: scale 1) with its underflow share.
    const grads = page.getByTestId('grad-panel');
    await expect(grads.getByTestId('grad-histogram')).toBeVisible({ timeout: 30_000 });
    await expect(grads.getByTestId('underflow-share')).toHaveText(/^(< )?\d+(\.\d+)?%$/);
    await expect(grads.getByTestId('grad-scale')).toHaveText('2⁰ = 1');
    // A scaled arm reports its loss scale, a power of two.
    await grads.getByLabel('Arm').selectOption({ label: 'FP16 grads + scaling' });
    await expect(page).toHaveURL(/[?&]garm=g16ls(&|$)/);
    await expect(grads.getByTestId('grad-scale')).toHaveText(/^2[⁰¹²³⁴⁵⁶⁷⁸⁹]+ = \d+$/, { timeout: 30_000 });

    // A static scale on the latest histogram: a huge one makes some gradients overflow.
    const stat = page.getByTestId('static-scale-panel');
    // A range input cannot be filled: use the keyboard, as a user would (End = the largest scale, 2^24).
    await stat.getByLabel(/Static loss scale/).focus();
    await page.keyboard.press('End');
    await expect(stat.getByText('Static loss scale S = 2²⁴ = 16777216')).toBeVisible();
    await expect(stat.getByTestId('static-histogram')).toBeVisible();
    await expect(stat.getByTestId('static-overflow')).not.toHaveText('0%');
    await expect(stat.getByTestId('static-underflow')).toHaveText(/%$/);

    // The dynamic scaler's trace: one line per scaled arm.
    await expect(page.getByTestId('loss-scale-plot')).toBeVisible();
    await expect(page.getByTestId('loss-scale-legend')).toHaveCount(3);
    await expect(page.getByTestId('loss-scale-legend').first()).toContainText(/now 2[⁰¹²³⁴⁵⁶⁷⁸⁹]+/);
  });
}
