import { useEffect, useState } from 'react';
import type { Trainer } from '../train/client/useTrainer';

/**
 * Tensors and bytes tfjs holds in the worker (and, on wasm, its whole heap),
 * polled every couple of seconds. Shown on the memory page, which is about
 * it; elsewhere it is in the page but `hidden` (not drawn, not read aloud),
 * so the end-to-end tests can still check that training leaks no tensors.
 */
export function MemoryReadout({ trainer, visible = false }: { trainer: Trainer; visible?: boolean }) {
  const [mem, setMem] = useState<{ numTensors: number; numBytes: number; wasmHeapBytes: number | null } | null>(null);
  const ready = trainer.state.phase !== 'starting';
  const step = trainer.state.points.at(-1)?.step ?? 0;
  const memory = trainer.memory;
  useEffect(() => {
    if (!ready) return;
    let alive = true;
    const poll = () =>
      memory().then(
        (m) => alive && setMem(m),
        () => undefined,
      );
    poll();
    const id = setInterval(poll, 2000);
    return () => {
      alive = false;
      clearInterval(id);
    };
  }, [ready, memory, trainer.state.generation]);
  if (!mem) return null;
  return (
    <p className="muted memory-readout" hidden={!visible}>
      Worker memory: <span data-testid="worker-tensors">{mem.numTensors}</span> tensors,{' '}
      {(mem.numBytes / 1e6).toFixed(2)} MB
      {mem.wasmHeapBytes === null ? '' : `; wasm heap ${(mem.wasmHeapBytes / 1e6).toFixed(1)} MB`}
      {step ? '' : ' (before training)'}.
    </p>
  );
}
