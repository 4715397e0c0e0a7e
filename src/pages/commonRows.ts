// The rows every trainer's table has, written once: the run's seed (the one
// every random stream derives from) and the backend it trains on. Each
// returns a literal row, so a table declared `as const satisfies ParamTable`
// keeps its key and options in ValuesOf.
import { BACKEND_ORDER } from '../train/contract';

export const BACKEND_OPTIONS = ['auto', ...BACKEND_ORDER] as const;

/** The run's seed, under `key` (a page with two trainers gives each its own). */
export function seedRow<K extends string>(key: K) {
  return { kind: 'int', key, label: 'Seed', default: 1, min: 0, max: 2147483647 } as const;
}

/** The backend a trainer asks its worker for, under `key`. */
export function backendRow<K extends string>(key: K) {
  return { kind: 'enum', key, label: 'Backend', default: 'auto', options: BACKEND_OPTIONS } as const;
}
