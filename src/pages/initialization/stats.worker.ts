/// <reference lib="webworker" />
// Computes the init figures off the main thread: the depth-48 residual stack
// takes about 0.2 s per scheme, long enough to freeze typing if done in the page.
import { answer, type StatsRequest, type StatsResult } from './stats';

declare const self: DedicatedWorkerGlobalScope;

export type StatsReply = { id: number; ok: true; result: StatsResult } | { id: number; ok: false; error: string };

self.onmessage = (e: MessageEvent<{ id: number; req: StatsRequest }>) => {
  const { id, req } = e.data;
  let reply: StatsReply;
  try {
    reply = { id, ok: true, result: answer(req) };
  } catch (err) {
    reply = { id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  self.postMessage(reply);
};
