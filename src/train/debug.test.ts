import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { embed } from '../models/layers';

it('embed grads', async () => {
  for (const [B, T, C, V] of [[8, 32, 32, 30], [2, 6, 8, 11], [16, 64, 64, 82], [8, 32, 32, 82], [4, 32, 32, 30]]) {
    const ids = Int32Array.from({ length: B * T }, (_, i) => (i * 7) % V);
    const tv = Float32Array.from({ length: V * C }, (_, i) => Math.sin(i));
    const pv = Float32Array.from({ length: T * C }, (_, i) => Math.cos(i));
    const w = Float32Array.from({ length: B * T * C }, (_, i) => Math.sin(i * 0.37));
    const res: Float32Array[][] = [];
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const table = tf.variable(tf.tensor2d(tv, [V, C]));
      const pos = tf.variable(tf.tensor2d(pv, [T, C]));
      const idt = tf.tensor2d(ids, [B, T], 'int32');
      const wt = tf.tensor2d(w, [B * T, C]);
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(embed(table, pos, idt), wt)), [table, pos]);
      res.push([grads[table.name].dataSync() as Float32Array, grads[pos.name].dataSync() as Float32Array]);
    }
    const d = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
    console.log(B, T, C, V, 'table', d(res[0][0], res[1][0]), 'pos', d(res[0][1], res[1][1]));
  }
});
