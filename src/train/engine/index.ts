// The task-agnostic training engine; the task adapters are in ../tasks.
export { Engine } from './engine';
export { DIVERGED_FACTOR, divergedLoss } from './divergence';
export type { AnyTask, ArmInput, ArmModel, ArmOf, BatchOf, EngineArm, Task } from './task';
