// The run contract: what a page may ask a training worker for (run.ts), the
// messages they exchange (messages.ts) and the backends (backend.ts). Imported
// by both threads; it holds types, constants and the run check (validate.ts),
// no tfjs and no DOM.
export * from './backend';
export * from './budget';
export * from './messages';
export * from './run';
export * from './shards';
export * from './validate';
