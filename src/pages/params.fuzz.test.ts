// Property-based fuzzing of every page's URL parameters (fast-check): random
// and hostile query strings (numbers huge, tiny, negative, hex, 1e-400, NaN,
// Infinity, other scripts' digits, script-injection strings, repeated keys,
// raw and percent-encoded) go through parseParams with the page's own
// cross-field rules, as useParamForm reads a link. The properties:
//   - parseParams never throws, and every value it returns passes its row's
//     check and, together, the table's cross rules;
//   - every value a link gives for a key that is not valid yields a notice
//     naming it, and a key the link does not give keeps its default;
//   - every accepted combination builds run specs (the page's own builders)
//     that validateRun, the worker's check, accepts, and the link the page
//     writes back for it reads back the same.
// Fixed seed and bounded runs, so it is fast and any failure replays; set
// FUZZ_SEED and FUZZ_RUNS to explore further (a failure prints the seed and
// path that reproduce its shrunk counterexample).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asValues, checkParam, parseParams, writeParams, type ParamSpec, type ParamValues } from '../core/params';
import { validateRun } from '../train/contract/validate';
import { ABLATIONS, MAX_ABLATIONS, parseAblations } from './gpt3-recipe/ablations';
import { CALC_COUNT_PARAMS, CALC_GPT_PARAMS, calcGptCrossCheck, MODEL_PARAMS, selectModel } from './memory/params';
import { anyValue, HOSTILE, hostileQuery, invalidValue, queryString, validValue } from './fuzzValues.testing';
import { TABLE_CASES, type TableCase } from './paramTables.testing';

const SEED = Number(process.env.FUZZ_SEED ?? 20_2025);
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const OPTIONS = { seed: SEED, numRuns: RUNS };

function parse(c: TableCase, query: string) {
  return parseParams(c.table, new URLSearchParams(query), c.cross);
}

/** Whether `value` is a well-typed, in-range value of the row (what checkParam accepts). */
function fitsRow(spec: ParamSpec, value: ParamValues[string]): boolean {
  if (spec.kind === 'enum') return typeof value === 'string' && spec.options.includes(value);
  return typeof value === 'number' && checkParam(spec, String(value)).ok;
}

const mentions = (notices: string[], key: string, raw: string) =>
  notices.some((n) => n.includes(`${key}=${JSON.stringify(raw)}`));

describe.each(TABLE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  it('parses any link without throwing into values that pass every row and the cross rules, with a notice for each bad value', () => {
    fc.assert(
      fc.property(hostileQuery([c.table]), (query) => {
        const { values, notices } = parse(c, query);
        const q = new URLSearchParams(query);
        for (const spec of c.table) {
          expect(fitsRow(spec, values[spec.key]), `${spec.key} = ${String(values[spec.key])}`).toBe(true);
          const given = q.getAll(spec.key);
          if (given.length === 0) expect(values[spec.key]).toBe(spec.default);
          // Every copy of the key the link gives (a key may repeat) that the row refuses is named in a notice.
          for (const raw of given)
            if (!checkParam(spec, raw).ok) expect(mentions(notices, spec.key, raw), `${spec.key}=${raw}`).toBe(true);
        }
        if (c.cross) expect(c.cross(values)).toEqual({});
        // At most two notices per key (its value, its repeats), and one for the cross rules.
        expect(notices.length).toBeLessThanOrEqual(2 * c.table.length + 1);
        c.derive?.(values);
      }),
      OPTIONS,
    );
  });

  it('refuses a value no row takes (not a number, out of range, not an option) with a notice, and uses the default', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...c.table).chain((spec) => fc.tuple(fc.constant(spec), invalidValue(spec))),
        fc.boolean(),
        ([spec, raw], encode) => {
          const query = queryString([{ key: spec.key, value: raw, spelling: encode ? 'encoded' : 'raw' }]);
          const got = new URLSearchParams(query).get(spec.key) ?? '';
          const { values, notices } = parse(c, query);
          expect(values[spec.key]).toBe(spec.default);
          // A raw `&`, `#` or `=` cuts the value short; what arrives is what the notice names.
          if (!checkParam(spec, got).ok) expect(mentions(notices, spec.key, got)).toBe(true);
          else expect(encode).toBe(false);
        },
      ),
      OPTIONS,
    );
  });

  it('takes a link of valid values as it is when the cross rules agree, and builds runs the worker accepts', () => {
    const row = (spec: ParamSpec) => fc.option(validValue(spec), { nil: undefined, freq: 4 });
    fc.assert(
      fc.property(fc.tuple(...c.table.map(row)), (raws) => {
        const entries = c.table.flatMap((spec, i) => {
          const value = raws[i];
          return value === undefined ? [] : [{ key: spec.key, value, spelling: 'encoded' as const }];
        });
        const { values, notices } = parse(c, queryString(entries));
        const checked: ParamValues = Object.fromEntries(
          c.table.map((spec, i) => {
            const raw = raws[i];
            const check = raw === undefined ? null : checkParam(spec, raw);
            expect(check === null || check.ok, `${spec.key}=${raw}`).toBe(true);
            return [spec.key, check?.ok ? check.value : spec.default];
          }),
        );
        const agree = !c.cross || Object.keys(c.cross(checked)).length === 0;
        if (agree) {
          expect(notices).toEqual([]);
          expect(values).toEqual(checked);
        } else expect(notices).toHaveLength(1);
        for (const run of c.runs(values)) expect(validateRun(run), JSON.stringify(run.model)).toEqual([]);
        c.derive?.(values);
        // The link the page writes back for these values reads back as the same values, with no notice.
        const written = parseParams(c.table, writeParams(c.table, asValues(values), new URLSearchParams()), c.cross);
        expect(written).toEqual({ values, notices: [] });
      }),
      OPTIONS,
    );
  });

  it('builds runs the worker accepts from whatever a hostile link leaves standing', () => {
    fc.assert(
      fc.property(hostileQuery([c.table], 20), (query) => {
        const { values } = parse(c, query);
        for (const run of c.runs(values)) expect(validateRun(run), JSON.stringify(run.model)).toEqual([]);
      }),
      OPTIONS,
    );
  });
});

