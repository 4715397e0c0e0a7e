"""Pieces the PyTorch golden scripts for the tiny models share (gpt_golden.py,
bert_golden.py, encdec_golden.py): the block parameter layout of
src/models/transformer.ts, how test weights are drawn, GELU (tanh) and how
numbers are written to the JSON fixtures."""

from __future__ import annotations

import math

import torch


def attention_shapes(h: str, d: int) -> list[tuple[str, list[int]]]:
    """Pre-norm self-attention of block `h`: fused qkv [d, 3d] = [q | k | v]."""
    return [
        (f"{h}.ln1.g", [d]), (f"{h}.ln1.b", [d]),
        (f"{h}.attn.wqkv", [d, 3 * d]), (f"{h}.attn.bqkv", [3 * d]),
        (f"{h}.attn.wo", [d, d]), (f"{h}.attn.bo", [d]),
    ]


def mlp_shapes(h: str, d: int) -> list[tuple[str, list[int]]]:
    """Pre-norm MLP of block `h`: d -> 4d -> d."""
    return [
        (f"{h}.ln2.g", [d]), (f"{h}.ln2.b", [d]),
        (f"{h}.mlp.w1", [d, 4 * d]), (f"{h}.mlp.b1", [4 * d]),
        (f"{h}.mlp.w2", [4 * d, d]), (f"{h}.mlp.b2", [d]),
    ]


def block_shapes(d: int, layers: int, prefix: str = "") -> list[tuple[str, list[int]]]:
    """Every block's parameters in init order, named `{prefix}h{i}.*`."""
    shapes: list[tuple[str, list[int]]] = []
    for i in range(layers):
        h = f"{prefix}h{i}"
        shapes += attention_shapes(h, d) + mlp_shapes(h, d)
    return shapes


def draw_params(shapes: list[tuple[str, list[int]]], gen: torch.Generator) -> dict[str, torch.Tensor]:
    """Non-trivial values everywhere (not an init scheme): weights large enough
    for the nonlinearities to bend, non-zero biases and non-unit gains, so that
    every gradient path is exercised. Drawn in float32 and held in float64, so
    PyTorch and TF.js start from bit-identical numbers."""
    params = {}
    for name, shape in shapes:
        z = torch.randn(shape, generator=gen, dtype=torch.float32)
        last = name.split(".")[-1]  # 'g' gain; 'b', 'bqkv', 'bq', 'bkv', 'bo', 'b1', 'b2' biases
        if last == "g":
            t = 1.0 + 0.2 * z
        elif last.startswith("b"):
            t = 0.1 * z
        else:
            t = 0.4 * z
        params[name] = t.to(torch.float32).to(torch.float64).requires_grad_(True)
    return params


def gelu_tanh(x: torch.Tensor) -> torch.Tensor:
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


def flat(t: torch.Tensor) -> list[float]:
    # '%.9g' round-trips float32 exactly and keeps ~1e-9 relative of float64 results.
    return [float(f"{x:.9g}") for x in t.detach().reshape(-1).tolist()]
