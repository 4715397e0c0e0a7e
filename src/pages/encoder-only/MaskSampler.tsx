import { TextField } from '../../components/TextField';
import { useState } from 'react';
import { makeRng, readNumber, sampleMaskStats, seedFor, type MaskStats, type RateStat } from '../../core';
import type { MaskDemoVocab } from './maskDemoVocab';
import { ScrollRegion } from '../../components/ScrollRegion';

const MAX_RUNS = 50_000;

export function checkRuns(raw: string): { runs: number; error: null } | { runs: null; error: string } {
  const read = readNumber(raw, 'Runs');
  if (!read.ok && read.reason === 'underflow') return { runs: null, error: read.error };
  const n = read.ok ? read.value : NaN;
  if (!Number.isInteger(n)) return { runs: null, error: 'Enter a whole number of runs.' };
  if (n < 1 || n > MAX_RUNS)
    return { runs: null, error: `Choose between 1 and ${MAX_RUNS.toLocaleString('en-US')} runs.` };
  return { runs: n, error: null };
}

function Row({ name, stat, setting }: { name: string; stat: RateStat; setting: string }) {
  const z = stat.sd > 0 ? (stat.observed - stat.expected) / stat.sd : stat.observed === stat.expected ? 0 : Infinity;
  const ok = Number.isFinite(stat.observed) && Math.abs(z) <= 3;
  const fmt = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : '–');
  return (
    <tr data-testid={`rate-${name}`} data-observed={stat.observed} data-expected={stat.expected} data-sd={stat.sd}>
      <th scope="row">{name}</th>
      <td>{setting}</td>
      <td>{fmt(stat.observed)}</td>
      <td>
        {fmt(stat.expected)} ± {fmt(2 * stat.sd)}
      </td>
      <td>{Number.isFinite(stat.observed) ? (ok ? `yes (${z.toFixed(1)} sd)` : `no (${z.toFixed(1)} sd)`) : '–'}</td>
    </tr>
  );
}

/** "Sample many": the masking function run thousands of times, observed rates against their settings. */
export function MaskSampler({
  vocab,
  rates,
  seed,
}: {
  vocab: MaskDemoVocab;
  rates: { selectRate: number; maskProb: number; randomProb: number };
  seed: number;
}) {
  const [raw, setRaw] = useState('10000');
  const [stats, setStats] = useState<MaskStats | null>(null);
  const [round, setRound] = useState(0);
  const check = checkRuns(raw);
  const run = () => {
    if (check.runs === null) return;
    setStats(
      sampleMaskStats(vocab.ids, {
        runs: check.runs,
        maskId: vocab.maskId,
        vocabSize: vocab.words.length,
        rng: makeRng(seedFor(seed, 'maskStats', round)),
        ...rates,
      }),
    );
    setRound((r) => r + 1);
  };
  return (
    <div className="sampler">
      <h3>Sample many</h3>
      <div className="inline-form">
        <TextField
          id="mask-runs"
          className="field"
          label="Runs"
          inputMode="numeric"
          value={raw}
          error={check.error}
          onChange={setRaw}
        />
        <button type="button" onClick={run} disabled={check.runs === null}>
          Run the masking function {check.runs?.toLocaleString('en-US') ?? ''} times
        </button>
      </div>
      {stats && (
        <>
          <ScrollRegion>
            <table className="stats-table" data-testid="mask-stats">
              <thead>
                <tr>
                  <th scope="col">rate</th>
                  <th scope="col">setting</th>
                  <th scope="col">observed</th>
                  <th scope="col">expected ± 2 sd</th>
                  <th scope="col">within 3 sd?</th>
                </tr>
              </thead>
              <tbody>
                <Row name="selected" stat={stats.rates.selected} setting={`${rates.selectRate} of positions`} />
                <Row name="[MASK]" stat={stats.rates.mask} setting={`${rates.maskProb} of selected`} />
                <Row name="random" stat={stats.rates.random} setting={`${rates.randomProb} of selected`} />
                <Row
                  name="unchanged"
                  stat={stats.rates.keep}
                  setting={`${(1 - rates.maskProb - rates.randomProb).toFixed(2)} of selected`}
                />
              </tbody>
            </table>
          </ScrollRegion>
          <p className="muted">
            {stats.runs.toLocaleString('en-US')} runs over {vocab.ids.length} tokens:{' '}
            {stats.selectedTotal.toLocaleString('en-US')} selected positions. The selected share is exact, not random:
            the function picks round({rates.selectRate} × {vocab.ids.length}) positions every time (at least one), which
            is why its expected value can differ from the setting on a short sentence. The other three are binomial, so
            their spread shrinks like 1/√n. Of the random replacements,{' '}
            {stats.randomEqualsOriginal.toLocaleString('en-US')} drew the original word back.
          </p>
        </>
      )}
    </div>
  );
}