describe('the fuzzed tables', () => {
  it('include every parameter table a page exports', () => {
    const modules = import.meta.glob<Record<string, unknown>>(['./*/params.ts', './tinyGpt.ts'], { eager: true });
    const isTable = (x: unknown): boolean =>
      Array.isArray(x) &&
      x.length > 0 &&
      x.every((row) => typeof row === 'object' && row !== null && ['int', 'float', 'enum'].includes(row.kind));
    const fuzzed = new Set<unknown>(TABLE_CASES.map((c) => c.table));
    const missing = Object.entries(modules).flatMap(([file, mod]) =>
      Object.entries(mod)
        .filter(([, value]) => isTable(value) && !fuzzed.has(value))
        .map(([name]) => `${file}: ${name}`),
    );
    expect(missing, 'add them to src/pages/paramTables.testing.ts').toEqual([]);
    expect(Object.keys(modules).length).toBeGreaterThanOrEqual(9);
  });
});

describe('the memory page’s calculator', () => {
  it('prices whatever model its three tables accept from a hostile link, or says why it cannot', () => {
    const tables = [MODEL_PARAMS, CALC_COUNT_PARAMS, CALC_GPT_PARAMS];
    fc.assert(
      fc.property(hostileQuery(tables, 16), fc.option(fc.integer({ min: 1, max: 100_000 })), (query, vocab) => {
        const q = new URLSearchParams(query);
        const values = {
          ...parseParams(MODEL_PARAMS, q).values,
          ...parseParams(CALC_COUNT_PARAMS, q).values,
          ...parseParams(CALC_GPT_PARAMS, q, calcGptCrossCheck).values,
        };
        const sel = selectModel(values, { layers: 2, width: 64, context: 64, vocab });
        if (sel.ready) {
          expect(Number.isSafeInteger(sel.parameterCount)).toBe(true);
          expect(sel.parameterCount).toBeGreaterThan(0);
        } else expect(sel.waiting.length).toBeGreaterThan(0);
      }),
      OPTIONS,
    );
  });
});

describe('the recipe race’s ablations (ablate=…)', () => {
  it('keeps at most four known ablations, in order and without repeats, naming anything it drops', () => {
    const ids = ABLATIONS.map((a) => a.id);
    const name = fc.oneof(fc.constantFrom(...ids), fc.constantFrom(...HOSTILE), fc.string({ maxLength: 6 }));
    const raw = fc.oneof(
      fc.array(name, { maxLength: 10 }).map((names) => names.join(',')),
      anyValue({ kind: 'enum', key: 'ablate', label: 'Ablations', default: '', options: ids }),
    );
    fc.assert(
      fc.property(raw, (text) => {
        const parsed = parseAblations(text);
        expect(parsed.ids.length).toBeLessThanOrEqual(MAX_ABLATIONS);
        expect(new Set(parsed.ids).size).toBe(parsed.ids.length);
        expect(parsed.ids).toEqual(ids.filter((id) => parsed.ids.includes(id)));
        const unknown = text
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '' && !ids.includes(s as (typeof ids)[number]));
        if (unknown.length > 0) expect(parsed.notices.length).toBeGreaterThan(0);
      }),
      OPTIONS,
    );
  });
});
