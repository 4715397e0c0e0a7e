import { useEffect, useId, useRef, useState } from 'react';
import type { BackendReport } from '../train/contract';
import { useBackendStatus, type BackendStatus } from '../train/client/backendStore';

/**
 * The compute backend that runs now. The badge is a button: pressing it (mouse,
 * touch or keyboard) shows why this backend was chosen, e.g. that WebGPU's
 * adapter was a software one; Escape or a press elsewhere hides it again.
 */
const TEXT: Partial<Record<BackendStatus['state'], string>> = { idle: 'not started', starting: 'starting…' };

type KernelInfo = NonNullable<BackendReport['kernels']>;

/** What the wasm backend's own kernels run as, in words. */
export function describeKernels({ level, capped, threads, oneThreadBecause }: KernelInfo): string {
  const why = (cap: string, engine: string) => ` (${capped ? `capped by ?kernels=${cap}` : engine})`;
  const onThreads = threads === 2 ? '2 threads' : `1 thread${oneThreadBecause ? ` (${oneThreadBecause})` : ''}`;
  if (level === 'relaxed') return `Own WebAssembly kernels: relaxed SIMD (fused multiply-add); ${onThreads}.`;
  if (level === 'simd')
    return `Own WebAssembly kernels: SIMD128${why('simd', 'this browser has no relaxed SIMD')}; ${onThreads}.`;
  return `Own WebAssembly kernels off: tfjs's wasm ops${why('off', 'this browser has no WebAssembly SIMD')}; 1 thread.`;
}

/** A multi-arm run spread over workers, in words. */
export function describeSpread({ workers, arms }: NonNullable<BackendReport['spread']>): string {
  return `This run's ${arms} models train at once on ${workers} workers, one thread each.`;
}

export function BackendBadge() {
  const status = useBackendStatus();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLSpanElement>(null);
  const reasonId = useId();
  // auto timed its candidates on the model: each one's median step, the fastest chosen.
  const trials = status.state === 'running' ? status.report.trials : undefined;
  const kernels = status.state === 'running' ? status.report.kernels : undefined;
  const spread = status.state === 'running' ? status.report.spread : undefined;
  const text = TEXT[status.state] ?? (status.state === 'running' ? status.report.name : 'none');
  const reason =
    status.state === 'running'
      ? status.report.reason
      : status.state === 'failed'
        ? status.message
        : status.state === 'idle'
          ? 'No model is training yet: a section starts its backend when it opens.'
          : 'Starting a backend';

  useEffect(() => {
    if (!open) return;
    const closeOutside = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const closeOnEscape = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', closeOutside);
    document.addEventListener('keydown', closeOnEscape);
    return () => {
      document.removeEventListener('pointerdown', closeOutside);
      document.removeEventListener('keydown', closeOnEscape);
    };
  }, [open]);

  return (
    <span className="backend-badge-wrap" ref={root}>
      <button
        type="button"
        className={`backend-badge backend-${status.state}`}
        aria-expanded={open}
        aria-controls={reasonId}
        aria-label={`Compute backend: ${text}. Why this backend?`}
        title={reason}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="backend-label">backend</span> <span data-testid="backend-badge">{text}</span>
      </button>
      <span id={reasonId} className="backend-reason" role="note" data-testid="backend-reason" hidden={!open}>
        {reason}
        {kernels && (
          <span
            className="backend-kernels"
            data-testid="backend-kernels"
            data-level={kernels.level}
            data-threads={kernels.threads}
          >
            {describeKernels(kernels)}
          </span>
        )}
        {spread && (
          <span className="backend-kernels" data-testid="backend-spread" data-workers={spread.workers}>
            {describeSpread(spread)}
          </span>
        )}
        {trials && (
          <span className="backend-trials" data-testid="backend-trials">
            {trials.map((t) => (
              <span key={t.name} data-backend={t.name} data-ms={t.msPerStep ?? ''}>
                {t.name}: {t.msPerStep === null ? 'failed' : `${t.msPerStep.toFixed(1)} ms/step`}
              </span>
            ))}
          </span>
        )}
      </span>
    </span>
  );
}
