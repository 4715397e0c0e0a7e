// Mixed-precision training helpers (pure: no tfjs, no DOM).
export * from './lossScaling';
export * from './fp16Sim';
export * from './fp16Views';
