import { TextField } from '../../components/TextField';
import { memo, useMemo, useState } from 'react';
import { M } from '../../components/Equation';
import { Equation } from '../../components/Equation';
import { BERT_BASE, BERT_LARGE, bertSize, readNumber, ROBERTA_LARGE, type BertSizeConfig } from '../../core';
import { ScrollRegion } from '../../components/ScrollRegion';

const PRESETS: Record<string, BertSizeConfig> = {
  'BERT-base': BERT_BASE,
  'BERT-large': BERT_LARGE,
  'RoBERTa-large': ROBERTA_LARGE,
};

export const FIELDS = [
  { key: 'layers', label: 'Layers L', min: 1, max: 200 },
  { key: 'dModel', label: 'd_model', min: 1, max: 65536 },
  { key: 'heads', label: 'Heads', min: 1, max: 1024 },
  { key: 'vocab', label: 'Vocabulary V', min: 1, max: 10_000_000 },
  { key: 'positions', label: 'Positions P', min: 1, max: 1_000_000 },
  { key: 'segmentTypes', label: 'Segment types S', min: 1, max: 16 },
] as const;

type Key = (typeof FIELDS)[number]['key'];

export function checkField(f: (typeof FIELDS)[number], raw: string): string | null {
  const read = readNumber(raw, f.label);
  if (!read.ok && read.reason === 'underflow') return read.error;
  const n = read.ok ? read.value : NaN;
  if (!Number.isInteger(n)) return `${f.label} must be a whole number.`;
  if (n < f.min || n > f.max) return `${f.label} must be between ${f.min} and ${f.max.toLocaleString('en-US')}.`;
  return null;
}

function fmt(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

/** Section 9: the parameter count of a BERT from its configuration, part by part. */
export const BertSizeCounter = memo(function BertSizeCounter() {
  const [drafts, setDrafts] = useState<Record<Key, string>>(() => toDrafts(BERT_LARGE));
  const errors = Object.fromEntries(
    FIELDS.map((f) => [f.key, checkField(f, drafts[f.key])]).filter(([, e]) => e),
  ) as Partial<Record<Key, string>>;
  let headError: string | null = null;
  const valid = Object.keys(errors).length === 0;
  const number = (key: Key) => (readNumber(drafts[key], key) as { value: number }).value;
  if (valid && number('dModel') % number('heads') !== 0)
    headError = `d_model ${drafts.dModel} must split evenly over ${drafts.heads} heads.`;
  const config: BertSizeConfig | null =
    valid && !headError ? { ...BERT_LARGE, ...Object.fromEntries(FIELDS.map((f) => [f.key, number(f.key)])) } : null;
  const size = useMemo(() => (config ? bertSize(config) : null), [config ? JSON.stringify(config) : null]); // eslint-disable-line react-hooks/exhaustive-deps -- keyed by the config's contents
  const large = useMemo(() => bertSize(BERT_LARGE).total, []);
  const roberta = useMemo(() => bertSize(ROBERTA_LARGE), []);
  return (
    <section aria-labelledby="size">
      <h2 id="size">9. How big is BERT-large?</h2>
      <div className="prose">
        <p>
          BERT-large has 24 layers, <M>{'d_\\text{model} = 1024'}</M> and 16 heads. The lecture quotes 355M parameters,
          but that is RoBERTa-large’s count: BERT-large itself has about 335M ({large.toLocaleString('en-US')} counting
          the pooler). The architectures are the same; RoBERTa’s byte-level vocabulary has 50,265 entries instead of
          30,522, which adds <M>{'(50265 - 30522) \\times 1024 \\approx 20.2\\text{M}'}</M> embedding parameters. Pick a
          preset or edit the configuration; the heads do not change the count (they slice the same matrices).
        </p>
      </div>
      <Equation
        tex={
          'N = \\underbrace{(V + P + S)\\,d + 2d}_{\\text{embeddings}} + L\\,(4d^2 + 4d + 2 d\\, d_\\text{ff} + d_\\text{ff} + d + 4d) + \\underbrace{d^2 + d}_{\\text{pooler}}, \\quad d_\\text{ff} = 4d'
        }
      />
      <div className="panel">
        <div className="preset-row" role="group" aria-label="Presets">
          {Object.entries(PRESETS).map(([name, cfg]) => (
            <button key={name} type="button" onClick={() => setDrafts(toDrafts(cfg))}>
              {name}
            </button>
          ))}
        </div>
        <div className="hyperparam-grid">
          {FIELDS.map((f) => {
            const error = errors[f.key] ?? (f.key === 'heads' ? headError : null);
            return (
              <TextField
                key={f.key}
                id={`size-${f.key}`}
                label={f.label}
                inputMode="numeric"
                value={drafts[f.key]}
                error={error}
                onChange={(value) => setDrafts((d) => ({ ...d, [f.key]: value }))}
              />
            );
          })}
        </div>
        {size && (
          <>
            <p className="size-total">
              Total:{' '}
              <strong data-testid="size-total" data-value={size.total}>
                {size.total.toLocaleString('en-US')}
              </strong>{' '}
              ({fmt(size.total)})
            </p>
            <ScrollRegion>
              <table className="stats-table size-table">
                <thead>
                  <tr>
                    <th scope="col">part</th>
                    <th scope="col">formula</th>
                    <th scope="col">parameters</th>
                    <th scope="col">share</th>
                  </tr>
                </thead>
                <tbody>
                  {size.parts.map((p) => (
                    <tr key={p.name}>
                      <th scope="row">{p.name}</th>
                      <td>
                        <M>{p.formula}</M>
                      </td>
                      <td>{p.count.toLocaleString('en-US')}</td>
                      <td className="bar-cell">
                        <span className="bar" style={{ width: `${(100 * p.count) / size.total}%` }} />
                        <span className="bar-label">{((100 * p.count) / size.total).toFixed(1)}%</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
            <p className="muted">
              RoBERTa-large for comparison: {roberta.total.toLocaleString('en-US')}, that is{' '}
              {(roberta.total - large).toLocaleString('en-US')} more than BERT-large, all of it in the embedding tables
              (vocabulary, positions, segment types).
            </p>
          </>
        )}
      </div>
    </section>
  );
});

function toDrafts(c: BertSizeConfig): Record<Key, string> {
  return Object.fromEntries(FIELDS.map((f) => [f.key, String(c[f.key])])) as Record<Key, string>;
}
