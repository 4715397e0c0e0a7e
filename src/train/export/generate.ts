// "Export to PyTorch": a run spec in, one self-contained Python file out
// (standard library and torch only), plus the run spec as JSON and, for the
// bundled corpus, the corpus file the script reads next to itself. Pure
// TypeScript: the button (main thread), `npm run export` and the tests all
// call this one function.
//
// The Python lives as fragments in ./python/ (rng, common, one per task, main),
// ported from the notebook's own code; the script is those a task needs,
// concatenated in order, with the run spec embedded as JSON.
import type { RunSpec, TaskName } from '../contract';
import { PYTHON_FRAGMENTS, type FragmentName } from './fragments';

export interface ExportFile {
  name: string;
  text: string;
}

export interface ExportOptions {
  /** File name stem, e.g. 'decoder-only' -> decoder-only.py and decoder-only.run.json. */
  stem?: string;
  /** The corpus asset's text (public/corpus/<name>.json), written as the script's sidecar; omit to leave it out. */
  corpusJson?: string;
}

/** The fragments each task's script is made of, in order. */
const TASK_FRAGMENTS: Record<TaskName, FragmentName[]> = {
  gpt: ['rng', 'common', 'text', 'gpt', 'main'],
  bert: ['rng', 'common', 'text', 'bert', 'main'],
  encdec: ['rng', 'common', 'text', 'encdec', 'main'],
};

/**
 * Why a run cannot be exported yet, or null when it can: the task's fragment
 * must register the task (TASKS["gpt"] = ...) for the training loop to find it.
 */
export function exportProblem(run: RunSpec): string | null {
  const fragment = PYTHON_FRAGMENTS[run.task];
  return fragment.includes(`TASKS["${run.task}"]`) ? null : `Export of ${run.task} runs is not available yet.`;
}

/**
 * Indented JSON with every non-ASCII character escaped (\uXXXX), so the
 * embedded text survives any file encoding; json.loads restores surrogate
 * pairs. It never holds three quotes in a row (a quote inside a string is
 * escaped, and structural quotes are parted by , : or spaces), so it sits
 * safely in a raw triple-quoted Python string.
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function describeRun(run: RunSpec): string {
  const m = run.model as unknown as Record<string, unknown>;
  const shape = ['nLayers', 'dModel', 'nHeads', 'contextLength', 'maxLength', 'passageLength']
    .filter((k) => m[k] !== undefined)
    .map((k) => `${k} ${String(m[k])}`)
    .join(', ');
  const arms = run.arms.map((a) => `#   arm ${a.label}: ${a.optimizer.kind}, peak lr ${a.schedule.lr}`).join('\n');
  const data = run.data.kind === 'corpus' ? `the ${run.data.name} corpus (${run.data.name}.json)` : 'your own text';
  return [
    `# Task ${run.task}, seed ${run.seed}, batch ${run.batchSize}, evaluation every ${run.evalEvery} steps.`,
    `# Model: ${shape}. Data: ${data}.`,
    arms,
  ].join('\n');
}

/** The header: what the file is and how to run it. */
function header(run: RunSpec, stem: string): string {
  return `#!/usr/bin/env python3
# ${stem}.py: the notebook's run, exported to PyTorch. Standard library and torch only.
#
# On CPU in float32 it reproduces the notebook's numbers: the same seeded random
# numbers, batches, initialisation, optimiser and schedule (training losses within
# 1e-3 of the browser's for the first steps).
#
#   python3 ${stem}.py                                  CPU, 300 steps, the curve as JSON lines
#   python3 ${stem}.py --device cuda --dtype bfloat16   one GPU
#   torchrun --nproc_per_node 4 ${stem}.py --device cuda   DistributedDataParallel
#   python3 ${stem}.py --scale gpt2-small --device cuda  the same recipe at GPT-2 small's shape
#   python3 ${stem}.py --help                           every flag
#
${describeRun(run)}
`;
}

/** The script, its run spec as JSON, and the corpus sidecar when given. */
export function generateScript(run: RunSpec, opts: ExportOptions = {}): { files: ExportFile[] } {
  const problem = exportProblem(run);
  if (problem) throw new Error(problem);
  const stem = opts.stem ?? `${run.task}-run`;
  const parts = TASK_FRAGMENTS[run.task].map((f) => PYTHON_FRAGMENTS[f].trimEnd());
  const spec = [
    '# The run spec, as the notebook sent it to its worker (--config replaces it).',
    `RUN_SPEC = json.loads(r"""\n${asciiJson(run)}\n""")`,
  ].join('\n');
  const script = [header(run, stem), ...parts, spec, 'if __name__ == "__main__":\n    main()'].join('\n\n\n');
  const files: ExportFile[] = [
    { name: `${stem}.py`, text: `${script}\n` },
    { name: `${stem}.run.json`, text: `${JSON.stringify(run, null, 2)}\n` },
  ];
  if (run.data.kind === 'corpus' && opts.corpusJson !== undefined) {
    files.push({ name: `${run.data.name}.json`, text: opts.corpusJson });
  }
  return { files };
}
