// Draws the notebook's icon as SVG and rasterises it with Chromium (Playwright,
// no network): public/icons/icon.svg (the favicon), icon-192.png and
// icon-512.png (rounded, for the web app manifest), and icon-maskable-512.png
// (full bleed, the drawing inside the central 80% safe zone, for launchers
// that cut their own shape). Run `node scripts/make_icons.mjs` after changing
// the drawing, and commit what it writes.
import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium.mjs';

const BLUE = '#2456a6'; // --accent in src/app/styles.css
const PAPER = '#fbfaf7'; // --bg

// A loss curve falling over a faint grid, on a 100×100 canvas.
const GLYPH = `
  <g fill="none" stroke-linecap="round" stroke-linejoin="round">
    <path d="M22 26 V78 H80" stroke="${PAPER}" stroke-opacity="0.55" stroke-width="4"/>
    <path d="M26 30 C34 52 40 60 50 64 S68 70 78 70" stroke="${PAPER}" stroke-width="7"/>
  </g>
  <circle cx="26" cy="30" r="5.5" fill="${PAPER}"/>
  <circle cx="78" cy="70" r="5.5" fill="#ffd23f"/>`;

const svg = (maskable) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">` +
  (maskable
    ? `<rect width="100" height="100" fill="${BLUE}"/><g transform="translate(10 10) scale(0.8)">${GLYPH}</g>`
    : `<rect width="100" height="100" rx="22" fill="${BLUE}"/>${GLYPH}`) +
  `</svg>\n`;

writeFileSync('public/icons/icon.svg', svg(false));

const browser = await chromium.launch(chromiumLaunchOptions());
try {
  const page = await browser.newPage();
  for (const [file, size, maskable] of [
    ['icon-192.png', 192, false],
    ['icon-512.png', 512, false],
    ['icon-maskable-512.png', 512, true],
  ]) {
    await page.setViewportSize({ width: size, height: size });
    const body = svg(maskable).replace('<svg ', `<svg width="${size}" height="${size}" `);
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block}</style>${body}`);
    await page.screenshot({ path: `public/icons/${file}`, omitBackground: true });
  }
} finally {
  await browser.close();
}
console.log('wrote public/icons/icon.svg, icon-192.png, icon-512.png, icon-maskable-512.png');
