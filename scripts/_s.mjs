import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '/work/main/scripts/chromium.mjs';
const [route, out, w, h, full] = process.argv.slice(2);
const browser = await chromium.launch(chromiumLaunchOptions());
const page = await browser.newPage({ viewport: { width: Number(w ?? 1280), height: Number(h ?? 900) } });
await page.goto(`http://127.0.0.1:4173/#${route}`);
await page.waitForTimeout(2000);
await page.screenshot({ path: out, fullPage: full === 'full' });
await browser.close();
