// Optimisers, loss surfaces and memory arithmetic for the optimisation pages (pure, no tfjs, no DOM).
export * from './sgd';
export * from './adafactor';
export * from './surfaces';
export * from './race';
export * from './modelShapes';
export * from './memory';
export * from './spec';
