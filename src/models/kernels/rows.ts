// Embedding rows on the wasm backend (rows.wat): the forward gather
// table[ids] and its gradient, the scatter-add of dy's rows into a
// [V, C] table. tfjs's wasm backend has no UnsortedSegmentSum (the gradient
// of tf.gather) and its GatherV2 took 2.1 ms for 1024 ids, so before these
// kernels both went through a one-hot matrix and a product.
import * as tf from '@tensorflow/tfjs-core';
import { ROWS_WASM } from './rowsBinary';
import { kernelExport, kernelModule, registerWasmKernel, wasmBackend, type WasmBackendLike } from './runtime';

export const GATHER_ROWS = 'NotebookGatherRows';
export const SCATTER_ROWS = 'NotebookScatterAddRows';

/** True when the active backend is wasm and the kernels can run on it. */
export function rowsKernelsAvailable(): boolean {
  const backend = wasmBackend();
  if (!backend || !kernelModule(backend, ROWS_WASM)) return false;
  registerWasmKernel(GATHER_ROWS, gatherKernel);
  registerWasmKernel(SCATTER_ROWS, scatterKernel);
  return true;
}

type Inputs = { x: tf.TensorInfo; ids: tf.TensorInfo };

function gatherKernel(args: { inputs: Inputs; backend: WasmBackendLike }): tf.TensorInfo {
  const { inputs, backend } = args;
  const [V, C] = inputs.x.shape;
  const N = inputs.ids.shape[0];
  const out = backend.makeOutput([N, C], 'float32');
  const at = (t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
  if (N > 0 && C > 0) kernelExport(backend, ROWS_WASM, 'gather')(at(inputs.x), V, C, at(inputs.ids), N, at(out));
  return out;
}

function scatterKernel(args: { inputs: Inputs; backend: WasmBackendLike; attrs: { rows: number } }): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const [N, C] = inputs.x.shape;
  const out = backend.makeOutput([attrs.rows, C], 'float32');
  const at = (t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
  if (attrs.rows > 0 && C > 0)
    kernelExport(backend, ROWS_WASM, 'scatterAdd')(at(inputs.x), C, at(inputs.ids), N, attrs.rows, at(out));
  return out;
}

function check(what: string, x: tf.Tensor, ids: tf.Tensor): void {
  if (x.rank !== 2 || x.dtype !== 'float32')
    throw new TypeError(`${what}: needs a float32 matrix, got ${x.dtype} [${x.shape}]`);
  if (ids.rank !== 1 || ids.dtype !== 'int32')
    throw new TypeError(`${what}: ids must be int32 [N], got ${ids.dtype} [${ids.shape}]`);
}

/**
 * table[ids[n]] for each n (zeros for an id outside [0, V)). table: [V, C],
 * ids: int32 [N] -> [N, C]. Only after rowsKernelsAvailable() said true.
 */
export function gatherRows(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  check('gather rows', table, ids);
  return tf.engine().runKernel(GATHER_ROWS, { x: table, ids }) as tf.Tensor2D;
}

/**
 * out[r] = sum of dy[n] over ids[n] = r, for r < rows (ids outside add
 * nothing): the gradient of gatherRows w.r.t. its table. dy: [N, C],
 * ids: int32 [N] -> [rows, C].
 */
export function scatterAddRows(dy: tf.Tensor2D, ids: tf.Tensor1D, rows: number): tf.Tensor2D {
  check('scatter-add rows', dy, ids);
  if (ids.shape[0] !== dy.shape[0])
    throw new RangeError(`scatter-add rows: ${ids.shape[0]} ids for ${dy.shape[0]} rows of dy`);
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`scatter-add rows: rows must be a count, got ${rows}`);
  return tf.engine().runKernel(SCATTER_ROWS, { x: dy, ids }, { rows } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}
