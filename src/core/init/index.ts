// Initialisation statistics and GPT-3's batch/learning-rate recipe (pure, no tfjs, no DOM).
export * from './batchRamp';
export * from './residualStack';
