// The demo near the top. On a laptop's first screen (1280×800) every trainer
// page shows what to try and its Train button without scrolling, and starts no
// comparison trainer it has not been scrolled to. On a projector (1920×1080)
// in presenter mode the main chart fills much of the screen in type readable
// from the back of the room, and Space trains and brings it into view.
import type { Page } from '@playwright/test';
import { ALL_SECTIONS } from '../src/pages/sections';
import { expect, test, waitForStep } from './fixtures';

const TRAINER_PAGES = ALL_SECTIONS.filter((s) => s.built).map((s) => s.path);

/** The data-testid of the first paragraph after the page's h1, in document order. */
function firstParagraphAfterTitle(page: Page) {
  return page.evaluate(() => {
    const h1 = document.querySelector('main h1');
    if (!h1) return null;
    const p = [...document.querySelectorAll('main p')].find(
      (el) => h1.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING,
    );
    return p?.getAttribute('data-testid') ?? null;
  });
}

/** Share of the window covered by the visible part of the main demo's first chart. */
function chartShare(page: Page) {
  return page.evaluate(() => {
    const box = document.querySelector('[data-main-demo] .loss-chart .chart-box')?.getBoundingClientRect();
    if (!box) return 0;
    const w = Math.max(0, Math.min(box.right, window.innerWidth) - Math.max(box.left, 0));
    const h = Math.max(0, Math.min(box.bottom, window.innerHeight) - Math.max(box.top, 0));
    return (w * h) / (window.innerWidth * window.innerHeight);
  });
}

for (const path of TRAINER_PAGES) {
  test(`${path} opens with what to try and its Train button on the first screen`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`./#${path}?backend=wasm`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByTestId('try-this')).toHaveText(/^Press Train\b/);
    expect(await firstParagraphAfterTitle(page)).toBe('try-this');
    // Enabled or not yet (the model may still be loading): where it is, is the point.
    const train = page.getByRole('button', { name: 'Train', exact: true }).first();
    await expect(train).toBeVisible();
    await page.evaluate(() => document.fonts.ready);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    const box = (await train.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(1280);
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    // The main demo is the only trainer on load: comparisons further down still wait to be scrolled to.
    await page.waitForTimeout(500);
    await expect(page.getByTestId('trainer')).toHaveCount(1);
    await expect(page.locator('[data-main-demo]').getByTestId('trainer')).toHaveCount(1);
  });
}

test('presenter mode on a projector: the race fills the screen, reads from the back, and Space trains and shows it', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('./#/optimization/learning-rates?backend=wasm&present=1');
  await expect(page.locator('html')).toHaveClass(/presenter/);
  const demo = page.locator('[data-main-demo]');
  const trainer = demo.getByTestId('trainer');
  await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 90_000 });
  // Read elsewhere on the page, with nothing focused: the chart is out of sight.
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, document.documentElement.scrollHeight);
  });
  expect(await chartShare(page)).toBeLessThan(0.4);
  await page.keyboard.press(' ');
  await expect(trainer.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
  await waitForStep(page, 2, 90_000, trainer);
  await expect.poll(() => chartShare(page)).toBeGreaterThanOrEqual(0.4);
  // Tick labels and axis titles (SVG) and the legend (HTML), at 24 px or more.
  const chart = demo.locator('.loss-chart').first();
  await expect(chart.locator('.recharts-cartesian-axis-tick text').first()).toBeVisible();
  const sizes = await chart.evaluate((fig) => {
    const px = (sel: string) => [...fig.querySelectorAll(sel)].map((el) => parseFloat(getComputedStyle(el).fontSize));
    return {
      ticks: px('.recharts-cartesian-axis-tick text'),
      titles: px('.axis-title'),
      legend: px('figcaption, figcaption button, figcaption span'),
    };
  });
  expect(sizes.ticks.length).toBeGreaterThan(4);
  expect(sizes.titles).toHaveLength(2);
  expect(sizes.legend.length).toBeGreaterThan(4);
  expect(Math.min(...sizes.ticks, ...sizes.titles, ...sizes.legend)).toBeGreaterThanOrEqual(24);
  // The lines' end labels too, each whole inside the figure and the chart's box (which clips what reaches past it),
  // none drawn over another; and the axis titles inside the box. Read in one go: the chart redraws while it trains.
  await expect(chart.locator('.end-labels text').first()).toBeVisible();
  const drawn = await chart.evaluate((fig) => {
    const rect = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    return {
      figure: rect(fig),
      box: rect(fig.querySelector('.chart-box')!),
      labels: [...fig.querySelectorAll('.end-labels text')].map((t) => ({
        text: t.textContent,
        px: parseFloat(getComputedStyle(t).fontSize),
        ...rect(t),
      })),
      titles: [...fig.querySelectorAll('.axis-title')].map(rect),
    };
  });
  expect(drawn.labels.length).toBeGreaterThanOrEqual(2);
  type Box = { left: number; top: number; right: number; bottom: number };
  const inside = (b: Box, outer: Box) =>
    b.left >= outer.left - 0.5 &&
    b.right <= outer.right + 0.5 &&
    b.top >= outer.top - 0.5 &&
    b.bottom <= outer.bottom + 0.5;
  for (const l of drawn.labels) {
    expect(l.px, l.text ?? '').toBeGreaterThanOrEqual(24);
    expect(inside(l, drawn.figure), `${l.text} inside the figure`).toBe(true);
    expect(inside(l, drawn.box), `${l.text} inside the chart's box`).toBe(true);
  }
  for (const t of drawn.titles) expect(inside(t, drawn.box), 'axis title inside the chart box').toBe(true);
  // A tenth of an em of slack: a text box is the font's whole line height, a little more than the glyphs.
  const overlap = (a: Box, b: Box) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2.4 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2.4;
  for (const [i, a] of drawn.labels.entries())
    for (const b of drawn.labels.slice(i + 1)) expect(overlap(a, b), `${a.text} over ${b.text}`).toBe(false);
  // The trainer's buttons are in view with the chart.
  await expect(trainer.getByRole('button', { name: 'Pause', exact: true })).toBeInViewport();
  await page.keyboard.press(' ');
  await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeVisible();
  // With reduced motion the jump is instant: the chart is in view as soon as the key is handled.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  expect(await chartShare(page)).toBeLessThan(0.4);
  await page.keyboard.press(' ');
  expect(await chartShare(page)).toBeGreaterThanOrEqual(0.4);
  // Space pauses once the worker has said it is running (on a loaded machine that can take a moment).
  await expect(trainer.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
  await page.keyboard.press(' ');
  await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeVisible();
});
