// The tiny encoder-decoder (encdec.ts) against PyTorch:
// scripts/golden/encdec_golden.py writes fixtures/encdec_golden.json from an
// independent float64 model.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import {
  countEncDecParams,
  decodeHidden,
  disposeEncDecParams,
  encDecLoss,
  encDecParamInfo,
  encode,
  greedyDecode,
  initEncDecParams,
  type EncDecBatch,
  type EncDecConfig,
  type EncDecParams,
} from './encdec';
import { XAVIER_INIT } from './init';
import {
  encDecGoldenBatch,
  loadEncDecGolden,
  relativeError,
  scaledError,
  testRng,
  tidyRead,
  variablesFrom,
} from './fixtures/golden';

// PyTorch computes in float64, tfjs in float32 (GOLDEN_VERBOSE=1 prints the
// errors seen); the bound gpt.test.ts and bert.test.ts use.
const TOL = 2e-5;

const golden = loadEncDecGolden();
const cfg = golden.config;
const batch = encDecGoldenBatch(golden);
const { B, S, T } = batch;
const d = cfg.dModel;
const verbose = !!process.env.GOLDEN_VERBOSE;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Runs `f` on fresh fixture weights and frees them afterwards. */
function withParams<R>(f: (p: EncDecParams) => R): R {
  const p = variablesFrom(golden.params);
  try {
    return f(p);
  } finally {
    disposeEncDecParams(p);
  }
}

/** The loss as a number, every tensor freed. */
function lossValue(p: EncDecParams, x: EncDecBatch): number {
  return tidyRead(() => encDecLoss(p, cfg, x).loss.dataSync()[0]);
}

/** phi, the decoder's final states, as a flat host array [B*T*d]. */
function decoderValues(p: EncDecParams, x: EncDecBatch): Float32Array {
  return tidyRead(
    () => decodeHidden(p, cfg, encode(p, cfg, x), x.sourceLengths, x.decoderInput).dataSync() as Float32Array,
  );
}

/** Row b, positions from..to-1, of a flat [B*T, d] array. */
function positions(values: Float32Array, b: number, from: number, to: number): number[] {
  return Array.from(values.subarray((b * T + from) * d, (b * T + to) * d));
}

