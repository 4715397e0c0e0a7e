import { describe, expect, it } from 'vitest';
import type { BackendReport } from '../contract';
import { forcedWorkers, MAX_FORCED_WORKERS, spreadFor, spreadReport } from './trainerFleet';

describe('forcedWorkers (?workers=N)', () => {
  it('reads a whole number from 1 to the most allowed', () => {
    expect(forcedWorkers('?workers=2')).toBe(2);
    expect(forcedWorkers('?kernels=simd&workers=1')).toBe(1);
    expect(forcedWorkers(`?workers=${MAX_FORCED_WORKERS}`)).toBe(MAX_FORCED_WORKERS);
  });
  it('ignores anything else: the core count decides', () => {
    for (const search of [
      '',
      '?workers=',
      '?workers=0',
      '?workers=-1',
      '?workers=1.5',
      '?workers=abc',
      `?workers=${MAX_FORCED_WORKERS + 1}`,
    ])
      expect(forcedWorkers(search)).toBeUndefined();
  });
});

describe('spreadReport', () => {
  const report: BackendReport = {
    name: 'wasm',
    reason: 'asked for',
    kernels: { level: 'relaxed', capped: false, threads: 2 },
  };
  it('says the run is spread and that the kernels run on one thread, and why', () => {
    expect(spreadReport(report, 3, 5)).toEqual({
      name: 'wasm',
      reason: 'asked for',
      kernels: {
        level: 'relaxed',
        capped: false,
        threads: 1,
        oneThreadBecause: "the run's arms are spread over workers",
      },
      spread: { workers: 3, arms: 5 },
    });
  });
  it('keeps an earlier reason for one thread, and adds no kernels to a backend without them', () => {
    const capped = {
      ...report,
      kernels: { ...report.kernels!, threads: 1 as const, oneThreadBecause: 'capped by ?threads=1' },
    };
    expect(spreadReport(capped, 2, 2).kernels?.oneThreadBecause).toBe('capped by ?threads=1');
    expect(spreadReport({ name: 'webgl', reason: 'asked for' }, 2, 2)).toEqual({
      name: 'webgl',
      reason: 'asked for',
      spread: { workers: 2, arms: 2 },
    });
  });
});

describe('spreadFor', () => {
  const on = (name: BackendReport['name']): BackendReport => ({ name, reason: 'test' });
  it('spreads a run on wasm or cpu over up to cores-1 workers, all on that backend', () => {
    expect(spreadFor(on('wasm'), 'wasm', 5, 8)).toEqual({ spread: 5, backend: 'wasm' });
    expect(spreadFor(on('cpu'), 'cpu', 5, 4)).toEqual({ spread: 3, backend: 'cpu' });
    expect(spreadFor(on('wasm'), 'wasm', 5, 2)).toEqual({ spread: 1, backend: 'wasm' });
    expect(spreadFor(on('wasm'), 'wasm', 5, 2, 2)).toEqual({ spread: 2, backend: 'wasm' });
  });
  it('auto: the backend the first worker runs now (wasm before it has reported), never auto again', () => {
    expect(spreadFor(null, 'auto', 3, 8)).toEqual({ spread: 3, backend: 'wasm' });
    expect(spreadFor(on('wasm'), 'auto', 3, 8)).toEqual({ spread: 3, backend: 'wasm' });
  });
  it('keeps a run on a GPU backend on one worker', () => {
    expect(spreadFor(on('webgpu'), 'auto', 5, 8).spread).toBe(1);
    expect(spreadFor(on('webgl'), 'webgl', 5, 8, 4).spread).toBe(1);
    expect(spreadFor(null, 'webgl', 5, 8).spread).toBe(1);
  });
});
