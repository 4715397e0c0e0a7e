// The optimiser race widget: mount <OptimizerRace /> (optionally with a seed) on the SGD / Adam page.
export { OptimizerRace, type OptimizerRaceProps } from './OptimizerRace';
