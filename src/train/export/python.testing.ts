// Finding a Python to run the exported scripts with, for the tests that run them.
// Debian's python3-torch installs into /usr/bin/python3, which a pyenv or venv
// python3 earlier on PATH does not see, so the candidates are tried in order.
import { spawnSync } from 'node:child_process';

const CANDIDATES = [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);

function works(python: string, code: string): boolean {
  const r = spawnSync(python, ['-c', code], { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0;
}

let plain: string | null | undefined;
let withTorch: string | null | undefined;

/** A python3 that starts, or null. */
export function findPython(): string | null {
  if (plain === undefined) plain = CANDIDATES.find((p) => works(p, 'import json')) ?? null;
  return plain;
}

/** A python3 that imports torch, or null. */
export function findTorchPython(): string | null {
  if (withTorch === undefined) withTorch = CANDIDATES.find((p) => works(p, 'import torch')) ?? null;
  return withTorch;
}

/**
 * Whether a test that needs `what` may run. Without it a local run skips with
 * the reason printed; under CI (`CI` set) the missing tool is a failure, so a
 * broken install cannot pass silently.
 */
export function requireTool(found: string | null, what: string): boolean {
  if (found) return true;
  const message = `${what} not found (set PYTHON, or apt-get install python3-torch python3-numpy)`;
  if (process.env.CI) throw new Error(message);
  console.warn(`skipping: ${message}`);
  return false;
}

/** Runs `python` on a program given as text with stdin `input`; returns stdout, throwing with stderr on failure. */
export function runPython(
  python: string,
  args: string[],
  opts: { input?: string; timeoutMs?: number; env?: Record<string, string> } = {},
): string {
  const r = spawnSync(python, args, {
    encoding: 'utf8',
    env: opts.env ? { ...process.env, ...opts.env } : process.env,
    input: opts.input,
    timeout: opts.timeoutMs ?? 240_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new Error(`${python} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}\n${r.stdout}`);
  }
  return r.stdout;
}
