// Public surface of the noising functions (BART transformations, T5 objectives) and their shared result type.
export * from './types';
export * from './poisson';
export * from './iidNoise';
export * from './bart';
export * from './t5';
export * from './stats';
export * from './objectives';
