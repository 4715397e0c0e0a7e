// The engine a run spec describes, with its task's data prepared: the
// worker's one factory, shared with the Node measurement commands
// (scripts/measure) so they train exactly what a page trains.
import type { RunSpec } from './contract';
import { prepareBertData } from './data/bert';
import { prepareEncDecData } from './data/encdec';
import { prepareGptData } from './data/gpt';
import { Engine } from './engine';
import { BertTask } from './tasks/bert';
import { EncDecTask } from './tasks/encdec';
import { GptTask } from './tasks/gpt';

/** An engine of any task; `kind` (= run.task) tells which, for the task's queries. */
export type AnyEngine = Engine<GptTask> | Engine<BertTask> | Engine<EncDecTask>;

/** `options.holdsReference`: false for a worker given a part of a run's arms without its reference arm (contract/shards.ts). */
export async function createEngine(run: RunSpec, options: { holdsReference?: boolean } = {}): Promise<AnyEngine> {
  switch (run.task) {
    case 'gpt':
      return new Engine(new GptTask(run, await prepareGptData(run.data, run.model)), options);
    case 'bert':
      return new Engine(new BertTask(run, await prepareBertData(run.data, run.model)), options);
    case 'encdec':
      return new Engine(new EncDecTask(run, await prepareEncDecData(run.data, run.model)), options);
  }
}

/**
 * Starts preparing a run's corpus data ahead of its create (prepared.ts keeps
 * it for createEngine): the worker calls it when a create message arrives, so
 * the download and the tokenising overlap the backend's start instead of
 * following it. A typed text is cheap to tokenise and is not kept, so it is
 * left to createEngine.
 */
export function prefetchData(run: RunSpec): Promise<unknown> {
  if (run.data.kind !== 'corpus') return Promise.resolve();
  switch (run.task) {
    case 'gpt':
      return prepareGptData(run.data, run.model);
    case 'bert':
      return prepareBertData(run.data, run.model);
    case 'encdec':
      return prepareEncDecData(run.data, run.model);
  }
}
