// The exported script's scaling flags. Issue 17's torchrun smoke test: under
// `python -m torch.distributed.run --nproc_per_node 2` (DistributedDataParallel,
// gloo on CPU, each rank its half of every batch) it must train exactly as one
// process with the same global batch. A checkpoint must resume the same run
// bit for bit, and --scale must build the larger model.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultValues } from '../../src/core/params';
import { MP_PARAMS, toMixedRun } from '../../src/pages/mixed-precision/params';
import { DECODER_PARAMS, toRunSpec } from '../../src/pages/tinyGpt';
import { findTorchPython, requireTool, runPython } from '../../src/train/export/python.testing';
import { diskCorpus, parseCurve, writeExport } from './curves';

const python = findTorchPython();
const STEPS = 20;

describe.runIf(requireTool(python, 'python3 with torch'))('the exported script under torchrun', () => {
  it('gives two gloo processes the losses of one process with the same global batch', { timeout: 300_000 }, () => {
    const run = toRunSpec(defaultValues(DECODER_PARAMS), diskCorpus('brown'));
    const { dir, script } = writeExport(run);
    const args = [script, '--device', 'cpu', '--steps', String(STEPS), '--eval-every', '10'];
    const single = join(dir, 'single.jsonl');
    const pair = join(dir, 'ddp.jsonl');
    const env = { OMP_NUM_THREADS: '1' };
    runPython(python!, [...args, '--out', single], { env });
    // Debian's torch 1.13 launcher on Python 3.11 cannot parse its own default "0" for
    // --redirects/--tee (an IntFlag change), so stdout is redirected and the curve read from --out.
    runPython(
      python!,
      [
        '-m',
        'torch.distributed.run',
        '--standalone',
        '--nproc_per_node',
        '2',
        '--redirects',
        '1',
        '--tee',
        '1',
        '--log_dir',
        join(dir, 'logs'),
        ...args,
        '--out',
        pair,
      ],
      { env },
    );
    const one = parseCurve(readFileSync(single, 'utf8'));
    const two = parseCurve(readFileSync(pair, 'utf8'));
    expect(one.start?.world).toBe(1);
    expect(two.start?.world).toBe(2);
    expect(two.steps.length).toBe(STEPS);
    expect(one.steps.length).toBe(STEPS);
    one.steps.forEach((p, i) => {
      expect(Math.abs(two.steps[i].loss - p.loss)).toBeLessThan(1e-4);
      expect(Math.abs(two.steps[i].gradNorm - p.gradNorm)).toBeLessThan(1e-4);
    });
    expect(two.evals.map((e) => e.step)).toEqual([0, 10, 20]);
    two.evals.forEach((e, i) => expect(Math.abs(e.heldOutLoss - one.evals[i].heldOutLoss)).toBeLessThan(1e-4));
  });
});

describe.runIf(requireTool(python, 'python3 with torch'))('the exported script’s checkpoints and presets', () => {
  it(
    'resumes from --save exactly where the run left off (loss scale, master weights, data order)',
    { timeout: 300_000 },
    () => {
      const { dir, script } = writeExport(toMixedRun(defaultValues(MP_PARAMS), diskCorpus('brown')));
      const args = [script, '--device', 'cpu', '--eval-every', '10'];
      const ck = join(dir, 'ck.pt');
      const straight = parseCurve(runPython(python!, [...args, '--steps', '20']));
      runPython(python!, [...args, '--steps', '10', '--save', ck]);
      const resumed = parseCurve(runPython(python!, [...args, '--steps', '20', '--resume', ck]));
      expect(resumed.steps.map((p) => p.step)).toEqual(straight.steps.slice(10).map((p) => p.step));
      resumed.steps.forEach((p, i) => expect(p.arms).toEqual(straight.steps[10 + i].arms));
      expect(resumed.evals.at(-1)).toEqual(straight.evals.at(-1));
    },
  );

  it('--scale small trains the deeper, wider model', { timeout: 300_000 }, () => {
    const { script } = writeExport(toRunSpec(defaultValues(DECODER_PARAMS), diskCorpus('brown')));
    const base = parseCurve(runPython(python!, [script, '--device', 'cpu', '--steps', '1']));
    const scaled = parseCurve(runPython(python!, [script, '--device', 'cpu', '--steps', '2', '--scale', 'small']));
    // 4 layers of d 256 against 2 of d 64: about 3.2M parameters against about 0.1M.
    expect(scaled.start!.params).toBeGreaterThan(20 * base.start!.params);
    expect(scaled.steps.length).toBe(2);
    expect(Number.isFinite(scaled.steps[1].loss)).toBe(true);
  });
});
