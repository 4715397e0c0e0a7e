// An automated accessibility audit (axe-core, WCAG 2.0, 2.1 and 2.2 A and AA
// rules) of every route, in the normal theme, in presenter mode's high-contrast
// theme and in the dark theme (prefers-color-scheme: dark), on a laptop's
// window and on a phone's (where 2.2's 24 px target size matters most).
// Axe finds what a machine can (contrast, names, roles, heading order); it
// does not replace trying the pages with a keyboard and a screen reader.
import AxeBuilder from '@axe-core/playwright';
import { ALL_SECTIONS } from '../src/pages/sections';
import { expect, scrollThrough, test, waitForStep } from './fixtures';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const LAPTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };

async function violations(page: import('@playwright/test').Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | ')}`,
  );
}

for (const s of [{ path: '/' }, ...ALL_SECTIONS]) {
  test(`${s.path} passes axe's WCAG 2.2 A/AA checks, also in presenter mode, the dark theme and on a phone`, async ({
    page,
  }) => {
    for (const [query, colorScheme, viewport] of [
      ['', 'light', LAPTOP],
      ['?present=1', 'light', LAPTOP],
      ['', 'dark', LAPTOP],
      ['', 'light', PHONE],
      ['', 'dark', PHONE],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme });
      await page.goto(`./#${s.path}${query}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      // The badge has settled on a backend (its text is part of what is checked).
      // (The contents page starts no backend: its badge says so.)
      await expect(page.getByTestId('backend-badge').first()).toHaveText(
        s.path === '/' ? 'not started' : /^(webgpu|webgl|wasm|cpu)$/,
      );
      await scrollThrough(page);
      expect(await violations(page), `axe on ${s.path}${query} (${colorScheme}, ${viewport.width} px)`).toEqual([]);
    }
  });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the decoder-only page passes axe while it trains (chart, sample, scored tokens, a picked token), ${colorScheme}`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme });
    await page.goto('./#/objectives/decoder-only?backend=wasm&layers=1&width=32&ctx=32&batch=8');
    const trainer = page.getByTestId('trainer');
    await trainer.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, 30, 60_000, trainer);
    await page.getByTestId('token-strip').locator('.token').nth(3).click();
    expect(await violations(page)).toEqual([]);
    await trainer.getByRole('button', { name: 'Pause', exact: true }).click();
  });
}
