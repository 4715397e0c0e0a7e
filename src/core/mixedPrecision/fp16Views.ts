// What the mixed-precision page shows about FP16: bit fields of one number, and shares of a gradient histogram.
export * from './bitFields';
export * from './histShares';
