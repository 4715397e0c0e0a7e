// The optimiser race on the SGD / Adam page: five trajectories from one start on a
// 2-D surface, settings validated as typed, a movable start, divergence reported.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

const PAGE = './#/optimization/sgd-adam';
const RACERS = ['sgd', 'momentum', 'adam', 'adamw', 'adafactor'] as const;

async function openRace(page: Page): Promise<Locator> {
  await page.goto(PAGE);
  const race = page.getByTestId('optimizer-race');
  await race.scrollIntoViewIfNeeded();
  await expect(race.getByTestId('race-plot')).toBeVisible();
  return race;
}

const path = (race: Locator, kind: string) => race.getByTestId(`race-path-${kind}`);
const attr = async (loc: Locator, name: string) => Number(await loc.getAttribute(name));

/** The first point of every trajectory, in racer order. */
async function firstPoints(race: Locator): Promise<{ x: number; y: number }[]> {
  return Promise.all(
    RACERS.map(async (k) => ({
      x: await attr(path(race, k), 'data-first-x'),
      y: await attr(path(race, k), 'data-first-y'),
    })),
  );
}

/** Waits until every trajectory starts where the start marker is, and returns that point. */
async function expectAllStartAtMarker(race: Locator): Promise<{ x: number; y: number }> {
  const marker = race.getByTestId('race-start');
  const start = { x: await attr(marker, 'data-x'), y: await attr(marker, 'data-y') };
  for (const k of RACERS) {
    await expect.poll(() => attr(path(race, k), 'data-first-x'), { message: `${k} first x` }).toBe(start.x);
    await expect.poll(() => attr(path(race, k), 'data-first-y'), { message: `${k} first y` }).toBe(start.y);
  }
  return start;
}

test('one trajectory per optimiser, the surface formula in KaTeX, and no NaN anywhere', async ({ page }) => {
  const race = await openRace(page);
  await expect(race.getByTestId('race-plot')).toHaveAttribute('data-surface', 'quadratic');
  for (const k of RACERS) {
    await expect(path(race, k)).toHaveCount(1);
    await expect(path(race, k)).toHaveAttribute('data-diverged', 'false');
    await expect(path(race, k)).toHaveAttribute('data-points', '201'); // the start and 200 steps
    await expect(race.getByTestId(`race-result-${k}`)).toBeVisible();
  }
  // The quadratic's start, shared by every racer.
  expect(await firstPoints(race)).toEqual(RACERS.map(() => ({ x: -4, y: 1 })));
  await expect(race.locator('.katex').first()).toBeVisible();
  await expect(race.locator('.katex-error')).toHaveCount(0);
  await expect(race.getByTestId('race-minimum')).toHaveCount(1);
  await expect(race).not.toContainText('NaN');
});

test('switching surface redraws every trajectory from that surface’s start', async ({ page }) => {
  const race = await openRace(page);
  const before = await Promise.all(RACERS.map((k) => path(race, k).getAttribute('d')));
  await race.getByRole('radio', { name: /Rosenbrock/ }).check();
  await expect(race.getByTestId('race-plot')).toHaveAttribute('data-surface', 'rosenbrock');
  for (const [i, k] of RACERS.entries()) {
    await expect(path(race, k)).toHaveCount(1);
    await expect(path(race, k)).not.toHaveAttribute('d', before[i]!);
    await expect(path(race, k)).toHaveAttribute('data-first-x', '-1.2');
    await expect(path(race, k)).toHaveAttribute('data-first-y', '1');
  }
  await race.getByRole('radio', { name: /Saddle/ }).check();
  await expect(race.getByTestId('race-plot')).toHaveAttribute('data-surface', 'saddle');
  await expect(path(race, 'adam')).toHaveAttribute('data-first-x', '-2');
  await expect(race.getByTestId('race-minimum')).toHaveCount(2);
  await expect(race.locator('.katex-error')).toHaveCount(0);
});

