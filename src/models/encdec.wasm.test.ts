// The tiny encoder-decoder on the wasm backend, against the cpu backend and
// the same PyTorch fixture as encdec.test.ts. wasm takes other code paths in
// products.ts (explicit transposes, one-hot row selection, column sums by
// matMul, XNNPACK's operator cache); the encoder output is the left operand
// of every decoder block's xattn.wkv product, and its gradient adds up over
// the blocks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { decodeHidden, disposeEncDecParams, encDecLoss, encode, greedyDecode, type EncDecBatch } from './encdec';
import {
  encDecGoldenBatch,
  loadEncDecGolden,
  relativeError,
  scaledError,
  tidyRead,
  variablesFrom,
} from './fixtures/golden';

const golden = loadEncDecGolden();
const cfg = golden.config;
// Against PyTorch (float64), as in encdec.test.ts.
const TOL = 2e-5;
// wasm against cpu, both float32: only summation order differs.
const BACKEND_TOL = 1e-5;

interface Run {
  loss: number;
  encoderOut: Float32Array;
  decoderHidden: Float32Array;
  logits: Float32Array;
  grads: Record<string, Float32Array>;
  /** Greedy decoding of each source row (maxTarget tokens at most). */
  decoded: number[][];
}

/** Everything the fixture checks, on the current backend, as host arrays. */
async function run(x: EncDecBatch): Promise<Run> {
  const p = variablesFrom(golden.params);
  try {
    const out = tidyRead(() => {
      const mem = encode(p, cfg, x);
      const l = encDecLoss(p, cfg, x);
      return {
        loss: l.loss.dataSync()[0],
        encoderOut: mem.dataSync() as Float32Array,
        decoderHidden: decodeHidden(p, cfg, mem, x.sourceLengths, x.decoderInput).dataSync() as Float32Array,
        logits: l.logits.dataSync() as Float32Array,
      };
    });
    const names = Object.keys(p);
    const grads = tidyRead(() => {
      const { grads } = tf.variableGrads(
        () => encDecLoss(p, cfg, x).loss,
        names.map((n) => p[n]),
      );
      const host: Record<string, Float32Array> = {};
      for (const n of names) host[n] = grads[p[n].name].dataSync() as Float32Array;
      return host;
    });
    const { tokens } = golden;
    const decoded: number[][] = [];
    for (let b = 0; b < x.B; b++) {
      const src = Array.from(x.sourceIds.subarray(b * x.S, b * x.S + x.sourceLengths[b]));
      decoded.push(await greedyDecode(p, cfg, src, { bosId: tokens.bos, eosId: tokens.eos, maxLength: cfg.maxTarget }));
    }
    return { ...out, grads, decoded };
  } finally {
    disposeEncDecParams(p);
  }
}

const batch = encDecGoldenBatch(golden);
let cpu: Run;

describe('encoder-decoder on the wasm backend', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('cpu')).toBe(true);
    cpu = await run(batch);
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('matches cpu and PyTorch: loss, encoder output, decoder states, logits and every gradient', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const before = tf.memory().numTensors;
    const wasm = await run(batch);
    expect(tf.memory().numTensors).toBe(before);

    expect(relativeError(wasm.loss, cpu.loss)).toBeLessThan(BACKEND_TOL);
    expect(relativeError(wasm.loss, golden.loss)).toBeLessThan(TOL);
    const arrays = [
      ['encoderOut', wasm.encoderOut, cpu.encoderOut, golden.encoderOut],
      ['decoderHidden', wasm.decoderHidden, cpu.decoderHidden, golden.decoderHidden],
      ['logits', wasm.logits, cpu.logits, golden.logits],
    ] as const;
    for (const [k, w, c, g] of arrays) {
      expect(scaledError(w, c), k).toBeLessThan(BACKEND_TOL);
      expect(scaledError(w, g), k).toBeLessThan(TOL);
    }
    expect(Object.keys(wasm.grads)).toEqual(Object.keys(golden.grads));
    let worstCpu = 0;
    let worstTorch = 0;
    for (const name of Object.keys(golden.grads)) {
      const eCpu = scaledError(wasm.grads[name], cpu.grads[name]);
      const eTorch = scaledError(wasm.grads[name], golden.grads[name]);
      worstCpu = Math.max(worstCpu, eCpu);
      worstTorch = Math.max(worstTorch, eTorch);
      expect(eCpu, name).toBeLessThan(BACKEND_TOL);
      expect(eTorch, name).toBeLessThan(TOL);
    }
    if (process.env.GOLDEN_VERBOSE) {
      console.log('wasm gradients: worst vs cpu', worstCpu.toExponential(2), 'vs torch', worstTorch.toExponential(2));
    }
    // The same greedy outputs: along these paths the top two logits differ by
    // >= 0.02 (checked once on cpu), far above float32's backend differences.
    expect(wasm.decoded).toEqual(cpu.decoded);
  });

  it('gives identical results run after run (XNNPACK operator cache)', async () => {
    const a = await run(batch);
    const b = await run(batch);
    expect(b.loss).toBe(a.loss);
    for (const name of Object.keys(a.grads)) expect(Array.from(b.grads[name]), name).toEqual(Array.from(a.grads[name]));
  });

  it('ignores source padding ids', () => {
    const sourceIds = batch.sourceIds.slice();
    for (let b = 0; b < batch.B; b++) {
      for (let s = batch.sourceLengths[b]; s < batch.S; s++)
        sourceIds[b * batch.S + s] = (sourceIds[b * batch.S + s] + 5) % cfg.vocabSize;
    }
    const p = variablesFrom(golden.params);
    try {
      const loss = (x: EncDecBatch) => tidyRead(() => encDecLoss(p, cfg, x).loss.dataSync()[0]);
      expect(loss({ ...batch, sourceIds })).toBe(loss(batch));
    } finally {
      disposeEncDecParams(p);
    }
  });
});
