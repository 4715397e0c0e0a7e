// "Export to PyTorch": the run on screen as one self-contained Python script
// (src/train/export/generate.ts, the same generator as `npm run export`).
// A run on the bundled corpus names the corpus file; the script fetches it
// from this site on its first run (or reads it next to itself), so one
// download is enough. The second button saves that file for offline use.
import { useId, useState } from 'react';
import type { RunSpec } from '../train/contract';
import { exportProblem, generateScript, type ExportFile } from '../train/export/generate';

/** Saves a text file through a temporary link (every browser's way to start a download from a page). */
function saveText(file: ExportFile, type: string) {
  const url = URL.createObjectURL(new Blob([file.text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ExportButton({
  run,
  stem,
}: {
  /** The run the trainer trains now; null while a hyperparameter is invalid. */
  run: RunSpec | null;
  /** File name stem, e.g. 'decoder-only' -> decoder-only.py. */
  stem: string;
}) {
  const [error, setError] = useState<string | null>(null);
  const reasonId = useId();
  const reason = run ? exportProblem(run) : 'No run to export while a hyperparameter is invalid.';
  const corpus = run?.data.kind === 'corpus' ? run.data : null;

  const exportScript = () => {
    if (!run || reason) return;
    setError(null);
    try {
      const script = generateScript(run, { stem }).files.find((f) => f.name.endsWith('.py'));
      if (script) saveText(script, 'text/x-python');
    } catch (err) {
      setError(`Export failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  const exportCorpus = async () => {
    if (!corpus) return;
    setError(null);
    try {
      // The trainer already fetched it: this comes from the HTTP cache.
      const response = await fetch(corpus.url, { cache: 'force-cache' });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      saveText({ name: `${corpus.name}.json`, text: await response.text() }, 'application/json');
    } catch (err) {
      setError(`The corpus download failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return (
    <div className="export-pytorch" role="group" aria-label="Export to PyTorch">
      <button
        type="button"
        onClick={exportScript}
        disabled={reason !== null}
        aria-describedby={reason ? reasonId : undefined}
        title="One Python file (standard library and torch): the same run on CPU, a GPU or torchrun"
      >
        Export to PyTorch
      </button>
      {corpus && !reason && (
        <button
          type="button"
          onClick={() => void exportCorpus()}
          title="The corpus file the script reads, for offline use"
        >
          {corpus.name}.json
        </button>
      )}
      {reason && (
        <span id={reasonId} className="export-pytorch-reason">
          {reason}
        </span>
      )}
      {error && (
        <span role="alert" className="export-pytorch-error">
          {error}
        </span>
      )}
    </div>
  );
}
