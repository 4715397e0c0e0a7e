// The exported script's BERT and encoder-decoder must be the notebook's models:
// python/bert.py's Bert and python/encdec.py's EncoderDecoder, initialised from
// the same seed by common.py's init_params, give the loss and gradient norm
// that src/models gives on the same batch (float32 both; tfjs's cpu backend).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { buildBertBatch, makeRng, randomInt, seedFor } from '../../core';
import { bertLosses, initBertParams, type BertConfig } from '../../models/bert';
import { encDecLoss, initEncDecParams, type EncDecBatch, type EncDecConfig } from '../../models/encdec';
import type { Params } from '../../models/transformer';
import { globalNorm } from '../optim/clip';
import bertPy from './python/bert.py?raw';
import commonPy from './python/common.py?raw';
import encdecPy from './python/encdec.py?raw';
import rngPy from './python/rng.py?raw';
import { findTorchPython, requireTool, runPython } from './python.testing';

const python = findTorchPython();
const SEED = 11;

const BERT_CFG: BertConfig = { vocabSize: 50, maxLength: 12, dModel: 16, nLayers: 2, nHeads: 2, segmentTypes: 2 };
const ENCDEC_CFG: EncDecConfig = { vocabSize: 40, maxSource: 9, maxTarget: 7, dModel: 16, nLayers: 2, nHeads: 4 };

function bertBatch() {
  const r = makeRng(3);
  const rows = Array.from({ length: 5 }, (_, b) => {
    const n = 4 + b; // rows of 4..8 tokens: padding in all but the longest
    const ids = [1, ...Array.from({ length: n - 2 }, () => 5 + randomInt(r, 45)), 2];
    return { ids, segments: ids.map((_, t) => (t > n / 2 ? 1 : 0)), label: b % 2 };
  });
  const mr = makeRng(4);
  return buildBertBatch(rows, {
    T: BERT_CFG.maxLength,
    padId: 0,
    maskId: 3,
    vocabSize: BERT_CFG.vocabSize,
    protectedIds: new Set([0, 1, 2]),
    selectRate: 0.3,
    maskProb: 0.8,
    randomProb: 0.1,
    rngFor: () => mr,
    nsp: true,
  });
}

function encdecBatch(): EncDecBatch {
  const r = makeRng(5);
  const B = 3;
  const S = ENCDEC_CFG.maxSource;
  const T = 6; // shorter than maxTarget: the model slices P_dec
  const lengths = [9, 4, 2];
  const targets = [3, 6, 1];
  const sourceIds = Int32Array.from({ length: B * S }, (_, i) =>
    i % S < lengths[Math.floor(i / S)] ? 4 + randomInt(r, 36) : 0,
  );
  const decoderInput = Int32Array.from({ length: B * T }, () => 4 + randomInt(r, 36));
  const targetRows: number[] = [];
  const targetIds: number[] = [];
  targets.forEach((n, b) => {
    for (let t = 0; t < n; t++) {
      targetRows.push(b * T + t);
      targetIds.push(4 + randomInt(r, 36));
    }
  });
  return {
    B,
    S,
    T,
    sourceIds,
    sourceLengths: Int32Array.from(lengths),
    decoderInput,
    targetRows: Int32Array.from(targetRows),
    targetIds: Int32Array.from(targetIds),
  };
}

/** The loss and the gradient's global norm at the seeded initialisation. */
function lossAndNorm(params: Params, loss: () => tf.Scalar): [number, number] {
  const out = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(loss, Object.values(params));
    return [value, globalNorm(grads)];
  });
  const nums = out.map((t) => t.dataSync()[0]) as [number, number];
  tf.dispose(out);
  return nums;
}

const DRIVER = `
import json, sys
c = json.loads(sys.stdin.read())
torch.manual_seed(0)
L = lambda xs: torch.tensor(xs, dtype=torch.long)
out = {}
b, cfg = c["bert"], c["bertCfg"]
bert = Bert(cfg["vocabSize"], cfg["maxLength"], cfg["dModel"], cfg["nLayers"], cfg["nHeads"])
init_params(bert.param_info(), cfg["dModel"], cfg["nLayers"], cfg["nHeads"], Rng(seed_for(c["seed"], "init")), "gpt2")
B, T = b["rows"], b["T"]
x = dict(ids=L(b["ids"]).reshape(B, T), segments=L(b["segments"]).reshape(B, T), lengths=L(b["lengths"]),
         masked_rows=L(b["maskedRows"]), masked_targets=L(b["maskedTargets"]), nsp_labels=L(b["nspLabels"]))
loss = bert.losses(x)["total"]
loss.backward()
out["bert"] = [loss.item(), global_norm([p.grad for p in bert.parameters()]).item(), [n for n, _ in notebook_names(bert)]]
e, cfg = c["encdec"], c["encdecCfg"]
model = EncoderDecoder(cfg["vocabSize"], cfg["maxSource"], cfg["maxTarget"], cfg["dModel"], cfg["nLayers"], cfg["nHeads"])
init_params(model.param_info(), cfg["dModel"], cfg["nLayers"], cfg["nHeads"], Rng(seed_for(c["seed"], "init")), "gpt2")
x = dict(source_ids=L(e["sourceIds"]).reshape(e["B"], e["S"]), source_lengths=L(e["sourceLengths"]),
         decoder_input=L(e["decoderInput"]).reshape(e["B"], e["T"]), target_rows=L(e["targetRows"]),
         target_ids=L(e["targetIds"]))
loss = model(x)
loss.backward()
out["encdec"] = [loss.item(), global_norm([p.grad for p in model.parameters()]).item(), [i[0] for i in model.param_info()]]
print(json.dumps(out))
`;

const plain = (o: object) =>
  JSON.parse(
    JSON.stringify(o, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v)),
  ) as object;

describe.runIf(requireTool(python, 'python3 with torch'))('python Bert and EncoderDecoder', () => {
  it('give the notebook models’ loss and gradient norm from the same seed and batch', async () => {
    await tf.setBackend('cpu');
    const bb = bertBatch();
    const eb = encdecBatch();
    const input = { seed: SEED, bert: plain(bb), bertCfg: BERT_CFG, encdec: plain(eb), encdecCfg: ENCDEC_CFG };
    const py = JSON.parse(
      runPython(python!, ['-c', `${rngPy}\n${commonPy}\n${bertPy}\n${encdecPy}\n${DRIVER}`], {
        input: JSON.stringify(input),
      }),
    ) as Record<'bert' | 'encdec', [number, number, string[]]>;

    const bertParams = initBertParams(BERT_CFG, makeRng(seedFor(SEED, 'init')));
    const bertInputs = { B: bb.rows, T: bb.T, ids: bb.ids, segments: bb.segments, lengths: bb.lengths };
    const [bl, bn] = lossAndNorm(bertParams, () => bertLosses(bertParams, BERT_CFG, bertInputs, bb).total);
    expect(py.bert[2]).toEqual(Object.keys(bertParams));
    expect(py.bert[0]).toBeCloseTo(bl, 5);
    expect(py.bert[1]).toBeCloseTo(bn, 4);

    const edParams = initEncDecParams(ENCDEC_CFG, makeRng(seedFor(SEED, 'init')));
    const [el, en] = lossAndNorm(edParams, () => encDecLoss(edParams, ENCDEC_CFG, eb).loss);
    expect(py.encdec[2]).toEqual(Object.keys(edParams));
    expect(py.encdec[0]).toBeCloseTo(el, 5);
    expect(py.encdec[1]).toBeCloseTo(en, 4);
    tf.dispose([...Object.values(bertParams), ...Object.values(edParams)]);
  });
});
