// The session a run spec describes, with its data prepared: the worker's
// factory, shared with the Node measurement commands so they train exactly
// what a page trains.
import { prepareBertData } from './bertData';
import { BertSession } from './bertSession';
import { prepareData } from './data';
import { prepareEncDecData } from './encdecData';
import { EncDecSession } from './encdecSession';
import { GptRaceSession } from './gptRaceSession';
import type { RunSpec } from './contract';
import { Session } from './session';
import type { TrainingSession } from './trainingSession';

export async function createSession(run: RunSpec): Promise<TrainingSession> {
  switch (run.task) {
    case 'gpt':
      return new Session(run, await prepareData(run.data, run.model));
    case 'gpt-race':
      return new GptRaceSession(run, await prepareData(run.data, run.model));
    case 'bert':
      return new BertSession(run, await prepareBertData(run.data, run.model));
    case 'encdec':
      return new EncDecSession(run, await prepareEncDecData(run.data, run.model));
  }
}
