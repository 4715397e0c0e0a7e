import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as core from './index';

describe('core public surface', () => {
  it('exports the contract', () => {
    for (const name of [
      'makeRng',
      'lrAt',
      'adamInit',
      'adamStep',
      'clipByGlobalNorm',
      'toFloat16',
      'bertMask',
      'spanCorrupt',
      'buildCharTokenizer',
      'buildWordTokenizer',
      'tokenPieces',
      'sampleFromLogits',
      'logSoftmax',
      'sampleBatch',
    ]) {
      expect(typeof (core as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('imports nothing outside src/core (no tfjs, no DOM), so it runs in Node and in workers', () => {
    const dir = new URL('./', import.meta.url);
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'testing.ts');
    for (const file of sources) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const specifiers = [...text.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]);
      for (const s of specifiers) expect(s.startsWith('./'), `${file} imports ${s}`).toBe(true);
      expect(/\b(document|window|localStorage)\./.test(text), `${file} touches the DOM`).toBe(false);
    }
  });
});
