import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { precacheManifest, serviceWorkerSource, shouldPrecache } from './serviceWorker';

const file = (path: string, text = path) => ({ path, bytes: new TextEncoder().encode(text) });

describe('the precache manifest', () => {
  it('keeps the app shell and leaves out the worker itself, source maps, the screenshot and old font formats', () => {
    for (const p of [
      'index.html',
      'manifest.webmanifest',
      'assets/index-abc.js',
      'assets/trainer.worker-x.js',
      'assets/tfjs-backend-wasm-simd-1.wasm',
      'assets/KaTeX_Main-Regular-B2.woff2',
      'corpus/brown.json',
      'icons/icon-192.png',
    ])
      expect(shouldPrecache(p), p).toBe(true);
    for (const p of ['sw.js', 'assets/index-abc.js.map', 'screenshot.png', 'assets/K-1.woff', 'assets/K-1.ttf'])
      expect(shouldPrecache(p), p).toBe(false);
  });

  it('is sorted, hashes contents, and its version changes with any file and only then', () => {
    const a = precacheManifest([file('b.js', 'one'), file('a.js', 'two'), file('sw.js')]);
    expect(a.entries.map(([p]) => p)).toEqual(['a.js', 'b.js']);
    expect(a.entries[0][1]).toMatch(/^[0-9a-f]{16}$/);
    expect(precacheManifest([file('a.js', 'two'), file('b.js', 'one')]).version).toBe(a.version);
    expect(precacheManifest([file('a.js', 'two'), file('b.js', 'ONE')]).version).not.toBe(a.version);
    // The service worker changing alone does not make a new version of the cache.
    expect(precacheManifest([file('a.js', 'two'), file('b.js', 'one'), file('sw.js', 'new')]).version).toBe(a.version);
  });

  it('fills the real template, which then parses', () => {
    const template = readFileSync('src/sw.js', 'utf8');
    const manifest = precacheManifest([file('index.html'), file('corpus/toy.json')]);
    const source = serviceWorkerSource(template, manifest);
    expect(source).not.toContain('__PRECACHE__;');
    expect(source).toContain(`const VERSION = "${manifest.version}";`);
    expect(source).toContain('["corpus/toy.json","');
    expect(() => new Function(source)).not.toThrow();
    expect(() => serviceWorkerSource('const x = 1;', manifest)).toThrow(/placeholder|__PRECACHE__/);
  });
});
