// Picks and starts a tfjs backend inside the worker. "auto" starts on wasm and
// lists the hardware GPU backends as candidates, which the worker times on the
// run's own model (autoTrial.ts); software adapters (a fallback WebGPU adapter,
// a SwiftShader or llvmpipe WebGL renderer) are slower than wasm, so they are
// not candidates unless a test flag allows them.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { describeStart, planBackends, type AdapterKind, type DeviceProbe } from './backendOrder';
import type { BackendChoice, BackendName, BackendReport } from '../contract';
import { heapIsShared, kernelCeiling, wasmBackend } from '../../models/kernels/runtime';
import { stridedGemmLevel } from '../../models/kernels/stridedGemm';
import { shareMemory } from '../../models/kernels/sharedHeap';
import { disposeKernelThreads, singleThreadReason, startKernelThreads } from '../../models/kernels/threads';

// The binaries are bundled by Vite, so nothing is fetched from another origin.
const WASM_FILES = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
};
setWasmPaths(WASM_FILES);
// Threaded wasm crashes in minified builds under cross-origin isolation and
// gained ~7% on 2 cores (shared/notes/browser-training.md).
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

/**
 * Where two threads are allowed (cross-origin isolated, two cores or more,
 * no `?threads=1`), tfjs's wasm heap is made a shared memory so the helper
 * thread computes on the same tensors (models/kernels/sharedHeap.ts): tfjs
 * is told to fetch its binaries through the platform's fetch, which sets the
 * SIMD binary's shared-memory bit on the way. Call before the wasm backend
 * starts; elsewhere tfjs loads its own binary as it is.
 */
export function prepareWasmHeap(): void {
  if (singleThreadReason() !== null) return;
  const platform = tf.env().platform;
  const fetchAsIs = platform.fetch.bind(platform);
  platform.fetch = async (path: string, init?: RequestInit) => {
    const response = await fetchAsIs(path, init);
    if (path !== wasmSimd || !response.ok) return response;
    const bytes = new Uint8Array(await response.arrayBuffer());
    return new Response(shareMemory(bytes) ?? bytes, { headers: { 'Content-Type': 'application/wasm' } });
  };
  setWasmPaths(WASM_FILES, true);
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; architecture?: string; description?: string };
}

async function probeWebGpu(detail: string[]): Promise<AdapterKind> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<AdapterLike | null> } }).gpu;
  if (!gpu) {
    detail.push('no WebGPU in this browser');
    return 'absent';
  }
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) {
      detail.push('no WebGPU adapter');
      return 'absent';
    }
    const info = adapter.info ?? {};
    const fallback = adapter.isFallbackAdapter === true || info.isFallbackAdapter === true;
    const arch = `${info.architecture ?? ''} ${info.description ?? ''}`;
    if (fallback || SOFTWARE_RENDERER.test(arch)) {
      detail.push(`WebGPU adapter is software (${arch.trim() || 'fallback adapter'})`);
      return 'software';
    }
    return 'hardware';
  } catch (err) {
    detail.push(`WebGPU probe failed: ${String(err)}`);
    return 'absent';
  }
}

function probeWebGl(detail: string[]): AdapterKind {
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = canvas.getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) {
      detail.push('no WebGL2');
      return 'absent';
    }
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    if (SOFTWARE_RENDERER.test(renderer)) {
      detail.push(`WebGL renderer is software (${renderer.slice(0, 60)})`);
      return 'software';
    }
    return 'hardware';
  } catch (err) {
    detail.push(`WebGL probe failed: ${String(err)}`);
    return 'absent';
  }
}

async function probe(): Promise<DeviceProbe> {
  const detail: string[] = [];
  const webgpu = await probeWebGpu(detail);
  const webgl = probeWebGl(detail);
  return { webgpu, webgl, detail };
}

/**
 * WebGL's packed binary kernels (two values per texel) wrote NaN into a BERT
 * gradient here (SwiftShader) within 15 steps, from finite inputs; the
 * unpacked kernels give the same losses as wasm. tfjs has had several such
 * NaN bugs in the packed binary ops' NaN checks (tfjs #1321, #6822), so they
 * are switched off for every model. Costs a little speed on real GPUs.
 */
function configure(name: BackendName) {
  if (name === 'webgl') tf.env().set('WEBGL_PACK_BINARY_OPERATIONS', false);
}

export async function tryStart(name: BackendName): Promise<string | null> {
  try {
    configure(name);
    const ok = await tf.setBackend(name);
    // setBackend('webgpu') can resolve false while getBackend() still names it.
    if (!ok || tf.getBackend() !== name) return `${name} did not start`;
    await tf.ready();
    // A tiny op proves the backend can run kernels, not just initialise.
    // Read back asynchronously: dataSync is slow on webgpu and warns.
    const sum = tf.tidy(() => tf.sum(tf.tensor1d([1, 2, 3])));
    const probeValue = (await sum.data())[0];
    sum.dispose();
    if (probeValue !== 6) return `${name} computed a wrong test sum (${probeValue})`;
    return null;
  } catch (err) {
    return `${name} failed to start: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * On wasm, which build of the notebook's own kernels runs (loading them
 * now), whether the `?kernels=` cap chose it, and on how many threads the
 * kernels run (starting the helper thread); nothing on other backends,
 * where no helper thread is kept.
 */
export function kernelReport(name: BackendName): Pick<BackendReport, 'kernels'> {
  if (name !== 'wasm') {
    disposeKernelThreads();
    return {};
  }
  const level = stridedGemmLevel();
  const capped = level !== 'relaxed' && kernelCeiling() === level;
  // Starts the helper thread when the page allows two (cross-origin isolated, two cores or more).
  const backend = wasmBackend()!;
  const threads = startKernelThreads(backend);
  const why =
    level === 'off'
      ? 'the own kernels are off'
      : (singleThreadReason() ??
        (heapIsShared(backend) ? 'the helper thread could not start' : "tfjs's wasm heap could not be shared"));
  return { kernels: { level, capped, threads, ...(threads === 1 ? { oneThreadBecause: why } : {}) } };
}

/** The backend that started, and (auto) the candidates to time on the first run's model. */
export async function startBackend(
  choice: BackendChoice,
  trialSoftware = false,
): Promise<BackendReport & { candidates: BackendName[] }> {
  const plan = planBackends(choice, choice === 'auto' ? await probe() : null, trialSoftware);
  const failures: string[] = [];
  for (const name of plan.order) {
    const failure = await tryStart(name);
    if (failure === null)
      return { name, reason: describeStart(plan, failures, name), candidates: plan.candidates, ...kernelReport(name) };
    failures.push(failure);
  }
  throw new Error(`No backend could start: ${failures.join('; ')}`);
}
