// Which Chromium the tests and the benchmark drive, and how: Playwright's own
// build where it is installed, otherwise Debian's /usr/bin/chromium (machines
// that cannot download browsers), or the binary named by CHROMIUM_PATH.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Whether the tests have a browser to drive: CHROMIUM_PATH, Playwright's own, or Debian's. */
export function browserAvailable() {
  if (process.env.CHROMIUM_PATH) return existsSync(process.env.CHROMIUM_PATH);
  try {
    if (existsSync(chromium.executablePath())) return true;
  } catch {
    // Playwright's browser is not installed.
  }
  return SYSTEM_CHROMIUM.some((p) => existsSync(p));
}

/** @returns {string | undefined} undefined means Playwright's own browser. */
export function chromiumExecutable() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {
    // Playwright's browser is not installed.
  }
  return SYSTEM_CHROMIUM.find((p) => existsSync(p));
}

// Headless as root, with WebGL and WebGPU on SwiftShader where there is no GPU,
// and none of Chromium's own network traffic (the machines have no internet).
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-swiftshader',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** @returns {import('@playwright/test').LaunchOptions} */
export function chromiumLaunchOptions() {
  return { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS };
}
