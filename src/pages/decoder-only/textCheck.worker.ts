/// <reference lib="webworker" />
// Checks a pasted text or an uploaded file off the main thread: validation,
// the held-out split and the token counts are linear in the text (about
// 0.1 s for 2 MB on a laptop core; core's checkUserInput), long enough to
// freeze typing if done in the page.
import { checkUserInput, type MeasuredCheck } from '../../core/text/userText';

declare const self: DedicatedWorkerGlobalScope;

export type TextCheckInput = Parameters<typeof checkUserInput>[0];
export type TextCheckReply = { id: number; result: MeasuredCheck };

self.onmessage = (e: MessageEvent<{ id: number; input: TextCheckInput }>) => {
  const { id, input } = e.data;
  let result: MeasuredCheck;
  try {
    result = checkUserInput(input);
  } catch (err) {
    result = { ok: false, error: `The text could not be checked: ${err instanceof Error ? err.message : String(err)}` };
  }
  self.postMessage({ id, result } satisfies TextCheckReply);
};
