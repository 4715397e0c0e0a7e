// Phones: every pickable token is a target of at least 24x24 CSS px (WCAG 2.2,
// 2.5.8 Target Size (Minimum)), measured on a 360x740 screen where one
// character is about 8 px wide.
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';

const MIN = 24;

async function smallest(buttons: Locator): Promise<{ count: number; width: number; height: number }> {
  const boxes = await buttons.evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { width: r.width, height: r.height };
    }),
  );
  return {
    count: boxes.length,
    width: Math.min(...boxes.map((b) => b.width)),
    height: Math.min(...boxes.map((b) => b.height)),
  };
}

test.use({ viewport: { width: 360, height: 740 } });

test('the scored sentence’s tokens are at least 24x24 px on a phone', async ({ page }) => {
  await page.goto('./#/objectives/decoder-only');
  const strip = page.getByTestId('token-strip').first();
  await expect(strip.locator('button.token').first()).toBeVisible({ timeout: 60_000 });
  const s = await smallest(strip.locator('button.token'));
  expect(s.count).toBeGreaterThan(10);
  expect(s.width, 'narrowest token').toBeGreaterThanOrEqual(MIN - 0.01);
  expect(s.height, 'shortest token').toBeGreaterThanOrEqual(MIN - 0.01);
});

test('the noising demos’ token chips are at least 24x24 px on a phone', async ({ page }) => {
  await page.goto('./#/objectives/encoder-decoder');
  const chips = page.locator('button.bert-token');
  await expect(chips.first()).toBeVisible({ timeout: 60_000 });
  const s = await smallest(chips);
  expect(s.count).toBeGreaterThan(10);
  expect(s.width, 'narrowest chip').toBeGreaterThanOrEqual(MIN - 0.01);
  expect(s.height, 'shortest chip').toBeGreaterThanOrEqual(MIN - 0.01);
});
