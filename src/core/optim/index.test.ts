import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as core from '../index';
import * as optim from './index';

describe('src/core/optim public surface', () => {
  it('exports the optimisers, surfaces, race and memory helpers', () => {
    for (const name of [
      'sgdStep',
      'adafactorInit',
      'adafactorStep',
      'reconstructSecondMoment',
      'quadraticSurface',
      'runRace',
      'gptDecoderShapes',
      'trainingMemory',
    ]) {
      expect(typeof (optim as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('shares no export name with src/core/index.ts, so `export * from "./optim"` there is safe', () => {
    const clash = Object.keys(optim).filter(
      (k) => k in core && (core as Record<string, unknown>)[k] !== (optim as Record<string, unknown>)[k],
    );
    expect(clash).toEqual([]);
  });

  it('imports only src/core files (no tfjs, no DOM)', () => {
    const dir = new URL('./', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      for (const m of text.matchAll(/from\s+'([^']+)'/g)) {
        expect(m[1] === '../adam' || m[1].startsWith('./'), `${file} imports ${m[1]}`).toBe(true);
      }
      expect(/\b(document|window|localStorage)\./.test(text), `${file} touches the DOM`).toBe(false);
    }
  });
});