test('an invalid learning rate shows its message and keeps the last valid plot', async ({ page }) => {
  const race = await openRace(page);
  const adamBefore = await path(race, 'adam').getAttribute('d');
  const field = race.getByTestId('race-field-adam-lr');
  await field.fill('fast');
  await expect(race.getByTestId('race-error-adam-lr')).toContainText('must be a number');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(race.getByTestId('race-stale')).toBeVisible();
  await expect(race.getByTestId('race-plot')).toHaveAttribute('data-stale', 'true');
  // Every racer is still drawn, Adam exactly as before.
  for (const k of RACERS) await expect(path(race, k)).toHaveCount(1);
  await expect(path(race, 'adam')).toHaveAttribute('d', adamBefore!);
  // Out of range is refused the same way.
  await field.fill('-1');
  await expect(race.getByTestId('race-error-adam-lr')).toContainText('at least 0');
  await expect(path(race, 'adam')).toHaveAttribute('d', adamBefore!);
  // A valid value clears the message and redraws.
  await field.fill('0.3');
  await expect(race.getByTestId('race-error-adam-lr')).toHaveCount(0);
  await expect(race.getByTestId('race-stale')).toHaveCount(0);
  await expect(path(race, 'adam')).not.toHaveAttribute('d', adamBefore!);
});

test('arrow keys move the start of every trajectory; Home puts it back', async ({ page }) => {
  const race = await openRace(page);
  const marker = race.getByTestId('race-start');
  await expect(marker).toHaveAttribute('aria-label', /x -4\.00, y 1\.00/);
  await marker.focus();
  // One press is 1/50 of the window: 0.2 across (x in [-5, 5]), 0.06 up (y in [-1.5, 1.5]).
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => attr(marker, 'data-x')).toBeCloseTo(-3.8, 10);
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => attr(marker, 'data-y')).toBeCloseTo(1.06, 10);
  const moved = await expectAllStartAtMarker(race);
  expect(moved.x).toBeCloseTo(-3.8, 10);
  expect(moved.y).toBeCloseTo(1.06, 10);
  await expect(marker).toHaveAttribute('aria-label', /x -3\.80, y 1\.06/);
  await page.keyboard.press('Home');
  await expect(marker).toHaveAttribute('data-x', '-4');
  expect(await firstPoints(race)).toEqual(RACERS.map(() => ({ x: -4, y: 1 })));
});

test('dragging the start with the mouse moves the first point of every trajectory', async ({ page }) => {
  const race = await openRace(page);
  const marker = race.getByTestId('race-start');
  const box = (await marker.boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx + 80, cy + 40, { steps: 5 });
  await page.mouse.up();
  // Right and down on screen: larger x, smaller y.
  await expect.poll(() => attr(marker, 'data-x')).toBeGreaterThan(-3.5);
  await expect.poll(() => attr(marker, 'data-y')).toBeLessThan(0.9);
  await expectAllStartAtMarker(race);
  await race.getByTestId('race-reset-start').click();
  await expect(marker).toHaveAttribute('data-x', '-4');
  await expect(marker).toHaveAttribute('data-y', '1');
});

test('a too-large SGD learning rate on the quadratic is reported as diverged, never as NaN', async ({ page }) => {
  const race = await openRace(page);
  const row = race.getByTestId('race-result-sgd');
  await expect(row).toHaveAttribute('data-diverged', 'false');
  // Stable below 2 / 50 = 0.04, the largest curvature being 50.
  await race.getByTestId('race-field-sgd-lr').fill('0.05');
  await expect(row).toHaveAttribute('data-diverged', 'true');
  await expect(row).toContainText(/diverged at step \d+/);
  await expect(path(race, 'sgd')).toHaveAttribute('data-diverged', 'true');
  // The adaptive methods take lr-sized steps whatever the curvature: unaffected.
  for (const k of RACERS.filter((r) => r !== 'sgd'))
    await expect(race.getByTestId(`race-result-${k}`)).toHaveAttribute('data-diverged', 'false');
  await expect(race).not.toContainText('NaN');
  await expect(race).not.toContainText('Infinity');
});

test('the step slider shows the race up to step k, and a racer can be hidden', async ({ page }) => {
  const race = await openRace(page);
  // Keys, not fill(): fill() sets .value directly, which React's controlled range never sees.
  await race.getByTestId('race-step').focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  await expect(race.getByTestId('race-step-value')).toHaveText('10');
  await expect(race.getByTestId('race-results')).toContainText('After 10 steps');
  await expect(race.getByTestId('race-plot')).toHaveAttribute('data-step', '10');
  await race.getByTestId('race-toggle-momentum').getByRole('checkbox').uncheck();
  await expect(path(race, 'momentum')).toHaveCount(0);
  await expect(path(race, 'sgd')).toHaveCount(1);
  await race.getByTestId('race-toggle-momentum').getByRole('checkbox').check();
  await expect(path(race, 'momentum')).toHaveCount(1);
});
