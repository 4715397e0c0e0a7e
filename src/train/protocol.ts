// The typed message protocol between a page (main thread) and its training
// worker. The main thread only draws; every tensor lives in the worker.

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface BackendReport {
  name: BackendName;
  /** Why this backend runs: the auto decision or the fallback chain, in words. */
  reason: string;
}

/** Where the training text comes from. */
export type DataSource =
  | { kind: 'corpus'; name: 'brown' | 'toy'; /** Absolute same-origin URL of the JSON asset. */ url: string }
  | { kind: 'text'; train: string; heldOut: string };

export interface ModelSpec {
  tokenizer: 'char' | 'word';
  /** Word-level vocabulary cap (most frequent words plus <unk>). */
  wordVocab: number;
  nLayers: number;
  dModel: number;
  nHeads: number;
  contextLength: number;
}

export interface OptimSpec {
  batchSize: number;
  lr: number;
  warmupSteps: number;
  totalSteps: number;
  schedule: 'constant' | 'linear' | 'cosine' | 'inverse-sqrt';
  minLrRatio: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  clipNorm: number | null;
}

export interface RunSpec {
  seed: number;
  model: ModelSpec;
  optim: OptimSpec;
  data: DataSource;
  /** Steps between held-out evaluations. */
  evalEvery: number;
}

export type ToWorker =
  | { type: 'init'; backend: BackendChoice }
  | { type: 'create'; run: RunSpec }
  | { type: 'train' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'sample'; requestId: number; prompt: string; length: number; temperature: number; seed: number }
  | { type: 'score'; requestId: number; text: string }
  | { type: 'memory'; requestId: number }
  | { type: 'dispose' };

export interface StepPoint {
  step: number;
  loss: number;
  lr: number;
  gradNorm: number;
  tokensSeen: number;
  /** Training throughput measured over the last few steps. */
  tokensPerSecond: number;
  /** Wall time of this step in the worker (its chunk's time divided by the chunk size). */
  stepMs: number;
}

export interface EvalPoint {
  step: number;
  heldOutLoss: number;
}

export interface TokenScore {
  text: string;
  /** -log p(x_i | x_{1:i-1}) in nats; null for the first token, which has no context. */
  nll: number | null;
}

export type FromWorker =
  | { type: 'ready'; backend: BackendReport }
  | { type: 'created'; params: number; vocabSize: number; initialLoss: number }
  | { type: 'progress'; points: StepPoint[]; evals: EvalPoint[] }
  | { type: 'state'; running: boolean }
  | { type: 'diverged'; step: number; message: string }
  | { type: 'sample'; requestId: number; text: string }
  | { type: 'score'; requestId: number; tokens: TokenScore[]; total: number }
  | { type: 'memory'; requestId: number; numTensors: number; numBytes: number }
  | { type: 'error'; message: string; during: ToWorker['type'] };
