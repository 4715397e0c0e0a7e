import { useEffect, useState } from 'react';
import type { Trainer } from '../train/useTrainer';

/** Tensors and bytes tfjs holds in the worker (and, on wasm, its whole heap), polled every couple of seconds. */
export function MemoryReadout({ trainer }: { trainer: Trainer }) {
  const [mem, setMem] = useState<{ numTensors: number; numBytes: number; wasmHeapBytes: number | null } | null>(null);
  const ready = trainer.state.phase !== 'starting';
  const step = trainer.state.points.at(-1)?.step ?? 0;
  const memory = trainer.memory;
  useEffect(() => {
    if (!ready) return;
    let alive = true;
    const poll = () => memory().then((m) => alive && setMem(m), () => undefined);
    poll();
    const id = setInterval(poll, 2000);
    return () => {
      alive = false;
      clearInterval(id);
    };
  }, [ready, memory, trainer.state.generation]);
  if (!mem) return null;
  return (
    <p className="muted memory-readout">
      Worker memory: <span data-testid="worker-tensors">{mem.numTensors}</span> tensors,{' '}
      {(mem.numBytes / 1e6).toFixed(2)} MB
      {mem.wasmHeapBytes === null ? '' : `; wasm heap ${(mem.wasmHeapBytes / 1e6).toFixed(1)} MB`}
      {step ? '' : ' (before training)'}.
    </p>
  );
}
