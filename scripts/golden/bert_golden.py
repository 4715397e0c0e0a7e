#!/usr/bin/env python3
"""Golden fixture for src/models/bert.ts: the same tiny BERT in PyTorch.

Written independently of the TypeScript model, from the equations in the header
of bert.ts, with PyTorch's own building blocks where they exist (F.layer_norm,
F.softmax, F.cross_entropy), embedding lookups by indexing and explicit matmuls
elsewhere. Float64 throughout; the weights are drawn in float32 first so that
PyTorch and TF.js start from bit-identical numbers.

    x_0    = E[ids] + P[:T] + S[segments]   token, position, segment embeddings
    x     += Attn(LN1(x))                   bidirectional: every query sees every real
                                            key (keys t >= length masked), no causal mask;
                                            fused qkv [d, 3d] = [q | k | v], heads contiguous
    x     += MLP(LN2(x))                    d -> 4d -> GELU(tanh) -> d
    phi    = LN_f(x)
    MLM:  logits_i = phi_i E^T + b          at the selected (flat b*T + t) positions, E tied
    NSP:  logits_b = phi_{b,0} W + c        on [CLS], column 1 = IsNext
    total = mean MLM cross-entropy + mean NSP cross-entropy

Fixture contents (src/models/fixtures/bert_golden.json):
  config, inputs (B, T, ids, segments, lengths), targets (maskedRows,
  maskedTargets, nspLabels), params (name -> shape, values),
  hidden [B*T, d] (phi, every position), mlmLogits [M, V], nspLogits [B, 2],
  mlmLoss, nspLoss, total, grads (d total / d every parameter) and gradsMlm
  (d mlm / d every parameter the MLM loss reaches: the NSP-free objective).
  overlap: another selection (maskedRows, maskedTargets) with a repeated row
  and [CLS] rows, with its mlmLoss, total and grads (d total, NSP included).

Regenerate (Debian: apt-get install python3-torch):
    /usr/bin/python3 scripts/golden/bert_golden.py
Deterministic: a seeded torch.Generator, no other randomness.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tiny_transformer import block_shapes, draw_params, flat, gelu_tanh  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "src" / "models" / "fixtures" / "bert_golden.json"
torch.set_default_dtype(torch.float64)

CONFIG = dict(vocabSize=13, maxLength=7, dModel=8, nLayers=2, nHeads=2, segmentTypes=2)
SEED = 20240923

# Token ids: 0 padding, 1 [CLS], 2 [SEP], 3 [MASK], 4..12 words.
PAD, CLS, SEP, MASK = 0, 1, 2, 3
FIRST_WORD = 4

# One row per layout: (sentence A length, sentence B length, final [SEP]?).
#   row 0: [CLS] a a [SEP] b b [SEP]   length 7 = T, no padding
#   row 1: [CLS] a [SEP] b [SEP] _ _   length 5
#   row 2: [CLS] a [SEP] b _ _ _       length 4 (truncated before the last [SEP])
LAYOUT = [(2, 2, True), (1, 1, True), (1, 1, False)]
# Selected positions per row (t) and what the input holds there: BERT's 80/10/10
# rule by hand, so the fixture has [MASK], a random word and an unchanged word.
SELECTED = [
    [(1, "mask"), (5, "random")],
    [(1, "keep"), (3, "mask")],
    [(3, "mask")],
]
NSP_LABELS = [1, 0, 1]
# A second selection for the same batch, in no particular order, where rows
# overlap: flat row 1 twice (its gradients must add up) and the [CLS] rows 0
# and 14, which the NSP head reads as well.
OVERLAP_ROWS = [17, 0, 1, 1, 14, 10]
OVERLAP_TARGETS = [10, 4, 12, 7, 9, 12]


def param_shapes(cfg: dict) -> list[tuple[str, list[int]]]:
    V, T, d, L, S = cfg["vocabSize"], cfg["maxLength"], cfg["dModel"], cfg["nLayers"], cfg["segmentTypes"]
    shapes = [("wte", [V, d]), ("wpe", [T, d]), ("wse", [S, d])] + block_shapes(d, L)
    shapes += [
        ("lnf.g", [d]), ("lnf.b", [d]),
        ("mlm.b", [V]),
        ("nsp.w", [d, 2]), ("nsp.b", [2]),
    ]
    return shapes


def make_params(cfg: dict, gen: torch.Generator) -> dict[str, torch.Tensor]:
    return draw_params(param_shapes(cfg), gen)


def make_batch(cfg: dict, gen: torch.Generator):
    V, T = cfg["vocabSize"], cfg["maxLength"]
    B = len(LAYOUT)
    ids = torch.full((B, T), PAD, dtype=torch.long)
    segments = torch.zeros((B, T), dtype=torch.long)  # padding: segment 0
    lengths = []

    def word() -> int:
        return int(torch.randint(FIRST_WORD, V, (1,), generator=gen))

    for b, (na, nb, last_sep) in enumerate(LAYOUT):
        row = [CLS] + [word() for _ in range(na)] + [SEP]
        seg = [0] * len(row)
        tail = [word() for _ in range(nb)] + ([SEP] if last_sep else [])
        row += tail
        seg += [1] * len(tail)
        assert len(row) <= T
        ids[b, : len(row)] = torch.tensor(row)
        segments[b, : len(row)] = torch.tensor(seg)
        lengths.append(len(row))
    assert lengths[0] == T and len(set(lengths)) == B, lengths

    masked_rows, masked_targets = [], []
    for b, picks in enumerate(SELECTED):
        for t, how in picks:
            assert 0 < t < lengths[b] and ids[b, t] >= FIRST_WORD, (b, t)
            original = int(ids[b, t])
            if how == "mask":
                ids[b, t] = MASK
            elif how == "random":
                ids[b, t] = FIRST_WORD + (original - FIRST_WORD + 3) % (V - FIRST_WORD)  # another word
                assert ids[b, t] != original
            masked_rows.append(b * T + t)
            masked_targets.append(original)
    return ids, segments, torch.tensor(lengths), torch.tensor(masked_rows), torch.tensor(masked_targets)


def hidden_states(p: dict[str, torch.Tensor], cfg: dict, ids, segments, lengths) -> torch.Tensor:
    """phi(x): [B, T, d]."""
    B, T = ids.shape
    d, H, L = cfg["dModel"], cfg["nHeads"], cfg["nLayers"]
    dh = d // H
    x = p["wte"][ids] + p["wpe"][:T] + p["wse"][segments]  # [B, T, d]
    # Key t of row b is padding when t >= lengths[b]; no query may attend to it.
    pad_key = torch.arange(T)[None, :] >= lengths[:, None]  # [B, T]
    pad_key = pad_key[:, None, None, :]  # [B, 1, 1, T]: every head, every query
    for i in range(L):
        h = f"h{i}"
        a = F.layer_norm(x, (d,), p[f"{h}.ln1.g"], p[f"{h}.ln1.b"], eps=1e-5)
        qkv = a @ p[f"{h}.attn.wqkv"] + p[f"{h}.attn.bqkv"]  # [B, T, 3d]
        q, k, v = qkv.split(d, dim=-1)  # each [B, T, d]
        q = q.view(B, T, H, dh).transpose(1, 2)  # [B, H, T, dh]
        k = k.view(B, T, H, dh).transpose(1, 2)
        v = v.view(B, T, H, dh).transpose(1, 2)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(dh)  # [B, H, T, T]
        scores = scores.masked_fill(pad_key, float("-inf"))
        y = F.softmax(scores, dim=-1) @ v  # [B, H, T, dh]
        y = y.transpose(1, 2).reshape(B, T, d)
        x = x + y @ p[f"{h}.attn.wo"] + p[f"{h}.attn.bo"]
        m = F.layer_norm(x, (d,), p[f"{h}.ln2.g"], p[f"{h}.ln2.b"], eps=1e-5)
        m = gelu_tanh(m @ p[f"{h}.mlp.w1"] + p[f"{h}.mlp.b1"]) @ p[f"{h}.mlp.w2"] + p[f"{h}.mlp.b2"]
        x = x + m
    return F.layer_norm(x, (d,), p["lnf.g"], p["lnf.b"], eps=1e-5)


def heads(p, phi: torch.Tensor, masked_rows: torch.Tensor):
    B, T, d = phi.shape
    picked = phi.reshape(B * T, d)[masked_rows]  # [M, d]
    mlm_logits = picked @ p["wte"].T + p["mlm.b"]  # [M, V]
    nsp_logits = phi[:, 0] @ p["nsp.w"] + p["nsp.b"]  # [B, 2], [CLS] at position 0
    return mlm_logits, nsp_logits


def main() -> None:
    gen = torch.Generator().manual_seed(SEED)
    params = make_params(CONFIG, gen)
    ids, segments, lengths, masked_rows, masked_targets = make_batch(CONFIG, gen)
    nsp_labels = torch.tensor(NSP_LABELS)
    B, T = ids.shape
    V = CONFIG["vocabSize"]

    probe = torch.linspace(-6, 6, 101)
    assert torch.allclose(gelu_tanh(probe), F.gelu(probe, approximate="tanh"), atol=1e-12)

    phi = hidden_states(params, CONFIG, ids, segments, lengths)
    mlm_logits, nsp_logits = heads(params, phi, masked_rows)
    mlm = F.cross_entropy(mlm_logits, masked_targets)
    nsp = F.cross_entropy(nsp_logits, nsp_labels)
    total = mlm + nsp
    names = list(params)
    grads = torch.autograd.grad(total, [params[n] for n in names], retain_graph=True)
    # The NSP-free objective (RoBERTa): the NSP head gets no gradient at all.
    mlm_names = [n for n in names if not n.startswith("nsp.")]
    grads_mlm = torch.autograd.grad(mlm, [params[n] for n in mlm_names], retain_graph=True)

    # Overlapping selection: same batch and weights, another set of MLM rows.
    o_rows, o_targets = torch.tensor(OVERLAP_ROWS), torch.tensor(OVERLAP_TARGETS)
    assert len(set(OVERLAP_ROWS)) < len(OVERLAP_ROWS) and 0 in OVERLAP_ROWS
    o_mlm_logits, _ = heads(params, phi, o_rows)
    o_mlm = F.cross_entropy(o_mlm_logits, o_targets)
    o_total = o_mlm + nsp
    o_grads = torch.autograd.grad(o_total, [params[n] for n in names], retain_graph=True)

    real = torch.arange(T)[None, :] < lengths[:, None]  # [B, T]
    with torch.no_grad():
        # Padding invariance: another id and segment in every padding slot leaves
        # every real position's hidden state (and so both losses) unchanged.
        ids2, seg2 = ids.clone(), segments.clone()
        ids2[~real] = (ids2[~real] + 5) % V
        seg2[~real] = 1
        assert (ids2[~real] != ids[~real]).all() and (~real).sum() == 5
        phi2 = hidden_states(params, CONFIG, ids2, seg2, lengths)
        assert torch.allclose(phi2[real], phi[real], rtol=0, atol=1e-12)
        m2, n2 = heads(params, phi2, masked_rows)
        assert torch.allclose(m2, mlm_logits, rtol=0, atol=1e-12)
        assert torch.allclose(n2, nsp_logits, rtol=0, atol=1e-12)
        # ...but the padding mask is what ensures it: without it they change.
        no_mask = torch.full_like(lengths, T)
        assert (hidden_states(params, CONFIG, ids2, seg2, no_mask)[real] - phi[real]).abs().max() > 1e-3

        # Bidirectional: the last real token of each row changes position 0 ([CLS]).
        ids3 = ids.clone()
        for b in range(B):
            ids3[b, lengths[b] - 1] = (ids3[b, lengths[b] - 1] + 1) % V
        phi3 = hidden_states(params, CONFIG, ids3, segments, lengths)
        for b in range(B):
            assert (phi3[b, 0] - phi[b, 0]).abs().max() > 1e-3, b

    grad_norm = math.sqrt(sum(float((g**2).sum()) for g in grads))
    payload = {
        "meta": {
            "generator": "scripts/golden/bert_golden.py",
            "torch": torch.__version__,
            "python": sys.version.split()[0],
            "dtype": "float64 (weights drawn in float32)",
        },
        "config": CONFIG,
        "inputs": {
            "B": B,
            "T": T,
            "ids": ids.reshape(-1).tolist(),
            "segments": segments.reshape(-1).tolist(),
            "lengths": lengths.tolist(),
        },
        "targets": {
            "maskedRows": masked_rows.tolist(),
            "maskedTargets": masked_targets.tolist(),
            "nspLabels": nsp_labels.tolist(),
        },
        "params": {n: {"shape": list(t.shape), "values": flat(t)} for n, t in params.items()},
        "hidden": flat(phi),
        "mlmLogits": flat(mlm_logits),
        "nspLogits": flat(nsp_logits),
        "mlmLoss": mlm.item(),
        "nspLoss": nsp.item(),
        "total": total.item(),
        "grads": {n: flat(g) for n, g in zip(names, grads)},
        "gradsMlm": {n: flat(g) for n, g in zip(mlm_names, grads_mlm)},
        "overlap": {
            "maskedRows": OVERLAP_ROWS,
            "maskedTargets": OVERLAP_TARGETS,
            "mlmLoss": o_mlm.item(),
            "total": o_total.item(),
            "grads": {n: flat(g) for n, g in zip(names, o_grads)},
        },
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(payload, allow_nan=False, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} (mlm {mlm.item():.6f}, nsp {nsp.item():.6f}, grad norm {grad_norm:.4f})")
    print(f"  ids {ids.tolist()}\n  lengths {lengths.tolist()} rows {masked_rows.tolist()} "
          f"targets {masked_targets.tolist()} nsp {nsp_labels.tolist()}")


if __name__ == "__main__":
    main()
