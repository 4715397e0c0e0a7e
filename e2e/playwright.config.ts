import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../scripts/chromium.mjs';

// The end-to-end tests run against the production build (npm test builds it
// first), served by `vite preview`.
const PORT = Number(process.env.E2E_PORT ?? 4173);
// Another build folder (vite build --outDir dist-x), so two checkouts' runs do not share dist/.
const DIST = process.env.E2E_DIST ?? 'dist';

export default defineConfig({
  testDir: '.',
  outputDir: '../test-results',
  testMatch: '**/*.spec.ts',
  // Two cores: one test at a time keeps training steps and timings stable.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    launchOptions: chromiumLaunchOptions(),
    viewport: { width: 1280, height: 900 },
    trace: 'off',
  },
  webServer: {
    cwd: '..',
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort --outDir ${DIST}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
