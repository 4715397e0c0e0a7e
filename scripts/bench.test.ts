// The untimed parts of `npm run bench -- --torch`: its command line, the
// PyTorch child's environment, the ratio's arithmetic, and (through Python's
// unittest) bench_torch.py's decision on which BLAS is a fair yardstick.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import * as bench from './benchArgs.mjs';

interface Run {
  tokensPerSecond: number;
  threads?: number;
}
const { parseBenchArgs, torchEnv, median, pairRatios, lastJsonLine, bestRun, benchQuery, wallMsPerStep } =
  bench as unknown as {
    parseBenchArgs: (argv: string[]) => Record<string, unknown>;
    benchQuery: (opts: Record<string, unknown>) => string;
    wallMsPerStep: (arrivals: number[], warmup: number, steps: number) => number;
    torchEnv: (env: Record<string, string | undefined>) => Record<string, string | undefined>;
    median: (xs: number[]) => number;
    bestRun: (runs: Run[]) => Run;
    pairRatios: (pairs: { browser: Run; torch: Run[] }[]) => {
      ratio: number;
      pairRatios: number[];
      browserTokensPerSecond: number[];
      torchTokensPerSecond: number[];
      torchThreads: (number | undefined)[];
    };
    lastJsonLine: (stdout: string) => unknown;
  };

describe('parseBenchArgs', () => {
  it('has the documented defaults', () => {
    expect(parseBenchArgs([])).toMatchObject({
      steps: 60,
      warmup: 10,
      port: 4199,
      soak: 0,
      pairs: 3,
      start: 0,
      backends: ['wasm', 'webgl', 'cpu', 'webgpu'],
      outDir: 'dist',
      build: true,
      torch: false,
      torchThreads: [1, 2],
      allowSlowBlas: false,
      route: 'objectives/decoder-only',
    });
  });

  it('times another page with --route, and refuses anything that is not a route', () => {
    expect(parseBenchArgs(['--route', 'optimization/mixed-precision'])).toMatchObject({
      route: 'optimization/mixed-precision',
    });
    expect(parseBenchArgs(['--route', '#/optimization/mixed-precision'])).toMatchObject({
      route: 'optimization/mixed-precision',
    });
    expect(() => parseBenchArgs(['--route', 'x?lr=1'])).toThrow(/--route must be a page route/);
    expect(() => parseBenchArgs(['--route'])).toThrow(/needs a value/);
    expect(parseBenchArgs([]).params).toBe('');
    expect(parseBenchArgs(['--params', 'obj2=none&lr=0.005']).params).toBe('obj2=none&lr=0.005');
    expect(() => parseBenchArgs(['--params', 'x'])).toThrow(/--params must be key=value pairs/);
    expect(() => parseBenchArgs(['--params', 'a=1#/x'])).toThrow(/--params must be key=value pairs/);
  });

  it('caps the kernels at one thread with --threads 1 (2: as the page allows)', () => {
    expect(parseBenchArgs([]).threads).toBeNull();
    expect(parseBenchArgs(['--threads', '1']).threads).toBe(1);
    expect(parseBenchArgs(['--threads', '2']).threads).toBeNull();
    expect(() => parseBenchArgs(['--threads', '4'])).toThrow(/--threads must be 1 or 2/);
  });

  it('spreads a multi-arm run over --workers N (1 to 8), and puts both flags before the hash', () => {
    expect(parseBenchArgs([]).workers).toBeNull();
    expect(parseBenchArgs(['--workers', '3']).workers).toBe(3);
    expect(() => parseBenchArgs(['--workers', '0'])).toThrow(/--workers must be 1 to 8/);
    expect(() => parseBenchArgs(['--workers', '2.5'])).toThrow(/--workers must be 1 to 8/);
    expect(benchQuery(parseBenchArgs([]))).toBe('');
    expect(benchQuery(parseBenchArgs(['--threads', '1']))).toBe('?threads=1');
    expect(benchQuery(parseBenchArgs(['--workers', '2', '--threads', '1']))).toBe('?threads=1&workers=2');
  });

  it('runs wasm against PyTorch with --torch unless --backends says otherwise', () => {
    expect(parseBenchArgs(['--torch'])).toMatchObject({ torch: true, backends: ['wasm'], pairs: 3 });
    expect(parseBenchArgs(['--torch', '--backends', 'webgl', '--pairs', '5'])).toMatchObject({
      backends: ['webgl'],
      pairs: 5,
    });
  });

  it('reads every flag', () => {
    const o = parseBenchArgs([
      '--steps',
      '20',
      '--warmup',
      '3',
      '--no-build',
      '--out-dir',
      'dist-d',
      '--port',
      '4176',
      '--start',
      '4',
      '--torch-threads',
      '1,2,4',
      '--allow-slow-blas',
      '--soak',
      '2000',
    ]);
    expect(o).toMatchObject({
      steps: 20,
      warmup: 3,
      build: false,
      outDir: 'dist-d',
      port: 4176,
      start: 4,
      torchThreads: [1, 2, 4],
      allowSlowBlas: true,
      soak: 2000,
    });
  });

  it('refuses unknown flags, missing values and values that are not counts', () => {
    expect(() => parseBenchArgs(['--pair', '3'])).toThrow(/unknown argument "--pair"/);
    expect(() => parseBenchArgs(['--pairs'])).toThrow(/--pairs needs a value/);
    expect(() => parseBenchArgs(['--pairs', '--torch'])).toThrow(/--pairs needs a value/);
    expect(() => parseBenchArgs(['--pairs', '0'])).toThrow(/integer >= 1/);
    expect(() => parseBenchArgs(['--steps', '1.5'])).toThrow(/integer >= 0/);
    expect(() => parseBenchArgs(['--torch-threads', '1,x'])).toThrow(/positive integers/);
  });
});

