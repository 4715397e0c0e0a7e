import { TextField } from '../../components/TextField';
import { useState } from 'react';
import {
  float16Fields,
  float32Fields,
  fp16Region,
  fp16RoundingError,
  type BitFields,
  type Fp16Region,
} from '../../core';
import { formatValue, parseExplorerInput } from './explorerInput';
import { NumberLine } from './NumberLine';
import { pow2 } from './power';
import { ScrollRegion } from '../../components/ScrollRegion';

const REGION_TEXT: Record<Fp16Region, string> = {
  zero: `zero: FP16 holds 0 (anything at or below ${pow2(-25)} rounds to 0)`,
  subnormal: `subnormal: between ${pow2(-24)} and ${pow2(-14)}, fewer than 11 significant bits`,
  normal: `normal: 11 significant bits, relative error at most ${pow2(-11)}`,
  overflow: 'overflow: 65520 and above become infinity',
  nan: 'not a number',
};

function Bits({ f, name }: { f: BitFields; name: string }) {
  return (
    <tr data-testid={`bits-${name}`}>
      <th scope="row">{name}</th>
      <td>
        <code className="bits" style={{ whiteSpace: 'nowrap' }}>
          <span title="sign" data-testid={`${name}-sign`} style={{ color: 'var(--series-2)' }}>
            {f.sign}
          </span>{' '}
          <span title="exponent" data-testid={`${name}-exponent`} style={{ color: 'var(--series-1)' }}>
            {f.exponent}
          </span>{' '}
          <span title="mantissa" data-testid={`${name}-mantissa`}>
            {f.mantissa}
          </span>
        </code>
      </td>
      <td>
        <code>0x{f.bits.toString(16).padStart(name === 'FP32' ? 8 : 4, '0')}</code>
      </td>
      <td data-testid={`${name}-value`}>{formatValue(f.value)}</td>
    </tr>
  );
}

/** Section 1: a number's FP32 and FP16 patterns, what FP16 keeps of it, and where it falls on FP16's line. */
export function Fp16Explorer() {
  const [raw, setRaw] = useState('0.1');
  const parsed = parseExplorerInput(raw);
  const x = parsed.ok ? parsed.value : null;
  const err = x === null ? null : fp16RoundingError(x);
  const region = x === null ? null : fp16Region(x);
  return (
    <div className="panel" data-testid="fp16-explorer">
      <div style={{ maxWidth: '22rem' }}>
        <TextField
          id="fp16-input"
          label="A number"
          value={raw}
          error={parsed.ok ? null : parsed.error}
          help="e.g. 1e-7, -3.5, 65520, Infinity or NaN"
          onChange={setRaw}
        />
      </div>
      {x !== null && err && region && (
        <>
          <ScrollRegion>
            <table className="bits-table" aria-label="Bit patterns: sign, exponent, mantissa">
              <thead>
                <tr>
                  <th scope="col">Format</th>
                  <th scope="col">sign · exponent · mantissa</th>
                  <th scope="col">hex</th>
                  <th scope="col">value held</th>
                </tr>
              </thead>
              <tbody>
                <Bits f={float32Fields(x)} name="FP32" />
                <Bits f={float16Fields(x)} name="FP16" />
              </tbody>
            </table>
          </ScrollRegion>
          <dl className="trainer-stats">
            <div>
              <dt>Region in FP16</dt>
              <dd data-testid="fp16-region" data-region={region}>
                {region}
              </dd>
            </div>
            <div>
              <dt>Absolute error |fp16(x) − x|</dt>
              <dd data-testid="fp16-abs-error">{err.abs === null ? '—' : formatValue(err.abs)}</dd>
            </div>
            <div>
              <dt>Relative error</dt>
              <dd data-testid="fp16-rel-error">{err.rel === null ? '—' : formatValue(err.rel)}</dd>
            </div>
          </dl>
          <p className="muted" data-testid="fp16-region-text">
            {REGION_TEXT[region]}
            {region === 'overflow' && Number.isFinite(x)
              ? '; there is no finite FP16 value, so no error to show.'
              : '.'}
          </p>
        </>
      )}
      <NumberLine x={x} />
    </div>
  );
}
