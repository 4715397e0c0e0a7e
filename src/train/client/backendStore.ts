// The backend that is running now, shown by the badge on every page.
import { useSyncExternalStore } from 'react';
import type { BackendReport } from '../contract';

// 'idle' until a page first asks for a worker: the contents page starts none.
export type BackendStatus =
  | { state: 'idle' }
  | { state: 'starting' }
  | { state: 'running'; report: BackendReport }
  | { state: 'failed'; message: string };

let current: BackendStatus = { state: 'idle' };
const listeners = new Set<() => void>();

export function publishBackend(status: BackendStatus) {
  current = status;
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useBackendStatus(): BackendStatus {
  return useSyncExternalStore(subscribe, () => current);
}
