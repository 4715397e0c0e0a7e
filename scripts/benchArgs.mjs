// The pure part of scripts/bench.mjs: its command line, the environment the
// PyTorch yardstick runs in, and the arithmetic of the browser/PyTorch ratio.
// Tested in bench.test.ts; bench.mjs does the timing.

/** OpenBLAS variables that pin a kernel other than the one OpenBLAS picks for this CPU (slower here). */
export const PINNING_VARS = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'];

const NUMBERS = { steps: 60, warmup: 10, port: 4199, soak: 0, pairs: 3, start: 0 };

/**
 * The bench's options from its arguments (process.argv.slice(2)). Throws on an
 * unknown flag or a value that is not a count, so a typo cannot run a
 * different benchmark than the one asked for.
 */
export function parseBenchArgs(argv) {
  const opts = {
    ...NUMBERS,
    backends: null,
    outDir: 'dist',
    build: true,
    torch: false,
    torchThreads: [1, 2],
    allowSlowBlas: false,
    route: 'objectives/decoder-only',
    threads: null,
    workers: null,
    params: '',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value`);
      return v;
    };
    const count = (min) => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) throw new Error(`${arg} must be an integer >= ${min}, got "${v}"`);
      return n;
    };
    const name = arg.replace(/^--/, '');
    if (name in NUMBERS && arg.startsWith('--')) opts[name] = count(name === 'pairs' || name === 'port' ? 1 : 0);
    else if (arg === '--backends') opts.backends = value().split(',').filter(Boolean);
    else if (arg === '--out-dir') opts.outDir = value();
    else if (arg === '--route') {
      // A page's hash route, e.g. optimization/mixed-precision (its first trainer is timed).
      opts.route = value().replace(/^[#/]+/, '');
      if (!/^[a-z0-9-]+(\/[a-z0-9-]+)*$/.test(opts.route))
        throw new Error(`--route must be a page route, got "${opts.route}"`);
    } else if (arg === '--threads') {
      // 1: the page's ?threads=1, the kernels on one thread although the page is isolated.
      const v = value();
      if (v !== '1' && v !== '2') throw new Error(`--threads must be 1 or 2, got "${v}"`);
      opts.threads = v === '1' ? 1 : null;
    } else if (arg === '--params') {
      // The page's own settings, as in its link after the route: e.g. obj2=none (one objective).
      opts.params = value();
      if (!/^[A-Za-z0-9_]+=[A-Za-z0-9._-]*(&[A-Za-z0-9_]+=[A-Za-z0-9._-]*)*$/.test(opts.params))
        throw new Error(`--params must be key=value pairs joined by &, got "${opts.params}"`);
    } else if (arg === '--workers') {
      // The page's ?workers=N (1 to 8): how many workers a multi-arm run is spread over.
      const v = value();
      const n = Number(v);
      if (!(Number.isInteger(n) && n >= 1 && n <= 8)) throw new Error(`--workers must be 1 to 8, got "${v}"`);
      opts.workers = n;
    } else if (arg === '--no-build') opts.build = false;
    else if (arg === '--torch') opts.torch = true;
    else if (arg === '--allow-slow-blas') opts.allowSlowBlas = true;
    else if (arg === '--torch-threads') {
      const v = value();
      opts.torchThreads = v.split(',').map(Number);
      if (!opts.torchThreads.every((n) => Number.isInteger(n) && n >= 1))
        throw new Error(`--torch-threads must list positive integers, got "${v}"`);
    } else throw new Error(`unknown argument "${arg}"`);
  }
  // With --torch the browser side of each pair is wasm unless --backends says otherwise.
  opts.backends ??= opts.torch ? ['wasm'] : ['wasm', 'webgl', 'cpu', 'webgpu'];
  return opts;
}

/** The page address's query before the hash: ?threads=1 and ?workers=N as asked ('' for neither). */
export function benchQuery(opts) {
  const q = new URLSearchParams();
  if (opts.threads === 1) q.set('threads', '1');
  if (opts.workers !== null) q.set('workers', String(opts.workers));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The environment for the PyTorch child: this one without the OpenBLAS pinning variables. */
export function torchEnv(env) {
  const out = { ...env };
  for (const name of PINNING_VARS) delete out[name];
  return out;
}

export const median = (xs) => {
  if (xs.length === 0) throw new Error('median of nothing');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The fastest of a pair's PyTorch runs (one per thread count), by tokens per second. */
export const bestRun = (runs) => runs.reduce((best, r) => (r.tokensPerSecond > best.tokensPerSecond ? r : best));

/**
 * The bench's last line for --torch: each pair's ratio (browser tokens/s over
 * the best PyTorch tokens/s of that pair) and their median.
 */
export function pairRatios(pairs) {
  const ratios = pairs.map(({ browser, torch }) => browser.tokensPerSecond / bestRun(torch).tokensPerSecond);
  return {
    ratio: Number(median(ratios).toFixed(3)),
    pairRatios: ratios.map((r) => Number(r.toFixed(3))),
    browserTokensPerSecond: pairs.map((p) => p.browser.tokensPerSecond),
    torchTokensPerSecond: pairs.map((p) => bestRun(p.torch).tokensPerSecond),
    torchThreads: pairs.map((p) => bestRun(p.torch).threads),
  };
}

/** The JSON line a bench_torch.py run printed last on stdout (warnings go to stderr). */
export function lastJsonLine(stdout) {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/**
 * Wall-clock ms per step over the timed steps, from when each step reached the
 * page (`arrivals`, one per step): from the last warm-up step's arrival to the
 * last timed step's, over `steps` steps (without warm-up, from the first).
 */
export function wallMsPerStep(arrivals, warmup, steps) {
  const end = arrivals[warmup + steps - 1];
  if (end === undefined || steps < 1)
    throw new Error(`wallMsPerStep: ${arrivals.length} arrivals, need ${warmup + steps}`);
  if (warmup > 0) return (end - arrivals[warmup - 1]) / steps;
  return steps > 1 ? (end - arrivals[0]) / (steps - 1) : Number.NaN;
}
