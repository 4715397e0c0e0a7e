import { expect, readNumber, test, waitForStep } from './fixtures';

const PAGE = './#/optimization/learning-rates';
const SMALL = 'layers=1&width=32&batch=4';
const TRAINER = 'Warmup against no warmup';

test('the schedule editor draws up to three schedules and refuses bad fields beside them', async ({ page }) => {
  await page.goto(`${PAGE}?${SMALL}&backend=wasm`);
  const editor = page.getByTestId('schedule-editor');
  await expect(editor.locator('.legend-item')).toHaveCount(2);
  await editor.getByLabel('Schedule 3').check();
  await expect(editor.locator('.legend-item')).toHaveCount(3);
  await page.locator('#sched-0-total').fill('10');
  await expect(page.getByText('Warmup (375) cannot be longer than the run (10).')).toBeVisible();
  await expect(editor.locator('.legend-item')).toHaveCount(2);
  await page.locator('#sched-0-total').fill('10000');
  await expect(editor.locator('.legend-item')).toHaveCount(3);
});

for (const [backend, steps] of [
  ['wasm', 30],
  ['webgl', 3],
] as const) {
  test(`warmup and no warmup train side by side on ${backend}`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto(`${PAGE}?${SMALL}&backend=${backend}`);
    const trainer = page.getByRole('region', { name: TRAINER });
    await expect(trainer.getByTestId('trainer-backend')).toHaveText(backend, { timeout: 60_000 });
    await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 90_000 });
    const initial = await readNumber(page, 'trainer-loss', trainer);
    await trainer.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, steps, 150_000, trainer);
    await trainer.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect(trainer.locator('.legend-item')).toHaveCount(4);
    // Thirty steps are enough to see the loss fall; three (on SwiftShader's slow WebGL) only show it runs.
    if (steps >= 30) expect(await readNumber(page, 'trainer-loss', trainer)).toBeLessThan(initial);
    else expect(await readNumber(page, 'trainer-loss', trainer)).toBeGreaterThan(0);
  });
}
