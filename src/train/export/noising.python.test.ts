// The exported script must mask and noise exactly as the notebook does: the
// Python ports in python/bert.py and python/encdec.py are run on the same
// seeds and inputs as src/core's functions, and every output compared.
import { describe, expect, it } from 'vitest';
import {
  applyObjective,
  buildBertBatch,
  buildFullSentences,
  buildNspPair,
  makeRng,
  OBJECTIVES,
  ownTokenBatch,
  randomInt,
  type Rng,
} from '../../core';
import { drawPassage } from '../data/encdec';
import bertPy from './python/bert.py?raw';
import commonPy from './python/common.py?raw';
import encdecPy from './python/encdec.py?raw';
import rngPy from './python/rng.py?raw';
import { findTorchPython, requireTool, runPython } from './python.testing';

const python = findTorchPython();

/** Synthetic documents: sentences of 1..12 ids in 10..209 (ids below 10 are free for specials). */
function makeDocs(rng: Rng, count: number, maxSentences: number): number[][][] {
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + randomInt(rng, maxSentences) }, () =>
      Array.from({ length: 1 + randomInt(rng, 12) }, () => 10 + randomInt(rng, 200)),
    ),
  );
}

const DOCS = makeDocs(makeRng(5), 12, 6);
const SEEDS = [0, 3, 42, 99991, -7];
const PROTECTED = [1, 2, 3, 0];
const SENTINELS = Array.from({ length: 40 }, (_, i) => 300 + i);
const ARMS = [
  { selectRate: 0.15, maskProb: 0.8, randomProb: 0.1, nsp: true },
  { selectRate: 0.4, maskProb: 0.5, randomProb: 0.3, nsp: false },
  { selectRate: 1, maskProb: 0, randomProb: 1, nsp: true },
];

const DRIVER = `
import json, sys
c = json.loads(sys.stdin.read())
docs, protected = c["docs"], set(c["protected"])
corpus = NspCorpus(docs)
out = {"pairs": [], "full": [], "batches": [], "own": [], "objectives": [], "passages": []}
for s in c["seeds"]:
    r = Rng(s)
    pairs = [build_nsp_pair(corpus, 2, 3, 18, r) for _ in range(40)]
    out["pairs"].append(pairs)
    out["full"].append([build_full_sentences(docs, p["key"][0], p["key"][1], 2, 3, 18)[0] for p in pairs])
    rows = [(p["ids"], p["segments"], p["label"]) for p in pairs]
    for arm in c["arms"]:
        mr = Rng(s + 1)
        b = build_bert_batch(rows, 18, 1, 4, 260, protected, arm, lambda _r: mr)
        out["batches"].append([b.ids, b.segments, b.lengths, b.masked_rows, b.masked_targets, b.nsp_labels])
    b = own_token_batch(rows, 18, 1, protected)
    out["own"].append([b.ids, b.masked_rows, b.masked_targets])
    r = Rng(s)
    out["passages"].append([draw_passage(docs, w, r) for w in (1, 2, 5, 24, 48) for _ in range(8)])
    for o in c["objectives"]:
        r = Rng(s)
        out["objectives"].append([apply_objective(o, out["passages"][-1][k], rate, 3, 4, c["sentinels"], 260, r)
                                  for k in range(len(out["passages"][-1])) for rate in (0.15, 0.5)
                                  if not (o == "prefix-lm" and sum(map(len, out["passages"][-1][k])) < 2)])
print(json.dumps(out))
`;

describe.runIf(requireTool(python, 'python3 with torch'))('python/bert.py and python/encdec.py data', () => {
  it('draw the same pairs, masks, batches, passages and noised pairs as src/core', () => {
    const objectives = OBJECTIVES.map((o) => o.id);
    const cases = { docs: DOCS, seeds: SEEDS, protected: PROTECTED, arms: ARMS, objectives, sentinels: SENTINELS };
    const py = JSON.parse(
      runPython(python!, ['-c', `${rngPy}\n${commonPy}\n${bertPy}\n${encdecPy}\n${DRIVER}`], {
        input: JSON.stringify(cases),
      }),
    ) as {
      pairs: { ids: number[]; segments: number[]; label: number; key: number[] }[][];
      full: number[][][];
      batches: (number[] | null)[][];
      own: number[][][];
      objectives: [number[], number[]][][];
      passages: number[][][][];
    };
    let batch = 0;
    let objective = 0;
    const protectedIds = new Set(PROTECTED);
    SEEDS.forEach((s, i) => {
      const r = makeRng(s);
      const pairs = Array.from({ length: 40 }, () => buildNspPair(DOCS, { clsId: 2, sepId: 3, maxLength: 18, rng: r }));
      // Both labels and truncation must occur, or the comparison proves little.
      expect(new Set(pairs.map((p) => p.label)).size).toBe(2);
      expect(pairs.some((p) => p.ids.length === 18)).toBe(true);
      expect(py.pairs[i]).toEqual(
        pairs.map((p) => ({
          ids: p.ids,
          segments: p.segments,
          label: p.label === 'IsNext' ? 1 : 0,
          key: [p.docIndex, p.sentenceIndex, p.bDocIndex, p.bSentenceIndex],
        })),
      );
      const opts = { clsId: 2, sepId: 3, maxLength: 18 };
      expect(py.full[i]).toEqual(pairs.map((p) => buildFullSentences(DOCS, p.docIndex, p.sentenceIndex, opts).ids));
      const rows = pairs.map((p) => ({ ids: p.ids, segments: p.segments, label: p.label === 'IsNext' ? 1 : 0 }));
      for (const arm of ARMS) {
        const mr = makeRng(s + 1);
        const b = buildBertBatch(rows, {
          T: 18,
          padId: 1,
          maskId: 4,
          vocabSize: 260,
          protectedIds,
          ...arm,
          rngFor: () => mr,
        });
        expect(py.batches[batch++]).toEqual([
          [...b.ids],
          [...b.segments],
          [...b.lengths],
          [...b.maskedRows],
          [...b.maskedTargets],
          b.nspLabels ? [...b.nspLabels] : null,
        ]);
      }
      const own = ownTokenBatch(rows, 18, 1, protectedIds);
      expect(py.own[i]).toEqual([[...own.ids], [...own.maskedRows], [...own.maskedTargets]]);
      const pr = makeRng(s);
      const passages = [1, 2, 5, 24, 48].flatMap((w) => Array.from({ length: 8 }, () => drawPassage(DOCS, w, pr)));
      expect(py.passages[i]).toEqual(passages);
      for (const id of objectives) {
        const nr = makeRng(s);
        const want = passages.flatMap((p) =>
          [0.15, 0.5]
            .filter(() => !(id === 'prefix-lm' && p.flat().length < 2))
            .map((rate) => {
              const n = applyObjective(
                id,
                p,
                { rate, span: 3 },
                { maskId: 4, sentinelIds: SENTINELS, vocabSize: 260 },
                nr,
              );
              return [n.input, n.target];
            }),
        );
        expect(py.objectives[objective++], id).toEqual(want);
      }
    });
  });
});
