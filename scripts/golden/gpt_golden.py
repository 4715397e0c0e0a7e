#!/usr/bin/env python3
"""Golden fixture for src/models/gpt.ts and src/train/optim: the same tiny GPT in PyTorch.

Written independently of the TypeScript model, from the lecture's equations, with
PyTorch's own building blocks where they exist (F.layer_norm, F.softmax,
F.cross_entropy, torch.optim.Adam/AdamW, clip_grad_norm_) and explicit matmuls
elsewhere. Float64 throughout; the weights are drawn in float32 first so that
PyTorch and TF.js start from bit-identical numbers.

    x_0    = E[ids] + P[:T]
    x     += Attn(LN1(x))       causal, fused qkv [d, 3d] = [q | k | v], heads contiguous
    x     += MLP(LN2(x))        d -> 4d -> GELU(tanh) -> d
    logits = LN_f(x) E^T        tied embedding

Fixture contents (src/models/fixtures/gpt_golden.json):
  config, ids, targets, params (name -> shape, values)
  logits [B, T, V], tokenNll [B, T], loss, grads (name -> values)
  optim: runs of a few full training steps (forward, backward, optional
  clip_grad_norm_, optimiser step) on the same batch, each with the losses and
  gradient norms seen and the parameters (and Adam moments) afterwards.

Regenerate (Debian: apt-get install python3-torch):
    /usr/bin/python3 scripts/golden/gpt_golden.py
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

OUT = Path(__file__).resolve().parents[2] / "src" / "models" / "fixtures" / "gpt_golden.json"
torch.set_default_dtype(torch.float64)

CONFIG = dict(vocabSize=11, contextLength=6, dModel=8, nLayers=2, nHeads=2)
BATCH = 2
SEED = 20240611


def param_shapes(cfg: dict) -> list[tuple[str, list[int]]]:
    V, T, d, L = cfg["vocabSize"], cfg["contextLength"], cfg["dModel"], cfg["nLayers"]
    return [("wte", [V, d]), ("wpe", [T, d])] + block_shapes(d, L) + [("lnf.g", [d]), ("lnf.b", [d])]


def make_params(cfg: dict, gen: torch.Generator) -> dict[str, torch.Tensor]:
    return draw_params(param_shapes(cfg), gen)


def forward(p: dict[str, torch.Tensor], cfg: dict, ids: torch.Tensor) -> torch.Tensor:
    """ids [B, T] -> logits [B, T, V]."""
    B, T = ids.shape
    d, H, L = cfg["dModel"], cfg["nHeads"], cfg["nLayers"]
    dh = d // H
    x = p["wte"][ids] + p["wpe"][:T]  # [B, T, d]
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    for i in range(L):
        h = f"h{i}"
        a = F.layer_norm(x, (d,), p[f"{h}.ln1.g"], p[f"{h}.ln1.b"], eps=1e-5)
        qkv = a @ p[f"{h}.attn.wqkv"] + p[f"{h}.attn.bqkv"]  # [B, T, 3d]
        q, k, v = qkv.split(d, dim=-1)  # each [B, T, d]
        q = q.view(B, T, H, dh).transpose(1, 2)  # [B, H, T, dh]
        k = k.view(B, T, H, dh).transpose(1, 2)
        v = v.view(B, T, H, dh).transpose(1, 2)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(dh)  # [B, H, T, T]
        scores = scores.masked_fill(~causal, float("-inf"))
        y = F.softmax(scores, dim=-1) @ v  # [B, H, T, dh]
        y = y.transpose(1, 2).reshape(B, T, d)
        x = x + y @ p[f"{h}.attn.wo"] + p[f"{h}.attn.bo"]
        m = F.layer_norm(x, (d,), p[f"{h}.ln2.g"], p[f"{h}.ln2.b"], eps=1e-5)
        m = gelu_tanh(m @ p[f"{h}.mlp.w1"] + p[f"{h}.mlp.b1"]) @ p[f"{h}.mlp.w2"] + p[f"{h}.mlp.b2"]
        x = x + m
    x = F.layer_norm(x, (d,), p["lnf.g"], p["lnf.b"], eps=1e-5)
    return x @ p["wte"].T  # [B, T, V]


def token_nll(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    B, T, V = logits.shape
    return F.cross_entropy(logits.reshape(B * T, V), targets.reshape(B * T), reduction="none").view(B, T)


OPTIM_RUNS = [
    # AdamW with GPT-3 betas and an active clip (the gradient norm here is ~2-4).
    dict(name="adamw-clip", opt="AdamW", lr=1e-2, betas=(0.9, 0.95), eps=1e-8, wd=0.1, clip=0.5, steps=4),
    # Adam with coupled L2 decay (g += wd * p), clip threshold never reached.
    dict(name="adam-l2", opt="Adam", lr=5e-3, betas=(0.9, 0.999), eps=1e-8, wd=0.05, clip=100.0, steps=4),
    # Plain Adam, no clipping, no decay.
    dict(name="adam-plain", opt="Adam", lr=1e-2, betas=(0.8, 0.99), eps=1e-6, wd=0.0, clip=None, steps=3),
]


def run_optim(run: dict, init: dict[str, torch.Tensor], ids, targets) -> dict:
    p = {k: v.detach().clone().requires_grad_(True) for k, v in init.items()}
    names = list(p.keys())
    cls = torch.optim.AdamW if run["opt"] == "AdamW" else torch.optim.Adam
    opt = cls([p[n] for n in names], lr=run["lr"], betas=run["betas"], eps=run["eps"], weight_decay=run["wd"])
    losses, norms = [], []
    for _ in range(run["steps"]):
        opt.zero_grad()
        loss = token_nll(forward(p, CONFIG, ids), targets).mean()
        loss.backward()
        if run["clip"] is not None:
            norm = torch.nn.utils.clip_grad_norm_([p[n] for n in names], run["clip"])
        else:
            norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(p[n].grad) for n in names]))
        losses.append(loss.item())
        norms.append(norm.item())
        opt.step()
    state = opt.state
    return {
        "name": run["name"],
        "config": {
            "lr": run["lr"], "beta1": run["betas"][0], "beta2": run["betas"][1], "eps": run["eps"],
            "weightDecay": run["wd"], "decoupledWeightDecay": run["opt"] == "AdamW", "biasCorrection": True,
        },
        "clipNorm": run["clip"],
        "steps": run["steps"],
        "losses": losses,
        "gradNorms": norms,
        "paramsAfter": {n: flat(p[n]) for n in names},
        "mAfter": {n: flat(state[p[n]]["exp_avg"]) for n in names},
        "vAfter": {n: flat(state[p[n]]["exp_avg_sq"]) for n in names},
    }


def main() -> None:
    gen = torch.Generator().manual_seed(SEED)
    params = make_params(CONFIG, gen)
    V, T = CONFIG["vocabSize"], CONFIG["contextLength"]
    seq = torch.randint(0, V, (BATCH, T + 1), generator=gen)
    ids, targets = seq[:, :-1], seq[:, 1:]

    # Our explicit GELU is the tanh form PyTorch ships.
    probe = torch.linspace(-6, 6, 101)
    assert torch.allclose(gelu_tanh(probe), F.gelu(probe, approximate="tanh"), atol=1e-12)

    logits = forward(params, CONFIG, ids)
    nll = token_nll(logits, targets)
    loss = nll.mean()
    loss.backward()

    # Causality: changing the last input token leaves earlier logits unchanged.
    ids2 = ids.clone()
    ids2[:, -1] = (ids2[:, -1] + 1) % V
    with torch.no_grad():
        assert torch.allclose(forward(params, CONFIG, ids2)[:, :-1], logits[:, :-1], atol=1e-12)

    payload = {
        "meta": {
            "generator": "scripts/golden/gpt_golden.py",
            "torch": torch.__version__,
            "python": sys.version.split()[0],
            "dtype": "float64 (weights drawn in float32)",
        },
        "config": CONFIG,
        "batch": BATCH,
        "ids": ids.tolist(),
        "targets": targets.tolist(),
        "params": {n: {"shape": list(t.shape), "values": flat(t)} for n, t in params.items()},
        "logits": flat(logits),
        "tokenNll": flat(nll),
        "loss": loss.item(),
        "grads": {n: flat(t.grad) for n, t in params.items()},
        "optim": [run_optim(r, params, ids, targets) for r in OPTIM_RUNS],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(payload, allow_nan=False, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} (loss {loss.item():.6f}, grad norm "
          f"{math.sqrt(sum(float((t.grad ** 2).sum()) for t in params.values())):.4f})")
    for r in payload["optim"]:
        print(f"  {r['name']}: losses {[round(x, 5) for x in r['losses']]}, norms {[round(x, 4) for x in r['gradNorms']]}")


if __name__ == "__main__":
    main()