describe('encoder-decoder parameters', () => {
  it('has the names, shapes and count of the PyTorch reference', () => {
    const info = encDecParamInfo(cfg);
    expect(info.map((p) => p.name)).toEqual(Object.keys(golden.params));
    for (const p of info) expect(p.shape, p.name).toEqual(golden.params[p.name].shape);
    const total = Object.values(golden.params).reduce((n, p) => n + p.values.length, 0);
    expect(countEncDecParams(cfg)).toBe(total);
    const { vocabSize: V, maxSource, maxTarget, nLayers: L } = cfg;
    // Tied embedding, two position tables, encoder blocks + LN, decoder blocks
    // (the shared block plus ln3 and 4 d^2 + 6 d of cross-attention) + LN.
    expect(total).toBe(
      V * d + (maxSource + maxTarget) * d + L * (12 * d * d + 13 * d) + L * (16 * d * d + 19 * d) + 4 * d,
    );
    // The residual projections are the ones GPT-2's init scales down.
    expect(info.filter((p) => p.residual).map((p) => p.name)).toEqual([
      'enc.h0.attn.wo',
      'enc.h0.mlp.w2',
      'enc.h1.attn.wo',
      'enc.h1.mlp.w2',
      'dec.h0.attn.wo',
      'dec.h0.xattn.wo',
      'dec.h0.mlp.w2',
      'dec.h1.attn.wo',
      'dec.h1.xattn.wo',
      'dec.h1.mlp.w2',
    ]);
  });

  it('rejects a width that does not split into heads, and an empty source or target length', () => {
    expect(() => countEncDecParams({ ...cfg, nHeads: 3 })).toThrow(/divisible/);
    expect(() => countEncDecParams({ ...cfg, maxSource: 0 })).toThrow(/maxSource/);
    expect(() => countEncDecParams({ ...cfg, maxTarget: 0 })).toThrow(/maxTarget/);
  });

  it('initialises deterministically, scales the residual projections and starts near ln V', () => {
    const before = tf.memory().numTensors;
    const big: EncDecConfig = { vocabSize: 40, maxSource: 10, maxTarget: 8, dModel: 32, nLayers: 2, nHeads: 4 };
    const a = initEncDecParams(big, testRng(5));
    const b = initEncDecParams(big, testRng(5));
    const std = (v: tf.Variable) => tidyRead(() => Math.sqrt(tf.moments(v).variance.dataSync()[0]));
    try {
      for (const name of Object.keys(a)) expect(a[name].dataSync(), name).toEqual(b[name].dataSync());
      expect(std(a['dec.h0.xattn.wkv'])).toBeCloseTo(0.02, 2);
      expect(std(a['dec.h1.xattn.wo']) / 0.02).toBeCloseTo(1 / Math.sqrt(4), 1);
      expect(Array.from(a['dec.h1.ln3.g'].dataSync()).every((x) => x === 1)).toBe(true);
      expect(Array.from(a['dec.h0.xattn.bkv'].dataSync()).every((x) => x === 0)).toBe(true);
      const rng = testRng(6);
      const words = (n: number) => Int32Array.from({ length: n }, () => 3 + Math.floor(rng() * 37));
      const x: EncDecBatch = {
        B: 2,
        S: 10,
        T: 8,
        sourceIds: words(20),
        sourceLengths: Int32Array.from([10, 6]),
        decoderInput: words(16),
        targetRows: Int32Array.from({ length: 12 }, (_, i) => (i < 8 ? i : i + 4)),
        targetIds: words(12),
      };
      const loss = tidyRead(() => encDecLoss(a, big, x).loss.dataSync()[0]);
      // Logits of std ~0.02 sqrt(d) ~ 0.1: a mean over 12 positions lies within ~0.1 of ln V.
      expect(Math.abs(loss - Math.log(40))).toBeLessThan(0.15);
    } finally {
      disposeEncDecParams(a);
      disposeEncDecParams(b);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('encoder-decoder forward and backward against PyTorch', () => {
  it('matches the encoder output, decoder states, logits and loss', () => {
    withParams((p) => {
      const [mem, phi, logits, loss] = tf.tidy(() => {
        const mem = encode(p, cfg, batch);
        const l = encDecLoss(p, cfg, batch);
        return [mem, decodeHidden(p, cfg, mem, batch.sourceLengths, batch.decoderInput), l.logits, l.loss];
      });
      expect(mem.shape).toEqual([B * S, d]);
      expect(phi.shape).toEqual([B * T, d]);
      expect(logits.shape).toEqual([golden.inputs.targetRows.length, cfg.vocabSize]);
      expect(loss.shape).toEqual([]);
      const errs = {
        encoderOut: scaledError(mem.dataSync(), golden.encoderOut),
        decoderHidden: scaledError(phi.dataSync(), golden.decoderHidden),
        logits: scaledError(logits.dataSync(), golden.logits),
        loss: relativeError(loss.dataSync()[0], golden.loss),
      };
      if (verbose) console.log(errs);
      for (const [k, e] of Object.entries(errs)) expect(e, k).toBeLessThan(TOL);
      tf.dispose([mem, phi, logits, loss]);
    });
  });

  it('matches the gradient of the loss for every parameter', () => {
    withParams((p) => {
      const names = Object.keys(p);
      const { value, grads } = tf.variableGrads(
        () => encDecLoss(p, cfg, batch).loss,
        names.map((n) => p[n]),
      );
      expect(relativeError(value.dataSync()[0], golden.loss)).toBeLessThan(TOL);
      expect(names).toEqual(Object.keys(golden.grads));
      let worst = 0;
      for (const name of names) {
        const g = grads[p[name].name];
        expect(g, name).toBeDefined();
        expect(g.shape, name).toEqual(golden.params[name].shape);
        const err = scaledError(g.dataSync(), golden.grads[name]);
        worst = Math.max(worst, err);
        if (verbose) console.log(name, err.toExponential(2));
        expect(err, name).toBeLessThan(TOL);
      }
      if (verbose) console.log('worst gradient error', worst.toExponential(2));
      // The batch is T = 5 < maxTarget: the last decoder position is never used.
      expect(T).toBeLessThan(cfg.maxTarget);
      const dWpe = grads[p['dec.wpe'].name].arraySync() as number[][];
      expect(
        dWpe
          .slice(T)
          .flat()
          .every((v) => v === 0),
      ).toBe(true);
      tf.dispose([value, ...Object.values(grads)]);
    });
  });
});

describe('encoder-decoder masks', () => {
  it('ignores source padding: other ids there change nothing, unless the mask is dropped', () => {
    const ids = batch.sourceIds.slice();
    let padded = 0;
    for (let b = 0; b < B; b++) {
      for (let s = batch.sourceLengths[b]; s < S; s++, padded++) ids[b * S + s] = (ids[b * S + s] + 5) % cfg.vocabSize;
    }
    expect(padded).toBeGreaterThan(0);
    const changed: EncDecBatch = { ...batch, sourceIds: ids };
    withParams((p) => {
      expect(lossValue(p, changed)).toBe(lossValue(p, batch));
      expect(Array.from(decoderValues(p, changed))).toEqual(Array.from(decoderValues(p, batch)));
      // The mask is what makes this so: reading every source slot, the loss moves.
      const unmasked = (x: EncDecBatch): EncDecBatch => ({ ...x, sourceLengths: new Int32Array(B).fill(S) });
      expect(Math.abs(lossValue(p, unmasked(changed)) - lossValue(p, unmasked(batch)))).toBeGreaterThan(1e-4);
    });
  });

  it('is causal: a decoder input changes its own and later positions, never earlier ones', () => {
    const row = 1; // a real target at every t < T
    expect(golden.inputs.targetLengths[row]).toBe(T);
    withParams((p) => {
      const base = decoderValues(p, batch);
      for (let t = 1; t < T; t++) {
        const ids = batch.decoderInput.slice();
        ids[row * T + t] = 3 + ((ids[row * T + t] - 3 + 1) % (cfg.vocabSize - 3));
        const moved = decoderValues(p, { ...batch, decoderInput: ids });
        expect(positions(moved, row, 0, t), `t=${t}`).toEqual(positions(base, row, 0, t));
        expect(scaledError(positions(moved, row, t, t + 1), positions(base, row, t, t + 1)), `t=${t}`).toBeGreaterThan(
          1e-3,
        );
        for (const other of [0, 2]) expect(positions(moved, other, 0, T)).toEqual(positions(base, other, 0, T));
      }
    });
  });

  it('reads the source through cross-attention: a source token moves every decoder position of its row', () => {
    withParams((p) => {
      const base = decoderValues(p, batch);
      for (let b = 0; b < B; b++) {
        const ids = batch.sourceIds.slice();
        const s = b * S + batch.sourceLengths[b] - 1; // the row's last real source token
        ids[s] = 3 + ((ids[s] - 3 + 1) % (cfg.vocabSize - 3));
        const moved = decoderValues(p, { ...batch, sourceIds: ids });
        // Position 0 reads only BOS and the source.
        for (let t = 0; t < T; t++) {
          expect(
            scaledError(positions(moved, b, t, t + 1), positions(base, b, t, t + 1)),
            `row ${b} t=${t}`,
          ).toBeGreaterThan(1e-3);
        }
        for (let o = 0; o < B; o++) if (o !== b) expect(positions(moved, o, 0, T)).toEqual(positions(base, o, 0, T));
      }
    });
  });
});

describe('greedy decoding', () => {
  const bos = golden.tokens.bos;
  const eos = golden.tokens.eos;

  it('picks the argmax of a teacher-forced pass at each step, leaking nothing', async () => {
    const p = variablesFrom(golden.params);
    try {
      const src = golden.inputs.sourceIds.slice(0, golden.inputs.sourceLengths[0]);
      const before = tf.memory().numTensors;
      const out = await greedyDecode(p, cfg, src, { bosId: bos, eosId: eos, maxLength: cfg.maxTarget });
      expect(tf.memory().numTensors).toBe(before);
      expect(out.length).toBeLessThanOrEqual(cfg.maxTarget);
      expect(out).not.toContain(eos);
      // One pass over BOS + out scores every step at once (causal), and its
      // argmaxes must be out followed by EOS (or nothing after maxTarget tokens).
      const steps = Math.min(out.length + 1, cfg.maxTarget);
      const decoderInput = Int32Array.from([bos, ...out].slice(0, steps));
      const argmax = tidyRead(() => {
        const x = {
          B: 1,
          S: src.length,
          sourceIds: Int32Array.from(src),
          sourceLengths: Int32Array.from([src.length]),
        };
        const h = decodeHidden(p, cfg, encode(p, cfg, x), x.sourceLengths, decoderInput);
        return Array.from(tf.argMax(tf.matMul(h, p['wte'], false, true), 1).dataSync());
      });
      expect(argmax).toEqual([...out, eos].slice(0, steps));
      // maxLength bounds the output; 0 generates nothing.
      expect(await greedyDecode(p, cfg, src, { bosId: bos, eosId: eos, maxLength: 1 })).toEqual(out.slice(0, 1));
      expect(await greedyDecode(p, cfg, src, { bosId: bos, eosId: eos, maxLength: 0 })).toEqual([]);
      expect(tf.memory().numTensors).toBe(before);
      await expect(greedyDecode(p, cfg, src, { bosId: bos, eosId: eos, maxLength: cfg.maxTarget + 1 })).rejects.toThrow(
        /maxLength/,
      );
      await expect(greedyDecode(p, cfg, [], { bosId: bos, eosId: eos, maxLength: 3 })).rejects.toThrow(/source length/);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      disposeEncDecParams(p);
    }
  });

  it('copies its source after a few dozen Adam steps on a copy task', async () => {
    // 0 pad, 1 BOS, 2 EOS, 3..5 words; every source of 1 or 2 words, target =
    // source + EOS. maxTarget 4 > 3, so only EOS can end a copy at the right length.
    const small: EncDecConfig = { vocabSize: 6, maxSource: 2, maxTarget: 4, dModel: 32, nLayers: 1, nHeads: 4 };
    const sources = [3, 4, 5].flatMap((a) => [[a], ...[3, 4, 5].map((b) => [a, b])]); // 12
    const x = copyBatch(small, sources);
    const before = tf.memory().numTensors;
    // Xavier init: GPT-2's N(0, 0.02^2) leaves attention uniform for a few
    // hundred steps before cross-attention lines positions up. With it, 19-28
    // steps for seeds 1..6 (~40 ms each on cpu).
    const p = initEncDecParams(small, testRng(3), XAVIER_INIT);
    const opt = tf.train.adam(0.01);
    try {
      const vars = Object.values(p);
      let loss = Infinity;
      let steps = 0;
      for (; steps < 80 && loss > 0.02; steps++) {
        const l = opt.minimize(() => encDecLoss(p, small, x).loss, true, vars)!;
        loss = l.dataSync()[0];
        l.dispose();
      }
      if (verbose) console.log('copy task: loss', loss, 'after', steps, 'steps');
      expect(loss).toBeLessThan(0.02);
      for (const src of sources) {
        expect(await greedyDecode(p, small, src, { bosId: 1, eosId: 2, maxLength: small.maxTarget }), `${src}`).toEqual(
          src,
        );
      }
    } finally {
      opt.dispose();
      disposeEncDecParams(p);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** Sources padded to maxSource; decoder input BOS + source; targets source + EOS (ids 1, 2). */
function copyBatch(c: EncDecConfig, sources: number[][]): EncDecBatch {
  const n = sources.length;
  const [Sc, Tc] = [c.maxSource, c.maxTarget];
  const sourceIds = new Int32Array(n * Sc);
  const decoderInput = new Int32Array(n * Tc);
  const rows: number[] = [];
  const ids: number[] = [];
  sources.forEach((src, b) => {
    sourceIds.set(src, b * Sc);
    decoderInput.set([1, ...src], b * Tc);
    [...src, 2].forEach((id, t) => {
      rows.push(b * Tc + t);
      ids.push(id);
    });
  });
  return {
    B: n,
    S: Sc,
    T: Tc,
    sourceIds,
    sourceLengths: Int32Array.from(sources.map((s) => s.length)),
    decoderInput,
    targetRows: Int32Array.from(rows),
    targetIds: Int32Array.from(ids),
  };
}

describe('encoder-decoder input checks and memory', () => {
  it('rejects too long inputs, bad source lengths and bad target selections', () => {
    withParams((p) => {
      const run = (x: EncDecBatch) => () =>
        tf.tidy(() => {
          encDecLoss(p, cfg, x);
        });
      const longS = cfg.maxSource + 1;
      expect(run({ ...batch, S: longS, sourceIds: new Int32Array(B * longS).fill(3) })).toThrow(/exceeds/);
      const longT = cfg.maxTarget + 1;
      expect(run({ ...batch, T: longT, decoderInput: new Int32Array(B * longT).fill(3) })).toThrow(/exceeds/);
      expect(run({ ...batch, sourceLengths: Int32Array.from([7, 0, 2]) })).toThrow(/source length/);
      expect(run({ ...batch, sourceLengths: Int32Array.from([8, 4, 2]) })).toThrow(/source length/);
      expect(run({ ...batch, targetRows: new Int32Array(0), targetIds: new Int32Array(0) })).toThrow(/no target/);
      expect(run({ ...batch, targetRows: Int32Array.from([0, B * T]), targetIds: Int32Array.from([3, 3]) })).toThrow(
        /target row/,
      );
      expect(run({ ...batch, targetIds: batch.targetIds.slice(1) })).toThrow(/target ids/);
    });
  });

  it("leaks no tensor from a tidy'd loss and gradient computation", () => {
    withParams((p) => {
      const names = Object.keys(p);
      const before = tf.memory().numTensors;
      const norm = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(
          () => encDecLoss(p, cfg, batch).loss,
          names.map((n) => p[n]),
        );
        expect(Number.isFinite(value.dataSync()[0])).toBe(true);
        return tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))).dataSync()[0];
      });
      expect(norm).toBeGreaterThan(0);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
