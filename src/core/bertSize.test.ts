import { describe, expect, it } from 'vitest';
import { BERT_BASE, BERT_LARGE, ROBERTA_LARGE, bertSize, type BertSize, type BertSizeConfig } from './bertSize';

const countOf = (size: BertSize, name: string): number => {
  const part = size.parts.find((p) => p.name === name);
  if (!part) throw new Error(`no part named ${name}`);
  return part.count;
};

/**
 * Evaluates one of bertSize's TeX formulas with numbers for its symbols, so the
 * test checks that what the page shows is what was counted. Grammar:
 * sum of products of powers; juxtaposition and \cdot multiply.
 */
function evalFormula(tex: string, vars: Record<string, number>): number {
  const src = tex
    .replace(/d_\{\\text\{ff\}\}/g, 'f')
    .replace(/\\cdot/g, '*')
    .replace(/\\,/g, ' ');
  const tokens = src.match(/\d+|[A-Za-z]|[()+*^]/g) ?? [];
  let pos = 0;
  const peek = () => tokens[pos];
  const atom = (): number => {
    const t = tokens[pos++];
    if (t === '(') {
      const v = sum();
      if (tokens[pos++] !== ')') throw new Error(`unbalanced ${tex}`);
      return v;
    }
    if (/^\d+$/.test(t)) return Number(t);
    if (t in vars) return vars[t];
    throw new Error(`unknown token ${t} in ${tex}`);
  };
  const power = (): number => {
    const b = atom();
    if (peek() !== '^') return b;
    pos += 1;
    return b ** atom();
  };
  const product = (): number => {
    let v = power();
    while (pos < tokens.length && peek() !== '+' && peek() !== ')') {
      if (peek() === '*') pos += 1;
      v *= power();
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (peek() === '+') {
      pos += 1;
      v += product();
    }
    return v;
  };
  const value = sum();
  if (pos !== tokens.length) throw new Error(`trailing tokens in ${tex}`);
  return value;
}

describe('bertSize against published counts', () => {
  it('BERT-base (BertModel, with pooler) has 109,482,240 parameters', () => {
    // Embeddings: (30522 + 512 + 2) * 768 + 2 * 768       = 23,835,648 + 1,536 = 23,837,184
    // One layer: 4 * (768^2 + 768)                        = 2,362,368  (Q, K, V, output)
    //          + 768 * 3072 + 3072 + 3072 * 768 + 768     = 4,722,432  (feed-forward)
    //          + 2 * (2 * 768)                            = 3,072      (two LayerNorms)
    //                                                     = 7,087,872; times 12 = 85,054,464
    // Pooler: 768^2 + 768                                 = 590,592
    // Total: 23,837,184 + 85,054,464 + 590,592            = 109,482,240
    const size = bertSize(BERT_BASE);
    expect(size.total).toBe(109_482_240);
    expect(countOf(size, 'token embeddings')).toBe(23_440_896);
    expect(countOf(size, 'feed-forward')).toBe(12 * 4_722_432);
  });

  it('BERT-large (BertModel, with pooler) has 335,141,888 parameters', () => {
    // Embeddings: (30522 + 512 + 2) * 1024 + 2 * 1024     = 31,782,912
    // One layer: 4 * (1024^2 + 1024) + 2 * 1024 * 4096 + 4096 + 1024 + 4 * 1024
    //          = 4,198,400 + 8,393,728 + 4,096            = 12,596,224; times 24 = 302,309,376
    // Pooler: 1024^2 + 1024                               = 1,049,600
    // Total: 31,782,912 + 302,309,376 + 1,049,600         = 335,141,888
    expect(bertSize(BERT_LARGE).total).toBe(335_141_888);
  });

  it('RoBERTa-large (RobertaModel, with pooler) has 355,359,744 parameters', () => {
    // Embeddings: (50265 + 514 + 1) * 1024 + 2 * 1024     = 52,000,768
    // Layers and pooler as in BERT-large                  = 302,309,376 + 1,049,600
    // Total                                               = 355,359,744
    expect(bertSize(ROBERTA_LARGE).total).toBe(355_359_744);
  });

  it('with the pre-training heads: BertForMaskedLM and BertForPreTraining counts', () => {
    // MLM head: 768^2 + 768 + 2 * 768 + 30522 = 622,650; BertForMaskedLM has no pooler:
    // 109,482,240 - 590,592 + 622,650 = 109,514,298.
    expect(bertSize({ ...BERT_BASE, pooler: false, mlmHead: true }).total).toBe(109_514_298);
    // BertForPreTraining adds the NSP classifier 2 * 768 + 2 = 1,538 to BertModel + MLM head.
    expect(bertSize({ ...BERT_BASE, mlmHead: true, nspHead: true }).total).toBe(110_106_428);
  });

  it('BERT-large and RoBERTa-large differ only in vocabulary, position and segment tables', () => {
    const bert = bertSize(BERT_LARGE);
    const roberta = bertSize(ROBERTA_LARGE);
    expect(roberta.parts.map((p) => p.name)).toEqual(bert.parts.map((p) => p.name));
    const changed: Record<string, number> = {};
    bert.parts.forEach((p, i) => {
      const diff = roberta.parts[i].count - p.count;
      if (diff !== 0) changed[p.name] = diff;
    });
    expect(changed).toEqual({
      'token embeddings': (50265 - 30522) * 1024, // 20,216,832
      'position embeddings': (514 - 512) * 1024, // 2,048
      'segment embeddings': (1 - 2) * 1024, // -1,024
    });
    const sumOfDiffs = Object.values(changed).reduce((a, b) => a + b, 0);
    expect(sumOfDiffs).toBe(roberta.total - bert.total);
    expect(roberta.total - bert.total).toBe(20_217_856);
  });
});

describe('bertSize parts', () => {
  const configs: [string, BertSizeConfig][] = [
    ['BERT-base', BERT_BASE],
    ['RoBERTa-large with heads', { ...ROBERTA_LARGE, mlmHead: true, nspHead: true }],
    [
      'odd shape',
      {
        layers: 3,
        dModel: 10,
        heads: 5,
        ffn: 7,
        vocab: 11,
        positions: 13,
        segmentTypes: 0,
        pooler: false,
        mlmHead: true,
      },
    ],
  ];
  for (const [label, config] of configs) {
    it(`each formula evaluates to its count, and the counts sum to the total (${label})`, () => {
      const size = bertSize(config);
      const vars = {
        V: config.vocab,
        P: config.positions,
        S: config.segmentTypes,
        d: config.dModel,
        L: config.layers,
        f: config.ffn ?? 4 * config.dModel,
      };
      for (const part of size.parts) expect(evalFormula(part.formula, vars), part.name).toBe(part.count);
      expect(size.parts.reduce((s, p) => s + p.count, 0)).toBe(size.total);
    });
  }

  it('the formula evaluator reads what it is given (guards the check above)', () => {
    expect(evalFormula('L (2 d\\, d_{\\text{ff}} + d_{\\text{ff}} + d)', { L: 2, d: 3, f: 5 })).toBe(2 * (30 + 5 + 3));
    expect(evalFormula('L \\cdot 3(d^2 + d)', { L: 2, d: 3 })).toBe(72);
  });

  it('head count and the ffn default do not change what they should not', () => {
    expect(bertSize({ ...BERT_BASE, heads: 1 }).total).toBe(bertSize(BERT_BASE).total);
    expect(bertSize({ ...BERT_BASE, ffn: 3072 }).total).toBe(bertSize(BERT_BASE).total);
    expect(bertSize({ ...BERT_BASE, ffn: 3073 }).total).toBe(bertSize(BERT_BASE).total + 12 * (768 + 768 + 1));
  });

  it('rejects impossible shapes with a clear message', () => {
    expect(() => bertSize({ ...BERT_BASE, heads: 7 })).toThrow(/divisible by heads/);
    expect(() => bertSize({ ...BERT_BASE, layers: 0 })).toThrow(/layers must be an integer >= 1/);
    expect(() => bertSize({ ...BERT_BASE, dModel: 76.8 })).toThrow(RangeError);
    expect(() => bertSize({ ...BERT_BASE, segmentTypes: -1 })).toThrow(/segmentTypes/);
    expect(() => bertSize({ ...BERT_BASE, ffn: 0 })).toThrow(/ffn/);
    expect(() => bertSize({ ...BERT_BASE, pooler: false, nspHead: true })).toThrow(/pooler/);
  });
});
