// The custom-gradient layers and the whole model on wasm against cpu, on the
// same inputs. wasm runs other code (products.ts) and XNNPACK, whose operator
// cache is keyed by a tensor's buffer rather than its shape: reusing a buffer
// in a second shape (embed's dy as [B*T, C] and as [B, T*C] when V <= C) gave
// garbage gradients there, which the golden fixture (V > C) did not reach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { disposeParams, gptLoss, initGptParams, type GptConfig } from './gpt';
import { crossEntropy, embed, geluTanh, layerNorm, linear, tiedLogits } from './layers';
import { colSum, matMul, matMulTN } from './products';
import { scaledError, testRng } from './fixtures/golden';

// Same math in float32, different summation orders: seen errors are < 3e-5
// of each tensor's scale; the bug gave errors of order 1 and above.
const TOL = 1e-4;

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

interface Case {
  name: string;
  /** Float inputs, differentiated. */
  shapes: number[][];
  /** int32 inputs as [shape, exclusive max]. */
  ints?: [number[], number][];
  f: (xs: tf.Tensor[], ints: tf.Tensor[]) => tf.Tensor;
}

/** Value and gradient of sum(f(xs) * dy) w.r.t. every float input, on `backend`, from seeded inputs. */
async function valueAndGrads(backend: string, c: Case, seed: number): Promise<Float32Array[]> {
  expect(await tf.setBackend(backend)).toBe(true);
  const before = tf.memory().numTensors;
  const rng = testRng(seed);
  const floats = (shape: number[]) =>
    tf.tensor(
      Float32Array.from({ length: size(shape) }, () => 4 * rng() - 2),
      shape,
    );
  const result = tf.tidy(() => {
    const xs = c.shapes.map(floats);
    const ints = (c.ints ?? []).map(([shape, max]) =>
      tf.tensor(
        Int32Array.from({ length: size(shape) }, () => Math.floor(rng() * max)),
        shape,
        'int32',
      ),
    );
    const y = c.f(xs, ints);
    const dy = floats(y.shape);
    const { grads } = tf.valueAndGrads((...v: tf.Tensor[]) => tf.sum(tf.mul(c.f(v, ints), dy)))(xs);
    return [y, ...grads].map((t) => t.dataSync() as Float32Array);
  });
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

async function expectWasmMatchesCpu(c: Case, seed: number) {
  const cpu = await valueAndGrads('cpu', c, seed);
  // Twice: the bug read uninitialised memory, so results also varied run to run.
  for (let run = 0; run < 2; run++) {
    const wasm = await valueAndGrads('wasm', c, seed);
    cpu.forEach((expected, i) =>
      expect(scaledError(wasm[i], expected), `${c.name}, ${i ? `gradient ${i - 1}` : 'value'}`).toBeLessThan(TOL),
    );
  }
}

const embedCase = (B: number, T: number, C: number, V: number): Case => ({
  name: `embed B=${B} T=${T} C=${C} V=${V}`,
  shapes: [
    [V, C],
    [T, C],
  ],
  ints: [[[B, T], V]],
  f: ([table, pos], [ids]) => embed(table as tf.Tensor2D, pos as tf.Tensor2D, ids as tf.Tensor2D),
});

describe('wasm against cpu', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('reuses no XNNPACK operator across shapes of one buffer', async () => {
    await tf.setBackend('wasm');
    tf.tidy(() => {
      const x = tf.tensor2d(
        Float32Array.from({ length: 256 * 32 }, (_, i) => Math.sin(i)),
        [256, 32],
      );
      const expected = tf.sum(tf.reshape(x, [8, 1024]), 0).dataSync();
      // x as XNNPACK weights [256, 32] (both forms), then its buffer as [8, 1024].
      matMul(tf.ones([30, 256]), x).dataSync();
      matMulTN(tf.ones([256, 30]) as tf.Tensor2D, x).dataSync();
      expect(scaledError(colSum(tf.reshape(x, [8, 1024]) as tf.Tensor2D).dataSync(), expected)).toBeLessThan(1e-6);
      // And the first shape still gets its own, right operator.
      expect(scaledError(colSum(x).dataSync(), tf.sum(x, 0).dataSync())).toBeLessThan(1e-6);
    });
  });

  it('embed: token and position gradients, V below and above C', async () => {
    const shapes = [
      [8, 32, 32, 30],
      [4, 32, 32, 30],
      [8, 32, 32, 82],
      [4, 32, 32, 82],
      [4, 32, 32, 32],
      [2, 6, 8, 11],
      [1, 16, 64, 7],
    ];
    for (const [i, [B, T, C, V]] of shapes.entries()) await expectWasmMatchesCpu(embedCase(B, T, C, V), 100 + i);
  });

  it('every custom op on a grid of shapes, alone and chained', async () => {
    let seed = 200;
    for (const [B, T, C] of [
      [4, 32, 32],
      [3, 5, 48],
      [8, 8, 16],
    ]) {
      const N = B * T;
      await expectWasmMatchesCpu(
        {
          name: `layerNorm N=${N} C=${C}`,
          shapes: [[N, C], [C], [C]],
          f: ([x, g, b]) => layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D),
        },
        seed++,
      );
      await expectWasmMatchesCpu(
        { name: `geluTanh [${B}, ${T}, ${C}]`, shapes: [[B, T, C]], f: ([x]) => geluTanh(x) },
        seed++,
      );
      for (const V of [7, 30, C, 82]) {
        await expectWasmMatchesCpu(embedCase(B, T, C, V), seed++);
        await expectWasmMatchesCpu(
          {
            name: `linear N=${N} ${C}->${V}`,
            shapes: [[N, C], [C, V], [V]],
            f: ([x, w, b]) => linear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
          },
          seed++,
        );
        await expectWasmMatchesCpu(
          {
            name: `tiedLogits N=${N} C=${C} V=${V}`,
            shapes: [
              [N, C],
              [V, C],
            ],
            f: ([h, table]) => tiedLogits(h as tf.Tensor2D, table as tf.Tensor2D),
          },
          seed++,
        );
        for (const reduction of ['none', 'mean'] as const) {
          await expectWasmMatchesCpu(
            {
              name: `crossEntropy ${reduction} N=${N} V=${V}`,
              shapes: [[N, V]],
              ints: [[[N], V]],
              f: ([logits], [targets]) =>
                reduction === 'none'
                  ? crossEntropy(logits as tf.Tensor2D, targets as tf.Tensor1D, 'none')
                  : crossEntropy(logits as tf.Tensor2D, targets as tf.Tensor1D, 'mean'),
            },
            seed++,
          );
        }
        // Chained, so gradients (and their buffers) flow from op to op as in the model.
        await expectWasmMatchesCpu(
          {
            name: `chain B=${B} T=${T} C=${C} V=${V}`,
            shapes: [[V, C], [T, C], [C], [C], [C, 2 * C], [2 * C]],
            ints: [
              [[B, T], V],
              [[N], V],
            ],
            f: ([table, pos, g, b, w, bw], [ids, targets]) => {
              const x = embed(table as tf.Tensor2D, pos as tf.Tensor2D, ids as tf.Tensor2D);
              const u = geluTanh(
                linear(layerNorm(x, g as tf.Tensor1D, b as tf.Tensor1D), w as tf.Tensor2D, bw as tf.Tensor1D),
              );
              const h = tf.add(x, tf.slice(u, [0, 0], [N, C])) as tf.Tensor2D;
              return crossEntropy(tiedLogits(h, table as tf.Tensor2D), targets as tf.Tensor1D, 'mean');
            },
          },
          seed++,
        );
      }
    }
  });

  it('gptLoss: loss and every parameter gradient', async () => {
    for (const [B, V] of [
      [4, 30],
      [8, 30],
      [4, 82],
      [8, 82],
    ]) {
      const cfg: GptConfig = { vocabSize: V, contextLength: 32, dModel: 32, nLayers: 2, nHeads: 2 };
      const T = cfg.contextLength;
      const results: Record<string, Float32Array>[] = [];
      for (const backend of ['cpu', 'wasm', 'wasm']) {
        expect(await tf.setBackend(backend)).toBe(true);
        const before = tf.memory().numTensors;
        const rng = testRng(7 * V + B);
        const p = initGptParams(cfg, rng);
        const tokens = Int32Array.from({ length: B * (T + 1) }, () => Math.floor(rng() * V));
        const seq = tf.tensor2d(tokens, [B, T + 1], 'int32');
        const ids = tf.slice(seq, [0, 0], [B, T]) as tf.Tensor2D;
        const targets = tf.slice(seq, [0, 1], [B, T]) as tf.Tensor2D;
        const names = Object.keys(p);
        const { value, grads } = tf.variableGrads(
          () => gptLoss(p, cfg, ids, targets),
          names.map((n) => p[n]),
        );
        const r: Record<string, Float32Array> = { loss: value.dataSync() as Float32Array };
        for (const n of names) r[n] = grads[p[n].name].dataSync() as Float32Array;
        results.push(r);
        tf.dispose([seq, ids, targets, value, ...Object.values(grads)]);
        disposeParams(p);
        expect(tf.memory().numTensors).toBe(before);
      }
      const [cpu, ...wasm] = results;
      for (const r of wasm) {
        for (const n of Object.keys(cpu)) expect(scaledError(r[n], cpu[n]), `B=${B} V=${V} ${n}`).toBeLessThan(TOL);
      }
    }
  });
});
