#!/usr/bin/env python3
"""PyTorch eager CPU yardstick for the browser trainer (src/models/gpt.ts).

Trains the notebook's default tiny GPT (same architecture, same parameter
count, same batch shape) with AdamW and global-norm clipping, and prints one
JSON line in the format of the in-browser benchmark:

  {"backend": "torch-cpu", "params": ..., "batchTokens": B*T, "msPerStep": <median>,
   "tokensPerSecond": ..., "firstStepMs": ..., "longTasks": null}

firstStepMs is the time from model construction to the end of the first step
(setup included); msPerStep is the median over --steps timed steps after 5
warm-up steps. A step = forward, backward, clip_grad_norm_, AdamW update and
reading the loss back as a Python float (the browser reads its loss too).

It also reports the BLAS the products ran on ("blas": threadpoolctl's
internal_api, filepath, version, num_threads and, for OpenBLAS, the kernel's
architecture) and refuses to measure on a reference BLAS (netlib's libblas,
anything that is not OpenBLAS, MKL or BLIS) unless --allow-slow-blas: see
scripts/bench_blas.py. --threads sets both PyTorch's threads and the BLAS's.

Run (Debian: apt-get install python3-torch python3-threadpoolctl libopenblas0-pthread):
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 scripts/bench_torch.py
        [--threads 1] [--steps 50] [--layers 2] [--width 64] [--heads 4] [--context 64] [--batch 16]
        [--allow-slow-blas]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_info, threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_blas import blas_entries, blas_problem, gemm_library, pinning_warnings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "public" / "corpus" / "brown.json"


def corpus_ids(vocab_fallback: int, n_min: int, gen: torch.Generator) -> tuple[torch.Tensor, int, str]:
    """Character ids of the Brown corpus training split if public/corpus/brown.json
    exists (the text src/core/text/corpusTypes.ts corpusText builds), else random ids."""
    if CORPUS.exists():
        try:
            data = json.loads(CORPUS.read_text())
            docs = {d["id"]: d for d in data["documents"]}
            text = "\n".join(" ".join(docs[i]["sentences"]) for i in data["split"]["train"])
            if len(text) >= n_min:
                chars = sorted(set(text))
                # Id 0 is <unk>, as in the notebook's char tokenizer, so V (and
                # the parameter count) match the model the browser trains.
                index = {c: i + 1 for i, c in enumerate(chars)}
                return torch.tensor([index[c] for c in text], dtype=torch.long), len(chars) + 1, "brown"
        except (ValueError, KeyError, TypeError):
            pass
    return torch.randint(0, vocab_fallback, (max(n_min, 100_000),), generator=gen), vocab_fallback, "random"


class TinyGpt(torch.nn.Module):
    """The architecture of src/models/gpt.ts: pre-norm blocks, fused qkv, GELU(tanh) MLP,
    learned positions, logits through the tied token embedding."""

    def __init__(self, V: int, T: int, d: int, L: int, H: int):
        super().__init__()
        self.H = H
        std = 0.02
        res_std = std / math.sqrt(2 * L)
        P = torch.nn.Parameter
        self.wte = P(torch.randn(V, d) * std)
        self.wpe = P(torch.randn(T, d) * std)
        self.blocks = torch.nn.ModuleList()
        for _ in range(L):
            b = torch.nn.Module()
            b.ln1 = torch.nn.LayerNorm(d)
            b.wqkv = P(torch.randn(d, 3 * d) * std)
            b.bqkv = P(torch.zeros(3 * d))
            b.wo = P(torch.randn(d, d) * res_std)
            b.bo = P(torch.zeros(d))
            b.ln2 = torch.nn.LayerNorm(d)
            b.w1 = P(torch.randn(d, 4 * d) * std)
            b.b1 = P(torch.zeros(4 * d))
            b.w2 = P(torch.randn(4 * d, d) * res_std)
            b.b2 = P(torch.zeros(d))
            self.blocks.append(b)
        self.lnf = torch.nn.LayerNorm(d)
        self.register_buffer("mask", torch.full((T, T), float("-inf")).triu(1))

    def forward(self, ids: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        B, T = ids.shape
        d = self.wte.shape[1]
        H, dh = self.H, d // self.H
        x = (self.wte[ids] + self.wpe[:T]).view(B * T, d)
        for b in self.blocks:
            qkv = torch.addmm(b.bqkv, b.ln1(x), b.wqkv).view(B, T, 3, H, dh).permute(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]  # [B, H, T, dh]
            att = torch.softmax((q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(dh)) + self.mask[:T, :T], dim=-1)
            y = (att @ v).transpose(1, 2).reshape(B * T, d)
            x = x + torch.addmm(b.bo, y, b.wo)
            x = x + torch.addmm(b.b2, F.gelu(torch.addmm(b.b1, b.ln2(x), b.w1), approximate="tanh"), b.w2)
        logits = self.lnf(x) @ self.wte.T
        return F.cross_entropy(logits, targets.reshape(B * T))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--width", type=int, default=64)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--context", type=int, default=64)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--vocab", type=int, default=96, help="vocabulary size when no corpus is found")
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--allow-slow-blas", action="store_true", help="measure even on a reference BLAS (not a fair yardstick)"
    )
    args = ap.parse_args()
    if args.width % args.heads:
        ap.error("--width must be divisible by --heads")

    for warning in pinning_warnings(os.environ):
        print(f"bench_torch.py: warning: {warning}", file=sys.stderr)
    torch.set_num_threads(args.threads)
    # PyTorch's thread count does not reach OpenBLAS's own pool; this does.
    threadpool_limits(limits=args.threads, user_api="blas")
    torch.ones(2, 2) @ torch.ones(2, 2)  # loads libblas if it is not loaded yet
    blas = blas_entries(threadpool_info())
    gemm = gemm_library()
    problem = blas_problem(blas, gemm, torch.backends.mkl.is_available())
    if problem and not args.allow_slow_blas:
        print(f"bench_torch.py: {problem}", file=sys.stderr)
        sys.exit(2)
    if problem:
        print(f"bench_torch.py: warning (--allow-slow-blas): {problem}", file=sys.stderr)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    B, T = args.batch, args.context

    t0 = time.perf_counter()
    data, V, source = corpus_ids(args.vocab, 10 * (T + 1), gen)
    model = TinyGpt(V, T, args.width, args.layers, args.heads)
    params = [p for p in model.parameters()]
    n_params = sum(p.numel() for p in params)
    opt = torch.optim.AdamW(params, lr=args.lr, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)

    def batch():
        starts = torch.randint(0, len(data) - T - 1, (B,), generator=gen)
        rows = torch.stack([data[s : s + T + 1] for s in starts.tolist()])
        return rows[:, :-1], rows[:, 1:]

    def step() -> float:
        ids, targets = batch()
        opt.zero_grad(set_to_none=True)
        loss = model(ids, targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, args.clip)
        opt.step()
        return loss.item()

    first_loss = step()
    first_ms = (time.perf_counter() - t0) * 1000
    for _ in range(args.warmup - 1):
        step()
    times = []
    for _ in range(args.steps):
        s = time.perf_counter()
        last_loss = step()
        times.append((time.perf_counter() - s) * 1000)
    ms = statistics.median(times)
    out = {
        "backend": "torch-cpu",
        "params": n_params,
        "batchTokens": B * T,
        "msPerStep": round(ms, 3),
        "tokensPerSecond": round(B * T * 1000 / ms, 1),
        "firstStepMs": round(first_ms, 1),
        "longTasks": None,
        # Extra context (not in the browser line): what exactly was measured.
        "threads": args.threads,
        "blas": blas,
        "gemmLibrary": gemm,
        "blasPinned": {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if os.environ.get(k)},
        "data": source,
        "vocabSize": V,
        "torch": torch.__version__,
        "lossFirst": round(first_loss, 4),
        "lossLast": round(last_loss, 4),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
