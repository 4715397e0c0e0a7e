// Public surface of the pure core library (no tfjs, no DOM): the app imports from here.
export * from './rng';
export * from './schedule';
export * from './adam';
export * from './clip';
export * from './fp16';
export * from './bertMask';
export * from './spanCorrupt';
export * from './tokenizer';
export * from './sampling';
export * from './batch';
export * from './params';
export * from './text/corpusTypes';
export * from './text/userText';
