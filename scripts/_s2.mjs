import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '/work/main/scripts/chromium.mjs';
const [route, prefix, w] = process.argv.slice(2);
const browser = await chromium.launch(chromiumLaunchOptions());
const page = await browser.newPage({ viewport: { width: Number(w), height: 1400 } });
await page.goto(`http://127.0.0.1:4173/#${route}`);
await page.waitForTimeout(2000);
const t = page.getByTestId('trainer').first();
await t.getByRole('button', { name: 'Train' }).click();
await page.waitForTimeout(6000);
const top = await page.getByRole('heading', { name: /Train a tiny GPT/ }).evaluate((h) => h.getBoundingClientRect().top + window.scrollY);
for (let i = 0; i < 3; i++) {
  await page.evaluate((y) => window.scrollTo(0, y), top + i * 1400);
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${prefix}${i}.png` });
}
await browser.close();
