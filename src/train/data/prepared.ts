// A run's prepared data (the corpus tokenised for a task), kept by the worker
// for the next create of the same page: a Reset, or a change of width, depth,
// learning rate or seed, builds a new model on the same token ids instead of
// tokenising the corpus again. The data is only read by the tasks, so one copy
// serves every engine. A few at most are kept (the Brown corpus as character
// ids is ~24 MB); a failed preparation is forgotten.

const LIMIT = 2;
const kept = new Map<string, Promise<unknown>>();

/** make()'s data, or the copy kept under `key` (the most recently used LIMIT are kept). */
export function preparedOnce<T>(key: string, make: () => Promise<T>): Promise<T> {
  let data = kept.get(key) as Promise<T> | undefined;
  if (data) kept.delete(key);
  else {
    data = make();
    data.catch(() => {
      if (kept.get(key) === data) kept.delete(key);
    });
  }
  kept.set(key, data);
  while (kept.size > LIMIT) kept.delete(kept.keys().next().value as string);
  return data;
}

/** Forgets every kept preparation (tests). */
export function forgetPrepared(): void {
  kept.clear();
}