describe('torchEnv', () => {
  it('drops the OpenBLAS pinning variables and keeps the rest, without touching its argument', () => {
    const env = { OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '512', OPENBLAS_NUM_THREADS: '2', PATH: '/bin' };
    expect(torchEnv(env)).toEqual({ OPENBLAS_NUM_THREADS: '2', PATH: '/bin' });
    expect(env.OPENBLAS_CORETYPE).toBe('Haswell');
  });
});

describe('the ratio', () => {
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('takes the best PyTorch thread count of each pair and the median of the pair ratios', () => {
    const pairs = [
      {
        browser: { tokensPerSecond: 20_000 },
        torch: [
          { tokensPerSecond: 80_000, threads: 1 },
          { tokensPerSecond: 40_000, threads: 2 },
        ],
      },
      {
        browser: { tokensPerSecond: 30_000 },
        torch: [
          { tokensPerSecond: 50_000, threads: 1 },
          { tokensPerSecond: 60_000, threads: 2 },
        ],
      },
      { browser: { tokensPerSecond: 10_000 }, torch: [{ tokensPerSecond: 100_000, threads: 1 }] },
    ];
    const r = pairRatios(pairs);
    expect(r.pairRatios).toEqual([0.25, 0.5, 0.1]);
    expect(r.ratio).toBe(0.25);
    expect(r.torchTokensPerSecond).toEqual([80_000, 60_000, 100_000]);
    expect(r.torchThreads).toEqual([1, 2, 1]);
    expect(r.browserTokensPerSecond).toEqual([20_000, 30_000, 10_000]);
    expect(bestRun([{ tokensPerSecond: 1 }, { tokensPerSecond: 3 }, { tokensPerSecond: 2 }]).tokensPerSecond).toBe(3);
  });

  it('reads the last JSON line of bench_torch.py', () => {
    expect(lastJsonLine('{"a":1}\n{"backend":"torch-cpu","tokensPerSecond":5}\n')).toEqual({
      backend: 'torch-cpu',
      tokensPerSecond: 5,
    });
  });
});

const PYTHON = [process.env.PYTHON, '/usr/bin/python3', 'python3'].find(
  (p) => p && spawnSync(p, ['-c', 'import unittest'], { encoding: 'utf8' }).status === 0,
);

describe('bench_torch.py BLAS check (scripts/test_bench_blas.py)', () => {
  it.skipIf(!PYTHON && !process.env.CI)('passes its Python unit tests', () => {
    expect(PYTHON, 'no python3 found').toBeTruthy();
    const r = spawnSync(PYTHON as string, ['-m', 'unittest', '-v', 'test_bench_blas'], {
      cwd: new URL('.', import.meta.url).pathname,
      encoding: 'utf8',
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    expect(r.stderr).toMatch(/Ran \d+ tests/);
    expect(r.status, r.stderr).toBe(0);
  });
});

describe('wallMsPerStep', () => {
  it('times the steps after warm-up by when they reached the page', () => {
    // Warm-up steps arrive at 0..40; the timed ones every 20 ms after.
    const arrivals = [0, 10, 20, 30, 40, 60, 80, 100];
    expect(wallMsPerStep(arrivals, 5, 3)).toBe(20);
    expect(wallMsPerStep(arrivals, 0, 5)).toBe(10);
    // Steps merged into one message arrive together: the pace still comes out over the whole span.
    expect(wallMsPerStep([0, 0, 30, 30, 60, 60], 2, 4)).toBe(15);
  });
  it('refuses too few arrivals', () => {
    expect(() => wallMsPerStep([0, 1], 2, 3)).toThrow(/need 5/);
  });
});
