// Picks and starts a tfjs backend inside the worker. "auto" looks for real
// hardware first: software adapters (a fallback WebGPU adapter, a SwiftShader or
// llvmpipe WebGL renderer) are slower than wasm, so they are skipped.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { BACKEND_ORDER, type BackendChoice, type BackendName, type BackendReport } from './protocol';

// The binaries are bundled by Vite, so nothing is fetched from another origin.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});
// Threaded wasm crashes in minified builds under cross-origin isolation and
// gained ~7% on 2 cores (shared/notes/browser-training.md).
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

interface GpuProbe {
  webgpu: 'hardware' | 'software' | 'absent';
  webgl: 'hardware' | 'software' | 'absent';
  detail: string[];
}

interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; architecture?: string; description?: string };
}

async function probeWebGpu(detail: string[]): Promise<GpuProbe['webgpu']> {
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

function probeWebGl(detail: string[]): GpuProbe['webgl'] {
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

async function probe(): Promise<GpuProbe> {
  const detail: string[] = [];
  const webgpu = await probeWebGpu(detail);
  const webgl = probeWebGl(detail);
  return { webgpu, webgl, detail };
}

async function tryStart(name: BackendName): Promise<string | null> {
  try {
    const ok = await tf.setBackend(name);
    // setBackend('webgpu') can resolve false while getBackend() still names it.
    if (!ok || tf.getBackend() !== name) return `${name} did not start`;
    await tf.ready();
    // A tiny op proves the backend can run kernels, not just initialise.
    const probeValue = tf.tidy(() => tf.sum(tf.tensor1d([1, 2, 3])).dataSync()[0]);
    if (probeValue !== 6) return `${name} computed a wrong test sum`;
    return null;
  } catch (err) {
    return `${name} failed to start: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Orders candidates for a choice: the requested backend first, then the rest as fallbacks. */
export async function candidatesFor(choice: BackendChoice): Promise<{ order: BackendName[]; why: string }> {
  if (choice !== 'auto') {
    const rest = BACKEND_ORDER.filter((b) => b !== choice && b !== 'webgpu');
    return { order: [choice, ...rest], why: `requested ${choice}` };
  }
  const p = await probe();
  const order: BackendName[] = [];
  if (p.webgpu === 'hardware') order.push('webgpu');
  if (p.webgl === 'hardware') order.push('webgl');
  order.push('wasm', 'cpu');
  const chosen = order[0];
  const why =
    chosen === 'wasm' && p.detail.length > 0
      ? `auto: ${p.detail.join('; ')}, so wasm is fastest here`
      : `auto: ${chosen} on hardware${p.detail.length ? ` (${p.detail.join('; ')})` : ''}`;
  return { order, why };
}

export async function startBackend(choice: BackendChoice): Promise<BackendReport> {
  const { order, why } = await candidatesFor(choice);
  const failures: string[] = [];
  for (const name of order) {
    const failure = await tryStart(name);
    if (failure === null) {
      const reason = failures.length ? `${why}; ${failures.join('; ')}; fell back to ${name}` : why;
      return { name, reason };
    }
    failures.push(failure);
  }
  throw new Error(`No backend could start: ${failures.join('; ')}`);
}
